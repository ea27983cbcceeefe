/* tunnel.c - primitives whose offsets depend on the packet: protochain
 * (a walk along the IPv4/IPv6 header chain) and geneve (the inner frame).
 *
 * Both keep run-time state in scratch words (IR_V_MEM): libpcap does the
 * same, but walks protochain with a backward jump that the kernel refuses.
 * Here the walk is unrolled PROTOCHAIN_STEPS_V6/_V4 times at most (fewer for
 * a small snap length only), so the program only jumps forward and can run
 * in the kernel; a chain with more extension headers than that does not
 * match (libpcap's loop would go on).  The bound is the same for every
 * expression: one that does not fit with it is refused (ctx.c). */
#include "gen/tunnel.h"

#include "gen/l2.h"
#include "gen/l3.h"

enum {
	P_UDP = 17,
	P_AH = 51,
	GENEVE_PORT = 6081,
	ET_TEB = 0x6558,
};

/* The slot *SLOT, claimed on first use.  ZERO: later primitives read it,
 * also on paths where no tunnel matched. */
static int claim(struct gen *g, int *slot, int zero)
{
	if (*slot >= 0 || (*slot = ir_slot_alloc(g->ir, zero)) >= 0)
		return 0;
	return gen_fail(g, FILTER_ERR_LIMIT, "too many scratch slots in use");
}

static struct ir_block *store_block(struct gen *g)
{
	struct ir_block *b = ir_block_stores(g->ir);
	if (!b)
		gen_fail(g, FILTER_ERR_NOMEM, "out of memory");
	return b;
}

static struct ir_block *test_block(struct gen *g, const struct ir_val *v, uint32_t k)
{
	struct ir_block *b = ir_block_new(g->ir, IR_JEQ, v, NULL, k);
	if (!b)
		gen_fail(g, FILTER_ERR_NOMEM, "out of memory");
	return b;
}

/* The block that advances the walk past one header: next protocol from
 * byte 0, length from byte 1, in units of UNIT plus BIAS. */
static struct ir_block *advance(struct gen *g, int sn, int so, uint32_t nl, uint32_t bias,
				uint32_t shift)
{
	struct ir *ir = g->ir;
	struct ir_block *b = store_block(g);
	if (!b)
		return NULL;
	const struct ir_val *o = ir_mem(ir, (uint32_t)so);
	const struct ir_val *len = ir_load(ir, 1, o, nl + 1);
	const struct ir_val *step = ir_bin(ir, IR_LSH, ir_bin(ir, IR_ADD, len, ir_const(ir, bias)),
					   ir_const(ir, shift));
	if (ir_block_store(ir, b, (uint32_t)sn, ir_load(ir, 1, o, nl)) < 0 ||
	    ir_block_store(ir, b, (uint32_t)so, ir_bin(ir, IR_ADD, o, step)) < 0)
		gen_fail(g, FILTER_ERR_NOMEM, "out of memory");
	return b;
}

/* How many headers a walk follows: PROTOCHAIN_STEPS_V6/_V4, or fewer when
 * no packet of the snap length can hold more (every header the walk skips
 * is at least 8 bytes long, and a step reads its first two bytes). */
static int protochain_steps(struct gen *g, int v6)
{
	uint32_t need = nl_off(g).k + (v6 ? 40u : 20u) + 2, snap = g->opts->snaplen;
	uint32_t max = v6 ? PROTOCHAIN_STEPS_V6 : PROTOCHAIN_STEPS_V4;
	uint32_t fit = snap < need ? 0 : (snap - need) / 8 + 1;
	int steps = (int)(max < 1 ? 1 : snap && fit < max ? fit : max);
	g->walks->steps_v6 = PROTOCHAIN_STEPS_V6;
	return steps;
}

/* Whether the walk goes on past next-header value P: the extension headers
 * it skips (AH in both families, the IPv6 ones in IPv6). */
static int walk_skips(int v6, uint32_t p)
{
	return p == P_AH || (v6 && (p == 0 || p == 60 || p == 43 || p == 44));
}

