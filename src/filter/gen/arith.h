/* arith.h - arithmetic and relations (arith.c): packet accessors
 * ('ip[2:2]'), expressions over them and their comparisons. */
#ifndef BPFCAP_FILTER_GEN_ARITH_H
#define BPFCAP_FILTER_GEN_ARITH_H

#include "gen/frag.h"

struct frag gen_rel(struct gen *g, const struct ast *n);
struct frag gen_byte(struct gen *g, const struct ast *n);

#endif
