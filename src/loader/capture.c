/* capture.c - the capture skeleton (xdp/capture.bpf.c): snap length, ring
 * buffer size and wake-up threshold set before load; see loader.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "loader/loader.h"
#include "loader/loader_priv.h"
#include "xdp/capture.h"
#include "xdp/capture.skel.h"

#define DEFAULT_RING (8u << 20)
#define MAX_RING     (1ull << 31)

struct loader_capture {
	struct capture_bpf *skel;
	uint64_t ring_bytes;
	int gen_fd[4]; /* joined generated programs, by hook */
};

/* The data size of the largest class a frame of SNAPLEN bytes uses. */
static uint32_t largest_class(uint32_t snaplen)
{
	static const uint32_t cls[] = {CAP_CLASS_0, CAP_CLASS_1, CAP_CLASS_2, CAP_CLASS_3,
				       CAP_CLASS_4};
	for (size_t i = 0; i < sizeof(cls) / sizeof(cls[0]); i++)
		if (snaplen <= cls[i])
			return cls[i];
	return CAP_CLASS_5;
}

uint64_t loader_capture_round(uint64_t want, uint32_t snaplen)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	/* a record: the ring's 8-byte header, ours, the data */
	uint64_t min = 2 * (8 + sizeof(struct cap_rec) + largest_class(snaplen ? snaplen : 262144));
	if (want < min)
		want = min;
	if (want < page)
		want = page;
	if (want > MAX_RING)
		want = MAX_RING;
	uint64_t r = page;
	while (r < want)
		r <<= 1;
	return r;
}

int loader_capture_open(const struct loader_capture_opts *o, struct loader_capture **out, char *err,
			size_t errlen)
{
	struct loader_capture *c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	for (int i = 0; i < 4; i++)
		c->gen_fd[i] = -1;
	uint32_t snap = o->snaplen ? o->snaplen : 262144;
	c->ring_bytes = loader_capture_round(o->ring_bytes ? o->ring_bytes : DEFAULT_RING, snap);
	int rc;
	c->skel = capture_bpf__open();
	if (!c->skel) {
		rc = -errno;
		loader_seterr(err, errlen, "cannot open the capture program: %s", strerror(-rc));
		goto fail;
	}
	c->skel->rodata->snaplen = snap;
	c->skel->rodata->wake_bytes = o->wake_bytes ? o->wake_bytes : c->ring_bytes / 4;
	rc = bpf_map__set_max_entries(c->skel->maps.cap_ring, (uint32_t)c->ring_bytes);
	if (!rc)
		rc = capture_bpf__load(c->skel);
	if (rc) {
		loader_seterr(
			err, errlen, "the kernel refused the capture program (%s)%s", strerror(-rc),
			rc == -ENOMEM || rc == -E2BIG ? ": try a smaller -B" : "; -v shows why");
		goto fail;
	}
	*out = c;
	return 0;
fail:
	loader_capture_close(c);
	return rc < 0 ? rc : -EINVAL;
}

void loader_capture_close(struct loader_capture *c)
{
	if (!c)
		return;
	for (int i = 0; i < 4; i++)
		if (c->gen_fd[i] >= 0)
			close(c->gen_fd[i]);
	capture_bpf__destroy(c->skel);
	free(c);
}

const struct bpf_program *loader_capture_prog(const struct loader_capture *c, enum loader_hook hook)
{
	switch (hook) {
	case LOADER_HOOK_XDP: return c->skel->progs.cap_xdp;
	case LOADER_HOOK_TC_INGRESS: return c->skel->progs.cap_tc_ingress;
	case LOADER_HOOK_TC_EGRESS: return c->skel->progs.cap_tc_egress;
	}
	return NULL;
}

int loader_capture_prog_array_fd(const struct loader_capture *c, enum loader_hook hook)
{
	switch (hook) {
	case LOADER_HOOK_XDP: return bpf_map__fd(c->skel->maps.cap_jmp_xdp);
	case LOADER_HOOK_TC_INGRESS: return bpf_map__fd(c->skel->maps.cap_jmp_ingress);
	case LOADER_HOOK_TC_EGRESS: return bpf_map__fd(c->skel->maps.cap_jmp_egress);
	}
	return -EINVAL;
}

int loader_capture_ring_fd(const struct loader_capture *c)
{
	return bpf_map__fd(c->skel->maps.cap_ring);
}

int loader_capture_stats_fd(const struct loader_capture *c)
{
	return bpf_map__fd(c->skel->maps.cap_stats);
}

uint64_t loader_capture_ring_bytes(const struct loader_capture *c)
{
	return c->ring_bytes;
}

int loader_capture_entry(struct loader_capture *c, enum loader_hook hook,
			 const struct filter_ebpf_prog *gen, char *err, size_t errlen)
{
	const struct bpf_program *p = loader_capture_prog(c, hook);
	if (!p)
		return -EINVAL;
	if (!gen)
		return bpf_program__fd(p);
	int fd = loader_join(gen, p, loader_capture_prog_array_fd(c, hook), err, errlen);
	if (fd < 0)
		return fd;
	if (c->gen_fd[hook] >= 0)
		close(c->gen_fd[hook]);
	c->gen_fd[hook] = fd;
	return fd;
}
