/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ovsdb-data: atoms and datums of RFC 7047 (see ovsdb-data.h) — their
 * defaults, copies, comparison and hashing, the JSON <value> notation, the
 * symbol table for "named-uuid", constraint checks and the set algebra used
 * by "mutate" and by ovs-vsctl's add/remove.  Types live in
 * ovsdb-types.c, the ovs-vsctl text notation in ovsdb-data-string.c.
 */
#include <config.h>

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "lib/hash.h"
#include "ovsdb/ovsdb-data.h"

/* ---- Symbol table. ---- */

struct ovsdb_symbol__ {
    struct ovsdb_symbol__ *next; /* In the hash bucket. */
    char *name;
    struct uuid uuid;
    bool created;
};

struct ovsdb_symbol_table {
    struct ovsdb_symbol__ **buckets;
    size_t n_buckets; /* Power of 2. */
    size_t n;
};

/* Returns a new, empty symbol table (caller destroys). */
struct ovsdb_symbol_table *
ovsdb_symbol_table_create(void)
{
    struct ovsdb_symbol_table *st = xzalloc(sizeof *st);

    st->n_buckets = 16;
    st->buckets = xcalloc(st->n_buckets, sizeof *st->buckets);
    return st;
}

/* Frees 'st' and every symbol in it (NULL is allowed). */
void
ovsdb_symbol_table_destroy(struct ovsdb_symbol_table *st)
{
    if (!st) {
        return;
    }
    for (size_t i = 0; i < st->n_buckets; i++) {
        struct ovsdb_symbol__ *s = st->buckets[i];

        while (s) {
            struct ovsdb_symbol__ *next = s->next;

            free(s->name);
            free(s);
            s = next;
        }
    }
    free(st->buckets);
    free(st);
}

static struct ovsdb_symbol__ *
symbol_find__(const struct ovsdb_symbol_table *st, const char *name)
{
    uint32_t h = hash_string(name, 0);

    for (struct ovsdb_symbol__ *s = st->buckets[h & (st->n_buckets - 1)]; s;
         s = s->next) {
        if (!strcmp(s->name, name)) {
            return s;
        }
    }
    return NULL;
}

static void
symbol_table_grow__(struct ovsdb_symbol_table *st)
{
    size_t n_buckets = st->n_buckets * 2;
    struct ovsdb_symbol__ **buckets = xcalloc(n_buckets, sizeof *buckets);

    for (size_t i = 0; i < st->n_buckets; i++) {
        struct ovsdb_symbol__ *s = st->buckets[i];

        while (s) {
            struct ovsdb_symbol__ *next = s->next;
            size_t b = hash_string(s->name, 0) & (n_buckets - 1);

            s->next = buckets[b];
            buckets[b] = s;
            s = next;
        }
    }
    free(st->buckets);
    st->buckets = buckets;
    st->n_buckets = n_buckets;
}

static struct ovsdb_symbol__ *
symbol_insert__(struct ovsdb_symbol_table *st, const char *name)
{
    struct ovsdb_symbol__ *s = symbol_find__(st, name);
    size_t b;

    if (s) {
        return s;
    }
    if (st->n >= st->n_buckets) {
        symbol_table_grow__(st);
    }
    s = xzalloc(sizeof *s);
    s->name = xstrdup(name);
    uuid_generate(&s->uuid);
    b = hash_string(name, 0) & (st->n_buckets - 1);
    s->next = st->buckets[b];
    st->buckets[b] = s;
    st->n++;
    return s;
}

/* Returns the UUID 'name' stands for, generating a fresh one the first
 * time.  The UUID stays owned by 'st'. */
const struct uuid *
ovsdb_symbol_table_insert(struct ovsdb_symbol_table *st, const char *name)
{
    return &symbol_insert__(st, name)->uuid;
}

/* Returns the UUID of 'name', or NULL if 'st' does not know it. */
const struct uuid *
ovsdb_symbol_table_get(const struct ovsdb_symbol_table *st, const char *name)
{
    const struct ovsdb_symbol__ *s = symbol_find__(st, name);

    return s ? &s->uuid : NULL;
}

/* Records that an insert operation defined 'name' (adding it if new) and
 * returns its UUID in '*uuidp'.  Returns false if 'name' was already
 * defined by an earlier insert. */
bool
ovsdb_symbol_table_define(struct ovsdb_symbol_table *st, const char *name,
                          const struct uuid **uuidp)
{
    struct ovsdb_symbol__ *s = symbol_insert__(st, name);

    *uuidp = &s->uuid;
    if (s->created) {
        return false;
    }
    s->created = true;
    return true;
}

