/*
 * ebpfdiff - the differential kernel test of the eBPF backend.
 *
 *   ebpfdiff [-v] [-s] [-n MAX] [-k KNOWN] LISTFILE... -- CAPTURE...
 *
 * (-s: a STAT line per program: its length and the verifier's work;
 * -k: tests/diff/known-differences.tsv, the expressions where libpcap is
 * wrong and we are not: for them our classic program is the reference, and
 * where libpcap's verdict differs it is counted as a known difference)
 *
 * LISTFILE lines are "DLTNAME<TAB>expression" (tests/diff's format); only
 * EN10MB lines apply (XDP and tc see Ethernet frames).  For each expression
 * libpcap 1.10.3 accepts, and for each frame of each EN10MB CAPTURE:
 *
 *   raw   bpfcap's classic program, run with bpf_filter() on the frame as
 *         the hook sees it (caplen bytes), must give libpcap's unoptimized
 *         program's verdict, or accept a short frame that libpcap's accepts
 *         on every completion tests/diff/truncrel.h tries (bpfcap-filter(7),
 *         short packets; counted as "truncation rule"); bpfcap's XDP and tc
 *         programs, run with BPF_PROG_TEST_RUN, must give exactly the verdict
 *         of the classic program of the same IR, with the IR optimizer and
 *         without it (-O) (tc twice: as generated, and with only
 *         the copy that reads past the linear part with the helper, which
 *         the test run's linear skbs would not reach otherwise);
 *   live  bpfcap's classic --vlan live program, run by a small interpreter
 *         on the frame as a Linux socket sees it (an outer 802.1Q/802.1ad tag
 *         moved into the ancillary data), and the XDP and tc --vlan live
 *         programs on the frame as it is, must agree.
 *
 * Every program bpfcap hands out must load (a verifier rejection fails the
 * run, with the log); an expression a hook refuses is reported with its
 * diagnostic (REFUSED, counted, not a failure: tests/unit/ebpf_test.c checks
 * which refusals are expected).  A list line may carry a third field,
 * "known-live: REASON": its live mismatches are counted and printed as
 * KNOWN, not failures (the raw ones still count).  Prints how many programs were loaded and how
 * many packets compared.  Every frame is also compared as a copy cut short
 * at a pseudo-random length of at least 14 bytes.  Exit 0 pass, 1 mismatch,
 * 2 usage, 77 no bpf().
 */
#include <errno.h>
#include <linux/filter.h>
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "filter/filter.h"
#include "ebpfkern.h"
#include "../diff/truncrel.h"

struct frame {
	uint32_t len;
	uint8_t *data;
};

static struct frame *frames;
static size_t nframes;
static int verbose;
static unsigned long compared, mismatches, refused, skipped_frames, exprs, tc_unrunnable;
static struct truncrel_stats trunc_st; /* classic against libpcap (truncrel.h) */

static unsigned long cut_frames;

static void add_frame(const u_char *d, uint32_t len)
{
	frames = realloc(frames, (nframes + 1) * sizeof(*frames));
	if (!frames)
		exit(2);
	struct frame *f = &frames[nframes++];
	f->len = len;
	f->data = malloc(len);
	if (!f->data)
		exit(2);
	memcpy(f->data, d, len);
}

static void read_capture(const char *path)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(path, err);
	if (!p) {
		fprintf(stderr, "ebpfdiff: %s\n", err);
		exit(2);
	}
	if (pcap_datalink(p) != DLT_EN10MB) {
		pcap_close(p);
		return;
	}
	struct pcap_pkthdr *h;
	const u_char *d;
	while (pcap_next_ex(p, &h, &d) == 1) {
		/* BPF_PROG_TEST_RUN wants at least an Ethernet header, and XDP
		 * frames (without frags) fit in a page */
		if (h->caplen < 14 || h->caplen > 3000) {
			skipped_frames++;
			continue;
		}
		add_frame(d, h->caplen);
		/* and a copy cut short inside it, for the short-packet rule and
		 * the hooks' bounds checks (at least the Ethernet header) */
		uint32_t x = 2654435761u * (uint32_t)nframes;
		x ^= x >> 15;
		if (h->caplen > 15) {
			add_frame(d, 14 + x % (h->caplen - 14));
			cut_frames++;
		}
	}
	pcap_close(p);
}

/* ---- classic BPF with the Linux ancillary VLAN data ------------------- */

struct aux {
	int present;
	uint32_t tci;
};

