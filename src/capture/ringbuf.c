/*
 * ringbuf.c - live capture from the BPF ring buffer of xdp/capture.bpf.c;
 * see capture.h.
 *
 * The ring is read in place through its own mapping (no copy, no libbpf
 * callback): the consumer page is ours, the producer page and the data
 * (mapped twice in a row, so that a record that wraps reads straight) are
 * the kernel's.  Records go to the sink where they lie; the consumer
 * position moves past each one after the sink returns.
 *
 * Wake-ups: the programs submit without waking us until the unread data
 * reaches their threshold (then they force one); we wait edge-triggered in
 * epoll, so an event means "a program asked", not "there is data", and we
 * look at the ring anyway after at most CAPTURE_BLOCK_TIMEOUT_MS.
 */
#include "capture.h"

#include <errno.h>
#include <linux/bpf.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "xdp/capture.h"

struct capture_hook {
	char ifname[64];
	int ring_fd, stats_fd, ep;
	int promisc_fd; /* a packet socket that receives nothing, for its membership */
	int ifindex;
	uint32_t snaplen;
	uint64_t size, mask;
	size_t page;
	unsigned long *cons_pos; /* our page */
	void *prod;		 /* the producer page, then the data twice */
	const uint8_t *data;
	int64_t offset_ns;   /* CLOCK_REALTIME - CLOCK_MONOTONIC */
	int64_t measured_ns; /* when (monotonic) */
	int ncpus;
};

