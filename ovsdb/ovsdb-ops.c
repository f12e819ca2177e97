/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ovsdb-ops: the operations of an RFC 7047 "transact" request (section
 * 5.2) — insert, select, update, mutate, delete, wait, commit, abort,
 * comment and assert — run one at a time against a transaction's
 * copy-on-write view (ovsdb-txn.c).  Each operation is a row of one table:
 * its name, the members it accepts (any other member is a syntax error),
 * whether it writes, and its handler.
 */
#include <config.h>

#include <limits.h>
#include <stdlib.h>

#include "ovsdb/ovsdb-private.h"

struct op {
    struct ovsdb_txn *txn;
    const json_t *json;
    struct ovsdb_ops_env *env;
    size_t idx; /* Table, for operations that name one. */
    const struct ovsdb_table_schema *table;
};

typedef json_t *op_handler(struct op *, struct ovsdb_error **);

/* ---- Helpers. ---- */

static const json_t *
member(const struct op *op, const char *name)
{
    return json_object_get(op->json, name);
}

static struct ovsdb_error *
required(const struct op *op, const char *name, const json_t **valuep)
{
    *valuep = member(op, name);
    if (!*valuep) {
        return ovsdb_syntax_error(op->json,
                                  "operation lacks required "
                                  "member \"%s\"",
                                  name);
    }
    return NULL;
}

static struct ovsdb_error *
parse_table(struct op *op)
{
    const struct ovsdb_schema *s = op->txn->db->schema;
    const json_t *table;
    struct ovsdb_error *error = required(op, "table", &table);

    if (error) {
        return error;
    }
    if (!json_is_string(table)) {
        return ovsdb_syntax_error(table, "\"table\" must be a string");
    }
    op->table = ovsdb_schema_find_table(s, json_string_value(table));
    if (!op->table) {
        return ovsdb_error("unknown table", "no table named %s",
                           json_string_value(table));
    }
    op->idx = ovsdb_table_index(op->txn->db, op->table);
    return NULL;
}

/* The rows matching the operation's "where", as a new array of *n rows
 * (caller frees the array). */
static struct ovsdb_error *
query(struct op *op, const struct ovsdb_row ***rowsp, size_t *n)
{
    struct ovsdb_condition *cond;
    const struct ovsdb_row **rows;
    struct ovsdb_error *error;
    const json_t *where;
    struct uuid uuid;
    size_t k = 0;

    error = required(op, "where", &where);
    if (!error) {
        error =
            ovsdb_condition_parse(op->table, where, op->txn->symtab, &cond);
    }
    if (error) {
        return error;
    }
    if (ovsdb_condition_get_uuid(cond, &uuid)) {
        rows = xmalloc(sizeof *rows);
        rows[0] = ovsdb_txn_get(op->txn, op->idx, &uuid);
        *n = rows[0] != NULL;
    } else {
        rows = ovsdb_txn_rows(op->txn, op->idx, n);
    }
    for (size_t i = 0; i < *n; i++) {
        if (ovsdb_condition_evaluate(cond, rows[i])) {
            rows[k++] = rows[i];
        }
    }
    *n = k;
    *rowsp = rows;
    ovsdb_condition_destroy(cond);
    return NULL;
}

static void
bitmap_set(unsigned long *bits, size_t i)
{
    const size_t n = sizeof(unsigned long) * CHAR_BIT;

    bits[i / n] |= 1UL << (i % n);
}

static bool
bitmap_is_set(const unsigned long *bits, size_t i)
{
    const size_t n = sizeof(unsigned long) * CHAR_BIT;

    return bits[i / n] & (1UL << (i % n));
}

static unsigned long *
bitmap_alloc(size_t n_bits)
{
    return xcalloc(DIV_ROUND_UP(n_bits, sizeof(unsigned long) * CHAR_BIT) + 1,
                   sizeof(unsigned long));
}

/* Parses an array of column names into a new bitmap (*columnsp). */
static struct ovsdb_error *
parse_columns(const struct ovsdb_table_schema *t, const json_t *json,
              unsigned long **columnsp)
{
    unsigned long *columns;

    if (!json_is_array(json)) {
        return ovsdb_syntax_error(json, "\"columns\" must be an array");
    }
    columns = bitmap_alloc(t->n_columns);
    for (size_t i = 0; i < json_array_size(json); i++) {
        const json_t *name = json_array_get(json, i);
        const struct ovsdb_column_schema *c = NULL;

        if (json_is_string(name)) {
            c = ovsdb_table_schema_find_column(t, json_string_value(name));
        }
        if (!c) {
            free(columns);
            return json_is_string(name)
                       ? ovsdb_error("unknown column",
                                     "no column %s in table %s",
                                     json_string_value(name), t->name)
                       : ovsdb_syntax_error(name, "column name must be a "
                                                  "string");
        }
        bitmap_set(columns, c->index);
    }
    *columnsp = columns;
    return NULL;
}

