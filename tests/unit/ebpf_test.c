/* ebpf_test.c - the eBPF backend: listings, refusals, the tail-call
 * epilogue, guard placement, protochain's walk as a loop, and verdicts
 * from the user-space interpreter of the XDP programs (ebpf_vm.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "gen/tunnel.h"

/* libpcap's classic interpreter; pcap/bpf.h's struct bpf_insn clashes with
 * linux/bpf.h's, so the instructions go as filter_prog's. */
unsigned bpf_filter(const struct filter_insn *insns, const unsigned char *pkt, unsigned wirelen,
		    unsigned buflen);

/* A classic program, as the eBPF one's reference. */
static void classic(const char *expr, struct filter_prog *p)
{
	struct filter_options o = {.dlt = FILTER_DLT_EN10MB};
	struct filter_ctx *c = filter_ctx_new(&o);
	assert_non_null(c);
	assert_int_equal(filter_compile(c, expr, strlen(expr)), 0);
	assert_int_equal(filter_emit_cbpf(c, p), 0);
	filter_ctx_free(c);
}

static int emit(const char *expr, enum filter_hook hook, int vlan, int dlt,
		enum filter_ebpf_accept acc, struct filter_ebpf_prog *p, struct filter_diag *d)
{
	struct filter_options o = {.dlt = dlt, .vlan = vlan};
	struct filter_ctx *c = filter_ctx_new(&o);
	assert_non_null(c);
	struct filter_ebpf_opts eo = {.hook = hook, .accept = acc};
	int rc = filter_compile(c, expr, strlen(expr));
	if (rc == 0)
		rc = filter_emit_ebpf(c, &eo, p);
	if (rc < 0 && d)
		*d = *filter_ctx_diag(c);
	filter_ctx_free(c);
	return rc;
}

static void xdp(const char *expr, struct filter_ebpf_prog *p)
{
	assert_int_equal(
		emit(expr, FILTER_HOOK_XDP, 0, FILTER_DLT_EN10MB, FILTER_EBPF_VERDICT, p, NULL), 0);
}

#include "ebpf_vm.h"

/* ---- frames ------------------------------------------------------------ */

/* Ethernet + IPv4 + TCP 10.0.0.1:1234 -> 10.0.0.2:80, SYN (54 bytes). */
static const uint8_t tcp4[] = {
	0, 1,  2, 3, 4,	 5, 6, 7, 8,  9, 10,   11,   0x08, 0x00, 0x45, 0, 0,	40,
	0, 1,  0, 0, 64, 6, 0, 0, 10, 0, 0,    1,    10,   0,	 0,    2, 0x04, 0xd2,
	0, 80, 0, 0, 0,	 0, 0, 0, 0,  0, 0x50, 0x02, 0x20, 0,	 0,    0, 0,	0,
};

/* An unpadded ARP request (42 bytes), as veth and loopback deliver it. */
static const uint8_t arp42[42] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0,  0, 0, 0, 1, 0x08, 0x06, 0, 1, 8, 0,	6, 4, 0,
	1,    2,    0,	  0,	0,    0,    1, 10, 0, 0, 1, 0, 0,    0,	   0, 0, 0, 10, 0, 0, 2,
};

/* The same TCP frame with an 802.1Q tag (VLAN 100). */
static uint8_t tagged[sizeof(tcp4) + 4];

static void make_tagged(void)
{
	memcpy(tagged, tcp4, 12);
	tagged[12] = 0x81, tagged[13] = 0x00, tagged[14] = 0x00, tagged[15] = 100;
	memcpy(tagged + 16, tcp4 + 12, sizeof(tcp4) - 12);
}

static int verdict(const char *expr, int vlan, const uint8_t *pkt, size_t len)
{
	struct filter_ebpf_prog p;
	assert_int_equal(
		emit(expr, FILTER_HOOK_XDP, vlan, FILTER_DLT_EN10MB, FILTER_EBPF_VERDICT, &p, NULL),
		0);
	int v = run(&p, pkt, len);
	filter_ebpf_release(&p);
	assert_true(v == XDP_PASS || v == XDP_DROP);
	return v == XDP_PASS;
}

