/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofp-flow: the wire side of the flow messages.  FLOW_MOD, FLOW_REMOVED,
 * flow statistics entries and aggregate statistics for OpenFlow 1.0 (fixed
 * 40-byte match, 16-bit ports, plain actions) and 1.3-1.5 (OXM match,
 * instructions; 1.4 adds 'importance'; 1.5 moves counters into OXS
 * statistics TLVs).  Matches go through ofp-match, actions and
 * instructions through ofp-actions; the text side is ofp-flow-text.c.
 */
#include <config.h>

#include "lib/ofp-flow.h"

#include <stdio.h>
#include <string.h>

#include "lib/ofp-nx.h"

/* Flag bits on the wire. */
#define OFP10_FF_SEND_FLOW_REM 1
#define OFP10_FF_CHECK_OVERLAP 2
#define OFP10_FF_EMERG         4
#define OFP13_FF_ALL           0x1f

static enum ofperr
flags_from_wire(enum ofp_version version, uint16_t wire, uint32_t *flags)
{
    if (version == OFP10_VERSION) {
        if (wire & ~(OFP10_FF_SEND_FLOW_REM | OFP10_FF_CHECK_OVERLAP |
                     OFP10_FF_EMERG)) {
            return OFPERR_OFPFMFC_BAD_FLAGS;
        }
        *flags = ((wire & OFP10_FF_SEND_FLOW_REM) ? OFPFF_SEND_FLOW_REM : 0) |
                 ((wire & OFP10_FF_CHECK_OVERLAP) ? OFPFF_CHECK_OVERLAP : 0) |
                 ((wire & OFP10_FF_EMERG) ? OFPFF_EMERG : 0);
        return 0;
    }
    if (wire & ~OFP13_FF_ALL) {
        return OFPERR_OFPFMFC_BAD_FLAGS;
    }
    *flags = wire;
    return 0;
}

static uint16_t
flags_to_wire(enum ofp_version version, uint32_t flags)
{
    if (version == OFP10_VERSION) {
        return ((flags & OFPFF_SEND_FLOW_REM) ? OFP10_FF_SEND_FLOW_REM : 0) |
               ((flags & OFPFF_CHECK_OVERLAP) ? OFP10_FF_CHECK_OVERLAP : 0) |
               ((flags & OFPFF_EMERG) ? OFP10_FF_EMERG : 0);
    }
    return flags & OFP13_FF_ALL;
}

/* Sets fs->ofpacts style pointers: makes sure 'ofpacts' has storage so
 * that an empty list still gets a valid (non-null) pointer. */
static struct ofpact *
ofpacts_at(struct ofpbuf *ofpacts, size_t start)
{
    ofpbuf_reserve(ofpacts, OFPACT_ALIGN);
    return (struct ofpact *)(ofpacts->data + start);
}

/* OXS: OpenFlow 1.5 statistics TLVs (class 0x8002) inside an 'ofp_stats'
 * (reserved 16 bits, length 16 bits, TLVs, padding to 8). */
#define OXS_CLASS 0x8002
enum oxs_field {
    OXS_DURATION = 0,
    OXS_IDLE_TIME = 1,
    OXS_FLOW_COUNT = 3,
    OXS_PACKET_COUNT = 4,
    OXS_BYTE_COUNT = 5,
};
struct oxs_stats {
    uint32_t present; /* 1 << enum oxs_field. */
    uint32_t duration_sec, duration_nsec;
    uint32_t idle_sec, idle_nsec;
    uint32_t flow_count;
    uint64_t packet_count, byte_count;
};

static int
oxs_field_len(unsigned int field)
{
    switch (field) {
    case OXS_DURATION:
    case OXS_IDLE_TIME:
    case OXS_PACKET_COUNT:
    case OXS_BYTE_COUNT:
        return 8;
    case OXS_FLOW_COUNT:
        return 4;
    default:
        return -1;
    }
}

static enum ofperr
oxs_decode(struct ofp_reader *r, struct oxs_stats *st)
{
    const uint8_t *h = ofp_reader_pull(r, 4);
    memset(st, 0, sizeof *st);
    if (!h) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    size_t len = ofp_get_be16(h + 2);
    size_t padded = ROUND_UP(len, 8);
    if (len < 4 || padded - 4 > r->size) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    struct ofp_reader f;
    ofp_reader_init(&f, ofp_reader_pull(r, padded - 4), len - 4);
    while (f.size) {
        const uint8_t *p = ofp_reader_pull(&f, 4);
        if (!p) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        uint32_t hdr = ofp_get_be32(p);
        unsigned int field = (hdr >> 9) & 0x7f;
        int flen = oxs_field_len(field);
        if (hdr >> 16 != OXS_CLASS || hdr & 0x100 || flen < 0) {
            return OFPERR_OFPBMC_BAD_FIELD;
        }
        if ((hdr & 0xff) != (unsigned int)flen) {
            return OFPERR_OFPBMC_BAD_LEN;
        }
        const uint8_t *v = ofp_reader_pull(&f, flen);
        if (!v) {
            return OFPERR_OFPBMC_BAD_LEN;
        }
        if (st->present & (1u << field)) {
            return OFPERR_OFPBMC_DUP_FIELD;
        }
        st->present |= 1u << field;
        switch (field) {
        case OXS_DURATION:
            st->duration_sec = ofp_get_be32(v);
            st->duration_nsec = ofp_get_be32(v + 4);
            break;
        case OXS_IDLE_TIME:
            st->idle_sec = ofp_get_be32(v);
            st->idle_nsec = ofp_get_be32(v + 4);
            break;
        case OXS_FLOW_COUNT:
            st->flow_count = ofp_get_be32(v);
            break;
        case OXS_PACKET_COUNT:
            st->packet_count = ofp_get_be64(v);
            break;
        default:
            st->byte_count = ofp_get_be64(v);
            break;
        }
    }
    return 0;
}

static void
oxs_put_header(struct ofpbuf *b, enum oxs_field field)
{
    ofpbuf_put_be32(b, (uint32_t)OXS_CLASS << 16 | field << 9 |
                           (uint32_t)oxs_field_len(field));
}

