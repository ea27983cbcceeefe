/* parse.c - recursive descent for the pcap-filter grammar; see parse.h.
 *
 * Grammar notes (libpcap's, which we follow):
 *  - 'and' and 'or' have the same precedence and associate to the left;
 *    'not' binds tighter.
 *  - A bare identifier after 'and'/'or' (or inside parentheses after them)
 *    inherits the qualifiers of the primitive before it.
 *  - '%' and '^' have no precedence in libpcap's grammar: the parser shifts,
 *    so their right operand extends over the rest of the arithmetic.
 */
#include "front/parse.h"

#include <string.h>

struct parser {
	struct arena *a;
	struct diag_sink *d;
	struct token *toks;
	size_t ntok, i;
	int depth;
	int nomem;
};

enum { BARE_NONE = 0, BARE_OK = 1 };

/* An inherited qualifier: valid says whether a bare id may use it. */
struct inh {
	int valid;
	struct qual q;
};

static struct ast *parse_or(struct parser *p, struct inh inh, int arith_ok, struct inh *out);
static struct ast *parse_arith(struct parser *p, int min_prec);

static const struct token *cur(struct parser *p)
{
	return &p->toks[p->i];
}
static const struct token *peek(struct parser *p, size_t k)
{
	size_t j = p->i + k;
	return &p->toks[j < p->ntok ? j : p->ntok - 1];
}
static int is_kw(const struct token *t, enum kw kw)
{
	return t->kind == TOK_KW && t->kw == kw;
}

static struct ast *node(struct parser *p, enum ast_kind kind, size_t begin, size_t end)
{
	struct ast *n = arena_alloc(p->a, sizeof(*n));
	if (!n) {
		diag_set(p->d, FILTER_ERR_NOMEM, begin, end, "out of memory");
		return NULL;
	}
	n->kind = kind;
	n->begin = begin;
	n->end = end;
	return n;
}

static const char *describe(const struct token *t)
{
	return t->kind == TOK_EOF ? "the end of the expression" : NULL;
}

static struct ast *syntax(struct parser *p, const char *what)
{
	const struct token *t = cur(p);
	if (t->kind == TOK_ERROR)
		return NULL; /* the lexer said it */
	if (describe(t))
		diag_set(p->d, FILTER_ERR_SYNTAX, t->begin, t->end, "%s, found %s", what,
			 describe(t));
	else
		diag_set(p->d, FILTER_ERR_SYNTAX, t->begin, t->end, "%s, found '%.*s'", what,
			 (int)t->textlen, t->text);
	return NULL;
}

static int enter(struct parser *p)
{
	if (++p->depth > PARSE_MAX_DEPTH) {
		const struct token *t = cur(p);
		diag_set(p->d, FILTER_ERR_LIMIT, t->begin, t->end,
			 "the expression nests more than %d levels deep", PARSE_MAX_DEPTH);
		return -1;
	}
	return 0;
}

static int accept_tok(struct parser *p, enum tok kind)
{
	if (cur(p)->kind == kind) {
		p->i++;
		return 1;
	}
	return 0;
}

static int is_and(const struct token *t)
{
	return t->kind == TOK_ANDAND || is_kw(t, KW_AND);
}
static int is_or(const struct token *t)
{
	return t->kind == TOK_OROR || is_kw(t, KW_OR);
}
static int is_not(const struct token *t)
{
	return t->kind == TOK_BANG || is_kw(t, KW_NOT);
}

static int relop(enum tok t, enum ast_op *op)
{
	static const struct {
		enum tok t;
		enum ast_op op;
	} m[] = {{TOK_EQ, OP_EQ}, {TOK_NE, OP_NE}, {TOK_LT, OP_LT},
		 {TOK_LE, OP_LE}, {TOK_GT, OP_GT}, {TOK_GE, OP_GE}};
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (m[i].t == t) {
			*op = m[i].op;
			return 1;
		}
	return 0;
}

