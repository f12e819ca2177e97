/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ovsdb-monitor: monitors, transaction snapshots and the history that
 * tern-dbserver uses to answer "monitor", "monitor_cond",
 * "monitor_cond_since" and "monitor_cond_change" (see ovsdb-monitor.h for
 * the formats).  The server session owns the monitors; the server owns one
 * history per database.
 */
#include <config.h>

#include "ovsdb/ovsdb-monitor.h"

#include <stdlib.h>

#include "lib/util.h"

/* "select" flags. */
enum {
    MON_INITIAL = 1 << 0,
    MON_INSERT = 1 << 1,
    MON_DELETE = 1 << 2,
    MON_MODIFY = 1 << 3,
    MON_ALL = MON_INITIAL | MON_INSERT | MON_DELETE | MON_MODIFY,
};

/* Alternatives of a "where": a row matches if 'any_true' or any clause
 * matches. */
struct monitor_cond {
    bool any_true;
    size_t n;
    struct ovsdb_condition **clauses;
};

struct monitor_table {
    const struct ovsdb_table_schema *table;
    size_t n_columns;
    const struct ovsdb_column_schema **columns;
    struct ovsdb_datum *defaults; /* Per column, for "omit defaults". */
    unsigned int select;
    struct monitor_cond cond;
};

struct ovsdb_monitor {
    enum ovsdb_monitor_version version;
    size_t n_tables;
    struct monitor_table *tables;
};

/* ---- Rows and transaction snapshots. ---- */

struct ovsdb_row *
ovsdb_monitor_row_clone(const struct ovsdb_row *src)
{
    const struct ovsdb_table_schema *ts = src->table;
    struct ovsdb_row *row;

    row = xzalloc(sizeof *row + ts->n_columns * sizeof row->fields[0]);
    row->table = ts;
    row->uuid = src->uuid;
    row->version = src->version;
    for (size_t i = 0; i < ts->n_columns; i++) {
        ovsdb_datum_clone(&row->fields[i], &src->fields[i],
                          &ts->columns[i]->type);
    }
    return row;
}

void
ovsdb_monitor_row_destroy(struct ovsdb_row *row)
{
    if (row) {
        for (size_t i = 0; i < row->table->n_columns; i++) {
            ovsdb_datum_destroy(&row->fields[i],
                                &row->table->columns[i]->type);
        }
        free(row);
    }
}

struct ovsdb_monitor_txn *
ovsdb_monitor_txn_from_changes(const struct ovsdb_changes *changes)
{
    struct ovsdb_monitor_txn *txn = xzalloc(sizeof *txn);

    txn->txn_id = changes->txn_id;
    txn->changes = xcalloc(changes->n ? changes->n : 1, sizeof *txn->changes);
    for (size_t i = 0; i < changes->n; i++) {
        const struct ovsdb_row_change *rc = &changes->rows[i];
        struct ovsdb_monitor_change *c = &txn->changes[txn->n++];

        c->table = rc->table;
        c->uuid = rc->new_ ? rc->new_->uuid : rc->old->uuid;
        c->old = rc->old ? ovsdb_monitor_row_clone(rc->old) : NULL;
        c->new_ = rc->new_ ? ovsdb_monitor_row_clone(rc->new_) : NULL;
    }
    return txn;
}

void
ovsdb_monitor_txn_destroy(struct ovsdb_monitor_txn *txn)
{
    if (!txn) {
        return;
    }
    if (!txn->borrowed) {
        for (size_t i = 0; i < txn->n; i++) {
            ovsdb_monitor_row_destroy(txn->changes[i].old);
            ovsdb_monitor_row_destroy(txn->changes[i].new_);
        }
    }
    free(txn->changes);
    free(txn);
}

/* ---- History. ---- */

struct ovsdb_monitor_history {
    size_t max_txns, max_rows;
    size_t n_rows;
    size_t n, allocated; /* txns[0] is the oldest. */
    struct ovsdb_monitor_txn **txns;
};

struct ovsdb_monitor_history *
ovsdb_monitor_history_create(size_t max_txns, size_t max_rows)
{
    struct ovsdb_monitor_history *h = xzalloc(sizeof *h);

    h->max_txns = max_txns ? max_txns : 1;
    h->max_rows = max_rows;
    return h;
}