static void
oxs_encode(const struct oxs_stats *st, struct ofpbuf *b)
{
    size_t start = b->size;
    ofpbuf_put_be32(b, 0); /* reserved, length: set below. */
    if (st->present & (1u << OXS_DURATION)) {
        oxs_put_header(b, OXS_DURATION);
        ofpbuf_put_be32(b, st->duration_sec);
        ofpbuf_put_be32(b, st->duration_nsec);
    }
    if (st->present & (1u << OXS_IDLE_TIME)) {
        oxs_put_header(b, OXS_IDLE_TIME);
        ofpbuf_put_be32(b, st->idle_sec);
        ofpbuf_put_be32(b, st->idle_nsec);
    }
    if (st->present & (1u << OXS_FLOW_COUNT)) {
        oxs_put_header(b, OXS_FLOW_COUNT);
        ofpbuf_put_be32(b, st->flow_count);
    }
    if (st->present & (1u << OXS_PACKET_COUNT)) {
        oxs_put_header(b, OXS_PACKET_COUNT);
        ofpbuf_put_be64(b, st->packet_count);
    }
    if (st->present & (1u << OXS_BYTE_COUNT)) {
        oxs_put_header(b, OXS_BYTE_COUNT);
        ofpbuf_put_be64(b, st->byte_count);
    }
    ofp_set_be16(b->data + start + 2, (uint16_t)(b->size - start));
    ofpbuf_pad_to(b, 8);
}

/* FLOW_MOD. */

#define OFP10_FLOW_MOD_FIXED (OFP10_MATCH_LEN + 24)
#define OFP13_FLOW_MOD_FIXED 40

/* Decodes the 1.0 match at 'p' into 'match' and keeps its bytes in
 * 'raw'. */
static enum ofperr
match10_decode(const uint8_t *p, struct match *match,
               struct ofp10_match_raw *raw)
{
    memcpy(raw->bytes, p, OFP10_MATCH_LEN);
    raw->valid = true;
    return ofp_match_decode_of10(p, match);
}

/* Appends the 1.0 encoding of 'match': the bytes it was decoded from if
 * 'raw' holds them and they still mean 'match'. */
static void
match10_encode(const struct match *match, const struct ofp10_match_raw *raw,
               struct ofpbuf *b)
{
    struct match dec;
    if (raw->valid && !ofp_match_decode_of10(raw->bytes, &dec) &&
        !memcmp(&dec.flow, &match->flow, sizeof dec.flow) &&
        !memcmp(&dec.wc, &match->wc, sizeof dec.wc)) {
        ofpbuf_put(b, raw->bytes, OFP10_MATCH_LEN);
    } else {
        ofp_match_encode_of10(match, b);
    }
}

static enum ofperr
flow_mod_decode_of10(const struct ofp_msg *msg, struct ofp_flow_mod *fm,
                     struct ofpbuf *ofpacts)
{
    struct ofp_reader r;
    ofp_reader_init(&r, msg->body, msg->body_len);
    const uint8_t *p = ofp_reader_pull(&r, OFP10_FLOW_MOD_FIXED);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    enum ofperr error = match10_decode(p, &fm->match, &fm->raw10);
    if (error) {
        return error;
    }
    p += OFP10_MATCH_LEN;
    uint64_t cookie = ofp_get_be64(p);
    uint16_t command = ofp_get_be16(p + 8);
    fm->command = command & 0xff;
    fm->idle_timeout = ofp_get_be16(p + 10);
    fm->hard_timeout = ofp_get_be16(p + 12);
    fm->priority = ofp_get_be16(p + 14);
    fm->buffer_id = ofp_get_be32(p + 16);
    fm->out_port = ofp_port_from_of10(ofp_get_be16(p + 20));
    fm->out_group = OFPG_ANY;
    error = flags_from_wire(OFP10_VERSION, ofp_get_be16(p + 22), &fm->flags);
    if (error) {
        return error;
    }
    if (fm->flags & OFPFF_EMERG) {
        return OFPERR_OFPFMFC_BAD_FLAGS;
    }
    if (fm->command > OFPFC_DELETE_STRICT) {
        return OFPERR_OFPFMFC_BAD_COMMAND;
    }
    /* The high byte of the command is the table (Open vSwitch's
     * flow_mod_table_id extension); 0 means table 0 for add and every
     * table otherwise, as 1.0 has no table in its flow_mod. */
    fm->table_id = command >> 8;
    if (!fm->table_id && fm->command != OFPFC_ADD) {
        fm->table_id = OFPTT_ALL;
    }
    if (fm->command == OFPFC_DELETE || fm->command == OFPFC_DELETE_STRICT) {
        fm->cookie = cookie;
        fm->new_cookie = UINT64_MAX;
    } else {
        fm->new_cookie = cookie;
    }
    size_t start = ofpacts->size;
    error = ofpacts_decode_actions(r.data, r.size, OFP10_VERSION, ofpacts);
    fm->ofpacts = ofpacts_at(ofpacts, start);
    fm->ofpacts_len = ofpacts->size - start;
    return error;
}

static enum ofperr
flow_mod_decode_of13(const struct ofp_msg *msg, struct ofp_flow_mod *fm,
                     struct ofpbuf *ofpacts)
{
    struct ofp_reader r;
    ofp_reader_init(&r, msg->body, msg->body_len);
    const uint8_t *p = ofp_reader_pull(&r, OFP13_FLOW_MOD_FIXED);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    uint64_t cookie = ofp_get_be64(p);
    fm->cookie_mask = ofp_get_be64(p + 8);
    fm->table_id = p[16];
    fm->command = p[17];
    fm->idle_timeout = ofp_get_be16(p + 18);
    fm->hard_timeout = ofp_get_be16(p + 20);
    fm->priority = ofp_get_be16(p + 22);
    fm->buffer_id = ofp_get_be32(p + 24);
    fm->out_port = ofp_get_be32(p + 28);
    fm->out_group = ofp_get_be32(p + 32);
    enum ofperr error =
        flags_from_wire(msg->version, ofp_get_be16(p + 36), &fm->flags);
    if (error) {
        return error;
    }
    fm->importance = msg->version >= OFP14_VERSION ? ofp_get_be16(p + 38) : 0;
    if (fm->command > OFPFC_DELETE_STRICT) {
        return OFPERR_OFPFMFC_BAD_COMMAND;
    }
    if (fm->table_id == OFPTT_ALL && fm->command == OFPFC_ADD) {
        return OFPERR_OFPFMFC_BAD_TABLE_ID;
    }
    fm->cookie = cookie;
    fm->new_cookie = fm->command == OFPFC_ADD ? cookie : UINT64_MAX;
    error = ofp_match_decode_oxm(&r, &fm->match);
    if (error) {
        return error;
    }
    size_t start = ofpacts->size;
    error = ofpacts_decode_instructions(r.data, r.size, msg->version, ofpacts);
    fm->ofpacts = ofpacts_at(ofpacts, start);
    fm->ofpacts_len = ofpacts->size - start;
    return error;
}

