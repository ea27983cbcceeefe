#!/usr/bin/python3
"""Deterministic generator for the bpfcap test captures.

Usage: /usr/bin/python3 pcaps/gen.py [OUTDIR]     (default: this script's dir)

Writes classic pcap files (magic a1b2c3d4 little-endian, v2.4, microsecond
timestamps, snaplen 262144) plus a TSV MANIFEST with one row per packet.
Everything is fixed: addresses, ports, ids, sequence numbers and timestamps,
so two runs produce byte-identical output.  Only the python3 stdlib and scapy
are used; scapy just builds headers and computes checksums, the pcap files
are written here with struct.
"""

import logging
import os
import socket
import struct
import sys

logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
logging.getLogger("scapy").setLevel(logging.ERROR)

from scapy.layers.inet import IP, TCP, UDP, ICMP, IPOption  # noqa: E402
from scapy.layers.inet6 import (  # noqa: E402
    IPv6, IPv6ExtHdrHopByHop, IPv6ExtHdrRouting, IPv6ExtHdrDestOpt,
    IPv6ExtHdrFragment, ICMPv6EchoRequest, ICMPv6EchoReply,
    ICMPv6ND_NS, ICMPv6ND_NA, ICMPv6ND_RS, ICMPv6ND_RA,
    ICMPv6NDOptSrcLLAddr, ICMPv6NDOptDstLLAddr, ICMPv6NDOptPrefixInfo,
    ICMPv6NDOptMTU, ICMPv6MLReport, ICMPv6MLReport2, ICMPv6MLDMultAddrRec,
    ICMPv6DestUnreach, ICMPv6PacketTooBig, ICMPv6TimeExceeded,
    RouterAlert, PadN,
)
from scapy.layers.dns import DNS, DNSQR, DNSRR  # noqa: E402
from scapy.layers.dhcp import BOOTP, DHCP  # noqa: E402
from scapy.layers.sctp import (  # noqa: E402
    SCTP, SCTPChunkInit, SCTPChunkInitAck, SCTPChunkData,
)
from scapy.layers.l2 import GRE  # noqa: E402
from scapy.layers.vrrp import VRRP  # noqa: E402
from scapy.packet import Raw  # noqa: E402
from scapy.utils import checksum  # noqa: E402

SNAPLEN = 262144
BASE_TS = 1704067200          # 2024-01-01 00:00:00 UTC
STEP_US = 10000               # 10 ms between packets

LINKTYPES = {
    "NULL": 0, "EN10MB": 1, "RAW": 101, "LOOP": 108, "LINUX_SLL": 113,
    "IPV4": 228, "IPV6": 229, "LINUX_SLL2": 276,
}


# ---------------------------------------------------------------- output

class Capture:
    def __init__(self, name, linktype):
        self.name = name
        self.linktype = linktype
        self.pkts = []

    def add(self, data, desc, cut=None, orig_len=None):
        data = bytes(data)
        if orig_len is None:
            orig_len = len(data)
        if cut is not None:
            data = data[:cut]
        assert "\t" not in desc and "\n" not in desc
        self.pkts.append((data, orig_len, desc))

    def write(self, outdir):
        out = [struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, SNAPLEN,
                           LINKTYPES[self.linktype])]
        for i, (data, orig_len, _) in enumerate(self.pkts):
            us = i * STEP_US
            out.append(struct.pack("<IIII", BASE_TS + us // 1000000,
                                   us % 1000000, len(data), orig_len))
            out.append(data)
        blob = b"".join(out)
        assert len(blob) < 64 * 1024, self.name
        with open(os.path.join(outdir, self.name), "wb") as f:
            f.write(blob)

    def manifest_rows(self):
        for i, (data, orig_len, desc) in enumerate(self.pkts, 1):
            yield "\t".join([self.name, self.linktype,
                             str(LINKTYPES[self.linktype]), str(i),
                             str(len(data)), str(orig_len), desc])


# ---------------------------------------------------------------- helpers

def mac(s):
    return bytes.fromhex(s.replace(":", ""))


MA = "02:00:00:00:00:01"      # host A  10.0.0.1  2001:db8::1  fe80::1
MB = "02:00:00:00:00:02"      # host B  10.0.0.2  2001:db8::2  fe80::2
MC = "02:00:00:00:00:03"      # host C  10.0.0.3
MG = "02:00:00:00:00:fe"      # router  10.0.0.254
BCAST = "ff:ff:ff:ff:ff:ff"
A4, B4, C4, G4 = "10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.254"
A6, B6 = "2001:db8::1", "2001:db8::2"
LLA, LLB = "fe80::1", "fe80::2"
WEB4, DNS4 = "192.0.2.80", "192.0.2.53"
WEB6, DNS6 = "2001:db8:80::80", "2001:db8:53::53"

ETH_IP, ETH_IP6, ETH_ARP = 0x0800, 0x86DD, 0x0806


def eth(dst, src, etype, payload=b"", pad=False):
    f = mac(dst) + mac(src) + struct.pack("!H", etype) + bytes(payload)
    if pad and len(f) < 60:
        f += b"\x00" * (60 - len(f))
    return f


def tag(tpid, vid, pcp=0, dei=0):
    return struct.pack("!HH", tpid, (pcp << 13) | (dei << 12) | vid)


def eth_tagged(dst, src, tags, etype, payload, pad=False):
    f = mac(dst) + mac(src) + b"".join(tag(*t) for t in tags) + \
        struct.pack("!H", etype) + bytes(payload)
    if pad and len(f) < 60:
        f += b"\x00" * (60 - len(f))
    return f


def eth8023(dst, src, llc_and_payload, pad=True, length=None):
    """802.3 length-form frame (length field = LLC+payload size)."""
    body = bytes(llc_and_payload)
    if length is None:
        length = len(body)
    f = mac(dst) + mac(src) + struct.pack("!H", length) + body
    if pad and len(f) < 60:
        f += b"\x00" * (60 - len(f))
    return f


def mpls(labels, inner):
    """labels: list of (label, tc, ttl); bottom-of-stack set on the last."""
    out = b""
    for i, (label, tc, ttl) in enumerate(labels):
        s = 1 if i == len(labels) - 1 else 0
        out += struct.pack("!I", (label << 12) | (tc << 9) | (s << 8) | ttl)
    return out + bytes(inner)


def tcp(sport, dport, flags, seq=1000, ack=0, data=b"", **kw):
    kw.setdefault("window", 65535)
    p = TCP(sport=sport, dport=dport, flags=flags, seq=seq, ack=ack, **kw)
    return p / Raw(data) if data else p


def ip4(src, dst, l4, **kw):
    return bytes(IP(src=src, dst=dst, **kw) / l4)


def ip6(src, dst, l4, **kw):
    return bytes(IPv6(src=src, dst=dst, **kw) / l4)


def l4v4(src, dst, layer):
    """Transport bytes with a checksum valid for an IPv4 src/dst pair."""
    return bytes(IP(src=src, dst=dst) / layer)[20:]


def l4v6(src, dst, layer):
    return bytes(IPv6(src=src, dst=dst) / layer)[40:]


