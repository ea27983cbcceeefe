/* namedb.c - file-backed name resolution for tests; see namedb.h. */
#include "namedb.h"

#include <arpa/inet.h>
#include <netinet/ether.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry {
	char name[128];
	char value[128];
};

static struct db {
	struct entry *e;
	size_t n;
} hosts, ethers, networks;

/* Lines "FIRST SECOND": hosts and ethers put the value first. */
static int load(struct db *db, const char *dir, const char *file, int value_first)
{
	char path[4096], line[512], a[128], b[128];
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	FILE *fp = fopen(path, "r");
	if (!fp)
		return -1;
	while (fgets(line, sizeof(line), fp)) {
		if (line[0] == '#' || sscanf(line, "%127s %127s", a, b) != 2)
			continue;
		struct entry *e = realloc(db->e, (db->n + 1) * sizeof(*e));
		if (!e)
			break;
		db->e = e;
		snprintf(e[db->n].name, sizeof(e->name), "%s", value_first ? b : a);
		snprintf(e[db->n].value, sizeof(e->value), "%s", value_first ? a : b);
		db->n++;
	}
	fclose(fp);
	return 0;
}

static int nd_host(void *op, const char *name, struct filter_addr *out, int max)
{
	int n = 0;
	for (size_t i = 0; i < hosts.n && n < max; i++) {
		if (strcmp(hosts.e[i].name, name) != 0)
			continue;
		if (inet_pton(AF_INET, hosts.e[i].value, out[n].bytes) == 1)
			out[n++].family = 4;
		else if (inet_pton(AF_INET6, hosts.e[i].value, out[n].bytes) == 1)
			out[n++].family = 6;
	}
	if (n)
		return n;
	const struct filter_resolver *sys = filter_system_resolver();
	return sys->host(op, name, out, max);
}

static int nd_ether(void *op, const char *name, uint8_t mac[6])
{
	for (size_t i = 0; i < ethers.n; i++) {
		struct ether_addr *ea;
		if (strcmp(ethers.e[i].name, name) == 0 && (ea = ether_aton(ethers.e[i].value))) {
			memcpy(mac, ea->ether_addr_octet, 6);
			return 1;
		}
	}
	return filter_system_resolver()->ether(op, name, mac);
}

static int nd_network(void *op, const char *name, uint32_t *net)
{
	for (size_t i = 0; i < networks.n; i++) {
		struct in_addr a;
		if (strcmp(networks.e[i].name, name) == 0 &&
		    inet_pton(AF_INET, networks.e[i].value, &a) == 1) {
			uint32_t v = ntohl(a.s_addr);
			while (v && !(v & 0xff)) /* getnetbyname() gives it right-aligned */
				v >>= 8;
			*net = v;
			return 1;
		}
	}
	return filter_system_resolver()->network(op, name, net);
}

static struct filter_resolver resolver;

const struct filter_resolver *namedb_open(const char *dir)
{
	int ok = load(&hosts, dir, "hosts", 1) == 0;
	ok |= load(&ethers, dir, "ethers", 1) == 0;
	ok |= load(&networks, dir, "networks", 0) == 0;
	if (!ok)
		return NULL;
	resolver = *filter_system_resolver();
	resolver.host = nd_host;
	resolver.ether = nd_ether;
	resolver.network = nd_network;
	return &resolver;
}

void namedb_free(void)
{
	free(hosts.e);
	free(ethers.e);
	free(networks.e);
	memset(&hosts, 0, sizeof(hosts));
	memset(&ethers, 0, sizeof(ethers));
	memset(&networks, 0, sizeof(networks));
}
