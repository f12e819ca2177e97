/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ovsdb-schema: the <database-schema> of RFC 7047 section 3.2 — its name,
 * version and checksum, tables with their columns (types from
 * ovsdb-data), root-set membership, row limits and indexes.  The parser is
 * strict: unknown members, names that are not identifiers (or that start
 * with '_', which is reserved) and references to tables that do not exist
 * are errors.  Every table gets the implicit columns _uuid and _version
 * first.  The database (ovsdb.c) keeps the parsed schema for its lifetime.
 */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#include "ovsdb/ovsdb-private.h"

/* Returns true if 's' matches [a-zA-Z_][a-zA-Z0-9_]*. */
bool
ovsdb_is_identifier(const char *s)
{
    if (!isalpha((unsigned char)*s) && *s != '_') {
        return false;
    }
    for (s++; *s; s++) {
        if (!isalnum((unsigned char)*s) && *s != '_') {
            return false;
        }
    }
    return true;
}

/* Checks that every member of object 'json' is one of the NULL-terminated
 * 'allowed' names. */
static struct ovsdb_error *
check_members(const json_t *json, const char *const *allowed, const char *what)
{
    const char *name;
    json_t *value;

    json_object_foreach((json_t *)json, name, value)
    {
        const char *const *a;

        for (a = allowed; *a; a++) {
            if (!strcmp(name, *a)) {
                break;
            }
        }
        if (!*a) {
            return ovsdb_syntax_error(json, "unknown member \"%s\" in %s",
                                      name, what);
        }
    }
    return NULL;
}

/* Reads optional boolean member 'name' of 'json' into *out. */
static struct ovsdb_error *
get_bool(const json_t *json, const char *name, bool *out)
{
    const json_t *m = json_object_get(json, name);

    if (m) {
        if (!json_is_boolean(m)) {
            return ovsdb_syntax_error(json, "\"%s\" must be a boolean", name);
        }
        *out = json_is_true(m);
    }
    return NULL;
}

/* A user-given name: an identifier that does not start with '_'. */
static struct ovsdb_error *
check_name(const char *name, const char *what)
{
    if (!ovsdb_is_identifier(name)) {
        return ovsdb_syntax_error(NULL,
                                  "%s name \"%s\" is not a valid "
                                  "identifier",
                                  what, name);
    }
    if (name[0] == '_') {
        return ovsdb_syntax_error(NULL,
                                  "%s name \"%s\" is reserved (names "
                                  "starting with \"_\")",
                                  what, name);
    }
    return NULL;
}

static struct ovsdb_column_schema *
column_create(const char *name, unsigned int index)
{
    struct ovsdb_column_schema *c = xzalloc(sizeof *c);

    c->name = xstrdup(name);
    c->index = index;
    c->mutable_ = true;
    ovsdb_base_type_init(&c->type.key, OVSDB_TYPE_VOID);
    ovsdb_base_type_init(&c->type.value, OVSDB_TYPE_VOID);
    c->type.n_min = 1;
    c->type.n_max = 1;
    return c;
}

static void
column_destroy(struct ovsdb_column_schema *c)
{
    if (c) {
        ovsdb_type_destroy(&c->type);
        free(c->name);
        free(c);
    }
}

/* An implicit column: _uuid or _version, an immutable scalar UUID. */
static struct ovsdb_column_schema *
implicit_column(const char *name, unsigned int index)
{
    struct ovsdb_column_schema *c = column_create(name, index);

    c->type.key.type = OVSDB_TYPE_UUID;
    c->mutable_ = false;
    return c;
}

static struct ovsdb_error *
column_from_json(const char *name, const json_t *json, unsigned int index,
                 struct ovsdb_column_schema **cp)
{
    static const char *const allowed[] = {"type", "mutable", "ephemeral",
                                          NULL};
    struct ovsdb_column_schema *c;
    struct ovsdb_error *error;
    const json_t *type;

    error = check_name(name, "column");
    if (error) {
        return error;
    }
    if (!json_is_object(json)) {
        return ovsdb_syntax_error(json, "column %s must be an object", name);
    }
    error = check_members(json, allowed, "column schema");
    if (error) {
        return error;
    }
    type = json_object_get(json, "type");
    if (!type) {
        return ovsdb_syntax_error(json, "column %s has no \"type\"", name);
    }
    c = column_create(name, index);
    error = ovsdb_type_from_json(&c->type, type);
    if (!error) {
        error = get_bool(json, "mutable", &c->mutable_);
    }
    if (!error) {
        error = get_bool(json, "ephemeral", &c->ephemeral);
    }
    if (error) {
        column_destroy(c);
        return error;
    }
    *cp = c;
    return NULL;
}

