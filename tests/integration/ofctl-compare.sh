#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Debian's ovs-ofctl against Tern and against Open vSwitch 3.1: the same
# command lines, run against both switches (same bridge, same ports, same
# datapath id), must give the same answers, once the parts that differ by
# design (durations, MAC addresses, description strings, transaction ids)
# are masked.  Run for "-O OpenFlow10 -F openflow10", OpenFlow13, 14 and
# 15, with and without --no-names: a 10,000-rule file added, dumped back,
# deleted strictly and not, added again in a bundle; groups (all, select),
# meters, goto_table, packet-out, dump-ports, show, dump-tables.
#
# Each side runs over TCP on the loopback of its own network namespace
# while tcpdump captures it; tshark must find no malformed packet in Tern's
# exchange that it does not also find in Open vSwitch's (see below).  A few commands also go through the management
# socket (unix:$TERN_RUNDIR/br0.mgmt) as ovs-ofctl's "br0" target would.
. "$(dirname "$0")/lib.sh"

need_root
. "$(dirname "$0")/peers-lib.sh"
for tool in ovs-ofctl tcpdump tshark; do
    command -v $tool >/dev/null || fail "$tool is not installed (install-deps.sh)"
done
N_RULES=${TERN_OFCTL_RULES:-10000}
OF_PORT=6653
TIMEOUT=${TERN_TEST_TIMEOUT:-60}
OVS_DIR=$TESTDIR/ovs
TERN_DIR=$TESTDIR/tern

NS_ovs=tern-ofco-$$
NS_tern=tern-ofct-$$
for ns in $NS_ovs $NS_tern; do
    ip netns add "$ns" || fail "ip netns add $ns"
    on_cleanup ip netns del "$ns"
    ip -n "$ns" link set lo up
done

BRIDGE_CFG="set bridge br0 datapath_type=netdev fail_mode=secure \
other-config:datapath-id=0000aabbccddeeff other-config:hwaddr=aa:bb:cc:dd:ee:ff \
protocols=OpenFlow10,OpenFlow13,OpenFlow14,OpenFlow15 \
-- add-port br0 p1 -- set interface p1 type=dummy ofport_request=1 \
-- add-port br0 p2 -- set interface p2 type=dummy ofport_request=2 \
-- add-port br0 p3 -- set interface p3 type=dummy ofport_request=3 \
-- set-controller br0 ptcp:$OF_PORT:127.0.0.1"

info "Open vSwitch in $NS_ovs"
start_ovs "$OVS_DIR" "$NS_ovs"
# shellcheck disable=SC2086
ovs-vsctl --timeout="$TIMEOUT" --db="unix:$OVS_DIR/db.sock" add-br br0 \
    -- $BRIDGE_CFG || fail "bridge on Open vSwitch"

info "Tern in $NS_tern"
start_tern_db "$TERN_DIR"
vswitchd_in_ns "$TERN_DIR" "$NS_tern"
start_vswitchd "unix:$TERN_DIR/db.sock"
allow_log '\|(connmgr|vconn|ofproto[a-z_-]*)\|INFO\|'
# shellcheck disable=SC2086
ovs-vsctl --timeout="$TIMEOUT" --db="unix:$TERN_DIR/db.sock" add-br br0 \
    -- $BRIDGE_CFG || fail "bridge on Tern"

for ns in $NS_ovs $NS_tern; do
    wait_until ip netns exec "$ns" ovs-ofctl -O OpenFlow13 show \
        "tcp:127.0.0.1:$OF_PORT" || fail "no OpenFlow listener in $ns"
done

info "capturing both switches' OpenFlow traffic"
TCPDUMP_PIDS=
for side in ovs tern; do
    ns=NS_$side
    ip netns exec "${!ns}" tcpdump -i lo -s 0 -U -w "$TESTDIR/$side.pcap" \
        "tcp port $OF_PORT" 2>"$TESTDIR/tcpdump-$side.err" &
    TCPDUMP_PIDS="$TCPDUMP_PIDS $!"
    on_cleanup "kill -TERM $!"
    wait_until grep -q "listening on" "$TESTDIR/tcpdump-$side.err" \
        || fail "tcpdump did not start"
