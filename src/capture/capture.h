/*
 * capture.h - packet sources and sinks.
 *
 * Sources: capture files read through libpcap (pcap and pcapng), filtered
 * with a classic program from src/filter run by libpcap's bpf_filter(); and
 * live capture through an AF_PACKET TPACKET_V3 ring of our own, with the
 * program attached in the kernel (ring.c, iface.c).
 * Sinks: our pcap writer (writer.c) and -w's rotation on top of it
 * (output.c).
 *
 * Errors: functions return 0 or -1 and put a message for people in the
 * caller's buffer; nothing here exits, prints or touches signals.
 */
#ifndef BPFCAP_CAPTURE_H
#define BPFCAP_CAPTURE_H

#include <stddef.h>
#include <stdint.h>
#include <signal.h>
#include <sys/time.h>
#include <time.h>

#include "filter/filter.h"

struct capture_file;

/* capture_pkt.pkttype when there is none (files). */
enum { CAPTURE_DIR_UNKNOWN = -1 };

struct capture_pkt {
	int64_t ts_sec;
	uint32_t ts_nsec;
	uint32_t caplen, len;
	const uint8_t *data;
	int ifindex; /* live capture only, else 0 */
	int pkttype; /* sll_pkttype for live capture, else CAPTURE_DIR_UNKNOWN */
};

int capture_file_open(const char *path, struct capture_file **out, char *err, size_t errlen);
int capture_file_dlt(const struct capture_file *f);
const char *capture_file_dlt_name(const struct capture_file *f);
const char *capture_file_dlt_desc(const struct capture_file *f);
uint32_t capture_file_snaplen(const struct capture_file *f);
void capture_file_close(struct capture_file *f);

/* Called for each packet the program accepts; return non-zero to stop. */
typedef int (*capture_sink)(void *opaque, const struct capture_pkt *p);

/* Read every packet, run PROG (NULL: accept all) and hand matches to SINK.
 * Returns 0 at the end of the file or when the sink stops, -1 on a read
 * error (message in ERR). */
int capture_file_run(struct capture_file *f, const struct filter_prog *prog, capture_sink sink,
		     void *opaque, char *err, size_t errlen);

/* ---- the pcap writer ---------------------------------------------------
 * Whole records only; every write is checked; after a failure the file is
 * trimmed to its last complete record and the writer refuses more.  Data at
 * risk: at most 1 MiB or 1 s (capture_writer_tick), one packet with
 * flush_each. */
struct capture_writer_opts {
	int dlt;
	uint32_t snaplen;
	int nano;	    /* nanosecond magic */
	int flush_each;	    /* -U */
	size_t flush_bytes; /* write out once this much is buffered (0: 1 MiB, the most) */
};
struct capture_writer;
/* PATH "-" is stdout. */
int capture_writer_open(const char *path, const struct capture_writer_opts *o,
			struct capture_writer **out, char *err, size_t errlen);
/* -1 once any write failed (capture_writer_error() tells the errno). */
int capture_writer_put(struct capture_writer *w, const struct capture_pkt *p);
int capture_writer_flush(struct capture_writer *w);
/* Flushes when the oldest buffered record is 1 s old. */
int capture_writer_tick(struct capture_writer *w);
uint64_t capture_writer_records(const struct capture_writer *w); /* complete, in the file */
uint64_t capture_writer_bytes(const struct capture_writer *w);	 /* file size incl. buffer */
int capture_writer_error(const struct capture_writer *w);
/* Flushes and closes; -1 if any write failed (message in ERR). */
int capture_writer_close(struct capture_writer *w, char *err, size_t errlen);

