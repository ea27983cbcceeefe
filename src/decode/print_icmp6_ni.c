/* print_icmp6_ni.c - ICMPv6 node information queries and replies
 * (RFC 4620, with KAME's who-are-you), as tcpdump 4.99.3's
 * icmp6_nodeinfo_print(). */
#include "priv.h"

static void ch(struct decode_ctx *c, struct cursor *cu, uint32_t at)
{
	uint8_t b = cur_u8(cu, at);
	ob_safe(&c->out, &b, 1);
}

/* tcpdump's dnsname_print(): labels from AT to the end, no compression. */
static void dnsname(struct decode_ctx *c, struct cursor *cu, uint32_t at)
{
	uint32_t end = cur_left(cu);
	ob_str(&c->out, ", \"");
	while (at < end) {
		unsigned i = cur_u8(cu, at++);
		if (i) {
			if (i > end - at) {
				ob_str(&c->out, "???");
				break;
			}
			while (i-- && at < end)
				ch(c, cu, at++);
			if (at + 1 < end && cur_u8(cu, at))
				ob_chr(&c->out, '.');
		} else {
			if (at == end)
				ob_chr(&c->out, '.');
			else if (!(at + 1 == end && cur_u8(cu, at) == 0))
				ob_str(&c->out, "???");
			break;
		}
	}
	ob_chr(&c->out, '"');
}

/* A name as an icmp-name-lookup-03 Pascal string, or as labels. */
static void name_at(struct decode_ctx *c, struct cursor *cu, uint32_t at)
{
	uint32_t end = cur_left(cu);
	if (at < end && cur_u8(cu, at) == end - at - 1) {
		if (c->o.verbose)
			ob_str(&c->out, ", 03 draft");
		ob_str(&c->out, ", \"");
		for (at++; at < end; at++)
			ch(c, cu, at);
		ob_chr(&c->out, '"');
	} else {
		dnsname(c, cu, at);
	}
}

static void addr_flags(struct decode_ctx *c, unsigned i, int reply)
{
	ob_fmt(&c->out, " [%s%s%s%s%s%s%s]", (i & 0x40) ? "a" : "", (i & 0x20) ? "G" : "",
	       (i & 0x10) ? "S" : "", (i & 8) ? "L" : "", (i & 4) ? "C" : "", (i & 2) ? "A" : "",
	       reply && (i & 1) ? "T" : "");
}

static void qtype_simple(struct decode_ctx *c, struct cursor *cu, unsigned qt)
{
	if (qt == 0) {
		ob_str(&c->out, "noop");
	} else {
		ob_str(&c->out, "supported qtypes");
		if (cur_u16(cu, 6))
			ob_fmt(&c->out, " [%s]", (cur_u16(cu, 6) & 1) ? "C" : "");
	}
}

static int query(struct decode_ctx *c, struct cursor *cu)
{
	uint32_t siz = cur_left(cu);
	if (siz == 12) {
		ob_str(&c->out, " who-are-you request");
		return 1;
	}
	ob_str(&c->out, " node information query");
	if (!cur_avail(cu, 0, 16))
		return 0;
	unsigned qt = cur_u16(cu, 4), fl = cur_u16(cu, 6);
	ob_str(&c->out, " (");
	if (qt <= 1)
		qtype_simple(c, cu, qt);
	else if (qt == 2)
		ob_str(&c->out, "DNS name");
	else if (qt == 3) {
		ob_str(&c->out, "node addresses");
		if (fl)
			addr_flags(c, fl, 0);
	} else
		ob_str(&c->out, "unknown");
	if (qt <= 1) {
		if (siz != 16 && c->o.verbose)
			ob_str(&c->out, ", invalid len");
	} else if (siz == 16) {
		ob_str(&c->out, ", 03 draft");
	} else {
		unsigned code = cur_u8(cu, 1);
		uint32_t alen = code == 0 ? 16 : 4;
		if (code == 0 || code == 2) {
			if (cur_avail(cu, 0, 16 + alen)) {
				if (siz != 16 + alen) {
					if (c->o.verbose)
						ob_str(&c->out, ", invalid subject len");
				} else {
					uint8_t a[16];
					cur_copy(cu, 16, a, alen);
					ob_str(&c->out, ", subject=");
					if (code == 0)
						ob_ip6(&c->out, a);
					else
						ob_ip4(&c->out, a);
				}
			}
		} else if (code == 1) {
			ob_str(&c->out, ", subject=DNS name");
			name_at(c, cu, 16);
		} else {
			ob_str(&c->out, ", unknown subject");
		}
	}
	ob_chr(&c->out, ')');
	return 1;
}

static int reply(struct decode_ctx *c, struct cursor *cu, uint32_t len)
{
	uint32_t siz = cur_left(cu);
	if (len > siz || !cur_avail(cu, 0, 16))
		return 0;
	unsigned code = cur_u8(cu, 1), qt = cur_u16(cu, 4), fl = cur_u16(cu, 6);
	int comma = 0;
	ob_str(&c->out, " node information reply (");
	if (code == 0 && c->o.verbose) {
		ob_str(&c->out, "success");
		comma = 1;
	} else if (code == 1 || code == 2) {
		ob_str(&c->out, code == 1 ? "refused" : "unknown");
		comma = 1;
		if (siz != 16 && c->o.verbose)
			ob_str(&c->out, ", invalid length");
	}
	if (code != 0) {
		ob_chr(&c->out, ')');
		return 1;
	}
	if (comma)
		ob_str(&c->out, ", ");
	switch (qt) {
	case 0:
	case 1:
		qtype_simple(c, cu, qt);
		if (qt == 0 && siz != 16 && c->o.verbose)
			ob_str(&c->out, ", invalid length");
		break;
	case 2:
		ob_str(&c->out, "DNS name");
		name_at(c, cu, 20);
		if (fl & 1)
			ob_fmt(&c->out, " [TTL=%u]", cur_u32(cu, 16));
		break;
	case 3:
		ob_str(&c->out, "node addresses");
		for (uint32_t i = 16; i + 20 <= siz; i += 20) {
			uint8_t a[16];
			cur_copy(cu, i + 4, a, 16);
			ob_chr(&c->out, ' ');
			ob_ip6(&c->out, a);
			ob_fmt(&c->out, "(%u)", cur_u32(cu, i));
		}
		if (fl)
			addr_flags(c, fl, 1);
		break;
	default: ob_str(&c->out, "unknown"); break;
	}
	ob_chr(&c->out, ')');
	return 1;
}

/* CU holds the message (its captured part); 0 when truncated. */
int icmp6_nodeinfo(struct decode_ctx *c, struct cursor *cu, uint32_t len)
{
	return cur_u8(cu, 0) == 139 ? query(c, cu) : reply(c, cu, len);
}
