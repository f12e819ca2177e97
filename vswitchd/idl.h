/* SPDX-License-Identifier: Apache-2.0 */
/*
 * idl: a small OVSDB client (RFC 7047) that keeps a read-only replica of
 * chosen columns of chosen tables of one database, and sends transactions.
 * tern-vswitchd's bridge layer reads its configuration through it.
 *
 * Connection.  The client runs a jsonrpc_session, which reconnects forever
 * with backoff.  On every new connection it asks for the schema
 * ("get_schema"), then sends a "monitor" request for the requested columns
 * that the schema has (columns the schema lacks are left out, and
 * idl_has_column() says so, so the caller can skip them when writing).
 * When the connection drops, the replica is emptied and idl_has_contents()
 * is false until the next monitor reply has been applied: a caller must
 * not mistake a disconnected, empty replica for an empty database.
 *
 * Rows.  Each table of the replica is a jansson object that maps a row's
 * UUID (text form) to the row, itself an object mapping column names to
 * values in RFC 7047 notation (atoms, ["uuid", U], ["set", [...]],
 * ["map", [[K, V], ...]]).  A column absent from a row has its default
 * value.  The accessors below decode values whatever their notation (an
 * optional value may be an atom or a set of zero or one atom).  Returned
 * pointers are owned by the replica and valid until the next idl_run().
 *
 * Change tracking.  idl_get_seqno() changes whenever the replica changes:
 * a monitor reply or update notification is applied, or the connection is
 * lost.
 *
 * Transactions.  idl_transact() sends one "transact" request.  Its reply
 * is checked and failures are logged; there is no retry, because the
 * bridge layer recomputes what it writes from the replica and writes again
 * whatever still differs.
 *
 * Threads: main thread only.
 */
#ifndef TERN_IDL_H
#define TERN_IDL_H 1

#include <jansson.h>
#include <poll.h>

#include "lib/smap.h"

struct idl;

/* A table to replicate and the columns wanted (NULL-terminated). */
struct idl_table_spec {
    const char *name;
    const char *const *columns;
};

/* Creates a client of database 'db' at 'remote' ("unix:PATH", "tcp:IP:PORT"
 * or "ssl:IP:PORT") that replicates 'tables' (copied: the caller keeps its
 * arrays, which must stay valid while the idl exists, since only pointers
 * are copied). */
struct idl *idl_create(const char *remote, const char *db,
                       const struct idl_table_spec *tables, size_t n_tables);
/* Closes the connection and frees the replica.  NULL is allowed. */
void idl_destroy(struct idl *);

/* Does I/O: connects, receives and applies updates, checks transaction
 * replies.  Call every main-loop iteration. */
void idl_run(struct idl *);
/* Fills 'pfd' for poll() and lowers *timeout_ms if the session needs to
 * wake up sooner (reconnection). */
void idl_poll_fd(const struct idl *, struct pollfd *pfd, int *timeout_ms);

bool idl_is_connected(const struct idl *);
/* True once the replica holds the database's contents (see above). */
bool idl_has_contents(const struct idl *);
unsigned int idl_get_seqno(const struct idl *);
/* The schema's "version", or "" before the schema arrived. */
const char *idl_schema_version(const struct idl *);
/* True if the schema has 'column' in 'table' (false before it arrived). */
bool idl_has_column(const struct idl *, const char *table, const char *column);

/* The rows of 'table': an object mapping UUID strings to rows (empty if
 * the table is unknown).  Owned by the replica. */
const json_t *idl_table(const struct idl *, const char *table);
/* The row of 'table' with 'uuid', or NULL. */
const json_t *idl_row(const struct idl *, const char *table, const char *uuid);
/* One row of 'table' (for singleton tables such as Open_vSwitch) and its
 * UUID in *uuidp (if non-NULL), or NULL if the table is empty. */
const json_t *idl_first_row(const struct idl *, const char *table,
                            const char **uuidp);

/* Sends "transact" with 'ops' (an array of operations, stolen) for this
 * database.  Returns 0, or ENOTCONN or the send error (the operations are
 * dropped). */
int idl_transact(struct idl *, json_t *ops);
/* Number of transactions sent and not answered yet. */
size_t idl_n_pending(const struct idl *);

/* ---- Values in RFC 7047 notation. ---- */

/* The value of 'column' in 'row', or NULL if absent. */
const json_t *idl_get(const json_t *row, const char *column);
/* A string column (scalar or optional): its value, or 'def' if empty. */
const char *idl_get_string(const json_t *row, const char *column,
                           const char *def);
/* An integer column (scalar or optional): true with *valuep, or false if
 * empty. */
bool idl_get_int(const json_t *row, const char *column, long long *valuep);
bool idl_get_bool(const json_t *row, const char *column, bool def);
/* Adds the string-to-string map 'column' to 'smap' (non-string atoms are
 * skipped). */
void idl_get_smap(const json_t *row, const char *column, struct smap *smap);
/* Returns the UUIDs of a reference column (set or single), as an array
 * the caller frees (the strings belong to the row), and their count in
 * *np. */
const char **idl_get_uuids(const json_t *row, const char *column, size_t *np);
/* True if 'column' of 'row' has its default value: absent, an empty set or
 * map, 0, 0.0, false or "". */
bool idl_is_default(const json_t *row, const char *column);

/* Compares two values as OVSDB datums: an atom equals a set holding just
 * that atom, sets and maps compare regardless of element order, NULL (an
 * absent column) equals the empty set. */
bool idl_datum_equal(const json_t *a, const json_t *b);

/* Builders (new references). */
json_t *idl_empty_set(void);
/* ["map", [[K, V], ...]] from 'smap'. */
json_t *idl_smap_to_json(const struct smap *);
/* ["uuid", 'uuid']. */
json_t *idl_uuid_json(const char *uuid);
/* An "update" operation of the row 'uuid' of 'table' that sets 'row'
 * (stolen). */
json_t *idl_update_op(const char *table, const char *uuid, json_t *row);

#endif /* TERN_IDL_H */
