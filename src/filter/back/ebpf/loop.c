/* loop.c - unrolled walks folded back into loops (eBPF has bounded loops
 * since Linux 5.3; classic BPF has none, so the IR stays a DAG).
 *
 * protochain's header walk (gen/tunnel.c) is generated as N identical
 * steps; after optimization the steps' blocks still have equal content
 * (hash-consed values in scratch slots) and differ only in their
 * successors.  This module finds such runs structurally, without the walk
 * annotations: steps S_1..S_m, entered at E_1..E_m, where for each k a map
 * from S_k to S_(k+1) keeps every block's content and edges, an edge of S_k
 * to E_(k+1) (continue) becomes one of S_(k+1) to E_(k+2), and every other
 * edge leaves both steps for the same block (the walk's verdict, returns).
 * Only E_1 may be entered from outside the run, and a step's other blocks
 * only from their own step.  Then the program runs S_1's code m times:
 *
 *	preheader (E_1's label):  rX = m; *(u64 *)(r10 + LOOP_CNT) = rX
 *	head:                     S_1's blocks; continue edges go to the latch
 *	latch (E_2's label):      rX = *(u64 *)(r10 + LOOP_CNT); rX += -1;
 *	                          *(u64 *)(r10 + LOOP_CNT) = rX;
 *	                          if rX != 0 goto head; goto E_(m+1)
 *
 * The count lives in one stack slot (a backend scratch word; runs never
 * nest nor interleave: nothing outside a run enters it but at E_1), spilled
 * from a register so that the verifier knows its value on every trip and
 * so bounds the back edge (walked trip by trip).  The register cache starts empty at the head
 * and after the latch (values cached in registers do not survive the back
 * edge); the bytes known to be in the window (state.checked) do, since the
 * packet does not change.  Offsets the body computes are stored as 4
 * bytes (loop_narrow()), so that the verifier's paths through one trip
 * join at the latch.  A run's first step can differ from the next (the
 * optimizer used what the entry knows): the run then starts at the step
 * after it.  A step may be several of the generator's steps (a walk whose
 * steps alternate folds with two a trip).  What does not fold stays
 * unrolled, correct and longer: steps that differ in content (other
 * offsets or constants), a step entered from outside its run (the run
 * ends before it; another may start there), a step's entry inside a
 * switch (switch.c), steps of more than MAX_STEP_BLOCKS blocks, and runs
 * too small to be worth a loop (worth()). */
#include "back/ebpf/ebpf.h"

#include <linux/bpf.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(LOOP_CNT == STK_MEM - 8 * (IR_MEMWORDS - 1) && IR_GEN_SLOTS < IR_MEMWORDS,
	       "the trip count is a scratch slot the generator never claims");

enum {
	MAX_STEP_BLOCKS = 64, /* a step larger than this stays unrolled */
	MAX_TRIPS = 1024,
	MAX_CANDIDATES = 4, /* blocks like E_1 tried as E_2 */
	MIN_WEIGHT = 4,	    /* a step's blocks and stores: less is not worth a loop */
	MIN_SAVED = 8,	    /* the weight of the steps a loop saves, at least */
};

struct run {
	const struct ir_block *entry, *second, *out;
	uint32_t trips;
	int head; /* the head's label in the current view, -1 before */
	struct state s;
};

struct loop_plan {
	uint32_t *run;	/* per block id: 1 + run index, 0 none */
	uint16_t *step; /* per block id: step number (1..m) in its run */
	struct run *r;
	size_t n, cap;
};

/* Scratch for the search: per block id. */
struct search {
	const struct ir *ir;
	struct ir_block *const *list;
	size_t n;
	const struct ir_block **map; /* S_k block -> S_(k+1) block */
	uint32_t *dom, *img, stamp;  /* membership stamps of the current match */
	uint32_t *own, *ownrun;	     /* candidate run: step per block, run serial */
	uint32_t serial;
	const struct ir_block **work, **ext;
	const struct ir_block **steps;	 /* blocks of all steps, in order */
	size_t *first;			 /* steps[first[k]..first[k+1]) is S_k */
	const struct ir_block **entries; /* E_1..E_(m+1) */
	const struct em *e;
};

