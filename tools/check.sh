#!/bin/sh
# check.sh - every test, in the two builds CI runs, each out of tree: build/
# with warnings as errors, and build-asan/ with AddressSanitizer and
# UndefinedBehaviorSanitizer as well.
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
[ -x configure ] || autoreconf -fi
# an in-tree configuration would stop out-of-tree builds
[ -f config.status ] && make distclean >/dev/null
failed() {
	grep -hE '^(FAIL|ERROR|MISMATCH|REFUSED|ACCEPTED-BAD|APPLY-MISMATCH)' tests/*/*.log 2>/dev/null | head -60
	exit 1
}
# the fuzz target builds its own sanitized binary: a short run in the first
# build, the bounded run (FUZZ_SECONDS, default 120) in the second
for b in build build-asan; do
	mkdir -p "$top/$b" && cd "$top/$b"
	flags=--enable-werror secs=10
	[ $b = build-asan ] && flags="$flags --enable-sanitizers" secs=${FUZZ_SECONDS:-120}
	../configure $flags >/dev/null
	echo "== $b: make check"
	FUZZ_SECONDS=$secs make -j"$(nproc)" check || failed
done
