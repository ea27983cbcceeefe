#!/bin/bash
# ebpf_xlated.sh - the '-d --target xdp|tc' listing is the program the kernel
# runs: for a handful of expressions (raw and --vlan live), the object
# written with '--target HOOK -o' is loaded with 'bpftool prog load' and
# 'bpftool prog dump xlated' of it must equal bpfcap's listing instruction
# for instruction, jumps landing on the same instructions, except for the
# rewrites tests/kern/xlated_cmp.py names (context accesses, helper
# addresses, branches and code the verifier proved constant or dead).  The
# rewrites seen are printed with their counts.
set -u
top=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
bld=${top_builddir:-$top}
BPFCAP=$(cd "$bld" && pwd)/bpfcap
CMP=$top/tests/kern/xlated_cmp.py
[ -x "$BPFCAP" ] || { echo "ERROR: $BPFCAP is not built"; exit 99; }
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root for bpf()"; exit 77; }
BPFTOOL=$(command -v bpftool || echo /usr/sbin/bpftool)
[ -x "$BPFTOOL" ] || { echo "SKIP: bpftool not installed (Debian: bpftool)"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: python3 not installed (Debian: python3)"; exit 77; }
TMPD=$(mktemp -d)
fs=/sys/fs/bpf
umnt=
if ! mount | grep -q " $fs type bpf "; then
	fs=$TMPD/bpffs
	mkdir "$fs"
	mount -t bpf bpf "$fs" || { rm -rf "$TMPD"; echo "SKIP: no bpffs"; exit 77; }
	umnt=$fs
fi
pin=$fs/bpfcap_x$$
cleanup() {
	rm -f "$pin"
	[ -n "$umnt" ] && umount "$umnt"
	rm -rf "$TMPD"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

exprs=(
	'arp or (udp and dst port 5001)'
	'not tcp'
	'vlan 100 and udp'
	'ip6 and udp dst port 5001 or icmp6'
	'len > 100 and tcp[tcpflags] & tcp-syn != 0'
	'ip protochain 17'
	'ip6 protochain 43 or protochain 17'
	'ip[2:2] / (ip[0] & 0xf) > 10 or ip[2:2] % (ip[8] - 64) > 1'
	'ifindex 2'
)
# where the verifier proves branches constant and code dead (HOOK VLAN EXPR)
proved=(
	"xdp live not vlan and icmp"
	"xdp live ether[ether[0] & 3] = 0"
	"tc live ip or (vlan and ip)"
	"tc raw ether[ether[0] & 3] = 0"
	"tc live vlan 100 and mpls and ip"
	"xdp live vlan 100 and mpls and ip"
	"tc live not vlan and icmp"
)
cases=()
for e in "${exprs[@]}"; do
	for h in xdp tc; do
		for v in raw live; do
			cases+=("$h $v $e")
		done
	done
done
cases+=("${proved[@]}")
bad=0 n=0
: >"$TMPD/kinds"
for c in "${cases[@]}"; do
	read -r h v e <<<"$c"
	{
			what="$h --vlan $v '$e'"
			if ! "$BPFCAP" -d --target "$h" --vlan "$v" "$e" >"$TMPD/ours" 2>"$TMPD/err"; then
				# an expression a hook cannot express is refused at compile time
				grep -q "needs a live capture\|cannot\|not known" "$TMPD/err" &&
					echo "refused (as it should be): $what: $(head -1 "$TMPD/err")" && continue
				echo "FAIL: $what: -d"
				cat "$TMPD/err"
				bad=1
				continue
			fi
			"$BPFCAP" --target "$h" --vlan "$v" -o "$TMPD/p.o" "$e" || {
				echo "FAIL: $what: -o"
				bad=1
				continue
			}
			"$BPFTOOL" prog load "$TMPD/p.o" "$pin" 2>"$TMPD/err" || {
				echo "FAIL: $what: bpftool prog load"
				tail -20 "$TMPD/err"
				bad=1
				continue
			}
			"$BPFTOOL" prog dump xlated pinned "$pin" >"$TMPD/kern"
			rm -f "$pin"
			n=$((n + 1))
			if python3 "$CMP" "$h" "$TMPD/ours" "$TMPD/kern" >"$TMPD/res"; then
				echo "ok: $what: $(tail -1 "$TMPD/res")"
				grep '^rewrite:' "$TMPD/res" | sed 's/ x\([0-9]*\)$/\t\1/' >>"$TMPD/kinds"
			else
				echo "FAIL: $what:"
				cat "$TMPD/res"
				bad=1
			fi
	}
done
echo "rewrites the kernel made (kind: total count over $n programs):"
awk -F'\t' '{c[$1] += $2} END {for (k in c) printf "  %s: %d\n", k, c[k]}' "$TMPD/kinds" | sort
# the comparison sees a difference: a constant, a jump, a context offset
"$BPFCAP" -d --target tc 'arp or (udp and dst port 5001)' >"$TMPD/ours"
"$BPFCAP" --target tc -o "$TMPD/p.o" 'arp or (udp and dst port 5001)' &&
	"$BPFTOOL" prog load "$TMPD/p.o" "$pin" &&
	"$BPFTOOL" prog dump xlated pinned "$pin" >"$TMPD/kern"
rm -f "$pin"
python3 "$CMP" tc "$TMPD/ours" "$TMPD/kern" >/dev/null || { echo "FAIL: the unchanged pair differs"; bad=1; }
for edit in 's/== 0x608 /== 0x609 /' '0,/goto pc+\([0-9]*\)/s//goto pc+1\1/' \
	's/r7 = \*(u64 \*)(r6 +200)/r9 = *(u64 *)(r6 +200)/' '/= be16/d'; do
	sed "$edit" "$TMPD/kern" >"$TMPD/kern2"
	if cmp -s "$TMPD/kern" "$TMPD/kern2"; then
		echo "FAIL: '$edit' changes nothing"
		bad=1
	elif python3 "$CMP" tc "$TMPD/ours" "$TMPD/kern2" >"$TMPD/res"; then
		echo "FAIL: the comparison misses the kernel's listing edited with '$edit'"
		bad=1
	else
		echo "ok: edited with '$edit': $(cat "$TMPD/res")"
	fi
done
[ "$n" -ge 20 ] || { echo "FAIL: only $n programs compared"; bad=1; }
[ $bad = 0 ] && echo "ebpf_xlated: ok, $n programs equal their listings"
exit $bad
