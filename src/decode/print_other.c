/* print_other.c - small IP protocols: IGMP (RFC 1112/2236/3376).  SCTP,
 * NTP and BOOTP/DHCP have their own files (print_sctp.c, print_ntp.c,
 * print_bootp.c). */
#include "priv.h"

/* tcpdump's relative-time format: 1w2d3h4m5s. */
static void relts(struct decode_ctx *c, uint32_t secs)
{
	static const char *const unit[] = {"y", "w", "d", "h", "m", "s"};
	static const uint32_t size[] = {31536000, 604800, 86400, 3600, 60, 1};
	if (secs == 0) {
		ob_str(&c->out, "0s");
		return;
	}
	for (int i = 0; i < 6; i++)
		if (secs >= size[i]) {
			ob_fmt(&c->out, "%u%s", secs / size[i], unit[i]);
			secs %= size[i];
		}
}

static void igmp_query(struct decode_ctx *c, struct cursor *cu, uint32_t len)
{
	if (len >= 12) {
		unsigned mrc = cur_u8(cu, 1);
		uint32_t mrt = mrc < 128 ? mrc : ((mrc & 0x0f) | 0x10) << (((mrc & 0x70) >> 4) + 3);
		ob_str(&c->out, " v3");
		if (mrc != 100) {
			ob_str(&c->out, " [max resp time ");
			if (mrt < 600)
				ob_fmt(&c->out, "%.1fs", mrt * 0.1);
			else
				relts(c, mrt / 10);
			ob_chr(&c->out, ']');
		}
		if (!cur_u32(cu, 4))
			return;
		ob_str(&c->out, " [gaddr ");
		ip4_at(c, cu, 4);
		unsigned n = cur_u16(cu, 10);
		if (n > 0) {
			if (len < 12 + (n << 2))
				ob_str(&c->out, " [invalid number of sources]");
			else if (c->o.verbose > 1)
				layer(c, "igmp-other");
			else
				ob_fmt(&c->out, ", %u source(s)", n);
		}
		ob_chr(&c->out, ']');
		return;
	}
	unsigned mrt = cur_u8(cu, 1);
	if (mrt) {
		ob_str(&c->out, " v2");
		if (mrt != 100)
			ob_fmt(&c->out, " [max resp time %u]", mrt);
	} else {
		ob_str(&c->out, " v1");
	}
	if (cur_u32(cu, 4)) {
		ob_str(&c->out, " [gaddr ");
		ip4_at(c, cu, 4);
		ob_chr(&c->out, ']');
	}
	if (len != 8)
		ob_fmt(&c->out, " [len %u]", len);
}

void print_igmp(struct decode_ctx *c, struct cursor *cu, uint32_t len)
{
	layer(c, "igmp");
	if (c->o.quiet) { /* tcpdump -q: the protocol's name only */
		ob_str(&c->out, "igmp");
		return;
	}
	if (!cur_avail(cu, 0, 8)) {
		trunc_mark(c, "igmp");
		return;
	}
	unsigned type = cur_u8(cu, 0);
	switch (type) {
	case 0x11:
		ob_str(&c->out, "igmp query");
		igmp_query(c, cu, len);
		break;
	case 0x12:
		ob_str(&c->out, "igmp v1 report ");
		ip4_at(c, cu, 4);
		if (len != 8)
			ob_fmt(&c->out, " [len %u]", len);
		break;
	case 0x16:
		ob_str(&c->out, "igmp v2 report ");
		ip4_at(c, cu, 4);
		break;
	case 0x17:
		ob_str(&c->out, "igmp leave ");
		ip4_at(c, cu, 4);
		break;
	case 0x22:
		ob_str(&c->out, "igmp v3 report");
		if (!igmp_v3_report(c, cu, len)) { /* print_igmp.c */
			trunc_mark(c, "igmp");
			return;
		}
		break;
	default: {
		int r = igmp_more(c, cu, len, type); /* print_igmp.c */
		if (r == 0)
			return;
		if (r > 0)
			break;
		/* DVMRP: not decoded */
		layer(c, "igmp-other");
		ob_fmt(&c->out, "igmp-%u", type);
		return;
	}
	}
	if (c->o.verbose && len >= 4 && cur_avail(cu, 0, len) &&
	    cksum_fold(cksum_add(cu, 0, len, 0)))
		ob_fmt(&c->out, " bad igmp cksum %x!", cur_u16(cu, 2));
}
