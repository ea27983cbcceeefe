/* l2.h - link-layer tests (l2.c): the protocol type field per link type,
 * MAC addresses, direction and interface, LLC, and the encapsulations that
 * move the payload offset (vlan, mpls, pppoe).  The EtherTypes and SAPs every
 * family tests through gen_linktype() are named here. */
#ifndef BPFCAP_FILTER_GEN_L2_H
#define BPFCAP_FILTER_GEN_L2_H

#include "gen/frag.h"

enum {
	ETHERMTU = 1500,
	ET_IP = 0x0800,
	ET_ARP = 0x0806,
	ET_RARP = 0x8035,
	ET_IPV6 = 0x86dd,
	ET_ATALK = 0x809b,
	ET_AARP = 0x80f3,
	ET_IPX = 0x8137,
	ET_DN = 0x6003,
	ET_PPPOED = 0x8863,
	ET_PPPOES = 0x8864,
	ET_MPLS = 0x8847,
	SAP_ISONS = 0xfe,
	SAP_NETBEUI = 0xf0,
	SAP_IPX = 0xe0,
};

struct frag gen_linktype(struct gen *g, uint32_t proto);
struct frag gen_ether_proto(struct gen *g, uint32_t v);
struct frag gen_ether_addr(struct gen *g, const uint8_t mac[6], int dir);
struct frag gen_link_bcast(struct gen *g, int multicast);
struct frag gen_direction(struct gen *g, int outbound);
struct frag gen_ifindex(struct gen *g, uint32_t idx);
struct frag gen_llc_prim(struct gen *g, const struct ast *n);
/* Encapsulations: each moves the offsets for everything generated after it. */
struct frag gen_vlan(struct gen *g, const struct ast *n);
struct frag gen_vlan_live(struct gen *g, const struct ast *n);
struct frag gen_mpls(struct gen *g, const struct ast *n);
struct frag gen_pppoes(struct gen *g, const struct ast *n);

#endif