def v4frags(src, dst, proto, l4bytes, cuts, ident, **kw):
    """Split l4bytes at byte offsets in cuts (multiples of 8) into IPv4
    fragments; returns a list of IP packets as bytes."""
    edges = [0] + list(cuts) + [len(l4bytes)]
    out = []
    for i in range(len(edges) - 1):
        a, b = edges[i], edges[i + 1]
        mf = "MF" if i < len(edges) - 2 else 0
        out.append(bytes(IP(src=src, dst=dst, proto=proto, id=ident,
                            flags=mf, frag=a // 8, **kw) / Raw(l4bytes[a:b])))
    return out


def v6frag(src, dst, nh, chunk, offset, more, ident, pre=None):
    hdr = IPv6ExtHdrFragment(nh=nh, offset=offset // 8, m=more, id=ident)
    p = IPv6(src=src, dst=dst)
    if pre is not None:
        p = p / pre
    return bytes(p / hdr / Raw(chunk))


def mcast_mac4(ip):
    o = [int(x) for x in ip.split(".")]
    return "01:00:5e:%02x:%02x:%02x" % (o[1] & 0x7F, o[2], o[3])


def mcast_mac6(low32):
    return "33:33:" + low32


def http_get(host="example.com", path="/"):
    return ("GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: bpfcap-gen\r\n"
            "Accept: */*\r\n\r\n" % (path, host)).encode()


HTTP_OK = (b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
           b"Content-Length: 13\r\n\r\nhello, world\n")

SYN_OPTS = [("MSS", 1460), ("SAckOK", b""), ("Timestamp", (100000, 0)),
            ("NOP", None), ("WScale", 7)]
SYNACK_OPTS = [("MSS", 1400), ("SAckOK", b""), ("Timestamp", (200000, 100000)),
               ("NOP", None), ("WScale", 9)]
TS_OPTS = [("NOP", None), ("NOP", None), ("Timestamp", (100010, 200000))]


def dns_query(name, qtype="A", ident=0x1234):
    return DNS(id=ident, rd=1, qd=DNSQR(qname=name, qtype=qtype))


def dns_answer(name, rdata, qtype="A", ident=0x1234):
    return DNS(id=ident, qr=1, aa=0, rd=1, ra=1,
               qd=DNSQR(qname=name, qtype=qtype),
               an=DNSRR(rrname=name, type=qtype, ttl=300, rdata=rdata))


def ntp(mode, stratum=0, ts=0xE9340000):
    """48-byte NTPv4 packet, fixed timestamps."""
    ref = struct.pack("!II", ts, 0) if stratum else b"\0" * 8
    return struct.pack("!BBbbII4s", (4 << 3) | mode, stratum, 6, -20,
                       0x100 if stratum else 0, 0x200 if stratum else 0,
                       b"GPS\0" if stratum == 1 else b"\0" * 4) + \
        ref + struct.pack("!II", ts if mode == 4 else 0, 0) + \
        struct.pack("!II", ts + 1 if mode == 4 else 0, 0) + \
        struct.pack("!II", ts + 2, 0x80000000)


def dhcp(msgtype, xid, chaddr, yiaddr="0.0.0.0", siaddr="0.0.0.0", op=1):
    opts = [("message-type", msgtype)]
    if msgtype in ("offer", "ack"):
        opts += [("server_id", "192.168.1.1"), ("lease_time", 3600),
                 ("subnet_mask", "255.255.255.0"), ("router", "192.168.1.1")]
    else:
        opts += [("param_req_list", [1, 3, 6, 15])]
    opts.append("end")
    return BOOTP(op=op, xid=xid, flags=0x8000, yiaddr=yiaddr, siaddr=siaddr,
                 chaddr=mac(chaddr) + b"\0" * 10) / DHCP(options=opts)


def igmp(typ, group, maxresp=0):
    body = struct.pack("!BBH4s", typ, maxresp, 0, bytes(map(int, group.split("."))))
    c = checksum(body)
    return body[:2] + struct.pack("!H", c) + body[4:]


def igmpv3_report(groups):
    recs = b""
    for g in groups:
        recs += struct.pack("!BBH4s", 4, 0, 0, bytes(map(int, g.split("."))))
    body = struct.pack("!BBHHH", 0x22, 0, 0, 0, len(groups)) + recs
    c = checksum(body)
    return body[:2] + struct.pack("!H", c) + body[4:]


def pim_hello():
    body = struct.pack("!BBH", 0x20, 0, 0) + struct.pack("!HHH", 1, 2, 105) + \
        struct.pack("!HHI", 20, 4, 0x12345678)
    c = checksum(body)
    return body[:2] + struct.pack("!H", c) + body[4:]


def ospf_hello(router_id):
    rid = bytes(map(int, router_id.split(".")))
    body = struct.pack("!BBH4s4sHHQ", 2, 1, 44, rid, b"\0" * 4, 0, 0, 0) + \
        struct.pack("!4sHBBI4s4s", bytes([255, 255, 255, 0]), 10, 0x02, 1, 40,
                    b"\0" * 4, b"\0" * 4)
    c = checksum(body)
    return body[:12] + struct.pack("!H", c) + body[14:]


def ah_hdr(nh, spi, seq):
    icv = bytes(range(0xA0, 0xAC))                 # 96-bit ICV
    return struct.pack("!BBHII", nh, (12 + len(icv)) // 4 - 2, 0, spi, seq) + icv


def esp_hdr(spi, seq, n=40):
    return struct.pack("!II", spi, seq) + bytes((i * 37 + 11) & 0xFF for i in range(n))


def geneve(vni, inner, proto=0x6558, opts=b""):
    assert len(opts) % 4 == 0
    return struct.pack("!BBHI", len(opts) // 4, 0, proto, vni << 8) + opts + bytes(inner)


def vxlan(vni, inner):
    return struct.pack("!BBHI", 0x08, 0, 0, vni << 8) + bytes(inner)


def pppoe(code, sid, payload):
    return struct.pack("!BBHH", 0x11, code, sid, len(payload)) + bytes(payload)


def pppoe_tag(t, v):
    return struct.pack("!HH", t, len(v)) + v


def arp(op, sha, spa, tha, tpa, ptype=0x0800):
    return struct.pack("!HHBBH", 1, ptype, 6, 4, op) + mac(sha) + \
        bytes(map(int, spa.split("."))) + mac(tha) + bytes(map(int, tpa.split(".")))


STP_MAC = "01:80:c2:00:00:00"


def stp_config(flags=0, root_prio=0x8000, cost=4):
    root = struct.pack("!H", root_prio) + mac("02:00:00:00:00:10")
    bridge = struct.pack("!H", 0x8000) + mac("02:00:00:00:00:11")
    return struct.pack("!HBBB", 0, 0, 0, flags) + root + struct.pack("!I", cost) + \
        bridge + struct.pack("!HHHHH", 0x8001, 1 << 8, 20 << 8, 2 << 8, 15 << 8)


def rstp_bpdu():
    b = bytearray(stp_config(flags=0x3C))
    b[2] = 2            # protocol version 2 = RSTP
    b[3] = 2            # BPDU type 2 = RST
    return bytes(b) + b"\x00"     # version 1 length


def ipx(dnet, dnode, dsock, snet, snode, ssock, ptype, data):
    return struct.pack("!HHBBI6sHI6sH", 0xFFFF, 30 + len(data), 0, ptype,
                       dnet, mac(dnode), dsock, snet, mac(snode), ssock) + data


IPX_SAP_QUERY = ipx(0, BCAST, 0x0452, 0x00000001, MA, 0x4000, 4,
                    struct.pack("!HH", 1, 4))
IPX_RIP_REQ = ipx(0, BCAST, 0x0453, 0x00000001, MA, 0x4001, 1,
                  struct.pack("!HIHH", 1, 0xFFFFFFFF, 0xFFFF, 0xFFFF))


def llc(dsap, ssap, ctrl):
    return bytes([dsap, ssap]) + (ctrl if isinstance(ctrl, bytes) else bytes([ctrl]))


def snap(oui, etype):
    return b"\xaa\xaa\x03" + bytes.fromhex(oui) + struct.pack("!H", etype)


def nb_name(n):
    return n.ljust(15).encode()[:15] + b"\x00"


NETBEUI_NAMEQ = struct.pack("<HHBBHHH", 44, 0xEFFF, 0x0A, 0, 0x0001, 0, 0x0042) + \
    nb_name("FILESRV") + nb_name("CLIENT")

NSAP_A = bytes.fromhex("49000100000000000a00")     # 10-byte NSAP
NSAP_B = bytes.fromhex("49000100000000000b00")


def clnp_dt(data=b"bpfcap"):
    hlen = 9 + 1 + len(NSAP_A) + 1 + len(NSAP_B)
    return struct.pack("!BBBBBHH", 0x81, hlen, 1, 32, 0x1C, hlen + len(data), 0) + \
        bytes([len(NSAP_B)]) + NSAP_B + bytes([len(NSAP_A)]) + NSAP_A + data


def esis_esh():
    return struct.pack("!BBBBBHH", 0x82, 9 + 2 + len(NSAP_A), 1, 0, 2, 60, 0) + \
        bytes([1, len(NSAP_A)]) + NSAP_A


def isis_l1_iih():
    tlv = b"\x01\x04\x03\x49\x00\x01"
    return struct.pack("!BBBBBBBB", 0x83, 27, 1, 0, 15, 1, 0, 0) + \
        b"\x01" + mac("02:00:00:00:00:20") + struct.pack("!HHB", 30, 27 + len(tlv), 64) + \
        mac("02:00:00:00:00:20") + b"\x01" + tlv


def ddp(dnet, snet, dnode, snode, dsock, ssock, typ, data):
    return struct.pack("!HHHHBBBBB", 13 + len(data), 0, dnet, snet, dnode, snode,
                       dsock, ssock, typ) + data


AEP_ECHO = ddp(0xFF00, 0xFF01, 0x22, 0x11, 4, 4, 4, b"\x01bpfcap-echo")
NBP_LOOKUP = ddp(0, 0xFF01, 0xFF, 0x11, 2, 0xFD, 2,
                 b"\x21\x07" + struct.pack("!HBBB", 0xFF01, 0x11, 0xFD, 0) +
                 b"\x01=\x0bLaserWriter\x01*")


def aarp(op, sha, spa, tha, tpa):
    return struct.pack("!HHBBH", 1, 0x809B, 6, 4, op) + mac(sha) + spa + mac(tha) + tpa


def lldp():
    def tlv(t, v):
        return struct.pack("!H", (t << 9) | len(v)) + v
    return tlv(1, b"\x04" + mac(MA)) + tlv(2, b"\x05eth0") + tlv(3, b"\x00\x78") + \
        tlv(5, b"bpfcap-sw1") + tlv(0, b"")


def cdp():
    def tlv(t, v):
        return struct.pack("!HH", t, 4 + len(v)) + v
    body = tlv(1, b"switch1") + tlv(3, b"Gi0/1")
    return struct.pack("!BBH", 2, 180, 0) + body


def decnet_endnode_hello():
    body = struct.pack("<B3s6sBHB8s6sHB", 0x0D, b"\x02\x00\x00",
                       mac("aa:00:04:00:01:04"), 3, 1498, 0, b"\0" * 8,
                       mac("00:00:00:00:00:00"), 15, 0) + struct.pack("<H", 2) + b"\xaa\xaa"
    return struct.pack("<H", len(body)) + body


def mop_sysid():
    body = struct.pack("<BBH", 7, 0, 0x0000) + b"\x01\x00\x03\x03\x00\x00"
    return struct.pack("<H", len(body)) + body


def mop_dl_req():
    body = struct.pack("<BBB", 8, 7, 0) + b"\x00\x00"
    return struct.pack("<H", len(body)) + body


def lat_frame():
    return bytes([0x02, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x02, 0x00, 0x03]) + b"bpfcap"


# ---------------------------------------------------------------- ether-ipv4

def build_ether_ipv4():
    c = Capture("ether-ipv4.pcap", "EN10MB")

    def tv4(sport, dport, flags, desc, src=A4, dst=B4, smac=MA, dmac=MB, **kw):
        c.add(eth(dmac, smac, ETH_IP, ip4(src, dst, tcp(sport, dport, flags, **kw))),
              desc)

    # HTTP on 80: full handshake, data, teardown
    tv4(40000, 80, "S", "IPv4 TCP SYN 10.0.0.1:40000 > 10.0.0.2:80 with MSS/SACK/TS/WS options",
        options=SYN_OPTS, seq=1000)
    tv4(80, 40000, "SA", "IPv4 TCP SYN+ACK 80 > 40000 with options",
        src=B4, dst=A4, smac=MB, dmac=MA, seq=5000, ack=1001, options=SYNACK_OPTS)
    tv4(40000, 80, "A", "IPv4 TCP ACK 40000 > 80", seq=1001, ack=5001)
    req = http_get()
    tv4(40000, 80, "PA", "IPv4 TCP PSH+ACK 40000 > 80 with TS options, payload 'GET / HTTP/1.1'",
        seq=1001, ack=5001, options=TS_OPTS, data=req)
    tv4(80, 40000, "PA", "IPv4 TCP PSH+ACK 80 > 40000 payload 'HTTP/1.1 200 OK'",
        src=B4, dst=A4, smac=MB, dmac=MA, seq=5001, ack=1001 + len(req), data=HTTP_OK)
    tv4(40000, 80, "FA", "IPv4 TCP FIN+ACK 40000 > 80",
        seq=1001 + len(req), ack=5001 + len(HTTP_OK))
    tv4(80, 40000, "FA", "IPv4 TCP FIN+ACK 80 > 40000",
        src=B4, dst=A4, smac=MB, dmac=MA, seq=5001 + len(HTTP_OK), ack=1002 + len(req))
    c.add(eth(MB, MA, ETH_IP, ip4(A4, B4, tcp(40000, 80, "A", seq=1002 + len(req),
                                               ack=5002 + len(HTTP_OK))), pad=True),
          "IPv4 TCP final ACK 40000 > 80 (Ethernet frame padded to 60 bytes)")
    # 443
    tv4(40001, 443, "S", "IPv4 TCP SYN 40001 > 443", seq=7000, options=[("MSS", 1460)])
    tv4(443, 40001, "R", "IPv4 TCP RST 443 > 40001 (RST only)",
        src=B4, dst=A4, smac=MB, dmac=MA, seq=0)
    tv4(443, 40001, "RA", "IPv4 TCP RST+ACK 443 > 40001",
        src=B4, dst=A4, smac=MB, dmac=MA, seq=0, ack=7001)
    tv4(40002, 443, "SEC", "IPv4 TCP SYN+ECE+CWR (ECN setup) 40002 > 443", seq=9000)
    tv4(443, 40002, "SAE", "IPv4 TCP SYN+ACK+ECE 443 > 40002",
        src=B4, dst=A4, smac=MB, dmac=MA, seq=9500, ack=9001)
    tv4(40002, 443, "PA", "IPv4 TCP PSH+ACK 40002 > 443 payload TLS ClientHello-like bytes",
        seq=9001, ack=9501, data=bytes.fromhex("160301002f0100002b0303") + b"\x11" * 32)
    tv4(40002, 443, "AC", "IPv4 TCP ACK+CWR 40002 > 443", seq=9044, ack=9501)
    tv4(443, 40002, "AE", "IPv4 TCP ACK+ECE 443 > 40002",
        src=B4, dst=A4, smac=MB, dmac=MA, seq=9501, ack=9044)
    # 22
    tv4(50022, 22, "S", "IPv4 TCP SYN 50022 > 22", seq=100, options=[("MSS", 1460)])
    tv4(22, 50022, "SA", "IPv4 TCP SYN+ACK 22 > 50022",
        src=B4, dst=A4, smac=MB, dmac=MA, seq=300, ack=101)
    tv4(50022, 22, "PA", "IPv4 TCP PSH+ACK 50022 > 22 payload 'SSH-2.0-'",
        seq=101, ack=301, data=b"SSH-2.0-bpfcap\r\n")
    tv4(50022, 22, "UA", "IPv4 TCP URG+ACK 50022 > 22 urgptr=1", seq=117, ack=301,
        urgptr=1, data=b"!")
    tv4(50022, 22, "UPA", "IPv4 TCP URG+PSH+ACK 50022 > 22 urgptr=4", seq=118, ack=301,
        urgptr=4, data=b"abcd")
    # TCP DNS on 53
    tv4(40053, 53, "S", "IPv4 TCP SYN 40053 > 53 (DNS over TCP)", dst=DNS4, dmac=MG,
        seq=1)
    tv4(53, 40053, "SA", "IPv4 TCP SYN+ACK 53 > 40053", src=DNS4, dst=A4, smac=MG,
        dmac=MA, seq=2, ack=2)
    # X11 port range edge cases
    for sp, dp in ((41000, 5999), (41001, 6000), (41002, 6005), (41003, 6010),
                   (41004, 6011)):
        tv4(sp, dp, "S", "IPv4 TCP SYN %d > %d (X11 range edge)" % (sp, dp), seq=42)
    tv4(6001, 41005, "SA", "IPv4 TCP SYN+ACK 6001 > 41005 (source port in 6000-6010)",
        src=B4, dst=A4, smac=MB, dmac=MA, seq=43, ack=43)
    # 8080 and weird flag mixes
    tv4(41010, 8080, 0xFF, "IPv4 TCP all 8 flags FIN+SYN+RST+PSH+ACK+URG+ECE+CWR (0xff) 41010 > 8080",
        seq=1, ack=1, urgptr=0)
    tv4(41011, 8080, 0, "IPv4 TCP no flags (null scan) 41011 > 8080", seq=1)
    tv4(41012, 8080, "F", "IPv4 TCP FIN only 41012 > 8080", seq=1)
    tv4(41013, 8080, "FPU", "IPv4 TCP FIN+PSH+URG (xmas) 41013 > 8080", seq=1, urgptr=0)
    tv4(41014, 8080, "P", "IPv4 TCP PSH only with data 41014 > 8080", seq=1,
        data=b"GET /x HTTP/1.0\r\n\r\n")
    tv4(41015, 8080, "SF", "IPv4 TCP SYN+FIN 41015 > 8080", seq=1)
    tv4(41016, 8080, 0x102, "IPv4 TCP SYN+NS with reserved bits set (tcp[12] low nibble 0xf)",
        seq=1, reserved=7)
    # high / odd ports
    tv4(65535, 50000, "A", "IPv4 TCP ACK high ports 65535 > 50000", seq=1, ack=1)
    tv4(1024, 0, "S", "IPv4 TCP SYN 1024 > port 0", seq=1)
    tv4(0, 1023, "SA", "IPv4 TCP SYN+ACK from port 0 > 1023", seq=1, ack=2,
        src=B4, dst=A4, smac=MB, dmac=MA)
    tv4(33000, 3306, "PA", "IPv4 TCP PSH+ACK 10.0.0.3:33000 > 192.0.2.80:3306 via router MAC",
        src=C4, dst=WEB4, smac=MC, dmac=MG, seq=1, ack=1, data=b"\x05\x00\x00\x00\x0e")

    # ---- IP options (IHL > 5)
    c.add(eth(MB, MA, ETH_IP, ip4(A4, B4, tcp(40100, 80, "S", seq=1),
                                  options=[IPOption(b"\x94\x04\x00\x00")])),
          "IPv4 IHL=6 (router alert option) TCP SYN 40100 > 80")
    c.add(eth(MB, MA, ETH_IP, ip4(A4, B4, tcp(40101, 6000, "S", seq=1),
                                  options=[IPOption(b"\x01\x01\x01\x00")])),
          "IPv4 IHL=6 (NOP NOP NOP EOL) TCP SYN 40101 > 6000")
    c.add(eth(MG, MA, ETH_IP, ip4(A4, DNS4, UDP(sport=40102, dport=53) / dns_query("example.org"),
                                  options=[IPOption(b"\x07\x0b\x04" + b"\0" * 8), IPOption(b"\x00")])),
          "IPv4 IHL=8 (record route) UDP DNS query 40102 > 53")
    c.add(eth(MB, MA, ETH_IP, ip4(A4, B4, UDP(sport=40103, dport=123) / Raw(ntp(3)),
                                  options=[IPOption(b"\x44\x24\x05\x00" + b"\0" * 32),
                                           IPOption(b"\x01\x01\x01\x01")])),
          "IPv4 IHL=15 (timestamp option + NOPs, 40 option bytes) UDP 40103 > 123")
    c.add(eth(MB, MA, ETH_IP, ip4(A4, B4, ICMP(type=8, id=0x77, seq=1) / Raw(b"opt-ping"),
                                  options=[IPOption(b"\x83\x07\x04\x0a\x00\x00\xfe"),
                                           IPOption(b"\x00")])),
          "IPv4 IHL=7 (loose source route) ICMP echo request")

    # ---- fragments
    # UDP 53 > 40001 big DNS-ish response, 3 fragments; the non-first ones
    # carry bytes that look like ports 8080/8080 where a UDP header would be.
    body = bytearray(bytes(DNS(id=0x4242, qr=1, rd=1, ra=1,
                               qd=DNSQR(qname="big.example", qtype="TXT"),
                               an=DNSRR(rrname="big.example", type="TXT", ttl=300,
                                        rdata=[b"Z" * 200]))))
    assert len(body) == 253 and body[53:] == b"Z" * 200     # TXT data at 53..252
    body[64 - 8:68 - 8] = b"\x1f\x90\x1f\x90"
    body[128 - 8:132 - 8] = b"\x1f\x90\x1f\x90"
    udpb = l4v4(DNS4, A4, UDP(sport=53, dport=40001) / Raw(bytes(body)))
    fr = v4frags(DNS4, A4, 17, udpb, [64, 128], 0x4242)
    c.add(eth(MA, MG, ETH_IP, fr[0]),
          "IPv4 fragment 1/3 (offset 0, MF) UDP 53 > 40001 DNS TXT answer, id 0x4242")
    c.add(eth(MA, MG, ETH_IP, fr[1]),
          "IPv4 fragment 2/3 (offset 64, MF) of UDP; payload bytes look like ports 8080>8080")
    c.add(eth(MA, MG, ETH_IP, fr[2]),
          "IPv4 fragment 3/3 (offset 128, last) of UDP; payload bytes look like ports 8080>8080")
    # TCP 443 > 40002 segment, 3 fragments; non-first look like 80>80 with SYN
    body = bytearray(b"\xa5" * 100)
    fake = b"\x00\x50\x00\x50" + b"\0" * 9 + b"\x02"
    body[48 - 20:48 - 20 + len(fake)] = fake
    body[96 - 20:100 - 20] = fake[:4]
    tcpb = l4v4(WEB4, A4, tcp(443, 40002, "PA", seq=1, ack=1, data=bytes(body)))
    fr = v4frags(WEB4, A4, 6, tcpb, [48, 96], 0x4343)
    c.add(eth(MA, MG, ETH_IP, fr[0]),
          "IPv4 fragment 1/3 (offset 0, MF) TCP PSH+ACK 443 > 40002, id 0x4343")
    c.add(eth(MA, MG, ETH_IP, fr[1]),
          "IPv4 fragment 2/3 (offset 48, MF) of TCP; payload looks like 80>80 with SYN flag byte")
    c.add(eth(MA, MG, ETH_IP, fr[2]),
          "IPv4 fragment 3/3 (offset 96, last) of TCP; payload looks like ports 80>80")
    # ICMP echo in 2 fragments, second starts with 0x08 (looks like echo req)
    icmpb = l4v4(A4, B4, ICMP(type=8, id=0x99, seq=1) / Raw(b"\x08\x00" + b"P" * 1478))
    fr = v4frags(A4, B4, 1, icmpb, [1480], 0x4444)
    c.add(eth(MB, MA, ETH_IP, fr[1]),
          "IPv4 fragment 2/2 (offset 1480, last) of ICMP, arrives first; first bytes 08 00")
    c.add(eth(MB, MA, ETH_IP, fr[0]),
          "IPv4 fragment 1/2 (offset 0, MF) ICMP echo request, captured 74 of 1514 bytes",
          cut=74)
    # tiny first fragment: only 8 bytes of TCP header
    tcpb = l4v4(A4, B4, tcp(40200, 80, "S", seq=1))
    fr = v4frags(A4, B4, 6, tcpb, [8], 0x4545)
    c.add(eth(MB, MA, ETH_IP, fr[0], pad=True),
          "IPv4 tiny first fragment (offset 0, MF, 8 bytes of TCP 40200 > 80, flags not present), padded")
    c.add(eth(MB, MA, ETH_IP, fr[1], pad=True),
          "IPv4 fragment (offset 8, last) rest of TCP header, padded")
    c.add(eth(MB, MA, ETH_IP, ip4(A4, B4, UDP(sport=40300, dport=9) / Raw(b"DF"), flags="DF",
                                  id=0)),
          "IPv4 UDP with DF set (not a fragment) 40300 > 9")
    c.add(eth(MB, MA, ETH_IP, ip4(A4, B4, UDP(sport=40301, dport=9) / Raw(b"evil"),
                                  flags="evil")),
          "IPv4 UDP with reserved ('evil') flag bit set 40301 > 9")

    # ---- UDP
    q = dns_query("example.com")
    c.add(eth(MG, MA, ETH_IP, ip4(A4, DNS4, UDP(sport=53000, dport=53) / q)),
          "IPv4 UDP DNS query A example.com 53000 > 53")
    c.add(eth(MA, MG, ETH_IP, ip4(DNS4, A4, UDP(sport=53, dport=53000) /
                                  dns_answer("example.com", "93.184.216.34"))),
          "IPv4 UDP DNS answer 53 > 53000")
    c.add(eth(MG, MA, ETH_IP, ip4(A4, DNS4, UDP(sport=53, dport=53) /
                                  dns_query("example.net", "AAAA", 0x5353))),
          "IPv4 UDP DNS query AAAA 53 > 53 (both ports 53)")
    c.add(eth(MG, MA, ETH_IP, ip4(A4, "192.0.2.123", UDP(sport=123, dport=123) / Raw(ntp(3)))),
          "IPv4 UDP NTP client 123 > 123")
    c.add(eth(MA, MG, ETH_IP, ip4("192.0.2.123", A4, UDP(sport=123, dport=123) /
                                  Raw(ntp(4, stratum=1)))),
          "IPv4 UDP NTP server reply 123 > 123")
    c.add(eth(MG, MA, ETH_IP, ip4(A4, "192.0.2.123", UDP(sport=40123, dport=123) / Raw(ntp(3)))),
          "IPv4 UDP NTP client 40123 > 123")
    c.add(eth(BCAST, "02:00:00:00:01:00", ETH_IP,
              ip4("0.0.0.0", "255.255.255.255", UDP(sport=68, dport=67) /
                  dhcp("discover", 0x12345678, "02:00:00:00:01:00"), ttl=64)),
          "IPv4 UDP DHCP discover 0.0.0.0:68 > 255.255.255.255:67, Ethernet broadcast")
    c.add(eth(BCAST, "02:00:00:00:01:01", ETH_IP,
              ip4("192.168.1.1", "255.255.255.255", UDP(sport=67, dport=68) /
                  dhcp("offer", 0x12345678, "02:00:00:00:01:00", yiaddr="192.168.1.100",
                       siaddr="192.168.1.1", op=2))),
          "IPv4 UDP DHCP offer 192.168.1.1:67 > 255.255.255.255:68, Ethernet broadcast")
    c.add(eth(MB, MA, ETH_IP, ip4(A4, "0.0.0.0", UDP(sport=40400, dport=9) / Raw(b"zero"))),
          "IPv4 UDP to 0.0.0.0 port 9")
    c.add(eth(BCAST, MA, ETH_IP, ip4("192.168.1.10", "192.168.1.255",
                                     UDP(sport=137, dport=137) / Raw(b"\x80\x01" + b"\0" * 10))),
          "IPv4 UDP NetBIOS-NS 137 > 137 to subnet broadcast 192.168.1.255, Ethernet broadcast")
    c.add(eth(BCAST, MA, ETH_IP, ip4(A4, B4, UDP(sport=40401, dport=7) / Raw(b"unicast-ip"))),
          "IPv4 UDP unicast 10.0.0.1 > 10.0.0.2 port 7 in an Ethernet broadcast frame")
    c.add(eth(mcast_mac4("224.0.0.251"), MA, ETH_IP,
              ip4(A4, "224.0.0.251", UDP(sport=5353, dport=5353) /
                  DNS(id=0, qd=DNSQR(qname="_http._tcp.local", qtype="PTR")), ttl=255)),
          "IPv4 UDP mDNS 5353 > 224.0.0.251:5353, multicast MAC 01:00:5e:00:00:fb")
    c.add(eth(mcast_mac4("239.255.255.250"), MA, ETH_IP,
              ip4(A4, "239.255.255.250", UDP(sport=40402, dport=1900) /
                  Raw(b"M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n\r\n"), ttl=4)),
          "IPv4 UDP SSDP to 239.255.255.250:1900 multicast")
    c.add(eth(MB, MA, ETH_IP, ip4("240.0.0.1", "240.1.2.3", UDP(sport=40403, dport=40404) /
                                  Raw(b"class-e"))),
          "IPv4 UDP class E 240.0.0.1 > 240.1.2.3")
    c.add(eth(MB, MA, ETH_IP, ip4(A4, B4, UDP(sport=40405, dport=6005) / Raw(b"x11?"))),
          "IPv4 UDP 40405 > 6005 (UDP in X11 range)")
    c.add(eth(MB, MA, ETH_IP, ip4(A4, B4, UDP(sport=40406, dport=514) /
                                  Raw(b"<13>bpfcap: hello"))),
          "IPv4 UDP syslog 40406 > 514")
    c.add(eth(MB, MA, ETH_IP, ip4(A4, B4, UDP(sport=40407, dport=161) /
                                  Raw(bytes.fromhex("302602010104067075626c6963a0190204"
                                                    "1234567802010002010030" "0b3009"
                                                    "06052b06010201" "0500")))),
          "IPv4 UDP SNMP get-request 40407 > 161")
    c.add(eth(MB, MA, ETH_IP, ip4(A4, B4, UDP(sport=60000, dport=65535, chksum=0) /
                                  Raw(b"nocsum"))),
          "IPv4 UDP 60000 > 65535 with zero checksum")
    c.add(eth(MB, MA, ETH_IP, ip4(A4, B4, UDP(sport=0, dport=0) / Raw(b"port0")), pad=True),
          "IPv4 UDP 0 > 0 (port zero), padded")

    # ---- ICMP
    c.add(eth(MB, MA, ETH_IP, ip4(A4, B4, ICMP(type=8, id=0x1001, seq=1) / Raw(b"ping" * 8))),
          "IPv4 ICMP echo request 10.0.0.1 > 10.0.0.2")
    c.add(eth(MA, MB, ETH_IP, ip4(B4, A4, ICMP(type=0, id=0x1001, seq=1) / Raw(b"ping" * 8))),
          "IPv4 ICMP echo reply 10.0.0.2 > 10.0.0.1")
    quoted = ip4(A4, B4, UDP(sport=40500, dport=33434) / Raw(b"\0" * 12))[:28]
    c.add(eth(MA, MB, ETH_IP, ip4(B4, A4, ICMP(type=3, code=3) / Raw(quoted))),
          "IPv4 ICMP dest unreachable / port unreachable quoting UDP 40500 > 33434")
    quoted = ip4(A4, WEB4, tcp(40501, 80, "S", seq=1))[:28]
    c.add(eth(MA, MG, ETH_IP, ip4(G4, A4, ICMP(type=3, code=1) / Raw(quoted))),
          "IPv4 ICMP dest unreachable / host unreachable quoting TCP 40501 > 80")
    quoted = ip4(A4, WEB4, tcp(40502, 443, "PA", seq=1), flags="DF")[:28]
    c.add(eth(MA, MG, ETH_IP, ip4(G4, A4, ICMP(type=3, code=4, nexthopmtu=1400) / Raw(quoted))),
          "IPv4 ICMP dest unreachable / fragmentation needed mtu 1400")
    quoted = ip4(A4, "198.51.100.1", UDP(sport=40503, dport=33435) / Raw(b"\0" * 12), ttl=1)[:28]
    c.add(eth(MA, MG, ETH_IP, ip4(G4, A4, ICMP(type=11, code=0) / Raw(quoted))),
          "IPv4 ICMP time exceeded in transit (traceroute UDP 33435)")
    c.add(eth(MA, MG, ETH_IP, ip4(G4, A4, ICMP(type=5, code=1, gw="10.0.0.253") /
                                  Raw(ip4(A4, WEB4, ICMP())[:28]))),
          "IPv4 ICMP redirect for host")
    c.add(eth(MB, MA, ETH_IP, ip4(A4, B4, ICMP(type=13, id=5, seq=1, ts_ori=1000,
                                               ts_rx=0, ts_tx=0))),
          "IPv4 ICMP timestamp request")
    c.add(eth(BCAST, MA, ETH_IP, ip4(A4, "10.0.0.255", ICMP(type=8, id=0x1002, seq=1))),
          "IPv4 ICMP echo request to broadcast 10.0.0.255, Ethernet broadcast")

    # ---- other IP protocols
    ra = [IPOption(b"\x94\x04\x00\x00")]
    c.add(eth(mcast_mac4("224.0.0.251"), MA, ETH_IP,
              ip4(A4, "224.0.0.251", Raw(igmp(0x16, "224.0.0.251")), proto=2, ttl=1,
                  options=ra)),
          "IPv4 IGMPv2 membership report 224.0.0.251 (router alert)")
    c.add(eth(mcast_mac4("224.0.0.1"), MG, ETH_IP,
              ip4(G4, "224.0.0.1", Raw(igmp(0x11, "0.0.0.0", 100)), proto=2, ttl=1,
                  options=ra)),
          "IPv4 IGMP general membership query to 224.0.0.1")
    c.add(eth(mcast_mac4("224.0.0.22"), MA, ETH_IP,
              ip4(A4, "224.0.0.22", Raw(igmpv3_report(["239.1.1.1", "239.2.2.2"])),
                  proto=2, ttl=1, options=ra)),
          "IPv4 IGMPv3 membership report to 224.0.0.22")
    c.add(eth(MB, MA, ETH_IP, ip4(A4, "224.0.0.2", Raw(igmp(0x17, "224.0.0.251")),
                                  proto=2, ttl=1)),
          "IPv4 IGMPv2 leave group 224.0.0.251 to 224.0.0.2 (unicast MAC)")
    c.add(eth(mcast_mac4("224.0.0.13"), MG, ETH_IP,
              ip4(G4, "224.0.0.13", Raw(pim_hello()), proto=103, ttl=1)),
          "IPv4 PIMv2 hello to 224.0.0.13 (proto 103)")
    c.add(eth(mcast_mac4("224.0.0.18"), "00:00:5e:00:01:01", ETH_IP,
              ip4(G4, "224.0.0.18", VRRP(vrid=1, priority=100, addrlist=[G4]), ttl=255)),
          "IPv4 VRRPv2 advertisement vrid 1 to 224.0.0.18 (proto 112)")
    c.add(eth(mcast_mac4("224.0.0.5"), MG, ETH_IP,
              ip4(G4, "224.0.0.5", Raw(ospf_hello(G4)), proto=89, ttl=1)),
          "IPv4 OSPFv2 hello to 224.0.0.5 (proto 89)")
    c.add(eth(MB, MA, ETH_IP, ip4(A4, B4, Raw(ah_hdr(6, 0x1000, 1) +
                                             l4v4(A4, B4, tcp(40600, 80, "S", seq=1))),
                                  proto=51)),
          "IPv4 AH (proto 51, spi 0x1000) then TCP SYN 40600 > 80")
    c.add(eth(MB, MA, ETH_IP, ip4(A4, B4, Raw(ah_hdr(17, 0x1001, 2) +
                                             l4v4(A4, B4, UDP(sport=40601, dport=53) /
                                                  dns_query("ah.example"))),
                                  proto=51)),
          "IPv4 AH (spi 0x1001) then UDP 40601 > 53")
    c.add(eth(MB, MA, ETH_IP, ip4(A4, B4, Raw(esp_hdr(0x2000, 1)), proto=50)),
          "IPv4 ESP (proto 50, spi 0x2000)")
    c.add(eth(MA, MB, ETH_IP, ip4(B4, A4, Raw(esp_hdr(0x2001, 7, 24)), proto=50)),
          "IPv4 ESP (spi 0x2001) reverse direction")
    c.add(eth(MB, MA, ETH_IP, ip4(A4, B4, SCTP(sport=40700, dport=80, tag=0) /
                                  SCTPChunkInit(init_tag=0x11111111, a_rwnd=65535,
                                                n_out_streams=10, n_in_streams=10,
                                                init_tsn=1))),
          "IPv4 SCTP INIT 40700 > 80 (proto 132)")
    c.add(eth(MA, MB, ETH_IP, ip4(B4, A4, SCTP(sport=80, dport=40700, tag=0x11111111) /
                                  SCTPChunkInitAck(init_tag=0x22222222, a_rwnd=65535,
                                                   n_out_streams=10, n_in_streams=10,
                                                   init_tsn=1))),
          "IPv4 SCTP INIT-ACK 80 > 40700")
    c.add(eth(MB, MA, ETH_IP, ip4(A4, B4, SCTP(sport=2905, dport=2905, tag=0x22222222) /
                                  SCTPChunkData(tsn=1, stream_id=0, stream_seq=0,
                                                proto_id=3, data=b"m3ua-data"))),
          "IPv4 SCTP DATA 2905 > 2905")
    c.add(eth(MB, MA, ETH_IP, ip4(A4, B4, Raw(b"\x00" * 16), proto=253)),
          "IPv4 experimental protocol 253")
    return c


# ---------------------------------------------------------------- ether-ipv6

def build_ether_ipv6():
    c = Capture("ether-ipv6.pcap", "EN10MB")

    def e6(dmac, smac, pkt, desc, **kw):
        c.add(eth(dmac, smac, ETH_IP6, pkt), desc, **kw)

    req = http_get("example.com")
    e6(MB, MA, ip6(A6, B6, tcp(40000, 80, "S", seq=1000, options=SYN_OPTS)),
       "IPv6 TCP SYN [2001:db8::1]:40000 > [2001:db8::2]:80 with options")
    e6(MA, MB, ip6(B6, A6, tcp(80, 40000, "SA", seq=5000, ack=1001, options=SYNACK_OPTS)),
       "IPv6 TCP SYN+ACK 80 > 40000")
    e6(MB, MA, ip6(A6, B6, tcp(40000, 80, "A", seq=1001, ack=5001)), "IPv6 TCP ACK 40000 > 80")
    e6(MB, MA, ip6(A6, B6, tcp(40000, 80, "PA", seq=1001, ack=5001, options=TS_OPTS, data=req)),
       "IPv6 TCP PSH+ACK 40000 > 80 payload 'GET / HTTP/1.1'")
    e6(MA, MB, ip6(B6, A6, tcp(80, 40000, "PA", seq=5001, ack=1001 + len(req), data=HTTP_OK)),
       "IPv6 TCP PSH+ACK 80 > 40000 payload 'HTTP/1.1 200 OK'")
    e6(MB, MA, ip6(A6, B6, tcp(40000, 80, "FA", seq=1001 + len(req), ack=5001 + len(HTTP_OK))),
       "IPv6 TCP FIN+ACK 40000 > 80")
    e6(MA, MB, ip6(B6, A6, tcp(443, 40001, "RA", seq=0, ack=1)), "IPv6 TCP RST+ACK 443 > 40001")
    e6(MB, MA, ip6(A6, B6, tcp(40002, 22, "S", seq=1), tc=0x10, fl=0x12345),
       "IPv6 TCP SYN 40002 > 22 with traffic class 0x10 and flow label 0x12345")
    e6(MB, MA, ip6(A6, B6, tcp(40003, 6003, "S", seq=1)), "IPv6 TCP SYN 40003 > 6003 (X11 range)")
    e6(MB, MA, ip6(A6, B6, tcp(40004, 8080, 0xFF, seq=1)), "IPv6 TCP all 8 flags 40004 > 8080")
    e6(MG, MA, ip6(A6, DNS6, UDP(sport=53001, dport=53) / dns_query("example.com", "AAAA")),
       "IPv6 UDP DNS query AAAA 53001 > 53")
    e6(MA, MG, ip6(DNS6, A6, UDP(sport=53, dport=53001) /
                   dns_answer("example.com", "2001:db8:80::80", "AAAA")),
       "IPv6 UDP DNS answer 53 > 53001")
    e6(MB, MA, ip6(A6, B6, UDP(sport=123, dport=123) / Raw(ntp(3))), "IPv6 UDP NTP 123 > 123")
    e6(MB, MA, ip6(A6, B6, ICMPv6EchoRequest(id=0x600, seq=1, data=b"ping6" * 4)),
       "IPv6 ICMPv6 echo request")
    e6(MA, MB, ip6(B6, A6, ICMPv6EchoReply(id=0x600, seq=1, data=b"ping6" * 4)),
       "IPv6 ICMPv6 echo reply")
    e6(mcast_mac6("ff:00:00:02"), MA,
       ip6(LLA, "ff02::1:ff00:2", ICMPv6ND_NS(tgt=LLB) / ICMPv6NDOptSrcLLAddr(lladdr=MA),
           hlim=255),
       "IPv6 ICMPv6 neighbor solicitation for fe80::2 to ff02::1:ff00:2")
    e6(MA, MB, ip6(LLB, LLA, ICMPv6ND_NA(tgt=LLB, R=0, S=1, O=1) /
                   ICMPv6NDOptDstLLAddr(lladdr=MB), hlim=255),
       "IPv6 ICMPv6 neighbor advertisement fe80::2 (solicited)")
    e6(mcast_mac6("00:00:00:01"), MB, ip6(LLB, "ff02::1", ICMPv6ND_NA(tgt=B6, R=0, S=0, O=1) /
                                          ICMPv6NDOptDstLLAddr(lladdr=MB), hlim=255),
       "IPv6 ICMPv6 unsolicited neighbor advertisement to ff02::1")
    e6(mcast_mac6("00:00:00:02"), MA, ip6(LLA, "ff02::2", ICMPv6ND_RS() /
                                          ICMPv6NDOptSrcLLAddr(lladdr=MA), hlim=255),
       "IPv6 ICMPv6 router solicitation to ff02::2")
    e6(mcast_mac6("00:00:00:01"), MG,
       ip6("fe80::fe", "ff02::1", ICMPv6ND_RA(chlim=64, routerlifetime=1800) /
           ICMPv6NDOptSrcLLAddr(lladdr=MG) / ICMPv6NDOptMTU(mtu=1500) /
           ICMPv6NDOptPrefixInfo(prefix="2001:db8::", prefixlen=64,
                                 validlifetime=86400, preferredlifetime=14400), hlim=255),
       "IPv6 ICMPv6 router advertisement to ff02::1 with prefix 2001:db8::/64")
    e6(mcast_mac6("00:00:00:01"), MA, ip6(LLA, "ff02::1", UDP(sport=40010, dport=9) /
                                          Raw(b"all-nodes")),
       "IPv6 UDP to ff02::1 (all nodes) port 9")
    e6(mcast_mac6("00:00:00:fb"), MA, ip6(LLA, "ff02::fb", UDP(sport=5353, dport=5353) /
                                          DNS(id=0, qd=DNSQR(qname="_ipp._tcp.local",
                                                             qtype="PTR")), hlim=255),
       "IPv6 UDP mDNS to ff02::fb:5353")
    e6(mcast_mac6("00:01:00:02"), MA, ip6(LLA, "ff02::1:2", UDP(sport=546, dport=547) /
                                          Raw(b"\x01\x00\x00\x01")),
       "IPv6 UDP DHCPv6 solicit 546 > ff02::1:2:547")
    e6(MB, MA, ip6(A6, B6, ICMPv6DestUnreach(code=4) /
                   Raw(ip6(B6, A6, UDP(sport=40011, dport=33434))[:48])),
       "IPv6 ICMPv6 dest unreachable / port unreachable")
    e6(MA, MG, ip6("2001:db8::fe", A6, ICMPv6PacketTooBig(mtu=1280) /
                   Raw(ip6(A6, WEB6, tcp(40012, 443, "A", seq=1))[:60])),
       "IPv6 ICMPv6 packet too big mtu 1280")
    e6(MA, MG, ip6("2001:db8::fe", A6, ICMPv6TimeExceeded(code=0) /
                   Raw(ip6(A6, WEB6, UDP(sport=40013, dport=33435), hlim=1)[:48])),
       "IPv6 ICMPv6 time exceeded (hop limit)")
    # ---- extension headers
    e6(MB, MA, ip6(A6, B6, IPv6ExtHdrHopByHop(options=[RouterAlert(value=0)]) /
                   UDP(sport=40020, dport=53) / dns_query("hbh.example")),
       "IPv6 hop-by-hop (router alert) then UDP 40020 > 53")
    e6(mcast_mac6("00:00:00:16"), MA,
       ip6(LLA, "ff02::16", IPv6ExtHdrHopByHop(options=[RouterAlert(value=0)]) /
           ICMPv6MLReport2(records=[ICMPv6MLDMultAddrRec(dst="ff02::fb")]), hlim=1),
       "IPv6 hop-by-hop then ICMPv6 MLDv2 report to ff02::16")
    e6(mcast_mac6("00:00:00:fb"), MA,
       ip6(LLA, "ff02::fb", IPv6ExtHdrHopByHop(options=[RouterAlert(value=0)]) /
           ICMPv6MLReport(mladdr="ff02::fb"), hlim=1),
       "IPv6 hop-by-hop then ICMPv6 MLDv1 report for ff02::fb")
    e6(MB, MA, ip6(A6, B6, IPv6ExtHdrRouting(addresses=["2001:db8::99"]) /
                   tcp(40021, 80, "S", seq=1)),
       "IPv6 routing header (type 0, 1 addr) then TCP SYN 40021 > 80")
    e6(MB, MA, ip6(A6, B6, IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\0\0\0\0")]) /
                   tcp(40022, 443, "S", seq=1)),
       "IPv6 destination options then TCP SYN 40022 > 443")
    # fragments: TCP first fragment, UDP first fragment, non-first fragments
    body = bytearray(b"\x66" * 140)
    fake = b"\x00\x50\x00\x50" + b"\0" * 9 + b"\x02"
    body[80 - 20:80 - 20 + len(fake)] = fake
    tcpb = l4v6(A6, B6, tcp(40023, 80, "PA", seq=1, ack=1, data=bytes(body)))
    e6(MB, MA, v6frag(A6, B6, 6, tcpb[:80], 0, 1, 0x61),
       "IPv6 fragment header, first fragment (offset 0, M) of TCP PSH+ACK 40023 > 80")
    e6(MB, MA, v6frag(A6, B6, 6, tcpb[80:], 80, 0, 0x61),
       "IPv6 fragment header, non-first last fragment (offset 80) of TCP; payload looks like 80>80 SYN")
    body = bytearray(b"\x77" * 200)
    body[104 - 8:108 - 8] = b"\x00\x35\x00\x35"
    udpb = l4v6(A6, B6, UDP(sport=40024, dport=5000) / Raw(bytes(body)))
    e6(MB, MA, v6frag(A6, B6, 17, udpb[:104], 0, 1, 0x62),
       "IPv6 fragment header, first fragment (offset 0, M) of UDP 40024 > 5000")
    e6(MB, MA, v6frag(A6, B6, 17, udpb[104:], 104, 0, 0x62),
       "IPv6 fragment header, non-first fragment (offset 104) of UDP; payload looks like 53>53")
    e6(MB, MA, v6frag(A6, B6, 17, l4v6(A6, B6, UDP(sport=40025, dport=53) /
                                       dns_query("atomic.example")), 0, 0, 0x63),
       "IPv6 atomic fragment (offset 0, M=0) of UDP 40025 > 53")
    e6(MB, MA, ip6(A6, B6, Raw(ah_hdr(6, 0x3000, 1) + l4v6(A6, B6, tcp(40026, 80, "S", seq=1))),
                   nh=51),
       "IPv6 AH (spi 0x3000) then TCP SYN 40026 > 80")
    e6(MB, MA, ip6(A6, B6, Raw(esp_hdr(0x3001, 1)), nh=50), "IPv6 ESP (spi 0x3001)")
    e6(MB, MA, ip6(A6, B6, b"", nh=59), "IPv6 no next header (59), empty payload")
    e6(MB, MA, ip6(A6, B6, IPv6ExtHdrDestOpt(nh=59, options=[PadN(optdata=b"\0\0\0\0")])),
       "IPv6 destination options then no next header (59)")
    # chains
    e6(MB, MA, ip6(A6, B6, IPv6ExtHdrHopByHop(options=[PadN(optdata=b"\0\0\0\0")]) /
                   IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\0\0\0\0")]) /
                   UDP(sport=40027, dport=53) / dns_query("chain2.example")),
       "IPv6 chain of 2: hop-by-hop, dest options, then UDP 40027 > 53")
    e6(MB, MA, ip6(A6, B6, IPv6ExtHdrHopByHop(options=[PadN(optdata=b"\0\0\0\0")]) /
                   IPv6ExtHdrRouting(addresses=["2001:db8::99"]) /
                   tcp(40028, 80, "S", seq=1)),
       "IPv6 chain of 2: hop-by-hop, routing, then TCP SYN 40028 > 80")
    e6(MB, MA, ip6(A6, B6, IPv6ExtHdrHopByHop(options=[PadN(optdata=b"\0\0\0\0")]) /
                   IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\0\0\0\0")]) /
                   IPv6ExtHdrRouting(addresses=["2001:db8::99"]) /
                   tcp(40029, 22, "S", seq=1)),
       "IPv6 chain of 3: hop-by-hop, dest options, routing, then TCP SYN 40029 > 22")
    e6(MB, MA, v6frag(A6, B6, 17, l4v6(A6, "2001:db8::99", UDP(sport=40030, dport=53) /
                                       dns_query("chain3.example")), 0, 0, 0x64,
                      pre=IPv6ExtHdrHopByHop(options=[PadN(optdata=b"\0\0\0\0")]) /
                      IPv6ExtHdrRouting(addresses=["2001:db8::99"])),
       "IPv6 chain of 3: hop-by-hop, routing, fragment (atomic), then UDP 40030 > 53")
    e6(MB, MA, bytes(IPv6(src=A6, dst=B6) /
                     IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\0\0\0\0")]) /
                     IPv6ExtHdrRouting(nh=51, addresses=["2001:db8::99"]) /
                     Raw(ah_hdr(58, 0x3002, 5) +
                         l4v6(A6, "2001:db8::99", ICMPv6EchoRequest(id=7, seq=7)))),
       "IPv6 chain of 3: dest options, routing, AH, then ICMPv6 echo request")
    e6(MB, MA, ip6(A6, B6, IPv6ExtHdrHopByHop(options=[PadN(optdata=b"\0\0\0\0")]) /
                   IPv6ExtHdrHopByHop(options=[PadN(optdata=b"\0\0\0\0")]) /
                   UDP(sport=40031, dport=9)),
       "IPv6 two hop-by-hop headers (invalid order) then UDP 40031 > 9")
    e6(MB, MA, ip6(A6, B6, SCTP(sport=40032, dport=80, tag=0) /
                   SCTPChunkInit(init_tag=0x33333333, a_rwnd=65535, n_out_streams=1,
                                 n_in_streams=1, init_tsn=1)),
       "IPv6 SCTP INIT 40032 > 80")
    e6(MB, MA, ip6(A6, B6, Raw(ip4(A4, B4, tcp(40033, 80, "S", seq=1))), nh=4),
       "IPv6 next header 4: IPv4-in-IPv6 carrying TCP SYN 40033 > 80")
    e6(MB, MA, ip6(A6, B6, Raw(ip6("2001:db8:1::1", "2001:db8:1::2",
                                   UDP(sport=40034, dport=53) / dns_query("6in6.example"))),
                   nh=41),
       "IPv6 next header 41: IPv6-in-IPv6 carrying UDP 40034 > 53")
    return c


# ---------------------------------------------------------------- ether-encap

def build_ether_encap():
    c = Capture("ether-encap.pcap", "EN10MB")
    t4 = ip4(A4, B4, tcp(40000, 80, "S", seq=1))
    u4 = ip4(A4, DNS4, UDP(sport=40001, dport=53) / dns_query("vlan.example"))
    t6 = ip6(A6, B6, tcp(40002, 443, "S", seq=1))
    i6 = ip6(A6, B6, ICMPv6EchoRequest(id=1, seq=1))
    icmp4 = ip4(A4, B4, ICMP(type=8, id=0x22, seq=1))
    arpreq = arp(1, MA, A4, "00:00:00:00:00:00", B4)
    Q, AD, Q91 = 0x8100, 0x88A8, 0x9100

    # ---- 802.1Q
    c.add(eth_tagged(MB, MA, [(Q, 0, 5)], ETH_IP, icmp4),
          "802.1Q VLAN 0 (priority tag, PCP 5) IPv4 ICMP echo request")
    c.add(eth_tagged(BCAST, MA, [(Q, 1)], ETH_ARP, arpreq, pad=True),
          "802.1Q VLAN 1 ARP request who-has 10.0.0.2 tell 10.0.0.1")
    c.add(eth_tagged(MB, MA, [(Q, 100)], ETH_IP, t4),
          "802.1Q VLAN 100 IPv4 TCP SYN 40000 > 80")
    c.add(eth_tagged(MB, MA, [(Q, 100)], ETH_IP6, t6),
          "802.1Q VLAN 100 IPv6 TCP SYN 40002 > 443")
    c.add(eth_tagged(MG, MA, [(Q, 200)], ETH_IP, u4),
          "802.1Q VLAN 200 IPv4 UDP DNS 40001 > 53")
    c.add(eth_tagged(MB, MA, [(Q, 200, 3, 1)], ETH_IP6, i6),
          "802.1Q VLAN 200 (PCP 3, DEI 1) IPv6 ICMPv6 echo request")
    c.add(eth_tagged(MB, MA, [(Q, 4095)], ETH_IP, ip4(A4, B4, UDP(sport=40003, dport=4095) /
                                                       Raw(b"vid4095"))),
          "802.1Q VLAN 4095 IPv4 UDP 40003 > 4095")
    c.add(eth_tagged(MB, MA, [(Q, 300)], ETH_IP, ip4(A4, B4, tcp(40004, 22, "PA", seq=1,
                                                                  ack=1, data=b"ssh"))),
          "802.1Q VLAN 300 IPv4 TCP PSH+ACK 40004 > 22")
    c.add(eth_tagged(BCAST, MB, [(Q, 1)], ETH_ARP,
                     arp(2, MB, B4, MA, A4), pad=True),
          "802.1Q VLAN 1 ARP reply 10.0.0.2 is-at 02:00:00:00:00:02 (broadcast MAC)")
    c.add(eth_tagged(STP_MAC, "02:00:00:00:00:11", [(Q, 100)], 38,
                     llc(0x42, 0x42, 3) + stp_config(), pad=True),
          "802.1Q VLAN 100 carrying 802.3 length-form LLC STP BPDU")
    # ---- QinQ
    c.add(eth_tagged(MB, MA, [(AD, 100), (Q, 200)], ETH_IP, t4),
          "QinQ 802.1ad 0x88a8 outer VLAN 100, 0x8100 inner VLAN 200, IPv4 TCP SYN 40000 > 80")
    c.add(eth_tagged(MG, MA, [(AD, 100), (Q, 201)], ETH_IP6,
                     ip6(A6, DNS6, UDP(sport=40005, dport=53) / dns_query("qinq.example"))),
          "QinQ 0x88a8 outer VLAN 100, inner VLAN 201, IPv6 UDP 40005 > 53")
    c.add(eth_tagged(MG, MA, [(Q91, 300), (Q, 10)], ETH_IP, u4),
          "QinQ 0x9100 outer VLAN 300, 0x8100 inner VLAN 10, IPv4 UDP DNS 40001 > 53")
    c.add(eth_tagged(MB, MA, [(Q, 100), (Q, 200)], ETH_IP6, t6),
          "double 0x8100 outer VLAN 100 inner VLAN 200, IPv6 TCP SYN 40002 > 443")
    c.add(eth_tagged(BCAST, MA, [(AD, 5), (Q, 6)], ETH_ARP, arpreq, pad=True),
          "QinQ 0x88a8 VLAN 5 / 0x8100 VLAN 6, ARP request")
    c.add(eth_tagged(MB, MA, [(AD, 1), (Q, 2), (Q, 3)], ETH_IP, icmp4),
          "triple tag 0x88a8 VLAN 1 / 0x8100 VLAN 2 / 0x8100 VLAN 3, IPv4 ICMP echo")
    # ---- MPLS
    c.add(eth(MB, MA, 0x8847, mpls([(16, 0, 64)], t4)),
          "MPLS unicast label 16 (S, TTL 64) IPv4 TCP SYN 40000 > 80")
    c.add(eth(MB, MA, 0x8847, mpls([(100, 5, 63)], u4)),
          "MPLS unicast label 100 (TC 5) IPv4 UDP DNS 40001 > 53")
    c.add(eth(MB, MA, 0x8847, mpls([(1048575, 0, 1)], icmp4)),
          "MPLS unicast label 1048575 (max) IPv4 ICMP echo request")
    c.add(eth(MB, MA, 0x8847, mpls([(100, 0, 64), (200, 0, 64)], t4)),
          "MPLS 2-label stack 100/200 IPv4 TCP SYN 40000 > 80")
    c.add(eth(MB, MA, 0x8847, mpls([(16, 0, 64), (17, 0, 64)], t6)),
          "MPLS 2-label stack 16/17 IPv6 TCP SYN 40002 > 443")
    c.add(eth(MB, MA, 0x8847, mpls([(1000, 0, 64), (2000, 0, 64), (3000, 0, 64)], u4)),
          "MPLS 3-label stack 1000/2000/3000 IPv4 UDP DNS")
    c.add(eth(MB, MA, 0x8847, mpls([(2, 0, 64), (300, 0, 64)], i6)),
          "MPLS 2-label stack 2 (IPv6 explicit null)/300 IPv6 ICMPv6 echo")
    c.add(eth("01:00:5e:00:01:01", MA, 0x8848, mpls([(300, 0, 64)], u4)),
          "MPLS multicast (0x8848) label 300 IPv4 UDP DNS")
    c.add(eth_tagged(MB, MA, [(Q, 100)], 0x8847, mpls([(16, 0, 64)], t4)),
          "802.1Q VLAN 100 then MPLS label 16 IPv4 TCP SYN 40000 > 80")
    # ---- PPPoE
    AC = "02:00:00:00:ac:01"
    tags = pppoe_tag(0x0101, b"") + pppoe_tag(0x0103, b"\x00\x00\x00\x01")
    c.add(eth(BCAST, MA, 0x8863, pppoe(0x09, 0, tags), pad=True),
          "PPPoE discovery PADI (code 0x09, session 0), Ethernet broadcast")
    c.add(eth(MA, AC, 0x8863, pppoe(0x07, 0, tags + pppoe_tag(0x0102, b"bpfcap-ac"))),
          "PPPoE discovery PADO (code 0x07) from AC")
    c.add(eth(AC, MA, 0x8863, pppoe(0x19, 0, tags), pad=True),
          "PPPoE discovery PADR (code 0x19)")
    c.add(eth(MA, AC, 0x8863, pppoe(0x65, 0x003B, tags), pad=True),
          "PPPoE discovery PADS (code 0x65) session 0x003b")
    c.add(eth(AC, MA, 0x8864, pppoe(0, 0x003B, b"\xc0\x21" + bytes.fromhex(
        "0101000e010405d40506a1b2c3d4")), pad=True),
          "PPPoE session 0x003b PPP LCP configure-request (0xc021)")
    c.add(eth(AC, MA, 0x8864, pppoe(0, 0x0001, b"\x00\x21" + t4)),
          "PPPoE session 0x0001 PPP IPv4 (0x0021) TCP SYN 40000 > 80")
    c.add(eth(AC, MA, 0x8864, pppoe(0, 0x003B, b"\x00\x21" + u4)),
          "PPPoE session 0x003b PPP IPv4 UDP DNS 40001 > 53")
    c.add(eth(MA, AC, 0x8864, pppoe(0, 0x003B, b"\x00\x21" + ip4(B4, A4, tcp(80, 40000, "SA",
                                                                           seq=5, ack=2)))),
          "PPPoE session 0x003b PPP IPv4 TCP SYN+ACK 80 > 40000")
    c.add(eth(AC, MA, 0x8864, pppoe(0, 0x003B, b"\x00\x57" + t6)),
          "PPPoE session 0x003b PPP IPv6 (0x0057) TCP SYN 40002 > 443")
    c.add(eth(AC, MA, 0x8864, pppoe(0, 0xFFFF, b"\x00\x57" + i6)),
          "PPPoE session 0xffff PPP IPv6 ICMPv6 echo request")
    c.add(eth(AC, MA, 0x8864, pppoe(0, 0xFFFF, b"\x00\x21" + icmp4)),
          "PPPoE session 0xffff PPP IPv4 ICMP echo request")
    c.add(eth(AC, MA, 0x8863, pppoe(0xA7, 0x003B, b""), pad=True),
          "PPPoE discovery PADT (code 0xa7) session 0x003b")
    c.add(eth_tagged(AC, MA, [(Q, 300)], 0x8864, pppoe(0, 0x003B, b"\x00\x21" + t4)),
          "802.1Q VLAN 300 then PPPoE session 0x003b PPP IPv4 TCP SYN 40000 > 80")
    # ---- Geneve / VXLAN
    VT1, VT2 = "192.0.2.1", "192.0.2.2"
    inner_t = eth("02:00:00:00:0a:02", "02:00:00:00:0a:01", ETH_IP,
                  ip4("172.16.0.1", "172.16.0.2", tcp(40010, 80, "S", seq=1)))
    inner_u6 = eth("02:00:00:00:0a:02", "02:00:00:00:0a:01", ETH_IP6,
                   ip6("fd00::1", "fd00::2", UDP(sport=40011, dport=53) / dns_query("geneve.example")))
    inner_arp = eth(BCAST, "02:00:00:00:0a:01", ETH_ARP,
                    arp(1, "02:00:00:00:0a:01", "172.16.0.1", "00:00:00:00:00:00", "172.16.0.2"),
                    pad=True)
    c.add(eth(MB, MA, ETH_IP, ip4(VT1, VT2, UDP(sport=50000, dport=6081) / Raw(geneve(11, inner_t)))),
          "Geneve (UDP 6081) VNI 11 inner Ethernet IPv4 TCP SYN 172.16.0.1:40010 > 172.16.0.2:80")
    c.add(eth(MB, MA, ETH_IP, ip4(VT1, VT2, UDP(sport=50001, dport=6081) /
                                  Raw(geneve(11, inner_u6)))),
          "Geneve VNI 11 inner Ethernet IPv6 UDP 40011 > 53")
    opt = struct.pack("!HBB", 0x0103, 0x80, 1) + b"\xde\xad\xbe\xef"
    c.add(eth(MB, MA, ETH_IP, ip4(VT1, VT2, UDP(sport=50002, dport=6081) /
                                  Raw(geneve(12, inner_arp, opts=opt)))),
          "Geneve VNI 12 with 8 bytes of options, inner Ethernet ARP request")
    c.add(eth(MB, MA, ETH_IP, ip4(VT1, VT2, UDP(sport=50003, dport=6081) /
                                  Raw(geneve(13, ip4("172.16.0.1", "172.16.0.2",
                                                     ICMP(type=8, id=1, seq=1)),
                                             proto=0x0800)))),
          "Geneve VNI 13 protocol 0x0800 (inner IPv4 without Ethernet) ICMP echo")
    c.add(eth(MB, MA, ETH_IP6, ip6(A6, B6, UDP(sport=50004, dport=6081) /
                                   Raw(geneve(11, inner_t)))),
          "Geneve over IPv6 VNI 11 inner Ethernet IPv4 TCP SYN 40010 > 80")
    c.add(eth(MB, MA, ETH_IP, ip4(VT1, VT2, UDP(sport=50005, dport=4789) /
                                  Raw(vxlan(42, eth("02:00:00:00:0b:02", "02:00:00:00:0b:01",
                                                    ETH_IP, ip4("172.17.0.1", "172.17.0.2",
                                                                ICMP(type=8, id=2, seq=1))))))),
          "VXLAN (UDP 4789) VNI 42 inner Ethernet IPv4 ICMP echo request")
    c.add(eth(MB, MA, ETH_IP, ip4(VT1, VT2, UDP(sport=50006, dport=4789) /
                                  Raw(vxlan(43, inner_t)))),
          "VXLAN VNI 43 inner Ethernet IPv4 TCP SYN 40010 > 80")
    # ---- GRE / IP-in-IP
    c.add(eth(MB, MA, ETH_IP, ip4(VT1, VT2, GRE(proto=0x0800) / IP(src="172.16.1.1",
                                                                    dst="172.16.1.2") /
                                  ICMP(type=8, id=3, seq=1))),
          "GRE (proto 47) carrying IPv4 ICMP echo request")
    c.add(eth(MB, MA, ETH_IP, ip4(VT1, VT2, GRE(key_present=1, key=0x1234, proto=0x86DD) /
                                  Raw(ip6("fd01::1", "fd01::2", tcp(40012, 80, "S", seq=1))))),
          "GRE with key 0x1234 carrying IPv6 TCP SYN 40012 > 80")
    c.add(eth(MB, MA, ETH_IP, ip4(VT1, VT2, GRE(proto=0x6558) / Raw(inner_t))),
          "GRE transparent Ethernet bridging (0x6558) carrying Ethernet IPv4 TCP SYN")
    c.add(eth(MB, MA, ETH_IP, ip4(VT1, VT2, Raw(ip4("172.16.2.1", "172.16.2.2",
                                                    tcp(40013, 80, "S", seq=1))), proto=4)),
          "IP-in-IP (proto 4) outer 192.0.2.1 > 192.0.2.2 inner TCP SYN 40013 > 80")
    c.add(eth(MB, MA, ETH_IP, ip4(VT1, VT2, Raw(ip4("172.16.2.1", "172.16.2.2",
                                                    UDP(sport=40014, dport=53) /
                                                    dns_query("ipip.example"))), proto=4)),
          "IP-in-IP (proto 4) inner UDP 40014 > 53")
    c.add(eth(MB, MA, ETH_IP, ip4(VT1, VT2, Raw(ip6("2001:db8:6::1", "2001:db8:6::2",
                                                    tcp(40015, 80, "S", seq=1))), proto=41)),
          "6in4 (proto 41) inner IPv6 TCP SYN 40015 > 80")
    return c


# ---------------------------------------------------------------- ether-l2

def build_ether_l2():
    c = Capture("ether-l2.pcap", "EN10MB")
    Z = "00:00:00:00:00:00"
    # ---- ARP / RARP
    c.add(eth(BCAST, MA, ETH_ARP, arp(1, MA, A4, Z, B4), pad=True),
          "ARP request who-has 10.0.0.2 tell 10.0.0.1 (broadcast)")
    c.add(eth(MA, MB, ETH_ARP, arp(2, MB, B4, MA, A4), pad=True),
          "ARP reply 10.0.0.2 is-at 02:00:00:00:00:02")
    c.add(eth(BCAST, MC, ETH_ARP, arp(1, MC, "10.0.0.3", Z, "10.0.0.3"), pad=True),
          "ARP gratuitous request 10.0.0.3 (sender = target)")
    c.add(eth(BCAST, MC, ETH_ARP, arp(1, MC, "0.0.0.0", Z, "10.0.0.4"), pad=True),
          "ARP probe sender 0.0.0.0 target 10.0.0.4")
    c.add(eth(BCAST, MG, ETH_ARP, arp(1, MG, "192.168.1.1", Z, "192.168.1.100"), pad=True),
          "ARP request who-has 192.168.1.100 tell 192.168.1.1")
    c.add(eth(MG, "02:00:00:00:01:00", ETH_ARP,
              arp(2, "02:00:00:00:01:00", "192.168.1.100", MG, "192.168.1.1")),
          "ARP reply 192.168.1.100 is-at 02:00:00:00:01:00 (unpadded, 42 bytes)")
    c.add(eth(BCAST, MA, 0x8035, arp(3, MA, "0.0.0.0", MA, "0.0.0.0"), pad=True),
          "RARP (0x8035) request who-is 02:00:00:00:00:01")
    c.add(eth(MA, MG, 0x8035, arp(4, MG, G4, MA, A4), pad=True),
          "RARP reply 02:00:00:00:00:01 at 10.0.0.1")
    # ---- 802.3 / LLC
    c.add(eth8023(STP_MAC, "02:00:00:00:00:11", llc(0x42, 0x42, 3) + stp_config()),
          "802.3 LLC (42 42 03) STP configuration BPDU")
    c.add(eth8023(STP_MAC, "02:00:00:00:00:11", llc(0x42, 0x42, 3) + rstp_bpdu()),
          "802.3 LLC STP RSTP BPDU (version 2)")
    c.add(eth8023(STP_MAC, "02:00:00:00:00:12", llc(0x42, 0x42, 3) + b"\x00\x00\x00\x80"),
          "802.3 LLC STP topology change notification BPDU")
    c.add(eth8023(BCAST, MA, snap("000000", 0x0800) +
                  ip4(A4, B4, UDP(sport=40000, dport=53) / dns_query("snap.example"))),
          "802.3 LLC SNAP (AA AA 03) OUI 000000 type 0x0800 IPv4 UDP 40000 > 53")
    c.add(eth8023(BCAST, MA, snap("000000", 0x0806) + arp(1, MA, A4, Z, B4)),
          "802.3 LLC SNAP OUI 000000 type 0x0806 ARP request")
    c.add(eth8023("09:00:07:ff:ff:ff", "08:00:07:00:00:11", snap("080007", 0x809B) + NBP_LOOKUP),
          "802.3 SNAP OUI 080007 type 0x809b AppleTalk DDP NBP lookup")
    c.add(eth8023("08:00:07:00:00:22", "08:00:07:00:00:11", snap("080007", 0x809B) + AEP_ECHO),
          "802.3 SNAP OUI 080007 type 0x809b AppleTalk DDP AEP echo")
    c.add(eth8023("09:00:07:ff:ff:ff", "08:00:07:00:00:11", snap("000000", 0x80F3) +
                  aarp(1, "08:00:07:00:00:11", b"\x00\xff\x01\x11", Z, b"\x00\xff\x01\x22")),
          "802.3 SNAP OUI 000000 type 0x80f3 AARP request")
    c.add(eth8023("01:00:0c:cc:cc:cc", "02:00:00:00:00:0c", snap("00000c", 0x2000) + cdp()),
          "802.3 SNAP OUI 00000c type 0x2000 CDP")
    c.add(eth8023(BCAST, MA, snap("000000", 0x8137) + IPX_RIP_REQ),
          "802.3 SNAP OUI 000000 type 0x8137 IPX RIP request")
    c.add(eth8023(BCAST, MA, llc(0xE0, 0xE0, 3) + IPX_SAP_QUERY),
          "802.3 LLC IPX (SAP e0 e0 03) IPX SAP general query")
    c.add(eth8023(BCAST, MA, IPX_SAP_QUERY),
          "Novell raw 802.3 (payload starts ffff) IPX SAP general query")
    c.add(eth(BCAST, MA, 0x8137, IPX_RIP_REQ, pad=True),
          "Ethernet II 0x8137 IPX RIP request")
    c.add(eth8023("03:00:00:00:00:01", MA, llc(0xF0, 0xF0, 3) + NETBEUI_NAMEQ),
          "802.3 LLC NetBEUI (SAP f0 f0 UI) NetBIOS name query")
    c.add(eth8023(MB, MA, llc(0xF0, 0xF0, b"\x02\x04") + b"\x0e\x00\xff\xef\x14\x00\x00\x00\x00\x00\x05\x00\x01\x02"),
          "802.3 LLC NetBEUI I-frame (control 02 04: N(S)=1 N(R)=2)")
    c.add(eth8023("09:00:2b:00:00:05", MA, llc(0xFE, 0xFE, 3) + clnp_dt()),
          "802.3 LLC ISO (SAP fe fe 03) CLNP data PDU (NLPID 0x81)")
    c.add(eth8023("09:00:2b:00:00:04", MA, llc(0xFE, 0xFE, 3) + esis_esh()),
          "802.3 LLC ISO ES-IS end system hello (NLPID 0x82)")
    c.add(eth8023("01:80:c2:00:00:14", "02:00:00:00:00:20", llc(0xFE, 0xFE, 3) + isis_l1_iih()),
          "802.3 LLC ISO IS-IS L1 LAN hello (NLPID 0x83)")
    # LLC control-field variants (SNA SAP 04 / NetBIOS SAP f0)
    c.add(eth8023(MB, MA, llc(0x04, 0x04, b"\x00\x00") + b"i-frame"),
          "802.3 LLC I-frame SAP 04 (control 00 00: N(S)=0 N(R)=0)")
    c.add(eth8023(MB, MA, llc(0x04, 0x05, b"\x01\x05")),
          "802.3 LLC S-frame RR response, N(R)=2 F=1 (control 01 05)")
    c.add(eth8023(MB, MA, llc(0x04, 0x04, b"\x05\x04")),
          "802.3 LLC S-frame RNR command N(R)=2 (control 05 04)")
    c.add(eth8023(MB, MA, llc(0x04, 0x04, b"\x09\x04")),
          "802.3 LLC S-frame REJ command N(R)=2 (control 09 04)")
    c.add(eth8023(MB, MA, llc(0x04, 0x04, 0x03) + b"ui-data"),
          "802.3 LLC U-frame UI (control 03) SAP 04")
    c.add(eth8023(MB, MA, llc(0x00, 0x00, 0xAF) + b"\x81\x01\x00"),
          "802.3 LLC U-frame XID command to null SAP (control af)")
    c.add(eth8023(MA, MB, llc(0x00, 0x01, 0xBF) + b"\x81\x01\x00"),
          "802.3 LLC U-frame XID response with F bit (control bf, SSAP 01)")
    c.add(eth8023(MB, MA, llc(0x00, 0x00, 0xE3) + b"test-data"),
          "802.3 LLC U-frame TEST command (control e3)")
    c.add(eth8023(MA, MB, llc(0x00, 0x01, 0xF3) + b"test-data"),
          "802.3 LLC U-frame TEST response with F bit (control f3)")
    c.add(eth8023(MB, MA, llc(0x04, 0x04, 0x7F)),
          "802.3 LLC U-frame SABME with P bit (control 7f)")
    c.add(eth8023(MA, MB, llc(0x04, 0x05, 0x73)),
          "802.3 LLC U-frame UA with F bit (control 73)")
    c.add(eth8023(MB, MA, llc(0x04, 0x04, 0x43)),
          "802.3 LLC U-frame DISC (control 43)")
    c.add(eth8023(MA, MB, llc(0x04, 0x05, 0x1F)),
          "802.3 LLC U-frame DM with F bit (control 1f)")
    c.add(eth8023(MA, MB, llc(0x04, 0x05, 0x87) + b"\x03\x00\x00\x00\x01"),
          "802.3 LLC U-frame FRMR (control 87)")
    c.add(eth8023(MB, MA, llc(0x06, 0x06, 0x03) + ip4(A4, B4, UDP(sport=40001, dport=9))),
          "802.3 LLC SAP 06 (IP) UI carrying IPv4 UDP")
    # length field edge cases
    c.add(eth8023(MB, MA, llc(0x04, 0x04, 0x03) + b"len1500", length=1500),
          "802.3 length field 1500 (0x05dc, max length) but short LLC UI payload")
    c.add(eth8023(MB, MA, b"\x04\x04\x03" + b"len1501", length=1501),
          "type/length field 0x05dd (1501): neither valid length nor EtherType")
    c.add(eth(MB, MA, 0x0600, b"\x00" * 30, pad=True),
          "EtherType 0x0600 (XNS IDP, smallest EtherType)")
    # ---- other EtherTypes
    c.add(eth("09:00:07:ff:ff:ff", "08:00:07:00:00:11", 0x809B, NBP_LOOKUP, pad=True),
          "Ethernet II 0x809b AppleTalk DDP NBP lookup")
    c.add(eth("09:00:07:ff:ff:ff", "08:00:07:00:00:11", 0x80F3,
              aarp(1, "08:00:07:00:00:11", b"\x00\xff\x01\x11", Z, b"\x00\xff\x01\x22"),
              pad=True),
          "Ethernet II 0x80f3 AARP request")
    c.add(eth("ab:00:00:04:00:00", "aa:00:04:00:01:04", 0x6003, decnet_endnode_hello(), pad=True),
          "Ethernet II 0x6003 DECnet Phase IV endnode hello")
    c.add(eth("09:00:2b:00:00:0f", "aa:00:04:00:01:04", 0x6004, lat_frame(), pad=True),
          "Ethernet II 0x6004 LAT")
    c.add(eth("ab:00:00:01:00:00", "aa:00:04:00:01:04", 0x6001, mop_dl_req(), pad=True),
          "Ethernet II 0x6001 MOP dump/load request program")
    c.add(eth("ab:00:00:02:00:00", "aa:00:04:00:01:04", 0x6002, mop_sysid(), pad=True),
          "Ethernet II 0x6002 MOP remote console system ID")
    c.add(eth("ab:00:00:07:00:00", "aa:00:04:00:01:04", 0x6007, b"\x00" * 8, pad=True),
          "Ethernet II 0x6007 DEC SCA")
    c.add(eth("01:80:c2:00:00:0e", MA, 0x88CC, lldp(), pad=True),
          "Ethernet II 0x88cc LLDP (chassis, port eth0, TTL 120, system name)")
    c.add(eth("01:80:c2:00:00:03", MA, 0x888E, b"\x01\x01\x00\x00", pad=True),
          "Ethernet II 0x888e EAPOL start")
    c.add(eth(BCAST, MA, 0x0842, b"\xff" * 6 + mac(MB) * 16),
          "Ethernet II 0x0842 Wake-on-LAN magic packet for 02:00:00:00:00:02")
    c.add(eth(MA, MA, 0x9000, b"\x00\x00\x01\x00\x2a\x00", pad=True),
          "Ethernet II 0x9000 loopback (CTP) reply")
    c.add(eth("01:00:0c:cc:cc:cd", MA, 0x1234, b"\x00" * 10, pad=True),
          "Ethernet II unknown EtherType 0x1234 to multicast MAC")
    return c


# ---------------------------------------------------------------- ether-short

def build_ether_short():
    c = Capture("ether-short.pcap", "EN10MB")
    syn = eth(MB, MA, ETH_IP, ip4(A4, B4, tcp(40000, 80, "S", seq=1,
                                               options=[("MSS", 1460), ("SAckOK", b""),
                                                        ("Timestamp", (1, 0)),
                                                        ("NOP", None), ("WScale", 7)])))
    arpf = eth(BCAST, MA, ETH_ARP, arp(1, MA, A4, "00:00:00:00:00:00", B4), pad=True)
    for n in (0, 1, 10, 13):
        c.add(arpf, "ARP request frame captured %d of 60 bytes" % n, cut=n)
    c.add(eth(MB, MA, ETH_IP), "Ethernet header only (14 bytes, type 0x0800), not truncated")
    c.add(syn, "IPv4 TCP SYN captured 14 of 74 bytes (Ethernet header only)", cut=14)
    c.add(syn, "IPv4 TCP SYN captured 20 of 74 bytes (6 bytes of IP header)", cut=20)
    c.add(syn, "IPv4 TCP SYN captured 33 of 74 bytes (IP header 1 byte short)", cut=33)
    c.add(syn, "IPv4 TCP SYN 40000 > 80 captured 34 of 74 (cut right after IP header)", cut=34)
    c.add(syn, "IPv4 TCP SYN 40000 > 80 captured 36 of 74 (source port only)", cut=36)
    c.add(syn, "IPv4 TCP SYN 40000 > 80 captured 38 of 74 (ports only)", cut=38)
    c.add(syn, "IPv4 TCP SYN 40000 > 80 captured 47 of 74 (flags byte missing)", cut=47)
    c.add(syn, "IPv4 TCP SYN 40000 > 80 captured 48 of 74 (flags byte present)", cut=48)
    c.add(syn, "IPv4 TCP SYN 40000 > 80 captured 54 of 74 (options cut)", cut=54)
    dnsf = eth(MG, MA, ETH_IP, ip4(A4, DNS4, UDP(sport=53000, dport=53) / dns_query("example.com")))
    c.add(dnsf, "IPv4 UDP DNS 53000 > 53 captured 38 of %d (UDP ports only)" % len(dnsf), cut=38)
    c.add(dnsf, "IPv4 UDP DNS 53000 > 53 captured 42 of %d (UDP header, no payload)" % len(dnsf),
          cut=42)
    syn6 = eth(MB, MA, ETH_IP6, ip6(A6, B6, tcp(40001, 80, "S", seq=1)))
    c.add(syn6, "IPv6 TCP SYN captured 34 of 74 (middle of IPv6 fixed header, before addresses end)",
          cut=34)
    c.add(syn6, "IPv6 TCP SYN captured 53 of 74 (destination address 1 byte short)", cut=53)
    c.add(syn6, "IPv6 TCP SYN 40001 > 80 captured 54 of 74 (cut after IPv6 header)", cut=54)
    c.add(syn6, "IPv6 TCP SYN 40001 > 80 captured 58 of 74 (ports only)", cut=58)
    hbh = eth(MB, MA, ETH_IP6, ip6(A6, B6, IPv6ExtHdrHopByHop(options=[RouterAlert(value=0)]) /
                                   UDP(sport=40002, dport=53) / Raw(b"x" * 8)))
    c.add(hbh, "IPv6 hop-by-hop + UDP captured 55 of %d (cut inside hop-by-hop header)" % len(hbh),
          cut=55)
    chain = eth(MB, MA, ETH_IP6, ip6(A6, B6, IPv6ExtHdrHopByHop(options=[PadN(optdata=b"\0" * 4)]) /
                                     IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\0" * 12)]) /
                                     tcp(40003, 80, "S", seq=1)))
    c.add(chain, "IPv6 hop-by-hop + dest options (16 bytes) + TCP captured 66 of %d (cut inside 2nd ext header)"
          % len(chain), cut=66)
    fr6 = eth(MB, MA, ETH_IP6, v6frag(A6, B6, 17, l4v6(A6, B6, UDP(sport=40004, dport=53) /
                                                      Raw(b"y" * 24)), 0, 1, 0x99))
    c.add(fr6, "IPv6 fragment header + UDP captured 58 of %d (cut inside fragment header)" % len(fr6),
          cut=58)
    vl = eth_tagged(MB, MA, [(0x8100, 100)], ETH_IP, ip4(A4, B4, tcp(40005, 80, "S", seq=1)))
    c.add(vl, "802.1Q VLAN 100 IPv4 TCP captured 16 of 58 (TCI only, no inner type)", cut=16)
    c.add(vl, "802.1Q VLAN 100 IPv4 TCP captured 18 of 58 (tag complete, no IP)", cut=18)
    ml = eth(MB, MA, 0x8847, mpls([(16, 0, 64)], ip4(A4, B4, tcp(40006, 80, "S", seq=1))))
    c.add(ml, "MPLS label 16 IPv4 TCP captured 16 of 58 (half a label)", cut=16)
    c.add(ml, "MPLS label 16 IPv4 TCP captured 18 of 58 (label only)", cut=18)
    pp = eth(MB, MA, 0x8864, pppoe(0, 0x3B, b"\x00\x21" + ip4(A4, B4, tcp(40007, 80, "S", seq=1))))
    c.add(pp, "PPPoE session 0x003b IPv4 TCP captured 19 of %d (session id cut)" % len(pp), cut=19)
    c.add(eth8023(STP_MAC, "02:00:00:00:00:11", llc(0x42, 0x42, 3) + stp_config()),
          "802.3 STP BPDU captured 15 of 60 (DSAP only)", cut=15)
    # over-long and snaplen-style truncation
    big = eth(MB, MA, ETH_IP, ip4(A4, B4, tcp(40008, 80, "A", seq=1, ack=1,
                                               data=bytes(range(256)) * 5 + bytes(180))))
    assert len(big) == 1514
    c.add(big, "IPv4 TCP ACK 40008 > 80 full-size 1514-byte frame (1460 bytes payload)")
    bigv = eth_tagged(MB, MA, [(0x8100, 100)], ETH_IP, ip4(A4, B4, tcp(40009, 80, "PA", seq=1,
                                                                         ack=1, data=b"v" * 1460)))
    c.add(bigv, "802.1Q VLAN 100 IPv4 TCP 1518-byte frame (1460 bytes payload)")
    jumbo = eth(MB, MA, ETH_IP, ip4(A4, B4, tcp(40010, 80, "A", seq=1, ack=1, data=b"j" * 8960)))
    c.add(jumbo, "IPv4 TCP jumbo frame 9014 bytes captured 96 (snaplen-style truncation)", cut=96)
    c.add(eth(MB, MA, ETH_IP6, ip6(A6, B6, UDP(sport=40011, dport=9) / Raw(b"z" * 2000))),
          "IPv6 UDP 40011 > 9 2062-byte frame (over MTU) captured 80 bytes", cut=80)
    # malformed headers
    bad = bytearray(ip4(A4, B4, tcp(40012, 80, "S", seq=1)))
    bad[0] = 0x44
    c.add(eth(MB, MA, ETH_IP, bytes(bad)), "IPv4 bogus IHL=4 (version 4) carrying TCP SYN 40012 > 80")
    bad[0] = 0x40
    c.add(eth(MB, MA, ETH_IP, bytes(bad)), "IPv4 bogus IHL=0 carrying TCP SYN 40012 > 80")
    bad[0] = 0x4F
    c.add(eth(MB, MA, ETH_IP, bytes(bad)),
          "IPv4 IHL=15 but only 20 header bytes + TCP (header runs into TCP)")
    c.add(eth(MB, MA, ETH_IP, ip6(A6, B6, tcp(40013, 80, "S", seq=1))),
          "IPv6 packet (version 6) in EtherType 0x0800 frame, TCP SYN 40013 > 80")
    c.add(eth(MB, MA, ETH_IP6, ip4(A4, B4, tcp(40014, 80, "S", seq=1))),
          "IPv4 packet (version 4) in EtherType 0x86dd frame, TCP SYN 40014 > 80")
    bad = bytearray(ip4(A4, B4, UDP(sport=40015, dport=53) / Raw(b"q" * 4)))
    bad[0] = 0x55
    c.add(eth(MB, MA, ETH_IP, bytes(bad), pad=True),
          "IP version 5 (IHL 5) in EtherType 0x0800 carrying UDP 40015 > 53")
    c.add(eth(MB, MA, ETH_IP, ip4(A4, B4, tcp(40016, 80, "S", seq=1), len=1000)),
          "IPv4 total length 1000 but only 40 bytes present (TCP SYN 40016 > 80)")
    c.add(eth(MB, MA, ETH_IP, ip4(A4, B4, tcp(40017, 80, "S", seq=1), len=10)),
          "IPv4 total length 10 (< header length) TCP SYN 40017 > 80")
    c.add(eth(MB, MA, ETH_IP, ip4(A4, B4, b"", proto=6), pad=True),
          "IPv4 proto TCP with no TCP header (total length 20), padded")
    c.add(eth(MB, MA, ETH_IP, ip4(A4, B4, tcp(40018, 80, "S", seq=1, dataofs=2)), pad=True),
          "IPv4 TCP SYN 40018 > 80 with bogus data offset 2")
    c.add(eth(MB, MA, ETH_IP, ip4(A4, B4, tcp(40019, 80, "PA", seq=1, dataofs=15,
                                               data=b"GET / HTTP/1.0\r\n"))),
          "IPv4 TCP 40019 > 80 data offset 15 (60 bytes) but only 36 bytes of TCP")
    c.add(eth(MB, MA, ETH_IP, ip4(A4, B4, UDP(sport=40020, dport=53, len=400) / Raw(b"u" * 4))),
          "IPv4 UDP 40020 > 53 with UDP length 400 but 12 bytes present")
    c.add(eth(MB, MA, ETH_IP, ip4(A4, B4, tcp(40021, 80, "A", seq=1, ack=1)) + b"\xaa" * 6),
          "IPv4 TCP ACK 40021 > 80 with 6 bytes of non-zero Ethernet trailer")
    return c


# ---------------------------------------------------------------- demo

def build_demo():
    c = Capture("demo.pcap", "EN10MB")
    H, R, W = "192.168.1.10", "192.168.1.1", "93.184.216.34"
    HM, RM = "02:00:00:00:10:10", "02:00:00:00:10:01"
    Z = "00:00:00:00:00:00"
    c.add(eth(BCAST, HM, ETH_ARP, arp(1, HM, H, Z, R), pad=True),
          "ARP request who-has 192.168.1.1 tell 192.168.1.10")
    c.add(eth(HM, RM, ETH_ARP, arp(2, RM, R, HM, H), pad=True),
          "ARP reply 192.168.1.1 is-at 02:00:00:00:10:01")
    c.add(eth(RM, HM, ETH_IP, ip4(H, R, UDP(sport=51000, dport=53) / dns_query("example.com",
                                                                            ident=0xBEEF))),
          "DNS query A example.com 192.168.1.10:51000 > 192.168.1.1:53")
    c.add(eth(HM, RM, ETH_IP, ip4(R, H, UDP(sport=53, dport=51000) /
                                  dns_answer("example.com", W, ident=0xBEEF))),
          "DNS answer example.com A 93.184.216.34")
    req = http_get("example.com")
    c.add(eth(RM, HM, ETH_IP, ip4(H, W, tcp(51001, 80, "S", seq=1000, options=SYN_OPTS))),
          "TCP SYN 192.168.1.10:51001 > 93.184.216.34:80")
    c.add(eth(HM, RM, ETH_IP, ip4(W, H, tcp(80, 51001, "SA", seq=5000, ack=1001,
                                            options=SYNACK_OPTS), ttl=52)),
          "TCP SYN+ACK 80 > 51001")
    c.add(eth(RM, HM, ETH_IP, ip4(H, W, tcp(51001, 80, "A", seq=1001, ack=5001))),
          "TCP ACK 51001 > 80")
    c.add(eth(RM, HM, ETH_IP, ip4(H, W, tcp(51001, 80, "PA", seq=1001, ack=5001, data=req))),
          "TCP PSH+ACK 51001 > 80 HTTP GET /")
    c.add(eth(HM, RM, ETH_IP, ip4(W, H, tcp(80, 51001, "A", seq=5001, ack=1001 + len(req)),
                                  ttl=52), pad=True),
          "TCP ACK 80 > 51001")
    c.add(eth(HM, RM, ETH_IP, ip4(W, H, tcp(80, 51001, "PA", seq=5001, ack=1001 + len(req),
                                            data=HTTP_OK), ttl=52)),
          "TCP PSH+ACK 80 > 51001 HTTP/1.1 200 OK")
    c.add(eth(RM, HM, ETH_IP, ip4(H, W, tcp(51001, 80, "A", seq=1001 + len(req),
                                            ack=5001 + len(HTTP_OK)))),
          "TCP ACK 51001 > 80")
    c.add(eth(RM, HM, ETH_IP, ip4(H, W, tcp(51001, 80, "FA", seq=1001 + len(req),
                                            ack=5001 + len(HTTP_OK)))),
          "TCP FIN+ACK 51001 > 80")
    c.add(eth(HM, RM, ETH_IP, ip4(W, H, tcp(80, 51001, "FA", seq=5001 + len(HTTP_OK),
                                            ack=1002 + len(req)), ttl=52), pad=True),
          "TCP FIN+ACK 80 > 51001")
    c.add(eth(RM, HM, ETH_IP, ip4(H, W, tcp(51001, 80, "A", seq=1002 + len(req),
                                            ack=5002 + len(HTTP_OK)))),
          "TCP ACK 51001 > 80")
    for s in (1, 2):
        c.add(eth(RM, HM, ETH_IP, ip4(H, R, ICMP(type=8, id=0x4242, seq=s) / Raw(b"bpfcap!!" * 7))),
              "ICMP echo request 192.168.1.10 > 192.168.1.1 seq %d" % s)
        c.add(eth(HM, RM, ETH_IP, ip4(R, H, ICMP(type=0, id=0x4242, seq=s) / Raw(b"bpfcap!!" * 7))),
              "ICMP echo reply 192.168.1.1 > 192.168.1.10 seq %d" % s)
    c.add(eth(RM, HM, ETH_IP6, ip6("2001:db8:1::10", "2001:db8::1",
                                   ICMPv6EchoRequest(id=0x66, seq=1, data=b"hello6"))),
          "IPv6 ICMPv6 echo request 2001:db8:1::10 > 2001:db8::1")
    c.add(eth(HM, RM, ETH_IP6, ip6("2001:db8::1", "2001:db8:1::10",
                                   ICMPv6EchoReply(id=0x66, seq=1, data=b"hello6"))),
          "IPv6 ICMPv6 echo reply 2001:db8::1 > 2001:db8:1::10")
    c.add(eth(RM, HM, ETH_IP6, ip6("2001:db8:1::10", "2001:db8::80",
                                   tcp(51002, 443, "S", seq=1, options=[("MSS", 1440)]))),
          "IPv6 TCP SYN [2001:db8:1::10]:51002 > [2001:db8::80]:443")
    return c


# ---------------------------------------------------------------- cooked / raw

def l3_mix():
    """(kind, ethertype, bytes, description) used by the non-Ethernet files."""
    req = http_get()
    v = []
    v.append(("4", ETH_IP, ip4(A4, B4, tcp(40000, 80, "S", seq=1000, options=SYN_OPTS)),
              "IPv4 TCP SYN 10.0.0.1:40000 > 10.0.0.2:80"))
    v.append(("4", ETH_IP, ip4(B4, A4, tcp(80, 40000, "SA", seq=5000, ack=1001)),
              "IPv4 TCP SYN+ACK 80 > 40000"))
    v.append(("4", ETH_IP, ip4(A4, B4, tcp(40000, 80, "PA", seq=1001, ack=5001, data=req)),
              "IPv4 TCP PSH+ACK 40000 > 80 'GET /'"))
    v.append(("4", ETH_IP, ip4(A4, B4, tcp(40001, 22, "R", seq=1)), "IPv4 TCP RST 40001 > 22"))
    v.append(("4", ETH_IP, ip4(A4, DNS4, UDP(sport=53000, dport=53) / dns_query("example.com")),
              "IPv4 UDP DNS query 53000 > 53"))
    v.append(("4", ETH_IP, ip4(DNS4, A4, UDP(sport=53, dport=53000) /
                              dns_answer("example.com", "93.184.216.34")),
              "IPv4 UDP DNS answer 53 > 53000"))
    v.append(("4", ETH_IP, ip4(A4, B4, ICMP(type=8, id=1, seq=1) / Raw(b"ping")),
              "IPv4 ICMP echo request"))
    v.append(("4", ETH_IP, ip4(B4, A4, ICMP(type=0, id=1, seq=1) / Raw(b"ping")),
              "IPv4 ICMP echo reply"))
    udpb = l4v4(A4, B4, UDP(sport=40002, dport=5000) / Raw(b"\x13\x88\x13\x88" * 10))
    fr = v4frags(A4, B4, 17, udpb, [24], 0x77)
    v.append(("4", ETH_IP, fr[0], "IPv4 fragment 1/2 (offset 0, MF) UDP 40002 > 5000"))
    v.append(("4", ETH_IP, fr[1],
              "IPv4 fragment 2/2 (offset 24) of UDP; payload looks like ports 5000>5000"))
    v.append(("4", ETH_IP, ip4(A4, B4, UDP(sport=40003, dport=123) / Raw(ntp(3)),
                              options=[IPOption(b"\x94\x04\x00\x00")]),
              "IPv4 IHL=6 (router alert) UDP 40003 > 123"))
    v.append(("4", ETH_IP, ip4(A4, "224.0.0.251", UDP(sport=5353, dport=5353) /
                              DNS(id=0, qd=DNSQR(qname="_http._tcp.local", qtype="PTR")), ttl=255),
              "IPv4 UDP mDNS to 224.0.0.251"))
    v.append(("6", ETH_IP6, ip6(A6, B6, tcp(40010, 80, "S", seq=1)),
              "IPv6 TCP SYN [2001:db8::1]:40010 > [2001:db8::2]:80"))
    v.append(("6", ETH_IP6, ip6(B6, A6, tcp(80, 40010, "SA", seq=9, ack=2)),
              "IPv6 TCP SYN+ACK 80 > 40010"))
    v.append(("6", ETH_IP6, ip6(A6, DNS6, UDP(sport=53001, dport=53) / dns_query("example.com", "AAAA")),
              "IPv6 UDP DNS query 53001 > 53"))
    v.append(("6", ETH_IP6, ip6(A6, B6, ICMPv6EchoRequest(id=2, seq=1)), "IPv6 ICMPv6 echo request"))
    v.append(("6", ETH_IP6, ip6(B6, A6, ICMPv6EchoReply(id=2, seq=1)), "IPv6 ICMPv6 echo reply"))
    v.append(("6", ETH_IP6, ip6(LLA, "ff02::1:ff00:2", ICMPv6ND_NS(tgt=LLB) /
                                ICMPv6NDOptSrcLLAddr(lladdr=MA), hlim=255),
              "IPv6 ICMPv6 neighbor solicitation for fe80::2"))
    v.append(("6", ETH_IP6, ip6(A6, B6, IPv6ExtHdrHopByHop(options=[RouterAlert(value=0)]) /
                                UDP(sport=40011, dport=53) / dns_query("hbh.example")),
              "IPv6 hop-by-hop then UDP 40011 > 53"))
    v.append(("6", ETH_IP6, ip6(A6, B6, IPv6ExtHdrRouting(addresses=["2001:db8::99"]) /
                                tcp(40012, 80, "S", seq=1)),
              "IPv6 routing header then TCP SYN 40012 > 80"))
    v.append(("6", ETH_IP6, ip6(A6, B6, IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\0" * 4)]) /
                                tcp(40013, 443, "S", seq=1)),
              "IPv6 destination options then TCP SYN 40013 > 443"))
    tcpb = l4v6(A6, B6, tcp(40014, 80, "PA", seq=1, ack=1, data=b"\x00\x50\x00\x50" * 20))
    v.append(("6", ETH_IP6, v6frag(A6, B6, 6, tcpb[:56], 0, 1, 0x88),
              "IPv6 fragment header first fragment (offset 0, M) TCP 40014 > 80"))
    v.append(("6", ETH_IP6, v6frag(A6, B6, 6, tcpb[56:], 56, 0, 0x88),
              "IPv6 fragment header non-first fragment (offset 56); payload looks like 80>80"))
    v.append(("6", ETH_IP6, ip6(A6, B6, b"", nh=59), "IPv6 no next header (59)"))
    return v


def build_raw_family():
    mix = l3_mix()
    raw = Capture("raw.pcap", "RAW")
    v4 = Capture("ipv4.pcap", "IPV4")
    v6 = Capture("ipv6.pcap", "IPV6")
    for kind, _, pkt, desc in mix:
        raw.add(pkt, desc)
        (v4 if kind == "4" else v6).add(pkt, desc)
    raw.add(ip4(A4, B4, tcp(40020, 8080, 0xFF, seq=1)), "IPv4 TCP all 8 flags 40020 > 8080")
    raw.add(ip6(A6, B6, tcp(40021, 8080, 0, seq=1)), "IPv6 TCP no flags 40021 > 8080")
    raw.add(ip4(A4, B4, tcp(40022, 80, "S", seq=1)), "IPv4 TCP SYN captured 30 of 40", cut=30)
    v4.add(ip4(A4, B4, Raw(igmp(0x16, "224.0.0.251")), proto=2, ttl=1),
           "IPv4 IGMPv2 report 224.0.0.251")
    v4.add(ip4(A4, B4, Raw(ah_hdr(6, 0x1000, 1) + l4v4(A4, B4, tcp(40023, 80, "S", seq=1))),
               proto=51), "IPv4 AH then TCP SYN 40023 > 80")
    v6.add(ip6(A6, B6, Raw(ah_hdr(6, 0x3000, 1) + l4v6(A6, B6, tcp(40024, 80, "S", seq=1))),
               nh=51), "IPv6 AH then TCP SYN 40024 > 80")
    v6.add(ip6(A6, B6, IPv6ExtHdrHopByHop(options=[PadN(optdata=b"\0" * 4)]) /
               IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\0" * 4)]) /
               IPv6ExtHdrRouting(addresses=["2001:db8::99"]) /
               UDP(sport=40025, dport=5000) / Raw(b"chain")),
           "IPv6 chain hop-by-hop, dest options, routing, then UDP 40025 > 5000")
    return [raw, v4, v6]


def build_null_loop():
    caps = []
    items = [
        (2, ip4(A4, B4, tcp(40000, 80, "S", seq=1)), "AF_INET(2) IPv4 TCP SYN 40000 > 80"),
        (2, ip4(B4, A4, tcp(80, 40000, "SA", seq=5, ack=2)), "AF_INET(2) IPv4 TCP SYN+ACK 80 > 40000"),
        (2, ip4("127.0.0.1", "127.0.0.1", UDP(sport=53000, dport=53) / dns_query("example.com")),
         "AF_INET(2) IPv4 UDP DNS 127.0.0.1:53000 > 127.0.0.1:53"),
        (2, ip4("127.0.0.1", "127.0.0.1", ICMP(type=8, id=1, seq=1)), "AF_INET(2) IPv4 ICMP echo request"),
        (2, v4frags(A4, B4, 17, l4v4(A4, B4, UDP(sport=40001, dport=53) / Raw(b"f" * 32)),
                    [16], 0x55)[1], "AF_INET(2) IPv4 non-first fragment (offset 16) of UDP"),
        (10, ip6("::1", "::1", tcp(40002, 80, "S", seq=1)),
         "AF_INET6 Linux(10) IPv6 TCP SYN [::1]:40002 > [::1]:80"),
        (24, ip6(A6, B6, UDP(sport=40003, dport=53) / dns_query("example.com", "AAAA")),
         "AF_INET6 NetBSD/OpenBSD(24) IPv6 UDP 40003 > 53"),
        (28, ip6(A6, B6, ICMPv6EchoRequest(id=3, seq=1)), "AF_INET6 FreeBSD(28) IPv6 ICMPv6 echo request"),
        (30, ip6(A6, B6, tcp(40004, 443, "S", seq=1)), "AF_INET6 Darwin(30) IPv6 TCP SYN 40004 > 443"),
        (30, ip6(B6, A6, ICMPv6EchoReply(id=3, seq=1)), "AF_INET6 Darwin(30) IPv6 ICMPv6 echo reply"),
        (24, ip6(A6, B6, IPv6ExtHdrHopByHop(options=[RouterAlert(value=0)]) /
                 UDP(sport=40005, dport=123) / Raw(ntp(3))),
         "AF_INET6 BSD(24) IPv6 hop-by-hop then UDP 40005 > 123"),
        (7, clnp_dt(), "AF_ISO(7) OSI CLNP data PDU"),
    ]
    for name, lt, fmt in (("null.pcap", "NULL", "<I"), ("loop.pcap", "LOOP", "!I")):
        c = Capture(name, lt)
        for af, pkt, desc in items:
            c.add(struct.pack(fmt, af) + pkt, desc)
        caps.append(c)
    return caps


def sll_hdr(pkttype, hatype, addr, proto):
    a = mac(addr) if addr else b""
    return struct.pack("!HHH8sH", pkttype, hatype, len(a), a.ljust(8, b"\0"), proto)


def sll2_hdr(proto, ifindex, hatype, pkttype, addr):
    a = mac(addr) if addr else b""
    return struct.pack("!HHIHBB8s", proto, 0, ifindex, hatype, pkttype, len(a), a.ljust(8, b"\0"))


PKTTYPE = {0: "host", 1: "broadcast", 2: "multicast", 3: "otherhost", 4: "outgoing"}


def cooked_items():
    """(pkttype, hatype, addr, protocol, payload, description, ifindex)"""
    req = http_get()
    Z6 = "00:00:00:00:00:00"
    it = [
        (4, 1, MA, ETH_IP, ip4(A4, B4, tcp(40000, 80, "S", seq=1000, options=SYN_OPTS)),
         "IPv4 TCP SYN 40000 > 80", 2),
        (0, 1, MB, ETH_IP, ip4(B4, A4, tcp(80, 40000, "SA", seq=5000, ack=1001)),
         "IPv4 TCP SYN+ACK 80 > 40000", 2),
        (4, 1, MA, ETH_IP, ip4(A4, B4, tcp(40000, 80, "A", seq=1001, ack=5001)),
         "IPv4 TCP ACK 40000 > 80", 2),
        (4, 1, MA, ETH_IP, ip4(A4, B4, tcp(40000, 80, "PA", seq=1001, ack=5001, data=req)),
         "IPv4 TCP PSH+ACK 40000 > 80 'GET /'", 2),
        (0, 1, MB, ETH_IP, ip4(B4, A4, tcp(80, 40000, "PA", seq=5001, ack=1001 + len(req),
                                          data=HTTP_OK)),
         "IPv4 TCP PSH+ACK 80 > 40000 'HTTP/1.1 200 OK'", 2),
        (4, 1, MA, ETH_IP, ip4(A4, DNS4, UDP(sport=53000, dport=53) / dns_query("example.com")),
         "IPv4 UDP DNS query 53000 > 53", 2),
        (0, 1, MG, ETH_IP, ip4(DNS4, A4, UDP(sport=53, dport=53000) /
                               dns_answer("example.com", "93.184.216.34")),
         "IPv4 UDP DNS answer 53 > 53000", 2),
        (4, 1, MA, ETH_IP, ip4(A4, B4, ICMP(type=8, id=1, seq=1) / Raw(b"ping")),
         "IPv4 ICMP echo request", 2),
        (0, 1, MB, ETH_IP, ip4(B4, A4, ICMP(type=0, id=1, seq=1) / Raw(b"ping")),
         "IPv4 ICMP echo reply", 2),
        (1, 1, MB, ETH_ARP, arp(1, MB, B4, Z6, A4), "ARP request who-has 10.0.0.1 tell 10.0.0.2", 2),
        (4, 1, MA, ETH_ARP, arp(2, MA, A4, MB, B4), "ARP reply 10.0.0.1 is-at 02:00:00:00:00:01", 2),
        (1, 1, "02:00:00:00:01:01", ETH_IP,
         ip4("192.168.1.1", "255.255.255.255", UDP(sport=67, dport=68) /
             dhcp("offer", 0x12345678, MA, yiaddr="192.168.1.100", siaddr="192.168.1.1", op=2)),
         "IPv4 UDP DHCP offer 67 > 255.255.255.255:68", 3),
        (2, 1, MC, ETH_IP, ip4(C4, "224.0.0.251", UDP(sport=5353, dport=5353) /
                               DNS(id=0, qd=DNSQR(qname="_http._tcp.local", qtype="PTR")), ttl=255),
         "IPv4 UDP mDNS 10.0.0.3 > 224.0.0.251", 3),
        (3, 1, MC, ETH_IP, ip4(C4, "10.0.0.4", tcp(40100, 443, "S", seq=1)),
         "IPv4 TCP SYN between other hosts 10.0.0.3:40100 > 10.0.0.4:443", 3),
        (4, 1, MA, ETH_IP6, ip6(A6, B6, tcp(40010, 80, "S", seq=1)), "IPv6 TCP SYN 40010 > 80", 2),
        (0, 1, MB, ETH_IP6, ip6(B6, A6, tcp(80, 40010, "SA", seq=9, ack=2)),
         "IPv6 TCP SYN+ACK 80 > 40010", 2),
        (4, 1, MA, ETH_IP6, ip6(A6, B6, ICMPv6EchoRequest(id=2, seq=1)), "IPv6 ICMPv6 echo request", 2),
        (0, 1, MB, ETH_IP6, ip6(B6, A6, ICMPv6EchoReply(id=2, seq=1)), "IPv6 ICMPv6 echo reply", 2),
        (2, 1, MG, ETH_IP6, ip6("fe80::fe", "ff02::1", ICMPv6ND_RA(chlim=64, routerlifetime=1800) /
                                ICMPv6NDOptPrefixInfo(prefix="2001:db8::", prefixlen=64,
                                                      validlifetime=86400,
                                                      preferredlifetime=14400), hlim=255),
         "IPv6 ICMPv6 router advertisement to ff02::1", 2),
        (2, 1, "02:00:00:00:00:11", 0x0004, llc(0x42, 0x42, 3) + stp_config(),
         "802.2 LLC (protocol 0x0004) STP configuration BPDU", 2),
        (1, 1, MB, 0x0001, IPX_SAP_QUERY, "802.3 Novell raw (protocol 0x0001) IPX SAP query", 2),
        (0, 1, MB, 0x8100, tag(0, 100)[2:] + struct.pack("!H", ETH_IP) +
         ip4(B4, A4, UDP(sport=40200, dport=53) / dns_query("vlan.example")),
         "802.1Q VLAN 100 tag in payload (protocol 0x8100) IPv4 UDP 40200 > 53", 2),
        (4, 1, MA, 0x8100, tag(0, 200)[2:] + struct.pack("!H", ETH_IP6) +
         ip6(A6, B6, tcp(40201, 443, "S", seq=1)),
         "802.1Q VLAN 200 tag in payload (protocol 0x8100) IPv6 TCP SYN 40201 > 443", 2),
        (4, 772, Z6, ETH_IP, ip4("127.0.0.1", "127.0.0.1", UDP(sport=40300, dport=53) /
                                 dns_query("localhost")),
         "loopback (hatype 772) IPv4 UDP 127.0.0.1:40300 > 53 outgoing", 1),
        (0, 772, Z6, ETH_IP, ip4("127.0.0.1", "127.0.0.1", UDP(sport=40300, dport=53) /
                                 dns_query("localhost")),
         "loopback (hatype 772) same IPv4 UDP seen as host", 1),
        (4, 772, Z6, ETH_IP6, ip6("::1", "::1", tcp(40301, 8080, "S", seq=1)),
         "loopback (hatype 772) IPv6 TCP SYN [::1]:40301 > 8080", 1),
        (4, 65534, None, ETH_IP, ip4("10.8.0.2", "10.8.0.1", ICMP(type=8, id=9, seq=1)),
         "tun (hatype 65534, no address) IPv4 ICMP echo request", 3),
        (0, 65534, None, ETH_IP6, ip6("fd08::1", "fd08::2", ICMPv6EchoReply(id=9, seq=1)),
         "tun (hatype 65534, no address) IPv6 ICMPv6 echo reply", 3),
    ]
    return it


def v6chain(kinds, last, payload=b"\x9c\x40\x00\x35\x00\x10\x00\x00" + b"\0" * 8):
    """An IPv6 packet A6 > B6 whose extension headers are KINDS (0 hop-by-hop,
    43 routing, 44 fragment, 60 dest options; 16 bytes each, the fragment 8),
    the last one's next header LAST, then PAYLOAD.  Built by hand: the
    protochain walk reads only next-header and length bytes."""
    body = b""
    nxt = list(kinds[1:]) + [last]
    for kind, nh in zip(kinds, nxt):
        if kind == 44:
            body += bytes([nh, 0, 0, 0, 0, 0, 0, 7])
        else:
            body += bytes([nh, 1]) + b"\x01\x0c" + b"\0" * 12
    body += payload
    hdr = struct.pack("!IHBB", 0x60000000, len(body), kinds[0] if kinds else last, 64)
    return hdr + socket.inet_pton(socket.AF_INET6, A6) + socket.inet_pton(socket.AF_INET6, B6) + body


def build_ether_chains():
    """IPv6 extension-header chains for protochain, within its smallest bound
    (8 headers) and beyond it, whole and cut inside the chain."""
    c = Capture("ether-chains.pcap", "EN10MB")
    cycle = [0, 60, 43, 44]
    for n in (1, 2, 3, 5, 7):
        for last, what in ((17, "UDP"), (6, "TCP"), (58, "ICMPv6"), (59, "no next header")):
            kinds = [cycle[i % 4] for i in range(n)]
            c.add(eth(MB, MA, ETH_IP6, v6chain(kinds, last)),
                  "IPv6 chain of %d extension headers (%s) then %s" %
                  (n, ",".join(map(str, kinds)), what))
    for n, cut in ((3, 54 + 20), (5, 54 + 40), (7, 54 + 90), (7, 54 + 100)):
        kinds = [cycle[i % 4] for i in range(n)]
        c.add(eth(MB, MA, ETH_IP6, v6chain(kinds, 17)),
              "IPv6 chain of %d extension headers then UDP, cut at %d bytes" % (n, cut), cut=cut)
    kinds = [60, 44, 60, 0, 43]
    c.add(eth(MB, MA, ETH_IP6, v6chain(kinds, 6)),
          "IPv6 chain dest, fragment, dest, hop-by-hop, routing then TCP")
    for n in (20, 40):
        kinds = [cycle[i % 4] for i in range(n)]
        c.add(eth(MB, MA, ETH_IP6, v6chain(kinds, 17)),
              "IPv6 chain of %d extension headers then UDP (beyond the smallest walk)" % n)
    return c


def build_sll():
    c = Capture("sll.pcap", "LINUX_SLL")
    c2 = Capture("sll2.pcap", "LINUX_SLL2")
    for pt, ht, addr, proto, payload, desc, ifi in cooked_items():
        c.add(sll_hdr(pt, ht, addr, proto) + payload,
              "pkttype %d (%s) proto 0x%04x: %s" % (pt, PKTTYPE[pt], proto, desc))
        c2.add(sll2_hdr(proto, ifi, ht, pt, addr) + payload,
               "ifindex %d pkttype %d (%s) proto 0x%04x: %s" % (ifi, pt, PKTTYPE[pt], proto, desc))
    return [c, c2]


# ---------------------------------------------------------------- application protocols

def raw_dns(ident, flags, qd=(), an=(), ns=(), ar=()):
    """A DNS message from raw sections (each a list of bytes)."""
    return struct.pack("!HHHHHH", ident, flags, len(qd), len(an), len(ns), len(ar)) + \
        b"".join(qd) + b"".join(an) + b"".join(ns) + b"".join(ar)


def dname(n):
    return b"".join(bytes([len(x)]) + x.encode() for x in n.split(".") if x) + b"\0"


def rr(name, typ, data, klass=1, ttl=3600):
    return (name if isinstance(name, bytes) else dname(name)) + \
        struct.pack("!HHIH", typ, klass, ttl, len(data)) + data


def q(name, typ=1, klass=1):
    return dname(name) + struct.pack("!HH", typ, klass)


def opt_rr(opts=b"", size=1232, ext_rcode=0, do=False):
    return b"\0" + struct.pack("!HHBBHH", 41, size, ext_rcode, 0, 0x8000 if do else 0,
                               len(opts)) + opts


def eopt(code, data):
    return struct.pack("!HH", code, len(data)) + data


def udp4(sport, dport, payload, src=A4, dst=DNS4):
    return eth(MB, MA, ETH_IP, ip4(src, dst, UDP(sport=sport, dport=dport) / Raw(payload)))


def dhcp_raw(op, opts, sname=b"", file=b"", vend=b"\x63\x82\x53\x63", htype=1, hlen=6,
             hops=0, secs=0, ciaddr="0.0.0.0", giaddr="0.0.0.0"):
    ip = lambda a: bytes(map(int, a.split(".")))  # noqa: E731
    return struct.pack("!BBBBIHH", op, htype, hlen, hops, 0xabcdef01, secs, 0) + \
        ip(ciaddr) + ip("0.0.0.0") + ip("0.0.0.0") + ip(giaddr) + \
        mac(MA) + b"\0" * 10 + sname.ljust(64, b"\0") + file.ljust(128, b"\0") + vend + opts


def sctp_chunk(typ, flags, body):
    n = 4 + len(body)
    return struct.pack("!BBH", typ, flags, n) + body + b"\0" * ((4 - n % 4) % 4)


def sctp4(sport, dport, chunks):
    hdr = struct.pack("!HHII", sport, dport, 0x01020304, 0)
    return eth(MB, MA, ETH_IP, ip4(A4, B4, Raw(hdr + b"".join(chunks)), proto=132))


def mptcp_syn(opt, flags="S", data=b""):
    return eth(MB, MA, ETH_IP, ip4(A4, B4, tcp(40100, 80, flags, seq=1, ack=1 if "A" in flags else 0,
                                             options=[(30, opt)], data=data)))


def build_ether_app():
    c = Capture("ether-app.pcap", "EN10MB")
    # DNS: every record type tcpdump decodes, sections, EDNS, rcodes
    ans = [rr("a.example", 1, bytes([192, 0, 2, 1])),
           rr("a.example", 5, dname("b.example")),
           rr("a.example", 15, struct.pack("!H", 10) + dname("mx.example")),
           rr("a.example", 16, b"\x05hello\x03two"),
           rr("_s._tcp.example", 33, struct.pack("!HHH", 1, 2, 5060) + dname("sip.example")),
           rr("a.example", 28, socket.inet_pton(socket.AF_INET6, "2001:db8::53")),
           rr("a.example", 6, dname("ns.example") + dname("root.example") +
              struct.pack("!IIIII", 1, 2, 3, 4, 5)),
           rr("a.example", 12, dname("ptr.example")),
           rr("a.example", 99, b"v=spf1"),
           rr("a.example", 3, b"\x01", klass=3)]
    c.add(udp4(53, 40200, raw_dns(0x1001, 0x8580, [q("a.example", 255)], ans,
                                  [rr("example", 2, dname("ns.example"))],
                                  [rr("ns.example", 1, bytes([192, 0, 2, 2])), opt_rr()]),
               src=DNS4, dst=A4), "DNS response: A, CNAME, MX, TXT, SRV, AAAA, SOA, PTR, SPF, CHAOS; NS and AR sections")
    ecs = eopt(8, struct.pack("!HBB", 1, 24, 0) + bytes([198, 51, 100]))
    opts = ecs + eopt(10, bytes(range(8))) + eopt(11, struct.pack("!H", 25)) + \
        eopt(12, b"\0" * 4) + eopt(3, b"ns1") + eopt(5, bytes([8, 13, 99])) + eopt(9, b"\0\0\0\x10")
    c.add(udp4(40201, 53, raw_dns(0x1002, 0x0120, [q("edns.example", 28)], ar=[opt_rr(opts, do=True)])),
          "DNS query with an EDNS OPT record: ECS, COOKIE, KEEPALIVE, PADDING, NSID, DAU, EXPIRE")
    c.add(udp4(53, 40202, raw_dns(0x1003, 0x8183, [q("bad.example")], ar=[opt_rr(ext_rcode=1)]),
               src=DNS4, dst=A4), "DNS response with an extended rcode (BADVERS via OPT)")
    c.add(udp4(53, 40203, raw_dns(0x1004, 0x8400, [q("x.example")],
                                  [rr(b"\xc0\x40", 1, b"\x01\x02\x03\x04")]), src=DNS4, dst=A4),
          "DNS response whose answer name is a forward compression pointer")
    c.add(udp4(40204, 53, raw_dns(0x1005, 0x2800, [q("upd.example", 6)], [], [rr("h.upd.example", 1, b"\x0a\0\0\x05")])),
          "DNS update (opcode 5) with an update section")
    c.add(udp4(40205, 53, raw_dns(0x1006, 0x0100, [q("a.example"), q("b.example", 16, 3)])),
          "DNS query with two questions, one CHAOS")
    c.add(udp4(53, 40206, raw_dns(0x1007, 0x8180, [q("cut.example")], [rr("cut.example", 16, b"\x20" + b"x" * 32)]),
               src=DNS4, dst=A4), "DNS response cut inside the TXT record", cut=14 + 20 + 8 + 12 + 17 + 20)
    c.add(udp4(5353, 5353, raw_dns(0, 0, [q("printer.local", 12, 0x8001)]), dst="224.0.0.251"),
          "mDNS query with the QU bit")
    c.add(udp4(5353, 5353, raw_dns(0, 0x8400, [], [rr("printer.local", 1, b"\x0a\0\0\x07", klass=0x8001, ttl=120)]),
               dst="224.0.0.251"), "mDNS response with the cache-flush bit")
    tq = raw_dns(0x2001, 0x0100, [q("tcp.example")])
    c.add(eth(MB, MA, ETH_IP, ip4(A4, DNS4, tcp(40207, 53, "PA", seq=1, ack=1, data=struct.pack("!H", len(tq)) + tq))),
          "DNS query over TCP with its length prefix")
    c.add(eth(MB, MA, ETH_IP, ip4(A4, DNS4, tcp(40208, 53, "PA", seq=1, ack=1, data=struct.pack("!H", 99) + tq))),
          "DNS over TCP whose length prefix disagrees")
    # BOOTP/DHCP options of every data format
    o = bytes([53, 1, 1, 12, 4]) + b"host" + bytes([55, 6, 1, 3, 6, 15, 119, 252]) + \
        bytes([61, 7, 1]) + mac(MA) + bytes([60, 4]) + b"vend" + bytes([50, 4, 10, 0, 0, 9]) + \
        bytes([51, 4, 0, 0, 14, 16]) + bytes([77, 6, 5]) + b"class" + \
        bytes([82, 8, 1, 2, 0x41, 0x42, 2, 2, 0x43, 0x44]) + \
        bytes([121, 13, 24, 10, 1, 2, 10, 0, 0, 1, 0, 10, 0, 0, 254]) + \
        bytes([81, 7, 0x05, 0, 0]) + b"h.ex" + bytes([19, 1, 1, 2, 4]) + struct.pack("!i", -3600) + \
        bytes([46, 1, 8, 52, 1, 3, 33, 8, 10, 0, 0, 1, 10, 0, 0, 254, 150, 2, 1, 2, 0, 0, 255])
    c.add(udp4(68, 67, dhcp_raw(1, o, hops=1, secs=5), src="0.0.0.0", dst="255.255.255.255"),
          "DHCP Discover with options of every format (strings, lists, client ID, agent info, routes)")
    c.add(udp4(67, 68, dhcp_raw(2, bytes([53, 1, 5, 255]), sname=b"server", file=b"boot.img",
                                giaddr="10.0.0.254", ciaddr="10.0.0.9"), src="10.0.0.254", dst=A4),
          "DHCP ACK with sname, file, client and gateway addresses")
    c.add(udp4(67, 68, dhcp_raw(2, b"", vend=b"CMU\0" + struct.pack("!I", 1) + bytes([255, 255, 255, 0, 10, 0, 0, 254]) + b"\0" * 48),
               src="10.0.0.254", dst=A4), "BOOTP reply with a CMU vendor area")
    c.add(udp4(68, 67, dhcp_raw(1, bytes([53, 1, 3, 12, 20]) + b"trunc"), src="0.0.0.0",
               dst="255.255.255.255"), "DHCP Request whose hostname option runs past the capture")
    c.add(udp4(68, 67, dhcp_raw(1, b"", htype=6, hlen=2), src="0.0.0.0", dst="255.255.255.255"),
          "BOOTP request with a non-Ethernet hardware type", cut=14 + 20 + 8 + 120)
    # NTP: control message, key id and digest, stratum 1, bad length
    c.add(udp4(40300, 123, struct.pack("!BBHHHHH", (2 << 3) | 6, 0x82, 7, 0x0615, 0, 0, 4) + b"abcd"),
          "NTP control message (mode 6) with 4 data bytes")
    c.add(udp4(123, 123, ntp(1, 2) + struct.pack("!I", 42) + bytes(range(16))),
          "NTP symmetric active with a key id and an MD5 digest")
    c.add(udp4(123, 40301, ntp(4, 1), src="192.0.2.123"), "NTP server reply, stratum 1 (GPS)")
    c.add(udp4(40302, 123, ntp(3)[:40]), "NTP client request shorter than 48 bytes")
    # SCTP: SACK with gap blocks and duplicates, several chunks, errors
    c.add(sctp4(40400, 2905, [sctp_chunk(3, 0, struct.pack("!IIHH", 100, 65536, 2, 1) +
                                         struct.pack("!HHHH", 2, 3, 5, 6) + struct.pack("!I", 99)),
                              sctp_chunk(4, 0, b"\0\x01\0\x08abcd"), sctp_chunk(10, 0, b"cookie")]),
          "SCTP SACK with two gap blocks and a duplicate TSN, then HB REQ and COOKIE ECHO")
    c.add(sctp4(40401, 2905, [sctp_chunk(0, 3, struct.pack("!IHHI", 7, 1, 2, 46) + b"payload"),
                              sctp_chunk(0xc0, 0, b"\0\0\0\x07"), sctp_chunk(0x55, 0, b"")]),
          "SCTP DATA (PPID 46), FORWARD TSN and an unknown chunk type")
    c.add(sctp4(40402, 2905, [struct.pack("!BBH", 1, 0, 2)]), "SCTP chunk with a bad length")
    # MPTCP options of every subtype
    c.add(mptcp_syn(bytes([0x00, 0x81]) + bytes(range(8))), "MPTCP MP_CAPABLE on a SYN with a key")
    c.add(mptcp_syn(bytes([0x10, 0x02]) + struct.pack("!II", 0xdeadbeef, 0x1234)), "MPTCP MP_JOIN on a SYN")
    c.add(mptcp_syn(bytes([0x20, 0x1f]) + struct.pack("!QQIHH", 5, 6, 7, 100, 0xabcd), flags="A"),
          "MPTCP DSS with 64-bit ack and seq and a checksum")
    c.add(mptcp_syn(bytes([0x30, 0x07, 10, 0, 0, 5]) + struct.pack("!H", 8080), flags="A"),
          "MPTCP ADD_ADDR IPv4 with port")
    c.add(mptcp_syn(bytes([0x40, 3, 4]), flags="A"), "MPTCP REMOVE_ADDR of two ids")
    c.add(mptcp_syn(bytes([0x51, 2]), flags="A"), "MPTCP MP_PRIO backup")
    c.add(mptcp_syn(bytes([0x60, 0]) + struct.pack("!Q", 77), flags="A"), "MPTCP MP_FAIL")
    c.add(mptcp_syn(bytes([0x70, 0]) + struct.pack("!Q", 0x1122334455667788), flags="A"), "MPTCP MP_FASTCLOSE")
    c.add(mptcp_syn(bytes([0x00, 0x81]) + bytes(4), flags="A"), "MPTCP MP_CAPABLE of a bad length on an ACK")
    # Geneve options, VXLAN without the I flag, an SRH routing header
    gopt = struct.pack("!HBB", 0x0101, 0x80, 1) + b"\x01\x02\x03\x04"
    inner = eth(MB, MA, ETH_IP, ip4(A4, B4, ICMP()))
    c.add(udp4(40500, 6081, geneve(12, inner, opts=gopt)), "Geneve with an Open vSwitch critical option")
    c.add(udp4(40501, 4789, struct.pack("!BBHI", 0, 0, 0, 7 << 8) + inner), "VXLAN without the I flag")
    srh = struct.pack("!BBBBBBH", 17, 4, 4, 1, 1, 0, 0x1234) + \
        socket.inet_pton(socket.AF_INET6, "2001:db8::10") + socket.inet_pton(socket.AF_INET6, "2001:db8::11")
    c.add(eth(MB, MA, ETH_IP6, bytes(IPv6(src=A6, dst=B6, nh=43) / Raw(srh + bytes(UDP(sport=1, dport=2))))),
          "IPv6 segment routing header (routing type 4) with two segments")
    # MSTP BPDU with one MSTI
    m = bytearray(stp_config(flags=0x7c))
    m[2] = 3
    m[3] = 2
    msti = bytes([0x7c]) + struct.pack("!H", 0x8001) + mac("02:00:00:00:00:10") + \
        struct.pack("!I", 20) + bytes([0x80, 0x80, 20])
    body = bytes(m) + b"\0" + struct.pack("!H", 64 + 16) + b"\0" + b"region".ljust(32, b"\0") + \
        struct.pack("!H", 1) + bytes(16) + struct.pack("!I", 0) + struct.pack("!H", 0x8000) + \
        mac("02:00:00:00:00:11") + bytes([20]) + msti
    c.add(eth8023("01:80:c2:00:00:00", "02:00:00:00:00:11", llc(0x42, 0x42, 3) + body),
          "MSTP BPDU with one MSTI")
    c.add(eth8023("01:80:c2:00:00:00", "02:00:00:00:00:11", llc(0x42, 0x42, 3) + body[:40]),
          "MSTP BPDU cut short", cut=14 + 3 + 40)
    c.add(eth8023("02:00:00:00:00:22", "02:00:00:00:00:11", llc(0x04, 0x05, 0xaf) + bytes([0x81, 1, 0])),
          "LLC XID between different SAPs")
    c.add(eth8023("02:00:00:00:00:22", "02:00:00:00:00:11", struct.pack("!BBH", 0x10, 0x10, 0x0a01)),
          "LLC information frame (I format)")
    # PPP control protocols over PPPoE session
    def ppp_cp(proto, code, ident, data):
        return struct.pack("!H", proto) + struct.pack("!BBH", code, ident, 4 + len(data)) + data
    lcp = bytes([1, 4, 0x05, 0xd4, 3, 5, 0xc2, 0x23, 5, 5, 6, 0x11, 0x22, 0x33, 0x44, 7, 2, 8, 2,
                 13, 3, 6, 0, 6, 0, 0x0c, 0xaa, 0xbb, 0x99, 3, 0])
    for proto, code, data, desc in (
            (0xc021, 1, lcp, "LCP Conf-Request: MRU, CHAP MD5, magic, PFC, ACFC, callback, vendor, unknown"),
            (0x8021, 1, bytes([3, 6, 10, 0, 0, 1, 129, 6, 192, 0, 2, 53, 2, 6, 0, 0x2d, 15, 1]),
             "IPCP Conf-Request: IP-Addr, Pri-DNS, VJ compression"),
            (0x8057, 2, bytes([1, 10]) + bytes(range(1, 9)), "IP6CP Conf-Ack with an interface ID"),
            (0xc021, 9, struct.pack("!I", 0x01020304) + b"data", "LCP Echo-Request with trailing data"),
            (0xc021, 8, struct.pack("!H", 0x8281) + b"\x01\x02\x03\x04", "LCP Prot-Reject of MPLSCP"),
            (0xc021, 12, struct.pack("!I", 7) + b"hello", "LCP Identification with a message"),
            (0xc021, 13, struct.pack("!II", 7, 60), "LCP Time-Remaining"),
            (0xc021, 5, b"bye", "LCP Term-Request"),
            (0x80fd, 1, bytes([0x11, 6, 0, 0, 0, 1]), "CCP Conf-Request (options not decoded)")):
        c.add(eth(MB, MA, 0x8864, pppoe(0, 0x1234, ppp_cp(proto, code, 1, data)), pad=True), "PPPoE session " + desc)
    return c


# ---------------------------------------------------------------- main

def main(argv):
    outdir = argv[1] if len(argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    os.makedirs(outdir, exist_ok=True)
    caps = [build_ether_ipv4(), build_ether_ipv6(), build_ether_encap(), build_ether_l2(),
            build_ether_short(), build_demo(), build_ether_chains(), build_ether_app()] + build_sll() + build_raw_family() + \
        build_null_loop()
    rows = ["file\tlinktype\tlinktype_num\tpacket\tcaplen\tlen\tdescription"]
    for c in caps:
        c.write(outdir)
        rows.extend(c.manifest_rows())
    with open(os.path.join(outdir, "MANIFEST"), "w", newline="\n") as f:
        f.write("\n".join(rows) + "\n")
    for c in caps:
        print("%-18s %-11s %4d packets" % (c.name, c.linktype, len(c.pkts)))


if __name__ == "__main__":
    main(sys.argv)