/* One family's walk; V6 selects the IPv6 header set.  Each step advances
 * past one header while the next-header value is one the walk skips; the
 * first other value ends the walk, and the verdict is whether it is PROTO.
 * When PROTO is itself a skipped header, each step first tests for it (as
 * libpcap's loop does, so the walk stops there); otherwise the walk does
 * not depend on PROTO, and its first block and its verdict carry a key so
 * that the optimizer can share one walk between terms (ir/opt_walk.h).
 * Every jump is short and forward. */
static struct frag chain(struct gen *g, int v6, uint32_t proto, int sn, int so)
{
	static const uint8_t ext6[] = {0, 60, 43, 44}; /* hop-by-hop, dest, routing, fragment */
	struct ir *ir = g->ir;
	struct off nl = nl_off(g);
	struct frag f = frag_const(0);
	const struct ir_val *nh = ir_mem(ir, (uint32_t)sn);
	struct ir_block *init = store_block(g), *verdict = test_block(g, nh, proto);
	if (!init || !verdict ||
	    ir_block_store(ir, init, (uint32_t)sn, load_at(g, nl, v6 ? 6 : 9, 1)) < 0 ||
	    ir_block_store(ir, init, (uint32_t)so, v6 ? ir_const(ir, 40) : ir_msh(ir, nl.k)) < 0)
		return gen_fail(g, FILTER_ERR_NOMEM, "out of memory"), f;
	int early = walk_skips(v6, proto);
	struct ir_block *prev = init; /* its succ[1] leads to the next step */
	int steps = protochain_steps(g, v6);
	for (int step = 0; step < steps && !g->failed; step++) {
		struct ir_block *first = early ? test_block(g, nh, proto) : NULL;
		struct ir_block *ah = test_block(g, nh, P_AH), *next = store_block(g);
		struct ir_block *adv = advance(g, sn, so, nl.k, 2, 2);
		struct ir_block *ext = v6 ? advance(g, sn, so, nl.k, 1, 3) : NULL;
		if ((early && !first) || !next || !ah || !adv || (v6 && !ext))
			return f;
		struct ir_block *last = first;
		if (first)
			first->succ[1] = verdict;
		for (size_t i = 0; v6 && i < sizeof(ext6); i++) {
			struct ir_block *t = test_block(g, nh, ext6[i]);
			if (!t)
				return f;
			if (last)
				last->succ[0] = t;
			else
				first = t;
			t->succ[1] = ext;
			last = t;
		}
		if (last)
			last->succ[0] = ah;
		else
			first = ah;
		prev->succ[1] = first;
		ah->succ[1] = adv;
		ah->succ[0] = verdict;
		adv->succ[1] = next;
		if (ext)
			ext->succ[1] = next;
		prev = next;
	}
	prev->succ[1] = verdict;
	if (!early) {
		init->walk_key = verdict->walk_key = (uint32_t)(v6 ? 2 : 1) | nl.k << 2;
		init->walk_exit = verdict;
	}
	f.entry = init;
	exit_add(g, &f.t, verdict, 1);
	exit_add(g, &f.f, verdict, 0);
	return f;
}

struct frag gen_protochain(struct gen *g, enum kw proto, uint32_t v)
{
	if (nl_off(g).var) {
		gen_fail(g, FILTER_ERR_SEMANTIC, "'protochain' cannot follow 'vxlan' or 'geneve'");
		return frag_const(0);
	}
	/* each walk starts by storing both, so walks can share them */
	if (claim(g, &g->pc_nh, 0) < 0 || claim(g, &g->pc_off, 0) < 0)
		return frag_const(0);
	int sn = g->pc_nh, so = g->pc_off;
	struct frag f = frag_const(0);
	if (proto == KW_NONE || proto == KW_IP)
		f = frag_and(g, gen_linktype(g, ET_IP), chain(g, 0, v, sn, so));
	if (proto == KW_NONE || proto == KW_IP6)
		f = frag_or(g, f, frag_and(g, gen_linktype(g, ET_IPV6), chain(g, 1, v, sn, so)));
	return f;
}

/* The checks for a UDP tunnel header (Geneve, VXLAN) over one IP version,
 * ending in a block that stores the IP header length in slot SH. */
