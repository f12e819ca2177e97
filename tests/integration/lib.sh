# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
#
# Helpers for Tern's integration tests, sourced by each tests/integration/
# *.sh script.  A test starts its own tern-vswitchd in a private temporary
# directory (TERN_RUNDIR and TERN_LOGDIR point there), drives it through
# tern-appctl, and asserts on what the commands answer and on the packets
# the ports emit.  When the script exits, the cleanup trap stops only the
# daemon it started (by PID), runs the test's own cleanup (namespaces,
# interfaces) and fails the test if the daemon's log holds an unexpected
# WARN or ERR line or a sanitizer wrote a report.
#
# Environment: top_builddir and top_srcdir (set by `make check`; guessed
# from this file's location otherwise).  A test that cannot run here (for
# example not root) exits 77, which automake reports as SKIP.

set -u

# Run as root, a test re-executes itself in a network namespace of its own
# (loopback up), so that what tern-vswitchd creates there (the tap of each
# bridge's LOCAL port, named after the bridge) and the interfaces the test
# makes cannot clash with another test running at the same time or with
# the host's.  Named namespaces (ip netns) stay shared as before.
# TERN_TEST_NETNS=host keeps the caller's namespace.
if [ "${TERN_TEST_NETNS:-}" = "" ] && [ "$(id -u)" = 0 ] \
    && command -v unshare >/dev/null; then
    export TERN_TEST_NETNS=own
    # File descriptor 9 keeps the caller's namespace at hand, for the few
    # steps that need the host's network (host_netns below).
    exec 9</proc/self/ns/net
    exec unshare --net -- bash -c 'ip link set lo up && exec bash "$@"' \
        bash "$0" "$@"
fi

: "${top_srcdir:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
VSWITCHD=$top_builddir/vswitchd/tern-vswitchd
APPCTL=$top_builddir/utilities/tern-appctl
PYTHON=/usr/bin/python3
TEST_NAME=$(basename "$0" .sh)

# Seconds to wait for anything asynchronous (sanitizer builds are slow).
TIMEOUT=${TERN_TEST_TIMEOUT:-20}

TESTDIR=$(mktemp -d "${TMPDIR:-/tmp}/tern-$TEST_NAME.XXXXXX")
export TERN_RUNDIR=$TESTDIR/run
export TERN_LOGDIR=$TESTDIR/log
mkdir -p "$TERN_RUNDIR" "$TERN_LOGDIR"
# Sanitizer reports of every process go to files that cleanup checks (a
# detached daemon has no stderr).
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1}:log_path=$TESTDIR/sanitizer"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}:log_path=$TESTDIR/sanitizer"

DAEMON_PID=
CTL=
LOG=$TERN_LOGDIR/tern-vswitchd.log
# Extended regular expressions of WARN/ERR log lines the test expects.
ALLOWED_LOG=()
# Commands the test registers to undo what it made (run in reverse).
CLEANUPS=()

fail() {
    echo "FAIL ($TEST_NAME): $*" >&2
    exit 1
}

skip() {
    echo "SKIP ($TEST_NAME): $*" >&2
    exit 77
}

info() {
    echo "--- $*"
}

need_root() {
    [ "$(id -u)" = 0 ] || skip "needs root"
}

on_cleanup() {
    CLEANUPS+=("$*")
}

# start_db_in DIR SERVER ARGS...: starts the database server SERVER
# (tern-dbserver's path, or ovsdb-server) detached in directory DIR,
# listening on punix:DIR/db.sock, with DIR/server.pid, DIR/server.ctl and
# DIR/server.log; ARGS (the database, --schema) are passed on.  The server
# is stopped at exit.  Sets DB_SERVER_PID.
start_db_in() {
    local dir=$1 server=$2
    shift 2
    mkdir -p "$dir"
    "$server" --detach --pidfile="$dir/server.pid" \
        --unixctl="$dir/server.ctl" --log-file="$dir/server.log" \
        --remote="punix:$dir/db.sock" "$@" 2>>"$dir/stderr" \
        || fail "$server did not start in $dir: $(cat "$dir/stderr")"
    DB_SERVER_PID=$(cat "$dir/server.pid") || fail "$dir: no pidfile"
    on_cleanup "kill -TERM $DB_SERVER_PID"
    wait_until test -S "$dir/db.sock" || fail "$dir: no database socket"
}

