/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofproto-flow: the switch's flow tables — one classifier per table
 * holding 'struct rule's — and the flow mod semantics of OpenFlow 1.0 and
 * 1.3-1.5: add (replacing an identical rule, overlap check, table limit),
 * modify and delete in their loose and strict forms with cookie, out_port
 * and out_group filters, idle and hard timeouts, and FLOW_REMOVED.
 *
 * Every change goes through a transaction (ofproto_txn, ofproto.c): rules
 * removed from a classifier stay allocated until the transaction commits,
 * so that a failing bundle can put them back.  Rules and action lists are
 * freed through rcu_postpone() since translation reads them on PMD
 * threads without locks.
 */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#include "lib/rcu.h"
#include "lib/vlog.h"
#include "ofproto/ofproto-private.h"

VLOG_DEFINE_THIS_MODULE(ofproto_flow);

#define RULE_FLAGS_KEPT                                                       \
    (OFPFF_SEND_FLOW_REM | OFPFF_CHECK_OVERLAP | OFPFF_RESET_COUNTS |         \
     OFPFF_NO_PKT_COUNTS | OFPFF_NO_BYT_COUNTS)

/* ---- Action lists ---- */

static void
for_each_group__(const struct ofpact *ofpacts, size_t len,
                 void (*cb)(uint32_t, void *), void *aux)
{
    OFPACT_FOR_EACH(a, ofpacts, len)
    {
        if (a->type == OFPACT_GROUP) {
            cb(((const struct ofpact_group *)(const void *)a)->group_id, aux);
        } else if (a->type == OFPACT_WRITE_ACTIONS) {
            size_t n;
            const struct ofpact *nested = ofpact_nest_actions(
                (const struct ofpact_nest *)(const void *)a, &n);

            for_each_group__(nested, n, cb, aux);
        }
    }
}

void
ofproto_ofpacts_for_each_group(const struct ofpact *ofpacts, size_t len,
                               void (*cb)(uint32_t group_id, void *aux),
                               void *aux)
{
    for_each_group__(ofpacts, len, cb, aux);
}

struct ref_ctx {
    struct ofproto *ofproto;
    int delta;
};

static void
ref_group__(uint32_t group_id, void *ctx_)
{
    struct ref_ctx *ctx = ctx_;

    ofproto_group_ref(ctx->ofproto, group_id, ctx->delta);
}

void
ofproto_ofpacts_ref_groups(struct ofproto *ofproto,
                           const struct ofpact *ofpacts, size_t len, int delta)
{
    struct ref_ctx ctx = {ofproto, delta};

    for_each_group__(ofpacts, len, ref_group__, &ctx);
}

static void
note_group__(uint32_t group_id TERN_UNUSED, void *aux)
{
    *(bool *)aux = true;
}

/* Returns a new action list holding a copy of 'ofpacts' (caller owns). */
static struct rule_actions *
rule_actions_create(const struct ofpact *ofpacts, size_t len)
{
    struct rule_actions *a = xzalloc(sizeof *a + ROUND_UP(len, 8));

    a->ofpacts_len = len;
    if (len) {
        memcpy(a->ofpacts, ofpacts, len);
    }
    OFPACT_FOR_EACH(p, ofpacts, len)
    {
        if (p->type == OFPACT_METER) {
            a->meter_id =
                ((const struct ofpact_meter *)(const void *)p)->meter_id;
        }
    }
    for_each_group__(ofpacts, len, note_group__, &a->has_groups);
    return a;
}

/* Adds 'delta' to the reference counts of the groups and the flow count
 * of the meter that 'a' uses. */
static void
rule_actions_ref(struct ofproto *ofproto, const struct rule_actions *a,
                 int delta)
{
    if (a->has_groups) {
        ofproto_ofpacts_ref_groups(ofproto, rule_actions_ofpacts(a),
                                   a->ofpacts_len, delta);
    }
    if (a->meter_id) {
        struct ofmeter *m = ofproto_meter_find(ofproto, a->meter_id);

        if (m) {
            m->flow_count += delta;
        }
    }
}

/* ---- Rules ---- */

static struct rule_actions *
rule_get_actions(const struct rule *rule)
{
    return rcu_get_relaxed(((struct rule *)rule)->actions);
}

static void
rule_destroy_cb(void *rule_)
{
    struct rule *rule = rule_;

    free(rcu_get_relaxed(rule->actions));
    free(rule);
}

