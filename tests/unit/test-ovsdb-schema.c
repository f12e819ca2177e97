/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for ovsdb/ovsdb-schema.c: parsing <database-schema> (RFC 7047
 * section 3.2) — implicit columns, defaults of mutable/ephemeral/isRoot,
 * maxRows, indexes, reference resolution — and rejecting malformed
 * schemas.  JSON in this file uses single quotes for readability; they are
 * turned into double quotes before parsing.
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
#include <unistd.h>

#include "ovsdb/ovsdb.h"
#include "tests/unit/test-common.h"

/* Parses 'text'; returns the schema, or NULL and the error text in
 * *details (caller frees). */
static struct ovsdb_schema *
parse_schema(const char *text, char **details)
{
    struct ovsdb_schema *schema;
    struct ovsdb_error *error;
    json_t *json = test_json_q(text);

    error = ovsdb_schema_from_json(json, &schema);
    json_decref(json);
    if (details) {
        *details = error ? ovsdb_error_to_string(error) : NULL;
    }
    ovsdb_error_destroy(error);
    return schema;
}

static void
assert_rejected(const char *text, const char *needle)
{
    char *details;
    struct ovsdb_schema *schema = parse_schema(text, &details);

    assert_null(schema);
    assert_non_null(details);
    if (needle && !strstr(details, needle)) {
        fail_msg("error \"%s\" lacks \"%s\"", details, needle);
    }
    free(details);
}

static const char *const good_schema =
    "{'name': 'Test', 'version': '1.2.3', 'cksum': '123 45',"
    " 'tables': {"
    "  'A': {'columns': {"
    "     'name': {'type': 'string'},"
    "     'bs': {'type': {'key': {'type': 'uuid', 'refTable': 'B'},"
    "                     'min': 0, 'max': 'unlimited'}},"
    "     'w': {'type': {'key': {'type': 'uuid', 'refTable': 'B',"
    "                            'refType': 'weak'}, 'min': 0, 'max': 1}},"
    "     'fixed': {'type': 'integer', 'mutable': false},"
    "     'tmp': {'type': 'integer', 'ephemeral': true}},"
    "   'isRoot': true, 'maxRows': 5, 'indexes': [['name'], ['fixed', 'name']]"
    "  },"
    "  'B': {'columns': {'x': {'type': 'integer'}}}}}";

static void
test_schema_accepts_full_schema(void **state TERN_UNUSED)
{
    char *details;
    struct ovsdb_schema *schema = parse_schema(good_schema, &details);

    if (!schema) {
        fail_msg("%s", details);
    }
    assert_string_equal(schema->name, "Test");
    assert_string_equal(schema->version, "1.2.3");
    assert_string_equal(schema->cksum, "123 45");
    assert_int_equal(schema->n_tables, 2);

    const struct ovsdb_table_schema *a = ovsdb_schema_find_table(schema, "A");
    const struct ovsdb_table_schema *b = ovsdb_schema_find_table(schema, "B");
    assert_non_null(a);
    assert_non_null(b);
    assert_null(ovsdb_schema_find_table(schema, "C"));
    assert_true(a->is_root);
    assert_false(b->is_root);
    assert_int_equal(a->max_rows, 5);
    assert_int_equal(b->max_rows, UINT_MAX);
    assert_int_equal(a->n_columns, 5 + OVSDB_N_IMPLICIT_COLUMNS);
    assert_string_equal(a->columns[OVSDB_COL_UUID]->name, "_uuid");
    assert_string_equal(a->columns[OVSDB_COL_VERSION]->name, "_version");

    const struct ovsdb_column_schema *bs =
        ovsdb_table_schema_find_column(a, "bs");
    assert_non_null(bs);
    assert_ptr_equal(a->columns[bs->index], bs);
    assert_ptr_equal(bs->type.key.ref_table, b);
    assert_int_equal(bs->type.key.ref_type, OVSDB_REF_STRONG);
    assert_true(bs->mutable_);
    assert_false(bs->ephemeral);
    assert_int_equal(ovsdb_table_schema_find_column(a, "w")->type.key.ref_type,
                     OVSDB_REF_WEAK);
    assert_false(ovsdb_table_schema_find_column(a, "fixed")->mutable_);
    assert_true(ovsdb_table_schema_find_column(a, "tmp")->ephemeral);
    assert_false(a->columns[OVSDB_COL_UUID]->mutable_);

    assert_int_equal(a->n_indexes, 2);
    assert_int_equal(a->indexes[0].n, 1);
    assert_int_equal(a->indexes[0].columns[0],
                     ovsdb_table_schema_find_column(a, "name")->index);
    assert_int_equal(a->indexes[1].n, 2);

    json_t *json = ovsdb_schema_to_json(schema);
    assert_string_equal(json_string_value(json_object_get(json, "name")),
                        "Test");
    json_decref(json);
    ovsdb_schema_destroy(schema);
}

static void
test_schema_all_root_without_isroot(void **state TERN_UNUSED)
{
    struct ovsdb_schema *schema =
        parse_schema("{'name': 'X', 'version': '0.0.1', 'tables': {"
                     " 'T': {'columns': {'a': {'type': 'integer'}}},"
                     " 'U': {'columns': {}}}}",
                     NULL);

    assert_non_null(schema);
    assert_true(schema->tables[0]->is_root);
    assert_true(schema->tables[1]->is_root);
    assert_int_equal(schema->tables[1]->n_columns, OVSDB_N_IMPLICIT_COLUMNS);
    ovsdb_schema_destroy(schema);
}

