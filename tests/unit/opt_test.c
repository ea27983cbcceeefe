/* opt_test.c - each optimizer pass, and that none changes a verdict on
 * hand-made packets, but for the accepts of short packets that opt.h's
 * rule allows (../diff/truncrel.h checks them on completions). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "helpers.h"
#include "../diff/truncrel.h"

/* Ethernet + IPv4 + UDP 10.0.0.1:5353 -> 224.0.0.251:53, 8 bytes payload. */
static const uint8_t udp4[] = {
	1,    0,    0x5e, 0,  0, 0xfb, 6,  7, 8, 9,  10, 11, 0x08, 0x00, 0x45, 0, 0,
	36,   0,    1,	  0,  0, 64,   17, 0, 0, 10, 0,	 0,  1,	   224,	 0,    0, 251,
	0x14, 0xe9, 0,	  53, 0, 16,   0,  0, 1, 2,  3,	 4,  5,	   6,	 7,    8,
};

static size_t count_code(const struct filter_prog *p, uint16_t code)
{
	size_t n = 0;
	for (size_t i = 0; i < p->len; i++)
		n += p->insns[i].code == code;
	return n;
}

/* O's verdict on PKT cut to LEN stands in truncrel.h's relation to U's. */
static int rel_ok(const struct filter_prog *o, const struct filter_prog *u, const uint8_t *pkt,
		  unsigned len)
{
	return truncrel_check((const struct bpf_insn *)(const void *)u->insns,
			      run_prog(u, pkt, len), run_prog(o, pkt, len), pkt, len, len,
			      NULL) != TRUNCREL_MISMATCH;
}

/* Compile both ways; the verdicts must agree on PKT cut to every length
 * (truncrel.h's relation). */
static struct filter_prog both(const char *expr)
{
	struct filter_prog o, u;
	struct filter_diag d;
	if (compile_expr(FILTER_DLT_EN10MB, expr, 0, &o, &d) < 0)
		fail_msg("'%s': %s", expr, d.message);
	assert_int_equal(compile_expr(FILTER_DLT_EN10MB, expr, 1, &u, &d), 0);
	for (unsigned len = 0; len <= sizeof(udp4); len++)
		if (!rel_ok(&o, &u, udp4, len))
			fail_msg("'%s': optimized and unoptimized differ at length %u", expr, len);
	filter_prog_release(&u);
	return o;
}

static void threading(void **state)
{
	(void)state;
	struct filter_prog p = both("ip and ip and ip");
	assert_int_equal(p.len, 4); /* one test */
	filter_prog_release(&p);
	p = both("ip and udp and ip[9] = 17");
	assert_int_equal(count_code(&p, 0x28), 1); /* ldh [12] once */
	filter_prog_release(&p);
	p = both("arp or (ip and not arp)");
	assert_true(p.len <= 6);
	filter_prog_release(&p);
}

static void merging(void **state)
{
	(void)state;
	/* the three transport protocols share one port check per family */
	struct filter_prog p = both("port 53");
	assert_true(p.len <= 24);
	assert_true(run_prog(&p, udp4, sizeof(udp4)) != 0);
	filter_prog_release(&p);
	p = both("udp port 53 or sctp port 53 or tcp port 53");
	assert_true(p.len <= 30);
	filter_prog_release(&p);
}

static void folding(void **state)
{
	(void)state;
	struct filter_prog p = both("1 + 2 * 3 = 7");
	assert_int_equal(p.len, 1); /* always true: just ret */
	filter_prog_release(&p);
	p = both("ip[0] & 1 = 0");
	assert_int_equal(count_code(&p, 0x54), 0); /* no 'and': a jset */
	assert_int_equal(count_code(&p, 0x45), 1);
	filter_prog_release(&p);
	p = both("ip[9] * 2 - 12 = 23 or ip[9] + 5 = 3 or ip[9] ^ 16 = 2");
	assert_int_equal(count_code(&p, BPF_ALU | BPF_SUB | BPF_K), 0); /* into the compare */
	assert_int_equal(count_code(&p, BPF_ALU | BPF_ADD | BPF_K), 0);
	assert_int_equal(count_code(&p, BPF_ALU | BPF_XOR | BPF_K), 0);
	assert_int_equal(run_prog(&p, udp4, sizeof(udp4)), 0); /* ip[9] is 17 */
	filter_prog_release(&p);
	p = both("ip[9] - 12 = 5 and ip[9] ^ 1 = 16 and ip[9] + 0xfffffff0 = 1");
	assert_int_not_equal(run_prog(&p, udp4, sizeof(udp4)), 0);
	filter_prog_release(&p);
	p = both("tcp[0xab] = 1");
	assert_int_equal(count_code(&p, 0x04), 0); /* the index folds into the offset */
	filter_prog_release(&p);
	struct filter_diag d;
	assert_int_equal(compile_expr(FILTER_DLT_EN10MB, "1 = 2", 0, &p, &d), -1);
	assert_int_equal(d.code, FILTER_ERR_NEVER);
}

