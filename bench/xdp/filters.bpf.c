/*
 * filters.bpf.c - the bench's anchors: each expression of bench/ebpfcost.c
 * written by hand as an XDP program, as one would write it in C for clang -O2
 * (bench/run.sh: clang -O2 -g -target bpf).  Not used by bpfcap itself.
 *
 * Each program gives the verdict libpcap gives the expression on an Ethernet
 * savefile (a dead handle: VLAN tags in the bytes): XDP_PASS for a match,
 * XDP_DROP otherwise.  That includes libpcap's rules for short frames: a
 * load past the end of the frame rejects the packet, even where another
 * alternative would have matched later, so the bounds checks below come in
 * the order in which libpcap's program loads the fields.  bench/ebpfcost.c
 * checks every verdict against libpcap's and against bpfcap's program.
 */
#include <linux/bpf.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define ACCEPT XDP_PASS
#define REJECT XDP_DROP

#define ET_IP	0x0800
#define ET_ARP	0x0806
#define ET_RARP 0x8035
#define ET_IPV6 0x86dd

/* The frame as bytes; every access below is after a check against END. */
#define FRAME(ctx)                                       \
	const __u8 *p = (const __u8 *)(long)(ctx)->data; \
	const __u8 *end = (const __u8 *)(long)(ctx)->data_end

static __always_inline __u16 ld16(const __u8 *q)
{
	return *(const __u16 *)q; /* network order: compared with bpf_htons() constants */
}

static __always_inline __u32 ld32(const __u8 *q)
{
	return *(const __u32 *)q;
}

/* The EtherType, or 0 for a frame shorter than an Ethernet header. */
static __always_inline __u16 ethertype(const __u8 *p, const __u8 *end)
{
	if (p + 14 > end)
		return 0;
	return ld16(p + 12);
}

/* IPv4 not a later fragment (libpcap's port tests skip those); P + 24 checked. */
static __always_inline int ip_first_frag(const __u8 *p)
{
	return (ld16(p + 20) & bpf_htons(0x1fff)) == 0;
}

/* The IPv4 transport header: IHL-aware. */
static __always_inline const __u8 *ip_l4(const __u8 *p)
{
	return p + 14 + ((p[14] & 0xf) << 2);
}

/* PROTO port PORT for IPv4 and IPv6 (no extension headers skipped, as in libpcap). */
static __always_inline int proto_port(const __u8 *p, const __u8 *end, __u8 proto, __u16 port)
{
	__u16 et = ethertype(p, end), want = bpf_htons(port);

	if (et == bpf_htons(ET_IPV6)) {
		if (p + 21 > end || p[20] != proto || p + 56 > end)
			return REJECT;
		if (ld16(p + 54) == want)
			return ACCEPT;
		if (p + 58 > end)
			return REJECT;
		return ld16(p + 56) == want ? ACCEPT : REJECT;
	}
	if (et != bpf_htons(ET_IP) || p + 24 > end || p[23] != proto || !ip_first_frag(p))
		return REJECT;
	const __u8 *l4 = ip_l4(p);
	if (l4 + 2 > end)
		return REJECT;
	if (ld16(l4) == want)
		return ACCEPT;
	if (l4 + 4 > end)
		return REJECT;
	return ld16(l4 + 2) == want ? ACCEPT : REJECT;
}

SEC("xdp")
int xdp_pass(struct xdp_md *ctx)
{
	(void)ctx;
	return XDP_PASS;
}

/* tcp port 443 */
SEC("xdp")
int tcp_port_443(struct xdp_md *ctx)
{
	FRAME(ctx);
	return proto_port(p, end, 6, 443);
}

/* udp port 53 */
SEC("xdp")
int udp_port_53(struct xdp_md *ctx)
{
	FRAME(ctx);
	return proto_port(p, end, 17, 53);
}

