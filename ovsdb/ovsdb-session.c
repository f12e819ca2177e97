/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ovsdb-session: the databases tern-dbserver serves, its client sessions
 * and the table of OVSDB methods they answer (see ovsdb-session.h).
 */
#include <config.h>

#include "ovsdb/ovsdb-session.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#include "lib/util.h"
#include "lib/vlog.h"
#include "ovsdb/ovsdb-locks.h"

VLOG_DEFINE_THIS_MODULE(ovsdb_session);

/* A monitor a session created. */
struct session_monitor {
    json_t *id; /* The client's <json-value>. */
    struct ovsdb_server_db *db;
    struct ovsdb_monitor *mon;
};

/* A "transact" blocked in a "wait" operation. */
struct session_txn {
    json_t *id;
    json_t *params;
    struct ovsdb_server_db *db;
    long long start_msec;
    long long retry_at; /* LLONG_MAX: only after a commit. */
};

struct ovsdb_session {
    struct ovsdb_session *prev, *next;
    struct ovsdb_server *server;
    struct jsonrpc *rpc;
    int error; /* Nonzero: drop this session. */
    bool busy; /* Stopped reading at OVSDB_SESSION_BATCH. */
    size_t n_monitors;
    struct session_monitor *monitors;
    size_t n_txns;
    struct session_txn *txns;
    size_t n_locks;
    char **locks; /* Locks this session holds or waits for. */
};

/* ---- Server and databases. ---- */

void
ovsdb_server_init(struct ovsdb_server *server)
{
    memset(server, 0, sizeof *server);
    server->locks = ovsdb_lock_table_create();
    uuid_generate(&server->server_id);
}

void
ovsdb_server_destroy(struct ovsdb_server *server)
{
    while (server->sessions) {
        ovsdb_session_destroy(server->sessions);
    }
    for (size_t i = 0; i < server->n_dbs; i++) {
        struct ovsdb_server_db *db = server->dbs[i];

        ovsdb_monitor_history_destroy(db->history);
        ovsdb_destroy(db->db);
        free(db->name);
        free(db);
    }
    free(server->dbs);
    ovsdb_lock_table_destroy(server->locks);
    memset(server, 0, sizeof *server);
}

struct ovsdb_server_db *
ovsdb_server_add_db(struct ovsdb_server *server, struct ovsdb *db,
                    ovsdb_commit_func *commit, void *commit_aux)
{
    struct ovsdb_server_db *sdb = xzalloc(sizeof *sdb);

    sdb->name = xstrdup(ovsdb_get_schema(db)->name);
    sdb->db = db;
    sdb->history = ovsdb_monitor_history_create(OVSDB_MONITOR_HISTORY_TXNS,
                                                OVSDB_MONITOR_HISTORY_ROWS);
    sdb->commit = commit;
    sdb->commit_aux = commit_aux;
    server->dbs =
        xrealloc(server->dbs, (server->n_dbs + 1) * sizeof server->dbs[0]);
    server->dbs[server->n_dbs++] = sdb;
    return sdb;
}

struct ovsdb_server_db *
ovsdb_server_find_db(const struct ovsdb_server *server, const char *name)
{
    for (size_t i = 0; i < server->n_dbs; i++) {
        if (!strcmp(server->dbs[i]->name, name)) {
            return server->dbs[i];
        }
    }
    return NULL;
}

/* ---- Sending. ---- */

/* Queues 'msg' (the caller's reference is consumed). */
static void
session_send(struct ovsdb_session *s, json_t *msg)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);
    int error;

    if (!s->error) {
        error = jsonrpc_send(s->rpc, msg);
        if (error) {
            if (error == ENOBUFS) {
                VLOG_INFO_RL(&rl,
                             "%s: more than %d bytes of output wait "
                             "to be sent: dropping the client",
                             jsonrpc_get_name(s->rpc), JSONRPC_MAX_BACKLOG);
            }
            s->error = error;
        }
    }
    json_decref(msg);
}

