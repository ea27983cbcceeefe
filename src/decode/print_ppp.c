/* print_ppp.c - the PPP control protocols' packets with -v, as tcpdump
 * 4.99's handle_ctrl_proto: the encoded length, then by code the LCP,
 * IPCP, IP6CP and CCP configuration options, magic numbers, rejected
 * protocols, trailing data.  BACP options are not decoded.
 * print_tunnel.c prints the line before (protocol, code, id, length). */
#include <setjmp.h>

#include "priv.h"

/* print_unknown_data: hex lines after PREFIX, clipped to the capture. */
static void hex(struct jread *p, uint32_t at, uint32_t n, const char *prefix)
{
	for (uint32_t i = 0; i < n && cur_avail(p->cu, at + i, 1); i++) {
		if (i % 16 == 0)
			ob_fmt(&p->c->out, "%s0x%04x: ", prefix, i);
		ob_fmt(&p->c->out, i % 2 ? "%02x" : " %02x", cur_u8(p->cu, at + i));
	}
}

const char *ppp_proto_name(unsigned proto)
{
	static const struct {
		unsigned v;
		const char *s;
	} t[] = {{0x0021, "IP"},     {0x0023, "OSI"},	     {0x0025, "NS"},
		 {0x0027, "DECNET"}, {0x0029, "APPLE"},	     {0x002b, "IPX"},
		 {0x002d, "VJC IP"}, {0x002f, "VJNC IP"},    {0x0031, "BRPDU"},
		 {0x0033, "STII"},   {0x0035, "VINES"},	     {0x0281, "MPLS"},
		 {0x0283, "MPLS"},   {0x00fd, "Compressed"}, {0x003d, "MLPPP"},
		 {0x0057, "IP6"},    {0x0201, "HELLO"},	     {0x0231, "LUXCOM"},
		 {0x0233, "SNS"},    {0x8021, "IPCP"},	     {0x8023, "OSICP"},
		 {0x8025, "NSCP"},   {0x8027, "DECNETCP"},   {0x8029, "APPLECP"},
		 {0x802b, "IPXCP"},  {0x8033, "STIICP"},     {0x8035, "VINESCP"},
		 {0x8057, "IP6CP"},  {0x8281, "MPLSCP"},     {0xc021, "LCP"},
		 {0xc023, "PAP"},    {0xc025, "LQM"},	     {0xc223, "CHAP"},
		 {0xc227, "EAP"},    {0xc027, "SPAP"},	     {0xc123, "Old-SPAP"},
		 {0xc02b, "BACP"},   {0xc02d, "BAP"},	     {0xc03d, "MLPPP-CP"},
		 {0x80fd, "CCP"}};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].v == proto)
			return t[i].s;
	return NULL;
}

static const char *const lcp_opts[] = {"Vend-Ext",
				       "MRU",
				       "ACCM",
				       "Auth-Prot",
				       "Qual-Prot",
				       "Magic-Num",
				       "deprecated(6)",
				       "PFC",
				       "ACFC",
				       "FCS-Alt",
				       "SDP",
				       "Num-Mode",
				       "deprecated(12)",
				       "Call-Back",
				       "deprecated(14)",
				       "deprecated(15)",
				       "deprecated(16)",
				       "MRRU",
				       "12-Bit seq #",
				       "End-Disc",
				       "Proprietary",
				       "DCE-Id",
				       "MP+",
				       "Link-Disc",
				       "LCP-Auth-Opt",
				       "COBS",
				       "Prefix-elision",
				       "Multilink-header-Form",
				       "I18N",
				       "SDL-over-SONET/SDH",
				       "PPP-Muxing"};

/* " (length bogus, should be OP N)"; returns RET. */
static uint32_t bogus(struct jread *p, const char *op, unsigned n, uint32_t ret)
{
	ob_fmt(&p->c->out, " (length bogus, should be %s %u)", op, n);
	return ret;
}

