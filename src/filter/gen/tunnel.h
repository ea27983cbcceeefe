/* tunnel.h - header walks and tunnels (tunnel.c): protochain (a bounded
 * walk of IPv6/IPv4 header chains), vxlan and geneve (the inner frame
 * becomes the link layer for what follows). */
#ifndef BPFCAP_FILTER_GEN_TUNNEL_H
#define BPFCAP_FILTER_GEN_TUNNEL_H

#include "gen/frag.h"

/* The walk's fixed bound (bpfcap-filter(7), protochain): extension headers
 * stepped over at most.  Chosen so that any three protochain terms of both
 * families, unoptimized, fit the kernel's 4096 instructions (about 2600);
 * a conforming IPv6 chain holds each extension header once (destination
 * options twice), far fewer than 32. */
#define PROTOCHAIN_STEPS_V6 32 /* IPv6 */
#define PROTOCHAIN_STEPS_V4 8  /* IPv4 (AH only) */
struct frag gen_protochain(struct gen *g, enum kw proto, uint32_t v);
struct frag gen_vxlan(struct gen *g, const struct ast *n);
struct frag gen_geneve(struct gen *g, const struct ast *n);

#endif
