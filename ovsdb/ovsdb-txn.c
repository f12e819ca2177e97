/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ovsdb-txn: transactions over the in-memory database — the copy-on-write
 * view the operations work on, the commit (garbage collection of
 * unreferenced non-root rows, referential integrity, pruning of weak
 * references, maxRows, index uniqueness), installing the changes, and
 * ovsdb_execute(), which runs a "transact" request operation by operation
 * (ovsdb-ops.c) and builds the RFC 7047 reply array.
 *
 * Reference counting.  Every committed row's n_refs counts the strong
 * references to it from committed rows.  A commit computes, per referenced
 * row, the difference its changes make ("deltas"); a row's count after the
 * commit is its committed count plus its delta.
 */
#include <config.h>

#include <limits.h>
#include <stdlib.h>

#include "ovsdb/ovsdb-private.h"

/* ---- The view. ---- */

void
ovsdb_txn_init(struct ovsdb_txn *txn, struct ovsdb *db)
{
    size_t n = db->schema->n_tables;

    memset(txn, 0, sizeof *txn);
    txn->db = db;
    txn->rows = xcalloc(n + 1, sizeof *txn->rows);
    for (size_t i = 0; i < n; i++) {
        ovsdb_umap_init(&txn->rows[i]);
    }
    txn->n_inserted = xcalloc(n + 1, sizeof *txn->n_inserted);
    txn->n_deleted = xcalloc(n + 1, sizeof *txn->n_deleted);
    txn->symtab = ovsdb_symbol_table_create();
    ds_init(&txn->comment);
}

void
ovsdb_txn_destroy(struct ovsdb_txn *txn)
{
    for (size_t i = 0; i < txn->db->schema->n_tables; i++) {
        void **values = ovsdb_umap_values(&txn->rows[i]);

        for (size_t j = 0; j < txn->rows[i].n; j++) {
            struct ovsdb_txn_row *tr = values[j];

            ovsdb_row_unref(tr->old);
            ovsdb_row_unref(tr->new_);
            free(tr);
        }
        free(values);
        ovsdb_umap_destroy(&txn->rows[i]);
    }
    free(txn->rows);
    free(txn->n_inserted);
    free(txn->n_deleted);
    ovsdb_symbol_table_destroy(txn->symtab);
    for (size_t i = 0; i < txn->n_names; i++) {
        free(txn->names[i]);
    }
    free(txn->names);
    ds_destroy(&txn->comment);
}

const struct ovsdb_row *
ovsdb_txn_get(const struct ovsdb_txn *txn, size_t idx, const struct uuid *uuid)
{
    const struct ovsdb_txn_row *tr = ovsdb_umap_get(&txn->rows[idx], uuid);

    if (tr) {
        return tr->new_;
    }
    return ovsdb_umap_get(&txn->db->tables[idx].rows, uuid);
}

const struct ovsdb_row **
ovsdb_txn_rows(const struct ovsdb_txn *txn, size_t idx, size_t *np)
{
    const struct ovsdb_umap *committed = &txn->db->tables[idx].rows;
    const struct ovsdb_umap *touched = &txn->rows[idx];
    const struct ovsdb_row **rows;
    size_t n = 0;

    rows = xmalloc((committed->n + touched->n + 1) * sizeof *rows);
    for (size_t i = 0; i <= committed->mask; i++) {
        for (struct ovsdb_umap_node *node = committed->buckets[i]; node;
             node = node->next) {
            if (!ovsdb_umap_get(touched, &node->uuid)) {
                rows[n++] = node->data;
            }
        }
    }
    for (size_t i = 0; i <= touched->mask; i++) {
        for (struct ovsdb_umap_node *node = touched->buckets[i]; node;
             node = node->next) {
            const struct ovsdb_txn_row *tr = node->data;

            if (tr->new_) {
                rows[n++] = tr->new_;
            }
        }
    }
    *np = n;
    return rows;
}

