/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vsctl-idl: tern-vsctl's snapshot of the database (see vsctl-private.h).
 * It parses the schema the server sends, loads the rows of every table,
 * gives the commands their view of rows and columns (names matched the way
 * ovs-vsctl matches them, records found by UUID or by name), records what
 * the commands change, and turns those changes into OVSDB operations.
 */
#include <config.h>

#include <ctype.h>
#include <stdlib.h>

#include "utilities/vsctl-private.h"

/* How a record name finds a row of a table besides its UUID: the row of
 * 'name_table' whose string column 'name_column' equals the name (any row
 * when 'name_column' is NULL and the name is "."), then, when
 * 'uuid_column' is set, the single row that column of it refers to. */
struct vsctl_row_id {
    const char *table;
    const char *name_table;
    const char *name_column;
    const char *uuid_column;
};

static const struct vsctl_row_id vsctl_row_ids[] = {
    {"Open_vSwitch", "Open_vSwitch", NULL, NULL},
    {"Bridge", "Bridge", "name", NULL},
    {"Port", "Port", "name", NULL},
    {"Interface", "Interface", "name", NULL},
    {"Controller", "Bridge", "name", "controller"},
    {"Manager", "Manager", "target", NULL},
    {"Mirror", "Mirror", "name", NULL},
    {"NetFlow", "Bridge", "name", "netflow"},
    {"sFlow", "Bridge", "name", "sflow"},
    {"IPFIX", "Bridge", "name", "ipfix"},
    {"QoS", "Port", "name", "qos"},
    {"SSL", "Open_vSwitch", NULL, "ssl"},
    {"Flow_Table", "Flow_Table", "name", NULL},
    {"AutoAttach", "Bridge", "name", "auto_attach"},
};

void
vsctl_fatal(const char *format, ...)
{
    va_list args;

    fprintf(stderr, "%s: ", get_program_name());
    va_start(args, format);
    vfprintf(stderr, format, args);
    va_end(args);
    fputc('\n', stderr);
    exit(1);
}

static int
compare_columns__(const void *a_, const void *b_)
{
    const struct vsctl_column *a = a_, *b = b_;
    return strcmp(a->name, b->name);
}

static int
compare_tables__(const void *a_, const void *b_)
{
    const struct vsctl_table *a = a_, *b = b_;
    return strcmp(a->name, b->name);
}

/* Parses the columns object of one table into 'table'. */
static char *
parse_columns__(struct vsctl_table *table, const json_t *columns)
{
    const char *name;
    json_t *col;

    table->columns =
        xcalloc(json_object_size(columns) + 1, sizeof *table->columns);
    table->columns[0].name = xstrdup("_uuid");
    ovsdb_base_type_init(&table->columns[0].type.key, OVSDB_TYPE_UUID);
    ovsdb_base_type_init(&table->columns[0].type.value, OVSDB_TYPE_VOID);
    table->columns[0].type.n_min = table->columns[0].type.n_max = 1;
    table->n_columns = 1;
    json_object_foreach((json_t *)columns, name, col)
    {
        struct vsctl_column *c = &table->columns[table->n_columns];
        const json_t *mutable_ = json_object_get(col, "mutable");
        struct ovsdb_error *error;

        error = ovsdb_type_from_json(&c->type, json_object_get(col, "type"));
        if (error) {
            char *s = ovsdb_error_to_string(error);
            char *msg = xasprintf("column %s: %s", name, s);
            free(s);
            ovsdb_error_destroy(error);
            return msg;
        }
        c->name = xstrdup(name);
        c->mutable_ = !json_is_false(mutable_);
        table->n_columns++;
    }
    qsort(table->columns + 1, table->n_columns - 1, sizeof *table->columns,
          compare_columns__);
    return NULL;
}

/* Parses a <database-schema> into 'db'.  Returns NULL or an error message
 * (caller frees). */
