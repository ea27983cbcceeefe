/* emit.c - the block walk: per view, the IR blocks in topological order;
 * per segment (a store, or a block's test) the loads it needs grouped into
 * guarded windows; values materialised into registers.  See ebpf.h. */
#include "back/ebpf/ebpf.h"

#include <linux/bpf.h>
#include <stdlib.h>
#include <string.h>

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define HOST_LE 1
#else
#define HOST_LE 0
#endif

enum { MAXLOADS = 256, XDP_MAX_OFF = 0x7fff, MAX_PKT_OFF = 0xffff, LINEAR_COPY_MAX = 16384 };

struct pload {
	const struct ir_val *base;
	int32_t phys, need, delta;
	uint8_t size;
};

struct plan {
	struct pload l[MAXLOADS];
	int n;
	int faults;
};

static uint8_t size_code(uint8_t size)
{
	return size == 4 ? BPF_W : size == 2 ? BPF_H : BPF_B;
}

static uint32_t mask_of(uint8_t size)
{
	return size >= 4 ? 0xffffffffu : (1u << 8 * size) - 1;
}

static uint32_t swap_of(uint32_t k, uint8_t size)
{
	return size == 2 ? __builtin_bswap16((uint16_t)k) : size == 4 ? __builtin_bswap32(k) : k;
}

static void consume(struct em *e, const struct ir_val *v)
{
	e->uses[v->id]--;
}

static void to_reject(struct em *e)
{
	e->need_reject = 1;
	code_jmp(&e->c, OP(BPF_JMP, BPF_JA, BPF_K), 0, 0, 0, e->lbl_reject);
}

/* Whether the window is the whole packet (XDP; tc when the skb is linear):
 * a failed guard then rejects, and guards carry over between blocks. */
static int direct(const struct em *e)
{
	return e->o->hook == FILTER_HOOK_XDP || e->linear;
}

/* ---- planning ---------------------------------------------------------- */

static void plan_add(struct em *e, struct plan *p, const struct ir_val *base, uint32_t k,
		     uint8_t size)
{
	int32_t phys;
	int m = hook_map(e, k, size, base != NULL, &phys);
	if (m == 2) {
		for (uint8_t i = 0; i < size; i++)
			plan_add(e, p, base, k + i, 1);
		return;
	}
	if (m != 0)
		return; /* metadata */
	if ((int64_t)phys + size + 4 > (direct(e) ? XDP_MAX_OFF : MAX_PKT_OFF)) {
		p->faults = 1; /* no packet reaches that far */
		return;
	}
	if (p->n == MAXLOADS) {
		e->err = diag_set(e->d, FILTER_ERR_LIMIT, 0, 0,
				  "one test of the expression reads more than %d packet fields",
				  MAXLOADS);
		return;
	}
	int32_t need = 0, delta = base ? hook_index_shift(e, k, &need) : 0;
	p->l[p->n++] = (struct pload){base, phys, need, delta, size};
}

static void plan_walk(struct em *e, struct plan *p, const struct ir_val *v)
{
	if (!v || e->stamp[v->id] == e->cur)
		return;
	e->stamp[v->id] = e->cur;
	if (reg_cached(e, v))
		return;
	switch (v->kind) {
	case IR_V_LOAD:
		plan_walk(e, p, v->a);
		plan_add(e, p, v->a, v->k, v->size);
		break;
	case IR_V_MSH: plan_add(e, p, NULL, v->k, 1); break;
	case IR_V_BIN: plan_walk(e, p, v->b); /* fall through */
	case IR_V_NEG: plan_walk(e, p, v->a); break;
	default: break;
	}
}

static int by_base_then_off(const void *x, const void *y)
{
	const struct pload *a = x, *b = y;
	uint32_t da = a->base ? a->base->depth + 1 : 0, db = b->base ? b->base->depth + 1 : 0;
	if (da != db)
		return da < db ? -1 : 1;
	uint32_t ia = a->base ? a->base->id : 0, ib = b->base ? b->base->id : 0;
	if (ia != ib)
		return ia < ib ? -1 : 1;
	return a->phys < b->phys ? -1 : a->phys > b->phys;
}

/* The values of (buffer - min) % 4 that align a load at PHYS (the
 * verifier wants aligned stack loads). */
static uint8_t align_mask(int32_t phys, uint8_t size)
{
	uint8_t m = 0;
	for (int d = 0; d < 4; d++)
		if ((d + phys) % size == 0)
			m |= (uint8_t)(1u << d);
	return m;
}

