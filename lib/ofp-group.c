/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofp-group: GROUP_MOD, group descriptions, group statistics and group
 * features for OpenFlow 1.3-1.5, and their ovs-ofctl text.  1.3/1.4
 * buckets carry weight and watch port/group in a fixed header; 1.5
 * buckets carry an id and properties, and 1.5 groups may carry group
 * properties, which are kept as raw bytes (see ofp-group.h).  Bucket
 * actions go through ofp-actions; ofproto/ofproto-group.c acts on the
 * decoded groups.
 */
#include <config.h>

#include "lib/ofp-group.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/ofp-match.h"

/* 1.5 special bucket ids. */
#define OFPG_BUCKET_FIRST 0xfffffffdu
#define OFPG_BUCKET_LAST  0xfffffffeu
#define OFPG_BUCKET_MAX   0xffffff00u

/* 1.5 bucket property types. */
#define OFPGBPT_WEIGHT      0
#define OFPGBPT_WATCH_PORT  1
#define OFPGBPT_WATCH_GROUP 2

#define OFP13_BUCKET_FIXED 16

/* 1.5 lays buckets out with ids and properties; Open vSwitch's group
 * extension for 1.0 uses the same layout (with 1.0 actions). */
static bool
v15_layout(enum ofp_version version)
{
    return version == OFP10_VERSION || version >= OFP15_VERSION;
}
#define OFP15_BUCKET_FIXED 8

void
ofp_group_mod_uninit(struct ofp_group_mod *gm)
{
    if (!gm) {
        return;
    }
    for (size_t i = 0; i < gm->n_buckets; i++) {
        free(gm->buckets[i].ofpacts);
    }
    free(gm->buckets);
    free(gm->props);
    gm->buckets = NULL;
    gm->n_buckets = 0;
    gm->props = NULL;
    gm->props_len = 0;
}

static struct ofp_bucket *
group_add_bucket(struct ofp_group_mod *gm)
{
    gm->buckets =
        xrealloc(gm->buckets, (gm->n_buckets + 1) * sizeof *gm->buckets);
    struct ofp_bucket *b = &gm->buckets[gm->n_buckets++];
    memset(b, 0, sizeof *b);
    b->watch_port = OFPP_ANY;
    b->watch_group = OFPG_ANY;
    return b;
}

/* Decodes the actions of a bucket into a malloc'd list. */
static enum ofperr
bucket_decode_actions(const uint8_t *actions, size_t len,
                      enum ofp_version version, struct ofp_bucket *b)
{
    struct ofpbuf ofpacts;
    ofpbuf_init(&ofpacts, 64);
    enum ofperr error =
        ofpacts_decode_actions(actions, len, version, &ofpacts);
    if (!error && ofpacts.size) {
        b->ofpacts = xmemdup(ofpacts.data, ofpacts.size);
        b->ofpacts_len = ofpacts.size;
    }
    ofpbuf_uninit(&ofpacts);
    return error;
}

static enum ofperr
buckets_decode_of13(struct ofp_reader *r, enum ofp_version version,
                    struct ofp_group_mod *gm)
{
    uint32_t index = 0;
    while (r->size) {
        if (r->size < OFP13_BUCKET_FIXED) {
            return OFPERR_OFPGMFC_BAD_BUCKET;
        }
        size_t len = ofp_get_be16(r->data);
        if (len < OFP13_BUCKET_FIXED || len > r->size || len % 8) {
            return OFPERR_OFPGMFC_BAD_BUCKET;
        }
        const uint8_t *p = ofp_reader_pull(r, len);
        struct ofp_bucket *b = group_add_bucket(gm);
        b->bucket_id = index++;
        b->weight = ofp_get_be16(p + 2);
        b->watch_port = ofp_get_be32(p + 4);
        b->watch_group = ofp_get_be32(p + 8);
        enum ofperr error = bucket_decode_actions(
            p + OFP13_BUCKET_FIXED, len - OFP13_BUCKET_FIXED, version, b);
        if (error) {
            return error;
        }
    }
    return 0;
}

