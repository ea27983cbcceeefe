/* opt.c - the optimizer; see opt.h.
 *
 * Facts are tests known to have been evaluated on every path into a block,
 * with their outcomes.  Walking the graph in topological order, each edge
 * carries its source block's facts plus the outcome it stands for; an edge
 * into a block whose test those facts decide is moved to the block's
 * successor (jump threading).  A fact names a value that was already
 * evaluated on the path, so skipping a test on it skips no fault; a test
 * decided by facts about other loads of its bytes, or one whose outcome is
 * constant, may skip reads past the end of a short packet (opt.h).  Where
 * paths that each know a value's constant meet, the value is known to be
 * one of a few (a set fact): a test of it that every member sends one way
 * is decided, and one whose both sides lead, member by member, to one
 * block is skipped.
 */
#include "ir/opt.h"
#include "ir/opt_chain.h"
#include "ir/opt_swap.h"
#include "ir/opt_tree.h"
#include "ir/opt_walk.h"

#include <stdlib.h>
#include <string.h>

/* MAX_HOPS bounds one edge's walk in one round (long decided chains are
 * shortened over several rounds instead), so hostile lists of thousands
 * of terms cost linear time. */
enum { MAX_FACTS = 48, MAX_ROUNDS = 32, MAX_HOPS = 64, MAX_SET = 6, MAX_SPLITS = 8 };

/* "V op K" came out OUTCOME; or, with op IR_RET (a set fact), V was
 * evaluated and is one of SET[0..NSET-1]: where paths that each know V's
 * value meet ('ip proto 6 or ip proto 17' ahead of a port test). */
struct fact {
	const struct ir_val *v;
	enum ir_test op;
	uint32_t k;
	int outcome;
	int nset;
	uint32_t set[MAX_SET];
};

/* The facts on one edge (a working buffer). */
struct facts {
	int n;
	struct fact f[MAX_FACTS];
};

/* The facts known on entry to a block: sized to fit, and only shrinking. */
struct factset {
	int n;
	struct fact f[];
};

/* What FACT says about "V op K": 1, 0, or -1 unknown. */
static int implies(const struct fact *f, enum ir_test op, uint32_t k)
{
	uint32_t c = f->k;
	int t = f->outcome;
	if (f->op == op && c == k)
		return t;
	switch (f->op) {
	case IR_JEQ:
		if (t)
			return ir_test_const(op, c, k);
		return op == IR_JEQ && k == c ? 0 : -1;
	case IR_JGT: /* t: v > c, else v <= c */
		if (t) {
			if (op == IR_JGT && k <= c)
				return 1;
			if (op == IR_JGE && k <= c + 1 && c != UINT32_MAX)
				return 1;
			if (op == IR_JEQ && k <= c)
				return 0;
		} else {
			if (op == IR_JGT && k >= c)
				return 0;
			if (op == IR_JGE && k > c)
				return 0;
			if (op == IR_JEQ && k > c)
				return 0;
		}
		return -1;
	case IR_JGE: /* t: v >= c, else v < c */
		if (t) {
			if (op == IR_JGE && k <= c)
				return 1;
			if (op == IR_JGT && k < c)
				return 1;
			if (op == IR_JEQ && k < c)
				return 0;
		} else {
			if (op == IR_JGE && k >= c)
				return 0;
			if (op == IR_JGT && c > 0 && k >= c - 1)
				return 0;
			if (op == IR_JEQ && k >= c)
				return 0;
		}
		return -1;
	case IR_JSET:
		if (t && op == IR_JSET && (c & ~k) == 0)
			return 1;
		if (!t && op == IR_JSET && (k & ~c) == 0)
			return 0;
		if (!t && op == IR_JEQ && (k & c) != 0)
			return 0;
		return -1;
	default: return -1;
	}
}

/* A test of bits at fixed offsets: V is an absolute load, or one under a
 * constant mask; *OFF, *SIZE the load, *M the bits tested. */
