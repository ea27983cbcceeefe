/*
 * fuzz_compile.c - libFuzzer target for bpfcap's filter compiler.
 *
 * Input layout:
 *   byte 0   link type: index (mod 8) into dlts[] below
 *   byte 1   options: bit 0 no_optimize, bit 1 --vlan live, bit 2 snaplen 96,
 *            bit 3 netmask 255.255.255.0
 *   rest     the expression, any bytes (NUL included), passed with its length
 *
 * Only the public API (filter.h) is used.  The resolver resolves nothing, so no
 * input reaches DNS or the name databases.  A finding is anything a sanitizer
 * reports, a leak, a timeout, or an abort() below, which each name the broken
 * promise on stderr:
 *   - an accepted expression's program must pass libpcap's bpf_validate(), the
 *     kernel's scratch-memory rule (no M[k] read before a store on some path),
 *     and have 1..FILTER_CBPF_MAX_INSNS instructions;
 *   - emitting twice gives the same program;
 *   - the -d/-dd/-ddd listings exist and have one line per instruction;
 *   - a refusal comes with a diagnostic whose span lies inside the input;
 *   - on Ethernet, the XDP and tc programs exist or are refused with a
 *     diagnostic (a hook's limit, FILTER_ERR_SEMANTIC or _LIMIT), and pass
 *     the checks of the verifier that need no kernel: 1..FILTER_EBPF_MAX_INSNS
 *     instructions, known opcodes, jumps inside the program (backward ones
 *     too: the walk below proves the loops bounded), no unreachable
 *     instruction, no falling off the end, every register written on every
 *     path before it is read; their listings have one line
 *     per instruction; and they obey the verifier's rules that ebpf_rules.c
 *     checks in user space (packet loads inside a window a bounds check
 *     proved on that path, no uninitialised register or stack read, pointer
 *     arithmetic, context fields, helper arguments);
 *   - (raw VLAN mode) the optimized and unoptimized programs of the same
 *     expression return the same value on every test packet, except that
 *     the optimized one may accept a short packet that the unoptimized one
 *     accepts on every completion tests/diff/truncrel.h tries
 *     (bpfcap-filter(7), short packets; counted, and printed at exit), and the two modes
 *     accept and refuse the same expressions, except that the optimizer may
 *     report FILTER_ERR_NEVER alone (then the other program must reject every
 *     test packet; a NEVER before optimizing must be the optimizer's too) and
 *     either may hit FILTER_ERR_LIMIT or FILTER_ERR_NOMEM.
 *
 * Build and run: tests/fuzz/run.sh.  Replay one input: ./fuzz_compile FILE.
 */
#define _DEFAULT_SOURCE /* u_int & co. for <pcap/pcap.h> under -std=c11 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ebpf_rules.h"
#include "filter/filter.h"
#include "../diff/truncrel.h"

_Static_assert(sizeof(struct filter_insn) == sizeof(struct bpf_insn),
	       "struct filter_insn must be laid out as struct bpf_insn");

static const int dlts[8] = {
	FILTER_DLT_EN10MB, FILTER_DLT_LINUX_SLL, FILTER_DLT_LINUX_SLL2, FILTER_DLT_RAW,
	FILTER_DLT_IPV4,   FILTER_DLT_IPV6,	 FILTER_DLT_NULL,	FILTER_DLT_LOOP,
};

/* clang-format off */
/* Ethernet, IPv4 10.0.0.1:1234 -> 10.0.0.2:80, TCP SYN, 4 bytes "GET ". */
static const uint8_t pkt_tcp4[] = {
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x2c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00,
	10, 0, 0, 1, 10, 0, 0, 2,
	0x04, 0xd2, 0x00, 0x50, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
	0x50, 0x02, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00,
	'G', 'E', 'T', ' ',
};