static int ld(const uint8_t *p, uint32_t n, uint32_t k, int size, uint32_t *v)
{
	if (k > n || size > (int)(n - k))
		return -1;
	*v = 0;
	for (int i = 0; i < size; i++)
		*v = *v << 8 | p[k + i];
	return 0;
}

static uint32_t alu(uint16_t op, uint32_t a, uint32_t b, int *bad)
{
	switch (op) {
	case BPF_ADD: return a + b;
	case BPF_SUB: return a - b;
	case BPF_MUL: return a * b;
	case BPF_DIV: return b ? a / b : (*bad = 1, 0);
	case BPF_MOD: return b ? a % b : (*bad = 1, 0);
	case BPF_AND: return a & b;
	case BPF_OR: return a | b;
	case BPF_XOR: return a ^ b;
	case BPF_LSH: return b < 32 ? a << b : 0;
	case BPF_RSH: return b < 32 ? a >> b : 0;
	case BPF_NEG: return -a;
	}
	*bad = 1;
	return 0;
}

/* 1 accept, 0 reject, -1 an instruction this interpreter does not know. */
static int cbpf_run(const struct filter_prog *fp, const uint8_t *p, uint32_t n,
		    const struct aux *ax)
{
	uint32_t A = 0, X = 0, M[16] = {0}, v;
	for (size_t pc = 0; pc < fp->len; pc++) {
		const struct filter_insn *i = &fp->insns[pc];
		uint16_t c = i->code;
		int bad = 0;
		switch (BPF_CLASS(c)) {
		case BPF_LD:
		case BPF_LDX: {
			int x = BPF_CLASS(c) == BPF_LDX;
			int size = BPF_SIZE(c) == BPF_W ? 4 : BPF_SIZE(c) == BPF_H ? 2 : 1;
			uint32_t *dst = x ? &X : &A;
			switch (BPF_MODE(c)) {
			case BPF_IMM: *dst = i->k; break;
			case BPF_LEN: *dst = n; break;
			case BPF_MEM: *dst = M[i->k & 15]; break;
			case BPF_MSH:
				if (ld(p, n, i->k, 1, &v) < 0)
					return 0;
				X = (v & 0xf) << 2;
				break;
			case BPF_ABS:
				if (i->k >= (uint32_t)SKF_AD_OFF) {
					if (i->k == (uint32_t)SKF_AD_OFF + SKF_AD_VLAN_TAG)
						A = ax->tci;
					else if (i->k ==
						 (uint32_t)SKF_AD_OFF + SKF_AD_VLAN_TAG_PRESENT)
						A = (uint32_t)ax->present;
					else
						return -1;
					break;
				}
				if (ld(p, n, i->k, size, &A) < 0)
					return 0;
				break;
			case BPF_IND:
				if ((uint64_t)X + i->k > 0xffffffffu ||
				    ld(p, n, X + i->k, size, &A) < 0)
					return 0;
				break;
			default: return -1;
			}
			break;
		}
		case BPF_ST: M[i->k & 15] = A; break;
		case BPF_STX: M[i->k & 15] = X; break;
		case BPF_ALU:
			A = alu(BPF_OP(c), A, BPF_SRC(c) == BPF_X ? X : i->k, &bad);
			if (bad)
				return 0;
			break;
		case BPF_JMP: {
			uint32_t b = BPF_SRC(c) == BPF_X ? X : i->k;
			int t;
			switch (BPF_OP(c)) {
			case BPF_JA: pc += i->k; continue;
			case BPF_JEQ: t = A == b; break;
			case BPF_JGT: t = A > b; break;
			case BPF_JGE: t = A >= b; break;
			case BPF_JSET: t = (A & b) != 0; break;
			default: return -1;
			}
			pc += t ? i->jt : i->jf;
			break;
		}
		case BPF_RET: return (BPF_RVAL(c) == BPF_A ? A : i->k) != 0;
		case BPF_MISC:
			if (BPF_MISCOP(c) == BPF_TAX)
				X = A;
			else
				A = X;
			break;
		}
	}
	return 0;
}

static unsigned long bad_refusals;

/* VLAN is the mode, with bit 1 set: without the IR optimizer (-O). */
static int compile(const char *expr, int vlan, struct filter_ctx **ctx)
{
	struct filter_options fo = {.dlt = FILTER_DLT_EN10MB,
				    .vlan = vlan & 1,
				    .no_optimize = vlan >> 1,
				    .netmask = FILTER_NETMASK_UNKNOWN};
	*ctx = filter_ctx_new(&fo);
	if (!*ctx)
		exit(2);
	return filter_compile(*ctx, expr, strlen(expr));
}

