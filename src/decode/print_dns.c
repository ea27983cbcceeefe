/* print_dns.c - DNS (RFC 1035) summaries as tcpdump's without -vv: id,
 * opcode and flags, the questions of a query, the answers of a response,
 * the length.  Names follow compression pointers, with a loop guard. */
#include <string.h>

#include "priv.h"

static const char *type_name(unsigned t)
{
	static const char *const low[] = {
		NULL,	  "A",	   "NS",	 "MD",	     "MF",	"CNAME",      "SOA",
		"MB",	  "MG",	   "MR",	 "NULL",     "WKS",	"PTR",	      "HINFO",
		"MINFO",  "MX",	   "TXT",	 "RP",	     "AFSDB",	"X25",	      "ISDN",
		"RT",	  "NSAP",  "NSAP_PTR",	 "SIG",	     "KEY",	"PX",	      "GPOS",
		"AAAA",	  "LOC",   "NXT",	 "EID",	     "NIMLOC",	"SRV",	      "ATMA",
		"NAPTR",  "KX",	   "CERT",	 "A6",	     "DNAME",	"SINK",	      "OPT",
		"APL",	  "DS",	   "SSHFP",	 "IPSECKEY", "RRSIG",	"NSEC",	      "DNSKEY",
		"DHCID",  "NSEC3", "NSEC3PARAM", "TLSA",     "SMIMEA",	NULL,	      "HIP",
		"NINFO",  "RKEY",  "TALINK",	 "CDS",	     "CDNSKEY", "OPENPGPKEY", "CSYNC",
		"ZONEMD", "SVCB",  "HTTPS"};
	if (t < sizeof(low) / sizeof(low[0]))
		return low[t];
	switch (t) {
	case 99: return "SPF";
	case 100: return "UINFO";
	case 101: return "UID";
	case 102: return "GID";
	case 103: return "UNSPEC";
	case 104: return "NID";
	case 105: return "L32";
	case 106: return "L64";
	case 107: return "LP";
	case 108: return "EUI48";
	case 109: return "EUI64";
	case 249: return "TKEY";
	case 250: return "TSIG";
	case 251: return "IXFR";
	case 252: return "AXFR";
	case 253: return "MAILB";
	case 254: return "MAILA";
	case 255: return "ANY";
	case 256: return "URI";
	case 257: return "CAA";
	case 32768: return "TA";
	case 32769: return "DLV";
	default: return NULL;
	}
}

static void type_text(struct decode_ctx *c, unsigned t)
{
	const char *n = type_name(t);
	if (n)
		ob_fmt(&c->out, " %s", n);
	else
		ob_fmt(&c->out, " Type%u", t);
}

static void class_text(struct decode_ctx *c, unsigned k)
{
	switch (k) {
	case 1: break;
	case 3: ob_str(&c->out, " CHAOS"); break;
	case 4: ob_str(&c->out, " HS"); break;
	case 255: ob_str(&c->out, " ANY"); break;
	default: ob_fmt(&c->out, " (Class %u)", k); break;
	}
}

/* The index after the name at AT (in the message); 0 when truncated or
 * malformed. */
static uint32_t name_skip(struct cursor *m, uint32_t at)
{
	for (int n = 0; n < 256; n++) {
		if (!cur_avail(m, at, 1))
			return 0;
		unsigned l = cur_u8(m, at);
		if (l == 0)
			return at + 1;
		if ((l & 0xc0) == 0xc0)
			return cur_avail(m, at, 2) ? at + 2 : 0;
		if (l & 0xc0)
			return 0;
		at += l + 1;
	}
	return 0;
}

/* Print the name at AT; returns the index after it in place, 0 on
 * truncation (the mark printed). */
