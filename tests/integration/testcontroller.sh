#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# A real controller: Debian's ovs-testcontroller (a learning switch) is the
# only controller of a fail_mode=secure bridge.  Two network namespaces on
# system ports reach each other only through the flows it installs.
. "$(dirname "$0")/lib.sh"
need_root
. "$(dirname "$0")/of-lib.sh"
command -v ovs-testcontroller >/dev/null \
    || fail "ovs-testcontroller is not installed (install-deps.sh)"

NS1=tern-tc1-$$ NS2=tern-tc2-$$
V1=ttc1-$$ V2=ttc2-$$
add_netns_veth "$NS1" "$V1" "${V1}p" 10.78.0.1/24
add_netns_veth "$NS2" "$V2" "${V2}p" 10.78.0.2/24
PORT=$((20000 + $$ % 20000))

start_tern
vsctl add-br br0 -- set bridge br0 fail_mode=secure \
    -- add-port br0 "$V1" -- set interface "$V1" ofport_request=1 \
    -- add-port br0 "$V2" -- set interface "$V2" ofport_request=2 \
    || fail "bridge"
info "no controller yet: secure mode forwards nothing"
ping_fails "$NS1" 10.78.0.2 || fail "ping worked without any flow"
[ -z "$(ofctl dump-flows | tail -n +2)" ] || fail "secure bridge has flows"

info "ovs-testcontroller on 127.0.0.1:$PORT"
ovs-testcontroller "ptcp:$PORT:127.0.0.1" --detach \
    --pidfile="$TESTDIR/testcontroller.pid" --unixctl="$TESTDIR/tc.ctl" \
    --log-file="$TESTDIR/testcontroller.log" \
    || fail "ovs-testcontroller did not start"
PIDS+=("$(cat "$TESTDIR/testcontroller.pid")")
vsctl set-controller br0 "tcp:127.0.0.1:$PORT" || fail "set-controller"
wait_until sh -c "ovs-vsctl --db=unix:$TERN_RUNDIR/db.sock get controller br0 is_connected | grep -q true" \
    || fail "the controller never connected"

info "ping through the controller's flows"
ping_ok "$NS1" 10.78.0.2 || fail "$NS1 cannot reach $NS2"
ping_ok "$NS2" 10.78.0.1 || fail "$NS2 cannot reach $NS1"
flows=$(ofctl dump-flows | tail -n +2)
echo "$flows"
[ "$(echo "$flows" | grep -c actions=)" -ge 2 ] \
    || fail "the controller installed no flows"
finish
