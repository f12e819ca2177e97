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
import os
import random
import sys

# The shared frame builder lives next to this script; no __pycache__ is
# left in the source tree.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchframes  # noqa: E402


def src_of(i):
    return "10.%d.%d.%d" % ((i >> 16) & 255, (i >> 8) & 255, i & 255)


def dst_of(i):
    # Multiplying by an odd number permutes 0..2^20-1.
    j = (i * 40503) & 0xFFFFF
    return "172.%d.%d.%d" % (16 + (j >> 16), (j >> 8) & 255, j & 255)


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
    benchframes.write_pcap(
        path, (benchframes.frame((10 << 24) | i) for i in order))


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
