#!/usr/bin/env python3
"""xlated_cmp.py HOOK OURS KERNEL - compare bpfcap's '-d --target HOOK'
listing (OURS) with 'bpftool prog dump xlated' of the loaded object (KERNEL),
instruction for instruction; every jump must land on the kernel's image of
the instruction it targets in OURS.

Everything must be equal except the kernel's rewrites, each named:
  - RULES: one instruction of ours becomes a fixed sequence: loads from the
    context (xdp_md, __sk_buff) become loads from the kernel's own
    structures, a division or modulo by a register gets the kernel's guard
    for a zero divisor;
  - a helper call carries the helper's address instead of its number;
  - what the verifier proved: a condition always true becomes 'goto'
    (ALWAYS) or, when the code it jumps over is unreachable, disappears with
    that code (JUMPED); a condition never true disappears (NEVER); a goto
    over removed code disappears (GOTO); unreachable code is removed (DEAD).
    Where a removed condition could be NEVER or JUMPED both readings are
    tried.
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
# (r6, or r1 in an XDP prologue: ctx_base) at the uapi offset become
# loads from the kernel's structures; divisions by a register get the
# kernel's guard for a zero divisor.  At XDP without a context register the
# prologue reads data and data_end from r1 (ctx_base below).
N = r"\d+"
CTXLD = r"r(\d) = \*\(u32 \*\)\(r([16]) \+%d\)"
RULES = [
    ("xdp_md->data: xdp_buff->data (u64)", "xdp", "61", CTXLD % 0,
     [("79", r"r{1} = \*\(u64 \*\)\(r{2} \+N\)")]),
    ("xdp_md->data_end: xdp_buff->data_end (u64)", "xdp", "61", CTXLD % 4,
     [("79", r"r{1} = \*\(u64 \*\)\(r{2} \+N\)")]),
    ("xdp_md->ingress_ifindex: xdp_buff->rxq->dev->ifindex", "xdp", "61", CTXLD % 12,
     [("79", r"r{1} = \*\(u64 \*\)\(r{2} \+N\)"), ("79", r"r{1} = \*\(u64 \*\)\(r{1} \+N\)"),
      ("61", r"r{1} = \*\(u32 \*\)\(r{1} \+N\)")]),
    ("__sk_buff->len: sk_buff->len", "tc", "61", CTXLD % 0,
     [("61", r"r{1} = \*\(u32 \*\)\(r{2} \+N\)")]),
    ("__sk_buff->pkt_type: sk_buff's pkt_type bits", "tc", "61", CTXLD % 4,
     [("71", r"r{1} = \*\(u8 \*\)\(r{2} \+N\)"), ("54", r"w{1} &= \d+")]),
    ("__sk_buff->vlan_present: sk_buff->vlan_all != 0", "tc", "61", CTXLD % 20,
     [("61", r"r{1} = \*\(u32 \*\)\(r{2} \+N\)"), ("15", r"if r{1} == 0x0 goto pc\+1"),
      ("b4", r"w{1} = 1")]),
    ("__sk_buff->vlan_tci: sk_buff->vlan_tci (u16)", "tc", "61", CTXLD % 24,
     [("69", r"r{1} = \*\(u16 \*\)\(r{2} \+N\)")]),
    ("__sk_buff->vlan_proto: sk_buff->vlan_proto (u16)", "tc", "61", CTXLD % 28,
     [("69", r"r{1} = \*\(u16 \*\)\(r{2} \+N\)")]),
    ("__sk_buff->ifindex: sk_buff->dev->ifindex", "tc", "61", CTXLD % 40,
     [("79", r"r{1} = \*\(u64 \*\)\(r{2} \+N\)"), ("61", r"r{1} = \*\(u32 \*\)\(r{1} \+N\)")]),
    ("__sk_buff->data: sk_buff->data (u64)", "tc", "61", CTXLD % 76,
     [("79", r"r{1} = \*\(u64 \*\)\(r{2} \+N\)")]),
    ("__sk_buff->data_end: the control block's data_end (u64)", "tc", "61", CTXLD % 80,
     [("79", r"r{1} = \*\(u64 \*\)\(r{2} \+N\)")]),
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
        if not m or not ctx_base(rx, m, o):
            continue
        got = kern[j:j + len(seq)]
        for g, (kop, krx) in zip(got, seq):
            for i, grp in enumerate(m.groups(), 1):
                krx = krx.replace("{%d}" % i, grp)
            if g[1] != kop or not re.fullmatch(krx.replace("N", N), g[2]):
                return name, 0
        return (name, len(seq)) if len(got) == len(seq) else (name, 0)
    return None


def ctx_base(rx, m, o):
    """Whether a context load's base register holds the context: r6 from
    the first instruction on, or r1 in the prologue (instructions 0 and 1,
    before data overwrites it)."""
    return not rx.startswith(CTXLD[:8]) or m.group(2) == "6" or o[0] <= 1


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


ALWAYS = "branch-always: a condition the verifier proved true becomes goto"
NEVER = "branch-never: a condition the verifier proved false is removed"
JUMPED = "branch-always+dead-code: a proved condition and the code it jumps over removed"
GOTO = "goto-next: a goto over removed code is removed"
DEAD = "dead-code: an instruction the verifier proved unreachable is removed"


class State:
    """Where a walk of both programs is: OURS[at] against KERN[j]."""

    def __init__(self):
        self.at, self.j = 0, 0
        self.fall = True  # OURS[at] can be reached by falling through
        self.skip_to = -1  # ours below this index were jumped over and removed
        self.seen = {}  # rewrite -> count
        self.pend = {}  # our jump target -> the kernel's targets of those jumps
        self.jumps = 0
        self.where = {}  # our index -> the kernel's index of its image

    def copy(self):
        c = State()
        c.__dict__.update(self.__dict__)
        c.seen = dict(self.seen)
        c.pend = {t: list(v) for t, v in self.pend.items()}
        c.where = dict(self.where)
        return c

    def count(self, what):
        self.seen[what] = self.seen.get(what, 0) + 1


def walk(hook, ours, kern, st, alts):
    """Walk from ST to the end: None, or why not.  A removed conditional
    jump is either a branch the verifier proved false or one it proved true
    with everything it jumps over removed; the second reading is pushed on
    ALTS to be tried if the first fails."""
    back = {target(x) for x in ours if target(x) is not None and target(x) <= x[0]}
    while st.at < len(ours):
        o = ours[st.at]
        if st.j >= len(kern):
            return "the kernel's program ends before ours' %d: %s" % (o[0], o[2])
        k = kern[st.j]
        if o[0] < st.skip_to or (not st.fall and o[0] not in st.pend and o[0] not in back):
            # jumped over, or nothing that is left falls or jumps here
            st.count(DEAD)
            if o[0] in st.pend:
                return "ours %d is a jump target, but the kernel removed it" % o[0]
            st.at += 1
            continue
        jumped_to = st.pend.pop(o[0], [])
        for kt in jumped_to:
            if kt != k[0]:
                return ("a jump to ours %d lands on the kernel's %d, not on its image %d" %
                        (o[0], kt, k[0]))
        st.at += 1
        st.where[o[0]] = k[0]
        r = rewrite(hook, o, kern, st.j)
        if r:
            if not r[1]:
                return ("%d: %s: the kernel has %s, not the rewrite '%s'" %
                        (o[0], o[2], "; ".join(g[2] for g in kern[st.j:st.j + 4]), r[0]))
            st.count(r[0])
            st.j += r[1]
            st.fall = True
            continue
        mc, kc = CALL.match(o[2]), CALL.match(k[2])
        if o[1] == "85" and k[1] == "85" and mc and kc and mc.group(1) == kc.group(1):
            st.count("call %s: helper number becomes its address" % mc.group(1))
            st.j += 1
            st.fall = True
            continue
        cond = target(o) is not None and o[1] not in ("05", "06")
        if o[1] == k[1] and strip(o[2]) == strip(k[2]):
            if target(o) is not None:
                if target(o) <= o[0]:  # a loop: back to an image already placed
                    if st.where.get(target(o)) != target(k):
                        return ("ours %d: %s goes back to %d, whose image is %s, not %d" %
                                (o[0], o[2], target(o), st.where.get(target(o)), target(k)))
                else:
                    st.pend.setdefault(target(o), []).append(target(k))
                st.jumps += 1
            st.j += 1
            st.fall = o[1] not in ("05", "06", "95")
            continue
        if cond and k[1] == "05":
            st.count(ALWAYS)
            st.pend.setdefault(target(o), []).append(target(k))
            st.jumps += 1
            st.j += 1
            st.fall = False
            continue
        # no image: whatever jumped here must land on what follows
        if not st.fall and o[0] not in jumped_to:
            st.count(DEAD)
            continue
        if o[0] in jumped_to:
            nxt = ours[st.at][0] if st.at < len(ours) else -1
            st.pend.setdefault(nxt, []).extend(jumped_to)
        if o[1] in ("05", "06"):
            # a goto over code the verifier removed is a goto to the next
            # instruction, removed as well
            st.count(GOTO)
            st.skip_to = target(o)
            st.pend.setdefault(target(o), []).append(k[0])
            st.fall = False
        elif cond:
            alt = st.copy()
            alt.count(JUMPED)
            alt.skip_to = target(o)
            alt.pend.setdefault(target(o), []).append(k[0])
            alt.fall = False
            alts.append(alt)
            st.count(NEVER)
        else:
            return "ours %d: (%s) %s, the kernel's %d: (%s) %s" % (o + k)
    if st.j != len(kern):
        return "the kernel's program has %d more instructions: %s" % (len(kern) - st.j,
                                                                       kern[st.j][2])
    if st.pend:
        return "jumps to %s, past the end" % sorted(st.pend)
    return None


def main():
    hook, ours, kern = sys.argv[1], parse(sys.argv[2]), parse(sys.argv[3])
    if not ours or not kern:
        print("FAIL: an empty listing")
        return 1
    alts = [State()]
    first = None
    tries = 0
    while alts and tries < 1000:
        st = alts.pop()
        tries += 1
        why = walk(hook, ours, kern, st, alts)
        if why is None:
            for name in sorted(st.seen):
                print("rewrite: %s x%d" % (name, st.seen[name]))
            print("equal: %d instructions, %d in the kernel, %d jumps checked" %
                  (len(ours), len(kern), st.jumps))
            return 0
        first = first or why
    print("FAIL: %s" % first)
    return 1


if __name__ == "__main__":
    sys.exit(main())