/* What a <row> is parsed for: which columns it may name. */
enum row_use {
    ROW_INSERT, /* No implicit columns. */
    ROW_UPDATE, /* No implicit or immutable columns. */
    ROW_MATCH,  /* Any column ("wait" compares rows). */
};

/* Sets the columns of <row> 'json' in 'row'; marks them in 'columns' if
 * not NULL. */
static struct ovsdb_error *
parse_row(struct op *op, const json_t *json, struct ovsdb_row *row,
          unsigned long *columns, enum row_use use)
{
    const char *name;
    json_t *value;

    if (!json_is_object(json)) {
        return ovsdb_syntax_error(json, "<row> must be an object");
    }
    json_object_foreach((json_t *)json, name, value)
    {
        const struct ovsdb_column_schema *c;
        struct ovsdb_datum datum;
        struct ovsdb_error *error;

        c = ovsdb_table_schema_find_column(op->table, name);
        if (!c) {
            return ovsdb_error("unknown column", "no column %s in table %s",
                               name, op->table->name);
        }
        if (use != ROW_MATCH && (c->index < OVSDB_N_IMPLICIT_COLUMNS ||
                                 (use == ROW_UPDATE && !c->mutable_))) {
            return ovsdb_error("constraint violation",
                               "cannot %s column %s of table %s",
                               use == ROW_UPDATE ? "update immutable" : "set",
                               name, op->table->name);
        }
        error =
            ovsdb_datum_from_json(&datum, &c->type, value, op->txn->symtab);
        if (error) {
            return error;
        }
        ovsdb_datum_destroy(&row->fields[c->index], &c->type);
        row->fields[c->index] = datum;
        if (columns) {
            bitmap_set(columns, c->index);
        }
    }
    return NULL;
}

static json_t *
count_result(size_t n)
{
    return json_pack("{s:I}", "count", (json_int_t)n);
}

/* ---- insert. ---- */

static struct ovsdb_error *
insert_uuid(struct op *op, struct uuid *uuid)
{
    const json_t *name = member(op, "uuid-name");
    const json_t *given = member(op, "uuid");
    struct ovsdb_txn *txn = op->txn;

    if (name && given) {
        return ovsdb_syntax_error(op->json, "\"uuid\" and \"uuid-name\" "
                                            "may not be combined");
    }
    if (given) {
        if (!json_is_string(given) ||
            !uuid_from_string(uuid, json_string_value(given))) {
            return ovsdb_syntax_error(given, "\"uuid\" must be a UUID");
        }
        if (ovsdb_txn_get(txn, op->idx, uuid)) {
            return ovsdb_error("duplicate uuid",
                               "row " UUID_FMT " already "
                               "exists in table %s",
                               UUID_ARGS(uuid), op->table->name);
        }
        return NULL;
    }
    if (!name) {
        uuid_generate(uuid);
        return NULL;
    }
    if (!json_is_string(name) ||
        !ovsdb_is_identifier(json_string_value(name))) {
        return ovsdb_syntax_error(name, "\"uuid-name\" must be an "
                                        "identifier");
    }
    for (size_t i = 0; i < txn->n_names; i++) {
        if (!strcmp(txn->names[i], json_string_value(name))) {
            return ovsdb_error("duplicate uuid-name",
                               "uuid-name %s is "
                               "already defined",
                               txn->names[i]);
        }
    }
    txn->names = xrealloc(txn->names, (txn->n_names + 1) * sizeof *txn->names);
    txn->names[txn->n_names++] = xstrdup(json_string_value(name));
    *uuid = *ovsdb_symbol_table_insert(txn->symtab, json_string_value(name));
    return NULL;
}

