/* share_test.c - the classic backend's last passes on hand-made blocks:
 * dead code removal (dce.h) and code sharing (share.h), and what they do to
 * whole programs (shorter, and the same verdicts as without them). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "back/cbpf/dce.h"
#include "helpers.h"
#include "back/cbpf/share.h"
#include "../diff/truncrel.h"

static struct linsn I(uint16_t code, uint32_t k) {
	struct linsn l = {{code, 0, 0, k}, {NOTARGET, NOTARGET}, 0};
	return l;
}

static struct linsn
J(uint16_t code, uint32_t k, uint32_t jt, uint32_t jf) {
	struct linsn l = {{code, 0, 0, k}, {jt, jf}, 1};
	return l;
}

static struct linsn
RET(uint32_t k) {
	return I(BPF_RET | BPF_K, k);
}

/* Blocks from a list: SIZES[b] instructions each. */
static size_t *
firsts(const size_t *sizes, size_t nb)
{
	size_t *f = malloc((nb + 1) * sizeof(*f));
	assert_non_null(f);
	f[0] = 0;
	for (size_t b = 0; b < nb; b++)
		f[b + 1] = f[b] + sizes[b];
	return f;
}

static struct linsn *copy(const struct linsn *c, size_t n)
{
	struct linsn *p = malloc(n * sizeof(*p));
	assert_non_null(p);
	memcpy(p, c, n * sizeof(*p));
	return p;
}

static size_t count(const struct linsn *c, size_t n, uint16_t code)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += c[i].in.code == code;
	return k;
}

static void dce_removes_dead_keeps_faults(void **state)
{
	(void)state;
	struct linsn code[] = {
		/* 0 */ I(BPF_LD | BPF_IMM, 0), I(BPF_ST, 1), /* M[1]: stored before any read */
		I(BPF_ST, 2),				      /* M[2]: read by block 2, kept */
		I(BPF_LD | BPF_H | BPF_ABS, 40),	      /* result unused, but may fault */
		I(BPF_LDX | BPF_IMM, 0), I(BPF_ALU | BPF_DIV | BPF_X, 0), /* may fault */
		I(BPF_ALU | BPF_ADD | BPF_K, 3),			  /* overwritten: dead */
		I(BPF_LD | BPF_H | BPF_ABS, 12), J(BPF_JMP | BPF_JEQ | BPF_K, 0x800, 1, 2),
		/* 1: all dead but the return */
		I(BPF_ST, 1), I(BPF_LD | BPF_MEM, 1), I(BPF_LD | BPF_MEM, 2), RET(262144),
		/* 2 */ I(BPF_LD | BPF_MEM, 2), I(BPF_RET | BPF_A, 0)};
	size_t sizes[] = {9, 4, 2};
	size_t *f = firsts(sizes, 3);
	uint32_t live[3];
	assert_int_equal(dce_run(code, f, 3, live), 15 - 5);
	static const uint16_t kept[] = {BPF_LD | BPF_IMM,	   BPF_ST,
					BPF_LD | BPF_H | BPF_ABS,  BPF_LDX | BPF_IMM,
					BPF_ALU | BPF_DIV | BPF_X, BPF_LD | BPF_H | BPF_ABS,
					BPF_JMP | BPF_JEQ | BPF_K, BPF_RET | BPF_K,
					BPF_LD | BPF_MEM,	   BPF_RET | BPF_A};
	for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
		assert_int_equal(code[i].in.code, kept[i]);
	assert_int_equal(code[1].in.k, 2);
	assert_int_equal(f[1], 7);
	assert_int_equal(f[2], 8);
	assert_int_equal(f[3], 10);
	free(f);
}

/* Share CODE (blocks of SIZES) into *OUT, and check on random IPv4 and IPv6
 * frames that the program decides as it did before. */
static void share_checked(const struct linsn *code, size_t n, const size_t *sizes, size_t nb,
			  struct share_in *out)
{
	*out = (struct share_in){copy(code, n), n, firsts(sizes, nb), nb, 0};
	size_t *f0 = firsts(sizes, nb);
	struct filter_prog before, after;
	assert_int_equal(layout_resolve(code, n, f0, &before), 0);
	assert_int_equal(share_run(out), 0);
	assert_int_equal(layout_resolve(out->code, out->n, out->first, &after), 0);
	assert_int_equal(bpf_validate((const struct bpf_insn *)(void *)after.insns, (int)after.len),
			 1);
	uint8_t pkt[96];
	srand(3);
	for (int t = 0; t < 20000; t++) {
		for (size_t b = 0; b < sizeof(pkt); b++)
			pkt[b] = (uint8_t)(rand() % 4 ? rand() % 4 * 25 : rand());
		pkt[12] = t & 1 ? 0x86 : 0x08, pkt[13] = t & 1 ? 0xdd : 0x00;
		pkt[14] = (uint8_t)(0x45 + t % 5);
		unsigned len = 30 + (unsigned)rand() % 66;
		if (run_prog(&before, pkt, len) != run_prog(&after, pkt, len))
			fail_msg("verdicts differ on packet %d", t);
	}
	filter_prog_release(&before);
	filter_prog_release(&after);
	free(f0);
}

