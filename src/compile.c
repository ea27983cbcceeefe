/* compile.c - the compile step every mode shares; see app.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"

int app_compile(const struct config *cfg, const char *expr, int dlt, uint32_t snaplen, int flags,
		struct filter_prog *prog)
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
		return -1;
	}
	size_t len = strlen(expr);
	int rc = filter_compile(c, expr, len);
	if (rc == 0)
		rc = filter_emit_cbpf(c, prog);
	if (rc < 0 && !(flags & APP_COOKED_SOCKET)) {
		int caret = isatty(STDERR_FILENO) || len <= 200;
		char *msg = filter_diag_format(filter_ctx_diag(c), expr, len, caret);
		fprintf(stderr, "bpfcap: filter: %s", msg ? msg : "out of memory\n");
		free(msg);
	}
	filter_ctx_free(c);
	return rc;
}
