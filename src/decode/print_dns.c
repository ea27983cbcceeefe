/* print_dns.c - DNS (RFC 1035) as tcpdump 4.99's print-domain.c: id, opcode
 * and flags, the questions of a query, the answers of a response (the
 * owner names with -v, every section with -vv, TTLs with -vvv), EDNS
 * options, mDNS's class bits, the TCP length prefix, and the length.  Names
 * follow compression pointers only backwards, as tcpdump's. */
#include <string.h>

#include "priv.h"

/* Offsets into the message; NIL is tcpdump's NULL. */
#define NIL (-1L)

struct dns {
	struct decode_ctx *c;
	struct cursor *m; /* the message: [0, len) of what was captured */
	long end;	  /* tcpdump's snapend, as an offset */
	int mdns;
};

static int have(const struct dns *d, long at, long n)
{
	return at >= 0 && n >= 0 && at + n <= d->end;
}

static unsigned u8(const struct dns *d, long at)
{
	return have(d, at, 1) ? cur_u8(d->m, (uint32_t)at) : 0;
}

static unsigned u16(const struct dns *d, long at)
{
	return have(d, at, 2) ? cur_u16(d->m, (uint32_t)at) : 0;
}

static uint32_t u32(const struct dns *d, long at)
{
	return have(d, at, 4) ? cur_u32(d->m, (uint32_t)at) : 0;
}

static const char *type_name(unsigned t)
{
	static const char *const low[] = {
		NULL,	    "A",     "NS",   "MD",    "MF",    "CNAME",	   "SOA", "MB",	  "MG",
		"MR",	    "NULL",  "WKS",  "PTR",   "HINFO", "MINFO",	   "MX",  "TXT",  "RP",
		"AFSDB",    "X25",   "ISDN", "RT",    "NSAP",  "NSAP_PTR", "SIG", "KEY",  "PX",
		"GPOS",	    "AAAA",  "LOC",  "NXT",   "EID",   "NIMLOC",   "SRV", "ATMA", "NAPTR",
		"KX",	    "CERT",  "A6",   "DNAME", "SINK",  "OPT",	   "APL", "DS",	  "SSHFP",
		"IPSECKEY", "RRSIG", "NSEC", "DNSKEY"};
	static const char *const mid[] = {"SPF", "UINFO", "UID", "GID", "UNSPEC", "UNSPECA"};
	static const char *const high[] = {"TKEY",  "TSIG",  "IXFR", "AXFR",
					   "MAILB", "MAILA", "ANY",  "URI"};
	if (t < sizeof(low) / sizeof(low[0]))
		return low[t];
	if (t >= 99 && t <= 104)
		return mid[t - 99];
	if (t >= 249 && t <= 256)
		return high[t - 249];
	return NULL;
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
	case 1: ob_str(&c->out, " IN"); break;
	case 3: ob_str(&c->out, " CHAOS"); break;
	case 4: ob_str(&c->out, " HS"); break;
	case 255: ob_str(&c->out, " ANY"); break;
	default: ob_fmt(&c->out, " (Class %u)", k); break;
	}
}

/* nd_printn: N bytes at AT as safe text, stopping at the capture's end;
 * 1 when it stopped short. */
static int printn(const struct dns *d, long at, long n)
{
	for (; n > 0 && at < d->end; n--, at++) {
		uint8_t ch = (uint8_t)u8(d, at);
		ob_safe(&d->c->out, &ch, 1);
	}
	return n != 0;
}

/* ns_nskip: the offset after the name at CP, NIL when it cannot tell. */
static long nskip(const struct dns *d, long cp)
{
	if (!have(d, cp, 1))
		return NIL;
	unsigned i = u8(d, cp++);
	while (i) {
		switch (i & 0xc0) {
		case 0xc0: return cp + 1;
		case 0x40: {
			if ((i & 0x3f) != 0x01 || !have(d, cp, 1))
				return NIL;
			unsigned bits = u8(d, cp++);
			cp += ((bits ? bits : 256) + 7) / 8;
			break;
		}
		case 0x80: return NIL;
		default: cp += i; break;
		}
		if (!have(d, cp, 1))
			return NIL;
		i = u8(d, cp++);
	}
	return cp;
}