static struct rule *
rule_create(struct ofproto *ofproto, const struct ofp_flow_mod *fm,
            uint8_t table_id)
{
    struct rule *rule = xzalloc(sizeof *rule);
    long long now = time_msec();

    cls_rule_init(&rule->cr, &fm->match.flow, &fm->match.wc, fm->priority);
    rule->ofproto = ofproto;
    rule->table_id = table_id;
    rule->cookie = fm->new_cookie != UINT64_MAX ? fm->new_cookie : fm->cookie;
    rule->idle_timeout = fm->idle_timeout;
    rule->hard_timeout = fm->hard_timeout;
    rule->importance = fm->importance;
    rule->flags = fm->flags & RULE_FLAGS_KEPT;
    rule->created = rule->modified = now;
    atomic_init(&rule->used, now);
    atomic_init(&rule->actions,
                rule_actions_create(fm->ofpacts, fm->ofpacts_len));
    atomic_init(&rule->packet_count, 0);
    atomic_init(&rule->byte_count, 0);
    list_init(&rule->expirable);
    return rule;
}

static bool
rule_has_timeout(const struct rule *rule)
{
    return rule->idle_timeout || rule->hard_timeout;
}

/* Links 'rule' (just put into its classifier) into the switch's
 * bookkeeping. */
static void
rule_link(struct ofproto *ofproto, struct rule *rule)
{
    ofproto->tables[rule->table_id].n_flows++;
    if (rule_has_timeout(rule)) {
        list_push_back(&ofproto->expirable, &rule->expirable);
    }
    rule_actions_ref(ofproto, rule_get_actions(rule), 1);
    rule->removed = false;
}

static void
rule_unlink(struct ofproto *ofproto, struct rule *rule)
{
    ofproto->tables[rule->table_id].n_flows--;
    list_remove(&rule->expirable);
    rule_actions_ref(ofproto, rule_get_actions(rule), -1);
    rule->removed = true;
}

/* Re-initialises the cls_rule of a removed rule so that it can go back
 * into its classifier (after a grace period). */
static void
rule_reinit_cls(struct rule *rule)
{
    struct flow key = rule->cr.key;
    struct flow_wildcards mask = rule->cr.mask;

    cls_rule_init(&rule->cr, &key, &mask, rule->cr.priority);
}

void
ofproto_rule_duration(const struct rule *rule, uint32_t *sec, uint32_t *nsec)
{
    long long ms = time_msec() - rule->created;

    if (ms < 0) {
        ms = 0;
    }
    *sec = ms / 1000;
    *nsec = (ms % 1000) * 1000000;
}

static void
rule_to_flow_removed(const struct rule *rule, uint8_t reason,
                     struct ofp_flow_removed *fr)
{
    memset(fr, 0, sizeof *fr);
    fr->match.flow = rule->cr.key;
    fr->match.wc = rule->cr.mask;
    fr->cookie = rule->cookie;
    fr->priority = rule->cr.priority;
    fr->reason = reason;
    fr->table_id = rule->table_id;
    ofproto_rule_duration(rule, &fr->duration_sec, &fr->duration_nsec);
    fr->idle_timeout = rule->idle_timeout;
    fr->hard_timeout = rule->hard_timeout;
    fr->packet_count = rule->flags & OFPFF_NO_PKT_COUNTS
                           ? UINT64_MAX
                           : atomic_load(&rule->packet_count);
    fr->byte_count = rule->flags & OFPFF_NO_BYT_COUNTS
                         ? UINT64_MAX
                         : atomic_load(&rule->byte_count);
}

/* ---- Undo records ---- */

struct undo_rule {
    struct rule *rule;            /* Added, removed, or modified. */
    struct rule *other;           /* Replace: the rule that was replaced. */
    struct rule_actions *actions; /* Modify: the previous actions. */
    uint64_t cookie, packets, bytes;
    long long modified;
    bool send_removed;
    struct ofp_flow_removed fr;
};

static void
undo_free_rule_later(struct rule *rule)
{
    rcu_postpone(rule_destroy_cb, rule);
}

static void
undo_add_rollback(struct ofproto *ofproto, void *u_)
{
    struct undo_rule *u = u_;
    struct rule *rule = u->rule;

    classifier_remove(ofproto->tables[rule->table_id].cls, &rule->cr);
    rule_unlink(ofproto, rule);
    undo_free_rule_later(rule);
    free(u);
}

static void
undo_remove_commit(struct ofproto *ofproto, void *u_)
{
    struct undo_rule *u = u_;

    if (ofproto->flow_removed_hook) {
        ofproto->flow_removed_hook(&u->fr, u->send_removed,
                                   ofproto->flow_removed_aux);
    }
    if (u->send_removed && ofproto->connmgr) {
        connmgr_send_flow_removed(ofproto->connmgr, &u->fr);
    }
    undo_free_rule_later(u->rule);
    free(u);
}

