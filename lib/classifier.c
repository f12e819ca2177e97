/* SPDX-License-Identifier: Apache-2.0 */
/*
 * classifier: tuple space search over struct flow (see classifier.h).  The
 * datapath's megaflow cache and the OpenFlow tables are both built on it;
 * lib/rcu retires the memory that lookups may still be reading.
 *
 * Layout.
 *   - 'struct classifier' points to an immutable array of subtable
 *     references ('struct cls_subtables'), each with a copy of the
 *     subtable's highest priority.  Any change of membership or order builds
 *     a new array, publishes it and retires the old one (copy-on-write).
 *   - A subtable holds one mask, compacted into the indexes of its non-zero
 *     words and their values, and an open-addressing hash table of rules.
 *   - The hash table is an array of 64-byte groups of CLS_SLOTS slots; each
 *     slot is a 32-bit tag (the rule's hash, never 0) and a rule pointer.  A
 *     key probes its home group, then the following ones (linear probing),
 *     until a group that has a never-used slot (tag 0).  Removal leaves a
 *     tombstone (CLS_TOMBSTONE) and the tag, so probe sequences stay intact;
 *     insertion takes the first free slot.  A slot thus never returns to
 *     "never used": a reader that sees tag 0 knows no live entry lies past
 *     that group for any key whose probe reached it.
 *   - A slot points to the highest-priority rule of one match; rules with
 *     the same match and lower priorities follow through 'next_same' in
 *     decreasing priority.  'hnext' is not used.
 *   - When a table's used slots plus tombstones would exceed 3/4 of its
 *     capacity, or its live slots drop below 1/8, the writer builds a new
 *     table from the live slots (rules are not touched), publishes it and
 *     retires the old one: readers still walking the old table see a
 *     consistent, merely stale, table.
 *
 * Hash.  cls_hash__() hashes the masked words of a key in place, without
 * materialising the masked key, with one CRC32C instruction per word where
 * SSE4.2 is available (lib/hash.h's rounds otherwise); cls_rule_init()
 * computes the same value from the rule's key.  The classifier only
 * compares its own hashes with each other, so they need not equal
 * flow_hash_words().
 */
#include <config.h>

#include "lib/classifier.h"

#include <errno.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "lib/hash.h"
#include "lib/rcu.h"

#ifdef __SSE4_2__
#include <nmmintrin.h>
#endif

#define CLS_SLOTS     5 /* Slots per 64-byte group. */
#define CLS_MAX_BATCH CLASSIFIER_MAX_BATCH

/* One cache line of the hash table.  A slot's state is given by 'rules[i]':
 * NULL (never used; then hashes[i] == 0), CLS_TOMBSTONE (removed; the tag is
 * kept) or the head of a chain of rules.  Writers store the tag first
 * (relaxed), then the rule (release); readers filter on the tag (relaxed)
 * and load the rule with acquire. */
struct cls_group {
    _Atomic uint32_t hashes[CLS_SLOTS];
    uint32_t pad;
    struct cls_rule *_Atomic rules[CLS_SLOTS];
};
BUILD_ASSERT(sizeof(struct cls_group) == 64);

struct cls_table {
    alignas(64) uint32_t mask; /* Number of groups - 1 (a power of 2). */
    struct cls_group groups[];
};

struct cls_subtable {
    /* Read by lookups; set before the subtable is published, except 'table'
     * (published with rcu_publish(), read with rcu_get()). */
    struct cls_table *_Atomic table;
    uint64_t map;        /* Non-zero words of the mask. */
    uint64_t hash_basis; /* Hash state after mixing in 'map'. */
    unsigned int n_words;
    uint8_t idx[FLOW_U64S];         /* Word indexes, ascending. */
    uint64_t mask_words[FLOW_U64S]; /* Mask word idx[i]. */

    /* Writer only. */
    int max_priority;
    size_t n_max_priority; /* Rules at 'max_priority'. */
    size_t n_rules;        /* Including those on 'next_same' chains. */
    size_t n_used;         /* Slots that hold a rule. */
    size_t n_tombstones;

    /* Lookups that matched here since the last ranking.  Readers add with a
     * relaxed load and store (lossy when several threads race: it only
     * guides ranking); on its own cache line so that it does not bounce the
     * fields above. */
    alignas(64) _Atomic uint64_t hits;
};

struct cls_subtable_ref {
    struct cls_subtable *st;
    int max_priority; /* Copy of st->max_priority when published. */
};

