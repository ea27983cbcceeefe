#!/bin/bash
# capture_files.sh - -w on a real kernel: rotation with -C, -G and -W
# (tcpdump's names, every file readable by libpcap and tcpdump), -z, a full
# filesystem (exit 2, the count, a valid file), -Z (the user, no
# capabilities, a locked filter), and the errors before capture starts.
. "$(dirname "$0")/lib.sh"
command -v tcpdump >/dev/null || skip "tcpdump not installed (Debian: tcpdump)"
setup_pair
bad=0
ok() { echo "ok: $*"; }
no() { echo "FAIL: $*"; bad=1; }
valid() { tcpdump -r "$1" -n >/dev/null 2>&1; }
# capture NAME SENDS... : bpfcap -i with the rest of the arguments (after
# --) while each of SENDS (blast arguments, quoted) runs; SIGINT at the end
capture() {
	local name=$1 sends=() a
	shift
	while [ "$1" != -- ]; do sends+=("$1"); shift; done
	shift
	bg_b "$TMPD/$name.err" "$BPFCAP" -i "$VB" "$@"
	local pid=$!
	wait_listening "$TMPD/$name.err"
	for a in "${sends[@]}"; do
		# shellcheck disable=SC2086
		case $a in sleep*) $a ;; *) in_a "$BLAST" "$VA" $a >/dev/null ;; esac
	done
	sleep 0.3
	stop "$pid"
	echo $? >"$TMPD/$name.rc"
}

# -C 1 -W 3 with about 5 MB: names r0 r1 r2, never more, each <= 1e6 + a packet
mkdir "$TMPD/c"
capture c "-n 3500 -s 1400 -p 20000" -- -w "$TMPD/c/r" -C 1 -W 3 udp
names=$(cd "$TMPD/c" && ls | tr '\n' ' ')
big=0
for f in "$TMPD"/c/*; do
	valid "$f" || no "-C 1 -W 3: $f is not readable by tcpdump"
	[ "$(stat -c %s "$f")" -le $((1000000 + 1442)) ] || big=1
done
[ "$names" = "r0 r1 r2 " ] && [ $big = 0 ] && ok "-C 1 -W 3: files $names, each at most 1 MB and a packet" ||
	no "-C 1 -W 3: files '$names' (too big: $big)"

# -C 1 without -W: r, r1, r2, ...; the packets of all files are all the packets
mkdir "$TMPD/c2"
capture c2 "-n 2000 -s 1400 -p 20000" -- -w "$TMPD/c2/r" -C 1 udp
names=$(cd "$TMPD/c2" && ls | tr '\n' ' ')
total=0
for f in "$TMPD"/c2/*; do total=$((total + $(records "$f"))); done
[ "$names" = "r r1 r2 " ] && [ "$total" = 2000 ] && ok "-C 1: files $names, 2000 packets in all" ||
	no "-C 1: files '$names', $total packets"

# -C with k and m suffixes: KiB and MiB
mkdir "$TMPD/ck"
capture ck "-n 300 -s 1000 -p 20000" -- -w "$TMPD/ck/r" -C 100k udp
for f in "$TMPD"/ck/r "$TMPD"/ck/r1; do
	s=$(stat -c %s "$f")
	[ "$s" -gt 102400 ] && [ "$s" -le $((102400 + 1016)) ] ||
		no "-C 100k: $f has $s bytes (expected just over 102400)"
done
ok "-C 100k: files rotate just past 102400 bytes"

# -G 1 with a strftime name and a gap: a file per busy second, none in the gap
mkdir "$TMPD/g"
capture g "-n 100 -p 1000" "sleep 2.5" "-n 100 -p 1000" -- -w "$TMPD/g/t-%s.pcap" -G 1 udp
n=$(ls "$TMPD/g" | wc -l)
total=0
for f in "$TMPD"/g/*; do valid "$f" || no "-G 1: $f is not readable"; total=$((total + $(records "$f"))); done
[ "$n" -ge 2 ] && [ "$n" -le 4 ] && [ "$total" = 200 ] && ok "-G 1: $n files over a 2.5 s gap, 200 packets in all" ||
	no "-G 1: $n files, $total packets"

# -G 1 -W 2: stops by itself after 2 files, with tcpdump's message
bg_b "$TMPD/gw.err" "$BPFCAP" -i "$VB" -w "$TMPD/gw-%s.pcap" -G 1 -W 2 udp
pid=$!
wait_listening "$TMPD/gw.err"
in_a "$BLAST" "$VA" -n 400 -p 100 >/dev/null &
stop "$pid" 0 # it stops by itself
rc=$?
grep -q 'Maximum file limit reached: 2' "$TMPD/gw.err" && [ "$rc" = 0 ] &&
	ok "-G 1 -W 2: exit 0 after 2 files with tcpdump's message" || no "-G 1 -W 2: exit $rc"
wait

# -z: the command runs once on each file a rotation closed (not on the last
# one, as tcpdump), with the file complete by then; a command that cannot
# start is reported and the capture goes on
mkdir "$TMPD/z"
cat >"$TMPD/z/post.sh" <<EOS
#!/bin/sh
echo "\$1 \$("$BPFCAP" -r "\$1" --count 2>/dev/null | awk '{print \$1}')" >>"$TMPD/z/log"
EOS
chmod +x "$TMPD/z/post.sh"
capture z "-n 2500 -s 1400 -p 20000" -- -w "$TMPD/z/r" -C 1 -z "$TMPD/z/post.sh" udp
files=$(cd "$TMPD/z" && ls r r[0-9]* | sort -k1.2n) # r r1 r2 ...: all but the last closed
closed=$(echo "$files" | sed '$d')
for _ in $(seq 50); do
	[ "$(wc -l <"$TMPD/z/log" 2>/dev/null)" -ge "$(echo "$closed" | wc -l)" ] && break
	sleep 0.1
done
want=""
for f in $closed; do want="$want$TMPD/z/$f $(records "$TMPD/z/$f")"$'\n'; done
got=$(sort "$TMPD/z/log" 2>/dev/null)
[ "$(echo "$closed" | wc -l)" -ge 2 ] && [ "$got"$'\n' = "$want" ] && [ "$(cat "$TMPD/z.rc")" = 0 ] &&
	ok "-z: run once on each of" $closed "as it closed, complete; not on $(echo "$files" | tail -1)" ||
	{ no "-z: exit $(cat "$TMPD/z.rc"), files" $files", log:"; cat "$TMPD/z/log"; }
mkdir "$TMPD/z2"
capture z2 "-n 1500 -s 1400 -p 20000" -- -w "$TMPD/z2/r" -C 1 -z "$TMPD/z2/no-such-command" udp
total=0
for f in "$TMPD"/z2/r*; do total=$((total + $(records "$f"))); done
[ "$(cat "$TMPD/z2.rc")" = 0 ] && [ "$total" = 1500 ] && grep -q "bpfcap: -z .*no-such-command" "$TMPD/z2.err" &&
	ok "-z with a missing command: reported, capture complete (1500 packets)" ||
	{ no "-z missing command: exit $(cat "$TMPD/z2.rc"), $total packets"; cat "$TMPD/z2.err"; }

# a full filesystem: exit 2, the count, a valid file with exactly that count
mkdir "$TMPD/full"
if mount -t tmpfs -o size=1m none "$TMPD/full" 2>/dev/null; then
	CLEANUP_EXTRA="umount '$TMPD/full' 2>/dev/null"
	capture full "-n 3000 -s 1000 -p 20000" -- -w "$TMPD/full/out.pcap" udp
	rc=$(cat "$TMPD/full.rc")
	w=$(sed -n 's/.*No space left on device (\([0-9]*\) packets\{0,1\} written.*/\1/p' "$TMPD/full.err")
	n=$(records "$TMPD/full/out.pcap")
	if [ "$rc" = 2 ] && [ -n "$w" ] && [ "$w" = "$n" ] && valid "$TMPD/full/out.pcap"; then
		ok "full disk: exit 2, '$w packets written', the file holds exactly $n"
	else
		no "full disk: exit $rc, reported '$w', file $n"
		cat "$TMPD/full.err"
	fi
	umount "$TMPD/full"
	CLEANUP_EXTRA=:
