/* print_bootp.c - BOOTP/DHCP (RFC 951, RFC 2131/2132) as tcpdump 4.99's
 * print-bootp.c: the summary line, and with -v the header fields, the
 * RFC 1048 options (typed by tcpdump's tag table) or the CMU vendor area.
 * A read past the capture unwinds to the caller as tcpdump's GET_ macros
 * do (" [|bootp]", the whole packet dumped with -x). */
#include <setjmp.h>

#include "priv.h"

/* nd_printn: 1 when the capture ended first. */
static int printn(struct jread *b, uint32_t at, uint32_t n)
{
	for (; n > 0 && cur_avail(b->cu, at, 1); n--, at++) {
		uint8_t ch = (uint8_t)jr_u8(b, at);
		ob_safe(&b->c->out, &ch, 1);
	}
	return n != 0;
}

/* nd_printztn: up to N bytes or a NUL; 0 when cut short. */
static int printztn(struct jread *b, uint32_t at, uint32_t n)
{
	for (;; at++, n--) {
		if (!n || !cur_avail(b->cu, at, 1))
			return 0;
		uint8_t ch = (uint8_t)jr_u8(b, at);
		if (!ch)
			return 1;
		ob_safe(&b->c->out, &ch, 1);
	}
}

/* tcpdump's tag2str: the first character is the data's format. */
static const char *tag_name(unsigned t)
{
	static const char *const low[] = {
		" PAD",
		"iSubnet-Mask",
		"LTime-Zone",
		"iDefault-Gateway",
		"iTime-Server",
		"iIEN-Name-Server",
		"iDomain-Name-Server",
		"iLOG",
		"iCS",
		"iLPR-Server",
		"iIM",
		"iRL",
		"aHostname",
		"sBS",
		"aDP",
		"aDomain-Name",
		"iSS",
		"aRP",
		"aEP",
		"BIPF",
		"BSRT",
		"pPF",
		"sRSZ",
		"bTTL",
		"lMTU-Timeout",
		"sMTU-Table",
		"sMTU",
		"BLSN",
		"iBR",
		"BMD",
		"BMS",
		"BRouter-Discovery",
		"iRSA",
		"pStatic-Route",
		"BUT",
		"lAT",
		"BIE",
		"bTT",
		"lKI",
		"BKG",
		"aYD",
		"iYS",
		"iNTP",
		"bVendor-Option",
		"iNetbios-Name-Server",
		"iWDD",
		"$Netbios-Node",
		"aNetbios-Scope",
		"iXFS",
		"iXDM",
		"iRequested-IP",
		"lLease-Time",
		"$OO",
		" DHCP-Message",
		"iServer-ID",
		"bParameter-Request",
		"aMSG",
		"sMSZ",
		"lRN",
		"lRB",
		"aVendor-Class",
		"$Client-ID",
		NULL,
		NULL,
		"sN+D",
		"iN+S",
		"aTFTP",
		"aBF",
		"iMH",
		"iSMTP",
		"iPOP3",
		"iNNTP",
		"iWWW",
		"iFG",
		"iIRC",
		"iSTS",
		"iSTDA",
		"$User-Class",
		"bSLP-DA",
		"bSLP-SCOPE",
		"aSLP-NA",
		"$FQDN",
		"$Agent-Information",
		"bARMT",
		NULL,
		NULL,
		NULL,
		NULL,
		"aTZSTR",
		"bFQDNS",
		"bAUTH",
		"LLast-Transaction-Time",
		"iAssociated-IP",
		"sARCH",
		"bNDI",
		"aLDAP",
		NULL,
		"bGUID",
		"aUAP",
		NULL,
		"aPOSIX-TZ",
		"aTZ-Name",
	};
	if (t < sizeof(low) / sizeof(low[0]))
		return low[t];
	switch (t) {
	case 112: return "iNI";
	case 113: return "aNITAG";
	case 114: return "aURL";
	case 116: return "BNOAUTO";
	case 117: return "sNSSEARCH";
	case 118: return "iSUBNET";
	case 121: return "$Classless-Static-Route";
	case 150: return "iTFTP-Server-Address";
	case 161: return "aMUD-URL";
	case 249: return "$Classless-Static-Route-Microsoft";
	case 255: return " END";
	default: return NULL;
	}
}

