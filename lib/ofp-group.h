/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofp-group: GROUP_MOD, group statistics, group descriptions and group
 * features for 1.3-1.5 (1.5's bucket ids and properties included), and
 * their ovs-ofctl text ("group_id=1,type=select,bucket=weight:50,
 * actions=output:1,bucket=...").
 *
 * Thread safety: pure functions.
 */
#ifndef TERN_OFP_GROUP_H
#define TERN_OFP_GROUP_H 1

#include "lib/ofp-actions.h"
#include "lib/ofp-msgs.h"

enum ofp_group_type {
    OFPGT_ALL = 0,
    OFPGT_SELECT = 1,
    OFPGT_INDIRECT = 2,
    OFPGT_FF = 3,
};
enum ofp_group_mod_command {
    OFPGC_ADD = 0,
    OFPGC_MODIFY = 1,
    OFPGC_DELETE = 2,
    OFPGC_INSERT_BUCKET = 3, /* 1.5. */
    OFPGC_REMOVE_BUCKET = 5, /* 1.5. */
};
#define OFPG_BUCKET_ALL 0xffffffffu

struct ofp_bucket {
    uint32_t bucket_id; /* 1.5; index in earlier versions. */
    uint16_t weight;
    uint32_t watch_port;    /* OFPP_ANY: none. */
    uint32_t watch_group;   /* OFPG_ANY: none. */
    struct ofpact *ofpacts; /* Owned by the group (malloc). */
    size_t ofpacts_len;
};

struct ofp_group_mod {
    enum ofp_group_mod_command command;
    enum ofp_group_type type;
    uint32_t group_id;
    uint32_t command_bucket_id; /* 1.5 insert/remove. */
    struct ofp_bucket *buckets; /* Owned (ofp_group_mod_uninit()). */
    size_t n_buckets;
    /* 1.5 group properties (e.g. Open vSwitch's selection method), kept
     * as they came so that they re-encode and print; Tern's select groups
     * always hash.  Owned (malloc); NULL if none. */
    uint8_t *props;
    size_t props_len;
    /* Wire version the group was decoded from, 0 if built otherwise: the
     * text shows bucket ids for 1.5, as ovs-ofctl does. */
    uint8_t version;
};
/* Errors: OFPGMFC_BAD_TYPE, OFPGMFC_BAD_COMMAND, OFPGMFC_BAD_BUCKET (bucket
 * length past the end or too short), OFPGMFC_INVALID_GROUP (reserved id),
 * action errors. */
enum ofperr ofp_group_mod_decode(const struct ofp_msg *,
                                 struct ofp_group_mod *);
struct ofpbuf *ofp_group_mod_encode(const struct ofp_group_mod *,
                                    enum ofp_version, uint32_t xid);
void ofp_group_mod_uninit(struct ofp_group_mod *);

/* Group description (one per group). */
void ofp_group_desc_append(enum ofp_group_type, uint32_t group_id,
                           const struct ofp_bucket *, size_t n_buckets,
                           struct ofp_mp_reply *);
/* The same for a decoded group mod 'gm' (not modified), with its 1.5
 * group properties as they came. */
void ofp_group_desc_append_mod(const struct ofp_group_mod *gm,
                               struct ofp_mp_reply *);
/* Decodes the next description from a reply body; returns 0, EOF, or an
 * error.  The group mod's 'command' is OFPGC_ADD. */
int ofp_group_desc_decode_next(struct ofp_reader *, enum ofp_version,
                               struct ofp_group_mod *);

struct ofp_group_stats {
    uint32_t group_id;
    uint32_t ref_count;
    uint64_t packet_count, byte_count;
    uint32_t duration_sec, duration_nsec;
    size_t n_buckets;
    const uint64_t *bucket_packets, *bucket_bytes; /* n_buckets each. */
};
void ofp_group_stats_append(const struct ofp_group_stats *,
                            struct ofp_mp_reply *);
/* Decodes the next group statistics entry of a reply body; returns 0, EOF
 * or an error.  Bucket counters go to 'counts' (caller's, 2 * max_buckets
 * entries: packets first, bytes at max_buckets), which gs->bucket_* then
 * point into; more than 'max_buckets' buckets is OFPBRC_BAD_LEN. */
int ofp_group_stats_decode_next(struct ofp_reader *, struct ofp_group_stats *,
                                uint64_t *counts, size_t max_buckets);
/* Group stats/desc requests carry a group id (OFPG_ALL for all). */
enum ofperr ofp_group_request_decode(const struct ofp_msg *,
                                     uint32_t *group_id);
struct ofpbuf *ofp_group_request_encode(enum ofptype, uint32_t group_id,
                                        enum ofp_version, uint32_t xid);
/* Group features reply with Tern's capabilities. */
struct ofpbuf *ofp_group_features_reply_encode(const struct ofp_msg *request);
/* A group features reply as it is on the wire: supported types and
 * capabilities bitmaps, and per type (all, select, indirect, ff) the
 * maximum number of groups and a bitmap of OFPAT_* action types (1.0
 * numbering in Open vSwitch's 1.0 extension, 1.3 numbering otherwise). */
struct ofp_group_features {
    uint32_t types;
    uint32_t capabilities;
    uint32_t max_groups[4];
    uint32_t actions[4];
};
/* Errors: OFPBRC_BAD_TYPE, OFPBRC_BAD_LEN. */
enum ofperr ofp_group_features_decode(const struct ofp_msg *,
                                      struct ofp_group_features *);
/* A reply to 'request' carrying 'gf'. */
struct ofpbuf *ofp_group_features_encode(const struct ofp_group_features *gf,
                                         const struct ofp_msg *request);

/* Text. */
char *ofp_group_mod_parse(const char *s, enum ofp_group_mod_command,
                          const struct ofp_port_names *,
                          struct ofp_group_mod *);
void ofp_group_desc_format(const struct ofp_group_mod *,
                           const struct ofp_port_names *, struct ds *);

#endif /* TERN_OFP_GROUP_H */