enum ofperr
ofp_flow_mod_decode(const struct ofp_msg *msg, struct ofp_flow_mod *fm,
                    struct ofpbuf *ofpacts)
{
    memset(fm, 0, sizeof *fm);
    match_init_catchall(&fm->match);
    fm->new_cookie = UINT64_MAX;
    fm->ofpacts = ofpacts_at(ofpacts, ofpacts->size);
    if (msg->type != OFPTYPE_FLOW_MOD) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    return (msg->version == OFP10_VERSION
                ? flow_mod_decode_of10(msg, fm, ofpacts)
                : flow_mod_decode_of13(msg, fm, ofpacts));
}

/* The cookie field of a flow_mod for 'fm'. */
static uint64_t
flow_mod_wire_cookie(const struct ofp_flow_mod *fm)
{
    bool sets =
        (fm->command == OFPFC_ADD || ((fm->command == OFPFC_MODIFY ||
                                       fm->command == OFPFC_MODIFY_STRICT) &&
                                      !fm->cookie_mask));
    return sets && fm->new_cookie != UINT64_MAX ? fm->new_cookie : fm->cookie;
}

struct ofpbuf *
ofp_flow_mod_encode(const struct ofp_flow_mod *fm, enum ofp_version version,
                    uint32_t xid)
{
    struct ofpbuf *b =
        ofp_msg_start(OFPTYPE_FLOW_MOD, version, xid, 128 + fm->ofpacts_len);
    if (!b) {
        return NULL;
    }
    if (version == OFP10_VERSION) {
        uint8_t table = fm->table_id == OFPTT_ALL ? 0 : fm->table_id;
        match10_encode(&fm->match, &fm->raw10, b);
        ofpbuf_put_be64(b, flow_mod_wire_cookie(fm));
        ofpbuf_put_be16(b, (uint16_t)(table << 8 | fm->command));
        ofpbuf_put_be16(b, fm->idle_timeout);
        ofpbuf_put_be16(b, fm->hard_timeout);
        ofpbuf_put_be16(b, (uint16_t)fm->priority);
        ofpbuf_put_be32(b, fm->buffer_id);
        ofpbuf_put_be16(b, ofp_port_to_of10(fm->out_port));
        ofpbuf_put_be16(b, flags_to_wire(version, fm->flags));
        ofpacts_encode_actions(fm->ofpacts, fm->ofpacts_len, version, b);
    } else {
        ofpbuf_put_be64(b, flow_mod_wire_cookie(fm));
        ofpbuf_put_be64(b, fm->command == OFPFC_ADD ? 0 : fm->cookie_mask);
        uint8_t *p = ofpbuf_put_uninit(b, 2);
        p[0] = fm->table_id;
        p[1] = fm->command;
        ofpbuf_put_be16(b, fm->idle_timeout);
        ofpbuf_put_be16(b, fm->hard_timeout);
        ofpbuf_put_be16(b, (uint16_t)fm->priority);
        ofpbuf_put_be32(b, fm->buffer_id);
        ofpbuf_put_be32(b, fm->out_port);
        ofpbuf_put_be32(b, fm->out_group);
        ofpbuf_put_be16(b, flags_to_wire(version, fm->flags));
        ofpbuf_put_be16(b, version >= OFP14_VERSION ? fm->importance : 0);
        ofp_match_encode_oxm(&fm->match, version, b);
        ofpacts_encode_instructions(fm->ofpacts, fm->ofpacts_len, version, b);
    }
    ofp_msg_finish(b);
    return b;
}

/* Flow and aggregate statistics requests. */

/* Nicira flow/aggregate request body: out_port (16 bits), match length,
 * table id, 3 pad bytes, NXM match padded to 8. */
#define NX_STATS_REQUEST_FIXED 8

static enum ofperr
nx_stats_request_decode(struct ofp_reader *r,
                        struct ofp_flow_stats_request *req)
{
    const uint8_t *p = ofp_reader_pull(r, NX_STATS_REQUEST_FIXED);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    req->out_port = ofp_port_from_of10(ofp_get_be16(p));
    req->out_group = OFPG_ANY;
    req->table_id = p[4];
    size_t match_len = ofp_get_be16(p + 2);
    size_t padded = (match_len + 7) / 8 * 8;
    if (padded != r->size) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    return ofp_nxm_decode(r->data, match_len, &req->match);
}

static void
nx_stats_request_encode(const struct ofp_flow_stats_request *req,
                        struct ofpbuf *b)
{
    size_t start = b->size;

    ofpbuf_put_be16(b, ofp_port_to_of10(req->out_port));
    ofpbuf_put_zeros(b, 6);
    b->data[start + 4] = req->table_id;
    size_t match_len = ofp_nxm_encode(&req->match, b);
    ofp_set_be16(b->data + start + 2, (uint16_t)match_len);
    ofpbuf_pad_to(b, 8);
}

enum ofperr
ofp_flow_stats_request_decode(const struct ofp_msg *msg,
                              struct ofp_flow_stats_request *req)
{
    memset(req, 0, sizeof *req);
    match_init_catchall(&req->match);
    req->aggregate = (msg->type == OFPTYPE_AGGREGATE_STATS_REQUEST ||
                      msg->type == OFPTYPE_NXST_AGGREGATE_REQUEST);
    req->nx = (msg->type == OFPTYPE_NXST_FLOW_REQUEST ||
               msg->type == OFPTYPE_NXST_AGGREGATE_REQUEST);
    if (!req->aggregate && !req->nx &&
        msg->type != OFPTYPE_FLOW_STATS_REQUEST) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    struct ofp_reader r;
    ofp_reader_init(&r, msg->body, msg->body_len);
    if (req->nx) {
        return nx_stats_request_decode(&r, req);
    }
    if (msg->version == OFP10_VERSION) {
        const uint8_t *p = ofp_reader_pull(&r, OFP10_MATCH_LEN + 4);
        if (!p || r.size) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        req->table_id = p[OFP10_MATCH_LEN];
        req->out_port =
            ofp_port_from_of10(ofp_get_be16(p + OFP10_MATCH_LEN + 2));
        req->out_group = OFPG_ANY;
        return match10_decode(p, &req->match, &req->raw10);
    }
    const uint8_t *p = ofp_reader_pull(&r, 32);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    req->table_id = p[0];
    req->out_port = ofp_get_be32(p + 4);
    req->out_group = ofp_get_be32(p + 8);
    req->cookie = ofp_get_be64(p + 16);
    req->cookie_mask = ofp_get_be64(p + 24);
    /* Anything after the match (Open vSwitch accepts an OXS block in 1.5
     * aggregate requests) is ignored, and kept for re-encoding. */
    enum ofperr error = ofp_match_decode_oxm(&r, &req->match);
    if (!error && r.size) {
        req->trailer = r.data;
        req->trailer_len = r.size;
    }
    return error;
}

