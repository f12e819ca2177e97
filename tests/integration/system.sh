#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# System ports: two network namespaces, each holding one end of a veth
# pair whose other end is a Tern port of type "system".  With a flow each
# way, the namespaces ping each other across the switch.
. "$(dirname "$0")/lib.sh"

need_root
command -v ip >/dev/null || skip "no ip command"

NS1=tern-ns1-$$ NS2=tern-ns2-$$
V1=tv1-$$ V2=tv2-$$
P1=tv1p-$$ P2=tv2p-$$

info "namespaces $NS1 $NS2, veth pairs $V1/$P1 $V2/$P2"
add_netns_veth "$NS1" "$V1" "$P1" 10.77.0.1/24
add_netns_veth "$NS2" "$V2" "$P2" 10.77.0.2/24

start_vswitchd
add_dp tern0
appctl_ok dpctl/add-if tern0 "$V1,type=system,port_no=1" \
    "$V2,type=system,port_no=2"
appctl_ok dpctl/add-flow 'in_port(1)' 2
appctl_ok dpctl/add-flow 'in_port(2)' 1
appctl_ok dpctl/show

info "ping $NS1 -> $NS2"
ip netns exec "$NS1" ping -c 3 -i 0.2 -W 2 10.77.0.2 \
    || fail "no ping reply across the switch"
info "ping $NS2 -> $NS1"
ip netns exec "$NS2" ping -c 3 -i 0.2 -W 2 10.77.0.1 \
    || fail "no ping reply across the switch"

dump=$(appctl_ok dpctl/dump-flows)
echo "$dump"
for port in 1 2; do
    n=$(echo "$dump" | sed -n "s/.*in_port($port), packets:\([0-9]*\),.*/\1/p")
    [ "${n:-0}" -ge 6 ] || fail "flow for in_port($port) counted ${n:-0} packets"
done

info "deleting a port stops forwarding"
appctl_ok dpctl/del-if tern0 "$V2"
ip netns exec "$NS1" ping -c 1 -W 1 10.77.0.2 >/dev/null 2>&1 \
    && fail "ping still works without the port"
appctl_ok dpctl/show | grep -q "$V2" && fail "$V2 still in show"
finish
