/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dp-packet: mempools of Tern packets and the few operations on them that
 * are not inline in dp-packet.h (see there for ownership and threads).
 *
 * A Tern packet is an rte_mbuf whose private area (between the mbuf header
 * and the data buffer) holds struct dp_packet_md, so every pool is created
 * here with that private size.  netdev providers hand these pools to their
 * devices; the datapath clones, pushes and pulls headers in place.
 */
#include <config.h>

#include "lib/dp-packet.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>

#include <rte_errno.h>
#include <rte_mempool.h>

#include "lib/dpdk.h"
#include "lib/vlog.h"

VLOG_DEFINE_THIS_MODULE(dp_packet);

/* The metadata must start exactly where DPDK puts the private area, i.e.
 * right after the mbuf header. */
BUILD_ASSERT(offsetof(struct dp_packet, md) == sizeof(struct rte_mbuf));

#define DP_PACKET_PRIV_SIZE                                                   \
    RTE_ALIGN(sizeof(struct dp_packet_md), RTE_MBUF_PRIV_ALIGN)

/* Default pool: enough for every PMD's rx bursts, queues and in-flight
 * packets in tests and small deployments; large frames need their own
 * pool. */
#define DEFAULT_POOL_N         16384
#define DEFAULT_POOL_DATA_ROOM (2048 + RTE_PKTMBUF_HEADROOM)
#define POOL_CACHE_SIZE        256

static _Atomic(struct rte_mempool *) default_pool;
static pthread_mutex_t default_pool_mutex = PTHREAD_MUTEX_INITIALIZER;
static unsigned default_pool_n = DEFAULT_POOL_N; /* Under the mutex. */

struct rte_mempool *
dp_packet_pool_create(const char *name, unsigned n, uint16_t data_room,
                      int socket_id, int *errp)
{
    unsigned cache = MIN(POOL_CACHE_SIZE, n / 4);
    struct rte_mempool *mp = rte_pktmbuf_pool_create(
        name, n, cache, DP_PACKET_PRIV_SIZE, data_room, socket_id);
    if (!mp) {
        int error = rte_errno > 0 ? rte_errno : ENOMEM;
        VLOG_ERR("cannot create packet pool %s (%u packets of %u bytes): %s",
                 name, n, (unsigned)data_room, rte_strerror(rte_errno));
        if (errp) {
            *errp = error;
        }
        return NULL;
    }
    if (errp) {
        *errp = 0;
    }
    return mp;
}

struct rte_mempool *
dp_packet_default_pool(void)
{
    /* Pairs with the release store below: a non-NULL pointer means the pool
     * is fully created. */
    struct rte_mempool *mp =
        atomic_load_explicit(&default_pool, memory_order_acquire);
    if (mp || !dpdk_available()) {
        return mp;
    }

    pthread_mutex_lock(&default_pool_mutex);
    mp = atomic_load_explicit(&default_pool, memory_order_relaxed);
    if (!mp) {
        int error;
        mp = dp_packet_pool_create("tern_default", default_pool_n,
                                   DEFAULT_POOL_DATA_ROOM, SOCKET_ID_ANY,
                                   &error);
        if (mp) {
            atomic_store_explicit(&default_pool, mp, memory_order_release);
        }
    }
    pthread_mutex_unlock(&default_pool_mutex);
    return mp;
}

int
dp_packet_set_default_pool_size(unsigned n)
{
    int error = 0;

    pthread_mutex_lock(&default_pool_mutex);
    if (atomic_load_explicit(&default_pool, memory_order_relaxed)) {
        error = EBUSY;
    } else {
        default_pool_n = n ? n : DEFAULT_POOL_N;
    }
    pthread_mutex_unlock(&default_pool_mutex);
    return error;
}

struct dp_packet *
dp_packet_clone_data(struct rte_mempool *pool, const void *data, size_t n)
{
    if (!pool) {
        pool = dp_packet_default_pool();
        if (!pool) {
            return NULL;
        }
    }
    struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
    if (!m) {
        return NULL;
    }
    void *dst = n <= UINT16_MAX ? rte_pktmbuf_append(m, (uint16_t)n) : NULL;
    if (!dst) {
        rte_pktmbuf_free(m);
        return NULL;
    }
    if (n) {
        memcpy(dst, data, n);
    }
    struct dp_packet *p = dp_packet_from_mbuf(m);
    memset(&p->md, 0, sizeof p->md);
    return p;
}

uint32_t
dp_packet_flow_hash(struct dp_packet *p)
{
    if (!p->md.key_valid) {
        struct flow_key key;

        flow_extract(dp_packet_data(p), dp_packet_size(p), &p->md.md, &key,
                     &p->md.ofs);
        p->md.rss_hash = key.hash;
        p->md.key_valid = true;
    }
    return p->md.rss_hash;
}

struct dp_packet *
dp_packet_clone(const struct dp_packet *p)
{
    const struct rte_mbuf *src = &p->mbuf;
    struct rte_mbuf *m = rte_pktmbuf_alloc(src->pool);
    if (!m) {
        return NULL;
    }
    /* Keep the same headroom so that a packet that fits its buffer after
     * pushes still fits the copy (both come from the same pool). */
    if (src->data_off <= m->buf_len) {
        m->data_off = src->data_off;
    }
    void *dst = rte_pktmbuf_append(m, src->data_len);
    if (!dst) {
        rte_pktmbuf_free(m);
        return NULL;
    }
    memcpy(dst, rte_pktmbuf_mtod(src, const void *), src->data_len);
    m->port = src->port;
    m->packet_type = src->packet_type;
    m->hash = src->hash;
    m->vlan_tci = src->vlan_tci;
    m->vlan_tci_outer = src->vlan_tci_outer;
    m->ol_flags = src->ol_flags & ~(RTE_MBUF_F_INDIRECT | RTE_MBUF_F_EXTERNAL);

    struct dp_packet *copy = dp_packet_from_mbuf(m);
    copy->md = p->md;
    return copy;
}

void
dp_packet_free(struct dp_packet *p)
{
    if (p) {
        rte_pktmbuf_free(&p->mbuf);
    }
}

void *
dp_packet_push_at(struct dp_packet *p, size_t ofs, size_t n)
{
    struct rte_mbuf *m = &p->mbuf;
    if (ofs > m->data_len || n > rte_pktmbuf_headroom(m)) {
        return NULL;
    }
    char *data = rte_pktmbuf_prepend(m, (uint16_t)n);
    if (!data) {
        return NULL;
    }
    if (n && ofs) {
        memmove(data, data + n, ofs);
    }
    return data + ofs;
}

bool
dp_packet_pull_at(struct dp_packet *p, size_t ofs, size_t n)
{
    struct rte_mbuf *m = &p->mbuf;
    if (n > m->data_len || ofs > m->data_len - n) {
        return false;
    }
    if (!n) {
        return true;
    }
    char *data = rte_pktmbuf_mtod(m, char *);
    if (ofs) {
        memmove(data + n, data, ofs);
    }
    return rte_pktmbuf_adj(m, (uint16_t)n) != NULL;
}

void
dp_packet_batch_free(struct dp_packet_batch *b)
{
    struct rte_mbuf *mbufs[DP_PACKET_BATCH_SIZE];
    uint32_t n = MIN(b->count, (uint32_t)DP_PACKET_BATCH_SIZE);
    for (uint32_t i = 0; i < n; i++) {
        mbufs[i] = &b->packets[i]->mbuf;
    }
    if (n) {
        rte_pktmbuf_free_bulk(mbufs, n);
    }
    b->count = 0;
}
