/*
 * diffcheck - differential tests of bpfcap's filter compiler against libpcap.
 *
 *   diffcheck [-F] [-k KNOWN] [-n N] accept LISTFILE [CAPTURE...]
 *   diffcheck [-F] [-k KNOWN] [-n N] reject LISTFILE
 *   diffcheck [-F] [-k KNOWN] [-n N] apply TSVFILE SAVEFILEDIR
 *
 *   -F        run the cases in this process (for a debugger, or LeakSanitizer)
 *   -N DIR    resolve names through DIR/hosts, DIR/ethers, DIR/networks first
 *             instead of one child process each, where a crash or a hang
 *             (CASE_TIMEOUT) of the compiler fails that case only (CRASH)
 *   -k KNOWN  known differences, "mode<TAB>DLT<TAB>expression<TAB>reason"
 *             lines: a listed case's failures print as KNOWN and do not
 *             count; a listed case that passes prints as STALE (info only)
 *   -n N      print at most N failure lines and N informational lines in
 *             full (default 50), then only count them
 *
 * LISTFILE lines are "DLTNAME<TAB>expression"; lines for link types bpfcap
 * does not support (filter_dlt_from_name() < 0) count as not applicable.
 *
 * accept   libpcap 1.10.3 must compile the line (else SKIP-LIBPCAP: counted,
 *          not a failure) and so must bpfcap, optimized and not (REFUSED;
 *          except that both optimizers may find it rejects everything).
 *          Each packet of each CAPTURE of that link type, run with
 *          bpf_filter(), must get from both of bpfcap's programs the verdict
 *          of libpcap's unoptimized program, or (bpfcap-filter(7), short
 *          packets) an accept where libpcap's rejects a packet that it
 *          accepts on every completion of the missing bytes that
 *          truncrel.h tries (MISMATCH otherwise); bpfcap's unoptimized
 *          program must give libpcap's exactly.  Each packet is also
 *          compared cut short at CUTS lengths (one byte short, and
 *          pseudo-random ones), its wire length unchanged.  The summary
 *          counts the verdicts that fell under the rule ("truncation rule").
 * reject   bpfcap must refuse the line, optimized and not (ACCEPTED-BAD),
 *          with a sound diagnostic (DIAG): a code, a non-empty message, a
 *          span within the expression, and filter_diag_format() giving
 *          "LINE:COL: message" with the span's line.
 * apply    TSVFILE is the corpus' apply.tsv (name, savefile, netmask,
 *          libpcap_1.10.3, results, expression): both of bpfcap's programs
 *          must give the listed verdicts (0 reject, else accept) on the
 *          packets of SAVEFILEDIR/savefile (APPLY-MISMATCH).  Cases with a
 *          netmask are not applicable.
 *
 * Every program bpfcap produces must also have 1..FILTER_CBPF_MAX_INSNS
 * instructions, jump only forward and end in ret (STRUCTURE), pass
 * bpf_validate() (INVALID) and be accepted by the kernel through
 * SO_ATTACH_FILTER (KERNEL-REJECTS); these failures are never excused, and
 * programs failing the first two are not run.
 *
 * Exit status: 0 all passed, 1 some failed, 2 usage or I/O error.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <sys/wait.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/filter.h>
#include <pcap/pcap.h>
#include <pcap/bpf.h>

#include "filter/filter.h"
#include "diffcheck.h"
#include "namedb.h"
#include "truncrel.h"

#define MAX_SHOWN_PER_CASE 5  /* mismatch lines per case before a total */
#define CASE_TIMEOUT	   60 /* seconds */
#define MAX_CRASH_REPORTS  3  /* then a crashing case's stderr is dropped */
#define CUTS		   3  /* short copies of each packet compared besides it */

/* ---- reporting ---------------------------------------------------------- */

static struct stats {
	unsigned long cases, compiled, packets, mismatches, failed, errors;
	unsigned long na_dlt, na_netmask, skip_libpcap, known, stale;
	unsigned long both_never, crashes;
	unsigned long trunc, trunc_completions; /* ours-only accepts, see truncrel.h */
	unsigned long shown[2], hidden[2];	/* [0] info, [1] failure lines */
} st;