/* Immutable once published. */
struct cls_subtables {
    size_t n;
    struct cls_subtable_ref e[];
};

struct classifier {
    struct cls_subtables *_Atomic subtables; /* rcu_publish()/rcu_get(). */
    _Atomic size_t n_rules;
};

/* Marks a removed slot.  Only its address is used. */
static struct cls_rule cls_tombstone__;
#define CLS_TOMBSTONE (&cls_tombstone__)

/* Writers' relaxed accesses to fields only they modify. */
#define cls_load_w(P) atomic_load_explicit(&(P), memory_order_relaxed)
#define cls_store_w(P, V)                                                     \
    atomic_store_explicit(&(P), (V), memory_order_relaxed)

static inline uint32_t
cls_tag__(uint32_t hash)
{
    return hash + !hash;
}

/* The hash of a masked key: a basis from the mask's map, one round per
 * masked word in ascending word order, and a final mix.  With SSE4.2 a
 * round is one CRC32C instruction (the final mix spreads its linear output
 * to the low bits that pick a group); otherwise lib/hash.h's
 * multiply-xorshift round. */
static inline uint64_t
cls_hash_add__(uint64_t h, uint64_t word)
{
#ifdef __SSE4_2__
    return _mm_crc32_u64(h, word);
#else
    return hash_add64(h, word);
#endif
}

static inline uint32_t
cls_hash_finish__(uint64_t h, unsigned int n_words)
{
#ifdef __SSE4_2__
    uint32_t x = (uint32_t)h * UINT32_C(0x9e3779b1);

    (void)n_words;
    return x ^ (x >> 15);
#else
    return hash_finish(h, (uint64_t)n_words * 8);
#endif
}

static inline uint64_t
cls_hash_basis__(uint64_t map)
{
    return cls_hash_add__(0, map);
}

/* Hash of 'key' (struct flow words) masked by 'st'. */
static inline uint32_t
cls_hash__(const struct cls_subtable *st, const uint64_t *key)
{
    uint64_t h = st->hash_basis;

    for (unsigned int i = 0; i < st->n_words; i++) {
        h = cls_hash_add__(h, key[st->idx[i]] & st->mask_words[i]);
    }
    return cls_hash_finish__(h, st->n_words);
}

/* True if 'rule' (in 'st') matches the unmasked 'key'. */
static inline bool
cls_rule_matches__(const struct cls_subtable *st, const struct cls_rule *rule,
                   const uint64_t *key)
{
    const uint64_t *rk = flow_u64(&rule->key);
    uint64_t diff = 0;

    for (unsigned int i = 0; i < st->n_words; i++) {
        unsigned int w = st->idx[i];
        diff |= (key[w] & st->mask_words[i]) ^ rk[w];
    }
    return !diff;
}

/* Reader: the head of the chain in 't' matching 'key' with 'hash'. */
static inline struct cls_rule *
cls_table_lookup__(const struct cls_subtable *st, const struct cls_table *t,
                   const uint64_t *key, uint32_t hash)
{
    uint32_t tag = cls_tag__(hash);
    uint32_t g = hash & t->mask;

    for (uint32_t n = 0; n <= t->mask; n++, g = (g + 1) & t->mask) {
        const struct cls_group *grp = &t->groups[g];
        bool open = false;

        for (int s = 0; s < CLS_SLOTS; s++) {
            uint32_t h =
                atomic_load_explicit(&grp->hashes[s], memory_order_relaxed);
            if (h == tag) {
                /* Pairs with the release store of the slot in
                 * cls_slot_set__(): the rule is fully initialised. */
                struct cls_rule *r = rcu_get(grp->rules[s]);
                if (r && r != CLS_TOMBSTONE &&
                    cls_rule_matches__(st, r, key)) {
                    return r;
                }
            }
            open |= !h;
        }
        if (open) {
            break;
        }
    }
    return NULL;
}

/* Adds 'n' to the relaxed hit counter of 'st'. */
static inline void
cls_count_hits__(struct cls_subtable *st, uint64_t n)
{
    uint64_t hits = atomic_load_explicit(&st->hits, memory_order_relaxed);
    atomic_store_explicit(&st->hits, hits + n, memory_order_relaxed);
}

/* ---- Hash tables (writer side). ---- */

static struct cls_table *
cls_table_alloc__(size_t n_groups)
{
    size_t size =
        sizeof(struct cls_table) + n_groups * sizeof(struct cls_group);
    struct cls_table *t = aligned_alloc(64, size);

    if (!t) {
        tern_fatal("classifier: out of memory");
    }
    memset(t, 0, size);
    t->mask = n_groups - 1;
    return t;
}

