/*
 * opt_swap.h - tests that trade places (used by opt.c).
 *
 * A conjunction or disjunction of two tests whose second is on the value
 * that every way into the first leaves in A is tested the other way round,
 * so that value needs no reload: past "src != A" in 'host A and not host
 * B' come "dst == A" and "src != B", and src is tested first.  The second
 * test's value was evaluated on every way in, so no read moves earlier; the
 * first's reads move later, which opt.h allows.
 *
 * A test whose every outcome (a dispatch on one value: 'ip proto' for
 * 'tcp port 80 or udp port 53') leads either to one exit or to the same
 * test, which leaves to that exit on one side, is preceded by that test
 * instead: the fragment test of the IPv4 ports is made once, ahead of the
 * protocol.  It moves ahead only of tests whose bytes end no sooner, so it
 * faults only where they would (opt.h).
 */
#ifndef BPFCAP_FILTER_OPT_SWAP_H
#define BPFCAP_FILTER_OPT_SWAP_H

#include "ir/ir.h"

/* Each returns the number of rewrites, or -1 when out of memory. */
int opt_swaps(struct ir *ir);
int opt_hoists(struct ir *ir);

#endif
