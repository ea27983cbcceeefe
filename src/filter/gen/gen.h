/*
 * gen.h - lowering the AST to the IR for one link type.
 *
 * gen_program() fills IR->root.  It performs the semantic checks that need
 * the link type or the name databases (ranges, names, qualifier fits) and
 * reports them with the span of the offending AST node.
 */
#ifndef BPFCAP_FILTER_GEN_H
#define BPFCAP_FILTER_GEN_H

#include "front/ast.h"
#include "base/diag.h"
#include "filter.h"
#include "gen/frag.h"
#include "ir/ir.h"

int gen_program(struct ir *ir, struct diag_sink *d, const struct filter_options *opts,
		const struct ast *root, int empty, struct gen_walks *w);

#endif