/* Windows: one per base at XDP; at tc, split so one helper call copies
 * each into a buffer where every load is aligned. */
static void plan_windows(struct em *e, struct plan *p)
{
	qsort(p->l, (size_t)p->n, sizeof(p->l[0]), by_base_then_off);
	e->nw = 0;
	for (int i = 0; i < p->n && !e->err; i++) {
		const struct pload *l = &p->l[i];
		struct win *w = e->nw ? &e->w[e->nw - 1] : NULL;
		int32_t end = l->phys + l->size;
		uint8_t am = align_mask(l->phys, l->size);
		if (w && w->base == l->base &&
		    (direct(e) || (end - w->min <= WIN_SPAN && (w->align & am)))) {
			if (end > w->ext)
				w->ext = end;
			if (l->need > w->need)
				w->need = l->need;
			w->align &= am;
			continue;
		}
		if (e->nw == MAXWIN) {
			e->err =
				diag_set(e->d, FILTER_ERR_LIMIT, 0, 0,
					 "one test of the expression reads too many separate parts "
					 "of the packet");
			return;
		}
		e->w[e->nw++] = (struct win){
			l->base, direct(e) ? 0 : l->phys, end, -1, l->need, l->delta, am};
	}
}

/* ---- values -------------------------------------------------------------- */

static int val(struct em *e, const struct ir_val *v);

static void native(struct em *e, int r)
{
	struct loc *l = &e->s.reg[r];
	if (!l->raw)
		return;
	code_put(&e->c, OP(BPF_ALU, BPF_END, BPF_TO_BE), r, 0, 0, 8 * l->raw);
	l->raw = 0;
}

static int nval(struct em *e, const struct ir_val *v)
{
	int r = val(e, v);
	if (!e->err)
		native(e, r);
	return r;
}

/* A register for the result of an operation on A (in RA): RA itself when
 * nothing else wants A, else a copy. */
static int dest(struct em *e, int ra, const struct ir_val *a)
{
	consume(e, a);
	if (e->uses[a->id] <= 0 && !(e->pinned & (1u << ra))) {
		reg_forget(e, ra);
		return ra;
	}
	reg_pin(e, ra);
	int rd = reg_alloc(e);
	reg_unpin(e, ra);
	code_put(&e->c, OP(BPF_ALU, BPF_MOV, BPF_X), rd, ra, 0, 0);
	return rd;
}

static const struct win *win_for(const struct em *e, const struct ir_val *base, int32_t phys,
				 uint8_t size)
{
	for (int i = 0; i < e->nw; i++) {
		const struct win *w = &e->w[i];
		if (w->base == base && w->min <= phys && phys + size <= w->ext && w->reg >= 0)
			return w;
	}
	return NULL;
}

static int load(struct em *e, const struct ir_val *base, uint32_t k, uint8_t size, uint8_t *raw);

/* An absolute load across the tag's place, a byte at a time (native). */
static int compose(struct em *e, uint32_t k, uint8_t size)
{
	uint8_t raw;
	int r = load(e, NULL, k, 1, &raw);
	reg_pin(e, r);
	for (uint8_t i = 1; i < size && !e->err; i++) {
		int t = load(e, NULL, k + i, 1, &raw);
		code_put(&e->c, OP(BPF_ALU, BPF_LSH, BPF_K), r, 0, 0, 8);
		code_put(&e->c, OP(BPF_ALU, BPF_OR, BPF_X), r, t, 0, 0);
	}
	reg_unpin(e, r);
	return r;
}

/* SIZE bytes at view offset K from BASE: a register, native or raw. */
static int load(struct em *e, const struct ir_val *base, uint32_t k, uint8_t size, uint8_t *raw)
{
	int32_t phys;
	int m = hook_map(e, k, size, base != NULL, &phys);
	*raw = 0;
	if (m < 0)
		return 0;
	if (m == 1)
		return hook_meta_load(e, k, size);
	if (m == 2)
		return compose(e, k, size);
	const struct win *w = win_for(e, base, phys, size);
	if (!w) {
		e->err =
			diag_set(e->d, FILTER_ERR_LIMIT, 0, 0,
				 "internal: a load outside its guarded window (register pressure)");
		return 0;
	}
	int r = reg_alloc(e);
	code_put(&e->c, OP(BPF_LDX, BPF_MEM, size_code(size)), r, w->reg, (int16_t)(phys - w->min),
		 0);
	*raw = HOST_LE && size > 1 ? size : 0;
	return r;
}

