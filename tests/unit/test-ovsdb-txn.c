/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for the database engine's transactions (ovsdb-txn.c,
 * ovsdb-ops.c, ovsdb-condition.c, ovsdb-mutation.c, ovsdb.c): every
 * "transact" operation and its errors, the shape of the reply array,
 * conditions, mutations, commit checks (referential integrity, weak
 * references, garbage collection, maxRows, indexes), atomicity, change sets
 * and journal record replay.  JSON in this file uses single quotes, turned
 * into double quotes before parsing.
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "ovsdb/ovsdb.h"
#include "tests/unit/test-common.h"

static const char schema_text[] =
    "{'name': 'T', 'version': '1.0.0', 'tables': {"
    " 'Root': {'isRoot': true, 'indexes': [['name']], 'columns': {"
    "   'name': {'type': 'string'},"
    "   'n': {'type': 'integer'},"
    "   'r': {'type': 'real'},"
    "   'b': {'type': 'boolean'},"
    "   'small': {'type': {'key': {'type': 'integer', 'minInteger': 0,"
    "                              'maxInteger': 10}}},"
    "   'ints': {'type': {'key': 'integer', 'min': 0, 'max': 3}},"
    "   'reals': {'type': {'key': 'real', 'min': 0, 'max': 'unlimited'}},"
    "   'tags': {'type': {'key': 'string', 'min': 0, 'max': 'unlimited'}},"
    "   'opts': {'type': {'key': 'string', 'value': 'string', 'min': 0,"
    "                     'max': 'unlimited'}},"
    "   'kids': {'type': {'key': {'type': 'uuid', 'refTable': 'Child'},"
    "                     'min': 0, 'max': 'unlimited'}},"
    "   'weak': {'type': {'key': {'type': 'uuid', 'refTable': 'Child',"
    "                             'refType': 'weak'},"
    "                     'min': 0, 'max': 'unlimited'}},"
    "   'fixed': {'type': 'string', 'mutable': false},"
    "   'eph': {'type': 'integer', 'ephemeral': true}}},"
    " 'Child': {'columns': {"
    "   'name': {'type': 'string'},"
    "   'peer': {'type': {'key': {'type': 'uuid', 'refTable': 'Child'},"
    "                     'min': 0, 'max': 1}}}},"
    " 'Holder': {'isRoot': true, 'columns': {"
    "   'target': {'type': {'key': {'type': 'uuid', 'refTable': 'Child',"
    "                               'refType': 'weak'}}}}},"
    " 'Limited': {'isRoot': true, 'maxRows': 2, 'columns': {"
    "   'k': {'type': 'integer'}}}}}";

static struct ovsdb *db;
static struct ovsdb_changes *last_changes; /* Of the last run(). */
static json_t *records;                    /* Journal of every commit. */
static struct ovsdb_execute_ctx exec_ctx;
static bool lock_held;

static struct ovsdb *
make_db(void)
{
    struct ovsdb_schema *schema;
    json_t *json = test_json_q(schema_text);
    struct ovsdb_error *error = ovsdb_schema_from_json(json, &schema);

    json_decref(json);
    if (error) {
        fail_msg("%s", ovsdb_error_to_string(error));
    }
    return ovsdb_create(schema);
}

static bool
has_lock(const char *name, void *aux TERN_UNUSED)
{
    return lock_held && !strcmp(name, "mylock");
}

static int
setup(void **state TERN_UNUSED)
{
    db = make_db();
    records = json_array();
    memset(&exec_ctx, 0, sizeof exec_ctx);
    exec_ctx.has_lock = has_lock;
    lock_held = false;
    last_changes = NULL;
    return 0;
}

static int
teardown(void **state TERN_UNUSED)
{
    ovsdb_changes_destroy(last_changes);
    last_changes = NULL;
    json_decref(records);
    ovsdb_destroy(db);
    return 0;
}

/* Runs the operations 'ops' (a comma-separated list of operation objects)
 * started at 'start_msec'.  Returns the status; the reply in *resultp. */
static enum ovsdb_execute_status
run_at(const char *ops, long long start_msec, json_t **resultp,
       long long *retry)
{
    char *text = xasprintf("['T', %s]", ops);
    json_t *params = test_json_q(text);
    struct ovsdb_changes *changes;
    enum ovsdb_execute_status status;

    free(text);
    status = ovsdb_execute(db, params, &exec_ctx, start_msec, resultp,
                           &changes, retry);
    json_decref(params);
    ovsdb_changes_destroy(last_changes);
    last_changes = changes;
    if (changes) {
        json_array_append_new(records, ovsdb_changes_to_json(changes, db));
    }
    return status;
}

static json_t *
run(const char *ops)
{
    json_t *result = NULL;
    long long retry;

    assert_int_equal(run_at(ops, time_msec(), &result, &retry),
                     OVSDB_EXEC_DONE);
    assert_non_null(result);
    return result;
}

static char *runf(const char *fmt, ...) TERN_PRINTF(1, 2);

/* Formats the operations, runs them and returns the reply as text
 * (caller frees). */
static char *
runf(const char *fmt, ...)
{
    va_list args;
    char *ops, *text;
    json_t *result;

    va_start(args, fmt);
    ops = xvasprintf(fmt, args);
    va_end(args);
    result = run(ops);
    free(ops);
    text = json_dumps(result, JSON_COMPACT);
    json_decref(result);
    return text;
}

static const char *
error_tag(const json_t *result, size_t i)
{
    const json_t *r = json_array_get(result, i);

    return json_string_value(json_object_get(r, "error"));
}

static void
assert_error(const json_t *result, size_t i, const char *tag)
{
    const char *got = error_tag(result, i);

    if (!got || strcmp(got, tag)) {
        char *s = json_dumps(result, JSON_COMPACT);

        fail_msg("result %zu is not error \"%s\": %s", i, tag, s);
    }
}

static void
assert_ok(const json_t *result, size_t n_ops)
{
    char *s = json_dumps(result, JSON_COMPACT);

    if (json_array_size(result) != n_ops) {
        fail_msg("expected %zu results: %s", n_ops, s);
    }
    for (size_t i = 0; i < n_ops; i++) {
        if (!json_is_object(json_array_get(result, i)) ||
            error_tag(result, i)) {
            fail_msg("result %zu failed: %s", i, s);
        }
    }
    free(s);
}

/* Runs 'ops' and checks that result 'i' is error 'tag'. */
static void
expect_error(const char *ops, size_t i, const char *tag)
{
    json_t *result = run(ops);

    assert_error(result, i, tag);
    json_decref(result);
}

static long long
count_of(const json_t *result, size_t i)
{
    const json_t *count = json_object_get(json_array_get(result, i), "count");

    assert_true(json_is_integer(count));
    return json_integer_value(count);
}

/* The UUID that insert result 'i' returned (static buffer). */
static const char *
uuid_of(const json_t *result, size_t i)
{
    static char bufs[4][UUID_LEN + 1];
    static int next;
    const json_t *u = json_object_get(json_array_get(result, i), "uuid");
    char *buf = bufs[next++ % 4];

    assert_true(json_is_array(u));
    assert_string_equal(json_string_value(json_array_get(u, 0)), "uuid");
    snprintf(buf, sizeof bufs[0], "%s",
             json_string_value(json_array_get(u, 1)));
    return buf;
}

