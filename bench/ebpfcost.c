/*
 * ebpfcost.c - per-packet cost of bpfcap's XDP programs against the same
 * expressions written by hand in C and built with clang -O2
 * (bench/xdp/filters.bpf.c), both run with BPF_PROG_TEST_RUN in the same run,
 * interleaved, over the Ethernet frames of capture files.  Needs root.
 * Not a test: it prints figures, ratios and whether the targets are met.
 *
 *   ebpfcost [-A] [-r REPEAT] [-n ROUNDS] [-p PACKETS] [-i IF,IF...] OBJ.o PCAP...
 *
 * Before timing, every program's verdict on every frame is compared with the
 * other's and with libpcap's (pcap_offline_filter on a dead EN10MB handle): a
 * mismatch is printed as such, since a bench of two different filters means
 * nothing.  Then ROUNDS rounds: each loads and attaches every program anew
 * (a program's cost depends on where the kernel puts it, by as much as half a
 * nanosecond, so one load is one sample), and runs each of up to PACKETS
 * frames (spread evenly over the set) REPEAT times through an XDP_PASS
 * program (the floor), bpfcap's program and clang's, the order of the last
 * two swapped from one call to the next; a call the scheduler preempted is
 * run again.  A program's cost in a round is the mean over the frames of its
 * wall-clock time per run less the floor's; the figures are the medians over
 * pairs of rounds (one of each load order), with the spread of the ratio.  -A (A/A): clang's
 * programs against a second load of themselves, to show what spread the
 * method gives two equal programs.  Last, the compile time of the 400-host
 * list for XDP.  See bench/README.md.
 */
#define _GNU_SOURCE
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/bpf.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <sched.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ebpfcost.h"
#include "filter/filter.h"

/* Costs below this (ns per run) are noise: no ratio is made of them. */
#define RESOLUTION 0.1

struct side {
	int fd;		    /* -1: not loaded */
	int link;	    /* >= 0: attached to an interface (struct ifaces) */
	unsigned int insns; /* as emitted (ours only) */
	unsigned int xlated, jited;
	struct bpf_object *obj; /* clang's (or the twin's): this round's load */
	double *c;		/* per round: mean ns per run above the floor */
	char why[512];		/* why it is not loaded */
};

struct bench {
	const char *name, *prog; /* expression label, clang program */
	char *expr;
	struct side ours, clang;
	struct filter_ebpf_prog code; /* bpfcap's, loaded anew each round */
	struct ref *ref;	      /* libpcap's */
	size_t accepts, mismatches;
};

/* The expressions and the hand-written programs that stand for them. */
static const struct {
	const char *expr, *prog;
} cases[] = {
	{"tcp port 443", "tcp_port_443"},
	{"host 10.1.2.3 and not port 22", "host_not_port22"},
	{"vlan and udp", "vlan_udp"},
	{"ip6 and tcp and ip6[53] & tcp-syn != 0", "ip6_tcp_syn"},
	{"udp port 53", "udp_port_53"},
	{"icmp or arp", "icmp_or_arp"},
	{"net 192.168.0.0/16 and tcp", "net_tcp"},
	{"tcp[tcpflags] & (tcp-syn|tcp-fin) != 0", "tcp_syn_fin"},
	{NULL, "hosts_100"}, /* the 100-host list, built below */
	{"ip6 protochain 6", "ip6_protochain_6"},
	{"ip and not ip[6:2] & 0x3fff != 0", "ip_not_frag"},
};
#define NCASES (sizeof cases / sizeof cases[0])

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p) {
		fprintf(stderr, "ebpfcost: out of memory\n");
		exit(2);
	}
	return p;
}

