#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Hostile OpenFlow input on a live connection (openflow-hostile.py, a raw
# client on the bridge's management socket): bad framing, unknown types,
# malformed flow, group, meter and packet-out messages, bundle abuse
# (implicit open, unknown ids, one add past the 100,000-message limit, the
# idle timeout) and 10,000 seeded random messages.  Each must get the
# OFPT_ERROR the OpenFlow spec names, with the request's xid, or a clean
# close.  Afterwards the daemon is still up, the flow added before the
# attack is still in the table, a new connection works, the log has no
# ERR/EMER line and the sanitizers reported nothing.
. "$(dirname "$0")/lib.sh"
need_root
. "$(dirname "$0")/of-lib.sh"

CLIENT=$top_srcdir/tests/integration/openflow-hostile.py
SOCK=$TERN_RUNDIR/br0.mgmt
# HOSTILE_CASES: a space-separated subset of the client's cases.
CASES=${HOSTILE_CASES:-}
# A length below 8 cannot be framed: the connection is closed with a
# warning.  No other warning, error or emergency is allowed.
allow_log '\|vconn\|WARN\|.*message length [0-9]+ out of range'

start_tern
vsctl add-br br0 \
    -- add-port br0 p1 -- set interface p1 type=dummy ofport_request=1 \
    -- add-port br0 p2 -- set interface p2 type=dummy ofport_request=2 \
    || fail "add-br"
wait_until test -S "$SOCK" || fail "no management socket"

ofctl13() {
    ovs-ofctl --timeout="$TIMEOUT" -O OpenFlow13 "$@" "unix:$SOCK"
}
flows() {
    ovs-ofctl --timeout="$TIMEOUT" -O OpenFlow13 dump-flows --no-stats \
        "unix:$SOCK" | sed 's/^ *//' | LC_ALL=C sort
}

info "a flow before the attack"
ofctl13 del-flows || fail "del-flows"
ovs-ofctl --timeout="$TIMEOUT" -O OpenFlow13 add-flow "unix:$SOCK" \
    "cookie=0x5afe,priority=77,ip,nw_dst=192.0.2.7,actions=output:2" \
    || fail "add-flow"
BEFORE=$(flows)
expect_eq "$BEFORE" \
    "cookie=0x5afe, priority=77,ip,nw_dst=192.0.2.7 actions=output:2" \
    "flows before the attack"

info "hostile input"
# shellcheck disable=SC2086
"$PYTHON" "$CLIENT" "$SOCK" $CASES || fail "some hostile input was mishandled"

info "after the attack"
kill -0 "$DAEMON_PID" || fail "tern-vswitchd died"
AFTER=$(flows) || fail "dump-flows after the attack"
echo "$AFTER" | grep -qx -- "$BEFORE" \
    || fail "the flow added before the attack is gone: $AFTER"
# The only other flows are the ones the client's accepted adds made: the
# implicitly opened bundle's (cookie 0xbad1, priority 333) and random adds.
if echo "$AFTER" | grep -q 'priority=444'; then
    fail "the idle bundle was applied: $AFTER"
fi
case " ${CASES:-bundle} " in
*" bundle"*)
    echo "$AFTER" | grep -q 'cookie=0xbad1, priority=333,arp' \
        || fail "the committed bundle's flow is missing: $AFTER"
    ;;
esac
out=$(ofctl13 show) || fail "show on a new connection"
echo "$out" | grep -q "(p1)" || fail "show lacks p1: $out"
bad=$(grep -E '\|(ERR|EMER)\|' "$LOG" || true)
[ -z "$bad" ] || fail "ERR/EMER in the log:
$bad"
finish
