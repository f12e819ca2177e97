/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofp-switch: bodies of the switch-level messages — description and table
 * statistics, table features, TABLE_MOD, role request/reply/status and
 * echo.  Framing (headers, multipart splitting) is ofp-msgs' job; the
 * text of these messages is ofp-print's.
 *
 * Roles: 1.3+ use OFPT_ROLE_* with (role, generation id); 1.0 has only
 * Open vSwitch's NXT_ROLE_* with its own numbering (0 other, 1 master,
 * 2 slave) and no generation id.  ROLE_STATUS exists in 1.4+ and, as an
 * ONF extension, in 1.3.
 */
#include <config.h>

#include "lib/ofp-switch.h"

#include <errno.h>
#include <string.h>

#include "lib/util.h"

#define DESC_STR_LEN       256
#define SERIAL_NUM_LEN     32
#define OFP10_TABLE_STATS  64
#define OFP13_TABLE_STATS  24
#define OFPFW10_ALL        0x003fffffu
#define TABLE_FEATURES_LEN 64
#define NO_GENERATION_ID   UINT64_MAX

/* Appends 's' (NULL: empty) in a NUL-padded field of 'size' bytes; at
 * most size - 1 characters are kept. */
static void
put_string(struct ofpbuf *b, const char *s, size_t size)
{
    char *p = ofpbuf_put_zeros(b, size);

    if (s) {
        memcpy(p, s, strnlen(s, size - 1));
    }
}

/* ---- Description. ---- */

struct ofpbuf *
ofp_desc_stats_reply_encode(const struct ofp_desc_stats *d,
                            const struct ofp_msg *request)
{
    struct ofpbuf *b = ofp_msg_start_reply(OFPTYPE_DESC_STATS_REPLY, request,
                                           4 * DESC_STR_LEN + SERIAL_NUM_LEN);

    if (!b) {
        return NULL;
    }
    put_string(b, d->mfr_desc, DESC_STR_LEN);
    put_string(b, d->hw_desc, DESC_STR_LEN);
    put_string(b, d->sw_desc, DESC_STR_LEN);
    put_string(b, d->serial_num, SERIAL_NUM_LEN);
    put_string(b, d->dp_desc, DESC_STR_LEN);
    ofp_msg_finish(b);
    return b;
}

/* ---- Table statistics. ---- */

void
ofp_table_stats_append(const struct ofp_table_stats *ts,
                       struct ofp_mp_reply *mp)
{
    struct ofpbuf b;
    uint8_t id[4] = {ts->table_id, 0, 0, 0};

    ofpbuf_init(&b, OFP10_TABLE_STATS);
    ofpbuf_put(&b, id, 4);
    if (mp->version == OFP10_VERSION) {
        put_string(&b, ts->name, sizeof ts->name);
        ofpbuf_put_be32(&b, OFPFW10_ALL);
        ofpbuf_put_be32(&b, ts->max_entries);
    }
    ofpbuf_put_be32(&b, ts->active_count);
    ofpbuf_put_be64(&b, ts->lookup_count);
    ofpbuf_put_be64(&b, ts->matched_count);
    ofp_mp_reply_append(mp, b.data, b.size);
    ofpbuf_uninit(&b);
}

int
ofp_table_stats_decode_next(struct ofp_reader *r, enum ofp_version version,
                            struct ofp_table_stats *ts)
{
    const uint8_t *p;

    if (!r->size) {
        return EOF;
    }
    memset(ts, 0, sizeof *ts);
    if (version == OFP10_VERSION) {
        p = ofp_reader_pull(r, OFP10_TABLE_STATS);
        if (!p) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        ts->table_id = p[0];
        memcpy(ts->name, p + 4, sizeof ts->name);
        ts->name[sizeof ts->name - 1] = '\0';
        ts->max_entries = ofp_get_be32(p + 40);
        p += 44;
    } else {
        p = ofp_reader_pull(r, OFP13_TABLE_STATS);
        if (!p) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        ts->table_id = p[0];
        p += 4;
    }
    ts->active_count = ofp_get_be32(p);
    ts->lookup_count = ofp_get_be64(p + 4);
    ts->matched_count = ofp_get_be64(p + 12);
    return 0;
}

/* ---- Table features. ---- */

