/* SPDX-License-Identifier: Apache-2.0 */
/*
 * idl: the OVSDB replica of the bridge layer (see idl.h).
 *
 * Per connection the client goes through three states: it waits for the
 * schema, then for the monitor reply, then applies "update" notifications
 * as they come.  Requests carry integer ids from one counter; the ids of
 * the schema and monitor requests are remembered, other replies are
 * transaction replies.
 */
#include <config.h>

#include "vswitchd/idl.h"

#include <errno.h>
#include <stdlib.h>

#include "lib/jsonrpc.h"
#include "lib/vlog.h"

VLOG_DEFINE_THIS_MODULE(idl);

enum idl_state {
    IDL_S_SCHEMA,  /* Waiting for the reply to get_schema. */
    IDL_S_MONITOR, /* Waiting for the reply to monitor. */
    IDL_S_LIVE,    /* Replica complete; applying updates. */
    IDL_S_FAILED,  /* Unusable answer on this connection; wait for the
                    * next one. */
};

struct idl {
    char *remote;
    char *db;
    const struct idl_table_spec *tables;
    size_t n_tables;

    struct jsonrpc_session *session;
    unsigned int session_seqno; /* Last seen jsonrpc_session_get_seqno(). */
    enum idl_state state;
    long long schema_id; /* Id of the pending get_schema. */
    long long monitor_id;
    long long next_id;

    json_t *schema; /* The database schema, or NULL. */
    json_t *data;   /* {table: {uuid: row}}. */
    unsigned int seqno;
    size_t n_pending; /* Transactions awaiting a reply. */
};

struct idl *
idl_create(const char *remote, const char *db,
           const struct idl_table_spec *tables, size_t n_tables)
{
    struct idl *idl = xzalloc(sizeof *idl);

    idl->remote = xstrdup(remote);
    idl->db = xstrdup(db);
    idl->tables = tables;
    idl->n_tables = n_tables;
    idl->session = jsonrpc_session_open(remote, 8000);
    idl->data = json_object();
    idl->next_id = 1;
    idl->state = IDL_S_FAILED;
    return idl;
}

void
idl_destroy(struct idl *idl)
{
    if (idl) {
        jsonrpc_session_close(idl->session);
        json_decref(idl->schema);
        json_decref(idl->data);
        free(idl->remote);
        free(idl->db);
        free(idl);
    }
}

/* Sends request 'method' with 'params' (stolen) and returns its id, or -1
 * if it could not be sent. */
static long long
idl_send_request(struct idl *idl, const char *method, json_t *params)
{
    long long id = idl->next_id++;
    json_t *msg = json_pack("{s:s, s:o, s:I}", "method", method, "params",
                            params, "id", (json_int_t)id);
    int error = jsonrpc_session_send(idl->session, msg);

    json_decref(msg);
    if (error) {
        VLOG_DBG("%s: cannot send %s: %s", idl->remote, method,
                 tern_strerror(error));
        return -1;
    }
    return id;
}

static void
idl_reset(struct idl *idl)
{
    json_object_clear(idl->data);
    json_decref(idl->schema);
    idl->schema = NULL;
    idl->n_pending = 0;
    idl->seqno++;
}

static void
idl_start(struct idl *idl)
{
    idl_reset(idl);
    idl->schema_id =
        idl_send_request(idl, "get_schema", json_pack("[s]", idl->db));
    idl->state = idl->schema_id < 0 ? IDL_S_FAILED : IDL_S_SCHEMA;
}

static const json_t *
idl_schema_table(const struct idl *idl, const char *table)
{
    const json_t *tables =
        idl->schema ? json_object_get(idl->schema, "tables") : NULL;

    return tables ? json_object_get(tables, table) : NULL;
}

bool
idl_has_column(const struct idl *idl, const char *table, const char *column)
{
    const json_t *t = idl_schema_table(idl, table);
    const json_t *columns = t ? json_object_get(t, "columns") : NULL;

    return columns && json_object_get(columns, column);
}

