#!/bin/bash
# capture_life.sh - a live capture's life on a real kernel: -c, SIGINT,
# SIGTERM, SIGHUP, SIGUSR1, SIGUSR2, an overflowing ring (captured + dropped =
# received, exactly, and the file holds 'captured' packets), no packet
# before the filter, and the interface going down.
. "$(dirname "$0")/lib.sh"
setup_pair
bad=0
ok() { echo "ok: $*"; }
no() { echo "FAIL: $*"; bad=1; }
# run_until NAME SIGNAL COUNT BPFCAP-ARGS...: capture while COUNT frames are
# sent, then SIGNAL; leaves NAME.err, NAME.pcap and NAME.rc
run_until() {
	local name=$1 sig=$2 count=$3
	shift 3
	bg_b "$TMPD/$name.err" "$BPFCAP" -i "$VB" -w "$TMPD/$name.pcap" "$@"
	local pid=$!
	wait_listening "$TMPD/$name.err"
	in_a "$BLAST" "$VA" -n "$count" -p 20000 >"$TMPD/$name.sent"
	sleep 0.3
	stop "$pid" "$sig"
	echo $? >"$TMPD/$name.rc"
}
check_stop() { # NAME SENT: exit 0, every frame counted and in the file
	local c r d rc
	c=$(stat_of "$TMPD/$1.err" captured) r=$(stat_of "$TMPD/$1.err" "received by filter")
	d=$(stat_of "$TMPD/$1.err" "dropped by kernel") rc=$(cat "$TMPD/$1.rc")
	local n
	n=$(records "$TMPD/$1.pcap")
	if [ "$rc" = 0 ] && [ "$c" = "$2" ] && [ "$n" = "$2" ] && [ "$r" = "$2" ] && [ "$d" = 0 ]; then
		ok "$1: exit 0, $c captured, $n in the file"
	else
		no "$1: exit $rc, captured $c, received $r, dropped $d, file $n, sent $2"
	fi
}
sigs="INT TERM HUP"
# an ignored SIGHUP (nohup) stays ignored, as with tcpdump: no HUP case then
if [ $(( 0x$(sed -n 's/^SigIgn:[[:space:]]*//p' /proc/$$/status) & 1 )) = 1 ]; then
	echo "SKIP: SIGHUP is ignored in this shell (nohup?): the SIGHUP case is not run"
	sigs="INT TERM"
fi
for sig in $sigs; do
	run_until "sig$sig" "$sig" 10000 udp
	check_stop "sig$sig" 10000
done

# SIGUSR1 prints the statistics and goes on
bg_b "$TMPD/usr1.err" "$BPFCAP" -i "$VB" -w "$TMPD/usr1.pcap" udp
pid=$!
wait_listening "$TMPD/usr1.err"
for i in 1 2 3; do
	in_a "$BLAST" "$VA" -n 100 >/dev/null
	sleep 0.3
	kill -USR1 "$pid"
	sleep 0.1
done
stop "$pid"
rc=$?
n=$(grep -c 'packets received by filter' "$TMPD/usr1.err")
one=$(grep -cE '^bpfcap: [0-9]+ packets? captured, [0-9]+ packets? received by filter, [0-9]+ packets? dropped by kernel$' "$TMPD/usr1.err")
[ "$rc" = 0 ] && [ "$n" = 4 ] && [ "$one" = 3 ] && [ "$(records "$TMPD/usr1.pcap")" = 300 ] &&
	ok "SIGUSR1: 3 statistics lines while running, then the final block" ||
	no "SIGUSR1: exit $rc, $n statistics blocks, $(records "$TMPD/usr1.pcap") packets"

