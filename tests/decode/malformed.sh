#!/bin/sh
# tests/decode/malformed.sh - bad input never crashes the printer:
#  1. every capture of ../shared/corpus/pcaps/malformed/ (and pcaps/ether-short.pcap)
#     prints in several modes with no crash and no sanitizer report (run it in
#     the --enable-sanitizers build to make the second count);
#  2. a damaged file (a capture cut at several points) prints what could be
#     read, then a message naming the file and the byte offset, and exits 2.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=$(cd "${top_srcdir:-$here/../..}" && pwd)
top_builddir=$(cd "${top_builddir:-.}" && pwd)
bin=$top_builddir/bpfcap
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bpfcap-malformed.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0
no() { echo "FAIL: $*"; fail=1; }
shared=${BPFCAP_SHARED:-$top_srcdir/../shared}/corpus/pcaps/malformed
set -- "$top_srcdir"/pcaps/ether-short.pcap
if [ -d "$shared" ]; then
	set -- "$@" "$shared"/*
else
	echo "NOTE: $shared absent: only pcaps/ether-short.pcap (the shared corpus is skipped)"
fi
n=0
for f in "$@"; do
	for mode in "-n" "-nvv" "-nvv -e -XX" "-n -A --json" "-q -tttt -xx"; do
		# shellcheck disable=SC2086
		"$bin" $mode -r "$f" >"$tmp/out" 2>"$tmp/err"
		rc=$?
		n=$((n + 1))
		if [ "$rc" -ge 128 ] || [ "$rc" = 1 ]; then
			no "$f ($mode): exit $rc"
		fi
		if grep -qE 'runtime error|AddressSanitizer|LeakSanitizer' "$tmp/err"; then
			no "$f ($mode): sanitizer report:"
			grep -E 'runtime error|ERROR' "$tmp/err" | head -3
		fi
	done
done
echo "malformed: $n runs over $# captures, no crash or sanitizer report unless said above"

# damaged files: demo.pcap (24-byte header, then records) cut inside records
src=$top_srcdir/pcaps/demo.pcap
good=$("$bin" -n -r "$src" 2>/dev/null | wc -l)
for cut in 30 90 500 1000; do
	head -c "$cut" "$src" >"$tmp/cut.pcap"
	"$bin" -n -r "$tmp/cut.pcap" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	lines=$(wc -l <"$tmp/out")
	msg=$(grep -v '^reading from' "$tmp/err")
	if [ "$rc" != 2 ]; then
		no "cut at $cut: exit $rc, not 2 ($msg)"
	elif ! echo "$msg" | grep -q "$tmp/cut.pcap: damaged at byte offset [0-9]"; then
		no "cut at $cut: the message names neither the file nor the offset: $msg"
	elif [ "$lines" -ge "$good" ]; then
		no "cut at $cut: $lines lines printed of a file that has fewer than $good packets"
	else
		off=$(echo "$msg" | sed -n 's/.*byte offset \([0-9]*\).*/\1/p')
		if [ "$off" -gt "$cut" ]; then
			no "cut at $cut: offset $off is past the end of the file"
		else
			echo "ok: cut at $cut: $lines packets printed, exit 2, '$msg'"
		fi
	fi
done
exit $fail
