/* win.c - windows: the loads of a segment (a store, or a block's test)
 * grouped by base into guarded windows of the packet, each a checked
 * pointer (or, at tc beyond the linear part, a copy on the stack); see
 * ebpf.h. */
#include "back/ebpf/ebpf.h"

#include <linux/bpf.h>
#include <stdint.h>
#include <stdlib.h>

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
	if ((int64_t)phys + size + 4 > (emit_direct(e) ? XDP_MAX_OFF : MAX_PKT_OFF)) {
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

/* The furthest byte (+1) past BASE that loads of V read. */
static int32_t reach_from(struct em *e, const struct ir_val *v, const struct ir_val *base)
{
	if (!v || e->stamp[v->id] == e->cur)
		return 0;
	e->stamp[v->id] = e->cur;
	int32_t a = reach_from(e, v->a, base), b = reach_from(e, v->b, base);
	int32_t r = a > b ? a : b;
	if (v->kind == IR_V_LOAD && v->a == base && (int32_t)(v->k + v->size) > r)
		r = (int32_t)(v->k + v->size);
	return r;
}

/* In a direct window, the furthest byte past BASE that the rest of the
 * block (from segment E->seg on) reads while BASE keeps its value (no
 * store to a slot it reads comes between).  Every segment of a block runs,
 * and a fault in any rejects, so one guard may cover them all. */
static int32_t block_reach(struct em *e, const struct ir_val *base)
{
	const struct ir_block *b = e->blk;
	int32_t r = 0;
	uint32_t written = 0;
	int seg = 0;
	if (!b)
		return 0;
	e->cur++;
	for (const struct ir_stmt *s = b->stmts; s; s = s->next, seg++) {
		if (written & base->uses_mem)
			return r;
		if (seg > e->seg) {
			int32_t x = reach_from(e, s->v, base);
			r = x > r ? x : r;
		}
		if (seg >= e->seg)
			written |= 1u << s->slot;
	}
	if ((written & base->uses_mem) || b->op == IR_RET)
		return r;
	int32_t x = reach_from(e, b->lhs, base), y = reach_from(e, b->rhs, base);
	x = x > y ? x : y;
	return x > r ? x : r;
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
		    (emit_direct(e) || (end - w->min <= WIN_SPAN && (w->align & am)))) {
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
			l->base, emit_direct(e) ? 0 : l->phys, end, -1, l->need, l->delta, am};
	}
	for (int i = 0; i < e->nw && emit_direct(e) && e->o->optimize; i++) {
		struct win *w = &e->w[i];
		int32_t r = w->base ? block_reach(e, w->base) : 0;
		if (r > w->ext && r + 4 <= XDP_MAX_OFF)
			w->ext = r;
	}
}

const struct win *win_for(const struct em *e, const struct ir_val *base, int32_t phys, uint8_t size)
{
	for (int i = 0; i < e->nw; i++) {
		const struct win *w = &e->w[i];
		if (w->base == base && w->min <= phys && phys + size <= w->ext && w->reg >= 0)
			return w;
	}
	return NULL;
}

static void guard(struct em *e, int ptr, int32_t len, int lbl)
{
	int t = reg_alloc(e);
	code_put(&e->c, OP(BPF_ALU64, BPF_MOV, BPF_X), t, ptr, 0, 0);
	code_put(&e->c, OP(BPF_ALU64, BPF_ADD, BPF_K), t, 0, 0, len);
	code_jmp(&e->c, OP(BPF_JMP, lbl == e->lbl_reject ? BPF_JGT : BPF_JLE, BPF_X), t, e->rend, 0,
		 lbl);
}

/* A bound on V that the verifier knows too (it tracks loads of a byte and
 * ALU with constants, not byte swaps nor scratch slots), or UINT64_MAX. */
