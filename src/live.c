/*
 * live.c - `bpfcap -i`: live capture wiring.  Owns the signal handling of a
 * capture (handlers only set flags; the loop waits in ppoll with the
 * signals unblocked, so a signal is seen at once and never interrupts a
 * packet being written), the statistics lines and the order of set-up:
 * socket and ring, filter compiled for the interface, output files, the
 * filter attached and locked, privileges dropped, then packets.  The loop
 * and the statistics run on a struct live_source (app.h): the ring here,
 * the BPF ring buffer of --backend in hook.c.
 */
#include "app.h"

#include <errno.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "capture/capture.h"
#include "util/priv.h"

static volatile sig_atomic_t got_stop, got_stats, got_flush;

static void on_stop(int sig)
{
	(void)sig;
	got_stop = 1;
}

static void on_stats(int sig)
{
	(void)sig;
	got_stats = 1;
}

static void on_flush(int sig)
{
	(void)sig;
	got_flush = 1;
}

void live_signals(sigset_t *wait)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	struct sigaction old;
	if (sigaction(SIGHUP, NULL, &old) == 0 && old.sa_handler != SIG_IGN)
		sigaction(SIGHUP, &sa, NULL); /* nohup's SIG_IGN is kept */
	sa.sa_handler = on_stats;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = on_flush; /* tcpdump's SIGUSR2: the -w file out to disk now */
	sigaction(SIGUSR2, &sa, NULL);
	signal(SIGPIPE, SIG_IGN); /* EPIPE is handled where it happens */
	sigset_t block;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGUSR2);
	sigprocmask(SIG_BLOCK, &block, wait);
	sigdelset(wait, SIGINT);
	sigdelset(wait, SIGTERM);
	sigdelset(wait, SIGHUP);
	sigdelset(wait, SIGUSR1);
	sigdelset(wait, SIGUSR2);
}

struct live_run {
	const struct config *cfg;
	struct live_source *src;
	const char *ifname;
	int any;	  /* -i any: name each packet's interface */
	int last_ifindex; /* ... cached: */
	char last_name[IF_NAMESIZE];
	const char *dlt_name;
	struct decode_ctx *printer;
	struct capture_output *out;
	uint64_t captured;
	enum { RUNNING, STOP_COUNT, STOP_FILES, STOP_WRITE, STOP_STDOUT } stop_reason;
	char err[512];
};

static const char *dir_text(int pkttype)
{
	switch (pkttype) {
	case 0: return "In ";
	case 1: return "B  ";
	case 2: return "M  ";
	case 3: return "P  ";
	case 4: return "Out";
	default: return "?  ";
	}
}

static const char *iface_of(struct live_run *r, const struct capture_pkt *p)
{
	if (!r->any)
		return r->ifname;
	if (p->ifindex != r->last_ifindex) {
		if (!if_indextoname((unsigned)p->ifindex, r->last_name))
			snprintf(r->last_name, sizeof(r->last_name), "#%d", p->ifindex);
		r->last_ifindex = p->ifindex;
	}
	return r->last_name;
}

static int print_pkt(struct live_run *r, const struct capture_pkt *p)
{
	char where[IF_NAMESIZE + 8];
	snprintf(where, sizeof(where), "%s %s", iface_of(r, p), dir_text(p->pkttype));
	int rc = app_print_pkt(r->printer, p, where);
	if (rc == 0 && r->cfg->unbuffered)
		rc = fflush(stdout) == 0 ? 0 : -1;
	return rc;
}

static int on_packet(void *opaque, const struct capture_pkt *p)
{
	struct live_run *r = opaque;
	if (r->out) {
		int rc = capture_output_put(r->out, p, r->err, sizeof(r->err));
		if (rc != 0) {
			r->stop_reason = rc > 0 ? STOP_FILES : STOP_WRITE;
			return 1;
		}
	} else if (print_pkt(r, p) < 0) {
		r->stop_reason = STOP_STDOUT;
		return 1;
	}
	r->captured++;
	if (r->cfg->max_packets >= 0 && r->captured >= (uint64_t)r->cfg->max_packets) {
		r->stop_reason = STOP_COUNT;
		return 1;
	}
	return 0;
}