static const struct ovsdb_table_schema *
table(const char *name)
{
    const struct ovsdb_table_schema *t =
        ovsdb_schema_find_table(ovsdb_get_schema(db), name);

    assert_non_null(t);
    return t;
}

static size_t
n_rows(const char *name)
{
    return ovsdb_table_n_rows(db, table(name));
}

static const struct ovsdb_row *
row_of(const char *tname, const char *uuid_s)
{
    struct uuid uuid;

    assert_true(uuid_from_string(&uuid, uuid_s));
    return ovsdb_find_row(db, table(tname), &uuid);
}

static const struct ovsdb_datum *
field(const struct ovsdb_row *row, const char *column)
{
    const struct ovsdb_column_schema *c =
        ovsdb_table_schema_find_column(row->table, column);

    assert_non_null(c);
    return &row->fields[c->index];
}

static int64_t
int_field(const char *tname, const char *uuid_s, const char *column)
{
    const struct ovsdb_row *row = row_of(tname, uuid_s);
    const struct ovsdb_datum *d;

    assert_non_null(row);
    d = field(row, column);
    assert_int_equal(d->n, 1);
    return d->keys[0].integer;
}

/* Inserts a Root row named 'name' with column JSON 'extra' (may be "");
 * returns its UUID (static buffer). */
static const char *
insert_root(const char *name, const char *extra)
{
    char *ops = xasprintf("{'op': 'insert', 'table': 'Root', 'row': "
                          "{'name': '%s'%s%s}}",
                          name, *extra ? ", " : "", extra);
    json_t *result = run(ops);
    const char *uuid;

    free(ops);
    assert_ok(result, 1);
    uuid = uuid_of(result, 0);
    json_decref(result);
    return uuid;
}

/* ---- insert and select. ---- */

static void
test_insert_and_select(void **state TERN_UNUSED)
{
    char uuid[UUID_LEN + 1];
    const struct ovsdb_row *row;
    json_t *result, *rows, *r0;

    strcpy(uuid, insert_root("a", "'n': 5, 'r': 2.5, 'b': true"));
    assert_int_equal(n_rows("Root"), 1);
    row = row_of("Root", uuid);
    assert_non_null(row);
    assert_int_equal(int_field("Root", uuid, "n"), 5);
    assert_true(field(row, "b")->keys[0].boolean);
    assert_int_equal(field(row, "tags")->n, 0); /* Default. */
    assert_int_equal(int_field("Root", uuid, "small"), 0);
    assert_false(uuid_is_zero(&row->version));

    result = run("{'op': 'select', 'table': 'Root', 'where': []}");
    assert_ok(result, 1);
    rows = json_object_get(json_array_get(result, 0), "rows");
    assert_int_equal(json_array_size(rows), 1);
    r0 = json_array_get(rows, 0);
    assert_string_equal(
        json_string_value(json_array_get(json_object_get(r0, "_uuid"), 1)),
        uuid);
    assert_non_null(json_object_get(r0, "_version"));
    assert_int_equal(json_integer_value(json_object_get(r0, "n")), 5);
    assert_string_equal(json_string_value(json_object_get(r0, "name")), "a");
    assert_int_equal(json_object_size(r0), row->table->n_columns);
    json_decref(result);
}

static void
test_select_columns(void **state TERN_UNUSED)
{
    json_t *result, *r0;

    insert_root("a", "'n': 1");
    result = run("{'op': 'select', 'table': 'Root', 'where': [],"
                 " 'columns': ['n', '_uuid']}");
    assert_ok(result, 1);
    r0 = json_array_get(json_object_get(json_array_get(result, 0), "rows"), 0);
    assert_int_equal(json_object_size(r0), 2);
    assert_non_null(json_object_get(r0, "n"));
    assert_non_null(json_object_get(r0, "_uuid"));
    assert_null(json_object_get(r0, "name"));
    json_decref(result);

    expect_error("{'op': 'select', 'table': 'Root', 'where': [],"
                 " 'columns': ['nope']}",
                 0, "unknown column");
}

static void
test_insert_named_uuid_reference(void **state TERN_UNUSED)
{
    json_t *result;
    const struct ovsdb_row *root, *kid;

    result = run("{'op': 'insert', 'table': 'Child', 'uuid-name': 'k',"
                 " 'row': {'name': 'kid'}},"
                 "{'op': 'insert', 'table': 'Root', 'row': {'name': 'r',"
                 " 'kids': ['named-uuid', 'k']}}");
    assert_ok(result, 2);
    kid = row_of("Child", uuid_of(result, 0));
    root = row_of("Root", uuid_of(result, 1));
    assert_non_null(kid);
    assert_non_null(root);
    assert_int_equal(field(root, "kids")->n, 1);
    assert_true(uuid_equals(&field(root, "kids")->keys[0].uuid, &kid->uuid));
    assert_int_equal(kid->n_refs, 1);
    json_decref(result);
}

static void
test_insert_forward_named_uuid(void **state TERN_UNUSED)
{
    /* The reference comes before the insert that defines the name. */
    json_t *result =
        run("{'op': 'insert', 'table': 'Root', 'row': {'name': 'r',"
            " 'kids': ['set', [['named-uuid', 'k']]]}},"
            "{'op': 'insert', 'table': 'Child', 'uuid-name': 'k'}");

    assert_ok(result, 2);
    assert_int_equal(n_rows("Child"), 1);
    assert_non_null(row_of("Child", uuid_of(result, 1)));
    json_decref(result);
}

static void
test_insert_errors(void **state TERN_UNUSED)
{
    json_t *result;

    expect_error("{'op': 'insert', 'table': 'Child', 'uuid-name': 'x'},"
                 "{'op': 'insert', 'table': 'Child', 'uuid-name': 'x'}",
                 1, "duplicate uuid-name");

    result = run("{'op': 'insert', 'table': 'Nope', 'row': {}},"
                 "{'op': 'comment', 'comment': 'x'}");
    assert_error(result, 0, "unknown table");
    assert_int_equal(json_array_size(result), 2);
    assert_true(json_is_null(json_array_get(result, 1)));
    json_decref(result);

    expect_error("{'op': 'insert', 'table': 'Root', 'row': {'zz': 1}}", 0,
                 "unknown column");

    result = run("{'op': 'insert', 'table': 'Root', 'row': {'n': 'x'}}");
    assert_non_null(error_tag(result, 0));
    json_decref(result);

    expect_error("{'op': 'insert', 'table': 'Root', 'row': {'small': 11}}", 0,
                 "constraint violation");

    result =
        run("{'op': 'insert', 'table': 'Root', 'row': "
            "{'_uuid': ['uuid', '00000000-0000-0000-0000-000000000001']}}");
    assert_error(result, 0, "constraint violation");
    json_decref(result);

    assert_int_equal(n_rows("Root"), 0);
    assert_int_equal(n_rows("Child"), 0);
    assert_int_equal(json_array_size(records), 0);
}

