/*
 * hook.c - `bpfcap -i IFACE --backend xdp|tc`: capture at the hook through
 * a BPF ring buffer.  Set-up order: the capture programs loaded (snap
 * length, ring size), the expression compiled for each hook and joined in
 * front of them (loader), -w's output opened, the programs attached through
 * links, the ring buffer mapped (capture), privileges dropped; then
 * live.c's loop.  Stopping detaches the links, so that the drain ends with
 * the last packet the programs counted.  Links close on every way out, and
 * the kernel closes them if we die.
 */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "capture/capture.h"
#include "loader/loader.h"
#include "util/priv.h"

struct hook {
	const struct config *cfg;
	enum loader_hook hooks[2];
	int nhooks;
	int has_expr;
	struct filter_ebpf_prog gen[2];
	struct loader_capture *cap;
	struct loader_link *links[2];
	struct capture_hook *src;
};

/* The generated filter of the expression at HOOK, which tail-calls our
 * program when it accepts; -1 after a message. */
static int compile_at(const struct config *cfg, enum loader_hook hook, uint32_t snaplen,
		      struct filter_ebpf_prog *out)
{
	struct filter_ebpf_opts eo = {.hook = hook == LOADER_HOOK_XDP ? FILTER_HOOK_XDP
								      : FILTER_HOOK_TC,
				      .accept = FILTER_EBPF_TAIL_CALL,
				      .observe = 1};
	return app_compile_ebpf(cfg, cfg->expr, FILTER_DLT_EN10MB, snaplen, APP_HOOK, &eo, out);
}

static void show_log(const struct config *cfg)
{
	if (cfg->verbose && *loader_log())
		fprintf(stderr, "%s", loader_log());
}

static const char *hook_words(const struct hook *h)
{
	if (h->hooks[0] == LOADER_HOOK_XDP)
		return "xdp (received packets)";
	if (h->nhooks == 2)
		return "tc ingress and egress";
	return h->hooks[0] == LOADER_HOOK_TC_INGRESS ? "tc ingress" : "tc egress";
}

/* Load, join and attach every hook; an exit status, 0 when capturing. */
static int attach_all(struct hook *h, unsigned ifindex, uint32_t snaplen)
{
	const struct config *cfg = h->cfg;
	char err[512];
	struct loader_capture_opts co = {
		.snaplen = snaplen,
		.ring_bytes =
			(uint64_t)(cfg->buffer_kib ? cfg->buffer_kib : CAPTURE_DEFAULT_BUFFER_KIB) *
			1024,
		/* -U, --immediate-mode: a wake-up for every record */
		.wake_bytes = cfg->unbuffered || cfg->immediate ? 1 : 0};
	if (loader_capture_open(&co, &h->cap, err, sizeof(err)) < 0) {
		fprintf(stderr, "bpfcap: %s\n", err);
		show_log(cfg);
		return EXIT_IO;
	}
	for (int i = 0; i < h->nhooks; i++) {
		int fd = loader_capture_entry(h->cap, h->hooks[i], h->has_expr ? &h->gen[i] : NULL,
					      err, sizeof(err));
		int rc = fd;
		if (fd >= 0)
			rc = loader_attach(fd, (int)ifindex, h->hooks[i],
					   (enum loader_xdp_mode)cfg->xdp_mode, &h->links[i], err,
					   sizeof(err));
		if (rc < 0) {
			fprintf(stderr, "bpfcap: %s\n", err);
			show_log(cfg);
			return rc == -EBUSY ? EXIT_USAGE : EXIT_IO;
		}
	}
	show_log(cfg);
	return 0;
}

static void detach(struct hook *h)
{
	for (int i = 0; i < 2; i++) {
		loader_link_destroy(h->links[i]);
		h->links[i] = NULL;
	}
}

static long src_dispatch(void *s, int timeout_ms, const sigset_t *mask, capture_sink sink,
			 void *opaque, int *stop, char *err, size_t errlen)
{
	struct hook *h = s;
	return capture_hook_dispatch(h->src, timeout_ms, mask, sink, opaque, stop, err, errlen);
}

static void src_stop(void *s)
{
	detach(s);
}

static long src_drain(void *s, capture_sink sink, void *opaque, int *stop)
{
	struct hook *h = s;
	return capture_hook_drain(h->src, sink, opaque, stop);
}

/* tcpdump's lines: "received by filter" is what the programs ran on (the
 * filter accepted), "dropped by kernel" what the ring had no room for (or
 * could not copy). */
static void src_stats(void *s, struct capture_stats *st)
{
	struct hook *h = s;
	struct capture_hook_stats hs;
	memset(&hs, 0, sizeof(hs));
	capture_hook_stats(h->src, &hs);
	st->received = hs.matched;
	st->dropped = hs.full + hs.errors;
}

