/* addr.c - addresses and text from packets, as tcpdump prints them with -n:
 * names are never looked up (no resolver call can block the printer). */
#include "priv.h"

static char *dec8(char *o, unsigned v)
{
	if (v >= 100)
		*o++ = (char)('0' + v / 100);
	if (v >= 10)
		*o++ = (char)('0' + v / 10 % 10);
	*o++ = (char)('0' + v % 10);
	return o;
}

void ob_ip4(struct obuf *b, const uint8_t a[4])
{
	char d[16], *o = d;
	for (int i = 0; i < 4; i++) {
		if (i)
			*o++ = '.';
		o = dec8(o, a[i]);
	}
	ob_mem(b, d, (size_t)(o - d));
}

void ip4_at(struct decode_ctx *c, struct cursor *cu, uint32_t at)
{
	uint8_t a[4];
	cur_copy(cu, at, a, 4);
	ob_ip4(&c->out, a);
}

/* As inet_ntop(): the longest run of two or more zero groups (the first of
 * equals) as "::", IPv4-mapped and -compatible addresses' last 32 bits as
 * a dotted quad. */
void ob_ip6(struct obuf *b, const uint8_t a[16])
{
	unsigned w[8];
	int best = -1, blen = 0;
	for (int i = 0, run = 0; i < 8; i++) {
		w[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
		run = w[i] ? 0 : run + 1;
		if (run > blen) {
			blen = run;
			best = i - run + 1;
		}
	}
	if (blen < 2)
		best = -1;
	char d[48], *o = d; /* B may be a fixed field (struct fields): no room to spare */
	for (int i = 0; i < 8; i++) {
		if (best >= 0 && i >= best && i < best + blen) {
			if (i == best)
				*o++ = ':';
			continue;
		}
		if (i)
			*o++ = ':';
		if (i == 6 && best == 0 && (blen == 6 || (blen == 5 && w[5] == 0xffff))) {
			o = dec8(o, a[12]);
			for (int j = 13; j < 16; j++) {
				*o++ = '.';
				o = dec8(o, a[j]);
			}
			break;
		}
		int started = 0;
		for (int sh = 12; sh >= 0; sh -= 4) {
			unsigned x = (w[i] >> sh) & 15;
			if (x || started || sh == 0) {
				*o++ = ob_hexdigits[x];
				started = 1;
			}
		}
	}
	if (best >= 0 && best + blen == 8)
		*o++ = ':';
	ob_mem(b, d, (size_t)(o - d));
}

void ob_mac(struct obuf *b, const uint8_t a[6])
{
	char d[17], *o = d;
	for (int i = 0; i < 6; i++) {
		if (i)
			*o++ = ':';
		*o++ = ob_hexdigits[a[i] >> 4];
		*o++ = ob_hexdigits[a[i] & 15];
	}
	ob_mem(b, d, 17);
}

/* tcpdump's nd_printjn style: printable ASCII as is, the rest escaped. */
void ob_safe(struct obuf *b, const uint8_t *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned ch = s[i];
		if (ch & 0x80) {
			ob_str(b, "M-");
			ch &= 0x7f;
		}
		if (ch < 0x20 || ch == 0x7f) {
			ob_chr(b, '^');
			ob_chr(b, (char)(ch ^ 0x40));
		} else {
			ob_chr(b, (char)ch);
		}
	}
}

void ip6_at(struct decode_ctx *c, struct cursor *cu, uint32_t at)
{
	uint8_t a[16];
	cur_copy(cu, at, a, 16);
	ob_ip6(&c->out, a);
}
