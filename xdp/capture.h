/*
 * capture.h - the contract between xdp/capture.bpf.c and user space
 * (src/loader/capture.c loads it, src/capture/ringbuf.c reads what it
 * writes): the ring buffer record, the size classes, the statistics array.
 * Only uapi types, padded by hand, so that clang -target bpf and the host
 * compiler read the same layout.
 */
#ifndef BPFCAP_XDP_CAPTURE_H
#define BPFCAP_XDP_CAPTURE_H

#include <linux/types.h>

/* Where a record was taken (struct cap_rec.hook); the values of
 * xdp/flow.h's enum flow_hook and the loader's enum loader_hook. */
enum cap_hook {
	CAP_HOOK_XDP = 1,
	CAP_HOOK_TC_INGRESS = 2,
	CAP_HOOK_TC_EGRESS = 3,
};

/*
 * One record of the ring buffer: this header, then caplen bytes of the
 * frame from its Ethernet header.  At tc a VLAN tag the kernel keeps as
 * metadata is put back after the MAC addresses, and counted in len and
 * caplen, so that the bytes are those of the wire (and of an AF_PACKET
 * capture through libpcap).  ts_ns is bpf_ktime_get_ns(): CLOCK_MONOTONIC.
 * The reservation is the smallest size class that holds caplen bytes, so
 * the record may hold more bytes than caplen: they are not part of it.
 */
struct cap_rec {
	__u64 ts_ns;
	__u32 caplen;  /* bytes of the frame in the record */
	__u32 len;     /* the frame's length on the wire */
	__u32 ifindex; /* the interface the hook runs on */
	__u8 hook;     /* enum cap_hook: XDP and tc ingress are received, tc egress sent */
	__u8 pad[3];
};

/* The data sizes of the reservations (the verifier wants a constant size
 * for each): a frame goes into the first class that holds its caplen. */
#define CAP_CLASS_0  64 /* a minimal frame: a record of 96 bytes with the headers */
#define CAP_CLASS_1  128
#define CAP_CLASS_2  512
#define CAP_CLASS_3  2048
#define CAP_CLASS_4  9216
#define CAP_CLASS_5  65544 /* an IP packet of 65535 bytes, its Ethernet header and a tag */
#define CAP_MAX_DATA CAP_CLASS_5

/* Indexes of the per-CPU statistics array (map "cap_stats").  Every packet
 * the program runs on is MATCHED (with a filter in front, only those it
 * accepted reach the program); each is then exactly one of DELIVERED
 * (submitted to the ring), FULL (no room in the ring) or ERROR (a copy
 * from the packet failed, the record was discarded): MATCHED = DELIVERED +
 * FULL + ERROR. */
enum cap_stat {
	CAP_STAT_MATCHED = 0,
	CAP_STAT_DELIVERED = 1,
	CAP_STAT_FULL = 2,
	CAP_STAT_ERROR = 3,
	CAP_STAT_MAX = 4,
};

#endif
