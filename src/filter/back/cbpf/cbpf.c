/* cbpf.c - IR to classic BPF; see cbpf.h. */
#include "back/cbpf/cbpf.h"
#include "back/cbpf/layout.h"
#include "back/cbpf/dce.h"
#include "back/cbpf/share.h"

#include <linux/filter.h>
#include <stdlib.h>
#include <string.h>

#define SKF_AD_BASE 0xfffff000u

/* What A, X and the scratch words hold. */
struct regs {
	const struct ir_val *a, *x, *m[IR_MEMWORDS];
};

struct emit {
	struct diag_sink *d;
	struct linsn *code;
	size_t n, cap;
	struct regs r;
	int err;
	int tmp_top; /* temporaries use M[15] downwards */
};

static void put(struct emit *e, uint16_t code, uint32_t k)
{
	if (e->err)
		return;
	if (e->n == e->cap) {
		size_t cap = e->cap ? 2 * e->cap : 256;
		struct linsn *c = realloc(e->code, cap * sizeof(*c));
		if (!c) {
			e->err = diag_set(e->d, FILTER_ERR_NOMEM, 0, 0, "out of memory");
			return;
		}
		e->code = c;
		e->cap = cap;
	}
	struct linsn *l = &e->code[e->n++];
	memset(l, 0, sizeof(*l));
	l->in.code = code;
	l->in.k = k;
	l->tblk[0] = l->tblk[1] = NOTARGET;
}

static uint16_t size_code(uint8_t size)
{
	return size == 4 ? BPF_W : size == 2 ? BPF_H : BPF_B;
}

static const uint16_t alu_code[] = {
	[IR_ADD] = BPF_ADD, [IR_SUB] = BPF_SUB, [IR_MUL] = BPF_MUL, [IR_DIV] = BPF_DIV,
	[IR_MOD] = BPF_MOD, [IR_AND] = BPF_AND, [IR_OR] = BPF_OR,   [IR_XOR] = BPF_XOR,
	[IR_LSH] = BPF_LSH, [IR_RSH] = BPF_RSH,
};

static void gen_a(struct emit *e, const struct ir_val *v);

/* Values X can take without touching A. */
static int x_cheap(const struct ir_val *v)
{
	return v->kind == IR_V_CONST || v->kind == IR_V_MSH || v->kind == IR_V_MEM;
}

/* Values A can take without touching X. */
static int a_keeps_x(const struct ir_val *v)
{
	return v->kind == IR_V_CONST || v->kind == IR_V_LEN || v->kind == IR_V_ANC ||
	       v->kind == IR_V_MEM || (v->kind == IR_V_LOAD && !v->a);
}

static int mem_holds(struct emit *e, const struct ir_val *v)
{
	for (int i = 0; i < IR_MEMWORDS; i++)
		if (e->r.m[i] == v)
			return i;
	return -1;
}

static void gen_x_cheap(struct emit *e, const struct ir_val *v)
{
	if (e->r.x == v)
		return;
	int slot = mem_holds(e, v);
	if (v->kind == IR_V_CONST)
		put(e, BPF_LDX | BPF_W | BPF_IMM, v->k);
	else if (v->kind == IR_V_MSH)
		put(e, BPF_LDX | BPF_B | BPF_MSH, v->k);
	else if (v->kind == IR_V_MEM)
		put(e, BPF_LDX | BPF_W | BPF_MEM, v->k);
	else
		put(e, BPF_LDX | BPF_W | BPF_MEM, (uint32_t)slot);
	e->r.x = v;
}

static int x_ready(struct emit *e, const struct ir_val *v)
{
	return e->r.x == v || x_cheap(v) || mem_holds(e, v) >= 0;
}

/* Put V in X; may clobber A. */
static void gen_x(struct emit *e, const struct ir_val *v)
{
	if (x_ready(e, v)) {
		gen_x_cheap(e, v);
		return;
	}
	gen_a(e, v);
	put(e, BPF_MISC | BPF_TAX, 0);
	e->r.x = v;
}

static int tmp_alloc(struct emit *e)
{
	if (e->tmp_top < IR_GEN_SLOTS) {
		e->err = diag_set(e->d, FILTER_ERR_LIMIT, 0, 0,
				  "the expression needs more than %d scratch registers",
				  IR_MEMWORDS - IR_GEN_SLOTS);
		return 0;
	}
	return e->tmp_top--;
}

static int commutes(enum ir_op op)
{
	return op == IR_ADD || op == IR_MUL || op == IR_AND || op == IR_OR || op == IR_XOR;
}

/* A := a and X := b, for binary operations and tests. */
static void gen_pair(struct emit *e, const struct ir_val *a, const struct ir_val *b)
{
	if (x_cheap(b) || mem_holds(e, b) >= 0) {
		gen_a(e, a);
		gen_x_cheap(e, b);
	} else if (e->r.x == b && a_keeps_x(a)) {
		gen_a(e, a);
	} else if (a_keeps_x(a)) {
		gen_x(e, b);
		gen_a(e, a);
	} else {
		gen_a(e, b);
		int t = tmp_alloc(e);
		if (e->err)
			return;
		put(e, BPF_ST, (uint32_t)t);
		e->r.m[t] = b;
		gen_a(e, a);
		gen_x_cheap(e, b);
		e->r.m[t] = NULL;
		e->tmp_top++;
	}
}