struct match {
	const struct ir_block **dom, **img;
	size_t n;
	const struct ir_block *next;
};

static int same_block(const struct ir_block *a, const struct ir_block *b)
{
	if (a->op != b->op || a->k != b->k)
		return 0;
	if (a->op == IR_RET)
		return 1;
	if (a->lhs != b->lhs || a->rhs != b->rhs)
		return 0;
	const struct ir_stmt *s = a->stmts, *t = b->stmts;
	for (; s && t; s = s->next, t = t->next)
		if (s->slot != t->slot || s->v != t->v)
			return 0;
	return !s && !t;
}

static int is_dom(const struct search *x, const struct ir_block *b)
{
	return x->dom[b->id] == x->stamp;
}

static int is_img(const struct search *x, const struct ir_block *b)
{
	return x->img[b->id] == x->stamp;
}

/* One successor pair of a mapped block: 0 or -1 (no match). */
static int match_edge(struct search *x, struct match *m, const struct ir_block *e2,
		      const struct ir_block *c, const struct ir_block *d, size_t *nw, size_t *ne)
{
	if (c == e2) { /* continue: the image continues to the step after */
		if (d == e2 || (m->next && m->next != d))
			return -1;
		m->next = d;
		return 0;
	}
	if (c == d || (c->op == IR_RET && d->op == IR_RET && c->k == d->k)) {
		x->ext[(*ne)++] = c; /* leaves both steps for the same place */
		return 0;
	}
	if (is_dom(x, c))
		return x->map[c->id] == d ? 0 : -1;
	if (c->op == IR_RET || is_img(x, c) || is_dom(x, d) || is_img(x, d) ||
	    m->n == MAX_STEP_BLOCKS || !same_block(c, d))
		return -1;
	x->dom[c->id] = x->img[d->id] = x->stamp;
	x->map[c->id] = d;
	m->dom[m->n] = c;
	m->img[m->n++] = d;
	x->work[(*nw)++] = c;
	return 0;
}

/* Is the step entered at E1 mapped onto the one entered at E2? */
static int match(struct search *x, const struct ir_block *e1, const struct ir_block *e2,
		 struct match *m)
{
	size_t nw = 0, ne = 0;
	x->stamp++;
	m->n = 0;
	m->next = NULL;
	if (e1 == e2 || e1->op == IR_RET || !same_block(e1, e2))
		return -1;
	x->dom[e1->id] = x->img[e2->id] = x->stamp;
	x->map[e1->id] = e2;
	m->dom[0] = e1;
	m->img[m->n++] = e2;
	x->work[nw++] = e1;
	while (nw) {
		const struct ir_block *b = x->work[--nw], *d = x->map[b->id];
		for (int s = 0; s < 2; s++)
			if (match_edge(x, m, e2, b->succ[s], d->succ[s], &nw, &ne) < 0)
				return -1;
	}
	if (!m->next || is_dom(x, m->next) || is_img(x, m->next))
		return -1;
	for (size_t i = 0; i < ne; i++)
		if (is_dom(x, x->ext[i]) || is_img(x, x->ext[i]))
			return -1;
	return 0;
}

/* The step of the candidate run B is in (1..M), 0 none. */
static uint32_t owner(const struct search *x, const struct ir_block *b, uint32_t m)
{
	return x->ownrun[b->id] == x->serial && x->own[b->id] <= m ? x->own[b->id] : 0;
}

static int taken(const struct loop_plan *p, const struct ir_block *b)
{
	return p->run[b->id] != 0;
}

