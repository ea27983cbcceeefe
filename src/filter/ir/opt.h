/*
 * opt.h - the optimizer: rewrites the IR graph in place without changing
 * the verdict of any packet (faults included: a load that could reject a
 * packet is never removed from a path that evaluated it).
 *
 * Passes: constant tests resolved at compile time, jump threading through
 * tests whose outcome is implied by the tests that dominate an edge,
 * removal of blocks whose two edges meet, merging of identical blocks, and
 * the grouping of a chain's tests by value (opt_chain.h), sharing of header
 * walks (opt_walk.h) and search trees for long equality lists (opt_tree.h).
 * Unreachable blocks disappear because the backends only walk from the root.
 */
#ifndef BPFCAP_FILTER_OPT_H
#define BPFCAP_FILTER_OPT_H

#include "ir/ir.h"

int opt_run(struct ir *ir);

#endif
