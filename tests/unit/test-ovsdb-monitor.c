/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Tests for ovsdb-monitor (the update, update2 and update3 contents
 * tern-dbserver sends to monitoring clients, conditions and their changes,
 * and the transaction history behind monitor_cond_since) and for
 * ovsdb-locks (lock queues, steal, release).  A small schema is run
 * through the real engine: each test commits transactions with
 * ovsdb_execute() and compares what the monitor reports with the JSON it
 * must be.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "ovsdb/ovsdb-locks.h"
#include "ovsdb/ovsdb-monitor.h"
#include "ovsdb/ovsdb.h"
#include "tests/unit/test-common.h"

static const char schema_text[] =
    "{\"name\": \"Test\", \"version\": \"1.0.0\", \"tables\": {"
    " \"T\": {\"isRoot\": true, \"columns\": {"
    "  \"name\": {\"type\": \"string\"},"
    "  \"n\": {\"type\": \"integer\"},"
    "  \"opt\": {\"type\": {\"key\": \"integer\", \"min\": 0, \"max\": 1}},"
    "  \"tags\": {\"type\": {\"key\": \"string\", \"min\": 0,"
    "                        \"max\": \"unlimited\"}},"
    "  \"m\": {\"type\": {\"key\": \"string\", \"value\": \"string\","
    "                     \"min\": 0, \"max\": \"unlimited\"}}}},"
    " \"U\": {\"isRoot\": true, \"columns\": {"
    "  \"x\": {\"type\": \"integer\"}}}}}";

struct fixture {
    struct ovsdb *db;
};

static int
setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    struct ovsdb_schema *schema;
    json_t *json = json_loads(schema_text, 0, NULL);

    assert_non_null(json);
    assert_null(ovsdb_schema_from_json(json, &schema));
    json_decref(json);
    f->db = ovsdb_create(schema);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;

    ovsdb_destroy(f->db);
    free(f);
    return 0;
}

/* Asserts that 'actual' (consumed; NULL allowed) equals 'expected'. */
static void
assert_json(json_t *actual, const char *expected)
{
    json_t *exp = expected ? test_json(expected) : NULL;

    if (!exp || !actual || !json_equal(actual, exp)) {
        char *a = actual ? json_dumps(actual, JSON_SORT_KEYS) : NULL;

        fail_msg("got %s\nexpected %s", a ? a : "NULL",
                 expected ? expected : "NULL");
    }
    json_decref(exp);
    json_decref(actual);
}

/* Runs the operations 'ops' (a JSON array text) and returns the snapshot
 * of what they committed (NULL if nothing). */
static struct ovsdb_monitor_txn *
run_txn(struct fixture *f, const char *ops, json_t **resultp)
{
    struct ovsdb_execute_ctx ctx = {NULL, NULL, false};
    json_t *params = test_json(ops);
    struct ovsdb_changes *changes = NULL;
    struct ovsdb_monitor_txn *txn = NULL;
    json_t *result = NULL;
    long long retry;

    json_array_insert_new(params, 0, json_string("Test"));
    assert_int_equal(
        ovsdb_execute(f->db, params, &ctx, 0, &result, &changes, &retry),
        OVSDB_EXEC_DONE);
    json_decref(params);
    if (changes) {
        txn = ovsdb_monitor_txn_from_changes(changes);
        ovsdb_changes_destroy(changes);
    }
    if (resultp) {
        *resultp = result;
    } else {
        json_decref(result);
    }
    return txn;
}

/* Inserts a row into T and returns its UUID text in 'buf'. */
static struct ovsdb_monitor_txn *
insert_row(struct fixture *f, const char *row, char buf[UUID_LEN + 1])
{
    char *ops = xasprintf("[{\"op\": \"insert\", \"table\": \"T\", "
                          "\"row\": %s}]",
                          row);
    json_t *result;
    struct ovsdb_monitor_txn *txn = run_txn(f, ops, &result);
    const json_t *uuid =
        json_array_get(json_object_get(json_array_get(result, 0), "uuid"), 1);

    assert_true(json_is_string(uuid));
    snprintf(buf, UUID_LEN + 1, "%s", json_string_value(uuid));
    json_decref(result);
    free(ops);
    return txn;
}

