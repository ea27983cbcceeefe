/*
 * execcount.c - instructions EXECUTED per packet by the programs of long OR
 * lists of hosts, bpfcap's against libpcap's (optimized, EN10MB), counted by
 * a small classic-BPF interpreter of our own with a step counter.
 *
 * usage: execcount [N...]   (default: 10 100 1000)
 *
 * For N hosts 10.0.x.y, scattered so that no two are adjacent (host i is
 * 10.0.0.0 + (i * 7919) % 65521 + 1: consecutive addresses would be folded
 * into range tests and measure that rule, not the search), each side
 * compiles 'host A1 or ... or host AN' and runs it on three IPv4/UDP
 * frames: one whose destination is the last host of the list (a match
 * found late in a linear list), one whose source is the middle host, and
 * one that matches no host.  libpcap's compiler takes
 * about a minute for 1000 hosts.
 */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter/filter.h"

#define SNAPLEN 262144

/* Run the classic program P on PKT; *STEPS counts the instructions
 * executed.  Returns the verdict, 0 on a fault (as the kernel does). */
static uint32_t run(const struct bpf_insn *p, size_t n, const uint8_t *pkt, uint32_t len,
		    unsigned long *steps)
{
	uint32_t a = 0, x = 0, m[16] = {0};
	*steps = 0;
	for (size_t pc = 0; pc < n; pc++) {
		const struct bpf_insn *i = &p[pc];
		uint32_t k = i->k, off, v;
		++*steps;
		switch (i->code) {
		case BPF_LD | BPF_W | BPF_ABS:
		case BPF_LD | BPF_H | BPF_ABS:
		case BPF_LD | BPF_B | BPF_ABS:
		case BPF_LD | BPF_W | BPF_IND:
		case BPF_LD | BPF_H | BPF_IND:
		case BPF_LD | BPF_B | BPF_IND: {
			uint32_t size = BPF_SIZE(i->code) == BPF_W   ? 4
					: BPF_SIZE(i->code) == BPF_H ? 2
								     : 1;
			off = BPF_MODE(i->code) == BPF_IND ? x + k : k;
			if (off > len || size > len - off)
				return 0;
			v = 0;
			for (uint32_t b = 0; b < size; b++)
				v = v << 8 | pkt[off + b];
			a = v;
			break;
		}
		case BPF_LDX | BPF_B | BPF_MSH:
			if (k >= len)
				return 0;
			x = 4u * (pkt[k] & 0xf);
			break;
		case BPF_LD | BPF_IMM: a = k; break;
		case BPF_LDX | BPF_IMM: x = k; break;
		case BPF_LD | BPF_MEM: a = m[k & 15]; break;
		case BPF_LDX | BPF_MEM: x = m[k & 15]; break;
		case BPF_ST: m[k & 15] = a; break;
		case BPF_STX: m[k & 15] = x; break;
		case BPF_LD | BPF_W | BPF_LEN: a = len; break;
		case BPF_JMP | BPF_JA: pc += k; break;
		case BPF_JMP | BPF_JEQ | BPF_K: pc += a == k ? i->jt : i->jf; break;
		case BPF_JMP | BPF_JGT | BPF_K: pc += a > k ? i->jt : i->jf; break;
		case BPF_JMP | BPF_JGE | BPF_K: pc += a >= k ? i->jt : i->jf; break;
		case BPF_JMP | BPF_JSET | BPF_K: pc += a & k ? i->jt : i->jf; break;
		case BPF_ALU | BPF_AND | BPF_K: a &= k; break;
		case BPF_ALU | BPF_ADD | BPF_K: a += k; break;
		case BPF_ALU | BPF_ADD | BPF_X: a += x; break;
		case BPF_ALU | BPF_LSH | BPF_K: a <<= k & 31; break;
		case BPF_MISC | BPF_TAX: x = a; break;
		case BPF_MISC | BPF_TXA: a = x; break;
		case BPF_RET | BPF_K: return k;
		case BPF_RET | BPF_A: return a;
		default:
			fprintf(stderr, "execcount: opcode 0x%x not interpreted\n", i->code);
			exit(2);
		}
	}
	return 0;
}