static enum ofperr
bucket_props_decode_of15(struct ofp_reader *r, struct ofp_bucket *b)
{
    while (r->size) {
        if (r->size < 4) {
            return OFPERR_OFPGMFC_BAD_BUCKET;
        }
        uint16_t type = ofp_get_be16(r->data);
        size_t len = ofp_get_be16(r->data + 2);
        if (len < 4 || ROUND_UP(len, 8) > r->size) {
            return OFPERR_OFPBPC_BAD_LEN;
        }
        const uint8_t *p = ofp_reader_pull(r, ROUND_UP(len, 8));
        if (type > OFPGBPT_WATCH_GROUP) {
            return OFPERR_OFPBPC_BAD_TYPE;
        }
        if (len != 8) {
            return OFPERR_OFPBPC_BAD_LEN;
        }
        if (type == OFPGBPT_WEIGHT) {
            b->weight = ofp_get_be16(p + 4);
        } else if (type == OFPGBPT_WATCH_PORT) {
            b->watch_port = ofp_get_be32(p + 4);
        } else {
            b->watch_group = ofp_get_be32(p + 4);
        }
    }
    return 0;
}

static enum ofperr
buckets_decode_of15(struct ofp_reader *r, enum ofp_version version,
                    enum ofp_group_type type, struct ofp_group_mod *gm)
{
    while (r->size) {
        if (r->size < OFP15_BUCKET_FIXED) {
            return OFPERR_OFPGMFC_BAD_BUCKET;
        }
        size_t len = ofp_get_be16(r->data);
        size_t actions_len = ofp_get_be16(r->data + 2);
        if (len < OFP15_BUCKET_FIXED || len > r->size || len % 8 ||
            actions_len > len - OFP15_BUCKET_FIXED) {
            return OFPERR_OFPGMFC_BAD_BUCKET;
        }
        const uint8_t *p = ofp_reader_pull(r, len);
        struct ofp_bucket *b = group_add_bucket(gm);
        b->bucket_id = ofp_get_be32(p + 4);
        if (b->bucket_id > OFPG_BUCKET_MAX) {
            return OFPERR_OFPGMFC_BAD_BUCKET;
        }
        b->weight = type == OFPGT_SELECT ? 1 : 0;
        enum ofperr error = bucket_decode_actions(p + OFP15_BUCKET_FIXED,
                                                  actions_len, version, b);
        if (error) {
            return error;
        }
        struct ofp_reader props;
        ofp_reader_init(&props, p + OFP15_BUCKET_FIXED + actions_len,
                        len - OFP15_BUCKET_FIXED - actions_len);
        error = bucket_props_decode_of15(&props, b);
        if (error) {
            return error;
        }
    }
    return 0;
}

static void
group_keep_props(struct ofp_group_mod *gm, const uint8_t *p, size_t len)
{
    if (len) {
        gm->props = xmemdup(p, len);
        gm->props_len = len;
    }
}

static bool
group_id_ok(enum ofp_group_mod_command cmd, uint32_t id)
{
    return id <= OFPG_MAX || (cmd == OFPGC_DELETE && id == OFPG_ALL);
}

enum ofperr
ofp_group_mod_decode(const struct ofp_msg *msg, struct ofp_group_mod *gm)
{
    memset(gm, 0, sizeof *gm);
    gm->version = msg->version;
    /* Open vSwitch's NXT_GROUP_MOD carries the 1.5 layout in 1.0. */
    bool nx = msg->type == OFPTYPE_NXT_GROUP_MOD;
    if ((msg->type != OFPTYPE_GROUP_MOD || msg->version < OFP13_VERSION) &&
        !(nx && msg->version == OFP10_VERSION)) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    struct ofp_reader r;
    ofp_reader_init(&r, msg->body, msg->body_len);
    bool v15 = v15_layout(msg->version);
    const uint8_t *p = ofp_reader_pull(&r, v15 ? 16 : 8);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    uint16_t command = ofp_get_be16(p);
    gm->type = p[2];
    gm->group_id = ofp_get_be32(p + 4);
    if (command > OFPGC_DELETE && !(v15 && (command == OFPGC_INSERT_BUCKET ||
                                            command == OFPGC_REMOVE_BUCKET))) {
        return OFPERR_OFPGMFC_BAD_COMMAND;
    }
    gm->command = command;
    if (gm->type > OFPGT_FF && command <= OFPGC_MODIFY) {
        return OFPERR_OFPGMFC_BAD_TYPE;
    }
    if (!group_id_ok(gm->command, gm->group_id)) {
        return OFPERR_OFPGMFC_INVALID_GROUP;
    }
    enum ofperr error;
    if (!v15) {
        gm->command_bucket_id = OFPG_BUCKET_ALL;
        error = buckets_decode_of13(&r, msg->version, gm);
    } else {
        size_t blen = ofp_get_be16(p + 8);
        gm->command_bucket_id = ofp_get_be32(p + 12);
        if (blen > r.size) {
            return OFPERR_OFPGMFC_BAD_BUCKET;
        }
        struct ofp_reader br;
        ofp_reader_init(&br, ofp_reader_pull(&r, blen), blen);
        error = buckets_decode_of15(&br, msg->version, gm->type, gm);
        if (!error) {
            group_keep_props(gm, r.data, r.size);
        }
    }
    if (error) {
        /* Buckets decoded before the bad one are not the caller's. */
        ofp_group_mod_uninit(gm);
    }
    return error;
}

