/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ovsdb-session: tern-dbserver's side of the OVSDB protocol — the
 * databases it serves, one session per connected client, and the RFC 7047
 * methods (list_dbs, get_schema, transact, cancel, monitor, monitor_cancel,
 * lock, steal, unlock, echo) with Open vSwitch's extensions (monitor_cond,
 * monitor_cond_since, monitor_cond_change, get_server_id,
 * set_db_change_aware).  Methods are a table of handlers
 * (ovsdb-session.c); the daemon (tern-dbserver.c) accepts connections,
 * hands each to ovsdb_session_create() and calls ovsdb_server_run() every
 * main-loop iteration.
 *
 * Commit order: a transaction that changes a database is first made
 * durable through the database's 'commit' hook (the journal append and
 * sync), then every monitor of every session gets its update
 * notification, then the transaction's reply is sent — so a client that
 * monitors what it changes sees the update before the reply, and no reply
 * acknowledges anything that is not on disk.  Transactions blocked in a
 * "wait" operation are retried after each commit and when their retry
 * time comes.
 *
 * Bad input: after a message that is not JSON, larger than
 * JSONRPC_MAX_MESSAGE or nested deeper than JSONRPC_MAX_DEPTH the stream
 * cannot be framed any more, so the connection is closed (as Open
 * vSwitch's ovsdb-server does) with a log line; a JSON value that is not a
 * request object, an unknown method, or wrong parameters get an error reply
 * and the session goes on; notifications with unknown methods are ignored.  A
 * client whose unsent output exceeds JSONRPC_MAX_BACKLOG is dropped.  None
 * of this affects other sessions.
 *
 * Threads: main thread only.
 */
#ifndef TERN_OVSDB_SESSION_H
#define TERN_OVSDB_SESSION_H 1

#include <poll.h>

#include "lib/jsonrpc.h"
#include "ovsdb/ovsdb-monitor.h"
#include "ovsdb/ovsdb.h"

/* Messages one session handles per ovsdb_server_run() before the others
 * get their turn. */
#define OVSDB_SESSION_BATCH 50

struct ovsdb_server_db;

/* Makes 'changes' durable.  Returns NULL or an error (then the client is
 * told the commit failed; the in-memory database has changed anyway). */
typedef struct ovsdb_error *ovsdb_commit_func(struct ovsdb_server_db *,
                                              const struct ovsdb_changes *,
                                              void *aux);

/* One database the server serves. */
struct ovsdb_server_db {
    char *name; /* The schema's name (owned). */
    struct ovsdb *db;
    struct ovsdb_monitor_history *history;
    ovsdb_commit_func *commit; /* NULL: in memory only. */
    void *commit_aux;
};

struct ovsdb_session;

struct ovsdb_server {
    size_t n_dbs;
    struct ovsdb_server_db **dbs;
    struct ovsdb_lock_table *locks;
    struct ovsdb_session *sessions; /* Doubly linked list. */
    size_t n_sessions;
    struct uuid server_id;
    bool committed;      /* Something committed: retry waiting txns. */
    unsigned long n_txn; /* Transactions committed (statistics). */
};

void ovsdb_server_init(struct ovsdb_server *);
/* Closes every session and destroys every database. */
void ovsdb_server_destroy(struct ovsdb_server *);
/* Serves 'db' (takes ownership of it) under its schema's name, with
 * 'commit' (may be NULL) as its durability hook.  Returns the new entry. */
struct ovsdb_server_db *ovsdb_server_add_db(struct ovsdb_server *,
                                            struct ovsdb *db,
                                            ovsdb_commit_func *commit,
                                            void *commit_aux);
struct ovsdb_server_db *ovsdb_server_find_db(const struct ovsdb_server *,
                                             const char *name);

/* Starts serving a client on 'rpc' (the session takes ownership). */
struct ovsdb_session *ovsdb_session_create(struct ovsdb_server *,
                                           struct jsonrpc *rpc);
/* Closes a session: releases its locks (notifying new holders), cancels
 * its monitors and waiting transactions. */
void ovsdb_session_destroy(struct ovsdb_session *);

/* Reads and answers requests on every session, retries waiting
 * transactions, flushes output and drops broken sessions. */
void ovsdb_server_run(struct ovsdb_server *);
/* Fills up to 'max' poll entries, one per session, and lowers
 * '*timeout_ms' for sessions with queued input or waiting transactions.
 * Returns the number of entries filled. */
size_t ovsdb_server_poll(const struct ovsdb_server *, struct pollfd *pfds,
                         size_t max, int *timeout_ms);

#endif /* TERN_OVSDB_SESSION_H */
