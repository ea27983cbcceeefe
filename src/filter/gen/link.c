/* link.c - the table of supported link types; see link.h. */
#include "gen/link.h"

#include <stddef.h>
#include <strings.h>

#include "filter.h"

static const struct link_info links[] = {
	{FILTER_DLT_EN10MB, 1, "EN10MB", "Ethernet", LINK_ETHER, 12, 14},
	{FILTER_DLT_LINUX_SLL, 113, "LINUX_SLL", "Linux cooked v1", LINK_SLL, 14, 16},
	{FILTER_DLT_LINUX_SLL2, 276, "LINUX_SLL2", "Linux cooked v2", LINK_SLL2, 0, 20},
	{FILTER_DLT_RAW, 101, "RAW", "Raw IP", LINK_RAW, 0, 0},
	{FILTER_DLT_IPV4, 228, "IPV4", "Raw IPv4", LINK_IPV4, 0, 0},
	{FILTER_DLT_IPV6, 229, "IPV6", "Raw IPv6", LINK_IPV6, 0, 0},
	{FILTER_DLT_NULL, 0, "NULL", "BSD loopback", LINK_NULL, 0, 4},
	{FILTER_DLT_LOOP, 108, "LOOP", "OpenBSD loopback", LINK_LOOP, 0, 4},
};

#define NLINKS (sizeof(links) / sizeof(links[0]))

const struct link_info *link_find(int dlt)
{
	for (size_t i = 0; i < NLINKS; i++)
		if (links[i].dlt == dlt)
			return &links[i];
	return NULL;
}

int filter_dlt_from_name(const char *name)
{
	if (!name)
		return -1;
	if (strncasecmp(name, "DLT_", 4) == 0)
		name += 4;
	for (size_t i = 0; i < NLINKS; i++)
		if (strcasecmp(links[i].name, name) == 0)
			return links[i].dlt;
	return -1;
}

const char *filter_dlt_name(int dlt)
{
	const struct link_info *l = link_find(dlt);
	return l ? l->name : NULL;
}

int filter_dlt_from_linktype(int linktype)
{
	for (size_t i = 0; i < NLINKS; i++)
		if (links[i].linktype == linktype)
			return links[i].dlt;
	/* DLT_RAW has two numbers on Linux (12 and 14 elsewhere) */
	return linktype == 12 || linktype == 14 ? FILTER_DLT_RAW : -1;
}