/* Appends the buckets of a group in 'version'. */
static void
buckets_encode(const struct ofp_bucket *buckets, size_t n,
               enum ofp_group_type type, enum ofp_version version,
               struct ofpbuf *b)
{
    for (size_t i = 0; i < n; i++) {
        const struct ofp_bucket *bk = &buckets[i];
        size_t start = b->size;
        if (!v15_layout(version)) {
            ofpbuf_put_be16(b, 0);
            ofpbuf_put_be16(b, bk->weight);
            ofpbuf_put_be32(b, bk->watch_port);
            ofpbuf_put_be32(b, bk->watch_group);
            ofpbuf_put_zeros(b, 4);
            ofpacts_encode_actions(bk->ofpacts, bk->ofpacts_len, version, b);
        } else {
            ofpbuf_put_zeros(b, 4);
            ofpbuf_put_be32(b, bk->bucket_id);
            ofpacts_encode_actions(bk->ofpacts, bk->ofpacts_len, version, b);
            ofp_set_be16(b->data + start + 2, (uint16_t)(b->size - start - 8));
            if (type == OFPGT_SELECT) {
                ofpbuf_put_be16(b, OFPGBPT_WEIGHT);
                ofpbuf_put_be16(b, 8);
                ofpbuf_put_be16(b, bk->weight);
                ofpbuf_put_zeros(b, 2);
            }
            if (bk->watch_port != OFPP_ANY) {
                ofpbuf_put_be16(b, OFPGBPT_WATCH_PORT);
                ofpbuf_put_be16(b, 8);
                ofpbuf_put_be32(b, bk->watch_port);
            }
            if (bk->watch_group != OFPG_ANY) {
                ofpbuf_put_be16(b, OFPGBPT_WATCH_GROUP);
                ofpbuf_put_be16(b, 8);
                ofpbuf_put_be32(b, bk->watch_group);
            }
        }
        ofp_set_be16(b->data + start, (uint16_t)(b->size - start));
    }
}

struct ofpbuf *
ofp_group_mod_encode(const struct ofp_group_mod *gm, enum ofp_version version,
                     uint32_t xid)
{
    struct ofpbuf *b = ofp_msg_start(
        version == OFP10_VERSION ? OFPTYPE_NXT_GROUP_MOD : OFPTYPE_GROUP_MOD,
        version, xid, 256);
    if (!b) {
        return NULL;
    }
    ofpbuf_put_be16(b, gm->command);
    uint8_t *p = ofpbuf_put_zeros(b, 2);
    p[0] = gm->type;
    ofpbuf_put_be32(b, gm->group_id);
    if (!v15_layout(version)) {
        buckets_encode(gm->buckets, gm->n_buckets, gm->type, version, b);
    } else {
        size_t len_ofs = b->size;
        ofpbuf_put_zeros(b, 4);
        ofpbuf_put_be32(b, gm->command_bucket_id);
        size_t start = b->size;
        buckets_encode(gm->buckets, gm->n_buckets, gm->type, version, b);
        ofp_set_be16(b->data + len_ofs, (uint16_t)(b->size - start));
        if (gm->props_len) {
            ofpbuf_put(b, gm->props, gm->props_len);
        }
    }
    ofp_msg_finish(b);
    return b;
}