/* OXM lengths of the OpenFlow basic fields 0..44 (0: unassigned). */
static const uint8_t oxm_basic_len[] = {
    4, 4, 8, 6,  6,  2, 2, 1, 1,  1, 1, 4, 4, 2, 2, 2, 2, 2, 2, 1, 1, 2, 4,
    4, 6, 6, 16, 16, 4, 1, 1, 16, 6, 6, 4, 1, 1, 3, 8, 2, 0, 1, 2, 4, 4,
};
/* Fields that cannot be set (IN_PORT, IN_PHY_PORT, METADATA's own
 * instruction, IPV6_EXTHDR, ACTSET_OUTPUT, PACKET_TYPE). */
static bool
oxm_settable(size_t field)
{
    return field > 2 && field != 39 && field != 43 && field != 44;
}

/* Starts a property of 'type' and returns its offset for end_prop(). */
static size_t
start_prop(struct ofpbuf *b, uint16_t type)
{
    size_t ofs = b->size;

    ofpbuf_put_be16(b, type);
    ofpbuf_put_be16(b, 0);
    return ofs;
}

/* Sets the length of the property at 'ofs' and pads it to 8 bytes. */
static void
end_prop(struct ofpbuf *b, size_t ofs)
{
    uint8_t *len = ofpbuf_at(b, ofs + 2, 2);
    size_t n = b->size - ofs;

    len[0] = n >> 8;
    len[1] = n & 0xff;
    ofpbuf_pad_to(b, 8);
}

static void
put_oxm_prop(struct ofpbuf *b, uint16_t type, bool settable_only, bool masked)
{
    size_t ofs = start_prop(b, type);

    for (size_t f = 0; f < ARRAY_SIZE(oxm_basic_len); f++) {
        if (oxm_basic_len[f] && (!settable_only || oxm_settable(f))) {
            ofpbuf_put_be32(b, 0x80000000u | (uint32_t)f << 9 |
                                   (masked ? 0x100u : 0) | oxm_basic_len[f]);
        }
    }
    end_prop(b, ofs);
}

/* Every 1.3 action type Tern executes: output, copy TTL out/in, MPLS TTL,
 * push/pop VLAN and MPLS, set queue, group, IP TTL, set field, PBB. */
static const uint16_t all_actions[] = {0,  11, 12, 15, 16, 17, 18, 19,
                                       20, 21, 22, 23, 24, 25, 26, 27};

static void
put_actions_prop(struct ofpbuf *b, uint16_t type)
{
    size_t ofs = start_prop(b, type);

    for (size_t i = 0; i < ARRAY_SIZE(all_actions); i++) {
        ofpbuf_put_be16(b, all_actions[i]);
        ofpbuf_put_be16(b, 4);
    }
    end_prop(b, ofs);
}

/* Appends the 64-byte fixed part of 'tf' (length left 0) to 'b'. */
static void
table_features_put_fixed(const struct ofp_table_features *tf, struct ofpbuf *b)
{
    uint8_t id[2] = {tf->table_id, tf->command};

    ofpbuf_put_be16(b, 0); /* Length, set by the caller. */
    ofpbuf_put(b, id, 2);
    ofpbuf_put_be32(b, tf->features);
    put_string(b, tf->name, sizeof tf->name);
    ofpbuf_put_be64(b, tf->metadata_match);
    ofpbuf_put_be64(b, tf->metadata_write);
    ofpbuf_put_be32(b, tf->config);
    ofpbuf_put_be32(b, tf->max_entries);
}

/* Sets the entry length in 'b' and appends it to 'mp'. */
static void
table_features_finish(struct ofpbuf *b, struct ofp_mp_reply *mp)
{
    ofp_set_be16(b->data, (uint16_t)b->size);
    ofp_mp_reply_append(mp, b->data, b->size);
    ofpbuf_uninit(b);
}

void
ofp_table_features_append(const struct ofp_table_features *tf,
                          struct ofp_mp_reply *mp)
{
    static const uint16_t insts[] = {1, 2, 3, 4, 5, 6}; /* All six. */
    struct ofpbuf b;
    size_t ofs;

    ofpbuf_init(&b, 1024);
    table_features_put_fixed(tf, &b);

