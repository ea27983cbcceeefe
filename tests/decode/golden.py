#!/usr/bin/env python3
"""golden.py - compare bpfcap's printout with tcpdump's, packet by packet.

usage: golden.py BPFCAP CLAIMS KNOWN OUTDIR FILE...

For every FILE and every mode (the options in MODES), runs `tcpdump MODE -r
FILE` and `bpfcap MODE -r FILE` (TZ=UTC for both) and `bpfcap MODE --json -r
FILE`, whose "proto" field (the innermost protocol bpfcap printed) classes
each packet.  A packet's lines are compared position by position; a
protocol's share is its identical lines over all its lines.  Prints the
shares per mode and protocol; exits 1 when a protocol listed in CLAIMS
(lines "MODE PROTO", MODE with '_' for spaces) is below 98 %.  KNOWN lists the
known differences (FILE-PATTERN<TAB>PROTO<TAB>REASON); differing packets of a
claimed protocol not covered by KNOWN are listed.  Every differing packet is
written to OUTDIR/golden-diffs.txt.
"""
import fnmatch
import json
import os
import re
import subprocess
import sys
from collections import defaultdict

MODES = ["-n", "-n -v", "-n -e", "-n -x", "-n -tttt", "-n -q", "-n -q -e", "-n -A", "-n -vv"]
BAR = 98.0
START = re.compile(rb"^(\d\d:\d\d:\d\d\.\d+ |\d{4}-\d\d-\d\d \d\d:|\[Invalid header)")


def groups(data):
    out = []
    for line in data.split(b"\n"):
        if START.match(line) or not out:
            out.append([line])
        else:
            out[-1].append(line)
    while out and out[-1] == [b""]:
        out.pop()
    if out and out[-1] and out[-1][-1] == b"":
        out[-1].pop()
    return out


def run(argv):
    env = dict(os.environ, TZ="UTC", LC_ALL="C")
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
                       timeout=120)
    return p.stdout


def main():
    bpfcap, claims_file, known_file, outdir = sys.argv[1:5]
    files = sys.argv[5:]
    claims = set()
    for line in open(claims_file):
        line = line.split("#")[0].split()
        if len(line) == 2:
            claims.add((line[0].replace("_", " "), line[1]))
    known = []
    for line in open(known_file):
        if line.strip() and not line.startswith("#"):
            f = line.rstrip("\n").split("\t")
            if len(f) >= 3:
                known.append((f[0], f[1]))
    same = defaultdict(int)
    total = defaultdict(int)
    unlisted = []
    diffs = open(os.path.join(outdir, "golden-diffs.txt"), "w")
    for mode in MODES:
        for path in files:
            opts = mode.split()
            ref = groups(run(["tcpdump"] + opts + ["-r", path]))
            got = groups(run([bpfcap] + opts + ["-r", path]))
            protos = []
            for line in run([bpfcap] + opts + ["--json", "-r", path]).splitlines():
                try:
                    protos.append(json.loads(line).get("proto", "unknown"))
                except ValueError:
                    protos.append("json-error")
            name = os.path.relpath(path, os.path.dirname(os.path.dirname(path)))
            for i in range(max(len(ref), len(got))):
                a = ref[i] if i < len(ref) else []
                b = got[i] if i < len(got) else []
                proto = protos[i] if i < len(protos) else "missing"
                n = max(len(a), len(b))
                ok = sum(1 for j in range(min(len(a), len(b))) if a[j] == b[j])
                same[(mode, proto)] += ok
                total[(mode, proto)] += n
                if ok == n:
                    continue
                diffs.write("== %s [%s] #%d %s\n" % (name, mode, i + 1, proto))
                for j in range(n):
                    x = a[j] if j < len(a) else b"<none>"
                    y = b[j] if j < len(b) else b"<none>"
                    if x != y:
                        diffs.write("- %s\n+ %s\n" % (x.decode("latin-1"), y.decode("latin-1")))
                if (mode, proto) in claims and not any(
                        fnmatch.fnmatch(name, k) and (p == proto or p == "*") for k, p in known):
                    unlisted.append("%s [%s] packet %d (%s)" % (name, mode, i + 1, proto))
    diffs.close()
    status = 0
    print("%-10s %-16s %8s %8s %7s  %s" % ("mode", "protocol", "same", "lines", "share", ""))
    for key in sorted(total):
        mode, proto = key
        share = 100.0 * same[key] / total[key] if total[key] else 100.0
        claimed = key in claims
        verdict = ""
        if claimed:
            verdict = "claimed, ok" if share >= BAR else "CLAIMED, BELOW %.0f%%" % BAR
            if share < BAR:
                status = 1
        print("%-10s %-16s %8d %8d %6.2f%%  %s" % (mode, proto, same[key], total[key], share,
                                                  verdict))
    for key in sorted(claims):
        if key not in total:
            print("claimed %s %s: no packets in the corpus" % key)
    if unlisted:
        print("differences in claimed protocols not in %s (%d):" % (known_file, len(unlisted)))
        for u in unlisted[:40]:
            print("  " + u)
    print("every differing packet: %s" % os.path.join(outdir, "golden-diffs.txt"))
    if not claims:
        print("FAIL: %s claims no protocol: the comparison would hold bpfcap to nothing"
              % claims_file)
        status = 1
    else:
        print("%d mode/protocol pairs claimed" % len(claims))
    return status


if __name__ == "__main__":
    sys.exit(main())
