#!/usr/bin/env python3
"""xlated_cmp.py HOOK OURS KERNEL - compare bpfcap's '-d --target HOOK'
listing (OURS) with 'bpftool prog dump xlated' of the loaded object (KERNEL),
instruction for instruction.

Everything must be equal except the kernel's rewrites named in RULES
(context accesses become loads from the kernel's own structures, helper
calls carry the helper's address instead of its number) and the verifier's
rewrites of branches it has proved (named 'branch-always' and
'branch-never'; code it proved unreachable is 'dead-code').  Every jump must
land on the kernel's image of the instruction it targets in OURS.
Prints one line per rewrite kind seen with its count; exit 0 equal, 1 not.
"""
import re
import sys

INSN = re.compile(r"^\s*(\d+): \(([0-9a-f]{2})\) (.*)$")
JUMP = re.compile(r"^(.*goto pc)([+-]\d+)$")
CALL = re.compile(r"^call (\w+)#(\d+)$")

# The kernel's rewrites of single instructions of ours: (name, hook or
# None for both, our opcode, a regex for our text, the kernel's sequence as
# (opcode, regex) pairs), where {1}, {2} stand for our regex's groups and N
# for any offset into the kernel's own structures.  Loads from the context
# (r6 holds it from the first instruction on) at the uapi offset become
# loads from the kernel's structures; divisions by a register get the
# kernel's guard for a zero divisor.
N = r"\d+"
CTXLD = r"r(\d) = \*\(u32 \*\)\(r6 \+%d\)"
RULES = [
    ("xdp_md->data: xdp_buff->data (u64)", "xdp", "61", CTXLD % 0,
     [("79", r"r{1} = \*\(u64 \*\)\(r6 \+N\)")]),
    ("xdp_md->data_end: xdp_buff->data_end (u64)", "xdp", "61", CTXLD % 4,
     [("79", r"r{1} = \*\(u64 \*\)\(r6 \+N\)")]),
    ("xdp_md->ingress_ifindex: xdp_buff->rxq->dev->ifindex", "xdp", "61", CTXLD % 12,
     [("79", r"r{1} = \*\(u64 \*\)\(r6 \+N\)"), ("79", r"r{1} = \*\(u64 \*\)\(r{1} \+N\)"),
      ("61", r"r{1} = \*\(u32 \*\)\(r{1} \+N\)")]),
    ("__sk_buff->len: sk_buff->len", "tc", "61", CTXLD % 0,
     [("61", r"r{1} = \*\(u32 \*\)\(r6 \+N\)")]),
    ("__sk_buff->pkt_type: sk_buff's pkt_type bits", "tc", "61", CTXLD % 4,
     [("71", r"r{1} = \*\(u8 \*\)\(r6 \+N\)"), ("54", r"w{1} &= \d+")]),
    ("__sk_buff->vlan_present: sk_buff->vlan_all != 0", "tc", "61", CTXLD % 20,
     [("61", r"r{1} = \*\(u32 \*\)\(r6 \+N\)"), ("15", r"if r{1} == 0x0 goto pc\+1"),
      ("b4", r"w{1} = 1")]),
    ("__sk_buff->vlan_tci: sk_buff->vlan_tci (u16)", "tc", "61", CTXLD % 24,
     [("69", r"r{1} = \*\(u16 \*\)\(r6 \+N\)")]),
    ("__sk_buff->vlan_proto: sk_buff->vlan_proto (u16)", "tc", "61", CTXLD % 28,
     [("69", r"r{1} = \*\(u16 \*\)\(r6 \+N\)")]),
    ("__sk_buff->ifindex: sk_buff->dev->ifindex", "tc", "61", CTXLD % 40,
     [("79", r"r{1} = \*\(u64 \*\)\(r6 \+N\)"), ("61", r"r{1} = \*\(u32 \*\)\(r{1} \+N\)")]),
    ("__sk_buff->data: sk_buff->data (u64)", "tc", "61", CTXLD % 76,
     [("79", r"r{1} = \*\(u64 \*\)\(r6 \+N\)")]),
    ("__sk_buff->data_end: the control block's data_end (u64)", "tc", "61", CTXLD % 80,
     [("79", r"r{1} = \*\(u64 \*\)\(r6 \+N\)")]),
    ("w/w: a zero divisor gives 0", None, "3c", r"w(\d) /= w(\d)",
     [("56", r"if w{2} != 0x0 goto pc\+2"), ("ac", r"w{1} \^= w{1}"), ("05", r"goto pc\+1"),
      ("3c", r"w{1} /= w{2}")]),
    ("w%w: a zero divisor leaves the dividend", None, "9c", r"w(\d) %= w(\d)",
     [("16", r"if w{2} == 0x0 goto pc\+2"), ("9c", r"w{1} %= w{2}"), ("05", r"goto pc\+1"),
      ("bc", r"w{1} = w{1}")]),
]


def rewrite(hook, o, kern, j):
    """The rule for our instruction O and how many of the kernel's
    instructions from J it covers: (name, count), (name, 0) if the rule
    applies but the kernel does something else, or None."""
    for name, h, op, rx, seq in RULES:
        m = re.fullmatch(rx, o[2]) if op == o[1] and h in (None, hook) else None
        if not m:
            continue
        got = kern[j:j + len(seq)]
        for g, (kop, krx) in zip(got, seq):
            for i, grp in enumerate(m.groups(), 1):
                krx = krx.replace("{%d}" % i, grp)
            if g[1] != kop or not re.fullmatch(krx.replace("N", N), g[2]):
                return name, 0
        return (name, len(seq)) if len(got) == len(seq) else (name, 0)
    return None


