/* dump.c - program listings in libpcap 1.10's bpf_dump() formats:
 * level 1 (bpf_image lines, tcpdump -d), 2 (C initialisers, -dd) and
 * 3 (decimal with a count line, -ddd). */
#include <linux/filter.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"

struct sbuf {
	char *s;
	size_t n, cap;
	int err;
};

static void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	for (int tries = 0; tries < 2 && !b->err; tries++) {
		va_list ap;
		va_start(ap, fmt);
		int w = vsnprintf(b->s + b->n, b->cap - b->n, fmt, ap);
		va_end(ap);
		if (w < 0) {
			b->err = 1;
			return;
		}
		if ((size_t)w < b->cap - b->n) {
			b->n += (size_t)w;
			return;
		}
		size_t cap = (b->cap + (size_t)w + 1) * 2;
		char *s = realloc(b->s, cap);
		if (!s) {
			b->err = 1;
			return;
		}
		b->s = s;
		b->cap = cap;
	}
}

static const char *anc_name(uint32_t k)
{
	static const char *const names[] = {
		"proto",  "type", "ifidx", "nla",      "nlan",	"mark", "queue",  "hatype",
		"rxhash", "cpu",  "xor_x", "vlan_tci", "vlanp", "poff", "random", "vlan_tpid",
	};
	uint32_t off = k - 0xfffff000u;
	if (k < 0xfffff000u || off % 4 || off / 4 >= sizeof(names) / sizeof(names[0]))
		return NULL;
	return names[off / 4];
}

struct opinfo {
	uint16_t code;
	const char *op, *fmt; /* printf format of the operand */
};

static const struct opinfo ops[] = {
	{BPF_RET | BPF_K, "ret", "#%d"},
	{BPF_RET | BPF_A, "ret", ""},
	{BPF_LD | BPF_W | BPF_ABS, "ld", "[%d]"},
	{BPF_LD | BPF_H | BPF_ABS, "ldh", "[%d]"},
	{BPF_LD | BPF_B | BPF_ABS, "ldb", "[%d]"},
	{BPF_LD | BPF_W | BPF_LEN, "ld", "#pktlen"},
	{BPF_LD | BPF_W | BPF_IND, "ld", "[x + %d]"},
	{BPF_LD | BPF_H | BPF_IND, "ldh", "[x + %d]"},
	{BPF_LD | BPF_B | BPF_IND, "ldb", "[x + %d]"},
	{BPF_LD | BPF_IMM, "ld", "#0x%x"},
	{BPF_LDX | BPF_IMM, "ldx", "#0x%x"},
	{BPF_LDX | BPF_MSH | BPF_B, "ldxb", "4*([%d]&0xf)"},
	{BPF_LD | BPF_MEM, "ld", "M[%d]"},
	{BPF_LDX | BPF_MEM, "ldx", "M[%d]"},
	{BPF_ST, "st", "M[%d]"},
	{BPF_STX, "stx", "M[%d]"},
	{BPF_JMP | BPF_JGT | BPF_K, "jgt", "#0x%x"},
	{BPF_JMP | BPF_JGE | BPF_K, "jge", "#0x%x"},
	{BPF_JMP | BPF_JEQ | BPF_K, "jeq", "#0x%x"},
	{BPF_JMP | BPF_JSET | BPF_K, "jset", "#0x%x"},
	{BPF_JMP | BPF_JGT | BPF_X, "jgt", "x"},
	{BPF_JMP | BPF_JGE | BPF_X, "jge", "x"},
	{BPF_JMP | BPF_JEQ | BPF_X, "jeq", "x"},
	{BPF_JMP | BPF_JSET | BPF_X, "jset", "x"},
	{BPF_ALU | BPF_ADD | BPF_X, "add", "x"},
	{BPF_ALU | BPF_SUB | BPF_X, "sub", "x"},
	{BPF_ALU | BPF_MUL | BPF_X, "mul", "x"},
	{BPF_ALU | BPF_DIV | BPF_X, "div", "x"},
	{BPF_ALU | BPF_MOD | BPF_X, "mod", "x"},
	{BPF_ALU | BPF_AND | BPF_X, "and", "x"},
	{BPF_ALU | BPF_OR | BPF_X, "or", "x"},
	{BPF_ALU | BPF_XOR | BPF_X, "xor", "x"},
	{BPF_ALU | BPF_LSH | BPF_X, "lsh", "x"},
	{BPF_ALU | BPF_RSH | BPF_X, "rsh", "x"},
	{BPF_ALU | BPF_ADD | BPF_K, "add", "#%d"},
	{BPF_ALU | BPF_SUB | BPF_K, "sub", "#%d"},
	{BPF_ALU | BPF_MUL | BPF_K, "mul", "#%d"},
	{BPF_ALU | BPF_DIV | BPF_K, "div", "#%d"},
	{BPF_ALU | BPF_MOD | BPF_K, "mod", "#%d"},
	{BPF_ALU | BPF_AND | BPF_K, "and", "#0x%x"},
	{BPF_ALU | BPF_OR | BPF_K, "or", "#0x%x"},
	{BPF_ALU | BPF_XOR | BPF_K, "xor", "#0x%x"},
	{BPF_ALU | BPF_LSH | BPF_K, "lsh", "#%d"},
	{BPF_ALU | BPF_RSH | BPF_K, "rsh", "#%d"},
	{BPF_ALU | BPF_NEG, "neg", ""},
	{BPF_MISC | BPF_TAX, "tax", ""},
	{BPF_MISC | BPF_TXA, "txa", ""},
};

