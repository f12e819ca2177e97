#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Virtual machines on vhost-user ports, switched by NORMAL.  Four QEMU
# guests (TCG, tests/vm/ image) attach to a standalone bridge configured
# with Debian's ovs-vsctl:
#   a, b  on dpdkvhostuserclient ports (QEMU serves the socket, Tern
#         connects to options:vhost-server-path);
#   c, d  on dpdkvhostuser ports (Tern serves the socket in its run
#         directory, QEMU connects to it).
# a and b ping each other, c and d ping each other, and a reaches c across
# the two port types.  Then a, b become access ports of VLAN 10 and c, d
# of VLAN 20: the same VLAN still reaches, different VLANs do not.
# Prints each guest's boot time.
. "$(dirname "$0")/lib.sh"
need_root
. "$(dirname "$0")/of-lib.sh"
. "$(dirname "$0")/vm-lib.sh"

vm_image
# tern-vswitchd runs in a namespace of its own, where the bridge's LOCAL
# port (a tap device named after the bridge) cannot collide with another
# test's; the vhost-user sockets are files and cross namespaces.
NS=tern-vmping-$$
ip netns add "$NS" || fail "ip netns add $NS"
on_cleanup ip netns del "$NS"
vswitchd_in_ns "$TESTDIR" "$NS"
start_tern

declare -A IP=([a]=10.81.0.1 [b]=10.81.0.2 [c]=10.81.0.3 [d]=10.81.0.4)

info "ports: a, b dpdkvhostuserclient; c, d dpdkvhostuser"
vsctl add-br br0 -- set Bridge br0 datapath_type=netdev || fail "add-br"
for g in a b; do
    vsctl add-port br0 "v$g" -- set Interface "v$g" \
        type=dpdkvhostuserclient "options:vhost-server-path=$TESTDIR/$g.sock" \
        || fail "add-port v$g"
done
for g in c d; do
    vsctl add-port br0 "v$g" -- set Interface "v$g" type=dpdkvhostuser \
        || fail "add-port v$g"
done
# dpdkvhostuser sockets live in the vhost-sock-dir, by default the run
# directory, named after the port.
for g in c d; do
    wait_until test -S "$TERN_RUNDIR/v$g" \
        || fail "no dpdkvhostuser socket $TERN_RUNDIR/v$g"
done

info "booting four guests"
for g in a b; do
    vm_start "$g" server "$TESTDIR/$g.sock" "${IP[$g]}/24"
done
for g in c d; do
    vm_start "$g" client "$TERN_RUNDIR/v$g" "${IP[$g]}/24"
done
for g in a b c d; do
    vm_wait_ready "$g"
    info "guest $g ready after ${VM_BOOT_SECONDS[$g]} s"
done

# link_state follows the guest driver: up once the guest is ready.
for g in a b c d; do
    wait_until sh -c "ovs-vsctl --db=unix:$TERN_RUNDIR/db.sock get Interface v$g link_state | grep -q up" \
        || fail "v$g: link_state is $(vsctl get Interface "v$g" link_state)"
done

info "NORMAL: same port type, and across the types"
vm_ping a "${IP[b]}" || fail "a -> b (dpdkvhostuserclient)"
vm_ping b "${IP[a]}" || fail "b -> a (dpdkvhostuserclient)"
vm_ping c "${IP[d]}" || fail "c -> d (dpdkvhostuser)"
vm_ping d "${IP[c]}" || fail "d -> c (dpdkvhostuser)"
vm_ping a "${IP[c]}" || fail "a -> c (client port to server port)"
status=$(vsctl get Interface va status)
echo "va status: $status"
echo "$status" | grep -q 'mode=client' || fail "va status lacks mode=client"
# The statistics column is written back periodically.
va_counted() {
    vsctl get Interface va statistics | grep -Eq 'rx_packets=[1-9]'
}
wait_until va_counted \
    || fail "va counted no packet: $(vsctl get Interface va statistics)"
echo "va statistics: $(vsctl get Interface va statistics)"

info "access ports: a, b in VLAN 10; c, d in VLAN 20"
vsctl set Port va tag=10 -- set Port vb tag=10 \
    -- set Port vc tag=20 -- set Port vd tag=20 || fail "tags"
wait_until sh -c "ovs-vsctl --db=unix:$TERN_RUNDIR/db.sock get Port vd tag | grep -qx 20"
appctl_ok fdb/flush br0 >/dev/null
for g in a b c d; do
    vm_run "$g" 30 "ip neigh flush dev eth0" >/dev/null
done
vm_ping a "${IP[b]}" || fail "a -> b (VLAN 10)"
vm_ping c "${IP[d]}" || fail "c -> d (VLAN 20)"
vm_run a 40 "ping -c 3 -i 0.2 -W 2 ${IP[c]}" >/dev/null \
    && fail "a (VLAN 10) reached c (VLAN 20)"
vm_run d 40 "ping -c 3 -i 0.2 -W 2 ${IP[b]}" >/dev/null \
    && fail "d (VLAN 20) reached b (VLAN 10)"
fdb=$(appctl fdb/show br0)
echo "$fdb"
echo "$fdb" | grep -Eq '^ *va +10 ' || fail "fdb/show lacks a on VLAN 10"
echo "$fdb" | grep -Eq '^ *vc +20 ' || fail "fdb/show lacks c on VLAN 20"

echo "boot times (s): a ${VM_BOOT_SECONDS[a]} b ${VM_BOOT_SECONDS[b]}" \
    "c ${VM_BOOT_SECONDS[c]} d ${VM_BOOT_SECONDS[d]}"
# tern-vswitchd stops first (the guests are killed at exit), so that it
# does not retry connecting to the guests that went away.
finish
