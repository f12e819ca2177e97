/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ovsdb-private: what the files of the database engine share and nobody
 * else sees — a UUID-keyed hash map, reference-counted row allocation, the
 * table store of 'struct ovsdb', the copy-on-write transaction view that the
 * operations (ovsdb-ops.c) work on, and the parsed forms of conditions and
 * mutations.  The public API is ovsdb.h.
 *
 * Transaction view.  A 'struct ovsdb_txn' records every row it touches as a
 * 'struct ovsdb_txn_row': 'old' is the committed row (a reference, or NULL
 * for an insert) and 'new_' the transaction's private copy (NULL for a
 * delete).  Reads look in the transaction first, then in the committed
 * tables; committed rows are never written by a transaction, so dropping it
 * leaves the database as it was.
 *
 * Threads: single-threaded, like the rest of the engine.
 */
#ifndef TERN_OVSDB_PRIVATE_H
#define TERN_OVSDB_PRIVATE_H 1

#include "ovsdb/ovsdb.h"

/* A map from UUID to an opaque pointer ('data' is never owned). */
struct ovsdb_umap_node {
    struct ovsdb_umap_node *next;
    struct uuid uuid;
    void *data;
};

struct ovsdb_umap {
    struct ovsdb_umap_node **buckets;
    size_t mask; /* Number of buckets - 1 (a power of 2 minus 1). */
    size_t n;
};

void ovsdb_umap_init(struct ovsdb_umap *);
void ovsdb_umap_destroy(struct ovsdb_umap *);
void *ovsdb_umap_get(const struct ovsdb_umap *, const struct uuid *);
/* Sets the pointer for 'uuid', replacing any previous one. */
void ovsdb_umap_put(struct ovsdb_umap *, const struct uuid *, void *data);
/* Removes 'uuid' and returns its pointer (NULL if absent). */
void *ovsdb_umap_remove(struct ovsdb_umap *, const struct uuid *);
/* The map's pointers as a new array of map->n elements (caller frees), so
 * that callers may change the map while they walk the copy. */
void **ovsdb_umap_values(const struct ovsdb_umap *);

/* Rows.  Rows are reference counted so that a committed transaction's
 * changes can keep old and new rows alive after the database moved on. */
struct ovsdb_row *ovsdb_row_create(const struct ovsdb_table_schema *,
                                   const struct uuid *);
struct ovsdb_row *ovsdb_row_clone(const struct ovsdb_row *);
struct ovsdb_row *ovsdb_row_ref(const struct ovsdb_row *);
void ovsdb_row_unref(struct ovsdb_row *);
void ovsdb_row_set_version(struct ovsdb_row *, const struct uuid *);
/* True if 'a' and 'b' agree on every column except _version. */
bool ovsdb_row_equal_content(const struct ovsdb_row *,
                             const struct ovsdb_row *);

/* The committed store. */
struct ovsdb_table {
    const struct ovsdb_table_schema *schema;
    struct ovsdb_umap rows; /* uuid -> struct ovsdb_row * (one ref each). */
};

struct ovsdb {
    struct ovsdb_schema *schema;
    struct ovsdb_table *tables; /* Parallel to schema->tables. */
    struct uuid last_txn_id;
};

size_t ovsdb_table_index(const struct ovsdb *,
                         const struct ovsdb_table_schema *);
/* Does column 'c' hold references of type 'ref' to some table? */
bool ovsdb_column_has_refs(const struct ovsdb_column_schema *,
                           enum ovsdb_ref_type);

/* Transactions. */
struct ovsdb_txn_row {
    size_t table_idx;
    struct ovsdb_row *old;  /* Committed row (referenced), NULL if new. */
    struct ovsdb_row *new_; /* Private copy, NULL if deleted. */
    bool weak_checked;      /* Commit: weak references already pruned. */
};

struct ovsdb_txn {
    struct ovsdb *db;
    struct ovsdb_umap *rows; /* Per table: uuid -> struct ovsdb_txn_row. */
    size_t *n_inserted;      /* Per table. */
    size_t *n_deleted;       /* Per table. */
    struct ovsdb_symbol_table *symtab;
    char **names; /* uuid-names defined by "insert" so far. */
    size_t n_names;
    struct ds comment;
};

