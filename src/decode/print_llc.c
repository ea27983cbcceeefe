/* print_llc.c - IEEE 802.2 LLC as tcpdump 4.99's print-llc.c (the SAPs,
 * U/S/I control fields, XID), SNAP (ethertypes, Cisco PVST, RFC 2684
 * bridged frames) and the spanning tree BPDUs of print-stp.c (802.1d,
 * 802.1w, 802.1s MSTIs, 802.1aq).  IPX, OSI (IS-IS) and the Cisco
 * protocols other than PVST are not decoded: they print as an unknown LLC
 * payload, classed "llc-other".  A read past the capture unwinds as
 * tcpdump's GET_ macros (" [|stp]"). */
#include <setjmp.h>

#include "priv.h"

static const char *sap_name(unsigned s)
{
	switch (s) {
	case 0x00: return "Null";
	case 0xff: return "Global";
	case 0x02: return "802.1B I";
	case 0x03: return "802.1B G";
	case 0x06: return "IP";
	case 0x04: return "SNA";
	case 0x0e: return "ProWay NM";
	case 0x42: return "STP";
	case 0x4e: return "RS511";
	case 0x7e: return "ISO8208";
	case 0x8e: return "ProWay";
	case 0xaa: return "SNAP";
	case 0xe0: return "IPX";
	case 0xf0: return "NetBeui";
	case 0xfe: return "OSI";
	default: return NULL;
	}
}

static void bridge_id(struct jread *l, uint32_t at)
{
	ob_fmt(&l->c->out, "%02x%02x.", jr_u8(l, at), jr_u8(l, at + 1));
	for (uint32_t i = 2; i < 8; i++)
		ob_fmt(&l->c->out, i > 2 ? ":%02x" : "%02x", jr_u8(l, at + i));
}

static void stp_flags(struct jread *l, unsigned f)
{
	static const char *const n[] = {
		"Topology change", "Proposal", NULL,	    NULL,
		"Learn",	   "Forward",  "Agreement", "Topology change ACK"};
	const char *sep = "";
	for (int i = 0; i < 8; i++)
		if (n[i] && (f & (1u << i))) {
			ob_fmt(&l->c->out, "%s%s", sep, n[i]);
			sep = ", ";
		}
	if (!*sep)
		ob_str(&l->c->out, "none");
}

static const char *port_role(unsigned f)
{
	static const char *const r[] = {"Unknown", "Alternate", "Root", "Designated"};
	return r[(f & 0x0c) >> 2];
}

static void stp_times(struct jread *l, uint32_t at)
{
	ob_fmt(&l->c->out,
	       "\n\tmessage-age %.2fs, max-age %.2fs, hello-time %.2fs, forwarding-delay %.2fs",
	       (double)((float)jr_u16(l, at) / 256), (double)((float)jr_u16(l, at + 2) / 256),
	       (double)((float)jr_u16(l, at + 4) / 256), (double)((float)jr_u16(l, at + 6) / 256));
}

/* nd_printjnp: up to N bytes, to a NUL. */
static void printjnp(struct jread *l, uint32_t at, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		uint8_t ch = (uint8_t)jr_u8(l, at + i);
		if (!ch)
			return;
		ob_safe(&l->c->out, &ch, 1);
	}
}

static void stp_config(struct jread *l, uint32_t len)
{
	struct obuf *o = &l->c->out;
	unsigned f = jr_u8(l, 4);
	ob_str(o, ", Flags [");
	stp_flags(l, f);
	ob_str(o, "], bridge-id ");
	bridge_id(l, 17);
	ob_fmt(o, ".%04x, length %u", jr_u16(l, 25), len);
	if (!l->c->o.verbose)
		return;
	stp_times(l, 27);
	ob_str(o, "\n\troot-id ");
	bridge_id(l, 5);
	ob_fmt(o, ", root-pathcost %u", jr_u32(l, 13));
	if (jr_u8(l, 2) == 2)
		ob_fmt(o, ", port-role %s", port_role(f));
}

