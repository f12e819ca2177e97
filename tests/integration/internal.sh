#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Internal ports: tern-vswitchd runs in a network namespace of its own
# (sw), where its bridge br0's LOCAL port appears as the tap device br0
# (administratively down until the test brings it up, as in Open vSwitch); a
# veth port leads to a second namespace (h1, 10.81.0.2).  The switch
# namespace's own stack (10.81.0.1 on br0) then talks through the bridge:
#   - LOCAL is datapath port 0, Interface.ofport 65534, ovs-ofctl show
#     lists LOCAL(br0) with the MAC the tap has (the bridge's MAC, the same
#     after a restart); "ip link set br0 up" shows in Interface
#     admin_state and link_state;
#   - pings both ways with NORMAL (fail_mode standalone) and, in secure
#     mode, with explicit flows to and from LOCAL;
#   - a type=internal port gets a normal port number and its own tap, and
#     Interface mac sets its address;
#   - mtu_request changes the kernel MTU, and Interface.mtu follows;
#   - "ip link set br0 down" outside Tern shows in Interface link_state
#     and admin_state, and "up" again;
#   - deleting a port or the bridge removes its tap, and so does stopping
#     tern-vswitchd.
. "$(dirname "$0")/lib.sh"
need_root
. "$(dirname "$0")/of-lib.sh"

SW=tern-int-sw-$$ H1=tern-int-h1-$$
V1=tint1-$$
ip netns add "$SW" || fail "ip netns add $SW"
on_cleanup ip netns del "$SW"
ip netns add "$H1" || fail "ip netns add $H1"
on_cleanup ip netns del "$H1"
ip -n "$SW" link set lo up
ip -n "$H1" link set lo up
# No IPv6 in the switch's namespace: its taps would send autoconfiguration
# chatter into the bridge.
ip netns exec "$SW" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip netns exec "$SW" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
ip -n "$SW" link add "$V1" type veth peer name "${V1}p" netns "$H1" \
    || fail "veth"
ip -n "$SW" link set "$V1" up
ip -n "$H1" addr add 10.81.0.2/24 dev "${V1}p"
ip -n "$H1" link set "${V1}p" up