static void
undo_remove_rollback(struct ofproto *ofproto, void *u_)
{
    struct undo_rule *u = u_;
    struct rule *rule = u->rule;

    rule_reinit_cls(rule);
    classifier_insert(ofproto->tables[rule->table_id].cls, &rule->cr);
    rule_link(ofproto, rule);
    free(u);
}

static void
undo_replace_commit(struct ofproto *ofproto TERN_UNUSED, void *u_)
{
    struct undo_rule *u = u_;

    undo_free_rule_later(u->other);
    free(u);
}

static void
undo_replace_rollback(struct ofproto *ofproto, void *u_)
{
    struct undo_rule *u = u_;
    struct rule *new = u->rule, *old = u->other;

    rule_reinit_cls(old);
    classifier_replace(ofproto->tables[new->table_id].cls, &new->cr, &old->cr);
    rule_unlink(ofproto, new);
    rule_link(ofproto, old);
    undo_free_rule_later(new);
    free(u);
}

static void
undo_modify_commit(struct ofproto *ofproto TERN_UNUSED, void *u_)
{
    struct undo_rule *u = u_;

    rcu_postpone(free, u->actions);
    free(u);
}

static void
undo_modify_rollback(struct ofproto *ofproto, void *u_)
{
    struct undo_rule *u = u_;
    struct rule *rule = u->rule;
    struct rule_actions *cur = rule_get_actions(rule);

    if (!rule->removed) {
        rule_actions_ref(ofproto, cur, -1);
        rule_actions_ref(ofproto, u->actions, 1);
    }
    rcu_publish(rule->actions, u->actions);
    rcu_postpone(free, cur);
    rule->cookie = u->cookie;
    rule->modified = u->modified;
    atomic_store(&rule->packet_count, u->packets);
    atomic_store(&rule->byte_count, u->bytes);
    free(u);
}

/* ---- Changes ---- */

/* Puts 'rule' into its classifier and its table.  Returns 0, or EEXIST
 * if the table has a rule with the same match and priority (nothing
 * changes, 'rule' stays the caller's). */
static int
rule_insert_txn(struct ofproto_txn *txn, struct rule *rule)
{
    struct ofproto *ofproto = txn->ofproto;
    int error =
        classifier_insert(ofproto->tables[rule->table_id].cls, &rule->cr);
    struct undo_rule *u;

    if (error) {
        return error;
    }
    rule_link(ofproto, rule);
    u = xzalloc(sizeof *u);
    u->rule = rule;
    ofproto_txn_push(txn, ofproto_txn_free_data, undo_add_rollback, u);
    return 0;
}

/* Takes 'rule', already out of its classifier, out of its table;
 * FLOW_REMOVED with 'reason' if the rule asked for it, sent on commit. */
static void
rule_removed_txn(struct ofproto_txn *txn, struct rule *rule, uint8_t reason)
{
    struct ofproto *ofproto = txn->ofproto;
    struct undo_rule *u = xzalloc(sizeof *u);

    rule_unlink(ofproto, rule);
    u->rule = rule;
    u->send_removed = (rule->flags & OFPFF_SEND_FLOW_REM) != 0;
    rule_to_flow_removed(rule, reason, &u->fr);
    txn->reinserts = true;
    ofproto_txn_push(txn, undo_remove_commit, undo_remove_rollback, u);
}

/* Removes 'rule' from its table; FLOW_REMOVED with 'reason' if the rule
 * asked for it, sent on commit. */
static void
rule_remove_txn(struct ofproto_txn *txn, struct rule *rule, uint8_t reason)
{
    classifier_remove(txn->ofproto->tables[rule->table_id].cls, &rule->cr);
    rule_removed_txn(txn, rule, reason);
}

static void
rule_replace_txn(struct ofproto_txn *txn, struct rule *old, struct rule *new,
                 bool reset_counts)
{
    struct ofproto *ofproto = txn->ofproto;
    struct undo_rule *u = xzalloc(sizeof *u);

    if (!reset_counts) {
        atomic_store(&new->packet_count, atomic_load(&old->packet_count));
        atomic_store(&new->byte_count, atomic_load(&old->byte_count));
    }
    classifier_replace(ofproto->tables[old->table_id].cls, &old->cr, &new->cr);
    rule_unlink(ofproto, old);
    rule_link(ofproto, new);
    u->rule = new;
    u->other = old;
    txn->reinserts = true;
    ofproto_txn_push(txn, undo_replace_commit, undo_replace_rollback, u);
}

