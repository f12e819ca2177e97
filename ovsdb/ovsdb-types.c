/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ovsdb-types: atomic types, base types with their constraints and column
 * types, and their JSON forms <atomic-type>, <base-type> and <type> of RFC
 * 7047 section 3.2 (see ovsdb-data.h).  The schema parser calls
 * ovsdb_type_from_json() for every column; atoms and datums (ovsdb-data.c)
 * are validated against the result.
 */
#include <config.h>

#include <float.h>
#include <stdint.h>
#include <stdlib.h>

#include "ovsdb/ovsdb-data.h"

static const char *const atomic_type_names[OVSDB_N_TYPES] = {
    [OVSDB_TYPE_VOID] = "void",     [OVSDB_TYPE_INTEGER] = "integer",
    [OVSDB_TYPE_REAL] = "real",     [OVSDB_TYPE_BOOLEAN] = "boolean",
    [OVSDB_TYPE_STRING] = "string", [OVSDB_TYPE_UUID] = "uuid",
};

/* Returns the RFC 7047 name of 'type' ("integer", ...; "void" for
 * OVSDB_TYPE_VOID). */
const char *
ovsdb_atomic_type_to_string(enum ovsdb_atomic_type type)
{
    return (unsigned int)type < OVSDB_N_TYPES ? atomic_type_names[type]
                                              : "<invalid>";
}

/* Returns the atomic type named 's' or OVSDB_TYPE_VOID if there is none
 * ("void" itself is not a valid <atomic-type>). */
static enum ovsdb_atomic_type
atomic_type_from_string__(const char *s)
{
    for (int i = OVSDB_TYPE_INTEGER; i < OVSDB_N_TYPES; i++) {
        if (!strcmp(s, atomic_type_names[i])) {
            return (enum ovsdb_atomic_type)i;
        }
    }
    return OVSDB_TYPE_VOID;
}

/* Initialises 'base' as an unconstrained base type of atomic type 'type'.
 * It owns nothing yet. */
void
ovsdb_base_type_init(struct ovsdb_base_type *base, enum ovsdb_atomic_type type)
{
    memset(base, 0, sizeof *base);
    base->type = type;
    base->enum_ = NULL;
    base->min_integer = INT64_MIN;
    base->max_integer = INT64_MAX;
    base->min_real = -DBL_MAX;
    base->max_real = DBL_MAX;
    base->min_length = 0;
    base->max_length = SIZE_MAX;
    base->ref_table_name = NULL;
    base->ref_table = NULL;
    base->ref_type = OVSDB_REF_STRONG;
}

/* The type of a base type's "enum": a set of one or more atoms of the base
 * type itself, without the enum. */
static void
enum_type__(struct ovsdb_type *type, const struct ovsdb_base_type *base)
{
    ovsdb_base_type_init(&type->key, base->type);
    ovsdb_base_type_init(&type->value, OVSDB_TYPE_VOID);
    type->n_min = 1;
    type->n_max = OVSDB_N_MAX_UNLIMITED;
}

/* Frees what 'base' owns (its enum and table name). */
void
ovsdb_base_type_destroy(struct ovsdb_base_type *base)
{
    if (base->enum_) {
        struct ovsdb_type etype;

        enum_type__(&etype, base);
        ovsdb_datum_destroy(base->enum_, &etype);
        free(base->enum_);
        base->enum_ = NULL;
    }
    free(base->ref_table_name);
    base->ref_table_name = NULL;
}

/* Makes 'dst' a deep copy of 'src' ('ref_table' is shared: it points into
 * the schema).  'dst' is overwritten without being destroyed. */
void
ovsdb_base_type_clone(struct ovsdb_base_type *dst,
                      const struct ovsdb_base_type *src)
{
    *dst = *src;
    if (src->enum_) {
        struct ovsdb_type etype;

        enum_type__(&etype, src);
        dst->enum_ = xmalloc(sizeof *dst->enum_);
        ovsdb_datum_clone(dst->enum_, src->enum_, &etype);
    }
    if (src->ref_table_name) {
        dst->ref_table_name = xstrdup(src->ref_table_name);
    }
}

