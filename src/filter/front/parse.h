/*
 * parse.h - recursive-descent parser: tokens to struct ast.
 *
 * Reports syntax errors only (with the span of the offending token); range
 * and name checks belong to the generator, which knows the link type.
 * Nesting is bounded (PARSE_MAX_DEPTH) so hostile input cannot exhaust the
 * stack.
 */
#ifndef BPFCAP_FILTER_PARSE_H
#define BPFCAP_FILTER_PARSE_H

#include "base/arena.h"
#include "front/ast.h"
#include "base/diag.h"

#define PARSE_MAX_DEPTH 1000

/* The tree for EXPR, or NULL with a diagnostic.  An empty expression gives
 * *EMPTY = 1 and NULL without a diagnostic (it accepts every packet). */
struct ast *parse_expr_string(struct arena *a, struct diag_sink *d, const char *expr, size_t len,
			      int *empty);

#endif