/* Replies 'result' (stolen) to request 'id' (nothing for notifications). */
static void
session_reply(struct ovsdb_session *s, json_t *result, const json_t *id)
{
    if (!id || json_is_null(id)) {
        json_decref(result);
        return;
    }
    session_send(s, jsonrpc_create_reply(result, id));
}

/* Replies with 'error' (freed here) to request 'id'. */
static void
session_reply_error(struct ovsdb_session *s, struct ovsdb_error *error,
                    const json_t *id)
{
    if (id && !json_is_null(id)) {
        session_send(s, jsonrpc_create_error(ovsdb_error_to_json(error), id));
    }
    ovsdb_error_destroy(error);
}

static void
session_notify(struct ovsdb_session *s, const char *method, json_t *params)
{
    session_send(s, jsonrpc_create_notify(method, params));
}

/* ---- Commits and monitors. ---- */

static void
session_send_update(struct ovsdb_session *s, const struct session_monitor *m,
                    json_t *updates, const struct uuid *txn_id)
{
    char buf[UUID_LEN + 1];

    switch (ovsdb_monitor_get_version(m->mon)) {
    case OVSDB_MONITOR_V1:
        session_notify(s, "update", json_pack("[O,o]", m->id, updates));
        break;
    case OVSDB_MONITOR_V2:
        session_notify(s, "update2", json_pack("[O,o]", m->id, updates));
        break;
    case OVSDB_MONITOR_V3:
        uuid_to_string(txn_id, buf);
        session_notify(s, "update3",
                       json_pack("[O,s,o]", m->id, buf, updates));
        break;
    }
}

/* Makes 'changes' durable, tells every monitor of 'db' and records them in
 * the history.  Returns NULL or the durability error. */
static struct ovsdb_error *
server_commit(struct ovsdb_server *server, struct ovsdb_server_db *db,
              const struct ovsdb_changes *changes)
{
    struct ovsdb_error *error = NULL;
    struct ovsdb_monitor_txn *txn;

    if (db->commit) {
        error = db->commit(db, changes, db->commit_aux);
    }
    txn = ovsdb_monitor_txn_from_changes(changes);
    for (struct ovsdb_session *s = server->sessions; s; s = s->next) {
        for (size_t i = 0; i < s->n_monitors; i++) {
            struct session_monitor *m = &s->monitors[i];
            json_t *updates;

            if (m->db != db) {
                continue;
            }
            updates = ovsdb_monitor_updates(m->mon, txn);
            if (updates) {
                session_send_update(s, m, updates, &txn->txn_id);
            }
        }
    }
    ovsdb_monitor_history_add(db->history, txn);
    server->committed = true;
    server->n_txn++;
    return error;
}

static bool
session_has_lock(const char *name, void *s_)
{
    struct ovsdb_session *s = s_;

    return ovsdb_lock_is_holder(s->server->locks, name, s);
}

/* Runs transaction 't'.  Returns true if it finished (replied). */
static bool
session_try_txn(struct ovsdb_session *s, struct session_txn *t)
{
    struct ovsdb_execute_ctx ctx = {session_has_lock, s, false};
    struct ovsdb_changes *changes = NULL;
    enum ovsdb_execute_status status;
    long long retry_msec = -1;
    json_t *result = NULL;

    status = ovsdb_execute(t->db->db, t->params, &ctx, t->start_msec, &result,
                           &changes, &retry_msec);
    if (status == OVSDB_EXEC_WAIT) {
        t->retry_at = retry_msec >= 0 ? time_msec() + retry_msec : LLONG_MAX;
        return false;
    }
    if (changes) {
        struct ovsdb_error *error = server_commit(s->server, t->db, changes);

        ovsdb_changes_destroy(changes);
        if (error) {
            VLOG_ERR("%s: commit failed: %s: %s", t->db->name, error->tag,
                     error->details ? error->details : "");
            json_decref(result);
            session_reply_error(s, error, t->id);
            return true;
        }
    }
    session_reply(s, result ? result : json_array(), t->id);
    return true;
}

static void
session_txn_destroy(struct session_txn *t)
{
    json_decref(t->id);
    json_decref(t->params);
}