static size_t
cls_table_capacity__(const struct cls_table *t)
{
    return ((size_t)t->mask + 1) * CLS_SLOTS;
}

/* Position of a slot. */
struct cls_pos {
    struct cls_group *grp;
    int slot;
};

/* Writer: looks in 't' for the chain whose match equals that of 'rule'.
 * Returns true and its slot in '*pos' if found; otherwise returns false
 * and, if 'free_pos' is non-NULL, the first free slot of the probe sequence
 * in '*free_pos'. */
static bool
cls_table_find__(const struct cls_subtable *st, struct cls_table *t,
                 const struct cls_rule *rule, struct cls_pos *pos,
                 struct cls_pos *free_pos)
{
    uint32_t tag = cls_tag__(rule->hash);
    uint32_t g = rule->hash & t->mask;
    bool have_free = false;

    for (uint32_t n = 0; n <= t->mask; n++, g = (g + 1) & t->mask) {
        struct cls_group *grp = &t->groups[g];
        bool open = false;

        for (int s = 0; s < CLS_SLOTS; s++) {
            struct cls_rule *r = cls_load_w(grp->rules[s]);
            if (!r || r == CLS_TOMBSTONE) {
                if (!have_free && free_pos) {
                    *free_pos = (struct cls_pos){grp, s};
                    have_free = true;
                }
                open |= !r;
            } else if (cls_load_w(grp->hashes[s]) == tag &&
                       cls_rule_matches__(st, r, flow_u64(&rule->key))) {
                *pos = (struct cls_pos){grp, s};
                return true;
            }
        }
        if (open) {
            break;
        }
    }
    return false;
}

/* Writer: publishes 'rule' (fully initialised) in the free slot 'pos'. */
static void
cls_slot_set__(struct cls_pos pos, struct cls_rule *rule)
{
    cls_store_w(pos.grp->hashes[pos.slot], cls_tag__(rule->hash));
    /* Pairs with the acquire in cls_table_lookup__(). */
    rcu_publish(pos.grp->rules[pos.slot], rule);
}

/* Writer: replaces 'st''s table by one sized for its live rules plus
 * 'extra', and retires the old one. */
static void
cls_table_rebuild__(struct cls_subtable *st, size_t extra)
{
    struct cls_table *old = cls_load_w(st->table);
    size_t want = (st->n_used + extra) * 2; /* Slots, for <= 50% load. */
    size_t n_groups = 1;
    struct cls_table *t;

    while (n_groups * CLS_SLOTS < want) {
        n_groups *= 2;
    }
    t = cls_table_alloc__(n_groups);
    for (size_t g = 0; old && g <= old->mask; g++) {
        for (int s = 0; s < CLS_SLOTS; s++) {
            struct cls_rule *r = cls_load_w(old->groups[g].rules[s]);
            struct cls_pos pos, free_pos;

            if (r && r != CLS_TOMBSTONE) {
                cls_table_find__(st, t, r, &pos, &free_pos);
                cls_slot_set__(free_pos, r);
            }
        }
    }
    st->n_tombstones = 0;
    /* Pairs with rcu_get(st->table) in lookups: the new table's slots are
     * visible to whoever sees the new pointer. */
    rcu_publish(st->table, t);
    if (old) {
        rcu_postpone(free, old);
    }
}

/* ---- Subtables and the subtable array (writer side). ---- */

static void
cls_subtable_free__(void *st_)
{
    struct cls_subtable *st = st_;

    free(cls_load_w(st->table));
    free(st);
}

static struct cls_subtable *
cls_subtable_create__(const struct flow_wildcards *mask)
{
    struct cls_subtable *st = aligned_alloc(64, ROUND_UP(sizeof *st, 64));
    const uint64_t *m = flow_u64(&mask->masks);

    if (!st) {
        tern_fatal("classifier: out of memory");
    }
    memset(st, 0, sizeof *st);
    st->map = flow_wildcards_map(mask);
    st->hash_basis = cls_hash_basis__(st->map);
    for (uint64_t b = st->map; b; b &= b - 1) {
        unsigned int w = __builtin_ctzll(b);
        st->idx[st->n_words] = w;
        st->mask_words[st->n_words++] = m[w];
    }
    st->max_priority = INT32_MIN;
    cls_table_rebuild__(st, 1);
    return st;
}

