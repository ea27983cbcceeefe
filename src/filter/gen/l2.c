/* l2.c - link-layer tests: protocol type per link type, MAC addresses,
 * direction, and the encapsulations that move offsets (vlan, mpls, pppoe).
 * Follows libpcap 1.10's gencode for the same link types; see l2.h. */
#include "gen/l2.h"

#include <string.h>

enum {
	SLL_P_802_3 = 1,
	SLL_P_802_2 = 4,
	SKF_AD_OFF = -0x1000,
	SKF_AD_PKTTYPE = 4,
	SKF_AD_IFINDEX = 8,
};

static struct frag type_is(struct gen *g, uint32_t v)
{
	return frag_cmp(g, g->off_type, 0, 2, 0xffffffffu, v);
}

static struct frag pl_is(struct gen *g, uint32_t k, uint8_t size, uint32_t v)
{
	return frag_cmp(g, g->off_pl, k, size, 0xffffffffu, v);
}

/* SNAP header with OUI and type: ld [pl+4] == oui-low/type, ld [pl] == AA AA 03 oui-hi */
static struct frag snap_is(struct gen *g, uint32_t low, uint32_t high)
{
	return frag_and(g, pl_is(g, 4, 4, low), pl_is(g, 0, 4, high));
}

static struct frag ether_linktype(struct gen *g, uint32_t proto)
{
	struct frag is_llc =
		frag_not(frag_test(g, IR_JGT, load_at(g, g->off_type, 0, 2), ETHERMTU));
	switch (proto) {
	case SAP_ISONS: return frag_and(g, is_llc, pl_is(g, 0, 2, 0xfefe));
	case SAP_NETBEUI: return frag_and(g, is_llc, pl_is(g, 0, 2, 0xf0f0));
	case SAP_IPX: {
		struct frag alt =
			frag_or(g, snap_is(g, ET_IPX, 0xaaaa0300),
				frag_or(g, pl_is(g, 0, 1, SAP_IPX), pl_is(g, 0, 2, 0xffff)));
		return frag_or(g, type_is(g, ET_IPX), frag_and(g, is_llc, alt));
	}
	case ET_ATALK:
		return frag_or(g, type_is(g, ET_ATALK),
			       frag_and(g, is_llc, snap_is(g, 0x0007809b, 0xaaaa0308)));
	case ET_AARP:
		return frag_or(g, type_is(g, ET_AARP),
			       frag_and(g, is_llc, snap_is(g, ET_AARP, 0xaaaa0300)));
	default:
		if (proto <= ETHERMTU)
			return frag_and(g, is_llc, pl_is(g, 0, 1, proto));
		return type_is(g, proto);
	}
}

static struct frag sll_linktype(struct gen *g, uint32_t proto)
{
	switch (proto) {
	case SAP_ISONS: return frag_and(g, type_is(g, SLL_P_802_2), pl_is(g, 0, 2, 0xfefe));
	case SAP_NETBEUI: return frag_and(g, type_is(g, SLL_P_802_2), pl_is(g, 0, 2, 0xf0f0));
	case SAP_IPX: {
		struct frag llc = frag_and(
			g, type_is(g, SLL_P_802_2),
			frag_or(g, pl_is(g, 0, 1, SAP_IPX), snap_is(g, ET_IPX, 0xaaaa0300)));
		return frag_or(g, type_is(g, ET_IPX), frag_or(g, type_is(g, SLL_P_802_3), llc));
	}
	case ET_ATALK:
		return frag_or(
			g, type_is(g, ET_ATALK),
			frag_and(g, type_is(g, SLL_P_802_2), snap_is(g, 0x0007809b, 0xaaaa0308)));
	case ET_AARP:
		return frag_or(
			g, type_is(g, ET_AARP),
			frag_and(g, type_is(g, SLL_P_802_2), snap_is(g, ET_AARP, 0xaaaa0300)));
	default:
		if (proto <= ETHERMTU)
			return frag_and(g, type_is(g, SLL_P_802_2), pl_is(g, 0, 1, proto));
		return type_is(g, proto);
	}
}

