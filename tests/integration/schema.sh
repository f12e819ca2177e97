#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Tern's vswitch schema (vswitchd/vswitch.ovsschema) with Open vSwitch's
# own ovs-vsctl: the schema is accepted by the database tools, and the
# command lines libvirt, os-vif and administrators use give the same
# answers against a database made from Tern's schema as against one made
# from Open vSwitch's schema, without errors or warnings.
#
# The "ours" side runs tern-dbserver when it is built, Open vSwitch's
# ovsdb-server otherwise; the reference side always runs ovsdb-server with
# Open vSwitch's schema.  TERN_SCHEMA_SERVER=ovsdb-server forces the
# former.  Without ovs-vsctl, ovsdb-tool and ovsdb-server the test is
# skipped.  ovs-vswitchd is not involved (--no-wait), so columns the switch
# fills in stay empty on both sides.
. "$(dirname "$0")/lib.sh"

SCHEMA=$top_srcdir/vswitchd/vswitch.ovsschema
REF_SCHEMA=${TERN_REF_SCHEMA:-/usr/share/openvswitch/vswitch.ovsschema}
DBSERVER=$top_builddir/ovsdb/tern-dbserver
DBTOOL=$top_builddir/ovsdb/tern-dbtool

for tool in ovs-vsctl ovsdb-tool ovsdb-server; do
    command -v $tool >/dev/null || skip "$tool is not installed"
done
[ -f "$REF_SCHEMA" ] || skip "no reference schema $REF_SCHEMA"

if [ "${TERN_SCHEMA_SERVER:-}" != ovsdb-server ] && [ -x "$DBSERVER" ] \
    && [ -x "$DBTOOL" ]; then
    OURS=tern
else
    OURS=ovs
fi

# start_db NAME KIND SCHEMA: creates $TESTDIR/NAME/conf.db from SCHEMA with
# the tool of KIND ("tern" or "ovs") and starts that kind's server on
# $TESTDIR/NAME/db.sock.
start_db() {
    local name=$1 kind=$2 schema=$3 dir=$TESTDIR/$1 tool=ovsdb-tool
    local server=ovsdb-server
    if [ "$kind" = tern ]; then
        tool=$DBTOOL server=$DBSERVER
    fi
    mkdir -p "$dir"
    "$tool" create "$dir/conf.db" "$schema" \
        || fail "$tool create with $schema"
    start_db_in "$dir" "$server" "$dir/conf.db"
    info "$name: $kind server running as pid $DB_SERVER_PID"
}

# Fails if a server's log has a warning or an error.
check_server_log() {
    local bad
    bad=$(grep -E '\|(WARN|ERR|EMER)\|' "$TESTDIR/$1/server.log" || true)
    [ -z "$bad" ] || fail "$1: warnings or errors in the server log:
$bad"
}

VHOST_PATH=$TESTDIR/vhu1.sock
VM_UUID=5e0b8a3c-4d3b-4c5e-9a7e-1f2d3c4b5a69
IFACE_ID=0d8c1a90-3e4f-4b6a-8c2d-7e9f0a1b2c3d

