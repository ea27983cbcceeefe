/* decode_v_test.c - the printers' -v output on packets built here, against
 * the lines tcpdump 4.99.3 prints for them; and the text primitives
 * (ob_fmt, ob_ip6) against libc's snprintf and inet_ntop (src/decode). */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "decode/decode.h"
#include "decode_print.h"
#include "decode/priv.h"

static const char *print(const struct decode_opts *o, int dlt, const uint8_t *pkt, uint32_t len)
{
	return print_cut(o, dlt, pkt, len, len);
}

static uint32_t sum16(const uint8_t *p, size_t n, uint32_t s)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	return s;
}

static void put_sum(uint8_t *at, uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	s = ~s & 0xffff;
	at[0] = (uint8_t)(s >> 8);
	at[1] = (uint8_t)s;
}

/* An IPv4 header at P: HL bytes (options already in place), TOTAL long. */
static void ip4(uint8_t *p, unsigned hl, unsigned total, unsigned off, unsigned proto, unsigned ttl,
		const uint8_t src[4], const uint8_t dst[4])
{
	p[0] = (uint8_t)(0x40 | hl / 4);
	p[1] = 0;
	p[2] = (uint8_t)(total >> 8), p[3] = (uint8_t)total;
	p[4] = 0, p[5] = 1;
	p[6] = (uint8_t)(off >> 8), p[7] = (uint8_t)off;
	p[8] = (uint8_t)ttl, p[9] = (uint8_t)proto;
	p[10] = p[11] = 0;
	memcpy(p + 12, src, 4);
	memcpy(p + 16, dst, 4);
	put_sum(p + 10, sum16(p, hl, 0));
}

static const uint8_t A1[4] = {10, 0, 0, 1}, A2[4] = {10, 0, 0, 2}, GW[4] = {10, 0, 0, 254};

static void ip_flags_in_tcpdump_order(void **state)
{
	(void)state;
	uint8_t p[28] = {0};
	ip4(p, 20, 28, 0x6000, 17, 64, A1, A2); /* DF and MF */
	p[20] = 0x9c, p[21] = 0x40, p[22] = 0x13, p[23] = 0x88, p[25] = 8;
	struct decode_opts o = {.verbose = 2};
	const char *s = print(&o, DECODE_DLT_RAW, p, sizeof(p));
	assert_string_equal(s,
			    "IP (tos 0x0, ttl 64, id 1, offset 0, flags [+, DF], proto UDP (17), "
			    "length 28)\n    10.0.0.1.40000 > 10.0.0.2.5000: UDP, length 0\n");
}

static void ip_source_route_and_checksum(void **state)
{
	(void)state;
	uint8_t p[36] = {0};
	const uint8_t opt[8] = {131, 7, 4, 10, 0, 0, 254, 0}; /* LSRR 10.0.0.254, EOL */
	memcpy(p + 20, opt, 8);
	ip4(p, 28, 36, 0, 17, 64, A1, A2);
	uint8_t *u = p + 28;
	u[0] = 0x9c, u[1] = 0x40, u[2] = 0x13, u[3] = 0x88, u[5] = 8;
	/* the pseudo-header holds the route's last hop, not the IP destination */
	put_sum(u + 6, sum16(u, 8, sum16(A1, 4, 0) + sum16(GW, 4, 0) + 17 + 8));
	struct decode_opts o = {.verbose = 2};
	assert_string_equal(print(&o, DECODE_DLT_RAW, p, sizeof(p)),
			    "IP (tos 0x0, ttl 64, id 1, offset 0, flags [none], proto UDP (17), "
			    "length 36, options (LSRR 10.0.0.254,EOL))\n    10.0.0.1.40000 > "
			    "10.0.0.2.5000: [udp sum ok] UDP, length 0\n");
}

static void icmp_unreachable_quotes_the_datagram(void **state)
{
	(void)state;
	uint8_t p[56] = {0};
	uint8_t *icmp = p + 20, *in = p + 28, *u = p + 48;
	ip4(p, 20, 56, 0, 1, 64, A2, A1);
	icmp[0] = 3, icmp[1] = 3;
	ip4(in, 20, 40, 0, 17, 64, A1, A2);
	u[0] = 0x9e, u[1] = 0x34, u[2] = 0x82, u[3] = 0x9a, u[5] = 20;
	put_sum(icmp + 2, sum16(icmp, 36, 0));
	struct decode_opts o = {.verbose = 1};
	assert_string_equal(
		print(&o, DECODE_DLT_RAW, p, sizeof(p)),
		"IP (tos 0x0, ttl 64, id 1, offset 0, flags [none], proto ICMP (1), "
		"length 56)\n    10.0.0.2 > 10.0.0.1: ICMP 10.0.0.2 udp port 33434 "
		"unreachable, length 36\n\tIP (tos 0x0, ttl 64, id 1, offset 0, flags "
		"[none], proto UDP (17), length 40)\n    10.0.0.1.40500 > 10.0.0.2.33434: "
		"UDP, length 12\n");
	icmp[2] ^= 0xff; /* a wrong checksum is reported */
	assert_non_null(
		strstr(print(&o, DECODE_DLT_RAW, p, sizeof(p)), "length 36 (wrong icmp cksum "));
	/* the quoted ports cut off: tcpdump's GET_ macros give up on the line */
	o.verbose = 0;
	assert_string_equal(print_cut(&o, DECODE_DLT_RAW, p, 44, 56),
			    "IP 10.0.0.2 > 10.0.0.1:  [|icmp]\n");
}