static int fixed_bits(const struct ir_val *v, uint32_t *off, uint32_t *size, uint32_t *m)
{
	*m = UINT32_MAX;
	if (v->kind == IR_V_BIN && v->op == IR_AND && v->b->kind == IR_V_CONST) {
		*m = v->b->k;
		v = v->a;
	}
	if (v->kind != IR_V_LOAD || v->a)
		return 0;
	*off = v->k;
	*size = v->size;
	if (v->size < 4)
		*m &= (1u << (8 * v->size)) - 1;
	return 1;
}

/* What fact F says for certain about the bits of its value: into *M the
 * bits known, *VAL their values (0: nothing known). */
static int fact_bits(const struct fact *f, uint32_t m, uint32_t *km, uint32_t *kv)
{
	uint32_t k = f->k, one = f->op == IR_JSET ? k & m : m;
	*km = *kv = 0;
	if (f->op == IR_JEQ && f->outcome && !(k & ~m))
		*km = m, *kv = k;
	else if (f->op == IR_JSET && !f->outcome)
		*km = k & m;
	else if (f->op == IR_JSET && one && !(one & (one - 1)))
		*km = one, *kv = one;
	else if (f->op == IR_JEQ && !f->outcome && m && !(m & (m - 1)) && !(k & ~m))
		*km = m, *kv = k ^ m;
	return *km != 0;
}

/* The bits of [OFF, OFF + SIZE) that the facts fix, as a value of that
 * load: into *KM (known) and *KV. */
static void known_bits(const struct facts *fs, uint32_t off, uint32_t size, uint32_t *km,
		       uint32_t *kv)
{
	*km = *kv = 0;
	for (int i = 0; i < fs->n; i++) {
		uint32_t fo, fsz, fm, m, v;
		if (!fixed_bits(fs->f[i].v, &fo, &fsz, &fm) || !fact_bits(&fs->f[i], fm, &m, &v))
			continue;
		for (uint32_t byte = 0; byte < fsz; byte++) { /* byte 0: the first */
			uint32_t at = fo + byte, sh = 8 * (fsz - 1 - byte);
			if (at < off || at >= off + size)
				continue;
			uint32_t to = 8 * (size - 1 - (at - off));
			*km |= ((m >> sh) & 0xff) << to;
			*kv |= ((v >> sh) & 0xff) << to;
		}
	}
}

/* Decide B from facts about other loads of the same bytes (ldb [16] & 7
 * = 2 settles ldh [16] & 0xff07 = 0x8102, and ldb [16] = 1 refutes it).
 * The outcome is then the same whatever the bytes the facts did not read,
 * so skipping B only skips reads past the end of a short packet (opt.h).
 * 1, 0, or -1. */
static int decide_bits(const struct facts *fs, const struct ir_block *b)
{
	uint32_t off, size, m, km, kv, k = b->k;
	if ((b->op != IR_JEQ && b->op != IR_JSET) || !fixed_bits(b->lhs, &off, &size, &m))
		return -1;
	known_bits(fs, off, size, &km, &kv);
	if (!(km & m))
		return -1;
	if (b->op == IR_JEQ) {
		if (k & ~m || ((kv ^ k) & km & m))
			return (k & ~m) ? -1 : 0;
		return (km & m) == m ? 1 : -1;
	}
	uint32_t j = k & m;
	if (kv & km & j)
		return 1;
	return (km & j) == j && j ? 0 : -1;
}

/* What set fact F says about "V op K": 1 or 0 if every member agrees. */
static int set_implies(const struct fact *f, enum ir_test op, uint32_t k)
{
	int r = ir_test_const(op, f->set[0], k);
	for (int i = 1; i < f->nset; i++)
		if (ir_test_const(op, f->set[i], k) != r)
			return -1;
	return r;
}

static int decide(const struct facts *fs, const struct ir_block *b)
{
	if (b->op == IR_RET || b->rhs || b->stmts)
		return -1;
	if (b->lhs->kind == IR_V_CONST)
		return ir_test_const(b->op, b->lhs->k, b->k);
	for (int i = 0; i < fs->n; i++)
		if (fs->f[i].v == b->lhs) {
			int r = fs->f[i].nset ? set_implies(&fs->f[i], b->op, b->k)
					      : implies(&fs->f[i], b->op, b->k);
			if (r >= 0)
				return r;
		}
	return decide_bits(fs, b);
}

