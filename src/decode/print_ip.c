/* print_ip.c - IPv4 (RFC 791): the header with -v, fragments, and the
 * hand-off to the transport printers; ESP and AH summaries; the Internet
 * checksum the transport printers check with -v. */
#include <string.h>

#include "priv.h"

static const char *opt_name(unsigned o)
{
	switch (o) {
	case 0: return "EOL";
	case 1: return "NOP";
	case 7: return "RR";
	case 68: return "timestamp";
	case 130: return "security";
	case 131: return "LSRR";
	case 137: return "SSRR";
	case 148: return "RA";
	default: return NULL;
	}
}

/* RR, LSRR, SSRR: the addresses, "," after those already visited. */
static int opt_route(struct decode_ctx *c, struct cursor *cu, uint32_t at, unsigned n)
{
	if (n < 3) {
		ob_fmt(&c->out, " [bad length %u]", n);
		return 1;
	}
	if ((n + 1) & 3)
		ob_fmt(&c->out, " [bad length %u]", n);
	unsigned ptr = (unsigned)cur_u8(cu, at + 2) - 1;
	if (ptr < 3 || ((ptr + 1) & 3) || ptr > n + 1)
		ob_fmt(&c->out, " [bad ptr %u]", cur_u8(cu, at + 2));
	for (unsigned i = 3; i < n; i += 4) {
		uint8_t a[4];
		if (!cur_copy(cu, at + i, a, 4))
			return 0;
		ob_chr(&c->out, ' ');
		ob_ip4(&c->out, a);
		if (ptr > i)
			ob_chr(&c->out, ',');
	}
	return 1;
}

/* The timestamp option (RFC 791): " TS{TYPE N@addr ... ^ }". */
static int opt_ts(struct decode_ctx *c, struct cursor *cu, uint32_t at, unsigned n)
{
	if (n < 4) {
		ob_fmt(&c->out, "[bad length %u]", n);
		return 1;
	}
	ob_str(&c->out, " TS{");
	unsigned fl = cur_u8(cu, at + 3), hop = (fl & 15) != 0 ? 8 : 4, i = 0;
	if ((n - 4) & (hop - 1))
		ob_fmt(&c->out, "[bad length %u]", n);
	unsigned ptr = (unsigned)cur_u8(cu, at + 2) - 1;
	if (ptr < 4 || ((ptr - 4) & (hop - 1)) || ptr > n + 1)
		ob_fmt(&c->out, "[bad ptr %u]", cur_u8(cu, at + 2));
	static const char *const kind[] = {"TSONLY", "TS+ADDR", NULL, "PRESPEC"};
	if ((fl & 15) > 3 || !kind[fl & 15]) {
		ob_fmt(&c->out, "[bad ts type %u]", fl & 15);
	} else {
		ob_str(&c->out, kind[fl & 15]);
		for (i = 4; i < n; i += hop) {
			if (!cur_avail(cu, at + i, hop))
				return 0;
			ob_str(&c->out, ptr == i ? " ^ " : " ");
			ob_u(&c->out, cur_u32(cu, at + i + hop - 4));
			ob_chr(&c->out, '@');
			if (hop == 8)
				ip4_at(c, cu, at + i);
		}
	}
	if (ptr == i)
		ob_str(&c->out, " ^ ");
	if (fl >> 4)
		ob_fmt(&c->out, " [%u hops not recorded]} ", fl >> 4);
	else
		ob_chr(&c->out, '}');
	return 1;
}

/* -v's "options (...)" as tcpdump's ip_optprint(); 0 when truncated. */
static int options(struct decode_ctx *c, struct cursor *cu, uint32_t n)
{
	uint32_t at = 20, end = 20 + n;
	for (const char *sep = ""; at < end; sep = ",") {
		unsigned code = cur_u8(cu, at), olen = 1;
		const char *name = opt_name(code);
		ob_str(&c->out, sep);
		if (name)
			ob_str(&c->out, name);
		else
			ob_fmt(&c->out, "unknown %u", code);
		if (code > 1) {
			olen = cur_u8(cu, at + 1);
			if (olen < 2) {
				ob_fmt(&c->out, " [bad length %u]", olen);
				return 1;
			}
		}
		if (olen > end - at) {
			ob_fmt(&c->out, " [bad length %u]", olen);
			return 1;
		}
		if (!cur_avail(cu, at, olen))
			return 0;
		int ok = 1;
		switch (code) {
		case 0: return 1;
		case 68: ok = opt_ts(c, cu, at, olen); break;
		case 7:
		case 131:
		case 137: ok = opt_route(c, cu, at, olen); break;
		case 148:
			if (olen < 4)
				ob_fmt(&c->out, " [bad length %u]", olen);
			else if (cur_u16(cu, at + 2))
				ob_fmt(&c->out, " value %u", cur_u16(cu, at + 2));
			break;
		default: break;
		}
		if (!ok)
			return 0;
		at += olen;
	}
	return 1;
}

