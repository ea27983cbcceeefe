/* run.c - the loop of --top: every interval read the map, work out the
 * rates, delete idle flows, and hand the result to the batch printer, the
 * curses view and the IPFIX exporter.  See flow.h. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "flow/flow.h"

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec t;
	clock_gettime(id, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

struct loop {
	const struct flow_run_opts *o;
	struct flow_reader *reader;
	struct flow_view *view;
	struct flow_rec *prev, *show, *ended;
	size_t nprev;
	uint64_t prev_stats[FLOW_STAT_MAX], prev_ns, expired;
	struct flow_batch_info bi;
	int final; /* the read at the end, for the exporter only */
};

/* Delete the idle flows from the map and from RECS; their last state goes
 * to L->ended (for the exporter).  Returns the flows left. */
static size_t expire(struct loop *l, struct flow_rec *recs, size_t n, uint64_t now, size_t *nended)
{
	size_t keep = 0;
	*nended = 0;
	for (size_t i = 0; i < n; i++) {
		if (!flow_is_idle(&recs[i], now, l->o->idle_ns)) {
			recs[keep++] = recs[i];
			continue;
		}
		struct flow_rec last;
		if (flow_reader_take(l->reader, &recs[i].key, &last) == 0) {
			l->expired++;
			l->ended[(*nended)++] = last;
		}
	}
	return keep;
}

static int output(struct loop *l, const struct flow_totals *t, size_t n)
{
	const struct flow_run_opts *o = l->o;
	/* paused: the view keeps showing (and re-sorting) the old copy */
	if (l->view && flow_view_paused(l->view))
		return 0;
	memcpy(l->show, l->prev, n * sizeof(*l->show));
	if (l->view) {
		flow_view_draw(l->view, t, l->show, n);
		return 0;
	}
	if (o->quiet)
		return 0;
	flow_sort(l->show, n, FLOW_SORT_BYTES);
	int rc = o->json ? flow_print_json(stdout, &l->bi, t, l->show, n)
			 : flow_print_text(stdout, &l->bi, t, l->show, n);
	if (rc < 0)
		fprintf(stderr, "bpfcap: cannot write the flows to the standard output\n");
	return rc < 0 ? -EIO : 0;
}

static int tick(struct loop *l)
{
	uint64_t stats[FLOW_STAT_MAX];
	struct flow_rec *recs;
	size_t n, nended;
	/* the statistics first: flows created after this read can only make
	 * the evictions look smaller, never larger */
	int rc = flow_reader_stats(l->reader, stats);
	if (!rc)
		rc = flow_reader_read(l->reader, &recs, &n);
	if (rc) {
		fprintf(stderr, "bpfcap: cannot read the flow map: %s\n", strerror(-rc));
		return rc;
	}
	uint64_t now = clock_ns(CLOCK_MONOTONIC);
	double secs = (double)(now - l->prev_ns) / 1e9;
	n = flow_sort_by_key(recs, n);
	flow_rates(l->prev, l->nprev, recs, n, secs);
	n = expire(l, recs, n, now, &nended);
	struct flow_totals t;
	flow_totals_set(&t, stats, l->prev_stats, secs, n, l->expired);
	memcpy(l->prev, recs, n * sizeof(*recs));
	l->nprev = n;
	memcpy(l->prev_stats, stats, sizeof(stats));
	l->prev_ns = now;
	l->bi.now_ns = now;
	if (l->o->ipfix) {
		flow_ipfix_export(l->o->ipfix, l->ended, nended, l->bi.mono_to_wall_ns, now,
				  FLOW_IPFIX_ENDED);
		flow_ipfix_export(l->o->ipfix, recs, n, l->bi.mono_to_wall_ns, now,
				  FLOW_IPFIX_ACTIVE);
	}
	return l->final ? 0 : output(l, &t, n);
}

/* Sleep until DEADLINE (CLOCK_MONOTONIC ns) or a signal; 1 to stop. */
static int wait_until(struct loop *l, uint64_t deadline)
{
	for (;;) {
		if (stop_signal)
			return 1;
		uint64_t now = clock_ns(CLOCK_MONOTONIC);
		if (now >= deadline)
			return 0;
		if (l->view) {
			if (flow_view_wait(l->view, (int)((deadline - now + 999999) / 1000000)))
				return 1;
			continue;
		}
		struct timespec ts = {(time_t)((deadline - now) / 1000000000u),
				      (long)((deadline - now) % 1000000000u)};
		nanosleep(&ts, NULL);
	}
}

static void signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

static int loop_init(struct loop *l, const struct flow_run_opts *o)
{
	memset(l, 0, sizeof(*l));
	l->o = o;
	int rc = flow_reader_new(o->map_fd, o->stats_fd, o->max_entries, &l->reader);
	if (rc)
		return rc;
	l->prev = calloc(o->max_entries, sizeof(*l->prev));
	l->show = calloc(o->max_entries, sizeof(*l->show));
	l->ended = calloc(o->max_entries, sizeof(*l->ended));
	if (!l->prev || !l->show || !l->ended)
		return -ENOMEM;
	l->bi.iface = o->iface;
	l->bi.hook = o->hook;
	l->bi.filter = o->filter;
	l->bi.interval = o->interval;
	l->bi.mono_to_wall_ns = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_MONOTONIC);
	l->prev_ns = clock_ns(CLOCK_MONOTONIC);
	return flow_reader_stats(l->reader, l->prev_stats);
}

int flow_run(const struct flow_run_opts *o)
{
	struct loop l;
	int rc = loop_init(&l, o);
	if (rc) {
		fprintf(stderr, "bpfcap: cannot set up the flow table: %s\n", strerror(-rc));
		goto out;
	}
	signals();
	if (!o->batch && !(l.view = flow_view_open(o))) {
		rc = -ENOTTY;
		goto out;
	}
	uint64_t step = (uint64_t)(o->interval * 1e9), deadline = l.prev_ns + step;
	for (long i = 0; o->count < 0 || i < o->count; i++, deadline += step) {
		if (wait_until(&l, deadline))
			break;
		if ((rc = tick(&l)) != 0)
			break;
	}
	/* what the flows counted since their last record */
	l.final = 1;
	if (o->ipfix && l.reader && tick(&l) == 0)
		flow_ipfix_export(o->ipfix, l.prev, l.nprev, l.bi.mono_to_wall_ns, l.prev_ns,
				  FLOW_IPFIX_ALL);
out:
	flow_view_close(l.view);
	flow_reader_free(l.reader);
	free(l.prev);
	free(l.show);
	free(l.ended);
	return rc;
}
