/* id.c - identifiers: host, net, port, proto, protochain and gateway with a
 * name or a number, resolved and handed to the families; see id.h. */
#include "gen/id.h"

#include <stdio.h>
#include <string.h>

#include "gen/l2.h"
#include "gen/l3.h"
#include "gen/l4.h"
#include "gen/osi.h"
#include "gen/tunnel.h"

enum { MAX_ADDRS = 64 };

static int dir_code(struct gen *g, enum q_dir d)
{
	switch (d) {
	case QD_SRC: return 0;
	case QD_DST: return 1;
	case QD_AND: return 3;
	case QD_DEFAULT:
	case QD_OR: return 2;
	default:
		gen_fail(g, FILTER_ERR_SEMANTIC,
			 "addr1-4, ra and ta apply only to 802.11 link types");
		return -1;
	}
}

static uint32_t prefix_mask(uint32_t len)
{
	return len == 0 ? 0 : 0xffffffffu << (32 - len);
}

static void prefix_mask6(uint32_t len, uint8_t *m)
{
	for (uint32_t i = 0; i < 16; i++) {
		uint32_t bits = len > 8 * i ? len - 8 * i : 0;
		m[i] = bits >= 8 ? 0xff : (uint8_t)(0xff00 >> bits);
	}
}

static int mask_len4(uint32_t m)
{
	int n = 0;
	while (n < 32 && (m & (0x80000000u >> n)))
		n++;
	return prefix_mask((uint32_t)n) == m ? n : -1;
}

