/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ovsdb-data-string: the text notation of database values that ovs-vsctl
 * reads and prints (see ovsdb-data.h), used by tern-vsctl.
 *
 * Parsing.  An atom is a bare word or a double-quoted string with JSON
 * escapes.  In a set or map a bare word ends at a space or at one of
 * ':' '=' ',' '[' ']' '{' '}' '!' '<' '>' (a backslash takes the next
 * character literally); elements are separated by spaces or one comma (a
 * trailing comma is allowed); sets may be enclosed in "[...]" and maps in
 * "{...}"; "[]" is the empty set and "{}" the empty map.  A set of integers
 * also accepts inclusive ranges "lo-hi" of at most 4096 values.  UUIDs are
 * written in full or as "@name", resolved through a symbol table.  Booleans
 * are true/false (also yes/no, on/off, 1/0).
 *
 * Formatting.  Strings are bare only when they start with an ASCII letter
 * or '_', contain only letters, digits, '_', '-' and '.', and could not be
 * read back as a boolean or a UUID; otherwise they are quoted with JSON
 * escapes.  Maps print as "{k=v, k2=v2}", sets of up to one element as the
 * element alone or "[]", larger sets as "[a, b]".
 */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>

#include "ovsdb/ovsdb-data.h"

#define RANGE_MAX 4096 /* Most values one "lo-hi" range may expand to. */

/* ---- Formatting. ---- */

static bool
is_ascii_alpha__(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
is_ascii_digit__(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* Returns true if 's' must be quoted to be read back as the same string. */
static bool
string_needs_quotes__(const char *s)
{
    struct uuid uuid;

    if (!is_ascii_alpha__((unsigned char)*s) && *s != '_') {
        return true;
    }
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;

        if (!is_ascii_alpha__(c) && !is_ascii_digit__(c) && c != '_' &&
            c != '-' && c != '.') {
            return true;
        }
    }
    return !strcmp(s, "true") || !strcmp(s, "false") ||
           uuid_from_string(&uuid, s);
}

/* Appends 's' to 'out' as a double-quoted JSON string. */
static void
put_quoted__(struct ds *out, const char *s)
{
    ds_put_char(out, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"':
            ds_put_cstr(out, "\\\"");
            break;
        case '\\':
            ds_put_cstr(out, "\\\\");
            break;
        case '\b':
            ds_put_cstr(out, "\\b");
            break;
        case '\f':
            ds_put_cstr(out, "\\f");
            break;
        case '\n':
            ds_put_cstr(out, "\\n");
            break;
        case '\r':
            ds_put_cstr(out, "\\r");
            break;
        case '\t':
            ds_put_cstr(out, "\\t");
            break;
        default:
            if (*p < 0x20) {
                ds_put_format(out, "\\u%04x", *p);
            } else {
                ds_put_char(out, (char)*p);
            }
            break;
        }
    }
    ds_put_char(out, '"');
}

/* Appends a real number in its shortest form that reads back exactly. */
static void
put_real__(struct ds *out, double d)
{
    char buf[64];

    snprintf(buf, sizeof buf, "%.*g", DBL_DIG, d);
    if (strtod(buf, NULL) != d) {
        snprintf(buf, sizeof buf, "%.17g", d);
    }
    ds_put_cstr(out, buf);
}

/* Appends 'atom' to 'out' in ovs-vsctl's notation. */
static void
atom_to_string__(const union ovsdb_atom *atom, enum ovsdb_atomic_type type,
                 bool bare, struct ds *out)
{
    switch (type) {
    case OVSDB_TYPE_INTEGER:
        ds_put_format(out, "%" PRId64, atom->integer);
        break;
    case OVSDB_TYPE_REAL:
        put_real__(out, atom->real);
        break;
    case OVSDB_TYPE_BOOLEAN:
        ds_put_cstr(out, atom->boolean ? "true" : "false");
        break;
    case OVSDB_TYPE_STRING:
        if (bare || !string_needs_quotes__(atom->string)) {
            ds_put_cstr(out, atom->string);
        } else {
            put_quoted__(out, atom->string);
        }
        break;
    case OVSDB_TYPE_UUID:
        ds_put_format(out, UUID_FMT, UUID_ARGS(&atom->uuid));
        break;
    case OVSDB_TYPE_VOID:
    case OVSDB_N_TYPES:
    default:
        break;
    }
}

