#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# tern-ofctl against ovs-ofctl: both programs run the same command lines
# against the same switch, and what they print (standard output and exit
# status) must be the same once the values that change from one run to the
# next are normalised (xids, durations, ages).  Commands that change the
# switch run once with each program from the same starting state, and the
# state they leave (flows, groups, meters, port config, dumped by
# ovs-ofctl) must be the same.
#
# The switch is Open vSwitch's ovs-vswitchd with its userspace datapath in
# a private directory and network namespace (no kernel module needed), so
# this test needs only Open vSwitch.  OFCTL_AGAINST=tern runs the same
# comparisons against Tern's tern-vswitchd instead, and OFCTL_SWITCH=
# unix:PATH against a switch that is already running (with ports 1 and 2).
#
# Lines of the command list that start with "?" are known gaps: their
# differences are shown but do not fail the test.
. "$(dirname "$0")/lib.sh"

OFCTL=$top_builddir/utilities/tern-ofctl
[ -x "$OFCTL" ] || fail "$OFCTL not built"
command -v ovs-ofctl >/dev/null || skip "ovs-ofctl is not installed"

OVS_DIR=$TESTDIR/ovs
mkdir -p "$OVS_DIR"
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

start_ovs() {
    need_root
    local tool
    for tool in ovsdb-tool ovsdb-server ovs-vswitchd ovs-vsctl ip; do
        command -v $tool >/dev/null || skip "$tool is not installed"
    done
    local schema=/usr/share/openvswitch/vswitch.ovsschema
    [ -f "$schema" ] || skip "no $schema"
    export OVS_RUNDIR=$OVS_DIR OVS_LOGDIR=$OVS_DIR OVS_DBDIR=$OVS_DIR
    export OVS_SYSCONFDIR=$OVS_DIR
    NS=tern-ofctl-$$
    ip netns add "$NS" || fail "ip netns add $NS"
    on_cleanup ip netns del "$NS"
    ip -n "$NS" link set lo up
    on_cleanup stop_pids
    ovsdb-tool create "$OVS_DIR/conf.db" "$schema" || fail "ovsdb-tool"
    ovsdb-server "$OVS_DIR/conf.db" --remote="punix:$OVS_DIR/db.sock" \
        --pidfile="$OVS_DIR/ovsdb-server.pid" --detach \
        --unixctl="$OVS_DIR/ovsdb-server.ctl" \
        --log-file="$OVS_DIR/ovsdb-server.log" || fail "ovsdb-server"
    PIDS+=("$(cat "$OVS_DIR/ovsdb-server.pid")")
    VSCTL="ovs-vsctl --timeout=$TIMEOUT --db=unix:$OVS_DIR/db.sock"
    $VSCTL --no-wait init || fail "ovs-vsctl init"
    ip netns exec "$NS" ovs-vswitchd "unix:$OVS_DIR/db.sock" \
        --pidfile="$OVS_DIR/ovs-vswitchd.pid" --detach \
        --unixctl="$OVS_DIR/ovs-vswitchd.ctl" \
        --log-file="$OVS_DIR/ovs-vswitchd.log" \
        --enable-dummy --disable-system || fail "ovs-vswitchd"
    PIDS+=("$(cat "$OVS_DIR/ovs-vswitchd.pid")")
    $VSCTL add-br br0 -- set bridge br0 datapath_type=netdev \
        other_config:datapath-id=0000000000000001 \
        other_config:hwaddr=02:00:00:00:00:01 \
        protocols=OpenFlow10,OpenFlow13,OpenFlow14,OpenFlow15 \
        -- add-port br0 p1 -- set interface p1 type=dummy ofport_request=1 \
        -- add-port br0 p2 -- set interface p2 type=dummy ofport_request=2 \
        || fail "ovs-vsctl add-br"
    SWITCH=unix:$OVS_DIR/br0.mgmt
    wait_until test -S "$OVS_DIR/br0.mgmt" || fail "no $OVS_DIR/br0.mgmt"
}

