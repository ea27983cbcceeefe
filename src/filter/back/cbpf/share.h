/*
 * share.h - the classic backend's code sharing, between emission and layout:
 * blocks of instructions that do the same thing are laid out once.
 *
 * Two rewrites, both decided on the emitted instructions (so they see what
 * the IR cannot: two blocks whose tests differ as values but whose code is
 * the same once registers already hold the operands):
 *  - identical blocks (same instructions, same targets) are merged into the
 *    later one;
 *  - a block whose code reads the packet at fixed offsets, and a later one
 *    whose code reads it at X plus offsets a constant C lower, with the same
 *    tests and targets, share the later code: the first sets X to C and
 *    jumps there (IPv6's fixed 40-byte header against IPv4's variable one).
 *    The 'ldx' goes before the predecessor's jump when X is free on both of
 *    its edges, and costs nothing then.
 * Only code whose result is the same on every packet is shared, faults (loads
 * out of bounds) included, since the shared code loads the same bytes.
 *
 * The module owns nothing after it returns: it rebuilds CODE and FIRST.
 */
#ifndef BPFCAP_FILTER_SHARE_H
#define BPFCAP_FILTER_SHARE_H

#include <stddef.h>
#include <stdint.h>

#include "back/cbpf/layout.h"

struct share_in {
	struct linsn *code; /* malloc'd; replaced */
	size_t n;	    /* instructions */
	size_t *first;	    /* [nblocks + 1]: block b is code[first[b] .. first[b+1]) */
	size_t nblocks;	    /* block 0 is the entry */
	uint32_t min_abs;   /* fixed offsets below this are never rebased on X */
};

/* Rewrites IN in place (code, n, first and nblocks change; first is
 * reallocated, with room for nblocks + 1).  0, or -1 when out of memory
 * (IN is then unchanged). */
int share_run(struct share_in *in);

#endif
