#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# The bridge layer: tern-vswitchd follows a configuration database that
# ovs-vsctl (or tern-vsctl) changes.  Each change must be in the datapath
# when the command returns (ovs-vsctl waits for cur_cfg); state comes back
# in the Interface rows; restarts of either daemon are survived.
#
# The database server is tern-dbserver with Tern's schema; with
# TERN_TEST_DBSERVER=ovs it is Open vSwitch's ovsdb-server with its own
# schema instead (the reference to compare against).
. "$(dirname "$0")/lib.sh"

need_root
command -v ip >/dev/null || skip "no ip command"

DB_SOCK=$TERN_RUNDIR/db.sock
DB_FILE=$TESTDIR/conf.db
DB_LOG=$TERN_LOGDIR/dbserver.log
DB_PIDFILE=$TERN_RUNDIR/dbserver.pid
DB_PID=

if [ "${TERN_TEST_DBSERVER:-tern}" = ovs ]; then
    command -v ovsdb-server >/dev/null || skip "no ovsdb-server"
    SCHEMA=/usr/share/openvswitch/vswitch.ovsschema
    ovsdb-tool create "$DB_FILE" "$SCHEMA" || fail "ovsdb-tool create"
    db_server() {
        ovsdb-server --remote="punix:$DB_SOCK" --pidfile="$DB_PIDFILE" \
            --unixctl="$TERN_RUNDIR/dbserver.ctl" --detach \
            --log-file="$DB_LOG" "$DB_FILE"
    }
else
    DBSERVER=$top_builddir/ovsdb/tern-dbserver
    [ -x "$DBSERVER" ] || fail "$DBSERVER not built"
    SCHEMA=$top_srcdir/vswitchd/vswitch.ovsschema
    db_server() {
        "$DBSERVER" --remote="punix:$DB_SOCK" --schema="$SCHEMA" \
            --pidfile="$DB_PIDFILE" --unixctl="$TERN_RUNDIR/dbserver.ctl" \
            --detach --log-file="$DB_LOG" "$DB_FILE"
    }
fi
# The client: Open vSwitch's ovs-vsctl when installed (TERN_TEST_VSCTL
# names another, e.g. tern-vsctl).
if [ -n "${TERN_TEST_VSCTL:-}" ]; then
    VSCTL_BIN=$TERN_TEST_VSCTL
elif command -v ovs-vsctl >/dev/null; then
    VSCTL_BIN=ovs-vsctl
else
    VSCTL_BIN=$top_builddir/utilities/tern-vsctl
fi

start_db() {
    db_server || fail "database server did not start"
    DB_PID=$(cat "$DB_PIDFILE") || fail "no database pidfile"
    wait_until test -S "$DB_SOCK" || fail "no database socket"
    info "database server running as pid $DB_PID"
}

stop_db() {
    kill -TERM "$DB_PID" 2>/dev/null
    wait_until sh -c "! kill -0 $DB_PID" || fail "database server stays up"
    DB_PID=
}
on_cleanup '[ -z "$DB_PID" ] || kill -TERM "$DB_PID"'

vsctl() {
    "$VSCTL_BIN" --timeout="$TIMEOUT" --db="unix:$DB_SOCK" "$@"
}

vsctl_ok() {
    vsctl "$@" || fail "vsctl $* failed"
}

# Value of a column of an Interface row, as ovs-vsctl prints it.
iface_get() {
    vsctl get Interface "$1" "$2"
}

# Port line of dpctl/show for interface $1 ("port N: NAME (TYPE)").
dp_port() {
    appctl dpctl/show br0 | grep -E "^  port [0-9]+: $1 \(" | sed 's/^  //'
}

# Unimplemented settings and unsupported types are reported in the log.
allow_log '\|bridge\|WARN\|Port d1: protected=true is not implemented yet'
allow_log '\|iface\|WARN\|br0: interface v1: unsupported interface type'

start_db
vsctl_ok --no-wait init
# Flows added with dpctl below must not expire while the test runs.
vsctl_ok --no-wait set Open_vSwitch . other_config:max-idle=3600000
# EAL settings from the database reach DPDK at start-up ("-c" replaces
# Tern's default "-l"; the main lcore stays on CPU 0).
vsctl_ok --no-wait set Open_vSwitch . other_config:dpdk-lcore-mask=0x1
start_vswitchd "unix:$DB_SOCK"

grep -Eq 'DPDK EAL arguments: .*-c 0x1' "$LOG" \
    || fail "dpdk-lcore-mask did not reach the EAL"
expect_eq "$(vsctl get Open_vSwitch . dpdk_initialized)" true \
    "dpdk_initialized"

info "add-br and add-port take effect before the command returns"
vsctl_ok add-br br0 -- set bridge br0 datapath_type=netdev
expect_eq "$(appctl_ok dpctl/dump-dps)" "netdev@br0" "datapaths"
vsctl_ok add-port br0 d1 -- set Interface d1 type=dummy
vsctl_ok add-port br0 d2 -- set Interface d2 type=dummy ofport_request=5
# A null device that receives nothing (quoted: the value has a comma).
vsctl_ok add-port br0 p0 -- set Interface p0 type=dpdk \
    options:dpdk-devargs='"net_null0,no-rx=1"'
