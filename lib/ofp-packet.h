/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofp-packet: PACKET_IN and PACKET_OUT for 1.0 and 1.3-1.5, the switch
 * configuration (GET_CONFIG_REPLY / SET_CONFIG) and the asynchronous
 * message configuration (GET_ASYNC_REPLY / SET_ASYNC_CONFIG, 1.3 bitmaps
 * and 1.4+ properties).
 *
 * Thread safety: pure functions.
 */
#ifndef TERN_OFP_PACKET_H
#define TERN_OFP_PACKET_H 1

#include "lib/ofp-actions.h"
#include "lib/ofp-match.h"
#include "lib/ofp-msgs.h"

struct ofp_packet_in {
    const void *packet; /* Not owned. */
    size_t packet_len;  /* Bytes included (after max_len truncation). */
    size_t total_len;   /* Whole frame. */
    uint32_t buffer_id; /* OFP_NO_BUFFER: Tern never buffers. */
    uint8_t reason;     /* enum ofp_packet_in_reason. */
    uint8_t table_id;
    uint64_t cookie;
    struct match match; /* Pipeline fields: in_port, metadata. */
};
struct ofpbuf *ofp_packet_in_encode(const struct ofp_packet_in *,
                                    enum ofp_version, uint32_t xid);
enum ofperr ofp_packet_in_decode(const struct ofp_msg *,
                                 struct ofp_packet_in *);

struct ofp_packet_out {
    const void *packet; /* Points into the message. */
    size_t packet_len;
    uint32_t buffer_id;
    uint32_t in_port; /* OpenFlow port; OFPP_CONTROLLER / OFPP_LOCAL ok. */
    /* Pipeline fields the packet starts with (1.5 carries a match: in_port
     * and metadata are kept; tunnel fields, which Tern lacks, are accepted
     * and dropped).  Decoders always fill in_port here too; encoders take
     * in_port from 'in_port' and the rest from here (a zeroed match is
     * fine). */
    struct match match;
    /* 1.5: zero bytes the sender counted in the match length after the
     * OXMs (Open vSwitch's test cases do), written back by the encoder. */
    uint8_t match_zeros;
    /* 1.5: the ofp_match as it came (header, OXMs in their order, padding;
     * points into the message), written back by the encoder while it still
     * means 'match' and 'in_port' (tunnel fields, which the decoder drops,
     * survive so).  NULL: none. */
    const uint8_t *raw_match;
    size_t raw_match_len;
    struct ofpact *ofpacts;
    size_t ofpacts_len;
};
/* Actions go to 'ofpacts'.  Errors: OFPBRC_BAD_LEN, action errors,
 * OFPBRC_BAD_PORT (in_port invalid). */
enum ofperr ofp_packet_out_decode(const struct ofp_msg *,
                                  struct ofp_packet_out *,
                                  struct ofpbuf *ofpacts);
struct ofpbuf *ofp_packet_out_encode(const struct ofp_packet_out *,
                                     enum ofp_version, uint32_t xid);

/* Switch configuration. */
#define OFPC_FRAG_NORMAL               0
#define OFPC_FRAG_DROP                 1
#define OFPC_FRAG_REASM                2
#define OFPC_FRAG_MASK                 3
#define OFPC_INVALID_TTL_TO_CONTROLLER 4 /* 1.1-1.2 bit; accepted. */
struct ofp_switch_config {
    uint16_t flags;
    uint16_t miss_send_len;
};
enum ofperr ofp_switch_config_decode(const struct ofp_msg *,
                                     struct ofp_switch_config *);
struct ofpbuf *ofp_switch_config_encode(enum ofptype, /* reply or set */
                                        const struct ofp_switch_config *,
                                        enum ofp_version, uint32_t xid);

/* Asynchronous configuration: for master/equal ('[0]') and slave ('[1]')
 * roles, bitmaps of packet-in reasons, port-status reasons, flow-removed
 * reasons, plus (1.4+) role-status, table-status, requestforward. */
struct ofp_async_config {
    uint32_t packet_in[2];
    uint32_t port_status[2];
    uint32_t flow_removed[2];
    uint32_t role_status[2];
    uint32_t table_status[2];
    uint32_t requestforward[2];
};
/* The default for 'version' (OpenFlow 1.3 section 6.1.1 / 1.4 7.3.10). */
void ofp_async_config_default(enum ofp_version, struct ofp_async_config *);
/* Decodes SET_ASYNC_CONFIG on top of 'cfg' (1.4+ properties are partial
 * updates).  Errors: OFPBRC_BAD_LEN, OFPACFC_INVALID/UNSUPPORTED. */
enum ofperr ofp_async_config_decode(const struct ofp_msg *,
                                    struct ofp_async_config *cfg);
struct ofpbuf *ofp_async_config_encode(enum ofptype, /* reply or set */
                                       const struct ofp_async_config *,
                                       enum ofp_version, uint32_t xid);

#endif /* TERN_OFP_PACKET_H */
