/*
 * caprun.c - the capture programs (xdp/capture.bpf.c), the loader's side
 * (src/loader/capture.c) and the ring buffer reader (src/capture/ringbuf.c)
 * on this kernel, through BPF_PROG_TEST_RUN: frames of several sizes at
 * XDP and at tc ingress and egress come out of the ring byte for byte, cut
 * at the snap length, with their length, hook and a timestamp; each record
 * takes the ring space of its size class; a ring too small counts the rest
 * as dropped, exactly; a hand-assembled generated-style filter ("IPv4
 * only") in front of the capture program lets only what it accepts in, and
 * no packet's fate changes.
 */
#include <errno.h>
#include <linux/bpf.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <cmocka.h>

#include "capture/capture.h"
#include "joinprog.h"
#include "loader/loader.h"
#include "xdp/capture.h"

#define TC_UNSPEC 0xffffffffu

struct got {
	int n;
	struct capture_pkt p[64];
	uint8_t data[64][4096];
};

static int collect(void *opaque, const struct capture_pkt *p)
{
	struct got *g = opaque;
	if (g->n < 64) {
		g->p[g->n] = *p;
		memcpy(g->data[g->n], p->data, p->caplen < 4096 ? p->caplen : 4096);
		g->p[g->n].data = g->data[g->n];
		g->n++;
	}
	return 0;
}

struct rig {
	struct loader_capture *c;
	struct capture_hook *h;
	const unsigned long *prod; /* the producer position */
	void *map;
	size_t map_len;
};

static void rig_open(struct rig *r, uint32_t snaplen, uint64_t ring)
{
	char err[256];
	struct loader_capture_opts o = {.snaplen = snaplen, .ring_bytes = ring};
	if (loader_capture_open(&o, &r->c, err, sizeof(err)) < 0)
		fail_msg("loader_capture_open: %s\n%s", err, loader_log());
	struct capture_hook_opts ho = {.ifname = "test",
				       .ring_fd = loader_capture_ring_fd(r->c),
				       .stats_fd = loader_capture_stats_fd(r->c),
				       .ring_bytes = loader_capture_ring_bytes(r->c),
				       .snaplen = snaplen};
	if (capture_hook_open(&ho, &r->h, err, sizeof(err)) < 0)
		fail_msg("capture_hook_open: %s", err);
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	r->map_len = page;
	r->map = mmap(NULL, page, PROT_READ, MAP_SHARED, loader_capture_ring_fd(r->c), (off_t)page);
	assert_true(r->map != MAP_FAILED);
	r->prod = r->map;
}

static void rig_close(struct rig *r)
{
	munmap(r->map, r->map_len);
	capture_hook_close(r->h);
	loader_capture_close(r->c);
}

static void fill(uint8_t *b, size_t len, uint16_t ethertype, uint8_t seed)
{
	for (size_t i = 0; i < len; i++)
		b[i] = (uint8_t)(i * 7 + seed);
	b[12] = (uint8_t)(ethertype >> 8);
	b[13] = (uint8_t)ethertype;
}

static void run(int fd, const uint8_t *b, size_t len, uint32_t repeat, uint32_t want)
{
	uint32_t ret = 12345;
	int rc = loader_test_run(fd, b, len, repeat, &ret, NULL);
	if (rc < 0)
		fail_msg("test run of %zu bytes: %s", len, strerror(-rc));
	assert_int_equal(ret, want);
}

static void stats_are(struct rig *r, uint64_t m, uint64_t d, uint64_t f)
{
	struct capture_hook_stats st;
	assert_int_equal(capture_hook_stats(r->h, &st), 0);
	assert_int_equal(st.matched, m);
	assert_int_equal(st.delivered, d);
	assert_int_equal(st.full, f);
	assert_int_equal(st.errors, 0);
}

static int64_t wall_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* Frames of SIZES at HOOK: the records, their bytes, the ring space (the
 * class of the length cut at the snap length). */
static void sizes_at(enum loader_hook hook, uint32_t want_ret, int pkttype)
{
	static const size_t sizes[] = {60, 128, 129, 400, 1000, 1514, 3000};
	static const uint32_t cls[] = {64, 128, 512, 512, 2048, 2048, 2048};
	const uint32_t snap = 2000;
	struct rig r;
	rig_open(&r, snap, 1 << 20);
	int fd = loader_capture_entry(r.c, hook, NULL, NULL, 0);
	assert_true(fd >= 0);
	static uint8_t b[3000];
	unsigned long pos = 0;
	int64_t t0 = wall_ns();
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		fill(b, sizes[i], 0x0800, (uint8_t)i);
		run(fd, b, sizes[i], 1, want_ret);
		pos += (8 + sizeof(struct cap_rec) + cls[i] + 7) & ~7ul;
		assert_int_equal(__atomic_load_n(r.prod, __ATOMIC_ACQUIRE), pos);
	}
	int64_t t1 = wall_ns();
	static struct got g;
	memset(&g, 0, sizeof(g));
	int stop = 0;
	capture_hook_drain(r.h, collect, &g, &stop);
	assert_int_equal(g.n, 7);
	for (int i = 0; i < 7; i++) {
		const struct capture_pkt *p = &g.p[i];
		size_t cap = sizes[i] < snap ? sizes[i] : snap;
		fill(b, sizes[i], 0x0800, (uint8_t)i);
		assert_int_equal(p->len, sizes[i]);
		assert_int_equal(p->caplen, cap);
		assert_memory_equal(p->data, b, cap);
		assert_int_equal(p->pkttype, pkttype);
		assert_int_equal(p->ifindex, 1);
		int64_t ts = p->ts_sec * 1000000000 + p->ts_nsec;
		/* the clocks' offset is measured, not exact: 10 ms of slack */
		assert_true(ts >= t0 - 10000000 && ts <= t1 + 10000000);
	}
	stats_are(&r, 7, 7, 0);
	rig_close(&r);
}