static int64_t ns_of(clockid_t c)
{
	struct timespec t;
	clock_gettime(c, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* The offset between the clocks, from the closest of a few readings of
 * REALTIME between two of MONOTONIC. */
static void measure_offset(struct capture_hook *h)
{
	int64_t best = INT64_MAX;
	for (int i = 0; i < 5; i++) {
		int64_t m0 = ns_of(CLOCK_MONOTONIC), r = ns_of(CLOCK_REALTIME);
		int64_t m1 = ns_of(CLOCK_MONOTONIC);
		if (m1 - m0 < best) {
			best = m1 - m0;
			h->offset_ns = r - (m0 + (m1 - m0) / 2);
			h->measured_ns = m1;
		}
	}
}

/* Promiscuous mode as a packet socket's membership, as libpcap does: the
 * kernel takes it back when the socket closes, also when we are killed.
 * Protocol 0: the socket receives nothing. */
static int set_promisc(struct capture_hook *h, int ifindex)
{
	h->promisc_fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (h->promisc_fd < 0)
		return -1;
	struct packet_mreq mr = {0};
	mr.mr_ifindex = ifindex;
	mr.mr_type = PACKET_MR_PROMISC;
	return setsockopt(h->promisc_fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr));
}

int capture_hook_open(const struct capture_hook_opts *o, struct capture_hook **out, char *err,
		      size_t errlen)
{
	struct capture_hook *h = calloc(1, sizeof(*h));
	if (!h) {
		snprintf(err, errlen, "%s: out of memory", o->ifname);
		return -1;
	}
	snprintf(h->ifname, sizeof(h->ifname), "%s", o->ifname);
	h->ring_fd = o->ring_fd;
	h->stats_fd = o->stats_fd;
	h->snaplen = o->snaplen ? o->snaplen : 262144;
	h->size = o->ring_bytes;
	h->mask = h->size - 1;
	h->page = (size_t)sysconf(_SC_PAGESIZE);
	h->ep = -1;
	h->promisc_fd = -1;
	h->ifindex = o->ifindex;
	h->ncpus = libbpf_num_possible_cpus();
	const char *what = "cannot map the ring buffer";
	h->cons_pos = mmap(NULL, h->page, PROT_READ | PROT_WRITE, MAP_SHARED, h->ring_fd, 0);
	if (h->cons_pos == MAP_FAILED) {
		h->cons_pos = NULL;
		goto fail;
	}
	/* populated now, not by faults while packets arrive */
	h->prod = mmap(NULL, h->page + 2 * h->size, PROT_READ, MAP_SHARED | MAP_POPULATE,
		       h->ring_fd, (off_t)h->page);
	if (h->prod == MAP_FAILED) {
		h->prod = NULL;
		goto fail;
	}
	h->data = (const uint8_t *)h->prod + h->page;
	what = "cannot wait on the ring buffer";
	h->ep = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event ev = {.events = EPOLLIN | EPOLLET};
	if (h->ep < 0 || epoll_ctl(h->ep, EPOLL_CTL_ADD, h->ring_fd, &ev) < 0)
		goto fail;
	if (h->ncpus <= 0) {
		what = "cannot count the CPUs";
		goto fail;
	}
	what = "cannot enter promiscuous mode";
	if (o->promisc && set_promisc(h, o->ifindex) < 0)
		goto fail;
	measure_offset(h);
	*out = h;
	return 0;
fail:
	snprintf(err, errlen, "%s: %s: %s", h->ifname, what, strerror(errno));
	capture_hook_close(h);
	return -1;
}

/* The record at P as a packet; 0 when it is not one of ours. */
static int to_pkt(struct capture_hook *h, const uint8_t *p, uint32_t size, struct capture_pkt *pk)
{
	struct cap_rec r;
	if (size < sizeof(r))
		return 0;
	memcpy(&r, p, sizeof(r));
	uint32_t caplen = r.caplen;
	if (caplen > size - sizeof(r))
		caplen = size - (uint32_t)sizeof(r);
	if (caplen > h->snaplen)
		caplen = h->snaplen;
	int64_t ts = (int64_t)r.ts_ns + h->offset_ns;
	pk->ts_sec = ts / 1000000000;
	pk->ts_nsec = (uint32_t)(ts % 1000000000);
	pk->caplen = caplen;
	pk->len = r.len < caplen ? caplen : r.len;
	pk->data = p + sizeof(r);
	pk->ifindex = (int)r.ifindex;
	pk->pkttype = r.hook == CAP_HOOK_TC_EGRESS ? 4 /* PACKET_OUTGOING */ : 0 /* PACKET_HOST */;
	return 1;
}

/* Every complete record (at most a ring's worth) to the sink; *BUSY set
 * when a record reserved is not submitted yet.  The consumer position is
 * published every eighth of the ring and at the end, not per record: the
 * producers read it on every reservation, from other CPUs. */
static long consume(struct capture_hook *h, capture_sink sink, void *opaque, int *stop, int *busy)
{
	unsigned long cons = *h->cons_pos, published = cons;
	unsigned long prod = __atomic_load_n((unsigned long *)h->prod, __ATOMIC_ACQUIRE);
	unsigned long end = prod - cons > h->size ? cons + h->size : prod;
	long n = 0;
	*busy = 0;
	while (cons < end && !*stop) {
		const uint8_t *rec = h->data + (cons & h->mask);
		/* the producers wrote the next records on other CPUs: start
		 * fetching them while this one is handled */
		__builtin_prefetch(h->data + ((cons + 512) & h->mask));
		uint32_t len = __atomic_load_n((const uint32_t *)rec, __ATOMIC_ACQUIRE);
		if (len & BPF_RINGBUF_BUSY_BIT) {
			*busy = 1;
			break;
		}
		uint32_t size = len & ~(uint32_t)(BPF_RINGBUF_BUSY_BIT | BPF_RINGBUF_DISCARD_BIT);
		struct capture_pkt pk;
		if (!(len & BPF_RINGBUF_DISCARD_BIT) &&
		    to_pkt(h, rec + BPF_RINGBUF_HDR_SZ, size, &pk)) {
			n++;
			*stop = sink(opaque, &pk);
		}
		cons += (size + BPF_RINGBUF_HDR_SZ + 7) & ~7u;
		if (cons - published >= h->size / 8) {
			__atomic_store_n(h->cons_pos, cons, __ATOMIC_RELEASE);
			published = cons;
		}
	}
	if (cons != published)
		__atomic_store_n(h->cons_pos, cons, __ATOMIC_RELEASE);
	return n;
}

/* The ring capture hears of it through its socket; here we look, once a
 * second: an interface deleted or set down ends the capture (the programs
 * see nothing more).  0, or -1 with the message. */
static int iface_gone(struct capture_hook *h, char *err, size_t errlen)
{
	char name[IF_NAMESIZE];
	if (!h->ifindex)
		return 0;
	if (!if_indextoname((unsigned)h->ifindex, name)) {
		snprintf(err, errlen, "%s: the interface is gone", h->ifname);
		return -1;
	}
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, name, sizeof(name));
	int down = ioctl(fd, SIOCGIFFLAGS, &ifr) == 0 && !(ifr.ifr_flags & IFF_UP);
	close(fd);
	if (down)
		snprintf(err, errlen, "%s: the interface went down", h->ifname);
	return down ? -1 : 0;
}

