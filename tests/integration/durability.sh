#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Durability of tern-dbserver's database file: runs many transactions
# (DURABILITY_TXNS, 1000 by default, four clients at a time, for at most
# DURABILITY_MAX_SECS seconds, 900 by default) with tern-vsctl (or
# Debian's ovs-vsctl when tern-vsctl is not built) while tern-dbserver is
# killed with SIGKILL at random points, often in the middle of a
# transaction, and restarted.  Every restart must succeed, and at the end every transaction
# the client saw acknowledged must be in the database.  Then the file is
# damaged on purpose: a garbage tail and a cut last record are recovered
# at start-up, damage before good records is refused with a clear message,
# and `tern-dbtool repair` makes the file usable again.
#
# DURABILITY_SEED makes a run repeatable (the seed is printed).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/dbserver-lib.sh"

DBTOOL=$top_builddir/ovsdb/tern-dbtool
[ -x "$DBTOOL" ] || fail "$DBTOOL not built"
if [ -x "$top_builddir/utilities/tern-vsctl" ]; then
    VSCTL=$top_builddir/utilities/tern-vsctl
elif command -v ovs-vsctl >/dev/null 2>&1; then
    VSCTL=$(command -v ovs-vsctl)
else
    skip "neither tern-vsctl nor ovs-vsctl is available"
fi

DB=$TESTDIR/conf.db
N_TXNS=${DURABILITY_TXNS:-1000}
SEED=${DURABILITY_SEED:-$$}
RANDOM=$SEED
ACKED_KEYS=$TESTDIR/acked-keys
ACKED_BRIDGES=$TESTDIR/acked-bridges
ACKED_QUEUES=$TESTDIR/acked-queues
: >"$ACKED_KEYS"
: >"$ACKED_BRIDGES"
: >"$ACKED_QUEUES"
JOBS=4
info "client $VSCTL, $N_TXNS transactions, seed $SEED"

# Start-up cuts torn tails with a warning; that is expected here.
allow_log 'torn write'

# The clients' own leak checks are left to their tests: here they would
# only double the cost of each of the many short runs.
vsctl() {
    ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0" \
        "$VSCTL" --db="unix:$DBSOCK" --timeout=20 --no-wait "$@"
}

start_db() {
    start_dbserver "$DB" --remote="punix:$DBSOCK"
    wait_until vsctl list Open_vSwitch \
        || fail "tern-dbserver does not answer after start #$N_STARTS"
    N_STARTS=$((N_STARTS + 1))
}

kill_db() {
    kill -KILL "$DAEMON_PID" 2>/dev/null
    wait_until sh -c "! kill -0 $DAEMON_PID" || fail "pid $DAEMON_PID lives"
    DAEMON_PID=
}

# The command for transaction $1.  Transactions run JOBS at a time, so
# that at most one per batch writes each column of the Open_vSwitch row
# (the client does not retry a transaction whose "wait" failed): the first
# of a batch adds a key to Open_vSwitch:external_ids, the second adds a
# bridge every 12th batch, the others insert a Queue row.
txn_kind() {
    local slot=$((($1 - 1) % JOBS))
    if [ $slot = 0 ]; then
        echo key
    elif [ $slot = 1 ] && [ $((($1 - 1) / JOBS % 12)) = 0 ]; then
        echo bridge
    else
        echo queue
    fi
}

txn_args() {
    case $(txn_kind "$1") in
    key) echo "set Open_vSwitch . external_ids:k$1=v$1" ;;
    bridge) echo "add-br br$1" ;;
    queue) echo "create Queue external_ids:txn=$1" ;;
    esac
}

record_ack() {
    case $(txn_kind "$1") in
    key) echo "k$1=v$1" >>"$ACKED_KEYS" ;;
    bridge) echo "br$1" >>"$ACKED_BRIDGES" ;;
    queue) echo "txn=$1" >>"$ACKED_QUEUES" ;;
    esac
}

# Fails unless every acknowledged key, bridge and queue is in the
# database.
check_acked() {
    local present missing
    present=$(vsctl get Open_vSwitch . external_ids | tr -d '{}" ' \
        | tr ',' '\n' | sort) || fail "reading external_ids failed"
    missing=$(sort "$ACKED_KEYS" | comm -23 - <(echo "$present"))
    [ -z "$missing" ] || fail "acknowledged keys lost ($1):
$(echo "$missing" | head -n 20)"
    present=$(vsctl list-br | sort) || fail "list-br failed"
    missing=$(sort "$ACKED_BRIDGES" | comm -23 - <(echo "$present"))
    [ -z "$missing" ] || fail "acknowledged bridges lost ($1): $missing"
    present=$(vsctl --bare --columns=external_ids list Queue \
        | grep -o 'txn=[0-9]*' | sort) || fail "list Queue failed"
    missing=$(sort "$ACKED_QUEUES" | comm -23 - <(echo "$present"))
    [ -z "$missing" ] || fail "acknowledged queues lost ($1):
$(echo "$missing" | head -n 20)"
}

"$DBTOOL" create "$DB" "$VSWITCH_SCHEMA" || fail "tern-dbtool create failed"
N_STARTS=0
start_db
vsctl init || fail "init failed"

