/* id.h - identifiers (id.c): what a host, net, port, proto or gateway
 * qualifier with a name or number means, resolved through the names
 * databases and dispatched to the families. */
#ifndef BPFCAP_FILTER_GEN_ID_H
#define BPFCAP_FILTER_GEN_ID_H

#include "gen/frag.h"

struct frag gen_id(struct gen *g, const struct ast *n);

#endif
