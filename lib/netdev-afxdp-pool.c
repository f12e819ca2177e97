/* SPDX-License-Identifier: Apache-2.0 */
/*
 * netdev-afxdp-pool: free-frame stacks for AF_XDP sockets (see the
 * header).  No locking: each pool has one owner thread at a time.
 */
#include <config.h>

#include "lib/netdev-afxdp-pool.h"

#include <errno.h>
#include <stdlib.h>

int
afxdp_pool_init(struct afxdp_pool *pool, uint64_t base, uint32_t n_frames,
                uint32_t frame_size)
{
    pool->addrs = calloc(n_frames ? n_frames : 1, sizeof *pool->addrs);
    pool->n = 0;
    pool->capacity = 0;
    if (!pool->addrs) {
        return ENOMEM;
    }
    pool->capacity = n_frames;
    /* Highest address at the bottom, so that frames are handed out from
     * the start of the area first. */
    for (uint32_t i = 0; i < n_frames; i++) {
        pool->addrs[i] = base + (uint64_t)(n_frames - 1 - i) * frame_size;
    }
    pool->n = n_frames;
    return 0;
}

void
afxdp_pool_destroy(struct afxdp_pool *pool)
{
    free(pool->addrs);
    pool->addrs = NULL;
    pool->n = pool->capacity = 0;
}

uint32_t
afxdp_pool_get(struct afxdp_pool *pool, uint64_t *addrs, uint32_t n)
{
    uint32_t k = n < pool->n ? n : pool->n;
    for (uint32_t i = 0; i < k; i++) {
        addrs[i] = pool->addrs[--pool->n];
    }
    return k;
}

bool
afxdp_pool_put(struct afxdp_pool *pool, uint64_t addr)
{
    if (pool->n >= pool->capacity) {
        return false;
    }
    pool->addrs[pool->n++] = addr;
    return true;
}
