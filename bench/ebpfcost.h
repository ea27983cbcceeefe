/*
 * ebpfcost.h - the libpcap side of bench/ebpfcost.c (bench/ebpfref.c):
 * Ethernet frames read from capture files, and libpcap's verdict on them.
 * Apart because <pcap/bpf.h> and <linux/bpf.h> both define struct bpf_insn.
 */
#ifndef BENCH_EBPFCOST_H
#define BENCH_EBPFCOST_H

#include <stddef.h>
#include <stdint.h>

/* BPF_PROG_TEST_RUN for XDP takes frames up to a page less headroom and
 * struct skb_shared_info (3520 bytes on x86-64); keep a margin. */
#define MAX_FRAME 3400
#define MIN_FRAME 14 /* the kernel refuses shorter XDP test frames */

struct pkt {
	uint8_t *data;
	uint32_t caplen, len;
	const char *file;
	unsigned int idx; /* 1-based, within its file */
};

struct pkts {
	struct pkt *v;
	size_t n, cap, nfiles, too_short, too_long, other_dlt;
};

/* Append PATH's frames of MIN_FRAME..MAX_FRAME bytes if it is an Ethernet
 * capture (pcap or pcapng); count the others.  -1 if it cannot be read. */
int pkts_read_file(struct pkts *ps, const char *path);

/* libpcap's optimized program for EXPR on a dead EN10MB handle, or NULL with
 * libpcap's message in ERR. */
struct ref *ref_compile(const char *expr, char *err, size_t errlen);
/* 1 if it accepts P, else 0 */
int ref_match(const struct ref *r, const struct pkt *p);
void ref_free(struct ref *r);

#endif