static void
rule_modify_txn(struct ofproto_txn *txn, struct rule *rule,
                const struct ofp_flow_mod *fm, bool reset_counts)
{
    struct ofproto *ofproto = txn->ofproto;
    struct undo_rule *u = xzalloc(sizeof *u);
    struct rule_actions *old = rule_get_actions(rule);
    struct rule_actions *new =
        rule_actions_create(fm->ofpacts, fm->ofpacts_len);

    u->rule = rule;
    u->actions = old;
    u->cookie = rule->cookie;
    u->modified = rule->modified;
    u->packets = atomic_load(&rule->packet_count);
    u->bytes = atomic_load(&rule->byte_count);

    rule_actions_ref(ofproto, old, -1);
    rule_actions_ref(ofproto, new, 1);
    /* Readers see the old or the new list, whole (release store pairs
     * with translation's rcu_get()). */
    rcu_publish(rule->actions, new);
    if (fm->new_cookie != UINT64_MAX) {
        rule->cookie = fm->new_cookie;
    }
    rule->modified = time_msec();
    if (reset_counts) {
        atomic_store(&rule->packet_count, 0);
        atomic_store(&rule->byte_count, 0);
    }
    ofproto_txn_push(txn, undo_modify_commit, undo_modify_rollback, u);
}

/* ---- Tables ---- */

void
ofproto_tables_init(struct ofproto *ofproto)
{
    for (size_t i = 0; i < OFPROTO_N_TABLES; i++) {
        struct oftable *t = &ofproto->tables[i];

        t->cls = classifier_create();
        t->name = NULL;
        t->config = 0;
        t->max_flows = OFPROTO_MAX_FLOWS_TABLE;
        t->n_flows = 0;
        atomic_init(&t->lookup_count, 0);
        atomic_init(&t->matched_count, 0);
    }
    list_init(&ofproto->expirable);
}

struct rule_vec {
    struct rule **rules;
    size_t n, allocated;
};

static void
rule_vec_push(struct rule_vec *v, struct rule *rule)
{
    if (v->n == v->allocated) {
        v->allocated = v->allocated ? 2 * v->allocated : 16;
        v->rules = xrealloc(v->rules, v->allocated * sizeof *v->rules);
    }
    v->rules[v->n++] = rule;
}

static void
collect_cb(const struct cls_rule *cr, void *v_)
{
    rule_vec_push(v_, CONTAINER_OF(cr, struct rule, cr));
}

static int
rule_cmp_priority(const void *a_, const void *b_)
{
    const struct rule *a = *(struct rule *const *)a_;
    const struct rule *b = *(struct rule *const *)b_;

    return a->cr.priority > b->cr.priority   ? -1
           : a->cr.priority < b->cr.priority ? 1
           : a->created < b->created         ? -1
                                             : a->created > b->created;
}

/* Appends every rule of table 'table_id' to 'v', highest priority first. */
static void
collect_table(const struct ofproto *ofproto, uint8_t table_id,
              struct rule_vec *v)
{
    size_t start = v->n;

    classifier_for_each(ofproto->tables[table_id].cls, collect_cb, v);
    if (v->n - start > 1) {
        qsort(v->rules + start, v->n - start, sizeof *v->rules,
              rule_cmp_priority);
    }
}

/* Removes every rule of 'v' (each table's rules highest priority first,
 * as collect_table() lists them) with 'reason'.  The classifiers lose them
 * lowest priority first: a subtable rescans all its rules whenever the
 * last rule of its highest priority leaves, which going from the top down
 * would do for every rule of a table of distinct priorities (quadratic).
 * The undo log, and so the FLOW_REMOVED messages, keep the order of 'v'. */
static void
rule_vec_remove_txn(struct ofproto_txn *txn, const struct rule_vec *v,
                    uint8_t reason)
{
    struct ofproto *ofproto = txn->ofproto;

    for (size_t i = v->n; i-- > 0;) {
        struct rule *rule = v->rules[i];

        classifier_remove(ofproto->tables[rule->table_id].cls, &rule->cr);
    }
    for (size_t i = 0; i < v->n; i++) {
        rule_removed_txn(txn, v->rules[i], reason);
    }
}

