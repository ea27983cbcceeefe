/* code.c - instructions with labels, the peephole pass and label resolution;
 * see ebpf.h. */
#include "back/ebpf/ebpf.h"

#include <linux/bpf.h>
#include <stdlib.h>
#include <string.h>

int code_label(struct code *c)
{
	if (c->nl == c->lcap) {
		size_t cap = c->lcap ? 2 * c->lcap : 256;
		long *p = realloc(c->lpos, cap * sizeof(*p));
		if (!p) {
			c->err = 1;
			return 0;
		}
		c->lpos = p;
		c->lcap = cap;
	}
	c->lpos[c->nl] = -1;
	return (int)c->nl++;
}

void code_place(struct code *c, int label)
{
	if (!c->err && (size_t)label < c->nl)
		c->lpos[label] = (long)c->n;
}

static struct einsn *grow(struct code *c)
{
	if (c->err)
		return NULL;
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 512;
		struct einsn *v = realloc(c->v, cap * sizeof(*v));
		if (!v) {
			c->err = 1;
			return NULL;
		}
		c->v = v;
		c->cap = cap;
	}
	struct einsn *e = &c->v[c->n++];
	memset(e, 0, sizeof(*e));
	e->tgt = -1;
	return e;
}

void code_put(struct code *c, uint8_t op, int dst, int src, int16_t off, int32_t imm)
{
	struct einsn *e = grow(c);
	if (!e)
		return;
	e->in.code = op;
	e->in.dst_reg = (uint8_t)(dst & 0xf);
	e->in.src_reg = (uint8_t)(src & 0xf);
	e->in.off = off;
	e->in.imm = imm;
}

void code_jmp(struct code *c, uint8_t op, int dst, int src, int32_t imm, int label)
{
	code_put(c, op, dst, src, 0, imm);
	if (!c->err)
		c->v[c->n - 1].tgt = label;
}

/* ---- analysis helpers ------------------------------------------------ */

static int is_ldimm64(const struct filter_ebpf_insn *i)
{
	return i->code == (BPF_LD | BPF_DW | BPF_IMM);
}

static int is_ja(const struct filter_ebpf_insn *i)
{
	return i->code == (BPF_JMP | BPF_JA);
}

static int is_exit(const struct filter_ebpf_insn *i)
{
	return i->code == (BPF_JMP | BPF_EXIT);
}

static int is_call(const struct filter_ebpf_insn *i)
{
	return i->code == (BPF_JMP | BPF_CALL);
}

static int is_cond(const struct einsn *e)
{
	uint8_t cls = BPF_CLASS(e->in.code);
	return (cls == BPF_JMP || cls == BPF_JMP32) && e->tgt >= 0 && !is_ja(&e->in);
}

static long target(const struct code *c, size_t i)
{
	return c->lpos[c->v[i].tgt];
}

void code_remap(struct code *c, const long *map, struct einsn *v, size_t n, size_t cap)
{
	for (size_t l = 0; l < c->nl; l++)
		if (c->lpos[l] >= 0)
			c->lpos[l] = map[c->lpos[l]];
	if (c->tail_insn != SIZE_MAX)
		c->tail_insn = (size_t)map[c->tail_insn];
	if (v) {
		free(c->v);
		c->v = v;
	}
	c->n = n;
	c->cap = cap;
}

/* Delete the instructions marked in DEL; labels move to the next survivor. */
int code_compact(struct code *c, const uint8_t *del)
{
	long *map = malloc((c->n + 1) * sizeof(*map));
	if (!map)
		return -1;
	size_t n = 0;
	for (size_t i = 0; i < c->n; i++) {
		map[i] = (long)n;
		if (!del[i])
			c->v[n++] = c->v[i];
	}
	map[c->n] = (long)n;
	code_remap(c, map, NULL, n, c->cap);
	free(map);
	return 0;
}

static int invert(uint8_t code, uint8_t *out)
{
	static const uint8_t pairs[][2] = {{BPF_JEQ, BPF_JNE}, {BPF_JGT, BPF_JLE},
					   {BPF_JGE, BPF_JLT}, {BPF_JNE, BPF_JEQ},
					   {BPF_JLE, BPF_JGT}, {BPF_JLT, BPF_JGE}};
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		if (BPF_OP(code) == pairs[i][0]) {
			*out = (uint8_t)((code & ~0xf0) | pairs[i][1]);
			return 1;
		}
	return 0;
}

/* Jump threading, inverted branches over a 'goto', jumps to the next
 * instruction.  Marks deletions; returns how many changes. */
