/* ebpf_rules_test.c - tests/fuzz/ebpf_rules.c, the verifier's rules in user
 * space, on hand-written programs it must accept and programs it must refuse
 * (each for the rule named in the report). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <linux/bpf.h>
#include <linux/pkt_cls.h>

#include "../fuzz/ebpf_rules.h"

/* Instructions, as struct filter_ebpf_insn initializers. */
#define I(c, d, s, o, k)                                                            \
	{                                                                           \
		.code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (k) \
	}
#define MOV_K(d, k)	 I(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, k)
#define MOV_X(d, s)	 I(BPF_ALU64 | BPF_MOV | BPF_X, d, s, 0, 0)
#define ALU_K(op, d, k)	 I(BPF_ALU64 | (op) | BPF_K, d, 0, 0, k)
#define ALU_X(op, d, s)	 I(BPF_ALU64 | (op) | BPF_X, d, s, 0, 0)
#define LDX(sz, d, s, o) I(BPF_LDX | BPF_MEM | (sz), d, s, o, 0)
#define STX(sz, d, s, o) I(BPF_STX | BPF_MEM | (sz), d, s, o, 0)
#define ST(sz, d, o, k)	 I(BPF_ST | BPF_MEM | (sz), d, 0, o, k)
#define JX(op, d, s, o)	 I(BPF_JMP | (op) | BPF_X, d, s, o, 0)
#define JK(op, d, k, o)	 I(BPF_JMP | (op) | BPF_K, d, 0, o, k)
#define JA(o)		 I(BPF_JMP | BPF_JA, 0, 0, o, 0)
#define CALL(f)		 I(BPF_JMP | BPF_CALL, 0, 0, 0, f)
#define EXIT		 I(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

/* r2 = data, r3 = data_end at XDP (struct xdp_md) */
#define XDP_WINDOW LDX(BPF_W, 2, 1, 0), LDX(BPF_W, 3, 1, 4)
/* r4 = r2 + N; if r4 > r3 goto +SKIP */
#define GUARD(n, skip) MOV_X(4, 2), ALU_K(BPF_ADD, 4, n), JX(BPF_JGT, 4, 3, skip)

#define CHECK(hook, prog) check(hook, prog, sizeof(prog) / sizeof(prog[0]))

static struct ebpf_rules_report rep;

static enum ebpf_rules_verdict check(enum filter_hook hook, const struct filter_ebpf_insn *p,
				     size_t n)
{
	enum ebpf_rules_verdict v = ebpf_rules_check(p, n, hook, SIZE_MAX, &rep);

	if (v != EBPF_RULES_OK)
		print_message("  report: %s\n", rep.message);
	return v;
}

static void refused_for(enum ebpf_rules_verdict v, const char *words)
{
	assert_int_equal(v, EBPF_RULES_BAD);
	if (!strstr(rep.message, words))
		fail_msg("report \"%s\" does not say \"%s\"", rep.message, words);
}

/* ---- accepted ------------------------------------------------------------- */

/* a bound learned on a copy holds for the original (the verifier's linked
 * scalars): r5 - 4 is a small offset only because r6 = r5 was >= 4 */
static void test_good_linked_copy(void **state)
{
	(void)state;
	const struct filter_ebpf_insn p[] = {
		XDP_WINDOW,
		GUARD(15, 8),
		LDX(BPF_B, 5, 2, 14),
		ALU_K(BPF_LSH, 5, 2),
		MOV_X(6, 5),
		JK(BPF_JLT, 6, 4, 4),
		ALU_K(BPF_ADD, 5, -4),
		ALU_X(BPF_ADD, 2, 5),
		MOV_K(0, XDP_PASS),
		EXIT,
		MOV_K(0, XDP_DROP),
		EXIT,
	};
	assert_int_equal(CHECK(FILTER_HOOK_XDP, p), EBPF_RULES_OK);
}

static void test_good_minimal(void **state)
{
	(void)state;
	const struct filter_ebpf_insn p[] = {MOV_K(0, XDP_PASS), EXIT};
	assert_int_equal(CHECK(FILTER_HOOK_XDP, p), EBPF_RULES_OK);
	assert_int_equal(CHECK(FILTER_HOOK_TC, p), EBPF_RULES_OK);
}

