/* offline.c - capture files through libpcap; see capture.h. */
#include "capture.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct capture_file {
	pcap_t *p;
};

struct capture_writer {
	pcap_dumper_t *d;
	const char *path;
	int failed;
	int saved_errno;
};

int capture_file_open(const char *path, struct capture_file **out, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	struct capture_file *f = calloc(1, sizeof(*f));
	if (!f) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	f->p = pcap_open_offline(path, ebuf);
	if (!f->p) {
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

int capture_file_run(struct capture_file *f, const struct filter_prog *prog, capture_sink sink,
		     void *opaque, char *err, size_t errlen)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc;
	/* struct filter_insn has struct bpf_insn's layout */
	const struct bpf_insn *insns = prog ? (const struct bpf_insn *)(void *)prog->insns : NULL;
	while ((rc = pcap_next_ex(f->p, &h, &data)) == 1) {
		if (insns && bpf_filter(insns, data, h->len, h->caplen) == 0)
			continue;
		struct capture_pkt p = {h->ts, h->caplen, h->len, data};
		if (sink(opaque, &p))
			return 0;
	}
	if (rc == PCAP_ERROR) {
		snprintf(err, errlen, "%s", pcap_geterr(f->p));
		return -1;
	}
	return 0;
}

int capture_writer_open(const char *path, const struct capture_file *f, struct capture_writer **out,
			char *err, size_t errlen)
{
	struct capture_writer *w = calloc(1, sizeof(*w));
	if (!w) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	w->path = path;
	w->d = pcap_dump_open(f->p, path);
	if (!w->d) {
		snprintf(err, errlen, "%s", pcap_geterr(f->p));
		free(w);
		return -1;
	}
	*out = w;
	return 0;
}

int capture_writer_put(struct capture_writer *w, const struct capture_pkt *p)
{
	struct pcap_pkthdr h;
	h.ts = p->ts;
	h.caplen = p->caplen;
	h.len = p->len;
	pcap_dump((u_char *)w->d, &h, p->data);
	if (!w->failed && ferror(pcap_dump_file(w->d))) {
		w->failed = 1;
		w->saved_errno = errno;
	}
	return w->failed ? -1 : 0;
}

int capture_writer_close(struct capture_writer *w, char *err, size_t errlen)
{
	if (!w)
		return 0;
	int rc = 0;
	if (pcap_dump_flush(w->d) != 0 && !w->failed) {
		w->failed = 1;
		w->saved_errno = errno;
	}
	if (w->failed) {
		snprintf(err, errlen, "%s: write failed: %s", w->path, strerror(w->saved_errno));
		rc = -1;
	}
	pcap_dump_close(w->d);
	free(w);
	return rc;
}
