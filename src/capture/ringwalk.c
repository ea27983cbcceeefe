/*
 * ringwalk.c - the TPACKET_V3 block walk: frames go to the sink in place,
 * with the VLAN tag the kernel moved into metadata put back into the frame
 * (as libpcap does) and, for cooked captures, the LINUX_SLL2 header built in
 * the headroom in front of the frame.  See capture.h and ring_priv.h.
 */
#include "ring_priv.h"

#include <arpa/inet.h>
#include <errno.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { ETH_ADDRS = 12 };

static void put16(uint8_t *p, uint16_t v)
{
	v = htons(v);
	memcpy(p, &v, 2);
}

static void put32(uint8_t *p, uint32_t v)
{
	v = htonl(v);
	memcpy(p, &v, 4);
}

/* LINUX_SLL: packet type, ARPHRD type, address length, 8 address bytes,
 * protocol. */
static uint8_t *cooked_header_v1(uint8_t *net, const struct sockaddr_ll *sll)
{
	uint8_t *h = net - SLL_LEN;
	put16(h, sll->sll_pkttype);
	put16(h + 2, sll->sll_hatype);
	put16(h + 4, sll->sll_halen);
	memset(h + 6, 0, 8);
	memcpy(h + 6, sll->sll_addr, sll->sll_halen < 8 ? sll->sll_halen : 8);
	memcpy(h + 14, &sll->sll_protocol, 2);
	return h;
}

/* LINUX_SLL2: protocol, reserved, interface index, ARPHRD type, packet
 * type, address length, 8 address bytes. */
static uint8_t *cooked_header(uint8_t *net, const struct sockaddr_ll *sll)
{
	uint8_t *h = net - SLL2_LEN;
	memcpy(h, &sll->sll_protocol, 2);
	put16(h + 2, 0);
	put32(h + 4, (uint32_t)sll->sll_ifindex);
	put16(h + 8, sll->sll_hatype);
	h[10] = sll->sll_pkttype;
	h[11] = sll->sll_halen;
	memset(h + 12, 0, 8);
	memcpy(h + 12, sll->sll_addr, sll->sll_halen < 8 ? sll->sll_halen : 8);
	return h;
}

static int vlan_valid(const struct tpacket3_hdr *h)
{
	return h->hv1.tp_vlan_tci != 0 || (h->tp_status & TP_STATUS_VLAN_VALID);
}

/* Returns 0 when the frame is skipped, 1 when P is filled. */
static int frame(struct capture_live *l, struct tpacket3_hdr *h, struct capture_pkt *p)
{
	const struct sockaddr_ll *sll =
		(const void *)((uint8_t *)h + TPACKET_ALIGN(sizeof(struct tpacket3_hdr)));
	uint8_t *mac = (uint8_t *)h + h->tp_mac;
	uint32_t caplen = h->tp_snaplen, len = h->tp_len;
	if (l->cooked == SLL2_LEN) {
		mac = cooked_header(mac, sll);
		caplen += SLL2_LEN;
		len += SLL2_LEN;
	} else {
		size_t at = ETH_ADDRS; /* where the tag goes: before the type field */
		if (l->cooked == SLL_LEN) {
			mac = cooked_header_v1(mac, sll);
			caplen += SLL_LEN;
			len += SLL_LEN;
			at = SLL_LEN - 2;
		}
		if (vlan_valid(h) && caplen >= at) {
			uint16_t tpid = (h->tp_status & TP_STATUS_VLAN_TPID_VALID)
						? h->hv1.tp_vlan_tpid
						: 0x8100;
			memmove(mac - VLAN_TAG_LEN, mac, at);
			mac -= VLAN_TAG_LEN;
			put16(mac + at, tpid);
			put16(mac + at + 2, h->hv1.tp_vlan_tci);
			caplen += VLAN_TAG_LEN;
			len += VLAN_TAG_LEN;
		}
	}
	if (caplen > l->snaplen)
		caplen = l->snaplen;
	if (l->user_prog && bpf_filter((const struct bpf_insn *)(const void *)l->user_prog->insns,
				       mac, len, caplen) == 0)
		return 0;
	p->ts_sec = h->tp_sec;
	p->ts_nsec = h->tp_nsec;
	p->caplen = caplen;
	p->len = len;
	p->data = mac;
	p->ifindex = sll->sll_ifindex;
	p->pkttype = sll->sll_pkttype;
	return 1;
}

