#!/bin/sh
# tests/decode/golden.sh - bpfcap's printout against tcpdump 4.99's on every
# capture of pcaps/ and ../shared/corpus/pcaps/ (not malformed/), in the
# modes of golden.py; fails when a protocol claimed in tests/decode/claims
# falls below 98 % identical lines.  BPFCAP_SHARED overrides where ../shared is.  Known differences and their reasons:
# tests/decode/known-differences.tsv.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=$(cd "${top_srcdir:-$here/../..}" && pwd)
top_builddir=$(cd "${top_builddir:-.}" && pwd)
bin=$top_builddir/bpfcap
if ! command -v tcpdump >/dev/null 2>&1; then
	echo "golden: SKIP: tcpdump not installed (Debian: tcpdump; tools/deps.sh)"
	exit 77
fi
if ! command -v python3 >/dev/null 2>&1; then
	echo "golden: SKIP: python3 not installed (Debian: python3; tools/deps.sh)"
	exit 77
fi
set -- "$top_srcdir"/pcaps/*.pcap
shared=${BPFCAP_SHARED:-$top_srcdir/../shared}/corpus/pcaps
if [ -d "$shared" ]; then
	set -- "$@" "$shared"/ether/* "$shared"/sll/* "$shared"/rawip/*
else
	echo "golden: NOTE: $shared absent: comparing on pcaps/ only (the shared corpus is skipped)"
fi
out=$top_builddir/tests/decode
mkdir -p "$out"
echo "golden: $# captures, tcpdump $(tcpdump --version 2>&1 | head -1 | sed 's/.*version //')"
exec python3 "$here/golden.py" "$bin" "$here/claims" "$here/known-differences.tsv" "$out" "$@"
