/* helpers.h - compile an expression in tests and run it with libpcap. */
#ifndef BPFCAP_TEST_HELPERS_H
#define BPFCAP_TEST_HELPERS_H

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"

/* 0 and a program, or -1 with the diagnostic copied to *DIAG. */
static inline int compile_expr(int dlt, const char *expr, int no_opt, struct filter_prog *p,
			       struct filter_diag *diag)
{
	struct filter_options o = {.dlt = dlt, .no_optimize = no_opt};
	struct filter_ctx *c = filter_ctx_new(&o);
	if (!c)
		return -1;
	int rc = filter_compile(c, expr, strlen(expr));
	if (rc == 0)
		rc = filter_emit_cbpf(c, p);
	if (rc < 0 && diag)
		*diag = *filter_ctx_diag(c);
	filter_ctx_free(c);
	return rc;
}

static inline unsigned run_prog(const struct filter_prog *p, const uint8_t *pkt, unsigned len)
{
	return bpf_filter((const struct bpf_insn *)(const void *)p->insns, pkt, len, len);
}

#endif