static const char *tag_or_unknown(unsigned t)
{
	const char *s = tag_name(t);
	return s ? s : "?Unknown";
}

static const char *dhcp_msg(unsigned v)
{
	static const char *const n[] = {
		NULL,		"Discover",   "Offer",	"Request", "Decline",	 "ACK",
		"NACK",		"Release",    "Inform", NULL,	   "LeaseQuery", "LeaseUnassigned",
		"LeaseUnknown", "LeaseActive"};
	return v < sizeof(n) / sizeof(n[0]) ? n[v] : NULL;
}

/* print_unknown_data's hex lines, each after PREFIX. */
static void hex_lines(struct jread *b, uint32_t at, uint32_t n, const char *prefix)
{
	for (uint32_t i = 0; i < n; i++) {
		if (i % 16 == 0)
			ob_fmt(&b->c->out, "%s0x%04x: ", prefix, i);
		ob_fmt(&b->c->out, i % 2 ? "%02x" : " %02x", jr_u8(b, at + i));
	}
}

/* The '$' tags; returns the bytes of the option left unread, or -1 when
 * the capture ended ( [|bootp] follows). */
static long special(struct jread *b, unsigned tag, uint32_t at, uint32_t len)
{
	struct obuf *o = &b->c->out;
	switch (tag) {
	case 46:
	case 52: {
		if (len < 1) {
			ob_str(o, "[ERROR: length < 1 bytes]");
			return len;
		}
		unsigned v = jr_u8(b, at);
		static const char *const nbo[] = {NULL, "b-node", "p-node", NULL,    "m-node",
						  NULL, NULL,	  NULL,	    "h-node"};
		static const char *const oo[] = {NULL, "file", "sname", "file+sname"};
		const char *s = tag == 46 ? (v < 9 ? nbo[v] : NULL) : (v < 4 ? oo[v] : NULL);
		ob_str(o, s ? s : "#"); /* tok2str(..., NULL, v) prints "#v" */
		if (!s)
			ob_u(o, v);
		return len - 1;
	}
	case 81: {
		if (len < 3) {
			ob_str(o, "[ERROR: length < 3 bytes]");
			return 0;
		}
		unsigned f = jr_u8(b, at);
		if (f & 0xf0)
			ob_fmt(o, "[ERROR: MBZ nibble 0x%x != 0] ", (f & 0xf0) >> 4);
		if (f & 0x0f)
			ob_fmt(o, "[%s%s%s%s] ", f & 1 ? "S" : "", f & 2 ? "O" : "",
			       f & 4 ? "E" : "", f & 8 ? "N" : "");
		if (jr_u8(b, at + 1) || jr_u8(b, at + 2))
			ob_fmt(o, "%u/%u ", jr_u8(b, at + 1), jr_u8(b, at + 2));
		ob_chr(o, '"');
		int t = printn(b, at + 3, len - 3);
		ob_chr(o, '"');
		return t ? -1 : 0;
	}
	case 61: {
		if (len < 1) {
			ob_str(o, "[ERROR: length < 1 bytes]");
			return len;
		}
		unsigned type = jr_u8(b, at);
		if (type == 0) {
			ob_chr(o, '"');
			int t = printn(b, at + 1, len - 1);
			ob_chr(o, '"');
			return t ? -1 : 0;
		}
		static const char *const hw[] = {NULL, "ether", NULL,	   NULL,
						 NULL, NULL,	"ieee802", "arcnet"};
		const char *s = type < 8       ? hw[type]
				: type == 0xf  ? "frelay"
				: type == 0x17 ? "strip"
				: type == 0x18 ? "ieee1394"
					       : NULL;
		if (s)
			ob_fmt(o, "%s ", s);
		else
			ob_fmt(o, "hardware-type %u, ", type);
		for (uint32_t i = 1; i < len; i++)
			ob_fmt(o, i > 1 ? ":%02x" : "%02x", jr_u8(b, at + i));
		return 0;
	}
	case 82:
		while (len >= 2) {
			unsigned sub = jr_u8(b, at), sl = jr_u8(b, at + 1);
			const char *s = sub == 1   ? "Circuit-ID"
					: sub == 2 ? "Remote-ID"
					: sub == 6 ? "Subscriber-ID"
						   : "Unknown";
			at += 2;
			len -= 2;
			ob_fmt(o, "\n\t      %s SubOption %u, length %u: ", s, sub, sl);
			if (sl > len) {
				o->len -= 2;
				ob_str(o, ": length goes past end of option");
				return 0;
			}
			if (sub == 1 || sub == 2 || sub == 6) {
				if (printn(b, at, sl))
					return -1;
			} else
				hex_lines(b, at, sl, "\n\t\t");
			len -= sl;
			at += sl;
		}
		return len;
	case 121:
	case 249: {
		if (len < 5) {
			ob_str(o, "[ERROR: length < 5 bytes]");
			return 0;
		}
		for (int first = 1; len > 0; first = 0) {
			if (!first)
				ob_chr(o, ',');
			unsigned w = jr_u8(b, at++), sig = (w + 7) / 8;
			len--;
			if (w > 32) {
				ob_fmt(o, "[ERROR: Mask width (%u) > 32]", w);
				return 0;
			}
			if (len < sig + 4) {
				ob_fmt(o, "[ERROR: Remaining length (%u) < %u bytes]", len,
				       sig + 4);
				return 0;
			}
			ob_chr(o, '(');
			if (w == 0)
				ob_str(o, "default");
			else {
				for (unsigned i = 0; i < sig; i++)
					ob_fmt(o, i ? ".%u" : "%u", jr_u8(b, at++));
				for (unsigned i = sig; i < 4; i++)
					ob_str(o, ".0");
				ob_fmt(o, "/%u", w);
			}
			ob_chr(o, ':');
			jr_ip4(b, at);
			ob_chr(o, ')');
			at += 4;
			len -= sig + 4;
		}
		return 0;
	}
	case 77: {
		if (len < 2) {
			ob_str(o, "[ERROR: length < 2 bytes]");
			return 0;
		}
		for (unsigned n = 1; len > 0; n++) {
			unsigned sl = jr_u8(b, at++);
			len--;
			ob_fmt(o, "\n\t      instance#%u: ", n);
			if (sl == 0) {
				ob_str(o, "[ERROR: suboption length must be non-zero]");
				return 0;
			}
			if (len < sl) {
				ob_str(o, "[ERROR: invalid option]");
				return 0;
			}
			ob_chr(o, '"');
			if (printn(b, at, sl)) {
				ob_chr(o, '"');
				return -1;
			}
			ob_fmt(o, "\", length %u", sl);
			len -= sl;
			at += sl;
		}
		return 0;
	}
	default: ob_fmt(o, "[unknown special tag %u, size %u]", tag, len); return 0;
	}
}

