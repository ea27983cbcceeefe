/* decode_test.c - the cursor's bounds checks and a few printers on packets
 * built here (src/decode). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "decode/cursor.h"
#include "decode/decode.h"
#include "decode_print.h"

static void cursor_reads_in_bounds(void **state)
{
	(void)state;
	const uint8_t b[] = {1, 2, 3, 4, 5};
	struct cursor c = cur_make(b, sizeof(b));
	assert_int_equal(cur_u8(&c, 0), 1);
	assert_int_equal(cur_u16(&c, 1), 0x0203);
	assert_int_equal(cur_u32(&c, 1), 0x02030405);
	assert_int_equal(cur_le16(&c, 0), 0x0201);
	assert_false(c.trunc);
	assert_true(cur_skip(&c, 2));
	assert_int_equal(cur_u8(&c, 0), 3);
	assert_int_equal(cur_left(&c), 3);
}

static void cursor_truncation_is_sticky(void **state)
{
	(void)state;
	const uint8_t b[] = {1, 2, 3};
	struct cursor c = cur_make(b, sizeof(b));
	assert_int_equal(cur_u32(&c, 0), 0); /* 4 bytes of 3 */
	assert_true(c.trunc);
	assert_int_equal(cur_u8(&c, 0), 1); /* still reads what is there */
	assert_true(c.trunc);
	struct cursor d = cur_make(b, sizeof(b));
	assert_int_equal(cur_u8(&d, 0xffffffffu), 0); /* no wrap-around */
	assert_int_equal(cur_u16(&d, 2), 0);
	assert_true(d.trunc);
	assert_false(cur_avail(&d, 3, 1));
	assert_true(cur_avail(&d, 3, 0));
	assert_false(cur_skip(&d, 4));
	assert_int_equal(cur_left(&d), 0);
}

static void cursor_sub_narrows(void **state)
{
	(void)state;
	const uint8_t b[] = {1, 2, 3, 4, 5, 6};
	struct cursor c = cur_make(b, sizeof(b));
	cur_skip(&c, 2);
	struct cursor s = cur_sub(&c, 2);
	assert_int_equal(cur_u16(&s, 0), 0x0304);
	assert_int_equal(cur_u8(&s, 2), 0);
	assert_true(s.trunc);
	assert_false(c.trunc);
	struct cursor t = cur_sub(&c, 100); /* longer than the window: clipped */
	assert_int_equal(cur_left(&t), 4);
}

static const uint8_t syn[] = {
	/* IPv4, 40 bytes, TCP */
	0x45, 0x00, 0x00, 0x28, 0x00, 0x01, 0x40, 0x00, 0x40, 0x06, 0x26, 0xcd, 10, 0, 0, 1, 10, 0,
	0, 2,
	/* TCP 40000 > 80, seq 1000, SYN, win 65535 */
	0x9c, 0x40, 0x00, 0x50, 0x00, 0x00, 0x03, 0xe8, 0x00, 0x00, 0x00, 0x00, 0x50, 0x02, 0xff,
	0xff, 0x00, 0x00, 0x00, 0x00};

static void tcp_syn_line(void **state)
{
	(void)state;
	struct decode_opts o = {0};
	assert_string_equal(print_cut(&o, DECODE_DLT_RAW, syn, sizeof(syn), sizeof(syn)),
			    "IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 1000, win 65535, "
			    "length 0\n");
}

static void tcp_truncated(void **state)
{
	(void)state;
	struct decode_opts o = {0};
	/* the IP header and the ports: tcpdump's " [|tcp]" after them */
	assert_string_equal(print_cut(&o, DECODE_DLT_RAW, syn, 26, sizeof(syn)),
			    "IP 10.0.0.1.40000 > 10.0.0.2.80:  [|tcp]\n");
	assert_string_equal(print_cut(&o, DECODE_DLT_RAW, syn, 22, sizeof(syn)),
			    "IP 10.0.0.1 > 10.0.0.2: [|tcp]\n");
	assert_string_equal(print_cut(&o, DECODE_DLT_RAW, syn, 10, sizeof(syn)), "IP  [|ip]\n");
}

