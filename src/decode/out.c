/* out.c - the text buffer a packet's line is built in; see priv.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "priv.h"

void ob_grow(struct obuf *b, size_t n)
{
	size_t want = b->len + n + 1;
	if (want <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 1024;
	while (cap < want)
		cap *= 2;
	char *s = realloc(b->s, cap);
	if (!s)
		return;
	b->s = s;
	b->cap = cap;
}

const char ob_hexdigits[16] = "0123456789abcdef";

void ob_mem_big(struct obuf *b, const char *s, size_t n)
{
	char *d = ob_room(b, n);
	if (!d)
		return;
	memcpy(d, s, n);
	b->len += n;
}

void ob_u(struct obuf *b, uint64_t v)
{
	char t[24], *p = t + sizeof(t);
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	ob_mem(b, p, (size_t)(t + sizeof(t) - p));
}

void ob_i(struct obuf *b, int64_t v)
{
	if (v < 0) {
		ob_chr(b, '-');
		ob_u(b, (uint64_t)0 - (uint64_t)v);
	} else {
		ob_u(b, (uint64_t)v);
	}
}

void ob_hex(struct obuf *b, uint64_t v, int width)
{
	if (width == 2 && v < 256) {
		ob_hex2(b, (unsigned)v);
		return;
	}
	char t[20], *p = t + sizeof(t);
	do {
		*--p = ob_hexdigits[v & 15];
		v >>= 4;
		width--;
	} while (v || width > 0);
	ob_mem(b, p, (size_t)(t + sizeof(t) - p));
}

void ob_fmt(struct obuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t room = b->cap - b->len;
	int n = b->s ? vsnprintf(b->s + b->len, room, fmt, ap) : -1;
	va_end(ap);
	if (n >= 0 && (size_t)n < room) {
		b->len += (size_t)n;
		return;
	}
	va_start(ap, fmt);
	int need = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (need < 0)
		return;
	ob_grow(b, (size_t)need + 1);
	room = b->cap - b->len;
	if ((size_t)need >= room)
		return;
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, room, fmt, ap);
	va_end(ap);
	b->len += (size_t)need;
}
