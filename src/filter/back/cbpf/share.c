/* share.c - code sharing between blocks; see share.h.
 *
 * Blocks are copied out of the emitted code so that they can be cut, split
 * and retargeted, then laid out again in their order.  Every jump still goes
 * forward afterwards: code is only ever shared with a block laid out later,
 * and a split block's tail follows its head.  A match is a simultaneous walk
 * of the two blocks and their successors; the work it may do is bounded, so
 * hostile programs cost linear time. */
#include "back/cbpf/share.h"

#include <linux/filter.h>
#include <stdlib.h>
#include <string.h>

enum {
	MATCH_DEPTH = 8,
	WORK_BUDGET = 1 << 20,
	ABS_LIMIT = 0x80000000u,
	HOIST_SET = 8,
	REGION = 32
};

struct sblk {
	struct linsn *code;
	size_t len;
	uint32_t npred;
	uint32_t rank;		      /* layout position: 2 * original order, a split tail + 1 */
	uint32_t tail;		      /* the tail split off this block, or NOTARGET */
	uint8_t live, xlive, hoisted; /* xlive: X is read before it is set from here on */
};

struct sh {
	struct sblk *b;
	size_t n, norig;
	long work;
	uint32_t min_abs;
	int nomem;
	uint32_t region[REGION]; /* the sharing side's blocks past the first, as matched */
	size_t nregion;
	uint32_t *stack; /* unref()'s worklist: room for every edge of every block, + 1 */
};

static int reads_x(const struct filter_insn *i)
{
	uint16_t c = i->code;
	switch (BPF_CLASS(c)) {
	case BPF_LD: return BPF_MODE(c) == BPF_IND;
	case BPF_STX: return 1;
	case BPF_ALU: return BPF_OP(c) != BPF_NEG && BPF_SRC(c) == BPF_X;
	case BPF_JMP: return BPF_OP(c) != BPF_JA && BPF_SRC(c) == BPF_X;
	case BPF_RET: return BPF_RVAL(c) == BPF_X;
	case BPF_MISC: return BPF_MISCOP(c) == BPF_TXA;
	default: return 0;
	}
}

static int writes_x(const struct filter_insn *i)
{
	return BPF_CLASS(i->code) == BPF_LDX ||
	       (BPF_CLASS(i->code) == BPF_MISC && BPF_MISCOP(i->code) == BPF_TAX);
}

static int reads_mem(const struct filter_insn *i)
{
	return (BPF_CLASS(i->code) == BPF_LD || BPF_CLASS(i->code) == BPF_LDX) &&
	       BPF_MODE(i->code) == BPF_MEM;
}

/* Code that may stand on the sharing side: it neither uses X nor reads M. */
static int x_free(const struct filter_insn *i)
{
	return !reads_x(i) && !writes_x(i) && !reads_mem(i);
}

/* A load into A that depends on no register: code may start there. */
static int a_free_load(const struct filter_insn *i)
{
	uint16_t m = BPF_MODE(i->code);
	return BPF_CLASS(i->code) == BPF_LD && (m == BPF_ABS || m == BPF_IMM || m == BPF_LEN);
}

static struct linsn *last(struct sblk *b)
{
	return &b->code[b->len - 1];
}

/* Drop one reference to T; a block nothing reaches any more goes, and so do
 * the references it held (a worklist, not recursion). */
static void unref(struct sh *s, uint32_t t)
{
	size_t top = 0;
	s->stack[top++] = t;
	while (top) {
		struct sblk *b = &s->b[s->stack[--top]];
		if (--b->npred || !b->live)
			continue;
		b->live = 0;
		const struct linsn *l = last(b);
		for (int k = 0; k < linsn_ntargets(l); k++)
			s->stack[top++] = l->tblk[k];
	}
}

static int in_set(const uint32_t *set, size_t n, uint32_t b)
{
	for (size_t i = 0; i < n; i++)
		if (set[i] == b)
			return 1;
	return 0;
}

static int match(struct sh *s, uint32_t p, size_t po, uint32_t q, size_t qo, int64_t *c, int depth);

static int match_target(struct sh *s, uint32_t tp, uint32_t tq, int64_t *c, int depth)
{
	if (tp == tq)
		return !s->b[tp].xlive;
	if (s->nregion < REGION && !in_set(s->region, s->nregion, tp))
		s->region[s->nregion++] = tp;
	return depth < MATCH_DEPTH && match(s, tp, 0, tq, 0, c, depth + 1);
}

/* Does block P's code from PO compute what Q's does from QO, once X is C
 * (C < 0: not fixed yet; the walk fixes it at the first load that differs)? */