static void
idl_send_monitor(struct idl *idl)
{
    json_t *requests = json_object();

    for (size_t i = 0; i < idl->n_tables; i++) {
        const struct idl_table_spec *spec = &idl->tables[i];
        json_t *columns = json_array();

        if (!idl_schema_table(idl, spec->name)) {
            VLOG_WARN("%s: database %s has no table %s", idl->remote, idl->db,
                      spec->name);
            json_decref(columns);
            continue;
        }
        for (const char *const *c = spec->columns; *c; c++) {
            if (idl_has_column(idl, spec->name, *c)) {
                json_array_append_new(columns, json_string(*c));
            }
        }
        json_object_set_new(requests, spec->name,
                            json_pack("{s:o}", "columns", columns));
    }
    idl->monitor_id = idl_send_request(
        idl, "monitor", json_pack("[s, n, o]", idl->db, requests));
    idl->state = idl->monitor_id < 0 ? IDL_S_FAILED : IDL_S_MONITOR;
}

/* Applies <table-updates> (RFC 7047 section 4.1.6) to the replica. */
static void
idl_apply_updates(struct idl *idl, const json_t *updates)
{
    const char *table;
    const json_t *rows;

    if (!json_is_object(updates)) {
        VLOG_WARN("%s: malformed table updates", idl->remote);
        return;
    }
    json_object_foreach((json_t *)updates, table, rows)
    {
        json_t *replica = json_object_get(idl->data, table);
        const char *uuid;
        const json_t *update;

        if (!replica) {
            replica = json_object();
            json_object_set_new(idl->data, table, replica);
        }
        json_object_foreach((json_t *)rows, uuid, update)
        {
            json_t *new = json_object_get(update, "new");
            json_t *row = json_object_get(replica, uuid);

            if (!json_is_object(new)) {
                json_object_del(replica, uuid);
            } else if (row) {
                /* A modification carries the new value of every changed
                 * column (all monitored columns with RFC 7047 servers). */
                json_object_update(row, new);
            } else {
                json_object_set_new(replica, uuid, json_deep_copy(new));
            }
        }
    }
    idl->seqno++;
}

static bool
idl_reply_is_error(const json_t *msg)
{
    const json_t *error = json_object_get(msg, "error");

    return error && !json_is_null(error);
}

static void
idl_log_error(const struct idl *idl, const char *what, const json_t *error)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);
    char *text = json_dumps(error, JSON_COMPACT);

    VLOG_WARN_RL(&rl, "%s: %s failed: %s", idl->remote, what,
                 text ? text : "?");
    free(text);
}

/* Checks the reply to a transaction: the result array holds an error
 * object for a failed operation or commit. */
static void
idl_check_txn_reply(struct idl *idl, const json_t *msg)
{
    const json_t *result = json_object_get(msg, "result");
    size_t i;
    const json_t *op;

    if (idl->n_pending) {
        idl->n_pending--;
    }
    if (idl_reply_is_error(msg)) {
        idl_log_error(idl, "transaction", json_object_get(msg, "error"));
        return;
    }
    json_array_foreach(result, i, op)
    {
        const json_t *error = json_object_get(op, "error");

        if (error && !json_is_null(error)) {
            idl_log_error(idl, "transaction", op);
            return;
        }
    }
}

static void
idl_handle_reply(struct idl *idl, const json_t *msg, long long id)
{
    const json_t *result = json_object_get(msg, "result");

    if (idl->state == IDL_S_SCHEMA && id == idl->schema_id) {
        if (idl_reply_is_error(msg) || !json_is_object(result)) {
            idl_log_error(idl, "get_schema", msg);
            idl->state = IDL_S_FAILED;
            return;
        }
        idl->schema = json_incref((json_t *)result);
        idl_send_monitor(idl);
    } else if (idl->state == IDL_S_MONITOR && id == idl->monitor_id) {
        if (idl_reply_is_error(msg)) {
            idl_log_error(idl, "monitor", msg);
            idl->state = IDL_S_FAILED;
            return;
        }
        idl_apply_updates(idl, result);
        idl->state = IDL_S_LIVE;
        VLOG_INFO("%s: connected, database %s schema %s", idl->remote, idl->db,
                  idl_schema_version(idl));
    } else {
        idl_check_txn_reply(idl, msg);
    }
}

static void
idl_handle_message(struct idl *idl, const json_t *msg)
{
    const json_t *method = json_object_get(msg, "method");
    const json_t *id = json_object_get(msg, "id");

    if (json_is_string(method)) {
        const json_t *params = json_object_get(msg, "params");

        if (!strcmp(json_string_value(method), "update") &&
            idl->state == IDL_S_LIVE && json_array_size(params) == 2) {
            idl_apply_updates(idl, json_array_get(params, 1));
        }
        /* "echo" is answered by the session; other requests are not
         * expected from a database server. */
    } else if (json_is_integer(id)) {
        idl_handle_reply(idl, msg, json_integer_value(id));
    }
}

