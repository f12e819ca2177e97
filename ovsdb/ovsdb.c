/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ovsdb: the in-memory database — tables of reference-counted rows keyed by
 * UUID, row JSON, the change sets of committed transactions, their journal
 * record JSON and its replay (ovsdb_apply_json).  Transactions live in
 * ovsdb-txn.c and the operations in ovsdb-ops.c; see ovsdb.h.
 */
#include <config.h>

#include <limits.h>
#include <stdlib.h>

#include "lib/hash.h"
#include "ovsdb/ovsdb-private.h"

/* ---- UUID map. ---- */

void
ovsdb_umap_init(struct ovsdb_umap *map)
{
    map->mask = 7;
    map->buckets = xcalloc(map->mask + 1, sizeof *map->buckets);
    map->n = 0;
}

void
ovsdb_umap_destroy(struct ovsdb_umap *map)
{
    if (!map->buckets) {
        return;
    }
    for (size_t i = 0; i <= map->mask; i++) {
        struct ovsdb_umap_node *node, *next;

        for (node = map->buckets[i]; node; node = next) {
            next = node->next;
            free(node);
        }
    }
    free(map->buckets);
    map->buckets = NULL;
}

static size_t
umap_bucket(const struct ovsdb_umap *map, const struct uuid *uuid)
{
    /* UUIDs are random: their first word is already a good hash. */
    return (uuid->parts[0] ^ uuid->parts[3]) & map->mask;
}

static struct ovsdb_umap_node *
umap_find(const struct ovsdb_umap *map, const struct uuid *uuid)
{
    struct ovsdb_umap_node *node;

    for (node = map->buckets[umap_bucket(map, uuid)]; node;
         node = node->next) {
        if (uuid_equals(&node->uuid, uuid)) {
            return node;
        }
    }
    return NULL;
}

void *
ovsdb_umap_get(const struct ovsdb_umap *map, const struct uuid *uuid)
{
    struct ovsdb_umap_node *node = umap_find(map, uuid);

    return node ? node->data : NULL;
}

static void
umap_expand(struct ovsdb_umap *map)
{
    struct ovsdb_umap_node **old = map->buckets;
    size_t old_mask = map->mask;

    map->mask = map->mask * 2 + 1;
    map->buckets = xcalloc(map->mask + 1, sizeof *map->buckets);
    for (size_t i = 0; i <= old_mask; i++) {
        struct ovsdb_umap_node *node, *next;

        for (node = old[i]; node; node = next) {
            size_t b = umap_bucket(map, &node->uuid);

            next = node->next;
            node->next = map->buckets[b];
            map->buckets[b] = node;
        }
    }
    free(old);
}

void
ovsdb_umap_put(struct ovsdb_umap *map, const struct uuid *uuid, void *data)
{
    struct ovsdb_umap_node *node = umap_find(map, uuid);
    size_t b;

    if (node) {
        node->data = data;
        return;
    }
    if (map->n > map->mask) {
        umap_expand(map);
    }
    b = umap_bucket(map, uuid);
    node = xmalloc(sizeof *node);
    node->uuid = *uuid;
    node->data = data;
    node->next = map->buckets[b];
    map->buckets[b] = node;
    map->n++;
}

void *
ovsdb_umap_remove(struct ovsdb_umap *map, const struct uuid *uuid)
{
    struct ovsdb_umap_node **p = &map->buckets[umap_bucket(map, uuid)];

    for (; *p; p = &(*p)->next) {
        if (uuid_equals(&(*p)->uuid, uuid)) {
            struct ovsdb_umap_node *node = *p;
            void *data = node->data;

            *p = node->next;
            free(node);
            map->n--;
            return data;
        }
    }
    return NULL;
}

void **
ovsdb_umap_values(const struct ovsdb_umap *map)
{
    void **values = xmalloc((map->n + 1) * sizeof *values);
    size_t n = 0;

    for (size_t i = 0; i <= map->mask; i++) {
        for (struct ovsdb_umap_node *node = map->buckets[i]; node;
             node = node->next) {
            values[n++] = node->data;
        }
    }
    return values;
}

/* ---- Rows. ---- */

/* Every row is preceded by this hidden header. */
union row_header {
    size_t refcnt;
    max_align_t align;
};

static union row_header *
row_header(const struct ovsdb_row *row)
{
    return (union row_header *)row - 1;
}

static struct ovsdb_row *
row_alloc(const struct ovsdb_table_schema *t)
{
    union row_header *h;
    struct ovsdb_row *row;

    h = xzalloc(sizeof *h + sizeof *row +
                t->n_columns * sizeof row->fields[0]);
    h->refcnt = 1;
    row = (struct ovsdb_row *)(h + 1);
    row->table = t;
    return row;
}