struct ofpbuf *
ofp_flow_stats_request_encode(const struct ofp_flow_stats_request *req,
                              enum ofp_version version, uint32_t xid)
{
    enum ofptype type;
    if (req->nx) {
        type = (req->aggregate ? OFPTYPE_NXST_AGGREGATE_REQUEST
                               : OFPTYPE_NXST_FLOW_REQUEST);
    } else {
        type = (req->aggregate ? OFPTYPE_AGGREGATE_STATS_REQUEST
                               : OFPTYPE_FLOW_STATS_REQUEST);
    }
    struct ofpbuf *b = ofp_msg_start(type, version, xid, 128);
    if (!b) {
        return NULL;
    }
    if (req->nx) {
        nx_stats_request_encode(req, b);
    } else if (version == OFP10_VERSION) {
        match10_encode(&req->match, &req->raw10, b);
        uint8_t *p = ofpbuf_put_zeros(b, 2);
        p[0] = req->table_id;
        ofpbuf_put_be16(b, ofp_port_to_of10(req->out_port));
    } else {
        uint8_t *p = ofpbuf_put_zeros(b, 4);
        p[0] = req->table_id;
        ofpbuf_put_be32(b, req->out_port);
        ofpbuf_put_be32(b, req->out_group);
        ofpbuf_put_zeros(b, 4);
        ofpbuf_put_be64(b, req->cookie);
        ofpbuf_put_be64(b, req->cookie_mask);
        ofp_match_encode_oxm(&req->match, version, b);
        if (req->trailer_len) {
            ofpbuf_put(b, req->trailer, req->trailer_len);
        }
    }
    ofp_msg_finish(b);
    return b;
}

/* Flow statistics entries. */

#define OFP10_FLOW_STATS_FIXED (4 + OFP10_MATCH_LEN + 44)
#define OFP13_FLOW_STATS_FIXED 48
#define OFP15_FLOW_STATS_FIXED 24

static void
flow_stats_encode_of10(const struct ofp_flow_stats *fs, struct ofpbuf *b)
{
    uint8_t *p = ofpbuf_put_zeros(b, 4);
    p[2] = fs->table_id;
    match10_encode(&fs->match, &fs->raw10, b);
    ofpbuf_put_be32(b, fs->duration_sec);
    ofpbuf_put_be32(b, fs->duration_nsec);
    ofpbuf_put_be16(b, (uint16_t)fs->priority);
    ofpbuf_put_be16(b, fs->idle_timeout);
    ofpbuf_put_be16(b, fs->hard_timeout);
    ofpbuf_put_zeros(b, 6);
    ofpbuf_put_be64(b, fs->cookie);
    ofpbuf_put_be64(b, fs->packet_count);
    ofpbuf_put_be64(b, fs->byte_count);
    ofpacts_encode_actions(fs->ofpacts, fs->ofpacts_len, OFP10_VERSION, b);
}

static void
flow_stats_encode_of13(const struct ofp_flow_stats *fs,
                       enum ofp_version version, struct ofpbuf *b)
{
    uint8_t *p = ofpbuf_put_zeros(b, 4);
    p[2] = fs->table_id;
    ofpbuf_put_be32(b, fs->duration_sec);
    ofpbuf_put_be32(b, fs->duration_nsec);
    ofpbuf_put_be16(b, (uint16_t)fs->priority);
    ofpbuf_put_be16(b, fs->idle_timeout);
    ofpbuf_put_be16(b, fs->hard_timeout);
    ofpbuf_put_be16(b, flags_to_wire(version, fs->flags));
    ofpbuf_put_be16(b, version >= OFP14_VERSION ? fs->importance : 0);
    ofpbuf_put_zeros(b, 2);
    ofpbuf_put_be64(b, fs->cookie);
    ofpbuf_put_be64(b, fs->packet_count);
    ofpbuf_put_be64(b, fs->byte_count);
    ofp_match_encode_oxm(&fs->match, version, b);
    ofpacts_encode_instructions(fs->ofpacts, fs->ofpacts_len, version, b);
}

static void
flow_stats_encode_of15(const struct ofp_flow_stats *fs, struct ofpbuf *b)
{
    uint8_t *p = ofpbuf_put_zeros(b, 6);
    p[4] = fs->table_id;
    ofpbuf_put_be16(b, (uint16_t)fs->priority);
    ofpbuf_put_be16(b, fs->idle_timeout);
    ofpbuf_put_be16(b, fs->hard_timeout);
    ofpbuf_put_be16(b, flags_to_wire(OFP15_VERSION, fs->flags));
    ofpbuf_put_be16(b, fs->importance);
    ofpbuf_put_be64(b, fs->cookie);
    ofp_match_encode_oxm(&fs->match, OFP15_VERSION, b);

    struct oxs_stats st = {
        .present = 1u << OXS_DURATION,
        .duration_sec = fs->duration_sec,
        .duration_nsec = fs->duration_nsec,
        .idle_sec = fs->idle_age,
        .packet_count = fs->packet_count,
        .byte_count = fs->byte_count,
    };
    if (fs->idle_age != UINT16_MAX) {
        st.present |= 1u << OXS_IDLE_TIME;
    }
    if (fs->packet_count != UINT64_MAX) {
        st.present |= 1u << OXS_PACKET_COUNT;
    }
    if (fs->byte_count != UINT64_MAX) {
        st.present |= 1u << OXS_BYTE_COUNT;
    }
    oxs_encode(&st, b);
    ofpacts_encode_instructions(fs->ofpacts, fs->ofpacts_len, OFP15_VERSION,
                                b);
}

void
ofp_flow_stats_append(const struct ofp_flow_stats *fs,
                      struct ofp_mp_reply *reply)
{
    struct ofpbuf b;
    ofpbuf_init(&b, 256 + fs->ofpacts_len);
    if (reply->version == OFP10_VERSION) {
        flow_stats_encode_of10(fs, &b);
    } else if (reply->version == OFP15_VERSION) {
        flow_stats_encode_of15(fs, &b);
    } else {
        flow_stats_encode_of13(fs, reply->version, &b);
    }
    ofp_set_be16(b.data, (uint16_t)b.size);
    ofp_mp_reply_append(reply, b.data, b.size);
    ofpbuf_uninit(&b);
}