/* ---- tests ------------------------------------------------------------- */

static void listing_ip(void **state)
{
	(void)state;
	struct filter_ebpf_prog p;
	xdp("ip", &p);
	char *s = filter_ebpf_dump(&p, 1);
	/* no callee-saved register (the JIT saves none), r0 set in front of
	 * the jumps to the one exit at the end */
	assert_string_equal(s, "   0: (61) r2 = *(u32 *)(r1 +4)\n"
			       "   1: (61) r1 = *(u32 *)(r1 +0)\n"
			       "   2: (bf) r3 = r1\n"
			       "   3: (07) r3 += 14\n"
			       "   4: (b7) r0 = 1\n"
			       "   5: (2d) if r3 > r2 goto pc+4\n"
			       "   6: (69) r3 = *(u16 *)(r1 +12)\n"
			       "   7: (b7) r0 = 2\n"
			       "   8: (16) if w3 == 0x8 goto pc+1\n"
			       "   9: (b7) r0 = 1\n"
			       "  10: (95) exit\n");
	free(s);
	s = filter_ebpf_dump(&p, 2);
	assert_non_null(strstr(s, "{ 0x61, 2, 1, 4, 0x00000000 },\n"));
	free(s);
	s = filter_ebpf_dump(&p, 3);
	assert_int_equal(strncmp(s, "11\n97 2 1 4 0\n", 14), 0);
	free(s);
	filter_ebpf_release(&p);
	/* an IPv4 header length as index: bounded (60), so no range check */
	xdp("tcp port 80", &p);
	s = filter_ebpf_dump(&p, 1);
	assert_null(strstr(s, "0x7ffb"));
	free(s);
	filter_ebpf_release(&p);
}

static void listing_tc(void **state)
{
	(void)state;
	struct filter_ebpf_prog p;
	assert_int_equal(emit("tcp port 80", FILTER_HOOK_TC, 0, FILTER_DLT_EN10MB,
			      FILTER_EBPF_VERDICT, &p, NULL),
			 0);
	assert_int_equal(p.hook, FILTER_HOOK_TC);
	char *s = filter_ebpf_dump(&p, 1);
	/* the context's data/data_end, the tag in metadata, the helper */
	assert_non_null(strstr(s, "   1: (61) r7 = *(u32 *)(r6 +76)\n"));
	assert_non_null(strstr(s, "   2: (61) r8 = *(u32 *)(r6 +80)\n"));
	assert_non_null(strstr(s, "r0 = *(u32 *)(r6 +20)\n"));
	assert_non_null(strstr(s, "call bpf_skb_load_bytes#26\n"));
	assert_non_null(strstr(s, "(b7) r0 = 2\n")); /* TC_ACT_SHOT */
	assert_non_null(strstr(s, "(b7) r0 = 0\n")); /* TC_ACT_OK */
	free(s);
	filter_ebpf_release(&p);
}

static void refusals(void **state)
{
	(void)state;
	struct filter_ebpf_prog p;
	struct filter_diag d;
	assert_int_equal(emit("inbound", FILTER_HOOK_XDP, FILTER_VLAN_LIVE, FILTER_DLT_EN10MB,
			      FILTER_EBPF_VERDICT, &p, &d),
			 -1);
	assert_int_equal(d.code, FILTER_ERR_SEMANTIC);
	assert_non_null(strstr(d.message, "XDP"));
	assert_non_null(strstr(d.message, "inbound"));
	/* tc has the packet type */
	assert_int_equal(emit("inbound", FILTER_HOOK_TC, FILTER_VLAN_LIVE, FILTER_DLT_EN10MB,
			      FILTER_EBPF_VERDICT, &p, &d),
			 0);
	filter_ebpf_release(&p);
	assert_int_equal(
		emit("ip", FILTER_HOOK_XDP, 0, FILTER_DLT_LINUX_SLL, FILTER_EBPF_VERDICT, &p, &d),
		-1);
	assert_int_equal(d.code, FILTER_ERR_SEMANTIC);
	assert_non_null(strstr(d.message, "Ethernet"));
	assert_int_equal(emit("ip", 7, 0, FILTER_DLT_EN10MB, FILTER_EBPF_VERDICT, &p, &d), -1);
}

