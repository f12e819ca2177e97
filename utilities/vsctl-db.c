/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vsctl-db: tern-vsctl's database commands — list, find, get, set, add,
 * remove, clear, create, destroy, wait-until and comment — which work on
 * any table of the snapshot (vsctl-idl.c) with ovs-vsctl's syntax for
 * columns, keys, values and conditions.  The bridge commands reuse the
 * column setting ("COLUMN[:KEY]=VALUE") from here.
 */
#include <config.h>

#include <ctype.h>
#include <stdlib.h>

#include "lib/vlog.h"
#include "utilities/vsctl-private.h"

VLOG_DEFINE_THIS_MODULE(vsctl_db);

struct vsctl_symbol *
vsctl_symbol(struct vsctl_db *db, const char *name)
{
    struct vsctl_symbol *sym;

    for (size_t i = 0; i < db->n_symbols; i++) {
        if (!strcmp(db->symbols[i].name, name)) {
            return &db->symbols[i];
        }
    }
    db->symbols =
        xrealloc(db->symbols, (db->n_symbols + 1) * sizeof *db->symbols);
    sym = &db->symbols[db->n_symbols++];
    sym->name = xstrdup(name);
    uuid_generate(&sym->uuid);
    sym->created = false;
    return sym;
}

/* Copies 'text' replacing each unquoted "@name" by the UUID it stands
 * for.  Returns a new string (caller frees). */