static void fmt4(char *buf, size_t n, uint32_t a)
{
	snprintf(buf, n, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
}

/* A v4 address or network from a NUM/HID token with its /len or mask. */
static struct frag id_v4(struct gen *g, const struct ast *n, int dir, int is_net)
{
	uint32_t addr = n->id.num, mask = 0xffffffffu;
	if (n->id.kind == TOK_HID && n->id.bad4) {
		gen_fail(g, FILTER_ERR_RANGE,
			 "'%.*s' is not a valid IPv4 address (each part is 0-255)",
			 (int)n->id.textlen, n->id.text);
		return frag_const(0);
	}
	if (n->id.kind == TOK_HID)
		mask = prefix_mask(8 * (uint32_t)n->id.parts);
	else if (is_net) /* a bare number as a network: left-justify it */
		for (mask = 0xffffffffu; addr && !(addr & 0xff000000u); addr <<= 8, mask <<= 8)
			;
	if (n->has_len || n->has_mask) {
		if (!is_net) {
			gen_fail(g, FILTER_ERR_SEMANTIC,
				 "a mask or /length needs 'net', not 'host' (try net %.*s)",
				 (int)(n->end - n->id.begin), n->id.text);
			return frag_const(0);
		}
		if (n->has_len && n->num > 32) {
			gen_fail(g, FILTER_ERR_RANGE,
				 "prefix length /%u is too long for an IPv4 network (at most 32)",
				 n->num);
			return frag_const(0);
		}
		if (n->has_mask && n->mask.bad4) {
			gen_fail(g, FILTER_ERR_RANGE, "netmask '%.*s' is not a valid IPv4 address",
				 (int)n->mask.textlen, n->mask.text);
			return frag_const(0);
		}
		mask = n->has_len ? prefix_mask(n->num) : n->mask.num;
	}
	if (is_net && (addr & ~mask)) {
		char a[20], m[20];
		fmt4(a, sizeof(a), addr);
		fmt4(m, sizeof(m), addr & mask);
		int l = mask_len4(mask);
		gen_fail(g, FILTER_ERR_SEMANTIC,
			 "network %s has host bits set; did you mean %s%s%d?", a, m,
			 l >= 0 ? "/" : " mask ", l >= 0 ? l : 0);
		return frag_const(0);
	}
	return gen_host4(g, n->q.proto, dir, addr, mask);
}

static struct frag id_v6(struct gen *g, const struct ast *n, int dir)
{
	uint8_t mask[16];
	uint32_t len = 128;
	if (n->has_len) { /* libpcap reads 'host ADDR/len' as a network for IPv6 */
		if (n->num > 128) {
			gen_fail(g, FILTER_ERR_RANGE,
				 "prefix length /%u is too long for an IPv6 network (at most 128)",
				 n->num);
			return frag_const(0);
		}
		len = n->num;
	}
	prefix_mask6(len, mask);
	for (int i = 0; i < 16; i++)
		if (n->id.addr[i] & ~mask[i]) {
			gen_fail(g, FILTER_ERR_SEMANTIC,
				 "network %.*s has host bits set beyond /%u",
				 (int)(n->id.end - n->id.begin), n->id.text, len);
			return frag_const(0);
		}
	return gen_host6(g, n->q.proto, dir, n->id.addr, mask);
}

static void id_text(const struct ast *n, char *buf, size_t cap)
{
	size_t len = n->id.textlen < cap - 1 ? n->id.textlen : cap - 1;
	memcpy(buf, n->id.text, len);
	buf[len] = '\0';
}

/* host NAME: every address the resolver gives, ORed. */
static struct frag id_hostname(struct gen *g, const struct ast *n, int dir)
{
	char name[256];
	id_text(n, name, sizeof(name));
	struct filter_addr addrs[MAX_ADDRS];
	int cnt = g->res->host ? g->res->host(g->res->opaque, name, addrs, MAX_ADDRS) : 0;
	if (cnt <= 0) {
		gen_fail(g, FILTER_ERR_NAME, "unknown host '%s'", name);
		return frag_const(0);
	}
	struct frag f = frag_const(0);
	int used = 0;
	static const uint8_t full[16] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
					 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	for (int i = 0; i < cnt && !g->failed; i++) {
		if (addrs[i].family == 4 && n->q.proto != KW_IP6) {
			const uint8_t *b = addrs[i].bytes;
			uint32_t a = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
				     (uint32_t)b[2] << 8 | b[3];
			f = frag_or(g, f, gen_host4(g, n->q.proto, dir, a, 0xffffffffu));
			used++;
		} else if (addrs[i].family == 6 &&
			   (n->q.proto == KW_NONE || n->q.proto == KW_IP6)) {
			f = frag_or(g, f, gen_host6(g, n->q.proto, dir, addrs[i].bytes, full));
			used++;
		}
	}
	if (!used && !g->failed)
		gen_fail(g, FILTER_ERR_NAME, "host '%s' has no address of the kind asked for",
			 name);
	return f;
}

static struct frag id_ether(struct gen *g, const struct ast *n, int dir)
{
	uint8_t mac[6];
	if (n->id.kind == TOK_EID)
		return gen_ether_addr(g, n->id.addr, dir);
	if (n->id.kind != TOK_ID) {
		gen_fail(g, FILTER_ERR_SEMANTIC,
			 "expected a MAC address or a name from /etc/ethers");
		return frag_const(0);
	}
	char name[256];
	id_text(n, name, sizeof(name));
	if (!g->res->ether || g->res->ether(g->res->opaque, name, mac) <= 0) {
		gen_fail(g, FILTER_ERR_NAME, "unknown Ethernet host '%s' (not in /etc/ethers)",
			 name);
		return frag_const(0);
	}
	return gen_ether_addr(g, mac, dir);
}

static struct frag id_netname(struct gen *g, const struct ast *n, int dir)
{
	char name[256];
	uint32_t net;
	id_text(n, name, sizeof(name));
	if (!g->res->network || g->res->network(g->res->opaque, name, &net) <= 0) {
		gen_fail(g, FILTER_ERR_NAME, "unknown network '%s' (not in /etc/networks)", name);
		return frag_const(0);
	}
	uint32_t mask = 0xffffffffu;
	while (net && !(net & 0xff000000u)) {
		net <<= 8;
		mask <<= 8;
	}
	return gen_host4(g, n->q.proto, dir, net, mask);
}

static int proto_number(struct gen *g, const struct ast *n, uint32_t *v)
{
	if (n->id.kind == TOK_NUM) {
		*v = n->id.num;
		return 0;
	}
	char name[64];
	id_text(n, name, sizeof(name));
	uint8_t p;
	if (n->id.kind == TOK_ID && g->res->protocol &&
	    g->res->protocol(g->res->opaque, name, &p) > 0) {
		*v = p;
		return 0;
	}
	return gen_fail(g, FILTER_ERR_NAME, "unknown protocol '%s' (not in /etc/protocols)", name);
}

/* [ip|ip6] proto N, ether proto N, and protochain. */
static struct frag id_proto(struct gen *g, const struct ast *n, int chain)
{
	uint32_t v = 0;
	enum kw p = n->q.proto;
	if (p == KW_LINK && !chain) {
		if (n->id.kind == TOK_NUM)
			return gen_ether_proto(g, n->id.num);
		uint32_t et;
		if (n->id.kind == TOK_ID && names_ethertype(n->id.text, n->id.textlen, &et))
			return gen_linktype(g, et);
		gen_fail(g, FILTER_ERR_NAME, "unknown link-layer protocol '%.*s'",
			 (int)n->id.textlen, n->id.text);
		return frag_const(0);
	}
	static const struct {
		const char *name;
		uint32_t v;
	} osi[] = {{"clnp", 0x81}, {"esis", 0x82}, {"isis", 0x83}};
	int found = 0;
	for (size_t i = 0; p == KW_ISO && n->id.kind == TOK_ID && i < 3; i++)
		if (n->id.textlen == strlen(osi[i].name) &&
		    memcmp(n->id.text, osi[i].name, n->id.textlen) == 0) {
			v = osi[i].v;
			found = 1;
		}
	if (!found && proto_number(g, n, &v) < 0)
		return frag_const(0);
	if (v > 255) {
		gen_fail(g, FILTER_ERR_RANGE, "protocol %u is out of range (0-255)", v);
		return frag_const(0);
	}
	if (!chain && p == KW_ISO)
		return gen_iso_proto(g, v);
	if (!chain && p == KW_ISIS)
		return gen_isis_proto(g, v);
	if (p != KW_NONE && p != KW_IP && p != KW_IP6) {
		gen_fail(g, FILTER_ERR_SEMANTIC, "'proto' applies to ether, ip, ip6, iso and isis");
		return frag_const(0);
	}
	if (chain)
		return gen_protochain(g, p, v);
	if (p == KW_IP)
		return gen_ip_proto(g, 0, v);
	if (p == KW_IP6)
		return gen_ip_proto(g, 1, v);
	return frag_or(g, gen_ip_proto(g, 0, v), gen_ip_proto(g, 1, v));
}

static struct frag id_host(struct gen *g, const struct ast *n, int dir, int is_net)
{
	if (n->q.proto == KW_DECNET && !is_net)
		return gen_decnet(g, &n->id, dir);
	if (n->q.proto == KW_LINK)
		return is_net ? (gen_fail(g, FILTER_ERR_SEMANTIC, "'ether net' is not valid"),
				 frag_const(0))
			      : id_ether(g, n, dir);
	switch (n->id.kind) {
	case TOK_NUM:
	case TOK_HID: return id_v4(g, n, dir, is_net);
	case TOK_HID6: return id_v6(g, n, dir);
	case TOK_EID:
		gen_fail(g, FILTER_ERR_SEMANTIC, "a MAC address needs 'ether' (ether host %.*s)",
			 (int)n->id.textlen, n->id.text);
		return frag_const(0);
	default: return is_net ? id_netname(g, n, dir) : id_hostname(g, n, dir);
	}
}

/* gateway NAME: to or from NAME's MAC address (/etc/ethers) but not to or
 * from any of its IP addresses: the packet went through NAME. */
static struct frag gen_gateway(struct gen *g, const struct ast *n)
{
	enum kw p = n->q.proto;
	if (g->mpls_depth || g->tunnel) {
		gen_fail(g, FILTER_ERR_SEMANTIC, "'gateway' cannot be used inside %s",
			 g->mpls_depth ? "MPLS" : "VXLAN or Geneve");
		return frag_const(0);
	}
	if (n->id.kind != TOK_ID) {
		gen_fail(g, FILTER_ERR_SEMANTIC,
			 "'gateway' needs a host name (in /etc/ethers and /etc/hosts), not '%.*s'",
			 (int)n->id.textlen, n->id.text);
		return frag_const(0);
	}
	if (p != KW_NONE && p != KW_IP && p != KW_ARP && p != KW_RARP) {
		gen_fail(g, FILTER_ERR_SEMANTIC,
			 "'gateway' takes only ip, arp or rarp as qualifier");
		return frag_const(0);
	}
	struct frag mac = id_ether(g, n, 2);
	char name[256];
	id_text(n, name, sizeof(name));
	struct filter_addr addrs[MAX_ADDRS];
	int cnt = g->failed || !g->res->host ? 0
					     : g->res->host(g->res->opaque, name, addrs, MAX_ADDRS);
	int v4 = 0;
	for (int i = 0; i < cnt; i++)
		v4 += addrs[i].family == 4;
	if (!g->failed && !v4) {
		gen_fail(g, FILTER_ERR_NAME, "gateway '%s' has no IPv4 address", name);
		return frag_const(0);
	}
	/* per protocol: that protocol, and none of the host's addresses in it */
	static const struct {
		enum kw kw;
		uint32_t type, src, dst;
	} protos[] = {{KW_IP, ET_IP, 12, 16}, {KW_ARP, ET_ARP, 14, 24}, {KW_RARP, ET_RARP, 14, 24}};
	struct frag via = frag_const(0);
	for (size_t j = 0; j < sizeof(protos) / sizeof(protos[0]); j++) {
		if (p != KW_NONE && p != protos[j].kw)
			continue;
		struct frag hit = frag_const(0);
		for (int i = 0; i < cnt; i++) {
			if (addrs[i].family != 4)
				continue;
			const uint8_t *b = addrs[i].bytes;
			uint32_t a = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
				     (uint32_t)b[2] << 8 | b[3];
			hit = frag_or(g, hit,
				      frag_or(g, nl_cmp(g, protos[j].src, 4, 0xffffffffu, a),
					      nl_cmp(g, protos[j].dst, 4, 0xffffffffu, a)));
		}
		via = frag_or(g, via, frag_and(g, gen_linktype(g, protos[j].type), frag_not(hit)));
	}
	return frag_and(g, mac, via);
}

struct frag gen_id(struct gen *g, const struct ast *n)
{
	switch (n->q.type) {
	case QT_PORT:
	case QT_PORTRANGE: return gen_port_id(g, n);
	case QT_PROTO: return id_proto(g, n, 0);
	case QT_PROTOCHAIN: return id_proto(g, n, 1);
	case QT_GATEWAY: return gen_gateway(g, n);
	default: break;
	}
	int dir = dir_code(g, n->q.dir);
	if (dir < 0)
		return frag_const(0);
	return id_host(g, n, dir, n->q.type == QT_NET);
}
