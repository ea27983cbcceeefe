/*
 * opt_walk.h - the optimizer's sharing of header walks (used by opt.c).
 *
 * protochain walks the IPv4/IPv6 header chain in an unrolled loop of a few
 * hundred instructions.  Every term of one family at one offset walks the
 * same chain to the same end, so when a walk's first block is reached only
 * after an exit of an equal walk (ir_block.walk_key), with nothing stored
 * in between, the second walk is skipped: its first block's predecessors go
 * straight to its exit, which reads the results the first walk left.  The
 * second walk would have loaded the same bytes, so no fault is lost.
 */
#ifndef BPFCAP_FILTER_OPT_WALK_H
#define BPFCAP_FILTER_OPT_WALK_H

#include "ir/ir.h"

/* Returns the number of walks skipped, or -1 when out of memory. */
int opt_walks(struct ir *ir);

#endif