/* Retries the session's waiting transactions ('all': every one, else only
 * those whose retry time has come). */
static void
session_retry_txns(struct ovsdb_session *s, bool all)
{
    long long now = time_msec();

    for (size_t i = 0; i < s->n_txns && !s->error;) {
        struct session_txn *t = &s->txns[i];

        if ((all || t->retry_at <= now) && session_try_txn(s, t)) {
            session_txn_destroy(t);
            s->txns[i] = s->txns[--s->n_txns];
        } else {
            i++;
        }
    }
}

/* ---- Parameter helpers. ---- */

static struct ovsdb_error *
params_db(struct ovsdb_session *s, const json_t *params, const char *method,
          struct ovsdb_server_db **dbp)
{
    const json_t *name = json_array_get(params, 0);

    if (!json_is_string(name)) {
        return ovsdb_syntax_error(params,
                                  "%s request params must begin with "
                                  "<db-name>",
                                  method);
    }
    *dbp = ovsdb_server_find_db(s->server, json_string_value(name));
    if (!*dbp) {
        return ovsdb_error("unknown database",
                           "%s request specifies "
                           "unknown database %s",
                           method, json_string_value(name));
    }
    return NULL;
}

static struct ovsdb_error *
params_count(const json_t *params, const char *method, size_t min, size_t max)
{
    size_t n = json_array_size(params);

    if (n < min || n > max) {
        return ovsdb_syntax_error(params,
                                  "%s request takes %zu to %zu "
                                  "parameters, not %zu",
                                  method, min, max, n);
    }
    return NULL;
}

/* ---- Methods. ---- */

typedef struct ovsdb_error *
method_func(struct ovsdb_session *, const json_t *params, const json_t *id);

static struct ovsdb_error *
method_list_dbs(struct ovsdb_session *s, const json_t *params TERN_UNUSED,
                const json_t *id)
{
    json_t *names = json_array();

    for (size_t i = 0; i < s->server->n_dbs; i++) {
        json_array_append_new(names, json_string(s->server->dbs[i]->name));
    }
    session_reply(s, names, id);
    return NULL;
}

static struct ovsdb_error *
method_get_schema(struct ovsdb_session *s, const json_t *params,
                  const json_t *id)
{
    struct ovsdb_server_db *db;
    struct ovsdb_error *error = params_count(params, "get_schema", 1, 1);

    if (!error) {
        error = params_db(s, params, "get_schema", &db);
    }
    if (!error) {
        session_reply(s, ovsdb_schema_to_json(ovsdb_get_schema(db->db)), id);
    }
    return error;
}

static struct ovsdb_error *
method_transact(struct ovsdb_session *s, const json_t *params,
                const json_t *id)
{
    struct ovsdb_server_db *db;
    struct ovsdb_error *error = params_db(s, params, "transact", &db);
    struct session_txn t;

    if (error) {
        return error;
    }
    t.id = json_incref((json_t *)id);
    t.params = json_incref((json_t *)params);
    t.db = db;
    t.start_msec = time_msec();
    t.retry_at = LLONG_MAX;
    if (session_try_txn(s, &t)) {
        session_txn_destroy(&t);
    } else {
        s->txns = xrealloc(s->txns, (s->n_txns + 1) * sizeof s->txns[0]);
        s->txns[s->n_txns++] = t;
    }
    return NULL;
}

static struct ovsdb_error *
method_cancel(struct ovsdb_session *s, const json_t *params,
              const json_t *id TERN_UNUSED)
{
    const json_t *target = json_array_get(params, 0);
    struct ovsdb_error *error = params_count(params, "cancel", 1, 1);

    if (error) {
        return error;
    }
    for (size_t i = 0; i < s->n_txns; i++) {
        if (json_equal(s->txns[i].id, (json_t *)target)) {
            session_reply_error(s, ovsdb_error("canceled", NULL),
                                s->txns[i].id);
            session_txn_destroy(&s->txns[i]);
            s->txns[i] = s->txns[--s->n_txns];
            break;
        }
    }
    return NULL;
}

