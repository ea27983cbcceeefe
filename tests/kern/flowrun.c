/*
 * flowrun.c - the flow counting programs (xdp/flow.bpf.c) and the loader's
 * join (src/loader) on this kernel, through BPF_PROG_TEST_RUN: crafted
 * frames (IPv4 and IPv6 TCP/UDP/ICMP, VLAN-tagged, ARP) at XDP and at tc,
 * the map read back key by key with exact counts; a full map that counts
 * evictions and keeps the totals; a hand-assembled generated-style filter
 * ("IPv4 only") in front of the counting program, so that only what it
 * accepts is counted and no packet's fate changes.
 */
#include <errno.h>
#include <net/if.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <cmocka.h>

#include "flow/flow.h"
#include "frames.h"
#include "joinprog.h"
#include "loader/loader.h"
#include "xdp/flow.h"

static int ncpus;

struct flowsum {
	uint64_t packets, bytes, first, last;
	uint8_t flags;
};

static struct loader_flow *open_flow(uint32_t entries)
{
	struct loader_flow *f = NULL;
	char err[256];
	struct loader_flow_opts o = {.flows = entries};
	int rc = loader_flow_open(&o, &f, err, sizeof(err));
	if (rc < 0)
		fail_msg("loader_flow_open: %s\n%s", err, loader_log());
	return f;
}

static void run(int fd, const struct frame *fr, uint32_t times, uint32_t want_ret)
{
	uint32_t ret = 12345;
	assert_int_equal(loader_test_run(fd, fr->b, fr->len, times, &ret, NULL), 0);
	assert_int_equal(ret, want_ret);
}

/* The key a frame should have (from the same builder's parameters). */
static struct flow_key key_of(uint8_t hook, uint16_t et, uint8_t proto, int v6, uint8_t s,
			      uint8_t d, uint16_t sp, uint16_t dp, uint16_t vlan)
{
	struct flow_key k;
	memset(&k, 0, sizeof(k));
	k.ifindex = 1; /* test runs happen on the namespace's loopback */
	k.hook = hook;
	k.ethertype = et;
	k.l4proto = proto;
	k.sport = sp;
	k.dport = dp;
	k.vlan = vlan;
	if (et == 0x0800) {
		memcpy(k.src, (uint8_t[]){10, 0, 0, s}, 4);
		memcpy(k.dst, (uint8_t[]){10, 0, 0, d}, 4);
	} else if (v6) {
		k.src[0] = k.dst[0] = 0xfd;
		k.src[15] = s;
		k.dst[15] = d;
	}
	return k;
}

static int lookup(int map, const struct flow_key *k, struct flowsum *out)
{
	struct flow_value v[ncpus];
	memset(out, 0, sizeof(*out));
	if (bpf_map_lookup_elem(map, k, v) < 0)
		return -1;
	for (int c = 0; c < ncpus; c++) {
		out->packets += v[c].packets;
		out->bytes += v[c].bytes;
		out->flags |= v[c].tcp_flags;
		if (v[c].first_ns && (!out->first || v[c].first_ns < out->first))
			out->first = v[c].first_ns;
		if (v[c].last_ns > out->last)
			out->last = v[c].last_ns;
	}
	return 0;
}

static void expect(int map, struct flow_key k, uint64_t packets, uint64_t bytes, uint8_t flags)
{
	struct flowsum s;
	if (lookup(map, &k, &s) < 0)
		fail_msg("flow (hook %u, ethertype %#x, proto %u, ports %u/%u, vlan %u) not in the "
			 "map",
			 k.hook, k.ethertype, k.l4proto, k.sport, k.dport, k.vlan);
	assert_int_equal(s.packets, packets);
	assert_int_equal(s.bytes, bytes);
	assert_int_equal(s.flags, flags);
	assert_true(s.first != 0 && s.first <= s.last);
}

static unsigned map_count(int map)
{
	struct flow_key k, next;
	unsigned n = 0;
	void *prev = NULL;
	while (bpf_map_get_next_key(map, prev, &next) == 0) {
		k = next;
		prev = &k;
		n++;
	}
	return n;
}

static uint64_t stat_of(struct loader_flow *f, uint32_t idx)
{
	uint64_t v[ncpus], s = 0;
	assert_int_equal(bpf_map_lookup_elem(loader_flow_stats_fd(f), &idx, v), 0);
	for (int c = 0; c < ncpus; c++)
		s += v[c];
	return s;
}

