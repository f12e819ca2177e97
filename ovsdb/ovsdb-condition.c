/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ovsdb-condition: the <condition>s of RFC 7047 section 5.1 — [column,
 * function, value] with the functions <, <=, ==, !=, >=, >, includes and
 * excludes — parsed against a table schema and evaluated against rows.  A
 * "where" array is the conjunction of its conditions; the JSON booleans
 * true and false are accepted as conditions too (monitor_cond uses them).
 *
 * Type rules: the ordering functions apply only to integer and real columns
 * holding at most one value; == and != compare whole values; includes and
 * excludes take any number of elements of the column's type.  Values are
 * parsed without the column's constraints (a comparison with an
 * out-of-range value is false, not an error) and "named-uuid"s resolve
 * through the transaction's symbol table.
 */
#include <config.h>

#include <stdlib.h>

#include "ovsdb/ovsdb-private.h"

enum clause_function {
    F_LT,
    F_LE,
    F_EQ,
    F_NE,
    F_GE,
    F_GT,
    F_INCLUDES,
    F_EXCLUDES,
    F_TRUE,
    F_FALSE,
};

static const struct {
    const char *name;
    enum clause_function function;
    bool ordering; /* Only for numeric columns with at most one value. */
} functions[] = {
    {"<", F_LT, true},
    {"<=", F_LE, true},
    {"==", F_EQ, false},
    {"!=", F_NE, false},
    {">=", F_GE, true},
    {">", F_GT, true},
    {"includes", F_INCLUDES, false},
    {"excludes", F_EXCLUDES, false},
};

struct clause {
    enum clause_function function;
    const struct ovsdb_column_schema *column; /* NULL for F_TRUE/F_FALSE. */
    struct ovsdb_type type;                   /* Of 'arg'. */
    struct ovsdb_datum arg;
};

struct ovsdb_condition {
    size_t n;
    struct clause *clauses;
};

/* Copies 'src' into 'dst' without enum, range and length constraints and
 * with counts n_min..n_max.  The caller destroys 'dst'. */
void
ovsdb_type_relaxed(struct ovsdb_type *dst, const struct ovsdb_type *src,
                   unsigned int n_min, unsigned int n_max)
{
    const struct ovsdb_base_type *bases[2] = {&src->key, &src->value};
    struct ovsdb_base_type *out[2] = {&dst->key, &dst->value};

    for (int i = 0; i < 2; i++) {
        ovsdb_base_type_init(out[i], bases[i]->type);
        if (bases[i]->ref_table_name) {
            out[i]->ref_table_name = xstrdup(bases[i]->ref_table_name);
        }
        out[i]->ref_table = bases[i]->ref_table;
        out[i]->ref_type = bases[i]->ref_type;
    }
    dst->n_min = n_min;
    dst->n_max = n_max;
}

static bool
is_numeric_optional(const struct ovsdb_type *t)
{
    return !ovsdb_type_is_map(t) && t->n_max == 1 &&
           (t->key.type == OVSDB_TYPE_INTEGER ||
            t->key.type == OVSDB_TYPE_REAL);
}

static struct ovsdb_error *
clause_from_json(const struct ovsdb_table_schema *t, const json_t *json,
                 struct ovsdb_symbol_table *symtab, struct clause *clause)
{
    const json_t *column = json_array_get(json, 0);
    const json_t *function = json_array_get(json, 1);
    size_t i;

    if (json_is_boolean(json)) {
        clause->function = json_is_true(json) ? F_TRUE : F_FALSE;
        return NULL;
    }
    if (!json_is_array(json) || json_array_size(json) != 3 ||
        !json_is_string(column) || !json_is_string(function)) {
        return ovsdb_syntax_error(json, "a condition must be [column, "
                                        "function, value]");
    }
    clause->column =
        ovsdb_table_schema_find_column(t, json_string_value(column));
    if (!clause->column) {
        return ovsdb_error("unknown column", "no column %s in table %s",
                           json_string_value(column), t->name);
    }
    for (i = 0; i < ARRAY_SIZE(functions); i++) {
        if (!strcmp(functions[i].name, json_string_value(function))) {
            break;
        }
    }
    if (i == ARRAY_SIZE(functions)) {
        return ovsdb_syntax_error(json, "unknown function \"%s\"",
                                  json_string_value(function));
    }
    clause->function = functions[i].function;
    if (functions[i].ordering) {
        if (!is_numeric_optional(&clause->column->type)) {
            return ovsdb_syntax_error(json,
                                      "type mismatch: \"%s\" does not "
                                      "apply to column %s",
                                      functions[i].name, clause->column->name);
        }
        ovsdb_type_relaxed(&clause->type, &clause->column->type, 1, 1);
    } else {
        ovsdb_type_relaxed(&clause->type, &clause->column->type, 0,
                           OVSDB_N_MAX_UNLIMITED);
    }
    return ovsdb_datum_from_json(&clause->arg, &clause->type,
                                 json_array_get(json, 2), symtab);
}

