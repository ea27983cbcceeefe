/*
 * hookcost.c - the cost inside the kernel of capturing at XDP and tc
 * (xdp/capture.bpf.c), with BPF_PROG_TEST_RUN on a 64-byte IPv4 frame:
 * a program that only returns the pass verdict (the test run's own cost),
 * a generated-style filter alone ("IPv4 only", tests/kern/joinprog.h, its
 * tail call into an empty program array), the same filter joined to the
 * capture program, and the capture program alone; a reader thread drains
 * the ring buffer meanwhile (src/capture/ringbuf.c), as bpfcap does.
 * Prints ns per packet (the median of ROUNDS runs of REPEAT packets) and
 * the share of records the ring had no room for.  Needs root.
 *   hookcost [REPEAT [ROUNDS]]     (default 1000000 5)
 */
#include <errno.h>
#include <linux/bpf.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "capture/capture.h"
#include "loader/loader.h"
#include "tests/kern/joinprog.h"

static atomic_int done;
static unsigned long long drained;

static int count(void *opaque, const struct capture_pkt *p)
{
	(void)opaque;
	(void)p;
	drained++;
	return 0;
}

static void *reader(void *arg)
{
	struct capture_hook *h = arg;
	char err[128];
	int stop = 0;
	while (!atomic_load(&done))
		capture_hook_dispatch(h, 10, NULL, count, NULL, &stop, err, sizeof(err));
	capture_hook_drain(h, count, NULL, &stop);
	return NULL;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* The median ns per run of FD over ROUNDS runs. */
static uint32_t measure(int fd, const uint8_t *frame, size_t len, uint32_t repeat, int rounds)
{
	uint32_t ns[16];
	if (rounds > 16)
		rounds = 16;
	for (int i = 0; i < rounds; i++) {
		uint32_t ret;
		if (loader_test_run(fd, frame, len, repeat, &ret, &ns[i]) < 0) {
			perror("test run");
			exit(1);
		}
	}
	qsort(ns, (size_t)rounds, sizeof(ns[0]), cmp_u32);
	return ns[rounds / 2];
}

static int load_pass(enum bpf_prog_type type)
{
	struct bpf_insn p[] = {
		{.code = BPF_ALU64 | BPF_MOV | BPF_K,
		 .imm = type == BPF_PROG_TYPE_XDP ? XDP_PASS : -1},
		{.code = BPF_JMP | BPF_EXIT},
	};
	return bpf_prog_load(type, "pass", "GPL", p, 2, NULL);
}

/* The filter with its tail call into PROG_ARRAY_FD, loaded as it is. */
static int load_filter(const struct filter_ebpf_prog *gen, enum bpf_prog_type type,
		       int prog_array_fd)
{
	struct bpf_insn *insns = malloc(gen->len * sizeof(*insns));
	memcpy(insns, gen->insns, gen->len * sizeof(*insns));
	insns[gen->prog_array_insn].src_reg = BPF_PSEUDO_MAP_FD;
	insns[gen->prog_array_insn].imm = prog_array_fd;
	LIBBPF_OPTS(bpf_prog_load_opts, o);
	if (type == BPF_PROG_TYPE_XDP)
		o.prog_flags = BPF_F_XDP_HAS_FRAGS;
	int fd = bpf_prog_load(type, "filt", "GPL", insns, gen->len, &o);
	free(insns);
	return fd;
}

static void row(const char *hook, const char *what, uint32_t ns, uint32_t base)
{
	printf("  %-4s %-34s %6u ns/packet  (%+d over the pass-only program)\n", hook, what, ns,
	       (int)ns - (int)base);
}

static int bench_hook(enum loader_hook hook, uint32_t repeat, int rounds)
{
	int xdp = hook == LOADER_HOOK_XDP;
	const char *name = xdp ? "xdp" : "tc";
	enum bpf_prog_type type = xdp ? BPF_PROG_TYPE_XDP : BPF_PROG_TYPE_SCHED_CLS;
	uint8_t frame[64] = {0};
	frame[12] = 0x08;
	frame[14] = 0x45;
	char err[256];
	struct loader_capture *c;
	struct loader_capture_opts co = {0};
	if (loader_capture_open(&co, &c, err, sizeof(err)) < 0) {
		fprintf(stderr, "hookcost: %s\n%s", err, loader_log());
		return 1;
	}
	struct capture_hook *h;
	struct capture_hook_opts ho = {.ifname = "bench",
				       .ring_fd = loader_capture_ring_fd(c),
				       .stats_fd = loader_capture_stats_fd(c),
				       .ring_bytes = loader_capture_ring_bytes(c)};
	if (capture_hook_open(&ho, &h, err, sizeof(err)) < 0) {
		fprintf(stderr, "hookcost: %s\n", err);
		return 1;
	}
	struct filter_ebpf_prog gen;
	joinprog_ipv4_only(xdp ? FILTER_HOOK_XDP : FILTER_HOOK_TC, &gen);
	int empty = bpf_map_create(BPF_MAP_TYPE_PROG_ARRAY, "empty", 4, 4, 1, NULL);
	int pass = load_pass(type), alone = load_filter(&gen, type, empty);
	int joined = loader_capture_entry(c, hook, &gen, err, sizeof(err));
	int cap = loader_capture_entry(c, hook, NULL, err, sizeof(err));
	if (pass < 0 || alone < 0 || joined < 0 || cap < 0) {
		fprintf(stderr, "hookcost: %s: cannot load the programs: %s\n", name, err);
		return 1;
	}
	pthread_t t;
	atomic_store(&done, 0);
	drained = 0;
	pthread_create(&t, NULL, reader, h);
	uint32_t base = measure(pass, frame, sizeof(frame), repeat, rounds);
	uint32_t f = measure(alone, frame, sizeof(frame), repeat, rounds);
	uint32_t fc = measure(joined, frame, sizeof(frame), repeat, rounds);
	uint32_t ca = measure(cap, frame, sizeof(frame), repeat, rounds);
	atomic_store(&done, 1);
	pthread_join(t, NULL);
	struct capture_hook_stats st;
	capture_hook_stats(h, &st);
	row(name, "pass only (the test run itself)", base, base);
	row(name, "filter alone", f, base);
	row(name, "filter + capture (tail call)", fc, base);
	row(name, "capture alone", ca, base);
	printf("  %-4s added by the capture behind the filter: %d ns/packet; ring full for %.2f%% "
	       "of %llu records (%llu read)\n",
	       name, (int)fc - (int)f,
	       st.matched ? 100.0 * (double)st.full / (double)st.matched : 0,
	       (unsigned long long)st.matched, drained);
	close(pass);
	close(alone);
	close(empty);
	filter_ebpf_release(&gen);
	capture_hook_close(h);
	loader_capture_close(c);
	return 0;
}

int main(int argc, char **argv)
{
	uint32_t repeat = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 1000000;
	int rounds = argc > 2 ? atoi(argv[2]) : 5;
	if (geteuid() != 0) {
		printf("hookcost: skipped: needs root to load BPF programs\n");
		return 0;
	}
	loader_log_init();
	printf("BPF_PROG_TEST_RUN, 64-byte IPv4 frame, %u packets per run, median of %d runs, "
	       "snap length 262144, ring buffer 8 MiB, a reader thread draining it:\n",
	       repeat, rounds);
	int rc = bench_hook(LOADER_HOOK_XDP, repeat, rounds);
	return rc ? rc : bench_hook(LOADER_HOOK_TC_INGRESS, repeat, rounds);
}
