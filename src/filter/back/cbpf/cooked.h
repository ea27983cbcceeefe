/* cooked.h - rewriting a cooked-header program for a cooked socket in the
 * kernel; see cooked.c. */
#ifndef BPFCAP_FILTER_COOKED_H
#define BPFCAP_FILTER_COOKED_H

#include <stdint.h>

#include "filter.h"

/* The cooked header's length for DLT, 0 if DLT is not a cooked one. */
uint32_t cooked_header_len(int dlt);
/* In place; -1 when the program reads a part of the header the kernel does
 * not hand over (the program is then half rewritten: discard it). */
int cooked_rewrite(struct filter_prog *p, int dlt);

#endif