/* Returns the name of a symbol that was referred to but never defined by
 * ovsdb_symbol_table_define(), or NULL if there is none.  The name stays
 * owned by 'st'. */
const char *
ovsdb_symbol_table_find_undefined(const struct ovsdb_symbol_table *st)
{
    for (size_t i = 0; i < st->n_buckets; i++) {
        for (const struct ovsdb_symbol__ *s = st->buckets[i]; s; s = s->next) {
            if (!s->created) {
                return s->name;
            }
        }
    }
    return NULL;
}

/* ---- UTF-8. ---- */

/* Returns the number of characters in the 'n' bytes at 's', or SIZE_MAX if
 * they are not valid UTF-8 (overlong forms, surrogates and code points
 * above U+10FFFF are invalid, and so is a NUL byte). */
static size_t
utf8_length__(const char *s_, size_t n)
{
    const unsigned char *s = (const unsigned char *)s_;
    size_t chars = 0;

    for (size_t i = 0; i < n; chars++) {
        unsigned char c = s[i];
        uint32_t cp;
        size_t len;

        if (c == 0) {
            return SIZE_MAX;
        } else if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xc2 && c <= 0xdf) {
            len = 2;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            len = 3;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            len = 4;
            cp = c & 0x07;
        } else {
            return SIZE_MAX;
        }
        if (n - i < len) {
            return SIZE_MAX;
        }
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xc0) != 0x80) {
                return SIZE_MAX;
            }
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
            (len == 4 && (cp < 0x10000 || cp > 0x10ffff))) {
            return SIZE_MAX;
        }
        i += len;
    }
    return chars;
}

/* ---- Atoms. ---- */

/* Initialises 'atom' to the default of 'type': 0, 0.0, false, "" or the
 * all-zero UUID.  The caller owns the atom (ovsdb_atom_destroy()). */
void
ovsdb_atom_init_default(union ovsdb_atom *atom, enum ovsdb_atomic_type type)
{
    memset(atom, 0, sizeof *atom);
    switch (type) {
    case OVSDB_TYPE_INTEGER:
        atom->integer = 0;
        break;
    case OVSDB_TYPE_REAL:
        atom->real = 0.0;
        break;
    case OVSDB_TYPE_BOOLEAN:
        atom->boolean = false;
        break;
    case OVSDB_TYPE_STRING:
        atom->string = xstrdup("");
        break;
    case OVSDB_TYPE_UUID:
        uuid_zero(&atom->uuid);
        break;
    case OVSDB_TYPE_VOID:
    case OVSDB_N_TYPES:
    default:
        break;
    }
}

/* Frees what 'atom' owns (a string). */
void
ovsdb_atom_destroy(union ovsdb_atom *atom, enum ovsdb_atomic_type type)
{
    if (type == OVSDB_TYPE_STRING) {
        free(atom->string);
        atom->string = NULL;
    }
}

/* Makes 'dst' a deep copy of 'src'. */
void
ovsdb_atom_clone(union ovsdb_atom *dst, const union ovsdb_atom *src,
                 enum ovsdb_atomic_type type)
{
    if (type == OVSDB_TYPE_STRING) {
        dst->string = xstrdup(src->string);
    } else {
        *dst = *src;
    }
}

/* Returns negative, zero or positive as 'a' sorts before, equal to or
 * after 'b' (strings by bytes, false before true, UUIDs by value). */
int
ovsdb_atom_compare(const union ovsdb_atom *a, const union ovsdb_atom *b,
                   enum ovsdb_atomic_type type)
{
    switch (type) {
    case OVSDB_TYPE_INTEGER:
        return a->integer < b->integer ? -1 : a->integer > b->integer;
    case OVSDB_TYPE_REAL:
        return a->real < b->real ? -1 : a->real > b->real;
    case OVSDB_TYPE_BOOLEAN:
        return (int)a->boolean - (int)b->boolean;
    case OVSDB_TYPE_STRING:
        return strcmp(a->string, b->string);
    case OVSDB_TYPE_UUID:
        return uuid_compare(&a->uuid, &b->uuid);
    case OVSDB_TYPE_VOID:
    case OVSDB_N_TYPES:
    default:
        return 0;
    }
}

/* Returns a hash of 'atom' consistent with ovsdb_atom_compare(): atoms
 * that compare equal hash equal. */
