/*
 * decode.h - the packet printer: one packet (a pcap-like header and its
 * bytes) in, the text tcpdump 4.99 prints for it (or one JSON object) out.
 *
 * Owns: protocol decoding for the link types below, tcpdump's options that
 * change the printout, per-run state (TCP relative sequence numbers, the
 * previous timestamp for -ttt, the packet counter).  Does not own: reading
 * captures (capture/), filtering (filter/), name resolution over the network
 * (never done: addresses and ports print as numbers).
 *
 * Every read of packet memory goes through cursor.h's bounds-checked reads;
 * a packet shorter than its headers say ends in " [|proto]" as tcpdump's.
 * A context is not thread-safe; one per output stream.
 */
#ifndef BPFCAP_DECODE_H
#define BPFCAP_DECODE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Link types (the DLT_ values libpcap uses for them). */
enum {
	DECODE_DLT_NULL = 0,
	DECODE_DLT_EN10MB = 1,
	DECODE_DLT_RAW = 12,
	DECODE_DLT_RAW14 = 14, /* DLT_RAW on OpenBSD */
	DECODE_DLT_LOOP = 108,
	DECODE_DLT_LINUX_SLL = 113,
	DECODE_DLT_IPV4 = 228,
	DECODE_DLT_IPV6 = 229,
	DECODE_DLT_LINUX_SLL2 = 276,
};

/* Timestamp styles: none, -t; -tt; -ttt; -tttt; -ttttt. */
enum {
	DECODE_TS_DEFAULT,
	DECODE_TS_NONE,
	DECODE_TS_EPOCH,
	DECODE_TS_DELTA,
	DECODE_TS_DATE,
	DECODE_TS_SINCE_FIRST
};

struct decode_opts {
	int verbose;  /* -v count */
	int quiet;    /* -q */
	int link;     /* -e */
	int tstamp;   /* DECODE_TS_* */
	int nano;     /* nine digits of fraction instead of six */
	int hex;      /* -x 1, -xx 2 */
	int hexascii; /* -X 1, -XX 2 */
	int ascii;    /* -A 1, -AA 2 (with link header) */
	int number;   /* --number / -#: packet number first */
	int json;     /* --json: one JSON object per packet instead of text */
	int numeric;  /* -n; names are never looked up, so this changes nothing */
};

struct decode_hdr {
	int64_t ts_sec;
	uint32_t ts_nsec;
	uint32_t caplen, len;
};

struct decode_ctx;

/* A context for link type DLT.  NULL with errno ENOMEM. */
struct decode_ctx *decode_ctx_new(const struct decode_opts *o, int dlt);
void decode_ctx_free(struct decode_ctx *c);

/* Whether DLT is one decode_packet() understands (others print a hex dump
 * with the link type's number). */
int decode_dlt_supported(int dlt);

/* Print one packet to OUT.  PREFIX (NULL: none) goes after the timestamp, as
 * live capture's "iface In".  DATA holds H->caplen bytes.  Returns 0, or -1
 * when writing to OUT fails. */
int decode_packet(struct decode_ctx *c, const struct decode_hdr *h, const uint8_t *data,
		  const char *prefix, FILE *out);

/* The same into BUF (NUL-terminated, cut at LEN - 1); returns the length the
 * whole text needs, as snprintf. */
size_t decode_packet_buf(struct decode_ctx *c, const struct decode_hdr *h, const uint8_t *data,
			 const char *prefix, char *buf, size_t len);

#endif