/* tcpdump's info(): at the end three lines; on SIGUSR1 one line, with the
 * program's name in front. */
static void print_stats(const struct live_run *r, int final)
{
	struct capture_stats st;
	r->src->stats(r->src->s, &st);
	fflush(stdout);
	const char *sep = final ? "\n" : ", ";
	fprintf(stderr, "%s%llu packet%s captured%s",
		final ? "" : "bpfcap: ", (unsigned long long)r->captured,
		r->captured == 1 ? "" : "s", sep);
	fprintf(stderr, "%llu packet%s received by filter%s", (unsigned long long)st.received,
		st.received == 1 ? "" : "s", sep);
	fprintf(stderr, "%llu packet%s dropped by kernel\n", (unsigned long long)st.dropped,
		st.dropped == 1 ? "" : "s");
	if (final && r->src->stats_final)
		r->src->stats_final(r->src->s, stderr);
}

/* The capture loop proper; returns 0, or EXIT_IO after an error. */
static int loop(struct live_run *r, const sigset_t *wait)
{
	struct live_source *src = r->src;
	int stop = 0, rc = 0;
	char err[512];
	while (!got_stop && !stop) {
		long n = src->dispatch(src->s, 1000, wait, on_packet, r, &stop, err, sizeof(err));
		if (n < 0) {
			fprintf(stderr, "bpfcap: %s\n", err);
			rc = EXIT_IO;
			break;
		}
		/* printed lines go out once per batch: a reader sees them within a
		 * block timeout, and a closed pipe is noticed */
		if (!r->out && n > 0 && fflush(stdout) != 0) {
			r->stop_reason = STOP_STDOUT;
			break;
		}
		if (got_stats) {
			got_stats = 0;
			print_stats(r, 0);
		}
		if (r->out && !stop && capture_output_tick(r->out, r->err, sizeof(r->err)) < 0) {
			r->stop_reason = STOP_WRITE;
			break;
		}
		if (got_flush) {
			got_flush = 0;
			if (r->out && capture_output_flush(r->out, r->err, sizeof(r->err)) < 0) {
				r->stop_reason = STOP_WRITE;
				break;
			}
		}
	}
	src->stop(src->s);
	if (!stop && r->stop_reason == RUNNING)
		src->drain(src->s, on_packet, r, &stop);
	return rc;
}

static int finish(struct live_run *r, int rc)
{
	char err[512];
	uint64_t written = 0;
	if (r->out) {
		if (capture_output_flush(r->out, err, sizeof(err)) < 0 &&
		    r->stop_reason != STOP_WRITE) {
			snprintf(r->err, sizeof(r->err), "%s", err);
			r->stop_reason = STOP_WRITE;
		}
		written = capture_output_records(r->out);
		if (capture_output_close(r->out, err, sizeof(err)) < 0 &&
		    r->stop_reason != STOP_WRITE) {
			snprintf(r->err, sizeof(r->err), "%s", err);
			r->stop_reason = STOP_WRITE;
		}
		r->out = NULL;
	}
	if (r->stop_reason == STOP_WRITE) {
		fflush(stdout);
		fprintf(stderr,
			"bpfcap: %s (%llu packet%s written; the file is complete up to the last "
			"of them)\n",
			r->err, (unsigned long long)written, written == 1 ? "" : "s");
		rc = EXIT_IO;
	} else if (r->stop_reason == STOP_FILES) {
		fprintf(stderr, "Maximum file limit reached: %lu\n", r->cfg->files);
	}
	if (r->stop_reason != STOP_STDOUT && fflush(stdout) != 0 && errno != EPIPE && rc == 0)
		rc = EXIT_IO;
	print_stats(r, 1);
	return rc;
}

