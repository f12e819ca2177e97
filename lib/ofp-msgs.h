/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofp-msgs: OpenFlow message framing for versions 1.0, 1.3, 1.4 and 1.5:
 * the common header, the kinds of message and how each is laid out on the
 * wire in each version (type number, multipart type, experimenter id and
 * subtype), minimum/fixed body lengths, and multipart replies split at the
 * 64 KB message limit.
 *
 * Decoding: ofp_msg_decode() checks the header (version known, length equal
 * to the bytes given, at least the fixed part of the kind present, fixed-
 * size kinds exactly that size) and returns the version-independent kind
 * ('enum ofptype') with a pointer to the body after the header (and after
 * the multipart or experimenter header).  The per-family modules (ofp-
 * switch, ofp-port, ofp-flow, ofp-packet, ofp-group, ofp-meter,
 * ofp-bundle) decode bodies.
 *
 * Encoding: ofp_msg_start() writes the headers for a kind in a version;
 * the family module appends the body; ofp_msg_finish() sets the length.
 *
 * Wire layouts are table-driven in ofp-msgs.c: one row per (kind, version)
 * giving how it is framed.  Versions 1.1 and 1.2 are not spoken: messages
 * with those versions decode to OFPERR_OFPBRC_BAD_VERSION.
 *
 * Thread safety: pure functions.
 */
#ifndef TERN_OFP_MSGS_H
#define TERN_OFP_MSGS_H 1

#include "lib/ofp-errors.h"
#include "lib/ofpbuf.h"

enum ofp_version {
    OFP10_VERSION = 0x01,
    OFP11_VERSION = 0x02,
    OFP12_VERSION = 0x03,
    OFP13_VERSION = 0x04,
    OFP14_VERSION = 0x05,
    OFP15_VERSION = 0x06,
};
/* Bitmap of versions Tern speaks (bit N = wire version N). */
#define OFP_SUPPORTED_VERSIONS                                                \
    ((1u << OFP10_VERSION) | (1u << OFP13_VERSION) | (1u << OFP14_VERSION) |  \
     (1u << OFP15_VERSION))
/* "OpenFlow13" <-> OFP13_VERSION (also "OpenFlow10" ... "OpenFlow15");
 * returns 0 / NULL when unknown. */
enum ofp_version ofp_version_from_name(const char *);
const char *ofp_version_to_name(enum ofp_version);
/* Parses a comma-separated list of version names into a bitmap; returns
 * false on an unknown name. */
bool ofp_versions_from_string(const char *, uint32_t *bitmap);

struct ofp_header {
    uint8_t version;
    uint8_t type;
    tern_be16 length;
    tern_be32 xid;
};
BUILD_ASSERT(sizeof(struct ofp_header) == 8);

#define OFP_MAX_MSG_LEN 65535

/* Experimenter ids. */
#define NX_VENDOR_ID  0x00002320 /* Nicira (Open vSwitch extensions). */
#define ONF_VENDOR_ID 0x4f4e4600 /* ONF extensions (bundles in 1.3). */