void
idl_run(struct idl *idl)
{
    unsigned int seqno;

    jsonrpc_session_run(idl->session);
    seqno = jsonrpc_session_get_seqno(idl->session);
    if (seqno != idl->session_seqno) {
        idl->session_seqno = seqno;
        if (jsonrpc_session_is_connected(idl->session)) {
            idl_start(idl);
        }
    }
    if (!jsonrpc_session_is_connected(idl->session)) {
        if (idl->state != IDL_S_FAILED) {
            VLOG_INFO("%s: connection lost, reconnecting", idl->remote);
            idl->state = IDL_S_FAILED;
            idl_reset(idl);
        }
        return;
    }
    for (int i = 0; i < 50; i++) {
        json_t *msg = jsonrpc_session_recv(idl->session);

        if (!msg) {
            break;
        }
        idl_handle_message(idl, msg);
        json_decref(msg);
    }
}

void
idl_poll_fd(const struct idl *idl, struct pollfd *pfd, int *timeout_ms)
{
    jsonrpc_session_poll_fd(idl->session, pfd, timeout_ms);
}

bool
idl_is_connected(const struct idl *idl)
{
    return jsonrpc_session_is_connected(idl->session);
}

bool
idl_has_contents(const struct idl *idl)
{
    return idl->state == IDL_S_LIVE;
}

unsigned int
idl_get_seqno(const struct idl *idl)
{
    return idl->seqno;
}

const char *
idl_schema_version(const struct idl *idl)
{
    const json_t *v =
        idl->schema ? json_object_get(idl->schema, "version") : NULL;

    return json_is_string(v) ? json_string_value(v) : "";
}

const json_t *
idl_table(const struct idl *idl, const char *table)
{
    static json_t *empty;
    const json_t *t = json_object_get(idl->data, table);

    if (t) {
        return t;
    }
    if (!empty) {
        empty = json_object();
    }
    return empty;
}

const json_t *
idl_row(const struct idl *idl, const char *table, const char *uuid)
{
    const json_t *t = json_object_get(idl->data, table);

    return t ? json_object_get(t, uuid) : NULL;
}

const json_t *
idl_first_row(const struct idl *idl, const char *table, const char **uuidp)
{
    void *iter = json_object_iter(json_object_get(idl->data, table));

    if (!iter) {
        return NULL;
    }
    if (uuidp) {
        *uuidp = json_object_iter_key(iter);
    }
    return json_object_iter_value(iter);
}

int
idl_transact(struct idl *idl, json_t *ops)
{
    json_t *params = json_pack("[s]", idl->db);

    json_array_extend(params, ops);
    json_decref(ops);
    if (idl->state != IDL_S_LIVE) {
        json_decref(params);
        return ENOTCONN;
    }
    if (idl_send_request(idl, "transact", params) < 0) {
        return ENOTCONN;
    }
    idl->n_pending++;
    return 0;
}

size_t
idl_n_pending(const struct idl *idl)
{
    return idl->n_pending;
}

/* ---- Values. ---- */

const json_t *
idl_get(const json_t *row, const char *column)
{
    return row ? json_object_get(row, column) : NULL;
}

/* Returns true if 'v' is ["TAG", X] and stores X in *xp. */
static bool
idl_tagged(const json_t *v, const char *tag, const json_t **xp)
{
    if (json_is_array(v) && json_array_size(v) == 2 &&
        json_is_string(json_array_get(v, 0)) &&
        !strcmp(json_string_value(json_array_get(v, 0)), tag)) {
        *xp = json_array_get(v, 1);
        return true;
    }
    return false;
}

/* The single atom of an optional or scalar value, or NULL if empty. */
static const json_t *
idl_atom(const json_t *v)
{
    const json_t *elems;

    if (idl_tagged(v, "set", &elems)) {
        return json_array_size(elems) == 1 ? json_array_get(elems, 0) : NULL;
    }
    return v;
}

const char *
idl_get_string(const json_t *row, const char *column, const char *def)
{
    const json_t *atom = idl_atom(idl_get(row, column));

    return json_is_string(atom) ? json_string_value(atom) : def;
}

bool
idl_get_int(const json_t *row, const char *column, long long *valuep)
{
    const json_t *atom = idl_atom(idl_get(row, column));

    if (json_is_integer(atom)) {
        *valuep = json_integer_value(atom);
        return true;
    }
    return false;
}