/* EtherType == IPv4 after a 14-byte guard; both exits set r0 */
static void test_good_guarded_load(void **state)
{
	(void)state;
	const struct filter_ebpf_insn p[] = {
		XDP_WINDOW,
		GUARD(14, 5),
		LDX(BPF_H, 5, 2, 12),
		MOV_K(0, XDP_DROP),
		JK(BPF_JNE, 5, 8, 1),
		MOV_K(0, XDP_PASS),
		EXIT,
		MOV_K(0, XDP_DROP),
		EXIT,
	};
	assert_int_equal(CHECK(FILTER_HOOK_XDP, p), EBPF_RULES_OK);
}

/* IHL-aware IPv4: p = data + 14 + (ihl & 0xf) * 4, guard p + 4, load p[2] */
static void test_good_variable_offset(void **state)
{
	(void)state;
	const struct filter_ebpf_insn p[] = {
		XDP_WINDOW,
		GUARD(34, 11),
		LDX(BPF_B, 5, 2, 14),
		ALU_K(BPF_AND, 5, 0xf),
		ALU_K(BPF_LSH, 5, 2),
		MOV_X(6, 2),
		ALU_X(BPF_ADD, 6, 5),
		MOV_X(7, 6),
		ALU_K(BPF_ADD, 7, 18),
		JX(BPF_JGT, 7, 3, 3),
		LDX(BPF_H, 0, 6, 16), /* [14 + ihl + 2, + 2) */
		MOV_K(0, XDP_PASS),
		EXIT,
		MOV_K(0, XDP_DROP),
		EXIT,
	};
	assert_int_equal(CHECK(FILTER_HOOK_XDP, p), EBPF_RULES_OK);
}

/* a guarded pointer spilled and filled keeps its window */
static void test_good_spill(void **state)
{
	(void)state;
	const struct filter_ebpf_insn p[] = {
		XDP_WINDOW,
		GUARD(14, 5),
		STX(BPF_DW, 10, 2, -8),
		LDX(BPF_DW, 6, 10, -8),
		LDX(BPF_B, 0, 6, 13),
		MOV_K(0, XDP_PASS),
		EXIT,
		MOV_K(0, XDP_DROP),
		EXIT,
	};
	assert_int_equal(CHECK(FILTER_HOOK_XDP, p), EBPF_RULES_OK);
}

/* a loop with a counter: walked trip by trip */
static void test_good_bounded_loop(void **state)
{
	(void)state;
	const struct filter_ebpf_insn p[] = {
		MOV_K(6, 0), ALU_K(BPF_ADD, 6, 1), JK(BPF_JLT, 6, 10, -2), MOV_K(0, XDP_PASS), EXIT,
	};
	assert_int_equal(CHECK(FILTER_HOOK_XDP, p), EBPF_RULES_OK);
}

/* the backend's loop (loop.c): the trip count spilled to the stack,
 * reloaded, decremented and spilled again at the latch */
static void test_good_stack_counted_loop(void **state)
{
	(void)state;
	const struct filter_ebpf_insn p[] = {
		MOV_K(3, 5),	       STX(BPF_DW, 10, 3, -128),
		MOV_K(0, XDP_PASS),    LDX(BPF_DW, 3, 10, -128),
		ALU_K(BPF_ADD, 3, -1), STX(BPF_DW, 10, 3, -128),
		JK(BPF_JNE, 3, 0, -5), EXIT,
	};
	assert_int_equal(CHECK(FILTER_HOOK_XDP, p), EBPF_RULES_OK);
	assert_true(rep.processed >= 5 * 4);
}

/* An eBPF program from the compiler. */
static void compiled(const char *expr, enum filter_hook hook, struct filter_ebpf_prog *p)
{
	struct filter_options o = {.dlt = FILTER_DLT_EN10MB};
	struct filter_ctx *c = filter_ctx_new(&o);
	struct filter_ebpf_opts eo = {.hook = hook, .accept = FILTER_EBPF_VERDICT};
	assert_non_null(c);
	assert_int_equal(filter_compile(c, expr, strlen(expr)), 0);
	assert_int_equal(filter_emit_ebpf(c, &eo, p), 0);
	filter_ctx_free(c);
}

/* protochain's walks as the compiler folds them into loops: at XDP every
 * trip of every loop is walked and keeps the rules, well within the
 * budget; at tc no path walked breaks one (the save slots of the helper
 * calls keep states apart: tc's programs ran out of budget unrolled too) */
