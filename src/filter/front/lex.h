/*
 * lex.h - bytes to tokens for the pcap-filter language.
 *
 * Tokens carry their byte span in the expression.  Numbers are decoded here
 * (decimal, 0x hex, leading-zero octal; 32-bit unsigned), addresses are
 * decoded into bytes, keywords are looked up in a sorted table and the named
 * constants (tcp-syn, icmp-echo, ...) become numbers, as libpcap's scanner
 * does.  The lexer owns no memory: identifiers point into the expression.
 */
#ifndef BPFCAP_FILTER_LEX_H
#define BPFCAP_FILTER_LEX_H

#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"

enum tok {
	TOK_EOF = 0,
	TOK_ERROR,
	TOK_NUM,  /* num */
	TOK_ID,	  /* text/textlen (a leading backslash is dropped) */
	TOK_HID,  /* dotted IPv4: num (left-aligned address), parts */
	TOK_HID6, /* IPv6: addr */
	TOK_EID,  /* MAC: addr[0..5] */
	TOK_KW,	  /* kw */
	/* punctuation */
	TOK_LPAREN,
	TOK_RPAREN,
	TOK_LBRACK,
	TOK_RBRACK,
	TOK_COLON,
	TOK_SLASH,
	TOK_PLUS,
	TOK_MINUS,
	TOK_STAR,
	TOK_PERCENT,
	TOK_AMP,
	TOK_PIPE,
	TOK_CARET,
	TOK_LSH,
	TOK_RSH,
	TOK_EQ,
	TOK_NE,
	TOK_LT,
	TOK_LE,
	TOK_GT,
	TOK_GE,
	TOK_BANG,
	TOK_ANDAND,
	TOK_OROR,
};

/* Keywords.  Keep in step with the table in lex.c. */
enum kw {
	KW_NONE = 0,
	/* protocol qualifiers */
	KW_LINK,
	KW_IP,
	KW_IP6,
	KW_ARP,
	KW_RARP,
	KW_TCP,
	KW_UDP,
	KW_SCTP,
	KW_ICMP,
	KW_ICMP6,
	KW_IGMP,
	KW_IGRP,
	KW_PIM,
	KW_VRRP,
	KW_CARP,
	KW_AH,
	KW_ESP,
	KW_ATALK,
	KW_AARP,
	KW_DECNET,
	KW_LAT,
	KW_SCA,
	KW_MOPRC,
	KW_MOPDL,
	KW_ISO,
	KW_ESIS,
	KW_ISIS,
	KW_CLNP,
	KW_L1,
	KW_L2,
	KW_IIH,
	KW_LSP,
	KW_SNP,
	KW_CSNP,
	KW_PSNP,
	KW_STP,
	KW_IPX,
	KW_NETBEUI,
	KW_RADIO,
	/* direction qualifiers */
	KW_SRC,
	KW_DST,
	KW_ADDR1,
	KW_ADDR2,
	KW_ADDR3,
	KW_ADDR4,
	KW_RA,
	KW_TA,
	/* type qualifiers */
	KW_HOST,
	KW_NET,
	KW_MASK,
	KW_PORT,
	KW_PORTRANGE,
	KW_PROTO,
	KW_PROTOCHAIN,
	KW_GATEWAY,
	/* logic */
	KW_AND,
	KW_OR,
	KW_NOT,
	/* other primitives */
	KW_BROADCAST,
	KW_MULTICAST,
	KW_LESS,
	KW_GREATER,
	KW_BYTE,
	KW_LEN,
	KW_INBOUND,
	KW_OUTBOUND,
	KW_IFINDEX,
	KW_VLAN,
	KW_MPLS,
	KW_PPPOED,
	KW_PPPOES,
	KW_GENEVE,
	KW_VXLAN,
	KW_LLC,
	/* link-specific keywords bpfcap's link types do not support */
	KW_OTHER_LINK,
};

struct token {
	enum tok kind;
	enum kw kw;
	size_t begin, end;
	uint32_t num;
	int parts;	  /* TOK_HID: number of dotted parts */
	uint32_t part[4]; /* TOK_HID: their values (DECnet areas/nodes exceed 255) */
	int bad4;	  /* TOK_HID: a part above 255, so not an IPv4 address */
	uint8_t addr[16];
	const char *text; /* TOK_ID, TOK_KW: the spelling */
	size_t textlen;
};

struct lexer {
	const char *src;
	size_t len, pos;
	struct diag_sink *diag;
};

void lex_init(struct lexer *lx, const char *src, size_t len, struct diag_sink *diag);
/* The next token; TOK_ERROR after recording a diagnostic. */
struct token lex_next(struct lexer *lx);
/* Is KW a protocol qualifier (ip, tcp, ...)? */
int kw_is_proto(enum kw kw);

#endif
