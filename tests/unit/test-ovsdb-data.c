/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for the OVSDB data model: ovsdb-error, the <type> JSON of
 * ovsdb-types, atoms and datums with their JSON <value> notation, the
 * named-uuid symbol table, set algebra, comparison and hashing
 * (ovsdb-data), and the ovs-vsctl text notation (ovsdb-data-string).
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "ovsdb/ovsdb-data.h"
#include "ovsdb/ovsdb-error.h"
#include "tests/unit/test-common.h"

/* ---- Helpers. ---- */

/* Parses type 'text'; fails the test on error. */
static void
type_parse(struct ovsdb_type *type, const char *text)
{
    json_t *json = test_json(text);
    struct ovsdb_error *error = ovsdb_type_from_json(type, json);

    if (error) {
        fail_msg("type %s: %s: %s", text, error->tag,
                 error->details ? error->details : "");
    }
    json_decref(json);
}

/* Returns the error tag of parsing type 'text' ("" if it parsed). */
static void
assert_type_error(const char *text)
{
    json_t *json = test_json(text);
    struct ovsdb_type type;
    struct ovsdb_error *error = ovsdb_type_from_json(&type, json);

    if (!error) {
        ovsdb_type_destroy(&type);
        fail_msg("type %s parsed but should not", text);
    }
    assert_string_equal(error->tag, "syntax error");
    assert_non_null(error->details);
    ovsdb_error_destroy(error);
    json_decref(json);
}

/* Asserts that type 'text' reads back from its own JSON as 'expect'. */
static void
assert_type_roundtrip(const char *text, const char *expect)
{
    struct ovsdb_type type;
    json_t *out;
    char *s;

    type_parse(&type, text);
    out = ovsdb_type_to_json(&type);
    s = json_dumps(out, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
    assert_string_equal(s, expect);
    free(s);
    json_decref(out);
    ovsdb_type_destroy(&type);
}

/* Parses value 'text' of 'type'; returns the error tag or NULL.  On
 * success 'datum' is filled. */
static char *
datum_parse(struct ovsdb_datum *datum, const struct ovsdb_type *type,
            const char *text, struct ovsdb_symbol_table *symtab)
{
    json_t *json = test_json(text);
    struct ovsdb_error *error;
    char *tag = NULL;

    error = ovsdb_datum_from_json(datum, type, json, symtab);
    json_decref(json);
    if (error) {
        assert_non_null(error->details);
        tag = xstrdup(error->tag);
        ovsdb_error_destroy(error);
    }
    return tag;
}

/* Asserts that 'text' of type 'type_text' fails with 'tag'. */
static void
assert_value_error(const char *type_text, const char *text, const char *tag)
{
    struct ovsdb_type type;
    struct ovsdb_datum datum;
    char *got;

    type_parse(&type, type_text);
    got = datum_parse(&datum, &type, text, NULL);
    if (!got) {
        ovsdb_datum_destroy(&datum, &type);
        fail_msg("%s parsed as %s but should not", text, type_text);
    }
    assert_string_equal(got, tag);
    assert_int_equal(datum.n, 0);
    free(got);
    ovsdb_type_destroy(&type);
}

/* Asserts that 'text' of type 'type_text' parses and writes back as
 * 'expect' (compact JSON). */
static void
assert_value_json(const char *type_text, const char *text, const char *expect)
{
    struct ovsdb_type type;
    struct ovsdb_datum datum;
    json_t *out;
    char *got, *s;

    type_parse(&type, type_text);
    got = datum_parse(&datum, &type, text, NULL);
    if (got) {
        fail_msg("%s as %s: %s", text, type_text, got);
    }
    out = ovsdb_datum_to_json(&datum, &type);
    s = json_dumps(out, JSON_COMPACT | JSON_ENCODE_ANY);
    assert_string_equal(s, expect);
    free(s);
    json_decref(out);
    assert_null(ovsdb_datum_check(&datum, &type));
    ovsdb_datum_destroy(&datum, &type);
    ovsdb_type_destroy(&type);
}

/* Parses 'text' in ovs-vsctl notation as 'type_text' and asserts that it
 * prints as 'expect'. */
static void
assert_string_parse(const char *type_text, const char *text,
                    const char *expect)
{
    struct ovsdb_type type;
    struct ovsdb_datum datum;
    struct ds ds = DS_EMPTY;
    char *error;

    type_parse(&type, type_text);
    error = ovsdb_datum_from_string(&datum, &type, text, NULL);
    if (error) {
        fail_msg("\"%s\" as %s: %s", text, type_text, error);
    }
    ovsdb_datum_to_string(&datum, &type, &ds);
    assert_string_equal(ds_cstr(&ds), expect);
    ds_destroy(&ds);
    ovsdb_datum_destroy(&datum, &type);
    ovsdb_type_destroy(&type);
}

/* Asserts that 'text' is rejected as 'type_text', with a message that
 * contains 'part'. */
static void
assert_string_error(const char *type_text, const char *text, const char *part)
{
    struct ovsdb_type type;
    struct ovsdb_datum datum;
    char *error;

    type_parse(&type, type_text);
    error = ovsdb_datum_from_string(&datum, &type, text, NULL);
    if (!error) {
        ovsdb_datum_destroy(&datum, &type);
        fail_msg("\"%s\" as %s parsed but should not", text, type_text);
    }
    if (!strstr(error, part)) {
        fail_msg("\"%s\": message \"%s\" lacks \"%s\"", text, error, part);
    }
    assert_int_equal(datum.n, 0);
    free(error);
    ovsdb_type_destroy(&type);
}

static const char *const map_ss =
    "{\"key\":\"string\",\"value\":\"string\",\"min\":0,"
    "\"max\":\"unlimited\"}";
static const char *const set_int =
    "{\"key\":{\"type\":\"integer\",\"minInteger\":0,\"maxInteger\":4095},"
    "\"min\":0,\"max\":4096}";
static const char *const set_uuid =
    "{\"key\":\"uuid\",\"min\":0,\"max\":\"unlimited\"}";
static const char *const opt_str =
    "{\"key\":{\"type\":\"string\",\"enum\":[\"set\",[\"secure\","
    "\"standalone\"]]},\"min\":0,\"max\":1}";

#define UUID_A "01234567-89ab-cdef-0123-456789abcdef"
#define UUID_B "fedcba98-7654-3210-fedc-ba9876543210"

/* ---- Errors. ---- */

static void
test_error_basics(void **state)
{
    struct ovsdb_error *e =
        ovsdb_error("constraint violation", "%d > %d", 5, 3);
    struct ovsdb_error *c = ovsdb_error_clone(e);
    json_t *j = ovsdb_error_to_json(c);
    char *s = ovsdb_error_to_string(e);

    (void)state;
    assert_string_equal(s, "constraint violation: 5 > 3");
    assert_string_equal(json_string_value(json_object_get(j, "error")),
                        "constraint violation");
    assert_string_equal(json_string_value(json_object_get(j, "details")),
                        "5 > 3");
    free(s);
    json_decref(j);
    ovsdb_error_destroy(e);
    ovsdb_error_destroy(c);

    e = ovsdb_error("not owner", NULL);
    j = ovsdb_error_to_json(e);
    assert_null(json_object_get(j, "details"));
    s = ovsdb_error_to_string(e);
    assert_string_equal(s, "not owner");
    free(s);
    json_decref(j);
    ovsdb_error_destroy(e);
    assert_null(ovsdb_error_clone(NULL));
    ovsdb_error_destroy(NULL);
}

static void
test_error_syntax(void **state)
{
    json_t *j = test_json("[1,2]");
    struct ovsdb_error *e = ovsdb_syntax_error(j, "bad %s", "thing");

    (void)state;
    assert_string_equal(e->tag, "syntax error");
    assert_non_null(strstr(e->details, "bad thing"));
    assert_non_null(strstr(e->details, "[1,2]"));
    ovsdb_error_destroy(e);
    json_decref(j);
}

/* ---- Types. ---- */

static void
test_type_atomic(void **state)
{
    static const char *const names[] = {"integer", "real", "boolean", "string",
                                        "uuid"};

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        char in[32], out[32];
        struct ovsdb_type type;

        snprintf(in, sizeof in, "\"%s\"", names[i]);
        type_parse(&type, in);
        assert_true(ovsdb_type_is_scalar(&type));
        assert_false(ovsdb_type_is_map(&type));
        assert_string_equal(ovsdb_atomic_type_to_string(type.key.type),
                            names[i]);
        ovsdb_type_destroy(&type);
        snprintf(out, sizeof out, "\"%s\"", names[i]);
        assert_type_roundtrip(in, out);
    }
    assert_type_roundtrip("{\"key\":\"integer\"}", "\"integer\"");
    assert_type_roundtrip("{\"key\":{\"type\":\"real\"}}", "\"real\"");
}

