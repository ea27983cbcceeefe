#!/bin/bash
# vlan_live.sh - bpfcap's live-socket programs against libpcap's, in the
# kernel: replay the project's captures across a veth pair between two
# network namespaces, and let tests/kern/livecmp check that both programs
# accept the same packets (the receiving kernel moves VLAN tags into
# metadata, which only the live code sees).
set -u
. "$(dirname "$0")/lib.sh"
command -v tcpreplay >/dev/null || skip "tcpreplay not installed"
setup_pair
out=$TMPD/livecmp.out
ip netns exec "$NS_B" "$bld/tests/kern/livecmp" "$VB" 120 "$top/tests/kern/vlan-live.flt" \
	"$out.done" >"$out" &
pid=$!
for _ in $(seq 50); do grep -q '^READY' "$out" && break; sleep 0.1; done
grep -q '^READY' "$out" || { cat "$out"; echo "FAIL: livecmp did not start"; exit 1; }
sleep 0.5
for f in "$top"/pcaps/ether-*.pcap "$top"/pcaps/demo.pcap; do
	ip netns exec "$NS_A" tcpreplay -q -i "$VA" --pps 3000 "$f" >/dev/null 2>&1 ||
		echo "note: tcpreplay of $(basename "$f") reported errors (oversized frames are skipped)"
done
touch "$out.done"
wait "$pid"
rc=$?
cat "$out"
n=$(grep -c '^ok' "$out")
echo "vlan_live: $n expressions agree"
[ "$rc" = 0 ] && [ "$n" -gt 0 ]