# The same bridge on Tern's own switch (OFCTL_AGAINST=tern).
start_tern_switch() {
    need_root
    # shellcheck source=tests/integration/of-lib.sh
    . "$(dirname "$0")/of-lib.sh"
    start_tern
    vsctl add-br br0 -- set bridge br0 datapath_type=netdev \
        other_config:datapath-id=0000000000000001 \
        other_config:hwaddr=02:00:00:00:00:01 \
        protocols=OpenFlow10,OpenFlow13,OpenFlow14,OpenFlow15 \
        -- add-port br0 p1 -- set interface p1 type=dummy ofport_request=1 \
        -- add-port br0 p2 -- set interface p2 type=dummy ofport_request=2 \
        || fail "ovs-vsctl add-br"
    SWITCH=unix:$TERN_RUNDIR/br0.mgmt
    wait_until test -S "$TERN_RUNDIR/br0.mgmt" || fail "no br0.mgmt"
}

if [ -n "${OFCTL_SWITCH:-}" ]; then
    SWITCH=$OFCTL_SWITCH
elif [ "${OFCTL_AGAINST:-ovs}" = tern ]; then
    start_tern_switch
else
    start_ovs
fi

# What changes between two runs of the same command.
normalise() {
    sed -E -e 's/\(xid=0x[0-9a-f]+\)/(xid=X)/g' \
        -e 's/duration([=:]?)[0-9]+(\.[0-9]+)?s/duration\1Xs/g' \
        -e 's/(idle_age|hard_age)=[0-9]+/\1=X/g' \
        -e 's/^(tern-ofctl|ovs-ofctl): //'
}

n_cmp=0
n_diff=0
n_gap=0
# run_both GAP ARGS...: runs ovs-ofctl and tern-ofctl with ARGS (where
# SWITCH stands for the switch) and compares what they print.
run_both() {
    local gap=$1 out_o out_t rc_o rc_t
    shift
    local args=("${@//@SWITCH@/$SWITCH}") order=cat
    # diff-flows prints in no particular order.
    case " ${args[*]} " in *" diff-flows "*) order=sort ;; esac
    out_o=$(ovs-ofctl "${args[@]}" 2>/dev/null | normalise | $order)
    rc_o=${PIPESTATUS[0]}
    out_t=$("$OFCTL" "${args[@]}" 2>/dev/null | normalise | $order)
    rc_t=${PIPESTATUS[0]}
    n_cmp=$((n_cmp + 1))
    if [ "$out_o" != "$out_t" ] || [ "$rc_o" != "$rc_t" ]; then
        if [ "$gap" = 1 ]; then
            n_gap=$((n_gap + 1))
            echo "known gap: ${args[*]}"
        else
            n_diff=$((n_diff + 1))
            echo "DIFFERS: ${args[*]} (exit $rc_o vs $rc_t)"
        fi
        diff <(echo "$out_o") <(echo "$out_t") | head -20
    fi
}

# The switch's state, as ovs-ofctl dumps it.
snapshot() {
    local o=(-O OpenFlow15 --no-names)
    ovs-ofctl "${o[@]}" --no-stats --sort dump-flows "$SWITCH"
    ovs-ofctl "${o[@]}" dump-groups "$SWITCH" | normalise
    ovs-ofctl "${o[@]}" dump-meters "$SWITCH" | normalise
    ovs-ofctl "${o[@]}" dump-ports-desc "$SWITCH" | normalise \
        | grep -v 'addr:'
}

reset_switch() {
    local o=(-O OpenFlow15)
    ovs-ofctl "${o[@]}" del-flows "$SWITCH"
    ovs-ofctl "${o[@]}" del-groups "$SWITCH"
    ovs-ofctl "${o[@]}" del-meters "$SWITCH" 2>/dev/null
    ovs-ofctl "${o[@]}" mod-port "$SWITCH" 1 up
    ovs-ofctl "${o[@]}" add-flow "$SWITCH" "priority=0,actions=NORMAL"
}

# change_both GAP SETUP ARGS...: from the same state (reset, then the
# ovs-ofctl command lines in the file SETUP, if not "-"), runs ARGS with
# each program and compares exit status and the state left behind.
change_both() {
    local gap=$1 setup=$2 state_o state_t rc_o rc_t rc line prog
    shift 2
    local args=("${@//@SWITCH@/$SWITCH}")
    for prog in ovs-ofctl "$OFCTL"; do
        reset_switch
        if [ "$setup" != - ]; then
            while read -r line; do
                eval "ovs-ofctl ${line//@SWITCH@/$SWITCH}" >/dev/null
            done <"$setup"
        fi
        "$prog" "${args[@]}" >/dev/null 2>&1
        rc=$?
        if [ "$prog" = ovs-ofctl ]; then
            rc_o=$rc
            state_o=$(snapshot)
        else
            rc_t=$rc
            state_t=$(snapshot)
        fi
    done
    n_cmp=$((n_cmp + 1))
    if [ "$state_o" != "$state_t" ] || [ "$rc_o" != "$rc_t" ]; then
        if [ "$gap" = 1 ]; then
            n_gap=$((n_gap + 1))
            echo "known gap: ${args[*]}"
        else
            n_diff=$((n_diff + 1))
            echo "DIFFERS (state): ${args[*]} (exit $rc_o vs $rc_t)"
        fi
        diff <(echo "$state_o") <(echo "$state_t") | head -20
    fi
}

