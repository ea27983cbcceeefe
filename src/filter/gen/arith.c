/* arith.c - arithmetic over packet data, and relations.  Each
 * subexpression yields a value and the protocol checks that must hold
 * before its loads make sense (libpcap ANDs them in front, left to right). */
#include "gen/arith.h"

#include "gen/l2.h"
#include "gen/l3.h"
#include "gen/proto.h"

struct aval {
	const struct ir_val *v;
	struct frag pre;
};

static struct aval arith(struct gen *g, const struct ast *n);

static int transport_v4(enum kw p, uint32_t *num)
{
	static const struct {
		enum kw kw;
		uint32_t num;
	} m[] = {{KW_TCP, 6},  {KW_UDP, 17},  {KW_SCTP, 132}, {KW_ICMP, 1},  {KW_IGMP, 2},
		 {KW_IGRP, 9}, {KW_PIM, 103}, {KW_VRRP, 112}, {KW_CARP, 112}};
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (m[i].kw == p) {
			*num = m[i].num;
			return 1;
		}
	return 0;
}

/* proto[index:size] */
static struct aval accessor(struct gen *g, const struct ast *n)
{
	struct aval idx = arith(g, n->l), r = {NULL, frag_const(1)};
	uint8_t size = (uint8_t)n->num;
	struct off nl = nl_off(g);
	uint32_t num;
	const struct ir_val *index = idx.v;
	if (n->proto == KW_LINK) {
		struct off l = g->off_link;
		r.v = ir_load(g->ir, size, l.var ? ir_bin(g->ir, IR_ADD, l.var, index) : index,
			      l.k);
	} else if (n->proto == KW_IP6) {
		r.pre = gen_linktype(g, ET_IPV6);
		r.v = ir_load(g->ir, size, nl.var ? ir_bin(g->ir, IR_ADD, nl.var, index) : index,
			      nl.k);
	} else if (n->proto == KW_ICMP6) {
		r.pre = frag_and(g, gen_linktype(g, ET_IPV6),
				 frag_cmp(g, nl, 6, 1, 0xffffffffu, 58));
		r.v = ir_load(g->ir, size, nl.var ? ir_bin(g->ir, IR_ADD, nl.var, index) : index,
			      nl.k + 40);
	} else if (transport_v4(n->proto, &num)) {
		struct frag p = gen_proto_kw(g, n->proto);
		r.pre = frag_and(g, gen_linktype(g, ET_IP), frag_and(g, p, gen_not_frag_v4(g)));
		const struct ir_val *hl = nl.var ? NULL : ir_msh(g->ir, nl.k);
		if (!hl) {
			const struct ir_val *b = load_at(g, nl, 0, 1);
			hl = ir_bin(g->ir, IR_ADD, nl.var,
				    ir_bin(g->ir, IR_LSH,
					   ir_bin(g->ir, IR_AND, b, ir_const(g->ir, 15)),
					   ir_const(g->ir, 2)));
		}
		r.v = ir_load(g->ir, size, ir_bin(g->ir, IR_ADD, index, hl), nl.k);
	} else {
		/* ip, arp, rarp and the other link-level protocols */
		r.pre = gen_proto_kw(g, n->proto);
		r.v = ir_load(g->ir, size, nl.var ? ir_bin(g->ir, IR_ADD, nl.var, index) : index,
			      nl.k);
	}
	r.pre = frag_and(g, idx.pre, r.pre);
	return r;
}

static enum ir_op ir_op_of(enum ast_op op)
{
	static const enum ir_op m[] = {
		[OP_ADD] = IR_ADD, [OP_SUB] = IR_SUB, [OP_MUL] = IR_MUL, [OP_DIV] = IR_DIV,
		[OP_MOD] = IR_MOD, [OP_AND] = IR_AND, [OP_OR] = IR_OR,	 [OP_XOR] = IR_XOR,
		[OP_LSH] = IR_LSH, [OP_RSH] = IR_RSH};
	return m[op];
}

static struct aval arith(struct gen *g, const struct ast *n)
{
	struct aval r = {NULL, frag_const(1)};
	if (g->failed)
		return r;
	const struct ast *saved = g->at;
	g->at = n;
	switch (n->kind) {
	case AST_NUM: r.v = ir_const(g->ir, n->num); break;
	case AST_LEN: r.v = gen_len(g); break;
	case AST_LOAD: r = accessor(g, n); break;
	case AST_NEG:
		r = arith(g, n->l);
		r.v = ir_neg(g->ir, r.v);
		break;
	case AST_BINOP: {
		struct aval a = arith(g, n->l), b = arith(g, n->r);
		if (g->failed)
			break;
		if ((n->op == OP_DIV || n->op == OP_MOD) && b.v->kind == IR_V_CONST &&
		    b.v->k == 0) {
			g->at = n->r;
			gen_fail(g, FILTER_ERR_RANGE, "%s by zero",
				 n->op == OP_DIV ? "division" : "modulo");
			break;
		}
		r.v = ir_bin(g->ir, ir_op_of(n->op), a.v, b.v);
		r.pre = frag_and(g, a.pre, b.pre);
		break;
	}
	default: gen_fail(g, FILTER_ERR_SYNTAX, "expected an arithmetic expression");
	}
	if (!g->failed && !r.v)
		gen_fail(g, FILTER_ERR_NOMEM, "out of memory");
	if (!g->failed && r.v->depth > IR_MAX_DEPTH)
		gen_fail(g, FILTER_ERR_LIMIT,
			 "the arithmetic expression is too deep (more than %d "
			 "nested operations)",
			 IR_MAX_DEPTH);
	g->at = saved;
	return r;
}

struct frag gen_rel(struct gen *g, const struct ast *n)
{
	struct aval a = arith(g, n->l), b = arith(g, n->r);
	if (g->failed)
		return frag_const(0);
	struct frag t;
	switch (n->op) {
	case OP_EQ: t = frag_test_x(g, IR_JEQ, a.v, b.v); break;
	case OP_NE: t = frag_not(frag_test_x(g, IR_JEQ, a.v, b.v)); break;
	case OP_GT: t = frag_test_x(g, IR_JGT, a.v, b.v); break;
	case OP_GE: t = frag_test_x(g, IR_JGE, a.v, b.v); break;
	case OP_LT: t = frag_not(frag_test_x(g, IR_JGE, a.v, b.v)); break;
	default: t = frag_not(frag_test_x(g, IR_JGT, a.v, b.v)); break;
	}
	return frag_and(g, frag_and(g, a.pre, b.pre), t);
}

/* byte N op V: byte N of the network-layer header. */
struct frag gen_byte(struct gen *g, const struct ast *n)
{
	if (n->num2 > 255) {
		gen_fail(g, FILTER_ERR_RANGE, "byte value %u is out of range (0-255)", n->num2);
		return frag_const(0);
	}
	/* libpcap reads it from the start of the link-layer header */
	const struct ir_val *b = load_at(g, (struct off){0, NULL}, n->num, 1);
	switch (n->op) {
	case OP_EQ: return frag_test(g, IR_JEQ, b, n->num2);
	case OP_LT: return frag_not(frag_test(g, IR_JGE, b, n->num2));
	case OP_GT: return frag_test(g, IR_JGT, b, n->num2);
	case OP_AND: return frag_test(g, IR_JSET, b, n->num2);
	default:
		return frag_not(
			frag_test(g, IR_JEQ, ir_bin(g->ir, IR_OR, b, ir_const(g->ir, n->num2)), 0));
	}
}
