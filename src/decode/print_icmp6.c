/* print_icmp6.c - ICMPv6 (RFC 4443) with neighbour discovery (RFC 4861)
 * and MLD (RFC 2710, RFC 3810) summaries as tcpdump's. */
#include "priv.h"

static const char *type_name(unsigned t)
{
	switch (t) {
	case 1: return "destination unreachable";
	case 2: return "packet too big";
	case 3: return "time exceeded in-transit";
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
	case 200: return "mtrace response";
	case 201: return "mtrace message";
	case 155: return "RPL";
	default: return NULL;
	}
}

/* The quoted datagram's transport protocol and the offset of its ports
 * (tcpdump's get_upperlayer()); 0 when not found. */
static uint32_t upper(struct cursor *cu, uint32_t at, unsigned *prot)
{
	if (!cur_avail(cu, at + 6, 1))
		return 0;
	unsigned nh = cur_u8(cu, at + 6);
	uint32_t hl = 40;
	for (;;) {
		at += hl;
		if (at >= cur_left(cu))
			return 0;
		switch (nh) {
		case 6:
		case 17: *prot = nh; return cur_avail(cu, at + 2, 2) ? at : 0;
		case 0:
		case 60:
		case 43:
			if (!cur_avail(cu, at, 2))
				return 0;
			nh = cur_u8(cu, at);
			hl = ((uint32_t)cur_u8(cu, at + 1) + 1) << 3;
			break;
		case 44:
			if (!cur_avail(cu, at, 4) || (cur_u16(cu, at + 2) & 0xfff8))
				return 0;
			nh = cur_u8(cu, at);
			hl = 8;
			break;
		case 51:
			if (!cur_avail(cu, at, 2))
				return 0;
			nh = cur_u8(cu, at);
			hl = ((uint32_t)cur_u8(cu, at + 1) + 2) << 2;
			break;
		default: *prot = nh; return 0;
		}
	}
}

/* Destination unreachable's text; 0 when truncated, -1 when tcpdump dumps
 * the message instead. */
static int unreach(struct decode_ctx *c, struct cursor *cu, unsigned code)
{
	static const char *const what[] = {"unreachable route", " unreachable prohibited",
					   "beyond scope", "unreachable address",
					   "unreachable port"};
	if (code < 5)
		ob_fmt(&c->out, ", %s", what[code]);
	else
		ob_fmt(&c->out, ", unknown unreach code (%u)", code);
	switch (code) {
	case 0:
	case 1:
	case 3:
		if (!cur_avail(cu, 32, 16))
			return 0;
		ob_chr(&c->out, ' ');
		ip6_at(c, cu, 32);
		return 1;
	case 2:
		if (!cur_avail(cu, 16, 32))
			return 0;
		ob_chr(&c->out, ' ');
		ip6_at(c, cu, 32);
		ob_str(&c->out, ", source address ");
		ip6_at(c, cu, 16);
		return 1;
	case 4: {
		unsigned prot = 0;
		uint32_t u = upper(cu, 8, &prot);
		if (!u || !cur_avail(cu, 32, 16))
			return 0;
		ob_str(&c->out, ", ");
		ip6_at(c, cu, 32);
		if (prot == 6 || prot == 17)
			ob_fmt(&c->out, " %s port %u", prot == 6 ? "tcp" : "udp",
			       cur_u16(cu, u + 2));
		else
			ob_fmt(&c->out, " protocol %u port %u unreachable", prot,
			       cur_u16(cu, u + 2));
		return 1;
	}
	default: return c->o.verbose <= 1 ? -1 : 1;
	}
}

static int param_prob(struct decode_ctx *c, struct cursor *cu, unsigned code)
{
	static const char *const what[] = {"erroneous", "next header", "option",
					   "incomplete header chain"};
	if (!cur_avail(cu, 32, 16))
		return 0;
	if (code < 4)
		ob_fmt(&c->out, ", %s - octet %u", what[code], cur_u32(cu, 4));
	else
		ob_fmt(&c->out, ", code-#%u", code);
	return 1;
}

static int router_adv(struct decode_ctx *c, struct cursor *cu, uint32_t len)
{
	static const uint32_t bits[] = {0x80, 0x40, 0x20, 0x02};
	static const char *const names[] = {"managed", "other stateful", "home agent", "ipv6 only"};
	if (!cur_avail(cu, 0, 16))
		return 0;
	unsigned fl = cur_u8(cu, 5);
	ob_fmt(&c->out, "\n\thop limit %u, Flags [", cur_u8(cu, 4));
	ob_bits(&c->out, fl, bits, names, 4);
	ob_fmt(&c->out, "], pref %s, router lifetime %us, reachable time %ums, retrans timer %ums",
	       icmp6_rtpref(fl), cur_u16(cu, 6), cur_u32(cu, 8), cur_u32(cu, 12));
	return icmp6_nd_opts(c, cu, 16, (int32_t)len - 16);
}

/* The text after "ICMP6, NAME"; 0 when truncated, -1 when done (the
 * length and any dump printed). */