/* Binary arithmetic operators and their precedence (0: none). */
static int arith_op(enum tok t, enum ast_op *op)
{
	static const struct {
		enum tok t;
		enum ast_op op;
		int prec;
	} m[] = {{TOK_PIPE, OP_OR, 1},	{TOK_AMP, OP_AND, 2},	{TOK_LSH, OP_LSH, 3},
		 {TOK_RSH, OP_RSH, 3},	{TOK_PLUS, OP_ADD, 4},	{TOK_MINUS, OP_SUB, 4},
		 {TOK_STAR, OP_MUL, 5}, {TOK_SLASH, OP_DIV, 5}, {TOK_PERCENT, OP_MOD, 9},
		 {TOK_CARET, OP_XOR, 9}};
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (m[i].t == t) {
			*op = m[i].op;
			return m[i].prec;
		}
	return 0;
}

static int starts_arith_op(const struct token *t)
{
	enum ast_op op;
	return arith_op(t->kind, &op) || relop(t->kind, &op);
}

/* Accessors are allowed on these protocols (libpcap's pname '[' rule). */
static int indexable(enum kw kw)
{
	switch (kw) {
	case KW_LINK:
	case KW_IP:
	case KW_IP6:
	case KW_ARP:
	case KW_RARP:
	case KW_TCP:
	case KW_UDP:
	case KW_SCTP:
	case KW_ICMP:
	case KW_ICMP6:
	case KW_IGMP:
	case KW_IGRP:
	case KW_PIM:
	case KW_VRRP:
	case KW_CARP:
	case KW_ATALK:
	case KW_DECNET:
	case KW_LAT:
	case KW_SCA:
	case KW_MOPRC:
	case KW_MOPDL:
	case KW_RADIO: return 1;
	default: return 0;
	}
}

static struct ast *binop(struct parser *p, enum ast_kind kind, enum ast_op op, struct ast *l,
			 struct ast *r)
{
	/* left-associative chains are built in a loop, so bound their depth
	 * here: later stages walk arithmetic recursively */
	uint32_t depth = (l->depth > r->depth ? l->depth : r->depth) + 1;
	if (kind == AST_BINOP && depth > PARSE_MAX_DEPTH) {
		diag_set(p->d, FILTER_ERR_LIMIT, l->begin, r->end,
			 "the arithmetic expression is too deep (more than %d nested operations)",
			 PARSE_MAX_DEPTH);
		return NULL;
	}
	struct ast *n = node(p, kind, l->begin, r->end);
	if (n) {
		n->op = op;
		n->l = l;
		n->r = r;
		n->depth = depth;
	}
	return n;
}

/* pname '[' arith [':' size] ']' with the protocol token already current. */
static struct ast *parse_load(struct parser *p)
{
	const struct token *pt = cur(p);
	if (!indexable(pt->kw)) {
		diag_set(p->d, FILTER_ERR_SEMANTIC, pt->begin, pt->end,
			 "'%.*s' does not support the [offset] accessor", (int)pt->textlen,
			 pt->text);
		return NULL;
	}
	size_t begin = pt->begin;
	enum kw proto = pt->kw;
	p->i += 2; /* pname '[' */
	struct ast *idx = parse_arith(p, 0);
	if (!idx)
		return NULL;
	uint32_t size = 1;
	if (accept_tok(p, TOK_COLON)) {
		const struct token *st = cur(p);
		if (st->kind != TOK_NUM)
			return syntax(p, "expected the access size 1, 2 or 4 after ':'");
		if (st->num != 1 && st->num != 2 && st->num != 4) {
			diag_set(p->d, FILTER_ERR_RANGE, st->begin, st->end,
				 "access size %u is not 1, 2 or 4 bytes", st->num);
			return NULL;
		}
		size = st->num;
		p->i++;
	}
	if (cur(p)->kind != TOK_RBRACK)
		return syntax(p, "expected ']' to close the accessor");
	struct ast *n = node(p, AST_LOAD, begin, cur(p)->end);
	p->i++;
	if (n) {
		n->proto = proto;
		n->l = idx;
		n->num = size;
	}
	return n;
}

