#!/bin/bash
# flow_top.sh - bpfcap --top --batch on a real kernel: a capture replayed
# across a veth pair (IPv4 and IPv6 TCP/UDP/ICMP, a fragment, one and two
# VLAN tags, ARP, LLDP) is counted at XDP, tc ingress and tc egress, and the
# --json flows equal, flow for flow, those computed from the capture itself
# (tests/kern/flowpcap.py); the text output; -c; idle expiry; a full map
# that counts evictions and keeps exact totals; nothing left attached after
# SIGKILL; a foreign XDP program is never replaced (exit 1); filter
# expressions at XDP and tc count what bpfcap -r selects from the capture
# with the same expression, flow for flow; a bad expression is exit 1.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
[ -x "$PY" ] || skip "python3 not installed (Debian: python3)"
setup_pair
bad=0
# the sender, whose frames from -f an ASan build reports as leaked at exit
# (tests/kern/blast.c): that is not what these tests are about
blast_a() { in_a env ASAN_OPTIONS=detect_leaks=0 "$BLAST" "$@"; }
blast_b() { in_b env ASAN_OPTIONS=detect_leaks=0 "$BLAST" "$@"; }
ok() { echo "ok: $*"; }
no() { echo "FAIL: $*"; bad=1; }
"$PY" "$top/tests/kern/flowpcap.py" gen "$TMPD/f.pcap" || fail "cannot make the capture"

# top NAME ARGS...: bpfcap --top on VB in the background, until it counts;
# NAME.out, NAME.err; the pid in $pid
top() {
	local name=$1
	shift
	# a file left by an earlier run of the same name would say "counting"
	# before this one does
	rm -f "$TMPD/$name.out" "$TMPD/$name.err"
	(exec ip netns exec "$NS_B" "$BPFCAP" --top -i "$VB" "$@" >"$TMPD/$name.out" 2>"$TMPD/$name.err") &
	pid=$!
	for _ in $(seq 100); do
		grep -q 'counting flows on' "$TMPD/$name.err" 2>/dev/null && return 0
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	cat "$TMPD/$name.err"
	no "$name: bpfcap did not start counting"
	return 1
}
# attached: what is on VB (XDP as ip shows it, XDP and tcx as the kernel
# says), empty when nothing
attached() {
	ip -n "$NS_B" link show "$VB" | grep -o 'prog/xdp.*'
	in_b "$bld/tests/kern/flowrun" attached "$VB"
}

# replay HOOK SENDER BPFCAP-ARGS...: the capture through VB, counted at HOOK
replay() {
	local hook=$1 from=$2
	shift 2
	top "$hook" --json -c 2 --interval 0.7 "$@" || return
	if [ "$from" = a ]; then blast_a "$VA" -f "$TMPD/f.pcap" >/dev/null; else blast_b "$VB" -f "$TMPD/f.pcap" >/dev/null; fi
	stop "$pid" 0
	local rc=$?
	[ "$rc" = 0 ] || no "$hook: exit $rc: $(cat "$TMPD/$hook.err")"
	"$PY" "$top/tests/kern/flowpcap.py" check "$TMPD/f.pcap" "$TMPD/$hook.out" "$hook" || bad=1
	[ "$(wc -l <"$TMPD/$hook.out")" = 2 ] && ok "$hook: -c 2 gave 2 records" ||
		no "$hook: -c 2 gave $(wc -l <"$TMPD/$hook.out") records"
	[ -z "$(attached)" ] && ok "$hook: nothing attached after the exit" || no "$hook: left attached: $(attached)"
}
replay xdp a --backend xdp
grep -q '(native mode)' "$TMPD/xdp.err" && ok "xdp: native mode on veth, said on stderr" ||
	no "xdp: mode not said: $(cat "$TMPD/xdp.err")"
replay tc-ingress a --backend tc --direction ingress
replay tc-egress b --backend tc --direction egress

# the text output: the totals line, the column header, the flows
top text --batch -c 1 --interval 1.5 --backend xdp --xdp-mode generic &&
	{ blast_a "$VA" -f "$TMPD/f.pcap" >/dev/null; stop "$pid" 0; }
if grep -q "^[0-9T:-]*Z $VB xdp: 91 packets, 22368 bytes, .* 19 flows, 0 evictions, 0 drops" "$TMPD/text.out" &&
	grep -q '^PROTO  *SOURCE  *DESTINATION  *PACKETS  *BYTES' "$TMPD/text.out" &&
	grep -q '^vlan 100 udp  *10\.9\.3\.1:1000  *10\.9\.3\.2:2000  *6 ' "$TMPD/text.out" &&
	grep -q '^icmp 8/0  *10\.9\.2\.1  *10\.9\.2\.2  *4 ' "$TMPD/text.out" &&
	grep -q '^udp  *\[fd00::1\]:6001  *\[fd00::11\]:443  *7 ' "$TMPD/text.out" &&
	grep -q '(generic mode)' "$TMPD/text.err"; then
	ok "text: totals, header and rows"
