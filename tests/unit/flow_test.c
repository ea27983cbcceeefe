/* flow_test.c - the user-space side of flow counting with no kernel
 * (src/flow: rates.c, table.c, format.c, view_batch.c): deltas and rates,
 * sort orders, idle expiry, the totals and evictions, the display filter,
 * and the text and JSON records. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "flow/flow.h"

static struct flow_rec rec4(uint8_t proto, uint8_t s, uint8_t d, uint16_t sp, uint16_t dp,
			    uint64_t packets, uint64_t bytes)
{
	struct flow_rec r;
	memset(&r, 0, sizeof(r));
	r.key.ifindex = 2;
	r.key.hook = FLOW_HOOK_XDP;
	r.key.ethertype = 0x0800;
	r.key.l4proto = proto;
	memcpy(r.key.src, (uint8_t[]){192, 0, 2, s}, 4);
	memcpy(r.key.dst, (uint8_t[]){192, 0, 2, d}, 4);
	r.key.sport = sp;
	r.key.dport = dp;
	r.packets = packets;
	r.bytes = bytes;
	r.first_ns = 1000000000;
	r.last_ns = 2000000000;
	return r;
}

static void test_rates(void **state)
{
	(void)state;
	struct flow_rec prev[2] = {rec4(17, 1, 2, 1, 53, 10, 1000), rec4(6, 1, 2, 2, 80, 5, 500)};
	struct flow_rec cur[3] = {rec4(17, 1, 2, 1, 53, 30, 3000), rec4(6, 1, 2, 2, 80, 5, 500),
				  rec4(1, 3, 4, 8, 0, 4, 392)};
	assert_int_equal(flow_sort_by_key(prev, 2), 2);
	assert_int_equal(flow_sort_by_key(cur, 3), 3);
	flow_rates(prev, 2, cur, 3, 2.0);
	for (int i = 0; i < 3; i++) {
		if (cur[i].key.l4proto == 17) {
			assert_int_equal(cur[i].dpackets, 20);
			assert_int_equal(cur[i].dbytes, 2000);
			assert_true(cur[i].pps == 10.0 && cur[i].bps == 8000.0);
		} else if (cur[i].key.l4proto == 6) {
			assert_int_equal(cur[i].dpackets, 0);
			assert_true(cur[i].pps == 0.0);
		} else {
			/* new since the previous read: counted whole */
			assert_int_equal(cur[i].dpackets, 4);
			assert_true(cur[i].bps == 392 * 8 / 2.0);
		}
	}
	/* one flow met twice by a walk of the map is kept once */
	struct flow_rec twice[3] = {rec4(17, 1, 2, 1, 53, 1, 1), rec4(6, 1, 2, 2, 80, 1, 1),
				    rec4(17, 1, 2, 1, 53, 1, 1)};
	assert_int_equal(flow_sort_by_key(twice, 3), 2);
	assert_true(memcmp(&twice[0].key, &twice[1].key, sizeof(twice[0].key)) != 0);
	/* a flow evicted and created again has fewer packets than before */
	struct flow_rec again = rec4(17, 1, 2, 1, 53, 3, 300);
	flow_rates(prev, 2, &again, 1, 1.0);
	assert_int_equal(again.dpackets, 3);
}

static void test_sort(void **state)
{
	(void)state;
	struct flow_rec r[3] = {rec4(17, 1, 2, 1, 1, 10, 100), rec4(17, 1, 2, 2, 2, 5, 900),
				rec4(17, 1, 2, 3, 3, 7, 500)};
	r[0].bps = 1;
	r[1].bps = 3;
	r[2].bps = 2;
	r[0].first_ns = 30;
	r[1].first_ns = 10;
	r[2].first_ns = 20;
	flow_sort(r, 3, FLOW_SORT_BYTES);
	assert_int_equal(r[0].key.sport * 100 + r[1].key.sport * 10 + r[2].key.sport, 231);
	flow_sort(r, 3, FLOW_SORT_PACKETS);
	assert_int_equal(r[0].key.sport * 100 + r[1].key.sport * 10 + r[2].key.sport, 132);
	flow_sort(r, 3, FLOW_SORT_RATE);
	assert_int_equal(r[0].key.sport * 100 + r[1].key.sport * 10 + r[2].key.sport, 231);
	flow_sort(r, 3, FLOW_SORT_AGE);
	assert_int_equal(r[0].key.sport * 100 + r[1].key.sport * 10 + r[2].key.sport, 231);
}

static void test_idle_and_totals(void **state)
{
	(void)state;
	struct flow_rec r = rec4(17, 1, 2, 1, 1, 1, 1);
	r.last_ns = 10000000000ull;
	assert_false(flow_is_idle(&r, 10000000000ull + 30000000000ull, 30000000000ull));
	assert_true(flow_is_idle(&r, 10000000000ull + 30000000001ull, 30000000000ull));
	assert_false(flow_is_idle(&r, 5, 1)); /* a clock before the packet */
	uint64_t s[FLOW_STAT_MAX] = {1000, 64000, 50, 3}, p[FLOW_STAT_MAX] = {600, 24000, 40, 0};
	struct flow_totals t;
	flow_totals_set(&t, s, p, 2.0, 20, 10);
	assert_int_equal(t.packets, 1000);
	assert_int_equal(t.evictions, 20);
	assert_int_equal(t.insert_failed, 3);
	assert_true(t.pps == 200.0 && t.bps == 160000.0);
	flow_totals_set(&t, s, NULL, 2.0, 60, 0); /* more live than inserted: a race, not < 0 */
	assert_int_equal(t.evictions, 0);
	assert_true(t.pps == 0.0);
}