static unsigned long max_lines = 50;

/* Print one line, FAILURE or informational, within the -n limit. */
void PRINTF(2, 3) say(int failure, const char *fmt, ...)
{
	va_list ap;

	if (st.shown[failure] >= max_lines) {
		st.hidden[failure]++;
		return;
	}
	st.shown[failure]++;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p) {
		fputs("diffcheck: out of memory\n", stderr);
		exit(2);
	}
	return p;
}

void *xrealloc(void *p, size_t size)
{
	if (!(p = realloc(p, size))) {
		fputs("diffcheck: out of memory\n", stderr);
		exit(2);
	}
	return p;
}

/* ---- input files ---------------------------------------------------------- */

/* Split LINE in place at up to MAX-1 tabs; the last field keeps the rest. */
static size_t split_tabs(char *line, char **f, size_t max)
{
	size_t n = 0;

	f[n++] = line;
	while (n < max && (line = strchr(line, '\t')) != NULL) {
		*line++ = '\0';
		f[n++] = line;
	}
	return n;
}

typedef void line_fn(char **f, const char *where, void *arg);

/* Call FN with the NF tab-separated fields of every line of PATH that is
 * neither blank nor a # comment.  -1 if PATH is unreadable. */
static int read_table(const char *path, size_t nf, line_fn *fn, void *arg)
{
	FILE *fp = fopen(path, "r");
	char *line = NULL, *f[8], where[4096];
	size_t cap = 0;
	ssize_t len;
	unsigned long no = 0;

	if (!fp) {
		fprintf(stderr, "diffcheck: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((len = getline(&line, &cap, fp)) >= 0) {
		no++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (line[0] == '\0' || line[0] == '#')
			continue;
		snprintf(where, sizeof where, "%s:%lu", path, no);
		if (split_tabs(line, f, nf) == nf) {
			fn(f, where, arg);
		} else {
			st.errors++;
			say(1, "BAD-LINE %s: want %zu tab-separated fields", where, nf);
		}
	}
	free(line);
	fclose(fp);
	return 0;
}

/* ---- known differences ---------------------------------------------------- */

struct known {
	char *line; /* mode, dlt, expr and reason point into it */
	char *f[4];
};

static struct known *known;
static size_t nknown;

static void known_line(char **f, const char *where, void *arg)
{
	struct known *k;
	size_t len = 0;

	(void)where, (void)arg;
	known = xrealloc(known, (nknown + 1) * sizeof *known);
	k = &known[nknown++];
	for (int i = 0; i < 4; i++)
		len += strlen(f[i]) + 1;
	k->line = xcalloc(len, 1);
	for (int i = 0, off = 0; i < 4; off += (int)strlen(f[i++]) + 1)
		k->f[i] = strcpy(k->line + off, f[i]);
}

static const struct known *known_find(const char *mode, const char *dlt, const char *expr)
{
	for (size_t i = 0; i < nknown; i++)
		if (strcmp(known[i].f[0], mode) == 0 && strcasecmp(known[i].f[1], dlt) == 0 &&
		    strcmp(known[i].f[2], expr) == 0)
			return &known[i];
	return NULL;
}

/* ---- the current case ---------------------------------------------------- */

struct diff_case cur;

static void case_begin(const char *mode, const char *dlt, const char *expr, const char *name)
{
	snprintf(cur.label, sizeof cur.label, "%s%s%sdlt=%s expr='%s'", name ? "case=" : "",
		 name ? name : "", name ? " " : "", dlt, expr);
	cur.known = known_find(mode, dlt, expr);
	cur.failed = cur.excused = 0;
	st.cases++;
}

/* A failure of the current case.  EXCUSABLE: excused if the case is listed
 * as a known difference.  QUIET: counted but not printed. */
void PRINTF(2, 3) fail_case(int flags, const char *fmt, ...)
{
	va_list ap;
	char msg[2048];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if ((flags & EXCUSABLE) && cur.known) {
		if (!cur.excused)
			say(0, "KNOWN %s (%s)", msg, cur.known->f[3]);
		cur.excused = 1;
		return;
	}
	cur.failed = 1;
	if (!(flags & QUIET))
		say(1, "%s", msg);
}

static void case_end(void)
{
	st.failed += cur.failed;
	st.known += cur.excused;
	if (cur.known && !cur.excused && !cur.failed) {
		st.stale++;
		say(0, "STALE %s: listed in known differences but no longer differs", cur.label);
	}
	cur.label[0] = '\0';
}

typedef void case_fn(int dlt, const char *expr, void *arg);

static int isolate = 1;			/* -F clears it */
const struct filter_resolver *resolver; /* -N sets it */

/* Report the end of a case whose child process died. */
static void case_died(int status)
{
	cur.failed = 1;
	st.crashes++;
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
		say(1, "CRASH %s: no result after %d s", cur.label, CASE_TIMEOUT);
	else if (WIFSIGNALED(status))
		say(1, "CRASH %s: %s", cur.label, strsignal(WTERMSIG(status)));
	else
		say(1, "CRASH %s: exit status %d (sanitizer report?)", cur.label,
		    WEXITSTATUS(status));
	case_end();
}

/* Run FN and end the current case in a child process, so that a crash or a
 * hang of the compiler fails this case and not the whole run; the child
 * hands its statistics back through a pipe. */
static void run_case(case_fn *fn, int dlt, const char *expr, void *arg)
{
	struct stats child;
	int fds[2], status = 0;
	pid_t pid;
	ssize_t n;

	fflush(stdout);
	if (!isolate || pipe(fds) < 0 || (pid = fork()) < 0) {
		if (isolate)
			isolate = 0,
			say(0, "NOTE: pipe/fork: %s; cases run in-process", strerror(errno));
		fn(dlt, expr, arg);
		case_end();
		return;
	}
	if (pid == 0) {
		close(fds[0]);
		if (st.crashes >= MAX_CRASH_REPORTS) /* keep the log readable */
			(void)!freopen("/dev/null", "w", stderr);
		alarm(CASE_TIMEOUT);
		fn(dlt, expr, arg);
		case_end();
		fflush(stdout);
		_exit(write(fds[1], &st, sizeof st) == sizeof st ? 0 : 3);
	}
	close(fds[1]);
	n = read(fds[0], &child, sizeof child);
	close(fds[0]);
	waitpid(pid, &status, 0);
	if (n == (ssize_t)sizeof child)
		st = child;
	else
		case_died(status);
}

struct list {
	const char *mode;
	case_fn *fn;
	void *arg;
};

/* A "DLTNAME<TAB>expression" line: a case of L->mode if bpfcap knows the DLT. */
static void list_line(char **f, const char *where, void *arg)
{
	const struct list *l = arg;
	int dlt = filter_dlt_from_name(f[0]);

	(void)where;
	if (dlt < 0) {
		st.cases++, st.na_dlt++;
		return;
	}
	case_begin(l->mode, f[0], f[1], NULL);
	run_case(l->fn, dlt, f[1], l->arg);
}

/* ---- accept ------------------------------------------------------------- */

struct captures {
	struct capture *c;
	size_t n;
};

struct trio {
	struct lp_prog lpu, lpo;
	struct bc_prog bo, bu;
	unsigned long mismatches;
};

/* Does bpfcap's optimized verdict V (-1: not run) stand in truncrel.h's
 * relation to libpcap's unoptimized V0 on PK? */
static int rel_ok(const struct trio *t, const struct packet *pk, int v0, int v)
{
	struct truncrel_stats s = {0, 0, 0, 0};
	if (v < 0)
		return 1;
	enum truncrel r = truncrel_check(t->lpu.bp.bf_insns, (unsigned)v0, (unsigned)v, pk->data,
					 pk->hdr.caplen, pk->hdr.len, &s);
	st.trunc += s.trunc;
	st.trunc_completions += s.completions;
	return r != TRUNCREL_MISMATCH;
}

/* Packet I of C cut to CAPLEN bytes (its own caplen: as captured). */
static void compare_cut(struct trio *t, const struct capture *c, size_t i, unsigned caplen)
{
	struct packet cut = c->pkts[i];
	cut.hdr.caplen = caplen;
	int v0 = verdict(&t->lpu.bp, &cut);
	int vo = t->bo.safe ? verdict(&t->bo.bp, &cut) : -1;
	int vu = t->bu.safe ? verdict(&t->bu.bp, &cut) : -1;

	/* "can never match" is a claim about every packet: hold bpfcap to it */
	if (!t->bo.ok && t->bo.have_diag && t->bo.d.code == FILTER_ERR_NEVER)
		vo = 0;
	if (!t->bu.ok && t->bu.have_diag && t->bu.d.code == FILTER_ERR_NEVER)
		vu = 0;

	st.packets++;
	/* the unoptimized program is libpcap's, short packets included */
	if (rel_ok(t, &cut, v0, vo) && (vu < 0 || vu == v0))
		return;
	st.mismatches++;
	fail_case(EXCUSABLE | (t->mismatches++ >= MAX_SHOWN_PER_CASE ? QUIET : 0),
		  "MISMATCH %s capture=%s packet=%zu libpcap=%s bpfcap(opt)=%s bpfcap(unopt)=%s"
		  " [libpcap(opt)=%s caplen=%u%s len=%u]",
		  cur.label, c->path, i + 1, word(v0), word(vo), word(vu),
		  word(t->lpo.ok ? verdict(&t->lpo.bp, &cut) : -1), caplen,
		  caplen < c->pkts[i].hdr.caplen ? " (cut)" : "", cut.hdr.len);
}

/* Packet I as captured, and cut short at CUTS lengths inside it (the
 * wire length unchanged): what short packets the captures lack. */
static void compare_packet(struct trio *t, const struct capture *c, size_t i)
{
	unsigned caplen = c->pkts[i].hdr.caplen;
	uint32_t x = 2654435761u * (uint32_t)(i + 1);
	compare_cut(t, c, i, caplen);
	for (int k = 0; k < CUTS && caplen > 1; k++) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		compare_cut(t, c, i, k ? 1 + x % (caplen - 1) : caplen - 1);
	}
}

