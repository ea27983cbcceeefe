/* print_tunnel.c - encapsulations: GRE (RFC 2784/2890, and version 1 of
 * PPTP), VXLAN (RFC 7348), Geneve (RFC 8926), MPLS (RFC 3032), PPPoE (RFC
 * 2516) and the PPP protocols it carries; each prints its own header and
 * hands the inner packet back to the dispatch tables. */
#include "priv.h"

/* An inner Ethernet frame (VXLAN, Geneve, GRE's TEB). */
static void inner_ether(struct decode_ctx *c, struct cursor *cu, uint32_t len)
{
	int dlt = c->dlt;
	c->dlt = DECODE_DLT_EN10MB;
	print_ether(c, cu, len);
	c->dlt = dlt;
}

static void gre_payload(struct decode_ctx *c, struct cursor *cu, uint32_t len, unsigned prot)
{
	switch (prot) {
	case 0x0800: print_ip(c, cu, len); return;
	case 0x86dd: print_ip6(c, cu, len); return;
	case 0x8847: print_mpls(c, cu, len); return;
	case 0x6558: inner_ether(c, cu, len); return;
	default:
		layer(c, "gre-other");
		ob_fmt(&c->out, "gre-proto-0x%x", prot);
		return;
	}
}

void print_gre(struct decode_ctx *c, struct cursor *cu, uint32_t len)
{
	layer(c, "gre");
	if (!cur_avail(cu, 0, 2)) {
		trunc_mark(c, "gre");
		return;
	}
	unsigned fl = cur_u16(cu, 0), ver = fl & 7;
	ob_fmt(&c->out, "GREv%u", ver);
	if (ver > 1) {
		ob_str(&c->out, " ERROR: unknown-version");
		return;
	}
	if (c->o.verbose)
		layer(c, "gre-v");
	if (c->o.verbose) { /* tcpdump's gre_flag_values */
		static const uint32_t bits[] = {0x8000, 0x4000, 0x2000, 0x1000, 0x0800, 0x0080};
		static const char *const names[] = {
			"checksum present",  "routing present",	       "key present",
			"sequence# present", "source routing present", "ack present"};
		ob_str(&c->out, ", Flags [");
		ob_bits(&c->out, fl, bits, names, 6);
		ob_chr(&c->out, ']');
	}
	unsigned prot = cur_u16(cu, 2);
	uint32_t at = 4;
	if (ver == 0 && (fl & 0xc000)) {
		if (!cur_avail(cu, 4, 4))
			goto trunc;
		if (c->o.verbose)
			ob_fmt(&c->out, ", sum 0x%x", cur_u16(cu, 4));
		ob_fmt(&c->out, ", off 0x%x", cur_u16(cu, 6));
		at += 4;
	}
	if (fl & 0x2000) {
		if (!cur_avail(cu, at, 4))
			goto trunc;
		if (ver == 0)
			ob_fmt(&c->out, ", key=0x%x", cur_u32(cu, at));
		else
			ob_fmt(&c->out, ", call %u", cur_u16(cu, at + 2));
		at += 4;
	}
	if (fl & 0x1000) {
		if (!cur_avail(cu, at, 4))
			goto trunc;
		ob_fmt(&c->out, ", seq %u", cur_u32(cu, at));
		at += 4;
	}
	if (ver == 1 && (fl & 0x0080)) {
		if (!cur_avail(cu, at, 4))
			goto trunc;
		ob_fmt(&c->out, ", ack %u", cur_u32(cu, at));
		at += 4;
	}
	if ((fl & 0x4000) && ver == 0) {
		layer(c, "gre-other"); /* source routes */
		return;
	}
	if (!cur_avail(cu, 0, at))
		goto trunc;
	if (c->o.link) {
		const char *n = ethertype_name(prot);
		ob_fmt(&c->out, ", proto %s (0x%04x)", n[0] == 'U' ? "unknown" : n, prot);
	}
	ob_fmt(&c->out, ", length %u", len);
	ob_str(&c->out, c->o.verbose ? "\n\t" : ": ");
	cur_skip(cu, at);
	len = len > at ? len - at : 0;
	if (ver == 1) {
		if (prot == 0x880b && len == 0 && !cur_avail(cu, 0, 1))
			return;
		layer(c, "gre-other"); /* PPP inside PPTP */
		ob_fmt(&c->out, "gre-proto-0x%x", prot);
		return;
	}
	gre_payload(c, cu, len, prot);
	return;
trunc:
	trunc_mark(c, "gre");
}

