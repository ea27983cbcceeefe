/*
 * frag.h - the generator's base: the generator state, fragments and loads,
 * shared by every file in gen/ (gen.c and the per-family files).
 *
 * A fragment is a piece of control flow with one entry and two lists of
 * dangling exits (taken when the fragment's condition is true or false);
 * and/or/not splice fragments by patching those exits, as in libpcap.
 * The generator state holds libpcap's "offsets as global state": vlan, mpls,
 * pppoes and geneve move the link-payload offset for everything generated
 * after them, across 'or' and parentheses.
 */
#ifndef BPFCAP_FILTER_GEN_FRAG_H
#define BPFCAP_FILTER_GEN_FRAG_H

#include "base/diag.h"
#include "filter.h"
#include "front/ast.h"
#include "front/names.h"
#include "gen/link.h"
#include "ir/ir.h"

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

/* protochain's walks: gen_program() sets STEPS_V6 to the IPv6 bound it
 * used, 0 when the expression has no protochain. */
struct gen_walks {
	int steps_v6;
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
	struct gen_walks *walks; /* protochain's bound (gen.h) */
	int failed;
	const struct ast *at; /* node being lowered, for diagnostics */
};

/* frag.c */
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

#endif