static const uint8_t alu_op[] = {
	[IR_ADD] = BPF_ADD, [IR_SUB] = BPF_SUB, [IR_MUL] = BPF_MUL, [IR_DIV] = BPF_DIV,
	[IR_MOD] = BPF_MOD, [IR_AND] = BPF_AND, [IR_OR] = BPF_OR,   [IR_XOR] = BPF_XOR,
	[IR_LSH] = BPF_LSH, [IR_RSH] = BPF_RSH,
};

static int bin_const(struct em *e, const struct ir_val *v)
{
	uint32_t k = v->b->k;
	int ra = val(e, v->a);
	if (e->err)
		return 0;
	uint8_t raw = e->s.reg[ra].raw;
	if (v->op == IR_AND && raw) { /* the mask in the loaded byte order */
		int rd = dest(e, ra, v->a);
		code_put(&e->c, OP(BPF_ALU, BPF_AND, BPF_K), rd, 0, 0,
			 (int32_t)swap_of(k & mask_of(raw), raw));
		reg_set(e, rd, v, raw);
		return rd;
	}
	native(e, ra);
	int rd = dest(e, ra, v->a);
	if ((v->op == IR_DIV || v->op == IR_MOD) && k == 0)
		to_reject(e);
	else if ((v->op == IR_LSH || v->op == IR_RSH) && k >= 32)
		code_put(&e->c, OP(BPF_ALU, BPF_MOV, BPF_K), rd, 0, 0, 0);
	else if (!(k == 0 && (v->op == IR_ADD || v->op == IR_SUB || v->op == IR_OR)))
		code_put(&e->c, OP(BPF_ALU, alu_op[v->op], BPF_K), rd, 0, 0, (int32_t)k);
	reg_set(e, rd, v, 0);
	return rd;
}

static int bin(struct em *e, const struct ir_val *v)
{
	if (v->b->kind == IR_V_CONST)
		return bin_const(e, v);
	int ra = nval(e, v->a);
	reg_pin(e, ra);
	int rb = nval(e, v->b);
	reg_pin(e, rb);
	if (e->err)
		return 0;
	if (v->op == IR_DIV || v->op == IR_MOD) {
		e->need_reject = 1;
		code_jmp(&e->c, OP(BPF_JMP32, BPF_JEQ, BPF_K), rb, 0, 0, e->lbl_reject);
	}
	reg_unpin(e, ra);
	int rd = dest(e, ra, v->a);
	code_put(&e->c, OP(BPF_ALU, alu_op[v->op], BPF_X), rd, rb, 0, 0);
	reg_unpin(e, rb);
	consume(e, v->b);
	reg_set(e, rd, v, 0);
	return rd;
}

static int compute(struct em *e, const struct ir_val *v)
{
	int r = 0, ra;
	uint8_t raw = 0;
	switch (v->kind) {
	case IR_V_CONST:
		r = reg_alloc(e);
		code_put(&e->c, OP(BPF_ALU, BPF_MOV, BPF_K), r, 0, 0, (int32_t)v->k);
		break;
	case IR_V_LEN: r = hook_len(e); break;
	case IR_V_ANC: r = hook_anc(e, v); break;
	case IR_V_MEM:
		r = reg_alloc(e);
		code_put(&e->c, OP(BPF_LDX, BPF_MEM, BPF_DW), r, 10,
			 (int16_t)(STK_MEM - 8 * (int)v->k), 0);
		break;
	case IR_V_LOAD:
		r = load(e, v->a, v->k, v->size, &raw);
		if (v->a)
			consume(e, v->a);
		break;
	case IR_V_MSH:
		r = load(e, NULL, v->k, 1, &raw);
		code_put(&e->c, OP(BPF_ALU, BPF_AND, BPF_K), r, 0, 0, 0xf);
		code_put(&e->c, OP(BPF_ALU, BPF_LSH, BPF_K), r, 0, 0, 2);
		break;
	case IR_V_BIN: return bin(e, v);
	case IR_V_NEG:
		ra = nval(e, v->a);
		if (e->err)
			return 0;
		r = dest(e, ra, v->a);
		code_put(&e->c, OP(BPF_ALU, BPF_NEG, BPF_K), r, 0, 0, 0);
		break;
	case IR_V_FAULT: to_reject(e); return reg_alloc(e);
	}
	if (r < 0 || e->err)
		return 0;
	reg_set(e, r, v, raw);
	return r;
}