static void test_good_compiled_loops(void **state)
{
	static const char *const exprs[] = {
		"ip6 protochain 6",
		"ip6 protochain 43",
		"protochain 6 and not protochain 17",
		"ip6 protochain 44 or ip6 protochain 0 or ip6 protochain 60",
		"(tcp and protochain 6) or (udp and protochain 17) or (icmp and protochain 58)",
	};
	(void)state;
	for (size_t e = 0; e < sizeof(exprs) / sizeof(exprs[0]); e++)
		for (int h = 0; h < 2; h++) {
			struct filter_ebpf_prog p;
			enum filter_hook hook = h ? FILTER_HOOK_TC : FILTER_HOOK_XDP;
			compiled(exprs[e], hook, &p);
			size_t back = 0;
			for (size_t i = 0; i < p.len; i++)
				back += BPF_CLASS(p.insns[i].code) == BPF_JMP &&
					BPF_OP(p.insns[i].code) == BPF_JNE && p.insns[i].off < 0;
			assert_true(back > 0);
			enum ebpf_rules_verdict v =
				ebpf_rules_check(p.insns, p.len, hook, p.prog_array_insn, &rep);
			if (v == EBPF_RULES_BAD || (!h && v != EBPF_RULES_OK))
				fail_msg("'%s' (%s): %s", exprs[e], h ? "tc" : "xdp", rep.message);
			assert_true(h || rep.processed < EBPF_RULES_BUDGET / 20);
			filter_ebpf_release(&p);
		}
}

/* tc: bpf_skb_load_bytes(ctx, 12, fp-8, 2) fills the stack it is given;
 * then a legacy load with r6 = ctx */
static void test_good_tc_helpers(void **state)
{
	(void)state;
	const struct filter_ebpf_insn p[] = {
		MOV_X(6, 1),	       MOV_K(2, 12),
		MOV_X(3, 10),	       ALU_K(BPF_ADD, 3, -8),
		MOV_K(4, 2),	       CALL(BPF_FUNC_skb_load_bytes),
		LDX(BPF_H, 5, 10, -8), I(BPF_LD | BPF_ABS | BPF_B, 0, 0, 0, 23),
		MOV_K(0, TC_ACT_OK),   EXIT,
	};
	assert_int_equal(CHECK(FILTER_HOOK_TC, p), EBPF_RULES_OK);
	refused_for(CHECK(FILTER_HOOK_XDP, p), "not available at XDP");
}

/* ---- refused -------------------------------------------------------------- */

static void test_bad_unguarded_load(void **state)
{
	(void)state;
	const struct filter_ebpf_insn p[] = {XDP_WINDOW, LDX(BPF_H, 0, 2, 12), EXIT};
	refused_for(CHECK(FILTER_HOOK_XDP, p), "outside the window");
}

static void test_bad_beyond_guard(void **state)
{
	(void)state;
	const struct filter_ebpf_insn p[] = {
		XDP_WINDOW, GUARD(14, 2), LDX(BPF_H, 0, 2, 13), EXIT, MOV_K(0, 1), EXIT,
	};
	refused_for(CHECK(FILTER_HOOK_XDP, p), "[13, 15)");
}

/* the guard is on one path only: the walk follows paths, not instructions */
static void test_bad_guard_on_one_path(void **state)
{
	(void)state;
	const struct filter_ebpf_insn p[] = {
		XDP_WINDOW,	      LDX(BPF_W, 6, 1, 12),
		JK(BPF_JEQ, 6, 7, 3), GUARD(14, 2),
		LDX(BPF_B, 0, 2, 0),  EXIT,
		MOV_K(0, XDP_DROP),   EXIT,
	};
	refused_for(CHECK(FILTER_HOOK_XDP, p), "outside the window");
}

/* a variable offset with no upper bound (a whole u32) */
static void test_bad_unbounded_offset(void **state)
{
	(void)state;
	const struct filter_ebpf_insn p[] = {
		XDP_WINDOW,	      GUARD(18, 8), LDX(BPF_W, 5, 2, 14), MOV_X(6, 2),
		ALU_X(BPF_ADD, 6, 5), MOV_X(7, 6),  ALU_K(BPF_ADD, 7, 1), JX(BPF_JGT, 7, 3, 2),
		LDX(BPF_B, 0, 6, 0),  EXIT,	    MOV_K(0, 1),	  EXIT,
	};
	/* a u32 may be 2^32 - 1: the kernel refuses the sum at once */
	refused_for(CHECK(FILTER_HOOK_XDP, p), "unbounded value");
}

