/* ir.c - value hash-consing and block construction; see ir.h. */
#include "ir/ir.h"

#include <stdlib.h>
#include <string.h>

enum { HSIZE = 256 }; /* grows with the number of values */

int ir_init(struct ir *ir, struct arena *a, uint32_t snaplen)
{
	memset(ir, 0, sizeof(*ir));
	ir->a = a;
	ir->hsize = HSIZE;
	ir->htab = arena_alloc(a, HSIZE * sizeof(*ir->htab));
	if (!ir->htab)
		return -1;
	ir->accept = ir_block_new(ir, IR_RET, NULL, NULL, snaplen);
	ir->reject = ir_block_new(ir, IR_RET, NULL, NULL, 0);
	return ir->accept && ir->reject ? 0 : -1;
}

uint32_t ir_op_apply(enum ir_op op, uint32_t a, uint32_t b)
{
	switch (op) {
	case IR_ADD: return a + b;
	case IR_SUB: return a - b;
	case IR_MUL: return a * b;
	case IR_DIV: return b ? a / b : 0;
	case IR_MOD: return b ? a % b : 0;
	case IR_AND: return a & b;
	case IR_OR: return a | b;
	case IR_XOR: return a ^ b;
	case IR_LSH: return b < 32 ? a << b : 0;
	case IR_RSH: return b < 32 ? a >> b : 0;
	}
	return 0;
}

int ir_test_const(enum ir_test op, uint32_t a, uint32_t b)
{
	switch (op) {
	case IR_JEQ: return a == b;
	case IR_JGT: return a > b;
	case IR_JGE: return a >= b;
	case IR_JSET: return (a & b) != 0;
	case IR_RET: return 0;
	}
	return 0;
}

static uint32_t hash(enum ir_vkind kind, enum ir_op op, uint8_t size, uint32_t k,
		     const struct ir_val *a, const struct ir_val *b)
{
	uint64_t h = (uint64_t)kind * 0x9e3779b97f4a7c15ull;
	h ^= ((uint64_t)op << 8 | size) + (h << 6) + (h >> 2);
	h ^= k + 0x7f4a7c15u + (h << 6) + (h >> 2);
	h ^= (a ? a->id + 1 : 0) + (h << 6) + (h >> 2);
	h ^= (b ? b->id + 1 : 0) * 0x85ebca6bu + (h << 6) + (h >> 2);
	return (uint32_t)(h ^ (h >> 29));
}

/* Double the table when it holds more values than buckets. */
static void grow(struct ir *ir)
{
	uint32_t size = ir->hsize * 2;
	struct ir_val **t = arena_alloc(ir->a, size * sizeof(*t));
	if (!t)
		return; /* keep the old table: slower, still correct */
	for (uint32_t i = 0; i < ir->hsize; i++)
		for (struct ir_val *v = ir->htab[i], *next; v; v = next) {
			next = v->hnext;
			uint32_t h = hash(v->kind, v->op, v->size, v->k, v->a, v->b) % size;
			v->hnext = t[h];
			t[h] = v;
		}
	ir->htab = t;
	ir->hsize = size;
}

static const struct ir_val *intern(struct ir *ir, enum ir_vkind kind, enum ir_op op, uint8_t size,
				   uint32_t k, const struct ir_val *a, const struct ir_val *b)
{
	uint32_t h = hash(kind, op, size, k, a, b) % ir->hsize;
	for (struct ir_val *v = ir->htab[h]; v; v = v->hnext)
		if (v->kind == kind && v->op == op && v->size == size && v->k == k && v->a == a &&
		    v->b == b)
			return v;
	if (ir->nvals >= ir->hsize) {
		grow(ir);
		h = hash(kind, op, size, k, a, b) % ir->hsize;
	}
	struct ir_val *v = arena_alloc(ir->a, sizeof(*v));
	if (!v)
		return NULL;
	v->kind = kind;
	v->op = op;
	v->size = size;
	v->k = k;
	v->a = a;
	v->b = b;
	v->id = ir->nvals++;
	uint32_t da = a ? a->depth + 1 : 0, db = b ? b->depth + 1 : 0;
	v->depth = da > db ? da : db;
	v->may_fault = (a && a->may_fault) || (b && b->may_fault) || kind == IR_V_LOAD ||
		       kind == IR_V_MSH || kind == IR_V_FAULT || kind == IR_V_ANC ||
		       (kind == IR_V_BIN && (op == IR_DIV || op == IR_MOD) &&
			!(b && b->kind == IR_V_CONST));
	v->faults = kind == IR_V_FAULT || (a && a->faults) || (b && b->faults);
	v->uses_mem = (a ? a->uses_mem : 0) | (b ? b->uses_mem : 0) |
		      (kind == IR_V_MEM ? 1u << (k & 31) : 0);
	v->hnext = ir->htab[h];
	ir->htab[h] = v;
	return v;
}

