// SPDX-License-Identifier: GPL-2.0
/*
 * flow.bpf.c - count packets per flow at XDP and at tc (ingress, egress).
 *
 * Each entry point parses the frame for a struct flow_key (xdp/flow.h) and
 * adds the packet to its flow in a per-CPU LRU hash, and to the totals in a
 * per-CPU array that no eviction touches.  The programs never change a
 * packet's fate: XDP_PASS, TC_ACT_UNSPEC.
 *
 * With a filter expression, the generated filter program is the one
 * attached and these programs run as its tail call (slot 0 of jmp_xdp,
 * jmp_ingress or jmp_egress, see src/loader/join.c); without one, the
 * loader attaches them directly and every packet is counted.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "flow.h"

/* max_entries is set by the loader before load (--flows). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(max_entries, FLOW_DEFAULT_ENTRIES);
	__type(key, struct flow_key);
	__type(value, struct flow_value);
} flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, FLOW_STAT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} flow_stats SEC(".maps");

/* One program array per hook: the generated filter of that hook tail-calls
 * slot 0, which the loader sets to the counting program of the hook. */
#define JMP_MAP(name)                                  \
	struct {                                       \
		__uint(type, BPF_MAP_TYPE_PROG_ARRAY); \
		__uint(max_entries, 1);                \
		__type(key, __u32);                    \
		__type(value, __u32);                  \
	} name SEC(".maps")
JMP_MAP(jmp_xdp);
JMP_MAP(jmp_ingress);
JMP_MAP(jmp_egress);

#define ETH_P_8021Q_  0x8100
#define ETH_P_8021AD_ 0x88a8
#define IP_OFFMASK    0x1fff

struct vlan_hdr_ {
	__be16 tci;
	__be16 proto;
};

static __always_inline void stat_add(__u32 idx, __u64 n)
{
	__u64 *v = bpf_map_lookup_elem(&flow_stats, &idx);
	if (v)
		*v += n;
}

/* Ports (or ICMP type/code) and TCP flags from the L4 header at P. */
static __always_inline void parse_l4(void *p, void *end, struct flow_key *k, __u8 *flags)
{
	__u8 *b = p;
	switch (k->l4proto) {
	case IPPROTO_TCP:
		if (p + 14 > end)
			return;
		*flags = b[13];
		/* fall through */
	case IPPROTO_UDP:
	case IPPROTO_SCTP:
	case IPPROTO_UDPLITE:
		if (p + 4 > end)
			return;
		k->sport = (__u16)(b[0] << 8 | b[1]);
		k->dport = (__u16)(b[2] << 8 | b[3]);
		return;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		if (p + 2 > end)
			return;
		k->sport = b[0];
		k->dport = b[1];
		return;
	}
}

static __always_inline void parse_ip4(void *p, void *end, struct flow_key *k, __u8 *flags)
{
	struct iphdr *ip = p;
	if ((void *)(ip + 1) > end)
		return;
	k->l4proto = ip->protocol;
	__builtin_memcpy(k->src, &ip->saddr, 4);
	__builtin_memcpy(k->dst, &ip->daddr, 4);
	/* later fragments carry no L4 header */
	if (ip->frag_off & bpf_htons(IP_OFFMASK))
		return;
	__u32 hl = ip->ihl * 4;
	if (hl < sizeof(*ip))
		return;
	parse_l4(p + hl, end, k, flags);
}

/* Up to this many IPv6 extension headers are walked to the L4 header. */
#define IP6_MAX_EXT 4

static __always_inline void parse_ip6(void *p, void *end, struct flow_key *k, __u8 *flags)
{
	struct ipv6hdr *ip6 = p;
	if ((void *)(ip6 + 1) > end)
		return;
	__u8 nh = ip6->nexthdr;
	__builtin_memcpy(k->src, &ip6->saddr, 16);
	__builtin_memcpy(k->dst, &ip6->daddr, 16);
	p = ip6 + 1;
#pragma unroll
	for (int i = 0; i < IP6_MAX_EXT; i++) {
		__u8 *x = p;
		if (nh != IPPROTO_HOPOPTS && nh != IPPROTO_ROUTING && nh != IPPROTO_DSTOPTS &&
		    nh != IPPROTO_FRAGMENT && nh != IPPROTO_AH)
			break;
		if (p + 8 > end) {
			k->l4proto = nh;
			return;
		}
		__u32 len = nh == IPPROTO_FRAGMENT ? 8
			    : nh == IPPROTO_AH	   ? (x[1] + 2) * 4u
						   : (x[1] + 1) * 8u;
		/* a later fragment carries no L4 header */
		if (nh == IPPROTO_FRAGMENT && (x[2] << 8 | x[3]) & 0xfff8) {
			k->l4proto = x[0];
			return;
		}
		nh = x[0];
		p += len;
	}
	k->l4proto = nh;
	parse_l4(p, end, k, flags);
}

