#!/bin/bash
# elf_load.sh - eBPF objects written by filter_ebpf_write_object() load
# unchanged in the loaders people use, and filter for real: at XDP with
# 'ip link set dev DEV xdp obj F.o sec xdp' and at tc with 'tc filter add
# dev DEV ingress bpf da obj F.o sec tc' on one end of a veth pair, ping
# between the namespaces passes or not as the object says (IPv4 and ARP
# pass / everything drops / IPv4 passes and ARP drops, shown with and
# without static neighbours), then the program is detached; 'bpftool prog
# load' pins them with their name and BTF; 'llvm-objdump -d' shows the
# instructions that were written; a full filesystem or a missing directory
# gives exit 2, a message naming the file and no partial file.
# The objects come from tests/kern/elfwrite (hand-assembled programs of
# tests/unit/ebpf_progs.h) until the code generator exists.
. "$(dirname "$0")/lib.sh"
W=$(cd "$bld" && pwd)/tests/kern/elfwrite
[ -x "$W" ] || skip "$W is not built (make check builds it)"
command -v ping >/dev/null || skip "ping not installed (Debian: iputils-ping)"
command -v tc >/dev/null || skip "tc not installed (Debian: iproute2)"
BPFTOOL=$(command -v bpftool || echo /usr/sbin/bpftool)
OBJDUMP=$(command -v llvm-objdump || command -v llvm-objdump-14) ||
	skip "llvm-objdump not installed (Debian: llvm)"
setup_pair
# XDP on a veth needs an MTU without multi-buffer frames at the peer
in_a ip link set dev "$VA" mtu 1500
in_b ip link set dev "$VB" mtu 1500
bad=0
ok() { echo "ok: $*"; }
no() { echo "FAIL: $*"; bad=1; }
A=10.77.$(($$ % 250)).1 B=10.77.$(($$ % 250)).2
in_a ip addr add "$A/24" dev "$VA"
in_b ip addr add "$B/24" dev "$VB"

for h in xdp tc; do
	for k in ipv4 ipv4arp drop; do
		"$W" "$h" "$k" "$TMPD/$h-$k.o" || fail "elfwrite $h $k"
	done
done

pings() { # pings from A to B get answers
	in_a ip neigh flush dev "$VA" 2>/dev/null
	in_b ip neigh flush dev "$VB" 2>/dev/null
	in_a ping -n -q -c 2 -i 0.2 -W 1 "$B" >/dev/null 2>&1
}
static_neigh() { # replace|del: neighbours that need no ARP
	local ma mb
	ma=$(in_a cat "/sys/class/net/$VA/address") mb=$(in_b cat "/sys/class/net/$VB/address")
	in_a ip neigh "$1" "$B" lladdr "$mb" dev "$VA" nud permanent || fail "ip neigh $1 in $NS_A"
	in_b ip neigh "$1" "$A" lladdr "$ma" dev "$VB" nud permanent || fail "ip neigh $1 in $NS_B"
}
# expect WHAT yes|no: whether ping gets through with what is attached now
expect() {
	if pings; then got=yes; else got=no; fi
	[ "$got" = "$2" ] && ok "$1: ping gets through: $got" || no "$1: ping gets through: $got, want $2"
}
pings || fail "ping $A -> $B does not work without a filter"

# ---- XDP on B's end, loaded by ip -------------------------------------
attach_xdp() { # ip link refuses to replace a program: detach first
	in_b ip link set dev "$VB" xdp off
	in_b ip link set dev "$VB" xdp obj "$1" sec xdp 2>"$TMPD/ip.err" || {
		no "ip link set dev $VB xdp obj $1 sec xdp"
		cat "$TMPD/ip.err"
		return 1
	}
	in_b ip link show dev "$VB" | grep -q "prog/xdp id [0-9]* name bpfcap_filter" ||
		no "ip link show: no prog/xdp named bpfcap_filter on $VB"
}
attach_xdp "$TMPD/xdp-ipv4arp.o" && expect "xdp ipv4arp.o (IPv4, ARP pass)" yes
attach_xdp "$TMPD/xdp-drop.o" && expect "xdp drop.o (all drop)" no
attach_xdp "$TMPD/xdp-ipv4.o" && expect "xdp ipv4.o (ARP drops)" no
static_neigh replace
in_b ip link show dev "$VB" | grep -q "prog/xdp" &&
	expect "xdp ipv4.o with static neighbours (IPv4 passes)" yes