char *
vsctl_db_init(struct vsctl_db *db, const json_t *schema)
{
    const json_t *tables = json_object_get(schema, "tables");
    const char *name;
    json_t *t;

    memset(db, 0, sizeof *db);
    if (!json_is_object(tables)) {
        return xstrdup("schema has no tables");
    }
    db->tables = xcalloc(json_object_size(tables) + 1, sizeof *db->tables);
    json_object_foreach((json_t *)tables, name, t)
    {
        struct vsctl_table *table = &db->tables[db->n_tables++];
        const json_t *columns = json_object_get(t, "columns");
        char *error;

        table->name = xstrdup(name);
        table->is_root = json_is_true(json_object_get(t, "isRoot"));
        if (!json_is_object(columns)) {
            return xasprintf("table %s has no columns", name);
        }
        error = parse_columns__(table, columns);
        if (error) {
            return error;
        }
    }
    qsort(db->tables, db->n_tables, sizeof *db->tables, compare_tables__);
    return NULL;
}

static struct vsctl_row *
row_create__(struct vsctl_table *table)
{
    struct vsctl_row *row = xzalloc(sizeof *row);

    row->table = table;
    row->cur = xcalloc(table->n_columns, sizeof *row->cur);
    row->written = xcalloc(table->n_columns, sizeof *row->written);
    if (table->n_rows >= table->allocated_rows) {
        table->allocated_rows = table->allocated_rows * 2 + 8;
        table->rows =
            xrealloc(table->rows, table->allocated_rows * sizeof *table->rows);
    }
    table->rows[table->n_rows++] = row;
    return row;
}

static void
set_uuid_column__(struct vsctl_row *row)
{
    union ovsdb_atom atom;
    struct ovsdb_datum d = {1, &atom, NULL};

    atom.uuid = row->uuid;
    ovsdb_datum_clone(&row->cur[0], &d, &row->table->columns[0].type);
}

static int
compare_rows__(const void *a_, const void *b_)
{
    const struct vsctl_row *const *a = a_, *const *b = b_;
    return uuid_compare(&(*a)->uuid, &(*b)->uuid);
}

/* Loads one row object of a "select" result into 'table'. */
static char *
load_row__(struct vsctl_table *table, const json_t *obj)
{
    const json_t *uuid = json_object_get(obj, "_uuid");
    struct vsctl_row *row;

    const char *uuid_s = json_string_value(json_array_get(uuid, 1));

    row = row_create__(table);
    row->old = xcalloc(table->n_columns, sizeof *row->old);
    if (!uuid_s || !uuid_from_string(&row->uuid, uuid_s)) {
        return xasprintf("row of table %s without a valid _uuid", table->name);
    }
    set_uuid_column__(row);
    ovsdb_datum_clone(&row->old[0], &row->cur[0], &table->columns[0].type);
    for (size_t i = 1; i < table->n_columns; i++) {
        const struct vsctl_column *c = &table->columns[i];
        const json_t *value = json_object_get(obj, c->name);
        struct ovsdb_error *error;

        if (!value) {
            ovsdb_datum_init_default(&row->old[i], &c->type);
        } else {
            error = ovsdb_datum_from_json(&row->old[i], &c->type, value, NULL);
            if (error) {
                char *s = ovsdb_error_to_string(error);
                char *msg =
                    xasprintf("%s column %s: %s", table->name, c->name, s);
                ovsdb_error_destroy(error);
                free(s);
                ovsdb_datum_init_default(&row->old[i], &c->type);
                return msg;
            }
        }
        ovsdb_datum_clone(&row->cur[i], &row->old[i], &c->type);
    }
    return NULL;
}

/* Loads the rows of one "select" result into 'table'. */
char *
vsctl_db_load_rows(struct vsctl_table *table, const json_t *rows)
{
    const json_t *obj;
    size_t i;

    json_array_foreach(rows, i, obj)
    {
        char *error = load_row__(table, obj);
        if (error) {
            return error;
        }
    }
    if (table->n_rows) {
        qsort(table->rows, table->n_rows, sizeof *table->rows, compare_rows__);
    }
    return NULL;
}