const struct ir_val *ir_const(struct ir *ir, uint32_t k)
{
	return intern(ir, IR_V_CONST, IR_ADD, 0, k, NULL, NULL);
}

const struct ir_val *ir_len(struct ir *ir)
{
	return intern(ir, IR_V_LEN, IR_ADD, 0, 0, NULL, NULL);
}

const struct ir_val *ir_fault(struct ir *ir)
{
	return intern(ir, IR_V_FAULT, IR_ADD, 0, 0, NULL, NULL);
}

/* Absolute loads at or above 2^31 can never be in bounds (and the kernel
 * reads offsets there as ancillary data), so they are faults. */
const struct ir_val *ir_load(struct ir *ir, uint8_t size, const struct ir_val *index, uint32_t k)
{
	if (!index && (uint64_t)k + size > 0x80000000u)
		return ir_fault(ir);
	if (index && index->kind == IR_V_CONST && (uint64_t)index->k + k + size <= 0x80000000u)
		return ir_load(ir, size, NULL, index->k + k);
	/* [(x + c) + k] is [x + (c + k)]: the same bounds check */
	if (index && index->kind == IR_V_BIN && index->op == IR_ADD &&
	    index->b->kind == IR_V_CONST && (uint64_t)index->b->k + k + size <= 0x80000000u)
		return ir_load(ir, size, index->a, index->b->k + k);
	return intern(ir, IR_V_LOAD, IR_ADD, size, k, index, NULL);
}

const struct ir_val *ir_msh(struct ir *ir, uint32_t k)
{
	if ((uint64_t)k + 1 > 0x80000000u)
		return ir_fault(ir);
	return intern(ir, IR_V_MSH, IR_ADD, 0, k, NULL, NULL);
}

const struct ir_val *ir_anc(struct ir *ir, uint8_t size, uint32_t k)
{
	return intern(ir, IR_V_ANC, IR_ADD, size, k, NULL, NULL);
}

const struct ir_val *ir_mem(struct ir *ir, uint32_t slot)
{
	return intern(ir, IR_V_MEM, IR_ADD, 0, slot, NULL, NULL);
}

int ir_read_faults(const struct ir_val *v)
{
	if (!v || !v->may_fault)
		return 1;
	switch (v->kind) {
	case IR_V_MSH: return 1;
	case IR_V_LOAD: return !v->a || v->a->kind == IR_V_MSH;
	case IR_V_NEG: return ir_read_faults(v->a);
	case IR_V_BIN:
		if ((v->op == IR_DIV || v->op == IR_MOD) &&
		    !(v->b->kind == IR_V_CONST && v->b->k != 0))
			return 0;
		return ir_read_faults(v->a) && ir_read_faults(v->b);
	default: return 0;
	}
}

/* Would folding away A lose a possible fault? */
static int droppable(const struct ir_val *a)
{
	return !a->may_fault && !a->uses_mem;
}