static json_t *
op_insert(struct op *op, struct ovsdb_error **errorp)
{
    const json_t *row_json = member(op, "row");
    char buf[UUID_LEN + 1];
    struct ovsdb_row *row;
    struct uuid uuid;

    *errorp = insert_uuid(op, &uuid);
    if (*errorp) {
        return NULL;
    }
    row = ovsdb_txn_insert(op->txn, op->idx, &uuid);
    if (row_json) {
        *errorp = parse_row(op, row_json, row, NULL, ROW_INSERT);
        if (*errorp) {
            return NULL;
        }
    }
    uuid_to_string(&uuid, buf);
    return json_pack("{s:[s,s]}", "uuid", "uuid", buf);
}

/* ---- select, update, mutate, delete. ---- */

static json_t *
op_select(struct op *op, struct ovsdb_error **errorp)
{
    const json_t *columns_json = member(op, "columns");
    unsigned long *columns = NULL;
    const struct ovsdb_row **rows;
    json_t *result;
    size_t n;

    if (columns_json) {
        *errorp = parse_columns(op->table, columns_json, &columns);
        if (*errorp) {
            return NULL;
        }
    }
    *errorp = query(op, &rows, &n);
    if (*errorp) {
        free(columns);
        return NULL;
    }
    result = json_array();
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(result, ovsdb_row_to_json(rows[i], columns));
    }
    free(rows);
    free(columns);
    return json_pack("{s:o}", "rows", result);
}

static json_t *
op_update(struct op *op, struct ovsdb_error **errorp)
{
    const struct ovsdb_row **rows = NULL;
    unsigned long *columns;
    const json_t *row_json;
    struct ovsdb_row *tmpl;
    struct uuid zero;
    size_t n = 0;

    uuid_zero(&zero);
    *errorp = required(op, "row", &row_json);
    if (*errorp) {
        return NULL;
    }
    tmpl = ovsdb_row_create(op->table, &zero);
    columns = bitmap_alloc(op->table->n_columns);
    *errorp = parse_row(op, row_json, tmpl, columns, ROW_UPDATE);
    if (!*errorp) {
        *errorp = query(op, &rows, &n);
    }
    for (size_t i = 0; i < n && !*errorp; i++) {
        struct ovsdb_row *w = ovsdb_txn_modify(op->txn, op->idx, rows[i]);

        for (size_t c = 0; c < op->table->n_columns; c++) {
            const struct ovsdb_type *type = &op->table->columns[c]->type;

            if (bitmap_is_set(columns, c)) {
                ovsdb_datum_destroy(&w->fields[c], type);
                ovsdb_datum_clone(&w->fields[c], &tmpl->fields[c], type);
            }
        }
    }
    free(rows);
    free(columns);
    ovsdb_row_unref(tmpl);
    return *errorp ? NULL : count_result(n);
}

static json_t *
op_mutate(struct op *op, struct ovsdb_error **errorp)
{
    const struct ovsdb_row **rows = NULL;
    struct ovsdb_mutation_set *set;
    const json_t *mutations;
    size_t n = 0;

    *errorp = required(op, "mutations", &mutations);
    if (*errorp) {
        return NULL;
    }
    *errorp =
        ovsdb_mutation_set_parse(op->table, mutations, op->txn->symtab, &set);
    if (*errorp) {
        return NULL;
    }
    *errorp = query(op, &rows, &n);
    for (size_t i = 0; i < n && !*errorp; i++) {
        struct ovsdb_row *w = ovsdb_txn_modify(op->txn, op->idx, rows[i]);

        *errorp = ovsdb_mutation_set_apply(set, w);
    }
    free(rows);
    ovsdb_mutation_set_destroy(set);
    return *errorp ? NULL : count_result(n);
}

static json_t *
op_delete(struct op *op, struct ovsdb_error **errorp)
{
    const struct ovsdb_row **rows;
    size_t n;

    *errorp = query(op, &rows, &n);
    if (*errorp) {
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        ovsdb_txn_delete(op->txn, op->idx, rows[i]);
    }
    free(rows);
    return count_result(n);
}

/* ---- wait. ---- */

static bool
rows_equal_on(const struct ovsdb_row *a, const struct ovsdb_row *b,
              const unsigned long *columns)
{
    for (size_t c = 0; c < a->table->n_columns; c++) {
        if (bitmap_is_set(columns, c) &&
            !ovsdb_datum_equals(&a->fields[c], &b->fields[c],
                                &a->table->columns[c]->type)) {
            return false;
        }
    }
    return true;
}

/* Do the rows 'have' equal the <row>s of array 'want' on 'columns',
 * ignoring order? */