static void accept_compare(struct trio *t, const struct captures *caps, int dlt)
{
	if (t->lpu.ok) {
		if (!t->bu.ok && !(t->bu.have_diag && t->bu.d.code == FILTER_ERR_NEVER))
			fail_case(EXCUSABLE, "REFUSED %s bpfcap(unopt): %s", cur.label, t->bu.msg);
		if (!t->bo.ok && !t->lpo.ok && t->bo.have_diag && t->bo.d.code == FILTER_ERR_NEVER)
			st.both_never++; /* both optimizers: "rejects all packets" */
		else if (!t->bo.ok)
			fail_case(EXCUSABLE, "REFUSED %s bpfcap(opt): %s", cur.label, t->bo.msg);
	}
	for (size_t c = 0; t->lpu.ok && c < caps->n; c++)
		for (size_t i = 0; caps->c[c].dlt == dlt && i < caps->c[c].n; i++)
			compare_packet(t, &caps->c[c], i);
	if (t->mismatches > MAX_SHOWN_PER_CASE)
		fail_case(EXCUSABLE, "MISMATCH %s: %lu mismatching packets in all", cur.label,
			  t->mismatches);
}

static void accept_case(int dlt, const char *expr, void *arg)
{
	struct trio t;
	const char *dltname = filter_dlt_name(dlt);

	memset(&t, 0, sizeof t);
	lp_compile(dlt, expr, 0, &t.lpu);
	lp_compile(dlt, expr, 1, &t.lpo);
	bc_compile(dlt, expr, 0, &t.bo);
	bc_compile(dlt, expr, 1, &t.bu);
	check_prog("bpfcap(opt)", &t.bo);
	check_prog("bpfcap(unopt)", &t.bu);
	st.compiled += t.bo.ok && t.bu.ok;
	if (!dltname || pcap_datalink_name_to_val(dltname) != dlt)
		fail_case(0, "DLT-NAME %s: filter_dlt_name(%d) is %s, libpcap's value for it %d",
			  cur.label, dlt, dltname ? dltname : "NULL",
			  dltname ? pcap_datalink_name_to_val(dltname) : -1);
	if (!t.lpu.ok) {
		st.skip_libpcap++;
		say(0, "SKIP-LIBPCAP %s libpcap 1.10.3: %s; bpfcap(opt): %s", cur.label, t.lpu.err,
		    t.bo.ok ? "compiles" : t.bo.msg);
	}
	accept_compare(&t, arg, dlt);
	lp_free(&t.lpu);
	lp_free(&t.lpo);
	bc_free(&t.bo);
	bc_free(&t.bu);
}

