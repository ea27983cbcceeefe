/*
 * ebpf_xcheck.c - the kernel's verifier against tests/fuzz/ebpf_rules.c:
 * programs are checked by both and the verdicts compared.  Needs root.
 *
 *   ebpf_xcheck [-e LIST]... [-M MUTANTS] [-m OBJ.o] [-n MUTANTS] [-s SEED] [-v]
 *
 * -e LIST: the expressions of LIST (lines "DLT<TAB>expression", EN10MB ones
 * used, '#' lines skipped) compiled by filter_emit_ebpf() for XDP and for tc;
 * -M: that many variants of them with one instruction changed (below).
 * -m OBJ.o: the programs of a BPF object (bench/xdp/filters.bpf.o) as they
 * are, and MUTANTS variants of them with one instruction changed (an offset,
 * an immediate, a register, an opcode, or a jump turned into a fall-through):
 * many of these the kernel refuses, which is the point.
 *
 * Prints the agreement table (checker OK / BAD / UNDECIDED against kernel
 * accepts / refuses) and every disagreement: checker OK where the kernel
 * refuses (the checker misses a rule) or BAD where the kernel accepts (the
 * checker is stricter than the kernel; not when the kernel never reaches the
 * instruction the checker names: it accepts the program with an invalid
 * opcode there).  Exit 0 when no disagreement, 1 with
 * one, 2 on a usage or set-up error, 77 when not root.
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/bpf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ebpf_rules.h"
#include "filter/filter.h"

/* Programs from the compiler, kept for their mutants. */
struct kept {
	struct bpf_insn *p;
	size_t len;
	enum filter_hook hook;
	char *expr;
};

static struct kept keep[4096];
static size_t nkeep;

struct tally {
	size_t n[3][2]; /* [checker verdict][kernel accepted] */
	size_t shown, bad;
	size_t stricter; /* BAD by a rule beyond the kernel's, kernel accepts */
	size_t dead;	 /* BAD at an instruction the kernel proves unreachable */
	int verbose;
	size_t generated; /* programs from the compiler */
	size_t refused;	  /* expressions the compiler refused for a hook */
};

static char vlog[1 << 20];

static int kernel_accepts(const struct bpf_insn *p, size_t len, enum filter_hook hook)
{
	LIBBPF_OPTS(bpf_prog_load_opts, o, .log_buf = vlog, .log_size = sizeof vlog,
		    .log_level = 1);
	enum bpf_prog_type t =
		hook == FILTER_HOOK_XDP ? BPF_PROG_TYPE_XDP : BPF_PROG_TYPE_SCHED_CLS;
	int fd;

	vlog[0] = '\0';
	fd = bpf_prog_load(t, "xcheck", "GPL", p, len, &o);
	if (fd < 0 && errno == ENOSPC) { /* log too small: load again without it */
		LIBBPF_OPTS(bpf_prog_load_opts, q);
		fd = bpf_prog_load(t, "xcheck", "GPL", p, len, &q);
	}
	if (fd >= 0)
		close(fd);
	return fd >= 0;
}

static const char *log_tail(void)
{
	size_t n = strlen(vlog);
	const char *t = n > 400 ? vlog + n - 400 : vlog;

	return t;
}

/* Whether the kernel never reaches instruction AT of P: it still accepts
 * the program with 'r10 = 0' there (the verifier checks only what it
 * walks, and proves some branches never taken; opcodes it checks for all). */
static int kernel_skips(const struct bpf_insn *p, size_t len, enum filter_hook hook, size_t at)
{
	struct bpf_insn *q = malloc(len * sizeof *q);
	int skips;

	if (!q || at >= len) {
		free(q);
		return 0;
	}
	memcpy(q, p, len * sizeof *q);
	q[at] = (struct bpf_insn){.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 10};
	skips = kernel_accepts(q, len, hook);
	free(q);
	return skips;
}

