#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# DPDK ports on virtual devices: a net_pcap port reads packets from a
# capture file the test writes, a flow sends them to a second net_pcap
# port that writes them to another file, on a PMD thread.  The output file
# must hold every packet, the PMD's performance counters must show cycles
# per packet and pmd-rxq-show must list the queue.
. "$(dirname "$0")/lib.sh"

N=100
PKT=00000000000200000000000108004500002800010000401166c20a0000010a000002138803e9001490c17465726e2d7061796c6f6164
IN=$TESTDIR/in.pcap
EMPTY=$TESTDIR/empty.pcap
OUT=$TESTDIR/out.pcap
UNUSED=$TESTDIR/unused.pcap
PCAP="$PYTHON $(dirname "$0")/pcap.py"

$PCAP write "$IN" $N "$PKT" || fail "cannot write $IN"
$PCAP write "$EMPTY" 0 || fail "cannot write $EMPTY"

start_vswitchd
add_dp tern0
appctl_ok dpctl/set-config tern0 pmd-cpu-mask=
# The output port first, then the flow, then the input port, so that no
# packet of the capture arrives before the flow exists.
appctl_ok dpctl/add-if tern0 \
    "pout,type=dpdk,port_no=2,dpdk-devargs=\"net_pcap1,rx_pcap=$EMPTY,tx_pcap=$OUT\""
appctl_ok dpctl/add-flow 'in_port(1)' 2
appctl_ok dpctl/add-if tern0 \
    "pin,type=dpdk,port_no=1,dpdk-devargs=\"net_pcap0,rx_pcap=$IN,tx_pcap=$UNUSED\""
show=$(appctl_ok dpctl/show)
echo "$show"
echo "$show" | grep -Eq '^  port 1: pin \(dpdk: dpdk-devargs=net_pcap0,rx_pcap=' \
    || fail "show does not list pin with its devargs"

wait_for_output "in_port\(1\), packets:$N, bytes:$((N * 54)), " dpctl/dump-flows
wait_for_output "^    TX packets:$N " dpctl/show -s

info "PMD views"
rxq=$(appctl_ok dpif-netdev/pmd-rxq-show)
echo "$rxq"
echo "$rxq" | grep -Eq 'port: pin +queue-id: +0' \
    || fail "pmd-rxq-show does not list pin queue 0"
perf=$(appctl_ok dpif-netdev/pmd-perf-show)
echo "$perf"
echo "$perf" | grep -Eiq '[0-9.]+ cycles/pkt|cycles per packet: *[0-9.]+' \
    || fail "pmd-perf-show reports no cycles per packet"

info "errors"
# DPDK's EAL logs its own errors for a device it cannot probe.
allow_log '\|dpdk\|ERR\|EAL: (failed to parse device|Failed to attach device)'
appctl_error 'dpdk' dpctl/add-if tern0 'bad,type=dpdk,dpdk-devargs=net_nosuchdriver0'
appctl_error 'unterminated' dpctl/add-if tern0 'bad2,type=dpdk,dpdk-devargs="net_null0'

appctl_ok dpctl/del-if tern0 pin pout
finish_out() {
    stop_vswitchd
    expect_eq "$($PCAP count "$OUT")" $N "packets in $OUT"
    expect_eq "$($PCAP dump "$OUT" | sort -u)" "$PKT" "packets in $OUT"
}
finish_out
check_log
check_sanitizers
info PASS