static struct ovsdb_monitor_txn *
update_row(struct fixture *f, const char *uuid, const char *row)
{
    char *ops = xasprintf("[{\"op\": \"update\", \"table\": \"T\", "
                          "\"where\": [[\"_uuid\", \"==\", "
                          "[\"uuid\", \"%s\"]]], \"row\": %s}]",
                          uuid, row);
    struct ovsdb_monitor_txn *txn = run_txn(f, ops, NULL);

    free(ops);
    return txn;
}

static struct ovsdb_monitor_txn *
delete_row(struct fixture *f, const char *uuid)
{
    char *ops = xasprintf("[{\"op\": \"delete\", \"table\": \"T\", "
                          "\"where\": [[\"_uuid\", \"==\", "
                          "[\"uuid\", \"%s\"]]]}]",
                          uuid);
    struct ovsdb_monitor_txn *txn = run_txn(f, ops, NULL);

    free(ops);
    return txn;
}

static struct ovsdb_monitor *
make_monitor(struct fixture *f, enum ovsdb_monitor_version v,
             const char *requests)
{
    struct ovsdb_monitor *mon;
    json_t *req = test_json(requests);

    assert_null(ovsdb_monitor_create(f->db, v, req, &mon));
    json_decref(req);
    return mon;
}

static char *
fmt(const char *pattern, const char *uuid)
{
    return xasprintf(pattern, uuid, uuid, uuid);
}

static void
assert_updates(json_t *actual, const char *pattern, const char *uuid)
{
    char *expected = fmt(pattern, uuid);

    assert_json(actual, expected);
    free(expected);
}

/* Fails unless 'mon' reports for 'txn' (consumed) the updates 'pattern'
 * with 'uuid' filled in, or nothing if 'pattern' is NULL. */
static void
expect_txn_updates(struct ovsdb_monitor *mon, struct ovsdb_monitor_txn *txn,
                   const char *pattern, const char *uuid)
{
    json_t *updates = ovsdb_monitor_updates(mon, txn);

    if (pattern) {
        assert_updates(updates, pattern, uuid);
    } else {
        assert_null(updates);
    }
    ovsdb_monitor_txn_destroy(txn);
}

/* V1: initial rows carry every monitored column; modifies carry the old
 * values of changed columns and the whole new row; deletes the old row. */
static void
test_monitor_v1(void **state)
{
    struct fixture *f = *state;
    struct ovsdb_monitor *mon;
    char u[UUID_LEN + 1];

    ovsdb_monitor_txn_destroy(insert_row(f, "{\"name\": \"a\", \"n\": 1}", u));
    mon = make_monitor(f, OVSDB_MONITOR_V1,
                       "{\"T\": {\"columns\": [\"name\", \"n\", \"tags\"]}}");
    assert_updates(ovsdb_monitor_initial(mon, f->db),
                   "{\"T\": {\"%s\": {\"new\": {\"name\": \"a\", \"n\": 1,"
                   " \"tags\": [\"set\", []]}}}}",
                   u);

    expect_txn_updates(
        mon,
        update_row(f, u, "{\"n\": 2, \"m\": [\"map\", [[\"k\", \"v\"]]]}"),
        "{\"T\": {\"%s\": {\"old\": {\"n\": 1}, \"new\": "
        "{\"name\": \"a\", \"n\": 2, \"tags\": [\"set\", []]}}}}",
        u);

    /* Only an unmonitored column changes: nothing to report. */
    expect_txn_updates(mon, update_row(f, u, "{\"m\": [\"map\", []]}"), NULL,
                       NULL);

    expect_txn_updates(mon, delete_row(f, u),
                       "{\"T\": {\"%s\": {\"old\": {\"name\": \"a\", \"n\": 2,"
                       " \"tags\": [\"set\", []]}}}}",
                       u);
    ovsdb_monitor_destroy(mon);
}