static struct session_monitor *
session_find_monitor(struct ovsdb_session *s, const json_t *id)
{
    for (size_t i = 0; i < s->n_monitors; i++) {
        if (json_equal(s->monitors[i].id, (json_t *)id)) {
            return &s->monitors[i];
        }
    }
    return NULL;
}

/* The reply to monitor_cond_since: [found, last-txn-id, updates]. */
static json_t *
monitor_since_result(struct ovsdb_server_db *db, struct ovsdb_monitor *mon,
                     const json_t *last)
{
    const struct uuid *cur = ovsdb_last_txn_id(db->db);
    struct ovsdb_monitor_txn *merged = NULL;
    char buf[UUID_LEN + 1];
    struct uuid since;
    json_t *updates;
    bool found = false;

    if (uuid_from_string(&since, json_string_value(last)) &&
        !uuid_is_zero(&since)) {
        found = uuid_equals(&since, cur) ||
                ovsdb_monitor_history_since(db->history, &since, &merged);
    }
    if (found) {
        updates = ovsdb_monitor_updates(mon, merged);
        ovsdb_monitor_txn_destroy(merged);
        if (!updates) {
            updates = json_object();
        }
    } else {
        updates = ovsdb_monitor_initial(mon, db->db);
    }
    uuid_to_string(cur, buf);
    return json_pack("[b,s,o]", found, buf, updates);
}

static struct ovsdb_error *
session_add_monitor(struct ovsdb_session *s, const json_t *params,
                    const json_t *id, const char *method,
                    enum ovsdb_monitor_version v)
{
    size_t n_params = v == OVSDB_MONITOR_V3 ? 4 : 3;
    struct ovsdb_error *error =
        params_count(params, method, n_params, n_params);
    const json_t *mon_id = json_array_get(params, 1);
    struct session_monitor *m;
    struct ovsdb_server_db *db;
    struct ovsdb_monitor *mon;
    json_t *result;

    if (!error) {
        error = params_db(s, params, method, &db);
    }
    if (!error && v == OVSDB_MONITOR_V3 &&
        !json_is_string(json_array_get(params, 3))) {
        error = ovsdb_syntax_error(params, "last-txn-id must be a string");
    }
    if (!error && session_find_monitor(s, mon_id)) {
        error = ovsdb_syntax_error(mon_id, "duplicate monitor ID");
    }
    if (!error) {
        error =
            ovsdb_monitor_create(db->db, v, json_array_get(params, 2), &mon);
    }
    if (error) {
        return error;
    }
    if (v == OVSDB_MONITOR_V3) {
        result = monitor_since_result(db, mon, json_array_get(params, 3));
    } else {
        result = ovsdb_monitor_initial(mon, db->db);
    }
    s->monitors =
        xrealloc(s->monitors, (s->n_monitors + 1) * sizeof s->monitors[0]);
    m = &s->monitors[s->n_monitors++];
    m->id = json_incref((json_t *)mon_id);
    m->db = db;
    m->mon = mon;
    session_reply(s, result, id);
    return NULL;
}

static struct ovsdb_error *
method_monitor(struct ovsdb_session *s, const json_t *params, const json_t *id)
{
    return session_add_monitor(s, params, id, "monitor", OVSDB_MONITOR_V1);
}

static struct ovsdb_error *
method_monitor_cond(struct ovsdb_session *s, const json_t *params,
                    const json_t *id)
{
    return session_add_monitor(s, params, id, "monitor_cond",
                               OVSDB_MONITOR_V2);
}

static struct ovsdb_error *
method_monitor_cond_since(struct ovsdb_session *s, const json_t *params,
                          const json_t *id)
{
    return session_add_monitor(s, params, id, "monitor_cond_since",
                               OVSDB_MONITOR_V3);
}

