/* gen.c - fragments, the AST walk and the program driver; see gen_priv.h. */
#include "gen_priv.h"
#include "cooked.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int gen_fail(struct gen *g, enum filter_err code, const char *fmt, ...)
{
	if (!g->failed) {
		char msg[sizeof(g->d->d.message)];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		size_t b = g->at ? g->at->begin : 0, e = g->at ? g->at->end : 0;
		diag_set(g->d, code, b, e, "%s", msg);
	}
	g->failed = 1;
	return -1;
}

struct frag frag_const(int value)
{
	struct frag f;
	memset(&f, 0, sizeof(f));
	f.konst = value;
	return f;
}

int exit_add(struct gen *g, struct exits *l, struct ir_block *b, int side)
{
	struct exit *e = arena_alloc(g->ir->a, sizeof(*e));
	if (!e)
		return gen_fail(g, FILTER_ERR_NOMEM, "out of memory");
	e->b = b;
	e->side = side;
	if (l->tail)
		l->tail->next = e;
	else
		l->head = e;
	l->tail = e;
	return 0;
}

static void exits_cat(struct exits *a, struct exits b)
{
	if (!b.head)
		return;
	if (a->tail)
		a->tail->next = b.head;
	else
		a->head = b.head;
	a->tail = b.tail;
}

void exits_patch(struct exits l, struct ir_block *to)
{
	for (struct exit *e = l.head; e; e = e->next)
		e->b->succ[e->side] = to;
}

static struct frag frag_block(struct gen *g, struct ir_block *b)
{
	struct frag f = frag_const(0);
	if (!b || g->failed) {
		if (!b)
			gen_fail(g, FILTER_ERR_NOMEM, "out of memory");
		return f;
	}
	f.entry = b;
	exit_add(g, &f.t, b, 1);
	exit_add(g, &f.f, b, 0);
	return f;
}

const struct ir_val *gen_len(struct gen *g)
{
	const struct ir_val *len = ir_len(g->ir);
	uint32_t hdr = g->opts->cooked_socket ? cooked_header_len(g->opts->dlt) : 0;
	return hdr ? ir_bin(g->ir, IR_ADD, len, ir_const(g->ir, hdr)) : len;
}

struct frag frag_test(struct gen *g, enum ir_test op, const struct ir_val *v, uint32_t k)
{
	if (!v) {
		gen_fail(g, FILTER_ERR_NOMEM, "out of memory");
		return frag_const(0);
	}
	return frag_block(g, ir_block_new(g->ir, op, v, NULL, k));
}

struct frag frag_test_x(struct gen *g, enum ir_test op, const struct ir_val *v,
			const struct ir_val *x)
{
	if (!v || !x) {
		gen_fail(g, FILTER_ERR_NOMEM, "out of memory");
		return frag_const(0);
	}
	if (x->kind == IR_V_CONST)
		return frag_test(g, op, v, x->k);
	return frag_block(g, ir_block_new(g->ir, op, v, x, 0));
}

struct frag frag_and(struct gen *g, struct frag a, struct frag b)
{
	(void)g;
	if (!a.entry)
		return a.konst ? b : a;
	if (!b.entry) {
		if (b.konst)
			return a;
		/* a and false: a's tests still run (they may reject), then false */
		exits_cat(&a.f, a.t);
		a.t.head = a.t.tail = NULL;
		return a;
	}
	exits_patch(a.t, b.entry);
	a.t = b.t;
	exits_cat(&a.f, b.f);
	return a;
}

struct frag frag_or(struct gen *g, struct frag a, struct frag b)
{
	(void)g;
	if (!a.entry)
		return a.konst ? a : b;
	if (!b.entry) {
		if (!b.konst)
			return a;
		exits_cat(&a.t, a.f);
		a.f.head = a.f.tail = NULL;
		return a;
	}
	exits_patch(a.f, b.entry);
	exits_cat(&a.t, b.t);
	a.f = b.f;
	return a;
}

struct frag frag_not(struct frag a)
{
	struct exits t = a.t;
	a.t = a.f;
	a.f = t;
	if (!a.entry)
		a.konst = !a.konst;
	return a;
}

const struct ir_val *load_at(struct gen *g, struct off off, uint32_t k, uint8_t size)
{
	uint64_t at = (uint64_t)off.k + k;
	if (at > UINT32_MAX)
		return ir_fault(g->ir);
	return ir_load(g->ir, size, off.var, (uint32_t)at);
}

struct frag frag_cmp(struct gen *g, struct off off, uint32_t k, uint8_t size, uint32_t mask,
		     uint32_t v)
{
	const struct ir_val *x = load_at(g, off, k, size);
	if (mask != 0xffffffffu)
		x = ir_bin(g->ir, IR_AND, x, ir_const(g->ir, mask));
	return frag_test(g, IR_JEQ, x, v);
}

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
		const struct ast *root, int empty)
{
	struct gen g;
	memset(&g, 0, sizeof(g));
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
