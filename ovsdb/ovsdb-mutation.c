/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ovsdb-mutation: the <mutation>s of RFC 7047 section 5.1 — [column,
 * mutator, value].  "+=", "-=", "*=", "/=" apply to integer and real
 * columns (and to every element of sets of them), "%=" to integers only;
 * "insert" and "delete" apply to sets and maps ("delete" on a map takes a
 * map, removing matching pairs, or a set of keys).  After a mutation the
 * value must still satisfy the column's type: counts, ranges, lengths,
 * enums ("constraint violation").  Division by zero is a "domain error"
 * and a result that cannot be represented (integer overflow, a real that
 * is not finite) a "range error", as RFC 7047 names them.
 */
#include <config.h>

#include <math.h>
#include <stdlib.h>

#include "ovsdb/ovsdb-private.h"

enum mutator { M_ADD, M_SUB, M_MUL, M_DIV, M_MOD, M_INSERT, M_DELETE };

static const struct {
    const char *name;
    enum mutator mutator;
} mutators[] = {
    {"+=", M_ADD}, {"-=", M_SUB},        {"*=", M_MUL},        {"/=", M_DIV},
    {"%=", M_MOD}, {"insert", M_INSERT}, {"delete", M_DELETE},
};

struct mutation {
    const struct ovsdb_column_schema *column;
    enum mutator mutator;
    struct ovsdb_type type; /* Of 'arg'. */
    struct ovsdb_datum arg;
};

struct ovsdb_mutation_set {
    size_t n;
    struct mutation *mutations;
};

static bool
is_arithmetic(enum mutator m)
{
    return m != M_INSERT && m != M_DELETE;
}

/* Sets up m->type for the value of mutation 'm' and parses 'value'. */
static struct ovsdb_error *
mutation_arg_from_json(struct mutation *m, const json_t *value,
                       struct ovsdb_symbol_table *symtab)
{
    const struct ovsdb_type *ct = &m->column->type;
    bool map = ovsdb_type_is_map(ct);

    if (is_arithmetic(m->mutator)) {
        if (map ||
            (ct->key.type != OVSDB_TYPE_INTEGER &&
             (ct->key.type != OVSDB_TYPE_REAL || m->mutator == M_MOD))) {
            return ovsdb_syntax_error(value,
                                      "type mismatch: mutator does "
                                      "not apply to column %s",
                                      m->column->name);
        }
        ovsdb_type_relaxed(&m->type, ct, 1, 1);
    } else {
        if (!map && ct->n_min == 1 && ct->n_max == 1) {
            return ovsdb_syntax_error(value,
                                      "type mismatch: \"insert\" and "
                                      "\"delete\" need a set or map column, "
                                      "not %s",
                                      m->column->name);
        }
        ovsdb_type_relaxed(&m->type, ct, 0, OVSDB_N_MAX_UNLIMITED);
        if (map && m->mutator == M_DELETE &&
            !(json_is_array(value) && json_array_size(value) == 2 &&
              json_is_string(json_array_get(value, 0)) &&
              !strcmp(json_string_value(json_array_get(value, 0)), "map"))) {
            /* Deleting by keys: the value is a set of keys. */
            ovsdb_base_type_destroy(&m->type.value);
            ovsdb_base_type_init(&m->type.value, OVSDB_TYPE_VOID);
        }
    }
    return ovsdb_datum_from_json(&m->arg, &m->type, value, symtab);
}

static struct ovsdb_error *
mutation_from_json(const struct ovsdb_table_schema *t, const json_t *json,
                   struct ovsdb_symbol_table *symtab, struct mutation *m)
{
    const json_t *column = json_array_get(json, 0);
    const json_t *mutator = json_array_get(json, 1);
    size_t i;

    if (!json_is_array(json) || json_array_size(json) != 3 ||
        !json_is_string(column) || !json_is_string(mutator)) {
        return ovsdb_syntax_error(json, "a mutation must be [column, "
                                        "mutator, value]");
    }
    m->column = ovsdb_table_schema_find_column(t, json_string_value(column));
    if (!m->column) {
        return ovsdb_error("unknown column", "no column %s in table %s",
                           json_string_value(column), t->name);
    }
    for (i = 0; i < ARRAY_SIZE(mutators); i++) {
        if (!strcmp(mutators[i].name, json_string_value(mutator))) {
            break;
        }
    }
    if (i == ARRAY_SIZE(mutators)) {
        return ovsdb_syntax_error(json, "unknown mutator \"%s\"",
                                  json_string_value(mutator));
    }
    m->mutator = mutators[i].mutator;
    if (!m->column->mutable_ || m->column->index < OVSDB_N_IMPLICIT_COLUMNS) {
        return ovsdb_error("constraint violation",
                           "cannot mutate immutable "
                           "column %s of table %s",
                           m->column->name, t->name);
    }
    return mutation_arg_from_json(m, json_array_get(json, 2), symtab);
}

/* Parses the "mutations" array 'json' for table 't'.  On success *setp owns
 * a new set (ovsdb_mutation_set_destroy()). */
struct ovsdb_error *
ovsdb_mutation_set_parse(const struct ovsdb_table_schema *t,
                         const json_t *json, struct ovsdb_symbol_table *symtab,
                         struct ovsdb_mutation_set **setp)
{
    struct ovsdb_mutation_set *set;

