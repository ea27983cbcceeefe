/* dump_test.c - -d/-dd/-ddd byte for byte as libpcap's bpf_dump() prints
 * them: for real programs (libpcap's own, so that the instructions are the
 * same on both sides) and for one instruction of every opcode. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <linux/filter.h>

#include "helpers.h"

/* bpf_dump() writes to stdout: catch it in a temporary file. */
static char *libpcap_dump(const struct bpf_program *bp, int level)
{
	fflush(stdout);
	FILE *tmp = tmpfile();
	assert_non_null(tmp);
	int saved = dup(STDOUT_FILENO);
	dup2(fileno(tmp), STDOUT_FILENO);
	bpf_dump(bp, level);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	long n = ftell(tmp);
	char *s = calloc(1, (size_t)n + 1);
	rewind(tmp);
	assert_int_equal(fread(s, 1, (size_t)n, tmp), (size_t)n);
	fclose(tmp);
	return s;
}

static void same_listing(const struct bpf_insn *insns, size_t n, const char *what)
{
	struct bpf_program bp = {(u_int)n, (struct bpf_insn *)insns};
	struct filter_prog p = {n, (struct filter_insn *)(void *)insns};
	for (int level = 1; level <= 3; level++) {
		char *want = libpcap_dump(&bp, level), *got = filter_prog_dump(&p, level);
		assert_non_null(got);
		if (strcmp(want, got) != 0)
			fail_msg("%s, level %d:\n--- libpcap\n%s--- bpfcap\n%s", what, level, want,
				 got);
		free(want);
		free(got);
	}
}

static void programs(void **state)
{
	(void)state;
	const char *exprs[] = {
		"",
		"tcp port 80",
		"host 10.0.0.1 and not port 22",
		"vlan 100 and udp",
		"ip[6:2] & 0x3fff != 0",
		"tcp[((tcp[12]&0xf0)>>2):4] = 0x47455420",
		"len % 3 + 1 = 2",
		"ip6 protochain 6",
		"geneve",
		"ether multicast",
		"portrange 6000-6010",
		"-ip[0] = 4294967000 or ip[1] / 3 > 2",
	};
	pcap_t *pc = pcap_open_dead(DLT_EN10MB, 262144);
	for (size_t i = 0; i < sizeof(exprs) / sizeof(exprs[0]); i++) {
		struct bpf_program bp;
		for (int opt = 0; opt < 2; opt++) {
			if (pcap_compile(pc, &bp, exprs[i], opt, PCAP_NETMASK_UNKNOWN) < 0)
				fail_msg("libpcap refuses '%s': %s", exprs[i], pcap_geterr(pc));
			same_listing(bp.bf_insns, bp.bf_len, exprs[i]);
			pcap_freecode(&bp);
		}
	}
	pcap_close(pc);
}

/* Every opcode, with operands that exercise signed and hex printing and
 * the Linux ancillary names. */
static void opcodes(void **state)
{
	(void)state;
	static const uint16_t codes[] = {
		0x00, 0x01, 0x02, 0x03, 0x04, 0x07, 0x0c, 0x14, 0x15, 0x1c, 0x1d, 0x20, 0x24,
		0x25, 0x28, 0x2c, 0x2d, 0x30, 0x34, 0x35, 0x3c, 0x3d, 0x40, 0x44, 0x45, 0x48,
		0x4c, 0x4d, 0x50, 0x54, 0x5c, 0x60, 0x61, 0x64, 0x6c, 0x74, 0x7c, 0x80, 0x81,
		0x84, 0x87, 0x94, 0x9c, 0xa4, 0xac, 0xb1, 0x06, 0x16, 0x05, 0xff,
	};
	const uint32_t ks[] = {0,	    15,		 0xfffffff0u, 0xfffff000u,
			       0xfffff004u, 0xfffff02cu, 0xfffff030u};
	struct bpf_insn prog[sizeof(codes) / sizeof(codes[0])];
	for (size_t v = 0; v < sizeof(ks) / sizeof(ks[0]); v++) {
		for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
			prog[i] = (struct bpf_insn){codes[i], 1, 2, ks[v]};
		char what[64];
		snprintf(what, sizeof(what), "every opcode, k=%#x", ks[v]);
		same_listing(prog, sizeof(codes) / sizeof(codes[0]), what);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(programs),
		cmocka_unit_test(opcodes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
