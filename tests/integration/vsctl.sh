# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
#
# tern-vsctl against tern-dbserver with Tern's schema, compared with
# Debian's ovs-vsctl (when installed):
#  1. the same configuration scenario (the commands libvirt and os-vif run,
#     bridges, fake bridges, bonds, controllers, managers, SSL, QoS, the
#     database commands) runs with ovs-vsctl on one fresh database and with
#     tern-vsctl on another; the outputs must be identical once UUIDs are
#     masked (they differ by construction);
#  2. on one database, read-only commands in every output format give
#     byte-identical output from both programs (rows of multi-row list and
#     find output are compared sorted: both print them in an unspecified
#     order);
#  3. bad commands fail with status 1 and the message ovs-vsctl prints;
#  4. without --no-wait, tern-vsctl returns only once cur_cfg reaches
#     next_cfg, and --timeout ends it with SIGALRM.

# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

DBSERVER=$top_builddir/ovsdb/tern-dbserver
VSCTL=$top_builddir/utilities/tern-vsctl
SCHEMA=$top_srcdir/vswitchd/vswitch.ovsschema
[ -x "$DBSERVER" ] || skip "tern-dbserver not built"
[ -x "$VSCTL" ] || fail "$VSCTL not built"
OVS_VSCTL=$(command -v ovs-vsctl || true)

# Starts a tern-dbserver on a new database in directory $1 (socket
# $1/db.sock).
start_db() {
    start_db_in "$1" "$DBSERVER" --schema="$SCHEMA" "$1/conf.db"
}

# The configuration scenario: one command line per line.
scenario() {
    cat <<EOF
init
add-br br0 -- set bridge br0 datapath_type=netdev
--may-exist add-port br0 vhu1 -- set Interface vhu1 type=dpdkvhostuserclient options:vhost-server-path=$TESTDIR/vhu1.sock external_ids:iface-id=4d3c5f0e external_ids:attached-mac=fa:16:3e:11:22:33 external_ids:vm-uuid=8f1e0c7a external_ids:iface-status=active mtu_request=1500
--may-exist add-port br0 vhu1 -- set Interface vhu1 type=dpdkvhostuserclient
--no-headings --columns=name find Interface options:vhost-server-path=$TESTDIR/vhu1.sock
--if-exists --format=list --data=json --no-headings --columns=statistics list Interface vhu1
--if-exists --format=list --data=json --no-headings --columns=statistics list Interface nosuch
iface-to-br vhu1
get Interface vhu1 ofport
get Interface vhu1 mtu_request type options external_ids:iface-id
set Port vhu1 tag=20
get Port vhu1 tag
set-controller br0 tcp:127.0.0.1:6653 ptcp:6654
get-controller br0
set-fail-mode br0 secure
get-fail-mode br0
add-br br1
add-br fk br1 7
add-port fk fp1
add-port br1 p5 tag=3 other_config:x=y
add-bond br1 bond1 e1 e2 lacp=active
--fake-iface add-bond br1 bond2 e3 e4
list-br
--real list-br
--fake list-br
list-ports br1
list-ports fk
list-ifaces br1
port-to-br fp1
br-to-vlan fk
br-to-parent fk
br-set-external-id br0 k1 v1
br-set-external-id fk k2 v2
br-get-external-id br0
br-get-external-id fk
br-get-external-id fk k2
br-set-external-id fk k2
br-get-external-id fk
set-manager ptcp:6640 tcp:192.0.2.1:6640
get-manager
set-ssl /k /c /ca
get-ssl
--bootstrap set-ssl /k2 /c2 /ca2
get-ssl
del-ssl
get-ssl
add Port p5 trunks 1 2 3
get Port p5 trunks
remove Port p5 trunks 2
get Port p5 trunks
add Port p5 other_config a=b c=d
remove Port p5 other_config x
remove Port p5 other_config a=zz
get Port p5 other_config
remove Port p5 other_config a=b
get Port p5 other_config
clear Port p5 other_config trunks
get Port p5 other_config trunks
set Port p5 other_config:q=1 external_ids={a=1,b=2}
get Port p5 other_config external_ids
-- --id=@q create QoS type=linux-htb other-config:max-rate=1000 queues=0=@q0 -- --id=@q0 create Queue other-config:min-rate=10 -- set Port p5 qos=@q
--columns=type,other_config list qos
--columns=other_config list queue
get qos p5 type
clear Port p5 qos
--all destroy QoS
--all destroy Queue
--columns=type list qos
-- --id=@m create Mirror name=m1 -- add Bridge br1 mirrors @m
--columns=name list mirror
clear bridge br1 mirrors
--columns=name list mirror
--id=@nope get Port p5 -- set Port p5 tag=4
--if-exists get Port nosuch tag
--if-exists get Port p5 external_ids:nosuch
--if-exists set Port nosuch tag=1
--if-exists del-port nosuch
--if-exists del-port br0 vhu1
del-port p5
--with-iface del-port br1 e1
list-ports br1
--if-exists del-br nosuch
del-br fk
list-br
del-controller br0
get-controller br0
del-fail-mode br0
get-fail-mode br0
emer-reset
get-manager
del-br br1
--oneline list-br -- br-exists br0 -- get Open_vSwitch . bridges
wait-until Open_vSwitch . next_cfg=0
comment configured -- list-br
del-br br0
list-br
EOF
}