static int mode_accept(const char *list, char **files, int nfiles)
{
	struct captures caps = {xcalloc((size_t)nfiles, sizeof(struct capture)), 0};
	unsigned long packets = 0;
	int r;

	for (int i = 0; i < nfiles; i++)
		if (capture_load(files[i], &caps.c[caps.n]) == 0)
			packets += caps.c[caps.n++].n;
	printf("accept %s: %zu of %d captures readable, %lu packets\n", list, caps.n, nfiles,
	       packets);
	r = read_table(list, 2, list_line, &(struct list){"accept", accept_case, &caps});
	for (size_t i = 0; i < caps.n; i++)
		capture_free(&caps.c[i]);
	free(caps.c);
	return r;
}

/* ---- reject ---------------------------------------------------------------- */

/* Parse "LINE:COL: " (both >= 1) at the start of S. */
static int parse_linecol(const char *s, unsigned long *line, const char **rest)
{
	const char *colon = strchr(s, ':');
	unsigned long col;
	int n = 0;

	if (*s < '1' || *s > '9' || !colon || colon[1] < '1' || colon[1] > '9' ||
	    sscanf(s, "%lu:%lu%n", line, &col, &n) != 2 || strncmp(s + n, ": ", 2) != 0)
		return 0;
	*rest = s + n + 2;
	return 1;
}