static int evaluated(const struct facts *fs, const struct ir_val *v)
{
	if (!v->may_fault)
		return 1;
	for (int i = 0; i < fs->n; i++)
		if (fs->f[i].v == v)
			return 1;
	return 0;
}

/* B goes on to one block whatever its test says: it can be skipped unless
 * it stores, or could reject a packet that is not short (a fault that
 * only rejects anyway, or a value the facts say was evaluated already, is
 * no loss either). */
static int skippable(const struct facts *fs, const struct ir *ir, const struct ir_block *s)
{
	if (s->succ[0] != s->succ[1] || s->stmts)
		return 0;
	if (s->succ[0] == ir->reject)
		return 1;
	return (ir_read_faults(s->lhs) || evaluated(fs, s->lhs)) &&
	       (!s->rhs || ir_read_faults(s->rhs) || evaluated(fs, s->rhs));
}

static struct ir_block *thread_from(const struct ir *ir, const struct facts *fs, struct ir_block *s,
				    int outer, int *splits);

/* B, one of whose sides rejects, can be skipped to its other side when
 * that side, on B's outcome, rejects too ('ether proto 0x86dd' ahead of
 * 'ether proto 0x800' on the way to IPv4-only tests).  The other side must
 * test B's value before any test that only B's outcome decides: on a
 * packet that B's outcome sends to the reject, the tests then run to the
 * reject, or fault, which rejects too, and on one that ends inside B's
 * value they fault where B would have.  The other side, or NULL. */
static struct ir_block *redundant(const struct ir *ir, const struct facts *fs,
				  const struct ir_block *b)
{
	if (b->stmts || b->rhs || b->walk_key || !b->lhs)
		return NULL;
	for (int s = 0; s < 2; s++) {
		struct ir_block *t = b->succ[!s];
		if (b->succ[s] != ir->reject || t == ir->reject)
			continue;
		int hops = 0, r;
		for (;
		     hops < MAX_HOPS && t->op != IR_RET && (t->lhs != b->lhs || t->rhs || t->stmts);
		     hops++, t = t->succ[r])
			if ((r = decide(fs, t)) < 0)
				break;
		if (hops == MAX_HOPS || t->op == IR_RET || t->lhs != b->lhs || t->rhs || t->stmts)
			continue;
		struct facts ef = *fs;
		if (ef.n == MAX_FACTS)
			memmove(ef.f, ef.f + 1, (size_t)(MAX_FACTS - 1) * sizeof(ef.f[0])), ef.n--;
		ef.f[ef.n++] = (struct fact){b->lhs, b->op, b->k, s, 0, {0}};
		int none = 0;
		if (thread_from(ir, &ef, t, 0, &none) == ir->reject)
			return b->succ[!s];
	}
	return NULL;
}

/* B tests a value that a set fact of FS holds: the block both of B's
 * sides lead to, each with the fact narrowed to the members that send
 * the test that way, or NULL.  The value was evaluated, so skipping B
 * skips no fault.  *SPLITS bounds the work. */
static struct ir_block *split(const struct ir *ir, const struct facts *fs, const struct ir_block *b,
			      int *splits)
{
	int i = 0;
	if (b->rhs || b->stmts || *splits <= 0)
		return NULL;
	while (i < fs->n && !(fs->f[i].v == b->lhs && fs->f[i].nset))
		i++;
	if (i == fs->n)
		return NULL;
	struct facts *side = malloc(2 * sizeof(*side));
	struct ir_block *to[2] = {NULL, NULL};
	if (!side)
		return NULL;
	(*splits)--;
	for (int r = 0; r < 2; r++) {
		struct fact *f = &side[r].f[i];
		side[r] = *fs;
		f->nset = 0;
		for (int j = 0; j < fs->f[i].nset; j++)
			if (ir_test_const(b->op, fs->f[i].set[j], b->k) == r)
				f->set[f->nset++] = fs->f[i].set[j];
		if (f->nset == 1) /* one member left: an ordinary fact */
			*f = (struct fact){f->v, IR_JEQ, f->set[0], 1, 0, {0}};
		to[r] = f->nset || f->op == IR_JEQ
				? thread_from(ir, &side[r], b->succ[r], 0, splits)
				: NULL;
	}
	free(side);
	return to[0] && to[0] == to[1] ? to[0] : NULL;
}