# Runs each line of stdin with program $1 against socket $2 and prints the
# command, its output (and stderr without the program name) and status.
run_lines() {
    local prog=$1 sock=$2 line out status
    while IFS= read -r line; do
        echo "+ $line"
        # shellcheck disable=SC2086
        out=$(eval "$prog --db=unix:$sock --no-wait $line" 2>&1)
        status=$?
        printf '%s\n' "$out" | sed -E 's/^(ovs|tern)-vsctl: //'
        echo "status $status"
    done
}

mask_uuids() {
    sed -E 's/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/<uuid>/g'
}

# Starts Open vSwitch's ovsdb-server with Tern's schema in directory $1:
# the reference ovs-vsctl is compared against when it cannot yet work with
# tern-dbserver.
start_ref_db() {
    mkdir -p "$1"
    ovsdb-tool create "$1/conf.db" "$SCHEMA" || fail "ovsdb-tool create"
    start_db_in "$1" ovsdb-server "$1/conf.db"
}

start_db "$TESTDIR/a"
start_db "$TESTDIR/b"
# ovs-vsctl runs against tern-dbserver when the two get along; otherwise
# against the reference server (same schema), saying so.
REF=$TESTDIR/a
if [ -n "$OVS_VSCTL" ] \
    && ! "$OVS_VSCTL" --db=unix:"$REF/db.sock" --no-wait init 2>/dev/null; then
    if command -v ovsdb-server >/dev/null; then
        info "NOTE: ovs-vsctl fails against tern-dbserver; comparing on" \
            "Open vSwitch's ovsdb-server with Tern's schema"
        REF=$TESTDIR/ref
        start_ref_db "$REF"
    else
        OVS_VSCTL=
    fi
fi

info "1: the configuration scenario with both programs"
scenario | run_lines "$VSCTL" "$TESTDIR/b/db.sock" >"$TESTDIR/tern.out"
grep -q '^status 1$' "$TESTDIR/tern.out" \
    && fail "a scenario command failed: $(grep -B3 '^status 1$' \
        "$TESTDIR/tern.out")"
expect_eq "$(sed -n '/^+ list-ports br1$/,/^status/p' "$TESTDIR/tern.out" \
    | sed -n 2,4p | tr '\n' ' ')" "bond1 bond2 p5 " "list-ports br1"
if [ -n "$OVS_VSCTL" ]; then
    scenario | run_lines "$OVS_VSCTL" "$REF/db.sock" >"$TESTDIR/ovs.out"
    diff -u <(mask_uuids <"$TESTDIR/ovs.out") \
        <(mask_uuids <"$TESTDIR/tern.out") \
        || fail "tern-vsctl and ovs-vsctl answered the scenario differently"
fi

