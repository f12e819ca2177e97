/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dp-actions: the encoding of datapath action lists.
 *
 * An action list is a byte string of TLVs, each a 'struct dp_action' header
 * followed by its payload; 'len' counts header plus payload and is a
 * multiple of 4.  An empty list means drop.  Lists are built by odp-util's
 * parser (ovs-dpctl syntax) and by the slow path, validated once by
 * dp_actions_validate() when a flow is installed, and executed by the
 * datapath (datapath/dp-execute.h) without further checks.
 *
 * Thread safety: pure functions on caller-owned memory.
 */
#ifndef TERN_DP_ACTIONS_H
#define TERN_DP_ACTIONS_H 1

#include "lib/flow.h"

enum dp_action_type {
    DPA_OUTPUT = 1,   /* struct dpa_output. */
    DPA_USERSPACE,    /* struct dpa_userspace + userdata bytes. */
    DPA_SET_MASKED,   /* struct dpa_set: rewrite fields under a mask. */
    DPA_PUSH_VLAN,    /* struct dpa_push_vlan. */
    DPA_POP_VLAN,     /* No payload. */
    DPA_PUSH_MPLS,    /* struct dpa_push_mpls. */
    DPA_POP_MPLS,     /* struct dpa_pop_mpls. */
    DPA_DEC_TTL,      /* Nested action list run when TTL <= 1. */
    DPA_RECIRC,       /* struct dpa_recirc. */
    DPA_METER,        /* struct dpa_meter: drop or remark over the rate. */
    DPA_PUSH_PBB,     /* struct dpa_push_pbb. */
    DPA_POP_PBB,      /* No payload. */
    DPA_COPY_TTL_IN,  /* No payload: see below. */
    DPA_COPY_TTL_OUT, /* No payload: see below. */
    DPA_N_TYPES
};

struct dp_action {
    uint16_t type; /* enum dp_action_type. */
    uint16_t len;  /* Header + payload, multiple of 4. */
};

struct dpa_output {
    uint32_t port;
};

struct dpa_userspace {
    uint32_t pid; /* Opaque to the datapath, passed to the upcall. */
    uint32_t userdata_len;
    /* Followed by 'userdata_len' bytes of userdata, padded to 4. */
};

/* Rewrites, in the packet, every header field whose bits are set in 'mask'
 * to the corresponding bits of 'value'; updates checksums.  Settable:
 * dl_src, dl_dst, vlans[0].tci (VID/PCP of the outer tag), mpls_lse[0],
 * nw_src, nw_dst, nw_tos, nw_ttl (IPv4), ipv6_src, ipv6_dst, ipv6_label,
 * nw_tos, nw_ttl (IPv6), tp_src, tp_dst (TCP, UDP, SCTP), arp fields
 * (nw_src, nw_dst, arp_sha, arp_tha, nw_proto=op), nd_target, pkt_mark,
 * pbb_isid and pbb_uca (the I-TAG of a PBB frame).
 * Fields whose header is absent from the packet are left alone. */
struct dpa_set {
    struct flow value;
    struct flow mask;
};

struct dpa_push_vlan {
    tern_be16 tpid;
    tern_be16 tci; /* VLAN_CFI is ignored. */
};

struct dpa_push_mpls {
    tern_be32 lse;
    tern_be16 ethertype; /* 0x8847 or 0x8848. */
    uint16_t pad;
};

struct dpa_pop_mpls {
    tern_be16 ethertype; /* Ethertype of what follows the popped entry. */
    uint16_t pad;
};

/* Pushes a PBB (IEEE 802.1ah) encapsulation in front of the frame: after
 * the MAC addresses come Ethertype 0x88e7, 'itag' (PBB_*_MASK layout, from
 * lib/packets.h) and the original destination and source addresses, which
 * stay in front as the new backbone addresses; the original tags and
 * Ethertype then follow the customer addresses.  DPA_POP_PBB undoes it: on
 * a frame whose Ethertype (after any VLAN tags) is 0x88e7 with a whole
 * I-TAG and customer addresses behind it, everything up to the end of the
 * I-TAG goes, the customer frame remains; other frames are left alone. */
struct dpa_push_pbb {
    tern_be32 itag;
};

/* DPA_COPY_TTL_OUT copies the TTL of the next-to-outermost header into
 * the outermost MPLS label stack entry: from the second entry if the top
 * one is not the bottom of the stack, else from the IPv4 TTL or IPv6 hop
 * limit of the packet behind the only entry.  DPA_COPY_TTL_IN copies the
 * other way: the top entry's TTL into the second entry, or into the IPv4
 * TTL (fixing the header checksum) or IPv6 hop limit behind the only
 * entry.  The header behind the bottom of the stack is recognised by its
 * version nibble (4 with a whole header, or 6).  A packet without a label
 * stack, or too short for what the copy touches, is left alone. */

struct dpa_recirc {
    uint32_t recirc_id;
};

/* Runs the packets through datapath meter 'meter_id' (dpif_meter_set()):
 * those over a drop band's rate leave the list, those over a DSCP remark
 * band's rate have their drop precedence raised.  A meter that does not
 * exist passes everything. */
struct dpa_meter {
    uint32_t meter_id;
};

/* Iterates over the actions in [ACTS, ACTS + LEN).  The list must be valid
 * (dp_actions_validate()). */
#define DP_ACTIONS_FOR_EACH(A, ACTS, LEN)                                     \
    for (const struct dp_action *A = (const struct dp_action *)(ACTS);        \
         (const uint8_t *)A < (const uint8_t *)(ACTS) + (LEN);                \
         A = (const struct dp_action *)((const uint8_t *)A + A->len))

static inline const void *
dp_action_payload(const struct dp_action *a)
{
    return a + 1;
}
static inline size_t
dp_action_payload_len(const struct dp_action *a)
{
    return a->len - sizeof *a;
}

/* A growable action list being built.  Owns 'data'. */
struct dp_actions_buf {
    uint8_t *data;
    size_t size;
    size_t allocated;
};
void dp_actions_buf_init(struct dp_actions_buf *);
void dp_actions_buf_uninit(struct dp_actions_buf *);
/* Appends an action of 'type' with 'n' payload bytes copied from 'payload'
 * (may be NULL for zeroes).  Returns a pointer to the payload in the buffer,
 * valid until the next append. */
void *dp_actions_put(struct dp_actions_buf *, enum dp_action_type type,
                     const void *payload, size_t n);
/* Starts a nested list (DPA_DEC_TTL); returns an offset for ..._end(). */
size_t dp_actions_start_nested(struct dp_actions_buf *,
                               enum dp_action_type type);
void dp_actions_end_nested(struct dp_actions_buf *, size_t offset);

/* Maximum encoded size of one action list and nesting depth. */
#define DP_ACTIONS_MAX_LEN   8192
#define DP_ACTIONS_MAX_DEPTH 4

/* Checks that 'len' bytes at 'acts' form a well-formed list: lengths,
 * payload sizes, nesting depth, known types.  Returns 0 or EINVAL. */
int dp_actions_validate(const void *acts, size_t len);

#endif /* TERN_DP_ACTIONS_H */