static int emit(struct filter_ctx *ctx, enum filter_hook hook, const char *expr, const char *what,
		struct filter_ebpf_prog *ep)
{
	struct filter_ebpf_opts eo = {.hook = hook,
				      .tc_helper_only = strstr(what, "helper") != NULL};
	if (filter_emit_ebpf(ctx, &eo, ep) < 0) {
		const char *msg = filter_ctx_diag(ctx)->message;
		/* what a hook cannot express is refused by design; anything else
		 * (an internal limit, a layout failure) is a failure */
		int by_design = strstr(msg, "cannot be matched at the") != NULL;
		refused++;
		bad_refusals += !by_design;
		if (verbose || !by_design || refused <= 20)
			printf("%s %s '%s': %s\n", by_design ? "REFUSED" : "FAIL-REFUSED", what,
			       expr, msg);
		return -1;
	}
	return ek_load(ep, expr, what);
}

static int known_live;	     /* the current line's live mismatches are a known gap */
static char **libpcap_wrong; /* -k: EN10MB expressions libpcap gets wrong */
static size_t nlibpcap_wrong;
static unsigned long known_libpcap;

static void read_known(const char *path)
{
	FILE *fp = fopen(path, "r");
	if (!fp) {
		perror(path);
		exit(2);
	}
	char line[8192];
	while (fgets(line, sizeof(line), fp)) {
		line[strcspn(line, "\r\n")] = 0;
		/* KIND<TAB>DLT<TAB>expression<TAB>why */
		char *dlt = strchr(line, '\t'), *expr = dlt ? strchr(dlt + 1, '\t') : NULL;
		if (line[0] == '#' || !expr)
			continue;
		*expr++ = 0;
		char *end = strchr(expr, '\t');
		if (end)
			*end = 0;
		if (strcmp(dlt + 1, "EN10MB"))
			continue;
		char **n = realloc(libpcap_wrong, (nlibpcap_wrong + 1) * sizeof(*n));
		if (!n || !(n[nlibpcap_wrong] = strdup(expr))) {
			fprintf(stderr, "ebpfdiff: out of memory\n");
			exit(2);
		}
		libpcap_wrong = n;
		nlibpcap_wrong++;
	}
	fclose(fp);
}

static int is_libpcap_wrong(const char *expr)
{
	for (size_t i = 0; i < nlibpcap_wrong; i++)
		if (!strcmp(libpcap_wrong[i], expr))
			return 1;
	return 0;
}
static unsigned long case_mismatches, known;

static void mismatch(const char *what, const char *expr, size_t fi, int want, int got)
{
	if (known_live && strstr(what, "live")) {
		known++;
		return;
	}
	case_mismatches++;
	mismatches++;
	if (mismatches <= 40)
		printf("MISMATCH %s '%s' frame %zu (%u bytes): reference %d, got %d\n", what, expr,
		       fi, frames[fi].len, want, got);
}

/* The frame as a Linux socket sees it: an outer tag moved to metadata.
 * 0: no such frame (the kernel drops a tagged frame too short to untag). */
static int socket_view(const struct frame *f, uint8_t *buf, uint32_t *n, struct aux *ax)
{
	uint16_t t = (uint16_t)(f->data[12] << 8 | f->data[13]);
	ax->present = 0;
	ax->tci = 0;
	memcpy(buf, f->data, f->len);
	*n = f->len;
	if (t != 0x8100 && t != 0x88a8)
		return 1;
	if (f->len < 20)
		return 0;
	ax->present = 1;
	ax->tci = (uint32_t)(f->data[14] << 8 | f->data[15]);
	memcpy(buf + 12, f->data + 16, f->len - 16);
	*n = f->len - 4;
	return 1;
}

/* The programs one expression is compared as. */
struct target {
	enum filter_hook hook;
	const char *name;
	int fd;
	struct filter_ebpf_prog p;
};

static void targets_load(struct filter_ctx *ctx, const char *expr, int live, struct target *t)
{
	static const char *const names[3][3] = {{"xdp", "tc", "tc-helper"},
						{"xdp-live", "tc-live", "tc-helper-live"},
						{"xdp-O", "tc-O", "tc-helper-O"}};
	for (int k = 0; k < 3; k++) {
		t[k].hook = k ? FILTER_HOOK_TC : FILTER_HOOK_XDP;
		t[k].name = names[live][k];
		t[k].fd = emit(ctx, t[k].hook, expr, t[k].name, &t[k].p);
	}
}

