/*
 * livecmp - run bpfcap's live-socket programs and libpcap's, side by side,
 * in the kernel.
 *
 *   livecmp IFACE SECONDS LISTFILE [DONEFILE]
 *
 * For every expression of LISTFILE (one a line, '#' comments), compile it
 * with libpcap for a live capture on IFACE (its Linux socket code: VLAN
 * metadata through ancillary loads) and with bpfcap (FILTER_VLAN_LIVE),
 * attach each to its own AF_PACKET socket bound to IFACE, then receive for
 * SECONDS while the caller sends traffic (or until DONEFILE exists, the
 * caller's sign that it has sent everything).  Both sockets see the same
 * packets in the same order, so the packets each program accepts must be
 * the same, byte for byte.  Prints one line per expression; exit 1 on any
 * difference, 77 when not root.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <net/ethernet.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "filter/filter.h"

#define MAXEXPR 64
#define MAXPKT	4096

struct seen {
	size_t n;
	uint32_t len[MAXPKT];
	uint32_t hash[MAXPKT];
};

struct pair {
	char expr[512];
	int fd[2]; /* libpcap's, bpfcap's */
	struct seen got[2];
};

static int open_sock(int ifindex, const struct sock_fprog *prog)
{
	int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	if (fd < 0)
		return -1;
	/* room for every test packet: a drop on one socket only is not a difference */
	int buf = 8 << 20;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof(buf));
	/* attach before binding, so nothing arrives unfiltered */
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, prog, sizeof(*prog)) < 0) {
		close(fd);
		return -2;
	}
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL), .sll_ifindex = ifindex};
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static uint32_t fnv(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;
	while (n--)
		h = (h ^ *p++) * 16777619u;
	return h;
}

static int setup(struct pair *p, const char *ifname, int ifindex)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *pc = pcap_open_live(ifname, 262144, 0, 100, err);
	struct bpf_program bp;
	if (!pc || pcap_compile(pc, &bp, p->expr, 0, PCAP_NETMASK_UNKNOWN) < 0) {
		printf("SKIP '%s': libpcap: %s\n", p->expr, pc ? pcap_geterr(pc) : err);
		if (pc)
			pcap_close(pc);
		return 1;
	}
	struct sock_fprog lp = {(unsigned short)bp.bf_len, (struct sock_filter *)bp.bf_insns};
	p->fd[0] = open_sock(ifindex, &lp);
	pcap_freecode(&bp);
	pcap_close(pc);
	struct filter_options o = {.dlt = FILTER_DLT_EN10MB, .vlan = FILTER_VLAN_LIVE};
	struct filter_ctx *c = filter_ctx_new(&o);
	struct filter_prog prog = {0, NULL};
	if (!c || filter_compile(c, p->expr, strlen(p->expr)) < 0 ||
	    filter_emit_cbpf(c, &prog) < 0) {
		printf("FAIL '%s': bpfcap refused: %s\n", p->expr,
		       c && filter_ctx_diag(c) ? filter_ctx_diag(c)->message : "?");
		filter_ctx_free(c);
		return -1;
	}
	struct sock_fprog bc = {(unsigned short)prog.len, (struct sock_filter *)prog.insns};
	p->fd[1] = open_sock(ifindex, &bc);
	filter_prog_release(&prog);
	filter_ctx_free(c);
	if (p->fd[0] < 0 || p->fd[1] < 0) {
		printf("FAIL '%s': socket or SO_ATTACH_FILTER: %s\n", p->expr, strerror(errno));
		return -1;
	}
	return 0;
}

static void drain(struct pair *ps, size_t n, int seconds, const char *done)
{
	time_t end = time(NULL) + seconds;
	uint8_t buf[65536];
	int last = 0;
	for (;;) {
		if (!last && (time(NULL) >= end || (done && access(done, F_OK) == 0))) {
			usleep(300000); /* let the last packets land, then take all queued */
			last = 1;
		}
		struct pollfd pf[2 * MAXEXPR];
		for (size_t i = 0; i < n; i++)
			for (int s = 0; s < 2; s++)
				pf[2 * i + s] = (struct pollfd){ps[i].fd[s], POLLIN, 0};
		int r = poll(pf, 2 * n, last ? 0 : 200);
		if (r <= 0 && last)
			return;
		if (r <= 0)
			continue;
		for (size_t i = 0; i < 2 * n; i++) {
			if (!(pf[i].revents & POLLIN))
				continue;
			ssize_t got = recv(pf[i].fd, buf, sizeof(buf), MSG_DONTWAIT);
			struct seen *sn = &ps[i / 2].got[i % 2];
			if (got >= 0 && sn->n < MAXPKT) {
				sn->len[sn->n] = (uint32_t)got;
				sn->hash[sn->n++] = fnv(buf, (size_t)got);
			}
		}
	}
}

int main(int argc, char **argv)
{
	if (argc != 4 && argc != 5) {
		fprintf(stderr, "usage: livecmp IFACE SECONDS LISTFILE [DONEFILE]\n");
		return 2;
	}
	if (geteuid() != 0) {
		printf("SKIP: livecmp needs root (AF_PACKET sockets)\n");
		return 77;
	}
	int ifindex = (int)if_nametoindex(argv[1]);
	FILE *fp = fopen(argv[3], "r");
	if (!ifindex || !fp) {
		fprintf(stderr, "livecmp: %s: %s\n", ifindex ? argv[3] : argv[1], strerror(errno));
		return 2;
	}
	static struct pair ps[MAXEXPR];
	size_t n = 0;
	int bad = 0;
	char line[512];
	while (n < MAXEXPR && fgets(line, sizeof(line), fp)) {
		line[strcspn(line, "\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		snprintf(ps[n].expr, sizeof(ps[n].expr), "%s", line);
		int r = setup(&ps[n], argv[1], ifindex);
		bad |= r < 0;
		n += r == 0;
	}
	fclose(fp);
	/* what arrived while the sockets were being opened one by one is not
	 * comparable: throw it away before the sender starts */
	uint8_t junk[65536];
	for (size_t i = 0; i < n; i++)
		for (int s = 0; s < 2; s++)
			while (recv(ps[i].fd[s], junk, sizeof(junk), MSG_DONTWAIT) >= 0)
				;
	printf("READY %zu\n", n);
	fflush(stdout);
	drain(ps, n, atoi(argv[2]), argc == 5 ? argv[4] : NULL);
	for (size_t i = 0; i < n; i++) {
		for (int s = 0; s < 2; s++) {
			struct tpacket_stats st;
			socklen_t l = sizeof(st);
			if (getsockopt(ps[i].fd[s], SOL_PACKET, PACKET_STATISTICS, &st, &l) == 0 &&
			    st.tp_drops) {
				printf("FAIL '%s': the kernel dropped %u packets; results "
				       "unusable\n",
				       ps[i].expr, st.tp_drops);
				bad = 1;
			}
		}
		struct seen *a = &ps[i].got[0], *b = &ps[i].got[1];
		int same = a->n == b->n && !memcmp(a->len, b->len, a->n * sizeof(a->len[0])) &&
			   !memcmp(a->hash, b->hash, a->n * sizeof(a->hash[0]));
		printf("%s '%s': libpcap %zu packets, bpfcap %zu\n", same ? "ok" : "FAIL",
		       ps[i].expr, a->n, b->n);
		bad |= !same;
	}
	return bad ? 1 : 0;
}
