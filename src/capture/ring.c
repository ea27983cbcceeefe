/*
 * ring.c - live capture through an AF_PACKET TPACKET_V3 ring of our own; see
 * capture.h.
 *
 * Set-up order, so that nothing unfiltered is ever delivered: the socket is
 * made with protocol 0 (it receives nothing), a reject-all program is
 * attached, the ring is mapped, the socket is bound to the interface; then
 * capture_live_set_filter() drains whatever the ring holds, attaches the real
 * program and locks it (SO_LOCK_FILTER), and the counters are reset.
 * Stopping unhooks the socket (bind with protocol 0, which the lock allows)
 * so that the ring can be drained to the last frame the kernel counted.
 */
#include "capture.h"
#include "ring_priv.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef SO_LOCK_FILTER
#define SO_LOCK_FILTER 44
#endif
#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

static int set_opt(int fd, int level, int name, const void *v, socklen_t len)
{
	return setsockopt(fd, level, name, v, len);
}

static int attach(int fd, const struct sock_filter *insns, unsigned n)
{
	struct sock_fprog fp = {.len = (unsigned short)n, .filter = (struct sock_filter *)insns};
	return set_opt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &fp, sizeof(fp));
}

static int attach_reject_all(int fd)
{
	static const struct sock_filter rej[] = {{BPF_RET | BPF_K, 0, 0, 0}};
	return attach(fd, rej, 1);
}

/* Block and frame geometry: a block holds at least one largest frame;
 * blocks grow (up to 1 MiB) while the ring keeps at least 16 of them; a ring
 * has at least two blocks, so a tiny -B is rounded up. */
static void geometry(struct capture_live *l, unsigned buffer_kib, uint32_t max_data)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t frame = TPACKET_ALIGN(TPACKET_ALIGN(sizeof(struct tpacket3_hdr)) +
				     sizeof(struct sockaddr_ll)) +
		       l->reserve + 16 + max_data;
	frame = TPACKET_ALIGN(frame);
	size_t bs = page;
	while (bs < frame)
		bs <<= 1;
	size_t total = (size_t)buffer_kib * 1024;
	while (bs < (256u << 10) && bs * 16 <= total)
		bs <<= 1;
	size_t nb = total / bs;
	if (nb < 2)
		nb = 2;
	l->block_size = bs;
	l->block_nr = nb;
	l->frame_size = TPACKET_ALIGNMENT << 7; /* unit only: V3 frames are variable */
}

static int setup_ring(struct capture_live *l, unsigned buffer_kib, uint32_t max_data, int tov_ms)
{
	int v = TPACKET_V3;
	if (set_opt(l->fd, SOL_PACKET, PACKET_VERSION, &v, sizeof(v)) < 0)
		return -1;
	unsigned reserve = l->reserve;
	if (set_opt(l->fd, SOL_PACKET, PACKET_RESERVE, &reserve, sizeof(reserve)) < 0)
		return -1;
	geometry(l, buffer_kib, max_data);
	struct tpacket_req3 req = {0};
	req.tp_block_size = (unsigned)l->block_size;
	req.tp_block_nr = (unsigned)l->block_nr;
	req.tp_frame_size = (unsigned)l->frame_size;
	req.tp_frame_nr = (unsigned)(l->block_size / l->frame_size * l->block_nr);
	req.tp_retire_blk_tov = (unsigned)tov_ms;
	if (set_opt(l->fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)) < 0)
		return -1;
	l->map_len = l->block_size * l->block_nr;
	l->map = mmap(NULL, l->map_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_LOCKED, l->fd, 0);
	if (l->map == MAP_FAILED) /* MAP_LOCKED may exceed RLIMIT_MEMLOCK */
		l->map = mmap(NULL, l->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, l->fd, 0);
	if (l->map == MAP_FAILED) {
		l->map = NULL;
		return -1;
	}
	return 0;
}

static int bind_to(struct capture_live *l, uint16_t proto)
{
	struct sockaddr_ll sll = {0};
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(proto);
	sll.sll_ifindex = l->ifindex;
	return bind(l->fd, (struct sockaddr *)&sll, sizeof(sll));
}

static int set_promisc(struct capture_live *l)
{
	struct packet_mreq mr = {0};
	mr.mr_ifindex = l->ifindex;
	mr.mr_type = PACKET_MR_PROMISC;
	return set_opt(l->fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr));
}

static int live_fail(struct capture_live *l, int code, char *err, size_t errlen, const char *what)
{
	int e = errno;
	if (e == EPERM || e == EACCES)
		snprintf(err, errlen,
			 "%s: %s: %s (needs CAP_NET_RAW; run as root or grant it with "
			 "setcap cap_net_raw,cap_net_admin+ep)",
			 l->ifname, what, strerror(e));
	else
		snprintf(err, errlen, "%s: %s: %s", l->ifname, what, strerror(e));
	capture_live_close(l);
	return e == EPERM || e == EACCES ? CAPTURE_E_PERM : code;
}