/* Frees what 'type' owns. */
void
ovsdb_type_destroy(struct ovsdb_type *type)
{
    ovsdb_base_type_destroy(&type->key);
    ovsdb_base_type_destroy(&type->value);
}

/* Makes 'dst' a deep copy of 'src'. */
void
ovsdb_type_clone(struct ovsdb_type *dst, const struct ovsdb_type *src)
{
    ovsdb_base_type_clone(&dst->key, &src->key);
    ovsdb_base_type_clone(&dst->value, &src->value);
    dst->n_min = src->n_min;
    dst->n_max = src->n_max;
}

/* Returns true if 'base' has any constraint beyond its atomic type. */
static bool
base_type_has_constraints__(const struct ovsdb_base_type *base)
{
    if (base->enum_) {
        return true;
    }
    switch (base->type) {
    case OVSDB_TYPE_INTEGER:
        return base->min_integer != INT64_MIN ||
               base->max_integer != INT64_MAX;
    case OVSDB_TYPE_REAL:
        return base->min_real != -DBL_MAX || base->max_real != DBL_MAX;
    case OVSDB_TYPE_STRING:
        return base->min_length != 0 || base->max_length != SIZE_MAX;
    case OVSDB_TYPE_UUID:
        return base->ref_table_name != NULL;
    case OVSDB_TYPE_VOID:
    case OVSDB_TYPE_BOOLEAN:
    case OVSDB_N_TYPES:
    default:
        return false;
    }
}

/* Returns an error naming a member of 'json' other than those in the
 * NULL-terminated 'allowed', or NULL. */
static struct ovsdb_error *
check_members__(const json_t *json, const char *const *allowed,
                const char *what)
{
    const char *name;
    json_t *value;

    json_object_foreach((json_t *)json, name, value)
    {
        bool ok = false;

        for (const char *const *a = allowed; *a; a++) {
            if (!strcmp(name, *a)) {
                ok = true;
                break;
            }
        }
        if (!ok) {
            return ovsdb_syntax_error(json, "unknown member \"%s\" in %s",
                                      name, what);
        }
    }
    return NULL;
}

/* Parses the optional integer member 'name' of 'json' into '*out' (left
 * alone when absent).  'min' is the smallest value allowed. */
static struct ovsdb_error *
parse_int_member__(const json_t *json, const char *name, int64_t min,
                   int64_t *out)
{
    const json_t *m = json_object_get(json, name);

    if (!m) {
        return NULL;
    }
    if (!json_is_integer(m)) {
        return ovsdb_syntax_error(json, "\"%s\" must be an integer", name);
    }
    if (json_integer_value(m) < min) {
        return ovsdb_syntax_error(json, "\"%s\" must be at least %lld", name,
                                  (long long)min);
    }
    *out = json_integer_value(m);
    return NULL;
}

/* Parses the optional real member 'name' of 'json' into '*out'. */
static struct ovsdb_error *
parse_real_member__(const json_t *json, const char *name, double *out)
{
    const json_t *m = json_object_get(json, name);

    if (!m) {
        return NULL;
    }
    if (!json_is_number(m)) {
        return ovsdb_syntax_error(json, "\"%s\" must be a number", name);
    }
    *out = json_number_value(m);
    return NULL;
}

/* Returns a syntax error if 'json' has any of the NULL-terminated member
 * names 'names', which do not apply to atomic type 'type'. */
static struct ovsdb_error *
reject_members__(const json_t *json, const char *const *names,
                 enum ovsdb_atomic_type type)
{
    for (const char *const *n = names; *n; n++) {
        if (json_object_get(json, *n)) {
            return ovsdb_syntax_error(json,
                                      "\"%s\" is not allowed for type %s", *n,
                                      ovsdb_atomic_type_to_string(type));
        }
    }
    return NULL;
}

