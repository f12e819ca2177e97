/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of the bridge layer's pure parts: decoding OVSDB values from
 * the replica (vswitchd/idl.h), choosing port numbers, building EAL
 * arguments and datapath settings from Open_vSwitch:other_config, the
 * bridge MAC and datapath ID, and logging unimplemented settings once.
 * The idl's conversation is checked against a scripted server in this
 * process; the whole bridge layer against a real database server is
 * tests/integration/bridge.sh.
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "lib/jsonrpc.h"
#include "lib/vlog.h"
#include "tests/unit/test-common.h"
#include "vswitchd/bridge-private.h"
#include "vswitchd/idl.h"

static json_t *
parse(const char *text)
{
    json_error_t error;
    json_t *j = json_loads(text, JSON_DECODE_ANY, &error);

    assert_non_null(j);
    return j;
}

static void
test_idl_scalars(void **state TERN_UNUSED)
{
    json_t *row = parse("{\"name\": \"br0\", \"type\": [\"set\", []],"
                        " \"mac\": [\"set\", [\"02:00:00:00:00:01\"]],"
                        " \"ofport\": 7, \"ofport_request\": [\"set\", []],"
                        " \"mtu\": [\"set\", [1500]], \"up\": true}");
    long long v = 0;

    assert_string_equal(idl_get_string(row, "name", NULL), "br0");
    assert_string_equal(idl_get_string(row, "type", "dflt"), "dflt");
    assert_string_equal(idl_get_string(row, "mac", NULL), "02:00:00:00:00:01");
    assert_string_equal(idl_get_string(row, "absent", "x"), "x");
    assert_true(idl_get_int(row, "ofport", &v));
    assert_int_equal(v, 7);
    assert_true(idl_get_int(row, "mtu", &v));
    assert_int_equal(v, 1500);
    assert_false(idl_get_int(row, "ofport_request", &v));
    assert_false(idl_get_int(row, "name", &v));
    assert_true(idl_get_bool(row, "up", false));
    assert_false(idl_get_bool(row, "absent", false));
    json_decref(row);
}

static void
test_idl_maps_and_refs(void **state TERN_UNUSED)
{
    json_t *row =
        parse("{\"options\": [\"map\", [[\"a\", \"1\"], [\"b\", \"2\"]]],"
              " \"one\": [\"uuid\", \"11111111-1111-4111-8111-111111111111\"],"
              " \"many\": [\"set\", [[\"uuid\", "
              "\"22222222-2222-4222-8222-222222222222\"], [\"uuid\", "
              "\"33333333-3333-4333-8333-333333333333\"]]],"
              " \"none\": [\"set\", []]}");
    struct smap smap = SMAP_INITIALIZER;
    const char **uuids;
    size_t n;

    idl_get_smap(row, "options", &smap);
    assert_int_equal(smap_count(&smap), 2);
    assert_string_equal(smap_get(&smap, "b"), "2");
    smap_destroy(&smap);

    uuids = idl_get_uuids(row, "one", &n);
    assert_int_equal(n, 1);
    assert_string_equal(uuids[0], "11111111-1111-4111-8111-111111111111");
    free(uuids);
    uuids = idl_get_uuids(row, "many", &n);
    assert_int_equal(n, 2);
    assert_string_equal(uuids[1], "33333333-3333-4333-8333-333333333333");
    free(uuids);
    uuids = idl_get_uuids(row, "none", &n);
    assert_int_equal(n, 0);
    free(uuids);
    json_decref(row);
}

static void
test_idl_is_default(void **state TERN_UNUSED)
{
    json_t *row = parse("{\"s\": \"\", \"i\": 0, \"b\": false,"
                        " \"set\": [\"set\", []], \"map\": [\"map\", []],"
                        " \"tag\": 20, \"on\": true, \"m\": [\"map\","
                        " [[\"k\", \"v\"]]], \"str\": \"x\"}");

    assert_true(idl_is_default(row, "absent"));
    assert_true(idl_is_default(row, "s"));
    assert_true(idl_is_default(row, "i"));
    assert_true(idl_is_default(row, "b"));
    assert_true(idl_is_default(row, "set"));
    assert_true(idl_is_default(row, "map"));
    assert_false(idl_is_default(row, "tag"));
    assert_false(idl_is_default(row, "on"));
    assert_false(idl_is_default(row, "m"));
    assert_false(idl_is_default(row, "str"));
    json_decref(row);
}