static int
flow_stats_decode_of10(struct ofp_reader *e, struct ofp_flow_stats *fs,
                       struct ofpbuf *ofpacts)
{
    const uint8_t *p = ofp_reader_pull(e, OFP10_FLOW_STATS_FIXED);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    fs->table_id = p[2];
    enum ofperr error = match10_decode(p + 4, &fs->match, &fs->raw10);
    if (error) {
        return error;
    }
    p += 4 + OFP10_MATCH_LEN;
    fs->duration_sec = ofp_get_be32(p);
    fs->duration_nsec = ofp_get_be32(p + 4);
    fs->priority = ofp_get_be16(p + 8);
    fs->idle_timeout = ofp_get_be16(p + 10);
    fs->hard_timeout = ofp_get_be16(p + 12);
    fs->cookie = ofp_get_be64(p + 20);
    fs->packet_count = ofp_get_be64(p + 28);
    fs->byte_count = ofp_get_be64(p + 36);
    return ofpacts_decode_actions(e->data, e->size, OFP10_VERSION, ofpacts);
}

static int
flow_stats_decode_of13(struct ofp_reader *e, enum ofp_version version,
                       struct ofp_flow_stats *fs, struct ofpbuf *ofpacts)
{
    const uint8_t *p = ofp_reader_pull(e, OFP13_FLOW_STATS_FIXED);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    fs->table_id = p[2];
    fs->duration_sec = ofp_get_be32(p + 4);
    fs->duration_nsec = ofp_get_be32(p + 8);
    fs->priority = ofp_get_be16(p + 12);
    fs->idle_timeout = ofp_get_be16(p + 14);
    fs->hard_timeout = ofp_get_be16(p + 16);
    enum ofperr error =
        flags_from_wire(version, ofp_get_be16(p + 18), &fs->flags);
    if (error) {
        return error;
    }
    fs->importance = version >= OFP14_VERSION ? ofp_get_be16(p + 20) : 0;
    fs->cookie = ofp_get_be64(p + 24);
    fs->packet_count = ofp_get_be64(p + 32);
    fs->byte_count = ofp_get_be64(p + 40);
    error = ofp_match_decode_oxm(e, &fs->match);
    if (error) {
        return error;
    }
    return ofpacts_decode_instructions(e->data, e->size, version, ofpacts);
}

static int
flow_stats_decode_of15(struct ofp_reader *e, struct ofp_flow_stats *fs,
                       struct ofpbuf *ofpacts)
{
    const uint8_t *p = ofp_reader_pull(e, OFP15_FLOW_STATS_FIXED);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    fs->table_id = p[4];
    fs->priority = ofp_get_be16(p + 6);
    fs->idle_timeout = ofp_get_be16(p + 8);
    fs->hard_timeout = ofp_get_be16(p + 10);
    enum ofperr error =
        flags_from_wire(OFP15_VERSION, ofp_get_be16(p + 12), &fs->flags);
    if (error) {
        return error;
    }
    fs->importance = ofp_get_be16(p + 14);
    fs->cookie = ofp_get_be64(p + 16);
    error = ofp_match_decode_oxm(e, &fs->match);
    if (error) {
        return error;
    }
    struct oxs_stats st;
    error = oxs_decode(e, &st);
    if (error) {
        return error;
    }
    fs->duration_sec = st.duration_sec;
    fs->duration_nsec = st.duration_nsec;
    if (st.present & (1u << OXS_IDLE_TIME)) {
        fs->idle_age = st.idle_sec < UINT16_MAX ? st.idle_sec : UINT16_MAX - 1;
    }
    fs->packet_count =
        (st.present & (1u << OXS_PACKET_COUNT) ? st.packet_count : UINT64_MAX);
    fs->byte_count =
        (st.present & (1u << OXS_BYTE_COUNT) ? st.byte_count : UINT64_MAX);
    return ofpacts_decode_instructions(e->data, e->size, OFP15_VERSION,
                                       ofpacts);
}

int
ofp_flow_stats_decode_next(struct ofp_reader *r, enum ofp_version version,
                           struct ofp_flow_stats *fs, struct ofpbuf *ofpacts)
{
    memset(fs, 0, sizeof *fs);
    match_init_catchall(&fs->match);
    fs->idle_age = fs->hard_age = UINT16_MAX;
    ofpbuf_clear(ofpacts);
    fs->ofpacts = ofpacts_at(ofpacts, 0);
    if (!r->size) {
        return EOF;
    }
    if (r->size < 2) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    size_t len = ofp_get_be16(r->data);
    if (len < 4 || len > r->size) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    struct ofp_reader e;
    ofp_reader_init(&e, ofp_reader_pull(r, len), len);
    int error;
    if (version == OFP10_VERSION) {
        error = flow_stats_decode_of10(&e, fs, ofpacts);
    } else if (version == OFP15_VERSION) {
        error = flow_stats_decode_of15(&e, fs, ofpacts);
    } else {
        error = flow_stats_decode_of13(&e, version, fs, ofpacts);
    }
    fs->ofpacts = ofpacts_at(ofpacts, 0);
    fs->ofpacts_len = ofpacts->size;
    return error;
}

/* Aggregate statistics. */

struct ofpbuf *
ofp_aggregate_stats_reply_encode(const struct ofp_aggregate_stats *as,
                                 const struct ofp_msg *request)
{
    bool nx = request->type == OFPTYPE_NXST_AGGREGATE_REQUEST;
    struct ofpbuf *b = ofp_msg_start_reply(nx ? OFPTYPE_NXST_AGGREGATE_REPLY
                                              : OFPTYPE_AGGREGATE_STATS_REPLY,
                                           request, 64);
    if (!b) {
        return NULL;
    }
    if (request->version == OFP15_VERSION) {
        struct oxs_stats st = {
            .present = (1u << OXS_FLOW_COUNT | 1u << OXS_PACKET_COUNT |
                        1u << OXS_BYTE_COUNT),
            .flow_count = as->flow_count,
            .packet_count = as->packet_count,
            .byte_count = as->byte_count,
        };
        oxs_encode(&st, b);
    } else {
        ofpbuf_put_be64(b, as->packet_count);
        ofpbuf_put_be64(b, as->byte_count);
        ofpbuf_put_be32(b, as->flow_count);
        ofpbuf_put_zeros(b, 4);
    }
    ofp_msg_finish(b);
    return b;
}

