/*
 * flow.h - the flows the counting programs keep in the kernel, as people
 * see them: read from the map (summed over CPUs), rates from the deltas
 * between reads, sorted, expired when idle, printed as text or JSON lines,
 * shown in a curses view, exported as IPFIX.
 *
 * It owns no kernel object: the map fds come from src/loader and stay the
 * caller's.  Records handed out belong to the struct flow_table that made
 * them and are valid until its next read.  Not thread-safe, except that
 * the curses view's name resolver runs in a thread of its own (view_curses.c).
 */
#ifndef BPFCAP_FLOW_H
#define BPFCAP_FLOW_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "xdp/flow.h"

/* One flow, summed over the CPUs, with its rates over the last interval. */
struct flow_rec {
	struct flow_key key;
	uint64_t packets, bytes;
	uint64_t first_ns, last_ns; /* CLOCK_MONOTONIC */
	uint8_t tcp_flags;
	uint64_t dpackets, dbytes; /* since the previous read */
	double pps, bps;	   /* packets/s and bits/s over the last interval */
};

/* The totals of the counting programs (kept beside the map: exact even
 * when flows are evicted). */
struct flow_totals {
	uint64_t packets, bytes;
	uint64_t inserts, insert_failed;
	uint64_t evictions; /* inserts that are neither in the map nor expired by us */
	uint64_t expired;   /* flows we deleted as idle */
	double pps, bps;
	size_t flows; /* flows in the map at this read */
};

/* ---- maps.c: reading the kernel's map ---------------------------------- */

struct flow_reader;

int flow_reader_new(int map_fd, int stats_fd, uint32_t max_entries, struct flow_reader **out);
void flow_reader_free(struct flow_reader *r);
/* Every flow in the map, summed over CPUs, into *RECS (owned by R, valid
 * until the next call); *N their number.  0 or a negative errno. */
int flow_reader_read(struct flow_reader *r, struct flow_rec **recs, size_t *n);
/* The statistics array summed over CPUs. */
int flow_reader_stats(struct flow_reader *r, uint64_t out[FLOW_STAT_MAX]);
/* Remove the flow K from the map and return what it holds by then (the
 * packets counted since the last read included) in *REC; 0, or -ENOENT
 * when it is gone already. */
int flow_reader_take(struct flow_reader *r, const struct flow_key *k, struct flow_rec *rec);

/* ---- rates.c: deltas and expiry, no I/O -------------------------------- */

/* Order by key (memcmp), for flow_rates(), dropping repeated keys; returns
 * the number left. */
size_t flow_sort_by_key(struct flow_rec *recs, size_t n);
/* Set the deltas and rates of CUR (sorted by key) from PREV (sorted by key,
 * the previous read) over SECS seconds.  A flow not in PREV counts whole. */
void flow_rates(const struct flow_rec *prev, size_t nprev, struct flow_rec *cur, size_t n,
		double secs);
/* Is REC idle at NOW_NS (last packet more than IDLE_NS ago)? */
int flow_is_idle(const struct flow_rec *rec, uint64_t now_ns, uint64_t idle_ns);
/* The totals from the statistics now (S) and before (PREV_S, or NULL). */
void flow_totals_set(struct flow_totals *t, const uint64_t s[FLOW_STAT_MAX], const uint64_t *prev_s,
		     double secs, size_t live, uint64_t expired);

/* ---- table.c: sorting and selection, no I/O ------------------------------ */

enum flow_sort {
	FLOW_SORT_BYTES = 0,
	FLOW_SORT_PACKETS,
	FLOW_SORT_RATE, /* bits/s over the last interval */
	FLOW_SORT_AGE,	/* oldest first */
};

/* Sort by S, the largest first (ties by key, so the order is stable). */
void flow_sort(struct flow_rec *recs, size_t n, enum flow_sort s);
/* Does REC match the display filter TEXT: an address (v4 or v6, either
 * side) or a port (either side)?  NULL or "" matches everything. */
int flow_match(const struct flow_rec *rec, const char *text);

/* ---- format.c: words and numbers for people ------------------------------ */

/* "tcp", "udp", "icmp", "icmp6", "sctp", "arp", "ip proto 47", "0x88cc". */
const char *flow_proto_name(const struct flow_key *k, char *buf, size_t len);
/* The address of side SRC (1) or destination (0): dotted quad, RFC 5952, or
 * "" for non-IP. */