/* blabel_print: an EDNS0 bit-string label, \[xHEX/BITS]. */
static long blabel(const struct dns *d, long cp)
{
	struct obuf *o = &d->c->out;
	if (!have(d, cp, 1))
		return NIL;
	unsigned bitlen = u8(d, cp), b;
	if (!bitlen)
		bitlen = 256;
	long lim = cp + 1 + (bitlen + 3) / 4, p = cp + 1;
	ob_str(o, "\\[x");
	for (b = bitlen; p < lim && b > 7; b -= 8, p++)
		ob_fmt(o, "%02x", u8(d, p));
	if (b > 4)
		ob_fmt(o, "%02x", u8(d, p) & (0xff << (8 - b)) & 0xff);
	else if (b > 0)
		ob_fmt(o, "%1x", ((u8(d, p) >> 4) & 0x0f) & (0x0f << (4 - b)) & 0x0f);
	ob_fmt(o, "/%u]", bitlen);
	return lim;
}

static long labellen(const struct dns *d, long cp)
{
	if (!have(d, cp, 1))
		return -1;
	unsigned i = u8(d, cp);
	switch (i & 0xc0) {
	case 0x40: {
		if ((i & 0x3f) != 0x01) {
			ob_fmt(&d->c->out, "<ELT %d>", (int)(i & 0x3f));
			return -1;
		}
		if (!have(d, cp + 1, 1))
			return -1;
		unsigned bits = u8(d, cp + 1);
		return ((bits ? bits : 256) + 7) / 8 + 1;
	}
	case 0xc0:
	case 0x00: return i;
	default: ob_str(&d->c->out, "<BAD LABEL TYPE>"); return -1;
	}
}

/* The label at *CP: its first byte into *I, its length into *L, and *CP
 * past that byte; -1 when it is cut off or bad. */
static int next_label(const struct dns *d, long *cp, unsigned *i, long *l)
{
	if (!have(d, *cp, 1))
		return -1;
	*i = u8(d, *cp);
	if ((*l = labellen(d, *cp)) < 0)
		return -1;
	(*cp)++;
	return 0;
}

/* fqdn_print: the name at CP, pointers relative to BP; the offset after
 * it where it is stored, NIL on truncation or a bad name. */
static long fqdn(const struct dns *d, long cp, long bp)
{
	struct obuf *o = &d->c->out;
	long l = labellen(d, cp), rp = NIL;
	if (l < 0 || !have(d, cp, 1))
		return NIL;
	uint32_t max_off = (uint32_t)(cp - bp);
	unsigned i = u8(d, cp++), names = 0;
	int compress = 0;
	if ((i & 0xc0) != 0xc0)
		rp = cp + l;
	if (i == 0) {
		ob_chr(o, '.');
		return rp;
	}
	while (i && cp < d->end) {
		switch (i & 0xc0) {
		case 0xc0: {
			if (!compress) {
				rp = cp + 1;
				compress = 1;
			}
			if (!have(d, cp, 1))
				return NIL;
			uint32_t off = ((i << 8) | u8(d, cp)) & 0x3fff;
			if (off >= max_off) {
				ob_str(o, "<BAD PTR>");
				return NIL;
			}
			max_off = off;
			cp = bp + off;
			if (next_label(d, &cp, &i, &l) < 0)
				return NIL;
			continue;
		}
		case 0x40:
			if ((i & 0x3f) != 0x01) {
				ob_fmt(o, "<ELT %u>", i & 0x3f);
				return NIL;
			}
			if (blabel(d, cp) == NIL)
				return NIL;
			break;
		case 0x80: ob_str(o, "<BAD LABEL TYPE>"); return NIL;
		default:
			if (names + l <= 255) {
				if (printn(d, cp, l))
					return NIL;
			} else if (names < 255) {
				if (printn(d, cp, 255 - names))
					return NIL;
			}
			names += (unsigned)l;
			break;
		}
		cp += l;
		if (names <= 255)
			ob_chr(o, '.');
		names++;
		if (next_label(d, &cp, &i, &l) < 0)
			return NIL;
		if (!compress)
			rp += l + 1;
	}
	if (names > 255)
		ob_str(o, "<DOMAIN NAME TOO LONG>");
	return rp;
}