/* The data of option TAG, LEN bytes at AT, in format FMT; as special(). */
static long data(struct jread *b, unsigned tag, char fmt, uint32_t at, uint32_t len)
{
	struct obuf *o = &b->c->out;
	int first = 1;
	if (fmt == '?')
		fmt = len & 1 ? 'b' : len & 2 ? 's' : 'l';
	switch (fmt) {
	case 'a': {
		ob_chr(o, '"');
		int t = printn(b, at, len);
		ob_chr(o, '"');
		return t ? -1 : 0;
	}
	case 'i':
	case 'l':
	case 'L':
		for (; len >= 4; len -= 4, at += 4, first = 0) {
			if (!first)
				ob_chr(o, ',');
			if (fmt == 'i')
				jr_ip4(b, at);
			else if (fmt == 'L')
				ob_fmt(o, "%d", (int32_t)jr_u32(b, at));
			else
				ob_fmt(o, "%u", jr_u32(b, at));
		}
		return len;
	case 'p':
		for (; len >= 8; len -= 8, at += 8, first = 0) {
			if (!first)
				ob_chr(o, ',');
			ob_chr(o, '(');
			jr_ip4(b, at);
			ob_chr(o, ':');
			jr_ip4(b, at + 4);
			ob_chr(o, ')');
		}
		return len;
	case 's':
		for (; len >= 2; len -= 2, at += 2, first = 0)
			ob_fmt(o, first ? "%u" : ",%u", jr_u16(b, at));
		return len;
	case 'B':
		for (; len > 0; len--, at++, first = 0) {
			unsigned v = jr_u8(b, at);
			if (!first)
				ob_chr(o, ',');
			if (v < 2)
				ob_chr(o, v ? 'Y' : 'N');
			else
				ob_fmt(o, "%u?", v);
		}
		return 0;
	case '$': return special(b, tag, at, len);
	default:
		for (; len > 0; len--, at++, first = 0)
			ob_fmt(o, first ? "%u" : fmt == 'x' ? ":%02x" : ".%u", jr_u8(b, at));
		return 0;
	}
}

