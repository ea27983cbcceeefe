/*
 * ebpfref.c - frames from capture files and libpcap's verdicts, for
 * bench/ebpfcost.c (see ebpfcost.h).
 */
#define _DEFAULT_SOURCE /* u_int & co. for <pcap/pcap.h> under -std=c11 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ebpfcost.h"

struct ref {
	struct bpf_program prog;
};

static void add_pkt(struct pkts *ps, const struct pcap_pkthdr *h, const uint8_t *d,
		    const char *file, unsigned int idx)
{
	if (h->caplen < MIN_FRAME) {
		ps->too_short++;
		return;
	}
	if (h->caplen > MAX_FRAME) {
		ps->too_long++;
		return;
	}
	if (ps->n == ps->cap) {
		ps->cap = ps->cap ? 2 * ps->cap : 1024;
		ps->v = realloc(ps->v, ps->cap * sizeof *ps->v);
	}
	struct pkt *p = ps->v ? &ps->v[ps->n++] : NULL;
	if (!p || !(p->data = malloc(h->caplen))) {
		fprintf(stderr, "ebpfcost: out of memory\n");
		exit(2);
	}
	memcpy(p->data, d, h->caplen);
	p->caplen = h->caplen;
	p->len = h->len;
	p->file = file;
	p->idx = idx;
}

int pkts_read_file(struct pkts *ps, const char *path)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *pc = pcap_open_offline(path, err);
	struct pcap_pkthdr *h;
	const u_char *d;
	unsigned int idx = 0;

	if (!pc) {
		fprintf(stderr, "ebpfcost: %s\n", err);
		return -1;
	}
	if (pcap_datalink(pc) != DLT_EN10MB) {
		ps->other_dlt++;
		pcap_close(pc);
		return 0;
	}
	ps->nfiles++;
	while (pcap_next_ex(pc, &h, &d) == 1)
		add_pkt(ps, h, d, path, ++idx);
	pcap_close(pc);
	return 0;
}

struct ref *ref_compile(const char *expr, char *err, size_t errlen)
{
	pcap_t *dead = pcap_open_dead(DLT_EN10MB, 262144);
	struct ref *r = malloc(sizeof *r);

	if (!dead || !r) {
		snprintf(err, errlen, "out of memory");
	} else if (pcap_compile(dead, &r->prog, expr, 1, PCAP_NETMASK_UNKNOWN) < 0) {
		snprintf(err, errlen, "%s", pcap_geterr(dead));
	} else {
		pcap_close(dead);
		return r;
	}
	if (dead)
		pcap_close(dead);
	free(r);
	return NULL;
}

int ref_match(const struct ref *r, const struct pkt *p)
{
	struct pcap_pkthdr h = {.caplen = p->caplen, .len = p->len};

	return pcap_offline_filter(&r->prog, &h, p->data) != 0;
}

void ref_free(struct ref *r)
{
	if (r)
		pcap_freecode(&r->prog);
	free(r);
}
