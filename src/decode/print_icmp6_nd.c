/* print_icmp6_nd.c - the parts of ICMPv6 tcpdump prints with -v: neighbour
 * discovery options (RFC 4861, 4191, 8106) and MLDv1/MLDv2 (RFC 2710,
 * 3810) as tcpdump 4.99.3's print-icmp6.c. */
#include "priv.h"

static void lifetime(struct decode_ctx *c, uint32_t v)
{
	if (v == 0xffffffffu) {
		ob_str(&c->out, "infinity");
	} else {
		ob_u(&c->out, v);
		ob_chr(&c->out, 's');
	}
}

const char *icmp6_rtpref(unsigned v)
{
	static const char *const n[] = {"medium", "high", "rsv", "low"};
	return n[(v & 0x18) >> 3];
}

/* tcpdump's bittok2str(): the names of the bits set, ", "-separated. */
void ob_bits(struct obuf *b, uint32_t v, const uint32_t *bits, const char *const *names, int n)
{
	int any = 0;
	for (int i = 0; i < n; i++)
		if (v & bits[i]) {
			if (any)
				ob_str(b, ", ");
			ob_str(b, names[i]);
			any = 1;
		}
	if (!any)
		ob_str(b, "none");
}

static const char *opt_name(unsigned t)
{
	switch (t) {
	case 1: return "source link-address";
	case 2: return "destination link-address";
	case 3: return "prefix info";
	case 4: return "redirected header";
	case 5: return "mtu";
	case 7: return "advertisement interval";
	case 8: return "homeagent information";
	case 24: return "route info";
	case 25: return "rdnss";
	case 31: return "dnssl";
	default: return "unknown";
	}
}

/* A domain name in DNS label form (no compression); 0 when truncated. */
static int fqdn(struct decode_ctx *c, struct cursor *cu, uint32_t *at, uint32_t end)
{
	for (;;) {
		if (*at >= end || !cur_avail(cu, *at, 1))
			return 0;
		unsigned l = cur_u8(cu, *at);
		(*at)++;
		if (l == 0)
			return 1;
		if (l > 63 || !cur_avail(cu, *at, l))
			return 0;
		for (unsigned i = 0; i < l; i++) {
			uint8_t ch = cur_u8(cu, *at + i);
			ob_safe(&c->out, &ch, 1);
		}
		ob_chr(&c->out, '.');
		*at += l;
	}
}

/* One option's body (after "...: "); 0 when truncated; -1 to stop. */
static int opt_body(struct decode_ctx *c, struct cursor *cu, uint32_t at, unsigned type, unsigned n)
{
	uint32_t sz = n * 8;
	switch (type) {
	case 1:
	case 2:
		for (uint32_t i = 2; i < sz; i++) {
			if (i > 2)
				ob_chr(&c->out, ':');
			ob_hex(&c->out, cur_u8(cu, at + i), 2);
		}
		return 1;
	case 3: {
		static const uint32_t bits[] = {0x80, 0x40, 0x20};
		static const char *const names[] = {"onlink", "auto", "router"};
		if (!cur_avail(cu, at, 32))
			return 0;
		ip6_at(c, cu, at + 16);
		ob_fmt(&c->out, "/%u%s, Flags [", cur_u8(cu, at + 2), n != 4 ? "badlen" : "");
		ob_bits(&c->out, cur_u8(cu, at + 3), bits, names, 3);
		ob_str(&c->out, "], valid time ");
		lifetime(c, cur_u32(cu, at + 4));
		ob_str(&c->out, ", pref. time ");
		lifetime(c, cur_u32(cu, at + 8));
		return 1;
	}
	case 4: return 2; /* tcpdump dumps the option from the options' start */
	case 5:
		if (!cur_avail(cu, at, 8))
			return 0;
		ob_fmt(&c->out, " %u%s", cur_u32(cu, at + 4), n != 1 ? "bad option length" : "");
		return 1;
	case 25:
		if (!cur_avail(cu, at, 8))
			return 0;
		ob_fmt(&c->out, " lifetime %us,", cur_u32(cu, at + 4));
		for (uint32_t i = 0; i < (n - 1) / 2; i++) {
			if (!cur_avail(cu, at + 8 + i * 16, 16))
				return 0;
			ob_str(&c->out, " addr: ");
			ip6_at(c, cu, at + 8 + i * 16);
		}
		return 1;
	case 31: {
		if (!cur_avail(cu, at, 8))
			return 0;
		ob_fmt(&c->out, " lifetime %us, domain(s):", cur_u32(cu, at + 4));
		uint32_t d = at + 8;
		while (d < at + sz && cur_u8(cu, d) != 0) {
			ob_chr(&c->out, ' ');
			if (!fqdn(c, cu, &d, at + sz))
				return 0;
		}
		return 1;
	}
	case 7:
		if (!cur_avail(cu, at, 8))
			return 0;
		ob_fmt(&c->out, " %ums", cur_u32(cu, at + 4));
		return 1;
	case 8:
		if (!cur_avail(cu, at, 8))
			return 0;
		ob_fmt(&c->out, " preference %u, lifetime %u", cur_u16(cu, at + 4),
		       cur_u16(cu, at + 6));
		return 1;
	case 24: {
		uint8_t a[16] = {0};
		if (!cur_avail(cu, at, 8) || n > 3)
			return 0;
		if (n > 1 && !cur_copy(cu, at + 8, a, n == 2 ? 8 : 16))
			return 0;
		ob_chr(&c->out, ' ');
		ob_ip6(&c->out, a);
		ob_fmt(&c->out, "/%u, pref=%s, lifetime=", cur_u8(cu, at + 2),
		       icmp6_rtpref(cur_u8(cu, at + 3)));
		lifetime(c, cur_u32(cu, at + 4));
		return 1;
	}
	default: return c->o.verbose <= 1 ? -1 : 1;
	}
}

