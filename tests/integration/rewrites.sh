#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Header rewrites: set(eth(...)), set(ipv4(src=...)), set(udp(dst=...)),
# push_vlan and pop_vlan.  Each output packet must be byte-for-byte the
# packet a reference builder (scapy) makes with the rewritten fields and
# correct checksums; where scapy is installed, the pcap the output port
# wrote is also re-dissected and every IPv4/UDP checksum recomputed.
. "$(dirname "$0")/lib.sh"

# UDP 10.0.0.1:5000 -> 10.0.0.2:DPORT, payload "tern-payload".
IN_1001=00000000000200000000000108004500002800010000401166c20a0000010a000002138803e9001490c17465726e2d7061796c6f6164
IN_1002=00000000000200000000000108004500002800010000401166c20a0000010a000002138803ea001490c07465726e2d7061796c6f6164
IN_1003=00000000000200000000000108004500002800010000401166c20a0000010a000002138803eb001490bf7465726e2d7061796c6f6164
IN_1004=00000000000200000000000108004500002800010000401166c20a0000010a000002138803ec001490be7465726e2d7061796c6f6164
# The same to port 1005 with a VLAN 20 tag.
IN_VLAN=0000000000020000000000018100001408004500002800010000401166c20a0000010a000002138803ed001490bd7465726e2d7061796c6f6164

OUT_1001=0200000000bb0200000000aa08004500002800010000401166c20a0000010a000002138803e9001490c17465726e2d7061796c6f6164
OUT_1002=000000000002000000000001080045000028000100004011af19c0a801010a000002138803ea0014d9177465726e2d7061796c6f6164
OUT_1003=00000000000200000000000108004500002800010000401166c20a0000010a000002138814e900147fc17465726e2d7061796c6f6164
OUT_1004=0000000000020000000000018100600a08004500002800010000401166c20a0000010a000002138803ec001490be7465726e2d7061796c6f6164
OUT_VLAN=00000000000200000000000108004500002800010000401166c20a0000010a000002138803ed001490bd7465726e2d7061796c6f6164

start_vswitchd
add_dp tern0
appctl_ok dpctl/add-if tern0 p1,type=dummy,port_no=1 p2,type=dummy,port_no=2 \
    p3,type=dummy,port_no=3

M='in_port(1),eth_type(0x0800),ipv4(proto=17),udp'
appctl_ok dpctl/add-flow "$M(dst=1001)" \
    'set(eth(src=02:00:00:00:00:aa,dst=02:00:00:00:00:bb)),2'
appctl_ok dpctl/add-flow "$M(dst=1002)" 'set(ipv4(src=192.168.1.1)),2'
appctl_ok dpctl/add-flow "$M(dst=1003)" 'set(udp(dst=5353)),2'
appctl_ok dpctl/add-flow "$M(dst=1004)" 'push_vlan(vid=10,pcp=3),2'
appctl_ok dpctl/add-flow 'in_port(3)' 'pop_vlan,2'
appctl_ok dpctl/dump-flows

n=0
for case in 1001 1002 1003 1004 VLAN; do
    in=IN_$case out=OUT_$case
    port=p1
    [ $case = VLAN ] && port=p3
    info "case $case"
    appctl_ok netdev-dummy/receive $port "${!in}"
    n=$((n + 1))
    wait_tx_count p2 $n
    expect_eq "$(tx_packet p2 $n)" "${!out}" "output of case $case"
done

if $PYTHON -c 'import scapy' 2>/dev/null; then
    info "checksums of $(pcap_of p2) by scapy"
    $PYTHON - "$(pcap_of p2)" <<'PY' || fail "scapy checksum check failed"
import sys
from scapy.all import rdpcap, Ether, IP, UDP
pkts = rdpcap(sys.argv[1])
assert len(pkts) == 5, "expected 5 packets, got %d" % len(pkts)
for p in pkts:
    ip, udp = p[IP], p[UDP]
    for layer in (ip, udp):
        got = layer.chksum
        copy = Ether(bytes(p))
        del copy[layer.__class__].chksum
        want = Ether(bytes(copy))[layer.__class__].chksum
        assert got == want, "%s checksum %#x, want %#x" % (
            layer.__class__.__name__, got, want)
print("checksums ok for", len(pkts), "packets")
PY
fi
finish
