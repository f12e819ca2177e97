/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofp-nx: small messages Tern decodes but does not act upon — request
 * forwarding (OFPT_REQUESTFORWARD in 1.4+, ONFT in 1.3, NXT in 1.0),
 * the Nicira flow monitor cancel/paused/resumed notices and the Nicira
 * one-value settings (flow format, packet-in format, controller id, flow
 * mod table id, conntrack zone flush).  They decode, re-encode and print;
 * Open vSwitch controllers get a precise error elsewhere.
 *
 * Decoders read the caller's message and return 0 or a positive 'enum
 * ofperr'; encoders return a new message (caller frees) or NULL when the
 * kind has no encoding in the version.
 *
 * Thread safety: pure functions.
 */
#ifndef TERN_OFP_NX_H
#define TERN_OFP_NX_H 1

#include "lib/ofp-msgs.h"
#include "lib/ofp-packet.h"
#include "lib/packets.h"

/* A forwarded request: the group or meter mod it carries, framed (inner
 * points into the outer message).  The inner message must be of the
 * outer's version and a GROUP_MOD or METER_MOD, else OFPBRC_BAD_TYPE /
 * OFPBRC_BAD_VERSION; its framing errors are returned as they are. */
enum ofperr ofp_requestforward_decode(const struct ofp_msg *,
                                      struct ofp_msg *inner);
/* Wraps the 'len' bytes of 'inner' (a whole message, copied) in a
 * message of kind 'type' (OFPTYPE_REQUESTFORWARD or
 * OFPTYPE_NXT_REQUESTFORWARD). */
struct ofpbuf *ofp_requestforward_encode(enum ofptype type, const void *inner,
                                         size_t len, enum ofp_version,
                                         uint32_t xid);

/* The value carried by one of the Nicira one-value messages:
 *   NXT_SET_FLOW_FORMAT        format (0 = openflow10, 2 = nxm)
 *   NXT_SET_PACKET_IN_FORMAT   format (0 standard, 1 nxt_packet_in,
 *                              2 nxt_packet_in2)
 *   NXT_FLOW_MOD_TABLE_ID      0 or 1 (disable/enable)
 *   NXT_SET_CONTROLLER_ID      controller id
 *   NXT_CT_FLUSH_ZONE          conntrack zone
 *   NXT_FLOW_MONITOR_CANCEL    monitor id
 * OFPBRC_BAD_TYPE for any other kind. */
enum ofperr ofp_nx_value_decode(const struct ofp_msg *, uint32_t *value);
struct ofpbuf *ofp_nx_value_encode(enum ofptype, uint32_t value,
                                   enum ofp_version, uint32_t xid);

/* NXM: the Nicira match, the same TLV format as OXM with classes 0x0000
 * (NXM_OF_*, the OpenFlow 1.0 fields; NXM_OF_IN_PORT is 16 bits) and
 * 0x0001 (NXM_NX_*), without an ofp_match header or padding.
 * ofp_nxm_decode() reads the 'len' bytes at 'nxm' into 'match' (cleared
 * first); a field ofp-fields does not know (e.g. NXM_OF_VLAN_TCI,
 * NXM_NX_REG0, NXM_NX_TUN_ID) is OFPBMC_BAD_FIELD, a bad length
 * OFPBMC_BAD_LEN.  ofp_nxm_encode() appends the TLVs of 'match' in the
 * order Open vSwitch writes them and returns their length (no padding). */
struct match;
struct ofpbuf;
enum ofperr ofp_nxm_decode(const void *nxm, size_t len, struct match *);
size_t ofp_nxm_encode(const struct match *, struct ofpbuf *);

/* NXM headers as Nicira's reg_load and reg_move actions name a field: the
 * 32-bit class(16) field(7) hasmask(1) length(8).  ofp_nxm_header_field()
 * returns the field of 'header' (classes 0x0000, 0x0001 and OXM basic
 * 0x8000; the mask bit and length are not looked at) or NULL.
 * ofp_nxm_header_name() returns the name ovs-ofctl prints for it
 * ("NXM_NX_REG0", "NXM_OF_ETH_DST", "OXM_OF_METADATA") or NULL.
 * ofp_nxm_header_from_name() parses such a name (the first 'len' bytes of
 * 'name') into an unmasked header; false if unknown. */
struct mf_field;
const struct mf_field *ofp_nxm_header_field(uint32_t header);
const char *ofp_nxm_header_name(uint32_t header);
/* The width in bits of the field of 'header' (NXM_OF_IN_PORT is 16), 0 if
 * unknown. */
