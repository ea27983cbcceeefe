#!/usr/bin/python3
"""Captures for the flow tests, and the flows they hold.

  flowpcap.py gen OUT.pcap
      a fixed mix of frames: IPv4 and IPv6 TCP/UDP/ICMP, a later IPv4
      fragment, VLAN-tagged (one and two tags), ARP and LLDP, each flow a
      different number of frames of different sizes
  flowpcap.py check PCAP JSONLINES HOOK [FILTER]
      the flows of PCAP, computed here from the bytes (independently of
      xdp/flow.bpf.c), against the flows of the last object of bpfcap's
      --json output: flow for flow, packets and bytes, and HOOK; FILTER
      keeps the frames the hand-assembled join's "IPv4 only" accepts:
      "ipv4" EtherType 0x0800 at offset 12 (XDP sees every tag in the
      frame), "ipv4-tc" the same after the outer tag (tc holds it apart);
      "@FILE": the frames whose indexes FILE lists, one a line (the frame's
      index is the microseconds of its time stamp)
  flowpcap.py strip PCAP OUT
      PCAP without the outer VLAN tag of each frame (what tc sees)
  flowpcap.py check-nfdump PCAP LISTING
      the IP flows of PCAP against what nfdump read from the collector
      (LISTING: nfdump -o 'fmt:%pr %sa %da %sp %dp %pkt %byt %svln' -q)
  flowpcap.py collect-tcp PORT OUT
      a minimal IPFIX collector over TCP on 127.0.0.1:PORT (nfcapd takes
      UDP only): one connection, its data records written to OUT in the
      LISTING format above

Only the standard library.
"""

import ipaddress
import json
import random
import struct
import sys


def eth(ethertype, tags=()):
    h = bytes.fromhex("020000000002020000000001")
    for tpid, vid in tags:
        h += struct.pack("!HH", tpid, vid)
    return h + struct.pack("!H", ethertype)


def l4(proto, sp, dp, flags, payload):
    if proto in (1, 58):
        return struct.pack("!BBHHH", sp, dp, 0, 1, 1) + payload
    if proto == 6:
        return struct.pack("!HHIIBBHHH", sp, dp, 1, 0, 5 << 4, flags, 1024, 0, 0) + payload
    return struct.pack("!HHHH", sp, dp, 8 + len(payload), 0) + payload


def ip4(src, dst, proto, body, frag=0):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(body), 1, frag, 64, proto, 0,
                    ipaddress.IPv4Address(src).packed, ipaddress.IPv4Address(dst).packed)
    return h + body


def ip6(src, dst, proto, body):
    h = struct.pack("!IHBB16s16s", 6 << 28, len(body), proto, 64,
                    ipaddress.IPv6Address(src).packed, ipaddress.IPv6Address(dst).packed)
    return h + body


def frames():
    rnd = random.Random(17)
    out = []

    def add(n, make):
        for i in range(n):
            out.append(make(rnd.randrange(0, 400)))

    for i in range(5):  # IPv4 UDP
        add(1 + 4 * i, lambda p, i=i: eth(0x0800) + ip4("10.9.0.1", "10.9.0.%d" % (2 + i), 17,
                                                        l4(17, 4000 + i, 53, 0, bytes(p))))
    for i, fl in enumerate((0x02, 0x12, 0x18)):  # IPv4 TCP
        add(3 + i, lambda p, i=i, fl=fl: eth(0x0800) + ip4("10.9.1.1", "10.9.1.2", 6,
                                                           l4(6, 5000 + i, 80, fl, bytes(p))))
    add(4, lambda p: eth(0x0800) + ip4("10.9.2.1", "10.9.2.2", 1, l4(1, 8, 0, 0, bytes(p))))
    add(2, lambda p: eth(0x0800) + ip4("10.9.2.1", "10.9.2.2", 17, bytes(8 + p), frag=100))
    for i in range(2):  # IPv6 UDP
        add(2 + 5 * i, lambda p, i=i: eth(0x86DD) + ip6("fd00::1", "fd00::%x" % (0x10 + i), 17,
                                                        l4(17, 6000 + i, 443, 0, bytes(p))))
    add(3, lambda p: eth(0x86DD) + ip6("fd00::1", "fd00::2", 6, l4(6, 7000, 22, 0x11, bytes(p))))
    add(2, lambda p: eth(0x86DD) + ip6("fd00::1", "fd00::2", 58, l4(58, 128, 0, 0, bytes(p))))
    add(6, lambda p: eth(0x0800, [(0x8100, 100)]) +
        ip4("10.9.3.1", "10.9.3.2", 17, l4(17, 1000, 2000, 0, bytes(p))))
    add(3, lambda p: eth(0x86DD, [(0x8100, 200)]) +
        ip6("fd00::3", "fd00::4", 17, l4(17, 1000, 2000, 0, bytes(p))))
    add(2, lambda p: eth(0x0800, [(0x88A8, 300), (0x8100, 30)]) +
        ip4("10.9.4.1", "10.9.4.2", 17, l4(17, 1, 2, 0, bytes(p))))
    arp = eth(0x0806) + bytes.fromhex("0001080006040001") + bytes(20)
    add(2, lambda p: arp + bytes(60 - len(arp)))
    add(1, lambda p: eth(0x88CC) + bytes(46))
    rnd.shuffle(out)
    return out


