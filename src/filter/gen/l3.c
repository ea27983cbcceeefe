/* l3.c - network-layer tests: IP protocols, addresses and networks, IP
 * broadcast/multicast, fragments; see l3.h. */
#include "gen/l3.h"

#include <string.h>

#include "gen/l2.h"

struct off nl_off(struct gen *g)
{
	return g->off_pl;
}

struct frag nl_cmp(struct gen *g, uint32_t k, uint8_t size, uint32_t mask, uint32_t v)
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