static void gen_a(struct emit *e, const struct ir_val *v)
{
	if (e->err || e->r.a == v)
		return;
	int slot;
	switch (v->kind) {
	case IR_V_CONST: put(e, BPF_LD | BPF_W | BPF_IMM, v->k); break;
	case IR_V_LEN: put(e, BPF_LD | BPF_W | BPF_LEN, 0); break;
	case IR_V_ANC: put(e, BPF_LD | size_code(v->size) | BPF_ABS, SKF_AD_BASE + v->k); break;
	case IR_V_MEM: put(e, BPF_LD | BPF_W | BPF_MEM, v->k); break;
	case IR_V_LOAD:
		if (!v->a) {
			put(e, BPF_LD | size_code(v->size) | BPF_ABS, v->k);
			break;
		}
		gen_x(e, v->a);
		put(e, BPF_LD | size_code(v->size) | BPF_IND, v->k);
		break;
	case IR_V_MSH:
		gen_x_cheap(e, v);
		put(e, BPF_MISC | BPF_TXA, 0);
		break;
	case IR_V_NEG:
		gen_a(e, v->a);
		put(e, BPF_ALU | BPF_NEG, 0);
		break;
	case IR_V_BIN:
		if ((slot = mem_holds(e, v)) >= 0) {
			put(e, BPF_LD | BPF_W | BPF_MEM, (uint32_t)slot);
		} else if (v->b->kind == IR_V_CONST) {
			gen_a(e, v->a);
			put(e, BPF_ALU | alu_code[v->op] | BPF_K, v->b->k);
		} else if (commutes(v->op) &&
			   (x_cheap(v->a) || mem_holds(e, v->a) >= 0 || e->r.x == v->a ||
			    e->r.a == v->b) &&
			   !(x_cheap(v->b) || mem_holds(e, v->b) >= 0)) {
			gen_pair(e, v->b, v->a); /* a op b == b op a: put the cheap side in X */
			put(e, BPF_ALU | alu_code[v->op] | BPF_X, 0);
		} else {
			gen_pair(e, v->a, v->b);
			put(e, BPF_ALU | alu_code[v->op] | BPF_X, 0);
		}
		break;
	case IR_V_FAULT: break; /* blocks that evaluate a fault are emitted as 'ret #0' */
	}
	e->r.a = v;
}

static const uint16_t jmp_code[] = {
	[IR_JEQ] = BPF_JEQ, [IR_JGT] = BPF_JGT, [IR_JGE] = BPF_JGE, [IR_JSET] = BPF_JSET};

/* One block: its stores, the tested values, and the jump. */
static void emit_block(struct emit *e, const struct ir_block *b, const uint32_t *order)
{
	int faults = (b->lhs && b->lhs->faults) || (b->rhs && b->rhs->faults);
	for (const struct ir_stmt *s = b->stmts; s && !faults; s = s->next) {
		if ((faults = s->v->faults))
			break;
		gen_a(e, s->v);
		put(e, BPF_ST, s->slot);
		/* values read from that slot are stale now */
		uint32_t bit = 1u << s->slot;
		for (int i = 0; i < IR_MEMWORDS; i++)
			if (e->r.m[i] && (e->r.m[i]->uses_mem & bit))
				e->r.m[i] = NULL;
		if (e->r.a && (e->r.a->uses_mem & bit))
			e->r.a = NULL;
		if (e->r.x && (e->r.x->uses_mem & bit))
			e->r.x = NULL;
		e->r.m[s->slot] = (s->v->uses_mem & bit) ? NULL : s->v;
	}
	if (b->op == IR_RET || faults) {
		put(e, BPF_RET | BPF_K, faults ? 0 : b->k);
		return;
	}
	if (!b->rhs && b->lhs->kind == IR_V_CONST) { /* decided: a plain jump */
		put(e, BPF_JMP | BPF_JA, 0);
		if (!e->err) {
			struct linsn *l = &e->code[e->n - 1];
			l->is_jmp = 2;
			l->tblk[0] = order[b->succ[ir_test_const(b->op, b->lhs->k, b->k)]->id];
		}
		return;
	}
	uint16_t code = BPF_JMP | jmp_code[b->op];
	if (b->rhs) {
		gen_pair(e, b->lhs, b->rhs);
		code |= BPF_X;
	} else {
		gen_a(e, b->lhs);
	}
	put(e, code, b->k);
	if (!e->err) {
		struct linsn *l = &e->code[e->n - 1];
		l->is_jmp = 1;
		l->tblk[0] = order[b->succ[1]->id];
		l->tblk[1] = order[b->succ[0]->id];
	}
}

