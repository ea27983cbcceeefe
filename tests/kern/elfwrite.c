/* elfwrite.c - writes the hand-assembled programs of tests/unit/ebpf_progs.h
 * as eBPF objects for tests/kern/elf_load.sh, or prints their bytes.
 *   elfwrite xdp|tc ipv4|ipv4arp|drop|tail FILE [SEC [NAME]]
 *   elfwrite --hex xdp|tc KIND    one line per instruction: its 8 bytes in hex
 * Exit 0; 2 and filter_ebpf_write_object()'s message when writing fails;
 * 1 on bad usage. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../unit/ebpf_progs.h"

static const char *const kinds[TP_N] = {"ipv4", "ipv4arp", "drop", "tail"};

int main(int argc, char **argv)
{
	int hex = argc > 1 && !strcmp(argv[1], "--hex");
	int a = hex ? 2 : 1;
	if (argc < a + (hex ? 2 : 3)) {
		fprintf(stderr,
			"usage: elfwrite xdp|tc KIND FILE [SEC [NAME]] | --hex xdp|tc KIND\n");
		return 1;
	}
	enum filter_hook hook = !strcmp(argv[a], "tc") ? FILTER_HOOK_TC : FILTER_HOOK_XDP;
	int kind = 0;
	while (kind < TP_N && strcmp(kinds[kind], argv[a + 1]))
		kind++;
	if (kind == TP_N) {
		fprintf(stderr, "elfwrite: no program '%s'\n", argv[a + 1]);
		return 1;
	}
	struct filter_ebpf_insn insns[16];
	struct filter_ebpf_prog p = {.insns = insns, .hook = hook};
	p.len = test_prog((enum test_prog)kind, hook, insns, &p.prog_array_insn);
	if (hex) {
		for (size_t i = 0; i < p.len; i++) {
			const unsigned char *b = (const unsigned char *)&insns[i];
			for (int k = 0; k < 8; k++)
				printf("%02x%s", b[k], k < 7 ? " " : "\n");
		}
		return 0;
	}
	char err[512];
	const char *sec = argc > a + 3 ? argv[a + 3] : NULL;
	const char *name = argc > a + 4 ? argv[a + 4] : NULL;
	if (filter_ebpf_write_object(&p, argv[a + 2], sec, name, err, sizeof(err)) < 0) {
		fprintf(stderr, "elfwrite: %s (errno %d)\n", err, errno);
		return 2;
	}
	return 0;
}
