/*
 * diag.h - diagnostics: the one error record a compile keeps, and its
 * formatting for people (line:col and a caret line).
 *
 * The first error wins: later calls to diag_set() are ignored while a
 * diagnostic is pending, so the message the user sees names the first
 * offending construct.
 */
#ifndef BPFCAP_FILTER_DIAG_H
#define BPFCAP_FILTER_DIAG_H

#include "filter.h"

#if defined(__GNUC__)
#define DIAG_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define DIAG_PRINTF(a, b)
#endif

struct diag_sink {
	struct filter_diag d;
	int set;
};

/* Record an error (if none is recorded yet).  Always returns -1 so that
 * callers can write `return diag_set(...)`. */
int diag_set(struct diag_sink *s, enum filter_err code, size_t begin, size_t end, const char *fmt,
	     ...) DIAG_PRINTF(5, 6);
void diag_clear(struct diag_sink *s);

#endif