static void icmp_timestamp_and_redirect(void **state)
{
	(void)state;
	uint8_t p[48] = {0};
	ip4(p, 20, 40, 0, 1, 64, A1, A2);
	p[20] = 13, p[25] = 5, p[27] = 1;
	struct decode_opts o = {0};
	assert_string_equal(
		print(&o, DECODE_DLT_RAW, p, 40),
		"IP 10.0.0.1 > 10.0.0.2: ICMP time stamp query id 5 seq 1, length 20\n");
	ip4(p, 20, 48, 0, 1, 64, GW, A1);
	memset(p + 20, 0, 28);
	p[20] = 5, p[21] = 1;
	memcpy(p + 24, (const uint8_t[]){10, 0, 0, 253}, 4);
	ip4(p + 28, 20, 28, 0, 1, 64, A1, (const uint8_t[]){192, 0, 2, 80});
	assert_string_equal(
		print(&o, DECODE_DLT_RAW, p, 48),
		"IP 10.0.0.254 > 10.0.0.1: ICMP redirect 192.0.2.80 to host 10.0.0.253, "
		"length 28\n");
}

static const uint8_t S6[16] = {0xfe, 0x80, [15] = 1}, D6[16] = {0xff, 2, [15] = 1};

/* IPv6 header and PAYLOAD (its checksum filled in at CK for NH). */
static size_t ip6(uint8_t *p, const uint8_t *pl, size_t n, unsigned nh, size_t ck)
{
	memset(p, 0, 40);
	p[0] = 0x60, p[4] = (uint8_t)(n >> 8), p[5] = (uint8_t)n, p[6] = (uint8_t)nh, p[7] = 255;
	memcpy(p + 8, S6, 16);
	memcpy(p + 24, D6, 16);
	memcpy(p + 40, pl, n);
	put_sum(p + 40 + ck, sum16(p + 40, n, sum16(S6, 16, 0) + sum16(D6, 16, 0) + nh + n));
	return 40 + n;
}

static void icmp6_router_advertisement(void **state)
{
	(void)state;
	const uint8_t ra[32] = {134, 0, 0, 0, 64, 0x80, 0x07, 0x08, 0, 0,   0,
				0,   0, 0, 0, 0,  1,	1,    2,    0, 0,   0,
				0,   1, 5, 1, 0,  0,	0x00, 0x00, 5, 0xdc};
	uint8_t p[80];
	size_t n = ip6(p, ra, sizeof(ra), 58, 2);
	struct decode_opts o = {.verbose = 1};
	const char *s = print(&o, DECODE_DLT_RAW, p, (uint32_t)n);
	assert_non_null(strstr(s,
			       ": [icmp6 sum ok] ICMP6, router advertisement, length 32\n\thop "
			       "limit 64, Flags [managed], pref medium, router lifetime 1800s, "
			       "reachable time 0ms, retrans timer 0ms\n\t  source link-address "
			       "option (1), length 8 (1): 02:00:00:00:00:01\n\t  mtu option (5), "
			       "length 8 (1):  1500\n"));
	o.verbose = 0;
	s = print(&o, DECODE_DLT_RAW, p, (uint32_t)n);
	assert_string_equal(s, "IP6 fe80::1 > ff02::1: ICMP6, router advertisement, length 32\n");
}

static void icmp6_unreachable_and_mld2(void **state)
{
	(void)state;
	uint8_t m[48] = {1, 4}; /* port unreachable quoting UDP to port 33434 */
	m[8] = 0x60, m[14] = 17;
	memcpy(m + 16, D6, 16);
	memcpy(m + 32, S6, 16);
	uint8_t q[56];
	memcpy(q, m, 48);
	q[8 + 40 + 2] = 0x82, q[8 + 40 + 3] = 0x9a;
	uint8_t p[120];
	size_t n = ip6(p, q, 56, 58, 2);
	struct decode_opts o = {0};
	assert_string_equal(print(&o, DECODE_DLT_RAW, p, (uint32_t)n),
			    "IP6 fe80::1 > ff02::1: ICMP6, destination unreachable, unreachable "
			    "port, fe80::1 udp port 33434, length 56\n");
	const uint8_t r[28] = {143, 0, 0, 0, 0, 0, 0, 1, 4, 0, 0, 0, 0xff, 2, [27] = 6};
	n = ip6(p, r, sizeof(r), 58, 2);
	o.verbose = 1;
	assert_non_null(strstr(print(&o, DECODE_DLT_RAW, p, (uint32_t)n),
			       "ICMP6, multicast listener report v2, 1 group record(s) [gaddr "
			       "ff02::6 to_ex, 0 source(s)]\n"));
}