/* The key of the frame DATA..END; *VLAN already set at tc from metadata. */
static __always_inline void parse_frame(void *data, void *end, struct flow_key *k, __u8 *flags)
{
	struct ethhdr *eth = data;
	void *p = eth + 1;
	if (p > end)
		return;
	__u16 proto = bpf_ntohs(eth->h_proto);
#pragma unroll
	for (int i = 0; i < 2; i++) {
		if (proto != ETH_P_8021Q_ && proto != ETH_P_8021AD_)
			break;
		struct vlan_hdr_ *vh = p;
		if ((void *)(vh + 1) > end)
			break;
		if (!k->vlan)
			k->vlan = bpf_ntohs(vh->tci) & 0x0fff;
		proto = bpf_ntohs(vh->proto);
		p = vh + 1;
	}
	k->ethertype = proto;
	if (proto == ETH_P_IP)
		parse_ip4(p, end, k, flags);
	else if (proto == ETH_P_IPV6)
		parse_ip6(p, end, k, flags);
}

static __always_inline void count(struct flow_key *k, __u64 len, __u8 flags)
{
	__u64 now = bpf_ktime_get_coarse_ns();
	stat_add(FLOW_STAT_PACKETS, 1);
	stat_add(FLOW_STAT_BYTES, len);
	struct flow_value *v = bpf_map_lookup_elem(&flows, k);
	if (v) {
		v->packets++;
		v->bytes += len;
		v->last_ns = now;
		v->tcp_flags |= flags;
		/* another CPU created the flow: this CPU's first packet */
		if (!v->first_ns)
			v->first_ns = now;
		return;
	}
	struct flow_value nv = {
		.packets = 1, .bytes = len, .first_ns = now, .last_ns = now, .tcp_flags = flags};
	if (bpf_map_update_elem(&flows, k, &nv, BPF_NOEXIST) == 0) {
		stat_add(FLOW_STAT_INSERTS, 1);
		return;
	}
	/* created meanwhile on another CPU: add to this CPU's share */
	v = bpf_map_lookup_elem(&flows, k);
	if (v) {
		v->packets++;
		v->bytes += len;
		v->last_ns = now;
		v->tcp_flags |= flags;
		if (!v->first_ns)
			v->first_ns = now;
		return;
	}
	stat_add(FLOW_STAT_INSERT_FAILED, 1);
}

SEC("xdp.frags")
int flow_xdp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct flow_key k = {};
	__u8 flags = 0;
	k.ifindex = ctx->ingress_ifindex;
	k.hook = FLOW_HOOK_XDP;
	parse_frame(data, end, &k, &flags);
	count(&k, bpf_xdp_get_buff_len(ctx), flags);
	return XDP_PASS;
}

static __always_inline int count_tc(struct __sk_buff *skb, __u8 hook)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	struct flow_key k = {};
	__u8 flags = 0;
	__u64 len = skb->len;
	k.ifindex = skb->ifindex;
	k.hook = hook;
	if (skb->vlan_present) {
		k.vlan = skb->vlan_tci & 0x0fff;
		len += 4;
	}
	parse_frame(data, end, &k, &flags);
	count(&k, len, flags);
	return TC_ACT_UNSPEC;
}

SEC("tc")
int flow_tc_ingress(struct __sk_buff *skb)
{
	return count_tc(skb, FLOW_HOOK_TC_INGRESS);
}

SEC("tc")
int flow_tc_egress(struct __sk_buff *skb)
{
	return count_tc(skb, FLOW_HOOK_TC_EGRESS);
}

char LICENSE[] SEC("license") = "GPL";