static void
test_type_bad_atomic(void **state)
{
    (void)state;
    assert_type_error("\"void\"");
    assert_type_error("\"int\"");
    assert_type_error("5");
    assert_type_error("null");
    assert_type_error("[\"integer\"]");
    assert_type_error("{\"key\":\"bogus\"}");
    assert_type_error("{\"key\":{\"type\":5}}");
    assert_type_error("{\"key\":{}}");
}

static void
test_type_integer_range(void **state)
{
    struct ovsdb_type type;

    (void)state;
    type_parse(&type, "{\"key\":{\"type\":\"integer\",\"minInteger\":-3,"
                      "\"maxInteger\":7}}");
    assert_int_equal(type.key.min_integer, -3);
    assert_int_equal(type.key.max_integer, 7);
    ovsdb_type_destroy(&type);
    assert_type_roundtrip("{\"key\":{\"type\":\"integer\",\"minInteger\":1}}",
                          "{\"key\":{\"minInteger\":1,\"type\":\"integer\"}}");
    assert_type_error("{\"key\":{\"type\":\"integer\",\"minInteger\":5,"
                      "\"maxInteger\":4}}");
    assert_type_error("{\"key\":{\"type\":\"integer\",\"minInteger\":1.5}}");
    assert_type_error("{\"key\":{\"type\":\"integer\",\"minReal\":1}}");
}

static void
test_type_real_range(void **state)
{
    struct ovsdb_type type;

    (void)state;
    type_parse(&type, "{\"key\":{\"type\":\"real\",\"minReal\":0,"
                      "\"maxReal\":1.5}}");
    assert_true(type.key.min_real == 0.0);
    assert_true(type.key.max_real == 1.5);
    ovsdb_type_destroy(&type);
    assert_type_roundtrip("{\"key\":{\"type\":\"real\",\"maxReal\":2.5}}",
                          "{\"key\":{\"maxReal\":2.5,\"type\":\"real\"}}");
    assert_type_error("{\"key\":{\"type\":\"real\",\"minReal\":2,"
                      "\"maxReal\":1}}");
    assert_type_error("{\"key\":{\"type\":\"real\",\"minReal\":\"0\"}}");
    assert_type_error("{\"key\":{\"type\":\"real\",\"minInteger\":0}}");
}

static void
test_type_string_length(void **state)
{
    struct ovsdb_type type;

    (void)state;
    type_parse(&type, "{\"key\":{\"type\":\"string\",\"minLength\":1,"
                      "\"maxLength\":8}}");
    assert_int_equal(type.key.min_length, 1);
    assert_int_equal(type.key.max_length, 8);
    ovsdb_type_destroy(&type);
    assert_type_roundtrip("{\"key\":{\"type\":\"string\",\"maxLength\":3}}",
                          "{\"key\":{\"maxLength\":3,\"type\":\"string\"}}");
    assert_type_error("{\"key\":{\"type\":\"string\",\"minLength\":-1}}");
    assert_type_error("{\"key\":{\"type\":\"string\",\"minLength\":4,"
                      "\"maxLength\":3}}");
    assert_type_error("{\"key\":{\"type\":\"boolean\",\"maxLength\":3}}");
}

static void
test_type_enum(void **state)
{
    struct ovsdb_type type;

    (void)state;
    type_parse(&type, opt_str);
    assert_non_null(type.key.enum_);
    assert_int_equal(type.key.enum_->n, 2);
    assert_string_equal(type.key.enum_->keys[0].string, "secure");
    assert_int_equal(type.n_min, 0);
    assert_int_equal(type.n_max, 1);
    ovsdb_type_destroy(&type);
    assert_type_roundtrip(opt_str, "{\"key\":{\"enum\":[\"set\",[\"secure\","
                                   "\"standalone\"]],\"type\":\"string\"},"
                                   "\"min\":0}");
    /* A one-element enum may be written as the bare atom and is written
     * back as a set. */
    assert_type_roundtrip("{\"key\":{\"type\":\"integer\",\"enum\":7}}",
                          "{\"key\":{\"enum\":[\"set\",[7]],"
                          "\"type\":\"integer\"}}");
    assert_type_error("{\"key\":{\"type\":\"integer\",\"enum\":\"x\"}}");
    assert_type_error("{\"key\":{\"type\":\"integer\",\"enum\":"
                      "[\"set\",[]]}}");
}

static void
test_type_ref(void **state)
{
    struct ovsdb_type type;

    (void)state;
    type_parse(&type, "{\"key\":{\"type\":\"uuid\",\"refTable\":\"Port\"},"
                      "\"min\":0,\"max\":\"unlimited\"}");
    assert_string_equal(type.key.ref_table_name, "Port");
    assert_int_equal(type.key.ref_type, OVSDB_REF_STRONG);
    assert_int_equal(type.n_max, OVSDB_N_MAX_UNLIMITED);
    ovsdb_type_destroy(&type);
    type_parse(&type, "{\"key\":{\"type\":\"uuid\",\"refTable\":\"Port\","
                      "\"refType\":\"weak\"}}");
    assert_int_equal(type.key.ref_type, OVSDB_REF_WEAK);
    ovsdb_type_destroy(&type);
    assert_type_roundtrip("{\"key\":{\"type\":\"uuid\",\"refTable\":\"T\","
                          "\"refType\":\"weak\"}}",
                          "{\"key\":{\"refTable\":\"T\",\"refType\":"
                          "\"weak\",\"type\":\"uuid\"}}");
    assert_type_error("{\"key\":{\"type\":\"uuid\",\"refTable\":\"T\","
                      "\"refType\":\"soft\"}}");
    assert_type_error("{\"key\":{\"type\":\"uuid\",\"refType\":\"weak\"}}");
    assert_type_error("{\"key\":{\"type\":\"uuid\",\"refTable\":5}}");
    assert_type_error("{\"key\":{\"type\":\"string\",\"refTable\":\"T\"}}");
}

static void
test_type_unknown_member(void **state)
{
    (void)state;
    assert_type_error("{\"key\":\"string\",\"color\":\"red\"}");
    assert_type_error("{\"key\":{\"type\":\"string\",\"color\":1}}");
    assert_type_error("{\"value\":\"string\"}");
}