void print_vxlan(struct decode_ctx *c, struct cursor *cu, uint32_t len)
{
	layer(c, "vxlan");
	ob_str(&c->out, "VXLAN");
	if (len < 8) {
		ob_str(&c->out, " (invalid)");
		return;
	}
	if (!cur_avail(cu, 0, 1))
		goto trunc;
	unsigned fl = cur_u8(cu, 0);
	ob_fmt(&c->out, ", flags [%s] (0x%02x), ", fl & 8 ? "I" : "invalid", fl);
	if (!cur_avail(cu, 4, 3))
		goto trunc;
	ob_fmt(&c->out, "vni %u\n", cur_u24(cu, 4));
	if (!cur_avail(cu, 7, 1)) {
		trunc_mark(c, "vxlan");
		return;
	}
	cur_skip(cu, 8);
	inner_ether(c, cu, len - 8);
	return;
trunc:
	trunc_whole(c, "vxlan");
}

static const char *geneve_class(unsigned k)
{
	switch (k) {
	case 0x0100: return "Linux";
	case 0x0101: return "Open vSwitch";
	case 0x0102: return "Open Virtual Networking (OVN)";
	case 0x0103: return "In-band Network Telemetry (INT)";
	case 0x0104: return "VMware";
	default: return k <= 0xff ? "Standard" : k >= 0xfff0 ? "Experimental" : "Unknown";
	}
}

/* geneve_opts_print: -v's options, LEN bytes of them at CU. */
static void geneve_opts(struct decode_ctx *c, struct cursor *cu, uint32_t len)
{
	const char *sep = "";
	for (uint32_t at = 0; len > 0;) {
		ob_str(&c->out, sep);
		sep = ", ";
		unsigned k = cur_u16(cu, at), type = cur_u8(cu, at + 2);
		unsigned ol = 4 + (cur_u8(cu, at + 3) & 0x1f) * 4;
		ob_fmt(&c->out, "class %s (0x%x) type 0x%x%s len %u", geneve_class(k), k, type,
		       type & 0x80 ? "(C)" : "", ol);
		if (ol > len) {
			ob_str(&c->out, " [bad length]");
			return;
		}
		if (c->o.verbose > 1 && ol > 4) {
			ob_str(&c->out, " data");
			for (unsigned i = 4; i < ol; i += 4)
				ob_fmt(&c->out, " %08x", cur_u32(cu, at + i));
		}
		at += ol;
		len -= ol;
	}
}

void print_geneve(struct decode_ctx *c, struct cursor *cu, uint32_t len)
{
	static const char *const fnames[] = {"O", "C", "R1", "R2", "R3", "R4", "R5", "R6"};
	layer(c, "geneve");
	if (c->o.verbose)
		layer(c, "geneve-v");
	ob_str(&c->out, "Geneve");
	if (len < 8) {
		ob_fmt(&c->out, " [length %u < 8] (invalid)", len);
		return;
	}
	if (!cur_avail(cu, 0, 8)) {
		trunc_mark(c, "geneve");
		return;
	}
	unsigned vo = cur_u8(cu, 0), fl = cur_u8(cu, 1), prot = cur_u16(cu, 2);
	if (vo >> 6) {
		ob_fmt(&c->out, " ERROR: unknown-version %u", vo >> 6);
		return;
	}
	ob_str(&c->out, ", Flags [");
	for (int i = 0; i < 8; i++)
		if (fl & (0x80 >> i))
			ob_str(&c->out, fnames[i]);
	ob_fmt(&c->out, "%s], vni 0x%x", fl ? "" : "none", cur_u24(cu, 4));
	if (cur_u8(cu, 7))
		ob_fmt(&c->out, ", rsvd 0x%x", cur_u8(cu, 7));
	if (c->o.link) {
		const char *n = ethertype_name(prot);
		ob_fmt(&c->out, ", proto %s (0x%04x)", n[0] == 'U' ? "unknown" : n, prot);
	}
	uint32_t ol = (vo & 0x3f) * 4;
	len -= 8;
	if (len < ol) {
		ob_fmt(&c->out, " truncated-geneve - %u bytes missing", ol - len);
		return;
	}
	cur_skip(cu, 8);
	if (!cur_avail(cu, 0, ol)) {
		trunc_mark(c, "geneve");
		return;
	}
	if (ol) {
		ob_str(&c->out, ", options [");
		if (c->o.verbose)
			geneve_opts(c, cu, ol);
		else
			ob_fmt(&c->out, "%u bytes", ol);
		ob_chr(&c->out, ']');
	}
	ob_str(&c->out, c->o.verbose ? "\n\t" : ": ");
	cur_skip(cu, ol);
	len -= ol;
	if (print_ethertype(c, cu, len, prot))
		return;
	if (prot == 0x6558) {
		inner_ether(c, cu, len);
		return;
	}
	layer(c, "geneve-other");
	ob_fmt(&c->out, "geneve-proto-0x%x", prot);
}