uint32_t
ovsdb_atom_hash(const union ovsdb_atom *atom, enum ovsdb_atomic_type type,
                uint32_t basis)
{
    switch (type) {
    case OVSDB_TYPE_INTEGER:
        return hash_uint64((uint64_t)atom->integer, basis);
    case OVSDB_TYPE_REAL: {
        double d = atom->real == 0.0 ? 0.0 : atom->real; /* -0.0 == 0.0. */
        uint64_t bits;

        memcpy(&bits, &d, sizeof bits);
        return hash_uint64(bits, basis);
    }
    case OVSDB_TYPE_BOOLEAN:
        return hash_int(atom->boolean, basis);
    case OVSDB_TYPE_STRING:
        return hash_string(atom->string, basis);
    case OVSDB_TYPE_UUID:
        return hash_bytes(&atom->uuid, sizeof atom->uuid, basis);
    case OVSDB_TYPE_VOID:
    case OVSDB_N_TYPES:
    default:
        return basis;
    }
}

/* Returns true if 's' is an <id>: a letter or '_' then letters, digits and
 * '_'. */
static bool
is_id__(const char *s)
{
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_')) {
        return false;
    }
    for (s++; *s; s++) {
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
              (*s >= '0' && *s <= '9') || *s == '_')) {
            return false;
        }
    }
    return true;
}

/* Parses ["uuid", "..."] or ["named-uuid", "name"] into '*uuid'. */
static struct ovsdb_error *
uuid_from_json__(struct uuid *uuid, const json_t *json,
                 struct ovsdb_symbol_table *symtab)
{
    const char *kind, *s;

    if (!json_is_array(json) || json_array_size(json) != 2 ||
        !json_is_string(json_array_get(json, 0)) ||
        !json_is_string(json_array_get(json, 1))) {
        return ovsdb_syntax_error(json, "expected [\"uuid\", <string>] or "
                                        "[\"named-uuid\", <id>]");
    }
    kind = json_string_value(json_array_get(json, 0));
    s = json_string_value(json_array_get(json, 1));
    if (!strcmp(kind, "uuid")) {
        if (!uuid_from_string(uuid, s)) {
            return ovsdb_syntax_error(json, "malformed UUID");
        }
        return NULL;
    } else if (!strcmp(kind, "named-uuid")) {
        if (!symtab) {
            return ovsdb_syntax_error(json, "named-uuid is not allowed here");
        }
        if (!is_id__(s)) {
            return ovsdb_syntax_error(json, "named-uuid name is not an <id>");
        }
        *uuid = *ovsdb_symbol_table_insert(symtab, s);
        return NULL;
    }
    return ovsdb_syntax_error(json, "expected \"uuid\" or \"named-uuid\"");
}

/* Parses the JSON of one atom of 'base' (shape only, no constraints). */
static struct ovsdb_error *
atom_parse_json__(union ovsdb_atom *atom, enum ovsdb_atomic_type type,
                  const json_t *json, struct ovsdb_symbol_table *symtab)
{
    switch (type) {
    case OVSDB_TYPE_INTEGER:
        if (!json_is_integer(json)) {
            return ovsdb_syntax_error(json, "expected integer");
        }
        atom->integer = json_integer_value(json);
        return NULL;
    case OVSDB_TYPE_REAL:
        if (!json_is_number(json)) {
            return ovsdb_syntax_error(json, "expected real number");
        }
        atom->real = json_number_value(json);
        return NULL;
    case OVSDB_TYPE_BOOLEAN:
        if (!json_is_boolean(json)) {
            return ovsdb_syntax_error(json, "expected boolean");
        }
        atom->boolean = json_is_true(json);
        return NULL;
    case OVSDB_TYPE_STRING: {
        const char *s;
        size_t len;

        if (!json_is_string(json)) {
            return ovsdb_syntax_error(json, "expected string");
        }
        s = json_string_value(json);
        len = json_string_length(json);
        if (utf8_length__(s, len) == SIZE_MAX) {
            return ovsdb_syntax_error(NULL, "string is not valid UTF-8 or "
                                            "contains a null byte");
        }
        atom->string = xmemdup(s, len + 1);
        return NULL;
    }
    case OVSDB_TYPE_UUID:
        return uuid_from_json__(&atom->uuid, json, symtab);
    case OVSDB_TYPE_VOID:
    case OVSDB_N_TYPES:
    default:
        return ovsdb_syntax_error(json, "atom of void type");
    }
}

