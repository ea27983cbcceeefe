#!/usr/bin/env python3
"""attach_traffic.py - the traffic of tests/kern/ebpf_attach.sh.

  recv DIR ENDPOINT...   (the filtered side) bind every 'udp:ADDR:PORT' and
      listen on every 'tcp:ADDR:PORT'; write DIR/ready once bound; on SIGUSR1
      write 'ENDPOINT COUNT' lines (datagrams, accepted connections) to
      DIR/counts (complete when it appears) and start counting again.
  send N ENDPOINT...     (the other side) N of each: 'udp:ADDR:PORT'
      datagrams, 'tcp:ADDR:PORT' connection attempts, 'icmp:ADDR' echo
      requests (IPv4 or IPv6 after ADDR), 'vlan:IFACE:VID:DSTMAC:SRC:DST:PORT'
      802.1Q-tagged UDP/IPv4 frames written on a packet socket; then waits
      0.25 s and prints 'ENDPOINT COUNT' for what answered (connections
      established, echo replies; datagrams: N, as sent).
"""
import os
import select
import signal
import socket
import struct
import sys
import time


def fam(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def split(ep):
    kind, rest = ep.split(":", 1)
    if kind in ("udp", "tcp"):
        addr, port = rest.rsplit(":", 1)
        return kind, addr, int(port)
    return kind, rest, 0


def recv(outdir, eps):
    socks = {}
    for ep in eps:
        kind, addr, port = split(ep)
        s = socket.socket(fam(addr), socket.SOCK_DGRAM if kind == "udp" else socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((addr, port))
        if kind == "tcp":
            s.listen(64)
        s.setblocking(False)
        socks[s] = ep
    counts = dict.fromkeys(eps, 0)
    dump = []
    signal.signal(signal.SIGUSR1, lambda *_: dump.append(1))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    open(os.path.join(outdir, "ready"), "w").close()
    while True:
        try:
            ready, _, _ = select.select(list(socks), [], [], 0.05)
        except InterruptedError:
            ready = []
        for s in ready:
            try:
                if s.type == socket.SOCK_DGRAM:
                    s.recv(2048)
                else:
                    s.accept()[0].close()
                counts[socks[s]] += 1
            except BlockingIOError:
                pass
        if dump:
            dump.clear()
            # what is queued now was sent before the signal
            while True:
                ready, _, _ = select.select(list(socks), [], [], 0)
                if not ready:
                    break
                for s in ready:
                    try:
                        if s.type == socket.SOCK_DGRAM:
                            s.recv(2048)
                        else:
                            s.accept()[0].close()
                        counts[socks[s]] += 1
                    except BlockingIOError:
                        pass
            tmp = os.path.join(outdir, "counts.tmp")
            with open(tmp, "w") as f:
                for ep in eps:
                    f.write("%s %d\n" % (ep, counts[ep]))
            os.rename(tmp, os.path.join(outdir, "counts"))
            counts = dict.fromkeys(eps, 0)


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def vlan_frame(vid, dmac, src, dst, port, n):
    payload = b"bpfcap-attach-%d" % n
    udp = struct.pack("!HHHH", 40000 + n, port, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), n, 0, 64, 17, 0,
                     socket.inet_aton(src), socket.inet_aton(dst))
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return dmac + b"\0\0\0\0\0\0" + struct.pack("!HH", 0x8100, vid) + b"\x08\x00" + ip + udp


def send(n, eps):
    result = {}
    pending = []  # (ep, socket) waiting for an answer
    for ep in eps:
        kind, addr, port = split(ep)
        if kind == "udp":
            s = socket.socket(fam(addr), socket.SOCK_DGRAM)
            for i in range(n):
                s.sendto(b"bpfcap-attach-%d" % i, (addr, port))
            s.close()
            result[ep] = n
        elif kind == "tcp":
            result[ep] = 0
            for _ in range(n):
                s = socket.socket(fam(addr), socket.SOCK_STREAM)
                s.setblocking(False)
                s.connect_ex((addr, port))
                pending.append((ep, s))
        elif kind == "icmp":
            v6 = ":" in addr
            s = socket.socket(fam(addr), socket.SOCK_RAW,
                              socket.IPPROTO_ICMPV6 if v6 else socket.IPPROTO_ICMP)
            ident = os.getpid() & 0xffff
            for i in range(n):
                h = struct.pack("!BBHHH", 128 if v6 else 8, 0, 0, ident, i) + b"bpfcap"
                if not v6:  # the kernel sums ICMPv6 itself
                    h = h[:2] + struct.pack("!H", csum(h)) + h[4:]
                s.sendto(h, (addr, 0))
            result[ep] = 0
            pending.append((ep, s))
        elif kind == "vlan":
            iface, vid, dmac, src, dst, port = addr.split(":", 5)
            dmac = bytes.fromhex(dmac.replace("-", ""))
            s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
            s.bind((iface, 0))
            for i in range(n):
                s.send(vlan_frame(int(vid), dmac, src, dst, int(port), i))
            s.close()
            result[ep] = n
    deadline = time.monotonic() + 0.25
    seen = set()
    while time.monotonic() < deadline:
        socks = [s for _, s in pending]
        _, w, _ = select.select([], [s for ep, s in pending if s.type == socket.SOCK_STREAM], [], 0)
        r, _, _ = select.select([s for ep, s in pending if s.type == socket.SOCK_RAW], [], [], 0.02)
        for ep, s in pending:
            if s in w and s.fileno() not in seen and s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
                seen.add(s.fileno())
                result[ep] += 1
            if s in r:
                pkt = s.recv(2048)
                v6 = s.family == socket.AF_INET6
                off = 0 if v6 else (pkt[0] & 15) * 4  # raw IPv4 gets the IP header
                typ, _, _, ident = struct.unpack("!BBHH", pkt[off:off + 6])
                if typ == (129 if v6 else 0) and ident == os.getpid() & 0xffff:
                    result[ep] += 1
        if not socks:
            break
    for ep in eps:
        print("%s %d" % (ep, result[ep]))


if __name__ == "__main__":
    if sys.argv[1] == "recv":
        recv(sys.argv[2], sys.argv[3:])
    else:
        send(int(sys.argv[2]), sys.argv[3:])
