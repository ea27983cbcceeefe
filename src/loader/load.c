/* load.c - libbpf's log and the flow counting skeleton; see loader.h. */
#include <errno.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "loader/loader.h"
#include "loader/loader_priv.h"
#include "xdp/flow.h"
#include "xdp/flow.skel.h"

/* The log is process-wide because libbpf's print hook is: one growing
 * buffer, capped so that a runaway verifier log cannot eat the memory. */
#define LOG_CAP (4u << 20)
static char *log_buf;
static size_t log_len, log_size;

void loader_log_append(const char *s, size_t n)
{
	if (log_len + n + 1 > log_size) {
		size_t want = 2 * (log_len + n + 1);
		if (want > LOG_CAP)
			want = LOG_CAP;
		if (log_len + 1 >= want)
			return;
		char *t = realloc(log_buf, want);
		if (!t)
			return;
		log_buf = t;
		log_size = want;
		if (log_len + n + 1 > log_size)
			n = log_size - log_len - 1;
	}
	memcpy(log_buf + log_len, s, n);
	log_len += n;
	log_buf[log_len] = '\0';
}

static int on_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char line[1024];
	(void)level;
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	if (n > 0)
		loader_log_append(line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
	return 0;
}

void loader_log_init(void)
{
	libbpf_set_print(on_print);
}

const char *loader_log(void)
{
	return log_buf ? log_buf : "";
}

void loader_log_clear(void)
{
	log_len = 0;
	if (log_buf)
		log_buf[0] = '\0';
}

void loader_seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (errlen)
		vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

unsigned loader_ifindex(const char *name, char *err, size_t errlen)
{
	unsigned i = if_nametoindex(name);
	if (!i)
		loader_seterr(err, errlen, "%s: no such interface", name);
	return i;
}

struct loader_flow {
	struct flow_bpf *skel;
	uint32_t entries;
	int gen_fd[4]; /* joined generated programs, by hook */
};

int loader_flow_open(const struct loader_flow_opts *o, struct loader_flow **out, char *err,
		     size_t errlen)
{
	struct loader_flow *f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	for (int i = 0; i < 4; i++)
		f->gen_fd[i] = -1;
	f->entries = o && o->flows ? o->flows : FLOW_DEFAULT_ENTRIES;
	int rc;
	f->skel = flow_bpf__open();
	if (!f->skel) {
		rc = -errno;
		loader_seterr(err, errlen, "cannot open the flow counting program: %s",
			      strerror(-rc));
		goto fail;
	}
	rc = bpf_map__set_max_entries(f->skel->maps.flows, f->entries);
	if (!rc)
		rc = flow_bpf__load(f->skel);
	if (rc == -EPERM || rc == -EACCES) {
		loader_seterr(err, errlen,
			      "not allowed to load BPF programs (%s): run as root, or with "
			      "CAP_BPF, CAP_NET_ADMIN and CAP_PERFMON",
			      strerror(-rc));
		goto fail;
	}
	if (rc) {
		loader_seterr(err, errlen, "the kernel refused the flow counting program (%s)%s",
			      strerror(-rc),
			      rc == -ENOMEM || rc == -E2BIG ? ": try a smaller --flows"
							    : "; -v shows why");
		goto fail;
	}
	*out = f;
	return 0;
fail:
	loader_flow_close(f);
	return rc < 0 ? rc : -EINVAL;
}

void loader_flow_close(struct loader_flow *f)
{
	if (!f)
		return;
	for (int i = 0; i < 4; i++)
		if (f->gen_fd[i] >= 0)
			close(f->gen_fd[i]);
	flow_bpf__destroy(f->skel);
	free(f);
}

const struct bpf_program *loader_flow_prog(const struct loader_flow *f, enum loader_hook hook)
{
	switch (hook) {
	case LOADER_HOOK_XDP: return f->skel->progs.flow_xdp;
	case LOADER_HOOK_TC_INGRESS: return f->skel->progs.flow_tc_ingress;
	case LOADER_HOOK_TC_EGRESS: return f->skel->progs.flow_tc_egress;
	}
	return NULL;
}

int loader_flow_prog_array_fd(const struct loader_flow *f, enum loader_hook hook)
{
	switch (hook) {
	case LOADER_HOOK_XDP: return bpf_map__fd(f->skel->maps.jmp_xdp);
	case LOADER_HOOK_TC_INGRESS: return bpf_map__fd(f->skel->maps.jmp_ingress);
	case LOADER_HOOK_TC_EGRESS: return bpf_map__fd(f->skel->maps.jmp_egress);
	}
	return -EINVAL;
}

int loader_flow_map_fd(const struct loader_flow *f)
{
	return bpf_map__fd(f->skel->maps.flows);
}

int loader_flow_stats_fd(const struct loader_flow *f)
{
	return bpf_map__fd(f->skel->maps.flow_stats);
}

uint32_t loader_flow_entries(const struct loader_flow *f)
{
	return f->entries;
}

int loader_flow_entry(struct loader_flow *f, enum loader_hook hook,
		      const struct filter_ebpf_prog *gen, char *err, size_t errlen)
{
	const struct bpf_program *p = loader_flow_prog(f, hook);
	if (!p)
		return -EINVAL;
	if (!gen)
		return bpf_program__fd(p);
	int fd = loader_join(gen, p, loader_flow_prog_array_fd(f, hook), err, errlen);
	if (fd < 0)
		return fd;
	if (f->gen_fd[hook] >= 0)
		close(f->gen_fd[hook]);
	f->gen_fd[hook] = fd;
	return fd;
}