enum ofperr
ofp_aggregate_stats_reply_decode(const struct ofp_msg *msg,
                                 struct ofp_aggregate_stats *as)
{
    memset(as, 0, sizeof *as);
    if (msg->type != OFPTYPE_AGGREGATE_STATS_REPLY &&
        msg->type != OFPTYPE_NXST_AGGREGATE_REPLY) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    struct ofp_reader r;
    ofp_reader_init(&r, msg->body, msg->body_len);
    if (msg->version == OFP15_VERSION &&
        msg->type == OFPTYPE_AGGREGATE_STATS_REPLY) {
        struct oxs_stats st;
        enum ofperr error = oxs_decode(&r, &st);
        if (error) {
            return error;
        }
        as->flow_count = st.flow_count;
        as->packet_count = st.packet_count;
        as->byte_count = st.byte_count;
        return r.size ? OFPERR_OFPBRC_BAD_LEN : 0;
    }
    const uint8_t *p = ofp_reader_pull(&r, 24);
    if (!p || r.size) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    as->packet_count = ofp_get_be64(p);
    as->byte_count = ofp_get_be64(p + 8);
    as->flow_count = ofp_get_be32(p + 16);
    return 0;
}

/* FLOW_REMOVED. */

#define OFP10_FLOW_REMOVED_LEN   (OFP10_MATCH_LEN + 40)
#define OFP13_FLOW_REMOVED_FIXED 40
#define OFP15_FLOW_REMOVED_FIXED 16

struct ofpbuf *
ofp_flow_removed_encode(const struct ofp_flow_removed *fr,
                        enum ofp_version version, uint32_t xid)
{
    struct ofpbuf *b = ofp_msg_start(OFPTYPE_FLOW_REMOVED, version, xid, 128);
    if (!b) {
        return NULL;
    }
    if (version == OFP10_VERSION) {
        match10_encode(&fr->match, &fr->raw10, b);
        ofpbuf_put_be64(b, fr->cookie);
        ofpbuf_put_be16(b, (uint16_t)fr->priority);
        uint8_t *p = ofpbuf_put_zeros(b, 2);
        p[0] = fr->reason;
        ofpbuf_put_be32(b, fr->duration_sec);
        ofpbuf_put_be32(b, fr->duration_nsec);
        ofpbuf_put_be16(b, fr->idle_timeout);
        ofpbuf_put_zeros(b, 2);
        ofpbuf_put_be64(b, fr->packet_count);
        ofpbuf_put_be64(b, fr->byte_count);
    } else if (version == OFP15_VERSION) {
        uint8_t *p = ofpbuf_put_uninit(b, 2);
        p[0] = fr->table_id;
        p[1] = fr->reason;
        ofpbuf_put_be16(b, (uint16_t)fr->priority);
        ofpbuf_put_be16(b, fr->idle_timeout);
        ofpbuf_put_be16(b, fr->hard_timeout);
        ofpbuf_put_be64(b, fr->cookie);
        ofp_match_encode_oxm(&fr->match, version, b);
        struct oxs_stats st = {
            .present = (1u << OXS_DURATION | 1u << OXS_IDLE_TIME |
                        1u << OXS_PACKET_COUNT | 1u << OXS_BYTE_COUNT),
            .duration_sec = fr->duration_sec,
            .duration_nsec = fr->duration_nsec,
            .idle_sec = fr->idle_age,
            .packet_count = fr->packet_count,
            .byte_count = fr->byte_count,
        };
        oxs_encode(&st, b);
    } else {
        ofpbuf_put_be64(b, fr->cookie);
        ofpbuf_put_be16(b, (uint16_t)fr->priority);
        uint8_t *p = ofpbuf_put_uninit(b, 2);
        p[0] = fr->reason;
        p[1] = fr->table_id;
        ofpbuf_put_be32(b, fr->duration_sec);
        ofpbuf_put_be32(b, fr->duration_nsec);
        ofpbuf_put_be16(b, fr->idle_timeout);
        ofpbuf_put_be16(b, fr->hard_timeout);
        ofpbuf_put_be64(b, fr->packet_count);
        ofpbuf_put_be64(b, fr->byte_count);
        ofp_match_encode_oxm(&fr->match, version, b);
    }
    ofp_msg_finish(b);
    return b;
}

static enum ofperr
flow_removed_decode_of15(struct ofp_reader *r, struct ofp_flow_removed *fr)
{
    const uint8_t *p = ofp_reader_pull(r, OFP15_FLOW_REMOVED_FIXED);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    fr->table_id = p[0];
    fr->reason = p[1];
    fr->priority = ofp_get_be16(p + 2);
    fr->idle_timeout = ofp_get_be16(p + 4);
    fr->hard_timeout = ofp_get_be16(p + 6);
    fr->cookie = ofp_get_be64(p + 8);
    enum ofperr error = ofp_match_decode_oxm(r, &fr->match);
    if (error) {
        return error;
    }
    struct oxs_stats st;
    error = oxs_decode(r, &st);
    if (error) {
        return error;
    }
    fr->duration_sec = st.duration_sec;
    fr->duration_nsec = st.duration_nsec;
    fr->idle_age = st.idle_sec;
    fr->packet_count = st.packet_count;
    fr->byte_count = st.byte_count;
    return 0;
}

enum ofperr
ofp_flow_removed_decode(const struct ofp_msg *msg, struct ofp_flow_removed *fr)
{
    memset(fr, 0, sizeof *fr);
    match_init_catchall(&fr->match);
    if (msg->type != OFPTYPE_FLOW_REMOVED) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    struct ofp_reader r;
    ofp_reader_init(&r, msg->body, msg->body_len);
    if (msg->version == OFP15_VERSION) {
        return flow_removed_decode_of15(&r, fr);
    }
    if (msg->version == OFP10_VERSION) {
        const uint8_t *p = ofp_reader_pull(&r, OFP10_FLOW_REMOVED_LEN);
        if (!p || r.size) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        enum ofperr error = match10_decode(p, &fr->match, &fr->raw10);
        p += OFP10_MATCH_LEN;
        fr->cookie = ofp_get_be64(p);
        fr->priority = ofp_get_be16(p + 8);
        fr->reason = p[10];
        fr->duration_sec = ofp_get_be32(p + 12);
        fr->duration_nsec = ofp_get_be32(p + 16);
        fr->idle_timeout = ofp_get_be16(p + 20);
        fr->packet_count = ofp_get_be64(p + 24);
        fr->byte_count = ofp_get_be64(p + 32);
        return error;
    }
    const uint8_t *p = ofp_reader_pull(&r, OFP13_FLOW_REMOVED_FIXED);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    fr->cookie = ofp_get_be64(p);
    fr->priority = ofp_get_be16(p + 8);
    fr->reason = p[10];
    fr->table_id = p[11];
    fr->duration_sec = ofp_get_be32(p + 12);
    fr->duration_nsec = ofp_get_be32(p + 16);
    fr->idle_timeout = ofp_get_be16(p + 20);
    fr->hard_timeout = ofp_get_be16(p + 22);
    fr->packet_count = ofp_get_be64(p + 24);
    fr->byte_count = ofp_get_be64(p + 32);
    return ofp_match_decode_oxm(&r, &fr->match);
}

