#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# dpdkvhostuserclient ports reconnect.  Two QEMU guests, a and b, on
# dpdkvhostuserclient ports of a standalone bridge (NORMAL).  Each guest
# is killed (SIGKILL, as a crash) and booted again CYCLES times (20), and
# then tern-vswitchd is stopped and started again RESTARTS times (5); each
# time ping between the guests must resume within RESUME_MAX seconds (2),
# and tern-vswitchd's open file descriptors must be as many after every
# guest cycle as before the first.
#
# What "resume" measures:
#  * guest restart: from the restarted guest's ready marker (its init has
#    configured eth0; tests/vm/init) to the first echo reply it gets from
#    the other guest, pinging every 0.1 s (tern-probe, started by init
#    right after the marker); both instants are the guest's uptime, so the
#    figure is free of console latency.  Also printed, not asserted: the
#    whole outage, from the SIGKILL to the reply seen on the host (it
#    includes the boot).
#  * tern-vswitchd restart: from the moment the new tern-vswitchd answers
#    on its control socket (the --detach'ed start has returned: the
#    database is connected and DPDK initialised) until the host sees, on
#    guest a's console, the first reply to a's pings to b (every 0.1 s,
#    started while Tern was down).  Console latency is included, so this
#    is an upper bound.  The start-up itself (launch to control socket:
#    process start, DPDK's EAL, under the sanitizers) is printed too.
# The figures (boot time, resume times: median and maximum) are printed
# at the end.
# Environment: TERN_VM_CYCLES, TERN_VM_RESTARTS, TERN_VM_RESUME_MAX.
. "$(dirname "$0")/lib.sh"
need_root
. "$(dirname "$0")/of-lib.sh"
. "$(dirname "$0")/vm-lib.sh"

CYCLES=${TERN_VM_CYCLES:-20}
RESTARTS=${TERN_VM_RESTARTS:-5}
RESUME_MAX=${TERN_VM_RESUME_MAX:-2}
declare -A IP=([a]=10.82.0.1 [b]=10.82.0.2) PEER=([a]=b [b]=a)

vm_image
start_tern
# rte_vhost's own line for each attempt to connect to a QEMU that is down
# (the guest was killed, or the new guest's QEMU has not created its
# socket yet).
allow_log '\|dpdk\|WARN\|VHOST_CONFIG: \(.*\) failed to connect: (Connection refused|No such file or directory)$'
vsctl add-br br0 -- set Bridge br0 datapath_type=netdev || fail "add-br"
for g in a b; do
    vsctl add-port br0 "v$g" -- set Interface "v$g" \
        type=dpdkvhostuserclient "options:vhost-server-path=$TESTDIR/$g.sock" \
        || fail "add-port v$g"
done
for g in a b; do
    vm_start "$g" server "$TESTDIR/$g.sock" "${IP[$g]}/24"
done
for g in a b; do
    vm_wait_ready "$g"
done
vm_ping a "${IP[b]}" || fail "a -> b before any restart"
vm_ping b "${IP[a]}" || fail "b -> a before any restart"

fd_count() {
    ls "/proc/$DAEMON_PID/fd" | wc -l
}
FDS=$(fd_count)
info "tern-vswitchd has $FDS open file descriptors"

# ge A B: succeeds if the decimal A >= B.
ge() {
    awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'
}
# stats LIST: "median M max X" of the numbers in LIST.
stats() {
    printf '%s\n' "$@" | sort -n | awk '
        { v[NR] = $1 }
        END { printf "median %.3f max %.3f (n=%d)\n", v[int((NR + 1) / 2)], v[NR], NR }'
}

BOOTS=()
RESUMES=()
OUTAGES=()
info "$CYCLES kill/boot cycles of each guest"
for i in $(seq 1 "$CYCLES"); do
    for g in a b; do
        p=${PEER[$g]}
        t0=$EPOCHREALTIME
        vm_kill "$g"
        vm_start "$g" server "$TESTDIR/$g.sock" "${IP[$g]}/24" "" \
            "tern.probe=${IP[$p]}"
        vm_wait_ready "$g"
        vm_wait_reply "$g" 90
        resume=$(awk -v r="$VM_REPLY_UPTIME" -v s="${VM_READY_UPTIME[$g]}" \
            'BEGIN { printf "%.3f\n", r - s }')
        outage=$(awk -v a="$t0" -v b="$VM_REPLY_HOST" \
            'BEGIN { printf "%.3f\n", b - a }')
        BOOTS+=("${VM_BOOT_SECONDS[$g]}")
        RESUMES+=("$resume")
        OUTAGES+=("$outage")
        echo "cycle $i guest $g: boot ${VM_BOOT_SECONDS[$g]} s," \
            "ping resumed ${resume} s after ready, outage ${outage} s"
        ge "$RESUME_MAX" "$resume" \
            || fail "cycle $i: ping from $g resumed after $resume s (> $RESUME_MAX s)"
        vm_ping "$p" "${IP[$g]}" 2 || fail "cycle $i: $p -> $g"
        # The descriptors of the old connection are closed once the new
        # one works.
        wait_until test "$(fd_count)" = "$FDS" \
            || fail "cycle $i ($g): tern-vswitchd has $(fd_count) open file descriptors, $FDS before: $(ls -l "/proc/$DAEMON_PID/fd")"
    done
done
info "file descriptors after every guest cycle: $FDS"

RESTART_RESUMES=()
LAUNCHES=()
info "$RESTARTS restarts of tern-vswitchd"
for i in $(seq 1 "$RESTARTS"); do
    stop_vswitchd
    id=$(vm_probe_start a "${IP[b]}" 60)
    t0=$EPOCHREALTIME
    start_vswitchd "unix:$TERN_RUNDIR/db.sock"
    t1=$EPOCHREALTIME
    vm_wait_reply a 90 "$id"
    launch=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }')
    resume=$(awk -v a="$t1" -v b="$VM_REPLY_HOST" \
        'BEGIN { printf "%.3f\n", b - a }')
    LAUNCHES+=("$launch")
    RESTART_RESUMES+=("$resume")
    echo "restart $i: tern-vswitchd answered $launch s after its launch," \
        "ping a -> b resumed $resume s later"
    vm_run a 90 true >/dev/null || fail "restart $i: probe did not end"
    ge "$RESUME_MAX" "$resume" \
        || fail "restart $i: ping resumed after $resume s (> $RESUME_MAX s)"
    vm_ping b "${IP[a]}" 2 || fail "restart $i: b -> a"
done

figure() { # LABEL VALUES...
    local label=$1
    shift
    printf '%-42s %s\n' "$label:" "$(stats "$@")"
}
figure "guest boot time (s)" "${BOOTS[@]}"
figure "ping resumed after guest ready (s)" "${RESUMES[@]}"
figure "outage, SIGKILL to ping answered (s)" "${OUTAGES[@]}"
figure "tern-vswitchd start-up (s)" "${LAUNCHES[@]}"
figure "ping resumed after tern-vswitchd up (s)" "${RESTART_RESUMES[@]}"
echo "tern-vswitchd open file descriptors: $FDS, constant over $((CYCLES * 2)) guest cycles"
finish
