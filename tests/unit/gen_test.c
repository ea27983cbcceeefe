/* gen_test.c - generation per primitive family on hand-made frames, with a
 * resolver of the test's own (names never touch the system databases). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "helpers.h"

static int t_host(void *op, const char *name, struct filter_addr *out, int max)
{
	(void)op;
	if (!strcmp(name, "gw") && max >= 1) {
		out[0] = (struct filter_addr){4, {10, 9, 9, 9}};
		return 1;
	}
	if (strcmp(name, "web") || max < 2)
		return 0;
	out[0] = (struct filter_addr){4, {10, 0, 0, 2}};
	out[1] = (struct filter_addr){6, {0x20, 0x01, 0x0d, 0xb8, [15] = 2}};
	return 2;
}
static int t_service(void *op, const char *name, const char *proto, uint16_t *port)
{
	(void)op;
	if (!strcmp(name, "www")) /* tcp only, as http is on Debian */
		return !strcmp(proto, "tcp") ? (*port = 80, 1) : 0;
	if (!strcmp(name, "dom"))
		return strcmp(proto, "sctp") ? (*port = 53, 1) : 0;
	return 0;
}
static int t_proto(void *op, const char *name, uint8_t *p)
{
	(void)op;
	return !strcmp(name, "tcp") ? (*p = 6, 1) : 0;
}
static int t_net(void *op, const char *name, uint32_t *net)
{
	(void)op;
	return !strcmp(name, "lab") ? (*net = 10, 1) : 0; /* 10/8, right-aligned */
}
static int t_ether(void *op, const char *name, uint8_t mac[6])
{
	(void)op;
	static const uint8_t gw[6] = {0, 1, 2, 3, 4, 5};
	return !strcmp(name, "web") || !strcmp(name, "gw") ? (memcpy(mac, gw, 6), 1) : 0;
}
static const struct filter_resolver names = {NULL, t_host, t_service, t_proto, t_net, t_ether};

static unsigned verdict_on(int dlt, const char *expr, const uint8_t *pkt, unsigned len)
{
	struct filter_options o = {.dlt = dlt, .resolver = &names};
	struct filter_ctx *c = filter_ctx_new(&o);
	struct filter_prog p;
	if (filter_compile(c, expr, strlen(expr)) < 0 || filter_emit_cbpf(c, &p) < 0)
		fail_msg("'%s': %s", expr, filter_ctx_diag(c)->message);
	filter_ctx_free(c);
	unsigned v = run_prog(&p, pkt, len);
	filter_prog_release(&p);
	return v;
}

/* Ethernet (from 00:01:02:03:04:05) + IPv4 TCP 10.0.0.2:80 -> 192.168.1.1:40000 */
static const uint8_t tcp4[] = {
	6,    7,    8, 9, 10, 11, 0, 1, 2,  3, 4,    5,	   0x08, 0x00, 0x45, 0, 0, 40,
	0,    1,    0, 0, 64, 6,  0, 0, 10, 0, 0,    2,	   192,	 168,  1,    1, 0, 80,
	0x9c, 0x40, 0, 0, 0,  0,  0, 0, 0,  0, 0x50, 0x10, 0x20, 0,    0,    0, 0, 0,
};

#define E(expr) verdict_on(FILTER_DLT_EN10MB, expr, tcp4, sizeof(tcp4))

static void names_resolve(void **state)
{
	(void)state;
	assert_true(E("host web"));
	assert_true(E("src host web and tcp"));
	assert_false(E("dst host web"));
	assert_true(E("port www")); /* tcp only: a TCP packet matches */
	assert_true(E("tcp port www"));
	assert_true(E("portrange dom-www"));
	assert_true(E("net lab"));
	assert_true(E("ip proto \\tcp"));
	assert_true(E("ether src web"));
	assert_false(E("ether dst gw"));
	/* web's MAC, but web's own address: not through a gateway */
	assert_false(E("gateway web"));
	/* gw's MAC with other hosts' addresses: it went through gw */
	assert_true(E("gateway gw"));
	assert_true(E("ip gateway gw"));
	assert_false(E("arp gateway gw"));
}