static void
table_destroy(struct ovsdb_table_schema *t)
{
    if (!t) {
        return;
    }
    for (size_t i = 0; i < t->n_columns; i++) {
        column_destroy(t->columns[i]);
    }
    free(t->columns);
    for (size_t i = 0; i < t->n_indexes; i++) {
        free(t->indexes[i].columns);
    }
    free(t->indexes);
    free(t->name);
    free(t);
}

static struct ovsdb_error *
table_columns_from_json(struct ovsdb_table_schema *t, const json_t *json)
{
    const char *name;
    json_t *value;

    if (!json_is_object(json)) {
        return ovsdb_syntax_error(json,
                                  "\"columns\" of table %s must be an "
                                  "object",
                                  t->name);
    }
    t->columns = xcalloc(json_object_size(json) + OVSDB_N_IMPLICIT_COLUMNS,
                         sizeof *t->columns);
    t->columns[OVSDB_COL_UUID] = implicit_column("_uuid", OVSDB_COL_UUID);
    t->columns[OVSDB_COL_VERSION] =
        implicit_column("_version", OVSDB_COL_VERSION);
    t->n_columns = OVSDB_N_IMPLICIT_COLUMNS;
    json_object_foreach((json_t *)json, name, value)
    {
        struct ovsdb_error *error;

        error = column_from_json(name, value, t->n_columns,
                                 &t->columns[t->n_columns]);
        if (error) {
            return error;
        }
        t->n_columns++;
    }
    return NULL;
}

/* Parses one <column-set> of "indexes" into 'index'. */
static struct ovsdb_error *
index_from_json(struct ovsdb_table_schema *t, const json_t *json,
                struct ovsdb_index_schema *index)
{
    size_t i;

    if (!json_is_array(json) || !json_array_size(json)) {
        return ovsdb_syntax_error(json,
                                  "an index of table %s must be a "
                                  "non-empty array of column names",
                                  t->name);
    }
    index->columns = xcalloc(json_array_size(json), sizeof *index->columns);
    index->n = 0;
    for (i = 0; i < json_array_size(json); i++) {
        const json_t *name = json_array_get(json, i);
        const struct ovsdb_column_schema *c = NULL;

        if (json_is_string(name)) {
            c = ovsdb_table_schema_find_column(t, json_string_value(name));
        }
        if (!c) {
            return ovsdb_syntax_error(json,
                                      "index of table %s names an "
                                      "unknown column",
                                      t->name);
        }
        if (c->ephemeral) {
            return ovsdb_syntax_error(json,
                                      "index of table %s names "
                                      "ephemeral column %s",
                                      t->name, c->name);
        }
        for (size_t j = 0; j < index->n; j++) {
            if (index->columns[j] == c->index) {
                return ovsdb_syntax_error(json,
                                          "index of table %s names "
                                          "column %s twice",
                                          t->name, c->name);
            }
        }
        index->columns[index->n++] = c->index;
    }
    return NULL;
}

static struct ovsdb_error *
table_indexes_from_json(struct ovsdb_table_schema *t, const json_t *json)
{
    if (!json) {
        return NULL;
    }
    if (!json_is_array(json)) {
        return ovsdb_syntax_error(json,
                                  "\"indexes\" of table %s must be an "
                                  "array",
                                  t->name);
    }
    t->indexes = xcalloc(json_array_size(json) + 1, sizeof *t->indexes);
    for (size_t i = 0; i < json_array_size(json); i++) {
        struct ovsdb_error *error;

        t->n_indexes++;
        error = index_from_json(t, json_array_get(json, i), &t->indexes[i]);
        if (error) {
            return error;
        }
    }
    return NULL;
}

static struct ovsdb_error *
table_max_rows_from_json(struct ovsdb_table_schema *t, const json_t *json)
{
    t->max_rows = UINT_MAX;
    if (json) {
        if (!json_is_integer(json) || json_integer_value(json) < 1) {
            return ovsdb_syntax_error(json,
                                      "\"maxRows\" of table %s must be "
                                      "a positive integer",
                                      t->name);
        }
        if (json_integer_value(json) < UINT_MAX) {
            t->max_rows = (unsigned int)json_integer_value(json);
        }
    }
    return NULL;
}

