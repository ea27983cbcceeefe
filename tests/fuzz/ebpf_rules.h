/*
 * ebpf_rules.h - the kernel verifier's rules that can be checked in user
 * space, for eBPF programs from filter_emit_ebpf() (the compiler's fuzz
 * target, tests/unit/ebpf_rules_test.c, the kernel cross-check).
 *
 * This module owns a small abstract interpreter that walks every path of a
 * program, as the verifier does, tracking register and stack types: context,
 * packet pointer (fixed offset, variable part, proven range), packet end,
 * stack pointer, scalar with unsigned bounds.  It refuses:
 *   - a length of 0 or above FILTER_EBPF_MAX_INSNS; a bad opcode, register or
 *     BPF_LD_IMM64 pair; a jump out of range or into the middle of a
 *     BPF_LD_IMM64; an instruction no path reaches; a fall off the end;
 *   - a read of an uninitialised register or stack byte (the kernel lets root
 *     read uninitialised stack: the report says when that rule broke), a
 *     write to r10; a division by the constant 0, a shift out of range;
 *   - a packet load outside the window a bounds check against the packet end
 *     proved on that path, a variable packet offset without a bound below
 *     0x10000, arithmetic the verifier forbids on pointers;
 *   - a context access other than a readable field of the hook's context
 *     (struct xdp_md, struct __sk_buff), a stack access outside 512 bytes or
 *     not aligned to its size, a partial spill or fill of a pointer;
 *   - a helper call with arguments of the wrong types (tail_call,
 *     skb_load_bytes at tc, xdp_load_bytes at XDP; others are UNDECIDED);
 *     legacy packet loads (BPF_ABS/BPF_IND) at XDP or with r6 not the context;
 *   - an exit with r0 not initialised;
 *   - a program whose paths take more than EBPF_RULES_BUDGET instructions
 *     to walk (the verifier's limit is 10^6 processed instructions; a loop
 *     counts each trip), reported as EBPF_RULES_UNDECIDED.
 * Backward jumps are followed like the verifier does, trip by trip, so a
 * loop is accepted when every trip is and it ends within the budget.
 */
#ifndef BPFCAP_EBPF_RULES_H
#define BPFCAP_EBPF_RULES_H

#include <stddef.h>

#include "filter/filter.h"

#define EBPF_RULES_BUDGET 1000000

enum ebpf_rules_verdict {
	EBPF_RULES_OK = 0,
	EBPF_RULES_BAD = 1,	  /* a rule is broken: see the report */
	EBPF_RULES_UNDECIDED = 2, /* out of budget, or a helper the checker does not know */
};

struct ebpf_rules_report {
	size_t insn;	   /* where the rule broke */
	size_t processed;  /* instructions walked */
	int beyond_kernel; /* the broken rule is stricter than the kernel's for root */
	char message[200]; /* "insn N: rule: details" */
};

/* Check PROG (LEN instructions) for HOOK.  PROG_ARRAY_INSN is the index of
 * a BPF_LD_IMM64 that the loader turns into a program array (SIZE_MAX:
 * none).  R, if not NULL, gets the details. */
enum ebpf_rules_verdict ebpf_rules_check(const struct filter_ebpf_insn *prog, size_t len,
					 enum filter_hook hook, size_t prog_array_insn,
					 struct ebpf_rules_report *r);
/* The same with a budget of BUDGET walked instructions (the fuzz target's
 * is smaller, to keep its runs short). */
enum ebpf_rules_verdict ebpf_rules_check_within(const struct filter_ebpf_insn *prog, size_t len,
						enum filter_hook hook, size_t prog_array_insn,
						size_t budget, struct ebpf_rules_report *r);

#endif