static int val(struct em *e, const struct ir_val *v)
{
	if (e->err)
		return 0;
	int r = reg_find(e, v);
	if (r >= 0) {
		e->s.reg[r].lru = ++e->tick;
		return r;
	}
	if ((r = reg_unspill(e, v)) >= 0)
		return r;
	return compute(e, v);
}

/* ---- segments: guards, then the values ---------------------------------- */

static void guard(struct em *e, int ptr, int32_t len, int lbl)
{
	int t = reg_alloc(e);
	code_put(&e->c, OP(BPF_ALU64, BPF_MOV, BPF_X), t, ptr, 0, 0);
	code_put(&e->c, OP(BPF_ALU64, BPF_ADD, BPF_K), t, 0, 0, len);
	code_jmp(&e->c, OP(BPF_JMP, lbl == e->lbl_reject ? BPF_JGT : BPF_JLE, BPF_X), t, 8, 0, lbl);
}

/* Pointer to BASE (+ W->min) in R: checked index, data + index. */
static int window_base(struct em *e, struct win *w, int *ri)
{
	*ri = -1;
	if (w->base) {
		*ri = nval(e, w->base);
		reg_pin(e, *ri);
	}
	int rb = reg_alloc(e);
	reg_pin(e, rb);
	if (e->err)
		return 0;
	if (w->base) {
		code_put(&e->c, OP(BPF_ALU64, BPF_MOV, BPF_X), rb, *ri, 0, 0);
		e->need_reject = 1;
		/* direct windows are under 32 KiB: an index beyond rejects, and the
		 * pointer can be checked further later without leaving the
		 * verifier's 64 KiB */
		int32_t lim = (direct(e) ? XDP_MAX_OFF : MAX_PKT_OFF - w->ext) - 4;
		code_jmp(&e->c, OP(BPF_JMP, BPF_JGT, BPF_K), rb, 0, lim, e->lbl_reject);
		if (w->need > 0) /* the view's shift needs the offset past the tag */
			code_jmp(&e->c, OP(BPF_JMP, BPF_JLT, BPF_K), rb, 0, w->need, e->lbl_reject);
		if (w->delta)
			code_put(&e->c, OP(BPF_ALU64, BPF_ADD, BPF_K), rb, 0, 0, w->delta);
		code_put(&e->c, OP(BPF_ALU64, BPF_ADD, BPF_X), rb, 7, 0, 0);
	} else {
		code_put(&e->c, OP(BPF_ALU64, BPF_MOV, BPF_X), rb, 7, 0, 0);
	}
	if (w->min)
		code_put(&e->c, OP(BPF_ALU64, BPF_ADD, BPF_K), rb, 0, 0, w->min);
	return rb;
}

static void window_xdp(struct em *e, struct win *w)
{
	if (!w->base) {
		w->reg = 7;
		if ((uint32_t)w->ext > e->s.checked) {
			e->need_reject = 1;
			guard(e, 7, w->ext, e->lbl_reject);
			e->s.checked = (uint32_t)w->ext;
		}
		return;
	}
	for (int i = 0; i < NPOOL; i++) { /* a pointer an earlier block checked */
		int r = ebpf_pool[i];
		struct loc *l = &e->s.reg[r];
		if (!l->ptr || l->v != w->base || l->need < w->need)
			continue;
		reg_pin(e, r);
		w->reg = r;
		if (w->ext > l->ext) {
			e->need_reject = 1;
			guard(e, r, w->ext, e->lbl_reject);
			l->ext = w->ext;
		}
		l->lru = ++e->tick;
		return;
	}
	int ri;
	w->reg = window_base(e, w, &ri);
	guard(e, w->reg, w->ext, e->lbl_reject);
	if (ri >= 0)
		reg_unpin(e, ri);
	e->s.reg[w->reg] = (struct loc){
		.v = w->base, .ptr = 1, .ext = w->ext, .need = w->need, .lru = ++e->tick};
}