static void
row_destroy__(struct vsctl_row *row)
{
    const struct vsctl_table *table = row->table;

    for (size_t i = 0; i < table->n_columns; i++) {
        ovsdb_datum_destroy(&row->cur[i], &table->columns[i].type);
        if (row->old) {
            ovsdb_datum_destroy(&row->old[i], &table->columns[i].type);
        }
    }
    free(row->cur);
    free(row->old);
    free(row->written);
    free(row);
}

void
vsctl_db_destroy(struct vsctl_db *db)
{
    for (size_t t = 0; t < db->n_tables; t++) {
        struct vsctl_table *table = &db->tables[t];

        for (size_t r = 0; r < table->n_rows; r++) {
            row_destroy__(table->rows[r]);
        }
        for (size_t c = 0; c < table->n_columns; c++) {
            free(table->columns[c].name);
            ovsdb_type_destroy(&table->columns[c].type);
        }
        free(table->rows);
        free(table->columns);
        free(table->name);
    }
    free(db->tables);
    for (size_t i = 0; i < db->n_symbols; i++) {
        free(db->symbols[i].name);
    }
    free(db->symbols);
    memset(db, 0, sizeof *db);
}

struct vsctl_table *
vsctl_db_find_table(const struct vsctl_db *db, const char *name)
{
    for (size_t i = 0; i < db->n_tables; i++) {
        if (!strcmp(db->tables[i].name, name)) {
            return &db->tables[i];
        }
    }
    return NULL;
}

/* How well 'name' matches 'target': 2 exactly, 1 as an abbreviation, 0 not
 * at all.  Case does not matter; '-' and '_' are the same. */
static int
name_match__(const char *target, const char *name)
{
    size_t i;

    for (i = 0; name[i]; i++) {
        char a = tolower((unsigned char)target[i]);
        char b = tolower((unsigned char)name[i]);

        a = a == '-' ? '_' : a;
        b = b == '-' ? '_' : b;
        if (!target[i] || a != b) {
            return 0;
        }
    }
    return target[i] ? 1 : 2;
}

/* Lists the names that match 'name' as well as the best match does, for
 * an error message (caller frees). */
static char *
ambiguous_names__(const char *const *names, size_t n, const char *name,
                  int score)
{
    struct ds s = DS_EMPTY;

    for (size_t i = 0; i < n; i++) {
        if (name_match__(names[i], name) == score) {
            ds_put_format(&s, "%s%s", s.length ? ", " : "", names[i]);
        }
    }
    return ds_steal_cstr(&s);
}

/* Index of the best match for 'name' among 'names', SIZE_MAX if none;
 * fatal when ambiguous ('what' formats the message). */
static size_t
match_name__(const char *const *names, size_t n, const char *name,
             bool *ambiguousp, int *scorep)
{
    size_t best = SIZE_MAX;
    int best_score = 0;

    *ambiguousp = false;
    for (size_t i = 0; i < n; i++) {
        int score = name_match__(names[i], name);
        if (score > best_score) {
            best = i;
            best_score = score;
            *ambiguousp = false;
        } else if (score && score == best_score) {
            *ambiguousp = true;
        }
    }
    *scorep = best_score;
    return best;
}

struct vsctl_table *
vsctl_get_table(const struct vsctl_db *db, const char *name)
{
    const char **names = xcalloc(db->n_tables + 1, sizeof *names);
    bool ambiguous;
    size_t best;
    int score;

    for (size_t i = 0; i < db->n_tables; i++) {
        names[i] = db->tables[i].name;
    }
    best = match_name__(names, db->n_tables, name, &ambiguous, &score);
    if (best == SIZE_MAX) {
        vsctl_fatal("unknown table \"%s\"", name);
    } else if (ambiguous) {
        vsctl_fatal("\"%s\" matches multiple table names: %s", name,
                    ambiguous_names__(names, db->n_tables, name, score));
    }
    free(names);
    return &db->tables[best];
}

