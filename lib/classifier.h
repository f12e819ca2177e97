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
 * A removed rule's memory may be freed, or the rule inserted again, only
 * after a grace period.  Writer-side calls (insert, remove, replace,
 * find_exact, rank, for_each, destroy) run under the caller's writer lock;
 * lookups and the two counts need no lock.
 *
 * Cost model.  Let S be the number of subtables a lookup examines and W
 * the number of non-zero 64-bit words in a subtable's mask (1-3 for typical
 * megaflows, 18 for an exact match on every field).
 *   - classifier_lookup(): per examined subtable, W hash rounds over the
 *     masked words (one CRC32C instruction each where the build has SSE4.2,
 *     a multiply-xorshift round otherwise), one 64-byte group (5 slots
 *     of tag + rule pointer; further groups only on overflow, rare below
 *     the 75% load the tables keep), and, on a tag match, W word compares
 *     in the rule.  Independent of the number of rules.  Early termination:
 *     once a rule of priority P is found, subtables whose highest priority
 *     is <= P are skipped (and stay out of 'wc').
 *   - classifier_lookup_batch(): the same per key and subtable, but all the
 *     still-unmatched keys of a batch are hashed and their groups
 *     prefetched before any is probed, so memory latency overlaps across
 *     keys.  A key leaves the batch at its first match, so hot subtables
 *     ranked first make S close to 1.  No allocation, lock or atomic
 *     read-modify-write: one relaxed load/store of a hit counter per
 *     subtable that matched.  classifier_lookup_batch_counted() also
 *     reports each key's S, for statistics.
 *   - Writers: insert/remove are O(W) amortised plus the cost of finding
 *     the subtable (a scan of the subtable array comparing masks); a new
 *     subtable, a change of a subtable's highest priority or a re-ranking
 *     copies the subtable array (O(number of subtables)); a table that
 *     crosses 75% load (with tombstones) or falls below 1/8 is rebuilt in
 *     O(its rules).  Removing the last rule at a subtable's top priority
 *     rescans that subtable.
 */
#ifndef TERN_CLASSIFIER_H
#define TERN_CLASSIFIER_H 1

#include "lib/flow.h"

struct cls_subtable;

/* A rule.  Embed it in the caller's object; initialise with cls_rule_init().
 * Fields are read-only for the caller after insertion. */
struct cls_rule {
    struct flow key; /* Masked by 'mask'. */
    struct flow_wildcards mask;
    int priority;
    uint32_t hash;                 /* Of the masked key, for its subtable. */
    struct cls_subtable *subtable; /* Set while inserted. */
    /* Internal: chain within the subtable for rules with equal masked key
     * and mask but lower priority, in decreasing priority; 'hnext' is
     * unused (the hash tables are open-addressed). */
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
 * priority; 'new_' set up with cls_rule_init() and not inserted); readers
 * see one or the other.  'old' is then out of the classifier, as if
 * removed. */
void classifier_replace(struct classifier *, struct cls_rule *old,
                        struct cls_rule *new_);
/* Writer side: the rule with exactly this match and priority, or NULL. */
struct cls_rule *classifier_find_exact(const struct classifier *,
                                       const struct flow *key,
                                       const struct flow_wildcards *mask,
                                       int priority);

/* Reader: the highest-priority rule matching 'key', or NULL.  If 'wc' is
 * non-NULL, ORs into it the masks of every subtable examined.  Among rules
 * of equal priority in different subtables, the first in rank order wins.
 * Counts a hit for the subtable of the returned rule. */
const struct cls_rule *classifier_lookup(const struct classifier *,
                                         const struct flow *key,
                                         struct flow_wildcards *wc);
/* Reader, for the megaflow cache: for each of the 'n' keys, stores in
 * rules[i] the first matching rule found (ignoring priority; subtables in
 * rank order; the highest priority of that match) or NULL.  Returns the
 * number of keys that matched.  Counts hits per subtable for ranking.
 * n <= 32 (CLASSIFIER_MAX_BATCH).  When every rule has the same priority
 * the answers equal classifier_lookup()'s. */
#define CLASSIFIER_MAX_BATCH 32
size_t classifier_lookup_batch(const struct classifier *,
                               const struct flow *const keys[], size_t n,
                               const struct cls_rule *rules[]);
/* Reader: classifier_lookup_batch(), and also, if 'probes' is non-NULL
 * (an array of 'n' entries owned by the caller), stores in probes[i] the
 * number of subtables examined for keys[i]: for a key that matched, the
 * 1-based rank of the subtable where it matched; 0 for a key that did not
 * match.  With 'probes' NULL it costs what classifier_lookup_batch() does;
 * otherwise one store per key plus one per matched key. */
size_t classifier_lookup_batch_counted(const struct classifier *,
                                       const struct flow *const keys[],
                                       size_t n,
                                       const struct cls_rule *rules[],
                                       uint32_t probes[]);
/* Reader: classifier_lookup_batch() for keys of which only the words in
 * 'valid' (bit i = word i of struct flow) hold values; the others may be
 * anything.  Returns SIZE_MAX, with rules[] unspecified, if some subtable's
 * mask covers a word outside 'valid' (the lookup would read garbage),
 * else the number of keys that matched. */
size_t classifier_lookup_batch_words(const struct classifier *,
                                     const struct flow *const keys[], size_t n,
                                     uint64_t valid,
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