static struct frag pl_is_version(struct gen *g, uint32_t v)
{
	return frag_cmp(g, g->off_pl, 0, 1, 0xf0, v);
}

static uint32_t ppp_type(uint32_t proto)
{
	switch (proto) {
	case ET_IP: return 0x0021;
	case ET_IPV6: return 0x0057;
	case ET_DN: return 0x0027;
	case ET_ATALK: return 0x0029;
	case ET_IPX:
	case SAP_IPX: return 0x002b;
	case ET_MPLS: return 0x0281;
	case SAP_ISONS: return 0x0023;
	default: return proto;
	}
}

/* NULL (host byte order, SWAP set on little-endian) and LOOP (network order). */
static struct frag family_is(struct gen *g, uint32_t proto, int swap)
{
	uint32_t fam[3] = {10, 0, 0};
	int n = 1;
	if (proto == ET_IP)
		fam[0] = 2;
	else if (proto != ET_IPV6)
		return frag_const(0);
	else if (g->opts->savefile) { /* any BSD's AF_INET6, as libpcap does for files */
		fam[0] = 30, fam[1] = 24, fam[2] = 28;
		n = 3;
	}
	struct frag f = frag_const(0);
	for (int i = 0; i < n; i++) {
		uint32_t v = swap ? __builtin_bswap32(fam[i]) : fam[i];
		f = frag_or(g, f, frag_cmp(g, g->off_type, 0, 4, 0xffffffffu, v));
	}
	return f;
}

/* The test that the link layer carries network protocol PROTO (an
 * EtherType, or an 802.2 SAP for values up to 1500). */
struct frag gen_linktype(struct gen *g, uint32_t proto)
{
	if (g->mpls_depth > 0) {
		if (proto != ET_IP && proto != ET_IPV6) {
			gen_fail(g, FILTER_ERR_SEMANTIC,
				 "only ip and ip6 can be matched inside MPLS");
			return frag_const(0);
		}
		struct off prev = g->off_pl;
		prev.k -= 2; /* the previous label's bottom-of-stack byte */
		struct frag bos = frag_cmp(g, prev, 0, 1, 0x01, 0x01);
		return frag_and(g, bos, pl_is_version(g, proto == ET_IP ? 0x40 : 0x60));
	}
	switch (g->kind) {
	case LINK_ETHER: return ether_linktype(g, proto);
	case LINK_SLL: return sll_linktype(g, proto);
	case LINK_SLL2: return type_is(g, proto);
	case LINK_PPP: return type_is(g, ppp_type(proto));
	case LINK_RAW:
		if (proto == ET_IP || proto == ET_IPV6)
			return pl_is_version(g, proto == ET_IP ? 0x40 : 0x60);
		return frag_const(0);
	case LINK_IPV4: return frag_const(proto == ET_IP);
	case LINK_IPV6: return frag_const(proto == ET_IPV6);
	case LINK_NULL: return family_is(g, proto, __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__);
	case LINK_LOOP: return family_is(g, proto, 0);
	}
	return frag_const(0);
}

static int is_ether(struct gen *g, const char *what)
{
	if (g->kind == LINK_PPP) { /* after pppoes the link layer is PPP, as in libpcap */
		gen_fail(g, FILTER_ERR_SEMANTIC,
			 "%s cannot follow 'pppoes': after it the link layer is PPP, which has "
			 "no Ethernet addresses (test them before 'pppoes')",
			 what);
		return 0;
	}
	if (g->link->kind == LINK_ETHER || g->tunnel) /* an Ethernet header at off_link */
		return 1;
	gen_fail(g, FILTER_ERR_SEMANTIC, "%s needs Ethernet framing; this link type is %s", what,
		 g->link->name);
	return 0;
}