/* A load that may be out of bounds stays where its value decides the
 * verdict, and a division that may fault stays; a load whose value decides
 * nothing goes (opt.h): a short packet is then accepted where every value
 * of the missing bytes would make the expression true. */
static void faults_kept(void **state)
{
	(void)state;
	struct filter_prog p = both("ip[40] = 1 or ip[40] != 1");
	assert_int_not_equal(run_prog(&p, udp4, sizeof(udp4)), 0);
	filter_prog_release(&p);
	/* true too, but not seen to be: either verdict is allowed, the relation
	 * to the unoptimized program holds (both()) */
	p = both("len > 0 and (ip[100] = 0 or ip[100] = 1 or ip[100] > 1)");
	filter_prog_release(&p);
	const char *keep[] = {
		"ip[1] / ip[40] = 0 or 1 = 1", /* runtime division by zero rejects */
		"not udp[100] = 1",
		"(ip[30] = 1 or ip[30] = 2) and udp",
	};
	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
		p = both(keep[i]);
		assert_int_equal(run_prog(&p, udp4, sizeof(udp4)), 0);
		filter_prog_release(&p);
	}
}

/* Optimized and unoptimized agree on PKT cut to every length. */
static void agree(const struct filter_prog *o, const char *expr, const uint8_t *pkt, unsigned n)
{
	struct filter_prog u;
	assert_int_equal(compile_expr(FILTER_DLT_EN10MB, expr, 1, &u, NULL), 0);
	for (unsigned len = 0; len <= n; len++)
		if (!rel_ok(o, &u, pkt, len))
			fail_msg("'%s': optimized and unoptimized differ at length %u", expr, len);
	filter_prog_release(&u);
}

/* Tests whose outcome is constant (address words under a zero mask) go,
 * loads and all: a packet cut inside those words is accepted when the words
 * it has match (opt.h), as by libpcap's optimized program. */
static void constant_tests(void **state)
{
	/* Ethernet + IPv6 fd00::1 -> fd00::2, UDP */
	uint8_t pkt[14 + 40 + 8] = {[12] = 0x86, [13] = 0xdd, [14] = 0x60, [20] = 17};
	pkt[22] = pkt[38] = 0xfd;
	pkt[37] = 1;
	pkt[53] = 2;
	const char *exprs[] = {"net fd00::/16",
			       "src net fd00::/8 and udp",
			       "not net fd00::/16",
			       "dst net fd00::/16",
			       "ip[2:2] & 0 = 1 or ip6",
			       "ip6 and net 2001:db8::/32",
			       "net fd00::/16 or net fe80::/10",
			       "src net fd00::/16 and dst net fd00::/8"};
	(void)state;
	for (size_t i = 0; i < sizeof(exprs) / sizeof(exprs[0]); i++) {
		struct filter_prog p;
		assert_int_equal(compile_expr(FILTER_DLT_EN10MB, exprs[i], 0, &p, NULL), 0);
		assert_int_equal(count_code(&p, BPF_JMP | BPF_JSET | BPF_K), 0);
		agree(&p, exprs[i], pkt, sizeof(pkt));
		pkt[22] ^= 0xff; /* and when the source does not match */
		agree(&p, exprs[i], pkt, sizeof(pkt));
		pkt[38] ^= 0xff; /* nor the destination */
		agree(&p, exprs[i], pkt, sizeof(pkt));
		pkt[22] ^= 0xff; /* only the source */
		agree(&p, exprs[i], pkt, sizeof(pkt));
		pkt[38] ^= 0xff;
		filter_prog_release(&p);
	}
	struct filter_prog p;
	assert_int_equal(compile_expr(FILTER_DLT_EN10MB, "net fd00::/16", 0, &p, NULL), 0);
	/* one load per address, as libpcap -O: 10 */
	assert_true(p.len <= 10);
	filter_prog_release(&p);
}