# The commands of the scenario, one per line, each run as
# "ovs-vsctl --db=... --no-wait LINE" (the line is split at blanks; no
# argument contains one).  A line starting with "!" must fail instead.
scenario_commands() {
    cat <<EOF
init
add-br br0 -- set bridge br0 datapath_type=netdev
--may-exist add-port br0 vhu1 -- set Interface vhu1 type=dpdkvhostuserclient options:vhost-server-path=$VHOST_PATH external_ids:iface-id=$IFACE_ID external_ids:attached-mac=fa:16:3e:12:34:56 external_ids:vm-uuid=$VM_UUID external_ids:iface-status=active mtu_request=1500
--may-exist add-port br0 vhu1 -- set Interface vhu1 type=dpdkvhostuserclient options:vhost-server-path=$VHOST_PATH external_ids:iface-id=$IFACE_ID external_ids:attached-mac=fa:16:3e:12:34:56 external_ids:vm-uuid=$VM_UUID external_ids:iface-status=active mtu_request=1500
--no-headings --columns=name find Interface options:vhost-server-path=$VHOST_PATH
--if-exists --format=list --data=json --no-headings --columns=statistics list Interface vhu1
--if-exists --format=list --data=json --no-headings --columns=statistics list Interface nosuch
iface-to-br vhu1
get Interface vhu1 ofport
get Interface vhu1 type options mtu_request external_ids:iface-id
set Port vhu1 tag=20
get Port vhu1 tag
set-controller br0 tcp:127.0.0.1:6653
get-controller br0
set-fail-mode br0 secure
get-fail-mode br0
set-manager ptcp:6640:127.0.0.1
get-manager
set-ssl /etc/tern/key.pem /etc/tern/cert.pem /etc/tern/ca.pem
get-ssl
add-bond br0 bond0 p1 p2 lacp=active
list-ifaces br0
port-to-br bond0
iface-to-br p2
br-set-external-id br0 bridge-id br0
br-get-external-id br0
br-get-external-id br0 bridge-id
list-br
br-exists br0
list-ports br0
br-to-vlan br0
br-to-parent br0
add-br fake1 br0 11
list-br
br-to-vlan fake1
br-to-parent fake1
--columns=name,type,options,external_ids,mtu_request list Interface vhu1
--format=csv --columns=name,tag,vlan_mode list Port vhu1
--format=json --columns=name,datapath_type,fail_mode,protocols list Bridge br0
--format=table --columns=name,lacp,bond_mode find Port name=bond0
--columns=target,is_connected list Manager
--columns=target list Controller
set Bridge br0 protocols=OpenFlow10,OpenFlow13 other_config:datapath-id=0000000000000001
get Bridge br0 protocols other_config
set Interface vhu1 ofport_request=7 ingress_policing_rate=1000
get Interface vhu1 ofport_request ingress_policing_rate
add Port vhu1 trunks 10 11 12
remove Port vhu1 trunks 11
get Port vhu1 trunks
clear Port vhu1 trunks
set Open_vSwitch . other_config:pmd-cpu-mask=0x2 other_config:dpdk-socket-mem=1024
get Open_vSwitch . other_config:pmd-cpu-mask
--id=@q create QoS type=linux-htb other_config:max-rate=1000000 -- set Port vhu1 qos=@q
--columns=type,other_config list QoS
clear Port vhu1 qos
--columns=type list QoS
--all destroy QoS
--columns=type list QoS
-- --id=@br get Bridge br0 -- --id=@i create IPFIX targets=\"127.0.0.1:4739\" -- create Flow_Sample_Collector_Set id=1 bridge=@br ipfix=@i
--columns=id list Flow_Sample_Collector_Set
--all destroy Flow_Sample_Collector_Set
--id=@m create Mirror name=m0 select_all=true -- add Bridge br0 mirrors @m
--columns=name,select_all list Mirror
clear Bridge br0 mirrors
--columns=name list Mirror
--id=@nf create NetFlow targets=\"127.0.0.1:2055\" active_timeout=60 -- set Bridge br0 netflow=@nf
--columns=targets,active_timeout list NetFlow
--id=@s create sFlow agent=lo targets=\"127.0.0.1:6343\" header=128 sampling=64 polling=10 -- set Bridge br0 sflow=@s
--columns=agent,header,sampling,polling,targets list sFlow
set Bridge br0 flow_tables:0=@ft -- --id=@ft create Flow_Table name=classifier flow_limit=1000 overflow_policy=refuse
--columns=name,flow_limit,overflow_policy list Flow_Table
add-aa-mapping br0 100 10
get-aa-mapping br0
-- --id=@dp create Datapath datapath_version=0 -- set Open_vSwitch . datapaths:netdev=@dp
add-zone-tp netdev zone=5 udp_first=30 icmp_first=60
list-zone-tp netdev
del-zone-tp netdev zone=5
show
!set Port vhu1 tag=5000
!get Interface nosuch ofport
!add-port br0 vhu1
!add-br br0
!set Bridge br0 fail_mode=bogus
--if-exists del-port vhu1
--if-exists del-port vhu1
!del-port nosuch
del-controller br0
del-fail-mode br0
del-manager
del-ssl
get-ssl
del-br fake1
del-br br0
--if-exists del-br br0
list-br
--columns=name list Interface
show
EOF
}

# Reads "ovs-vsctl show" output and writes it with the children of every
# line sorted recursively: show lists bridges, ports and interfaces in the
# database's hash order, which differs between databases.
sort_show() {
    /usr/bin/python3 -c '
import sys

def parse(lines, i, depth):
    """Returns the blocks indented deeper than depth from line i on."""
    blocks = []
    while i < len(lines):
        d = len(lines[i]) - len(lines[i].lstrip(" "))
        if d <= depth:
            break
        head = lines[i]
        kids, i = parse(lines, i + 1, d)
        blocks.append([head] + sorted(kids))
    return blocks, i

def emit(block):
    print(block[0])
    for kid in block[1:]:
        emit(kid)

blocks, _ = parse(sys.stdin.read().splitlines(), 0, -1)
for block in sorted(blocks):
    emit(block)
'
}