static size_t count_calls(const struct filter_ebpf_prog *p, int32_t helper)
{
	size_t n = 0;
	for (size_t i = 0; i < p->len; i++)
		n += p->insns[i].code == (BPF_JMP | BPF_CALL) && p->insns[i].imm == helper;
	return n;
}

static void tail_call(void **state)
{
	(void)state;
	const char *exprs[] = {"tcp port 80 or udp port 53", "vlan and ip", ""};
	for (int h = FILTER_HOOK_XDP; h <= FILTER_HOOK_TC; h++)
		for (size_t k = 0; k < sizeof(exprs) / sizeof(exprs[0]); k++) {
			struct filter_ebpf_prog p;
			assert_int_equal(emit(exprs[k], (enum filter_hook)h, FILTER_VLAN_LIVE,
					      FILTER_DLT_EN10MB, FILTER_EBPF_TAIL_CALL, &p, NULL),
					 0);
			size_t t = p.prog_array_insn;
			assert_true(t != SIZE_MAX && t >= 1 && t + 6 <= p.len);
			const struct filter_ebpf_insn *i = &p.insns[t];
			assert_int_equal(i[-1].code, BPF_ALU64 | BPF_MOV | BPF_X); /* r1 = ctx */
			assert_int_equal(i[-1].dst_reg, 1);
			assert_int_equal(i[-1].src_reg, 6);
			assert_int_equal(i[0].code, BPF_LD | BPF_DW | BPF_IMM);
			assert_int_equal(i[0].dst_reg, 2);
			assert_int_equal(i[0].src_reg, 0);
			assert_int_equal(i[0].imm, 0);
			assert_int_equal(i[1].code, 0);
			assert_int_equal(i[2].code, BPF_ALU64 | BPF_MOV | BPF_K); /* r3 = 0 */
			assert_int_equal(i[2].dst_reg, 3);
			assert_int_equal(i[2].imm, 0);
			assert_int_equal(i[3].code, BPF_JMP | BPF_CALL);
			assert_int_equal(i[3].imm, BPF_FUNC_tail_call);
			assert_int_equal(i[4].code, BPF_ALU64 | BPF_MOV | BPF_K);
			assert_int_equal(i[4].imm, h == FILTER_HOOK_XDP ? XDP_PASS : 0);
			assert_int_equal(i[5].code, BPF_JMP | BPF_EXIT);
			assert_int_equal(count_calls(&p, BPF_FUNC_tail_call), 1);
			filter_ebpf_release(&p);
		}
	struct filter_ebpf_prog p;
	xdp("ip", &p);
	assert_true(p.prog_array_insn == SIZE_MAX);
	assert_int_equal(count_calls(&p, BPF_FUNC_tail_call), 0);
	filter_ebpf_release(&p);
}

/* No program-wide guard: an unpadded ARP frame is read as far as it goes. */
static void guard_placement(void **state)
{
	(void)state;
	assert_true(verdict("arp or tcp port 80", 0, arp42, sizeof(arp42)));
	assert_true(verdict("arp or tcp port 80", 0, tcp4, sizeof(tcp4)));
	assert_false(verdict("arp or tcp port 81", 0, tcp4, sizeof(tcp4)));
	/* the first guard covers the Ethernet type only */
	struct filter_ebpf_prog p;
	xdp("arp or tcp port 80", &p);
	for (size_t i = 0; i < p.len; i++)
		if (p.insns[i].code == (BPF_ALU64 | BPF_ADD | BPF_K)) {
			assert_int_equal(p.insns[i].imm, 14);
			break;
		}
	filter_ebpf_release(&p);
}