struct ovsdb_row *
ovsdb_txn_insert(struct ovsdb_txn *txn, size_t idx, const struct uuid *uuid)
{
    const struct ovsdb_table_schema *t = txn->db->schema->tables[idx];
    struct ovsdb_row *row = ovsdb_row_create(t, uuid);
    struct ovsdb_txn_row *tr = ovsdb_umap_get(&txn->rows[idx], uuid);

    if (tr) {
        /* Re-inserting a row deleted earlier in this transaction. */
        ovsdb_row_unref(tr->new_);
        tr->new_ = row;
        txn->n_deleted[idx]--;
        return row;
    }
    tr = xzalloc(sizeof *tr);
    tr->table_idx = idx;
    tr->new_ = row;
    ovsdb_umap_put(&txn->rows[idx], uuid, tr);
    txn->n_inserted[idx]++;
    return row;
}

struct ovsdb_row *
ovsdb_txn_modify(struct ovsdb_txn *txn, size_t idx,
                 const struct ovsdb_row *row)
{
    struct ovsdb_txn_row *tr = ovsdb_umap_get(&txn->rows[idx], &row->uuid);

    if (tr) {
        return tr->new_;
    }
    tr = xzalloc(sizeof *tr);
    tr->table_idx = idx;
    tr->old = ovsdb_row_ref(row);
    tr->new_ = ovsdb_row_clone(row);
    ovsdb_umap_put(&txn->rows[idx], &row->uuid, tr);
    return tr->new_;
}

void
ovsdb_txn_delete(struct ovsdb_txn *txn, size_t idx,
                 const struct ovsdb_row *row)
{
    struct uuid uuid = row->uuid;
    struct ovsdb_txn_row *tr = ovsdb_umap_get(&txn->rows[idx], &uuid);

    if (!tr) {
        tr = xzalloc(sizeof *tr);
        tr->table_idx = idx;
        tr->old = ovsdb_row_ref(row);
        ovsdb_umap_put(&txn->rows[idx], &uuid, tr);
    } else if (!tr->old) {
        ovsdb_row_unref(tr->new_);
        ovsdb_umap_remove(&txn->rows[idx], &uuid);
        free(tr);
        txn->n_inserted[idx]--;
        return;
    } else {
        ovsdb_row_unref(tr->new_);
        tr->new_ = NULL;
    }
    txn->n_deleted[idx]++;
}

/* ---- Reference deltas. ---- */

struct commit {
    struct ovsdb_txn *txn;
    struct ovsdb_umap *deltas; /* Per table: uuid -> long *. */
    /* Rows of non-root tables whose count may have dropped to zero. */
    struct gc_item {
        size_t idx;
        struct uuid uuid;
    } * work;
    size_t n_work, allocated_work;
};

static void
gc_push(struct commit *c, size_t idx, const struct uuid *uuid)
{
    if (c->txn->db->schema->tables[idx]->is_root) {
        return;
    }
    if (c->n_work >= c->allocated_work) {
        c->allocated_work = c->allocated_work * 2 + 16;
        c->work = xrealloc(c->work, c->allocated_work * sizeof *c->work);
    }
    c->work[c->n_work].idx = idx;
    c->work[c->n_work].uuid = *uuid;
    c->n_work++;
}

static void
delta_add(struct commit *c, size_t idx, const struct uuid *uuid, long n)
{
    long *delta = ovsdb_umap_get(&c->deltas[idx], uuid);

    if (!delta) {
        delta = xzalloc(sizeof *delta);
        ovsdb_umap_put(&c->deltas[idx], uuid, delta);
    }
    *delta += n;
    if (n < 0) {
        gc_push(c, idx, uuid);
    }
}

static void
atoms_add_refs(struct commit *c, const struct ovsdb_base_type *base,
               const union ovsdb_atom *atoms, size_t n, long sign)
{
    size_t idx;

    if (!atoms || !base->ref_table || base->ref_type != OVSDB_REF_STRONG) {
        return;
    }
    idx = ovsdb_table_index(c->txn->db, base->ref_table);
    for (size_t i = 0; i < n; i++) {
        delta_add(c, idx, &atoms[i].uuid, sign);
    }
}

