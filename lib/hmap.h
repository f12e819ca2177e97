/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hmap and list: an intrusive hash map (chained, power-of-two buckets,
 * grows at load 1, never shrinks) and an intrusive doubly linked list.
 *
 * Embed 'struct hmap_node' / 'struct list_node' in your object; get the
 * object back with CONTAINER_OF().  The caller computes hashes (lib/hash.h)
 * and compares keys while walking a bucket with HMAP_FOR_EACH_WITH_HASH.
 *
 * Thread safety: none; callers serialise access.
 */
#ifndef TERN_HMAP_H
#define TERN_HMAP_H 1

#include "lib/util.h"

struct hmap_node {
    struct hmap_node *next;
    uint32_t hash;
};

struct hmap {
    struct hmap_node **buckets;
    size_t mask; /* n_buckets - 1. */
    size_t n;
};

void hmap_init(struct hmap *);
/* Frees the bucket array only; the nodes belong to the caller. */
void hmap_destroy(struct hmap *);
void hmap_insert(struct hmap *, struct hmap_node *, uint32_t hash);
void hmap_remove(struct hmap *, struct hmap_node *);
static inline size_t
hmap_count(const struct hmap *h)
{
    return h->n;
}
/* First node of the bucket of 'hash' (then follow ->next, checking
 * ->hash). */
static inline struct hmap_node *
hmap_first_in_bucket(const struct hmap *h, uint32_t hash)
{
    return h->buckets ? h->buckets[hash & h->mask] : NULL;
}
/* Iteration over every node: start with hmap_first(), continue with
 * hmap_next().  Removing the current node is allowed if the next one was
 * fetched first (HMAP_FOR_EACH_SAFE). */
struct hmap_node *hmap_first(const struct hmap *);
struct hmap_node *hmap_next(const struct hmap *, const struct hmap_node *);

#define HMAP_FOR_EACH_WITH_HASH(NODE, HASH, HMAP)                             \
    for (struct hmap_node *NODE = hmap_first_in_bucket(HMAP, HASH); NODE;     \
         NODE = NODE->next)                                                   \
        if (NODE->hash == (HASH))

#define HMAP_FOR_EACH(NODE, HMAP)                                             \
    for (struct hmap_node *NODE = hmap_first(HMAP); NODE;                     \
         NODE = hmap_next(HMAP, NODE))

#define HMAP_FOR_EACH_SAFE(NODE, NEXT, HMAP)                                  \
    for (struct hmap_node *NODE = hmap_first(HMAP),                           \
                          *NEXT = NODE ? hmap_next(HMAP, NODE) : NULL;        \
         NODE; NODE = NEXT, NEXT = NODE ? hmap_next(HMAP, NODE) : NULL)

/* Doubly linked list with a sentinel head. */
struct list_node {
    struct list_node *prev, *next;
};

static inline void
list_init(struct list_node *head)
{
    head->prev = head->next = head;
}
static inline bool
list_is_empty(const struct list_node *head)
{
    return head->next == head;
}
/* Inserts 'node' before 'before' (list_push_back(head, n) == insert before
 * head). */
static inline void
list_insert(struct list_node *before, struct list_node *node)
{
    node->prev = before->prev;
    node->next = before;
    before->prev->next = node;
    before->prev = node;
}
static inline void
list_push_back(struct list_node *head, struct list_node *node)
{
    list_insert(head, node);
}
static inline void
list_push_front(struct list_node *head, struct list_node *node)
{
    list_insert(head->next, node);
}
static inline void
list_remove(struct list_node *node)
{
    node->prev->next = node->next;
    node->next->prev = node->prev;
    node->prev = node->next = node;
}
static inline struct list_node *
list_pop_front(struct list_node *head)
{
    struct list_node *n = head->next;
    list_remove(n);
    return n;
}
size_t list_size(const struct list_node *head);

#define LIST_FOR_EACH(NODE, HEAD)                                             \
    for (struct list_node *NODE = (HEAD)->next; NODE != (HEAD);               \
         NODE = NODE->next)
#define LIST_FOR_EACH_SAFE(NODE, NEXT, HEAD)                                  \
    for (struct list_node *NODE = (HEAD)->next, *NEXT = NODE->next;           \
         NODE != (HEAD); NODE = NEXT, NEXT = NODE->next)

#endif /* TERN_HMAP_H */