/* Guards merge: every accepting path of this expression reads up to the
 * destination address, so one guard of 34 bytes up front covers them all,
 * and no block repeats it. */
static void guards_merged(void **state)
{
	(void)state;
	struct filter_ebpf_prog p;
	xdp("ip src 10.0.0.1 and ip dst 10.0.0.2", &p);
	size_t guards = 0;
	for (size_t i = 0; i < p.len; i++)
		guards += p.insns[i].code == (BPF_JMP | BPF_JGT | BPF_X);
	assert_int_equal(guards, 1);
	for (size_t i = 0; i < p.len; i++)
		if (p.insns[i].code == (BPF_ALU64 | BPF_ADD | BPF_K))
			assert_int_equal(p.insns[i].imm, 34);
	filter_ebpf_release(&p);
	/* without the IR optimizer the guards stay per block, each once */
	struct filter_options o = {.dlt = FILTER_DLT_EN10MB, .no_optimize = 1};
	struct filter_ctx *c = filter_ctx_new(&o);
	const char *x = "ip src 10.0.0.1 and ip dst 10.0.0.2";
	struct filter_ebpf_opts eo = {.hook = FILTER_HOOK_XDP};
	assert_int_equal(filter_compile(c, x, strlen(x)), 0);
	assert_int_equal(filter_emit_ebpf(c, &eo, &p), 0);
	filter_ctx_free(c);
	guards = 0;
	for (size_t i = 0; i < p.len; i++)
		guards += p.insns[i].code == (BPF_JMP | BPF_JGT | BPF_X);
	assert_int_equal(guards, 3); /* type (14), source (30), destination (34) */
	assert_int_equal(run(&p, tcp4, sizeof(tcp4)), XDP_PASS);
	assert_int_equal(run(&p, tcp4, 33), XDP_DROP);
	assert_true(verdict("ip src 10.0.0.1 and ip dst 10.0.0.2", 0, tcp4, sizeof(tcp4)));
	assert_false(verdict("ip src 10.0.0.1 and ip dst 10.0.0.2", 0, tcp4, 33));
	filter_ebpf_release(&p);
}

static void verdicts(void **state)
{
	(void)state;
	const size_t n = sizeof(tcp4);
	assert_true(verdict("tcp", 0, tcp4, n));
	assert_false(verdict("udp", 0, tcp4, n));
	assert_true(verdict("tcp dst port 80 and src port 1234", 0, tcp4, n));
	assert_true(verdict("tcp[tcpflags] & tcp-syn != 0", 0, tcp4, n));
	assert_false(verdict("tcp[tcpflags] & tcp-ack != 0", 0, tcp4, n));
	assert_true(verdict("ip[2:2] - 20 = 20", 0, tcp4, n));
	assert_true(verdict("len = 54 and greater 54", 0, tcp4, n));
	assert_false(verdict("tcp[100] = 1", 0, tcp4, n));
	assert_false(verdict("not tcp[100] = 1", 0, tcp4, n));		 /* out of bounds rejects */
	assert_false(verdict("ip[2:2] / (ip[8] - 64) = 0", 0, tcp4, n)); /* x/0 rejects */
	assert_true(verdict("ip[2:2] / (ip[8] - 60) = 10", 0, tcp4, n));
	assert_true(verdict("ip[16:4] > 0x80000000 or ip[16:4] = 0x0a000002", 0, tcp4, n));
	assert_false(verdict("ip[16:4] > 0x80000000", 0, tcp4, n));
	assert_true(verdict("ether[10:4] = 0x0a0b0800", 0, tcp4, n));
	assert_true(verdict("", 0, tcp4, n));
}