/* V2: inserts omit default values; modifies carry differences. */
static void
test_monitor_v2_diff(void **state)
{
    struct fixture *f = *state;
    struct ovsdb_monitor *mon;
    char u[UUID_LEN + 1];

    mon = make_monitor(f, OVSDB_MONITOR_V2,
                       "{\"T\": [{\"columns\": [\"name\", \"n\", \"opt\", "
                       "\"tags\", \"m\"]}]}");
    assert_json(ovsdb_monitor_initial(mon, f->db), "{}");

    expect_txn_updates(
        mon,
        insert_row(f,
                   "{\"name\": \"a\", \"tags\": [\"set\", [\"x\", \"y\"]],"
                   " \"m\": [\"map\", [[\"k1\", \"v1\"], [\"k2\", "
                   "\"v2\"]]]}",
                   u),
        "{\"T\": {\"%s\": {\"insert\": {\"name\": \"a\", "
        "\"tags\": [\"set\", [\"x\", \"y\"]], \"m\": [\"map\", "
        "[[\"k1\", \"v1\"], [\"k2\", \"v2\"]]]}}}}",
        u);

    /* Set: elements in only one side; map: pairs added, removed and
     * changed (new value); optional: the new value. */
    expect_txn_updates(
        mon,
        update_row(f, u,
                   "{\"n\": 5, \"opt\": 7, \"tags\": [\"set\", [\"y\", "
                   "\"z\"]], \"m\": [\"map\", [[\"k2\", \"w\"], [\"k3\", "
                   "\"v3\"]]]}"),
        "{\"T\": {\"%s\": {\"modify\": {\"n\": 5, \"opt\": 7, "
        "\"tags\": [\"set\", [\"x\", \"z\"]], \"m\": [\"map\", "
        "[[\"k1\", \"v1\"], [\"k2\", \"w\"], [\"k3\", "
        "\"v3\"]]]}}}}",
        u);

    expect_txn_updates(mon, update_row(f, u, "{\"opt\": [\"set\", []]}"),
                       "{\"T\": {\"%s\": {\"modify\": {\"opt\": [\"set\", "
                       "[]]}}}}",
                       u);

    expect_txn_updates(mon, delete_row(f, u),
                       "{\"T\": {\"%s\": {\"delete\": null}}}", u);
    ovsdb_monitor_destroy(mon);
}

/* Default columns: everything but _uuid, including _version. */
static void
test_monitor_all_columns(void **state)
{
    struct fixture *f = *state;
    struct ovsdb_monitor *mon;
    char u[UUID_LEN + 1];
    json_t *init, *row;

    ovsdb_monitor_txn_destroy(insert_row(f, "{\"name\": \"a\"}", u));
    mon = make_monitor(f, OVSDB_MONITOR_V1, "{\"T\": {}}");
    init = ovsdb_monitor_initial(mon, f->db);
    row =
        json_object_get(json_object_get(json_object_get(init, "T"), u), "new");
    assert_non_null(row);
    assert_non_null(json_object_get(row, "_version"));
    assert_null(json_object_get(row, "_uuid"));
    assert_non_null(json_object_get(row, "m"));
    assert_int_equal(json_object_size(row), 6);
    json_decref(init);
    ovsdb_monitor_destroy(mon);
}

/* Conditions: rows entering and leaving the condition become inserts and
 * deletes; "select" filters kinds of change. */