static char *
resolve_symbols__(struct vsctl_db *db, const char *text)
{
    struct ds out = DS_EMPTY;
    bool quoted = false;

    for (const char *p = text; *p; p++) {
        if (quoted) {
            if (*p == '\\' && p[1]) {
                ds_put_char(&out, *p++);
            } else if (*p == '"') {
                quoted = false;
            }
            ds_put_char(&out, *p);
        } else if (*p == '"') {
            quoted = true;
            ds_put_char(&out, *p);
        } else if (*p == '@') {
            size_t len = 1 + strspn(p + 1, "abcdefghijklmnopqrstuvwxyz"
                                           "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                           "0123456789_-.");
            char *name = xmemdup(p, len + 1);
            char s[UUID_LEN + 1];

            name[len] = '\0';
            uuid_to_string(&vsctl_symbol(db, name)->uuid, s);
            ds_put_cstr(&out, s);
            free(name);
            p += len - 1;
        } else {
            ds_put_char(&out, *p);
        }
    }
    return ds_steal_cstr(&out);
}

void
vsctl_parse_datum(struct vsctl_db *db, struct ovsdb_datum *datum,
                  const struct ovsdb_type *type, const char *text)
{
    bool uuids = type->key.type == OVSDB_TYPE_UUID ||
                 type->value.type == OVSDB_TYPE_UUID;
    char *resolved = uuids ? resolve_symbols__(db, text) : xstrdup(text);
    char *error = ovsdb_datum_from_string(datum, type, resolved, NULL);

    free(resolved);
    if (error) {
        vsctl_fatal("%s", error);
    }
}

void
vsctl_parse_atom(struct vsctl_db *db, union ovsdb_atom *atom,
                 const struct ovsdb_base_type *base, const char *text)
{
    char *resolved = base->type == OVSDB_TYPE_UUID
                         ? resolve_symbols__(db, text)
                         : xstrdup(text);
    char *error = ovsdb_atom_from_string(atom, base, resolved, NULL);

    free(resolved);
    if (error) {
        vsctl_fatal("%s", error);
    }
}

/* Length of a key that starts at 's': a quoted string or everything up to
 * one of 'stop'. */
static size_t
key_length__(const char *s, const char *stop)
{
    if (*s == '"') {
        const char *p = s + 1;
        while (*p && *p != '"') {
            p += p[0] == '\\' && p[1] ? 2 : 1;
        }
        return p - s + (*p == '"');
    }
    return strcspn(s, stop);
}

int
vsctl_parse_column_key_value(const struct vsctl_table *table, const char *arg,
                             const char *const *ops, size_t *colp, char **keyp,
                             char **valuep)
{
    const char *stop = ops ? ":=!<>{" : ":";
    size_t len = strcspn(arg, stop);
    const char *p = arg + len;
    char *name = xmemdup(arg, len + 1);

    name[len] = '\0';
    *keyp = *valuep = NULL;
    if (!len) {
        vsctl_fatal("%s: missing column name", arg);
    }
    *colp = vsctl_get_column(table, name);
    free(name);
    if (*p == ':') {
        size_t klen = ops ? key_length__(p + 1, "=!<>{") : strlen(p + 1);
        *keyp = xmemdup(p + 1, klen + 1);
        (*keyp)[klen] = '\0';
        p += 1 + klen;
    }
    if (!ops) {
        return -1;
    }
    for (int i = 0; ops[i]; i++) {
        size_t olen = strlen(ops[i]);
        if (!strncmp(p, ops[i], olen)) {
            *valuep = xstrdup(p + olen);
            return i;
        }
    }
    free(*keyp);
    *keyp = NULL;
    vsctl_fatal("%s: argument does not end in \"%s\" followed by a value.",
                arg, ops[0]);
}

static void
check_mutable(const struct vsctl_row *row, size_t col)
{
    if (!row->inserted && !row->table->columns[col].mutable_) {
        vsctl_fatal("cannot modify read-only column %s in table %s",
                    row->table->columns[col].name, row->table->name);
    }
    if (col == 0) {
        vsctl_fatal("cannot modify column _uuid in table %s",
                    row->table->name);
    }
}

/* Sets key 'key_text' of map column 'col' to 'value_text'. */
static void
set_map_key__(struct vsctl_db *db, struct vsctl_row *row, size_t col,
              const char *key_text, const char *value_text)
{
    const struct ovsdb_type *type = &row->table->columns[col].type;
    struct ovsdb_type key_type = *type;
    union ovsdb_atom key, value;
    struct ovsdb_datum keys = {1, &key, NULL}, pair = {1, &key, &value};
    struct ovsdb_datum copy;

    if (!ovsdb_type_is_map(type)) {
        vsctl_fatal("cannot specify key to set for non-map column %s",
                    row->table->columns[col].name);
    }
    key_type.value.type = OVSDB_TYPE_VOID;
    vsctl_parse_atom(db, &key, &type->key, key_text);
    vsctl_parse_atom(db, &value, &type->value, value_text);
    ovsdb_datum_clone(&copy, &row->cur[col], type);
    ovsdb_datum_subtract(&copy, type, &keys, &key_type);
    ovsdb_datum_union(&copy, &pair, type);
    vsctl_row_set(row, col, &copy);
    ovsdb_atom_destroy(&key, type->key.type);
    ovsdb_atom_destroy(&value, type->value.type);
}

void
vsctl_set_column(struct vsctl_db *db, struct vsctl_row *row, const char *arg)
{
    static const char *const ops[] = {"=", NULL};
    char *key, *value;
    size_t col;

    vsctl_parse_column_key_value(row->table, arg, ops, &col, &key, &value);
    check_mutable(row, col);
    if (key) {
        set_map_key__(db, row, col, key, value);
    } else {
        struct ovsdb_datum datum;
        vsctl_parse_datum(db, &datum, &row->table->columns[col].type, value);
        vsctl_row_set(row, col, &datum);
    }
    free(key);
    free(value);
}

/* Parses a --columns value into column indexes (all if 'spec' is NULL). */
static size_t *
parse_columns__(const struct vsctl_table *table, const char *spec, size_t *n)
{
    size_t *cols = xcalloc(table->n_columns + 1, sizeof *cols);
    char *copy, *save = NULL;

    *n = 0;
    if (!spec) {
        for (size_t i = 0; i < table->n_columns; i++) {
            cols[(*n)++] = i;
        }
        return cols;
    }
    copy = xstrdup(spec);
    for (char *t = strtok_r(copy, ", ", &save); t;
         t = strtok_r(NULL, ", ", &save)) {
        cols = xrealloc(cols, (*n + 1) * sizeof *cols);
        cols[(*n)++] = vsctl_get_column(table, t);
    }
    free(copy);
    return cols;
}

/* Starts the output table of list/find. */
static void
start_table__(struct vsctl_ctx *ctx, const struct vsctl_table *table,
              size_t **cols, size_t *n)
{
    *cols = parse_columns__(table, vsctl_option_value(ctx, "--columns"), n);
    ctx->cmd->table = vsctl_out_table_create();
    for (size_t i = 0; i < *n; i++) {
        vsctl_out_table_add_heading(ctx->cmd->table,
                                    table->columns[(*cols)[i]].name);
    }
}

static void
add_table_row__(struct vsctl_ctx *ctx, const struct vsctl_row *row,
                const size_t *cols, size_t n)
{
    vsctl_out_table_add_row(ctx->cmd->table);
    for (size_t i = 0; i < n; i++) {
        vsctl_out_table_add_datum(ctx->cmd->table, &row->cur[cols[i]],
                                  &row->table->columns[cols[i]].type);
    }
}

static void
cmd_list(struct vsctl_ctx *ctx)
{
    const struct vsctl_table *table =
        vsctl_get_table(ctx->db, ctx->cmd->argv[1]);
    bool must_exist = !vsctl_has_option(ctx, "--if-exists");
    size_t *cols, n;

    start_table__(ctx, table, &cols, &n);
    if (ctx->cmd->argc > 2) {
        for (int i = 2; i < ctx->cmd->argc; i++) {
            const struct vsctl_row *row =
                vsctl_get_row(ctx->db, table, ctx->cmd->argv[i], must_exist);
            if (row) {
                add_table_row__(ctx, row, cols, n);
            }
        }
    } else {
        for (size_t r = 0; r < table->n_rows; r++) {
            if (!table->rows[r]->deleted) {
                add_table_row__(ctx, table->rows[r], cols, n);
            }
        }
    }
    free(cols);
}

/* Whether every element (pair for maps) of 'a' is in 'b'. */
static bool
is_subset__(const struct ovsdb_datum *a, const struct ovsdb_datum *b,
            const struct ovsdb_type *type)
{
    for (size_t i = 0; i < a->n; i++) {
        size_t j = ovsdb_datum_find_key(b, &a->keys[i], type->key.type);
        if (j == SIZE_MAX || (ovsdb_type_is_map(type) &&
                              ovsdb_atom_compare(&a->values[i], &b->values[j],
                                                 type->value.type))) {
            return false;
        }
    }
    return true;
}

static bool
is_disjoint__(const struct ovsdb_datum *a, const struct ovsdb_datum *b,
              const struct ovsdb_type *type)
{
    for (size_t i = 0; i < a->n; i++) {
        if (ovsdb_datum_find_key(b, &a->keys[i], type->key.type) != SIZE_MAX) {
            return false;
        }
    }
    return true;
}

static const char *const condition_ops[] = {
    "{not-in}", "{in}", "{!=}", "{<=}", "{>=}", "{=}", "{<}", "{>}",
    "!=",       "<=",   ">=",   "=",    "<",    ">",   NULL,
};

/* Applies operator 'op' (index in condition_ops) to 'a' and 'b'. */
static bool
apply_op__(int op, const struct ovsdb_datum *a, const struct ovsdb_datum *b,
           const struct ovsdb_type *type)
{
    bool eq = ovsdb_datum_equals(a, b, type);

    switch (op) {
    case 0:
        return is_disjoint__(a, b, type);
    case 1:
    case 3:
        return is_subset__(a, b, type);
    case 2:
        return !eq;
    case 4:
        return is_subset__(b, a, type);
    case 5:
        return eq;
    case 6:
        return !eq && is_subset__(a, b, type);
    case 7:
        return !eq && is_subset__(b, a, type);
    case 8:
        return ovsdb_datum_compare(a, b, type) != 0;
    case 9:
        return ovsdb_datum_compare(a, b, type) <= 0;
    case 10:
        return ovsdb_datum_compare(a, b, type) >= 0;
    case 11:
        return ovsdb_datum_compare(a, b, type) == 0;
    case 12:
        return ovsdb_datum_compare(a, b, type) < 0;
    default:
        return ovsdb_datum_compare(a, b, type) > 0;
    }
}

/* Evaluates the find/wait-until condition 'arg' on 'row'. */
static bool
evaluate_condition(struct vsctl_db *db, const struct vsctl_row *row,
                   const char *arg)
{
    const struct vsctl_table *table = row->table;
    struct ovsdb_datum want, have_key, *have = &have_key;
    struct ovsdb_type type;
    char *key, *value;
    size_t col;
    bool result;
    int op;

    op = vsctl_parse_column_key_value(table, arg, condition_ops, &col, &key,
                                      &value);
    ovsdb_type_clone(&type, &table->columns[col].type);
    ovsdb_datum_init_empty(&have_key);
    if (key) {
        union ovsdb_atom k;
        size_t idx;

        if (!ovsdb_type_is_map(&type)) {
            vsctl_fatal("cannot specify key to check for non-map column %s",
                        table->columns[col].name);
        }
        vsctl_parse_atom(db, &k, &type.key, key);
        idx = ovsdb_datum_find_key(&row->cur[col], &k, type.key.type);
        ovsdb_atom_destroy(&k, type.key.type);
        ovsdb_base_type_destroy(&type.key);
        type.key = type.value;
        ovsdb_base_type_init(&type.value, OVSDB_TYPE_VOID);
        if (idx != SIZE_MAX) {
            struct ovsdb_datum one = {1, &row->cur[col].values[idx], NULL};
            ovsdb_datum_clone(&have_key, &one, &type);
        } else if (op >= 8) {
            /* Arithmetic operators never match a missing key. */
            ovsdb_type_destroy(&type);
            free(key);
            free(value);
            return false;
        }
    } else {
        have = &row->cur[col];
    }
    type.n_min = 0;
    type.n_max = OVSDB_N_MAX_UNLIMITED;
    vsctl_parse_datum(db, &want, &type, value);
    result = apply_op__(op, have, &want, &type);
    ovsdb_datum_destroy(&want, &type);
    ovsdb_datum_destroy(&have_key, &type);
    ovsdb_type_destroy(&type);
    free(key);
    free(value);
    return result;
}

static void
cmd_find(struct vsctl_ctx *ctx)
{
    const struct vsctl_table *table =
        vsctl_get_table(ctx->db, ctx->cmd->argv[1]);
    size_t *cols, n;

    start_table__(ctx, table, &cols, &n);
    for (size_t r = 0; r < table->n_rows; r++) {
        const struct vsctl_row *row = table->rows[r];
        bool match = !row->deleted;

        for (int i = 2; match && i < ctx->cmd->argc; i++) {
            match = evaluate_condition(ctx->db, row, ctx->cmd->argv[i]);
        }
        if (match) {
            add_table_row__(ctx, row, cols, n);
        }
    }
    free(cols);
}

/* Handles --id=@name of get and create: the symbol it defines. */
static struct vsctl_symbol *
id_symbol__(struct vsctl_ctx *ctx)
{
    const char *id = vsctl_option_value(ctx, "--id");
    struct vsctl_symbol *sym;

    if (!id) {
        return NULL;
    }
    if (id[0] != '@') {
        vsctl_fatal("row id \"%s\" does not begin with \"@\"", id);
    }
    sym = vsctl_symbol(ctx->db, id);
    if (sym->created) {
        vsctl_fatal("row id \"%s\" may only be specified on one --id option",
                    id);
    }
    sym->created = true;
    return sym;
}

/* Prints one "COLUMN[:KEY]" of get. */
static void
get_column__(struct vsctl_ctx *ctx, const struct vsctl_row *row,
             const char *arg)
{
    const struct vsctl_table *table = row->table;
    char *key, *value;
    size_t col;

    vsctl_parse_column_key_value(table, arg, NULL, &col, &key, &value);
    if (key) {
        const struct ovsdb_type *type = &table->columns[col].type;
        union ovsdb_atom k;
        size_t idx;

        if (!ovsdb_type_is_map(type)) {
            vsctl_fatal("cannot specify key to get for non-map column %s",
                        table->columns[col].name);
        }
        vsctl_parse_atom(ctx->db, &k, &type->key, key);
        idx = ovsdb_datum_find_key(&row->cur[col], &k, type->key.type);
        ovsdb_atom_destroy(&k, type->key.type);
        if (idx != SIZE_MAX) {
            ovsdb_atom_to_string(&row->cur[col].values[idx], type->value.type,
                                 ctx->out);
        } else if (!vsctl_has_option(ctx, "--if-exists")) {
            vsctl_fatal("no key \"%s\" in %s record \"%s\" column %s", key,
                        table->name, ctx->cmd->argv[2],
                        table->columns[col].name);
        }
    } else {
        ovsdb_datum_to_string(&row->cur[col], &table->columns[col].type,
                              ctx->out);
    }
    ds_put_char(ctx->out, '\n');
    free(key);
}

static void
cmd_get(struct vsctl_ctx *ctx)
{
    bool if_exists = vsctl_has_option(ctx, "--if-exists");
    const struct vsctl_table *table;
    const struct vsctl_row *row;
    struct vsctl_symbol *sym;

    if (if_exists && vsctl_option_value(ctx, "--id")) {
        vsctl_fatal("--if-exists and --id may not be specified together");
    }
    table = vsctl_get_table(ctx->db, ctx->cmd->argv[1]);
    row = vsctl_get_row(ctx->db, table, ctx->cmd->argv[2], !if_exists);
    if (!row) {
        return;
    }
    sym = id_symbol__(ctx);
    if (sym) {
        sym->uuid = row->uuid;
    }
    for (int i = 3; i < ctx->cmd->argc; i++) {
        get_column__(ctx, row, ctx->cmd->argv[i]);
    }
}

/* The row of "TABLE RECORD ..." commands, or NULL with --if-exists. */
static struct vsctl_row *
command_row__(struct vsctl_ctx *ctx)
{
    const struct vsctl_table *table =
        vsctl_get_table(ctx->db, ctx->cmd->argv[1]);
    return vsctl_get_row(ctx->db, table, ctx->cmd->argv[2],
                         !vsctl_has_option(ctx, "--if-exists"));
}

static void
cmd_set(struct vsctl_ctx *ctx)
{
    struct vsctl_row *row = command_row__(ctx);

    for (int i = 3; row && i < ctx->cmd->argc; i++) {
        vsctl_set_column(ctx->db, row, ctx->cmd->argv[i]);
    }
}

/* add and remove: 'remove' false/true. */
static void
add_remove__(struct vsctl_ctx *ctx, bool remove)
{
    struct vsctl_row *row = command_row__(ctx);
    const struct ovsdb_type *type;
    struct ovsdb_type any;
    struct ovsdb_datum result;
    size_t col;

    if (!row) {
        return;
    }
    col = vsctl_get_column(row->table, ctx->cmd->argv[3]);
    check_mutable(row, col);
    type = &row->table->columns[col].type;
    ovsdb_type_clone(&any, type);
    any.n_min = 0;
    any.n_max = OVSDB_N_MAX_UNLIMITED;
    ovsdb_datum_clone(&result, &row->cur[col], type);
    for (int i = 4; i < ctx->cmd->argc; i++) {
        const char *arg = ctx->cmd->argv[i];
        struct ovsdb_datum d;

        if (!remove) {
            vsctl_parse_datum(ctx->db, &d, &any, arg);
            ovsdb_datum_union(&result, &d, type);
            ovsdb_datum_destroy(&d, &any);
            continue;
        }
        if (ovsdb_type_is_map(type) && !strchr(arg, '=')) { /* Keys only. */
            struct ovsdb_type keys = any;
            keys.value.type = OVSDB_TYPE_VOID;
            vsctl_parse_datum(ctx->db, &d, &keys, arg);
            ovsdb_datum_subtract(&result, type, &d, &keys);
            ovsdb_datum_destroy(&d, &keys);
        } else {
            vsctl_parse_datum(ctx->db, &d, &any, arg);
            ovsdb_datum_subtract(&result, type, &d, &any);
            ovsdb_datum_destroy(&d, &any);
        }
    }
    if (result.n < type->n_min) {
        vsctl_fatal("\"remove\" operation would put %zu values in column %s "
                    "of table %s but the minimum number is %u",
                    result.n, row->table->columns[col].name, row->table->name,
                    type->n_min);
    }
    vsctl_row_set(row, col, &result);
    ovsdb_type_destroy(&any);
}

static void
cmd_add(struct vsctl_ctx *ctx)
{
    add_remove__(ctx, false);
}

static void
cmd_remove(struct vsctl_ctx *ctx)
{
    add_remove__(ctx, true);
}

static void
cmd_clear(struct vsctl_ctx *ctx)
{
    struct vsctl_row *row = command_row__(ctx);

    for (int i = 3; row && i < ctx->cmd->argc; i++) {
        size_t col = vsctl_get_column(row->table, ctx->cmd->argv[i]);
        const struct vsctl_column *c = &row->table->columns[col];
        struct ovsdb_datum empty;

        check_mutable(row, col);
        if (c->type.n_min > 0) {
            vsctl_fatal("\"clear\" operation cannot be applied to column %s "
                        "of table %s, which is not allowed to be empty",
                        c->name, row->table->name);
        }
        ovsdb_datum_init_empty(&empty);
        vsctl_row_set(row, col, &empty);
    }
}

static void
cmd_create(struct vsctl_ctx *ctx)
{
    struct vsctl_table *table = vsctl_get_table(ctx->db, ctx->cmd->argv[1]);
    struct vsctl_symbol *sym = id_symbol__(ctx);
    struct vsctl_row *row;
    char s[UUID_LEN + 1];

    if (!sym && !table->is_root) {
        VLOG_WARN("applying \"create\" command to table %s without --id "
                  "option will have no effect",
                  table->name);
    }
    row = vsctl_row_insert(table, sym ? &sym->uuid : NULL);
    for (int i = 2; i < ctx->cmd->argc; i++) {
        vsctl_set_column(ctx->db, row, ctx->cmd->argv[i]);
    }
    uuid_to_string(&row->uuid, s);
    ds_put_format(ctx->out, "%s\n", s);
}

static void
cmd_destroy(struct vsctl_ctx *ctx)
{
    struct vsctl_table *table = vsctl_get_table(ctx->db, ctx->cmd->argv[1]);
    bool must_exist = !vsctl_has_option(ctx, "--if-exists");
    bool all = vsctl_has_option(ctx, "--all");

    if (all && ctx->cmd->argc > 2) {
        vsctl_fatal("--all and records argument should not be specified "
                    "together");
    } else if (!all && ctx->cmd->argc < 3) {
        vsctl_fatal("either --all or records argument should be specified");
    }
    for (size_t r = 0; all && r < table->n_rows; r++) {
        vsctl_row_delete(table->rows[r]);
    }
    for (int i = 2; i < ctx->cmd->argc; i++) {
        struct vsctl_row *row =
            vsctl_get_row(ctx->db, table, ctx->cmd->argv[i], must_exist);
        if (row) {
            vsctl_row_delete(row);
        }
    }
}

static void
cmd_wait_until(struct vsctl_ctx *ctx)
{
    const struct vsctl_table *table =
        vsctl_get_table(ctx->db, ctx->cmd->argv[1]);
    const struct vsctl_row *row =
        vsctl_get_row(ctx->db, table, ctx->cmd->argv[2], false);

    if (!row) {
        ctx->try_again = true;
        return;
    }
    for (int i = 3; i < ctx->cmd->argc; i++) {
        if (!evaluate_condition(ctx->db, row, ctx->cmd->argv[i])) {
            ctx->try_again = true;
            return;
        }
    }
}

static void
cmd_comment(struct vsctl_ctx *ctx TERN_UNUSED)
{
    /* The command line goes into the transaction's comment anyway. */
}

const struct vsctl_command_syntax vsctl_db_commands[] = {
    {"list", 1, -1, "--if-exists,--columns=", cmd_list, true},
    {"find", 1, -1, "--columns=", cmd_find, true},
    {"get", 2, -1, "--if-exists,--id=", cmd_get, true},
    {"set", 3, -1, "--if-exists", cmd_set, false},
    {"add", 4, -1, "--if-exists", cmd_add, false},
    {"remove", 4, -1, "--if-exists", cmd_remove, false},
    {"clear", 3, -1, "--if-exists", cmd_clear, false},
    {"create", 2, -1, "--id=", cmd_create, false},
    {"destroy", 1, -1, "--if-exists,--all", cmd_destroy, false},
    {"wait-until", 2, -1, NULL, cmd_wait_until, true},
    {"comment", 0, -1, NULL, cmd_comment, true},
    {NULL, 0, 0, NULL, NULL, false},
};
