/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mac-learning: the MAC table of NORMAL switching.  A hash map by
 * (VLAN, MAC) for lookups and a list in order of last sighting (least
 * recent first) for aging and eviction, both under one mutex.
 */
#include <config.h>

#include "ofproto/mac-learning.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>

#include "lib/hash.h"
#include "lib/hmap.h"
#include "lib/ofp-actions.h"
#include "lib/util.h"

struct mac_entry {
    struct hmap_node node; /* In mac_learning->table. */
    struct list_node lru;  /* In mac_learning->lru, oldest first. */
    struct eth_addr mac;
    uint16_t vlan;
    uint32_t port;
    long long used; /* time_msec() of the last sighting. */
};

struct mac_learning {
    pthread_mutex_t mutex;
    struct hmap table;      /* Guarded by 'mutex'. */
    struct list_node lru;   /* Guarded by 'mutex'. */
    unsigned int idle_time; /* Seconds. */
    size_t max_entries;
    uint64_t n_learned, n_expired, n_evicted, n_moved;
};

static uint32_t
mac_hash(struct eth_addr mac, uint16_t vlan)
{
    uint64_t w = 0;

    memcpy(&w, mac.ea, ETH_ADDR_LEN);
    return hash_uint64(w, vlan);
}

struct mac_learning *
mac_learning_create(void)
{
    struct mac_learning *ml = xzalloc(sizeof *ml);

    pthread_mutex_init(&ml->mutex, NULL);
    hmap_init(&ml->table);
    list_init(&ml->lru);
    ml->idle_time = MAC_DEFAULT_IDLE_TIME;
    ml->max_entries = MAC_DEFAULT_MAX_ENTRIES;
    return ml;
}

static void
mac_entry_remove__(struct mac_learning *ml, struct mac_entry *e)
{
    hmap_remove(&ml->table, &e->node);
    list_remove(&e->lru);
    free(e);
}

static size_t
mac_flush__(struct mac_learning *ml)
{
    size_t n = 0;

    while (!list_is_empty(&ml->lru)) {
        struct list_node *node = ml->lru.next;

        mac_entry_remove__(ml, CONTAINER_OF(node, struct mac_entry, lru));
        n++;
    }
    return n;
}

void
mac_learning_destroy(struct mac_learning *ml)
{
    if (!ml) {
        return;
    }
    mac_flush__(ml);
    hmap_destroy(&ml->table);
    pthread_mutex_destroy(&ml->mutex);
    free(ml);
}

/* Evicts the oldest entries until at most 'limit' remain. */
static void
mac_evict__(struct mac_learning *ml, size_t limit)
{
    while (hmap_count(&ml->table) > limit) {
        struct list_node *node = ml->lru.next;

        mac_entry_remove__(ml, CONTAINER_OF(node, struct mac_entry, lru));
        ml->n_evicted++;
    }
}

void
mac_learning_set_idle_time(struct mac_learning *ml, unsigned int seconds)
{
    seconds = MAX(seconds, MAC_MIN_IDLE_TIME);
    seconds = MIN(seconds, MAC_MAX_IDLE_TIME);
    pthread_mutex_lock(&ml->mutex);
    ml->idle_time = seconds;
    pthread_mutex_unlock(&ml->mutex);
}

void
mac_learning_set_max_entries(struct mac_learning *ml, size_t n)
{
    n = MAX(n, 10);
    pthread_mutex_lock(&ml->mutex);
    ml->max_entries = n;
    mac_evict__(ml, n);
    pthread_mutex_unlock(&ml->mutex);
}

void
mac_learning_configure(struct mac_learning *ml, const struct smap *cfg)
{
    long long idle =
        smap_get_int(cfg, "mac-aging-time", MAC_DEFAULT_IDLE_TIME);
    long long size =
        smap_get_int(cfg, "mac-table-size", MAC_DEFAULT_MAX_ENTRIES);

    if (idle <= 0 || idle > UINT32_MAX) {
        idle = MAC_DEFAULT_IDLE_TIME;
    }
    if (size <= 0) {
        size = MAC_DEFAULT_MAX_ENTRIES;
    }
    mac_learning_set_idle_time(ml, (unsigned int)idle);
    mac_learning_set_max_entries(ml, (size_t)size);
}

static struct mac_entry *
mac_find__(const struct mac_learning *ml, struct eth_addr mac, uint16_t vlan,
           uint32_t hash)
{
    HMAP_FOR_EACH_WITH_HASH(node, hash, &ml->table)
    {
        struct mac_entry *e = CONTAINER_OF(node, struct mac_entry, node);

        if (e->vlan == vlan && !memcmp(e->mac.ea, mac.ea, ETH_ADDR_LEN)) {
            return e;
        }
    }
    return NULL;
}

static bool
mac_is_expired(const struct mac_learning *ml, const struct mac_entry *e,
               long long now)
{
    return now - e->used >= (long long)ml->idle_time * 1000;
}

