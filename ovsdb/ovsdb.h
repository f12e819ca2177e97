/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ovsdb: the database engine — schemas (RFC 7047 section 3.2), an
 * in-memory database of tables and rows, and transactions (section 5.2).
 *
 * Schema.  ovsdb_schema_from_json() parses a <database-schema>; every table
 * gets the implicit columns "_uuid" (index 0) and "_version" (index 1)
 * before its declared columns.  References ("refTable") are resolved to
 * the table schemas.
 *
 * Transactions.  ovsdb_execute() runs the operations of one "transact"
 * request (insert, select, update, mutate, delete, wait, commit, abort,
 * comment, assert) against a private copy-on-write view of the database.
 * If every operation succeeds, the commit checks constraints (column counts
 * and ranges, maxRows, index uniqueness, referential integrity: strong
 * references may not dangle, weak references to deleted rows are removed),
 * garbage-collects non-root rows no longer strongly referenced, and applies
 * the changes; otherwise nothing changes.  The result is the RFC 7047 reply
 * array: one result per operation, an error object in place of the failed
 * one, and a trailing error object for a failed commit check.
 *
 * Committed changes come back as a 'struct ovsdb_changes' (the rows that
 * were inserted, modified or deleted, with their old and new contents) for
 * the journal and the monitors.
 *
 * Threads: single-threaded (the server's main loop).
 */
#ifndef TERN_OVSDB_H
#define TERN_OVSDB_H 1

#include <jansson.h>

#include "lib/uuid.h"
#include "ovsdb/ovsdb-data.h"

#define OVSDB_COL_UUID           0
#define OVSDB_COL_VERSION        1
#define OVSDB_N_IMPLICIT_COLUMNS 2

struct ovsdb_column_schema {
    char *name;
    unsigned int index; /* In the table's column array. */
    struct ovsdb_type type;
    bool mutable_;  /* "mutable" (default true). */
    bool ephemeral; /* Not persisted to the journal. */
};

struct ovsdb_table_schema {
    char *name;
    struct ovsdb_column_schema **columns; /* _uuid, _version, declared... */
    size_t n_columns;
    bool is_root;
    unsigned int max_rows; /* UINT_MAX if unlimited. */
    /* Each index is a set of column indexes whose values are unique. */
    size_t n_indexes;
    struct ovsdb_index_schema {
        size_t n;
        unsigned int *columns;
    } * indexes;
};

struct ovsdb_schema {
    char *name;
    char *version;
    char *cksum; /* May be NULL. */
    struct ovsdb_table_schema **tables;
    size_t n_tables;
    json_t *json; /* The schema as given (for get_schema). */
};

/* Parses 'json'.  On success *schemap owns everything. */
struct ovsdb_error *ovsdb_schema_from_json(const json_t *json,
                                           struct ovsdb_schema **schemap);
/* Reads and parses a schema file. */
struct ovsdb_error *ovsdb_schema_from_file(const char *path,
                                           struct ovsdb_schema **schemap);
json_t *ovsdb_schema_to_json(const struct ovsdb_schema *);
void ovsdb_schema_destroy(struct ovsdb_schema *);
const struct ovsdb_table_schema *
ovsdb_schema_find_table(const struct ovsdb_schema *, const char *name);
const struct ovsdb_column_schema *
ovsdb_table_schema_find_column(const struct ovsdb_table_schema *,
                               const char *name);

/* Rows and tables.  Readers may look at rows between transactions; rows
 * change only inside ovsdb_execute()/ovsdb_apply_json(). */
struct ovsdb_row {
    const struct ovsdb_table_schema *table;
    struct uuid uuid;
    struct uuid version;
    size_t n_refs;               /* Strong references to this row. */
    struct ovsdb_datum fields[]; /* One per column (incl. implicit). */
};

struct ovsdb;
struct ovsdb *ovsdb_create(struct ovsdb_schema *); /* Takes the schema. */
void ovsdb_destroy(struct ovsdb *);
const struct ovsdb_schema *ovsdb_get_schema(const struct ovsdb *);
const struct ovsdb_row *ovsdb_find_row(const struct ovsdb *,
                                       const struct ovsdb_table_schema *,
                                       const struct uuid *);
size_t ovsdb_table_n_rows(const struct ovsdb *,
                          const struct ovsdb_table_schema *);
/* Calls 'cb' for every row of 'table' (order unspecified). */
void ovsdb_table_for_each(const struct ovsdb *,
                          const struct ovsdb_table_schema *,
                          void (*cb)(const struct ovsdb_row *, void *aux),
                          void *aux);
/* The id of the last committed transaction (zero before any). */
const struct uuid *ovsdb_last_txn_id(const struct ovsdb *);

/* One changed row of a committed transaction: 'old' NULL for an insert,
 * 'new' NULL for a delete.  'changed' has a bit per column index that
 * differs (modifies only). */
struct ovsdb_row_change {
    const struct ovsdb_table_schema *table;
    const struct ovsdb_row *old; /* Valid until ovsdb_changes_destroy(). */
    const struct ovsdb_row *new_;
    unsigned long *changed;
};

struct ovsdb_changes {
    struct uuid txn_id;
    size_t n;
    struct ovsdb_row_change *rows;
    char *comment; /* From "comment" operations, or NULL. */
};
void ovsdb_changes_destroy(struct ovsdb_changes *);
/* The journal record of 'changes': {"Table": {"uuid": {column: value...} or
 * null (deleted)}, ..., "_date": msec, "_comment": ..., "_txn_id": uuid}
 * with only the changed, non-ephemeral columns of modified rows. */
json_t *ovsdb_changes_to_json(const struct ovsdb_changes *,
                              const struct ovsdb *);
/* Applies a journal record to 'db' (replay).  Returns NULL or an error. */
struct ovsdb_error *ovsdb_apply_json(struct ovsdb *, const json_t *record);

/* What the caller (the server session) lends a transaction. */
struct ovsdb_execute_ctx {
    /* Returns true if this client holds lock 'name' (for "assert"). */
    bool (*has_lock)(const char *name, void *aux);
    void *aux;
    bool read_only;
};

enum ovsdb_execute_status {
    OVSDB_EXEC_DONE, /* *resultp is the reply array. */
    OVSDB_EXEC_WAIT  /* A "wait" op is not satisfied yet and its
                      * timeout has not passed: retry after the next
                      * commit, or after 'retry_msec' ms. */
};

/* Runs the "transact" params array 'params' ([db-name, op...]; the caller
 * has checked db-name).  On OVSDB_EXEC_DONE stores the reply array in
 * *resultp and, if something was committed, the changes in *changesp
 * (caller destroys; NULL when nothing changed or on failure).  'start_msec'
 * is when the request first arrived (for "wait" timeouts). */
enum ovsdb_execute_status ovsdb_execute(struct ovsdb *, const json_t *params,
                                        const struct ovsdb_execute_ctx *ctx,
                                        long long start_msec, json_t **resultp,
                                        struct ovsdb_changes **changesp,
                                        long long *retry_msec);

/* Conditions ([column, function, value], RFC 7047 5.1) parsed once for
 * "select"-like uses outside transactions (monitor_cond). */
struct ovsdb_condition;
struct ovsdb_error *
ovsdb_condition_from_json(const struct ovsdb_table_schema *,
                          const json_t *json, struct ovsdb_condition **condp);
bool ovsdb_condition_evaluate(const struct ovsdb_condition *,
                              const struct ovsdb_row *);
void ovsdb_condition_destroy(struct ovsdb_condition *);

/* A row's columns as a JSON object (the columns in 'columns', all if
 * NULL). */
json_t *ovsdb_row_to_json(const struct ovsdb_row *,
                          const unsigned long *columns);

#endif /* TERN_OVSDB_H */