static void
test_monitor_conditions(void **state)
{
    struct fixture *f = *state;
    struct ovsdb_monitor_txn *txn;
    struct ovsdb_monitor *mon, *mon_noinit;
    char a[UUID_LEN + 1], b[UUID_LEN + 1];

    ovsdb_monitor_txn_destroy(insert_row(f, "{\"name\": \"a\", \"n\": 1}", a));
    ovsdb_monitor_txn_destroy(insert_row(f, "{\"name\": \"b\", \"n\": 2}", b));
    mon = make_monitor(f, OVSDB_MONITOR_V2,
                       "{\"T\": [{\"columns\": [\"n\"], \"where\": "
                       "[[\"name\", \"==\", \"a\"], [\"n\", \">\", 10]]}]}");
    assert_updates(ovsdb_monitor_initial(mon, f->db),
                   "{\"T\": {\"%s\": {\"initial\": {\"n\": 1}}}}", a);
    mon_noinit = make_monitor(f, OVSDB_MONITOR_V2,
                              "{\"T\": [{\"where\": [false], \"select\": "
                              "{\"initial\": false}}]}");
    assert_json(ovsdb_monitor_initial(mon_noinit, f->db), "{}");

    /* b starts matching (n > 10): insert. */
    txn = update_row(f, b, "{\"n\": 11}");
    assert_updates(ovsdb_monitor_updates(mon, txn),
                   "{\"T\": {\"%s\": {\"insert\": {\"n\": 11}}}}", b);
    assert_null(ovsdb_monitor_updates(mon_noinit, txn));
    ovsdb_monitor_txn_destroy(txn);

    /* a stops matching: delete. */
    expect_txn_updates(mon, update_row(f, a, "{\"name\": \"c\"}"),
                       "{\"T\": {\"%s\": {\"delete\": null}}}", a);

    /* A row that never matched changes: nothing. */
    expect_txn_updates(mon, update_row(f, a, "{\"n\": 3}"), NULL, NULL);
    ovsdb_monitor_destroy(mon);
    ovsdb_monitor_destroy(mon_noinit);
}

static void
test_monitor_select(void **state)
{
    struct fixture *f = *state;
    struct ovsdb_monitor *mon;
    char a[UUID_LEN + 1];

    mon = make_monitor(f, OVSDB_MONITOR_V2,
                       "{\"T\": [{\"columns\": [\"n\"], \"select\": "
                       "{\"insert\": false, \"modify\": false}}]}");
    expect_txn_updates(mon, insert_row(f, "{\"n\": 1}", a), NULL, NULL);
    expect_txn_updates(mon, update_row(f, a, "{\"n\": 2}"), NULL, NULL);
    expect_txn_updates(mon, delete_row(f, a),
                       "{\"T\": {\"%s\": {\"delete\": null}}}", a);
    ovsdb_monitor_destroy(mon);
}

static void
test_monitor_cond_change(void **state)
{
    struct fixture *f = *state;
    struct ovsdb_monitor *mon;
    char a[UUID_LEN + 1], b[UUID_LEN + 1];
    json_t *req, *updates;

    ovsdb_monitor_txn_destroy(insert_row(f, "{\"name\": \"a\", \"n\": 1}", a));
    ovsdb_monitor_txn_destroy(insert_row(f, "{\"name\": \"b\", \"n\": 2}", b));
    mon = make_monitor(f, OVSDB_MONITOR_V3,
                       "{\"T\": [{\"columns\": [\"name\"], \"where\": "
                       "[[\"name\", \"==\", \"a\"]]}]}");

    req = test_json("{\"T\": [{\"where\": [[\"name\", \"==\", \"b\"]]}]}");
    assert_null(ovsdb_monitor_change_conditions(mon, f->db, req, &updates));
    json_decref(req);
    {
        char *exp = xasprintf("{\"T\": {\"%s\": {\"delete\": null}, \"%s\": "
                              "{\"insert\": {\"name\": \"b\"}}}}",
                              a, b);

        assert_json(updates, exp);
        free(exp);
    }

    /* Unchanged condition: nothing to send. */
    req = test_json("{\"T\": [{\"where\": [[\"name\", \"==\", \"b\"]]}]}");
    assert_null(ovsdb_monitor_change_conditions(mon, f->db, req, &updates));
    assert_null(updates);
    json_decref(req);

    /* Errors leave the monitor alone. */
    req = test_json("{\"U\": [{\"where\": [true]}]}");
    assert_non_null(req);
    {
        struct ovsdb_error *error;

        error = ovsdb_monitor_change_conditions(mon, f->db, req, &updates);
        assert_non_null(error);
        ovsdb_error_destroy(error);
    }
    json_decref(req);
    req = test_json("{\"T\": [{\"where\": [[\"nosuch\", \"==\", 1]]}]}");
    {
        struct ovsdb_error *error;

        error = ovsdb_monitor_change_conditions(mon, f->db, req, &updates);
        assert_non_null(error);
        ovsdb_error_destroy(error);
    }
    json_decref(req);
    assert_updates(ovsdb_monitor_initial(mon, f->db),
                   "{\"T\": {\"%s\": {\"initial\": {\"name\": \"b\"}}}}", b);
    ovsdb_monitor_destroy(mon);
}

