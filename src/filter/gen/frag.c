/* frag.c - fragments and loads, the generator's base; see frag.h. */
#include "gen/frag.h"

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
	uint32_t hdr = g->opts->cooked_socket ? link_cooked_len(g->link) : 0;
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