FLOWS=$TESTDIR/flows.txt
cat >"$FLOWS" <<'EOF'
priority=5,ip,nw_dst=10.0.0.1,actions=output:2
table=1,cookie=0x5,idle_timeout=50,in_port=1,actions=drop
priority=7,tcp,tp_dst=80,actions=mod_nw_tos:8,output:1
priority=100,dl_vlan=10,actions=strip_vlan,output:2
priority=9,arp,actions=NORMAL
EOF
FLOWS13=$TESTDIR/flows13.txt
cat >"$FLOWS13" <<'EOF'
priority=5,ip,nw_dst=10.0.0.1,actions=output:2
table=1,cookie=0x5,idle_timeout=50,in_port=1,actions=drop
priority=8,in_port=2,actions=goto_table:1
priority=6,udp,actions=set_field:10.0.0.9->ip_dst,output:1
priority=4,actions=write_actions(output:2),goto_table:2
EOF
GROUP_FILE=$TESTDIR/groups.txt
cat >"$GROUP_FILE" <<'EOF'
group_id=1,type=all,bucket=actions=output:1,bucket=actions=output:2
group_id=2,type=select,bucket=weight:50,actions=output:1,bucket=weight:50,actions=output:2
EOF
METERS=$TESTDIR/meters.txt
cat >"$METERS" <<'EOF'
meter=1,kbps,burst,stats,bands=type=drop rate=1000 burst_size=100
meter=2,pktps,bands=type=drop rate=50
EOF
SETUP=$TESTDIR/setup.txt
cat >"$SETUP" <<EOF
-O OpenFlow13 add-flows @SWITCH@ $FLOWS13
-O OpenFlow13 add-groups @SWITCH@ $GROUP_FILE
-O OpenFlow13 add-meter @SWITCH@ "$(sed -n 1p "$METERS")"
-O OpenFlow13 add-meter @SWITCH@ "$(sed -n 2p "$METERS")"
EOF

# read_only PROTO: the read-only commands in version PROTO.
read_only() {
    # shellcheck disable=SC2206
    local O=(-O $1 --no-names) cmd
    # Open vSwitch adds its own statistics property to 1.4+ port stats.
    local gap=0
    case $1 in OpenFlow14 | OpenFlow15) gap=1 ;; esac
    run_both $gap "${O[@]}" dump-ports @SWITCH@
    run_both $gap "${O[@]}" dump-ports @SWITCH@ 1
    for cmd in show dump-desc dump-tables \
        dump-ports-desc "dump-ports-desc @SWITCH@ 2" dump-flows \
        "dump-flows @SWITCH@ table=0,ip" dump-aggregate \
        "dump-aggregate @SWITCH@ table=1"; do
        # shellcheck disable=SC2086
        set -- $cmd
        if [ $# = 1 ]; then set -- "$1" @SWITCH@; fi
        run_both 0 "${O[@]}" "$@"
    done
    run_both 0 "${O[@]}" --no-stats dump-flows @SWITCH@
    run_both 0 "${O[@]}" --sort dump-flows @SWITCH@
    run_both 0 "${O[@]}" --rsort=priority dump-flows @SWITCH@
    run_both 0 "${O[@]}" --sort=priority --no-stats dump-flows @SWITCH@
    # With --names, ovs-ofctl also names tables ("table=table0") from the
    # table features, which tern-ofctl does not read yet; Open vSwitch's
    # tables have no names, Tern's do.
    local names_gap=0
    [ "${OFCTL_AGAINST:-ovs}" = tern ] && names_gap=1
    run_both $names_gap "${O[@]}" --names --no-stats dump-flows @SWITCH@
}