/* ns_qprint: one question. */
static long qprint(const struct dns *d, long cp)
{
	struct decode_ctx *c = d->c;
	long np = cp;
	cp = nskip(d, cp);
	if (cp == NIL || !have(d, cp, 4))
		return NIL;
	type_text(c, u16(d, cp));
	unsigned i = u16(d, cp + 2), k = d->mdns ? (i & 0x7fff) : i;
	if (k != 1)
		class_text(c, k);
	if (d->mdns)
		ob_str(&c->out, i & 0x8000 ? " (QU)" : " (QM)");
	ob_str(&c->out, "? ");
	cp = fqdn(d, np, 0);
	return cp == NIL ? NIL : cp + 4;
}

/* unsigned_relts_print: a TTL as 1w2d3h4m5s. */
static void relts(struct obuf *o, uint32_t secs)
{
	static const char *const unit[] = {"y", "w", "d", "h", "m", "s"};
	static const uint32_t len[] = {31536000, 604800, 86400, 3600, 60, 1};
	if (!secs) {
		ob_str(o, "0s");
		return;
	}
	for (int i = 0; secs > 0 && i < 6; i++)
		if (secs >= len[i]) {
			ob_fmt(o, "%u%s", secs / len[i], unit[i]);
			secs %= len[i];
		}
}

static const char *tok(const char *const *names, unsigned n, unsigned v)
{
	return v < n ? names[v] : NULL;
}

static void alg_list(const struct dns *d, long cp, unsigned n, unsigned which)
{
	static const char *const dau[] = {"DELETE",
					  "RSAMD5",
					  "DH",
					  "DS",
					  NULL,
					  "RSASHA1",
					  "DSA-NSEC3-SHA1",
					  "RSASHA1-NSEC3-SHA1",
					  "RSASHA256",
					  NULL,
					  "RSASHA512",
					  NULL,
					  "ECC-GOST",
					  "ECDSAP256SHA256",
					  "ECDSAP384SHA384",
					  "ED25519",
					  "ED448"};
	static const char *const dhu[] = {NULL, "SHA-1", "SHA-256", "GOST_R_34.11-94", "SHA-384"};
	static const char *const n3u[] = {NULL, "SHA-1"};
	for (unsigned i = 0; i < n; i++) {
		unsigned a = u8(d, cp + i);
		const char *s = which == 5   ? tok(dau, 17, a)
				: which == 6 ? tok(dhu, 5, a)
					     : tok(n3u, 2, a);
		if (which == 5 && a == 252)
			s = "INDIRECT";
		else if (which == 5 && a == 253)
			s = "PRIVATEDNS";
		else if (which == 5 && a == 254)
			s = "PRIVATEOID";
		if (i)
			ob_chr(&d->c->out, ' ');
		if (s)
			ob_str(&d->c->out, s);
		else
			ob_fmt(&d->c->out, "Alg_%u", a);
	}
}

static void ecs(const struct dns *d, long cp, unsigned n)
{
	struct obuf *o = &d->c->out;
	if (n < 4) {
		ob_str(o, " (invalid)");
		return;
	}
	unsigned fam = u16(d, cp), src = u8(d, cp + 2), scope = u8(d, cp + 3), bits;
	if (fam == 1)
		bits = 32;
	else if (fam == 2)
		bits = 128;
	else {
		ob_str(o, " (invalid)");
		return;
	}
	if (n - 4 > bits / 8 || src > bits || scope > bits || (src + 7) / 8 != n - 4) {
		ob_str(o, " (invalid)");
		return;
	}
	uint8_t a[16] = {0};
	for (unsigned i = 0; i < n - 4; i++)
		a[i] = (uint8_t)u8(d, cp + 4 + i);
	if (fam == 1)
		ob_ip4(o, a);
	else
		ob_ip6(o, a);
	ob_fmt(o, "/%u/%u", src, scope);
}