static uint32_t name_print(struct decode_ctx *c, struct cursor *m, uint32_t at)
{
	uint32_t end = 0, hops = 0;
	int any = 0;
	for (;;) {
		if (!cur_avail(m, at, 1))
			goto trunc;
		unsigned l = cur_u8(m, at);
		if ((l & 0xc0) == 0xc0) {
			if (!cur_avail(m, at, 2))
				goto trunc;
			if (!end)
				end = at + 2;
			uint32_t to = cur_u16(m, at) & 0x3fff;
			if (++hops > 128 || to >= m->len) {
				ob_str(&c->out, "<LOOP>");
				return end;
			}
			at = to;
			continue;
		}
		if (l & 0xc0) {
			ob_fmt(&c->out, "<ELT %d>", (int)(l & 0x3f));
			return 0;
		}
		if (l == 0) {
			if (!any)
				ob_chr(&c->out, '.');
			return end ? end : at + 1;
		}
		if (!cur_avail(m, at + 1, l))
			goto trunc;
		for (unsigned i = 0; i < l; i++) {
			uint8_t ch = cur_u8(m, at + 1 + i);
			ob_safe(&c->out, &ch, 1);
		}
		ob_chr(&c->out, '.');
		any = 1;
		at += l + 1;
	}
trunc:
	trunc_mark(c, "domain");
	return 0;
}

static uint32_t question(struct decode_ctx *c, struct cursor *m, uint32_t at)
{
	uint32_t e = name_skip(m, at);
	if (!e || !cur_avail(m, e, 4)) {
		trunc_mark(c, "domain");
		return 0;
	}
	type_text(c, cur_u16(m, e));
	class_text(c, cur_u16(m, e + 2));
	ob_str(&c->out, "? ");
	if (!name_print(c, m, at))
		return 0;
	return e + 4;
}

/* One resource record; 0 when it ran past the capture. */
static uint32_t answer(struct decode_ctx *c, struct cursor *m, uint32_t at)
{
	uint32_t e = name_skip(m, at);
	if (!e || !cur_avail(m, e, 10))
		return 0;
	unsigned t = cur_u16(m, e), k = cur_u16(m, e + 2), rl = cur_u16(m, e + 8);
	if (k != 1 && t != 41)
		class_text(c, k);
	type_text(c, t);
	uint32_t d = e + 10;
	if (!cur_avail(m, d, rl)) {
		trunc_mark(c, "domain");
		return 0;
	}
	switch (t) {
	case 1: {
		uint8_t a[4];
		cur_copy(m, d, a, 4);
		ob_chr(&c->out, ' ');
		ob_ip4(&c->out, a);
		break;
	}
	case 28: {
		uint8_t a[16];
		cur_copy(m, d, a, 16);
		ob_chr(&c->out, ' ');
		ob_ip6(&c->out, a);
		break;
	}
	case 2:
	case 5:
	case 12:
	case 39:
		ob_chr(&c->out, ' ');
		if (!name_print(c, m, d))
			return 0;
		break;
	case 15:
		ob_chr(&c->out, ' ');
		if (!name_print(c, m, d + 2))
			return 0;
		ob_fmt(&c->out, " %u", cur_u16(m, d));
		break;
	case 33:
		ob_chr(&c->out, ' ');
		if (!name_print(c, m, d + 6))
			return 0;
		ob_fmt(&c->out, ":%u %u %u", cur_u16(m, d + 4), cur_u16(m, d), cur_u16(m, d + 2));
		break;
	case 16:
		for (uint32_t i = d; i < d + rl;) {
			unsigned n = cur_u8(m, i);
			ob_str(&c->out, " \"");
			for (unsigned j = 0; j < n && i + 1 + j < d + rl; j++) {
				uint8_t ch = cur_u8(m, i + 1 + j);
				ob_safe(&c->out, &ch, 1);
			}
			ob_chr(&c->out, '"');
			i += n + 1;
		}
		break;
	case 256:
		if (rl < 4)
			break;
		ob_fmt(&c->out, " %u %u ", cur_u16(m, d), cur_u16(m, d + 2));
		for (uint32_t i = d + 4; i < d + rl; i++) {
			uint8_t ch = cur_u8(m, i);
			ob_safe(&c->out, &ch, 1);
		}
		break;
	case 41:
		ob_fmt(&c->out, " UDPsize=%u", k);
		if (cur_u16(m, e + 6) & 0x8000)
			ob_str(&c->out, " DO");
		break;
	default: break;
	}
	return d + rl;
}

static const char *const ops[] = {"",	   " inv_q", " stat", " op3", " notify", " update",
				  " op6",  " op7",   " op8",  " op9", " op10",	 " op11",
				  " op12", " op13",  " op14", " op15"};
