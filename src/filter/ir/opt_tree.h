/*
 * opt_tree.h - the optimizer's search trees for long lists (used by opt.c).
 *
 * A run of TREE_MIN or more blocks that test one value for equality with
 * constants, each leaving to one common exit when equal and otherwise going
 * on to the next (what 'host A or host B or ...' becomes once opt_chain.h
 * has grouped the tests by value), is replaced by a balanced tree of 'jgt'
 * tests over the sorted constants with short runs of 'jeq' at its leaves.
 * A packet then takes about log2(N / TREE_LEAF) + TREE_LEAF tests instead of
 * up to N; the program grows by about one test in TREE_LEAF, so only runs
 * of TREE_MIN or more, where libpcap's program is longer still, change.  The tests read one value
 * that every path evaluates first, so no fault moves.  In a shorter run,
 * three or more consecutive constants become one range test ('jge', 'jgt'):
 * 'host 10.0.0.1 or ... or host 10.0.0.4' tests each address twice, not
 * four times.
 */
#ifndef BPFCAP_FILTER_OPT_TREE_H
#define BPFCAP_FILTER_OPT_TREE_H

#include "ir/ir.h"

enum { TREE_MIN = 96, TREE_LEAF = 16 };

/* Returns the number of runs made into trees, or -1 when out of memory. */
int opt_trees(struct ir *ir);

#endif