/* Prefix-masked tests of one address become range tests that keep the
 * address in A (opt_ranges()): the RFC 1918 list is 33, not libpcap's 42,
 * with the same verdicts on IPv4 and ARP frames at the nets' edges, cut to
 * every length. */
static void prefix_ranges(void **state)
{
	static const uint32_t addrs[] = {0x0a000000, 0x0affffff, 0x09ffffff, 0x0b000000,
					 0xac100000, 0xac1fffff, 0xac0fffff, 0xac200000,
					 0xc0a80000, 0xc0a8ffff, 0xc0a7ffff, 0xc0a90000,
					 0x0a010203, 0x0a01ffff, 0x0a020000, 0x7f000001};
	const char *exprs[] = {"net 10.0.0.0/8 or net 172.16.0.0/12 or net 192.168.0.0/16",
			       "src net 172.16.0.0/12 or src net 10.0.0.0/8 or host 10.1.2.3",
			       "net 10.0.0.0/8 and not net 10.1.0.0/16",
			       "not (dst net 192.168.0.0/16 or dst net 10.0.0.0/8)"};
	const size_t na = sizeof(addrs) / sizeof(addrs[0]);
	uint8_t pkt[14 + 28 + 8] = {0};
	(void)state;
	for (size_t e = 0; e < sizeof(exprs) / sizeof(exprs[0]); e++) {
		struct filter_prog p;
		assert_int_equal(compile_expr(FILTER_DLT_EN10MB, exprs[e], 0, &p, NULL), 0);
		for (size_t i = 0; i < 2 * na * na; i++) {
			int arp = (int)(i / (na * na));
			uint32_t src = addrs[i % na], dst = addrs[(i / na) % na];
			unsigned so = arp ? 28 : 26, dof = arp ? 38 : 30;
			memset(pkt, 0, sizeof(pkt));
			pkt[12] = 0x08, pkt[13] = arp ? 0x06 : 0x00;
			pkt[14] = 0x45, pkt[23] = 17;
			for (int b = 0; b < 4; b++) {
				pkt[so + b] = (uint8_t)(src >> (24 - 8 * b));
				pkt[dof + b] = (uint8_t)(dst >> (24 - 8 * b));
			}
			agree(&p, exprs[e], pkt, sizeof(pkt));
		}
		if (e == 0)
			assert_true(p.len <= 33);
		filter_prog_release(&p);
	}
}

/* Tests of bytes that an earlier test of a load of other width fixed are
 * decided (ldb [16] & 7 = 2 settles ldh [16] & 0xff07 = 0x8102), when the
 * earlier loads prove the bytes are there: DECnet's four address forms
 * test the flags byte each way.  Same verdicts on random DECnet frames cut
 * to every length. */
static void bits_decided(void **state)
{
	const char *exprs[] = {"decnet host 1.1", "decnet src 50.764 or decnet dst 1.2",
			       "ether[0] & 1 != 0 and ether[0:2] & 0x0300 = 0x0100",
			       "ether[14:2] = 0x0102 and (ether[15] = 2 or ether[14:4] = 1)"};
	uint8_t pkt[48];
	(void)state;
	for (size_t e = 0; e < sizeof(exprs) / sizeof(exprs[0]); e++) {
		struct filter_prog p;
		assert_int_equal(compile_expr(FILTER_DLT_EN10MB, exprs[e], 0, &p, NULL), 0);
		srand(3);
		for (int t = 0; t < 3000; t++) {
			for (size_t b = 0; b < sizeof(pkt); b++)
				pkt[b] = (uint8_t)rand();
			pkt[12] = 0x60, pkt[13] = 0x03;
			if (t & 1) /* the flag forms and addresses libpcap tests */
				pkt[16] = (uint8_t)((t & 2 ? 0x81 : 0x02) | (t & 4 ? 4 : 0));
			if (t & 8)
				pkt[19] = pkt[17] = pkt[20] = 1, pkt[18] = pkt[21] = 4;
			if (t & 16)
				pkt[0] = 1, pkt[14] = 1, pkt[15] = 2;
			agree(&p, exprs[e], pkt, sizeof(pkt));
		}
		if (e == 0)
			assert_true(p.len <= 32);
		filter_prog_release(&p);
	}
	struct filter_diag d;
	struct filter_prog p;
	assert_int_equal(compile_expr(FILTER_DLT_EN10MB,
				      "ether[0:2] & 0x100 != 0 and ether[0] & 1 = 0", 0, &p, &d),
			 -1);
	assert_int_equal(d.code, FILTER_ERR_NEVER);
	/* the other way round too: byte 0 settles the halfword's test whatever
	 * byte 1 holds, so a 1-byte frame needs no load of it (opt.h) */
	assert_int_equal(compile_expr(FILTER_DLT_EN10MB,
				      "ether[0] & 1 != 0 and ether[0:2] & 0x100 = 0", 0, &p, &d),
			 -1);
	assert_int_equal(d.code, FILTER_ERR_NEVER);
}