/* Ethernet to 33:33:00:00:00:01, IPv6 fe80::1 -> ff02::1, UDP 53 -> 53, 4 bytes. */
static const uint8_t pkt_udp6[] = {
	0x33, 0x33, 0x00, 0x00, 0x00, 0x01, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0x86, 0xdd,
	0x60, 0x00, 0x00, 0x00, 0x00, 0x0c, 17, 64,
	0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	0x00, 0x35, 0x00, 0x35, 0x00, 0x0c, 0x00, 0x00,
	0xde, 0xad, 0xbe, 0xef,
};

/* Broadcast ARP request: who has 10.0.0.2, tell 10.0.0.1. */
static const uint8_t pkt_arp[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0x08, 0x06,
	0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,
	0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 10, 0, 0, 1,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 10, 0, 0, 2,
};

/* 802.1Q VLAN 100, IPv4 10.0.0.3 -> 10.0.0.4, UDP 123 -> 123. */
static const uint8_t pkt_vlan[] = {
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0x81, 0x00,
	0x00, 0x64, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x1c, 0x00, 0x01, 0x00, 0x00, 0x40, 0x11, 0x00, 0x00,
	10, 0, 0, 3, 10, 0, 0, 4,
	0x00, 0x7b, 0x00, 0x7b, 0x00, 0x08, 0x00, 0x00,
};

static const uint8_t pkt_one[] = { 0xff };

/* An Ethernet header alone, EtherType IPv4. */
static const uint8_t pkt_eth14[] = {
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0x08, 0x00,
};
/* clang-format on */

struct test_pkt {
	const uint8_t *data;
	unsigned int wirelen, buflen;
};

/* The raw-IP entries (data + 14) serve the RAW/IPV4/IPV6 link types. */
static const struct test_pkt pkts[] = {
	{pkt_tcp4, sizeof pkt_tcp4, sizeof pkt_tcp4},
	{pkt_tcp4, sizeof pkt_tcp4, 34}, /* truncated capture */
	{pkt_udp6, sizeof pkt_udp6, sizeof pkt_udp6},
	{pkt_arp, sizeof pkt_arp, sizeof pkt_arp},
	{pkt_vlan, sizeof pkt_vlan, sizeof pkt_vlan},
	{pkt_one, 0, 0},
	{pkt_one, sizeof pkt_one, sizeof pkt_one},
	{pkt_eth14, sizeof pkt_eth14, sizeof pkt_eth14},
	{pkt_tcp4 + 14, sizeof pkt_tcp4 - 14, sizeof pkt_tcp4 - 14},
	{pkt_udp6 + 14, sizeof pkt_udp6 - 14, sizeof pkt_udp6 - 14},
};
#define NPKTS (sizeof pkts / sizeof pkts[0])

static const struct filter_resolver no_names; /* every callback NULL: nothing resolves */

static void finding(const char *what, const struct filter_options *o)
{
	fprintf(stderr, "fuzz_compile: FINDING: %s (dlt %d, no_optimize %d, vlan %d)\n", what,
		o->dlt, o->no_optimize, (int)o->vlan);
	abort();
}

static size_t count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* The kernel's check_load_and_stores(): a read of M[k] must follow a store to
 * M[k] on every path, or the kernel refuses the socket filter. */
static int mem_reads_initialized(const struct filter_prog *p)
{
	uint16_t *valid = malloc(p->len * sizeof *valid);
	uint16_t memvalid = 0;
	int ok = 1;

	if (!valid)
		abort();
	for (size_t i = 0; i < p->len; i++)
		valid[i] = 0xffff;
	for (size_t i = 0; i < p->len && ok; i++) {
		const struct filter_insn *f = &p->insns[i];

		memvalid &= valid[i];
		switch (f->code) {
		case BPF_ST:
		case BPF_STX: memvalid |= 1u << (f->k & 15); break;
		case BPF_LD | BPF_MEM:
		case BPF_LDX | BPF_MEM: ok = (memvalid >> (f->k & 15)) & 1; break;
		case BPF_JMP | BPF_JA:
			valid[i + 1 + f->k] &= memvalid; /* in range: bpf_validate passed */
			memvalid = 0xffff;
			break;
		default:
			if (BPF_CLASS(f->code) == BPF_JMP) {
				valid[i + 1 + f->jt] &= memvalid;
				valid[i + 1 + f->jf] &= memvalid;
				memvalid = 0xffff;
			} else if (BPF_CLASS(f->code) == BPF_RET) {
				memvalid = 0xffff;
			}
		}
	}
	free(valid);
	return ok;
}

