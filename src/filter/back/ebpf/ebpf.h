/*
 * ebpf.h - the eBPF backend: the IR graph to an eBPF program for XDP or tc.
 *
 * The backend owns: the instruction buffer with labels and its final
 * resolution and peephole pass (code.c); the hook profiles - prologue,
 * packet views, ancillary data, lengths and verdicts (hook.c); the register
 * cache with spills to 8-byte stack slots (regs.c); the block walk and
 * value materialisation (emit.c); the guarded windows the loads go through
 * (win.c) and the guaranteed extents that let a block check up front what
 * its accepting paths read (guard.c); the switches, tests of one value
 * against many constants as one search (switch.c); the returns folded
 * into the jumps to them (ret.c); the unrolled walks folded back into
 * bounded loops (loop.c); and the listings (dump.c).
 *
 * At tc the program comes twice, unless that makes it too long: a copy for
 * linear skbs (where data..data_end is the whole packet, so a failed guard
 * rejects, as at XDP) and a copy that reads what lies beyond the linear
 * part with bpf_skb_load_bytes() into a stack buffer.
 *
 * Register use (the hook's profile, hook_regs()): at tc, r6 the context, r7
 * the start and r8 the end of the direct packet window (data/data_end), and
 * r0-r5, r9 hold IR values (helper calls clobber r1-r5).  At XDP, which
 * calls no helper, r1 holds data and r2 data_end, the context is dropped
 * after the prologue (or kept in r6 when a tail call or a context field
 * needs it), and IR values go to r0, r3-r5 first: the JIT saves and
 * restores every callee-saved register (r6-r9) a program writes, so those
 * come last.  r10 is the frame.
 * Stack (below r10): IR scratch slots, value spills, the save area for
 * helper calls at tc, and buffers for bpf_skb_load_bytes.
 *
 * A packet "view" is what the program's loads see.  PLAIN: the bytes.
 * PEEL (--vlan live, a tag still in the bytes): the frame without its outer
 * 802.1Q/802.1ad tag, whose TCI becomes the ancillary VLAN value.  META (tc,
 * the kernel moved the tag into skb->vlan_*): under --vlan live the bytes
 * and the metadata as they are; under raw the frame with the tag put back.
 * Each view gets its own copy of the program, chosen once at entry, so that
 * every offset stays a constant.
 */
#ifndef BPFCAP_FILTER_EBPF_H
#define BPFCAP_FILTER_EBPF_H

#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"
#include "filter.h"
#include "ir/ir.h"

struct ebpf_opts {
	enum filter_hook hook;
	enum filter_ebpf_accept accept;
	int observe;
	int tc_helper_only;
	int vlan_live; /* FILTER_VLAN_LIVE */
	int optimize;  /* run the peephole pass beyond what loading needs */
};

int ebpf_emit(const struct ir *ir, const struct ebpf_opts *o, struct diag_sink *d,
	      struct filter_ebpf_prog *out);

/* ---- code.c: instructions with symbolic jump targets ---------------- */

struct einsn {
	struct filter_ebpf_insn in;
	int tgt; /* label of a jump, -1 otherwise */
};

struct code {
	struct einsn *v;
	size_t n, cap;
	long *lpos; /* label -> instruction index, -1 until placed */
	size_t nl, lcap;
	int err;	  /* out of memory */
	size_t tail_insn; /* the tail call's BPF_LD_IMM64, SIZE_MAX if none */
};

int code_label(struct code *c);
void code_place(struct code *c, int label);
void code_put(struct code *c, uint8_t op, int dst, int src, int16_t off, int32_t imm);
/* A jump (conditional or BPF_JA) to LABEL. */
void code_jmp(struct code *c, uint8_t op, int dst, int src, int32_t imm, int label);
/* Remove unreachable code and jumps to the next instruction, thread jumps,
 * and (OPTIMIZE) drop instructions whose result nothing reads; then
 * resolve labels into OUT.  0 or -1 (out of memory, or a jump out of
 * range: errno-free, the caller reports). */
