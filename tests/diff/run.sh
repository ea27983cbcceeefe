#!/bin/bash
# Differential tests of bpfcap's filter compiler against libpcap 1.10.3: runs
# tests/diff/diffcheck (see the comment at the top of diffcheck.c) over the
# project's filters/*.txt lists and, when ../shared/corpus sits beside the
# checkout, over libpcap's accept/reject/apply tables.  Exit 0 if every run
# passed, 1 if one failed, 77 if nothing could run, 99 if diffcheck is missing.
set -u
shopt -s nullglob globstar

srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
builddir=${top_builddir:-$srcdir}
bin=$builddir/tests/diff/diffcheck
known=$srcdir/tests/diff/known-differences.tsv
corpus=$srcdir/../shared/corpus

if [ ! -x "$bin" ]; then
	echo "ERROR: $bin is not built (make check builds it)"
	exit 99
fi
# The known differences are part of the test: without them it cannot run.
if [ ! -f "$known" ]; then
	echo "ERROR: $known is missing (it lists the deliberate differences from libpcap)"
	exit 99
fi
kopt=(-k "$known")

ran=0
failed=()
run() { # NAME DIFFCHECK-ARGS...
	local name=$1 start=$SECONDS rc
	shift
	echo "=== $name"
	"$bin" "${kopt[@]}" "$@"
	rc=$?
	echo "=== $name: exit $rc, $((SECONDS - start))s"
	ran=$((ran + 1))
	[ "$rc" -eq 0 ] || failed+=("$name")
}

own_pcaps=("$srcdir"/pcaps/**/*.pcap*)
corpus_pcaps=()
if [ -d "$corpus" ]; then
	corpus_pcaps=("$corpus"/pcaps/**/*.pcap* "$corpus"/libpcap-filters/savefiles/*)
else
	echo "SKIP: ../shared/corpus not present"
fi

for list in "$srcdir"/filters/*.txt; do
	run "accept ${list#"$srcdir"/}" accept "$list" "${own_pcaps[@]}" "${corpus_pcaps[@]}"
done

if [ -d "$corpus" ] && [ -z "${DIFF_OWN_ONLY:-}" ]; then
	lf=$corpus/libpcap-filters
	run "accept corpus accept.txt" accept "$lf/accept.txt" "${own_pcaps[@]}" "${corpus_pcaps[@]}"
	run "reject corpus reject.txt" reject "$lf/reject.txt"
	run "apply corpus apply.tsv" -N "$lf/namedb" apply "$lf/apply.tsv" "$lf/savefiles"
fi

if [ "$ran" -eq 0 ]; then
	echo "SKIP: nothing to run (no filters/*.txt and no ../shared/corpus)"
	exit 77
fi
if [ "${#failed[@]}" -gt 0 ]; then
	printf 'FAIL: %s\n' "${failed[@]}"
	exit 1
fi
echo "PASS: $ran runs"
exit 0