/* Group descriptions. */

/* Appends one description; 'props' (1.5 only) follow the buckets. */
static void
group_desc_append__(enum ofp_group_type type, uint32_t group_id,
                    const struct ofp_bucket *buckets, size_t n_buckets,
                    const uint8_t *props, size_t props_len,
                    struct ofp_mp_reply *reply)
{
    struct ofpbuf b;
    ofpbuf_init(&b, 256);
    uint8_t *p = ofpbuf_put_zeros(&b, 4);
    p[2] = type;
    ofpbuf_put_be32(&b, group_id);
    if (!v15_layout(reply->version)) {
        buckets_encode(buckets, n_buckets, type, reply->version, &b);
    } else {
        ofpbuf_put_zeros(&b, 8);
        buckets_encode(buckets, n_buckets, type, reply->version, &b);
        ofp_set_be16(b.data + 8, (uint16_t)(b.size - 16));
        if (props_len) {
            ofpbuf_put(&b, props, props_len);
        }
    }
    ofp_set_be16(b.data, (uint16_t)b.size);
    ofp_mp_reply_append(reply, b.data, b.size);
    ofpbuf_uninit(&b);
}

void
ofp_group_desc_append(enum ofp_group_type type, uint32_t group_id,
                      const struct ofp_bucket *buckets, size_t n_buckets,
                      struct ofp_mp_reply *reply)
{
    group_desc_append__(type, group_id, buckets, n_buckets, NULL, 0, reply);
}

void
ofp_group_desc_append_mod(const struct ofp_group_mod *gm,
                          struct ofp_mp_reply *reply)
{
    group_desc_append__(gm->type, gm->group_id, gm->buckets, gm->n_buckets,
                        gm->props, gm->props_len, reply);
}

int
ofp_group_desc_decode_next(struct ofp_reader *r, enum ofp_version version,
                           struct ofp_group_mod *gm)
{
    memset(gm, 0, sizeof *gm);
    gm->version = version;
    gm->command = OFPGC_ADD;
    gm->command_bucket_id = OFPG_BUCKET_ALL;
    if (!r->size) {
        return EOF;
    }
    bool v15 = v15_layout(version);
    size_t fixed = v15 ? 16 : 8;
    if (r->size < fixed) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    size_t len = ofp_get_be16(r->data);
    if (len < fixed || len > r->size) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    const uint8_t *p = ofp_reader_pull(r, len);
    gm->type = p[2];
    gm->group_id = ofp_get_be32(p + 4);
    struct ofp_reader e;
    ofp_reader_init(&e, p + fixed, len - fixed);
    if (!v15) {
        return buckets_decode_of13(&e, version, gm);
    }
    size_t blen = ofp_get_be16(p + 8);
    if (blen > e.size) {
        return OFPERR_OFPGMFC_BAD_BUCKET;
    }
    struct ofp_reader br;
    ofp_reader_init(&br, ofp_reader_pull(&e, blen), blen);
    enum ofperr error = buckets_decode_of15(&br, version, gm->type, gm);
    if (!error) {
        group_keep_props(gm, e.data, e.size);
    }
    return error;
}

/* Group statistics. */

void
ofp_group_stats_append(const struct ofp_group_stats *gs,
                       struct ofp_mp_reply *reply)
{
    struct ofpbuf b;
    ofpbuf_init(&b, 40 + 16 * gs->n_buckets);
    ofpbuf_put_zeros(&b, 4);
    ofpbuf_put_be32(&b, gs->group_id);
    ofpbuf_put_be32(&b, gs->ref_count);
    ofpbuf_put_zeros(&b, 4);
    ofpbuf_put_be64(&b, gs->packet_count);
    ofpbuf_put_be64(&b, gs->byte_count);
    ofpbuf_put_be32(&b, gs->duration_sec);
    ofpbuf_put_be32(&b, gs->duration_nsec);
    for (size_t i = 0; i < gs->n_buckets; i++) {
        ofpbuf_put_be64(&b, gs->bucket_packets[i]);
        ofpbuf_put_be64(&b, gs->bucket_bytes[i]);
    }
    ofp_set_be16(b.data, (uint16_t)b.size);
    ofp_mp_reply_append(reply, b.data, b.size);
    ofpbuf_uninit(&b);
}