static size_t count_load(const struct filter_prog *p, uint16_t code, uint32_t k)
{
	size_t n = 0;
	for (size_t i = 0; i < p->len; i++)
		n += p->insns[i].code == code && p->insns[i].k == k;
	return n;
}

/* Long equality lists become search trees ('jgt' over the sorted
 * constants), with the verdicts of the plain chain on every host of the
 * list and off it, over IPv4 and ARP, at every truncation. */
static void trees(void **state)
{
	static char expr[120 * 24 + 64];
	uint8_t pkt[sizeof(udp4)];
	struct filter_prog p;
	(void)state;
	expr[0] = '\0';
	for (int i = 0; i < 120; i++) /* not in order: the tree sorts */
		snprintf(expr + strlen(expr), sizeof(expr) - strlen(expr), "%shost 10.%d.0.%d",
			 i ? " or " : "", (i * 37) % 120, i % 7 + 1);
	assert_int_equal(compile_expr(FILTER_DLT_EN10MB, expr, 0, &p, NULL), 0);
	assert_true(count_code(&p, BPF_JMP | BPF_JGT | BPF_K) >= 8);
	int matched = 0;
	for (int i = 0; i < 130; i++)
		for (int side = 0; side < 2; side++) { /* as source, then as destination */
			const uint8_t a[4] = {10, (uint8_t)((i * 37) % 120 + (i >= 120 ? 120 : 0)),
					      0, (uint8_t)(i % 7 + 1)};
			memcpy(pkt, udp4, sizeof(pkt));
			pkt[27] = 250; /* the source 10.250.0.1: not on the list */
			memcpy(pkt + (side ? 30 : 26), a, 4);
			matched += run_prog(&p, pkt, sizeof(pkt)) != 0;
			agree(&p, expr, pkt, sizeof(pkt));
		}
	assert_int_equal(matched, 240);
	filter_prog_release(&p);
}

/* A chain that leaves to reject is grouped whole, faulting loads and all:
 * a fault rejects as the exit does. */
static void reject_chains_grouped(void **state)
{
	const char *expr = "ip and not (ip[12] = 1 or ip[16] = 2 or ip[12] = 3 or ip[16] = 4)";
	struct filter_prog p;
	(void)state;
	assert_int_equal(compile_expr(FILTER_DLT_EN10MB, expr, 0, &p, NULL), 0);
	assert_int_equal(count_load(&p, BPF_LD | BPF_B | BPF_ABS, 26), 1);
	assert_int_equal(count_load(&p, BPF_LD | BPF_B | BPF_ABS, 30), 1);
	agree(&p, expr, udp4, sizeof(udp4));
	filter_prog_release(&p);
}

/* A chain's tests are grouped by value; a test moves ahead of another only
 * if it reads no further (so it faults only where the other would): the
 * one that may fault at a lower end stays ahead. */