static int jumps(struct code *c, uint8_t *del, const uint8_t *labeled)
{
	int changes = 0;
	for (size_t i = 0; i < c->n; i++) {
		struct einsn *e = &c->v[i];
		if (e->tgt < 0 || del[i])
			continue;
		for (int hop = 0; hop < 8; hop++) { /* thread through 'goto' */
			long t = c->lpos[e->tgt];
			if (t < 0 || (size_t)t >= c->n || !is_ja(&c->v[t].in) ||
			    c->v[t].tgt == e->tgt)
				break;
			e->tgt = c->v[t].tgt;
			changes++;
		}
		if ((size_t)target(c, i) == i + 1) {
			del[i] = 1;
			changes++;
			continue;
		}
		uint8_t inv;
		if (is_cond(e) && i + 1 < c->n && is_ja(&c->v[i + 1].in) && !del[i + 1] &&
		    (size_t)target(c, i) == i + 2 && invert(e->in.code, &inv)) {
			if (labeled[i + 1]) /* the goto is a jump target itself */
				continue;
			e->in.code = inv;
			e->tgt = c->v[i + 1].tgt;
			del[i + 1] = 1;
			changes++;
		}
	}
	return changes;
}

/* Mark what instruction 0 cannot reach. */
static int unreachable(struct code *c, uint8_t *del)
{
	uint8_t *seen = calloc(c->n + 1, 1);
	size_t *work = malloc((c->n + 1) * sizeof(*work));
	if (!seen || !work) {
		free(seen);
		free(work);
		return -1;
	}
	size_t top = 0;
	int changes = 0;
	work[top++] = 0;
	seen[0] = 1;
	while (top) {
		size_t i = work[--top];
		if (i >= c->n)
			continue;
		const struct einsn *e = &c->v[i];
		size_t next[2];
		int nn = 0;
		if (e->tgt >= 0)
			next[nn++] = (size_t)target(c, i);
		if (!is_ja(&e->in) && !is_exit(&e->in))
			next[nn++] = i + (is_ldimm64(&e->in) ? 2 : 1);
		if (is_ldimm64(&e->in))
			seen[i + 1] = 1;
		for (int k = 0; k < nn; k++)
			if (next[k] < c->n && !seen[next[k]]) {
				seen[next[k]] = 1;
				work[top++] = next[k];
			}
	}
	for (size_t i = 0; i < c->n; i++)
		if (!seen[i] && !del[i]) {
			del[i] = 1;
			changes++;
		}
	free(seen);
	free(work);
	return changes;
}

/* Registers an instruction reads (USE) and writes (DEF), as bit masks. */
void code_use_def(const struct filter_ebpf_insn *i, uint32_t *use, uint32_t *def)
{
	uint8_t cls = BPF_CLASS(i->code), op = BPF_OP(i->code);
	uint32_t d = 1u << i->dst_reg, s = 1u << i->src_reg;
	*use = *def = 0;
	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
		*def = d;
		*use = op == BPF_MOV ? 0 : d;
		if (BPF_SRC(i->code) == BPF_X && op != BPF_NEG && op != BPF_END)
			*use |= s;
		break;
	case BPF_LDX: *use = s, *def = d; break;
	case BPF_STX: *use = s | d; break;
	case BPF_ST: *use = d; break;
	case BPF_LD: *def = d; break;
	case BPF_JMP:
	case BPF_JMP32:
		if (is_call(i)) {
			*use = 0x3e;
			*def = 0x3f;
		} else if (is_exit(i)) {
			*use = 1;
		} else if (!is_ja(i)) {
			*use = d | (BPF_SRC(i->code) == BPF_X ? s : 0);
		}
		break;
	}
}

void code_liveness(const struct code *c, const uint8_t *del, uint32_t *in)
{
	for (int changed = 1, rounds = 0; changed && rounds < 64; rounds++) {
		changed = 0;
		for (size_t j = c->n; j-- > 0;) {
			const struct einsn *e = &c->v[j];
			uint32_t use, def, out = 0;
			code_use_def(&e->in, &use, &def);
			if (e->tgt >= 0)
				out |= in[target(c, j)];
			if (!is_ja(&e->in) && !is_exit(&e->in))
				out |= in[j + (is_ldimm64(&e->in) ? 2 : 1)];
			uint32_t v = use | (out & ~def);
			if (del && del[j])
				v = out;
			if (v != in[j]) {
				in[j] = v;
				changed = 1;
			}
		}
	}
}

/* Remove register writes that nothing reads (side-effect free ones). */
static int dead_writes(struct code *c, uint8_t *del)
{
	uint32_t *in = calloc(c->n + 2, sizeof(*in));
	if (!in)
		return -1;
	code_liveness(c, del, in);
	int changes = 0;
	for (size_t j = 0; j < c->n; j++) {
		const struct einsn *e = &c->v[j];
		uint8_t cls = BPF_CLASS(e->in.code);
		if (del[j] || (cls != BPF_ALU && cls != BPF_ALU64 && cls != BPF_LDX))
			continue;
		uint32_t use, def, out = 0;
		code_use_def(&e->in, &use, &def);
		if (e->tgt < 0 && j + 1 < c->n)
			out = in[j + 1];
		if (e->in.dst_reg != 10 && !(out & def)) {
			del[j] = 1;
			changes++;
		}
	}
	free(in);
	return changes;
}

static int far(const struct code *c, size_t i)
{
	long off = target(c, i) - (long)(i + 1);
	return off < -32000 || off > 32000; /* margin for the insertions */
}