static void targets_run(struct target *t, const char *expr, size_t fi, int want)
{
	for (int k = 0; k < 3; k++) {
		if (t[k].fd < 0)
			continue;
		int v = ek_run(t[k].fd, t[k].hook, frames[fi].data, frames[fi].len);
		if (v == -2) {
			tc_unrunnable++;
			continue;
		}
		if (v != want)
			mismatch(t[k].name, expr, fi, want, v);
		compared++;
	}
}

static void targets_free(struct target *t)
{
	for (int k = 0; k < 3; k++) {
		if (t[k].fd >= 0)
			close(t[k].fd);
		filter_ebpf_release(&t[k].p);
	}
}

static void run_raw(const char *expr)
{
	pcap_t *dead = pcap_open_dead(DLT_EN10MB, 262144);
	struct bpf_program lp;
	if (pcap_compile(dead, &lp, expr, 0, PCAP_NETMASK_UNKNOWN) < 0) {
		pcap_close(dead);
		return; /* libpcap refuses it: nothing to compare with */
	}
	pcap_close(dead);
	exprs++;
	struct filter_ctx *ctx;
	struct filter_prog cp = {0};
	if (compile(expr, FILTER_VLAN_RAW, &ctx) < 0 || filter_emit_cbpf(ctx, &cp) < 0) {
		printf("NOTE bpfcap refuses '%s' (tests/diff covers this)\n", expr);
		filter_ctx_free(ctx);
		pcap_freecode(&lp);
		return;
	}
	struct target t[3], u[3];
	targets_load(ctx, expr, 0, t);
	/* -O: without the IR optimizer.  Its eBPF programs must agree with its
	 * classic program, compiled from the same IR: that may differ from
	 * libpcap where the bound of protochain's walk was halved to fit
	 * (bpfcap-filter(7)), and the classic -O program's agreement with
	 * libpcap is tests/diff's. */
	struct filter_ctx *uctx;
	struct filter_prog ucp = {0};
	if (compile(expr, 2 | FILTER_VLAN_RAW, &uctx) < 0 || filter_emit_cbpf(uctx, &ucp) < 0) {
		printf("FAIL-REFUSED '%s' without the optimizer\n", expr);
		bad_refusals++;
		for (int k = 0; k < 3; k++)
			u[k] = (struct target){.fd = -1};
	} else {
		targets_load(uctx, expr, 2, u);
	}
	filter_ctx_free(uctx);
	struct bpf_program ours = {(u_int)cp.len, (struct bpf_insn *)(void *)cp.insns};
	int wrong = is_libpcap_wrong(expr);
	struct bpf_program uours = {(u_int)ucp.len, (struct bpf_insn *)(void *)ucp.insns};
	for (size_t i = 0; i < nframes; i++) {
		const struct frame *f = &frames[i];
		int want = bpf_filter(lp.bf_insns, f->data, f->len, f->len) != 0;
		int uwant = uours.bf_len ? bpf_filter(uours.bf_insns, f->data, f->len, f->len) != 0
					 : want;
		int c = bpf_filter(ours.bf_insns, f->data, f->len, f->len) != 0;
		if (c != want && wrong)
			known_libpcap++;
		else if (truncrel_check(lp.bf_insns, (unsigned)want, (unsigned)c, f->data, f->len,
					f->len, &trunc_st) == TRUNCREL_MISMATCH)
			mismatch("classic", expr, i, want, c);
		/* the hooks agree with our classic program exactly: the same IR */
		targets_run(t, expr, i, c);
		targets_run(u, expr, i, uwant);
	}
	filter_prog_release(&ucp);
	targets_free(t);
	targets_free(u);
	pcap_freecode(&lp);
	filter_prog_release(&cp);
	filter_ctx_free(ctx);
}

static void run_live(const char *expr)
{
	struct filter_ctx *ctx;
	struct filter_prog cp = {0};
	if (compile(expr, FILTER_VLAN_LIVE, &ctx) < 0 || filter_emit_cbpf(ctx, &cp) < 0) {
		filter_ctx_free(ctx);
		return;
	}
	struct target t[3];
	targets_load(ctx, expr, 1, t);
	static uint8_t buf[4096];
	for (size_t i = 0; i < nframes; i++) {
		uint32_t n;
		struct aux ax;
		if (!socket_view(&frames[i], buf, &n, &ax))
			continue;
		int want = cbpf_run(&cp, buf, n, &ax);
		if (want < 0)
			break; /* ancillary data this test cannot provide */
		targets_run(t, expr, i, want);
	}
	targets_free(t);
	filter_prog_release(&cp);
	filter_ctx_free(ctx);
}

