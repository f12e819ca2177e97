#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Writes a pcap of 64-byte Ethernet/IPv4/UDP frames, one distinct 5-tuple
per flow, in shuffled order (a fixed seed keeps runs comparable).

Flow i has source 10.(i>>16).(i>>8 & 255).(i & 255) and destination
192.168.0.1, UDP 1234 -> 5678, so exact rules on nw_src select single flows.
"""
import argparse
import random
import struct


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
    eth = bytes.fromhex("020000000002" "020000000001") + struct.pack("!H", 0x0800)
    return eth + ip + udp + payload


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--flows", type=int, default=1)
    ap.add_argument("--packets", type=int, default=0,
                    help="frames to write (default: max(flows, 1024))")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    n = args.packets or max(args.flows, 1024)
    order = [i % args.flows for i in range(n)]
    random.Random(42).shuffle(order)
    with open(args.out, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i in order:
            fr = frame(i)
            f.write(struct.pack("<IIII", 0, 0, len(fr), len(fr)))
            f.write(fr)


if __name__ == "__main__":
    main()
