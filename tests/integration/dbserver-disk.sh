#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# tern-dbserver when the disk is full: a transaction the journal cannot
# write is answered with an error (never acknowledged) and the server
# stops; after space is freed, a restart serves every acknowledged
# transaction and none of the failed one.  Needs root (a small tmpfs).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/dbserver-lib.sh"

need_root
DISK=$TESTDIR/disk
mkdir -p "$DISK"
mount -t tmpfs -o size=256k tern-dbserver-test "$DISK" \
    || skip "cannot mount a tmpfs"
on_cleanup "umount '$DISK'"
DB=$DISK/test.db

start_dbserver --schema="$TEST_SCHEMA" "$DB" --remote="punix:$DBSOCK"
allow_log 'cannot write a transaction|No space|I/O error|journal'

# transact X: inserts Free row x=X and prints "ok" or the error.
transact() {
    "$PYTHON" - "$DBSOCK" "$1" <<'PYEOF'
import json, socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.settimeout(20)
s.sendall(json.dumps({"method": "transact", "id": 1, "params": [
    "Test", {"op": "insert", "table": "Free",
             "row": {"x": int(sys.argv[2])}},
    # A record bigger than a page, so it cannot fit in the file's last one.
    {"op": "comment", "comment": "c" * 16384}]}).encode())
dec, buf = json.JSONDecoder(), ""
while True:
    d = s.recv(65536)
    if not d:
        print("closed")
        break
    buf += d.decode()
    try:
        msg, _ = dec.raw_decode(buf)
    except ValueError:
        continue
    print("ok" if msg.get("error") is None else "error %s" % msg["error"])
    break
PYEOF
}

# select: prints the x values of table Free, sorted.
select_x() {
    "$PYTHON" - "$DBSOCK" <<'PYEOF'
import json, socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.settimeout(20)
s.sendall(json.dumps({"method": "transact", "id": 1, "params": [
    "Test", {"op": "select", "table": "Free", "where": []}]}).encode())
dec, buf = json.JSONDecoder(), ""
while True:
    buf += s.recv(65536).decode()
    try:
        msg, _ = dec.raw_decode(buf)
        break
    except ValueError:
        pass
xs = sorted(r["x"] for r in msg["result"][0]["rows"])
print(" ".join(str(x) for x in xs))
PYEOF
}

info "a transaction with room on disk"
expect_eq "$(transact 1)" "ok" "first transaction"

info "disk full: the commit fails and the server stops"
dd if=/dev/zero of="$DISK/fill" bs=4k >/dev/null 2>&1
out=$(transact 2)
case $out in
    "error "*|closed) ;;
    *) fail "transaction on a full disk answered \"$out\"" ;;
esac
wait_until sh -c "! kill -0 $DAEMON_PID" || fail "server kept running"
DAEMON_PID=

info "after freeing space, a restart has exactly the acknowledged rows"
rm -f "$DISK/fill"
start_dbserver "$DB" --remote="punix:$DBSOCK"
expect_eq "$(select_x)" "1" "rows after restart"
expect_eq "$(transact 3)" "ok" "transaction after restart"
expect_eq "$(select_x)" "1 3" "rows after the new transaction"
finish
