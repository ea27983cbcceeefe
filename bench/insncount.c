/*
 * insncount.c - instruction counts of bpfcap's compiler against libpcap's, on
 * the EN10MB expressions of accept lists ("DLT<TAB>expression" lines).
 *
 * usage: insncount [-v] [-A] [LIST...]   (default: BENCH_CORPUS below)
 *
 * Without -A only the EN10MB lines count; -A takes every line whose DLT both
 * compilers know (the wide corpus has EN10MB, LINUX_SLL and RAW lines).
 * Both sides compile for the line's DLT, snap length 262144, netmask unknown,
 * savefile VLAN semantics, names through the system databases; libpcap through
 * pcap_open_dead() + pcap_compile(), bpfcap through filter.h.  Figures are
 * printed for the optimized programs (the comparison that has a target) and,
 * as totals, for the unoptimized ones.  -v also lists libpcap's refusals.
 * With INSNCOUNT_TSV=FILE set, every expression both compilers accept is
 * also written to FILE as "DLT<TAB>bpfcap<TAB>libpcap<TAB>expression"
 * (optimized counts), for looking at where the instructions go.
 */
#define _GNU_SOURCE
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter/filter.h"

#ifndef BENCH_CORPUS
#define BENCH_CORPUS "/work/shared/corpus/libpcap-filters/accept.txt"
#endif

#define SNAPLEN 262144

struct result {
	long n;	       /* instructions, or -1 if refused */
	char why[320]; /* the refusal */
};

struct entry {
	char *expr;
	int dlt;
	struct result pcap_opt, pcap_unopt, ours_opt, ours_unopt;
};

static struct entry *entries;
static int trace;    /* BENCH_TRACE set: name each expression on stderr first */
static int all_dlts; /* -A: every DLT, not only EN10MB */
static size_t nentries, centries;

static void add_entry(const char *expr, int dlt)
{
	if (nentries == centries) {
		centries = centries ? 2 * centries : 256;
		entries = realloc(entries, centries * sizeof *entries);
		if (!entries) {
			perror("insncount");
			exit(2);
		}
	}
	memset(&entries[nentries], 0, sizeof entries[0]);
	entries[nentries].dlt = dlt;
	entries[nentries].expr = strdup(expr);
	if (!entries[nentries].expr) {
		perror("insncount");
		exit(2);
	}
	nentries++;
}

/* Read the lines of PATH for the DLTs in use; returns how many were added,
 * -1 on error. */
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
		int dlt = filter_dlt_from_name(line);
		if (all_dlts ? dlt < 0 || pcap_datalink_name_to_val(line) != dlt
			     : strcmp(line, "EN10MB") != 0)
			continue;
		add_entry(tab + 1, dlt);
		n++;
	}
	free(line);
	fclose(f);
	return n;
}

static void compile_pcap(pcap_t *p, const char *expr, int optimize, struct result *r)
{
	struct bpf_program prog;

	if (pcap_compile(p, &prog, expr, optimize, PCAP_NETMASK_UNKNOWN) < 0) {
		r->n = -1;
		snprintf(r->why, sizeof r->why, "%s", pcap_geterr(p));
		return;
	}
	r->n = prog.bf_len;
	pcap_freecode(&prog);
}

static const char *err_name(enum filter_err e)
{
	static const char *const names[] = {"ok",	"syntax", "range", "name",
					    "semantic", "never",  "limit", "nomem"};

	return (unsigned)e < sizeof names / sizeof names[0] ? names[e] : "?";
}