def write_pcap(path, fs):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        for i, fr in enumerate(fs):
            # the microseconds are the frame's index, so that a line of
            # bpfcap -r names the frame it is about
            f.write(struct.pack("<IIII", 1700000000, i, len(fr), len(fr)) + fr)


def read_pcap(path):
    with open(path, "rb") as f:
        data = f.read()
    off, out = 24, []
    while off + 16 <= len(data):
        incl, orig = struct.unpack_from("<II", data, off + 8)
        out.append((data[off + 16:off + 16 + incl], orig))
        off += 16 + incl
    return out


PROTO = {6: "tcp", 17: "udp", 1: "icmp", 58: "icmp6", 132: "sctp"}


def key_of(fr):
    et, off, vlan = struct.unpack_from("!H", fr, 12)[0], 14, 0
    for _ in range(2):
        if et not in (0x8100, 0x88A8):
            break
        tci, et = struct.unpack_from("!HH", fr, off)
        vlan = vlan or tci & 0xFFF
        off += 4
    if et == 0x0800:
        ihl, proto, frag = (fr[off] & 15) * 4, fr[off + 9], struct.unpack_from("!H", fr, off + 6)[0]
        src, dst = str(ipaddress.IPv4Address(fr[off + 12:off + 16])), str(ipaddress.IPv4Address(fr[off + 16:off + 20]))
        l4o = off + ihl if not frag & 0x1FFF else None
    elif et == 0x86DD:
        proto = fr[off + 6]
        src, dst = str(ipaddress.IPv6Address(fr[off + 8:off + 24])), str(ipaddress.IPv6Address(fr[off + 24:off + 40]))
        l4o = off + 40
    else:
        return ("arp" if et == 0x0806 else "0x%04x" % et, "", "", 0, 0, vlan, et)
    sp = dp = 0
    if l4o is not None and proto in (1, 58):
        sp, dp = fr[l4o], fr[l4o + 1]
    elif l4o is not None and proto in (6, 17, 132):
        sp, dp = struct.unpack_from("!HH", fr, l4o)
    name = PROTO.get(proto, ("ip proto %d" if et == 0x0800 else "ip6 proto %d") % proto)
    return (name, src, dst, sp, dp, vlan, et)


def json_key(f):
    sp = f.get("sport", f.get("icmp_type", 0))
    dp = f.get("dport", f.get("icmp_code", 0))
    return (f["proto"], f.get("src", ""), f.get("dst", ""), sp, dp, f["vlan"], f["ethertype"])


def check(pcap, jsonl, hook, filt=None):
    want, keep = {}, None
    if filt and filt.startswith("@"):
        keep = {int(l) for l in open(filt[1:]) if l.strip()}
        filt = None
    for i, (fr, orig) in enumerate(read_pcap(pcap)):
        k = key_of(fr)
        if keep is not None and i not in keep:
            continue
        et = struct.unpack_from("!H", fr, 12)[0]
        if filt == "ipv4-tc" and et in (0x8100, 0x88A8):
            et = struct.unpack_from("!H", fr, 16)[0]
        if filt and et != 0x0800:
            continue
        p, b = want.get(k, (0, 0))
        want[k] = (p + 1, b + orig)
    lines = [l for l in open(jsonl) if l.strip()]
    if not lines:
        print("FAIL: no JSON record")
        return 1
    rec = json.loads(lines[-1])
    got, bad = {}, 0
    for f in rec["flows"]:
        if f["hook"] != hook:
            print("FAIL: flow at hook %s, expected %s: %s" % (f["hook"], hook, f))
            bad = 1
        got[json_key(f)] = (f["packets"], f["bytes"])
    for k in sorted(set(want) | set(got), key=str):
        if want.get(k) != got.get(k):
            print("FAIL: flow %s: capture %s, bpfcap %s" % (k, want.get(k), got.get(k)))
            bad = 1
    tp = sum(p for p, _ in want.values())
    tb = sum(b for _, b in want.values())
    if (rec["packets"], rec["bytes"]) != (tp, tb):
        print("FAIL: totals %s/%s, capture %s/%s" % (rec["packets"], rec["bytes"], tp, tb))
        bad = 1
    if not bad:
        print("ok: %d flows, %d packets, %d bytes equal the capture's at %s" % (len(want), tp, tb, hook))
    return bad


def strip(pcap, out):
    """PCAP with the outer VLAN tag of each frame removed: what a filter at
    tc sees, the kernel holding that tag as metadata."""
    fs = []
    for fr, _ in read_pcap(pcap):
        if struct.unpack_from("!H", fr, 12)[0] in (0x8100, 0x88A8):
            fr = fr[:12] + fr[16:]
        fs.append(fr)
    write_pcap(out, fs)


