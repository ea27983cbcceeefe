/* switch.c - switches: a block that compares a value with a constant
 * (==, >, >=) and the blocks after it that compare the same value, with no
 * stores and no other way in, are one decision on that value.  The
 * constants cut the 32-bit range into intervals, each of which leads to
 * one exit; adjacent intervals with the same exit merge, and the program
 * tests the value along a balanced search over the rest, with short chains
 * of == at the leaves.  A list of hosts as a chain of tests or as the
 * optimizer's search tree becomes O(log N) compares, and a run of
 * consecutive addresses one range test.  A switch of a few == tests (the
 * EtherType's IPv4 / IPv6 / ARP) is one chain, on the value as loaded, with
 * the tests for the block laid out next last: that path falls through and
 * every other leaves by one jump, where the blocks one by one would jump
 * from test to test.  See ebpf.h. */
#include "back/ebpf/ebpf.h"

#include <linux/bpf.h>
#include <stdlib.h>
#include <string.h>

enum {
	SW_MIN_TESTS = 2,   /* a single test is emitted as its block */
	SW_LEAF_POINTS = 6, /* == tests not taken are cheaper than a search */
};

struct sw {
	const struct ir_block *root;
	const struct ir_val *v;
	size_t ntests;
	uint64_t *lo; /* interval i: [lo[i], lo[i + 1]), lo[nint] = 2^32 */
	const struct ir_block **to;
	size_t nint;
	const struct ir_block **exits;
	size_t nexits;
};

struct sw_plan {
	int *of; /* per block id: region index, -1 none, -2 inside a region */
	struct sw *r;
	size_t n;
};

static int testable(const struct ir_block *b)
{
	return b->op != IR_RET && b->op != IR_JSET && !b->rhs && b->lhs->kind != IR_V_CONST &&
	       b->lhs->kind != IR_V_ANC && !b->lhs->faults;
}

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
	return a < b ? -1 : a > b;
}

static const struct ir_block *walk(const int *in, uint32_t region, const struct ir_block *b,
				   uint32_t x)
{
	while (b->op != IR_RET && in[b->id] == (int)region)
		b = b->succ[ir_test_const(b->op, x, b->k)];
	return b;
}

/* The intervals and exits of the region of ROOT whose blocks are marked
 * REGION in IN; members (N) are its blocks. */
static int intervals(struct sw *s, const int *in, uint32_t region,
		     const struct ir_block *const *members, size_t n)
{
	uint64_t *cut = malloc((2 * n + 2) * sizeof(*cut));
	size_t nc = 0;
	if (!cut)
		return -1;
	cut[nc++] = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t k = members[i]->k;
		if (members[i]->op == IR_JEQ)
			cut[nc++] = k, cut[nc++] = k + 1;
		else
			cut[nc++] = members[i]->op == IR_JGT ? k + 1 : k;
	}
	qsort(cut, nc, sizeof(*cut), cmp_u64);
	s->lo = malloc((nc + 1) * sizeof(*s->lo));
	s->to = malloc((nc + 1) * sizeof(*s->to));
	s->exits = malloc((nc + 1) * sizeof(*s->exits));
	if (!s->lo || !s->to || !s->exits) {
		free(cut);
		return -1;
	}
	s->nint = s->nexits = 0;
	for (size_t i = 0; i < nc; i++) {
		if (cut[i] > 0xffffffffu || (i && cut[i] == cut[i - 1]))
			continue;
		const struct ir_block *t = walk(in, region, s->root, (uint32_t)cut[i]);
		if (s->nint && s->to[s->nint - 1] == t)
			continue; /* the same exit as the interval before */
		s->lo[s->nint] = cut[i];
		s->to[s->nint++] = t;
		size_t j = 0;
		while (j < s->nexits && s->exits[j] != t)
			j++;
		if (j == s->nexits)
			s->exits[s->nexits++] = t;
	}
	s->lo[s->nint] = 1ull << 32;
	free(cut);
	return 0;
}

/* Grow the region of ROOT (index R) over blocks whose predecessors are all
 * in it.  NPRED: predecessors per block id; INCNT: scratch (zeroed). */
