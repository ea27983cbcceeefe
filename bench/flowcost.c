/*
 * flowcost - what flow counting costs, measured in one run:
 *  1. per packet at XDP, BPF_PROG_TEST_RUN with a repeat count: the
 *     counting program (xdp/flow.bpf.c) against a program that only returns
 *     XDP_PASS, on the same 64-byte IPv4/UDP frame: one hot flow; the same
 *     flow in a map that holds 100,000 others; and 100,000 flows in turn
 *     (one run per frame, so each packet finds a different entry: once
 *     when they are created, once when they exist);
 *  2. the refresh of --top with 100,000 flows in the map: CPU time of one
 *     interval's read (batch lookup, sum over CPUs), sort by key, rates
 *     and sort for display, and of one JSON record of them all.
 * Not a test: it prints figures.  flowcost [REPEAT]  (default 2000000)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include "flow/flow.h"
#include "loader/loader.h"

#define NFLOWS 100000

static void frame(uint8_t *f, uint32_t flow)
{
	memset(f, 0, 64);
	memcpy(f, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00", 14);
	uint8_t *ip = f + 14;
	ip[0] = 0x45;
	ip[3] = 50;
	ip[8] = 64;
	ip[9] = 17;
	memcpy(ip + 12, (uint8_t[]){10, (uint8_t)(flow >> 16), (uint8_t)(flow >> 8), (uint8_t)flow},
	       4);
	memcpy(ip + 16, (uint8_t[]){10, 255, 0, 2}, 4);
	ip[20] = 0x30;
	ip[21] = 0x39;
	ip[23] = 53;
	ip[25] = 30;
}

static int pass_prog(void)
{
	struct bpf_insn insns[] = {
		{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = XDP_PASS},
		{.code = BPF_JMP | BPF_EXIT},
	};
	LIBBPF_OPTS(bpf_prog_load_opts, o, .expected_attach_type = BPF_XDP,
		    .prog_flags = BPF_F_XDP_HAS_FRAGS);
	return bpf_prog_load(BPF_PROG_TYPE_XDP, "xdp_pass", "GPL", insns, 2, &o);
}

/* ns per run: the kernel's average over REPEAT, best of 5 */
static double per_packet(int fd, const uint8_t *f, uint32_t repeat)
{
	double best = 1e18;
	for (int i = 0; i < 5; i++) {
		uint32_t ret, ns;
		if (loader_test_run(fd, f, 64, repeat, &ret, &ns) < 0)
			return -1;
		if (ns < best)
			best = ns;
	}
	return best;
}

/* ns per run, one run per flow for NFLOWS flows (the kernel's time only) */
static double cycling(int fd)
{
	uint8_t f[64];
	double sum = 0;
	for (uint32_t i = 0; i < NFLOWS; i++) {
		uint32_t ret, ns;
		frame(f, i + 1);
		if (loader_test_run(fd, f, 64, 1, &ret, &ns) < 0)
			return -1;
		sum += ns;
	}
	return sum / NFLOWS;
}

static double cpu_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void refresh(struct loader_flow *lf)
{
	struct flow_reader *r;
	if (flow_reader_new(loader_flow_map_fd(lf), loader_flow_stats_fd(lf),
			    loader_flow_entries(lf), &r) < 0)
		return;
	struct flow_rec *prev = calloc(loader_flow_entries(lf), sizeof(*prev)), *recs;
	size_t n = 0, np = 0;
	uint64_t st[FLOW_STAT_MAX];
	double worst = 0, json = 0;
	FILE *null = fopen("/dev/null", "w");
	for (int round = 0; round < 5 && prev && null; round++) {
		double t0 = cpu_ms();
		flow_reader_stats(r, st);
		flow_reader_read(r, &recs, &n);
		n = flow_sort_by_key(recs, n);
		flow_rates(prev, np, recs, n, 1.0);
		memcpy(prev, recs, n * sizeof(*recs));
		np = n;
		flow_sort(recs, n, FLOW_SORT_BYTES);
		double t1 = cpu_ms();
		struct flow_totals t;
		flow_totals_set(&t, st, NULL, 1, n, 0);
		struct flow_batch_info bi = {.iface = "bench", .hook = "xdp", .interval = 1};
		flow_print_json(null, &bi, &t, recs, n);
		double t2 = cpu_ms();
		if (t1 - t0 > worst)
			worst = t1 - t0;
		if (t2 - t1 > json)
			json = t2 - t1;
	}
	printf("refresh with %zu flows: %.1f ms CPU per interval (read, sum, rates, sort; "
	       "worst of 5; target < 100 ms)\n",
	       n, worst);
	printf("one --json record of %zu flows: %.1f ms CPU\n", n, json);
	if (null)
		fclose(null);
	free(prev);
	flow_reader_free(r);
}

int main(int argc, char **argv)
{
	uint32_t repeat = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 2000000;
	if (geteuid() != 0) {
		printf("flowcost: skipped: needs root to load BPF programs\n");
		return 0;
	}
	loader_log_init();
	struct loader_flow *lf;
	char err[256];
	struct loader_flow_opts o = {.flows = 131072};
	int pass = pass_prog();
	if (pass < 0 || loader_flow_open(&o, &lf, err, sizeof(err)) < 0) {
		fprintf(stderr, "flowcost: cannot load: %s\n%s", err, loader_log());
		return 2;
	}
	int count = bpf_program__fd(loader_flow_prog(lf, LOADER_HOOK_XDP));
	uint8_t f[64];
	frame(f, 0);
	double p = per_packet(pass, f, repeat), c = per_packet(count, f, repeat);
	printf("XDP_PASS program: %.1f ns/packet; counting, 1 flow: %.1f ns/packet; added %.1f ns "
	       "(target <= 40 ns)\n",
	       p, c, c - p);
	/* the first round creates the flows, the second finds them */
	double pc = cycling(pass), cnew = cycling(count), cold = cycling(count);
	printf("100000 flows in turn (one run each, caches cold): XDP_PASS %.1f ns; counting a new "
	       "flow %.1f ns (added %.1f); an existing flow %.1f ns (added %.1f)\n",
	       pc, cnew, cnew - pc, cold, cold - pc);
	double c2 = per_packet(count, f, repeat);
	printf("1 hot flow in a map of 100001: counting %.1f ns/packet; added %.1f ns\n", c2,
	       c2 - p);
	refresh(lf);
	loader_flow_close(lf);
	close(pass);
	return 0;
}
