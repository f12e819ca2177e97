#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Masked megaflows: a flow on ipv4(dst=10.1.2.0/255.255.255.0) forwards
# packets to two hosts of that /24 and not to a host outside it, which
# misses instead.
. "$(dirname "$0")/lib.sh"

# UDP 10.0.0.1:5000 -> DST:7, 54 bytes each.
TO_2_5=00000000000200000000000108004500002800010000401164be0a0000010a010205138800070014929f7465726e2d7061796c6f6164
TO_2_200=00000000000200000000000108004500002800010000401163fb0a0000010a0102c813880007001491dc7465726e2d7061796c6f6164
TO_3_5=00000000000200000000000108004500002800010000401163be0a0000010a010305138800070014919f7465726e2d7061796c6f6164

start_vswitchd
add_dp tern0
# Without port_no, ports get the lowest free numbers.
appctl_ok dpctl/add-if tern0 p0,type=dummy p1,type=dummy,port_no=1 p2,type=dummy
out=$(appctl_ok dpctl/show)
echo "$out" | grep -q '^  port 0: p0 (dummy)$' || fail "p0 is not port 0"
echo "$out" | grep -q '^  port 1: p1 (dummy)$' || fail "p1 is not port 1"
echo "$out" | grep -q '^  port 2: p2 (dummy)$' || fail "p2 is not port 2"

appctl_ok dpctl/add-flow tern0 \
    'in_port(1),eth_type(0x0800),ipv4(dst=10.1.2.0/255.255.255.0)' 2
flow=$(appctl_ok dpctl/dump-flows)
echo "$flow"
echo "$flow" | grep -q 'ipv4(.*dst=10.1.2.0/255.255.255.0' \
    || fail "dump-flows does not show the /24 mask"

for pkt in "$TO_2_5" "$TO_2_200" "$TO_3_5"; do
    appctl_ok netdev-dummy/receive p1 "$pkt"
done
wait_for_output '^  lookups: hit:2 missed:1 lost:1$' dpctl/show
expect_eq "$(tx_count p2)" 2 "packets out of p2"
expect_eq "$(tx_packet p2 1)" "$TO_2_5" "first forwarded packet"
expect_eq "$(tx_packet p2 2)" "$TO_2_200" "second forwarded packet"
wait_for_output 'packets:2, bytes:108, ' dpctl/dump-flows
appctl dpctl/show | grep -Eq '^  masks: hit:[0-9]+ total:1 hit/pkt:' \
    || fail "masks line: $(appctl dpctl/show)"
finish