/* Appends 'atom' as ovs-vsctl prints it to 'out' (which the caller owns). */
void
ovsdb_atom_to_string(const union ovsdb_atom *atom, enum ovsdb_atomic_type type,
                     struct ds *out)
{
    atom_to_string__(atom, type, false, out);
}

/* Appends 'datum' as ovs-vsctl prints it: "{k=v, ...}" for maps, the
 * element alone for a set of at most one element holding one, "[a, b]"
 * otherwise. */
void
ovsdb_datum_to_string(const struct ovsdb_datum *datum,
                      const struct ovsdb_type *type, struct ds *out)
{
    bool map = ovsdb_type_is_map(type);

    if (!map && type->n_max == 1 && datum->n == 1) {
        ovsdb_atom_to_string(&datum->keys[0], type->key.type, out);
        return;
    }
    ds_put_char(out, map ? '{' : '[');
    for (size_t i = 0; i < datum->n; i++) {
        if (i) {
            ds_put_cstr(out, ", ");
        }
        ovsdb_atom_to_string(&datum->keys[i], type->key.type, out);
        if (map) {
            ds_put_char(out, '=');
            ovsdb_atom_to_string(&datum->values[i], type->value.type, out);
        }
    }
    ds_put_char(out, map ? '}' : ']');
}

/* Appends 'datum' as ovs-vsctl's --data=bare prints it: elements (maps as
 * "k=v") separated by single spaces, strings never quoted, nothing for an
 * empty datum. */
void
ovsdb_datum_to_bare(const struct ovsdb_datum *datum,
                    const struct ovsdb_type *type, struct ds *out)
{
    bool map = ovsdb_type_is_map(type);

    for (size_t i = 0; i < datum->n; i++) {
        if (i) {
            ds_put_char(out, ' ');
        }
        atom_to_string__(&datum->keys[i], type->key.type, true, out);
        if (map) {
            ds_put_char(out, '=');
            atom_to_string__(&datum->values[i], type->value.type, true, out);
        }
    }
}

/* ---- Parsing. ---- */

/* Reads the 4 hex digits at 'p' into '*cp'. */
static bool
read_hex4__(const char *p, unsigned int *cp)
{
    *cp = 0;
    for (int i = 0; i < 4; i++) {
        int v = hex_digit_value((unsigned char)p[i]);

        if (v < 0) {
            return false;
        }
        *cp = (*cp << 4) | (unsigned int)v;
    }
    return true;
}