/* Counts the strong references of 'row' 'sign' times (+1 or -1). */
static void
row_add_refs(struct commit *c, const struct ovsdb_row *row, long sign)
{
    const struct ovsdb_table_schema *t = row->table;

    for (size_t i = OVSDB_N_IMPLICIT_COLUMNS; i < t->n_columns; i++) {
        const struct ovsdb_column_schema *col = t->columns[i];
        const struct ovsdb_datum *d = &row->fields[i];

        atoms_add_refs(c, &col->type.key, d->keys, d->n, sign);
        atoms_add_refs(c, &col->type.value, d->values, d->n, sign);
    }
}

/* The strong reference count row 'uuid' of table 'idx' will have. */
static long
final_refs(const struct commit *c, size_t idx, const struct uuid *uuid)
{
    const struct ovsdb_row *committed;
    const long *delta;
    long n;

    committed = ovsdb_umap_get(&c->txn->db->tables[idx].rows, uuid);
    n = committed ? (long)committed->n_refs : 0;
    delta = ovsdb_umap_get(&c->deltas[idx], uuid);
    return n + (delta ? *delta : 0);
}

static void
compute_deltas(struct commit *c)
{
    struct ovsdb *db = c->txn->db;

    for (size_t idx = 0; idx < db->schema->n_tables; idx++) {
        void **values = ovsdb_umap_values(&c->txn->rows[idx]);

        for (size_t j = 0; j < c->txn->rows[idx].n; j++) {
            struct ovsdb_txn_row *tr = values[j];

            if (tr->old) {
                row_add_refs(c, tr->old, -1);
            }
            if (tr->new_) {
                row_add_refs(c, tr->new_, 1);
                gc_push(c, idx, &tr->new_->uuid);
            }
        }
        free(values);
    }
}

/* Deletes rows of non-root tables left without strong references,
 * repeatedly, since each deletion drops the references it held. */
static void
collect_garbage(struct commit *c)
{
    while (c->n_work) {
        struct gc_item item = c->work[--c->n_work];
        const struct ovsdb_row *row;

        row = ovsdb_txn_get(c->txn, item.idx, &item.uuid);
        if (row && final_refs(c, item.idx, &item.uuid) <= 0) {
            row_add_refs(c, row, -1);
            ovsdb_txn_delete(c->txn, item.idx, row);
        }
    }
}

static struct ovsdb_error *
refint_error(const struct ovsdb_schema *s, size_t idx, const struct uuid *uuid,
             long n)
{
    return ovsdb_error("referential integrity violation",
                       "%ld strong reference(s) to nonexistent or deleted "
                       "row " UUID_FMT " of table %s",
                       n, UUID_ARGS(uuid), s->tables[idx]->name);
}

/* Strong references may not point to rows that do not exist (or no longer
 * do): checks the targets of new references and the deleted rows. */
static struct ovsdb_error *
check_refint(struct commit *c)
{
    const struct ovsdb_schema *s = c->txn->db->schema;

    for (size_t idx = 0; idx < s->n_tables; idx++) {
        const struct ovsdb_umap *maps[2] = {&c->deltas[idx],
                                            &c->txn->rows[idx]};

        for (int m = 0; m < 2; m++) {
            for (size_t b = 0; b <= maps[m]->mask; b++) {
                for (struct ovsdb_umap_node *node = maps[m]->buckets[b]; node;
                     node = node->next) {
                    long n = final_refs(c, idx, &node->uuid);

                    if (n > 0 && !ovsdb_txn_get(c->txn, idx, &node->uuid)) {
                        return refint_error(s, idx, &node->uuid, n);
                    }
                }
            }
        }
    }
    return NULL;
}

/* ---- Weak references. ---- */

static bool
weak_atom_ok(const struct ovsdb_txn *txn, const struct ovsdb_base_type *base,
             const union ovsdb_atom *atom)
{
    if (!base->ref_table || base->ref_type != OVSDB_REF_WEAK) {
        return true;
    }
    return ovsdb_txn_get(txn, ovsdb_table_index(txn->db, base->ref_table),
                         &atom->uuid) != NULL;
}

/* Removes from 'd' the elements whose weak references dangle.  Returns
 * true if it removed any. */
