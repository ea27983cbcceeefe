#!/bin/sh
# xcheck.sh - the kernel's verifier against tests/fuzz/ebpf_rules.c (the
# checker the fuzz target uses): tests/fuzz/ebpf_xcheck loads the compiler's
# XDP and tc programs for the project's expression lists (and the shared
# corpus' when present), 1000 of them with one instruction changed, and the
# bench's clang-built XDP programs with 300 mutants, and fails if the checker
# calls a program good that the kernel refuses, or bad that it accepts (unless
# at an instruction the kernel never reaches, which it does not check).
# Needs root (bpf()); 77 otherwise.
set -u
top=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
bld=${top_builddir:-.}
bin=$bld/tests/fuzz/ebpf_xcheck
[ -x "$bin" ] || { echo "ERROR: $bin is not built"; exit 99; }
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root for bpf()"; exit 77; }
set --
for l in "$top"/filters/*.txt; do
	[ -f "$l" ] && set -- "$@" -e "$l"
done
for c in "${BPFCAP_CORPUS:-}" "$top/../shared/corpus" "$top/../../shared/corpus"; do
	if [ -n "$c" ] && [ -f "$c/libpcap-filters/accept.txt" ]; then
		set -- "$@" -e "$c/libpcap-filters/accept.txt"
		break
	fi
done
obj=$bld/tests/fuzz/xcheck-filters.bpf.o
if clang -O2 -g -target bpf -I"/usr/include/$(uname -m)-linux-gnu" \
	-c "$top/bench/xdp/filters.bpf.c" -o "$obj" 2>/dev/null; then
	set -- "$@" -m "$obj" -n 300
else
	echo "SKIP (part): clang -target bpf cannot build bench/xdp/filters.bpf.c"
fi
"$bin" -M 1000 "$@"
rc=$?
rm -f "$obj"
exit $rc
