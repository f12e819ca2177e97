#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# fail_mode.  The controller (Debian's ovs-testcontroller) is connected
# with inactivity_probe=1000 ms, and the test adds a rule that drops
# everything, so that the two namespaces cannot reach each other while the
# controller's flows rule.  Then the controller dies:
#   standalone: within 3 probe intervals + 1 s the bridge falls back to
#               NORMAL (the namespaces reach each other); when the
#               controller returns, its flows rule again (no ping);
#   secure:     nothing changes: no ping, and no flow is added.
. "$(dirname "$0")/lib.sh"
need_root
. "$(dirname "$0")/of-lib.sh"
command -v ovs-testcontroller >/dev/null \
    || fail "ovs-testcontroller is not installed (install-deps.sh)"

NS1=tern-fm1-$$ NS2=tern-fm2-$$
V1=tfm1-$$ V2=tfm2-$$
add_netns_veth "$NS1" "$V1" "${V1}p" 10.80.0.1/24
add_netns_veth "$NS2" "$V2" "${V2}p" 10.80.0.2/24
PORT=$((20000 + ($$ + 7) % 20000))
CTRL_PID=

start_controller() {
    ovs-testcontroller "ptcp:$PORT:127.0.0.1" --detach \
        --pidfile="$TESTDIR/testcontroller.pid" --unixctl="$TESTDIR/tc.ctl" \
        --log-file="$TESTDIR/testcontroller.log" \
        || fail "ovs-testcontroller did not start"
    CTRL_PID=$(cat "$TESTDIR/testcontroller.pid")
    PIDS+=("$CTRL_PID")
}
connected() {
    vsctl get controller br0 is_connected | grep -q true
}

start_tern
allow_log '\|(connmgr|vconn|rconn)\|WARN\|'
vsctl add-br br0 -- set bridge br0 fail_mode=standalone \
    -- add-port br0 "$V1" -- set interface "$V1" ofport_request=1 \
    -- add-port br0 "$V2" -- set interface "$V2" ofport_request=2 \
    || fail "bridge"
start_controller
vsctl set-controller br0 "tcp:127.0.0.1:$PORT" \
    -- set controller br0 inactivity_probe=1000 max_backoff=1000 \
    || fail "set-controller"
wait_until connected || fail "the controller never connected"
ofctl add-flow priority=65535,actions=drop || fail "add-flow"
ping_fails "$NS1" 10.80.0.2 || fail "ping passed the drop rule"

for mode in standalone secure; do
    info "fail_mode=$mode: the controller dies"
    vsctl set bridge br0 fail_mode=$mode || fail "fail_mode"
    flows_before=$(ofctl dump-flows --no-stats | tail -n +2 | sort)
    kill -TERM "$CTRL_PID"
    wait_until sh -c "! kill -0 $CTRL_PID" || fail "controller still alive"
    start=$SECONDS
    if [ $mode = standalone ]; then
        deadline=$((start + 3 + 1 + 2))
        until ip netns exec "$NS1" ping -c 1 -W 1 10.80.0.2 >/dev/null 2>&1; do
            [ $SECONDS -le $deadline ] \
                || fail "no fallback to NORMAL $((SECONDS - start)) s after the controller died"
        done
        info "NORMAL after $((SECONDS - start)) s"
        ping_ok "$NS2" 10.80.0.1 || fail "$NS2 -> $NS1 in fail-open"
    else
        sleep 5
        ping_fails "$NS1" 10.80.0.2 || fail "secure mode forwarded without controller"
        flows_after=$(ofctl dump-flows --no-stats | tail -n +2 | sort)
        [ "$flows_before" = "$flows_after" ] \
            || fail "secure mode changed the flows:
before: $flows_before
after:  $flows_after"
    fi
    info "the controller returns"
    start_controller
    wait_until connected || fail "the controller never reconnected"
    ping_fails "$NS1" 10.80.0.2 || fail "$mode: still NORMAL after the controller returned"
done
finish
