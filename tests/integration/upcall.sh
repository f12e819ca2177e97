#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Upcalls: with no flow installed every packet misses.  There is no slow
# path yet, so misses are counted (dpctl/show "missed", the PMD's "miss"
# counters, upcall/show) and dropped.
. "$(dirname "$0")/lib.sh"

PKT=00000000000200000000000108004500002800010000401166c20a0000010a000002138803e9001490c17465726e2d7061796c6f6164

start_vswitchd
add_dp tern0
appctl_ok dpctl/add-if tern0 p1,type=dummy,port_no=1 p2,type=dummy,port_no=2
appctl_ok dpif-netdev/pmd-stats-clear >/dev/null

for i in 1 2 3; do
    appctl_ok netdev-dummy/receive p1 "$PKT"
done
wait_for_output '^  lookups: hit:0 missed:3 lost:3$' dpctl/show
appctl_ok dpctl/show
stats=$(appctl_ok dpif-netdev/pmd-stats-show)
echo "$stats"
echo "$stats" | grep -Eq 'miss with failed upcall: *3$' \
    || fail "pmd-stats-show does not count 3 failed upcalls"
echo "$stats" | grep -Eq 'miss with success upcall: *0$' \
    || fail "pmd-stats-show counts successful upcalls"
expect_eq "$(appctl_ok upcall/show | head -1)" "misses dropped: 3" \
    "upcall/show"
expect_eq "$(tx_count p2)" 0 "packets out of p2"
expect_eq "$(appctl_ok dpctl/show | sed -n 's/^  flows: //p')" 0 \
    "flows installed by misses"

info "a flow installed afterwards takes the packets"
appctl_ok dpctl/add-flow 'in_port(1)' 2
appctl_ok netdev-dummy/receive p1 "$PKT"
wait_tx_count p2 1
wait_for_output '^  lookups: hit:1 missed:3 lost:3$' dpctl/show
finish
