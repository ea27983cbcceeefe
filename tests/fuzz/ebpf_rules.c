/*
 * ebpf_rules.c - a user-space walk of an eBPF program along every path,
 * checking the verifier's rules listed in ebpf_rules.h.
 *
 * The walk is depth first over (instruction, state) pairs.  A state is the
 * type of each register and of each stack byte.  States met at an
 * instruction are kept (a few per instruction, more where a backward jump
 * lands) and a new state that a kept one covers is not walked again, as the
 * verifier prunes: but only once every path from the kept state has been
 * walked to its end, so that a loop never covers itself.  A loop is walked
 * trip by trip until it leaves or the budget runs out.  Each trip's states
 * differ (a counter), so inside a loop the states are kept where paths
 * join, and more of them: enough for one per trip and path of a bounded
 * walk (the backend's folded protochain), so that the second path of a
 * trip is covered by the first's instead of walking every later trip again.
 */
#include "ebpf_rules_priv.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(sizeof(struct filter_ebpf_insn) == sizeof(struct bpf_insn),
	       "struct filter_ebpf_insn must be laid out as struct bpf_insn");

int er_strict(struct walk *w)
{
	if (w->verdict == EBPF_RULES_OK && w->rep)
		w->rep->beyond_kernel = 1;
	return 0;
}

static int vreport(struct walk *w, size_t pc, int verdict, const char *fmt, va_list ap)
{
	int n;

	if (w->verdict != EBPF_RULES_OK)
		return -1;
	w->verdict = verdict;
	if (w->rep) {
		w->rep->insn = pc;
		n = snprintf(w->rep->message, sizeof w->rep->message, "insn %zu: ", pc);
		vsnprintf(w->rep->message + n, sizeof w->rep->message - (size_t)n, fmt, ap);
	}
	return -1;
}

int er_fail(struct walk *w, size_t pc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(w, pc, EBPF_RULES_BAD, fmt, ap);
	va_end(ap);
	return -1;
}

int er_undecided(struct walk *w, size_t pc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(w, pc, EBPF_RULES_UNDECIDED, fmt, ap);
	va_end(ap);
	return -1;
}

void er_scalar(struct reg *r, uint64_t min, uint64_t max)
{
	memset(r, 0, sizeof *r);
	r->type = T_SCALAR;
	r->umin = min;
	r->umax = max;
}

int er_const(const struct reg *r)
{
	return r->type == T_SCALAR && r->umin == r->umax;
}

/* ---- the shape: opcodes, jumps, reachability ------------------------------ */

static int is_ldimm64(const struct bpf_insn *i)
{
	return i->code == (BPF_LD | BPF_IMM | BPF_DW);
}

static int jump_target(struct walk *w, size_t pc, long long t)
{
	if (t < 0 || (size_t)t >= w->len)
		return er_fail(w, pc, "jump out of range: to %lld of %zu", t, w->len);
	if (w->kind[t] & K_HALF)
		return er_fail(w, pc, "jump into the middle of BPF_LD_IMM64 at %lld", t - 1);
	if ((size_t)t <= pc)
		w->kind[t] |= K_LOOP_HEAD;
	return 0;
}

/* The successors of PC in the graph: up to 2, -1 for none. */
static void successors(const struct walk *w, size_t pc, long long next[2])
{
	const struct bpf_insn *i = &w->p[pc];
	uint8_t cls = BPF_CLASS(i->code), op = BPF_OP(i->code);

	next[0] = (long long)pc + (is_ldimm64(i) ? 2 : 1);
	next[1] = -1;
	if (cls != BPF_JMP && cls != BPF_JMP32)
		return;
	if (op == BPF_EXIT) {
		next[0] = -1;
	} else if (op == BPF_JA) {
		next[0] = (long long)pc + 1 + (cls == BPF_JMP32 ? i->imm : i->off);
	} else if (op != BPF_CALL) {
		next[1] = (long long)pc + 1 + i->off;
	}
}

/* The fields an instruction does not use must be 0 (the verifier's
 * "uses reserved fields"). */