int
ofp_group_stats_decode_next(struct ofp_reader *r, struct ofp_group_stats *gs,
                            uint64_t *counts, size_t max_buckets)
{
    memset(gs, 0, sizeof *gs);
    if (!r->size) {
        return EOF;
    }
    if (r->size < 40) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    size_t len = ofp_get_be16(r->data);
    if (len < 40 || len > r->size || (len - 40) % 16) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    const uint8_t *p = ofp_reader_pull(r, len);
    gs->group_id = ofp_get_be32(p + 4);
    gs->ref_count = ofp_get_be32(p + 8);
    gs->packet_count = ofp_get_be64(p + 16);
    gs->byte_count = ofp_get_be64(p + 24);
    gs->duration_sec = ofp_get_be32(p + 32);
    gs->duration_nsec = ofp_get_be32(p + 36);
    gs->n_buckets = (len - 40) / 16;
    if (gs->n_buckets > max_buckets) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    for (size_t i = 0; i < gs->n_buckets; i++) {
        counts[i] = ofp_get_be64(p + 40 + 16 * i);
        counts[max_buckets + i] = ofp_get_be64(p + 48 + 16 * i);
    }
    gs->bucket_packets = counts;
    gs->bucket_bytes = counts + max_buckets;
    return 0;
}

enum ofperr
ofp_group_request_decode(const struct ofp_msg *msg, uint32_t *group_id)
{
    *group_id = OFPG_ALL;
    if (msg->type == OFPTYPE_GROUP_DESC_STATS_REQUEST &&
        !v15_layout(msg->version)) {
        return msg->body_len ? OFPERR_OFPBRC_BAD_LEN : 0;
    }
    if (msg->type != OFPTYPE_GROUP_STATS_REQUEST &&
        msg->type != OFPTYPE_GROUP_DESC_STATS_REQUEST) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    if (msg->body_len != 8) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    *group_id = ofp_get_be32(msg->body);
    return 0;
}

struct ofpbuf *
ofp_group_request_encode(enum ofptype type, uint32_t group_id,
                         enum ofp_version version, uint32_t xid)
{
    struct ofpbuf *b = ofp_msg_start(type, version, xid, 8);
    if (!b) {
        return NULL;
    }
    if (type == OFPTYPE_GROUP_STATS_REQUEST ||
        (type == OFPTYPE_GROUP_DESC_STATS_REQUEST && v15_layout(version))) {
        ofpbuf_put_be32(b, group_id);
        ofpbuf_put_zeros(b, 4);
    }
    ofp_msg_finish(b);
    return b;
}

/* Group features: every group type, weights, liveness and chaining;
 * OFPAT_* bits of the actions buckets may hold. */
#define GROUP_CAP_ALL 0xf
#define GROUP_ACTIONS                                                         \
    ((1u << 0) | (1u << 11) | (1u << 12) | (1u << 15) | (1u << 16) |          \
     (1u << 17) | (1u << 18) | (1u << 19) | (1u << 20) | (1u << 21) |         \
     (1u << 22) | (1u << 23) | (1u << 24) | (1u << 25))
#define GROUP_MAX_PER_TYPE 65536

struct ofpbuf *
ofp_group_features_reply_encode(const struct ofp_msg *request)
{
    struct ofp_group_features gf = {
        .types = 0xf,
        .capabilities = GROUP_CAP_ALL,
    };
    for (int i = 0; i < 4; i++) {
        gf.max_groups[i] = GROUP_MAX_PER_TYPE;
        gf.actions[i] = GROUP_ACTIONS;
    }
    return ofp_group_features_encode(&gf, request);
}

