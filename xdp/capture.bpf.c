// SPDX-License-Identifier: GPL-2.0
/*
 * capture.bpf.c - packets into a BPF ring buffer at XDP and at tc (ingress,
 * egress), for `bpfcap --backend xdp|tc`.
 *
 * Each entry point counts the packet (MATCHED), cuts it to the snap length
 * and copies it, behind a struct cap_rec (xdp/capture.h), into a record of
 * the smallest size class that holds it (the verifier wants a constant
 * reservation size, hence one branch per class).  At tc a VLAN tag the
 * kernel moved into metadata is put back after the MAC addresses.  The
 * programs never change a packet's fate: XDP_PASS, TC_ACT_UNSPEC.
 *
 * Wake-ups are batched: a record is submitted without waking the reader
 * unless the unread data has reached wake_bytes; the reader also looks at
 * the ring on a timeout (100 ms), so that a quiet link still delivers.
 *
 * With a filter expression the generated filter program is the one
 * attached and these run as its tail call (slot 0 of cap_jmp_xdp,
 * cap_jmp_ingress or cap_jmp_egress, see src/loader/join.c).
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "capture.h"

/* Set by the loader before load. */
const volatile __u32 snaplen = 262144;
const volatile __u64 wake_bytes = 1 << 20;

/* max_entries (a power of two of pages) is set by the loader (-B). */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 23);
} cap_ring SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, CAP_STAT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} cap_stats SEC(".maps");

#define JMP_MAP(name)                                  \
	struct {                                       \
		__uint(type, BPF_MAP_TYPE_PROG_ARRAY); \
		__uint(max_entries, 1);                \
		__type(key, __u32);                    \
		__type(value, __u32);                  \
	} name SEC(".maps")
JMP_MAP(cap_jmp_xdp);
JMP_MAP(cap_jmp_ingress);
JMP_MAP(cap_jmp_egress);

static __always_inline void stat_inc(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&cap_stats, &idx);
	if (v)
		*v += 1;
}

/* What one packet is: where it was taken, and its tag in metadata (tc). */
struct pkt {
	void *ctx;
	__u32 wire; /* length on the wire, tag included */
	__u32 cap;  /* bytes to copy */
	__u32 ifindex;
	__u8 hook;
	__u8 tc;
	__u8 vlan;  /* tc: a tag to put back */
	__u16 tpid; /* network order */
	__u16 tci;  /* host order */
};

/* Copy P->cap (at most CLS) bytes of the frame into D. */
static __always_inline long copy(const struct pkt *p, __u8 *d, __u32 caplen, const __u32 cls)
{
	/* the bound again, where clang cannot drop it: the verifier wants it
	 * on the register that goes into the helper */
	__u64 cap = caplen;
	asm volatile("" : "+r"(cap));
	if (cap > cls)
		cap = cls;
	if (cap == 0)
		return -1;
	if (!p->tc)
		return bpf_xdp_load_bytes(p->ctx, 0, d, cap);
	if (!p->vlan)
		return bpf_skb_load_bytes(p->ctx, 0, d, cap);
	/* the MAC addresses, the tag, the rest from the EtherType on; a
	 * record holds at least 64 bytes, so the first 16 always fit */
	long e = bpf_skb_load_bytes(p->ctx, 0, d, 12);
	if (e)
		return e;
	*(__u16 *)(d + 12) = p->tpid;
	*(__u16 *)(d + 14) = bpf_htons(p->tci);
	if (cap <= 16)
		return 0;
	__u64 rest = cap - 16;
	asm volatile("" : "+r"(rest));
	if (rest > cls - 16)
		rest = cls - 16;
	return bpf_skb_load_bytes(p->ctx, 12, d + 16, rest);
}

static __always_inline void emit(const struct pkt *p, __u64 wake, const __u32 cls)
{
	struct cap_rec *r = bpf_ringbuf_reserve(&cap_ring, sizeof(*r) + cls, 0);
	if (!r) {
		stat_inc(CAP_STAT_FULL);
		return;
	}
	r->ts_ns = bpf_ktime_get_ns();
	r->caplen = p->cap;
	r->len = p->wire;
	r->ifindex = p->ifindex;
	r->hook = p->hook;
	r->pad[0] = r->pad[1] = r->pad[2] = 0;
	if (copy(p, (__u8 *)(r + 1), p->cap, cls)) {
		bpf_ringbuf_discard(r, BPF_RB_NO_WAKEUP);
		stat_inc(CAP_STAT_ERROR);
		return;
	}
	bpf_ringbuf_submit(r, wake);
	stat_inc(CAP_STAT_DELIVERED);
}

static __always_inline void capture(struct pkt *p)
{
	stat_inc(CAP_STAT_MATCHED);
	__u32 cap = p->wire < snaplen ? p->wire : snaplen;
	if (cap > CAP_MAX_DATA)
		cap = CAP_MAX_DATA;
	p->cap = cap;
	__u64 wake = bpf_ringbuf_query(&cap_ring, BPF_RB_AVAIL_DATA) >= wake_bytes
			     ? BPF_RB_FORCE_WAKEUP
			     : BPF_RB_NO_WAKEUP;
	if (cap <= CAP_CLASS_0)
		emit(p, wake, CAP_CLASS_0);
	else if (cap <= CAP_CLASS_1)
		emit(p, wake, CAP_CLASS_1);
	else if (cap <= CAP_CLASS_2)
		emit(p, wake, CAP_CLASS_2);
	else if (cap <= CAP_CLASS_3)
		emit(p, wake, CAP_CLASS_3);
	else if (cap <= CAP_CLASS_4)
		emit(p, wake, CAP_CLASS_4);
	else
		emit(p, wake, CAP_CLASS_5);
}

SEC("xdp.frags")
int cap_xdp(struct xdp_md *ctx)
{
	struct pkt p = {.ctx = ctx,
			.wire = (__u32)bpf_xdp_get_buff_len(ctx),
			.ifindex = ctx->ingress_ifindex,
			.hook = CAP_HOOK_XDP};
	capture(&p);
	return XDP_PASS;
}

static __always_inline int capture_tc(struct __sk_buff *skb, __u8 hook)
{
	struct pkt p = {
		.ctx = skb, .wire = skb->len, .ifindex = skb->ifindex, .hook = hook, .tc = 1};
	if (skb->vlan_present) {
		p.vlan = 1;
		p.tpid = (__u16)skb->vlan_proto;
		p.tci = (__u16)skb->vlan_tci;
		p.wire += 4;
	}
	capture(&p);
	return TC_ACT_UNSPEC;
}

SEC("tc")
int cap_tc_ingress(struct __sk_buff *skb)
{
	return capture_tc(skb, CAP_HOOK_TC_INGRESS);
}

SEC("tc")
int cap_tc_egress(struct __sk_buff *skb)
{
	return capture_tc(skb, CAP_HOOK_TC_EGRESS);
}

char LICENSE[] SEC("license") = "GPL";
