/* hexdump.c - -x, -xx, -X, -XX, -A and the dump of unknown payloads, laid
 * out as tcpdump's (16 bytes a line, offsets in hex). */
#include "priv.h"

static char graph(uint8_t ch)
{
	return ch > 0x20 && ch < 0x7f ? (char)ch : '.';
}

static void line(struct obuf *b, uint32_t off, struct cursor *cu, uint32_t n, int ascii,
		 const char *ident)
{
	uint8_t p[16];
	cur_copy(cu, off, p, n);
	size_t il = strlen(ident);
	char *d = ob_room(b, il + 80);
	if (!d)
		return;
	char *o = d;
	memcpy(o, ident, il);
	o += il;
	*o++ = '0';
	*o++ = 'x';
	int digits = 4; /* "%04x" */
	while (digits < 8 && (off >> (4 * digits)))
		digits++;
	for (int sh = 4 * digits - 4; sh >= 0; sh -= 4)
		*o++ = ob_hexdigits[(off >> sh) & 15];
	*o++ = ':';
	*o++ = ' ';
	char *hex = o;
	for (uint32_t i = 0; i < n; i += 2) {
		*o++ = ' ';
		*o++ = ob_hexdigits[p[i] >> 4];
		*o++ = ob_hexdigits[p[i] & 15];
		if (i + 1 < n) {
			*o++ = ob_hexdigits[p[i + 1] >> 4];
			*o++ = ob_hexdigits[p[i + 1] & 15];
		}
	}
	if (ascii) {
		while (o - hex < 40)
			*o++ = ' ';
		*o++ = ' ';
		*o++ = ' ';
		for (uint32_t i = 0; i < n; i++)
			*o++ = graph(p[i]);
	}
	b->len += (size_t)(o - d);
}

void print_hex(struct decode_ctx *c, struct cursor *cu, int ascii)
{
	uint32_t n = cur_left(cu);
	for (uint32_t off = 0; off < n; off += 16)
		line(&c->out, off, cu, n - off < 16 ? n - off : 16, ascii, "\n\t");
}

void print_hex_ident(struct decode_ctx *c, struct cursor *cu, const char *ident, int ascii)
{
	uint32_t n = cur_left(cu);
	for (uint32_t off = 0; off < n; off += 16)
		line(&c->out, off, cu, n - off < 16 ? n - off : 16, ascii, ident);
}

void print_ascii(struct decode_ctx *c, struct cursor *cu)
{
	uint32_t n = cur_left(cu);
	ob_chr(&c->out, '\n');
	for (uint32_t i = 0; i < n; i++) {
		uint8_t ch = cur_u8(cu, i);
		if (ch == '\r') {
			/* a CR before a newline is dropped, elsewhere a dot */
			if (n - i - 1 > 1 && cur_u8(cu, i + 1) != '\n')
				ob_chr(&c->out, '.');
		} else if (ch == '\t' || ch == ' ' || ch == '\n' || (ch > 0x20 && ch < 0x7f)) {
			ob_chr(&c->out, (char)ch);
		} else {
			ob_chr(&c->out, '.');
		}
	}
}

void print_unknown_hex(struct decode_ctx *c, struct cursor *cu)
{
	/* tcpdump: -x, -X and -q suppress this dump; -A does not, its
	 * ASCII dump follows this one */
	if (c->o.hex || c->o.hexascii || c->o.quiet)
		return;
	print_hex(c, cu, 1);
}
