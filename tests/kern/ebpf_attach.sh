#!/bin/bash
# ebpf_attach.sh - objects bpfcap generates ('--target xdp|tc -o F.o EXPR')
# filter real traffic: on B's end of a veth pair each object is attached
# with 'ip link set dev VB xdp obj F.o sec xdp' and with 'tc filter add dev
# VB ingress bpf da obj F.o sec tc'; A sends N datagrams to UDP ports P1 and
# P2 (IPv4 and IPv6), N TCP connection attempts to P1 and P2, N ICMP and
# ICMPv6 echo requests and N 802.1Q-tagged UDP frames to P3 and P4 (VLAN 0,
# priority-tagged: the kernel has no 8021q module here, and only such frames
# reach a socket without one; at tc their tag is in skb->vlan_*), and exactly what the expression matches must arrive (counted per
# endpoint by tests/kern/attach_traffic.py in B); whether A resolves B's
# address (ARP) must follow 'arp' in the expression.  After each detach,
# everything arrives again.  The expected counts are checked against
# libpcap's verdicts (tcpdump -r) on a capture of the unfiltered traffic.
# The objects also load with 'bpftool prog load'.
. "$(dirname "$0")/lib.sh"
command -v tc >/dev/null || skip "tc not installed (Debian: iproute2)"
command -v python3 >/dev/null || skip "python3 not installed (Debian: python3)"
BPFTOOL=$(command -v bpftool || echo /usr/sbin/bpftool)
TR=$top/tests/kern/attach_traffic.py
setup_pair
# XDP on a veth needs an MTU without multi-buffer frames at the peer
in_a ip link set dev "$VA" mtu 1500
in_b ip link set dev "$VB" mtu 1500
bad=0
ok() { echo "ok: $*"; }
no() { echo "FAIL: $*"; bad=1; }
x=$(($$ % 250))
A=10.77.$x.1 B=10.77.$x.2 A6=fd77::$x:1 B6=fd77::$x:2
P1=5001 P2=5002 P3=5003 P4=5004 N=3
for ns in "$NS_A:$VA" "$NS_B:$VB"; do # IPv6 on, without DAD
	ip netns exec "${ns%%:*}" sh -c "echo 0 >/proc/sys/net/ipv6/conf/${ns#*:}/accept_dad;
		echo 0 >/proc/sys/net/ipv6/conf/${ns#*:}/disable_ipv6"
done
in_a ip addr add "$A/24" dev "$VA"
in_b ip addr add "$B/24" dev "$VB"
in_a ip -6 addr add "$A6/64" dev "$VA" nodad
in_b ip -6 addr add "$B6/64" dev "$VB" nodad
ma=$(in_a cat "/sys/class/net/$VA/address") mb=$(in_b cat "/sys/class/net/$VB/address")
neigh() { # replace|del: A's and B's neighbours, so that only the 'arp' check needs ARP
	in_a ip neigh "$1" "$B" lladdr "$mb" dev "$VA" nud permanent
	in_a ip -6 neigh "$1" "$B6" lladdr "$mb" dev "$VA" nud permanent
	in_b ip neigh "$1" "$A" lladdr "$ma" dev "$VB" nud permanent
	in_b ip -6 neigh "$1" "$A6" lladdr "$ma" dev "$VB" nud permanent
}
neigh replace || fail "ip neigh replace"

rx_eps="udp:$B:$P1 udp:$B:$P2 udp:$B6:$P1 udp:$B6:$P2 tcp:$B:$P1 tcp:$B:$P2 tcp:$B6:$P1
	udp:$B:$P3 udp:$B:$P4"
bg_b "$TMPD/rx.err" python3 "$TR" recv "$TMPD" $rx_eps
RX=$!
for _ in $(seq 100); do [ -e "$TMPD/ready" ] && break; sleep 0.05; done
[ -e "$TMPD/ready" ] || { cat "$TMPD/rx.err"; fail "the receiver did not start"; }
# the endpoints in the order 'expect' lists them
names=(u4P1 u4P2 u6P1 u6P2 t4P1 t4P2 t6P1 i4 i6 v4P3 v4P4)
tx_eps=("udp:$B:$P1" "udp:$B:$P2" "udp:$B6:$P1" "udp:$B6:$P2" "tcp:$B:$P1" "tcp:$B:$P2"
	"tcp:$B6:$P1" "icmp:$B" "icmp:$B6" "vlan:$VA:0:${mb//:/-}:$A:$B:$P3"
	"vlan:$VA:0:${mb//:/-}:$A:$B:$P4")
# round: send everything, print 'name count' for what got through
round() {
	rm -f "$TMPD/counts"
	in_a python3 "$TR" send "$N" "${tx_eps[@]}" >"$TMPD/tx" 2>"$TMPD/tx.err" ||
		{ cat "$TMPD/tx.err"; fail "the sender failed"; }
	kill -USR1 "$RX"
	for _ in $(seq 100); do [ -e "$TMPD/counts" ] && break; sleep 0.02; done
	[ -e "$TMPD/counts" ] || fail "the receiver did not count"
	local i got
	for i in "${!names[@]}"; do
		case ${tx_eps[$i]} in
		udp:*) got=$(awk -v e="${tx_eps[$i]}" '$1 == e {print $2}' "$TMPD/counts") ;;
		vlan:*) got=$(awk -v e="udp:$B:${tx_eps[$i]##*:}" '$1 == e {print $2}' "$TMPD/counts") ;;
		*) got=$(awk -v e="${tx_eps[$i]}" '$1 == e {print $2}' "$TMPD/tx") ;;
		esac
		printf '%s=%s ' "${names[$i]}" "$got"
	done
}
# arp_resolves: A, without B's neighbour entry, resolves B's address
arp_resolves() {
	in_a ip neigh del "$B" dev "$VA"
	in_a python3 "$TR" send 1 "udp:$B:9" >/dev/null # nobody counts port 9
	local r=no
	for _ in $(seq 10); do
		in_a ip neigh show "$B" dev "$VA" | grep -q lladdr && { r=yes; break; }
		sleep 0.05
	done
	in_a ip neigh replace "$B" lladdr "$mb" dev "$VA" nud permanent
	echo $r
}
# expected counts: the endpoints that match get N, the others 0
want() {
	local m=" $1 " n out=
	for n in "${names[@]}"; do
		case $m in *" $n "*) out+="$n=$N " ;; *) out+="$n=0 " ;; esac
	done
	echo "$out"
}
all=$(want "${names[*]}")
# the first round, unfiltered, is captured for libpcap's opinion (tcpdump -r)
# (--immediate-mode: otherwise packets in a TPACKET_V3 block not yet handed
# over when tcpdump is stopped never reach the file)
TCPDUMP=$(command -v tcpdump || echo /usr/bin/tcpdump)
# the packets each endpoint got, by a selection libpcap makes
sels=("ip and udp dst port $P1" "ip and udp dst port $P2" "ip6 and udp dst port $P1"
	"ip6 and udp dst port $P2" "ip and tcp dst port $P1 and tcp[tcpflags] & tcp-syn != 0"
	"ip and tcp dst port $P2 and tcp[tcpflags] & tcp-syn != 0"
	"ip6 and tcp dst port $P1 and ip6[53] & 2 != 0" "icmp[icmptype] = icmp-echo"
	"icmp6 and ip6[40] = 128" "vlan and udp dst port $P3" "vlan and udp dst port $P4")