static void image(struct sbuf *b, const struct filter_insn *p, int n)
{
	const char *op = "unimp", *fmt = "0x%x";
	uint32_t v = p->k;
	char operand[64];
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (ops[i].code == p->code) {
			op = ops[i].op;
			fmt = ops[i].fmt;
			break;
		}
	if (strcmp(op, "unimp") == 0)
		v = p->code;
	if (p->code == (BPF_JMP | BPF_JA)) {
		op = "ja";
		fmt = "%d";
		v = (uint32_t)n + 1 + p->k;
	}
	const char *anc = BPF_CLASS(p->code) == BPF_LD && BPF_MODE(p->code) == BPF_ABS
				  ? anc_name(p->k)
				  : NULL;
	if (anc)
		snprintf(operand, sizeof(operand), "[%s]", anc);
	else {
		/* FMT comes from the table above: a literal with at most one %d/%x */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		snprintf(operand, sizeof(operand), fmt, (int)v);
#pragma GCC diagnostic pop
	}
	if (BPF_CLASS(p->code) == BPF_JMP && BPF_OP(p->code) != BPF_JA)
		sb_printf(b, "(%03d) %-8s %-16s jt %d\tjf %d\n", n, op, operand, n + 1 + p->jt,
			  n + 1 + p->jf);
	else
		sb_printf(b, "(%03d) %-8s %s\n", n, op, operand);
}

char *filter_prog_dump(const struct filter_prog *prog, int level)
{
	struct sbuf b = {NULL, 0, 0, 0};
	b.s = malloc(64);
	if (!b.s)
		return NULL;
	b.cap = 64;
	b.s[0] = '\0';
	if (level > 2)
		sb_printf(&b, "%zu\n", prog->len);
	for (size_t i = 0; i < prog->len; i++) {
		const struct filter_insn *p = &prog->insns[i];
		if (level > 2)
			sb_printf(&b, "%u %u %u %u\n", p->code, p->jt, p->jf, p->k);
		else if (level > 1)
			sb_printf(&b, "{ 0x%x, %d, %d, 0x%08x },\n", p->code, p->jt, p->jf, p->k);
		else
			image(&b, p, (int)i);
	}
	if (b.err) {
		free(b.s);
		return NULL;
	}
	return b.s;
}

void filter_prog_release(struct filter_prog *prog)
{
	if (!prog)
		return;
	free(prog->insns);
	prog->insns = NULL;
	prog->len = 0;
}
