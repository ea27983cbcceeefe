/* print_udp.c - UDP (RFC 768) and the payload printers tcpdump runs by
 * port: DNS, BOOTP/DHCP, NTP, VXLAN, Geneve; other ports as "UDP, length". */
#include "priv.h"

static void ports_text(struct decode_ctx *c, long sp, long dp)
{
	if (sp < 0)
		ob_fmt(&c->out, "%s > %s: ", c->f.src, c->f.dst);
	else if (c->ip.direct)
		ob_fmt(&c->out, "%s.%ld > %s.%ld: ", c->f.src, sp, c->f.dst, dp);
	else
		ob_fmt(&c->out, "%ld > %ld: ", sp, dp);
}

/* Ports tcpdump has a printer for that we do not (yet). */
static int app_port(unsigned p)
{
	static const unsigned ports[] = {
		69,   111,  137,  138,	161,   162,  177,  319,	 320,	427,  500,  514,  520,
		521,  525,  546,  547,	554,   560,  561,  646,	 654,	698,  750,  88,	  1645,
		1646, 1701, 1812, 1813, 1985,  2123, 2152, 2427, 2727,	3503, 3784, 3785, 4341,
		4342, 4500, 4784, 4790, 5060,  5246, 5247, 5353, 5355,	6343, 6363, 6696, 6697,
		7000, 7001, 7002, 7003, 7004,  7005, 7006, 7007, 7008,	7009, 8472, 9000, 9001,
		3544, 1900, 5632, 8801, 10000, 2055, 9995, 9996, 49152, 8805, 5678, 2000, 1234,
		6633, 6653, 3799, 1024, 443,   5004, 5005, 5555, 9,	2500, 5001, 1985, 3478,
		5359, 2048, 4754, 8000, 3000,  1022, 1067, 1068, 5350,	5351, 2159, 3660, 20000};
	for (size_t i = 0; i < sizeof(ports) / sizeof(ports[0]); i++)
		if (p == ports[i])
			return 1;
	return 0;
}

static void verbose_cksum(struct decode_ctx *c, struct cursor *cu, uint32_t ulen)
{
	unsigned sum = cur_u16(cu, 6);
	if (c->ip.ver == 4 && c->o.verbose < 2)
		return;
	if (c->ip.ver == 4 && sum == 0) {
		ob_str(&c->out, "[no cksum] ");
		return;
	}
	if (!cur_avail(cu, 0, ulen))
		return;
	uint16_t s = cksum_fold(cksum_add(cu, 0, ulen, cksum_pseudo(c, 17, ulen)));
	if (s)
		ob_fmt(&c->out, "[bad udp cksum 0x%04x -> 0x%04x!] ", sum, cksum_shouldbe(sum, s));
	else
		ob_str(&c->out, "[udp sum ok] ");
}

void print_udp(struct decode_ctx *c, struct cursor *cu, uint32_t len)
{
	layer(c, "udp");
	if (!cur_avail(cu, 0, 4)) {
		ports_text(c, -1, -1);
		trunc_mark(c, "udp");
		return;
	}
	unsigned sp = cur_u16(cu, 0), dp = cur_u16(cu, 2);
	c->f.sport = sp;
	c->f.dport = dp;
	if (len < 8) {
		ports_text(c, sp, dp);
		ob_fmt(&c->out, "truncated-udp %u", len);
		return;
	}
	if (!cur_avail(cu, 0, 6)) {
		ports_text(c, sp, dp);
		trunc_mark(c, "udp");
		return;
	}
	uint32_t ulen = cur_u16(cu, 4);
	if (ulen == 0 && len > 65535)
		ulen = len;
	if (ulen < 8) {
		ports_text(c, sp, dp);
		ob_fmt(&c->out, "truncated-udplength %u", ulen);
		return;
	}
	uint32_t plen = len - 8, ul = ulen - 8;
	if (ul < plen)
		plen = ul;
	ports_text(c, sp, dp);
	if (!cur_avail(cu, 0, 8)) {
		trunc_mark(c, "udp");
		return;
	}
	/* a fragment: no checksum; tcpdump sums min(UDP length, IP's) */
	if (c->o.verbose && c->ip.direct >= 0 && !c->ip.frag)
		verbose_cksum(c, cu, plen + 8);
	c->f.length = ul;
	struct cursor p = *cu;
	cur_skip(&p, 8);
	if (!c->o.quiet) {
		if (sp == 53 || dp == 53) {
			print_dns(c, &p, plen, 0);
			return;
		}
		if (sp == 5353 || dp == 5353) {
			print_dns(c, &p, plen, DNS_MDNS);
			return;
		}
		if (sp == 67 || dp == 67 || sp == 68 || dp == 68) {
			print_bootp(c, &p, plen);
			return;
		}
		if (sp == 123 || dp == 123) {
			print_ntp(c, &p, plen);
			return;
		}
		if (sp == 4789 || dp == 4789) {
			print_vxlan(c, &p, plen);
			return;
		}
		if (sp == 6081 || dp == 6081) {
			print_geneve(c, &p, plen);
			return;
		}
		if (app_port(sp) || app_port(dp))
			layer(c, "udp-app");
	}
	if (ul > plen && !c->ip.frag)
		ob_fmt(&c->out, "UDP, bad length %u > %u", ul, len - 8);
	else
		ob_fmt(&c->out, "UDP, length %u", ul);
}
