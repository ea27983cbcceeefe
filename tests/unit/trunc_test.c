/* trunc_test.c - the rule for short packets (opt.h, bpfcap-filter(7)): the
 * programs it lets the optimizer shorten, and the verdicts on packets that
 * end inside a field the filter reads, against libpcap 1.10.3's unoptimized
 * program (../diff/truncrel.h's relation at every cut) and its optimized
 * one (what tcpdump runs). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "helpers.h"
#include "../diff/truncrel.h"

/* libpcap's program for EXPR on Ethernet, optimized or not. */
static void lp_compile(const char *expr, int optimize, struct bpf_program *bp)
{
	pcap_t *dead = pcap_open_dead(DLT_EN10MB, 262144);
	assert_non_null(dead);
	if (pcap_compile(dead, bp, expr, optimize, PCAP_NETMASK_UNKNOWN) < 0)
		fail_msg("libpcap refuses '%s': %s", expr, pcap_geterr(dead));
	pcap_close(dead);
}

/* Ours, optimized, on PKT cut to every length up to N, against libpcap's
 * unoptimized program: the relation holds; returns how many cuts fell
 * under the rule for short packets. */
static unsigned long check_cuts(const char *expr, const uint8_t *pkt, unsigned n)
{
	struct filter_prog p;
	struct bpf_program lu;
	struct truncrel_stats s = {0, 0, 0, 0};
	assert_int_equal(compile_expr(FILTER_DLT_EN10MB, expr, 0, &p, NULL), 0);
	lp_compile(expr, 0, &lu);
	for (unsigned len = 0; len <= n; len++) {
		unsigned ref = bpf_filter(lu.bf_insns, pkt, len, len);
		if (truncrel_check(lu.bf_insns, ref, run_prog(&p, pkt, len), pkt, len, len, &s) ==
		    TRUNCREL_MISMATCH)
			fail_msg("'%s': cut to %u bytes: libpcap %u, bpfcap %u", expr, len, ref,
				 run_prog(&p, pkt, len));
	}
	pcap_freecode(&lu);
	filter_prog_release(&p);
	return s.trunc;
}

/* The verdicts on PKT cut to LEN: ours, libpcap's unoptimized, libpcap's
 * optimized, as 0/1 in that order (bit 2, 1, 0). */
static int verdicts(const char *expr, const uint8_t *pkt, unsigned len)
{
	struct filter_prog p;
	struct bpf_program lu, lo;
	assert_int_equal(compile_expr(FILTER_DLT_EN10MB, expr, 0, &p, NULL), 0);
	lp_compile(expr, 0, &lu);
	lp_compile(expr, 1, &lo);
	int v = (run_prog(&p, pkt, len) != 0) << 2 |
		(bpf_filter(lu.bf_insns, pkt, len, len) != 0) << 1 |
		(bpf_filter(lo.bf_insns, pkt, len, len) != 0);
	pcap_freecode(&lu);
	pcap_freecode(&lo);
	filter_prog_release(&p);
	return v;
}

/* Ethernet + IPv4 + TCP 192.168.1.2 -> 10.0.0.9, 20 bytes of header. */
/* EXPR (EN10MB, optimized) is at most MAX instructions long: its length. */
static size_t at_most(const char *expr, size_t max)
{
	struct filter_prog p;
	assert_int_equal(compile_expr(FILTER_DLT_EN10MB, expr, 0, &p, NULL), 0);
	size_t len = p.len;
	filter_prog_release(&p);
	if (len > max)
		fail_msg("'%s': %zu instructions, not %zu", expr, len, max);
	return len;
}

static void ipv4_tcp(uint8_t *pkt, size_t n)
{
	memset(pkt, 0, n);
	pkt[12] = 0x08, pkt[14] = 0x45, pkt[23] = 6;
	pkt[26] = 192, pkt[27] = 168, pkt[28] = 1, pkt[29] = 2;
	pkt[30] = 10, pkt[33] = 9;
	pkt[16] = 0, pkt[17] = 40;
}

