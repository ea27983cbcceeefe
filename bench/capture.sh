#!/bin/bash
# bench/capture.sh - capture benchmarks: bpfcap against tcpdump, measured
# alternately in the same run, printed as figures and ratios.  Not a test: it
# always reports, it does not fail on a missed target.  See bench/README.md.
#
# Written for bash (not POSIX sh): arrays, associative arrays, local.
#
#  1. live capture (root only): two network namespaces joined by a veth pair;
#     tests/kern/blast sends as fast as it can on one side, the capture runs
#     on the other under /usr/bin/time; frames captured, dropped by the
#     kernel, and CPU seconds of the capture process.
#  2. offline throughput: a large capture made of the packets of
#     pcaps/*.pcap (EN10MB) by bench/bigpcap.c, filtered with -r BIG -w OUT
#     EXPR by both tools and copied by cat (the limit), timed by hyperfine
#     (or /usr/bin/time, best of 3).
#
# Environment: top_srcdir (default: this script's ..), top_builddir (where
# bpfcap and tests/kern/blast are; default: the repository root, or . when
# only that has bpfcap), BENCH_QUICK (set: 10x fewer frames, a 10x smaller
# file, one round), BENCH_FRAMES_64, BENCH_FRAMES_1500 (frames per live
# capture; default 1000000 and 300000), BENCH_RUNS (live rounds, default 3),
# BENCH_RINGS (default "64 256 1024 default"), BENCH_DRAIN (seconds between
# the end of sending and SIGINT, default 1.5), BENCH_WARMUP (0: no uncounted
# capture per tool before each frame size), BENCH_BIG_MB (default 300),
# BENCH_OFFLINE_RUNS (hyperfine runs per command, default 10),
# BENCH_NO_LIVE, BENCH_NO_OFFLINE (set: skip that part), BENCH_VERBOSE (set:
# one line per live capture, hyperfine's own output), CC (default cc).
set -u

here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=$(cd "${top_srcdir:-$here/..}" && pwd)
if [ -z "${top_builddir:-}" ]; then
	top_builddir=$top_srcdir
	[ ! -x "$top_builddir/bpfcap" ] && [ -x ./bpfcap ] && top_builddir=$(pwd)
fi
top_builddir=$(cd "$top_builddir" && pwd)
bpfcap=$top_builddir/bpfcap
cc=${CC:-cc}

say() { printf 'bench: %s\n' "$*"; }
verbose() { [ -n "${BENCH_VERBOSE:-}" ]; }

if [ ! -x "$bpfcap" ]; then
	say "ERROR: $bpfcap not found: build it first (make bpfcap)"
	exit 2
fi

quick=${BENCH_QUICK:-}
[ "$quick" = 0 ] && quick=
if [ -n "$quick" ]; then
	frames_64=${BENCH_FRAMES_64:-100000}
	frames_1500=${BENCH_FRAMES_1500:-30000}
	runs=${BENCH_RUNS:-1}
	big_mb=${BENCH_BIG_MB:-30}
	offline_runs=${BENCH_OFFLINE_RUNS:-3}
else
	frames_64=${BENCH_FRAMES_64:-1000000}
	frames_1500=${BENCH_FRAMES_1500:-300000}
	runs=${BENCH_RUNS:-3}
	big_mb=${BENCH_BIG_MB:-300}
	offline_runs=${BENCH_OFFLINE_RUNS:-10}
fi
rings=${BENCH_RINGS:-64 256 1024 default}
drain=${BENCH_DRAIN:-1.5}
warmup=${BENCH_WARMUP:-1}

tcpdump=$(command -v tcpdump 2>/dev/null) || tcpdump=
hyperfine=$(command -v hyperfine 2>/dev/null) || hyperfine=
timebin=
[ -x /usr/bin/time ] && timebin=/usr/bin/time