static uint32_t lcp_opt(struct jread *p, uint32_t at, uint32_t length)
{
	struct obuf *o = &p->c->out;
	if (length < 2)
		return 0;
	if (!cur_avail(p->cu, at, 2)) {
		trunc_mark(p->c, "lcp");
		return 0;
	}
	unsigned opt = jr_u8(p, at), len = jr_u8(p, at + 1);
	if (length < len)
		return 0;
	if (opt >= sizeof(lcp_opts) / sizeof(lcp_opts[0])) {
		ob_fmt(o, "\n\tunknown LCP option 0x%02x", opt);
		return len < 2 ? 0 : len;
	}
	ob_fmt(o, "\n\t  %s Option (0x%02x), length %u", lcp_opts[opt], opt, len);
	if (len < 2) {
		ob_str(o, " (length bogus, should be >= 2)");
		return 0;
	}
	switch (opt) {
	case 0: {
		if (len < 6)
			return bogus(p, ">=", 6, len);
		uint32_t oui = (uint32_t)jr_u16(p, at + 2) << 8 | jr_u8(p, at + 4);
		ob_fmt(o, ": Vendor: %s (%u)", oui_name(oui), oui);
		break;
	}
	case 1:
	case 17:
		if (len != 4)
			return bogus(p, "=", 4, opt == 1 ? len : 0);
		ob_fmt(o, ": %u", jr_u16(p, at + 2));
		break;
	case 2:
		if (len != 6)
			return bogus(p, "=", 6, len);
		ob_fmt(o, ": 0x%08x", jr_u32(p, at + 2));
		break;
	case 3: {
		if (len < 4)
			return bogus(p, ">=", 4, len);
		unsigned ap = jr_u16(p, at + 2);
		const char *n = ppp_proto_name(ap);
		ob_fmt(o, ": %s", n ? n : "Unknown Auth Proto (0x04x)");
		if (ap == 0xc223) {
			unsigned alg = jr_u8(p, at + 4);
			if (alg == 5 || alg == 128 || alg == 129)
				ob_fmt(o, ", %s",
				       alg == 5	    ? "MD5"
				       : alg == 128 ? "MS-CHAPv1"
						    : "MS-CHAPv2");
			else
				ob_fmt(o, ", Unknown Auth Alg %u", alg);
		} else if (ap != 0xc023 && ap != 0xc227 && ap != 0xc027 && ap != 0xc123)
			hex(p, at, len, "\n\t");
		break;
	}
	case 4:
		if (len < 4)
			return bogus(p, ">=", 4, 0);
		ob_str(o, jr_u16(p, at + 2) == 0xc025 ? ": LQR" : ": unknown");
		break;
	case 5:
		if (len != 6)
			return bogus(p, "=", 6, 0);
		ob_fmt(o, ": 0x%08x", jr_u32(p, at + 2));
		break;
	case 7:
	case 8: break;
	case 23:
		if (len != 4)
			return bogus(p, "=", 4, 0);
		ob_fmt(o, ": 0x%04x", jr_u16(p, at + 2));
		break;
	case 13: {
		if (len < 3)
			return bogus(p, ">=", 3, 0);
		static const char *const cb[] = {"UserAuth", "DialString", "LocalID", "E.164",
						 "X.500",    NULL,	   "CBCP"};
		unsigned v = jr_u8(p, at + 2);
		ob_fmt(o, ": : Callback Operation %s (%u)", v < 7 && cb[v] ? cb[v] : "Unknown", v);
		break;
	}
	case 19: {
		if (len < 3)
			return bogus(p, ">=", 3, 0);
		unsigned k = jr_u8(p, at + 2);
		if (k == 0)
			ob_str(o, ": Null");
		else if (k == 1)
			ob_str(o, ": Local");
		else if (k == 2) {
			if (len != 7)
				return bogus(p, "=", 7, 0);
			ob_str(o, ": IPv4 ");
			jr_ip4(p, at + 3);
		} else if (k == 3) {
			if (len != 9)
				return bogus(p, "=", 9, 0);
			uint8_t a[6];
			for (uint32_t i = 0; i < 6; i++)
				a[i] = (uint8_t)jr_u8(p, at + 3 + i);
			ob_str(o, ": MAC ");
			ob_mac(o, a);
		} else if (k == 4)
			ob_str(o, ": Magic-Num-Block");
		else if (k == 5)
			ob_str(o, ": PSNDN");
		else
			ob_fmt(o, ": Unknown class %u", k);
		break;
	}
	default:
		if (p->c->o.verbose < 2)
			hex(p, at + 2, len - 2, "\n\t    ");
		break;
	}
	if (p->c->o.verbose > 1)
		hex(p, at + 2, len - 2, "\n\t    ");
	return len;
}