done

# The rule file: N_RULES distinct rules over the fields every version can
# express, with OpenFlow 1.0 actions.
RULES=$TESTDIR/rules.txt
"$PYTHON" - "$N_RULES" >"$RULES" <<'PY'
import sys
n = int(sys.argv[1])
for i in range(n):
    a, b = (i >> 8) & 0xff, i & 0xff
    prio = 100 + i % 50
    cookie = 'cookie=0x%x,' % (i + 1)
    kind = i % 5
    if kind == 0:
        print('%spriority=%d,ip,nw_dst=10.%d.%d.1,actions=output:2'
              % (cookie, prio, a, b))
    elif kind == 1:
        print('%spriority=%d,tcp,nw_src=192.168.%d.0/24,tp_dst=%d,'
              'actions=mod_nw_tos:16,output:3' % (cookie, prio, a, b + 1))
    elif kind == 2:
        print('%spriority=%d,in_port=1,dl_src=00:00:00:00:%02x:%02x,'
              'dl_vlan=%d,actions=strip_vlan,output:2'
              % (cookie, prio, a, b, i % 4000 + 1))
    elif kind == 3:
        print('%spriority=%d,udp,nw_dst=172.16.%d.%d,tp_src=%d,actions=drop'
              % (cookie, prio, a, b, i % 60000 + 1))
    else:
        print('%spriority=%d,arp,arp_tpa=10.200.%d.%d,actions=NORMAL'
              % (cookie, prio, a, b))
PY
head -n $((N_RULES / 10)) "$RULES" >"$TESTDIR/rules-head.txt"
# A 64-byte UDP frame from p1 (in hex) for packet-out.
PACKET=$("$PYTHON" -c '
from scapy.all import Ether, IP, UDP, raw
p = Ether(src="00:00:00:00:00:01", dst="00:00:00:00:00:02") / \
    IP(src="10.0.0.1", dst="10.0.0.2") / UDP(sport=1, dport=2) / (b"x" * 18)
print(raw(p).hex())')

# The command lines, one per line, for protocol option set $1 (e.g.
# "-O OpenFlow13").  Each runs as "ovs-ofctl OPTS LINE" with TARGET and
# files substituted.  "@ " lines run as shell commands with the ofctl
# command in $OFCTL.
scenario() {
    local v=$1 of10=no
    case $v in *OpenFlow10*) of10=yes ;; esac
    cat <<EOS
show TARGET
dump-tables TARGET
dump-ports-desc TARGET
del-flows TARGET
add-flows TARGET $RULES
dump-aggregate TARGET
@ \$OFCTL dump-flows --no-stats TARGET | sort
del-flows --strict TARGET - < $TESTDIR/rules-head.txt
dump-aggregate TARGET
del-flows TARGET ip
dump-aggregate TARGET
@ \$OFCTL dump-flows --no-stats TARGET | sort | head -50
del-flows TARGET
dump-aggregate TARGET
EOS
    if [ $of10 = no ]; then
        cat <<EOS
--bundle add-flows TARGET $RULES
dump-aggregate TARGET
@ \$OFCTL dump-flows --no-stats TARGET | sort
--bundle del-flows TARGET
add-group TARGET group_id=1,type=all,bucket=output:1,bucket=output:2
add-group TARGET group_id=2,type=select,bucket=weight:10,actions=output:1,bucket=weight:20,actions=output:2
@ \$OFCTL dump-groups TARGET | sort
add-meter TARGET meter=1,kbps,burst,stats,bands=type=drop,rate=1000,burst_size=100
dump-meters TARGET
add-flow TARGET priority=5,in_port=3,actions=group:1
add-flow TARGET priority=6,in_port=2,actions=meter:1,output:1
add-flow TARGET table=0,priority=7,ip,actions=goto_table:5
add-flow TARGET table=5,priority=1,ip,actions=output:2
@ \$OFCTL dump-flows --no-stats TARGET | sort
@ \$OFCTL dump-group-stats TARGET | sed 's/duration=[0-9.]*s/duration=<d>/' | sort
meter-stats TARGET
del-flows TARGET
del-groups TARGET
del-meters TARGET
dump-groups TARGET
dump-meters TARGET
EOS
    fi
    cat <<EOS
add-flow TARGET priority=1,actions=drop
packet-out TARGET in_port=CONTROLLER,packet=$PACKET,actions=output:2
packet-out TARGET in_port=CONTROLLER,packet=$PACKET,actions=output:2,output:3
dump-ports TARGET 2
dump-ports TARGET
@ \$OFCTL dump-flows TARGET | sed 's/duration=[0-9.]*s/duration=<d>/'
mod-port TARGET p3 down
dump-ports-desc TARGET 3
mod-port TARGET p3 up
dump-tables TARGET
del-flows TARGET
EOS
}