unsigned ofp_nxm_header_width(uint32_t header);
bool ofp_nxm_header_from_name(const char *name, size_t len, uint32_t *header);

/* NXT_CT_FLUSH: flush the connection-tracking entries that match a zone
 * and an original/reply tuple.  Body: ip_proto(8) pad(7), then properties
 * (type(16) len(16) value, padded to 8): ZONE (2, be16), ORIG_TUPLE (0) and
 * REPLY_TUPLE (1), each nested (pad(32) then SRC (0) / DST (1) addresses
 * as 16-byte IPv6 or IPv4-mapped, SRC_PORT (2) / DST_PORT (3) / ICMP_ID
 * (4) be16, ICMP_TYPE (5) / ICMP_CODE (6) u8).  The order in which the
 * properties came is kept so that the message re-encodes byte for byte.
 * Errors: OFPBRC_BAD_LEN, OFPBPC_BAD_LEN, OFPBPC_BAD_TYPE, OFPBPC_DUP_TYPE,
 * OFPBPC_BAD_VALUE (IPv4 and IPv6 addresses mixed). */
#define OFP_CT_TUPLE_N_PROPS 7
struct ofp_ct_tuple {
    struct in6_addr src, dst;
    uint16_t src_port, dst_port, icmp_id;
    uint8_t icmp_type, icmp_code;
    uint8_t order[OFP_CT_TUPLE_N_PROPS]; /* Property types as they came. */
    size_t n_props;
};
struct ofp_ct_flush {
    uint8_t ip_proto;
    uint16_t zone;
    struct ofp_ct_tuple orig, reply;
    uint8_t order[3]; /* Top-level property types as they came. */
    size_t n_props;
};
enum ofperr ofp_ct_flush_decode(const struct ofp_msg *, struct ofp_ct_flush *);
struct ofpbuf *ofp_ct_flush_encode(const struct ofp_ct_flush *,
                                   enum ofp_version, uint32_t xid);
/* True if the addresses of 'f' are IPv4 (IPv4-mapped; zero addresses
 * count as either family). */
bool ofp_ct_flush_is_ipv4(const struct ofp_ct_flush *);

/* NXST_IPFIX_BRIDGE / NXST_IPFIX_FLOW replies: one entry (88 bytes) for
 * the bridge exporter, one per flow-exporter collector set. */
struct ofp_ipfix_stats {
    uint32_t collector_set_id; /* Flow exporters only. */
    uint64_t total_flows, current_flows, pkts, ipv4_pkts, ipv6_pkts;
    uint64_t error_pkts, ipv4_error_pkts, ipv6_error_pkts;
    uint64_t tx_pkts, tx_errors;
};
/* Reads the next entry: 0, EOF at the end, OFPBRC_BAD_LEN. */
int ofp_ipfix_stats_decode_next(struct ofp_reader *, struct ofp_ipfix_stats *);
void ofp_ipfix_stats_append(const struct ofp_ipfix_stats *,
                            struct ofp_mp_reply *);

/* An NXM match as it came on the wire (points into the message), kept
 * beside the 'struct match' it decoded to: Open vSwitch may order fields
 * differently from ofp_nxm_encode() or send an all-ones mask, so encoders
 * write these bytes back while they still decode to the match being
 * encoded.  'len' 0: none. */
struct ofp_nxm_raw {
    const uint8_t *data;
    size_t len;
};
/* Appends 'raw' if it decodes to 'match', else ofp_nxm_encode(); returns
 * the length appended (no padding).  'raw' may be NULL. */
size_t ofp_nxm_encode_raw(const struct match *, const struct ofp_nxm_raw *raw,
                          struct ofpbuf *);

/* NXT_FLOW_REMOVED: cookie(64) priority(16) reason(8) table_id+1(8)
 * duration_sec(32) duration_nsec(32) idle_timeout(16) match_len(16)
 * packet_count(64) byte_count(64), NXM match padded to 8.  Errors:
 * OFPBRC_BAD_LEN, match errors. */
struct ofp_flow_removed;
enum ofperr ofp_nx_flow_removed_decode(const struct ofp_msg *,
                                       struct ofp_flow_removed *,
                                       struct ofp_nxm_raw *);
struct ofpbuf *ofp_nx_flow_removed_encode(const struct ofp_flow_removed *,
                                          const struct ofp_nxm_raw *,
                                          enum ofp_version, uint32_t xid);