# SIGUSR2 writes the buffered packets out now (tcpdump's flush), where
# otherwise they wait up to 1 s: before it the file has none of a burst, right
# after it all.  If the 1 s flush got there first, the round says nothing: again.
bg_b "$TMPD/usr2.err" "$BPFCAP" -i "$VB" -w "$TMPD/usr2.pcap" udp
pid=$!
wait_listening "$TMPD/usr2.err"
verdict="" total=0
for round in 1 2 3 4 5; do
	in_a "$BLAST" "$VA" -n 50 >/dev/null
	total=$((total + 50))
	sleep 0.3
	before=$(records "$TMPD/usr2.pcap")
	kill -USR2 "$pid"
	sleep 0.2
	after=$(records "$TMPD/usr2.pcap")
	if [ "$before" -lt "$total" ] && [ "$after" = "$total" ]; then
		verdict=ok
		break
	fi
	[ "$after" != "$total" ] && { verdict="no: round $round: $before before, $after after, $total sent"; break; }
	sleep 1.2 # the timer flushed first: start from an empty buffer
done
stop "$pid"
[ "$verdict" = ok ] && ok "SIGUSR2: $((after - before)) buffered packets in the file at once" ||
	no "SIGUSR2: ${verdict:-the 1 s flush always came first}"

# -c N stops at exactly N
for c in 1 2 1000; do
	bg_b "$TMPD/c$c.err" "$BPFCAP" -i "$VB" -c "$c" -w "$TMPD/c$c.pcap" udp
	pid=$!
	wait_listening "$TMPD/c$c.err"
	in_a "$BLAST" "$VA" -n 3000 -p 20000 >/dev/null
	stop "$pid" 0 # it stops by itself
	rc=$?
	n=$(records "$TMPD/c$c.pcap")
	[ "$rc" = 0 ] && [ "$n" = "$c" ] && [ "$(stat_of "$TMPD/c$c.err" captured)" = "$c" ] &&
		ok "-c $c: exactly $c packets" || no "-c $c: exit $rc, $n packets in the file"
done

# a ring that overflows: the identity holds to the packet
bg_b "$TMPD/ovf.err" "$BPFCAP" -i "$VB" -B 64 -w "$TMPD/ovf.pcap"
pid=$!
wait_listening "$TMPD/ovf.err"
in_a "$BLAST" "$VA" -n 300000 -s 1400 >"$TMPD/ovf.sent"
sleep 0.5
stop "$pid"
c=$(stat_of "$TMPD/ovf.err" captured) r=$(stat_of "$TMPD/ovf.err" "received by filter")
d=$(stat_of "$TMPD/ovf.err" "dropped by kernel") n=$(records "$TMPD/ovf.pcap")
if [ "$d" -gt 0 ] && [ $((c + d)) = "$r" ] && [ "$n" = "$c" ]; then
	ok "overflow: $c captured + $d dropped = $r received; the file holds $n"
else
	no "overflow: captured $c, dropped $d, received $r, file $n ($(cat "$TMPD/ovf.sent"))"
fi

# nothing arrives before the filter: start while a flood of non-matching
# frames is going on
in_a "$BLAST" "$VA" -n 100000000 -t 4 -u 10 >/dev/null &
flood=$!
for i in 1 2 3 4 5; do
	bg_b "$TMPD/leak$i.err" "$BPFCAP" -i "$VB" -w "$TMPD/leak$i.pcap" udp port 9
	pid=$!
	wait_listening "$TMPD/leak$i.err"
	sleep 0.2
	stop "$pid"
	n=$(records "$TMPD/leak$i.pcap")
	[ "$n" = 0 ] || no "leak: $n packets reached the file before the filter was attached"
done
wait "$flood"
ok "no packet of a flood got past the filter at start-up (5 runs)"

# printing: one line per packet; a closed pipe ends quietly with status 0
(exec ip netns exec "$NS_B" "$BPFCAP" -i "$VB" udp 2>"$TMPD/pr.err" | head -n 3 >"$TMPD/pr.out") &
prpid=$!
wait_listening "$TMPD/pr.err"
in_a "$BLAST" "$VA" -n 20 -s 60 >/dev/null
sleep 0.3
in_a "$BLAST" "$VA" -n 20 -s 60 >/dev/null # the write after head has gone fails
timeout 5 tail --pid="$prpid" -f /dev/null || kill "$prpid"
wait "$prpid"
line='^[0-2][0-9]:[0-5][0-9]:[0-6][0-9]\.[0-9]{6} '"$VB"' B   IP [0-9.]+ > [0-9.]+: UDP, length [0-9]+$'
if [ "$(grep -cE "$line" "$TMPD/pr.out")" = 3 ] && ! grep -v -e 'listening on' -e 'packets* ' "$TMPD/pr.err" | grep -q .; then
	ok "printing: 3 lines '$(head -1 "$TMPD/pr.out")', quiet end on a closed pipe"