/* The options from AT of CU, RESID bytes (tcpdump's icmp6_opt_print());
 * 0 when truncated. */
int icmp6_nd_opts(struct decode_ctx *c, struct cursor *cu, uint32_t at, int32_t resid)
{
	uint32_t start = at;
	while (at < cur_left(cu)) {
		if (!cur_avail(cu, at, 2))
			return 0;
		if (resid <= 0)
			return 1;
		unsigned type = cur_u8(cu, at), n = cur_u8(cu, at + 1);
		if (n == 0 || !cur_avail(cu, at, n * 8))
			return 0;
		ob_fmt(&c->out, "\n\t  %s option (%u), length %u (%u): ", opt_name(type), type,
		       n * 8, n);
		int r = opt_body(c, cu, at, type, n);
		struct cursor d = *cu;
		if (r == 0)
			return 0;
		if (r == 2) {
			cur_skip(&d, start);
			d = cur_sub(&d, n * 8);
			print_hex_ident(c, &d, "\n\t    ", 0);
		}
		if (r < 0 || c->o.verbose > 1) {
			d = *cu;
			cur_skip(&d, at + 2);
			d = cur_sub(&d, n * 8 - 2);
			print_hex_ident(c, &d, r < 0 ? "\n\t  " : "\n\t    ", 0);
			if (r < 0)
				return 1;
		}
		at += n * 8;
		resid -= (int32_t)(n * 8);
	}
	return 1;
}

void icmp6_mld(struct decode_ctx *c, struct cursor *cu)
{
	if (!cur_avail(cu, 0, 24))
		return;
	ob_fmt(&c->out, "max resp delay: %u addr: ", cur_u16(cu, 4));
	ip6_at(c, cu, 8);
}

/* 0 when truncated. */
int icmp6_mld2_report(struct decode_ctx *c, struct cursor *cu, uint32_t len)
{
	if (len < 8) {
		ob_fmt(&c->out, " [invalid len %u]", len);
		return 1;
	}
	if (!cur_avail(cu, 6, 2))
		return 0;
	return group_records(c, cu, len, cur_u16(cu, 6), 16, "v2");
}

static unsigned mant_exp(unsigned v, unsigned big, unsigned mmask, unsigned emask, unsigned es)
{
	if (v < big)
		return v;
	return ((v & mmask) | (mmask + 1)) << (((v & emask) >> es) + 3);
}

/* 0 when truncated. */
int icmp6_mld2_query(struct decode_ctx *c, struct cursor *cu, uint32_t len)
{
	if (len < 28) {
		ob_fmt(&c->out, " [invalid len %u]", len);
		return 1;
	}
	if (!cur_avail(cu, 0, 28))
		return 0;
	if (c->o.verbose)
		ob_fmt(&c->out, " [max resp delay=%u]",
		       mant_exp(cur_u16(cu, 4), 32768, 0x0fff, 0x7000, 12));
	ob_str(&c->out, " [gaddr ");
	ip6_at(c, cu, 8);
	if (c->o.verbose) {
		unsigned f = cur_u8(cu, 24);
		if (f & 8)
			ob_str(&c->out, " sflag");
		if (f & 7)
			ob_fmt(&c->out, " robustness=%u", f & 7);
		ob_fmt(&c->out, " qqi=%u", mant_exp(cur_u8(cu, 25), 128, 0x0f, 0x70, 4));
	}
	unsigned ns = cur_u16(cu, 26);
	if (ns > 0) {
		if (len < 28 + ns * 16) {
			ob_str(&c->out, " [invalid number of sources]");
		} else if (c->o.verbose > 1) {
			ob_str(&c->out, " {");
			for (unsigned i = 0; i < ns; i++) {
				if (!cur_avail(cu, 28 + i * 16, 16))
					return 0;
				ob_chr(&c->out, ' ');
				ip6_at(c, cu, 28 + i * 16);
			}
			ob_str(&c->out, " }");
		} else {
			ob_fmt(&c->out, ", %u source(s)", ns);
		}
	}
	ob_chr(&c->out, ']');
	return 1;
}
