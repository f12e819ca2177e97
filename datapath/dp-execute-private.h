/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dp-execute-private: what the two halves of the action executor share.
 * dp-execute.c runs action lists over batches (ownership, output, push/pop,
 * TTL, recirculation); dp-execute-set.c rewrites header fields under a mask
 * (DPA_SET_MASKED).  Both work on a 'struct dp_exec_pkt', a packet plus the
 * header layout the executor has worked out for it so far.
 *
 * Layout.  The offsets come from the packet's metadata when its key is
 * still valid (flow_extract() ran on exactly these bytes), otherwise from a
 * fresh flow_extract(); they are computed lazily, only when an action needs
 * them.  A VLAN push or pop shifts them in place; an MPLS push or pop and
 * anything less predictable drops them so that the next user recomputes.
 * Every header access is also checked against the packet's size, so stale
 * or hostile offsets can never lead outside the buffer.
 *
 * Not for use outside datapath/dp-execute*.c.
 */
#ifndef TERN_DP_EXECUTE_PRIVATE_H
#define TERN_DP_EXECUTE_PRIVATE_H 1

#include "lib/dp-actions.h"
#include "lib/dp-packet.h"

/* dp_exec_pkt 'flags'. */
enum {
    DP_EXEC_LAYOUT = 1 << 0,  /* 'ofs', 'l3_type', 'l4_proto' are valid. */
    DP_EXEC_FRAG = 1 << 1,    /* IP fragment (first one: L4 present). */
    DP_EXEC_IPV6_RH = 1 << 2, /* IPv6 routing header with segments left. */
};

/* A packet being executed and what is known of its headers. */
struct dp_exec_pkt {
    struct dp_packet *pkt;   /* Owned by the executor while in a batch. */
    struct flow_offsets ofs; /* Clipped to the packet: see layout(). */
    uint16_t l3_type;        /* ETH_TYPE_IP/IPV6/ARP/RARP or 0. */
    uint8_t l4_proto;        /* IPPROTO_* when ofs.l4 is set, else 0. */
    uint8_t flags;           /* DP_EXEC_*. */
};

static inline void
dp_exec_pkt_init(struct dp_exec_pkt *ep, struct dp_packet *pkt)
{
    ep->pkt = pkt;
    ep->flags = 0;
}

/* Makes ep's layout valid (from md.ofs or flow_extract()).  Never fails: a
 * packet without parseable headers gets all offsets FLOW_OFS_NONE. */
void dp_execute_layout__(struct dp_exec_pkt *ep);

static inline void
dp_exec_need_layout(struct dp_exec_pkt *ep)
{
    if (!(ep->flags & DP_EXEC_LAYOUT)) {
        dp_execute_layout__(ep);
    }
}

/* Called before ep's packet is changed: keeps the layout if it can be had
 * cheaply and marks the packet's flow key (md.key_valid) stale. */
static inline void
dp_exec_will_modify(struct dp_exec_pkt *ep)
{
    struct dp_packet *p = ep->pkt;

    if (p->md.key_valid) {
        dp_exec_need_layout(ep);
        p->md.key_valid = false;
    }
}

/* Set-field support (dp-execute-set.c).  A "group" is the set of fields
 * one header contributes; dp_execute_set_groups__() says which groups a
 * DPA_SET_MASKED action touches (once per batch) and
 * dp_execute_set_apply__() applies those groups to one packet.  Returns
 * false if the packet is too short to have an Ethernet header. */
uint32_t dp_execute_set_groups__(const struct dpa_set *s);
bool dp_execute_set_apply__(struct dp_exec_pkt *ep, const struct dpa_set *s,
                            uint32_t groups);

/* DPA_COPY_TTL_IN ('inward') or DPA_COPY_TTL_OUT on ep's packet
 * (dp-execute-ttl.c).  A packet the copy does not apply to is left
 * alone. */
void dp_execute_copy_ttl__(struct dp_exec_pkt *ep, bool inward);

/* Unaligned network-order accessors: packet headers are not aligned. */
static inline uint16_t
dp_exec_get16(const void *p)
{
    tern_be16 v;

    memcpy(&v, p, sizeof v);
    return v;
}

static inline uint32_t
dp_exec_get32(const void *p)
{
    tern_be32 v;

    memcpy(&v, p, sizeof v);
    return v;
}

static inline void
dp_exec_put16(void *p, tern_be16 v)
{
    memcpy(p, &v, sizeof v);
}

static inline void
dp_exec_put32(void *p, tern_be32 v)
{
    memcpy(p, &v, sizeof v);
}

static inline uint8_t *
dp_exec_data(const struct dp_exec_pkt *ep)
{
    return dp_packet_data(ep->pkt);
}

/* Returns a pointer to 'n' bytes at 'ofs' in ep's packet, or NULL if the
 * packet does not hold them.  'ofs' may be computed from a header offset
 * (e.g. l4 + 16): anything at or past FLOW_OFS_NONE counts as absent. */
static inline uint8_t *
dp_exec_at(const struct dp_exec_pkt *ep, size_t ofs, size_t n)
{
    if (ofs >= FLOW_OFS_NONE || ofs + n > dp_packet_size(ep->pkt)) {
        return NULL;
    }
    return dp_exec_data(ep) + ofs;
}

#endif /* TERN_DP_EXECUTE_PRIVATE_H */