/* eopt_print: one EDNS option. */
static long eopt(const struct dns *d, long cp)
{
	static const char *const names[] = {NULL,     "LLQ",	    "UL",	 "NSID",  NULL,
					    "DAU",    "DHU",	    "N3U",	 "ECS",	  "EXPIRE",
					    "COOKIE", "KEEPALIVE",  "PADDING",	 "CHAIN", "KEY-TAG",
					    NULL,     "CLIENT-TAG", "SERVER-TAG"};
	struct obuf *o = &d->c->out;
	if (!have(d, cp, 2))
		return NIL;
	unsigned opt = u16(d, cp), n;
	const char *s = tok(names, 18, opt);
	if (s)
		ob_str(o, s);
	else
		ob_fmt(o, "Opt%u", opt);
	if (!have(d, cp + 2, 2))
		return NIL;
	n = u16(d, cp + 2);
	cp += 4;
	if (!have(d, cp, n))
		return NIL;
	if (!n)
		return cp;
	ob_chr(o, ' ');
	switch (opt) {
	case 8: ecs(d, cp, n); break;
	case 10:
		if (n < 8 || (n > 8 && n < 16) || n > 40) {
			ob_str(o, " (invalid)");
			break;
		}
		for (unsigned i = 0; i < n; i++)
			ob_fmt(o, i == 8 ? " %02x" : "%02x", u8(d, cp + i));
		break;
	case 11:
		if (n != 2)
			ob_str(o, " (invalid)");
		else
			ob_fmt(o, "%0.1f sec", u16(d, cp) / 10.0);
		break;
	case 9:
		if (n != 4)
			ob_str(o, " (invalid)");
		else
			ob_fmt(o, "%u sec", u32(d, cp));
		break;
	case 12: ob_fmt(o, "(%u)", n); break;
	case 14:
		if (n % 2) {
			ob_str(o, " (invalid)");
			break;
		}
		for (unsigned i = 0; i < n; i += 2)
			ob_fmt(o, i ? " %u" : "%u", u16(d, cp + i));
		break;
	case 5:
	case 6:
	case 7: alg_list(d, cp, n, opt); break;
	case 13: fqdn(d, cp, cp + n); break;
	default:
		for (unsigned i = 0; i < n; i++)
			ob_fmt(o, "%02x", u8(d, cp + i));
		break;
	}
	return cp + n;
}

/* The record data of the types tcpdump decodes (ns_rprint's switch); 0 on
 * truncation. */