static void host(int i, uint8_t out[4])
{
	uint32_t j = (uint32_t)i * 7919u % 65521u + 1u;
	out[0] = 10, out[1] = 0, out[2] = (uint8_t)(j >> 8), out[3] = (uint8_t)j;
}

/* An Ethernet/IPv4/UDP frame from SRC to DST. */
static void frame(uint8_t *f, const uint8_t src[4], const uint8_t dst[4])
{
	static const uint8_t tmpl[14 + 28] = {
		[12] = 8, [14] = 0x45, [17] = 28, [22] = 64, [23] = 17};
	memcpy(f, tmpl, sizeof(tmpl));
	memcpy(f + 26, src, 4);
	memcpy(f + 30, dst, 4);
}

int main(int argc, char **argv)
{
	static const int def[] = {10, 100, 1000};
	int nn = argc > 1 ? argc - 1 : 3;
	printf("%6s  %-22s %8s %8s   %8s %8s\n", "hosts", "packet", "bpfcap", "libpcap", "len ours",
	       "len lib");
	for (int t = 0; t < nn; t++) {
		int n = argc > 1 ? atoi(argv[t + 1]) : def[t];
		char *expr = malloc((size_t)n * 24 + 1);
		size_t at = 0;
		if (!expr || n < 2)
			return 2;
		for (int i = 0; i < n; i++) {
			uint8_t h[4];
			host(i, h);
			at += (size_t)sprintf(expr + at, "%shost %u.%u.%u.%u", i ? " or " : "",
					      h[0], h[1], h[2], h[3]);
		}
		struct filter_options o = {.dlt = FILTER_DLT_EN10MB, .snaplen = SNAPLEN};
		struct filter_ctx *c = filter_ctx_new(&o);
		struct filter_prog ours = {0};
		if (!c || filter_compile(c, expr, at) < 0 || filter_emit_cbpf(c, &ours) < 0) {
			fprintf(stderr, "execcount: bpfcap: %s\n",
				c && filter_ctx_diag(c) ? filter_ctx_diag(c)->message : "failed");
			return 2;
		}
		pcap_t *p = pcap_open_dead(DLT_EN10MB, SNAPLEN);
		struct bpf_program lib;
		if (!p || pcap_compile(p, &lib, expr, 1, PCAP_NETMASK_UNKNOWN) < 0) {
			fprintf(stderr, "execcount: libpcap: %s\n", p ? pcap_geterr(p) : "failed");
			return 2;
		}
		uint8_t last[4], mid[4], other[4] = {192, 0, 2, 1}, other2[4] = {192, 0, 2, 2};
		host(n - 1, last);
		host(n / 2, mid);
		struct {
			const char *name;
			const uint8_t *src, *dst;
		} cases[] = {{"dst = last host", other, last},
			     {"src = middle host", mid, other},
			     {"no host matches", other, other2}};
		for (size_t k = 0; k < 3; k++) {
			uint8_t f[42];
			unsigned long so, sl;
			frame(f, cases[k].src, cases[k].dst);
			uint32_t vo = run((const struct bpf_insn *)(const void *)ours.insns,
					  ours.len, f, sizeof(f), &so);
			uint32_t vl = run(lib.bf_insns, lib.bf_len, f, sizeof(f), &sl);
			if (!vo != !vl || !vo != (k == 2)) {
				fprintf(stderr, "execcount: verdicts differ for %d hosts, %s\n", n,
					cases[k].name);
				return 1;
			}
			printf("%6d  %-22s %8lu %8lu   %8zu %8u\n", n, cases[k].name, so, sl,
			       ours.len, lib.bf_len);
		}
		fflush(stdout);
		pcap_freecode(&lib);
		pcap_close(p);
		filter_prog_release(&ours);
		filter_ctx_free(c);
		free(expr);
	}
	return 0;
}