/* Ethernet + IPv6 2001:db8::1 -> fd00::2, UDP. */
static void ipv6_udp(uint8_t *pkt, size_t n)
{
	memset(pkt, 0, n);
	pkt[12] = 0x86, pkt[13] = 0xdd, pkt[14] = 0x60, pkt[20] = 17;
	pkt[22] = 0x20, pkt[23] = 0x01, pkt[24] = 0x0d, pkt[25] = 0xb8, pkt[37] = 1;
	pkt[38] = 0xfd, pkt[53] = 2;
}

/* No longer than libpcap's optimized programs, and as long as the probes
 * of the old rule made them: a zero-mask IPv6 net loads each address's
 * masked words only; a host list tests every source first. */
static void lengths(void **state)
{
	static const struct {
		const char *expr;
		size_t len; /* libpcap 1.10.3 -O's, on Ethernet */
	} cases[] = {
		{"net 2001:db8::/32", 8},
		{"net fd00::/16", 10},
		{"net 2001:db8::/64", 12},
		{"net 2001:db8:1:2:3:4::/96", 16},
		{"src net 2001:db8::/32 and dst net fd00::/16", 9},
		{"host 192.168.1.1 or host 192.168.1.2", 17},
		{"host 10.0.0.1 or host 10.0.0.2 or host 10.0.0.3 or host 10.0.0.4", 23},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct bpf_program lo;
		size_t len = at_most(cases[i].expr, cases[i].len);
		lp_compile(cases[i].expr, 1, &lo);
		if (len > lo.bf_len)
			fail_msg("'%s': %zu instructions, libpcap -O %u", cases[i].expr, len,
				 lo.bf_len);
		pcap_freecode(&lo);
	}
}

/* A host list cut after the source address: the source matches the
 * second host, the destination is not there.  libpcap's unoptimized
 * program loads the first host's destination first and rejects; its
 * optimized one, and ours, test every source first and accept.  Cut inside
 * the source, nothing accepts. */
static void host_list_cut(void **state)
{
	const char *expr = "host 192.168.1.1 or host 192.168.1.2";
	uint8_t pkt[14 + 20 + 20];
	(void)state;
	ipv4_tcp(pkt, sizeof(pkt));
	assert_int_equal(verdicts(expr, pkt, 30), 5); /* ours, libpcap -O; not libpcap */
	assert_int_equal(verdicts(expr, pkt, 29), 0);
	assert_int_equal(verdicts(expr, pkt, sizeof(pkt)), 7);
	pkt[29] = 3; /* no host of the list: rejected whole or cut */
	assert_int_equal(verdicts(expr, pkt, 30), 0);
	assert_int_equal(verdicts(expr, pkt, sizeof(pkt)), 0);
	pkt[29] = 2;
	assert_true(check_cuts(expr, pkt, sizeof(pkt)) >= 1);
	const char *four = "host 10.0.0.1 or host 10.0.0.2 or host 10.0.0.3 or host 192.168.1.2";
	assert_int_equal(verdicts(four, pkt, 30) & 4, 4);
	check_cuts(four, pkt, sizeof(pkt));
}

/* A test that may fault at a lower end stays ahead: 'ip[2] = 1 or
 * tcp[100] = 1' accepts a short packet whose ip[2] is 1, and rejects one
 * whose ip[2] is not (tcp[100] could be anything). */
static void lower_end_first(void **state)
{
	const char *expr = "ip[2] = 1 or tcp[100] = 1";
	uint8_t pkt[14 + 20 + 20];
	(void)state;
	ipv4_tcp(pkt, sizeof(pkt));
	pkt[16] = 1;
	assert_int_equal(verdicts(expr, pkt, sizeof(pkt)), 7);
	pkt[16] = 0;
	assert_int_equal(verdicts(expr, pkt, sizeof(pkt)), 0);
	check_cuts(expr, pkt, sizeof(pkt));
	pkt[16] = 1;
	check_cuts(expr, pkt, sizeof(pkt));
}

/* A zero-mask IPv6 net, cut inside the address words under the zero mask:
 * the masked word matches, so every completion does; libpcap's
 * unoptimized program loads the zero-mask words and rejects. */