# add_netns_veth NS VETH PEER ADDR: creates network namespace NS and a
# veth pair VETH/PEER, moves PEER into NS with address ADDR (CIDR), brings
# both ends and NS's loopback up, and removes NS and the pair at exit.
# IPv6 is off on VETH so that autoconfiguration chatter stays off the
# switch ports it becomes.
add_netns_veth() {
    local ns=$1 veth=$2 peer=$3 addr=$4
    ip netns add "$ns" || fail "ip netns add $ns"
    on_cleanup ip netns del "$ns"
    ip link add "$veth" type veth peer name "$peer" || fail "veth $veth"
    on_cleanup ip link del "$veth"
    ip link set "$peer" netns "$ns"
    ip -n "$ns" addr add "$addr" dev "$peer"
    ip -n "$ns" link set "$peer" up
    ip -n "$ns" link set lo up
    ip link set "$veth" up
    sysctl -qw "net.ipv6.conf.$veth.disable_ipv6=1" 2>/dev/null
}

allow_log() {
    ALLOWED_LOG+=("$1")
}

# Dummy ports write what they transmit to $TERN_RUNDIR/NAME.pcap.
pcap_of() {
    echo "$TERN_RUNDIR/$1.pcap"
}

# Starts tern-vswitchd detached with a pidfile and a log file, and sets
# DAEMON_PID and CTL (its default control socket).  Extra arguments are
# passed on.
start_vswitchd() {
    "$VSWITCHD" --detach --pidfile --log-file \
        --dpdk-extra="-m 256 --file-prefix=tern$$" "$@" \
        || fail "tern-vswitchd did not start (status $?)"
    DAEMON_PID=$(cat "$TERN_RUNDIR/tern-vswitchd.pid") \
        || fail "no pidfile after --detach"
    CTL=$TERN_RUNDIR/tern-vswitchd.$DAEMON_PID.ctl
    wait_until test -S "$CTL" || fail "control socket $CTL did not appear"
    info "tern-vswitchd running as pid $DAEMON_PID"
}

# Runs tern-appctl against the daemon this test started.
appctl() {
    "$APPCTL" -T "$TIMEOUT" -t "$CTL" "$@"
}

# Like appctl, but fails the test when the command fails.
appctl_ok() {
    local out
    out=$(appctl "$@") || fail "tern-appctl $* failed"
    [ -z "$out" ] || printf '%s\n' "$out"
}

# Creates datapath $1 whose flows never expire while the test runs (the
# datapath removes flows idle for max-idle ms, 10 s by default, and a slow
# sanitizer build can take longer than that between two steps).
add_dp() {
    appctl_ok dpctl/add-dp "$@"
    appctl_ok dpctl/set-config "$1" max-idle=3600000
}

# Runs the command and expects exit status 2 (the daemon answered with an
# error) and a non-empty message on stderr containing the regex $1.
appctl_error() {
    local pattern=$1 err status
    shift
    err=$(appctl "$@" 2>&1 >/dev/null) && fail "tern-appctl $* succeeded"
    status=$?
    [ $status = 2 ] || fail "tern-appctl $*: exit status $status, not 2"
    [ -n "$err" ] || fail "tern-appctl $*: no error message"
    echo "$err" | grep -Eq -- "$pattern" \
        || fail "tern-appctl $*: error \"$err\" lacks \"$pattern\""
}

# Retries the command every 0.1 s until it succeeds or TIMEOUT passes.
wait_until() {
    local deadline=$((SECONDS + TIMEOUT))
    while ! "$@" >/dev/null 2>&1; do
        [ $SECONDS -lt $deadline ] || return 1
        sleep 0.1
    done
}

