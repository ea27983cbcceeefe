#!/bin/sh
# bench/print.sh - the packet printer: lines per second printing a large
# capture to /dev/null, bpfcap against tcpdump in the same run, with -n, -n -v
# and -n -X; figures and the ratio (tcpdump's time over bpfcap's for the same
# packets; lines differ where bpfcap dumps in hex what tcpdump decodes).  Not a test:
# it reports, it does not fail on a missed target (1.5x).
#
# Environment: top_srcdir, top_builddir (where bpfcap is), BENCH_PRINT_MB
# (size of the capture, default 100), BENCH_PRINT_RUNS (best of, default 3),
# CC (default cc).  The capture is made by bench/bigpcap.c from the EN10MB
# captures of pcaps/ (and ../shared/corpus/pcaps/ether/ when there).
set -u
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=$(cd "${top_srcdir:-$here/..}" && pwd)
top_builddir=$(cd "${top_builddir:-$top_srcdir}" && pwd)
bpfcap=$top_builddir/bpfcap
mb=${BENCH_PRINT_MB:-100}
runs=${BENCH_PRINT_RUNS:-3}
cc=${CC:-cc}
say() { printf 'bench: %s\n' "$*"; }
command -v tcpdump >/dev/null 2>&1 || { say "print: skipped: tcpdump not installed"; exit 0; }
[ -x "$bpfcap" ] || { say "print: skipped: $bpfcap not built"; exit 0; }
work=$(mktemp -d "${TMPDIR:-/tmp}/bpfcap-print.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
pcap_libs=$(pkg-config --libs libpcap 2>/dev/null || echo -lpcap)
if ! $cc -O2 -o "$work/bigpcap" "$here/bigpcap.c" $pcap_libs 2>"$work/cc.log"; then
	say "print: bigpcap does not build:"
	sed 's/^/  /' "$work/cc.log" | head
	exit 2
fi
set -- "$top_srcdir"/pcaps/*.pcap
shared=${BPFCAP_SHARED:-$top_srcdir/../shared}/corpus/pcaps/ether
[ -d "$shared" ] && set -- "$@" "$shared"/*.pcap
big=$work/big.pcap
info=$("$work/bigpcap" "$big" "$mb" "$@" 2>/dev/null)
say "print: capture: $info"
pkts=${info%% packets*}

# best TOOL ARGS...: the least wall-clock seconds of $runs runs, output to /dev/null
best() {
	b=""
	i=0
	while [ "$i" -lt "$runs" ]; do
		t0=$(date +%s.%N)
		TZ=UTC "$@" -r "$big" >/dev/null 2>&1
		t1=$(date +%s.%N)
		b=$(echo "$t0 $t1 ${b:-999999}" | awk '{ d = $2 - $1; print (d < $3 ? d : $3) }')
		i=$((i + 1))
	done
	echo "$b"
}
printf '%-8s %10s %10s %12s %10s %10s %12s %10s %7s\n' mode packets lines "bpfcap s" lines/s lines "tcpdump s" lines/s ratio
for mode in "-n" "-n -v" "-n -X"; do
	# shellcheck disable=SC2086
	lines=$(TZ=UTC "$bpfcap" $mode -r "$big" 2>/dev/null | wc -l)
	# shellcheck disable=SC2086
	tlines=$(TZ=UTC tcpdump $mode -r "$big" 2>/dev/null | wc -l)
	# shellcheck disable=SC2086
	b=$(best "$bpfcap" $mode)
	# shellcheck disable=SC2086
	t=$(best tcpdump $mode)
	echo "$mode $pkts $lines $b $tlines $t" | awk '{ m = $1; o = 2; if ($2 ~ /^-/) { m = m " " $2; o = 3 }
		p = $o; l = $(o + 1); b = $(o + 2); tl = $(o + 3); t = $(o + 4)
		printf "%-8s %10d %10d %12.3f %10.0f %10d %12.3f %10.0f %6.2fx\n", m, p, l, b, l / b,
			tl, t, tl / t, t / b }'
done
