/* SPDX-License-Identifier: Apache-2.0 */
/*
 * smap: a sorted array of owned key/value strings (see smap.h).  Lookups are
 * binary searches; insertions shift the tail.  Maps hold a handful to a few
 * dozen entries (port options, status columns), so an array beats a hash
 * table here and keeps iteration order deterministic.
 */
#include <config.h>

#include "lib/smap.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <strings.h>

void
smap_init(struct smap *smap)
{
    smap->nodes = NULL;
    smap->n = 0;
    smap->allocated = 0;
}

void
smap_clear(struct smap *smap)
{
    for (size_t i = 0; i < smap->n; i++) {
        free(smap->nodes[i].key);
        free(smap->nodes[i].value);
    }
    smap->n = 0;
}

void
smap_destroy(struct smap *smap)
{
    if (smap) {
        smap_clear(smap);
        free(smap->nodes);
        smap_init(smap);
    }
}

/* Returns the index of 'key' in 'smap' and sets '*found', or the index at
 * which 'key' would be inserted with '*found' false. */
static size_t
smap_find__(const struct smap *smap, const char *key, bool *found)
{
    size_t lo = 0, hi = smap->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int cmp = strcmp(key, smap->nodes[mid].key);
        if (!cmp) {
            *found = true;
            return mid;
        } else if (cmp < 0) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    *found = false;
    return lo;
}

/* Stores 'key' => 'value', taking ownership of 'value' (but not 'key'). */
static void
smap_replace_nocopy__(struct smap *smap, const char *key, char *value)
{
    bool found;
    size_t i = smap_find__(smap, key, &found);
    if (found) {
        free(smap->nodes[i].value);
        smap->nodes[i].value = value;
        return;
    }
    if (smap->n >= smap->allocated) {
        smap->allocated = smap->allocated ? smap->allocated * 2 : 4;
        smap->nodes =
            xrealloc(smap->nodes, smap->allocated * sizeof *smap->nodes);
    }
    memmove(&smap->nodes[i + 1], &smap->nodes[i],
            (smap->n - i) * sizeof *smap->nodes);
    smap->nodes[i].key = xstrdup(key);
    smap->nodes[i].value = value;
    smap->n++;
}

void
smap_replace(struct smap *smap, const char *key, const char *value)
{
    smap_replace_nocopy__(smap, key, xstrdup(value));
}

void
smap_add_format(struct smap *smap, const char *key, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    char *value = xvasprintf(format, args);
    va_end(args);
    smap_replace_nocopy__(smap, key, value);
}

bool
smap_remove(struct smap *smap, const char *key)
{
    bool found;
    size_t i = smap_find__(smap, key, &found);
    if (!found) {
        return false;
    }
    free(smap->nodes[i].key);
    free(smap->nodes[i].value);
    memmove(&smap->nodes[i], &smap->nodes[i + 1],
            (smap->n - i - 1) * sizeof *smap->nodes);
    smap->n--;
    return true;
}

const char *
smap_get(const struct smap *smap, const char *key)
{
    bool found;
    size_t i = smap_find__(smap, key, &found);
    return found ? smap->nodes[i].value : NULL;
}

const char *
smap_get_def(const struct smap *smap, const char *key, const char *def)
{
    const char *value = smap_get(smap, key);
    return value ? value : def;
}

long long
smap_get_int(const struct smap *smap, const char *key, long long def)
{
    const char *value = smap_get(smap, key);
    if (!value || !*value || isspace((unsigned char)*value)) {
        return def;
    }
    char *end;
    errno = 0;
    long long v = strtoll(value, &end, 0);
    return errno || *end ? def : v;
}

bool
smap_get_bool(const struct smap *smap, const char *key, bool def)
{
    const char *value = smap_get(smap, key);
    if (!value) {
        return def;
    }
    if (!strcasecmp(value, "true") || !strcmp(value, "1") ||
        !strcasecmp(value, "yes") || !strcasecmp(value, "on")) {
        return true;
    }
    if (!strcasecmp(value, "false") || !strcmp(value, "0") ||
        !strcasecmp(value, "no") || !strcasecmp(value, "off")) {
        return false;
    }
    return def;
}

size_t
smap_count(const struct smap *smap)
{
    return smap->n;
}

void
smap_clone(struct smap *dst, const struct smap *src)
{
    smap_init(dst);
    if (!src->n) {
        return;
    }
    dst->nodes = xmalloc(src->n * sizeof *dst->nodes);
    dst->allocated = src->n;
    for (size_t i = 0; i < src->n; i++) {
        dst->nodes[i].key = xstrdup(src->nodes[i].key);
        dst->nodes[i].value = xstrdup(src->nodes[i].value);
    }
    dst->n = src->n;
}

bool
smap_equal(const struct smap *a, const struct smap *b)
{
    if (a->n != b->n) {
        return false;
    }
    for (size_t i = 0; i < a->n; i++) {
        if (strcmp(a->nodes[i].key, b->nodes[i].key) ||
            strcmp(a->nodes[i].value, b->nodes[i].value)) {
            return false;
        }
    }
    return true;
}

/* Returns a copy of the 'n' bytes at 's' without leading and trailing
 * white space.  The caller frees the result. */
static char *
smap_strip__(const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n && isspace((unsigned char)s[n - 1])) {
        n--;
    }
    char *copy = xmalloc(n + 1);
    memcpy(copy, s, n);
    copy[n] = '\0';
    return copy;
}

/* Parses one "key=value" item of 'n' bytes at 'item' into 'smap'.  Returns
 * NULL or an error message that the caller frees. */
static char *
smap_parse_item__(struct smap *smap, const char *item, size_t n)
{
    const char *eq = memchr(item, '=', n);
    char *whole = smap_strip__(item, n);
    if (!eq) {
        char *error = xasprintf("\"%s\": missing '=' in key=value", whole);
        free(whole);
        return error;
    }
    char *key = smap_strip__(item, eq - item);
    char *value = smap_strip__(eq + 1, n - (eq - item) - 1);
    char *error = NULL;
    if (!*key) {
        error = xasprintf("\"%s\": empty key", whole);
    } else if (smap_get(smap, key)) {
        error = xasprintf("\"%s\": duplicate key", key);
    } else {
        smap_replace_nocopy__(smap, key, value);
        value = NULL;
    }
    free(whole);
    free(key);
    free(value);
    return error;
}

char *
smap_parse(struct smap *smap, const char *s)
{
    const char *p = s;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        size_t i = 0;
        while (i < n && isspace((unsigned char)p[i])) {
            i++;
        }
        if (i == n) {
            /* An empty item is allowed only as the whole (empty) string. */
            if (comma || p != s) {
                return xstrdup("empty item in key=value list");
            }
            return NULL;
        }
        char *error = smap_parse_item__(smap, p, n);
        if (error) {
            return error;
        }
        if (!comma) {
            return NULL;
        }
        p = comma + 1;
    }
}

void
smap_format(const struct smap *smap, struct ds *ds)
{
    for (size_t i = 0; i < smap->n; i++) {
        if (i) {
            ds_put_cstr(ds, ", ");
        }
        ds_put_format(ds, "%s=%s", smap->nodes[i].key, smap->nodes[i].value);
    }
}
