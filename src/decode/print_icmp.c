/* print_icmp.c - ICMP (RFC 792) as tcpdump 4.99.3's print-icmp.c: the
 * summary of every type it names (echo, unreachable with the quoted
 * datagram's address and port, redirect, router advertisement, time
 * exceeded, parameter problem, time stamps, address mask); with -v the
 * checksum, the quoted datagram printed in full and RFC 4884 multi-part
 * extensions. */
#include <string.h>

#include "priv.h"

/* "unreachable" texts by code (tcpdump's wording); %s is the address. */
static const char *const unreach_text[] = {
	"net %s unreachable",
	"host %s unreachable",
	NULL,
	NULL,
	NULL,
	"%s unreachable - source route failed",
	"net %s unreachable - unknown",
	"host %s unreachable - unknown",
	"%s unreachable - source host isolated",
	"net %s unreachable - admin prohibited",
	"host %s unreachable - admin prohibited",
	"net %s unreachable - tos prohibited",
	"host %s unreachable - tos prohibited",
	"host %s unreachable - admin prohibited filter",
	"host %s unreachable - host precedence violation",
	"host %s unreachable - precedence cutoff",
};

/* TEXT with the quoted datagram's destination where %s is. */
static void with_dst(struct decode_ctx *c, struct cursor *cu, const char *text)
{
	const char *p = strstr(text, "%s");
	ob_mem(&c->out, text, (size_t)(p - text));
	ip4_at(c, cu, 24);
	ob_str(&c->out, p + 2);
}

/* 0 when truncated. */
static int unreach(struct decode_ctx *c, struct cursor *cu, unsigned code)
{
	if (!cur_avail(cu, 24, 4))
		return 0;
	unsigned p = cur_u8(cu, 17);
	if (code == 2) {
		ip4_at(c, cu, 24);
		ob_fmt(&c->out, " protocol %u unreachable", p);
	} else if (code == 3) {
		unsigned hl = (cur_u8(cu, 8) & 15) * 4;
		if (!cur_avail(cu, 8 + hl + 2, 2))
			return 0;
		unsigned dp = cur_u16(cu, 8 + hl + 2);
		ip4_at(c, cu, 24);
		if (p == 6 || p == 17)
			ob_fmt(&c->out, " %s port %u unreachable", p == 6 ? "tcp" : "udp", dp);
		else
			ob_fmt(&c->out, " protocol %u port %u unreachable", p, dp);
	} else if (code == 4) {
		unsigned mtu = cur_u16(cu, 6);
		ip4_at(c, cu, 24);
		ob_str(&c->out, " unreachable - need to frag");
		if (mtu)
			ob_fmt(&c->out, " (mtu %u)", mtu);
	} else if (code < 16) {
		with_dst(c, cu, unreach_text[code]);
	} else {
		ip4_at(c, cu, 24);
		ob_fmt(&c->out, " unreachable - #%u", code);
	}
	return 1;
}

static int redirect(struct decode_ctx *c, struct cursor *cu, unsigned code)
{
	if (!cur_avail(cu, 24, 4) || !cur_avail(cu, 4, 4))
		return 0;
	static const char *const what[] = {"redirect %s to net ", "redirect %s to host ",
					   "redirect-tos %s to net ", "redirect-tos %s to host "};
	if (code < 4) {
		with_dst(c, cu, what[code]);
	} else {
		ob_fmt(&c->out, "redirect-#%u ", code);
		ip4_at(c, cu, 24);
		ob_str(&c->out, " to ");
	}
	ip4_at(c, cu, 4);
	return 1;
}

static int router_adv(struct decode_ctx *c, struct cursor *cu)
{
	ob_str(&c->out, "router advertisement");
	if (!cur_avail(cu, 4, 4))
		return 0;
	unsigned life = cur_u16(cu, 6), num = cur_u8(cu, 4), size = cur_u8(cu, 5);
	ob_str(&c->out, " lifetime ");
	if (life < 60)
		ob_u(&c->out, life);
	else if (life < 3600)
		ob_fmt(&c->out, "%u:%02u", life / 60, life % 60);
	else
		ob_fmt(&c->out, "%u:%02u:%02u", life / 3600, life % 3600 / 60, life % 60);
	ob_fmt(&c->out, " %u:", num);
	if (size != 2) {
		ob_fmt(&c->out, " [size %u]", size);
		return 1;
	}
	for (uint32_t at = 8; num > 0; num--, at += 8) {
		if (!cur_avail(cu, at, 8))
			return 0;
		ob_str(&c->out, " {");
		ip4_at(c, cu, at);
		ob_fmt(&c->out, " %u}", cur_u32(cu, at + 4));
	}
	return 1;
}

