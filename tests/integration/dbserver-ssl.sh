#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# tern-dbserver on a "pssl:" listener next to a "punix:" one: ovs-vsctl
# with a certificate signed by the CA the server trusts configures the
# database over TLS; a client whose certificate another CA signed, and a
# client that speaks plain JSON-RPC to the TLS port, are refused while the
# server keeps serving the others.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/dbserver-lib.sh"

command -v ovs-vsctl >/dev/null || skip "ovs-vsctl is not installed"
command -v openssl >/dev/null || skip "openssl is not installed"
[ -f "$VSWITCH_SCHEMA" ] || skip "no $VSWITCH_SCHEMA"

# make_pki NAME: a CA NAME-ca and a key and certificate NAME it signed.
make_pki() {
    local newkey="-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
    (
        cd "$TESTDIR" || exit 1
        # shellcheck disable=SC2086
        openssl req -x509 $newkey -keyout "$1-ca.key" -out "$1-ca.pem" \
            -days 2 -subj "/CN=$1-ca" &&
        # shellcheck disable=SC2086
        openssl req $newkey -keyout "$1.key" -out "$1.csr" \
            -subj "/CN=$1" &&
        openssl x509 -req -in "$1.csr" -CA "$1-ca.pem" -CAkey "$1-ca.key" \
            -CAcreateserial -out "$1.pem" -days 2
    ) >/dev/null 2>&1 || fail "openssl could not make the $1 PKI"
}
make_pki server
make_pki other

PORT=$(free_port)
start_dbserver --schema="$VSWITCH_SCHEMA" "$TESTDIR/conf.db" \
    --remote="punix:$DBSOCK" --remote="pssl:$PORT:127.0.0.1" \
    --private-key="$TESTDIR/server.key" \
    --certificate="$TESTDIR/server.pem" --ca-cert="$TESTDIR/server-ca.pem"
# The refused clients below.
allow_log 'ssl|SSL|TLS|certificate|handshake'

# Runs ovs-vsctl over TLS with the PKI named $1.
vsctl_ssl() {
    local pki=$1
    shift
    ovs-vsctl --db="ssl:127.0.0.1:$PORT" --no-wait --timeout=10 \
        --private-key="$TESTDIR/$pki.key" --certificate="$TESTDIR/$pki.pem" \
        --ca-cert="$TESTDIR/server-ca.pem" "$@"
}

info "ovs-vsctl over TLS"
vsctl_ssl server init || fail "init over TLS"
vsctl_ssl server add-br br0 || fail "add-br over TLS"
expect_eq "$(vsctl_ssl server list-br)" "br0" "list-br over TLS"
expect_eq "$(ovs-vsctl --db="unix:$DBSOCK" --no-wait list-br)" "br0" \
    "list-br over the unix socket"

info "a certificate from another CA is refused"
ovs-vsctl --db="ssl:127.0.0.1:$PORT" --no-wait --timeout=3 \
    --private-key="$TESTDIR/other.key" --certificate="$TESTDIR/other.pem" \
    --ca-cert="$TESTDIR/server-ca.pem" list-br >/dev/null 2>&1 \
    && fail "client with an untrusted certificate was served"

info "plain JSON-RPC on the TLS port is refused"
"$PYTHON" - "$PORT" <<'PYEOF' || fail "plain client"
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.settimeout(10)
s.sendall(b'{"method": "list_dbs", "params": [], "id": 1}')
data = b""
try:
    while True:
        d = s.recv(4096)
        if not d:
            break
        data += d
except (ConnectionResetError, socket.timeout):
    pass
assert b'"result"' not in data, data
PYEOF

expect_eq "$(vsctl_ssl server list-br)" "br0" "still served over TLS"
expect_eq "$(ovs-vsctl --db="unix:$DBSOCK" --no-wait list-br)" "br0" \
    "still served over the unix socket"
finish
