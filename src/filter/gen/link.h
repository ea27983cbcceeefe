/*
 * link.h - what the generator needs to know about each supported link type:
 * where the link-layer type field and the payload start, and how a
 * network-protocol test is spelled on it.
 */
#ifndef BPFCAP_FILTER_LINK_H
#define BPFCAP_FILTER_LINK_H

#include <stdint.h>

enum link_kind {
	LINK_ETHER, /* EtherType at 12, 802.3 length form below 1501 */
	LINK_SLL,   /* Linux cooked v1: protocol at 14 */
	LINK_SLL2,  /* Linux cooked v2: protocol at 0 */
	LINK_RAW,   /* IP version nibble */
	LINK_IPV4,  /* IPv4 only */
	LINK_IPV6,  /* IPv6 only */
	LINK_NULL,  /* 4-byte address family, host byte order (little-endian here) */
	LINK_LOOP,  /* 4-byte address family, network byte order */
	LINK_PPP,   /* PPP protocol field (inside PPPoE sessions) */
};

struct link_info {
	int dlt;
	int linktype; /* LINKTYPE_* in files */
	const char *name, *desc;
	enum link_kind kind;
	uint32_t off_type; /* the type field */
	uint32_t off_pl;   /* the link-layer payload */
};

const struct link_info *link_find(int dlt);

/* The length of L's cooked header (LINUX_SLL, LINUX_SLL2), 0 for the others:
 * on a cooked socket the kernel's wire length excludes it. */
static inline uint32_t link_cooked_len(const struct link_info *l)
{
	return l->kind == LINK_SLL || l->kind == LINK_SLL2 ? l->off_pl : 0;
}

#endif
