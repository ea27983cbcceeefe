/* loop_test.c - the eBPF backend's loop folding (back/ebpf/loop.c) on
 * hand-made IR walks: a run of identical steps becomes one loop whose trip
 * count is the run's length; a first step unlike the others stays out of
 * the loop; steps that all differ, and a walk entered in its middle, keep
 * their unrolled (or split) form, as does a test repeated twice (not worth
 * a loop); and every program gives the IR's own
 * verdict (an evaluator here) on walks of every length, cut everywhere. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>

#include "back/ebpf/ebpf.h"
#include "base/arena.h"
#include "ebpf_vm.h"
#include "ir/ir.h"

enum { STEPS = 6, SKIP = 0xaa, WANT = 0xbb, START = 14 };

/* The IR's verdict on PKT (LEN bytes): values and blocks as ir.h says. */
static int eval(const struct ir_val *v, const uint32_t *mem, const uint8_t *pkt, size_t len,
		uint32_t *out)
{
	uint32_t a = 0, b = 0;
	if (v->a && eval(v->a, mem, pkt, len, &a) < 0)
		return -1;
	if (v->b && eval(v->b, mem, pkt, len, &b) < 0)
		return -1;
	switch (v->kind) {
	case IR_V_CONST: *out = v->k; return 0;
	case IR_V_MEM: *out = mem[v->k]; return 0;
	case IR_V_BIN: *out = ir_op_apply(v->op, a, b); return 0;
	case IR_V_LOAD:
		if ((uint64_t)a + v->k + 1 > len || v->size != 1)
			return -1;
		*out = pkt[a + v->k];
		return 0;
	default: fail_msg("value kind %d", v->kind); return -1;
	}
}

static int ir_verdict(const struct ir *ir, const uint8_t *pkt, size_t len)
{
	uint32_t mem[IR_MEMWORDS] = {0}, x;
	const struct ir_block *b = ir->root;
	while (b->op != IR_RET) {
		for (const struct ir_stmt *s = b->stmts; s; s = s->next) {
			if (eval(s->v, mem, pkt, len, &x) < 0)
				return 0;
			mem[s->slot] = x;
		}
		if (eval(b->lhs, mem, pkt, len, &x) < 0)
			return 0;
		assert_int_equal(b->op, IR_JEQ);
		b = b->succ[x == b->k];
	}
	return b->k != 0;
}

/* A walk over bytes SKIP from offset START: STEPS steps, step I adding
 * INC[I] to the offset (and 1 to a count, which makes a step worth a
 * loop); then whether the byte there is WANT.  ENTER4:
 * packets whose byte 13 is 1 start the walk at its fourth step, at
 * offset START + 3. */
static void walk(struct ir *ir, struct arena *a, const uint32_t *inc, int enter4)
{
	arena_init(a, 1 << 24);
	assert_int_equal(ir_init(ir, a, 262144), 0);
	int slot = ir_slot_alloc(ir, 0), nslot = ir_slot_alloc(ir, 1);
	assert_true(slot >= 0 && nslot >= 0);
	const struct ir_val *o = ir_mem(ir, (uint32_t)slot), *byte = ir_load(ir, 1, o, 0);
	const struct ir_val *count = ir_mem(ir, (uint32_t)nslot);
	struct ir_block *verdict = ir_block_new(ir, IR_JEQ, byte, NULL, WANT);
	struct ir_block *init = ir_block_stores(ir), *entry[STEPS + 1];
	assert_non_null(verdict);
	assert_non_null(init);
	verdict->succ[1] = ir->accept;
	verdict->succ[0] = ir->reject;
	assert_int_equal(ir_block_store(ir, init, (uint32_t)slot, ir_const(ir, START)), 0);
	entry[STEPS] = verdict;
	for (int i = STEPS - 1; i >= 0; i--) {
		struct ir_block *t = ir_block_new(ir, IR_JEQ, byte, NULL, SKIP);
		struct ir_block *adv = ir_block_stores(ir);
		assert_non_null(t);
		assert_non_null(adv);
		const struct ir_val *next = ir_bin(ir, IR_ADD, o, ir_const(ir, inc[i]));
		const struct ir_val *more = ir_bin(ir, IR_ADD, count, ir_const(ir, 1));
		assert_int_equal(ir_block_store(ir, adv, (uint32_t)slot, next), 0);
		assert_int_equal(ir_block_store(ir, adv, (uint32_t)nslot, more), 0);
		t->succ[1] = adv;
		t->succ[0] = verdict;
		adv->succ[0] = adv->succ[1] = entry[i + 1];
		entry[i] = t;
	}
	init->succ[0] = init->succ[1] = entry[0];
	ir->root = init;
	if (enter4) {
		struct ir_block *fork = ir_block_new(ir, IR_JEQ, ir_load(ir, 1, NULL, 13), NULL, 1);
		struct ir_block *late = ir_block_stores(ir);
		assert_non_null(fork);
		assert_non_null(late);
		assert_int_equal(ir_block_store(ir, late, (uint32_t)slot, ir_const(ir, START + 3)),
				 0);
		late->succ[0] = late->succ[1] = entry[3];
		fork->succ[1] = late;
		fork->succ[0] = init;
		ir->root = fork;
	}
}

