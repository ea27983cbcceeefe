/* gen_ip.c - network-layer tests: IP protocols, addresses and networks
 * (numeric and by name), IP broadcast/multicast, fragments, protochain. */
#include "gen_priv.h"

#include <stdio.h>
#include <string.h>

enum { ET_IP = 0x0800, ET_ARP = 0x0806, ET_RARP = 0x8035, ET_IPV6 = 0x86dd, MAX_ADDRS = 64 };

struct off nl_off(struct gen *g)
{
	return g->off_pl;
}

static struct frag nl_cmp(struct gen *g, uint32_t k, uint8_t size, uint32_t mask, uint32_t v)
{
	return frag_cmp(g, nl_off(g), k, size, mask, v);
}

struct frag gen_ip_proto(struct gen *g, int v6, uint32_t proto)
{
	if (!v6)
		return frag_and(g, gen_linktype(g, ET_IP), nl_cmp(g, 9, 1, 0xffffffffu, proto));
	struct frag direct = nl_cmp(g, 6, 1, 0xffffffffu, proto);
	struct frag frag =
		frag_and(g, nl_cmp(g, 6, 1, 0xffffffffu, 44), nl_cmp(g, 40, 1, 0xffffffffu, proto));
	return frag_and(g, gen_linktype(g, ET_IPV6), frag_or(g, direct, frag));
}

/* The fragment test that port and accessor code puts in front: the
 * fragment offset of an IPv4 packet is zero. */
struct frag gen_not_frag_v4(struct gen *g)
{
	return frag_not(frag_test(g, IR_JSET, load_at(g, nl_off(g), 6, 2), 0x1fff));
}

static struct frag addr4_at(struct gen *g, uint32_t ltype, uint32_t off, uint32_t addr,
			    uint32_t mask)
{
	return frag_and(g, gen_linktype(g, ltype), nl_cmp(g, off, 4, mask, addr));
}

/* DIR: 0 src, 1 dst, 2 either, 3 both. */
static struct frag dir_pair(struct gen *g, int dir, uint32_t ltype, uint32_t so, uint32_t dof,
			    uint32_t addr, uint32_t mask)
{
	if (dir == 0)
		return addr4_at(g, ltype, so, addr, mask);
	if (dir == 1)
		return addr4_at(g, ltype, dof, addr, mask);
	struct frag s = addr4_at(g, ltype, so, addr, mask);
	struct frag d = addr4_at(g, ltype, dof, addr, mask);
	return dir == 3 ? frag_and(g, s, d) : frag_or(g, s, d);
}

struct frag gen_host4(struct gen *g, enum kw proto, int dir, uint32_t addr, uint32_t mask)
{
	switch (proto) {
	case KW_NONE:
		return frag_or(g, dir_pair(g, dir, ET_IP, 12, 16, addr, mask),
			       frag_or(g, dir_pair(g, dir, ET_ARP, 14, 24, addr, mask),
				       dir_pair(g, dir, ET_RARP, 14, 24, addr, mask)));
	case KW_IP: return dir_pair(g, dir, ET_IP, 12, 16, addr, mask);
	case KW_ARP: return dir_pair(g, dir, ET_ARP, 14, 24, addr, mask);
	case KW_RARP: return dir_pair(g, dir, ET_RARP, 14, 24, addr, mask);
	case KW_IP6:
		gen_fail(g, FILTER_ERR_SEMANTIC, "'ip6' cannot be applied to an IPv4 address");
		return frag_const(0);
	default:
		gen_fail(g, FILTER_ERR_SEMANTIC,
			 "a host or network qualifier needs ip, ip6, arp or rarp, not this "
			 "protocol");
		return frag_const(0);
	}
}

static struct frag addr6_at(struct gen *g, uint32_t off, const uint8_t *a, const uint8_t *m)
{
	struct frag f = gen_linktype(g, ET_IPV6);
	for (int w = 0; w < 4; w++) {
		uint32_t av = 0, mv = 0;
		for (int i = 0; i < 4; i++) {
			av = av << 8 | a[4 * w + i];
			mv = mv << 8 | m[4 * w + i];
		}
		f = frag_and(g, f, nl_cmp(g, off + 4 * (uint32_t)w, 4, mv, av & mv));
	}
	return f;
}

struct frag gen_host6(struct gen *g, enum kw proto, int dir, const uint8_t *addr,
		      const uint8_t *mask)
{
	if (proto != KW_NONE && proto != KW_IP6) {
		gen_fail(g, FILTER_ERR_SEMANTIC,
			 "an IPv6 address needs the 'ip6' qualifier (or none)");
		return frag_const(0);
	}
	if (dir == 0)
		return addr6_at(g, 8, addr, mask);
	if (dir == 1)
		return addr6_at(g, 24, addr, mask);
	struct frag s = addr6_at(g, 8, addr, mask), d = addr6_at(g, 24, addr, mask);
	return dir == 3 ? frag_and(g, s, d) : frag_or(g, s, d);
}

struct frag gen_ip_bcast(struct gen *g, enum kw proto, int multicast)
{
	if (proto == KW_IP && multicast)
		return frag_and(g, gen_linktype(g, ET_IP),
				frag_test(g, IR_JGE, load_at(g, nl_off(g), 16, 1), 224));
	if (proto == KW_IP6 && multicast)
		return frag_and(g, gen_linktype(g, ET_IPV6), nl_cmp(g, 24, 1, 0xffffffffu, 255));
	if (proto == KW_IP) {
		if (g->opts->netmask == FILTER_NETMASK_UNKNOWN) {
			gen_fail(g, FILTER_ERR_SEMANTIC,
				 "'ip broadcast' needs the network's netmask, which is not known "
				 "here");
			return frag_const(0);
		}
		uint32_t hm = ~g->opts->netmask;
		struct frag z = nl_cmp(g, 16, 4, hm, 0);
		struct frag o = nl_cmp(g, 16, 4, hm, hm);
		return frag_and(g, gen_linktype(g, ET_IP), frag_or(g, z, o));
	}
	gen_fail(g, FILTER_ERR_SEMANTIC,
		 "only ether, ip and ip6 have broadcast or multicast tests"
		 "%s",
		 proto == KW_IP6 && !multicast ? " (IPv6 has no broadcast)" : "");
	return frag_const(0);
}

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
struct frag gen_gateway(struct gen *g, const struct ast *n)
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
