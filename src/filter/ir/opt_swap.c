/* opt_swap.c - tests that trade places; see opt_swap.h. */
#include "ir/opt_swap.h"

#include <stdlib.h>

/* The value every way into each block leaves in A (NULL: none known):
 * a test leaves its left operand there. */
static void entry_values(const struct ir *ir, struct ir_block **list, size_t n,
			 const struct ir_val **in, unsigned char *seen, uint32_t *npred)
{
	for (size_t i = 0; i < n; i++)
		if (list[i]->op != IR_RET)
			for (int s = 0; s < 2; s++) {
				struct ir_block *t = list[i]->succ[s];
				uint32_t id = t->id;
				npred[id]++;
				in[id] = seen[id] && in[id] != list[i]->lhs ? NULL : list[i]->lhs;
				seen[id] = 1;
			}
	in[ir->root->id] = NULL;
	npred[ir->root->id]++;
}

/* B1 whose side X goes to B2, both ending alike on their other sides (the
 * conjunction or disjunction of two tests), B2 testing what B1 is entered
 * with in A: the two tests trade places, so B2's value needs no reload.  B2
 * moves ahead of B1's reads, which is sound because its value was evaluated
 * on every way in; B1's reads move later, which opt.h allows.  Returns
 * whether it swapped. */
static int swap_one(struct ir_block *b1, const struct ir_val *a, const uint32_t *npred,
		    unsigned char *dirty)
{
	if (b1->op == IR_RET || b1->stmts || b1->walk_key || !a || b1->lhs == a ||
	    !ir_read_faults(b1->lhs) || !ir_read_faults(b1->rhs))
		return 0;
	for (int x = 0; x < 2; x++) {
		struct ir_block *b2 = b1->succ[x], *r = b1->succ[!x];
		if (b2->op == IR_RET || b2->stmts || b2->walk_key || b2->rhs || b2->lhs != a ||
		    npred[b2->id] != 1 || b2 == r)
			continue;
		int y = b2->succ[1] == r ? 0 : b2->succ[0] == r ? 1 : -1;
		struct ir_block *s = y < 0 ? NULL : b2->succ[y];
		if (!s || s == r || (s->op != IR_RET && s->lhs == a))
			continue;
		struct ir_block t = *b1;
		b1->op = b2->op, b1->lhs = b2->lhs, b1->rhs = NULL, b1->k = b2->k;
		b1->succ[y] = b2, b1->succ[!y] = r;
		b2->op = t.op, b2->lhs = t.lhs, b2->rhs = t.rhs, b2->k = t.k;
		b2->succ[x] = s, b2->succ[!x] = r;
		dirty[b2->id] = dirty[s->id] = dirty[r->id] = 1; /* entered with another A */
		return 1;
	}
	return 0;
}

/* What both passes start from: the blocks in order, the value each is
 * entered with in A, predecessor counts, and which blocks a rewrite made
 * in this pass has touched. */
struct pass {
	struct ir_block **list;
	const struct ir_val **in;
	unsigned char *seen, *dirty;
	uint32_t *npred;
	size_t n;  /* 0: out of memory */
	size_t nb; /* the arrays' length: the blocks when the pass began */
};

static void pass_free(struct pass *p)
{
	free(p->list);
	free(p->in);
	free(p->seen);
	free(p->dirty);
	free(p->npred);
}

static struct pass pass_start(struct ir *ir)
{
	size_t nb = ir->nblocks;
	struct pass p = {malloc(nb * sizeof(*p.list)),
			 calloc(nb, sizeof(*p.in)),
			 calloc(nb, 1),
			 calloc(nb, 1),
			 calloc(nb, sizeof(*p.npred)),
			 0,
			 nb};
	if (p.list && p.in && p.seen && p.dirty && p.npred)
		p.n = ir_order(ir, p.list);
	if (p.n)
		entry_values(ir, p.list, p.n, p.in, p.seen, p.npred);
	return p;
}

int opt_swaps(struct ir *ir)
{
	struct pass p = pass_start(ir);
	int done = p.n ? 0 : -1;
	for (size_t i = 0; i < p.n; i++)
		if (!p.dirty[p.list[i]->id])
			done += swap_one(p.list[i], p.in[p.list[i]->id], p.npred, p.dirty);
	pass_free(&p);
	return done;
}

enum { HOIST_MAX = 16 };

/* V without a constant mask. */
static const struct ir_val *unmasked(const struct ir_val *v)
{
	return v->kind == IR_V_BIN && v->op == IR_AND && v->b->kind == IR_V_CONST ? v->a : v;
}

/* The end of the bytes that V, an absolute load or one under a constant
 * mask, reads; 0 for anything else. */
static uint64_t abs_end(const struct ir_val *v)
{
	v = unmasked(v);
	if (v->kind != IR_V_LOAD || v->a)
		return 0;
	return (uint64_t)v->k + v->size;
}

