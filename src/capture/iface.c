/*
 * iface.c - what an interface is: its index, the link types it offers and
 * the one we capture with, and the list -D prints.  See capture.h.
 *
 * Link types, as libpcap on Linux: Ethernet and the loopback are EN10MB
 * (-y LINUX_SLL or LINUX_SLL2 gives a cooked capture instead), "any" is
 * LINUX_SLL2 by default (tcpdump 4.99), an interface without a link-layer
 * header is RAW, anything else is captured cooked.
 */
#include "ring_priv.h"

#include <errno.h>
#include <ifaddrs.h>
#include <net/if_arp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

enum { DLT_EN10MB_ = 1, DLT_RAW_ = 12, DLT_LINUX_SLL_ = 113, DLT_LINUX_SLL2_ = 276 };

static int read_sys(const char *ifname, const char *what, char *buf, size_t len)
{
	char path[128];
	snprintf(path, sizeof(path), "/sys/class/net/%s/%s", ifname, what);
	FILE *fp = fopen(path, "r");
	if (!fp)
		return -1;
	int ok = fgets(buf, (int)len, fp) != NULL;
	fclose(fp);
	if (!ok)
		return -1;
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static long sys_long(const char *ifname, const char *what, long dflt)
{
	char buf[64];
	if (read_sys(ifname, what, buf, sizeof(buf)) < 0)
		return dflt;
	return strtol(buf, NULL, 0);
}

/* The link types the interface offers, default first; 0 if none we know. */
int capture_iface_dlts(const char *ifname, int *dlts, int max)
{
	int n = 0;
	if (max < 3)
		return 0;
	if (strcmp(ifname, "any") == 0) {
		dlts[n++] = DLT_LINUX_SLL2_;
		dlts[n++] = DLT_LINUX_SLL_;
		return n;
	}
	long type = sys_long(ifname, "type", -1);
	if (type < 0)
		return 0;
	if (type == ARPHRD_ETHER || type == ARPHRD_LOOPBACK)
		dlts[n++] = DLT_EN10MB_;
	else if (type == ARPHRD_NONE)
		dlts[n++] = DLT_RAW_;
	dlts[n++] = DLT_LINUX_SLL2_;
	dlts[n++] = DLT_LINUX_SLL_;
	return n;
}

int capture_iface_pick_dlt(const char *ifname, int want, char *err, size_t errlen)
{
	int dlts[4], n = capture_iface_dlts(ifname, dlts, 4);
	if (n == 0) {
		snprintf(err, errlen, "%s: no such interface (bpfcap -D lists them)", ifname);
		return CAPTURE_E_NODEV;
	}
	if (want < 0)
		return dlts[0];
	for (int i = 0; i < n; i++)
		if (dlts[i] == want)
			return want;
	snprintf(err, errlen,
		 "%s: the interface does not offer that link type (bpfcap -L -i %s lists them)",
		 ifname, ifname);
	return CAPTURE_E_USAGE;
}

static int pick_dlt(struct capture_live *l, int want, char *err, size_t errlen)
{
	int dlt = capture_iface_pick_dlt(l->ifname, want, err, errlen);
	if (dlt < 0)
		return dlt;
	l->dlt = dlt;
	/* cooked: the header's length, built in front of each frame */
	l->cooked = dlt == DLT_LINUX_SLL2_ ? SLL2_LEN : dlt == DLT_LINUX_SLL_ ? SLL_LEN : 0;
	return 0;
}

int capture_iface_resolve(struct capture_live *l, int want_dlt, char *err, size_t errlen)
{
	int any = strcmp(l->ifname, "any") == 0;
	if (!any) {
		l->ifindex = (int)if_nametoindex(l->ifname);
		if (l->ifindex == 0) {
			snprintf(err, errlen, "%s: no such interface (bpfcap -D lists them)",
				 l->ifname);
			return CAPTURE_E_NODEV;
		}
	}
	int rc = pick_dlt(l, want_dlt, err, errlen);
	if (rc < 0)
		return rc;
	if (l->dlt == DLT_RAW_) {
		snprintf(err, errlen,
			 "%s: live capture on interfaces without a link-layer "
			 "header is not supported yet; use -y LINUX_SLL2",
			 l->ifname);
		return CAPTURE_E_USAGE;
	}
	l->is_loopback = !any && sys_long(l->ifname, "type", -1) == ARPHRD_LOOPBACK;
	l->lo_ifindex = any ? (int)if_nametoindex("lo") : 0;
	long mtu = any ? 65536 : sys_long(l->ifname, "mtu", 65536);
	/* offloads hand AF_PACKET frames up to 64 KiB whatever the MTU */
	if (mtu < 65536)
		mtu = 65536;
	l->max_frame = (uint32_t)mtu + 18 + 4;
	return 0;
}

/* libpcap's figure of merit: down, then not running, then not known to be
 * connected (which "any" and loopbacks are not), then loopback. */
static void set_merit(struct capture_iface *e)
{
	e->merit = (e->up ? 0 : 8) + (e->running ? 0 : 4) + (e->connected == 1 ? 0 : 2) +
		   (e->loopback ? 1 : 0);
}

static void fill_entry(struct capture_iface *e, const char *name, unsigned flags)
{
	snprintf(e->name, sizeof(e->name), "%s", name);
	e->up = !!(flags & IFF_UP);
	e->running = !!(flags & IFF_RUNNING);
	e->loopback = !!(flags & IFF_LOOPBACK);
	char buf[32];
	e->wireless = read_sys(name, "wireless", buf, sizeof(buf)) == 0 ||
		      read_sys(name, "phy80211/name", buf, sizeof(buf)) == 0;
	if (e->loopback) {
		e->connected = -1;
	} else {
		e->connected = read_sys(name, "carrier", buf, sizeof(buf)) == 0 && buf[0] == '1';
	}
	set_merit(e);
}

static int by_merit(const void *a, const void *b)
{
	const struct capture_iface *x = a, *y = b;
	if (x->merit != y->merit)
		return x->merit - y->merit;
	return x->index - y->index;
}

int capture_iface_list(struct capture_iface **out, size_t *count, char *err, size_t errlen)
{
	struct if_nameindex *ni = if_nameindex();
	if (!ni) {
		snprintf(err, errlen, "cannot list the interfaces: %s", strerror(errno));
		return -1;
	}
	size_t n = 0;
	while (ni[n].if_index)
		n++;
	struct capture_iface *v = calloc(n + 1, sizeof(*v));
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (!v || fd < 0) {
		snprintf(err, errlen, "cannot list the interfaces: %s", strerror(errno));
		free(v);
		if (fd >= 0)
			close(fd);
		if_freenameindex(ni);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		struct ifreq ifr = {0};
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ni[i].if_name);
		unsigned flags =
			ioctl(fd, SIOCGIFFLAGS, &ifr) == 0 ? (unsigned short)ifr.ifr_flags : 0;
		fill_entry(&v[i + 1], ni[i].if_name, flags);
		v[i + 1].index = (int)ni[i].if_index;
	}
	close(fd);
	if_freenameindex(ni);
	snprintf(v[0].name, sizeof(v[0].name), "any");
	snprintf(v[0].desc, sizeof(v[0].desc), "Pseudo-device that captures on all interfaces");
	v[0].up = v[0].running = 1;
	v[0].connected = -1;
	set_merit(&v[0]);
	qsort(v, n + 1, sizeof(*v), by_merit);
	*out = v;
	*count = n + 1;
	return 0;
}