static void zero_mask_cut(void **state)
{
	static const char *const exprs[] = {"net 2001:db8::/32", "src net 2001:db8::/32",
					    "ip6 and net 2001:db8::/32"};
	uint8_t pkt[14 + 40 + 8];
	(void)state;
	ipv6_udp(pkt, sizeof(pkt));
	for (size_t i = 0; i < sizeof(exprs) / sizeof(exprs[0]); i++) {
		for (unsigned len = 26; len < 38; len++) /* past the first word, in the source */
			assert_int_equal(verdicts(exprs[i], pkt, len), 5);
		assert_int_equal(verdicts(exprs[i], pkt, 25), 0); /* inside the first word */
		assert_int_equal(verdicts(exprs[i], pkt, sizeof(pkt)), 7);
		assert_true(check_cuts(exprs[i], pkt, sizeof(pkt)) >= 12);
	}
	/* the destination's net: a cut in the source's zero-mask words is short
	 * of the destination, whose test decides */
	assert_int_equal(verdicts("dst net 2001:db8::/32", pkt, 30), 0);
	check_cuts("net fd00::/16", pkt, sizeof(pkt));
	check_cuts("not net 2001:db8::/32", pkt, sizeof(pkt));
}

/* A test of whole bytes of a load under a mask is a test of a narrower
 * load: 'net 192.168.0.0/16' loads the halfword of each address (14
 * instructions; libpcap 18), and so accepts a packet cut after the source
 * address's second byte, whose first two bytes match. */
static void narrow_loads(void **state)
{
	const char *expr = "net 192.168.0.0/16";
	uint8_t pkt[14 + 20 + 20];
	(void)state;
	at_most(expr, 14);
	ipv4_tcp(pkt, sizeof(pkt));
	assert_int_equal(verdicts(expr, pkt, 28) & 6, 4); /* ours; not libpcap's */
	assert_int_equal(verdicts(expr, pkt, 27), 0);
	assert_true(check_cuts(expr, pkt, sizeof(pkt)) >= 2);
	pkt[27] = 169; /* 192.169: no */
	assert_int_equal(verdicts(expr, pkt, 28), 0);
	check_cuts(expr, pkt, sizeof(pkt));
	check_cuts("net 10.0.0.0/8 or net 172.16.0.0/12 or net 192.168.0.0/16", pkt, sizeof(pkt));
	check_cuts("ip6 and net fd00::/16", pkt, sizeof(pkt));
}

/* Terms of several blocks move as wholes: 'host fe80::1 or host fe80::2'
 * tests both sources first (22 instructions; libpcap 36), so a packet from
 * fe80::2 cut before its destination is accepted.  A term moves ahead only
 * past terms whose first test reads as far: in the last expression the
 * third term may not move ahead of the second (ip6[41] lies past ip6[40],
 * the first term's first read), so a packet cut before ip6[41] on which
 * the second holds is accepted. */
static void terms_grouped(void **state)
{
	const char *expr = "host fe80::1 or host fe80::2";
	uint8_t pkt[14 + 40 + 8];
	(void)state;
	at_most(expr, 22);
	ipv6_udp(pkt, sizeof(pkt));
	pkt[22] = 0xfe, pkt[23] = 0x80, pkt[24] = pkt[25] = 0, pkt[37] = 2;
	assert_int_equal(verdicts(expr, pkt, 38) & 6, 4);
	assert_int_equal(verdicts(expr, pkt, 37), 0);
	assert_true(check_cuts(expr, pkt, sizeof(pkt)) >= 4); /* 38 to 41 */
	pkt[37] = 3;
	assert_int_equal(verdicts(expr, pkt, 38), 0);
	check_cuts(expr, pkt, sizeof(pkt));
	const char *moved = "(ip6[2] = 3 and ip6[3] = 4) or (ip6[40] = 1 and ip6[41] = 2) or "
			    "(ip6[2] = 5 and ip6[3] = 6)";
	pkt[16] = 5, pkt[17] = 6; /* the third term holds: accepted short of ip6[40] */
	assert_int_equal(verdicts(moved, pkt, 40) & 6, 4);
	check_cuts(moved, pkt, sizeof(pkt));
	const char *kept = "(ip6[40] = 3 and ip6[0] = 0x60) or (ip6[2] = 1 and ip6[3] = 2) or "
			   "(ip6[40] = 5 and ip6[41] = 6)";
	pkt[16] = 1, pkt[17] = 2, pkt[54] = 5; /* the second holds, the third would fault */
	assert_int_equal(verdicts(kept, pkt, 55), 7);
	check_cuts(kept, pkt, sizeof(pkt));
}

