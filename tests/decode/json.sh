#!/bin/sh
# tests/decode/json.sh - --json: every line of every capture of pcaps/ (and the
# shared corpus) is one JSON object; its "text" is the line bpfcap prints
# without --json, and its addresses, ports and lengths are those of that line.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=$(cd "${top_srcdir:-$here/../..}" && pwd)
top_builddir=$(cd "${top_builddir:-.}" && pwd)
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 not installed (Debian: python3)"; exit 77; }
set -- "$top_srcdir"/pcaps/*.pcap
shared=${BPFCAP_SHARED:-$top_srcdir/../shared}/corpus/pcaps
[ -d "$shared" ] && set -- "$@" "$shared"/ether/* "$shared"/sll/* "$shared"/rawip/*
exec python3 - "$top_builddir/bpfcap" "$@" <<'PY'
import json, re, subprocess, sys
bpfcap, files = sys.argv[1], sys.argv[2:]
START = re.compile(r"^(\d\d:\d\d:\d\d\.\d+ |\[Invalid header)")
def packets(out):
    g = []
    for line in out.rstrip("\n").split("\n"):
        if START.match(line) or not g:
            g.append([line])
        else:
            g[-1].append(line)
    return ["\n".join(x) for x in g]
bad = objs = 0
def run(args):
    return subprocess.run([bpfcap] + args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          env={"TZ": "UTC", "PATH": "/usr/bin:/bin"}).stdout.decode("latin-1")
for f in files:
    text = packets(run(["-n", "-r", f]))
    lines = run(["-n", "--json", "-r", f]).split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for i, l in enumerate(lines):
        objs += 1
        try:
            o = json.loads(l)
        except ValueError as e:
            print("FAIL: %s line %d does not parse: %s: %r" % (f, i + 1, e, l[:200]))
            bad += 1
            continue
        t = o.get("text", "")
        if i >= len(text) or t != text[i]:
            print("FAIL: %s #%d: text %r is not the line %r" % (f, i + 1, t, text[i] if i < len(text) else None))
            bad += 1
        want = []
        if "sport" in o and "src" in o:
            want.append(["%s.%d > %s.%d:" % (o["src"], o["sport"], o["dst"], o["dport"]),
                         "%d > %d:" % (o["sport"], o["dport"])])
        elif "src" in o:
            want.append(["%s > %s" % (o["src"], o["dst"])])
        if "length" in o and "[|" not in t and "(invalid)" not in t:
            want.append(["length %d" % o["length"], "(%d)" % o["length"],
                         "length: %d" % o["length"]])
        if o.get("len") is None or o.get("caplen") is None:
            want.append(["<no len>"])
        for alts in want:
            if not any(a in t for a in alts):
                print("FAIL: %s #%d: %s not in %r" % (f, i + 1, " or ".join(alts), t))
                bad += 1
print("json: %d objects from %d captures, %d failures" % (objs, len(files), bad))
sys.exit(1 if bad else 0)
PY
