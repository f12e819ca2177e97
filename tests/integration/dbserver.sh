#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# tern-dbserver over raw JSON-RPC: two listeners at once (punix and ptcp),
# every RFC 7047 method and Open vSwitch's extensions (monitor_cond,
# monitor_cond_since with update3, monitor_cond_change, locks, wait and
# cancel), and bad input of every class — malformed JSON, non-objects,
# unknown methods, wrong parameters, unknown databases, tables and
# columns, type and constraint violations, oversized and deeply nested
# documents, a client that never reads, many clients — after each of
# which the server still serves everyone else.  Then a restart on the
# same database file keeps every acknowledged transaction.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/dbserver-lib.sh"

DB=$TESTDIR/test.db
PORT=$(free_port)

info "--help, --version, bad options"
"$DBSERVER" --help | grep -q -- '--remote=' || fail "--help"
"$DBSERVER" --version | grep -q '^tern-dbserver (Tern) ' || fail "--version"
"$DBSERVER" --no-such-option >/dev/null 2>&1 && fail "bad option accepted"
"$DBSERVER" --remote=bogus:x "$DB" >/dev/null 2>&1 \
    && fail "bad remote accepted"
"$DBSERVER" "$TESTDIR/missing.db" --log-file="$TESTDIR/x.log" \
    --unixctl="$TESTDIR/x.ctl" >/dev/null 2>&1 && fail "missing db accepted"

info "start on a new database file with two listeners"
start_dbserver --schema="$TEST_SCHEMA" "$DB" --remote="punix:$DBSOCK" \
    --remote="ptcp:$PORT:127.0.0.1"
[ -f "$DB" ] || fail "database file not created"
expect_eq "$(appctl ovsdb-server/list-dbs)" "Test" "list-dbs"
appctl ovsdb-server/list-remotes | grep -q "punix:$DBSOCK" \
    || fail "list-remotes lacks the unix listener"

# Expected warnings: the bad-input cases below.
allow_log 'bad JSON|not JSON-RPC|longer than|backlog'