    /* Instructions (and the same for misses). */
    for (uint16_t t = 0; t <= 1; t++) {
        ofs = start_prop(&b, t);
        for (size_t i = 0; i < ARRAY_SIZE(insts); i++) {
            ofpbuf_put_be16(&b, insts[i]);
            ofpbuf_put_be16(&b, 4);
        }
        end_prop(&b, ofs);
    }
    /* Next tables: every later one (goto is forward only). */
    for (uint16_t t = 2; t <= 3; t++) {
        ofs = start_prop(&b, t);
        for (unsigned n = tf->table_id + 1u; n < 254; n++) {
            uint8_t next = n;

            ofpbuf_put(&b, &next, 1);
        }
        end_prop(&b, ofs);
    }
    for (uint16_t t = 4; t <= 7; t++) { /* Write/apply actions (+miss). */
        put_actions_prop(&b, t);
    }
    put_oxm_prop(&b, 8, false, false);    /* OFPTFPT_MATCH. */
    put_oxm_prop(&b, 10, false, false);   /* OFPTFPT_WILDCARDS. */
    for (uint16_t t = 12; t <= 15; t++) { /* Write/apply set-field. */
        put_oxm_prop(&b, t, true, false);
    }
    table_features_finish(&b, mp);
}

void
ofp_table_features_append_raw(const struct ofp_table_features *tf,
                              const uint8_t *props, size_t props_len,
                              struct ofp_mp_reply *mp)
{
    struct ofpbuf b;

    ofpbuf_init(&b, TABLE_FEATURES_LEN + props_len);
    table_features_put_fixed(tf, &b);
    if (props_len) {
        ofpbuf_put(&b, props, props_len);
    }
    table_features_finish(&b, mp);
}

int
ofp_table_features_decode_next(struct ofp_reader *r,
                               struct ofp_table_features *tf,
                               const uint8_t **props, size_t *props_len)
{
    memset(tf, 0, sizeof *tf);
    *props = NULL;
    *props_len = 0;
    if (!r->size) {
        return EOF;
    }
    if (r->size < TABLE_FEATURES_LEN) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    size_t len = ofp_get_be16(r->data);
    if (len < TABLE_FEATURES_LEN || len > r->size || len % 8) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    const uint8_t *p = ofp_reader_pull(r, len);
    tf->table_id = p[2];
    tf->command = p[3];
    tf->features = ofp_get_be32(p + 4);
    memcpy(tf->name, p + 8, sizeof tf->name - 1);
    tf->metadata_match = ofp_get_be64(p + 40);
    tf->metadata_write = ofp_get_be64(p + 48);
    tf->config = ofp_get_be32(p + 56);
    tf->max_entries = ofp_get_be32(p + 60);

    /* Properties: type, length (without padding), padded to 8. */
    size_t ofs = TABLE_FEATURES_LEN;
    while (ofs < len) {
        if (len - ofs < 4) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        size_t plen = ofp_get_be16(p + ofs + 2);
        size_t padded = (plen + 7) / 8 * 8;
        if (plen < 4 || padded > len - ofs) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        ofs += padded;
    }
    *props = p + TABLE_FEATURES_LEN;
    *props_len = len - TABLE_FEATURES_LEN;
    return 0;
}

/* ---- TABLE_MOD. ---- */

enum ofperr
ofp_table_mod_decode(const struct ofp_msg *msg, struct ofp_table_mod *tm)
{
    if (msg->type != OFPTYPE_TABLE_MOD || msg->body_len < 8) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    tm->table_id = msg->body[0];
    tm->config = ofp_get_be32(msg->body + 4);
    return 0;
}

struct ofpbuf *
ofp_table_mod_encode(const struct ofp_table_mod *tm, enum ofp_version version,
                     uint32_t xid)
{
    struct ofpbuf *b = ofp_msg_start(OFPTYPE_TABLE_MOD, version, xid, 8);
    uint8_t head[4] = {tm->table_id, 0, 0, 0};

    if (!b) {
        return NULL;
    }
    ofpbuf_put(b, head, sizeof head);
    ofpbuf_put_be32(b, tm->config);
    ofp_msg_finish(b);
    return b;
}

/* ---- Roles. ---- */

/* Open vSwitch's NXT role numbers <-> OFPCR_ROLE_*. */
static enum ofp_controller_role
role_from_nx(uint32_t nx)
{
    return nx == 1   ? OFPCR_ROLE_MASTER
           : nx == 2 ? OFPCR_ROLE_SLAVE
                     : OFPCR_ROLE_EQUAL;
}