static bool
cls_subtable_has_mask__(const struct cls_subtable *st,
                        const struct flow_wildcards *mask)
{
    const uint64_t *m = flow_u64(&mask->masks);

    if (flow_wildcards_map(mask) != st->map) {
        return false;
    }
    for (unsigned int i = 0; i < st->n_words; i++) {
        if (m[st->idx[i]] != st->mask_words[i]) {
            return false;
        }
    }
    return true;
}

static struct cls_subtable *
cls_find_subtable__(const struct classifier *cls,
                    const struct flow_wildcards *mask)
{
    const struct cls_subtables *subs = cls_load_w(cls->subtables);

    for (size_t i = 0; i < subs->n; i++) {
        if (cls_subtable_has_mask__(subs->e[i].st, mask)) {
            return subs->e[i].st;
        }
    }
    return NULL;
}

static struct cls_subtables *
cls_subtables_alloc__(size_t n)
{
    struct cls_subtables *subs = xmalloc(sizeof *subs + n * sizeof subs->e[0]);
    subs->n = n;
    return subs;
}

/* Orders 'subs' by decreasing max priority then, if 'hits' is non-NULL,
 * decreasing hits[i]; equal entries keep their order (insertion sort, fast
 * on the nearly sorted arrays it sees). */
static void
cls_subtables_sort__(struct cls_subtables *subs, uint64_t *hits)
{
    for (size_t i = 1; i < subs->n; i++) {
        struct cls_subtable_ref e = subs->e[i];
        uint64_t h = hits ? hits[i] : 0;
        size_t j = i;

        while (j > 0 && (subs->e[j - 1].max_priority < e.max_priority ||
                         (subs->e[j - 1].max_priority == e.max_priority &&
                          hits && hits[j - 1] < h))) {
            subs->e[j] = subs->e[j - 1];
            if (hits) {
                hits[j] = hits[j - 1];
            }
            j--;
        }
        subs->e[j] = e;
        if (hits) {
            hits[j] = h;
        }
    }
}

/* Publishes 'subs' (now owned by 'cls') and retires the previous array. */
static void
cls_subtables_publish__(struct classifier *cls, struct cls_subtables *subs)
{
    struct cls_subtables *old = cls_load_w(cls->subtables);

    /* Pairs with rcu_get(cls->subtables) in lookups. */
    rcu_publish(cls->subtables, subs);
    rcu_postpone(free, old);
}

/* Publishes a copy of the subtable array in which 'add' (if non-NULL) is
 * added, 'del' (if non-NULL) is dropped, and every priority is refreshed,
 * re-sorted by priority. */
static void
cls_subtables_update__(struct classifier *cls, struct cls_subtable *add,
                       struct cls_subtable *del)
{
    const struct cls_subtables *old = cls_load_w(cls->subtables);
    struct cls_subtables *subs = cls_subtables_alloc__(old->n + !!add);
    size_t n = 0;

    for (size_t i = 0; i < old->n; i++) {
        struct cls_subtable *st = old->e[i].st;
        if (st != del) {
            subs->e[n++] = (struct cls_subtable_ref){st, st->max_priority};
        }
    }
    if (add) {
        subs->e[n++] = (struct cls_subtable_ref){add, add->max_priority};
    }
    subs->n = n;
    cls_subtables_sort__(subs, NULL);
    cls_subtables_publish__(cls, subs);
}

/* Writer: recomputes st->max_priority and st->n_max_priority by walking
 * every rule. */
static void
cls_subtable_rescan_priority__(struct cls_subtable *st)
{
    struct cls_table *t = cls_load_w(st->table);

    st->max_priority = INT32_MIN;
    st->n_max_priority = 0;
    for (size_t g = 0; g <= t->mask; g++) {
        for (int s = 0; s < CLS_SLOTS; s++) {
            struct cls_rule *r = cls_load_w(t->groups[g].rules[s]);
            if (!r || r == CLS_TOMBSTONE) {
                continue;
            }
            for (; r; r = cls_load_w(r->next_same)) {
                if (r->priority > st->max_priority) {
                    st->max_priority = r->priority;
                    st->n_max_priority = 1;
                } else if (r->priority == st->max_priority) {
                    st->n_max_priority++;
                }
            }
        }
    }
}

/* ---- Public interface. ---- */

struct classifier *
classifier_create(void)
{
    struct classifier *cls = xzalloc(sizeof *cls);

    atomic_init(&cls->subtables, cls_subtables_alloc__(0));
    atomic_init(&cls->n_rules, 0);
    return cls;
}