/* Follow EDGE's target past blocks that the facts decide or that do
 * nothing but (safely) test; OUTER: past redundant() tests too. */
static struct ir_block *thread_from(const struct ir *ir, const struct facts *fs, struct ir_block *s,
				    int outer, int *splits)
{
	struct ir_block *t;
	for (int hops = 0; hops < MAX_HOPS && s->op != IR_RET; hops++) {
		int r = decide(fs, s);
		if (r >= 0) {
			s = s->succ[r];
			continue;
		}
		if (skippable(fs, ir, s)) {
			s = s->succ[0];
			continue;
		}
		if (outer && (t = redundant(ir, fs, s))) {
			s = t;
			continue;
		}
		if ((t = split(ir, fs, s, splits))) {
			s = t;
			continue;
		}
		break;
	}
	return s;
}

static struct ir_block *thread(const struct ir *ir, const struct facts *fs, struct ir_block *s)
{
	int splits = MAX_SPLITS;
	return thread_from(ir, fs, s, 1, &splits);
}

static void edge_facts(struct facts *out, const struct factset *in, const struct ir_block *b,
		       int side)
{
	out->n = in ? in->n : 0;
	if (out->n)
		memcpy(out->f, in->f, (size_t)out->n * sizeof(out->f[0]));
	if (b->stmts) { /* stores: forget what depends on the slots written */
		uint32_t written = 0;
		for (const struct ir_stmt *s = b->stmts; s; s = s->next)
			written |= 1u << s->slot;
		int n = 0;
		for (int i = 0; i < out->n; i++)
			if (!(out->f[i].v->uses_mem & written))
				out->f[n++] = out->f[i];
		out->n = n;
	}
	if (b->op == IR_RET || b->rhs)
		return;
	if (out->n == MAX_FACTS) { /* full: forget the oldest "v != k", else the oldest */
		int drop = 0;
		for (int i = 0; i < out->n; i++)
			if (out->f[i].op == IR_JEQ && !out->f[i].outcome) {
				drop = i;
				break;
			}
		memmove(out->f + drop, out->f + drop + 1,
			(size_t)(MAX_FACTS - 1 - drop) * sizeof(out->f[0]));
		out->n--;
	}
	out->f[out->n++] = (struct fact){b->lhs, b->op, b->k, side, 0, {0}};
}

/* F's value is known on FROM's edge too: F becomes (or stays) the set fact
 * of the values on both, if they fit.  1 if F still says something. */
static int set_add(struct fact *f, uint32_t k)
{
	for (int i = 0; i < f->nset; i++)
		if (f->set[i] == k)
			return 1;
	if (f->nset == MAX_SET)
		return 0;
	f->set[f->nset++] = k;
	return 1;
}

static int set_union(struct fact *f, const struct facts *from)
{
	if (!f->nset && !(f->op == IR_JEQ && f->outcome))
		return 0;
	for (int j = 0; j < from->n; j++) {
		const struct fact *g = &from->f[j];
		if (g->v != f->v || !(g->nset || (g->op == IR_JEQ && g->outcome)))
			continue;
		struct fact u = *f;
		if (!u.nset)
			u = (struct fact){f->v, IR_RET, 0, 1, 1, {f->k}};
		int fits = 1;
		for (int i = 0; i < (g->nset ? g->nset : 1) && fits; i++)
			fits = set_add(&u, g->nset ? g->set[i] : g->k);
		if (!fits)
			return 0;
		*f = u;
		return 1;
	}
	return 0;
}