struct udp_tunnel {
	uint32_t port;
	uint8_t flags_mask, flags;
};

static struct frag udp_tunnel_family(struct gen *g, int v6, const struct ast *n, int sh,
				     const struct udp_tunnel *tu)
{
	struct ir *ir = g->ir;
	struct off nl = nl_off(g);
	const struct ir_val *hl = v6 ? ir_const(ir, 40) : ir_msh(ir, nl.k);
	if (!v6 && nl.var) /* inside another tunnel: no ldxb at a variable offset */
		hl = ir_bin(ir, IR_LSH, ir_bin(ir, IR_AND, load_at(g, nl, 0, 1), ir_const(ir, 15)),
			    ir_const(ir, 2));
	const struct ir_val *idx = nl.var ? ir_bin(ir, IR_ADD, nl.var, hl) : hl;
	struct frag f = gen_linktype(g, v6 ? ET_IPV6 : ET_IP);
	f = frag_and(g, f, frag_cmp(g, nl, v6 ? 6 : 9, 1, 0xffffffffu, P_UDP));
	if (!v6)
		f = frag_and(g, f, gen_not_frag_v4(g));
	f = frag_and(g, f, frag_test(g, IR_JEQ, ir_load(ir, 2, idx, nl.k + 2), tu->port));
	f = frag_and(g, f,
		     frag_test(g, IR_JEQ,
			       ir_bin(ir, IR_AND, ir_load(ir, 1, idx, nl.k + 8),
				      ir_const(ir, tu->flags_mask)),
			       tu->flags));
	if (n->has_num)
		f = frag_and(g, f,
			     frag_test(g, IR_JEQ,
				       ir_bin(ir, IR_AND, ir_load(ir, 4, idx, nl.k + 12),
					      ir_const(ir, 0xffffff00u)),
				       n->num << 8));
	struct ir_block *b = store_block(g);
	if (!b || ir_block_store(ir, b, (uint32_t)sh, hl) < 0)
		return gen_fail(g, FILTER_ERR_NOMEM, "out of memory"), f;
	struct frag s = frag_const(1);
	s.entry = b;
	exit_add(g, &s.t, b, 1);
	return frag_and(g, f, s);
}

static struct frag udp_tunnel(struct gen *g, const struct ast *n, int sh,
			      const struct udp_tunnel *tu)
{
	const char *name = n->kind == AST_VXLAN ? "VXLAN" : "Geneve";
	if (n->has_num && n->num > 0xffffff) {
		gen_fail(g, FILTER_ERR_RANGE, "%s VNI %u is out of range (0-16777215)", name,
			 n->num);
		return frag_const(0);
	}
	if (g->mpls_depth || g->kind == LINK_PPP) {
		gen_fail(g, FILTER_ERR_SEMANTIC, "%s cannot follow mpls or pppoes here", name);
		return frag_const(0);
	}
	return frag_or(g, udp_tunnel_family(g, 0, n, sh, tu), udp_tunnel_family(g, 1, n, sh, tu));
}

static int claim_tunnel(struct gen *g)
{
	return claim(g, &g->tun_hl, 0) < 0 || claim(g, &g->tun_link, 1) < 0 ||
			       claim(g, &g->tun_type, 1) < 0 || claim(g, &g->tun_pl, 1) < 0
		       ? -1
		       : 0;
}

/* Where the UDP payload starts, from the IP header length just stored. */
static const struct ir_val *udp_payload(struct gen *g)
{
	struct ir *ir = g->ir;
	const struct ir_val *v =
		ir_bin(ir, IR_ADD, ir_mem(ir, (uint32_t)g->tun_hl), ir_const(ir, g->off_pl.k + 8));
	return g->off_pl.var ? ir_bin(ir, IR_ADD, v, g->off_pl.var) : v;
}

/* A block of stores, done in order: each value reads the slots as the
 * stores before it in the block left them. */
static struct ir_block *stores(struct gen *g, int n, const int *slot, const struct ir_val *const *v)
{
	struct ir_block *b = store_block(g);
	for (int i = 0; b && i < n; i++)
		if (ir_block_store(g->ir, b, (uint32_t)slot[i], v[i]) < 0)
			b = NULL;
	if (!b)
		gen_fail(g, FILTER_ERR_NOMEM, "out of memory");
	return b;
}

