/* l4.c - transport ports and port ranges over IPv4 and IPv6, TCP, UDP
 * and SCTP, as libpcap tests them: IPv4 skips non-first fragments and finds
 * the header through its length field; IPv6 looks at a fixed 40 bytes. */
#include "gen/l4.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen/l2.h"
#include "gen/l3.h"

enum { P_TCP = 6, P_UDP = 17, P_SCTP = 132 };

/* The IPv4 header length as a value, and the index it makes. */
static const struct ir_val *v4_index(struct gen *g)
{
	struct off nl = nl_off(g);
	if (!nl.var)
		return ir_msh(g->ir, nl.k);
	const struct ir_val *b = load_at(g, nl, 0, 1);
	const struct ir_val *hl = ir_bin(
		g->ir, IR_LSH, ir_bin(g->ir, IR_AND, b, ir_const(g->ir, 15)), ir_const(g->ir, 2));
	return ir_bin(g->ir, IR_ADD, nl.var, hl);
}

static const struct ir_val *port_val(struct gen *g, int v6, uint32_t off)
{
	struct off nl = nl_off(g);
	if (v6)
		return load_at(g, nl, 40 + off, 2);
	return ir_load(g->ir, 2, v4_index(g), nl.k + off);
}

static struct frag port_side(struct gen *g, int v6, uint32_t off, uint32_t lo, uint32_t hi)
{
	const struct ir_val *v = port_val(g, v6, off);
	if (lo == hi)
		return frag_test(g, IR_JEQ, v, lo);
	return frag_and(g, frag_test(g, IR_JGE, v, lo), frag_not(frag_test(g, IR_JGT, v, hi)));
}

static struct frag port_dir(struct gen *g, int v6, int dir, uint32_t lo, uint32_t hi)
{
	if (dir == 0)
		return port_side(g, v6, 0, lo, hi);
	if (dir == 1)
		return port_side(g, v6, 2, lo, hi);
	struct frag s = port_side(g, v6, 0, lo, hi), d = port_side(g, v6, 2, lo, hi);
	return dir == 3 ? frag_and(g, s, d) : frag_or(g, s, d);
}

static struct frag port_proto(struct gen *g, int v6, uint32_t proto, int dir, uint32_t lo,
			      uint32_t hi)
{
	struct off nl = nl_off(g);
	struct frag p = frag_cmp(g, nl, v6 ? 6 : 9, 1, 0xffffffffu, proto);
	struct frag ports = port_dir(g, v6, dir, lo, hi);
	if (!v6)
		ports = frag_and(g, gen_not_frag_v4(g), ports);
	return frag_and(g, p, ports);
}

static struct frag port_family(struct gen *g, int v6, const uint32_t *protos, int n, int dir,
			       uint32_t lo, uint32_t hi)
{
	struct frag any = frag_const(0);
	for (int i = 0; i < n; i++)
		any = frag_or(g, any, port_proto(g, v6, protos[i], dir, lo, hi));
	return frag_and(g, gen_linktype(g, v6 ? ET_IPV6 : ET_IP), any);
}

/* PROTO: KW_NONE (sctp, tcp and udp), KW_TCP, KW_UDP or KW_SCTP. */
struct frag gen_port(struct gen *g, enum kw proto, int dir, uint32_t lo, uint32_t hi)
{
	static const uint32_t all[] = {P_SCTP, P_TCP, P_UDP};
	uint32_t one = proto == KW_TCP ? P_TCP : proto == KW_UDP ? P_UDP : P_SCTP;
	const uint32_t *list = proto == KW_NONE ? all : &one;
	int n = proto == KW_NONE ? 3 : 1;
	return frag_or(g, port_family(g, 1, list, n, dir, lo, hi),
		       port_family(g, 0, list, n, dir, lo, hi));
}

static int lookup_service(struct gen *g, const char *name, const char *proto, uint32_t *port)
{
	uint16_t p;
	if (g->res->service && g->res->service(g->res->opaque, name, proto, &p) > 0) {
		*port = p;
		return 1;
	}
	return 0;
}

/* A port from a number or a service name: *PROTO narrows to the protocol
 * the name exists for, as libpcap does (KW_NONE when both agree). */