static struct frag mac_is(struct gen *g, uint32_t off, const uint8_t m[6])
{
	struct off o = g->off_link;
	uint32_t lo = (uint32_t)m[2] << 24 | (uint32_t)m[3] << 16 | (uint32_t)m[4] << 8 | m[5];
	return frag_and(g, frag_cmp(g, o, off + 2, 4, 0xffffffffu, lo),
			frag_cmp(g, o, off, 2, 0xffffffffu, (uint32_t)m[0] << 8 | m[1]));
}

/* DIR: 0 src, 1 dst, 2 either, 3 both. */
struct frag gen_ether_addr(struct gen *g, const uint8_t mac[6], int dir)
{
	if (!is_ether(g, "an Ethernet address"))
		return frag_const(0);
	if (dir == 0)
		return mac_is(g, 6, mac);
	if (dir == 1)
		return mac_is(g, 0, mac);
	struct frag s = mac_is(g, 6, mac), d = mac_is(g, 0, mac);
	return dir == 3 ? frag_and(g, s, d) : frag_or(g, s, d);
}

struct frag gen_link_bcast(struct gen *g, int multicast)
{
	if (!is_ether(g, multicast ? "'ether multicast'" : "'ether broadcast'"))
		return frag_const(0);
	struct off o = g->off_link;
	if (multicast)
		return frag_test(g, IR_JSET, load_at(g, o, 0, 1), 1);
	return frag_and(g, frag_cmp(g, o, 2, 4, 0xffffffffu, 0xffffffffu),
			frag_cmp(g, o, 0, 2, 0xffffffffu, 0xffff));
}

struct frag gen_vlan(struct gen *g, const struct ast *n)
{
	if (g->kind == LINK_PPP) {
		gen_fail(g, FILTER_ERR_SEMANTIC,
			 "'vlan' cannot follow 'pppoes' (the payload is PPP)");
		return frag_const(0);
	}
	if (g->kind != LINK_ETHER) {
		gen_fail(g, FILTER_ERR_SEMANTIC, "'vlan' is not supported on link type %s",
			 g->link->name);
		return frag_const(0);
	}
	if (g->mpls_depth > 0) {
		gen_fail(g, FILTER_ERR_SEMANTIC, "'vlan' cannot follow 'mpls' in an expression");
		return frag_const(0);
	}
	if (n->has_num && n->num > 4095) {
		gen_fail(g, FILTER_ERR_RANGE, "VLAN ID %u is out of range (0-4095)", n->num);
		return frag_const(0);
	}
	if (g->opts->vlan == FILTER_VLAN_LIVE && !g->vlan_seen)
		return gen_vlan_live(g, n);
	struct frag f =
		frag_or(g, type_is(g, 0x8100), frag_or(g, type_is(g, 0x88a8), type_is(g, 0x9100)));
	if (n->has_num)
		f = frag_and(g, f, frag_cmp(g, g->off_pl, 0, 2, 0x0fff, n->num));
	g->off_type.k += 4;
	g->off_pl.k += 4;
	g->vlan_seen = 1;
	return f;
}

enum { SKF_AD_VLAN_TAG = 44, SKF_AD_VLAN_TAG_PRESENT = 48 };

/* The outermost 'vlan' on a Linux socket, as libpcap compiles it there: the
 * kernel may have moved the tag into metadata (then the frame has no tag
 * and offsets stay), or left it inline (offsets grow by 4).  The offset
 * lives in a scratch slot so later primitives see what this one found. */