static void check_listings(const struct filter_prog *p, const struct filter_options *o)
{
	for (int level = 1; level <= 3; level++) {
		char *s = filter_prog_dump(p, level);
		size_t want = p->len + (level == 3);

		if (!s)
			finding("filter_prog_dump returned NULL", o);
		if (count_lines(s) != want)
			finding("listing does not have one line per instruction", o);
		if (level == 3 && strtoul(s, NULL, 10) != p->len)
			finding("-ddd listing does not start with the instruction count", o);
		free(s);
	}
}

static void check_diag(struct filter_ctx *ctx, const char *expr, size_t len,
		       const struct filter_options *o)
{
	const struct filter_diag *d = filter_ctx_diag(ctx);

	if (!d)
		finding("failure without a diagnostic", o);
	if (d->code == FILTER_OK)
		finding("failure with diagnostic code FILTER_OK", o);
	if (d->begin > d->end || d->end > len) {
		fprintf(stderr,
			"fuzz_compile: span %zu-%zu, expression length %zu, message \"%.256s\"\n",
			d->begin, d->end, len, d->message);
		finding("diagnostic span outside the expression", o);
	}
	if (!memchr(d->message, 0, sizeof d->message))
		finding("diagnostic message not NUL-terminated", o);
	for (int caret = 0; caret <= 1; caret++) {
		char *s = filter_diag_format(d, expr, len, caret);

		if (!s)
			finding("filter_diag_format returned NULL", o);
		free(s);
	}
}

/* ---- eBPF: what the verifier checks without running anything ---------- */

enum {
	EB_ALU = 0x04,
	EB_ALU64 = 0x07,
	EB_LDX = 0x01,
	EB_ST = 0x02,
	EB_STX = 0x03,
	EB_LD = 0x00,
	EB_JMP = 0x05,
	EB_JMP32 = 0x06
};

/* Registers read and written; 0 for an opcode the backend never emits. */
static int eb_use_def(const struct filter_ebpf_insn *i, unsigned *use, unsigned *def)
{
	unsigned cls = i->code & 7, op = i->code & 0xf0, x = i->code & 8;
	unsigned d = 1u << i->dst_reg, s = 1u << i->src_reg;
	*use = *def = 0;
	switch (cls) {
	case EB_ALU:
	case EB_ALU64:
		*def = d;
		*use = (op == 0xb0 ? 0 : d) | (x && op != 0x80 && op != 0xd0 ? s : 0);
		return 1;
	case EB_LDX: *use = s, *def = d; return 1;
	case EB_STX: *use = s | d; return 1;
	case EB_ST: *use = d; return 1;
	case EB_LD: *def = d; return i->code == 0x18;
	case EB_JMP:
	case EB_JMP32:
		if (i->code == 0x85) /* call: arguments r1-r3 at least; r0-r5 change */
			*use = 0xe, *def = 0x3f;
		else if (i->code == 0x95)
			*use = 1;
		else if (op != 0x00)
			*use = d | (x ? s : 0);
		return 1;
	}
	return 0;
}

/* The instructions K may go on to, in NEXT (how many); *BAD: a jump out
 * of the program, *OFF_END: it falls off its end.  Jumps may go backward
 * (the backend's loops; check_rules() has the walk prove them bounded). */
static int eb_next(const struct filter_ebpf_prog *p, size_t k, size_t next[2], int *bad,
		   int *off_end)
{
	const struct filter_ebpf_insn *i = &p->insns[k];
	unsigned cls = i->code & 7;
	int jmp = (cls == EB_JMP || cls == EB_JMP32) && i->code != 0x85 && i->code != 0x95;
	int ends = i->code == 0x05 || i->code == 0x06 || i->code == 0x95, wide = i->code == 0x18;
	long off = i->code == 0x06 ? i->imm : i->off, t = (long)k + 1 + off;
	int nn = 0;
	*bad = *off_end = 0;
	if (jmp && (t < 0 || (size_t)t >= p->len))
		*bad = 1;
	else if (jmp)
		next[nn++] = (size_t)t;
	if (!ends && k + 1 + (size_t)wide >= p->len)
		*off_end = 1;
	else if (!ends)
		next[nn++] = k + 1 + (size_t)wide;
	return nn;
}

