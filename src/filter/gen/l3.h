/* l3.h - network-layer tests (l3.c): IP protocols, addresses and networks,
 * IP broadcast and multicast, fragments. */
#ifndef BPFCAP_FILTER_GEN_L3_H
#define BPFCAP_FILTER_GEN_L3_H

#include "gen/frag.h"

/* Where the network header starts. */
struct off nl_off(struct gen *g);
/* The SIZE bytes at network offset K, masked with MASK, equal V. */
struct frag nl_cmp(struct gen *g, uint32_t k, uint8_t size, uint32_t mask, uint32_t v);
struct frag gen_ip_proto(struct gen *g, int v6, uint32_t proto);
struct frag gen_not_frag_v4(struct gen *g);
struct frag gen_host4(struct gen *g, enum kw proto, int dir, uint32_t addr, uint32_t mask);
struct frag gen_host6(struct gen *g, enum kw proto, int dir, const uint8_t *addr,
		      const uint8_t *mask);
struct frag gen_ip_bcast(struct gen *g, enum kw proto, int multicast);

#endif
