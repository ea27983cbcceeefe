#!/bin/sh
# bench/run.sh - compiler benchmarks: bpfcap against libpcap, measured in the same
# run, printed as figures and ratios.  Not a test: it always reports, it does
# not fail on a missed target.  See bench/README.md.
#
# Environment: top_srcdir (default: this script's ..), top_builddir (where
# libfilter.a is; default: the repository root, or . when only that has it),
# BENCH_CORPUS (an accept list to use instead of the default), BENCH_SECONDS
# (minimum seconds per side for the rate, default 1), CC (default cc),
# BENCH_TRACE (set: the harnesses name each expression on stderr first),
# BENCH_EXEC_HOSTS (list lengths for execcount, default "10 100 1000"; libpcap
# takes about a minute to compile 1000 hosts),
# BENCH_NO_CAPTURE (set: skip the capture benchmarks, bench/hook.sh and bench/capture.sh, which
# otherwise run last when root; its own variables pass through), BENCH_NO_EBPF
# (set: skip the eBPF backend's figures, bench/ebpfcost.c, root only),
# BENCH_EBPF_REPEAT, BENCH_EBPF_ROUNDS, BENCH_EBPF_PACKETS, BENCH_EBPF_AA (see
# README.md).
set -u

here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=$(cd "${top_srcdir:-$here/..}" && pwd)
if [ -z "${top_builddir:-}" ]; then
	top_builddir=$top_srcdir
	[ ! -f "$top_builddir/libfilter.a" ] && [ -f ./libfilter.a ] && top_builddir=$(pwd)
fi
lib=$top_builddir/libfilter.a
cc=${CC:-cc}

say() { printf 'bench: %s\n' "$*"; }

if [ ! -f "$lib" ]; then
	say "ERROR: $lib not found: build the compiler first (make libfilter.a)"
	exit 2
fi

# The expression lists: the shared corpus, else the project's own lists.
if [ -n "${BENCH_CORPUS:-}" ]; then
	set -- "$BENCH_CORPUS"
	say "corpus: $BENCH_CORPUS (BENCH_CORPUS)"
elif [ -f "$top_srcdir/../shared/corpus/libpcap-filters/accept.txt" ]; then
	set -- "$(cd "$top_srcdir/../shared/corpus/libpcap-filters" && pwd)/accept.txt"
	say "corpus: $1 (libpcap's accept list, EN10MB lines)"