/* The destination the transport checksum's pseudo-header holds: the last
 * hop of a source route (tcpdump's ip_finddst()). */
static void final_dst(struct decode_ctx *c, struct cursor *cu, unsigned hl)
{
	for (uint32_t at = 20, olen; at < hl; at += olen) {
		unsigned code = cur_u8(cu, at);
		if (code == 0)
			return;
		olen = code == 1 ? 1 : cur_u8(cu, at + 1);
		if (olen < 2 && code != 1)
			return;
		if (olen > hl - at || !cur_avail(cu, at, olen))
			return;
		if ((code == 131 || code == 137) && olen >= 7) {
			cur_copy(cu, at + olen - 4, c->ip.ckdst, 4);
			return;
		}
	}
}

/* One's-complement sum of N bytes at AT of CU (all captured: callers test). */
uint32_t cksum_add(struct cursor *cu, uint32_t at, uint32_t n, uint32_t sum)
{
	uint32_t i = 0;
	for (; i + 1 < n; i += 2)
		sum += cur_u16(cu, at + i);
	if (i < n)
		sum += (uint32_t)cur_u8(cu, at + i) << 8;
	return sum;
}

uint16_t cksum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* The value a checksum field holding SUM should hold, given the folded
 * sum S computed over the data with SUM in place. */
unsigned cksum_shouldbe(unsigned sum, unsigned s)
{
	uint32_t x = sum + s;
	x = (x & 0xffff) + (x >> 16);
	x = (x & 0xffff) + (x >> 16);
	return x & 0xffff;
}

uint32_t cksum_pseudo(const struct decode_ctx *c, unsigned proto, uint32_t len)
{
	uint32_t sum = 0;
	int n = c->ip.ver == 6 ? 16 : 4;
	for (int i = 0; i < n; i += 2)
		sum += (uint32_t)(c->ip.src[i] << 8 | c->ip.src[i + 1]) +
		       (uint32_t)(c->ip.ckdst[i] << 8 | c->ip.ckdst[i + 1]);
	return sum + proto + (len & 0xffff) + (len >> 16);
}

static int verbose_hdr(struct decode_ctx *c, struct cursor *cu, unsigned hl, unsigned proto)
{
	unsigned tos = cur_u8(cu, 1), ttl = cur_u8(cu, 8), off = cur_u16(cu, 6);
	static const char *const ecn[] = {"", ",ECT(1)", ",ECT(0)", ",CE"};
	ob_fmt(&c->out, "(tos 0x%x%s", tos, ecn[tos & 3]);
	if (ttl >= 1)
		ob_fmt(&c->out, ", ttl %u", ttl);
	char fl[16] = "";
	if (off & 0x2000)
		strcat(fl, "+");
	if (off & 0x4000)
		strcat(fl, fl[0] ? ", DF" : "DF");
	if (off & 0x8000)
		strcat(fl, fl[0] ? ", rsvd" : "rsvd");
	const char *pn = ipproto_name(proto);
	ob_fmt(&c->out, ", id %u, offset %u, flags [%s], proto %s (%u), length %u", cur_u16(cu, 4),
	       (off & 0x1fff) * 8, fl[0] ? fl : "none", pn, proto, cur_u16(cu, 2));
	if (hl > 20) {
		ob_str(&c->out, ", options (");
		if (!options(c, cu, hl - 20)) {
			ob_chr(&c->out, ')');
			return 0;
		}
		ob_chr(&c->out, ')');
	}
	if (cur_avail(cu, 0, hl)) {
		uint16_t s = cksum_fold(cksum_add(cu, 0, hl, 0));
		if (s) {
			unsigned sum = cur_u16(cu, 10);
			ob_fmt(&c->out, ", bad cksum %x (->%x)!", sum, cksum_shouldbe(sum, s));
		}
	}
	ob_str(&c->out, ")\n    ");
	return 1;
}

static void addrs(struct decode_ctx *c, const char *sep)
{
	ob_str(&c->out, c->f.src);
	ob_str(&c->out, " > ");
	ob_str(&c->out, c->f.dst);
	ob_str(&c->out, sep);
}

