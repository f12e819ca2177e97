#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Builds the small Linux guest that Tern's virtual machine tests and demo
# boot under QEMU: OUTDIR/vmlinuz, Debian 12's cloud kernel, and
# OUTDIR/initrd.gz, a busybox-static initramfs whose /init (tests/vm/init)
# loads the virtio network modules, configures eth0 from the kernel command
# line and runs the commands the host types on the serial console.
#
# Usage: tests/vm/build-guest.sh OUTDIR
# The kernel comes from the package that linux-image-cloud-amd64 depends
# on (apt-get download, unpacked with dpkg -x; the .deb is kept in
# OUTDIR/deb).  The result is cached: a second run with the same inputs
# (this script, init, tern-probe, the kernel package) does nothing, so the
# tests build the guest once per build directory.  Concurrent runs
# serialise on OUTDIR/.lock.  Needs busybox-static, cpio, gzip, apt-get
# and dpkg (install-deps.sh); prints the reason and exits 1 on failure.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: build-guest.sh OUTDIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)

die() {
    echo "build-guest.sh: $*" >&2
    exit 1
}

# The virtio network driver stack in load order, then what 802.1Q
# interfaces (tern.vlan=) need.  Modules built into the kernel are skipped.
MODULES="virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev
    virtio_pci failover net_failover virtio_net llc stp garp mrp 8021q"

inputs_hash() {
    cat "$here/build-guest.sh" "$here/init" "$here/tern-probe" \
        "$out"/deb/*.deb 2>/dev/null | sha256sum | cut -d' ' -f1
}

exec 9>"$out/.lock"
flock 9
if [ -f "$out/stamp" ] && [ -f "$out/vmlinuz" ] \
    && [ -f "$out/initrd.gz" ] \
    && [ "$(cat "$out/stamp")" = "$(inputs_hash)" ]; then
    exit 0
fi

for tool in apt-get apt-cache dpkg cpio gzip; do
    command -v $tool >/dev/null || die "$tool is missing (install-deps.sh)"
done
busybox=
for b in /bin/busybox /usr/bin/busybox; do
    if [ -x "$b" ] && ! ldd "$b" >/dev/null 2>&1; then
        busybox=$b
        break
    fi
done
[ -n "$busybox" ] || die "no static busybox (install busybox-static)"

# The kernel package: the one the cloud kernel metapackage depends on.
kernel_package() {
    apt-cache depends linux-image-cloud-amd64 2>/dev/null \
        | sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n 1
}
if ! ls "$out"/deb/linux-image-*.deb >/dev/null 2>&1; then
    pkg=$(kernel_package)
    if [ -z "$pkg" ]; then
        apt-get update -qq || die "apt-get update failed"
        pkg=$(kernel_package)
    fi
    [ -n "$pkg" ] || die "apt-cache knows no linux-image-cloud-amd64"
    rm -rf "$out/deb.tmp"
    mkdir -p "$out/deb.tmp"
    echo "build-guest.sh: downloading $pkg" >&2
    (cd "$out/deb.tmp" \
        && apt-get download -q -o APT::Sandbox::User=root "$pkg" >/dev/null) \
        || die "apt-get download $pkg failed"
    rm -rf "$out/deb"
    mv "$out/deb.tmp" "$out/deb"
fi
deb=$(ls "$out"/deb/linux-image-*.deb | head -n 1)

work=$(mktemp -d "$out/work.XXXXXX")
trap 'rm -rf "$work"' EXIT
dpkg -x "$deb" "$work/kernel" || die "dpkg -x $deb failed"
kver=$(ls "$work/kernel/lib/modules" | head -n 1)
moddir=$work/kernel/lib/modules/$kver
[ -n "$kver" ] && [ -d "$moddir" ] || die "no modules in $deb"
vmlinuz=$(ls "$work"/kernel/boot/vmlinuz-* | head -n 1)
[ -f "$vmlinuz" ] || die "no vmlinuz in $deb"

root=$work/root
mkdir -p "$root"/{bin,dev,proc,sys,tmp,lib/modules}
cp "$busybox" "$root/bin/busybox"
cp "$here/init" "$root/init"
cp "$here/tern-probe" "$root/bin/tern-probe"
chmod 755 "$root/init" "$root/bin/tern-probe"
: >"$root/lib/modules/order"
for mod in $MODULES; do
    if grep -q "/$mod\.ko$" "$moddir/modules.builtin"; then
        continue
    fi
    ko=$(find "$moddir/kernel" -name "$mod.ko*" | head -n 1)
    [ -n "$ko" ] || die "module $mod is neither built in nor in $deb"
    case $ko in
    *.ko.xz) xz -dc "$ko" >"$root/lib/modules/$mod.ko" ;;
    *.ko.zst) zstd -qdc "$ko" >"$root/lib/modules/$mod.ko" ;;
    *.ko.gz) gzip -dc "$ko" >"$root/lib/modules/$mod.ko" ;;
    *) cp "$ko" "$root/lib/modules/$mod.ko" ;;
    esac
    echo "$mod" >>"$root/lib/modules/order"
done
# /init's console before devtmpfs is mounted (the kernel's own initramfs
# has one too; this one is for kernels without it).
mknod -m 600 "$root/dev/console" c 5 1 2>/dev/null || true
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) \
    | gzip -6 >"$work/initrd.gz" || die "cpio failed"
cp "$vmlinuz" "$out/vmlinuz.new"
mv "$out/vmlinuz.new" "$out/vmlinuz"
mv "$work/initrd.gz" "$out/initrd.gz"
echo "$kver" >"$out/kernel-version"
inputs_hash >"$out/stamp"
echo "build-guest.sh: guest with kernel $kver in $out" >&2