/* Jumps beyond a 16-bit offset: 'goto' becomes 'gotol' (32-bit offset,
 * kernel 6.4); a conditional jump to far away T becomes 'if !cond goto +1;
 * gotol T' ('if cond goto +1; goto +1; gotol T' for JSET). */
static int far_jumps(struct code *c)
{
	for (int round = 0; round < 8; round++) {
		size_t extra = 0;
		for (size_t i = 0; i < c->n; i++)
			if (c->v[i].tgt >= 0 && far(c, i) && !is_ja(&c->v[i].in) &&
			    c->v[i].in.code != (BPF_JMP32 | BPF_JA))
				extra += 2;
		for (size_t i = 0; i < c->n; i++)
			if (c->v[i].tgt >= 0 && is_ja(&c->v[i].in) && far(c, i))
				c->v[i].in.code = BPF_JMP32 | BPF_JA;
		if (!extra)
			return 0;
		struct einsn *v = malloc((c->n + extra) * sizeof(*v));
		long *map = malloc((c->n + 1) * sizeof(*map));
		if (!v || !map) {
			free(v);
			free(map);
			return -1;
		}
		size_t n = 0;
		for (size_t i = 0; i < c->n; i++) {
			struct einsn e = c->v[i];
			map[i] = (long)n;
			if (e.tgt < 0 || !far(c, i) || is_ja(&e.in) ||
			    e.in.code == (BPF_JMP32 | BPF_JA)) {
				v[n++] = e;
				continue;
			}
			int t = e.tgt, skip = code_label(c), after = code_label(c);
			uint8_t inv;
			if (c->err) {
				free(v);
				free(map);
				return -1;
			}
			if (invert(e.in.code, &inv)) {
				e.in.code = inv;
				e.tgt = skip; /* placed after the gotol */
				v[n++] = e;
			} else {
				e.tgt = after; /* the gotol */
				v[n++] = e;
				v[n++] = (struct einsn){{BPF_JMP | BPF_JA, 0, 0, 0, 0}, skip};
			}
			c->lpos[after] = -2 - (long)n; /* fixed below: new index n */
			v[n++] = (struct einsn){{BPF_JMP32 | BPF_JA, 0, 0, 0, 0}, t};
			c->lpos[skip] = -2 - (long)n;
		}
		map[c->n] = (long)n;
		code_remap(c, map, v, n, n + extra);
		free(map);
		for (size_t l = 0; l < c->nl; l++) /* the labels placed above */
			if (c->lpos[l] <= -2)
				c->lpos[l] = -2 - c->lpos[l];
	}
	return -1;
}

static int cleanup(struct code *c, int optimize)
{
	for (int round = 0; round < 16; round++) {
		int changes = 0;
		for (int pass = 0; pass < 3; pass++) {
			if (pass == 2 && !optimize)
				break;
			uint8_t *del = calloc(c->n + 1, 1);
			uint8_t *lab = calloc(c->n + 1, 1);
			int ch = -1;
			if (del && lab) {
				for (size_t l = 0; l < c->nl; l++)
					if (c->lpos[l] >= 0)
						lab[c->lpos[l]] = 1;
				ch = pass == 0	 ? jumps(c, del, lab)
				     : pass == 1 ? unreachable(c, del)
						 : dead_writes(c, del);
			}
			free(lab);
			if (ch < 0 || code_compact(c, del) < 0) {
				free(del);
				return -1;
			}
			free(del);
			changes += ch;
		}
		if (!changes)
			break;
	}
	return 0;
}

int code_finish(struct code *c, int optimize, struct filter_ebpf_prog *out)
{
	if (c->err)
		return -1;
	for (size_t l = 0; l < c->nl; l++)
		if (c->lpos[l] >= (long)c->n)
			return -1; /* a label after the last instruction: a backend bug */
	if (cleanup(c, optimize) < 0)
		return -1;
	if (optimize) {
		int f = code_fold_returns(c);
		if (f < 0 || (f > 0 && cleanup(c, optimize) < 0))
			return -1;
		for (int round = 0; round < 4 && f > 0; round++)
			if ((f = code_tidy_returns(c)) < 0 || (f > 0 && cleanup(c, optimize) < 0))
				return -1;
	}
	if (far_jumps(c) < 0)
		return -1;
	out->insns = malloc((c->n ? c->n : 1) * sizeof(*out->insns));
	if (!out->insns)
		return -1;
	for (size_t i = 0; i < c->n; i++) {
		out->insns[i] = c->v[i].in;
		if (c->v[i].tgt >= 0) {
			long off = target(c, i) - (long)(i + 1);
			if (c->v[i].in.code == (BPF_JMP32 | BPF_JA)) {
				out->insns[i].imm = (int32_t)off;
			} else if (off < -32768 || off > 32767) {
				free(out->insns);
				out->insns = NULL;
				return -1;
			} else {
				out->insns[i].off = (int16_t)off;
			}
		}
	}
	out->len = c->n;
	out->prog_array_insn = c->tail_insn;
	return 0;
}
