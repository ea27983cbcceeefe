/* compile.c - the compile step every mode shares; see app.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"

/* A context with EXPR compiled, or NULL; RC the result. */
static struct filter_ctx *compile(const struct config *cfg, const char *expr, int dlt,
				  uint32_t snaplen, int flags, int *rc)
{
	struct filter_options o = {.dlt = dlt,
				   .snaplen = snaplen,
				   .no_optimize = cfg->no_optimize,
				   .savefile = cfg->read_file != NULL,
				   .vlan = (flags & APP_LIVE) || cfg->vlan_live ? FILTER_VLAN_LIVE
										: FILTER_VLAN_RAW,
				   .cooked_socket = !!(flags & APP_COOKED_SOCKET)};
	struct filter_ctx *c = filter_ctx_new(&o);
	if (!c) {
		fprintf(stderr, "bpfcap: filter: link type %d is not supported by the compiler\n",
			dlt);
		return NULL;
	}
	*rc = filter_compile(c, expr, strlen(expr));
	return c;
}

static void report(struct filter_ctx *c, const char *expr, int flags)
{
	size_t len = strlen(expr);
	if (!(flags & APP_COOKED_SOCKET)) {
		int caret = isatty(STDERR_FILENO) || len <= 200;
		char *msg = filter_diag_format(filter_ctx_diag(c), expr, len, caret);
		fprintf(stderr, "bpfcap: filter: %s", msg ? msg : "out of memory\n");
		free(msg);
	}
}

int app_compile(const struct config *cfg, const char *expr, int dlt, uint32_t snaplen, int flags,
		struct filter_prog *prog)
{
	int rc;
	struct filter_ctx *c = compile(cfg, expr, dlt, snaplen, flags, &rc);
	if (!c)
		return -1;
	if (rc == 0)
		rc = filter_emit_cbpf(c, prog);
	if (rc < 0)
		report(c, expr, flags);
	filter_ctx_free(c);
	return rc;
}

int app_compile_ebpf(const struct config *cfg, const char *expr, int dlt, uint32_t snaplen,
		     int flags, struct filter_ebpf_prog *prog)
{
	int rc;
	struct filter_ctx *c = compile(cfg, expr, dlt, snaplen, flags, &rc);
	if (!c)
		return -1;
	struct filter_ebpf_opts o = {.hook = (enum filter_hook)cfg->target};
	if (rc == 0)
		rc = filter_emit_ebpf(c, &o, prog);
	if (rc < 0)
		report(c, expr, flags);
	filter_ctx_free(c);
	return rc;
}