struct ofpbuf *
ofp_group_features_encode(const struct ofp_group_features *gf,
                          const struct ofp_msg *request)
{
    struct ofpbuf *b =
        ofp_msg_start_reply(OFPTYPE_GROUP_FEATURES_STATS_REPLY, request, 40);
    if (!b) {
        return NULL;
    }
    ofpbuf_put_be32(b, gf->types);
    ofpbuf_put_be32(b, gf->capabilities);
    for (int i = 0; i < 4; i++) {
        ofpbuf_put_be32(b, gf->max_groups[i]);
    }
    for (int i = 0; i < 4; i++) {
        ofpbuf_put_be32(b, gf->actions[i]);
    }
    ofp_msg_finish(b);
    return b;
}

enum ofperr
ofp_group_features_decode(const struct ofp_msg *msg,
                          struct ofp_group_features *gf)
{
    if (msg->type != OFPTYPE_GROUP_FEATURES_STATS_REPLY) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    if (msg->body_len != 40) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    const uint8_t *p = msg->body;
    gf->types = ofp_get_be32(p);
    gf->capabilities = ofp_get_be32(p + 4);
    for (int i = 0; i < 4; i++) {
        gf->max_groups[i] = ofp_get_be32(p + 8 + 4 * i);
        gf->actions[i] = ofp_get_be32(p + 24 + 4 * i);
    }
    return 0;
}

/* Text. */

static const char *const group_type_names[] = {
    [OFPGT_ALL] = "all",
    [OFPGT_SELECT] = "select",
    [OFPGT_INDIRECT] = "indirect",
    [OFPGT_FF] = "ff",
};

/* Parses a 32-bit number (decimal or 0x hex); false if invalid. */
static bool
parse_u32(const char *s, uint32_t *v)
{
    char *end;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 0);
    if (!*s || *end || errno || x > UINT32_MAX || *s == '-') {
        return false;
    }
    *v = x;
    return true;
}

static bool
parse_bucket_id(const char *s, uint32_t *id)
{
    if (!strcmp(s, "first")) {
        *id = OFPG_BUCKET_FIRST;
    } else if (!strcmp(s, "last")) {
        *id = OFPG_BUCKET_LAST;
    } else if (!strcmp(s, "all")) {
        *id = OFPG_BUCKET_ALL;
    } else {
        return parse_u32(s, id) && *id <= OFPG_BUCKET_MAX;
    }
    return true;
}

/* Finds the next top-level "bucket=" (at the start or after a comma,
 * outside parentheses) in 's'; returns a pointer to it or NULL. */
static const char *
find_bucket(const char *s)
{
    int depth = 0;
    for (const char *p = s; *p; p++) {
        if (*p == '(') {
            depth++;
        } else if (*p == ')') {
            depth--;
        } else if (!depth && (p == s || p[-1] == ',') &&
                   !strncmp(p, "bucket=", 7)) {
            return p;
        }
    }
    return NULL;
}

/* Parses one bucket's text ("weight:5,watch_port:2,actions=output:1" or
 * just actions) in the NUL-terminated 'text' (modified). */
static char *
parse_bucket(char *text, const struct ofp_port_names *names,
             struct ofp_bucket *b)
{
    char *p = text;
    for (;;) {
        while (*p == ',' || *p == ' ') {
            p++;
        }
        size_t klen = strcspn(p, ":=,");
        char *key = p;
        if (!strncmp(key, "actions=", 8)) {
            p += 8;
            break;
        }
        static const char *const keys[] = {"bucket_id", "weight", "watch_port",
                                           "watch_group"};
        size_t k;
        for (k = 0; k < ARRAY_SIZE(keys); k++) {
            if (strlen(keys[k]) == klen && !strncmp(key, keys[k], klen) &&
                (key[klen] == ':' || key[klen] == '=')) {
                break;
            }
        }
        if (k == ARRAY_SIZE(keys)) {
            break; /* The rest is actions. */
        }
        char *value = key + klen + 1;
        size_t vlen = strcspn(value, ",");
        char save = value[vlen];
        value[vlen] = '\0';
        bool ok;
        uint32_t v = 0;
        if (k == 0) {
            ok = parse_bucket_id(value, &b->bucket_id);
        } else if (k == 1) {
            ok = parse_u32(value, &v) && v <= UINT16_MAX;
            b->weight = v;
        } else if (k == 2) {
            ok = ofp_port_parse(value, names, &b->watch_port);
        } else {
            ok = (!strcmp(value, "any") ? (b->watch_group = OFPG_ANY, true)
                                        : parse_u32(value, &b->watch_group));
        }
        if (!ok) {
            return xasprintf("%s: bad value \"%s\"", keys[k], value);
        }
        value[vlen] = save;
        p = value + vlen;
        if (!*p) {
            break;
        }
    }
    struct ofpbuf ofpacts;
    ofpbuf_init(&ofpacts, 64);
    char *error = *p ? ofpacts_parse(p, names, &ofpacts) : NULL;
    if (!error && ofpacts.size) {
        b->ofpacts = xmemdup(ofpacts.data, ofpacts.size);
        b->ofpacts_len = ofpacts.size;
    }
    ofpbuf_uninit(&ofpacts);
    return error;
}

