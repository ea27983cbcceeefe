/* offline.c - capture files through libpcap (timestamps in nanoseconds);
 * see capture.h. */
#include "capture.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct capture_file {
	pcap_t *p;
};

int capture_file_open(const char *path, struct capture_file **out, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	struct capture_file *f = calloc(1, sizeof(*f));
	if (!f) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	/* libpcap reads each record with two fread()s; a 1 MiB stdio buffer
	 * instead of the file system's block size (4 KiB) makes that one
	 * read(2) a MiB rather than one every few records */
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!fp) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		free(f);
		return -1;
	}
	setvbuf(fp, NULL, _IOFBF, 1 << 20);
	f->p = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO, ebuf);
	if (!f->p) {
		if (fp != stdin)
			fclose(fp);
		snprintf(err, errlen, "%s", ebuf);
		free(f);
		return -1;
	}
	*out = f;
	return 0;
}

int capture_file_dlt(const struct capture_file *f)
{
	return pcap_datalink(f->p);
}

const char *capture_file_dlt_name(const struct capture_file *f)
{
	const char *n = pcap_datalink_val_to_name(pcap_datalink(f->p));
	return n ? n : "unknown";
}

const char *capture_file_dlt_desc(const struct capture_file *f)
{
	const char *n = pcap_datalink_val_to_description(pcap_datalink(f->p));
	return n ? n : "unknown";
}

uint32_t capture_file_snaplen(const struct capture_file *f)
{
	return (uint32_t)pcap_snapshot(f->p);
}

void capture_file_close(struct capture_file *f)
{
	if (!f)
		return;
	pcap_close(f->p);
	free(f);
}

/* One pcap_dispatch() callback's context. */
struct run {
	pcap_t *p;
	const struct bpf_insn *insns;
	capture_sink sink;
	void *opaque;
	int stopped;
	uint64_t records; /* read so far */
	uint64_t end;	  /* byte offset after the last of them (classic pcap) */
};

static void run_one(u_char *user, const struct pcap_pkthdr *h, const u_char *data)
{
	struct run *r = (struct run *)(void *)user;
	r->records++;
	r->end += 16 + h->caplen;
	if (r->stopped || (r->insns && bpf_filter(r->insns, data, h->len, h->caplen) == 0))
		return;
	struct capture_pkt p = {
		h->ts.tv_sec,	    (uint32_t)h->ts.tv_usec, h->caplen, h->len, data, 0,
		CAPTURE_DIR_UNKNOWN};
	if (r->sink(r->opaque, &p)) {
		r->stopped = 1;
		pcap_breakloop(r->p);
	}
}

/* pcap_dispatch() rather than pcap_next_ex(): one call into libpcap per
 * batch of records instead of one per record. */
int capture_file_run(struct capture_file *f, const struct filter_prog *prog, capture_sink sink,
		     void *opaque, char *err, size_t errlen)
{
	/* struct filter_insn has struct bpf_insn's layout */
	struct run r = {f->p, prog ? (const struct bpf_insn *)(void *)prog->insns : NULL,
			sink, opaque,
			0,    0,
			24};
	int rc;
	while ((rc = pcap_dispatch(f->p, 4096, run_one, (u_char *)&r)) > 0 && !r.stopped)
		;
	if (r.stopped || rc == 0 || rc == PCAP_ERROR_BREAK)
		return 0;
	/* where the damage is: after the last good record of a classic file
	 * (pcapng: where reading stopped) */
	long at = pcap_major_version(f->p) == 2 ? (long)r.end : ftell(pcap_file(f->p));
	snprintf(err, errlen, "damaged at byte offset %ld, after %llu good packets: %s", at,
		 (unsigned long long)r.records, pcap_geterr(f->p));
	return -1;
}
