/*
 * priv.h - what the printers of src/decode share: the per-run context, the
 * output buffer a packet's text is built in, the fields --json reports, and
 * the printers' entry points.  Private to src/decode.
 */
#ifndef BPFCAP_DECODE_PRIV_H
#define BPFCAP_DECODE_PRIV_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "cursor.h"
#include "decode.h"

/* A growable text buffer; on allocation failure it stops growing and
 * drops text (the packet's line is cut, nothing else). */
struct obuf {
	char *s;
	size_t len, cap;
};

void ob_grow(struct obuf *b, size_t n);
static inline void ob_chr(struct obuf *b, char ch)
{
	if (b->len + 1 >= b->cap)
		ob_grow(b, 1);
	if (b->len + 1 < b->cap)
		b->s[b->len++] = ch;
}
/* Room for N more bytes at the end of B: where to write them, or NULL
 * (allocation failed: the text is dropped).  Commit with b->len += n. */
static inline char *ob_room(struct obuf *b, size_t n)
{
	if (b->len + n >= b->cap) {
		ob_grow(b, n);
		if (b->len + n >= b->cap)
			return NULL;
	}
	return b->s + b->len;
}
void ob_mem_big(struct obuf *b, const char *s, size_t n);
static inline void ob_mem(struct obuf *b, const char *s, size_t n)
{
	if (n > 16) {
		ob_mem_big(b, s, n);
		return;
	}
	char *d = ob_room(b, n); /* the usual few characters: no call */
	if (!d)
		return;
	for (size_t i = 0; i < n; i++)
		d[i] = s[i];
	b->len += n;
}
static inline void ob_str(struct obuf *b, const char *s)
{
	ob_mem(b, s, strlen(s));
}
void ob_u(struct obuf *b, uint64_t v); /* decimal */
void ob_i(struct obuf *b, int64_t v);
void ob_hex(struct obuf *b, uint64_t v, int width); /* lower-case, zero-padded */
extern const char ob_hexdigits[16];
/* One byte as two hex digits. */
static inline void ob_hex2(struct obuf *b, unsigned v)
{
	char *d = ob_room(b, 2);
	if (!d)
		return;
	d[0] = ob_hexdigits[(v >> 4) & 15];
	d[1] = ob_hexdigits[v & 15];
	b->len += 2;
}
void ob_fmt(struct obuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Address and port formatting (addr.c). */
void ob_ip4(struct obuf *b, const uint8_t a[4]);
void ob_ip6(struct obuf *b, const uint8_t a[16]);
void ob_mac(struct obuf *b, const uint8_t a[6]);
/* Printable characters as themselves, others as tcpdump's \ooo / M-x. */
void ob_safe(struct obuf *b, const uint8_t *s, size_t n);

/* What --json reports, filled in by the printers as they go. */
struct fields {
	char l2src[18], l2dst[18];
	int ethertype; /* -1: none */
	int vlan;      /* -1: none */
	char src[48], dst[48];
	int ipver;
	int ipproto; /* -1: none */
	int ttl;
	long iplen;
	long sport, dport; /* -1: none */
	long length;	   /* the "length N" of the innermost protocol, -1 none */
	const char *tcpflags;
	char flags[12];
	const char *proto; /* the innermost protocol printed */
	const char *layers[12];
	int nlayers;
};

#define TCP_HASH 4096
struct tcp_conv;

struct decode_ctx {
	struct decode_opts o;
	int dlt;
	struct obuf out;
	struct fields f;
	int truncated;	  /* this packet's printout has a " [|proto]" */
	uint32_t llc_len; /* the link layer's LLC/SNAP header, for -x's start */
	uint64_t count;
	int64_t prev_sec, first_sec;
	uint32_t prev_nsec, first_nsec;
	int have_prev;
	struct tm tm; /* localtime of tm_sec, when tm_valid */
	int64_t tm_sec;
	int tm_valid, tm_date;
	char tm_text[32]; /* tm_sec's "[date ]HH:MM:SS" */
	size_t tm_textlen;
	struct tcp_conv *tcp[TCP_HASH];
	struct hdr_ipinfo {
		int ver;
		uint8_t src[16], dst[16];
		uint8_t ckdst[16]; /* the checksum's destination: a route's last hop */
		int ckset;	   /* IPv6: a routing header set ckdst */
		int direct;	   /* the transport header follows the IP header directly */
		int frag;	   /* the datagram is a fragment */
		uint32_t len;
	} ip;
};

/* Record that a protocol is being printed (for --json and the golden test's
 * per-protocol shares). */
void layer(struct decode_ctx *c, const char *proto);
/* " [|proto]", tcpdump's truncation mark. */
void trunc_mark(struct decode_ctx *c, const char *proto);
/* The same where tcpdump's printer unwinds (its GET_ macros' longjmp): then
 * -x dumps the whole packet, not from the network layer. */
void trunc_whole(struct decode_ctx *c, const char *proto);

/* Printers.  C is positioned at the protocol's first byte; LEN is the length
 * the packet says the protocol has (may exceed the captured bytes). */
void print_link(struct decode_ctx *c, struct cursor *cu, uint32_t len);
void print_ether(struct decode_ctx *c, struct cursor *cu, uint32_t len);
void print_cooked(struct decode_ctx *c, struct cursor *cu, uint32_t len);
int print_ethertype(struct decode_ctx *c, struct cursor *cu, uint32_t len, unsigned type);
const char *ethertype_name(unsigned type);
void print_llc(struct decode_ctx *c, struct cursor *cu, uint32_t len);
void print_arp(struct decode_ctx *c, struct cursor *cu, uint32_t len);
void print_ip(struct decode_ctx *c, struct cursor *cu, uint32_t len);
void print_ip6(struct decode_ctx *c, struct cursor *cu, uint32_t len);
void print_esp(struct decode_ctx *c, struct cursor *cu, uint32_t len);
void print_ah(struct decode_ctx *c, struct cursor *cu, uint32_t len);
/* The Internet checksum: sums of bytes in CU, then the folded complement;
 * and the sum over the pseudo-header of the packet's IP layer. */
uint32_t cksum_add(struct cursor *cu, uint32_t at, uint32_t n, uint32_t sum);
uint16_t cksum_fold(uint32_t sum);
uint32_t cksum_pseudo(const struct decode_ctx *c, unsigned proto, uint32_t len);
unsigned cksum_shouldbe(unsigned sum, unsigned s);
void print_ipproto(struct decode_ctx *c, struct cursor *cu, uint32_t len, unsigned proto);
const char *ipproto_name(unsigned proto);
void print_tcp(struct decode_ctx *c, struct cursor *cu, uint32_t len);
/* The MPTCP option of LEN bytes at CU (its kind byte), FLAGS the TCP
 * header's: 1 printed, 0 malformed ("[bad opt]"), -1 cut short (marked). */
int print_mptcp(struct decode_ctx *c, struct cursor *cu, uint32_t len, unsigned flags);
void print_udp(struct decode_ctx *c, struct cursor *cu, uint32_t len);
void print_icmp(struct decode_ctx *c, struct cursor *cu, uint32_t len);
void print_icmp6(struct decode_ctx *c, struct cursor *cu, uint32_t len);
void print_igmp(struct decode_ctx *c, struct cursor *cu, uint32_t len);
void print_gre(struct decode_ctx *c, struct cursor *cu, uint32_t len);
void print_sctp(struct decode_ctx *c, struct cursor *cu, uint32_t len);
/* HOW: DNS_TCP (the 2-byte length prefix), DNS_MDNS (mDNS's class bits). */
enum { DNS_TCP = 1, DNS_MDNS = 2 };
void print_dns(struct decode_ctx *c, struct cursor *cu, uint32_t len, int how);
void print_ntp(struct decode_ctx *c, struct cursor *cu, uint32_t len);
void print_bootp(struct decode_ctx *c, struct cursor *cu, uint32_t len);
void print_vxlan(struct decode_ctx *c, struct cursor *cu, uint32_t len);
void print_geneve(struct decode_ctx *c, struct cursor *cu, uint32_t len);
void print_mpls(struct decode_ctx *c, struct cursor *cu, uint32_t len);
void print_pppoe(struct decode_ctx *c, struct cursor *cu, uint32_t len, int discovery);
void print_ppp_proto(struct decode_ctx *c, struct cursor *cu, uint32_t len, unsigned proto);
/* print_ppp.c: -v's body of a PPP control packet (CU at its code byte,
 * LEN the PPP payload's length); tcpdump's names of PPP protocols. */
void print_ppp_cp_verbose(struct decode_ctx *c, struct cursor *cu, uint32_t len, unsigned proto);
const char *ppp_proto_name(unsigned proto);
/* print_llc.c: tcpdump's names of OUIs ("Unknown"). */
const char *oui_name(uint32_t oui);

/* print_icmp6_nd.c: ND options, MLD; tcpdump's rtpref and bittok2str(). */
int icmp6_nd_opts(struct decode_ctx *c, struct cursor *cu, uint32_t at, int32_t resid);
void icmp6_mld(struct decode_ctx *c, struct cursor *cu);
int icmp6_mld2_report(struct decode_ctx *c, struct cursor *cu, uint32_t len);
int icmp6_mld2_query(struct decode_ctx *c, struct cursor *cu, uint32_t len);
const char *icmp6_rtpref(unsigned v);
int icmp6_nodeinfo(struct decode_ctx *c, struct cursor *cu, uint32_t len); /* print_icmp6_ni.c */
void ob_bits(struct obuf *b, uint32_t v, const uint32_t *bits, const char *const *names, int n);

/* print_igmp.c: IGMPv3 reports, PIMv1, mtrace (0: truncated; -1: not one). */
int igmp_v3_report(struct decode_ctx *c, struct cursor *cu, uint32_t len);
/* print_igmp.c: IGMPv3/MLDv2 group records, addresses of ALEN bytes. */
int group_records(struct decode_ctx *c, struct cursor *cu, uint32_t len, unsigned ng, uint32_t alen,
		  const char *ver);
int igmp_more(struct decode_ctx *c, struct cursor *cu, uint32_t len, unsigned type);

/* addr.c: the IPv4 or IPv6 address at AT of CU (zeros past its end)
 * into c->out. */
void ip4_at(struct decode_ctx *c, struct cursor *cu, uint32_t at);
void ip6_at(struct decode_ctx *c, struct cursor *cu, uint32_t at);

/* Reads that jump out when the bytes are not there, for the printers that
 * follow tcpdump's GET_ macros (bootp, llc, mptcp, ntp, ppp, sctp): the
 * printer sets OUT with setjmp() and prints its truncation mark there. */
struct jread {
	struct decode_ctx *c;
	struct cursor *cu;
	jmp_buf out;
};

static inline unsigned jr_u8(struct jread *j, uint32_t at)
{
	if (!cur_avail(j->cu, at, 1))
		longjmp(j->out, 1);
	return cur_u8(j->cu, at);
}

static inline unsigned jr_u16(struct jread *j, uint32_t at)
{
	if (!cur_avail(j->cu, at, 2))
		longjmp(j->out, 1);
	return cur_u16(j->cu, at);
}

static inline uint32_t jr_u32(struct jread *j, uint32_t at)
{
	if (!cur_avail(j->cu, at, 4))
		longjmp(j->out, 1);
	return cur_u32(j->cu, at);
}

/* The IPv4 address at AT into j->c->out. */
static inline void jr_ip4(struct jread *j, uint32_t at)
{
	if (!cur_avail(j->cu, at, 4))
		longjmp(j->out, 1);
	ip4_at(j->c, j->cu, at);
}

/* One line of text at AT (txtproto style); index after it or 0. */
uint32_t txt_line(struct decode_ctx *c, struct cursor *cu, const char *prefix, uint32_t at,
		  uint32_t len, const char *proto);
/* Free the TCP conversation table (print_tcp.c). */
void tcp_state_free(struct decode_ctx *c);

/* hexdump.c: -x/-X (ASCII set) and -A of the bytes left in CU. */
void print_hex(struct decode_ctx *c, struct cursor *cu, int ascii);
void print_ascii(struct decode_ctx *c, struct cursor *cu);
/* tcpdump's hex_print() (hex_and_ascii_print() with ASCII): lines of
 * -x's (-X's) layout, each after IDENT. */
void print_hex_ident(struct decode_ctx *c, struct cursor *cu, const char *ident, int ascii);
/* The default hex dump tcpdump prints for protocols it does not know. */
void print_unknown_hex(struct decode_ctx *c, struct cursor *cu);
/* tstamp.c */
void print_tstamp(struct decode_ctx *c, const struct decode_hdr *h);
/* json.c */
void print_json(struct decode_ctx *c, const struct decode_hdr *h, size_t text_start);

#endif
