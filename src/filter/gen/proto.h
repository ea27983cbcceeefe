/* proto.h - the protocol keywords (proto.c): a bare 'ip', 'tcp', 'iso', ...
 * and the encapsulation primitives, dispatched to the family that owns them. */
#ifndef BPFCAP_FILTER_GEN_PROTO_H
#define BPFCAP_FILTER_GEN_PROTO_H

#include "gen/frag.h"

struct frag gen_proto_kw(struct gen *g, enum kw proto);
struct frag gen_encap(struct gen *g, const struct ast *n);

#endif