static int body(struct decode_ctx *c, struct cursor *cu, uint32_t len, unsigned type, unsigned code)
{
	int v = c->o.verbose;
	switch (type) {
	case 1: return unreach(c, cu, code);
	case 2:
		if (!cur_avail(cu, 4, 4))
			return 0;
		ob_fmt(&c->out, ", mtu %u", cur_u32(cu, 4));
		layer(c, "icmp6-err");
		return 1;
	case 3:
		if (code == 0) {
			if (!cur_avail(cu, 32, 16))
				return 0;
			ob_str(&c->out, " for ");
			ip6_at(c, cu, 32);
		} else if (code == 1) {
			ob_str(&c->out, " (reassembly)");
		} else {
			ob_fmt(&c->out, ", unknown code (%u)", code);
		}
		return 1;
	case 4: return param_prob(c, cu, code);
	case 128:
	case 129:
		if (!cur_avail(cu, 4, 4))
			return 0;
		ob_fmt(&c->out, ", id %u, seq %u", cur_u16(cu, 4), cur_u16(cu, 6));
		return 1;
	case 130:
		if (len == 24)
			icmp6_mld(c, cu);
		else if (len >= 28)
			return ob_str(&c->out, " v2"), icmp6_mld2_query(c, cu, len);
		else
			ob_fmt(&c->out, " unknown-version (len %u) ", len);
		return 1;
	case 131:
	case 132: icmp6_mld(c, cu); return 1;
	case 133: return v ? icmp6_nd_opts(c, cu, 8, (int32_t)len - 8) : 1;
	case 134: return v ? router_adv(c, cu, len) : 1;
	case 135:
	case 136: {
		static const uint32_t bits[] = {0x80000000u, 0x40000000u, 0x20000000u};
		static const char *const names[] = {"router", "solicited", "override"};
		if (!cur_avail(cu, 8, 16))
			return 0;
		ob_str(&c->out, type == 135 ? ", who has " : ", tgt is ");
		ip6_at(c, cu, 8);
		if (!v)
			return 1;
		if (type == 136) {
			ob_str(&c->out, ", Flags [");
			ob_bits(&c->out, cur_u32(cu, 4), bits, names, 3);
			ob_chr(&c->out, ']');
		}
		return icmp6_nd_opts(c, cu, 24, (int32_t)len - 24);
	}
	case 137:
		if (!cur_avail(cu, 8, 32))
			return 0;
		ob_str(&c->out, ", ");
		ip6_at(c, cu, 24);
		ob_str(&c->out, " to ");
		ip6_at(c, cu, 8);
		return v ? icmp6_nd_opts(c, cu, 40, (int32_t)len - 40) : 1;
	case 138: /* router renumbering: not decoded */ layer(c, "icmp6-other"); return 1;
	case 139:
	case 140: return icmp6_nodeinfo(c, cu, len); /* print_icmp6_ni.c */
	case 141:
	case 142: return 1;
	case 143: return icmp6_mld2_report(c, cu, len);
	case 144:
	case 146:
		if (!cur_avail(cu, 4, 2))
			return 0;
		ob_fmt(&c->out, ", id 0x%04x", cur_u16(cu, 4));
		return 1;
	default:
		layer(c, "icmp6-other");
		ob_fmt(&c->out, ", length %u", len);
		if (v <= 1)
			print_hex_ident(c, cu, "\n\t", 0);
		return -1;
	}
}

void print_icmp6(struct decode_ctx *c, struct cursor *cu, uint32_t len)
{
	layer(c, "icmp6");
	c->f.length = len;
	if (len == 0) {
		ob_str(&c->out, "ICMP6, length 0 (invalid)");
		return;
	}
	if (c->o.verbose) {
		layer(c, "icmp6-v");
		if (!c->ip.frag && cur_avail(cu, 0, len)) {
			uint16_t s = cksum_fold(cksum_add(cu, 0, len, cksum_pseudo(c, 58, len)));
			unsigned sum = cur_u16(cu, 2);
			if (s)
				ob_fmt(&c->out, "[bad icmp6 cksum 0x%04x -> 0x%04x!] ", sum,
				       cksum_shouldbe(sum, s));
			else
				ob_str(&c->out, "[icmp6 sum ok] ");
		}
	}
	if (!cur_avail(cu, 0, 2)) {
		trunc_whole(c, "icmp6");
		return;
	}
	unsigned type = cur_u8(cu, 0), code = cur_u8(cu, 1);
	const char *n = type_name(type);
	if (n)
		ob_fmt(&c->out, "ICMP6, %s", n);
	else
		ob_fmt(&c->out, "ICMP6, unknown icmp6 type (%u)", type);
	if (c->o.verbose && ((type >= 133 && type <= 137) || type == 145 || type == 147))
		ob_fmt(&c->out, ", length %u", len);
	struct cursor m = cur_sub(cu, len);
	int r = body(c, &m, len, type, code);
	if (r == 0) {
		trunc_mark(c, "icmp6");
		return;
	}
	if (r < 0) {
		if (type == 1) {
			layer(c, "icmp6-other");
			print_hex_ident(c, &m, "\n\t", 0);
		}
		return;
	}
	if (!c->o.verbose)
		ob_fmt(&c->out, ", length %u", len);
}
