# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
#
# Helpers for the tern-dbserver integration tests (tests/integration/
# dbserver*.sh), sourced after lib.sh.  They start tern-dbserver detached
# in the test's private directory and reuse lib.sh's cleanup: DAEMON_PID,
# CTL and LOG point at the database server, so the exit trap stops it by
# PID and `finish` checks its log for unexpected WARN/ERR lines.

DBSERVER=$top_builddir/ovsdb/tern-dbserver
TEST_SCHEMA=$top_srcdir/tests/integration/dbserver-test.ovsschema
VSWITCH_SCHEMA=$top_srcdir/vswitchd/vswitch.ovsschema
DBSOCK=$TERN_RUNDIR/db.sock
LOG=$TERN_LOGDIR/tern-dbserver.log

[ -x "$DBSERVER" ] || fail "$DBSERVER not built"

# Starts tern-dbserver detached with a pidfile, a log file and the default
# control socket; extra arguments (databases, --remote, --schema) are
# passed on.  Sets DAEMON_PID and CTL.
start_dbserver() {
    "$DBSERVER" --detach --pidfile --log-file "$@" \
        || fail "tern-dbserver did not start (status $?)"
    DAEMON_PID=$(cat "$TERN_RUNDIR/tern-dbserver.pid") \
        || fail "no pidfile after --detach"
    CTL=$TERN_RUNDIR/tern-dbserver.ctl
    wait_until test -S "$CTL" || fail "control socket $CTL did not appear"
    info "tern-dbserver running as pid $DAEMON_PID"
}

# Stops tern-dbserver with SIGTERM and checks that it removed its pidfile
# and control socket.
stop_dbserver() {
    stop_vswitchd
    [ ! -e "$TERN_RUNDIR/tern-dbserver.pid" ] || fail "pidfile left behind"
}

# Prints a free TCP port on 127.0.0.1.
free_port() {
    "$PYTHON" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}