/* Appends code point 'cp' to 'out' in UTF-8. */
static void
put_utf8__(struct ds *out, unsigned int cp)
{
    if (cp < 0x80) {
        ds_put_char(out, (char)cp);
    } else if (cp < 0x800) {
        ds_put_char(out, (char)(0xc0 | (cp >> 6)));
        ds_put_char(out, (char)(0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
        ds_put_char(out, (char)(0xe0 | (cp >> 12)));
        ds_put_char(out, (char)(0x80 | ((cp >> 6) & 0x3f)));
        ds_put_char(out, (char)(0x80 | (cp & 0x3f)));
    } else {
        ds_put_char(out, (char)(0xf0 | (cp >> 18)));
        ds_put_char(out, (char)(0x80 | ((cp >> 12) & 0x3f)));
        ds_put_char(out, (char)(0x80 | ((cp >> 6) & 0x3f)));
        ds_put_char(out, (char)(0x80 | (cp & 0x3f)));
    }
}

/* Decodes the "\u" escape at 'p' (just after the 'u') including a
 * following low surrogate; advances '*pp'. */
static char *
parse_unicode_escape__(const char **pp, struct ds *out)
{
    const char *p = *pp;
    unsigned int cp, lo;

    if (!read_hex4__(p, &cp)) {
        return xstrdup("malformed \\u escape");
    }
    p += 4;
    if (cp >= 0xd800 && cp <= 0xdbff) {
        if (p[0] != '\\' || p[1] != 'u' || !read_hex4__(p + 2, &lo) ||
            lo < 0xdc00 || lo > 0xdfff) {
            return xstrdup("\\u escape of an unpaired surrogate");
        }
        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
        p += 6;
    } else if ((cp >= 0xdc00 && cp <= 0xdfff) || cp == 0) {
        return xstrdup("\\u escape of an invalid character");
    }
    put_utf8__(out, cp);
    *pp = p;
    return NULL;
}

/* Parses the double-quoted string that starts at '*pp' (at the opening
 * quote) into 'out' and advances '*pp' past the closing quote.  Returns
 * NULL or an error message (caller frees). */
static char *
parse_quoted__(const char **pp, struct ds *out)
{
    const char *start = *pp, *p = *pp + 1;

    for (;;) {
        char c = *p++;

        if (c == '\0') {
            return xasprintf("%s: missing closing quote", start);
        } else if (c == '"') {
            break;
        } else if (c != '\\') {
            ds_put_char(out, c);
            continue;
        }
        c = *p++;
        switch (c) {
        case '"':
        case '\\':
        case '/':
            ds_put_char(out, c);
            break;
        case 'b':
            ds_put_char(out, '\b');
            break;
        case 'f':
            ds_put_char(out, '\f');
            break;
        case 'n':
            ds_put_char(out, '\n');
            break;
        case 'r':
            ds_put_char(out, '\r');
            break;
        case 't':
            ds_put_char(out, '\t');
            break;
        case 'u': {
            char *error = parse_unicode_escape__(&p, out);

            if (error) {
                char *msg = xasprintf("%s: %s", start, error);

                free(error);
                return msg;
            }
            break;
        }
        default:
            return xasprintf("%s: invalid escape \\%c in quoted string", start,
                             c ? c : '0');
        }
    }
    *pp = p;
    return NULL;
}

/* Converts the (unquoted) text 's' to an atom of 'base->type', without
 * checking constraints. */
static char *
atom_from_bare__(union ovsdb_atom *atom, const struct ovsdb_base_type *base,
                 const char *s, struct ovsdb_symbol_table *symtab)
{
    char *end;

    switch (base->type) {
    case OVSDB_TYPE_INTEGER: {
        long long v;

        errno = 0;
        v = strtoll(s, &end, 10);
        if (!*s || *end || errno || isspace((unsigned char)*s)) {
            return xasprintf("\"%s\" is not a valid integer", s);
        }
        atom->integer = v;
        return NULL;
    }
    case OVSDB_TYPE_REAL: {
        double d;

        errno = 0;
        d = strtod(s, &end);
        if (!*s || *end || errno || !isfinite(d) ||
            isspace((unsigned char)*s)) {
            return xasprintf("\"%s\" is not a valid real number", s);
        }
        atom->real = d;
        return NULL;
    }
    case OVSDB_TYPE_BOOLEAN:
        if (!strcmp(s, "true") || !strcmp(s, "yes") || !strcmp(s, "on") ||
            !strcmp(s, "1")) {
            atom->boolean = true;
        } else if (!strcmp(s, "false") || !strcmp(s, "no") ||
                   !strcmp(s, "off") || !strcmp(s, "0")) {
            atom->boolean = false;
        } else {
            return xasprintf("\"%s\" is not a valid boolean (use \"true\" "
                             "or \"false\")",
                             s);
        }
        return NULL;
    case OVSDB_TYPE_STRING:
        if (!*s) {
            return xstrdup("an empty string is not valid input; write \"\" "
                           "for the empty string");
        }
        atom->string = xstrdup(s);
        return NULL;
    case OVSDB_TYPE_UUID:
        if (*s == '@') {
            if (!symtab) {
                return xasprintf("\"%s\": named UUIDs are not allowed here",
                                 s);
            }
            atom->uuid = *ovsdb_symbol_table_insert(symtab, s + 1);
            return NULL;
        }
        if (!uuid_from_string(&atom->uuid, s)) {
            return xasprintf("\"%s\" is not a valid UUID", s);
        }
        return NULL;
    case OVSDB_TYPE_VOID:
    case OVSDB_N_TYPES:
    default:
        return xstrdup("atom of void type");
    }
}

/* Converts a token to an atom: 'quoted' tokens are strings only.  Then
 * checks the constraints of 'base'.  On error the atom owns nothing. */
static char *
atom_from_token__(union ovsdb_atom *atom, const struct ovsdb_base_type *base,
                  const char *text, bool quoted,
                  struct ovsdb_symbol_table *symtab)
{
    struct ovsdb_error *error;
    char *msg;

    memset(atom, 0, sizeof *atom);
    if (quoted) {
        if (base->type != OVSDB_TYPE_STRING) {
            struct ds ds = DS_EMPTY;

            put_quoted__(&ds, text);
            msg = xasprintf("%s is not a valid %s", ds_cstr(&ds),
                            ovsdb_atomic_type_to_string(base->type));
            ds_destroy(&ds);
            return msg;
        }
        atom->string = xstrdup(text);
    } else {
        msg = atom_from_bare__(atom, base, text, symtab);
        if (msg) {
            return msg;
        }
    }
    error = ovsdb_atom_check_constraints(atom, base);
    if (error) {
        msg = ovsdb_error_to_string(error);
        ovsdb_error_destroy(error);
        ovsdb_atom_destroy(atom, base->type);
        return msg;
    }
    return NULL;
}

/* Parses all of 's' as one atom of 'base': a double-quoted string (strings
 * only) or the text as is.  "@name" UUIDs need 'symtab'.  Constraints are
 * checked.  Returns NULL (the caller owns 'atom') or an error message (the
 * caller frees it; 'atom' owns nothing). */
char *
ovsdb_atom_from_string(union ovsdb_atom *atom,
                       const struct ovsdb_base_type *base, const char *s,
                       struct ovsdb_symbol_table *symtab)
{
    if (*s == '"') {
        struct ds ds = DS_EMPTY;
        const char *p = s;
        char *msg = parse_quoted__(&p, &ds);

        if (!msg && *p) {
            msg = xasprintf("%s: unexpected text after the closing quote", s);
        }
        if (!msg) {
            msg = atom_from_token__(atom, base, ds_cstr(&ds), true, symtab);
        }
        ds_destroy(&ds);
        return msg;
    }
    return atom_from_token__(atom, base, s, false, symtab);
}

/* Returns true if 'c' ends a bare word inside a set or map. */
static bool
is_delimiter__(char c)
{
    return c == '\0' || c == ' ' || strchr(":=,[]{}!<>", c) != NULL;
}

/* Reads one token at '*pp' into 'out' (unescaped), sets '*quoted', and
 * advances '*pp'.  'whole' is the full input, for messages. */
static char *
read_token__(const char **pp, const char *whole, struct ds *out, bool *quoted)
{
    const char *p = *pp;

    ds_clear(out);
    *quoted = *p == '"';
    if (*quoted) {
        char *msg = parse_quoted__(&p, out);

        if (msg) {
            return msg;
        }
        if (!is_delimiter__(*p)) {
            return xasprintf("%s: unexpected text after a closing quote",
                             whole);
        }
    } else {
        while (!is_delimiter__(*p)) {
            if (*p == '\\' && p[1]) {
                p++;
            }
            ds_put_char(out, *p++);
        }
        if (p == *pp) {
            if (!*p) {
                return xasprintf("%s: value missing at the end", whole);
            }
            return xasprintf("%s: unexpected \"%c\"", whole, *p);
        }
    }
    *pp = p;
    return NULL;
}

static const char *
skip_spaces__(const char *p)
{
    while (*p == ' ') {
        p++;
    }
    return p;
}

/* Appends one element to 'datum' (capacity managed through '*allocated'),
 * taking ownership of the atoms. */
static void
datum_append__(struct ovsdb_datum *datum, size_t *allocated, bool map,
               const union ovsdb_atom *key, const union ovsdb_atom *value)
{
    if (datum->n >= *allocated) {
        *allocated = *allocated ? *allocated * 2 : 8;
        datum->keys = xrealloc(datum->keys, *allocated * sizeof *datum->keys);
        if (map) {
            datum->values =
                xrealloc(datum->values, *allocated * sizeof *datum->values);
        }
    }
    datum->keys[datum->n] = *key;
    if (map) {
        datum->values[datum->n] = *value;
    }
    datum->n++;
}

/* Tries to read 'text' as an integer range "lo-hi"; returns false if it
 * does not look like one. */
static bool
parse_range__(const char *text, long long *lo, long long *hi)
{
    const char *dash = strchr(text + 1, '-');
    char *end;

    if (!dash || dash == text) {
        return false;
    }
    errno = 0;
    *lo = strtoll(text, &end, 10);
    if (end != dash || errno) {
        return false;
    }
    *hi = strtoll(dash + 1, &end, 10);
    return !*end && !errno && dash[1] && !isspace((unsigned char)dash[1]);
}

/* Appends the integers of range token 'text' to 'datum'.  Returns NULL or
 * an error. */
static char *
append_range__(struct ovsdb_datum *datum, size_t *allocated,
               const struct ovsdb_type *type, const char *text)
{
    long long lo, hi;

    if (!parse_range__(text, &lo, &hi)) {
        return xasprintf("\"%s\" is not a valid integer or range", text);
    }
    if (hi < lo) {
        return xasprintf("\"%s\" is not a valid range: the end is before "
                         "the start",
                         text);
    }
    if ((unsigned long long)hi - (unsigned long long)lo >= RANGE_MAX) {
        return xasprintf("\"%s\": a range may hold at most %d values", text,
                         RANGE_MAX);
    }
    for (long long v = lo;; v++) {
        union ovsdb_atom atom = {.integer = v};
        struct ovsdb_error *error;

        error = ovsdb_atom_check_constraints(&atom, &type->key);
        if (error) {
            char *msg = ovsdb_error_to_string(error);

            ovsdb_error_destroy(error);
            return msg;
        }
        datum_append__(datum, allocated, false, &atom, NULL);
        if (v == hi) {
            break;
        }
    }
    return NULL;
}

/* Reads one element (a key, or a key=value pair) at '*pp'. */
static char *
parse_element__(const char **pp, const char *whole, struct ovsdb_datum *datum,
                size_t *allocated, const struct ovsdb_type *type,
                struct ovsdb_symbol_table *symtab, struct ds *tok)
{
    bool map = ovsdb_type_is_map(type);
    union ovsdb_atom key, value;
    bool quoted;
    char *msg;

    msg = read_token__(pp, whole, tok, &quoted);
    if (msg) {
        return msg;
    }
    if (!map && !quoted && type->key.type == OVSDB_TYPE_INTEGER &&
        type->n_max > 1 && strchr(ds_cstr(tok) + 1, '-')) {
        return append_range__(datum, allocated, type, ds_cstr(tok));
    }
    msg = atom_from_token__(&key, &type->key, ds_cstr(tok), quoted, symtab);
    if (msg) {
        return msg;
    }
    if (map) {
        *pp = skip_spaces__(*pp);
        if (**pp != '=') {
            ovsdb_atom_destroy(&key, type->key.type);
            return **pp ? xasprintf("%s: expected \"=\" but found \"%c\"",
                                    whole, **pp)
                        : xasprintf("%s: expected \"=\" after a map key",
                                    whole);
        }
        *pp = skip_spaces__(*pp + 1);
        msg = read_token__(pp, whole, tok, &quoted);
        if (!msg) {
            msg = atom_from_token__(&value, &type->value, ds_cstr(tok), quoted,
                                    symtab);
        }
        if (msg) {
            ovsdb_atom_destroy(&key, type->key.type);
            return msg;
        }
    }
    datum_append__(datum, allocated, map, &key, map ? &value : NULL);
    return NULL;
}

/* Parses the elements of 's' into 'datum' (no sorting or count checks). */
static char *
parse_elements__(struct ovsdb_datum *datum, const struct ovsdb_type *type,
                 const char *s, struct ovsdb_symbol_table *symtab)
{
    bool map = ovsdb_type_is_map(type);
    const char *p = skip_spaces__(s);
    struct ds tok = DS_EMPTY;
    size_t allocated = 0;
    char close = '\0';
    char *msg = NULL;

    if (*p == (map ? '{' : '[') ||
        (!map && p[0] == '{' && *skip_spaces__(p + 1) == '}')) {
        close = *p == '{' ? '}' : ']';
        p++;
    }
    for (;;) {
        p = skip_spaces__(p);
        if (*p == close) {
            break;
        } else if (close && !*p) {
            msg = xasprintf("%s: missing \"%c\" at the end", s, close);
            break;
        }
        msg = parse_element__(&p, s, datum, &allocated, type, symtab, &tok);
        if (msg) {
            break;
        }
        p = skip_spaces__(p);
        if (*p == ',') {
            p++;
        }
    }
    ds_destroy(&tok);
    if (!msg && close) {
        p = skip_spaces__(p + 1);
        if (*p) {
            msg = xasprintf("%s: unexpected text after \"%c\"", s, close);
        }
    }
    return msg;
}

/* Parses 's' in ovs-vsctl's notation as a value of 'type' (see the top of
 * this file), sorted, without duplicates, with a count within the type's
 * bounds and every atom within its constraints.  "@name" UUIDs need
 * 'symtab'.  Returns NULL (the caller owns 'datum', which is overwritten)
 * or an error message the caller frees ('datum' is then empty). */
char *
ovsdb_datum_from_string(struct ovsdb_datum *datum,
                        const struct ovsdb_type *type, const char *s,
                        struct ovsdb_symbol_table *symtab)
{
    struct ovsdb_error *error;
    char *msg;

    ovsdb_datum_init_empty(datum);
    if (!*skip_spaces__(s) && type->n_min &&
        type->key.type == OVSDB_TYPE_STRING) {
        return xstrdup("an empty string is not valid input; write \"\" "
                       "for the empty string");
    }
    msg = parse_elements__(datum, type, s, symtab);
    if (!msg) {
        error = ovsdb_datum_sort(datum, type, false);
        if (error) {
            msg = xasprintf("%s: %s contains a duplicate %s", s,
                            ovsdb_type_is_map(type) ? "map" : "set",
                            ovsdb_type_is_map(type) ? "key" : "value");
            ovsdb_error_destroy(error);
        }
    }
    if (!msg && datum->n < type->n_min) {
        msg =
            xasprintf("%s: %zu values given but at least %u %s required", s,
                      datum->n, type->n_min, type->n_min == 1 ? "is" : "are");
    }
    if (!msg && datum->n > type->n_max) {
        msg =
            xasprintf("%s: %zu values given but at most %u %s allowed", s,
                      datum->n, type->n_max, type->n_max == 1 ? "is" : "are");
    }
    if (msg) {
        ovsdb_datum_destroy(datum, type);
    }
    return msg;
}
