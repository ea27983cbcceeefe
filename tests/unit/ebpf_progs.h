/* ebpf_progs.h - small eBPF programs assembled by hand as filter_ebpf_insn
 * arrays, for the object writer's tests (tests/unit/elf_test.c and
 * tests/kern/elfwrite.c) until the code generator provides real ones.
 * Each looks at the EtherType and returns the hook's accept or reject
 * verdict. */
#ifndef BPFCAP_TESTS_EBPF_PROGS_H
#define BPFCAP_TESTS_EBPF_PROGS_H

#include <arpa/inet.h>
#include <stddef.h>
#include <string.h>

#include <linux/bpf.h>
#include <linux/pkt_cls.h>

#include "filter/filter.h"

#define EI(c, d, s, o, i)           \
	((struct filter_ebpf_insn){ \
		.code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i)})

enum test_prog {
	TP_IPV4,     /* IPv4 frames accepted, everything else rejected */
	TP_IPV4_ARP, /* IPv4 and ARP accepted */
	TP_DROP,     /* everything rejected */
	TP_TAIL,     /* accepted frames tail-call (a map reference): not for objects */
	TP_N
};

/* Assemble program KIND for HOOK into OUT (room for 16); returns the
 * length.  The context offsets are the uapi's: xdp_md->data/data_end,
 * __sk_buff->data/data_end. */
static inline size_t test_prog(enum test_prog kind, enum filter_hook hook,
			       struct filter_ebpf_insn *out, size_t *prog_array_insn)
{
	int tc = hook == FILTER_HOOK_TC;
	int32_t acc = tc ? TC_ACT_OK : XDP_PASS, rej = tc ? TC_ACT_SHOT : XDP_DROP;
	int16_t o_data = tc ? offsetof(struct __sk_buff, data) : offsetof(struct xdp_md, data);
	int16_t o_end =
		tc ? offsetof(struct __sk_buff, data_end) : offsetof(struct xdp_md, data_end);
	size_t n = 0;
	*prog_array_insn = SIZE_MAX;
	if (kind == TP_DROP) {
		out[n++] = EI(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, rej);
		out[n++] = EI(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
		return n;
	}
	out[n++] = EI(BPF_LDX | BPF_MEM | BPF_W, 2, 1, o_data, 0);	  /* 0: r2 = data */
	out[n++] = EI(BPF_LDX | BPF_MEM | BPF_W, 3, 1, o_end, 0);	  /* 1: r3 = data_end */
	out[n++] = EI(BPF_ALU64 | BPF_MOV | BPF_X, 4, 2, 0, 0);		  /* 2: r4 = r2 */
	out[n++] = EI(BPF_ALU64 | BPF_ADD | BPF_K, 4, 0, 0, 14);	  /* 3: r4 += 14 */
	out[n++] = EI(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, rej);	  /* 4: r0 = reject */
	out[n++] = EI(BPF_JMP | BPF_JGT | BPF_X, 4, 3, 3, 0);		  /* 5: r4 > r3: 9 */
	out[n++] = EI(BPF_LDX | BPF_MEM | BPF_H, 5, 2, 12, 0);		  /* 6: r5 = EtherType */
	out[n++] = EI(BPF_JMP | BPF_JEQ | BPF_K, 5, 0, 2, htons(0x0800)); /* 7: IPv4: 10 */
	out[n++] = EI(BPF_JMP | BPF_JEQ | BPF_K, 5, 0, 1,
		      kind == TP_IPV4_ARP ? htons(0x0806) : htons(0x0800)); /* 8: ARP: 10 */
	out[n++] = EI(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);			    /* 9: reject */
	if (kind == TP_TAIL) {
		/* 10: r2 = the program array (the loader fills it in); r3 = 0;
		 * tail call; fall back to accepting */
		*prog_array_insn = n;
		out[n++] = EI(BPF_LD | BPF_IMM | BPF_DW, 2, 0, 0, 0);
		out[n++] = EI(0, 0, 0, 0, 0);
		out[n++] = EI(BPF_ALU64 | BPF_MOV | BPF_K, 3, 0, 0, 0);
		out[n++] = EI(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_tail_call);
	}
	out[n++] = EI(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, acc); /* 10: r0 = accept */
	out[n++] = EI(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);		  /* 11 */
	return n;
}

#endif