run_client() {
    "$PYTHON" - "$@" <<'PYEOF' || fail "JSON-RPC checks failed"
import json, socket, sys, time

UNIX, PORT, PHASE = sys.argv[1], int(sys.argv[2]), sys.argv[3]
TIMEOUT = 20
dec = json.JSONDecoder()

class Client:
    def __init__(self, tcp=False):
        if tcp:
            self.s = socket.create_connection(("127.0.0.1", PORT))
        else:
            self.s = socket.socket(socket.AF_UNIX)
            self.s.connect(UNIX)
        self.buf = ""
        self.notes = []
        self.next_id = 0

    def send(self, msg):
        data = msg if isinstance(msg, (str, bytes)) else json.dumps(msg)
        self.s.sendall(data if isinstance(data, bytes) else data.encode())

    def recv(self, timeout=TIMEOUT):
        """Next message, or None at end of stream."""
        deadline = time.time() + timeout
        while True:
            text = self.buf.lstrip()
            if text:
                try:
                    msg, end = dec.raw_decode(text)
                    self.buf = text[end:]
                    return msg
                except ValueError:
                    pass
            left = deadline - time.time()
            if left <= 0:
                raise AssertionError("timed out waiting for a message")
            self.s.settimeout(left)
            data = self.s.recv(1 << 20)
            if not data:
                return None
            self.buf += data.decode()

    def reply(self, rid):
        while True:
            msg = self.recv()
            assert msg is not None, "connection closed, reply %r" % rid
            if msg.get("id") == rid and "method" not in msg:
                return msg
            self.notes.append(msg)

    def call(self, method, params):
        self.next_id += 1
        rid = self.next_id
        self.send({"method": method, "params": params, "id": rid})
        return self.reply(rid)

    def ok(self, method, params):
        r = self.call(method, params)
        assert r.get("error") is None, "%s %r: %r" % (method, params, r)
        return r["result"]

    def notification(self, method):
        for i, n in enumerate(self.notes):
            if n.get("method") == method:
                return self.notes.pop(i)
        while True:
            msg = self.recv()
            assert msg is not None, "closed waiting for %s" % method
            if msg.get("method") == method:
                return msg
            self.notes.append(msg)

    def closed(self):
        while True:
            try:
                msg = self.recv()
            except (ConnectionResetError, BrokenPipeError):
                return True
            if msg is None:
                return True

def error_of(reply):
    e = reply.get("error")
    return e.get("error") if isinstance(e, dict) else e

def check(cond, what):
    if not cond:
        raise AssertionError(what)

def txn(c, *ops):
    return c.ok("transact", ["Test"] + list(ops))

def alive(*clients):
    for c in clients:
        check(c.ok("echo", ["still", "here"]) == ["still", "here"], "echo")

def phase_main():
    a, b = Client(), Client(tcp=True)
    print("--- list_dbs, get_schema, echo on both listeners")
    check(a.ok("list_dbs", []) == ["Test"], "list_dbs")
    check(b.ok("list_dbs", []) == ["Test"], "list_dbs over tcp")
    schema = a.ok("get_schema", ["Test"])
    check(schema["name"] == "Test" and "Item" in schema["tables"], "schema")
    alive(a, b)
    check(len(a.ok("get_server_id", [])) == 36, "get_server_id")
    check(a.ok("set_db_change_aware", [True]) == {}, "set_db_change_aware")

    print("--- unknown methods, wrong params, unknown database")
    check(error_of(a.call("no_such_method", [])) == "unknown method",
          "unknown method")
    a.send({"method": "no_such_method", "params": [], "id": None})
    a.send('[1, 2, 3]')
    r = a.recv()
    check(r.get("id") is None and error_of(r) == "syntax error",
          "non-object: %r" % r)
    a.send('{"method": 5, "params": [], "id": "m"}')
    check(error_of(a.reply("m")) == "syntax error", "method not a string")
    a.send('{"method": "echo", "params": {}, "id": "p"}')
    check(error_of(a.reply("p")) == "syntax error", "params not an array")
    for method, params in [("get_schema", []), ("get_schema", [1]),
                           ("get_schema", ["Test", "x"]),
                           ("transact", []), ("transact", [7]),
                           ("monitor", ["Test"]),
                           ("monitor_cond", ["Test", 1, {}, 2]),
                           ("monitor_cond_since", ["Test", 1, {}, 5]),
                           ("monitor_cancel", []), ("lock", []),
                           ("lock", [1]), ("unlock", ["x"]),
                           ("steal", ["a", "b"]), ("cancel", []),
                           ("set_db_change_aware", ["yes"]),
                           ("monitor_cond_change", [1, 2])]:
        check(error_of(a.call(method, params)) == "syntax error",
              "%s %r accepted" % (method, params))
    for method in ["get_schema", "transact", "monitor"]:
        params = ["Nope", 1, {}] if method == "monitor" else ["Nope"]
        check(error_of(a.call(method, params)) == "unknown database",
              method + " unknown database")
    check(error_of(a.call("monitor_cancel", ["nosuch"])) == "unknown monitor",
          "monitor_cancel of an unknown monitor")
    alive(a)

    print("--- transactions with errors from the engine")
    def op_error(*ops):
        res = a.ok("transact", ["Test"] + list(ops))
        errs = [r["error"] for r in res if r and "error" in r]
        check(errs, "no error in %r" % res)
        return errs[0]
    op_error({"op": "insert", "table": "Nope", "row": {}})
    op_error({"op": "insert", "table": "Free", "row": {"nosuch": 1}})
    op_error({"op": "insert", "table": "Free", "row": {"x": "str"}})
    op_error({"op": "frobnicate", "table": "Free"})
    check(op_error({"op": "insert", "table": "Item",
                    "row": {"name": "a", "n": 1000}})
          == "constraint violation", "range")
    check(op_error({"op": "insert", "table": "Item",
                    "row": {"name": "a", "color": "blue"}})
          == "constraint violation", "enum")
    check(a.ok("transact", ["Test", {"op": "select", "table": "Item",
                                     "where": []}])[0]["rows"] == [],
          "failed transactions changed nothing")

    print("--- monitors: update, update2, update3 before the reply")
    check(a.ok("monitor", ["Test", "m1", {"Free": {"columns": ["x"]}}])
          == {}, "monitor initial")
    check(a.ok("monitor_cond", ["Test", "m2", {"Free": [
        {"columns": ["x"], "where": [["x", ">=", 10]]}]}]) == {},
          "monitor_cond initial")
    found, last, init = a.ok("monitor_cond_since", ["Test", "m3", {
        "Free": [{"columns": ["x"]}]},
        "00000000-0000-0000-0000-000000000000"])
    check(found is False and init == {}, "monitor_cond_since")
    check(error_of(a.call("monitor", ["Test", "m1", {"Free": {}}]))
          == "syntax error", "duplicate monitor id")
    res = txn(a, {"op": "insert", "table": "Free", "row": {"x": 1}})
    uuid = res[0]["uuid"][1]
    kinds = sorted(n["method"] for n in a.notes)
    check(kinds == ["update", "update3"], "updates before reply: %r" % kinds)
    u1 = a.notification("update")["params"]
    check(u1 == ["m1", {"Free": {uuid: {"new": {"x": 1}}}}], "update %r" % u1)
    u3 = a.notification("update3")["params"]
    check(u3[0] == "m3" and u3[2] == {"Free": {uuid: {"insert": {"x": 1}}}},
          "update3 %r" % u3)
    last = u3[1]
    txn(b, {"op": "update", "table": "Free", "where": [], "row": {"x": 12}})
    u2 = a.notification("update2")["params"]
    check(u2 == ["m2", {"Free": {uuid: {"insert": {"x": 12}}}}],
          "update2 entering the condition %r" % u2)
    u1 = a.notification("update")["params"]
    check(u1 == ["m1", {"Free": {uuid: {"old": {"x": 1}, "new": {"x": 12}}}}],
          "update modify %r" % u1)
    u3 = a.notification("update3")["params"]
    check(u3[2] == {"Free": {uuid: {"modify": {"x": 12}}}}, "update3 modify")

    print("--- monitor_cond_change and monitor_cancel")
    check(a.ok("monitor_cond_change", ["m2", "m2b", {
        "Free": [{"where": [["x", "<", 10]]}]}]) == {}, "cond change")
    u2 = a.notification("update2")["params"]
    check(u2 == ["m2b", {"Free": {uuid: {"delete": None}}}],
          "cond change update %r" % u2)
    check(a.ok("monitor_cancel", ["m1"]) == {}, "monitor_cancel")
    check(error_of(a.call("monitor_cond_change", ["m2", "x", {}]))
          == "unknown monitor", "changing the old id")

    print("--- monitor_cond_since: only what was missed")
    c = Client()
    txn(b, {"op": "insert", "table": "Free", "row": {"x": 3}})
    found, last2, upd = c.ok("monitor_cond_since", ["Test", "s", {
        "Free": [{"columns": ["x"]}]}, last])
    check(found is True and len(upd["Free"]) == 2,
          "since: %r %r" % (found, upd))
    check({"insert": {"x": 3}} in upd["Free"].values(), "since insert")
    check(upd["Free"][uuid] == {"modify": {"x": 12}}, "since modify %r" % upd)
    found, last3, upd = c.ok("monitor_cond_since", ["Test", "t", {
        "Free": [{"columns": ["x"]}]}, last2])
    check(found is True and upd == {} and last3 == last2, "since latest")
    found, _, upd = c.ok("monitor_cond_since", ["Test", "u", {
        "Free": [{"columns": ["x"]}]},
        "0badc0de-0000-4000-8000-000000000000"])
    check(found is False and len(upd["Free"]) == 2, "since unknown")

    print("--- locks: lock, steal, unlock with locked/stolen")
    check(a.ok("lock", ["L"]) == {"locked": True}, "lock")
    check(b.ok("lock", ["L"]) == {"locked": False}, "lock queued")
    check(error_of(a.call("lock", ["L"])) == "syntax error", "double lock")
    check(c.ok("steal", ["L"]) == {"locked": True}, "steal")
    check(a.notification("stolen")["params"] == ["L"], "stolen")
    check(c.ok("unlock", ["L"]) == {}, "unlock")
    check(a.notification("locked")["params"] == ["L"], "locked again")
    check(a.ok("unlock", ["L"]) == {}, "unlock a")
    check(b.notification("locked")["params"] == ["L"], "b locked")

    print("--- wait: retried after commits, cancel")
    a.send({"method": "transact", "id": "w", "params": ["Test",
            {"op": "wait", "table": "Free", "where": [["x", "==", 50]],
             "columns": ["x"], "until": "!=", "rows": [],
             "timeout": 60000}]})
    a.send({"method": "transact", "id": "w2", "params": ["Test",
            {"op": "wait", "table": "Free", "where": [["x", "==", 77]],
             "columns": ["x"], "until": "!=", "rows": [],
             "timeout": 60000}]})
    time.sleep(0.3)
    alive(a)
    txn(b, {"op": "insert", "table": "Free", "row": {"x": 50}})
    r = a.reply("w")
    check(r.get("error") is None, "wait satisfied %r" % r)
    a.send({"method": "cancel", "params": ["w2"], "id": None})
    check(error_of(a.reply("w2")) == "canceled", "cancel")
    r = a.call("transact", ["Test", {"op": "wait", "table": "Free",
                                     "where": [], "columns": ["x"],
                                     "until": "==", "rows": [],
                                     "timeout": 200}])
    check("timed out" in json.dumps(r), "wait timeout %r" % r)

    print("--- malformed JSON, deep nesting, oversized: only that client")
    for bad in ['{"method": bad}', '"a string"', '[' * 300 + ']' * 300,
                '{"a": ' * 300 + '1' + '}' * 300]:
        d = Client()
        d.send(bad)
        check(d.closed(), "connection kept after %r" % bad[:20])
        alive(a, b)
    d = Client()
    try:
        d.send('{"method": "echo", "id": 1, "params": ["' +
               'x' * (64 * 1024 * 1024 + 16) + '"]}')
    except (BrokenPipeError, ConnectionResetError):
        pass
    check(d.closed(), "oversized message accepted")
    alive(a, b)

    print("--- a client that never reads is dropped")
    d = Client()
    chunk = json.dumps({"method": "echo", "id": 0,
                        "params": ["y" * (8 << 20)]})
    dropped = False
    try:
        for i in range(40):
            d.send(chunk)
    except (BrokenPipeError, ConnectionResetError):
        dropped = True
    alive(a, b)
    check(dropped or d.closed(), "non-reading client kept")

    print("--- many clients at once")
    many = [Client(tcp=(i % 2 == 1)) for i in range(200)]
    for i, m in enumerate(many):
        m.send({"method": "echo", "params": [i], "id": i})
    for i, m in enumerate(many):
        check(m.reply(i)["result"] == [i], "client %d" % i)
        m.s.close()
    alive(a, b)
    _, cur, _ = a.ok("monitor_cond_since", [
        "Test", "last", {}, "0badc0de-0000-4000-8000-000000000000"])
    with open(sys.argv[4], "w") as f:
        f.write(cur)

def phase_restart():
    a = Client()
    rows = a.ok("transact", ["Test", {"op": "select", "table": "Free",
                                      "where": [], "columns": ["x"]}])
    xs = sorted(r["x"] for r in rows[0]["rows"])
    check(xs == [3, 12, 50], "after restart: %r" % xs)
    with open(sys.argv[4]) as f:
        cur = f.read()
    found, last, upd = a.ok("monitor_cond_since", ["Test", "m", {
        "Free": [{"columns": ["x"]}]}, cur])
    check(found is True and last == cur and upd == {},
          "monitor_cond_since after restart: %r %r %r" % (found, last, upd))

globals()["phase_" + PHASE]()
PYEOF
}

info "JSON-RPC methods and bad input"
run_client "$DBSOCK" "$PORT" main "$TESTDIR/last-txn"

info "the daemon still answers its control socket"
appctl version | grep -q 'tern-dbserver' || fail "version"

info "restart on the same file keeps every committed transaction"
stop_dbserver
start_dbserver "$DB" --remote="punix:$DBSOCK"
run_client "$DBSOCK" 0 restart "$TESTDIR/last-txn"
appctl exit || fail "exit command"
wait_until sh -c "! kill -0 $DAEMON_PID" || fail "exit did not stop it"
DAEMON_PID=
[ ! -e "$DBSOCK" ] || fail "listening socket left behind"
check_log
check_sanitizers
info PASS
