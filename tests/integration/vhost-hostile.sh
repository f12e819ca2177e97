#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Hostile vhost-user frontends (vhost-hostile.py, a frontend written from
# the protocol description): malformed messages (unknown requests, wrong
# sizes, truncation, bad memory tables, extra file descriptors, replays,
# bad vring sizes, kick and call fds that are not eventfds) and rings whose
# descriptor chains point outside guest memory or loop.  The bridge has a
# dpdkvhostuser port (the frontend connects to Tern) and a
# dpdkvhostuserclient port (Tern connects to the frontend), and two dummy
# ports that carry traffic all along.  After each scenario:
#   * tern-vswitchd is alive;
#   * a bad message closed the connection (the frontend saw end of file)
#     with exactly one WARN/ERR log line, naming the port; a bad
#     descriptor chain was consumed and counted in the port's rx errors
#     (or the connection was closed); frames for a guest whose receive
#     buffers lie outside its memory are dropped and counted (tx dropped);
#   * the dummy ports still forward;
#   * tern-vswitchd's open file descriptors are back to their count before
#     the scenario.
# A well-behaved frontend passes traffic both ways before and after the
# attacks.  At the end tern-vswitchd stops cleanly (the sanitizers' leak
# check runs at exit).
#
# VHOST_CASES: a space-separated subset of the scenarios (default all).
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || fail "needs root (DPDK)"
. "$(dirname "$0")/of-lib.sh"

FRONTEND="$PYTHON $top_srcdir/tests/integration/vhost-hostile.py"
CASES=${VHOST_CASES:-$($FRONTEND list | awk '$1 != "good" {print $1}')}
SERVER_SOCK=$TERN_RUNDIR/vh0
CLIENT_SOCK=$TESTDIR/vh1.sock
# A broadcast the dummy port p1 receives; NORMAL floods it to every port.
BCAST=ffffffffffff0200000000b1080045000028000100004011f9c00a0000010aff00ff138803e9001490c17465726e2d7061796c6f6164

# Connection events of the vhost ports (INFO) and the one line per
# closed hostile connection (WARN) are expected; DPDK's own INFO lines too.
allow_log '\|netdev_vhost\|WARN\|vh[01]'
allow_log '\|dpdk\|INFO\|'

start_tern
vsctl --no-wait add-br br0 -- set bridge br0 datapath_type=netdev \
    -- add-port br0 p1 -- set interface p1 type=dummy ofport_request=1 \
    -- add-port br0 p2 -- set interface p2 type=dummy ofport_request=2 \
    -- add-port br0 vh0 -- set interface vh0 type=dpdkvhostuser \
    ofport_request=3 \
    -- add-port br0 vh1 -- set interface vh1 type=dpdkvhostuserclient \
    ofport_request=4 "options:vhost-server-path=$CLIENT_SOCK" \
    || fail "add-br"
wait_until test -S "$SERVER_SOCK" || fail "no vhost-user socket $SERVER_SOCK"
wait_until appctl_matches "p2" dpctl/show || fail "p2 never added"

fd_count() {
    ls "/proc/$DAEMON_PID/fd" | wc -l
}

# The dummy ports forward: a broadcast on p1 comes out of p2.
check_dummies() {
    local before
    before=$(tx_count p2)
    appctl_ok netdev-dummy/receive p1 "$BCAST"
    wait_until test "$(tx_count p2)" -gt "$before" \
        || fail "$1: p2 no longer forwards (tx count stays $before)"
}

# port_stat PORT RX|TX FIELD: one of the port's counters (dpctl/show -s).
port_stat() {
    appctl dpctl/show -s | awk -v port="$1" -v dir="$2" -v field="$3" '
        $1 == "port" && $3 == port { found = 1; next }
        found && $1 == dir && $2 ~ /^packets:/ {
            for (i = 2; i <= NF; i++) {
                split($i, kv, ":")
                if (kv[1] == field) { print kv[2]; exit }
            } }'
}
rx_errors() {
    port_stat "$1" RX errors
}

# Sends broadcasts on p1 while the well-behaved frontend waits for them.
feed() {
    local i
    for i in $(seq 1 100); do
        appctl netdev-dummy/receive p1 "$BCAST" >/dev/null 2>&1
        sleep 0.2
    done
}

# logged_since N STRING: the log has STRING after its first N lines.
logged_since() {
    tail -n +"$(($1 + 1))" "$LOG" | grep -qF -- "$2"
}