void
ovsdb_monitor_history_destroy(struct ovsdb_monitor_history *h)
{
    if (h) {
        for (size_t i = 0; i < h->n; i++) {
            ovsdb_monitor_txn_destroy(h->txns[i]);
        }
        free(h->txns);
        free(h);
    }
}

static void
history_drop_oldest(struct ovsdb_monitor_history *h)
{
    h->n_rows -= h->txns[0]->n;
    ovsdb_monitor_txn_destroy(h->txns[0]);
    memmove(h->txns, h->txns + 1, (h->n - 1) * sizeof h->txns[0]);
    h->n--;
}

void
ovsdb_monitor_history_add(struct ovsdb_monitor_history *h,
                          struct ovsdb_monitor_txn *txn)
{
    if (h->n >= h->allocated) {
        h->allocated = h->allocated ? h->allocated * 2 : 16;
        h->txns = xrealloc(h->txns, h->allocated * sizeof h->txns[0]);
    }
    h->txns[h->n++] = txn;
    h->n_rows += txn->n;
    while (h->n > 1 && (h->n > h->max_txns || h->n_rows > h->max_rows)) {
        history_drop_oldest(h);
    }
}

size_t
ovsdb_monitor_history_n_txns(const struct ovsdb_monitor_history *h)
{
    return h->n;
}

/* A change and its position in the history, for sorting. */
struct history_item {
    const struct ovsdb_monitor_change *c;
    size_t seq;
};

