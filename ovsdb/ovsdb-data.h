/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ovsdb-data: the OVSDB data model of RFC 7047 section 3 and 5.1 — atomic
 * types with constraints, column types (key, optional value, min/max
 * counts), atoms, datums (sorted sets and maps), and their JSON notation
 * ("uuid", "named-uuid", "set", "map") and the ovs-vsctl text notation
 * ("a=b", "{1,2}", "[x]", quoted strings).
 *
 * A datum is always kept canonical: keys sorted, no duplicate key; maps
 * pair values[i] with keys[i].  Every conversion validates against the type
 * (atomic type, range, length, enum, count) and reports the RFC 7047 error
 * tag ("syntax error", "constraint violation", ...).
 *
 * Ownership: a datum owns its arrays and strings; _destroy() frees them,
 * _clone() deep-copies.  Pure data: no threads.
 */
#ifndef TERN_OVSDB_DATA_H
#define TERN_OVSDB_DATA_H 1

#include <jansson.h>
#include <limits.h>

#include "lib/uuid.h"
#include "ovsdb/ovsdb-error.h"

enum ovsdb_atomic_type {
    OVSDB_TYPE_VOID, /* "No value" (a set has no value type). */
    OVSDB_TYPE_INTEGER,
    OVSDB_TYPE_REAL,
    OVSDB_TYPE_BOOLEAN,
    OVSDB_TYPE_STRING,
    OVSDB_TYPE_UUID,
    OVSDB_N_TYPES
};

union ovsdb_atom {
    int64_t integer;
    double real;
    bool boolean;
    char *string; /* Owned, UTF-8. */
    struct uuid uuid;
};

struct ovsdb_datum;
struct ovsdb_table_schema;

enum ovsdb_ref_type { OVSDB_REF_STRONG, OVSDB_REF_WEAK };

struct ovsdb_base_type {
    enum ovsdb_atomic_type type;
    struct ovsdb_datum *enum_; /* Allowed values, or NULL. */
    int64_t min_integer, max_integer;
    double min_real, max_real;
    size_t min_length, max_length; /* Strings, in UTF-8 characters. */
    char *ref_table_name;          /* UUIDs: referenced table, or NULL. */
    const struct ovsdb_table_schema *ref_table; /* Resolved by the schema. */
    enum ovsdb_ref_type ref_type;
};

#define OVSDB_N_MAX_UNLIMITED UINT_MAX
struct ovsdb_type {
    struct ovsdb_base_type key;
    struct ovsdb_base_type value; /* OVSDB_TYPE_VOID for sets/scalars. */
    unsigned int n_min;           /* 0 or 1. */
    unsigned int n_max;           /* >= 1, or OVSDB_N_MAX_UNLIMITED. */
};

static inline bool
ovsdb_type_is_map(const struct ovsdb_type *t)
{
    return t->value.type != OVSDB_TYPE_VOID;
}
static inline bool
ovsdb_type_is_scalar(const struct ovsdb_type *t)
{
    return t->n_min == 1 && t->n_max == 1 && !ovsdb_type_is_map(t);
}

const char *ovsdb_atomic_type_to_string(enum ovsdb_atomic_type);
void ovsdb_base_type_init(struct ovsdb_base_type *, enum ovsdb_atomic_type);
void ovsdb_base_type_destroy(struct ovsdb_base_type *);
void ovsdb_base_type_clone(struct ovsdb_base_type *dst,
                           const struct ovsdb_base_type *src);
void ovsdb_type_destroy(struct ovsdb_type *);
void ovsdb_type_clone(struct ovsdb_type *dst, const struct ovsdb_type *src);
/* <type> of RFC 7047 3.2. */
struct ovsdb_error *ovsdb_type_from_json(struct ovsdb_type *,
                                         const json_t *json);
json_t *ovsdb_type_to_json(const struct ovsdb_type *);

/* Resolves "named-uuid" references inside one transaction: maps a name to
 * the UUID it stands for, creating UUIDs on first use.  Owned by the
 * transaction. */
struct ovsdb_symbol_table;
struct ovsdb_symbol_table *ovsdb_symbol_table_create(void);
void ovsdb_symbol_table_destroy(struct ovsdb_symbol_table *);
/* Returns the UUID for 'name', generating one if new.  '*created' tells
 * whether an insert operation defined it (set by the executor). */
const struct uuid *ovsdb_symbol_table_insert(struct ovsdb_symbol_table *,
                                             const char *name);
const struct uuid *ovsdb_symbol_table_get(const struct ovsdb_symbol_table *,
                                          const char *name);
/* Records that an insert operation defined 'name' (adding it if new) and
 * stores its UUID in '*uuidp'; returns false if an earlier insert already
 * defined it. */
bool ovsdb_symbol_table_define(struct ovsdb_symbol_table *, const char *name,
                               const struct uuid **uuidp);
/* Returns the name of a symbol used but never defined, or NULL. */
const char *
ovsdb_symbol_table_find_undefined(const struct ovsdb_symbol_table *);