static void
test_type_set_map(void **state)
{
    struct ovsdb_type type;

    (void)state;
    type_parse(&type, map_ss);
    assert_true(ovsdb_type_is_map(&type));
    assert_false(ovsdb_type_is_scalar(&type));
    assert_int_equal(type.value.type, OVSDB_TYPE_STRING);
    assert_int_equal(type.n_min, 0);
    ovsdb_type_destroy(&type);
    assert_type_roundtrip(map_ss, "{\"key\":\"string\",\"max\":\"unlimited\","
                                  "\"min\":0,\"value\":\"string\"}");
    assert_type_roundtrip("{\"key\":\"integer\",\"min\":1,\"max\":4}",
                          "{\"key\":\"integer\",\"max\":4}");
    assert_type_roundtrip("{\"key\":\"uuid\",\"min\":0}",
                          "{\"key\":\"uuid\",\"min\":0}");
}

static void
test_type_bad_counts(void **state)
{
    (void)state;
    assert_type_error("{\"key\":\"string\",\"min\":2,\"max\":3}");
    assert_type_error("{\"key\":\"string\",\"min\":-1}");
    assert_type_error("{\"key\":\"string\",\"max\":0}");
    assert_type_error("{\"key\":\"string\",\"min\":0,\"max\":0}");
    assert_type_error("{\"key\":\"string\",\"max\":\"lots\"}");
    assert_type_error("{\"key\":\"string\",\"max\":1.5}");
    assert_type_error("{\"key\":\"string\",\"min\":true}");
}

static void
test_type_clone(void **state)
{
    struct ovsdb_type type, copy;
    json_t *a, *b;

    (void)state;
    type_parse(&type, "{\"key\":{\"type\":\"string\",\"enum\":[\"set\","
                      "[\"a\",\"b\"]]},\"value\":{\"type\":\"uuid\","
                      "\"refTable\":\"T\"},\"min\":0,\"max\":3}");
    ovsdb_type_clone(&copy, &type);
    assert_ptr_not_equal(copy.key.enum_, type.key.enum_);
    assert_ptr_not_equal(copy.value.ref_table_name, type.value.ref_table_name);
    a = ovsdb_type_to_json(&type);
    ovsdb_type_destroy(&type);
    b = ovsdb_type_to_json(&copy);
    assert_true(json_equal(a, b));
    json_decref(a);
    json_decref(b);
    ovsdb_type_destroy(&copy);
}

/* ---- Atoms. ---- */

/* Parses atom 'text' of base type 'type_text' into 'atom'; returns the
 * error tag (caller frees) or NULL. */
static char *
atom_parse(union ovsdb_atom *atom, struct ovsdb_type *type,
           const char *type_text, const char *text,
           struct ovsdb_symbol_table *symtab)
{
    json_t *json = test_json(text);
    struct ovsdb_error *error;
    char *tag = NULL;

    type_parse(type, type_text);
    error = ovsdb_atom_from_json(atom, &type->key, json, symtab);
    json_decref(json);
    if (error) {
        tag = xstrdup(error->tag);
        ovsdb_error_destroy(error);
    }
    return tag;
}

static void
assert_atom_error(const char *type_text, const char *text, const char *tag)
{
    struct ovsdb_type type;
    union ovsdb_atom atom;
    char *got = atom_parse(&atom, &type, type_text, text, NULL);

    if (!got) {
        ovsdb_atom_destroy(&atom, type.key.type);
        fail_msg("atom %s parsed as %s but should not", text, type_text);
    }
    assert_string_equal(got, tag);
    free(got);
    ovsdb_type_destroy(&type);
}

static void
assert_atom_ok(const char *type_text, const char *text)
{
    struct ovsdb_type type;
    union ovsdb_atom atom;
    char *got = atom_parse(&atom, &type, type_text, text, NULL);

    if (got) {
        fail_msg("atom %s as %s: %s", text, type_text, got);
    }
    ovsdb_atom_destroy(&atom, type.key.type);
    ovsdb_type_destroy(&type);
}

static void
test_atom_integer(void **state)
{
    const char *ranged = "{\"key\":{\"type\":\"integer\",\"minInteger\":0,"
                         "\"maxInteger\":4095}}";
    struct ovsdb_type type;
    union ovsdb_atom atom;

    (void)state;
    assert_null(
        atom_parse(&atom, &type, "\"integer\"", "-9223372036854775808", NULL));
    assert_true(atom.integer == INT64_MIN);
    ovsdb_type_destroy(&type);
    assert_atom_error("\"integer\"", "1.0", "syntax error");
    assert_atom_error("\"integer\"", "\"1\"", "syntax error");
    assert_atom_error("\"integer\"", "true", "syntax error");
    assert_atom_ok(ranged, "0");
    assert_atom_ok(ranged, "4095");
    assert_atom_error(ranged, "4096", "constraint violation");
    assert_atom_error(ranged, "-1", "constraint violation");
}

static void
test_atom_real(void **state)
{
    const char *ranged = "{\"key\":{\"type\":\"real\",\"minReal\":-1.5,"
                         "\"maxReal\":2}}";
    struct ovsdb_type type;
    union ovsdb_atom atom;

    (void)state;
    assert_null(atom_parse(&atom, &type, "\"real\"", "3", NULL));
    assert_true(atom.real == 3.0);
    ovsdb_type_destroy(&type);
    assert_null(atom_parse(&atom, &type, "\"real\"", "2.25", NULL));
    assert_true(atom.real == 2.25);
    ovsdb_type_destroy(&type);
    assert_atom_error("\"real\"", "\"2\"", "syntax error");
    assert_atom_ok(ranged, "-1.5");
    assert_atom_ok(ranged, "2");
    assert_atom_error(ranged, "2.0001", "constraint violation");
    assert_atom_error(ranged, "-2", "constraint violation");
}

static void
test_atom_boolean(void **state)
{
    struct ovsdb_type type;
    union ovsdb_atom atom;

    (void)state;
    assert_null(atom_parse(&atom, &type, "\"boolean\"", "true", NULL));
    assert_true(atom.boolean);
    ovsdb_type_destroy(&type);
    assert_null(atom_parse(&atom, &type, "\"boolean\"", "false", NULL));
    assert_false(atom.boolean);
    ovsdb_type_destroy(&type);
    assert_atom_error("\"boolean\"", "1", "syntax error");
    assert_atom_error("\"boolean\"", "\"true\"", "syntax error");
    assert_atom_error("\"boolean\"", "null", "syntax error");
}

static void
test_atom_string_length(void **state)
{
    const char *ranged = "{\"key\":{\"type\":\"string\",\"minLength\":1,"
                         "\"maxLength\":2}}";

    (void)state;
    assert_atom_ok("\"string\"", "\"\"");
    assert_atom_ok(ranged, "\"a\"");
    /* Lengths count characters, not bytes: two 2-byte characters fit. */
    assert_atom_ok(ranged, "\"\\u00fc\\u00fc\"");
    assert_atom_ok(ranged, "\"\\ud83d\\ude00x\"");
    assert_atom_error(ranged, "\"\\u00fc\\u00fc\\u00fc\"",
                      "constraint violation");
    assert_atom_error(ranged, "\"\"", "constraint violation");
    assert_atom_error(ranged, "\"abc\"", "constraint violation");
    assert_atom_error("\"string\"", "5", "syntax error");
}