in_sw() {
    ip netns exec "$SW" "$@"
}
# tap_exists NAME: NAME is a tun/tap device in the switch's namespace.
tap_exists() {
    ip -n "$SW" -d link show "$1" 2>/dev/null | grep -q "tun type tap"
}
# link_field NAME FIELD: "mtu" or "link/ether" value of NAME in sw.
link_field() {
    ip -n "$SW" link show "$1" 2>/dev/null \
        | sed -n "s|.* $2 \([^ ]*\).*|\1|p" | head -1
}
# iface_is NAME COLUMN VALUE: Interface NAME's COLUMN reads VALUE.
iface_is() {
    [ "$(vsctl get interface "$1" "$2" 2>/dev/null | tr -d '"')" = "$3" ]
}
ping_sw() { # from the switch's stack to ADDR
    in_sw ping -c 2 -i 0.2 -W 2 "$1" >/dev/null 2>&1 \
        || in_sw ping -c 3 -i 0.3 -W 2 "$1" >/dev/null 2>&1
}

start_tern_db "$TERN_RUNDIR"
vswitchd_in_ns "$TESTDIR" "$SW"
start_vswitchd "unix:$TERN_RUNDIR/db.sock"
allow_log '\|(connmgr|vconn|ofproto[a-z_-]*|fail_mode)\|INFO\|'

vsctl add-br br0 -- set bridge br0 datapath_type=netdev fail_mode=standalone \
    -- add-port br0 "$V1" -- set interface "$V1" ofport_request=1 \
    || fail "add-br"
wait_until test -S "$TERN_RUNDIR/br0.mgmt" || fail "no management socket"

info "the LOCAL port is the tap br0, down until the host brings it up"
wait_until tap_exists br0 || fail "no tap br0 in $SW: $(ip -n "$SW" -d link)"
ip -n "$SW" link show br0 | grep -q "[<,]UP[,>]" \
    && fail "br0 is up before the host asked: $(ip -n "$SW" link show br0)"
wait_until iface_is br0 ofport 65534 \
    || fail "Interface br0 ofport: $(vsctl get interface br0 ofport)"
wait_until iface_is br0 admin_state down \
    || fail "Interface br0 admin_state: $(vsctl get interface br0 admin_state)"
ofctl show | grep -A2 "LOCAL(br0)" | grep -q "PORT_DOWN" \
    || fail "ovs-ofctl show: LOCAL not PORT_DOWN: $(ofctl show)"
ip -n "$SW" link set br0 up || fail "ip link set br0 up"
wait_until iface_is br0 admin_state up \
    || fail "Interface br0 admin_state: $(vsctl get interface br0 admin_state)"
wait_until iface_is br0 link_state up \
    || fail "Interface br0 link_state: $(vsctl get interface br0 link_state)"
mac=$(link_field br0 link/ether)
[ -n "$mac" ] || fail "no MAC on br0"
wait_until iface_is br0 mac_in_use "$mac" \
    || fail "mac_in_use $(vsctl get interface br0 mac_in_use), tap has $mac"
iface_is br0 error "[]" || fail "br0 error: $(vsctl get interface br0 error)"
show=$(ofctl show) || fail "ovs-ofctl show"
echo "$show" | grep -Eq "^ LOCAL\(br0\): addr:$mac\$" \
    || fail "ovs-ofctl show lacks LOCAL(br0) with addr $mac: $show"
appctl dpctl/show | grep -Eq "port 0: br0( |$)" \
    || fail "datapath port 0 is not br0: $(appctl dpctl/show)"

info "the MAC is the bridge's, stable across restarts"
stop_vswitchd
wait_until sh -c "! ip -n $SW link show br0" \
    || fail "tap br0 left behind after tern-vswitchd exited"
start_vswitchd "unix:$TERN_RUNDIR/db.sock"
wait_until tap_exists br0 || fail "no tap br0 after the restart"
[ "$(link_field br0 link/ether)" = "$mac" ] \
    || fail "br0 MAC changed over a restart: $(link_field br0 link/ether) != $mac"
ip -n "$SW" link set br0 up || fail "ip link set br0 up"

info "NORMAL: the switch's stack pings h1 through br0"
ip -n "$SW" addr add 10.81.0.1/24 dev br0 || fail "address on br0"
ping_sw 10.81.0.2 || fail "sw -> h1 with NORMAL"
ping_ok "$H1" 10.81.0.1 || fail "h1 -> sw with NORMAL"

info "explicit flows to and from LOCAL"
vsctl set bridge br0 fail_mode=secure || fail "fail_mode=secure"
ofctl del-flows || fail "del-flows"
ping_fails "$H1" 10.81.0.1 || fail "h1 reached sw without flows"
ofctl add-flow "in_port=LOCAL,actions=output:1" || fail "add-flow from LOCAL"
ofctl add-flow "in_port=1,actions=output:LOCAL" || fail "add-flow to LOCAL"
ping_sw 10.81.0.2 || fail "sw -> h1 with flows to LOCAL"
ping_ok "$H1" 10.81.0.1 || fail "h1 -> sw with flows to LOCAL"
stats=$(ofctl dump-flows)
echo "$stats" | grep -q "n_packets=[1-9].*in_port=LOCAL" \
    || echo "$stats" | grep -q "in_port=LOCAL.*n_packets=[1-9]" \
    || echo "$stats" | grep -Eq "n_packets=[1-9][0-9]*, .*in_port=LOCAL" \
    || fail "the LOCAL flow matched nothing: $stats"
vsctl set bridge br0 fail_mode=standalone || fail "fail_mode=standalone"
ofctl del-flows || fail "del-flows"
ofctl add-flow "priority=0,actions=NORMAL" || fail "add NORMAL"

info "a type=internal port"
vsctl add-port br0 int1 -- set interface int1 type=internal \
    || fail "add-port int1"
wait_until tap_exists int1 || fail "no tap int1"
ip -n "$SW" link set int1 up || fail "ip link set int1 up"
wait_until sh -c "vsctl() { ovs-vsctl --timeout=$TIMEOUT \
    --db=unix:$TERN_RUNDIR/db.sock \"\$@\"; }; \
    p=\$(vsctl get interface int1 ofport); [ \"\$p\" -ge 2 ] && \
    [ \"\$p\" -lt 65534 ]" \
    || fail "int1 ofport: $(vsctl get interface int1 ofport)"
ofctl show | grep -Eq "^ [0-9]+\(int1\): addr:" \
    || fail "ovs-ofctl show lacks int1: $(ofctl show)"
ip -n "$SW" addr add 10.81.1.1/24 dev int1 || fail "address on int1"
ip -n "$H1" addr add 10.81.1.2/24 dev "${V1}p" || fail "second h1 address"
# int1 has its own MAC; the bridge learns it and h1 reaches it.
ping_ok "$H1" 10.81.1.1 || fail "h1 -> int1"

info "Interface mac sets an internal port's address"
vsctl set interface int1 'mac="02:00:00:00:81:01"' || fail "mac int1"
wait_until test "$(link_field int1 link/ether)" = 02:00:00:00:81:01 \
    || fail "int1 MAC $(link_field int1 link/ether), expected 02:00:00:00:81:01"
wait_until iface_is int1 mac_in_use 02:00:00:00:81:01 \
    || fail "Interface int1 mac_in_use: $(vsctl get interface int1 mac_in_use)"

info "mtu_request changes the kernel MTU"
vsctl set interface int1 mtu_request=1400 || fail "mtu_request int1"
wait_until test "$(link_field int1 mtu)" = 1400 \
    || fail "int1 mtu $(link_field int1 mtu), expected 1400"
wait_until iface_is int1 mtu 1400 \
    || fail "Interface int1 mtu: $(vsctl get interface int1 mtu)"
vsctl set interface br0 mtu_request=1450 || fail "mtu_request br0"
wait_until test "$(link_field br0 mtu)" = 1450 \
    || fail "br0 mtu $(link_field br0 mtu), expected 1450"
wait_until iface_is br0 mtu 1450 \
    || fail "Interface br0 mtu: $(vsctl get interface br0 mtu)"
ping_sw 10.81.0.2 || fail "sw -> h1 after the MTU change"

info "link state changed outside Tern"
allow_log '\|netdev_tap\|INFO\|'
ip -n "$SW" link set br0 down || fail "ip link set br0 down"
wait_until iface_is br0 admin_state down \
    || fail "admin_state: $(vsctl get interface br0 admin_state)"
wait_until iface_is br0 link_state down \
    || fail "link_state: $(vsctl get interface br0 link_state)"
ofctl show | grep -A2 "LOCAL(br0)" | grep -q "PORT_DOWN" \
    || fail "ovs-ofctl show: LOCAL not PORT_DOWN: $(ofctl show)"
ip -n "$SW" link set br0 up || fail "ip link set br0 up"
wait_until iface_is br0 admin_state up \
    || fail "admin_state: $(vsctl get interface br0 admin_state)"
wait_until iface_is br0 link_state up \
    || fail "link_state: $(vsctl get interface br0 link_state)"
ping_sw 10.81.0.2 || fail "sw -> h1 after br0 came back up"

info "statistics of the LOCAL port"
rx=$(vsctl get interface br0 statistics:rx_packets 2>/dev/null | tr -d '"')
wait_until sh -c "[ \"\$(ovs-vsctl --timeout=$TIMEOUT \
    --db=unix:$TERN_RUNDIR/db.sock get interface br0 \
    statistics:tx_packets 2>/dev/null)\" -gt 0 ]" \
    || fail "br0 tx_packets never counted"
[ "${rx:-0}" -gt 0 ] 2>/dev/null \
    || wait_until sh -c "[ \"\$(ovs-vsctl --timeout=$TIMEOUT \
    --db=unix:$TERN_RUNDIR/db.sock get interface br0 \
    statistics:rx_packets 2>/dev/null)\" -gt 0 ]" \
    || fail "br0 rx_packets never counted"

info "deleting a port or the bridge removes its tap"
vsctl del-port br0 int1 || fail "del-port int1"
wait_until sh -c "! ip -n $SW link show int1" || fail "tap int1 left behind"
vsctl del-br br0 || fail "del-br"
wait_until sh -c "! ip -n $SW link show br0" || fail "tap br0 left behind"

info "a new bridge gets its tap again; exit removes it"
vsctl add-br br0 -- set bridge br0 datapath_type=netdev || fail "add-br again"
wait_until tap_exists br0 || fail "no tap br0 for the new bridge"
finish_taps() {
    stop_vswitchd
    wait_until sh -c "! ip -n $SW link show br0" \
        || fail "tap br0 left behind after exit"
}
finish_taps
finish
