/*
 * diffcheck.h - what diffcheck.c (the cases, the modes, the report) and
 * progs.c (captures, compiling on both sides, program checks) share.  Test
 * code: the report and the current case are process globals.
 */
#ifndef BPFCAP_DIFFCHECK_H
#define BPFCAP_DIFFCHECK_H

#include <pcap/pcap.h>
#include <stddef.h>

#include "filter/filter.h"

#define PRINTF(f, a) __attribute__((format(printf, f, a)))

enum { EXCUSABLE = 1, QUIET = 2 };

struct known;
/* The case being run. */
struct diff_case {
	char label[1024]; /* "dlt=EN10MB expr='...'", with "case=NAME " for apply */
	const struct known *known;
	int failed, excused;
};
extern struct diff_case cur;
extern const struct filter_resolver *resolver; /* -N sets it */
extern int ksock; /* a socket to attach programs to (-1: no kernel checks) */

/* diffcheck.c: one report line (FAILURE or not); a failure of the current
 * case (EXCUSABLE: excused if listed as a known difference); allocation
 * that exits on failure. */
void PRINTF(2, 3) say(int failure, const char *fmt, ...);
void PRINTF(2, 3) fail_case(int flags, const char *fmt, ...);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);

struct packet {
	struct pcap_pkthdr hdr;
	u_char *data;
};

struct capture {
	const char *path;
	int dlt;
	size_t n;
	struct packet *pkts;
};

struct lp_prog {
	int ok;
	struct bpf_program bp;
	char err[PCAP_ERRBUF_SIZE + 64];
};

struct bc_prog {
	int ok, have_diag, safe; /* safe: passed STRUCTURE and INVALID, may run */
	struct filter_prog fp;
	struct bpf_program bp; /* a copy of fp in libpcap's type */
	struct filter_diag d;
	char msg[512]; /* filter_diag_format()'s first line */
};

/* progs.c */
int capture_load(const char *path, struct capture *c);
void capture_free(struct capture *c);
int verdict(const struct bpf_program *bp, const struct packet *pk);
const char *word(int v);
void lp_compile(int dlt, const char *expr, int optimize, struct lp_prog *r);
void lp_free(struct lp_prog *r);
void bc_diag(struct bc_prog *r, struct filter_ctx *ctx, const char *expr);
void bc_compile(int dlt, const char *expr, int no_optimize, struct bc_prog *r);
void bc_free(struct bc_prog *r);
void kernel_check(const char *which, const struct bpf_program *bp);
const char *structure_error(const struct bpf_program *bp);
void check_prog(const char *which, struct bc_prog *r);

#endif