static int port_value(struct gen *g, const char *s, size_t n, enum kw *proto, uint32_t *port)
{
	char name[128];
	if (n >= sizeof(name))
		n = sizeof(name) - 1;
	memcpy(name, s, n);
	name[n] = '\0';
	char *end;
	if (n && name[0] >= '0' && name[0] <= '9') {
		unsigned long v = strtoul(name, &end, 0);
		if (*end == '\0') {
			*port = v > 0xffffffffu ? 0xffffffffu : (uint32_t)v;
			return 0;
		}
	}
	/* only the databases the qualifier asks for: each lookup reads a file */
	uint32_t tp = 0, up = 0;
	if (*proto == KW_TCP || *proto == KW_UDP || *proto == KW_SCTP) {
		const char *pn = *proto == KW_TCP ? "tcp" : *proto == KW_UDP ? "udp" : "sctp";
		if (lookup_service(g, name, pn, port))
			return 0;
		return gen_fail(g, FILTER_ERR_NAME,
				"unknown %s service name '%s' (not in "
				"/etc/services)",
				pn, name);
	}
	int t = lookup_service(g, name, "tcp", &tp), u = lookup_service(g, name, "udp", &up);
	if (t || u) {
		if (t && u && tp != up)
			return gen_fail(
				g, FILTER_ERR_NAME,
				"service '%s' has different tcp and udp ports; say tcp or udp",
				name);
		*port = t ? tp : up;
		if (!(t && u))
			*proto = t ? KW_TCP : KW_UDP;
		return 0;
	}
	return gen_fail(g, FILTER_ERR_NAME, "unknown service name '%s' (not in /etc/services)",
			name);
}

static int check_port(struct gen *g, uint32_t p)
{
	if (p > 65535)
		return gen_fail(g, FILTER_ERR_RANGE, "port %u is out of range (0-65535)", p);
	return 0;
}

/* portrange A-B where A and B are numbers or names (names may hold '-'). */
static int split_range(struct gen *g, const struct token *t, enum kw *proto, uint32_t *lo,
		       uint32_t *hi)
{
	for (size_t i = 1; i + 1 < t->textlen; i++) {
		if (t->text[i] != '-')
			continue;
		struct diag_sink save = *g->d;
		enum kw p1 = *proto, p2 = *proto;
		int failed = g->failed;
		if (port_value(g, t->text, i, &p1, lo) == 0 &&
		    port_value(g, t->text + i + 1, t->textlen - i - 1, &p2, hi) == 0) {
			if (p1 != p2 && p1 != KW_NONE && p2 != KW_NONE)
				return gen_fail(
					g, FILTER_ERR_NAME,
					"the two ends of the range are different protocols");
			*proto = p1 != KW_NONE ? p1 : p2;
			return 0;
		}
		*g->d = save;
		g->failed = failed;
	}
	return gen_fail(g, FILTER_ERR_NAME, "'%.*s' is not a port range (expected LOW-HIGH)",
			(int)t->textlen, t->text);
}

struct frag gen_port_id(struct gen *g, const struct ast *n)
{
	enum kw proto = n->q.proto;
	if (proto != KW_NONE && proto != KW_TCP && proto != KW_UDP && proto != KW_SCTP) {
		gen_fail(g, FILTER_ERR_SEMANTIC, "'port' applies to tcp, udp and sctp only");
		return frag_const(0);
	}
	static const int dirs[] = {
		[QD_DEFAULT] = 2, [QD_SRC] = 0, [QD_DST] = 1, [QD_OR] = 2, [QD_AND] = 3};
	if (n->q.dir > QD_AND) {
		gen_fail(g, FILTER_ERR_SEMANTIC, "addr1-4, ra and ta apply only to 802.11");
		return frag_const(0);
	}
	uint32_t lo, hi;
	if (n->id.kind == TOK_NUM) {
		lo = hi = n->id.num;
	} else if (n->id.kind != TOK_ID) {
		gen_fail(g, FILTER_ERR_SEMANTIC, "expected a port number or service name");
		return frag_const(0);
	} else if (n->q.type == QT_PORTRANGE) {
		if (split_range(g, &n->id, &proto, &lo, &hi) < 0)
			return frag_const(0);
	} else {
		if (port_value(g, n->id.text, n->id.textlen, &proto, &lo) < 0)
			return frag_const(0);
		hi = lo;
	}
	if (check_port(g, lo) < 0 || check_port(g, hi) < 0)
		return frag_const(0);
	if (lo > hi) {
		gen_fail(g, FILTER_ERR_RANGE, "port range %u-%u is reversed; did you mean %u-%u?",
			 lo, hi, hi, lo);
		return frag_const(0);
	}
	return gen_port(g, proto, dirs[n->q.dir], lo, hi);
}