static void
set_uuid_field(struct ovsdb_datum *d, const struct uuid *uuid)
{
    if (!d->n) {
        d->n = 1;
        d->keys = xzalloc(sizeof *d->keys);
    }
    d->keys[0].uuid = *uuid;
}

/* Returns a new row of table 't' with default values and UUID 'uuid'
 * (reference count 1, owned by the caller). */
struct ovsdb_row *
ovsdb_row_create(const struct ovsdb_table_schema *t, const struct uuid *uuid)
{
    struct ovsdb_row *row = row_alloc(t);
    struct uuid zero;

    for (size_t i = 0; i < t->n_columns; i++) {
        ovsdb_datum_init_default(&row->fields[i], &t->columns[i]->type);
    }
    uuid_zero(&zero);
    row->uuid = *uuid;
    set_uuid_field(&row->fields[OVSDB_COL_UUID], uuid);
    ovsdb_row_set_version(row, &zero);
    return row;
}

/* Returns a deep copy of 'row' with reference count 1. */
struct ovsdb_row *
ovsdb_row_clone(const struct ovsdb_row *row)
{
    const struct ovsdb_table_schema *t = row->table;
    struct ovsdb_row *copy = row_alloc(t);

    copy->uuid = row->uuid;
    copy->version = row->version;
    copy->n_refs = row->n_refs;
    for (size_t i = 0; i < t->n_columns; i++) {
        ovsdb_datum_clone(&copy->fields[i], &row->fields[i],
                          &t->columns[i]->type);
    }
    return copy;
}

/* Takes a reference to 'row' and returns it. */
struct ovsdb_row *
ovsdb_row_ref(const struct ovsdb_row *row)
{
    row_header(row)->refcnt++;
    return (struct ovsdb_row *)row;
}

/* Drops a reference; frees the row with the last one (NULL allowed). */
void
ovsdb_row_unref(struct ovsdb_row *row)
{
    union row_header *h;

    if (!row) {
        return;
    }
    h = row_header(row);
    if (--h->refcnt) {
        return;
    }
    for (size_t i = 0; i < row->table->n_columns; i++) {
        ovsdb_datum_destroy(&row->fields[i], &row->table->columns[i]->type);
    }
    free(h);
}

void
ovsdb_row_set_version(struct ovsdb_row *row, const struct uuid *version)
{
    row->version = *version;
    set_uuid_field(&row->fields[OVSDB_COL_VERSION], version);
}

bool
ovsdb_row_equal_content(const struct ovsdb_row *a, const struct ovsdb_row *b)
{
    const struct ovsdb_table_schema *t = a->table;

    for (size_t i = 0; i < t->n_columns; i++) {
        if (i != OVSDB_COL_VERSION &&
            !ovsdb_datum_equals(&a->fields[i], &b->fields[i],
                                &t->columns[i]->type)) {
            return false;
        }
    }
    return true;
}

/* Returns the JSON object of 'row' with the columns whose bits are set in
 * 'columns' (every column if NULL), in schema order.  Caller owns it. */
json_t *
ovsdb_row_to_json(const struct ovsdb_row *row, const unsigned long *columns)
{
    const size_t bits = sizeof(unsigned long) * CHAR_BIT;
    const struct ovsdb_table_schema *t = row->table;
    json_t *obj = json_object();

    for (size_t i = 0; i < t->n_columns; i++) {
        if (!columns || columns[i / bits] & (1UL << (i % bits))) {
            json_object_set_new(
                obj, t->columns[i]->name,
                ovsdb_datum_to_json(&row->fields[i], &t->columns[i]->type));
        }
    }
    return obj;
}

/* Does column 'c' hold references of type 'ref' to some table? */
bool
ovsdb_column_has_refs(const struct ovsdb_column_schema *c,
                      enum ovsdb_ref_type ref)
{
    return (c->type.key.ref_table && c->type.key.ref_type == ref) ||
           (c->type.value.ref_table && c->type.value.ref_type == ref);
}

/* ---- Database. ---- */

/* Creates an empty database with 'schema', which it takes over. */
struct ovsdb *
ovsdb_create(struct ovsdb_schema *schema)
{
    struct ovsdb *db = xzalloc(sizeof *db);

    db->schema = schema;
    db->tables = xcalloc(schema->n_tables + 1, sizeof *db->tables);
    for (size_t i = 0; i < schema->n_tables; i++) {
        db->tables[i].schema = schema->tables[i];
        ovsdb_umap_init(&db->tables[i].rows);
    }
    uuid_zero(&db->last_txn_id);
    return db;
}

/* Frees 'db', its rows and its schema (NULL allowed).  Rows still held by
 * change sets stay valid until those are destroyed. */
