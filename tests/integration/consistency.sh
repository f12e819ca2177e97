#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Consistency under load: a PMD forwards a continuous stream (a DPDK
# net_pcap port replaying a capture forever) from p1 to p2 by an OpenFlow
# rule.  The rule is changed to output to p3 with ovs-ofctl, which waits
# for the barrier reply.  From then on no packet may leave by p2: its
# transmit counter must stay where it was, while p3's keeps growing.
# Repeated back and forth several times.
. "$(dirname "$0")/lib.sh"
need_root
. "$(dirname "$0")/of-lib.sh"
PCAP="$PYTHON $(dirname "$0")/pcap.py"

IN=$TESTDIR/in.pcap
$PCAP write "$IN" 64 \
    000000000002000000000001080045000032000100004011f9620a0000010a00000200010002001e00007878787878787878787878787878787878787878787878 \
    || fail "pcap"

start_tern
vsctl add-br br0 -- set bridge br0 fail_mode=secure \
    -- add-port br0 p1 -- set interface p1 type=dpdk ofport_request=1 \
       "options:dpdk-devargs=\"net_pcap0,rx_pcap=$IN,infinite_rx=1\"" \
    -- add-port br0 p2 -- set interface p2 type=dpdk ofport_request=2 \
       'options:dpdk-devargs="net_null0,no-rx=1"' \
    -- add-port br0 p3 -- set interface p3 type=dpdk ofport_request=3 \
       'options:dpdk-devargs="net_null1,no-rx=1"' \
    || fail "bridge"

# tx_pkts PORT: the port's transmit counter as ovs-ofctl dump-ports says.
tx_pkts() {
    ofctl dump-ports "$1" | sed -n 's/.*tx pkts=\([0-9]*\).*/\1/p'
}

ofctl add-flow in_port=1,actions=output:2 || fail "add-flow"
wait_until sh -c "[ \"\$(ovs-ofctl dump-ports unix:$TERN_RUNDIR/br0.mgmt 2 | sed -n 's/.*tx pkts=\([0-9]*\).*/\1/p')\" -gt 100000 ]" \
    || fail "no traffic reaches p2"
old=2 new=3
for round in 1 2 3 4 5 6; do
    ofctl mod-flows in_port=1,actions=output:$new || fail "mod-flows"
    # ovs-ofctl returned: the barrier reply has arrived.
    before=$(tx_pkts $old)
    sleep 0.5
    after=$(tx_pkts $old)
    n_new1=$(tx_pkts $new)
    sleep 0.2
    n_new2=$(tx_pkts $new)
    info "round $round: p$old $before -> $after after the change; p$new $n_new1 -> $n_new2"
    [ "$before" = "$after" ] \
        || fail "round $round: $((after - before)) packets left by p$old after the barrier reply"
    [ "$n_new2" -gt "$n_new1" ] || fail "round $round: no traffic on p$new"
    t=$old old=$new new=$t
done
finish