# run_case MODE PORT SOCK NAME: one scenario against PORT; MODE is
# "--server" for the client-mode port (the frontend listens), "" otherwise.
run_case() {
    local mode=$1 port=$2 sock=$3 name=$4
    local fds0 lines0 err0 drop0 out status new bad closed feeder=
    fds0=$(fd_count)
    lines0=$(wc -l <"$LOG")
    err0=$(rx_errors "$port")
    drop0=$(port_stat "$port" TX dropped)
    if [ "$name" = good ] || [ "$name" = rx-desc-outside ]; then
        feed &
        feeder=$!
    fi
    # shellcheck disable=SC2086
    out=$(timeout $((TIMEOUT * 4)) $FRONTEND $mode --timeout "$TIMEOUT" \
        "$sock" "$name")
    status=$?
    [ -z "$feeder" ] || { kill "$feeder"; wait "$feeder"; } 2>/dev/null
    echo "  $port $out"
    kill -0 "$DAEMON_PID" 2>/dev/null \
        || fail "$port $name: tern-vswitchd died"
    [ $status = 0 ] || fail "$port $name: $out"
    check_dummies "$port $name"
    wait_until test "$(fd_count)" -le "$fds0" \
        || fail "$port $name: tern-vswitchd has $(fd_count) fds, $fds0 before: $(ls -l /proc/$DAEMON_PID/fd | tail -n 5)"
    sleep 0.2
    new=$(tail -n +"$((lines0 + 1))" "$LOG")
    bad=$(printf '%s\n' "$new" | grep -E '\|(netdev_vhost|dpdk)\|(WARN|ERR|EMER)\|' || true)
    case $out in
    *"ok closed"*)
        # One line says the connection closed (WARN with the reason when
        # Tern knows it); rte_vhost's own complaints are not logged.
        wait_until logged_since "$lines0" "|$port: vhost-user connection closed"
        new=$(tail -n +"$((lines0 + 1))" "$LOG")
        bad=$(printf '%s\n' "$new" | grep -E '\|(netdev_vhost|dpdk)\|(WARN|ERR|EMER)\|' || true)
        closed=$(printf '%s\n' "$new" | grep -E "\\|$port: vhost-user connection closed" || true)
        [ "$(printf '%s\n' "$closed" | grep -c .)" = 1 ] \
            || fail "$port $name: want one line for the closed connection, got:
$closed"
        [ -z "$bad" ] || [ "$bad" = "$closed" ] \
            || fail "$port $name: other warnings or errors: $bad"
        ;;
    *"ok dropped"*)
        [ "$(rx_errors "$port")" -gt "$err0" ] \
            || fail "$port $name: the bad descriptor chain was not counted (rx errors $err0 -> $(rx_errors "$port"))"
        [ "$(printf '%s\n' "$bad" | grep -c .)" -le 1 ] \
            || fail "$port $name: more than one WARN/ERR line: $bad"
        ;;
    *"ok rx-dropped"*)
        [ "$(port_stat "$port" TX dropped)" -gt "$drop0" ] \
            || fail "$port $name: frames for the guest were not counted as dropped"
        [ -z "$bad" ] || fail "$port $name: warnings: $bad"
        ;;
    *"ok traffic"*)
        [ -z "$bad" ] || fail "$port $name: warnings for a good peer: $bad"
        ;;
    *) fail "$port $name: unexpected result: $out" ;;
    esac
}

info "well-behaved frontends pass traffic"
# The first connections make rte_vhost open what it keeps (its event
# threads' fds): the counts are compared from here on.
run_case "" vh0 "$SERVER_SOCK" good
run_case --server vh1 "$CLIENT_SOCK" good

for name in $CASES; do
    info "$name"
    run_case "" vh0 "$SERVER_SOCK" "$name"
    run_case --server vh1 "$CLIENT_SOCK" "$name"
done

info "well-behaved frontends after the attacks"
run_case "" vh0 "$SERVER_SOCK" good
run_case --server vh1 "$CLIENT_SOCK" good
# The Interface statistics of the vhost ports carry tx_retries; those of
# the dummy ports, which never retry, do not.
has_stat() {
    vsctl get interface "$1" "statistics:$2" | grep -Eq '^"?[0-9]+"?$'
}
for port in vh0 vh1; do
    wait_until has_stat $port tx_retries \
        || fail "$port statistics lack tx_retries"
done
wait_until has_stat p1 rx_packets || fail "p1 has no statistics"
! vsctl get interface p1 statistics:tx_retries >/dev/null 2>&1 \
    || fail "p1 statistics have tx_retries"
bad=$(grep -E '\|(ERR|EMER)\|' "$LOG" | grep -v '|netdev_vhost|' || true)
[ -z "$bad" ] || fail "ERR/EMER lines outside the vhost ports' own:
$bad"
finish