static const char *ipcp_name(unsigned opt)
{
	switch (opt) {
	case 1: return "IP-Addrs";
	case 2: return "IP-Comp";
	case 3: return "IP-Addr";
	case 4: return "Home-Addr";
	case 129: return "Pri-DNS";
	case 130: return "Pri-NBNS";
	case 131: return "Sec-DNS";
	case 132: return "Sec-NBNS";
	default: return "unknown";
	}
}

/* IPCP (SIX 0) and IP6CP (SIX 1) options. */
static uint32_t ipcp_opt(struct jread *p, uint32_t at, uint32_t length, int six)
{
	struct obuf *o = &p->c->out;
	if (length < 2)
		return 0;
	if (!cur_avail(p->cu, at, 2)) {
		ob_str(o, six ? "[|ip6cp]" : "[|ipcp]");
		return 0;
	}
	unsigned opt = jr_u8(p, at), len = jr_u8(p, at + 1);
	if (length < len)
		return 0;
	const char *n = six ? (opt == 1 ? "Interface-ID" : "unknown") : ipcp_name(opt);
	ob_fmt(o, "\n\t  %s Option (0x%02x), length %u", n, opt, len);
	if (len < 2) {
		ob_str(o, " (length bogus, should be >= 2)");
		return 0;
	}
	if (six && opt == 1) {
		if (len != 10)
			return bogus(p, "=", 10, len);
		if (!cur_avail(p->cu, at + 2, 8)) {
			ob_str(o, "[|ip6cp]");
			return 0;
		}
		ob_fmt(o, ": %04x:%04x:%04x:%04x", jr_u16(p, at + 2), jr_u16(p, at + 4),
		       jr_u16(p, at + 6), jr_u16(p, at + 8));
	} else if (!six && opt == 1) {
		if (len != 10)
			return bogus(p, "=", 10, len);
		ob_str(o, ": src ");
		jr_ip4(p, at + 2);
		ob_str(o, ", dst ");
		jr_ip4(p, at + 6);
	} else if (!six && opt == 2) {
		if (len < 4)
			return bogus(p, ">=", 4, 0);
		unsigned cp = jr_u16(p, at + 2);
		ob_fmt(o, ": %s (0x%02x):",
		       cp == 0x2d   ? "VJ-Comp"
		       : cp == 0x61 ? "IP Header Compression"
				    : "Unknown",
		       cp);
		if (cp == 0x61) {
			if (len < 14)
				return bogus(p, ">=", 14, 0);
			ob_fmt(o,
			       "\n\t    TCP Space %u, non-TCP Space %u, maxPeriod %u, maxTime %u, "
			       "maxHdr %u",
			       jr_u16(p, at + 4), jr_u16(p, at + 6), jr_u16(p, at + 8),
			       jr_u16(p, at + 10), jr_u16(p, at + 12));
		}
	} else if (!six && (opt == 3 || opt == 4 || (opt >= 129 && opt <= 132))) {
		if (len != 6)
			return bogus(p, "=", 6, 0);
		ob_str(o, ": ");
		jr_ip4(p, at + 2);
	} else if (p->c->o.verbose < 2)
		hex(p, at + 2, len - 2, "\n\t    ");
	if (p->c->o.verbose > 1)
		hex(p, at + 2, len - 2, "\n\t    ");
	return len;
}

