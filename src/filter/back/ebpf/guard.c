/* guard.c - guaranteed extents: how far into the packet every accepting
 * path from a block reads; see ebpf.h. */
#include "back/ebpf/ebpf.h"

static uint32_t max_u32(uint32_t a, uint32_t b)
{
	return a > b ? a : b;
}

/* The furthest physical byte (+1) the absolute loads of V read. */
static uint32_t reach(struct em *e, const struct ir_val *v)
{
	if (!v || e->stamp[v->id] == e->cur)
		return 0;
	e->stamp[v->id] = e->cur;
	uint32_t r = max_u32(reach(e, v->a), reach(e, v->b));
	if ((v->kind == IR_V_LOAD && !v->a) || v->kind == IR_V_MSH) {
		uint8_t size = v->kind == IR_V_MSH ? 1 : v->size;
		int32_t phys;
		int m = hook_map(e, v->k, size, 0, &phys);
		if (m == 0)
			r = max_u32(r, (uint32_t)phys + size);
		else if (m == 2) /* byte by byte: the last byte decides */
			for (uint8_t i = 0; i < size; i++)
				if (hook_map(e, v->k + i, 1, 0, &phys) == 0)
					r = max_u32(r, (uint32_t)phys + 1);
	}
	return r;
}

/* The extent the block itself reads on every path through it. */
static uint32_t own(struct em *e, const struct ir_block *b)
{
	e->cur++;
	uint32_t r = 0;
	for (const struct ir_stmt *s = b->stmts; s; s = s->next)
		r = max_u32(r, reach(e, s->v));
	if (b->op != IR_RET && !(b->lhs->kind == IR_V_CONST && !b->rhs))
		r = max_u32(r, max_u32(reach(e, b->lhs), reach(e, b->rhs)));
	return r;
}

static int faults(const struct ir_block *b)
{
	for (const struct ir_stmt *s = b->stmts; s; s = s->next)
		if (s->v->faults)
			return 1;
	return (b->lhs && b->lhs->faults) || (b->rhs && b->rhs->faults);
}

void guard_extents(struct em *e, struct ir_block *const *list, size_t n, uint32_t *g)
{
	for (size_t i = n; i-- > 0;) {
		const struct ir_block *b = list[i];
		uint32_t *out = &g[b->id];
		if (b->op == IR_RET) {
			*out = b->k ? 0 : GUARD_NONE;
			continue;
		}
		if (faults(b)) {
			*out = GUARD_NONE;
			continue;
		}
		uint32_t t = g[b->succ[1]->id], f = g[b->succ[0]->id], m;
		if (!b->rhs && b->lhs->kind == IR_V_CONST)
			m = ir_test_const(b->op, b->lhs->k, b->k) ? t : f;
		else
			m = t < f ? t : f;
		*out = m == GUARD_NONE ? GUARD_NONE : max_u32(own(e, b), m);
	}
}