/* Version-independent message kinds. */
enum ofptype {
    OFPTYPE_HELLO = 1,
    OFPTYPE_ERROR,
    OFPTYPE_ECHO_REQUEST,
    OFPTYPE_ECHO_REPLY,
    OFPTYPE_FEATURES_REQUEST,
    OFPTYPE_FEATURES_REPLY,
    OFPTYPE_GET_CONFIG_REQUEST,
    OFPTYPE_GET_CONFIG_REPLY,
    OFPTYPE_SET_CONFIG,
    OFPTYPE_PACKET_IN,
    OFPTYPE_FLOW_REMOVED,
    OFPTYPE_PORT_STATUS,
    OFPTYPE_PACKET_OUT,
    OFPTYPE_FLOW_MOD,
    OFPTYPE_GROUP_MOD,
    OFPTYPE_PORT_MOD,
    OFPTYPE_TABLE_MOD,
    OFPTYPE_METER_MOD,
    OFPTYPE_BARRIER_REQUEST,
    OFPTYPE_BARRIER_REPLY,
    OFPTYPE_QUEUE_GET_CONFIG_REQUEST,
    OFPTYPE_QUEUE_GET_CONFIG_REPLY,
    OFPTYPE_ROLE_REQUEST,
    OFPTYPE_ROLE_REPLY,
    OFPTYPE_ROLE_STATUS,
    OFPTYPE_GET_ASYNC_REQUEST,
    OFPTYPE_GET_ASYNC_REPLY,
    OFPTYPE_SET_ASYNC_CONFIG,
    OFPTYPE_BUNDLE_CONTROL,     /* 1.4+, and ONF 2300 in 1.3. */
    OFPTYPE_BUNDLE_ADD_MESSAGE, /* 1.4+, and ONF 2301 in 1.3. */
    OFPTYPE_REQUESTFORWARD,
    OFPTYPE_TABLE_STATUS,
    /* Multipart (statistics) requests and replies. */
    OFPTYPE_DESC_STATS_REQUEST,
    OFPTYPE_DESC_STATS_REPLY,
    OFPTYPE_FLOW_STATS_REQUEST,
    OFPTYPE_FLOW_STATS_REPLY,
    OFPTYPE_AGGREGATE_STATS_REQUEST,
    OFPTYPE_AGGREGATE_STATS_REPLY,
    OFPTYPE_TABLE_STATS_REQUEST,
    OFPTYPE_TABLE_STATS_REPLY,
    OFPTYPE_PORT_STATS_REQUEST,
    OFPTYPE_PORT_STATS_REPLY,
    OFPTYPE_QUEUE_STATS_REQUEST,
    OFPTYPE_QUEUE_STATS_REPLY,
    OFPTYPE_GROUP_STATS_REQUEST,
    OFPTYPE_GROUP_STATS_REPLY,
    OFPTYPE_GROUP_DESC_STATS_REQUEST,
    OFPTYPE_GROUP_DESC_STATS_REPLY,
    OFPTYPE_GROUP_FEATURES_STATS_REQUEST,
    OFPTYPE_GROUP_FEATURES_STATS_REPLY,
    OFPTYPE_METER_STATS_REQUEST,
    OFPTYPE_METER_STATS_REPLY,
    OFPTYPE_METER_CONFIG_STATS_REQUEST,
    OFPTYPE_METER_CONFIG_STATS_REPLY,
    OFPTYPE_METER_FEATURES_STATS_REQUEST,
    OFPTYPE_METER_FEATURES_STATS_REPLY,
    OFPTYPE_TABLE_FEATURES_STATS_REQUEST,
    OFPTYPE_TABLE_FEATURES_STATS_REPLY,
    OFPTYPE_PORT_DESC_STATS_REQUEST,
    OFPTYPE_PORT_DESC_STATS_REPLY,
    OFPTYPE_QUEUE_DESC_STATS_REQUEST,
    OFPTYPE_QUEUE_DESC_STATS_REPLY,
    OFPTYPE_FLOW_MONITOR_STATS_REQUEST,
    OFPTYPE_FLOW_MONITOR_STATS_REPLY,
    /* Open vSwitch (Nicira) extensions that ovs-ofctl sends or that appear
     * in captures.  Decoded so that they can be printed and answered with
     * a precise error; only those listed in Documentation/openflow.md are
     * acted upon. */
    OFPTYPE_NXT_SET_FLOW_FORMAT,
    OFPTYPE_NXT_FLOW_MOD_TABLE_ID,
    OFPTYPE_NXT_SET_PACKET_IN_FORMAT,
    OFPTYPE_NXT_SET_CONTROLLER_ID,
    OFPTYPE_NXT_FLOW_MOD,
    OFPTYPE_NXT_FLOW_REMOVED,
    OFPTYPE_NXT_PACKET_IN,
    OFPTYPE_NXT_PACKET_IN2,
    OFPTYPE_NXT_ROLE_REQUEST,
    OFPTYPE_NXT_ROLE_REPLY,
    OFPTYPE_NXT_SET_ASYNC_CONFIG,
    OFPTYPE_NXT_RESUME,
    OFPTYPE_NXT_CT_FLUSH_ZONE,
    OFPTYPE_NXT_CT_FLUSH,
    OFPTYPE_NXT_GROUP_MOD,
    OFPTYPE_NXT_FLOW_MONITOR_CANCEL,
    OFPTYPE_NXT_FLOW_MONITOR_PAUSED,
    OFPTYPE_NXT_FLOW_MONITOR_RESUMED,
    OFPTYPE_NXT_REQUESTFORWARD,
    OFPTYPE_NXST_FLOW_REQUEST,
    OFPTYPE_NXST_FLOW_REPLY,
    OFPTYPE_NXST_AGGREGATE_REQUEST,
    OFPTYPE_NXST_AGGREGATE_REPLY,
    OFPTYPE_NXST_FLOW_MONITOR_REQUEST,
    OFPTYPE_NXST_FLOW_MONITOR_REPLY,
    OFPTYPE_NXST_IPFIX_BRIDGE_REQUEST,
    OFPTYPE_NXST_IPFIX_BRIDGE_REPLY,
    OFPTYPE_NXST_IPFIX_FLOW_REQUEST,
    OFPTYPE_NXST_IPFIX_FLOW_REPLY,
    OFPTYPE_N_TYPES
};