/* Parses an <atom> of 'base' from 'json' into 'atom' and checks its
 * constraints.  "named-uuid" is accepted only with a 'symtab' (which then
 * learns the name).  On success the caller owns 'atom'; on error it owns
 * nothing. */
struct ovsdb_error *
ovsdb_atom_from_json(union ovsdb_atom *atom,
                     const struct ovsdb_base_type *base, const json_t *json,
                     struct ovsdb_symbol_table *symtab)
{
    struct ovsdb_error *error;

    memset(atom, 0, sizeof *atom);
    error = atom_parse_json__(atom, base->type, json, symtab);
    if (!error) {
        error = ovsdb_atom_check_constraints(atom, base);
        if (error) {
            ovsdb_atom_destroy(atom, base->type);
        }
    }
    return error;
}

/* Returns the JSON of 'atom' (UUIDs as ["uuid", "..."]); caller owns it. */
json_t *
ovsdb_atom_to_json(const union ovsdb_atom *atom, enum ovsdb_atomic_type type)
{
    char buf[UUID_LEN + 1];

    switch (type) {
    case OVSDB_TYPE_INTEGER:
        return json_integer(atom->integer);
    case OVSDB_TYPE_REAL:
        return json_real(atom->real);
    case OVSDB_TYPE_BOOLEAN:
        return json_boolean(atom->boolean);
    case OVSDB_TYPE_STRING:
        return json_stringn_nocheck(atom->string, strlen(atom->string));
    case OVSDB_TYPE_UUID:
        uuid_to_string(&atom->uuid, buf);
        return json_pack("[ss]", "uuid", buf);
    case OVSDB_TYPE_VOID:
    case OVSDB_N_TYPES:
    default:
        return json_null();
    }
}

/* Returns the details of an "enum" violation of 'atom'. */
static struct ovsdb_error *
enum_error__(const union ovsdb_atom *atom, const struct ovsdb_base_type *base)
{
    struct ovsdb_type etype;
    struct ds ds = DS_EMPTY;
    struct ovsdb_error *error;

    ovsdb_atom_to_string(atom, base->type, &ds);
    ds_put_cstr(&ds, " is not one of the allowed values ");
    ovsdb_base_type_init(&etype.key, base->type);
    ovsdb_base_type_init(&etype.value, OVSDB_TYPE_VOID);
    etype.n_min = 1;
    etype.n_max = OVSDB_N_MAX_UNLIMITED;
    ovsdb_datum_to_string(base->enum_, &etype, &ds);
    error = ovsdb_error("constraint violation", "%s", ds_cstr(&ds));
    ds_destroy(&ds);
    return error;
}

/* Checks 'atom' against the range, length and enum constraints of 'base'
 * (and that a string is valid UTF-8).  Returns NULL or a "constraint
 * violation" error (caller owns it). */
struct ovsdb_error *
ovsdb_atom_check_constraints(const union ovsdb_atom *atom,
                             const struct ovsdb_base_type *base)
{
    /* Validate UTF-8 first, so that error details are always valid text. */
    if (base->type == OVSDB_TYPE_STRING &&
        utf8_length__(atom->string, strlen(atom->string)) == SIZE_MAX) {
        return ovsdb_error("constraint violation",
                           "string is not valid UTF-8");
    }
    if (base->enum_ &&
        ovsdb_datum_find_key(base->enum_, atom, base->type) == SIZE_MAX) {
        return enum_error__(atom, base);
    }
    switch (base->type) {
    case OVSDB_TYPE_INTEGER:
        if (atom->integer < base->min_integer) {
            return ovsdb_error(
                "constraint violation", "%lld is less than the minimum %lld",
                (long long)atom->integer, (long long)base->min_integer);
        }
        if (atom->integer > base->max_integer) {
            return ovsdb_error("constraint violation",
                               "%lld is greater than the maximum %lld",
                               (long long)atom->integer,
                               (long long)base->max_integer);
        }
        return NULL;
    case OVSDB_TYPE_REAL:
        if (!isfinite(atom->real)) {
            return ovsdb_error("constraint violation",
                               "real number is not finite");
        }
        if (atom->real < base->min_real) {
            return ovsdb_error("constraint violation",
                               "%.*g is less than the minimum %.*g", DBL_DIG,
                               atom->real, DBL_DIG, base->min_real);
        }
        if (atom->real > base->max_real) {
            return ovsdb_error("constraint violation",
                               "%.*g is greater than the maximum %.*g",
                               DBL_DIG, atom->real, DBL_DIG, base->max_real);
        }
        return NULL;
    case OVSDB_TYPE_STRING: {
        size_t len = utf8_length__(atom->string, strlen(atom->string));

        if (len < base->min_length) {
            return ovsdb_error("constraint violation",
                               "string \"%s\" is %zu characters long, less "
                               "than the minimum %zu",
                               atom->string, len, base->min_length);
        }
        if (len > base->max_length) {
            return ovsdb_error("constraint violation",
                               "string is %zu characters long, more than "
                               "the maximum %zu",
                               len, base->max_length);
        }
        return NULL;
    }
    case OVSDB_TYPE_BOOLEAN:
    case OVSDB_TYPE_UUID:
    case OVSDB_TYPE_VOID:
    case OVSDB_N_TYPES:
    default:
        return NULL;
    }
}

