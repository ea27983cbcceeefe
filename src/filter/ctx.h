/*
 * ctx.h - struct filter_ctx: the state of one compile (options, arena,
 * diagnostic, IR).  Nothing outside this struct is mutable.
 */
#ifndef BPFCAP_FILTER_CTX_H
#define BPFCAP_FILTER_CTX_H

#include "base/arena.h"
#include "base/diag.h"
#include "filter.h"
#include "gen/gen.h"
#include "ir/ir.h"

struct filter_ctx {
	struct filter_options opts;
	struct arena arena;
	struct diag_sink diag;
	struct ir ir;
	int compiled;
	struct gen_walks walks; /* protochain's bound in use */
};

#endif