static void check_diag(const char *which, const struct bc_prog *r, const char *expr)
{
	size_t len = strlen(expr);
	unsigned long line, want = 1;
	const char *rest;

	if (!r->have_diag) {
		fail_case(0, "DIAG %s %s: refused without a diagnostic (%s)", cur.label, which,
			  r->msg);
		return;
	}
	if (r->d.code == FILTER_OK || r->d.message[0] == '\0')
		fail_case(0, "DIAG %s %s: code %d, message '%s'", cur.label, which, (int)r->d.code,
			  r->d.message);
	if (r->d.begin > r->d.end || r->d.end > len) {
		fail_case(0, "DIAG %s %s: span [%zu,%zu) outside the expression (length %zu)",
			  cur.label, which, r->d.begin, r->d.end, len);
		return;
	}
	for (size_t i = 0; i < r->d.begin; i++)
		want += expr[i] == '\n';
	if (!parse_linecol(r->msg, &line, &rest) || line != want ||
	    strncmp(rest, r->d.message, strlen(r->d.message)) != 0)
		fail_case(0, "DIAG %s %s: filter_diag_format() gave '%s', want '%lu:COL: %s'",
			  cur.label, which, r->msg, want, r->d.message);
}

static void reject_one(int dlt, const char *expr, int no_optimize)
{
	const char *which = no_optimize ? "bpfcap(unopt)" : "bpfcap(opt)";
	struct bc_prog r;
	struct lp_prog lp;

	bc_compile(dlt, expr, no_optimize, &r);
	if (!r.ok) {
		check_diag(which, &r, expr);
	} else {
		check_prog(which, &r);
		lp_compile(dlt, expr, !no_optimize, &lp);
		fail_case(EXCUSABLE, "ACCEPTED-BAD %s %s compiled it (%zu instructions)%s",
			  cur.label, which, r.fp.len,
			  lp.ok ? "; libpcap 1.10.3 accepts it too" : "");
		lp_free(&lp);
	}
	bc_free(&r);
}