/* Parses the constraints that depend on the atomic type. */
static struct ovsdb_error *
base_type_constraints_from_json__(struct ovsdb_base_type *base,
                                  const json_t *json)
{
    static const char *const int_members[] = {"minInteger", "maxInteger",
                                              NULL};
    static const char *const real_members[] = {"minReal", "maxReal", NULL};
    static const char *const str_members[] = {"minLength", "maxLength", NULL};
    static const char *const ref_members[] = {"refTable", "refType", NULL};
    struct ovsdb_error *error = NULL;
    enum ovsdb_atomic_type t = base->type;

    if (t != OVSDB_TYPE_INTEGER) {
        error = reject_members__(json, int_members, t);
    }
    if (!error && t != OVSDB_TYPE_REAL) {
        error = reject_members__(json, real_members, t);
    }
    if (!error && t != OVSDB_TYPE_STRING) {
        error = reject_members__(json, str_members, t);
    }
    if (!error && t != OVSDB_TYPE_UUID) {
        error = reject_members__(json, ref_members, t);
    }
    if (error) {
        return error;
    }

    if (t == OVSDB_TYPE_INTEGER) {
        if ((error = parse_int_member__(json, "minInteger", INT64_MIN,
                                        &base->min_integer)) ||
            (error = parse_int_member__(json, "maxInteger", INT64_MIN,
                                        &base->max_integer))) {
            return error;
        }
        if (base->min_integer > base->max_integer) {
            return ovsdb_syntax_error(json, "minInteger exceeds maxInteger");
        }
    } else if (t == OVSDB_TYPE_REAL) {
        if ((error = parse_real_member__(json, "minReal", &base->min_real)) ||
            (error = parse_real_member__(json, "maxReal", &base->max_real))) {
            return error;
        }
        if (base->min_real > base->max_real) {
            return ovsdb_syntax_error(json, "minReal exceeds maxReal");
        }
    } else if (t == OVSDB_TYPE_STRING) {
        int64_t min = 0, max = INT64_MAX;

        if ((error = parse_int_member__(json, "minLength", 0, &min)) ||
            (error = parse_int_member__(json, "maxLength", 0, &max))) {
            return error;
        }
        if (min > max) {
            return ovsdb_syntax_error(json, "minLength exceeds maxLength");
        }
        base->min_length = (size_t)min;
        base->max_length = max == INT64_MAX ? SIZE_MAX : (size_t)max;
    } else if (t == OVSDB_TYPE_UUID) {
        const json_t *table = json_object_get(json, "refTable");
        const json_t *rtype = json_object_get(json, "refType");

        if (table) {
            if (!json_is_string(table) || !json_string_length(table)) {
                return ovsdb_syntax_error(json,
                                          "\"refTable\" must be a table name");
            }
            base->ref_table_name = xstrdup(json_string_value(table));
        }
        if (rtype) {
            const char *s =
                json_is_string(rtype) ? json_string_value(rtype) : "";

            if (!table) {
                return ovsdb_syntax_error(json,
                                          "\"refType\" requires \"refTable\"");
            } else if (!strcmp(s, "strong")) {
                base->ref_type = OVSDB_REF_STRONG;
            } else if (!strcmp(s, "weak")) {
                base->ref_type = OVSDB_REF_WEAK;
            } else {
                return ovsdb_syntax_error(
                    json, "\"refType\" must be \"strong\" or \"weak\"");
            }
        }
    }
    return NULL;
}

/* Parses a <base-type> into 'base' (initialised here).  On error 'base'
 * owns nothing. */