/* "host 10.0.0.1 or host 10.0.0.2 or ...": N hosts, as bench/run.sh builds them. */
static char *hosts_expr(int n)
{
	char *s = xmalloc((size_t)n * 32), *w = s;

	for (int i = 0; i < n; i++)
		w += sprintf(w, "%shost 10.0.%d.%d", i ? " or " : "", i / 250, i % 250 + 1);
	return s;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* ---- programs ------------------------------------------------------------ */

/* Interfaces to attach the programs to (-i), one program each.  A program
 * that BPF_PROG_TEST_RUN repeats is put into the kernel's XDP dispatcher for
 * the run and taken out after it, which waits for an RCU grace period (some
 * 15 ms a call here, as much as 10^5 runs); a program attached to an
 * interface in driver mode is in the dispatcher already, so a call costs
 * only its runs and the wall clock per run has sub-nanosecond resolution.
 * Without interfaces the kernel's own figure (whole ns) is used. */
struct ifaces {
	char *list[64];
	size_t n, next;
};

static struct ifaces ifs;

static int attach(int fd)
{
	if (ifs.next >= ifs.n)
		return -1;
	const char *name = ifs.list[ifs.next++];
	int ifindex = (int)if_nametoindex(name);
	LIBBPF_OPTS(bpf_link_create_opts, lo, .flags = XDP_FLAGS_DRV_MODE);
	int link = ifindex > 0 ? bpf_link_create(fd, ifindex, BPF_XDP, &lo) : -1;

	if (link < 0)
		fprintf(stderr, "ebpfcost: cannot attach to %s: %s\n", name, strerror(errno));
	return link; /* closed at exit: the kernel detaches it then */
}

static void prog_info(struct side *s)
{
	struct bpf_prog_info info;
	__u32 len = sizeof info;

	memset(&info, 0, sizeof info);
	if (bpf_obj_get_info_by_fd(s->fd, &info, &len) == 0) {
		s->xlated = info.xlated_prog_len / 8;
		s->jited = info.jited_prog_len;
	}
}

/* bpfcap's program for B->expr at XDP, compiled once into B->code. */
static void compile_ours(struct bench *b)
{
	struct filter_options o = {.dlt = FILTER_DLT_EN10MB, .vlan = FILTER_VLAN_RAW};
	struct filter_ebpf_opts eo = {.hook = FILTER_HOOK_XDP, .accept = FILTER_EBPF_VERDICT};
	struct filter_ctx *ctx = filter_ctx_new(&o);

	if (!ctx || filter_compile(ctx, b->expr, strlen(b->expr)) < 0 ||
	    filter_emit_ebpf(ctx, &eo, &b->code) < 0)
		snprintf(b->ours.why, sizeof b->ours.why, "bpfcap: %s",
			 ctx && filter_ctx_diag(ctx) ? filter_ctx_diag(ctx)->message
						     : "no context");
	b->ours.insns = (unsigned int)b->code.len;
	filter_ctx_free(ctx);
}

/* B->code loaded into B->ours (when it compiled). */
static void load_ours(struct bench *b)
{
	static char log[1 << 20];

	b->ours.fd = -1;
	if (!b->code.insns)
		return;
	LIBBPF_OPTS(bpf_prog_load_opts, lo, .log_buf = log, .log_size = sizeof log, .log_level = 1);
	log[0] = '\0';
	b->ours.fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "bpfcap", "GPL",
				   (const struct bpf_insn *)b->code.insns, b->code.len, &lo);
	if (b->ours.fd < 0) {
		size_t n = strlen(log);
		const char *tail = n > 300 ? log + n - 300 : log;

		snprintf(b->ours.why, sizeof b->ours.why,
			 "the kernel refuses bpfcap's program (%s); verifier log ends: %s",
			 strerror(errno), tail);
		return;
	}
	prog_info(&b->ours);
	b->ours.link = attach(b->ours.fd);
}

/* PATH with only its program PROG loaded. */
static struct bpf_object *open_clang(const char *path, const char *prog)
{
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	struct bpf_program *p;

