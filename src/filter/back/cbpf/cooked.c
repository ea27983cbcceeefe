/*
 * cooked.c - a program for LINUX_SLL or LINUX_SLL2 made to run on a Linux
 * cooked (SOCK_DGRAM) socket, where the kernel runs it on the packet from
 * its network header and there is no cooked header to read: loads past the
 * header move back by its length, and the header fields the kernel keeps
 * become ancillary loads (protocol, packet type, interface, ARPHRD type).
 * The wire length is biased at generation time (gen/frag.c's gen_len()).  A program
 * that reads any other part of the header (the link address, its length)
 * cannot be rewritten: the caller runs it in user space instead.
 */
#include "back/cbpf/cooked.h"

#include <linux/filter.h>

#include "filter.h"

struct field {
	uint32_t off;
	uint16_t size;
	uint32_t anc;
};

/* SLL: pkttype 0, hatype 2, halen 4, addr 6..13, protocol 14.
 * SLL2: protocol 0, reserved 2, ifindex 4, hatype 8, pkttype 10, halen 11,
 * addr 12..19. */
static const struct field sll_fields[] = {
	{0, 2, SKF_AD_PKTTYPE}, {2, 2, SKF_AD_HATYPE}, {14, 2, SKF_AD_PROTOCOL}};
static const struct field sll2_fields[] = {{0, 2, SKF_AD_PROTOCOL},
					   {4, 4, SKF_AD_IFINDEX},
					   {8, 2, SKF_AD_HATYPE},
					   {10, 1, SKF_AD_PKTTYPE}};

static int size_of(uint16_t code)
{
	switch (BPF_SIZE(code)) {
	case BPF_W: return 4;
	case BPF_H: return 2;
	default: return 1;
	}
}

static int map_header(const struct field *f, size_t n, struct filter_insn *in)
{
	for (size_t i = 0; i < n; i++)
		if (f[i].off == in->k && f[i].size == size_of(in->code)) {
			in->k = (uint32_t)SKF_AD_OFF + f[i].anc;
			return 0;
		}
	return -1;
}

uint32_t cooked_header_len(int dlt)
{
	return dlt == FILTER_DLT_LINUX_SLL2 ? 20 : dlt == FILTER_DLT_LINUX_SLL ? 16 : 0;
}

int cooked_rewrite(struct filter_prog *p, int dlt)
{
	uint32_t hdr = cooked_header_len(dlt);
	int v2 = dlt == FILTER_DLT_LINUX_SLL2;
	const struct field *f = v2 ? sll2_fields : sll_fields;
	size_t nf = v2 ? sizeof(sll2_fields) / sizeof(*f) : sizeof(sll_fields) / sizeof(*f);
	if (!hdr)
		return -1;
	for (size_t i = 0; i < p->len; i++) {
		struct filter_insn *in = &p->insns[i];
		uint16_t cls = BPF_CLASS(in->code), mode = BPF_MODE(in->code);
		if (cls == BPF_LD && mode == BPF_ABS) {
			if (in->k >= (uint32_t)SKF_AD_OFF)
				continue; /* already ancillary */
			if (in->k >= hdr)
				in->k -= hdr;
			else if (map_header(f, nf, in) < 0)
				return -1;
		} else if (cls == BPF_LD && mode == BPF_IND) {
			/* X + k is an offset into the cooked packet: X + (k - hdr) */
			in->k -= hdr;
		} else if (cls == BPF_LDX && mode == BPF_MSH) {
			if (in->k < hdr)
				return -1;
			in->k -= hdr;
		}
	}
	return 0;
}