static int
history_item_cmp(const void *a_, const void *b_)
{
    const struct history_item *a = a_, *b = b_;
    int cmp;

    if (a->c->table != b->c->table) {
        return strcmp(a->c->table->name, b->c->table->name);
    }
    cmp = uuid_compare(&a->c->uuid, &b->c->uuid);
    if (cmp) {
        return cmp;
    }
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Folds the changes of txns[first..] into one transaction: for each row
 * the first "old" and the last "new". */
static struct ovsdb_monitor_txn *
history_merge(const struct ovsdb_monitor_history *h, size_t first)
{
    struct ovsdb_monitor_txn *merged = xzalloc(sizeof *merged);
    struct history_item *items;
    size_t n_items = 0;

    for (size_t i = first; i < h->n; i++) {
        n_items += h->txns[i]->n;
    }
    items = xcalloc(n_items ? n_items : 1, sizeof *items);
    n_items = 0;
    for (size_t i = first; i < h->n; i++) {
        for (size_t j = 0; j < h->txns[i]->n; j++) {
            items[n_items].c = &h->txns[i]->changes[j];
            items[n_items].seq = n_items;
            n_items++;
        }
    }
    qsort(items, n_items, sizeof *items, history_item_cmp);

    merged->borrowed = true;
    merged->txn_id = h->txns[h->n - 1]->txn_id;
    merged->changes = xcalloc(n_items ? n_items : 1, sizeof *merged->changes);
    for (size_t i = 0; i < n_items;) {
        size_t j = i;

        while (j + 1 < n_items && items[j + 1].c->table == items[i].c->table &&
               uuid_equals(&items[j + 1].c->uuid, &items[i].c->uuid)) {
            j++;
        }
        if (items[i].c->old || items[j].c->new_) {
            struct ovsdb_monitor_change *c = &merged->changes[merged->n++];

            *c = *items[i].c;
            c->new_ = items[j].c->new_;
        }
        i = j + 1;
    }
    free(items);
    return merged;
}

bool
ovsdb_monitor_history_since(const struct ovsdb_monitor_history *h,
                            const struct uuid *txn_id,
                            struct ovsdb_monitor_txn **mergedp)
{
    *mergedp = NULL;
    for (size_t i = h->n; i-- > 0;) {
        if (uuid_equals(&h->txns[i]->txn_id, txn_id)) {
            if (i + 1 < h->n) {
                *mergedp = history_merge(h, i + 1);
            }
            return true;
        }
    }
    return false;
}

/* ---- Conditions. ---- */

static void
monitor_cond_destroy(struct monitor_cond *cond)
{
    for (size_t i = 0; i < cond->n; i++) {
        ovsdb_condition_destroy(cond->clauses[i]);
    }
    free(cond->clauses);
    memset(cond, 0, sizeof *cond);
}

/* Parses one clause of a "where": a boolean or [column, function, value]
 * (which the engine parses as a one-condition "where"). */
static struct ovsdb_error *
monitor_clause_parse(const struct ovsdb_table_schema *ts, const json_t *clause,
                     struct monitor_cond *cond)
{
    struct ovsdb_condition *c;
    struct ovsdb_error *error;
    json_t *where;

    if (json_is_boolean(clause)) {
        cond->any_true |= json_is_true(clause);
        return NULL;
    }
    if (!json_is_array(clause) || json_array_size(clause) != 3) {
        return ovsdb_syntax_error(clause, "a condition of a \"where\" must "
                                          "be a boolean or [column, "
                                          "function, value]");
    }
    where = json_pack("[O]", clause);
    error = ovsdb_condition_from_json(ts, where, &c);
    json_decref(where);
    if (error) {
        return error;
    }
    cond->clauses =
        xrealloc(cond->clauses, (cond->n + 1) * sizeof cond->clauses[0]);
    cond->clauses[cond->n++] = c;
    return NULL;
}

/* Adds the clauses of 'where' (NULL: match everything) to 'cond'. */
static struct ovsdb_error *
monitor_cond_add(const struct ovsdb_table_schema *ts, const json_t *where,
                 struct monitor_cond *cond)
{
    size_t i;
    json_t *clause;

    if (!where || (json_is_array(where) && !json_array_size(where))) {
        cond->any_true = true;
        return NULL;
    }
    if (!json_is_array(where)) {
        return ovsdb_syntax_error(where, "\"where\" must be an array");
    }
    json_array_foreach(where, i, clause)
    {
        struct ovsdb_error *error = monitor_clause_parse(ts, clause, cond);

        if (error) {
            return error;
        }
    }
    return NULL;
}

static bool
monitor_cond_match(const struct monitor_cond *cond,
                   const struct ovsdb_row *row)
{
    if (!row) {
        return false;
    }
    if (cond->any_true) {
        return true;
    }
    for (size_t i = 0; i < cond->n; i++) {
        if (ovsdb_condition_evaluate(cond->clauses[i], row)) {
            return true;
        }
    }
    return false;
}

/* ---- Parsing monitor requests. ---- */

static void
monitor_table_add_column(struct monitor_table *mt,
                         const struct ovsdb_column_schema *col)
{
    for (size_t i = 0; i < mt->n_columns; i++) {
        if (mt->columns[i] == col) {
            return;
        }
    }
    mt->columns =
        xrealloc(mt->columns, (mt->n_columns + 1) * sizeof mt->columns[0]);
    mt->columns[mt->n_columns++] = col;
}

static struct ovsdb_error *
monitor_parse_columns(struct monitor_table *mt, const json_t *columns)
{
    const struct ovsdb_table_schema *ts = mt->table;
    json_t *name;
    size_t i;

    if (!columns) {
        for (size_t c = 0; c < ts->n_columns; c++) {
            if (c != OVSDB_COL_UUID) {
                monitor_table_add_column(mt, ts->columns[c]);
            }
        }
        return NULL;
    }
    if (!json_is_array(columns)) {
        return ovsdb_syntax_error(columns, "\"columns\" must be an array");
    }
    json_array_foreach(columns, i, name)
    {
        const struct ovsdb_column_schema *col;

        if (!json_is_string(name)) {
            return ovsdb_syntax_error(name, "column name must be a string");
        }
        col = ovsdb_table_schema_find_column(ts, json_string_value(name));
        if (!col) {
            return ovsdb_error("syntax error", "table %s has no column %s",
                               ts->name, json_string_value(name));
        }
        monitor_table_add_column(mt, col);
    }
    return NULL;
}

static struct ovsdb_error *
monitor_parse_select(const json_t *select, unsigned int *flags)
{
    static const struct {
        const char *name;
        unsigned int flag;
    } names[] = {
        {"initial", MON_INITIAL},
        {"insert", MON_INSERT},
        {"delete", MON_DELETE},
        {"modify", MON_MODIFY},
    };

    if (!select) {
        *flags = MON_ALL;
        return NULL;
    }
    if (!json_is_object(select)) {
        return ovsdb_syntax_error(select, "\"select\" must be an object");
    }
    *flags = 0;
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        const json_t *v = json_object_get(select, names[i].name);

        if (v && !json_is_boolean(v)) {
            return ovsdb_syntax_error(v, "\"%s\" must be a boolean",
                                      names[i].name);
        }
        if (!v || json_is_true(v)) {
            *flags |= names[i].flag;
        }
    }
    return NULL;
}

