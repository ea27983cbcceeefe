/*
 * layout.h - the last step of the classic backend: instructions whose jumps
 * name blocks become a program with numeric offsets.
 *
 * Conditional jumps reach at most 255 instructions ahead; a farther target
 * goes through a 'ja' trampoline placed after the jump, and a later jump to
 * the same target within reach borrows it instead of adding its own.  A 'ja'
 * to the instruction right after it is dropped.
 */
#ifndef BPFCAP_FILTER_LAYOUT_H
#define BPFCAP_FILTER_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "filter.h"

#define NOTARGET UINT32_MAX

/* An instruction while laying out: jumps name target blocks. */
struct linsn {
	struct filter_insn in;
	uint32_t tblk[2]; /* jt, jf (or ja's target) as block order numbers */
	int is_jmp;	  /* 1 conditional, 2 ja */
};

/* How many blocks L names: 2 for a conditional jump, 1 for 'ja', else 0. */
static inline int linsn_ntargets(const struct linsn *l)
{
	return l->is_jmp == 1 ? 2 : l->is_jmp == 2 ? 1 : 0;
}

/* FIRST[b] is the index in CODE of block b's first instruction.  0, or -1
 * when out of memory. */
int layout_resolve(const struct linsn *code, size_t n, const size_t *first,
		   struct filter_prog *out);

#endif