/* host 10.1.2.3 and not port 22 */
SEC("xdp")
int host_not_port22(struct xdp_md *ctx)
{
	FRAME(ctx);
	const __u32 h = bpf_htonl(0x0a010203);
	__u16 et = ethertype(p, end);

	if (et == bpf_htons(ET_IP)) {
		if (p + 30 > end)
			return REJECT;
		if (ld32(p + 26) != h && (p + 34 > end || ld32(p + 30) != h))
			return REJECT;
		__u8 proto = p[23];
		if (proto != 6 && proto != 17 && proto != 132)
			return ACCEPT; /* no ports: "not port 22" holds */
		if (!ip_first_frag(p))
			return ACCEPT;
		const __u8 *l4 = ip_l4(p);
		if (l4 + 2 > end || ld16(l4) == bpf_htons(22))
			return REJECT;
		if (l4 + 4 > end || ld16(l4 + 2) == bpf_htons(22))
			return REJECT;
		return ACCEPT;
	}
	if (et == bpf_htons(ET_ARP) || et == bpf_htons(ET_RARP)) {
		if (p + 32 > end)
			return REJECT;
		if (ld32(p + 28) == h)
			return ACCEPT;
		return p + 42 <= end && ld32(p + 38) == h ? ACCEPT : REJECT;
	}
	return REJECT;
}

/* vlan and udp: one tag (802.1Q, 802.1ad or 0x9100) in the bytes, then UDP
 * over IPv4 or IPv6 (directly, or behind one IPv6 fragment header) */
SEC("xdp")
int vlan_udp(struct xdp_md *ctx)
{
	FRAME(ctx);
	__u16 et = ethertype(p, end);

	if (et != bpf_htons(0x8100) && et != bpf_htons(0x88a8) && et != bpf_htons(0x9100))
		return REJECT;
	if (p + 18 > end)
		return REJECT;
	et = ld16(p + 16);
	if (et == bpf_htons(ET_IP))
		return p + 28 <= end && p[27] == 17 ? ACCEPT : REJECT;
	if (et != bpf_htons(ET_IPV6) || p + 25 > end)
		return REJECT;
	if (p[24] == 17)
		return ACCEPT;
	return p[24] == 44 && p + 59 <= end && p[58] == 17 ? ACCEPT : REJECT;
}

/* ip6 and tcp and ip6[53] & tcp-syn != 0 (libpcap's tcp[] is IPv4 only, so
 * 'ip6 and tcp[tcpflags] & tcp-syn != 0' matches nothing) */
SEC("xdp")
int ip6_tcp_syn(struct xdp_md *ctx)
{
	FRAME(ctx);

	if (ethertype(p, end) != bpf_htons(ET_IPV6) || p + 21 > end)
		return REJECT;
	if (p[20] != 6 && (p[20] != 44 || p + 55 > end || p[54] != 6))
		return REJECT;
	return p + 68 <= end && (p[67] & 0x02) ? ACCEPT : REJECT;
}

/* icmp or arp */
SEC("xdp")
int icmp_or_arp(struct xdp_md *ctx)
{
	FRAME(ctx);
	__u16 et = ethertype(p, end);

	if (et == bpf_htons(ET_ARP))
		return ACCEPT;
	return et == bpf_htons(ET_IP) && p + 24 <= end && p[23] == 1 ? ACCEPT : REJECT;
}

/* net 192.168.0.0/16 and tcp */
SEC("xdp")
int net_tcp(struct xdp_md *ctx)
{
	FRAME(ctx);
	const __u32 net = bpf_htonl(0xc0a80000), mask = bpf_htonl(0xffff0000);

	if (ethertype(p, end) != bpf_htons(ET_IP) || p + 30 > end)
		return REJECT;
	if ((ld32(p + 26) & mask) != net && (p + 34 > end || (ld32(p + 30) & mask) != net))
		return REJECT;
	return p[23] == 6 ? ACCEPT : REJECT;
}