else
	no "text output:"; cat "$TMPD/text.out" "$TMPD/text.err"
fi

# idle expiry: the flows are gone from the map after --idle, counted as expired
top idle --json --idle 1 --interval 0.5 -c 6 --backend tc --direction ingress &&
	{ blast_a "$VA" -f "$TMPD/f.pcap" >/dev/null; stop "$pid" 0; }
first=$(head -1 "$TMPD/idle.out" | grep -o '"flow_count":[0-9]*,"inserts":[0-9]*,"evictions":[0-9]*,"drops":[0-9]*,"expired":[0-9]*')
last=$(tail -1 "$TMPD/idle.out" | grep -o '"flow_count":[0-9]*,"inserts":[0-9]*,"evictions":[0-9]*,"drops":[0-9]*,"expired":[0-9]*')
if [ "$first" = '"flow_count":19,"inserts":19,"evictions":0,"drops":0,"expired":0' ] &&
	[ "$last" = '"flow_count":0,"inserts":19,"evictions":0,"drops":0,"expired":19' ] &&
	tail -1 "$TMPD/idle.out" | grep -q '"packets":91,"bytes":22368,.*"flows":\[\]'; then
	ok "idle: 19 flows, then 0 in the map and 19 expired, totals kept"
else
	no "idle: first $first, last $last"
fi

# a full map: 19 flows into 4 entries; the totals stay exact, evictions counted
top full --json --flows 4 -c 1 --interval 1 --backend xdp &&
	{ blast_a "$VA" -f "$TMPD/f.pcap" >/dev/null; stop "$pid" 0; }
n=$(grep -o '"flow_count":[0-9]*' "$TMPD/full.out" | cut -d: -f2)
ev=$(grep -o '"evictions":[0-9]*' "$TMPD/full.out" | cut -d: -f2)
if grep -q '"packets":91,"bytes":22368,' "$TMPD/full.out" && [ "${n:-9}" -le 4 ] &&
	[ "$((n + ev))" -ge 19 ]; then
	ok "full map: totals 91/22368 exact, $n flows in the map, $ev evictions"
else
	no "full map: $(cut -c1-300 "$TMPD/full.out")"
fi

# SIGKILL: the kernel detaches (links), at XDP and at tc both ways
for args in "--backend xdp" "--backend tc --direction both"; do
	top kill --batch $args || continue
	[ -n "$(attached)" ] || no "kill ($args): nothing was attached while running"
	stop "$pid" KILL
	sleep 0.2
	[ -z "$(attached)" ] && ok "SIGKILL ($args): nothing left attached" || no "SIGKILL ($args): left $(attached)"
done

# someone else's XDP program is not replaced
if ip -n "$NS_B" link set dev "$VB" xdpgeneric obj "$bld/xdp/flow.bpf.o" sec xdp.frags 2>"$TMPD/ip.err"; then
	before=$(attached)
	in_b "$BPFCAP" --top -i "$VB" --batch -c 1 >/dev/null 2>"$TMPD/foreign.err"
	rc=$?
	if [ "$rc" = 1 ] && grep -q "already has an XDP program (id [0-9]*.*does not replace it" "$TMPD/foreign.err" &&
		[ "$(attached)" = "$before" ]; then
		ok "foreign XDP program: refused with exit 1, left in place"
	else
		no "foreign XDP: exit $rc, $(cat "$TMPD/foreign.err"), before '$before', after '$(attached)'"
	fi
	ip -n "$NS_B" link set dev "$VB" xdpgeneric off
else
	no "cannot attach a foreign XDP program with ip: $(cat "$TMPD/ip.err")"
fi

# the join on real traffic: a hand-assembled generated-style "IPv4 only"
# program in front of the counting program (the join alone, whatever the
# compiler emits):
# only the capture's IPv4 frames are counted
for hook in xdp tc-ingress; do
	rm -f "$TMPD/join.out" "$TMPD/join.err"
	mkfifo "$TMPD/join.in"
	(exec ip netns exec "$NS_B" "$bld/tests/kern/flowrun" join "$VB" "$hook" <"$TMPD/join.in" >"$TMPD/join.out" 2>"$TMPD/join.err") &
	jpid=$!
	exec 7>"$TMPD/join.in"
	for _ in $(seq 100); do grep -q attached "$TMPD/join.err" && break; sleep 0.05; done
	blast_a "$VA" -f "$TMPD/f.pcap" >/dev/null
	sleep 0.2
	echo >&7
	exec 7>&-
	wait "$jpid" || no "join at $hook: $(cat "$TMPD/join.err")"
	"$PY" "$top/tests/kern/flowpcap.py" check "$TMPD/f.pcap" "$TMPD/join.out" "$hook" \
		"$([ $hook = xdp ] && echo ipv4 || echo ipv4-tc)" || bad=1
	rm -f "$TMPD/join.in"