static void arp_request(void **state)
{
	(void)state;
	const uint8_t p[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0,	 1, 0x08, 0x06,
			     0,	   1,	 8,    0,    6,	   4,	 0, 1, 2, 0, 0,	 0, 0,	  1,
			     10,   0,	 0,    1,    0,	   0,	 0, 0, 0, 0, 10, 0, 0,	  2};
	struct decode_opts o = {0};
	assert_string_equal(print_cut(&o, DECODE_DLT_EN10MB, p, sizeof(p), sizeof(p)),
			    "ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 28\n");
	o.link = 1;
	assert_string_equal(print_cut(&o, DECODE_DLT_EN10MB, p, sizeof(p), sizeof(p)),
			    "02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), "
			    "length 42: Request who-has 10.0.0.2 tell 10.0.0.1, length 28\n");
}

static void hex_dump(void **state)
{
	(void)state;
	struct decode_opts o = {.hexascii = 1};
	const char *s = print_cut(&o, DECODE_DLT_RAW, syn, sizeof(syn), sizeof(syn));
	assert_non_null(strstr(s, "length 0\n\t0x0000:  4500 0028 0001 4000 4006 26cd 0a00 0001  "
				  "E..(..@.@.&.....\n\t0x0010:  0a00 0002 9c40 0050"));
}

static void json_object(void **state)
{
	(void)state;
	struct decode_opts o = {.json = 1};
	const char *s = print_cut(&o, DECODE_DLT_RAW, syn, sizeof(syn), sizeof(syn));
	assert_non_null(strstr(s, "\"src\":\"10.0.0.1\",\"dst\":\"10.0.0.2\""));
	assert_non_null(strstr(s, "\"sport\":40000,\"dport\":80"));
	assert_non_null(strstr(s, "\"proto\":\"tcp\""));
	assert_int_equal(s[0], '{');
	assert_string_equal(s + strlen(s) - 2, "}\n");
}

/* An IPv4 packet of PROTO from 10.0.0.1 to 10.0.0.2 around L4 (N bytes);
 * the length of the whole in *LEN. */
static const uint8_t *ip4(unsigned proto, const uint8_t *l4, uint32_t n, uint32_t *len)
{
	static uint8_t b[1500];
	const uint8_t h[] = {0x45,
			     0,
			     (uint8_t)((20 + n) >> 8),
			     (uint8_t)(20 + n),
			     0,
			     1,
			     0,
			     0,
			     64,
			     (uint8_t)proto,
			     0,
			     0,
			     10,
			     0,
			     0,
			     1,
			     10,
			     0,
			     0,
			     2};
	memcpy(b, h, 20);
	memcpy(b + 20, l4, n);
	*len = 20 + n;
	return b;
}

/* UDP from SP to DP around PAYLOAD (N bytes), checksum 0. */
static const uint8_t *udp(unsigned sp, unsigned dp, const uint8_t *payload, uint32_t n,
			  uint32_t *len)
{
	static uint8_t u[1400];
	const uint8_t h[] = {(uint8_t)(sp >> 8),
			     (uint8_t)sp,
			     (uint8_t)(dp >> 8),
			     (uint8_t)dp,
			     (uint8_t)((8 + n) >> 8),
			     (uint8_t)(8 + n),
			     0,
			     0};
	memcpy(u, h, 8);
	memcpy(u + 8, payload, n);
	return ip4(17, u, 8 + n, len);
}