def parse(path):
    out = []
    with open(path) as f:
        for line in f:
            m = INSN.match(line.rstrip("\n"))
            if m:
                out.append((int(m.group(1)), m.group(2), m.group(3)))
    return out


GOTOL = re.compile(r"^(?:gotol pc([+-]\d+)|if w0 jmp 0x([0-9a-f]+) goto pc\+0)$")


def target(insn):
    if insn[1] == "06":  # gotol: the offset is in imm
        m = GOTOL.match(insn[2])
        v = int(m.group(1)) if m.group(1) else int(m.group(2), 16)
        v = v - (1 << 32) if v >= 1 << 31 else v
        return insn[0] + 1 + v
    m = JUMP.match(insn[2])
    return insn[0] + 1 + int(m.group(2)) if m and insn[1] != "85" else None


def strip(text):
    if GOTOL.match(text):
        return "gotol"
    m = JUMP.match(text)
    return m.group(1) if m else text


def same(hook, o, kern, j):
    """Whether the kernel's instruction J is the image of ours O."""
    k = kern[j]
    r = rewrite(hook, o, kern, j)
    if r:
        return r[1] > 0
    mc, kc = CALL.match(o[2]), CALL.match(k[2])
    if mc and kc:
        return mc.group(1) == kc.group(1)
    return o[1] == k[1] and strip(o[2]) == strip(k[2])


LOOK = 8


def agree(hook, ours, at, kern, j):
    """How many of OURS from AT on (up to LOOK) have images from J on."""
    n = 0
    while n < LOOK and at < len(ours) and j < len(kern) and same(hook, ours[at], kern, j):
        r = rewrite(hook, ours[at], kern, j)
        j += r[1] if r else 1
        at += 1
        n += 1
    return n


def main():
    hook, ours, kern = sys.argv[1], parse(sys.argv[2]), parse(sys.argv[3])
    if not ours or not kern:
        print("FAIL: an empty listing")
        return 1
    seen = {}
    where = {}  # our index -> the kernel's index of its image
    jumps = []  # (our insn, kernel insn)
    dropped_idx = set()  # ours without an image
    fall = True  # the next instruction of ours can be reached by falling through
    index = {o[0]: at for at, o in enumerate(ours)}
    j = 0
    skip_to = -1  # ours below this index were jumped over and removed
    for at, o in enumerate(ours):
        if j >= len(kern):
            print("FAIL: the kernel's program ends before ours' %d: %s" % (o[0], o[2]))
            return 1
        k = kern[j]
        where[o[0]] = k[0]
        if o[0] < skip_to:
            what = "dead-code: an instruction the verifier proved unreachable is removed"
            seen[what] = seen.get(what, 0) + 1
            dropped_idx.add(o[0])
            continue
        r = rewrite(hook, o, kern, j)
        if r:
            if not r[1]:
                print("FAIL: %d: %s: the kernel has %s, not the rewrite '%s'" %
                      (o[0], o[2], "; ".join(g[2] for g in kern[j:j + 4]), r[0]))
                return 1
            seen[r[0]] = seen.get(r[0], 0) + 1
            j += r[1]
            fall = True
            continue
        mc, kc = CALL.match(o[2]), CALL.match(k[2])
        if o[1] == "85" and k[1] == "85" and mc and kc and mc.group(1) == kc.group(1):
            name = "call %s: helper number becomes its address" % mc.group(1)
            seen[name] = seen.get(name, 0) + 1
            j += 1
            fall = True
            continue
        if o[1] != k[1] or strip(o[2]) != strip(k[2]):
            cond = target(o) is not None and o[1] not in ("05", "06")
            if cond and k[1] == "05":
                # the verifier proved the condition always true: 'goto'
                seen["branch-always: a condition the verifier proved true becomes goto"] = \
                    seen.get("branch-always: a condition the verifier proved true becomes goto", 0) + 1
                jumps.append((o, k))
                j += 1
                fall = False
                continue
            # the verifier proved the condition never true (the jump is
            # gone, OURS' next instruction is the kernel's), or always true
            # and the code it jumped over unreachable (all of it removed, and
            # the jump with it); or this is such unreachable code.  Either
            # way it has no image: whatever jumped here lands on what follows.
            if cond and fall and agree(hook, ours, at + 1, kern, j) >= min(
                    LOOK, agree(hook, ours, index.get(target(o), len(ours)), kern, j)):
                what = "branch-never: a condition the verifier proved false is removed"
            elif cond:
                what = "branch-always+dead-code: a proved condition and the code it jumps over removed"
                skip_to = target(o)
            elif not fall:
                what = "dead-code: an instruction the verifier proved unreachable is removed"
            else:
                print("FAIL: ours %d: (%s) %s, the kernel's %d: (%s) %s" % (o + k))
                return 1
            seen[what] = seen.get(what, 0) + 1
            dropped_idx.add(o[0])
            continue
        if target(o) is not None:
            jumps.append((o, k))
        j += 1
        fall = o[1] not in ("05", "06", "95")
    if j != len(kern):
        print("FAIL: the kernel's program has %d more instructions: %s" %
              (len(kern) - j, kern[j][2]))
        return 1
    for o, k in jumps:
        if target(o) in dropped_idx:
            print("FAIL: ours %d: %s goes to %d, which the kernel removed" % (o[0], o[2], target(o)))
            return 1
        if where.get(target(o)) != target(k):
            print("FAIL: ours %d: %s goes to %d, whose image is %s; the kernel's %d goes to %d" %
                  (o[0], o[2], target(o), where.get(target(o)), k[0], target(k)))
            return 1
    for name in sorted(seen):
        print("rewrite: %s x%d" % (name, seen[name]))
    print("equal: %d instructions, %d in the kernel, %d jumps checked" %
          (len(ours), len(kern), len(jumps)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