else
	echo "SKIP: cannot mount a tmpfs for the full-disk case"
fi

# errors before capture: the message, the status, nothing captured
expect() { # STATUS PATTERN ARGS...
	local st=$1 pat=$2
	shift 2
	in_b "$BPFCAP" "$@" >"$TMPD/e.out" 2>"$TMPD/e.err"
	local rc=$?
	[ "$rc" = "$st" ] && grep -q -- "$pat" "$TMPD/e.err" && ok "bpfcap $*: exit $rc, '$pat'" ||
		{ no "bpfcap $*: exit $rc (want $st)"; cat "$TMPD/e.err"; }
}
expect 1 'nosuch0: no such interface (bpfcap -D lists them)' -i nosuch0
expect 2 "$TMPD/nodir/x.pcap: cannot create: No such file or directory" -i "$VB" -w "$TMPD/nodir/x.pcap"
expect 1 'unknown user' -i "$VB" -Z no-such-user-bpfcap
expect 1 "filter: 1:6:" -i "$VB" 'port 99999'
expect 1 "-z needs -C or -G" -i "$VB" -w "$TMPD/zz.pcap" -z gzip
if command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
	in_b setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all \
		"$BPFCAP" -i "$VB" -c 1 2>"$TMPD/perm.err"
	rc=$?
	[ "$rc" = 1 ] && grep -q 'needs CAP_NET_RAW' "$TMPD/perm.err" &&
		ok "no permission: exit 1, 'needs CAP_NET_RAW'" || { no "no permission: exit $rc"; cat "$TMPD/perm.err"; }
fi
# -D in tcpdump's format and order (tcpdump also lists its other capture
# modules: bluetooth, nflog, dbus; those are left out of the comparison)
# one that is down: the far end of a second veth pair
ip -n "$NS_B" link add "bcx$$" type veth peer name "bcy$$" && ip -n "$NS_B" link set "bcx$$" up
ours=$(in_b "$BPFCAP" -D | sed 's/^[0-9]*\.//')
theirs=$(in_b tcpdump -D 2>/dev/null | sed 's/^[0-9]*\.//' | grep -Fx -f <(echo "$ours"))
[ -n "$ours" ] && [ "$ours" = "$theirs" ] && ok "-D: $(echo "$ours" | wc -l) interfaces, as tcpdump -D" ||
	{ no "-D differs from tcpdump -D"; diff <(echo "$ours") <(echo "$theirs"); }
exit $bad