static void
test_atom_string_utf8(void **state)
{
    static const char *const bad[] = {
        "\xff",         "a\x80",        "\xc0\xaf",
        "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
        "\xe2\x82",
    };
    struct ovsdb_base_type base;

    (void)state;
    ovsdb_base_type_init(&base, OVSDB_TYPE_STRING);
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        json_t *j = json_stringn_nocheck(bad[i], strlen(bad[i]));
        union ovsdb_atom atom;
        struct ovsdb_error *error;

        error = ovsdb_atom_from_json(&atom, &base, j, NULL);
        assert_non_null(error);
        assert_string_equal(error->tag, "syntax error");
        ovsdb_error_destroy(error);
        json_decref(j);

        atom.string = (char *)bad[i];
        error = ovsdb_atom_check_constraints(&atom, &base);
        assert_non_null(error);
        assert_string_equal(error->tag, "constraint violation");
        ovsdb_error_destroy(error);
    }
    {
        /* An embedded null byte is rejected. */
        json_t *j = json_stringn("a\0b", 3);
        union ovsdb_atom atom;
        struct ovsdb_error *error;

        error = ovsdb_atom_from_json(&atom, &base, j, NULL);
        assert_non_null(error);
        ovsdb_error_destroy(error);
        json_decref(j);
    }
    ovsdb_base_type_destroy(&base);
}

static void
test_atom_enum(void **state)
{
    struct ovsdb_type type;
    union ovsdb_atom atom;
    struct ovsdb_error *error;

    (void)state;
    /* Invalid UTF-8 is reported as such, before the enum is consulted. */
    type_parse(&type, opt_str);
    atom.string = (char *)"\xff";
    error = ovsdb_atom_check_constraints(&atom, &type.key);
    assert_string_equal(error->tag, "constraint violation");
    assert_non_null(strstr(error->details, "UTF-8"));
    ovsdb_error_destroy(error);
    ovsdb_type_destroy(&type);

    assert_atom_ok(opt_str, "\"secure\"");
    assert_atom_ok(opt_str, "\"standalone\"");
    assert_atom_error(opt_str, "\"bogus\"", "constraint violation");
    assert_atom_error(opt_str, "\"Secure\"", "constraint violation");
    assert_atom_error(opt_str, "1", "syntax error");
}

static void
test_atom_uuid(void **state)
{
    struct ovsdb_type type;
    union ovsdb_atom atom;
    char buf[UUID_LEN + 1];
    json_t *j;

    (void)state;
    assert_null(atom_parse(&atom, &type, "\"uuid\"",
                           "[\"uuid\",\"" UUID_A "\"]", NULL));
    uuid_to_string(&atom.uuid, buf);
    assert_string_equal(buf, UUID_A);
    j = ovsdb_atom_to_json(&atom, OVSDB_TYPE_UUID);
    assert_string_equal(json_string_value(json_array_get(j, 0)), "uuid");
    assert_string_equal(json_string_value(json_array_get(j, 1)), UUID_A);
    json_decref(j);
    ovsdb_type_destroy(&type);
    assert_atom_error("\"uuid\"", "[\"uuid\",\"0123\"]", "syntax error");
    assert_atom_error("\"uuid\"", "[\"uuid\"]", "syntax error");
    assert_atom_error("\"uuid\"", "\"" UUID_A "\"", "syntax error");
    assert_atom_error("\"uuid\"", "[\"foo\",\"" UUID_A "\"]", "syntax error");
    assert_atom_error("\"uuid\"", "[\"uuid\",\"" UUID_A "\",1]",
                      "syntax error");
}

static void
test_named_uuid_without_symtab(void **state)
{
    (void)state;
    assert_atom_error("\"uuid\"", "[\"named-uuid\",\"row1\"]", "syntax error");
    assert_value_error(set_uuid, "[\"set\",[[\"named-uuid\",\"a\"]]]",
                       "syntax error");
}

static void
test_named_uuid_symtab(void **state)
{
    struct ovsdb_symbol_table *st = ovsdb_symbol_table_create();
    struct ovsdb_type type;
    union ovsdb_atom a, b, c;
    const struct uuid *u;
    char *tag;

    (void)state;
    assert_null(
        atom_parse(&a, &type, "\"uuid\"", "[\"named-uuid\",\"r1\"]", st));
    ovsdb_type_destroy(&type);
    assert_null(
        atom_parse(&b, &type, "\"uuid\"", "[\"named-uuid\",\"r1\"]", st));
    ovsdb_type_destroy(&type);
    assert_null(
        atom_parse(&c, &type, "\"uuid\"", "[\"named-uuid\",\"r2\"]", st));
    ovsdb_type_destroy(&type);
    assert_true(uuid_equals(&a.uuid, &b.uuid));
    assert_false(uuid_equals(&a.uuid, &c.uuid));
    assert_true(uuid_equals(ovsdb_symbol_table_get(st, "r1"), &a.uuid));
    assert_null(ovsdb_symbol_table_get(st, "r3"));

    tag = atom_parse(&c, &type, "\"uuid\"", "[\"named-uuid\",\"9x\"]", st);
    assert_string_equal(tag, "syntax error");
    free(tag);
    ovsdb_type_destroy(&type);

    /* Definitions by inserts. */
    assert_non_null(ovsdb_symbol_table_find_undefined(st));
    assert_true(ovsdb_symbol_table_define(st, "r1", &u));
    assert_true(uuid_equals(u, &b.uuid));
    assert_false(ovsdb_symbol_table_define(st, "r1", &u));
    assert_string_equal(ovsdb_symbol_table_find_undefined(st), "r2");
    assert_true(ovsdb_symbol_table_define(st, "r2", &u));
    assert_null(ovsdb_symbol_table_find_undefined(st));

    /* Many symbols (the table grows). */
    for (int i = 0; i < 500; i++) {
        char name[16];

        snprintf(name, sizeof name, "n%d", i);
        ovsdb_symbol_table_insert(st, name);
    }
    for (int i = 0; i < 500; i++) {
        char name[16];

        snprintf(name, sizeof name, "n%d", i);
        assert_non_null(ovsdb_symbol_table_get(st, name));
    }
    assert_true(uuid_equals(ovsdb_symbol_table_get(st, "r1"), &a.uuid));
    ovsdb_symbol_table_destroy(st);
}

/* ---- Datums. ---- */

static void
test_datum_set_sorting(void **state)
{
    (void)state;
    assert_value_json(set_int, "[\"set\",[3,1,2]]", "[\"set\",[1,2,3]]");
    assert_value_json(set_int, "5", "5");
    assert_value_json(set_int, "[\"set\",[5]]", "5");
    assert_value_json(set_int, "[\"set\",[]]", "[\"set\",[]]");
    assert_value_json("{\"key\":\"string\",\"max\":\"unlimited\"}",
                      "[\"set\",[\"b\",\"a\",\"B\"]]",
                      "[\"set\",[\"B\",\"a\",\"b\"]]");
    assert_value_json(
        set_uuid,
        "[\"set\",[[\"uuid\",\"" UUID_B "\"],[\"uuid\",\"" UUID_A "\"]]]",
        "[\"set\",[[\"uuid\",\"" UUID_A "\"],[\"uuid\",\"" UUID_B "\"]]]");
    assert_value_json("\"real\"", "1", "1.0");
}

static void
test_datum_set_duplicates(void **state)
{
    (void)state;
    assert_value_error(set_int, "[\"set\",[1,2,1]]", "constraint violation");
    assert_value_error(set_uuid,
                       "[\"set\",[[\"uuid\",\"" UUID_A
                       "\"],[\"uuid\",\"" UUID_A "\"]]]",
                       "constraint violation");
    assert_value_error(set_int, "[\"set\",[1,4096]]", "constraint violation");
    assert_value_error(set_int, "[\"set\",[1,\"x\"]]", "syntax error");
    assert_value_error(set_int, "[\"set\",1]", "syntax error");
    assert_value_error(set_int, "[\"map\",[]]", "syntax error");
}