/* The frames of the per-hook test and their expected keys. */
static void count_at(uint8_t hook, uint32_t pass)
{
	struct loader_flow *f = open_flow(1024);
	int fd = loader_flow_entry(f, (enum loader_hook)hook, NULL, NULL, 0);
	int map = loader_flow_map_fd(f);
	struct frame fr;
	frame_ip4(&fr, 0, 6, 1, 2, 40000, 80, 0x02, 0); /* SYN */
	run(fd, &fr, 1, pass);
	frame_ip4(&fr, 0, 6, 1, 2, 40000, 80, 0x18, 100); /* PSH|ACK with data */
	run(fd, &fr, 3, pass);
	expect(map, key_of(hook, 0x0800, 6, 0, 1, 2, 40000, 80, 0), 4, 54 + 3 * 154, 0x1a);
	frame_ip4(&fr, 0, 17, 3, 4, 5353, 53, 0, 10);
	run(fd, &fr, 5, pass);
	expect(map, key_of(hook, 0x0800, 17, 0, 3, 4, 5353, 53, 0), 5, 5 * 52, 0);
	frame_ip4(&fr, 0, 1, 5, 6, 8, 0, 0, 56); /* echo request */
	run(fd, &fr, 2, pass);
	expect(map, key_of(hook, 0x0800, 1, 0, 5, 6, 8, 0, 0), 2, 2 * 98, 0);
	frame_ip6(&fr, 0, 6, 1, 2, 1234, 443, 0x11, 0);
	run(fd, &fr, 1, pass);
	expect(map, key_of(hook, 0x86dd, 6, 1, 1, 2, 1234, 443, 0), 1, 74, 0x11);
	frame_ip6(&fr, 0, 17, 7, 8, 9999, 4789, 0, 20);
	run(fd, &fr, 7, pass);
	expect(map, key_of(hook, 0x86dd, 17, 1, 7, 8, 9999, 4789, 0), 7, 7 * 82, 0);
	frame_ip6(&fr, 0, 58, 9, 10, 128, 0, 0, 8);
	run(fd, &fr, 1, pass);
	expect(map, key_of(hook, 0x86dd, 58, 1, 9, 10, 128, 0, 0), 1, 70, 0);
	frame_ip4(&fr, 100, 17, 1, 2, 1000, 2000, 0, 0);
	run(fd, &fr, 2, pass);
	expect(map, key_of(hook, 0x0800, 17, 0, 1, 2, 1000, 2000, 100), 2, 2 * 46, 0);
	frame_arp(&fr, 0);
	run(fd, &fr, 3, pass);
	expect(map, key_of(hook, 0x0806, 0, 0, 0, 0, 0, 0, 0), 3, 180, 0);
	frame_arp(&fr, 7);
	run(fd, &fr, 1, pass);
	expect(map, key_of(hook, 0x0806, 0, 0, 0, 0, 0, 0, 7), 1, 60, 0);
	assert_int_equal(map_count(map), 9);
	assert_int_equal(stat_of(f, FLOW_STAT_PACKETS), 26);
	assert_int_equal(stat_of(f, FLOW_STAT_INSERTS), 9);
	assert_int_equal(stat_of(f, FLOW_STAT_INSERT_FAILED), 0);
	loader_flow_close(f);
}

static void test_xdp(void **state)
{
	(void)state;
	count_at(FLOW_HOOK_XDP, 2 /* XDP_PASS */);
}

static void test_tc_ingress(void **state)
{
	(void)state;
	count_at(FLOW_HOOK_TC_INGRESS, (uint32_t)-1 /* TC_ACT_UNSPEC */);
}

static void test_tc_egress(void **state)
{
	(void)state;
	count_at(FLOW_HOOK_TC_EGRESS, (uint32_t)-1);
}

/* IPv6 extension headers are walked to the ports; a later fragment has
 * none; IPv4 options (IHL 6) are skipped. */
