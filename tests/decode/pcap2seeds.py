#!/usr/bin/env python3
"""pcap2seeds.py OUTDIR FILE... - fuzz seeds from classic pcap files: each
packet becomes OUTDIR/NAME-N holding the three selector bytes of
fuzz_decode.c (link type index, options, 0) and the packet."""
import os
import struct
import sys

DLTS = {1: 0, 113: 1, 276: 2, 12: 3, 14: 3, 228: 4, 229: 5, 0: 6, 108: 7}


def packets(path):
    data = open(path, "rb").read()
    if len(data) < 24:
        return None, []
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        e = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        e = ">"
    else:
        return None, []
    dlt = struct.unpack(e + "I", data[20:24])[0] & 0x0fffffff
    out, off = [], 24
    while off + 16 <= len(data) and len(out) < 64:
        caplen = struct.unpack(e + "I", data[off + 8:off + 12])[0]
        if caplen > 65535 or off + 16 + caplen > len(data):
            break
        out.append(data[off + 16:off + 16 + caplen])
        off += 16 + caplen
    return dlt, out


def main():
    outdir = sys.argv[1]
    n = 0
    for path in sys.argv[2:]:
        dlt, pkts = packets(path)
        if dlt not in DLTS:
            continue
        base = os.path.basename(path)
        for i, p in enumerate(pkts):
            with open(os.path.join(outdir, "%s-%d" % (base, i)), "wb") as f:
                f.write(bytes([DLTS[dlt], (i * 37) & 0xff, 0]) + p)
            n += 1
    print(n)


if __name__ == "__main__":
    main()