static bool
prune_datum(const struct ovsdb_txn *txn, struct ovsdb_datum *d,
            const struct ovsdb_type *type)
{
    bool is_map = ovsdb_type_is_map(type);
    size_t keep = 0;

    for (size_t i = 0; i < d->n; i++) {
        if (weak_atom_ok(txn, &type->key, &d->keys[i]) &&
            (!is_map || weak_atom_ok(txn, &type->value, &d->values[i]))) {
            d->keys[keep] = d->keys[i];
            if (is_map) {
                d->values[keep] = d->values[i];
            }
            keep++;
        } else {
            ovsdb_atom_destroy(&d->keys[i], type->key.type);
            if (is_map) {
                ovsdb_atom_destroy(&d->values[i], type->value.type);
            }
        }
    }
    if (keep == d->n) {
        return false;
    }
    d->n = keep;
    return true;
}

static bool
datum_needs_pruning(const struct ovsdb_txn *txn, const struct ovsdb_datum *d,
                    const struct ovsdb_type *type)
{
    for (size_t i = 0; i < d->n; i++) {
        if (!weak_atom_ok(txn, &type->key, &d->keys[i]) ||
            (d->values && !weak_atom_ok(txn, &type->value, &d->values[i]))) {
            return true;
        }
    }
    return false;
}

static struct ovsdb_error *
prune_row(struct ovsdb_txn *txn, size_t idx, const struct ovsdb_row *row)
{
    const struct ovsdb_table_schema *t = row->table;
    struct ovsdb_row *w = NULL;

    for (size_t i = OVSDB_N_IMPLICIT_COLUMNS; i < t->n_columns; i++) {
        const struct ovsdb_column_schema *col = t->columns[i];

        if (!ovsdb_column_has_refs(col, OVSDB_REF_WEAK) ||
            !datum_needs_pruning(txn, &row->fields[i], &col->type)) {
            continue;
        }
        if (!w) {
            w = ovsdb_txn_modify(txn, idx, row);
        }
        prune_datum(txn, &w->fields[i], &col->type);
        if (w->fields[i].n < col->type.n_min) {
            return ovsdb_error("constraint violation",
                               "removing dangling weak references from "
                               "column %s of %s row " UUID_FMT
                               " leaves it with fewer than %u value(s)",
                               col->name, t->name, UUID_ARGS(&row->uuid),
                               col->type.n_min);
        }
    }
    return NULL;
}

/* Does table 't' weakly reference a table that lost rows? */
static bool
weak_targets_lost_rows(const struct ovsdb_txn *txn,
                       const struct ovsdb_table_schema *t, bool *has_weak)
{
    bool lost = false;

    *has_weak = false;
    for (size_t i = 0; i < t->n_columns; i++) {
        const struct ovsdb_type *type = &t->columns[i]->type;
        const struct ovsdb_base_type *bases[2] = {&type->key, &type->value};

        for (int k = 0; k < 2; k++) {
            if (bases[k]->ref_table && bases[k]->ref_type == OVSDB_REF_WEAK) {
                size_t ref = ovsdb_table_index(txn->db, bases[k]->ref_table);

                *has_weak = true;
                lost |= txn->n_deleted[ref] > 0;
            }
        }
    }
    return lost;
}

static struct ovsdb_error *
prune_weak_refs(struct ovsdb_txn *txn)
{
    for (size_t idx = 0; idx < txn->db->schema->n_tables; idx++) {
        const struct ovsdb_table_schema *t = txn->db->schema->tables[idx];
        struct ovsdb_error *error = NULL;
        const struct ovsdb_row **rows;
        bool has_weak, all;
        size_t n;

        all = weak_targets_lost_rows(txn, t, &has_weak);
        if (!has_weak) {
            continue;
        }
        if (all) {
            rows = ovsdb_txn_rows(txn, idx, &n);
        } else {
            void **values = ovsdb_umap_values(&txn->rows[idx]);

            n = 0;
            rows = (const struct ovsdb_row **)values;
            for (size_t j = 0; j < txn->rows[idx].n; j++) {
                struct ovsdb_txn_row *tr = values[j];

                if (tr->new_) {
                    rows[n++] = tr->new_;
                }
            }
        }
        for (size_t j = 0; j < n && !error; j++) {
            error = prune_row(txn, idx, rows[j]);
        }
        free(rows);
        if (error) {
            return error;
        }
    }
    return NULL;
}

