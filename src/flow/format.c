/* format.c - protocol names, addresses, flags and numbers for people;
 * see flow.h. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "flow/flow.h"

const char *flow_proto_name(const struct flow_key *k, char *buf, size_t len)
{
	if (k->ethertype != 0x0800 && k->ethertype != 0x86dd) {
		if (k->ethertype == 0x0806)
			return "arp";
		snprintf(buf, len, "0x%04x", k->ethertype);
		return buf;
	}
	switch (k->l4proto) {
	case 6: return "tcp";
	case 17: return "udp";
	case 1: return "icmp";
	case 58: return "icmp6";
	case 132: return "sctp";
	case 136: return "udplite";
	}
	snprintf(buf, len, "%s proto %u", k->ethertype == 0x0800 ? "ip" : "ip6", k->l4proto);
	return buf;
}

const char *flow_addr(const struct flow_key *k, int src, char *buf, size_t len)
{
	const uint8_t *a = src ? k->src : k->dst;
	if (k->ethertype == 0x0800)
		return inet_ntop(AF_INET, a, buf, (socklen_t)len) ? buf : "?";
	if (k->ethertype == 0x86dd)
		return inet_ntop(AF_INET6, a, buf, (socklen_t)len) ? buf : "?";
	return "";
}

const char *flow_tcp_flags(uint8_t f, char *buf, size_t len)
{
	static const char letters[] = "FSRP.UEC"; /* bit 0 (FIN) to bit 7 (CWR) */
	size_t n = 0;
	static const int order[] = {1, 0, 2, 3, 5, 6, 7, 4}; /* tcpdump prints the ACK dot last */
	for (int i = 0; i < 8 && n + 1 < len; i++)
		if (f & (1u << order[i]))
			buf[n++] = letters[order[i]];
	buf[n < len ? n : len - 1] = '\0';
	return buf;
}

const char *flow_human(double v, char *buf, size_t len)
{
	static const char units[] = " kMGTP";
	int u = 0;
	if (v >= 9999.5)
		while (u == 0 || (v >= 999.5 && u < 5)) {
			v /= 1000;
			u++;
		}
	if (u == 0)
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, "%.*f%c", v < 9.995 ? 2 : v < 99.95 ? 1 : 0, v, units[u]);
	return buf;
}

const char *flow_hook_name(uint8_t hook)
{
	switch (hook) {
	case FLOW_HOOK_XDP: return "xdp";
	case FLOW_HOOK_TC_INGRESS: return "tc-ingress";
	case FLOW_HOOK_TC_EGRESS: return "tc-egress";
	}
	return "?";
}

static int has_ports(const struct flow_key *k)
{
	return (k->ethertype == 0x0800 || k->ethertype == 0x86dd) &&
	       (k->l4proto == 6 || k->l4proto == 17 || k->l4proto == 132 || k->l4proto == 136);
}

const char *flow_endpoint(const struct flow_key *k, int src, char *buf, size_t len)
{
	char a[64];
	const char *s = flow_addr(k, src, a, sizeof(a));
	if (!has_ports(k))
		snprintf(buf, len, "%s", s);
	else if (k->ethertype == 0x86dd)
		snprintf(buf, len, "[%s]:%u", s, src ? k->sport : k->dport);
	else
		snprintf(buf, len, "%s:%u", s, src ? k->sport : k->dport);
	return buf;
}

const char *flow_proto_col(const struct flow_key *k, char *buf, size_t len)
{
	char p[32], v[16] = "";
	const char *name = flow_proto_name(k, p, sizeof(p));
	if (k->vlan)
		snprintf(v, sizeof(v), "vlan %u ", k->vlan);
	int icmp = (k->ethertype == 0x0800 && k->l4proto == 1) ||
		   (k->ethertype == 0x86dd && k->l4proto == 58);
	if (icmp)
		snprintf(buf, len, "%s%s %u/%u", v, name, k->sport, k->dport);
	else
		snprintf(buf, len, "%s%s", v, name);
	return buf;
}