attach_xdp "$TMPD/xdp-drop.o" && expect "xdp drop.o with static neighbours" no
static_neigh del
in_b ip link set dev "$VB" xdp off
in_b ip link show dev "$VB" | grep -q "prog/xdp" && no "xdp off: still attached"
expect "xdp detached" yes

# ---- tc ingress on B's end, loaded by tc --------------------------------
in_b tc qdisc add dev "$VB" clsact || fail "tc qdisc add dev $VB clsact"
attach_tc() {
	in_b tc filter del dev "$VB" ingress 2>/dev/null
	in_b tc filter add dev "$VB" ingress bpf da obj "$1" sec tc 2>"$TMPD/tc.err" || {
		no "tc filter add dev $VB ingress bpf da obj $1 sec tc"
		cat "$TMPD/tc.err"
		return 1
	}
	in_b tc filter show dev "$VB" ingress | grep -q "direct-action.* name bpfcap_filter" ||
		no "tc filter show: no direct-action bpf filter named bpfcap_filter"
}
attach_tc "$TMPD/tc-ipv4arp.o" && expect "tc ipv4arp.o (IPv4, ARP pass)" yes
attach_tc "$TMPD/tc-drop.o" && expect "tc drop.o (all drop)" no
attach_tc "$TMPD/tc-ipv4.o" && expect "tc ipv4.o (ARP drops)" no
static_neigh replace
in_b tc filter show dev "$VB" ingress | grep -q "tc-ipv4.o" &&
	expect "tc ipv4.o with static neighbours (IPv4 passes)" yes
attach_tc "$TMPD/tc-drop.o" && expect "tc drop.o with static neighbours" no
static_neigh del
# tc's default section is "classifier": an object written with that name
# loads without 'sec'
"$W" tc ipv4arp "$TMPD/tc-classifier.o" classifier || fail "elfwrite tc ipv4arp classifier"
in_b tc filter del dev "$VB" ingress
in_b tc filter add dev "$VB" ingress bpf da obj "$TMPD/tc-classifier.o" 2>"$TMPD/tc.err" &&
	in_b tc filter show dev "$VB" ingress | grep -q "tc-classifier.o:\[classifier\] direct-action" &&
	expect "tc, no 'sec', section classifier (IPv4, ARP pass)" yes ||
	{ no "tc filter add ... bpf da obj tc-classifier.o (no sec)"; cat "$TMPD/tc.err"; }
in_b tc qdisc del dev "$VB" clsact
expect "tc detached" yes

# ---- bpftool prog load, pinned in bpffs ---------------------------------
if [ -x "$BPFTOOL" ]; then
	fs=/sys/fs/bpf
	if ! mount | grep -q " $fs type bpf "; then
		fs=$TMPD/bpffs
		mkdir "$fs"
		mount -t bpf bpf "$fs" || fs=
		[ -n "$fs" ] && CLEANUP_EXTRA="rm -f '$fs'/bpfcap_$$; umount '$fs' 2>/dev/null"
	else
		CLEANUP_EXTRA="rm -f '$fs'/bpfcap_$$"
	fi
	if [ -n "$fs" ]; then
		for h in xdp tc; do
			pin=$fs/bpfcap_$$
			ctx=xdp_md type=xdp
			[ "$h" = tc ] && ctx=__sk_buff type=sched_cls
			if "$BPFTOOL" prog load "$TMPD/$h-ipv4.o" "$pin" 2>"$TMPD/bt.err"; then
				show=$("$BPFTOOL" prog show pinned "$pin")
				dump=$("$BPFTOOL" prog dump xlated pinned "$pin")
				echo "$show" | grep -q "^[0-9]*: $type  name bpfcap_filter .* gpl" &&
					echo "$show" | grep -q "btf_id [1-9]" &&
					echo "$dump" | grep -qF "int bpfcap_filter(struct $ctx * ctx):" &&
					ok "bpftool prog load $h-ipv4.o: $type, name, BTF" ||
					{ no "bpftool prog show/dump of $h-ipv4.o"; echo "$show"; echo "$dump"; }
				rm -f "$pin"
			else
				no "bpftool prog load $h-ipv4.o"
				cat "$TMPD/bt.err"
			fi
		done
		[ "$fs" = "$TMPD/bpffs" ] && umount "$fs"
		CLEANUP_EXTRA=:
	else
		echo "SKIP: no bpffs to pin in (bpftool part)"
	fi