def check_nfdump(pcap, listing):
    """The IP flows of PCAP against nfdump's lines 'PROTO SA DA SP DP PKT BYT VLAN'
    (several records of one flow are added up)."""
    want = {}
    for fr, orig in read_pcap(pcap):
        name, src, dst, sp, dp, vlan, et = key_of(fr)
        if et not in (0x0800, 0x86DD):
            continue
        k = (name, src, dst, sp, dp, vlan)
        p, b = want.get(k, (0, 0))
        want[k] = (p + 1, b + orig)
    got, n = {}, 0
    for line in open(listing):
        f = line.split()
        if len(f) != 8:
            continue
        n += 1
        name = f[0].lower()
        if "." in f[4]:  # ICMP: type.code in the destination port
            sp, dp = (int(x) for x in f[4].split("."))
        else:
            sp, dp = int(f[3]), int(f[4])
        k = (name, f[1], f[2], sp, dp, int(f[7]))
        p, b = got.get(k, (0, 0))
        got[k] = (p + int(f[5]), b + int(f[6]))
    bad = 0
    for k in sorted(set(want) | set(got), key=str):
        if want.get(k) != got.get(k):
            print("FAIL: flow %s: capture %s, collector %s" % (k, want.get(k), got.get(k)))
            bad = 1
    if not bad:
        print("ok: the collector has the capture's %d IP flows (%d records), %d packets, %d bytes" %
              (len(want), n, sum(p for p, _ in want.values()), sum(b for _, b in want.values())))
    return bad


def collect_tcp(port, out):
    """A minimal IPFIX collector over TCP (RFC 7011): one connection on
    127.0.0.1:PORT, read to its end; writes the data records as nfdump's
    listing lines, and a last line '# messages M template-records T'."""
    import socket
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", port))
    ls.listen(1)
    print("listening", flush=True)
    ls.settimeout(30)
    conn, _ = ls.accept()
    data = b""
    while True:
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    templates, lines, msgs, off, ntmpl = {}, [], 0, 0, 0
    while off + 16 <= len(data):
        ver, mlen = struct.unpack_from("!HH", data, off)
        if ver != 10 or mlen < 16:
            lines.append("# bad message at %d" % off)
            break
        msgs += 1
        so = off + 16
        while so + 4 <= off + mlen:
            sid, slen = struct.unpack_from("!HH", data, so)
            body, so = data[so + 4:so + slen], so + slen
            if sid == 2:
                bo = 0
                while bo + 4 <= len(body):
                    tid, cnt = struct.unpack_from("!HH", body, bo)
                    bo += 4
                    fields = []
                    for _ in range(cnt):
                        ie, ln = struct.unpack_from("!HH", body, bo)
                        bo += 4
                        fields.append((ie, ln))
                    templates[tid] = fields
                    ntmpl += 1
            elif sid >= 256 and sid in templates:
                size = sum(ln for _, ln in templates[sid])
                for ro in range(0, len(body) - size + 1, size):
                    rec, fo = {}, ro
                    for ie, ln in templates[sid]:
                        rec[ie] = body[fo:fo + ln]
                        fo += ln
                    lines.append(ipfix_line(rec))
        off += mlen
    with open(out, "w") as f:
        f.write("\n".join(lines + ["# messages %d template-records %d" % (msgs, ntmpl)]) + "\n")


def ipfix_line(rec):
    num = lambda ie: int.from_bytes(rec.get(ie, b""), "big")
    proto = num(4)
    if 8 in rec:
        sa, da = str(ipaddress.IPv4Address(rec[8])), str(ipaddress.IPv4Address(rec[12]))
        icmp = num(32)
    else:
        sa, da = str(ipaddress.IPv6Address(rec[27])), str(ipaddress.IPv6Address(rec[28]))
        icmp = num(139)
    name = PROTO.get(proto, str(proto)).upper()
    dp = "%d.%d" % (icmp >> 8, icmp & 255) if proto in (1, 58) else str(num(11))
    return "%s %s %s %d %s %d %d %d" % (name, sa, da, num(7), dp, num(2), num(1), num(58))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "strip":
        strip(sys.argv[2], sys.argv[3])
        sys.exit(0)
    if len(sys.argv) == 4 and sys.argv[1] == "collect-tcp":
        collect_tcp(int(sys.argv[2]), sys.argv[3])
        sys.exit(0)
    if len(sys.argv) == 4 and sys.argv[1] == "check-nfdump":
        sys.exit(check_nfdump(sys.argv[2], sys.argv[3]))
    if len(sys.argv) == 3 and sys.argv[1] == "gen":
        write_pcap(sys.argv[2], frames())
        sys.exit(0)
    if len(sys.argv) in (5, 6) and sys.argv[1] == "check":
        sys.exit(check(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5] if len(sys.argv) == 6 else None))
    sys.exit(__doc__)
