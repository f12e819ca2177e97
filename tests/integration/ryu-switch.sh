#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# OpenFlow conformance with the os-ken switch tester (Debian python3-os-ken):
# Tern is the target switch (datapath id 1), Open vSwitch's userspace
# switch is the tester (datapath id 2).  Ports 1-3 of each are wired to each
# other by veth pairs inside a network namespace this test creates; both
# switches and the controller (osken-manager on 127.0.0.1) run there.
#
# Every case under tests/vectors/ryu-switch/ runs: the OpenFlow 1.0 set
# with the target speaking 1.0, the OpenFlow 1.3 set with 1.3.  A case that
# fails is rerun on its own (the tester has timing noise: see below); the test
# fails if any case still fails.  The tester's logs stay in the test
# directory (printed at the end).
#
# Environment: TERN_VECTORS_DIR (default $top_srcdir/tests/vectors),
# TERN_RYU_SETS (default "of10 of13"; e.g. "of13/match" for a subset),
# TERN_RYU_TARGET=ovs makes a second Open vSwitch bridge the target instead
# of Tern (to check the harness and the cases themselves).
. "$(dirname "$0")/lib.sh"

need_root
. "$(dirname "$0")/peers-lib.sh"
command -v osken-manager >/dev/null \
    || fail "osken-manager is not installed (install-deps.sh)"
TESTER=/usr/lib/python3/dist-packages/os_ken/tests/switch/tester.py
[ -f "$TESTER" ] || fail "no $TESTER (python3-os-ken)"
VECTORS=${TERN_VECTORS_DIR:-$top_srcdir/tests/vectors}/ryu-switch
[ -d "$VECTORS" ] || fail "no test cases in $VECTORS"
CASES="$PYTHON $top_srcdir/tests/integration/ryu-cases.py"
# Cases take a while each; the tester has its own timeouts.
TIMEOUT=${TERN_TEST_TIMEOUT:-30}
OVS_DIR=$TESTDIR/ovs
TERN_DIR=$TESTDIR/tern
OF_PORT=16653

NS=tern-ryu-$$
ip netns add "$NS" || fail "ip netns add $NS"
on_cleanup ip netns del "$NS"
ip -n "$NS" link set lo up
# No IPv6 on the veths: router solicitations and DAD would reach the
# tester as stray packets.
ip netns exec "$NS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip netns exec "$NS" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
for i in 1 2 3; do
    ip -n "$NS" link add tgt$i type veth peer name tst$i \
        || fail "veth tgt$i/tst$i"
    ip -n "$NS" link set tgt$i up
    ip -n "$NS" link set tst$i up
done

# Every tester port is captured (tst1.pcap...), so that a case that keeps
# failing can be checked against what the target really put on the wire
# (ryu-cases.py evidence); TERN_RYU_CAPTURE=keep keeps the test directory
# even when every case passed.
for i in 1 2 3; do
    ip netns exec "$NS" tcpdump -Uqni tst$i -w "$TESTDIR/tst$i.pcap" \
        2>/dev/null &
    PIDS+=("$!")
done

info "tester: Open vSwitch (ovsdb-server, ovs-vswitchd) in $NS"
start_ovs "$OVS_DIR" "$NS"
OVS_VSCTL="ovs-vsctl --timeout=$TIMEOUT --db=unix:$OVS_DIR/db.sock"
$OVS_VSCTL add-br tst -- set bridge tst datapath_type=netdev \
    other-config:datapath-id=0000000000000002 fail_mode=secure \
    other-config:disable-in-band=true protocols=OpenFlow13 \
    -- add-port tst tst1 -- set interface tst1 ofport_request=1 \
    -- add-port tst tst2 -- set interface tst2 ofport_request=2 \
    -- add-port tst tst3 -- set interface tst3 ofport_request=3 \
    -- set-controller tst "tcp:127.0.0.1:$OF_PORT" \
    || fail "tester bridge"

if [ "${TERN_RYU_TARGET:-tern}" = ovs ]; then
    info "target: a second Open vSwitch bridge"
    TERN_VSCTL=$OVS_VSCTL
    TARGET_TYPE="datapath_type=netdev"
else
    info "target: Tern (tern-dbserver, tern-vswitchd) in $NS"
    start_tern_db "$TERN_DIR"
    TERN_VSCTL="ovs-vsctl --timeout=$TIMEOUT --db=unix:$TERN_DIR/db.sock"
    vswitchd_in_ns "$TERN_DIR" "$NS"
    start_vswitchd "unix:$TERN_DIR/db.sock"
    # The tester deletes every flow, group and meter of the target between
    # cases and sends what the switch may refuse; controller connections come
    # and go with each osken-manager run.
    allow_log '\|(connmgr|vconn|rconn|ofproto[a-z_-]*)\|(WARN|INFO)\|'
    TARGET_TYPE=