static int plain(const struct ir_block *b)
{
	return b->op != IR_RET && !b->stmts && !b->rhs && !b->walk_key && b->lhs &&
	       b->succ[0] != b->succ[1];
}

/* A dispatch: blocks testing one value, P and those entered only from
 * them, and the edges out of it (node, side). */
struct dispatch {
	struct ir_block *node[HOIST_MAX];
	int n, nout;
	struct ir_block *from[2 * HOIST_MAX];
	int side[2 * HOIST_MAX];
};

static int dispatch_collect(struct dispatch *d, struct ir_block *p, const uint32_t *npred,
			    uint32_t nb)
{
	d->n = d->nout = 0;
	d->node[d->n++] = p;
	for (int i = 0; i < d->n; i++)
		for (int s = 0; s < 2; s++) {
			struct ir_block *x = d->node[i]->succ[s];
			if (plain(x) && x->lhs == p->lhs && x->id < nb && npred[x->id] == 1 &&
			    d->n < HOIST_MAX) {
				d->node[d->n++] = x;
				continue;
			}
			d->from[d->nout] = d->node[i];
			d->side[d->nout++] = s;
		}
	return d->nout;
}

/* Is X the test T, leaving to R on SIDE? */
static int same_test(const struct ir_block *x, const struct ir_block *t, int side,
		     const struct ir_block *r)
{
	return plain(x) && x->op == t->op && x->lhs == t->lhs && x->k == t->k && x->succ[side] == r;
}

/* The test every edge out of D reaches unless it goes to *R: its block,
 * with *SIDE its way to *R; NULL if there is none, or only one reaches it. */
static struct ir_block *common_test(const struct dispatch *d, const struct ir_block *p, int *side,
				    struct ir_block **r)
{
	for (int e = 0; e < d->nout; e++) {
		struct ir_block *t = d->from[e]->succ[d->side[e]];
		uint64_t end = plain(t) ? abs_end(t->lhs) : 0;
		if (!end || end > abs_end(p->lhs) || unmasked(t->lhs) == unmasked(p->lhs))
			continue;
		for (*side = 0; *side < 2; ++*side) {
			int tests = 0, ok = 1;
			*r = t->succ[*side];
			for (int f = 0; f < d->nout && ok; f++) {
				struct ir_block *x = d->from[f]->succ[d->side[f]];
				tests += x != *r;
				ok = x == *r || same_test(x, t, *side, *r);
			}
			if (ok && tests >= 2)
				return t;
		}
	}
	return NULL;
}

/* Hoist the common test of P's dispatch ahead of P (opt_swap.h): 1 if
 * done, 0 if not, -1 when out of memory. */
static int hoist_one(struct ir *ir, struct ir_block *p, uint32_t *npred, uint32_t nb,
		     unsigned char *dirty)
{
	struct dispatch d;
	int side;
	struct ir_block *r;
	if (!plain(p) || !abs_end(p->lhs) || !dispatch_collect(&d, p, npred, nb))
		return 0;
	const struct ir_block *t = common_test(&d, p, &side, &r);
	if (!t)
		return 0;
	for (int e = 0; e < d.nout; e++) { /* blocks made in this pass have no counts */
		const struct ir_block *x = d.from[e]->succ[d.side[e]];
		if (x != r && (x->id >= nb || x->succ[!side]->id >= nb))
			return 0;
	}
	struct ir_block *p2 = ir_block_new(ir, p->op, p->lhs, NULL, p->k);
	if (!p2)
		return -1;
	enum ir_test op = t->op;
	const struct ir_val *u = t->lhs;
	uint32_t k = t->k;
	for (int e = 0; e < d.nout; e++) {
		struct ir_block **x = &d.from[e]->succ[d.side[e]];
		if (*x != r) {
			npred[(*x)->id]--;
			*x = (*x)->succ[!side];
			npred[(*x)->id]++;
			dirty[(*x)->id] = 1;
		}
	}
	for (int i = 0; i < d.n; i++)
		dirty[d.node[i]->id] = 1;
	p2->succ[0] = p->succ[0], p2->succ[1] = p->succ[1];
	p->op = op, p->lhs = u, p->k = k;
	p->succ[side] = r, p->succ[!side] = p2;
	return 1;
}

int opt_hoists(struct ir *ir)
{
	struct pass p = pass_start(ir);
	int done = p.n ? 0 : -1;
	for (size_t i = 0; i < p.n && done >= 0; i++) {
		struct ir_block *b = p.list[i];
		if (p.dirty[b->id] || b->op == IR_RET || p.in[b->id] == b->lhs)
			continue;
		int r = hoist_one(ir, b, p.npred, (uint32_t)p.nb, p.dirty);
		done = r < 0 ? -1 : done + r;
	}
	pass_free(&p);
	return done;
}