static void regs_meet(struct regs *into, const struct regs *from)
{
	if (into->a != from->a)
		into->a = NULL;
	if (into->x != from->x)
		into->x = NULL;
	for (int i = 0; i < IR_MEMWORDS; i++)
		if (into->m[i] != from->m[i])
			into->m[i] = NULL;
}

/* Dead code removal and code sharing (when optimizing), then offsets.
 * FIRST has NB + 1 entries. */
static int layout(struct emit *e, const struct cbpf_opts *o, size_t **first, size_t nb,
		  struct filter_prog *out)
{
	if (o->optimize) {
		uint32_t *live = malloc((nb + 1) * sizeof(*live));
		if (!live)
			return diag_set(e->d, FILTER_ERR_NOMEM, 0, 0, "out of memory");
		e->n = dce_run(e->code, *first, nb, live);
		free(live);
		struct share_in s = {e->code, e->n, *first, nb, o->min_abs};
		if (share_run(&s) < 0)
			return diag_set(e->d, FILTER_ERR_NOMEM, 0, 0, "out of memory");
		e->code = s.code;
		e->n = s.n;
		*first = s.first;
	}
	if (layout_resolve(e->code, e->n, *first, out) < 0)
		return diag_set(e->d, FILTER_ERR_NOMEM, 0, 0, "out of memory");
	return 0;
}

/* One program for the block order with SIDE's successors explored first
 * (see ir_order_side()). */
static int emit_order(const struct ir *ir, const struct cbpf_opts *o, struct diag_sink *d, int side,
		      struct filter_prog *out)
{
	size_t nb = ir->nblocks;
	uint32_t *order = calloc(nb, sizeof(*order));
	struct ir_block **list = calloc(nb, sizeof(*list));
	struct regs *in = calloc(nb, sizeof(*in));
	uint8_t *seen = calloc(nb, 1);
	size_t *first = calloc(nb + 1, sizeof(*first));
	struct emit e = {.d = d, .tmp_top = IR_MEMWORDS - 1};
	int rc = -1;
	out->len = 0;
	out->insns = NULL;
	if (!order || !list || !in || !seen || !first) {
		diag_set(d, FILTER_ERR_NOMEM, 0, 0, "out of memory");
		goto done;
	}
	size_t n = ir_order_side(ir, list, side);
	if (n == 0) {
		diag_set(d, FILTER_ERR_NOMEM, 0, 0, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < n; i++)
		order[list[i]->id] = (uint32_t)i;
	for (size_t i = 0; i < n && !e.err; i++) {
		const struct ir_block *b = list[i];
		first[i] = e.n;
		e.r = in[b->id];
		emit_block(&e, b, order);
		for (int s = 0; s < 2 && b->op != IR_RET; s++) {
			uint32_t id = b->succ[s]->id;
			if (!seen[id])
				in[id] = e.r;
			else
				regs_meet(&in[id], &e.r);
			seen[id] = 1;
		}
	}
	first[n] = e.n;
	if (e.err || layout(&e, o, &first, n, out) < 0)
		goto done;
	if (out->len > FILTER_CBPF_MAX_INSNS) {
		diag_set(d, FILTER_ERR_LIMIT, 0, 0,
			 "the compiled program has %zu instructions; the kernel accepts at most %d "
			 "for a socket filter (simplify the expression)",
			 out->len, FILTER_CBPF_MAX_INSNS);
		filter_prog_release(out);
		goto done;
	}
	rc = 0;
done:
	free(order);
	free(list);
	free(in);
	free(seen);
	free(first);
	free(e.code);
	return rc;
}

/* Whether P loads at X plus an offset: only then can the other order let
 * a fixed-offset path share its code (share.h). */
static int has_indexed_load(const struct filter_prog *p)
{
	for (size_t i = 0; i < p->len; i++)
		if (BPF_CLASS(p->insns[i].code) == BPF_LD && BPF_MODE(p->insns[i].code) == BPF_IND)
			return 1;
	return 0;
}

/* Optimizing, the blocks are laid out in two orders (true sides first, then
 * false sides first) and the shorter program is kept: code sharing
 * (share.h) only jumps forward, so which of two alike paths comes first
 * decides whether the other can jump into it (IPv6's fixed offsets into
 * IPv4's X-relative ones).  A tie keeps the first; programs without an
 * X-relative load are not laid out again. */
int cbpf_emit(const struct ir *ir, const struct cbpf_opts *o, struct diag_sink *d,
	      struct filter_prog *out)
{
	int rc = emit_order(ir, o, d, 1, out);
	if (!o->optimize || (rc == 0 && (out->len <= 2 || !has_indexed_load(out))))
		return rc;
	struct filter_prog alt;
	struct diag_sink scratch = {0};
	if (emit_order(ir, o, &scratch, 0, &alt) < 0)
		return rc;
	if (rc < 0) { /* e.g. too long one way, short enough the other */
		diag_clear(d);
		*out = alt;
	} else if (alt.len < out->len) {
		filter_prog_release(out);
		*out = alt;
	} else {
		filter_prog_release(&alt);
	}
	return 0;
}