static int rdata(const struct dns *d, unsigned typ, long cp, unsigned len, unsigned k,
		 unsigned optfl)
{
	struct obuf *o = &d->c->out;
	int v = d->c->o.verbose;
	switch (typ) {
	case 1: {
		uint8_t a[4];
		if (!have(d, cp, 4))
			return 0;
		cur_copy(d->m, (uint32_t)cp, a, 4);
		ob_chr(o, ' ');
		ob_ip4(o, a);
		return 1;
	}
	case 28: {
		uint8_t a[16];
		if (!have(d, cp, 16))
			return 0;
		cur_copy(d->m, (uint32_t)cp, a, 16);
		ob_chr(o, ' ');
		ob_ip6(o, a);
		return 1;
	}
	case 2:
	case 5:
	case 12:
	case 39: ob_chr(o, ' '); return fqdn(d, cp, 0) != NIL;
	case 6:
		if (!v)
			return 1;
		ob_chr(o, ' ');
		if ((cp = fqdn(d, cp, 0)) == NIL)
			return 0;
		ob_chr(o, ' ');
		if ((cp = fqdn(d, cp, 0)) == NIL || !have(d, cp, 20))
			return 0;
		for (int i = 0; i < 5; i++)
			ob_fmt(o, " %u", u32(d, cp + 4 * i));
		return 1;
	case 15:
		ob_chr(o, ' ');
		if (!have(d, cp, 2) || fqdn(d, cp + 2, 0) == NIL)
			return 0;
		ob_fmt(o, " %u", u16(d, cp));
		return 1;
	case 16:
		for (long rp = cp + len; cp < rp;) {
			ob_str(o, " \"");
			if (!have(d, cp, 1))
				return 0;
			unsigned n = u8(d, cp);
			if (printn(d, cp + 1, n))
				return 0;
			cp += 1 + n;
			ob_chr(o, '"');
		}
		return 1;
	case 33:
		ob_chr(o, ' ');
		if (!have(d, cp, 6) || fqdn(d, cp + 6, 0) == NIL)
			return 0;
		ob_fmt(o, ":%u %u %u", u16(d, cp + 4), u16(d, cp), u16(d, cp + 2));
		return 1;
	case 38: {
		if (!have(d, cp, 1))
			return 0;
		unsigned pbit = u8(d, cp), pbyte = (pbit & ~7u) / 8;
		if (pbit > 128) {
			ob_fmt(o, " %u(bad plen)", pbit);
			return 1;
		}
		if (pbit < 128) {
			uint8_t a[16] = {0};
			if (!have(d, cp + 1, 16 - pbyte))
				return 0;
			cur_copy(d->m, (uint32_t)cp + 1, a + pbyte, 16 - pbyte);
			ob_fmt(o, " %u ", pbit);
			ob_ip6(o, a);
		}
		if (pbit > 0) {
			ob_chr(o, ' ');
			return fqdn(d, cp + 1 + 16 - pbyte, 0) != NIL;
		}
		return 1;
	}
	case 256:
		if (!have(d, cp, len))
			return 0;
		ob_fmt(o, " %u %u ", u16(d, cp), u16(d, cp + 2));
		return !printn(d, cp + 4, (long)len - 4);
	case 41:
		ob_fmt(o, " UDPsize=%u", k);
		if (optfl & 0x8000)
			ob_str(o, " DO");
		if (len) {
			long rp = cp + len;
			ob_str(o, " [");
			while (cp < rp) {
				if ((cp = eopt(d, cp)) == NIL)
					return 0;
				if (cp < rp)
					ob_chr(o, ',');
			}
			ob_chr(o, ']');
		}
		return 1;
	case 104:
		if (!have(d, cp, len))
			return 0;
		return !printn(d, cp, len);
	case 250:
		if (cp + len > d->end)
			return 0;
		if (!v)
			return 1;
		ob_chr(o, ' ');
		if ((cp = fqdn(d, cp, 0)) == NIL)
			return 0;
		cp += 6;
		if (!have(d, cp, 4))
			return 0;
		ob_fmt(o, " fudge=%u", u16(d, cp));
		ob_fmt(o, " maclen=%u", u16(d, cp + 2));
		cp += 4 + u16(d, cp + 2);
		if (!have(d, cp, 2))
			return 0;
		ob_fmt(o, " origid=%u", u16(d, cp));
		if (!have(d, cp + 2, 2))
			return 0;
		ob_fmt(o, " error=%u", u16(d, cp + 2));
		if (!have(d, cp + 4, 2))
			return 0;
		ob_fmt(o, " otherlen=%u", u16(d, cp + 4));
		return 1;
	default: return 1;
	}
}

/* ns_rprint: one resource record; the offset after it, NIL on truncation
 * (d->end when the record's header is not there). */