struct frag gen_vlan_live(struct gen *g, const struct ast *n)
{
	struct ir *ir = g->ir;
	if (g->vlan_slot < 0 && (g->vlan_slot = ir_slot_alloc(ir, 1)) < 0) {
		gen_fail(g, FILTER_ERR_LIMIT, "too many scratch slots in use");
		return frag_const(0);
	}
	const struct ir_val *m = ir_mem(ir, (uint32_t)g->vlan_slot);
	const struct ir_val *present = ir_anc(ir, 1, SKF_AD_VLAN_TAG_PRESENT);
	struct frag meta = frag_test(g, IR_JEQ, present, 1);
	struct ir_block *grow = ir_block_stores(ir);
	if (!grow || ir_block_store(ir, grow, (uint32_t)g->vlan_slot,
				    ir_bin(ir, IR_ADD, m, ir_const(ir, 4))) < 0) {
		gen_fail(g, FILTER_ERR_NOMEM, "out of memory");
		return frag_const(0);
	}
	struct frag inl = frag_const(1);
	inl.entry = grow;
	exit_add(g, &inl.t, grow, 1);
	inl = frag_and(
		g, inl,
		frag_or(g, type_is(g, 0x8100), frag_or(g, type_is(g, 0x88a8), type_is(g, 0x9100))));
	struct frag f = frag_or(g, meta, inl);
	if (n->has_num) {
		struct frag by_meta =
			frag_and(g, frag_test(g, IR_JEQ, present, 1),
				 frag_test(g, IR_JEQ,
					   ir_bin(ir, IR_AND, ir_anc(ir, 1, SKF_AD_VLAN_TAG),
						  ir_const(ir, 0x0fff)),
					   n->num));
		struct frag by_tag = frag_and(g, frag_not(frag_test(g, IR_JEQ, present, 1)),
					      frag_cmp(g, g->off_pl, 0, 2, 0x0fff, n->num));
		f = frag_and(g, f, frag_or(g, by_meta, by_tag));
	}
	g->off_type = (struct off){g->off_type.k, m};
	g->off_pl = (struct off){g->off_pl.k, m};
	g->vlan_seen = 1;
	return f;
}

struct frag gen_mpls(struct gen *g, const struct ast *n)
{
	if (g->kind != LINK_ETHER && g->kind != LINK_PPP) {
		gen_fail(g, FILTER_ERR_SEMANTIC, "'mpls' is not supported on link type %s",
			 g->link->name);
		return frag_const(0);
	}
	if (n->has_num && n->num > 1048575) {
		gen_fail(g, FILTER_ERR_RANGE, "MPLS label %u is out of range (0-1048575)", n->num);
		return frag_const(0);
	}
	struct frag f;
	if (g->mpls_depth == 0) {
		f = g->kind == LINK_PPP ? type_is(g, ppp_type(ET_MPLS)) : type_is(g, ET_MPLS);
	} else {
		struct off prev = g->off_pl;
		prev.k -= 2;
		f = frag_cmp(g, prev, 0, 1, 0x01, 0);
	}
	if (n->has_num)
		f = frag_and(g, f, frag_cmp(g, g->off_pl, 0, 4, 0xfffff000u, n->num << 12));
	g->off_pl.k += 4;
	g->mpls_depth++;
	return f;
}

struct frag gen_pppoes(struct gen *g, const struct ast *n)
{
	if (n->has_num && n->num > 65535) {
		gen_fail(g, FILTER_ERR_RANGE, "PPPoE session ID %u is out of range (0-65535)",
			 n->num);
		return frag_const(0);
	}
	struct frag f = gen_linktype(g, ET_PPPOES);
	if (n->has_num)
		f = frag_and(g, f, frag_cmp(g, g->off_pl, 0, 4, 0xffff, n->num));
	g->kind = LINK_PPP;
	g->off_type = g->off_pl;
	g->off_type.k += 6;
	g->off_pl.k += 8;
	return f;
}

/* The ancillary loads exist only on a Linux socket: a file has no direction
 * or interface (libpcap master refuses them there too). */
static int need_live(struct gen *g, const char *what)
{
	if (g->opts->vlan == FILTER_VLAN_LIVE)
		return 1;
	gen_fail(g, FILTER_ERR_SEMANTIC,
		 "%s needs a live capture on link type %s (the packets carry no such field)", what,
		 g->link->name);
	return 0;
}