static void
test_datum_map(void **state)
{
    (void)state;
    assert_value_json(map_ss, "[\"map\",[[\"b\",\"2\"],[\"a\",\"1\"]]]",
                      "[\"map\",[[\"a\",\"1\"],[\"b\",\"2\"]]]");
    assert_value_json(map_ss, "[\"map\",[]]", "[\"map\",[]]");
    assert_value_json(map_ss, "[\"map\",[[\"a\",\"x\"],[\"b\",\"x\"]]]",
                      "[\"map\",[[\"a\",\"x\"],[\"b\",\"x\"]]]");
    assert_value_error(map_ss, "[\"map\",[[\"a\",\"1\"],[\"a\",\"2\"]]]",
                       "constraint violation");
    assert_value_error(map_ss, "[\"map\",[[\"a\"]]]", "syntax error");
    assert_value_error(map_ss, "[\"map\",[[\"a\",1]]]", "syntax error");
    assert_value_error(map_ss, "[\"set\",[]]", "syntax error");
    assert_value_error(map_ss, "\"a\"", "syntax error");
    assert_value_error(map_ss, "[\"map\",{}]", "syntax error");
    assert_value_error("{\"key\":\"integer\",\"value\":{\"type\":\"integer\","
                       "\"maxInteger\":3},\"min\":0,\"max\":\"unlimited\"}",
                       "[\"map\",[[1,4]]]", "constraint violation");
}

static void
test_datum_counts(void **state)
{
    (void)state;
    assert_value_error("\"string\"", "[\"set\",[]]", "constraint violation");
    assert_value_error("\"string\"", "[\"set\",[\"a\",\"b\"]]",
                       "constraint violation");
    assert_value_json("\"string\"", "[\"set\",[\"a\"]]", "\"a\"");
    assert_value_json(opt_str, "[\"set\",[]]", "[\"set\",[]]");
    assert_value_error("{\"key\":\"integer\",\"min\":0,\"max\":2}",
                       "[\"set\",[1,2,3]]", "constraint violation");
    assert_value_error("{\"key\":\"string\",\"value\":\"string\",\"min\":1,"
                       "\"max\":1}",
                       "[\"map\",[]]", "constraint violation");
}

static void
test_datum_default(void **state)
{
    struct ovsdb_type type;
    struct ovsdb_datum d;

    (void)state;
    type_parse(&type, "\"string\"");
    ovsdb_datum_init_default(&d, &type);
    assert_int_equal(d.n, 1);
    assert_string_equal(d.keys[0].string, "");
    ovsdb_datum_destroy(&d, &type);
    ovsdb_type_destroy(&type);

    type_parse(&type, "\"uuid\"");
    ovsdb_datum_init_default(&d, &type);
    assert_true(uuid_is_zero(&d.keys[0].uuid));
    ovsdb_datum_destroy(&d, &type);
    ovsdb_type_destroy(&type);

    type_parse(&type, opt_str);
    ovsdb_datum_init_default(&d, &type);
    assert_int_equal(d.n, 0);
    ovsdb_datum_destroy(&d, &type);
    ovsdb_type_destroy(&type);

    type_parse(&type, "{\"key\":\"integer\",\"value\":\"boolean\"}");
    ovsdb_datum_init_default(&d, &type);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.keys[0].integer, 0);
    assert_false(d.values[0].boolean);
    ovsdb_datum_destroy(&d, &type);
    ovsdb_type_destroy(&type);
}

/* Parses JSON 'text' as 'type' into 'd' (must succeed). */
static void
datum_must(struct ovsdb_datum *d, const struct ovsdb_type *type,
           const char *text)
{
    char *tag = datum_parse(d, type, text, NULL);

    if (tag) {
        fail_msg("%s: %s", text, tag);
    }
}

static void
test_datum_compare_hash(void **state)
{
    struct ovsdb_type type;
    struct ovsdb_datum a, b, c, d;

    (void)state;
    type_parse(&type, map_ss);
    datum_must(&a, &type, "[\"map\",[[\"x\",\"1\"],[\"y\",\"2\"]]]");
    datum_must(&b, &type, "[\"map\",[[\"y\",\"2\"],[\"x\",\"1\"]]]");
    datum_must(&c, &type, "[\"map\",[[\"x\",\"1\"],[\"y\",\"3\"]]]");
    datum_must(&d, &type, "[\"map\",[[\"z\",\"0\"]]]");
    assert_true(ovsdb_datum_equals(&a, &b, &type));
    assert_int_equal(ovsdb_datum_hash(&a, &type, 7),
                     ovsdb_datum_hash(&b, &type, 7));
    assert_false(ovsdb_datum_equals(&a, &c, &type));
    assert_true(ovsdb_datum_compare(&a, &c, &type) < 0);
    assert_true(ovsdb_datum_compare(&c, &a, &type) > 0);
    assert_int_not_equal(ovsdb_datum_hash(&a, &type, 7),
                         ovsdb_datum_hash(&c, &type, 7));
    /* Fewer elements sort first, whatever they are. */
    assert_true(ovsdb_datum_compare(&d, &a, &type) < 0);
    assert_int_equal(ovsdb_datum_find_key(&a, &c.keys[1], type.key.type), 1);
    assert_int_equal(ovsdb_datum_find_key(&a, &d.keys[0], type.key.type),
                     SIZE_MAX);
    ovsdb_datum_destroy(&a, &type);
    ovsdb_datum_destroy(&b, &type);
    ovsdb_datum_destroy(&c, &type);
    ovsdb_datum_destroy(&d, &type);
    ovsdb_type_destroy(&type);
}

static void
test_atom_compare_hash(void **state)
{
    union ovsdb_atom x, y;

    (void)state;
    x.real = 0.0;
    y.real = -0.0;
    assert_int_equal(ovsdb_atom_compare(&x, &y, OVSDB_TYPE_REAL), 0);
    assert_int_equal(ovsdb_atom_hash(&x, OVSDB_TYPE_REAL, 1),
                     ovsdb_atom_hash(&y, OVSDB_TYPE_REAL, 1));
    x.integer = -5;
    y.integer = 3;
    assert_true(ovsdb_atom_compare(&x, &y, OVSDB_TYPE_INTEGER) < 0);
    x.boolean = false;
    y.boolean = true;
    assert_true(ovsdb_atom_compare(&x, &y, OVSDB_TYPE_BOOLEAN) < 0);
    x.string = xstrdup("abc");
    y.string = xstrdup("abc");
    assert_int_equal(ovsdb_atom_compare(&x, &y, OVSDB_TYPE_STRING), 0);
    assert_int_equal(ovsdb_atom_hash(&x, OVSDB_TYPE_STRING, 0),
                     ovsdb_atom_hash(&y, OVSDB_TYPE_STRING, 0));
    ovsdb_atom_destroy(&y, OVSDB_TYPE_STRING);
    ovsdb_atom_clone(&y, &x, OVSDB_TYPE_STRING);
    assert_ptr_not_equal(x.string, y.string);
    assert_int_equal(ovsdb_atom_compare(&x, &y, OVSDB_TYPE_STRING), 0);
    ovsdb_atom_destroy(&x, OVSDB_TYPE_STRING);
    ovsdb_atom_destroy(&y, OVSDB_TYPE_STRING);
    assert_true(uuid_from_string(&x.uuid, UUID_A));
    assert_true(uuid_from_string(&y.uuid, UUID_B));
    assert_true(ovsdb_atom_compare(&x, &y, OVSDB_TYPE_UUID) < 0);
    ovsdb_atom_init_default(&x, OVSDB_TYPE_STRING);
    assert_string_equal(x.string, "");
    ovsdb_atom_destroy(&x, OVSDB_TYPE_STRING);
}