/* Intersect the facts of one more edge into a block's entry facts. */
static int meet(struct factset **slot, const struct facts *from)
{
	struct factset *into = *slot;
	if (!into) {
		into = malloc(sizeof(*into) + (size_t)from->n * sizeof(into->f[0]));
		if (!into)
			return -1;
		into->n = from->n;
		memcpy(into->f, from->f, (size_t)from->n * sizeof(into->f[0]));
		*slot = into;
		return 0;
	}
	int n = 0;
	for (int i = 0; i < into->n; i++) {
		int j = 0;
		while (j < from->n &&
		       !(into->f[i].v == from->f[j].v && into->f[i].op == from->f[j].op &&
			 into->f[i].k == from->f[j].k && into->f[i].outcome == from->f[j].outcome &&
			 !into->f[i].nset))
			j++;
		if (j < from->n)
			into->f[n++] = into->f[i];
		else if (set_union(&into->f[i], from))
			into->f[n++] = into->f[i];
	}
	into->n = n;
	return 0;
}

/* One round of threading; returns the number of edges moved, or -1. */
static int thread_round(struct ir *ir)
{
	size_t nb = ir->nblocks;
	struct ir_block **list = malloc(nb * sizeof(*list));
	struct factset **in = calloc(nb, sizeof(*in));
	struct facts *ef = malloc(sizeof(*ef));
	int moved = 0;
	if (!list || !in || !ef) {
		moved = -1;
		goto done;
	}
	ef->n = 0;
	struct ir_block *r = thread(ir, ef, ir->root);
	if (r != ir->root) {
		ir->root = r;
		moved++;
	}
	size_t n = ir_order(ir, list);
	for (size_t i = 0; i < n && moved >= 0; i++) {
		struct ir_block *b = list[i];
		/* no facts: every edge into it has moved on, it is unreachable */
		if (b->op == IR_RET || (!in[b->id] && b != ir->root))
			continue;
		for (int s = 0; s < 2; s++) {
			edge_facts(ef, in[b->id], b, s);
			struct ir_block *t = thread(ir, ef, b->succ[s]);
			if (t != b->succ[s]) {
				b->succ[s] = t;
				moved++;
			}
			if (meet(&in[t->id], ef) < 0) {
				moved = -1;
				break;
			}
		}
	}
done:
	for (size_t i = 0; in && i < nb; i++)
		free(in[i]);
	free(list);
	free(in);
	free(ef);
	return moved;
}

static int same_stmts(const struct ir_stmt *a, const struct ir_stmt *b)
{
	for (; a && b; a = a->next, b = b->next)
		if (a->slot != b->slot || a->v != b->v)
			return 0;
	return !a && !b;
}

static int same_block(const struct ir_block *a, const struct ir_block *b)
{
	return a->op == b->op && a->lhs == b->lhs && a->rhs == b->rhs && a->k == b->k &&
	       a->walk_key == b->walk_key && a->walk_exit == b->walk_exit &&
	       (a->op == IR_RET || (a->succ[0] == b->succ[0] && a->succ[1] == b->succ[1])) &&
	       same_stmts(a->stmts, b->stmts);
}

static uint32_t block_hash(const struct ir_block *b)
{
	uint64_t h = (uint64_t)b->op * 0x9e3779b97f4a7c15ull ^ b->k;
	h = h * 31 + (b->lhs ? b->lhs->id + 1 : 0);
	h = h * 31 + (b->rhs ? b->rhs->id + 1 : 0);
	if (b->op != IR_RET)
		h = h * 31 + b->succ[0]->id * 7 + b->succ[1]->id;
	for (const struct ir_stmt *s = b->stmts; s; s = s->next)
		h = h * 31 + s->slot * 131 + s->v->id;
	return (uint32_t)(h ^ (h >> 31));
}

/* Identical blocks with identical successors become one (sinks first, so
 * whole identical subgraphs fold).  Returns the number merged, or -1. */
