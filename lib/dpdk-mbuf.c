/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dpdk-mbuf: mbuf helpers the DPDK-based netdev providers share (see
 * dpdk-mbuf.h).
 */
#include <config.h>

#include "lib/dpdk-mbuf.h"

#include <stdint.h>
#include <string.h>

#include <rte_mbuf.h>

struct rte_mbuf *
dpdk_mbuf_linearize(struct rte_mbuf *m)
{
    struct rte_mbuf *copy = rte_pktmbuf_alloc(m->pool);
    char *dst = NULL;

    if (copy && m->pkt_len <= UINT16_MAX) {
        dst = rte_pktmbuf_append(copy, (uint16_t)m->pkt_len);
    }
    if (dst) {
        const void *src = rte_pktmbuf_read(m, 0, m->pkt_len, dst);
        if (src != dst) {
            memcpy(dst, src, m->pkt_len);
        }
    } else {
        rte_pktmbuf_free(copy);
        copy = NULL;
    }
    rte_pktmbuf_free(m);
    return copy;
}
