/* osi.h - OSI (CLNP, ES-IS, IS-IS) and DECnet tests (osi.c). */
#ifndef BPFCAP_FILTER_GEN_OSI_H
#define BPFCAP_FILTER_GEN_OSI_H

#include "gen/frag.h"

struct frag gen_iso_proto(struct gen *g, uint32_t proto);
struct frag gen_isis_proto(struct gen *g, uint32_t pdu);
/* 1 with *OUT set when KW is an OSI protocol keyword, else 0. */
int gen_osi_kw(struct gen *g, enum kw kw, struct frag *out);
struct frag gen_decnet(struct gen *g, const struct token *id, int dir);

#endif