else
	no "printing: $(cat "$TMPD/pr.out") / $(cat "$TMPD/pr.err")"
fi
# -w - into a closed pipe is a write error: exit 2, said so
bash -c 'ip netns exec "$1" "$2" -i "$3" -w - udp 2>"$4"; echo $? >"$4.rc"' _ "$NS_B" "$BPFCAP" "$VB" "$TMPD/wp.err" | head -c 100 >/dev/null &
wait_listening "$TMPD/wp.err"
in_a "$BLAST" "$VA" -n 3000 -p 20000 >/dev/null
sleep 1.5
in_a "$BLAST" "$VA" -n 10 >/dev/null
for _ in $(seq 50); do [ -s "$TMPD/wp.err.rc" ] && break; sleep 0.1; done
[ "$(cat "$TMPD/wp.err.rc" 2>/dev/null)" = 2 ] && grep -q 'write failed: Broken pipe' "$TMPD/wp.err" &&
	ok "-w - into a closed pipe: exit 2, '$(grep -o 'write failed.*' "$TMPD/wp.err")'" ||
	no "-w - into a closed pipe: exit $(cat "$TMPD/wp.err.rc" 2>/dev/null), $(cat "$TMPD/wp.err")"

# nanosecond files, and -U: each packet in the file at once (not after 1 s)
bg_b "$TMPD/ns.err" "$BPFCAP" -i "$VB" -U --time-stamp-precision nano -w "$TMPD/ns.pcap" udp
pid=$!
wait_listening "$TMPD/ns.err"
in_a "$BLAST" "$VA" -n 5 >/dev/null
sleep 0.3
n=$(records "$TMPD/ns.pcap")
magic=$(od -An -tx4 -N4 "$TMPD/ns.pcap" | tr -d ' ')
stop "$pid"
[ "$n" = 5 ] && [ "$magic" = a1b23c4d ] && ok "-U: 5 packets in the file within 0.3 s; nanosecond magic" ||
	no "-U/nano: $n packets after 0.3 s, magic $magic"

# a small ring still takes whole jumbo frames (MTU 9000): blocks are sized
# for the largest frame, not from -B
bg_b "$TMPD/jumbo.err" "$BPFCAP" -i "$VB" -B 64 -w "$TMPD/jumbo.pcap" udp
pid=$!
wait_listening "$TMPD/jumbo.err"
in_a "$BLAST" "$VA" -n 5 -s 9000 >/dev/null
sleep 0.3
stop "$pid"
n=$(records "$TMPD/jumbo.pcap") size=$(stat -c %s "$TMPD/jumbo.pcap")
# whole: the pcap header and 5 records of 16 + 9000 bytes
[ "$n" = 5 ] && [ "$size" = $((24 + 5 * (16 + 9000))) ] && ok "-B 64: 5 jumbo frames of 9000 bytes, whole" ||
	no "-B 64 with jumbo frames: $n packets, a file of $size bytes"

# the interface goes down: stop, keep the file, exit 2
bg_b "$TMPD/down.err" "$BPFCAP" -i "$VB" -w "$TMPD/down.pcap" udp
pid=$!
wait_listening "$TMPD/down.err"
in_a "$BLAST" "$VA" -n 500 >/dev/null
sleep 0.3
ip -n "$NS_B" link set "$VB" down
stop "$pid" 0 # it stops by itself
rc=$?
n=$(records "$TMPD/down.pcap")
if [ "$rc" = 2 ] && [ "$n" = 500 ] && grep -q 'went down' "$TMPD/down.err"; then
	ok "interface down: exit 2, the 500 packets before it in the file"
else
	no "interface down: exit $rc, $n packets"
	cat "$TMPD/down.err"
fi
exit $bad