void
classifier_destroy(struct classifier *cls)
{
    if (cls) {
        struct cls_subtables *subs = cls_load_w(cls->subtables);

        for (size_t i = 0; i < subs->n; i++) {
            rcu_postpone(cls_subtable_free__, subs->e[i].st);
        }
        rcu_postpone(free, subs);
        rcu_postpone(free, cls);
    }
}

void
cls_rule_init(struct cls_rule *rule, const struct flow *key,
              const struct flow_wildcards *mask, int priority)
{
    uint64_t map, h;

    if (mask) {
        rule->mask = *mask;
    } else {
        flow_wildcards_init_exact(&rule->mask);
    }
    flow_apply_mask(&rule->key, key, &rule->mask);
    rule->priority = priority;

    /* Same value as cls_hash__() computes for this mask. */
    map = flow_wildcards_map(&rule->mask);
    h = cls_hash_basis__(map);
    for (uint64_t b = map; b; b &= b - 1) {
        h = cls_hash_add__(h, flow_u64(&rule->key)[__builtin_ctzll(b)]);
    }
    rule->hash = cls_hash_finish__(h, __builtin_popcountll(map));
    rule->subtable = NULL;
    atomic_init(&rule->next_same, NULL);
    atomic_init(&rule->hnext, NULL);
}

/* Writer: links 'rule' into the chain whose head sits at 'pos', in
 * decreasing priority.  The chain must not hold 'rule''s priority. */
static void
cls_chain_insert__(struct cls_pos pos, struct cls_rule *rule)
{
    struct cls_rule *prev = NULL;
    struct cls_rule *cur = cls_load_w(pos.grp->rules[pos.slot]);

    while (cur && cur->priority > rule->priority) {
        prev = cur;
        cur = cls_load_w(cur->next_same);
    }
    cls_store_w(rule->next_same, cur);
    /* Lookups load chain heads from the slot with acquire (pairs with the
     * second store).  A rule linked behind 'prev' becomes visible to them
     * only once it is a head, published by a later release store of the
     * slot; the release on the link keeps the chain itself safe to walk
     * with acquire loads as well. */
    if (prev) {
        rcu_publish(prev->next_same, rule);
    } else {
        rcu_publish(pos.grp->rules[pos.slot], rule);
    }
}

/* Writer: adds 'rule' to 'st''s table as a new chain of its own. */
static void
cls_table_insert__(struct cls_subtable *st, struct cls_rule *rule,
                   struct cls_pos free_pos)
{
    struct cls_table *t = cls_load_w(st->table);

    if ((st->n_used + st->n_tombstones + 1) * 4 >
        cls_table_capacity__(t) * 3) {
        struct cls_pos pos;

        cls_table_rebuild__(st, 1);
        cls_table_find__(st, cls_load_w(st->table), rule, &pos, &free_pos);
    }
    if (cls_load_w(free_pos.grp->rules[free_pos.slot])) {
        st->n_tombstones--;
    }
    cls_store_w(rule->next_same, NULL);
    cls_slot_set__(free_pos, rule);
    st->n_used++;
}

int
classifier_insert(struct classifier *cls, struct cls_rule *rule)
{
    struct cls_subtable *st = cls_find_subtable__(cls, &rule->mask);
    bool new_subtable = !st;
    struct cls_pos pos, free_pos;
    bool found;

    if (new_subtable) {
        st = cls_subtable_create__(&rule->mask);
    }
    found = cls_table_find__(st, cls_load_w(st->table), rule, &pos, &free_pos);
    if (found) {
        for (struct cls_rule *r = cls_load_w(pos.grp->rules[pos.slot]); r;
             r = cls_load_w(r->next_same)) {
            if (r->priority == rule->priority) {
                return EEXIST;
            }
        }
    }

    /* Raise the published priority before the rule becomes visible, so
     * that no lookup stops early in front of it. */
    if (rule->priority > st->max_priority) {
        st->max_priority = rule->priority;
        st->n_max_priority = 1;
        if (!new_subtable) {
            cls_subtables_update__(cls, NULL, NULL);
        }
    } else if (rule->priority == st->max_priority) {
        st->n_max_priority++;
    }

    rule->subtable = st;
    if (found) {
        cls_chain_insert__(pos, rule);
    } else {
        cls_table_insert__(st, rule, free_pos);
    }
    st->n_rules++;
    atomic_fetch_add_explicit(&cls->n_rules, 1, memory_order_relaxed);

    if (new_subtable) {
        /* The subtable and its first rule become visible together. */
        cls_subtables_update__(cls, st, NULL);
    }
    return 0;
}

