/* ebpf_rules_mem.c - loads, stores and calls for ebpf_rules.c's walk:
 * context fields per hook, packet windows, the stack, helper arguments. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ebpf_rules_priv.h"

/* ---- reads and writes ----------------------------------------------------- */

const struct reg *er_spilled(const struct state *s, int slot)
{
	for (int k = 0; k < s->nspill; k++)
		if (s->spill[k].slot == slot)
			return &s->spill[k].r;
	return NULL;
}

int er_use(struct walk *w, size_t pc, const struct state *s, int reg)
{
	if (s->r[reg].type == T_NONE)
		return er_fail(w, pc, "read of uninitialised register r%d", reg);
	return 0;
}

int er_stack_access(struct walk *w, size_t pc, struct state *s, const struct reg *base, int off,
		    int size, int write, const struct reg *val)
{
	int at = base->off + off + STACK;

	if (at < 0 || at + size > STACK || base->off + off >= 0)
		return er_fail(w, pc, "stack access at fp%+d size %d outside the 512 bytes",
			       base->off + off, size);
	if ((!write || val) && at % size) /* a load or store, not a helper's buffer */
		return er_fail(w, pc, "misaligned stack access at fp%+d size %d", base->off + off,
			       size);
	int slot = at / 8, aligned = at % 8 == 0 && size == 8;
	if (write) {
		if (val && val->type != T_SCALAR && !aligned)
			return er_fail(w, pc, "partial spill of a pointer at fp%+d",
				       base->off + off);
		for (int k = at; k < at + size; k++)
			s->init[k / 8] |= (uint8_t)(1u << (k % 8));
		for (int k = 0; k < s->nspill; k++)
			if (s->spill[k].slot >= at / 8 && s->spill[k].slot <= (at + size - 1) / 8)
				s->spill[k--] = s->spill[--s->nspill];
		if (val && aligned) {
			if (s->nspill == NSPILL)
				return er_undecided(w, pc, "more than %d spilled slots", NSPILL);
			s->spill[s->nspill].slot = (uint8_t)slot;
			s->spill[s->nspill++].r = *val;
		}
		return 0;
	}
	for (int k = at; k < at + size; k++)
		if (!(s->init[k / 8] & (1u << (k % 8))))
			return er_strict(w),
			       er_fail(w, pc, "read of uninitialised stack at fp%+d", k - STACK);
	return 0;
}

/* The type a load of SIZE bytes at OFF in the hook's context gives. */
static int ctx_load(struct walk *w, size_t pc, struct state *s, int off, int size, struct reg *out)
{
	int xdp = w->hook == FILTER_HOOK_XDP;
	int data = xdp ? 0 : 76, end = xdp ? 4 : 80, meta = xdp ? 8 : 140;
	int last = xdp ? 24 : 92; /* readable u32 fields up to napi_id at tc */

	(void)s;
	if (off < 0 || off % size || off + size > last || size > 4 || (xdp && size != 4))
		return er_fail(w, pc, "context access at %d size %d not allowed at %s", off, size,
			       xdp ? "XDP" : "tc");
	if (off == data || off == end || off == meta) {
		if (size != 4)
			return er_fail(w, pc, "narrow load of a context pointer field at %d", off);
		if (off == meta)
			return er_fail(w, pc, "data_meta is not used by the checker's rules");
		memset(out, 0, sizeof *out);
		out->type = off == data ? T_PKT : T_PKT_END;
		return 0;
	}
	er_scalar(out, 0, size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1);
	return 0;
}

static int pkt_access(struct walk *w, size_t pc, const struct reg *b, int off, int size)
{
	long long lo = (long long)b->off + off, hi = lo + size;

	if (lo < 0)
		return er_fail(w, pc, "packet access below the start (off %lld)", lo);
	if (hi > b->range)
		return er_fail(w, pc,
			       "packet access [%lld, %lld) outside the window proven by a bounds "
			       "check (%d bytes)",
			       lo, hi, b->range);
	return 0;
}

