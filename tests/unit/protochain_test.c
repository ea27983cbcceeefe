/* protochain_test.c - protochain fits the kernel, alone and combined, shares
 * its walk between terms, agrees with libpcap on crafted IPv6 and IPv4
 * header chains (cut to every length), keeps one fixed bound, and names it when the
 * program does not fit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "gen/tunnel.h"
#include "helpers.h"

static const char *const combos[] = {
	"ip6 protochain 6",
	"ip protochain 6",
	"protochain 17",
	"ip6 protochain 44",
	"ip6 protochain 0",
	"protochain 51",
	"not ip6 protochain 6",
	"ip6 protochain 6 or ip6 protochain 17",
	"ip6 protochain 6 and ip6 protochain 17",
	"protochain 6 or protochain 17",
	"not protochain 6 and not protochain 17",
	"protochain 6 or protochain 17 or protochain 58",
	"ip6 protochain 44 or ip6 protochain 0 or ip6 protochain 60",
	"protochain 44 or protochain 0 or protochain 51",
	"tcp port 80 or ip6 protochain 17",
	"(tcp and protochain 6) or (udp and protochain 17) or (icmp and protochain 58)",
	"port 53 and (protochain 17 or protochain 6)",
	"vlan and ip6 protochain 6 or ip6 protochain 17",
};

static void fits(const char *expr)
{
	for (int no_opt = 0; no_opt < 2; no_opt++) {
		struct filter_prog p;
		struct filter_diag d;
		if (compile_expr(FILTER_DLT_EN10MB, expr, no_opt, &p, &d) < 0)
			fail_msg("'%s' (no_opt %d): %s", expr, no_opt, d.message);
		assert_true(p.len <= FILTER_CBPF_MAX_INSNS);
		int err = kernel_accepts(&p);
		if (err)
			fail_msg("'%s' (no_opt %d, %zu insns): kernel: %s", expr, no_opt, p.len,
				 strerror(err));
		filter_prog_release(&p);
	}
}

/* Every combination compiles both ways, within the limit, and the kernel
 * takes it: the list above, and every two and three of a set of terms (both
 * families, one family, protocols the walk steps over) joined by or, and,
 * and not, some beside other tests. */
static void combos_fit(void **state)
{
	static const char *const terms[] = {"protochain 6",	"ip6 protochain 17",
					    "ip protochain 51", "protochain 44",
					    "ip6 protochain 0", "protochain 58"};
	static const char *const ops[] = {" or ", " and ", " and not "};
	static const char *const beside[] = {"", "tcp port 80 or ", "not udp and ", "vlan and "};
	const size_t nt = sizeof(terms) / sizeof(terms[0]);
	char e[256];
	(void)state;
	for (size_t i = 0; i < sizeof(combos) / sizeof(combos[0]); i++)
		fits(combos[i]);
	for (size_t a = 0; a < nt; a++)
		for (size_t b = a + 1; b < nt; b++)
			for (size_t o = 0; o < 3; o++) {
				snprintf(e, sizeof(e), "%s%s%s", terms[a], ops[o], terms[b]);
				fits(e);
				for (size_t c = b + 1; c < nt; c++) {
					snprintf(e, sizeof(e), "%s(%s%s%s%s%s)",
						 beside[(a + b + c + o) % 4], terms[a], ops[o],
						 terms[b], ops[(o + c) % 3], terms[c]);
					fits(e);
				}
			}
}

static size_t length_of(const char *expr)
{
	struct filter_prog p;
	struct filter_diag d;
	if (compile_expr(FILTER_DLT_EN10MB, expr, 0, &p, &d) < 0)
		fail_msg("'%s': %s", expr, d.message);
	size_t n = p.len;
	filter_prog_release(&p);
	return n;
}

/* Terms of one family share one walk: three cost about what one does. */
static void walk_shared(void **state)
{
	(void)state;
	size_t one = length_of("ip6 protochain 6");
	size_t three = length_of("ip6 protochain 6 or ip6 protochain 17 or ip6 protochain 58");
	assert_true(three < one + 16);
	assert_true(length_of("ip6 protochain 6 and not ip6 protochain 17") < one + 16);
}

/* Ethernet + IPv6 (or IPv4) + N extension headers (HBH, then routing,
 * fragment, dest-opts in turn; AH over IPv4) + an 8-byte UDP header.
 * Returns the length.  (libpcap 1.10 steps over an AH header wrongly: it
 * sets the offset to the AH's length instead of adding it, so AH chains
 * are compared only with bpfcap's own reading, in the man page.) */
static unsigned chain_packet(uint8_t *b, int v6, int n, uint8_t last)
{
	static const uint8_t kinds6[] = {43, 44, 60, 0};
	unsigned o = 14;
	memset(b, 0, 2048);
	b[12] = v6 ? 0x86 : 0x08;
	b[13] = v6 ? 0xdd : 0x00;
	uint8_t *nh;
	if (v6) {
		b[o] = 0x60;
		nh = &b[o + 6];
		o += 40;
	} else {
		b[o] = 0x45;
		nh = &b[o + 9];
		o += 20;
	}
	for (int i = 0; i < n; i++) {
		uint8_t kind = v6 ? (i == 0 ? 0 : kinds6[(i - 1) % 4]) : 51;
		*nh = kind;
		nh = &b[o];
		if (kind == 51) { /* AH: (len + 2) * 4 bytes; 16 */
			b[o + 1] = 2;
			o += 16;
		} else if (kind == 44) { /* fragment: 8 bytes, first fragment */
			o += 8;
		} else { /* (len + 1) * 8 bytes; 16 */
			b[o + 1] = 1;
			o += 16;
		}
	}
	*nh = last;
	return o + 8;
}