static struct ovsdb_error *
wait_compare(struct op *op, const struct ovsdb_row **have, size_t n,
             const json_t *want, const unsigned long *columns, bool *equal)
{
    size_t n_want = json_array_size(want);
    bool *used = xcalloc(n + 1, sizeof *used);
    struct ovsdb_error *error = NULL;
    struct uuid zero;

    uuid_zero(&zero);
    *equal = n == n_want;
    for (size_t i = 0; i < n_want && !error; i++) {
        struct ovsdb_row *row = ovsdb_row_create(op->table, &zero);
        bool found = false;

        error = parse_row(op, json_array_get(want, i), row, NULL, ROW_MATCH);
        for (size_t j = 0; j < n && !error && !found; j++) {
            if (!used[j] && rows_equal_on(have[j], row, columns)) {
                used[j] = found = true;
            }
        }
        *equal &= found;
        ovsdb_row_unref(row);
    }
    free(used);
    return error;
}

static struct ovsdb_error *
wait_params(struct op *op, unsigned long **columnsp, const json_t **rowsp,
            bool *until_eq, long long *timeout)
{
    const json_t *columns, *until, *t = member(op, "timeout");
    struct ovsdb_error *error;

    *timeout = -1;
    if (t) {
        if (!json_is_integer(t) || json_integer_value(t) < 0) {
            return ovsdb_syntax_error(t, "\"timeout\" must be a "
                                         "non-negative integer");
        }
        *timeout = json_integer_value(t);
    }
    error = required(op, "until", &until);
    if (!error &&
        (!json_is_string(until) || (strcmp(json_string_value(until), "==") &&
                                    strcmp(json_string_value(until), "!=")))) {
        error = ovsdb_syntax_error(until, "\"until\" must be \"==\" or "
                                          "\"!=\"");
    }
    if (!error) {
        *until_eq = !strcmp(json_string_value(until), "==");
        error = required(op, "rows", rowsp);
    }
    if (!error && !json_is_array(*rowsp)) {
        error = ovsdb_syntax_error(*rowsp, "\"rows\" must be an array");
    }
    if (error) {
        return error;
    }
    columns = member(op, "columns");
    if (!columns) {
        /* Without "columns", rows are compared on every column. */
        *columnsp = bitmap_alloc(op->table->n_columns);
        for (size_t i = 0; i < op->table->n_columns; i++) {
            bitmap_set(*columnsp, i);
        }
        return NULL;
    }
    return parse_columns(op->table, columns, columnsp);
}

static json_t *
op_wait(struct op *op, struct ovsdb_error **errorp)
{
    const struct ovsdb_row **rows = NULL;
    unsigned long *columns = NULL;
    const json_t *want = NULL;
    long long timeout;
    bool until_eq = true, equal = false;
    size_t n = 0;

    *errorp = wait_params(op, &columns, &want, &until_eq, &timeout);
    if (!*errorp) {
        *errorp = query(op, &rows, &n);
    }
    if (!*errorp) {
        *errorp = wait_compare(op, rows, n, want, columns, &equal);
    }
    free(rows);
    free(columns);
    if (*errorp) {
        return NULL;
    }
    if (equal == until_eq) {
        return json_object();
    }
    if (timeout >= 0 && op->env->now - op->env->start_msec >= timeout) {
        *errorp = ovsdb_error("timed out",
                              "\"wait\" timed out after %lld "
                              "ms",
                              timeout);
        return NULL;
    }
    op->env->waiting = true;
    op->env->retry_msec =
        timeout >= 0 ? op->env->start_msec + timeout - op->env->now : -1;
    return NULL;
}

/* ---- commit, abort, comment, assert. ---- */

static json_t *
op_commit(struct op *op, struct ovsdb_error **errorp)
{
    const json_t *durable;

    *errorp = required(op, "durable", &durable);
    if (!*errorp && !json_is_boolean(durable)) {
        *errorp = ovsdb_syntax_error(durable, "\"durable\" must be a "
                                              "boolean");
    }
    /* Every commit is durable: the journal syncs before the reply. */
    return *errorp ? NULL : json_object();
}

static json_t *
op_abort(struct op *op TERN_UNUSED, struct ovsdb_error **errorp)
{
    *errorp = ovsdb_error("aborted", "aborted by request");
    return NULL;
}