static int reserved_ok(const struct bpf_insn *i)
{
	uint8_t cls = BPF_CLASS(i->code), op = BPF_OP(i->code), x = BPF_SRC(i->code) == BPF_X;

	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
		if (op == BPF_END)
			return i->off == 0 && i->src_reg == 0 &&
			       (i->imm == 16 || i->imm == 32 || i->imm == 64) &&
			       (cls == BPF_ALU || !x);
		if (op == BPF_NEG)
			return !x && i->src_reg == 0 && i->off == 0 && i->imm == 0;
		if (i->off && !((op == BPF_DIV || op == BPF_MOD) && i->off == 1) &&
		    !(op == BPF_MOV && (i->off == 8 || i->off == 16 || i->off == 32)))
			return 0;
		return x ? i->imm == 0 : i->src_reg == 0;
	case BPF_LDX: return i->imm == 0;
	case BPF_ST: return i->src_reg == 0;
	case BPF_STX: return BPF_MODE(i->code) == BPF_ATOMIC || i->imm == 0;
	case BPF_LD:
		if (BPF_MODE(i->code) == BPF_IMM)
			return i->off == 0;
		return i->off == 0 && i->dst_reg == 0 &&
		       (BPF_MODE(i->code) == BPF_IND || i->src_reg == 0);
	default: break;
	}
	if (op == BPF_EXIT)
		return !x && i->src_reg == 0 && i->dst_reg == 0 && i->imm == 0 && cls == BPF_JMP;
	if (op == BPF_CALL)
		return !x && i->off == 0 && i->dst_reg == 0 && i->src_reg <= 2;
	if (op == BPF_JA)
		return !x && i->src_reg == 0 && i->dst_reg == 0 &&
		       (cls == BPF_JMP32 ? i->off == 0 : i->imm == 0);
	return x ? i->imm == 0 : i->src_reg == 0;
}

/* Jump targets, reachability in the graph, no fall off the end. */
static int check_shape(struct walk *w)
{
	uint8_t *seen = calloc(w->len, 1);
	size_t *todo = malloc(w->len * sizeof *todo), n = 0;
	int rc = 0;

	if (!seen || !todo)
		abort();
	for (size_t pc = 0; pc < w->len && !rc; pc++)
		if (is_ldimm64(&w->p[pc])) {
			const struct bpf_insn *b = &w->p[pc + 1];
			if (pc + 1 >= w->len || b->code || b->dst_reg || b->src_reg || b->off)
				rc = er_fail(w, pc, "BPF_LD_IMM64 without its second half");
			else
				w->kind[++pc] |= K_HALF;
		}
	todo[n++] = 0;
	seen[0] = 1;
	while (n && !rc) {
		size_t pc = todo[--n];
		long long next[2];

		successors(w, pc, next);
		if (w->p[pc].dst_reg > 10 || w->p[pc].src_reg > 10)
			rc = er_fail(w, pc, "register number above 10");
		else if (!reserved_ok(&w->p[pc]))
			rc = er_fail(w, pc, "opcode 0x%02x uses reserved fields", w->p[pc].code);
		for (int k = 0; k < 2 && !rc; k++) {
			if (next[k] == -1)
				continue;
			if (next[k] == (long long)w->len)
				rc = er_fail(w, pc, "the program falls off its end");
			else if (jump_target(w, pc, next[k]) < 0)
				rc = -1;
			else if (!seen[next[k]])
				seen[next[k]] = 1, todo[n++] = (size_t)next[k];
		}
	}
	for (size_t pc = 0; pc < w->len && !rc; pc++)
		if (!seen[pc] && !(w->kind[pc] & K_HALF))
			rc = er_fail(w, pc,
				     "unreachable instruction (the verifier refuses dead code)");
	free(seen);
	free(todo);
	return rc;
}

/* Mark K_IN_LOOP the instructions reachable from HEAD that reach the
 * backward jump at TAIL (PRED: the predecessors, as CSR in AT/FROM). */
static void mark_loop(struct walk *w, size_t head, size_t tail, const size_t *at,
		      const size_t *from, uint8_t *fwd, size_t *todo)
{
	size_t n = 0;
	long long next[2];

	memset(fwd, 0, w->len);
	todo[n++] = head;
	fwd[head] = 1;
	while (n) {
		size_t pc = todo[--n];
		successors(w, pc, next);
		for (int k = 0; k < 2; k++)
			if (next[k] >= 0 && (size_t)next[k] < w->len && !fwd[next[k]])
				fwd[next[k]] = 1, todo[n++] = (size_t)next[k];
	}
	todo[n++] = tail;
	fwd[tail] = 2;
	while (n) {
		size_t pc = todo[--n];
		w->kind[pc] |= K_IN_LOOP;
		for (size_t k = at[pc]; k < at[pc + 1]; k++)
			if (fwd[from[k]] == 1)
				fwd[from[k]] = 2, todo[n++] = from[k];
	}
}

