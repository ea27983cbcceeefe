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

/* Print PKT (LEN bytes) with OPTS; the text, without the timestamp. */
static const char *print(const struct decode_opts *o, int dlt, const uint8_t *pkt, uint32_t len,
			 uint32_t wire)
{
	static char buf[4096];
	struct decode_opts x = *o;
	x.tstamp = DECODE_TS_NONE;
	struct decode_ctx *c = decode_ctx_new(&x, dlt);
	assert_non_null(c);
	struct decode_hdr h = {0, 0, len, wire};
	decode_packet_buf(c, &h, pkt, NULL, buf, sizeof(buf));
	decode_ctx_free(c);
	return buf;
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
	assert_string_equal(print(&o, DECODE_DLT_RAW, syn, sizeof(syn), sizeof(syn)),
			    "IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 1000, win 65535, "
			    "length 0\n");
}

static void tcp_truncated(void **state)
{
	(void)state;
	struct decode_opts o = {0};
	/* the IP header and the ports: tcpdump's " [|tcp]" after them */
	assert_string_equal(print(&o, DECODE_DLT_RAW, syn, 26, sizeof(syn)),
			    "IP 10.0.0.1.40000 > 10.0.0.2.80:  [|tcp]\n");
	assert_string_equal(print(&o, DECODE_DLT_RAW, syn, 22, sizeof(syn)),
			    "IP 10.0.0.1 > 10.0.0.2: [|tcp]\n");
	assert_string_equal(print(&o, DECODE_DLT_RAW, syn, 10, sizeof(syn)), "IP  [|ip]\n");
}

static void arp_request(void **state)
{
	(void)state;
	const uint8_t p[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0,	 1, 0x08, 0x06,
			     0,	   1,	 8,    0,    6,	   4,	 0, 1, 2, 0, 0,	 0, 0,	  1,
			     10,   0,	 0,    1,    0,	   0,	 0, 0, 0, 0, 10, 0, 0,	  2};
	struct decode_opts o = {0};
	assert_string_equal(print(&o, DECODE_DLT_EN10MB, p, sizeof(p), sizeof(p)),
			    "ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 28\n");
	o.link = 1;
	assert_string_equal(print(&o, DECODE_DLT_EN10MB, p, sizeof(p), sizeof(p)),
			    "02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), "
			    "length 42: Request who-has 10.0.0.2 tell 10.0.0.1, length 28\n");
}

static void hex_dump(void **state)
{
	(void)state;
	struct decode_opts o = {.hexascii = 1};
	const char *s = print(&o, DECODE_DLT_RAW, syn, sizeof(syn), sizeof(syn));
	assert_non_null(strstr(s, "length 0\n\t0x0000:  4500 0028 0001 4000 4006 26cd 0a00 0001  "
				  "E..(..@.@.&.....\n\t0x0010:  0a00 0002 9c40 0050"));
}

static void json_object(void **state)
{
	(void)state;
	struct decode_opts o = {.json = 1};
	const char *s = print(&o, DECODE_DLT_RAW, syn, sizeof(syn), sizeof(syn));
	assert_non_null(strstr(s, "\"src\":\"10.0.0.1\",\"dst\":\"10.0.0.2\""));
	assert_non_null(strstr(s, "\"sport\":40000,\"dport\":80"));
	assert_non_null(strstr(s, "\"proto\":\"tcp\""));
	assert_int_equal(s[0], '{');
	assert_string_equal(s + strlen(s) - 2, "}\n");
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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
