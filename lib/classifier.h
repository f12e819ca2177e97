/* SPDX-License-Identifier: Apache-2.0 */
/*
 * classifier: a tuple-space-search classifier over struct flow.
 *
 * What.  A set of rules, each a (masked key, mask, priority).  Lookup of a
 * packet's key returns the highest-priority rule whose masked key equals the
 * packet's key under the rule's mask.  Rules with the same mask share a
 * subtable: a hash table keyed by the masked key, so a lookup costs one hash
 * probe per subtable, whatever the number of rules.
 *
 * Why.  The datapath's megaflow cache is a classifier whose rules all have
 * priority 0 (the first match wins, and the slow path never installs
 * overlapping megaflows); the OpenFlow tables are classifiers with real
 * priorities.  One implementation serves both.
 *
 * How.  Subtables are kept in an array ordered by the highest priority they
 * hold, and, among equal priorities, by how often lookups hit them
 * (classifier_rank_subtables(), called periodically by the writer).  A
 * lookup stops as soon as no remaining subtable can hold a higher-priority
 * match.  Each lookup can also report the union of the masks it examined
 * ('wc'), which is what a megaflow built from the result must match on.
 *
 * Threads.  One writer at a time (the caller serialises writers with its
 * own lock); any number of lock-free readers under RCU (lib/rcu.h):
 * classifier_lookup*() and the counters may run concurrently with a writer.
 * A removed rule may still be returned to readers that started before the
 * removal; the caller frees rule memory only through rcu_postpone().
 * Memory the classifier allocates internally is retired the same way.
 */
#ifndef TERN_CLASSIFIER_H
#define TERN_CLASSIFIER_H 1

#include "lib/flow.h"

struct cls_subtable;

/* A rule.  Embed it in the caller's object; initialise with cls_rule_init().
 * Fields are read-only for the caller after insertion. */
struct cls_rule {
    struct flow key;                /* Masked by 'mask'. */
    struct flow_wildcards mask;
    int priority;
    uint32_t hash;                  /* Of the masked key, for its subtable. */
    struct cls_subtable *subtable;  /* Set while inserted. */
    /* Internal: chain within the subtable for rules with equal masked key
     * and mask but different priority, and the hash-table link. */
    struct cls_rule *_Atomic next_same;
    struct cls_rule *_Atomic hnext;
};

/* Opaque classifier. */
struct classifier;

struct classifier *classifier_create(void);
/* Frees the classifier (must be empty or the caller drops the rules
 * itself); internal memory is retired through rcu_postpone(). */
void classifier_destroy(struct classifier *);

/* Sets up 'rule' with 'key' masked by 'mask' (NULL: exact) at 'priority'. */
void cls_rule_init(struct cls_rule *rule, const struct flow *key,
                   const struct flow_wildcards *mask, int priority);

/* Writer: inserts 'rule' (the caller keeps ownership).  Returns 0, or
 * EEXIST if a rule with the same masked key, mask and priority is present
 * (nothing changes). */
int classifier_insert(struct classifier *, struct cls_rule *rule);
/* Writer: removes 'rule', which must be inserted. */
void classifier_remove(struct classifier *, struct cls_rule *rule);
/* Writer: atomically puts 'new' in place of 'old' (same match and
 * priority); readers see one or the other. */
void classifier_replace(struct classifier *, struct cls_rule *old,
                        struct cls_rule *new_);
/* Writer side: the rule with exactly this match and priority, or NULL. */
struct cls_rule *classifier_find_exact(const struct classifier *,
                                       const struct flow *key,
                                       const struct flow_wildcards *mask,
                                       int priority);

/* Reader: the highest-priority rule matching 'key' (its map and hash need
 * not be set: only key->flow is read), or NULL.  If 'wc' is non-NULL, ORs
 * into it the masks of every subtable examined. */
const struct cls_rule *classifier_lookup(const struct classifier *,
                                         const struct flow *key,
                                         struct flow_wildcards *wc);
/* Reader, for the megaflow cache: for each of the 'n' keys, stores in
 * rules[i] the first matching rule found (ignoring priority) or NULL.
 * Returns the number of keys that matched.  Counts hits per subtable for
 * ranking.  n <= 32. */
size_t classifier_lookup_batch(const struct classifier *,
                               const struct flow *const keys[], size_t n,
                               const struct cls_rule *rules[]);

/* Writer: reorders subtables by hits since the last call (ties keep their
 * order) and resets the hit counters. */
void classifier_rank_subtables(struct classifier *);

size_t classifier_count(const struct classifier *);
size_t classifier_n_subtables(const struct classifier *);
/* Writer side: calls 'cb' for every rule (order unspecified).  'cb' must
 * not modify the classifier. */
void classifier_for_each(const struct classifier *,
                         void (*cb)(const struct cls_rule *, void *aux),
                         void *aux);

#endif /* TERN_CLASSIFIER_H */