void
ofproto_tables_destroy(struct ofproto *ofproto)
{
    for (size_t i = 0; i < OFPROTO_N_TABLES; i++) {
        struct oftable *t = &ofproto->tables[i];
        struct rule_vec v = {NULL, 0, 0};

        collect_table(ofproto, i, &v);
        /* Lowest priority first (see rule_vec_remove_txn()). */
        for (size_t j = v.n; j-- > 0;) {
            classifier_remove(t->cls, &v.rules[j]->cr);
            list_remove(&v.rules[j]->expirable);
            rcu_postpone(rule_destroy_cb, v.rules[j]);
        }
        free(v.rules);
        classifier_destroy(t->cls);
        t->cls = NULL;
        free(t->name);
        t->name = NULL;
        t->n_flows = 0;
    }
}

size_t
ofproto_count_rules(const struct ofproto *ofproto)
{
    size_t n = 0;

    for (size_t i = 0; i < OFPROTO_N_TABLES; i++) {
        n += ofproto->tables[i].n_flows;
    }
    return n;
}

struct rule *
ofproto_rule_find_exact(const struct ofproto *ofproto, uint8_t table_id,
                        const struct match *match, int priority)
{
    struct flow masked;
    struct cls_rule *cr;

    if (table_id >= OFPROTO_N_TABLES) {
        return NULL;
    }
    flow_apply_mask(&masked, &match->flow, &match->wc);
    cr = classifier_find_exact(ofproto->tables[table_id].cls, &masked,
                               &match->wc, priority);
    return cr ? CONTAINER_OF(cr, struct rule, cr) : NULL;
}

/* ---- Matching rules against requests ---- */

/* Word 'i' of 'f' (struct flow is only 4-byte aligned). */
static inline uint64_t
flow_word(const struct flow *f, size_t i)
{
    uint64_t w;

    memcpy(&w, (const uint8_t *)f + i * sizeof w, sizeof w);
    return w;
}

/* True if every packet 'rule' matches is matched by 'match' (the loose
 * matching of modify, delete and statistics). */
static bool
rule_within_match(const struct rule *rule, const struct match *match)
{
    for (size_t i = 0; i < FLOW_U64S; i++) {
        uint64_t rm = flow_word(&rule->cr.mask.masks, i);
        uint64_t mm = flow_word(&match->wc.masks, i);
        uint64_t diff =
            flow_word(&rule->cr.key, i) ^ flow_word(&match->flow, i);

        if ((rm & mm) != mm || (diff & mm)) {
            return false;
        }
    }
    return true;
}

/* True if some packet could match both 'rule' and 'match'. */
static bool
rule_overlaps(const struct rule *rule, const struct match *match)
{
    for (size_t i = 0; i < FLOW_U64S; i++) {
        uint64_t diff =
            flow_word(&rule->cr.key, i) ^ flow_word(&match->flow, i);

        if (diff & flow_word(&rule->cr.mask.masks, i) &
            flow_word(&match->wc.masks, i)) {
            return false;
        }
    }
    return true;
}

struct rule_filter {
    uint64_t cookie, cookie_mask;
    uint32_t out_port, out_group;
};

static bool
rule_passes_filter(const struct rule *rule, const struct rule_filter *f)
{
    const struct rule_actions *a = rule_get_actions(rule);

    if ((rule->cookie ^ f->cookie) & f->cookie_mask) {
        return false;
    }
    if (f->out_port != OFPP_ANY &&
        !ofpacts_output_to_port(rule_actions_ofpacts(a), a->ofpacts_len,
                                f->out_port)) {
        return false;
    }
    if (f->out_group != OFPG_ANY &&
        !ofpacts_output_to_group(rule_actions_ofpacts(a), a->ofpacts_len,
                                 f->out_group)) {
        return false;
    }
    return true;
}

/* Collects the rules of 'table_id' (OFPTT_ALL: every table) matching
 * 'match' (strictly at 'priority' if 'strict') and passing 'f'. */
static void
collect_matching(const struct ofproto *ofproto, uint8_t table_id,
                 const struct match *match, int priority, bool strict,
                 const struct rule_filter *f, struct rule_vec *out)
{
    uint8_t first = table_id == OFPTT_ALL ? 0 : table_id;
    uint8_t last = table_id == OFPTT_ALL ? OFPROTO_N_TABLES - 1 : table_id;

    for (unsigned t = first; t <= last; t++) {
        if (!ofproto->tables[t].n_flows) {
            continue;
        }
        if (strict) {
            struct rule *r =
                ofproto_rule_find_exact(ofproto, t, match, priority);

            if (r && rule_passes_filter(r, f)) {
                rule_vec_push(out, r);
            }
            continue;
        }
        struct rule_vec all = {NULL, 0, 0};

        collect_table(ofproto, t, &all);
        for (size_t i = 0; i < all.n; i++) {
            if (rule_within_match(all.rules[i], match) &&
                rule_passes_filter(all.rules[i], f)) {
                rule_vec_push(out, all.rules[i]);
            }
        }
        free(all.rules);
    }
}