void print_mpls(struct decode_ctx *c, struct cursor *cu, uint32_t len)
{
	layer(c, "mpls");
	ob_str(&c->out, "MPLS");
	uint32_t e;
	int depth = 0;
	do {
		if (!cur_avail(cu, 0, 4)) {
			trunc_whole(c, "mpls");
			return;
		}
		e = cur_u32(cu, 0);
		ob_fmt(&c->out, "%s(label %u", depth && c->o.verbose ? "\n\t" : " ", e >> 12);
		if (c->o.verbose)
			layer(c, "mpls-v");
		ob_fmt(&c->out, ", tc %u", (e >> 9) & 7);
		if (e & 0x100)
			ob_str(&c->out, ", [S]");
		ob_fmt(&c->out, ", ttl %u)", e & 0xff);
		cur_skip(cu, 4);
		len = len >= 4 ? len - 4 : 0;
		depth++;
	} while (!(e & 0x100));
	unsigned label = e >> 12, pt;
	if (label == 0 || label == 3)
		pt = 4;
	else if (label == 2)
		pt = 6;
	else {
		if (len < 1)
			return;
		if (!cur_avail(cu, 0, 1)) {
			trunc_whole(c, "mpls");
			return;
		}
		unsigned first = cur_u8(cu, 0);
		pt = first >= 0x45 && first <= 0x4f ? 4 : first >= 0x60 && first <= 0x6f ? 6 : 0;
	}
	if (pt == 0) {
		layer(c, "mpls-other");
		print_unknown_hex(c, cu);
		return;
	}
	ob_str(&c->out, c->o.verbose ? "\n\t" : " ");
	if (pt == 4)
		print_ip(c, cu, len);
	else
		print_ip6(c, cu, len);
}

static const char *pppoe_tag(unsigned t)
{
	switch (t) {
	case 0: return "End-Of-List";
	case 0x0101: return "Service-Name";
	case 0x0102: return "AC-Name";
	case 0x0103: return "Host-Uniq";
	case 0x0104: return "AC-Cookie";
	case 0x0105: return "Vendor-Specific";
	case 0x0110: return "Relay-Session-ID";
	case 0x0120: return "PPP-Max-Payload";
	case 0x0201: return "Service-Name-Error";
	case 0x0202: return "AC-System-Error";
	case 0x0203: return "Generic-Error";
	default: return NULL;
	}
}

static void tag_name(struct decode_ctx *c, unsigned t)
{
	const char *n = pppoe_tag(t);
	if (n)
		ob_str(&c->out, n);
	else
		ob_fmt(&c->out, "TAG-0x%x", t);
}

static void pppoe_tags(struct decode_ctx *c, struct cursor *cu, uint32_t plen)
{
	unsigned type = 0xffff;
	uint32_t at = 6;
	while (type && at < 6 + plen) {
		if (!cur_avail(cu, at, 4)) {
			trunc_whole(c, "pppoe");
			return;
		}
		type = cur_u16(cu, at);
		unsigned tl = cur_u16(cu, at + 2);
		at += 4;
		ob_str(&c->out, " [");
		tag_name(c, type);
		if (tl) {
			if (!cur_avail(cu, at, tl)) {
				ob_chr(&c->out, ']');
				trunc_whole(c, "pppoe");
				return;
			}
			unsigned ascii = 0, junk = 0, n = tl < 79 ? tl : 79;
			for (unsigned i = 0; i < n; i++) {
				uint8_t ch = cur_u8(cu, at + i);
				if (ch >= 0x20 && ch < 0x7f)
					ascii++;
				else
					junk++;
			}
			if (ascii > junk) {
				ob_str(&c->out, " \"");
				for (unsigned i = 0; i < n; i++) {
					uint8_t ch = cur_u8(cu, at + i);
					ob_chr(&c->out, ch >= 0x20 && ch < 0x7f ? (char)ch : '.');
				}
				ob_chr(&c->out, '"');
			} else {
				ob_str(&c->out, " 0x");
				for (unsigned i = 0; i < tl; i++)
					ob_fmt(&c->out, "%02X", cur_u8(cu, at + i));
			}
		}
		ob_chr(&c->out, ']');
		at += tl;
	}
}

