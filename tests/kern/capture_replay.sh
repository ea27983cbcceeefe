#!/bin/bash
# capture_replay.sh - live capture against libpcap, on a real kernel.
# The project's captures (and the Ethernet ones of ../shared/corpus when
# present) are replayed across a veth pair; on the far side run, at once:
# tcpdump -i with no filter, bpfcap -i with no filter, and one bpfcap -i per
# expression of capture.flt (plus tcpdump -i with two of them).  Then:
#  - bpfcap's unfiltered file equals tcpdump's, packet for packet, byte for
#    byte (VLAN tags put back into the frames included);
#  - each filtered file equals tcpdump's own live filtering (libpcap's
#    live-socket programs, VLAN tags read from metadata) byte for byte;
#  - and, on the frames that carried no VLAN tag (where live and file
#    semantics agree), libpcap's unoptimized offline filtering (tcpdump -O
#    -r) of tcpdump's unfiltered file;
#  - each run's 'captured' line equals its file's records, with no drops.
. "$(dirname "$0")/lib.sh"
command -v tcpreplay >/dev/null || skip "tcpreplay not installed (Debian: tcpreplay)"
command -v tcpdump >/dev/null || skip "tcpdump not installed (Debian: tcpdump)"
setup_pair
mapfile -t exprs < <(grep -v '^#' "$top/tests/kern/capture.flt" | grep .)
pids=()
start() { # NAME CMD...: run in the capture namespace, stderr to NAME.err
	local name=$1
	shift
	bg_b "$TMPD/$name.err" "$@"
	pids+=($!)
	wait_listening "$TMPD/$name.err"
}
start td tcpdump -i "$VB" -w "$TMPD/td.pcap"
start all "$BPFCAP" -i "$VB" -w "$TMPD/all.pcap"
for i in "${!exprs[@]}"; do
	start "f$i" "$BPFCAP" -i "$VB" -w "$TMPD/f$i.pcap" "${exprs[$i]}"
done
for i in "${!exprs[@]}"; do
	start "tdf$i" tcpdump -i "$VB" -w "$TMPD/tdf$i.pcap" "${exprs[$i]}"
done
# cooked captures of the same traffic: -y LINUX_SLL2 and LINUX_SLL on the
# veth against tcpdump -i any (libpcap offers cooked captures only there;
# nothing else in the namespace has traffic), and -i any against -i any.
# The programs are rewritten for a cooked socket in the kernel; the last
# expression reads the link address, so it runs in bpfcap.
cooked=("" udp "tcp port 80" "icmp or arp" "ip and not udp" "greater 200" "inbound"
	"ip[6:2] & 0x3fff != 0" "len >= 100 and len <= 300" "ifindex 1 or udp" "link[12:2] = 0x0200")
for i in "${!cooked[@]}"; do
	start "k$i" "$BPFCAP" -i "$VB" -y LINUX_SLL2 -w "$TMPD/k$i.pcap" ${cooked[$i]:+"${cooked[$i]}"}
	start "tk$i" tcpdump -i any -y LINUX_SLL2 -w "$TMPD/tk$i.pcap" ${cooked[$i]:+"${cooked[$i]}"}
done
for i in 1 3; do
	start "any$i" "$BPFCAP" -i any -w "$TMPD/any$i.pcap" "${cooked[$i]}"
	start "tany$i" tcpdump -i any -w "$TMPD/tany$i.pcap" "${cooked[$i]}"
	start "v1$i" "$BPFCAP" -i "$VB" -y LINUX_SLL -w "$TMPD/v1$i.pcap" "${cooked[$i]}"
	start "tv1$i" tcpdump -i any -y LINUX_SLL -w "$TMPD/tv1$i.pcap" "${cooked[$i]}"