/* Flow monitors: OpenFlow 1.4+, Nicira's and ONF's 1.3 layouts. */

#define FLOW_MONITOR_REQUEST_FIXED 16
#define FLOW_UPDATE_FULL_FIXED     24
#define FLOW_UPDATE_SHORT_LEN      8
#define NXFMF_OWN                  (1u << 5)
#define NXFME_ABBREV               3

enum ofp_monitor_layout
ofp_monitor_layout(const struct ofp_msg *msg)
{
    if (msg->type == OFPTYPE_NXST_FLOW_MONITOR_REQUEST ||
        msg->type == OFPTYPE_NXST_FLOW_MONITOR_REPLY) {
        return OFP_MONITOR_NX;
    }
    return msg->version < OFP14_VERSION ? OFP_MONITOR_ONF13 : OFP_MONITOR_OF14;
}

/* Nicira's flags have 'own' at bit 5, where 1.4 has no_abbrev. */
static uint16_t
nx_monitor_flags_decode(uint16_t nx)
{
    return (nx & 0x1f) | (nx & NXFMF_OWN ? OFPFMF_ONLY_OWN : 0);
}

static uint16_t
nx_monitor_flags_encode(uint16_t flags)
{
    return (flags & 0x1f) | (flags & OFPFMF_ONLY_OWN ? NXFMF_OWN : 0);
}

/* Pulls an NXM match of 'len' bytes and its padding. */
static enum ofperr
nxm_pull_padded(struct ofp_reader *r, size_t len, struct match *match)
{
    const uint8_t *m = ofp_reader_pull(r, ROUND_UP(len, 8));
    return m ? ofp_nxm_decode(m, len, match) : OFPERR_OFPBRC_BAD_LEN;
}

/* Appends 'match' as NXM with its padding; returns the unpadded length. */
static size_t
nxm_put_padded(const struct match *match, struct ofpbuf *b)
{
    size_t len = ofp_nxm_encode(match, b);
    ofpbuf_put_zeros(b, ROUND_UP(len, 8) - len);
    return len;
}

static int
nx_monitor_request_decode(struct ofp_reader *r, enum ofp_monitor_layout lay,
                          struct ofp_flow_monitor_request *rq)
{
    const uint8_t *p = ofp_reader_pull(r, FLOW_MONITOR_REQUEST_FIXED);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    rq->id = ofp_get_be32(p);
    rq->flags = nx_monitor_flags_decode(ofp_get_be16(p + 4));
    rq->out_group = OFPG_ANY;
    rq->command = OFPFMC_ADD;
    if (lay == OFP_MONITOR_NX) {
        rq->out_port = ofp_port_from_of10(ofp_get_be16(p + 6));
        rq->table_id = p[10];
        return nxm_pull_padded(r, ofp_get_be16(p + 8), &rq->match);
    }
    rq->onf_match_len = ofp_get_be16(p + 6);
    rq->out_port = ofp_get_be32(p + 8);
    rq->table_id = p[12];
    return ofp_match_decode_oxm(r, &rq->match);
}

int
ofp_flow_monitor_request_decode_next(struct ofp_reader *r,
                                     enum ofp_monitor_layout lay,
                                     struct ofp_flow_monitor_request *rq)
{
    memset(rq, 0, sizeof *rq);
    match_init_catchall(&rq->match);
    if (!r->size) {
        return EOF;
    }
    if (lay != OFP_MONITOR_OF14) {
        return nx_monitor_request_decode(r, lay, rq);
    }
    const uint8_t *p = ofp_reader_pull(r, FLOW_MONITOR_REQUEST_FIXED);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    rq->id = ofp_get_be32(p);
    rq->out_port = ofp_get_be32(p + 4);
    rq->out_group = ofp_get_be32(p + 8);
    rq->flags = ofp_get_be16(p + 12);
    rq->table_id = p[14];
    rq->command = p[15];
    return ofp_match_decode_oxm(r, &rq->match);
}

void
ofp_flow_monitor_request_put(const struct ofp_flow_monitor_request *rq,
                             enum ofp_monitor_layout lay,
                             enum ofp_version version, struct ofpbuf *b)
{
    if (lay == OFP_MONITOR_OF14) {
        uint8_t tc[2] = {rq->table_id, rq->command};

        ofpbuf_put_be32(b, rq->id);
        ofpbuf_put_be32(b, rq->out_port);
        ofpbuf_put_be32(b, rq->out_group);
        ofpbuf_put_be16(b, rq->flags);
        ofpbuf_put(b, tc, 2);
        ofp_match_encode_oxm(&rq->match, version, b);
        return;
    }
    size_t start = b->size;
    ofpbuf_put_be32(b, rq->id);
    ofpbuf_put_be16(b, nx_monitor_flags_encode(rq->flags));
    if (lay == OFP_MONITOR_NX) {
        ofpbuf_put_be16(b, ofp_port_to_of10(rq->out_port));
        ofpbuf_put_zeros(b, 8);
        b->data[start + 10] = rq->table_id;
        size_t len = nxm_put_padded(&rq->match, b);
        ofp_set_be16(b->data + start + 8, (uint16_t)len);
    } else {
        ofpbuf_put_be16(b, rq->onf_match_len);
        ofpbuf_put_be32(b, rq->out_port);
        ofpbuf_put_zeros(b, 4);
        b->data[start + 12] = rq->table_id;
        size_t ofs = b->size;
        ofp_match_encode_oxm(&rq->match, version, b);
        if (!rq->onf_match_len) {
            ofp_set_be16(b->data + start + 6, ofp_get_be16(b->data + ofs + 2));
        }
    }
}

static bool
flow_update_is_full(uint16_t event)
{
    return event <= OFPFME_MODIFIED;
}