/* Merges one <monitor-request> into 'mt'. */
static struct ovsdb_error *
monitor_parse_request(struct monitor_table *mt, enum ovsdb_monitor_version v,
                      const json_t *req)
{
    struct ovsdb_error *error;
    unsigned int flags = 0;

    if (!json_is_object(req)) {
        return ovsdb_syntax_error(req, "a monitor request must be an object");
    }
    error = monitor_parse_columns(mt, json_object_get(req, "columns"));
    if (!error) {
        error = monitor_parse_select(json_object_get(req, "select"), &flags);
    }
    if (error) {
        return error;
    }
    mt->select |= flags;
    if (v == OVSDB_MONITOR_V1) {
        if (json_object_get(req, "where")) {
            return ovsdb_syntax_error(req, "\"where\" needs monitor_cond");
        }
        mt->cond.any_true = true;
        return NULL;
    }
    return monitor_cond_add(mt->table, json_object_get(req, "where"),
                            &mt->cond);
}

static void
monitor_table_init(struct monitor_table *mt,
                   const struct ovsdb_table_schema *ts)
{
    memset(mt, 0, sizeof *mt);
    mt->table = ts;
}

static void
monitor_table_finish(struct monitor_table *mt)
{
    mt->defaults =
        xcalloc(mt->n_columns ? mt->n_columns : 1, sizeof mt->defaults[0]);
    for (size_t i = 0; i < mt->n_columns; i++) {
        ovsdb_datum_init_default(&mt->defaults[i], &mt->columns[i]->type);
    }
}

static void
monitor_table_destroy(struct monitor_table *mt)
{
    if (mt->defaults) {
        for (size_t i = 0; i < mt->n_columns; i++) {
            ovsdb_datum_destroy(&mt->defaults[i], &mt->columns[i]->type);
        }
    }
    free(mt->defaults);
    free(mt->columns);
    monitor_cond_destroy(&mt->cond);
}

static struct ovsdb_error *
monitor_parse_table(struct ovsdb_monitor *mon, const struct ovsdb *db,
                    const char *name, const json_t *reqs)
{
    const struct ovsdb_table_schema *ts;
    struct monitor_table *mt;
    struct ovsdb_error *error = NULL;

    ts = ovsdb_schema_find_table(ovsdb_get_schema(db), name);
    if (!ts) {
        return ovsdb_error("syntax error", "no table named %s", name);
    }
    mt = &mon->tables[mon->n_tables++];
    monitor_table_init(mt, ts);
    if (json_is_array(reqs)) {
        size_t i;
        json_t *req;

        if (!json_array_size(reqs)) {
            json_t *empty = json_object();

            error = monitor_parse_request(mt, mon->version, empty);
            json_decref(empty);
        }
        json_array_foreach(reqs, i, req)
        {
            error = monitor_parse_request(mt, mon->version, req);
            if (error) {
                break;
            }
        }
    } else {
        error = monitor_parse_request(mt, mon->version, reqs);
    }
    monitor_table_finish(mt);
    return error;
}

struct ovsdb_error *
ovsdb_monitor_create(const struct ovsdb *db, enum ovsdb_monitor_version v,
                     const json_t *requests, struct ovsdb_monitor **monp)
{
    struct ovsdb_monitor *mon;
    const char *name;
    json_t *reqs;

    *monp = NULL;
    if (!json_is_object(requests)) {
        return ovsdb_syntax_error(requests,
                                  "monitor requests must be an object");
    }
    mon = xzalloc(sizeof *mon);
    mon->version = v;
    mon->tables =
        xcalloc(json_object_size(requests) + 1, sizeof mon->tables[0]);
    json_object_foreach((json_t *)requests, name, reqs)
    {
        struct ovsdb_error *error = monitor_parse_table(mon, db, name, reqs);

        if (error) {
            ovsdb_monitor_destroy(mon);
            return error;
        }
    }
    *monp = mon;
    return NULL;
}

void
ovsdb_monitor_destroy(struct ovsdb_monitor *mon)
{
    if (mon) {
        for (size_t i = 0; i < mon->n_tables; i++) {
            monitor_table_destroy(&mon->tables[i]);
        }
        free(mon->tables);
        free(mon);
    }
}

