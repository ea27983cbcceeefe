/* layout.c - offsets and trampolines; see layout.h. */
#include "back/cbpf/layout.h"

#include <linux/filter.h>
#include <stdlib.h>

/* How one side of a conditional jump reaches its target. */
struct reach {
	uint8_t own;  /* it has a trampoline of its own, right after it */
	uint32_t via; /* else, if not NONE: borrows the trampoline of (via, side) */
	uint8_t via_side;
};

#define NONE UINT32_MAX

struct lay {
	const struct linsn *code;
	size_t n;
	const size_t *first;
	struct reach (*r)[2];
	size_t *pos;
	uint8_t *gone;
	uint32_t *last; /* per target block: the nearest own trampoline seen (index*2+side) */
};

static size_t tramp_pos(const struct lay *l, size_t j, int s)
{
	return l->pos[j] + (l->gone[j] ? 0 : 1) + (s ? l->r[j][0].own : 0);
}

static size_t target_pos(const struct lay *l, size_t i, int s)
{
	return l->pos[l->first[l->code[i].tblk[s]]];
}

static void positions(struct lay *l)
{
	size_t p = 0;
	for (size_t i = 0; i < l->n; i++) {
		l->pos[i] = p;
		p += (l->gone[i] ? 0u : 1u) + l->r[i][0].own + l->r[i][1].own;
	}
	l->pos[l->n] = p;
}

/* One pass from the end: each far jump borrows the nearest trampoline to
 * its target ahead of it, or gets its own.  Returns whether any jump got a
 * trampoline of its own (positions then change: run again). */
static int assign(struct lay *l, size_t nblocks)
{
	int changed = 0;
	for (size_t b = 0; b < nblocks; b++)
		l->last[b] = NONE;
	for (size_t i = l->n; i-- > 0;) {
		if (l->code[i].is_jmp != 1)
			continue;
		for (int s = 1; s >= 0; s--) { /* jf's trampoline comes after jt's */
			uint32_t t = l->code[i].tblk[s];
			struct reach *r = &l->r[i][s];
			r->via = NONE;
			if (!r->own && target_pos(l, i, s) - l->pos[i] - 1 <= 255)
				continue;
			uint32_t c = l->last[t];
			if (!r->own && c != NONE &&
			    tramp_pos(l, c / 2, (int)(c % 2)) - l->pos[i] - 1 <= 255) {
				r->via = c / 2;
				r->via_side = (uint8_t)(c % 2);
				continue;
			}
			if (!r->own)
				changed = r->own = 1;
		}
		for (int s = 0; s < 2; s++)
			if (l->r[i][s].own)
				l->last[l->code[i].tblk[s]] = (uint32_t)(2 * i + (size_t)s);
	}
	return changed;
}

static uint8_t offset(const struct lay *l, size_t i, int s)
{
	const struct reach *r = &l->r[i][s];
	size_t to = r->own	     ? tramp_pos(l, i, s)
		    : r->via != NONE ? tramp_pos(l, r->via, r->via_side)
				     : target_pos(l, i, s);
	return (uint8_t)(to - l->pos[i] - 1);
}

static void emit(const struct lay *l, struct filter_insn *out)
{
	for (size_t i = 0; i < l->n; i++) {
		if (l->gone[i])
			continue;
		struct filter_insn in = l->code[i].in;
		size_t p = l->pos[i];
		if (l->code[i].is_jmp == 2)
			in.k = (uint32_t)(target_pos(l, i, 0) - p - 1);
		if (l->code[i].is_jmp == 1) {
			in.jt = offset(l, i, 0);
			in.jf = offset(l, i, 1);
			for (int s = 0; s < 2; s++)
				if (l->r[i][s].own) {
					size_t q = tramp_pos(l, i, s);
					out[q] = (struct filter_insn){
						BPF_JMP | BPF_JA, 0, 0,
						(uint32_t)(target_pos(l, i, s) - q - 1)};
				}
		}
		out[p] = in;
	}
}

int layout_resolve(const struct linsn *code, size_t n, const size_t *first, struct filter_prog *out)
{
	size_t nblocks = 0;
	for (size_t i = 0; i < n; i++)
		for (int s = 0; s < 2; s++)
			if (code[i].tblk[s] != NOTARGET && code[i].tblk[s] + 1 > nblocks)
				nblocks = code[i].tblk[s] + 1;
	struct lay l = {code,
			n,
			first,
			calloc(n + 1, sizeof(*l.r)),
			calloc(n + 1, sizeof(size_t)),
			calloc(n + 1, 1),
			malloc((nblocks + 1) * sizeof(uint32_t))};
	int rc = -1;
	out->len = 0;
	out->insns = NULL;
	if (!l.r || !l.pos || !l.gone || !l.last)
		goto done;
	for (size_t i = 0; i < n; i++)
		l.gone[i] = code[i].is_jmp == 2 && first[code[i].tblk[0]] == i + 1;
	do
		positions(&l);
	while (assign(&l, nblocks));
	positions(&l);
	out->len = l.pos[n];
	out->insns = calloc(out->len ? out->len : 1, sizeof(*out->insns));
	if (!out->insns)
		goto done;
	emit(&l, out->insns);
	rc = 0;
done:
	free(l.r);
	free(l.pos);
	free(l.gone);
	free(l.last);
	return rc;
}
