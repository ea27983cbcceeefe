/* opt_tree.c - balanced trees for long equality lists; see opt_tree.h. */
#include "ir/opt_tree.h"

#include <stdlib.h>

struct run {
	struct ir_block **blk; /* the run's blocks, in order */
	uint32_t *ks;	       /* their constants, sorted */
	size_t n;
};

static int is_member_test(const struct ir_block *b)
{
	return b->op == IR_JEQ && !b->rhs && !b->stmts && b->lhs;
}

/* The run starting at B (which nothing else but its predecessor enters
 * after the first block). */
static size_t collect(struct run *r, struct ir_block *b, const uint32_t *npred, unsigned char *seen)
{
	const struct ir_val *v = b->lhs;
	struct ir_block *exit = b->succ[1];
	r->n = 0;
	for (;;) {
		r->blk[r->n] = b;
		r->ks[r->n++] = b->k;
		seen[b->id] = 1;
		struct ir_block *next = b->succ[0];
		if (next->op == IR_RET || !is_member_test(next) || next->lhs != v ||
		    next->succ[1] != exit || npred[next->id] != 1 || seen[next->id])
			return r->n;
		b = next;
	}
}

static int by_value(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
	return a < b ? -1 : a > b;
}

/* The tree over KS[0..N) using the blocks LEAF[0..N) as its 'jeq' tests;
 * NULL when out of memory. */
static struct ir_block *build(struct ir *ir, const struct ir_val *v, const uint32_t *ks,
			      struct ir_block **leaf, size_t n, struct ir_block *exit,
			      struct ir_block *cont)
{
	if (n <= TREE_LEAF) {
		struct ir_block *next = cont;
		for (size_t i = n; i-- > 0;) {
			leaf[i]->op = IR_JEQ;
			leaf[i]->lhs = v;
			leaf[i]->k = ks[i];
			leaf[i]->succ[1] = exit;
			leaf[i]->succ[0] = next;
			next = leaf[i];
		}
		return next;
	}
	size_t m = n / 2;
	struct ir_block *node = ir_block_new(ir, IR_JGT, v, NULL, ks[m - 1]);
	if (!node)
		return NULL;
	node->succ[0] = build(ir, v, ks, leaf, m, exit, cont);
	node->succ[1] = build(ir, v, ks + m, leaf + m, n - m, exit, cont);
	return node->succ[0] && node->succ[1] ? node : NULL;
}

/* A shorter run: the sorted constants, where three or more in a row
 * (10.0.0.1 to 10.0.0.4) become one range test, 'jge lo' then 'jgt hi',
 * on R's blocks (the first stays where the edges into the run arrive;
 * the rest are left unreachable).  1 if R changed. */
static int rangeify(struct run *r)
{
	struct ir_block *first = r->blk[0], *exit = first->succ[1];
	struct ir_block *cont = r->blk[r->n - 1]->succ[0];
	const struct ir_val *v = first->lhs;
	size_t used = 0, ranges = 0;
	for (size_t i = 0; i < r->n; i++)
		if (r->blk[i]->walk_key)
			return 0; /* a header walk's annotations stay where they are */
	qsort(r->ks, r->n, sizeof(r->ks[0]), by_value);
	for (size_t i = 0, j; i < r->n; i = j) {
		for (j = i + 1; j < r->n && r->ks[j] - r->ks[j - 1] <= 1; j++)
			;
		ranges += r->ks[j - 1] - r->ks[i] >= 2;
	}
	if (!ranges)
		return 0;
	/* blocks in program order, ranges as two: the last first, so that
	 * each knows its continuation */
	struct ir_block *next = cont;
	size_t need = 0;
	for (size_t i = 0, j; i < r->n; i = j) {
		for (j = i + 1; j < r->n && r->ks[j] - r->ks[j - 1] <= 1; j++)
			;
		need += r->ks[j - 1] - r->ks[i] >= 2 ? 2 : j - i;
	}
	used = need;
	for (size_t j = r->n; j > 0;) {
		size_t i = j - 1;
		while (i > 0 && r->ks[i] - r->ks[i - 1] <= 1)
			i--;
		uint32_t lo = r->ks[i], hi = r->ks[j - 1];
		if (hi - lo >= 2) {
			struct ir_block *ge = r->blk[used - 2], *gt = r->blk[used - 1];
			*ge = (struct ir_block){
				.id = ge->id, .op = IR_JGE, .lhs = v, .k = lo, .succ = {next, gt}};
			*gt = (struct ir_block){.id = gt->id,
						.op = IR_JGT,
						.lhs = v,
						.k = hi,
						.succ = {exit, next}};
			next = ge;
			used -= 2;
		} else {
			for (size_t k = j; k-- > i;) {
				struct ir_block *eq = r->blk[--used];
				*eq = (struct ir_block){.id = eq->id,
							.op = IR_JEQ,
							.lhs = v,
							.k = r->ks[k],
							.succ = {next, exit}};
				next = eq;
			}
		}
		j = i;
	}
	return 1;
}

/* Make R a tree; its first block, where the edges into the run arrive,
 * becomes the root, and a new block takes its place among the leaves. */
static int treeify(struct ir *ir, struct run *r)
{
	struct ir_block *first = r->blk[0], *exit = first->succ[1];
	struct ir_block *cont = r->blk[r->n - 1]->succ[0];
	const struct ir_val *v = first->lhs;
	struct ir_block *fresh = ir_block_new(ir, IR_JEQ, v, NULL, 0);
	if (!fresh)
		return -1;
	r->blk[0] = fresh;
	qsort(r->ks, r->n, sizeof(r->ks[0]), by_value);
	struct ir_block *root = build(ir, v, r->ks, r->blk, r->n, exit, cont);
	if (!root)
		return -1;
	first->op = root->op;
	first->k = root->k;
	first->succ[0] = root->succ[0];
	first->succ[1] = root->succ[1];
	return 1;
}

int opt_trees(struct ir *ir)
{
	size_t nb = ir->nblocks;
	struct ir_block **list = malloc(nb * sizeof(*list));
	uint32_t *npred = calloc(nb, sizeof(*npred));
	unsigned char *seen = calloc(nb, 1);
	struct run r = {malloc(nb * sizeof(*r.blk)), malloc(nb * sizeof(*r.ks)), 0};
	int made = -1;
	if (!list || !npred || !seen || !r.blk || !r.ks)
		goto out;
	size_t n = ir_order(ir, list);
	for (size_t i = 0; i < n; i++)
		for (int s = 0; s < 2 && list[i]->op != IR_RET; s++)
			npred[list[i]->succ[s]->id]++;
	made = 0;
	for (size_t i = 0; i < n && made >= 0; i++) {
		struct ir_block *b = list[i];
		if (b->op == IR_RET || seen[b->id] || !is_member_test(b))
			continue;
		if (collect(&r, b, npred, seen) >= TREE_MIN) {
			int rc = treeify(ir, &r);
			made = rc < 0 ? -1 : made + 1;
		} else if (r.n >= 3) {
			made += rangeify(&r);
		}
	}
out:
	free(list);
	free(npred);
	free(seen);
	free(r.blk);
	free(r.ks);
	return made;
}