/* ---- maxRows and indexes. ---- */

static struct ovsdb_error *
check_max_rows(const struct ovsdb_txn *txn)
{
    for (size_t idx = 0; idx < txn->db->schema->n_tables; idx++) {
        const struct ovsdb_table_schema *t = txn->db->schema->tables[idx];
        size_t n = txn->db->tables[idx].rows.n + txn->n_inserted[idx] -
                   txn->n_deleted[idx];

        if (txn->n_inserted[idx] && n > t->max_rows) {
            return ovsdb_error("constraint violation",
                               "transaction causes table %s to contain %zu "
                               "rows, more than its maxRows of %u",
                               t->name, n, t->max_rows);
        }
    }
    return NULL;
}

struct index_entry {
    uint32_t hash;
    const struct ovsdb_row *row;
};

static int
compare_index_entries(const void *a_, const void *b_)
{
    const struct index_entry *a = a_, *b = b_;

    return a->hash < b->hash ? -1 : a->hash > b->hash;
}

static bool
index_rows_equal(const struct ovsdb_index_schema *index,
                 const struct ovsdb_row *a, const struct ovsdb_row *b)
{
    for (size_t i = 0; i < index->n; i++) {
        unsigned int col = index->columns[i];

        if (!ovsdb_datum_equals(&a->fields[col], &b->fields[col],
                                &a->table->columns[col]->type)) {
            return false;
        }
    }
    return true;
}

static struct ovsdb_error *
check_index(const struct ovsdb_table_schema *t,
            const struct ovsdb_index_schema *index,
            const struct ovsdb_row **rows, size_t n)
{
    struct index_entry *entries = xcalloc(n + 1, sizeof *entries);
    struct ovsdb_error *error = NULL;

    for (size_t i = 0; i < n; i++) {
        uint32_t hash = 0;

        for (size_t k = 0; k < index->n; k++) {
            unsigned int col = index->columns[k];

            hash = ovsdb_datum_hash(&rows[i]->fields[col],
                                    &t->columns[col]->type, hash);
        }
        entries[i].hash = hash;
        entries[i].row = rows[i];
    }
    qsort(entries, n, sizeof *entries, compare_index_entries);
    for (size_t i = 0; i < n && !error; i++) {
        for (size_t j = i + 1; j < n && entries[j].hash == entries[i].hash;
             j++) {
            if (index_rows_equal(index, entries[i].row, entries[j].row)) {
                error = ovsdb_error(
                    "constraint violation",
                    "transaction causes rows " UUID_FMT " and " UUID_FMT
                    " of table %s to have identical values in index column "
                    "%s",
                    UUID_ARGS(&entries[i].row->uuid),
                    UUID_ARGS(&entries[j].row->uuid), t->name,
                    t->columns[index->columns[0]]->name);
                break;
            }
        }
    }
    free(entries);
    return error;
}

static struct ovsdb_error *
check_indexes(const struct ovsdb_txn *txn)
{
    for (size_t idx = 0; idx < txn->db->schema->n_tables; idx++) {
        const struct ovsdb_table_schema *t = txn->db->schema->tables[idx];
        struct ovsdb_error *error = NULL;
        const struct ovsdb_row **rows;
        size_t n;

        if (!t->n_indexes || txn->rows[idx].n == txn->n_deleted[idx]) {
            continue;
        }
        rows = ovsdb_txn_rows(txn, idx, &n);
        for (size_t i = 0; i < t->n_indexes && !error; i++) {
            error = check_index(t, &t->indexes[i], rows, n);
        }
        free(rows);
        if (error) {
            return error;
        }
    }
    return NULL;
}

/* ---- Installing a commit. ---- */