# captured: the capture holds N packets for every endpoint
captured() {
	local i c
	for i in "${!names[@]}"; do
		"$TCPDUMP" -r "$TMPD/all.pcap" -w "$TMPD/${names[$i]}.pcap" "${sels[$i]}" 2>/dev/null
		c=$("$TCPDUMP" -r "$TMPD/${names[$i]}.pcap" -nn 2>/dev/null | wc -l)
		[ "$c" = "$N" ] || { echo "${names[$i]} ('${sels[$i]}'): $c packets"; return 1; }
	done
}
pcap_ok=
for try in 1 2 3; do
	if [ -x "$TCPDUMP" ]; then
		bg_b "$TMPD/td.err" "$TCPDUMP" -i "$VB" -Q in -nn -U --immediate-mode -B 8192 \
			-w "$TMPD/all.pcap"
		TD=$!
		wait_listening "$TMPD/td.err"
	fi
	got=$(round)
	[ "$got" = "$all" ] && ok "nothing attached: $got" || fail "without a filter: $got, want $all"
	[ -x "$TCPDUMP" ] || { echo "SKIP (part): tcpdump not installed (Debian: tcpdump): no libpcap cross-check"; break; }
	for _ in $(seq 20); do captured >/dev/null && break; sleep 0.1; done
	stop "$TD"
	# under load tcpdump may lose packets ('dropped by kernel'): capture again
	if why=$(captured); then
		pcap_ok=1
		break
	fi
	echo "capture $try incomplete: $why; $(grep dropped "$TMPD/td.err")"
