#!/bin/bash
# flow_view.sh - the curses view of bpfcap --top, in a tmux pane against a
# capture replayed over veth: the header and the flows on screen, the sort
# keys, the display filter, pause, name resolution (from the namespace's
# own hosts file, /etc/netns/NAME/hosts), a resize that leaves "+N more",
# colours only where the terminal has them, and after q nothing attached.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
[ -x "$PY" ] || skip "python3 not installed (Debian: python3)"
command -v tmux >/dev/null || skip "tmux not installed (Debian: tmux)"
setup_pair
bad=0
# the sender, whose frames from -f an ASan build reports as leaked at exit
# (tests/kern/blast.c): that is not what these tests are about
blast_a() { in_a env ASAN_OPTIONS=detect_leaks=0 "$BLAST" "$@"; }
blast_b() { in_b env ASAN_OPTIONS=detect_leaks=0 "$BLAST" "$@"; }
ok() { echo "ok: $*"; }
no() { echo "FAIL: $*"; bad=1; }
T="tmux -L bcflow$$"
mkdir -p "/etc/netns/$NS_B"
echo "10.9.3.2 vlanpeer.test" >"/etc/netns/$NS_B/hosts"
CLEANUP_EXTRA="$T kill-server 2>/dev/null; rm -rf /etc/netns/$NS_B"
"$PY" "$top/tests/kern/flowpcap.py" gen "$TMPD/f.pcap" || fail "cannot make the capture"

# view NAME TERM COLS ROWS ARGS...: bpfcap --top in a tmux pane
view() {
	local name=$1 term=$2 cols=$3 rows=$4
	shift 4
	$T new-session -d -s "$name" -x "$cols" -y "$rows" \
		"TERM=$term ip netns exec $NS_B $BPFCAP --top -i $VB $* 2>$TMPD/$name.err; echo \$? >$TMPD/$name.rc; sleep 30"
	for _ in $(seq 100); do
		grep -q 'counting flows on' "$TMPD/$name.err" 2>/dev/null && return 0
		sleep 0.05
	done
	cat "$TMPD/$name.err"
	fail "$name: the view did not start"
}
screen() { $T capture-pane -p -t "$1"; }
# until NAME PATTERN: wait (up to 5 s) for PATTERN on the screen
until_on() {
	for _ in $(seq 50); do
		screen "$1" | grep -qE -- "$2" && return 0
		sleep 0.1
	done
	return 1
}
keys() { $T send-keys -t "$@"; sleep 0.3; }
check() { # NAME WHAT PATTERN
	if until_on "$1" "$3"; then ok "$2"; else no "$2: '$3' not on the screen:"; screen "$1"; fi
}
attached() {
	ip -n "$NS_B" link show "$VB" | grep -o 'prog/xdp.*'
	in_b "$bld/tests/kern/flowrun" attached "$VB"
}

view v screen-256color 150 40 -n --interval 0.5
blast_a "$VA" -f "$TMPD/f.pcap" >/dev/null
check v "header: interface, hook, filter" "^bpfcap --top  $VB  hook xdp  filter: \(all packets\)"
check v "header: totals, flows, evictions, drops" "^packets 91 \(.* pps\)  bytes 22368 \(.*bit/s\)  flows 19  evictions 0  drops 0"
check v "column header" "^PROTO +SOURCE +DESTINATION +PACKETS +BYTES +PPS +BIT/S +FLAGS +AGE"
check v "a VLAN row" "^vlan 100 udp +10\.9\.3\.1:1000 +10\.9\.3\.2:2000 +6 "
check v "an IPv6 row" "^udp +\[fd00::1\]:6001 +\[fd00::11\]:443 +7 "
check v "sorted by bytes first" "sort: bytes"
# by packets: the 17-frame flow first, then 13
keys v P
check v "sort by packets" "sort: packets"
rows=$(screen v | sed -n '6,7p' | awk '{print $4}' | tr '\n' ' ')
[ "$rows" = "17 13 " ] && ok "by packets: 17, then 13" || no "by packets: first rows have $rows"
keys v a
check v "sort by age" "sort: age"
keys v r
check v "sort by rate" "sort: rate"
keys v / 1 0 . 9 . 3 . 2 Enter
check v "display filter" "display filter: 10\.9\.3\.2  \(1 shown\)"
n=$(screen v | grep -cE '^(vlan|udp|tcp|icmp|arp|0x)')
[ "$n" = 1 ] && ok "display filter: one row" || no "display filter: $n rows"
keys v n
check v "names on" "names: on"
check v "a name from the namespace's hosts file" "^vlan 100 udp +10\.9\.3\.1:1000 +vlanpeer\.test:2000 "
keys v n
check v "names off" "names: off"
keys v / Enter
check v "display filter cleared" "display filter: none  \(19 shown\)"
keys v p
check v "pause" "\[paused\]"
blast_a "$VA" -f "$TMPD/f.pcap" >/dev/null
sleep 1.2
screen v | grep -q "^packets 91 " && ok "paused: the screen keeps the old totals" || no "paused: the screen changed"
keys v p
check v "unpaused: the new totals" "^packets 182 \(.*bytes 44736 "
# a small window: the rows that do not fit are counted
$T resize-window -t v -x 120 -y 12
check v "resize: +N more" "^\+1[0-9] more"
$T resize-window -t v -x 150 -y 40
check v "resize back: all rows" "^arp "
esc=$($T capture-pane -p -e -t v | grep -c $'\e\\[3[0-9]')
[ "$esc" -gt 0 ] && ok "colours on a colour terminal ($esc lines)" || no "no colours on screen-256color"
keys v q
for _ in $(seq 50); do [ -s "$TMPD/v.rc" ] && break; sleep 0.1; done
[ "$(cat "$TMPD/v.rc" 2>/dev/null)" = 0 ] && ok "q: exit 0" || no "q: exit '$(cat "$TMPD/v.rc" 2>/dev/null)' $(cat "$TMPD/v.err")"
[ -z "$(attached)" ] && ok "q: nothing left attached" || no "q: left attached: $(attached)"

# a terminal without colours gets none; tc both ways
view m vt100 150 40 -n --backend tc
blast_a "$VA" -f "$TMPD/f.pcap" >/dev/null
check m "tc view: header" "^bpfcap --top  $VB  hook tc ingress\+egress"
check m "tc view: totals" "^packets 91 "
esc=$($T capture-pane -p -e -t m | grep -c $'\e\\[3[0-9]')
[ "$esc" = 0 ] && ok "no colours on vt100" || no "colours on vt100 ($esc lines)"
[ -n "$(attached)" ] || no "tc view: nothing attached while running"
keys m q
for _ in $(seq 50); do [ -s "$TMPD/m.rc" ] && break; sleep 0.1; done
[ "$(cat "$TMPD/m.rc" 2>/dev/null)" = 0 ] && ok "q (tc): exit 0" || no "q (tc): exit '$(cat "$TMPD/m.rc" 2>/dev/null)'"
[ -z "$(attached)" ] && ok "q (tc): nothing left attached" || no "q (tc): left attached: $(attached)"
exit $bad