/* Writer: finds the slot of 'rule''s chain and the rule before 'rule' on it
 * (NULL if 'rule' is the head).  'rule' must be inserted. */
static void
cls_locate__(struct cls_rule *rule, struct cls_pos *pos,
             struct cls_rule **prevp)
{
    struct cls_subtable *st = rule->subtable;
    struct cls_rule *prev = NULL, *r;
    bool found = cls_table_find__(st, cls_load_w(st->table), rule, pos, NULL);

    if (!found) {
        tern_fatal("classifier: removing a rule that is not inserted");
    }
    for (r = cls_load_w(pos->grp->rules[pos->slot]); r != rule;
         r = cls_load_w(r->next_same)) {
        if (!r) {
            tern_fatal("classifier: removing a rule that is not inserted");
        }
        prev = r;
    }
    *prevp = prev;
}

void
classifier_remove(struct classifier *cls, struct cls_rule *rule)
{
    struct cls_subtable *st = rule->subtable;
    struct cls_rule *prev, *next;
    struct cls_pos pos;

    cls_locate__(rule, &pos, &prev);
    next = cls_load_w(rule->next_same);
    /* 'rule->next_same' stays intact for readers standing on 'rule'.  The
     * release stores pair with readers' acquire loads of the same slot or
     * link. */
    if (prev) {
        rcu_publish(prev->next_same, next);
    } else if (next) {
        rcu_publish(pos.grp->rules[pos.slot], next);
    } else {
        rcu_publish(pos.grp->rules[pos.slot], CLS_TOMBSTONE);
        st->n_used--;
        st->n_tombstones++;
    }
    rule->subtable = NULL;
    st->n_rules--;
    atomic_fetch_sub_explicit(&cls->n_rules, 1, memory_order_relaxed);

    if (!st->n_rules) {
        cls_subtables_update__(cls, NULL, st);
        rcu_postpone(cls_subtable_free__, st);
        return;
    }
    if (rule->priority == st->max_priority && !--st->n_max_priority) {
        /* Lower the published priority only now that the rule is gone. */
        cls_subtable_rescan_priority__(st);
        cls_subtables_update__(cls, NULL, NULL);
    }
    if (st->n_used * 8 < cls_table_capacity__(cls_load_w(st->table)) &&
        cls_load_w(st->table)->mask > 0) {
        cls_table_rebuild__(st, 0);
    }
}

void
classifier_replace(struct classifier *cls, struct cls_rule *old,
                   struct cls_rule *new_)
{
    struct cls_rule *prev;
    struct cls_pos pos;

    cls_locate__(old, &pos, &prev);
    new_->subtable = old->subtable;
    cls_store_w(new_->next_same, cls_load_w(old->next_same));
    /* Pairs with readers' acquire loads of the slot or link. */
    if (prev) {
        rcu_publish(prev->next_same, new_);
    } else {
        rcu_publish(pos.grp->rules[pos.slot], new_);
    }
    old->subtable = NULL;
}

struct cls_rule *
classifier_find_exact(const struct classifier *cls, const struct flow *key,
                      const struct flow_wildcards *mask, int priority)
{
    struct cls_subtable *st;
    struct cls_rule target;
    struct cls_pos pos;

    cls_rule_init(&target, key, mask, priority);
    st = cls_find_subtable__(cls, &target.mask);
    if (!st ||
        !cls_table_find__(st, cls_load_w(st->table), &target, &pos, NULL)) {
        return NULL;
    }
    for (struct cls_rule *r = cls_load_w(pos.grp->rules[pos.slot]); r;
         r = cls_load_w(r->next_same)) {
        if (r->priority == priority) {
            return r;
        }
    }
    return NULL;
}

const struct cls_rule *
classifier_lookup(const struct classifier *cls, const struct flow *key,
                  struct flow_wildcards *wc)
{
    /* Pairs with rcu_publish() in cls_subtables_publish__(). */
    const struct cls_subtables *subs = rcu_get(cls->subtables);
    const uint64_t *k = flow_u64(key);
    uint64_t *wcw = wc ? flow_u64_rw(&wc->masks) : NULL;
    const struct cls_rule *best = NULL;
    struct cls_subtable *best_st = NULL;