static void chains_grouped(void **state)
{
	(void)state;
	uint8_t pkt[sizeof(udp4)];
	memcpy(pkt, udp4, sizeof(pkt));
	pkt[29] = 5, pkt[33] = 7, pkt[30] = 10, pkt[31] = pkt[32] = 0; /* 10.0.0.5 > 10.0.0.7 */
	char hosts[400] = "host 10.0.0.1";
	for (int i = 2; i <= 10; i++)
		snprintf(hosts + strlen(hosts), sizeof(hosts) - strlen(hosts), " or host 10.0.0.%d",
			 i);
	struct filter_prog p = both(hosts);
	assert_true(count_load(&p, 0x20, 26) <= 2); /* ld [26] */
	assert_true(count_load(&p, 0x20, 30) <= 1);
	assert_true(p.len <= 46);
	agree(&p, hosts, pkt, sizeof(pkt));
	assert_true(run_prog(&p, pkt, sizeof(pkt)) != 0);
	filter_prog_release(&p);
	/* [54] may fault first; after it, [34] and [54] are safe */
	const char *grouped = "ip[40] = 1 or ip[20] = 2 or ip[40] = 3 or ip[20] = 4";
	p = both(grouped);
	assert_int_equal(count_load(&p, 0x30, 54), 1); /* ldb [54] */
	assert_int_equal(count_load(&p, 0x30, 34), 1);
	pkt[34] = 4;
	agree(&p, grouped, pkt, sizeof(pkt));
	filter_prog_release(&p);
	/* ip[20] = 4 moves ahead of ip[40] = 1, which faults wherever it would:
	 * ip[40] is out of bounds at 50 bytes, but ip[20] = 4 holds */
	const char *kept = "ip[20] = 2 or ip[40] = 1 or ip[20] = 4 or ip[40] = 3";
	p = both(kept);
	agree(&p, kept, pkt, sizeof(pkt));
	assert_int_equal(count_load(&p, 0x30, 34), 1);
	assert_int_not_equal(run_prog(&p, pkt, 50), 0);
	filter_prog_release(&p);
}

/* Three or more consecutive constants in a list become one range test
 * ('jge' then 'jgt'), with the verdicts of the plain list on every value
 * around them. */
static void consecutive_ranges(void **state)
{
	const char *expr = "ip[9] = 1 or ip[9] = 2 or ip[9] = 3 or ip[9] = 5 or ip[9] = 6 or "
			   "ip[9] = 7 or ip[9] = 9 or ip[9] = 7";
	uint8_t pkt[sizeof(udp4)];
	(void)state;
	struct filter_prog p = both(expr);
	assert_int_equal(count_code(&p, BPF_JMP | BPF_JGE | BPF_K), 2);
	assert_true(p.len <= 10);
	int matched = 0;
	for (int v = 0; v < 12; v++) {
		memcpy(pkt, udp4, sizeof(pkt));
		pkt[23] = (uint8_t)v;
		matched += run_prog(&p, pkt, sizeof(pkt)) != 0;
		agree(&p, expr, pkt, sizeof(pkt));
	}
	assert_int_equal(matched, 7);
	filter_prog_release(&p);
	p = both("host 10.0.0.1 or host 10.0.0.2 or host 10.0.0.3 or host 10.0.0.4");
	assert_true(p.len <= 17); /* libpcap: 23 */
	filter_prog_release(&p);
}

/* In "host A and not host B", past "src != A" come "dst == A" and "src !=
 * B": the test of src, still in A, goes first and the reload of src goes
 * (libpcap does the same).  On every mix of addresses, and cut inside
 * either, the verdicts stand. */
static void tests_swapped(void **state)
{
	static const char *exprs[] = {"host 10.0.0.1 and not host 10.0.0.2",
				      "host 10.0.0.1 and host 10.0.0.2"};
	static const uint8_t addrs[] = {1, 2, 3};
	uint8_t pkt[sizeof(udp4)];
	(void)state;
	for (size_t e = 0; e < 2; e++) {
		struct filter_prog p = both(exprs[e]);
		assert_int_equal(count_load(&p, BPF_LD | BPF_W | BPF_ABS, 26), 1);
		assert_int_equal(count_load(&p, BPF_LD | BPF_W | BPF_ABS, 28), 1); /* ARP */
		assert_true(p.len <= 20); /* 22 unswapped */
		memcpy(pkt, udp4, sizeof(pkt));
		pkt[30] = 10, pkt[31] = pkt[32] = 0;
		for (size_t i = 0; i < 3; i++)
			for (size_t j = 0; j < 3; j++) {
				pkt[29] = addrs[i], pkt[33] = addrs[j];
				agree(&p, exprs[e], pkt, sizeof(pkt));
			}
		filter_prog_release(&p);
	}
}