static void reject_case(int dlt, const char *expr, void *arg)
{
	(void)arg;
	reject_one(dlt, expr, 0);
	reject_one(dlt, expr, 1);
	st.compiled += !cur.failed && !cur.excused; /* here: correctly refused */
}

/* ---- apply ------------------------------------------------------------------ */

enum { A_NAME, A_SAVEFILE, A_NETMASK, A_LIBPCAP, A_RESULTS, A_EXPR, A_NFIELDS };

/* Parse comma-separated numbers into OUT (at most MAX); the count or -1. */
static long parse_results(const char *s, unsigned long *out, size_t max)
{
	size_t n = 0;
	char *end;

	for (; *s; s = *end ? end + 1 : end) {
		if (n == max || *s < '0' || *s > '9')
			return -1;
		out[n++] = strtoul(s, &end, 10);
		if (*end && *end != ',')
			return -1;
	}
	return (long)n;
}

static void apply_run(const struct bc_prog *r, const char *which, const struct capture *c,
		      const unsigned long *want, const char *note)
{
	unsigned long bad = 0;

	if (!r->ok) {
		fail_case(EXCUSABLE, "APPLY-MISMATCH %s %s refused: %s%s", cur.label, which, r->msg,
			  note);
		return;
	}
	for (size_t i = 0; r->safe && want && i < c->n; i++) {
		int got = verdict(&r->bp, &c->pkts[i]);
		st.packets++;
		if (got == (want[i] != 0))
			continue;
		st.mismatches++;
		fail_case(EXCUSABLE | (bad++ >= MAX_SHOWN_PER_CASE ? QUIET : 0),
			  "APPLY-MISMATCH %s savefile=%s packet=%zu expected=%s got=%s %s%s",
			  cur.label, c->path, i + 1, word(want[i] != 0), word(got), which, note);
	}
}

struct apply_arg {
	char **f;
	const struct capture *c;
};

static void apply_case(int dlt, const char *expr, void *arg)
{
	char **f = ((struct apply_arg *)arg)->f;
	const struct capture *c = ((struct apply_arg *)arg)->c;
	const char *note = strstr(f[A_LIBPCAP], "same") ? "" : " (libpcap 1.10.3 differs)";
	unsigned long *want = xcalloc(c->n + 1, sizeof *want);
	long n = parse_results(f[A_RESULTS], want, c->n + 1);
	struct bc_prog bo, bu;

	if (n != (long)c->n) {
		fail_case(0,
			  "APPLY-MISMATCH %s: results column has %ld values, the savefile %zu "
			  "packets",
			  cur.label, n, c->n);
		free(want), want = NULL;
	}
	bc_compile(dlt, expr, 0, &bo);
	bc_compile(dlt, expr, 1, &bu);
	check_prog("bpfcap(opt)", &bo);
	check_prog("bpfcap(unopt)", &bu);
	st.compiled += bo.ok && bu.ok;
	apply_run(&bo, "bpfcap(opt)", c, want, note);
	apply_run(&bu, "bpfcap(unopt)", c, want, note);
	bc_free(&bo);
	bc_free(&bu);
	free(want);
}

static void apply_line(char **f, const char *where, void *arg)
{
	char path[4096];
	const char *dltname;
	struct capture c;

	if (strcmp(f[A_NETMASK], "-") != 0) {
		st.cases++, st.na_netmask++;
		return;
	}
	snprintf(path, sizeof path, "%s/%s", (const char *)arg, f[A_SAVEFILE]);
	if (capture_load(path, &c) < 0) {
		st.errors++;
		say(1, "APPLY-MISMATCH %s case=%s: cannot read savefile %s", where, f[A_NAME],
		    path);
		return;
	}
	if ((dltname = filter_dlt_name(c.dlt)) == NULL) {
		st.cases++, st.na_dlt++;
	} else {
		case_begin("apply", dltname, f[A_EXPR], f[A_NAME]);
		run_case(apply_case, c.dlt, f[A_EXPR], &(struct apply_arg){f, &c});
	}
	capture_free(&c);
}