int er_mem_load(struct walk *w, size_t pc, struct state *s, const struct bpf_insn *i)
{
	static const int sizes[4] = {4, 2, 1, 8};
	int size = sizes[BPF_SIZE(i->code) >> 3];
	const struct reg *b = &s->r[i->src_reg];
	struct reg v;

	if (BPF_MODE(i->code) != BPF_MEM)
		return er_fail(w, pc, "load mode 0x%x not allowed", BPF_MODE(i->code));
	if (er_use(w, pc, s, i->src_reg) < 0)
		return -1;
	switch (b->type) {
	case T_CTX:
		if (b->off)
			return er_fail(w, pc, "dereference of a modified context pointer (off %d)",
				       b->off);
		if (ctx_load(w, pc, s, i->off, size, &v) < 0)
			return -1;
		break;
	case T_PKT:
		if (pkt_access(w, pc, b, i->off, size) < 0)
			return -1;
		er_scalar(&v, 0, size == 8 ? UINT64_MAX : (1ull << (8 * size)) - 1);
		break;
	case T_STACK: {
		int at = b->off + i->off + STACK;
		if (er_stack_access(w, pc, s, b, i->off, size, 0, NULL) < 0)
			return -1;
		const struct reg *sp = er_spilled(s, at / 8);
		if (sp && sp->type != T_SCALAR && (size != 8 || at % 8))
			return er_fail(w, pc, "partial fill of a spilled pointer at fp%+d",
				       at - STACK);
		if (sp && size == 8 && at % 8 == 0)
			v = *sp;
		else
			er_scalar(&v, 0, size == 8 ? UINT64_MAX : (1ull << (8 * size)) - 1);
		break;
	}
	default:
		return er_fail(w, pc, "load through r%d, which is not a pointer to memory",
			       i->src_reg);
	}
	if (i->dst_reg == 10)
		return er_fail(w, pc, "write to r10 (the frame pointer is read-only)");
	s->r[i->dst_reg] = v;
	return 0;
}

int er_mem_store(struct walk *w, size_t pc, struct state *s, const struct bpf_insn *i)
{
	static const int sizes[4] = {4, 2, 1, 8};
	int size = sizes[BPF_SIZE(i->code) >> 3];
	const struct reg *b = &s->r[i->dst_reg];
	struct reg v;

	if (BPF_MODE(i->code) != BPF_MEM)
		return er_fail(w, pc, "store mode 0x%x (atomics) not allowed", BPF_MODE(i->code));
	if (er_use(w, pc, s, i->dst_reg) < 0)
		return -1;
	if (BPF_CLASS(i->code) == BPF_STX) {
		if (er_use(w, pc, s, i->src_reg) < 0)
			return -1;
		v = s->r[i->src_reg];
	} else {
		er_scalar(&v, (uint64_t)(int64_t)i->imm, (uint64_t)(int64_t)i->imm);
	}
	if (b->type == T_STACK)
		return er_stack_access(w, pc, s, b, i->off, size, 1, &v);
	if (b->type == T_PKT) {
		return pkt_access(w, pc, b, i->off, size);
	}
	return er_fail(w, pc, "store through r%d, which is %s", i->dst_reg,
		       b->type == T_CTX ? "the context (read-only here)" : "not writable memory");
}

/* ---- calls and legacy loads ----------------------------------------------- */

static int arg_ctx(struct walk *w, size_t pc, const struct state *st, int reg)
{
	if (st->r[reg].type != T_CTX || st->r[reg].off)
		return er_fail(w, pc, "helper argument r%d is not the context", reg);
	return 0;
}

/* skb_load_bytes / xdp_load_bytes (ctx, offset, to, len): TO a stack buffer
 * of LEN bytes, which the helper fills. */