/* A primary arithmetic operand, and a '%'/'^' that grabs it (see top). */
static struct ast *parse_primary(struct parser *p)
{
	if (enter(p) < 0)
		return NULL;
	const struct token *t = cur(p);
	struct ast *n = NULL;
	if (t->kind == TOK_NUM) {
		n = node(p, AST_NUM, t->begin, t->end);
		if (n)
			n->num = t->num;
		p->i++;
	} else if (is_kw(t, KW_LEN)) {
		n = node(p, AST_LEN, t->begin, t->end);
		p->i++;
	} else if (t->kind == TOK_KW && kw_is_proto(t->kw) && peek(p, 1)->kind == TOK_LBRACK) {
		n = parse_load(p);
	} else if (t->kind == TOK_MINUS) {
		size_t begin = t->begin;
		p->i++;
		struct ast *o = parse_primary(p);
		if (o && (n = node(p, AST_NEG, begin, o->end)))
			n->l = o;
		p->depth--;
		return n;
	} else if (t->kind == TOK_LPAREN) {
		p->i++;
		n = parse_arith(p, 0);
		if (n && !accept_tok(p, TOK_RPAREN))
			n = syntax(p, "expected ')'");
	} else {
		n = syntax(p, "expected a number, 'len' or an accessor such as ip[0]");
	}
	enum ast_op op;
	while (n && arith_op(cur(p)->kind, &op) == 9) {
		p->i++;
		struct ast *r = parse_arith(p, 0);
		n = r ? binop(p, AST_BINOP, op, n, r) : NULL;
	}
	p->depth--;
	return n;
}

/* Continue an arithmetic expression whose first operand is LHS. */
static struct ast *arith_rest(struct parser *p, struct ast *lhs, int min_prec)
{
	enum ast_op op;
	int prec;
	while (lhs && (prec = arith_op(cur(p)->kind, &op)) > 0 && prec >= min_prec) {
		p->i++;
		struct ast *r = prec == 9 ? parse_arith(p, 0) : parse_primary(p);
		if (r && prec != 9)
			r = arith_rest(p, r, prec + 1);
		lhs = r ? binop(p, AST_BINOP, op, lhs, r) : NULL;
	}
	return lhs;
}

static struct ast *parse_arith(struct parser *p, int min_prec)
{
	if (enter(p) < 0)
		return NULL;
	struct ast *n = parse_primary(p);
	n = arith_rest(p, n, min_prec);
	p->depth--;
	return n;
}

/* LHS relop arith. */
static struct ast *parse_relation(struct parser *p, struct ast *lhs)
{
	enum ast_op op;
	if (!lhs)
		return NULL;
	if (!relop(cur(p)->kind, &op))
		return syntax(p, "expected a comparison (=, !=, <, <=, >, >=)");
	p->i++;
	struct ast *r = parse_arith(p, 0);
	return r ? binop(p, AST_REL, op, lhs, r) : NULL;
}

static int is_dir_kw(enum kw kw)
{
	return kw == KW_SRC || kw == KW_DST || (kw >= KW_ADDR1 && kw <= KW_TA);
}
static int is_type_kw(enum kw kw)
{
	return kw == KW_HOST || kw == KW_NET || kw == KW_PORT || kw == KW_PORTRANGE ||
	       kw == KW_GATEWAY;
}

/* dqual: src, dst, src or dst, src and dst (either order), addr1-4, ra, ta. */
static enum q_dir parse_dir(struct parser *p)
{
	const struct token *t = cur(p);
	static const enum q_dir simple[] = {
		[KW_ADDR1 - KW_ADDR1] = QD_ADDR1, QD_ADDR2, QD_ADDR3, QD_ADDR4, QD_RA, QD_TA};
	if (t->kw != KW_SRC && t->kw != KW_DST) {
		p->i++;
		return simple[t->kw - KW_ADDR1];
	}
	enum kw first = t->kw;
	p->i++;
	const struct token *c = cur(p), *n = peek(p, 1);
	enum kw other = first == KW_SRC ? KW_DST : KW_SRC;
	if ((is_kw(c, KW_OR) || is_kw(c, KW_AND)) && is_kw(n, other)) {
		p->i += 2;
		return is_kw(c, KW_OR) ? QD_OR : QD_AND;
	}
	return first == KW_SRC ? QD_SRC : QD_DST;
}

