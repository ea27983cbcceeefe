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

enum { LINEAR_COPY_MAX = 16384 };

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

void emit_to_reject(struct em *e)
{
	e->need_reject = 1;
	code_jmp(&e->c, OP(BPF_JMP, BPF_JA, BPF_K), 0, 0, 0, e->lbl_reject);
}

/* Whether the window is the whole packet (XDP; tc when the skb is linear):
 * a failed guard then rejects, and guards carry over between blocks. */
int emit_direct(const struct em *e)
{
	return e->o->hook == FILTER_HOOK_XDP || e->linear;
}

/* ---- planning ---------------------------------------------------------- */

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

int emit_nval(struct em *e, const struct ir_val *v)
{
	int r = val(e, v);
	if (!e->err)
		native(e, r);
	return r;
}

int emit_eq_val(struct em *e, const struct ir_val *v, const uint64_t *ks, size_t n, uint8_t *swap)
{
	int r = val(e, v);
	if (e->err)
		return r;
	*swap = e->s.reg[r].raw;
	for (size_t i = 0; i < n && *swap; i++)
		if (ks[i] > mask_of(*swap))
			*swap = 0;
	if (!*swap)
		native(e, r);
	return r;
}

uint32_t emit_eq_k(uint32_t k, uint8_t swap)
{
	return swap ? swap_of(k, swap) : k;
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
		emit_to_reject(e);
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
	int ra = emit_nval(e, v->a);
	reg_pin(e, ra);
	int rb = emit_nval(e, v->b);
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
		/* Two byte swaps: the same value, which the verifier no longer
		 * knows exactly.  Scratch slots hold the offsets of unrolled walks
		 * (protochain); as constants they make every path's state unique,
		 * and the verifier walks them all (4x the work); every use as an
		 * offset is bounds-checked anyway. */
		code_put(&e->c, OP(BPF_ALU, BPF_END, BPF_TO_BE), r, 0, 0, 32);
		code_put(&e->c, OP(BPF_ALU, BPF_END, BPF_TO_BE), r, 0, 0, 32);
		break;
	case IR_V_LOAD:
		r = load(e, v->a, v->k, v->size, &raw);
		if (v->a) {
			consume(e, v->a);
			e->buses[v->a->id]--;
		}
		break;
	case IR_V_MSH:
		r = load(e, NULL, v->k, 1, &raw);
		code_put(&e->c, OP(BPF_ALU, BPF_AND, BPF_K), r, 0, 0, 0xf);
		code_put(&e->c, OP(BPF_ALU, BPF_LSH, BPF_K), r, 0, 0, 2);
		break;
	case IR_V_BIN: return bin(e, v);
	case IR_V_NEG:
		ra = emit_nval(e, v->a);
		if (e->err)
			return 0;
		r = dest(e, ra, v->a);
		code_put(&e->c, OP(BPF_ALU, BPF_NEG, BPF_K), r, 0, 0, 0);
		break;
	case IR_V_FAULT: emit_to_reject(e); return reg_alloc(e);
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
		int ra = emit_nval(e, b->lhs);
		reg_pin(e, ra);
		int rb = emit_nval(e, b->rhs);
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

static int emit_block(struct em *e, const struct ir_block *b, const int *lbl, int next)
{
	if (emit_direct(e))
		win_block_pre(e);
	e->blk = b;
	e->seg = 0;
	for (const struct ir_stmt *s = b->stmts; s; s = s->next, e->seg++) {
		if (s->v->faults || win_begin(e, s->v, NULL)) {
			if (s->v->faults)
				emit_to_reject(e);
			return 0;
		}
		int r = emit_nval(e, s->v);
		if (e->err)
			return 0;
		int narrow = loop_narrow(e, b, s->v); /* the low half: the high one is 0 */
		code_put(&e->c, OP(BPF_STX, BPF_MEM, narrow ? BPF_W : BPF_DW), 10, r,
			 (int16_t)(STK_MEM - 8 * (int)s->slot + (narrow && !HOST_LE ? 4 : 0)), 0);
		consume(e, s->v);
		reg_invalidate_slot(e, s->slot);
		win_end(e);
	}
	if ((b->lhs && b->lhs->faults) || (b->rhs && b->rhs->faults)) {
		emit_to_reject(e);
		return 0;
	}
	const struct sw *sw = sw_root(e, b);
	if (sw) {
		sw_emit(e, sw, lbl, next);
		return 4;
	}
	int t = lbl[b->succ[1]->id], f = lbl[b->succ[0]->id];
	uint32_t kc = b->lhs->k;
	if (!b->rhs && (b->lhs->kind == IR_V_CONST || hook_anc_known(e, b->lhs, &kc))) {
		int s = ir_test_const(b->op, kc, b->k);
		if (lbl[b->succ[s]->id] != next)
			code_jmp(&e->c, OP(BPF_JMP, BPF_JA, BPF_K), 0, 0, 0, lbl[b->succ[s]->id]);
		return 1 << s;
	}
	if (win_begin(e, b->lhs, b->rhs))
		return 0;
	test(e, b, t, f, next);
	win_end(e);
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
	if (v->kind == IR_V_LOAD && v->a)
		e->buses[v->a->id]++;
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

/* Block B's code, or at a loop's latch the back edge: the blocks it goes
 * on to in *TO (how many; *OUT may hold the one), those of them it may
 * reach as the mask *GO (-1: all). */
static size_t emit_place(struct em *e, const struct ir_block *b, enum loop_role role,
			 const int *lbl, int next, const struct ir_block **out,
			 const struct ir_block *const **to, int *go)
{
	*to = (const struct ir_block *const *)b->succ;
	*go = -1;
	if (role == LOOP_LATCH) {
		*out = loop_latch(e, b, lbl);
		*to = out;
		return 1;
	}
	if (role == LOOP_HEAD)
		loop_head(e, b);
	*go = emit_block(e, b, lbl, next);
	win_end(e);
	if (*go != 4)
		return 2;
	*go = -1;
	return sw_exits(sw_root(e, b), to);
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
	memset(e->buses, 0, (ir->nvals + 1) * sizeof(*e->buses));
	loop_view(e);
	for (size_t i = 0; i < n; i++) {
		const struct ir_block *b = list[i];
		lbl[b->id] = lbl_of(e, b);
		if (loop_role(e, b) >= LOOP_LATCH)
			continue; /* not emitted: a later step of a loop */
		for (const struct ir_stmt *s = b->stmts; s; s = s->next)
			count_uses(e, s->v, vseen);
		if (b->op != IR_RET) {
			count_uses(e, b->lhs, vseen);
			count_uses(e, b->rhs, vseen);
		}
	}
	if (emit_direct(e) && e->o->optimize)
		guard_extents(e, list, n, g);
	code_place(&e->c, entry);
	if (ir->root->op == IR_RET)
		code_jmp(&e->c, OP(BPF_JMP, BPF_JA, BPF_K), 0, 0, 0, lbl[ir->root->id]);
	in[ir->root->id].checked = emit_direct(e) ? hook_view_checked(e->view) : 0;
	seen[ir->root->id] = 1;
	for (size_t i = 0; i < n && !e->err; i++) {
		const struct ir_block *b = list[i];
		enum loop_role role = loop_role(e, b);
		if (b->op == IR_RET || !seen[b->id] || role == LOOP_FOLDED)
			continue;
		e->s = in[b->id];
		e->pinned = 0;
		/* in a loop the body's guards stay its own: it runs for every step */
		int pre = emit_direct(e) && e->o->optimize && role == LOOP_NONE;
		e->pre = pre && g[b->id] != GUARD_NONE ? g[b->id] : 0;
		code_place(&e->c, lbl[b->id]);
		const struct ir_block *const *to, *out;
		int next = i + 1 < n && list[i + 1]->op != IR_RET ? lbl[list[i + 1]->id] : -2, go;
		size_t nto = emit_place(e, b, role, lbl, next, &out, &to, &go);
		for (size_t s = 0; s < nto; s++) {
			if ((go >= 0 && !(go & (1 << s))) || to[s]->op == IR_RET)
				continue;
			if (!seen[to[s]->id])
				in[to[s]->id] = e->s;
			else
				reg_meet(&in[to[s]->id], &e->s);
			seen[to[s]->id] = 1;
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
	e.buses = calloc(ir->nvals + 1, sizeof(*e.buses));
	e.stamp = calloc(ir->nvals + 1, sizeof(*e.stamp));
	e.c.tail_insn = SIZE_MAX;
	e.linear_copy = linear_copy;
	int rc = -1, used[NVIEWS] = {0}, entry[2][NVIEWS] = {{0}};
	memset(out, 0, sizeof(*out));
	out->prog_array_insn = SIZE_MAX;
	size_t n = list ? ir_order(ir, list) : 0;
	if (!e.uses || !e.buses || !e.stamp || n == 0) {
		diag_set(d, FILTER_ERR_NOMEM, 0, 0, "out of memory");
		goto done;
	}
	hook_regs(&e);
	e.lbl_accept = code_label(&e.c);
	e.lbl_reject = code_label(&e.c);
	hook_views(&e, used);
	for (int v = 0; v < NVIEWS; v++)
		for (int lin = 0; lin < 2; lin++)
			entry[lin][v] = code_label(&e.c);
	hook_prologue(&e, ir->nslots, used, entry);
	if ((o->optimize && sw_plan(&e, list, n) < 0) || loop_plan(&e, list, n) < 0)
		goto done;
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
	sw_free(&e);
	loop_free(&e);
	free(list);
	free(e.uses);
	free(e.buses);
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