static void stp_mstp(struct jread *l, uint32_t len)
{
	struct obuf *o = &l->c->out;
	unsigned f = jr_u8(l, 4);
	ob_str(o, ", CIST Flags [");
	stp_flags(l, f);
	ob_fmt(o, "], length %u", len);
	if (!l->c->o.verbose)
		return;
	ob_fmt(o, "\n\tport-role %s, CIST root-id ", port_role(f));
	bridge_id(l, 5);
	ob_fmt(o, ", CIST ext-pathcost %u\n\tCIST regional-root-id ", jr_u32(l, 13));
	bridge_id(l, 17);
	ob_fmt(o, ", CIST port-id %04x,", jr_u16(l, 25));
	stp_times(l, 27);
	ob_fmt(o, "\n\tv3len %u, MCID Name ", jr_u16(l, 36));
	printjnp(l, 39, 32);
	ob_fmt(o, ", rev %u,\n\t\tdigest %08x%08x%08x%08x, ", jr_u16(l, 71), jr_u32(l, 73),
	       jr_u32(l, 77), jr_u32(l, 81), jr_u32(l, 85));
	ob_fmt(o, "CIST int-root-pathcost %u,\n\tCIST bridge-id ", jr_u32(l, 89));
	bridge_id(l, 93);
	ob_fmt(o, ", CIST remaining-hops %u", jr_u8(l, 101));
	unsigned v3 = jr_u16(l, 36);
	if (v3 <= 64)
		return;
	for (uint32_t n = (v3 - 64) & 0xffff, at = 102; n >= 16; n -= 16, at += 16) {
		unsigned mf = jr_u8(l, at);
		ob_fmt(o, "\n\tMSTI %u, Flags [", jr_u16(l, at + 1) & 0x0fff);
		stp_flags(l, mf);
		ob_fmt(o, "], port-role %s\n\t\tMSTI regional-root-id ", port_role(mf));
		bridge_id(l, at + 1);
		ob_fmt(o, ", pathcost %u\n\t\tMSTI bridge-prio %u, port-prio %u, hops %u",
		       jr_u32(l, at + 9), jr_u8(l, at + 13) >> 4, jr_u8(l, at + 14) >> 4,
		       jr_u8(l, at + 15));
	}
}

static void stp_spb(struct jread *l, uint32_t off)
{
	struct obuf *o = &l->c->out;
	if (!l->c->o.verbose)
		return;
	ob_fmt(o, "\n\tv4len %u, AUXMCID Name ", jr_u16(l, off));
	printjnp(l, off + 3, 32);
	ob_fmt(o, ", Rev %u,\n\t\tdigest %08x%08x%08x%08x", jr_u16(l, off + 35),
	       jr_u32(l, off + 37), jr_u32(l, off + 41), jr_u32(l, off + 45), jr_u32(l, off + 49));
	unsigned a = jr_u8(l, off + 53), fm = jr_u8(l, off + 55), cv = jr_u8(l, off + 56);
	ob_fmt(o,
	       "\n\tAgreement num %u, Discarded Agreement num %u, Agreement valid-flag %u,\n\t"
	       "Restricted role-flag: %u, Format id %u cap %u, Convention id %u cap %u,\n\t"
	       "Edge count %u, Agreement digest %08x%08x%08x%08x%08x",
	       a >> 6, a >> 4 & 3, a >> 3 & 1, a >> 2 & 1, fm >> 4, fm, cv >> 4, cv,
	       jr_u16(l, off + 57), jr_u32(l, off + 67), jr_u32(l, off + 71), jr_u32(l, off + 75),
	       jr_u32(l, off + 79), jr_u32(l, off + 83));
}