static void
test_insert_with_given_uuid(void **state TERN_UNUSED)
{
    const char *u = "01234567-89ab-cdef-0123-456789abcdef";
    char *text;

    text = runf("{'op': 'insert', 'table': 'Root', 'uuid': '%s',"
                " 'row': {'name': 'x'}}",
                u);
    assert_non_null(strstr(text, u));
    free(text);
    assert_non_null(row_of("Root", u));

    text = runf("{'op': 'insert', 'table': 'Root', 'uuid': '%s',"
                " 'row': {'name': 'y'}}",
                u);
    assert_non_null(strstr(text, "duplicate uuid"));
    free(text);
    assert_int_equal(n_rows("Root"), 1);
}

/* ---- Conditions. ---- */

static long long
select_count(const char *where)
{
    char *ops =
        xasprintf("{'op': 'select', 'table': 'Root', 'where': %s}", where);
    json_t *result = run(ops);
    long long n;

    free(ops);
    assert_ok(result, 1);
    n = json_array_size(json_object_get(json_array_get(result, 0), "rows"));
    json_decref(result);
    return n;
}

static void
test_condition_ordering(void **state TERN_UNUSED)
{
    for (int i = 1; i <= 5; i++) {
        char name[8], extra[64];

        snprintf(name, sizeof name, "r%d", i);
        snprintf(extra, sizeof extra, "'n': %d, 'r': %d.5", i, i);
        insert_root(name, extra);
    }
    assert_int_equal(select_count("[['n', '<', 3]]"), 2);
    assert_int_equal(select_count("[['n', '<=', 3]]"), 3);
    assert_int_equal(select_count("[['n', '==', 3]]"), 1);
    assert_int_equal(select_count("[['n', '!=', 3]]"), 4);
    assert_int_equal(select_count("[['n', '>=', 3]]"), 3);
    assert_int_equal(select_count("[['n', '>', 3]]"), 2);
    assert_int_equal(select_count("[['r', '>', 2.6]]"), 3);
    assert_int_equal(select_count("[['n', '>', 1], ['n', '<', 5]]"), 3);
    assert_int_equal(select_count("[['name', '==', 'r4']]"), 1);
    assert_int_equal(select_count("[]"), 5);
    assert_int_equal(select_count("[true]"), 5);
    assert_int_equal(select_count("[false]"), 0);
}

static void
test_condition_includes_excludes(void **state TERN_UNUSED)
{
    insert_root("a", "'tags': ['set', ['x', 'y']],"
                     " 'opts': ['map', [['k', 'v'], ['k2', 'v2']]]");
    insert_root("b", "'tags': 'y'");
    insert_root("c", "");
    assert_int_equal(select_count("[['tags', 'includes', 'y']]"), 2);
    assert_int_equal(select_count("[['tags', 'includes', "
                                  "['set', ['x', 'y']]]]"),
                     1);
    assert_int_equal(select_count("[['tags', 'excludes', 'x']]"), 2);
    assert_int_equal(select_count("[['tags', 'excludes', "
                                  "['set', ['x', 'y']]]]"),
                     1);
    assert_int_equal(select_count("[['tags', 'includes', ['set', []]]]"), 3);
    assert_int_equal(select_count("[['tags', '==', ['set', []]]]"), 1);
    assert_int_equal(select_count("[['opts', 'includes', "
                                  "['map', [['k', 'v']]]]]"),
                     1);
    assert_int_equal(select_count("[['opts', 'includes', "
                                  "['map', [['k', 'other']]]]]"),
                     0);
    assert_int_equal(select_count("[['opts', 'excludes', "
                                  "['map', [['k', 'other']]]]]"),
                     3);
}

static void
test_condition_errors(void **state TERN_UNUSED)
{
    expect_error("{'op': 'select', 'table': 'Root',"
                 " 'where': [['name', '<', 'a']]}",
                 0, "syntax error");
    expect_error("{'op': 'select', 'table': 'Root',"
                 " 'where': [['tags', '>', 1]]}",
                 0, "syntax error");
    expect_error("{'op': 'select', 'table': 'Root',"
                 " 'where': [['nope', '==', 1]]}",
                 0, "unknown column");
    expect_error("{'op': 'select', 'table': 'Root',"
                 " 'where': [['n', 'like', 1]]}",
                 0, "syntax error");
    expect_error("{'op': 'select', 'table': 'Root', 'where': [['n']]}", 0,
                 "syntax error");
    expect_error("{'op': 'select', 'table': 'Root'}", 0, "syntax error");
}

static void
test_condition_by_uuid(void **state TERN_UNUSED)
{
    char u[UUID_LEN + 1], *text;

    strcpy(u, insert_root("a", "'n': 1"));
    insert_root("b", "'n': 2");
    text = runf("{'op': 'select', 'table': 'Root', 'where': "
                "[['_uuid', '==', ['uuid', '%s']]], 'columns': ['name']}",
                u);
    assert_string_equal(text, "[{\"rows\":[{\"name\":\"a\"}]}]");
    free(text);
    text = runf("{'op': 'select', 'table': 'Root', 'where': "
                "[['_uuid', '==', ['uuid', '%s']], ['n', '==', 2]]}",
                u);
    assert_string_equal(text, "[{\"rows\":[]}]");
    free(text);
    text = runf("{'op': 'select', 'table': 'Root', 'where': "
                "[['_uuid', '!=', ['uuid', '%s']]], 'columns': ['name']}",
                u);
    assert_string_equal(text, "[{\"rows\":[{\"name\":\"b\"}]}]");
    free(text);
}

static void
test_condition_public_api(void **state TERN_UNUSED)
{
    struct ovsdb_condition *cond;
    struct ovsdb_error *error;
    char u[UUID_LEN + 1];
    json_t *json;

    strcpy(u, insert_root("a", "'n': 7, 'tags': ['set', ['p', 'q']]"));
    json = test_json_q("[['n', '>=', 7], ['tags', 'includes', 'q']]");
    error = ovsdb_condition_from_json(table("Root"), json, &cond);
    json_decref(json);
    assert_null(error);
    assert_true(ovsdb_condition_evaluate(cond, row_of("Root", u)));
    ovsdb_condition_destroy(cond);

    json = test_json_q("[['n', '>', 7]]");
    assert_null(ovsdb_condition_from_json(table("Root"), json, &cond));
    json_decref(json);
    assert_false(ovsdb_condition_evaluate(cond, row_of("Root", u)));
    ovsdb_condition_destroy(cond);

    json = test_json_q("[['_uuid', '==', ['named-uuid', 'x']]]");
    error = ovsdb_condition_from_json(table("Root"), json, &cond);
    json_decref(json);
    assert_non_null(error);
    assert_null(cond);
    ovsdb_error_destroy(error);
}

/* ---- update. ---- */