/* Check one program both ways and count it; WHAT names it. */
static void judge(struct tally *t, const struct bpf_insn *p, size_t len, enum filter_hook hook,
		  size_t prog_array, const char *what)
{
	struct ebpf_rules_report r;
	enum ebpf_rules_verdict v =
		ebpf_rules_check((const struct filter_ebpf_insn *)p, len, hook, prog_array, &r);
	int k = kernel_accepts(p, len, hook);
	int dead =
		v == EBPF_RULES_BAD && k && !r.beyond_kernel && kernel_skips(p, len, hook, r.insn);
	int disagree = (v == EBPF_RULES_OK && !k) ||
		       (v == EBPF_RULES_BAD && k && !r.beyond_kernel && !dead);

	t->n[v][k]++;
	t->stricter += v == EBPF_RULES_BAD && k && r.beyond_kernel;
	t->dead += dead;
	if (!disagree && !t->verbose)
		return;
	if (disagree)
		t->bad++;
	if (disagree && t->shown++ >= 20)
		return;
	printf("%s %s (%s, %zu insns): checker %s%s%s, kernel %s\n",
	       disagree ? "DISAGREE" : "agree", what, hook == FILTER_HOOK_XDP ? "xdp" : "tc", len,
	       v == EBPF_RULES_OK    ? "OK"
	       : v == EBPF_RULES_BAD ? "BAD"
				     : "UNDECIDED",
	       v != EBPF_RULES_OK ? ": " : "", v != EBPF_RULES_OK ? r.message : "",
	       k ? "accepts" : "refuses");
	if (disagree && !k)
		printf("  verifier log ends:\n%s\n", log_tail());
}

/* ---- programs from the compiler ----------------------------------------- */

static void one_expr(struct tally *t, const char *expr, enum filter_hook hook)
{
	struct filter_options o = {.dlt = FILTER_DLT_EN10MB, .vlan = FILTER_VLAN_RAW};
	struct filter_ebpf_opts eo = {.hook = hook, .accept = FILTER_EBPF_VERDICT};
	struct filter_ebpf_prog prog = {0};
	struct filter_ctx *ctx = filter_ctx_new(&o);

	if (!ctx || filter_compile(ctx, expr, strlen(expr)) < 0 ||
	    filter_emit_ebpf(ctx, &eo, &prog) < 0) {
		t->refused++;
		filter_ctx_free(ctx);
		return;
	}
	filter_ctx_free(ctx);
	t->generated++;
	judge(t, (const struct bpf_insn *)prog.insns, prog.len, hook, prog.prog_array_insn, expr);
	if (nkeep < sizeof keep / sizeof keep[0] && prog.prog_array_insn == SIZE_MAX) {
		keep[nkeep] =
			(struct kept){(struct bpf_insn *)prog.insns, prog.len, hook, strdup(expr)};
		if (keep[nkeep].expr) {
			nkeep++;
			prog.insns = NULL;
		}
	}
	filter_ebpf_release(&prog);
}

static int from_list(struct tally *t, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[8192];

	if (!f) {
		fprintf(stderr, "ebpf_xcheck: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof line, f)) {
		char *tab = strchr(line, '\t');

		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || !tab || strncmp(line, "EN10MB\t", 7) != 0)
			continue;
		one_expr(t, tab + 1, FILTER_HOOK_XDP);
		one_expr(t, tab + 1, FILTER_HOOK_TC);
	}
	fclose(f);
	return 0;
}

/* ---- mutants of a BPF object's programs ----------------------------------- */

static uint64_t rng;

static uint32_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 11);
}

/* One change to one instruction of P. */
static void mutate(struct bpf_insn *p, size_t len, char *what, size_t wlen)
{
	size_t at = next_rand() % len;
	struct bpf_insn *i = &p[at], was = *i;
	uint8_t cls = BPF_CLASS(i->code);
	int delta = (int)(next_rand() % 9) - 4;

	switch (next_rand() % 6) {
	case 0: i->off = (int16_t)(i->off + (delta ? delta : 1)); break;
	case 1: i->imm += delta ? delta * 8 : 1; break;
	case 2: i->src_reg = (uint8_t)(next_rand() % 11); break;
	case 3: i->dst_reg = (uint8_t)(next_rand() % 10); break;
	case 4: /* drop a conditional jump: the bounds check it may be */
		if ((cls == BPF_JMP || cls == BPF_JMP32) && BPF_OP(i->code) != BPF_CALL &&
		    BPF_OP(i->code) != BPF_EXIT && BPF_OP(i->code) != BPF_JA) {
			i->code = BPF_JMP | BPF_JA;
			i->off = 0;
			i->dst_reg = i->src_reg = 0;
			i->imm = 0;
		}
		break;
	default: i->code ^= (uint8_t)(1u << (next_rand() % 8)); break;
	}
	snprintf(what, wlen,
		 "insn %zu changed (code %#x r%u r%u off %d imm %d -> %#x r%u r%u off %d imm %d)",
		 at, was.code, was.dst_reg, was.src_reg, was.off, was.imm, i->code, i->dst_reg,
		 i->src_reg, i->off, i->imm);
}