    *setp = NULL;
    if (!json_is_array(json)) {
        return ovsdb_syntax_error(json, "\"mutations\" must be an array");
    }
    set = xzalloc(sizeof *set);
    set->mutations =
        xcalloc(json_array_size(json) + 1, sizeof *set->mutations);
    for (size_t i = 0; i < json_array_size(json); i++) {
        struct mutation *m = &set->mutations[i];
        struct ovsdb_error *error;

        ovsdb_datum_init_empty(&m->arg);
        ovsdb_base_type_init(&m->type.key, OVSDB_TYPE_VOID);
        ovsdb_base_type_init(&m->type.value, OVSDB_TYPE_VOID);
        set->n++;
        error = mutation_from_json(t, json_array_get(json, i), symtab, m);
        if (error) {
            ovsdb_mutation_set_destroy(set);
            return error;
        }
    }
    *setp = set;
    return NULL;
}

void
ovsdb_mutation_set_destroy(struct ovsdb_mutation_set *set)
{
    if (!set) {
        return;
    }
    for (size_t i = 0; i < set->n; i++) {
        ovsdb_datum_destroy(&set->mutations[i].arg, &set->mutations[i].type);
        ovsdb_type_destroy(&set->mutations[i].type);
    }
    free(set->mutations);
    free(set);
}

static struct ovsdb_error *
mutate_integer(int64_t *x, int64_t y, enum mutator m)
{
    bool overflow = false;

    switch (m) {
    case M_ADD:
        overflow = __builtin_add_overflow(*x, y, x);
        break;
    case M_SUB:
        overflow = __builtin_sub_overflow(*x, y, x);
        break;
    case M_MUL:
        overflow = __builtin_mul_overflow(*x, y, x);
        break;
    case M_DIV:
    case M_MOD:
        if (!y) {
            return ovsdb_error("domain error", "division by zero");
        }
        if (y == -1) {
            overflow = m == M_DIV && *x == INT64_MIN;
            *x = m == M_DIV ? (overflow ? *x : -*x) : 0;
        } else {
            *x = m == M_DIV ? *x / y : *x % y;
        }
        break;
    case M_INSERT:
    case M_DELETE:
    default:
        break;
    }
    return overflow ? ovsdb_error("range error", "integer overflow") : NULL;
}

static struct ovsdb_error *
mutate_real(double *x, double y, enum mutator m)
{
    switch (m) {
    case M_ADD:
        *x += y;
        break;
    case M_SUB:
        *x -= y;
        break;
    case M_MUL:
        *x *= y;
        break;
    case M_DIV:
        if (y == 0) {
            return ovsdb_error("domain error", "division by zero");
        }
        *x /= y;
        break;
    case M_MOD:
    case M_INSERT:
    case M_DELETE:
    default:
        break;
    }
    return isfinite(*x) ? NULL
                        : ovsdb_error("range error", "real result out of "
                                                     "range");
}

static struct ovsdb_error *
mutate_arithmetic(const struct mutation *m, struct ovsdb_datum *d)
{
    const struct ovsdb_type *type = &m->column->type;
    const union ovsdb_atom *y = &m->arg.keys[0];
    struct ovsdb_error *error = NULL;

    for (size_t i = 0; i < d->n && !error; i++) {
        error =
            type->key.type == OVSDB_TYPE_INTEGER
                ? mutate_integer(&d->keys[i].integer, y->integer, m->mutator)
                : mutate_real(&d->keys[i].real, y->real, m->mutator);
    }
    if (!error && d->n > 1) {
        /* Different elements may have become equal. */
        error = ovsdb_datum_sort(d, type, false);
    }
    return error;
}

static struct ovsdb_error *
mutation_apply(const struct mutation *m, struct ovsdb_row *row)
{
    const struct ovsdb_type *type = &m->column->type;
    struct ovsdb_datum *d = &row->fields[m->column->index];
    struct ovsdb_error *error = NULL;

    switch (m->mutator) {
    case M_INSERT:
        ovsdb_datum_union(d, &m->arg, type);
        break;
    case M_DELETE:
        ovsdb_datum_subtract(d, type, &m->arg, &m->type);
        break;
    case M_ADD:
    case M_SUB:
    case M_MUL:
    case M_DIV:
    case M_MOD:
    default:
        error = mutate_arithmetic(m, d);
        break;
    }
    if (!error) {
        error = ovsdb_datum_check(d, type);
    }
    if (error && strcmp(error->tag, "domain error") &&
        strcmp(error->tag, "range error")) {
        struct ovsdb_error *cv = ovsdb_error(
            "constraint violation", "mutation of column %s: %s",
            m->column->name, error->details ? error->details : error->tag);

        ovsdb_error_destroy(error);
        error = cv;
    }
    return error;
}

struct ovsdb_error *
ovsdb_mutation_set_apply(const struct ovsdb_mutation_set *set,
                         struct ovsdb_row *row)
{
    for (size_t i = 0; i < set->n; i++) {
        struct ovsdb_error *error = mutation_apply(&set->mutations[i], row);

        if (error) {
            return error;
        }
    }
    return NULL;
}
