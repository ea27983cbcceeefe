#!/bin/sh
# bench/flow.sh - the cost of flow counting (bench/flowcost.c): ns per
# packet at XDP over an XDP_PASS program (BPF_PROG_TEST_RUN, same run),
# for 1 flow and 100,000 flows, and the CPU time of one --top refresh with
# 100,000 flows.  Needs root and a build (make bench/flowcost).
top_builddir=${top_builddir:-.}
prog=$top_builddir/bench/flowcost
[ -x "$prog" ] || { echo "bench: $prog not built: make bench/flowcost"; exit 2; }
[ "$(id -u)" = 0 ] || { echo "bench: flow: skipped: needs root to load BPF programs"; exit 0; }
"$prog" "${BENCH_REPEAT:-2000000}"