static void
test_idl_datum_equal(void **state TERN_UNUSED)
{
    json_t *atom = parse("5");
    json_t *set1 = parse("[\"set\", [5]]");
    json_t *empty = parse("[\"set\", []]");
    json_t *m1 = parse("[\"map\", [[\"a\", 1], [\"b\", 2]]]");
    json_t *m2 = parse("[\"map\", [[\"b\", 2], [\"a\", 1]]]");
    json_t *m3 = parse("[\"map\", [[\"a\", 1], [\"b\", 3]]]");
    json_t *str = parse("\"up\"");

    assert_true(idl_datum_equal(atom, set1));
    assert_true(idl_datum_equal(set1, atom));
    assert_true(idl_datum_equal(NULL, empty));
    assert_false(idl_datum_equal(NULL, atom));
    assert_false(idl_datum_equal(atom, empty));
    assert_true(idl_datum_equal(m1, m2));
    assert_false(idl_datum_equal(m1, m3));
    assert_false(idl_datum_equal(str, atom));
    json_decref(atom);
    json_decref(set1);
    json_decref(empty);
    json_decref(m1);
    json_decref(m2);
    json_decref(m3);
    json_decref(str);
}

static void
test_idl_builders(void **state TERN_UNUSED)
{
    struct smap smap = SMAP_INITIALIZER;
    json_t *m, *op, *expect;

    smap_replace(&smap, "z", "1");
    smap_replace(&smap, "a", "2");
    m = idl_smap_to_json(&smap);
    expect = parse("[\"map\", [[\"a\", \"2\"], [\"z\", \"1\"]]]");
    assert_true(json_equal(m, expect));
    json_decref(expect);
    json_decref(m);
    smap_destroy(&smap);

    op = idl_update_op("Interface", "44444444-4444-4444-8444-444444444444",
                       json_pack("{s:i}", "ofport", 3));
    expect = parse("{\"op\": \"update\", \"table\": \"Interface\","
                   " \"where\": [[\"_uuid\", \"==\", [\"uuid\","
                   " \"44444444-4444-4444-8444-444444444444\"]]],"
                   " \"row\": {\"ofport\": 3}}");
    assert_true(json_equal(op, expect));
    json_decref(expect);
    json_decref(op);
}

static void
test_pick_port_no(void **state TERN_UNUSED)
{
    bool used[DPIF_MAX_PORTS] = {false};
    bool requested[DPIF_MAX_PORTS] = {false};

    used[0] = used[1] = used[3] = true;
    requested[2] = true;
    /* A free request wins, even over the lowest free number. */
    assert_int_equal(iface_pick_port_no(used, requested, 10, 0), 10);
    /* A taken request falls back to the hint, then the lowest free. */
    assert_int_equal(iface_pick_port_no(used, requested, 3, 8), 8);
    assert_int_equal(iface_pick_port_no(used, requested, 3, 0), 4);
    /* The hint must be free and not requested by someone else. */
    assert_int_equal(iface_pick_port_no(used, requested, 0, 2), 4);
    assert_int_equal(iface_pick_port_no(used, requested, 0, 1), 4);
    /* Out-of-range requests and hints are ignored. */
    assert_int_equal(iface_pick_port_no(used, requested, 65279, 0), 4);
    assert_int_equal(iface_pick_port_no(used, requested, 0, -1), 4);
    for (int i = 0; i < DPIF_MAX_PORTS; i++) {
        used[i] = i != 2;
    }
    /* The only free number is requested by another interface. */
    assert_int_equal(iface_pick_port_no(used, requested, 0, 0), DPIF_PORT_ANY);
    assert_int_equal(iface_pick_port_no(used, requested, 2, 0), 2);
}

static void
test_dpdk_args(void **state TERN_UNUSED)
{
    struct smap cfg = SMAP_INITIALIZER;
    char *args;

    args = bridge_dpdk_args_from_config(&cfg, NULL);
    assert_string_equal(args, "");
    free(args);

    smap_replace(&cfg, "dpdk-extra", "-m 256 --file-prefix=t");
    smap_replace(&cfg, "dpdk-socket-mem", "1024,0");
    smap_replace(&cfg, "dpdk-lcore-mask", "0x3");
    smap_replace(&cfg, "pmd-cpu-mask", "0x2");
    args = bridge_dpdk_args_from_config(&cfg, "--log-level=8");
    assert_string_equal(args, "-c 0x3 --socket-mem=1024,0 -m 256 "
                              "--file-prefix=t --log-level=8");
    free(args);
    smap_destroy(&cfg);
}