size_t
vsctl_get_column(const struct vsctl_table *table, const char *name)
{
    const char **names = xcalloc(table->n_columns + 1, sizeof *names);
    bool ambiguous;
    size_t best;
    int score;

    for (size_t i = 0; i < table->n_columns; i++) {
        names[i] = table->columns[i].name;
    }
    best = match_name__(names, table->n_columns, name, &ambiguous, &score);
    if (best == SIZE_MAX) {
        vsctl_fatal("%s does not contain a column whose name matches \"%s\"",
                    table->name, name);
    } else if (ambiguous) {
        vsctl_fatal("%s contains more than one column whose name matches "
                    "\"%s\": %s",
                    table->name, name,
                    ambiguous_names__(names, table->n_columns, name, score));
    }
    free(names);
    return best;
}

size_t
vsctl_find_column(const struct vsctl_table *table, const char *name)
{
    for (size_t i = 0; i < table->n_columns; i++) {
        if (!strcmp(table->columns[i].name, name)) {
            return i;
        }
    }
    return SIZE_MAX;
}

static size_t
column_index__(const struct vsctl_table *table, const char *name)
{
    size_t col = vsctl_find_column(table, name);
    if (col == SIZE_MAX) {
        vsctl_fatal("table %s has no column %s (schema mismatch)", table->name,
                    name);
    }
    return col;
}

struct vsctl_row *
vsctl_row_by_uuid(const struct vsctl_db *db, const struct uuid *uuid)
{
    for (size_t t = 0; t < db->n_tables; t++) {
        const struct vsctl_table *table = &db->tables[t];
        for (size_t r = 0; r < table->n_rows; r++) {
            struct vsctl_row *row = table->rows[r];
            if (!row->deleted && uuid_equals(&row->uuid, uuid)) {
                return row;
            }
        }
    }
    return NULL;
}

const struct ovsdb_datum *
vsctl_row_get(const struct vsctl_row *row, const char *name)
{
    return &row->cur[column_index__(row->table, name)];
}

const char *
vsctl_row_get_string(const struct vsctl_row *row, const char *name)
{
    const struct ovsdb_datum *d = vsctl_row_get(row, name);
    return d->n ? d->keys[0].string : "";
}

void
vsctl_row_set(struct vsctl_row *row, size_t col, struct ovsdb_datum *datum)
{
    ovsdb_datum_destroy(&row->cur[col], &row->table->columns[col].type);
    row->cur[col] = *datum;
    ovsdb_datum_init_empty(datum);
    row->written[col] = true;
}

void
vsctl_row_set_string(struct vsctl_row *row, const char *name,
                     const char *value)
{
    size_t col = column_index__(row->table, name);
    union ovsdb_atom atom;
    struct ovsdb_datum d = {value != NULL, &atom, NULL}, copy;

    atom.string = (char *)value;
    ovsdb_datum_clone(&copy, &d, &row->table->columns[col].type);
    vsctl_row_set(row, col, &copy);
}

void
vsctl_row_set_integer(struct vsctl_row *row, const char *name,
                      const int64_t *value)
{
    size_t col = column_index__(row->table, name);
    union ovsdb_atom atom;
    struct ovsdb_datum d = {value != NULL, &atom, NULL}, copy;

    atom.integer = value ? *value : 0;
    ovsdb_datum_clone(&copy, &d, &row->table->columns[col].type);
    vsctl_row_set(row, col, &copy);
}

/* Adds (or with 'remove' removes) 'uuid' in a UUID set column. */
static void
row_change_uuid__(struct vsctl_row *row, const char *name,
                  const struct uuid *uuid, bool remove)
{
    size_t col = column_index__(row->table, name);
    const struct ovsdb_type *type = &row->table->columns[col].type;
    union ovsdb_atom atom;
    struct ovsdb_datum d = {1, &atom, NULL}, copy;

    atom.uuid = *uuid;
    ovsdb_datum_clone(&copy, &row->cur[col], type);
    if (remove) {
        ovsdb_datum_subtract(&copy, type, &d, type);
    } else {
        ovsdb_datum_union(&copy, &d, type);
    }
    vsctl_row_set(row, col, &copy);
}

