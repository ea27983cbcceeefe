/* dump.c - listings of eBPF programs: bpftool's 'prog dump xlated' syntax
 * (-d), a C initializer (-dd), decimal (-ddd).  See filter.h. */
#include "back/ebpf/ebpf.h"

#include <linux/bpf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sbuf {
	char *p;
	size_t n, cap;
	int err;
};

static void DIAG_PRINTF(2, 3) add(struct sbuf *b, const char *fmt, ...)
{
	if (b->err)
		return;
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		int m = vsnprintf(b->p ? b->p + b->n : NULL, b->p ? b->cap - b->n : 0, fmt, ap);
		va_end(ap);
		if (m < 0) {
			b->err = 1;
			return;
		}
		if (b->p && b->n + (size_t)m < b->cap) {
			b->n += (size_t)m;
			return;
		}
		size_t cap = b->cap ? 2 * b->cap : 4096;
		while (cap < b->n + (size_t)m + 1)
			cap *= 2;
		char *q = realloc(b->p, cap);
		if (!q) {
			b->err = 1;
			return;
		}
		b->p = q;
		b->cap = cap;
	}
}

static const char *const alu_s[16] = {"+=",  "-=", "*=", "/=", "|=",   "&=",	 "<<=", ">>=",
				      "neg", "%=", "^=", "=",  "s>>=", "endian", "?",	"?"};
static const char *const jmp_s[16] = {"goto", "==",   ">", ">=", "&",  "!=",  "s>", "s>=",
				      "call", "exit", "<", "<=", "s<", "s<=", "?",  "?"};
static const char *const size_s[4] = {"u32", "u16", "u8", "u64"};

static const char *helper_name(int32_t id)
{
	switch (id) {
	case 12: return "bpf_tail_call";
	case 26: return "bpf_skb_load_bytes";
	default: return "unknown";
	}
}

static void alu(struct sbuf *b, const struct filter_ebpf_insn *i)
{
	uint8_t op = BPF_OP(i->code);
	char w = BPF_CLASS(i->code) == BPF_ALU64 ? 'r' : 'w';
	if (op == BPF_END)
		add(b, "(%02x) r%d = %s%d r%d", i->code, i->dst_reg,
		    BPF_SRC(i->code) == BPF_TO_BE ? "be" : "le", i->imm, i->dst_reg);
	else if (op == BPF_NEG)
		add(b, "(%02x) %c%d = -%c%d", i->code, w, i->dst_reg, w, i->dst_reg);
	else if (BPF_SRC(i->code) == BPF_X)
		add(b, "(%02x) %c%d %s %c%d", i->code, w, i->dst_reg, alu_s[op >> 4], w,
		    i->src_reg);
	else
		add(b, "(%02x) %c%d %s %d", i->code, w, i->dst_reg, alu_s[op >> 4], i->imm);
}

static void jmp(struct sbuf *b, const struct filter_ebpf_insn *i)
{
	uint8_t op = BPF_OP(i->code);
	char w = BPF_CLASS(i->code) == BPF_JMP32 ? 'w' : 'r';
	if (op == BPF_JA && w == 'w')
		add(b, "(%02x) gotol pc%+d", i->code, i->imm);
	else if (op == BPF_JA)
		add(b, "(%02x) goto pc%+d", i->code, i->off);
	else if (op == BPF_EXIT)
		add(b, "(%02x) exit", i->code);
	else if (op == BPF_CALL)
		add(b, "(%02x) call %s#%d", i->code, helper_name(i->imm), i->imm);
	else if (BPF_SRC(i->code) == BPF_X)
		add(b, "(%02x) if %c%d %s %c%d goto pc%+d", i->code, w, i->dst_reg, jmp_s[op >> 4],
		    w, i->src_reg, i->off);
	else
		add(b, "(%02x) if %c%d %s 0x%x goto pc%+d", i->code, w, i->dst_reg, jmp_s[op >> 4],
		    (uint32_t)i->imm, i->off);
}

/* One instruction (two for BPF_LD_IMM64, NEXT the second half). */
static void insn(struct sbuf *b, const struct filter_ebpf_insn *i,
		 const struct filter_ebpf_insn *next)
{
	const char *sz = size_s[BPF_SIZE(i->code) >> 3];
	switch (BPF_CLASS(i->code)) {
	case BPF_ALU:
	case BPF_ALU64: alu(b, i); break;
	case BPF_JMP:
	case BPF_JMP32: jmp(b, i); break;
	case BPF_LDX:
		add(b, "(%02x) r%d = *(%s *)(r%d %+d)", i->code, i->dst_reg, sz, i->src_reg,
		    i->off);
		break;
	case BPF_STX:
		add(b, "(%02x) *(%s *)(r%d %+d) = r%d", i->code, sz, i->dst_reg, i->off,
		    i->src_reg);
		break;
	case BPF_ST:
		add(b, "(%02x) *(%s *)(r%d %+d) = %d", i->code, sz, i->dst_reg, i->off, i->imm);
		break;
	case BPF_LD:
		add(b, "(%02x) r%d = 0x%llx", i->code, i->dst_reg,
		    (unsigned long long)(uint32_t)i->imm |
			    (next ? (unsigned long long)(uint32_t)next->imm << 32 : 0));
		break;
	default: add(b, "(%02x) unknown", i->code); break;
	}
}

char *filter_ebpf_dump(const struct filter_ebpf_prog *prog, int level)
{
	struct sbuf b = {0};
	if (!prog || level < 1 || level > 3)
		return NULL;
	if (level == 3)
		add(&b, "%zu\n", prog->len);
	for (size_t k = 0; k < prog->len; k++) {
		const struct filter_ebpf_insn *i = &prog->insns[k];
		if (level == 2) {
			add(&b, "{ 0x%02x, %u, %u, %d, 0x%08x },\n", i->code, i->dst_reg,
			    i->src_reg, i->off, (uint32_t)i->imm);
		} else if (level == 3) {
			add(&b, "%u %u %u %d %d\n", i->code, i->dst_reg, i->src_reg, i->off,
			    i->imm);
		} else {
			int wide = i->code == (BPF_LD | BPF_DW | BPF_IMM) && k + 1 < prog->len;
			add(&b, "%4zu: ", k);
			insn(&b, i, wide ? &prog->insns[k + 1] : NULL);
			add(&b, "\n");
			k += (size_t)wide;
		}
	}
	if (b.err || !b.p) {
		free(b.p);
		return b.err ? NULL : calloc(1, 1);
	}
	return b.p;
}
