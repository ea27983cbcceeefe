/* ret.c - returns folded into the jumps that lead to them (code_finish's
 * last peephole step; see ebpf.h).
 *
 * The x86 JIT emits one epilogue, at the first 'exit' of the program, and
 * makes every other 'exit' a jump to it.  So a conditional jump to a return
 * block ('r0 = K; exit') costs two taken jumps, and 'goto' to one two as
 * well.  Instead, where the jump's test does not read r0 and the path that
 * falls through writes r0 before reading it, 'r0 = K' moves in front of the
 * jump, which then goes straight to the last 'exit'; a 'goto' to a return
 * block becomes 'r0 = K; goto' that exit, and so does every other 'exit',
 * so that the program has one, at its end.  Then a 'r0 = K' where r0 is
 * known to be K already goes away. */
#include "back/ebpf/ebpf.h"

#include <linux/bpf.h>
#include <stdlib.h>
#include <string.h>

static int is_ret_block(const struct code *c, long t)
{
	return t >= 0 && (size_t)t + 1 < c->n && c->v[t].in.code == (BPF_ALU64 | BPF_MOV | BPF_K) &&
	       c->v[t].in.dst_reg == 0 && c->v[t + 1].in.code == (BPF_JMP | BPF_EXIT);
}

/* What folding does to instruction I: 0 nothing, 1 'r0 = K' goes in front
 * and the jump to the last exit, 2 'goto' becomes 'r0 = K; exit'. */
static int fold_kind(const struct code *c, size_t i, const uint32_t *live)
{
	const struct einsn *e = &c->v[i];
	if (e->tgt < 0 || !is_ret_block(c, c->lpos[e->tgt]))
		return 0;
	if (e->in.code == (BPF_JMP | BPF_JA))
		return 2;
	uint32_t use, def;
	code_use_def(&e->in, &use, &def);
	if (use & 1 || i + 1 >= c->n || (live[i + 1] & 1))
		return 0;
	return 1;
}

static int fold(struct code *c, const uint32_t *live, int last_exit)
{
	size_t extra = 0;
	for (size_t i = 0; i < c->n; i++)
		extra += fold_kind(c, i, live) != 0;
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
		int k = fold_kind(c, i, live);
		map[i] = (long)n; /* jumps to I now run the inserted 'r0 = K' too */
		if (!k) {
			v[n++] = e;
			continue;
		}
		struct einsn mov = c->v[c->lpos[e.tgt]];
		mov.tgt = -1;
		v[n++] = mov;
		if (k == 1) {
			e.tgt = last_exit;
			v[n++] = e;
		} else {
			v[n++] = (struct einsn){{BPF_JMP | BPF_JA, 0, 0, 0, 0}, last_exit};
		}
	}
	map[c->n] = (long)n;
	code_remap(c, map, v, n, n);
	free(map);
	return 1;
}

/* Drop 'r0 = K' where straight-line code has set r0 to K already, and an
 * 'exit' right before another. */
static void known_r0(struct code *c, uint8_t *del, const uint8_t *labeled)
{
	int known = 0;
	int32_t k = 0;
	for (size_t i = 0; i < c->n; i++) {
		const struct filter_ebpf_insn *in = &c->v[i].in;
		if (labeled[i])
			known = 0;
		if (in->code == (BPF_ALU64 | BPF_MOV | BPF_K) && in->dst_reg == 0) {
			if (known && k == in->imm)
				del[i] = 1;
			known = 1, k = in->imm;
			continue;
		}
		if (in->code == (BPF_JMP | BPF_EXIT) && i + 1 < c->n && !labeled[i] &&
		    c->v[i + 1].in.code == (BPF_JMP | BPF_EXIT))
			del[i] = 1; /* falls into the same exit */
		uint32_t use, def;
		code_use_def(in, &use, &def);
		if ((def & 1) || in->code == (BPF_JMP | BPF_EXIT) ||
		    in->code == (BPF_JMP | BPF_JA) || in->code == (BPF_LD | BPF_DW | BPF_IMM))
			known = 0;
	}
}

int code_fold_returns(struct code *c)
{
	if (c->n < 2 || c->v[c->n - 1].in.code != (BPF_JMP | BPF_EXIT))
		return 0;
	int last_exit = code_label(c);
	uint32_t *live = calloc(c->n + 2, sizeof(*live));
	if (c->err || !live) {
		free(live);
		return -1;
	}
	c->lpos[last_exit] = (long)c->n - 1;
	code_liveness(c, NULL, live);
	int rc = fold(c, live, last_exit);
	free(live);
	/* the JIT puts the epilogue at the first 'exit' and makes the others
	 * jumps to it: one 'exit', at the end, where the paths fall through */
	for (size_t i = 0; rc >= 0 && i + 1 < c->n; i++)
		if (c->v[i].in.code == (BPF_JMP | BPF_EXIT)) {
			c->v[i].in.code = BPF_JMP | BPF_JA;
			c->v[i].tgt = last_exit;
			rc = 1;
		}
	return rc;
}

int code_tidy_returns(struct code *c)
{
	uint8_t *del = calloc(c->n + 1, 1), *lab = calloc(c->n + 1, 1);
	if (!del || !lab) {
		free(del);
		free(lab);
		return -1;
	}
	for (size_t i = 0; i < c->n; i++) /* the jump targets */
		if (c->v[i].tgt >= 0 && c->lpos[c->v[i].tgt] >= 0)
			lab[c->lpos[c->v[i].tgt]] = 1;
	known_r0(c, del, lab);
	int changes = 0;
	for (size_t i = 0; i < c->n; i++)
		changes += del[i];
	int rc = code_compact(c, del);
	free(del);
	free(lab);
	return rc < 0 ? -1 : changes > 0;
}
