/*
 * ebpf_rules_priv.h - the parts of ebpf_rules.c's walk that its modules
 * share: the abstract state (register and stack types) and the steps.
 * ebpf_rules.c: the shape and the walk; ebpf_rules_mem.c: loads, stores,
 * calls; ebpf_rules_ops.c: arithmetic and conditional jumps.
 */
#ifndef BPFCAP_EBPF_RULES_PRIV_H
#define BPFCAP_EBPF_RULES_PRIV_H

#include <linux/bpf.h>
#include <stdint.h>

#include "ebpf_rules.h"

#define NSPILL		   20 /* spilled slots followed; more is UNDECIDED */
#define NREGS		   11
#define STACK		   512
#define MAX_PKT_OFF	   0xffff
#define KEEP_PER_INSN	   4	 /* states kept per instruction */
#define KEEP_PER_LOOP_HEAD 64	 /* at the target of a backward jump, and at joins in loops */
#define KEEP_MAX	   20000 /* in all */
#define K_LOOP_HEAD	   1	 /* a backward jump lands here */
#define K_HALF		   2	 /* the second half of a BPF_LD_IMM64 */
#define K_JOIN		   4	 /* a jump lands here, or a conditional jump falls through */
#define K_IN_LOOP	   8	 /* on a path from a loop's head to its backward jump */

enum rtype { T_NONE = 0, T_SCALAR, T_CTX, T_PKT, T_PKT_END, T_STACK, T_MAP };

struct reg {
	uint8_t type;
	uint32_t id;	     /* T_PKT: the variable part; T_SCALAR: copies (0: none) */
	int32_t off;	     /* T_PKT, T_STACK, T_CTX: the fixed offset */
	int32_t range;	     /* T_PKT: bytes proven readable from the base */
	uint64_t umin, umax; /* T_SCALAR; T_PKT: bounds of the variable part */
};

struct state {
	struct reg r[NREGS];
	uint8_t init[STACK / 8]; /* a bit per stack byte */
	uint8_t nspill;
	struct spill {
		uint8_t slot; /* slot k holds fp-512+8k .. +7 */
		struct reg r;
	} spill[NSPILL]; /* the 8-byte slots that hold a register */
	uint32_t next_id;
};

/* A state kept at an instruction; REFS counts the paths from it not walked
 * to their end yet (the verifier's "branches"): only a state with none left
 * may cover another, or a loop could cover itself. */
struct entry {
	struct state st;
	struct entry *parent;
	struct entry *next; /* kept at the same instruction */
	size_t refs;
};

struct item {
	struct state st;
	size_t pc;
	struct entry *parent;
};

struct walk {
	const struct bpf_insn *p;
	size_t len, prog_array, processed, budget;
	enum filter_hook hook;
	uint8_t *kind;	     /* per insn: K_* */
	uint16_t *live;	     /* per insn: registers a path from it may read first */
	struct entry **kept; /* per insn: the states kept there, a list */
	uint8_t *nkept;
	size_t nentries;
	struct item *stack; /* work list */
	size_t depth, cap;
	struct ebpf_rules_report *rep;
	int verdict;
};

/* The rule about to be reported is ours, beyond the kernel's (which lets
 * root read uninitialised stack): marks the report. */
int er_strict(struct walk *w);
int er_fail(struct walk *w, size_t pc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* What the checker does not model (a helper it does not know). */
int er_undecided(struct walk *w, size_t pc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void er_scalar(struct reg *r, uint64_t min, uint64_t max);
int er_const(const struct reg *r);
int er_use(struct walk *w, size_t pc, const struct state *s, int reg);
/* A write of SIZE bytes (VAL: a register spilled, or NULL) or a read at
 * BASE + OFF on the stack. */
int er_stack_access(struct walk *w, size_t pc, struct state *s, const struct reg *base, int off,
		    int size, int write, const struct reg *val);

/* The register spilled to SLOT, or NULL. */
const struct reg *er_spilled(const struct state *s, int slot);

/* The steps: 0, or -1 with the broken rule reported. */
int er_alu(struct walk *w, size_t pc, struct state *st, const struct bpf_insn *i);
int er_mem_load(struct walk *w, size_t pc, struct state *s, const struct bpf_insn *i);
int er_mem_store(struct walk *w, size_t pc, struct state *s, const struct bpf_insn *i);
int er_call(struct walk *w, size_t pc, struct state *st, const struct bpf_insn *i);
int er_legacy_load(struct walk *w, size_t pc, struct state *st, const struct bpf_insn *i);
int er_ld_imm64(struct walk *w, size_t pc, struct state *st, const struct bpf_insn *i);
/* A conditional jump: 1 go to the target with ST, 0 fall through with ST,
 * 2 both (ST falls through, *T takes the jump); -1 a rule broke. */
int er_cond_jump(struct walk *w, size_t pc, struct state *st, struct state *t,
		 const struct bpf_insn *i);

#endif