/* MUTANTS variants of the compiler's programs, one instruction changed. */
static void compiler_mutants(struct tally *t, int mutants)
{
	for (int m = 0; m < mutants && nkeep; m++) {
		const struct kept *k = &keep[next_rand() % nkeep];
		struct bpf_insn *p = malloc(k->len * sizeof *p);
		char what[512], change[160];

		if (!p)
			abort();
		memcpy(p, k->p, k->len * sizeof *p);
		mutate(p, k->len, change, sizeof change);
		snprintf(what, sizeof what, "'%.300s' %s", k->expr, change);
		judge(t, p, k->len, k->hook, SIZE_MAX, what);
		free(p);
	}
}

static int from_object(struct tally *t, const char *path, int mutants)
{
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	struct bpf_program *prog;
	size_t nprogs = 0;

	if (!obj || libbpf_get_error(obj)) {
		fprintf(stderr, "ebpf_xcheck: cannot open %s\n", path);
		return -1;
	}
	bpf_object__for_each_program(prog, obj) nprogs++;
	for (int m = -1; m < mutants; m++) {
		size_t want = m < 0 ? 0 : next_rand() % nprogs, k = 0;
		bpf_object__for_each_program(prog, obj)
		{
			if (m >= 0 && k++ != want)
				continue;
			size_t len = bpf_program__insn_cnt(prog);
			struct bpf_insn *p = malloc(len * sizeof *p);
			char what[256], change[64] = "as built";

			if (!p)
				abort();
			memcpy(p, bpf_program__insns(prog), len * sizeof *p);
			if (m >= 0)
				mutate(p, len, change, sizeof change);
			snprintf(what, sizeof what, "%s %s", bpf_program__name(prog), change);
			judge(t, p, len, FILTER_HOOK_XDP, SIZE_MAX, what);
			free(p);
		}
	}
	bpf_object__close(obj);
	return 0;
}

int main(int argc, char **argv)
{
	struct tally t = {0};
	int c, mutants = 300, cmutants = 0;
	const char *obj = NULL;

	rng = 0x9e3779b97f4a7c15ull;
	if (geteuid() != 0) {
		printf("SKIP: ebpf_xcheck loads programs into the kernel: needs root\n");
		return 77;
	}
	libbpf_set_print(NULL);
	while ((c = getopt(argc, argv, "e:m:n:M:s:v")) != -1) {
		if (c == 'e' && from_list(&t, optarg) < 0)
			return 2;
		else if (c == 'm')
			obj = optarg;
		else if (c == 'n')
			mutants = atoi(optarg);
		else if (c == 'M')
			cmutants = atoi(optarg);
		else if (c == 's')
			rng = strtoull(optarg, NULL, 0) | 1;
		else if (c == 'v')
			t.verbose = 1;
		else if (c != 'e')
			return 2;
	}
	compiler_mutants(&t, cmutants);
	if (obj && from_object(&t, obj, mutants) < 0)
		return 2;
	for (size_t k = 0; k < nkeep; k++)
		free(keep[k].p), free(keep[k].expr);
	printf("compiler: %zu programs generated, %zu (expression, hook) pairs refused\n",
	       t.generated, t.refused);
	printf("                 kernel accepts  kernel refuses\n");
	printf("checker OK        %14zu  %14zu\n", t.n[0][1], t.n[0][0]);
	printf("checker BAD       %14zu  %14zu\n", t.n[1][1], t.n[1][0]);
	printf("checker UNDECIDED %14zu  %14zu\n", t.n[2][1], t.n[2][0]);
	printf("%zu disagreements (%zu more BAD by the checker's own rule on uninitialised "
	       "stack, which the kernel does not hold root to; %zu BAD at an instruction the "
	       "kernel proves unreachable and never checks)\n",
	       t.bad, t.stricter, t.dead);
	return t.bad ? 1 : 0;
}
