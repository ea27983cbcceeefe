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

/* The conversions ob_fmt() formats itself: flags '-' and '0', a width,
 * the length modifiers l, ll, z, and d i u x X c s %.  Anything else
 * (precision, '*', floating point) goes to vsnprintf(). */
static int simple_fmt(const char *f)
{
	for (; *f; f++) {
		if (*f != '%')
			continue;
		f++;
		while (*f == '-' || *f == '0')
			f++;
		while (*f >= '0' && *f <= '9')
			f++;
		while (*f == 'l' || *f == 'z')
			f++;
		if (!*f || !strchr("diuxXcs%", *f))
			return 0;
	}
	return 1;
}

static void pad(struct obuf *b, const char *s, size_t n, int width, int left, char fill)
{
	size_t w = width > 0 ? (size_t)width : 0;
	if (!left)
		for (; w > n; w--)
			ob_chr(b, fill);
	ob_mem(b, s, n);
	if (left)
		for (; w > n; w--)
			ob_chr(b, ' ');
}

static void conv(struct obuf *b, const char **fp, va_list *ap)
{
	const char *f = *fp;
	int left = 0, zero = 0, width = 0, lng = 0;
	for (; *f == '-' || *f == '0'; f++)
		*f == '-' ? (left = 1) : (zero = 1);
	for (; *f >= '0' && *f <= '9'; f++)
		width = width * 10 + (*f - '0');
	for (; *f == 'l' || *f == 'z'; f++)
		lng++;
	char t[24], *e = t + sizeof(t), *p = e;
	uint64_t v = 0;
	int neg = 0;
	switch (*f) {
	case '%': ob_chr(b, '%'); break;
	case 'c':
		t[0] = (char)va_arg(*ap, int);
		pad(b, t, 1, width, left, ' ');
		break;
	case 's': {
		const char *s = va_arg(*ap, const char *);
		pad(b, s ? s : "(null)", strlen(s ? s : "(null)"), width, left, ' ');
		break;
	}
	case 'd':
	case 'i': {
		int64_t x = lng > 1 ? va_arg(*ap, long long)
			    : lng   ? va_arg(*ap, long)
				    : va_arg(*ap, int);
		neg = x < 0;
		v = neg ? (uint64_t)0 - (uint64_t)x : (uint64_t)x;
		goto dec;
	}
	default: /* u x X */
		v = lng > 1 ? va_arg(*ap, unsigned long long)
		    : lng   ? va_arg(*ap, unsigned long)
			    : va_arg(*ap, unsigned);
		if (*f != 'u') {
			const char *dg = *f == 'x' ? "0123456789abcdef" : "0123456789ABCDEF";
			do
				*--p = dg[v & 15];
			while (v >>= 4);
			pad(b, p, (size_t)(e - p), width, left, zero && !left ? '0' : ' ');
			break;
		}
	dec:
		do
			*--p = (char)('0' + v % 10);
		while (v /= 10);
		if (neg && zero && !left) {
			ob_chr(b, '-');
			pad(b, p, (size_t)(e - p), width - 1, 0, '0');
		} else {
			if (neg)
				*--p = '-';
			pad(b, p, (size_t)(e - p), width, left, zero && !left ? '0' : ' ');
		}
		break;
	}
	*fp = f;
}

void ob_fmt(struct obuf *b, const char *fmt, ...)
{
	va_list ap;
	if (simple_fmt(fmt)) {
		va_start(ap, fmt);
		for (const char *f = fmt; *f; f++) {
			const char *q = f;
			while (*q && *q != '%')
				q++;
			if (q > f)
				ob_mem(b, f, (size_t)(q - f));
			if (!*q)
				break;
			f = q + 1;
			conv(b, &f, &ap);
		}
		va_end(ap);
		return;
	}
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