static char *
parse_group_field(const char *key, const char *value, struct ofp_group_mod *gm,
                  bool *have_type)
{
    if (!strcmp(key, "group_id")) {
        if (!strcmp(value, "all")) {
            gm->group_id = OFPG_ALL;
        } else if (!strcmp(value, "any")) {
            gm->group_id = OFPG_ANY;
        } else if (!parse_u32(value, &gm->group_id) ||
                   gm->group_id > OFPG_MAX) {
            return xasprintf("invalid group id \"%s\"", value);
        }
    } else if (!strcmp(key, "type")) {
        for (size_t i = 0; i < ARRAY_SIZE(group_type_names); i++) {
            if (!strcmp(value, group_type_names[i])) {
                gm->type = i;
                *have_type = true;
                return NULL;
            }
        }
        if (!strcmp(value, "fast_failover")) {
            gm->type = OFPGT_FF;
            *have_type = true;
            return NULL;
        }
        return xasprintf("invalid group type \"%s\"", value);
    } else if (!strcmp(key, "command_bucket_id")) {
        if (!parse_bucket_id(value, &gm->command_bucket_id)) {
            return xasprintf("invalid command_bucket_id \"%s\"", value);
        }
    } else if (strcmp(key, "selection_method") &&
               strcmp(key, "selection_method_param")) {
        return xasprintf("unknown keyword %s", key);
    }
    return NULL;
}

/* Parses the part of a group before its first bucket. */
static char *
parse_group_head(char *head, struct ofp_group_mod *gm, bool *have_type,
                 bool *have_id)
{
    char *save = NULL;
    for (char *tok = strtok_r(head, ", ", &save); tok;
         tok = strtok_r(NULL, ", ", &save)) {
        char *eq = strchr(tok, '=');
        if (!eq) {
            return xasprintf("field %s missing value", tok);
        }
        *eq = '\0';
        char *error = parse_group_field(tok, eq + 1, gm, have_type);
        if (error) {
            return error;
        }
        if (!strcmp(tok, "group_id")) {
            *have_id = true;
        }
    }
    return NULL;
}

char *
ofp_group_mod_parse(const char *s, enum ofp_group_mod_command command,
                    const struct ofp_port_names *names,
                    struct ofp_group_mod *gm)
{
    memset(gm, 0, sizeof *gm);
    gm->command = command;
    gm->group_id = OFPG_ALL;
    gm->command_bucket_id =
        (command == OFPGC_INSERT_BUCKET ? OFPG_BUCKET_LAST : OFPG_BUCKET_ALL);
    char *copy = xstrdup(s);
    const char *first = find_bucket(copy);
    char *bucket_text = first ? copy + (first - copy) : NULL;
    if (bucket_text) {
        *bucket_text = '\0';
        bucket_text += 7;
    }
    bool have_type = false, have_id = false;
    char *error = parse_group_head(copy, gm, &have_type, &have_id);
    while (!error && bucket_text) {
        const char *next = find_bucket(bucket_text);
        char *end = next ? bucket_text + (next - bucket_text) : NULL;
        if (end) {
            end[-1] = '\0'; /* The comma before "bucket=". */
        }
        struct ofp_bucket *b = group_add_bucket(gm);
        b->bucket_id = gm->n_buckets - 1;
        error = parse_bucket(bucket_text, names, b);
        bucket_text = end ? end + 7 : NULL;
    }
    if (!error && !have_id && command != OFPGC_DELETE) {
        error = xstrdup("must specify a group_id");
    }
    if (!error && !have_type &&
        (command == OFPGC_ADD || command == OFPGC_MODIFY)) {
        error = xstrdup("must specify a type");
    }
    if (!error && gm->n_buckets && command == OFPGC_DELETE) {
        error = xstrdup("group delete takes no buckets");
    }
    for (size_t i = 0; !error && i < gm->n_buckets; i++) {
        if (gm->type == OFPGT_SELECT && !gm->buckets[i].weight) {
            gm->buckets[i].weight = 1;
        }
    }
    free(copy);
    if (error) {
        ofp_group_mod_uninit(gm);
    }
    return error;
}