static void igmp_mtrace_and_pimv1(void **state)
{
	(void)state;
	uint8_t p[52] = {0};
	ip4(p, 20, 44, 0, 2, 1, A1, A2);
	uint8_t *g = p + 20;
	g[0] = 0x1f;
	memcpy(g + 8, (const uint8_t[]){172, 16, 40, 1, 172, 16, 20, 1, 172, 16, 40, 1}, 12);
	g[23] = 7;
	struct decode_opts o = {0};
	assert_string_equal(print(&o, DECODE_DLT_RAW, p, 44),
			    "IP 10.0.0.1 > 10.0.0.2: mtrace 7: 172.16.40.1 to 172.16.20.1 reply-to "
			    "172.16.40.1\n");
	ip4(p, 20, 52, 0, 2, 1, A1, A2);
	memset(g, 0, 32);
	g[0] = 0x14, g[1] = 4, g[4] = 0x10;
	memcpy(g + 8, (const uint8_t[]){239, 1, 2, 3, 255, 255, 255, 255, 1, 1, 1, 1}, 12);
	g[22] = 1, g[23] = 14; /* 270 s */
	assert_string_equal(print(&o, DECODE_DLT_RAW, p, 52),
			    "IP 10.0.0.1 > 10.0.0.2: igmp pimv1 RP-reachable\n");
	o.verbose = 1;
	put_sum(g + 2, sum16(g, 32, 0));
	assert_non_null(
		strstr(print(&o, DECODE_DLT_RAW, p, 52),
		       ": igmp pimv1 RP-reachable group 239.1.2.3 RP 1.1.1.1 hold 4m30s\n"));
}

/* ob_fmt() formats its usual conversions itself: as snprintf would. */
static void ob_fmt_matches_snprintf(void **state)
{
	(void)state;
	struct obuf b = {0};
	char want[256];
#define CHECK(...)                                         \
	do {                                               \
		b.len = 0;                                 \
		ob_fmt(&b, __VA_ARGS__);                   \
		snprintf(want, sizeof(want), __VA_ARGS__); \
		assert_int_equal(b.len, strlen(want));     \
		assert_memory_equal(b.s, want, b.len);     \
	} while (0)
	CHECK("plain text");
	CHECK("%u|%d|%x|%X|%c|%%|%s", 4294967295u, -2147483647 - 1, 0xdeadbeefu, 0xabcu, 'q', "s");
	CHECK("%04x %08x %02x %4u %-5s| %3s %-3s|", 0xau, 0x1234u, 0u, 7u, "ab", "x", "yz");
	CHECK("%ld %lu %lld %llu %zu", -5L, 7UL, -9LL, 18446744073709551615ULL, (size_t)42);
	CHECK("%05d %-6d| %02lld:", -42, -7, 3LL);
	CHECK("%.3s %*d %5.1f", "abcdef", 4, 2, 1.25); /* vsnprintf's */
#undef CHECK
	free(b.s);
}

/* ob_ip6() as inet_ntop(): zero runs, the first longest, IPv4 forms. */
static void ob_ip6_matches_inet_ntop(void **state)
{
	(void)state;
	static const uint16_t fixed[][8] = {
		{0},
		{0, 0, 0, 0, 0, 0, 0, 1},
		{0xfe80, 0, 0, 0, 0, 0, 0, 0},
		{0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304},
		{0, 0, 0, 0, 0, 0, 0x0102, 0x0304},
		{0x2001, 0xdb8, 0, 1, 0, 0, 0, 1},
		{0x2001, 0xdb8, 0, 0, 1, 0, 0, 1},
		{1, 0, 2, 0, 3, 0, 4, 0},
		{0, 0, 0, 0, 0, 0xfffe, 1, 2},
	};
	struct obuf b = {0};
	uint8_t a[16];
	char want[INET6_ADDRSTRLEN];
	srand(7);
	for (int k = 0; k < 2000; k++) {
		for (int i = 0; i < 8; i++) {
			uint16_t w = k < 9 ? fixed[k][i] : (rand() % 3 ? 0 : (uint16_t)rand());
			a[2 * i] = (uint8_t)(w >> 8), a[2 * i + 1] = (uint8_t)w;
		}
		b.len = 0;
		ob_ip6(&b, a);
		assert_non_null(inet_ntop(AF_INET6, a, want, sizeof(want)));
		assert_int_equal(b.len, strlen(want));
		assert_memory_equal(b.s, want, b.len);
	}
	free(b.s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ip_flags_in_tcpdump_order),
		cmocka_unit_test(ip_source_route_and_checksum),
		cmocka_unit_test(icmp_unreachable_quotes_the_datagram),
		cmocka_unit_test(icmp_timestamp_and_redirect),
		cmocka_unit_test(icmp6_router_advertisement),
		cmocka_unit_test(icmp6_unreachable_and_mld2),
		cmocka_unit_test(igmp_mtrace_and_pimv1),
		cmocka_unit_test(ob_fmt_matches_snprintf),
		cmocka_unit_test(ob_ip6_matches_inet_ntop),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