static void compile_ours(const char *expr, int dlt, int optimize, struct result *r)
{
	struct filter_options o = {
		.dlt = dlt, .snaplen = SNAPLEN, .no_optimize = !optimize, .vlan = FILTER_VLAN_RAW};
	struct filter_ctx *ctx = filter_ctx_new(&o);
	struct filter_prog prog = {0};

	if (trace)
		fprintf(stderr, "insncount: bpfcap %s: %s\n", optimize ? "-O1" : "-O0", expr);
	if (!ctx) {
		r->n = -1;
		snprintf(r->why, sizeof r->why, "filter_ctx_new failed");
		return;
	}
	if (filter_compile(ctx, expr, strlen(expr)) < 0 || filter_emit_cbpf(ctx, &prog) < 0) {
		const struct filter_diag *d = filter_ctx_diag(ctx);

		r->n = -1;
		if (d)
			snprintf(r->why, sizeof r->why, "[%s %zu-%zu] %s", err_name(d->code),
				 d->begin, d->end, d->message);
		else
			snprintf(r->why, sizeof r->why, "(no diagnostic)");
	} else {
		r->n = (long)prog.len;
		filter_prog_release(&prog);
	}
	filter_ctx_free(ctx);
}

static int by_excess(const void *a, const void *b)
{
	const struct entry *x = *(const struct entry *const *)a,
			   *y = *(const struct entry *const *)b;
	long ex = x->ours_opt.n - x->pcap_opt.n, ey = y->ours_opt.n - y->pcap_opt.n;

	return ex < ey ? 1 : ex > ey ? -1 : strcmp(x->expr, y->expr);
}

static const char *show(const char *expr)
{
	return *expr ? expr : "(empty)";
}