/* "tcp port 22 and host 10.0.0.1": the port test would take IPv6 packets,
 * which the IPv4 host test then rejects, so the test for IPv6 goes; IPv4,
 * IPv6 and ARP packets, whole and cut, keep their verdicts. */
static void redundant_tests(void **state)
{
	const char *expr = "tcp port 22 and host 10.0.0.1";
	uint8_t pkt[sizeof(udp4)];
	(void)state;
	struct filter_prog p = both(expr);
	for (size_t i = 0; i < p.len; i++)
		assert_false(p.insns[i].code == (BPF_JMP | BPF_JEQ | BPF_K) &&
			     p.insns[i].k == 0x86dd);
	assert_true(p.len <= 17); /* libpcap: 18 */
	static const uint16_t types[] = {0x800, 0x86dd, 0x806};
	for (size_t t = 0; t < 3; t++)
		for (uint8_t proto = 6; proto <= 17; proto += 11) {
			memcpy(pkt, udp4, sizeof(pkt));
			pkt[12] = (uint8_t)(types[t] >> 8), pkt[13] = (uint8_t)types[t];
			pkt[23] = proto; /* IPv4 protocol; IPv6 next header at 20 */
			if (types[t] == 0x86dd)
				pkt[20] = proto;
			pkt[37] = 22;
			agree(&p, expr, pkt, sizeof(pkt));
		}
	filter_prog_release(&p);
}

/* 'tcp port 80 or udp port 53': the IPv4 fragment test that both ports
 * begin with comes once, ahead of the protocol (whose byte ends later, so
 * it faults no sooner); packets of each protocol, fragment and port, whole
 * and cut, keep their verdicts. */
static void tests_hoisted(void **state)
{
	const char *expr = "tcp port 80 or udp port 53";
	uint8_t pkt[sizeof(udp4)];
	(void)state;
	struct filter_prog p = both(expr);
	assert_int_equal(count_load(&p, BPF_LD | BPF_H | BPF_ABS, 20), 1);
	assert_true(p.len <= 25); /* 27 unhoisted, libpcap 33 */
	for (uint8_t proto = 1; proto <= 17; proto++)
		for (int frag = 0; frag < 2; frag++) {
			memcpy(pkt, udp4, sizeof(pkt));
			pkt[23] = proto, pkt[21] = (uint8_t)frag;
			pkt[37] = proto == 6 ? 80 : 53;
			agree(&p, expr, pkt, sizeof(pkt));
			assert_int_equal(run_prog(&p, pkt, sizeof(pkt)) != 0,
					 !frag && (proto == 6 || proto == 17));
		}
	filter_prog_release(&p);
}

/* Long lists stay inside the kernel's limit once optimized. */
static void long_lists(void **state)
{
	(void)state;
	static char expr[40000];
	strcpy(expr, "host 10.0.0.1");
	for (int i = 2; i <= 250; i++)
		snprintf(expr + strlen(expr), sizeof(expr) - strlen(expr), " or host 10.0.%d.%d",
			 i / 200, i % 200 + 1);
	struct filter_prog p; /* unoptimized, it is too long for the kernel */
	struct filter_diag d;
	assert_int_equal(compile_expr(FILTER_DLT_EN10MB, expr, 1, &p, &d), -1);
	assert_int_equal(d.code, FILTER_ERR_LIMIT);
	assert_int_equal(compile_expr(FILTER_DLT_EN10MB, expr, 0, &p, &d), 0);
	assert_true(p.len <= FILTER_CBPF_MAX_INSNS);
	assert_true(run_prog(&p, udp4, sizeof(udp4)) != 0); /* 10.0.0.1 */
	assert_int_equal(bpf_validate((const struct bpf_insn *)(void *)p.insns, (int)p.len), 1);
	filter_prog_release(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(threading),	  cmocka_unit_test(merging),
		cmocka_unit_test(folding),	  cmocka_unit_test(faults_kept),
		cmocka_unit_test(long_lists),	  cmocka_unit_test(chains_grouped),
		cmocka_unit_test(constant_tests), cmocka_unit_test(prefix_ranges),
		cmocka_unit_test(bits_decided),	  cmocka_unit_test(reject_chains_grouped),
		cmocka_unit_test(trees),	  cmocka_unit_test(consecutive_ranges),
		cmocka_unit_test(tests_swapped),  cmocka_unit_test(redundant_tests),
		cmocka_unit_test(tests_hoisted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