# normalise FILE: masks what differs by design.
#  * transaction ids, durations and ages, MAC addresses, description
#    strings;
#  * port counters a device does not keep: Open vSwitch's dummy devices
#    report them as unavailable ("?"), Tern's as 0; and the "CUSTOM
#    Statistics" (1.4+ port stats properties) that Open vSwitch's dummy
#    devices add;
#  * the order of dump-ports replies, which Open vSwitch sends in its hash
#    table's order: the LOCAL port's stanza is moved first.
normalise() {
    sed -Ei \
        -e 's/xid=0x[0-9a-f]+/xid=<x>/g' \
        -e 's/duration[=:][0-9.]+s/duration=<d>/g' \
        -e 's/(idle_age|hard_age)=[0-9]+/\1=<a>/g' \
        -e 's/(addr:)([0-9a-f]{2}:){5}[0-9a-f]{2}/\1<mac>/g' \
        -e 's/(Manufacturer|Hardware|Software|Serial Num|DP Description): .*/\1: <desc>/' \
        -e 's/=\?/=0/g' \
        "$1"
    "$PYTHON" - "$1" <<'PY'
import re, sys
path = sys.argv[1]
out, skip, local, header = [], None, None, None
for line in open(path).read().split('\n'):
    if local is not None:
        if line.startswith(' ' * 11) and line.strip():
            local.append(line)
            continue
        out[header + 1:header + 1] = local
        local = None
    if skip is not None:
        if line.startswith(' ' * skip) and line.strip():
            continue
        skip = None
    if line.startswith('OFPST_PORT reply'):
        header = len(out)
    if re.match(r'^  port LOCAL:', line) and header is not None:
        local = [line]
        continue
    if line.strip() == 'CUSTOM Statistics':
        skip = 12
        continue
    out.append(line)
open(path, 'w').write('\n'.join(out))
PY
}

