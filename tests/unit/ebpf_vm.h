/* ebpf_vm.h - a small user-space interpreter of the XDP programs the eBPF
 * backend emits, for the unit tests (ebpf_test.c, loop_test.c): it also
 * checks what the verifier would (every load inside the packet or the
 * initialised stack, jumps in range, registers written before they are
 * read, an exit within RUN_BUDGET instructions: loops run trip by trip).
 * Include after cmocka.h. */
#ifndef BPFCAP_TEST_EBPF_VM_H
#define BPFCAP_TEST_EBPF_VM_H

#include <linux/bpf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "filter.h"

struct vm {
	const uint8_t *pkt;
	size_t len;
	uint8_t stack[512];
	uint8_t stack_init[512];
	uint64_t r[11];
	uint16_t written; /* bit r: register written */
};

static const uint8_t *addr(struct vm *m, uint64_t a, int size, int store)
{
	uintptr_t p = (uintptr_t)a, s = (uintptr_t)m->stack, k = (uintptr_t)m->pkt;
	if (p >= s && p + (uintptr_t)size <= s + sizeof(m->stack)) {
		size_t o = p - s;
		for (int i = 0; i < size; i++) {
			if (store)
				m->stack_init[o + i] = 1;
			else if (!m->stack_init[o + i])
				fail_msg("read of uninitialised stack at %zd", (ssize_t)o - 512);
		}
		return (const uint8_t *)p;
	}
	if (!store && p >= k && p + (uintptr_t)size <= k + m->len)
		return (const uint8_t *)p;
	fail_msg("load of %d bytes outside the packet and the stack", size);
	return NULL;
}

static uint64_t rd(struct vm *m, int r)
{
	if (r != 10 && !(m->written & (1u << r)))
		fail_msg("r%d read before written", r);
	return m->r[r];
}

static uint64_t alu(uint8_t op, uint64_t a, uint64_t b, int is64)
{
	if (!is64) {
		a = (uint32_t)a;
		b = (uint32_t)b;
	}
	uint64_t v;
	switch (op) {
	case BPF_ADD: v = a + b; break;
	case BPF_SUB: v = a - b; break;
	case BPF_MUL: v = a * b; break;
	case BPF_DIV: v = b ? a / b : 0; break;
	case BPF_MOD: v = b ? a % b : a; break;
	case BPF_AND: v = a & b; break;
	case BPF_OR: v = a | b; break;
	case BPF_XOR: v = a ^ b; break;
	case BPF_LSH: v = a << (b & (is64 ? 63 : 31)); break;
	case BPF_RSH: v = a >> (b & (is64 ? 63 : 31)); break;
	case BPF_NEG: v = -a; break;
	case BPF_MOV: v = b; break;
	default: fail_msg("alu op %#x", op); return 0;
	}
	return is64 ? v : (uint32_t)v;
}

static int cond(uint8_t op, uint64_t a, uint64_t b, int is32)
{
	if (is32) {
		a = (uint32_t)a;
		b = (uint32_t)b;
	}
	switch (op) {
	case BPF_JEQ: return a == b;
	case BPF_JNE: return a != b;
	case BPF_JGT: return a > b;
	case BPF_JGE: return a >= b;
	case BPF_JLT: return a < b;
	case BPF_JLE: return a <= b;
	case BPF_JSET: return (a & b) != 0;
	default: fail_msg("jump op %#x", op); return 0;
	}
}

/* The bytes a load or store of CODE moves. */
static int mem_size(uint8_t code)
{
	return BPF_SIZE(code) == BPF_W	 ? 4
	       : BPF_SIZE(code) == BPF_H ? 2
	       : BPF_SIZE(code) == BPF_B ? 1
					 : 8;
}