done
files=("$top"/pcaps/ether-*.pcap "$top"/pcaps/demo.pcap)
if [ -d "$top/../shared/corpus/pcaps/ether" ]; then
	files+=("$top"/../shared/corpus/pcaps/ether/*)
else
	echo "SKIP: ../shared/corpus not present; replaying the project's captures only"
fi
for f in "${files[@]}"; do
	in_a tcpreplay -q -i "$VA" --pps 4000 "$f" >/dev/null 2>&1
done
sleep 2 # tcpdump does not drain its ring on SIGINT: let its blocks retire (1 s)
for p in "${pids[@]}"; do kill -INT "$p"; done
for p in "${pids[@]}"; do stop "$p" || fail "a capture exited with status $?"; done
dump() { tcpdump -r "$1" -t -n -xx 2>/dev/null; }
# libpcap copies all 8 address bytes of a cooked header whatever the address
# length, so the 2 after a MAC address are stale ring memory (bpfcap writes
# zeros): mask them, in LINUX_SLL2 (bytes 18-19) and LINUX_SLL (12-13)
dump2() { dump "$1" | sed -E 's/^(.0x0010:  [0-9a-f]{4}) [0-9a-f]{4}/\1 XXXX/'; }
dump1() { dump "$1" | sed -E 's/^(.0x0000:  ([0-9a-f]{4} ){6})[0-9a-f]{4}/\1XXXX/'; }
n=$(records "$TMPD/td.pcap")
[ "$n" -gt 100 ] || fail "tcpdump saw only $n packets: the replay did not work"
cmp -s <(dump "$TMPD/td.pcap") <(dump "$TMPD/all.pcap") ||
	{ diff <(dump "$TMPD/td.pcap") <(dump "$TMPD/all.pcap") | head; fail "unfiltered: bpfcap's file differs from tcpdump's"; }
echo "ok: unfiltered, $n packets equal to tcpdump's"
bad=0
untagged='ether[12:2] != 0x8100 and ether[12:2] != 0x88a8'
check_counts() { # NAME FILE
	local c d r
	c=$(stat_of "$TMPD/$1.err" captured) d=$(stat_of "$TMPD/$1.err" "dropped by kernel")
	r=$(records "$2")
	[ "$c" = "$r" ] && [ "$d" = 0 ] || { echo "FAIL: $1: captured $c, dropped $d, file $r"; bad=1; }
}
check_counts all "$TMPD/all.pcap"
for i in "${!exprs[@]}"; do
	e=${exprs[$i]}
	k=$(records "$TMPD/f$i.pcap")
	if cmp -s <(dump "$TMPD/tdf$i.pcap") <(dump "$TMPD/f$i.pcap"); then
		echo "ok: '$e': $k packets, as tcpdump -i"
	else
		echo "FAIL: '$e': $k packets, tcpdump -i $(records "$TMPD/tdf$i.pcap")"
		diff <(dump "$TMPD/tdf$i.pcap") <(dump "$TMPD/f$i.pcap") | head -5
		bad=1
	fi
	# untagged: a byte test, not 'not vlan', which would move later offsets
	tcpdump -O -r "$TMPD/td.pcap" -w "$TMPD/exp$i.pcap" "$untagged and ($e)" 2>/dev/null
	tcpdump -O -r "$TMPD/f$i.pcap" -w "$TMPD/got$i.pcap" "$untagged" 2>/dev/null
	if ! cmp -s <(dump "$TMPD/exp$i.pcap") <(dump "$TMPD/got$i.pcap"); then
		echo "FAIL: '$e': untagged frames differ from libpcap's offline filtering"
		diff <(dump "$TMPD/exp$i.pcap") <(dump "$TMPD/got$i.pcap") | head -5
		bad=1
	fi
	check_counts "f$i" "$TMPD/f$i.pcap"
done
# libpcap's live cooked programs test 'len' without the cooked header (the
# kernel's length on a cooked socket, a libpcap bug): those are checked
# against libpcap's offline filtering of tcpdump's unfiltered cooked file,
# the others against tcpdump -i any with the same filter
for i in "${!cooked[@]}"; do
	e=${cooked[$i]}
	k=$(records "$TMPD/k$i.pcap")
	exp=$TMPD/tk$i.pcap how="tcpdump -i any"
	case $e in *len* | *greater*)
		exp=$TMPD/ck$i.pcap how="libpcap's offline filtering"
		tcpdump -O -r "$TMPD/tk0.pcap" -w "$exp" "$e" 2>/dev/null ;;
	esac
	if cmp -s <(dump2 "$exp") <(dump2 "$TMPD/k$i.pcap"); then
		echo "ok: -y LINUX_SLL2 '$e': $k packets, as $how"
	else
		echo "FAIL: -y LINUX_SLL2 '$e': $k packets, $how $(records "$exp")"
		diff <(dump2 "$exp") <(dump2 "$TMPD/k$i.pcap") | head -5
		bad=1
	fi
	# the rewritten program is in the kernel: the identity holds
	[ "$e" = "link[12:2] = 0x0200" ] || check_counts "k$i" "$TMPD/k$i.pcap"
done
for i in 1 3; do
	for k in any v1; do
		d=dump2
		[ $k = v1 ] && d=dump1
		cmp -s <($d "$TMPD/t$k$i.pcap") <($d "$TMPD/$k$i.pcap") &&
			echo "ok: $k '${cooked[$i]}': $(records "$TMPD/$k$i.pcap") packets, as tcpdump -i any" ||
			{ echo "FAIL: $k '${cooked[$i]}': bpfcap's file differs from tcpdump's"; bad=1; }
		check_counts "$k$i" "$TMPD/$k$i.pcap"
	done
done
grep -q 'runs in bpfcap' "$TMPD/k$((${#cooked[@]} - 1)).err" || { echo "FAIL: no note that the filter runs in user space"; bad=1; }
[ $bad = 0 ] && echo "capture_replay: ${#exprs[@]} filters agree with libpcap"
exit $bad