static void vlan_views(void **state)
{
	(void)state;
	make_tagged();
	const size_t n = sizeof(tagged);
	/* raw: the tag is in the bytes */
	assert_false(verdict("tcp port 80", FILTER_VLAN_RAW, tagged, n));
	assert_true(verdict("vlan 100 and tcp port 80", FILTER_VLAN_RAW, tagged, n));
	/* live: the tag is peeled off, as on a Linux socket */
	assert_true(verdict("tcp port 80", FILTER_VLAN_LIVE, tagged, n));
	assert_true(verdict("vlan 100 and tcp port 80", FILTER_VLAN_LIVE, tagged, n));
	assert_false(verdict("vlan 101", FILTER_VLAN_LIVE, tagged, n));
	assert_true(verdict("len = 54", FILTER_VLAN_LIVE, tagged, n));
	assert_true(verdict("ether[10:4] = 0x0a0b0800", FILTER_VLAN_LIVE, tagged, n));
	assert_true(verdict("tcp port 80", FILTER_VLAN_LIVE, tcp4, sizeof(tcp4)));
	assert_false(verdict("vlan", FILTER_VLAN_LIVE, tcp4, sizeof(tcp4)));
	/* no VLAN and no load past the MAC addresses: one view */
	struct filter_ebpf_prog a, b;
	assert_int_equal(emit("ether host 00:01:02:03:04:05", FILTER_HOOK_XDP, FILTER_VLAN_LIVE,
			      FILTER_DLT_EN10MB, FILTER_EBPF_VERDICT, &a, NULL),
			 0);
	assert_int_equal(emit("ether host 00:01:02:03:04:05", FILTER_HOOK_XDP, FILTER_VLAN_RAW,
			      FILTER_DLT_EN10MB, FILTER_EBPF_VERDICT, &b, NULL),
			 0);
	assert_int_equal(a.len, b.len);
	filter_ebpf_release(&a);
	filter_ebpf_release(&b);
}

/* Observing: both verdicts let the packet through (XDP_PASS, TC_ACT_UNSPEC). */
static void observe(void **state)
{
	(void)state;
	for (int h = FILTER_HOOK_XDP; h <= FILTER_HOOK_TC; h++) {
		struct filter_options o = {.dlt = FILTER_DLT_EN10MB};
		struct filter_ctx *c = filter_ctx_new(&o);
		const char *x = "tcp port 80";
		struct filter_ebpf_opts eo = {.hook = (enum filter_hook)h, .observe = 1};
		struct filter_ebpf_prog p;
		assert_int_equal(filter_compile(c, x, strlen(x)), 0);
		assert_int_equal(filter_emit_ebpf(c, &eo, &p), 0);
		filter_ctx_free(c);
		/* every verdict (r0 = K, 64-bit) is the same; the returns may
		 * share one exit (ret.c) */
		size_t exits = 0, verdicts = 0;
		for (size_t i = 0; i < p.len; i++) {
			exits += p.insns[i].code == (BPF_JMP | BPF_EXIT);
			if (p.insns[i].code == (BPF_ALU64 | BPF_MOV | BPF_K) &&
			    !p.insns[i].dst_reg) {
				verdicts++;
				assert_int_equal(p.insns[i].imm,
						 h == FILTER_HOOK_XDP ? XDP_PASS : -1);
			}
		}
		assert_true(exits >= 1 && verdicts >= 1);
		if (h == FILTER_HOOK_XDP) {
			assert_int_equal(run(&p, tcp4, sizeof(tcp4)), XDP_PASS);
			assert_int_equal(run(&p, arp42, sizeof(arp42)), XDP_PASS);
		}
		filter_ebpf_release(&p);
	}
}

/* XDP programs write no callee-saved register (r6-r9), which the JIT
 * would save and restore on every run, and end in their only 'exit'. */