/* stp_print: a BPDU of LEN bytes at the start of L's cursor. */
static void stp(struct jread *l, uint32_t len)
{
	struct obuf *o = &l->c->out;
	layer(l->c, "stp");
	if (len < 4)
		goto invalid;
	if (jr_u16(l, 0)) {
		ob_fmt(o, "unknown STP version, length %u", len);
		return;
	}
	static const char *const vers[] = {"802.1d", NULL, "802.1w", "802.1s", "802.1aq"};
	unsigned v = jr_u8(l, 2), type;
	if (v > 4 || v == 1) {
		ob_fmt(o, "STP Unknown STP protocol (0x%02x)", v);
		return;
	}
	ob_fmt(o, "STP %s", vers[v]);
	type = jr_u8(l, 3);
	if (type == 0 || type == 2 || type == 0x80)
		ob_fmt(o, ", %s",
		       type == 0   ? "Config"
		       : type == 2 ? "Rapid STP"
				   : "Topology Change");
	else
		ob_fmt(o, ", Unknown BPDU Type (0x%02x)", type);
	if (type == 0) {
		if (len < 35)
			goto invalid;
		stp_config(l, len);
	} else if (type == 2 && v == 2) {
		if (len < 36)
			goto invalid;
		stp_config(l, len);
	} else if (type == 2 && v >= 3) {
		if (len < 102 || jr_u8(l, 35) != 0)
			goto invalid;
		uint32_t mlen = jr_u16(l, 36) + 2u;
		if (len < 36 + mlen)
			goto invalid;
		stp_mstp(l, len);
		if (v == 4) {
			uint32_t slen = jr_u16(l, 36 + mlen) + 2u;
			if (len < 36 + mlen + slen || slen < 87)
				goto invalid;
			stp_spb(l, 36 + mlen);
		}
	}
	return;
invalid:
	ob_str(o, " (invalid)");
}

static void stp_at(struct decode_ctx *c, struct cursor *cu, uint32_t len)
{
	struct jread s;
	s.c = c;
	s.cu = cu;
	if (setjmp(s.out))
		trunc_whole(c, "stp");
	else
		stp(&s, len);
}

static const char *pid_name(uint32_t oui, unsigned et)
{
	if (oui == 0 || oui == 0xf8 || oui == 0x080007) {
		const char *n = ethertype_name(et);
		return n[0] == 'U' && n[1] == 'n' ? NULL : n;
	}
	if (oui == 0x0c)
		switch (et) {
		case 0x2000: return "CDP";
		case 0x2003: return "VTP";
		case 0x2004: return "DTP";
		case 0x0111: return "UDLD";
		case 0x010b: return "PVST";
		case 0x010c: return "VLAN Bridge";
		default: return NULL;
		}
	if (oui == 0x80c2) {
		static const char *const b[] = {NULL,
						"Ethernet + FCS",
						"802.4 + FCS",
						"Token Ring + FCS",
						"FDDI + FCS",
						"802.6 + FCS",
						NULL,
						"Ethernet w/o FCS",
						"802.4 w/o FCS",
						"Token Ring w/o FCS",
						"FDDI w/o FCS",
						"802.6 w/o FCS",
						NULL,
						NULL,
						"BPDU"};
		return et < 15 ? b[et] : NULL;
	}
	return NULL;
}

const char *oui_name(uint32_t oui)
{
	switch (oui) {
	case 0x000000: return "Ethernet";
	case 0x00000c: return "Cisco";
	case 0x00005e: return "IANA";
	case 0x000081: return "Nortel Networks SONMP";
	case 0x0000f8: return "Cisco bridged";
	case 0x0080c2: return "Ethernet bridged";
	case 0x00a03e: return "ATM Forum";
	case 0x00e02f: return "DOCSIS Spanning Tree";
	case 0x080007: return "Appletalk";
	case 0x009069: return "Juniper";
	case 0x080009: return "Hewlett-Packard";
	case 0x00120f: return "IEEE 802.3 Private";
	case 0x0012bb: return "ANSI/TIA";
	case 0x001b21: return "DCBX";
	case 0x002320: return "Nicira Networks";
	default: return "Unknown";
	}
}