static void
test_update(void **state TERN_UNUSED)
{
    char u[UUID_LEN + 1];
    struct uuid v1;
    json_t *result;

    strcpy(u, insert_root("a", "'n': 1"));
    insert_root("b", "'n': 2");
    v1 = row_of("Root", u)->version;
    result = run("{'op': 'update', 'table': 'Root', 'where': "
                 "[['n', '<', 5]], 'row': {'small': 4, 'tags': 't'}}");
    assert_ok(result, 1);
    assert_int_equal(count_of(result, 0), 2);
    json_decref(result);
    assert_int_equal(int_field("Root", u, "small"), 4);
    assert_string_equal(field(row_of("Root", u), "tags")->keys[0].string, "t");
    assert_false(uuid_equals(&row_of("Root", u)->version, &v1));
    assert_non_null(last_changes);
    assert_int_equal(last_changes->n, 2);
}

static void
test_update_noop_keeps_version(void **state TERN_UNUSED)
{
    char u[UUID_LEN + 1];
    struct uuid v1;
    json_t *result;

    strcpy(u, insert_root("a", "'n': 1"));
    v1 = row_of("Root", u)->version;
    result = run("{'op': 'update', 'table': 'Root', 'where': [],"
                 " 'row': {'n': 1}}");
    assert_ok(result, 1);
    assert_int_equal(count_of(result, 0), 1);
    json_decref(result);
    assert_null(last_changes);
    assert_true(uuid_equals(&row_of("Root", u)->version, &v1));

    result = run("{'op': 'update', 'table': 'Root', 'where': "
                 "[['n', '==', 99]], 'row': {'n': 3}}");
    assert_int_equal(count_of(result, 0), 0);
    json_decref(result);
    assert_null(last_changes);
}

static void
test_update_errors(void **state TERN_UNUSED)
{
    insert_root("a", "'fixed': 'f'");
    expect_error("{'op': 'update', 'table': 'Root', 'where': [],"
                 " 'row': {'fixed': 'g'}}",
                 0, "constraint violation");
    expect_error("{'op': 'update', 'table': 'Root', 'where': [],"
                 " 'row': {'_version': ['uuid', "
                 "'00000000-0000-0000-0000-000000000001']}}",
                 0, "constraint violation");
    expect_error("{'op': 'update', 'table': 'Root', 'where': []}", 0,
                 "syntax error");
    expect_error("{'op': 'update', 'table': 'Root', 'where': [],"
                 " 'row': {'ints': ['set', [1, 2, 3, 4]]}}",
                 0, "constraint violation");
}

/* ---- mutate. ---- */

static json_t *
mutate_root(const char *mutations)
{
    char *ops = xasprintf("{'op': 'mutate', 'table': 'Root', 'where': [],"
                          " 'mutations': %s}",
                          mutations);
    json_t *result = run(ops);

    free(ops);
    return result;
}

/* Mutates every Root row; checks that result 'i' is error 'tag'. */
static void
expect_mutate_error(const char *mutations, size_t i, const char *tag)
{
    json_t *result = mutate_root(mutations);

    assert_error(result, i, tag);
    json_decref(result);
}

static void
test_mutate_integer_arithmetic(void **state TERN_UNUSED)
{
    char u[UUID_LEN + 1];
    json_t *result;

    strcpy(u, insert_root("a", "'n': 10"));
    result = mutate_root("[['n', '+=', 5], ['n', '*=', 3], ['n', '-=', 1],"
                         " ['n', '/=', 4], ['n', '%=', 7]]");
    assert_ok(result, 1);
    assert_int_equal(count_of(result, 0), 1);
    json_decref(result);
    /* ((10 + 5) * 3 - 1) / 4 = 11; 11 % 7 = 4. */
    assert_int_equal(int_field("Root", u, "n"), 4);

    result = mutate_root("[['n', '-=', 10], ['n', '/=', 4]]");
    assert_ok(result, 1);
    json_decref(result);
    assert_int_equal(int_field("Root", u, "n"), -1); /* Truncates. */
}

static void
test_mutate_real_and_sets(void **state TERN_UNUSED)
{
    char u[UUID_LEN + 1];
    const struct ovsdb_datum *d;
    json_t *result;

    strcpy(u, insert_root("a", "'r': 1.5, 'ints': ['set', [1, 2]],"
                               " 'reals': ['set', [1.0, 2.0]]"));
    result = mutate_root("[['r', '*=', 2], ['r', '/=', 0.5],"
                         " ['ints', '+=', 10], ['reals', '*=', 2.5]]");
    assert_ok(result, 1);
    json_decref(result);
    d = field(row_of("Root", u), "r");
    assert_true(d->keys[0].real == 6.0);
    d = field(row_of("Root", u), "ints");
    assert_int_equal(d->n, 2);
    assert_int_equal(d->keys[0].integer, 11);
    assert_int_equal(d->keys[1].integer, 12);
    d = field(row_of("Root", u), "reals");
    assert_true(d->keys[1].real == 5.0);

    /* %= does not apply to reals. */
    expect_mutate_error("[['r', '%=', 2.0]]", 0, "syntax error");
}

static void
test_mutate_domain_and_range_errors(void **state TERN_UNUSED)
{
    char u[UUID_LEN + 1];

    strcpy(u, insert_root("a", "'n': 9223372036854775807, 'r': 1.0"));
    expect_mutate_error("[['n', '/=', 0]]", 0, "domain error");
    expect_mutate_error("[['n', '%=', 0]]", 0, "domain error");
    expect_mutate_error("[['r', '/=', 0.0]]", 0, "domain error");
    expect_mutate_error("[['n', '+=', 1]]", 0, "range error");
    expect_mutate_error("[['n', '*=', 2]]", 0, "range error");
    expect_mutate_error("[['r', '*=', 1e308], ['r', '*=', 1e308]]", 0,
                        "range error");
    assert_int_equal(int_field("Root", u, "n"), INT64_MAX);
}

static void
test_mutate_insert_delete(void **state TERN_UNUSED)
{
    char u[UUID_LEN + 1];
    const struct ovsdb_datum *d;
    json_t *result;

    strcpy(u, insert_root("a", "'tags': ['set', ['a', 'b']],"
                               " 'opts': ['map', [['k1', 'v1'], "
                               "['k2', 'v2'], ['k3', 'v3']]]"));
    result = mutate_root("[['tags', 'insert', ['set', ['c', 'a']]],"
                         " ['tags', 'delete', 'b'],"
                         " ['opts', 'insert', ['map', [['k1', 'new'],"
                         "  ['k4', 'v4']]]],"
                         " ['opts', 'delete', ['set', ['k2']]],"
                         " ['opts', 'delete', ['map', [['k3', 'wrong']]]]]");
    assert_ok(result, 1);
    json_decref(result);
    d = field(row_of("Root", u), "tags");
    assert_int_equal(d->n, 2);
    assert_string_equal(d->keys[0].string, "a");
    assert_string_equal(d->keys[1].string, "c");
    d = field(row_of("Root", u), "opts");
    assert_int_equal(d->n, 3); /* k1 (kept v1), k3 (value mismatch), k4. */
    assert_string_equal(d->keys[0].string, "k1");
    assert_string_equal(d->values[0].string, "v1");
    assert_string_equal(d->keys[1].string, "k3");
    assert_string_equal(d->keys[2].string, "k4");

    result = mutate_root("[['opts', 'delete', ['map', [['k3', 'v3']]]]]");
    assert_ok(result, 1);
    json_decref(result);
    assert_int_equal(field(row_of("Root", u), "opts")->n, 2);
}