/* ---- Flow mod ---- */

struct meter_check {
    bool bad;
    const struct ofproto *ofproto;
};

static void
check_group__(uint32_t group_id, void *aux)
{
    struct meter_check *c = aux;

    if (!ofproto_group_find(c->ofproto, group_id)) {
        c->bad = true;
    }
}

/* Checks the actions of 'fm' for table 'table_id' against the switch's
 * ports, groups and meters. */
static enum ofperr
check_actions(const struct ofproto *ofproto, const struct ofp_flow_mod *fm,
              const struct match *rule_match, uint8_t table_id)
{
    struct match match = *rule_match;
    struct meter_check c = {false, ofproto};
    enum ofperr error;

    if (fm->ofpacts_len > OFPACTS_MAX_LEN) {
        return OFPERR_OFPBAC_TOO_MANY;
    }
    error = ofpacts_check(fm->ofpacts, fm->ofpacts_len, &match, DPIF_MAX_PORTS,
                          table_id, OFPROTO_N_TABLES);
    if (error) {
        return error;
    }
    OFPACT_FOR_EACH(a, fm->ofpacts, fm->ofpacts_len)
    {
        if (a->type == OFPACT_METER) {
            uint32_t id =
                ((const struct ofpact_meter *)(const void *)a)->meter_id;

            if (!ofproto_meter_find(ofproto, id)) {
                return OFPERR_OFPMMFC_UNKNOWN_METER;
            }
        }
    }
    for_each_group__(fm->ofpacts, fm->ofpacts_len, check_group__, &c);
    return c.bad ? OFPERR_OFPBAC_BAD_OUT_GROUP : 0;
}

static enum ofperr
check_flags(uint32_t flags)
{
    return flags & ~RULE_FLAGS_KEPT ? OFPERR_OFPFMFC_BAD_FLAGS : 0;
}

static enum ofperr
flow_add(struct ofproto_txn *txn, const struct ofp_flow_mod *fm,
         enum ofp_version version)
{
    struct ofproto *ofproto = txn->ofproto;
    uint8_t table_id = fm->table_id;
    struct rule *old, *rule;
    struct oftable *table;
    enum ofperr error;

    if (table_id == OFPTT_ALL && version == OFP10_VERSION) {
        table_id = 0;
    }
    if (table_id >= OFPROTO_N_TABLES) {
        return OFPERR_OFPFMFC_BAD_TABLE_ID;
    }
    if (fm->priority < 0 || fm->priority > UINT16_MAX) {
        return OFPERR_OFPFMFC_BAD_PRIORITY;
    }
    error = check_flags(fm->flags);
    if (!error) {
        error = check_actions(ofproto, fm, &fm->match, table_id);
    }
    if (error) {
        return error;
    }
    table = &ofproto->tables[table_id];
    if (fm->flags & OFPFF_CHECK_OVERLAP) {
        struct rule_vec v = {NULL, 0, 0};
        bool overlap = false;

        collect_table(ofproto, table_id, &v);
        for (size_t i = 0; i < v.n && !overlap; i++) {
            overlap = v.rules[i]->cr.priority == fm->priority &&
                      rule_overlaps(v.rules[i], &fm->match);
        }
        free(v.rules);
        if (overlap) {
            return OFPERR_OFPFMFC_OVERLAP;
        }
    }
    rule = rule_create(ofproto, fm, table_id);
    if (table->n_flows < table->max_flows) {
        /* Most adds bring a new rule: inserting first searches the
         * classifier once, and only an identical rule already there sends
         * us looking for it. */
        int ins = rule_insert_txn(txn, rule);

        if (!ins) {
            return 0;
        } else if (ins != EEXIST) {
            rule_destroy_cb(rule);
            return OFPERR_OFPFMFC_UNKNOWN;
        }
    }
    old = ofproto_rule_find_exact(ofproto, table_id, &fm->match, fm->priority);
    if (!old) {
        rule_destroy_cb(rule);
        return OFPERR_OFPFMFC_TABLE_FULL;
    }
    /* 1.0: the identical flow goes with its counters; 1.3+: counters carry
     * over unless RESET_COUNTS.  The duration restarts. */
    rule_replace_txn(txn, old, rule,
                     version == OFP10_VERSION ||
                         (fm->flags & OFPFF_RESET_COUNTS));
    return 0;
}