/* snap_print after the LLC header: 1 when it printed the payload. */
static int snap(struct jread *l, uint32_t len)
{
	struct decode_ctx *c = l->c;
	struct obuf *o = &c->out;
	layer(c, "snap");
	if (!cur_avail(l->cu, 0, 5) || len < 5) {
		trunc_mark(c, "snap");
		return 1;
	}
	uint32_t oui = cur_u24(l->cu, 0);
	unsigned et = cur_u16(l->cu, 3);
	const char *pn = pid_name(oui, et);
	if (c->o.link)
		ob_fmt(o, "oui %s (0x%06x), %s %s (0x%04x), length %u: ", oui_name(oui), oui,
		       oui == 0 ? "ethertype" : "pid", pn ? pn : "Unknown", et, len - 5);
	struct cursor p = *l->cu;
	cur_skip(&p, 5);
	len -= 5;
	if (oui == 0 || oui == 0xf8 || (oui == 0x080007 && et == 0x809b)) {
		if (print_ethertype(c, &p, len, et))
			return 1;
	} else if (oui == 0x0c && (et == 0x010b || et == 0x010c)) {
		stp_at(c, &p, len);
		return 1;
	} else if (oui == 0x80c2 && (et == 1 || et == 7) && cur_avail(&p, 0, 2) && len >= 2) {
		cur_skip(&p, 2);
		int dlt = c->dlt;
		c->dlt = DECODE_DLT_EN10MB;
		print_ether(c, &p, len - 2);
		c->dlt = dlt;
		return 1;
	} else if (oui == 0x80c2 && et == 0x0e) {
		stp_at(c, &p, len);
		return 1;
	}
	layer(c, "llc-other");
	if (!c->o.link) {
		if (c->f.l2src[0])
			ob_fmt(o, "%s > %s ", c->f.l2src, c->f.l2dst);
		if (oui == 0)
			ob_fmt(o, "SNAP, ethertype %s (0x%04x), length %u: ", ethertype_name(et),
			       et, len);
		else
			ob_fmt(o,
			       "SNAP, oui %s (0x%06x), pid %s (0x%04x), length %u: ", oui_name(oui),
			       oui, pn ? pn : "Unknown", et, len);
	}
	return 0;
}

/* The SAP (or "Unknown DSAP 0x%02x") as llc_print names it. */
static void sap_text(struct obuf *o, const char *what, unsigned s)
{
	const char *n = sap_name(s);
	if (n)
		ob_str(o, n);
	else
		ob_fmt(o, "Unknown %s 0x%02x", what, s);
}

static const char *flag_name(unsigned v)
{
	switch (v) {
	case 0: return "Command";
	case 1: return "Response";
	case 0x10:
	case 0x100: return "Poll";
	case 0x11:
	case 0x101: return "Final";
	default: return "?";
	}
}

/* llc_print's line for a payload it does not decode; 1 when nothing is to
 * be dumped after it. */
static int llc_unknown(struct decode_ctx *c, struct cursor *cu, unsigned dsf, unsigned ssf,
		       unsigned ctl, int is_u, uint32_t len, uint32_t hl)
{
	struct obuf *o = &c->out;
	unsigned dsap = dsf & 0xfe, ssap = ssf & 0xfe;
	layer(c, "llc-other");
	if (!c->o.link) {
		if (c->f.l2src[0])
			ob_fmt(o, "%s ", c->f.l2src);
		if (ssap != dsap) {
			sap_text(o, "SSAP", ssap);
			ob_str(o, " > ");
		} else if (c->f.l2src[0])
			ob_str(o, "> ");
		if (c->f.l2src[0])
			ob_fmt(o, "%s ", c->f.l2dst);
		sap_text(o, "DSAP", dsap);
		ob_chr(o, ' ');
	}
	if (!is_u) {
		unsigned nr = (ctl >> 9) & 0x7f;
		const char *fl = flag_name((ssf & 1) | (ctl & 0x100));
		if (ctl & 1) {
			static const char *const sv[] = {"Receiver Ready", "Receiver not Ready",
							 "Reject", "?"};
			ob_fmt(o, "Supervisory, %s, rcv seq %u, Flags [%s], length %u",
			       sv[(ctl >> 2) & 3], nr, fl, len);
			return 1;
		}
		ob_fmt(o, "Information, send seq %u, rcv seq %u, Flags [%s], length %u",
		       (ctl >> 1) & 0x7f, nr, fl, len);
		return 0;
	}
	static const unsigned cmds[] = {0x03, 0xe3, 0xaf, 0x63, 0x43, 0x0f, 0x6f, 0x87};
	static const char *const cn[] = {"ui", "test", "xid", "ua", "disc", "dm", "sabme", "frmr"};
	unsigned cmd = ctl & 0xef;
	ob_str(o, "Unnumbered, ");
	size_t i = 0;
	while (i < 8 && cmds[i] != cmd)
		i++;
	if (i < 8)
		ob_str(o, cn[i]);
	else
		ob_fmt(o, "%02x", cmd);
	ob_fmt(o, ", Flags [%s], length %u", flag_name((ssf & 1) | (ctl & 0x10)), len);
	if (cmd != 0xaf || len == hl)
		return 0;
	if (!cur_avail(cu, hl, 1)) {
		trunc_mark(c, "llc");
		return 1;
	}
	if (cur_u8(cu, hl) != 0x81)
		return 0;
	if (!cur_avail(cu, hl, 3) || len - hl < 3) {
		trunc_mark(c, "llc");
		struct cursor p = *cu;
		cur_skip(&p, hl);
		print_unknown_hex(c, &p);
	} else
		ob_fmt(o, ": %02x %02x", cur_u8(cu, hl + 1), cur_u8(cu, hl + 2));
	return 1;
}