/* Atoms.  'symtab' may be NULL (then "named-uuid" is a syntax error). */
void ovsdb_atom_init_default(union ovsdb_atom *, enum ovsdb_atomic_type);
void ovsdb_atom_destroy(union ovsdb_atom *, enum ovsdb_atomic_type);
void ovsdb_atom_clone(union ovsdb_atom *dst, const union ovsdb_atom *src,
                      enum ovsdb_atomic_type);
int ovsdb_atom_compare(const union ovsdb_atom *, const union ovsdb_atom *,
                       enum ovsdb_atomic_type);
uint32_t ovsdb_atom_hash(const union ovsdb_atom *, enum ovsdb_atomic_type,
                         uint32_t basis);
struct ovsdb_error *ovsdb_atom_from_json(union ovsdb_atom *,
                                         const struct ovsdb_base_type *,
                                         const json_t *,
                                         struct ovsdb_symbol_table *symtab);
json_t *ovsdb_atom_to_json(const union ovsdb_atom *, enum ovsdb_atomic_type);
/* Checks range, length and enum constraints. */
struct ovsdb_error *
ovsdb_atom_check_constraints(const union ovsdb_atom *,
                             const struct ovsdb_base_type *);

/* Datums. */
struct ovsdb_datum {
    size_t n;
    union ovsdb_atom *keys;
    union ovsdb_atom *values; /* NULL for sets. */
};

void ovsdb_datum_init_empty(struct ovsdb_datum *);
/* The default of a type: empty if n_min == 0, else one default atom. */
void ovsdb_datum_init_default(struct ovsdb_datum *, const struct ovsdb_type *);
void ovsdb_datum_destroy(struct ovsdb_datum *, const struct ovsdb_type *);
void ovsdb_datum_clone(struct ovsdb_datum *dst, const struct ovsdb_datum *src,
                       const struct ovsdb_type *);
void ovsdb_datum_swap(struct ovsdb_datum *, struct ovsdb_datum *);
bool ovsdb_datum_equals(const struct ovsdb_datum *, const struct ovsdb_datum *,
                        const struct ovsdb_type *);
int ovsdb_datum_compare(const struct ovsdb_datum *, const struct ovsdb_datum *,
                        const struct ovsdb_type *);
uint32_t ovsdb_datum_hash(const struct ovsdb_datum *,
                          const struct ovsdb_type *, uint32_t basis);
/* Index of 'key' in the datum, or SIZE_MAX. */
size_t ovsdb_datum_find_key(const struct ovsdb_datum *,
                            const union ovsdb_atom *key,
                            enum ovsdb_atomic_type);

/* JSON <value> of RFC 7047 5.1, validated against 'type' including counts
 * and constraints. */
struct ovsdb_error *ovsdb_datum_from_json(struct ovsdb_datum *,
                                          const struct ovsdb_type *,
                                          const json_t *,
                                          struct ovsdb_symbol_table *symtab);
json_t *ovsdb_datum_to_json(const struct ovsdb_datum *,
                            const struct ovsdb_type *);
/* Checks n_min/n_max and every atom's constraints. */
struct ovsdb_error *ovsdb_datum_check(const struct ovsdb_datum *,
                                      const struct ovsdb_type *);

/* Set algebra for "mutate" insert/delete and ovs-vsctl add/remove:
 * union keeps a's value for duplicate map keys; subtract removes keys of b
 * (for maps given as a map, only pairs whose values also match; given as a
 * set of keys, by key). */
void ovsdb_datum_union(struct ovsdb_datum *a, const struct ovsdb_datum *b,
                       const struct ovsdb_type *);
void ovsdb_datum_subtract(struct ovsdb_datum *a,
                          const struct ovsdb_type *a_type,
                          const struct ovsdb_datum *b,
                          const struct ovsdb_type *b_type);
/* Sorts and, for duplicate keys, returns a "constraint violation" error
 * (or keeps the first when 'dedup' is true). */
struct ovsdb_error *ovsdb_datum_sort(struct ovsdb_datum *,
                                     const struct ovsdb_type *, bool dedup);

/* ovs-vsctl text notation: scalars as bare or quoted strings, sets as
 * "a,b" or "[a,b]" or "{}", maps as "k=v,k2=v2" or "{k=v}", UUIDs as UUIDs
 * or "@name" (symbol "name" of 'symtab').  Returns NULL or an error message
 * (caller frees). */
char *ovsdb_datum_from_string(struct ovsdb_datum *, const struct ovsdb_type *,
                              const char *s,
                              struct ovsdb_symbol_table *symtab);
char *ovsdb_atom_from_string(union ovsdb_atom *,
                             const struct ovsdb_base_type *, const char *s,
                             struct ovsdb_symbol_table *symtab);
/* Formats as ovs-vsctl prints values: strings quoted only when needed,
 * sets "[a, b]", maps "{k=v, k2=v2}". */
void ovsdb_datum_to_string(const struct ovsdb_datum *,
                           const struct ovsdb_type *, struct ds *);
void ovsdb_atom_to_string(const union ovsdb_atom *, enum ovsdb_atomic_type,
                          struct ds *);
/* --data=bare: values space-separated without punctuation. */
void ovsdb_datum_to_bare(const struct ovsdb_datum *, const struct ovsdb_type *,
                         struct ds *);

#endif /* TERN_OVSDB_DATA_H */
