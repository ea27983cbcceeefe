#!/bin/sh
# tests/fuzz/run.sh - build the libFuzzer target for the filter compiler and run it
# for a bounded time.
#
# Exit status (automake's test protocol): 0 no findings, 1 a finding (crash,
# sanitizer report, leak, timeout), 77 skipped (no clang with libFuzzer, or no
# compiler sources yet), 99 the target does not build.
#
# Environment: top_srcdir, top_builddir (set by make check; default: this
# script's ../.. and the current directory), FUZZ_SECONDS (default 60),
# FUZZ_SEED_LINES (accept-list lines used as seeds, default 400), FUZZ_CC
# (default clang).  Crash inputs are written to $top_builddir/tests/fuzz/ as
# crash-*, leak-*, timeout-*; replay one with: tests/fuzz/fuzz_compile FILE
set -u

here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$here/../..}
top_builddir=${top_builddir:-.}
top_srcdir=$(cd "$top_srcdir" && pwd)
top_builddir=$(cd "$top_builddir" && pwd)
seconds=${FUZZ_SECONDS:-60}
seed_lines=${FUZZ_SEED_LINES:-400}
cc=${FUZZ_CC:-clang}
out=$top_builddir/tests/fuzz
bin=$out/fuzz_compile
flags="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all"

say() { printf 'fuzz: %s\n' "$*"; }

mkdir -p "$out" || exit 99
stamp=$out/.run-started
: >"$stamp"

# --- is libFuzzer there? ---------------------------------------------------
if ! command -v "$cc" >/dev/null 2>&1; then
	say "SKIP: '$cc' not found (needs clang with libFuzzer; Debian: clang, libclang-rt-dev)"
	exit 77
fi
probe=$out/probe.c
printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
	'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
	'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }' \
	>"$probe"
if ! "$cc" $flags -o "$out/probe" "$probe" >"$out/probe.log" 2>&1; then
	say "SKIP: '$cc $flags' cannot link a fuzz target (libFuzzer missing?):"
	sed 's/^/  /' "$out/probe.log" | head -5
	rm -f "$probe" "$out/probe" "$out/probe.log"
	exit 77
fi
rm -f "$probe" "$out/probe" "$out/probe.log"

# --- build -----------------------------------------------------------------
# shellcheck disable=SC2046 # paths without spaces: the repository's own
set -- $(find "$top_srcdir/src/filter" -name '*.c' | sort)
if [ $# = 0 ] || [ ! -e "$1" ]; then
	say "SKIP: no compiler sources in $top_srcdir/src/filter yet"
	exit 77
fi
pcap_cflags=$(pkg-config --cflags libpcap 2>/dev/null)
pcap_libs=$(pkg-config --libs libpcap 2>/dev/null || echo -lpcap)
# the eBPF object writer (back/ebpf/elf.c) links libelf
pcap_libs="$pcap_libs $(pkg-config --libs libelf 2>/dev/null || echo -lelf)"
# As Makefile.am compiles them (AM_CPPFLAGS), with config.h when configured.
defs="-D_GNU_SOURCE -I$top_builddir"
[ -f "$top_builddir/config.h" ] && defs="-DHAVE_CONFIG_H $defs"
say "building $bin from $# source(s) in src/filter/ + tests/fuzz/fuzz_compile.c, ebpf_rules*.c"
say "  $cc -std=c11 $flags ... $pcap_libs"
if ! "$cc" -std=c11 $flags $defs -I"$top_srcdir/src" -I"$top_srcdir/src/filter" $pcap_cflags \
	-o "$bin" "$@" "$here/fuzz_compile.c" "$here"/ebpf_rules*.c $pcap_libs \
	>"$out/build.log" 2>&1; then
	say "ERROR: the fuzz target does not build:"
	sed 's/^/  /' "$out/build.log" | head -30
	exit 99
fi

# --- seeds -----------------------------------------------------------------
seeds=$out/seeds
corpus=$out/corpus # kept between runs: libFuzzer adds what it finds here
hostile=$out/hostile
rm -rf "$seeds" "$hostile"
mkdir -p "$seeds" "$corpus" "$hostile"

# dlt_index NAME: the first selector byte for a DLT name (fuzz_compile.c's dlts[]).
dlt_index() {
	case $1 in
	EN10MB) echo 0 ;; LINUX_SLL) echo 1 ;; LINUX_SLL2) echo 2 ;; RAW) echo 3 ;;
	IPV4) echo 4 ;; IPV6) echo 5 ;; NULL) echo 6 ;; LOOP) echo 7 ;; *) echo 0 ;;
	esac
}
# seed FILE DLT_INDEX OPT_BYTE EXPR: write the two selector bytes and EXPR.
seed() {
	printf "\\00$2\\00$3" >"$1"
	printf '%s' "$4" >>"$1"
}

