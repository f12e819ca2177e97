#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Tern against Open vSwitch, switch included: Open vSwitch's ovs-vsctl runs
# the same command lines (those libvirt and os-vif use, then dummy and
# system ports) once against Open vSwitch's ovsdb-server and ovs-vswitchd
# and once against tern-dbserver and tern-vswitchd, and every answer
# (standard output, standard error and exit status) must be the same once
# UUIDs and the few fields that differ by design are normalised (see
# normalise_answers).  Without --no-wait, so each command also waits for
# the switch to apply it (cur_cfg).
#
# Each switch runs in a network namespace of its own, so that the kernel
# devices it makes or uses (Open vSwitch's tap device for the bridge, the
# veth pair behind the "system" port) have the same names on both sides
# and stay out of the host.  Open vSwitch's switch is its DPDK build
# (Debian openvswitch-switch-dpdk, without hugepages) with its userspace
# ("netdev") datapath, so that both sides have the vhost-user types: no
# kernel module is needed (--disable-system keeps it from looking for the
# kernel datapath, --enable-dummy gives it the "dummy" interface type;
# peers-lib.sh).
. "$(dirname "$0")/lib.sh"

need_root
. "$(dirname "$0")/peers-lib.sh"

OVS_DIR=$TESTDIR/ovs
TERN_DIR=$TESTDIR/tern

# A namespace per switch: NS_ovs and NS_tern.
NS_ovs=tern-cmpo-$$
NS_tern=tern-cmpt-$$
for side in ovs tern; do
    ns=NS_$side
    ip netns add "${!ns}" || fail "ip netns add ${!ns}"
    on_cleanup ip netns del "${!ns}"
    ip -n "${!ns}" link set lo up
    # The "system" port: a veth pair whose both ends are up, so that the
    # link is up (sys1p stays outside the bridge).
    ip -n "${!ns}" link add sys1 type veth peer name sys1p \
        || fail "veth in ${!ns}"
    ip -n "${!ns}" link set sys1 up
    ip -n "${!ns}" link set sys1p up
    # A kernel interface nobody brought up (administratively down).
    ip -n "${!ns}" link add sys3 type veth peer name sys3p \
        || fail "veth in ${!ns}"
done

info "Open vSwitch: ovsdb-server and ovs-vswitchd in $NS_ovs"
OVS_DPDK=1 start_ovs "$OVS_DIR" "$NS_ovs"

info "Tern: tern-dbserver and tern-vswitchd in $NS_tern"
start_tern_db "$TERN_DIR"
vswitchd_in_ns "$TERN_DIR" "$NS_tern"
start_vswitchd "unix:$TERN_DIR/db.sock"

# What Tern does not do yet and says so in its log (as the same command
# lines make Open vSwitch's switch log warnings of its own).
allow_log '\|bridge\|WARN\|Bridge br0: (controller|fail_mode)=.* is not impl'
allow_log '\|iface\|WARN\|br0: interface sys2: could not open network device'

VHOST_PATH=$TESTDIR/vhu1.sock
VM_UUID=5e0b8a3c-4d3b-4c5e-9a7e-1f2d3c4b5a69
IFACE_ID=0d8c1a90-3e4f-4b6a-8c2d-7e9f0a1b2c3d

# The command lines, one per line (a backslash at the end of a line
# continues it), each run as "ovs-vsctl --db=... LINE" (split at blanks; no
# argument contains one).  A line "@ CMD" runs CMD in the switch's
# namespace instead.  A line "? LINE" is a known gap, where Tern does not
# give Open vSwitch's answer yet: its answers go to SIDE.gaps, whose
# differences are shown but do not fail the test.  The gaps: a vhost-user
# client port that never connected has no statistics and MTU 0 in Open
# vSwitch, zero counters and its MTU in Tern.
scenario_commands() {
    cat <<EOF
add-br br0 -- set bridge br0 datapath_type=netdev
--may-exist add-port br0 vhu1 -- set Interface vhu1 \
type=dpdkvhostuserclient options:vhost-server-path=$VHOST_PATH \
external_ids:iface-id=$IFACE_ID external_ids:attached-mac=fa:16:3e:12:34:56 \
external_ids:vm-uuid=$VM_UUID external_ids:iface-status=active \
mtu_request=1500
--may-exist add-port br0 vhu1 -- set Interface vhu1 \
type=dpdkvhostuserclient options:vhost-server-path=$VHOST_PATH \
external_ids:iface-id=$IFACE_ID external_ids:attached-mac=fa:16:3e:12:34:56 \
external_ids:vm-uuid=$VM_UUID external_ids:iface-status=active \
mtu_request=1500
--no-headings --columns=name find Interface \
options:vhost-server-path=$VHOST_PATH
? --if-exists --format=list --data=json --no-headings --columns=statistics \
list Interface vhu1
--if-exists --format=list --data=json --no-headings --columns=statistics \
list Interface nosuch
iface-to-br vhu1
get Interface vhu1 ofport
get Interface vhu1 error
? get Interface vhu1 link_state admin_state mtu mtu_request
get Interface br0 ofport
set Port vhu1 tag=20
get Port vhu1 tag
get Interface vhu1 ofport
set-controller br0 tcp:127.0.0.1:6653
get-controller br0
set-fail-mode br0 secure
get-fail-mode br0
get Open_vSwitch . next_cfg
add-port br0 d1 -- set Interface d1 type=dummy
get Interface d1 ofport
get Interface d1 link_state
get Interface d1 admin_state
get Interface d1 mtu
get Interface d1 error
iface-to-br d1
add-port br0 sys1
get Interface sys1 ofport
get Interface sys1 link_state
get Interface sys1 admin_state
get Interface sys1 mtu
get Interface sys1 error
iface-to-br sys1
add-port br0 sys2 -- set Interface sys2 type=system
get Interface sys2 ofport
get Interface sys2 link_state admin_state mtu
get Interface sys2 error
list-ports br0
set Interface d1 mtu_request=9000
get Interface d1 mtu
--timeout=12 wait-until Interface sys1 statistics:rx_bytes>=0
--if-exists --format=list --data=json --no-headings --columns=statistics \
list Interface sys1
@ ip link set sys1p down
--timeout=12 wait-until Interface sys1 link_state=down
get Interface sys1 link_state admin_state
@ ip link set sys1p up
--timeout=12 wait-until Interface sys1 link_state=up
add-port br0 sys3
get Interface sys3 ofport link_state admin_state
set Interface sys1 mtu_request=1400
get Interface sys1 mtu
get Interface br0 link_state admin_state error
--if-exists del-port vhu1
--if-exists del-port vhu1
list-ports br0
del-port br0 sys2
del-port br0 d1
del-port br0 sys3
get Interface sys1 ofport
list-ports br0
del-br br0
list-br
--columns=name list Interface
EOF
}

