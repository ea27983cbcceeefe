#!/bin/bash
# capture_priv.sh - what a running capture may still do: with -Z, every
# uid and gid is the user's; with or without it, no capability is left
# (effective, permitted, inheritable, ambient, bounding), no_new_privs is
# set, and the packet socket's filter cannot be replaced or removed.
. "$(dirname "$0")/lib.sh"
id nobody >/dev/null 2>&1 || skip "no user 'nobody' on this machine"
setup_pair
bad=0
LOCKCHECK=$(cd "$bld" && pwd)/tests/kern/lockcheck
field() { sed -n "s/^$2:[[:space:]]*//p" "/proc/$1/status" | tr -s '\t ' ' '; }
for mode in root nobody; do
	args=()
	[ $mode = nobody ] && args=(-Z nobody)
	bg_b "$TMPD/$mode.err" "$BPFCAP" -i "$VB" "${args[@]}" -w "$TMPD/$mode.pcap" udp
	pid=$!
	wait_listening "$TMPD/$mode.err"
	want_uid=$(id -u $mode) want_gid=$(id -g $mode)
	u=$(field "$pid" Uid) g=$(field "$pid" Gid)
	caps="$(field "$pid" CapInh)/$(field "$pid" CapPrm)/$(field "$pid" CapEff)/$(field "$pid" CapBnd)/$(field "$pid" CapAmb)"
	nnp=$(field "$pid" NoNewPrivs)
	zero=0000000000000000
	if [ "$u" = "$want_uid $want_uid $want_uid $want_uid" ] &&
		[ "$g" = "$want_gid $want_gid $want_gid $want_gid" ] &&
		[ "$caps" = "$zero/$zero/$zero/$zero/$zero" ] && [ "$nnp" = 1 ]; then
		echo "ok: as $mode: uids $u, gids $g, no capabilities, no_new_privs"
	else
		echo "FAIL: as $mode: uids '$u', gids '$g', caps $caps, NoNewPrivs $nnp"
		bad=1
	fi
	if "$LOCKCHECK" "$pid"; then
		echo "ok: as $mode: the filter cannot be replaced or detached"
	else
		echo "FAIL: as $mode: the socket filter is not locked"
		bad=1
	fi
	in_a "$BLAST" "$VA" -n 50 >/dev/null
	sleep 0.3
	stop "$pid" || { echo "FAIL: as $mode: exit status $?"; bad=1; }
	[ "$(records "$TMPD/$mode.pcap")" = 50 ] || { echo "FAIL: as $mode: the capture lost packets"; bad=1; }
done
exit $bad
