/*
 * top.c - `bpfcap --top`: wiring of flow counting.  The expression is
 * compiled for each hook (filter), the counting programs loaded and the
 * filter joined to them (loader), attached through links (loader), and the
 * flows read, shown and exported until a signal, -c or q (flow).  Links
 * close on every way out, and the kernel closes them if we die.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "flow/flow.h"
#include "loader/loader.h"

struct top {
	const struct config *cfg;
	int has_expr;
	enum loader_hook hooks[2];
	int nhooks;
	struct filter_ebpf_prog gen[2];
	struct loader_flow *flow;
	struct loader_link *links[2];
	struct flow_ipfix *ipfix;
};

/* The generated filter of the expression at HOOK, which tail-calls our
 * program when it accepts; -1 after a message. */
static int compile_at(const struct config *cfg, enum loader_hook hook, struct filter_ebpf_prog *out)
{
	struct filter_ebpf_opts eo = {.hook = hook == LOADER_HOOK_XDP ? FILTER_HOOK_XDP
								      : FILTER_HOOK_TC,
				      .accept = FILTER_EBPF_TAIL_CALL,
				      .observe = 1};
	return app_compile_ebpf(cfg, cfg->expr, FILTER_DLT_EN10MB, 0, APP_HOOK, &eo, out);
}

static const char *hook_words(const struct top *t)
{
	if (t->hooks[0] == LOADER_HOOK_XDP)
		return "xdp";
	if (t->nhooks == 2)
		return "tc ingress+egress";
	return t->hooks[0] == LOADER_HOOK_TC_INGRESS ? "tc ingress" : "tc egress";
}

static void show_log(const struct config *cfg)
{
	if (cfg->verbose && *loader_log())
		fprintf(stderr, "%s", loader_log());
}

/* Load, join and attach every hook; an exit status, 0 when counting. */
static int attach_all(struct top *t, unsigned ifindex)
{
	const struct config *cfg = t->cfg;
	char err[512];
	struct loader_flow_opts fo = {.flows = cfg->flows};
	int rc = loader_flow_open(&fo, &t->flow, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "bpfcap: %s\n", err);
		show_log(cfg);
		/* no permission is a usage error, as for a capture */
		return rc == -EPERM || rc == -EACCES ? EXIT_USAGE : EXIT_IO;
	}
	for (int i = 0; i < t->nhooks; i++) {
		int fd = loader_flow_entry(t->flow, t->hooks[i], t->has_expr ? &t->gen[i] : NULL,
					   err, sizeof(err));
		rc = fd;
		if (fd >= 0)
			rc = loader_attach(fd, (int)ifindex, t->hooks[i],
					   (enum loader_xdp_mode)cfg->xdp_mode, &t->links[i], err,
					   sizeof(err));
		if (rc < 0) {
			fprintf(stderr, "bpfcap: %s\n", err);
			show_log(cfg);
			return rc == -EBUSY ? EXIT_USAGE : EXIT_IO;
		}
	}
	show_log(cfg);
	const char *mode = "";
	if (t->hooks[0] == LOADER_HOOK_XDP)
		mode = loader_link_mode(t->links[0]) == LOADER_XDP_NATIVE ? " (native mode)"
		       : cfg->xdp_mode					  ? " (generic mode)"
				       : " (generic mode: the driver has no native XDP)";
	fprintf(stderr, "bpfcap: counting flows on %s at %s%s%s%s\n", cfg->iface, hook_words(t),
		mode, t->has_expr ? ", filter: " : "", t->has_expr ? cfg->expr : "");
	return 0;
}

static int run(struct top *t)
{
	const struct config *cfg = t->cfg;
	int batch = cfg->batch || cfg->json || cfg->ipfix_quiet || !isatty(STDOUT_FILENO);
	struct flow_run_opts ro = {
		.map_fd = loader_flow_map_fd(t->flow),
		.stats_fd = loader_flow_stats_fd(t->flow),
		.max_entries = loader_flow_entries(t->flow),
		.iface = cfg->iface,
		.hook = hook_words(t),
		.filter = t->has_expr ? cfg->expr : "",
		.interval = cfg->interval > 0 ? cfg->interval : 1,
		.idle_ns = (uint64_t)(cfg->idle ? cfg->idle : 30) * 1000000000u,
		.count = cfg->max_packets,
		.batch = batch,
		.json = cfg->json,
		.quiet = cfg->ipfix_quiet,
		.numeric = cfg->numeric,
		.ipfix = t->ipfix,
	};
	int rc = flow_run(&ro);
	return rc == 0 ? 0 : rc == -ENOTTY ? EXIT_USAGE : EXIT_IO;
}

int top_main(const struct config *cfg)
{
	struct top t = {.cfg = cfg};
	char err[512];
	if (!cfg->iface) {
		fprintf(stderr, "bpfcap: --top needs an interface: -i IFACE\n");
		return EXIT_USAGE;
	}
	unsigned ifindex = loader_ifindex(cfg->iface, err, sizeof(err));
	if (!ifindex) {
		fprintf(stderr, "bpfcap: %s\n", err);
		return EXIT_USAGE;
	}
	loader_log_init();
	if (cfg->backend == 0)
		t.hooks[t.nhooks++] = LOADER_HOOK_XDP;
	if (cfg->backend == 1 && cfg->direction != 2)
		t.hooks[t.nhooks++] = LOADER_HOOK_TC_INGRESS;
	if (cfg->backend == 1 && cfg->direction != 1)
		t.hooks[t.nhooks++] = LOADER_HOOK_TC_EGRESS;
	t.has_expr = cfg->expr[strspn(cfg->expr, " \t\r\n")] != '\0';
	int rc = 0;
	for (int i = 0; t.has_expr && i < t.nhooks && !rc; i++)
		if (compile_at(cfg, t.hooks[i], &t.gen[i]) < 0)
			rc = EXIT_USAGE;
	if (!rc && cfg->ipfix && !(t.ipfix = flow_ipfix_open(cfg->ipfix, err, sizeof(err)))) {
		fprintf(stderr, "bpfcap: --ipfix %s: %s\n", cfg->ipfix, err);
		rc = EXIT_USAGE;
	}
	if (!rc)
		rc = attach_all(&t, ifindex);
	if (!rc)
		rc = run(&t);
	for (int i = 0; i < t.nhooks; i++) {
		loader_link_destroy(t.links[i]);
		if (t.has_expr)
			filter_ebpf_release(&t.gen[i]);
	}
	loader_flow_close(t.flow);
	flow_ipfix_close(t.ipfix);
	return rc;
}