void print_ip(struct decode_ctx *c, struct cursor *cu, uint32_t len)
{
	layer(c, "ip");
	if (!cur_avail(cu, 0, 1)) {
		trunc_whole(c, "ip"); /* IP_V()'s GET_U_1 unwinds: -x dumps it all */
		return;
	}
	unsigned v = cur_u8(cu, 0) >> 4, hl = (cur_u8(cu, 0) & 15) * 4;
	if (v != 4) {
		if (v == 6)
			ob_str(&c->out, "IP6, wrong link-layer encapsulation (invalid)");
		else
			ob_fmt(&c->out, "IP%u (invalid)", v);
		return;
	}
	if (!c->o.link)
		ob_str(&c->out, "IP ");
	if (!cur_avail(cu, 0, 20)) {
		trunc_mark(c, "ip");
		return;
	}
	if (len < 20) {
		ob_fmt(&c->out, "truncated-ip %u", len);
		return;
	}
	if (hl < 20) {
		ob_fmt(&c->out, "bad-hlen %u", hl);
		return;
	}
	uint32_t tl = cur_u16(cu, 2);
	if (tl > len)
		ob_fmt(&c->out, "truncated-ip - %u bytes missing! ", tl - len);
	if (tl < hl) {
		ob_fmt(&c->out, "bad-len %u", tl);
		return;
	}
	unsigned off = cur_u16(cu, 6), proto = cur_u8(cu, 9);
	uint8_t s[4], d[4];
	cur_copy(cu, 12, s, 4);
	cur_copy(cu, 16, d, 4);
	struct obuf t = {c->f.src, 0, sizeof(c->f.src)};
	ob_ip4(&t, s);
	t.s[t.len] = 0;
	struct obuf u = {c->f.dst, 0, sizeof(c->f.dst)};
	ob_ip4(&u, d);
	u.s[u.len] = 0;
	c->f.ipver = 4;
	c->f.ttl = cur_u8(cu, 8);
	c->f.iplen = tl;
	c->f.sport = c->f.dport = c->f.length = -1; /* an inner packet's own */
	c->ip.ver = 4;
	memcpy(c->ip.src, s, 4);
	memcpy(c->ip.dst, d, 4);
	c->ip.direct = 1;
	c->ip.frag = (off & 0x3fff) != 0;
	memcpy(c->ip.ckdst, d, 4);
	if (hl > 20)
		final_dst(c, cu, hl);
	if (c->o.verbose && !verbose_hdr(c, cu, hl, proto)) {
		trunc_whole(c, "ip");
		return;
	}
	struct cursor pl = cur_sub(cu, tl < len ? tl : len);
	if ((off & 0x1fff) == 0) {
		if (proto != 6 && proto != 17 && proto != 132)
			addrs(c, ": ");
		if (!cur_avail(&pl, 0, hl)) {
			ob_fmt(&c->out, " [remaining caplen(%u) < header length(%u)]",
			       cur_left(&pl), hl);
			trunc_mark(c, "ip");
			return;
		}
		cur_skip(&pl, hl);
		c->ip.len = tl - hl;
		print_ipproto(c, &pl, tl - hl, proto);
	} else {
		if (c->o.quiet > 1)
			return;
		layer(c, "ip-frag");
		addrs(c, ":");
		ob_fmt(&c->out, " ip-proto-%u", proto);
	}
}

/* ESP (RFC 4303): the SPI and sequence number; the rest is encrypted. */
void print_esp(struct decode_ctx *c, struct cursor *cu, uint32_t len)
{
	layer(c, "esp");
	if (!cur_avail(cu, 0, 8)) {
		ob_str(&c->out, "ESP");
		trunc_mark(c, "esp");
		return;
	}
	ob_fmt(&c->out, "ESP(spi=0x%08x,seq=0x%x), length %u", cur_u32(cu, 0), cur_u32(cu, 4), len);
}

/* AH (RFC 4302): then what it protects. */
void print_ah(struct decode_ctx *c, struct cursor *cu, uint32_t len)
{
	layer(c, "ah");
	unsigned nh = cur_u8(cu, 0), alen = ((unsigned)cur_u8(cu, 1) + 2) * 4;
	if (!cur_avail(cu, 0, 12)) {
		ob_str(&c->out, "AH");
		trunc_mark(c, "ah");
		return;
	}
	ob_str(&c->out, "AH(");
	if (c->o.verbose)
		ob_fmt(&c->out, "length=%u(%u-bytes),", cur_u8(cu, 1), alen);
	if (cur_u16(cu, 2))
		ob_fmt(&c->out, "reserved=0x%x[MustBeZero],", cur_u16(cu, 2));
	ob_fmt(&c->out, "spi=0x%08x,seq=0x%x,icv=0x", cur_u32(cu, 4), cur_u32(cu, 8));
	for (uint32_t i = 12; i < alen; i++) {
		if (!cur_avail(cu, i, 1)) {
			trunc_whole(c, "ah");
			return;
		}
		ob_hex(&c->out, cur_u8(cu, i), 2);
	}
	ob_str(&c->out, "): ");
	if (!cur_skip(cu, alen)) {
		trunc_mark(c, "ah");
		return;
	}
	c->ip.direct = 0;
	print_ipproto(c, cu, len > alen ? len - alen : 0, nh);
}
