/* print_other.c - small IP protocols: IGMP (RFC 1112/2236/3376), SCTP
 * (RFC 9260, chunk list), NTP (RFC 5905, summary), BOOTP/DHCP (RFC 951,
 * RFC 2131, summary). */
#include "priv.h"

void print_igmp(struct decode_ctx *c, struct cursor *cu, uint32_t len)
{
	layer(c, "igmp");
	(void)len;
	if (!cur_avail(cu, 0, 8)) {
		trunc_mark(c, "igmp");
		return;
	}
	layer(c, "igmp-other");
	ob_fmt(&c->out, "igmp type 0x%02x", cur_u8(cu, 0));
}

void print_sctp(struct decode_ctx *c, struct cursor *cu, uint32_t len)
{
	layer(c, "sctp");
	(void)len;
	if (!cur_avail(cu, 0, 12)) {
		trunc_mark(c, "sctp");
		return;
	}
	unsigned sp = cur_u16(cu, 0), dp = cur_u16(cu, 2);
	c->f.sport = sp;
	c->f.dport = dp;
	if (c->ip.direct)
		ob_fmt(&c->out, "%s.%u > %s.%u: sctp", c->f.src, sp, c->f.dst, dp);
	else
		ob_fmt(&c->out, "%u > %u: sctp", sp, dp);
	layer(c, "sctp-other");
}

void print_ntp(struct decode_ctx *c, struct cursor *cu, uint32_t len)
{
	layer(c, "ntp");
	if (!cur_avail(cu, 0, 1)) {
		ob_str(&c->out, "NTP");
		trunc_mark(c, "ntp");
		return;
	}
	static const char *const modes[] = {
		"Reserved", "Symmetric Active", "Symmetric Passive", "Client",
		"Server",   "Broadcast",	"Control Message",   "Reserved"};
	unsigned b = cur_u8(cu, 0), v = (b >> 3) & 7, m = b & 7;
	if (m == 6 || m == 7)
		layer(c, "ntp-other");
	ob_fmt(&c->out, "NTPv%u, %s, length %u", v, modes[m], len);
	if (c->o.verbose)
		layer(c, "ntp-v");
}

void print_bootp(struct decode_ctx *c, struct cursor *cu, uint32_t len)
{
	layer(c, "bootp");
	if (!cur_avail(cu, 0, 1)) {
		ob_str(&c->out, "BOOTP/DHCP");
		trunc_mark(c, "bootp");
		return;
	}
	unsigned op = cur_u8(cu, 0);
	ob_fmt(&c->out, "BOOTP/DHCP, %s", op == 1 ? "Request" : op == 2 ? "Reply" : "unknown");
	if (op == 1 && cur_avail(cu, 28, 6) && cur_u8(cu, 1) == 1 && cur_u8(cu, 2) == 6) {
		uint8_t a[6];
		cur_copy(cu, 28, a, 6);
		ob_str(&c->out, " from ");
		ob_mac(&c->out, a);
	}
	ob_fmt(&c->out, ", length %u", len);
	if (c->o.verbose)
		layer(c, "bootp-v");
}