static const char *ccp_name(unsigned opt)
{
	static const struct {
		unsigned v;
		const char *s;
	} t[] = {{0, "OUI"},	  {1, "Pred-1"},    {2, "Pred-2"},    {3, "Puddle"},
		 {16, "HP-PPC"},  {17, "Stac-LZS"}, {18, "MPPC"},     {19, "Gand-FZA"},
		 {20, "V.42bis"}, {21, "BSD-Comp"}, {23, "LZS-DCP"},  {24, "MVRCA"},
		 {25, "DEC"},	  {26, "Deflate"},  {255, "Reserved"}};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].v == opt)
			return t[i].s;
	return "Unknown";
}

static uint32_t ccp_opt(struct jread *p, uint32_t at, uint32_t length)
{
	struct obuf *o = &p->c->out;
	if (length < 2)
		return 0;
	if (!cur_avail(p->cu, at, 2)) {
		ob_str(o, "[|ccp]");
		return 0;
	}
	unsigned opt = jr_u8(p, at), len = jr_u8(p, at + 1);
	if (length < len)
		return 0;
	ob_fmt(o, "\n\t  %s Option (0x%02x), length %u", ccp_name(opt), opt, len);
	if (len < 2) {
		ob_str(o, " (length bogus, should be >= 2)");
		return 0;
	}
	if (opt == 21) {
		if (len < 3)
			return bogus(p, ">=", 3, len);
		unsigned b = jr_u8(p, at + 2);
		ob_fmt(o, ": Version: %u, Dictionary Bits: %u", b >> 5, b & 0x1f);
	} else if (opt == 24) {
		if (len < 4)
			return bogus(p, ">=", 4, len);
		unsigned b = jr_u8(p, at + 2);
		ob_fmt(o, ": Features: %u, PxP: %s, History: %u, #CTX-ID: %u", (b & 0xc0) >> 6,
		       b & 0x20 ? "Enabled" : "Disabled", b & 0x1f, jr_u8(p, at + 3));
	} else if (opt == 26) {
		if (len < 4)
			return bogus(p, ">=", 4, len);
		unsigned b = jr_u8(p, at + 2), d = jr_u8(p, at + 3);
		ob_fmt(o, ": Window: %uK, Method: %s (0x%x), MBZ: %u, CHK: %u", (b & 0xf0) >> 4,
		       (b & 0x0f) == 8 ? "zlib" : "unknown", b & 0x0f, (d & 0xfc) >> 2, d & 0x03);
	} else if (p->c->o.verbose < 2)
		hex(p, at + 2, len - 2, "\n\t    ");
	if (p->c->o.verbose > 1)
		hex(p, at + 2, len - 2, "\n\t    ");
	return len;
}

/* The options of a Configure packet: LEN bytes from offset 4. */
static void conf_opts(struct jread *p, unsigned proto, uint32_t len)
{
	uint32_t tlen = len - 4, at = 4;
	if (proto != 0xc021 && proto != 0x8021 && proto != 0x8057 && proto != 0x80fd)
		return; /* BACP: not decoded */
	do {
		uint32_t adv = proto == 0xc021	 ? lcp_opt(p, at, len)
			       : proto == 0x8021 ? ipcp_opt(p, at, len, 0)
			       : proto == 0x8057 ? ipcp_opt(p, at, len, 1)
						 : ccp_opt(p, at, len);
		if (!adv)
			return;
		if (tlen < adv) {
			ob_fmt(&p->c->out, " [remaining options length %u < %u] (invalid)", tlen,
			       adv);
			return;
		}
		tlen -= adv;
		at += adv;
	} while (tlen);
}