/* Add the blocks of step K (the image of the last match) to the run. */
static int add_step(struct search *x, const struct loop_plan *p, const struct match *m, uint32_t k)
{
	for (size_t i = 0; i < m->n; i++)
		if (taken(p, m->img[i]) || x->ownrun[m->img[i]->id] == x->serial)
			return -1;
	size_t at = x->first[k - 1];
	for (size_t i = 0; i < m->n; i++) {
		x->own[m->img[i]->id] = k;
		x->ownrun[m->img[i]->id] = x->serial;
		x->steps[at + i] = m->img[i];
	}
	x->first[k] = at + m->n;
	x->entries[k] = m->next;
	return 0;
}

/* The run from E1 with E2 as its second step: its length (0: none).  Steps
 * go to x->steps, x->first, x->entries. */
static uint32_t grow_run(struct search *x, const struct loop_plan *p, const struct ir_block *e1,
			 const struct ir_block *e2, struct match *m)
{
	x->serial++;
	if (match(x, e1, e2, m) < 0)
		return 0;
	for (size_t i = 0; i < m->n; i++) {
		if (taken(p, m->dom[i]))
			return 0;
		x->own[m->dom[i]->id] = 1;
		x->ownrun[m->dom[i]->id] = x->serial;
		x->steps[i] = m->dom[i];
	}
	x->first[0] = 0;
	x->first[1] = m->n;
	x->entries[0] = e1;
	x->entries[1] = e2;
	if (add_step(x, p, m, 2) < 0)
		return 0;
	uint32_t k = 2; /* steps so far */
	while (k < MAX_TRIPS && match(x, x->entries[k - 1], x->entries[k], m) == 0 &&
	       m->n == x->first[k] - x->first[k - 1]) {
		size_t i = 0;
		while (i < m->n && owner(x, m->dom[i], k) == k)
			i++;
		if (i < m->n || add_step(x, p, m, k + 1) < 0)
			break;
		k++;
	}
	return k;
}

/* The first step (1..M) that something enters other than through its
 * place (E_1 from anywhere, E_k from S_(k-1), other blocks from their own
 * step) or whose entry is inside a switch; M + 1 when none. */
static uint32_t entered(const struct search *x, uint32_t m)
{
	uint32_t bad = m + 1;
	for (uint32_t k = 1; k <= m; k++)
		if (sw_inside(x->e, x->entries[k - 1]) && k < bad)
			bad = k;
	for (size_t i = 0; i < x->n; i++) {
		const struct ir_block *p = x->list[i];
		if (p->op == IR_RET)
			continue;
		uint32_t sp = owner(x, p, m);
		for (int s = 0; s < 2; s++) {
			const struct ir_block *c = p->succ[s];
			uint32_t sc = c->op == IR_RET ? 0 : owner(x, c, m);
			if (!sc || sc >= bad)
				continue;
			if (c == x->entries[sc - 1] ? sc == 1 || sp == sc - 1 : sp == sc)
				continue;
			bad = sc;
		}
	}
	return bad;
}

/* The longest run of the candidate that only its first step's entry
 * opens: its length, or 0 when less than 2. */
static uint32_t valid_run(const struct search *x, uint32_t m)
{
	while (m >= 2) {
		uint32_t bad = entered(x, m);
		if (bad > m)
			return m;
		m = bad - 1;
	}
	return 0;
}

/* Whether the run of M steps is worth a loop: its count costs about 7
 * instructions, and 4 each trip, against steps of a few each (a block's
 * test and jump, a store's computation).  An unoptimized program's twice
 * repeated test is no loop. */
static int worth(const struct search *x, uint32_t m)
{
	uint32_t w = 0;
	for (size_t i = x->first[0]; i < x->first[1]; i++) {
		w++;
		for (const struct ir_stmt *s = x->steps[i]->stmts; s; s = s->next)
			w++;
	}
	return w >= MIN_WEIGHT && w * (m - 1) >= MIN_SAVED;
}

/* Up to MAX_CANDIDATES blocks like E reachable from it (nearest first),
 * into OUT: how many. */