static void dns_names(void **state)
{
	(void)state;
	/* response: 1 question a.example A, 1 answer (pointer to 12) A 192.0.2.1 */
	const uint8_t m[] = {0x12, 0x34, 0x81, 0x80, 0,	  1,	0,    1, 0, 0,	 0, 0, 1,    'a', 7,
			     'e',  'x',	 'a',  'm',  'p', 'l',	'e',  0, 0, 1,	 0, 1, 0xc0, 12,  0,
			     1,	   0,	 1,    0,    0,	  0x0e, 0x10, 0, 4, 192, 0, 2, 1};
	struct decode_opts o = {0};
	uint32_t n;
	const uint8_t *p = udp(53, 40000, m, sizeof(m), &n);
	assert_string_equal(print_cut(&o, DECODE_DLT_RAW, p, n, n),
			    "IP 10.0.0.1.53 > 10.0.0.2.40000: 4660 1/0/0 A 192.0.2.1 (43)\n");
	o.verbose = 1; /* -v: the owner name, through the pointer */
	assert_non_null(strstr(print_cut(&o, DECODE_DLT_RAW, p, n, n),
			       ": 4660 1/0/0 a.example. A 192.0.2.1 (43)\n"));
	/* a pointer forwards (to itself) is refused, not followed */
	uint8_t f[sizeof(m)];
	memcpy(f, m, sizeof(m));
	f[28] = 27;
	p = udp(53, 40000, f, sizeof(f), &n);
	assert_non_null(strstr(print_cut(&o, DECODE_DLT_RAW, p, n, n),
			       ": 4660 1/0/0 <BAD PTR> [|domain]\n"));
	/* cut inside the answer's data */
	o.verbose = 0;
	p = udp(53, 40000, m, sizeof(m), &n);
	assert_string_equal(print_cut(&o, DECODE_DLT_RAW, p, n - 2, n),
			    "IP 10.0.0.1.53 > 10.0.0.2.40000: 4660 1/0/0 A [|domain]\n");
}

static void dns_over_tcp_prefix(void **state)
{
	(void)state;
	const uint8_t t[] = {0x9c, 0x40, 0, 53, 0, 0, 0, 1, 0, 0, 0, 1, 0x50, 0x18, 0xff, 0xff, 0,
			     0, 0, 0,
			     /* prefix 99, then a 12-byte header */
			     0, 99, 0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0};
	struct decode_opts o = {0};
	uint32_t n;
	const uint8_t *p = ip4(6, t, sizeof(t), &n);
	assert_non_null(strstr(print_cut(&o, DECODE_DLT_RAW, p, n, n),
			       "length 14 [prefix length(99) != length(12)] (invalid)\n"));
}

static void mptcp_dss(void **state)
{
	(void)state;
	const uint8_t t[] = {0x9c, 0x40, 0, 80, 0, 0, 0, 1, 0, 0, 0, 1, 0xa0, 0x10, 0xff, 0xff, 0,
			     0, 0, 0,
			     /* MPTCP DSS: ack 5 (4 bytes), seq 6 subseq 7 len 100 */
			     30, 18, 0x20, 0x05, 0, 0, 0, 5, 0, 0, 0, 6, 0, 0, 0, 7, 0, 100, 0, 0};
	struct decode_opts o = {0};
	uint32_t n;
	const uint8_t *p = ip4(6, t, sizeof(t), &n);
	assert_non_null(
		strstr(print_cut(&o, DECODE_DLT_RAW, p, n, n),
		       "options [mptcp 18 dss ack 5 seq 6 subseq 7 len 100,eol], length 0\n"));
}

static void stp_config_bpdu(void **state)
{
	(void)state;
	uint8_t f[60] = {1, 0x80, 0xc2, 0, 0, 0, 2, 0, 0, 0, 0, 0x11, 0, 38, 0x42, 0x42, 3};
	const uint8_t b[] = {0, 0, 0, 0, 0, 0x80, 0,	2,    0, 0, 0, 0,  0x10, 0, 0, 0,  4, 0x80,
			     0, 2, 0, 0, 0, 0,	  0x11, 0x80, 1, 1, 0, 20, 0,	 2, 0, 15, 0};
	memcpy(f + 17, b, sizeof(b));
	struct decode_opts o = {0};
	assert_string_equal(
		print_cut(&o, DECODE_DLT_EN10MB, f, sizeof(f), sizeof(f)),
		"STP 802.1d, Config, Flags [none], bridge-id 8000.02:00:00:00:00:11.8001, "
		"length 35\n");
	o.link = 1;
	assert_non_null(
		strstr(print_cut(&o, DECODE_DLT_EN10MB, f, sizeof(f), sizeof(f)),
		       ", 802.3, length 38: LLC, dsap STP (0x42) Individual, ssap STP (0x42) "
		       "Command, ctrl 0x03: STP 802.1d"));
}

/* -q (tcpdump 4.99.3's ndo_qflag): the link layer's short forms, no dump of
 * an unknown payload, IGMP and the transports by name and length only. */