static int load_bytes_args(struct walk *w, size_t pc, struct state *st)
{
	const struct reg *to = &st->r[3], *len = &st->r[4];

	if (arg_ctx(w, pc, st, 1) < 0)
		return -1;
	if (len->type != T_SCALAR || len->umin == 0 || len->umax > STACK)
		return er_fail(w, pc, "helper argument r4 (length) not a bounded non-zero scalar");
	if (to->type != T_STACK)
		return er_fail(w, pc, "helper argument r3 is not a pointer to the stack");
	return er_stack_access(w, pc, st, to, 0, (int)len->umax, 1, NULL);
}

int er_call(struct walk *w, size_t pc, struct state *st, const struct bpf_insn *i)
{
	int xdp = w->hook == FILTER_HOOK_XDP;

	if (i->src_reg)
		return er_fail(w, pc,
			       "calls to subprograms or kfuncs are not followed by the checker");
	if (i->imm == BPF_FUNC_tail_call || i->imm == BPF_FUNC_skb_load_bytes ||
	    i->imm == BPF_FUNC_xdp_load_bytes)
		for (int k = 1; k <= (i->imm == BPF_FUNC_tail_call ? 3 : 4); k++)
			if (er_use(w, pc, st, k) < 0)
				return -1;
	switch (i->imm) {
	case BPF_FUNC_tail_call:
		if (arg_ctx(w, pc, st, 1) < 0)
			return -1;
		if (st->r[2].type != T_MAP || st->r[3].type != T_SCALAR)
			return er_fail(w, pc,
				       "bpf_tail_call without a map in r2 and an index in r3");
		break;
	case BPF_FUNC_skb_load_bytes:
	case BPF_FUNC_xdp_load_bytes:
		if (xdp != (i->imm == BPF_FUNC_xdp_load_bytes))
			return er_fail(w, pc, "helper %d is not available at %s", i->imm,
				       xdp ? "XDP" : "tc");
		if (load_bytes_args(w, pc, st) < 0)
			return -1;
		break;
	default: return er_undecided(w, pc, "helper %d not known to the checker", i->imm);
	}
	for (int k = 1; k <= 5; k++)
		memset(&st->r[k], 0, sizeof st->r[k]);
	er_scalar(&st->r[0], 0, UINT64_MAX);
	return 0;
}

int er_legacy_load(struct walk *w, size_t pc, struct state *st, const struct bpf_insn *i)
{
	static const int bits[4] = {32, 16, 8, 64};
	int b = bits[BPF_SIZE(i->code) >> 3];

	if (w->hook == FILTER_HOOK_XDP)
		return er_fail(w, pc,
			       "legacy packet loads (BPF_ABS/BPF_IND) are not allowed at XDP");
	if (b == 64 || (st->r[6].type != T_CTX || st->r[6].off))
		return er_fail(w, pc, "BPF_ABS/BPF_IND needs the context in r6 and size <= 4");
	if (BPF_MODE(i->code) == BPF_IND &&
	    (er_use(w, pc, st, i->src_reg) < 0 || st->r[i->src_reg].type != T_SCALAR))
		return er_fail(w, pc, "BPF_IND with r%d not a scalar", i->src_reg);
	for (int k = 1; k <= 5; k++)
		memset(&st->r[k], 0, sizeof st->r[k]);
	er_scalar(&st->r[0], 0, b == 32 ? UINT32_MAX : (1u << b) - 1);
	return 0;
}

int er_ld_imm64(struct walk *w, size_t pc, struct state *st, const struct bpf_insn *i)
{
	struct reg *d = &st->r[i->dst_reg];

	if (i->dst_reg == 10)
		return er_fail(w, pc, "write to r10 (the frame pointer is read-only)");
	if (i->src_reg == BPF_PSEUDO_MAP_FD || (pc == w->prog_array && i->src_reg == 0)) {
		memset(d, 0, sizeof *d);
		d->type = T_MAP;
		return 0;
	}
	if (i->src_reg)
		return er_fail(w, pc, "BPF_LD_IMM64 with src_reg %d not followed", i->src_reg);
	uint64_t k = (uint32_t)i->imm | (uint64_t)(uint32_t)i[1].imm << 32;
	er_scalar(d, k, k);
	return 0;
}