static size_t grow(struct sw_plan *p, const struct ir_block *root, uint32_t r, const int *npred,
		   int *incnt, const struct ir_block **members)
{
	size_t n = 0, head = 0;
	members[n++] = root;
	p->of[root->id] = (int)r;
	while (head < n) {
		const struct ir_block *b = members[head++];
		for (int k = 0; k < 2; k++) {
			const struct ir_block *s = b->succ[k];
			if (k == 1 && s == b->succ[0])
				continue;
			if (s->op == IR_RET || p->of[s->id] != -1 || s->stmts || !testable(s) ||
			    s->lhs != root->lhs || ++incnt[s->id] < npred[s->id])
				continue;
			p->of[s->id] = (int)r;
			members[n++] = s;
		}
	}
	return n;
}

static void unmark(struct sw_plan *p, const struct ir_block *const *members, size_t n, int to)
{
	for (size_t i = 0; i < n; i++)
		p->of[members[i]->id] = to;
}

/* How many == tests intervals [I, J) of S take as a chain around exit
 * DFLT, or SIZE_MAX when one goes elsewhere over a range. */
static size_t chain_tests(const struct sw *s, size_t i, size_t j, const struct ir_block *dflt)
{
	size_t tests = 0;
	for (size_t k = i; k < j; k++)
		if (s->to[k] != dflt) {
			if (s->lo[k + 1] - s->lo[k] > SW_LEAF_POINTS)
				return SIZE_MAX;
			tests += (size_t)(s->lo[k + 1] - s->lo[k]);
		}
	return tests;
}

/* The exit of [I, J) that leaves the fewest == tests, their count in *N. */
static const struct ir_block *chain_default(const struct sw *s, size_t i, size_t j, size_t *n)
{
	const struct ir_block *best = s->to[i];
	*n = SIZE_MAX;
	for (size_t k = i; k < j; k++) {
		size_t t = chain_tests(s, i, j, s->to[k]);
		if (t < *n)
			*n = t, best = s->to[k];
	}
	return best;
}

static void sw_clear(struct sw *s)
{
	free(s->lo);
	free(s->to);
	free(s->exits);
	memset(s, 0, sizeof(*s));
}

void sw_free(struct em *e)
{
	struct sw_plan *p = e->sw;
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++)
		sw_clear(&p->r[i]);
	free(p->r);
	free(p->of);
	free(p);
	e->sw = NULL;
}

static int count_preds(struct ir_block *const *list, size_t n, int *npred)
{
	for (size_t i = 0; i < n; i++) {
		const struct ir_block *b = list[i];
		if (b->op == IR_RET)
			continue;
		npred[b->succ[0]->id]++;
		if (b->succ[1] != b->succ[0])
			npred[b->succ[1]->id]++;
	}
	return 0;
}

int sw_plan(struct em *e, struct ir_block *const *list, size_t n)
{
	uint32_t nb = e->ir->nblocks;
	struct sw_plan *p = calloc(1, sizeof(*p));
	int *npred = calloc(nb + 1, sizeof(*npred)), *incnt = calloc(nb + 1, sizeof(*incnt));
	const struct ir_block **members = malloc((n + 1) * sizeof(*members));
	int rc = -1;
	e->sw = p;
	if (!p || !npred || !incnt || !members || !(p->of = malloc((nb + 1) * sizeof(*p->of))) ||
	    !(p->r = calloc(n + 1, sizeof(*p->r))))
		goto done;
	for (uint32_t i = 0; i <= nb; i++)
		p->of[i] = -1;
	count_preds(list, n, npred);
	for (size_t i = 0; i < n; i++) {
		const struct ir_block *b = list[i];
		if (p->of[b->id] != -1 || !testable(b))
			continue;
		size_t m = grow(p, b, (uint32_t)p->n, npred, incnt, members);
		for (size_t k = 0; k < m; k++) /* the counts start at 0 for the next */
			incnt[members[k]->succ[0]->id] = incnt[members[k]->succ[1]->id] = 0;
		if (m < SW_MIN_TESTS) {
			unmark(p, members, m, -1);
			continue;
		}
		struct sw *s = &p->r[p->n];
		s->root = b;
		s->v = b->lhs;
		s->ntests = m;
		if (intervals(s, p->of, (uint32_t)p->n, members, m) < 0)
			goto done;
		unmark(p, members + 1, m - 1, -2);
		p->n++;
	}
	rc = 0;
done:
	free(npred);
	free(incnt);
	free(members);
	if (rc < 0) {
		sw_free(e);
		e->err = diag_set(e->d, FILTER_ERR_NOMEM, 0, 0, "out of memory");
	}
	return rc;
}

