# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
#
# Helpers for tests that attach real virtual machines to Tern: QEMU under
# TCG booting the small guest of tests/vm/ (Debian's cloud kernel and a
# busybox initramfs), its virtio-net device on a vhost-user socket, and
# its serial console on a pair of FIFOs through which the test types
# commands and reads their output (the protocol is in tests/vm/init).
# Sourced after lib.sh; utilities/tern-demo.sh sources it too, with
# fail/info/on_cleanup/TESTDIR of its own.
#
#   vm_image                        builds (once per build directory) the guest
#   vm_start NAME MODE SOCK IP [MAC] [KERNEL-ARGS...]
#                                   boots guest NAME; MODE "server": QEMU
#                                   serves SOCK (a dpdkvhostuserclient port
#                                   connects to it), "client": QEMU connects
#                                   to SOCK (a dpdkvhostuser port serves it)
#                                   and reconnects every second
#   vm_wait_ready NAME              waits for the guest's ready marker
#   vm_run NAME SECONDS COMMAND     runs COMMAND in the guest, prints its
#                                   output, returns its exit status
#   vm_kill NAME                    kills the guest's QEMU (SIGKILL)
#
# Each guest keeps its files in $VM_DIR/vm-NAME (VM_DIR defaults to
# $TESTDIR): the console FIFOs
# (console.in, console.out), one console log per boot (console.N.log) and
# QEMU's stderr (qemu.N.log).  Every QEMU and console reader started here
# is killed by its PID at exit.

VM_QEMU=${TERN_VM_QEMU:-qemu-system-x86_64}
: "${VM_IMAGE:=$top_builddir/tests/vm/guest}"
# VM_DETACH=1: guests (and their console readers) run in sessions of their
# own and outlive the script (the demo); their PIDs are in the guest's
# directory (qemu.pid, reader.pid) either way.
VM_SETSID=
[ "${VM_DETACH:-0}" != 1 ] || VM_SETSID=setsid
# Seconds a guest may take to boot (TCG on a loaded machine is slow).
VM_BOOT_TIMEOUT=${TERN_VM_BOOT_TIMEOUT:-180}
# Per guest: QEMU's PID, the console reader's PID, the boot count, the
# console log of the current boot, the host time QEMU started, the boot
# time (seconds to the ready marker), the guest uptime at the ready marker
# and the number of the last command.
declare -A VM_PID VM_READER VM_BOOTS VM_LOG VM_T0 VM_BOOT_SECONDS \
    VM_READY_UPTIME VM_SEQ

# vm_image: builds the guest image unless the build directory has it.
vm_image() {
    command -v "$VM_QEMU" >/dev/null \
        || fail "$VM_QEMU is not installed (install-deps.sh: qemu-system-x86)"
    # The builder downloads Debian's kernel package: it runs in the host's
    # network namespace, not in the test's own (lib.sh), which has no
    # route out.
    local netns=()
    if [ "${TERN_TEST_NETNS:-}" = own ] && [ -e /proc/self/fd/9 ] \
        && command -v nsenter >/dev/null; then
        netns=(nsenter --net=/proc/self/fd/9)
    fi
    "${netns[@]}" "$top_srcdir/tests/vm/build-guest.sh" "$VM_IMAGE" \
        || fail "could not build the guest image in $VM_IMAGE"
}

vm_dir() {
    echo "${VM_DIR:-$TESTDIR}/vm-$1"
}

