/* opt_chain.c - grouping the tests of a chain by value; see opt_chain.h.
 *
 * The blocks of a chain stay where they are (so do the edges into the
 * first one); their tests move between them, each with the side that leaves
 * to the common exit. */
#include "ir/opt_chain.h"

#include <stdlib.h>
#include <string.h>

/* How far the packet is known to extend: bytes [0, abs) and, past the IPv4
 * header whose length is at MSH_K, [0, msh) from it. */
struct bounds {
	uint64_t abs, msh;
	uint32_t msh_k;
	int has_msh;
};

/* MAX_TRIES bounds the orders tried on one chain (check_order()). */
enum { SAFE_DEPTH = 16, MAX_TRIES = 8 };

/* Can evaluating V reject the packet, given B?  (1: it cannot.) */
static int safe(const struct bounds *b, const struct ir_val *v, int depth)
{
	if (!v->may_fault)
		return !v->uses_mem;
	if (depth > SAFE_DEPTH || v->uses_mem)
		return 0;
	switch (v->kind) {
	case IR_V_MSH: return v->k + 1ull <= b->abs;
	case IR_V_LOAD:
		if (!v->a)
			return v->k + (uint64_t)v->size <= b->abs;
		return v->a->kind == IR_V_MSH && b->has_msh && b->msh_k == v->a->k &&
		       v->a->k + 1ull <= b->abs && v->k + (uint64_t)v->size <= b->msh;
	case IR_V_NEG: return safe(b, v->a, depth + 1);
	case IR_V_BIN:
		if ((v->op == IR_DIV || v->op == IR_MOD) &&
		    !(v->b->kind == IR_V_CONST && v->b->k != 0))
			return 0;
		return safe(b, v->a, depth + 1) && safe(b, v->b, depth + 1);
	default: return 0; /* ancillary data (a fault in user space), faults */
	}
}

/* V was evaluated without rejecting the packet: what that proves. */
static void prove(struct bounds *b, const struct ir_val *v, int depth)
{
	if (depth > SAFE_DEPTH || !v->may_fault)
		return;
	switch (v->kind) {
	case IR_V_MSH:
		if (v->k + 1ull > b->abs)
			b->abs = v->k + 1ull;
		break;
	case IR_V_LOAD:
		if (!v->a) {
			if (v->k + (uint64_t)v->size > b->abs)
				b->abs = v->k + (uint64_t)v->size;
		} else if (v->a->kind == IR_V_MSH && (!b->has_msh || b->msh_k == v->a->k)) {
			prove(b, v->a, depth + 1);
			if (!b->has_msh || v->k + (uint64_t)v->size > b->msh)
				b->msh = v->k + (uint64_t)v->size;
			b->has_msh = 1;
			b->msh_k = v->a->k;
		}
		break;
	case IR_V_NEG: prove(b, v->a, depth + 1); break;
	case IR_V_BIN:
		prove(b, v->a, depth + 1);
		prove(b, v->b, depth + 1);
		break;
	default: break;
	}
}

/* A block a chain may hold: a plain test, no stores. */
static int testable(const struct ir_block *b)
{
	return b->op != IR_RET && !b->stmts && b->lhs && b->succ[0] != b->succ[1];
}

/* What moves: a test and the side on which it leaves to the exit. */
struct item {
	enum ir_test op;
	const struct ir_val *lhs, *rhs;
	uint32_t k;
	int side;
	uint32_t group, pos;
};

