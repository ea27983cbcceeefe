#!/bin/bash
# run.sh - the command line: exit statuses, the error format, listings, -r/-w/-c/--count,
# and match counts against tcpdump on the project's captures.
set -u
top=${top_srcdir:-$(dirname "$0")/../..}
bin=${top_builddir:-.}/bpfcap
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

# exit status and streams for a bad filter
"$bin" -d 'port 70000' >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc = 1 ] || fail "bad filter exit status $rc (want 1)"
[ -s "$tmp/out" ] && fail "bad filter printed on stdout"
grep -q '^bpfcap: filter: 1:6: port 70000 is out of range (0-65535)$' "$tmp/err" ||
	fail "bad filter message: $(cat "$tmp/err")"
grep -q '^       \^\^\^\^\^$' "$tmp/err" || fail "caret line missing: $(cat "$tmp/err")"
ok "filter error format"

# -d/-dd/-ddd shapes
"$bin" -d ip 2>"$tmp/err" >"$tmp/d1" || fail "-d ip"
grep -q 'Warning: assuming Ethernet' "$tmp/err" || fail "no 'assuming Ethernet' warning"
printf '(000) ldh      [12]\n(001) jeq      #0x800           jt 2\tjf 3\n(002) ret      #262144\n(003) ret      #0\n' >"$tmp/want"
cmp -s "$tmp/d1" "$tmp/want" || fail "-d ip listing: $(cat "$tmp/d1")"
"$bin" -dd -y RAW ip 2>/dev/null | head -1 | grep -q '^{ 0x30, 0, 0, 0x00000000 },$' || fail "-dd format"
"$bin" -ddd -s 96 ip 2>/dev/null >"$tmp/d3"
[ "$(head -1 "$tmp/d3")" = 4 ] && grep -q '^6 0 0 96$' "$tmp/d3" || fail "-ddd format: $(cat "$tmp/d3")"
ok "listing formats"

# usage and I/O errors
"$bin" -r /nonexistent.pcap ip >/dev/null 2>&1; [ $? = 2 ] || fail "missing file: want exit 2"
"$bin" -y NOSUCH -d ip >/dev/null 2>&1; [ $? = 1 ] || fail "bad -y: want exit 1"
"$bin" --vlan sideways -d ip >/dev/null 2>&1; [ $? = 1 ] || fail "bad --vlan: want exit 1"
"$bin" --help | grep -q 'Usage: bpfcap' || fail "--help"
ok "usage and I/O errors"

# -o: the eBPF program as an object (loading it is tests/kern/ebpf_attach.sh's)
"$bin" --target xdp -o "$tmp/a.o" 'tcp port 80' >"$tmp/out" 2>"$tmp/err" || fail "-o: exit $?: $(cat "$tmp/err")"
[ -s "$tmp/out" ] || [ -s "$tmp/err" ] && fail "-o printed something: $(cat "$tmp/out" "$tmp/err")"
[ "$(head -c 4 "$tmp/a.o" | od -An -c | tr -d ' ')" = 177ELF ] || fail "-o: not an ELF file"
"$bin" --target tc -d -o "$tmp/b.o" 'udp' >"$tmp/out" 2>/dev/null || fail "-d -o: exit $?"
grep -q '^ *0: ' "$tmp/out" && [ -s "$tmp/b.o" ] || fail "-d -o: no listing or no object"
"$bin" -o "$tmp/c.o" tcp >/dev/null 2>"$tmp/err"; rc=$?
[ $rc = 1 ] && grep -q 'needs\|say for which hook' "$tmp/err" && [ ! -e "$tmp/c.o" ] ||
	fail "-o without --target: exit $rc: $(cat "$tmp/err")"
"$bin" --target xdp -o "$tmp/d.o" 'port 99999' >/dev/null 2>&1; rc=$?
[ $rc = 1 ] && [ ! -e "$tmp/d.o" ] || fail "-o with a bad filter: exit $rc, or a file was left"
"$bin" --target xdp -o "$tmp/nodir/e.o" tcp >/dev/null 2>"$tmp/err"; rc=$?
[ $rc = 2 ] && grep -qF "$tmp/nodir/e.o" "$tmp/err" || fail "-o unwritable: exit $rc: $(cat "$tmp/err")"
ok "-o writes an object, refuses without --target, exit 2 naming an unwritable file"

# -F with comments: line:col refers to the file's lines
printf '# web traffic\ntcp port 80\n  and port 99999\n' >"$tmp/f.flt"
"$bin" -d -F "$tmp/f.flt" >/dev/null 2>"$tmp/err"
grep -q 'filter: 3:12: port 99999' "$tmp/err" || fail "-F position: $(cat "$tmp/err")"
ok "-F"