/* ---- -w with rotation (tcpdump's -C, -G, -W) --------------------------- */
struct capture_output_opts {
	const char *path;
	struct capture_writer_opts w;
	uint64_t rotate_bytes; /* -C in bytes, 0 none */
	unsigned rotate_secs;  /* -G, 0 none */
	unsigned long files;   /* -W, 0 none */
	/* After a rotation closed a file, complete (tcpdump's -z): its name. */
	void (*rotated)(void *opaque, const char *path);
	void *opaque;
};
struct capture_output;
int capture_output_open(const struct capture_output_opts *o, struct capture_output **out, char *err,
			size_t errlen);
/* 0 written; 1 the -G/-W file limit is reached (nothing written, stop);
 * -1 error (message in ERR). */
int capture_output_put(struct capture_output *out, const struct capture_pkt *p, char *err,
		       size_t errlen);
int capture_output_tick(struct capture_output *out, char *err, size_t errlen);
int capture_output_flush(struct capture_output *out, char *err, size_t errlen);
uint64_t capture_output_records(const struct capture_output *out); /* all files */
int capture_output_close(struct capture_output *out, char *err, size_t errlen);
/* The pieces of the naming, for tests: the counter width for -W N, and the
 * name of a file (strftime at T when USE_TIME, then CNT in WIDTH digits
 * unless both are 0). */
int capture_output_width(unsigned long files);
int capture_output_name(char *buf, size_t len, const char *base, int use_time, time_t t,
			unsigned long cnt, int width);

/* ---- live capture through a TPACKET_V3 ring (ring.c, ringwalk.c) ------- */
enum { CAPTURE_Q_INOUT = 0, CAPTURE_Q_IN, CAPTURE_Q_OUT };
/* capture_live_open's failures, for the caller's exit status */
enum { CAPTURE_E_IO = -2, CAPTURE_E_PERM = -3, CAPTURE_E_NODEV = -4, CAPTURE_E_USAGE = -5 };
#define CAPTURE_DEFAULT_BUFFER_KIB 8192
#define CAPTURE_BLOCK_TIMEOUT_MS   100

struct capture_live_opts {
	const char *ifname;  /* "any": all interfaces, LINUX_SLL2 */
	int dlt;	     /* -1: the interface's default */
	uint32_t snaplen;    /* 0: 262144 */
	unsigned buffer_kib; /* ring size, 0: CAPTURE_DEFAULT_BUFFER_KIB */
	int immediate;	     /* 1 ms block timeout */
	int promisc;
	int direction; /* CAPTURE_Q_*; OUT is the caller's: compile 'outbound and (...)' */
};
/* Accumulated PACKET_STATISTICS: received counts every packet the program
 * accepted, dropped those the ring had no room for. */
struct capture_stats {
	uint64_t received, dropped;
};
struct capture_live;
/* Socket, ring and binding, with a reject-all program: nothing is
 * delivered until capture_live_set_filter().  Returns 0 or a CAPTURE_E_*. */
int capture_live_open(const struct capture_live_opts *o, struct capture_live **out, char *err,
		      size_t errlen);
int capture_live_dlt(const struct capture_live *l);
uint32_t capture_live_snaplen(const struct capture_live *l);
size_t capture_live_ring_bytes(const struct capture_live *l);
/* Cooked captures (LINUX_SLL2): the kernel's program must be compiled with
 * filter_options.cooked_socket. */
int capture_live_cooked(const struct capture_live *l);
/* For "any": the loopback's index; its outgoing copies come back in, and
 * the caller's program should drop them ('not (outbound and ifindex N)'),
 * as libpcap does in user space.  0 otherwise. */
int capture_live_lo_ifindex(const struct capture_live *l);
/* KERNEL (NULL: accept all) goes into the kernel and is locked there; it
 * must be compiled for capture_live_dlt() with FILTER_VLAN_LIVE.  USER
 * (NULL: none) runs on each frame in the walk, for what the kernel cannot
 * run; it must outlive the capture. */
int capture_live_set_filter(struct capture_live *l, const struct filter_prog *kernel,
			    const struct filter_prog *user, char *err, size_t errlen);