# vm_start NAME MODE SOCK IP [MAC] [KERNEL-ARGS...]: see above.  IP is
# ADDR/LEN for eth0; MAC defaults to one derived from the boot order.
# Returns at once; vm_wait_ready waits for the boot.
vm_start() {
    local name=$1 mode=$2 sock=$3 ip=$4 mac=${5:-} dir boot chardev
    shift 4
    [ $# = 0 ] || shift
    dir=$(vm_dir "$name")
    mkdir -p "$dir"
    [ -z "${VM_PID[$name]:-}" ] || fail "guest $name is already running"
    boot=$((${VM_BOOTS[$name]:-0} + 1))
    VM_BOOTS[$name]=$boot
    if [ -z "$mac" ]; then
        mac=$(vm_mac "$name")
    fi
    case $mode in
    server) chardev="socket,id=vu0,path=$sock,server=on,wait=off" ;;
    client) chardev="socket,id=vu0,path=$sock,reconnect=1" ;;
    *) fail "vm_start: mode $mode is neither server nor client" ;;
    esac
    rm -f "$dir/console.in" "$dir/console.out"
    mkfifo "$dir/console.in" "$dir/console.out" || fail "mkfifo in $dir"
    VM_LOG[$name]=$dir/console.$boot.log
    : >"${VM_LOG[$name]}"
    VM_T0[$name]=$EPOCHREALTIME
    $VM_SETSID "$VM_QEMU" -name "tern-$name" -nodefaults -no-user-config \
        -display none -monitor none -machine pc,accel=tcg -smp 1 -m 256 \
        -object memory-backend-memfd,id=mem,size=256M,share=on \
        -numa node,memdev=mem \
        -kernel "$VM_IMAGE/vmlinuz" -initrd "$VM_IMAGE/initrd.gz" \
        -append "console=ttyS0 quiet panic=-1 no_timer_check tern.ip=$ip $*" -no-reboot \
        -chardev "pipe,id=con,path=$dir/console" -serial chardev:con \
        -chardev "$chardev" -netdev vhost-user,id=n0,chardev=vu0 \
        -device "virtio-net-pci,netdev=n0,mac=$mac,vectors=0,romfile=" \
        </dev/null >"$dir/qemu.$boot.log" 2>&1 &
    VM_PID[$name]=$!
    $VM_SETSID cat "$dir/console.out" >>"${VM_LOG[$name]}" &
    VM_READER[$name]=$!
    echo "${VM_PID[$name]}" >"$dir/qemu.pid"
    echo "${VM_READER[$name]}" >"$dir/reader.pid"
}

# vm_mac NAME: a locally administered MAC derived from NAME.
vm_mac() {
    local sum
    sum=$(printf '%s' "$1" | cksum | cut -d' ' -f1)
    printf '52:54:00:%02x:%02x:%02x\n' $(((sum >> 16) & 255)) \
        $(((sum >> 8) & 255)) $((sum & 255))
}

# vm_alive NAME: succeeds while the guest's QEMU runs.
vm_alive() {
    [ -n "${VM_PID[$1]:-}" ] && kill -0 "${VM_PID[$1]}" 2>/dev/null
}

