# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
#
# Helpers for tests that run Tern beside real peers: a private Open vSwitch
# (ovsdb-server + ovs-vswitchd) and Tern's own database server, each in a
# directory of the test, the switches in network namespaces the test made.
# Sourced after lib.sh.  Every daemon started here is stopped at exit, by
# its pid.

# Pids of the daemons started here (tern-vswitchd is lib.sh's).
PIDS=()
stop_pids() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null
    done
    for pid in "${PIDS[@]}"; do
        wait_until sh -c "! kill -0 $pid" || kill -KILL "$pid"
    done
}
on_cleanup stop_pids

# pidof_file FILE: the pid a --detach'ed daemon wrote.
pidof_file() {
    cat "$1" 2>/dev/null || fail "no pidfile $1"
}

# start_ovs DIR NS: Open vSwitch 3.1 with its own schema, its database
# server listening on DIR/db.sock and ovs-vswitchd (dummy devices enabled,
# no kernel datapath) in namespace NS; its run, log and database
# directories are DIR (exported, so ovs-appctl and ovs-ofctl find its
# sockets).  OVS_DPDK=1 runs Open vSwitch's DPDK build instead.
start_ovs() {
    local dir=$1 ns=$2 schema=/usr/share/openvswitch/vswitch.ovsschema
    local tool
    for tool in ovsdb-tool ovsdb-server ovs-vswitchd ovs-vsctl; do
        command -v $tool >/dev/null || fail "$tool is not installed (install-deps.sh)"
    done
    [ -f "$schema" ] || fail "no $schema"
    mkdir -p "$dir"
    export OVS_RUNDIR=$dir OVS_LOGDIR=$dir OVS_DBDIR=$dir OVS_SYSCONFDIR=$dir
    ovsdb-tool create "$dir/conf.db" "$schema" || fail "ovsdb-tool create"
    ovsdb-server "$dir/conf.db" --remote="punix:$dir/db.sock" \
        --pidfile="$dir/ovsdb-server.pid" \
        --unixctl="$dir/ovsdb-server.ctl" --detach \
        --log-file="$dir/ovsdb-server.log" 2>>"$dir/stderr" \
        || fail "ovsdb-server did not start: $(cat "$dir/stderr")"
    PIDS+=("$(pidof_file "$dir/ovsdb-server.pid")")
    ovs-vsctl --timeout="$TIMEOUT" --db="unix:$dir/db.sock" --no-wait init \
        || fail "ovs-vsctl init"
    local vswitchd=ovs-vswitchd
    if [ "${OVS_DPDK:-0}" = 1 ]; then
        # Open vSwitch built with DPDK (Debian openvswitch-switch-dpdk): it
        # has the vhost-user types.  Open vSwitch 3.1 always runs DPDK
        # "--in-memory", which DPDK refuses without hugepages, so this
        # reserves 512 2-MB pages (given back at cleanup) and mounts
        # hugetlbfs in DIR.
        vswitchd=/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk
        [ -x "$vswitchd" ] \
            || fail "$vswitchd is not installed (install-deps.sh)"
        local pages
        pages=$(cat /proc/sys/vm/nr_hugepages)
        if [ "$pages" -lt 512 ]; then
            echo 512 >/proc/sys/vm/nr_hugepages \
                || fail "cannot reserve hugepages"
            on_cleanup "echo $pages >/proc/sys/vm/nr_hugepages"
        fi
        mkdir -p "$dir/huge"
        mount -t hugetlbfs none "$dir/huge" || fail "mount hugetlbfs"
        on_cleanup umount "$dir/huge"
        ovs-vsctl --timeout="$TIMEOUT" --db="unix:$dir/db.sock" --no-wait \
            set Open_vSwitch . other_config:dpdk-init=true \
            other_config:dpdk-lcore-mask=0x1 other_config:pmd-cpu-mask=0x2 \
            other_config:dpdk-socket-mem=256 \
            "other_config:dpdk-extra=--no-pci --huge-dir=$dir/huge --file-prefix=ovs$$" \
            || fail "ovs-vsctl: DPDK settings"
    fi
    ip netns exec "$ns" "$vswitchd" "unix:$dir/db.sock" \
        --pidfile="$dir/ovs-vswitchd.pid" \
        --unixctl="$dir/ovs-vswitchd.ctl" --detach \
        --log-file="$dir/ovs-vswitchd.log" --enable-dummy --disable-system \
        2>>"$dir/stderr" \
        || fail "ovs-vswitchd did not start: $(cat "$dir/stderr")"
    PIDS+=("$(pidof_file "$dir/ovs-vswitchd.pid")")
}

# start_tern_db DIR: tern-dbserver with Tern's schema, listening on
# DIR/db.sock (files in DIR), initialised with ovs-vsctl.
start_tern_db() {
    local dir=$1
    local server=$top_builddir/ovsdb/tern-dbserver
    [ -x "$server" ] || fail "$server not built"
    mkdir -p "$dir"
    "$server" "$dir/conf.db" --schema="$top_srcdir/vswitchd/vswitch.ovsschema" \
        --remote="punix:$dir/db.sock" \
        --pidfile="$dir/tern-dbserver.pid" \
        --unixctl="$dir/tern-dbserver.ctl" --detach \
        --log-file="$dir/tern-dbserver.log" \
        || fail "tern-dbserver did not start"
    PIDS+=("$(pidof_file "$dir/tern-dbserver.pid")")
    ovs-vsctl --timeout="$TIMEOUT" --db="unix:$dir/db.sock" --no-wait init \
        || fail "ovs-vsctl init against tern-dbserver"
}

# vswitchd_in_ns DIR NS: makes lib.sh's start_vswitchd run tern-vswitchd
# in namespace NS (through a wrapper script in DIR).
vswitchd_in_ns() {
    printf '#!/bin/sh\nexec ip netns exec %s %s "$@"\n' "$2" "$VSWITCHD" \
        >"$1/vswitchd-in-ns"
    chmod +x "$1/vswitchd-in-ns"
    VSWITCHD=$1/vswitchd-in-ns
}
