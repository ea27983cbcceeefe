#!/bin/bash
# flow_ipfix.sh - bpfcap --top --ipfix against a real collector: nfdump's
# nfcapd listens on the loopback of a namespace, bpfcap counts a capture
# replayed over veth and exports, nfdump reads the collector's file, and
# its flows (IPv4 and IPv6, TCP/UDP/ICMP, VLAN ids) and their packets and
# bytes equal those computed from the capture.  Once with --batch --json
# beside the export (the JSON has the same totals), once with --quiet and
# idle expiry (each flow exported once when it expires, nothing again at
# the end); and over TCP to a collector of the test's own.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
[ -x "$PY" ] || skip "python3 not installed (Debian: python3)"
command -v nfcapd >/dev/null && command -v nfdump >/dev/null || skip "nfdump not installed (Debian: nfdump)"
setup_pair
bad=0
# the sender, whose frames from -f an ASan build reports as leaked at exit
# (tests/kern/blast.c): that is not what these tests are about
blast_a() { in_a env ASAN_OPTIONS=detect_leaks=0 "$BLAST" "$@"; }
blast_b() { in_b env ASAN_OPTIONS=detect_leaks=0 "$BLAST" "$@"; }
ok() { echo "ok: $*"; }
no() { echo "FAIL: $*"; bad=1; }
"$PY" "$top/tests/kern/flowpcap.py" gen "$TMPD/f.pcap" || fail "cannot make the capture"
port=$((20000 + $$ % 20000))

# export NAME BPFCAP-ARGS...: collector up, bpfcap counting and exporting
# while the capture is replayed, collector down; NAME.nf: what nfdump reads
export_to_nfcapd() {
	local name=$1
	shift
	mkdir "$TMPD/$name.d"
	(exec ip netns exec "$NS_B" nfcapd -b 127.0.0.1 -p "$port" -w "$TMPD/$name.d" -t 3600 >"$TMPD/$name.nflog" 2>&1) &
	local nf=$!
	for _ in $(seq 50); do grep -q 'Startup' "$TMPD/$name.nflog" && break; sleep 0.1; done
	(exec ip netns exec "$NS_B" "$BPFCAP" --top -i "$VB" --ipfix "127.0.0.1:$port" "$@" >"$TMPD/$name.out" 2>"$TMPD/$name.err") &
	local pid=$!
	for _ in $(seq 100); do grep -q 'counting flows on' "$TMPD/$name.err" && break; sleep 0.05; done
	blast_a "$VA" -f "$TMPD/f.pcap" >/dev/null
	stop "$pid" 0 || no "$name: bpfcap exit $?: $(cat "$TMPD/$name.err")"
	sleep 0.3
	stop "$nf" TERM
	nfdump -R "$TMPD/$name.d" -q -o 'fmt:%pr %sa %da %sp %dp %pkt %byt %svln' >"$TMPD/$name.nf" 2>&1
}

export_to_nfcapd batch --batch --json -c 2 --interval 0.7
"$PY" "$top/tests/kern/flowpcap.py" check-nfdump "$TMPD/f.pcap" "$TMPD/batch.nf" || { bad=1; cat "$TMPD/batch.nf"; }
grep -q '"packets":91,"bytes":22368,' "$TMPD/batch.out" && [ "$(wc -l <"$TMPD/batch.out")" = 2 ] &&
	ok "--batch --json beside the export: 2 records, totals 91/22368" ||
	no "--batch --json: $(cut -c1-200 "$TMPD/batch.out")"
n=$(grep -c . "$TMPD/batch.nf")
[ "$n" = 17 ] && ok "one record per IP flow (17; ARP and LLDP are not IPFIX flows)" || no "$n records, expected 17"

export_to_nfcapd quiet --quiet --idle 1 --interval 0.4 -c 8
[ -s "$TMPD/quiet.out" ] && no "--quiet printed: $(head -2 "$TMPD/quiet.out")"
"$PY" "$top/tests/kern/flowpcap.py" check-nfdump "$TMPD/f.pcap" "$TMPD/quiet.nf" || { bad=1; cat "$TMPD/quiet.nf"; }
n=$(grep -c . "$TMPD/quiet.nf")
[ "$n" = 17 ] && ok "--quiet with expiry: each flow exported once (17 records)" || no "$n records, expected 17"

# over TCP (nfcapd takes only UDP): the test's own collector decodes the
# templates and the records; templates are sent once on a stream
(exec ip netns exec "$NS_B" "$PY" "$top/tests/kern/flowpcap.py" collect-tcp "$port" "$TMPD/tcp.nf" >"$TMPD/tcp.log" 2>&1) &
col=$!
for _ in $(seq 50); do grep -q listening "$TMPD/tcp.log" && break; sleep 0.1; done
(exec ip netns exec "$NS_B" "$BPFCAP" --top -i "$VB" --ipfix "tcp://127.0.0.1:$port" --quiet -c 3 --interval 0.5 >/dev/null 2>"$TMPD/tcp.err") &
pid=$!
for _ in $(seq 100); do grep -q 'counting flows on' "$TMPD/tcp.err" && break; sleep 0.05; done
blast_a "$VA" -f "$TMPD/f.pcap" >/dev/null
stop "$pid" 0 || no "tcp: bpfcap exit $?: $(cat "$TMPD/tcp.err")"
stop "$col" 0
"$PY" "$top/tests/kern/flowpcap.py" check-nfdump "$TMPD/f.pcap" "$TMPD/tcp.nf" || { bad=1; cat "$TMPD/tcp.nf" "$TMPD/tcp.log"; }
grep -q '^# messages [0-9]* template-records 2$' "$TMPD/tcp.nf" &&
	ok "tcp: $(tail -1 "$TMPD/tcp.nf" | cut -c3-): the 2 templates sent once" || no "tcp: $(tail -1 "$TMPD/tcp.nf")"

# a collector address that is not HOST:PORT is a usage error
in_b "$BPFCAP" --top -i "$VB" --ipfix nowhere --quiet -c 1 2>"$TMPD/bad.err"
rc=$?
[ "$rc" = 1 ] && grep -q -- '--ipfix nowhere: expected HOST:PORT, \[IPv6\]:PORT or tcp://HOST:PORT' "$TMPD/bad.err" &&
	ok "--ipfix nowhere: exit 1, $(cat "$TMPD/bad.err")" || no "--ipfix nowhere: exit $rc: $(cat "$TMPD/bad.err")"
exit $bad