bool
idl_get_bool(const json_t *row, const char *column, bool def)
{
    const json_t *atom = idl_atom(idl_get(row, column));

    return json_is_boolean(atom) ? json_is_true(atom) : def;
}

void
idl_get_smap(const json_t *row, const char *column, struct smap *smap)
{
    const json_t *pairs;
    const json_t *pair;
    size_t i;

    if (!idl_tagged(idl_get(row, column), "map", &pairs)) {
        return;
    }
    json_array_foreach(pairs, i, pair)
    {
        const json_t *k = json_array_get(pair, 0);
        const json_t *v = json_array_get(pair, 1);

        if (json_is_string(k) && json_is_string(v)) {
            smap_replace(smap, json_string_value(k), json_string_value(v));
        }
    }
}

const char **
idl_get_uuids(const json_t *row, const char *column, size_t *np)
{
    const json_t *v = idl_get(row, column);
    const json_t *elems, *elem, *u;
    const char **uuids;
    size_t i, n = 0;

    if (!idl_tagged(v, "set", &elems)) {
        elems = NULL;
    }
    uuids = xcalloc(elems ? json_array_size(elems) + 1 : 1, sizeof *uuids);
    if (!elems) {
        if (idl_tagged(v, "uuid", &u) && json_is_string(u)) {
            uuids[n++] = json_string_value(u);
        }
    } else {
        json_array_foreach(elems, i, elem)
        {
            if (idl_tagged(elem, "uuid", &u) && json_is_string(u)) {
                uuids[n++] = json_string_value(u);
            }
        }
    }
    *np = n;
    return uuids;
}

bool
idl_is_default(const json_t *row, const char *column)
{
    const json_t *v = idl_get(row, column);
    const json_t *elems;

    if (!v) {
        return true;
    }
    if (idl_tagged(v, "set", &elems) || idl_tagged(v, "map", &elems)) {
        return json_array_size(elems) == 0;
    }
    switch (json_typeof(v)) {
    case JSON_INTEGER:
        return json_integer_value(v) == 0;
    case JSON_REAL:
        return json_real_value(v) == 0.0;
    case JSON_FALSE:
        return true;
    case JSON_STRING:
        return json_string_length(v) == 0;
    default:
        return false;
    }
}

/* The elements of a datum: an array of atoms (sets) or pairs (maps), as a
 * borrowed array, or NULL with *single set for a lone atom. */
static const json_t *
idl_elements(const json_t *v, const json_t **single)
{
    const json_t *elems;

    *single = NULL;
    if (!v) {
        return NULL;
    }
    if (idl_tagged(v, "set", &elems) || idl_tagged(v, "map", &elems)) {
        return json_is_array(elems) ? elems : NULL;
    }
    *single = v;
    return NULL;
}

bool
idl_datum_equal(const json_t *a, const json_t *b)
{
    const json_t *sa, *sb;
    const json_t *ea = idl_elements(a, &sa);
    const json_t *eb = idl_elements(b, &sb);
    size_t na = ea ? json_array_size(ea) : sa != NULL;
    size_t nb = eb ? json_array_size(eb) : sb != NULL;

    if (na != nb) {
        return false;
    }
    for (size_t i = 0; i < na; i++) {
        const json_t *x = ea ? json_array_get(ea, i) : sa;
        bool found = false;

        for (size_t j = 0; j < nb && !found; j++) {
            found = json_equal((json_t *)x,
                               (json_t *)(eb ? json_array_get(eb, j) : sb));
        }
        if (!found) {
            return false;
        }
    }
    return true;
}

json_t *
idl_empty_set(void)
{
    return json_pack("[s, []]", "set");
}

json_t *
idl_smap_to_json(const struct smap *smap)
{
    json_t *pairs = json_array();

    SMAP_FOR_EACH(node, smap)
    {
        json_array_append_new(pairs,
                              json_pack("[s, s]", node->key, node->value));
    }
    return json_pack("[s, o]", "map", pairs);
}

json_t *
idl_uuid_json(const char *uuid)
{
    return json_pack("[s, s]", "uuid", uuid);
}

json_t *
idl_update_op(const char *table, const char *uuid, json_t *row)
{
    return json_pack("{s:s, s:s, s:[[s, s, o]], s:o}", "op", "update", "table",
                     table, "where", "_uuid", "==", idl_uuid_json(uuid), "row",
                     row);
}
