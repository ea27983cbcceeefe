/* gen.c - the AST walk and the program driver: every node kind to the
 * family that lowers it.  The only file in gen/ that sees all of them. */
#include "gen/gen.h"

#include "gen/arith.h"
#include "gen/id.h"
#include "gen/l2.h"
#include "gen/l3.h"
#include "gen/proto.h"

#include <string.h>

static struct frag lower(struct gen *g, const struct ast *n);

/* and/or chains are walked along their left spine without recursion, so a
 * list of thousands of terms costs no stack. */
static struct frag lower_chain(struct gen *g, const struct ast *n)
{
	size_t depth = 0;
	for (const struct ast *c = n; c->kind == AST_AND || c->kind == AST_OR; c = c->l)
		depth++;
	const struct ast **spine = arena_alloc(g->ir->a, depth * sizeof(*spine));
	if (!spine) {
		gen_fail(g, FILTER_ERR_NOMEM, "out of memory");
		return frag_const(0);
	}
	const struct ast *c = n;
	for (size_t i = depth; i-- > 0; c = c->l)
		spine[i] = c;
	struct frag acc = lower(g, c);
	for (size_t i = 0; i < depth && !g->failed; i++) {
		struct frag r = lower(g, spine[i]->r);
		acc = spine[i]->kind == AST_AND ? frag_and(g, acc, r) : frag_or(g, acc, r);
	}
	return acc;
}

struct frag lower(struct gen *g, const struct ast *n)
{
	if (g->failed)
		return frag_const(0);
	const struct ast *saved = g->at;
	g->at = n;
	struct frag f;
	switch (n->kind) {
	case AST_AND:
	case AST_OR: f = lower_chain(g, n); break;
	case AST_NOT: f = frag_not(lower(g, n->l)); break;
	case AST_ID: f = gen_id(g, n); break;
	case AST_PROTO: f = gen_proto_kw(g, n->proto); break;
	case AST_BCAST:
	case AST_MCAST:
		if (n->proto == KW_NONE || n->proto == KW_LINK)
			f = gen_link_bcast(g, n->kind == AST_MCAST);
		else
			f = gen_ip_bcast(g, n->proto, n->kind == AST_MCAST);
		break;
	case AST_LESS: f = frag_not(frag_test(g, IR_JGT, gen_len(g), n->num)); break;
	case AST_GREATER: f = frag_test(g, IR_JGE, gen_len(g), n->num); break;
	case AST_BYTE: f = gen_byte(g, n); break;
	case AST_INBOUND:
	case AST_OUTBOUND: f = gen_direction(g, n->kind == AST_OUTBOUND); break;
	case AST_IFINDEX: f = gen_ifindex(g, n->num); break;
	case AST_VLAN:
	case AST_MPLS:
	case AST_PPPOED:
	case AST_PPPOES:
	case AST_GENEVE:
	case AST_VXLAN: f = gen_encap(g, n); break;
	case AST_LLC: f = gen_llc_prim(g, n); break;
	case AST_REL: f = gen_rel(g, n); break;
	default:
		gen_fail(g, FILTER_ERR_SYNTAX, "an arithmetic expression needs a comparison");
		f = frag_const(0);
	}
	g->at = saved;
	return f;
}

int gen_program(struct ir *ir, struct diag_sink *d, const struct filter_options *opts,
		const struct ast *root, int empty, struct gen_walks *w)
{
	struct gen g;
	struct gen_walks none = {0};
	memset(&g, 0, sizeof(g));
	g.walks = w ? w : &none;
	g.walks->steps_v6 = 0;
	g.ir = ir;
	g.d = d;
	g.opts = opts;
	g.res = opts->resolver ? opts->resolver : filter_system_resolver();
	g.link = link_find(opts->dlt);
	if (!g.link)
		return diag_set(d, FILTER_ERR_SEMANTIC, 0, 0, "link type %d is not supported",
				opts->dlt);
	g.kind = g.link->kind;
	g.vlan_slot = g.tun_link = g.tun_type = g.tun_pl = g.tun_hl = g.pc_nh = g.pc_off = -1;
	g.off_type.k = g.link->off_type;
	g.off_pl.k = g.link->off_pl;
	if (empty) {
		ir->root = ir->accept;
		return 0;
	}
	struct frag f = lower(&g, root);
	if (g.failed)
		return -1;
	if (!f.entry) {
		ir->root = f.konst ? ir->accept : ir->reject;
		return 0;
	}
	exits_patch(f.t, ir->accept);
	exits_patch(f.f, ir->reject);
	ir->root = f.entry;
	/* Scratch slots start at 0: a primitive after a tunnel or a live vlan
	 * may read offsets on paths where nothing stored them, and the kernel
	 * refuses a program that loads a slot before storing it. */
	if (ir->zero_slots) {
		struct ir_block *pro = ir_block_stores(ir);
		for (uint32_t s = 0; pro && s < ir->nslots; s++)
			if ((ir->zero_slots & (1u << s)) &&
			    ir_block_store(ir, pro, s, ir_const(ir, 0)) < 0)
				pro = NULL;
		if (!pro)
			return diag_set(d, FILTER_ERR_NOMEM, 0, 0, "out of memory");
		pro->succ[1] = ir->root;
		ir->root = pro;
	}
	return 0;
}