static void
test_mutate_constraint_violations(void **state TERN_UNUSED)
{
    insert_root("a", "'small': 5, 'ints': ['set', [1, 2, 3]],"
                     " 'reals': ['set', [1.0, 2.0]], 'fixed': 'f'");
    expect_mutate_error("[['small', '+=', 6]]", 0, "constraint violation");
    expect_mutate_error("[['ints', 'insert', 4]]", 0, "constraint violation");
    /* 1.0 * 0 and 2.0 * 0 collide in a set. */
    expect_mutate_error("[['reals', '*=', 0.0]]", 0, "constraint violation");
    expect_mutate_error("[['fixed', 'insert', 'x']]", 0,
                        "constraint violation");
    expect_mutate_error("[['_uuid', '+=', 1]]", 0, "constraint violation");
    expect_mutate_error("[['name', 'insert', 'x']]", 0, "syntax error");
    expect_mutate_error("[['opts', '+=', 1]]", 0, "syntax error");
    expect_mutate_error("[['n', '^=', 1]]", 0, "syntax error");
    expect_mutate_error("[['nope', '+=', 1]]", 0, "unknown column");
}

/* ---- delete. ---- */

static void
test_delete(void **state TERN_UNUSED)
{
    json_t *result;

    insert_root("a", "'n': 1");
    insert_root("b", "'n': 2");
    insert_root("c", "'n': 3");
    result = run("{'op': 'delete', 'table': 'Root', 'where': "
                 "[['n', '>=', 2]]}");
    assert_ok(result, 1);
    assert_int_equal(count_of(result, 0), 2);
    json_decref(result);
    assert_int_equal(n_rows("Root"), 1);
    assert_non_null(last_changes);
    assert_int_equal(last_changes->n, 2);
    assert_null(last_changes->rows[0].new_);
    assert_non_null(last_changes->rows[0].old);
}

/* ---- Referential integrity, weak references, garbage collection. ---- */

/* Inserts a Root named 'name' owning a new Child named 'kid'; returns the
 * child's UUID in 'kid_uuid'. */
static void
insert_root_with_kid(const char *name, const char *kid, char *kid_uuid)
{
    char *ops = xasprintf(
        "{'op': 'insert', 'table': 'Child', 'uuid-name': 'k', 'row': "
        "{'name': '%s'}}, {'op': 'insert', 'table': 'Root', 'row': "
        "{'name': '%s', 'kids': ['named-uuid', 'k'],"
        " 'weak': ['named-uuid', 'k']}}",
        kid, name);
    json_t *result = run(ops);

    free(ops);
    assert_ok(result, 2);
    strcpy(kid_uuid, uuid_of(result, 0));
    json_decref(result);
}

static void
test_refint_violations(void **state TERN_UNUSED)
{
    char kid[UUID_LEN + 1], *text;
    json_t *result;

    /* A strong reference to a row that does not exist. */
    result =
        run("{'op': 'insert', 'table': 'Root', 'row': {'name': 'x',"
            " 'kids': ['uuid', '11111111-2222-3333-4444-555555555555']}}");
    assert_int_equal(json_array_size(result), 2);
    assert_true(json_is_object(json_object_get(json_array_get(result, 0),
                                               "uuid")) == false);
    assert_error(result, 1, "referential integrity violation");
    json_decref(result);
    assert_int_equal(n_rows("Root"), 0);

    /* Deleting a row that is still strongly referenced. */
    insert_root_with_kid("r", "k", kid);
    text = runf("{'op': 'delete', 'table': 'Child', 'where': "
                "[['_uuid', '==', ['uuid', '%s']]]}",
                kid);
    assert_non_null(strstr(text, "referential integrity violation"));
    assert_non_null(strstr(text, "{\"count\":1}"));
    free(text);
    assert_int_equal(n_rows("Child"), 1);
    assert_int_equal(row_of("Child", kid)->n_refs, 1);

    /* Deleting both the row and the reference is fine. */
    result = run("{'op': 'delete', 'table': 'Root', 'where': []}");
    assert_ok(result, 1);
    json_decref(result);
    assert_int_equal(n_rows("Child"), 0); /* Garbage collected. */
}

static void
test_weak_refs_removed(void **state TERN_UNUSED)
{
    char kid[UUID_LEN + 1], root[UUID_LEN + 1];
    json_t *result;
    char *text;

    insert_root_with_kid("r", "k", kid);
    strcpy(root, insert_root("s", ""));
    text = runf("{'op': 'update', 'table': 'Root', 'where': "
                "[['name', '==', 's']], 'row': {'weak': ['uuid', '%s']}}",
                kid);
    free(text);
    assert_int_equal(field(row_of("Root", root), "weak")->n, 1);

    /* Dropping r's strong reference collects the kid and prunes the weak
     * references to it from every row. */
    result = run("{'op': 'delete', 'table': 'Root', 'where': "
                 "[['name', '==', 'r']]}");
    assert_ok(result, 1);
    json_decref(result);
    assert_int_equal(n_rows("Child"), 0);
    assert_int_equal(field(row_of("Root", root), "weak")->n, 0);

    /* A weak reference to a row that never existed is dropped too. */
    result =
        run("{'op': 'update', 'table': 'Root', 'where': [], 'row': "
            "{'weak': ['uuid', '11111111-2222-3333-4444-555555555555']}}");
    assert_ok(result, 1);
    json_decref(result);
    assert_int_equal(field(row_of("Root", root), "weak")->n, 0);
}

static void
test_weak_ref_min_violation(void **state TERN_UNUSED)
{
    char kid[UUID_LEN + 1], *text;

    insert_root_with_kid("r", "k", kid);
    text = runf("{'op': 'insert', 'table': 'Holder', 'row': "
                "{'target': ['uuid', '%s']}}",
                kid);
    assert_null(strstr(text, "error"));
    free(text);
    text = runf("{'op': 'delete', 'table': 'Root', 'where': []}");
    assert_non_null(strstr(text, "constraint violation"));
    free(text);
    assert_int_equal(n_rows("Root"), 1);
    assert_int_equal(n_rows("Child"), 1);
}

static void
test_gc_unreferenced_rows(void **state TERN_UNUSED)
{
    json_t *result;

    /* A non-root row nobody references vanishes at commit. */
    result = run("{'op': 'insert', 'table': 'Child', 'row': {'name': 'x'}}");
    assert_ok(result, 1);
    json_decref(result);
    assert_int_equal(n_rows("Child"), 0);
    assert_null(last_changes);

    /* A chain: root -> c1 -> c2.  Dropping the root reference collects
     * both in the same commit. */
    result = run("{'op': 'insert', 'table': 'Child', 'uuid-name': 'c2'},"
                 "{'op': 'insert', 'table': 'Child', 'uuid-name': 'c1',"
                 " 'row': {'peer': ['named-uuid', 'c2']}},"
                 "{'op': 'insert', 'table': 'Root', 'row': {'name': 'r',"
                 " 'kids': ['named-uuid', 'c1']}}");
    assert_ok(result, 3);
    json_decref(result);
    assert_int_equal(n_rows("Child"), 2);
    result = run("{'op': 'update', 'table': 'Root', 'where': [],"
                 " 'row': {'kids': ['set', []]}}");
    assert_ok(result, 1);
    json_decref(result);
    assert_int_equal(n_rows("Child"), 0);
    assert_int_equal(last_changes->n, 3);
}