void
ovsdb_destroy(struct ovsdb *db)
{
    if (!db) {
        return;
    }
    for (size_t i = 0; i < db->schema->n_tables; i++) {
        struct ovsdb_umap *rows = &db->tables[i].rows;
        void **values = ovsdb_umap_values(rows);

        for (size_t j = 0; j < rows->n; j++) {
            ovsdb_row_unref(values[j]);
        }
        free(values);
        ovsdb_umap_destroy(rows);
    }
    free(db->tables);
    ovsdb_schema_destroy(db->schema);
    free(db);
}

const struct ovsdb_schema *
ovsdb_get_schema(const struct ovsdb *db)
{
    return db->schema;
}

/* Returns the index of 't' in db->tables ('t' must belong to the
 * database's schema). */
size_t
ovsdb_table_index(const struct ovsdb *db, const struct ovsdb_table_schema *t)
{
    for (size_t i = 0; i < db->schema->n_tables; i++) {
        if (db->schema->tables[i] == t) {
            return i;
        }
    }
    abort();
}

const struct ovsdb_row *
ovsdb_find_row(const struct ovsdb *db, const struct ovsdb_table_schema *t,
               const struct uuid *uuid)
{
    return ovsdb_umap_get(&db->tables[ovsdb_table_index(db, t)].rows, uuid);
}

size_t
ovsdb_table_n_rows(const struct ovsdb *db, const struct ovsdb_table_schema *t)
{
    return db->tables[ovsdb_table_index(db, t)].rows.n;
}

void
ovsdb_table_for_each(const struct ovsdb *db,
                     const struct ovsdb_table_schema *t,
                     void (*cb)(const struct ovsdb_row *, void *aux),
                     void *aux)
{
    const struct ovsdb_umap *rows = &db->tables[ovsdb_table_index(db, t)].rows;

    for (size_t i = 0; i <= rows->mask; i++) {
        for (struct ovsdb_umap_node *node = rows->buckets[i]; node;
             node = node->next) {
            cb(node->data, aux);
        }
    }
}

const struct uuid *
ovsdb_last_txn_id(const struct ovsdb *db)
{
    return &db->last_txn_id;
}

/* ---- Change sets and journal records. ---- */

/* Frees 'changes' and drops its row references (NULL allowed). */
void
ovsdb_changes_destroy(struct ovsdb_changes *changes)
{
    if (!changes) {
        return;
    }
    for (size_t i = 0; i < changes->n; i++) {
        struct ovsdb_row_change *rc = &changes->rows[i];

        ovsdb_row_unref((struct ovsdb_row *)rc->old);
        ovsdb_row_unref((struct ovsdb_row *)rc->new_);
        free(rc->changed);
    }
    free(changes->rows);
    free(changes->comment);
    free(changes);
}

static bool
bit_is_set(const unsigned long *bits, size_t i)
{
    const size_t n = sizeof(unsigned long) * CHAR_BIT;

    return bits && (bits[i / n] & (1UL << (i % n)));
}

/* The journal JSON of one inserted or modified row, or NULL if nothing
 * persistent changed. */
static json_t *
row_change_to_json(const struct ovsdb_row_change *rc)
{
    const struct ovsdb_table_schema *t = rc->table;
    json_t *obj = json_object();
    bool any = false;

    for (size_t i = OVSDB_N_IMPLICIT_COLUMNS; i < t->n_columns; i++) {
        const struct ovsdb_column_schema *c = t->columns[i];

        if (c->ephemeral || (rc->old && !bit_is_set(rc->changed, i))) {
            continue;
        }
        if (!rc->old && !rc->new_->fields[i].n) {
            continue; /* Empty is the default of an optional column. */
        }
        json_object_set_new(
            obj, c->name, ovsdb_datum_to_json(&rc->new_->fields[i], &c->type));
        any = true;
    }
    if (!any && rc->old) {
        json_decref(obj);
        return NULL;
    }
    json_object_set_new(
        obj, "_version",
        ovsdb_datum_to_json(&rc->new_->fields[OVSDB_COL_VERSION],
                            &t->columns[OVSDB_COL_VERSION]->type));
    return obj;
}

/* Returns the journal record of 'changes' (see ovsdb.h).  Caller owns it. */
json_t *
ovsdb_changes_to_json(const struct ovsdb_changes *changes,
                      const struct ovsdb *db TERN_UNUSED)
{
    json_t *record = json_object();
    char id[UUID_LEN + 1];

    for (size_t i = 0; i < changes->n; i++) {
        const struct ovsdb_row_change *rc = &changes->rows[i];
        const struct ovsdb_row *row = rc->new_ ? rc->new_ : rc->old;
        json_t *table, *value;
        char uuid[UUID_LEN + 1];

        value = rc->new_ ? row_change_to_json(rc) : json_null();
        if (!value) {
            continue;
        }
        table = json_object_get(record, rc->table->name);
        if (!table) {
            table = json_object();
            json_object_set_new(record, rc->table->name, table);
        }
        uuid_to_string(&row->uuid, uuid);
        json_object_set_new(table, uuid, value);
    }
    json_object_set_new(record, "_date", json_integer(time_wall_msec()));
    if (changes->comment) {
        json_object_set_new(record, "_comment", json_string(changes->comment));
    }
    uuid_to_string(&changes->txn_id, id);
    json_object_set_new(record, "_txn_id", json_string(id));
    return record;
}