    for (size_t i = 0; i < subs->n; i++) {
        struct cls_subtable *st = subs->e[i].st;
        const struct cls_table *t;
        struct cls_rule *r;

        if (best && subs->e[i].max_priority <= best->priority) {
            break;
        }
        if (wcw) {
            for (unsigned int j = 0; j < st->n_words; j++) {
                wcw[st->idx[j]] |= st->mask_words[j];
            }
        }
        /* Pairs with rcu_publish() in cls_table_rebuild__(). */
        t = rcu_get(st->table);
        r = cls_table_lookup__(st, t, k, cls_hash__(st, k));
        if (r && (!best || r->priority > best->priority)) {
            best = r;
            best_st = st;
        }
    }
    if (best_st) {
        cls_count_hits__(best_st, 1);
    }
    return best;
}

/* Reader, batch stage 2: looks in the home group of each key of 'keys_map'
 * for a slot whose tag matches; stores the rule in cand[i] and prefetches
 * the words of it that stage 3 compares.  Returns the keys that need a
 * full probe: no candidate, but the home group has no never-used slot, so
 * the match may lie further on. */
static inline uint32_t
cls_batch_candidates__(const struct cls_subtable *st,
                       const struct cls_table *t, uint32_t keys_map,
                       const uint32_t hashes[], const struct cls_rule *cand[])
{
    const unsigned int w0 = st->idx[0] * 8;
    const unsigned int w1 = st->idx[st->n_words - 1] * 8;
    uint32_t slow = 0;

    for (uint32_t m = keys_map; m; m &= m - 1) {
        unsigned int i = __builtin_ctz(m);
        uint32_t tag = cls_tag__(hashes[i]);
        const struct cls_group *grp = &t->groups[hashes[i] & t->mask];
        bool open = false;

        cand[i] = NULL;
        for (int s = 0; s < CLS_SLOTS; s++) {
            uint32_t h =
                atomic_load_explicit(&grp->hashes[s], memory_order_relaxed);
            if (h == tag) {
                /* Pairs with the release store in cls_slot_set__(). */
                const struct cls_rule *r = rcu_get(grp->rules[s]);
                if (r && r != CLS_TOMBSTONE) {
                    __builtin_prefetch((const char *)&r->key + w0);
                    __builtin_prefetch((const char *)&r->key + w1);
                    cand[i] = r;
                    break;
                }
            }
            open |= !h;
        }
        if (!cand[i] && !open) {
            slow |= UINT32_C(1) << i;
        }
    }
    return slow;
}

/* Body of both batch lookups; always inlined, so that with 'probes' a
 * constant NULL the compiler drops every access to it. */
static inline __attribute__((always_inline)) size_t
cls_lookup_batch__(const struct classifier *cls,
                   const struct flow *const keys[], size_t n,
                   const struct cls_rule *rules[], uint32_t probes[],
                   uint64_t valid)
{
    /* Pairs with rcu_publish() in cls_subtables_publish__(). */
    const struct cls_subtables *subs = rcu_get(cls->subtables);
    const struct cls_rule *cand[CLS_MAX_BATCH];
    uint32_t hashes[CLS_MAX_BATCH];
    uint32_t unmatched;

    /* Folds away for the callers that pass UINT64_MAX. */
    if (valid != UINT64_MAX) {
        for (size_t s = 0; s < subs->n; s++) {
            if (subs->e[s].st->map & ~valid) {
                return SIZE_MAX;
            }
        }
    }

    n = MIN(n, CLS_MAX_BATCH);
    unmatched = n == 32 ? UINT32_MAX : (UINT32_C(1) << n) - 1;
    for (size_t i = 0; i < n; i++) {
        rules[i] = NULL;
        if (probes) {
            probes[i] = 0;
        }
    }

    for (size_t s = 0; s < subs->n && unmatched; s++) {
        struct cls_subtable *st = subs->e[s].st;
        /* Pairs with rcu_publish() in cls_table_rebuild__(). */
        const struct cls_table *t = rcu_get(st->table);
        uint32_t found = 0, slow;

        if (TERN_UNLIKELY(!st->n_words)) {
            /* Catch-all: every key matches the one chain, if present. */
            const uint64_t *k0 = flow_u64(keys[0]); /* Not read. */
            const struct cls_rule *r =
                cls_table_lookup__(st, t, k0, cls_hash__(st, k0));
            for (uint32_t m = unmatched; r && m; m &= m - 1) {
                rules[__builtin_ctz(m)] = r;
            }
            found = r ? unmatched : 0;
            goto next;
        }

        /* Stage 1: hash every unmatched key, prefetch its home group. */
        for (uint32_t m = unmatched; m; m &= m - 1) {
            unsigned int i = __builtin_ctz(m);
            uint32_t h = cls_hash__(st, flow_u64(keys[i]));

            hashes[i] = h;
            __builtin_prefetch(&t->groups[h & t->mask]);
        }
        /* Stage 2: candidates from the home groups, prefetched. */
        slow = cls_batch_candidates__(st, t, unmatched, hashes, cand);
        /* Stage 3: compare the candidates' words. */
        for (uint32_t m = unmatched & ~slow; m; m &= m - 1) {
            unsigned int i = __builtin_ctz(m);

            if (!cand[i]) {
                continue;
            }
            if (TERN_LIKELY(
                    cls_rule_matches__(st, cand[i], flow_u64(keys[i])))) {
                rules[i] = cand[i];
                found |= UINT32_C(1) << i;
            } else {
                slow |= UINT32_C(1) << i; /* Tag collision. */
            }
        }
        /* Keys whose match may lie beyond the home group's first tag
         * match: full probe. */
        for (uint32_t m = slow; m; m &= m - 1) {
            unsigned int i = __builtin_ctz(m);
            const struct cls_rule *r =
                cls_table_lookup__(st, t, flow_u64(keys[i]), hashes[i]);
            if (r) {
                rules[i] = r;
                found |= UINT32_C(1) << i;
            }
        }
    next:
        if (found) {
            unmatched &= ~found;
            cls_count_hits__(st, __builtin_popcount(found));
            for (uint32_t m = probes ? found : 0; m; m &= m - 1) {
                probes[__builtin_ctz(m)] = s + 1;
            }
        }
    }
    return n - __builtin_popcount(unmatched);
}

