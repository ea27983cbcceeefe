/* print_ip6.c - IPv6 (RFC 8200) and its extension headers: hop-by-hop and
 * destination options, routing (types 0, 2, 4), fragment, no next header. */
#include <string.h>

#include "priv.h"

/* rt6_print: the routing header (types 0 and 2 with addresses, 4 the
 * segment list); its length, 0 when tcpdump stops (truncated: " [|rt6]",
 * or invalid). */
static uint32_t routing(struct decode_ctx *c, struct cursor *cu)
{
	struct obuf *o = &c->out;
	ob_str(o, "RT6");
	if (!cur_avail(cu, 1, 1))
		goto trunc;
	unsigned hl = cur_u8(cu, 1), type;
	ob_fmt(o, " (len=%u", hl);
	if (!cur_avail(cu, 2, 1))
		goto trunc;
	type = cur_u8(cu, 2);
	ob_fmt(o, ", type=%u", type);
	if (type == 0)
		ob_str(o, " [Deprecated]");
	if (!cur_avail(cu, 3, 1))
		goto trunc;
	ob_fmt(o, ", segleft=%u", cur_u8(cu, 3));
	if (type == 0 || type == 2) {
		if (!cur_avail(cu, 4, 4))
			goto trunc;
		uint32_t rsv = cur_u32(cu, 4);
		if (rsv || c->o.verbose)
			ob_fmt(o, ", rsv=0x%0x", rsv);
	} else if (type == 4) {
		if (!cur_avail(cu, 4, 1))
			goto trunc;
		ob_fmt(o, ", last-entry=%u", cur_u8(cu, 4));
		if (!cur_avail(cu, 5, 1))
			goto trunc;
		if (cur_u8(cu, 5) || c->o.verbose)
			ob_fmt(o, ", flags=0x%0x", cur_u8(cu, 5));
		if (!cur_avail(cu, 6, 2))
			goto trunc;
		ob_fmt(o, ", tag=%x", cur_u16(cu, 6));
	} else {
		ob_str(o, " (unknown type) (invalid)");
		return 0;
	}
	if (hl % 2 == 1) {
		ob_fmt(o, " (invalid length %u) (invalid)", hl);
		return 0;
	}
	int setck = !c->ip.ckset++; /* ip6_finddst reads the first routing header */
	for (uint32_t i = 0, at = 8; i < hl / 2; i++, at += 16) {
		if (!cur_avail(cu, at, 16))
			goto trunc;
		ob_fmt(o, ", [%u]", i);
		ip6_at(c, cu, at);
		/* ip6_finddst: the last address, or a segment list's first */
		if (setck && (type != 4 || i == 0))
			cur_copy(cu, at, c->ip.ckdst, 16);
	}
	ob_str(o, ") ");
	return (hl + 1) * 8;
trunc:
	trunc_whole(c, "rt6");
	return 0;
}

/* -v's options of a hop-by-hop or destination header of N bytes; 0 when
 * they are cut short. */
static int ip6_options(struct decode_ctx *c, struct cursor *cu, uint32_t n)
{
	for (uint32_t i = 2, ol; i < n; i += ol) {
		unsigned type = cur_u8(cu, i);
		if (type == 0) {
			ol = 1;
			ob_str(&c->out, "(pad1)");
			continue;
		}
		if (i + 1 >= n)
			goto trunc;
		ol = (uint32_t)cur_u8(cu, i + 1) + 2;
		if (n < i + ol)
			goto trunc;
		switch (type) {
		case 1: ob_str(&c->out, "(padn)"); break;
		case 5:
			if (ol != 4) {
				ob_fmt(&c->out, "(rtalert: invalid len %u)", ol - 2);
				goto trunc;
			}
			ob_fmt(&c->out, "(rtalert: 0x%04x) ", cur_u16(cu, i + 2));
			break;
		default:
			layer(c, "ip6-opt-other");
			ob_fmt(&c->out, "(opt_type 0x%02x: len=%u)", type, ol - 2);
			break;
		}
	}
	ob_chr(&c->out, ' ');
	return 1;
trunc:
	trunc_mark(c, "ip6opt");
	return 0;
}