/* The conjuncts of a term go in the order in which their bytes end:
 * '(host A and port 80) or (host B and port 443)' tests the fragment and
 * the protocol ahead of the hosts, and the second term, reached with them
 * known (the protocol as one of tcp, udp, sctp, where the paths meet),
 * skips them.  A division stays where it is: moving the test of ether[2]
 * and ether[3] ahead of it would accept a whole packet whose division by
 * zero rejects. */
static void conjuncts_shared(void **state)
{
	static const struct {
		const char *expr;
		size_t len;
	} cases[] = {
		{"(host 10.0.0.1 and port 80) or (host 10.0.0.2 and port 443)", 28},
		{"(src net 10.0.0.0/8 and dst port 80) or (dst net 10.0.0.0/8 and src port 80)",
		 20},
		{"(port 80 and host 10.0.0.1) or (port 443 and host 10.0.0.2)", 27},
		{"(host 10.0.0.1 and tcp port 80) or (host 10.0.0.2 and udp port 53)", 27},
		{"(host 10.0.0.1 and port 80) or (host 10.0.0.2 and port 443) or "
		 "(host 10.0.0.3 and port 22)",
		 37},
		{"(ip[2] = 1 and port 80) or (ip[3] = 2 and port 443)", 30},
	};
	uint8_t pkt[14 + 20 + 20];
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		at_most(cases[i].expr, cases[i].len);
		static const uint8_t protos[] = {6, 17, 132, 1};
		int accepted = 0;
		for (size_t j = 0; j < 4 * sizeof(protos); j++) {
			ipv4_tcp(pkt, sizeof(pkt));
			pkt[23] = protos[j % sizeof(protos)];
			size_t a = j % 2 ? 30 : 26, b = j % 2 ? 26 : 30; /* 10.0.0.x, the other */
			pkt[a] = 10, pkt[a + 1] = pkt[a + 2] = 0, pkt[a + 3] = (uint8_t)(1 + j % 3);
			pkt[b] = 192, pkt[b + 1] = 168, pkt[b + 2] = 0, pkt[b + 3] = 1;
			pkt[16] = j % 5 == 0, pkt[17] = j % 7 == 0 ? 2 : 40;
			pkt[34] = j / 8 ? 1 : 0, pkt[35] = j / 8 ? 0xbb : 22; /* 443 or 22 */
			pkt[36] = 0, pkt[37] = j % 5 == 1 ? 53 : 80;
			check_cuts(cases[i].expr, pkt, sizeof(pkt));
			int v = verdicts(cases[i].expr, pkt, sizeof(pkt)) & 6;
			assert_true(v == 0 || v == 6); /* whole: ours is libpcap's */
			accepted += v != 0;
			pkt[20] = 0x20; /* a first fragment: the ports are there */
			check_cuts(cases[i].expr, pkt, sizeof(pkt));
		}
		assert_true(accepted > 0);
	}
	const char *div = "(ether[6] / ether[1] = 1 and (ether[2] = 1 or ether[3] = 7)) or "
			  "ether[0] = 5";
	ipv4_tcp(pkt, sizeof(pkt));
	pkt[0] = 5, pkt[2] = 2; /* ether[1] is 0 */
	assert_int_equal(verdicts(div, pkt, sizeof(pkt)) & 6, 0);
	check_cuts(div, pkt, sizeof(pkt));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lengths),	    cmocka_unit_test(host_list_cut),
		cmocka_unit_test(lower_end_first),  cmocka_unit_test(zero_mask_cut),
		cmocka_unit_test(narrow_loads),	    cmocka_unit_test(terms_grouped),
		cmocka_unit_test(conjuncts_shared),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