static void test_match_and_format(void **state)
{
	(void)state;
	struct flow_rec r = rec4(6, 1, 2, 40000, 443, 1, 1);
	assert_true(flow_match(&r, NULL) && flow_match(&r, ""));
	assert_true(flow_match(&r, "192.0.2.2") && flow_match(&r, "443"));
	assert_true(flow_match(&r, "40000"));
	assert_false(flow_match(&r, "192.0.2.3") || flow_match(&r, "80") || flow_match(&r, "x"));
	char b[64];
	assert_string_equal(flow_endpoint(&r.key, 1, b, sizeof(b)), "192.0.2.1:40000");
	assert_string_equal(flow_tcp_flags(0x12, b, sizeof(b)), "S.");
	assert_string_equal(flow_tcp_flags(0x19, b, sizeof(b)), "FP.");
	assert_string_equal(flow_human(9999, b, sizeof(b)), "9999");
	assert_string_equal(flow_human(12345, b, sizeof(b)), "12.3k");
	assert_string_equal(flow_human(4560000, b, sizeof(b)), "4.56M");
	struct flow_rec i = rec4(1, 1, 2, 8, 0, 1, 1);
	i.key.vlan = 100;
	assert_string_equal(flow_proto_col(&i.key, b, sizeof(b)), "vlan 100 icmp 8/0");
	assert_false(flow_match(&i, "8")); /* ICMP has no ports */
	struct flow_rec v6 = r;
	v6.key.ethertype = 0x86dd;
	memset(v6.key.src, 0, 16);
	v6.key.src[0] = 0xfd;
	v6.key.src[15] = 1;
	assert_string_equal(flow_endpoint(&v6.key, 1, b, sizeof(b)), "[fd00::1]:40000");
	assert_true(flow_match(&v6, "fd00::1"));
	struct flow_rec arp = r;
	memset(&arp.key, 0, sizeof(arp.key));
	arp.key.ethertype = 0x0806;
	assert_string_equal(flow_proto_col(&arp.key, b, sizeof(b)), "arp");
	assert_string_equal(flow_endpoint(&arp.key, 0, b, sizeof(b)), "");
}

static char *print(int json, const struct flow_rec *r, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct flow_batch_info bi = {.iface = "eth0",
				     .hook = "xdp",
				     .filter = "udp \"x\"",
				     .interval = 1,
				     .now_ns = 3000000000ull,
				     .mono_to_wall_ns = 1700000000000000000ull};
	struct flow_totals t = {.packets = 7, .bytes = 700, .flows = n, .evictions = 1};
	assert_int_equal(
		json ? flow_print_json(f, &bi, &t, r, n) : flow_print_text(f, &bi, &t, r, n), 0);
	fclose(f);
	return buf;
}

static void test_records(void **state)
{
	(void)state;
	struct flow_rec r[2] = {rec4(17, 1, 2, 5353, 53, 5, 260), rec4(1, 1, 2, 8, 0, 2, 196)};
	r[0].pps = 2.5;
	char *j = print(1, r, 2);
	assert_non_null(strstr(j, "{\"time\":1700000003.000000,\"interval\":1.000,\"interface\":"
				  "\"eth0\",\"hook\":\"xdp\",\"filter\":\"udp \\\"x\\\"\","
				  "\"packets\":7,\"bytes\":700,"));
	assert_non_null(strstr(j, "\"flow_count\":2,\"inserts\":0,\"evictions\":1,\"drops\":0,"
				  "\"expired\":0,\"flows\":[{\"ifindex\":2,\"hook\":\"xdp\","
				  "\"vlan\":0,\"ethertype\":2048,\"proto\":\"udp\",\"l4proto\":17,"
				  "\"src\":\"192.0.2.1\",\"dst\":\"192.0.2.2\",\"sport\":5353,"
				  "\"dport\":53,\"packets\":5,\"bytes\":260,\"pps\":2.500,"));
	assert_non_null(strstr(j, "\"icmp_type\":8,\"icmp_code\":0,\"packets\":2"));
	assert_non_null(strstr(j, "\"age\":2.000}]}\n"));
	assert_null(strchr(j, '\n') + 1 == j + strlen(j) ? NULL : "more than one line");
	free(j);
	char *t = print(0, r, 2);
	assert_non_null(strstr(t, "Z eth0 xdp filter udp \"x\": 7 packets, 700 bytes, 0 pps, "
				  "0bit/s; 2 flows, 1 evictions, 0 drops, 0 expired\n"));
	assert_non_null(
		strstr(t, "\nudp                192.0.2.1:5353               192.0.2.2:53"));
	assert_non_null(strstr(t, "\nicmp 8/0           192.0.2.1                    192.0.2.2"));
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rates),		cmocka_unit_test(test_sort),
		cmocka_unit_test(test_idle_and_totals), cmocka_unit_test(test_match_and_format),
		cmocka_unit_test(test_records),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