static void share_free(struct share_in *in)
{
	free(in->code);
	free(in->first);
}

/* Root tests the ethertype; block 1 (IPv6) reads the port at 54, block 2
 * (IPv4) at X + 14 after ldxb: block 1 becomes 'ldx #40' before root's jump. */
static void rebase_on_x(void **state)
{
	(void)state;
	const struct linsn code[] = {/* 0 */ I(BPF_LD | BPF_H | BPF_ABS, 12),
				     J(BPF_JMP | BPF_JEQ | BPF_K, 0x86dd, 1, 2),
				     /* 1 */ I(BPF_LD | BPF_H | BPF_ABS, 54),
				     J(BPF_JMP | BPF_JEQ | BPF_K, 25, 3, 4),
				     /* 2 */ I(BPF_LDX | BPF_B | BPF_MSH, 14),
				     I(BPF_LD | BPF_H | BPF_IND, 14),
				     J(BPF_JMP | BPF_JEQ | BPF_K, 25, 3, 4),
				     /* 3 */ RET(262144),
				     /* 4 */ RET(0)};
	size_t sizes[] = {2, 2, 3, 1, 1};
	struct share_in in;
	share_checked(code, 9, sizes, 5, &in);
	assert_int_equal(count(in.code, in.n, BPF_LDX | BPF_IMM), 1);
	assert_int_equal(count(in.code, in.n, BPF_LD | BPF_H | BPF_ABS), 1); /* [12] only */
	struct filter_prog p;
	assert_int_equal(layout_resolve(in.code, in.n, in.first, &p), 0);
	assert_int_equal(p.len, 8); /* 9 - 2 + ldx */
	assert_int_equal(bpf_validate((const struct bpf_insn *)(void *)p.insns, (int)p.len), 1);
	uint8_t pkt[80] = {0};
	pkt[12] = 0x86, pkt[13] = 0xdd, pkt[55] = 25;
	assert_int_equal(run_prog(&p, pkt, sizeof(pkt)), 262144);
	pkt[55] = 26;
	assert_int_equal(run_prog(&p, pkt, sizeof(pkt)), 0);
	pkt[12] = 0x08, pkt[13] = 0, pkt[14] = 0x46, pkt[24 + 15] = 25; /* 24-byte header */
	assert_int_equal(run_prog(&p, pkt, sizeof(pkt)), 262144);
	filter_prog_release(&p);
	share_free(&in);
}

static uint32_t ldx_imm(const struct share_in *in, uint32_t k)
{
	uint32_t n = 0;
	for (size_t i = 0; i < in->n; i++)
		n += in->code[i].in.code == (BPF_LDX | BPF_IMM) && in->code[i].in.k == k;
	return n;
}

/* No sharing where it would be wrong: where the shared code leads reads X
 * (which the rebase changes), or the offsets do not differ by one constant
 * all along (block 1 leads to [56] where block 2 leads to [x + 18]; blocks 3
 * and 4 alone can share, with X = 38). */
static void rebase_refused(void **state)
{
	(void)state;
	const struct linsn x_read[] = {/* 0 */ I(BPF_LD | BPF_H | BPF_ABS, 12),
				       J(BPF_JMP | BPF_JEQ | BPF_K, 0x86dd, 1, 2),
				       /* 1 */ I(BPF_LD | BPF_H | BPF_ABS, 54),
				       J(BPF_JMP | BPF_JEQ | BPF_K, 25, 3, 4),
				       /* 2 */ I(BPF_LDX | BPF_B | BPF_MSH, 14),
				       I(BPF_LD | BPF_H | BPF_IND, 14),
				       J(BPF_JMP | BPF_JEQ | BPF_K, 25, 3, 4),
				       /* 3 */ I(BPF_MISC | BPF_TXA, 0),
				       I(BPF_RET | BPF_A, 0),
				       /* 4 */ RET(0)};
	const struct linsn skewed[] = {/* 0 */ I(BPF_LD | BPF_H | BPF_ABS, 12),
				       J(BPF_JMP | BPF_JEQ | BPF_K, 0x86dd, 1, 2),
				       /* 1 */ I(BPF_LD | BPF_H | BPF_ABS, 54),
				       J(BPF_JMP | BPF_JEQ | BPF_K, 25, 3, 5),
				       /* 2 */ I(BPF_LDX | BPF_B | BPF_MSH, 14),
				       I(BPF_LD | BPF_H | BPF_IND, 14),
				       J(BPF_JMP | BPF_JEQ | BPF_K, 25, 4, 5),
				       /* 3 */ I(BPF_LD | BPF_H | BPF_ABS, 56),
				       J(BPF_JMP | BPF_JEQ | BPF_K, 0, 6, 5),
				       /* 4 */ I(BPF_LD | BPF_H | BPF_IND, 18),
				       J(BPF_JMP | BPF_JEQ | BPF_K, 0, 6, 5),
				       /* 5 */ RET(0),
				       /* 6 */ RET(262144)};
	size_t sx[] = {2, 2, 3, 2, 1}, ss[] = {2, 2, 3, 2, 2, 1, 1};
	struct share_in a, b;
	share_checked(x_read, 10, sx, 5, &a);
	assert_int_equal(a.n, 10);
	share_checked(skewed, 13, ss, 7, &b);
	assert_int_equal(ldx_imm(&b, 40), 0);
	assert_int_equal(ldx_imm(&b, 38), 1);
	share_free(&a);
	share_free(&b);
}

