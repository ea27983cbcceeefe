/* hook.c - the hook profiles: where the packet window and the VLAN tag come
 * from at XDP and at tc, what `len` and the ancillary data are there, and
 * what the program returns.  See ebpf.h. */
#include "back/ebpf/ebpf.h"

#include <linux/bpf.h>
#include <linux/filter.h>
#include <stddef.h>

enum {
	XDP_DROP_V = 1, /* enum xdp_action */
	XDP_PASS_V = 2,
	TC_OK_V = 0, /* TC_ACT_* of <linux/pkt_cls.h> */
	TC_SHOT_V = 2,
	TC_UNSPEC_V = -1,
	HELPER_TAIL_CALL = 12,	/* BPF_FUNC_tail_call */
	HELPER_LOAD_BYTES = 26, /* BPF_FUNC_skb_load_bytes */
	PEEL_NEED = 18,		/* Ethernet header + tag: the TCI is readable */
};

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define BE16(x) ((uint16_t)__builtin_bswap16((uint16_t)(x)))
#else
#define BE16(x) ((uint16_t)(x))
#endif

static int tc(const struct em *e)
{
	return e->o->hook == FILTER_HOOK_TC;
}

/* Whether loads or values of the expression depend on where the tag is. */
static int view_sensitive(const struct ir *ir)
{
	for (uint32_t h = 0; h < ir->hsize; h++)
		for (const struct ir_val *v = ir->htab[h]; v; v = v->hnext) {
			if (v->kind == IR_V_LEN || (v->kind == IR_V_LOAD && v->a))
				return 1;
			if ((v->kind == IR_V_LOAD || v->kind == IR_V_MSH) && v->k + v->size > 12)
				return 1;
			if (v->kind == IR_V_MSH && v->k + 1 > 12)
				return 1;
			if (v->kind == IR_V_ANC &&
			    (v->k == SKF_AD_VLAN_TAG || v->k == SKF_AD_VLAN_TAG_PRESENT))
				return 1;
		}
	return 0;
}

void hook_views(const struct em *e, int *used)
{
	int sens = view_sensitive(e->ir);
	used[VIEW_PLAIN] = 1;
	used[VIEW_PEEL] = sens && e->o->vlan_live;
	used[VIEW_META] = sens && tc(e);
}

uint32_t hook_view_checked(enum view v)
{
	return v == VIEW_PEEL ? PEEL_NEED : 0;
}

static void ctx_load(struct em *e, int dst, int off)
{
	code_put(&e->c, OP(BPF_LDX, BPF_MEM, BPF_W), dst, e->rctx, (int16_t)off, 0);
}

static void dispatch(struct em *e, const int *used, const int *entry)
{
	struct code *c = &e->c;
	if (used[VIEW_META]) {
		ctx_load(e, 0, offsetof(struct __sk_buff, vlan_present));
		code_jmp(c, OP(BPF_JMP32, BPF_JNE, BPF_K), 0, 0, 0, entry[VIEW_META]);
	}
	if (used[VIEW_PEEL]) {
		code_put(c, OP(BPF_ALU64, BPF_MOV, BPF_X), 0, e->rdata, 0, 0);
		code_put(c, OP(BPF_ALU64, BPF_ADD, BPF_K), 0, 0, 0, PEEL_NEED);
		code_jmp(c, OP(BPF_JMP, BPF_JGT, BPF_X), 0, e->rend, 0, entry[VIEW_PLAIN]);
		code_put(c, OP(BPF_LDX, BPF_MEM, BPF_H), 0, e->rdata, 12, 0);
		code_jmp(c, OP(BPF_JMP32, BPF_JEQ, BPF_K), 0, 0, BE16(0x8100), entry[VIEW_PEEL]);
		code_jmp(c, OP(BPF_JMP32, BPF_JEQ, BPF_K), 0, 0, BE16(0x88a8), entry[VIEW_PEEL]);
	}
	code_jmp(c, OP(BPF_JMP, BPF_JA, BPF_K), 0, 0, 0, entry[VIEW_PLAIN]);
}