void print_llc(struct decode_ctx *c, struct cursor *cu, uint32_t len)
{
	struct obuf *o = &c->out;
	layer(c, "llc");
	unsigned need = cur_avail(cu, 2, 1) && (cur_u8(cu, 2) & 3) != 3 ? 4 : 3;
	if (!cur_avail(cu, 0, 3) || len < 3) {
		/* tcpdump's llc_print: dumped whatever -x, -X, -A and -q say,
		 * and counted as link layer (no -x, -A dump follows) */
		trunc_mark(c, "llc");
		print_hex(c, cu, 1);
		if (c->f.ipver == 0)
			c->llc_len = len < cur_left(cu) ? len : cur_left(cu);
		return;
	}
	if (!cur_avail(cu, 0, need) || len < need) {
		trunc_mark(c, "llc");
		print_unknown_hex(c, cu);
		return;
	}
	unsigned dsf = cur_u8(cu, 0), ssf = cur_u8(cu, 1), ctl = cur_u8(cu, 2);
	int is_u = need == 3;
	if (!is_u)
		ctl = cur_le16(cu, 2);
	if (dsf == 0xff && ssf == 0xff) {
		layer(c, "llc-other"); /* IPX over raw 802.3: not decoded */
		if (c->o.link)
			ob_str(o, "IPX 802.3: ");
		print_unknown_hex(c, cu);
		return;
	}
	unsigned dsap = dsf & 0xfe, ssap = ssf & 0xfe;
	if (c->o.link) {
		const char *dn = sap_name(dsap), *sn = sap_name(ssap);
		ob_fmt(o, "LLC, dsap %s (0x%02x) %s, ssap %s (0x%02x) %s", dn ? dn : "Unknown",
		       dsap, dsf & 1 ? "Group" : "Individual", sn ? sn : "Unknown", ssap,
		       ssf & 1 ? "Response" : "Command");
		ob_fmt(o, is_u ? ", ctrl 0x%02x: " : ", ctrl 0x%04x: ", ctl);
	}
	struct cursor p = *cu;
	cur_skip(&p, need);
	uint32_t pl = len - need;
	if (c->f.ipver == 0) /* the link layer's: -x starts after it */
		c->llc_len = need + (ssap == 0xaa && dsap == 0xaa && ctl == 0x03 ? 5 : 0);
	if (ssap == dsap && ctl == 0x03) {
		if (dsap == 0xaa) {
			if (!snap(&(struct jread){.c = c, .cu = &p}, pl))
				print_unknown_hex(c, cu);
			return;
		}
		if (dsap == 0x42) {
			stp_at(c, &p, pl);
			return;
		}
		if (dsap == 0x06) {
			print_ip(c, &p, pl);
			return;
		}
	}
	if (!llc_unknown(c, cu, dsf, ssf, ctl, is_u, len, need))
		print_unknown_hex(c, cu);
}