void
vsctl_row_add_uuid(struct vsctl_row *row, const char *name,
                   const struct uuid *uuid)
{
    row_change_uuid__(row, name, uuid, false);
}

void
vsctl_row_remove_uuid(struct vsctl_row *row, const char *name,
                      const struct uuid *uuid)
{
    row_change_uuid__(row, name, uuid, true);
}

void
vsctl_row_set_map_key(struct vsctl_row *row, const char *name, const char *key,
                      const char *value)
{
    size_t col = column_index__(row->table, name);
    const struct ovsdb_type *type = &row->table->columns[col].type;
    struct ovsdb_type key_type = *type;
    union ovsdb_atom k, v;
    struct ovsdb_datum keys = {1, &k, NULL}, pair = {1, &k, &v}, copy;

    key_type.value.type = OVSDB_TYPE_VOID;
    k.string = (char *)key;
    v.string = (char *)value;
    ovsdb_datum_clone(&copy, &row->cur[col], type);
    ovsdb_datum_subtract(&copy, type, &keys, &key_type);
    if (value) {
        ovsdb_datum_union(&copy, &pair, type);
    }
    vsctl_row_set(row, col, &copy);
}

struct vsctl_row *
vsctl_row_insert(struct vsctl_table *table, const struct uuid *uuid)
{
    struct vsctl_row *row = row_create__(table);

    if (uuid) {
        row->uuid = *uuid;
    } else {
        uuid_generate(&row->uuid);
    }
    row->inserted = true;
    set_uuid_column__(row);
    for (size_t i = 1; i < table->n_columns; i++) {
        ovsdb_datum_init_default(&row->cur[i], &table->columns[i].type);
    }
    return row;
}

void
vsctl_row_delete(struct vsctl_row *row)
{
    row->deleted = true;
}

/* The "named-uuid" name of an inserted row's provisional UUID. */
static void
named_uuid__(const struct uuid *uuid, char name[UUID_LEN + 4])
{
    memcpy(name, "row", 3);
    uuid_to_string(uuid, name + 3);
    for (char *p = name + 3; *p; p++) {
        if (*p == '-') {
            *p = '_';
        }
    }
}

/* Replaces, in 'json', every ["uuid", U] where U is an inserted row of
 * 'db' by ["named-uuid", name]. */
static void
name_new_uuids__(const struct vsctl_db *db, json_t *json)
{
    size_t i;
    json_t *elem;

    if (json_is_array(json) && json_array_size(json) == 2 &&
        json_is_string(json_array_get(json, 0)) &&
        !strcmp(json_string_value(json_array_get(json, 0)), "uuid")) {
        struct uuid uuid;
        struct vsctl_row *row;
        char name[UUID_LEN + 4];

        if (uuid_from_string(&uuid,
                             json_string_value(json_array_get(json, 1))) &&
            (row = vsctl_row_by_uuid(db, &uuid)) && row->inserted) {
            named_uuid__(&uuid, name);
            json_array_set_new(json, 0, json_string("named-uuid"));
            json_array_set_new(json, 1, json_string(name));
        }
        return;
    }
    if (json_is_array(json)) {
        json_array_foreach(json, i, elem)
        {
            name_new_uuids__(db, elem);
        }
    }
}

static json_t *
column_json__(const struct vsctl_db *db, const struct vsctl_row *row,
              const struct ovsdb_datum *values, size_t col)
{
    json_t *json =
        ovsdb_datum_to_json(&values[col], &row->table->columns[col].type);
    name_new_uuids__(db, json);
    return json;
}

