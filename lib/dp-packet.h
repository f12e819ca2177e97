/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dp-packet: Tern's packet buffer, an rte_mbuf with Tern's metadata in the
 * mbuf's private area, and the burst ("batch") the datapath moves packets
 * in.
 *
 * Every mbuf Tern touches comes from a mempool made by dp_packet_pool_create()
 * (netdev providers pass that pool to the devices they open), so the private
 * area always exists.  Packets are single-segment: providers linearise
 * chained mbufs on receive or drop them.
 *
 * Ownership: a batch owns the packets in it; handing a batch to
 * netdev_send() or dp_packet_batch_free() gives them away.
 *
 * Thread safety: a packet belongs to one thread at a time.  Allocation from
 * a pool is safe from any thread (rte_mempool), cheapest from threads that
 * registered with DPDK (PMD threads do).
 */
#ifndef TERN_DP_PACKET_H
#define TERN_DP_PACKET_H 1

#include <rte_mbuf.h>

#include "lib/flow.h"

#define DP_PACKET_BATCH_SIZE 32
/* Bytes reserved in front of the data for pushed headers (VLAN, MPLS). */
#define DP_PACKET_HEADROOM RTE_PKTMBUF_HEADROOM

/* Per-packet metadata stored in the mbuf private area. */
struct dp_packet_md {
    struct flow_md md;       /* recirc_id, in_port, dp_hash, pkt_mark. */
    struct flow_offsets ofs; /* Valid after flow_extract(). */
    uint32_t rss_hash;       /* Key hash, valid when 'key_valid'. */
    bool key_valid;
};

struct dp_packet {
    struct rte_mbuf mbuf;
    struct dp_packet_md md;
};

static inline struct dp_packet *
dp_packet_from_mbuf(struct rte_mbuf *m)
{
    return (struct dp_packet *)(void *)m;
}

static inline void *
dp_packet_data(const struct dp_packet *p)
{
    return rte_pktmbuf_mtod(&p->mbuf, void *);
}

static inline uint32_t
dp_packet_size(const struct dp_packet *p)
{
    return rte_pktmbuf_data_len(&p->mbuf);
}

/* Creates a mempool of 'n' packets whose data rooms hold 'data_room' bytes
 * (headroom included), on 'socket_id'.  Returns NULL and sets *errp to a
 * positive errno on failure.  Requires dpdk_init(). */
struct rte_mempool *dp_packet_pool_create(const char *name, unsigned n,
                                          uint16_t data_room, int socket_id,
                                          int *errp);
/* Returns the process-wide default pool, created on first use (thread-safe),
 * or NULL if DPDK is not initialised. */
struct rte_mempool *dp_packet_default_pool(void);
/* Sets how many packets the default pool holds when it is created (0: the
 * built-in default).  Returns 0, or EBUSY if the pool already exists. */
int dp_packet_set_default_pool_size(unsigned n);

/* Allocates a packet from 'pool' (default pool if NULL) holding a copy of
 * the 'n' bytes at 'data', metadata zeroed.  Returns NULL if the pool is
 * empty or 'n' exceeds the data room.  The caller owns the packet. */
struct dp_packet *dp_packet_clone_data(struct rte_mempool *pool,
                                       const void *data, size_t n);
/* Returns a copy of 'p' (data and metadata) from p's pool, or NULL. */
struct dp_packet *dp_packet_clone(const struct dp_packet *p);
/* Resets the Tern metadata of a freshly received packet. */
static inline void
dp_packet_reset_md(struct dp_packet *p, uint32_t in_port)
{
    memset(&p->md, 0, sizeof p->md);
    p->md.md.in_port = in_port;
}
void dp_packet_free(struct dp_packet *p);
/* The hash of 'p''s flow key: md.rss_hash, after extracting the key (and
 * setting md.ofs, md.rss_hash, md.key_valid) if 'p' has none, as packets
 * the in_port cache served or whose headers an action rewrote do not.  The
 * same for every packet of one flow: what spreads flows over the queues of
 * a multiqueue port. */
uint32_t dp_packet_flow_hash(struct dp_packet *p);

/* Inserts 'n' bytes at 'ofs' from the start of the data, moving the first
 * 'ofs' bytes towards the front.  Returns a pointer to the new gap, or NULL
 * if the headroom is too small.  Used to push VLAN and MPLS headers. */
void *dp_packet_push_at(struct dp_packet *p, size_t ofs, size_t n);
/* Removes 'n' bytes at 'ofs' by moving the first 'ofs' bytes towards the
 * end.  Returns false if the packet is too short. */
bool dp_packet_pull_at(struct dp_packet *p, size_t ofs, size_t n);

/* A burst of packets. */
struct dp_packet_batch {
    uint32_t count;
    struct dp_packet *packets[DP_PACKET_BATCH_SIZE];
};

static inline void
dp_packet_batch_init(struct dp_packet_batch *b)
{
    b->count = 0;
}

static inline bool
dp_packet_batch_is_full(const struct dp_packet_batch *b)
{
    return b->count >= DP_PACKET_BATCH_SIZE;
}

/* Adds 'p' to 'b'; the caller checks for room first. */
static inline void
dp_packet_batch_add(struct dp_packet_batch *b, struct dp_packet *p)
{
    b->packets[b->count++] = p;
}

/* Frees every packet in 'b' (in one bulk call) and empties it. */
void dp_packet_batch_free(struct dp_packet_batch *b);

#endif /* TERN_DP_PACKET_H */
