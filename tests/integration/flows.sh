#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Flow management through dpctl: dump-flows format, statistics, mod-flow
# (with --clear, -s and --may-create), get-flow by flow and by UFID,
# del-flow, del-flows, and the errors of each.
. "$(dirname "$0")/lib.sh"

PKT=00000000000200000000000108004500002800010000401166c20a0000010a000002138803e9001490c17465726e2d7061796c6f6164
F1='in_port(1),eth_type(0x0800),ipv4(proto=17)'
F2='in_port(2)'

start_vswitchd
add_dp tern0
appctl_ok dpctl/add-if tern0 p1,type=dummy,port_no=1 p2,type=dummy,port_no=2

appctl_ok dpctl/add-flow "$F1" 2
appctl_ok dpctl/add-flow tern0 "$F2" 1

info "dump-flows format of unused flows"
dump=$(appctl_ok dpctl/dump-flows)
echo "$dump"
expect_eq "$(echo "$dump" | wc -l)" 2 "number of flows"
echo "$dump" | grep -Eq '(^|,)in_port\(1\),.*eth_type\(0x0800\),ipv4\(.*proto=17.*\), packets:0, bytes:0, used:never, actions:2$' \
    || fail "bad dump line for F1"
echo "$dump" | grep -Eq '(^|,)in_port\(2\), packets:0, bytes:0, used:never, actions:1$' \
    || fail "bad dump line for F2"

info "statistics"
appctl_ok netdev-dummy/receive p1 "$PKT"
appctl_ok netdev-dummy/receive p1 "$PKT"
wait_for_output 'in_port\(1\).*, packets:2, bytes:108, used:[0-9]+\.[0-9]{3}s, actions:2$' \
    dpctl/dump-flows
appctl_ok dpctl/dump-flows | grep -q 'in_port(2), packets:0, bytes:0, used:never, actions:1$' \
    || fail "F2 counted packets"

info "dump-flows -m and get-flow"
more=$(appctl_ok dpctl/dump-flows -m tern0 | grep 'in_port(1)')
echo "$more"
ufid=$(echo "$more" | grep -Eo '^ufid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}') \
    || fail "no UFID in dump-flows -m"
no_used() { sed -E 's/used:[0-9.]+s/used:X/'; }
expect_eq "$(appctl_ok dpctl/get-flow "$ufid" | no_used)" \
    "$(echo "$more" | no_used)" "get-flow by UFID"
got=$(appctl_ok dpctl/get-flow 'in_port(1),eth_type(0x0800),ipv4(proto=17,src=1.2.3.4)')
case $got in
"$ufid, "*"actions:2") ;;
*) fail "get-flow by key: $got" ;;
esac
appctl_error 'no such flow' dpctl/get-flow ufid:00000000-0000-0000-0000-000000000000
appctl_error 'bad UFID' dpctl/get-flow ufid:1234

info "mod-flow"
appctl_ok dpctl/mod-flow "$F1" 1
appctl_ok dpctl/dump-flows | grep -q 'packets:2, bytes:108, .*actions:1$' \
    || fail "mod-flow lost the statistics or did not change actions"
out=$(appctl_ok dpctl/mod-flow --clear -s "$F1" 2)
echo "$out" | grep -Eq '^packets:2, bytes:108, used:' \
    || fail "mod-flow -s printed \"$out\""
appctl_ok dpctl/dump-flows | grep -q 'in_port(1).*packets:0, bytes:0, .*actions:2$' \
    || fail "mod-flow --clear did not zero the statistics"
appctl_error 'no such flow' dpctl/mod-flow 'in_port(3)' 2
appctl_ok dpctl/mod-flow --may-create 'in_port(3)' 2
expect_eq "$(appctl_ok dpctl/dump-flows | wc -l)" 3 "flows after --may-create"

info "errors"
appctl_error 'already exists' dpctl/add-flow "$F2" 1
appctl_error 'bad flow' dpctl/add-flow 'in_port(1),bogus(7)' 2
appctl_error 'bad actions' dpctl/add-flow 'in_port(5)' 'frobnicate'
appctl_error 'no such datapath' dpctl/add-flow nodp 'in_port(5)' 2
appctl_error 'wrong number of arguments' dpctl/add-flow 'in_port(5)'
appctl_error 'unknown option' dpctl/add-flow --clear 'in_port(5)' 2
appctl_error 'no such flow' dpctl/del-flow 'in_port(9)'

info "del-flow"
appctl_ok netdev-dummy/receive p2 "$PKT"
wait_for_output 'in_port\(2\), packets:1, ' dpctl/dump-flows
out=$(appctl_ok dpctl/del-flow -s tern0 "$F2")
echo "$out" | grep -Eq '^packets:1, bytes:54, used:' \
    || fail "del-flow -s printed \"$out\""
appctl_ok dpctl/dump-flows | grep -q 'in_port(2)' && fail "F2 still there"
expect_eq "$(appctl_ok dpctl/dump-flows | wc -l)" 2 "flows after del-flow"

info "TCP flags seen"
SYNACK=00000000000200000000000108004500002800010000400666cd0a0000010a000002005004d20000000100000001501203e892c40000
FIN=00000000000200000000000108004500002800010000400666cd0a0000010a000002005004d20000000100000001500103e892d50000
appctl_ok dpctl/add-flow 'in_port(2),eth_type(0x0800),ipv4(proto=6)' 1
appctl_ok dpctl/dump-flows | grep -q 'proto=6.*used:never, actions:1$' \
    || fail "TCP flow shows flags before any packet"
appctl_ok netdev-dummy/receive p2 "$SYNACK"
wait_for_output 'proto=6.*packets:1, bytes:54, used:[0-9.]+s, flags:S\., actions:1$' \
    dpctl/dump-flows
appctl_ok netdev-dummy/receive p2 "$FIN"
wait_for_output 'proto=6.*packets:2, bytes:108, used:[0-9.]+s, flags:SF\., actions:1$' \
    dpctl/dump-flows

info "del-flows"
appctl_ok dpctl/del-flows
expect_eq "$(appctl_ok dpctl/dump-flows)" "" "flows after del-flows"
appctl_ok dpctl/show | grep -q '^  flows: 0$' || fail "show counts flows"

info "two datapaths: DP is then required"
appctl_ok dpctl/add-dp tern1
appctl_error 'datapaths exist' dpctl/dump-flows
appctl_ok dpctl/add-flow tern1 'in_port(7)' drop
expect_eq "$(appctl_ok dpctl/dump-flows tern1 | grep -c 'actions:drop$')" 1 \
    "drop flow in tern1"
expect_eq "$(appctl_ok dpctl/dump-flows netdev@tern0)" "" "flows in tern0"

info "set-config max-idle: unused flows expire"
appctl_ok dpctl/set-config tern1 max-idle=200
wait_for_output '^  flows: 0$' dpctl/show tern1
appctl_ok dpctl/del-dp tern1
appctl_error 'no such datapath' dpctl/show tern1
finish
