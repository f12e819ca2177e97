#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# OpenFlow connections of a bridge, driven by Debian's ovs-ofctl:
#   - the management socket RUNDIR/br0.mgmt answers show, add-flow,
#     dump-flows and del-flows in OpenFlow 1.0, 1.3, 1.4 and 1.5;
#   - a standalone bridge without controllers shows Open vSwitch's
#     "priority=0 actions=NORMAL" rule, which goes away while a controller
#     is configured and comes back when it is removed;
#   - Bridge.protocols limits the versions (a refused version fails the
#     hello), and OpenFlow 1.1 is never spoken;
#   - a passive controller target (ptcp:) accepts ovs-ofctl;
#   - an active controller (ovs-testcontroller) connects and its
#     Controller row reports is_connected, role and status.
. "$(dirname "$0")/lib.sh"
need_root
. "$(dirname "$0")/of-lib.sh"

PORT=$((20000 + ($$ + 13) % 20000))
CPORT=$((20000 + ($$ + 29) % 20000))

# of VERSION CMD ARGS...: ovs-ofctl -O VERSION on the management socket
# (OpenFlow 1.0 with its own flow format).
of() {
    local version=$1 cmd=$2
    shift 2
    local fmt=()
    [ "$version" = OpenFlow10 ] && fmt=(-F openflow10)
    ovs-ofctl --timeout="$TIMEOUT" -O "$version" "${fmt[@]}" "$cmd" \
        "unix:$TERN_RUNDIR/br0.mgmt" "$@"
}

# flows VERSION: the flows of br0 without statistics, sorted.
flows() {
    of "$1" dump-flows --no-stats | sed 's/^ *//' | LC_ALL=C sort
}

start_tern
vsctl add-br br0 \
    -- add-port br0 p1 -- set interface p1 type=dummy ofport_request=1 \
    -- add-port br0 p2 -- set interface p2 type=dummy ofport_request=2 \
    -- set bridge br0 other_config:datapath-id=00000000000000a1 \
    || fail "add-br"
wait_until test -S "$TERN_RUNDIR/br0.mgmt" || fail "no management socket"

info "standalone without controllers: the NORMAL rule"
expect_eq "$(flows OpenFlow13)" "priority=0 actions=NORMAL" "initial flows"

for v in OpenFlow10 OpenFlow13 OpenFlow14 OpenFlow15; do
    info "$v: show"
    out=$(of $v show) || fail "$v show failed"
    echo "$out" | head -1 | grep -q "OFPT_FEATURES_REPLY" \
        || fail "$v show: no features reply: $out"
    echo "$out" | grep -q "dpid:00000000000000a1" \
        || fail "$v show: wrong datapath id: $out"
    for p in p1 p2; do
        echo "$out" | grep -q "($p)" || fail "$v show: no port $p: $out"
    done
    if [ $v != OpenFlow10 ]; then
        echo "$out" | head -1 | grep -q "(OF1.${v#OpenFlow1})" \
            || fail "$v show: wrong version: $(echo "$out" | head -1)"
    fi

    info "$v: add-flow, dump-flows, del-flows"
    of $v del-flows || fail "$v del-flows"
    expect_eq "$(flows $v)" "" "$v flows after del-flows"
    of $v add-flow "priority=100,ip,nw_dst=10.0.0.1,actions=output:2" \
        || fail "$v add-flow ip"
    of $v add-flow "priority=50,in_port=1,actions=drop" \
        || fail "$v add-flow in_port"
    of $v add-flow "priority=10,dl_type=0x0806,actions=NORMAL" \
        || fail "$v add-flow arp"
    expect_eq "$(flows $v)" "priority=10,arp actions=NORMAL