static unsigned long *
changed_columns(const struct ovsdb_row *old, const struct ovsdb_row *new_)
{
    const size_t bits = sizeof(unsigned long) * CHAR_BIT;
    const struct ovsdb_table_schema *t = old->table;
    unsigned long *changed =
        xcalloc(DIV_ROUND_UP(t->n_columns, bits), sizeof *changed);

    for (size_t i = 0; i < t->n_columns; i++) {
        if (!ovsdb_datum_equals(&old->fields[i], &new_->fields[i],
                                &t->columns[i]->type)) {
            changed[i / bits] |= 1UL << (i % bits);
        }
    }
    return changed;
}

static void
changes_append(struct ovsdb_changes *changes, size_t *allocated,
               struct ovsdb_txn_row *tr)
{
    struct ovsdb_row_change *rc;

    if (changes->n >= *allocated) {
        *allocated = *allocated * 2 + 8;
        changes->rows =
            xrealloc(changes->rows, *allocated * sizeof *changes->rows);
    }
    rc = &changes->rows[changes->n++];
    rc->table = (tr->new_ ? tr->new_ : tr->old)->table;
    rc->old = tr->old;
    rc->new_ = tr->new_ ? ovsdb_row_ref(tr->new_) : NULL;
    rc->changed =
        tr->old && tr->new_ ? changed_columns(tr->old, tr->new_) : NULL;
    tr->old = NULL; /* The change set took the reference. */
}

/* Installs 'tr' into the committed table; appends it to 'changes' unless it
 * changes nothing. */
static void
install_row(struct commit *c, struct ovsdb_txn_row *tr,
            struct ovsdb_changes *changes, size_t *allocated)
{
    struct ovsdb_table *table = &c->txn->db->tables[tr->table_idx];
    struct ovsdb_row *new_ = tr->new_;

    if (new_) {
        new_->n_refs = (size_t)final_refs(c, tr->table_idx, &new_->uuid);
    }
    if (tr->old && new_ && ovsdb_row_equal_content(tr->old, new_)) {
        tr->old->n_refs = new_->n_refs;
        return;
    }
    if (new_) {
        if (uuid_is_zero(&new_->version) ||
            (tr->old && uuid_equals(&new_->version, &tr->old->version))) {
            struct uuid version;

            uuid_generate(&version);
            ovsdb_row_set_version(new_, &version);
        }
        ovsdb_umap_put(&table->rows, &new_->uuid, ovsdb_row_ref(new_));
    } else {
        ovsdb_umap_remove(&table->rows, &tr->old->uuid);
    }
    if (tr->old) {
        ovsdb_row_unref(tr->old); /* The table's reference. */
    }
    changes_append(changes, allocated, tr);
}

/* Applies the deltas of rows the transaction did not touch. */
static void
update_untouched_refs(struct commit *c)
{
    struct ovsdb *db = c->txn->db;

    for (size_t idx = 0; idx < db->schema->n_tables; idx++) {
        const struct ovsdb_umap *deltas = &c->deltas[idx];

        for (size_t b = 0; b <= deltas->mask; b++) {
            for (struct ovsdb_umap_node *node = deltas->buckets[b]; node;
                 node = node->next) {
                struct ovsdb_row *row;

                if (ovsdb_umap_get(&c->txn->rows[idx], &node->uuid)) {
                    continue;
                }
                row = ovsdb_umap_get(&db->tables[idx].rows, &node->uuid);
                if (row) {
                    row->n_refs += *(long *)node->data;
                }
            }
        }
    }
}

static struct ovsdb_changes *
install(struct commit *c)
{
    struct ovsdb_changes *changes = xzalloc(sizeof *changes);
    struct ovsdb *db = c->txn->db;
    size_t allocated = 0;

    update_untouched_refs(c);
    for (size_t idx = 0; idx < db->schema->n_tables; idx++) {
        void **values = ovsdb_umap_values(&c->txn->rows[idx]);

        for (size_t j = 0; j < c->txn->rows[idx].n; j++) {
            install_row(c, values[j], changes, &allocated);
        }
        free(values);
    }
    if (!changes->n) {
        ovsdb_changes_destroy(changes);
        return NULL;
    }
    uuid_generate(&changes->txn_id);
    db->last_txn_id = changes->txn_id;
    if (c->txn->comment.length) {
        changes->comment = xstrdup(ds_cstr(&c->txn->comment));
    }
    return changes;
}