static uint32_t
role_to_nx(enum ofp_controller_role role)
{
    return role == OFPCR_ROLE_MASTER ? 1 : role == OFPCR_ROLE_SLAVE ? 2 : 0;
}

enum ofperr
ofp_role_request_decode(const struct ofp_msg *msg, struct ofp_role_request *rr)
{
    uint32_t role;

    memset(rr, 0, sizeof *rr);
    if (msg->body_len < 4) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    role = ofp_get_be32(msg->body);
    if (msg->type == OFPTYPE_NXT_ROLE_REQUEST ||
        msg->type == OFPTYPE_NXT_ROLE_REPLY) {
        if (role > 2) {
            return OFPERR_OFPRRFC_BAD_ROLE;
        }
        rr->role = role_from_nx(role);
        rr->generation_id = NO_GENERATION_ID;
        return 0;
    }
    if (msg->body_len < 16) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    if (role > OFPCR_ROLE_SLAVE) {
        return OFPERR_OFPRRFC_BAD_ROLE;
    }
    rr->role = role;
    rr->generation_id = ofp_get_be64(msg->body + 8);
    rr->have_generation_id = rr->generation_id != NO_GENERATION_ID;
    return 0;
}

/* Appends the 1.3+ body: role, pad, generation id. */
static void
put_role_body(struct ofpbuf *b, const struct ofp_role_request *rr)
{
    ofpbuf_put_be32(b, rr->role);
    ofpbuf_put_zeros(b, 4);
    ofpbuf_put_be64(b, rr->have_generation_id ? rr->generation_id
                                              : NO_GENERATION_ID);
}

/* A role message of 'std' kind, or of 'nx' kind in 1.0 (or when 'use_nx'),
 * with 'rr' as its body.  Caller frees. */
static struct ofpbuf *
role_encode(enum ofptype std, enum ofptype nx, bool use_nx,
            const struct ofp_role_request *rr, enum ofp_version version,
            uint32_t xid)
{
    struct ofpbuf *b;

    if (use_nx || version == OFP10_VERSION) {
        b = ofp_msg_start(nx, version, xid, 4);
        if (b) {
            ofpbuf_put_be32(b, role_to_nx(rr->role));
        }
    } else {
        b = ofp_msg_start(std, version, xid, 16);
        if (b) {
            put_role_body(b, rr);
        }
    }
    if (b) {
        ofp_msg_finish(b);
    }
    return b;
}

struct ofpbuf *
ofp_role_reply_encode(const struct ofp_role_request *rr,
                      const struct ofp_msg *request)
{
    return role_encode(OFPTYPE_ROLE_REPLY, OFPTYPE_NXT_ROLE_REPLY,
                       request->type == OFPTYPE_NXT_ROLE_REQUEST, rr,
                       request->version, request->xid);
}

struct ofpbuf *
ofp_role_request_encode(const struct ofp_role_request *rr,
                        enum ofp_version version, uint32_t xid)
{
    return role_encode(OFPTYPE_ROLE_REQUEST, OFPTYPE_NXT_ROLE_REQUEST, false,
                       rr, version, xid);
}

struct ofpbuf *
ofp_role_status_encode(const struct ofp_role_request *rr, uint8_t reason,
                       enum ofp_version version)
{
    struct ofpbuf *b = ofp_msg_start(OFPTYPE_ROLE_STATUS, version, 0, 16);
    uint8_t r[4] = {reason, 0, 0, 0};

    if (!b) {
        return NULL;
    }
    ofpbuf_put_be32(b, rr->role);
    ofpbuf_put(b, r, 4);
    ofpbuf_put_be64(b, rr->have_generation_id ? rr->generation_id
                                              : NO_GENERATION_ID);
    ofp_msg_finish(b);
    return b;
}

/* ---- Echo. ---- */

struct ofpbuf *
ofp_echo_reply_encode(const struct ofp_msg *request)
{
    struct ofpbuf *b =
        ofp_msg_start_reply(OFPTYPE_ECHO_REPLY, request, request->body_len);

    if (!b) {
        return NULL;
    }
    if (request->body_len) {
        ofpbuf_put(b, request->body, request->body_len);
    }
    ofp_msg_finish(b);
    return b;
}