static enum ofperr
flow_modify(struct ofproto_txn *txn, const struct ofp_flow_mod *fm,
            enum ofp_version version, bool strict)
{
    struct ofproto *ofproto = txn->ofproto;
    struct rule_filter f = {fm->cookie, fm->cookie_mask, OFPP_ANY, OFPG_ANY};
    struct rule_vec v = {NULL, 0, 0};
    enum ofperr error;

    if (fm->table_id >= OFPROTO_N_TABLES && fm->table_id != OFPTT_ALL) {
        return OFPERR_OFPFMFC_BAD_TABLE_ID;
    }
    error = check_flags(fm->flags);
    if (error) {
        return error;
    }
    collect_matching(ofproto, fm->table_id, &fm->match, fm->priority, strict,
                     &f, &v);
    if (!v.n) {
        free(v.rules);
        /* 1.0: a modify that matches nothing is an add (when it does not
         * filter on a cookie).  1.3+: nothing happens. */
        if (version == OFP10_VERSION && !fm->cookie_mask) {
            return flow_add(txn, fm, version);
        }
        return 0;
    }
    for (size_t i = 0; i < v.n && !error; i++) {
        struct match m;

        m.flow = v.rules[i]->cr.key;
        m.wc = v.rules[i]->cr.mask;
        error = check_actions(ofproto, fm, &m, v.rules[i]->table_id);
    }
    for (size_t i = 0; i < v.n && !error; i++) {
        rule_modify_txn(txn, v.rules[i], fm,
                        (fm->flags & OFPFF_RESET_COUNTS) != 0);
    }
    free(v.rules);
    return error;
}

static enum ofperr
flow_delete(struct ofproto_txn *txn, const struct ofp_flow_mod *fm,
            bool strict)
{
    struct rule_filter f = {fm->cookie, fm->cookie_mask, fm->out_port,
                            fm->out_group};
    struct rule_vec v = {NULL, 0, 0};

    if (fm->table_id >= OFPROTO_N_TABLES && fm->table_id != OFPTT_ALL) {
        return OFPERR_OFPFMFC_BAD_TABLE_ID;
    }
    collect_matching(txn->ofproto, fm->table_id, &fm->match, fm->priority,
                     strict, &f, &v);
    rule_vec_remove_txn(txn, &v, OFPRR_DELETE);
    free(v.rules);
    return 0;
}

enum ofperr
ofproto_flow_mod_txn(struct ofproto_txn *txn, const struct ofp_flow_mod *fm,
                     enum ofp_version version)
{
    switch (fm->command) {
    case OFPFC_ADD:
        return flow_add(txn, fm, version);
    case OFPFC_MODIFY:
        return flow_modify(txn, fm, version, false);
    case OFPFC_MODIFY_STRICT:
        return flow_modify(txn, fm, version, true);
    case OFPFC_DELETE:
        return flow_delete(txn, fm, false);
    case OFPFC_DELETE_STRICT:
        return flow_delete(txn, fm, true);
    }
    return OFPERR_OFPFMFC_BAD_COMMAND;
}

/* A flow mod and the OpenFlow version whose semantics it has. */
struct flow_mod_arg {
    const struct ofp_flow_mod *fm;
    enum ofp_version version;
};

static enum ofperr
flow_mod_apply(struct ofproto_txn *txn, const void *arg_)
{
    const struct flow_mod_arg *arg = arg_;

    return ofproto_flow_mod_txn(txn, arg->fm, arg->version);
}

enum ofperr
ofproto_flow_mod_version(struct ofproto *ofproto,
                         const struct ofp_flow_mod *fm,
                         enum ofp_version version)
{
    struct flow_mod_arg arg = {fm, version};

    return ofproto_txn_run(ofproto, flow_mod_apply, &arg);
}

enum ofperr
ofproto_flow_mod(struct ofproto *ofproto, const struct ofp_flow_mod *fm)
{
    return ofproto_flow_mod_version(ofproto, fm, OFP13_VERSION);
}

/* ---- Expiry and bulk removal ---- */

/* The reason 'rule' expires at 'now', or -1. */
static int
rule_expiry(const struct rule *rule, long long now)
{
    if (rule->hard_timeout &&
        now >= rule->modified + rule->hard_timeout * 1000LL) {
        return OFPRR_HARD_TIMEOUT;
    }
    if (rule->idle_timeout) {
        long long used = atomic_load_explicit(&((struct rule *)rule)->used,
                                              memory_order_relaxed);

        if (now >= MAX(used, rule->modified) + rule->idle_timeout * 1000LL) {
            return OFPRR_IDLE_TIMEOUT;
        }
    }
    return -1;
}

