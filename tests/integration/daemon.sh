#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# The daemon itself: --detach with a pidfile, refusal of a second instance,
# the "exit" command and SIGTERM/SIGINT (exit status 0, pidfile and socket
# removed), errors for bad tern-appctl arguments (exit status 2 with a
# message), and ovs-appctl talking to Tern's control socket.
. "$(dirname "$0")/lib.sh"

info "--help and --version"
"$VSWITCHD" --help | grep -q -- '--dpdk-extra' || fail "--help"
"$VSWITCHD" --version | grep -q '^tern-vswitchd (Tern) ' || fail "--version"
"$VSWITCHD" --no-such-option >/dev/null 2>&1 && fail "bad option accepted"

info "--detach and --pidfile"
start_vswitchd
kill -0 "$DAEMON_PID" || fail "pidfile names no live process"
[ "$(cat "$TERN_RUNDIR/tern-vswitchd.pid")" = "$DAEMON_PID" ] || fail pidfile
expect_eq "$("$APPCTL" version)" "tern-vswitchd (Tern) $("$VSWITCHD" --version | awk '{print $3}')" \
    "version through the default target"

info "a second instance is refused"
err=$("$VSWITCHD" --pidfile --log-file="$TESTDIR/second.log" \
    --unixctl="$TESTDIR/second.ctl" --dpdk-extra="-m 256 --file-prefix=tern2$$" 2>&1) \
    && fail "second instance started"
echo "$err"
echo "$err" | grep -q "$DAEMON_PID" || fail "refusal does not name pid $DAEMON_PID"
kill -0 "$DAEMON_PID" || fail "first instance died"
[ ! -e "$TESTDIR/second.ctl" ] || fail "second instance left a socket"

info "bad arguments: exit status 2 and a message"
appctl_error 'wrong number of arguments' dpctl/add-dp
appctl_error 'no such datapath' dpctl/show nosuchdp
appctl_error 'no datapaths exist' dpctl/dump-flows
appctl_error 'unsupported datapath type' dpctl/add-dp system@x
appctl_ok dpctl/add-dp tern0
appctl_error 'already exists' dpctl/add-dp netdev@tern0
appctl_error 'interface name missing' dpctl/add-if tern0 ,type=dummy
appctl_error 'not KEY=VALUE' dpctl/add-if tern0 p9,type=dummy,junk
appctl_error 'port_no' dpctl/add-if tern0 p9,type=dummy,port_no=x
appctl_error 'cannot open' dpctl/add-if tern0 p9,type=nosuchtype
appctl_ok dpctl/add-if tern0 p1,type=dummy,port_no=1
appctl_error 'in use' dpctl/add-if tern0 p2,type=dummy,port_no=1
appctl_error 'cannot open' dpctl/add-if tern0 p1,type=dummy
appctl_error 'cannot change type' dpctl/set-if tern0 p1,type=system
appctl_error 'no such port' dpctl/set-if tern0 nosuch,mtu=1400
appctl_error 'no such port' dpctl/del-if tern0 nosuch
appctl_error 'not KEY=VALUE' dpctl/set-config tern0 flow-limit
appctl_error 'flow-limit|bogus' dpctl/set-config tern0 flow-limit=bogus
appctl_ok dpctl/set-config tern0 flow-limit=1000 max-idle=5000
appctl_ok dpctl/set-if tern0 p1,mtu=1400
appctl_ok dpctl/show | grep -q '^  port 1: p1 (dummy: mtu=1400)$' \
    || fail "set-if option not shown"
appctl_ok dpctl/set-if tern0 p1,mtu=
appctl_ok dpctl/show | grep -q '^  port 1: p1 (dummy)$' \
    || fail "set-if did not remove the option"
appctl_error 'unknown option' dpctl/show -x
appctl_error 'empty datapath name' dpctl/add-dp ''
appctl_error 'empty datapath name' dpctl/show netdev@
appctl_error 'interface name missing' dpctl/add-if tern0 ''
appctl_error 'empty type' dpctl/add-if tern0 p9,type=
appctl_error 'port_no' dpctl/add-if tern0 p9,type=dummy,port_no=99999999999
appctl_error 'port_no' dpctl/add-if tern0 p9,type=dummy,port_no=-1
appctl_error 'unterminated' dpctl/add-if tern0 'p9,type=dummy,mac="aa'
appctl_error 'bad flow' dpctl/add-flow "$(printf 'in_port(1%.0s' $(seq 1 2000))" 2
appctl_error 'usage' exit now
long=$(head -c 100000 /dev/zero | tr '\0' x)
appctl_error 'no such datapath' dpctl/show "$long"
appctl_error 'cannot open' dpctl/add-if tern0 "$long,type=dummy"
expect_eq "$(appctl_ok dpctl/show | grep -c '^  port')" 1 "ports after errors"
err=$(appctl no-such-command 2>&1) && fail "unknown command succeeded"
[ -n "$err" ] || fail "unknown command: no message"

if command -v ovs-appctl >/dev/null; then
    info "ovs-appctl against Tern's socket"
    expect_eq "$(ovs-appctl -t "$CTL" dpctl/show)" "$(appctl dpctl/show)" \
        "ovs-appctl dpctl/show"
    ovs-appctl -t "$CTL" dpctl/show nosuchdp >/dev/null 2>&1
    expect_eq $? 2 "ovs-appctl exit status for an error"
    ovs-appctl -t "$CTL" vlog/list >/dev/null || fail "ovs-appctl vlog/list"
else
    info "ovs-appctl not installed: compatibility not checked"
fi

info "SIGTERM: clean exit"
stop_vswitchd

info "foreground daemon: exit command and SIGINT give status 0"
for how in exit INT; do
    "$VSWITCHD" --pidfile --log-file --unixctl="$TERN_RUNDIR/fg.ctl" \
        --dpdk-extra="-m 256 --file-prefix=tern3$$" 2>"$TESTDIR/fg.err" &
    fg=$!
    CTL=$TERN_RUNDIR/fg.ctl
    wait_until test -S "$CTL" || fail "foreground daemon has no socket"
    appctl_ok dpctl/add-dp fg0
    appctl_ok dpctl/add-if fg0 q1,type=dummy q2,type=dummy
    if [ $how = exit ]; then
        appctl_ok exit --cleanup
    else
        kill -INT $fg
    fi
    wait $fg
    expect_eq $? 0 "exit status after $how"
    [ ! -e "$CTL" ] || fail "socket left after $how"
    [ ! -e "$TERN_RUNDIR/tern-vswitchd.pid" ] || fail "pidfile left after $how"
done
check_log
check_sanitizers
info PASS
