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
# What "resume" measures.  The guests ping with tern-probe (tests/vm/):
# an echo request every 0.1 s until the first reply, which it reports with
# its round trip time, so the instant that answered request was sent is
# known.  Ping has resumed when a request sent is answered:
#  * guest restart: the restarted guest's init configures eth0, prints its
#    ready marker and starts tern-probe at once (tern.probe=); resume is
#    the time from the ready marker to the sending of the first request
#    that is answered, both read from the guest's clock (no console
#    latency).
#  * tern-vswitchd restart: guest a starts tern-probe while Tern is down;
#    resume is the time from the moment the new tern-vswitchd answers on
#    its control socket (its --detach'ed start has returned: database
#    connected, DPDK initialised) to the arrival of the first reply, as
#    the host reads it on the console (host clock; console latency
#    included).  The round trip time is not subtracted here: requests the
#    guest queued while Tern was down are sent when it reconnects, so the
#    first one answered may be one sent before the restart.
# Printed too, not asserted: the round trip time of the first answered
# request (a TCG guest on a busy machine answers slowly), the time from a
# guest's ready marker to the reply itself, tern-vswitchd's start-up
# (launch to control socket) and the whole outage of a guest restart
# (SIGKILL to the reply, boot included).  The figures (median and
# maximum) close the output.
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
# tern-vswitchd runs in a namespace of its own, where the bridge's LOCAL
# port (a tap device named after the bridge) cannot collide with another
# test's; the vhost-user sockets are files and cross namespaces.
NS=tern-vmrec-$$
ip netns add "$NS" || fail "ip netns add $NS"
on_cleanup ip netns del "$NS"
vswitchd_in_ns "$TESTDIR" "$NS"
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

# minus A B [C]: A - B - C/1000 with 3 decimals (C in milliseconds).
minus() {
    awk -v a="$1" -v b="$2" -v c="${3:-0}" \
        'BEGIN { printf "%.3f\n", a - b - c / 1000 }'
}

BOOTS=()
RESUMES=()
REPLIES=()
RTTS=()
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
        ready=${VM_READY_UPTIME[$g]}
        resume=$(minus "$VM_REPLY_UPTIME" "$ready" "$VM_REPLY_RTT")
        reply=$(minus "$VM_REPLY_UPTIME" "$ready")
        outage=$(minus "$VM_REPLY_HOST" "$t0")
        BOOTS+=("${VM_BOOT_SECONDS[$g]}")
        RESUMES+=("$resume")
        REPLIES+=("$reply")
        RTTS+=("$VM_REPLY_RTT")
        OUTAGES+=("$outage")
        echo "cycle $i guest $g: boot ${VM_BOOT_SECONDS[$g]} s;" \
            "first answered ping (seq $VM_REPLY_SEQ) sent $resume s after" \
            "ready, rtt $VM_REPLY_RTT ms; outage $outage s"
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
    launch=$(minus "$t1" "$t0")
    resume=$(minus "$VM_REPLY_HOST" "$t1")
    LAUNCHES+=("$launch")
    RESTART_RESUMES+=("$resume")
    RTTS+=("$VM_REPLY_RTT")
    echo "restart $i: tern-vswitchd answered $launch s after its launch;" \
        "first reply (seq $VM_REPLY_SEQ, rtt $VM_REPLY_RTT ms)" \
        "$resume s later"
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
figure "guest restart: ping resumed (s)" "${RESUMES[@]}"
figure "guest restart: ready to first reply (s)" "${REPLIES[@]}"
figure "guest restart: outage incl. boot (s)" "${OUTAGES[@]}"
figure "tern-vswitchd start-up (s)" "${LAUNCHES[@]}"
figure "tern-vswitchd restart: ping resumed (s)" "${RESTART_RESUMES[@]}"
figure "first answered ping: round trip (ms)" "${RTTS[@]}"
echo "tern-vswitchd open file descriptors: $FDS, constant over $((CYCLES * 2)) guest cycles"
finish
