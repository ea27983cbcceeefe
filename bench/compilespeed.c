/*
 * compilespeed.c - compile speed of bpfcap's compiler against libpcap's
 * pcap_compile(), both optimized, measured in the same run.
 *
 * usage: compilespeed [LIST...]   (default: BENCH_CORPUS below)
 *
 * 1. Rate: the EN10MB expressions of the accept lists that both compilers
 *    accept are compiled over and over, whole passes, for at least
 *    BENCH_SECONDS (default 1) per compiler; expressions per second.
 *    One bpfcap compile = filter_ctx_new + filter_compile + filter_emit_cbpf +
 *    filter_prog_release + filter_ctx_free; one libpcap compile =
 *    pcap_compile + pcap_freecode on one pcap_open_dead() handle.
 * 2. Scaling: "host 10.0.0.1 or host 10.0.0.2 or ..." with 50, 100, 200 and
 *    400 distinct hosts, one compile each, wall clock (CLOCK_MONOTONIC).
 */
#define _GNU_SOURCE
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "filter/filter.h"

#ifndef BENCH_CORPUS
#define BENCH_CORPUS "/work/shared/corpus/libpcap-filters/accept.txt"
#endif

#define SNAPLEN 262144

static char **exprs;
static size_t nexprs, cexprs;

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p) {
		perror("compilespeed");
		exit(2);
	}
	return p;
}

