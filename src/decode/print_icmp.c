/* print_icmp.c - ICMP (RFC 792) summaries as tcpdump's: echo, unreachable
 * (with the quoted datagram's address and port), time exceeded, redirect,
 * the rest by name. */
#include "priv.h"

static const char *type_name(unsigned t)
{
	switch (t) {
	case 0: return "echo reply";
	case 3: return "dest unreachable";
	case 4: return "source quench";
	case 5: return "redirect";
	case 8: return "echo request";
	case 9: return "router advertisement";
	case 10: return "router solicitation";
	case 11: return "time exceeded";
	case 12: return "parameter problem";
	case 13: return "time stamp request";
	case 14: return "time stamp reply";
	case 15: return "information request";
	case 16: return "information reply";
	case 17: return "address mask request";
	case 18: return "address mask reply";
	default: return NULL;
	}
}

/* The quoted datagram's destination, at AT. */
static void inner_dst(struct decode_ctx *c, struct cursor *cu, uint32_t at)
{
	uint8_t a[4];
	cur_copy(cu, at + 16, a, 4);
	ob_ip4(&c->out, a);
}

static int unreach(struct decode_ctx *c, struct cursor *cu, unsigned code)
{
	if (!cur_avail(cu, 8, 20))
		return 0;
	unsigned hl = (cur_u8(cu, 8) & 15) * 4, p = cur_u8(cu, 17);
	switch (code) {
	case 0:
		ob_str(&c->out, "net ");
		inner_dst(c, cu, 8);
		ob_str(&c->out, " unreachable");
		return 1;
	case 1:
		ob_str(&c->out, "host ");
		inner_dst(c, cu, 8);
		ob_str(&c->out, " unreachable");
		return 1;
	case 2:
		inner_dst(c, cu, 8);
		ob_fmt(&c->out, " protocol %u unreachable", p);
		return 1;
	case 3:
		if (!cur_avail(cu, 8 + hl, 4))
			return 0;
		inner_dst(c, cu, 8);
		if (p == 6)
			ob_fmt(&c->out, " tcp port %u unreachable", cur_u16(cu, 8 + hl + 2));
		else if (p == 17)
			ob_fmt(&c->out, " udp port %u unreachable", cur_u16(cu, 8 + hl + 2));
		else
			ob_fmt(&c->out, " protocol %u port %u unreachable", p,
			       cur_u16(cu, 8 + hl + 2));
		return 1;
	case 4: {
		unsigned mtu = cur_u16(cu, 6);
		inner_dst(c, cu, 8);
		if (mtu)
			ob_fmt(&c->out, " unreachable - need to frag (mtu %u)", mtu);
		else
			ob_str(&c->out, " unreachable - need to frag");
		return 1;
	}
	default: {
		static const char *const why[] = {NULL,
						  NULL,
						  NULL,
						  NULL,
						  NULL,
						  "source route failed",
						  "unknown net",
						  "unknown host",
						  "isolated",
						  "net prohibited",
						  "host prohibited",
						  "tos prohibited",
						  "tos host prohibited",
						  "admin prohibited filter",
						  "host precedence violation",
						  "precedence cutoff"};
		inner_dst(c, cu, 8);
		if (code < 16)
			ob_fmt(&c->out, " unreachable - %s", why[code]);
		else
			ob_fmt(&c->out, " unreachable - #%u", code);
		return 1;
	}
	}
}

void print_icmp(struct decode_ctx *c, struct cursor *cu, uint32_t len)
{
	layer(c, "icmp");
	if (!cur_avail(cu, 0, 2)) {
		ob_str(&c->out, "ICMP");
		trunc_mark(c, "icmp");
		return;
	}
	unsigned type = cur_u8(cu, 0), code = cur_u8(cu, 1);
	c->f.length = len;
	ob_str(&c->out, "ICMP ");
	switch (type) {
	case 0:
	case 8:
		if (!cur_avail(cu, 4, 4))
			goto trunc;
		ob_fmt(&c->out, "echo %s, id %u, seq %u", type ? "request" : "reply",
		       cur_u16(cu, 4), cur_u16(cu, 6));
		break;
	case 3:
		if (!unreach(c, cu, code))
			goto trunc;
		break;
	case 11:
		if (code == 0)
			ob_str(&c->out, "time exceeded in-transit");
		else if (code == 1)
			ob_str(&c->out, "ip reassembly time exceeded");
		else
			ob_fmt(&c->out, "time exceeded-#%u", code);
		break;
	default: {
		const char *n = type_name(type);
		if (n)
			ob_str(&c->out, n);
		else
			ob_fmt(&c->out, "type-#%u", type);
		if (type != 4 && type != 10 && type != 12 && type != 15 && type != 16)
			layer(c, "icmp-other");
		break;
	}
	}
	ob_fmt(&c->out, ", length %u", len);
	if (c->o.verbose)
		layer(c, "icmp-v");
	return;
trunc:
	trunc_mark(c, "icmp");
}