static void
test_schema_rejects_unknown_members(void **state TERN_UNUSED)
{
    assert_rejected("{'name': 'X', 'tables': {}, 'bogus': 1}", "bogus");
    assert_rejected("{'name': 'X', 'tables': {'T': {'columns': {},"
                    " 'extra': true}}}",
                    "extra");
    assert_rejected("{'name': 'X', 'tables': {'T': {'columns': {"
                    " 'a': {'type': 'integer', 'nope': 1}}}}}",
                    "nope");
}

static void
test_schema_rejects_bad_names(void **state TERN_UNUSED)
{
    assert_rejected("{'name': '1abc', 'tables': {}}", "name");
    assert_rejected("{'name': 'X', 'tables': {'a-b': {'columns': {}}}}",
                    "a-b");
    assert_rejected("{'name': 'X', 'tables': {'_T': {'columns': {}}}}",
                    "reserved");
    assert_rejected("{'name': 'X', 'tables': {'T': {'columns': {"
                    " '_uuid': {'type': 'integer'}}}}}",
                    "reserved");
    assert_rejected("{'name': 'X', 'tables': {'T': {'columns': {"
                    " 'a b': {'type': 'integer'}}}}}",
                    "identifier");
}

static void
test_schema_rejects_bad_refs_and_types(void **state TERN_UNUSED)
{
    assert_rejected("{'name': 'X', 'tables': {'T': {'columns': {"
                    " 'r': {'type': {'key': {'type': 'uuid',"
                    " 'refTable': 'Nope'}}}}}}}",
                    "Nope");
    assert_rejected("{'name': 'X', 'tables': {'T': {'columns': {"
                    " 'a': {'type': 'blob'}}}}}",
                    NULL);
    assert_rejected("{'name': 'X', 'tables': {'T': {'columns': {"
                    " 'a': {}}}}}",
                    "type");
    assert_rejected("{'name': 'X', 'tables': {'T': {}}}", "columns");
    assert_rejected("{'name': 'X'}", "tables");
    assert_rejected("{'tables': {}}", "name");
    assert_rejected("[1, 2]", NULL);
}

static void
test_schema_rejects_bad_table_options(void **state TERN_UNUSED)
{
    assert_rejected("{'name': 'X', 'version': '1.2', 'tables': {}}",
                    "version");
    assert_rejected("{'name': 'X', 'tables': {'T': {'columns': {},"
                    " 'maxRows': 0}}}",
                    "maxRows");
    assert_rejected("{'name': 'X', 'tables': {'T': {'columns': {},"
                    " 'isRoot': 'yes'}}}",
                    "isRoot");
    assert_rejected("{'name': 'X', 'tables': {'T': {'columns': {"
                    " 'a': {'type': 'integer'}}, 'indexes': [['b']]}}}",
                    "unknown column");
    assert_rejected("{'name': 'X', 'tables': {'T': {'columns': {"
                    " 'a': {'type': 'integer'}}, 'indexes': [[]]}}}",
                    "index");
    assert_rejected("{'name': 'X', 'tables': {'T': {'columns': {"
                    " 'a': {'type': 'integer', 'ephemeral': true}},"
                    " 'indexes': [['a']]}}}",
                    "ephemeral");
    assert_rejected("{'name': 'X', 'tables': {'T': {'columns': {"
                    " 'a': {'type': 'integer', 'mutable': 1}}}}}",
                    "mutable");
}

static void
test_schema_from_file(void **state TERN_UNUSED)
{
    char path[] = "/tmp/tern-schema-XXXXXX";
    int fd = mkstemp(path);
    struct ovsdb_schema *schema;
    struct ovsdb_error *error;
    FILE *f;

    assert_true(fd >= 0);
    f = fdopen(fd, "w");
    fputs("{\"name\": \"F\", \"version\": \"7.0.0\", \"tables\": "
          "{\"T\": {\"columns\": {\"a\": {\"type\": \"string\"}}}}}",
          f);
    fclose(f);
    error = ovsdb_schema_from_file(path, &schema);
    assert_null(error);
    assert_string_equal(schema->name, "F");
    assert_non_null(ovsdb_table_schema_find_column(schema->tables[0], "a"));
    ovsdb_schema_destroy(schema);

    f = fopen(path, "w");
    fputs("{\"name\": ", f);
    fclose(f);
    error = ovsdb_schema_from_file(path, &schema);
    assert_non_null(error);
    assert_null(schema);
    ovsdb_error_destroy(error);
    unlink(path);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schema_accepts_full_schema),
        cmocka_unit_test(test_schema_all_root_without_isroot),
        cmocka_unit_test(test_schema_rejects_unknown_members),
        cmocka_unit_test(test_schema_rejects_bad_names),
        cmocka_unit_test(test_schema_rejects_bad_refs_and_types),
        cmocka_unit_test(test_schema_rejects_bad_table_options),
        cmocka_unit_test(test_schema_from_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