int code_finish(struct code *c, int optimize, struct filter_ebpf_prog *out);
/* Registers an instruction reads (USE) and writes (DEF), as bit masks. */
void code_use_def(const struct filter_ebpf_insn *i, uint32_t *use, uint32_t *def);
/* Registers live into each instruction (IN, n + 2 zeroed words), skipping
 * those marked in DEL (may be NULL). */
void code_liveness(const struct code *c, const uint8_t *del, uint32_t *in);
/* After a rewrite of the instructions: labels and the tail call's index
 * move by MAP (old index -> new, MAP[n] the end); V (when not NULL, of N
 * instructions in CAP slots) replaces the array. */
void code_remap(struct code *c, const long *map, struct einsn *v, size_t n, size_t cap);
/* Delete the instructions marked in DEL; labels move to the next survivor. */
int code_compact(struct code *c, const uint8_t *del);
/* ret.c: returns folded into the jumps to them; 1 changed, 0 not, -1 out
 * of memory. */
int code_fold_returns(struct code *c);
/* After it: 'r0 = K' where r0 is K already, 'exit' before 'exit'. */
int code_tidy_returns(struct code *c);

/* ---- stack layout (offsets from r10) -------------------------------- */

enum {
	NSPILL = 16,
	STK_MEM = -8,	  /* scratch slot k at STK_MEM - 8k */
	LOOP_CNT = -128,  /* loop.c's trip count: the last scratch slot */
	STK_SPILL = -136, /* spill slot i at STK_SPILL - 8i */
	STK_SAVE = -264,  /* register r saved at STK_SAVE - 8r around a call */
	STK_BUF = -512,	  /* load-bytes buffers: [STK_BUF, STK_BUF + BUF_SIZE) */
	BUF_SIZE = 168,
	WIN_SPAN = 64, /* the widest window one helper call copies */
	NPOOL = 8,     /* registers for IR values, at most */
	MAXWIN = 16,
};

enum view { VIEW_PLAIN, VIEW_PEEL, VIEW_META, NVIEWS };

/* ---- regs.c: what registers and spill slots hold -------------------- */

struct loc {
	const struct ir_val *v;
	uint8_t raw; /* 0: the value; 2/4: its big-endian bytes as loaded (host order) */
	uint8_t ptr; /* 1: not V but data + V (+ the view's shift), checked for EXT */
	int32_t ext, need;
	uint32_t lru;
};

struct state {
	struct loc reg[11];
	struct loc spill[NSPILL];
	uint32_t checked; /* XDP: bytes from data known to be in the window */
};

struct win {
	const struct ir_val *base; /* NULL: absolute */
	int32_t min, ext;	   /* physical offsets [min, ext) relative to base */
	int reg;		   /* the pointer register; R7 for XDP's absolute window */
	int32_t need, delta;	   /* indexed: the least index, and the view's shift */
	uint8_t align;		   /* tc: allowed (buffer - min) % 4 values, bit mask */
};

struct em {
	const struct ir *ir;
	const struct ebpf_opts *o;
	struct diag_sink *d;
	struct code c;
	struct state s;
	uint32_t pinned; /* registers in use by the current operation */
	uint32_t tick;
	int *uses;  /* per value id: references not yet consumed */
	int *buses; /* per value id: of those, loads from it (it is their index) */
	uint32_t *stamp, cur;
	struct win w[MAXWIN];
	int nw, buf_used;
	enum view view;
	int linear;	 /* tc: the copy for skbs whose linear part is the whole packet */
	int linear_copy; /* tc: that copy exists */
	uint32_t pre;	 /* direct windows: the extent the block may check up front */
	const struct ir_block *blk; /* the block being emitted */
	int seg;		    /* its segment: store SEG, or the test after them */
	int lbl_accept, lbl_reject;
	int need_accept, need_reject;
	int rctx, rdata, rend; /* the context (-1: dropped), data, data_end */
	int pool[NPOOL], npool;
	uint32_t callee_used; /* callee-saved registers written so far */
	struct sw_plan *sw;   /* switch.c */
	struct loop_plan *lp; /* loop.c */
	int err;
};