/* Whether an XDP program reads its context after the prologue. */
static int xdp_needs_ctx(const struct em *e)
{
	if (e->o->accept == FILTER_EBPF_TAIL_CALL)
		return 1;
	const struct ir *ir = e->ir;
	for (uint32_t h = 0; h < ir->hsize; h++)
		for (const struct ir_val *v = ir->htab[h]; v; v = v->hnext)
			if (v->kind == IR_V_ANC && v->k != SKF_AD_VLAN_TAG &&
			    v->k != SKF_AD_VLAN_TAG_PRESENT)
				return 1; /* a field of struct xdp_md */
	return 0;
}

void hook_regs(struct em *e)
{
	static const int tc_pool[] = {0, 1, 2, 3, 4, 5, 9};
	static const int xdp_pool[] = {3, 4, 5, 0, 6, 7, 8, 9}; /* r0 last: ret.c */
	int n = 0;
	if (tc(e)) {
		e->rctx = 6, e->rdata = 7, e->rend = 8;
		for (size_t i = 0; i < sizeof(tc_pool) / sizeof(tc_pool[0]); i++)
			e->pool[n++] = tc_pool[i];
	} else {
		e->rctx = xdp_needs_ctx(e) ? 6 : -1, e->rdata = 1, e->rend = 2;
		for (size_t i = 0; i < sizeof(xdp_pool) / sizeof(xdp_pool[0]); i++)
			if (xdp_pool[i] != e->rctx)
				e->pool[n++] = xdp_pool[i];
	}
	e->npool = n;
}

void hook_prologue(struct em *e, uint32_t nslots, const int *used, const int (*entry)[NVIEWS])
{
	struct code *c = &e->c;
	if (tc(e)) {
		code_put(c, OP(BPF_ALU64, BPF_MOV, BPF_X), 6, 1, 0, 0);
		ctx_load(e, 7, offsetof(struct __sk_buff, data));
		ctx_load(e, 8, offsetof(struct __sk_buff, data_end));
	} else {
		int ctx = e->rctx < 0 ? 1 : e->rctx;
		if (e->rctx >= 0)
			code_put(c, OP(BPF_ALU64, BPF_MOV, BPF_X), e->rctx, 1, 0, 0);
		/* data_end first: r1 is the context until data overwrites it */
		code_put(c, OP(BPF_LDX, BPF_MEM, BPF_W), e->rend, ctx,
			 offsetof(struct xdp_md, data_end), 0);
		code_put(c, OP(BPF_LDX, BPF_MEM, BPF_W), e->rdata, ctx,
			 offsetof(struct xdp_md, data), 0);
	}
	for (uint32_t k = 0; k < nslots && k < IR_MEMWORDS; k++)
		code_put(c, OP(BPF_ST, BPF_MEM, BPF_DW), 10, 0, (int16_t)(STK_MEM - 8 * (int)k), 0);
	if (!tc(e) || !e->linear_copy) {
		dispatch(e, used, entry[0]);
		return;
	}
	/* linear (data_end - data == len) and short enough for 16-bit offsets */
	int nonlinear = code_label(c);
	ctx_load(e, 0, offsetof(struct __sk_buff, len));
	code_jmp(c, OP(BPF_JMP32, BPF_JGT, BPF_K), 0, 0, 0x7fff - 8, nonlinear);
	code_put(c, OP(BPF_ALU64, BPF_MOV, BPF_X), 1, 8, 0, 0);
	code_put(c, OP(BPF_ALU64, BPF_SUB, BPF_X), 1, 7, 0, 0);
	code_jmp(c, OP(BPF_JMP32, BPF_JNE, BPF_X), 1, 0, 0, nonlinear);
	dispatch(e, used, entry[1]);
	code_place(c, nonlinear);
	dispatch(e, used, entry[0]);
}

int hook_len(struct em *e)
{
	int r = reg_alloc(e);
	if (tc(e)) {
		ctx_load(e, r, offsetof(struct __sk_buff, len));
	} else {
		code_put(&e->c, OP(BPF_ALU64, BPF_MOV, BPF_X), r, e->rend, 0, 0);
		code_put(&e->c, OP(BPF_ALU64, BPF_SUB, BPF_X), r, e->rdata, 0, 0);
	}
	if (e->view == VIEW_PEEL)
		code_put(&e->c, OP(BPF_ALU, BPF_SUB, BPF_K), r, 0, 0, 4);
	else if (e->view == VIEW_META && !e->o->vlan_live)
		code_put(&e->c, OP(BPF_ALU, BPF_ADD, BPF_K), r, 0, 0, 4);
	return r;
}