	if (!obj || libbpf_get_error(obj)) {
		fprintf(stderr, "ebpfcost: cannot open %s\n", path);
		return NULL;
	}
	bpf_object__for_each_program(p, obj)
		bpf_program__set_autoload(p, strcmp(bpf_program__name(p), prog) == 0);
	if (bpf_object__load(obj) < 0) {
		fprintf(stderr, "ebpfcost: the kernel refuses %s of %s\n", prog, path);
		bpf_object__close(obj);
		return NULL;
	}
	return obj;
}

/* S = clang's program for B (or its twin), loaded and attached. */
static void load_clang(struct bench *b, struct side *s, const char *path)
{
	struct bpf_program *p;

	s->obj = open_clang(path, b->prog);
	p = s->obj ? bpf_object__find_program_by_name(s->obj, b->prog) : NULL;
	s->fd = p ? bpf_program__fd(p) : -1;
	if (s->fd < 0) {
		snprintf(s->why, sizeof s->why, "no program %s in the object", b->prog);
		return;
	}
	prog_info(s);
	s->link = attach(s->fd);
}

/* The programs of one round: every one loaded and attached anew, so that
 * each round puts them at other addresses.  Where a program is shifts its
 * cost by a fraction of a nanosecond for as long as it stays loaded: the
 * alignment of its JIT image, and its place in the XDP dispatcher, a binary
 * search over the attached programs' addresses in which a higher address
 * takes more jumps.  So the two sides of an expression are loaded one right
 * after the other, in turn first from one round and one expression to the
 * next, and neither side's programs are all above the other's; and which
 * expression is loaded first turns from one pair of rounds to the next. */
struct round {
	int pass_fd, pass_link;
};

/* The floor: XDP_PASS and nothing else, of neither side's object. */
static int load_floor(void)
{
	const struct bpf_insn pass[] = {
		{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = XDP_PASS},
		{.code = BPF_JMP | BPF_EXIT},
	};

	return bpf_prog_load(BPF_PROG_TYPE_XDP, "floor", "GPL", pass, 2, NULL);
}

static int load_round(struct round *rd, struct bench *bs, size_t nb, const char *path, int aa,
		      int r)
{
	ifs.next = 0;
	if ((rd->pass_fd = load_floor()) < 0)
		return -1;
	rd->pass_link = attach(rd->pass_fd);
	/* the expressions' place in the load order turns by one every pair
	 * of rounds: where a pair lands among the others matters too */
	for (size_t i = 0; i < nb; i++) {
		size_t e = (i + (size_t)r / 2) % nb;
		struct bench *b = &bs[e];

		b->ours.link = b->clang.link = -1;
		b->ours.obj = b->clang.obj = NULL;
		for (int k = 0; k < 2; k++) {
			if (k == (int)((r + e) & 1))
				load_clang(b, &b->clang, path);
			else if (aa)
				load_clang(b, &b->ours, path);
			else
				load_ours(b);
		}
	}
	return 0;
}

static void unload_side(struct side *s)
{
	if (s->link >= 0) {
		bpf_link_detach(s->link);
		close(s->link);
	}
	if (s->obj)
		bpf_object__close(s->obj); /* closes its program */
	else if (s->fd >= 0)
		close(s->fd);
	s->link = s->fd = -1;
	s->obj = NULL;
}

static void unload_round(struct round *rd, struct bench *bs, size_t nb)
{
	for (size_t e = 0; e < nb; e++) {
		unload_side(&bs[e].ours);
		unload_side(&bs[e].clang);
	}
	if (rd->pass_link >= 0) {
		bpf_link_detach(rd->pass_link);
		close(rd->pass_link);
	}
	close(rd->pass_fd);
}

static void load_ref(struct bench *b)
{
	char err[256];

	b->ref = ref_compile(b->expr, err, sizeof err);
	if (!b->ref)
		fprintf(stderr, "ebpfcost: libpcap refuses '%s': %s\n", b->name, err);
}

static long preemptions(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_THREAD, &ru) == 0 ? ru.ru_nivcsw : -1;
}