static void
format_bucket_id(uint32_t id, struct ds *s)
{
    if (id == OFPG_BUCKET_FIRST) {
        ds_put_cstr(s, "first");
    } else if (id == OFPG_BUCKET_LAST) {
        ds_put_cstr(s, "last");
    } else if (id == OFPG_BUCKET_ALL) {
        ds_put_cstr(s, "all");
    } else {
        ds_put_format(s, "%" PRIu32, id);
    }
}

/* Prints Open vSwitch's selection-method group property, if present. */
static void
format_group_props(const struct ofp_group_mod *gm, struct ds *s)
{
    struct ofp_reader r;
    ofp_reader_init(&r, gm->props, gm->props_len);
    while (r.size >= 4) {
        size_t len = ofp_get_be16(r.data + 2);
        if (len < 4 || ROUND_UP(len, 8) > r.size) {
            return;
        }
        const uint8_t *p = ofp_reader_pull(&r, ROUND_UP(len, 8));
        if (ofp_get_be16(p) == 0xffff && len >= 40 &&
            ofp_get_be32(p + 4) == 0x1540 && ofp_get_be32(p + 8) == 1) {
            char name[17];
            memcpy(name, p + 16, 16);
            name[16] = '\0';
            ds_put_format(s, ",selection_method=%s", name);
            uint64_t param = ofp_get_be64(p + 32);
            if (param) {
                ds_put_format(s, ",selection_method_param=%" PRIu64, param);
            }
        }
    }
}

void
ofp_group_desc_format(const struct ofp_group_mod *gm,
                      const struct ofp_port_names *names, struct ds *s)
{
    bool bucket_cmd = (gm->command == OFPGC_INSERT_BUCKET ||
                       gm->command == OFPGC_REMOVE_BUCKET);
    if (bucket_cmd) {
        ds_put_cstr(s, "command_bucket_id:");
        format_bucket_id(gm->command_bucket_id, s);
        ds_put_char(s, ',');
    }
    if (gm->group_id == OFPG_ALL) {
        ds_put_cstr(s, "group_id=all");
    } else {
        ds_put_format(s, "group_id=%" PRIu32, gm->group_id);
    }
    if (!bucket_cmd) {
        if ((size_t)gm->type < ARRAY_SIZE(group_type_names)) {
            ds_put_format(s, ",type=%s", group_type_names[gm->type]);
        } else {
            ds_put_format(s, ",type=%d", (int)gm->type);
        }
    }
    format_group_props(gm, s);
    for (size_t i = 0; i < gm->n_buckets; i++) {
        const struct ofp_bucket *b = &gm->buckets[i];
        ds_put_cstr(s, ",bucket=");
        if (gm->version && v15_layout(gm->version)) {
            ds_put_format(s, "bucket_id:%" PRIu32 ",", b->bucket_id);
        }
        if (gm->type == OFPGT_SELECT) {
            ds_put_format(s, "weight:%" PRIu16 ",", b->weight);
        }
        if (b->watch_port != OFPP_ANY) {
            ds_put_cstr(s, "watch_port:");
            ofp_port_format(b->watch_port, names, s);
            ds_put_char(s, ',');
        }
        if (b->watch_group != OFPG_ANY) {
            ds_put_format(s, "watch_group:%" PRIu32 ",", b->watch_group);
        }
        ds_put_cstr(s, "actions=");
        ofpacts_format(b->ofpacts, b->ofpacts_len, names, s);
    }
}