/* vxlan [VNI]: UDP port 4789, the I flag alone, then always an inner
 * Ethernet frame 8 bytes on: one slot holds where it starts. */
struct frag gen_vxlan(struct gen *g, const struct ast *n)
{
	static const struct udp_tunnel vx = {4789, 0xff, 0x08};
	struct ir *ir = g->ir;
	if (claim_tunnel(g) < 0)
		return frag_const(0);
	struct frag f = udp_tunnel(g, n, g->tun_hl, &vx);
	const struct ir_val *e = ir_bin(ir, IR_ADD, udp_payload(g), ir_const(ir, 8));
	struct ir_block *b = stores(g, 1, &g->tun_link, &e);
	if (!b)
		return frag_const(0);
	struct frag tail = frag_const(1);
	tail.entry = b;
	exit_add(g, &tail.t, b, 1);
	const struct ir_val *inner = ir_mem(ir, (uint32_t)g->tun_link);
	g->off_link = (struct off){0, inner};
	g->off_type = (struct off){12, inner};
	g->off_pl = (struct off){14, inner};
	g->kind = LINK_ETHER;
	g->tunnel = 1;
	return frag_and(g, f, tail);
}

/* geneve [VNI]: afterwards the link type is read from the Geneve protocol
 * field, or from the inner Ethernet header when that field says 0x6558,
 * and the payload offset moves to the inner frame. */
struct frag gen_geneve(struct gen *g, const struct ast *n)
{
	struct ir *ir = g->ir;
	static const struct udp_tunnel gv = {GENEVE_PORT, 0xc0, 0};
	if (claim_tunnel(g) < 0)
		return frag_const(0);
	struct frag f = udp_tunnel(g, n, g->tun_hl, &gv);
	/* first GH (the Geneve header) and P (its payload) from the outer
	 * offsets; from then on only they are read */
	const struct ir_val *gh = ir_mem(ir, (uint32_t)g->tun_hl);
	const struct ir_val *p = ir_mem(ir, (uint32_t)g->tun_link);
	const struct ir_val *optlen = ir_bin(ir, IR_AND, ir_load(ir, 1, gh, 0), ir_const(ir, 0x3f));
	const int s1[] = {g->tun_hl, g->tun_link};
	const struct ir_val *v1[] = {udp_payload(g),
				     ir_bin(ir, IR_ADD, ir_bin(ir, IR_ADD, gh, ir_const(ir, 8)),
					    ir_bin(ir, IR_LSH, optlen, ir_const(ir, 2)))};
	const int s2[] = {g->tun_type, g->tun_pl};
	const struct ir_val *eth_v[] = {ir_bin(ir, IR_ADD, p, ir_const(ir, 12)),
					ir_bin(ir, IR_ADD, p, ir_const(ir, 14))};
	const struct ir_val *other_v[] = {ir_bin(ir, IR_ADD, gh, ir_const(ir, 2)), p};
	struct ir_block *hdr = stores(g, 2, s1, v1);
	struct ir_block *is_eth = test_block(g, ir_load(ir, 2, gh, 2), ET_TEB);
	struct ir_block *eth = stores(g, 2, s2, eth_v), *other = stores(g, 2, s2, other_v);
	if (!hdr || !is_eth || !eth || !other)
		return frag_const(0);
	hdr->succ[1] = is_eth;
	is_eth->succ[1] = eth;
	is_eth->succ[0] = other;
	struct frag tail = frag_const(1);
	tail.entry = hdr;
	exit_add(g, &tail.t, eth, 1);
	exit_add(g, &tail.t, other, 1);
	g->off_link = (struct off){0, p};
	g->off_type = (struct off){0, ir_mem(ir, (uint32_t)g->tun_type)};
	g->off_pl = (struct off){0, ir_mem(ir, (uint32_t)g->tun_pl)};
	g->kind = LINK_ETHER;
	g->tunnel = 1;
	return frag_and(g, f, tail);
}