void print_pppoe(struct decode_ctx *c, struct cursor *cu, uint32_t len, int discovery)
{
	(void)discovery;
	layer(c, "pppoe");
	if (!cur_avail(cu, 0, 6)) {
		trunc_whole(c, "pppoe");
		return;
	}
	unsigned code = cur_u8(cu, 1), ses = cur_u16(cu, 2);
	uint32_t plen = cur_u16(cu, 4);
	ob_str(&c->out, "PPPoE ");
	switch (code) {
	case 0x09: ob_str(&c->out, "PADI"); break;
	case 0x07: ob_str(&c->out, "PADO"); break;
	case 0x19: ob_str(&c->out, "PADR"); break;
	case 0x65: ob_str(&c->out, "PADS"); break;
	case 0xa7: ob_str(&c->out, "PADT"); break;
	case 0: break;
	default: ob_fmt(&c->out, "PAD-%x", code); break;
	}
	uint32_t room = len >= 6 ? len - 6 : 0;
	if (code == 0x09 && plen > room)
		ob_fmt(&c->out, " [len %u!]", plen);
	if (plen > len) {
		ob_fmt(&c->out, " [len %u > %u!]", plen, len);
		plen = len;
	}
	if (ses)
		ob_fmt(&c->out, " [ses 0x%x]", ses);
	if (code) {
		pppoe_tags(c, cu, plen);
		return;
	}
	ob_chr(&c->out, ' ');
	cur_skip(cu, 6);
	/* the window stays the capture's: tcpdump's PPP control printers read
	 * past the PPPoE length into a frame's padding */
	struct cursor p = *cu;
	if (!cur_avail(&p, 0, 2)) {
		trunc_whole(c, "ppp");
		return;
	}
	unsigned proto = cur_u16(&p, 0);
	cur_skip(&p, 2);
	print_ppp_proto(c, &p, plen >= 2 ? plen - 2 : 0, proto);
}

static const char *cp_code(unsigned code)
{
	static const char *const n[] = {
		"Vendor-Extension", "Conf-Request", "Conf-Ack",	   "Conf-Nack",	  "Conf-Reject",
		"Term-Request",	    "Term-Ack",	    "Code-Reject", "Prot-Reject", "Echo-Request",
		"Echo-Reply",	    "Disc-Req",	    "Ident",	   "Time-Rem",	  "Reset-Req",
		"Reset-Ack"};
	return code < 16 && n[code] ? n[code] : "Unknown Opcode";
}

/* What PPP carries (RFC 1661): IP, IPv6, and the control protocols' code,
 * id and length. */
void print_ppp_proto(struct decode_ctx *c, struct cursor *cu, uint32_t len, unsigned proto)
{
	const char *cp = NULL;
	if (c->o.link) {
		const char *n = proto == 0x21	  ? "IP"
				: proto == 0x57	  ? "IP6"
				: proto == 0xc021 ? "LCP"
				: proto == 0x8021 ? "IPCP"
				: proto == 0x8057 ? "IP6CP"
				: proto == 0x80fd ? "CCP"
						  : "unknown";
		ob_fmt(&c->out, "%s (0x%04x), length %u: ", n, proto, len + 2);
	}
	struct cursor own = cur_sub(cu, len); /* CU may run on past LEN */
	switch (proto) {
	case 0x0021: print_ip(c, &own, len); return;
	case 0x0057: print_ip6(c, &own, len); return;
	case 0xc021: cp = "LCP"; break;
	case 0x8021: cp = "IPCP"; break;
	case 0x8057: cp = "IP6CP"; break;
	case 0x80fd: cp = "CCP"; break;
	default: break;
	}
	layer(c, cp ? "ppp-cp" : "ppp-other");
	if (!cp) {
		ob_fmt(&c->out, "unknown PPP protocol (0x%04x)", proto);
		print_unknown_hex(c, &own);
		return;
	}
	if (c->o.verbose)
		layer(c, "ppp-cp-v");
	ob_fmt(&c->out, "%s, ", cp);
	if (!cur_avail(cu, 0, 2)) {
		trunc_whole(c, "ppp");
		return;
	}
	unsigned code = cur_u8(cu, 0);
	ob_fmt(&c->out, "%s (0x%02x), id %u, length %u", cp_code(code), code, cur_u8(cu, 1),
	       len + 2);
	if (c->o.verbose)
		print_ppp_cp_verbose(c, cu, len, proto);
}