static void agree(const char *expr, const uint8_t *pkt, unsigned len)
{
	struct filter_prog ours[2];
	struct bpf_program ref;
	pcap_t *p = pcap_open_dead(DLT_EN10MB, 262144);
	assert_non_null(p);
	assert_int_equal(pcap_compile(p, &ref, expr, 0, PCAP_NETMASK_UNKNOWN), 0);
	for (int no_opt = 0; no_opt < 2; no_opt++)
		assert_int_equal(compile_expr(FILTER_DLT_EN10MB, expr, no_opt, &ours[no_opt], NULL),
				 0);
	for (unsigned cut = 0; cut <= len; cut++) {
		unsigned want = bpf_filter(ref.bf_insns, pkt, len, cut) != 0;
		for (int no_opt = 0; no_opt < 2; no_opt++)
			if ((bpf_filter((const struct bpf_insn *)(const void *)ours[no_opt].insns,
					pkt, len, cut) != 0) != want)
				fail_msg("'%s' (no_opt %d): packet of %u bytes cut to %u: libpcap "
					 "%u",
					 expr, no_opt, len, cut, want);
	}
	for (int no_opt = 0; no_opt < 2; no_opt++)
		filter_prog_release(&ours[no_opt]);
	pcap_freecode(&ref);
	pcap_close(p);
}

/* Chains of 0 to 20 headers ending in UDP, TCP or "no next header", against
 * single and combined terms, at every truncation. */
static void chains_agree(void **state)
{
	static const char *const exprs[] = {
		"ip6 protochain 17",
		"protochain 6 or protochain 17",
		"ip6 protochain 44 or ip6 protochain 6",
		"not protochain 17 and not protochain 6",
		"udp or ip6 protochain 17",
		"ip protochain 51 or ip protochain 17",
		"(tcp and protochain 6) or (udp and protochain 17) or (icmp and protochain 58)",
	};
	static const int lens[] = {0, 1, 2, 3, 5, 8, 13, 20};
	static const uint8_t lasts[] = {17, 6, 59};
	uint8_t *pkt = malloc(2048);
	assert_non_null(pkt);
	(void)state;
	for (size_t e = 0; e < sizeof(exprs) / sizeof(exprs[0]); e++)
		for (int v6 = 0; v6 < 2; v6++)
			for (size_t l = 0; l < (v6 ? sizeof(lens) / sizeof(lens[0]) : 1); l++)
				for (size_t t = 0; t < sizeof(lasts); t++)
					agree(exprs[e], pkt,
					      chain_packet(pkt, v6, lens[l], lasts[t]));
	free(pkt);
}

/* The bound is fixed: a chain of exactly PROTOCHAIN_STEPS_V6 headers
 * matches, alone and in the largest combinations, optimized or not (as in
 * libpcap); one of more headers matches in libpcap only, for every
 * expression alike. */
static void bound_fixed(void **state)
{
	static const char *const exprs[] = {
		"ip6 protochain 17",
		"ip6 protochain 6 or ip6 protochain 17 or ip6 protochain 58",
		"protochain 51 or protochain 58 or protochain 17",
		"not protochain 6 and not protochain 58 and protochain 17",
	};
	uint8_t *pkt = malloc(2048);
	assert_non_null(pkt);
	(void)state;
	for (size_t e = 0; e < sizeof(exprs) / sizeof(exprs[0]); e++) {
		agree(exprs[e], pkt, chain_packet(pkt, 1, PROTOCHAIN_STEPS_V6, 17));
		unsigned len = chain_packet(pkt, 1, PROTOCHAIN_STEPS_V6 + 1, 17);
		for (int no_opt = 0; no_opt < 2; no_opt++) {
			struct filter_prog p;
			assert_int_equal(
				compile_expr(FILTER_DLT_EN10MB, exprs[e], no_opt, &p, NULL), 0);
			if (bpf_filter((const struct bpf_insn *)(const void *)p.insns, pkt, len,
				       len) != 0)
				fail_msg("'%s' (no_opt %d): a chain past the bound matched",
					 exprs[e], no_opt);
			filter_prog_release(&p);
		}
	}
	free(pkt);
}

/* When the walk does not fit, the message names the (fixed) bound. */
static void bound_named(void **state)
{
	char expr[4096] = "";
	struct filter_prog p;
	struct filter_diag d;
	(void)state;
	for (int i = 0; i < 40; i++)
		snprintf(expr + strlen(expr), sizeof(expr) - strlen(expr),
			 "%s(ip6[%d] = 1 and ip6 protochain %d)", i ? " or " : "", i, i + 100);
	assert_int_equal(compile_expr(FILTER_DLT_EN10MB, expr, 0, &p, &d), -1);
	assert_int_equal(d.code, FILTER_ERR_LIMIT);
	char want[128];
	snprintf(want, sizeof(want),
		 "protochain's header walk of %d IPv6 (%d IPv4) headers, a fixed bound",
		 PROTOCHAIN_STEPS_V6, PROTOCHAIN_STEPS_V4);
	assert_non_null(strstr(d.message, want));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(combos_fit),	cmocka_unit_test(walk_shared),
		cmocka_unit_test(chains_agree), cmocka_unit_test(bound_fixed),
		cmocka_unit_test(bound_named),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