static const char *const rcodes[] = {"",	 " FormErr", " ServFail", " NXDomain",
				     " NotImp",	 " Refused", " YXDomain", " YXRRSet",
				     " NXRRSet", " NotAuth", " NotZone",  " Resp11",
				     " Resp12",	 " Resp13",  " Resp14",	  " NoChange"};

static void response(struct decode_ctx *c, struct cursor *m, unsigned fl, unsigned qd, unsigned an,
		     unsigned ns, unsigned ar)
{
	ob_fmt(&c->out, "%u%s%s%s%s%s%s", cur_u16(m, 0), ops[(fl >> 11) & 15], rcodes[fl & 15],
	       fl & 0x400 ? "*" : "", fl & 0x80 ? "" : "-", fl & 0x200 ? "|" : "",
	       fl & 0x20 ? "$" : "");
	if (qd != 1)
		ob_fmt(&c->out, " [%uq]", qd);
	uint32_t at = 12;
	for (unsigned i = 0; i < qd; i++) {
		at = name_skip(m, at);
		if (!at || !cur_avail(m, at, 4)) {
			trunc_mark(c, "domain");
			return;
		}
		at += 4;
	}
	ob_fmt(&c->out, " %u/%u/%u", an, ns, ar);
	for (unsigned i = 0; i < an; i++) {
		if (i) {
			if (!cur_avail(m, at, 1)) {
				ob_chr(&c->out, ' ');
				trunc_mark(c, "domain");
				return;
			}
			ob_chr(&c->out, ',');
		}
		if (!(at = answer(c, m, at))) {
			if (!(c->out.len >= 9 &&
			      !memcmp(c->out.s + c->out.len - 9, "[|domain]", 9)))
				trunc_mark(c, "domain");
			return;
		}
	}
}

static void query(struct decode_ctx *c, struct cursor *m, unsigned fl, unsigned qd, unsigned an,
		  unsigned ns, unsigned ar)
{
	ob_fmt(&c->out, "%u%s%s%s", cur_u16(m, 0), ops[(fl >> 11) & 15], fl & 0x100 ? "+" : "",
	       fl & 0x10 ? "%" : "");
	if (fl & 0x6cf)
		ob_fmt(&c->out, " [b2&3=0x%x]", fl);
	if (((fl >> 11) & 15) == 1) {
		if (qd)
			ob_fmt(&c->out, " [%uq]", qd);
		if (an != 1)
			ob_fmt(&c->out, " [%ua]", an);
	} else {
		if (an)
			ob_fmt(&c->out, " [%ua]", an);
		if (qd != 1)
			ob_fmt(&c->out, " [%uq]", qd);
	}
	if (ns)
		ob_fmt(&c->out, " [%un]", ns);
	if (ar)
		ob_fmt(&c->out, " [%uau]", ar);
	uint32_t at = 12;
	for (unsigned i = 0; i < qd; i++) {
		if (i && !cur_avail(m, at, 1)) {
			trunc_mark(c, "domain");
			return;
		}
		if (!(at = question(c, m, at)))
			return;
	}
}

void print_dns(struct decode_ctx *c, struct cursor *cu, uint32_t len, int tcp)
{
	layer(c, "dns");
	if (c->o.verbose)
		layer(c, "dns-v");
	struct cursor m = *cu;
	if (tcp) {
		if (len < 2)
			return;
		ob_str(&c->out, ": ");
		cur_skip(&m, 2);
		len -= 2;
		layer(c, "dns-tcp");
	}
	m = cur_sub(&m, len);
	if (len < 12) {
		ob_fmt(&c->out, "domain [length %u < 12] (invalid)", len);
		return;
	}
	if (!cur_avail(&m, 0, 12)) {
		trunc_mark(c, "domain");
		return;
	}
	unsigned fl = cur_u16(&m, 2), qd = cur_u16(&m, 4), an = cur_u16(&m, 6);
	unsigned ns = cur_u16(&m, 8), ar = cur_u16(&m, 10);
	size_t mark = c->out.len;
	if (fl & 0x8000)
		response(c, &m, fl, qd, an, ns, ar);
	else
		query(c, &m, fl, qd, an, ns, ar);
	if (c->out.len >= mark + 9 && !memcmp(c->out.s + c->out.len - 9, "[|domain]", 9))
		return;
	ob_fmt(&c->out, " (%u)", len);
}