enum ovsdb_monitor_version
ovsdb_monitor_get_version(const struct ovsdb_monitor *mon)
{
    return mon->version;
}

/* ---- Producing updates. ---- */

/* The monitored columns of 'row' as a JSON object; with 'omit_defaults',
 * without columns that hold their type's default; with 'old' non-NULL,
 * only the columns that differ from 'old'. */
static json_t *
monitor_row_json(const struct monitor_table *mt, const struct ovsdb_row *row,
                 bool omit_defaults, const struct ovsdb_row *old)
{
    json_t *obj = json_object();

    for (size_t i = 0; i < mt->n_columns; i++) {
        const struct ovsdb_column_schema *col = mt->columns[i];
        const struct ovsdb_datum *d = &row->fields[col->index];

        if (old &&
            ovsdb_datum_equals(d, &old->fields[col->index], &col->type)) {
            continue;
        }
        if (omit_defaults &&
            ovsdb_datum_equals(d, &mt->defaults[i], &col->type)) {
            continue;
        }
        json_object_set_new(obj, col->name,
                            ovsdb_datum_to_json(d, &col->type));
    }
    return obj;
}

static void
diff_add(struct ovsdb_datum *diff, const struct ovsdb_datum *src, size_t i,
         const struct ovsdb_type *type)
{
    ovsdb_atom_clone(&diff->keys[diff->n], &src->keys[i], type->key.type);
    if (diff->values) {
        ovsdb_atom_clone(&diff->values[diff->n], &src->values[i],
                         type->value.type);
    }
    diff->n++;
}

/* The update2 difference between 'old' and 'new' of 'type'. */
static json_t *
monitor_diff_json(const struct ovsdb_datum *old, const struct ovsdb_datum *new,
                  const struct ovsdb_type *type)
{
    struct ovsdb_type relaxed = *type; /* Shallow: never destroyed. */
    struct ovsdb_datum diff;
    size_t cap = old->n + new->n + 1;
    size_t i = 0, j = 0;
    json_t *json;

    if (type->n_max == 1) {
        return ovsdb_datum_to_json(new, type);
    }
    diff.n = 0;
    diff.keys = xcalloc(cap, sizeof diff.keys[0]);
    diff.values =
        ovsdb_type_is_map(type) ? xcalloc(cap, sizeof diff.values[0]) : NULL;
    while (i < old->n || j < new->n) {
        int cmp = i >= old->n ? 1
                  : j >= new->n
                      ? -1
                      : ovsdb_atom_compare(&old->keys[i], &new->keys[j],
                                           type->key.type);
        if (cmp < 0) {
            diff_add(&diff, old, i++, type);
        } else if (cmp > 0) {
            diff_add(&diff, new, j++, type);
        } else {
            if (diff.values &&
                ovsdb_atom_compare(&old->values[i], &new->values[j],
                                   type->value.type)) {
                diff_add(&diff, new, j, type);
            }
            i++;
            j++;
        }
    }
    relaxed.n_min = 0;
    relaxed.n_max = OVSDB_N_MAX_UNLIMITED;
    json = ovsdb_datum_to_json(&diff, &relaxed);
    ovsdb_datum_destroy(&diff, type);
    return json;
}

/* The "modify" <row> of update2: changed columns as differences.  Returns
 * NULL if no monitored column changed. */
static json_t *
monitor_modify2_json(const struct monitor_table *mt,
                     const struct ovsdb_row *old, const struct ovsdb_row *new)
{
    json_t *obj = json_object();

    for (size_t i = 0; i < mt->n_columns; i++) {
        const struct ovsdb_column_schema *col = mt->columns[i];
        const struct ovsdb_datum *a = &old->fields[col->index];
        const struct ovsdb_datum *b = &new->fields[col->index];

        if (!ovsdb_datum_equals(a, b, &col->type)) {
            json_object_set_new(obj, col->name,
                                monitor_diff_json(a, b, &col->type));
        }
    }
    if (!json_object_size(obj)) {
        json_decref(obj);
        return NULL;
    }
    return obj;
}

/* Adds {table: {uuid: row_update}} to 'updates' (steals 'row_update'). */
static void
updates_add(json_t *updates, const struct ovsdb_table_schema *ts,
            const struct uuid *uuid, json_t *row_update)
{
    char buf[UUID_LEN + 1];
    json_t *table = json_object_get(updates, ts->name);

    if (!table) {
        table = json_object();
        json_object_set_new(updates, ts->name, table);
    }
    uuid_to_string(uuid, buf);
    json_object_set_new(table, buf, row_update);
}

