#!/bin/sh
# tests/decode/offline.sh - classic pcap files read in place (src/capture/
# offline.c's mapping) print as tcpdump prints them, whatever their byte
# order and time resolution, and records libpcap must judge (larger than the
# snapshot length, cut short) are judged by libpcap: the same packets, the
# same message and byte offset, exit 2.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top_builddir=$(cd "${top_builddir:-.}" && pwd)
bin=$top_builddir/bpfcap
command -v tcpdump >/dev/null 2>&1 || { echo "offline: SKIP: tcpdump not installed"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "offline: SKIP: python3 not installed"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bpfcap-offline.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0
no() { echo "FAIL: $*"; fail=1; }

# gen FILE ENDIAN(< or >) NANO(0/1) SNAPLEN BAD(none|big|cut|usec)
gen() {
	python3 - "$@" <<'EOF'
import struct, sys
path, end, nano, snap, bad = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
magic = 0xa1b23c4d if nano else 0xa1b2c3d4
out = struct.pack(end + "IHHiIII", magic, 2, 4, 0, 0, snap, 1)
def udp(i, n):
    pl = bytes((i + k) & 0xff for k in range(n))
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 28 + n, i, 0, 64, 17, 0, bytes([10, 0, 0, 1]),
                     bytes([10, 0, 0, 2]))
    return (b"\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00" + ip +
            struct.pack(">HHHH", 40000 + i, 5000, 8 + n, 0) + pl)
for i in range(40):
    p = udp(i, i * 7 % 90)
    frac = (i * 123457) % (1000000000 if nano else 1000000)
    cap = len(p)
    if bad == "usec" and i == 5:
        frac = 1500000  # out of range: as libpcap scales it
    if bad == "big" and i == 20:
        cap = snap + 100  # libpcap refuses or trims such a record
        p = p + bytes(cap - len(p))
    out += struct.pack(end + "IIII", 1700000000 + i, frac, cap, len(p)) + p
if bad == "cut":
    out = out[:-7]
open(path, "wb").write(out)
EOF
}

n=0
for end in "<" ">"; do
	for nano in 0 1; do
		for bad in none big cut usec; do
			f=$tmp/t.pcap
			gen "$f" "$end" "$nano" 65535 "$bad" || { no "generator failed"; continue; }
			for mode in "-n" "-n -v -tttt" "-n -tt -x"; do
				n=$((n + 1))
				# shellcheck disable=SC2086
				TZ=UTC tcpdump $mode -r "$f" >"$tmp/ref" 2>/dev/null
				# shellcheck disable=SC2086
				TZ=UTC "$bin" $mode -r "$f" >"$tmp/got" 2>"$tmp/err"
				rc=$?
				if ! cmp -s "$tmp/ref" "$tmp/got"; then
					no "byte order $end, nano $nano, $bad, $mode: differs from tcpdump:"
					diff "$tmp/ref" "$tmp/got" | head -6
				fi
				case $bad in
				cut)
					[ "$rc" = 2 ] || no "$bad ($mode): exit $rc, not 2"
					grep -q "byte offset" "$tmp/err" || no "$bad: no byte offset in: $(cat "$tmp/err")"
					;;
				none | usec)
					[ "$rc" = 0 ] || no "$bad ($mode): exit $rc: $(cat "$tmp/err")"
					;;
				esac
			done
		done
	done
done
# the same file through a pipe (libpcap all the way) prints the same
gen "$tmp/p.pcap" "<" 0 65535 none
TZ=UTC "$bin" -n -r "$tmp/p.pcap" >"$tmp/a" 2>/dev/null
TZ=UTC "$bin" -n -r - <"$tmp/p.pcap" >"$tmp/b" 2>/dev/null
cmp -s "$tmp/a" "$tmp/b" || no "a file and the same file on stdin print differently"
[ -s "$tmp/a" ] || no "nothing printed"
# a mapped file cut short by another process while it is read: a message
# with the byte offset and exit 2, not SIGBUS (the reader keeps bpfcap
# blocked on a full pipe until the file is cut)
python3 -c '
import sys
d = open(sys.argv[1], "rb").read()
with open(sys.argv[2], "wb") as f:
    f.write(d + d[24:] * 3000)
' "$tmp/p.pcap" "$tmp/big.pcap"
mkfifo "$tmp/fifo"
"$bin" -n -r "$tmp/big.pcap" >"$tmp/fifo" 2>"$tmp/err" &
pid=$!
exec 3<"$tmp/fifo"
IFS= read -r line <&3
truncate -s 100000 "$tmp/big.pcap"
cat <&3 >/dev/null
exec 3<&-
wait "$pid"
rc=$?
[ "$rc" = 2 ] || no "a file cut while read: exit $rc, not 2: $(cat "$tmp/err")"
grep -q "shrank.*byte offset" "$tmp/err" || no "a file cut while read: no message with the byte offset: $(cat "$tmp/err")"
n=$((n + 1))
echo "offline: $n comparisons with tcpdump"
exit $fail
