/* ebpf_libbpf_test.c - generated programs through libbpf: expressions
 * compiled with filter_compile() + filter_emit_ebpf() for XDP and tc (raw
 * and --vlan live), written with filter_ebpf_write_object(), opened and
 * loaded with bpf_object__open_file() + bpf_object__load() and run with
 * BPF_PROG_TEST_RUN on a set of frames: the verdicts (XDP_PASS/XDP_DROP,
 * TC_ACT_OK/TC_ACT_SHOT) must be the ones the expression means.  Without
 * bpf() the binary prints why and exits 77. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>

#include <cmocka.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/pkt_cls.h>

#include "filter.h"

static char dir[64];
static char warnings[8192];

static int print_warn(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_WARN) {
		size_t at = strlen(warnings);
		vsnprintf(warnings + at, sizeof(warnings) - at, fmt, ap);
	}
	return 0;
}

/* ---- frames --------------------------------------------------------- */

enum { F_U1, F_U2, F_T1, F_I4, F_ARP, F_U6, F_I6, F_V1, NFRAMES };
static const char *const fname[NFRAMES] = {"udp4 :5001", "udp4 :5002",		 "tcp4 SYN :5001",
					   "icmp4 echo", "arp request",		 "udp6 :5001",
					   "icmp6 echo", "802.1Q 100 udp4 :5001"};
static unsigned char frames[NFRAMES][128];
static uint32_t flen[NFRAMES];