fi
$TERN_VSCTL add-br tgt -- set bridge tgt $TARGET_TYPE \
    other-config:datapath-id=0000000000000001 fail_mode=secure \
    -- add-port tgt tgt1 -- set interface tgt1 ofport_request=1 \
    -- add-port tgt tgt2 -- set interface tgt2 ofport_request=2 \
    -- add-port tgt tgt3 -- set interface tgt3 ofport_request=3 \
    -- set-controller tgt "tcp:127.0.0.1:$OF_PORT" \
    || fail "target bridge"

# run_tester VERSION DIR LOG: one osken-manager run over DIR with the
# target speaking VERSION (openflow10|openflow13); the target bridge is
# restricted to that version so that it negotiates exactly it.
run_tester() {
    local version=$1 dir=$2 log=$3 proto
    case $version in
        openflow10) proto=OpenFlow10 ;;
        openflow13) proto=OpenFlow13 ;;
    esac
    $TERN_VSCTL set bridge tgt protocols=$proto || fail "protocols=$proto"
    ip netns exec "$NS" timeout 1800 osken-manager \
        --ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port $OF_PORT \
        --test-switch-dir "$dir" \
        --test-switch-target-version "$version" \
        --test-switch-tester-version openflow13 \
        --test-switch-interval 0 "$TESTER" >"$log" 2>&1
    grep -Eq 'OK\([0-9]+\) / ERROR\([0-9]+\)' "$log" \
        || fail "the tester did not finish ($log):
$(tail -20 "$log")"
}

