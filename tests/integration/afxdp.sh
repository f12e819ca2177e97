#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Kernel interfaces through AF_XDP: tern-vswitchd runs in a namespace of
# its own (so that the bridge's LOCAL port, a tap device named br0, appears
# there), holding one end of a veth pair per host; each host is another
# namespace.  Through a NORMAL bridge the hosts ping each other and the
# internal port:
#   - "afxdp" ports in generic and best-effort (native on veth) modes, with
#     the mode in use in the interface status;
#   - options:n_rxq=2 (both queues polled, pmd-rxq-show);
#   - link state, MTU and MAC changed in the kernel show in the database,
#     mtu_request reaches the kernel;
#   - the AF_PACKET fallback of "system" ports, forced (io=af_packet) and
#     because XDP cannot attach (native XDP refused on a veth whose peer's
#     MTU is too large), while an "afxdp" port in the same condition fails;
#   - the XDP program is gone from an interface once its port is deleted.
. "$(dirname "$0")/lib.sh"
need_root
. "$(dirname "$0")/of-lib.sh"

NSB=tern-axb-$$
declare -A NS VETH ADDR
for h in 1 2; do
    NS[$h]=tern-ax$h-$$
    VETH[$h]=tax$h-$$
    ADDR[$h]=10.78.0.$h
done
LOCAL_ADDR=10.78.0.254

ip netns add "$NSB" || fail "ip netns add $NSB"
on_cleanup ip netns del "$NSB"
ip -n "$NSB" link set lo up

# add_host H Q: namespace NS[H] with address ADDR[H] on one end of a veth
# pair (Q queues each way) whose other end VETH[H] is in the switch's
# namespace.  Deleting the namespaces deletes the pairs.
add_host() {
    local h=$1 q=$2 ns=${NS[$1]} veth=${VETH[$1]}
    ip netns add "$ns" || fail "ip netns add $ns"
    on_cleanup ip netns del "$ns"
    ip link add "$veth" numtxqueues "$q" numrxqueues "$q" type veth \
        peer name "${veth}p" numtxqueues "$q" numrxqueues "$q" \
        || fail "veth $veth"
    ip link set "${veth}p" netns "$ns" || fail "move ${veth}p"
    ip link set "$veth" netns "$NSB" || fail "move $veth"
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
    ip -n "$ns" addr add "${ADDR[$h]}/24" dev "${veth}p"
    ip -n "$ns" link set "${veth}p" up
    ip -n "$ns" link set lo up
    ip netns exec "$NSB" sysctl -qw "net.ipv6.conf.$veth.disable_ipv6=1"
    ip -n "$NSB" link set "$veth" up
}
# Host 1's veth has two queues: its port needs n_rxq=2 so that frames on
# either reach Tern.
add_host 1 2
add_host 2 1

vswitchd_in_ns "$TESTDIR" "$NSB"
start_tern
# An "afxdp" port that cannot attach XDP fails to open, by design.
allow_log "interface ${VETH[2]}: could not open network device .*XDP"

# iface_status IFACE: the status column of IFACE.
iface_status() {
    vsctl get interface "$1" status 2>/dev/null
}
# wait_status IFACE REGEX: waits until the status of IFACE matches.
wait_status() {
    wait_until sh -c "ovs-vsctl --timeout=$TIMEOUT \
        --db=unix:$TERN_RUNDIR/db.sock get interface $1 status \
        | grep -Eq -- '$2'" \
        || fail "status of $1 never matched $2: $(iface_status "$1")"
}
# pings H1 H2: the hosts ping each other and H1 pings the internal port.
pings() {
    ping_ok "${NS[$1]}" "${ADDR[$2]}" || fail "host $1 -> host $2 ($3)"
    ping_ok "${NS[$2]}" "${ADDR[$1]}" || fail "host $2 -> host $1 ($3)"
    ping_ok "${NS[$1]}" "$LOCAL_ADDR" || fail "host $1 -> br0 ($3)"
}
has_xdp_prog() {
    ip -n "$NSB" -d link show "$1" | grep -Eq 'prog/xdp|xdpgeneric|xdp '
}

info "afxdp ports: generic mode with two queues, best-effort mode"
vsctl add-br br0 \
    -- add-port br0 "${VETH[1]}" -- set interface "${VETH[1]}" type=afxdp \
        options:xdp-mode=generic options:n_rxq=2 ofport_request=1 \
    -- add-port br0 "${VETH[2]}" -- set interface "${VETH[2]}" type=afxdp \
        ofport_request=2 \
    || fail "bridge"