static void
test_ref_counts(void **state TERN_UNUSED)
{
    char kid[UUID_LEN + 1], *text;

    insert_root_with_kid("r", "k", kid);
    text = runf("{'op': 'insert', 'table': 'Root', 'row': {'name': 's',"
                " 'kids': ['uuid', '%s']}}",
                kid);
    free(text);
    assert_int_equal(row_of("Child", kid)->n_refs, 2);
    text = runf("{'op': 'mutate', 'table': 'Root', 'where': "
                "[['name', '==', 'r']], 'mutations': [['kids', 'delete', "
                "['uuid', '%s']]]}",
                kid);
    free(text);
    assert_int_equal(row_of("Child", kid)->n_refs, 1);
    assert_int_equal(n_rows("Child"), 1);
}

/* ---- maxRows and indexes. ---- */

static void
test_max_rows(void **state TERN_UNUSED)
{
    json_t *result;

    result = run("{'op': 'insert', 'table': 'Limited', 'row': {'k': 1}},"
                 "{'op': 'insert', 'table': 'Limited', 'row': {'k': 2}}");
    assert_ok(result, 2);
    json_decref(result);
    result = run("{'op': 'insert', 'table': 'Limited', 'row': {'k': 3}}");
    assert_int_equal(json_array_size(result), 2);
    assert_error(result, 1, "constraint violation");
    json_decref(result);
    assert_int_equal(n_rows("Limited"), 2);

    /* Replacing a row within the limit is fine. */
    result = run("{'op': 'delete', 'table': 'Limited', 'where': "
                 "[['k', '==', 1]]},"
                 "{'op': 'insert', 'table': 'Limited', 'row': {'k': 3}}");
    assert_ok(result, 2);
    json_decref(result);
}

static void
test_index_uniqueness(void **state TERN_UNUSED)
{
    json_t *result;

    insert_root("a", "");
    insert_root("b", "");
    expect_error("{'op': 'insert', 'table': 'Root', 'row': {'name': 'a'}}", 1,
                 "constraint violation");
    expect_error("{'op': 'update', 'table': 'Root', 'where': "
                 "[['name', '==', 'b']], 'row': {'name': 'a'}}",
                 1, "constraint violation");
    /* Swapping names in one transaction keeps them unique. */
    result = run("{'op': 'update', 'table': 'Root', 'where': "
                 "[['name', '==', 'a']], 'row': {'name': 'tmp'}},"
                 "{'op': 'update', 'table': 'Root', 'where': "
                 "[['name', '==', 'b']], 'row': {'name': 'a'}},"
                 "{'op': 'update', 'table': 'Root', 'where': "
                 "[['name', '==', 'tmp']], 'row': {'name': 'b'}}");
    assert_ok(result, 3);
    json_decref(result);
    assert_int_equal(n_rows("Root"), 2);
}

/* ---- wait. ---- */

static void
test_wait(void **state TERN_UNUSED)
{
    json_t *result = NULL;
    long long retry = 0;
    char *text;

    insert_root("a", "'n': 1");
    result = run("{'op': 'wait', 'table': 'Root', 'where': "
                 "[['name', '==', 'a']], 'columns': ['n', 'name'],"
                 " 'until': '==', 'rows': [{'n': 1, 'name': 'a'}]}");
    assert_ok(result, 1);
    json_decref(result);

    /* Without "columns", every column counts (ovs-vsctl waits for empty
     * tables this way). */
    result = run("{'op': 'wait', 'table': 'Limited', 'where': [],"
                 " 'until': '==', 'rows': [], 'timeout': 0}");
    assert_ok(result, 1);
    json_decref(result);

    /* Rows may name the implicit columns. */
    text = runf("{'op': 'wait', 'table': 'Root', 'where': "
                "[['name', '==', 'b']], 'columns': ['_uuid'], 'until': '==',"
                " 'rows': [{'_uuid': ['uuid', '%s']}]}",
                insert_root("b", "'n': 1"));
    assert_string_equal(text, "[{}]");
    free(text);
    result = run("{'op': 'delete', 'table': 'Root', 'where': "
                 "[['name', '==', 'b']]}");
    json_decref(result);

    result = run("{'op': 'wait', 'table': 'Root', 'where': [],"
                 " 'columns': ['n'], 'until': '!=', 'rows': [{'n': 2}]}");
    assert_ok(result, 1);
    json_decref(result);

    /* Not satisfied, no timeout: wait for the next commit. */
    result = NULL;
    assert_int_equal(run_at("{'op': 'wait', 'table': 'Root', 'where': [],"
                            " 'columns': ['n'], 'until': '==',"
                            " 'rows': [{'n': 2}]}",
                            time_msec(), &result, &retry),
                     OVSDB_EXEC_WAIT);
    assert_null(result);
    assert_int_equal(retry, -1);

    /* With a timeout still running: retry within the timeout. */
    assert_int_equal(run_at("{'op': 'wait', 'table': 'Root', 'where': [],"
                            " 'columns': ['n'], 'until': '!=',"
                            " 'rows': [{'n': 1}], 'timeout': 60000}",
                            time_msec(), &result, &retry),
                     OVSDB_EXEC_WAIT);
    assert_true(retry > 0 && retry <= 60000);
}

static void
test_wait_timeout(void **state TERN_UNUSED)
{
    json_t *result = NULL;
    long long retry;

    insert_root("a", "'n': 1");
    result = run("{'op': 'wait', 'table': 'Root', 'where': [],"
                 " 'columns': ['n'], 'until': '==', 'rows': [{'n': 5}],"
                 " 'timeout': 0}, {'op': 'comment', 'comment': 'c'}");
    assert_error(result, 0, "timed out");
    assert_true(json_is_null(json_array_get(result, 1)));
    json_decref(result);

    /* The request arrived long ago: its timeout has passed. */
    assert_int_equal(run_at("{'op': 'wait', 'table': 'Root', 'where': [],"
                            " 'columns': ['n'], 'until': '==',"
                            " 'rows': [{'n': 5}], 'timeout': 100}",
                            time_msec() - 1000, &result, &retry),
                     OVSDB_EXEC_DONE);
    assert_error(result, 0, "timed out");
    json_decref(result);

    expect_error("{'op': 'wait', 'table': 'Root', 'where': [],"
                 " 'columns': ['n'], 'until': '<', 'rows': []}",
                 0, "syntax error");
}

/* ---- commit, abort, comment, assert, read-only. ---- */