/* NXT_FLOW_MOD: cookie(64) command(16, table id in the high byte)
 * idle_timeout(16) hard_timeout(16) priority(16) buffer_id(32)
 * out_port(16) flags(16) match_len(16) pad(48), NXM match padded to 8,
 * OpenFlow 1.0 actions (Nicira's included).  Decoded into the same
 * 'struct ofp_flow_mod' as FLOW_MOD (actions appended to 'ofpacts');
 * errors: OFPBRC_BAD_LEN, OFPFMFC_BAD_FLAGS/_BAD_COMMAND, match and action
 * errors. */
struct ofp_flow_mod;
enum ofperr ofp_nx_flow_mod_decode(const struct ofp_msg *,
                                   struct ofp_flow_mod *, struct ofp_nxm_raw *,
                                   struct ofpbuf *ofpacts);
struct ofpbuf *ofp_nx_flow_mod_encode(const struct ofp_flow_mod *,
                                      const struct ofp_nxm_raw *,
                                      enum ofp_version, uint32_t xid);

/* An NXST_FLOW reply entry: length(16) table_id(8) pad(8) duration_sec(32)
 * duration_nsec(32) priority(16) idle_timeout(16) hard_timeout(16)
 * match_len(16) idle_age+1(16) hard_age+1(16) cookie(64) packet_count(64)
 * byte_count(64), NXM match padded to 8, 1.0 actions.  decode_next()
 * returns 0, EOF at the end of 'r', or an error; actions go to 'ofpacts'
 * (cleared first), 'raw' points into the message. */
struct ofp_flow_stats;
struct ofp_reader;
int ofp_nx_flow_stats_decode_next(struct ofp_reader *, struct ofp_flow_stats *,
                                  struct ofp_nxm_raw *,
                                  struct ofpbuf *ofpacts);
void ofp_nx_flow_stats_append(const struct ofp_flow_stats *,
                              const struct ofp_nxm_raw *,
                              struct ofp_mp_reply *);
/* Formats the NXM match of 'len' bytes at 'nxm' as ovs-ofctl's verbose
 * NXT_FLOW_MOD does: "NXM_NX_REG0(0000007b), NXM_OF_ETH_DST_W(...)",
 * "<any>" when empty. */
struct ds;
void ofp_nxm_format_raw(const void *nxm, size_t len, struct ds *);

/* NXT_PACKET_IN: buffer_id(32) total_len(16) reason(8) table_id(8)
 * cookie(64) match_len(16) pad(48), NXM match padded to 8, pad(16), the
 * frame. */
enum ofperr ofp_nx_packet_in_decode(const struct ofp_msg *,
                                    struct ofp_packet_in *,
                                    struct ofp_nxm_raw *);
struct ofpbuf *ofp_nx_packet_in_encode(const struct ofp_packet_in *,
                                       const struct ofp_nxm_raw *,
                                       enum ofp_version, uint32_t xid);

/* NXT_PACKET_IN2 and NXT_RESUME: properties (type(16) len(16) value,
 * padded to 8): PACKET (0) the frame, FULL_LEN (1) u32, BUFFER_ID (2) u32,
 * TABLE_ID (3) u8, COOKIE (4) pad(32) u64, REASON (5) u8, METADATA (6) an
 * NXM/OXM match of the pipeline fields, USERDATA (7) bytes, CONTINUATION
 * (8) opaque.  The properties' order is kept; values point into the
 * message.  Errors: OFPBPC_BAD_LEN, OFPBPC_DUP_TYPE, OFPBPC_BAD_TYPE,
 * OFPBRC_BAD_LEN (no PACKET), match errors. */
#define OFP_NX_PIN2_MAX_PROPS 9
struct ofp_nx_packet_in2 {
    struct ofp_packet_in pin; /* total_len = packet_len when absent. */
    struct ofp_nxm_raw raw;   /* METADATA as it came. */
    const uint8_t *userdata;
    size_t userdata_len;
    const uint8_t *continuation;
    size_t continuation_len;
    uint8_t order[OFP_NX_PIN2_MAX_PROPS]; /* Property types as they came. */
    size_t n_props;
};
enum ofperr ofp_nx_packet_in2_decode(const struct ofp_msg *,
                                     struct ofp_nx_packet_in2 *);
/* 'type' is OFPTYPE_NXT_PACKET_IN2 or OFPTYPE_NXT_RESUME. */
struct ofpbuf *ofp_nx_packet_in2_encode(enum ofptype type,
                                        const struct ofp_nx_packet_in2 *,
                                        enum ofp_version, uint32_t xid);
/* True if property 'type' came in 'p2'. */
bool ofp_nx_packet_in2_has(const struct ofp_nx_packet_in2 *p2, uint8_t type);

#endif /* TERN_OFP_NX_H */
