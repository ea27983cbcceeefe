/* diag.c - recording and formatting diagnostics; see diag.h. */
#include "base/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int diag_set(struct diag_sink *s, enum filter_err code, size_t begin, size_t end, const char *fmt,
	     ...)
{
	if (s->set)
		return -1;
	s->set = 1;
	s->d.code = code;
	s->d.begin = begin;
	s->d.end = end >= begin ? end : begin; /* empty at the end of input */
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->d.message, sizeof(s->d.message), fmt, ap);
	va_end(ap);
	return -1;
}

void diag_clear(struct diag_sink *s)
{
	memset(s, 0, sizeof(*s));
}

/* Where the line holding byte OFF starts and ends, and its number. */
static void locate(const char *expr, size_t len, size_t off, size_t *bol, size_t *eol, size_t *line)
{
	size_t b = 0, n = 1;
	for (size_t i = 0; i < off && i < len; i++)
		if (expr[i] == '\n') {
			b = i + 1;
			n++;
		}
	size_t e = b;
	while (e < len && expr[e] != '\n')
		e++;
	*bol = b;
	*eol = e;
	*line = n;
}

/* Append the expression line (control bytes shown as '?') and the caret. */
static void append_caret(char *out, size_t *pos, size_t cap, const char *expr, size_t bol,
			 size_t eol, size_t begin, size_t end)
{
	size_t p = *pos;
	p += (size_t)snprintf(out + p, cap - p, "  ");
	for (size_t i = bol; i < eol; i++) {
		unsigned char c = (unsigned char)expr[i];
		out[p++] = (c < 0x20 && c != '\t') || c == 0x7f ? '?' : (char)c;
	}
	p += (size_t)snprintf(out + p, cap - p, "\n  ");
	for (size_t i = bol; i < begin; i++)
		out[p++] = expr[i] == '\t' ? '\t' : ' ';
	size_t stop = end < eol ? end : eol;
	if (stop <= begin)
		stop = begin + 1;
	for (size_t i = begin; i < stop; i++)
		out[p++] = '^';
	out[p++] = '\n';
	out[p] = '\0';
	*pos = p;
}

char *filter_diag_format(const struct filter_diag *d, const char *expr, size_t len, int caret)
{
	if (!d)
		return NULL;
	size_t begin = d->begin > len ? len : d->begin;
	size_t end = d->end > len ? len : d->end;
	size_t bol, eol, line;
	locate(expr ? expr : "", expr ? len : 0, begin, &bol, &eol, &line);
	size_t cap = sizeof(d->message) + 64 + 3 * (eol - bol) + 16;
	char *out = malloc(cap);
	if (!out)
		return NULL;
	size_t pos = (size_t)snprintf(out, cap, "%zu:%zu: %s\n", line, begin - bol + 1, d->message);
	if (caret && expr && pos < cap)
		append_caret(out, &pos, cap, expr, bol, eol, begin, end);
	return out;
}
