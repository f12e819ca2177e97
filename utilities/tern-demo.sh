#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Starts Tern doing real work on a default configuration, the way an
# operator would: tern-ctl starts tern-dbserver and tern-vswitchd, and
# tern-vsctl (ovs-vsctl's command language) creates bridge br0 with two
# DPDK virtual ports — "src", a net_pcap port replaying UDP packets forever
# (OpenFlow port 1), and "sink", a net_null sink (port 2).  The OpenFlow
# rule in_port=1 -> output:2 is added with tern-ofctl (ovs-ofctl's command
# language), one PMD thread forwards, and the script prints the
# configuration, the OpenFlow and datapath flows, and the PMD statistics.
# Tern keeps running.
#
# Usage: utilities/tern-demo.sh [start|stop]
# 'start' (the default) first installs the Debian packages Tern needs and
# builds it in _build/release.
# Environment: TERN_BUILD (build directory; default: _build/release),
#   TERN_RUNDIR, TERN_DBDIR, TERN_LOGDIR (defaults /var/run/tern,
#   /var/lib/tern, /var/log/tern).  Needs root (DPDK).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${TERN_BUILD:-$top/_build/release}
export TERN_RUNDIR=${TERN_RUNDIR:-/var/run/tern}
export TERN_DBDIR=${TERN_DBDIR:-/var/lib/tern}
export TERN_LOGDIR=${TERN_LOGDIR:-/var/log/tern}
CTL=$build/utilities/tern-ctl
VSCTL=$build/utilities/tern-vsctl
APPCTL=$build/utilities/tern-appctl
OFCTL=$build/utilities/tern-ofctl

if [ "${1:-start}" = stop ]; then
    exec "$CTL" stop
fi

[ "$(id -u)" = 0 ] || { echo "$0: run as root (DPDK needs it)" >&2; exit 1; }
if [ ! -f "$build/Makefile" ]; then
    "$top/install-deps.sh"
    [ -x "$top/configure" ] || (cd "$top" && ./boot.sh >/dev/null)
    mkdir -p "$build"
    echo "Configuring Tern in $build..."
    (cd "$build" && "$top/configure" -q)
fi
echo "Building Tern in $build..."
make -C "$build" -j2 >/dev/null

mkdir -p "$TERN_RUNDIR"
pcap=$TERN_RUNDIR/demo-udp.pcap
/usr/bin/python3 "$top/tests/perf/gen-pcap.py" --flows 64 --out "$pcap"

# The main thread runs on the first CPU, the PMD thread on the last one.
last_cpu=$(($(nproc) - 1))
"$CTL" start
vsctl() { "$VSCTL" --timeout=60 "$@"; }
vsctl set Open_vSwitch . \
    "other_config:pmd-cpu-mask=$(printf '0x%x' $((1 << last_cpu)))"
# Start from a fresh br0 (the database keeps what an earlier run made).
vsctl --if-exists del-br br0
# fail_mode=secure: the bridge forwards only by the OpenFlow rules it is
# given (standalone, the default, would act as a learning switch).
vsctl add-br br0 -- set Bridge br0 datapath_type=netdev fail_mode=secure
vsctl add-port br0 sink -- set Interface sink type=dpdk \
    'options:dpdk-devargs="net_null0,no-rx=1"' ofport_request=2
# The rule goes in before the source port starts sending.
"$OFCTL" add-flow br0 in_port=1,actions=output:2
vsctl add-port br0 src -- set Interface src type=dpdk \
    "options:dpdk-devargs=\"net_pcap0,rx_pcap=$pcap,infinite_rx=1\"" \
    ofport_request=1
"$APPCTL" dpif-netdev/pmd-stats-clear >/dev/null
echo "Forwarding on a PMD thread for 3 seconds..."
sleep 3

echo
echo "\$ tern-vsctl show"
vsctl show
echo
echo "\$ tern-ofctl dump-flows br0"
"$OFCTL" dump-flows br0
for cmd in "dpctl/show -s" dpctl/dump-flows dpif-netdev/pmd-rxq-show \
        dpif-netdev/pmd-stats-show dpif-netdev/pmd-perf-show; do
    echo
    echo "\$ tern-appctl $cmd"
    # shellcheck disable=SC2086
    "$APPCTL" $cmd
done
cat <<MSG

Tern keeps forwarding (logs in $TERN_LOGDIR).
Look again:  $APPCTL dpif-netdev/pmd-perf-show
Configure:   $VSCTL show
OpenFlow:    $OFCTL dump-flows br0
Stop it:     $0 stop   (or: $CTL stop)
MSG
