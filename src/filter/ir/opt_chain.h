/*
 * opt_chain.h - the optimizer's reordering of test chains (used by opt.c).
 *
 * A chain is a run of blocks, each the only way into the next, that all
 * leave to one common exit when their test comes out a given way: "any of
 * these tests holds".  Such a disjunction may be evaluated in any order once
 * none of its tests can reject the packet any more, that is once the loads
 * evaluated earlier on the chain prove the bytes are there.  From that point
 * the tests are grouped by the value they test, so that each value is loaded
 * once: 'host A or host B or host C' tests the source address against A, B
 * and C, then the destination, instead of reloading for every host.
 */
#ifndef BPFCAP_FILTER_OPT_CHAIN_H
#define BPFCAP_FILTER_OPT_CHAIN_H

#include "ir/ir.h"

/* Returns the number of chains reordered, or -1 when out of memory. */
int opt_chains(struct ir *ir);

/* Prefix-masked equality tests become range tests (see opt_chain.c): the
 * number rewritten, or -1 when out of memory. */
int opt_ranges(struct ir *ir);

#endif