/* ---- Datums. ---- */

/* Initialises 'datum' as empty (owns nothing). */
void
ovsdb_datum_init_empty(struct ovsdb_datum *datum)
{
    datum->n = 0;
    datum->keys = NULL;
    datum->values = NULL;
}

/* Initialises 'datum' as the default of 'type'.  The caller owns it. */
void
ovsdb_datum_init_default(struct ovsdb_datum *datum,
                         const struct ovsdb_type *type)
{
    ovsdb_datum_init_empty(datum);
    if (type->n_min == 0) {
        return;
    }
    datum->n = 1;
    datum->keys = xmalloc(sizeof *datum->keys);
    ovsdb_atom_init_default(&datum->keys[0], type->key.type);
    if (ovsdb_type_is_map(type)) {
        datum->values = xmalloc(sizeof *datum->values);
        ovsdb_atom_init_default(&datum->values[0], type->value.type);
    }
}

/* Frees what 'datum' owns and leaves it empty. */
void
ovsdb_datum_destroy(struct ovsdb_datum *datum, const struct ovsdb_type *type)
{
    for (size_t i = 0; i < datum->n; i++) {
        ovsdb_atom_destroy(&datum->keys[i], type->key.type);
        if (datum->values) {
            ovsdb_atom_destroy(&datum->values[i], type->value.type);
        }
    }
    free(datum->keys);
    free(datum->values);
    ovsdb_datum_init_empty(datum);
}

/* Makes 'dst' (not destroyed first) a deep copy of 'src'. */
void
ovsdb_datum_clone(struct ovsdb_datum *dst, const struct ovsdb_datum *src,
                  const struct ovsdb_type *type)
{
    bool map = src->values != NULL && ovsdb_type_is_map(type);

    dst->n = src->n;
    dst->keys = src->n ? xmalloc(src->n * sizeof *dst->keys) : NULL;
    dst->values = map && src->n ? xmalloc(src->n * sizeof *dst->values) : NULL;
    for (size_t i = 0; i < src->n; i++) {
        ovsdb_atom_clone(&dst->keys[i], &src->keys[i], type->key.type);
        if (dst->values) {
            ovsdb_atom_clone(&dst->values[i], &src->values[i],
                             type->value.type);
        }
    }
}

/* Exchanges the contents of 'a' and 'b'. */
void
ovsdb_datum_swap(struct ovsdb_datum *a, struct ovsdb_datum *b)
{
    struct ovsdb_datum tmp = *a;

    *a = *b;
    *b = tmp;
}

/* Compares two canonical datums of 'type': the one with fewer elements
 * sorts first; then keys pairwise in order; then (maps) values pairwise.
 * This is the order ovs-vsctl's "find" uses. */
int
ovsdb_datum_compare(const struct ovsdb_datum *a, const struct ovsdb_datum *b,
                    const struct ovsdb_type *type)
{
    if (a->n != b->n) {
        return a->n < b->n ? -1 : 1;
    }
    for (size_t i = 0; i < a->n; i++) {
        int c = ovsdb_atom_compare(&a->keys[i], &b->keys[i], type->key.type);

        if (c) {
            return c;
        }
    }
    if (ovsdb_type_is_map(type)) {
        for (size_t i = 0; i < a->n; i++) {
            int c = ovsdb_atom_compare(&a->values[i], &b->values[i],
                                       type->value.type);

            if (c) {
                return c;
            }
        }
    }
    return 0;
}

/* Returns true if 'a' and 'b' hold the same elements. */
bool
ovsdb_datum_equals(const struct ovsdb_datum *a, const struct ovsdb_datum *b,
                   const struct ovsdb_type *type)
{
    return !ovsdb_datum_compare(a, b, type);
}