static size_t candidates(struct search *x, const struct loop_plan *p, const struct ir_block *e,
			 const struct ir_block **out)
{
	size_t head = 0, tail = 0, found = 0, cap = 4 * MAX_STEP_BLOCKS;
	x->stamp++;
	x->work[tail++] = e;
	x->dom[e->id] = x->stamp;
	while (head < tail && found < MAX_CANDIDATES) {
		const struct ir_block *b = x->work[head++];
		if (b != e && !taken(p, b) && same_block(e, b))
			out[found++] = b;
		for (int s = 0; s < 2 && b->op != IR_RET; s++) {
			const struct ir_block *c = b->succ[s];
			if (c->op == IR_RET || x->dom[c->id] == x->stamp || tail == cap)
				continue;
			x->dom[c->id] = x->stamp;
			x->work[tail++] = c;
		}
	}
	return found;
}

static int keep_run(struct loop_plan *p, const struct search *x, uint32_t m)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 4;
		struct run *r = realloc(p->r, cap * sizeof(*r));
		if (!r)
			return -1;
		p->r = r;
		p->cap = cap;
	}
	p->r[p->n++] = (struct run){.entry = x->entries[0],
				    .second = x->entries[1],
				    .out = x->entries[m],
				    .trips = m,
				    .head = -1};
	for (uint32_t k = 1; k <= m; k++)
		for (size_t i = x->first[k - 1]; i < x->first[k]; i++) {
			p->run[x->steps[i]->id] = (uint32_t)p->n;
			p->step[x->steps[i]->id] = (uint16_t)k;
		}
	return 0;
}

static int plan_runs(struct search *x, struct loop_plan *p)
{
	const struct ir_block *cand[MAX_CANDIDATES];
	struct match m = {x->ext + 2 * MAX_STEP_BLOCKS, x->ext + 3 * MAX_STEP_BLOCKS, 0, NULL};
	for (size_t i = 0; i < x->n; i++) {
		const struct ir_block *e = x->list[i];
		if (e->op == IR_RET || taken(p, e))
			continue;
		size_t nc = candidates(x, p, e, cand);
		for (size_t c = 0; c < nc; c++) {
			uint32_t len = valid_run(x, grow_run(x, p, e, cand[c], &m));
			if (len >= 2 && worth(x, len)) {
				if (keep_run(p, x, len) < 0)
					return -1;
				break;
			}
		}
	}
	return 0;
}

int loop_plan(struct em *e, struct ir_block *const *list, size_t n)
{
	size_t nb = e->ir->nblocks + 1;
	struct loop_plan *p = calloc(1, sizeof(*p));
	struct search x = {.ir = e->ir, .list = list, .n = n, .e = e};
	e->lp = p;
	x.map = calloc(nb, sizeof(*x.map));
	x.dom = calloc(nb, sizeof(*x.dom));
	x.img = calloc(nb, sizeof(*x.img));
	x.own = calloc(nb, sizeof(*x.own));
	x.ownrun = calloc(nb, sizeof(*x.ownrun));
	x.work = malloc(4 * MAX_STEP_BLOCKS * sizeof(*x.work));
	x.ext = malloc(4 * MAX_STEP_BLOCKS * sizeof(*x.ext));
	x.steps = malloc(nb * sizeof(*x.steps));
	x.first = malloc((MAX_TRIPS + 2) * sizeof(*x.first));
	x.entries = malloc((MAX_TRIPS + 2) * sizeof(*x.entries));
	int rc = -1;
	if (p && (p->run = calloc(nb, sizeof(*p->run))) &&
	    (p->step = calloc(nb, sizeof(*p->step))) && x.map && x.dom && x.img && x.own &&
	    x.ownrun && x.work && x.ext && x.steps && x.first && x.entries)
		rc = plan_runs(&x, p);
	free(x.map);
	free(x.dom);
	free(x.img);
	free(x.own);
	free(x.ownrun);
	free(x.work);
	free(x.ext);
	free(x.steps);
	free(x.first);
	free(x.entries);
	if (rc < 0) {
		loop_free(e);
		e->err = diag_set(e->d, FILTER_ERR_NOMEM, 0, 0, "out of memory");
	}
	return rc;
}