static json_t *
uuid_where__(const struct vsctl_row *row)
{
    char s[UUID_LEN + 1];

    uuid_to_string(&row->uuid, s);
    return json_pack("[[s, s, [s, s]]]", "_uuid", "==", "uuid", s);
}

/* Appends the "wait" and "update" operations for a modified row. */
static size_t
modified_row_ops__(const struct vsctl_db *db, const struct vsctl_row *row,
                   json_t *ops)
{
    const struct vsctl_table *table = row->table;
    json_t *columns = json_array();
    json_t *old = json_object(), *new = json_object();

    for (size_t i = 1; i < table->n_columns; i++) {
        const struct ovsdb_type *type = &table->columns[i].type;

        if (row->written[i] &&
            !ovsdb_datum_equals(&row->old[i], &row->cur[i], type)) {
            const char *name = table->columns[i].name;
            json_array_append_new(columns, json_string(name));
            json_object_set_new(old, name,
                                column_json__(db, row, row->old, i));
            json_object_set_new(new, name,
                                column_json__(db, row, row->cur, i));
        }
    }
    if (!json_array_size(columns)) {
        json_decref(columns);
        json_decref(old);
        json_decref(new);
        return 0;
    }
    json_array_append_new(
        ops, json_pack("{s:s, s:s, s:i, s:o, s:o, s:s, s:[o]}", "op", "wait",
                       "table", table->name, "timeout", 0, "where",
                       uuid_where__(row), "columns", columns, "until",
                       "==", "rows", old));
    json_array_append_new(
        ops, json_pack("{s:s, s:s, s:o, s:o}", "op", "update", "table",
                       table->name, "where", uuid_where__(row), "row", new));
    return 2;
}

static size_t
inserted_row_ops__(const struct vsctl_db *db, struct vsctl_row *row,
                   json_t *ops)
{
    const struct vsctl_table *table = row->table;
    json_t *new = json_object();
    char name[UUID_LEN + 4];

    for (size_t i = 1; i < table->n_columns; i++) {
        if (row->written[i]) {
            json_object_set_new(new, table->columns[i].name,
                                column_json__(db, row, row->cur, i));
        }
    }
    named_uuid__(&row->uuid, name);
    row->op_index = json_array_size(ops);
    json_array_append_new(ops, json_pack("{s:s, s:s, s:o, s:s}", "op",
                                         "insert", "table", table->name, "row",
                                         new, "uuid-name", name));
    return 1;
}

size_t
vsctl_db_changes_to_ops(const struct vsctl_db *db, json_t *ops)
{
    size_t n = 0;

    for (size_t t = 0; t < db->n_tables; t++) {
        const struct vsctl_table *table = &db->tables[t];

        for (size_t r = 0; r < table->n_rows; r++) {
            struct vsctl_row *row = table->rows[r];

            if (row->inserted) {
                n += row->deleted ? 0 : inserted_row_ops__(db, row, ops);
            } else if (row->deleted) {
                json_array_append_new(
                    ops, json_pack("{s:s, s:s, s:o}", "op", "delete", "table",
                                   table->name, "where", uuid_where__(row)));
                n++;
            } else {
                n += modified_row_ops__(db, row, ops);
            }
        }
    }
    return n;
}

/* Replaces every occurrence of 'from' in 'text' by 'to' (same length). */
static void
replace_all__(struct ds *text, const char *from, const char *to)
{
    size_t len = strlen(from);
    char *p = text->string;

    while (p && (p = strstr(p, from)) != NULL) {
        memcpy(p, to, len);
        p += len;
    }
}