/* A Nicira/ONF update of 'len' bytes at 'p' (event already converted). */
static int
nx_flow_update_decode(const uint8_t *p, size_t len,
                      enum ofp_monitor_layout lay, struct ofp_flow_update *fu,
                      struct ofpbuf *ofpacts)
{
    fu->reason = ofp_get_be16(p + 4);
    fu->priority = ofp_get_be16(p + 6);
    fu->idle_timeout = ofp_get_be16(p + 8);
    fu->hard_timeout = ofp_get_be16(p + 10);
    size_t match_len = ofp_get_be16(p + 12);
    fu->table_id = p[14];
    fu->cookie = ofp_get_be64(p + 16);

    struct ofp_reader e;
    ofp_reader_init(&e, p + FLOW_UPDATE_FULL_FIXED,
                    len - FLOW_UPDATE_FULL_FIXED);
    enum ofperr error;
    if (lay == OFP_MONITOR_NX) {
        error = nxm_pull_padded(&e, match_len, &fu->match);
    } else {
        error = ofp_match_decode_oxm(&e, &fu->match);
    }
    if (!error) {
        error = ofpacts_decode_actions(
            e.data, e.size,
            lay == OFP_MONITOR_NX ? OFP10_VERSION : OFP13_VERSION, ofpacts);
    }
    return error;
}

int
ofp_flow_update_decode_next(struct ofp_reader *r, enum ofp_monitor_layout lay,
                            enum ofp_version version,
                            struct ofp_flow_update *fu, struct ofpbuf *ofpacts)
{
    memset(fu, 0, sizeof *fu);
    match_init_catchall(&fu->match);
    ofpbuf_clear(ofpacts);
    fu->ofpacts = ofpacts_at(ofpacts, 0);
    if (!r->size) {
        return EOF;
    }
    if (r->size < 4) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    size_t len = ofp_get_be16(r->data);
    uint16_t event = ofp_get_be16((const uint8_t *)r->data + 2);
    if (lay != OFP_MONITOR_OF14) {
        /* Nicira's events start at ADDED and have no INITIAL. */
        event = event <= NXFME_ABBREV ? event + 1 : UINT16_MAX;
    }
    fu->event = event;
    size_t fixed = flow_update_is_full(fu->event) ? FLOW_UPDATE_FULL_FIXED
                                                  : FLOW_UPDATE_SHORT_LEN;
    if (len < fixed || len > r->size || len % 8 ||
        fu->event > OFPFME_RESUMED ||
        (!flow_update_is_full(fu->event) && len != fixed)) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    const uint8_t *p = ofp_reader_pull(r, len);
    if (!flow_update_is_full(fu->event)) {
        fu->xid = fu->event == OFPFME_ABBREV ? ofp_get_be32(p + 4) : 0;
        return 0;
    }
    enum ofperr error;
    if (lay != OFP_MONITOR_OF14) {
        error = nx_flow_update_decode(p, len, lay, fu, ofpacts);
    } else {
        fu->table_id = p[4];
        fu->reason = p[5];
        fu->idle_timeout = ofp_get_be16(p + 6);
        fu->hard_timeout = ofp_get_be16(p + 8);
        fu->priority = ofp_get_be16(p + 10);
        fu->cookie = ofp_get_be64(p + 16);

        struct ofp_reader e;
        ofp_reader_init(&e, p + fixed, len - fixed);
        error = ofp_match_decode_oxm(&e, &fu->match);
        if (!error) {
            error =
                ofpacts_decode_instructions(e.data, e.size, version, ofpacts);
        }
    }
    fu->ofpacts = ofpacts_at(ofpacts, 0);
    fu->ofpacts_len = ofpacts->size;
    return error;
}

static void
nx_flow_update_put(const struct ofp_flow_update *fu,
                   enum ofp_monitor_layout lay, enum ofp_version version,
                   struct ofpbuf *b)
{
    ofpbuf_put_be16(b, fu->reason);
    ofpbuf_put_be16(b, fu->priority);
    ofpbuf_put_be16(b, fu->idle_timeout);
    ofpbuf_put_be16(b, fu->hard_timeout);
    ofpbuf_put_be16(b, 0); /* match_len, below. */
    uint8_t tp[2] = {fu->table_id, 0};
    ofpbuf_put(b, tp, 2);
    ofpbuf_put_be64(b, fu->cookie);
    size_t len;
    if (lay == OFP_MONITOR_NX) {
        len = nxm_put_padded(&fu->match, b);
    } else {
        ofp_match_encode_oxm(&fu->match, version, b);
        len = ofp_get_be16(b->data + FLOW_UPDATE_FULL_FIXED + 2);
    }
    ofp_set_be16(b->data + 12, (uint16_t)len);
    ofpacts_encode_actions(
        fu->ofpacts, fu->ofpacts_len,
        lay == OFP_MONITOR_NX ? OFP10_VERSION : OFP13_VERSION, b);
}

void
ofp_flow_update_append(const struct ofp_flow_update *fu,
                       enum ofp_monitor_layout lay, struct ofp_mp_reply *reply)
{
    struct ofpbuf b;
    uint16_t event = fu->event;

    if (lay != OFP_MONITOR_OF14) {
        event = event ? event - 1 : 0;
    }
    ofpbuf_init(&b, 128);
    ofpbuf_put_be16(&b, 0); /* Length, below. */
    ofpbuf_put_be16(&b, event);
    if (flow_update_is_full(fu->event) && lay != OFP_MONITOR_OF14) {
        nx_flow_update_put(fu, lay, reply->version, &b);
    } else if (flow_update_is_full(fu->event)) {
        uint8_t tr[2] = {fu->table_id, fu->reason};

        ofpbuf_put(&b, tr, 2);
        ofpbuf_put_be16(&b, fu->idle_timeout);
        ofpbuf_put_be16(&b, fu->hard_timeout);
        ofpbuf_put_be16(&b, fu->priority);
        ofpbuf_put_zeros(&b, 4);
        ofpbuf_put_be64(&b, fu->cookie);
        ofp_match_encode_oxm(&fu->match, reply->version, &b);
        ofpacts_encode_instructions(fu->ofpacts, fu->ofpacts_len,
                                    reply->version, &b);
    } else {
        ofpbuf_put_be32(&b, fu->event == OFPFME_ABBREV ? fu->xid : 0);
    }
    ofp_set_be16(b.data, (uint16_t)b.size);
    ofp_mp_reply_append(reply, b.data, b.size);
    ofpbuf_uninit(&b);
}