info "2: read-only commands in every format, byte for byte"
# Builds the database the read-only and bad commands work on, at socket $1.
build_state() {
    "$VSCTL" --db=unix:"$1" --no-wait add-br br0 \
        -- set bridge br0 datapath_type=netdev \
        -- add-port br0 p1 tag=5 -- set interface p1 type=internal \
        -- add-br fake1 br0 10 -- add-port fake1 p2 \
        -- add-bond br0 bond0 a b -- set-controller br0 tcp:192.0.2.1:6653 \
        -- set-fail-mode br0 secure -- set-manager ptcp:6640 \
        -- set port p1 'external_ids:a="x,y z"' external_ids:b=q \
        'other_config:k="a\"b"' -- set port p2 'external_ids:a="x y"' \
        'external_ids:c=" lead"' >/dev/null || fail "building the database"
}
T() { "$VSCTL" --db=unix:"$S" --no-wait "$@"; }
S="$REF/db.sock"
build_state "$S"
readonly_commands() {
    cat <<'EOF'
show
list-br
list-ports br0
list-ifaces br0
get-controller br0
list bridge br0
list open .
--format=table list bridge
--format=json list bridge
--format=csv list bridge
--format=table list port p1 p2
--columns=name,tag list port p1 p2
get port p1 external_ids external_ids:a tag name
--oneline get port p1 name -- list-br -- br-exists br0 -- get port p1 tag
--format=list --data=json --columns=name,external_ids find port name=p1
--format=json --data=bare --columns=name,external_ids find port name=p1
--format=table --data=bare --columns=name,external_ids find port name=p2
--format=csv --columns=external_ids,other_config list port p1 p2
--format=table --columns=name,tag find port name=nosuch
--bare --columns=name,tag list port p1
S --columns=name,tag find port
S --format=table --columns=name,tag,external_ids find port
S --format=csv --no-headings --columns=name,tag find port
S --columns=name find port 'tag>3'
S --columns=name find port 'tag<=5'
S --columns=name find port tag!=5
S --columns=name find port tag{=}10
S --columns=name find port 'external_ids:a="x y"'
S --columns=name find port 'external_ids{>=}{a="x y"}'
S --columns=name find port external_ids:b!=q
S --columns=name find port external_ids:b{!=}q
S --columns=name find port fake_bridge=true
S --columns=name,_uuid list interface
EOF
}
compared=0
while IFS= read -r line; do
    sort=cat
    case $line in
    "S "*) line=${line#S }; sort=sort ;;
    esac
    [ -n "$OVS_VSCTL" ] || continue
    ours=$(eval "\"\$VSCTL\" --db=unix:$S --no-wait $line" | $sort) \
        || fail "tern-vsctl $line failed"
    theirs=$(eval "\"\$OVS_VSCTL\" --db=unix:$S --no-wait $line" | $sort)
    [ "$ours" = "$theirs" ] || fail "tern-vsctl $line:
$(diff <(echo "$theirs") <(echo "$ours"))"
    compared=$((compared + 1))
done < <(readonly_commands)
info "$compared read-only commands give identical output"

info "3: bad commands"
# From here on, only tern-dbserver.
if [ "$REF" != "$TESTDIR/a" ]; then
    S=$TESTDIR/a/db.sock
    build_state "$S"
fi
# Each line: expected message (a fixed string), then the command.
bad_commands() {
    cat <<'EOF'
unknown command 'frob'; use --help for help|frob
'add-br' command requires at least 1 arguments|add-br
'add-br' command takes at most 3 arguments|add-br a b c d
'list-br' command takes at most 0 arguments|list-br extra
unrecognized option '--badopt'|--badopt list-br
'list-br' command has no '--may-exist' option|--may-exist list-br
unknown table "nosuch"|list nosuch
"q" matches multiple table names: QoS, Queue|list q
no row "nosuch" in table Bridge|list bridge nosuch
Bridge does not contain a column whose name matches "nosuch"|get bridge br0 nosuch
Port contains more than one column whose name matches "st": statistics, status|get port p1 st
is not a valid boolean|set bridge br0 stp_enable=maybe
constraint violation|set port p1 tag=9999
is not a valid integer|set interface p1 mtu_request=abc
cannot create a bridge named br0 because a bridge named br0 already exists|add-br br0
no bridge named nosuch|del-br nosuch
no port named nosuch|port-to-br nosuch
no interface named nosuch|iface-to-br nosuch
cannot create a port named p1 because a port named p1 already exists on bridge br0|add-port br0 p1
name: argument does not end in "=" followed by a value.|set bridge br0 name
cannot specify key to get for non-map column tag|get port p1 tag:x
no key "zz" in Port record "p1" column external_ids|get port p1 external_ids:zz
fail-mode must be "standalone" or "secure"|set-fail-mode br0 bogus
add-br: vlan must be between 0 and 4095|add-br fakeX br0 5000
cannot modify read-only column name in table Port|clear port p1 name
--if-exists and --id may not be specified together|--if-exists --id=@a get port p1
bridge br0 does not have a port p2 (although its child bridge fake1 does)|del-port br0 p2
cannot delete port br0 because it is the local port for bridge br0 (deleting this port requires deleting the entire bridge)|del-port br0 br0
row id "@x" is referenced but never created (e.g. with "-- --id=@x create ...")|set port p1 qos=@x
database connection failed|--db=unix:/nonexistent/db.sock list-br
EOF
}
n_bad=0
while IFS='|' read -r message line; do
    err=$(eval "\"\$VSCTL\" --db=unix:$S --no-wait $line" 2>&1 >/dev/null)
    status=$?
    [ $status = 1 ] || fail "tern-vsctl $line: status $status, not 1"
    case $err in
    "tern-vsctl: "*"$message"*) ;;
    *) fail "tern-vsctl $line: \"$err\" lacks \"$message\"" ;;
    esac
    n_bad=$((n_bad + 1))
done < <(bad_commands)
T br-exists nosuch
status=$?
expect_eq "$status" 2 "br-exists of a missing bridge"
info "$n_bad bad commands fail as expected"

info "4: waiting for cur_cfg, --timeout"
T set Open_vSwitch . cur_cfg=0 next_cfg=0 || fail "resetting next_cfg"
"$VSCTL" --db=unix:"$S" add-br brw &
waiter=$!
on_cleanup "kill $waiter"
sleep 1
kill -0 $waiter 2>/dev/null || fail "tern-vsctl did not wait for cur_cfg"
expect_eq "$(T get Open_vSwitch . next_cfg)" 1 "next_cfg"
T set Open_vSwitch . cur_cfg=1 || fail "setting cur_cfg"
wait $waiter || fail "tern-vsctl add-br brw failed after cur_cfg caught up"
expect_eq "$(T br-exists brw && echo yes)" yes "brw exists"
"$VSCTL" --db=unix:"$S" --timeout=1 add-br brt
status=$?
expect_eq "$status" 142 "status after --timeout (SIGALRM)"
# The default database is $TERN_RUNDIR/db.sock.
ln -s "$S" "$TERN_RUNDIR/db.sock"
expect_eq "$("$VSCTL" --no-wait br-to-parent fake1)" br0 "default --db"

LOG=$TESTDIR/a/server.log
check_log
LOG=$TESTDIR/b/server.log
finish