void
vsctl_db_fix_uuids(const struct vsctl_db *db, const json_t *results,
                   struct ds *text)
{
    for (size_t t = 0; t < db->n_tables; t++) {
        const struct vsctl_table *table = &db->tables[t];

        for (size_t r = 0; r < table->n_rows; r++) {
            const struct vsctl_row *row = table->rows[r];
            const json_t *result, *uuid;
            char from[UUID_LEN + 1];

            if (!row->inserted || row->deleted) {
                continue;
            }
            result = json_array_get(results, row->op_index);
            uuid = json_array_get(json_object_get(result, "uuid"), 1);
            if (json_is_string(uuid) &&
                strlen(json_string_value(uuid)) == UUID_LEN) {
                uuid_to_string(&row->uuid, from);
                replace_all__(text, from, json_string_value(uuid));
            }
        }
    }
}

/* Finds the row named 'record' through 'id'; fatal if several match. */
static struct vsctl_row *
row_by_id__(const struct vsctl_db *db, const struct vsctl_row_id *id,
            const char *record)
{
    const struct vsctl_table *name_table;
    struct vsctl_row *found = NULL;
    size_t ucol;

    name_table = vsctl_db_find_table(db, id->name_table);
    if (!name_table) {
        return NULL;
    }
    for (size_t r = 0; r < name_table->n_rows; r++) {
        struct vsctl_row *row = name_table->rows[r];
        if (row->deleted) {
            continue;
        }
        if (id->name_column
                ? !strcmp(vsctl_row_get_string(row, id->name_column), record)
                : !strcmp(record, ".")) {
            if (found) {
                vsctl_fatal("multiple rows in %s match \"%s\"",
                            name_table->name, record);
            }
            found = row;
        }
    }
    if (!found || !id->uuid_column) {
        return found;
    }
    ucol = vsctl_find_column(name_table, id->uuid_column);
    if (ucol == SIZE_MAX || found->cur[ucol].n != 1) {
        return NULL;
    }
    return vsctl_row_by_uuid(db, &found->cur[ucol].keys[0].uuid);
}

/* Finds the row of 'table' whose UUID starts with 'prefix'. */
static struct vsctl_row *
row_by_uuid_prefix__(const struct vsctl_table *table, const char *prefix)
{
    struct vsctl_row *found = NULL;
    size_t len = strlen(prefix);

    if (len < 4 || strspn(prefix, "0123456789abcdefABCDEF-") != len) {
        return NULL;
    }
    for (size_t r = 0; r < table->n_rows; r++) {
        struct vsctl_row *row = table->rows[r];
        char s[UUID_LEN + 1];

        uuid_to_string(&row->uuid, s);
        if (!row->deleted && !strncasecmp(s, prefix, len)) {
            if (found) {
                vsctl_fatal("multiple rows in %s match \"%s\"", table->name,
                            prefix);
            }
            found = row;
        }
    }
    return found;
}

struct vsctl_row *
vsctl_get_row(const struct vsctl_db *db, const struct vsctl_table *table,
              const char *record, bool must_exist)
{
    struct vsctl_row *row = NULL;
    struct uuid uuid;

    if (uuid_from_string(&uuid, record)) {
        row = vsctl_row_by_uuid(db, &uuid);
        if (row && row->table != table) {
            row = NULL;
        }
    }
    for (size_t i = 0; !row && i < ARRAY_SIZE(vsctl_row_ids); i++) {
        if (!strcmp(vsctl_row_ids[i].table, table->name)) {
            row = row_by_id__(db, &vsctl_row_ids[i], record);
            if (row && row->table != table) {
                row = NULL;
            }
        }
    }
    if (!row) {
        row = row_by_uuid_prefix__(table, record);
    }
    if (!row && must_exist) {
        vsctl_fatal("no row \"%s\" in table %s", record, table->name);
    }
    return row;
}

struct vsctl_row *
vsctl_root_row(struct vsctl_db *db)
{
    struct vsctl_table *table = vsctl_db_find_table(db, "Open_vSwitch");

    if (!table) {
        vsctl_fatal("the database has no Open_vSwitch table");
    }
    for (size_t r = 0; r < table->n_rows; r++) {
        if (!table->rows[r]->deleted) {
            return table->rows[r];
        }
    }
    return vsctl_row_insert(table, NULL);
}