static enum q_type type_of(enum kw kw)
{
	switch (kw) {
	case KW_HOST: return QT_HOST;
	case KW_NET: return QT_NET;
	case KW_PORT: return QT_PORT;
	case KW_PORTRANGE: return QT_PORTRANGE;
	case KW_GATEWAY: return QT_GATEWAY;
	case KW_PROTO: return QT_PROTO;
	case KW_PROTOCHAIN: return QT_PROTOCHAIN;
	default: return QT_DEFAULT;
	}
}

/* head: [pqual] ([dqual] [aqual] | PROTO | PROTOCHAIN | GATEWAY), at least
 * one of the parts after pqual.  Returns 0, or -1 if no head is here. */
static int parse_head(struct parser *p, struct qual *q)
{
	const struct token *t = cur(p);
	memset(q, 0, sizeof(*q));
	q->begin = t->begin;
	if (t->kind == TOK_KW && kw_is_proto(t->kw)) {
		q->proto = t->kw;
		p->i++;
	}
	t = cur(p);
	if (t->kind == TOK_KW &&
	    (t->kw == KW_PROTO || t->kw == KW_PROTOCHAIN || t->kw == KW_GATEWAY)) {
		q->type = type_of(t->kw);
		p->i++;
	} else {
		if (t->kind == TOK_KW && is_dir_kw(t->kw))
			q->dir = parse_dir(p);
		t = cur(p);
		if (t->kind == TOK_KW && is_type_kw(t->kw) && t->kw != KW_GATEWAY) {
			q->type = type_of(t->kw);
			p->i++;
		}
		if (q->dir == QD_DEFAULT && q->type == QT_DEFAULT)
			return -1;
	}
	q->end = p->toks[p->i - 1].end;
	return 0;
}

static int is_id_token(const struct token *t)
{
	return t->kind == TOK_ID || t->kind == TOK_HID || t->kind == TOK_HID6 ||
	       t->kind == TOK_EID || t->kind == TOK_NUM;
}

/* One identifier with its qualifiers: nid | pnum, with '/len' or 'mask M'. */
static struct ast *parse_nid(struct parser *p, const struct qual *q)
{
	const struct token *t = cur(p);
	struct ast *n = node(p, AST_ID, t->begin, t->end);
	if (!n)
		return NULL;
	n->q = *q;
	n->id = *t;
	p->i++;
	if ((t->kind == TOK_HID || t->kind == TOK_HID6) && cur(p)->kind == TOK_SLASH) {
		p->i++;
		if (cur(p)->kind != TOK_NUM)
			return syntax(p, "expected a prefix length after '/'");
		n->has_len = 1;
		n->num = cur(p)->num;
		n->end = cur(p)->end;
		p->i++;
	} else if (t->kind == TOK_HID && is_kw(cur(p), KW_MASK)) {
		p->i++;
		if (cur(p)->kind != TOK_HID)
			return syntax(p, "expected a dotted IPv4 netmask after 'mask'");
		n->has_mask = 1;
		n->mask = *cur(p);
		n->end = cur(p)->end;
		p->i++;
	}
	return n;
}

/* id: nid | pnum | not id | '(' id ((and|or) id)* ')', all with qualifier Q. */
static struct ast *parse_id(struct parser *p, const struct qual *q)
{
	if (enter(p) < 0)
		return NULL;
	const struct token *t = cur(p);
	struct ast *n;
	if (is_not(t)) {
		size_t begin = t->begin;
		p->i++;
		struct ast *o = parse_id(p, q);
		if ((n = o ? node(p, AST_NOT, begin, o->end) : NULL))
			n->l = o;
	} else if (t->kind == TOK_LPAREN) {
		p->i++;
		n = parse_id(p, q);
		while (n && (is_and(cur(p)) || is_or(cur(p)))) {
			enum ast_kind k = is_and(cur(p)) ? AST_AND : AST_OR;
			p->i++;
			struct ast *r = parse_id(p, q);
			n = r ? binop(p, k, OP_EQ, n, r) : NULL;
		}
		if (n && !accept_tok(p, TOK_RPAREN))
			n = syntax(p, "expected ')'");
	} else if (is_id_token(t)) {
		n = parse_nid(p, q);
	} else {
		n = syntax(p, "expected a host, network, port or protocol");
	}
	p->depth--;
	return n;
}

