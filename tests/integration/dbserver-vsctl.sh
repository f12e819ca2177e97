#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Debian's ovs-vsctl against tern-dbserver serving Tern's Open_vSwitch
# schema: init, add-br, add-port, set, get, list, find, show, del-port,
# del-br and their errors must work without warnings, and every answer
# must equal what Open vSwitch's own ovsdb-server gives for the same
# commands on the same schema (when it is installed), UUIDs and the order
# of lines aside.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/dbserver-lib.sh"

command -v ovs-vsctl >/dev/null || skip "ovs-vsctl is not installed"
[ -f "$VSWITCH_SCHEMA" ] || skip "no $VSWITCH_SCHEMA"

start_dbserver --schema="$VSWITCH_SCHEMA" "$TESTDIR/conf.db" \
    --remote="punix:$DBSOCK"

# The reference server, if installed, in its own directory.
REF=$TESTDIR/ref
REF_SOCK=
if command -v ovsdb-server >/dev/null && command -v ovsdb-tool >/dev/null
then
    mkdir -p "$REF"
    ovsdb-tool create "$REF/conf.db" "$VSWITCH_SCHEMA" \
        || fail "ovsdb-tool create"
    start_db_in "$REF" ovsdb-server "$REF/conf.db"
    REF_SOCK=$REF/db.sock
fi

UUID_RE='[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'

# run_vsctl SOCKET ARGS...: ovs-vsctl's output and status, UUIDs replaced
# by "UUID".
run_vsctl() {
    local sock=$1
    shift
    { ovs-vsctl --db="unix:$sock" --no-wait --timeout=10 "$@" 2>&1
      echo "status=$?"; } | sed -E "s/$UUID_RE/UUID/g"
}

# Runs ovs-vsctl against tern-dbserver and prints what run_vsctl does; fails
# on warnings and, with a reference server, on any other answer than its
# (rows and set elements come in UUID order, so lines are compared sorted).
N=0
vsctl() {
    local out ref
    N=$((N + 1))
    out=$(run_vsctl "$DBSOCK" "$@")
    printf '%s\n' "$out" >"$TESTDIR/out.$N"
    if printf '%s\n' "$out" | grep -q '|WARN|\||ERR|'; then
        fail "ovs-vsctl $*: warnings: $out"
    fi
    if [ -n "$REF_SOCK" ]; then
        ref=$(run_vsctl "$REF_SOCK" "$@")
        [ "$(sort <<<"$out")" = "$(sort <<<"$ref")" ] \
            || fail "ovs-vsctl $*: tern-dbserver answered
$out
but ovsdb-server answered
$ref"
    fi
    printf '%s\n' "$out"
}

# Expects the command to succeed and print exactly $1.
vsctl_is() {
    local expected=$1 out
    shift
    out=$(vsctl "$@")
    [ "$out" = "$expected
status=0" ] && return 0
    [ -z "$expected" ] && [ "$out" = "status=0" ] && return 0
    fail "ovs-vsctl $*: got
$out
expected
$expected"
}

# Expects the command to fail with a message matching $1.
vsctl_fails() {
    local pattern=$1 out
    shift
    out=$(vsctl "$@")
    echo "$out" | grep -q '^status=0$' && fail "ovs-vsctl $* succeeded"
    echo "$out" | grep -Eq -- "$pattern" \
        || fail "ovs-vsctl $*: \"$out\" lacks \"$pattern\""
}

info "init, add-br, add-port"
vsctl_is "" init
vsctl_is "" add-br br0 -- set bridge br0 datapath_type=netdev
vsctl_is "" add-port br0 p1 -- set Interface p1 type=dummy \
    options:n_rxq=2 external_ids:iface-id=abc mtu_request=1500
vsctl_is "" --may-exist add-port br0 p1
vsctl_is "br0" list-br
vsctl_is "p1" list-ports br0
vsctl_is "br0" port-to-br p1
vsctl_is "br0" iface-to-br p1

info "set, get, list, find"
vsctl_is "" set Port p1 tag=20
vsctl_is "20" get Port p1 tag
vsctl_is 'abc' get Interface p1 external_ids:iface-id
vsctl_is "netdev" get Bridge br0 datapath_type
vsctl_is "" br-set-external-id br0 owner tern
vsctl_is "tern" br-get-external-id br0 owner
vsctl_is "p1" --no-headings --columns=name find Interface type=dummy
vsctl_is "p1" --bare --columns=name find Interface external_ids:iface-id=abc
vsctl_is "" --bare --columns=name find Interface type=system
vsctl --if-exists --format=list --data=json --no-headings \
    --columns=statistics list Interface p1 | grep -q '^status=0$' \
    || fail "list statistics"
vsctl --columns=name,type,options,mtu_request list Interface p1 \
    | grep -q '^options *: {n_rxq="2"}$' || fail "list Interface"
vsctl show | grep -q 'Port p1' || fail "show lacks Port p1"
vsctl show | grep -q 'type: dummy' || fail "show lacks the type"
vsctl_is "" add Bridge br0 flood_vlans 10 11
vsctl_is "[10, 11]" get Bridge br0 flood_vlans
vsctl_is "" remove Bridge br0 flood_vlans 10
vsctl_is "" clear Bridge br0 flood_vlans
vsctl_is "[]" get Bridge br0 flood_vlans
vsctl_is "" set-controller br0 tcp:127.0.0.1:6653
vsctl_is "tcp:127.0.0.1:6653" get-controller br0
vsctl_is "" set-fail-mode br0 secure
vsctl_is "secure" get-fail-mode br0

info "errors"
vsctl_fails "no bridge named nosuch" add-port nosuch p2
vsctl_fails "no row \"nosuch\" in table Bridge" get Bridge nosuch name
vsctl_fails "does not contain a column" get Bridge br0 nosuchcolumn
vsctl_fails "constraint violation|not a valid|expected" \
    set Port p1 tag=5000
vsctl_fails "already exists" add-br br0

info "del-port, del-br"
vsctl_is "" --if-exists del-port br0 nosuch
vsctl_is "" del-port br0 p1
vsctl_is "" list-ports br0
vsctl_is "" del-br br0
vsctl_is "" list-br
vsctl_is "" --if-exists del-br br0

finish