static int refuse(struct em *e, const char *what)
{
	e->err = diag_set(e->d, FILTER_ERR_SEMANTIC, 0, 0, "%s cannot be matched at the %s hook",
			  what, tc(e) ? "tc" : "XDP");
	return -1;
}

static int vlan_anc(struct em *e, int tag)
{
	int r = reg_alloc(e);
	struct code *c = &e->c;
	switch (e->view) {
	case VIEW_PLAIN: code_put(c, OP(BPF_ALU, BPF_MOV, BPF_K), r, 0, 0, 0); break;
	case VIEW_PEEL:
		if (!tag) {
			code_put(c, OP(BPF_ALU, BPF_MOV, BPF_K), r, 0, 0, 1);
			break;
		}
		code_put(c, OP(BPF_LDX, BPF_MEM, BPF_H), r, e->rdata, 14, 0);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		code_put(c, OP(BPF_ALU, BPF_END, BPF_TO_BE), r, 0, 0, 16);
#endif
		break;
	default:
		if (tag)
			ctx_load(e, r, offsetof(struct __sk_buff, vlan_tci));
		else
			code_put(c, OP(BPF_ALU, BPF_MOV, BPF_K), r, 0, 0, 1);
		break;
	}
	return r;
}

int hook_anc_known(const struct em *e, const struct ir_val *v, uint32_t *k)
{
	if (v->kind != IR_V_ANC || v->k != SKF_AD_VLAN_TAG_PRESENT)
		return 0;
	*k = e->view != VIEW_PLAIN; /* the view was chosen by that very fact */
	return 1;
}

int hook_anc(struct em *e, const struct ir_val *v)
{
	int r;
	switch (v->k) {
	case SKF_AD_VLAN_TAG: return vlan_anc(e, 1);
	case SKF_AD_VLAN_TAG_PRESENT: return vlan_anc(e, 0);
	case SKF_AD_IFINDEX:
		r = reg_alloc(e);
		ctx_load(e, r,
			 tc(e) ? (int)offsetof(struct __sk_buff, ifindex)
			       : (int)offsetof(struct xdp_md, ingress_ifindex));
		return r;
	case SKF_AD_PKTTYPE:
		if (!tc(e))
			return refuse(e, "'inbound' and 'outbound' (the packet type is not known "
					 "before the stack sees the packet)");
		r = reg_alloc(e);
		ctx_load(e, r, offsetof(struct __sk_buff, pkt_type));
		return r;
	default: return refuse(e, "this ancillary datum");
	}
}

int hook_map(struct em *e, uint32_t k, uint8_t size, int indexed, int32_t *phys)
{
	*phys = (int32_t)k;
	if (indexed || e->view == VIEW_PLAIN || (e->view == VIEW_META && e->o->vlan_live) ||
	    k + size <= 12)
		return 0;
	if (e->view == VIEW_PEEL) {
		if (k < 12)
			return 2;
		*phys = (int32_t)k + 4;
		return 0;
	}
	if (k >= 16) {
		*phys = (int32_t)k - 4;
		return 0;
	}
	return k >= 12 && k + size <= 16 ? 1 : 2;
}

int32_t hook_index_shift(const struct em *e, uint32_t k, int32_t *need)
{
	*need = 0;
	if (e->view == VIEW_PEEL) {
		*need = k < 12 ? (int32_t)(12 - k) : 0;
		return 4;
	}
	if (e->view == VIEW_META && !e->o->vlan_live) {
		*need = k < 12 ? (int32_t)(16 - k) : 4;
		return -4;
	}
	return 0;
}