static uint64_t vmax(const struct ir_val *v)
{
	const uint64_t top = 0xffffffffu;
	uint64_t a = v->a ? vmax(v->a) : UINT64_MAX, k = v->b ? vmax(v->b) : UINT64_MAX, r;
	switch (v->kind) {
	case IR_V_CONST: return v->k;
	case IR_V_MSH: return 60;
	case IR_V_LOAD: return v->size == 1 ? 255 : UINT64_MAX;
	case IR_V_BIN: break;
	default: return UINT64_MAX;
	}
	if (a > top || k > top)
		return UINT64_MAX;
	switch (v->op) {
	case IR_AND: return a < k ? a : k;
	case IR_ADD: r = a + k; break;
	case IR_LSH: r = k < 32 ? a << k : UINT64_MAX; break;
	case IR_RSH: return a;
	case IR_MUL: r = a * k; break;
	default: return UINT64_MAX;
	}
	return r > top ? UINT64_MAX : r;
}

/* Pointer to BASE (+ W->min) in R: checked index, data + index.  TAKE:
 * the index's register may become the pointer when nothing but loads from
 * BASE wants the index again. */
static int window_base(struct em *e, struct win *w, int *ri, int take)
{
	*ri = -1;
	if (w->base) {
		*ri = emit_nval(e, w->base);
		reg_pin(e, *ri);
	}
	if (e->err)
		return 0;
	int rb;
	if (w->base && take && e->uses[w->base->id] > 0 &&
	    e->uses[w->base->id] <= e->buses[w->base->id]) {
		rb = *ri;
		reg_forget(e, rb);
		*ri = -1;
	} else {
		rb = reg_alloc(e);
		reg_pin(e, rb);
		if (w->base)
			code_put(&e->c, OP(BPF_ALU64, BPF_MOV, BPF_X), rb, *ri, 0, 0);
	}
	if (e->err)
		return 0;
	if (w->base) {
		/* direct windows are under 32 KiB: an index beyond rejects, and the
		 * pointer can be checked further later without leaving the
		 * verifier's 64 KiB */
		int32_t lim = (emit_direct(e) ? XDP_MAX_OFF : MAX_PKT_OFF - w->ext) - 4;
		if (vmax(w->base) > (uint64_t)lim) {
			e->need_reject = 1;
			code_jmp(&e->c, OP(BPF_JMP, BPF_JGT, BPF_K), rb, 0, lim, e->lbl_reject);
		}
		if (w->need > 0) { /* the view's shift needs the offset past the tag */
			e->need_reject = 1;
			code_jmp(&e->c, OP(BPF_JMP, BPF_JLT, BPF_K), rb, 0, w->need, e->lbl_reject);
		}
		if (w->delta)
			code_put(&e->c, OP(BPF_ALU64, BPF_ADD, BPF_K), rb, 0, 0, w->delta);
		code_put(&e->c, OP(BPF_ALU64, BPF_ADD, BPF_X), rb, e->rdata, 0, 0);
	} else {
		code_put(&e->c, OP(BPF_ALU64, BPF_MOV, BPF_X), rb, e->rdata, 0, 0);
	}
	if (w->min)
		code_put(&e->c, OP(BPF_ALU64, BPF_ADD, BPF_K), rb, 0, 0, w->min);
	return rb;
}

static void window_xdp(struct em *e, struct win *w)
{
	if (!w->base) {
		w->reg = e->rdata;
		if ((uint32_t)w->ext > e->s.checked) {
			e->need_reject = 1;
			guard(e, e->rdata, w->ext, e->lbl_reject);
			e->s.checked = (uint32_t)w->ext;
		}
		return;
	}
	for (int i = 0; i < e->npool; i++) { /* a pointer an earlier block checked */
		int r = e->pool[i];
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
	w->reg = window_base(e, w, &ri, 1);
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
	w->reg = window_base(e, w, &ri, 0);
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
int win_begin(struct em *e, const struct ir_val *a, const struct ir_val *b)
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
		emit_to_reject(e);
		return 1;
	}
	for (int i = 0; i < e->nw && !e->err; i++)
		(emit_direct(e) ? window_xdp : window_tc)(e, &e->w[i]);
	return e->err != 0;
}

void win_end(struct em *e)
{
	e->nw = 0;
	e->buf_used = 0;
	e->pinned = 0;
}

/* One block; returns a mask of the successors that continue (bit s: succ[s]). */
void win_block_pre(struct em *e)
{
	if (e->pre > e->s.checked && e->pre + 4 <= XDP_MAX_OFF) {
		e->need_reject = 1;
		guard(e, e->rdata, (int32_t)e->pre, e->lbl_reject);
		e->s.checked = e->pre;
	}
}
