/*
 * ir.h - the compiler's intermediate representation.
 *
 * A program is a directed acyclic graph of basic blocks.  Each block runs a
 * list of scratch stores, then either returns (IR_RET, value k) or tests a
 * value and continues on succ[1] (true) or succ[0] (false).
 *
 * Values are pure expressions over the packet (loads, lengths, ancillary
 * data, arithmetic), hash-consed: two structurally equal values are the same
 * pointer, which is what makes redundant-load and redundant-test elimination
 * cheap.  Evaluating a load out of bounds, or a division by zero at run time,
 * rejects the packet (classic BPF's rule); backends must keep that (the
 * optimizer may drop or move loads past the end under opt.h's rule).  The
 * only impure value is IR_V_MEM, the content of a scratch slot written by a
 * block's stores (used for loops unrolled by protochain).
 *
 * The IR is independent of the backend: classic BPF (back/cbpf/) maps A, X and
 * M[] directly; an eBPF backend maps values to registers.
 */
#ifndef BPFCAP_FILTER_IR_H
#define BPFCAP_FILTER_IR_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"

enum ir_vkind {
	IR_V_CONST, /* k */
	IR_V_LEN,   /* the packet's wire length */
	IR_V_LOAD,  /* size bytes (1, 2, 4), big-endian, at a + k (a NULL: at k) */
	IR_V_MSH,   /* 4 * (byte at k & 0xf): the IPv4 header length */
	IR_V_ANC,   /* Linux ancillary datum at SKF_AD_OFF + k (size: the listing's width) */
	IR_V_BIN,   /* a op b, 32-bit unsigned; op is enum ir_op */
	IR_V_NEG,   /* -a */
	IR_V_MEM,   /* scratch slot k as last stored */
	IR_V_FAULT, /* rejects the packet when evaluated */
};

enum ir_op {
	IR_ADD,
	IR_SUB,
	IR_MUL,
	IR_DIV,
	IR_MOD,
	IR_AND,
	IR_OR,
	IR_XOR,
	IR_LSH,
	IR_RSH,
};

struct ir_val {
	enum ir_vkind kind;
	enum ir_op op;
	uint8_t size;
	uint32_t k;
	const struct ir_val *a, *b;
	uint32_t id;	   /* dense, in creation order */
	uint32_t depth;	   /* longest path to a leaf */
	int may_fault;	   /* evaluating it may reject the packet */
	int faults;	   /* evaluating it always rejects: it contains IR_V_FAULT */
	uint32_t uses_mem; /* bit k: reads scratch slot k */
	struct ir_val *hnext;
};

enum ir_test { IR_JEQ, IR_JGT, IR_JGE, IR_JSET, IR_RET };

struct ir_stmt {
	uint32_t slot;
	const struct ir_val *v;
	struct ir_stmt *next;
};

struct ir_block {
	uint32_t id;
	struct ir_stmt *stmts;
	enum ir_test op;
	const struct ir_val *lhs;
	const struct ir_val *rhs; /* NULL: compare with k */
	uint32_t k;		  /* the constant operand, or the return value */
	struct ir_block *succ[2]; /* [1] if the test holds, [0] if not */
	/* Header walks (protochain), an additive annotation that only the
	 * optimizer's walk sharing (ir/opt_walk.h) reads; 0/NULL elsewhere.
	 * walk_key != 0 with walk_exit set: the first block of a walk, whose
	 * every path ends in walk_exit (faults aside).  walk_key != 0 with
	 * walk_exit NULL: a walk's exit, entered with the walk's results in
	 * its scratch slots.  Walks with one key compute the same results
	 * from the same packet, so a walk that follows an exit of its key
	 * with no store in between can be skipped.  A backend may ignore it. */
	uint32_t walk_key;
	struct ir_block *walk_exit;
};

#define IR_MEMWORDS 16
/* Scratch words the generator may claim; the rest are the backend's. */
#define IR_GEN_SLOTS 9
#define IR_MAX_DEPTH 1000

struct ir {
	struct arena *a;
	struct ir_val **htab;
	uint32_t hsize;
	uint32_t nvals, nblocks;
	uint32_t nslots;     /* scratch words M[0..nslots-1] hold IR_V_MEM state */
	uint32_t zero_slots; /* bit k: slot k may be read where nothing stored it */
	struct ir_block *accept, *reject;
	struct ir_block *root;
};

int ir_init(struct ir *ir, struct arena *a, uint32_t snaplen);

/* Value constructors: NULL only on allocation failure.  Constants fold, and
 * identities that keep every load (x+0, x*1, ...) simplify. */
const struct ir_val *ir_const(struct ir *ir, uint32_t k);
const struct ir_val *ir_len(struct ir *ir);
const struct ir_val *ir_load(struct ir *ir, uint8_t size, const struct ir_val *index, uint32_t k);
const struct ir_val *ir_msh(struct ir *ir, uint32_t k);
const struct ir_val *ir_anc(struct ir *ir, uint8_t size, uint32_t k);
const struct ir_val *ir_bin(struct ir *ir, enum ir_op op, const struct ir_val *a,
			    const struct ir_val *b);
const struct ir_val *ir_neg(struct ir *ir, const struct ir_val *a);
const struct ir_val *ir_mem(struct ir *ir, uint32_t slot);
const struct ir_val *ir_fault(struct ir *ir);

struct ir_block *ir_block_new(struct ir *ir, enum ir_test op, const struct ir_val *lhs,
			      const struct ir_val *rhs, uint32_t k);
int ir_block_store(struct ir *ir, struct ir_block *b, uint32_t slot, const struct ir_val *v);
/* A block that only stores: its test is constant true (succ[1]). */
struct ir_block *ir_block_stores(struct ir *ir);
/* Claim a scratch slot: its number, or -1 when IR_GEN_SLOTS are in use.
 * ZERO: the slot can be read on paths that never stored it, so the program
 * must start by zeroing it. */
int ir_slot_alloc(struct ir *ir, int zero);

/* The blocks reachable from the root in reverse postorder (a topological
 * order: every edge goes forward) into LIST (room for nblocks).  Returns
 * the count, or 0 when out of memory. */
size_t ir_order(const struct ir *ir, struct ir_block **list);

/* The same, with the successors on side SIDE (0 true, 1 false) explored
 * first, so the other side's blocks come first in the order: ir_order() is
 * SIDE 1 (the true side first, 'ret #snaplen' before 'ret #0'). */
size_t ir_order_side(const struct ir *ir, struct ir_block **list, int side);

/* 1 if every way evaluating V (NULL: nothing) can reject the packet is a
 * read past the packet's end: absolute loads, the IPv4 header length and
 * loads past it.  A division by zero, ancillary data (a fault in user
 * space), IR_V_FAULT and loads at other indexes are not.  The optimizer
 * may skip or reorder such reads under its rule for short packets (opt.h). */
int ir_read_faults(const struct ir_val *v);

/* Evaluate a test's outcome on constants: 1/0. */
int ir_test_const(enum ir_test op, uint32_t a, uint32_t b);
/* Compute a op b as classic BPF does (b != 0 for DIV/MOD). */
uint32_t ir_op_apply(enum ir_op op, uint32_t a, uint32_t b);

#endif