static uint64_t ldx(struct vm *m, const struct filter_ebpf_insn *i, uint64_t ctx)
{
	int size = mem_size(i->code);
	uint64_t base = rd(m, i->src_reg);
	if (base == ctx) { /* struct xdp_md: data, data_end */
		if (i->off == 0)
			return (uintptr_t)m->pkt;
		if (i->off == 4)
			return (uintptr_t)m->pkt + m->len;
		fail_msg("context field at %d", i->off);
	}
	const uint8_t *p = addr(m, base + (uint64_t)(int64_t)i->off, size, 0);
	uint64_t v = 0;
	memcpy(&v, p, (size_t)size);
	return v;
}

enum { RUN_BUDGET = 1000000 };

/* Jumps the last run() took: the x86 JIT makes every 'exit' but the last a
 * jump to it, so a path costs its taken jumps plus one unless it falls into
 * the exit. */
static int taken;

/* Run P (XDP) on PKT; the verdict (XDP_PASS 2 / XDP_DROP 1). */
static int run(const struct filter_ebpf_prog *p, const uint8_t *pkt, size_t len)
{
	struct vm *m = calloc(1, sizeof(*m));
	assert_non_null(m);
	uint64_t ctx = 0xc0ffee00;
	m->pkt = pkt;
	m->len = len;
	m->r[1] = ctx;
	m->r[10] = (uintptr_t)m->stack + sizeof(m->stack);
	m->written = 1u << 1;
	taken = 0;
	for (size_t pc = 0, steps = 0; pc < p->len;) {
		const struct filter_ebpf_insn *i = &p->insns[pc++];
		if (++steps > RUN_BUDGET)
			fail_msg("no exit after %d instructions (a loop without a bound)",
				 RUN_BUDGET);
		uint8_t cls = BPF_CLASS(i->code), op = BPF_OP(i->code);
		int x = BPF_SRC(i->code) == BPF_X;
		switch (cls) {
		case BPF_ALU:
		case BPF_ALU64:
			if (op == BPF_END) {
				uint64_t v = rd(m, i->dst_reg);
				m->r[i->dst_reg] = i->imm == 16 ? __builtin_bswap16((uint16_t)v)
								: __builtin_bswap32((uint32_t)v);
				break;
			}
			m->r[i->dst_reg] =
				alu(op, op == BPF_MOV || op == BPF_NEG ? 0 : rd(m, i->dst_reg),
				    x ? rd(m, i->src_reg) : (uint64_t)(int64_t)i->imm,
				    cls == BPF_ALU64);
			if (op == BPF_NEG)
				m->r[i->dst_reg] =
					alu(BPF_SUB, 0, rd(m, i->dst_reg), cls == BPF_ALU64);
			m->written |= (uint16_t)(1u << i->dst_reg);
			break;
		case BPF_LDX:
			m->r[i->dst_reg] = ldx(m, i, ctx);
			m->written |= (uint16_t)(1u << i->dst_reg);
			break;
		case BPF_ST:
		case BPF_STX: {
			uint64_t v = cls == BPF_STX ? rd(m, i->src_reg) : (uint64_t)(int64_t)i->imm;
			int size = mem_size(i->code);
			uint8_t *a = (uint8_t *)(uintptr_t)addr(
				m, rd(m, i->dst_reg) + (uint64_t)(int64_t)i->off, size, 1);
			memcpy(a, &v, (size_t)size); /* little-endian: the low bytes */
			break;
		}
		case BPF_JMP:
		case BPF_JMP32:
			if (op == BPF_EXIT) {
				int v = (int)rd(m, 0);
				free(m);
				return v;
			}
			if (op == BPF_CALL)
				fail_msg("helper call at XDP");
			if (op == BPF_JA || cond(op, rd(m, i->dst_reg),
						 x ? rd(m, i->src_reg) : (uint64_t)(int64_t)i->imm,
						 cls == BPF_JMP32)) {
				pc += (size_t)(ptrdiff_t)i->off;
				taken += i->off != 0;
			}
			if (pc > p->len)
				fail_msg("jump out of the program");
			break;
		default: fail_msg("instruction class %#x", cls);
		}
	}
	fail_msg("fell off the end of the program");
	return -1;
}

#endif