static int match(struct sh *s, uint32_t p, size_t po, uint32_t q, size_t qo, int64_t *c, int depth)
{
	const struct sblk *P = &s->b[p], *Q = &s->b[q];
	if (P->len - po != Q->len - qo)
		return 0;
	for (size_t i = 0; po + i < P->len; i++) {
		if (--s->work < 0)
			return 0;
		const struct linsn *x = &P->code[po + i], *y = &Q->code[qo + i];
		if (!x_free(&x->in) || writes_x(&y->in) || reads_mem(&y->in) ||
		    x->is_jmp != y->is_jmp)
			return 0;
		if (BPF_CLASS(x->in.code) == BPF_LD && BPF_MODE(x->in.code) == BPF_ABS &&
		    y->in.code == (BPF_LD | BPF_SIZE(x->in.code) | BPF_IND)) {
			if (x->in.k < s->min_abs || x->in.k >= ABS_LIMIT || y->in.k > x->in.k)
				return 0;
			int64_t d = (int64_t)x->in.k - y->in.k;
			if (*c >= 0 && *c != d)
				return 0;
			*c = d;
			continue;
		}
		if (x->in.code != y->in.code || x->in.k != y->in.k)
			return 0;
		for (int t = 0; t < linsn_ntargets(x); t++)
			if (!match_target(s, x->tblk[t], y->tblk[t], c, depth))
				return 0;
	}
	return 1;
}

/* Room for N more instructions at the end of B's code. */
static int grow(struct sh *s, struct sblk *b, size_t n)
{
	struct linsn *c = realloc(b->code, (b->len + n) * sizeof(*c));
	if (!c) {
		s->nomem = 1;
		return -1;
	}
	b->code = c;
	return 0;
}

static struct linsn mk(uint16_t code, uint32_t k, int is_jmp, uint32_t t)
{
	struct linsn l;
	memset(&l, 0, sizeof(l));
	l.in.code = code;
	l.in.k = k;
	l.is_jmp = is_jmp;
	l.tblk[0] = is_jmp ? t : NOTARGET;
	l.tblk[1] = NOTARGET;
	return l;
}

/* Q's code from QO as a block of its own, laid out right after Q. */
static uint32_t split(struct sh *s, uint32_t q, size_t qo)
{
	if (qo == 0)
		return q;
	uint32_t t = (uint32_t)s->n;
	struct sblk *Q = &s->b[q], *T = &s->b[t];
	memset(T, 0, sizeof(*T));
	T->code = malloc((Q->len - qo) * sizeof(*T->code));
	if (!T->code || grow(s, Q, 1) < 0) {
		free(T->code);
		s->nomem = 1;
		return NOTARGET;
	}
	memcpy(T->code, Q->code + qo, (Q->len - qo) * sizeof(*T->code));
	T->len = Q->len - qo;
	T->live = 1;
	T->npred = 1;
	T->rank = Q->rank + 1;
	T->tail = NOTARGET;
	Q->code[qo] = mk(BPF_JMP | BPF_JA, 0, 2, t);
	Q->len = qo + 1;
	Q->tail = t;
	s->n++;
	return t;
}

/* Add the blocks with an edge to B to SET (at most HOIST_SET); -1 if full. */
static int add_preds(struct sh *s, uint32_t b, uint32_t *set, size_t *n)
{
	s->work -= (long)s->n;
	for (uint32_t j = 0; j < s->n; j++) {
		const struct sblk *J = &s->b[j];
		if (!J->live || J->rank >= s->b[b].rank || in_set(set, *n, j))
			continue;
		const struct linsn *l = last((struct sblk *)J);
		if (linsn_ntargets(l) && (l->tblk[0] == b || (l->is_jmp == 1 && l->tblk[1] == b))) {
			if (*n == HOIST_SET)
				return -1;
			set[(*n)++] = j;
		}
	}
	return 0;
}

/* Whether SET (the blocks leading to P) can carry X = C to P from one
 * entry E: then E's index in SET, else -1.  Members other than E leave X
 * alone, all end in a test that does not read X, and every edge out of SET
 * goes to P, into SET, or where X is dead. */