static void run_list(const char *path, unsigned long max)
{
	FILE *fp = fopen(path, "r");
	if (!fp) {
		perror(path);
		exit(2);
	}
	char line[8192];
	unsigned long n = 0;
	while (fgets(line, sizeof(line), fp) && n < max) {
		line[strcspn(line, "\r\n")] = 0;
		char *tab = strchr(line, '\t');
		if (!tab || line[0] == '#')
			continue;
		*tab = 0;
		if (filter_dlt_from_name(line) != FILTER_DLT_EN10MB)
			continue;
		/* an optional third field: "known-live: why" */
		char *why = strchr(tab + 1, '\t');
		if (why)
			*why++ = 0;
		known_live = why && !strncmp(why, "known-live", 10);
		n++;
		case_mismatches = 0;
		run_raw(tab + 1);
		unsigned long before = known;
		run_live(tab + 1);
		if (known > before)
			printf("KNOWN '%s': %lu live verdicts differ (%s)\n", tab + 1,
			       known - before, why);
		if (case_mismatches)
			printf("FAIL '%s': %lu mismatches\n", tab + 1, case_mismatches);
	}
	fclose(fp);
}

int main(int argc, char **argv)
{
	unsigned long max = ~0ul;
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "-v"))
			verbose = 1;
		else if (!strcmp(argv[i], "-s"))
			ek_stats = 1;
		else if (!strcmp(argv[i], "-n") && i + 1 < argc)
			max = strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "-k") && i + 1 < argc)
			read_known(argv[++i]);
	}
	int lists = i;
	while (i < argc && strcmp(argv[i], "--"))
		i++;
	if (i == argc) {
		fprintf(stderr, "usage: ebpfdiff [-v] [-s] [-n MAX] [-k KNOWN] LISTFILE... -- "
				"CAPTURE...\n");
		return 2;
	}
	for (int j = i + 1; j < argc; j++)
		read_capture(argv[j]);
	/* can this process load programs at all? */
	if (ek_probe() < 0) {
		printf("SKIP: cannot load BPF programs here (%s)\n", strerror(errno));
		return 77;
	}
	for (int j = lists; j < i; j++)
		run_list(argv[j], max);
	printf("ebpfdiff: %lu runs of a tc program skipped: the kernel's test run refuses IP "
	       "frames shorter than their network header\n",
	       tc_unrunnable);
	printf("ebpfdiff: truncation rule: %lu classic verdicts accepted by bpfcap only, all "
	       "confirmed on %lu completions\n",
	       trunc_st.trunc, trunc_st.completions);
	printf("ebpfdiff: %lu expressions, %zu frames (%lu of them copies cut short; %lu skipped: "
	       "under 14 or over 3000 "
	       "bytes), %lu programs loaded, %lu verdicts compared, %lu refused, %lu failed "
	       "to load, %lu mismatches, %lu known\n",
	       exprs, nframes, cut_frames, skipped_frames, ek_loaded, compared, refused,
	       ek_load_fail, mismatches, known);
	if (nlibpcap_wrong)
		printf("ebpfdiff: %lu verdicts of libpcap differ on expressions it is known to get "
		       "wrong (tests/diff/known-differences.tsv); ours are the reference there\n",
		       known_libpcap);
	if (ek_max_processed)
		printf("ebpfdiff: most verifier work: %lu insns processed for %s\n",
		       ek_max_processed, ek_max_expr);
	printf("ebpfdiff: %lu XDP programs as the kernel runs them are their -d listing but for "
	       "the two context loads; %lu the verifier shortened (dead code); %lu differ\n",
	       ek_xlated_same, ek_xlated_other, ek_xlated_bad);
	if (bad_refusals)
		printf("ebpfdiff: %lu refusals that are not a hook's limit\n", bad_refusals);
	if (!ek_loaded)
		printf("ebpfdiff: FAIL: no program loaded\n");
	return mismatches || ek_load_fail || bad_refusals || !ek_loaded || ek_xlated_bad ? 1 : 0;
}