appctl_ok dpctl/show
expect_eq "$(dp_port d1)" "port 1: d1 (dummy)" "d1 in the datapath"
expect_eq "$(dp_port d2)" "port 5: d2 (dummy)" "d2 at its ofport_request"
expect_eq "$(dp_port p0)" "port 2: p0 (dpdk)" "p0 in the datapath"
expect_eq "$(iface_get d1 ofport)" 1 "d1 ofport"
expect_eq "$(iface_get d2 ofport)" 5 "d2 ofport"
expect_eq "$(iface_get p0 ofport)" 2 "p0 ofport"
expect_eq "$(iface_get d1 link_state)" up "d1 link_state"
expect_eq "$(iface_get d1 admin_state)" up "d1 admin_state"
expect_eq "$(iface_get d1 error)" "[]" "d1 error"
iface_get d1 mac_in_use | grep -Eq '^"([0-9a-f]{2}:){5}[0-9a-f]{2}"$' \
    || fail "d1 mac_in_use: $(iface_get d1 mac_in_use)"
vsctl get Bridge br0 datapath_id | grep -Eq '^"[0-9a-f]{16}"$' \
    || fail "datapath_id: $(vsctl get Bridge br0 datapath_id)"
expect_eq "$(vsctl get Open_vSwitch . cur_cfg)" \
    "$(vsctl get Open_vSwitch . next_cfg)" "cur_cfg"
vsctl get Open_vSwitch . iface_types | grep -q dpdk \
    || fail "iface_types: $(vsctl get Open_vSwitch . iface_types)"
expect_eq "$(vsctl get Open_vSwitch . db_version)" \
    "\"$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$SCHEMA" | head -1)\"" \
    "db_version"

info "statistics"
PKT=00000000000200000000000108004500001c00010000401166cd0a0000010a000002
for i in 1 2 3; do
    appctl_ok netdev-dummy/receive d1 "$PKT"
done
wait_until sh -c "[ \"\$($VSCTL_BIN --db=unix:$DB_SOCK get Interface d1 \
    statistics:rx_packets 2>/dev/null)\" = 3 ]" \
    || fail "d1 statistics: $(iface_get d1 statistics)"
iface_get d1 statistics | grep -q 'tx_bytes=' || fail "no tx_bytes"

info "options, mtu_request and unimplemented settings"
vsctl_ok set Interface d1 mtu_request=9000
expect_eq "$(iface_get d1 mtu)" 9000 "d1 mtu"
vsctl_ok set Port d1 protected=true
iface_get d1 error | grep -q 'Port.protected' \
    || fail "d1 error does not name Port.protected: $(iface_get d1 error)"
expect_eq "$(iface_get d1 ofport)" 1 "d1 ofport with protected"
vsctl_ok set Port d1 protected=false
expect_eq "$(iface_get d1 error)" "[]" "d1 error without protected"

info "unsupported interface type"
vsctl add-port br0 v1 -- set Interface v1 type=geneve \
    options:remote_ip=192.0.2.1 2>/dev/null
iface_get v1 error | grep -q 'unsupported interface type' \
    || fail "v1 error: $(iface_get v1 error)"
expect_eq "$(iface_get v1 ofport)" -1 "v1 ofport"
[ -z "$(dp_port v1)" ] || fail "v1 is in the datapath"
expect_eq "$(iface_get br0 ofport)" 65534 "LOCAL port"
expect_eq "$(iface_get br0 error)" "[]" "LOCAL port error"

info "del-port"
vsctl_ok del-port br0 d2
[ -z "$(dp_port d2)" ] || fail "d2 still in the datapath"
vsctl_ok del-port br0 v1

info "restart tern-vswitchd: ports come back with their numbers"
stop_vswitchd
start_vswitchd "unix:$DB_SOCK"
expect_eq "$(dp_port d1)" "port 1: d1 (dummy)" "d1 after restart"
expect_eq "$(dp_port p0)" "port 2: p0 (dpdk)" "p0 after restart"
[ -z "$(dp_port d2)" ] || fail "d2 came back"

info "restart the database server"
stop_db
start_db
vsctl_ok add-port br0 d3 -- set Interface d3 type=dummy
expect_eq "$(dp_port d3)" "port 3: d3 (dummy)" "d3 after reconnection"
grep -q 'connection lost, reconnecting' "$LOG" \
    || fail "the daemon did not notice the database restart"

info "system ports on veth pairs: ping across br0"
NS1=tern-br1-$$ NS2=tern-br2-$$
V1=tbv1-$$ V2=tbv2-$$
add_netns_veth "$NS1" "$V1" "${V1}p" 10.78.0.1/24
add_netns_veth "$NS2" "$V2" "${V2}p" 10.78.0.2/24
vsctl_ok add-port br0 "$V1" -- set Interface "$V1" ofport_request=11
vsctl_ok add-port br0 "$V2" -- set Interface "$V2" type=system \
    ofport_request=12
expect_eq "$(dp_port "$V1")" "port 11: $V1 (system)" "$V1 in the datapath"
expect_eq "$(dp_port "$V2")" "port 12: $V2 (system)" "$V2 in the datapath"
appctl_ok dpctl/add-flow br0 'in_port(11)' 12
appctl_ok dpctl/add-flow br0 'in_port(12)' 11
ip netns exec "$NS1" ping -c 3 -i 0.2 -W 2 10.78.0.2 \
    || fail "no ping across br0"
wait_until sh -c "[ \"\$($VSCTL_BIN --db=unix:$DB_SOCK get Interface $V1 \
    statistics:rx_packets 2>/dev/null)\" -ge 3 ]" \
    || fail "$V1 statistics: $(iface_get "$V1" statistics)"

info "del-br"
vsctl_ok del-br br0
expect_eq "$(appctl_ok dpctl/dump-dps)" "" "datapaths after del-br"

finish