/* Malformed requests are errors with RFC 7047 tags. */
static void
test_monitor_bad_requests(void **state)
{
    static const char *const bad[] = {
        "[]",
        "{\"Nosuch\": {}}",
        "{\"T\": {\"columns\": [\"nosuch\"]}}",
        "{\"T\": {\"columns\": \"name\"}}",
        "{\"T\": {\"columns\": [1]}}",
        "{\"T\": {\"select\": {\"insert\": 1}}}",
        "{\"T\": {\"select\": []}}",
        "{\"T\": [{\"where\": [[\"name\", \"==\"]]}]}",
        "{\"T\": [{\"where\": [[\"name\", \"==\", 5]]}]}",
        "{\"T\": [{\"where\": {}}]}",
        "{\"T\": [{\"where\": [\"x\"]}]}",
        "{\"T\": [7]}",
    };
    struct fixture *f = *state;

    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        struct ovsdb_monitor *mon = NULL;
        struct ovsdb_error *error;
        json_t *req = test_json(bad[i]);

        error = ovsdb_monitor_create(f->db, OVSDB_MONITOR_V2, req, &mon);
        if (!error) {
            fail_msg("accepted %s", bad[i]);
        }
        assert_null(mon);
        assert_non_null(error->tag);
        ovsdb_error_destroy(error);
        json_decref(req);
    }
    /* "where" needs a conditional monitor. */
    {
        struct ovsdb_monitor *mon;
        struct ovsdb_error *error;
        json_t *req = test_json("{\"T\": {\"where\": []}}");

        error = ovsdb_monitor_create(f->db, OVSDB_MONITOR_V1, req, &mon);
        assert_non_null(error);
        ovsdb_error_destroy(error);
        json_decref(req);
    }
}

/* History: the net effect of transactions after a known id. */
static void
test_history_since(void **state)
{
    struct fixture *f = *state;
    struct ovsdb_monitor_history *h = ovsdb_monitor_history_create(10, 100);
    struct ovsdb_monitor_txn *t1, *t2, *t3, *t4, *merged;
    struct ovsdb_monitor *mon;
    char a[UUID_LEN + 1], b[UUID_LEN + 1];
    struct uuid id1, unknown;

    mon =
        make_monitor(f, OVSDB_MONITOR_V3, "{\"T\": [{\"columns\": [\"n\"]}]}");
    t1 = insert_row(f, "{\"n\": 1}", a);
    id1 = t1->txn_id;
    assert_false(uuid_is_zero(&id1));
    t2 = update_row(f, a, "{\"n\": 2}");
    t3 = insert_row(f, "{\"n\": 9}", b);
    t4 = delete_row(f, b);
    ovsdb_monitor_history_add(h, t1);
    ovsdb_monitor_history_add(h, t2);
    ovsdb_monitor_history_add(h, t3);
    ovsdb_monitor_history_add(h, t4);
    assert_int_equal(ovsdb_monitor_history_n_txns(h), 4);

    /* After t1: a modified (1 -> 2); b inserted and deleted: nothing. */
    assert_true(ovsdb_monitor_history_since(h, &id1, &merged));
    assert_non_null(merged);
    assert_true(uuid_equals(&merged->txn_id, &t4->txn_id));
    assert_updates(ovsdb_monitor_updates(mon, merged),
                   "{\"T\": {\"%s\": {\"modify\": {\"n\": 2}}}}", a);
    ovsdb_monitor_txn_destroy(merged);

    /* The latest: nothing after it. */
    assert_true(ovsdb_monitor_history_since(h, &t4->txn_id, &merged));
    assert_null(merged);

    uuid_generate(&unknown);
    assert_false(ovsdb_monitor_history_since(h, &unknown, &merged));
    assert_null(merged);
    ovsdb_monitor_destroy(mon);
    ovsdb_monitor_history_destroy(h);
}