static long read_list(const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	long n = 0;
	ssize_t len;

	if (!f)
		return -1;
	while ((len = getline(&line, &cap, f)) >= 0) {
		char *tab;

		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		tab = strchr(line, '\t');
		if (line[0] == '#' || !tab)
			continue;
		*tab = '\0';
		if (strcmp(line, "EN10MB") != 0)
			continue;
		if (nexprs == cexprs) {
			cexprs = cexprs ? 2 * cexprs : 256;
			exprs = xrealloc(exprs, cexprs * sizeof *exprs);
		}
		exprs[nexprs] = strdup(tab + 1);
		if (!exprs[nexprs++]) {
			perror("compilespeed");
			exit(2);
		}
		n++;
	}
	free(line);
	fclose(f);
	return n;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Instructions of the optimized program, or -1 (MSG, if given, says why). */
static long ours(const char *expr, char *msg, size_t msglen)
{
	struct filter_options o = {
		.dlt = FILTER_DLT_EN10MB, .snaplen = SNAPLEN, .vlan = FILTER_VLAN_RAW};
	struct filter_ctx *ctx = filter_ctx_new(&o);
	struct filter_prog prog = {0};
	long n = -1;

	if (!ctx)
		return -1;
	if (filter_compile(ctx, expr, strlen(expr)) == 0 && filter_emit_cbpf(ctx, &prog) == 0) {
		n = (long)prog.len;
		filter_prog_release(&prog);
	} else if (msg) {
		const struct filter_diag *d = filter_ctx_diag(ctx);

		snprintf(msg, msglen, "%s", d ? d->message : "(no diagnostic)");
	}
	filter_ctx_free(ctx);
	return n;
}

static long theirs(pcap_t *p, const char *expr, char *msg, size_t msglen)
{
	struct bpf_program prog;
	long n;

	if (pcap_compile(p, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) < 0) {
		if (msg)
			snprintf(msg, msglen, "%s", pcap_geterr(p));
		return -1;
	}
	n = prog.bf_len;
	pcap_freecode(&prog);
	return n;
}

/* Compile all of SET[0..N) with one side, in whole passes, for MIN_SECONDS at
 * least; returns expressions per second. */
static double rate(pcap_t *p, char **set, size_t n, double min_seconds, long *compiles)
{
	double t0 = now(), t;
	long count = 0;

	do {
		for (size_t i = 0; i < n; i++)
			if (p)
				theirs(p, set[i], NULL, 0);
			else
				ours(set[i], NULL, 0);
		count += (long)n;
		t = now() - t0;
	} while (t < min_seconds);
	*compiles = count;
	return count / t;
}

static char *host_list(int hosts)
{
	char *s = xrealloc(NULL, (size_t)hosts * 24 + 1), *q = s;

	for (int i = 0; i < hosts; i++)
		q += sprintf(q, "%shost 10.0.%d.%d", i ? " or " : "", i / 250, i % 250 + 1);
	return s;
}

int main(int argc, char **argv)
{
	static const int sizes[] = {50, 100, 200, 400};
	double min_seconds = getenv("BENCH_SECONDS") ? atof(getenv("BENCH_SECONDS")) : 1.0;
	double r_ours, r_pcap, ms400 = -1;
	long c_ours, c_pcap;
	char **set, msg[320];
	size_t nset = 0;
	pcap_t *p;

	for (int i = 1; i < argc || (i == 1 && argc == 1); i++) {
		const char *path = argc > 1 ? argv[i] : BENCH_CORPUS;
		long n = read_list(path);

		if (n < 0) {
			fprintf(stderr, "compilespeed: %s: cannot read: %m\n", path);
			return 2;
		}
		printf("corpus: %s: %ld EN10MB expressions\n", path, n);
	}
	p = pcap_open_dead(DLT_EN10MB, SNAPLEN);
	if (!p) {
		fprintf(stderr, "compilespeed: pcap_open_dead failed\n");
		return 2;
	}
	set = xrealloc(NULL, (nexprs ? nexprs : 1) * sizeof *set);
	for (size_t i = 0; i < nexprs; i++) {
		if (getenv("BENCH_TRACE"))
			fprintf(stderr, "compilespeed: %s\n", exprs[i]);
		if (ours(exprs[i], NULL, 0) >= 0 && theirs(p, exprs[i], NULL, 0) >= 0)
			set[nset++] = exprs[i];
	}
	printf("reference: %s\n\n", pcap_lib_version());

	if (nset) {
		printf("rate over the %zu expressions both accept (optimized, >= %.1f s each):\n",
		       nset, min_seconds);
		r_pcap = rate(p, set, nset, min_seconds, &c_pcap);
		r_ours = rate(NULL, set, nset, min_seconds, &c_ours);
		printf("  libpcap %10.0f expressions/s  (%ld compiles)\n", r_pcap, c_pcap);
		printf("  bpfcap  %10.0f expressions/s  (%ld compiles)\n", r_ours, c_ours);
		printf("  ratio bpfcap/libpcap %.2f\n", r_ours / r_pcap);
		printf("target: bpfcap >= 2x libpcap's rate: %s (%.2f x)\n\n",
		       r_ours >= 2 * r_pcap ? "met" : "NOT met", r_ours / r_pcap);
	} else {
		printf("rate: no expression that both compilers accept; skipped\n\n");
	}

	printf("ORed host lists, one optimized compile each (wall clock):\n");
	printf("  %5s  %10s %8s  %10s %8s  %s\n", "hosts", "libpcap ms", "insns", "bpfcap ms",
	       "insns", "speed-up");
	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		char *expr = host_list(sizes[k]), *why = NULL;
		double t0, t_pcap, t_ours;
		long n_pcap, n_ours;

		if (getenv("BENCH_TRACE"))
			fprintf(stderr, "compilespeed: %d ORed hosts\n", sizes[k]);
		t0 = now();
		n_pcap = theirs(p, expr, NULL, 0);
		t_pcap = (now() - t0) * 1e3;
		t0 = now();
		n_ours = ours(expr, msg, sizeof msg);
		t_ours = (now() - t0) * 1e3;
		if (n_ours < 0)
			why = msg;
		if (sizes[k] == 400)
			ms400 = n_ours >= 0 ? t_ours : -1;
		if (n_ours >= 0)
			printf("  %5d  %10.1f %8ld  %10.1f %8ld  %.1fx\n", sizes[k], t_pcap, n_pcap,
			       t_ours, n_ours, t_pcap / t_ours);
		else
			printf("  %5d  %10.1f %8ld  %10.1f  refused: %s\n", sizes[k], t_pcap,
			       n_pcap, t_ours, why);
		free(expr);
	}
	printf("target: 400-host list under 50 ms: %s",
	       ms400 >= 0 && ms400 < 50 ? "met" : "NOT met");
	if (ms400 >= 0)
		printf(" (%.1f ms)\n", ms400);
	else
		printf(" (refused)\n");

	pcap_close(p);
	for (size_t i = 0; i < nexprs; i++)
		free(exprs[i]);
	free(exprs);
	free(set);
	return 0;
}
