/* ebpfkern.h - what tests/kern/ebpfdiff.c needs from libbpf, kept apart
 * because <linux/bpf.h> and <pcap/bpf.h> both define struct bpf_insn. */
#ifndef BPFCAP_EBPFKERN_H
#define BPFCAP_EBPFKERN_H

#include <stdint.h>

#include "filter/filter.h"

extern unsigned long ek_loaded, ek_load_fail, ek_max_processed;
extern int ek_stats;
/* XDP programs whose xlated code equals ours (but for the context loads),
 * that the verifier shortened, and that differ otherwise (a failure). */
extern unsigned long ek_xlated_same, ek_xlated_other,
	ek_xlated_bad; /* print each program's length and verifier work */
extern char ek_max_expr[256];

/* 0 if this process can load BPF programs, else -1 with errno. */
int ek_probe(void);
/* Load PROG (WHAT and EXPR name it in messages): an fd, or -1 after
 * printing the verifier's log. */
int ek_load(const struct filter_ebpf_prog *prog, const char *expr, const char *what);
/* BPF_PROG_TEST_RUN on one frame: 1 accept, 0 reject, -1 error, -2 a frame
 * the kernel's tc test run refuses (an IPv4 or IPv6 frame too short for
 * its network header). */
int ek_run(int fd, enum filter_hook hook, const void *data, uint32_t len);

#endif