/* INSNCOUNT_TSV's file: 0, or -1 on error. */
static int write_tsv(const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	for (size_t i = 0; i < nentries; i++) {
		const struct entry *e = &entries[i];
		if (e->pcap_opt.n >= 0 && e->ours_opt.n >= 0)
			fprintf(f, "%s\t%ld\t%ld\t%s\n", pcap_datalink_val_to_name(e->dlt),
				e->ours_opt.n, e->pcap_opt.n, e->expr);
	}
	return fclose(f) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	long tot_pcap = 0, tot_ours = 0, utot_pcap = 0, utot_ours = 0, both = 0, uboth = 0;
	long longer = 0, equal = 0, shorter = 0, only_pcap = 0, only_ours = 0, refused_both = 0;
	int verbose = 0, nlists = 0;
	struct entry **lng;
	pcap_t *p = NULL;
	int p_dlt = -1;

	trace = getenv("BENCH_TRACE") != NULL;
	while (argc > 1 && (!strcmp(argv[1], "-v") || !strcmp(argv[1], "-A"))) {
		if (argv[1][1] == 'v')
			verbose = 1;
		else
			all_dlts = 1;
		argc--, argv++;
	}
	for (int i = 1; i < argc || (i == 1 && argc == 1); i++) {
		const char *path = argc > 1 ? argv[i] : BENCH_CORPUS;
		long n = read_list(path);

		if (n < 0) {
			fprintf(stderr, "insncount: %s: cannot read: %m\n", path);
			return 2;
		}
		printf("corpus: %s: %ld %s expressions\n", path, n,
		       all_dlts ? "(all DLTs)" : "EN10MB");
		nlists++;
	}
	if (!nentries) {
		fprintf(stderr, "insncount: no EN10MB expressions in %d list(s)\n", nlists);
		return 2;
	}
	lng = calloc(nentries, sizeof *lng);
	if (!lng) {
		perror("insncount");
		return 2;
	}
	for (size_t i = 0; i < nentries; i++) {
		struct entry *e = &entries[i];

		if (e->dlt != p_dlt) {
			if (p)
				pcap_close(p);
			p = pcap_open_dead(e->dlt, SNAPLEN);
			if (!p) {
				fprintf(stderr, "insncount: pcap_open_dead failed\n");
				return 2;
			}
			p_dlt = e->dlt;
		}
		compile_pcap(p, e->expr, 1, &e->pcap_opt);
		compile_pcap(p, e->expr, 0, &e->pcap_unopt);
		compile_ours(e->expr, e->dlt, 1, &e->ours_opt);
		compile_ours(e->expr, e->dlt, 0, &e->ours_unopt);
		if (e->pcap_unopt.n >= 0 && e->ours_unopt.n >= 0) {
			uboth++;
			utot_pcap += e->pcap_unopt.n;
			utot_ours += e->ours_unopt.n;
		}
		if (e->pcap_opt.n < 0 || e->ours_opt.n < 0) {
			if (e->pcap_opt.n < 0 && e->ours_opt.n < 0)
				refused_both++;
			else if (e->pcap_opt.n < 0)
				only_pcap++;
			else
				only_ours++;
			continue;
		}
		both++;
		tot_pcap += e->pcap_opt.n;
		tot_ours += e->ours_opt.n;
		if (e->ours_opt.n > e->pcap_opt.n)
			lng[longer++] = e;
		else if (e->ours_opt.n == e->pcap_opt.n)
			equal++;
		else
			shorter++;
	}
	if (p)
		pcap_close(p);
	if (getenv("INSNCOUNT_TSV") && write_tsv(getenv("INSNCOUNT_TSV")) < 0) {
		fprintf(stderr, "insncount: %s: cannot write: %m\n", getenv("INSNCOUNT_TSV"));
		return 2;
	}

	printf("reference: %s\n\n", pcap_lib_version());
	printf("optimized, %ld expressions both accept:\n", both);
	printf("  instructions  libpcap %ld  bpfcap %ld  ratio bpfcap/libpcap %.3f\n", tot_pcap,
	       tot_ours, tot_pcap ? (double)tot_ours / tot_pcap : 0.0);
	printf("  bpfcap longer %ld  equal %ld  shorter %ld\n", longer, equal, shorter);
	printf("  skipped: refused by libpcap only %ld, by bpfcap only %ld, by both %ld\n",
	       only_pcap, only_ours, refused_both);
	printf("unoptimized, %ld expressions both accept:\n", uboth);
	printf("  instructions  libpcap %ld  bpfcap %ld  ratio bpfcap/libpcap %.3f\n", utot_pcap,
	       utot_ours, utot_pcap ? (double)utot_ours / utot_pcap : 0.0);
	printf("target: total <= 0.90 x libpcap, no expression longer: %s (%.3f x, %ld longer)\n",
	       both && tot_ours * 100 <= tot_pcap * 90 && !longer ? "met" : "NOT met",
	       tot_pcap ? (double)tot_ours / tot_pcap : 0.0, longer);

	qsort(lng, (size_t)longer, sizeof *lng, by_excess);
	printf("\nbpfcap longer than libpcap (optimized), by excess: %ld\n", longer);
	if (longer)
		printf("  %6s %6s %7s  %s\n", "excess", "bpfcap", "libpcap", "expression");
	for (long i = 0; i < longer; i++)
		printf("  %+6ld %6ld %7ld  %s%s%s\n", lng[i]->ours_opt.n - lng[i]->pcap_opt.n,
		       lng[i]->ours_opt.n, lng[i]->pcap_opt.n,
		       all_dlts ? filter_dlt_name(lng[i]->dlt) : "", all_dlts ? " " : "",
		       show(lng[i]->expr));

	printf("\nrefused by bpfcap (optimized): %ld\n", only_ours + refused_both);
	for (size_t i = 0; i < nentries; i++) {
		const struct entry *e = &entries[i];

		if (e->ours_opt.n < 0)
			printf("  %s%s\n    -> %s\n", e->pcap_opt.n < 0 ? "[libpcap too] " : "",
			       show(e->expr), e->ours_opt.why);
	}
	printf("\nrefused by libpcap only (optimized): %ld%s\n", only_pcap,
	       verbose || !only_pcap ? "" : " (-v lists them)");
	for (size_t i = 0; verbose && i < nentries; i++) {
		const struct entry *e = &entries[i];

		if (e->pcap_opt.n < 0 && e->ours_opt.n >= 0)
			printf("  %s\n    -> %s\n", show(e->expr), e->pcap_opt.why);
	}
	for (size_t i = 0; i < nentries; i++)
		free(entries[i].expr);
	free(entries);
	free(lng);
	return 0;
}