static struct ovsdb_error *
method_monitor_cond_change(struct ovsdb_session *s, const json_t *params,
                           const json_t *id)
{
    struct ovsdb_error *error =
        params_count(params, "monitor_cond_change", 3, 3);
    const json_t *new_id = json_array_get(params, 1);
    struct session_monitor *m, *other;
    json_t *updates;

    if (error) {
        return error;
    }
    m = session_find_monitor(s, json_array_get(params, 0));
    if (!m) {
        return ovsdb_error("unknown monitor", NULL);
    }
    other = session_find_monitor(s, new_id);
    if (other && other != m) {
        return ovsdb_syntax_error(new_id, "duplicate monitor ID");
    }
    error = ovsdb_monitor_change_conditions(
        m->mon, m->db->db, json_array_get(params, 2), &updates);
    if (error) {
        return error;
    }
    json_decref(m->id);
    m->id = json_incref((json_t *)new_id);
    if (updates) {
        session_send_update(s, m, updates, ovsdb_last_txn_id(m->db->db));
    }
    session_reply(s, json_object(), id);
    return NULL;
}

static struct ovsdb_error *
method_monitor_cancel(struct ovsdb_session *s, const json_t *params,
                      const json_t *id)
{
    struct ovsdb_error *error = params_count(params, "monitor_cancel", 1, 1);
    struct session_monitor *m;

    if (error) {
        return error;
    }
    m = session_find_monitor(s, json_array_get(params, 0));
    if (!m) {
        return ovsdb_error("unknown monitor", NULL);
    }
    json_decref(m->id);
    ovsdb_monitor_destroy(m->mon);
    *m = s->monitors[--s->n_monitors];
    session_reply(s, json_object(), id);
    return NULL;
}

/* The lock name of a lock/steal/unlock request, or an error. */
static struct ovsdb_error *
params_lock_name(const json_t *params, const char *method, const char **name)
{
    const json_t *j = json_array_get(params, 0);

    if (json_array_size(params) != 1 || !json_is_string(j)) {
        return ovsdb_syntax_error(params, "%s request params must be <id>",
                                  method);
    }
    *name = json_string_value(j);
    return NULL;
}

static size_t
session_find_lock(const struct ovsdb_session *s, const char *name)
{
    for (size_t i = 0; i < s->n_locks; i++) {
        if (!strcmp(s->locks[i], name)) {
            return i;
        }
    }
    return SIZE_MAX;
}

static struct ovsdb_error *
session_lock(struct ovsdb_session *s, const json_t *params, const json_t *id,
             bool steal)
{
    const char *method = steal ? "steal" : "lock";
    struct ovsdb_error *error;
    const char *name;
    bool locked;

    error = params_lock_name(params, method, &name);
    if (error) {
        return error;
    }
    if (session_find_lock(s, name) != SIZE_MAX && !steal) {
        return ovsdb_syntax_error(params,
                                  "must issue \"unlock\" before new "
                                  "\"%s\"",
                                  method);
    }
    if (session_find_lock(s, name) == SIZE_MAX) {
        s->locks = xrealloc(s->locks, (s->n_locks + 1) * sizeof s->locks[0]);
        s->locks[s->n_locks++] = xstrdup(name);
    }
    if (steal) {
        struct ovsdb_session *victim;

        victim = ovsdb_lock_steal(s->server->locks, name, s);
        if (victim) {
            session_notify(victim, "stolen", json_pack("[s]", name));
        }
        locked = true;
    } else {
        locked = ovsdb_lock_acquire(s->server->locks, name, s);
    }
    session_reply(s, json_pack("{s:b}", "locked", locked), id);
    return NULL;
}

static struct ovsdb_error *
method_lock(struct ovsdb_session *s, const json_t *params, const json_t *id)
{
    return session_lock(s, params, id, false);
}

static struct ovsdb_error *
method_steal(struct ovsdb_session *s, const json_t *params, const json_t *id)
{
    return session_lock(s, params, id, true);
}

/* Leaves the queue of lock number 'idx' of 's' and tells the next holder. */
static void
session_release_lock(struct ovsdb_session *s, size_t idx)
{
    struct ovsdb_session *next;

    next = ovsdb_lock_release(s->server->locks, s->locks[idx], s);
    if (next) {
        session_notify(next, "locked", json_pack("[s]", s->locks[idx]));
    }
    free(s->locks[idx]);
    s->locks[idx] = s->locks[--s->n_locks];
}

