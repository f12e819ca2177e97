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

#endif /* TERN_OFP_NX_H */