void loop_free(struct em *e)
{
	struct loop_plan *p = e->lp;
	if (!p)
		return;
	free(p->run);
	free(p->step);
	free(p->r);
	free(p);
	e->lp = NULL;
}

static struct run *run_of(const struct em *e, const struct ir_block *b)
{
	return e->lp && e->lp->run[b->id] ? &e->lp->r[e->lp->run[b->id] - 1] : NULL;
}

enum loop_role loop_role(const struct em *e, const struct ir_block *b)
{
	const struct run *r = run_of(e, b);
	if (!r)
		return LOOP_NONE;
	if (e->lp->step[b->id] == 1)
		return b == r->entry ? LOOP_HEAD : LOOP_BODY;
	return b == r->second ? LOOP_LATCH : LOOP_FOLDED;
}

void loop_view(struct em *e)
{
	for (size_t i = 0; e->lp && i < e->lp->n; i++)
		e->lp->r[i].head = -1;
}

/* Nothing cached survives the back edge; the checked window does. */
static void forget_all(struct state *s)
{
	for (int r = 0; r < 11; r++)
		s->reg[r].v = NULL;
	for (int i = 0; i < NSPILL; i++)
		s->spill[i].v = NULL;
}

void loop_head(struct em *e, const struct ir_block *b)
{
	struct run *r = run_of(e, b);
	forget_all(&e->s);
	int t = reg_alloc(e);
	code_put(&e->c, OP(BPF_ALU64, BPF_MOV, BPF_K), t, 0, 0, (int32_t)r->trips);
	code_put(&e->c, OP(BPF_STX, BPF_MEM, BPF_DW), 10, t, LOOP_CNT, 0);
	r->head = code_label(&e->c);
	code_place(&e->c, r->head);
	r->s = e->s;
}

/* The verifier walks every trip of a loop, and its paths through one trip
 * join at the latch only where their states are alike: an offset that one
 * path bounded to [8, 0x87f8] (multiples of 8) and another to [8, 0x83fc]
 * (of 4) keeps them apart, since inside a loop the verifier compares the
 * ranges of scalars exactly.  So a loop's body stores what it computes as
 * 4 bytes: the verifier tracks 8-byte spills only, and the 8-byte load of
 * a scratch slot (emit.c) then reads "some number", on every path alike,
 * which every use checks anyway.  The high half is 0: the prologue zeroes
 * the slots and values are 32-bit, zero-extended.  A byte load (the next
 * header) is the same range [0, 255] on every path: kept 8 bytes. */
int loop_narrow(const struct em *e, const struct ir_block *b, const struct ir_val *v)
{
	enum loop_role role = loop_role(e, b);
	return (role == LOOP_HEAD || role == LOOP_BODY) && v->kind != IR_V_CONST &&
	       !(v->kind == IR_V_LOAD && v->size == 1);
}

const struct ir_block *loop_latch(struct em *e, const struct ir_block *b, const int *lbl)
{
	struct run *r = run_of(e, b);
	if (r->head < 0) { /* the head is not in this view: nor the body */
		e->err =
			diag_set(e->d, FILTER_ERR_LIMIT, 0, 0, "internal: a loop without its head");
		return r->out;
	}
	e->s = r->s;
	int t = reg_alloc(e);
	code_put(&e->c, OP(BPF_LDX, BPF_MEM, BPF_DW), t, 10, LOOP_CNT, 0);
	code_put(&e->c, OP(BPF_ALU64, BPF_ADD, BPF_K), t, 0, 0, -1);
	code_put(&e->c, OP(BPF_STX, BPF_MEM, BPF_DW), 10, t, LOOP_CNT, 0);
	code_jmp(&e->c, OP(BPF_JMP, BPF_JNE, BPF_K), t, 0, 0, r->head);
	code_jmp(&e->c, OP(BPF_JMP, BPF_JA, BPF_K), 0, 0, 0, lbl[r->out->id]);
	e->s = r->s;
	return r->out;
}