/* The registers instruction I may read (USE) and surely writes (DEF). */
static void use_def(const struct bpf_insn *i, uint16_t *use, uint16_t *def)
{
	uint8_t cls = BPF_CLASS(i->code), op = BPF_OP(i->code), x = BPF_SRC(i->code) == BPF_X;
	uint16_t d = (uint16_t)(1u << i->dst_reg), s = (uint16_t)(1u << i->src_reg);

	*use = *def = 0;
	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
		*def = d;
		*use = (uint16_t)((op == BPF_MOV ? 0 : d) | (x && op != BPF_END ? s : 0));
		break;
	case BPF_LDX: *use = s, *def = d; break;
	case BPF_ST: *use = d; break;
	case BPF_STX: *use = (uint16_t)(d | s | (BPF_MODE(i->code) == BPF_ATOMIC ? 1 : 0)); break;
	case BPF_LD:
		if (is_ldimm64(i))
			*def = d;
		else /* legacy packet loads: r6 the context, r0 the result, r1-r5 clobbered */
			*use = (uint16_t)(1u << 6 | (BPF_MODE(i->code) == BPF_IND ? s : 0)),
			*def = 0x3f;
		break;
	default:
		if (op == BPF_CALL)
			*use = 0x3e, *def = 0x3f;
		else if (op == BPF_EXIT)
			*use = 1;
		else if (op != BPF_JA)
			*use = (uint16_t)(d | (x ? s : 0));
		break;
	}
}

/* Registers live into each instruction (the kernel's own analysis since
 * 6.15 lets the verifier ignore dead ones when it prunes): states that
 * differ only in dead registers, as paths that join in a loop do, cover
 * each other. */
static void liveness(struct walk *w)
{
	long long next[2];

	for (int changed = 1; changed;) {
		changed = 0;
		for (size_t pc = w->len; pc-- > 0;) {
			uint16_t use, def, out = 0, in;
			if (w->kind[pc] & K_HALF)
				continue;
			use_def(&w->p[pc], &use, &def);
			successors(w, pc, next);
			for (int k = 0; k < 2; k++)
				if (next[k] >= 0 && (size_t)next[k] < w->len)
					out |= w->live[next[k]];
			in = (uint16_t)(use | (out & ~def));
			if (in != w->live[pc])
				w->live[pc] = in, changed = 1;
		}
	}
}

/* Joins, and the loops' bodies (after check_shape: every jump in range). */
static void mark_loops(struct walk *w)
{
	size_t *at = calloc(w->len + 2, sizeof *at), *from = malloc(2 * w->len * sizeof *from);
	size_t *todo = malloc(w->len * sizeof *todo);
	uint8_t *fwd = malloc(w->len);
	long long next[2];

	if (!at || !from || !todo || !fwd)
		abort();
	for (size_t pc = 0; pc < w->len; pc++) {
		successors(w, pc, next);
		for (int k = 0; k < 2; k++)
			if (next[k] >= 0 && (size_t)next[k] < w->len)
				at[next[k] + 2]++;
		if (next[1] >= 0 && (size_t)next[1] < w->len) /* a conditional jump */
			w->kind[next[0]] |= K_JOIN, w->kind[next[1]] |= K_JOIN;
		else if (next[0] >= 0 && (size_t)next[0] < w->len && next[0] != (long long)pc + 1 &&
			 !is_ldimm64(&w->p[pc]))
			w->kind[next[0]] |= K_JOIN;
	}
	for (size_t pc = 0; pc < w->len; pc++)
		at[pc + 2] += at[pc + 1];
	for (size_t pc = 0; pc < w->len; pc++) {
		successors(w, pc, next);
		for (int k = 0; k < 2; k++)
			if (next[k] >= 0 && (size_t)next[k] < w->len)
				from[at[next[k] + 1]++] = pc;
	}
	for (size_t pc = 0; pc < w->len; pc++) {
		successors(w, pc, next);
		for (int k = 0; k < 2; k++)
			if (next[k] >= 0 && (size_t)next[k] <= pc)
				mark_loop(w, (size_t)next[k], pc, at, from, fwd, todo);
	}
	free(at);
	free(from);
	free(todo);
	free(fwd);
}

/* ---- the walk ------------------------------------------------------------- */

static int reg_covers(const struct reg *o, const struct reg *n)
{
	if (o->type == T_NONE)
		return 1; /* the walk from O never read it */
	if (o->type != n->type)
		return 0;
	switch (o->type) {
	case T_SCALAR: return o->umin <= n->umin && n->umax <= o->umax;
	case T_PKT:
		return o->off == n->off && o->id == n->id && n->range >= o->range &&
		       o->umin <= n->umin && n->umax <= o->umax;
	case T_CTX:
	case T_STACK: return o->off == n->off;
	default: return 1;
	}
}