size_t
classifier_lookup_batch(const struct classifier *cls,
                        const struct flow *const keys[], size_t n,
                        const struct cls_rule *rules[])
{
    return cls_lookup_batch__(cls, keys, n, rules, NULL, UINT64_MAX);
}

size_t
classifier_lookup_batch_counted(const struct classifier *cls,
                                const struct flow *const keys[], size_t n,
                                const struct cls_rule *rules[],
                                uint32_t probes[])
{
    return probes ? cls_lookup_batch__(cls, keys, n, rules, probes, UINT64_MAX)
                  : classifier_lookup_batch(cls, keys, n, rules);
}

size_t
classifier_lookup_batch_words(const struct classifier *cls,
                              const struct flow *const keys[], size_t n,
                              uint64_t valid, const struct cls_rule *rules[])
{
    return cls_lookup_batch__(cls, keys, n, rules, NULL, valid);
}

void
classifier_rank_subtables(struct classifier *cls)
{
    const struct cls_subtables *old = cls_load_w(cls->subtables);
    struct cls_subtables *subs = cls_subtables_alloc__(old->n);
    uint64_t *hits = xmalloc((old->n + 1) * sizeof *hits);
    bool changed = false;

    for (size_t i = 0; i < old->n; i++) {
        struct cls_subtable *st = old->e[i].st;

        subs->e[i] = old->e[i];
        hits[i] = atomic_exchange_explicit(&st->hits, 0, memory_order_relaxed);
    }
    cls_subtables_sort__(subs, hits);
    for (size_t i = 0; i < old->n; i++) {
        changed |= subs->e[i].st != old->e[i].st;
    }
    if (changed) {
        cls_subtables_publish__(cls, subs);
    } else {
        free(subs);
    }
    free(hits);
}

size_t
classifier_count(const struct classifier *cls)
{
    return atomic_load_explicit(&cls->n_rules, memory_order_relaxed);
}

size_t
classifier_n_subtables(const struct classifier *cls)
{
    /* Pairs with rcu_publish() in cls_subtables_publish__(). */
    return rcu_get(cls->subtables)->n;
}

void
classifier_for_each(const struct classifier *cls,
                    void (*cb)(const struct cls_rule *, void *aux), void *aux)
{
    const struct cls_subtables *subs = cls_load_w(cls->subtables);

    for (size_t i = 0; i < subs->n; i++) {
        const struct cls_table *t = cls_load_w(subs->e[i].st->table);

        for (size_t g = 0; g <= t->mask; g++) {
            for (int s = 0; s < CLS_SLOTS; s++) {
                struct cls_rule *r = cls_load_w(t->groups[g].rules[s]);
                if (r == CLS_TOMBSTONE) {
                    continue;
                }
                for (; r; r = cls_load_w(r->next_same)) {
                    cb(r, aux);
                }
            }
        }
    }
}
