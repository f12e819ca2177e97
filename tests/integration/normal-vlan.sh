#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# NORMAL switching with VLANs: a standalone bridge without a controller is
# a learning switch (table 0 holds "priority=0 actions=NORMAL").  h1 and h2
# are access ports of VLAN 10, h3 of VLAN 20; h4 is a trunk carrying VLANs
# 10 and 20 tagged (VLAN interfaces inside its namespace).  Same-VLAN hosts
# reach each other, different VLANs do not, the trunk carries both tagged
# (h4 speaks tagged frames with scapy: vlan-ping.py).
. "$(dirname "$0")/lib.sh"
need_root
. "$(dirname "$0")/of-lib.sh"

declare -A NS VETH
for h in 1 2 3 4; do
    NS[$h]=tern-nv$h-$$
    VETH[$h]=tnv$h-$$
done
add_netns_veth "${NS[1]}" "${VETH[1]}" "${VETH[1]}p" 10.79.10.1/24
add_netns_veth "${NS[2]}" "${VETH[2]}" "${VETH[2]}p" 10.79.10.2/24
add_netns_veth "${NS[3]}" "${VETH[3]}" "${VETH[3]}p" 10.79.10.3/24
add_netns_veth "${NS[4]}" "${VETH[4]}" "${VETH[4]}p" 10.79.99.4/24
# h3 is in VLAN 20 but in h1's subnet too, so that only the VLAN separates
# them; it also has an address in 10.79.20.0/24 to talk to h4 on VLAN 20.
ip -n "${NS[3]}" addr add 10.79.20.3/24 dev "${VETH[3]}p"
# h4 is a trunk host; the kernel may lack VLAN devices, so it speaks tagged
# frames itself (vlan-ping.py, scapy).
VLAN_PING="ip netns exec ${NS[4]} $PYTHON $(dirname "$0")/vlan-ping.py ${VETH[4]}p"

start_tern
vsctl add-br br0 \
    -- add-port br0 "${VETH[1]}" tag=10 -- set interface "${VETH[1]}" ofport_request=1 \
    -- add-port br0 "${VETH[2]}" tag=10 -- set interface "${VETH[2]}" ofport_request=2 \
    -- add-port br0 "${VETH[3]}" tag=20 -- set interface "${VETH[3]}" ofport_request=3 \
    -- add-port br0 "${VETH[4]}" trunks=10,20 -- set interface "${VETH[4]}" ofport_request=4 \
    || fail "bridge"
has_normal_flow() {
    ofctl dump-flows --no-stats | grep -q "priority=0 actions=NORMAL"
}
wait_until has_normal_flow \
    || fail "a standalone bridge without a controller must hold the NORMAL flow: $(ofctl dump-flows --no-stats 2>&1)"

info "same VLAN reaches, other VLAN does not"
ping_ok "${NS[1]}" 10.79.10.2 || fail "h1 -> h2 (VLAN 10)"
ping_fails "${NS[1]}" 10.79.10.3 || fail "h1 (VLAN 10) reached h3 (VLAN 20)"
ping_fails "${NS[3]}" 10.79.10.2 || fail "h3 (VLAN 20) reached h2 (VLAN 10)"

info "the trunk carries both VLANs tagged"
$VLAN_PING 10 10.79.10.4 10.79.10.1 || fail "h4 -> h1 over VLAN 10 on the trunk"
$VLAN_PING 20 10.79.20.4 10.79.20.3 || fail "h4 -> h3 over VLAN 20 on the trunk"
$VLAN_PING 20 10.79.10.4 10.79.10.1 && fail "h4 on VLAN 20 reached h1 (VLAN 10)"
$VLAN_PING 10 10.79.20.4 10.79.20.3 && fail "h4 on VLAN 10 reached h3 (VLAN 20)"

info "fdb/show"
out=$(appctl fdb/show br0) || fail "fdb/show failed"
echo "$out"
echo "$out" | grep -Eq "^ *${VETH[1]} +10 " || fail "fdb/show lacks h1 on VLAN 10"
echo "$out" | grep -Eq "^ *${VETH[4]} +20 " || fail "fdb/show lacks h4 on VLAN 20"
appctl_ok fdb/flush br0
[ "$(appctl fdb/show br0 | wc -l)" = 1 ] || fail "fdb/flush left entries"
finish