/* tc: the direct window when the linear part holds it, else a copy. */
static void window_tc(struct em *e, struct win *w)
{
	int ri;
	int32_t span = w->ext - w->min;
	if (e->buf_used + span > BUF_SIZE) {
		e->err = diag_set(e->d, FILTER_ERR_LIMIT, 0, 0,
				  "one test of the expression reads more of the packet at once "
				  "than the tc program can copy (%d bytes)",
				  BUF_SIZE);
		return;
	}
	int32_t at = STK_BUF + e->buf_used;
	while (!(w->align & (1u << ((at - w->min) & 3))))
		at++;
	if (at + span > STK_BUF + BUF_SIZE) {
		e->err = diag_set(e->d, FILTER_ERR_LIMIT, 0, 0,
				  "one test of the expression reads more of the packet at once "
				  "than the tc program can copy (%d bytes)",
				  BUF_SIZE);
		return;
	}
	int16_t buf = (int16_t)at;
	e->buf_used = at + span - STK_BUF;
	w->reg = window_base(e, w, &ri);
	if (e->err)
		return;
	int fast = code_label(&e->c);
	guard(e, w->reg, span, fast);
	hook_load_bytes(e, ri, w->min + w->delta, buf, span);
	code_put(&e->c, OP(BPF_ALU64, BPF_MOV, BPF_X), w->reg, 10, 0, 0);
	code_put(&e->c, OP(BPF_ALU64, BPF_ADD, BPF_K), w->reg, 0, 0, buf);
	code_place(&e->c, fast);
	if (ri >= 0)
		reg_unpin(e, ri);
}

/* Plan and guard the loads of values A and B.  1: the segment always
 * faults (a jump to reject was emitted). */
static int seg_begin(struct em *e, const struct ir_val *a, const struct ir_val *b)
{
	static struct plan zero;
	struct plan *p = malloc(sizeof(*p));
	if (!p) {
		e->err = diag_set(e->d, FILTER_ERR_NOMEM, 0, 0, "out of memory");
		return 1;
	}
	*p = zero;
	e->cur++;
	plan_walk(e, p, a);
	plan_walk(e, p, b);
	int faults = p->faults;
	if (!faults && !e->err)
		plan_windows(e, p);
	free(p);
	if (faults) {
		to_reject(e);
		return 1;
	}
	for (int i = 0; i < e->nw && !e->err; i++)
		(direct(e) ? window_xdp : window_tc)(e, &e->w[i]);
	return e->err != 0;
}

static void seg_end(struct em *e)
{
	e->nw = 0;
	e->buf_used = 0;
	e->pinned = 0;
}

static const uint8_t jmp_op[] = {
	[IR_JEQ] = BPF_JEQ, [IR_JGT] = BPF_JGT, [IR_JGE] = BPF_JGE, [IR_JSET] = BPF_JSET};

static void branch(struct em *e, uint8_t code, int dst, int src, int32_t imm, int t, int f,
		   int next)
{
	uint8_t inv = 0;
	if (BPF_OP(code) == BPF_JEQ)
		inv = BPF_JNE;
	else if (BPF_OP(code) == BPF_JGT)
		inv = BPF_JLE;
	else if (BPF_OP(code) == BPF_JGE)
		inv = BPF_JLT;
	if (t == f) {
		code_jmp(&e->c, OP(BPF_JMP, BPF_JA, BPF_K), 0, 0, 0, t);
	} else if (t == next && inv) {
		code_jmp(&e->c, (uint8_t)((code & ~0xf0) | inv), dst, src, imm, f);
	} else {
		code_jmp(&e->c, code, dst, src, imm, t);
		if (f != next)
			code_jmp(&e->c, OP(BPF_JMP, BPF_JA, BPF_K), 0, 0, 0, f);
	}
}

static void test(struct em *e, const struct ir_block *b, int t, int f, int next)
{
	uint8_t op = jmp_op[b->op];
	if (b->rhs) {
		int ra = nval(e, b->lhs);
		reg_pin(e, ra);
		int rb = nval(e, b->rhs);
		if (e->err)
			return;
		consume(e, b->lhs);
		consume(e, b->rhs);
		branch(e, OP(BPF_JMP32, op, BPF_X), ra, rb, 0, t, f, next);
		return;
	}
	int ra = val(e, b->lhs);
	if (e->err)
		return;
	uint8_t raw = e->s.reg[ra].raw;
	uint32_t k = b->k;
	if (raw && (b->op == IR_JSET || (b->op == IR_JEQ && k <= mask_of(raw))))
		k = swap_of(k & mask_of(raw), raw);
	else
		native(e, ra);
	consume(e, b->lhs);
	branch(e, OP(BPF_JMP32, op, BPF_K), ra, 0, (int32_t)k, t, f, next);
}