const struct ir_val *ir_bin(struct ir *ir, enum ir_op op, const struct ir_val *a,
			    const struct ir_val *b)
{
	if (!a || !b)
		return NULL;
	if (a->kind == IR_V_CONST && b->kind == IR_V_CONST &&
	    !((op == IR_DIV || op == IR_MOD) && b->k == 0))
		return ir_const(ir, ir_op_apply(op, a->k, b->k));
	/* constants go on the right of commutative operations (one spelling) */
	if (a->kind == IR_V_CONST &&
	    (op == IR_ADD || op == IR_MUL || op == IR_AND || op == IR_OR || op == IR_XOR)) {
		const struct ir_val *t = a;
		a = b;
		b = t;
	}
	/* (x + c1) + c2 is x + (c1 + c2) */
	if (op == IR_ADD && b->kind == IR_V_CONST && a->kind == IR_V_BIN && a->op == IR_ADD &&
	    a->b->kind == IR_V_CONST)
		return ir_bin(ir, IR_ADD, a->a, ir_const(ir, a->b->k + b->k));
	if (b->kind == IR_V_CONST) {
		uint32_t k = b->k;
		int ident = (k == 0 && (op == IR_ADD || op == IR_SUB || op == IR_OR ||
					op == IR_XOR || op == IR_LSH || op == IR_RSH)) ||
			    (k == 1 && (op == IR_MUL || op == IR_DIV)) ||
			    (k == 0xffffffffu && op == IR_AND);
		if (ident)
			return a;
		if (k == 0 && (op == IR_MUL || op == IR_AND) && droppable(a))
			return b;
		/* masking a load with all of its bits */
		if (op == IR_AND && a->kind == IR_V_LOAD && a->size < 4 &&
		    (k | ~((1u << (8 * a->size)) - 1)) == 0xffffffffu)
			return a;
	}
	return intern(ir, IR_V_BIN, op, 0, 0, a, b);
}

const struct ir_val *ir_neg(struct ir *ir, const struct ir_val *a)
{
	if (!a)
		return NULL;
	if (a->kind == IR_V_CONST)
		return ir_const(ir, 0u - a->k);
	return intern(ir, IR_V_NEG, IR_ADD, 0, 0, a, NULL);
}

struct ir_block *ir_block_new(struct ir *ir, enum ir_test op, const struct ir_val *lhs,
			      const struct ir_val *rhs, uint32_t k)
{
	struct ir_block *b = arena_alloc(ir->a, sizeof(*b));
	if (!b)
		return NULL;
	b->id = ir->nblocks++;
	b->op = op;
	b->lhs = lhs;
	b->rhs = rhs;
	b->k = k;
	return b;
}

struct ir_block *ir_block_stores(struct ir *ir)
{
	const struct ir_val *zero = ir_const(ir, 0);
	struct ir_block *b = zero ? ir_block_new(ir, IR_JEQ, zero, NULL, 0) : NULL;
	if (b)
		b->succ[0] = ir->reject;
	return b;
}

int ir_slot_alloc(struct ir *ir, int zero)
{
	if (ir->nslots >= IR_GEN_SLOTS)
		return -1;
	if (zero)
		ir->zero_slots |= 1u << ir->nslots;
	return (int)ir->nslots++;
}

int ir_block_store(struct ir *ir, struct ir_block *b, uint32_t slot, const struct ir_val *v)
{
	struct ir_stmt *s = arena_alloc(ir->a, sizeof(*s));
	if (!s)
		return -1;
	s->slot = slot;
	s->v = v;
	struct ir_stmt **pp = &b->stmts;
	while (*pp)
		pp = &(*pp)->next;
	*pp = s;
	return 0;
}

size_t ir_order(const struct ir *ir, struct ir_block **list)
{
	return ir_order_side(ir, list, 1);
}

size_t ir_order_side(const struct ir *ir, struct ir_block **list, int side)
{
	size_t nb = ir->nblocks, n = 0, sp = 0;
	/* a block is pushed once per edge into it at most */
	struct ir_block **stack = malloc((2 * nb + 1) * sizeof(*stack));
	uint8_t *state = calloc(nb, 1); /* 0 new, 1 open, 2 done */
	if (!stack || !state) {
		free(stack);
		free(state);
		return 0;
	}
	stack[sp++] = ir->root;
	while (sp) {
		struct ir_block *b = stack[sp - 1];
		if (state[b->id] == 0) {
			state[b->id] = 1;
			/* side SIDE is explored first, so the other side comes
			 * first in the order */
			for (int i = 0; i < 2; i++) {
				int s = i ? !side : side;
				if (b->op != IR_RET && state[b->succ[s]->id] == 0)
					stack[sp++] = b->succ[s];
			}
			continue;
		}
		sp--;
		if (state[b->id] == 1) {
			state[b->id] = 2;
			list[n++] = b;
		}
	}
	for (size_t i = 0; i < n / 2; i++) {
		struct ir_block *t = list[i];
		list[i] = list[n - 1 - i];
		list[n - 1 - i] = t;
	}
	free(stack);
	free(state);
	return n;
}
