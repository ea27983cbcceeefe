/*
 * app.h - the program's own pieces above the libraries: exit statuses, the
 * compile step shared by every mode (compile.c), live capture (live.c), -z
 * (postrotate.c).
 */
#ifndef BPFCAP_APP_H
#define BPFCAP_APP_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "capture/capture.h"
#include "filter/filter.h"
#include "options.h"

enum { EXIT_USAGE = 1, EXIT_IO = 2 };

/* Compile EXPR for DLT.  APP_LIVE selects the live-socket semantics (VLAN
 * in metadata, direction); APP_COOKED_SOCKET the program for a cooked socket
 * in the kernel (filter_options.cooked_socket), and failing quietly.
 * Otherwise, on error prints the message, with a caret, and returns -1. */
enum { APP_LIVE = 1, APP_COOKED_SOCKET = 2, APP_HOOK = 4 };
int app_compile(const struct config *cfg, const char *expr, int dlt, uint32_t snaplen, int flags,
		struct filter_prog *prog);
/* The same for an eBPF hook, emitted as EO says.  With APP_HOOK (a program
 * that runs at an interface's hook) VLAN has its live meaning unless --vlan
 * raw says otherwise. */
int app_compile_ebpf(const struct config *cfg, const char *expr, int dlt, uint32_t snaplen,
		     int flags, const struct filter_ebpf_opts *eo, struct filter_ebpf_prog *prog);

/* What a packet prints (pktline.c), by src/decode with CFG's printing
 * options, for link type DLT: app_printer_new() (NULL after a message),
 * app_print_pkt() writes to stdout, WHERE (NULL: nothing; live capture:
 * interface and direction) after the timestamp; -1 when stdout fails. */
struct decode_ctx;
struct decode_ctx *app_printer_new(const struct config *cfg, int dlt);
void app_printer_free(struct decode_ctx *d);
int app_print_pkt(struct decode_ctx *d, const struct capture_pkt *p, const char *where);

/* The link type a live capture on CFG->iface would use (-y or the
 * interface's default), or -1 after a message. */
int live_dlt(const struct config *cfg);
/* -y's link type in *WANT (-1: none given); -1 after a message if unknown. */
int live_wanted_dlt(const struct config *cfg, int *want);
int live_main(const struct config *cfg); /* -i */

/* What live.c runs a capture on: the AF_PACKET ring (live.c itself) or
 * the BPF ring buffer of --backend xdp|tc (hook.c).  STATS gives "received
 * by filter" and "dropped by kernel"; STATS_FINAL (may be NULL) prints the
 * source's own lines after tcpdump's three at the end. */
struct live_source {
	void *s;
	long (*dispatch)(void *s, int timeout_ms, const sigset_t *mask, capture_sink sink,
			 void *opaque, int *stop, char *err, size_t errlen);
	void (*stop)(void *s); /* the kernel adds nothing more */
	long (*drain)(void *s, capture_sink sink, void *opaque, int *stop);
	void (*stats)(void *s, struct capture_stats *st);
	void (*stats_final)(void *s, FILE *out);
	int dlt;
	int any; /* packets from several interfaces: name each one */
};
/* Blocks the signals a capture handles; WAIT: the mask to wait with. */
void live_signals(sigset_t *wait);
/* -w's output for a capture of DLT/SNAPLEN through a ring of RING_BYTES;
 * -1 after a message. */
int live_open_output(const struct config *cfg, int dlt, uint32_t snaplen, size_t ring_bytes,
		     struct capture_output **out);
/* The capture loop until a signal, -c, -W or an error; then the drain, OUT
 * closed (it may be NULL: printing), the statistics lines.  An exit status. */
int live_capture(const struct config *cfg, struct live_source *src, struct capture_output *out,
		 const sigset_t *wait);
/* --backend xdp|tc (hook.c): capture at the hook through a BPF ring buffer. */
int hook_main(const struct config *cfg);
int live_list_ifaces(void);		      /* -D */
int live_list_dlts(const struct config *cfg); /* -L */
/* No -i and nothing else to do: tcpdump's choice of interface. */
const char *live_default_iface(char *buf, size_t len);

/* --top (top.c): count flows on CFG->iface until a signal, -c or q. */
int top_main(const struct config *cfg);

/* -z (postrotate.c): postrotate_init() once before the first run, so that
 * finished commands leave no zombies; postrotate_run() starts COMMAND FILE
 * in the background (a failure to start is reported, not fatal). */
void postrotate_init(void);
void postrotate_run(const char *command, const char *file);

#endif