/* Name as ovs-ofctl prints it for 'version' ("OFPT_FLOW_MOD",
 * "OFPST_FLOW request", "NXT_FLOW_MOD", ...). */
const char *ofptype_get_name(enum ofptype, enum ofp_version);
bool ofptype_is_multipart(enum ofptype);
bool ofptype_is_reply(enum ofptype);

/* Multipart flags. */
#define OFPSF_REQ_MORE   0x0001
#define OFPSF_REPLY_MORE 0x0001

/* A decoded message: pointers into the caller's bytes. */
struct ofp_msg {
    enum ofptype type;
    enum ofp_version version;
    uint32_t xid;
    const struct ofp_header *oh; /* Whole message. */
    size_t len;                  /* Whole message length. */
    const uint8_t *body;         /* After all headers of its kind. */
    size_t body_len;
    uint16_t mp_flags; /* Multipart flags; 0 otherwise. */
};

/* Decodes the framing of the 'len' bytes at 'data' (one whole message).
 * Returns 0 and fills 'msg', or: OFPBRC_BAD_VERSION (version not spoken),
 * OFPBRC_BAD_LEN (length field differs from 'len', or the body is shorter
 * than its kind's fixed part, or a fixed-size kind is longer),
 * OFPBRC_BAD_TYPE (unknown type), OFPBRC_BAD_MULTIPART (unknown
 * multipart type), OFPBRC_BAD_EXPERIMENTER / OFPBRC_BAD_EXP_TYPE (unknown
 * experimenter message).  HELLO and ERROR decode in any version. */
enum ofperr ofp_msg_decode(const void *data, size_t len, struct ofp_msg *msg);

/* Starts a message of kind 'type' for 'version' with 'xid': writes the
 * OpenFlow header and any multipart/experimenter header.  Caller appends
 * the body and calls ofp_msg_finish().  Returns NULL if 'type' has no
 * encoding in 'version'. */
struct ofpbuf *ofp_msg_start(enum ofptype, enum ofp_version, uint32_t xid,
                             size_t body_hint);
/* Same with the version and xid of 'request'. */
struct ofpbuf *ofp_msg_start_reply(enum ofptype, const struct ofp_msg *request,
                                   size_t body_hint);
/* Sets the length field from the buffer size. */
void ofp_msg_finish(struct ofpbuf *);
/* Offset of the body in a message started by ofp_msg_start(). */
size_t ofp_msg_body_offset(const struct ofpbuf *);
/* A new xid (process-wide counter). */
uint32_t ofp_msg_next_xid(void);

/* Multipart replies: entries appended one at a time; a message that would
 * pass OFP_MAX_MSG_LEN is closed with the MORE flag and a new one
 * started. */
struct ofp_mp_reply {
    struct ofpbuf **msgs; /* Owned. */
    size_t n;
    enum ofptype type;
    enum ofp_version version;
    uint32_t xid;
};
void ofp_mp_reply_start(struct ofp_mp_reply *, enum ofptype reply_type,
                        const struct ofp_msg *request);
/* Appends one entry ('len' bytes at 'entry'). */
void ofp_mp_reply_append(struct ofp_mp_reply *, const void *entry, size_t len);
/* Finishes the messages (lengths, MORE flags) and hands them to the
 * caller: *msgsp (array and buffers owned by the caller), *np. */
void ofp_mp_reply_finish(struct ofp_mp_reply *, struct ofpbuf ***msgsp,
                         size_t *np);

/* Hello: the versions in a received hello ('msg'), from its bitmap element
 * if present, otherwise all versions up to the header's version. */
uint32_t ofp_hello_decode_versions(const struct ofp_msg *);
/* A hello advertising 'bitmap' (header version = highest in bitmap, with
 * a version bitmap element when the highest is 1.3 or later). */
struct ofpbuf *ofp_hello_encode(uint32_t bitmap, uint32_t xid);

/* A received hello as it came: the header's version and its elements
 * (the version bitmap and any others, with trailing bytes), so that it can
 * be written again byte for byte.  'elements' points into the message. */
struct ofp_hello {
    uint8_t version;
    uint32_t versions; /* As ofp_hello_decode_versions() says. */
    const uint8_t *elements;
    size_t elements_len;
};
void ofp_hello_decode(const struct ofp_msg *, struct ofp_hello *);
/* A hello with the version and elements of 'hello' (copied). */
struct ofpbuf *ofp_hello_encode_raw(const struct ofp_hello *, uint32_t xid);

#endif /* TERN_OFP_MSGS_H */