static int merge_round(struct ir *ir)
{
	size_t nb = ir->nblocks, cap = 2 * nb + 1;
	struct ir_block **list = malloc(nb * sizeof(*list));
	struct ir_block **rep = calloc(nb, sizeof(*rep));
	struct ir_block **table = calloc(cap, sizeof(*table));
	if (!list || !rep || !table) {
		free(list);
		free(rep);
		free(table);
		return -1;
	}
	size_t n = ir_order(ir, list);
	int merged = 0;
	for (size_t i = n; i-- > 0;) {
		struct ir_block *b = list[i];
		for (int s = 0; s < 2 && b->op != IR_RET; s++)
			if (rep[b->succ[s]->id])
				b->succ[s] = rep[b->succ[s]->id];
		size_t h = block_hash(b) % cap;
		while (table[h] && !same_block(table[h], b))
			h = (h + 1) % cap;
		if (table[h]) {
			rep[b->id] = table[h];
			merged++;
		} else {
			table[h] = b;
		}
	}
	if (rep[ir->root->id])
		ir->root = rep[ir->root->id];
	free(list);
	free(rep);
	free(table);
	return merged;
}

/* A test whose outcome does not depend on its value (v jset 0, v >= 0,
 * v > 0xffffffff, (v & m) == k with k outside m) keeps only its value's
 * evaluation, which may fault: both edges go to the outcome.  Returns
 * whether B was one. */
static int constant_outcome(struct ir_block *b)
{
	const struct ir_val *v = b->lhs;
	int r = -1;
	if (b->op == IR_RET || b->rhs || !v || b->succ[0] == b->succ[1])
		return 0;
	if (b->op == IR_JSET && b->k == 0)
		r = 0;
	else if (b->op == IR_JGE && b->k == 0)
		r = 1;
	else if (b->op == IR_JGT && b->k == UINT32_MAX)
		r = 0;
	else if (b->op == IR_JEQ && v->kind == IR_V_BIN && v->op == IR_AND &&
		 v->b->kind == IR_V_CONST && (b->k & ~v->b->k))
		r = 0;
	else if (b->op == IR_JSET && v->kind == IR_V_BIN && v->op == IR_AND &&
		 v->b->kind == IR_V_CONST && !(b->k & v->b->k))
		r = 0;
	if (r < 0)
		return 0;
	b->succ[!r] = b->succ[r];
	return 1;
}

/* v + c == k is v == k - c, v - c == k is v == k + c and v ^ c == k is
 * v == k ^ c (32-bit arithmetic wraps, so equality survives; order does
 * not).  The operation reads nothing, so no fault moves. */
static void fold_into_compare(struct ir_block *b)
{
	for (const struct ir_val *v = b->lhs;
	     b->op == IR_JEQ && !b->rhs && v && v->kind == IR_V_BIN && v->b->kind == IR_V_CONST;
	     v = b->lhs) {
		if (v->op == IR_ADD)
			b->k -= v->b->k;
		else if (v->op == IR_SUB)
			b->k += v->b->k;
		else if (v->op == IR_XOR)
			b->k ^= v->b->k;
		else
			return;
		b->lhs = v->a;
	}
}

/* (v & m) == 0 is "not (v jset m)", and (v & bit) == bit is "v jset bit":
 * one instruction fewer, and one spelling for the fact tables. */
static void normalize(struct ir *ir)
{
	struct ir_block **list = malloc(ir->nblocks * sizeof(*list));
	if (!list)
		return;
	size_t n = ir_order(ir, list);
	for (size_t i = 0; i < n; i++) {
		struct ir_block *b = list[i];
		fold_into_compare(b);
		const struct ir_val *v = b->lhs;
		if (constant_outcome(b))
			continue;
		if (b->op != IR_JEQ || b->rhs || !v || v->kind != IR_V_BIN || v->op != IR_AND ||
		    v->b->kind != IR_V_CONST)
			continue;
		uint32_t m = v->b->k;
		int single = m && !(m & (m - 1));
		if (b->k == 0 || (single && b->k == m)) {
			if (b->k == 0) {
				struct ir_block *t = b->succ[0];
				b->succ[0] = b->succ[1];
				b->succ[1] = t;
			}
			b->op = IR_JSET;
			b->lhs = v->a;
			b->k = m;
			constant_outcome(b);
		}
	}
	free(list);
}