static void tstamp(struct decode_ctx *c, const char *what, uint32_t t)
{
	unsigned ms = t % 1000, s = t / 1000, m = s / 60, h = m / 60;
	ob_fmt(&c->out, "%s%02u:%02u:%02u.%03u", what, h, m - h * 60, s - m * 60, ms);
}

/* The text after "ICMP "; 0 when truncated (tcpdump's GET_ macros). */
static int summary(struct decode_ctx *c, struct cursor *cu, unsigned type, unsigned code)
{
	static const char *const names[] = {
		[0] = "echo reply",	      [4] = "source quench",
		[8] = "echo request",	      [10] = "router solicitation",
		[13] = "time stamp request",  [14] = "time stamp reply",
		[15] = "information request", [16] = "information reply",
		[17] = "address mask request"};
	switch (type) {
	case 0:
	case 8:
		if (!cur_avail(cu, 4, 4))
			return 0;
		ob_fmt(&c->out, "echo %s, id %u, seq %u", type ? "request" : "reply",
		       cur_u16(cu, 4), cur_u16(cu, 6));
		return 1;
	case 3: return unreach(c, cu, code);
	case 5: return redirect(c, cu, code);
	case 9: return router_adv(c, cu);
	case 11:
		if (!cur_avail(cu, 24, 4))
			return 0;
		if (code < 2)
			ob_str(&c->out,
			       code ? "ip reassembly time exceeded" : "time exceeded in-transit");
		else
			ob_fmt(&c->out, "time exceeded-#%u", code);
		return 1;
	case 12:
		if (code)
			ob_fmt(&c->out, "parameter problem - code %u", code);
		else if (cur_avail(cu, 4, 1))
			ob_fmt(&c->out, "parameter problem - octet %u", cur_u8(cu, 4));
		else
			return 0;
		return 1;
	case 18:
		if (!cur_avail(cu, 8, 4))
			return 0;
		ob_fmt(&c->out, "address mask is 0x%08x", cur_u32(cu, 8));
		return 1;
	case 13:
		if (!cur_avail(cu, 4, 4))
			return 0;
		ob_fmt(&c->out, "time stamp query id %u seq %u", cur_u16(cu, 4), cur_u16(cu, 6));
		return 1;
	case 14:
		if (!cur_avail(cu, 4, 16))
			return 0;
		ob_fmt(&c->out, "time stamp reply id %u seq %u: ", cur_u16(cu, 4), cur_u16(cu, 6));
		tstamp(c, "org ", cur_u32(cu, 8));
		tstamp(c, ", recv ", cur_u32(cu, 12));
		tstamp(c, ", xmit ", cur_u32(cu, 16));
		return 1;
	default:
		if (type < sizeof(names) / sizeof(names[0]) && names[type])
			ob_str(&c->out, names[type]);
		else
			ob_fmt(&c->out, "type-#%u", type);
		return 1;
	}
}

/* -v: the quoted datagram, printed as an IP packet of its own length; what
 * --json reports stays the outer packet's. */
static void quoted(struct decode_ctx *c, struct cursor *cu)
{
	ob_str(&c->out, "\n\t");
	if (!cur_avail(cu, 8 + 2, 2)) {
		trunc_whole(c, "icmp");
		return;
	}
	uint32_t ilen = cur_u16(cu, 10);
	struct fields f = c->f;
	struct hdr_ipinfo ip = c->ip;
	cur_skip(cu, 8);
	struct cursor in = cur_sub(cu, ilen);
	print_ip(c, &in, ilen); /* with -e, no "IP " as tcpdump */
	c->f = f;
	c->ip = ip;
}

