#!/bin/bash
# bench/hook.sh - capture at the hook (bpfcap --backend xdp, a BPF ring
# buffer) against xdpdump --load-xdp-program -w (xdp-tools, a perf buffer)
# and bpfcap's own AF_PACKET ring capture, measured alternately in the same
# run over the same path; then the in-kernel cost (bench/hookcost).  Not a
# test: it always reports, it does not fail on a missed target.  See
# bench/README.md.
#
# Two network namespaces joined by a veth pair; tests/kern/blast sends
# 64-byte frames as fast as it can on one side, the capture runs on the
# other under /usr/bin/time: frames captured, dropped, CPU seconds (user +
# system) of the capturing process.
#
# Environment: top_srcdir, top_builddir (where bpfcap, tests/kern/blast and
# bench/hookcost are), BENCH_QUICK (set: 5x fewer frames, one round),
# BENCH_FRAMES (default 1000000), BENCH_RUNS (default 3), BENCH_SMALL_RINGS
# (-B KiB for the drop comparison, default "64 256"), BENCH_DRAIN (default
# 1.5 s), BENCH_VERBOSE (set: one line per capture).
set -u
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=$(cd "${top_srcdir:-$here/..}" && pwd)
top_builddir=$(cd "${top_builddir:-$top_srcdir}" && pwd)
bpfcap=$top_builddir/bpfcap blast=$top_builddir/tests/kern/blast
hookcost=$top_builddir/bench/hookcost
say() { printf 'bench: %s\n' "$*"; }
[ "$(id -u)" = 0 ] || { say "hook capture: skipped: needs root"; exit 0; }
for f in "$bpfcap" "$blast"; do
	[ -x "$f" ] || { say "hook capture: skipped: $f not built (make bench builds it)"; exit 0; }
done
[ -x /usr/bin/time ] || { say "hook capture: skipped: /usr/bin/time not installed (Debian package time)"; exit 0; }
xdpdump=$(command -v xdpdump 2>/dev/null) ||
	say "xdpdump not installed (Debian package xdp-tools, tools/deps.sh): no ratios against it"
quick=${BENCH_QUICK:-}
[ "$quick" = 0 ] && quick=
frames=${BENCH_FRAMES:-$([ -n "$quick" ] && echo 200000 || echo 1000000)}
runs=${BENCH_RUNS:-$([ -n "$quick" ] && echo 1 || echo 3)}
small=${BENCH_SMALL_RINGS:-64 256}
drain=${BENCH_DRAIN:-1.5}

