/*
 * ring_priv.h - the live source's state, shared by ring.c (set-up, filter,
 * counters), ringwalk.c (the block walk) and iface.c (what the interface
 * is).  Private to src/capture.
 */
#ifndef BPFCAP_RING_PRIV_H
#define BPFCAP_RING_PRIV_H

#include <linux/if_packet.h>
#include <net/if.h>
#include <stddef.h>
#include <stdint.h>

#include "capture.h"

/* Bytes a frame grows by in front: a VLAN tag put back, a cooked header. */
enum { VLAN_TAG_LEN = 4, SLL_LEN = 16, SLL2_LEN = 20 };

struct capture_live {
	char ifname[IF_NAMESIZE + 4];
	int ifindex;	/* 0: all interfaces ("any") */
	int lo_ifindex; /* for "any": the loopback, whose outgoing copies are skipped */
	int dlt;
	int cooked; /* SOCK_DGRAM: the length of the cooked header we build (16, 20), else 0 */
	int is_loopback;
	int direction;
	uint32_t snaplen;
	uint32_t max_frame; /* largest link-layer frame the interface delivers */
	unsigned reserve;   /* headroom in front of each frame (PACKET_RESERVE) */
	int fd;
	void *map;
	size_t map_len, block_size, block_nr, frame_size;
	size_t cur; /* next block to read */
	int tov_ms;
	const struct filter_prog *user_prog; /* cooked: the program runs here */
	struct capture_stats st;
};

/* ringwalk.c: give every block the kernel has handed over back unread. */
void ring_discard_ready(struct capture_live *l);

/* iface.c: fill ifindex, dlt, cooked, is_loopback, max_frame from the
 * interface's name and the wanted link type (-1: its default). */
int capture_iface_resolve(struct capture_live *l, int want_dlt, char *err, size_t errlen);

#endif