struct initial_aux {
    const struct ovsdb_monitor *mon;
    const struct monitor_table *mt;
    json_t *updates;
};

static void
monitor_initial_row(const struct ovsdb_row *row, void *aux_)
{
    struct initial_aux *aux = aux_;
    const struct monitor_table *mt = aux->mt;
    json_t *upd;

    if (!monitor_cond_match(&mt->cond, row)) {
        return;
    }
    if (aux->mon->version == OVSDB_MONITOR_V1) {
        upd =
            json_pack("{s:o}", "new", monitor_row_json(mt, row, false, NULL));
    } else {
        upd = json_pack("{s:o}", "initial",
                        monitor_row_json(mt, row, true, NULL));
    }
    updates_add(aux->updates, mt->table, &row->uuid, upd);
}

json_t *
ovsdb_monitor_initial(const struct ovsdb_monitor *mon, const struct ovsdb *db)
{
    struct initial_aux aux = {mon, NULL, json_object()};

    for (size_t i = 0; i < mon->n_tables; i++) {
        aux.mt = &mon->tables[i];
        if (aux.mt->select & MON_INITIAL) {
            ovsdb_table_for_each(db, aux.mt->table, monitor_initial_row, &aux);
        }
    }
    return aux.updates;
}

static const struct monitor_table *
monitor_find_table(const struct ovsdb_monitor *mon,
                   const struct ovsdb_table_schema *ts)
{
    for (size_t i = 0; i < mon->n_tables; i++) {
        if (mon->tables[i].table == ts ||
            !strcmp(mon->tables[i].table->name, ts->name)) {
            return &mon->tables[i];
        }
    }
    return NULL;
}

/* The V1 <row-update> of one change, or NULL. */
static json_t *
monitor_change_v1(const struct monitor_table *mt,
                  const struct ovsdb_monitor_change *c)
{
    json_t *old;

    if (!c->old) {
        return mt->select & MON_INSERT
                   ? json_pack("{s:o}", "new",
                               monitor_row_json(mt, c->new_, false, NULL))
                   : NULL;
    }
    if (!c->new_) {
        return mt->select & MON_DELETE
                   ? json_pack("{s:o}", "old",
                               monitor_row_json(mt, c->old, false, NULL))
                   : NULL;
    }
    if (!(mt->select & MON_MODIFY)) {
        return NULL;
    }
    old = monitor_row_json(mt, c->old, false, c->new_);
    if (!json_object_size(old)) {
        json_decref(old);
        return NULL;
    }
    return json_pack("{s:o,s:o}", "old", old, "new",
                     monitor_row_json(mt, c->new_, false, NULL));
}

/* The V2 <row-update2> of one change, or NULL. */
static json_t *
monitor_change_v2(const struct monitor_table *mt,
                  const struct ovsdb_monitor_change *c)
{
    bool old_match = monitor_cond_match(&mt->cond, c->old);
    bool new_match = monitor_cond_match(&mt->cond, c->new_);

    if (old_match && new_match) {
        json_t *diff;

        if (!(mt->select & MON_MODIFY)) {
            return NULL;
        }
        diff = monitor_modify2_json(mt, c->old, c->new_);
        return diff ? json_pack("{s:o}", "modify", diff) : NULL;
    } else if (new_match) {
        return mt->select & MON_INSERT
                   ? json_pack("{s:o}", "insert",
                               monitor_row_json(mt, c->new_, true, NULL))
                   : NULL;
    } else if (old_match) {
        return mt->select & MON_DELETE ? json_pack("{s:n}", "delete") : NULL;
    }
    return NULL;
}

json_t *
ovsdb_monitor_updates(const struct ovsdb_monitor *mon,
                      const struct ovsdb_monitor_txn *txn)
{
    json_t *updates = NULL;

    for (size_t i = 0; txn && i < txn->n; i++) {
        const struct ovsdb_monitor_change *c = &txn->changes[i];
        const struct monitor_table *mt = monitor_find_table(mon, c->table);
        json_t *upd;

        if (!mt) {
            continue;
        }
        upd = mon->version == OVSDB_MONITOR_V1 ? monitor_change_v1(mt, c)
                                               : monitor_change_v2(mt, c);
        if (upd) {
            if (!updates) {
                updates = json_object();
            }
            updates_add(updates, c->table, &c->uuid, upd);
        }
    }
    return updates;
}