static long rprint(const struct dns *d, long cp)
{
	struct decode_ctx *c = d->c;
	if (c->o.verbose) {
		ob_chr(&c->out, ' ');
		if ((cp = fqdn(d, cp, 0)) == NIL)
			return NIL;
	} else
		cp = nskip(d, cp);
	if (cp == NIL || !have(d, cp, 10))
		return d->end;
	unsigned typ = u16(d, cp), i = u16(d, cp + 2), optfl = 0;
	unsigned k = d->mdns ? (i & 0x7fff) : i;
	if (k != 1 && typ != 41)
		class_text(c, k);
	if (d->mdns && (i & 0x8000))
		ob_str(&c->out, " (Cache flush)");
	if (typ == 41)
		optfl = u16(d, cp + 6);
	else if (c->o.verbose > 2) {
		ob_str(&c->out, " [");
		relts(&c->out, u32(d, cp + 4));
		ob_chr(&c->out, ']');
	}
	unsigned len = u16(d, cp + 8);
	cp += 10;
	long rp = cp + len;
	type_text(c, typ);
	if (rp > d->end)
		return NIL;
	return rdata(d, typ, cp, len, k, optfl) ? rp : NIL;
}

/* COUNT records from *CP, after LABEL (" ns:"), comma-separated; 0 on
 * truncation. */
static int section(const struct dns *d, long *cp, unsigned count, const char *label, int first)
{
	if (!count)
		return 1;
	if (!first && *cp >= d->end)
		return 0;
	ob_str(&d->c->out, label);
	if ((*cp = rprint(d, *cp)) == NIL)
		return 0;
	count--;
	while (*cp < d->end && count) {
		ob_chr(&d->c->out, ',');
		if ((*cp = rprint(d, *cp)) == NIL)
			return 0;
		count--;
	}
	return count == 0;
}

static const char *const ops[] = {"",	      " inv_q",	   " stat",	" op3",
				  " notify",  " update",   " op6",	" op7",
				  " op8",     " updateA",  " updateD",	" updateDA",
				  " updateM", " updateMA", " zoneInit", " zoneRef"};

static void rcode_text(struct obuf *o, unsigned rc)
{
	static const char *const r[] = {
		"",	     " FormErr", " ServFail", " NXDomain", " NotImp",  " Refused",
		" YXDomain", " YXRRSet", " NXRRSet",  " NotAuth",  " NotZone", " Resp11",
		" Resp12",   " Resp13",	 " Resp14",   " NoChange", " BadVers", "Resp17",
		" Resp18",   " Resp19",	 " Resp20",   "Resp21",	   " Resp22",  " BadCookie"};
	if (rc < sizeof(r) / sizeof(r[0]))
		ob_str(o, r[rc]);
	else
		ob_fmt(o, " Resp%u", rc & 0xfff);
}

/* The extended rcode of an OPT record in the additional section. */
static unsigned ext_rcode(const struct dns *d, unsigned qd, unsigned an, unsigned ar)
{
	long cp = 12;
	for (unsigned i = 0; i < qd; i++)
		if ((cp = nskip(d, cp)) == NIL || (cp += 4) >= d->end)
			return 0;
	for (unsigned i = 0; i < an; i++) {
		if ((cp = nskip(d, cp)) == NIL || (cp += 8) + 2 > d->end)
			return 0;
		cp += 2 + u16(d, cp);
		if (cp >= d->end)
			return 0;
	}
	for (unsigned i = 0; i < ar; i++) {
		if ((cp = nskip(d, cp)) == NIL || cp + 2 > d->end)
			return 0;
		unsigned type = u16(d, cp);
		if ((cp += 4) + 1 > d->end)
			return 0;
		if (type == 41)
			return u8(d, cp) << 4;
		if ((cp += 4) + 2 > d->end)
			return 0;
		cp += 2 + u16(d, cp);
		if (cp >= d->end)
			return 0;
	}
	return 0;
}