NS_A=bhA$$ NS_B=bhB$$ VA=bha$$ VB=bhb$$
work=$(mktemp -d "${TMPDIR:-/tmp}/bpfcap-hookbench.XXXXXX") || exit 2
scratch=$(mktemp -d /dev/shm/bpfcap-hookbench.XXXXXX 2>/dev/null) || scratch=$work
cleanup() {
	for p in $(jobs -p); do kill "$p" 2>/dev/null; done
	ip netns pids "$NS_B" 2>/dev/null | xargs -r kill 2>/dev/null
	ip netns del "$NS_A" 2>/dev/null
	ip netns del "$NS_B" 2>/dev/null
	rm -rf "$work" "$scratch"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
ip netns add "$NS_A" && ip netns add "$NS_B" &&
	ip link add "$VA" netns "$NS_A" type veth peer name "$VB" netns "$NS_B" ||
	{ say "hook capture: skipped: cannot make namespaces and a veth pair"; exit 0; }
for ns in "$NS_A:$VA" "$NS_B:$VB"; do
	ip netns exec "${ns%%:*}" sh -c "echo 1 >/proc/sys/net/ipv6/conf/${ns#*:}/disable_ipv6" 2>/dev/null
	ip -n "${ns%%:*}" link set "${ns#*:}" up
done

calc() { awk "BEGIN { printf \"%.${2:-3}f\n\", $1 }"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "-"; else printf "%.3f\n", a / b }'; }
stat_of() { sed -n "s/^\([0-9]*\) packets\{0,1\} $2\$/\1/p" "$1" | tail -1; }
# run_ns PID: the time PID's threads have run on a CPU (user + system), in
# ns (/proc/PID/task/*/schedstat, which the scheduler keeps to the ns)
run_ns() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { printf "%d\n", s }'; }
find_proc() { # PID NAME: NAME among PID and its descendants
	local pids=$1 p _
	for _ in 1 2 3 4; do
		for p in ${pids//,/ }; do
			[ "$(cat "/proc/$p/comm" 2>/dev/null)" = "$2" ] && { echo "$p"; return 0; }
		done
		pids=$(pgrep -d, -P "$pids") || return 1
	done
	return 1
}

# once TOOL RING: one capture while $frames frames are sent; sets c_capt
# c_drop c_cpu c_sent; 1 if it failed
once() {
	local tool=$1 ring=$2 exe=$bpfcap args=() _ err=$work/err tf=$work/time out=$scratch/out.pcap
	case $tool in
	xdpdump) exe=$xdpdump args=(-i "$VB" --load-xdp-program -w "$out") ;;
	ring) args=(-i "$VB" -w "$out") ;;
	xdp) args=(-i "$VB" --backend xdp -w "$out") ;;
	esac
	# the small rings at -s 128, where both are exactly -B KiB (no rounding up)
	[ "$ring" = default ] || args+=(-B "$ring" -s 128)
	rm -f "$err" "$tf" "$out"
	(exec ip netns exec "$NS_B" /usr/bin/time -f '%U %S' -o "$tf" "$exe" "${args[@]}" 2>"$err") &
	local tpid=$! cpid=
	for _ in $(seq 400); do grep -q 'listening on' "$err" 2>/dev/null && break; sleep 0.025; done
	if ! grep -q 'listening on' "$err" || ! cpid=$(find_proc "$tpid" "${exe##*/}"); then
		say "$tool: did not start: $(head -3 "$err")"
		kill "$tpid" 2>/dev/null
		wait "$tpid" 2>/dev/null
		return 1
	fi
	local t0 t1 r0 r1
	r0=$(run_ns "$cpid")
	t0=$(date +%s%N)
	c_sent=$(ip netns exec "$NS_A" "$blast" "$VA" -n "$frames" -s 64 | sed -n 's/^sent //p')
	t1=$(date +%s%N)
	c_ns=$((t1 - t0))
	sleep "$drain"
	r1=$(run_ns "$cpid")
	c_run=$((r1 - r0))
	kill -INT "$cpid"
	for _ in $(seq 200); do kill -0 "$cpid" 2>/dev/null || break; sleep 0.05; done
	kill -KILL "$cpid" 2>/dev/null
	wait "$tpid" 2>/dev/null
	c_capt=$(stat_of "$err" captured)
	if [ "$tool" = xdpdump ]; then
		c_drop=$(stat_of "$err" "dropped by perf ring")
	else
		c_drop=$(stat_of "$err" "dropped by kernel")
	fi
	c_cpu=$(awk 'NF == 2 && $1 ~ /^[0-9.]+$/ { c = $1 + $2 } END { if (c != "") print c }' "$tf")
	rm -f "$out"
	[ -n "$c_capt" ] && [ -n "$c_drop" ] && [ -n "$c_cpu" ] && [ -n "$c_sent" ] ||
		{ say "$tool: no figures: $(tail -3 "$err")"; return 1; }
	[ -n "${BENCH_VERBOSE:-}" ] &&
		say "  $tool -B $ring: sent $c_sent, captured $c_capt, dropped $c_drop, CPU $c_cpu s (while sending $(calc "$c_run / 1e9" 3) s)," \
			"$(calc "1000 * $c_sent / $c_ns" 3) Mpps; $(grep -o 'ring buffer [0-9]* KiB' "$err")"
	return 0
}

