/*
 * opt_chain.h - the optimizer's reordering of test chains (used by opt.c).
 *
 * A chain is a run of blocks, each the only way into the next, that all
 * leave to one common exit when their test comes out a given way: "any of
 * these tests holds".  Its tests are grouped by the value they test, so
 * that each value is loaded once: 'host A or host B or host C' tests the
 * source address against A, B and C, then the destination, instead of
 * reloading for every host.  Under opt.h's rule a test may move ahead of
 * tests it followed when it faults only where the first of them, with the
 * tests before it, would have: its bytes end no later than theirs (same
 * base: absolute, or past the same IPv4 header length).  A test that may
 * fault at a lower end stays ahead ('ip[2] = 1 or tcp[100] = 1' accepts a
 * short packet whose ip[2] is 1), and so does one that may fault on a whole
 * packet (a division), unless the chain leaves to reject.
 */
#ifndef BPFCAP_FILTER_OPT_CHAIN_H
#define BPFCAP_FILTER_OPT_CHAIN_H

#include "ir/ir.h"

/* Returns the number of chains reordered, or -1 when out of memory. */
int opt_chains(struct ir *ir);

/* The same for chains of terms: single-entry groups of blocks that leave
 * to the chain's exit (accept or reject) or to the next term, ordered by
 * the value their first block tests ('host fe80::1 or host fe80::2' tests
 * both sources first, so that the second reads only the word in which it
 * differs).  Returns the number reordered, or -1 when out of memory. */
int opt_terms(struct ir *ir);

/* Within each term of such a chain, the conjuncts (a chain of terms to
 * the term's other exit) in the order in which their bytes end, where
 * opt_chain.h's rule allows: '(host A and port 80) or (host B and port
 * 443)' tests the protocol and fragment ahead of the hosts, so that the
 * second term, reached with them known, skips them.  The number of
 * chains reordered, or -1 when out of memory. */
int opt_conjuncts(struct ir *ir);

/* Prefix-masked equality tests become range tests (see opt_chain.c): the
 * number rewritten, or -1 when out of memory. */
int opt_ranges(struct ir *ir);

#endif