static int by_group(const void *x, const void *y)
{
	const struct item *a = x, *b = y;
	if (a->group != b->group)
		return a->group < b->group ? -1 : 1;
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

/* Can the test of IT reject the packet, given B?  (1: it cannot.) */
static int item_safe(const struct bounds *b, const struct item *it)
{
	return safe(b, it->lhs, 0) && (!it->rhs || safe(b, it->rhs, 0));
}

static void item_prove(struct bounds *b, const struct item *it)
{
	prove(b, it->lhs, 0);
	if (it->rhs)
		prove(b, it->rhs, 0);
}

static int by_pos(const void *x, const void *y)
{
	const struct item *a = x, *b = y;
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

struct walk {
	uint32_t *npred;
	uint8_t *seen;
	uint32_t *first_of; /* per value id: its group (valid where stamps[id] is stamp) */
	struct ir_block **chain;
	struct item *items;
	struct bounds *proved; /* per item: what it and the items before it prove */
	uint32_t *stamps;
	uint32_t stamp;
};

/* The chain from B leaving to B's successor EXIT_SIDE: its length. */
static size_t collect(struct walk *w, struct ir_block *b, int exit_side)
{
	struct ir_block *exit = b->succ[exit_side];
	size_t n = 0;
	for (;;) {
		int side = b->succ[0] == exit ? 0 : b->succ[1] == exit ? 1 : -1;
		if (side < 0)
			break;
		w->chain[n] = b;
		w->items[n] = (struct item){b->op, b->lhs, b->rhs, b->k, side, 0, (uint32_t)n};
		n++;
		struct ir_block *next = b->succ[1 - side];
		if (!testable(next) || w->npred[next->id] != 1 || w->seen[next->id])
			break;
		b = next;
	}
	return n;
}

/* W & M with M a prefix mask (the high bits: a network's), or NULL. */
static const struct ir_val *prefix_masked(const struct ir_val *v)
{
	if (!v || v->kind != IR_V_BIN || v->op != IR_AND || v->b->kind != IR_V_CONST)
		return NULL;
	uint32_t low = ~v->b->k;
	return v->b->k && low && !(low & (low + 1)) ? v->a : NULL;
}

/* What a test is grouped by: the value it loads, so that tests of one
 * address under different prefix masks go together (opt_ranges() then
 * tests them without reloading). */
static const struct ir_val *group_key(const struct ir_val *v)
{
	const struct ir_val *w = prefix_masked(v);
	return w ? w : v;
}

/* Give the items [LO, N) their groups (first use of a value first; the
 * value tested last before LO goes first, being in A already) and sort
 * them.  Returns 1 if the order changed. */
static int sort_tail(struct walk *w, size_t lo, size_t n)
{
	uint32_t groups = 0, stamp = ++w->stamp, *stamps = w->stamps;
	if (lo > 0) {
		stamps[group_key(w->items[lo - 1].lhs)->id] = stamp;
		w->first_of[group_key(w->items[lo - 1].lhs)->id] = groups++;
	}
	int changed = 0;
	for (size_t i = lo; i < n; i++) {
		uint32_t id = group_key(w->items[i].lhs)->id;
		if (stamps[id] != stamp) {
			stamps[id] = stamp;
			w->first_of[id] = groups++;
		}
		w->items[i].group = w->first_of[id];
		changed |= i > lo && w->items[i].group < w->items[i - 1].group;
	}
	if (changed)
		qsort(w->items + lo, n - lo, sizeof(w->items[0]), by_group);
	return changed;
}

/* Is the new order of the items (pos: where each was) allowed?  A test
 * that moves ahead of tests it followed must not reject a packet that the
 * old order accepted on its way: if the first test it overtakes (the
 * earliest, J) was evaluated, with all before it, its bytes must be
 * there (W->proved[J]), so that it faults only when one of them would
 * have (opt.h).  The smallest position among the tests after each one is
 * the J it overtakes.  Returns the first item that may not move, or N. */
static size_t check_order(const struct walk *w, size_t lo, size_t n)
{
	uint32_t least = UINT32_MAX;
	for (size_t i = n; i-- > lo;) {
		const struct item *it = &w->items[i];
		if (least < it->pos && !item_safe(&w->proved[least], it))
			return it->pos;
		if (it->pos < least)
			least = it->pos;
	}
	return n;
}

/* Group the tests of a chain of N (collected in W) by value, as far as
 * check_order() allows: the grouping starts at the chain's head, or
 * past a test that could not move.  A chain that leaves to REJECT moves
 * whole: a test that could fault rejects the packet, as the exit does, so
 * no order changes a verdict.  Returns 1 if the order changed. */
static int regroup(struct walk *w, size_t n, const struct ir_block *reject)
{
	int whole = w->chain[n - 1]->succ[w->items[n - 1].side] == reject;
	struct bounds bd = {0, 0, 0, 0};
	size_t lo = 0, from = 0; /* from: past every test unsafe where it is */
	for (size_t i = 0; i < n; i++) {
		const struct item *it = &w->items[i];
		if (!whole && !(ir_read_faults(it->lhs) && ir_read_faults(it->rhs)))
			lo = i + 1; /* it faults on whole packets too: nothing overtakes it */
		if (!item_safe(&bd, it))
			from = i + 1;
		item_prove(&bd, it);
		w->proved[i] = bd;
	}
	int changed = 0;
	for (int tries = 0; lo + 1 < n; tries++) {
		if (tries == MAX_TRIES && lo < from)
			lo = from; /* from there, every order is allowed */
		changed = sort_tail(w, lo, n);
		size_t bad = changed && !whole ? check_order(w, lo, n) : n;
		if (bad == n)
			break;
		qsort(w->items, n, sizeof(w->items[0]), by_pos);
		changed = 0;
		lo = bad; /* > lo: it overtook a test at lo or later */
	}
	if (!changed)
		return 0;
	struct ir_block *last = w->chain[n - 1];
	struct ir_block *exit = last->succ[w->items[n - 1].side];
	struct ir_block *cont = last->succ[1 - w->items[n - 1].side];
	for (size_t i = lo; i < n; i++) {
		struct ir_block *b = w->chain[i];
		const struct item *it = &w->items[i];
		b->op = it->op;
		b->lhs = it->lhs;
		b->rhs = it->rhs;
		b->k = it->k;
		b->succ[it->side] = exit;
		b->succ[1 - it->side] = i + 1 < n ? w->chain[i + 1] : cont;
	}
	return 1;
}

static void count_preds(const struct ir *ir, struct ir_block **list, size_t n, uint32_t *npred)
{
	for (size_t i = 0; i < n; i++)
		if (list[i]->op != IR_RET)
			for (int s = 0; s < 2; s++)
				npred[list[i]->succ[s]->id]++;
	npred[ir->root->id]++;
}

int opt_chains(struct ir *ir)
{
	size_t nb = ir->nblocks;
	struct ir_block **list = malloc(nb * sizeof(*list));
	struct walk w = {calloc(nb, sizeof(uint32_t)),
			 calloc(nb, 1),
			 malloc((ir->nvals + 1) * sizeof(uint32_t)),
			 malloc(nb * sizeof(*w.chain)),
			 malloc(nb * sizeof(*w.items)),
			 malloc(nb * sizeof(*w.proved)),
			 calloc(ir->nvals + 1, sizeof(uint32_t)),
			 0};
	int done = -1;
	if (!list || !w.npred || !w.seen || !w.first_of || !w.chain || !w.items || !w.proved ||
	    !w.stamps)
		goto out;
	size_t n = ir_order(ir, list);
	if (n == 0)
		goto out;
	count_preds(ir, list, n, w.npred);
	done = 0;
	for (size_t i = 0; i < n; i++) {
		struct ir_block *b = list[i];
		if (w.seen[b->id] || !testable(b))
			continue;
		size_t len0 = collect(&w, b, 0), len1 = collect(&w, b, 1);
		size_t len = len1 > len0 ? len1 : collect(&w, b, 0);
		for (size_t k = 0; k < len; k++)
			w.seen[w.chain[k]->id] = 1;
		done += regroup(&w, len, ir->reject);
	}
out:
	free(list);
	free(w.npred);
	free(w.seen);
	free(w.first_of);
	free(w.chain);
	free(w.items);
	free(w.proved);
	free(w.stamps);
	return done;
}

/* Does B test W, or W under a prefix mask, with A as its only way in
 * left it (no stores, one predecessor)? */
static int tests(const struct ir_block *b, const struct ir_val *w, const uint32_t *npred)
{
	return b->op != IR_RET && !b->stmts && !b->rhs && b->lhs && npred[b->id] == 1 &&
	       group_key(b->lhs) == w;
}

/* (W & M) == V, M a prefix mask and V within it, is V <= W <= V | ~M: two
 * tests that leave W in A, where the AND would not, so that the next test
 * of W (grouped after it by opt_chains()) needs no reload.  Done after
 * regrouping: the test becomes two blocks, so chains no longer see it. */
int opt_ranges(struct ir *ir)
{
	struct ir_block **list = malloc(ir->nblocks * sizeof(*list));
	uint32_t *npred = calloc(ir->nblocks, sizeof(*npred));
	size_t n = list && npred ? ir_order(ir, list) : 0;
	int done = n ? 0 : -1;
	if (n)
		count_preds(ir, list, n, npred);
	for (size_t i = 0; i < n && done >= 0; i++) {
		struct ir_block *b = list[i];
		const struct ir_val *w = b->op == IR_JEQ && !b->rhs ? prefix_masked(b->lhs) : NULL;
		if (!w || (b->k & ~b->lhs->b->k) || b->walk_key ||
		    !(tests(b->succ[0], w, npred) || tests(b->succ[1], w, npred)))
			continue;
		struct ir_block *hi = ir_block_new(ir, IR_JGT, w, NULL, b->k | ~b->lhs->b->k);
		if (!hi) {
			done = -1;
			break;
		}
		hi->succ[1] = b->succ[0];
		hi->succ[0] = b->succ[1];
		b->op = IR_JGE;
		b->lhs = w;
		b->succ[1] = hi;
		done++;
	}
	free(list);
	free(npred);
	return done;
}