/* Parses table 'name'.  *has_root tells whether "isRoot" is true. */
static struct ovsdb_error *
table_from_json(const char *name, const json_t *json,
                struct ovsdb_table_schema **tp, bool *has_root)
{
    static const char *const allowed[] = {"columns", "maxRows", "isRoot",
                                          "indexes", NULL};
    struct ovsdb_table_schema *t;
    struct ovsdb_error *error;

    error = check_name(name, "table");
    if (error) {
        return error;
    }
    if (!json_is_object(json)) {
        return ovsdb_syntax_error(json, "table %s must be an object", name);
    }
    error = check_members(json, allowed, "table schema");
    if (error) {
        return error;
    }
    t = xzalloc(sizeof *t);
    t->name = xstrdup(name);
    error = get_bool(json, "isRoot", &t->is_root);
    *has_root = t->is_root;
    if (!error) {
        error = table_max_rows_from_json(t, json_object_get(json, "maxRows"));
    }
    if (!error) {
        const json_t *columns = json_object_get(json, "columns");

        error = columns ? table_columns_from_json(t, columns)
                        : ovsdb_syntax_error(json,
                                             "table %s has no "
                                             "\"columns\"",
                                             name);
    }
    if (!error) {
        error = table_indexes_from_json(t, json_object_get(json, "indexes"));
    }
    if (error) {
        table_destroy(t);
        return error;
    }
    *tp = t;
    return NULL;
}

/* Resolves the refTable of 'base' (of column 'c' in table 't'). */
static struct ovsdb_error *
resolve_ref(const struct ovsdb_schema *s, const struct ovsdb_table_schema *t,
            const struct ovsdb_column_schema *c, struct ovsdb_base_type *base)
{
    if (base->type != OVSDB_TYPE_UUID || !base->ref_table_name) {
        return NULL;
    }
    base->ref_table = ovsdb_schema_find_table(s, base->ref_table_name);
    if (!base->ref_table) {
        return ovsdb_syntax_error(NULL,
                                  "column %s of table %s refers to "
                                  "unknown table %s",
                                  c->name, t->name, base->ref_table_name);
    }
    return NULL;
}

static struct ovsdb_error *
schema_resolve_refs(struct ovsdb_schema *s)
{
    for (size_t i = 0; i < s->n_tables; i++) {
        struct ovsdb_table_schema *t = s->tables[i];

        for (size_t j = 0; j < t->n_columns; j++) {
            struct ovsdb_column_schema *c = t->columns[j];
            struct ovsdb_error *error;

            error = resolve_ref(s, t, c, &c->type.key);
            if (!error) {
                error = resolve_ref(s, t, c, &c->type.value);
            }
            if (error) {
                return error;
            }
        }
    }
    return NULL;
}

/* Checks <version>: three decimal numbers separated by dots. */
static bool
version_is_valid(const char *v)
{
    for (int part = 0; part < 3; part++) {
        if (!isdigit((unsigned char)*v)) {
            return false;
        }
        while (isdigit((unsigned char)*v)) {
            v++;
        }
        if (part < 2 && *v++ != '.') {
            return false;
        }
    }
    return *v == '\0';
}

static struct ovsdb_error *
schema_header_from_json(struct ovsdb_schema *s, const json_t *json)
{
    const json_t *name = json_object_get(json, "name");
    const json_t *version = json_object_get(json, "version");
    const json_t *cksum = json_object_get(json, "cksum");

    if (!json_is_string(name) ||
        !ovsdb_is_identifier(json_string_value(name)) ||
        json_string_value(name)[0] == '_') {
        return ovsdb_syntax_error(json, "schema \"name\" must be an "
                                        "identifier");
    }
    s->name = xstrdup(json_string_value(name));
    if (version) {
        if (!json_is_string(version) ||
            !version_is_valid(json_string_value(version))) {
            return ovsdb_syntax_error(version, "schema \"version\" must be "
                                               "\"<x>.<y>.<z>\"");
        }
        s->version = xstrdup(json_string_value(version));
    } else {
        s->version = xstrdup("");
    }
    if (cksum) {
        if (!json_is_string(cksum)) {
            return ovsdb_syntax_error(cksum, "\"cksum\" must be a string");
        }
        s->cksum = xstrdup(json_string_value(cksum));
    }
    return NULL;
}