int sw_inside(const struct em *e, const struct ir_block *b)
{
	return e->sw && e->sw->of[b->id] == -2;
}

/* The == tests of intervals [I, J) of S around exit DFLT, the value in R
 * (its constants byte-swapped to SWAP bytes): those that go to NEXT last,
 * so that the 'goto DFLT' after them becomes the inverted last test and the
 * path to NEXT falls through (code.c); the others each leave by one jump. */
static void chain(struct em *e, const struct sw *s, int r, size_t i, size_t j,
		  const struct ir_block *dflt, const int *lbl, int next, uint8_t swap)
{
	for (int last = 0; last < 2; last++)
		for (size_t k = i; k < j; k++) {
			if (s->to[k] == dflt || (lbl[s->to[k]->id] == next) != last)
				continue;
			for (uint64_t x = s->lo[k]; x < s->lo[k + 1]; x++)
				code_jmp(&e->c, OP(BPF_JMP32, BPF_JEQ, BPF_K), r, 0,
					 (int32_t)emit_eq_k((uint32_t)x, swap), lbl[s->to[k]->id]);
		}
	code_jmp(&e->c, OP(BPF_JMP, BPF_JA, BPF_K), 0, 0, 0, lbl[dflt->id]);
}

/* Intervals [I, J) of S, the value in R; NEXT as for sw_emit. */
static void search(struct em *e, const struct sw *s, int r, size_t i, size_t j, const int *lbl,
		   int next)
{
	if (j - i == 1) {
		code_jmp(&e->c, OP(BPF_JMP, BPF_JA, BPF_K), 0, 0, 0, lbl[s->to[i]->id]);
		return;
	}
	/* a default exit with a few single values around it: == tests */
	size_t tests;
	const struct ir_block *dflt = chain_default(s, i, j, &tests);
	if (tests <= SW_LEAF_POINTS) {
		chain(e, s, r, i, j, dflt, lbl, next, 0);
		return;
	}
	size_t mid = i + (j - i) / 2;
	int right = code_label(&e->c);
	code_jmp(&e->c, OP(BPF_JMP32, BPF_JGE, BPF_K), r, 0, (int32_t)(uint32_t)s->lo[mid], right);
	search(e, s, r, i, mid, lbl, -2);
	code_place(&e->c, right);
	search(e, s, r, mid, j, lbl, next);
}

const struct sw *sw_root(const struct em *e, const struct ir_block *b)
{
	if (!e->sw || e->sw->of[b->id] < 0)
		return NULL;
	return &e->sw->r[e->sw->of[b->id]];
}

void sw_emit(struct em *e, const struct sw *s, const int *lbl, int next)
{
	if (win_begin(e, s->v, NULL))
		return;
	size_t tests;
	const struct ir_block *dflt = chain_default(s, 0, s->nint, &tests);
	uint8_t swap = 0;
	/* one chain of == tests: on the value as loaded, constants swapped */
	int r = tests <= SW_LEAF_POINTS ? emit_eq_val(e, s->v, s->lo, s->nint, &swap)
					: emit_nval(e, s->v);
	if (e->err)
		return;
	reg_pin(e, r);
	for (size_t i = 0; i < s->ntests; i++)
		e->uses[s->v->id]--;
	if (tests <= SW_LEAF_POINTS)
		chain(e, s, r, 0, s->nint, dflt, lbl, next, swap);
	else
		search(e, s, r, 0, s->nint, lbl, next);
	win_end(e);
}

size_t sw_exits(const struct sw *s, const struct ir_block *const **exits)
{
	*exits = s->exits;
	return s->nexits;
}