static void
test_datum_clone_swap(void **state)
{
    struct ovsdb_type type;
    struct ovsdb_datum a, b, e;

    (void)state;
    type_parse(&type, map_ss);
    datum_must(&a, &type, "[\"map\",[[\"k\",\"v\"],[\"k2\",\"v2\"]]]");
    ovsdb_datum_clone(&b, &a, &type);
    assert_true(ovsdb_datum_equals(&a, &b, &type));
    assert_ptr_not_equal(a.keys[0].string, b.keys[0].string);
    ovsdb_datum_init_empty(&e);
    ovsdb_datum_swap(&a, &e);
    assert_int_equal(a.n, 0);
    assert_int_equal(e.n, 2);
    assert_true(ovsdb_datum_equals(&e, &b, &type));
    ovsdb_datum_destroy(&a, &type);
    ovsdb_datum_destroy(&b, &type);
    ovsdb_datum_destroy(&e, &type);
    ovsdb_type_destroy(&type);
}

/* Returns the compact JSON of 'd' (caller frees). */
static char *
datum_json_text(const struct ovsdb_datum *d, const struct ovsdb_type *type)
{
    json_t *j = ovsdb_datum_to_json(d, type);
    char *s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);

    json_decref(j);
    return s;
}

static void
test_datum_union(void **state)
{
    struct ovsdb_type type;
    struct ovsdb_datum a, b;
    char *s;

    (void)state;
    type_parse(&type, set_int);
    datum_must(&a, &type, "[\"set\",[1,5,9]]");
    datum_must(&b, &type, "[\"set\",[0,5,7,10]]");
    ovsdb_datum_union(&a, &b, &type);
    s = datum_json_text(&a, &type);
    assert_string_equal(s, "[\"set\",[0,1,5,7,9,10]]");
    free(s);
    ovsdb_datum_destroy(&a, &type);
    ovsdb_datum_destroy(&b, &type);
    ovsdb_type_destroy(&type);

    type_parse(&type, map_ss);
    datum_must(&a, &type, "[\"map\",[[\"a\",\"1\"],[\"c\",\"3\"]]]");
    datum_must(&b, &type, "[\"map\",[[\"b\",\"2\"],[\"a\",\"9\"]]]");
    ovsdb_datum_union(&a, &b, &type);
    s = datum_json_text(&a, &type);
    assert_string_equal(s, "[\"map\",[[\"a\",\"1\"],[\"b\",\"2\"],"
                           "[\"c\",\"3\"]]]");
    free(s);
    ovsdb_datum_destroy(&a, &type);
    ovsdb_datum_destroy(&b, &type);
    ovsdb_type_destroy(&type);
}

static void
test_datum_subtract(void **state)
{
    struct ovsdb_type type, keys;
    struct ovsdb_datum a, b;
    char *s;

    (void)state;
    type_parse(&type, set_int);
    datum_must(&a, &type, "[\"set\",[1,5,9]]");
    datum_must(&b, &type, "[\"set\",[5,6,9]]");
    ovsdb_datum_subtract(&a, &type, &b, &type);
    s = datum_json_text(&a, &type);
    assert_string_equal(s, "1");
    free(s);
    ovsdb_datum_destroy(&a, &type);
    ovsdb_datum_destroy(&b, &type);
    ovsdb_type_destroy(&type);

    /* Map minus map: only matching pairs go. */
    type_parse(&type, map_ss);
    datum_must(&a, &type,
               "[\"map\",[[\"a\",\"1\"],[\"b\",\"2\"],"
               "[\"c\",\"3\"]]]");
    datum_must(&b, &type, "[\"map\",[[\"a\",\"1\"],[\"b\",\"9\"]]]");
    ovsdb_datum_subtract(&a, &type, &b, &type);
    s = datum_json_text(&a, &type);
    assert_string_equal(s, "[\"map\",[[\"b\",\"2\"],[\"c\",\"3\"]]]");
    free(s);
    ovsdb_datum_destroy(&b, &type);

    /* Map minus a set of keys. */
    type_parse(&keys, "{\"key\":\"string\",\"min\":0,\"max\":\"unlimited\"}");
    datum_must(&b, &keys, "[\"set\",[\"c\",\"zz\"]]");
    ovsdb_datum_subtract(&a, &type, &b, &keys);
    s = datum_json_text(&a, &type);
    assert_string_equal(s, "[\"map\",[[\"b\",\"2\"]]]");
    free(s);
    ovsdb_datum_destroy(&b, &keys);
    ovsdb_datum_destroy(&a, &type);
    ovsdb_type_destroy(&keys);
    ovsdb_type_destroy(&type);
}

static void
test_datum_sort_dedup(void **state)
{
    struct ovsdb_type type;
    struct ovsdb_datum d;
    struct ovsdb_error *error;
    const char *in[] = {"b", "a", "b", "c", "a"};

    (void)state;
    type_parse(&type, "{\"key\":\"string\",\"max\":\"unlimited\"}");
    d.n = ARRAY_SIZE(in);
    d.keys = xmalloc(d.n * sizeof *d.keys);
    d.values = NULL;
    for (size_t i = 0; i < d.n; i++) {
        d.keys[i].string = xstrdup(in[i]);
    }
    error = ovsdb_datum_sort(&d, &type, false);
    assert_non_null(error);
    assert_string_equal(error->tag, "constraint violation");
    ovsdb_error_destroy(error);
    assert_int_equal(d.n, 5);
    assert_null(ovsdb_datum_sort(&d, &type, true));
    assert_int_equal(d.n, 3);
    assert_string_equal(d.keys[0].string, "a");
    assert_string_equal(d.keys[1].string, "b");
    assert_string_equal(d.keys[2].string, "c");
    ovsdb_datum_destroy(&d, &type);
    ovsdb_type_destroy(&type);
}

static void
test_datum_check(void **state)
{
    struct ovsdb_type type;
    struct ovsdb_datum d;
    struct ovsdb_error *error;

    (void)state;
    type_parse(&type, "{\"key\":{\"type\":\"integer\",\"maxInteger\":10},"
                      "\"min\":1,\"max\":2}");
    datum_must(&d, &type, "[\"set\",[1,2]]");
    assert_null(ovsdb_datum_check(&d, &type));
    d.keys[1].integer = 11;
    error = ovsdb_datum_check(&d, &type);
    assert_string_equal(error->tag, "constraint violation");
    ovsdb_error_destroy(error);
    d.n = 0;
    error = ovsdb_datum_check(&d, &type);
    assert_string_equal(error->tag, "constraint violation");
    ovsdb_error_destroy(error);
    d.n = 2;
    ovsdb_datum_destroy(&d, &type);
    ovsdb_type_destroy(&type);
}

/* ---- ovs-vsctl notation. ---- */

