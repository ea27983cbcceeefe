# lib.sh - shared set-up for the capture tests (sourced): two network
# namespaces joined by a veth pair, unique names, removed on every exit.
#   NS_A/VA: the sender's side, NS_B/VB: the capture side.
# Sets top, bld, BPFCAP, BLAST, TMPD (a scratch directory, removed too).
top=${top_srcdir:-$(dirname "$0")/../..}
bld=${top_builddir:-.}
BPFCAP=$(cd "$bld" && pwd)/bpfcap
BLAST=$(cd "$bld" && pwd)/tests/kern/blast
skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
[ "$(id -u)" = 0 ] || skip "needs root for network namespaces"
command -v ip >/dev/null || skip "iproute2 not installed (Debian: iproute2)"
NS_A=bcA$$ NS_B=bcB$$ VA=bca$$ VB=bcb$$
TMPD=$(mktemp -d)
CLEANUP_EXTRA=:
cleanup() {
	eval "$CLEANUP_EXTRA"
	for p in $(jobs -p); do kill "$p" 2>/dev/null; done
	ip netns pids "$NS_B" 2>/dev/null | xargs -r kill 2>/dev/null
	ip netns pids "$NS_A" 2>/dev/null | xargs -r kill 2>/dev/null
	ip netns del "$NS_A" 2>/dev/null
	ip netns del "$NS_B" 2>/dev/null
	rm -rf "$TMPD"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
setup_pair() {
	ip netns add "$NS_A" && ip netns add "$NS_B" || skip "cannot create network namespaces"
	ip link add "$VA" netns "$NS_A" type veth peer name "$VB" netns "$NS_B" ||
		skip "cannot create a veth pair"
	for ns in "$NS_A:$VA" "$NS_B:$VB"; do
		# no IPv6 autoconfiguration chatter of the kernel's own (through /proc:
		# minimal systems have no sysctl(8))
		ip netns exec "${ns%%:*}" sh -c "echo 1 >/proc/sys/net/ipv6/conf/${ns#*:}/disable_ipv6" 2>/dev/null
		ip -n "${ns%%:*}" link set "${ns#*:}" mtu 9000 up
		ip -n "${ns%%:*}" link set lo up
	done
}
in_a() { ip netns exec "$NS_A" "$@"; }
in_b() { ip netns exec "$NS_B" "$@"; }
# bg_b ERRFILE CMD...: CMD in the capture namespace, in the background, as
# the shell's child itself (so that $! is its pid and signals reach it)
bg_b() { local e=$1; shift; (exec ip netns exec "$NS_B" "$@" 2>"$e") & }
# wait_listening ERRFILE: until bpfcap (or tcpdump) says it is listening
wait_listening() {
	for _ in $(seq 100); do grep -q 'listening on' "$1" 2>/dev/null && return 0; sleep 0.05; done
	cat "$1"
	fail "the capture did not start"
}
# stat_of ERRFILE WHAT: the number on bpfcap's 'N packets WHAT' line
stat_of() { sed -n "s/^\([0-9]*\) packets\{0,1\} $2\$/\1/p" "$1" | tail -1; }
# records FILE: the packets libpcap reads from a capture file
records() { "$BPFCAP" -r "$1" --count 2>/dev/null | awk '{print $1}'; }
# stop PID [SIGNAL]: signal a capture (default INT; 0: none, it stops by
# itself) and reap it; one that has
# not stopped 10 s later is killed (the caller sees status 137), so that a
# test never hangs.  Returns the capture's exit status.
stop() {
	kill "-${2:-INT}" "$1" 2>/dev/null
	timeout 10 tail --pid="$1" -f /dev/null || kill -KILL "$1" 2>/dev/null
	wait "$1"
}
