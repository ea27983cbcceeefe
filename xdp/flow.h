/*
 * flow.h - the contract between xdp/flow.bpf.c and user space (src/loader,
 * src/flow): the flow key and value, the statistics array, the map names.
 * Only uapi types, so that clang -target bpf and the host compiler read the
 * same layout; every structure is padded by hand (no implicit holes, so a
 * key built with memset + assignments hashes the same in both worlds).
 */
#ifndef BPFCAP_XDP_FLOW_H
#define BPFCAP_XDP_FLOW_H

#include <linux/types.h>

/* Where a packet was counted (struct flow_key.hook). */
enum flow_hook {
	FLOW_HOOK_XDP = 1,
	FLOW_HOOK_TC_INGRESS = 2,
	FLOW_HOOK_TC_EGRESS = 3,
};

/*
 * One flow.  Addresses are in network byte order, IPv4 in the first four
 * bytes of src/dst (the rest zero); ports in host order.  For ICMP and
 * ICMPv6 sport is the type and dport the code.  A packet that is not IPv4
 * or IPv6 has l4proto 0, zero addresses and ports, and ethertype set to its
 * EtherType: one flow per EtherType (and VLAN, interface, hook).  vlan is
 * the outermost VLAN id (tag metadata at tc, the first tag in the frame at
 * XDP), 0 for untagged frames.
 */
struct flow_key {
	__u32 ifindex;
	__u8 hook;	 /* enum flow_hook */
	__u8 l4proto;	 /* IPPROTO_*; 0 for non-IP */
	__u16 ethertype; /* 0x0800, 0x86dd, or the EtherType of a non-IP packet */
	__u8 src[16];
	__u8 dst[16];
	__u16 sport;
	__u16 dport;
	__u16 vlan;
	__u16 pad; /* always 0 */
};

/* Per CPU; user space sums the CPUs.  bytes counts the frame from its
 * Ethernet header (a VLAN tag the kernel holds as tc metadata included, so
 * that both hooks count what a capture on the interface shows).  Times are
 * bpf_ktime_get_coarse_ns(): CLOCK_MONOTONIC at the kernel's tick (4 ms at
 * HZ=250), which costs a fraction of the precise clock (bench/flow.sh:
 * 22 ns of the 52 a packet cost with it); 0 on a CPU that saw no packet. */
struct flow_value {
	__u64 packets;
	__u64 bytes;
	__u64 first_ns;
	__u64 last_ns;
	__u8 tcp_flags; /* OR of the flags byte of every TCP segment */
	__u8 pad[7];
};

/* Indexes of the per-CPU statistics array (map "flow_stats"). */
enum flow_stat {
	FLOW_STAT_PACKETS = 0, /* every packet counted, in a flow or not */
	FLOW_STAT_BYTES = 1,
	FLOW_STAT_INSERTS = 2,	     /* new flows created in the map */
	FLOW_STAT_INSERT_FAILED = 3, /* packets whose new flow could not be created */
	FLOW_STAT_MAX = 4,
};

/* The size of the flow map when the loader is not told otherwise (--flows). */
#define FLOW_DEFAULT_ENTRIES 65536

#endif