/* The next block to read, whoever owns it now. */
static struct tpacket_block_desc *cur_block(struct capture_live *l)
{
	return (void *)((uint8_t *)l->map + l->cur * l->block_size);
}

/* The next block, if the kernel has handed it over, else NULL. */
static struct tpacket_block_desc *ready_block(struct capture_live *l)
{
	struct tpacket_block_desc *b = cur_block(l);
	if (!(__atomic_load_n(&b->hdr.bh1.block_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER))
		return NULL;
	return b;
}

static void give_back(struct capture_live *l, struct tpacket_block_desc *b)
{
	__atomic_store_n(&b->hdr.bh1.block_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
	l->cur = (l->cur + 1) % l->block_nr;
}

void ring_discard_ready(struct capture_live *l)
{
	struct tpacket_block_desc *b;
	while ((b = ready_block(l)))
		give_back(l, b);
}

/* Every block the kernel has handed over goes to the sink, then back. */
static long walk(struct capture_live *l, capture_sink sink, void *opaque, int *stop)
{
	long n = 0;
	struct tpacket_block_desc *b;
	while ((b = ready_block(l))) {
		uint32_t num = b->hdr.bh1.num_pkts, off = b->hdr.bh1.offset_to_first_pkt;
		for (uint32_t i = 0; i < num && !*stop; i++) {
			struct tpacket3_hdr *h = (void *)((uint8_t *)b + off);
			struct capture_pkt p;
			if (frame(l, h, &p)) {
				n++;
				*stop = sink(opaque, &p);
			}
			off += h->tp_next_offset;
		}
		give_back(l, b);
		if (*stop)
			return n;
	}
	return n;
}

static int socket_error(struct capture_live *l, char *err, size_t errlen)
{
	int e = 0;
	socklen_t len = sizeof(e);
	if (getsockopt(l->fd, SOL_SOCKET, SO_ERROR, &e, &len) < 0 || e == 0)
		return 0;
	if (e == ENETDOWN)
		snprintf(err, errlen, "%s: the interface went down", l->ifname);
	else if (e == ENODEV || e == ENXIO)
		snprintf(err, errlen, "%s: the interface is gone", l->ifname);
	else
		snprintf(err, errlen, "%s: capture failed: %s", l->ifname, strerror(e));
	return -1;
}

long capture_live_dispatch(struct capture_live *l, int timeout_ms, const sigset_t *mask,
			   capture_sink sink, void *opaque, int *stop, char *err, size_t errlen)
{
	long n = walk(l, sink, opaque, stop);
	if (n > 0 || *stop)
		return n;
	struct pollfd pfd = {.fd = l->fd, .events = POLLIN};
	struct timespec ts = {timeout_ms / 1000, (long)(timeout_ms % 1000) * 1000000};
	int r = ppoll(&pfd, 1, timeout_ms < 0 ? NULL : &ts, mask);
	if (r < 0 && errno != EINTR) {
		snprintf(err, errlen, "%s: poll: %s", l->ifname, strerror(errno));
		return -1;
	}
	if (r > 0 && (pfd.revents & (POLLERR | POLLHUP | POLLNVAL)) &&
	    socket_error(l, err, errlen) < 0)
		return -1;
	return walk(l, sink, opaque, stop);
}

int capture_live_stop(struct capture_live *l)
{
	struct sockaddr_ll sll = {0};
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = 0; /* unhooked: the kernel adds nothing more */
	sll.sll_ifindex = l->ifindex;
	return bind(l->fd, (struct sockaddr *)&sll, sizeof(sll));
}

static int64_t mono_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* After capture_live_stop(): the block the kernel was filling retires on
 * its timeout; wait for it, and deliver everything. */
long capture_live_drain(struct capture_live *l, capture_sink sink, void *opaque, int *stop)
{
	long n = 0;
	int64_t deadline = mono_ms() + 3 * l->tov_ms + 500;
	char err[8];
	for (;;) {
		long k = walk(l, sink, opaque, stop);
		n += k > 0 ? k : 0;
		if (*stop)
			return n;
		struct tpacket_block_desc *b = cur_block(l);
		uint32_t pending = __atomic_load_n(&b->hdr.bh1.num_pkts, __ATOMIC_ACQUIRE);
		if (pending == 0 || mono_ms() > deadline)
			return n;
		k = capture_live_dispatch(l, l->tov_ms, NULL, sink, opaque, stop, err, sizeof(err));
		n += k > 0 ? k : 0;
	}
}