void ovsdb_txn_init(struct ovsdb_txn *, struct ovsdb *);
void ovsdb_txn_destroy(struct ovsdb_txn *);
/* The row 'uuid' of table 'idx' as the transaction sees it, or NULL. */
const struct ovsdb_row *ovsdb_txn_get(const struct ovsdb_txn *, size_t idx,
                                      const struct uuid *);
/* Every row of table 'idx' as the transaction sees it, as a new array
 * (caller frees the array, not the rows) of *n elements.  The rows stay
 * valid until the transaction is destroyed. */
const struct ovsdb_row **ovsdb_txn_rows(const struct ovsdb_txn *, size_t idx,
                                        size_t *n);
/* Adds a new row with default values; the transaction owns it. */
struct ovsdb_row *ovsdb_txn_insert(struct ovsdb_txn *, size_t idx,
                                   const struct uuid *);
/* Returns a writable version of 'row' (which the transaction sees). */
struct ovsdb_row *ovsdb_txn_modify(struct ovsdb_txn *, size_t idx,
                                   const struct ovsdb_row *row);
void ovsdb_txn_delete(struct ovsdb_txn *, size_t idx,
                      const struct ovsdb_row *row);
/* Runs the commit checks (garbage collection, referential integrity, weak
 * references, maxRows, indexes) when 'check' is true, then installs the
 * changes into the database.  On success returns NULL and stores the
 * changes (or NULL if nothing changed) in *changesp; on error the database
 * is untouched. */
struct ovsdb_error *ovsdb_txn_commit(struct ovsdb_txn *, bool check,
                                     struct ovsdb_changes **changesp);

/* Conditions inside a transaction ('symtab' resolves named UUIDs; may be
 * NULL). */
struct ovsdb_error *ovsdb_condition_parse(const struct ovsdb_table_schema *,
                                          const json_t *json,
                                          struct ovsdb_symbol_table *symtab,
                                          struct ovsdb_condition **condp);
/* If the condition is a conjunction containing "_uuid == U", stores U in
 * *uuid and returns true (a shortcut for lookups). */
bool ovsdb_condition_get_uuid(const struct ovsdb_condition *,
                              struct uuid *uuid);

/* Mutations: [[column, mutator, value], ...] (RFC 7047 5.1). */
struct ovsdb_mutation_set;
struct ovsdb_error *ovsdb_mutation_set_parse(const struct ovsdb_table_schema *,
                                             const json_t *json,
                                             struct ovsdb_symbol_table *symtab,
                                             struct ovsdb_mutation_set **setp);
/* Applies the mutations to 'row' in place.  On error 'row' may be partly
 * mutated (the caller drops the transaction). */
struct ovsdb_error *ovsdb_mutation_set_apply(const struct ovsdb_mutation_set *,
                                             struct ovsdb_row *row);
void ovsdb_mutation_set_destroy(struct ovsdb_mutation_set *);

/* A copy of 'type' without constraints (enum, ranges, lengths), with
 * counts n_min..n_max.  Caller destroys. */
void ovsdb_type_relaxed(struct ovsdb_type *dst, const struct ovsdb_type *src,
                        unsigned int n_min, unsigned int n_max);

/* Identifiers of RFC 7047: [a-zA-Z_][a-zA-Z0-9_]*. */
bool ovsdb_is_identifier(const char *);

/* Operations (ovsdb-ops.c). */
struct ovsdb_ops_env {
    const struct ovsdb_execute_ctx *ctx; /* Never NULL. */
    long long start_msec;                /* When the request arrived. */
    long long now;                       /* time_msec() at execution. */
    bool waiting;         /* Set by a "wait" not satisfied yet... */
    long long retry_msec; /* ...to retry within this many ms (-1: only
                           * after the next commit). */
};
/* Runs one operation object 'op'.  Returns its result object, or NULL with
 * *errorp set, or NULL with env->waiting set. */
json_t *ovsdb_ops_execute(struct ovsdb_txn *, const json_t *op,
                          struct ovsdb_ops_env *env,
                          struct ovsdb_error **errorp);

#endif /* TERN_OVSDB_PRIVATE_H */