# Succeeds when the output of the appctl command matches the regex $1.
appctl_matches() {
    local pattern=$1
    shift
    appctl "$@" 2>/dev/null | grep -Eq -- "$pattern"
}

# Waits until the appctl command's output matches the regex $1.
wait_for_output() {
    local pattern=$1
    shift
    wait_until appctl_matches "$pattern" "$@" \
        || fail "\"$*\" never showed \"$pattern\"; last output:
$(appctl "$@" 2>&1)"
}

expect_eq() { # actual expected what
    [ "$1" = "$2" ] || fail "$3: got \"$1\", expected \"$2\""
}

# Number of packets a dummy port transmitted (tx-show's count=N).
tx_count() {
    appctl netdev-dummy/tx-show "$1" | sed -n 's/^count=//p'
}

# Hex of the Nth (1-based) packet a dummy port transmitted.
tx_packet() {
    appctl netdev-dummy/tx-show "$1" | sed -n "$(($2 + 1))p" | tr -d ' '
}

wait_tx_count() { # port count
    wait_until test "$(tx_count "$1")" = "$2" \
        || fail "$1 transmitted $(tx_count "$1") packets, expected $2"
}

# Fails if the daemon's log has WARN/ERR/EMER lines not in ALLOWED_LOG.
check_log() {
    local bad
    [ -f "$LOG" ] || return 0
    bad=$(grep -E '\|(WARN|ERR|EMER)\|' "$LOG" || true)
    for pattern in "${ALLOWED_LOG[@]}"; do
        bad=$(printf '%s\n' "$bad" | grep -Ev -- "$pattern" || true)
    done
    if [ -n "$bad" ]; then
        fail "unexpected warnings or errors in the log:
$bad"
    fi
}

# Stops the daemon with SIGTERM and checks that it exits and removes its
# pidfile and control socket.
stop_vswitchd() {
    [ -n "$DAEMON_PID" ] || return 0
    kill -TERM "$DAEMON_PID" 2>/dev/null || fail "daemon $DAEMON_PID is gone"
    wait_until sh -c "! kill -0 $DAEMON_PID" \
        || fail "daemon $DAEMON_PID ignored SIGTERM"
    DAEMON_PID=
    [ ! -e "$TERN_RUNDIR/tern-vswitchd.pid" ] || fail "pidfile left behind"
    [ ! -e "$CTL" ] || fail "control socket left behind"
}

check_sanitizers() {
    local reports
    reports=$(cat "$TESTDIR"/sanitizer.* 2>/dev/null || true)
    [ -z "$reports" ] || fail "sanitizer reports:
$reports"
}

# Ends a passing test: stops the daemon cleanly and checks the log.
finish() {
    stop_vswitchd
    check_log
    check_sanitizers
    info "PASS"
    exit 0
}

cleanup() {
    local status=$? i
    set +e
    if [ -n "$DAEMON_PID" ] && kill -0 "$DAEMON_PID" 2>/dev/null; then
        kill -TERM "$DAEMON_PID"
        for i in $(seq 1 50); do
            kill -0 "$DAEMON_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -0 "$DAEMON_PID" 2>/dev/null && kill -KILL "$DAEMON_PID"
    fi
    for ((i = ${#CLEANUPS[@]} - 1; i >= 0; i--)); do
        eval "${CLEANUPS[$i]}" >/dev/null 2>&1
    done
    if [ $status != 0 ] && [ $status != 77 ]; then
        echo "=== log of $TEST_NAME ($TESTDIR kept) ===" >&2
        tail -n 50 "$LOG" >&2 2>/dev/null
        cat "$TESTDIR"/sanitizer.* >&2 2>/dev/null
    else
        rm -rf "$TESTDIR"
    fi
    exit $status
}
trap cleanup EXIT
trap 'exit 1' INT TERM

[ -x "$VSWITCHD" ] || fail "$VSWITCHD not built"
[ -x "$APPCTL" ] || fail "$APPCTL not built"
