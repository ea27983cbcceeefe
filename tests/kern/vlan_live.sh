#!/bin/bash
# vlan_live.sh - bpfcap's live-socket programs against libpcap's, in the
# kernel: replay the project's captures across a veth pair between two
# network namespaces, and let tests/kern/livecmp check that both programs
# accept the same packets (the receiving kernel moves VLAN tags into
# metadata, which only the live code sees).
set -u
top=${top_srcdir:-$(dirname "$0")/../..}
bld=${top_builddir:-.}
skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root for network namespaces"
command -v ip >/dev/null || skip "iproute2 not installed"
command -v tcpreplay >/dev/null || skip "tcpreplay not installed"
a=bpfcapA$$ b=bpfcapB$$ va=bcva$$ vb=bcvb$$
cleanup() {
	ip netns del "$a" 2>/dev/null
	ip netns del "$b" 2>/dev/null
	[ -n "${out:-}" ] && rm -f "$out" "$out.done"
}
trap cleanup EXIT
ip netns add "$a" && ip netns add "$b" || skip "cannot create network namespaces"
ip link add "$va" netns "$a" type veth peer name "$vb" netns "$b" || skip "cannot create veth"
for ns in "$a:$va" "$b:$vb"; do
	# no IPv6 autoconfiguration chatter of the kernel's own in the comparison
	ip netns exec "${ns%%:*}" sh -c "echo 1 >/proc/sys/net/ipv6/conf/${ns#*:}/disable_ipv6" 2>/dev/null
	ip -n "${ns%%:*}" link set "${ns#*:}" mtu 9000 up
	ip -n "${ns%%:*}" link set lo up
done
out=$(mktemp)
rm -f "$out.done"
ip netns exec "$b" "$bld/tests/kern/livecmp" "$vb" 120 "$top/tests/kern/vlan-live.flt" \
	"$out.done" >"$out" &
pid=$!
for _ in $(seq 50); do grep -q '^READY' "$out" && break; sleep 0.1; done
grep -q '^READY' "$out" || { cat "$out"; echo "FAIL: livecmp did not start"; exit 1; }
sleep 0.5
for f in "$top"/pcaps/ether-*.pcap "$top"/pcaps/demo.pcap; do
	ip netns exec "$a" tcpreplay -q -i "$va" --pps 3000 "$f" >/dev/null 2>&1 ||
		echo "note: tcpreplay of $(basename "$f") reported errors (oversized frames are skipped)"
done
touch "$out.done"
wait "$pid"
rc=$?
cat "$out"
n=$(grep -c '^ok' "$out")
echo "vlan_live: $n expressions agree"
[ "$rc" = 0 ] && [ "$n" -gt 0 ]