n=0
list=$top_srcdir/../shared/corpus/libpcap-filters/accept.txt
if [ -d "$top_srcdir/../shared/corpus" ] && [ -f "$list" ]; then
	tab=$(printf '\t')
	while IFS= read -r line && [ "$n" -lt "$seed_lines" ]; do
		dlt=${line%%"$tab"*}
		expr=${line#*"$tab"}
		seed "$seeds/accept-$n" "$(dlt_index "$dlt")" $((n % 4)) "$expr"
		n=$((n + 1))
	done <"$list"
	say "seeds: first $n lines of $list"
else
	for expr in '' 'ip' 'ip6' 'arp' 'tcp port 80' 'udp port 53 or udp port 123' \
		'host 10.0.0.1 and (tcp port 80 or tcp port 443)' 'not (port 22 or port 53)' \
		'portrange 6000-6010' 'tcp[tcpflags] & (tcp-syn|tcp-fin) != 0' \
		'tcp[((tcp[12]&0xf0)>>2):4] = 0x47455420' 'icmp[icmptype] = icmp-echo' \
		'vlan 100 and tcp port 80' 'vlan and vlan and ip' 'mpls 16 and ip' 'pppoes and ip' \
		'ip6 protochain 44' 'geneve' 'ether host 00:11:22:33:44:55' 'net 10.0.0.0/8' \
		'ip[6:2] & 0x3fff != 0' 'greater 1000' 'len - 14 > 100 * 2' 'ip multicast or ip6 multicast'; do
		seed "$seeds/builtin-$n" $((n % 8)) $((n % 4)) "$expr"
		n=$((n + 1))
	done
	m=0
	for f in "$top_srcdir"/filters/*; do
		[ -f "$f" ] || continue
		case $f in
		*.txt) # DLT<TAB>expression lists
			while IFS= read -r line; do
				case $line in '' | '#'*) continue ;; esac
				seed "$seeds/filters-$m" 0 $((m % 4)) "${line#*	}"
				m=$((m + 1))
			done <"$f" ;;
		*) # one expression per file (-F files)
			printf '\000\000' >"$seeds/filters-$m"
			cat "$f" >>"$seeds/filters-$m"
			m=$((m + 1)) ;;
		esac
	done
	say "seeds: $n built-in expressions and $m from $top_srcdir/filters/ (shared corpus absent)"
fi

# Hostile inputs: run whole first (longer than -max_len), then also seeded.
repeat() { # repeat COUNT STRING
	awk -v n="$1" -v s="$2" 'BEGIN { for (i = 0; i < n; i++) printf "%s", s }'
}
seed "$hostile/parens-5000" 0 0 "$(repeat 5000 '(')"
seed "$hostile/parens-5000-closed" 0 0 "$(repeat 5000 '(')ip$(repeat 5000 ')')"
seed "$hostile/not-5000" 0 0 "$(repeat 5000 'not ')ip"
seed "$hostile/not-5000-unopt" 0 1 "$(repeat 5000 'not ')ip"
seed "$hostile/hosts-3000" 0 0 "$(awk 'BEGIN { for (i = 0; i < 3000; i++)
	printf "host 1.2.%d.%d or ", int(i / 250), i % 250 + 1; printf "host 1.2.3.4" }')"
seed "$hostile/hosts-3000-unopt" 0 1 "$(awk 'BEGIN { for (i = 0; i < 3000; i++)
	printf "host 1.2.%d.%d or ", int(i / 250), i % 250 + 1; printf "host 1.2.3.4" }')"
k=0
for expr in 'port 99999999999999' 'ip[0x1ffffffff] = 1' 'net 0777777777777' \
	'len > 99999999999999' 'tcp[0:4] = 0x1ffffffff' 'vlan 0777777777777' \
	'ip[99999999999999:4] = 1' 'ether[0] & 0x1ffffffff = 0777777777777' \
	'portrange 1-99999999999999' 'host 1.2.3.99999999999999' 'net 1.2.3.4/0x1ffffffff' \
	'ip proto 0777777777777' 'mpls 0x1ffffffff' 'ip[0] / 0 = 1' 'ip[0] % 0 = 1' \
	'ip[0:3] = 1' 'tcp[-1] = 0' '4294967295 + 1 = 0' '0x80000000 * 2 = 0'; do
	seed "$hostile/number-$k" $((k % 8)) $((k % 4)) "$expr"
	k=$((k + 1))
done
printf '\000\000tcp\000port 80' >"$hostile/nul-inside"
printf '\003\002\000' >"$hostile/nul-only"
LC_ALL=C awk 'BEGIN { srand(20240601); for (f = 0; f < 8; f++) {
	file = sprintf("%s/random-%d", dir, f); n = 16 + int(rand() * 3000)
	for (i = 0; i < n; i++) printf "%c", 1 + int(rand() * 255) >file; close(file) } }' \
	dir="$hostile"
cp "$hostile"/* "$seeds"/
say "hostile inputs: $(ls "$hostile" | wc -l) in $hostile"

# --- run -------------------------------------------------------------------
common="-timeout=10 -rss_limit_mb=2048 -error_exitcode=1 -timeout_exitcode=1"
status=0
say "replaying the hostile inputs whole, one run each: $bin $common FILE"
: >"$out/hostile.log"
for f in "$hostile"/*; do
	if ! "$bin" $common "$f" >"$out/hostile.one.log" 2>&1; then
		status=1
		say "FINDING with $f; its log:"
		grep -E 'ERROR|FINDING|SUMMARY|timeout|leak' "$out/hostile.one.log" | head -8 |
			sed 's/^/  /'
	fi
	cat "$out/hostile.one.log" >>"$out/hostile.log"
done
rm -f "$out/hostile.one.log"
say "fuzzing for ${seconds}s: $bin -max_total_time=$seconds -max_len=4096 $common corpus seeds"
"$bin" -max_total_time="$seconds" -max_len=4096 $common -artifact_prefix="$out/" \
	-print_final_stats=1 "$corpus" "$seeds" >"$out/fuzz.log" 2>&1
rc=$?
grep -E '^Done|stat::number_of_executed_units|stat::peak_rss|INITED|truncation rule' "$out/fuzz.log" | sed 's/^/  /'
if [ "$rc" -ne 0 ]; then
	status=1
	say "FINDING (libFuzzer exit $rc); log $out/fuzz.log:"
	grep -E 'ERROR|FINDING|SUMMARY|Test unit written|timeout|leak' "$out/fuzz.log" | head -20 |
		sed 's/^/  /'
fi
for a in "$out"/crash-* "$out"/leak-* "$out"/timeout-* "$out"/oom-*; do
	[ -f "$a" ] && [ ! "$a" -ot "$stamp" ] || continue
	say "artifact $a ($(wc -c <"$a") bytes), first bytes:"
	od -A d -c "$a" | head -4 | sed 's/^/  /'
done
if [ "$status" -eq 0 ]; then
	say "no findings ($(ls "$corpus" | wc -l) inputs in $corpus)"
else
	say "replay with: $bin FILE"
fi
exit "$status"
