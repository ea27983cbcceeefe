/*
 * bigpcap.c - a large Ethernet capture for the offline throughput benchmark
 * (bench/capture.sh): the packets of the input captures, concatenated over
 * and over until the output holds at least MB megabytes (10^6 bytes).
 *
 * usage: bigpcap OUT MB IN.pcap...
 *
 * Inputs whose link type is not EN10MB are skipped (with a note on stderr).
 * The output is a classic pcap file (microsecond timestamps, snaplen 262144);
 * every pass over the inputs is shifted in time past the previous one, so
 * that the timestamps never go backwards.  Prints "PACKETS packets, BYTES
 * bytes" on stdout.
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SNAPLEN 262144

struct pkt {
	struct pcap_pkthdr h;
	u_char *data;
};

static struct pkt *pkts;
static size_t npkts, cpkts;

static void load(const char *path)
{
	char eb[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(path, eb);
	struct pcap_pkthdr *h;
	const u_char *d;

	if (!p) {
		fprintf(stderr, "bigpcap: %s\n", eb);
		exit(2);
	}
	if (pcap_datalink(p) != DLT_EN10MB) {
		fprintf(stderr, "bigpcap: %s: not EN10MB, skipped\n", path);
		pcap_close(p);
		return;
	}
	while (pcap_next_ex(p, &h, &d) == 1) {
		if (npkts == cpkts) {
			cpkts = cpkts ? 2 * cpkts : 1024;
			pkts = realloc(pkts, cpkts * sizeof(*pkts));
			if (!pkts) {
				perror("bigpcap");
				exit(2);
			}
		}
		pkts[npkts].h = *h;
		pkts[npkts].data = malloc(h->caplen ? h->caplen : 1);
		if (!pkts[npkts].data) {
			perror("bigpcap");
			exit(2);
		}
		memcpy(pkts[npkts].data, d, h->caplen);
		npkts++;
	}
	pcap_close(p);
}

static long long usec(const struct timeval *tv)
{
	return (long long)tv->tv_sec * 1000000 + tv->tv_usec;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: bigpcap OUT MB IN.pcap...\n");
		return 2;
	}
	double mb = strtod(argv[2], NULL);
	for (int i = 3; i < argc; i++)
		load(argv[i]);
	if (!npkts) {
		fprintf(stderr, "bigpcap: no EN10MB packets in the inputs\n");
		return 2;
	}

	/* the time span of one pass, to shift the next one past it */
	long long lo = usec(&pkts[0].h.ts), hi = lo;
	for (size_t i = 0; i < npkts; i++) {
		long long t = usec(&pkts[i].h.ts);
		if (t < lo)
			lo = t;
		if (t > hi)
			hi = t;
	}
	long long span = hi - lo + 1000000;

	pcap_t *dead = pcap_open_dead(DLT_EN10MB, SNAPLEN);
	pcap_dumper_t *out = pcap_dump_open(dead, argv[1]);
	if (!out) {
		fprintf(stderr, "bigpcap: %s: %s\n", argv[1], pcap_geterr(dead));
		return 2;
	}
	unsigned long long bytes = 24, n = 0, limit = (unsigned long long)(mb * 1e6);
	long long shift = 0;
	while (bytes < limit) {
		long long last = 0;
		for (size_t i = 0; i < npkts; i++) {
			struct pcap_pkthdr h = pkts[i].h;
			long long t = usec(&h.ts) + shift;
			if (t < last)
				t = last; /* a capture whose own timestamps go back */
			last = t;
			h.ts.tv_sec = (time_t)(t / 1000000);
			h.ts.tv_usec = (suseconds_t)(t % 1000000);
			pcap_dump((u_char *)out, &h, pkts[i].data);
			bytes += 16 + h.caplen;
			n++;
		}
		shift += span;
	}
	if (pcap_dump_flush(out) != 0) {
		fprintf(stderr, "bigpcap: %s: write error\n", argv[1]);
		return 2;
	}
	pcap_dump_close(out);
	pcap_close(dead);
	printf("%llu packets, %llu bytes\n", n, bytes);
	return 0;
}