static void quiet_link_layers(void **state)
{
	(void)state;
	uint8_t f[60] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2,	  0,
			 0,    0,    0,	   1,	 0x88, 0xb5, 'h', 'i'};
	struct decode_opts o = {0};
	const char *s = print_cut(&o, DECODE_DLT_EN10MB, f, sizeof(f), sizeof(f));
	assert_non_null(strstr(s, "02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff, ethertype Unknown "
				  "(0x88b5), length 60: \n\t0x0000:  6869"));
	o.quiet = 1;
	assert_string_equal(print_cut(&o, DECODE_DLT_EN10MB, f, sizeof(f), sizeof(f)),
			    "02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff, Unknown Ethertype (0x88b5), "
			    "length 60: \n");
	f[12] = 0x81; /* 0x81b5: still unknown; 0x8137 is IPX by name */
	f[13] = 0x37;
	o.link = 1;
	assert_string_equal(print_cut(&o, DECODE_DLT_EN10MB, f, sizeof(f), sizeof(f)),
			    "02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff, IPX, length 60: \n");
	/* -A keeps tcpdump's dump of what no printer decodes, the ASCII after it */
	struct decode_opts a = {.ascii = 1};
	s = print_cut(&a, DECODE_DLT_EN10MB, f, sizeof(f), sizeof(f));
	assert_non_null(strstr(s, "length 60: \n\t0x0000:  6869 0000"));
	assert_non_null(strstr(s, "\nhi.."));
	/* NULL: the address family by name, "Unknown AF n" */
	const uint8_t n[] = {10, 0, 0, 0, 0x60, 0, 0, 0};
	assert_string_equal(print_cut(&o, DECODE_DLT_NULL, n, sizeof(n), sizeof(n)),
			    "Unknown AF 10, length 8: \n");
	o.quiet = 0;
	assert_string_equal(print_cut(&o, DECODE_DLT_NULL, n, sizeof(n), sizeof(n)),
			    "AF Unknown (10), length 8: \n\t0x0000:  6000 0000                     "
			    "           `...\n");
}

static void quiet_sll_and_transports(void **state)
{
	(void)state;
	uint8_t s[16 + sizeof(syn)] = {0, 4, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0x08, 0x00};
	memcpy(s + 16, syn, sizeof(syn));
	struct decode_opts o = {.quiet = 1, .link = 1};
	assert_string_equal(print_cut(&o, DECODE_DLT_LINUX_SLL, s, sizeof(s), sizeof(s)),
			    "Out 02:00:00:00:00:01 10.0.0.1.40000 > 10.0.0.2.80: tcp 0\n");
	o.quiet = 0;
	assert_non_null(
		strstr(print_cut(&o, DECODE_DLT_LINUX_SLL, s, sizeof(s), sizeof(s)),
		       "Out 02:00:00:00:00:01 ethertype IPv4 (0x0800), length 56: 10.0.0.1"));
	o.quiet = 1;
	o.link = 0;
	const uint8_t g[] = {0x16, 0, 0, 0, 224, 0, 0, 251};
	uint32_t n;
	const uint8_t *p = ip4(2, g, sizeof(g), &n);
	assert_string_equal(print_cut(&o, DECODE_DLT_RAW, p, n, n),
			    "IP 10.0.0.1 > 10.0.0.2: igmp\n");
	const uint8_t q[12] = {0x12, 0x34, 1, 0, 0, 1};
	p = udp(40000, 53, q, sizeof(q), &n);
	assert_string_equal(print_cut(&o, DECODE_DLT_RAW, p, n, n),
			    "IP 10.0.0.1.40000 > 10.0.0.2.53: UDP, length 12\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cursor_reads_in_bounds),
		cmocka_unit_test(cursor_truncation_is_sticky),
		cmocka_unit_test(cursor_sub_narrows),
		cmocka_unit_test(tcp_syn_line),
		cmocka_unit_test(tcp_truncated),
		cmocka_unit_test(arp_request),
		cmocka_unit_test(hex_dump),
		cmocka_unit_test(json_object),
		cmocka_unit_test(dns_names),
		cmocka_unit_test(dns_over_tcp_prefix),
		cmocka_unit_test(mptcp_dss),
		cmocka_unit_test(stp_config_bpdu),
		cmocka_unit_test(quiet_link_layers),
		cmocka_unit_test(quiet_sll_and_transports),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