int live_capture(const struct config *cfg, struct live_source *src, struct capture_output *out,
		 const sigset_t *wait)
{
	struct live_run r = {.cfg = cfg,
			     .src = src,
			     .ifname = cfg->iface,
			     .any = src->any,
			     .dlt_name = pcap_datalink_val_to_name(src->dlt),
			     .out = out};
	if (!(r.printer = app_printer_new(cfg, src->dlt)))
		return EXIT_IO;
	int rc = finish(&r, loop(&r, wait));
	app_printer_free(r.printer);
	return rc;
}

static void on_rotated(void *command, const char *path)
{
	postrotate_run(command, path);
}

int live_open_output(const struct config *cfg, int dlt, uint32_t snaplen, size_t ring_bytes,
		     struct capture_output **out)
{
	struct capture_output_opts o = {
		.path = cfg->write_file,
		.w = {.dlt = dlt,
		      .snaplen = snaplen,
		      .nano = cfg->nano,
		      .flush_each = cfg->unbuffered,
		      /* a write blocks the walk: keep it short next to the ring, so
		       * that a small ring does not fill while the file is written */
		      .flush_bytes = ring_bytes / 8},
		.rotate_bytes = cfg->rotate_bytes,
		.rotate_secs = cfg->rotate_secs,
		.files = cfg->files,
		.rotated = cfg->postrotate ? on_rotated : NULL,
		.opaque = (void *)cfg->postrotate,
	};
	char err[512];
	if (cfg->postrotate)
		postrotate_init();
	if (capture_output_open(&o, out, err, sizeof(err)) < 0) {
		fprintf(stderr, "bpfcap: %s\n", err);
		return -1;
	}
	return 0;
}

static int open_live(const struct config *cfg, struct capture_live **l)
{
	int dlt;
	if (live_wanted_dlt(cfg, &dlt) < 0)
		return EXIT_USAGE;
	struct capture_live_opts o = {.ifname = cfg->iface,
				      .dlt = dlt,
				      .snaplen = cfg->snaplen,
				      .buffer_kib = cfg->buffer_kib,
				      .immediate = cfg->immediate || cfg->unbuffered,
				      .promisc = !cfg->no_promisc,
				      .direction = cfg->direction};
	char err[512];
	int rc = capture_live_open(&o, l, err, sizeof(err));
	if (rc == 0)
		return 0;
	fprintf(stderr, "bpfcap: %s\n", err);
	return rc == CAPTURE_E_IO ? EXIT_IO : EXIT_USAGE;
}

/* The programs of a capture: KERNEL runs in the socket (NULL: accept all),
 * USER, when the kernel cannot run the expression (a cooked socket and the
 * link address), in the ring walk. */
struct live_progs {
	struct filter_prog kernel, user;
	int has_kernel, has_user;
};

/* What the capture adds to the expression, so that the kernel counts only
 * what is delivered: -Q out, and for "any" the loopback's outgoing copies
 * (they come back in).  NULL when nothing. */
static char *wrap_expr(const struct config *cfg, struct capture_live *l, int has)
{
	char pre[96] = "";
	int lo = capture_live_lo_ifindex(l);
	if (cfg->direction == CAPTURE_Q_OUT)
		snprintf(pre, sizeof(pre), "outbound");
	else if (lo)
		snprintf(pre, sizeof(pre), "not (outbound and ifindex %d)", lo);
	if (!pre[0])
		return NULL;
	size_t n = strlen(cfg->expr) + sizeof(pre) + 16;
	char *s = malloc(n);
	if (s)
		snprintf(s, n, has ? "%s and (%s)" : "%s", pre, cfg->expr);
	return s;
}

