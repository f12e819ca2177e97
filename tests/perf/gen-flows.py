#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Writes the OpenFlow rule files and packet captures of the flow setup and
rule insertion benchmarks (scen-setup.sh, scen-addflows.sh).

Flow i (0 <= i < 2^24) has IPv4 source 10.(i>>16).(i>>8 & 255).(i & 255).

  rules --flows N --out FILE [--dst]
      one ovs-ofctl add-flows line per flow:
      "priority=100,ip,nw_src=SRC_i,actions=output:2"; with --dst the rule
      also matches an exact nw_dst in 172.16.0.0/12, distinct per flow for
      the first 2^20 flows and in another order than the sources.
  pcap --flows N --out FILE
      one 64-byte Ethernet/IPv4/UDP frame per flow (60 bytes captured, 64
      on the wire with the FCS), each flow exactly once, in shuffled order
      (fixed seed), destination 192.168.0.1, UDP 1234 -> 5678.
"""
import argparse
import random
import struct


def src_of(i):
    return "10.%d.%d.%d" % ((i >> 16) & 255, (i >> 8) & 255, i & 255)


def dst_of(i):
    # Multiplying by an odd number permutes 0..2^20-1.
    j = (i * 40503) & 0xFFFFF
    return "172.%d.%d.%d" % (16 + (j >> 16), (j >> 8) & 255, j & 255)


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def frame(i):
    src = bytes([10, (i >> 16) & 255, (i >> 8) & 255, i & 255])
    dst = bytes([192, 168, 0, 1])
    payload = bytes(18)  # 14 + 20 + 8 + 18 = 60 bytes, 64 with the FCS.
    udp_len = 8 + len(payload)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + udp_len, 0, 0, 64, 17,
                     0, src, dst)
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    udp = struct.pack("!HHHH", 1234, 5678, udp_len, 0)
    eth = (bytes.fromhex("020000000002" "020000000001")
           + struct.pack("!H", 0x0800))
    return eth + ip + udp + payload


def write_rules(n, path, with_dst):
    with open(path, "w") as f:
        for i in range(n):
            m = "nw_src=" + src_of(i)
            if with_dst:
                m += ",nw_dst=" + dst_of(i)
            f.write("priority=100,ip,%s,actions=output:2\n" % m)


def write_pcap(n, path):
    order = list(range(n))
    random.Random(42).shuffle(order)
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i in order:
            fr = frame(i)
            f.write(struct.pack("<IIII", 0, 0, len(fr), len(fr)))
            f.write(fr)


def main():
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("what", choices=["rules", "pcap"])
    ap.add_argument("--flows", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--dst", action="store_true",
                    help="rules: also match an exact nw_dst")
    args = ap.parse_args()
    if not 0 < args.flows <= 1 << 24:
        ap.error("--flows must be in 1..16777216")
    if args.what == "rules":
        write_rules(args.flows, args.out, args.dst)
    else:
        write_pcap(args.flows, args.out)


if __name__ == "__main__":
    main()
