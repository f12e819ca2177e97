/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ovsdb-journal: the durable database file of tern-dbserver.  The file is
 * the database's schema followed by every committed transaction, each
 * record checksummed and synced to disk before the server answers the
 * client; opening the file replays it into a 'struct ovsdb' (ovsdb.h).
 * When the file has grown enough it is compacted: rewritten as the schema
 * and one snapshot of the whole database.
 *
 * File format (version 1; Documentation/ovsdb.md has the full text):
 *
 *     TERN-OVSDB-JOURNAL 1\n
 *     SCHEMA <length> <crc>\n<schema JSON>\n
 *     TXN <length> <crc>\n<record JSON>\n          (zero or more)
 *     SNAPSHOT <length> <crc>\n<record JSON>\n     (after compaction)
 *
 * <length> is the decimal byte count of the JSON text, <crc> its CRC-32C
 * as 8 lowercase hex digits.  The JSON is compact (no newline inside).  A
 * TXN record is what ovsdb_changes_to_json() produces and
 * ovsdb_apply_json() replays; a SNAPSHOT has the same form, holds every
 * row with its non-default, non-ephemeral columns, and replaces the whole
 * database.  Ephemeral columns are never written.
 *
 * Recovery on open:
 *   - a missing or unknown first line, or a damaged schema record: the
 *     open fails with a message naming the file and the offset;
 *   - a damaged record (incomplete, wrong length, checksum mismatch,
 *     unparseable JSON) with no valid record anywhere after it is a torn
 *     tail left by a crash during a write: it is cut off (a WARN log line)
 *     and the database opens with every record before it.  Such a record
 *     was never acknowledged, since the server answers after the sync;
 *   - a damaged record followed by a valid one is damage to data that was
 *     acknowledged: the open fails with a message giving both offsets, and
 *     `tern-dbtool repair` can cut the file at the damaged record (keeping a
 *     backup) if the operator accepts losing the records after it;
 *   - a record with a good checksum that the engine rejects fails the open.
 *
 * A read-write open takes an exclusive lock (fcntl) on ".NAME.~lock~" next
 * to the file, so two servers or a server and `tern-dbtool compact` never
 * write the same database.  Compaction writes ".NAME.~tmp~", syncs it,
 * renames it over the database and syncs the directory: a crash at any
 * point leaves either the old or the new file, and a leftover temporary
 * file is removed by the next read-write open.
 *
 * Errors are 'struct ovsdb_error's with the tag "I/O error" (system calls)
 * or "syntax error" (file contents); the details name the file.
 *
 * Threads: a journal is used by one thread at a time.
 */
#ifndef TERN_OVSDB_JOURNAL_H
#define TERN_OVSDB_JOURNAL_H 1

#include <jansson.h>
#include <stdint.h>

#include "ovsdb/ovsdb-error.h"

struct ovsdb;
struct ovsdb_changes;
struct ovsdb_journal;

#define OVSDB_JOURNAL_MAGIC   "TERN-OVSDB-JOURNAL"
#define OVSDB_JOURNAL_VERSION 1
/* Records longer than this are treated as damage. */
#define OVSDB_JOURNAL_MAX_RECORD (512u * 1024 * 1024)

enum ovsdb_journal_kind {
    OVSDB_JOURNAL_SCHEMA,
    OVSDB_JOURNAL_TXN,
    OVSDB_JOURNAL_SNAPSHOT
};
const char *ovsdb_journal_kind_to_string(enum ovsdb_journal_kind);

/* One verified record, lent to a ovsdb_journal_scan() callback. */
struct ovsdb_journal_record {
    enum ovsdb_journal_kind kind;
    uint64_t offset; /* Of the record's first line in the file. */
    size_t length;   /* Of the JSON text. */
    const json_t *json;
};

/* What ovsdb_journal_scan() found, filled in also when it fails. */
struct ovsdb_journal_status {
    uint64_t file_size;
    uint64_t good_size;    /* End of the last good record before any damage. */
    size_t n_records;      /* Good records, the schema included. */
    size_t n_txns;         /* TXN records after the last snapshot. */
    uint64_t snapshot_end; /* End of the last snapshot (or schema) record. */
    /* NULL if the file ends cleanly, otherwise why the bytes from
     * 'good_size' on are not a record ("checksum mismatch", ...).
     * Freed by ovsdb_journal_status_destroy(). */
    char *damage;
    /* True if a valid record follows the damage (at 'next_good'). */
    bool damage_mid_file;
    uint64_t next_good;
};
void ovsdb_journal_status_destroy(struct ovsdb_journal_status *);