int hook_meta_load(struct em *e, uint32_t k, uint8_t size)
{
	struct code *c = &e->c;
	int r = reg_alloc(e);
	reg_pin(e, r);
	int t = reg_alloc(e);
	reg_unpin(e, r);
	ctx_load(e, r, offsetof(struct __sk_buff, vlan_proto));
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	code_put(c, OP(BPF_ALU, BPF_END, BPF_TO_BE), r, 0, 0, 16);
#endif
	code_put(c, OP(BPF_ALU, BPF_LSH, BPF_K), r, 0, 0, 16);
	ctx_load(e, t, offsetof(struct __sk_buff, vlan_tci));
	code_put(c, OP(BPF_ALU, BPF_AND, BPF_K), t, 0, 0, 0xffff);
	code_put(c, OP(BPF_ALU, BPF_OR, BPF_X), r, t, 0, 0);
	uint32_t shift = 8 * (16 - k - size);
	if (shift)
		code_put(c, OP(BPF_ALU, BPF_RSH, BPF_K), r, 0, 0, (int32_t)shift);
	if (size < 4)
		code_put(c, OP(BPF_ALU, BPF_AND, BPF_K), r, 0, 0, (int32_t)((1u << 8 * size) - 1));
	return r;
}

void hook_load_bytes(struct em *e, int off_reg, int32_t off, int16_t buf, int32_t len)
{
	struct code *c = &e->c;
	uint32_t saved = 0;
	for (int r = 0; r <= 5; r++)
		if (e->s.reg[r].v || (e->pinned & (1u << r))) {
			saved |= 1u << r;
			code_put(c, OP(BPF_STX, BPF_MEM, BPF_DW), 10, r,
				 (int16_t)(STK_SAVE - 8 * r), 0);
		}
	if (off_reg >= 0) {
		if (off_reg != 2)
			code_put(c, OP(BPF_ALU64, BPF_MOV, BPF_X), 2, off_reg, 0, 0);
		if (off)
			code_put(c, OP(BPF_ALU64, BPF_ADD, BPF_K), 2, 0, 0, off);
	} else {
		code_put(c, OP(BPF_ALU64, BPF_MOV, BPF_K), 2, 0, 0, off);
	}
	code_put(c, OP(BPF_ALU64, BPF_MOV, BPF_X), 1, 6, 0, 0);
	code_put(c, OP(BPF_ALU64, BPF_MOV, BPF_X), 3, 10, 0, 0);
	code_put(c, OP(BPF_ALU64, BPF_ADD, BPF_K), 3, 0, 0, buf);
	code_put(c, OP(BPF_ALU64, BPF_MOV, BPF_K), 4, 0, 0, len);
	code_put(c, OP(BPF_JMP, BPF_CALL, BPF_K), 0, 0, 0, HELPER_LOAD_BYTES);
	code_jmp(c, OP(BPF_JMP, BPF_JNE, BPF_K), 0, 0, 0, e->lbl_reject);
	e->need_reject = 1;
	for (int r = 0; r <= 5; r++)
		if (saved & (1u << r))
			code_put(c, OP(BPF_LDX, BPF_MEM, BPF_DW), r, 10,
				 (int16_t)(STK_SAVE - 8 * r), 0);
}

static void ret(struct em *e, int32_t v)
{
	code_put(&e->c, OP(BPF_ALU64, BPF_MOV, BPF_K), 0, 0, 0, v);
	code_put(&e->c, OP(BPF_JMP, BPF_EXIT, 0), 0, 0, 0, 0);
}

void hook_epilogues(struct em *e)
{
	int32_t acc = tc(e) ? TC_OK_V : XDP_PASS_V, rej = tc(e) ? TC_SHOT_V : XDP_DROP_V;
	if (e->o->observe)
		acc = rej = tc(e) ? TC_UNSPEC_V : XDP_PASS_V;
	struct code *c = &e->c;
	if (e->need_reject) {
		code_place(c, e->lbl_reject);
		ret(e, rej);
	}
	if (!e->need_accept)
		return;
	code_place(c, e->lbl_accept);
	if (e->o->accept == FILTER_EBPF_TAIL_CALL) {
		code_put(c, OP(BPF_ALU64, BPF_MOV, BPF_X), 1, e->rctx, 0, 0);
		c->tail_insn = c->n;
		code_put(c, OP(BPF_LD, BPF_DW, BPF_IMM), 2, 0, 0, 0);
		code_put(c, 0, 0, 0, 0, 0);
		code_put(c, OP(BPF_ALU64, BPF_MOV, BPF_K), 3, 0, 0, 0);
		code_put(c, OP(BPF_JMP, BPF_CALL, BPF_K), 0, 0, 0, HELPER_TAIL_CALL);
	}
	ret(e, acc);
}
