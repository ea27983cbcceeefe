/*
 * capture.h - packet sources and sinks.  For now: capture files read
 * through libpcap (pcap and pcapng), filtered with a classic program from
 * src/filter run by libpcap's bpf_filter(), and the pcap writer.
 *
 * Errors: functions return 0 or -1 and put a message for people in the
 * caller's buffer; nothing here exits or prints.
 */
#ifndef BPFCAP_CAPTURE_H
#define BPFCAP_CAPTURE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/time.h>

#include "filter/filter.h"

struct capture_file;

struct capture_pkt {
	struct timeval ts;
	uint32_t caplen, len;
	const uint8_t *data;
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

struct capture_writer;
/* PATH "-" is stdout.  The file takes the link type and snap length of F. */
int capture_writer_open(const char *path, const struct capture_file *f, struct capture_writer **out,
			char *err, size_t errlen);
int capture_writer_put(struct capture_writer *w, const struct capture_pkt *p);
/* Flushes and closes; -1 if any write failed (message in ERR). */
int capture_writer_close(struct capture_writer *w, char *err, size_t errlen);

#endif