static void test_headers(void **state)
{
	(void)state;
	struct loader_flow *f = open_flow(64);
	int fd = loader_flow_entry(f, LOADER_HOOK_XDP, NULL, NULL, 0);
	int map = loader_flow_map_fd(f);
	struct frame fr;
	frame_ip6_ext(&fr, 17, 1111, 2222, 0);
	run(fd, &fr, 2, 2);
	expect(map, key_of(FLOW_HOOK_XDP, 0x86dd, 17, 1, 1, 2, 1111, 2222, 0), 2, 2 * 86, 0);
	frame_ip6_ext(&fr, 6, 3333, 4444, 1); /* first fragment: ports */
	run(fd, &fr, 1, 2);
	expect(map, key_of(FLOW_HOOK_XDP, 0x86dd, 6, 1, 1, 2, 3333, 4444, 0), 1, 106, 0);
	frame_ip6_ext(&fr, 6, 3333, 4444, 9); /* a later one: none */
	run(fd, &fr, 1, 2);
	expect(map, key_of(FLOW_HOOK_XDP, 0x86dd, 6, 1, 1, 2, 0, 0, 0), 1, 106, 0);
	frame_ip4_opt(&fr, 17, 5555, 6666);
	run(fd, &fr, 3, 2);
	expect(map, key_of(FLOW_HOOK_XDP, 0x0800, 17, 0, 1, 2, 5555, 6666, 0), 3, 3 * 46, 0);
	assert_int_equal(map_count(map), 4);
	loader_flow_close(f);
}

/* 40 flows into a map of 8: the totals stay exact, and the inserts not in
 * the map are the evictions user space reports. */
static void test_full_map(void **state)
{
	(void)state;
	struct loader_flow *f = open_flow(8);
	int fd = loader_flow_entry(f, LOADER_HOOK_XDP, NULL, NULL, 0);
	struct frame fr;
	for (int i = 0; i < 40; i++) {
		frame_ip4(&fr, 0, 17, 1, 2, (uint16_t)(1000 + i), 53, 0, 0);
		run(fd, &fr, 2, 2);
	}
	unsigned live = map_count(loader_flow_map_fd(f));
	assert_true(live >= 1 && live <= 8);
	assert_int_equal(stat_of(f, FLOW_STAT_PACKETS), 80);
	assert_int_equal(stat_of(f, FLOW_STAT_BYTES), 80 * 42);
	assert_int_equal(stat_of(f, FLOW_STAT_INSERTS) + stat_of(f, FLOW_STAT_INSERT_FAILED) / 2,
			 40);
	assert_true(stat_of(f, FLOW_STAT_INSERTS) - live >= 32);
	loader_flow_close(f);
}

/* The generated-style "IPv4 only" in front: IPv4 counted, IPv6 and ARP not,
 * every verdict the pass verdict. */
static void join_at(enum loader_hook hook, uint32_t pass)
{
	struct loader_flow *f = open_flow(64);
	struct filter_ebpf_prog gen;
	assert_int_equal(joinprog_ipv4_only(
				 hook == LOADER_HOOK_XDP ? FILTER_HOOK_XDP : FILTER_HOOK_TC, &gen),
			 0);
	char err[256] = "";
	int fd = loader_flow_entry(f, hook, &gen, err, sizeof(err));
	if (fd < 0)
		fail_msg("join: %s\n%s", err, loader_log());
	assert_int_not_equal(fd, bpf_program__fd(loader_flow_prog(f, hook)));
	struct frame fr;
	frame_ip4(&fr, 0, 17, 1, 2, 7, 9, 0, 0);
	run(fd, &fr, 4, pass);
	frame_ip6(&fr, 0, 17, 1, 2, 7, 9, 0, 0);
	run(fd, &fr, 3, pass);
	frame_arp(&fr, 0);
	run(fd, &fr, 2, pass);
	int map = loader_flow_map_fd(f);
	expect(map, key_of((uint8_t)hook, 0x0800, 17, 0, 1, 2, 7, 9, 0), 4, 4 * 42, 0);
	assert_int_equal(map_count(map), 1);
	assert_int_equal(stat_of(f, FLOW_STAT_PACKETS), 4);
	filter_ebpf_release(&gen);
	loader_flow_close(f);
}

static void test_join_xdp(void **state)
{
	(void)state;
	join_at(LOADER_HOOK_XDP, 2);
}

static void test_join_tc(void **state)
{
	(void)state;
	join_at(LOADER_HOOK_TC_INGRESS, (uint32_t)-1);
}

/* A broken generated program: the user's message is one sentence, the
 * verifier's log goes to loader_log(). */
static void test_join_refused(void **state)
{
	(void)state;
	struct loader_flow *f = open_flow(64);
	struct filter_ebpf_prog gen;
	assert_int_equal(joinprog_ipv4_only(FILTER_HOOK_XDP, &gen), 0);
	gen.insns[6].off = 200; /* read far past the bounds check */
	char err[256] = "";
	loader_log_clear();
	int fd = loader_flow_entry(f, LOADER_HOOK_XDP, &gen, err, sizeof(err));
	assert_true(fd < 0);
	assert_non_null(strstr(err, "refused the generated filter"));
	assert_null(strchr(err, '\n'));
	if (!strstr(loader_log(), "invalid access to packet"))
		fail_msg("err: %s log: %s", err, loader_log());
	gen.prog_array_insn = 3;
	fd = loader_flow_entry(f, LOADER_HOOK_XDP, &gen, err, sizeof(err));
	assert_true(fd < 0);
	assert_non_null(strstr(err, "does not load a program array"));
	filter_ebpf_release(&gen);
	loader_flow_close(f);
}