/* One block; returns a mask of the successors that continue (bit s: succ[s]). */
static void emit_block_pre(struct em *e)
{
	if (e->pre > e->s.checked && e->pre + 4 <= XDP_MAX_OFF) {
		e->need_reject = 1;
		guard(e, 7, (int32_t)e->pre, e->lbl_reject);
		e->s.checked = e->pre;
	}
}

static int emit_block(struct em *e, const struct ir_block *b, const int *lbl, int next)
{
	if (direct(e))
		emit_block_pre(e);
	for (const struct ir_stmt *s = b->stmts; s; s = s->next) {
		if (s->v->faults || seg_begin(e, s->v, NULL)) {
			if (s->v->faults)
				to_reject(e);
			return 0;
		}
		int r = nval(e, s->v);
		if (e->err)
			return 0;
		code_put(&e->c, OP(BPF_STX, BPF_MEM, BPF_DW), 10, r,
			 (int16_t)(STK_MEM - 8 * (int)s->slot), 0);
		consume(e, s->v);
		reg_invalidate_slot(e, s->slot);
		seg_end(e);
	}
	if ((b->lhs && b->lhs->faults) || (b->rhs && b->rhs->faults)) {
		to_reject(e);
		return 0;
	}
	int t = lbl[b->succ[1]->id], f = lbl[b->succ[0]->id];
	if (!b->rhs && b->lhs->kind == IR_V_CONST) {
		int s = ir_test_const(b->op, b->lhs->k, b->k);
		if (lbl[b->succ[s]->id] != next)
			code_jmp(&e->c, OP(BPF_JMP, BPF_JA, BPF_K), 0, 0, 0, lbl[b->succ[s]->id]);
		return 1 << s;
	}
	if (seg_begin(e, b->lhs, b->rhs))
		return 0;
	test(e, b, t, f, next);
	seg_end(e);
	return 3;
}

static void count_uses(struct em *e, const struct ir_val *v, uint8_t *seen)
{
	if (!v)
		return;
	e->uses[v->id]++;
	if (seen[v->id])
		return;
	seen[v->id] = 1;
	count_uses(e, v->a, seen);
	count_uses(e, v->b, seen);
}

static int lbl_of(struct em *e, const struct ir_block *b)
{
	if (b->op != IR_RET)
		return code_label(&e->c);
	if (b->k) {
		e->need_accept = 1;
		return e->lbl_accept;
	}
	e->need_reject = 1;
	return e->lbl_reject;
}

/* The whole program once, for the current view. */
static int emit_view(struct em *e, struct ir_block **list, size_t n, int entry)
{
	const struct ir *ir = e->ir;
	int *lbl = malloc(ir->nblocks * sizeof(*lbl));
	uint32_t *g = malloc(ir->nblocks * sizeof(*g));
	struct state *in = calloc(ir->nblocks, sizeof(*in));
	uint8_t *seen = calloc(ir->nblocks, 1), *vseen = calloc(ir->nvals + 1, 1);
	int rc = -1;
	if (!lbl || !in || !seen || !vseen || !g)
		goto done;
	memset(e->uses, 0, (ir->nvals + 1) * sizeof(*e->uses));
	for (size_t i = 0; i < n; i++) {
		const struct ir_block *b = list[i];
		lbl[b->id] = lbl_of(e, b);
		for (const struct ir_stmt *s = b->stmts; s; s = s->next)
			count_uses(e, s->v, vseen);
		if (b->op != IR_RET) {
			count_uses(e, b->lhs, vseen);
			count_uses(e, b->rhs, vseen);
		}
	}
	if (direct(e) && e->o->optimize)
		guard_extents(e, list, n, g);
	code_place(&e->c, entry);
	if (ir->root->op == IR_RET)
		code_jmp(&e->c, OP(BPF_JMP, BPF_JA, BPF_K), 0, 0, 0, lbl[ir->root->id]);
	in[ir->root->id].checked = direct(e) ? hook_view_checked(e->view) : 0;
	seen[ir->root->id] = 1;
	for (size_t i = 0; i < n && !e->err; i++) {
		const struct ir_block *b = list[i];
		if (b->op == IR_RET || !seen[b->id])
			continue;
		e->s = in[b->id];
		e->pinned = 0;
		e->pre = direct(e) && e->o->optimize && g[b->id] != GUARD_NONE ? g[b->id] : 0;
		code_place(&e->c, lbl[b->id]);
		int next = i + 1 < n && list[i + 1]->op != IR_RET ? lbl[list[i + 1]->id] : -2;
		int go = emit_block(e, b, lbl, next);
		seg_end(e);
		for (int s = 0; s < 2; s++) {
			const struct ir_block *to = b->succ[s];
			if (!(go & (1 << s)) || to->op == IR_RET)
				continue;
			if (!seen[to->id])
				in[to->id] = e->s;
			else
				reg_meet(&in[to->id], &e->s);
			seen[to->id] = 1;
		}
	}
	rc = e->err ? -1 : 0;
done:
	if (rc < 0 && !e->err)
		e->err = diag_set(e->d, FILTER_ERR_NOMEM, 0, 0, "out of memory");
	free(lbl);
	free(g);
	free(in);
	free(seen);
	free(vseen);
	return rc;
}