static void
test_history_bounded(void **state)
{
    struct fixture *f = *state;
    struct ovsdb_monitor_history *h = ovsdb_monitor_history_create(3, 100);
    struct ovsdb_monitor_txn *merged;
    struct uuid first;
    char u[UUID_LEN + 1];

    for (int i = 0; i < 5; i++) {
        struct ovsdb_monitor_txn *t = insert_row(f, "{\"n\": 1}", u);

        if (!i) {
            first = t->txn_id;
        }
        ovsdb_monitor_history_add(h, t);
    }
    assert_int_equal(ovsdb_monitor_history_n_txns(h), 3);
    assert_false(ovsdb_monitor_history_since(h, &first, &merged));
    ovsdb_monitor_history_destroy(h);

    /* A row budget also bounds it, but keeps the newest transaction. */
    h = ovsdb_monitor_history_create(10, 1);
    ovsdb_monitor_history_add(h, insert_row(f, "{\"n\": 1}", u));
    ovsdb_monitor_history_add(h, insert_row(f, "{\"n\": 2}", u));
    assert_int_equal(ovsdb_monitor_history_n_txns(h), 1);
    ovsdb_monitor_history_destroy(h);
}

static void
test_locks(void **state TERN_UNUSED)
{
    struct ovsdb_lock_table *t = ovsdb_lock_table_create();
    int a, b, c;

    assert_true(ovsdb_lock_acquire(t, "x", &a));
    assert_false(ovsdb_lock_acquire(t, "x", &b));
    assert_false(ovsdb_lock_acquire(t, "x", &c));
    assert_true(ovsdb_lock_acquire(t, "y", &b));
    assert_true(ovsdb_lock_is_holder(t, "x", &a));
    assert_true(ovsdb_lock_is_queued(t, "x", &b));
    assert_false(ovsdb_lock_is_holder(t, "x", &b));

    /* c steals from a; a stays queued behind c. */
    assert_ptr_equal(ovsdb_lock_steal(t, "x", &c), &a);
    assert_true(ovsdb_lock_is_holder(t, "x", &c));
    assert_true(ovsdb_lock_is_queued(t, "x", &a));
    assert_null(ovsdb_lock_steal(t, "x", &c));

    /* A waiter leaving hands nothing over; the holder leaving does. */
    assert_null(ovsdb_lock_release(t, "x", &b));
    assert_ptr_equal(ovsdb_lock_release(t, "x", &c), &a);
    assert_true(ovsdb_lock_is_holder(t, "x", &a));
    assert_null(ovsdb_lock_release(t, "x", &a));
    assert_false(ovsdb_lock_is_queued(t, "x", &a));
    assert_null(ovsdb_lock_release(t, "nosuch", &a));

    /* Steal of a free lock. */
    assert_null(ovsdb_lock_steal(t, "z", &a));
    assert_true(ovsdb_lock_is_holder(t, "z", &a));
    ovsdb_lock_table_destroy(t);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_monitor_v1, setup, teardown),
        cmocka_unit_test_setup_teardown(test_monitor_v2_diff, setup, teardown),
        cmocka_unit_test_setup_teardown(test_monitor_all_columns, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_monitor_conditions, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_monitor_select, setup, teardown),
        cmocka_unit_test_setup_teardown(test_monitor_cond_change, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_monitor_bad_requests, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_history_since, setup, teardown),
        cmocka_unit_test_setup_teardown(test_history_bounded, setup, teardown),
        cmocka_unit_test(test_locks),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
