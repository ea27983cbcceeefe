/*
 * joinprog.h - a hand-assembled program of the shape filter_emit_ebpf()
 * gives with FILTER_EBPF_TAIL_CALL and observe = 1, for testing the join
 * on its own, independent of the compiler: "accept IPv4 only" (EtherType 0x0800
 * right after the MAC addresses), a tail call on accept, and the hook's
 * pass verdict otherwise.
 */
#ifndef BPFCAP_TEST_JOINPROG_H
#define BPFCAP_TEST_JOINPROG_H

#include <linux/bpf.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "filter/filter.h"

static inline struct filter_ebpf_insn jp_insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off,
					      int32_t imm)
{
	struct filter_ebpf_insn i = {.code = code, .off = off, .imm = imm};
	i.dst_reg = dst & 0xf;
	i.src_reg = src & 0xf;
	return i;
}

/* Fill *P for HOOK (FILTER_HOOK_XDP or FILTER_HOOK_TC); 0 or -1. */
static inline int joinprog_ipv4_only(enum filter_hook hook, struct filter_ebpf_prog *p)
{
	int xdp = hook == FILTER_HOOK_XDP;
	/* struct xdp_md: data 0, data_end 4; struct __sk_buff: data 76, data_end 80 */
	int16_t d = xdp ? 0 : 76, de = xdp ? 4 : 80;
	int32_t pass = xdp ? XDP_PASS : -1 /* TC_ACT_UNSPEC */;
	struct filter_ebpf_insn v[] = {
		jp_insn(BPF_ALU64 | BPF_MOV | BPF_X, 6, 1, 0, 0),    /* r6 = ctx */
		jp_insn(BPF_LDX | BPF_W | BPF_MEM, 2, 6, d, 0),	     /* r2 = data */
		jp_insn(BPF_LDX | BPF_W | BPF_MEM, 3, 6, de, 0),     /* r3 = data_end */
		jp_insn(BPF_ALU64 | BPF_MOV | BPF_X, 4, 2, 0, 0),    /* r4 = r2 */
		jp_insn(BPF_ALU64 | BPF_ADD | BPF_K, 4, 0, 0, 14),   /* r4 += 14 */
		jp_insn(BPF_JMP | BPF_JGT | BPF_X, 4, 3, 7, 0),	     /* if r4 > r3 goto pass */
		jp_insn(BPF_LDX | BPF_H | BPF_MEM, 5, 2, 12, 0),     /* r5 = *(u16 *)(r2 + 12) */
		jp_insn(BPF_JMP | BPF_JNE | BPF_K, 5, 0, 5, 0x0008), /* != htons(0x0800): pass */
		jp_insn(BPF_ALU64 | BPF_MOV | BPF_X, 1, 6, 0, 0),    /* r1 = ctx */
		jp_insn(BPF_LD | BPF_DW | BPF_IMM, 2, 0, 0, 0),	     /* r2 = the prog array */
		jp_insn(0, 0, 0, 0, 0),
		jp_insn(BPF_ALU64 | BPF_MOV | BPF_K, 3, 0, 0, 0), /* r3 = 0 */
		jp_insn(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_tail_call),
		jp_insn(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, pass), /* pass: r0 = verdict */
		jp_insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
	};
	p->len = sizeof(v) / sizeof(v[0]);
	p->insns = malloc(sizeof(v));
	if (!p->insns)
		return -1;
	memcpy(p->insns, v, sizeof(v));
	p->hook = hook;
	p->prog_array_insn = 9;
	return 0;
}

#endif