# -q counts, as tcpdump's: -qq leaves out what follows "IP " on the fragments
# after the first
python3 -c '
import struct, sys
def frag(off):
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 48, 7, off, 64, 17, 0, bytes([10, 0, 0, 1]),
                     bytes([10, 0, 0, 2]))
    return b"\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00" + ip + bytes(28)
out = struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)
for i, off in enumerate((0x2000, 3)):
    p = frag(off)
    out += struct.pack("<IIII", 1700000000 + i, 0, len(p), len(p)) + p
open(sys.argv[1], "wb").write(out)
' "$tmp/frag.pcap"
"$bin" -n -q -r "$tmp/frag.pcap" 2>/dev/null | grep -q 'ip-proto-17' || fail "-q: no later fragment"
"$bin" -n -qq -r "$tmp/frag.pcap" 2>/dev/null | grep -q 'ip-proto' && fail "-qq: a later fragment printed"
if command -v tcpdump >/dev/null; then
	cmp -s <("$bin" -n -qq -r "$tmp/frag.pcap" 2>/dev/null) \
		<(tcpdump -n -qq -r "$tmp/frag.pcap" 2>/dev/null) || fail "-qq differs from tcpdump -qq"
fi
ok "-q, -qq"

# timestamps past what tcpdump 4.99.3 formats (seconds >= 2^31 as 32 bits:
# a file's signed seconds before 1970) and differences of more than a day
python3 -c '
import struct, sys
out = struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)
p = b"\xff" * 6 + b"\x02\0\0\0\0\x01\x08\x06" + bytes.fromhex(
    "0001080006040001020000000001c0a80101000000000000c0a80102") + bytes(18)
for s in (0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 1700000000, 1700200000):
    out += struct.pack("<IIII", s, 5, len(p), len(p)) + p
open(sys.argv[1], "wb").write(out)
' "$tmp/ts.pcap"
[ "$(TZ=UTC "$bin" -n -r "$tmp/ts.pcap" 2>/dev/null | grep -c '^\[Error converting time\] ARP')" = 3 ] ||
	fail "timestamps before 1970 not refused as tcpdump does"
TZ=UTC "$bin" -n -ttt -r "$tmp/ts.pcap" 2>/dev/null | tail -1 | grep -q '^ 07:33:20.000000 ARP' ||
	fail "-ttt: a difference of more than a day"
if command -v tcpdump >/dev/null; then
	for t in -t -tt -ttt -tttt -ttttt ""; do
		cmp -s <(TZ=UTC "$bin" -n $t -r "$tmp/ts.pcap" 2>/dev/null) \
			<(TZ=UTC tcpdump -n $t -r "$tmp/ts.pcap" 2>/dev/null) || fail "timestamps $t differ from tcpdump's"
	done
fi
ok "timestamps out of range"

# reading, writing, counting, compared with tcpdump where it is installed
demo=$top/pcaps/demo.pcap
n=$("$bin" -r "$demo" --count 'tcp port 80' 2>/dev/null)
[[ $n =~ ^[0-9]+\ packets?$ ]] || fail "--count output '$n'"
"$bin" -r "$demo" -w "$tmp/w.pcap" -c 2 tcp 2>/dev/null || fail "-w"
"$bin" -r "$tmp/w.pcap" --count 2>/dev/null | grep -q '^2 packets$' || fail "-c 2 into -w"
lines=$("$bin" -r "$demo" icmp 2>/dev/null | wc -l)
[ "$lines" -gt 0 ] || fail "no icmp lines printed"
if command -v tcpdump >/dev/null; then
	for f in "$top"/pcaps/*.pcap; do
		for e in ip ip6 tcp udp icmp arp 'tcp port 80' 'port 53' vlan mpls pppoes llc \
			'ip[6:2] & 0x1fff != 0' 'tcp[tcpflags] & tcp-syn != 0' 'net 10.0.0.0/8' \
			'not ip and not ip6' 'greater 100'; do
			want=$(tcpdump -r "$f" --count "$e" 2>/dev/null) || continue
			got=$("$bin" -r "$f" --count "$e" 2>/dev/null)
			[ "$want" = "$got" ] || fail "$(basename "$f") '$e': tcpdump $want, bpfcap $got"
		done
	done
	ok "match counts equal tcpdump's"
else
	echo "SKIP: tcpdump not installed, match counts not compared"
fi
[ $fails = 0 ] || { echo "$fails failure(s)"; exit 1; }
