/*
 * ast.h - the syntax tree the parser builds and the generator lowers.
 *
 * Nodes live in the compile context's arena.  Qualifiers are made explicit
 * by the parser: a bare identifier after 'and'/'or' gets a copy of the
 * qualifiers it inherits, so later stages never look back.
 */
#ifndef BPFCAP_FILTER_AST_H
#define BPFCAP_FILTER_AST_H

#include <stddef.h>
#include <stdint.h>

#include "front/lex.h"

enum q_dir {
	QD_DEFAULT = 0,
	QD_SRC,
	QD_DST,
	QD_OR,
	QD_AND,
	QD_ADDR1,
	QD_ADDR2,
	QD_ADDR3,
	QD_ADDR4,
	QD_RA,
	QD_TA,
};

enum q_type {
	QT_DEFAULT = 0,
	QT_HOST,
	QT_NET,
	QT_PORT,
	QT_PORTRANGE,
	QT_PROTO,
	QT_PROTOCHAIN,
	QT_GATEWAY,
};

struct qual {
	enum kw proto; /* KW_NONE: no protocol qualifier */
	enum q_dir dir;
	enum q_type type;
	size_t begin, end; /* where the qualifiers were written */
};

enum ast_kind {
	/* boolean */
	AST_AND,
	AST_OR,
	AST_NOT,
	AST_ID,	   /* qualifiers + identifier (host/net/port/... ) */
	AST_PROTO, /* a bare protocol keyword: tcp, ip6, ... */
	AST_BCAST,
	AST_MCAST, /* [proto] broadcast / multicast */
	AST_LESS,
	AST_GREATER,
	AST_BYTE,
	AST_INBOUND,
	AST_OUTBOUND,
	AST_IFINDEX,
	AST_VLAN,
	AST_MPLS,
	AST_PPPOED,
	AST_PPPOES,
	AST_GENEVE,
	AST_VXLAN,
	AST_LLC,
	AST_REL, /* arith relop arith */
	/* arithmetic */
	AST_NUM,
	AST_LEN,
	AST_LOAD,
	AST_BINOP,
	AST_NEG,
};

enum ast_op {
	OP_ADD,
	OP_SUB,
	OP_MUL,
	OP_DIV,
	OP_MOD,
	OP_AND,
	OP_OR,
	OP_XOR,
	OP_LSH,
	OP_RSH,
	OP_EQ,
	OP_NE,
	OP_LT,
	OP_LE,
	OP_GT,
	OP_GE,
};

struct ast {
	enum ast_kind kind;
	size_t begin, end;
	struct ast *l, *r; /* AND/OR/NOT(l), BINOP, REL, LOAD index (l) */
	enum ast_op op;	   /* BINOP, REL, BYTE */
	enum kw proto;	   /* PROTO, BCAST/MCAST, LOAD */
	uint32_t num;	   /* NUM, LESS/GREATER, IFINDEX, LOAD size, BYTE offset */
	uint32_t num2;	   /* BYTE value */
	int has_num;	   /* VLAN/MPLS/PPPOES/GENEVE with an argument */
	struct qual q;	   /* ID */
	struct token id;   /* ID: the identifier; LLC: subtype (kind TOK_ID or EOF) */
	int has_len;	   /* ID: '/' prefix length in num */
	int has_mask;	   /* ID: 'mask' in mask */
	struct token mask;
	uint32_t depth; /* arithmetic: longest path to a leaf */
};

#endif