static int open_socket(struct capture_live *l, const struct capture_live_opts *o, char *err,
		       size_t errlen)
{
	l->fd = socket(AF_PACKET, (l->cooked ? SOCK_DGRAM : SOCK_RAW) | SOCK_CLOEXEC, 0);
	if (l->fd < 0)
		return live_fail(l, CAPTURE_E_IO, err, errlen, "cannot open a packet socket");
	if (attach_reject_all(l->fd) < 0)
		return live_fail(l, CAPTURE_E_IO, err, errlen, "cannot attach a filter");
	int one = 1;
	if ((o->direction == CAPTURE_Q_IN || l->is_loopback) &&
	    set_opt(l->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one)) < 0)
		return live_fail(l, CAPTURE_E_IO, err, errlen, "cannot ignore outgoing packets");
	uint32_t max_data = l->snaplen < l->max_frame ? l->snaplen : l->max_frame;
	unsigned kib = o->buffer_kib ? o->buffer_kib : CAPTURE_DEFAULT_BUFFER_KIB;
	int tov = o->immediate ? 1 : CAPTURE_BLOCK_TIMEOUT_MS;
	l->tov_ms = tov;
	if (setup_ring(l, kib, max_data, tov) < 0)
		return live_fail(l, CAPTURE_E_IO, err, errlen, "cannot set up the capture ring");
	if (bind_to(l, ETH_P_ALL) < 0)
		return live_fail(l, CAPTURE_E_IO, err, errlen, "cannot bind to the interface");
	if (o->promisc && l->ifindex && set_promisc(l) < 0)
		return live_fail(l, CAPTURE_E_IO, err, errlen, "cannot enter promiscuous mode");
	return 0;
}

int capture_live_open(const struct capture_live_opts *o, struct capture_live **out, char *err,
		      size_t errlen)
{
	struct capture_live *l = calloc(1, sizeof(*l));
	if (!l) {
		snprintf(err, errlen, "%s: out of memory", o->ifname);
		return CAPTURE_E_IO;
	}
	l->fd = -1;
	snprintf(l->ifname, sizeof(l->ifname), "%s", o->ifname);
	int rc = capture_iface_resolve(l, o->dlt, err, errlen);
	if (rc < 0) {
		capture_live_close(l);
		return rc;
	}
	l->snaplen = o->snaplen ? o->snaplen : 262144;
	l->reserve = l->cooked ? SLL2_LEN + VLAN_TAG_LEN : VLAN_TAG_LEN;
	rc = open_socket(l, o, err, errlen);
	if (rc < 0)
		return rc;
	*out = l;
	return 0;
}

int capture_live_dlt(const struct capture_live *l)
{
	return l->dlt;
}

uint32_t capture_live_snaplen(const struct capture_live *l)
{
	return l->snaplen;
}

size_t capture_live_ring_bytes(const struct capture_live *l)
{
	return l->map_len;
}

static int read_stats(struct capture_live *l)
{
	struct tpacket_stats_v3 st;
	socklen_t len = sizeof(st);
	if (getsockopt(l->fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) < 0)
		return -1;
	/* the kernel resets them on every read, and adds drops to packets */
	l->st.received += st.tp_packets;
	l->st.dropped += st.tp_drops;
	return 0;
}

int capture_live_cooked(const struct capture_live *l)
{
	return l->cooked;
}

int capture_live_lo_ifindex(const struct capture_live *l)
{
	return l->lo_ifindex;
}

int capture_live_set_filter(struct capture_live *l, const struct filter_prog *kernel,
			    const struct filter_prog *user, char *err, size_t errlen)
{
	/* whatever arrived under the reject-all program cannot be in the ring,
	 * but a frame is a frame: drop anything there, then start counting */
	ring_discard_ready(l);
	struct sock_filter all = {BPF_RET | BPF_K, 0, 0, l->snaplen};
	const struct sock_filter *insns = &all;
	unsigned n = 1;
	if (kernel) {
		insns = (const struct sock_filter *)(const void *)kernel->insns;
		n = (unsigned)kernel->len;
	}
	l->user_prog = user;
	if (attach(l->fd, insns, n) < 0) {
		snprintf(err, errlen,
			 "%s: the kernel refused the filter program (%u instructions): %s%s",
			 l->ifname, n, strerror(errno),
			 errno == ENOMEM ? "; raise the sysctl net.core.optmem_max" : "");
		return -1;
	}
	int one = 1;
	if (set_opt(l->fd, SOL_SOCKET, SO_LOCK_FILTER, &one, sizeof(one)) < 0) {
		snprintf(err, errlen, "%s: cannot lock the filter: %s", l->ifname, strerror(errno));
		return -1;
	}
	ring_discard_ready(l);
	read_stats(l);
	memset(&l->st, 0, sizeof(l->st));
	return 0;
}

int capture_live_stats(struct capture_live *l, struct capture_stats *st)
{
	int rc = l->fd >= 0 ? read_stats(l) : 0;
	*st = l->st;
	return rc;
}

void capture_live_close(struct capture_live *l)
{
	if (!l)
		return;
	if (l->map)
		munmap(l->map, l->map_len);
	if (l->fd >= 0)
		close(l->fd);
	free(l);
}