static void
test_dpdk_mbufs(void **state TERN_UNUSED)
{
    struct smap cfg = SMAP_INITIALIZER;

    assert_int_equal(bridge_dpdk_mbufs_from_config(&cfg), 0);
    smap_replace(&cfg, "dpdk-mbufs", "65536");
    assert_int_equal(bridge_dpdk_mbufs_from_config(&cfg), 65536);
    /* Out of range or not a number: the built-in default. */
    smap_replace(&cfg, "dpdk-mbufs", "100");
    assert_int_equal(bridge_dpdk_mbufs_from_config(&cfg), 0);
    smap_replace(&cfg, "dpdk-mbufs", "lots");
    assert_int_equal(bridge_dpdk_mbufs_from_config(&cfg), 0);
    smap_replace(&cfg, "dpdk-mbufs", "99999999999");
    assert_int_equal(bridge_dpdk_mbufs_from_config(&cfg), 0);
    /* Not an EAL argument. */
    char *args = bridge_dpdk_args_from_config(&cfg, NULL);
    assert_string_equal(args, "");
    free(args);
    smap_destroy(&cfg);
}

static void
test_dp_config(void **state TERN_UNUSED)
{
    struct smap ovs = SMAP_INITIALIZER;
    struct smap dp = SMAP_INITIALIZER;

    smap_replace(&ovs, "pmd-cpu-mask", "0x2");
    smap_replace(&ovs, "max-idle", "5000");
    smap_replace(&ovs, "flow-limit", "1000");
    smap_replace(&ovs, "dpdk-extra", "-m 1");
    smap_replace(&ovs, "vlan-limit", "2");
    bridge_dp_config(&ovs, &dp);
    assert_int_equal(smap_count(&dp), 3);
    assert_string_equal(smap_get(&dp, "pmd-cpu-mask"), "0x2");
    assert_string_equal(smap_get(&dp, "max-idle"), "5000");
    assert_string_equal(smap_get(&dp, "flow-limit"), "1000");
    smap_destroy(&ovs);
    smap_destroy(&dp);
}

static void
test_mac_and_dpid(void **state TERN_UNUSED)
{
    struct smap cfg = SMAP_INITIALIZER;
    struct eth_addr a, b, c;
    char dpid[17];

    bridge_pick_mac("br0", &cfg, &a);
    bridge_pick_mac("br0", &cfg, &b);
    bridge_pick_mac("br1", &cfg, &c);
    assert_memory_equal(&a, &b, sizeof a);
    assert_memory_not_equal(&a, &c, sizeof a);
    assert_int_equal(a.ea[0] & 3, 2); /* Local, unicast. */
    bridge_datapath_id(&cfg, &a, dpid);
    assert_int_equal(strlen(dpid), 16);
    assert_memory_equal(dpid, "000002", 6);

    smap_replace(&cfg, "hwaddr", "0a:00:00:00:00:09");
    bridge_pick_mac("br0", &cfg, &a);
    bridge_datapath_id(&cfg, &a, dpid);
    assert_string_equal(dpid, "00000a0000000009");
    /* A multicast hwaddr is not a bridge address. */
    smap_replace(&cfg, "hwaddr", "01:00:00:00:00:09");
    bridge_pick_mac("br0", &cfg, &a);
    assert_memory_equal(&a, &b, sizeof a);

    smap_replace(&cfg, "datapath-id", "0x00000000000000AB");
    bridge_datapath_id(&cfg, &a, dpid);
    assert_string_equal(dpid, "00000000000000ab");
    smap_replace(&cfg, "datapath-id", "12345");
    bridge_datapath_id(&cfg, &a, dpid);
    assert_memory_equal(dpid, "000002", 6);
    smap_destroy(&cfg);
}

static void
test_report_unimplemented_once(void **state TERN_UNUSED)
{
    const char *uuid = "55555555-5555-4555-8555-555555555555";
    json_t *tagged = parse("{\"name\": \"p1\", \"tag\": 20}");
    json_t *plain = parse("{\"name\": \"p1\", \"tag\": [\"set\", []]}");
    unsigned long before = vlog_n_warnings();

    assert_true(bridge_report_unimplemented("Port", uuid, tagged, "tag"));
    assert_true(bridge_report_unimplemented("Port", uuid, tagged, "tag"));
    assert_int_equal(vlog_n_warnings(), before + 1);
    /* Cleared, then set again: logged again. */
    assert_false(bridge_report_unimplemented("Port", uuid, plain, "tag"));
    assert_int_equal(vlog_n_warnings(), before + 1);
    assert_true(bridge_report_unimplemented("Port", uuid, tagged, "tag"));
    assert_int_equal(vlog_n_warnings(), before + 2);
    json_decref(tagged);
    json_decref(plain);
}