static struct ovsdb_error *
method_unlock(struct ovsdb_session *s, const json_t *params, const json_t *id)
{
    struct ovsdb_error *error;
    const char *name;
    size_t idx;

    error = params_lock_name(params, "unlock", &name);
    if (error) {
        return error;
    }
    idx = session_find_lock(s, name);
    if (idx == SIZE_MAX) {
        return ovsdb_syntax_error(params, "\"unlock\" without \"lock\" or "
                                          "\"steal\"");
    }
    session_release_lock(s, idx);
    session_reply(s, json_object(), id);
    return NULL;
}

static struct ovsdb_error *
method_echo(struct ovsdb_session *s, const json_t *params, const json_t *id)
{
    session_reply(s, json_incref((json_t *)params), id);
    return NULL;
}

static struct ovsdb_error *
method_get_server_id(struct ovsdb_session *s, const json_t *params TERN_UNUSED,
                     const json_t *id)
{
    char buf[UUID_LEN + 1];

    uuid_to_string(&s->server->server_id, buf);
    session_reply(s, json_string(buf), id);
    return NULL;
}

/* Tern never drops clients because databases change (it cannot add or
 * convert databases at run time), so this only acknowledges. */
static struct ovsdb_error *
method_set_db_change_aware(struct ovsdb_session *s, const json_t *params,
                           const json_t *id)
{
    if (json_array_size(params) != 1 ||
        !json_is_boolean(json_array_get(params, 0))) {
        return ovsdb_syntax_error(params, "set_db_change_aware request "
                                          "params must be [<boolean>]");
    }
    session_reply(s, json_object(), id);
    return NULL;
}

static const struct {
    const char *name;
    method_func *func;
} methods[] = {
    {"list_dbs", method_list_dbs},
    {"get_schema", method_get_schema},
    {"transact", method_transact},
    {"cancel", method_cancel},
    {"monitor", method_monitor},
    {"monitor_cond", method_monitor_cond},
    {"monitor_cond_since", method_monitor_cond_since},
    {"monitor_cond_change", method_monitor_cond_change},
    {"monitor_cancel", method_monitor_cancel},
    {"lock", method_lock},
    {"steal", method_steal},
    {"unlock", method_unlock},
    {"echo", method_echo},
    {"get_server_id", method_get_server_id},
    {"set_db_change_aware", method_set_db_change_aware},
};

/* ---- Receiving. ---- */

/* Answers one message that is valid JSON. */
static void
session_handle(struct ovsdb_session *s, const json_t *msg)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);
    const json_t *method, *params, *id;
    struct ovsdb_error *error;

    if (!json_is_object(msg)) {
        /* No id to answer to: reply with a null id, as JSON-RPC does. */
        error = ovsdb_syntax_error(msg, "a JSON-RPC message must be an "
                                        "object");
        session_send(
            s, jsonrpc_create_error(ovsdb_error_to_json(error), json_null()));
        ovsdb_error_destroy(error);
        return;
    }
    method = json_object_get(msg, "method");
    params = json_object_get(msg, "params");
    id = json_object_get(msg, "id");
    if (!method) {
        /* A reply: the server sends no requests that expect one. */
        return;
    }
    if (!json_is_string(method)) {
        error = ovsdb_syntax_error(msg, "\"method\" must be a string");
    } else if (!json_is_array(params)) {
        error = ovsdb_syntax_error(msg, "\"params\" must be an array");
    } else {
        for (size_t i = 0; i < ARRAY_SIZE(methods); i++) {
            if (!strcmp(methods[i].name, json_string_value(method))) {
                error = methods[i].func(s, params, id);
                goto done;
            }
        }
        if (id && !json_is_null(id)) {
            VLOG_DBG_RL(&rl, "%s: unknown method \"%s\"",
                        jsonrpc_get_name(s->rpc), json_string_value(method));
            session_send(s, jsonrpc_create_error(json_string("unknown "
                                                             "method"),
                                                 id));
        }
        return;
    }
done:
    if (error) {
        session_reply_error(s, error, id);
    }
}