static int hoist_entry(struct sh *s, uint32_t p, const uint32_t *set, size_t n)
{
	int e = -1;
	for (size_t i = 0; i < n; i++) {
		struct sblk *M = &s->b[set[i]];
		const struct linsn *l = last(M);
		if (l->is_jmp != 1 || BPF_SRC(l->in.code) == BPF_X || M->hoisted)
			return -1;
		for (int k = 0; k < 2; k++)
			if (l->tblk[k] != p && !in_set(set, n, l->tblk[k]) &&
			    s->b[l->tblk[k]].xlive)
				return -1;
	}
	for (size_t i = 0; i < n; i++) {
		uint32_t preds[HOIST_SET];
		size_t np = 0;
		if (add_preds(s, set[i], preds, &np) < 0)
			return -1;
		for (size_t k = 0; k <= np; k++) /* the root is entered from outside */
			if (k == np ? set[i] == 0 : !in_set(set, n, preds[k])) {
				if (e >= 0 && e != (int)i)
					return -1;
				e = (int)i;
			}
	}
	for (size_t i = 0; e >= 0 && i < n; i++)
		for (size_t k = 0; (int)i != e && k < s->b[set[i]].len; k++)
			if (!x_free(&s->b[set[i]].code[k].in))
				return -1;
	return e;
}

/* The block before whose jump 'ldx #C' sets X for P at the cost of that one
 * instruction, or NOTARGET: P's predecessor, or the entry of a few blocks
 * that all lead to P (a chain of protocol tests, say). */
static uint32_t hoist_site(struct sh *s, uint32_t p)
{
	uint32_t set[HOIST_SET];
	size_t n = 0;
	if (add_preds(s, p, set, &n) < 0 || n == 0)
		return NOTARGET;
	for (int round = 0; round < HOIST_SET; round++) {
		int e = hoist_entry(s, p, set, n);
		if (e >= 0)
			return set[e];
		size_t was = n;
		for (size_t i = 0; i < was; i++)
			if (add_preds(s, set[i], set, &n) < 0)
				return NOTARGET;
		if (n == was)
			return NOTARGET;
	}
	return NOTARGET;
}

/* Point every jump to FROM at TO. */
static void retarget(struct sh *s, uint32_t from, uint32_t to)
{
	s->work -= (long)s->n;
	for (uint32_t j = 0; j < s->n; j++) {
		struct sblk *J = &s->b[j];
		if (!J->live || J->rank >= s->b[from].rank)
			continue;
		struct linsn *l = last(J);
		for (int k = 0; k < linsn_ntargets(l); k++)
			if (l->tblk[k] == from) {
				l->tblk[k] = to;
				s->b[to].npred++;
				unref(s, from);
			}
	}
}

static int block_xlive(const struct sh *s, const struct sblk *b)
{
	for (size_t i = 0; i < b->len; i++) {
		if (reads_x(&b->code[i].in))
			return 1;
		if (writes_x(&b->code[i].in))
			return 0;
	}
	const struct linsn *l = &b->code[b->len - 1];
	for (int k = 0; k < linsn_ntargets(l); k++)
		if (s->b[l->tblk[k]].xlive)
			return 1;
	return 0;
}

/* X's liveness at every block's entry, from the last block back (charged to
 * the work budget: it runs again after every rewrite). */
static void liveness(struct sh *s)
{
	for (size_t i = s->norig; i-- > 0;) {
		uint32_t ids[2] = {s->b[i].tail, (uint32_t)i};
		for (int k = 0; k < 2; k++) {
			struct sblk *b = ids[k] != NOTARGET ? &s->b[ids[k]] : NULL;
			if (b && b->live) {
				b->xlive = (uint8_t)block_xlive(s, b);
				s->work -= (long)b->len;
			}
		}
	}
}

/* The instructions that go if P's code from PO does, with the blocks of the
 * matched region that nothing else reaches. */
static size_t region_gain(struct sh *s, uint32_t p, size_t po)
{
	uint8_t dead[REGION] = {0};
	size_t gain = s->b[p].len - po;
	for (int changed = 1; changed;) {
		changed = 0;
		for (size_t r = 0; r < s->nregion; r++) {
			uint32_t refs = 0, t = s->region[r];
			for (size_t k = 0; k <= s->nregion && !dead[r]; k++) {
				uint32_t from = k == s->nregion ? p : s->region[k];
				const struct linsn *l = last(&s->b[from]);
				if (k < s->nregion && !dead[k])
					continue;
				for (int i = 0; i < linsn_ntargets(l); i++)
					refs += l->tblk[i] == t;
			}
			if (!dead[r] && refs == s->b[t].npred) {
				dead[r] = 1;
				gain += s->b[t].len;
				changed = 1;
			}
		}
	}
	return gain;
}

/* Share Q's code from QO with P's from PO (the match held, with X = C, or
 * with no X at all when C < 0).  Returns 1 if done, 0 if not worth it. */