/* An optional pnum argument: NUM or '(' pnum ')'. */
static int parse_opt_num(struct parser *p, struct ast *n)
{
	size_t k = 0;
	while (peek(p, k)->kind == TOK_LPAREN)
		k++;
	if (peek(p, k)->kind != TOK_NUM)
		return 0;
	for (size_t j = 1; j <= k; j++)
		if (peek(p, k + j)->kind != TOK_RPAREN)
			return 0;
	n->has_num = 1;
	n->num = peek(p, k)->num;
	n->end = peek(p, 2 * k)->end;
	p->i += 2 * k + 1;
	return 1;
}

/* Keyword primitives: vlan, mpls, less, byte, llc, ... */
static struct ast *parse_other(struct parser *p)
{
	const struct token *t = cur(p);
	static const struct {
		enum kw kw;
		enum ast_kind kind;
		int arg; /* 0 none, 1 optional, 2 required */
	} m[] = {
		{KW_LESS, AST_LESS, 2},	      {KW_GREATER, AST_GREATER, 2},
		{KW_INBOUND, AST_INBOUND, 0}, {KW_OUTBOUND, AST_OUTBOUND, 0},
		{KW_IFINDEX, AST_IFINDEX, 2}, {KW_VLAN, AST_VLAN, 1},
		{KW_MPLS, AST_MPLS, 1},	      {KW_PPPOED, AST_PPPOED, 0},
		{KW_PPPOES, AST_PPPOES, 1},   {KW_GENEVE, AST_GENEVE, 1},
		{KW_VXLAN, AST_VXLAN, 1},     {KW_BROADCAST, AST_BCAST, 0},
		{KW_MULTICAST, AST_MCAST, 0},
	};
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		if (t->kw != m[i].kw)
			continue;
		struct ast *n = node(p, m[i].kind, t->begin, t->end);
		if (!n)
			return NULL;
		p->i++;
		if (m[i].arg == 2) {
			if (cur(p)->kind != TOK_NUM)
				return syntax(p, "expected a number");
			n->num = cur(p)->num;
			n->has_num = 1;
			n->end = cur(p)->end;
			p->i++;
		} else if (m[i].arg == 1) {
			parse_opt_num(p, n);
		}
		return n;
	}
	return NULL;
}

/* byte N op V, where op is one of = < > & | */
static struct ast *parse_byte(struct parser *p)
{
	size_t begin = cur(p)->begin;
	p->i++;
	if (cur(p)->kind != TOK_NUM)
		return syntax(p, "expected a byte offset after 'byte'");
	uint32_t off = cur(p)->num;
	p->i++;
	enum ast_op op;
	switch (cur(p)->kind) {
	case TOK_EQ: op = OP_EQ; break;
	case TOK_LT: op = OP_LT; break;
	case TOK_GT: op = OP_GT; break;
	case TOK_AMP: op = OP_AND; break;
	case TOK_PIPE: op = OP_OR; break;
	default: return syntax(p, "expected one of = < > & | after 'byte N'");
	}
	p->i++;
	if (cur(p)->kind != TOK_NUM)
		return syntax(p, "expected a value");
	struct ast *n = node(p, AST_BYTE, begin, cur(p)->end);
	if (n) {
		n->num = off;
		n->op = op;
		n->num2 = cur(p)->num;
	}
	p->i++;
	return n;
}