/* One BPF_PROG_TEST_RUN of FD on P, REPEAT times; the verdict in *RET and
 * the wall-clock ns per run, or a negative number on error.  A timed call
 * (REPEAT > 1) that the scheduler preempted is made again, up to 10 times:
 * the wall clock would count the other task's time slice. */
static double run(int fd, int link, const struct pkt *p, int repeat, __u32 *ret)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = p->data, .data_size_in = p->caplen,
		    .repeat = repeat);
	double t0, t;
	long cs;
	int tries = 0;

	do {
		cs = preemptions();
		t0 = now_ns();
		if (bpf_prog_test_run_opts(fd, &o) < 0)
			return -1;
		t = link >= 0 ? (now_ns() - t0) / repeat : o.duration;
	} while (repeat > 1 && preemptions() != cs && ++tries < 10);
	if (ret)
		*ret = o.retval;
	return t;
}

/* ---- verdicts ------------------------------------------------------------ */

static const char *verdict(int loaded, __u32 r)
{
	if (!loaded)
		return "-";
	return r == XDP_PASS ? "PASS" : r == XDP_DROP ? "DROP" : "other";
}

/* Every frame through the three programs; mismatches said loudly. */
static void check_verdicts(struct bench *b, const struct pkts *ps)
{
	for (size_t i = 0; i < ps->n; i++) {
		const struct pkt *p = &ps->v[i];
		__u32 ro = 0, rc = 0;
		int want = b->ref ? ref_match(b->ref, p) : -1;
		int ho = b->ours.fd >= 0 && run(b->ours.fd, -1, p, 1, &ro) >= 0;
		int hc = b->clang.fd >= 0 && run(b->clang.fd, -1, p, 1, &rc) >= 0;
		int bad = (ho && hc && ro != rc) ||
			  (want >= 0 && ho && ro != (want ? XDP_PASS : XDP_DROP)) ||
			  (want >= 0 && hc && rc != (want ? XDP_PASS : XDP_DROP));

		b->accepts += want == 1;
		if (!bad)
			continue;
		if (b->mismatches++ < 5)
			printf("  MISMATCH %s: %s frame %u (%u of %u bytes): bpfcap %s, clang %s, "
			       "libpcap %s\n",
			       b->name, p->file, p->idx, p->caplen, p->len, verdict(ho, ro),
			       verdict(hc, rc),
			       want < 0 ? "-"
			       : want	? "accept"
					: "reject");
	}
	if (b->mismatches > 5)
		printf("  MISMATCH %s: %zu frames in all\n", b->name, b->mismatches);
}

/* ---- timing -------------------------------------------------------------- */

/* Round R: every timed frame through the floor, then through bpfcap's and
 * clang's program of each expression, in turn first; each side's mean cost
 * above the floor into its c[R], the floor's mean time into *FLOOR. */
