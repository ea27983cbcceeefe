/*
 * cbpf.h - the classic-BPF backend: IR graph to a linear program.
 *
 * Blocks are laid out in a topological order, so every jump goes forward;
 * values are materialised into A and X with what each register already
 * holds on entry tracked across blocks (redundant loads are not repeated);
 * when optimizing, dead instructions go (dce.h) and blocks share code
 * (share.h); conditional jumps whose target is more than 255 instructions away go
 * through inserted 'ja' trampolines.  The result is checked against the
 * kernel's limits (FILTER_CBPF_MAX_INSNS).
 */
#ifndef BPFCAP_FILTER_CBPF_H
#define BPFCAP_FILTER_CBPF_H

#include "base/diag.h"
#include "filter.h"
#include "ir/ir.h"

struct cbpf_opts {
	int optimize;	  /* remove dead code (dce.h), share code (share.h) */
	uint32_t min_abs; /* share.h's min_abs: the cooked header a socket lacks */
};

int cbpf_emit(const struct ir *ir, const struct cbpf_opts *o, struct diag_sink *d,
	      struct filter_prog *out);

#endif
