/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofp-bundle: BUNDLE_CONTROL and BUNDLE_ADD_MESSAGE (1.4+, and the ONF
 * extension 2300/2301 that ovs-ofctl --bundle uses with 1.3).
 *
 * Thread safety: pure functions.
 */
#ifndef TERN_OFP_BUNDLE_H
#define TERN_OFP_BUNDLE_H 1

#include "lib/ofp-msgs.h"

enum ofp_bundle_ctrl_type {
    OFPBCT_OPEN_REQUEST = 0,
    OFPBCT_OPEN_REPLY = 1,
    OFPBCT_CLOSE_REQUEST = 2,
    OFPBCT_CLOSE_REPLY = 3,
    OFPBCT_COMMIT_REQUEST = 4,
    OFPBCT_COMMIT_REPLY = 5,
    OFPBCT_DISCARD_REQUEST = 6,
    OFPBCT_DISCARD_REPLY = 7,
};
#define OFPBF_ATOMIC  (1u << 0)
#define OFPBF_ORDERED (1u << 1)

struct ofp_bundle_ctrl {
    uint32_t bundle_id;
    uint16_t type;
    uint16_t flags;
};
enum ofperr ofp_bundle_ctrl_decode(const struct ofp_msg *,
                                   struct ofp_bundle_ctrl *);
struct ofpbuf *ofp_bundle_ctrl_encode(const struct ofp_bundle_ctrl *,
                                      enum ofp_version, uint32_t xid);

struct ofp_bundle_add {
    uint32_t bundle_id;
    uint16_t flags;
    const struct ofp_header *msg; /* Embedded message, in the caller's
                                   * bytes. */
    size_t msg_len;
};
/* Checks the embedded message's length and that its xid and version equal
 * the outer message's (OFPBFC_MSG_BAD_LEN, OFPBFC_MSG_BAD_XID). */
enum ofperr ofp_bundle_add_decode(const struct ofp_msg *,
                                  struct ofp_bundle_add *);
struct ofpbuf *ofp_bundle_add_encode(const struct ofp_bundle_add *,
                                     enum ofp_version, uint32_t xid);

#endif /* TERN_OFP_BUNDLE_H */