/* (load & M) == K, where M keeps one or two whole bytes of the load and K
 * lies within M, is a test of a narrower load of those bytes ('ld [26] &
 * 0xffff0000 = 0xc0a80000' is 'ldh [26] = 0xc0a8': no 'and').  The narrow
 * load reads fewer bytes, so it faults on fewer packets, only on those the
 * wide one did: opt.h's rule allows it.  Not after a test of the wide load,
 * which leaves it in A (the 'and' costs no more than the load, and blocks
 * that end alike share code).  1 if B was rewritten, 0 if not, -1 when out
 * of memory. */
static const struct ir_val *narrowable(const struct ir_block *b)
{
	const struct ir_val *v = b->lhs, *w;
	if (b->op != IR_JEQ || b->rhs || b->stmts || b->walk_key || !v || v->kind != IR_V_BIN ||
	    v->op != IR_AND || v->b->kind != IR_V_CONST || (w = v->a)->kind != IR_V_LOAD ||
	    (w->a && w->a->kind != IR_V_MSH) || w->size < 2)
		return NULL;
	return w;
}

/* Does B's test leave W, or W under a mask, in A? */
static int leaves(const struct ir_block *b, const struct ir_val *w)
{
	const struct ir_val *v = b->lhs;
	return b->op != IR_RET && v && !b->rhs &&
	       (v == w || (v->kind == IR_V_BIN && v->op == IR_AND && v->a == w));
}

static int narrow_one(struct ir *ir, struct ir_block *b)
{
	const struct ir_val *v = b->lhs, *w = narrowable(b);
	if (!w)
		return 0;
	uint32_t m = v->b->k, s = w->size, first = s, last = 0;
	if (s < 4)
		m &= (1u << (8 * s)) - 1;
	if (b->k & ~m)
		return 0;
	for (uint32_t i = 0; i < s; i++) { /* byte 0: the first in the packet */
		uint32_t mb = (m >> (8 * (s - 1 - i))) & 0xff;
		if (!mb)
			continue;
		if (mb != 0xff || (first < s && last + 1 != i))
			return 0;
		if (first == s)
			first = i;
		last = i;
	}
	uint32_t n = last - first + 1;
	if (first == s || n > 2 || n >= s)
		return 0;
	const struct ir_val *nw = ir_load(ir, (uint8_t)n, w->a, w->k + first);
	if (!nw)
		return -1;
	b->lhs = nw;
	b->k = (b->k >> (8 * (s - 1 - last))) & ((1u << (8 * n)) - 1);
	return 1;
}

static int narrow_masks(struct ir *ir)
{
	struct ir_block **list = malloc(ir->nblocks * sizeof(*list));
	unsigned char *keep = calloc(ir->nblocks, 1);
	size_t n = list && keep ? ir_order(ir, list) : 0;
	int done = n ? 0 : -1;
	for (size_t i = 0; i < n; i++)
		for (int s = 0; s < 2 && list[i]->op != IR_RET; s++) {
			const struct ir_block *t = list[i]->succ[s];
			const struct ir_val *w = narrowable(t);
			if (w && leaves(list[i], w))
				keep[t->id] = 1;
		}
	for (size_t i = 0; i < n && done >= 0; i++) {
		int r = list[i]->op == IR_RET || keep[list[i]->id] ? 0 : narrow_one(ir, list[i]);
		done = r < 0 ? -1 : done + r;
	}
	free(list);
	free(keep);
	return done;
}

static int rounds(struct ir *ir)
{
	for (int round = 0; round < MAX_ROUNDS; round++) {
		int moved = thread_round(ir);
		int merged = moved < 0 ? -1 : merge_round(ir);
		if (moved < 0 || merged < 0)
			return -1;
		if (moved == 0 && merged == 0)
			break;
	}
	return 0;
}

int opt_run(struct ir *ir)
{
	/* each pass in turn; after one that changed the graph, threading and
	 * merging again until nothing moves */
	static int (*const passes[])(struct ir *) = {
		opt_walks,    opt_chains, opt_terms, opt_conjuncts, opt_ranges,
		narrow_masks, opt_hoists, opt_swaps, opt_trees,
	};
	normalize(ir);
	if (rounds(ir) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(passes) / sizeof(passes[0]); i++) {
		int changed = passes[i](ir);
		if (changed < 0 || (changed && rounds(ir) < 0))
			return -1;
	}
	return 0;
}