static void time_round(struct bench *bs, size_t nb, const struct pkts *ps, const size_t *sel,
		       size_t nsel, const struct round *rd, int repeat, int r, double *floor)
{
	double fsum = 0;

	for (size_t e = 0; e < nb; e++)
		bs[e].ours.c[r] = bs[e].clang.c[r] = 0;
	for (size_t i = 0; i < nsel; i++) {
		const struct pkt *p = &ps->v[sel[i]];
		double f = run(rd->pass_fd, rd->pass_link, p, repeat, NULL);

		fsum += f;
		for (size_t e = 0; e < nb; e++) {
			struct side *a = &bs[e].ours, *c = &bs[e].clang;

			if ((r + i + e) & 1) {
				struct side *t = a;
				a = c;
				c = t;
			}
			if (a->fd >= 0)
				a->c[r] +=
					(run(a->fd, a->link, p, repeat, NULL) - f) / (double)nsel;
			if (c->fd >= 0)
				c->c[r] +=
					(run(c->fd, c->link, p, repeat, NULL) - f) / (double)nsel;
		}
	}
	*floor = nsel ? fsum / (double)nsel : 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The median of V[0..N-1] (N <= 256); *LO and *HI the least and greatest. */
static double median(const double *v, int n, double *lo, double *hi)
{
	double w[256];

	n = n > 256 ? 256 : n;
	memcpy(w, v, (size_t)n * sizeof *w);
	qsort(w, (size_t)n, sizeof *w, cmp_double);
	if (lo)
		*lo = w[0];
	if (hi)
		*hi = w[n - 1];
	return n % 2 ? w[n / 2] : (w[n / 2 - 1] + w[n / 2]) / 2;
}

/* The per-round ratios O[r] / C[r] into Q; their median, spread in LO, HI. */
static double ratio(const double *o, const double *c, int rounds, double *lo, double *hi)
{
	double q[256];
	int n = 0;

	rounds = rounds > 256 ? 256 : rounds;
	for (int r = 0; r < rounds; r++)
		if (c[r] > 0) /* not a round whose floor was slowed (steal time) */
			q[n++] = o[r] / c[r];
	if (!n) {
		*lo = *hi = 0;
		return 0;
	}
	return median(q, n, lo, hi);
}

/* bpfcap's cost over clang's: the ratio of the medians over the rounds
 * (one round's cost can be near zero, so the ratio of one round is not a
 * figure to take the median of); with LO, MED, HI the per-round ratios'
 * least, median and greatest, as the spread. */
static double ratio_of(const struct side *o, const struct side *c, int rounds, double *lo,
		       double *med, double *hi)
{
	double mc = median(c->c, rounds, NULL, NULL);

	*med = ratio(o->c, c->c, rounds, lo, hi);
	return mc > 0 ? median(o->c, rounds, NULL, NULL) / mc : 0;
}

static void report_line(const struct bench *b, int rounds, double *so, double *sc)
{
	double o = median(b->ours.c, rounds, NULL, NULL),
	       c = median(b->clang.c, rounds, NULL, NULL);
	double lo, med, hi, q = ratio_of(&b->ours, &b->clang, rounds, &lo, &med, &hi);
	char ins[32], rs[48];

	snprintf(ins, sizeof ins, "%u/%u", b->ours.insns, b->ours.xlated);
	if (c >= RESOLUTION)
		snprintf(rs, sizeof rs, "%5.2f  %5.2f %5.2f %5.2f", q, lo, med, hi);
	else
		snprintf(rs, sizeof rs, "%5s  %17s", "-", "");
	printf("%-40.40s %7.2f %7.2f  %s  %-9s %6u  %zu%s\n", b->name, o, c, rs, ins,
	       b->clang.xlated, b->accepts, b->mismatches ? "  VERDICTS DIFFER" : "");
	for (int r = 0; r < rounds; r++) {
		so[r] += b->ours.c[r];
		sc[r] += b->clang.c[r];
	}
}

static void report(const struct bench *bs, size_t nb, const double *floor, int rounds, int aa)
{
	double so[256] = {0}, sc[256] = {0}, worst = 0, lo, hi;
	size_t both = 0, over = 0, unjudged = 0;

	rounds = rounds > 256 ? 256 : rounds;
	double fl = median(floor, rounds, &lo, &hi);
	printf("floor (XDP_PASS): %.2f ns per run (median of the rounds; %.2f..%.2f)\n\n", fl, lo,
	       hi);
	printf("%-40s %7s %7s  %5s  %-17s  %-9s %6s  %s\n", "expression", aa ? "clang'" : "bpfcap",
	       "clang", "ratio", "per pair: min med max ", "insns", "clang", "accepts");
	printf("%-40s %7s %7s  %5s  %-17s  %-9s %6s\n", "", "ns/pkt", "ns/pkt", "", "",
	       aa ? "xlated" : "emit/xl", "xlated");
	for (size_t e = 0; e < nb; e++) {
		const struct bench *b = &bs[e];

		if (b->ours.insns == 0 && !aa) {
			printf("%-40.40s %7s %7.2f  %5s\n", b->name, "-",
			       median(b->clang.c, rounds, NULL, NULL), "-");
			continue;
		}
		report_line(b, rounds, so, sc);
		double c = median(b->clang.c, rounds, NULL, NULL), x, y, z;
		double q = ratio_of(&b->ours, &b->clang, rounds, &x, &y, &z);
		both++;
		unjudged += c < RESOLUTION;
		over += c >= RESOLUTION && q > 1.5;
		worst = c >= RESOLUTION && q > worst ? q : worst;
	}
	if (!both) {
		printf("\nno expression has both programs: no ratios\n");
		return;
	}
	double mo = median(so, rounds, NULL, NULL), mc = median(sc, rounds, NULL, NULL), med;
	double t = mc > 0 ? mo / mc : 0;
	med = ratio(so, sc, rounds, &lo, &hi);
	printf("%-40s %7.2f %7.2f  %5.2f  %5.2f %5.2f %5.2f\n", "total", mo, mc, t, lo, med, hi);
	printf("\ntarget: total <= 1.00 x clang: %s (%.2f); every expression <= 1.50 x: %s "
	       "(worst %.2f, %zu over)\n",
	       t <= 1.0 ? "met" : "NOT MET", t, over ? "NOT MET" : "met", worst, over);
	printf("(ns/pkt: medians over the pairs of rounds, each pair the mean of one round of "
	       "each load order; ratio: bpfcap's median over clang's; per pair: the least, "
	       "median and greatest of the pairs' own ratios)\n");
	if (both < nb)
		printf("(over %zu of %zu expressions: the others have a program missing)\n", both,
		       nb);
	if (unjudged)
		printf("(%zu expressions without a ratio: clang's cost is below %.1f ns, the "
		       "resolution here)\n",
		       unjudged, RESOLUTION);
}

/* Rounds 2j and 2j+1 load every expression's two sides in the opposite
 * order, and the order decides which of the two gets the higher address
 * (the dispatcher's search: its cost comes in two modes).  So the figures
 * are over pairs of rounds, each the mean of one round of each order: a
 * median over single rounds would fall in whichever mode has the one round
 * more.  The pair means replace C[] and FLOOR[]; returns their count. */
static int pair_rounds(struct bench *bs, size_t nb, double *floor, int rounds)
{
	int n = rounds / 2;

	if (n < 1)
		return rounds;
	for (int j = 0; j < n; j++) {
		floor[j] = (floor[2 * j] + floor[2 * j + 1]) / 2;
		for (size_t e = 0; e < nb; e++) {
			struct side *s[2] = {&bs[e].ours, &bs[e].clang};
			for (int k = 0; k < 2; k++)
				s[k]->c[j] = (s[k]->c[2 * j] + s[k]->c[2 * j + 1]) / 2;
		}
	}
	return n;
}

/* ---- compile time -------------------------------------------------------- */

static void keep_min(double *slot, double t)
{
	if (t >= 0 && (*slot < 0 || t < *slot))
		*slot = t;
}

#ifdef HAVE_EBPF_WRITE_OBJECT
static double write_object(const struct filter_ebpf_prog *prog)
{
	char path[] = "/tmp/ebpfcost-XXXXXX", err[256];
	int fd = mkstemp(path);
	double t0 = now_ns();
	int rc;

	if (fd < 0)
		return -1;
	close(fd);
	rc = filter_ebpf_write_object(prog, path, NULL, NULL, err, sizeof err);
	double t = (now_ns() - t0) / 1e6;
	unlink(path);
	if (rc < 0)
		printf("  object write failed: %s\n", err);
	return rc < 0 ? -1 : t;
}
#endif

/* filter_ctx_new + filter_compile + filter_emit_ebpf (and the object write
 * when the library has it) for N hosts: the best of 5, in ms. */
static void compile_time(int n)
{
	char *expr = hosts_expr(n);
	double best = -1, best_obj = -1;
	unsigned int insns = 0;

	for (int k = 0; k < 5; k++) {
		struct filter_options o = {.dlt = FILTER_DLT_EN10MB, .vlan = FILTER_VLAN_RAW};
		struct filter_ebpf_opts eo = {.hook = FILTER_HOOK_XDP};
		struct filter_ebpf_prog prog = {0};
		double t0 = now_ns();
		struct filter_ctx *ctx = filter_ctx_new(&o);

		if (!ctx || filter_compile(ctx, expr, strlen(expr)) < 0 ||
		    filter_emit_ebpf(ctx, &eo, &prog) < 0) {
			printf("%d-host list: refused: %s\n", n,
			       ctx && filter_ctx_diag(ctx) ? filter_ctx_diag(ctx)->message : "?");
			filter_ctx_free(ctx);
			free(expr);
			return;
		}
		filter_ctx_free(ctx);
		keep_min(&best, (now_ns() - t0) / 1e6);
		insns = (unsigned int)prog.len;
#ifdef HAVE_EBPF_WRITE_OBJECT
		keep_min(&best_obj, write_object(&prog));
#endif
		filter_ebpf_release(&prog);
	}
	printf("%d-host list for XDP: compile + emit %.2f ms (best of 5), %u instructions; "
	       "target < 50 ms: %s\n",
	       n, best, insns, best < 50 ? "met" : "NOT MET");
	if (best_obj >= 0)
		printf("  + object write %.2f ms: %.2f ms in all: %s\n", best_obj, best + best_obj,
		       best + best_obj < 50 ? "met" : "NOT MET");
	else
		printf("  object write: not measured (this libfilter.a has no "
		       "filter_ebpf_write_object)\n");
	free(expr);
}

/* ---- main ---------------------------------------------------------------- */

static int usage(void)
{
	fprintf(stderr, "usage: ebpfcost [-A] [-r REPEAT] [-n ROUNDS] [-p PACKETS] [-i IF,IF...] "
			"OBJ.o PCAP...\n");
	return 2;
}

/* Up to MAX frames spread evenly over the set, those the floor runs on. */
static size_t select_frames(const struct pkts *ps, size_t max, int pass_fd, size_t *sel)
{
	size_t n = 0, step = ps->n > max ? ps->n / max : 1;

	for (size_t i = 0; i < ps->n && n < max; i += step)
		if (run(pass_fd, -1, &ps->v[i], 1, NULL) >= 0)
			sel[n++] = i;
	return n;
}

/* One CPU for the whole run: no migration between the timed calls. */
static void pin(void)
{
	cpu_set_t one;
	int cpu = sched_getcpu();

	CPU_ZERO(&one);
	if (cpu >= 0) {
		CPU_SET(cpu, &one);
		sched_setaffinity(0, sizeof one, &one);
	}
}

static void setup(struct bench *b, size_t e, int rounds, int aa)
{
	memset(b, 0, sizeof *b);
	b->ours.fd = b->clang.fd = b->ours.link = b->clang.link = -1;
	b->expr = cases[e].expr ? strdup(cases[e].expr) : hosts_expr(100);
	b->name = cases[e].expr ? cases[e].expr : "host 10.0.0.1 or ... (100 hosts)";
	b->prog = cases[e].prog;
	b->ours.c = xmalloc((size_t)rounds * sizeof(double));
	b->clang.c = xmalloc((size_t)rounds * sizeof(double));
	if (!aa)
		compile_ours(b);
	load_ref(b);
}

static void print_setup(size_t nframes, const struct pkts *ps, int repeat, int rounds, int aa,
			int clock)
{
	printf("frames: %zu Ethernet frames of %u..%u bytes from %zu files (skipped: %zu shorter "
	       "than %d bytes, %zu longer than %d, %zu files of other link types)\n",
	       ps->n, MIN_FRAME, MAX_FRAME, ps->nfiles, ps->too_short, MIN_FRAME, ps->too_long,
	       MAX_FRAME, ps->other_dlt);
	printf("timing: %zu of them, BPF_PROG_TEST_RUN repeat %d, %d rounds (every program "
	       "loaded anew each round), bpfcap and clang interleaved%s\n",
	       nframes, repeat, rounds,
	       aa ? "; A/A (-A): 'bpfcap' is a second load of clang's program" : "");
	printf("cpu: %d (the run is pinned to it); load average: ", sched_getcpu());
	FILE *f = fopen("/proc/loadavg", "r");
	char la[64] = "?";
	if (f && fgets(la, sizeof la, f))
		la[strcspn(la, "\n")] = '\0';
	if (f)
		fclose(f);
	printf("%s\n", la);
	printf("clock: %s\n",
	       clock ? "wall clock per call / repeat, programs attached in driver mode (-i)"
		     : "the kernel's duration (whole ns; no -i interfaces: see bench/README.md)");
}

int main(int argc, char **argv)
{
	int repeat = 100000, rounds = 42, c, aa = 0;
	size_t maxp = 60;
	struct pkts ps = {0};

	while ((c = getopt(argc, argv, "Ar:n:p:i:")) != -1) {
		if (c == 'A')
			aa = 1;
		else if (c == 'r')
			repeat = atoi(optarg);
		else if (c == 'n')
			rounds = atoi(optarg);
		else if (c == 'p')
			maxp = (size_t)atol(optarg);
		else if (c == 'i')
			for (char *t = strtok(optarg, ","); t && ifs.n < 64; t = strtok(NULL, ","))
				ifs.list[ifs.n++] = t;
		else
			return usage();
	}
	if (argc - optind < 2 || repeat < 1 || rounds < 1 || rounds > 256 || maxp < 1)
		return usage();
	pin();
	if (!getenv("BENCH_VERBOSE"))
		libbpf_set_print(NULL);
	for (int i = optind + 1; i < argc; i++)
		pkts_read_file(&ps, argv[i]);
	if (!ps.n) {
		fprintf(stderr, "ebpfcost: no Ethernet frames in the capture files\n");
		return 2;
	}

	struct bench bs[NCASES];
	struct round rd;
	const char *obj = argv[optind];
	for (size_t e = 0; e < NCASES; e++)
		setup(&bs[e], e, rounds, aa);
	if (load_round(&rd, bs, NCASES, obj, aa, 0) < 0)
		return 2;
	size_t *sel = xmalloc(ps.n * sizeof *sel);
	size_t nsel = select_frames(&ps, maxp, rd.pass_fd, sel);
	double *floor = xmalloc((size_t)rounds * sizeof *floor);

	print_setup(nsel, &ps, repeat, rounds, aa, rd.pass_link >= 0);
	size_t bad = 0;
	for (size_t e = 0; e < NCASES; e++) {
		struct bench *b = &bs[e];

		if (b->ours.fd < 0)
			printf("  %s: no bpfcap program: %s\n", b->name, b->ours.why);
		if (b->clang.fd < 0)
			printf("  %s: no clang program: %s\n", b->name, b->clang.why);
		check_verdicts(b, &ps);
		bad += b->mismatches > 0;
	}
	printf("verdicts: %zu frames x %zu expressions: %s\n", ps.n, NCASES,
	       bad ? "MISMATCHES (above): the figures compare different filters"
		   : "bpfcap, clang and libpcap agree where loaded");
	for (int r = 0; r < rounds; r++) {
		if (r > 0 && load_round(&rd, bs, NCASES, obj, aa, r) < 0)
			return 2;
		time_round(bs, NCASES, &ps, sel, nsel, &rd, repeat, r, &floor[r]);
		unload_round(&rd, bs, NCASES);
	}
	report(bs, NCASES, floor, pair_rounds(bs, NCASES, floor, rounds), aa);
	printf("\n");
	compile_time(400);
	return 0;
}