/* Parses the "where" array 'json' for table 't'.  On success *condp owns a
 * new condition (destroy it with ovsdb_condition_destroy()). */
struct ovsdb_error *
ovsdb_condition_parse(const struct ovsdb_table_schema *t, const json_t *json,
                      struct ovsdb_symbol_table *symtab,
                      struct ovsdb_condition **condp)
{
    struct ovsdb_condition *cond;

    *condp = NULL;
    if (!json_is_array(json)) {
        return ovsdb_syntax_error(json, "\"where\" must be an array of "
                                        "conditions");
    }
    cond = xzalloc(sizeof *cond);
    cond->clauses = xcalloc(json_array_size(json) + 1, sizeof *cond->clauses);
    for (size_t i = 0; i < json_array_size(json); i++) {
        struct clause *clause = &cond->clauses[i];
        struct ovsdb_error *error;

        ovsdb_datum_init_empty(&clause->arg);
        ovsdb_base_type_init(&clause->type.key, OVSDB_TYPE_VOID);
        ovsdb_base_type_init(&clause->type.value, OVSDB_TYPE_VOID);
        cond->n++;
        error = clause_from_json(t, json_array_get(json, i), symtab, clause);
        if (error) {
            ovsdb_condition_destroy(cond);
            return error;
        }
    }
    *condp = cond;
    return NULL;
}

struct ovsdb_error *
ovsdb_condition_from_json(const struct ovsdb_table_schema *t,
                          const json_t *json, struct ovsdb_condition **condp)
{
    return ovsdb_condition_parse(t, json, NULL, condp);
}

void
ovsdb_condition_destroy(struct ovsdb_condition *cond)
{
    if (!cond) {
        return;
    }
    for (size_t i = 0; i < cond->n; i++) {
        ovsdb_datum_destroy(&cond->clauses[i].arg, &cond->clauses[i].type);
        ovsdb_type_destroy(&cond->clauses[i].type);
    }
    free(cond->clauses);
    free(cond);
}

/* Is element 'i' of 'arg' (a key, or a key-value pair for maps) in
 * 'field'? */
static bool
datum_contains(const struct ovsdb_datum *field, const struct ovsdb_datum *arg,
               size_t i, const struct ovsdb_type *type)
{
    size_t j = ovsdb_datum_find_key(field, &arg->keys[i], type->key.type);

    if (j == SIZE_MAX) {
        return false;
    }
    return !ovsdb_type_is_map(type) ||
           !ovsdb_atom_compare(&field->values[j], &arg->values[i],
                               type->value.type);
}

static bool
clause_evaluate(const struct clause *clause, const struct ovsdb_row *row)
{
    const struct ovsdb_type *type;
    const struct ovsdb_datum *field;
    int cmp;

    if (clause->function == F_TRUE || clause->function == F_FALSE) {
        return clause->function == F_TRUE;
    }
    type = &clause->column->type;
    field = &row->fields[clause->column->index];
    switch (clause->function) {
    case F_EQ:
        return ovsdb_datum_equals(field, &clause->arg, type);
    case F_NE:
        return !ovsdb_datum_equals(field, &clause->arg, type);
    case F_INCLUDES:
        for (size_t i = 0; i < clause->arg.n; i++) {
            if (!datum_contains(field, &clause->arg, i, type)) {
                return false;
            }
        }
        return true;
    case F_EXCLUDES:
        for (size_t i = 0; i < clause->arg.n; i++) {
            if (datum_contains(field, &clause->arg, i, type)) {
                return false;
            }
        }
        return true;
    case F_LT:
    case F_LE:
    case F_GE:
    case F_GT:
    case F_TRUE:
    case F_FALSE:
    default:
        break;
    }
    if (field->n != 1) {
        return false;
    }
    cmp = ovsdb_atom_compare(&field->keys[0], &clause->arg.keys[0],
                             type->key.type);
    return clause->function == F_LT   ? cmp < 0
           : clause->function == F_LE ? cmp <= 0
           : clause->function == F_GE ? cmp >= 0
                                      : cmp > 0;
}

/* True if 'row' satisfies every clause of 'cond' (true for none). */
bool
ovsdb_condition_evaluate(const struct ovsdb_condition *cond,
                         const struct ovsdb_row *row)
{
    for (size_t i = 0; i < cond->n; i++) {
        if (!clause_evaluate(&cond->clauses[i], row)) {
            return false;
        }
    }
    return true;
}

bool
ovsdb_condition_get_uuid(const struct ovsdb_condition *cond, struct uuid *uuid)
{
    for (size_t i = 0; i < cond->n; i++) {
        const struct clause *clause = &cond->clauses[i];

        if (clause->function == F_EQ && clause->column &&
            clause->column->index == OVSDB_COL_UUID && clause->arg.n == 1) {
            *uuid = clause->arg.keys[0].uuid;
            return true;
        }
    }
    return false;
}