info "transactions with random kills"
N_KILLS=0
N_ACKED=0
N_RUN=0
last_kill=0
deadline=$((SECONDS + ${DURABILITY_MAX_SECS:-900}))
for ((i = 1; i <= N_TXNS; i += JOBS)); do
    pids=()
    for ((k = i; k < i + JOBS && k <= N_TXNS; k++)); do
        # shellcheck disable=SC2046
        vsctl $(txn_args $k) >/dev/null 2>"$TESTDIR/err.$k" &
        pids+=($!)
    done
    killed=false
    if [ $((RANDOM % 8)) = 0 ] || [ $((i - last_kill)) -ge $((12 * JOBS)) ]; then
        last_kill=$i
        # Kill the server while this batch is in flight (or just before or
        # after, depending on the random delay), and restart it.
        sleep "0.$((RANDOM % 6))$((RANDOM % 10))"
        kill_db
        killed=true
        N_KILLS=$((N_KILLS + 1))
        start_db
    fi
    for ((k = i; k < i + ${#pids[@]}; k++)); do
        if wait "${pids[$((k - i))]}"; then
            record_ack $k
            N_ACKED=$((N_ACKED + 1))
        elif ! $killed; then
            fail "transaction $k failed without a kill: $(cat "$TESTDIR/err.$k")"
        fi
        N_RUN=$((N_RUN + 1))
    done
    # What was just acknowledged must have survived the kill.
    $killed && [ $((N_KILLS % 2)) = 0 ] && check_acked "after kill $N_KILLS"
    if [ $SECONDS -ge $deadline ]; then
        info "time budget spent after $N_RUN transactions"
        break
    fi
done
info "$N_ACKED of $N_RUN transactions acknowledged, $N_KILLS kills"
[ $N_KILLS -ge 1 ] && [ $N_KILLS -ge $((N_RUN / (12 * JOBS))) ] \
    || fail "only $N_KILLS kills happened"
[ $N_ACKED -ge $((N_RUN / 2)) ] \
    || fail "only $N_ACKED transactions acknowledged"

check_acked "before the final restart"
kill_db
start_db
check_acked "after the final restart"

info "the file holds what the server served"
stop_dbserver
"$DBTOOL" check "$DB" >/dev/null || fail "tern-dbtool check failed"
"$DBTOOL" show-log "$DB" | grep -q '^record 0: SCHEMA' \
    || fail "show-log lacks the schema record"
expect_eq "$("$DBTOOL" db-version "$DB")" \
    "$("$DBTOOL" schema-version "$VSWITCH_SCHEMA")" "db-version"

info "a garbage tail is cut at start-up"
size=$(stat -c %s "$DB")
printf 'TXN 12 0000\n{"Open_vS' >>"$DB"
start_db
check_acked "after a garbage tail"
stop_dbserver
expect_eq "$(stat -c %s "$DB")" "$size" "size after cutting garbage"

info "a cut last record is dropped at start-up"
start_db
vsctl set Open_vSwitch . external_ids:last=1 || fail "last txn failed"
stop_dbserver
truncate -s -5 "$DB"
start_db
check_acked "after a cut record"
[ -z "$(vsctl get Open_vSwitch . external_ids:last 2>/dev/null)" ] \
    || fail "the cut record was applied"
stop_dbserver
expect_eq "$(stat -c %s "$DB")" "$size" "size after cutting a record"

info "damage before good records is refused, then repaired"
start_db
vsctl set Open_vSwitch . external_ids:x1=1 || fail "x1 failed"
vsctl set Open_vSwitch . external_ids:x2=2 || fail "x2 failed"
stop_dbserver
# Flip one bit inside the JSON of the second-to-last record (x1).
offset=$("$DBTOOL" show-log "$DB" \
    | sed -n 's/^record [0-9]*: TXN, offset \([0-9]*\),.*/\1/p' \
    | tail -n 2 | head -n 1)
[ -n "$offset" ] || fail "no record offsets in show-log"
"$PYTHON" -c 'import sys
path, pos = sys.argv[1], int(sys.argv[2])
data = bytearray(open(path, "rb").read())
data[pos] ^= 0x01
open(path, "wb").write(data)' "$DB" $((offset + 40)) || fail "flip failed"
err=$("$DBSERVER" "$DB" --remote="punix:$DBSOCK" \
    --unixctl="$TESTDIR/refused.ctl" --log-file="$TESTDIR/refused.log" 2>&1) \
    && fail "tern-dbserver opened a damaged database"
echo "$err" | grep -q "offset $offset: record damaged" \
    || fail "unclear message for damage: $err"
echo "$err" | grep -q "tern-dbtool repair" \
    || fail "message does not say how to repair: $err"
"$DBTOOL" repair "$DB" "$TESTDIR/conf.db.bak" | grep -q "cut at offset $offset" \
    || fail "repair did not cut at $offset"
[ -f "$TESTDIR/conf.db.bak" ] || fail "repair kept no backup"
expect_eq "$(stat -c %s "$DB")" "$offset" "size after repair"
start_db
vsctl get Open_vSwitch . _uuid >/dev/null || fail "repaired database"

finish
