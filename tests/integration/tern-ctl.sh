#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# tern-ctl start|stop|restart|status in private directories: the database
# is created on first start, both daemons run and answer, the switch is
# connected to the database, status reports pids (exit 0) or "not running"
# (exit 3), a second start leaves running daemons alone, restart keeps the
# configuration, start after a crash brings back only what is missing,
# stop removes pidfiles and sockets, stale pidfiles are not trusted, and
# bad arguments give usage and exit status 2.
#
# TERN_CTL_DBSERVER=ovsdb-server runs the database side with Open vSwitch's
# ovsdb-server and ovsdb-tool instead of Tern's (for comparison).
. "$(dirname "$0")/lib.sh"

TERN_CTL=$top_builddir/utilities/tern-ctl
[ -x "$TERN_CTL" ] || fail "$TERN_CTL not built"
export TERN_DBDIR=$TESTDIR/db
export TERN_CTL_TIMEOUT=$TIMEOUT
DB_SOCK=$TERN_RUNDIR/db.sock
DBLOG=$TERN_LOGDIR/tern-dbserver.log
CTL_ARGS=(--dpdk-extra="-m 256 --file-prefix=ternctl$$")

if [ "${TERN_CTL_DBSERVER:-}" = ovsdb-server ]; then
    command -v ovsdb-server >/dev/null || skip "ovsdb-server not installed"
    export TERN_DBSERVER=ovsdb-server TERN_DBTOOL=ovsdb-tool
    # Open vSwitch's server logs SIGTERM as a warning.
    DB_ALLOWED='terminating with signal 15'
else
    for p in ovsdb/tern-dbserver ovsdb/tern-dbtool; do
        [ -x "$top_builddir/$p" ] || fail "$p not built"
    done
    DB_ALLOWED='^$'
fi
# The tools tern-ctl and this test use to initialise and configure the
# database: Tern's own.
VSCTL=${TERN_VSCTL:-$top_builddir/utilities/tern-vsctl}
command -v "$VSCTL" >/dev/null || fail "$VSCTL not built"

vsctl() {
    "$VSCTL" --db="unix:$DB_SOCK" --timeout="$TIMEOUT" "$@"
}

# Daemons this test (through tern-ctl) started, killed at exit if still
# running.
kill_leftovers() {
    local name pid
    for name in tern-vswitchd tern-dbserver; do
        pid=$(cat "$TERN_RUNDIR/$name.pid" 2>/dev/null) || continue
        kill -KILL "$pid" 2>/dev/null
    done
}
on_cleanup kill_leftovers

# ctl EXPECTED-STATUS ARGS...: runs tern-ctl, prints its output, and fails
# unless it exits with EXPECTED-STATUS.  The output is left in $OUT.
ctl() {
    local expected=$1 status
    shift
    OUT=$("$TERN_CTL" "$@" 2>&1)
    status=$?
    [ -z "$OUT" ] || printf '%s\n' "$OUT"
    [ $status = "$expected" ] \
        || fail "tern-ctl $*: exit status $status, expected $expected"
}

pid_of() {
    cat "$TERN_RUNDIR/$1.pid" 2>/dev/null
}

# Both daemons answer on their control sockets.
check_answers() {
    "$APPCTL" -T "$TIMEOUT" -t "$TERN_RUNDIR/tern-vswitchd.ctl" version \
        | grep -q '^tern-vswitchd (Tern)' \
        || fail "tern-vswitchd does not answer"
    "$APPCTL" -T "$TIMEOUT" -t "$TERN_RUNDIR/tern-dbserver.ctl" version \
        >/dev/null || fail "tern-dbserver does not answer"
}

check_db_log() {
    local bad
    bad=$(grep -E '\|(WARN|ERR|EMER)\|' "$DBLOG" | grep -Ev -- "$DB_ALLOWED")
    [ -z "$bad" ] || fail "warnings or errors in $DBLOG:
$bad"
}

info "usage and bad arguments"
ctl 0 --help
echo "$OUT" | grep -q 'start' || fail "--help does not list start"
ctl 0 --version
echo "$OUT" | grep -q '^tern-ctl (Tern) ' || fail "--version"
ctl 2
echo "$OUT" | grep -q 'missing command' || fail "no command: no message"
ctl 2 frobnicate
echo "$OUT" | grep -q 'unknown command' || fail "bad command: no message"
ctl 2 --no-such-option status
ctl 2 --timeout=soon start
ctl 2 start stop
[ ! -e "$TERN_DBDIR/conf.db" ] || fail "bad arguments created the database"

info "status and stop before anything runs"
ctl 3 status
[ "$(echo "$OUT" | grep -c 'is not running')" = 2 ] \
    || fail "status does not say both are not running"
ctl 0 stop

info "start: creates the database, starts both daemons"
ctl 0 "${CTL_ARGS[@]}" start
[ -f "$TERN_DBDIR/conf.db" ] || fail "no database $TERN_DBDIR/conf.db"
echo "$OUT" | grep -q 'created database' \
    || fail "start did not say it created the database"