/* Reads and answers up to OVSDB_SESSION_BATCH messages. */
static void
session_run(struct ovsdb_session *s)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

    s->busy = false;
    for (int n = 0; !s->error; n++) {
        json_t *msg = NULL;
        int error;

        if (n >= OVSDB_SESSION_BATCH) {
            s->busy = true;
            break;
        }
        error = jsonrpc_recv(s->rpc, &msg);
        if (error == EAGAIN) {
            break;
        } else if (error == EPROTO) {
            /* The stream's framing is lost: no reply can follow. */
            VLOG_INFO_RL(&rl,
                         "%s: malformed, oversized or too deeply "
                         "nested JSON: closing the connection",
                         jsonrpc_get_name(s->rpc));
            s->error = EPROTO;
        } else if (error) {
            s->error = error;
        } else {
            session_handle(s, msg);
            json_decref(msg);
        }
    }
    if (!s->error) {
        int error = jsonrpc_run(s->rpc);

        if (error) {
            s->error = error;
        }
    }
}

/* ---- Sessions. ---- */

struct ovsdb_session *
ovsdb_session_create(struct ovsdb_server *server, struct jsonrpc *rpc)
{
    struct ovsdb_session *s = xzalloc(sizeof *s);

    s->server = server;
    s->rpc = rpc;
    s->next = server->sessions;
    if (s->next) {
        s->next->prev = s;
    }
    server->sessions = s;
    server->n_sessions++;
    return s;
}

void
ovsdb_session_destroy(struct ovsdb_session *s)
{
    struct ovsdb_server *server = s->server;

    while (s->n_locks) {
        session_release_lock(s, s->n_locks - 1);
    }
    free(s->locks);
    for (size_t i = 0; i < s->n_monitors; i++) {
        json_decref(s->monitors[i].id);
        ovsdb_monitor_destroy(s->monitors[i].mon);
    }
    free(s->monitors);
    for (size_t i = 0; i < s->n_txns; i++) {
        session_txn_destroy(&s->txns[i]);
    }
    free(s->txns);
    if (s->prev) {
        s->prev->next = s->next;
    } else {
        server->sessions = s->next;
    }
    if (s->next) {
        s->next->prev = s->prev;
    }
    server->n_sessions--;
    jsonrpc_close(s->rpc);
    free(s);
}

void
ovsdb_server_run(struct ovsdb_server *server)
{
    struct ovsdb_session *s, *next;

    for (s = server->sessions; s; s = s->next) {
        session_run(s);
    }
    /* Commits may unblock waiting transactions, whose commits may unblock
     * more; each round finishes at least one or stops. */
    for (s = server->sessions; s; s = s->next) {
        session_retry_txns(s, false);
    }
    while (server->committed) {
        server->committed = false;
        for (s = server->sessions; s; s = s->next) {
            session_retry_txns(s, true);
        }
    }
    for (s = server->sessions; s; s = next) {
        next = s->next;
        if (!s->error) {
            int error = jsonrpc_run(s->rpc);

            if (error) {
                s->error = error;
            }
        }
        if (s->error) {
            VLOG_DBG("%s: closing session (%s)", jsonrpc_get_name(s->rpc),
                     s->error == EOF ? "end of stream"
                                     : tern_strerror(s->error));
            ovsdb_session_destroy(s);
        }
    }
}

size_t
ovsdb_server_poll(const struct ovsdb_server *server, struct pollfd *pfds,
                  size_t max, int *timeout_ms)
{
    long long now = time_msec();
    size_t n = 0;

    for (const struct ovsdb_session *s = server->sessions; s; s = s->next) {
        if (n < max) {
            jsonrpc_poll_fd(s->rpc, &pfds[n++]);
        }
        if (s->busy) {
            *timeout_ms = 0;
        }
        for (size_t i = 0; i < s->n_txns; i++) {
            long long at = s->txns[i].retry_at;

            if (at != LLONG_MAX) {
                long long wait = at > now ? at - now : 0;

                if (*timeout_ms < 0 || wait < *timeout_ms) {
                    *timeout_ms = (int)wait;
                }
            }
        }
    }
    return n;
}