/* Registers written on every path into each instruction (INIT) and the
 * instructions some path reaches (SEEN): forward, to a fixpoint. */
static void eb_written(const struct filter_ebpf_prog *p, unsigned *init, unsigned char *seen)
{
	init[0] = 1u << 1 | 1u << 10;
	seen[0] = 1;
	for (int changed = 1; changed;) {
		changed = 0;
		for (size_t k = 0; k < p->len; k += 1 + (p->insns[k].code == 0x18)) {
			const struct filter_ebpf_insn *i = &p->insns[k];
			unsigned use, def;
			size_t next[2];
			int bad, end;
			if (!seen[k])
				continue;
			if (!eb_use_def(i, &use, &def))
				def = 0;
			unsigned out = (init[k] & ~(i->code == 0x85 ? 0x3eu : 0)) | def;
			int nn = eb_next(p, k, next, &bad, &end);
			for (int j = 0; j < nn; j++) {
				unsigned v = seen[next[j]] ? init[next[j]] & out : out;
				if (!seen[next[j]] || v != init[next[j]])
					changed = 1;
				init[next[j]] = v;
				seen[next[j]] = 1;
			}
		}
	}
}

static void check_ebpf(const struct filter_ebpf_prog *p, const struct filter_options *o)
{
	size_t n = p->len;
	if (n < 1 || n > FILTER_EBPF_MAX_INSNS || !p->insns)
		finding("eBPF program length outside 1..FILTER_EBPF_MAX_INSNS", o);
	unsigned *init = calloc(n + 1, sizeof(*init));
	unsigned char *seen = calloc(n + 1, 1);
	if (!init || !seen)
		abort();
	eb_written(p, init, seen);
	size_t lines = 0;
	for (size_t k = 0; k < n; k++) {
		const struct filter_ebpf_insn *i = &p->insns[k];
		unsigned use, def;
		size_t next[2];
		int bad, end;
		lines++;
		if (!eb_use_def(i, &use, &def))
			finding("eBPF opcode the backend does not emit", o);
		if (!seen[k])
			finding("unreachable eBPF instruction", o);
		if (use & ~init[k])
			finding("eBPF register read before it is written on some path", o);
		eb_next(p, k, next, &bad, &end);
		if (bad)
			finding("eBPF jump out of the program", o);
		if (end)
			finding("eBPF program falls off its end", o);
		k += (size_t)(i->code == 0x18);
	}
	char *s = filter_ebpf_dump(p, 1);
	if (!s || count_lines(s) != lines)
		finding("the eBPF listing (-d) has not one line per instruction", o);
	free(s);
	for (int level = 2; level <= 3; level++) {
		s = filter_ebpf_dump(p, level);
		if (!s || count_lines(s) != n + (level == 3))
			finding("the eBPF -dd/-ddd listing has not one line per instruction", o);
		free(s);
	}
	free(init);
	free(seen);
}

/* The walk's budget here: a program the checker cannot decide within it (a
 * long protochain or geneve walk, see ebpf_rules.h) is not judged. */
#define EBPF_FUZZ_BUDGET 50000

/* The verifier's rules that ebpf_rules.c checks in user space. */
static void check_rules(const struct filter_ebpf_prog *p, enum filter_hook hook,
			const struct filter_options *o)
{
	struct ebpf_rules_report r;

	if (ebpf_rules_check_within(p->insns, p->len, hook, p->prog_array_insn, EBPF_FUZZ_BUDGET,
				    &r) == EBPF_RULES_BAD) {
		fprintf(stderr, "fuzz_compile: %s program, %zu insns: %s\n",
			hook == FILTER_HOOK_XDP ? "XDP" : "tc", p->len, r.message);
		finding("the eBPF program breaks a verifier rule (ebpf_rules.c)", o);
	}
}

