/* ctx.c - the compile driver: context lifecycle, compile, emit. */
#include "ctx.h"

#include <errno.h>
#include <linux/filter.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "back/cbpf/cbpf.h"
#include "back/cbpf/cooked.h"
#include "back/ebpf/ebpf.h"
#include "gen/gen.h"
#include "gen/link.h"
#include "gen/tunnel.h"
#include "ir/opt.h"
#include "front/parse.h"

enum { ARENA_LIMIT = 512u << 20, DEFAULT_SNAPLEN = 262144, WALK_MAX_CONVERTED = 9000 };

struct filter_ctx *filter_ctx_new(const struct filter_options *opts)
{
	if (!opts || !link_find(opts->dlt)) {
		errno = EINVAL;
		return NULL;
	}
	struct filter_ctx *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->opts = *opts;
	if (!c->opts.snaplen)
		c->opts.snaplen = DEFAULT_SNAPLEN;
	arena_init(&c->arena, ARENA_LIMIT);
	return c;
}

void filter_ctx_free(struct filter_ctx *c)
{
	if (!c)
		return;
	arena_release(&c->arena);
	free(c);
}

const struct filter_diag *filter_ctx_diag(const struct filter_ctx *c)
{
	return c && c->diag.set ? &c->diag.d : NULL;
}

static int compile_once(struct filter_ctx *c, const char *expr, size_t len)
{
	arena_release(&c->arena);
	arena_init(&c->arena, ARENA_LIMIT);
	diag_clear(&c->diag);
	c->compiled = 0;
	if (ir_init(&c->ir, &c->arena, c->opts.snaplen) < 0)
		return diag_set(&c->diag, FILTER_ERR_NOMEM, 0, len, "out of memory");
	int empty = 0;
	struct ast *root = parse_expr_string(&c->arena, &c->diag, expr ? expr : "", len, &empty);
	if (!root && !empty)
		return -1;
	if (gen_program(&c->ir, &c->diag, &c->opts, root, empty, &c->walks) < 0)
		return -1;
	/* constant false already: refused with or without the optimizer */
	if (c->ir.root == c->ir.reject && !empty)
		return diag_set(&c->diag, FILTER_ERR_NEVER, 0, len,
				"this expression can never match a packet on link type %s",
				filter_dlt_name(c->opts.dlt));
	if (!c->opts.no_optimize) {
		if (opt_run(&c->ir) < 0)
			return diag_set(&c->diag, FILTER_ERR_NOMEM, 0, len, "out of memory");
		if (c->ir.root == c->ir.reject && !empty)
			return diag_set(&c->diag, FILTER_ERR_NEVER, 0, len,
					"this expression can never match a packet");
	}
	c->compiled = 1;
	return 0;
}

/* The kernel runs a socket filter as the eBPF program it converts it to,
 * and charges that to the socket's optmem (128 KiB by default on Linux 6.x,
 * about 16,000 eBPF instructions).  A packet load becomes about a dozen
 * instructions (a bounds check and a helper call), a two-way jump two. */
static int converted_fits(const struct filter_prog *p)
{
	size_t n = 0;
	for (size_t i = 0; i < p->len; i++) {
		uint16_t c = p->insns[i].code;
		int mode = c & 0xe0, cls = c & 0x07;
		n += cls == BPF_LD && (mode == BPF_ABS || mode == BPF_IND) ? 12
		     : cls == BPF_JMP && p->insns[i].jt && p->insns[i].jf  ? 2
									   : 1;
	}
	return n <= WALK_MAX_CONVERTED;
}

int filter_compile(struct filter_ctx *c, const char *expr, size_t len)
{
	return compile_once(c, expr, len);
}

/* protochain's walks are unrolled to a fixed bound (PROTOCHAIN_STEPS_V6/_V4,
 * see bpfcap-filter(7)): a program that passes the kernel's limits with it
 * is refused with a message that names the bound, never cut shorter. */
static int walk_too_long(struct filter_ctx *c, const char *what)
{
	diag_clear(&c->diag);
	return diag_set(&c->diag, FILTER_ERR_LIMIT, 0, 0,
			"the compiled program passes %s with protochain's header walk of "
			"%d IPv6 (%d IPv4) headers, a fixed bound; use fewer protochain terms",
			what, PROTOCHAIN_STEPS_V6, PROTOCHAIN_STEPS_V4);
}

int filter_emit_cbpf(struct filter_ctx *c, struct filter_prog *out)
{
	if (!c->compiled)
		return diag_set(&c->diag, FILTER_ERR_SEMANTIC, 0, 0, "nothing compiled");
	struct cbpf_opts o = {
		.optimize = !c->opts.no_optimize,
		.min_abs = c->opts.cooked_socket ? cooked_header_len(c->opts.dlt) : 0,
	};
	if (cbpf_emit(&c->ir, &o, &c->diag, out) < 0) {
		if (c->walks.steps_v6 && c->diag.set && c->diag.d.code == FILTER_ERR_LIMIT)
			walk_too_long(c, "the kernel's 4096 instructions");
		return -1;
	}
	if (c->walks.steps_v6 && !converted_fits(out)) {
		filter_prog_release(out);
		return walk_too_long(c, "the kernel's socket filter memory (128 KiB)");
	}
	if (c->opts.cooked_socket && cooked_rewrite(out, c->opts.dlt) < 0) {
		filter_prog_release(out);
		return diag_set(&c->diag, FILTER_ERR_SEMANTIC, 0, 0,
				"the expression reads a part of the cooked header (the link-layer "
				"address) that a cooked socket does not provide");
	}
	return 0;
}

/* eBPF for XDP and tc: only Ethernet frames reach those hooks on the
 * devices bpfcap attaches to, so other link types are refused. */
int filter_emit_ebpf(struct filter_ctx *c, const struct filter_ebpf_opts *o,
		     struct filter_ebpf_prog *out)
{
	memset(out, 0, sizeof(*out));
	out->prog_array_insn = SIZE_MAX;
	if (!c->compiled)
		return diag_set(&c->diag, FILTER_ERR_SEMANTIC, 0, 0, "nothing compiled");
	if (!o || (o->hook != FILTER_HOOK_XDP && o->hook != FILTER_HOOK_TC))
		return diag_set(&c->diag, FILTER_ERR_SEMANTIC, 0, 0, "unknown eBPF hook");
	if (c->opts.dlt != FILTER_DLT_EN10MB)
		return diag_set(&c->diag, FILTER_ERR_SEMANTIC, 0, 0,
				"the %s hook sees Ethernet frames; link type %s has no meaning "
				"there (use -y EN10MB, or --target socket)",
				o->hook == FILTER_HOOK_XDP ? "XDP" : "tc",
				filter_dlt_name(c->opts.dlt));
	struct ebpf_opts eo = {
		.hook = o->hook,
		.accept = o->accept,
		.observe = o->observe,
		.tc_helper_only = o->tc_helper_only,
		.vlan_live = c->opts.vlan == FILTER_VLAN_LIVE,
		.optimize = !c->opts.no_optimize,
	};
	return ebpf_emit(&c->ir, &eo, &c->diag, out);
}

void filter_ebpf_release(struct filter_ebpf_prog *p)
{
	if (!p)
		return;
	free(p->insns);
	p->insns = NULL;
	p->len = 0;
}