static void
test_commit_abort_comment(void **state TERN_UNUSED)
{
    json_t *result, *record;

    result = run("{'op': 'commit', 'durable': true}");
    assert_ok(result, 1);
    json_decref(result);
    expect_error("{'op': 'commit'}", 0, "syntax error");

    result = run("{'op': 'insert', 'table': 'Root', 'row': {'name': 'a'}},"
                 "{'op': 'abort'},"
                 "{'op': 'insert', 'table': 'Root', 'row': {'name': 'b'}}");
    assert_int_equal(json_array_size(result), 3);
    assert_error(result, 1, "aborted");
    assert_true(json_is_null(json_array_get(result, 2)));
    json_decref(result);
    assert_int_equal(n_rows("Root"), 0);

    result = run("{'op': 'comment', 'comment': 'hello'},"
                 "{'op': 'insert', 'table': 'Root', 'row': {'name': 'a'}},"
                 "{'op': 'comment', 'comment': 'world'}");
    assert_ok(result, 3);
    json_decref(result);
    assert_non_null(last_changes);
    assert_string_equal(last_changes->comment, "hello\nworld");
    record = json_array_get(records, json_array_size(records) - 1);
    assert_string_equal(json_string_value(json_object_get(record, "_comment")),
                        "hello\nworld");
}

static void
test_assert_lock(void **state TERN_UNUSED)
{
    json_t *result;

    expect_error("{'op': 'assert', 'lock': 'mylock'}", 0, "not owner");
    lock_held = true;
    result = run("{'op': 'assert', 'lock': 'mylock'},"
                 "{'op': 'insert', 'table': 'Root', 'row': {'name': 'a'}}");
    assert_ok(result, 2);
    json_decref(result);
    expect_error("{'op': 'assert', 'lock': 'other'}", 0, "not owner");
    exec_ctx.has_lock = NULL;
    expect_error("{'op': 'assert', 'lock': 'mylock'}", 0, "not owner");
}

static void
test_read_only(void **state TERN_UNUSED)
{
    json_t *result;

    insert_root("a", "");
    exec_ctx.read_only = true;
    result = run("{'op': 'select', 'table': 'Root', 'where': []},"
                 "{'op': 'delete', 'table': 'Root', 'where': []}");
    assert_true(json_is_object(json_array_get(result, 0)));
    assert_error(result, 1, "not allowed");
    json_decref(result);
    assert_int_equal(n_rows("Root"), 1);
}

static void
test_bad_operations(void **state TERN_UNUSED)
{
    json_t *result, *params;
    struct ovsdb_changes *changes;
    long long retry;

    expect_error("{'op': 'frobnicate'}", 0, "syntax error");
    expect_error("{'table': 'Root'}", 0, "syntax error");
    expect_error("42", 0, "syntax error");
    expect_error("{'op': 'delete', 'table': 'Root', 'where': [],"
                 " 'extra': 1}",
                 0, "syntax error");

    params = test_json_q("{'not': 'an array'}");
    assert_int_equal(ovsdb_execute(db, params, NULL, time_msec(), &result,
                                   &changes, &retry),
                     OVSDB_EXEC_DONE);
    assert_error(result, 0, "syntax error");
    assert_null(changes);
    json_decref(result);
    json_decref(params);

    /* Only the database name: an empty reply. */
    params = test_json_q("['T']");
    ovsdb_execute(db, params, NULL, time_msec(), &result, &changes, &retry);
    assert_int_equal(json_array_size(result), 0);
    json_decref(result);
    json_decref(params);
}

/* ---- Atomicity and reply shape. ---- */

static void
test_atomic_failure(void **state TERN_UNUSED)
{
    char u[UUID_LEN + 1];
    json_t *result;

    strcpy(u, insert_root("a", "'n': 1"));
    result = run("{'op': 'update', 'table': 'Root', 'where': [],"
                 " 'row': {'n': 2}},"
                 "{'op': 'insert', 'table': 'Root', 'row': {'name': 'b'}},"
                 "{'op': 'mutate', 'table': 'Root', 'where': [],"
                 " 'mutations': [['n', '/=', 0]]},"
                 "{'op': 'delete', 'table': 'Root', 'where': []}");
    assert_int_equal(json_array_size(result), 4);
    assert_int_equal(count_of(result, 0), 1);
    assert_non_null(json_object_get(json_array_get(result, 1), "uuid"));
    assert_error(result, 2, "domain error");
    assert_true(json_is_null(json_array_get(result, 3)));
    json_decref(result);
    assert_int_equal(n_rows("Root"), 1);
    assert_int_equal(int_field("Root", u, "n"), 1);
    assert_int_equal(json_array_size(records), 1);
}

/* ---- Change sets and journal records. ---- */

static void
test_change_sets(void **state TERN_UNUSED)
{
    const struct ovsdb_table_schema *root = table("Root");
    unsigned int n_col = ovsdb_table_schema_find_column(root, "n")->index;
    unsigned int name_col =
        ovsdb_table_schema_find_column(root, "name")->index;
    const size_t bits = sizeof(unsigned long) * CHAR_BIT;
    const struct ovsdb_row_change *rc;
    char u[UUID_LEN + 1];
    struct uuid txn_id;
    json_t *result;

    strcpy(u, insert_root("a", "'n': 1"));
    assert_int_equal(last_changes->n, 1);
    rc = &last_changes->rows[0];
    assert_null(rc->old);
    assert_non_null(rc->new_);
    assert_ptr_equal(rc->table, root);
    txn_id = last_changes->txn_id;
    assert_true(uuid_equals(ovsdb_last_txn_id(db), &txn_id));

    result = run("{'op': 'update', 'table': 'Root', 'where': [],"
                 " 'row': {'n': 2}}");
    json_decref(result);
    assert_int_equal(last_changes->n, 1);
    rc = &last_changes->rows[0];
    assert_non_null(rc->old);
    assert_non_null(rc->new_);
    assert_int_equal(field(rc->old, "n")->keys[0].integer, 1);
    assert_int_equal(field(rc->new_, "n")->keys[0].integer, 2);
    assert_true(rc->changed[n_col / bits] & (1UL << (n_col % bits)));
    assert_false(rc->changed[name_col / bits] & (1UL << (name_col % bits)));
    assert_false(uuid_equals(ovsdb_last_txn_id(db), &txn_id));

    /* The old row stays valid after the database moves on. */
    struct ovsdb_changes *kept = last_changes;
    last_changes = NULL;
    result = run("{'op': 'delete', 'table': 'Root', 'where': []}");
    json_decref(result);
    assert_int_equal(field(kept->rows[0].new_, "n")->keys[0].integer, 2);
    ovsdb_changes_destroy(kept);
    assert_null(last_changes->rows[0].new_);
}

static void
test_journal_record_format(void **state TERN_UNUSED)
{
    char u[UUID_LEN + 1];
    json_t *record, *t, *row;
    json_t *result;

    strcpy(u, insert_root("a", "'n': 1, 'eph': 5"));
    record = json_array_get(records, 0);
    t = json_object_get(record, "Root");
    row = json_object_get(t, u);
    assert_non_null(row);
    assert_string_equal(json_string_value(json_object_get(row, "name")), "a");
    assert_null(json_object_get(row, "eph")); /* Ephemeral. */
    assert_true(json_is_integer(json_object_get(record, "_date")));
    assert_true(json_is_string(json_object_get(record, "_txn_id")));

    result = run("{'op': 'update', 'table': 'Root', 'where': [],"
                 " 'row': {'n': 2}}");
    json_decref(result);
    row = json_object_get(json_object_get(json_array_get(records, 1), "Root"),
                          u);
    assert_int_equal(json_integer_value(json_object_get(row, "n")), 2);
    assert_null(json_object_get(row, "name")); /* Unchanged. */

    result = run("{'op': 'delete', 'table': 'Root', 'where': []}");
    json_decref(result);
    row = json_object_get(json_object_get(json_array_get(records, 2), "Root"),
                          u);
    assert_true(json_is_null(row));
}

