/* ebpfkern.c - loading and running eBPF programs for tests/kern/ebpfdiff.c
 * (libbpf); see ebpfkern.h. */
#include <bpf/bpf.h>
#include <errno.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ebpfkern.h"

unsigned long ek_loaded, ek_load_fail, ek_max_processed;
int ek_stats;
char ek_max_expr[256];
static char logbuf[1 << 20];

int ek_probe(void)
{
	struct bpf_insn ok[] = {{.code = BPF_ALU64 | BPF_MOV | BPF_K, .imm = XDP_PASS},
				{.code = BPF_JMP | BPF_EXIT}};
	int fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "probe", "GPL", ok, 2, NULL);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

/* ---- loading and running ------------------------------------------------ */

int ek_load(const struct filter_ebpf_prog *ep, const char *expr, const char *what)
{
	LIBBPF_OPTS(bpf_prog_load_opts, o, .log_buf = logbuf, .log_size = sizeof(logbuf),
		    .log_level = 4);
	enum bpf_prog_type t =
		ep->hook == FILTER_HOOK_XDP ? BPF_PROG_TYPE_XDP : BPF_PROG_TYPE_SCHED_CLS;
	logbuf[0] = 0;
	int fd = bpf_prog_load(t, "bpfcap_diff", "GPL", (const struct bpf_insn *)ep->insns, ep->len,
			       &o);
	if (fd < 0) {
		o.log_level = 1;
		fd = bpf_prog_load(t, "bpfcap_diff", "GPL", (const struct bpf_insn *)ep->insns,
				   ep->len, &o);
		if (fd >= 0)
			return fd;
		ek_load_fail++;
		printf("LOAD-FAILED %s '%s': %s\n", what, expr, strerror(errno));
		size_t l = strlen(logbuf);
		printf("%s\n", l > 3000 ? logbuf + l - 3000 : logbuf);
		return -1;
	}
	const char *s = strstr(logbuf, "processed ");
	unsigned long pr = s ? strtoul(s + 10, NULL, 10) : 0;
	if (ek_stats)
		printf("STAT %s '%s': %zu insns, %lu processed\n", what, expr, ep->len, pr);
	if (pr > ek_max_processed) {
		ek_max_processed = pr;
		snprintf(ek_max_expr, sizeof(ek_max_expr), "%s %s (%zu insns)", what, expr,
			 ep->len);
	}
	ek_loaded++;
	return fd;
}

/* 1 accept, 0 reject, -1 error. */
int ek_run(int fd, enum filter_hook hook, const void *data, uint32_t len)
{
	uint8_t out[4096];
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = data, .data_size_in = len, .data_out = out,
		    .data_size_out = sizeof(out), .repeat = 1);
	if (bpf_prog_test_run_opts(fd, &o) < 0)
		return errno == EINVAL && hook == FILTER_HOOK_TC ? -2 : -1;
	if (hook == FILTER_HOOK_XDP)
		return o.retval == XDP_PASS ? 1 : o.retval == XDP_DROP ? 0 : -1;
	return o.retval == 0 ? 1 : o.retval == 2 ? 0 : -1;
}