static int apply(struct sh *s, uint32_t p, size_t po, uint32_t q, size_t qo, int64_t c)
{
	struct sblk *P = &s->b[p];
	size_t gain = region_gain(s, p, po);
	uint32_t j = po == 0 && p != 0 && c >= 0 ? hoist_site(s, p) : NOTARGET;
	size_t cost = po == 0 && p != 0 ? (c >= 0 ? (j != NOTARGET ? 1 : 2) : 0) : 1 + (c >= 0);
	if (gain <= cost || (qo > 0 && (q >= s->norig || s->b[q].tail != NOTARGET)))
		return 0;
	uint32_t t = split(s, q, qo);
	if (t == NOTARGET)
		return 0;
	if (po == 0 && p != 0 && c < 0) {
		retarget(s, p, t);
		return 1;
	}
	if (j != NOTARGET) {
		struct sblk *J = &s->b[j];
		if (grow(s, J, 1) < 0)
			return 0;
		J->code[J->len] = J->code[J->len - 1];
		J->code[J->len - 1] = mk(BPF_LDX | BPF_W | BPF_IMM, (uint32_t)c, 0, 0);
		J->len++;
		J->hoisted = 1;
		retarget(s, p, t);
		return 1;
	}
	if (grow(s, P, 2) < 0)
		return 0;
	struct linsn end = *last(P);
	P->len = po;
	if (c >= 0)
		P->code[P->len++] = mk(BPF_LDX | BPF_W | BPF_IMM, (uint32_t)c, 0, 0);
	P->code[P->len++] = mk(BPF_JMP | BPF_JA, 0, 2, t);
	s->b[t].npred++;
	for (int k = 0; k < linsn_ntargets(&end); k++)
		unref(s, end.tblk[k]);
	return 1;
}

/* Can Q's code from QO start where P's from PO does? (a cheap first look) */
static int may_start(const struct linsn *x, const struct linsn *y)
{
	if (y->in.code == x->in.code && y->in.k == x->in.k)
		return 1;
	return BPF_MODE(x->in.code) == BPF_ABS &&
	       y->in.code == (BPF_LD | BPF_SIZE(x->in.code) | BPF_IND);
}

/* Find a later block that can run P's code from PO, and share it. */
static int share_from(struct sh *s, uint32_t p, size_t po)
{
	for (uint32_t q = 0; q < s->n && s->work > 0; q++) {
		struct sblk *Q = &s->b[q];
		if (!Q->live || Q->rank <= s->b[p].rank)
			continue;
		for (size_t qo = 0; qo < Q->len && s->work > 0; qo++) {
			s->work--;
			if (!may_start(&s->b[p].code[po], &Q->code[qo]))
				continue;
			int64_t c = -1;
			s->nregion = 0;
			if (match(s, p, po, q, qo, &c, 0) && apply(s, p, po, q, qo, c)) {
				liveness(s);
				return 1;
			}
			if (s->nomem)
				return 0;
		}
	}
	return 0;
}

static void rebase_pass(struct sh *s)
{
	for (uint32_t p = 0; p < s->norig && s->work > 0 && !s->nomem; p++) {
		struct sblk *P = &s->b[p];
		if (!P->live)
			continue;
		size_t lo = P->len;
		while (lo > 0 && x_free(&P->code[lo - 1].in))
			lo--;
		for (size_t po = lo; po < P->len; po++)
			if (a_free_load(&P->code[po].in) && share_from(s, p, po))
				break;
	}
}

static int same_code(const struct sblk *x, const struct sblk *y)
{
	if (x->len != y->len)
		return 0;
	for (size_t i = 0; i < x->len; i++) {
		const struct linsn *a = &x->code[i], *b = &y->code[i];
		if (a->in.code != b->in.code || a->in.k != b->in.k || a->is_jmp != b->is_jmp ||
		    a->tblk[0] != b->tblk[0] || a->tblk[1] != b->tblk[1])
			return 0;
	}
	return 1;
}

static uint64_t hash_code(const struct sblk *b)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < b->len; i++) {
		const struct linsn *l = &b->code[i];
		uint64_t w[3] = {l->in.code | (uint64_t)l->is_jmp << 16, l->in.k,
				 l->tblk[0] | (uint64_t)l->tblk[1] << 32};
		for (int k = 0; k < 3; k++)
			h = (h ^ w[k]) * 1099511628211ull;
	}
	return h;
}

/* Identical blocks become the later one; a block that only jumps becomes its
 * target.  From the last block back, so that targets are final when compared. */