# vm_wait_ready NAME: waits up to VM_BOOT_TIMEOUT seconds for the ready
# marker; sets VM_BOOT_SECONDS[NAME] (host seconds from QEMU's start) and
# VM_READY_UPTIME[NAME] (the guest's uptime at the marker).
vm_wait_ready() {
    local name=$1 deadline=$((SECONDS + VM_BOOT_TIMEOUT)) line
    while :; do
        line=$(grep -a -m1 '^@@TERN-READY' "${VM_LOG[$name]}" | tr -d '\r')
        [ -z "$line" ] || break
        vm_alive "$name" || fail "guest $name's QEMU exited: $(vm_tail "$name")"
        [ $SECONDS -lt $deadline ] \
            || fail "guest $name did not boot in ${VM_BOOT_TIMEOUT}s: $(vm_tail "$name")"
        sleep 0.05
    done
    VM_BOOT_SECONDS[$name]=$(vm_elapsed "${VM_T0[$name]}")
    VM_READY_UPTIME[$name]=${line#@@TERN-READY }
}

# vm_tail NAME: the end of the guest's console log and QEMU's stderr.
vm_tail() {
    local dir
    dir=$(vm_dir "$1")
    echo
    echo "--- console of $1:"
    tail -n 20 "${VM_LOG[$1]}" 2>/dev/null | tr -d '\r'
    echo "--- qemu stderr of $1:"
    tail -n 20 "$dir/qemu.${VM_BOOTS[$1]}.log" 2>/dev/null
}

# vm_elapsed T0: seconds (3 decimals) since the $EPOCHREALTIME value T0.
vm_elapsed() {
    awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f\n", b - a }'
}

# vm_send NAME LINE: types LINE on the guest's console.  The FIFO is
# opened read-write, which never blocks, even if QEMU has just died.
vm_send() {
    local dir
    dir=$(vm_dir "$1")
    printf '%s\n' "$2" 1<>"$dir/console.in"
}

# vm_run NAME SECONDS COMMAND: runs the shell COMMAND in the guest and
# waits up to SECONDS for it to end; prints its output and returns its
# exit status (124 if it did not end in time, 125 if QEMU died).
vm_run() {
    local name=$1 secs=$2 cmd=$3 id end status deadline
    VM_SEQ[$name]=$((${VM_SEQ[$name]:-0} + 1))
    id=c${VM_SEQ[$name]}
    vm_send "$name" "$id $cmd"
    deadline=$(awk -v t="$EPOCHREALTIME" -v s="$secs" \
        'BEGIN { printf "%d\n", t + s }')
    while :; do
        end=$(grep -a -m1 "^@@TERN-END $id " "${VM_LOG[$name]}" | tr -d '\r')
        [ -z "$end" ] || break
        if ! vm_alive "$name"; then
            vm_output "$name" "$id"
            return 125
        fi
        if [ "${EPOCHREALTIME%.*}" -ge "$deadline" ]; then
            vm_output "$name" "$id"
            return 124
        fi
        sleep 0.05
    done
    vm_output "$name" "$id"
    status=${end##* }
    return "$status"
}

# vm_output NAME ID: the lines the guest printed for command ID.
vm_output() {
    tr -d '\r' <"${VM_LOG[$1]}" | awk -v id="$2" '
        $0 == "@@TERN-BEGIN " id { on = 1; next }
        index($0, "@@TERN-END " id " ") == 1 { exit }
        on { print }'
}

# vm_ping NAME ADDR [COUNT]: COUNT (default 3) pings from guest NAME to
# ADDR, 0.2 s apart; succeeds if any is answered.
vm_ping() {
    local count=${3:-3}
    vm_run "$1" $((count + 30)) "ping -c $count -i 0.2 -W 2 $2" >/dev/null
}

# vm_probe NAME ADDR SECONDS: runs tern-probe in guest NAME (pings ADDR
# every 0.1 s until the first reply) and prints the guest's uptime at
# that reply; fails if no reply came within SECONDS.
vm_probe() {
    local out
    out=$(vm_run "$1" $(($3 + 30)) "tern-probe $2 $3") || return 1
    echo "$out" | sed -n 's/^@@TERN-REPLY \([0-9.]*\) .*/\1/p'
}

# vm_probe_start NAME ADDR SECONDS: starts tern-probe in guest NAME
# without waiting for it; prints the command's id for vm_probe_wait.
vm_probe_start() {
    VM_SEQ[$1]=$((${VM_SEQ[$1]:-0} + 1))
    vm_send "$1" "c${VM_SEQ[$1]} tern-probe $2 $3"
    echo "c${VM_SEQ[$1]}"
}

# vm_reply_line NAME [ID]: the "@@TERN-REPLY UPTIME START SEQ RTT" line of the
# probe command ID, or of the probe started at boot (tern.probe=) without
# ID; empty if none yet.
vm_reply_line() {
    if [ $# = 2 ]; then
        vm_output "$1" "$2" | grep -a -m1 '^@@TERN-REPLY '
    else
        tr -d '\r' <"${VM_LOG[$1]}" | grep -a -m1 '^@@TERN-REPLY '
    fi
}

# vm_wait_reply NAME SECONDS [ID]: waits up to SECONDS (host clock) for
# the first answered ping of a probe (see vm_reply_line); sets
# VM_REPLY_UPTIME (the guest's uptime at the reply), VM_REPLY_START (its
# uptime when the probe began), VM_REPLY_SEQ (the sequence number of the
# first echo request answered), VM_REPLY_RTT (its round trip time in ms)
# and VM_REPLY_HOST (the host's $EPOCHREALTIME when the line was seen).  Fails if no reply
# came.
vm_wait_reply() {
    local name=$1 deadline=$((SECONDS + $2)) line
    shift 2
    while :; do
        line=$(vm_reply_line "$name" "$@")
        [ -z "$line" ] || break
        vm_alive "$name" || fail "guest $name's QEMU exited: $(vm_tail "$name")"
        [ $SECONDS -lt $deadline ] \
            || fail "guest $name: no ping answered: $(vm_tail "$name")"
        sleep 0.02
    done
    VM_REPLY_HOST=$EPOCHREALTIME
    read -r _ VM_REPLY_UPTIME VM_REPLY_START VM_REPLY_SEQ VM_REPLY_RTT \
        <<<"$line"
}

# vm_kill NAME: kills the guest's QEMU with SIGKILL (as a crash would) and
# waits for it and its console reader.
vm_kill() {
    local name=$1 pid
    for pid in "${VM_PID[$name]:-}" "${VM_READER[$name]:-}"; do
        [ -n "$pid" ] || continue
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    VM_PID[$name]=
    VM_READER[$name]=
}

# vm_kill_all: kills every guest started here (the cleanup at exit).
vm_kill_all() {
    local name
    for name in "${!VM_PID[@]}"; do
        vm_kill "$name"
    done
}
on_cleanup vm_kill_all