/* ---- main ------------------------------------------------------------------ */

static void summary(const char *mode)
{
	if (st.hidden[1])
		printf("... %lu more failure lines not shown (-n raises the limit)\n",
		       st.hidden[1]);
	if (st.hidden[0])
		printf("... %lu more informational lines not shown\n", st.hidden[0]);
	printf("SUMMARY %s: cases=%lu %s=%lu packets=%lu mismatches=%lu failed=%lu errors=%lu "
	       "crashed=%lu known=%lu stale=%lu; skipped: unsupported-dlt=%lu netmask=%lu "
	       "libpcap-1.10.3-refuses=%lu both-optimizers-reject-all=%lu",
	       mode, st.cases, strcmp(mode, "reject") ? "compiled" : "refused", st.compiled,
	       st.packets, st.mismatches, st.failed, st.errors, st.crashes, st.known, st.stale,
	       st.na_dlt, st.na_netmask, st.skip_libpcap, st.both_never);
	if (!strcmp(mode, "accept"))
		printf("; truncation rule: %lu verdicts accepted by bpfcap only, all confirmed on "
		       "%lu completions",
		       st.trunc, st.trunc_completions);
	printf(" -> %s\n", st.failed || st.errors ? "FAIL" : "PASS");
}

static int run_mode(const char *mode, int argc, char **argv)
{
	if (strcmp(mode, "accept") == 0 && argc >= 1)
		return mode_accept(argv[0], argv + 1, argc - 1);
	if (strcmp(mode, "reject") == 0 && argc == 1)
		return read_table(argv[0], 2, list_line,
				  &(struct list){"reject", reject_case, NULL});
	if (strcmp(mode, "apply") == 0 && argc == 2)
		return read_table(argv[0], A_NFIELDS, apply_line, argv[1]);
	fputs("usage: diffcheck [-F] [-k KNOWN] [-n N] [-N DIR] accept LISTFILE [CAPTURE...]\n"
	      "       diffcheck [-F] [-k KNOWN] [-n N] [-N DIR] reject LISTFILE\n"
	      "       diffcheck [-F] [-k KNOWN] [-n N] [-N DIR] apply TSVFILE SAVEFILEDIR\n",
	      stderr);
	return -2;
}

int main(int argc, char **argv)
{
	const char *kfile = NULL;
	int c, r;

	while ((c = getopt(argc, argv, "+Fk:n:N:")) != -1) {
		if (c == 'N') {
			if (!(resolver = namedb_open(optarg))) {
				fprintf(stderr, "diffcheck: -N %s: no hosts, ethers or networks\n",
					optarg);
				return 2;
			}
			continue;
		}
		if (c == 'F')
			isolate = 0;
		else if (c == 'k')
			kfile = optarg;
		else if (c == 'n')
			max_lines = strtoul(optarg, NULL, 10);
		else
			optind = argc + 1;
	}
	if (optind >= argc)
		return run_mode("", 0, NULL), 2;
	if (kfile && read_table(kfile, 4, known_line, NULL) < 0)
		return 2;
	setvbuf(stdout, NULL, _IOLBF, 0); /* keep what a crashing case printed */
	if ((ksock = socket(AF_INET, SOCK_DGRAM, 0)) < 0)
		say(0, "NOTE: socket(AF_INET, SOCK_DGRAM): %s; kernel checks skipped",
		    strerror(errno));
	r = run_mode(argv[optind], argc - optind - 1, argv + optind + 1);
	if (r != -2)
		summary(argv[optind]);
	if (ksock >= 0)
		close(ksock);
	for (size_t i = 0; i < nknown; i++)
		free(known[i].line);
	free(known);
	return r < 0 ? 2 : st.failed || st.errors ? 1 : 0;
}