# ---------------------------------------------------------------- clean-up
NS_A=bbA$$ NS_B=bbB$$ VA=bba$$ VB=bbb$$
netns_made=
work=
scratch=
cleanup() {
	local p
	for p in $(jobs -p); do kill "$p" 2>/dev/null; done
	if [ -n "$netns_made" ]; then
		ip netns pids "$NS_B" 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns pids "$NS_A" 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns del "$NS_A" 2>/dev/null
		ip netns del "$NS_B" 2>/dev/null
	fi
	[ -n "$scratch" ] && rm -rf "$scratch"
	[ -n "$work" ] && rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

work=$(mktemp -d "${TMPDIR:-/tmp}/bpfcap-capbench.XXXXXX") || exit 2
# a copy of the binary under test, so that a rebuild while the benchmark runs
# does not mix two versions in one table (unless $work is noexec)
if cp "$bpfcap" "$work/bpfcap" && "$work/bpfcap" --version >/dev/null 2>&1; then
	say "bpfcap: $bpfcap (copied at start; built $(date -r "$bpfcap" '+%F %T'))"
	bpfcap=$work/bpfcap
else
	say "bpfcap: $bpfcap (not copied: a rebuild during the run would show)"
fi
pcap_cflags=$(pkg-config --cflags libpcap 2>/dev/null)
pcap_libs=$(pkg-config --libs libpcap 2>/dev/null || echo -lpcap)

# The scratch directory for the capture files: a tmpfs when it has room, so
# that the disk does not take part in the figures.
need_mb=$((frames_1500 * 1516 / 1000000))
[ $((frames_64 * 80 / 1000000)) -gt "$need_mb" ] && need_mb=$((frames_64 * 80 / 1000000))
[ $((2 * big_mb)) -gt "$need_mb" ] && need_mb=$((2 * big_mb))
need_mb=$((need_mb + 64))
for d in /dev/shm "${TMPDIR:-/tmp}"; do
	[ -d "$d" ] && [ -w "$d" ] || continue
	avail=$(df -Pk "$d" 2>/dev/null | awk 'NR == 2 { print int($4 / 1024) }')
	[ -n "$avail" ] && [ "$avail" -ge "$need_mb" ] || continue
	scratch=$(mktemp -d "$d/bpfcap-capbench.XXXXXX") && break
done
if [ -z "$scratch" ]; then
	say "ERROR: no scratch directory with $need_mb MB free (/dev/shm, ${TMPDIR:-/tmp})"
	exit 2
fi
# tcpdump gives up root for its -Z user (Debian: tcpdump) before it opens
# the -w file: let it write there.
chmod 0777 "$scratch"
fstype=$(df -PT "$scratch" 2>/dev/null | awk 'NR == 2 { print $2 }')

say "tcpdump: ${tcpdump:-not installed (Debian package tcpdump): bpfcap alone, no ratios}"
[ -n "$tcpdump" ] && say "         $("$tcpdump" --version 2>&1 | head -2 | tr '\n' ' ')"
say "machine: $(uname -srm), $(getconf _NPROCESSORS_ONLN) CPU(s); scratch: $scratch (${fstype:-?})"
[ -n "$quick" ] && say "BENCH_QUICK: 10x fewer frames, a 10x smaller file, one round: figures are rough"

# --------------------------------------------------------------- helpers
# ratio A B [DIGITS]: A / B, "-" when both are 0, "inf" when only B is
ratio() {
	awk -v a="$1" -v b="$2" -v d="${3:-2}" 'BEGIN {
		if (b + 0 == 0) print (a + 0 == 0 ? "-" : "inf"); else printf "%.*f\n", d, a / b }'
}
# calc EXPR [DIGITS]: an awk expression, printed with DIGITS decimals
calc() { awk "BEGIN { printf \"%.${2:-2}f\n\", $1 }"; }
# stat_of ERRFILE WHAT: the number on a 'N packets WHAT' line
stat_of() { sed -n "s/^\([0-9]*\) packets\{0,1\} $2\$/\1/p" "$1" | tail -1; }
# records FILE: the packets in a capture file
records() { "$bpfcap" -r "$1" --count 2>/dev/null | awk '{ print $1 }'; }
# find_proc PID NAME: the process called NAME among PID and its descendants
find_proc() {
	local pids=$1 name=$2 p _
	for _ in 1 2 3 4; do
		for p in ${pids//,/ }; do
			[ "$(cat "/proc/$p/comm" 2>/dev/null)" = "$name" ] && { echo "$p"; return 0; }
		done
		pids=$(pgrep -d, -P "$pids") || return 1
	done
	return 1
}
now_ns() { date +%s%N; }

# ============================================================ 1. live
live_part() {
	echo
	echo "== live capture: loss and CPU at the sender's maximum rate (veth, tests/kern/blast) =="
	if [ "$(id -u)" != 0 ]; then
		say "skipped: needs root (network namespaces)"
		return
	fi
	local t
	for t in ip pgrep; do
		if ! command -v "$t" >/dev/null 2>&1; then
			say "skipped: $t not installed (Debian packages iproute2, procps)"
			return
		fi
	done
	if [ -z "$timebin" ]; then
		say "skipped: /usr/bin/time not installed (Debian package time)"
		return
	fi

	# the sender: the build's, else built here from the source
	local blast=$work/blast
	if [ -x "$top_builddir/tests/kern/blast" ]; then
		cp "$top_builddir/tests/kern/blast" "$blast" && "$blast" >/dev/null 2>&1
		[ $? = 2 ] || blast=$top_builddir/tests/kern/blast # usage: 2, so it runs
	else
		if ! $cc -O2 $pcap_cflags -o "$blast" "$top_srcdir/tests/kern/blast.c" $pcap_libs \
			2>"$work/blast.log"; then
			say "skipped: tests/kern/blast is not built and does not build:"
			sed 's/^/  /' "$work/blast.log" | head -10
			return
		fi
		say "sender: built $blast from tests/kern/blast.c"
	fi

	netns_made=1
	if ! ip netns add "$NS_A" || ! ip netns add "$NS_B"; then
		say "skipped: cannot create network namespaces"
		return
	fi
	if ! ip link add "$VA" netns "$NS_A" type veth peer name "$VB" netns "$NS_B"; then
		say "skipped: cannot create a veth pair"
		return
	fi
	local ns
	for ns in "$NS_A:$VA" "$NS_B:$VB"; do
		ip netns exec "${ns%%:*}" sh -c "echo 1 >/proc/sys/net/ipv6/conf/${ns#*:}/disable_ipv6" 2>/dev/null
		ip -n "${ns%%:*}" link set "${ns#*:}" up
		ip -n "${ns%%:*}" link set lo up
	done

	local tools=(bpfcap)
	[ -n "$tcpdump" ] && tools+=(tcpdump)
	say "frames: $frames_64 x 64 B, $frames_1500 x 1500 B per capture; rings (-B KiB): $rings;"
	say "  $runs round(s), the tools alternating (order swapped every round); SIGINT ${drain} s after the last frame;"
	[ "$warmup" != 0 ] && say "  before each frame size, one capture per tool that is not counted (warm-up)"

	declare -A s_sent s_capt s_drop s_cpu s_ns s_bad
	local size ring r tool count failures=0
	for size in 64 1500; do
		[ "$size" = 64 ] && count=$frames_64 || count=$frames_1500
		# one capture per tool first, not counted: the first large files
		# written to the scratch directory cost more (page allocation)
		if [ "$warmup" != 0 ]; then
			for tool in "${tools[@]}"; do
				live_once "$tool" "$size" default "$count" || true
				verbose && [ -n "${l_capt:-}" ] && say "  $size B, warm-up, $tool: sent $l_sent," \
					"captured $l_capt, dropped ${l_drop:-?}, CPU ${l_cpu:-?} s (not counted)"
			done
		fi
		for ring in $rings; do
			for r in $(seq "$runs"); do
				local order=("${tools[@]}")
				[ $((r % 2)) = 0 ] && [ ${#tools[@]} = 2 ] && order=(tcpdump bpfcap)
				for tool in "${order[@]}"; do
					local k=$size/$ring/$tool
					if live_once "$tool" "$size" "$ring" "$count"; then
						s_sent[$k]=$(( ${s_sent[$k]:-0} + l_sent ))
						s_capt[$k]=$(( ${s_capt[$k]:-0} + l_capt ))
						s_drop[$k]=$(( ${s_drop[$k]:-0} + l_drop ))
						s_ns[$k]=$(( ${s_ns[$k]:-0} + l_ns ))
						s_cpu[$k]=$(calc "${s_cpu[$k]:-0} + $l_cpu")
						[ "$l_file" = "$l_capt" ] || s_bad[$k]=1
						verbose && say "  $size B, ring $ring, $tool, round $r: sent $l_sent," \
							"captured $l_capt, dropped $l_drop, in the file $l_file," \
							"CPU $l_cpu s, sending $(calc "$l_ns / 1e9" 3) s"
					else
						failures=$((failures + 1))
					fi
				done
			done
		done
	done

	echo
	printf '%-6s %-8s %-8s %9s %9s %9s %7s %7s %7s %7s %9s\n' frame 'ring KiB' tool sent captured \
		dropped 'drop %' unseen Mpps 'CPU s' 'CPU s/M'
	local sumcpu_b=0 sumcpu_t=0 sumrcv_b=0 sumrcv_t=0
	local t_default="" t_small="" t_cpu="" n_small=0 n_small_ok=0 n_cpu=0 n_cpu_ok=0 n_cpu_coarse=0
	for size in 64 1500; do
		for ring in $rings; do
			declare -A frac=() cpm=() cpc=()
			for tool in "${tools[@]}"; do
				local k=$size/$ring/$tool
				[ -n "${s_sent[$k]:-}" ] || continue
				local rcv=$(( ${s_capt[$k]} + ${s_drop[$k]} ))
				frac[$tool]=$(ratio "${s_drop[$k]}" "$rcv" 6)
				cpm[$tool]=$(ratio "${s_cpu[$k]}" "$(calc "$rcv / 1e6" 6)" 6)
				cpc[$tool]=$(ratio "${s_cpu[$k]}" "$(calc "${s_capt[$k]} / 1e6" 6)" 6)
				printf '%-6s %-8s %-8s %9s %9s %9s %7s %7s %7s %7s %9s%s\n' "$size B" "$ring" "$tool" \
					"${s_sent[$k]}" "${s_capt[$k]}" "${s_drop[$k]}" \
					"$(calc "100 * ${frac[$tool]/-/0}" 2)" "$(( ${s_sent[$k]} - rcv ))" \
					"$(ratio "${s_sent[$k]}" "$(calc "${s_ns[$k]} / 1e3" 3)" 2)" \
					"$(calc "${s_cpu[$k]}" 2)" "$(calc "${cpm[$tool]/-/0}" 3)" \
					"${s_bad[$k]:+  (file != captured)}"
				if [ "$tool" = bpfcap ]; then
					sumcpu_b=$(calc "$sumcpu_b + ${s_cpu[$k]}" 2); sumrcv_b=$((sumrcv_b + rcv))
				else
					sumcpu_t=$(calc "$sumcpu_t + ${s_cpu[$k]}" 2); sumrcv_t=$((sumrcv_t + rcv))
				fi
			done
			local kb=$size/$ring/bpfcap kt=$size/$ring/tcpdump
			# the targets
			if [ "$ring" = default ] && [ -n "${s_sent[$kb]:-}" ]; then
				if [ "${s_drop[$kb]}" = 0 ]; then t_default+=" $size B: met (0 dropped);"
				else t_default+=" $size B: NOT MET (${s_drop[$kb]} dropped);"; fi
			fi
			[ -n "${s_sent[$kb]:-}" ] && [ -n "${s_sent[$kt]:-}" ] || continue
			local dr cr
			dr=$(ratio "${frac[bpfcap]}" "${frac[tcpdump]}" 3)
			cr=$(ratio "${cpm[bpfcap]}" "${cpm[tcpdump]}" 2)
			# per captured packet too: at a ring that overflows, the tool that
			# drops less does more work for the same number received
			local cc
			cc=$(ratio "${cpc[bpfcap]}" "${cpc[tcpdump]}" 2)
			local coarse=
			# under 0.1 s of CPU (10 ticks) on either side the ratio is too coarse
			awk -v b="${s_cpu[$kb]}" -v t="${s_cpu[$kt]}" 'BEGIN { exit !(b < 0.1 || t < 0.1) }' &&
				coarse=" (under 0.1 s of CPU: coarse)"
			printf '%-6s %-8s %-8s %s\n' '' '' ratio \
				"bpfcap/tcpdump: drops (per received) $dr, CPU per received packet $cr, per captured $cc$coarse"
			if [ "$ring" != default ]; then
				n_small=$((n_small + 1))
				if awk -v b="${frac[bpfcap]}" -v t="${frac[tcpdump]}" 'BEGIN { exit !(b <= 0.25 * t) }'; then
					n_small_ok=$((n_small_ok + 1))
				else
					t_small+=" $size B/-B $ring ($dr);"
				fi
			fi
			if [ -n "$coarse" ]; then
				n_cpu_coarse=$((n_cpu_coarse + 1))
			else
				n_cpu=$((n_cpu + 1))
				if awk -v b="${cpm[bpfcap]}" -v t="${cpm[tcpdump]}" 'BEGIN { exit !(b <= 0.5 * t) }'; then
					n_cpu_ok=$((n_cpu_ok + 1))
				else
					t_cpu+=" $size B/$ring ($cr);"
				fi
			fi
		done
	done
	echo
	echo "  sent: frames the sender's socket took; dropped: the kernel's count (ring full);"
	echo "  drop % = dropped / received, received = captured + dropped; unseen = sent - received"
	echo "  (lost before the capture socket); Mpps: the sender's rate; CPU s: user + system"
	echo "  of the capture process (/usr/bin/time, 10 ms resolution), over all rounds;"
	echo "  CPU s/M: CPU seconds per million received packets."
	[ "$failures" -gt 0 ] && echo "  $failures capture(s) failed and are left out (see above)."
	echo
	echo "targets:"
	t_default=${t_default%;}
	echo "  no drop at the default ring (bpfcap):${t_default:- not measured}"
	if [ -n "$tcpdump" ]; then
		if [ "$n_small" -gt 0 ]; then
			printf '  drops <= 1/4 of tcpdump'\''s at each small ring: %s (met at %d of %d)%s\n' \
				"$([ "$n_small_ok" = "$n_small" ] && echo met || echo 'NOT MET')" \
				"$n_small_ok" "$n_small" "${t_small:+; not met at:${t_small%;}}"
		fi
		if [ "$n_cpu" -gt 0 ]; then
			printf '  CPU per packet <= 0.5 x tcpdump'\''s: %s (met at %d of %d)%s\n' \
				"$([ "$n_cpu_ok" = "$n_cpu" ] && echo met || echo 'NOT MET')" \
				"$n_cpu_ok" "$n_cpu" "${t_cpu:+; not met at:${t_cpu%;}}"
		fi
		[ "$n_cpu_coarse" -gt 0 ] &&
			echo "  CPU per packet: $n_cpu_coarse cell(s) not judged (under 0.1 s of CPU on one side: too coarse)"
		echo "  all cells together: CPU s/M received bpfcap $(ratio "$sumcpu_b" "$(calc "$sumrcv_b / 1e6" 6)" 3)," \
			"tcpdump $(ratio "$sumcpu_t" "$(calc "$sumrcv_t / 1e6" 6)" 3)," \
			"ratio $(ratio "$(ratio "$sumcpu_b" "$sumrcv_b" 12)" "$(ratio "$sumcpu_t" "$sumrcv_t" 12)" 2)"
	else
		echo "  the targets against tcpdump: not judged (tcpdump not installed)"
	fi
}

# live_once TOOL SIZE RING COUNT: one capture while COUNT frames of SIZE bytes
# are sent; sets l_sent l_capt l_drop l_file l_cpu l_ns; 1 if it failed
live_once() {
	local tool=$1 size=$2 ring=$3 count=$4 exe opt=() _
	local err=$work/live.err tf=$work/live.time out=$scratch/live.pcap
	case $tool in bpfcap) exe=$bpfcap ;; *) exe=$tcpdump ;; esac
	[ "$ring" = default ] || opt=(-B "$ring")
	rm -f "$err" "$tf" "$out"
	# $! is ip, which becomes /usr/bin/time, whose child is the capture;
	# time ignores SIGINT, so the signal goes to the capture itself
	(exec ip netns exec "$NS_B" "$timebin" -f '%U %S' -o "$tf" "$exe" -i "$VB" "${opt[@]}" \
		-w "$out" 2>"$err") &
	local tpid=$! cpid=
	for _ in $(seq 400); do
		grep -q 'listening on' "$err" 2>/dev/null && break
		sleep 0.025
	done
	if ! grep -q 'listening on' "$err" 2>/dev/null || ! cpid=$(find_proc "$tpid" "${exe##*/}"); then
		say "$tool -i $VB ${opt[*]}: the capture did not start:"
		sed 's/^/  /' "$err" | head -5
		kill "$tpid" 2>/dev/null
		[ -n "$cpid" ] && kill -KILL "$cpid" 2>/dev/null
		wait "$tpid" 2>/dev/null
		return 1
	fi
	local t0 t1
	t0=$(now_ns)
	l_sent=$(ip netns exec "$NS_A" "$blast" "$VA" -n "$count" -s "$size" | sed -n 's/^sent //p')
	t1=$(now_ns)
	l_ns=$((t1 - t0))
	sleep "$drain"
	kill -INT "$cpid" 2>/dev/null
	for _ in $(seq 200); do
		kill -0 "$cpid" 2>/dev/null || break
		sleep 0.05
	done
	if kill -0 "$cpid" 2>/dev/null; then
		say "$tool: still running 10 s after SIGINT: killed"
		kill -KILL "$cpid" 2>/dev/null
	fi
	wait "$tpid" 2>/dev/null
	l_capt=$(stat_of "$err" captured)
	l_drop=$(stat_of "$err" 'dropped by kernel')
	l_cpu=$(awk 'NF == 2 && $1 ~ /^[0-9.]+$/ { c = $1 + $2 } END { if (c != "") print c }' "$tf" 2>/dev/null)
	l_file=$(records "$out")
	rm -f "$out"
	if [ -z "$l_sent" ] || [ -z "$l_capt" ] || [ -z "$l_drop" ] || [ -z "$l_cpu" ]; then
		say "$tool -i $VB ${opt[*]} ($size B): no figures (sent '${l_sent:-}'); its stderr:"
		sed 's/^/  /' "$err" | tail -5
		return 1
	fi
	return 0
}

# ============================================================ 2. offline
offline_part() {
	echo
	echo "== offline throughput: -r BIG -w OUT EXPR, against cat BIG > OUT =="
	if ! $cc -O2 $pcap_cflags -o "$work/bigpcap" "$here/bigpcap.c" $pcap_libs 2>"$work/bigpcap.log"; then
		say "skipped: bench/bigpcap.c does not build:"
		sed 's/^/  /' "$work/bigpcap.log" | head -10
		return
	fi
	local timer
	if [ -n "$hyperfine" ]; then
		timer="hyperfine, $offline_runs runs per command after 1 warm-up, the mean"
	elif [ -n "$timebin" ]; then
		timer="/usr/bin/time (hyperfine not installed), best of 3, in turn"
	else
		say "skipped: neither hyperfine nor /usr/bin/time installed (Debian packages hyperfine, time)"
		return
	fi
	local big=$scratch/big.pcap out=$scratch/out.pcap info
	if ! info=$("$work/bigpcap" "$big" "$big_mb" "$top_srcdir"/pcaps/*.pcap 2>"$work/bigpcap.err"); then
		say "skipped: bigpcap failed:"
		sed 's/^/  /' "$work/bigpcap.err" | head -5
		return
	fi
	local bytes npk
	npk=${info%% packets*}
	bytes=$(stat -c %s "$big")
	say "BIG: $info ($(calc "$bytes / $npk" 0) bytes a packet with headers), the EN10MB packets of pcaps/*.pcap over and over"
	say "timing: $timer"
	[ -n "$tcpdump" ] || say "tcpdump not installed: bpfcap and cat only"
	local tools=(bpfcap)
	[ -n "$tcpdump" ] && tools+=(tcpdump)
	tools+=(cat)

	local table e name tool cmd t_b t_t t_c summary=""
	table=$(printf '%-13s %-8s %9s %8s %9s %10s %s' filter command seconds '± s' 'MB/s' packets 'out = tcpdump'"'"'s')
	for e in 'tcp port 80' 'udp or icmp' ''; do
		name=${e:-'(none)'}
		declare -A cmds=() mean=() sd=() np=()
		cmds[bpfcap]="'$bpfcap' -r '$big' -w '$out'${e:+ '$e'}"
		cmds[tcpdump]="'$tcpdump' -r '$big' -w '$out'${e:+ '$e'}"
		cmds[cat]="cat '$big' > '$out'"
		# once each, outside the timing: the packets written, the same file?
		local same=""
		for tool in "${tools[@]}"; do
			rm -f "$out"
			sh -c "${cmds[$tool]}" 2>/dev/null
			[ "$tool" = cat ] && { np[$tool]=$npk; continue; }
			np[$tool]=$(records "$out")
			if [ "$tool" = bpfcap ]; then
				mv "$out" "$out.bpfcap"
			elif cmp -s "$out" "$out.bpfcap"; then
				same=yes
			else
				same="NO"
			fi
		done
		rm -f "$out.bpfcap" "$out"
		if [ -n "$hyperfine" ]; then
			local args=() csv=$work/hf.csv
			for tool in "${tools[@]}"; do args+=(-n "$tool" "${cmds[$tool]}"); done
			if verbose; then
				"$hyperfine" --style basic --warmup 1 --runs "$offline_runs" --prepare "rm -f '$out'" \
					--export-csv "$csv" "${args[@]}" 2>&1 | sed 's/^/  /'
			else
				"$hyperfine" --style none --warmup 1 --runs "$offline_runs" --prepare "rm -f '$out'" \
					--export-csv "$csv" "${args[@]}" >/dev/null 2>&1
			fi
			for tool in "${tools[@]}"; do
				mean[$tool]=$(awk -F, -v n="$tool" '$1 == n { print $2 }' "$csv" 2>/dev/null)
				sd[$tool]=$(awk -F, -v n="$tool" '$1 == n { printf "%.4f\n", $3 }' "$csv" 2>/dev/null)
			done
		else
			local round best
			for round in 1 2 3; do
				for tool in "${tools[@]}"; do
					rm -f "$out"
					"$timebin" -f '%e' -o "$work/t" sh -c "${cmds[$tool]}" 2>/dev/null
					best=$(tail -1 "$work/t")
					if [ -z "${mean[$tool]:-}" ] || awk -v a="$best" -v b="${mean[$tool]}" 'BEGIN { exit !(a < b) }'; then
						mean[$tool]=$best
					fi
				done
			done
			for tool in "${tools[@]}"; do sd[$tool]=-; done
		fi
		rm -f "$out"
		for tool in "${tools[@]}"; do
			if [ -z "${mean[$tool]:-}" ]; then
				table+=$'\n'$(printf '%-13s %-8s %9s' "$name" "$tool" 'no figure')
				continue
			fi
			table+=$'\n'$(printf '%-13s %-8s %9s %8s %9s %10s %s' "$name" "$tool" "$(calc "${mean[$tool]}" 4)" \
				"${sd[$tool]}" "$(ratio "$bytes" "$(calc "${mean[$tool]} * 1e6" 3)" 0)" "${np[$tool]}" \
				"$([ "$tool" = bpfcap ] && [ -n "$tcpdump" ] && echo "$same")")
		done
		t_b=${mean[bpfcap]:-} t_t=${mean[tcpdump]:-} t_c=${mean[cat]:-}
		local rt="-" rc="-"
		[ -n "$t_b" ] && [ -n "$t_t" ] && rt=$(ratio "$t_t" "$t_b" 2)
		[ -n "$t_b" ] && [ -n "$t_c" ] && rc=$(ratio "$t_c" "$t_b" 2)
		table+=$'\n'$(printf '%-13s %-8s %s' '' ratio "throughput bpfcap/tcpdump $rt, bpfcap/cat $rc")
		if [ -n "$tcpdump" ]; then
			if [ "$rt" != "-" ] && awk -v r="$rt" 'BEGIN { exit !(r >= 1.5) }'; then
				summary+=" $name: met ($rt);"
			else
				summary+=" $name: NOT MET ($rt);"
			fi
		fi
	done
	rm -f "$big"
	echo
	printf '%s\n' "$table"
	echo
	if [ -n "$hyperfine" ]; then
		echo "  seconds: wall clock, hyperfine's mean (± its standard deviation) over $offline_runs runs;"
	else
		echo "  seconds: wall clock, the best of 3 (/usr/bin/time, 10 ms resolution);"
	fi
	echo "  MB/s: megabytes (10^6) of BIG read per second; packets: written to OUT;"
	echo "  out = tcpdump's: bpfcap's OUT is byte for byte tcpdump's. Both OUT and BIG on $scratch (${fstype:-?})."
	echo
	echo "targets:"
	if [ -n "$tcpdump" ]; then
		echo "  throughput >= 1.5 x tcpdump's:${summary%;}"
	else
		echo "  throughput against tcpdump: not judged (tcpdump not installed)"
	fi
}

if [ -n "${BENCH_NO_LIVE:-}" ]; then
	echo
	say "live capture skipped: BENCH_NO_LIVE is set"
else
	live_part
fi
if [ -n "${BENCH_NO_OFFLINE:-}" ]; then
	echo
	say "offline throughput skipped: BENCH_NO_OFFLINE is set"
else
	offline_part
fi
exit 0
