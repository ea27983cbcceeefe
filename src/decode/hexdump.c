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
	ob_str(b, ident);
	ob_str(b, "0x");
	ob_hex(b, off, 4);
	ob_str(b, ": ");
	uint32_t col = 0;
	for (uint32_t i = 0; i < n; i += 2) {
		ob_chr(b, ' ');
		ob_hex(b, p[i], 2);
		col += 3;
		if (i + 1 < n) {
			ob_hex(b, p[i + 1], 2);
			col += 2;
		}
	}
	if (!ascii)
		return;
	for (; col < 40; col++)
		ob_chr(b, ' ');
	ob_str(b, "  ");
	for (uint32_t i = 0; i < n; i++)
		ob_chr(b, graph(p[i]));
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
	if (c->o.hex || c->o.hexascii || c->o.ascii)
		return; /* the requested dump follows anyway */
	print_hex(c, cu, 1);
}