static struct ovsdb_error *
schema_tables_from_json(struct ovsdb_schema *s, const json_t *tables)
{
    bool any_root = false;
    const char *name;
    json_t *value;

    if (!json_is_object(tables)) {
        return ovsdb_syntax_error(tables, "schema \"tables\" must be an "
                                          "object");
    }
    s->tables = xcalloc(json_object_size(tables) + 1, sizeof *s->tables);
    json_object_foreach((json_t *)tables, name, value)
    {
        struct ovsdb_error *error;
        bool has_root = false;

        error =
            table_from_json(name, value, &s->tables[s->n_tables], &has_root);
        if (error) {
            return error;
        }
        any_root |= has_root;
        s->n_tables++;
    }
    /* RFC 7047: when "isRoot" is omitted or false in every table, every
     * table is a root. */
    if (!any_root) {
        for (size_t i = 0; i < s->n_tables; i++) {
            s->tables[i]->is_root = true;
        }
    }
    return NULL;
}

/* Parses 'json' (a <database-schema>).  On success *schemap owns a new
 * schema that keeps a reference to 'json'; the caller keeps its own. */
struct ovsdb_error *
ovsdb_schema_from_json(const json_t *json, struct ovsdb_schema **schemap)
{
    static const char *const allowed[] = {"name", "version", "cksum", "tables",
                                          NULL};
    struct ovsdb_schema *s;
    struct ovsdb_error *error;

    *schemap = NULL;
    if (!json_is_object(json)) {
        return ovsdb_syntax_error(json, "database schema must be an object");
    }
    error = check_members(json, allowed, "database schema");
    if (error) {
        return error;
    }
    s = xzalloc(sizeof *s);
    s->json = json_incref((json_t *)json);
    error = schema_header_from_json(s, json);
    if (!error) {
        const json_t *tables = json_object_get(json, "tables");

        error = tables ? schema_tables_from_json(s, tables)
                       : ovsdb_syntax_error(json, "schema has no "
                                                  "\"tables\"");
    }
    if (!error) {
        error = schema_resolve_refs(s);
    }
    if (error) {
        ovsdb_schema_destroy(s);
        return error;
    }
    *schemap = s;
    return NULL;
}

/* Reads 'path' and parses it as a schema.  *schemap as for
 * ovsdb_schema_from_json(). */
struct ovsdb_error *
ovsdb_schema_from_file(const char *path, struct ovsdb_schema **schemap)
{
    struct ovsdb_error *error;
    json_error_t jerr;
    json_t *json;

    *schemap = NULL;
    json = json_load_file(path, 0, &jerr);
    if (!json) {
        return ovsdb_error("syntax error", "%s: line %d: %s", path, jerr.line,
                           jerr.text);
    }
    error = ovsdb_schema_from_json(json, schemap);
    json_decref(json);
    return error;
}

/* Returns the schema as it was given (a new reference). */
json_t *
ovsdb_schema_to_json(const struct ovsdb_schema *s)
{
    return json_incref(s->json);
}

/* Frees 's' and everything it owns (NULL is allowed). */
void
ovsdb_schema_destroy(struct ovsdb_schema *s)
{
    if (!s) {
        return;
    }
    for (size_t i = 0; i < s->n_tables; i++) {
        table_destroy(s->tables[i]);
    }
    free(s->tables);
    free(s->name);
    free(s->version);
    free(s->cksum);
    json_decref(s->json);
    free(s);
}

/* Returns the table named 'name' or NULL.  The result belongs to 's'. */
const struct ovsdb_table_schema *
ovsdb_schema_find_table(const struct ovsdb_schema *s, const char *name)
{
    for (size_t i = 0; i < s->n_tables; i++) {
        if (!strcmp(s->tables[i]->name, name)) {
            return s->tables[i];
        }
    }
    return NULL;
}

/* Returns column 'name' of 't' (implicit columns included) or NULL. */
const struct ovsdb_column_schema *
ovsdb_table_schema_find_column(const struct ovsdb_table_schema *t,
                               const char *name)
{
    for (size_t i = 0; i < t->n_columns; i++) {
        if (!strcmp(t->columns[i]->name, name)) {
            return t->columns[i];
        }
    }
    return NULL;
}