/* Returns a hash of canonical 'datum', consistent with
 * ovsdb_datum_equals(). */
uint32_t
ovsdb_datum_hash(const struct ovsdb_datum *datum,
                 const struct ovsdb_type *type, uint32_t basis)
{
    uint32_t h = hash_uint64(datum->n, basis);

    for (size_t i = 0; i < datum->n; i++) {
        h = ovsdb_atom_hash(&datum->keys[i], type->key.type, h);
        if (ovsdb_type_is_map(type)) {
            h = ovsdb_atom_hash(&datum->values[i], type->value.type, h);
        }
    }
    return h;
}

/* Binary search for 'key' in the first 'n' (sorted) keys of 'datum'. */
static size_t
find_key_n__(const struct ovsdb_datum *datum, size_t n,
             const union ovsdb_atom *key, enum ovsdb_atomic_type type)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = ovsdb_atom_compare(key, &datum->keys[mid], type);

        if (!c) {
            return mid;
        } else if (c < 0) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    return SIZE_MAX;
}

/* Returns the index of 'key' in sorted 'datum', or SIZE_MAX. */
size_t
ovsdb_datum_find_key(const struct ovsdb_datum *datum,
                     const union ovsdb_atom *key, enum ovsdb_atomic_type type)
{
    return find_key_n__(datum, datum->n, key, type);
}

/* One element of a datum while sorting. */
struct elem__ {
    union ovsdb_atom key;
    union ovsdb_atom value;
};

/* Stable merge sort of 'n' elements by key, using 'tmp' (n elements). */
static void
merge_sort__(struct elem__ *e, struct elem__ *tmp, size_t n,
             enum ovsdb_atomic_type type)
{
    size_t half = n / 2, i = 0, j = half, k = 0;

    if (n < 2) {
        return;
    }
    merge_sort__(e, tmp, half, type);
    merge_sort__(e + half, tmp, n - half, type);
    while (i < half && j < n) {
        if (ovsdb_atom_compare(&e[j].key, &e[i].key, type) < 0) {
            tmp[k++] = e[j++];
        } else {
            tmp[k++] = e[i++];
        }
    }
    while (i < half) {
        tmp[k++] = e[i++];
    }
    while (j < n) {
        tmp[k++] = e[j++];
    }
    memcpy(e, tmp, n * sizeof *e);
}

/* Sorts 'datum' by key.  Duplicate keys are an error ("constraint
 * violation", 'datum' left sorted but with the duplicates) unless 'dedup',
 * which keeps the first occurrence of each key and frees the others. */
struct ovsdb_error *
ovsdb_datum_sort(struct ovsdb_datum *datum, const struct ovsdb_type *type,
                 bool dedup)
{
    bool map = ovsdb_type_is_map(type);
    struct elem__ *e, *tmp;
    size_t n = datum->n, out;

    if (n < 2) {
        return NULL;
    }
    e = xmalloc(n * sizeof *e);
    tmp = xmalloc(n * sizeof *tmp);
    for (size_t i = 0; i < n; i++) {
        e[i].key = datum->keys[i];
        if (map) {
            e[i].value = datum->values[i];
        }
    }
    merge_sort__(e, tmp, n, type->key.type);
    free(tmp);

    out = 0;
    for (size_t i = 0; i < n; i++) {
        if (out && !ovsdb_atom_compare(&e[i].key, &datum->keys[out - 1],
                                       type->key.type)) {
            if (!dedup) {
                struct ds ds = DS_EMPTY;
                struct ovsdb_error *error;

                /* Put everything back so that the caller can free it. */
                for (size_t k = 0; k < n; k++) {
                    datum->keys[k] = e[k].key;
                    if (map) {
                        datum->values[k] = e[k].value;
                    }
                }
                ovsdb_atom_to_string(&e[i].key, type->key.type, &ds);
                error = ovsdb_error("constraint violation", "duplicate %s %s",
                                    map ? "key" : "value", ds_cstr(&ds));
                ds_destroy(&ds);
                free(e);
                return error;
            }
            ovsdb_atom_destroy(&e[i].key, type->key.type);
            if (map) {
                ovsdb_atom_destroy(&e[i].value, type->value.type);
            }
            continue;
        }
        datum->keys[out] = e[i].key;
        if (map) {
            datum->values[out] = e[i].value;
        }
        out++;
    }
    datum->n = out;
    free(e);
    return NULL;
}