static struct ast *parse_llc(struct parser *p)
{
	struct ast *n = node(p, AST_LLC, cur(p)->begin, cur(p)->end);
	p->i++;
	if (n && (cur(p)->kind == TOK_ID || is_kw(cur(p), KW_OTHER_LINK))) {
		/* 'rnr' is a pflog keyword, but also an LLC subtype here */
		n->id = *cur(p);
		n->end = cur(p)->end;
		p->i++;
	}
	return n;
}

/* An arithmetic start: NUM, len, pname[, '-'. */
static int starts_arith(struct parser *p)
{
	const struct token *t = cur(p);
	return t->kind == TOK_MINUS || is_kw(t, KW_LEN) ||
	       (t->kind == TOK_KW && kw_is_proto(t->kw) && peek(p, 1)->kind == TOK_LBRACK) ||
	       (t->kind == TOK_NUM && starts_arith_op(peek(p, 1)));
}

static struct ast *bare_id(struct parser *p, struct inh inh, struct inh *out)
{
	const struct token *t = cur(p);
	if (!inh.valid) {
		diag_set(p->d, FILTER_ERR_SYNTAX, t->begin, t->end,
			 "'%.*s' needs a qualifier such as host, net, port or proto before it",
			 (int)t->textlen, t->text);
		return NULL;
	}
	*out = inh;
	return parse_nid(p, &inh.q);
}

/* A parenthesised group: a boolean expression, or (when ARITH_OK) arithmetic,
 * or a bare number that inherits qualifiers, as in 'port 80 or (81)'. */
static struct ast *parse_group(struct parser *p, struct inh inh, int arith_ok, struct inh *out)
{
	size_t begin = cur(p)->begin;
	p->i++;
	struct inh dummy;
	struct ast *n = parse_or(p, inh, 1, &dummy);
	if (n && !accept_tok(p, TOK_RPAREN))
		return syntax(p, "expected ')' or 'and'/'or'");
	if (!n)
		return NULL;
	*out = inh;
	if (n->kind < AST_NUM)
		return n;
	/* arithmetic in parentheses: continue it as an operand */
	if (!arith_ok && n->kind == AST_NUM && inh.valid && !starts_arith_op(cur(p))) {
		struct ast *id = node(p, AST_ID, begin, p->toks[p->i - 1].end);
		if (id) {
			id->q = inh.q;
			id->id.kind = TOK_NUM;
			id->id.num = n->num;
			id->id.begin = n->begin;
			id->id.end = n->end;
		}
		return id;
	}
	n = arith_rest(p, n, 0);
	if (arith_ok && cur(p)->kind == TOK_RPAREN)
		return n;
	return parse_relation(p, n);
}

static struct ast *other_link(struct parser *p)
{
	const struct token *t = cur(p);
	diag_set(p->d, FILTER_ERR_SEMANTIC, t->begin, t->end,
		 "'%.*s' applies only to link types bpfcap does not support (ATM, SS7, pflog, "
		 "802.11)",
		 (int)t->textlen, t->text);
	return NULL;
}

/* A head (qualifiers) and its identifier, or a bare protocol, or
 * proto broadcast/multicast. */
static struct ast *parse_qualified(struct parser *p, struct inh *out)
{
	const struct token *t = cur(p);
	if (t->kind == TOK_KW && kw_is_proto(t->kw)) {
		const struct token *n = peek(p, 1);
		if (is_kw(n, KW_BROADCAST) || is_kw(n, KW_MULTICAST)) {
			struct ast *b = node(p, is_kw(n, KW_BROADCAST) ? AST_BCAST : AST_MCAST,
					     t->begin, n->end);
			if (b)
				b->proto = t->kw;
			p->i += 2;
			return b;
		}
	}
	struct qual q;
	size_t save = p->i;
	if (parse_head(p, &q) < 0) {
		p->i = save;
		struct ast *n = node(p, AST_PROTO, t->begin, t->end);
		if (n)
			n->proto = t->kw;
		p->i++;
		return n;
	}
	out->valid = 1;
	out->q = q;
	return parse_id(p, &q);
}

