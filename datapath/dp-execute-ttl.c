/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dp-execute-ttl: DPA_COPY_TTL_IN and DPA_COPY_TTL_OUT, the TTL copies
 * between an MPLS label stack and what it carries, for the action executor
 * (dp-execute.c).
 *
 * The outermost label stack entry is at the packet's l2_5 offset (checked
 * against the Ethertype in front of it, since a PBB I-TAG also starts
 * there).  If it is not the bottom of the stack, the "next-to-outermost"
 * header is the second entry; otherwise it is the header behind the stack,
 * which MPLS does not name: an IPv4 header (version 4, IHL of at least 5,
 * 20 bytes present) or an IPv6 header (version 6, 40 bytes present) is
 * recognised by its first byte, anything else is left alone.  A packet
 * without a label stack, or too short for the bytes the copy reads or
 * writes, is not changed.
 */
#include <config.h>

#include <arpa/inet.h>

#include "datapath/dp-execute-private.h"

/* Byte offsets of the TTL fields in their headers. */
#define TTL_LSE_OFS       3 /* The low byte of the 32-bit entry. */
#define TTL_IPV4_OFS      8
#define TTL_IPV4_CSUM_OFS 10
#define TTL_IPV6_OFS      7

/* Returns the outermost label stack entry of ep's packet, or NULL if it has
 * none (or not a whole one).  The pointer is into the packet. */
static uint8_t *
ttl_mpls_top(struct dp_exec_pkt *ep)
{
    tern_be16 type;
    uint8_t *lse;

    dp_exec_need_layout(ep);
    if (ep->ofs.l2_5 < 2 * ETH_ADDR_LEN + 2) {
        return NULL;
    }
    lse = dp_exec_at(ep, ep->ofs.l2_5, MPLS_HLEN);
    if (!lse) {
        return NULL;
    }
    type = dp_exec_get16(lse - 2);
    return (type == htons(ETH_TYPE_MPLS) || type == htons(ETH_TYPE_MPLS_MCAST)
                ? lse
                : NULL);
}

/* Copies between the only label stack entry 'lse' and the IP header that
 * follows it at offset 'l3' (inward: into the IP header). */
static void
ttl_copy_ip(struct dp_exec_pkt *ep, uint8_t *lse, size_t l3ofs, bool inward)
{
    const uint8_t *first = dp_exec_at(ep, l3ofs, 1);
    uint8_t *l3;

    if (!first) {
        return;
    }
    if (*first >> 4 == 4 && IP_IHL(*first) >= 5 &&
        (l3 = dp_exec_at(ep, l3ofs, IP_HEADER_LEN))) {
        if (!inward) {
            dp_exec_will_modify(ep);
            lse[TTL_LSE_OFS] = l3[TTL_IPV4_OFS];
        } else if (l3[TTL_IPV4_OFS] != lse[TTL_LSE_OFS]) {
            /* TTL and protocol form one 16-bit word of the checksum. */
            tern_be16 old = dp_exec_get16(l3 + TTL_IPV4_OFS);
            tern_be16 csum = dp_exec_get16(l3 + TTL_IPV4_CSUM_OFS);

            dp_exec_will_modify(ep);
            l3[TTL_IPV4_OFS] = lse[TTL_LSE_OFS];
            csum = recalc_csum16(csum, old, dp_exec_get16(l3 + TTL_IPV4_OFS));
            dp_exec_put16(l3 + TTL_IPV4_CSUM_OFS, csum);
        }
    } else if (*first >> 4 == 6 &&
               (l3 = dp_exec_at(ep, l3ofs, IPV6_HEADER_LEN))) {
        dp_exec_will_modify(ep);
        if (inward) {
            l3[TTL_IPV6_OFS] = lse[TTL_LSE_OFS];
        } else {
            lse[TTL_LSE_OFS] = l3[TTL_IPV6_OFS];
        }
    }
}

void
dp_execute_copy_ttl__(struct dp_exec_pkt *ep, bool inward)
{
    uint8_t *top = ttl_mpls_top(ep);
    size_t next_ofs;
    uint8_t *next;

    if (!top) {
        return;
    }
    next_ofs = (size_t)ep->ofs.l2_5 + MPLS_HLEN;
    if (ntohl(dp_exec_get32(top)) & MPLS_BOS_MASK) {
        ttl_copy_ip(ep, top, next_ofs, inward);
    } else if ((next = dp_exec_at(ep, next_ofs, MPLS_HLEN))) {
        dp_exec_will_modify(ep);
        if (inward) {
            next[TTL_LSE_OFS] = top[TTL_LSE_OFS];
        } else {
            top[TTL_LSE_OFS] = next[TTL_LSE_OFS];
        }
    }
}