done
[ -x "$TCPDUMP" ] && [ -z "$pcap_ok" ] && no "no complete capture of the unfiltered round in 3 tries"
# libpcap_want EXPR: the counts libpcap's verdicts on those packets give
libpcap_want() {
	local i out=
	for i in "${!names[@]}"; do
		out+="${names[$i]}=$("$TCPDUMP" -r "$TMPD/${names[$i]}.pcap" -nn "$1" 2>/dev/null | wc -l) "
	done
	echo "$out"
}

# EXPR | endpoints that match | whether ARP passes
cases=(
	"arp or (udp and dst port $P1)|u4P1 u6P1|yes"
	"arp or icmp|i4|yes"
	"arp or (tcp dst port $P1)|t4P1 t6P1|yes"
	"not (udp dst port $P2 or icmp6)|u4P1 u6P1 t4P1 t4P2 t6P1 i4 v4P3 v4P4|yes"
	"vlan and udp dst port $P3|v4P3|no"
	"ip6 and udp dst port $P1 or icmp6|u6P1 i6|no"
	"ip and (tcp or udp) or vlan and not arp|u4P1 u4P2 t4P1 t4P2 v4P3 v4P4|no"
)
for c in "${cases[@]}"; do
	IFS='|' read -r e match arp <<<"$c"
	exp=$(want "$match")
	if [ -n "$pcap_ok" ]; then
		lp=$(libpcap_want "$e")
		[ "$lp" = "$exp" ] && ok "libpcap (tcpdump -r) agrees on '$e'" ||
			no "libpcap on '$e': $lp, this test wants $exp"
	fi
	for h in xdp tc; do
		o=$TMPD/$h.o
		"$BPFCAP" --target "$h" -o "$o" "$e" || { no "$h '$e': bpfcap -o"; continue; }
		if [ "$h" = xdp ]; then
			in_b ip link set dev "$VB" xdp obj "$o" sec xdp 2>"$TMPD/ld.err" ||
				{ no "$h '$e': ip link set dev $VB xdp obj"; cat "$TMPD/ld.err"; continue; }
		else
			in_b tc qdisc add dev "$VB" clsact &&
				in_b tc filter add dev "$VB" ingress bpf da obj "$o" sec tc 2>"$TMPD/ld.err" ||
				{ no "$h '$e': tc filter add ... bpf da obj"; cat "$TMPD/ld.err"; continue; }
		fi
		got=$(round)
		[ "$got" = "$exp" ] && ok "$h '$e': $got" || no "$h '$e': $got, want $exp"
		a=$(arp_resolves)
		[ "$a" = "$arp" ] && ok "$h '$e': ARP resolves: $a" || no "$h '$e': ARP resolves: $a, want $arp"
		if [ "$h" = xdp ]; then
			in_b ip link set dev "$VB" xdp off
			in_b ip link show dev "$VB" | grep -q prog/xdp && no "xdp off: still attached"
		else
			in_b tc qdisc del dev "$VB" clsact
			in_b tc filter show dev "$VB" ingress 2>/dev/null | grep -q bpf && no "tc: still attached"
		fi
		got=$(round)
		[ "$got" = "$all" ] && ok "$h '$e' detached: all through" ||
			no "$h '$e' detached: $got, want $all"
	done
done
# the NS_B receiver ends with the namespace (lib.sh's cleanup)

# ---- bpftool prog load, pinned in bpffs ---------------------------------
if [ -x "$BPFTOOL" ]; then
	fs=/sys/fs/bpf
	if ! mount | grep -q " $fs type bpf "; then
		fs=$TMPD/bpffs
		mkdir "$fs"
		mount -t bpf bpf "$fs" || fs=
		[ -n "$fs" ] && CLEANUP_EXTRA="rm -f '$fs'/bpfcap_a$$; umount '$fs' 2>/dev/null"
	else
		CLEANUP_EXTRA="rm -f '$fs'/bpfcap_a$$"
	fi
	[ -n "$fs" ] || fail "no bpffs to pin in"
	for c in "${cases[@]}"; do
		e=${c%%|*}
		for h in xdp tc; do
			pin=$fs/bpfcap_a$$
			"$BPFCAP" --target "$h" -o "$TMPD/p.o" "$e" &&
				"$BPFTOOL" prog load "$TMPD/p.o" "$pin" 2>"$TMPD/bt.err" &&
				"$BPFTOOL" prog show pinned "$pin" | grep -q "name bpfcap_filter" &&
				ok "bpftool prog load ($h) '$e'" ||
				{ no "bpftool prog load ($h) '$e'"; tail -5 "$TMPD/bt.err"; }
			rm -f "$pin"
		done
	done
else
	echo "SKIP (part): bpftool not installed (Debian: bpftool)"
fi
[ $bad = 0 ] && echo "ebpf_attach: ok"
exit $bad
