#!/bin/bash
# hook_life.sh - a capture at XDP or tc (--backend) on a real kernel:
#  - a consumer stopped (SIGSTOP) with a small ring buffer (-B): drops are
#    counted and reported, and received by filter (matched at the hook) =
#    delivered + dropped exactly, the file holding 'delivered' packets;
#  - SIGKILL leaves nothing attached (no XDP program on the interface, no
#    capture program loaded), and a new capture attaches at once;
#  - a second capture at XDP on the same interface is refused (exit 1, a
#    message naming what is there), the first goes on; two at tc coexist
#    and both get every packet;
#  - timestamps within a second of the wall clock; -c; SIGUSR1; -C
#    rotation; an interface that does not exist.
. "$(dirname "$0")/lib.sh"
setup_pair
bad=0
ok() { echo "ok: $*"; }
no() { echo "FAIL: $*"; bad=1; }
start() { # NAME ARGS...: bpfcap in the capture namespace; $pid
	local name=$1
	shift
	bg_b "$TMPD/$name.err" "$BPFCAP" -i "$VB" "$@"
	pid=$!
	wait_listening "$TMPD/$name.err"
}
sent_of() { sed -n 's/^sent //p' "$1"; }
# prog_ids PID: the BPF programs a process holds (its fds)
prog_ids() { cat /proc/"$1"/fdinfo/* 2>/dev/null | sed -n 's/^prog_id:[[:space:]]*//p' | sort -u; }
# loaded IDS...: those of the programs IDS still loaded
loaded() { local i; for i in "$@"; do bpftool prog show id "$i" >/dev/null 2>&1 && echo "$i"; done; }

# ---- drops with the consumer stopped
for b in xdp tc; do
	start "stop$b" --backend "$b" --direction ingress -B 64 -s 128 -w "$TMPD/stop$b.pcap"
	kill -STOP "$pid"
	in_a "$BLAST" "$VA" -n 20000 -s 64 >"$TMPD/stop$b.sent"
	kill -CONT "$pid"
	sleep 0.3
	stop "$pid"
	rc=$?
	e=$TMPD/stop$b.err
	c=$(stat_of "$e" captured) m=$(stat_of "$e" "received by filter")
	d=$(stat_of "$e" "dropped by kernel") dl=$(stat_of "$e" "delivered through the ring buffer")
	f=$(stat_of "$e" "dropped because the ring buffer was full")
	n=$(records "$TMPD/stop$b.pcap") s=$(sent_of "$TMPD/stop$b.sent")
	if [ "$rc" = 0 ] && [ "$d" -gt 0 ] && [ "$d" = "$f" ] && [ $((dl + d)) = "$m" ] &&
		[ "$c" = "$dl" ] && [ "$n" = "$c" ] && [ "$m" -ge "$s" ] && [ "$m" -le $((s + 20)) ]; then
		ok "--backend $b, consumer stopped, -B 64: sent $s, received by filter $m = $dl delivered + $d dropped (ring full), $n in the file"
	else
		no "--backend $b stopped: exit $rc, sent $s, received $m, delivered $dl, dropped $d (full $f), captured $c, file $n"
		cat "$e"
	fi
	grep -q '^bpfcap: listening on .*ring buffer 64 KiB' "$e" || no "-B 64 is not a 64 KiB ring: $(head -1 "$e")"
done

# ---- SIGKILL leaves nothing attached
start kx --backend xdp -w "$TMPD/kx.pcap"
ids=$(prog_ids "$pid")
in_b ip -d link show "$VB" | grep -q 'promiscuity 1' || no "not in promiscuous mode while capturing at XDP"
in_b ip link show "$VB" | grep -q 'xdp' || no "no XDP program on $VB while capturing"
start kt --backend tc -w "$TMPD/kt.pcap"
ids="$ids $(prog_ids "$pid")"
[ "$(echo $ids | wc -w)" -ge 3 ] || no "the captures hold only the programs $ids"
for p in $(jobs -p); do kill -KILL "$p" 2>/dev/null; done
wait 2>/dev/null
for _ in $(seq 50); do [ -z "$(loaded $ids)" ] && break; sleep 0.1; done
if in_b ip link show "$VB" | grep -q 'xdp'; then
	no "SIGKILL left an XDP program on $VB: $(in_b ip link show "$VB" | grep xdp)"
elif [ -n "$(loaded $ids)" ]; then
	no "SIGKILL left programs loaded: $(loaded $ids)"
elif ! in_b ip -d link show "$VB" | grep -q 'promiscuity 0'; then
	no "SIGKILL left $VB in promiscuous mode"
else
	ok "SIGKILL: no XDP program on $VB, none of the programs $(echo $ids) left loaded (nor attached), promiscuous mode off"
fi
start again --backend xdp -p -c 3 -w "$TMPD/again.pcap"
in_b ip -d link show "$VB" | grep -q 'promiscuity 0' || no "-p: promiscuous mode all the same"
in_a "$BLAST" "$VA" -n 3 >/dev/null
stop "$pid" 0 && [ "$(records "$TMPD/again.pcap")" = 3 ] && ok "a capture at XDP attaches again after SIGKILL; -c 3 stops it with 3 packets" ||
	no "after SIGKILL: exit $?, $(records "$TMPD/again.pcap") packets"

# ---- a second capture on the same hook
start first --backend xdp -w "$TMPD/first.pcap"
first=$pid
in_b "$BPFCAP" -i "$VB" --backend xdp -w "$TMPD/second.pcap" 2>"$TMPD/second.err"
rc=$?
if [ $rc = 1 ] && grep -q "already has an XDP program (id [0-9]*, 'cap_xdp'); bpfcap does not replace it" "$TMPD/second.err"; then
	ok "a second capture at XDP: exit 1, '$(cat "$TMPD/second.err")'"
else
	no "a second capture at XDP: exit $rc, $(cat "$TMPD/second.err")"
fi
start tc1 --backend tc --direction ingress -w "$TMPD/tc1.pcap"
tc1=$pid
start tc2 --backend tc --direction ingress -w "$TMPD/tc2.pcap"
tc2=$pid
t0=$(date +%s)
in_a "$BLAST" "$VA" -n 500 -p 5000 >"$TMPD/co.sent"
t1=$(date +%s)
sleep 0.3
for p in $first $tc1 $tc2; do stop "$p" || no "a capture exited with status $?"; done
s=$(sent_of "$TMPD/co.sent")
[ "${s:-0}" -gt 0 ] || no "the sender sent nothing"
for f in first tc1 tc2; do
	[ "$(records "$TMPD/$f.pcap")" = "$s" ] || no "$f: $(records "$TMPD/$f.pcap") packets, $s sent"
done
cmp -s <(tcpdump -r "$TMPD/tc1.pcap" -t -xx 2>/dev/null) <(tcpdump -r "$TMPD/tc2.pcap" -t -xx 2>/dev/null) &&
	cmp -s <(tcpdump -r "$TMPD/tc1.pcap" -t -xx 2>/dev/null) <(tcpdump -r "$TMPD/first.pcap" -t -xx 2>/dev/null) &&
	ok "two captures at tc coexist (tcx links), with XDP as well: $s packets each, the same bytes" ||
	no "the coexisting captures differ"

# ---- timestamps: within a second of the wall clock while sending
read -r lo hi < <(tcpdump -r "$TMPD/tc1.pcap" -tt 2>/dev/null | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo, hi }')
if awk -v lo="$lo" -v hi="$hi" -v t0="$t0" -v t1="$t1" 'BEGIN { exit !(lo >= t0 - 1 && hi <= t1 + 1 && lo <= hi) }'; then
	ok "timestamps from $lo to $hi, sent between $t0 and $t1 (wall clock)"
else
	no "timestamps from $lo to $hi, but sent between $t0 and $t1 (wall clock)"
fi
tail -1 "$TMPD/tc1.pcap" >/dev/null

# ---- SIGUSR1, -C rotation, printing
start usr --backend tc -C 1k -W 3 -w "$TMPD/rot.pcap"
in_a "$BLAST" "$VA" -n 200 -s 100 >/dev/null
sleep 0.3
kill -USR1 "$pid"
sleep 0.3
stop "$pid" || no "the rotating capture exited with status $?"
grep -qE '^bpfcap: [0-9]+ packets? captured, [0-9]+ packets? received by filter, 0 packets dropped by kernel$' "$TMPD/usr.err" &&
	ok "SIGUSR1: $(grep '^bpfcap: [0-9]' "$TMPD/usr.err")" || no "no statistics line on SIGUSR1"
nf=$(ls "$TMPD"/rot.pcap? 2>/dev/null | wc -l)
[ "$nf" = 3 ] && ok "-C 1k -W 3: 3 files" || no "-C 1k -W 3: $nf files"
bg_b "$TMPD/pr.err" "$BPFCAP" -i "$VB" --backend xdp -c 2 >"$TMPD/pr.out"
pid=$!
wait_listening "$TMPD/pr.err"
in_a "$BLAST" "$VA" -n 2 >/dev/null
stop "$pid" 0
[ "$(grep -c "$VB In  " "$TMPD/pr.out")" = 2 ] && ok "printing: $(head -1 "$TMPD/pr.out")" ||
	{ no "printing: $(cat "$TMPD/pr.out")"; }

# ---- -Z: the maps are still read (statistics) with every capability gone
if id nobody >/dev/null 2>&1; then
	start z --backend tc --direction ingress -Z nobody -c 3 -w "$TMPD/z.pcap"
	in_a "$BLAST" "$VA" -n 3 >/dev/null
	stop "$pid" 0
	rc=$?
	[ $rc = 0 ] && [ "$(records "$TMPD/z.pcap")" = 3 ] && [ "$(stat_of "$TMPD/z.err" "received by filter")" = 3 ] &&
		ok "-Z nobody: 3 packets, the counters read after the privileges are gone" ||
		no "-Z nobody: exit $rc, $(cat "$TMPD/z.err")"
fi

# ---- the interface going down ends the capture: exit 2, the file complete
for b in xdp tc; do
	start "down$b" --backend "$b" -w "$TMPD/down$b.pcap"
	in_a "$BLAST" "$VA" -n 500 >/dev/null
	sleep 0.3
	in_b ip link set "$VB" down
	stop "$pid" 0
	rc=$?
	n=$(records "$TMPD/down$b.pcap")
	if [ "$rc" = 2 ] && [ "$n" = 500 ] && grep -q 'the interface went down' "$TMPD/down$b.err"; then
		ok "--backend $b, the interface set down: exit 2, $n packets in the file"
	else
		no "--backend $b, the interface set down: exit $rc, $n packets, $(cat "$TMPD/down$b.err")"
	fi
	in_b ip link set "$VB" up
	in_a ip link set "$VA" up
done

# ---- usage
in_b "$BPFCAP" -i nosuch$$ --backend tc 2>"$TMPD/nodev.err"
rc=$?
[ $rc = 1 ] && grep -q "nosuch$$: no such interface" "$TMPD/nodev.err" && ok "no such interface: exit 1" ||
	no "no such interface: exit $rc, $(cat "$TMPD/nodev.err")"
"$BPFCAP" -i "$VB" --backend xdp --direction egress 2>"$TMPD/eg.err"
rc=$?
[ $rc = 1 ] && grep -q 'XDP sees only received packets' "$TMPD/eg.err" && ok "--backend xdp --direction egress: exit 1" ||
	no "--backend xdp --direction egress: exit $rc"
[ $bad = 0 ] && echo "hook_life: all cases pass"
exit $bad