/* Both hooks; the tail-call and observe variant when the input asked for
 * snaplen 96 (one bit of the options byte, to keep the rate up). */
static void run_ebpf(struct filter_ctx *ctx, const struct filter_options *o)
{
	int acc = o->snaplen == 96;
	for (int h = FILTER_HOOK_XDP; h <= FILTER_HOOK_TC; h++) {
		struct filter_ebpf_opts eo = {.hook = (enum filter_hook)h,
					      .accept = (enum filter_ebpf_accept)acc,
					      .observe = acc};
		struct filter_ebpf_prog p = {0};
		if (filter_emit_ebpf(ctx, &eo, &p) < 0) {
			const struct filter_diag *d = filter_ctx_diag(ctx);
			if (!d || (d->code != FILTER_ERR_SEMANTIC && d->code != FILTER_ERR_LIMIT))
				finding("eBPF refusal with an unexpected code", o);
			return; /* the diagnostic stays: the context is done */
		}
		check_ebpf(&p, o);
		check_rules(&p, (enum filter_hook)h, o);
		if (acc && p.prog_array_insn == SIZE_MAX)
			finding("tail-call program without a program array load", o);
		filter_ebpf_release(&p);
	}
}

/* Compile EXPR with O; on success fill RET[] with the program's result on each
 * test packet, hand the program to *KEEP (NULL: release it) and return
 * FILTER_OK, else return the error class. */
static enum filter_err run_one(const struct filter_options *o, const char *expr, size_t len,
			       unsigned int ret[NPKTS], struct filter_prog *keep)
{
	struct filter_ctx *ctx = filter_ctx_new(o);
	struct filter_prog p = {0}, again = {0};
	enum filter_err err = FILTER_OK;

	if (!ctx)
		finding("filter_ctx_new failed for a supported DLT", o);
	if (filter_compile(ctx, expr, len) < 0 || filter_emit_cbpf(ctx, &p) < 0) {
		check_diag(ctx, expr, len, o);
		err = filter_ctx_diag(ctx)->code;
		filter_ctx_free(ctx);
		return err;
	}
	if (p.len < 1 || p.len > FILTER_CBPF_MAX_INSNS || !p.insns)
		finding("program length outside 1..FILTER_CBPF_MAX_INSNS", o);
	if (!bpf_validate((const struct bpf_insn *)p.insns, (int)p.len))
		finding("bpf_validate() refuses the program", o);
	if (!mem_reads_initialized(&p))
		finding("program reads a scratch memory slot before storing to it", o);
	if (filter_emit_cbpf(ctx, &again) < 0 || again.len != p.len ||
	    memcmp(again.insns, p.insns, p.len * sizeof *p.insns) != 0)
		finding("a second filter_emit_cbpf gives a different program", o);
	filter_prog_release(&again);
	if (o->dlt == FILTER_DLT_EN10MB && len <= 1024)
		run_ebpf(ctx, o);
	filter_ctx_free(ctx); /* the program must outlive its context */
	check_listings(&p, o);
	for (size_t i = 0; i < NPKTS; i++)
		ret[i] = bpf_filter((const struct bpf_insn *)p.insns, pkts[i].data, pkts[i].wirelen,
				    pkts[i].buflen);
	if (keep)
		*keep = p;
	else
		filter_prog_release(&p);
	return FILTER_OK;
}

static int mode_independent(enum filter_err e)
{
	return e == FILTER_ERR_SYNTAX || e == FILTER_ERR_RANGE || e == FILTER_ERR_NAME ||
	       e == FILTER_ERR_SEMANTIC;
}

static struct truncrel_stats trunc_st; /* optimized against unoptimized */

static void trunc_report(void)
{
	fprintf(stderr,
		"fuzz_compile: truncation rule: %lu verdicts accepted by the optimized program "
		"only, all confirmed on %lu completions\n",
		trunc_st.trunc, trunc_st.completions);
}

