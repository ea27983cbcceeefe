/* print_mptcp.c - the Multipath TCP option (RFC 6824/8684) as tcpdump
 * 4.99's print-mptcp.c: "mptcp LEN SUBTYPE" and the subtype's fields
 * (capable keys, join tokens and HMACs, DSS ack/seq, add/remove address,
 * prio, fail, fast-close).  Called by print_tcp.c's option loop. */
#include <setjmp.h>

#include "priv.h"

static unsigned long long g64(struct jread *m, uint32_t at)
{
	return (unsigned long long)jr_u32(m, at) << 32 | jr_u32(m, at + 4);
}

enum { SYN = 0x02, ACK = 0x10 };

static int capable(struct jread *m, uint32_t n, unsigned fl)
{
	if (!((n == 12 || n == 4) && (fl & SYN)) &&
	    !((n == 20 || n == 22) && (fl & (SYN | ACK)) == ACK))
		return 0;
	unsigned v = jr_u8(m, 2) & 0xf;
	if (v > 1) {
		ob_fmt(&m->c->out, " Unknown Version (%u)", v);
		return 1;
	}
	ob_fmt(&m->c->out, " v%u", v);
	if (jr_u8(m, 3) & 0x80)
		ob_str(&m->c->out, " csum");
	if (n == 12 || n >= 20) {
		ob_fmt(&m->c->out, " {0x%llx", g64(m, 4));
		if (n >= 20)
			ob_fmt(&m->c->out, ",0x%llx", g64(m, 12));
		ob_chr(&m->c->out, '}');
	}
	return 1;
}

static int join(struct jread *m, uint32_t n, unsigned fl)
{
	struct obuf *o = &m->c->out;
	if (!(n == 12 && (fl & SYN)) && !(n == 16 && (fl & (SYN | ACK)) == (SYN | ACK)) &&
	    !(n == 24 && (fl & ACK)))
		return 0;
	if (n != 24) {
		if (jr_u8(m, 2) & 1)
			ob_str(o, " backup");
		ob_fmt(o, " id %u", jr_u8(m, 3));
	}
	if (n == 12)
		ob_fmt(o, " token 0x%x nonce 0x%x", jr_u32(m, 4), jr_u32(m, 8));
	else if (n == 16)
		ob_fmt(o, " hmac 0x%llx nonce 0x%x", g64(m, 4), jr_u32(m, 12));
	else {
		ob_str(o, " hmac 0x");
		for (uint32_t i = 0; i < 20; i++)
			ob_fmt(o, "%02x", jr_u8(m, 4 + i));
	}
	return 1;
}

/* A 4- or 8-byte number at *AT, N bytes left; 0 when short. */
static int num(struct jread *m, uint32_t *at, uint32_t *n, int wide)
{
	uint32_t w = wide ? 8 : 4;
	if (*n < w)
		return 0;
	if (wide)
		ob_fmt(&m->c->out, "%llu", g64(m, *at));
	else
		ob_fmt(&m->c->out, "%u", jr_u32(m, *at));
	*at += w;
	*n -= w;
	return 1;
}

static int dss(struct jread *m, uint32_t n, unsigned fl)
{
	struct obuf *o = &m->c->out;
	if (n < 4 || (fl & SYN))
		return 0;
	unsigned f = jr_u8(m, 3);
	if (f & 0x10)
		ob_str(o, " fin");
	uint32_t at = 4;
	n -= 4;
	if (f & 0x01) {
		ob_str(o, " ack ");
		if (!num(m, &at, &n, f & 0x02))
			return 0;
	}
	if (f & 0x04) {
		ob_str(o, " seq ");
		if (!num(m, &at, &n, f & 0x08) || n < 4)
			return 0;
		ob_fmt(o, " subseq %u", jr_u32(m, at));
		at += 4;
		n -= 4;
		if (n < 2)
			return 0;
		ob_fmt(o, " len %u", jr_u16(m, at));
		at += 2;
		n -= 2;
		if (n >= 2) {
			ob_fmt(o, " csum 0x%x", jr_u16(m, at));
			n -= 2;
		}
	}
	return n == 0;
}

static int add_addr(struct jread *m, uint32_t n)
{
	struct obuf *o = &m->c->out;
	int v4 = n == 8 || n == 10 || n == 16 || n == 18;
	if (!v4 && n != 20 && n != 22 && n != 28 && n != 30)
		return 0;
	static const char *const echo[] = {"v1", "v1-echo", NULL, NULL, "v0-ip4", NULL, "v0-ip6"};
	unsigned e = jr_u8(m, 2) & 0xf;
	ob_fmt(o, " %s", e < 7 && echo[e] ? echo[e] : "[bad version/echo]");
	ob_fmt(o, " id %u ", jr_u8(m, 3));
	uint32_t al = v4 ? 4 : 16;
	uint8_t a[16];
	for (uint32_t i = 0; i < al; i++)
		a[i] = (uint8_t)jr_u8(m, 4 + i);
	if (v4)
		ob_ip4(o, a);
	else
		ob_ip6(o, a);
	int port = v4 ? (n == 10 || n == 18) : (n == 22 || n == 30);
	if (port)
		ob_fmt(o, ":%u", jr_u16(m, 4 + al));
	if (n == 16 || n == 28)
		ob_fmt(o, " hmac 0x%llx", g64(m, 4 + al));
	if (n == 18 || n == 30)
		ob_fmt(o, " hmac 0x%llx", g64(m, 6 + al));
	return 1;
}

static int subtype(struct jread *m, unsigned sub, uint32_t n, unsigned fl)
{
	struct obuf *o = &m->c->out;
	switch (sub) {
	case 0: return capable(m, n, fl);
	case 1: return join(m, n, fl);
	case 2: return dss(m, n, fl);
	case 3: return add_addr(m, n);
	case 4:
		if (n < 4)
			return 0;
		ob_str(o, " id");
		for (uint32_t i = 0; i < n - 3; i++)
			ob_fmt(o, " %u", jr_u8(m, 3 + i));
		return 1;
	case 5:
		if (n != 3 && n != 4)
			return 0;
		ob_str(o, jr_u8(m, 2) & 1 ? " backup" : " non-backup");
		if (n == 4)
			ob_fmt(o, " id %u", jr_u8(m, 3));
		return 1;
	case 6:
	case 7:
		if (n != 12)
			return 0;
		ob_fmt(o, sub == 6 ? " seq %llu" : " key 0x%llx", g64(m, 4));
		return 1;
	default: return 1;
	}
}

int print_mptcp(struct decode_ctx *c, struct cursor *cu, uint32_t len, unsigned flags)
{
	static const char *const names[] = {"capable", "join", "dss",	     "add-addr", "rem-addr",
					    "prio",    "fail", "fast-close", "unknown"};
	struct jread m;
	m.c = c;
	m.cu = cu;
	if (setjmp(m.out)) {
		trunc_whole(c, "mptcp");
		return -1;
	}
	if (len < 3)
		return 0;
	unsigned sub = jr_u8(&m, 2) >> 4;
	if (sub > 8)
		sub = 8;
	ob_fmt(&c->out, " %u %s", len, names[sub]);
	return subtype(&m, sub, len, flags);
}