/* ---- The idl against a scripted server. ---- */

struct fake_server {
    char dir[128];
    char *remote;
    struct pstream *listener;
    struct jsonrpc *conn;
};

static void
fake_start(struct fake_server *fs)
{
    char *name;

    assert_int_equal(test_tmpdir_create(fs->dir, sizeof fs->dir, "idl"), 0);
    name = xasprintf("punix:%s/db.sock", fs->dir);
    assert_int_equal(pstream_open(name, &fs->listener), 0);
    fs->remote = xasprintf("unix:%s/db.sock", fs->dir);
    fs->conn = NULL;
    free(name);
}

static void
fake_stop(struct fake_server *fs)
{
    char *path = xasprintf("%s/db.sock", fs->dir);

    jsonrpc_close(fs->conn);
    pstream_close(fs->listener);
    unlink(path);
    rmdir(fs->dir);
    free(path);
    free(fs->remote);
}

/* Runs 'idl' and the server until the server receives a request, which
 * it returns (new reference).  Accepts the connection on the way. */
static json_t *
fake_recv(struct fake_server *fs, struct idl *idl)
{
    for (int i = 0; i < 5000; i++) {
        json_t *msg;

        idl_run(idl);
        if (!fs->conn) {
            struct stream *stream;

            if (!pstream_accept(fs->listener, &stream)) {
                fs->conn = jsonrpc_open(stream);
            }
        } else {
            jsonrpc_run(fs->conn);
            if (!jsonrpc_recv(fs->conn, &msg)) {
                return msg;
            }
        }
        test_sleep_msec(1);
    }
    fail_msg("no request from the idl");
    return NULL;
}

static void
fake_reply(struct fake_server *fs, const json_t *request, json_t *result)
{
    json_t *reply = json_pack("{s:o, s:n, s:O}", "result", result, "error",
                              "id", json_object_get(request, "id"));

    assert_int_equal(jsonrpc_send(fs->conn, reply), 0);
    assert_int_equal(jsonrpc_run(fs->conn), 0);
    json_decref(reply);
}

static void
fake_notify(struct fake_server *fs, json_t *params)
{
    json_t *msg = json_pack("{s:s, s:o, s:n}", "method", "update", "params",
                            params, "id");

    assert_int_equal(jsonrpc_send(fs->conn, msg), 0);
    assert_int_equal(jsonrpc_run(fs->conn), 0);
    json_decref(msg);
}

static const char *
method_of(const json_t *msg)
{
    return json_string_value(json_object_get(msg, "method"));
}

/* Runs 'idl' until its seqno moves past 'seqno'. */
static void
wait_seqno(struct idl *idl, unsigned int seqno)
{
    for (int i = 0; i < 5000 && idl_get_seqno(idl) == seqno; i++) {
        idl_run(idl);
        test_sleep_msec(1);
    }
    assert_int_not_equal(idl_get_seqno(idl), seqno);
}

#define U1 "11111111-1111-4111-8111-111111111111"
#define U2 "22222222-2222-4222-8222-222222222222"

/* Answers get_schema and monitor on a new connection with one Bridge row
 * named 'name', and checks what the monitor asked for. */
static void
fake_handshake(struct fake_server *fs, struct idl *idl, const char *name)
{
    json_t *req = fake_recv(fs, idl);
    json_t *tables, *expect = json_pack("[s]", "name");
    unsigned int seqno;

    assert_string_equal(method_of(req), "get_schema");
    fake_reply(fs, req,
               parse("{\"name\": \"Open_vSwitch\", \"version\": \"1.2.3\","
                     " \"tables\": {\"Bridge\": {\"columns\": {\"name\":"
                     " {\"type\": \"string\"}}}}}"));
    json_decref(req);

    req = fake_recv(fs, idl);
    assert_string_equal(method_of(req), "monitor");
    /* Only the column the schema has is monitored; the table the schema
     * lacks is left out. */
    tables = json_array_get(json_object_get(req, "params"), 2);
    assert_int_equal(json_object_size(tables), 1);
    assert_true(json_equal(
        json_object_get(json_object_get(tables, "Bridge"), "columns"),
        expect));
    json_decref(expect);
    assert_false(idl_has_contents(idl));
    seqno = idl_get_seqno(idl);
    fake_reply(
        fs, req,
        json_pack("{s:{s:{s:{s:s}}}}", "Bridge", U1, "new", "name", name));
    json_decref(req);
    wait_seqno(idl, seqno);
    assert_true(idl_has_contents(idl));
}

