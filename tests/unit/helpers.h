/* helpers.h - compile an expression in tests and run it with libpcap. */
#ifndef BPFCAP_TEST_HELPERS_H
#define BPFCAP_TEST_HELPERS_H

#include <errno.h>
#include <linux/filter.h>
#include <pcap/pcap.h>
#include <sys/socket.h>
#include <unistd.h>
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

/* 0 if the kernel's classic checker accepts P (SO_ATTACH_FILTER on a
 * UDP socket, no privilege needed), else the errno. */
static inline int kernel_accepts(const struct filter_prog *p)
{
	struct sock_fprog fp = {(unsigned short)p->len, (struct sock_filter *)(void *)p->insns};
	int fd = socket(AF_INET, SOCK_DGRAM, 0), rc = 0;
	if (fd < 0)
		return errno;
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &fp, sizeof(fp)) < 0)
		rc = errno;
	close(fd);
	return rc;
}

static inline unsigned run_prog(const struct filter_prog *p, const uint8_t *pkt, unsigned len)
{
	return bpf_filter((const struct bpf_insn *)(const void *)p->insns, pkt, len, len);
}

#endif
