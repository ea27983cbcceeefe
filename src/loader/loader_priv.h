/* loader_priv.h - shared inside src/loader only. */
#ifndef BPFCAP_LOADER_PRIV_H
#define BPFCAP_LOADER_PRIV_H

#include <stddef.h>

void loader_log_append(const char *s, size_t n);
void loader_seterr(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