static void
test_string_format_map(void **state)
{
    (void)state;
    assert_string_parse(
        map_ss,
        "{a=\"x y\", b=c, c=\"\", d=\"123\", e=\"true\", f=\"1.5\", "
        "g=x.y-z_1, h=\"a:b\", i=\"-1\", j=_x, k=\"@foo\", "
        "l=\"abc\\\"def\", m=\"tab\\there\", n=\"\\u00fcn\", o=\"a/b\", "
        "p=yes, q=\"false\", r=\"abcdef01-2345-6789-abcd-ef0123456789\", "
        "s=\"\\u0001\\b\\f\\r/\\\\\", t=e5}",
        "{a=\"x y\", b=c, c=\"\", d=\"123\", e=\"true\", f=\"1.5\", "
        "g=x.y-z_1, h=\"a:b\", i=\"-1\", j=_x, k=\"@foo\", "
        "l=\"abc\\\"def\", m=\"tab\\there\", n=\"\xc3\xbcn\", o=\"a/b\", "
        "p=yes, q=\"false\", r=\"abcdef01-2345-6789-abcd-ef0123456789\", "
        "s=\"\\u0001\\b\\f\\r/\\\\\", t=e5}");
    assert_string_parse(map_ss, "{}", "{}");
    assert_string_parse("{\"key\":\"integer\",\"value\":\"boolean\","
                        "\"min\":0,\"max\":\"unlimited\"}",
                        "2=on 1=false", "{1=false, 2=true}");
}

static void
test_string_format_sets(void **state)
{
    (void)state;
    assert_string_parse(set_int, "2,1", "[1, 2]");
    assert_string_parse(set_int, "7", "[7]");
    assert_string_parse(set_int, "[]", "[]");
    assert_string_parse(opt_str, "secure", "secure");
    assert_string_parse(opt_str, "[]", "[]");
    assert_string_parse("\"string\"", "\"\"", "\"\"");
    assert_string_parse("\"string\"", "netdev", "netdev");
    assert_string_parse("\"real\"", "0.1", "0.1");
    assert_string_parse("\"real\"", "2", "2");
    assert_string_parse("\"real\"", "-1.5e3", "-1500");
    assert_string_parse(set_uuid, UUID_B " " UUID_A,
                        "[" UUID_A ", " UUID_B "]");
    assert_string_parse("\"uuid\"", UUID_A, UUID_A);
}

static void
test_string_parse_maps(void **state)
{
    (void)state;
    assert_string_parse(map_ss, "a=x,b=y c=z", "{a=x, b=y, c=z}");
    assert_string_parse(map_ss, " { a = b , c = d } ", "{a=b, c=d}");
    assert_string_parse(map_ss, "{a=b,}", "{a=b}");
    assert_string_parse(map_ss, "a=x,b=y,", "{a=x, b=y}");
    assert_string_parse(map_ss, "\"a b\"=\"c d\"", "{\"a b\"=\"c d\"}");
    assert_string_parse(map_ss, "a=x\\:y", "{a=\"x:y\"}");
    assert_string_parse(map_ss, "a=@x", "{a=\"@x\"}");
    assert_string_parse(map_ss, "a=x/y;z", "{a=\"x/y;z\"}");
}

static void
test_string_parse_errors(void **state)
{
    (void)state;
    assert_string_error(map_ss, "a=b:c", ":");
    assert_string_error(map_ss, "{a=b:c}", ":");
    assert_string_error(map_ss, "a=x,,b=y", ",");
    assert_string_error(map_ss, ",a=b", ",");
    assert_string_error(map_ss, "{a=b}x", "after");
    assert_string_error(map_ss, "{a=b}{c=d}", "after");
    assert_string_error(map_ss, "a=b=c", "=");
    assert_string_error(map_ss, "a", "=");
    assert_string_error(map_ss, "a=x y", "=");
    assert_string_error(map_ss, "a=\"q", "quote");
    assert_string_error(map_ss, "a=\"x\"y", "quote");
    assert_string_error(map_ss, "a=\"\\x\"", "escape");
    assert_string_error(map_ss, "a=1,a=2", "duplicate");
    assert_string_error(map_ss, "[]", "[");
    assert_string_error(map_ss, "{a=b", "}");
    assert_string_error(map_ss, "a=", "missing");
    assert_string_error(map_ss, "a=x!y", "!");
    assert_string_error(map_ss, "a=\"\\ud800\"", "surrogate");
}

static void
test_string_parse_sets(void **state)
{
    (void)state;
    assert_string_parse(set_int, "[3 4]", "[3, 4]");
    assert_string_parse(set_int, "1-5,8", "[1, 2, 3, 4, 5, 8]");
    assert_string_parse(set_int, " 7 ", "[7]");
    assert_string_parse(set_int, "+1,02", "[1, 2]");
}

static void
test_string_parse_set_errors(void **state)
{
    (void)state;
    assert_string_error(set_int, "5-1", "range");
    assert_string_error(set_int, "1-3-5", "range");
    assert_string_error(set_int, "x", "integer");
    assert_string_error(set_int, "1.0", "integer");
    assert_string_error(set_int, "0x10", "integer");
    assert_string_error(set_int, "1,1", "duplicate");
    assert_string_error(set_int, "4096", "constraint violation");
    assert_string_error(set_int, "-1", "constraint violation");
    assert_string_error(set_int, "4090-4100", "constraint violation");
    assert_string_error("{\"key\":\"integer\",\"min\":0,\"max\":"
                        "\"unlimited\"}",
                        "1-5000", "4096");
    assert_string_error(set_int, "[1,2", "]");
    assert_string_error(set_int, "{5}", "{");
    assert_string_error(opt_str, "bogus", "constraint violation");
    assert_string_error("{\"key\":\"integer\",\"min\":0,\"max\":2}", "1,2,3",
                        "at most 2");
}

static void
test_string_parse_scalars(void **state)
{
    static const char *const yes[] = {"true", "yes", "on", "1"};
    static const char *const no[] = {"false", "no", "off", "0"};

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
        assert_string_parse("\"boolean\"", yes[i], "true");
        assert_string_parse("\"boolean\"", no[i], "false");
    }
    assert_string_error("\"boolean\"", "TRUE", "boolean");
    assert_string_error("\"boolean\"", "maybe", "boolean");
    assert_string_error("\"boolean\"", "\"true\"", "boolean");
    assert_string_parse("\"string\"", "[x]", "x");
    assert_string_parse("\"string\"", "\"netdev\"", "netdev");
    assert_string_error("\"string\"", "a b", "at most 1");
    assert_string_error("\"string\"", "a,b", "at most 1");
    assert_string_error("\"string\"", "[]", "at least 1");
    assert_string_error("\"string\"", "", "empty string");
    assert_string_error("\"integer\"", "1-5", "integer");
    assert_string_error("\"real\"", "1e999", "real");
    assert_string_error("\"real\"", "abc", "real");
}

static void
test_string_uuids(void **state)
{
    struct ovsdb_symbol_table *st = ovsdb_symbol_table_create();
    struct ovsdb_type type;
    struct ovsdb_datum d;
    union ovsdb_atom atom;
    char *error;

    (void)state;
    type_parse(&type, set_uuid);
    assert_null(ovsdb_datum_from_string(&d, &type, "[@p1, @p2]", st));
    assert_int_equal(d.n, 2);
    assert_non_null(ovsdb_symbol_table_get(st, "p1"));
    assert_int_not_equal(
        ovsdb_datum_find_key(
            &d, &(union ovsdb_atom){.uuid = *ovsdb_symbol_table_get(st, "p2")},
            OVSDB_TYPE_UUID),
        SIZE_MAX);
    ovsdb_datum_destroy(&d, &type);
    error = ovsdb_datum_from_string(&d, &type, "@p1", NULL);
    assert_non_null(error);
    free(error);
    error = ovsdb_datum_from_string(&d, &type, "0123", NULL);
    assert_non_null(strstr(error, "UUID"));
    free(error);
    error = ovsdb_datum_from_string(&d, &type, "\"" UUID_A "\"", NULL);
    assert_non_null(error);
    free(error);
    assert_null(ovsdb_atom_from_string(&atom, &type.key, "@p1", st));
    assert_true(uuid_equals(&atom.uuid, ovsdb_symbol_table_get(st, "p1")));
    ovsdb_type_destroy(&type);
    ovsdb_symbol_table_destroy(st);
}