static void test_bad_uninitialised(void **state)
{
	(void)state;
	const struct filter_ebpf_insn reg[] = {MOV_X(0, 5), EXIT};
	const struct filter_ebpf_insn r0[] = {MOV_K(2, 0), EXIT};
	const struct filter_ebpf_insn stack[] = {LDX(BPF_DW, 0, 10, -16), EXIT};
	const struct filter_ebpf_insn half[] = {ST(BPF_W, 10, -8, 0), LDX(BPF_DW, 0, 10, -8), EXIT};
	refused_for(CHECK(FILTER_HOOK_XDP, reg), "uninitialised register r5");
	refused_for(CHECK(FILTER_HOOK_XDP, r0), "uninitialised register r0");
	refused_for(CHECK(FILTER_HOOK_XDP, stack), "uninitialised stack at fp-16");
	assert_int_equal(rep.beyond_kernel, 1);
	refused_for(CHECK(FILTER_HOOK_XDP, half), "uninitialised stack at fp-4");
}

static void test_bad_shape(void **state)
{
	(void)state;
	const struct filter_ebpf_insn range[] = {MOV_K(0, 0), JA(5), EXIT};
	const struct filter_ebpf_insn dead[] = {MOV_K(0, 0), EXIT, MOV_K(0, 1), EXIT};
	const struct filter_ebpf_insn end[] = {MOV_K(0, 0), JK(BPF_JEQ, 1, 0, -2)};
	const struct filter_ebpf_insn imm64[] = {
		MOV_K(0, 0),	  JA(1), I(BPF_LD | BPF_IMM | BPF_DW, 2, 0, 0, 1),
		I(0, 0, 0, 0, 0), EXIT,
	};
	const struct filter_ebpf_insn reserved[] = {I(BPF_ALU64 | BPF_MOV | BPF_K, 0, 3, 0, 1),
						    EXIT};
	refused_for(CHECK(FILTER_HOOK_XDP, range), "out of range");
	refused_for(CHECK(FILTER_HOOK_XDP, dead), "unreachable");
	refused_for(CHECK(FILTER_HOOK_XDP, end), "falls off");
	refused_for(CHECK(FILTER_HOOK_XDP, imm64), "middle of BPF_LD_IMM64");
	refused_for(CHECK(FILTER_HOOK_XDP, reserved), "reserved fields");
	assert_int_equal(ebpf_rules_check(range, 0, FILTER_HOOK_XDP, SIZE_MAX, &rep),
			 EBPF_RULES_BAD);
	assert_int_equal(
		ebpf_rules_check(range, FILTER_EBPF_MAX_INSNS + 1, FILTER_HOOK_XDP, SIZE_MAX, &rep),
		EBPF_RULES_BAD);
}

/* an endless loop: never proven bounded */
static void test_undecided_endless_loop(void **state)
{
	(void)state;
	const struct filter_ebpf_insn p[] = {
		MOV_K(0, 0), ALU_K(BPF_ADD, 0, 1), JK(BPF_JEQ, 1, 0, 1), JA(-3), EXIT,
	};
	assert_int_equal(CHECK(FILTER_HOOK_XDP, p), EBPF_RULES_UNDECIDED);
}

static void test_bad_registers_and_pointers(void **state)
{
	(void)state;
	const struct filter_ebpf_insn fp[] = {MOV_K(10, 0), MOV_K(0, 0), EXIT};
	const struct filter_ebpf_insn end[] = {XDP_WINDOW, ALU_K(BPF_ADD, 3, 1), MOV_K(0, 0), EXIT};
	const struct filter_ebpf_insn and[] = {XDP_WINDOW, ALU_K(BPF_AND, 2, 1), MOV_K(0, 0), EXIT};
	const struct filter_ebpf_insn w32[] = {XDP_WINDOW, I(BPF_ALU | BPF_ADD | BPF_K, 2, 0, 0, 1),
					       MOV_K(0, 0), EXIT};
	const struct filter_ebpf_insn ctxw[] = {ST(BPF_W, 1, 0, 0), MOV_K(0, 0), EXIT};
	const struct filter_ebpf_insn div[] = {MOV_K(0, 4), ALU_K(BPF_DIV, 0, 0), EXIT};
	refused_for(CHECK(FILTER_HOOK_XDP, fp), "r10");
	refused_for(CHECK(FILTER_HOOK_XDP, end), "pkt_end prohibited");
	refused_for(CHECK(FILTER_HOOK_XDP, and), "pointer arithmetic");
	refused_for(CHECK(FILTER_HOOK_XDP, w32), "32-bit arithmetic on a pointer");
	refused_for(CHECK(FILTER_HOOK_XDP, ctxw), "the context");
	refused_for(CHECK(FILTER_HOOK_XDP, div), "division by the constant 0");
	/* a byte divided by a register: the kernel knows no bound any more */
	const struct filter_ebpf_insn quot[] = {XDP_WINDOW,	      GUARD(14, 6),
						LDX(BPF_B, 5, 2, 0),  MOV_K(0, 3),
						ALU_X(BPF_DIV, 5, 0), ALU_X(BPF_ADD, 2, 5),
						LDX(BPF_B, 0, 2, 0),  EXIT,
						MOV_K(0, 0),	      EXIT};
	refused_for(CHECK(FILTER_HOOK_XDP, quot), "unbounded value");
}