void
ofproto_expire(struct ofproto *ofproto)
{
    struct ofproto_txn txn;
    long long now = time_msec();

    pthread_mutex_lock(&ofproto->mutex);
    ofproto_txn_init(&txn, ofproto);
    LIST_FOR_EACH_SAFE(node, next, &ofproto->expirable)
    {
        struct rule *rule = CONTAINER_OF(node, struct rule, expirable);
        int reason = rule_expiry(rule, now);

        if (reason >= 0) {
            rule_remove_txn(&txn, rule, reason);
        }
    }
    ofproto_txn_commit(&txn);
    pthread_mutex_unlock(&ofproto->mutex);
}

void
ofproto_flush_flows(struct ofproto *ofproto)
{
    struct ofproto_txn txn;

    pthread_mutex_lock(&ofproto->mutex);
    ofproto_txn_init(&txn, ofproto);
    for (size_t t = 0; t < OFPROTO_N_TABLES; t++) {
        struct rule_vec v = {NULL, 0, 0};

        collect_table(ofproto, t, &v);
        rule_vec_remove_txn(&txn, &v, OFPRR_DELETE);
        free(v.rules);
    }
    ofproto_txn_commit(&txn);
    pthread_mutex_unlock(&ofproto->mutex);
}

void
ofproto_for_each_matching_rule(struct ofproto *ofproto,
                               const struct ofp_flow_stats_request *req,
                               void (*cb)(struct rule *, void *aux), void *aux)
{
    struct rule_filter f = {req->cookie, req->cookie_mask, req->out_port,
                            req->out_group};
    struct rule_vec v = {NULL, 0, 0};

    if (req->table_id >= OFPROTO_N_TABLES && req->table_id != OFPTT_ALL) {
        return;
    }
    collect_matching(ofproto, req->table_id, &req->match, 0, false, &f, &v);
    for (size_t i = 0; i < v.n; i++) {
        cb(v.rules[i], aux);
    }
    free(v.rules);
}

static void
delete_rules_using(struct ofproto_txn *txn, uint32_t group_id,
                   uint32_t meter_id)
{
    struct ofproto *ofproto = txn->ofproto;

    for (size_t t = 0; t < OFPROTO_N_TABLES; t++) {
        struct rule_vec v = {NULL, 0, 0};
        struct rule_vec groups = {NULL, 0, 0}, meters = {NULL, 0, 0};

        if (!ofproto->tables[t].n_flows) {
            continue;
        }
        collect_table(ofproto, t, &v);
        for (size_t i = 0; i < v.n; i++) {
            const struct rule_actions *a = rule_get_actions(v.rules[i]);

            if (group_id != OFPG_ANY && a->has_groups &&
                ofpacts_output_to_group(rule_actions_ofpacts(a),
                                        a->ofpacts_len, group_id)) {
                rule_vec_push(&groups, v.rules[i]);
            } else if (meter_id && a->meter_id == meter_id) {
                rule_vec_push(&meters, v.rules[i]);
            }
        }
        rule_vec_remove_txn(txn, &groups, OFPRR_GROUP_DELETE);
        rule_vec_remove_txn(txn, &meters, OFPRR_METER_DELETE);
        free(groups.rules);
        free(meters.rules);
        free(v.rules);
    }
}

void
ofproto_delete_rules_for_group_txn(struct ofproto_txn *txn, uint32_t group_id)
{
    delete_rules_using(txn, group_id, 0);
}

void
ofproto_delete_rules_for_meter_txn(struct ofproto_txn *txn, uint32_t meter_id)
{
    delete_rules_using(txn, OFPG_ANY, meter_id);
}

void
ofproto_delete_rules_for_group(struct ofproto *ofproto, uint32_t group_id)
{
    struct ofproto_txn txn;

    pthread_mutex_lock(&ofproto->mutex);
    ofproto_txn_init(&txn, ofproto);
    delete_rules_using(&txn, group_id, 0);
    ofproto_txn_commit(&txn);
    pthread_mutex_unlock(&ofproto->mutex);
}

void
ofproto_delete_rules_for_meter(struct ofproto *ofproto, uint32_t meter_id)
{
    struct ofproto_txn txn;

    pthread_mutex_lock(&ofproto->mutex);
    ofproto_txn_init(&txn, ofproto);
    delete_rules_using(&txn, OFPG_ANY, meter_id);
    ofproto_txn_commit(&txn);
    pthread_mutex_unlock(&ofproto->mutex);
}
