#!/bin/bash
# ebpf_tc_nonlinear.sh - bpfcap's tc programs on real traffic whose bytes lie
# beyond the skb's linear part: a TCP transfer over veth arrives at tc
# ingress as GSO packets with the payload in page fragments.  A filter on
# the first payload word must match every data packet (as a filter on the
# length does), a good share of them non-linear, and a filter for another
# word none.
set -u
. "$(dirname "$0")/lib.sh"
TCN=$(cd "$bld" && pwd)/tests/kern/tcnonlin
[ -x "$TCN" ] || fail "$TCN is not built"
setup_pair
in_a ip addr add 192.0.2.1/24 dev "$VA" || fail "address"
in_b ip addr add 192.0.2.2/24 dev "$VB" || fail "address"
port=$((20000 + $$ % 20000)) bytes=4000000
payload="tcp[((tcp[12] & 0xf0) >> 2):4]"
out=$TMPD/recv.out
bg_b "$TMPD/recv.err" "$TCN" recv "$VB" "$port" "$bytes" \
	"tcp dst port $port and $payload = 0x41414141" \
	"tcp dst port $port and $payload = 0x42424242" \
	"tcp dst port $port and greater 100" >"$out"
pid=$!
for _ in $(seq 100); do grep -q READY "$out" && break; sleep 0.05; done
grep -q READY "$out" || { cat "$TMPD/recv.err"; fail "the receiver did not start"; }
in_a "$TCN" send 192.0.2.2 "$port" "$bytes" || fail "the transfer failed"
wait "$pid" || { cat "$TMPD/recv.err"; fail "the receiver failed"; }
cat "$out"
a=$(sed -n 2p "$out" | cut -f2) an=$(sed -n 2p "$out" | cut -f3)
b=$(sed -n 3p "$out" | cut -f2) c=$(sed -n 4p "$out" | cut -f2) cn=$(sed -n 4p "$out" | cut -f3)
echo "payload word: $a data packets matched ($an non-linear); other word: $b; length: $c ($cn non-linear)"
[ "$a" -gt 0 ] || fail "no data packet matched"
[ "$an" -gt 0 ] || fail "no non-linear packet was seen (the test did not test the helper path)"
[ "$b" = 0 ] || fail "the filter for another payload word matched $b packets"
[ "$a" = "$c" ] || fail "the payload filter matched $a packets, the length filter $c"
echo "ebpf_tc_nonlinear: ok"
