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
unsigned long ek_xlated_same, ek_xlated_other, ek_xlated_bad;
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

/* What -d lists must be what the kernel runs: the verifier's rewrite of
 * an XDP program differs only in the two xdp_md loads of the prologue
 * (data and data_end become u64 loads from struct xdp_buff), unless it
 * removed dead code (then the lengths differ and nothing is compared). */
static int prologue_ctx_load(const struct bpf_insn *ours, const struct bpf_insn *kern, size_t i)
{
	return i <= 2 && ours->code == (BPF_LDX | BPF_MEM | BPF_W) &&
	       kern->code == (BPF_LDX | BPF_MEM | BPF_DW) && ours->dst_reg == kern->dst_reg &&
	       ours->src_reg == kern->src_reg && (ours->off == 0 || ours->off == 4);
}

static void compare_xlated(int fd, const struct filter_ebpf_prog *ep, const char *expr)
{
	struct bpf_prog_info info = {0};
	uint32_t len = sizeof(info);
	if (bpf_obj_get_info_by_fd(fd, &info, &len) < 0)
		return;
	size_t n = info.xlated_prog_len / sizeof(struct bpf_insn);
	if (n != ep->len) {
		ek_xlated_other++;
		return;
	}
	struct bpf_insn *x = calloc(n, sizeof(*x));
	struct bpf_prog_info info2 = {.xlated_prog_len = info.xlated_prog_len,
				      .xlated_prog_insns = (uint64_t)(uintptr_t)x};
	len = sizeof(info2);
	if (!x || bpf_obj_get_info_by_fd(fd, &info2, &len) < 0) {
		free(x);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (prologue_ctx_load((const struct bpf_insn *)&ep->insns[i], &x[i], i))
			continue; /* data, data_end */
		if (memcmp(&x[i], &ep->insns[i], sizeof(x[i]))) {
			printf("XLATED-DIFFERS '%s' at instruction %zu\n", expr, i);
			ek_xlated_bad++;
			free(x);
			return;
		}
	}
	ek_xlated_same++;
	free(x);
}

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
	if (ep->hook == FILTER_HOOK_XDP)
		compare_xlated(fd, ep, expr);
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