/* rfc1048_print: the options after the magic cookie at AT; 0 when they
 * ran past the capture (the caller marks it). */
static int rfc1048(struct jread *b, uint32_t at)
{
	struct obuf *o = &b->c->out;
	int v = b->c->o.verbose;
	ob_fmt(o, "\n\t  Vendor-rfc1048 Extensions\n\t    Magic Cookie 0x%08x", jr_u32(b, at));
	at += 4;
	while (cur_avail(b->cu, at, 1)) {
		unsigned tag = jr_u8(b, at++), len = 0;
		if ((tag == 0 || tag == 255) && v < 3) {
			if (tag == 255)
				return 1;
			continue;
		}
		const char *name = tag_or_unknown(tag);
		if (tag != 0 && tag != 255)
			len = jr_u8(b, at++);
		ob_fmt(o, "\n\t    %s (%u), length %u%s", name + 1, tag, len, len ? ": " : "");
		if (tag == 0 && v > 2) {
			unsigned n = 1;
			for (; cur_avail(b->cu, at, 1) && jr_u8(b, at) == 0; at++)
				n++;
			if (n > 1)
				ob_fmt(o, ", occurs %u", n);
		}
		if (!cur_avail(b->cu, at, len))
			return 0;
		if (tag == 53 && len == 1) {
			const char *s = dhcp_msg(jr_u8(b, at));
			if (s)
				ob_str(o, s);
			else
				ob_fmt(o, "Unknown (%u)", jr_u8(b, at));
			at++;
			continue;
		}
		if (tag == 55) {
			for (unsigned i = 0; i < len; i++) {
				unsigned in = jr_u8(b, at + i);
				ob_str(o, i % 4 ? ", " : "\n\t      ");
				ob_fmt(o, "%s (%u)", tag_or_unknown(in) + 1, in);
			}
			at += len;
			continue;
		}
		long left = data(b, tag, name[0], at, len);
		if (left < 0)
			return 0;
		if (left)
			ob_fmt(o, "\n\t  trailing data length %u", (unsigned)left);
		at += len;
	}
	return 1;
}

/* cmu_print: the CMU vendor area at AT. */
static int cmu(struct jread *b, uint32_t at)
{
	static const char *const names[] = {"DG", "SM", "NS1", "NS2", "IEN1", "IEN2", "TS1", "TS2"};
	static const uint32_t off[] = {12, 8, 16, 20, 24, 28, 32, 36};
	ob_str(&b->c->out, " vend-cmu");
	if (!cur_avail(b->cu, at + 4, 4))
		return 0;
	unsigned fl = jr_u8(b, at + 4);
	if (fl & ~1u)
		ob_fmt(&b->c->out, " F:0x%x", fl);
	for (int i = 0; i < 8; i++)
		if (jr_u32(b, at + off[i])) {
			ob_fmt(&b->c->out, " %s:", i == 1 && !(fl & 1) ? "SM*" : names[i]);
			jr_ip4(b, at + off[i]);
		}
	return 1;
}