# run_side SIDE NS OPTS: runs the scenario with "ovs-ofctl OPTS" against
# SIDE's switch in NS; answers in $TESTDIR/SIDE.NAME.out.
run_side() {
    local side=$1 ns=$2 opts=$3 name=$4 line out status
    local target=tcp:127.0.0.1:$OF_PORT
    local file=$TESTDIR/$side.$name.out
    : >"$file"
    while IFS= read -r line; do
        line=${line//TARGET/$target}
        if [ "${line:0:2}" = "@ " ]; then
            out=$(OFCTL="ip netns exec $ns ovs-ofctl --timeout=$TIMEOUT $opts" \
                bash -c "${line:2}" 2>&1)
        else
            # shellcheck disable=SC2086
            out=$(eval ip netns exec "$ns" ovs-ofctl --timeout="$TIMEOUT" \
                $opts $line 2>&1)
        fi
        status=$?
        {
            echo "\$ ${line//$target/TARGET}"
            [ -z "$out" ] || printf '%s\n' "$out"
            echo "(status $status)"
        } >>"$file"
    done < <(scenario "$opts")
    sed -i "s|$target|TARGET|g; s|$TESTDIR|TESTDIR|g" "$file"
    normalise "$file"
}

failed=0
for opts in "-O OpenFlow10 -F openflow10" "-O OpenFlow13" "-O OpenFlow14" \
    "-O OpenFlow15" "-O OpenFlow13 --no-names" \
    "-O OpenFlow10 -F openflow10 --no-names"; do
    name=$(echo "$opts" | tr -c 'A-Za-z0-9\n' '_')
    info "ovs-ofctl $opts"
    run_side ovs "$NS_ovs" "$opts" "$name"
    run_side tern "$NS_tern" "$opts" "$name"
    if ! diff -u "$TESTDIR/ovs.$name.out" "$TESTDIR/tern.$name.out" \
        >"$TESTDIR/$name.diff"; then
        head -80 "$TESTDIR/$name.diff"
        failed=$((failed + 1))
    fi
    # The scenario meant something only if the rules went in.
    grep -q "flow_count=$N_RULES" "$TESTDIR/tern.$name.out" \
        || fail "$opts: the $N_RULES rules were never all in Tern's table"
done

info "the management socket"
for cmd in "show" "dump-flows"; do
    ovs-ofctl -O OpenFlow13 $cmd "unix:$TERN_RUNDIR/br0.mgmt" \
        >"$TESTDIR/mgmt.out" 2>&1 \
        || fail "ovs-ofctl $cmd unix:$TERN_RUNDIR/br0.mgmt: $(cat "$TESTDIR/mgmt.out")"
done

# tshark's verdict.  Its OpenFlow dissectors do not know every message
# (OpenFlow 1.5's group and flow statistics bodies, 1.0 flow mods without
# actions, experimenter bodies) and flag some well-formed messages -- also
# ovs-ofctl's own requests and Open vSwitch's replies -- as malformed.  So
# what Tern sends must not hold a malformed packet of a kind that what Open
# vSwitch sends in the same exchange does not also hold: the sets of
# (OpenFlow version, message type) of malformed packets from the switch
# are compared (a packet that carries several messages counts for each).
# What tshark says of ovs-ofctl's own messages is printed, not judged.
info "tshark on the captures"
# shellcheck disable=SC2086
kill -TERM $TCPDUMP_PIDS
# shellcheck disable=SC2086
wait $TCPDUMP_PIDS 2>/dev/null
OF_FILTER="openflow_v1 || openflow_v4 || openflow_v5 || openflow_v6"
malformed_kinds() {
    tshark -r "$TESTDIR/$1.pcap" \
        -Y "($OF_FILTER) && (_ws.malformed || _ws.expert.severity >= error)" \
        -T fields -e tcp.srcport -e frame.protocols -e _ws.col.Info \
        2>/dev/null | "$PYTHON" -c '
import re, sys
for line in sys.stdin:
    port, protos, info = (line.rstrip("\n").split("\t") + ["", ""])[:3]
    side = "from-switch" if port == sys.argv[1] else "to-switch"
    vers = ",".join(sorted(set(re.findall(r"openflow_v\d", protos))))
    for t in re.findall(r"Type: (\w+)", info):
        print(side, vers, t)
' "$OF_PORT" | sort -u
}
malformed_kinds ovs >"$TESTDIR/ovs.malformed"
malformed_kinds tern >"$TESTDIR/tern.malformed"
n_of=$(tshark -r "$TESTDIR/tern.pcap" -Y "$OF_FILTER" 2>/dev/null | wc -l)
[ "$n_of" -gt 100 ] || fail "only $n_of OpenFlow packets captured"
info "$n_of packets with OpenFlow in Tern's capture"
echo "kinds tshark calls malformed with Open vSwitch as the switch:"
sed 's/^/    /' "$TESTDIR/ovs.malformed"
extra=$(comm -13 "$TESTDIR/ovs.malformed" "$TESTDIR/tern.malformed" \
    | grep '^from-switch' || true)
[ -z "$extra" ] || fail "tshark finds malformed packets with Tern that it does not find with Open vSwitch:
$extra"

[ $failed = 0 ] || fail "$failed protocol variants gave different answers (- Open vSwitch, + Tern)"
finish
