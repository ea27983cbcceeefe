#!/bin/bash
# ebpf_diff.sh - the eBPF backend against classic BPF and libpcap, in the
# kernel: tests/kern/ebpfdiff loads every expression of the differential
# corpus as XDP and tc programs (raw and --vlan live) and runs every
# Ethernet frame of the captures through them with BPF_PROG_TEST_RUN.
set -u
shopt -s nullglob globstar
top=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
bld=${top_builddir:-$top}
bin=$bld/tests/kern/ebpfdiff
[ -x "$bin" ] || { echo "ERROR: $bin is not built"; exit 99; }
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root for bpf()"; exit 77; }
lists=("$top"/filters/*.txt "$top/tests/kern/ebpf.flt")
pcaps=("$top"/pcaps/**/*.pcap*)
corpus=
for c in "${BPFCAP_CORPUS:-}" "$top/../shared/corpus" "$top/../../shared/corpus"; do
	[ -n "$c" ] && [ -d "$c" ] && { corpus=$c; break; }
done
if [ -n "$corpus" ]; then
	lists+=("$corpus/libpcap-filters/accept.txt")
	pcaps+=("$corpus"/pcaps/**/*.pcap*)
else
	echo "SKIP (part): ../shared/corpus not present; own lists and captures only"
fi
start=$SECONDS
"$bin" -k "$top/tests/diff/known-differences.tsv" "${lists[@]}" -- "${pcaps[@]}"
rc=$?
echo "ebpf_diff: exit $rc, $((SECONDS - start))s"
exit $rc