static struct ast *parse_term(struct parser *p, struct inh inh, int arith_ok, struct inh *out)
{
	if (enter(p) < 0)
		return NULL;
	const struct token *t = cur(p);
	struct ast *n = NULL;
	out->valid = 0;
	if (is_not(t)) {
		p->i++;
		struct ast *o = parse_term(p, inh, 0, out);
		if (o && (n = node(p, AST_NOT, t->begin, o->end)))
			n->l = o;
	} else if (t->kind == TOK_LPAREN) {
		n = parse_group(p, inh, arith_ok, out);
	} else if (starts_arith(p)) {
		struct ast *a = parse_arith(p, 0);
		if (a && arith_ok && cur(p)->kind == TOK_RPAREN)
			n = a;
		else
			n = parse_relation(p, a);
	} else if (is_id_token(t)) {
		n = bare_id(p, inh, out);
	} else if (t->kind == TOK_KW &&
		   (kw_is_proto(t->kw) || is_dir_kw(t->kw) || type_of(t->kw) != QT_DEFAULT)) {
		n = parse_qualified(p, out);
	} else if (is_kw(t, KW_BYTE)) {
		n = parse_byte(p);
	} else if (is_kw(t, KW_LLC)) {
		n = parse_llc(p);
	} else if (is_kw(t, KW_OTHER_LINK)) {
		n = other_link(p);
	} else if (!(n = (t->kind == TOK_KW ? parse_other(p) : NULL)) && !p->d->set) {
		n = syntax(p, "expected a primitive such as 'host', 'port', 'tcp' or 'ip[0] = 1'");
	}
	p->depth--;
	return n;
}

/* Left spine of and/or; built iteratively so long lists cost no stack. */
static struct ast *parse_or(struct parser *p, struct inh inh, int arith_ok, struct inh *out)
{
	struct ast *l = parse_term(p, inh, arith_ok, out);
	if (!l || l->kind >= AST_NUM)
		return l;
	while (is_and(cur(p)) || is_or(cur(p))) {
		enum ast_kind k = is_and(cur(p)) ? AST_AND : AST_OR;
		p->i++;
		struct inh left = *out;
		struct ast *r = parse_term(p, left, 0, out);
		if (!r)
			return NULL;
		if (r->kind >= AST_NUM)
			return syntax(p, "expected a comparison after the arithmetic expression");
		l = binop(p, k, OP_EQ, l, r);
		if (!l)
			return NULL;
	}
	return l;
}

static int tokenize(struct parser *p, const char *expr, size_t len)
{
	struct lexer lx;
	lex_init(&lx, expr, len, p->d);
	size_t cap = 16;
	p->toks = arena_alloc(p->a, cap * sizeof(*p->toks));
	for (;;) {
		if (!p->toks)
			return diag_set(p->d, FILTER_ERR_NOMEM, 0, len, "out of memory");
		if (p->ntok == cap) {
			struct token *n = arena_alloc(p->a, 2 * cap * sizeof(*n));
			if (n)
				memcpy(n, p->toks, cap * sizeof(*n));
			p->toks = n;
			cap *= 2;
			continue;
		}
		struct token t = lex_next(&lx);
		if (t.kind == TOK_ERROR)
			return -1;
		p->toks[p->ntok++] = t;
		if (t.kind == TOK_EOF)
			return 0;
	}
}

struct ast *parse_expr_string(struct arena *a, struct diag_sink *d, const char *expr, size_t len,
			      int *empty)
{
	struct parser p = {.a = a, .d = d};
	*empty = 0;
	if (tokenize(&p, expr, len) < 0)
		return NULL;
	if (p.toks[0].kind == TOK_EOF) {
		*empty = 1;
		return NULL;
	}
	struct inh none = {0}, out;
	struct ast *n = parse_or(&p, none, 0, &out);
	if (n && cur(&p)->kind != TOK_EOF) {
		if (cur(&p)->kind == TOK_RPAREN)
			return syntax(&p, "unbalanced ')'");
		return syntax(&p, "expected 'and', 'or' or the end of the expression");
	}
	return n;
}
