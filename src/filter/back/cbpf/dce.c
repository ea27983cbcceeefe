/* dce.c - dead instruction removal; see dce.h.
 *
 * Liveness of A, X and M[0..15] as a bit mask, computed per block from the
 * last block back (jumps go forward only, so one pass is exact), and per
 * instruction backwards within a block. */
#include "back/cbpf/dce.h"

#include <linux/filter.h>
#include <stdint.h>

enum { L_A = 1u << 0, L_X = 1u << 1 };
#define L_M(k) (1u << (2 + ((k)&15)))

struct effect {
	uint32_t use, def;
	int keep; /* can reject the packet, or leaves the block */
};

static struct effect ld_effect(const struct filter_insn *i, uint32_t reg)
{
	struct effect e = {0, reg, 0};
	switch (BPF_MODE(i->code)) {
	case BPF_IND:
		e.use = L_X;
		e.keep = 1;
		break;
	case BPF_ABS:
	case BPF_MSH: e.keep = 1; break;
	case BPF_MEM: e.use = L_M(i->k); break;
	default: break; /* IMM, LEN */
	}
	return e;
}

static struct effect effect_of(const struct filter_insn *i)
{
	uint16_t c = i->code;
	struct effect e = {0, 0, 0};
	switch (BPF_CLASS(c)) {
	case BPF_LD: return ld_effect(i, L_A);
	case BPF_LDX: return ld_effect(i, L_X);
	case BPF_ST: return (struct effect){L_A, L_M(i->k), 0};
	case BPF_STX: return (struct effect){L_X, L_M(i->k), 0};
	case BPF_ALU:
		e.use = L_A;
		e.def = L_A;
		if (BPF_OP(c) != BPF_NEG && BPF_SRC(c) == BPF_X)
			e.use |= L_X;
		if (BPF_OP(c) == BPF_DIV || BPF_OP(c) == BPF_MOD)
			e.keep = BPF_SRC(c) == BPF_X || i->k == 0;
		return e;
	case BPF_JMP:
		e.keep = 1;
		if (BPF_OP(c) != BPF_JA)
			e.use = L_A | (BPF_SRC(c) == BPF_X ? L_X : 0);
		return e;
	case BPF_RET:
		e.keep = 1;
		e.use = BPF_RVAL(c) == BPF_A ? L_A : BPF_RVAL(c) == BPF_X ? L_X : 0;
		return e;
	default: /* MISC */
		if (BPF_MISCOP(c) == BPF_TAX)
			return (struct effect){L_A, L_X, 0};
		return (struct effect){L_X, L_A, 0};
	}
}

/* Marks the dead instructions of CODE[LO .. HI) by setting their is_jmp to -1; returns
 * what is live on entry. */
static uint32_t block_pass(struct linsn *code, size_t lo, size_t hi, const uint32_t *live)
{
	const struct linsn *end = &code[hi - 1];
	uint32_t l = 0;
	for (int k = 0; k < linsn_ntargets(end); k++)
		l |= live[end->tblk[k]];
	for (size_t i = hi; i-- > lo;) {
		struct effect e = effect_of(&code[i].in);
		if (!e.keep && !(e.def & l)) {
			code[i].is_jmp = -1;
			continue;
		}
		l = (l & ~e.def) | e.use;
	}
	return l;
}

size_t dce_run(struct linsn *code, size_t *first, size_t nblocks, uint32_t *live)
{
	for (size_t b = nblocks; b-- > 0;)
		live[b] = block_pass(code, first[b], first[b + 1], live);
	size_t at = 0;
	for (size_t b = 0; b < nblocks; b++) {
		size_t lo = first[b], hi = first[b + 1];
		first[b] = at;
		for (size_t i = lo; i < hi; i++)
			if (code[i].is_jmp != -1)
				code[at++] = code[i];
	}
	first[nblocks] = at;
	return at;
}