/* Applies the columns of 'json' (one row of a record) to 'row'. */
static struct ovsdb_error *
replay_row_columns(struct ovsdb_row *row, const json_t *json)
{
    const struct ovsdb_table_schema *t = row->table;
    const char *name;
    json_t *value;

    if (!json_is_object(json)) {
        return ovsdb_syntax_error(json,
                                  "row of table %s in a journal record "
                                  "must be an object or null",
                                  t->name);
    }
    json_object_foreach((json_t *)json, name, value)
    {
        const struct ovsdb_column_schema *c;
        struct ovsdb_datum datum;
        struct ovsdb_error *error;

        c = ovsdb_table_schema_find_column(t, name);
        if (!c || c->index == OVSDB_COL_UUID) {
            return ovsdb_error("unknown column",
                               "journal record: no column "
                               "%s in table %s",
                               name, t->name);
        }
        error = ovsdb_datum_from_json(&datum, &c->type, value, NULL);
        if (error) {
            return error;
        }
        ovsdb_datum_destroy(&row->fields[c->index], &c->type);
        row->fields[c->index] = datum;
        if (c->index == OVSDB_COL_VERSION) {
            row->version = datum.keys[0].uuid;
        }
    }
    return NULL;
}

static struct ovsdb_error *
replay_row(struct ovsdb_txn *txn, size_t idx, const char *uuid_s,
           const json_t *json)
{
    const struct ovsdb_table_schema *t = txn->db->schema->tables[idx];
    const struct ovsdb_row *row;
    struct uuid uuid;

    if (!uuid_from_string(&uuid, uuid_s)) {
        return ovsdb_syntax_error(NULL,
                                  "journal record: \"%s\" in table %s "
                                  "is not a UUID",
                                  uuid_s, t->name);
    }
    row = ovsdb_txn_get(txn, idx, &uuid);
    if (json_is_null(json)) {
        if (!row) {
            return ovsdb_error("syntax error",
                               "journal record deletes "
                               "missing row " UUID_FMT " of table %s",
                               UUID_ARGS(&uuid), t->name);
        }
        ovsdb_txn_delete(txn, idx, row);
        return NULL;
    }
    return replay_row_columns(row ? ovsdb_txn_modify(txn, idx, row)
                                  : ovsdb_txn_insert(txn, idx, &uuid),
                              json);
}

static struct ovsdb_error *
replay_record(struct ovsdb_txn *txn, const json_t *record)
{
    const char *name;
    json_t *value;

    json_object_foreach((json_t *)record, name, value)
    {
        const struct ovsdb_table_schema *t;
        const char *uuid_s;
        json_t *row;
        size_t idx;

        if (name[0] == '_') {
            continue;
        }
        t = ovsdb_schema_find_table(txn->db->schema, name);
        if (!t) {
            return ovsdb_error("unknown table",
                               "journal record: no table "
                               "%s",
                               name);
        }
        if (!json_is_object(value)) {
            return ovsdb_syntax_error(value,
                                      "journal record: table %s must "
                                      "be an object",
                                      name);
        }
        idx = ovsdb_table_index(txn->db, t);
        json_object_foreach(value, uuid_s, row)
        {
            struct ovsdb_error *error = replay_row(txn, idx, uuid_s, row);

            if (error) {
                return error;
            }
        }
    }
    return NULL;
}

/* Applies the journal 'record' to 'db' without the commit checks (the
 * record already holds their outcome).  'record' stays the caller's. */
struct ovsdb_error *
ovsdb_apply_json(struct ovsdb *db, const json_t *record)
{
    struct ovsdb_changes *changes = NULL;
    struct ovsdb_error *error;
    const json_t *id;
    struct ovsdb_txn txn;

    if (!json_is_object(record)) {
        return ovsdb_syntax_error(record, "journal record must be an "
                                          "object");
    }
    ovsdb_txn_init(&txn, db);
    error = replay_record(&txn, record);
    if (!error) {
        error = ovsdb_txn_commit(&txn, false, &changes);
    }
    ovsdb_txn_destroy(&txn);
    ovsdb_changes_destroy(changes);
    id = json_object_get(record, "_txn_id");
    if (!error && json_is_string(id)) {
        uuid_from_string(&db->last_txn_id, json_string_value(id));
    }
    return error;
}