# run_scenario SIDE: runs the command lines against SIDE's database
# server and writes each one's answers to $TESTDIR/SIDE.out (known gaps to
# $TESTDIR/SIDE.gaps).
run_scenario() {
    local side=$1 line out err status file
    local db=unix:$TESTDIR/$side/db.sock ns=NS_$1
    ns=${!ns}
    : >"$TESTDIR/$side.out"
    : >"$TESTDIR/$side.gaps"
    while IFS= read -r line; do
        if [ "${line:0:2}" = "@ " ]; then
            # shellcheck disable=SC2086
            ip netns exec "$ns" ${line:2} || fail "$side: ${line:2}"
            continue
        fi
        file=$TESTDIR/$side.out
        if [ "${line:0:2}" = "? " ]; then
            line=${line:2}
            file=$TESTDIR/$side.gaps
        fi
        # shellcheck disable=SC2086
        out=$(ovs-vsctl --timeout="$TIMEOUT" --db="$db" $line \
            2>"$TESTDIR/$side.err")
        status=$?
        err=$(cat "$TESTDIR/$side.err")
        if [[ $line == *--columns=statistics* ]]; then
            out=$(printf '%s\n' "$out" | stats_keys)
        fi
        {
            echo "\$ $line"
            [ -z "$out" ] || printf '%s\n' "$out"
            [ -z "$err" ] || printf '%s\n' "$err" | sed 's/^/stderr: /'
            echo "(status $status)"
        } >>"$file"
    done < <(scenario_commands)
    normalise_answers "$TESTDIR/$side.out"
    normalise_answers "$TESTDIR/$side.gaps"
}

# Filters Interface.statistics printed as JSON (--data=json): only the
# keys Tern writes (the netdev layer's counters) are kept, and their
# values become "n".  Open vSwitch's switch writes more keys, depending on
# the device ("collisions" and "rx_crc_err" for a veth, per-queue counters
# for a dummy device), and the counts depend on what the kernel sends on
# the veth.
stats_keys() {
    "$PYTHON" -c '
import json, sys
keep = {"rx_packets", "rx_bytes", "tx_packets", "tx_bytes", "rx_dropped",
        "tx_dropped", "rx_errors", "tx_errors"}
for line in sys.stdin:
    if not line.strip():
        continue
    kind, pairs = json.loads(line)
    pairs = [[k, "n"] for k, v in pairs if k in keep]
    print(json.dumps([kind, pairs], separators=(",", ":")))
'
}

# normalise_answers FILE: replaces in FILE what differs between the two
# sides by design.
#  * UUIDs are random.
#  * The text of an interface's error (Interface.error, and ovs-vsctl's
#    "Error detected while setting up" that quotes it) is the switch's
#    own: for a missing kernel device Open vSwitch gives strerror()
#    alone, Tern the device layer's message.  Which interfaces have an
#    error, and when, must match.
#  * ovs-vsctl's hint at the log directory comes from its environment.
normalise_answers() {
    local hex='[0-9a-f]'
    sed -Ei \
        -e "s/$hex{8}-$hex{4}-$hex{4}-$hex{4}-$hex{12}/<uuid>/g" \
        -e "s/(while setting up '[^']*': ).*(\.  See)/\1<error>\2/" \
        -e '/^stderr: ovs-vsctl: The default log directory is/d' \
        "$1"
    # The answer to "get Interface X error" (the line after the command).
    sed -Ei '/^\$ get Interface [^ ]+ error$/{n;s/^".*"$/"<error>"/}' "$1"
}

info "the scenario against Open vSwitch"
run_scenario ovs
info "the scenario against Tern"
run_scenario tern

info "same answers"
diff -u "$TESTDIR/ovs.out" "$TESTDIR/tern.out" \
    || fail "answers differ (- Open vSwitch, + Tern)"
info "known gaps (- Open vSwitch, + Tern; not a failure)"
diff -u "$TESTDIR/ovs.gaps" "$TESTDIR/tern.gaps" | tail -n +3

# The comparison means something only if the switches did their part.
grep -qx '"<error>"' "$TESTDIR/tern.out" || fail "no interface error seen"
expect_eq "$(grep -c '^(status 0)$' "$TESTDIR/tern.out")" \
    "$(grep -c '^\$ ' "$TESTDIR/tern.out")" "commands that succeeded"
expect_eq "$(sed -n '/^\$ get Interface sys1 link_state$/{n;p;q}' \
    "$TESTDIR/tern.out")" up "sys1 link_state"

bad=$(grep -E '\|(WARN|ERR|EMER)\|' "$TERN_DIR/tern-dbserver.log")
[ -z "$bad" ] || fail "warnings or errors in tern-dbserver's log:
$bad"
finish
