#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Starts Tern doing the job a newcomer expects of a virtual switch:
# connecting virtual machines and network namespaces.  tern-ctl starts
# tern-dbserver and tern-vswitchd, and tern-vsctl (ovs-vsctl's command
# language) creates bridge br0, a learning switch (OpenFlow NORMAL), with
#   tdemo1, tdemo2  system ports: veth pairs whose other ends are in the
#                   network namespaces tern-demo1 (10.90.0.1) and
#                   tern-demo2 (10.90.0.2);
#   vm1, vm2        dpdkvhostuserclient ports: two small QEMU virtual
#                   machines (TCG; Debian's cloud kernel and a busybox
#                   initramfs, tests/vm/build-guest.sh) at 10.90.0.11 and
#                   10.90.0.12, serving the vhost-user sockets Tern
#                   connects to.
# The script shows them pinging each other across the switch (namespace to
# namespace, VM to VM, namespace to VM), then prints the configuration,
# the OpenFlow flows and the PMD statistics.  Tern and the VMs keep
# running.
#
# Usage: utilities/tern-demo.sh [start|stop|vm NAME COMMAND...]
#   start (the default) first installs the Debian packages Tern needs
#         (install-deps.sh), builds Tern in _build/release and the VMs'
#         image in _build/release/tests/vm/guest;
#   stop  stops the VMs, removes the namespaces and stops Tern;
#   vm    runs a shell command in VM vm1 or vm2 and prints its output.
# Environment: TERN_BUILD (build directory; default: _build/release),
#   TERN_RUNDIR, TERN_DBDIR, TERN_LOGDIR (defaults /var/run/tern,
#   /var/lib/tern, /var/log/tern).  Needs root (DPDK, namespaces).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${TERN_BUILD:-$top/_build/release}
export TERN_RUNDIR=${TERN_RUNDIR:-/var/run/tern}
export TERN_DBDIR=${TERN_DBDIR:-/var/lib/tern}
export TERN_LOGDIR=${TERN_LOGDIR:-/var/log/tern}
CTL=$build/utilities/tern-ctl
VSCTL=$build/utilities/tern-vsctl
APPCTL=$build/utilities/tern-appctl
OFCTL=$build/utilities/tern-ofctl
# The VMs' files: vhost-user sockets, consoles, pidfiles.
DEMO_DIR=$TERN_RUNDIR/demo
declare -A ADDR=([ns1]=10.90.0.1 [ns2]=10.90.0.2 [vm1]=10.90.0.11
    [vm2]=10.90.0.12)

die() {
    echo "tern-demo.sh: $*" >&2
    exit 1
}

# vm-lib.sh (the test suite's QEMU helpers) expects these.
fail() { die "$@"; }
info() { echo "$*"; }
on_cleanup() { :; }
top_srcdir=$top
top_builddir=$build
VM_DIR=$DEMO_DIR
VM_IMAGE=$build/tests/vm/guest
VM_DETACH=1
# shellcheck source=../tests/integration/vm-lib.sh
. "$top/tests/integration/vm-lib.sh"

# kill_pidfile FILE PATTERN: kills the process named in FILE if its
# command line contains PATTERN (so a reused PID is left alone).
kill_pidfile() {
    local pid
    pid=$(cat "$1" 2>/dev/null) || return 0
    if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$2"; then
        kill -TERM "$pid" 2>/dev/null
    fi
    rm -f "$1"
}

# Removes what an earlier run made: VMs, namespaces, veth pairs.
remove_demo() {
    local vm i
    for vm in vm1 vm2; do
        kill_pidfile "$DEMO_DIR/vm-$vm/qemu.pid" "tern-$vm"
        kill_pidfile "$DEMO_DIR/vm-$vm/reader.pid" "$DEMO_DIR/vm-$vm/console"
    done
    for i in 1 2; do
        ip netns del "tern-demo$i" 2>/dev/null
        ip link del "tdemo$i" 2>/dev/null
    done
    return 0
}

# vm_demo NAME COMMAND: runs COMMAND in VM NAME (started by an earlier
# 'start'), as "utilities/tern-demo.sh vm NAME COMMAND" does.
vm_demo() {
    local name=$1 dir
    shift
    dir=$(vm_dir "$name")
    [ -p "$dir/console.in" ] || die "no VM $name (run $0 first)"
    VM_PID[$name]=$(cat "$dir/qemu.pid")
    VM_LOG[$name]=$(ls -t "$dir"/console.*.log | head -n 1)
    # Command ids unique in the console log of this boot.
    VM_SEQ[$name]=$EPOCHSECONDS$RANDOM
    vm_run "$name" 120 "$*"
}

case ${1:-start} in
stop)
    [ "$(id -u)" = 0 ] || die "run as root"
    remove_demo
    exec "$CTL" stop
    ;;