/* ---- monitor_cond_change. ---- */

struct cond_change_aux {
    const struct monitor_table *mt;
    const struct monitor_cond *new_cond;
    json_t *updates;
};

static void
monitor_cond_change_row(const struct ovsdb_row *row, void *aux_)
{
    struct cond_change_aux *aux = aux_;
    const struct monitor_table *mt = aux->mt;
    bool was = monitor_cond_match(&mt->cond, row);
    bool is = monitor_cond_match(aux->new_cond, row);

    if (!was && is && mt->select & MON_INSERT) {
        updates_add(aux->updates, mt->table, &row->uuid,
                    json_pack("{s:o}", "insert",
                              monitor_row_json(mt, row, true, NULL)));
    } else if (was && !is && mt->select & MON_DELETE) {
        updates_add(aux->updates, mt->table, &row->uuid,
                    json_pack("{s:n}", "delete"));
    }
}

/* Parses the new conditions of 'requests' into 'conds' (one per monitored
 * table, in the monitor's order; tables not named keep 'present' false). */
static struct ovsdb_error *
monitor_parse_new_conds(const struct ovsdb_monitor *mon,
                        const json_t *requests, struct monitor_cond *conds,
                        bool *present)
{
    const char *name;
    json_t *reqs;

    if (!json_is_object(requests)) {
        return ovsdb_syntax_error(requests, "monitor_cond_change requests "
                                            "must be an object");
    }
    json_object_foreach((json_t *)requests, name, reqs)
    {
        size_t t;

        for (t = 0; t < mon->n_tables; t++) {
            if (!strcmp(mon->tables[t].table->name, name)) {
                break;
            }
        }
        if (t >= mon->n_tables) {
            return ovsdb_error("syntax error", "table %s is not monitored",
                               name);
        }
        if (!json_is_array(reqs)) {
            return ovsdb_syntax_error(reqs,
                                      "table %s: requests must be an "
                                      "array",
                                      name);
        }
        present[t] = true;
        for (size_t i = 0; i < json_array_size(reqs); i++) {
            const json_t *req = json_array_get(reqs, i);
            struct ovsdb_error *error;

            if (!json_is_object(req)) {
                return ovsdb_syntax_error(req, "a request must be an object");
            }
            error = monitor_cond_add(mon->tables[t].table,
                                     json_object_get(req, "where"), &conds[t]);
            if (error) {
                return error;
            }
        }
        if (!json_array_size(reqs)) {
            conds[t].any_true = true;
        }
    }
    return NULL;
}

struct ovsdb_error *
ovsdb_monitor_change_conditions(struct ovsdb_monitor *mon,
                                const struct ovsdb *db, const json_t *requests,
                                json_t **updatesp)
{
    struct monitor_cond *conds;
    struct ovsdb_error *error;
    json_t *updates;
    bool *present;

    *updatesp = NULL;
    if (mon->version == OVSDB_MONITOR_V1) {
        return ovsdb_error("syntax error", "a monitor made by \"monitor\" "
                                           "has no conditions to change");
    }
    conds = xcalloc(mon->n_tables + 1, sizeof *conds);
    present = xcalloc(mon->n_tables + 1, sizeof *present);
    error = monitor_parse_new_conds(mon, requests, conds, present);
    if (error) {
        for (size_t t = 0; t < mon->n_tables; t++) {
            monitor_cond_destroy(&conds[t]);
        }
        free(conds);
        free(present);
        return error;
    }
    updates = json_object();
    for (size_t t = 0; t < mon->n_tables; t++) {
        struct monitor_table *mt = &mon->tables[t];
        struct cond_change_aux aux = {mt, &conds[t], updates};

        if (!present[t]) {
            continue;
        }
        ovsdb_table_for_each(db, mt->table, monitor_cond_change_row, &aux);
        monitor_cond_destroy(&mt->cond);
        mt->cond = conds[t];
    }
    free(conds);
    free(present);
    if (!json_object_size(updates)) {
        json_decref(updates);
        updates = NULL;
    }
    *updatesp = updates;
    return NULL;
}