/* Deliver what the ring holds, waiting up to TIMEOUT_MS (with MASK as the
 * signal mask while waiting, NULL: unchanged) if it holds nothing.  Returns
 * the packets delivered, or -1 (the interface went down, ...); *STOP is set
 * when the sink asked to stop. */
long capture_live_dispatch(struct capture_live *l, int timeout_ms, const sigset_t *mask,
			   capture_sink sink, void *opaque, int *stop, char *err, size_t errlen);
/* Stop the kernel from adding packets; then drain delivers the rest. */
int capture_live_stop(struct capture_live *l);
long capture_live_drain(struct capture_live *l, capture_sink sink, void *opaque, int *stop);
int capture_live_stats(struct capture_live *l, struct capture_stats *st);
void capture_live_close(struct capture_live *l);

/* ---- live capture through a BPF ring buffer (ringbuf.c) ---------------
 * The records xdp/capture.bpf.c writes at XDP or tc (xdp/capture.h).  The
 * caller (main, through src/loader) loads and attaches the programs and
 * hands over the maps; stopping is detaching them, then the drain delivers
 * the rest.  Timestamps are the programs' CLOCK_MONOTONIC plus the offset
 * of CLOCK_REALTIME, measured at open and again every second. */
struct capture_hook_opts {
	const char *ifname;  /* for messages */
	int ring_fd;	     /* the BPF_MAP_TYPE_RINGBUF */
	int stats_fd;	     /* the per-CPU statistics array (enum cap_stat) */
	uint64_t ring_bytes; /* its size (max_entries) */
	uint32_t snaplen;
	int promisc; /* put the interface IFINDEX into promiscuous mode while open */
	int ifindex; /* dispatch fails once it is gone or down (0: not looked at) */
};
/* The programs' counters, summed over the CPUs (exact: each packet is
 * counted once at its CPU).  matched = delivered + full + errors. */
struct capture_hook_stats {
	uint64_t matched;   /* packets the capture program ran on (the filter accepted) */
	uint64_t delivered; /* submitted to the ring */
	uint64_t full;	    /* dropped: no room in the ring */
	uint64_t errors;    /* dropped: a copy from the packet failed */
};
struct capture_hook;
int capture_hook_open(const struct capture_hook_opts *o, struct capture_hook **out, char *err,
		      size_t errlen);
/* As capture_live_dispatch(): waits up to TIMEOUT_MS (at most
 * CAPTURE_BLOCK_TIMEOUT_MS) for the programs to wake us, then delivers
 * every record in the ring. */
long capture_hook_dispatch(struct capture_hook *h, int timeout_ms, const sigset_t *mask,
			   capture_sink sink, void *opaque, int *stop, char *err, size_t errlen);
/* After the programs are detached: every record left, once the programs
 * still running on other CPUs have finished. */
long capture_hook_drain(struct capture_hook *h, capture_sink sink, void *opaque, int *stop);
int capture_hook_stats(struct capture_hook *h, struct capture_hook_stats *st);
void capture_hook_close(struct capture_hook *h);

/* ---- interfaces (iface.c) ---------------------------------------------- */
struct capture_iface {
	char name[64];
	char desc[64];
	int index;
	int up, running, loopback, wireless;
	int connected; /* 1, 0, or -1: not applicable */
	int merit;
};
/* -D: in libpcap's order ("any" among them).  *OUT is malloc'd. */
int capture_iface_list(struct capture_iface **out, size_t *count, char *err, size_t errlen);
/* -L: the link types IFNAME offers, default first; 0 when there is no such
 * interface. */
int capture_iface_dlts(const char *ifname, int *dlts, int max);
/* The link type a capture on IFNAME uses: WANT if the interface offers it
 * (-1: its default); else CAPTURE_E_NODEV or CAPTURE_E_USAGE with a
 * message. */
int capture_iface_pick_dlt(const char *ifname, int want, char *err, size_t errlen);

#endif
