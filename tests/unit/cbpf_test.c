/* cbpf_test.c - programs per primitive, run on hand-made packets, and the
 * backend's guarantees (forward jumps, trampolines, limits). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "helpers.h"

/* Ethernet + IPv4 + TCP 10.0.0.1:1234 -> 10.0.0.2:80, SYN. */
static const uint8_t tcp4[] = {
	0, 1,  2, 3, 4,	 5, 6, 7, 8,  9, 10,   11,   0x08, 0x00, 0x45, 0, 0,	40,
	0, 1,  0, 0, 64, 6, 0, 0, 10, 0, 0,    1,    10,   0,	 0,    2, 0x04, 0xd2,
	0, 80, 0, 0, 0,	 0, 0, 0, 0,  0, 0x50, 0x02, 0x20, 0,	 0,    0, 0,	0,
};

static unsigned verdict(const char *expr, const uint8_t *pkt, unsigned len)
{
	struct filter_prog p;
	struct filter_diag d;
	assert_int_equal(compile_expr(FILTER_DLT_EN10MB, expr, 0, &p, &d), 0);
	unsigned v = run_prog(&p, pkt, len);
	struct filter_prog u;
	assert_int_equal(compile_expr(FILTER_DLT_EN10MB, expr, 1, &u, &d), 0);
	assert_int_equal(run_prog(&u, pkt, len), v); /* optimizer keeps verdicts */
	assert_int_equal(bpf_validate((const struct bpf_insn *)(void *)p.insns, (int)p.len), 1);
	filter_prog_release(&p);
	filter_prog_release(&u);
	return v;
}

static void primitives(void **state)
{
	(void)state;
	const unsigned n = sizeof(tcp4);
	assert_true(verdict("tcp", tcp4, n));
	assert_false(verdict("udp", tcp4, n));
	assert_true(verdict("tcp dst port 80", tcp4, n));
	assert_false(verdict("tcp src port 80", tcp4, n));
	assert_true(verdict("port 1234 and host 10.0.0.2", tcp4, n));
	assert_true(verdict("portrange 79-81", tcp4, n));
	assert_true(verdict("net 10.0.0.0/8", tcp4, n));
	assert_false(verdict("src net 10.0.0.2/32", tcp4, n));
	assert_true(verdict("tcp[tcpflags] & tcp-syn != 0", tcp4, n));
	assert_true(verdict("ip[9] = 6 and len = 54", tcp4, n));
	assert_true(verdict("ether src 06:07:08:09:0a:0b", tcp4, n));
	assert_false(verdict("ether broadcast", tcp4, n));
	assert_true(verdict("not ip6 and (arp or ip)", tcp4, n));
	assert_true(verdict("less 54 and greater 54", tcp4, n));
	assert_false(verdict("tcp[100] = 1", tcp4, n));	    /* out of bounds rejects */
	assert_false(verdict("not tcp[100] = 1", tcp4, n)); /* ... even under not */
	assert_true(verdict("ip[0] & 0xf = 5", tcp4, n));
	assert_true(verdict("ip[2:2] - 20 = 20", tcp4, n));
	assert_true(verdict("1 % 3 + 1 = 1", tcp4, n)); /* '%' takes the rest: 1 % 4 */
}

/* A long OR list needs jumps beyond 255 instructions: trampolines. */
static void long_jumps(void **state)
{
	(void)state;
	char expr[20000] = "host 10.0.0.1";
	for (int i = 3; i < 120; i++)
		snprintf(expr + strlen(expr), sizeof(expr) - strlen(expr), " or host 10.0.%d.%d",
			 i / 250, i % 250);
	struct filter_prog p;
	assert_int_equal(compile_expr(FILTER_DLT_EN10MB, expr, 0, &p, NULL), 0);
	assert_int_equal(bpf_validate((const struct bpf_insn *)(void *)p.insns, (int)p.len), 1);
	int tramps = 0;
	for (size_t i = 0; i < p.len; i++)
		tramps += p.insns[i].code == 0x05; /* ja */
	assert_true(tramps > 0);
	assert_true(run_prog(&p, tcp4, sizeof(tcp4)) != 0);
	filter_prog_release(&p);
}

static void too_long(void **state)
{
	(void)state;
	static char expr[200000];
	strcpy(expr, "port 1");
	for (int i = 2; i < 400; i++)
		snprintf(expr + strlen(expr), sizeof(expr) - strlen(expr), " or port %d", i);
	struct filter_prog p;
	struct filter_diag d;
	assert_int_equal(compile_expr(FILTER_DLT_EN10MB, expr, 1, &p, &d), -1);
	assert_int_equal(d.code, FILTER_ERR_LIMIT);
	assert_non_null(strstr(d.message, "4096"));
}

/* Scratch slots that later primitives read are zeroed first: the kernel
 * refuses a load from a slot no path has stored to. */
static void slots_initialised(void **state)
{
	(void)state;
	const char *exprs[] = {"!vxlan and !vxlan", "not geneve and tcp",
			       "(geneve or udp) and ether host 1:2:3:4:5:6",
			       "ip6 protochain 6 or vxlan", "geneve and geneve and ip",
			       /* slots are shared: any number of these fits */
			       "ip protochain 6 or ip protochain 17 or ip protochain 51 or "
			       "ip protochain 58 or ip protochain 1",
			       "not vxlan or geneve or vxlan and geneve and vxlan and geneve "
			       "and vxlan and ether host 1:2:3:4:5:6 and udp"};
	for (size_t i = 0; i < sizeof(exprs) / sizeof(exprs[0]); i++)
		for (int no_opt = 0; no_opt < 2; no_opt++) {
			struct filter_prog p;
			struct filter_diag d;
			if (compile_expr(FILTER_DLT_EN10MB, exprs[i], no_opt, &p, &d) < 0)
				fail_msg("'%s': %s", exprs[i], d.message);
			int err = kernel_accepts(&p);
			if (err)
				fail_msg("'%s' (no_opt %d): kernel refuses: %s", exprs[i], no_opt,
					 strerror(err));
			filter_prog_release(&p);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(primitives),
		cmocka_unit_test(long_jumps),
		cmocka_unit_test(too_long),
		cmocka_unit_test(slots_initialised),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
