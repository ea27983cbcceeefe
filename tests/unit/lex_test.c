/* lex_test.c - tokens, numbers, addresses and lexer errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "front/lex.h"

static struct token one(const char *s, struct diag_sink *d)
{
	struct lexer lx;
	diag_clear(d);
	lex_init(&lx, s, strlen(s), d);
	return lex_next(&lx);
}

static void numbers(void **state)
{
	(void)state;
	struct diag_sink d;
	struct token t = one("010", &d);
	assert_int_equal(t.kind, TOK_NUM);
	assert_int_equal(t.num, 8);
	t = one("0x1F", &d);
	assert_int_equal(t.num, 31);
	t = one("4294967295", &d);
	assert_int_equal(t.num, 4294967295u);
	t = one("4294967296", &d);
	assert_int_equal(t.kind, TOK_ERROR);
	assert_int_equal(d.d.code, FILTER_ERR_RANGE);
	t = one("08", &d);
	assert_int_equal(t.kind, TOK_ERROR);
	assert_non_null(strstr(d.d.message, "octal"));
	t = one("tcp-syn", &d);
	assert_int_equal(t.kind, TOK_NUM);
	assert_int_equal(t.num, 2);
}

static void addresses(void **state)
{
	(void)state;
	struct diag_sink d;
	struct token t = one("10.1", &d);
	assert_int_equal(t.kind, TOK_HID);
	assert_int_equal(t.parts, 2);
	assert_int_equal(t.num, 0x0a010000u);
	t = one("aa:bb:cc:dd:ee:ff", &d);
	assert_int_equal(t.kind, TOK_EID);
	assert_int_equal(t.addr[0], 0xaa);
	assert_int_equal(t.addr[5], 0xff);
	t = one("001122334455", &d);
	assert_int_equal(t.kind, TOK_EID);
	t = one("fe80::1", &d);
	assert_int_equal(t.kind, TOK_HID6);
	assert_int_equal(t.addr[0], 0xfe);
	assert_int_equal(t.addr[15], 1);
	t = one("1:2:3", &d);
	assert_int_equal(t.kind, TOK_ERROR);
	t = one("300.1.1.1", &d); /* not IPv4, but maybe DECnet: the generator decides */
	assert_int_equal(t.kind, TOK_HID);
	assert_int_equal(t.bad4, 1);
	assert_int_equal(t.part[0], 300);
}

static void words(void **state)
{
	(void)state;
	struct diag_sink d;
	struct token t = one("ip6", &d);
	assert_int_equal(t.kind, TOK_KW);
	assert_int_equal(t.kw, KW_IP6);
	t = one("TCP", &d);
	assert_int_equal(t.kind, TOK_ID);
	t = one("\\tcp", &d);
	assert_int_equal(t.kind, TOK_ID);
	assert_int_equal(t.textlen, 3);
	t = one("6000-6010", &d);
	assert_int_equal(t.kind, TOK_ID);
	t = one("<<", &d);
	assert_int_equal(t.kind, TOK_LSH);
	t = one("@", &d);
	assert_int_equal(t.kind, TOK_ERROR);
	assert_int_equal(d.d.begin, 0);
	t = one("   ", &d);
	assert_int_equal(t.kind, TOK_EOF);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(numbers),
		cmocka_unit_test(addresses),
		cmocka_unit_test(words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
