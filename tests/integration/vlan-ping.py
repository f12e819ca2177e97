#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""A host on a VLAN trunk without kernel VLAN devices: sends 802.1Q-tagged
ARP and ICMP echo requests on IFACE and checks the replies.

  vlan-ping.py IFACE VID SRC_IP DST_IP

Exit status 0 if DST_IP answered (ARP and ping) with frames tagged VID,
1 if nothing answered, 2 if an answer came untagged or with another tag.
"""
import sys

from scapy.all import (ARP, ICMP, IP, Dot1Q, Ether, conf, get_if_hwaddr,
                       sendp, sniff, AsyncSniffer)

conf.verb = 0


def exchange(iface, frame, match, timeout=2.0):
    sn = AsyncSniffer(iface=iface, lfilter=match, count=1, timeout=timeout)
    sn.start()
    import time
    time.sleep(0.2)
    sendp(frame, iface=iface)
    sn.join()
    return sn.results[0] if sn.results else None


def main():
    iface, vid, src, dst = sys.argv[1], int(sys.argv[2]), sys.argv[3], \
        sys.argv[4]
    mac = get_if_hwaddr(iface)

    def arp_reply(p):
        return ARP in p and p[ARP].op == 2 and p[ARP].psrc == dst

    req = (Ether(src=mac, dst='ff:ff:ff:ff:ff:ff') / Dot1Q(vlan=vid) /
           ARP(op=1, hwsrc=mac, psrc=src, pdst=dst))
    r = None
    for _ in range(3):
        r = exchange(iface, req, arp_reply)
        if r:
            break
    if r is None:
        print('no ARP reply from %s on VLAN %d' % (dst, vid))
        return 1
    if Dot1Q not in r or r[Dot1Q].vlan != vid:
        print('ARP reply from %s not tagged %d: %s' % (dst, vid, r.summary()))
        return 2
    dmac = r[ARP].hwsrc

    def echo_reply(p):
        return ICMP in p and p[ICMP].type == 0 and p[IP].src == dst

    ping = (Ether(src=mac, dst=dmac) / Dot1Q(vlan=vid) /
            IP(src=src, dst=dst) / ICMP(id=7, seq=1))
    r = exchange(iface, ping, echo_reply)
    if r is None:
        print('no echo reply from %s on VLAN %d' % (dst, vid))
        return 1
    if Dot1Q not in r or r[Dot1Q].vlan != vid:
        print('echo reply from %s not tagged %d' % (dst, vid))
        return 2
    print('%s answered on VLAN %d' % (dst, vid))
    return 0


if __name__ == '__main__':
    sys.exit(main())
