/* SPDX-License-Identifier: Apache-2.0 */
/*
 * smap: a small string-to-string map (port options, configuration keys,
 * status columns).  Kept sorted by key so that output is deterministic.
 * Not thread-safe; the owner serialises access.
 */
#ifndef TERN_SMAP_H
#define TERN_SMAP_H 1

#include "lib/util.h"

struct smap_node {
    char *key;
    char *value;
};

struct smap {
    struct smap_node *nodes; /* Sorted by key. */
    size_t n;
    size_t allocated;
};

#define SMAP_INITIALIZER                                                      \
    {                                                                         \
        NULL, 0, 0                                                            \
    }
#define SMAP_FOR_EACH(NODE, SMAP)                                             \
    for (const struct smap_node *NODE = (SMAP)->nodes;                        \
         NODE < (SMAP)->nodes + (SMAP)->n; NODE++)

void smap_init(struct smap *);
void smap_destroy(struct smap *);
void smap_clear(struct smap *);
/* Copies key and value; replaces an existing value for 'key'. */
void smap_replace(struct smap *, const char *key, const char *value);
void smap_add_format(struct smap *, const char *key, const char *format, ...)
    TERN_PRINTF(3, 4);
bool smap_remove(struct smap *, const char *key);
/* Returns the value for 'key' or NULL; valid until the smap changes. */
const char *smap_get(const struct smap *, const char *key);
const char *smap_get_def(const struct smap *, const char *key,
                         const char *def);
/* Integer and boolean values; the default when absent or malformed. */
long long smap_get_int(const struct smap *, const char *key, long long def);
bool smap_get_bool(const struct smap *, const char *key, bool def);
size_t smap_count(const struct smap *);
void smap_clone(struct smap *dst, const struct smap *src);
bool smap_equal(const struct smap *, const struct smap *);
/* Parses "k1=v1,k2=v2" (whitespace around items ignored) into 'smap'.
 * Returns NULL on success, else an error message the caller frees. */
char *smap_parse(struct smap *, const char *s);
/* Appends "k1=v1, k2=v2" (sorted) to 'ds'. */
void smap_format(const struct smap *, struct ds *ds);

#endif /* TERN_SMAP_H */