# run_scenario NAME: runs the scenario against $TESTDIR/NAME/db.sock and
# writes what ovs-vsctl printed to $TESTDIR/NAME.out, every UUID replaced
# by <uuid> (they differ between databases; ovs-vsctl prints sets of UUIDs
# sorted by value).  A command that should work and fails, or that writes
# anything on stderr, fails the test.
run_scenario() {
    local name=$1 line status err out
    local db=unix:$TESTDIR/$name/db.sock
    : >"$TESTDIR/$name.out"
    while IFS= read -r line; do
        local expect_fail=false
        if [ "${line:0:1}" = "!" ]; then
            expect_fail=true
            line=${line:1}
        fi
        # shellcheck disable=SC2086 # the line is split on purpose
        eval "set -- $line"
        out=$(ovs-vsctl --db="$db" --timeout="$TIMEOUT" --no-wait "$@" \
            2>"$TESTDIR/$name.err")
        status=$?
        if [ "$line" = show ]; then
            out=$(printf '%s\n' "$out" | sort_show)
        fi
        err=$(cat "$TESTDIR/$name.err")
        if $expect_fail; then
            [ $status != 0 ] || fail "$name: \"ovs-vsctl $line\" succeeded"
            [ -n "$err" ] || fail "$name: \"ovs-vsctl $line\": no message"
        else
            [ $status = 0 ] || fail "$name: \"ovs-vsctl $line\" failed \
(status $status): $err"
            [ -z "$err" ] || fail "$name: \"ovs-vsctl $line\" said: $err"
        fi
        {
            echo "\$ ovs-vsctl $line"
            [ -z "$out" ] || printf '%s\n' "$out"
            if $expect_fail; then
                echo "(status $status) $err"
            fi
        } >>"$TESTDIR/$name.out"
    done < <(scenario_commands)
    local hex='[0-9a-f]'
    sed -Ei "s/$hex{8}-$hex{4}-$hex{4}-$hex{4}-$hex{12}/<uuid>/g" \
        "$TESTDIR/$name.out"
}

# The raw transactions, one per line: they check what the schema itself
# makes the server enforce (ovs-vsctl checks types before it sends
# anything): immutable columns, minimum set sizes, indexes, maxRows,
# ranges, enums, weak references and which tables are roots.
raw_transactions() {
    local ovs='{"op":"mutate","table":"Open_vSwitch","where":[],'
    ovs+='"mutations":[["bridges","insert",["named-uuid","b"]]]}'
    cat <<EOF
[{"op":"insert","table":"Bridge","uuid-name":"b","row":{"name":"b1","ports":["named-uuid","p"],"mirrors":["named-uuid","m"]}},{"op":"insert","table":"Port","uuid-name":"p","row":{"name":"p1","interfaces":["named-uuid","i"]}},{"op":"insert","table":"Interface","uuid-name":"i","row":{"name":"i1","type":"dummy"}},{"op":"insert","table":"Mirror","uuid-name":"m","row":{"name":"m1","select_src_port":["named-uuid","p"],"output_port":["named-uuid","p"]}},$ovs]
[{"op":"update","table":"Bridge","where":[["name","==","b1"]],"row":{"name":"b2"}}]
[{"op":"insert","table":"Bridge","uuid-name":"b","row":{"name":"b3","ports":["named-uuid","p"]}},{"op":"insert","table":"Port","uuid-name":"p","row":{"name":"p3","interfaces":["set",[]]}},$ovs]
[{"op":"insert","table":"Bridge","uuid-name":"b","row":{"name":"b4","ports":["named-uuid","p"]}},{"op":"insert","table":"Port","uuid-name":"p","row":{"name":"p4","interfaces":["named-uuid","i"]}},{"op":"insert","table":"Interface","uuid-name":"i","row":{"name":"i1"}},$ovs]
[{"op":"insert","table":"Open_vSwitch","row":{}}]
[{"op":"insert","table":"Bridge","uuid-name":"b","row":{"name":"b5","ports":["named-uuid","p"]}},{"op":"insert","table":"Port","uuid-name":"p","row":{"name":"p5","tag":4096,"interfaces":["named-uuid","i"]}},{"op":"insert","table":"Interface","uuid-name":"i","row":{"name":"i5"}},$ovs]
[{"op":"update","table":"Interface","where":[["name","==","i1"]],"row":{"ofport_request":0}}]
[{"op":"update","table":"Bridge","where":[["name","==","b1"]],"row":{"fail_mode":"open"}}]
[{"op":"update","table":"Bridge","where":[["name","==","b1"]],"row":{"ports":["set",[]]}}]
[{"op":"select","table":"Mirror","where":[],"columns":["name","select_src_port","output_port"]},{"op":"select","table":"Port","where":[],"columns":["name"]}]
[{"op":"insert","table":"Bridge","row":{"name":"orphan"}},{"op":"insert","table":"QoS","row":{"type":"linux-htb"}},{"op":"insert","table":"Queue","row":{"dscp":10}},{"op":"insert","table":"Flow_Sample_Collector_Set","row":{"id":1,"bridge":["named-uuid","b"]}},{"op":"insert","table":"Bridge","uuid-name":"b","row":{"name":"fscs"}}]
[{"op":"select","table":"Bridge","where":[],"columns":["name"]},{"op":"select","table":"QoS","where":[],"columns":["type"]},{"op":"select","table":"Queue","where":[],"columns":["dscp"]},{"op":"select","table":"Flow_Sample_Collector_Set","where":[],"columns":["id"]}]
[{"op":"insert","table":"Flow_Sample_Collector_Set","row":{"id":7,"bridge":["named-uuid","b"]}},{"op":"insert","table":"Flow_Sample_Collector_Set","row":{"id":7,"bridge":["named-uuid","b"]}},{"op":"insert","table":"Bridge","uuid-name":"b","row":{"name":"fscs2"}}]
EOF
}