struct frag gen_direction(struct gen *g, int outbound)
{
	struct frag f;
	if (g->link->kind != LINK_SLL && g->link->kind != LINK_SLL2 &&
	    !need_live(g, outbound ? "'outbound'" : "'inbound'"))
		return frag_const(0);
	if (g->link->kind == LINK_SLL)
		f = frag_cmp(g, (struct off){0, NULL}, 0, 2, 0xffffffffu, 4);
	else if (g->link->kind == LINK_SLL2)
		f = frag_cmp(g, (struct off){0, NULL}, 10, 1, 0xffffffffu, 4);
	else
		f = frag_test(g, IR_JEQ, ir_anc(g->ir, 2, SKF_AD_PKTTYPE), 4);
	return outbound ? f : frag_not(f);
}

struct frag gen_ifindex(struct gen *g, uint32_t idx)
{
	if (g->link->kind == LINK_SLL2)
		return frag_cmp(g, (struct off){0, NULL}, 4, 4, 0xffffffffu, idx);
	if (!need_live(g, "'ifindex'"))
		return frag_const(0);
	return frag_test(g, IR_JEQ, ir_anc(g->ir, 4, SKF_AD_IFINDEX), idx);
}

static const struct {
	const char *name;
	uint8_t mask, value;
} llc_sub[] = {
	{"rr", 0x0f, 0x01},   {"rnr", 0x0f, 0x05},  {"rej", 0x0f, 0x09},  {"ui", 0xef, 0x03},
	{"ua", 0xef, 0x63},   {"disc", 0xef, 0x43}, {"dm", 0xef, 0x0f},	  {"sabme", 0xef, 0x6f},
	{"test", 0xef, 0xe3}, {"xid", 0xef, 0xaf},  {"frmr", 0xef, 0x87},
};

struct frag gen_llc_prim(struct gen *g, const struct ast *n)
{
	if (g->kind != LINK_ETHER) {
		gen_fail(g, FILTER_ERR_SEMANTIC, "'llc' is not supported on link type %s",
			 g->link->name);
		return frag_const(0);
	}
	struct frag llc =
		frag_and(g, frag_not(frag_test(g, IR_JGT, load_at(g, g->off_type, 0, 2), ETHERMTU)),
			 frag_not(pl_is(g, 0, 2, 0xffff)));
	if (n->id.kind == TOK_EOF)
		return llc;
	char name[16] = "";
	size_t len = n->id.textlen < sizeof(name) - 1 ? n->id.textlen : sizeof(name) - 1;
	for (size_t i = 0; i < len; i++)
		name[i] = (char)(n->id.text[i] | 0x20);
	const struct ir_val *ctl = load_at(g, g->off_pl, 2, 1);
	if (strcmp(name, "i") == 0)
		return frag_and(g, llc, frag_not(frag_test(g, IR_JSET, ctl, 1)));
	if (strcmp(name, "s") == 0 || strcmp(name, "u") == 0)
		return frag_and(g, llc, frag_cmp(g, g->off_pl, 2, 1, 3, name[0] == 's' ? 1 : 3));
	for (size_t i = 0; i < sizeof(llc_sub) / sizeof(llc_sub[0]); i++)
		if (n->id.textlen == strlen(llc_sub[i].name) && strcmp(name, llc_sub[i].name) == 0)
			return frag_and(
				g, llc,
				frag_cmp(g, g->off_pl, 2, 1, llc_sub[i].mask, llc_sub[i].value));
	gen_fail(g, FILTER_ERR_NAME,
		 "unknown LLC frame type '%.*s' (i, s, u, rr, rnr, rej, "
		 "ui, ua, disc, dm, sabme, test, xid, frmr)",
		 (int)n->id.textlen, n->id.text);
	return frag_const(0);
}

struct frag gen_ether_proto(struct gen *g, uint32_t v)
{
	if (v > 0xffff) {
		gen_fail(g, FILTER_ERR_RANGE, "link-layer protocol %u is out of range (0-65535)",
			 v);
		return frag_const(0);
	}
	if (v > 255 && v <= ETHERMTU) {
		gen_fail(g, FILTER_ERR_RANGE,
			 "link-layer protocol %u is neither an LLC SAP (0-255) nor an EtherType "
			 "(above 1500)",
			 v);
		return frag_const(0);
	}
	return gen_linktype(g, v);
}