/* The live registers and the spills of S, for links_hold(). */
static int linkable(const struct state *s, uint16_t live, const struct reg **out)
{
	int n = 0;
	for (int k = 0; k < NREGS; k++)
		out[n++] = live & (1u << k) ? &s->r[k] : NULL;
	for (int k = 0; k < s->nspill; k++)
		out[n++] = &s->spill[k].r;
	return n;
}

/* Scalars that are copies of one value in O (whose walk may have used it)
 * are copies of one value in N too. */
static int links_hold(const struct state *o, const struct state *n, uint16_t live)
{
	const struct reg *a[NREGS + NSPILL], *b[NREGS + NSPILL];
	int na = linkable(o, live, a);
	linkable(n, live, b);
	for (int k = NREGS; k < na; k++) /* N's spill in the slot of O's */
		b[k] = er_spilled(n, o->spill[k - NREGS].slot);
	for (int j = 0; j < na; j++)
		for (int k = j + 1; k < na && a[j] && a[j]->type == T_SCALAR && a[j]->id; k++)
			if (a[k] && a[k]->type == T_SCALAR && a[k]->id == a[j]->id &&
			    (!b[j] || !b[k] || !b[j]->id || b[j]->id != b[k]->id))
				return 0;
	return 1;
}

/* Does what was walked from O cover N?  LIVE: the registers that matter. */
static int covers(const struct state *o, const struct state *n, uint16_t live)
{
	if (!links_hold(o, n, live))
		return 0;
	for (int k = 0; k < NREGS; k++)
		if ((live & (1u << k)) && !reg_covers(&o->r[k], &n->r[k]))
			return 0;
	for (int k = 0; k < STACK / 8; k++)
		if ((o->init[k] & n->init[k]) != o->init[k])
			return 0;
	for (int k = 0; k < o->nspill; k++) {
		const struct reg *r = er_spilled(n, o->spill[k].slot);
		if (!r || !reg_covers(&o->spill[k].r, r))
			return 0;
	}
	for (int k = 0; k < n->nspill; k++) /* a pointer where O read a number */
		if (n->spill[k].r.type != T_SCALAR && o->init[n->spill[k].slot] &&
		    !er_spilled(o, n->spill[k].slot))
			return 0;
	return 1;
}

/* A path that went through E ended. */
static void done(struct entry *e)
{
	while (e && --e->refs == 0)
		e = e->parent;
}

/* 1 if a finished state kept at PC covers ST (nothing more to walk);
 * else ST is kept there when there is room and becomes *PARENT. */
static int seen_before(struct walk *w, size_t pc, const struct state *st, struct entry **parent)
{
	int loop = w->kind[pc] & (K_LOOP_HEAD | K_IN_LOOP);
	int max = loop ? KEEP_PER_LOOP_HEAD : KEEP_PER_INSN;
	struct entry *e;

	if (loop && !(w->kind[pc] & (K_LOOP_HEAD | K_JOIN)))
		return 0; /* straight code in a loop: its join's states do */

	for (e = w->kept[pc]; e; e = e->next)
		if (e->refs == 0 && covers(&e->st, st, w->live[pc]))
			return 1;
	if (w->nkept[pc] >= max || w->nentries >= KEEP_MAX)
		return 0;
	if (!(e = malloc(sizeof *e)))
		abort();
	e->next = w->kept[pc];
	w->kept[pc] = e;
	w->nkept[pc]++;
	w->nentries++;
	e->st = *st;
	e->parent = *parent;
	e->refs = 1;
	*parent = e;
	return 0;
}

static void push(struct walk *w, size_t pc, const struct state *st, struct entry *parent)
{
	if (w->depth == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 16;
		w->stack = realloc(w->stack, w->cap * sizeof *w->stack);
		if (!w->stack)
			abort();
	}
	w->stack[w->depth].st = *st;
	w->stack[w->depth].pc = pc;
	w->stack[w->depth++].parent = parent;
	if (parent)
		parent->refs++;
}

/* One instruction: 0 go on at *PC, 1 the path ended, -1 a rule broke. */
static int step(struct walk *w, size_t *pc, struct state *st, struct state *tmp,
		struct entry *parent)
{
	const struct bpf_insn *i = &w->p[*pc];
	uint8_t cls = BPF_CLASS(i->code), op = BPF_OP(i->code);
	size_t at = *pc;
	int rc = 0;

