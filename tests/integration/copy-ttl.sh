#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# copy_ttl_out and copy_ttl_in end to end: tern-ofctl adds OpenFlow 1.3
# flows to a bridge of dummy ports (Debian's ovs-ofctl 3.1 has no text
# form for these actions: "unknown action copy_ttl_out"), packets built by
# scapy enter p1 or p3, and the frames p2 transmits (its pcap) are
# dissected by scapy, which checks the TTLs and the IPv4 header checksum:
#   1. IPv4 TTL 64 in p1: push_mpls, set_mpls_ttl:10, copy_ttl_out: the
#      label carries 64 again;
#   2. one label (TTL 33) over IPv4 (TTL 64) in p3: copy_ttl_in, pop_mpls:
#      an IPv4 packet with TTL 33 and a right checksum;
#   3. two labels (TTLs 30, 20) in p3: copy_ttl_out copies 20 to the top,
#      then copy_ttl_in copies it back down (30 -> 20 -> 20);
#   4. IPv6 without labels in p1: both copies leave it as it was.
. "$(dirname "$0")/lib.sh"
need_root
. "$(dirname "$0")/of-lib.sh"
$PYTHON -c 'import scapy' 2>/dev/null || skip "scapy is not installed"

# The test packets, built by scapy once: PKT[NAME] is the hex of NAME.
declare -A PKT
while read -r name hex; do
    PKT[$name]=$hex
done < <($PYTHON - <<'PY'
from scapy.all import Ether, IP, IPv6, UDP, raw
from scapy.contrib.mpls import MPLS
eth = Ether(src="00:00:00:00:00:01", dst="00:00:00:00:00:02")
udp = UDP(sport=5000, dport=53) / b"tern-copy-ttl"
ip4 = IP(src="10.0.0.1", dst="10.0.0.2", ttl=64) / udp
pkts = {
    "ip4": eth / ip4,
    "one": eth / MPLS(label=100, ttl=33, s=1) / ip4,
    "two": eth / MPLS(label=200, ttl=30, s=0) / MPLS(label=100, ttl=20, s=1)
           / ip4,
    "ip6": eth / IPv6(src="2001:db8::1", dst="2001:db8::2", hlim=64) / udp,
}
for name, p in pkts.items():
    print(name, raw(p).hex())
PY
)
[ ${#PKT[@]} = 4 ] || fail "scapy built ${#PKT[@]} packets, not 4"

start_tern
vsctl add-br br0 \
    -- set bridge br0 fail_mode=secure protocols=OpenFlow13 \
    -- add-port br0 p1 -- set interface p1 type=dummy ofport_request=1 \
    -- add-port br0 p2 -- set interface p2 type=dummy ofport_request=2 \
    -- add-port br0 p3 -- set interface p3 type=dummy ofport_request=3 \
    || fail "add-br"
wait_until test -S "$TERN_RUNDIR/br0.mgmt" || fail "no management socket"

OFCTL=$top_builddir/utilities/tern-ofctl
[ -x "$OFCTL" ] || fail "$OFCTL not built"
of() {
    "$OFCTL" -O OpenFlow13 "$@"
}
of add-flow br0 "in_port=1,ip,actions=push_mpls:0x8847,set_mpls_ttl:10,copy_ttl_out,output:2" \
    || fail "add-flow copy_ttl_out"
of add-flow br0 "in_port=3,mpls,mpls_bos=1,actions=copy_ttl_in,pop_mpls:0x0800,output:2" \
    || fail "add-flow copy_ttl_in"
of add-flow br0 "in_port=3,mpls,mpls_bos=0,actions=copy_ttl_out,copy_ttl_in,output:2" \
    || fail "add-flow two labels"
of add-flow br0 "in_port=1,ipv6,actions=copy_ttl_out,copy_ttl_in,output:2" \
    || fail "add-flow ipv6"
of --no-stats dump-flows br0 | grep -q "copy_ttl_out,copy_ttl_in" \
    || fail "flows: $(of --no-stats dump-flows br0)"

n=0
for case in p1:ip4 p3:one p3:two p1:ip6; do
    info "packet ${case#*:} into ${case%%:*}"
    appctl_ok netdev-dummy/receive "${case%%:*}" "${PKT[${case#*:}]}"
    n=$((n + 1))
    wait_tx_count p2 $n
done
appctl_ok dpctl/dump-flows

info "TTLs in $(pcap_of p2)"
$PYTHON - "$(pcap_of p2)" "${PKT[ip6]}" <<'PY' || fail "wrong TTLs"
import sys
from scapy.all import rdpcap, Ether, IP, IPv6
from scapy.contrib.mpls import MPLS
pkts = rdpcap(sys.argv[1])
assert len(pkts) == 4, "expected 4 packets, got %d" % len(pkts)
def ip_ok(ip, ttl):
    assert ip.ttl == ttl, "IPv4 TTL %d, want %d" % (ip.ttl, ttl)
    copy = IP(bytes(ip))
    del copy.chksum
    want = IP(bytes(copy)).chksum
    assert ip.chksum == want, "IPv4 checksum %#x, want %#x" % (ip.chksum, want)
# 1: push_mpls, set_mpls_ttl:10, copy_ttl_out.
p = pkts[0]
m = MPLS(bytes(p[Ether].payload))
assert p[Ether].type == 0x8847 and m.s == 1, p.summary()
assert m.ttl == 64, "case 1: label TTL %d, want 64" % m.ttl
ip_ok(IP(bytes(m.payload)), 64)
# 2: copy_ttl_in, pop_mpls.
p = pkts[1]
assert p[Ether].type == 0x0800, p.summary()
ip_ok(p[IP], 33)
# 3: two labels, out then in.
p = pkts[2]
top = MPLS(bytes(p[Ether].payload))
bottom = MPLS(bytes(top.payload))
assert (top.ttl, bottom.ttl, top.s, bottom.s) == (20, 20, 0, 1), \
    "case 3: TTLs %d %d" % (top.ttl, bottom.ttl)
ip_ok(IP(bytes(bottom.payload)), 64)
# 4: no label stack: unchanged.
assert bytes(pkts[3]).hex() == sys.argv[2], "case 4 changed the packet"
assert pkts[3][IPv6].hlim == 64
print("copy_ttl: 4 packets ok")
PY
finish