/* The hook's register profile into E (rctx, rdata, rend, pool). */
void hook_regs(struct em *e);

void reg_meet(struct state *into, const struct state *from);
int reg_find(const struct em *e, const struct ir_val *v);
int reg_alloc(struct em *e);
/* Record that R now holds V (RAW form); forgets what it held. */
void reg_set(struct em *e, int r, const struct ir_val *v, uint8_t raw);
void reg_forget(struct em *e, int r);
/* Bring a spilled V back into a register; -1 if V is not spilled. */
int reg_unspill(struct em *e, const struct ir_val *v);
/* Forget every register and spill whose value reads scratch slot SLOT. */
void reg_invalidate_slot(struct em *e, uint32_t slot);
int reg_cached(const struct em *e, const struct ir_val *v);
void reg_pin(struct em *e, int r);
void reg_unpin(struct em *e, int r);

/* ---- emit.c: values ------------------------------------------------- */

enum { MAXLOADS = 256, XDP_MAX_OFF = 0x7fff, MAX_PKT_OFF = 0xffff };

/* A jump to the reject epilogue. */
void emit_to_reject(struct em *e);
/* Whether a failed guard rejects (XDP; tc for linear skbs), so guards and
 * checked pointers carry over between blocks. */
int emit_direct(const struct em *e);
/* V in a register, as a value (not raw bytes). */
int emit_nval(struct em *e, const struct ir_val *v);
/* V in a register for == tests against the constants KS (N): as loaded,
 * network order included, when every constant fits the load (then *SWAP is
 * the load's size: compare with the constants byte-swapped to it), else as
 * a value (*SWAP 0). */
int emit_eq_val(struct em *e, const struct ir_val *v, const uint64_t *ks, size_t n, uint8_t *swap);
/* K as a register compared with it holds it: byte-swapped to SWAP bytes. */
uint32_t emit_eq_k(uint32_t k, uint8_t swap);

/* ---- win.c: guarded windows ------------------------------------------ */

/* Plan and guard the loads of values A and B (either may be NULL).  1: the
 * segment always faults (a jump to reject was emitted) or an error. */
int win_begin(struct em *e, const struct ir_val *a, const struct ir_val *b);
void win_end(struct em *e);
/* The window of a load of SIZE bytes at physical offset PHYS from BASE. */
const struct win *win_for(const struct em *e, const struct ir_val *base, int32_t phys,
			  uint8_t size);
/* A block's guaranteed guard (e->pre), direct windows only. */
void win_block_pre(struct em *e);

/* ---- guard.c: guaranteed extents ----------------------------------- */

#define GUARD_NONE UINT32_MAX
/* For each block (by id) of LIST (N, topological order), in the current
 * view: the bytes from the start of the packet that every path from the
 * block to an accept reads with absolute loads (GUARD_NONE: no path
 * accepts).  A guard of that extent rejects only packets every path
 * would reject, so a block may check it up front (cbpfc's "guaranteed
 * guard"), and later blocks need no guard of their own. */
void guard_extents(struct em *e, struct ir_block *const *list, size_t n, uint32_t *g);

/* ---- switch.c: tests of one value against constants, merged -------- */

struct sw;
/* Find the switches among LIST (N blocks, topological order): 0, or -1
 * (out of memory, reported). */
int sw_plan(struct em *e, struct ir_block *const *list, size_t n);
void sw_free(struct em *e);
/* The switch B starts, or NULL. */
const struct sw *sw_root(const struct em *e, const struct ir_block *b);
/* Whether B is a block of a switch other than its first. */
int sw_inside(const struct em *e, const struct ir_block *b);
/* The value's load, then the search; jumps to LBL[exit block id].  NEXT:
 * the label placed right after (-2: none), whose tests come last so that
 * the path to it falls through. */
void sw_emit(struct em *e, const struct sw *s, const int *lbl, int next);
/* Where the switch goes on: *EXITS, and how many. */
size_t sw_exits(const struct sw *s, const struct ir_block *const **exits);

