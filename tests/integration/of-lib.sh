# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
#
# Helpers for the OpenFlow integration tests: a tern-dbserver and a
# tern-vswitchd configured through Debian's ovs-vsctl, OpenFlow through
# Debian's ovs-ofctl on the bridge's management socket.  Sourced after
# lib.sh.

. "$(dirname "$0")/peers-lib.sh"
for tool in ovs-vsctl ovs-ofctl ip; do
    command -v $tool >/dev/null || fail "$tool is not installed (install-deps.sh)"
done

# start_tern: tern-dbserver and tern-vswitchd (this test's), initialised.
start_tern() {
    start_tern_db "$TERN_RUNDIR"
    start_vswitchd "unix:$TERN_RUNDIR/db.sock"
    allow_log '\|(connmgr|vconn|ofproto[a-z_-]*|fail_mode)\|INFO\|'
}

vsctl() {
    ovs-vsctl --timeout="$TIMEOUT" --db="unix:$TERN_RUNDIR/db.sock" "$@"
}

# ofctl BRIDGE-COMMAND ...: ovs-ofctl on the management socket of br0.
ofctl() {
    local cmd=$1
    shift
    ovs-ofctl --timeout="$TIMEOUT" "$cmd" "unix:$TERN_RUNDIR/br0.mgmt" "$@"
}

# ping_ok NS ADDR / ping_fails NS ADDR
ping_ok() {
    ip netns exec "$1" ping -c 2 -i 0.2 -W 2 "$2" >/dev/null 2>&1 \
        || ip netns exec "$1" ping -c 3 -i 0.3 -W 2 "$2" >/dev/null 2>&1
}
ping_fails() {
    ! ip netns exec "$1" ping -c 2 -i 0.2 -W 1 "$2" >/dev/null 2>&1
}