static struct ovsdb_error *
base_type_from_json__(struct ovsdb_base_type *base, const json_t *json)
{
    static const char *const members[] = {
        "type",     "enum",    "minInteger", "maxInteger",
        "minReal",  "maxReal", "minLength",  "maxLength",
        "refTable", "refType", NULL,
    };
    struct ovsdb_error *error;
    enum ovsdb_atomic_type t;
    const json_t *tj, *ej;

    ovsdb_base_type_init(base, OVSDB_TYPE_VOID);
    if (json_is_string(json)) {
        t = atomic_type_from_string__(json_string_value(json));
        if (t == OVSDB_TYPE_VOID) {
            return ovsdb_syntax_error(json, "unknown atomic type");
        }
        base->type = t;
        return NULL;
    }
    if (!json_is_object(json)) {
        return ovsdb_syntax_error(json, "base type must be a string or an "
                                        "object");
    }
    error = check_members__(json, members, "base type");
    if (error) {
        return error;
    }
    tj = json_object_get(json, "type");
    if (!tj || !json_is_string(tj)) {
        return ovsdb_syntax_error(json, "base type requires a \"type\" "
                                        "string");
    }
    t = atomic_type_from_string__(json_string_value(tj));
    if (t == OVSDB_TYPE_VOID) {
        return ovsdb_syntax_error(json, "unknown atomic type");
    }
    base->type = t;

    error = base_type_constraints_from_json__(base, json);
    ej = json_object_get(json, "enum");
    if (!error && ej) {
        struct ovsdb_type etype;
        struct ovsdb_datum *datum = xmalloc(sizeof *datum);

        enum_type__(&etype, base);
        error = ovsdb_datum_from_json(datum, &etype, ej, NULL);
        if (error) {
            /* A bad enum is a bad schema: always a syntax error. */
            struct ovsdb_error *inner = error;

            error = ovsdb_syntax_error(json, "invalid \"enum\": %s",
                                       inner->details ? inner->details
                                                      : inner->tag);
            ovsdb_error_destroy(inner);
            free(datum);
        } else {
            base->enum_ = datum;
        }
    }
    if (error) {
        ovsdb_base_type_destroy(base);
    }
    return error;
}

/* Returns the <base-type> JSON of 'base': the bare type name when it has
 * no constraints, else an object.  The caller owns the result. */
static json_t *
base_type_to_json__(const struct ovsdb_base_type *base)
{
    json_t *obj;

    if (!base_type_has_constraints__(base)) {
        return json_string(ovsdb_atomic_type_to_string(base->type));
    }
    obj = json_object();
    json_object_set_new(obj, "type",
                        json_string(ovsdb_atomic_type_to_string(base->type)));
    if (base->enum_) {
        struct ovsdb_type etype;
        json_t *e;

        enum_type__(&etype, base);
        e = ovsdb_datum_to_json(base->enum_, &etype);
        /* An enum is always written as a set, even with one element. */
        if (base->enum_->n == 1) {
            e = json_pack("[s[o]]", "set", e);
        }
        json_object_set_new(obj, "enum", e);
    }
    switch (base->type) {
    case OVSDB_TYPE_INTEGER:
        if (base->min_integer != INT64_MIN) {
            json_object_set_new(obj, "minInteger",
                                json_integer(base->min_integer));
        }
        if (base->max_integer != INT64_MAX) {
            json_object_set_new(obj, "maxInteger",
                                json_integer(base->max_integer));
        }
        break;
    case OVSDB_TYPE_REAL:
        if (base->min_real != -DBL_MAX) {
            json_object_set_new(obj, "minReal", json_real(base->min_real));
        }
        if (base->max_real != DBL_MAX) {
            json_object_set_new(obj, "maxReal", json_real(base->max_real));
        }
        break;
    case OVSDB_TYPE_STRING:
        if (base->min_length) {
            json_object_set_new(obj, "minLength",
                                json_integer((json_int_t)base->min_length));
        }
        if (base->max_length != SIZE_MAX) {
            json_object_set_new(obj, "maxLength",
                                json_integer((json_int_t)base->max_length));
        }
        break;
    case OVSDB_TYPE_UUID:
        if (base->ref_table_name) {
            json_object_set_new(obj, "refTable",
                                json_string(base->ref_table_name));
            json_object_set_new(obj, "refType",
                                json_string(base->ref_type == OVSDB_REF_WEAK
                                                ? "weak"
                                                : "strong"));
        }
        break;
    case OVSDB_TYPE_VOID:
    case OVSDB_TYPE_BOOLEAN:
    case OVSDB_N_TYPES:
    default:
        break;
    }
    return obj;
}