static void registers(void **state)
{
	(void)state;
	const char *exprs[] = {"tcp port 443", "host 10.1.2.3 and not port 22", "vlan and udp",
			       "icmp or arp", "tcp[tcpflags] & (tcp-syn|tcp-fin) != 0"};
	for (size_t k = 0; k < sizeof(exprs) / sizeof(exprs[0]); k++) {
		struct filter_ebpf_prog p;
		xdp(exprs[k], &p);
		for (size_t i = 0; i < p.len; i++) {
			uint8_t cls = BPF_CLASS(p.insns[i].code);
			if (cls == BPF_ALU || cls == BPF_ALU64 || cls == BPF_LDX)
				assert_true(p.insns[i].dst_reg < 6);
		}
		/* the JIT's epilogue goes where the first 'exit' is: only one */
		size_t exits = 0;
		for (size_t i = 0; i < p.len; i++)
			exits += p.insns[i].code == (BPF_JMP | BPF_EXIT);
		assert_int_equal(exits, 1);
		assert_int_equal(p.insns[p.len - 1].code, BPF_JMP | BPF_EXIT);
		filter_ebpf_release(&p);
	}
}

/* "host A or host B or ...": one search over the addresses, whether they
 * come as a chain of tests or as the optimizer's tree; consecutive ones
 * one range.  Every address of the list and around it gets its verdict. */
static void host_lists(void **state)
{
	(void)state;
	static const uint32_t scattered[] = {0x0a000001, 0x0a000105, 0x0a0a0a0a, 0xc0a80001,
					     0xc0a80002, 0xc0a80003, 0x7f000001, 0x01020304,
					     0xfffffffe, 0x00000001, 0x0a000002, 0x08080808};
	size_t ns = sizeof(scattered) / sizeof(scattered[0]);
	for (int list = 0; list < 3; list++) {
		int n = list == 0 ? 100 : list == 1 ? 20 : (int)ns;
		char *x = malloc((size_t)n * 32);
		assert_non_null(x);
		char *w = x;
		for (int i = 0; i < n; i++) {
			uint32_t a = list == 2 ? scattered[i] : 0x0a000000u + (uint32_t)i + 1;
			w += sprintf(w, "%shost %u.%u.%u.%u", i ? " or " : "", a >> 24,
				     (a >> 16) & 255, (a >> 8) & 255, a & 255);
		}
		struct filter_ebpf_prog p;
		xdp(x, &p);
		if (list == 0)
			assert_true(p.len < 60); /* IPv4, ARP, RARP: four ranges */
		uint8_t f[sizeof(tcp4)];
		for (int i = -2; i < n + 2; i++) {
			int in = i >= 0 && i < n; /* else an address next to the list */
			uint32_t a = list == 2 && in ? scattered[i]
				     : list == 2     ? 0x0b000000u + (uint32_t)i
						     : 0x0a000000u + (uint32_t)(i + 1);
			for (int side = 0; side < 2; side++) {
				memcpy(f, tcp4, sizeof(f));
				uint8_t *q = f + (side ? 30 : 26);
				q[0] = (uint8_t)(a >> 24), q[1] = (uint8_t)(a >> 16);
				q[2] = (uint8_t)(a >> 8), q[3] = (uint8_t)a;
				if (!in) /* the other address is not listed either */
					memset(f + (side ? 26 : 30), 0xee, 4);
				assert_int_equal(run(&p, f, sizeof(f)), in ? XDP_PASS : XDP_DROP);
				/* one more and one less than a listed address */
				if (in && list == 2) {
					q[3] = (uint8_t)(a + 1);
					memset(f + (side ? 26 : 30), 0xee, 4);
					int listed = 0;
					for (size_t j = 0; j < ns; j++)
						listed |= scattered[j] == a + 1;
					assert_int_equal(run(&p, f, sizeof(f)),
							 listed ? XDP_PASS : XDP_DROP);
				}
			}
		}
		filter_ebpf_release(&p);
		free(x);
	}
}

/* Tests of the EtherType against a few values are one chain on the bytes as
 * loaded (no byte swap), the test for the block laid out next last: a frame
 * of none of the types leaves by one jump, straight to the exit, where one
 * test after the other would jump to the second test first. */