struct dump_aux {
    json_t *rows;
};

static void
dump_row(const struct ovsdb_row *row, void *aux_)
{
    struct dump_aux *aux = aux_;
    char u[UUID_LEN + 1];
    json_t *json = ovsdb_row_to_json(row, NULL);

    /* Ephemeral columns are not journalled. */
    json_object_del(json, "eph");
    json_object_set_new(json, "_n_refs",
                        json_integer((json_int_t)row->n_refs));
    uuid_to_string(&row->uuid, u);
    json_object_set_new(aux->rows, u, json);
}

static json_t *
dump_db(struct ovsdb *d)
{
    const struct ovsdb_schema *s = ovsdb_get_schema(d);
    json_t *all = json_object();

    for (size_t i = 0; i < s->n_tables; i++) {
        struct dump_aux aux = {json_object()};

        ovsdb_table_for_each(d, s->tables[i], dump_row, &aux);
        json_object_set_new(all, s->tables[i]->name, aux.rows);
    }
    return all;
}

static void
test_journal_replay_round_trip(void **state TERN_UNUSED)
{
    char kid[UUID_LEN + 1], *text;
    struct ovsdb *copy;
    json_t *a, *b;

    insert_root_with_kid("r", "k", kid);
    insert_root("s", "'n': 3, 'tags': ['set', ['x', 'y']], 'eph': 9");
    text = runf("{'op': 'insert', 'table': 'Holder', 'row': "
                "{'target': ['uuid', '%s']}},"
                "{'op': 'mutate', 'table': 'Root', 'where': "
                "[['name', '==', 's']], 'mutations': [['n', '*=', 7],"
                " ['opts', 'insert', ['map', [['a', 'b']]]]]},"
                "{'op': 'update', 'table': 'Root', 'where': "
                "[['name', '==', 's']], 'row': {'weak': ['uuid', '%s']}},"
                "{'op': 'comment', 'comment': 'step'}",
                kid, kid);
    free(text);
    text = runf("{'op': 'insert', 'table': 'Limited', 'row': {'k': 1}},"
                "{'op': 'delete', 'table': 'Holder', 'where': []}");
    free(text);
    text = runf("{'op': 'update', 'table': 'Root', 'where': "
                "[['name', '==', 'r']], 'row': {'kids': ['set', []]}}");
    free(text);
    assert_int_equal(n_rows("Child"), 0);
    assert_int_equal(json_array_size(records), 5);

    copy = make_db();
    for (size_t i = 0; i < json_array_size(records); i++) {
        /* Round-trip each record through text, as a journal file would. */
        char *s = json_dumps(json_array_get(records, i), JSON_COMPACT);
        json_t *record = json_loads(s, 0, NULL);
        struct ovsdb_error *error = ovsdb_apply_json(copy, record);

        if (error) {
            fail_msg("record %zu: %s", i, ovsdb_error_to_string(error));
        }
        json_decref(record);
        free(s);
    }
    a = dump_db(db);
    b = dump_db(copy);
    if (!json_equal(a, b)) {
        char *sa = json_dumps(a, JSON_COMPACT | JSON_SORT_KEYS);
        char *sb = json_dumps(b, JSON_COMPACT | JSON_SORT_KEYS);

        fail_msg("replayed database differs:\n%s\n%s", sa, sb);
    }
    assert_true(uuid_equals(ovsdb_last_txn_id(copy), ovsdb_last_txn_id(db)));
    json_decref(a);
    json_decref(b);
    ovsdb_destroy(copy);
}

static void
test_apply_json_errors(void **state TERN_UNUSED)
{
    const char *bad[] = {
        "[1]",
        "{'Nope': {}}",
        "{'Root': 5}",
        "{'Root': {'not-a-uuid': {}}}",
        "{'Root': {'11111111-2222-3333-4444-555555555555': null}}",
        "{'Root': {'11111111-2222-3333-4444-555555555555': {'zz': 1}}}",
        "{'Root': {'11111111-2222-3333-4444-555555555555': {'n': 'x'}}}",
    };

    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        json_t *record = test_json_q(bad[i]);
        struct ovsdb_error *error = ovsdb_apply_json(db, record);

        if (!error) {
            fail_msg("record %s was accepted", bad[i]);
        }
        ovsdb_error_destroy(error);
        json_decref(record);
    }
    assert_int_equal(n_rows("Root"), 0);
}

static void
test_version_changes_on_modification(void **state TERN_UNUSED)
{
    char u[UUID_LEN + 1];
    struct uuid v1, v2;
    json_t *result;

    strcpy(u, insert_root("a", "'n': 1"));
    v1 = row_of("Root", u)->version;
    result = mutate_root("[['n', '+=', 1]]");
    json_decref(result);
    v2 = row_of("Root", u)->version;
    assert_false(uuid_equals(&v1, &v2));
    assert_true(uuid_equals(&row_of("Root", u)->uuid,
                            &field(row_of("Root", u), "_uuid")->keys[0].uuid));
    assert_true(
        uuid_equals(&v2, &field(row_of("Root", u), "_version")->keys[0].uuid));
}

int
main(void)
{
#define T(NAME) cmocka_unit_test_setup_teardown(NAME, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_insert_and_select),
        T(test_select_columns),
        T(test_insert_named_uuid_reference),
        T(test_insert_forward_named_uuid),
        T(test_insert_errors),
        T(test_insert_with_given_uuid),
        T(test_condition_ordering),
        T(test_condition_includes_excludes),
        T(test_condition_errors),
        T(test_condition_by_uuid),
        T(test_condition_public_api),
        T(test_update),
        T(test_update_noop_keeps_version),
        T(test_update_errors),
        T(test_mutate_integer_arithmetic),
        T(test_mutate_real_and_sets),
        T(test_mutate_domain_and_range_errors),
        T(test_mutate_insert_delete),
        T(test_mutate_constraint_violations),
        T(test_delete),
        T(test_refint_violations),
        T(test_weak_refs_removed),
        T(test_weak_ref_min_violation),
        T(test_gc_unreferenced_rows),
        T(test_ref_counts),
        T(test_max_rows),
        T(test_index_uniqueness),
        T(test_wait),
        T(test_wait_timeout),
        T(test_commit_abort_comment),
        T(test_assert_lock),
        T(test_read_only),
        T(test_bad_operations),
        T(test_atomic_failure),
        T(test_change_sets),
        T(test_journal_record_format),
        T(test_journal_replay_round_trip),
        T(test_apply_json_errors),
        T(test_version_changes_on_modification),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