static int merge_identical(struct sh *s)
{
	size_t hsize = 1;
	while (hsize < 2 * s->norig)
		hsize *= 2;
	uint32_t *rep = malloc(s->norig * sizeof(*rep)), *tab = malloc(hsize * sizeof(*tab));
	if (!rep || !tab) {
		free(rep);
		free(tab);
		return -1;
	}
	for (size_t i = 0; i < hsize; i++)
		tab[i] = NOTARGET;
	for (size_t i = s->norig; i-- > 0;) {
		struct sblk *b = &s->b[i];
		rep[i] = (uint32_t)i;
		struct linsn *l = last(b);
		for (int k = 0; k < linsn_ntargets(l); k++)
			l->tblk[k] = rep[l->tblk[k]];
		if (l->is_jmp == 1 && l->tblk[0] == l->tblk[1]) /* a test that decides nothing */
			*l = mk(BPF_JMP | BPF_JA, 0, 2, l->tblk[0]);
		if (i == 0)
			break;
		if (b->len == 1 && l->is_jmp == 2) {
			rep[i] = l->tblk[0];
			continue;
		}
		size_t h = (size_t)hash_code(b) & (hsize - 1);
		while (tab[h] != NOTARGET && !same_code(&s->b[tab[h]], b))
			h = (h + 1) & (hsize - 1);
		if (tab[h] == NOTARGET)
			tab[h] = (uint32_t)i;
		else
			rep[i] = tab[h];
	}
	for (size_t i = 0; i < s->norig; i++)
		s->b[i].live = rep[i] == i;
	for (size_t i = 0; i < s->norig; i++) {
		const struct linsn *l = last(&s->b[i]);
		for (int k = 0; k < linsn_ntargets(l) && s->b[i].live; k++)
			s->b[l->tblk[k]].npred++;
	}
	free(rep);
	free(tab);
	return 0;
}

/* The live blocks back into one program, in rank order. */
static int flatten(struct sh *s, struct share_in *in)
{
	uint32_t *num = malloc(s->n * sizeof(*num)), *seq = malloc(s->n * sizeof(*seq));
	size_t nb = 0, n = 0;
	if (!num || !seq)
		goto fail;
	for (uint32_t i = 0; i < s->norig; i++) {
		uint32_t ids[2] = {i, s->b[i].tail};
		for (int k = 0; k < 2; k++)
			if (ids[k] != NOTARGET && s->b[ids[k]].live) {
				num[ids[k]] = (uint32_t)nb;
				seq[nb++] = ids[k];
				n += s->b[ids[k]].len;
			}
	}
	struct linsn *code = malloc(n * sizeof(*code));
	size_t *first = malloc((nb + 1) * sizeof(*first));
	if (!code || !first) {
		free(code);
		free(first);
		goto fail;
	}
	size_t at = 0;
	for (size_t k = 0; k < nb; k++) {
		const struct sblk *b = &s->b[seq[k]];
		first[k] = at;
		for (size_t i = 0; i < b->len; i++) {
			struct linsn l = b->code[i];
			for (int t = 0; t < linsn_ntargets(&l); t++)
				l.tblk[t] = num[l.tblk[t]];
			code[at++] = l;
		}
	}
	first[nb] = at;
	free(in->code);
	free(in->first);
	in->code = code;
	in->n = at;
	in->first = first;
	in->nblocks = nb;
	free(num);
	free(seq);
	return 0;
fail:
	free(num);
	free(seq);
	return -1;
}

int share_run(struct share_in *in)
{
	struct sh s = {.norig = in->nblocks,
		       .n = in->nblocks,
		       .work = WORK_BUDGET,
		       .min_abs = in->min_abs};
	int rc = -1;
	if (in->nblocks == 0)
		return 0;
	/* each block may be split once: 2 * nblocks blocks, each dying once
	 * and pushing its (at most 2) targets */
	s.b = calloc(2 * in->nblocks, sizeof(*s.b));
	s.stack = malloc((4 * in->nblocks + 1) * sizeof(*s.stack));
	if (!s.b || !s.stack) {
		free(s.b);
		free(s.stack);
		return -1;
	}
	for (size_t i = 0; i < in->nblocks; i++) {
		struct sblk *b = &s.b[i];
		b->len = in->first[i + 1] - in->first[i];
		b->code = malloc(b->len * sizeof(*b->code));
		if (!b->code)
			goto done;
		memcpy(b->code, in->code + in->first[i], b->len * sizeof(*b->code));
		b->rank = (uint32_t)(2 * i);
		b->tail = NOTARGET;
	}
	if (merge_identical(&s) < 0)
		goto done;
	liveness(&s);
	rebase_pass(&s);
	if (!s.nomem)
		rc = flatten(&s, in);
done:
	for (size_t i = 0; i < s.n; i++)
		free(s.b[i].code);
	free(s.b);
	free(s.stack);
	return rc;
}