# A case that fails is rerun once, on its own; one that fails again is rerun
# a second time (TERN_RYU_RERUNS=1 keeps to one rerun).  Every rerun is
# logged.  The tester bridge runs with in-band control disabled: with it,
# Open vSwitch's in-band module (which finds no route to a controller on
# 127.0.0.1 and retries every second) went with IPv6 cases failing now and
# then as "increment in rx_packets in tester" (the frame reached the tester,
# no packet-in came).  Without it such failures became rare but did not
# vanish (one IPv6 case failed twice in a row in a CI run of ~470 cases),
# hence the second rerun; the captures of the tester's ports say what the
# target sent for a case that still fails.
#
# A case still failing after the second rerun with the tester's own verdict
# "increment in rx_packets in tester" (the frame reached the tester switch,
# no packet-in reached the tester) is checked against the captures of that
# rerun (ryu-cases.py verified): if the case's ingress went out on tst1 and
# its exact expected egress came back on tst2 every time, it is reported as
# such and not counted as failed.  The tester records a packet-in only while
# it waits for one, which it starts after sending the packet-out, so a
# packet-in that comes back before that is lost; the faster the target, the
# likelier.  Any other failure, or an egress missing or different even once,
# still fails the test.
#
# Failed cases are classified (ryu-cases.py classify) and one kind is
# reported but does not fail the test:
#  * throughput: the group case "2Mbps(...) -> group:all(output:2, output:3)"
#    when every output carried the same rate (within 2 %) and that rate is
#    below the tester's 2 Mb/s +- 10 %.  The tester generates the traffic
#    itself with packet-outs from Python through the tester switch; on a
#    2-CPU machine with the target's PMD thread on one CPU it cannot keep
#    2 Mb/s (Open vSwitch as the target fails the same way here, see
#    TERN_RYU_TARGET=ovs), and equal rates on both outputs show that the
#    switch copied every packet it was given.
total_ok=0
raced=0
total_failed=0
total_limited=0
for set in ${TERN_RYU_SETS:-of10 of13}; do
    case $set in
        of10*) version=openflow10 ;;
        *) version=openflow13 ;;
    esac
    dir=$VECTORS/$set
    [ -d "$dir" ] || fail "no $dir"
    name=${set//\//-}
    n=$($CASES count "$dir")
    info "$set: $n cases, target $version"
    : >"$TESTDIR/$name.failed"
    ok=0 r=0
    # Files whose titles repeat go to later rounds, so every case runs.
    for rdir in $($CASES rounds "$dir" "$TESTDIR/$name-cases"); do
        r=$((r + 1))
        run_tester $version "$rdir" "$TESTDIR/$name.$r.log"
        grep -E 'OK\([0-9]+\) / ERROR\([0-9]+\)' "$TESTDIR/$name.$r.log"
        ok=$((ok + $($CASES ok "$TESTDIR/$name.$r.log")))
        $CASES failed "$TESTDIR/$name.$r.log" >>"$TESTDIR/$name.failed"
    done
    nfail=$(wc -l <"$TESTDIR/$name.failed")
    if [ "$nfail" -gt 0 ]; then
        info "$set: rerunning the $nfail failed cases once"
        $CASES extract "$dir" "$TESTDIR/$name.failed" \
            "$TESTDIR/$name-rerun" >/dev/null
        run_tester $version "$TESTDIR/$name-rerun" "$TESTDIR/$name-rerun.log"
        ok=$((ok + $($CASES ok "$TESTDIR/$name-rerun.log")))
        $CASES failed "$TESTDIR/$name-rerun.log" >"$TESTDIR/$name.failed2"
        $CASES classify "$TESTDIR/$name-rerun.log" "$TESTDIR/$name.failed2" \
            >"$TESTDIR/$name.classified"
        limited=$(grep -c '^throughput' "$TESTDIR/$name.classified")
        grep '^fail' "$TESTDIR/$name.classified" >"$TESTDIR/$name.failed3"
        nfail=$(wc -l <"$TESTDIR/$name.failed3")
        if [ "$limited" -gt 0 ]; then
            echo "failed twice in $set but not counted (see the top of $0):"
            grep -v '^fail' "$TESTDIR/$name.classified" | sed 's/^/    /'
        fi
        if [ "$nfail" -gt 0 ] && [ "${TERN_RYU_RERUNS:-2}" -ge 2 ]; then
            # A second rerun of what still fails (see the top of this file).
            info "$set: rerunning the $nfail still failing cases again"
            cut -f2- "$TESTDIR/$name.failed3" \
                | sed 's/ \[Received unexpected throughput.*\]$//' \
                >"$TESTDIR/$name.failed3-list"
            $CASES extract "$dir" "$TESTDIR/$name.failed3-list" \
                "$TESTDIR/$name-rerun2" >/dev/null
            t0=$(date +%s.%N)
            run_tester $version "$TESTDIR/$name-rerun2" \
                "$TESTDIR/$name-rerun2.log"
            t1=$(date +%s.%N)
            ok=$((ok + $($CASES ok "$TESTDIR/$name-rerun2.log")))
            $CASES failed "$TESTDIR/$name-rerun2.log" >"$TESTDIR/$name.failed4"
            $CASES classify "$TESTDIR/$name-rerun2.log" \
                "$TESTDIR/$name.failed4" >"$TESTDIR/$name.classified2"
            more=$(grep -c '^throughput' "$TESTDIR/$name.classified2")
            limited=$((limited + more))
            grep '^fail' "$TESTDIR/$name.classified2" >"$TESTDIR/$name.failed3"
            # Cases that failed only because no packet-in reached the
            # tester, although the captures show the target sent the exact
            # expected egress every time in that rerun (see the top).
            cut -f2- "$TESTDIR/$name.failed3" \
                | sed 's/ \[Received unexpected throughput.*\]$//' \
                >"$TESTDIR/$name.failed4-list"
            $CASES verified "$TESTDIR/$name-rerun2" \
                "$TESTDIR/$name.failed4-list" "$TESTDIR/$name-rerun2.log" \
                "$TESTDIR" "$t0" "$t1" >"$TESTDIR/$name.verified"
            if [ -s "$TESTDIR/$name.verified" ]; then
                echo "failed three times in $set, but the captures show the" \
                    "expected egress every time (the tester missed its" \
                    "packet-in; not counted):"
                sed 's/^/    /' "$TESTDIR/$name.verified"
                cut -f1-2 "$TESTDIR/$name.verified" \
                    | sed 's/^/fail\t/' >"$TESTDIR/$name.verified-keys"
                grep -v -x -F -f "$TESTDIR/$name.verified-keys" \
                    "$TESTDIR/$name.failed3" >"$TESTDIR/$name.failed5" || true
                mv "$TESTDIR/$name.failed5" "$TESTDIR/$name.failed3"
                vrf=$(wc -l <"$TESTDIR/$name.verified")
                raced=$((raced + vrf))
            fi
            nfail=$(wc -l <"$TESTDIR/$name.failed3")
        fi
        if [ "$nfail" -gt 0 ]; then
            echo "still failing in $set:"
            sed 's/^/    /' "$TESTDIR/$name.failed3"
            echo "what the captures of the tester's ports hold for them:"
            cut -f2- "$TESTDIR/$name.failed3" \
                | sed 's/ \[Received unexpected throughput.*\]$//' \
                >"$TESTDIR/$name.failed3-evidence"
            $CASES evidence "$dir" "$TESTDIR/$name.failed3-evidence" \
                "$TESTDIR" | sed 's/^/    /'
        fi
        total_limited=$((total_limited + limited))
    fi
    ran=$((ok + nfail + ${limited:-0} + ${vrf:-0}))
    [ "$ran" = "$n" ] || fail "$set: the tester ran $ran cases, not $n"
    total_ok=$((total_ok + ok))
    total_failed=$((total_failed + nfail))
    limited=0
    vrf=0
done
info "os-ken switch tester: $total_ok cases passed, $total_failed failed," \
    "$total_limited throughput cases below the tester's rate," \
    "$raced with the egress verified in the captures but no packet-in"
info "logs in $TESTDIR"
if [ "${TERN_RYU_CAPTURE:-}" = keep ]; then
    cp -a "$TESTDIR" "$TESTDIR.kept"
    info "captures and logs kept in $TESTDIR.kept"
fi
[ "$total_failed" = 0 ] || fail "$total_failed switch test cases failed"
finish
