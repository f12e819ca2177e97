/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofp-switch: switch-level messages — description statistics, table
 * statistics, table features, TABLE_MOD, role request/reply/status and
 * echo — for 1.0 and 1.3-1.5.
 *
 * Thread safety: pure functions.
 */
#ifndef TERN_OFP_SWITCH_H
#define TERN_OFP_SWITCH_H 1

#include "lib/ofp-msgs.h"

struct ds;

struct ofp_desc_stats {
    const char *mfr_desc, *hw_desc, *sw_desc, *serial_num, *dp_desc;
};
struct ofpbuf *ofp_desc_stats_reply_encode(const struct ofp_desc_stats *,
                                           const struct ofp_msg *request);

struct ofp_table_stats {
    uint8_t table_id;
    char name[32];        /* 1.0 only on the wire. */
    uint32_t max_entries; /* 1.0 only. */
    uint32_t active_count;
    uint64_t lookup_count, matched_count;
};
void ofp_table_stats_append(const struct ofp_table_stats *,
                            struct ofp_mp_reply *);
int ofp_table_stats_decode_next(struct ofp_reader *, enum ofp_version,
                                struct ofp_table_stats *);

/* Table features: Tern's tables are identical (every field matchable,
 * every instruction/action).  The request may carry a body (setting
 * features), which Tern refuses with OFPTFFC_EPERM. */
struct ofp_table_features {
    uint8_t table_id;
    char name[32];
    uint64_t metadata_match, metadata_write;
    uint32_t config;
    uint32_t max_entries;
    uint8_t command;   /* 1.5 only (padding before): 0 otherwise. */
    uint32_t features; /* 1.5 only (padding before): 0 otherwise. */
};
void ofp_table_features_append(const struct ofp_table_features *,
                               struct ofp_mp_reply *);
/* Decodes the next entry of a table features body (reply, or a request
 * that sets features): the fixed part into 'tf', the properties, whose
 * framing is checked but not their contents, as '*props' (pointing into
 * the message) and '*props_len'.  Returns 0, EOF or OFPBRC_BAD_LEN. */
int ofp_table_features_decode_next(struct ofp_reader *,
                                   struct ofp_table_features *tf,
                                   const uint8_t **props, size_t *props_len);
/* Appends an entry with the fixed part of 'tf' and 'props' as they are
 * (e.g. as decoded), rather than Tern's own properties. */
void ofp_table_features_append_raw(const struct ofp_table_features *tf,
                                   const uint8_t *props, size_t props_len,
                                   struct ofp_mp_reply *);

/* TABLE_MOD (config bits; Tern accepts and reports them). */
struct ofp_table_mod {
    uint8_t table_id;
    uint32_t config;
};
enum ofperr ofp_table_mod_decode(const struct ofp_msg *,
                                 struct ofp_table_mod *);
/* A TABLE_MOD for 'version' (1.3 or later; NULL for 1.0, which has
 * none), without properties.  Caller owns the buffer. */
struct ofpbuf *ofp_table_mod_encode(const struct ofp_table_mod *,
                                    enum ofp_version, uint32_t xid);

enum ofp_controller_role {
    OFPCR_ROLE_NOCHANGE = 0,
    OFPCR_ROLE_EQUAL = 1,
    OFPCR_ROLE_MASTER = 2,
    OFPCR_ROLE_SLAVE = 3,
};
struct ofp_role_request {
    enum ofp_controller_role role;
    bool have_generation_id;
    uint64_t generation_id;
};
/* ROLE_REQUEST (also NXT_ROLE_REQUEST).  Errors: OFPRRFC_BAD_ROLE. */
enum ofperr ofp_role_request_decode(const struct ofp_msg *,
                                    struct ofp_role_request *);
struct ofpbuf *ofp_role_reply_encode(const struct ofp_role_request *,
                                     const struct ofp_msg *request);
struct ofpbuf *ofp_role_request_encode(const struct ofp_role_request *,
                                       enum ofp_version, uint32_t xid);
/* ROLE_STATUS (1.4+): 'reason' 0 master request, 1 config, 2 experimenter. */
struct ofpbuf *ofp_role_status_encode(const struct ofp_role_request *,
                                      uint8_t reason, enum ofp_version);

/* A message with no body of 'type' answering 'request' (barrier reply,
 * echo reply copies the request's body). */
struct ofpbuf *ofp_echo_reply_encode(const struct ofp_msg *request);

#endif /* TERN_OFP_SWITCH_H */