/* Called for each good record in file order; a non-NULL return stops the
 * scan and becomes its result (the callback hands the error over). */
typedef struct ovsdb_error *
ovsdb_journal_record_cb(const struct ovsdb_journal_record *, void *aux);

/* Reads 'path' without changing it, verifies the header and every record,
 * and calls 'cb' (may be NULL) for each good one.  A torn tail is not an
 * error (see status->damage); a bad header, a damaged schema record or
 * damage followed by good records is.  'status' (may be NULL) is filled in
 * either way; the caller destroys it. */
struct ovsdb_error *ovsdb_journal_scan(const char *path,
                                       ovsdb_journal_record_cb *cb, void *aux,
                                       struct ovsdb_journal_status *status);

/* Creates 'path' holding only 'schema' (which must parse as a database
 * schema; the caller keeps its reference).  Fails if 'path' exists.  The
 * file appears complete or not at all. */
struct ovsdb_error *ovsdb_journal_create(const char *path,
                                         const json_t *schema);

/* Reads 'path' into a new database (*dbp, the caller destroys it with
 * ovsdb_destroy()) without locking or changing the file; a torn tail is
 * ignored. */
struct ovsdb_error *ovsdb_journal_load(const char *path, struct ovsdb **dbp);

/* Opens 'path' for a server: locks it, removes a leftover compaction
 * file, replays it into *dbp (caller destroys), cuts off a torn tail and
 * returns in *journalp the journal to append to (caller closes it with
 * ovsdb_journal_close(), before or after destroying the database). */
struct ovsdb_error *ovsdb_journal_open(const char *path, struct ovsdb **dbp,
                                       struct ovsdb_journal **journalp);
void ovsdb_journal_close(struct ovsdb_journal *);
const char *ovsdb_journal_get_path(const struct ovsdb_journal *);
/* The database schema as stored in the file (borrowed). */
const json_t *ovsdb_journal_get_schema(const struct ovsdb_journal *);

/* Appends 'record' (caller keeps its reference) as a TXN record and syncs
 * it to disk (fdatasync) before returning.  On a write error the partial
 * record is cut off again; if even that or the sync fails, the journal
 * refuses every later append (the server should stop: memory and disk may
 * differ). */
struct ovsdb_error *ovsdb_journal_append(struct ovsdb_journal *,
                                         const json_t *record);

/* Writes the committed 'changes' of 'db' (ovsdb_changes_to_json()) as
 * ovsdb_journal_append() does; a transaction that changed only ephemeral
 * columns writes nothing.  Then compacts the file if it is due (a failed
 * compaction is logged, not returned: the transaction is already safe). */
struct ovsdb_error *ovsdb_journal_commit(struct ovsdb_journal *,
                                         const struct ovsdb *db,
                                         const struct ovsdb_changes *changes);

/* Compaction policy: compact when at least 'min_txns' TXN records were
 * written since the last snapshot, the file is at least 'factor' times as
 * big as right after that snapshot, and either 'min_txns_always' records
 * were written or the file is bigger than 'min_bytes'.  Defaults: 100, 4,
 * 1000, 10 MiB. */
struct ovsdb_journal_policy {
    size_t min_txns;
    unsigned int factor;
    size_t min_txns_always;
    uint64_t min_bytes;
};
void ovsdb_journal_set_policy(struct ovsdb_journal *,
                              const struct ovsdb_journal_policy *);
bool ovsdb_journal_should_compact(const struct ovsdb_journal *);

/* Rewrites the file as the schema and one snapshot of 'db' (which must
 * be the database this journal was opened into, with every change
 * appended).  On failure the old file stays as it was. */
struct ovsdb_error *ovsdb_journal_compact(struct ovsdb_journal *,
                                          const struct ovsdb *db);

/* The SNAPSHOT record of 'db': every row's non-default, non-ephemeral
 * declared columns (new reference). */
json_t *ovsdb_journal_snapshot_json(const struct ovsdb *db);

/* Cuts 'path' at its first damaged record, after copying it whole to
 * 'backup' (which must not exist).  Takes the lock like a server.  Sets
 * *n_lost to the good records found after the damage (now removed).  A
 * file without damage is left alone. */
struct ovsdb_error *ovsdb_journal_repair(const char *path, const char *backup,
                                         size_t *n_lost);

#endif /* TERN_OVSDB_JOURNAL_H */
