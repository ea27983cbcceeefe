/* names.c - name tables and the resolver over the system databases. */
#include "front/names.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/ether.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "filter.h"

static const struct {
	const char *name;
	uint32_t v;
} ethertypes[] = {
	{"ip", 0x0800},	   {"ip6", 0x86dd},   {"arp", 0x0806},	  {"rarp", 0x8035},
	{"atalk", 0x809b}, {"aarp", 0x80f3},  {"decnet", 0x6003}, {"sca", 0x6007},
	{"lat", 0x6004},   {"mopdl", 0x6001}, {"moprc", 0x6002},  {"iso", 0xfe},
	{"stp", 0x42},	   {"ipx", 0xe0},     {"netbeui", 0xf0},  {"loopback", 0x9000},
};

int names_ethertype(const char *name, size_t len, uint32_t *v)
{
	for (size_t i = 0; i < sizeof(ethertypes) / sizeof(ethertypes[0]); i++)
		if (strlen(ethertypes[i].name) == len &&
		    memcmp(ethertypes[i].name, name, len) == 0) {
			*v = ethertypes[i].v;
			return 1;
		}
	return 0;
}

static int sys_host(void *op, const char *name, struct filter_addr *out, int max)
{
	(void)op;
	struct addrinfo hints, *res = NULL;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(name, NULL, &hints, &res) != 0)
		return 0;
	int n = 0;
	for (struct addrinfo *ai = res; ai && n < max; ai = ai->ai_next) {
		if (ai->ai_family == AF_INET) {
			out[n].family = 4;
			memcpy(out[n].bytes, &((struct sockaddr_in *)ai->ai_addr)->sin_addr, 4);
			n++;
		} else if (ai->ai_family == AF_INET6) {
			out[n].family = 6;
			memcpy(out[n].bytes, &((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr, 16);
			n++;
		}
	}
	freeaddrinfo(res);
	return n;
}

static int sys_service(void *op, const char *name, const char *proto, uint16_t *port)
{
	(void)op;
	struct servent se, *r = NULL;
	char buf[1024];
	if (getservbyname_r(name, proto, &se, buf, sizeof(buf), &r) != 0 || !r)
		return 0;
	*port = ntohs((uint16_t)r->s_port);
	return 1;
}

/* libpcap's fallback when /etc/protocols lacks a name. */
static const struct {
	const char *name;
	uint8_t num;
} protocols[] = {
	{"icmp", 1}, {"igmp", 2}, {"tcp", 6},	{"udp", 17},   {"ipv6", 41},  {"gre", 47},
	{"esp", 50}, {"ah", 51},  {"pim", 103}, {"vrrp", 112}, {"sctp", 132},
};

static int sys_protocol(void *op, const char *name, uint8_t *proto)
{
	(void)op;
	for (size_t i = 0; i < sizeof(protocols) / sizeof(protocols[0]); i++)
		if (strcmp(protocols[i].name, name) == 0) {
			*proto = protocols[i].num;
			return 1;
		}
	struct protoent pe, *r = NULL;
	char buf[1024];
	if (getprotobyname_r(name, &pe, buf, sizeof(buf), &r) != 0 || !r || r->p_proto < 0 ||
	    r->p_proto > 255)
		return 0;
	*proto = (uint8_t)r->p_proto;
	return 1;
}

static int sys_network(void *op, const char *name, uint32_t *net)
{
	(void)op;
	struct netent ne, *r = NULL;
	char buf[1024];
	int err = 0;
	if (getnetbyname_r(name, &ne, buf, sizeof(buf), &r, &err) != 0 || !r ||
	    r->n_addrtype != AF_INET)
		return 0;
	*net = (uint32_t)r->n_net;
	return 1;
}

static int sys_ether(void *op, const char *name, uint8_t mac[6])
{
	(void)op;
	struct ether_addr ea;
	if (ether_hostton(name, &ea) != 0)
		return 0;
	memcpy(mac, ea.ether_addr_octet, 6);
	return 1;
}

static const struct filter_resolver system_resolver = {
	NULL, sys_host, sys_service, sys_protocol, sys_network, sys_ether,
};

const struct filter_resolver *filter_system_resolver(void)
{
	return &system_resolver;
}