static void
commit_destroy(struct commit *c)
{
    for (size_t idx = 0; idx < c->txn->db->schema->n_tables; idx++) {
        void **values = ovsdb_umap_values(&c->deltas[idx]);

        for (size_t j = 0; j < c->deltas[idx].n; j++) {
            free(values[j]);
        }
        free(values);
        ovsdb_umap_destroy(&c->deltas[idx]);
    }
    free(c->deltas);
    free(c->work);
}

struct ovsdb_error *
ovsdb_txn_commit(struct ovsdb_txn *txn, bool check,
                 struct ovsdb_changes **changesp)
{
    struct ovsdb_error *error = NULL;
    struct commit c = {.txn = txn};
    size_t n_tables = txn->db->schema->n_tables;

    *changesp = NULL;
    c.deltas = xcalloc(n_tables + 1, sizeof *c.deltas);
    for (size_t i = 0; i < n_tables; i++) {
        ovsdb_umap_init(&c.deltas[i]);
    }
    compute_deltas(&c);
    if (check) {
        collect_garbage(&c);
        error = check_refint(&c);
        if (!error) {
            error = prune_weak_refs(txn);
        }
        if (!error) {
            error = check_max_rows(txn);
        }
        if (!error) {
            error = check_indexes(txn);
        }
    }
    if (!error) {
        *changesp = install(&c);
    }
    commit_destroy(&c);
    return error;
}

/* ---- ovsdb_execute(). ---- */

static const struct ovsdb_execute_ctx default_ctx;

/* Runs the operations of 'params' in 'txn'.  Returns the results array, or
 * NULL if a "wait" must be retried. */
static json_t *
run_ops(struct ovsdb_txn *txn, const json_t *params, struct ovsdb_ops_env *env,
        bool *failed)
{
    json_t *results = json_array();

    *failed = false;
    for (size_t i = 1; i < json_array_size(params); i++) {
        struct ovsdb_error *error = NULL;
        json_t *result;

        result =
            ovsdb_ops_execute(txn, json_array_get(params, i), env, &error);
        if (env->waiting) {
            json_decref(results);
            return NULL;
        }
        if (error) {
            json_array_append_new(results, ovsdb_error_to_json(error));
            ovsdb_error_destroy(error);
            *failed = true;
            break;
        }
        json_array_append_new(results, result);
    }
    return results;
}

enum ovsdb_execute_status
ovsdb_execute(struct ovsdb *db, const json_t *params,
              const struct ovsdb_execute_ctx *ctx, long long start_msec,
              json_t **resultp, struct ovsdb_changes **changesp,
              long long *retry_msec)
{
    struct ovsdb_ops_env env = {
        .ctx = ctx ? ctx : &default_ctx,
        .start_msec = start_msec,
        .now = time_msec(),
    };
    struct ovsdb_txn txn;
    size_t n_ops;
    json_t *results;
    bool failed;

    *resultp = NULL;
    *changesp = NULL;
    if (!json_is_array(params) || !json_array_size(params)) {
        struct ovsdb_error *error = ovsdb_syntax_error(
            params, "transact parameters must be an array [db-name, op...]");

        *resultp = json_array();
        json_array_append_new(*resultp, ovsdb_error_to_json(error));
        ovsdb_error_destroy(error);
        return OVSDB_EXEC_DONE;
    }
    n_ops = json_array_size(params) - 1;
    ovsdb_txn_init(&txn, db);
    results = run_ops(&txn, params, &env, &failed);
    if (!results) {
        ovsdb_txn_destroy(&txn);
        if (retry_msec) {
            *retry_msec = env.retry_msec;
        }
        return OVSDB_EXEC_WAIT;
    }
    if (!failed) {
        struct ovsdb_error *error = ovsdb_txn_commit(&txn, true, changesp);

        if (error) {
            json_array_append_new(results, ovsdb_error_to_json(error));
            ovsdb_error_destroy(error);
        }
    }
    while (json_array_size(results) < n_ops) {
        json_array_append_new(results, json_null());
    }
    ovsdb_txn_destroy(&txn);
    *resultp = results;
    return OVSDB_EXEC_DONE;
}
