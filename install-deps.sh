#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Installs every Debian 12 package Tern needs to build, test and benchmark.
# Run as root.  Safe to run again.
set -e
if [ "$(id -u)" != 0 ]; then
    echo "install-deps.sh: run as root (apt-get needs it)" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
PACKAGES="
    build-essential autoconf automake libtool pkg-config git
    clang clang-format libclang-rt-14-dev
    dpdk dpdk-dev libdpdk-dev
    libbpf-dev libxdp-dev libnl-3-dev libnl-route-3-dev
    libcmocka-dev libjansson-dev libpcap-dev libssl-dev
    iproute2 iputils-ping tcpdump tshark python3 python3-scapy
    openvswitch-common openvswitch-switch openvswitch-switch-dpdk
    openvswitch-testcontroller
    python3-os-ken
    qemu-system-x86 busybox-static cpio
"
missing=""
for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" \
        || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "install-deps.sh: installing:$missing"
    apt-get update -qq
    # tshark asks whether non-root users may capture; answer no.
    echo "wireshark-common wireshark-common/install-setuid boolean false" \
        | debconf-set-selections
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
echo "install-deps.sh: all packages present"