static int response(const struct dns *d, unsigned fl, unsigned qd, unsigned an, unsigned ns,
		    unsigned ar)
{
	struct obuf *o = &d->c->out;
	int vv = d->c->o.verbose > 1;
	ob_fmt(o, "%u%s", u16(d, 0), ops[(fl >> 11) & 15]);
	rcode_text(o, (fl & 15) | ext_rcode(d, qd, an + ns, ar));
	ob_fmt(o, "%s%s%s%s", fl & 0x400 ? "*" : "", fl & 0x80 ? "" : "-", fl & 0x200 ? "|" : "",
	       fl & 0x20 ? "$" : "");
	if (qd != 1)
		ob_fmt(o, " [%uq]", qd);
	long cp = 12;
	for (unsigned i = 0; i < qd; i++) {
		if (i)
			ob_chr(o, ',');
		if (vv) {
			ob_str(o, " q:");
			if ((cp = qprint(d, cp)) == NIL)
				return 0;
		} else {
			if ((cp = nskip(d, cp)) == NIL)
				return 0;
			cp += 4;
		}
	}
	ob_fmt(o, " %u/%u/%u", an, ns, ar);
	if (!section(d, &cp, an, "", 1))
		return 0;
	return !vv || (section(d, &cp, ns, " ns:", 0) && section(d, &cp, ar, " ar:", 0));
}

static int query(const struct dns *d, unsigned fl, unsigned qd, unsigned an, unsigned ns,
		 unsigned ar)
{
	struct obuf *o = &d->c->out;
	ob_fmt(o, "%u%s%s%s", u16(d, 0), ops[(fl >> 11) & 15], fl & 0x100 ? "+" : "",
	       fl & 0x10 ? "%" : "");
	if (fl & 0x6cf)
		ob_fmt(o, " [b2&3=0x%x]", fl);
	if (((fl >> 11) & 15) == 1) {
		if (qd)
			ob_fmt(o, " [%uq]", qd);
		if (an != 1)
			ob_fmt(o, " [%ua]", an);
	} else {
		if (an)
			ob_fmt(o, " [%ua]", an);
		if (qd != 1)
			ob_fmt(o, " [%uq]", qd);
	}
	if (ns)
		ob_fmt(o, " [%un]", ns);
	if (ar)
		ob_fmt(o, " [%uau]", ar);
	long cp = 12;
	if (qd) {
		if ((cp = qprint(d, cp)) == NIL)
			return 0;
		qd--;
		while (cp < d->end && qd) {
			if ((cp = qprint(d, cp)) == NIL)
				return 0;
			qd--;
		}
	}
	if (qd)
		return 0;
	if (d->c->o.verbose < 2)
		return 1;
	return section(d, &cp, an, "", 1) && section(d, &cp, ns, " ns:", 0) &&
	       section(d, &cp, ar, " ar:", 0);
}

void print_dns(struct decode_ctx *c, struct cursor *cu, uint32_t len, int how)
{
	layer(c, "dns");
	if (c->o.verbose)
		layer(c, "dns-v");
	struct cursor m = *cu;
	if (how & DNS_TCP) {
		layer(c, "dns-tcp");
		if (len < 2) {
			ob_fmt(&c->out, " [DNS over TCP: length %u < 2] (invalid)", len);
			return;
		}
		len -= 2;
		if (!cur_avail(&m, 0, 2)) {
			trunc_whole(c, "domain");
			return;
		}
		if (cur_u16(&m, 0) != len) {
			ob_fmt(&c->out, " [prefix length(%u) != length(%u)] (invalid)",
			       cur_u16(&m, 0), len);
			return;
		}
		cur_skip(&m, 2);
		ob_chr(&c->out, ' ');
	}
	m = cur_sub(&m, len);
	if (len < 12) {
		ob_fmt(&c->out, "domain [length %u < 12] (invalid)", len);
		return;
	}
	struct dns d = {c, &m, m.len, (how & DNS_MDNS) != 0};
	if (!have(&d, 0, 12)) {
		trunc_mark(c, "domain");
		return;
	}
	unsigned fl = u16(&d, 2), qd = u16(&d, 4), an = u16(&d, 6), ns = u16(&d, 8);
	unsigned ar = u16(&d, 10);
	int ok = fl & 0x8000 ? response(&d, fl, qd, an, ns, ar) : query(&d, fl, qd, an, ns, ar);
	if (ok)
		ob_fmt(&c->out, " (%u)", len);
	else
		trunc_mark(c, "domain");
}
