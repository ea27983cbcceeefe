/* proto.c - the protocol keywords and the encapsulation primitives, each
 * to the family that owns it; see proto.h. */
#include "gen/proto.h"

#include "gen/l2.h"
#include "gen/l3.h"
#include "gen/osi.h"
#include "gen/tunnel.h"

/* EtherType or SAP for the link-level protocol keywords. */
static uint32_t kw_linkproto(enum kw kw)
{
	switch (kw) {
	case KW_IP: return ET_IP;
	case KW_IP6: return ET_IPV6;
	case KW_ARP: return ET_ARP;
	case KW_RARP: return ET_RARP;
	case KW_ATALK: return ET_ATALK;
	case KW_AARP: return ET_AARP;
	case KW_DECNET: return ET_DN;
	case KW_LAT: return 0x6004;
	case KW_SCA: return 0x6007;
	case KW_MOPRC: return 0x6002;
	case KW_MOPDL: return 0x6001;
	case KW_ISO: return SAP_ISONS;
	case KW_STP: return 0x42;
	case KW_IPX: return SAP_IPX;
	case KW_NETBEUI: return SAP_NETBEUI;
	default: return 0;
	}
}

/* A bare protocol keyword: 'ip', 'tcp', 'stp', ... */
struct frag gen_proto_kw(struct gen *g, enum kw proto)
{
	static const struct {
		enum kw kw;
		uint8_t num;
		int v4, v6;
	} ipp[] = {
		{KW_TCP, 6, 1, 1},    {KW_UDP, 17, 1, 1},   {KW_SCTP, 132, 1, 1},
		{KW_ICMP, 1, 1, 0},   {KW_ICMP6, 58, 0, 1}, {KW_IGMP, 2, 1, 0},
		{KW_IGRP, 9, 1, 0},   {KW_PIM, 103, 1, 1},  {KW_VRRP, 112, 1, 0},
		{KW_CARP, 112, 1, 0}, {KW_AH, 51, 1, 1},    {KW_ESP, 50, 1, 1},
	};
	for (size_t i = 0; i < sizeof(ipp) / sizeof(ipp[0]); i++) {
		if (ipp[i].kw != proto)
			continue;
		struct frag f = frag_const(0);
		if (ipp[i].v4)
			f = gen_ip_proto(g, 0, ipp[i].num);
		if (ipp[i].v6)
			f = frag_or(g, f, gen_ip_proto(g, 1, ipp[i].num));
		return f;
	}
	uint32_t lp = kw_linkproto(proto);
	if (lp)
		return gen_linktype(g, lp);
	struct frag osi;
	if (gen_osi_kw(g, proto, &osi))
		return osi;
	if (proto == KW_LINK) {
		gen_fail(g, FILTER_ERR_SYNTAX, "'ether' needs a qualifier such as host or proto");
		return frag_const(0);
	}
	gen_fail(g, FILTER_ERR_SEMANTIC, "this protocol is not supported on link type %s",
		 g->link->name);
	return frag_const(0);
}

struct frag gen_encap(struct gen *g, const struct ast *n)
{
	switch (n->kind) {
	case AST_VLAN: return gen_vlan(g, n);
	case AST_MPLS: return gen_mpls(g, n);
	case AST_PPPOED: return gen_linktype(g, ET_PPPOED);
	case AST_PPPOES: return gen_pppoes(g, n);
	case AST_VXLAN: return gen_vxlan(g, n);
	default: return gen_geneve(g, n);
	}
}