static void
test_string_atoms(void **state)
{
    struct ovsdb_base_type base;
    union ovsdb_atom atom;
    char *error;

    (void)state;
    ovsdb_base_type_init(&base, OVSDB_TYPE_STRING);
    /* A whole-string atom takes the text as is. */
    assert_null(ovsdb_atom_from_string(&atom, &base, "a b:c", NULL));
    assert_string_equal(atom.string, "a b:c");
    ovsdb_atom_destroy(&atom, OVSDB_TYPE_STRING);
    assert_null(ovsdb_atom_from_string(&atom, &base, "\"\\u00e9\\n\"", NULL));
    assert_string_equal(atom.string, "\xc3\xa9\n");
    ovsdb_atom_destroy(&atom, OVSDB_TYPE_STRING);
    assert_null(
        ovsdb_atom_from_string(&atom, &base, "\"\\ud83d\\ude00\"", NULL));
    assert_string_equal(atom.string, "\xf0\x9f\x98\x80");
    ovsdb_atom_destroy(&atom, OVSDB_TYPE_STRING);
    error = ovsdb_atom_from_string(&atom, &base, "\"q\"r", NULL);
    assert_non_null(error);
    free(error);
    error = ovsdb_atom_from_string(&atom, &base, "\"a\\u0000\"", NULL);
    assert_non_null(error);
    free(error);
    error = ovsdb_atom_from_string(&atom, &base, "\xff", NULL);
    assert_non_null(strstr(error, "UTF-8"));
    free(error);
    ovsdb_base_type_destroy(&base);

    ovsdb_base_type_init(&base, OVSDB_TYPE_INTEGER);
    base.max_integer = 10;
    assert_null(ovsdb_atom_from_string(&atom, &base, "-42", NULL));
    assert_int_equal(atom.integer, -42);
    error = ovsdb_atom_from_string(&atom, &base, "11", NULL);
    assert_non_null(strstr(error, "constraint violation"));
    free(error);
    error = ovsdb_atom_from_string(&atom, &base, "99999999999999999999", NULL);
    assert_non_null(error);
    free(error);
    ovsdb_base_type_destroy(&base);
}

static void
test_string_roundtrip(void **state)
{
    static const char *const strings[] = {
        "",     "a",     "true",        "false",     "yes",      "1",
        "-1",   "1.5",   "x y",         "a=b",       "a,b",      "[x]",
        "{y}",  "q\"q",  "back\\slash", "tab\tnl\n", "\xc3\xbc", "\x01\x1f",
        UUID_A, "@name", "_",           "a.b-c",     "e5",       "é",
    };
    struct ovsdb_type type;

    (void)state;
    type_parse(&type, map_ss);
    for (size_t i = 0; i < ARRAY_SIZE(strings); i++) {
        for (size_t j = 0; j < ARRAY_SIZE(strings); j++) {
            struct ovsdb_datum d, back;
            struct ds ds = DS_EMPTY;
            char *error;

            d.n = 1;
            d.keys = xmalloc(sizeof *d.keys);
            d.values = xmalloc(sizeof *d.values);
            d.keys[0].string = xstrdup(strings[i]);
            d.values[0].string = xstrdup(strings[j]);
            ovsdb_datum_to_string(&d, &type, &ds);
            error = ovsdb_datum_from_string(&back, &type, ds_cstr(&ds), NULL);
            if (error) {
                fail_msg("%s: %s", ds_cstr(&ds), error);
            }
            assert_true(ovsdb_datum_equals(&d, &back, &type));
            ovsdb_datum_destroy(&d, &type);
            ovsdb_datum_destroy(&back, &type);
            ds_destroy(&ds);
        }
    }
    ovsdb_type_destroy(&type);
}

static void
test_string_bare(void **state)
{
    struct ovsdb_type type;
    struct ovsdb_datum d;
    struct ds ds = DS_EMPTY;

    (void)state;
    type_parse(&type, map_ss);
    assert_null(ovsdb_datum_from_string(&d, &type, "a=\"x y\",b=c", NULL));
    ovsdb_datum_to_bare(&d, &type, &ds);
    assert_string_equal(ds_cstr(&ds), "a=x y b=c");
    ovsdb_datum_destroy(&d, &type);
    ds_clear(&ds);
    ovsdb_datum_init_empty(&d);
    ovsdb_datum_to_bare(&d, &type, &ds);
    assert_string_equal(ds_cstr(&ds), "");
    ovsdb_type_destroy(&type);

    type_parse(&type, set_int);
    assert_null(ovsdb_datum_from_string(&d, &type, "[1,2]", NULL));
    ds_clear(&ds);
    ovsdb_datum_to_bare(&d, &type, &ds);
    assert_string_equal(ds_cstr(&ds), "1 2");
    ovsdb_datum_destroy(&d, &type);
    ovsdb_type_destroy(&type);
    ds_destroy(&ds);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_basics),
        cmocka_unit_test(test_error_syntax),
        cmocka_unit_test(test_type_atomic),
        cmocka_unit_test(test_type_bad_atomic),
        cmocka_unit_test(test_type_integer_range),
        cmocka_unit_test(test_type_real_range),
        cmocka_unit_test(test_type_string_length),
        cmocka_unit_test(test_type_enum),
        cmocka_unit_test(test_type_ref),
        cmocka_unit_test(test_type_unknown_member),
        cmocka_unit_test(test_type_set_map),
        cmocka_unit_test(test_type_bad_counts),
        cmocka_unit_test(test_type_clone),
        cmocka_unit_test(test_atom_integer),
        cmocka_unit_test(test_atom_real),
        cmocka_unit_test(test_atom_boolean),
        cmocka_unit_test(test_atom_string_length),
        cmocka_unit_test(test_atom_string_utf8),
        cmocka_unit_test(test_atom_enum),
        cmocka_unit_test(test_atom_uuid),
        cmocka_unit_test(test_named_uuid_without_symtab),
        cmocka_unit_test(test_named_uuid_symtab),
        cmocka_unit_test(test_datum_set_sorting),
        cmocka_unit_test(test_datum_set_duplicates),
        cmocka_unit_test(test_datum_map),
        cmocka_unit_test(test_datum_counts),
        cmocka_unit_test(test_datum_default),
        cmocka_unit_test(test_datum_compare_hash),
        cmocka_unit_test(test_atom_compare_hash),
        cmocka_unit_test(test_datum_clone_swap),
        cmocka_unit_test(test_datum_union),
        cmocka_unit_test(test_datum_subtract),
        cmocka_unit_test(test_datum_sort_dedup),
        cmocka_unit_test(test_datum_check),
        cmocka_unit_test(test_string_format_map),
        cmocka_unit_test(test_string_format_sets),
        cmocka_unit_test(test_string_parse_maps),
        cmocka_unit_test(test_string_parse_errors),
        cmocka_unit_test(test_string_parse_sets),
        cmocka_unit_test(test_string_parse_set_errors),
        cmocka_unit_test(test_string_parse_scalars),
        cmocka_unit_test(test_string_uuids),
        cmocka_unit_test(test_string_atoms),
        cmocka_unit_test(test_string_roundtrip),
        cmocka_unit_test(test_string_bare),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