tools=(ring xdp)
[ -n "$xdpdump" ] && tools=(xdpdump ring xdp)
echo
echo "== capture at the hook: CPU and loss at the sender's maximum rate (veth, 64-byte frames) =="
say "$frames frames per capture, $runs round(s), the tools alternating (order rotated each round)"
declare -A S C D U T R
cells=()
for ring in default $small; do
	for r in $(seq "$runs"); do
		order=("${tools[@]}")
		for _ in $(seq $(( (r - 1) % ${#tools[@]} ))); do order=("${order[@]:1}" "${order[0]}"); done
		for tool in "${order[@]}"; do
			[ "$tool" = xdpdump ] && [ "$ring" != default ] && continue
			k=$tool/$ring
			once "$tool" "$ring" || continue
			S[$k]=$(( ${S[$k]:-0} + c_sent )) C[$k]=$(( ${C[$k]:-0} + c_capt )) T[$k]=$(( ${T[$k]:-0} + c_ns )) R[$k]=$(( ${R[$k]:-0} + c_run ))
			D[$k]=$(( ${D[$k]:-0} + c_drop )) U[$k]=$(calc "${U[$k]:-0} + $c_cpu" 2)
		done
	done
done
printf '\n%-8s %-9s %10s %10s %9s %8s %6s %7s %9s %12s\n' tool 'ring KiB' sent captured dropped 'drop %' Mpps 'CPU s' 'run s' 'CPU ns/pkt'
declare -A PER FR
for ring in default $small; do
	for tool in "${tools[@]}"; do
		k=$tool/$ring
		[ -n "${S[$k]:-}" ] || continue
		rcv=$(( ${C[$k]} + ${D[$k]} ))
		PER[$k]=$(awk -v c="${R[$k]}" -v n="$rcv" 'BEGIN { if (n) printf "%.1f", c / n; else print "-" }')
		FR[$k]=$(awk -v d="${D[$k]}" -v n="$rcv" 'BEGIN { if (n) printf "%.4f", d / n; else print 0 }')
		printf '%-8s %-9s %10s %10s %9s %8s %6s %7s %9s %12s\n' "$tool" "$ring" "${S[$k]}" "${C[$k]}" "${D[$k]}" \
			"$(calc "100 * ${FR[$k]}" 2)" "$(calc "1000 * ${S[$k]} / ${T[$k]}" 3)" "${U[$k]}" \
			"$(calc "${R[$k]} / 1e9" 3)" "${PER[$k]}"
	done
done
echo
echo "  tools: xdpdump = xdpdump --load-xdp-program -w (perf buffer); ring = bpfcap -i -w (AF_PACKET"
echo "  TPACKET_V3); xdp = bpfcap -i --backend xdp -w (BPF ring buffer).  CPU s: user + system of the"
echo "  capturing process from start to exit, set-up (loading, the verifier) included (/usr/bin/time,"
echo "  10 ms resolution); run s: the time it ran (user + system, /proc/PID/task/*/schedstat, ns)"
echo "  from the first frame sent to the end of the drain, before SIGINT; CPU ns/pkt: run s per"
echo "  received (captured + dropped) packet, over all rounds; Mpps: the sender's rate.  The small rings (-B 64, 256) run"
echo "  with -s 128, so that both are exactly that size (at the default snap length both round up)."
echo
echo "targets:"
x=${PER[xdp/default]:-} g=${PER[ring/default]:-} d=${PER[xdpdump/default]:-}
[ -n "$x" ] && [ -n "$d" ] &&
	echo "  CPU per packet <= 0.15 x xdpdump's: $(ratio "$x" "$d") x ($(awk -v r="$(ratio "$x" "$d")" 'BEGIN { print (r <= 0.15 ? "met" : "NOT MET") }'))"
[ -n "$x" ] && [ -n "$g" ] &&
	echo "  CPU per packet <= 1.0 x bpfcap's ring capture: $(ratio "$x" "$g") x ($(awk -v r="$(ratio "$x" "$g")" 'BEGIN { print (r <= 1.0 ? "met" : "NOT MET") }'))"
[ -n "${D[xdp/default]:-}" ] &&
	echo "  0 drops with the default ring buffer: ${D[xdp/default]} dropped ($([ "${D[xdp/default]}" = 0 ] && echo met || echo 'NOT MET'))"
for ring in $small; do
	[ -n "${FR[xdp/$ring]:-}" ] && [ -n "${FR[ring/$ring]:-}" ] || continue
	echo "  -B $ring: drops per received, xdp ${FR[xdp/$ring]} vs ring ${FR[ring/$ring]}" \
		"($(awk -v a="${FR[xdp/$ring]}" -v b="${FR[ring/$ring]}" 'BEGIN { print (a <= b ? "met" : "NOT MET") }'))"
done
echo
echo "== the in-kernel cost of the capture (bench/hookcost, BPF_PROG_TEST_RUN) =="
if [ -x "$hookcost" ]; then
	"$hookcost" $([ -n "$quick" ] && echo 200000 3)
else
	say "skipped: $hookcost not built (make bench/hookcost)"
fi
exit 0
