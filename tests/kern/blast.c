/*
 * blast - the project's own traffic sender, for the capture tests and the
 * benchmark: frames out of an interface through an AF_PACKET socket with
 * sendmmsg(2), in batches.
 *
 *   blast IFACE [-n COUNT] [-s SIZE] [-p PPS] [-t SECONDS] [-f PCAP] [-u PORT]
 *
 * Without -f it sends COUNT Ethernet/IPv4/UDP frames of SIZE bytes
 * (broadcast, 10.255.0.1 -> 10.255.0.2, destination port PORT, default 9),
 * each with its sequence number in the payload; with -f it sends the frames
 * of an Ethernet pcap file, once each, in order (COUNT ignored).  -p limits
 * the rate (0: as fast as the socket takes them), -t the duration.  Prints
 * "sent N" on stdout: the frames the kernel accepted.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define MAXF  9216

struct frames {
	size_t n;
	uint8_t **data;
	uint32_t *len;
};

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static uint16_t csum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static void make_udp(uint8_t *f, size_t size, uint16_t port)
{
	memset(f, 0, size);
	memset(f, 0xff, 6);
	memcpy(f + 6, "\x02\x00\x00\x00\x00\x01", 6);
	f[12] = 0x08;
	uint8_t *ip = f + 14;
	size_t iplen = size - 14;
	ip[0] = 0x45;
	ip[2] = (uint8_t)(iplen >> 8);
	ip[3] = (uint8_t)iplen;
	ip[8] = 64;
	ip[9] = 17;
	memcpy(ip + 12, "\x0a\xff\x00\x01\x0a\xff\x00\x02", 8);
	uint16_t c = csum(ip, 20);
	ip[10] = (uint8_t)(c >> 8);
	ip[11] = (uint8_t)c;
	uint8_t *udp = ip + 20;
	udp[0] = 0x30;
	udp[1] = 0x39;
	udp[2] = (uint8_t)(port >> 8);
	udp[3] = (uint8_t)port;
	udp[4] = (uint8_t)((iplen - 20) >> 8);
	udp[5] = (uint8_t)(iplen - 20);
}

static int load_pcap(const char *path, struct frames *fr)
{
	char eb[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(path, eb);
	if (!p) {
		fprintf(stderr, "blast: %s\n", eb);
		return -1;
	}
	struct pcap_pkthdr *h;
	const u_char *d;
	size_t cap = 0;
	while (pcap_next_ex(p, &h, &d) == 1) {
		if (h->caplen != h->len || h->caplen > MAXF || h->caplen < 14)
			continue; /* truncated or oversized: not sendable as is */
		if (fr->n == cap) {
			cap = cap ? 2 * cap : 256;
			fr->data = realloc(fr->data, cap * sizeof(*fr->data));
			fr->len = realloc(fr->len, cap * sizeof(*fr->len));
			if (!fr->data || !fr->len)
				return -1;
		}
		fr->data[fr->n] = malloc(h->caplen);
		memcpy(fr->data[fr->n], d, h->caplen);
		fr->len[fr->n++] = h->caplen;
	}
	pcap_close(p);
	return 0;
}

static int open_out(const char *ifname)
{
	int fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0) {
		perror("blast: socket");
		return -1;
	}
	struct sockaddr_ll sll = {0};
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = (int)if_nametoindex(ifname);
	if (!sll.sll_ifindex || bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		fprintf(stderr, "blast: %s: %s\n", ifname, strerror(errno));
		return -1;
	}
	int buf = 4 << 20;
	setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &buf, sizeof(buf));
	return fd;
}

int main(int argc, char **argv)
{
	unsigned long count = 1000, pps = 0, size = 64, port = 9;
	double secs = 0;
	const char *pcapf = NULL;
	int c;
	while ((c = getopt(argc, argv, "n:s:p:t:f:u:")) != -1) {
		switch (c) {
		case 'n': count = strtoul(optarg, NULL, 0); break;
		case 's': size = strtoul(optarg, NULL, 0); break;
		case 'p': pps = strtoul(optarg, NULL, 0); break;
		case 't': secs = strtod(optarg, NULL); break;
		case 'f': pcapf = optarg; break;
		case 'u': port = strtoul(optarg, NULL, 0); break;
		default: return 2;
		}
	}
	if (optind != argc - 1 || size < 60 || size > MAXF) {
		fprintf(stderr, "usage: blast IFACE [-n COUNT] [-s SIZE] [-p PPS] [-t SECONDS] "
				"[-f PCAP] [-u PORT]\n");
		return 2;
	}
	int fd = open_out(argv[optind]);
	if (fd < 0)
		return 1;
	struct frames fr = {0};
	static uint8_t tmpl[BATCH][MAXF];
	if (pcapf) {
		if (load_pcap(pcapf, &fr) < 0)
			return 1;
		count = fr.n;
	} else {
		for (int i = 0; i < BATCH; i++)
			make_udp(tmpl[i], size, (uint16_t)port);
	}
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	unsigned long sent = 0;
	double t0 = now();
	while (sent < count && (secs <= 0 || now() - t0 < secs)) {
		unsigned k = 0;
		for (; k < BATCH && sent + k < count; k++) {
			if (pcapf) {
				iov[k].iov_base = fr.data[sent + k];
				iov[k].iov_len = fr.len[sent + k];
			} else {
				uint32_t seq = htonl((uint32_t)(sent + k));
				memcpy(tmpl[k] + 42, &seq, 4);
				iov[k].iov_base = tmpl[k];
				iov[k].iov_len = size;
			}
			memset(&msgs[k], 0, sizeof(msgs[k]));
			msgs[k].msg_hdr.msg_iov = &iov[k];
			msgs[k].msg_hdr.msg_iovlen = 1;
		}
		int r = sendmmsg(fd, msgs, k, 0);
		if (r < 0) {
			if (errno == ENOBUFS || errno == EAGAIN || errno == EINTR)
				continue;
			fprintf(stderr, "blast: send: %s\n", strerror(errno));
			break;
		}
		sent += (unsigned long)r;
		if (pps) {
			double due = t0 + (double)sent / (double)pps;
			double d;
			while ((d = due - now()) > 0) {
				struct timespec ts = {0, d > 0.002 ? (long)(d * 1e9) : 0};
				if (ts.tv_nsec)
					nanosleep(&ts, NULL);
			}
		}
	}
	printf("sent %lu\n", sent);
	return 0;
}