vm)
    [ $# -ge 3 ] || die "usage: $0 vm vm1|vm2 COMMAND..."
    shift
    vm_demo "$@"
    exit
    ;;
start) ;;
*) die "usage: $0 [start|stop|vm NAME COMMAND...]" ;;
esac

[ "$(id -u)" = 0 ] || die "run as root (DPDK and namespaces need it)"
"$top/install-deps.sh" || die "install-deps.sh failed"
if [ ! -f "$build/Makefile" ]; then
    [ -x "$top/configure" ] || (cd "$top" && ./boot.sh >/dev/null)
    mkdir -p "$build"
    echo "Configuring Tern in $build..."
    (cd "$build" && "$top/configure" -q) || die "configure failed"
fi
echo "Building Tern in $build..."
make -C "$build" -j2 >/dev/null || die "the build failed"
echo "Building the VMs' image (kernel and initramfs) in $VM_IMAGE..."
vm_image

remove_demo
mkdir -p "$DEMO_DIR"
"$CTL" start || die "tern-ctl start failed"
vsctl() { "$VSCTL" --timeout=60 "$@"; }
# The main thread runs on the first CPU, the PMD thread on the last one.
last_cpu=$(($(nproc) - 1))
vsctl set Open_vSwitch . \
    "other_config:pmd-cpu-mask=$(printf '0x%x' $((1 << last_cpu)))"
# Start from a fresh br0 (the database keeps what an earlier run made).
vsctl --if-exists del-br br0

echo "Creating namespaces tern-demo1 and tern-demo2 on veth pairs..."
for i in 1 2; do
    ns=tern-demo$i
    ip netns add "$ns" || die "ip netns add $ns"
    ip link add "tdemo$i" type veth peer name eth0 netns "$ns" \
        || die "veth tdemo$i"
    sysctl -qw "net.ipv6.conf.tdemo$i.disable_ipv6=1"
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
    ip -n "$ns" addr add "${ADDR[ns$i]}/24" dev eth0
    ip -n "$ns" link set eth0 up
    ip -n "$ns" link set lo up
    ip link set "tdemo$i" up
done

# A standalone bridge without a controller is a learning switch.
vsctl add-br br0 -- set Bridge br0 datapath_type=netdev \
    -- add-port br0 tdemo1 -- add-port br0 tdemo2 || die "add-br br0"
for vm in vm1 vm2; do
    vsctl add-port br0 "$vm" -- set Interface "$vm" type=dpdkvhostuserclient \
        "options:vhost-server-path=$DEMO_DIR/$vm.sock" \
        || die "add-port $vm"
done

echo "Booting vm1 and vm2 (QEMU without KVM: this takes 10-60 s)..."
for vm in vm1 vm2; do
    vm_start "$vm" server "$DEMO_DIR/$vm.sock" "${ADDR[$vm]}/24"
done
for vm in vm1 vm2; do
    vm_wait_ready "$vm"
    echo "$vm is up (${VM_BOOT_SECONDS[$vm]} s)"
done

status=0
ns_ping() { # NS-NUMBER TARGET
    echo
    echo "\$ ip netns exec tern-demo$1 ping -c 3 -i 0.3 ${ADDR[$2]}   # ns$1 -> $2"
    ip netns exec "tern-demo$1" ping -c 3 -i 0.3 -W 2 "${ADDR[$2]}" \
        || { echo "(no answer)"; status=1; }
}
vm_ping_show() { # VM TARGET
    echo
    echo "[$1]\$ ping -c 3 -i 0.3 ${ADDR[$2]}   # $1 -> $2"
    vm_run "$1" 60 "ping -c 3 -i 0.3 -W 2 ${ADDR[$2]}" \
        || { echo "(no answer)"; status=1; }
}
ns_ping 1 ns2
vm_ping_show vm1 vm2
ns_ping 1 vm1
vm_ping_show vm2 ns2

echo
echo "\$ tern-vsctl show"
vsctl show
echo
echo "\$ tern-ofctl dump-flows br0"
"$OFCTL" dump-flows br0
echo
echo "\$ tern-appctl fdb/show br0"
"$APPCTL" fdb/show br0
echo
echo "\$ tern-appctl dpif-netdev/pmd-stats-show"
"$APPCTL" dpif-netdev/pmd-stats-show
cat <<MSG

Tern keeps running with br0, two namespaces and two VMs (logs in
$TERN_LOGDIR, VM consoles in $DEMO_DIR).
Ping again:   ip netns exec tern-demo1 ping 10.90.0.12
              $0 vm vm1 ping -c 3 10.90.0.2
Configure:    $VSCTL show
OpenFlow:     $OFCTL dump-flows br0
PMD threads:  $APPCTL dpif-netdev/pmd-stats-show
Stop it all:  $0 stop
              (stops the VMs, removes the namespaces, runs tern-ctl stop)
MSG
exit $status
