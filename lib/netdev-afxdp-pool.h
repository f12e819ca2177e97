/* SPDX-License-Identifier: Apache-2.0 */
/*
 * netdev-afxdp-pool: the bookkeeping of UMEM frames for one AF_XDP socket.
 *
 * An AF_XDP socket exchanges fixed-size frames of its UMEM (a memory area
 * registered with the kernel) through four rings.  Copy-mode Tern ports
 * split each socket's frames into two sets that never mix: receive frames
 * cycle between the fill ring, the rx ring and this pool (only the thread
 * that polls the queue touches them), transmit frames between this pool,
 * the tx ring and the completion ring (only the thread that sends on the
 * queue, under the generic layer's tx lock).  So a pool needs no lock: it
 * is a stack of free frame addresses owned by one thread at a time.
 *
 * The address helpers turn a descriptor's address (which the kernel may
 * offset into its frame by the XDP headroom) back into the frame's base.
 * Everything here is pure computation, testable without a kernel.
 */
#ifndef TERN_NETDEV_AFXDP_POOL_H
#define TERN_NETDEV_AFXDP_POOL_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A stack of free frame addresses (offsets into the UMEM). */
struct afxdp_pool {
    uint64_t *addrs; /* Owned; 'capacity' entries. */
    uint32_t n;      /* Free frames on the stack. */
    uint32_t capacity;
};

/* Initialises 'pool' to hold the 'n_frames' frames of 'frame_size' bytes
 * that start at UMEM offset 'base', all free.  'frame_size' must be a power
 * of two.  Returns 0 or ENOMEM. */
int afxdp_pool_init(struct afxdp_pool *pool, uint64_t base, uint32_t n_frames,
                    uint32_t frame_size);
/* Frees what afxdp_pool_init() allocated.  NULL-safe for the addrs. */
void afxdp_pool_destroy(struct afxdp_pool *pool);

/* Takes up to 'n' free frames: stores their addresses in 'addrs' and
 * returns how many were taken. */
uint32_t afxdp_pool_get(struct afxdp_pool *pool, uint64_t *addrs, uint32_t n);
/* Gives back one frame.  Returns false (and keeps nothing) if the pool is
 * already full, which means a frame was returned twice. */
bool afxdp_pool_put(struct afxdp_pool *pool, uint64_t addr);

/* Returns the base address of the frame that holds descriptor address
 * 'addr' (aligned UMEM mode, 'frame_size' a power of two). */
static inline uint64_t
afxdp_frame_base(uint64_t addr, uint32_t frame_size)
{
    return addr & ~((uint64_t)frame_size - 1);
}

/* Largest frame (Ethernet header included) that one UMEM frame of
 * 'frame_size' bytes receives in copy mode, where the kernel keeps
 * 'xdp_headroom' bytes in front of the data. */
static inline uint32_t
afxdp_max_rx_frame(uint32_t frame_size, uint32_t xdp_headroom)
{
    return frame_size > xdp_headroom ? frame_size - xdp_headroom : 0;
}

#endif /* TERN_NETDEV_AFXDP_POOL_H */