/* The optimized program's RET on test packet I against the unoptimized
 * program U's UNOPT: the same value, or an accept of a short packet that
 * U accepts on every completion (truncrel.h). */
static int trunc_ok(const struct filter_prog *u, size_t i, unsigned ret, unsigned unopt)
{
	if (ret == unopt)
		return 1;
	if (unopt || !u->insns)
		return 0;
	return truncrel_check((const struct bpf_insn *)u->insns, 0, ret, pkts[i].data,
			      pkts[i].buflen, pkts[i].wirelen, &trunc_st) == TRUNCREL_TRUNC;
}

static void compare_modes(enum filter_err e_opt, const unsigned int *r_opt, enum filter_err e_unopt,
			  const unsigned int *r_unopt, const struct filter_prog *u,
			  const struct filter_options *o)
{
	if (e_opt == FILTER_OK && e_unopt == FILTER_OK) {
		for (size_t i = 0; i < NPKTS; i++)
			if (!trunc_ok(u, i, r_opt[i], r_unopt[i])) {
				fprintf(stderr,
					"fuzz_compile: test packet %zu: optimized %u, "
					"unoptimized "
					"%u\n",
					i, r_opt[i], r_unopt[i]);
				finding("optimized and unoptimized programs disagree", o);
			}
		return;
	}
	/* constant false before optimizing: both compiles must say so */
	if (e_unopt == FILTER_ERR_NEVER && e_opt != FILTER_ERR_NEVER)
		finding("FILTER_ERR_NEVER from the unoptimized compile only", o);
	if (e_opt == FILTER_ERR_NEVER && e_unopt == FILTER_OK) {
		for (size_t i = 0; i < NPKTS; i++)
			if (r_unopt[i] != 0)
				finding("FILTER_ERR_NEVER, but the unoptimized program "
					"accepts a "
					"packet",
					o);
		return;
	}
	if ((e_opt == FILTER_OK && mode_independent(e_unopt)) ||
	    (e_unopt == FILTER_OK && mode_independent(e_opt)) ||
	    (mode_independent(e_opt) && mode_independent(e_unopt) && e_opt != e_unopt))
		finding("optimized and unoptimized compiles disagree on a refusal", o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct filter_options o = {0};
	unsigned int ret[NPKTS], other[NPKTS];
	enum filter_err err, err_other;
	const char *expr;
	size_t len;

	if (size < 2)
		return 0;
	o.dlt = dlts[data[0] % 8];
	o.no_optimize = data[1] & 1;
	o.vlan = (data[1] & 2) ? FILTER_VLAN_LIVE : FILTER_VLAN_RAW;
	o.snaplen = (data[1] & 4) ? 96 : 0;
	o.netmask = (data[1] & 8) ? 0xffffff00u : 0;
	o.resolver = &no_names;
	expr = (const char *)data + 2;
	len = size - 2;

	static int reported;
	if (!reported)
		reported = atexit(trunc_report) == 0;
	struct filter_prog unopt = {0}; /* the reference of the optimized one */
	err = run_one(&o, expr, len, ret, o.no_optimize ? &unopt : NULL);

	/* libpcap's interpreter has no VLAN metadata and returns 0 at the first
	 * ancillary load, so only raw mode gives comparable results. */
	if (o.vlan == FILTER_VLAN_RAW) {
		o.no_optimize = !o.no_optimize;
		err_other = run_one(&o, expr, len, other, o.no_optimize ? &unopt : NULL);
		if (o.no_optimize)
			compare_modes(err, ret, err_other, other, &unopt, &o);
		else
			compare_modes(err_other, other, err, ret, &unopt, &o);
	}
	filter_prog_release(&unopt);

	/* The link-type names, with the expression as the name. */
	if (len < 64) {
		char name[64];
		int dlt;

		memcpy(name, expr, len);
		name[len] = '\0';
		dlt = filter_dlt_from_name(name);
		if (dlt != -1 && !filter_dlt_name(dlt))
			finding("filter_dlt_from_name gives a DLT without a name", &o);
	}
	return 0;
}
