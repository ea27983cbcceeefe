/* print_sctp.c - SCTP (RFC 9260) as tcpdump 4.99's print-sctp.c: the
 * ports, then each chunk numbered, DATA (flags, TSN, stream, payload
 * protocol), INIT and INIT ACK, SACK with its gap blocks and duplicate
 * TSNs, the others by name; -vv puts each chunk on its own line and dumps
 * DATA payloads.  ForCES and M3UA payloads are not decoded (the packet is
 * classed "sctp-other").  A read past the capture unwinds as tcpdump's
 * GET_ macros (" [|sctp]"). */
#include <setjmp.h>

#include "priv.h"

static const char *chunk_name(unsigned t)
{
	static const char *const n[] = {
		"DATA",	       "INIT",	     "INIT ACK", "SACK",	 "HB REQ",
		"HB ACK",      "ABORT",	     "SHUTDOWN", "SHUTDOWN ACK", "OP ERR",
		"COOKIE ECHO", "COOKIE ACK", "ECN ECHO", "ECN CWR",	 "SHUTDOWN COMPLETE"};
	if (t < 15)
		return n[t];
	return t == 0xc0   ? "FOR CUM TSN"
	       : t == 0xc1 ? "REL CTRL"
	       : t == 0xc2 ? "REL CTRL ACK"
			   : NULL;
}

static const char *ppid_name(uint32_t p)
{
	static const char *const n[] = {
		NULL,	     "ISDN Q.921", "M2UA",	"M3UA",	  "SUA",  "M2PA", "V5.2",
		"H.248",     "BICC",	   "TALI",	"DUA",	  "ASAP", "ENRP", "H.323",
		"Q.IPC",     "SIMCO",	   "DDPSC",	"DDPSSC", "S1AP", "RUA",  "HNBAP",
		"ForCES HP", "ForCES MP",  "ForCES LP", "SBc-AP", "NBAP", NULL,	  "X2AP"};
	return p < sizeof(n) / sizeof(n[0]) ? n[p] : NULL;
}

static int forces_port(unsigned p)
{
	return p >= 6704 && p <= 6706;
}

/* A chunk's body after "[NAME] ": AT is the chunk, N its length.  Returns
 * the bytes of it used, or -1 when tcpdump gives up on the packet. */
static long data_chunk(struct jread *s, uint32_t at, uint32_t n, int *forces)
{
	struct obuf *o = &s->c->out;
	unsigned fl = jr_u8(s, at + 1);
	if (fl & 4)
		ob_str(o, "(U)");
	if (fl & 2)
		ob_str(o, "(B)");
	if (fl & 1)
		ob_str(o, "(E)");
	if (fl & 7)
		ob_chr(o, ' ');
	if (n - 4 < 12) {
		ob_fmt(o, "bogus chunk length %u]", n);
		return -1;
	}
	uint32_t ppid = jr_u32(s, at + 12);
	ob_fmt(o, "[TSN: %u] ", jr_u32(s, at + 4));
	ob_fmt(o, "[SID: %u] ", jr_u16(s, at + 8));
	ob_fmt(o, "[SSEQ %u] ", jr_u16(s, at + 10));
	const char *pn = ppid_name(ppid);
	if (pn)
		ob_fmt(o, "[PPID %s] ", pn);
	else
		ob_fmt(o, "[PPID 0x%x] ", ppid);
	if (!*forces)
		*forces = ppid >= 21 && ppid <= 23;
	uint32_t plen = (n - 16) & 0xffff;
	if (plen == 0) {
		ob_fmt(o, "bogus chunk length %u]", n);
		return -1;
	}
	if (*forces || (s->c->o.verbose >= 2 && ppid == 3)) {
		layer(s->c, "sctp-other"); /* ForCES, M3UA: not decoded */
	} else if (s->c->o.verbose >= 2) {
		ob_str(o, "[Payload:");
		struct cursor p = *s->cu;
		cur_skip(&p, at + 16);
		p = cur_sub(&p, plen);
		print_hex(s->c, &p, 1);
		if (!cur_avail(s->cu, at + 16, plen))
			longjmp(s->out, 1);
		ob_chr(o, ']');
	}
	return 16 + plen;
}

static long init_chunk(struct jread *s, uint32_t at, uint32_t n)
{
	struct obuf *o = &s->c->out;
	if (n - 4 < 16) {
		ob_fmt(o, "bogus chunk length %u]", n);
		return -1;
	}
	ob_fmt(o, "[init tag: %u] ", jr_u32(s, at + 4));
	ob_fmt(o, "[rwnd: %u] ", jr_u32(s, at + 8));
	ob_fmt(o, "[OS: %u] ", jr_u16(s, at + 12));
	ob_fmt(o, "[MIS: %u] ", jr_u16(s, at + 14));
	ob_fmt(o, "[init TSN: %u] ", jr_u32(s, at + 16));
	return n;
}

