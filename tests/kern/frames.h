/* frames.h - crafted Ethernet frames for the flow tests (BPF_PROG_TEST_RUN). */
#ifndef BPFCAP_TEST_FRAMES_H
#define BPFCAP_TEST_FRAMES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct frame {
	uint8_t b[256];
	size_t len;
};

static inline void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Ethernet header (and a VLAN tag when VLAN is non-zero) for ETHERTYPE;
 * returns the offset of the payload. */
static inline size_t frame_eth(struct frame *f, uint16_t ethertype, uint16_t vlan)
{
	memset(f, 0, sizeof(*f));
	memcpy(f->b, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01", 12);
	size_t off = 12;
	if (vlan) {
		put16(f->b + off, 0x8100);
		put16(f->b + off + 2, vlan);
		off += 4;
	}
	put16(f->b + off, ethertype);
	return off + 2;
}

/* L4 header for PROTO at P: ports SP/DP (ICMP: type SP, code DP), TCP flags. */
static inline size_t frame_l4(uint8_t *p, uint8_t proto, uint16_t sp, uint16_t dp, uint8_t flags)
{
	if (proto == 1 || proto == 58) {
		p[0] = (uint8_t)sp;
		p[1] = (uint8_t)dp;
		return 8;
	}
	put16(p, sp);
	put16(p + 2, dp);
	if (proto == 6) {
		p[12] = 5 << 4;
		p[13] = flags;
		return 20;
	}
	put16(p + 4, 8);
	return 8;
}

/* IPv4 10.0.0.S -> 10.0.0.D with PAYLOAD bytes of data after the L4 header. */
static inline void frame_ip4(struct frame *f, uint16_t vlan, uint8_t proto, uint8_t s, uint8_t d,
			     uint16_t sp, uint16_t dp, uint8_t flags, size_t payload)
{
	size_t off = frame_eth(f, 0x0800, vlan);
	uint8_t *ip = f->b + off;
	ip[0] = 0x45;
	ip[8] = 64;
	ip[9] = proto;
	memcpy(ip + 12, (uint8_t[]){10, 0, 0, s}, 4);
	memcpy(ip + 16, (uint8_t[]){10, 0, 0, d}, 4);
	size_t l4 = frame_l4(ip + 20, proto, sp, dp, flags);
	put16(ip + 2, (uint16_t)(20 + l4 + payload));
	f->len = off + 20 + l4 + payload;
}

/* IPv6 fd00::S -> fd00::D. */
static inline void frame_ip6(struct frame *f, uint16_t vlan, uint8_t proto, uint8_t s, uint8_t d,
			     uint16_t sp, uint16_t dp, uint8_t flags, size_t payload)
{
	size_t off = frame_eth(f, 0x86dd, vlan);
	uint8_t *ip = f->b + off;
	ip[0] = 0x60;
	ip[6] = proto;
	ip[7] = 64;
	ip[8] = 0xfd;
	ip[23] = s;
	ip[24] = 0xfd;
	ip[39] = d;
	size_t l4 = frame_l4(ip + 40, proto, sp, dp, flags);
	put16(ip + 4, (uint16_t)(l4 + payload));
	f->len = off + 40 + l4 + payload;
}

/* IPv6 with extension headers before the L4 header: a hop-by-hop (8
 * bytes) and a destination options header (16 bytes); FRAG: a fragment
 * header as well, with offset FRAG - 1 (1: the first fragment). */
static inline void frame_ip6_ext(struct frame *f, uint8_t proto, uint16_t sp, uint16_t dp, int frag)
{
	size_t off = frame_eth(f, 0x86dd, 0);
	uint8_t *ip = f->b + off, *x = ip + 40;
	ip[0] = 0x60;
	ip[6] = 0; /* hop-by-hop */
	ip[7] = 64;
	ip[8] = ip[24] = 0xfd;
	ip[23] = 1;
	ip[39] = 2;
	x[0] = 60; /* then destination options, 16 bytes */
	x[1] = 0;
	x[8] = frag ? 44 : proto;
	x[9] = 1;
	size_t ext = 24;
	if (frag) {
		x[24] = proto;
		put16(x + 26, (uint16_t)((frag - 1) << 3));
		ext += 8;
	}
	size_t l4 = frame_l4(x + ext, proto, sp, dp, 0);
	put16(ip + 4, (uint16_t)(ext + l4));
	f->len = off + 40 + ext + l4;
}

/* IPv4 with IHL 6 (one option word). */
static inline void frame_ip4_opt(struct frame *f, uint8_t proto, uint16_t sp, uint16_t dp)
{
	size_t off = frame_eth(f, 0x0800, 0);
	uint8_t *ip = f->b + off;
	ip[0] = 0x46;
	ip[8] = 64;
	ip[9] = proto;
	memcpy(ip + 12, (uint8_t[]){10, 0, 0, 1}, 4);
	memcpy(ip + 16, (uint8_t[]){10, 0, 0, 2}, 4);
	ip[20] = 1; /* NOP options */
	ip[21] = ip[22] = ip[23] = 1;
	size_t l4 = frame_l4(ip + 24, proto, sp, dp, 0);
	put16(ip + 2, (uint16_t)(24 + l4));
	f->len = off + 24 + l4;
}

/* An ARP request (EtherType 0x0806), 60 bytes as on the wire. */
static inline void frame_arp(struct frame *f, uint16_t vlan)
{
	size_t off = frame_eth(f, 0x0806, vlan);
	memcpy(f->b + off, "\x00\x01\x08\x00\x06\x04\x00\x01", 8);
	f->len = 60;
}

#endif
