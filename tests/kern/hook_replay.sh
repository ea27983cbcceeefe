#!/bin/bash
# hook_replay.sh - capture at XDP and tc through the BPF ring buffer
# (--backend), against libpcap's AF_PACKET capture, on a real kernel.
# The project's captures (and the Ethernet ones of ../shared/corpus when
# present), VLAN-tagged frames among them, are replayed across a veth pair;
# on the far side run at once: tcpdump -i, bpfcap's ring capture, bpfcap
# --backend xdp and bpfcap --backend tc --direction ingress.  Then each
# hook's -w file equals tcpdump's byte for byte (at tc the kernel has moved
# the VLAN tags into metadata: they are back in the bytes), and each run's
# statistics are exact: captured = delivered = the file's records =
# received by filter, nothing dropped.  Then the egress side: tagged and
# untagged pings sent from the capture side, bpfcap --backend tc
# --direction egress against tcpdump -Q out.  With an expression (three,
# VLAN among them), each hook's file equals tcpdump's with the same one.
. "$(dirname "$0")/lib.sh"
command -v tcpreplay >/dev/null || skip "tcpreplay not installed (Debian: tcpreplay)"
command -v tcpdump >/dev/null || skip "tcpdump not installed (Debian: tcpdump)"
setup_pair
pids=()
start() { # NAME CMD...: run in the capture namespace, stderr to NAME.err
	local name=$1
	shift
	bg_b "$TMPD/$name.err" "$@"
	pids+=($!)
	wait_listening "$TMPD/$name.err"
}
files=("$top"/pcaps/ether-*.pcap "$top"/pcaps/demo.pcap)
if [ -d "$top/../shared/corpus/pcaps/ether" ]; then
	files+=("$top"/../shared/corpus/pcaps/ether/*)
else
	echo "SKIP: ../shared/corpus not present; replaying the project's captures only"
fi
# replay: the captures across the pair, to the captures started; then stop them
replay() {
	for f in "${files[@]}"; do
		in_a tcpreplay -q -i "$VA" --pps 4000 "$f" >/dev/null 2>&1
	done
	sleep 2 # tcpdump does not drain its ring on SIGINT: let its blocks retire (1 s)
	for p in "${pids[@]}"; do kill -INT "$p"; done
	for p in "${pids[@]}"; do stop "$p" || fail "a capture exited with status $?"; done
	pids=()
}
start td tcpdump -i "$VB" -w "$TMPD/td.pcap"
start ring "$BPFCAP" -i "$VB" -w "$TMPD/ring.pcap"
start xdp "$BPFCAP" -i "$VB" --backend xdp -w "$TMPD/xdp.pcap"
start tc "$BPFCAP" -i "$VB" --backend tc --direction ingress -w "$TMPD/tc.pcap"
replay
# with an expression, compiled for the hook and run in front of the capture
# program: the file equals tcpdump's with the same expression (one XDP
# program per interface, so one expression a round)
exprs=('udp or icmp' 'vlan and udp' 'tcp port 80 or arp')
for i in "${!exprs[@]}"; do
	start "tdf$i" tcpdump -i "$VB" -w "$TMPD/tdf$i.pcap" "${exprs[$i]}"
	start "xdpf$i" "$BPFCAP" -i "$VB" --backend xdp -w "$TMPD/xdpf$i.pcap" "${exprs[$i]}"
	start "tcf$i" "$BPFCAP" -i "$VB" --backend tc --direction ingress -w "$TMPD/tcf$i.pcap" "${exprs[$i]}"
	replay
done
dump() { tcpdump -r "$1" -t -n -xx 2>/dev/null; }
n=$(records "$TMPD/td.pcap")
[ "$n" -gt 100 ] || fail "tcpdump saw only $n packets: the replay did not work"
tagged=$(tcpdump -r "$TMPD/td.pcap" -n 'vlan' 2>/dev/null | wc -l)
[ "$tagged" -gt 10 ] || fail "only $tagged VLAN-tagged frames in the replay"
bad=0
same() { # NAME FILE EXPECTED: the same bytes
	if cmp -s <(dump "$3") <(dump "$2"); then
		echo "ok: $1: $(records "$2") packets, byte for byte as tcpdump -i"
	else
		echo "FAIL: $1: $(records "$2") packets, tcpdump $(records "$3")"
		diff <(dump "$3") <(dump "$2") | head -8
		bad=1
	fi
}
# captured = in the file = received by filter = delivered; no drop
exact() { # NAME FILE
	local e=$TMPD/$1.err c r m d f
	c=$(stat_of "$e" captured) r=$(records "$2") m=$(stat_of "$e" "received by filter")
	d=$(stat_of "$e" "delivered through the ring buffer") f=$(stat_of "$e" "dropped by kernel")
	if [ "$c" = "$r" ] && [ "$c" = "$m" ] && [ "$c" = "$d" ] && [ "$f" = 0 ]; then
		echo "ok: $1: captured $c = delivered = received by filter, 0 dropped"
	else
		echo "FAIL: $1: captured $c, file $r, received by filter $m, delivered $d, dropped $f"
		bad=1
	fi
}
same ring "$TMPD/ring.pcap" "$TMPD/td.pcap"
same "--backend xdp" "$TMPD/xdp.pcap" "$TMPD/td.pcap"
same "--backend tc (VLAN tags put back: $tagged tagged frames)" "$TMPD/tc.pcap" "$TMPD/td.pcap"
exact xdp "$TMPD/xdp.pcap"
exact tc "$TMPD/tc.pcap"
for i in "${!exprs[@]}"; do
	[ "$(records "$TMPD/tdf$i.pcap")" -gt 0 ] || fail "tcpdump '${exprs[$i]}' captured nothing"
	same "--backend xdp '${exprs[$i]}'" "$TMPD/xdpf$i.pcap" "$TMPD/tdf$i.pcap"
	same "--backend tc '${exprs[$i]}'" "$TMPD/tcf$i.pcap" "$TMPD/tdf$i.pcap"
	exact "xdpf$i" "$TMPD/xdpf$i.pcap"
	exact "tcf$i" "$TMPD/tcf$i.pcap"
done

# egress: the captures replayed out of the capture side, with a VLAN tag
# pushed into the metadata of every frame by a tcx program attached before
# ours (as the kernel's VLAN offload leaves it; this kernel has no 8021q
# devices): at tc egress the tag is put back into the bytes, as libpcap does
bg_b "$TMPD/push.err" "$bld/tests/kern/vlanpush" "$VB" 7 >"$TMPD/push.out"
pids=($!)
for _ in $(seq 100); do grep -q ready "$TMPD/push.out" && break; sleep 0.05; done
grep -q ready "$TMPD/push.out" || { cat "$TMPD/push.err"; fail "vlanpush did not start"; }
push=${pids[0]}
pids=()
start tdo tcpdump -i "$VB" -Q out -w "$TMPD/tdo.pcap"
start tco "$BPFCAP" -i "$VB" --backend tc --direction egress -w "$TMPD/tco.pcap"
start tcb "$BPFCAP" -i "$VB" --backend tc -w "$TMPD/tcb.pcap"
start tdb tcpdump -i "$VB" -w "$TMPD/tdb.pcap"
for f in "$top"/pcaps/ether-ipv4.pcap "$top"/pcaps/ether-encap.pcap "$top"/pcaps/demo.pcap; do
	in_b tcpreplay -q -i "$VB" --pps 4000 "$f" >/dev/null 2>&1
done
sleep 2
for p in "${pids[@]}"; do kill -INT "$p"; done
for p in "${pids[@]}"; do stop "$p" || fail "a capture exited with status $?"; done
kill "$push"
otag=$("$BPFCAP" -r "$TMPD/tdo.pcap" --count "vlan 7" 2>/dev/null | awk "{print \$1}")
[ "$otag" -ge 150 ] || fail "tcpdump -Q out saw only $otag frames tagged 7"
same "--backend tc --direction egress ($otag tagged)" "$TMPD/tco.pcap" "$TMPD/tdo.pcap"
exact tco "$TMPD/tco.pcap"
same "--backend tc --direction both" "$TMPD/tcb.pcap" "$TMPD/tdb.pcap"
[ $bad = 0 ] && echo "hook_replay: XDP and tc files equal libpcap's"
exit $bad
