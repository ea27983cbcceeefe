/* l4.h - transport-layer tests (l4.c): ports and port ranges, by number or
 * by service name. */
#ifndef BPFCAP_FILTER_GEN_L4_H
#define BPFCAP_FILTER_GEN_L4_H

#include "gen/frag.h"

struct frag gen_port(struct gen *g, enum kw proto, int dir, uint32_t lo, uint32_t hi);
struct frag gen_port_id(struct gen *g, const struct ast *n);

#endif