static void src_stats_final(void *s, FILE *out)
{
	struct hook *h = s;
	struct capture_hook_stats hs;
	memset(&hs, 0, sizeof(hs));
	capture_hook_stats(h->src, &hs);
	fprintf(out, "%llu packet%s delivered through the ring buffer\n",
		(unsigned long long)hs.delivered, hs.delivered == 1 ? "" : "s");
	fprintf(out, "%llu packet%s dropped because the ring buffer was full\n",
		(unsigned long long)hs.full, hs.full == 1 ? "" : "s");
	if (hs.errors)
		fprintf(out, "%llu packet%s dropped because a copy from the packet failed\n",
			(unsigned long long)hs.errors, hs.errors == 1 ? "" : "s");
}

static void pick_hooks(struct hook *h)
{
	const struct config *cfg = h->cfg;
	if (cfg->backend == 0) {
		h->hooks[h->nhooks++] = LOADER_HOOK_XDP;
		return;
	}
	if (cfg->direction != CAPTURE_Q_OUT)
		h->hooks[h->nhooks++] = LOADER_HOOK_TC_INGRESS;
	if (cfg->direction != CAPTURE_Q_IN)
		h->hooks[h->nhooks++] = LOADER_HOOK_TC_EGRESS;
}

/* Everything up to the first packet; an exit status. */
static int setup(struct hook *h, uint32_t snaplen, struct capture_output **out)
{
	const struct config *cfg = h->cfg;
	char err[512];
	struct priv_user user;
	if (cfg->user && priv_lookup(cfg->user, &user, err, sizeof(err)) < 0) {
		fprintf(stderr, "bpfcap: %s\n", err);
		return EXIT_USAGE;
	}
	unsigned ifindex = loader_ifindex(cfg->iface, err, sizeof(err));
	if (!ifindex) {
		fprintf(stderr, "bpfcap: %s\n", err);
		return EXIT_USAGE;
	}
	for (int i = 0; h->has_expr && i < h->nhooks; i++)
		if (compile_at(cfg, h->hooks[i], snaplen, &h->gen[i]) < 0)
			return EXIT_USAGE;
	int rc = attach_all(h, ifindex, snaplen);
	if (rc)
		return rc;
	struct capture_hook_opts ho = {.ifname = cfg->iface,
				       .ring_fd = loader_capture_ring_fd(h->cap),
				       .stats_fd = loader_capture_stats_fd(h->cap),
				       .ring_bytes = loader_capture_ring_bytes(h->cap),
				       .snaplen = snaplen,
				       .promisc = !cfg->no_promisc,
				       .ifindex = (int)ifindex};
	if (capture_hook_open(&ho, &h->src, err, sizeof(err)) < 0) {
		fprintf(stderr, "bpfcap: %s\n", err);
		return EXIT_IO;
	}
	if (cfg->write_file && live_open_output(cfg, FILTER_DLT_EN10MB, snaplen,
						loader_capture_ring_bytes(h->cap), out) < 0)
		return EXIT_IO;
	if (priv_drop(cfg->user ? &user : NULL, err, sizeof(err)) < 0) {
		fprintf(stderr, "bpfcap: %s\n", err);
		return EXIT_IO;
	}
	return 0;
}

int hook_main(const struct config *cfg)
{
	sigset_t wait;
	live_signals(&wait);
	loader_log_init();
	uint32_t snaplen = cfg->snaplen ? cfg->snaplen : 262144;
	struct hook h = {.cfg = cfg, .has_expr = cfg->expr[strspn(cfg->expr, " \t\r\n")] != '\0'};
	pick_hooks(&h);
	struct capture_output *out = NULL;
	int rc = setup(&h, snaplen, &out);
	if (rc == 0) {
		const char *mode = "";
		if (h.hooks[0] == LOADER_HOOK_XDP)
			mode = loader_link_mode(h.links[0]) == LOADER_XDP_NATIVE ? ", native mode"
										 : ", generic mode";
		fprintf(stderr,
			"bpfcap: listening on %s at %s%s, ring buffer %llu KiB, link-type EN10MB "
			"(Ethernet), snapshot length %u bytes\n",
			cfg->iface, hook_words(&h), mode,
			(unsigned long long)(loader_capture_ring_bytes(h.cap) >> 10), snaplen);
		struct live_source src = {.s = &h,
					  .dispatch = src_dispatch,
					  .stop = src_stop,
					  .drain = src_drain,
					  .stats = src_stats,
					  .stats_final = src_stats_final,
					  .dlt = FILTER_DLT_EN10MB};
		rc = live_capture(cfg, &src, out, &wait);
	} else if (out) {
		char err[512];
		capture_output_close(out, err, sizeof(err));
	}
	detach(&h);
	capture_hook_close(h.src);
	loader_capture_close(h.cap);
	for (int i = 0; i < 2; i++)
		filter_ebpf_release(&h.gen[i]);
	return rc;
}