wait_until ip -n "$NSB" link show br0 || fail "no br0 device in $NSB"
ip -n "$NSB" addr add "$LOCAL_ADDR/24" dev br0
ip -n "$NSB" link set br0 up
wait_status "${VETH[1]}" 'io=afxdp'
wait_status "${VETH[1]}" 'xdp-mode=generic'
wait_status "${VETH[1]}" 'xdp-mode-in-use=generic'
wait_status "${VETH[2]}" 'xdp-mode=best-effort'
wait_status "${VETH[2]}" 'xdp-mode-in-use=native'
wait_status "${VETH[2]}" 'zero-copy="?false'
has_xdp_prog "${VETH[1]}" || fail "no XDP program on ${VETH[1]}"
info "link state, MTU and MAC follow the kernel; mtu_request sets it"
# wait_column IFACE COLUMN VALUE: waits until IFACE's COLUMN is VALUE.
wait_column() {
    wait_until sh -c "ovs-vsctl --db=unix:$TERN_RUNDIR/db.sock get \
        interface $1 $2 | tr -d '\"' | grep -qx -- '$3'" \
        || fail "$1: $2 is $(vsctl get interface "$1" "$2"), not $3"
}
wait_column "${VETH[2]}" link_state up
ip -n "${NS[2]}" link set "${VETH[2]}p" down
wait_column "${VETH[2]}" link_state down
ip -n "${NS[2]}" link set "${VETH[2]}p" up
wait_column "${VETH[2]}" link_state up
ip -n "$NSB" link set "${VETH[1]}" mtu 1400 || fail "ip link set mtu"
wait_column "${VETH[1]}" mtu 1400
ip -n "$NSB" link set "${VETH[1]}" address 02:00:00:78:00:01 \
    || fail "ip link set address"
wait_column "${VETH[1]}" mac_in_use 02:00:00:78:00:01
vsctl set interface "${VETH[1]}" mtu_request=1450 || fail "mtu_request"
wait_until sh -c "ip -n $NSB link show ${VETH[1]} | grep -q 'mtu 1450'" \
    || fail "mtu_request did not reach the kernel: \
$(ip -n "$NSB" link show "${VETH[1]}")"
wait_column "${VETH[1]}" mtu 1450

info "n_rxq=2: both queues polled"
wait_for_output "port: ${VETH[1]} +queue-id: +1" dpif-netdev/pmd-rxq-show
appctl dpif-netdev/pmd-rxq-show | grep -E "port: ${VETH[1]} +queue-id: +0" \
    || fail "queue 0 of ${VETH[1]} is not polled"
wait_status "${VETH[1]}" 'n_rxq="?2'
pings 1 2 "afxdp"
# rx_count IFACE: received packets in the statistics column (written
# every few seconds).
rx_count() {
    vsctl get interface "$1" statistics:rx_packets 2>/dev/null || echo 0
}
wait_until sh -c "[ \$(ovs-vsctl --db=unix:$TERN_RUNDIR/db.sock get \
    interface ${VETH[1]} statistics:rx_packets 2>/dev/null || echo 0) \
    -ge 4 ]" \
    || fail "${VETH[1]} counted $(rx_count "${VETH[1]}") received packets"
echo "${VETH[1]}: $(iface_status "${VETH[1]}")"

info "system port, AF_PACKET forced"
vsctl set interface "${VETH[2]}" type=system options:io=af_packet \
    || fail "io=af_packet"
wait_status "${VETH[2]}" 'io=af_packet'
wait_status "${VETH[2]}" 'xdp-mode-in-use=none'
has_xdp_prog "${VETH[2]}" && fail "XDP program left on ${VETH[2]}"
pings 1 2 "AF_PACKET forced"

info "system port, AF_PACKET because native XDP cannot attach"
# veth refuses native XDP when its peer's MTU exceeds what XDP handles.
ip -n "${NS[2]}" link set "${VETH[2]}p" mtu 9000
vsctl set interface "${VETH[2]}" type=system options:xdp-mode=native \
    -- remove interface "${VETH[2]}" options io \
    || fail "xdp-mode=native"
wait_status "${VETH[2]}" 'io=af_packet'
wait_status "${VETH[2]}" 'fallback-reason='
echo "${VETH[2]}: $(iface_status "${VETH[2]}")"
pings 1 2 "AF_PACKET fallback"

info "an afxdp port does not fall back"
vsctl set interface "${VETH[2]}" type=afxdp || fail "type=afxdp"
wait_until sh -c "ovs-vsctl --db=unix:$TERN_RUNDIR/db.sock get interface \
    ${VETH[2]} error | grep -q XDP" \
    || fail "no error for ${VETH[2]}: \
$(vsctl get interface "${VETH[2]}" error)"
ping_fails "${NS[1]}" "${ADDR[2]}" || fail "host 2 reached without its port"

info "deleting a port detaches its XDP program"
vsctl del-port br0 "${VETH[1]}" || fail "del-port"
wait_until sh -c "! ip -n $NSB -d link show ${VETH[1]} \
    | grep -Eq 'prog/xdp|xdpgeneric'" \
    || fail "XDP program left on ${VETH[1]}: \
$(ip -n "$NSB" -d link show "${VETH[1]}")"
finish