const char *flow_addr(const struct flow_key *k, int src, char *buf, size_t len);
/* TCP flags as tcpdump's letters (FSRPAUEC, '.' for ACK): "S.", "FP." */
const char *flow_tcp_flags(uint8_t flags, char *buf, size_t len);
/* 1234 -> "1234", 12345 -> "12.3k", "4.56M", "7.89G" */
const char *flow_human(double v, char *buf, size_t len);
const char *flow_hook_name(uint8_t hook);

/* ---- view_batch.c: one record per interval ------------------------------- */

struct flow_batch_info {
	const char *iface;
	const char *hook; /* "xdp", "tc ingress", "tc", ... */
	const char *filter;
	double interval;	  /* seconds */
	uint64_t now_ns;	  /* CLOCK_MONOTONIC at the read */
	uint64_t mono_to_wall_ns; /* add to a CLOCK_MONOTONIC time for the wall clock */
};

/* "10.0.0.1:53", "[fd00::1]:443", "10.0.0.1" (ICMP, ports-less), "" (non-IP). */
const char *flow_endpoint(const struct flow_key *k, int src, char *buf, size_t len);
/* The protocol column: "udp", "icmp 8/0", "vlan 100 tcp", "arp". */
const char *flow_proto_col(const struct flow_key *k, char *buf, size_t len);

/* Aligned text: a header line with the totals, then one line per flow.
 * JSON: one object per interval on one line (fields in bpfcap(8)). */
int flow_print_text(FILE *out, const struct flow_batch_info *bi, const struct flow_totals *t,
		    const struct flow_rec *recs, size_t n);
int flow_print_json(FILE *out, const struct flow_batch_info *bi, const struct flow_totals *t,
		    const struct flow_rec *recs, size_t n);

/* ---- run.c: the loop ------------------------------------------------------ */

struct flow_ipfix;

struct flow_run_opts {
	int map_fd, stats_fd;
	uint32_t max_entries;
	const char *iface, *hook, *filter;
	double interval;	  /* seconds */
	uint64_t idle_ns;	  /* expiry */
	long count;		  /* intervals, -1: until a signal */
	int batch, json;	  /* batch: no curses */
	int quiet;		  /* no output (an IPFIX exporter) */
	int numeric;		  /* curses view: start without name resolution */
	struct flow_ipfix *ipfix; /* or NULL */
};

/* Until COUNT intervals, SIGINT/SIGTERM/SIGHUP, or q in the view.  0, or a
 * negative errno after a message on stderr. */
int flow_run(const struct flow_run_opts *o);

/* ---- view_curses.c -------------------------------------------------------- */

struct flow_view;

struct flow_view *flow_view_open(const struct flow_run_opts *o);
/* Draw the interval's flows (sorted, filtered by the view itself). */
void flow_view_draw(struct flow_view *v, const struct flow_totals *t, struct flow_rec *recs,
		    size_t n);
/* Wait up to MS milliseconds for keys; returns 1 when the user quits. */
int flow_view_wait(struct flow_view *v, int ms);
int flow_view_paused(const struct flow_view *v);
void flow_view_close(struct flow_view *v);

/* ---- ipfix.c -------------------------------------------------------------- */

/* Export to HOSTPORT ("host:port", "[v6]:port") over UDP, or over TCP with
 * a "tcp://" prefix; NULL with ERR set. */
struct flow_ipfix *flow_ipfix_open(const char *hostport, char *err, size_t errlen);

enum flow_ipfix_what {
	FLOW_IPFIX_ENDED,  /* RECS expired: their last records */
	FLOW_IPFIX_ACTIVE, /* RECS (sorted by key) are every flow in the map: records
			    * for those active for the active timeout (60 s) */
	FLOW_IPFIX_ALL,	   /* as ACTIVE, a record for every flow (bpfcap stops) */
};

/* 0, or -EIO after a message on stderr (the export goes on). */
int flow_ipfix_export(struct flow_ipfix *x, const struct flow_rec *recs, size_t n,
		      uint64_t mono_to_wall_ns, uint64_t now_ns, enum flow_ipfix_what what);
void flow_ipfix_close(struct flow_ipfix *x);

#endif