void print_ip6(struct decode_ctx *c, struct cursor *cu, uint32_t len)
{
	layer(c, "ip6");
	if (!cur_avail(cu, 0, 40)) {
		trunc_mark(c, "ip6");
		return;
	}
	if (len < 40) {
		ob_fmt(&c->out, "truncated-ip6 %u", len);
		return;
	}
	if (!c->o.link)
		ob_str(&c->out, "IP6 ");
	if (cur_u8(cu, 0) >> 4 != 6) {
		ob_fmt(&c->out, "version error: %u != 6", cur_u8(cu, 0) >> 4);
		return;
	}
	uint32_t plen = cur_u16(cu, 4), total = plen ? plen + 40 : len;
	unsigned nh = cur_u8(cu, 6);
	if (plen && len < total)
		ob_fmt(&c->out, "truncated-ip6 - %u bytes missing!", total - len);
	c->ip.ver = 6;
	cur_copy(cu, 8, c->ip.src, 16);
	cur_copy(cu, 24, c->ip.dst, 16);
	memcpy(c->ip.ckdst, c->ip.dst, 16), c->ip.ckset = 0;
	c->f.ipver = 6;
	c->f.ttl = cur_u8(cu, 7);
	c->f.iplen = total;
	c->f.sport = c->f.dport = c->f.length = -1; /* an inner packet's own */
	struct obuf t = {c->f.src, 0, sizeof(c->f.src)};
	ob_ip6(&t, c->ip.src);
	t.s[t.len] = 0;
	struct obuf u = {c->f.dst, 0, sizeof(c->f.dst)};
	ob_ip6(&u, c->ip.dst);
	u.s[u.len] = 0;
	if (c->o.verbose) {
		uint32_t flow = cur_u32(cu, 0);
		ob_chr(&c->out, '(');
		if (flow & 0x0ff00000)
			ob_fmt(&c->out, "class 0x%02x, ", (flow & 0x0ff00000) >> 20);
		if (flow & 0x000fffff)
			ob_fmt(&c->out, "flowlabel 0x%05x, ", flow & 0x000fffff);
		ob_fmt(&c->out, "hlim %u, next-header %s (%u) payload length: %u) ", cur_u8(cu, 7),
		       ipproto_name(nh), nh, plen);
	}
	struct cursor p = cur_sub(cu, total < len ? total : len);
	cur_skip(&p, 40);
	uint32_t left = total > 40 ? total - 40 : 0;
	c->ip.direct = 1;
	c->ip.frag = 0;
	int hbh = 0;
	for (int first = 1;; first = 0) {
		if (first && nh != 6 && nh != 17 && nh != 132) {
			ob_str(&c->out, c->f.src);
			ob_str(&c->out, " > ");
			ob_str(&c->out, c->f.dst);
			ob_str(&c->out, ": ");
		}
		uint32_t n;
		switch (nh) {
		case 0:
			if (hbh || !first) {
				ob_str(&c->out,
				       hbh ? "[The Hop-by-Hop Options header was already found]"
					   : "[The Hop-by-Hop Options header don't follow "
					     "the IPv6 header]");
				ob_str(&c->out, " (invalid)");
				return;
			}
			hbh = 1;
			/* fall through */
		case 60:
			n = ((uint32_t)cur_u8(&p, 1) + 1) * 8;
			if (!cur_avail(&p, 0, 2)) { /* tcpdump's GET_U_1 unwinds */
				trunc_whole(c, nh ? "dstopt" : "hbhopt");
				return;
			}
			if (!cur_avail(&p, 0, n)) { /* its ND_TCHECK_LEN does not */
				trunc_mark(c, nh ? "dstopt" : "hbhopt");
				return;
			}
			layer(c, nh ? "ip6-dstopt" : "ip6-hbh");
			ob_str(&c->out, nh ? "DSTOPT " : "HBH ");
			if (c->o.verbose && !ip6_options(c, &p, n))
				return;
			break;
		case 43:
			layer(c, "ip6-rt");
			if (!(n = routing(c, &p)))
				return;
			break;
		case 44: {
			layer(c, "ip6-frag");
			c->ip.frag = 1;
			if (!cur_avail(&p, 0, c->o.verbose ? 8 : 4)) {
				trunc_mark(c, "frag6");
				return;
			}
			unsigned off = cur_u16(&p, 2) & 0xfff8;
			/* tcpdump computes this in size_t: it wraps */
			uint64_t fl = (uint64_t)plen - (total - 40 - left) - 8;
			if (c->o.verbose)
				ob_fmt(&c->out, "frag (0x%08x:%u|%llu)", cur_u32(&p, 4), off,
				       (unsigned long long)fl);
			else
				ob_fmt(&c->out, "frag (%u|%llu)", off, (unsigned long long)fl);
			if (off)
				return;
			ob_chr(&c->out, ' ');
			n = 8;
			break;
		}
		case 59:
			layer(c, "ip6-none");
			ob_str(&c->out, "no next header");
			return;
		case 50: print_esp(c, &p, left); return;
		case 51: print_ah(c, &p, left); return;
		default: print_ipproto(c, &p, left, nh); return;
		}
		nh = cur_u8(&p, 0);
		cur_skip(&p, n);
		left = left >= n ? left - n : 0;
		c->ip.direct = 0;
		if (!cur_avail(&p, 0, 1) && left) {
			/* tcpdump stops when nothing after the header was captured */
			return;
		}
	}
}
