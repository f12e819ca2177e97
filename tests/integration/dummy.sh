#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Forwarding between two dummy ports: a flow on in_port sends what arrives
# on p1 out of p2, unchanged, whether the packet is injected as hex or in
# flow syntax, and the flow's and datapath's counters count it.
. "$(dirname "$0")/lib.sh"

PKT=00000000000200000000000108004500002800010000401166c20a0000010a000002138803e9001490c17465726e2d7061796c6f6164
FLOWPKT='eth(src=00:00:00:00:00:01,dst=00:00:00:00:00:02),eth_type(0x0800),ipv4(src=10.0.0.1,dst=10.0.0.2,proto=17,ttl=64),udp(src=1,dst=2)'

start_vswitchd

info "datapath with two dummy ports"
add_dp tern0
appctl_ok dpctl/add-if tern0 p1,type=dummy,port_no=1 p2,type=dummy,port_no=2
out=$(appctl_ok dpctl/show)
echo "$out"
echo "$out" | grep -qx 'netdev@tern0:' || fail "show lacks the datapath"
echo "$out" | grep -Eq '^  port 1: p1 \(dummy\)$' || fail "show lacks p1"
echo "$out" | grep -Eq '^  port 2: p2 \(dummy\)$' || fail "show lacks p2"
expect_eq "$(appctl_ok dpctl/dump-dps)" "netdev@tern0" "dump-dps"

info "flow in_port(1) -> 2"
appctl_ok dpctl/add-flow tern0 'in_port(1)' 2
expect_eq "$(appctl_ok dpctl/dump-flows | grep -c 'in_port(1)')" 1 \
    "flows in dump"

info "hex packet"
appctl_ok netdev-dummy/receive p1 "$PKT"
wait_tx_count p2 1
expect_eq "$(tx_packet p2 1)" "$PKT" "packet sent on p2"
expect_eq "$(tx_count p1)" 0 "packets sent back on p1"

info "flow-syntax packet"
appctl_ok netdev-dummy/receive p1 "$FLOWPKT"
wait_tx_count p2 2
sent=$(tx_packet p2 2)
case $sent in
000000000002000000000001*) ;;
*) fail "second packet has wrong Ethernet addresses: $sent" ;;
esac
len2=$((${#sent} / 2))

info "counters"
total=$((${#PKT} / 2 + len2))
wait_for_output "packets:2, bytes:$total, used:[0-9.]+s, actions:2\$" \
    dpctl/dump-flows
wait_for_output '^  lookups: hit:2 missed:0 lost:0$' dpctl/show
out=$(appctl_ok dpctl/show -s tern0)
echo "$out"
echo "$out" | grep -Eq '^    TX packets:2 errors:0 dropped:0' \
    || fail "p2 TX packets not 2 in show -s"
echo "$out" | grep -Eq '^    RX packets:2 ' || fail "p1 RX packets not 2"

info "the same datapath through netdev@NAME"
appctl_ok dpctl/show netdev@tern0 | grep -q '^  flows: 1$' \
    || fail "show netdev@tern0"

info "del-if, then del-dp closes the ports"
appctl_ok dpctl/del-if tern0 p2
appctl_ok netdev-dummy/receive p1 "$PKT"
wait_for_output '^  lookups: hit:3 ' dpctl/show
appctl_ok dpctl/show | grep -q p2 && fail "p2 still in show"
appctl_error 'no such port' dpctl/del-if tern0 p2
appctl_ok dpctl/del-dp tern0
expect_eq "$(appctl_ok dpctl/dump-dps)" "" "datapaths after del-dp"
expect_eq "$(appctl_ok dpctl/show)" "" "show after del-dp"
# The names are free again: the netdevs were closed.
add_dp tern1 p1,type=dummy p2,type=dummy,port_no=7
appctl_ok dpctl/show tern1 | grep -q '^  port 7: p2 (dummy)$' \
    || fail "add-dp with ports"
finish