/* Checks the element count of 'datum' against 'type'. */
static struct ovsdb_error *
check_count__(const struct ovsdb_datum *datum, const struct ovsdb_type *type)
{
    if (datum->n < type->n_min) {
        return ovsdb_error("constraint violation",
                           "%zu values where at least %u are required",
                           datum->n, type->n_min);
    }
    if (datum->n > type->n_max) {
        return ovsdb_error("constraint violation",
                           "%zu values where at most %u are allowed", datum->n,
                           type->n_max);
    }
    return NULL;
}

/* Checks that 'datum' has between n_min and n_max elements and that every
 * atom satisfies its base type's constraints. */
struct ovsdb_error *
ovsdb_datum_check(const struct ovsdb_datum *datum,
                  const struct ovsdb_type *type)
{
    struct ovsdb_error *error = check_count__(datum, type);

    for (size_t i = 0; !error && i < datum->n; i++) {
        error = ovsdb_atom_check_constraints(&datum->keys[i], &type->key);
        if (!error && ovsdb_type_is_map(type)) {
            error =
                ovsdb_atom_check_constraints(&datum->values[i], &type->value);
        }
    }
    return error;
}

/* Parses the [[k, v], ...] array of a "map". */
static struct ovsdb_error *
map_from_json__(struct ovsdb_datum *datum, const struct ovsdb_type *type,
                const json_t *pairs, struct ovsdb_symbol_table *symtab)
{
    size_t n = json_array_size(pairs);

    datum->keys = n ? xmalloc(n * sizeof *datum->keys) : NULL;
    datum->values = n ? xmalloc(n * sizeof *datum->values) : NULL;
    for (size_t i = 0; i < n; i++) {
        const json_t *pair = json_array_get(pairs, i);
        struct ovsdb_error *error;

        if (!json_is_array(pair) || json_array_size(pair) != 2) {
            return ovsdb_syntax_error(pair, "map element must be a "
                                            "[key, value] pair");
        }
        error = ovsdb_atom_from_json(&datum->keys[i], &type->key,
                                     json_array_get(pair, 0), symtab);
        if (error) {
            return error;
        }
        error = ovsdb_atom_from_json(&datum->values[i], &type->value,
                                     json_array_get(pair, 1), symtab);
        if (error) {
            ovsdb_atom_destroy(&datum->keys[i], type->key.type);
            return error;
        }
        datum->n++;
    }
    return NULL;
}

/* Parses the element array of a "set" (or a single atom when 'atoms' is
 * not an array: then it is that atom). */
static struct ovsdb_error *
set_from_json__(struct ovsdb_datum *datum, const struct ovsdb_type *type,
                const json_t *atoms, bool single,
                struct ovsdb_symbol_table *symtab)
{
    size_t n = single ? 1 : json_array_size(atoms);

    datum->keys = n ? xmalloc(n * sizeof *datum->keys) : NULL;
    for (size_t i = 0; i < n; i++) {
        const json_t *a = single ? atoms : json_array_get(atoms, i);
        struct ovsdb_error *error;

        error = ovsdb_atom_from_json(&datum->keys[i], &type->key, a, symtab);
        if (error) {
            return error;
        }
        datum->n++;
    }
    return NULL;
}

/* Returns true if 'json' is [tag, <array>]. */
static bool
is_tagged_array__(const json_t *json, const char *tag)
{
    return json_is_array(json) && json_array_size(json) == 2 &&
           json_is_string(json_array_get(json, 0)) &&
           !strcmp(json_string_value(json_array_get(json, 0)), tag);
}

/* Parses a <value> of 'type' (RFC 7047 5.1): an atom, ["set", [...]] or
 * ["map", [[k, v], ...]], sorted and checked for duplicates, counts and
 * constraints.  On success the caller owns 'datum' (overwritten); on error
 * it is left empty.  'json' stays the caller's. */
struct ovsdb_error *
ovsdb_datum_from_json(struct ovsdb_datum *datum, const struct ovsdb_type *type,
                      const json_t *json, struct ovsdb_symbol_table *symtab)
{
    struct ovsdb_error *error;

    ovsdb_datum_init_empty(datum);
    if (ovsdb_type_is_map(type)) {
        if (!is_tagged_array__(json, "map") ||
            !json_is_array(json_array_get(json, 1))) {
            return ovsdb_syntax_error(json, "expected [\"map\", [...]]");
        }
        error = map_from_json__(datum, type, json_array_get(json, 1), symtab);
    } else if (is_tagged_array__(json, "set")) {
        const json_t *atoms = json_array_get(json, 1);

        if (!json_is_array(atoms)) {
            return ovsdb_syntax_error(json, "expected [\"set\", [...]]");
        }
        error = set_from_json__(datum, type, atoms, false, symtab);
    } else {
        error = set_from_json__(datum, type, json, true, symtab);
    }
    if (!error) {
        error = ovsdb_datum_sort(datum, type, false);
    }
    if (!error) {
        error = check_count__(datum, type);
    }
    if (error) {
        ovsdb_datum_destroy(datum, type);
    }
    return error;
}