static void ether_chains(void **state)
{
	(void)state;
	static const struct {
		const char *expr;
		int arp_taken, tcp4_taken, arp, tcp4;
	} cases[] = {
		{"icmp or arp", 1, 0, 1, 0},  {"udp port 53", 1, 2, 0, 0},
		{"tcp port 80", 1, 2, 0, 1},  {"tcp port 443", 1, 1, 0, 0},
		{"ip or arp", 1, 1, 1, 1},    {"ip6 or arp or rarp", 1, 0, 1, 0},
		{"vlan and udp", 1, 1, 0, 0}, {"ip6 and udp", 1, 1, 0, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct filter_ebpf_prog p;
		xdp(cases[i].expr, &p);
		char *s = filter_ebpf_dump(&p, 1);
		if (strstr(s, "be16"))
			fail_msg("'%s': the EtherType byte-swapped:\n%s", cases[i].expr, s);
		assert_int_equal(run(&p, arp42, sizeof(arp42)), cases[i].arp ? XDP_PASS : XDP_DROP);
		if (taken > cases[i].arp_taken)
			fail_msg("'%s' on ARP: %d jumps taken:\n%s", cases[i].expr, taken, s);
		assert_int_equal(run(&p, tcp4, sizeof(tcp4)), cases[i].tcp4 ? XDP_PASS : XDP_DROP);
		if (taken > cases[i].tcp4_taken)
			fail_msg("'%s' on TCP/IPv4: %d jumps taken:\n%s", cases[i].expr, taken, s);
		free(s);
		filter_ebpf_release(&p);
	}
}

/* ip6 protochain: a step reads the next header and the length of one
 * extension header with one guard for both (a block's loads share it), and
 * the walk still gives libpcap's verdicts on whole and cut chains. */
static void walk_guards(void **state)
{
	(void)state;
	/* Ethernet, IPv6 (next: hop-by-hop), hop-by-hop (next: TCP, 8 bytes), TCP */
	uint8_t f[14 + 40 + 8 + 20] = {
		[12] = 0x86, [13] = 0xdd, [14] = 0x60, [20] = 0, [54] = 6, [55] = 0};
	struct filter_ebpf_prog p;
	xdp("ip6 protochain 6", &p);
	size_t guards = 0;
	for (size_t i = 0; i < p.len; i++)
		guards += p.insns[i].code == (BPF_JMP | BPF_JGT | BPF_X);
	/* the first (21 bytes), then one per step and kind of header (128 steps) */
	assert_true(guards <= 1 + 2 * 128);
	assert_int_equal(run(&p, f, sizeof(f)), XDP_PASS);
	assert_int_equal(run(&p, f, 56), XDP_PASS); /* the chain ends inside the frame */
	assert_int_equal(run(&p, f, 55), XDP_DROP); /* the header's length is cut */
	f[54] = 17;
	assert_int_equal(run(&p, f, sizeof(f)), XDP_DROP);
	filter_ebpf_release(&p);
}

/* Ethernet + IPv6 (IPv4) + N extension headers (hop-by-hop first, then
 * routing, fragment, destination options, in turn; AH over IPv4), then
 * LAST's 8 bytes.  Returns the length. */
static unsigned chain_frame(uint8_t *b, int v6, int n, uint8_t last)
{
	static const uint8_t kinds6[] = {43, 44, 60, 0};
	unsigned o = v6 ? 54 : 34;
	memset(b, 0, 2048);
	b[12] = v6 ? 0x86 : 0x08;
	b[13] = v6 ? 0xdd : 0x00;
	b[14] = v6 ? 0x60 : 0x45;
	uint8_t *nh = &b[v6 ? 20 : 23];
	for (int i = 0; i < n; i++) {
		uint8_t kind = v6 ? (i == 0 ? 0 : kinds6[(i - 1) % 4]) : 51;
		*nh = kind;
		nh = &b[o];
		b[o + 1] = kind == 51 ? 2 : kind == 44 ? 0 : 1; /* 16 bytes but the fragment's 8 */
		o += kind == 44 ? 8 : 16;
	}
	*nh = last;
	return o + 8;
}

static int has_back_jump(const struct filter_ebpf_prog *p)
{
	for (size_t i = 0; i < p->len; i++) {
		uint8_t cls = BPF_CLASS(p->insns[i].code), op = BPF_OP(p->insns[i].code);
		if ((cls == BPF_JMP || cls == BPF_JMP32) && op != BPF_CALL && op != BPF_EXIT &&
		    p->insns[i].off < 0)
			return 1;
	}
	return 0;
}

/* protochain's walk is a bounded loop at XDP and tc (the steps folded back,
 * also for a walk without the generator's annotations, several terms on
 * one walk and one walk per family); at XDP it gives the classic program's
 * verdict on chains of 0 to 34 headers cut to every length (the bound:
 * PROTOCHAIN_STEPS_V6 headers match, more do not). */
static void walk_loop(void **state)
{
	(void)state;
	static const char *const exprs[] = {
		"ip6 protochain 6",
		"ip6 protochain 43",
		"ip6 protochain 6 or ip6 protochain 17",
		"protochain 6 and not protochain 17",
		"ip6 protochain 44 or ip6 protochain 0 or ip6 protochain 60",
		"ip protochain 17",
		"(tcp and protochain 6) or (udp and protochain 17)",
	};
	static const int lens[] = {0, 1, 2, 5, 8, 9, 31, 32, 33};
	static const uint8_t lasts[] = {6, 17, 59};
	uint8_t *f = malloc(2048);
	assert_non_null(f);
	struct filter_ebpf_prog p;
	xdp("ip6 protochain 6", &p);
	assert_true(has_back_jump(&p));
	assert_true(p.len < 200);
	filter_ebpf_release(&p);
	for (size_t e = 0; e < sizeof(exprs) / sizeof(exprs[0]); e++) {
		struct filter_prog ref;
		classic(exprs[e], &ref);
		assert_int_equal(emit(exprs[e], FILTER_HOOK_TC, 0, FILTER_DLT_EN10MB,
				      FILTER_EBPF_VERDICT, &p, NULL),
				 0);
		assert_true(has_back_jump(&p));
		filter_ebpf_release(&p);
		xdp(exprs[e], &p);
		assert_true(has_back_jump(&p));
		assert_true(p.len < 400);
		for (int v6 = 0; v6 < 2; v6++)
			for (size_t l = 0; l < sizeof(lens) / sizeof(lens[0]); l++)
				for (size_t t = 0; t < sizeof(lasts); t++) {
					unsigned len = chain_frame(f, v6, lens[l], lasts[t]);
					for (unsigned cut = 14; cut <= len;
					     cut += cut < 80 ? 1 : 7) {
						int want = bpf_filter(ref.insns, f, cut, cut) != 0;
						if ((run(&p, f, cut) == XDP_PASS) != want)
							fail_msg("'%s': %d headers, cut to %u: "
								 "classic %d",
								 exprs[e], lens[l], cut, want);
					}
				}
		filter_ebpf_release(&p);
		filter_prog_release(&ref);
	}
	/* the bound: a chain of exactly PROTOCHAIN_STEPS_V6 headers matches */
	xdp("ip6 protochain 17", &p);
	unsigned len = chain_frame(f, 1, PROTOCHAIN_STEPS_V6, 17);
	assert_int_equal(run(&p, f, len), XDP_PASS);
	len = chain_frame(f, 1, PROTOCHAIN_STEPS_V6 + 1, 17);
	assert_int_equal(run(&p, f, len), XDP_DROP);
	filter_ebpf_release(&p);
	free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(listing_ip),	   cmocka_unit_test(listing_tc),
		cmocka_unit_test(refusals),	   cmocka_unit_test(tail_call),
		cmocka_unit_test(guard_placement), cmocka_unit_test(guards_merged),
		cmocka_unit_test(verdicts),	   cmocka_unit_test(vlan_views),
		cmocka_unit_test(observe),	   cmocka_unit_test(registers),
		cmocka_unit_test(host_lists),	   cmocka_unit_test(walk_guards),
		cmocka_unit_test(walk_loop),	   cmocka_unit_test(ether_chains),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