# run_raw NAME: sends each raw transaction to $TESTDIR/NAME's server and
# writes to $TESTDIR/NAME.raw the results reduced to what must match
# between servers: which operations were refused (not why: RFC 7047 calls
# a row that breaks a column's constraints a "constraint violation" where
# Open vSwitch reports some, such as a too small set, as a "syntax error"),
# and selected rows sorted, with UUIDs replaced.
run_raw() {
    local name=$1 txn
    local db=unix:$TESTDIR/$name/db.sock
    : >"$TESTDIR/$name.raw"
    while IFS= read -r txn; do
        ovsdb-client --timeout="$TIMEOUT" transact "$db" \
            "[\"Open_vSwitch\",${txn:1}" >"$TESTDIR/$name.reply" \
            || fail "$name: transact failed: $txn"
        /usr/bin/python3 -c '
import json, re, sys
reply = json.load(open(sys.argv[1]))
out = []
for r in reply:
    if r is None:
        out.append(None)
    elif r.get("error") in ("constraint violation", "syntax error"):
        out.append("refused")
    elif "error" in r:
        out.append({"error": r["error"]})
    elif "rows" in r:
        rows = [json.dumps(row, sort_keys=True) for row in r["rows"]]
        out.append({"rows": sorted(rows)})
    else:
        out.append(sorted(r))
text = json.dumps(out, sort_keys=True)
print(re.sub(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", "<uuid>", text))
' "$TESTDIR/$name.reply" >>"$TESTDIR/$name.raw" || fail "$name: bad reply"
    done < <(raw_transactions)
}

info "the schema itself"
expect_eq "$(ovsdb-tool schema-name "$SCHEMA")" Open_vSwitch "schema name"
expect_eq "$(ovsdb-tool schema-version "$SCHEMA")" 8.3.1 "schema version"
/usr/bin/python3 -c 'import json, sys; json.load(open(sys.argv[1]))' \
    "$SCHEMA" || fail "the schema is not valid JSON"

info "tables, columns and types against Open vSwitch's schema"
diffs=$(/usr/bin/python3 "$top_srcdir/tests/integration/schema-diff.py" \
    "$SCHEMA" "$REF_SCHEMA") || fail "the schemas differ:
$diffs"
[ -z "$diffs" ] || printf '%s\n' "$diffs"

info "databases (ours served by $OURS)"
start_db ref ovs "$REF_SCHEMA"
start_db ours "$OURS" "$SCHEMA"

info "the scenario against the reference"
run_scenario ref
info "the scenario against Tern's schema"
run_scenario ours
check_server_log ref
check_server_log ours

info "same answers"
diff -u "$TESTDIR/ref.out" "$TESTDIR/ours.out" \
    || fail "ovs-vsctl answers differ (- reference, + Tern's schema)"

info "raw transactions: what the server enforces"
run_raw ref
run_raw ours
check_server_log ref
check_server_log ours
diff -u "$TESTDIR/ref.raw" "$TESTDIR/ours.raw" \
    || fail "transaction results differ (- reference, + Tern's schema)"
expect_eq "$(grep -c '"refused"' "$TESTDIR/ours.raw")" 8 \
    "transactions refused"

grep -q "Interface vhu1" "$TESTDIR/ours.out" || fail "show lacks vhu1"
grep -q '^br0$' "$TESTDIR/ours.out" || fail "iface-to-br did not answer br0"
expect_eq "$(grep -c '^\$ ' "$TESTDIR/ours.out")" \
    "$(scenario_commands | wc -l)" "commands run"

finish
