/* ebpf_rules_ops.c - arithmetic and conditional jumps for ebpf_rules.c's
 * walk: scalar bounds, pointer arithmetic, bounds checks against the
 * packet end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ebpf_rules_priv.h"

/* ---- arithmetic ----------------------------------------------------------- */

static uint64_t add_sat(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

/* The bounds of A OP B for scalars (64-bit; ALU32 truncates afterwards). */
static void scalar_op(uint8_t op, struct reg *a, const struct reg *b)
{
	uint64_t x = a->umin, y = b->umin, r = 0;
	int known = er_const(a) && er_const(b);

	if (known) {
		switch (op) {
		case BPF_ADD: r = x + y; break;
		case BPF_SUB: r = x - y; break;
		case BPF_MUL: r = x * y; break;
		case BPF_DIV: r = y ? x / y : 0; break;
		case BPF_MOD: r = y ? x % y : x; break;
		case BPF_OR: r = x | y; break;
		case BPF_AND: r = x & y; break;
		case BPF_XOR: r = x ^ y; break;
		case BPF_LSH: r = y < 64 ? x << y : 0; break;
		case BPF_RSH: r = y < 64 ? x >> y : 0; break;
		case BPF_ARSH: r = y < 64 ? (uint64_t)((int64_t)x >> y) : 0; break;
		default: known = 0;
		}
		if (known) {
			er_scalar(a, r, r);
			return;
		}
	}
	uint64_t lo = 0, hi = UINT64_MAX;
	switch (op) {
	case BPF_ADD:
		if (add_sat(a->umax, b->umax) != UINT64_MAX)
			lo = a->umin + b->umin, hi = a->umax + b->umax;
		break;
	case BPF_MUL:
		if (a->umax <= UINT32_MAX && b->umax <= UINT32_MAX)
			lo = a->umin * b->umin, hi = a->umax * b->umax;
		break;
	case BPF_AND: hi = a->umax < b->umax ? a->umax : b->umax; break;
	case BPF_OR:
	case BPF_XOR: {
		uint64_t m = a->umax | b->umax;
		for (int k = 1; k < 64; k <<= 1)
			m |= m >> k;
		hi = m;
		break;
	}
	case BPF_DIV:
	case BPF_MOD: break; /* the kernel tracks no bounds through them: unknown */
	case BPF_LSH:
		if (er_const(b) && b->umin < 64 && (a->umax << b->umin) >> b->umin == a->umax)
			lo = a->umin << b->umin, hi = a->umax << b->umin;
		break;
	case BPF_RSH:
		if (er_const(b) && b->umin < 64)
			lo = a->umin >> b->umin, hi = a->umax >> b->umin;
		else
			hi = a->umax;
		break;
	default: break;
	}
	er_scalar(a, lo, hi);
}

static void trunc32(struct reg *r)
{
	if (r->umax > UINT32_MAX)
		er_scalar(r, er_const(r) ? (uint32_t)r->umin : 0,
			  er_const(r) ? (uint32_t)r->umin : UINT32_MAX);
}

/* A += K modulo MASK + 1: the bounds move unless they wrap apart. */
static void add_const(struct reg *a, uint64_t k, uint64_t mask)
{
	uint64_t lo = (a->umin + k) & mask, hi = (a->umax + k) & mask;

	if (lo <= hi && hi - lo == a->umax - a->umin)
		er_scalar(a, lo, hi);
	else
		er_scalar(a, 0, mask);
}

/* D OP= S where at least one is a pointer: what the verifier allows. */
static int ptr_op(struct walk *w, size_t pc, struct state *st, uint8_t op, struct reg *d,
		  struct reg s)
{
	static const char *names[] = {"?", "scalar", "ctx", "pkt", "pkt_end", "fp", "map"};

	if (op == BPF_ADD && d->type == T_SCALAR) { /* scalar += pointer */
		struct reg t = *d;
		*d = s;
		s = t;
	}
	if (op == BPF_SUB && d->type != T_SCALAR && s.type != T_SCALAR) { /* root may */
		er_scalar(d, 0, UINT64_MAX);
		return 0;
	}
	if ((op != BPF_ADD && op != BPF_SUB) || s.type != T_SCALAR)
		return er_fail(w, pc, "pointer arithmetic (op 0x%x) on %s and %s not allowed", op,
			       names[d->type], names[s.type]);
	if (d->type == T_PKT_END || d->type == T_MAP)
		return er_fail(w, pc, "pointer arithmetic on %s prohibited", names[d->type]);
	if (er_const(&s)) {
		int64_t k = op == BPF_ADD ? (int64_t)s.umin : -(int64_t)s.umin;
		if (k <= -(1 << 29) || k >= (1 << 29) || d->off + k <= -(1 << 29) ||
		    d->off + k >= (1 << 29))
			return er_fail(w, pc, "pointer offset %lld out of bounds", (long long)k);
		d->off += (int32_t)k;
		return 0;
	}
	if (d->type != T_PKT)
		return er_fail(w, pc, "variable offset added to %s (not followed by the checker)",
			       names[d->type]);
	if (op == BPF_SUB)
		return er_fail(w, pc, "a variable subtracted from a packet pointer");
	if (s.umax >= 1u << 29) /* the kernel's BPF_MAX_VAR_OFF */
		return er_fail(w, pc,
			       "math between a packet pointer and a register with "
			       "unbounded value");
	d->umin = add_sat(d->umin, s.umin);
	d->umax = add_sat(d->umax, s.umax);
	d->id = ++st->next_id;
	d->range = 0;
	return 0;
}

/* The id a scalar moved by I shares with its source: a 64-bit copy of a
 * register keeps one value in both, so what a jump learns of one holds for
 * the other (the verifier's linked scalars); anything else has none. */
static uint32_t copy_id(struct state *st, const struct bpf_insn *i, int is64)
{
	struct reg *src = &st->r[i->src_reg];
	if (BPF_SRC(i->code) != BPF_X || !is64 || i->off || src->type != T_SCALAR)
		return 0;
	if (!src->id)
		src->id = ++st->next_id;
	return src->id;
}

int er_alu(struct walk *w, size_t pc, struct state *st, const struct bpf_insn *i)
{
	int is64 = BPF_CLASS(i->code) == BPF_ALU64;
	uint8_t op = BPF_OP(i->code);
	struct reg *d = &st->r[i->dst_reg], s;

	if (i->dst_reg == 10)
		return er_fail(w, pc, "write to r10 (the frame pointer is read-only)");
	if (BPF_SRC(i->code) == BPF_X && op != BPF_END) {
		if (er_use(w, pc, st, i->src_reg) < 0)
			return -1;
		s = st->r[i->src_reg];
	} else {
		uint64_t k = is64 ? (uint64_t)(int64_t)i->imm : (uint32_t)i->imm;
		er_scalar(&s, k, k);
	}
	if (op == BPF_MOV) {
		if (i->off && s.type == T_SCALAR) /* movsx */
			er_scalar(&s, 0, is64 ? UINT64_MAX : UINT32_MAX);
		if (!is64 && s.type != T_SCALAR)
			er_scalar(&s, 0, UINT32_MAX);
		if (s.type == T_SCALAR)
			s.id = copy_id(st, i, is64);
		*d = s;
		if (!is64)
			trunc32(d);
		return 0;
	}
	if (er_use(w, pc, st, i->dst_reg) < 0)
		return -1;
	if (op == BPF_END || op == BPF_NEG) {
		if (d->type != T_SCALAR) /* root may: the value is then unknown */
			er_scalar(d, 0, UINT64_MAX);
		if (op == BPF_NEG && er_const(d))
			er_scalar(d, -d->umin, -d->umin);
		else if (op == BPF_NEG)
			er_scalar(d, 0, UINT64_MAX);
		else
			er_scalar(d, 0, i->imm >= 64 ? UINT64_MAX : (1ull << i->imm) - 1);
		if (!is64)
			trunc32(d);
		return 0;
	}
	if (BPF_SRC(i->code) == BPF_K && (op == BPF_DIV || op == BPF_MOD) && i->imm == 0)
		return er_fail(w, pc, "division by the constant 0");
	if (BPF_SRC(i->code) == BPF_K && (op == BPF_LSH || op == BPF_RSH || op == BPF_ARSH) &&
	    (i->imm < 0 || i->imm >= (is64 ? 64 : 32)))
		return er_fail(w, pc, "shift by %d, outside 0..%d", i->imm, is64 ? 63 : 31);
	if (op > BPF_END)
		return er_fail(w, pc, "bad ALU opcode 0x%x", i->code);
	if (d->type == T_SCALAR && s.type == T_SCALAR) {
		uint64_t mask = is64 ? UINT64_MAX : UINT32_MAX;
		d->id = 0; /* no longer a copy */
		if (!is64)
			trunc32(d), trunc32(&s);
		if ((op == BPF_ADD || op == BPF_SUB) && er_const(&s) && !er_const(d)) {
			add_const(d, op == BPF_ADD ? s.umin : -s.umin, mask);
			return 0;
		}
		scalar_op(op, d, &s);
		if (!is64)
			trunc32(d);
		return 0;
	}
	if (!is64)
		return er_fail(w, pc, "32-bit arithmetic on a pointer");
	return ptr_op(w, pc, st, op, d, s);
}

/* ---- jumps ---------------------------------------------------------------- */

/* The range a comparison of packet pointer P with the packet end proves,
 * for every register (and spill) with P's variable part. */
static void prove_range(struct state *st, const struct reg *p, int open)
{
	int32_t range = p->off + (open ? 1 : 0);

	if (p->off < 0 || (p->off == 0 && open) || add_sat(p->umax, (uint64_t)p->off) > MAX_PKT_OFF)
		return;
	for (int k = 0; k < NREGS; k++)
		if (st->r[k].type == T_PKT && st->r[k].id == p->id && st->r[k].range < range)
			st->r[k].range = range;
	for (int k = 0; k < st->nspill; k++)
		if (st->spill[k].r.type == T_PKT && st->spill[k].r.id == p->id &&
		    st->spill[k].r.range < range)
			st->spill[k].r.range = range;
}

/* pkt OP end (SWAPPED: end OP pkt): refine TAKEN and NOT. */
static void pkt_compare(uint8_t op, int swapped, const struct reg *p, struct state *taken,
			struct state * not )
{
	if (swapped) /* end > pkt is pkt < end, and so on */
		op = op == BPF_JGT   ? BPF_JLT
		     : op == BPF_JLT ? BPF_JGT
		     : op == BPF_JGE ? BPF_JLE
		     : op == BPF_JLE ? BPF_JGE
				     : op;
	switch (op) {
	case BPF_JGT: prove_range(not, p, 0); break;   /* not: pkt <= end */
	case BPF_JGE: prove_range(not, p, 1); break;   /* not: pkt < end */
	case BPF_JLT: prove_range(taken, p, 1); break; /* pkt < end */
	case BPF_JLE: prove_range(taken, p, 0); break; /* pkt <= end */
	default: break;
	}
}

/* Scalar D against constant K (unsigned 64-bit view): 1 taken, 0 not,
 * -1 either; refines both outcomes. */
static int scalar_compare(uint8_t op, struct reg *dt, struct reg *dn, uint64_t k)
{
	uint64_t lo = dt->umin, hi = dt->umax;

	switch (op) {
	case BPF_JEQ:
	case BPF_JNE: {
		int eq = k < lo || k > hi ? 0 : lo == hi ? 1 : -1;
		struct reg *same = op == BPF_JEQ ? dt : dn;
		if (eq == -1)
			er_scalar(same, k, k);
		return eq == -1 ? -1 : op == BPF_JEQ ? eq : !eq;
	}
	case BPF_JGT:
	case BPF_JLE: {
		int gt = lo > k ? 1 : hi <= k ? 0 : -1;
		struct reg *g = op == BPF_JGT ? dt : dn, *l = op == BPF_JGT ? dn : dt;
		if (gt == -1)
			g->umin = k + 1, l->umax = k;
		return gt == -1 ? -1 : op == BPF_JGT ? gt : !gt;
	}
	case BPF_JGE:
	case BPF_JLT: {
		int ge = lo >= k ? 1 : hi < k ? 0 : -1;
		struct reg *g = op == BPF_JGE ? dt : dn, *l = op == BPF_JGE ? dn : dt;
		if (ge == -1)
			g->umin = k, l->umax = k - 1;
		return ge == -1 ? -1 : op == BPF_JGE ? ge : !ge;
	}
	case BPF_JSET:
		if (lo == hi)
			return (lo & k) != 0;
		return (hi & k) == 0 && k ? 0 : -1;
	default: return -1; /* signed: both ways, no refinement */
	}
}

/* The bounds of scalar R (in S) for every copy of it in S. */
static void sync_copies(struct state *s, const struct reg *r)
{
	if (!r->id)
		return;
	for (int k = 0; k < NREGS; k++)
		if (&s->r[k] != r && s->r[k].type == T_SCALAR && s->r[k].id == r->id)
			s->r[k].umin = r->umin, s->r[k].umax = r->umax;
	for (int k = 0; k < s->nspill; k++)
		if (s->spill[k].r.type == T_SCALAR && s->spill[k].r.id == r->id)
			s->spill[k].r.umin = r->umin, s->spill[k].r.umax = r->umax;
}

/* A conditional jump: 1 go to the target with ST, 0 fall through with ST,
 * 2 both (ST falls through, *T takes the jump). */
int er_cond_jump(struct walk *w, size_t pc, struct state *st, struct state *t,
		 const struct bpf_insn *i)
{
	uint8_t op = BPF_OP(i->code);
	int j32 = BPF_CLASS(i->code) == BPF_JMP32;
	struct reg *d = &st->r[i->dst_reg], s;

	if (op > BPF_JSLE || op == BPF_CALL || op == BPF_EXIT)
		return er_fail(w, pc, "bad jump opcode 0x%x", i->code);
	if (er_use(w, pc, st, i->dst_reg) < 0)
		return -1;
	if (BPF_SRC(i->code) == BPF_X) {
		if (er_use(w, pc, st, i->src_reg) < 0)
			return -1;
		s = st->r[i->src_reg];
	} else {
		uint64_t k = j32 ? (uint32_t)i->imm : (uint64_t)(int64_t)i->imm;
		er_scalar(&s, k, k);
	}
	*t = *st;
	if (d->type == T_PKT && s.type == T_PKT_END && !j32) {
		pkt_compare(op, 0, d, t, st);
		return 2;
	}
	if (d->type == T_PKT_END && s.type == T_PKT && !j32) {
		pkt_compare(op, 1, &s, t, st);
		return 2;
	}
	if (d->type != T_SCALAR || s.type != T_SCALAR)
		return 2; /* root may compare pointers: no facts */
	if (!er_const(&s) || (j32 && d->umax > UINT32_MAX))
		return 2;
	int r = scalar_compare(op, &t->r[i->dst_reg], &st->r[i->dst_reg], s.umin);
	sync_copies(t, &t->r[i->dst_reg]);
	sync_copies(st, &st->r[i->dst_reg]);
	return r == -1 ? 2 : r;
}
