/* cooked_test.c - programs for a cooked socket in the kernel
 * (filter_options.cooked_socket, src/filter/back/cbpf/cooked.c): header fields become
 * ancillary loads, payload loads move back by the header's length, 'len'
 * gets the header added, and reading the link address is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <linux/filter.h>

#include "filter.h"

static int compile_cooked(int dlt, const char *expr, int cooked, struct filter_prog *p)
{
	struct filter_options o = {.dlt = dlt, .vlan = FILTER_VLAN_LIVE, .cooked_socket = cooked};
	struct filter_ctx *c = filter_ctx_new(&o);
	assert_non_null(c);
	int rc = filter_compile(c, expr, strlen(expr));
	if (rc == 0)
		rc = filter_emit_cbpf(c, p);
	filter_ctx_free(c);
	return rc;
}

static int has(const struct filter_prog *p, uint16_t code, uint32_t k)
{
	for (size_t i = 0; i < p->len; i++)
		if (p->insns[i].code == code && p->insns[i].k == k)
			return 1;
	return 0;
}

static void test_sll2_fields(void **state)
{
	(void)state;
	struct filter_prog p;
	assert_int_equal(
		compile_cooked(FILTER_DLT_LINUX_SLL2, "ip and inbound and ifindex 3", 1, &p), 0);
	assert_true(has(&p, BPF_LD | BPF_H | BPF_ABS, (uint32_t)(SKF_AD_OFF + SKF_AD_PROTOCOL)));
	assert_true(has(&p, BPF_LD | BPF_B | BPF_ABS, (uint32_t)(SKF_AD_OFF + SKF_AD_PKTTYPE)));
	assert_true(has(&p, BPF_LD | BPF_W | BPF_ABS, (uint32_t)(SKF_AD_OFF + SKF_AD_IFINDEX)));
	filter_prog_release(&p);
}

static void test_payload_moves_back(void **state)
{
	(void)state;
	struct filter_prog plain, cooked;
	assert_int_equal(compile_cooked(FILTER_DLT_LINUX_SLL2, "tcp port 80", 0, &plain), 0);
	assert_int_equal(compile_cooked(FILTER_DLT_LINUX_SLL2, "tcp port 80", 1, &cooked), 0);
	assert_int_equal(plain.len, cooked.len);
	for (size_t i = 0; i < plain.len; i++) {
		const struct filter_insn *a = &plain.insns[i], *b = &cooked.insns[i];
		assert_int_equal(a->code, b->code);
		uint16_t mode = a->code & 0xe0, cls = a->code & 7;
		if (cls == BPF_LD && mode == BPF_ABS && a->k == 0)
			assert_int_equal(b->k, (uint32_t)(SKF_AD_OFF + SKF_AD_PROTOCOL));
		else if ((cls == BPF_LD && (mode == BPF_ABS || mode == BPF_IND)) ||
			 (cls == BPF_LDX && mode == BPF_MSH))
			assert_int_equal(b->k, (uint32_t)(a->k - 20));
		else
			assert_int_equal(b->k, a->k);
	}
	filter_prog_release(&plain);
	filter_prog_release(&cooked);
}

static void test_len_biased(void **state)
{
	(void)state;
	struct filter_prog p;
	assert_int_equal(compile_cooked(FILTER_DLT_LINUX_SLL, "greater 100", 1, &p), 0);
	assert_true(has(&p, BPF_LD | BPF_W | BPF_LEN, 0));
	assert_true(has(&p, BPF_ALU | BPF_ADD | BPF_K, 16));
	filter_prog_release(&p);
}

static void test_link_address_refused(void **state)
{
	(void)state;
	struct filter_prog p;
	assert_int_equal(compile_cooked(FILTER_DLT_LINUX_SLL2, "link[12:2] = 0x0200", 1, &p), -1);
	assert_int_equal(compile_cooked(FILTER_DLT_LINUX_SLL, "link[6] = 2", 1, &p), -1);
	/* the same expressions compile for a program that runs in user space */
	assert_int_equal(compile_cooked(FILTER_DLT_LINUX_SLL2, "link[12:2] = 0x0200", 0, &p), 0);
	filter_prog_release(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sll2_fields),
		cmocka_unit_test(test_payload_moves_back),
		cmocka_unit_test(test_len_biased),
		cmocka_unit_test(test_link_address_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
