/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hmap: the out-of-line parts of the intrusive hash map and list.
 */
#include <config.h>

#include "lib/hmap.h"

#include <stdlib.h>

void
hmap_init(struct hmap *h)
{
    h->buckets = NULL;
    h->mask = 0;
    h->n = 0;
}

void
hmap_destroy(struct hmap *h)
{
    free(h->buckets);
    hmap_init(h);
}

static void
hmap_resize(struct hmap *h, size_t n_buckets)
{
    struct hmap_node **b = xcalloc(n_buckets, sizeof *b);
    for (size_t i = 0; h->buckets && i <= h->mask; i++) {
        struct hmap_node *node = h->buckets[i];
        while (node) {
            struct hmap_node *next = node->next;
            size_t j = node->hash & (n_buckets - 1);
            node->next = b[j];
            b[j] = node;
            node = next;
        }
    }
    free(h->buckets);
    h->buckets = b;
    h->mask = n_buckets - 1;
}

void
hmap_insert(struct hmap *h, struct hmap_node *node, uint32_t hash)
{
    if (!h->buckets) {
        hmap_resize(h, 8);
    } else if (h->n >= h->mask + 1) {
        hmap_resize(h, (h->mask + 1) * 2);
    }
    node->hash = hash;
    struct hmap_node **b = &h->buckets[hash & h->mask];
    node->next = *b;
    *b = node;
    h->n++;
}

void
hmap_remove(struct hmap *h, struct hmap_node *node)
{
    struct hmap_node **p = &h->buckets[node->hash & h->mask];
    while (*p != node) {
        p = &(*p)->next;
    }
    *p = node->next;
    h->n--;
}

static struct hmap_node *
hmap_scan(const struct hmap *h, size_t start)
{
    for (size_t i = start; h->buckets && i <= h->mask; i++) {
        if (h->buckets[i]) {
            return h->buckets[i];
        }
    }
    return NULL;
}

struct hmap_node *
hmap_first(const struct hmap *h)
{
    return hmap_scan(h, 0);
}

struct hmap_node *
hmap_next(const struct hmap *h, const struct hmap_node *node)
{
    if (node->next) {
        return node->next;
    }
    return hmap_scan(h, (node->hash & h->mask) + 1);
}

size_t
list_size(const struct list_node *head)
{
    size_t n = 0;
    LIST_FOR_EACH(node, head)
    {
        n++;
    }
    return n;
}