/* Returns the <value> JSON of 'datum': maps as ["map", ...], a set of
 * exactly one element as that atom, other sets as ["set", [...]].  The
 * caller owns the result. */
json_t *
ovsdb_datum_to_json(const struct ovsdb_datum *datum,
                    const struct ovsdb_type *type)
{
    json_t *elems;

    if (ovsdb_type_is_map(type)) {
        elems = json_array();
        for (size_t i = 0; i < datum->n; i++) {
            json_array_append_new(
                elems,
                json_pack(
                    "[oo]",
                    ovsdb_atom_to_json(&datum->keys[i], type->key.type),
                    ovsdb_atom_to_json(&datum->values[i], type->value.type)));
        }
        return json_pack("[so]", "map", elems);
    }
    if (datum->n == 1) {
        return ovsdb_atom_to_json(&datum->keys[0], type->key.type);
    }
    elems = json_array();
    for (size_t i = 0; i < datum->n; i++) {
        json_array_append_new(
            elems, ovsdb_atom_to_json(&datum->keys[i], type->key.type));
    }
    return json_pack("[so]", "set", elems);
}

/* ---- Set algebra. ---- */

/* Adds to 'a' every element of 'b' whose key 'a' lacks (a map keeps a's
 * value for a key both have).  Both are canonical datums of 'type'; 'b'
 * stays the caller's.  Counts are not checked (see ovsdb_datum_check()). */
void
ovsdb_datum_union(struct ovsdb_datum *a, const struct ovsdb_datum *b,
                  const struct ovsdb_type *type)
{
    bool map = ovsdb_type_is_map(type);
    size_t n_a = a->n, n = a->n;
    struct ovsdb_error *error;

    if (!b->n) {
        return;
    }
    a->keys = xrealloc(a->keys, (a->n + b->n) * sizeof *a->keys);
    if (map) {
        a->values = xrealloc(a->values, (a->n + b->n) * sizeof *a->values);
    }
    for (size_t i = 0; i < b->n; i++) {
        if (find_key_n__(a, n_a, &b->keys[i], type->key.type) != SIZE_MAX) {
            continue;
        }
        ovsdb_atom_clone(&a->keys[n], &b->keys[i], type->key.type);
        if (map) {
            ovsdb_atom_clone(&a->values[n], &b->values[i], type->value.type);
        }
        n++;
    }
    a->n = n;
    if (n != n_a) {
        error = ovsdb_datum_sort(a, type, true);
        ovsdb_error_destroy(error); /* Cannot fail with 'dedup'. */
    }
}

/* Removes from 'a' (of 'a_type') the elements in 'b' (of 'b_type').  When
 * 'a' is a map and 'b' a map too, a pair goes only if 'b' has the same key
 * with the same value; when 'b' is a set (of a's key type), pairs go by
 * key.  'b' stays the caller's. */
void
ovsdb_datum_subtract(struct ovsdb_datum *a, const struct ovsdb_type *a_type,
                     const struct ovsdb_datum *b,
                     const struct ovsdb_type *b_type)
{
    bool a_map = ovsdb_type_is_map(a_type);
    bool by_pair = a_map && ovsdb_type_is_map(b_type);
    size_t out = 0;

    for (size_t i = 0; i < a->n; i++) {
        size_t j = ovsdb_datum_find_key(b, &a->keys[i], a_type->key.type);
        bool remove = j != SIZE_MAX;

        if (remove && by_pair) {
            remove = !ovsdb_atom_compare(&a->values[i], &b->values[j],
                                         a_type->value.type);
        }
        if (remove) {
            ovsdb_atom_destroy(&a->keys[i], a_type->key.type);
            if (a_map) {
                ovsdb_atom_destroy(&a->values[i], a_type->value.type);
            }
            continue;
        }
        a->keys[out] = a->keys[i];
        if (a_map) {
            a->values[out] = a->values[i];
        }
        out++;
    }
    a->n = out;
}
