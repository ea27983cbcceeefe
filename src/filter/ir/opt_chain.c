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

/* ---- chains of terms ---------------------------------------------------- */

/* TERM_MAX bounds a term's blocks (and so the work of finding one). */
enum { TERM_MAX = 16 };

/* A term: blocks TB[FIRST, FIRST + N) entered only at HEAD, leaving to the
 * chain's exit or to NEXT. */
struct term {
	size_t first, n;
	struct ir_block *head, *next;
	uint32_t group, pos;
	int plain; /* every fault of its blocks is a read past the end */
};

struct terms {
	uint32_t *npred, *cnt, *in, stamp;
	uint8_t *seen;
	struct ir_block **tb;
	struct term *t;
	struct bounds *proved;
	uint32_t *first_of, *vstamps, vstamp;
	int by_end; /* term_sort(): by where the bytes end, not by value */
};

static int term_block(const struct ir_block *b)
{
	return b->op != IR_RET && !b->stmts && !b->walk_key && b->lhs;
}

static void term_count(struct terms *w, size_t from, size_t to, int d)
{
	for (size_t i = from; i < to; i++)
		for (int s = 0; s < 2; s++)
			w->cnt[w->tb[i]->succ[s]->id] += (uint32_t)d;
}

/* The term at H that leaves to E when it holds: its blocks from TB[*NT]
 * on, its other exit (NULL: no term), *CLOSED whether only the term
 * enters that exit.  A block joins when all of its way in is from the
 * term, until only one block outside but E follows it. */
static struct ir_block *term_build(struct terms *w, struct ir_block *h, const struct ir_block *e,
				   size_t *nt, int *closed)
{
	size_t start = *nt, end = start;
	struct ir_block *next = NULL;
	if (!term_block(h) || h == e)
		return NULL;
	w->tb[end++] = h;
	w->in[h->id] = w->stamp;
	term_count(w, start, end, 1);
	for (;;) {
		struct ir_block *add = NULL, *only = NULL;
		int nfront = 0;
		for (size_t i = start; i < end; i++)
			for (int s = 0; s < 2; s++) {
				struct ir_block *x = w->tb[i]->succ[s];
				if (x == e || w->in[x->id] == w->stamp)
					continue;
				if (!only)
					only = x, nfront = 1;
				else if (x != only)
					nfront = 2;
				if (!add && w->cnt[x->id] == w->npred[x->id] && term_block(x))
					add = x;
			}
		if (nfront == 1)
			next = only;
		if (nfront != 2 || !add || end - start == TERM_MAX)
			break;
		w->tb[end++] = add;
		w->in[add->id] = w->stamp;
		term_count(w, end - 1, end, 1);
	}
	*closed = next && w->cnt[next->id] == w->npred[next->id];
	term_count(w, start, end, -1);
	if (!next)
		for (size_t i = start; i < end; i++)
			w->in[w->tb[i]->id] = 0;
	else
		*nt = end;
	return next;
}

/* The chain of terms from H leaving to E: its number of terms in W->t. */
static size_t term_chain(struct terms *w, struct ir_block *h, const struct ir_block *e)
{
	size_t n = 0, nt = 0;
	w->stamp++;
	for (int closed = 1; closed;) {
		size_t first = nt;
		struct ir_block *next = term_build(w, h, e, &nt, &closed);
		if (!next)
			break;
		int plain = 1;
		for (size_t i = first; i < nt; i++)
			plain &= ir_read_faults(w->tb[i]->lhs) && ir_read_faults(w->tb[i]->rhs);
		w->t[n] = (struct term){first, nt - first, h, next, 0, (uint32_t)n, plain};
		n++;
		h = next;
	}
	return n;
}

