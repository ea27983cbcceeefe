/*
 * opt.h - the optimizer: rewrites the IR graph in place under the rule
 * for short packets (bpfcap-filter(7), "Short packets"):
 *  - on a packet where the unoptimized program reads only bytes that are
 *    present, the verdict is unchanged;
 *  - on a packet that ends inside a field the program reads, the optimized
 *    program accepts at least every packet the unoptimized one accepts, and
 *    another only when every value of the missing bytes (wire length
 *    unchanged) would make the expression true.  libpcap's optimizer (what
 *    tcpdump runs) does the same.
 * A rewrite that is right on complete packets and never turns an accept
 * into a reject keeps that rule (a path that accepts reads only bytes that
 * are there, so it accepts every completion).  So a read past the end of
 * the packet (ir_read_faults()) may be dropped with a test whose outcome is
 * constant, moved later, moved ahead of tests whose reads end no sooner
 * (opt_chain.h), or narrowed to the bytes a mask keeps; other faults (a
 * division by zero, ancillary data in user space) stay where they are.
 *
 * Passes: constant tests resolved at compile time; jump threading through
 * tests whose outcome is implied by the tests that dominate an edge, and
 * past tests whose one side rejects and whose other side rejects too on
 * that outcome; removal of blocks whose two edges meet; merging of
 * identical blocks; the grouping of a chain's tests by value and of a
 * term's conjuncts by where their bytes end (opt_chain.h); narrow loads for
 * masked tests of whole bytes; tests that trade places (opt_swap.h: the
 * value already in A tested first, and a test that every outcome of a
 * dispatch begins with made once, ahead of it); sharing of header walks
 * (opt_walk.h); search trees for long equality lists (opt_tree.h).
 * Unreachable blocks disappear because the backends only walk from the root.
 */
#ifndef BPFCAP_FILTER_OPT_H
#define BPFCAP_FILTER_OPT_H

#include "ir/ir.h"

int opt_run(struct ir *ir);

#endif
