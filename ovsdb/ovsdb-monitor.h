/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ovsdb-monitor: what tern-dbserver tells clients that watch a database —
 * the "monitor" method of RFC 7047 (section 4.1.5, "update" notifications)
 * and Open vSwitch's extensions "monitor_cond" ("update2"),
 * "monitor_cond_since" ("update3") and "monitor_cond_change".
 *
 * A monitor is built from a <monitor-requests> (or <monitor-cond-requests>)
 * object: per table, the columns to report (all but "_uuid" when none are
 * named), which kinds of change to report ("select": initial, insert,
 * delete, modify) and, for the conditional versions, a "where" array whose
 * clauses are alternatives (a row matches when any clause does; a boolean
 * clause matches every row or none; an empty or missing array matches
 * every row).  Several requests for one table are merged: the union of
 * their columns and of their "select" flags.
 *
 * Changes reach monitors as a 'struct ovsdb_monitor_txn': a snapshot of
 * one committed transaction (deep copies of the old and new rows), made
 * from the engine's 'struct ovsdb_changes' right after the commit.  A
 * bounded 'struct ovsdb_monitor_history' keeps the most recent snapshots so
 * that a client reconnecting with monitor_cond_since can receive only what
 * it missed.
 *
 * Update formats:
 *   V1 (update):  {"old": changed columns, "new": all monitored columns};
 *                 "new" only for initial rows and inserts, "old" only (all
 *                 columns) for deletes.
 *   V2/V3 (update2/update3): {"initial"|"insert": row without default
 *                 values} | {"delete": null} | {"modify": diff}, where a
 *                 diff has only changed columns: the new value for
 *                 columns of at most one element, else the elements (map
 *                 pairs) present in only one of old and new, plus map pairs
 *                 whose value changed (with the new value).  A row that
 *                 starts (stops) matching the conditions is reported as an
 *                 insert (delete).
 *
 * Ownership: every function returning json_t gives the caller a new
 * reference (NULL when there is nothing to report).  Threads: main thread
 * only, like the engine.
 */
#ifndef TERN_OVSDB_MONITOR_H
#define TERN_OVSDB_MONITOR_H 1

#include <jansson.h>

#include "lib/uuid.h"
#include "ovsdb/ovsdb.h"

/* ---- Snapshots of committed transactions. ---- */

struct ovsdb_monitor_change {
    const struct ovsdb_table_schema *table;
    struct uuid uuid;
    struct ovsdb_row *old;  /* NULL for an insert. */
    struct ovsdb_row *new_; /* NULL for a delete. */
};

struct ovsdb_monitor_txn {
    struct uuid txn_id;
    size_t n;
    struct ovsdb_monitor_change *changes;
    bool borrowed; /* Rows belong to someone else (merged history). */
};

/* Copies 'changes' (which the caller still owns).  The caller owns the
 * result and frees it with ovsdb_monitor_txn_destroy(). */
struct ovsdb_monitor_txn *
ovsdb_monitor_txn_from_changes(const struct ovsdb_changes *);
void ovsdb_monitor_txn_destroy(struct ovsdb_monitor_txn *);

/* Deep copy of 'row' (caller frees with ovsdb_monitor_row_destroy()). */
struct ovsdb_row *ovsdb_monitor_row_clone(const struct ovsdb_row *);
void ovsdb_monitor_row_destroy(struct ovsdb_row *);

/* ---- History for monitor_cond_since. ---- */

/* Transactions the history keeps by default, and the most rows it keeps
 * in total (older transactions are dropped first). */
#define OVSDB_MONITOR_HISTORY_TXNS 100
#define OVSDB_MONITOR_HISTORY_ROWS 10000

struct ovsdb_monitor_history;
struct ovsdb_monitor_history *ovsdb_monitor_history_create(size_t max_txns,
                                                           size_t max_rows);
void ovsdb_monitor_history_destroy(struct ovsdb_monitor_history *);
/* Appends 'txn' (the history takes ownership). */
void ovsdb_monitor_history_add(struct ovsdb_monitor_history *,
                               struct ovsdb_monitor_txn *txn);
size_t ovsdb_monitor_history_n_txns(const struct ovsdb_monitor_history *);
/* Finds 'txn_id' in the history.  If it is there, returns true and stores
 * in '*mergedp' the net effect of every later transaction (NULL if there
 * are none): its rows are borrowed from the history, so use it before the
 * next ovsdb_monitor_history_add() and free it with
 * ovsdb_monitor_txn_destroy().  Returns false if 'txn_id' is unknown. */
bool ovsdb_monitor_history_since(const struct ovsdb_monitor_history *,
                                 const struct uuid *txn_id,
                                 struct ovsdb_monitor_txn **mergedp);

/* ---- Monitors. ---- */

enum ovsdb_monitor_version {
    OVSDB_MONITOR_V1, /* "monitor": "update" notifications. */
    OVSDB_MONITOR_V2, /* "monitor_cond": "update2". */
    OVSDB_MONITOR_V3, /* "monitor_cond_since": "update3". */
};

struct ovsdb_monitor;

/* Parses 'requests' (params[2] of the request) against the schema of
 * 'db'.  Returns NULL and the new monitor in '*monp' (caller frees with
 * ovsdb_monitor_destroy()), or an error. */
struct ovsdb_error *ovsdb_monitor_create(const struct ovsdb *db,
                                         enum ovsdb_monitor_version,
                                         const json_t *requests,
                                         struct ovsdb_monitor **monp);
void ovsdb_monitor_destroy(struct ovsdb_monitor *);
enum ovsdb_monitor_version
ovsdb_monitor_get_version(const struct ovsdb_monitor *);

/* The current contents of the monitored tables for the tables whose
 * requests select "initial" rows: a <table-updates> (V1) or
 * <table-updates2> object, possibly empty ({}). */
json_t *ovsdb_monitor_initial(const struct ovsdb_monitor *,
                              const struct ovsdb *db);
/* What 'txn' means for this monitor, or NULL if nothing it reports
 * changed. */
json_t *ovsdb_monitor_updates(const struct ovsdb_monitor *,
                              const struct ovsdb_monitor_txn *txn);
/* monitor_cond_change: replaces the "where" of the tables named in
 * 'requests' (<monitor-cond-update-requests>).  Returns NULL and, in
 * '*updatesp', rows that start matching (as inserts) or stop matching (as
 * deletes) — NULL when there are none — or an error (nothing changed).
 * V1 monitors have no conditions: an error. */
struct ovsdb_error *ovsdb_monitor_change_conditions(struct ovsdb_monitor *,
                                                    const struct ovsdb *db,
                                                    const json_t *requests,
                                                    json_t **updatesp);

#endif /* TERN_OVSDB_MONITOR_H */
