#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Writes a pcap of 64-byte Ethernet/IPv4/UDP frames, one distinct 5-tuple
per flow, in shuffled order (a fixed seed keeps runs comparable), and
optionally the OpenFlow rules (ovs-ofctl add-flows syntax) that forward
each flow to port 2.

Flows differ in their IPv4 source only; destination 192.168.0.1, UDP
1234 -> 5678.

Without --masks, flow i has source 10.(i>>16).(i>>8 & 255).(i & 255) and
its rule is "ip,nw_src=ADDR,actions=output:2" (one exact rule per flow,
all in one mask).

With --masks K (1, 2, 4, 8 or 16), flow i belongs to group g = i % K and
is the k-th (k = i // K) of its group.  Group g has prefix length
L = 32 - g * 16 / K (K=4: 32, 28, 24, 20; K=16: 32 down to 17) and its
own /7 of the address space, starting at (16 + 2g).0.0.0; flow k of it
has source (16 + 2g).0.0.0 + k * 2^(32 - L), so each /L prefix holds
exactly one flow.  Its rule is
"priority=100+32-L,ip,nw_src=ADDR/L,actions=output:2".  Shorter prefixes
get higher priorities, so a lookup examines the groups in increasing
prefix length and stops at its own: everything it examined before is a
subset of its own mask (fewer nw_src bits), and the megaflow a switch
derives from the lookup matches nw_src/L exactly, whether the switch
unwildcards whole masks or only the bits it looked at.  So the megaflows
use exactly K masks.
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


def exact_src(i):
    return (10 << 24) | (i & 0xFFFFFF)


def masked_src(i, masks):
    g, k = i % masks, i // masks
    plen = 32 - g * 16 // masks
    if k >= 1 << (plen - 7):
        raise SystemExit("too many flows for %d masks" % masks)
    return ((16 + 2 * g) << 24) | (k << (32 - plen)), plen


def ip_str(a):
    return ".".join(str((a >> s) & 255) for s in (24, 16, 8, 0))


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--flows", type=int, default=1)
    ap.add_argument("--packets", type=int, default=0,
                    help="frames to write (default: max(flows, 1024))")
    ap.add_argument("--masks", type=int, default=0,
                    help="spread the flows over this many masks (1-16)")
    ap.add_argument("--rules", help="also write the rules to this file")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    if args.masks and (args.masks > 16 or 16 % args.masks):
        ap.error("--masks must be 1, 2, 4, 8 or 16")
    srcs = []
    rules = []
    for i in range(args.flows):
        if args.masks:
            a, plen = masked_src(i, args.masks)
            rules.append("priority=%d,ip,nw_src=%s/%d,actions=output:2"
                         % (100 + 32 - plen, ip_str(a), plen))
        else:
            a = exact_src(i)
            rules.append("ip,nw_src=%s,actions=output:2" % ip_str(a))
        srcs.append(a)
    if args.rules:
        with open(args.rules, "w") as f:
            f.write("".join(r + "\n" for r in rules))
    n = args.packets or max(args.flows, 1024)
    order = [i % args.flows for i in range(n)]
    random.Random(42).shuffle(order)
    benchframes.write_pcap(args.out,
                           (benchframes.frame(srcs[i]) for i in order))


if __name__ == "__main__":
    main()
