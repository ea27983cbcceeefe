/* print_icmp6.c - ICMPv6 (RFC 4443) with neighbour discovery (RFC 4861)
 * and MLD (RFC 2710, RFC 3810) summaries as tcpdump's. */
#include "priv.h"

static const char *type_name(unsigned t)
{
	switch (t) {
	case 1: return "destination unreachable";
	case 2: return "packet too big";
	case 3: return "time exceeded";
	case 4: return "parameter problem";
	case 128: return "echo request";
	case 129: return "echo reply";
	case 130: return "multicast listener query";
	case 131: return "multicast listener report";
	case 132: return "multicast listener done";
	case 133: return "router solicitation";
	case 134: return "router advertisement";
	case 135: return "neighbor solicitation";
	case 136: return "neighbor advertisement";
	case 137: return "redirect";
	case 138: return "router renumbering";
	case 139: return "who-are-you request";
	case 140: return "who-are-you reply";
	case 141: return "inverse neighbor solicitation";
	case 142: return "inverse neighbor advertisement";
	case 143: return "multicast listener report v2";
	case 144: return "ha discovery request";
	case 145: return "ha discovery reply";
	case 146: return "mobile router solicitation";
	case 147: return "mobile router advertisement";
	case 151: return "multicast router advertisement";
	case 152: return "multicast router solicitation";
	case 153: return "multicast router termination";
	case 155: return "RPL";
	default: return NULL;
	}
}

static void addr_at(struct decode_ctx *c, struct cursor *cu, uint32_t at)
{
	uint8_t a[16];
	cur_copy(cu, at, a, 16);
	ob_ip6(&c->out, a);
}

void print_icmp6(struct decode_ctx *c, struct cursor *cu, uint32_t len)
{
	layer(c, "icmp6");
	if (!cur_avail(cu, 0, 1)) {
		ob_str(&c->out, "ICMP6");
		trunc_mark(c, "icmp6");
		return;
	}
	unsigned type = cur_u8(cu, 0);
	const char *n = type_name(type);
	c->f.length = len;
	if (n)
		ob_fmt(&c->out, "ICMP6, %s", n);
	else
		ob_fmt(&c->out, "ICMP6, unknown icmp6 type (%u)", type);
	if (c->o.verbose)
		layer(c, "icmp6-v");
	switch (type) {
	case 128:
	case 129:
		if (!cur_avail(cu, 4, 4))
			goto trunc;
		ob_fmt(&c->out, ", id %u, seq %u", cur_u16(cu, 4), cur_u16(cu, 6));
		break;
	case 135:
		if (!cur_avail(cu, 8, 16))
			goto trunc;
		ob_str(&c->out, ", who has ");
		addr_at(c, cu, 8);
		break;
	case 136:
		if (!cur_avail(cu, 8, 16))
			goto trunc;
		ob_str(&c->out, ", tgt is ");
		addr_at(c, cu, 8);
		break;
	case 133:
	case 134: break;
	case 130:
	case 131:
	case 132:
		if (type == 130 && len >= 28) {
			if (!cur_avail(cu, 8, 20))
				goto trunc;
			ob_str(&c->out, " v2 [gaddr ");
			addr_at(c, cu, 8);
			if (c->o.verbose)
				ob_fmt(&c->out, " %u source(s)", cur_u16(cu, 26));
			ob_chr(&c->out, ']');
			break;
		}
		if (!cur_avail(cu, 4, 20))
			goto trunc;
		ob_fmt(&c->out, "max resp delay: %u addr: ", cur_u16(cu, 4));
		addr_at(c, cu, 8);
		break;
	case 143:
		if (!cur_avail(cu, 6, 2))
			goto trunc;
		ob_fmt(&c->out, ", %u group record(s)", cur_u16(cu, 6));
		break;
	case 2:
		if (!cur_avail(cu, 4, 4))
			goto trunc;
		ob_fmt(&c->out, ", mtu %u", cur_u32(cu, 4));
		layer(c, "icmp6-err");
		break;
	default: layer(c, "icmp6-other"); break;
	}
	ob_fmt(&c->out, ", length %u", len);
	return;
trunc:
	trunc_mark(c, "icmp6");
}