static int term_by_group(const void *x, const void *y)
{
	const struct term *a = x, *b = y;
	if (a->group != b->group)
		return a->group < b->group ? -1 : 1;
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

static int term_by_pos(const void *x, const void *y)
{
	const struct term *a = x, *b = y;
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

/* Can every block of term T be evaluated without a fault, given B? */
static int term_safe(const struct terms *w, const struct bounds *b, const struct term *t)
{
	for (size_t i = t->first; i < t->first + t->n; i++) {
		const struct ir_block *x = w->tb[i];
		if (!safe(b, x->lhs, 0) || (x->rhs && !safe(b, x->rhs, 0)))
			return 0;
	}
	return 1;
}

/* As check_order(), for terms: the first term at or past LO that may not
 * move ahead of the terms it overtakes, or N.  A term that was reached had
 * its head evaluated, so W->proved[j] is what the heads of terms 0..j
 * prove. */
static size_t term_check(const struct terms *w, size_t lo, size_t n)
{
	uint32_t least = UINT32_MAX;
	for (size_t i = n; i-- > lo;) {
		const struct term *t = &w->t[i];
		if (least < t->pos && !term_safe(w, &w->proved[least], t))
			return t->pos;
		if (t->pos < least)
			least = t->pos;
	}
	return n;
}

/* Where the bytes V reads end: absolute ones as they are, those past the
 * IPv4 header length after them, anything else last. */
static uint32_t val_end(const struct ir_val *v, int depth)
{
	uint32_t a, b;
	if (!v || !v->may_fault)
		return v && v->uses_mem ? UINT32_MAX : 0;
	if (depth > SAFE_DEPTH)
		return UINT32_MAX;
	switch (v->kind) {
	case IR_V_MSH: return v->k + 1;
	case IR_V_LOAD:
		if (!v->a)
			return v->k + v->size;
		return v->a->kind == IR_V_MSH && v->k < 0x10000 ? 0x80000000u + v->k + v->size
								: UINT32_MAX;
	case IR_V_NEG: return val_end(v->a, depth + 1);
	case IR_V_BIN:
		a = val_end(v->a, depth + 1);
		b = val_end(v->b, depth + 1);
		return a > b ? a : b;
	default: return UINT32_MAX;
	}
}

/* The latest end of the bytes the blocks of T read. */
static uint32_t term_end(const struct terms *w, const struct term *t)
{
	uint32_t end = 0;
	for (size_t i = t->first; i < t->first + t->n; i++) {
		uint32_t l = val_end(w->tb[i]->lhs, 0), r = val_end(w->tb[i]->rhs, 0);
		end = l > end ? l : end;
		end = r > end ? r : end;
	}
	return end;
}

/* Sort terms [LO, N) by the value their heads test (W->by_end: by
 * term_end()): 1 if the order changed. */
static int term_sort(struct terms *w, size_t lo, size_t n)
{
	uint32_t groups = 0, vs = ++w->vstamp;
	int changed = 0;
	for (size_t i = lo; i < n; i++) {
		uint32_t id = group_key(w->t[i].head->lhs)->id;
		if (w->by_end) {
			w->t[i].group = term_end(w, &w->t[i]);
			changed |= i > lo && w->t[i].group < w->t[i - 1].group;
			continue;
		}
		if (w->vstamps[id] != vs) {
			w->vstamps[id] = vs;
			w->first_of[id] = groups++;
		}
		w->t[i].group = w->first_of[id];
		changed |= i > lo && w->t[i].group < w->t[i - 1].group;
	}
	if (changed)
		qsort(w->t + lo, n - lo, sizeof(w->t[0]), term_by_group);
	return changed;
}

/* Put the N terms of W in their new order: each term's other exit goes to
 * the next one, and what entered the first enters the new first. */
static void term_rewire(struct ir *ir, struct terms *w, size_t n, struct ir_block **list,
			size_t nlist, struct ir_block *cont)
{
	struct ir_block *h1 = NULL;
	for (size_t i = 0; i < n; i++)
		if (w->t[i].pos == 0)
			h1 = w->t[i].head;
	for (size_t i = 0; i < n; i++) {
		const struct term *t = &w->t[i];
		struct ir_block *to = i + 1 < n ? w->t[i + 1].head : cont;
		for (size_t j = t->first; j < t->first + t->n; j++)
			for (int s = 0; s < 2; s++)
				if (w->tb[j]->succ[s] == t->next)
					w->tb[j]->succ[s] = to;
	}
	for (size_t i = 0; i < nlist; i++)
		for (int s = 0; s < 2 && list[i]->op != IR_RET; s++)
			if (list[i]->succ[s] == h1 && w->in[list[i]->id] != w->stamp)
				list[i]->succ[s] = w->t[0].head;
	if (ir->root == h1)
		ir->root = w->t[0].head;
}

/* Regroup the chain of N terms in W, leaving to E: 1 if its order changed. */
static int term_regroup(struct ir *ir, struct terms *w, size_t n, const struct ir_block *e,
			struct ir_block **list, size_t nlist)
{
	int whole = e == ir->reject, multi = 0;
	struct bounds bd = {0, 0, 0, 0};
	size_t lo = 0, from = 0;
	struct ir_block *cont = w->t[n - 1].next;
	for (size_t i = 0; i < n; i++) {
		const struct term *t = &w->t[i];
		multi |= t->n > 1;
		if (!whole && !t->plain)
			lo = i + 1;
		if (!term_safe(w, &bd, t))
			from = i + 1;
		prove(&bd, t->head->lhs, 0);
		if (t->head->rhs)
			prove(&bd, t->head->rhs, 0);
		w->proved[i] = bd;
	}
	int changed = 0;
	for (int tries = 0; multi && lo + 1 < n; tries++) {
		if (tries == MAX_TRIES && lo < from)
			lo = from;
		changed = term_sort(w, lo, n);
		size_t bad = changed && !whole ? term_check(w, lo, n) : n;
		if (bad == n)
			break;
		qsort(w->t, n, sizeof(w->t[0]), term_by_pos);
		changed = 0;
		lo = bad;
	}
	if (changed)
		term_rewire(ir, w, n, list, nlist, cont);
	return changed;
}

/* The starts of the chains of terms to accept or reject, each of its
 * terms in turn: *OUT (2 entries a term: head, other exit), their count. */
static size_t term_starts(struct terms *w, struct ir_block **list, size_t n,
			  const struct ir_block *exits[2], struct ir_block **out)
{
	size_t np = 0;
	for (size_t i = 0; i < n; i++)
		for (int k = 0; k < 2; k++) {
			if (w->seen[list[i]->id] & (1 << k))
				continue;
			size_t nt = term_chain(w, list[i], exits[k]);
			for (size_t j = 0; nt >= 2 && j < nt && np + 2 <= 2 * n; j++) {
				out[np++] = w->t[j].head;
				out[np++] = w->t[j].next;
				for (size_t b = w->t[j].first; b < w->t[j].first + w->t[j].n; b++)
					if (w->tb[b] != w->t[0].head)
						w->seen[w->tb[b]->id] |= (uint8_t)(1 << k);
			}
		}
	return np;
}

/* The terms of chains to accept or reject are chains of conjuncts to the
 * term's other exit: those are sorted by where their bytes end. */
static int conjuncts(struct ir *ir, struct terms *w, struct ir_block **list, size_t n)
{
	const struct ir_block *exits[2] = {ir->accept, ir->reject};
	struct ir_block **pairs = malloc(2 * n * sizeof(*pairs));
	uint8_t *reach = calloc(ir->nblocks, 1); /* reachable since the last move */
	int done = 0;
	if (!pairs || !reach) {
		free(pairs);
		free(reach);
		return -1;
	}
	size_t np = term_starts(w, list, n, exits, pairs);
	w->by_end = 1;
	for (size_t i = 0; i < n; i++)
		reach[list[i]->id] = 1;
	for (size_t p = 0; p < np; p += 2) {
		if (!reach[pairs[p]->id] || !reach[pairs[p + 1]->id])
			continue;
		size_t nt = term_chain(w, pairs[p], pairs[p + 1]);
		if (nt < 2 || !term_regroup(ir, w, nt, pairs[p + 1], list, n))
			continue;
		done++;
		if (!(n = ir_order(ir, list))) {
			done = -1;
			break;
		}
		memset(w->npred, 0, ir->nblocks * sizeof(uint32_t));
		count_preds(ir, list, n, w->npred);
		memset(reach, 0, ir->nblocks);
		for (size_t i = 0; i < n; i++)
			reach[list[i]->id] = 1;
	}
	free(pairs);
	free(reach);
	return done;
}

static int terms_pass(struct ir *ir, int by_end)
{
	size_t nb = ir->nblocks, nv = ir->nvals + 1;
	struct ir_block **list = malloc(nb * sizeof(*list));
	struct terms w = {calloc(nb, sizeof(uint32_t)),
			  calloc(nb, sizeof(uint32_t)),
			  calloc(nb, sizeof(uint32_t)),
			  0,
			  calloc(nb, 1),
			  malloc(nb * sizeof(struct ir_block *)),
			  malloc(nb * sizeof(struct term)),
			  malloc(nb * sizeof(struct bounds)),
			  malloc(nv * sizeof(uint32_t)),
			  calloc(nv, sizeof(uint32_t)),
			  0,
			  0};
	int done = -1;
	size_t n = 0;
	if (list && w.npred && w.cnt && w.in && w.seen && w.tb && w.t && w.proved && w.first_of &&
	    w.vstamps)
		n = ir_order(ir, list);
	if (n) {
		count_preds(ir, list, n, w.npred);
		done = 0;
	}
	if (n && by_end) {
		done = conjuncts(ir, &w, list, n);
		n = 0;
	}
	for (size_t i = 0; i < n; i++) {
		const struct ir_block *exits[2] = {ir->accept, ir->reject};
		for (int k = 0; k < 2; k++) {
			/* bit k: in a chain to exit K already (a start there would find
			 * its tail again); bit 2: moved, not the start of another */
			if (w.seen[list[i]->id] & (1 << k | 4))
				continue;
			size_t nt = term_chain(&w, list[i], exits[k]);
			int moved = nt >= 2 && term_regroup(ir, &w, nt, exits[k], list, n);
			done += moved;
			for (size_t j = 0; nt >= 2 && j < nt; j++)
				for (size_t b = w.t[j].first; b < w.t[j].first + w.t[j].n; b++)
					if (moved || w.tb[b] != w.t[0].head)
						w.seen[w.tb[b]->id] |=
							(uint8_t)(moved ? 4 : 1 << k);
		}
	}
	free(list);
	free(w.npred);
	free(w.cnt);
	free(w.in);
	free(w.seen);
	free(w.tb);
	free(w.t);
	free(w.proved);
	free(w.first_of);
	free(w.vstamps);
	return done;
}

int opt_terms(struct ir *ir)
{
	return terms_pass(ir, 0);
}

int opt_conjuncts(struct ir *ir)
{
	return terms_pass(ir, 1);
}