static void body(struct jread *p, unsigned proto, unsigned code, uint32_t len, uint32_t length)
{
	struct obuf *o = &p->c->out;
	switch (code) {
	case 0:
		if (length < 11)
			break;
		ob_fmt(o, "\n\t  Magic-Num 0x%08x Vendor: ", jr_u32(p, 4));
		uint32_t oui = (uint32_t)jr_u16(p, 8) << 8 | jr_u8(p, 10);
		ob_fmt(o, "%s (%u)", oui_name(oui), oui);
		break;
	case 1:
	case 2:
	case 3:
	case 4: conf_opts(p, proto, len); break;
	case 8: {
		if (length < 6)
			break;
		unsigned rp = jr_u16(p, 4);
		const char *n = ppp_proto_name(rp);
		ob_fmt(o, "\n\t  Rejected %s Protocol (0x%04x)", n ? n : "unknown", rp);
		if (len > 6) {
			ob_str(o, "\n\t  Rejected Packet");
			hex(p, 6, len - 2, "\n\t    ");
		}
		break;
	}
	case 9:
	case 10:
	case 11:
		if (length < 8)
			break;
		ob_fmt(o, "\n\t  Magic-Num 0x%08x", jr_u32(p, 4));
		if (len > 8) {
			ob_str(o, "\n\t  -----trailing data-----");
			if (!cur_avail(p->cu, 8, len - 8)) {
				ob_fmt(o, "[|%s]", ppp_proto_name(proto));
				return;
			}
			hex(p, 8, len - 8, "\n\t  ");
		}
		break;
	case 12:
		if (length < 8)
			break;
		ob_fmt(o, "\n\t  Magic-Num 0x%08x", jr_u32(p, 4));
		if (len > 8) {
			ob_str(o, "\n\t  Message\n\t    ");
			for (uint32_t i = 8; i < len + 4; i++) {
				if (!cur_avail(p->cu, i, 1)) {
					ob_fmt(o, "[|%s]", ppp_proto_name(proto));
					return;
				}
				uint8_t ch = (uint8_t)cur_u8(p->cu, i);
				ob_safe(o, &ch, 1);
			}
		}
		break;
	case 13:
		if (length < 12)
			break;
		ob_fmt(o, "\n\t  Magic-Num 0x%08x", jr_u32(p, 4));
		ob_fmt(o, ", Seconds-Remaining %us", jr_u32(p, 8));
		break;
	case 5:
	case 6:
	case 7: break;
	default:
		if (p->c->o.verbose <= 1)
			hex(p, 0, length, "\n\t  ");
		break;
	}
}

void print_ppp_cp_verbose(struct decode_ctx *c, struct cursor *cu, uint32_t length, unsigned proto)
{
	struct jread p;
	p.c = c;
	p.cu = cu;
	if (setjmp(p.out)) {
		trunc_whole(c, "ppp");
		return;
	}
	unsigned code = jr_u8(&p, 0), len = jr_u16(&p, 2);
	if (len < 4) {
		ob_fmt(&c->out, "\n\tencoded length %u (< 4))", len);
		return;
	}
	if (len > length) {
		ob_fmt(&c->out, "\n\tencoded length %u (> packet length %u))", len, length);
		return;
	}
	ob_fmt(&c->out, "\n\tencoded length %u (=Option(s) length %u)", len, len - 4);
	if (len == 4)
		return;
	if (c->o.verbose > 1) { /* from the protocol field on, as tcpdump's */
		ob_fmt(&c->out, "\n\t0x0000:  %04x", proto);
		for (uint32_t i = 0; i < 4 && cur_avail(cu, i, 1); i++)
			ob_fmt(&c->out, i % 2 ? "%02x" : " %02x", cur_u8(cu, i));
	}
	body(&p, proto, code, len, len);
}
