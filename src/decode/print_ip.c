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
	case 68: return "TS";
	case 130: return "SECURITY";
	case 131: return "LSRR";
	case 136: return "SATID";
	case 137: return "SSRR";
	case 148: return "RA";
	default: return NULL;
	}
}

/* -v's "options (...)"; the simple ones only, others by number. */
static void options(struct decode_ctx *c, struct cursor *cu, uint32_t n)
{
	ob_str(&c->out, ", options (");
	uint32_t at = 20;
	int first = 1;
	while (at < 20 + n) {
		unsigned code = cur_u8(cu, at), olen = 1;
		const char *name = opt_name(code);
		if (!first)
			ob_chr(&c->out, ',');
		first = 0;
		if (name)
			ob_str(&c->out, name);
		else
			ob_fmt(&c->out, "unknown %u", code);
		if (code > 1) {
			olen = cur_u8(cu, at + 1);
			if (olen < 2 || olen > 20 + n - at) {
				ob_fmt(&c->out, " [bad length %u]", olen);
				break;
			}
			if (code == 148 && olen == 4 && cur_u16(cu, at + 2))
				ob_fmt(&c->out, " value %u", cur_u16(cu, at + 2));
			else if (code == 148 && olen != 4)
				ob_fmt(&c->out, " [bad length %u]", olen);
		}
		if (code == 0)
			break;
		at += olen;
	}
	ob_chr(&c->out, ')');
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
	const uint8_t *d = c->ip.ver == 6 ? c->ip.ckdst : c->ip.dst;
	for (int i = 0; i < n; i += 2)
		sum += (uint32_t)(c->ip.src[i] << 8 | c->ip.src[i + 1]) +
		       (uint32_t)(d[i] << 8 | d[i + 1]);
	return sum + proto + (len & 0xffff) + (len >> 16);
}

static void verbose_hdr(struct decode_ctx *c, struct cursor *cu, unsigned hl, unsigned proto)
{
	unsigned tos = cur_u8(cu, 1), ttl = cur_u8(cu, 8), off = cur_u16(cu, 6);
	static const char *const ecn[] = {"", ",ECT(1)", ",ECT(0)", ",CE"};
	ob_fmt(&c->out, "(tos 0x%x%s", tos, ecn[tos & 3]);
	if (ttl >= 1)
		ob_fmt(&c->out, ", ttl %u", ttl);
	char fl[16] = "";
	if (off & 0x8000)
		strcat(fl, "rsvd");
	if (off & 0x4000)
		strcat(fl, fl[0] ? ", DF" : "DF");
	if (off & 0x2000)
		strcat(fl, fl[0] ? ", +" : "+");
	const char *pn = ipproto_name(proto);
	ob_fmt(&c->out, ", id %u, offset %u, flags [%s], proto %s (%u), length %u", cur_u16(cu, 4),
	       (off & 0x1fff) * 8, fl[0] ? fl : "none", pn, proto, cur_u16(cu, 2));
	if (hl > 20)
		options(c, cu, hl - 20);
	if (cur_avail(cu, 0, hl)) {
		uint16_t s = cksum_fold(cksum_add(cu, 0, hl, 0));
		if (s) {
			unsigned sum = cur_u16(cu, 10);
			ob_fmt(&c->out, ", bad cksum %x (->%x)!", sum, cksum_shouldbe(sum, s));
		}
	}
	ob_str(&c->out, ")\n    ");
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
		trunc_mark(c, "ip");
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
	if (c->o.verbose)
		verbose_hdr(c, cu, hl, proto);
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
	ob_fmt(&c->out, "AH(spi=0x%08x", cur_u32(cu, 4));
	if (c->o.verbose)
		ob_fmt(&c->out, ",sumlen=%u", alen - 12);
	ob_fmt(&c->out, ",seq=0x%x", cur_u32(cu, 8));
	if (alen > 12 && cur_avail(cu, 12, alen - 12)) {
		ob_str(&c->out, ",icv=0x");
		for (uint32_t i = 12; i < alen; i++)
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