/* The program; at tc with LINEAR_COPY also a copy for linear skbs. */
static int emit_all(const struct ir *ir, const struct ebpf_opts *o, struct diag_sink *d,
		    struct filter_ebpf_prog *out, int linear_copy)
{
	struct em e = {.ir = ir, .o = o, .d = d};
	struct ir_block **list = calloc(ir->nblocks + 1, sizeof(*list));
	e.uses = calloc(ir->nvals + 1, sizeof(*e.uses));
	e.stamp = calloc(ir->nvals + 1, sizeof(*e.stamp));
	e.c.tail_insn = SIZE_MAX;
	e.linear_copy = linear_copy;
	int rc = -1, used[NVIEWS] = {0}, entry[2][NVIEWS] = {{0}};
	memset(out, 0, sizeof(*out));
	out->prog_array_insn = SIZE_MAX;
	size_t n = list ? ir_order(ir, list) : 0;
	if (!e.uses || !e.stamp || n == 0) {
		diag_set(d, FILTER_ERR_NOMEM, 0, 0, "out of memory");
		goto done;
	}
	e.lbl_accept = code_label(&e.c);
	e.lbl_reject = code_label(&e.c);
	hook_views(&e, used);
	for (int v = 0; v < NVIEWS; v++)
		for (int lin = 0; lin < 2; lin++)
			entry[lin][v] = code_label(&e.c);
	hook_prologue(&e, ir->nslots, used, entry);
	/* tc: the program for linear skbs first (most packets), then the one
	 * that reads beyond the linear part with bpf_skb_load_bytes */
	for (int m = linear_copy ? 0 : 1; m < 2 && !e.err; m++)
		for (int v = 0; v < NVIEWS && !e.err; v++) {
			if (!used[v])
				continue;
			e.view = (enum view)v;
			e.linear = m == 0;
			emit_view(&e, list, n, entry[e.linear][v]);
		}
	if (e.err)
		goto done;
	hook_epilogues(&e);
	if (code_finish(&e.c, o->optimize, out) < 0) {
		diag_set(d, FILTER_ERR_LIMIT, 0, 0,
			 "the eBPF program could not be laid out (out of memory or a jump "
			 "beyond 32767 instructions)");
		goto done;
	}
	out->hook = o->hook;
	rc = 0;
done:
	free(list);
	free(e.uses);
	free(e.stamp);
	free(e.c.v);
	free(e.c.lpos);
	return rc;
}

int ebpf_emit(const struct ir *ir, const struct ebpf_opts *o, struct diag_sink *d,
	      struct filter_ebpf_prog *out)
{
	int tc = o->hook == FILTER_HOOK_TC;
	if (emit_all(ir, o, d, out, tc && !o->tc_helper_only) < 0)
		return -1;
	if (tc && !o->tc_helper_only && out->len > LINEAR_COPY_MAX) {
		/* too long for two copies: the one that works for every skb */
		filter_ebpf_release(out);
		if (emit_all(ir, o, d, out, 0) < 0)
			return -1;
	}
	if (out->len > FILTER_EBPF_MAX_INSNS) {
		diag_set(d, FILTER_ERR_LIMIT, 0, 0,
			 "the eBPF program has %zu instructions; bpfcap allows at most %d "
			 "(simplify the expression)",
			 out->len, FILTER_EBPF_MAX_INSNS);
		filter_ebpf_release(out);
		return -1;
	}
	return 0;
}