/* flowrun attached IFACE: what is attached there (for the shell tests,
 * since Debian 12's bpftool does not know tcx): "xdp ID", "tcx-ingress N",
 * "tcx-egress N" lines, nothing when nothing is. */
static int attached(const char *iface)
{
	int ifindex = (int)if_nametoindex(iface);
	if (!ifindex) {
		fprintf(stderr, "flowrun: %s: no such interface\n", iface);
		return 2;
	}
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	if (bpf_xdp_query(ifindex, 0, &q) == 0 && q.prog_id)
		printf("xdp %u\n", q.prog_id);
	static const struct {
		int type;
		const char *name;
	} tcx[] = {{46, "tcx-ingress"}, {47, "tcx-egress"}};
	for (int i = 0; i < 2; i++) {
		__u32 ids[64], n = 64;
		/* the target is the ifindex for tcx (a union with the fd) */
		if (bpf_prog_query(ifindex, (enum bpf_attach_type)tcx[i].type, 0, NULL, ids, &n) ==
			    0 &&
		    n)
			printf("%s %u\n", tcx[i].name, n);
	}
	return 0;
}

/* flowrun join IFACE xdp|tc-ingress|tc-egress: the hand-assembled "IPv4
 * only" joined to the counting program and attached to IFACE; says
 * "attached" on stderr, waits for a line on stdin, then prints the flows as
 * bpfcap --top --json does. */
static int join_live(const char *iface, const char *where)
{
	enum loader_hook hook = !strcmp(where, "xdp")	       ? LOADER_HOOK_XDP
				: !strcmp(where, "tc-ingress") ? LOADER_HOOK_TC_INGRESS
							       : LOADER_HOOK_TC_EGRESS;
	struct loader_flow *f = NULL;
	struct loader_link *link = NULL;
	struct filter_ebpf_prog gen;
	char err[256];
	loader_log_init();
	int fd = -1, rc = 2;
	if (joinprog_ipv4_only(hook == LOADER_HOOK_XDP ? FILTER_HOOK_XDP : FILTER_HOOK_TC, &gen))
		return 2;
	struct loader_flow_opts o = {.flows = 1024};
	if (loader_flow_open(&o, &f, err, sizeof(err)) < 0 ||
	    (fd = loader_flow_entry(f, hook, &gen, err, sizeof(err))) < 0 ||
	    loader_attach(fd, (int)if_nametoindex(iface), hook, LOADER_XDP_AUTO, &link, err,
			  sizeof(err)) < 0) {
		fprintf(stderr, "flowrun: %s\n%s", err, loader_log());
		goto out;
	}
	fprintf(stderr, "attached\n");
	char line[16];
	if (!fgets(line, sizeof(line), stdin))
		goto out;
	struct flow_reader *r;
	struct flow_rec *recs;
	size_t n;
	uint64_t st[FLOW_STAT_MAX];
	if (flow_reader_new(loader_flow_map_fd(f), loader_flow_stats_fd(f), 1024, &r) == 0) {
		if (flow_reader_stats(r, st) == 0 && flow_reader_read(r, &recs, &n) == 0) {
			struct flow_totals t;
			flow_totals_set(&t, st, NULL, 1, n, 0);
			struct flow_batch_info bi = {.iface = iface, .hook = where, .interval = 1};
			rc = flow_print_json(stdout, &bi, &t, recs, n) ? 2 : 0;
		}
		flow_reader_free(r);
	}
out:
	loader_link_destroy(link);
	filter_ebpf_release(&gen);
	loader_flow_close(f);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "attached"))
		return attached(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "join"))
		return join_live(argv[2], argv[3]);
	if (geteuid() != 0) {
		printf("SKIP: needs root to load BPF programs\n");
		return 77;
	}
	loader_log_init();
	ncpus = libbpf_num_possible_cpus();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xdp),	     cmocka_unit_test(test_tc_ingress),
		cmocka_unit_test(test_tc_egress),    cmocka_unit_test(test_full_map),
		cmocka_unit_test(test_join_xdp),     cmocka_unit_test(test_join_tc),
		cmocka_unit_test(test_join_refused), cmocka_unit_test(test_headers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