static void name_errors(void **state)
{
	(void)state;
	const char *bad[] = {"host nosuch",  "port nosuch",  "net nosuch",	"ether host nosuch",
			     "proto nosuch", "udp port www", "gateway 10.0.0.1"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct filter_options o = {.dlt = FILTER_DLT_EN10MB, .resolver = &names};
		struct filter_ctx *c = filter_ctx_new(&o);
		if (filter_compile(c, bad[i], strlen(bad[i])) == 0)
			fail_msg("'%s' compiled", bad[i]);
		assert_true(filter_ctx_diag(c)->code == FILTER_ERR_NAME ||
			    filter_ctx_diag(c)->code == FILTER_ERR_SEMANTIC);
		filter_ctx_free(c);
	}
}

/* The same TCP segment behind 802.1Q, MPLS, PPPoE and in raw/SLL framing. */
static void encapsulations(void **state)
{
	(void)state;
	uint8_t f[128];
	const uint8_t *ip = tcp4 + 14;
	size_t iplen = sizeof(tcp4) - 14;
	/* 802.1Q, VLAN 100 */
	memcpy(f, tcp4, 12);
	memcpy(f + 12, "\x81\x00\x00\x64\x08\x00", 6);
	memcpy(f + 18, ip, iplen);
	assert_true(verdict_on(FILTER_DLT_EN10MB, "vlan 100 and tcp port 80", f, 18 + iplen));
	assert_false(verdict_on(FILTER_DLT_EN10MB, "vlan 200", f, 18 + iplen));
	assert_false(verdict_on(FILTER_DLT_EN10MB, "tcp", f, 18 + iplen)); /* not shifted */
	/* MPLS label 16, bottom of stack */
	memcpy(f + 12, "\x88\x47\x00\x01\x01\x40", 6);
	assert_true(verdict_on(FILTER_DLT_EN10MB, "mpls 16 and ip and tcp", f, 18 + iplen));
	assert_false(verdict_on(FILTER_DLT_EN10MB, "mpls 17", f, 18 + iplen));
	/* PPPoE session 0x3b carrying PPP IPv4 */
	memcpy(f + 12, "\x88\x64\x11\x00\x00\x3b\x00\x2a\x00\x21", 10);
	memcpy(f + 22, ip, iplen);
	assert_true(
		verdict_on(FILTER_DLT_EN10MB, "pppoes 0x3b and ip and tcp port 80", f, 22 + iplen));
	assert_false(verdict_on(FILTER_DLT_EN10MB, "pppoes 0x3c", f, 22 + iplen));
	/* raw IP and Linux cooked v1 */
	assert_true(verdict_on(FILTER_DLT_RAW, "ip and tcp src port 80", ip, iplen));
	assert_true(verdict_on(FILTER_DLT_IPV4, "host 10.0.0.2", ip, iplen));
	memset(f, 0, 16);
	f[14] = 0x08;
	memcpy(f + 16, ip, iplen);
	assert_true(verdict_on(FILTER_DLT_LINUX_SLL, "inbound and tcp port 80", f, 16 + iplen));
}

/* IPv6 with hop-by-hop and destination options, then UDP to port 53. */
static void protochain_walks(void **state)
{
	(void)state;
	uint8_t f[200] = {0};
	memcpy(f + 12, "\x86\xdd\x60\x00\x00\x00\x00\x20\x00\x40", 10); /* nh 0 (HBH) */
	uint8_t *p = f + 14 + 40;
	p[0] = 60;	     /* HBH -> dest options, 8 bytes */
	p[8] = 17, p[9] = 0; /* dest options -> UDP, 8 bytes */
	p[16 + 2] = 0, p[16 + 3] = 53;
	size_t len = 14 + 40 + 16 + 8;
	assert_true(verdict_on(FILTER_DLT_EN10MB, "ip6 protochain 17", f, len));
	assert_true(verdict_on(FILTER_DLT_EN10MB, "protochain 60", f, len));
	assert_false(verdict_on(FILTER_DLT_EN10MB, "ip6 protochain 6", f, len));
	assert_false(verdict_on(FILTER_DLT_EN10MB, "udp", f, len)); /* udp looks one deep only */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_resolve),
		cmocka_unit_test(name_errors),
		cmocka_unit_test(encapsulations),
		cmocka_unit_test(protochain_walks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