/* RFC 4884 multi-part extensions (tcpdump's icmp_ext_t): after the
 * 128-byte original datagram.  AT is the extension header's offset. */
static void multipart(struct decode_ctx *c, struct cursor *cu, uint32_t len)
{
	const uint32_t at = 136;
	if (!cur_avail(cu, 0, 8)) {
		trunc_whole(c, "icmp");
		return;
	}
	uint32_t hl = len - at;
	if (cur_u8(cu, 5) == 0 && cur_avail(cu, at, hl) && cksum_fold(cksum_add(cu, at, hl, 0)))
		return;
	unsigned ver = cur_u8(cu, at) >> 4;
	ob_fmt(&c->out, "\n\tICMP Multi-Part extension v%u", ver);
	if (ver != 2) {
		ob_str(&c->out, " packet not supported");
		return;
	}
	if (cur_avail(cu, at, hl))
		ob_fmt(&c->out, ", checksum 0x%04x (%scorrect), length %u", cur_u16(cu, at + 2),
		       cksum_fold(cksum_add(cu, at, hl, 0)) ? "in" : "", hl);
	hl -= 4;
	for (uint32_t o = at + 4; hl > 4;) {
		if (!cur_avail(cu, o, 4)) {
			trunc_whole(c, "icmp");
			return;
		}
		unsigned olen = cur_u16(cu, o), cls = cur_u8(cu, o + 2), ct = cur_u8(cu, o + 3);
		const char *n = cls == 1   ? "MPLS Stack Entry"
				: cls == 2 ? "Interface Identification"
					   : "unknown";
		ob_fmt(&c->out, "\n\t  %s Object (%u), Class-Type: %u, length %u", n, cls, ct,
		       olen);
		hl -= 4;
		o += 4;
		if (cls == 0 || olen < 4)
			return;
		olen -= 4;
		if (cls == 1 && ct == 1) {
			uint32_t e = cur_u32(cu, o);
			if (!cur_avail(cu, o, 4)) {
				trunc_whole(c, "icmp");
				return;
			}
			ob_fmt(&c->out, "\n\t    label %u, tc %u%s, ttl %u", e >> 12, (e >> 9) & 7,
			       (e & 0x100) ? ", [S]" : "", e & 0xff);
		} else {
			struct cursor d = cur_sub(cu, 0);
			cur_skip(&d, o);
			d = cur_sub(&d, olen);
			print_hex_ident(c, &d, "\n\t    ", 0);
		}
		if (hl < olen)
			break;
		hl -= olen;
		o += olen;
	}
}

void print_icmp(struct decode_ctx *c, struct cursor *cu, uint32_t len)
{
	layer(c, "icmp");
	if (!cur_avail(cu, 0, 2)) {
		trunc_whole(c, "icmp");
		return;
	}
	unsigned type = cur_u8(cu, 0), code = cur_u8(cu, 1);
	c->f.length = len;
	size_t start = c->out.len;
	ob_str(&c->out, "ICMP ");
	if (!summary(c, cu, type, code)) {
		c->out.len = start;
		trunc_whole(c, "icmp");
		return;
	}
	if (type != 0 && type != 3 && type != 4 && type != 8 && type != 10 && type != 11 &&
	    type != 12 && type != 15 && type != 16)
		layer(c, "icmp-other");
	ob_fmt(&c->out, ", length %u", len);
	if (!c->o.verbose)
		return;
	layer(c, "icmp-v");
	if (!c->ip.frag && cur_avail(cu, 0, len)) {
		uint16_t s = cksum_fold(cksum_add(cu, 0, len, 0));
		if (s) {
			unsigned sum = cur_u16(cu, 2);
			ob_fmt(&c->out, " (wrong icmp cksum %x (->%x)!)", sum,
			       cksum_shouldbe(sum, s));
		}
	}
	if (type == 3 || type == 4 || type == 5 || type == 11 || type == 12) {
		struct cursor q = cur_sub(cu, len);
		quoted(c, &q);
	}
	if (len > 136 && (type == 3 || type == 11 || type == 12))
		multipart(c, cu, len);
}