info "read-only commands, every version, flows OpenFlow 1.0 can express"
reset_switch
ovs-ofctl -O OpenFlow13 add-flows "$SWITCH" "$FLOWS"
for proto in "OpenFlow10 -F openflow10" OpenFlow13 OpenFlow14 OpenFlow15; do
    read_only "$proto"
done

info "read-only commands, OpenFlow 1.3+, with groups and meters"
reset_switch
while read -r line; do
    eval "ovs-ofctl ${line//@SWITCH@/$SWITCH}" >/dev/null
done <"$SETUP"
for proto in OpenFlow13 OpenFlow14 OpenFlow15; do
    read_only "$proto"
    O=(-O "$proto" --no-names)
    for cmd in dump-groups dump-group-stats dump-meters meter-stats; do
        run_both 0 "${O[@]}" "$cmd" @SWITCH@
    done
    run_both 0 "${O[@]}" dump-groups @SWITCH@ 2
    run_both 1 "${O[@]}" dump-table-features @SWITCH@
done
run_both 0 -O OpenFlow13 diff-flows "$FLOWS13" @SWITCH@
run_both 0 ofp-print 0104000800000001
run_both 0 ofp-print "04 0e 00 40 cf fe 6b 86 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 ff 00 00 00 00 00 03 e8 ff ff ff ff ff ff ff ff ff ff ff ff 00 00 00 00 00 01 00 04 00 00 00 00 00 06 00 08 00 00 00 01"

info "commands that change the switch"
for proto in "OpenFlow10 -F openflow10" OpenFlow13 OpenFlow14 OpenFlow15; do
    # shellcheck disable=SC2206
    O=(-O $proto)
    change_both 0 - "${O[@]}" add-flow @SWITCH@ \
        "priority=5,ip,nw_dst=10.0.0.1,actions=output:2"
    change_both 0 - "${O[@]}" add-flows @SWITCH@ "$FLOWS"
    change_both 0 "$SETUP" "${O[@]}" mod-flows @SWITCH@ "ip,actions=drop"
    change_both 0 "$SETUP" "${O[@]}" --strict mod-flows @SWITCH@ \
        "priority=5,ip,nw_dst=10.0.0.1,actions=output:1"
    change_both 0 "$SETUP" "${O[@]}" del-flows @SWITCH@ "table=1"
    change_both 0 "$SETUP" "${O[@]}" --strict del-flows @SWITCH@ \
        "priority=5,ip,nw_dst=10.0.0.1"
    change_both 0 "$SETUP" "${O[@]}" del-flows @SWITCH@
    change_both 0 "$SETUP" "${O[@]}" replace-flows @SWITCH@ "$FLOWS"
    change_both 0 - "${O[@]}" mod-port @SWITCH@ 1 down
    change_both 0 - "${O[@]}" packet-out @SWITCH@ \
        "in_port=1,packet=ffffffffffff000000000001080045000014000000004001f9e50a0000010a000002,actions=output:2"
    if [ "$proto" != "OpenFlow10 -F openflow10" ]; then
        change_both 0 - "${O[@]}" add-flows @SWITCH@ "$FLOWS13"
        change_both 0 - "${O[@]}" add-groups @SWITCH@ "$GROUP_FILE"
        change_both 0 "$SETUP" "${O[@]}" mod-group @SWITCH@ \
            "group_id=1,type=all,bucket=actions=output:2"
        change_both 0 "$SETUP" "${O[@]}" del-groups @SWITCH@ group_id=2
        change_both 0 "$SETUP" "${O[@]}" del-groups @SWITCH@
        change_both 0 - "${O[@]}" add-meter @SWITCH@ \
            "meter=2,pktps,bands=type=drop rate=50"
        change_both 0 "$SETUP" "${O[@]}" mod-meter @SWITCH@ \
            "meter=1,kbps,bands=type=drop rate=2000"
        change_both 0 "$SETUP" "${O[@]}" del-meters @SWITCH@ meter=1
        change_both 0 - "${O[@]}" --bundle add-flows @SWITCH@ "$FLOWS13"
    fi
done
# Errors: the same exit status and no change.
change_both 0 - -O OpenFlow13 add-flow @SWITCH@ "table=1,actions=goto_table:0"
change_both 0 - -O OpenFlow13 add-flow @SWITCH@ "nonsense=1,actions=drop"

info "$n_cmp comparisons, $n_diff differ, $n_gap known gaps"
[ "$n_diff" = 0 ] || fail "$n_diff comparisons differ"
check_sanitizers
info PASS