else
	echo "SKIP: bpftool not installed (Debian: bpftool)"
fi

# ---- llvm-objdump -d: the same instructions ------------------------------
for h in xdp tc; do
	for k in ipv4 ipv4arp drop; do
		"$OBJDUMP" -d "$TMPD/$h-$k.o" >"$TMPD/od" 2>&1
		sed -n 's/^ *[0-9][0-9]*:\t\(\([0-9a-f][0-9a-f] \)\{7\}[0-9a-f][0-9a-f]\)\t.*/\1/p' \
			"$TMPD/od" >"$TMPD/od.hex"
		"$W" --hex "$h" "$k" >"$TMPD/want.hex"
		if grep -q "^Disassembly of section $h:" "$TMPD/od" &&
			grep -q "^0000000000000000 <bpfcap_filter>:" "$TMPD/od" &&
			[ -s "$TMPD/want.hex" ] && cmp -s "$TMPD/od.hex" "$TMPD/want.hex"; then
			ok "llvm-objdump -d $h-$k.o: section $h, <bpfcap_filter>, $(wc -l <"$TMPD/want.hex") instructions as written"
		else
			no "llvm-objdump -d $h-$k.o differs from what was written"
			cat "$TMPD/od"
			diff "$TMPD/want.hex" "$TMPD/od.hex"
		fi
	done
done

# ---- failures: exit 2, the file named, nothing partial ------------------
fails() { # WHAT FILE PATTERN: elfwrite FILE fails so
	"$W" xdp ipv4arp "$2" 2>"$TMPD/w.err"
	local rc=$?
	[ "$rc" = 2 ] && grep -qF "$2: $3" "$TMPD/w.err" && ok "$1: exit 2, '$2: $3'" ||
		{ no "$1: exit $rc"; cat "$TMPD/w.err"; }
}
fails "missing directory" "$TMPD/nodir/x.o" "cannot create: No such file or directory"
mkdir "$TMPD/full"
if mount -t tmpfs -o size=1m none "$TMPD/full" 2>/dev/null; then
	CLEANUP_EXTRA="umount '$TMPD/full' 2>/dev/null"
	printf old >"$TMPD/full/keep.o"
	dd if=/dev/zero of="$TMPD/full/fill" bs=4k 2>/dev/null
	fails "full filesystem, new file" "$TMPD/full/new.o" \
		"cannot write the eBPF object: No space left on device"
	fails "full filesystem, existing file" "$TMPD/full/keep.o" \
		"cannot write the eBPF object: No space left on device"
	left=$(cd "$TMPD/full" && ls -A | tr '\n' ' ')
	[ "$left" = "fill keep.o " ] && [ "$(cat "$TMPD/full/keep.o")" = old ] &&
		ok "full filesystem: no partial file, no temporary, keep.o unchanged" ||
		no "full filesystem left: $left (keep.o: $(cat "$TMPD/full/keep.o"))"
	umount "$TMPD/full"
	CLEANUP_EXTRA=:
else
	echo "SKIP: cannot mount a tmpfs for the full-filesystem case"
fi
[ $bad = 0 ] && echo "elf_load: ok"
exit $bad