/* tcp[tcpflags] & (tcp-syn|tcp-fin) != 0 */
SEC("xdp")
int tcp_syn_fin(struct xdp_md *ctx)
{
	FRAME(ctx);

	if (ethertype(p, end) != bpf_htons(ET_IP) || p + 24 > end || p[23] != 6 ||
	    !ip_first_frag(p))
		return REJECT;
	const __u8 *l4 = ip_l4(p);
	if (l4 + 14 > end)
		return REJECT;
	return l4[13] & 0x03 ? ACCEPT : REJECT;
}

/* The 100 hosts 10.0.0.1 ... 10.0.0.100 as a switch on the address as
 * loaded (network order), which clang lowers to a tree of compares. */
#define H1(n) case bpf_htonl(0x0a000000 + (n)):
#define H10(n)    \
	H1(n + 1) \
	H1(n + 2) H1(n + 3) H1(n + 4) H1(n + 5) H1(n + 6) H1(n + 7) H1(n + 8) H1(n + 9) H1(n + 10)
#define H100 H10(0) H10(10) H10(20) H10(30) H10(40) H10(50) H10(60) H10(70) H10(80) H10(90)

static __always_inline int in_hosts(__u32 a)
{
	switch (a) {
		H100 return 1;
	default: return 0;
	}
}

/* host 10.0.0.1 or host 10.0.0.2 or ... or host 10.0.0.100 */
SEC("xdp")
int hosts_100(struct xdp_md *ctx)
{
	FRAME(ctx);
	__u16 et = ethertype(p, end);

	if (et == bpf_htons(ET_IP)) {
		if (p + 30 > end)
			return REJECT;
		if (in_hosts(ld32(p + 26)))
			return ACCEPT;
		return p + 34 <= end && in_hosts(ld32(p + 30)) ? ACCEPT : REJECT;
	}
	if (et == bpf_htons(ET_ARP) || et == bpf_htons(ET_RARP)) {
		if (p + 32 > end)
			return REJECT;
		if (in_hosts(ld32(p + 28)))
			return ACCEPT;
		return p + 42 <= end && in_hosts(ld32(p + 38)) ? ACCEPT : REJECT;
	}
	return REJECT;
}

/* ip6 protochain 6: walk hop-by-hop, destination options, routing, fragment
 * and AH headers, at most 32 of them (bpfcap walks 128, but with 64 or more the verifier gives
 * up on this loop: "processed 1000001 insns"); a header past the
 * end of the frame rejects. */
SEC("xdp")
int ip6_protochain_6(struct xdp_md *ctx)
{
	FRAME(ctx);

	if (ethertype(p, end) != bpf_htons(ET_IPV6) || p + 21 > end)
		return REJECT;
	__u8 nh = p[20];
	__u32 off = 54;
	for (int i = 0; i < 32; i++) {
		if (nh == 6)
			return ACCEPT;
		if (off > 0x3fff) /* beyond any frame XDP gets here */
			return REJECT;
		const __u8 *h = p + off;
		if (h + 2 > end)
			return REJECT;
		if (nh == 0 || nh == 60 || nh == 43 || nh == 44)
			off += ((__u32)h[1] + 1) << 3;
		else if (nh == 51)
			off += ((__u32)h[1] + 2) << 2;
		else
			return REJECT;
		nh = h[0];
	}
	return nh == 6 ? ACCEPT : REJECT;
}

/* ip and not ip[6:2] & 0x3fff != 0: IPv4, not a fragment */
SEC("xdp")
int ip_not_frag(struct xdp_md *ctx)
{
	FRAME(ctx);

	if (ethertype(p, end) != bpf_htons(ET_IP) || p + 22 > end)
		return REJECT;
	return (ld16(p + 20) & bpf_htons(0x3fff)) == 0 ? ACCEPT : REJECT;
}

char LICENSE[] SEC("license") = "GPL";
