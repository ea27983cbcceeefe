#!/bin/sh
# tests/decode/fuzz.sh - build the libFuzzer target over the packet printer
# (tests/decode/fuzz_decode.c with src/decode/, clang with ASan and UBSan),
# replay the regression inputs in tests/decode/regress/, then fuzz for a
# bounded time seeded with the packets of pcaps/ and the shared corpus.
#
# Exit status: 0 no findings, 1 a finding, 77 skipped (no clang with
# libFuzzer), 99 the target does not build.  Environment as tests/fuzz/run.sh:
# FUZZ_SECONDS (default 60), FUZZ_CC (default clang); BPFCAP_SHARED overrides
# $top_srcdir/../shared.  Findings are written to $top_builddir/tests/decode/
# as crash-* etc.; add one to tests/decode/regress/ once fixed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=$(cd "${top_srcdir:-$here/../..}" && pwd)
top_builddir=$(cd "${top_builddir:-.}" && pwd)
seconds=${FUZZ_SECONDS:-60}
cc=${FUZZ_CC:-clang}
out=$top_builddir/tests/decode
bin=$out/fuzz_decode
flags="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all"
say() { printf 'fuzz-decode: %s\n' "$*"; }
mkdir -p "$out" || exit 99
if ! command -v "$cc" >/dev/null 2>&1; then
	say "SKIP: '$cc' not found (needs clang with libFuzzer; Debian: clang, libclang-rt-dev)"
	exit 77
fi
if ! "$cc" -std=c11 $flags -D_GNU_SOURCE -I"$top_srcdir/src" -o "$bin" "$top_srcdir"/src/decode/*.c \
	"$here/fuzz_decode.c" >"$out/fuzz-build.log" 2>&1; then
	if grep -q -e 'libclang_rt.fuzzer' -e 'cannot find' "$out/fuzz-build.log"; then
		say "SKIP: '$cc $flags' cannot link a fuzz target (libFuzzer missing?)"
		exit 77
	fi
	say "ERROR: the fuzz target does not build:"
	sed 's/^/  /' "$out/fuzz-build.log" | head -30
	exit 99
fi
common="-timeout=10 -rss_limit_mb=2048 -error_exitcode=1 -timeout_exitcode=1"
status=0
n=0
for f in "$here"/regress/*; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	if ! "$bin" $common "$f" >"$out/regress.log" 2>&1; then
		status=1
		say "FINDING: regression input $f fails again:"
		grep -E 'ERROR|SUMMARY' "$out/regress.log" | head -5 | sed 's/^/  /'
	fi
done
say "replayed $n regression inputs from $here/regress/"
seeds=$out/fuzz-seeds
corpus=$out/fuzz-corpus
rm -rf "$seeds"
mkdir -p "$seeds" "$corpus"
shared=${BPFCAP_SHARED:-$top_srcdir/../shared}/corpus/pcaps
set -- "$top_srcdir"/pcaps/*.pcap
[ -d "$shared" ] && set -- "$@" "$shared"/*/*.pcap
if command -v python3 >/dev/null 2>&1; then
	say "seeds: $(python3 "$here/pcap2seeds.py" "$seeds" "$@") packets from $# captures"
else
	say "seeds: none (no python3 to extract packets)"
fi
cp "$here"/regress/* "$seeds"/ 2>/dev/null
say "fuzzing for ${seconds}s: $bin -max_total_time=$seconds -max_len=2048"
"$bin" -max_total_time="$seconds" -max_len=2048 $common -artifact_prefix="$out/" \
	-print_final_stats=1 "$corpus" "$seeds" >"$out/fuzz.log" 2>&1
rc=$?
grep -E '^Done|stat::number_of_executed_units' "$out/fuzz.log" | sed 's/^/  /'
if [ "$rc" -ne 0 ]; then
	status=1
	say "FINDING (libFuzzer exit $rc); log $out/fuzz.log:"
	grep -E 'ERROR|SUMMARY|Test unit written|runtime error' "$out/fuzz.log" | head -20 | sed 's/^/  /'
fi
[ "$status" -eq 0 ] && say "no findings"
exit "$status"