done
[ -z "$(attached)" ] || no "join: left attached: $(attached)"

# without the privileges to load BPF programs: a usage error, said plainly
if command -v setpriv >/dev/null; then
	in_b setpriv --reuid=nobody --regid=nogroup --clear-groups "$BPFCAP" --top -i "$VB" --batch -c 1 \
		>/dev/null 2>"$TMPD/perm.err"
	rc=$?
	[ "$rc" = 1 ] && grep -q '^bpfcap: not allowed to load BPF programs .*run as root' "$TMPD/perm.err" &&
		ok "unprivileged: exit 1, $(cat "$TMPD/perm.err")" || no "unprivileged: exit $rc: $(cat "$TMPD/perm.err")"
else
	echo "SKIP: setpriv not installed: the unprivileged case is not run"
fi

# filters: the expression compiled to eBPF for the hook, with the counting
# program behind it; what is counted equals, flow for flow, the frames that
# bpfcap -r selects from the capture with the same expression.  On an
# interface VLAN has its live meaning at every hook (the outer tag is
# metadata, wherever the hook finds it), so the reference is the capture
# without the outer tags, but for 'vlan' expressions, which read that tag:
# theirs is the capture as it is.  Under --vlan raw the hooks see the bytes
# as on the wire, at XDP and at tc alike: the capture as it is.
"$PY" "$top/tests/kern/flowpcap.py" strip "$TMPD/f.pcap" "$TMPD/s.pcap" || fail "cannot strip the capture"
filtered() { # HOOK PCAP-OF-REFERENCE EXPR BPFCAP-ARGS...
	local hook=$1 ref=$2 expr=$3
	shift 3
	"$BPFCAP" -r "$ref" "$expr" 2>/dev/null | sed -n 's/^[0-9][0-9:]*\.\([0-9]*\) .*/\1/p' >"$TMPD/idx"
	top filt --json -c 2 --interval 0.7 "$@" "$expr" || return
	if [ "$hook" = tc-egress ]; then blast_b "$VB" -f "$TMPD/f.pcap" >/dev/null; else blast_a "$VA" -f "$TMPD/f.pcap" >/dev/null; fi
	stop "$pid" 0 || no "$hook '$expr': exit $?: $(cat "$TMPD/filt.err")"
	local said
	said=$(grep 'counting flows on' "$TMPD/filt.err")
	[ "${said##*, filter: }" = "$expr" ] || no "$hook '$expr': the filter not said: $said"
	echo "$hook '$expr' ($(wc -l <"$TMPD/idx") frames of 91):"
	"$PY" "$top/tests/kern/flowpcap.py" check "$TMPD/f.pcap" "$TMPD/filt.out" "$hook" "@$TMPD/idx" || bad=1
	[ -z "$(attached)" ] || no "$hook '$expr': left attached: $(attached)"
}
for e in udp ip6 'tcp or icmp' 'not ip and not ip6' 'udp and dst port 53 and greater 200'; do
	filtered xdp "$TMPD/s.pcap" "$e" --backend xdp
done
filtered xdp "$TMPD/f.pcap" 'vlan 100' --backend xdp
for e in udp 'not ip'; do
	filtered xdp "$TMPD/f.pcap" "$e" --backend xdp --vlan raw
	filtered tc-ingress "$TMPD/f.pcap" "$e" --backend tc --direction ingress --vlan raw
done
for e in udp 'ip6 and udp' 'icmp or icmp6' 'tcp[tcpflags] & tcp-syn != 0' arp; do
	filtered tc-ingress "$TMPD/s.pcap" "$e" --backend tc --direction ingress
done
filtered tc-ingress "$TMPD/f.pcap" 'vlan 100' --backend tc --direction ingress
filtered tc-egress "$TMPD/s.pcap" 'ip and udp' --backend tc --direction egress

# an expression that does not compile: exit 1, the compiler's message,
# nothing loaded or attached
in_b "$BPFCAP" --top -i "$VB" --batch -c 1 'tcp port 70000' >/dev/null 2>"$TMPD/expr.err"
rc=$?
if [ "$rc" = 1 ] && grep -q '^bpfcap: filter: ' "$TMPD/expr.err" &&
	! grep -qi 'verifier\|libbpf' "$TMPD/expr.err" && [ -z "$(attached)" ]; then
	ok "a bad expression: exit 1, $(head -1 "$TMPD/expr.err")"
else
	no "a bad expression: exit $rc: $(cat "$TMPD/expr.err")"
fi
exit $bad