static json_t *
op_comment(struct op *op, struct ovsdb_error **errorp)
{
    const json_t *comment;

    *errorp = required(op, "comment", &comment);
    if (!*errorp && !json_is_string(comment)) {
        *errorp = ovsdb_syntax_error(comment, "\"comment\" must be a "
                                              "string");
    }
    if (*errorp) {
        return NULL;
    }
    if (op->txn->comment.length) {
        ds_put_char(&op->txn->comment, '\n');
    }
    ds_put_cstr(&op->txn->comment, json_string_value(comment));
    return json_object();
}

static json_t *
op_assert(struct op *op, struct ovsdb_error **errorp)
{
    const struct ovsdb_execute_ctx *ctx = op->env->ctx;
    const json_t *lock;

    *errorp = required(op, "lock", &lock);
    if (!*errorp && !json_is_string(lock)) {
        *errorp = ovsdb_syntax_error(lock, "\"lock\" must be a string");
    }
    if (*errorp) {
        return NULL;
    }
    if (!ctx->has_lock || !ctx->has_lock(json_string_value(lock), ctx->aux)) {
        *errorp = ovsdb_error("not owner",
                              "this client does not own lock "
                              "%s",
                              json_string_value(lock));
        return NULL;
    }
    return json_object();
}

/* ---- Dispatch. ---- */

#define MEMBERS(...)                                                          \
    (const char *const[])                                                     \
    {                                                                         \
        "op", __VA_ARGS__, NULL                                               \
    }

static const struct op_def {
    const char *name;
    const char *const *members;
    bool has_table;
    bool writes;
    op_handler *handler;
} op_defs[] = {
    {"insert", MEMBERS("table", "row", "uuid-name", "uuid"), true, true,
     op_insert},
    {"select", MEMBERS("table", "where", "columns"), true, false, op_select},
    {"update", MEMBERS("table", "where", "row"), true, true, op_update},
    {"mutate", MEMBERS("table", "where", "mutations"), true, true, op_mutate},
    {"delete", MEMBERS("table", "where"), true, true, op_delete},
    {"wait", MEMBERS("table", "where", "columns", "until", "rows", "timeout"),
     true, false, op_wait},
    {"commit", MEMBERS("durable"), false, false, op_commit},
    {"abort", MEMBERS(NULL), false, false, op_abort},
    {"comment", MEMBERS("comment"), false, false, op_comment},
    {"assert", MEMBERS("lock"), false, false, op_assert},
};

static struct ovsdb_error *
check_op_members(const json_t *json, const struct op_def *def)
{
    const char *name;
    json_t *value;

    json_object_foreach((json_t *)json, name, value)
    {
        const char *const *m;

        for (m = def->members; *m; m++) {
            if (!strcmp(*m, name)) {
                break;
            }
        }
        if (!*m) {
            return ovsdb_syntax_error(json,
                                      "\"%s\" operation has unknown "
                                      "member \"%s\"",
                                      def->name, name);
        }
    }
    return NULL;
}

static const struct op_def *
find_op(const json_t *json, struct ovsdb_error **errorp)
{
    const json_t *name = json_object_get(json, "op");

    if (!json_is_object(json) || !json_is_string(name)) {
        *errorp = ovsdb_syntax_error(json, "an operation must be an object "
                                           "with a string \"op\"");
        return NULL;
    }
    for (size_t i = 0; i < ARRAY_SIZE(op_defs); i++) {
        if (!strcmp(op_defs[i].name, json_string_value(name))) {
            *errorp = check_op_members(json, &op_defs[i]);
            return *errorp ? NULL : &op_defs[i];
        }
    }
    *errorp = ovsdb_syntax_error(json, "no operation \"%s\"",
                                 json_string_value(name));
    return NULL;
}

json_t *
ovsdb_ops_execute(struct ovsdb_txn *txn, const json_t *json,
                  struct ovsdb_ops_env *env, struct ovsdb_error **errorp)
{
    struct op op = {.txn = txn, .json = json, .env = env};
    const struct op_def *def;

    *errorp = NULL;
    def = find_op(json, errorp);
    if (!def) {
        return NULL;
    }
    if (def->writes && env->ctx->read_only) {
        *errorp = ovsdb_error("not allowed",
                              "\"%s\" is not allowed in a "
                              "read-only transaction",
                              def->name);
        return NULL;
    }
    if (def->has_table) {
        *errorp = parse_table(&op);
        if (*errorp) {
            return NULL;
        }
    }
    return def->handler(&op, errorp);
}