priority=100,ip,nw_dst=10.0.0.1 actions=output:2
priority=50,in_port=1 actions=drop" "$v flows"
    of $v del-flows --strict "priority=50,in_port=1" \
        || fail "$v del-flows --strict"
    of $v del-flows "ip" || fail "$v del-flows ip"
    expect_eq "$(flows $v)" "priority=10,arp actions=NORMAL" \
        "$v flows after deletes"
    # Errors come back as OpenFlow errors; the connection survives.
    if [ $v != OpenFlow10 ]; then
        if of $v add-flow "priority=1,actions=group:4242" 2>/dev/null; then
            fail "$v: a flow to a missing group was accepted"
        fi
        expect_eq "$(flows $v)" "priority=10,arp actions=NORMAL" \
            "$v flows after a refused add"
    fi
done

info "OpenFlow 1.1 is never negotiated"
if ovs-ofctl --timeout="$TIMEOUT" -O OpenFlow11 show \
    "unix:$TERN_RUNDIR/br0.mgmt" >/dev/null 2>&1; then
    fail "OpenFlow11 show succeeded"
fi

info "Bridge.protocols"
vsctl set bridge br0 protocols=OpenFlow13,OpenFlow15 || fail "protocols"
wait_until sh -c "! ovs-ofctl -O OpenFlow10 show unix:$TERN_RUNDIR/br0.mgmt \
    >/dev/null 2>&1" || fail "OpenFlow10 still accepted"
of OpenFlow15 show >/dev/null || fail "OpenFlow15 refused"
of OpenFlow13 show >/dev/null || fail "OpenFlow13 refused"
if of OpenFlow14 show >/dev/null 2>&1; then
    fail "OpenFlow14 accepted with protocols=OpenFlow13,OpenFlow15"
fi
vsctl clear bridge br0 protocols || fail "clear protocols"
wait_until sh -c "ovs-ofctl -O OpenFlow10 show unix:$TERN_RUNDIR/br0.mgmt \
    >/dev/null 2>&1" || fail "OpenFlow10 not back"

info "a passive controller target"
of OpenFlow13 del-flows || fail "del-flows"
vsctl set-controller br0 "ptcp:$PORT:127.0.0.1" || fail "set-controller ptcp"
wait_until sh -c "ovs-ofctl -O OpenFlow13 show tcp:127.0.0.1:$PORT \
    >/dev/null 2>&1" || fail "no switch on ptcp:$PORT"
ovs-ofctl -O OpenFlow14 add-flow "tcp:127.0.0.1:$PORT" \
    "priority=7,actions=drop" || fail "add-flow over ptcp"
expect_eq "$(flows OpenFlow13)" "priority=7 actions=drop" \
    "flows with a controller"

info "removing the controller brings back the NORMAL rule"
vsctl del-controller br0 || fail "del-controller"
wait_until sh -c "ovs-ofctl -O OpenFlow13 dump-flows --no-stats \
    unix:$TERN_RUNDIR/br0.mgmt | grep -q 'priority=0 actions=NORMAL'" \
    || fail "no NORMAL rule after del-controller"

if command -v ovs-testcontroller >/dev/null; then
    info "an active controller reports its state"
    ovs-testcontroller "ptcp:$CPORT:127.0.0.1" --detach \
        --pidfile="$TESTDIR/testcontroller.pid" \
        --log-file="$TESTDIR/testcontroller.log" \
        --unixctl="$TESTDIR/testcontroller.ctl" \
        || fail "ovs-testcontroller did not start"
    PIDS+=("$(cat "$TESTDIR/testcontroller.pid")")
    vsctl set-controller br0 "tcp:127.0.0.1:$CPORT" || fail "set-controller"
    wait_until sh -c "ovs-vsctl --db=unix:$TERN_RUNDIR/db.sock get \
        controller br0 is_connected | grep -q true" \
        || fail "the controller never connected"
    expect_eq "$(vsctl get controller br0 role)" "other" "controller role"
    wait_until sh -c "ovs-vsctl --db=unix:$TERN_RUNDIR/db.sock get \
        controller br0 status:state | grep -q ACTIVE" \
        || fail "status:state is not ACTIVE: \
$(vsctl get controller br0 status)"
    # The standalone rule is gone while a controller is configured.
    if flows OpenFlow13 | grep -q 'priority=0 actions=NORMAL'; then
        fail "NORMAL rule with a controller configured"
    fi
fi
finish