static void emit(const struct ir *ir, enum filter_hook hook, struct filter_ebpf_prog *p)
{
	struct ebpf_opts o = {.hook = hook, .accept = FILTER_EBPF_VERDICT, .optimize = 1};
	struct diag_sink d = {0};
	if (ebpf_emit(ir, &o, &d, p) < 0)
		fail_msg("ebpf_emit: %s", d.d.message);
}

/* The trip counts the program sets (r = N; *(u64 *)(r10 + LOOP_CNT) = r),
 * in order, into TRIPS; how many. */
static size_t trips_of(const struct filter_ebpf_prog *p, int32_t *trips, size_t max)
{
	size_t n = 0;
	for (size_t i = 1; i < p->len && n < max; i++)
		if (p->insns[i].code == (BPF_STX | BPF_MEM | BPF_DW) && p->insns[i].dst_reg == 10 &&
		    p->insns[i].off == LOOP_CNT &&
		    p->insns[i - 1].code == (BPF_ALU64 | BPF_MOV | BPF_K))
			trips[n++] = p->insns[i - 1].imm;
	return n;
}

/* The XDP program's verdicts against the IR's: K bytes SKIP, then WANT or
 * not, cut to every length; byte 13 (ENTER4) 0 and 1. */
static void agree(const struct ir *ir, const struct filter_ebpf_prog *p)
{
	uint8_t f[64];
	for (int k = 0; k <= STEPS + 2; k++)
		for (int last = 0; last < 2; last++)
			for (int fork = 0; fork < 2; fork++) {
				memset(f, 0, sizeof(f));
				f[13] = (uint8_t)fork;
				memset(f + START, SKIP, (size_t)k);
				f[START + k] = last ? WANT : 0xcc;
				for (size_t len = 14; len <= (size_t)START + k + 2; len++) {
					int want = ir_verdict(ir, f, len);
					if ((run(p, f, len) == XDP_PASS) != want)
						fail_msg("%d bytes 0x%x, then %s, byte 13 %d, cut "
							 "to "
							 "%zu: the IR says %d",
							 k, SKIP, last ? "0xbb" : "0xcc", fork, len,
							 want);
				}
			}
}

struct shape {
	uint32_t inc[STEPS];
	int enter4;
	size_t nloops;
	int32_t trips[2];
};

static void fold(void **state)
{
	(void)state;
	static const struct shape shapes[] = {
		{{1, 1, 1, 1, 1, 1}, 0, 1, {6, 0}}, /* one run of every step */
		{{2, 1, 1, 1, 1, 1}, 0, 1, {5, 0}}, /* the first step unlike the rest */
		{{1, 1, 1, 1, 1, 2}, 0, 1, {5, 0}}, /* the last */
		{{1, 2, 3, 4, 5, 6}, 0, 0, {0, 0}}, /* no two alike: unrolled */
		{{1, 1, 1, 1, 1, 1}, 1, 2, {3, 3}}, /* entered at step 4 too: two runs */
		{{1, 2, 1, 2, 1, 2}, 0, 1, {3, 0}}, /* alternating: a loop of two steps a trip */
	};
	/* the unoptimized program's repeated test: equal blocks, no loop */
	struct arena a;
	struct ir ir;
	struct filter_ebpf_prog p;
	int32_t trips[4];
	arena_init(&a, 1 << 20);
	assert_int_equal(ir_init(&ir, &a, 262144), 0);
	const struct ir_val *b12 = ir_load(&ir, 1, NULL, 12);
	struct ir_block *t1 = ir_block_new(&ir, IR_JEQ, b12, NULL, 8);
	struct ir_block *t2 = ir_block_new(&ir, IR_JEQ, b12, NULL, 8);
	assert_non_null(t1);
	assert_non_null(t2);
	t1->succ[1] = t2, t1->succ[0] = t2->succ[0] = ir.reject, t2->succ[1] = ir.accept;
	ir.root = t1;
	emit(&ir, FILTER_HOOK_XDP, &p);
	assert_int_equal(trips_of(&p, trips, 4), 0);
	agree(&ir, &p);
	filter_ebpf_release(&p);
	arena_release(&a);
	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		const struct shape *s = &shapes[i];
		walk(&ir, &a, s->inc, s->enter4);
		emit(&ir, FILTER_HOOK_XDP, &p);
		size_t n = trips_of(&p, trips, 4);
		if (n != s->nloops)
			fail_msg("shape %zu: %zu loops, not %zu", i, n, s->nloops);
		for (size_t k = 0; k < n; k++)
			assert_int_equal(trips[k], s->trips[k]);
		agree(&ir, &p);
		filter_ebpf_release(&p);
		/* at tc every copy of the program (linear skbs and beyond, the tag
		 * in metadata or not) has the same loops */
		int32_t tc[16];
		emit(&ir, FILTER_HOOK_TC, &p);
		size_t m = trips_of(&p, tc, 16);
		assert_true(m >= 2 * n && (n ? m % n == 0 : m == 0));
		for (size_t k = 0; k < m; k++)
			assert_int_equal(tc[k], s->trips[k % n]);
		filter_ebpf_release(&p);
		arena_release(&a);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fold),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