/* ---- loop.c: unrolled walks as bounded loops ---------------------- */

/* A block's part in a folded run of identical steps: HEAD the first
 * step's entry, BODY the first step's other blocks (emitted once, as the
 * loop's body), LATCH the second step's entry (where the back edge goes
 * out), FOLDED the other blocks of later steps (not emitted). */
enum loop_role { LOOP_NONE, LOOP_HEAD, LOOP_BODY, LOOP_LATCH, LOOP_FOLDED };
/* Find the runs among LIST (N blocks, topological order), after
 * sw_plan(): 0, or -1 (out of memory, reported). */
int loop_plan(struct em *e, struct ir_block *const *list, size_t n);
void loop_free(struct em *e);
enum loop_role loop_role(const struct em *e, const struct ir_block *b);
/* At the start of each view: no head emitted yet. */
void loop_view(struct em *e);
/* Before a HEAD block's code: the trip count, the head's label, an empty
 * register cache (E->s). */
void loop_head(struct em *e, const struct ir_block *b);
/* Whether block B stores V to its scratch slot as 4 bytes, not 8 (in a
 * loop's body, so that the verifier forgets its bounds; see loop.c). */
int loop_narrow(const struct em *e, const struct ir_block *b, const struct ir_val *v);
/* At a LATCH block's place: the back edge and the jump out; returns the
 * block after the run, E->s the state it is entered with. */
const struct ir_block *loop_latch(struct em *e, const struct ir_block *b, const int *lbl);

/* ---- hook.c: the hook profiles ------------------------------------- */

/* Prologue: context and window registers, zeroed scratch slots, and the
 * choice of view; jumps to ENTRY[linear][view] for the views in use (USED):
 * at XDP ENTRY[0]; at tc ENTRY[1] when the skb is linear, else ENTRY[0]. */
void hook_prologue(struct em *e, uint32_t nslots, const int *used, const int (*entry)[NVIEWS]);
/* The views the expression needs at this hook (USED[view] set to 1). */
void hook_views(const struct em *e, int *used);
/* The bytes from data a view's entry has checked (the peel check's 18). */
uint32_t hook_view_checked(enum view v);
/* The value of LEN or an ancillary datum into a fresh register; -1 with
 * a diagnostic when the hook cannot provide it. */
int hook_len(struct em *e);
int hook_anc(struct em *e, const struct ir_val *v);
/* 1 and *K when the view alone decides the ancillary datum V (whether a
 * VLAN tag was there), so tests of it need no code. */
int hook_anc_known(const struct em *e, const struct ir_val *v, uint32_t *k);
/* Map view offset K (SIZE bytes) of an absolute load to a physical one:
 * 0 and *PHYS; 1 when the bytes are the tag's metadata (META under raw);
 * 2 when the load straddles the tag's place (load it byte by byte).
 * Indexed loads keep their offset (0): the view shifts their index. */
int hook_map(struct em *e, uint32_t k, uint8_t size, int indexed, int32_t *phys);
/* For an indexed load at view offset K: the shift of its index, and in
 * *NEED the smallest index the shift is right for (smaller ones reject). */
int32_t hook_index_shift(const struct em *e, uint32_t k, int32_t *need);
/* The META-raw synthetic load of view bytes [K, K+SIZE) inside 12..15. */
int hook_meta_load(struct em *e, uint32_t k, uint8_t size);
/* The accept and reject epilogues (only those jumped to). */
void hook_epilogues(struct em *e);
/* A bpf_skb_load_bytes(ctx, OFF_REG (+ OFF) or OFF, r10 + BUF, LEN) call
 * that rejects the packet when it fails; saves and restores the pool
 * registers in use. OFF_REG < 0: the offset is the constant OFF. */
void hook_load_bytes(struct em *e, int off_reg, int32_t off, int16_t buf, int32_t len);

/* opcodes as bytes */
#define OP(cls, op, src) ((uint8_t)((cls) | (op) | (src)))

#endif