static size_t eth(unsigned char *f, uint16_t type)
{
	memcpy(f, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01", 12);
	f[12] = (unsigned char)(type >> 8);
	f[13] = (unsigned char)type;
	return 14;
}

/* IPv4 header at F with protocol PROTO and L4LEN bytes after it. */
static size_t ip4(unsigned char *f, uint8_t proto, size_t l4len)
{
	size_t tot = 20 + l4len;
	memcpy(f, "\x45\x00", 2);
	f[2] = (unsigned char)(tot >> 8);
	f[3] = (unsigned char)tot;
	f[8] = 64;
	f[9] = proto;
	memcpy(f + 12, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
	uint32_t s = 0;
	for (int i = 0; i < 20; i += 2)
		s += (uint32_t)(f[i] << 8 | f[i + 1]);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	f[10] = (unsigned char)(~s >> 8);
	f[11] = (unsigned char)~s;
	return 20;
}

static size_t ip6(unsigned char *f, uint8_t next, size_t l4len)
{
	f[0] = 0x60;
	f[4] = (unsigned char)(l4len >> 8);
	f[5] = (unsigned char)l4len;
	f[6] = next;
	f[7] = 64;
	f[8] = 0xfd, f[23] = 1;
	f[24] = 0xfd, f[39] = 2;
	return 40;
}

static size_t ports(unsigned char *f, uint16_t dport)
{
	f[0] = 40000 >> 8, f[1] = 40000 & 0xff;
	f[2] = (unsigned char)(dport >> 8), f[3] = (unsigned char)dport;
	return 4;
}

static void make_frames(void)
{
	memset(frames, 0, sizeof(frames));
	for (int k = 0; k < NFRAMES; k++) {
		unsigned char *f = frames[k];
		size_t n;
		switch (k) {
		case F_U1:
		case F_U2:
			n = eth(f, 0x0800);
			n += ip4(f + n, 17, 16);
			ports(f + n, k == F_U1 ? 5001 : 5002);
			f[n + 5] = 16;
			n += 16;
			break;
		case F_T1:
			n = eth(f, 0x0800);
			n += ip4(f + n, 6, 20);
			ports(f + n, 5001);
			f[n + 12] = 0x50, f[n + 13] = 0x02; /* data offset 5, SYN */
			n += 20;
			break;
		case F_I4:
			n = eth(f, 0x0800);
			n += ip4(f + n, 1, 16);
			f[n] = 8;
			n += 16;
			break;
		case F_ARP:
			n = eth(f, 0x0806);
			memcpy(f + n, "\x00\x01\x08\x00\x06\x04\x00\x01", 8);
			n += 28;
			break;
		case F_U6:
			n = eth(f, 0x86dd);
			n += ip6(f + n, 17, 16);
			ports(f + n, 5001);
			f[n + 5] = 16;
			n += 16;
			break;
		case F_I6:
			n = eth(f, 0x86dd);
			n += ip6(f + n, 58, 16);
			f[n] = 128;
			n += 16;
			break;
		default: /* F_V1 */
			n = eth(f, 0x8100);
			f[n] = 0, f[n + 1] = 100, f[n + 2] = 0x08, f[n + 3] = 0;
			n += 4;
			n += ip4(f + n, 17, 16);
			ports(f + n, 5001);
			f[n + 5] = 16;
			n += 16;
			break;
		}
		flen[k] = (uint32_t)(n < 60 ? 60 : n);
	}
}

/* ---- compile, write, load, run -------------------------------------- */

struct want {
	const char *expr;
	int vlan_live;
	char pass[NFRAMES + 1]; /* '1' accept, '0' reject, per frame */
};

static const struct want wants[] = {
	/* U1 U2 T1 I4 ARP U6 I6 V1 */
	{"arp or (udp and dst port 5001)", 0, "10001100"},
	{"not (udp dst port 5002 or icmp6)", 0, "10111101"},
	{"ip6 and udp dst port 5001 or icmp6", 0, "00000110"},
	{"vlan 100 and udp dst port 5001", 0, "00000001"},
	{"tcp[tcpflags] & tcp-syn != 0 and dst port 5001", 0, "00100000"},
	{"icmp or arp", 0, "00011000"},
	/* --vlan live: the outer tag is metadata, 'udp' sees through it */
	{"udp dst port 5001", 1, "10000101"},
	{"vlan 100", 1, "00000001"},
};

/* Write EXPR's program for HOOK to a file, load it with libbpf: the object
 * (*OBJ) and the program's fd. */
static int load(const struct want *w, enum filter_hook hook, struct bpf_object **obj)
{
	struct filter_options fo = {.dlt = FILTER_DLT_EN10MB,
				    .vlan = w->vlan_live ? FILTER_VLAN_LIVE : FILTER_VLAN_RAW};
	struct filter_ctx *c = filter_ctx_new(&fo);
	assert_non_null(c);
	struct filter_ebpf_opts eo = {.hook = hook};
	struct filter_ebpf_prog ep = {0};
	if (filter_compile(c, w->expr, strlen(w->expr)) < 0 || filter_emit_ebpf(c, &eo, &ep) < 0)
		fail_msg("'%s': %s", w->expr, filter_ctx_diag(c)->message);
	filter_ctx_free(c);
	char path[128], err[256];
	snprintf(path, sizeof(path), "%s/%s.o", dir, hook == FILTER_HOOK_XDP ? "xdp" : "tc");
	assert_int_equal(filter_ebpf_write_object(&ep, path, NULL, NULL, err, sizeof(err)), 0);
	filter_ebpf_release(&ep);
	warnings[0] = 0;
	*obj = bpf_object__open_file(path, NULL);
	assert_non_null(*obj);
	int rc = bpf_object__load(*obj);
	if (rc)
		fail_msg("'%s' at %s: bpf_object__load: %s\n%s", w->expr,
			 hook == FILTER_HOOK_XDP ? "xdp" : "tc", strerror(-rc), warnings);
	struct bpf_program *p = bpf_object__find_program_by_name(*obj, "bpfcap_filter");
	assert_non_null(p);
	assert_int_equal(bpf_program__type(p),
			 hook == FILTER_HOOK_XDP ? BPF_PROG_TYPE_XDP : BPF_PROG_TYPE_SCHED_CLS);
	return bpf_program__fd(p);
}

static void check_hook(enum filter_hook hook)
{
	int pass = hook == FILTER_HOOK_XDP ? XDP_PASS : TC_ACT_OK;
	int drop = hook == FILTER_HOOK_XDP ? XDP_DROP : TC_ACT_SHOT;
	int runs = 0;
	for (size_t i = 0; i < sizeof(wants) / sizeof(wants[0]); i++) {
		struct bpf_object *obj;
		int fd = load(&wants[i], hook, &obj);
		for (int k = 0; k < NFRAMES; k++) {
			unsigned char out[256];
			LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = frames[k],
				    .data_size_in = flen[k], .data_out = out,
				    .data_size_out = sizeof(out), .repeat = 1);
			assert_int_equal(bpf_prog_test_run_opts(fd, &o), 0);
			int want = wants[i].pass[k] == '1' ? pass : drop;
			if ((int)o.retval != want)
				fail_msg("%s '%s'%s on %s: verdict %u, want %d",
					 hook == FILTER_HOOK_XDP ? "xdp" : "tc", wants[i].expr,
					 wants[i].vlan_live ? " (--vlan live)" : "", fname[k],
					 o.retval, want);
			runs++;
		}
		bpf_object__close(obj);
	}
	print_message("%d objects loaded, %d test runs\n", (int)(sizeof(wants) / sizeof(wants[0])),
		      runs);
}

static void test_xdp(void **state)
{
	(void)state;
	check_hook(FILTER_HOOK_XDP);
}

static void test_tc(void **state)
{
	(void)state;
	check_hook(FILTER_HOOK_TC);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/bpfcap-libbpf.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char p[128];
	snprintf(p, sizeof(p), "%s/xdp.o", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/tc.o", dir);
	unlink(p);
	return rmdir(dir);
}

static const char *bpf_unavailable(void)
{
	static char why[160];
	const struct bpf_insn ret0[] = {
		{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0},
		{.code = BPF_JMP | BPF_EXIT},
	};
	int fd = bpf_prog_load(BPF_PROG_TYPE_XDP, NULL, "GPL", ret0, 2, NULL);
	if (fd >= 0) {
		close(fd);
		return NULL;
	}
	snprintf(why, sizeof(why), "bpf(BPF_PROG_LOAD) of an XDP program fails (%s)%s",
		 strerror(errno), geteuid() ? "; run as root" : "");
	return why;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_xdp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tc, setup, teardown),
	};
	libbpf_set_print(print_warn);
	make_frames();
	const char *why = bpf_unavailable();
	if (why) {
		printf("SKIP: %s\n", why);
		return 77;
	}
	return cmocka_run_group_tests_name("generated objects through libbpf", tests, NULL, NULL);
}