long capture_hook_dispatch(struct capture_hook *h, int timeout_ms, const sigset_t *mask,
			   capture_sink sink, void *opaque, int *stop, char *err, size_t errlen)
{
	if (timeout_ms < 0 || timeout_ms > CAPTURE_BLOCK_TIMEOUT_MS)
		timeout_ms = CAPTURE_BLOCK_TIMEOUT_MS;
	struct epoll_event ev;
	if (epoll_pwait(h->ep, &ev, 1, timeout_ms, mask) < 0 && errno != EINTR) {
		snprintf(err, errlen, "%s: waiting on the ring buffer: %s", h->ifname,
			 strerror(errno));
		return -1;
	}
	int64_t now = ns_of(CLOCK_MONOTONIC);
	int busy;
	long n = consume(h, sink, opaque, stop, &busy);
	if (now - h->measured_ns > 1000000000) {
		measure_offset(h);
		if (!*stop && iface_gone(h, err, errlen) < 0)
			return -1;
	}
	return n;
}

static int quiet(struct capture_hook *h)
{
	struct capture_hook_stats st;
	return capture_hook_stats(h, &st) == 0 && st.matched == st.delivered + st.full + st.errors;
}

long capture_hook_drain(struct capture_hook *h, capture_sink sink, void *opaque, int *stop)
{
	/* a program still running on another CPU has counted its packet but
	 * not its outcome, or holds a reservation: wait for it (briefly) */
	int64_t deadline = ns_of(CLOCK_MONOTONIC) + 500000000;
	long n = 0;
	for (;;) {
		int busy;
		n += consume(h, sink, opaque, stop, &busy);
		if (*stop)
			return n;
		unsigned long prod = __atomic_load_n((unsigned long *)h->prod, __ATOMIC_ACQUIRE);
		if (!busy && prod == *h->cons_pos && quiet(h))
			return n;
		if (ns_of(CLOCK_MONOTONIC) > deadline)
			return n;
		struct timespec ts = {0, 1000000};
		nanosleep(&ts, NULL);
	}
}

int capture_hook_stats(struct capture_hook *h, struct capture_hook_stats *st)
{
	uint64_t sum[CAP_STAT_MAX] = {0};
	uint64_t *v = calloc((size_t)h->ncpus, sizeof(*v));
	if (!v)
		return -1;
	int rc = 0;
	for (uint32_t k = 0; k < CAP_STAT_MAX; k++) {
		if (bpf_map_lookup_elem(h->stats_fd, &k, v) < 0) {
			rc = -1;
			break;
		}
		for (int c = 0; c < h->ncpus; c++)
			sum[k] += v[c];
	}
	free(v);
	st->matched = sum[CAP_STAT_MATCHED];
	st->delivered = sum[CAP_STAT_DELIVERED];
	st->full = sum[CAP_STAT_FULL];
	st->errors = sum[CAP_STAT_ERROR];
	return rc;
}

void capture_hook_close(struct capture_hook *h)
{
	if (!h)
		return;
	if (h->ep >= 0)
		close(h->ep);
	if (h->promisc_fd >= 0)
		close(h->promisc_fd);
	if (h->prod)
		munmap(h->prod, h->page + 2 * h->size);
	if (h->cons_pos)
		munmap(h->cons_pos, h->page);
	free(h);
}
