/* regs.c - the register cache: which IR value each pool register and spill
 * slot holds, allocation with eviction (spilling values still wanted to
 * 8-byte stack slots, which keep the verifier's bounds), and the meet of
 * two states where paths join.  See ebpf.h. */
#include "back/ebpf/ebpf.h"

#include <linux/bpf.h>

static int same(const struct loc *a, const struct loc *b)
{
	return a->v == b->v && a->raw == b->raw && a->ptr == b->ptr &&
	       (!a->ptr || (a->ext == b->ext && a->need == b->need));
}

void reg_meet(struct state *into, const struct state *from)
{
	for (int r = 0; r < 11; r++)
		if (!same(&into->reg[r], &from->reg[r]))
			into->reg[r].v = NULL;
	for (int i = 0; i < NSPILL; i++)
		if (!same(&into->spill[i], &from->spill[i]))
			into->spill[i].v = NULL;
	if (from->checked < into->checked)
		into->checked = from->checked;
}

int reg_find(const struct em *e, const struct ir_val *v)
{
	for (int i = 0; i < e->npool; i++)
		if (e->s.reg[e->pool[i]].v == v && !e->s.reg[e->pool[i]].ptr)
			return e->pool[i];
	return -1;
}

int reg_cached(const struct em *e, const struct ir_val *v)
{
	if (reg_find(e, v) >= 0)
		return 1;
	for (int i = 0; i < NSPILL; i++)
		if (e->s.spill[i].v == v)
			return 1;
	return 0;
}

void reg_set(struct em *e, int r, const struct ir_val *v, uint8_t raw)
{
	e->s.reg[r] = (struct loc){.v = v, .raw = raw, .lru = ++e->tick};
}

void reg_forget(struct em *e, int r)
{
	e->s.reg[r].v = NULL;
}

void reg_pin(struct em *e, int r)
{
	e->pinned |= 1u << r;
}

void reg_unpin(struct em *e, int r)
{
	e->pinned &= ~(1u << r);
}

static int wanted(const struct em *e, const struct loc *l)
{
	return !l->ptr && e->uses[l->v->id] > 0;
}

/* A spill slot for a value still wanted: a free one, else one whose value
 * nothing wants, else the least recently used. */
static int spill_slot(struct em *e)
{
	int best = 0;
	for (int i = 0; i < NSPILL; i++) {
		const struct loc *l = &e->s.spill[i];
		if (!l->v || !wanted(e, l))
			return i;
		if (l->lru < e->s.spill[best].lru)
			best = i;
	}
	return best;
}

static void evict(struct em *e, int r)
{
	struct loc *l = &e->s.reg[r];
	if (l->v && wanted(e, l)) {
		int i = spill_slot(e);
		code_put(&e->c, OP(BPF_STX, BPF_MEM, BPF_DW), 10, r, (int16_t)(STK_SPILL - 8 * i),
			 0);
		e->s.spill[i] = *l;
	}
	l->v = NULL;
}

static int callee_saved(int r)
{
	return r >= 6 && r <= 9;
}

/* What taking R costs: 0 free, 1 it holds a value not wanted again (or a
 * checked pointer) or it is r0, 2 either but a callee-saved register not yet written
 * (the JIT saves and restores it), 3 a value still wanted (a spill). */
static int alloc_cost(const struct em *e, int r)
{
	const struct loc *l = &e->s.reg[r];
	if (l->v && wanted(e, l))
		return 3;
	if (callee_saved(r) && !(e->callee_used & (1u << r)))
		return 2;
	/* r0 is worth keeping free: ret.c sets it in front of a jump */
	return l->v != NULL || r == 0;
}

int reg_alloc(struct em *e)
{
	int best = -1, bc = 4;
	for (int i = 0; i < e->npool; i++) {
		int r = e->pool[i];
		if (e->pinned & (1u << r))
			continue;
		int c = alloc_cost(e, r);
		if (c < bc || (c == bc && c == 3 && e->s.reg[r].lru < e->s.reg[best].lru)) {
			best = r;
			bc = c;
		}
	}
	if (best < 0) {
		e->err = diag_set(e->d, FILTER_ERR_LIMIT, 0, 0,
				  "the expression needs more registers at once than eBPF has");
		return 0;
	}
	evict(e, best);
	if (callee_saved(best))
		e->callee_used |= 1u << best;
	return best;
}

int reg_unspill(struct em *e, const struct ir_val *v)
{
	for (int i = 0; i < NSPILL; i++) {
		struct loc *l = &e->s.spill[i];
		if (l->v != v)
			continue;
		struct loc keep = *l;
		l->v = NULL;
		int r = reg_alloc(e);
		code_put(&e->c, OP(BPF_LDX, BPF_MEM, BPF_DW), r, 10, (int16_t)(STK_SPILL - 8 * i),
			 0);
		reg_set(e, r, v, keep.raw);
		return r;
	}
	return -1;
}

void reg_invalidate_slot(struct em *e, uint32_t slot)
{
	uint32_t bit = 1u << slot;
	for (int r = 0; r < 11; r++)
		if (e->s.reg[r].v && (e->s.reg[r].v->uses_mem & bit))
			e->s.reg[r].v = NULL;
	for (int i = 0; i < NSPILL; i++)
		if (e->s.spill[i].v && (e->s.spill[i].v->uses_mem & bit))
			e->s.spill[i].v = NULL;
}