bool
mac_learning_learn(struct mac_learning *ml, struct eth_addr mac, uint16_t vlan,
                   uint32_t port, long long now)
{
    uint32_t hash = mac_hash(mac, vlan);
    bool changed = false;
    struct mac_entry *e;

    pthread_mutex_lock(&ml->mutex);
    e = mac_find__(ml, mac, vlan, hash);
    if (e && mac_is_expired(ml, e, now)) {
        mac_entry_remove__(ml, e);
        ml->n_expired++;
        e = NULL;
    }
    if (!e) {
        mac_evict__(ml, ml->max_entries - 1);
        e = xzalloc(sizeof *e);
        e->mac = mac;
        e->vlan = vlan;
        e->port = port;
        hmap_insert(&ml->table, &e->node, hash);
        list_push_back(&ml->lru, &e->lru);
        ml->n_learned++;
        changed = true;
    } else {
        list_remove(&e->lru);
        list_push_back(&ml->lru, &e->lru);
        if (e->port != port) {
            e->port = port;
            ml->n_moved++;
            changed = true;
        }
    }
    e->used = now;
    pthread_mutex_unlock(&ml->mutex);
    return changed;
}

uint32_t
mac_learning_lookup(struct mac_learning *ml, struct eth_addr mac,
                    uint16_t vlan, long long now)
{
    uint32_t port = UINT32_MAX;
    struct mac_entry *e;

    pthread_mutex_lock(&ml->mutex);
    e = mac_find__(ml, mac, vlan, mac_hash(mac, vlan));
    if (e && !mac_is_expired(ml, e, now)) {
        port = e->port;
    }
    pthread_mutex_unlock(&ml->mutex);
    return port;
}

size_t
mac_learning_expire(struct mac_learning *ml, long long now)
{
    size_t n = 0;

    pthread_mutex_lock(&ml->mutex);
    while (!list_is_empty(&ml->lru)) {
        struct mac_entry *e =
            CONTAINER_OF(ml->lru.next, struct mac_entry, lru);

        if (!mac_is_expired(ml, e, now)) {
            break;
        }
        mac_entry_remove__(ml, e);
        ml->n_expired++;
        n++;
    }
    pthread_mutex_unlock(&ml->mutex);
    return n;
}

size_t
mac_learning_flush(struct mac_learning *ml)
{
    size_t n;

    pthread_mutex_lock(&ml->mutex);
    n = mac_flush__(ml);
    pthread_mutex_unlock(&ml->mutex);
    return n;
}

size_t
mac_learning_forget_port(struct mac_learning *ml, uint32_t port)
{
    size_t n = 0;

    pthread_mutex_lock(&ml->mutex);
    LIST_FOR_EACH_SAFE(node, next, &ml->lru)
    {
        struct mac_entry *e = CONTAINER_OF(node, struct mac_entry, lru);

        if (e->port == port) {
            mac_entry_remove__(ml, e);
            n++;
        }
    }
    pthread_mutex_unlock(&ml->mutex);
    return n;
}

size_t
mac_learning_count(struct mac_learning *ml)
{
    size_t n;

    pthread_mutex_lock(&ml->mutex);
    n = hmap_count(&ml->table);
    pthread_mutex_unlock(&ml->mutex);
    return n;
}

void
mac_learning_get_stats(struct mac_learning *ml, struct mac_learning_stats *s)
{
    pthread_mutex_lock(&ml->mutex);
    s->n_entries = hmap_count(&ml->table);
    s->max_entries = ml->max_entries;
    s->n_learned = ml->n_learned;
    s->n_expired = ml->n_expired;
    s->n_evicted = ml->n_evicted;
    s->n_moved = ml->n_moved;
    pthread_mutex_unlock(&ml->mutex);
}

void
mac_learning_format(struct mac_learning *ml,
                    const char *(*port_name)(uint32_t port, void *aux),
                    void *aux, long long now, struct ds *ds)
{
    ds_put_cstr(ds, " port  VLAN  MAC                Age\n");
    pthread_mutex_lock(&ml->mutex);
    LIST_FOR_EACH(node, &ml->lru)
    {
        struct mac_entry *e = CONTAINER_OF(node, struct mac_entry, lru);
        const char *name = port_name ? port_name(e->port, aux) : NULL;
        char num[16];

        if (mac_is_expired(ml, e, now)) {
            continue;
        }
        if (!name) {
            if (e->port == OFPP_LOCAL) {
                name = "LOCAL";
            } else {
                snprintf(num, sizeof num, "%" PRIu32, e->port);
                name = num;
            }
        }
        ds_put_format(ds, "%5s  %4d  " ETH_ADDR_FMT "  %3lld\n", name, e->vlan,
                      ETH_ADDR_ARGS(e->mac), (now - e->used) / 1000);
    }
    pthread_mutex_unlock(&ml->mutex);
}

void
mac_learning_format_stats(struct mac_learning *ml, const char *name,
                          struct ds *ds)
{
    struct mac_learning_stats s;

    mac_learning_get_stats(ml, &s);
    ds_put_format(ds, "Statistics for bridge \"%s\":\n", name);
    ds_put_format(ds, "  Current/maximum MAC entries in the table: %zu/%zu\n",
                  s.n_entries, s.max_entries);
    ds_put_format(ds,
                  "  Total number of learned MAC entries     : %" PRIu64 "\n",
                  s.n_learned);
    ds_put_format(ds,
                  "  Total number of expired MAC entries     : %" PRIu64 "\n",
                  s.n_expired);
    ds_put_format(ds,
                  "  Total number of evicted MAC entries     : %" PRIu64 "\n",
                  s.n_evicted);
    ds_put_format(ds,
                  "  Total number of port moved MAC entries  : %" PRIu64 "\n",
                  s.n_moved);
}