static void
test_idl_session(void **state TERN_UNUSED)
{
    static const char *const bridge_cols[] = {"name", "ports", NULL};
    static const char *const iface_cols[] = {"name", NULL};
    static const struct idl_table_spec tables[] = {
        {"Bridge", bridge_cols},
        {"Interface", iface_cols},
    };
    struct fake_server fs;
    struct idl *idl;
    unsigned int seqno;
    json_t *req;

    fake_start(&fs);
    idl = idl_create(fs.remote, "Open_vSwitch", tables, ARRAY_SIZE(tables));
    fake_handshake(&fs, idl, "br0");
    assert_string_equal(idl_schema_version(idl), "1.2.3");
    assert_true(idl_has_column(idl, "Bridge", "name"));
    assert_false(idl_has_column(idl, "Bridge", "ports"));
    assert_string_equal(
        idl_get_string(idl_row(idl, "Bridge", U1), "name", NULL), "br0");

    /* Updates: insert, modify, delete. */
    seqno = idl_get_seqno(idl);
    fake_notify(&fs, json_pack("[n, {s:{s:{s:{s:s}}, s:{s:{s:s}, s:{s:s}}}}]",
                               "Bridge", U2, "new", "name", "br1", U1, "old",
                               "name", "br0", "new", "name", "brX"));
    wait_seqno(idl, seqno);
    assert_string_equal(
        idl_get_string(idl_row(idl, "Bridge", U1), "name", NULL), "brX");
    assert_non_null(idl_row(idl, "Bridge", U2));
    seqno = idl_get_seqno(idl);
    fake_notify(&fs, json_pack("[n, {s:{s:{s:{s:s}}}}]", "Bridge", U2, "old",
                               "name", "br1"));
    wait_seqno(idl, seqno);
    assert_null(idl_row(idl, "Bridge", U2));

    /* A transaction goes out with the database name first. */
    assert_int_equal(idl_transact(idl, json_pack("[{s:s}]", "op", "comment")),
                     0);
    assert_int_equal(idl_n_pending(idl), 1);
    req = fake_recv(&fs, idl);
    assert_string_equal(method_of(req), "transact");
    assert_string_equal(
        json_string_value(json_array_get(json_object_get(req, "params"), 0)),
        "Open_vSwitch");
    fake_reply(&fs, req, json_pack("[{}]"));
    json_decref(req);
    for (int i = 0; i < 5000 && idl_n_pending(idl); i++) {
        idl_run(idl);
        test_sleep_msec(1);
    }
    assert_int_equal(idl_n_pending(idl), 0);

    /* The server goes away: the replica empties, and a new connection
     * starts over with the schema and the monitor. */
    jsonrpc_close(fs.conn);
    fs.conn = NULL;
    for (int i = 0; i < 5000 && idl_has_contents(idl); i++) {
        idl_run(idl);
        test_sleep_msec(1);
    }
    assert_false(idl_has_contents(idl));
    assert_null(idl_row(idl, "Bridge", U1));
    assert_int_equal(idl_transact(idl, json_array()), ENOTCONN);
    fake_handshake(&fs, idl, "br9");
    assert_string_equal(
        idl_get_string(idl_row(idl, "Bridge", U1), "name", NULL), "br9");
    idl_destroy(idl);
    fake_stop(&fs);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_idl_scalars),
        cmocka_unit_test(test_idl_maps_and_refs),
        cmocka_unit_test(test_idl_is_default),
        cmocka_unit_test(test_idl_datum_equal),
        cmocka_unit_test(test_idl_builders),
        cmocka_unit_test(test_pick_port_no),
        cmocka_unit_test(test_dpdk_args),
        cmocka_unit_test(test_dpdk_mbufs),
        cmocka_unit_test(test_dp_config),
        cmocka_unit_test(test_mac_and_dpid),
        cmocka_unit_test(test_report_unimplemented_once),
        cmocka_unit_test(test_idl_session),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