static long sack_chunk(struct jread *s, uint32_t at, uint32_t n)
{
	struct obuf *o = &s->c->out;
	uint32_t left = n - 4;
	if (left < 12) {
		ob_fmt(o, "bogus chunk length %u]", n);
		return -1;
	}
	uint32_t cum = jr_u32(s, at + 4);
	ob_fmt(o, "[cum ack %u] ", cum);
	ob_fmt(o, "[a_rwnd %u] ", jr_u32(s, at + 8));
	ob_fmt(o, "[#gap acks %u] ", jr_u16(s, at + 12));
	ob_fmt(o, "[#dup tsns %u] ", jr_u16(s, at + 14));
	uint32_t p = at + 16;
	left -= 12;
	for (unsigned i = 0; left != 0 && i < jr_u16(s, at + 12); i++, p += 4, left -= 4) {
		if (left < 4) {
			ob_fmt(o, "bogus chunk length %u]", n);
			return -1;
		}
		ob_fmt(o, "\n\t\t[gap ack block #%u: start = %u, end = %u] ", i + 1,
		       cum + jr_u16(s, p), cum + jr_u16(s, p + 2));
	}
	for (unsigned i = 0; left != 0 && i < jr_u16(s, at + 14); i++, p += 4, left -= 4) {
		if (left < 4) {
			ob_fmt(o, "bogus chunk length %u]", n);
			return -1;
		}
		ob_fmt(o, "\n\t\t[dup TSN #%u: %u] ", i + 1, jr_u32(s, p));
	}
	return n;
}

/* The chunks after the common header, LEFT bytes of them. */
static void chunks(struct jread *s, uint32_t left, int forces)
{
	struct obuf *o = &s->c->out;
	const char *sep = s->c->o.verbose >= 2 ? "\n\t" : " (";
	uint32_t at = 12;
	for (unsigned k = 1; left != 0; k++) {
		if (left < 4) {
			ob_fmt(o, "%s%u) [chunk descriptor cut off at end of packet]", sep, k);
			return;
		}
		if (!cur_avail(s->cu, at, 4)) {
			trunc_mark(s->c, "sctp");
			return;
		}
		uint32_t n = cur_u16(s->cu, at + 2), align = (4 - n % 4) % 4;
		if (n < 4) {
			ob_fmt(o, "%s%u) [Bad chunk length %u, < size of chunk descriptor]", sep, k,
			       n);
			return;
		}
		if (left < align) {
			ob_fmt(o, "%s%u) [Bad chunk length %u, > remaining data in packet]", sep, k,
			       n);
			return;
		}
		if (!cur_avail(s->cu, at, n)) {
			trunc_mark(s->c, "sctp");
			return;
		}
		ob_fmt(o, "%s%u) ", sep, k);
		unsigned type = jr_u8(s, at);
		const char *name = chunk_name(type);
		if (name)
			ob_fmt(o, "[%s] ", name);
		else
			ob_fmt(o, "[Unknown chunk type: 0x%x] ", type);
		long used = n;
		if (type == 0)
			used = data_chunk(s, at, n, &forces);
		else if (type == 1 || type == 2)
			used = init_chunk(s, at, n);
		else if (type == 3)
			used = sack_chunk(s, at, n);
		if (used < 0)
			return;
		at += n; /* tcpdump's remaining counts: the whole chunk */
		left -= n < left ? n : left;
		if (s->c->o.verbose < 2)
			sep = ", (";
		if (align) {
			if (!cur_avail(s->cu, at, align)) {
				trunc_mark(s->c, "sctp");
				return;
			}
			at += align;
			left -= align;
		}
	}
}

void print_sctp(struct decode_ctx *c, struct cursor *cu, uint32_t len)
{
	layer(c, "sctp");
	if (len < 12) {
		ob_fmt(&c->out, "truncated-sctp - %u bytes missing!", 12 - len);
		return;
	}
	if (!cur_avail(cu, 0, 12)) {
		trunc_mark(c, "sctp");
		return;
	}
	struct jread s;
	s.c = c;
	s.cu = cu;
	if (setjmp(s.out)) {
		trunc_whole(c, "sctp");
		return;
	}
	unsigned sp = cur_u16(cu, 0), dp = cur_u16(cu, 2);
	c->f.sport = sp;
	c->f.dport = dp;
	ob_fmt(&c->out, "%s.%u > %s.%u: sctp", c->f.src, sp, c->f.dst, dp);
	static const char *const ch[] = {"ForCES HP", "ForCES MP", "ForCES LP"};
	if (forces_port(sp))
		ob_fmt(&c->out, "[%s]", ch[sp - 6704]);
	if (forces_port(dp))
		ob_fmt(&c->out, "[%s]", ch[dp - 6704]);
	chunks(&s, len - 12, forces_port(sp) || forces_port(dp));
}