DB_PID=$(pid_of tern-dbserver) || fail "no tern-dbserver pidfile"
VS_PID=$(pid_of tern-vswitchd) || fail "no tern-vswitchd pidfile"
kill -0 "$DB_PID" || fail "tern-dbserver's pidfile names a dead process"
kill -0 "$VS_PID" || fail "tern-vswitchd's pidfile names a dead process"
[ -S "$DB_SOCK" ] || fail "no database socket"
[ -S "$TERN_RUNDIR/tern-dbserver.ctl" ] || fail "no tern-dbserver.ctl"
[ -S "$TERN_RUNDIR/tern-vswitchd.ctl" ] || fail "no tern-vswitchd.ctl"
[ -f "$TERN_LOGDIR/tern-vswitchd.log" ] || fail "no tern-vswitchd.log"
[ -f "$DBLOG" ] || fail "no tern-dbserver.log"
check_answers

info "status while running"
ctl 0 status
echo "$OUT" | grep -qx "tern-dbserver is running with pid $DB_PID" \
    || fail "status does not show tern-dbserver's pid"
echo "$OUT" | grep -qx "tern-vswitchd is running with pid $VS_PID" \
    || fail "status does not show tern-vswitchd's pid"

info "the database is initialised and the switch follows it"
[ -n "$(vsctl --no-wait get Open_vSwitch . _uuid)" ] \
    || fail "no Open_vSwitch row"
vsctl add-br br0 -- set bridge br0 datapath_type=netdev \
    || fail "add-br br0"
wait_until sh -c "'$APPCTL' -t '$TERN_RUNDIR/tern-vswitchd.ctl' \
dpctl/dump-dps | grep -q br0" || fail "tern-vswitchd did not create br0"

info "a second start leaves the daemons alone"
ctl 0 "${CTL_ARGS[@]}" start
echo "$OUT" | grep -q 'already running' || fail "no \"already running\""
expect_eq "$(pid_of tern-dbserver)" "$DB_PID" "tern-dbserver pid"
expect_eq "$(pid_of tern-vswitchd)" "$VS_PID" "tern-vswitchd pid"

info "restart: new processes, same configuration"
ctl 0 "${CTL_ARGS[@]}" restart
NEW_DB=$(pid_of tern-dbserver) || fail "no tern-dbserver after restart"
NEW_VS=$(pid_of tern-vswitchd) || fail "no tern-vswitchd after restart"
[ "$NEW_DB" != "$DB_PID" ] || fail "restart kept tern-dbserver's process"
[ "$NEW_VS" != "$VS_PID" ] || fail "restart kept tern-vswitchd's process"
kill -0 "$DB_PID" 2>/dev/null && fail "old tern-dbserver still runs"
kill -0 "$VS_PID" 2>/dev/null && fail "old tern-vswitchd still runs"
DB_PID=$NEW_DB VS_PID=$NEW_VS
echo "$OUT" | grep -q 'created database' \
    && fail "restart recreated the database"
expect_eq "$(vsctl list-br)" br0 "bridges after restart"
check_answers

info "after a crash of tern-vswitchd: status 3, start brings it back"
kill -KILL "$VS_PID"
wait_until sh -c "! kill -0 $VS_PID" || fail "kill -9 did not work"
ctl 3 status
echo "$OUT" | grep -qx "tern-vswitchd is not running" \
    || fail "status missed the crash"
echo "$OUT" | grep -qx "tern-dbserver is running with pid $DB_PID" \
    || fail "status lost tern-dbserver"
ctl 0 "${CTL_ARGS[@]}" start
expect_eq "$(pid_of tern-dbserver)" "$DB_PID" "tern-dbserver kept"
VS_PID=$(pid_of tern-vswitchd)
kill -0 "$VS_PID" || fail "tern-vswitchd not back"
wait_until sh -c "'$APPCTL' -t '$TERN_RUNDIR/tern-vswitchd.ctl' \
dpctl/dump-dps | grep -q br0" || fail "br0 not restored"
ctl 0 status

info "stop"
ctl 0 stop
kill -0 "$DB_PID" 2>/dev/null && fail "tern-dbserver still runs"
kill -0 "$VS_PID" 2>/dev/null && fail "tern-vswitchd still runs"
for f in tern-dbserver.pid tern-vswitchd.pid tern-dbserver.ctl \
    tern-vswitchd.ctl; do
    [ ! -e "$TERN_RUNDIR/$f" ] || fail "$f left behind"
done
ctl 3 status

info "a stale pidfile naming another process is not trusted"
sleep 300 &
SLEEP_PID=$!
on_cleanup "kill $SLEEP_PID"
echo "$SLEEP_PID" >"$TERN_RUNDIR/tern-vswitchd.pid"
ctl 3 status
echo "$OUT" | grep -qx "tern-vswitchd is not running" \
    || fail "a foreign pid counted as tern-vswitchd"
ctl 0 stop
kill -0 "$SLEEP_PID" || fail "stop killed a process that was not Tern's"
rm -f "$TERN_RUNDIR/tern-vswitchd.pid"

info "a failing database tool stops start with an error"
mv "$TERN_DBDIR/conf.db" "$TESTDIR/conf.db.saved"
OUT=$(TERN_DBTOOL=/bin/false "$TERN_CTL" "${CTL_ARGS[@]}" start 2>&1) \
    && fail "start succeeded without a database"
echo "$OUT" | grep -q 'cannot create' || fail "no message: $OUT"
ctl 3 status

check_db_log
finish
