/* diag_test.c - error messages, their spans and the caret format. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "filter.h"

static char *fmt(const char *expr, enum filter_err *code)
{
	struct filter_options o = {.dlt = FILTER_DLT_EN10MB};
	struct filter_ctx *c = filter_ctx_new(&o);
	assert_non_null(c);
	assert_int_equal(filter_compile(c, expr, strlen(expr)), -1);
	const struct filter_diag *d = filter_ctx_diag(c);
	assert_non_null(d);
	*code = d->code;
	char *s = filter_diag_format(d, expr, strlen(expr), 1);
	filter_ctx_free(c);
	return s;
}

static void expect(const char *expr, enum filter_err code, const char *text)
{
	enum filter_err got;
	char *s = fmt(expr, &got);
	assert_non_null(s);
	if (strcmp(s, text) != 0)
		fail_msg("for '%s' got:\n%s\nexpected:\n%s", expr, s, text);
	assert_int_equal(got, code);
	free(s);
}

static void messages(void **state)
{
	(void)state;
	expect("port 70000", FILTER_ERR_RANGE,
	       "1:6: port 70000 is out of range (0-65535)\n  port 70000\n       ^^^^^\n");
	expect("udp dst port", FILTER_ERR_SYNTAX,
	       "1:13: expected a host, network, port or protocol, found the end of the "
	       "expression\n  udp dst port\n              ^\n");
	expect("net 172.16.5.4/12", FILTER_ERR_SEMANTIC,
	       "1:5: network 172.16.5.4 has host bits set; did you mean 172.16.0.0/12?\n"
	       "  net 172.16.5.4/12\n      ^^^^^^^^^^^^^\n");
	expect("ip[0] % 0 = 1", FILTER_ERR_RANGE,
	       "1:9: modulo by zero\n  ip[0] % 0 = 1\n          ^\n");
	expect("vlan 4096", FILTER_ERR_RANGE,
	       "1:1: VLAN ID 4096 is out of range (0-4095)\n  vlan 4096\n  ^^^^^^^^^\n");
	expect("tcp[0:3] = 1", FILTER_ERR_RANGE,
	       "1:7: access size 3 is not 1, 2 or 4 bytes\n  tcp[0:3] = 1\n        ^\n");
	expect("ip and\nfoo", FILTER_ERR_SYNTAX,
	       "2:1: 'foo' needs a qualifier such as host, net, port or proto before it\n"
	       "  foo\n  ^^^\n");
	/* libpcap refuses link-layer tests after pppoes: the link is PPP then */
	expect("pppoes and ether broadcast", FILTER_ERR_SEMANTIC,
	       "1:12: 'ether broadcast' cannot follow 'pppoes': after it the link layer is PPP, "
	       "which has no Ethernet addresses (test them before 'pppoes')\n"
	       "  pppoes and ether broadcast\n             ^^^^^^^^^^^^^^^\n");
	expect("pppoes 1 and ether src 0:1:2:3:4:5", FILTER_ERR_SEMANTIC,
	       "1:24: an Ethernet address cannot follow 'pppoes': after it the link layer is "
	       "PPP, which has no Ethernet addresses (test them before 'pppoes')\n"
	       "  pppoes 1 and ether src 0:1:2:3:4:5\n                         ^^^^^^^^^^^\n");
	expect("portrange 20-10", FILTER_ERR_RANGE,
	       "1:11: port range 20-10 is reversed; did you mean 10-20?\n"
	       "  portrange 20-10\n            ^^^^^\n");
}

static void hostile(void **state)
{
	(void)state;
	static char deep[20001];
	memset(deep, '(', 20000);
	enum filter_err code;
	char *s = fmt(deep, &code);
	assert_int_equal(code, FILTER_ERR_LIMIT);
	free(s);
	static char nots[40001];
	for (int i = 0; i < 10000; i++)
		memcpy(nots + 4 * i, "not ", 4);
	s = fmt(nots, &code);
	assert_int_equal(code, FILTER_ERR_LIMIT);
	free(s);
	/* '1+1+...+1': a left-deep chain, bounded like nesting */
	static char sum[200010];
	for (int i = 0; i < 100000; i++)
		memcpy(sum + 2 * i, "1+", 2);
	memcpy(sum + 199999, "=1", 3);
	s = fmt(sum, &code);
	assert_int_equal(code, FILTER_ERR_LIMIT);
	free(s);
	/* thousands of terms: refused as too long for the kernel */
	static char ports[200000];
	size_t n = (size_t)sprintf(ports, "port 1");
	for (int i = 2; i <= 10000; i++)
		n += (size_t)sprintf(ports + n, " or port %d", i);
	struct filter_options o = {.dlt = FILTER_DLT_EN10MB};
	struct filter_ctx *c = filter_ctx_new(&o);
	struct filter_prog p;
	assert_int_equal(filter_compile(c, ports, strlen(ports)), 0);
	assert_int_equal(filter_emit_cbpf(c, &p), -1);
	assert_int_equal(filter_ctx_diag(c)->code, FILTER_ERR_LIMIT);
	assert_non_null(strstr(filter_ctx_diag(c)->message, "at most 4096"));
	filter_ctx_free(c);
}

/* 100,000 repeated terms fold to one test */
static void many_terms(void **state)
{
	(void)state;
	static char ips[700000];
	strcpy(ips, "ip");
	for (int i = 1; i < 100000; i++)
		strcat(ips + 6 * (i - 1), " or ip");
	struct filter_options o = {.dlt = FILTER_DLT_EN10MB};
	struct filter_ctx *c = filter_ctx_new(&o);
	struct filter_prog p;
	assert_int_equal(filter_compile(c, ips, strlen(ips)), 0);
	assert_int_equal(filter_emit_cbpf(c, &p), 0);
	assert_int_equal(p.len, 4);
	filter_prog_release(&p);
	filter_ctx_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(messages),
		cmocka_unit_test(hostile),
		cmocka_unit_test(many_terms),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