/* -v's fields after the summary line; 0 on truncation. */
static int verbose(struct jread *b, unsigned htype, unsigned hlen)
{
	struct obuf *o = &b->c->out;
	if (!cur_avail(b->cu, 8, 2))
		return 0;
	if (htype != 1)
		ob_fmt(o, ", htype %u", htype);
	if (htype != 1 || hlen != 6)
		ob_fmt(o, ", hlen %u", hlen);
	if (jr_u8(b, 3))
		ob_fmt(o, ", hops %u", jr_u8(b, 3));
	if (jr_u32(b, 4))
		ob_fmt(o, ", xid 0x%x", jr_u32(b, 4));
	if (jr_u16(b, 8))
		ob_fmt(o, ", secs %u", jr_u16(b, 8));
	unsigned fl = jr_u16(b, 10);
	ob_fmt(o, ", Flags [%s]", fl & 0x8000 ? "Broadcast" : "none");
	if (b->c->o.verbose > 1)
		ob_fmt(o, " (0x%04x)", fl);
	static const char *const ips[] = {"Client-IP", "Your-IP", "Server-IP", "Gateway-IP"};
	for (uint32_t i = 0; i < 4; i++)
		if (jr_u32(b, 12 + 4 * i)) {
			ob_fmt(o, "\n\t  %s ", ips[i]);
			jr_ip4(b, 12 + 4 * i);
		}
	if (htype == 1 && hlen == 6) {
		uint8_t a[6];
		for (uint32_t i = 0; i < 6; i++)
			a[i] = (uint8_t)jr_u8(b, 28 + i);
		ob_str(o, "\n\t  Client-Ethernet-Address ");
		ob_mac(o, a);
	}
	static const char *const strs[] = {"sname", "file"};
	static const uint32_t off[] = {44, 108}, size[] = {64, 128};
	for (int i = 0; i < 2; i++)
		if (jr_u8(b, off[i])) {
			ob_fmt(o, "\n\t  %s \"", strs[i]);
			int ok = printztn(b, off[i], size[i]);
			ob_chr(o, '"');
			if (!ok)
				return 0;
		}
	if (!cur_avail(b->cu, 236, 4))
		return 0;
	uint32_t magic = jr_u32(b, 236);
	if (magic == 0x63825363)
		return rfc1048(b, 236);
	if (magic == 0x434d5500)
		return cmu(b, 236);
	if (magic)
		ob_fmt(o, "\n\t  Vendor-#0x%x", magic);
	return 1;
}

void print_bootp(struct decode_ctx *c, struct cursor *cu, uint32_t len)
{
	layer(c, "bootp");
	if (c->o.verbose)
		layer(c, "bootp-v");
	struct jread b;
	b.c = c;
	b.cu = cu;
	if (setjmp(b.out)) {
		trunc_whole(c, "bootp");
		return;
	}
	ob_str(&c->out, "BOOTP/DHCP, ");
	unsigned op = jr_u8(&b, 0);
	if (op == 1 || op == 2)
		ob_str(&c->out, op == 1 ? "Request" : "Reply");
	else
		ob_fmt(&c->out, "unknown (0x%02x)", op);
	unsigned htype = jr_u8(&b, 1), hlen = jr_u8(&b, 2);
	if (htype == 1 && hlen == 6 && op == 1) {
		uint8_t a[6];
		for (uint32_t i = 0; i < 6; i++)
			a[i] = (uint8_t)jr_u8(&b, 28 + i);
		ob_str(&c->out, " from ");
		ob_mac(&c->out, a);
	}
	ob_fmt(&c->out, ", length %u", len);
	if (c->o.verbose && !verbose(&b, htype, hlen))
		trunc_mark(c, "bootp");
}