	*pc += 1;
	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64: return er_alu(w, at, st, i);
	case BPF_LDX: return er_mem_load(w, at, st, i);
	case BPF_ST:
	case BPF_STX: return er_mem_store(w, at, st, i);
	case BPF_LD:
		if (is_ldimm64(i)) {
			*pc += 1;
			return er_ld_imm64(w, at, st, i);
		}
		if (BPF_MODE(i->code) == BPF_ABS || BPF_MODE(i->code) == BPF_IND)
			return er_legacy_load(w, at, st, i);
		return er_fail(w, at, "bad load opcode 0x%x", i->code);
	default: break;
	}
	if (op == BPF_EXIT) {
		if (cls != BPF_JMP)
			return er_fail(w, at, "bad exit opcode 0x%x", i->code);
		if (er_use(w, at, st, 0) < 0)
			return -1;
		return 1;
	}
	if (op == BPF_CALL)
		return cls == BPF_JMP ? er_call(w, at, st, i) : er_fail(w, at, "bad call opcode");
	if (op == BPF_JA) {
		*pc = at + 1 + (size_t)(long)(cls == BPF_JMP32 ? i->imm : i->off);
		return 0;
	}
	rc = er_cond_jump(w, at, st, tmp, i);
	if (rc < 0)
		return -1;
	size_t target = at + 1 + (size_t)(long)i->off;
	if (rc == 1)
		*pc = target, *st = *tmp;
	else if (rc == 2)
		push(w, target, tmp, parent);
	return 0;
}

static void walk_all(struct walk *w)
{
	struct state *st = malloc(sizeof *st), *tmp = malloc(sizeof *tmp);

	if (!st || !tmp)
		abort();
	memset(st, 0, sizeof *st);
	st->r[1].type = T_CTX;
	st->r[10].type = T_STACK;
	push(w, 0, st, NULL);
	while (w->depth && w->verdict == EBPF_RULES_OK) {
		struct item *it = &w->stack[--w->depth];
		struct entry *parent = it->parent;
		size_t pc = it->pc;

		*st = it->st;
		for (;;) {
			if (++w->processed > w->budget) {
				w->verdict = EBPF_RULES_UNDECIDED;
				if (w->rep)
					snprintf(w->rep->message, sizeof w->rep->message,
						 "insn %zu: more than %zu instructions to walk "
						 "(loop not proven bounded, or too many paths)",
						 pc, w->budget);
				break;
			}
			if (seen_before(w, pc, st, &parent))
				break;
			if (step(w, &pc, st, tmp, parent))
				break;
		}
		done(parent);
	}
	free(st);
	free(tmp);
}

enum ebpf_rules_verdict ebpf_rules_check(const struct filter_ebpf_insn *prog, size_t len,
					 enum filter_hook hook, size_t prog_array_insn,
					 struct ebpf_rules_report *r)
{
	return ebpf_rules_check_within(prog, len, hook, prog_array_insn, EBPF_RULES_BUDGET, r);
}

enum ebpf_rules_verdict ebpf_rules_check_within(const struct filter_ebpf_insn *prog, size_t len,
						enum filter_hook hook, size_t prog_array_insn,
						size_t budget, struct ebpf_rules_report *r)
{
	struct walk w = {.p = (const struct bpf_insn *)prog,
			 .len = len,
			 .hook = hook,
			 .prog_array = prog_array_insn,
			 .rep = r,
			 .budget = budget};

	if (r)
		memset(r, 0, sizeof *r);
	if (len == 0 || len > FILTER_EBPF_MAX_INSNS || !prog) {
		er_fail(&w, 0, "length %zu outside 1..FILTER_EBPF_MAX_INSNS", len);
		return EBPF_RULES_BAD;
	}
	if (hook != FILTER_HOOK_XDP && hook != FILTER_HOOK_TC) {
		er_fail(&w, 0, "unknown hook %d", (int)hook);
		return EBPF_RULES_BAD;
	}
	w.kind = calloc(len, 1);
	w.kept = calloc(len, sizeof *w.kept);
	w.nkept = calloc(len, 1);
	w.live = calloc(len, sizeof *w.live);
	if (!w.kind || !w.kept || !w.nkept || !w.live)
		abort();
	if (check_shape(&w) == 0) {
		mark_loops(&w);
		liveness(&w);
		walk_all(&w);
	}
	for (size_t k = 0; k < len; k++)
		for (struct entry *e = w.kept[k], *n; e; e = n) {
			n = e->next;
			free(e);
		}
	free(w.kept);
	free(w.nkept);
	free(w.kind);
	free(w.live);
	free(w.stack);
	if (r)
		r->processed = w.processed;
	return (enum ebpf_rules_verdict)w.verdict;
}
