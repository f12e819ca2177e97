#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Starts Tern doing real work on a default configuration: tern-vswitchd with
# datapath "tern0", a DPDK net_pcap port replaying UDP packets forever
# (port 1) and a net_null sink (port 2), the flow in_port(1) -> 2, and one
# PMD thread forwarding.  Prints the datapath, its flows and the PMD
# statistics, and leaves tern-vswitchd running.
#
# Usage: utilities/tern-demo.sh [start|stop]
# 'start' (the default) first installs the Debian packages Tern needs and
# builds it in _build/release when that build does not exist yet.
# Environment: TERN_BUILD (build directory; default: _build/release),
#   TERN_RUNDIR (default /var/run/tern), TERN_LOGDIR (default
#   /var/log/tern).  Needs root (DPDK).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${TERN_BUILD:-$top/_build/release}
export TERN_RUNDIR=${TERN_RUNDIR:-/var/run/tern}
export TERN_LOGDIR=${TERN_LOGDIR:-/var/log/tern}
VSWITCHD=$build/vswitchd/tern-vswitchd
APPCTL=$build/utilities/tern-appctl
pidfile=$TERN_RUNDIR/tern-vswitchd.pid

stop() {
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
        pid=$(cat "$pidfile")
        kill "$pid"
        for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        echo "tern-vswitchd (pid $pid) stopped"
    else
        echo "tern-vswitchd is not running"
    fi
}

if [ "${1:-start}" = stop ]; then
    stop
    exit 0
fi

[ "$(id -u)" = 0 ] || { echo "$0: run as root (DPDK needs it)" >&2; exit 1; }
if [ ! -x "$VSWITCHD" ] || [ ! -x "$APPCTL" ]; then
    "$top/install-deps.sh"
    [ -x "$top/configure" ] || (cd "$top" && ./boot.sh >/dev/null)
    mkdir -p "$build"
    echo "Building Tern in $build..."
    (cd "$build" && "$top/configure" -q && make -j2 >/dev/null)
fi
if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    echo "tern-vswitchd is already running; '$0 stop' stops it" >&2
    exit 1
fi
mkdir -p "$TERN_RUNDIR" "$TERN_LOGDIR"
pcap=$TERN_RUNDIR/demo-udp.pcap
/usr/bin/python3 "$top/tests/perf/gen-pcap.py" --flows 64 --out "$pcap"

# The main thread runs on the first CPU, the PMD thread on the last one.
last_cpu=$(($(nproc) - 1))
"$VSWITCHD" --detach --pidfile --log-file --dpdk-extra="--file-prefix=tern-demo"
appctl() { "$APPCTL" "$@"; }
appctl dpctl/add-dp tern0 >/dev/null
appctl dpctl/set-config tern0 "pmd-cpu-mask=$(printf '0x%x' $((1 << last_cpu)))" >/dev/null
appctl dpctl/add-flow tern0 "in_port(1)" 2 >/dev/null
appctl dpctl/add-if tern0 "sink,type=dpdk,port_no=2,dpdk-devargs=\"net_null0,no-rx=1\"" >/dev/null
appctl dpctl/add-if tern0 "src,type=dpdk,port_no=1,dpdk-devargs=\"net_pcap0,rx_pcap=$pcap,infinite_rx=1\"" >/dev/null
appctl dpif-netdev/pmd-stats-clear >/dev/null
echo "Forwarding on a PMD thread for 3 seconds..."
sleep 3

for cmd in "dpctl/show -s" dpctl/dump-flows dpif-netdev/pmd-rxq-show \
        dpif-netdev/pmd-stats-show dpif-netdev/pmd-perf-show; do
    echo
    echo "\$ tern-appctl $cmd"
    # shellcheck disable=SC2086
    appctl $cmd
done
cat <<MSG

tern-vswitchd keeps forwarding (pid $(cat "$pidfile"), log $TERN_LOGDIR/tern-vswitchd.log).
Look again:  $APPCTL dpif-netdev/pmd-perf-show
Stop it:     $0 stop
MSG