static void test_bad_context(void **state)
{
	(void)state;
	const struct filter_ebpf_insn far[] = {LDX(BPF_W, 0, 1, 100), EXIT};
	const struct filter_ebpf_insn narrow[] = {LDX(BPF_B, 0, 1, 12), EXIT};
	const struct filter_ebpf_insn abs[] = {MOV_X(6, 1), I(BPF_LD | BPF_ABS | BPF_B, 0, 0, 0, 1),
					       EXIT};
	const struct filter_ebpf_insn no_r6[] = {I(BPF_LD | BPF_ABS | BPF_B, 0, 0, 0, 1), EXIT};
	refused_for(CHECK(FILTER_HOOK_XDP, far), "context access at 100");
	refused_for(CHECK(FILTER_HOOK_XDP, narrow), "context access at 12 size 1");
	assert_int_equal(CHECK(FILTER_HOOK_TC, narrow), EBPF_RULES_OK); /* tc allows it */
	refused_for(CHECK(FILTER_HOOK_XDP, abs), "not allowed at XDP");
	refused_for(CHECK(FILTER_HOOK_TC, no_r6), "r6");
}

static void test_bad_stack_and_helpers(void **state)
{
	(void)state;
	const struct filter_ebpf_insn below[] = {ST(BPF_DW, 10, -520, 0), MOV_K(0, 0), EXIT};
	const struct filter_ebpf_insn align[] = {ST(BPF_W, 10, -6, 0), MOV_K(0, 0), EXIT};
	const struct filter_ebpf_insn partial[] = {XDP_WINDOW, STX(BPF_W, 10, 2, -8), MOV_K(0, 0),
						   EXIT};
	const struct filter_ebpf_insn zero_len[] = {
		MOV_K(2, 0),
		MOV_X(3, 10),
		ALU_K(BPF_ADD, 3, -8),
		MOV_K(4, 0),
		CALL(BPF_FUNC_xdp_load_bytes),
		MOV_K(0, 0),
		EXIT,
	};
	const struct filter_ebpf_insn not_ctx[] = {
		MOV_K(1, 0),	       MOV_K(2, 0), MOV_X(3, 10),
		ALU_K(BPF_ADD, 3, -8), MOV_K(4, 8), CALL(BPF_FUNC_skb_load_bytes),
		MOV_K(0, 0),	       EXIT,
	};
	const struct filter_ebpf_insn unknown[] = {CALL(BPF_FUNC_ktime_get_ns), EXIT};
	refused_for(CHECK(FILTER_HOOK_XDP, below), "outside the 512 bytes");
	refused_for(CHECK(FILTER_HOOK_XDP, align), "misaligned");
	refused_for(CHECK(FILTER_HOOK_XDP, partial), "partial spill of a pointer");
	refused_for(CHECK(FILTER_HOOK_XDP, zero_len), "r4 (length)");
	refused_for(CHECK(FILTER_HOOK_TC, not_ctx), "not the context");
	assert_int_equal(CHECK(FILTER_HOOK_XDP, unknown), EBPF_RULES_UNDECIDED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_minimal),
		cmocka_unit_test(test_good_guarded_load),
		cmocka_unit_test(test_good_variable_offset),
		cmocka_unit_test(test_good_spill),
		cmocka_unit_test(test_good_bounded_loop),
		cmocka_unit_test(test_good_tc_helpers),
		cmocka_unit_test(test_good_stack_counted_loop),
		cmocka_unit_test(test_good_compiled_loops),
		cmocka_unit_test(test_bad_unguarded_load),
		cmocka_unit_test(test_bad_beyond_guard),
		cmocka_unit_test(test_bad_guard_on_one_path),
		cmocka_unit_test(test_bad_unbounded_offset),
		cmocka_unit_test(test_bad_uninitialised),
		cmocka_unit_test(test_good_linked_copy),
		cmocka_unit_test(test_bad_shape),
		cmocka_unit_test(test_undecided_endless_loop),
		cmocka_unit_test(test_bad_registers_and_pointers),
		cmocka_unit_test(test_bad_context),
		cmocka_unit_test(test_bad_stack_and_helpers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