static void test_xdp(void **state)
{
	(void)state;
	sizes_at(LOADER_HOOK_XDP, XDP_PASS, 0);
}

static void test_tc_ingress(void **state)
{
	(void)state;
	sizes_at(LOADER_HOOK_TC_INGRESS, TC_UNSPEC, 0);
}

static void test_tc_egress(void **state)
{
	(void)state;
	sizes_at(LOADER_HOOK_TC_EGRESS, TC_UNSPEC, 4);
}

/* The smallest ring at -s 64 (one page) holds 42 records of 96 bytes:
 * of 100 packets, 42 are delivered and 58 counted as dropped. */
static void test_full(void **state)
{
	(void)state;
	struct rig r;
	rig_open(&r, 64, 1);
	assert_int_equal(loader_capture_ring_bytes(r.c), (uint64_t)sysconf(_SC_PAGESIZE));
	int fd = loader_capture_entry(r.c, LOADER_HOOK_XDP, NULL, NULL, 0);
	static uint8_t b[100];
	fill(b, sizeof(b), 0x0800, 1);
	run(fd, b, sizeof(b), 100, XDP_PASS);
	uint64_t fit = (uint64_t)sysconf(_SC_PAGESIZE) / 96;
	stats_are(&r, 100, fit, 100 - fit);
	static struct got g;
	memset(&g, 0, sizeof(g));
	int stop = 0;
	capture_hook_drain(r.h, collect, &g, &stop);
	assert_int_equal(g.n, fit);
	assert_int_equal(g.p[0].caplen, 64);
	assert_int_equal(g.p[0].len, 100);
	/* room again once read */
	run(fd, b, sizeof(b), 1, XDP_PASS);
	stats_are(&r, 101, fit + 1, 100 - fit);
	rig_close(&r);
}

static void test_round(void **state)
{
	(void)state;
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	assert_int_equal(loader_capture_round(64 << 10, 128), 64 << 10);
	assert_int_equal(loader_capture_round(100 << 10, 128), 128 << 10);
	assert_int_equal(loader_capture_round(1, 64), page);
	/* the default snap length needs two records of the largest class */
	assert_int_equal(loader_capture_round(64 << 10, 0), 256 << 10);
	assert_int_equal(loader_capture_round(UINT64_MAX, 0), 1ull << 31);
}

/* "IPv4 only" in front: ARP is neither counted nor captured. */
static void join_at(enum loader_hook hook, enum filter_hook fh, uint32_t want_ret)
{
	struct rig r;
	rig_open(&r, 0, 1 << 20);
	struct filter_ebpf_prog gen;
	assert_int_equal(joinprog_ipv4_only(fh, &gen), 0);
	char err[256] = "";
	int fd = loader_capture_entry(r.c, hook, &gen, err, sizeof(err));
	if (fd < 0)
		fail_msg("join: %s\n%s", err, loader_log());
	static uint8_t ip[300], arp[60];
	fill(ip, sizeof(ip), 0x0800, 3);
	fill(arp, sizeof(arp), 0x0806, 4);
	run(fd, ip, sizeof(ip), 3, want_ret);
	run(fd, arp, sizeof(arp), 5, want_ret);
	stats_are(&r, 3, 3, 0);
	static struct got g;
	memset(&g, 0, sizeof(g));
	int stop = 0;
	capture_hook_drain(r.h, collect, &g, &stop);
	assert_int_equal(g.n, 3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(g.p[i].caplen, sizeof(ip));
		assert_memory_equal(g.p[i].data, ip, sizeof(ip));
	}
	filter_ebpf_release(&gen);
	rig_close(&r);
}

static void test_join_xdp(void **state)
{
	(void)state;
	join_at(LOADER_HOOK_XDP, FILTER_HOOK_XDP, XDP_PASS);
}

static void test_join_tc(void **state)
{
	(void)state;
	join_at(LOADER_HOOK_TC_INGRESS, FILTER_HOOK_TC, TC_UNSPEC);
	join_at(LOADER_HOOK_TC_EGRESS, FILTER_HOOK_TC, TC_UNSPEC);
}

int main(void)
{
	if (geteuid() != 0) {
		printf("SKIP: needs root to load BPF programs\n");
		return 77;
	}
	loader_log_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xdp),	  cmocka_unit_test(test_tc_ingress),
		cmocka_unit_test(test_tc_egress), cmocka_unit_test(test_full),
		cmocka_unit_test(test_round),	  cmocka_unit_test(test_join_xdp),
		cmocka_unit_test(test_join_tc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
