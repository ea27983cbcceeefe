/*
 * gen_priv.h - the generator's internals, shared by gen*.c only.
 *
 * A fragment is a piece of control flow with one entry and two lists of
 * dangling exits (taken when the fragment's condition is true or false);
 * and/or/not splice fragments by patching those exits, as in libpcap.
 * The generator state holds libpcap's "offsets as global state": vlan, mpls,
 * pppoes and geneve move the link-payload offset for everything generated
 * after them, across 'or' and parentheses.
 */
#ifndef BPFCAP_FILTER_GEN_PRIV_H
#define BPFCAP_FILTER_GEN_PRIV_H

#include "gen.h"
#include "link.h"
#include "names.h"

struct exit {
	struct ir_block *b;
	int side;
	struct exit *next;
};

struct exits {
	struct exit *head, *tail;
};

struct frag {
	struct ir_block *entry; /* NULL: a constant */
	int konst;		/* with entry NULL: 1 true, 0 false */
	struct exits t, f;
};

/* An offset: k plus, when var is set, a run-time value. */
struct off {
	uint32_t k;
	const struct ir_val *var;
};

struct gen {
	struct ir *ir;
	struct diag_sink *d;
	const struct filter_options *opts;
	const struct filter_resolver *res;
	const struct link_info *link;
	enum link_kind kind; /* how network protocols are tested now (changes after pppoes) */
	struct off off_link; /* the link-layer header (moves into tunnels) */
	struct off off_type; /* the type field in use */
	struct off off_pl;   /* link-layer payload */
	int mpls_depth;	     /* labels seen */
	int tunnel;	     /* inside vxlan or geneve */
	int vlan_slot;	     /* live VLAN: the slot holding 0 or 4 (-1: none) */
	/* Scratch slots, claimed on first use and then shared by every primitive
	 * of a kind (-1: not yet): the inner frame's link header, type field and
	 * payload after vxlan/geneve; a tunnel's IP header length; protochain's
	 * next-header value and offset. */
	int tun_link, tun_type, tun_pl, tun_hl, pc_nh, pc_off;
	int vlan_seen;
	int failed;
	const struct ast *at; /* node being lowered, for diagnostics */
};

/* gen.c: fragments */
int exit_add(struct gen *g, struct exits *l, struct ir_block *b, int side);
void exits_patch(struct exits l, struct ir_block *to);
int gen_fail(struct gen *g, enum filter_err code, const char *fmt, ...) DIAG_PRINTF(3, 4);
struct frag frag_const(int value);
struct frag frag_test(struct gen *g, enum ir_test op, const struct ir_val *v, uint32_t k);
/* The wire length as the expression means it (on a cooked socket the kernel's
 * excludes the cooked header). */
const struct ir_val *gen_len(struct gen *g);
struct frag frag_test_x(struct gen *g, enum ir_test op, const struct ir_val *v,
			const struct ir_val *x);
struct frag frag_and(struct gen *g, struct frag a, struct frag b);
struct frag frag_or(struct gen *g, struct frag a, struct frag b);
struct frag frag_not(struct frag a);
/* Load SIZE bytes at OFF + k (masked with MASK unless all ones) == V. */
struct frag frag_cmp(struct gen *g, struct off off, uint32_t k, uint8_t size, uint32_t mask,
		     uint32_t v);
const struct ir_val *load_at(struct gen *g, struct off off, uint32_t k, uint8_t size);
struct frag lower(struct gen *g, const struct ast *n);

/* gen_link.c: link layer and encapsulations */
struct frag gen_vlan_live(struct gen *g, const struct ast *n);
struct frag gen_linktype(struct gen *g, uint32_t proto);
struct frag gen_ether_addr(struct gen *g, const uint8_t mac[6], int dir);
struct frag gen_link_bcast(struct gen *g, int multicast);
struct frag gen_encap(struct gen *g, const struct ast *n);
struct frag gen_direction(struct gen *g, int outbound);
struct frag gen_ifindex(struct gen *g, uint32_t idx);
struct frag gen_llc_prim(struct gen *g, const struct ast *n);
struct frag gen_proto_kw(struct gen *g, enum kw proto);
struct frag gen_ether_proto(struct gen *g, uint32_t v);

/* gen_ip.c: network layer */
struct off nl_off(struct gen *g);
struct frag gen_ip_proto(struct gen *g, int v6, uint32_t proto);
struct frag gen_host4(struct gen *g, enum kw proto, int dir, uint32_t addr, uint32_t mask);
struct frag gen_host6(struct gen *g, enum kw proto, int dir, const uint8_t *addr,
		      const uint8_t *mask);
struct frag gen_ip_bcast(struct gen *g, enum kw proto, int multicast);
struct frag gen_id(struct gen *g, const struct ast *n);
struct frag gen_not_frag_v4(struct gen *g);

/* gen_tunnel.c: protochain (a bounded walk of header chains) and geneve */
#define PROTOCHAIN_STEPS_V6 128 /* headers walked: IPv6 */
#define PROTOCHAIN_STEPS_V4 32	/* IPv4 (AH only) */
struct frag gen_protochain(struct gen *g, enum kw proto, uint32_t v);
struct frag gen_geneve(struct gen *g, const struct ast *n);
struct frag gen_vxlan(struct gen *g, const struct ast *n);
struct frag gen_gateway(struct gen *g, const struct ast *n);

/* gen_other.c: OSI and DECnet */
struct frag gen_iso_proto(struct gen *g, uint32_t proto);
struct frag gen_isis_proto(struct gen *g, uint32_t pdu);
int gen_osi_kw(struct gen *g, enum kw kw, struct frag *out);
struct frag gen_decnet(struct gen *g, const struct token *id, int dir);

/* gen_l4.c: transport layer */
struct frag gen_port(struct gen *g, enum kw proto, int dir, uint32_t lo, uint32_t hi);
struct frag gen_port_id(struct gen *g, const struct ast *n);

/* gen_arith.c: arithmetic and relations */
struct frag gen_rel(struct gen *g, const struct ast *n);
struct frag gen_byte(struct gen *g, const struct ast *n);

#endif
