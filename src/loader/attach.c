/*
 * attach.c - programs onto interfaces through BPF links only, so that the
 * kernel detaches them when the last fd of the link closes: when bpfcap
 * exits, and when it is killed.  XDP: a BPF_XDP link, which the kernel
 * refuses (EBUSY/EEXIST) where any program is already attached; we look
 * first anyway so that the message can name what is there.  tc: a tcx link,
 * which is appended to the interface's tcx programs and replaces none.
 */
#include <errno.h>
#include <linux/bpf.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "loader/loader.h"
#include "loader/loader_priv.h"

/* Kernel 6.6+ has them; Debian 12's uapi headers (6.1) and libbpf 1.1 do
 * not know the names yet, and the values are fixed ABI. */
#ifndef BPF_TCX_INGRESS
#define BPF_TCX_INGRESS 46
#define BPF_TCX_EGRESS	47
#endif

struct loader_link {
	int fd;
	enum loader_xdp_mode mode;
};

static const char *ifname(int ifindex, char *buf)
{
	if (!if_indextoname((unsigned)ifindex, buf))
		strcpy(buf, "?");
	return buf;
}

/* Someone else's XDP program on the interface: refuse, saying whose. */
static int xdp_foreign(int ifindex, char *err, size_t errlen)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	char name[IF_NAMESIZE];
	if (bpf_xdp_query(ifindex, 0, &q) < 0 || !q.prog_id)
		return 0;
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);
	memset(&info, 0, sizeof(info));
	int fd = bpf_prog_get_fd_by_id(q.prog_id);
	if (fd >= 0 && bpf_obj_get_info_by_fd(fd, &info, &len) == 0 && info.name[0])
		loader_seterr(err, errlen,
			      "%s already has an XDP program (id %u, '%s'); bpfcap does not "
			      "replace it: use --backend tc, or detach it first",
			      ifname(ifindex, name), q.prog_id, info.name);
	else
		loader_seterr(err, errlen,
			      "%s already has an XDP program (id %u); bpfcap does not replace it: "
			      "use --backend tc, or detach it first",
			      ifname(ifindex, name), q.prog_id);
	if (fd >= 0)
		close(fd);
	return -EBUSY;
}

static int xdp_link(int prog_fd, int ifindex, enum loader_xdp_mode mode)
{
	LIBBPF_OPTS(bpf_link_create_opts, o);
	o.flags = mode == LOADER_XDP_GENERIC ? XDP_FLAGS_SKB_MODE : XDP_FLAGS_DRV_MODE;
	int fd = bpf_link_create(prog_fd, ifindex, BPF_XDP, &o);
	return fd < 0 ? -errno : fd;
}

static int attach_xdp(int prog_fd, int ifindex, enum loader_xdp_mode mode, struct loader_link *l,
		      char *err, size_t errlen)
{
	char name[IF_NAMESIZE];
	int rc = xdp_foreign(ifindex, err, errlen);
	if (rc < 0)
		return rc;
	l->mode = mode == LOADER_XDP_AUTO ? LOADER_XDP_NATIVE : mode;
	int fd = xdp_link(prog_fd, ifindex, l->mode);
	if (fd == -EOPNOTSUPP && mode == LOADER_XDP_AUTO) {
		l->mode = LOADER_XDP_GENERIC;
		fd = xdp_link(prog_fd, ifindex, l->mode);
	}
	if (fd == -EBUSY || fd == -EEXIST) {
		/* attached between our look and our link */
		if (xdp_foreign(ifindex, err, errlen) == 0)
			loader_seterr(err, errlen,
				      "%s already has an XDP program; bpfcap does not replace it",
				      ifname(ifindex, name));
		return -EBUSY;
	}
	if (fd < 0) {
		loader_seterr(err, errlen, "cannot attach at XDP (%s mode) on %s: %s%s",
			      l->mode == LOADER_XDP_NATIVE ? "native" : "generic",
			      ifname(ifindex, name), strerror(-fd),
			      fd == -EOPNOTSUPP ? " (try --xdp-mode generic)" : "");
		return fd;
	}
	l->fd = fd;
	return 0;
}

static int attach_tc(int prog_fd, int ifindex, enum loader_hook hook, struct loader_link *l,
		     char *err, size_t errlen)
{
	char name[IF_NAMESIZE];
	int type = hook == LOADER_HOOK_TC_INGRESS ? BPF_TCX_INGRESS : BPF_TCX_EGRESS;
	int fd = bpf_link_create(prog_fd, ifindex, (enum bpf_attach_type)type, NULL);
	if (fd < 0) {
		int rc = -errno;
		loader_seterr(err, errlen, "cannot attach at tc %s on %s: %s%s",
			      hook == LOADER_HOOK_TC_INGRESS ? "ingress" : "egress",
			      ifname(ifindex, name), strerror(-rc),
			      rc == -EINVAL ? " (tcx links need Linux 6.6 or later)" : "");
		return rc;
	}
	l->fd = fd;
	l->mode = LOADER_XDP_AUTO;
	return 0;
}

int loader_attach(int prog_fd, int ifindex, enum loader_hook hook, enum loader_xdp_mode mode,
		  struct loader_link **out, char *err, size_t errlen)
{
	struct loader_link *l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	int rc = hook == LOADER_HOOK_XDP ? attach_xdp(prog_fd, ifindex, mode, l, err, errlen)
					 : attach_tc(prog_fd, ifindex, hook, l, err, errlen);
	if (rc < 0) {
		free(l);
		return rc;
	}
	*out = l;
	return 0;
}

enum loader_xdp_mode loader_link_mode(const struct loader_link *l)
{
	return l->mode;
}

void loader_link_destroy(struct loader_link *l)
{
	if (!l)
		return;
	close(l->fd);
	free(l);
}