/* Identical blocks become one; a test whose edges meet becomes a jump. */
static void identical_blocks(void **state)
{
	(void)state;
	const struct linsn code[] = {/* 0 */ I(BPF_LD | BPF_H | BPF_ABS, 12),
				     J(BPF_JMP | BPF_JEQ | BPF_K, 0x800, 1, 2),
				     /* 1 */ I(BPF_LD | BPF_B | BPF_ABS, 23),
				     J(BPF_JMP | BPF_JEQ | BPF_K, 6, 3, 4),
				     /* 2 */ I(BPF_LD | BPF_B | BPF_ABS, 23),
				     J(BPF_JMP | BPF_JEQ | BPF_K, 6, 3, 4),
				     /* 3 */ I(BPF_LD | BPF_B | BPF_ABS, 30),
				     J(BPF_JMP | BPF_JGT | BPF_K, 1, 4, 4),
				     /* 4 */ RET(0)};
	size_t sizes[] = {2, 2, 2, 2, 1};
	struct share_in in;
	share_checked(code, 9, sizes, 5, &in);
	assert_int_equal(in.nblocks, 4);
	assert_int_equal(in.n, 7);
	assert_int_equal(count(in.code, in.n, BPF_JMP | BPF_JGT | BPF_K), 0);
	share_free(&in);
}

/* Whole programs: the passes shorten them (libpcap 1.10.3: 20, 23, 51, 24
 * and 27 instructions) and keep every verdict (but the accepts of short
 * packets that opt.h allows, checked as ../diff/truncrel.h does). */
static void programs(void **state)
{
	(void)state;
	static const struct {
		const char *expr;
		size_t max;
	} cases[] = {{"tcp port 25", 17},
		     {"udp src or dst portrange 67-68", 19},
		     {"geneve", 32},
		     /* X set once before the chain of protocol tests */
		     {"port 7", 21},
		     {"portrange 1-1023", 23},
		     /* IPv6's fixed-offset tests jump into IPv4's (X = 40) only
		      * when the IPv6 path is laid out first (cbpf.c tries both
		      * orders); libpcap: 26 and 20 */
		     {"udp and (port 137 or port 138 or port 139)", 22},
		     {"not (tcp and port 80)", 20}};
	static const uint8_t ports[][2] = {{0, 25}, {0, 67},   {0, 68},	  {0x17, 0xc1},
					   {1, 2},  {0, 0x89}, {0, 0x8a}, {0, 0x50}};
	const int nports = (int)(sizeof(ports) / sizeof(ports[0]));
	uint8_t pkt[128];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct filter_prog o, u;
		assert_int_equal(compile_expr(FILTER_DLT_EN10MB, cases[i].expr, 0, &o, NULL), 0);
		assert_int_equal(compile_expr(FILTER_DLT_EN10MB, cases[i].expr, 1, &u, NULL), 0);
		if (o.len > cases[i].max)
			fail_msg("'%s': %zu instructions, expected at most %zu", cases[i].expr,
				 o.len, cases[i].max);
		assert_int_equal(kernel_accepts(&o), 0);
		srand(7);
		for (int t = 0; t < 20000; t++) {
			for (size_t b = 0; b < sizeof(pkt); b++)
				pkt[b] = (uint8_t)rand();
			int v6 = t & 1, hl = v6 ? 40 : 4 * (5 + (t >> 1) % 3);
			pkt[12] = v6 ? 0x86 : 0x08, pkt[13] = v6 ? 0xdd : 0x00;
			pkt[14] = (uint8_t)(0x40 + hl / 4);
			if (!v6)
				pkt[20] = 0x40, pkt[21] = 0;
			pkt[v6 ? 20 : 23] = (t >> 3) & 1 ? 17 : 6;
			for (int side = 0; side < 2; side++)
				memcpy(pkt + 14 + hl + 2 * side, ports[rand() % nports], 2);
			unsigned len = 40 + (unsigned)rand() % 88;
			if (truncrel_check((const struct bpf_insn *)(void *)u.insns,
					   run_prog(&u, pkt, len), run_prog(&o, pkt, len), pkt, len,
					   len, NULL) == TRUNCREL_MISMATCH)
				fail_msg("'%s': verdicts differ on packet %d", cases[i].expr, t);
		}
		filter_prog_release(&o);
		filter_prog_release(&u);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dce_removes_dead_keeps_faults),
		cmocka_unit_test(rebase_on_x),
		cmocka_unit_test(rebase_refused),
		cmocka_unit_test(identical_blocks),
		cmocka_unit_test(programs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