else
	set -- "$top_srcdir"/filters/*.txt
	if [ ! -f "$1" ]; then
		say "ERROR: no corpus: neither $top_srcdir/../shared/corpus nor $top_srcdir/filters/*.txt"
		exit 2
	fi
	say "shared corpus absent: using the project's lists $* (EN10MB lines)"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/bpfcap-bench.XXXXXX") || exit 2
ebpf_ns=
cleanup() {
	[ -n "$ebpf_ns" ] && ip netns del "$ebpf_ns" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
pcap_cflags=$(pkg-config --cflags libpcap 2>/dev/null)
pcap_libs=$(pkg-config --libs libpcap 2>/dev/null || echo -lpcap)
for h in insncount compilespeed execcount; do
	if ! $cc -O2 -I"$top_srcdir/src" $pcap_cflags -o "$work/$h" "$here/$h.c" "$lib" \
		$pcap_libs 2>"$work/$h.log"; then
		say "ERROR: $h does not build against $lib:"
		sed 's/^/  /' "$work/$h.log" | head -20
		exit 2
	fi
done
say "built with: $cc -O2 ... $lib $pcap_libs"
say "machine: $(uname -srm), $(getconf _NPROCESSORS_ONLN) CPU(s)"

# run HARNESS ARGS...: a harness that dies takes its buffered output with it.
run() {
	"$work/$@"
	rc=$?
	if [ "$rc" -gt 128 ]; then
		say "$1 died (status $rc, signal $((rc - 128))): the compiler crashed on some expression;"
		say "  BENCH_TRACE=1 makes the harnesses name each expression on stderr first;"
		say "  tests/fuzz/run.sh (ASan) finds and minimizes such inputs"
	elif [ "$rc" -ne 0 ]; then
		say "$1 failed (status $rc)"
	fi
}

echo
echo "== instruction counts (bench/insncount.c) =="
run insncount "$@"
# The project's own lists as well: core.txt (EN10MB lines) and the wide
# corpus of what a new user writes (filters/wide.txt, every DLT in it).
for l in core wide; do
	[ -f "$top_srcdir/filters/$l.txt" ] || continue
	echo
	echo "== instruction counts, filters/$l.txt =="
	if [ "$l" = wide ]; then
		run insncount -A "$top_srcdir/filters/$l.txt"
	else
		run insncount "$top_srcdir/filters/$l.txt"
	fi
done
echo
echo "== instructions executed per packet, ORed host lists (bench/execcount.c) =="
run execcount ${BENCH_EXEC_HOSTS:-10 100 1000}
echo
echo "== compile speed (bench/compilespeed.c) =="
run compilespeed "$@"

# End to end through the command-line tools, when both are there.
bpfcap=$top_builddir/bpfcap
echo
echo "== 'bpfcap -d' against 'tcpdump -d' (hyperfine) =="
expr100=$(awk 'BEGIN { for (i = 0; i < 100; i++)
	printf "%shost 10.0.%d.%d", i ? " or " : "", int(i / 250), i % 250 + 1 }')
if ! command -v hyperfine >/dev/null 2>&1; then
	say "skipped: hyperfine not installed (Debian package hyperfine)"
elif ! command -v tcpdump >/dev/null 2>&1; then
	say "skipped: tcpdump not installed"
elif [ ! -x "$bpfcap" ]; then
	say "skipped: $bpfcap not built"
elif ! "$bpfcap" -d -y EN10MB 'tcp port 80' >/dev/null 2>&1; then
	say "skipped: '$bpfcap -d -y EN10MB EXPR' does not work (yet)"
else
	for e in 'tcp port 80' "$expr100"; do
		case $e in 'tcp port 80') name='tcp port 80' ;; *) name='100 ORed hosts' ;; esac
		say "$name"
		hyperfine -N --style basic --warmup 2 --min-runs 10 \
			-n bpfcap "$bpfcap -d -y EN10MB '$e'" \
			-n tcpdump "tcpdump -d -y EN10MB '$e'" 2>&1 | sed 's/^/  /'
	done
fi

# The eBPF backend at XDP against the same filters in C built by clang
# (bench/ebpfcost.c, bench/xdp/filters.bpf.c): BPF_PROG_TEST_RUN, so root.
echo
echo "== eBPF backend at XDP against clang -O2 (bench/ebpfcost.c) =="
ebpf_bench() {
	arch_inc=/usr/include/$(uname -m)-linux-gnu
	if ! clang -O2 -g -target bpf -I"$arch_inc" -c "$here/xdp/filters.bpf.c" \
		-o "$work/filters.bpf.o" 2>"$work/bpfobj.log"; then
		say "skipped: clang -target bpf cannot build bench/xdp/filters.bpf.c" \
			"(Debian packages clang, libbpf-dev):"
		sed 's/^/  /' "$work/bpfobj.log" | head -10
		return
	fi
	defs=
	nm "$lib" 2>/dev/null | grep -q ' T filter_ebpf_write_object$' &&
		defs=-DHAVE_EBPF_WRITE_OBJECT
	bpf_cflags=$(pkg-config --cflags libbpf 2>/dev/null)
	bpf_libs=$(pkg-config --libs libbpf 2>/dev/null || echo -lbpf)
	if ! $cc -O2 $defs -I"$top_srcdir/src" $bpf_cflags $pcap_cflags -o "$work/ebpfcost" \
		"$here/ebpfcost.c" "$here/ebpfref.c" "$lib" $bpf_libs $pcap_libs -lelf \
		2>"$work/ebpfcost.log"; then
		say "ERROR: ebpfcost does not build against $lib:"
		sed 's/^/  /' "$work/ebpfcost.log" | head -20
		return
	fi
	# One veth end per program (23: the floor, 11 x bpfcap, 11 x clang) in a
	# namespace of our own, deleted on exit; see README.md for why.
	ebpf_ns=bpfcap-ebench-$$
	ifs=
	if ip netns add "$ebpf_ns" 2>/dev/null; then
		i=0
		while [ $i -lt 12 ]; do
			ip -n "$ebpf_ns" link add e${i}a type veth peer name e${i}b &&
				ip -n "$ebpf_ns" link set e${i}a up &&
				ip -n "$ebpf_ns" link set e${i}b up || break
			ifs="$ifs,e${i}a,e${i}b"
			i=$((i + 1))
		done
	else
		ebpf_ns=
		say "no network namespace: the kernel's whole-ns durations are used"
	fi
	set -- "$top_srcdir"/pcaps/*.pcap
	shared=${BENCH_EBPF_CORPUS:-$top_srcdir/../shared/corpus/pcaps}
	# a worktree (/work/wt/NAME) has the shared corpus two levels up
	[ -d "$shared" ] || [ -n "${BENCH_EBPF_CORPUS:-}" ] ||
		shared=$top_srcdir/../../shared/corpus/pcaps
	if [ -d "$shared" ]; then
		# shellcheck disable=SC2046 # the corpus' names have no spaces
		set -- "$@" $(find "$shared" -name '*.pcap' -o -name '*.pcapng' | sort)
	fi
	run="$work/ebpfcost -r ${BENCH_EBPF_REPEAT:-100000} -n ${BENCH_EBPF_ROUNDS:-42}"
	run="$run -p ${BENCH_EBPF_PACKETS:-60}${BENCH_EBPF_AA:+ -A}"
	if [ -n "$ebpf_ns" ]; then
		ip netns exec "$ebpf_ns" $run -i "${ifs#,}" "$work/filters.bpf.o" "$@"
	else
		$run "$work/filters.bpf.o" "$@"
	fi
	rc=$?
	[ "$rc" -ne 0 ] && say "ebpfcost failed (status $rc)"
	if [ -n "$ebpf_ns" ]; then
		ip netns del "$ebpf_ns"
		ebpf_ns=
	fi
}
if [ -n "${BENCH_NO_EBPF:-}" ]; then
	say "skipped: BENCH_NO_EBPF is set"
elif [ "$(id -u)" != 0 ]; then
	say "skipped: needs root (BPF_PROG_TEST_RUN, a network namespace)"
elif ! command -v clang >/dev/null 2>&1 || ! command -v ip >/dev/null 2>&1; then
	say "skipped: needs clang (Debian package clang) and ip (iproute2)"
else
	ebpf_bench
fi

# Capture at the hook against xdpdump and the ring capture (bench/hook.sh):
# CPU per packet, drops, the in-kernel cost; root only (it skips itself).
echo
echo "== capture at XDP through a BPF ring buffer (bench/hook.sh) =="
if [ -n "${BENCH_NO_CAPTURE:-}" ]; then
	say "skipped: BENCH_NO_CAPTURE is set"
elif command -v bash >/dev/null 2>&1; then
	top_srcdir=$top_srcdir top_builddir=$top_builddir bash "$here/hook.sh"
else
	say "skipped: bench/hook.sh needs bash"
fi

# Live capture and offline throughput against tcpdump (bench/capture.sh):
# the live part needs network namespaces, so only as root.
echo
echo "== capture benchmarks (bench/capture.sh) =="
if [ -n "${BENCH_NO_CAPTURE:-}" ]; then
	say "skipped: BENCH_NO_CAPTURE is set"
elif [ "$(id -u)" != 0 ]; then
	say "skipped: needs root (network namespaces); run bench/capture.sh as root"
elif ! command -v bash >/dev/null 2>&1; then
	say "skipped: bench/capture.sh needs bash"
elif [ ! -x "$bpfcap" ]; then
	say "skipped: $bpfcap not built"
else
	top_srcdir=$top_srcdir top_builddir=$top_builddir bash "$here/capture.sh"
fi

# Flow counting (bench/flow.sh): ns per packet over XDP_PASS, refresh cost.
echo
echo "== flow counting (bench/flow.sh) =="
top_builddir=$top_builddir sh "$here/flow.sh"
# The packet printer against tcpdump's (bench/print.sh).
echo
echo "== printing: 'bpfcap -n -r BIG' against 'tcpdump -n -r BIG' (bench/print.sh) =="
top_srcdir=$top_srcdir top_builddir=$top_builddir sh "$here/print.sh"