static int compile_live(const struct config *cfg, struct capture_live *l, struct live_progs *p)
{
	int dlt = capture_live_dlt(l);
	uint32_t snaplen = capture_live_snaplen(l);
	int has = cfg->expr[strspn(cfg->expr, " \t\r\n")] != '\0';
	/* the user's expression first, so that messages point into it */
	if (has && app_compile(cfg, cfg->expr, dlt, snaplen, APP_LIVE, &p->kernel) < 0)
		return -1;
	char *wrapped = wrap_expr(cfg, l, has);
	const char *expr = wrapped ? wrapped : cfg->expr;
	if (!wrapped && !has)
		return 0;
	if (has)
		filter_prog_release(&p->kernel);
	int rc = 0;
	if (capture_live_cooked(l) &&
	    app_compile(cfg, expr, dlt, snaplen, APP_LIVE | APP_COOKED_SOCKET, &p->kernel) == 0) {
		p->has_kernel = 1;
	} else if (capture_live_cooked(l)) {
		rc = app_compile(cfg, expr, dlt, snaplen, APP_LIVE, &p->user);
		p->has_user = rc == 0;
		if (rc == 0)
			fprintf(stderr,
				"bpfcap: note: the filter reads the link-layer address of the "
				"cooked header, which the kernel does not provide: it runs "
				"in bpfcap, and 'received by filter' counts every packet\n");
	} else {
		rc = app_compile(cfg, expr, dlt, snaplen, APP_LIVE, &p->kernel);
		p->has_kernel = rc == 0;
	}
	free(wrapped);
	return rc;
}

static int setup(const struct config *cfg, struct capture_live *l, struct capture_output **out,
		 struct live_progs *prog)
{
	struct priv_user user;
	char err[512];
	if (cfg->user && priv_lookup(cfg->user, &user, err, sizeof(err)) < 0) {
		fprintf(stderr, "bpfcap: %s\n", err);
		return EXIT_USAGE;
	}
	if (compile_live(cfg, l, prog) < 0)
		return EXIT_USAGE;
	if (cfg->write_file && live_open_output(cfg, capture_live_dlt(l), capture_live_snaplen(l),
						capture_live_ring_bytes(l), out) < 0)
		return EXIT_IO;
	if (capture_live_set_filter(l, prog->has_kernel ? &prog->kernel : NULL,
				    prog->has_user ? &prog->user : NULL, err, sizeof(err)) < 0 ||
	    priv_drop(cfg->user ? &user : NULL, err, sizeof(err)) < 0) {
		fprintf(stderr, "bpfcap: %s\n", err);
		return EXIT_IO;
	}
	return 0;
}

static long ring_dispatch(void *s, int timeout_ms, const sigset_t *mask, capture_sink sink,
			  void *opaque, int *stop, char *err, size_t errlen)
{
	return capture_live_dispatch(s, timeout_ms, mask, sink, opaque, stop, err, errlen);
}

static void ring_stop(void *s)
{
	capture_live_stop(s);
}

static long ring_drain(void *s, capture_sink sink, void *opaque, int *stop)
{
	return capture_live_drain(s, sink, opaque, stop);
}

static void ring_stats(void *s, struct capture_stats *st)
{
	capture_live_stats(s, st);
}

int live_main(const struct config *cfg)
{
	sigset_t wait;
	live_signals(&wait);
	struct capture_live *l;
	int rc = open_live(cfg, &l);
	if (rc)
		return rc;
	int dlt = capture_live_dlt(l);
	struct capture_output *out = NULL;
	struct live_progs prog;
	memset(&prog, 0, sizeof(prog));
	rc = setup(cfg, l, &out, &prog);
	if (rc == 0) {
		fprintf(stderr,
			"bpfcap: listening on %s, link-type %s (%s), snapshot length %u "
			"bytes\n",
			cfg->iface, pcap_datalink_val_to_name(dlt),
			pcap_datalink_val_to_description(dlt), capture_live_snaplen(l));
		struct live_source src = {.s = l,
					  .dispatch = ring_dispatch,
					  .stop = ring_stop,
					  .drain = ring_drain,
					  .stats = ring_stats,
					  .dlt = dlt,
					  .any = strcmp(cfg->iface, "any") == 0};
		rc = live_capture(cfg, &src, out, &wait);
	} else if (out) {
		char err[512];
		capture_output_close(out, err, sizeof(err));
	}
	filter_prog_release(&prog.kernel);
	filter_prog_release(&prog.user);
	capture_live_close(l);
	return rc;
}