/* Parses "min" and "max" of a <type> object into 'type'. */
static struct ovsdb_error *
type_counts_from_json__(struct ovsdb_type *type, const json_t *json)
{
    const json_t *min = json_object_get(json, "min");
    const json_t *max = json_object_get(json, "max");

    type->n_min = 1;
    type->n_max = 1;
    if (min) {
        if (!json_is_integer(min) || json_integer_value(min) < 0 ||
            json_integer_value(min) > 1) {
            return ovsdb_syntax_error(json, "\"min\" must be 0 or 1");
        }
        type->n_min = (unsigned int)json_integer_value(min);
    }
    if (max) {
        if (json_is_string(max) &&
            !strcmp(json_string_value(max), "unlimited")) {
            type->n_max = OVSDB_N_MAX_UNLIMITED;
        } else if (json_is_integer(max) && json_integer_value(max) >= 1 &&
                   json_integer_value(max) < (json_int_t)UINT_MAX) {
            type->n_max = (unsigned int)json_integer_value(max);
        } else {
            return ovsdb_syntax_error(
                json, "\"max\" must be a positive integer or \"unlimited\"");
        }
    }
    if (type->n_min > type->n_max) {
        return ovsdb_syntax_error(json, "\"min\" exceeds \"max\"");
    }
    return NULL;
}

/* Parses a <type> (RFC 7047 3.2) into 'type', which is overwritten.  On
 * success the caller owns 'type' (ovsdb_type_destroy()); on error it owns
 * nothing.  'json' stays the caller's. */
struct ovsdb_error *
ovsdb_type_from_json(struct ovsdb_type *type, const json_t *json)
{
    static const char *const members[] = {"key", "value", "min", "max", NULL};
    struct ovsdb_error *error;
    const json_t *key, *value;

    ovsdb_base_type_init(&type->key, OVSDB_TYPE_VOID);
    ovsdb_base_type_init(&type->value, OVSDB_TYPE_VOID);
    type->n_min = type->n_max = 1;

    if (json_is_string(json)) {
        return base_type_from_json__(&type->key, json);
    }
    if (!json_is_object(json)) {
        return ovsdb_syntax_error(json, "type must be a string or an object");
    }
    error = check_members__(json, members, "type");
    if (error) {
        return error;
    }
    key = json_object_get(json, "key");
    if (!key) {
        return ovsdb_syntax_error(json, "type requires a \"key\"");
    }
    error = type_counts_from_json__(type, json);
    if (error) {
        return error;
    }
    error = base_type_from_json__(&type->key, key);
    if (error) {
        return error;
    }
    value = json_object_get(json, "value");
    if (value) {
        error = base_type_from_json__(&type->value, value);
        if (error) {
            ovsdb_base_type_destroy(&type->key);
            ovsdb_base_type_init(&type->key, OVSDB_TYPE_VOID);
        }
    }
    return error;
}

/* Returns the <type> JSON of 'type' in its shortest form (a bare atomic
 * type name for unconstrained scalars).  The caller owns the result. */
json_t *
ovsdb_type_to_json(const struct ovsdb_type *type)
{
    json_t *obj;

    if (ovsdb_type_is_scalar(type) &&
        !base_type_has_constraints__(&type->key)) {
        return base_type_to_json__(&type->key);
    }
    obj = json_object();
    json_object_set_new(obj, "key", base_type_to_json__(&type->key));
    if (ovsdb_type_is_map(type)) {
        json_object_set_new(obj, "value", base_type_to_json__(&type->value));
    }
    if (type->n_min != 1) {
        json_object_set_new(obj, "min", json_integer(type->n_min));
    }
    if (type->n_max == OVSDB_N_MAX_UNLIMITED) {
        json_object_set_new(obj, "max", json_string("unlimited"));
    } else if (type->n_max != 1) {
        json_object_set_new(obj, "max", json_integer(type->n_max));
    }
    return obj;
}
