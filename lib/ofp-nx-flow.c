/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofp-nx-flow: the Open vSwitch (Nicira) flow messages that carry an NXM
 * match — NXT_FLOW_MOD, NXST_FLOW replies, NXT_FLOW_REMOVED and
 * NXT_PACKET_IN — decoded into the same
 * structures as their OpenFlow counterparts (ofp-flow.h, ofp-packet.h)
 * and encoded again byte for byte.  Tern sends the standard messages; it
 * decodes these for tern-ofctl's printing and for captures.  See ofp-nx.h
 * for the layouts.
 */
#include <config.h>

#include "lib/ofp-nx.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lib/ofp-fields.h"
#include "lib/ofp-flow.h"
#include "lib/ofp-packet.h"
#include "lib/ofpbuf.h"
#include "lib/util.h"

/* Two matches are the same if flow and mask are. */
static bool
match_same(const struct match *a, const struct match *b)
{
    return (!memcmp(&a->flow, &b->flow, sizeof a->flow) &&
            !memcmp(&a->wc, &b->wc, sizeof a->wc));
}

size_t
ofp_nxm_encode_raw(const struct match *match, const struct ofp_nxm_raw *raw,
                   struct ofpbuf *b)
{
    struct match dec;
    if (raw && raw->len && !ofp_nxm_decode(raw->data, raw->len, &dec) &&
        match_same(&dec, match)) {
        ofpbuf_put(b, raw->data, raw->len);
        return raw->len;
    }
    return ofp_nxm_encode(match, b);
}

/* Pulls an NXM match of 'len' bytes and its padding to 8 from 'r' into
 * 'match' and 'raw'. */
static enum ofperr
nxm_pull(struct ofp_reader *r, size_t len, struct match *match,
         struct ofp_nxm_raw *raw)
{
    if (ROUND_UP(len, 8) > r->size) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    const uint8_t *m = ofp_reader_pull(r, ROUND_UP(len, 8));
    raw->data = m;
    raw->len = len;
    return ofp_nxm_decode(m, len, match);
}

/* Appends a match and its padding; returns its unpadded length. */
static size_t
nxm_put(const struct match *match, const struct ofp_nxm_raw *raw,
        struct ofpbuf *b)
{
    size_t len = ofp_nxm_encode_raw(match, raw, b);
    ofpbuf_put_zeros(b, ROUND_UP(len, 8) - len);
    return len;
}

/* NXT_FLOW_REMOVED. */

#define NX_FLOW_REMOVED_FIXED 40

enum ofperr
ofp_nx_flow_removed_decode(const struct ofp_msg *msg,
                           struct ofp_flow_removed *fr,
                           struct ofp_nxm_raw *raw)
{
    memset(fr, 0, sizeof *fr);
    memset(raw, 0, sizeof *raw);
    if (msg->type != OFPTYPE_NXT_FLOW_REMOVED) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    struct ofp_reader r;
    ofp_reader_init(&r, msg->body, msg->body_len);
    const uint8_t *p = ofp_reader_pull(&r, NX_FLOW_REMOVED_FIXED);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    fr->cookie = ofp_get_be64(p);
    fr->priority = ofp_get_be16(p + 8);
    fr->reason = p[10];
    /* Table id + 1; 0 means unknown, shown as table 0. */
    fr->table_id = p[11] ? p[11] - 1 : 0;
    fr->duration_sec = ofp_get_be32(p + 12);
    fr->duration_nsec = ofp_get_be32(p + 16);
    fr->idle_timeout = ofp_get_be16(p + 20);
    size_t match_len = ofp_get_be16(p + 22);
    fr->packet_count = ofp_get_be64(p + 24);
    fr->byte_count = ofp_get_be64(p + 32);
    enum ofperr error = nxm_pull(&r, match_len, &fr->match, raw);
    if (!error && r.size) {
        error = OFPERR_OFPBRC_BAD_LEN;
    }
    return error;
}

struct ofpbuf *
ofp_nx_flow_removed_encode(const struct ofp_flow_removed *fr,
                           const struct ofp_nxm_raw *raw,
                           enum ofp_version version, uint32_t xid)
{
    struct ofpbuf *b =
        ofp_msg_start(OFPTYPE_NXT_FLOW_REMOVED, version, xid, 128);
    if (!b) {
        return NULL;
    }
    size_t start = b->size;
    ofpbuf_put_be64(b, fr->cookie);
    ofpbuf_put_be16(b, (uint16_t)fr->priority);
    uint8_t *p = ofpbuf_put_zeros(b, 2);
    p[0] = fr->reason;
    p[1] = (uint8_t)(fr->table_id + 1);
    ofpbuf_put_be32(b, fr->duration_sec);
    ofpbuf_put_be32(b, fr->duration_nsec);
    ofpbuf_put_be16(b, fr->idle_timeout);
    ofpbuf_put_be16(b, 0); /* match_len, set below. */
    ofpbuf_put_be64(b, fr->packet_count);
    ofpbuf_put_be64(b, fr->byte_count);
    size_t len = nxm_put(&fr->match, raw, b);
    ofp_set_be16(b->data + start + 22, (uint16_t)len);
    ofp_msg_finish(b);
    return b;
}

/* NXT_FLOW_MOD. */

#define NX_FLOW_MOD_FIXED   32
#define NX_FF_SEND_FLOW_REM 1
#define NX_FF_CHECK_OVERLAP 2

enum ofperr
ofp_nx_flow_mod_decode(const struct ofp_msg *msg, struct ofp_flow_mod *fm,
                       struct ofp_nxm_raw *raw, struct ofpbuf *ofpacts)
{
    memset(fm, 0, sizeof *fm);
    memset(raw, 0, sizeof *raw);
    match_init_catchall(&fm->match);
    fm->new_cookie = UINT64_MAX;
    fm->out_group = OFPG_ANY;
    if (msg->type != OFPTYPE_NXT_FLOW_MOD) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    struct ofp_reader r;
    ofp_reader_init(&r, msg->body, msg->body_len);
    const uint8_t *p = ofp_reader_pull(&r, NX_FLOW_MOD_FIXED);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    uint64_t cookie = ofp_get_be64(p);
    uint16_t command = ofp_get_be16(p + 8);
    fm->command = command & 0xff;
    fm->idle_timeout = ofp_get_be16(p + 10);
    fm->hard_timeout = ofp_get_be16(p + 12);
    fm->priority = ofp_get_be16(p + 14);
    fm->buffer_id = ofp_get_be32(p + 16);
    fm->out_port = ofp_port_from_of10(ofp_get_be16(p + 20));
    uint16_t flags = ofp_get_be16(p + 22);
    size_t match_len = ofp_get_be16(p + 24);
    if (flags & ~(NX_FF_SEND_FLOW_REM | NX_FF_CHECK_OVERLAP)) {
        return OFPERR_OFPFMFC_BAD_FLAGS;
    }
    fm->flags = ((flags & NX_FF_SEND_FLOW_REM) ? OFPFF_SEND_FLOW_REM : 0) |
                ((flags & NX_FF_CHECK_OVERLAP) ? OFPFF_CHECK_OVERLAP : 0);
    if (fm->command > OFPFC_DELETE_STRICT) {
        return OFPERR_OFPFMFC_BAD_COMMAND;
    }
    /* As in 1.0: the command's high byte is the table. */
    fm->table_id = command >> 8;
    if (!fm->table_id && fm->command != OFPFC_ADD) {
        fm->table_id = OFPTT_ALL;
    }
    if (fm->command == OFPFC_DELETE || fm->command == OFPFC_DELETE_STRICT) {
        fm->cookie = cookie;
    } else {
        fm->new_cookie = cookie;
    }
    enum ofperr error = nxm_pull(&r, match_len, &fm->match, raw);
    if (error) {
        return error;
    }
    size_t start = ofpacts->size;
    error = ofpacts_decode_actions(r.data, r.size, OFP10_VERSION, ofpacts);
    fm->ofpacts = (struct ofpact *)(void *)(ofpacts->data + start);
    fm->ofpacts_len = ofpacts->size - start;
    return error;
}

struct ofpbuf *
ofp_nx_flow_mod_encode(const struct ofp_flow_mod *fm,
                       const struct ofp_nxm_raw *raw, enum ofp_version version,
                       uint32_t xid)
{
    struct ofpbuf *b = ofp_msg_start(OFPTYPE_NXT_FLOW_MOD, version, xid,
                                     128 + fm->ofpacts_len);
    if (!b) {
        return NULL;
    }
    size_t start = b->size;
    uint8_t table = fm->table_id == OFPTT_ALL ? 0 : fm->table_id;
    bool deletes =
        fm->command == OFPFC_DELETE || fm->command == OFPFC_DELETE_STRICT;
    ofpbuf_put_be64(b, deletes || fm->new_cookie == UINT64_MAX
                           ? fm->cookie
                           : fm->new_cookie);
    ofpbuf_put_be16(b, (uint16_t)(table << 8 | fm->command));
    ofpbuf_put_be16(b, fm->idle_timeout);
    ofpbuf_put_be16(b, fm->hard_timeout);
    ofpbuf_put_be16(b, (uint16_t)fm->priority);
    ofpbuf_put_be32(b, fm->buffer_id);
    ofpbuf_put_be16(b, ofp_port_to_of10(fm->out_port));
    ofpbuf_put_be16(
        b, ((fm->flags & OFPFF_SEND_FLOW_REM) ? NX_FF_SEND_FLOW_REM : 0) |
               ((fm->flags & OFPFF_CHECK_OVERLAP) ? NX_FF_CHECK_OVERLAP : 0));
    ofpbuf_put_zeros(b, 8); /* match_len (set below), pad. */
    size_t len = nxm_put(&fm->match, raw, b);
    ofp_set_be16(b->data + start + 24, (uint16_t)len);
    ofpacts_encode_actions(fm->ofpacts, fm->ofpacts_len, OFP10_VERSION, b);
    ofp_msg_finish(b);
    return b;
}

/* NXST_FLOW reply entries. */

#define NX_FLOW_STATS_FIXED 48

int
ofp_nx_flow_stats_decode_next(struct ofp_reader *r, struct ofp_flow_stats *fs,
                              struct ofp_nxm_raw *raw, struct ofpbuf *ofpacts)
{
    memset(fs, 0, sizeof *fs);
    memset(raw, 0, sizeof *raw);
    match_init_catchall(&fs->match);
    fs->idle_age = fs->hard_age = UINT16_MAX;
    ofpbuf_clear(ofpacts);
    fs->ofpacts = (const struct ofpact *)(const void *)ofpacts->data;
    if (!r->size) {
        return EOF;
    }
    if (r->size < NX_FLOW_STATS_FIXED) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    size_t len = ofp_get_be16(r->data);
    if (len < NX_FLOW_STATS_FIXED || len > r->size || len % 8) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    struct ofp_reader e;
    ofp_reader_init(&e, ofp_reader_pull(r, len), len);
    const uint8_t *p = ofp_reader_pull(&e, NX_FLOW_STATS_FIXED);
    fs->table_id = p[2];
    fs->duration_sec = ofp_get_be32(p + 4);
    fs->duration_nsec = ofp_get_be32(p + 8);
    fs->priority = ofp_get_be16(p + 12);
    fs->idle_timeout = ofp_get_be16(p + 14);
    fs->hard_timeout = ofp_get_be16(p + 16);
    size_t match_len = ofp_get_be16(p + 18);
    /* Ages are sent plus one; 0 means unknown. */
    uint16_t idle_age = ofp_get_be16(p + 20);
    uint16_t hard_age = ofp_get_be16(p + 22);
    fs->idle_age = idle_age ? idle_age - 1 : UINT16_MAX;
    fs->hard_age = hard_age ? hard_age - 1 : UINT16_MAX;
    fs->cookie = ofp_get_be64(p + 24);
    fs->packet_count = ofp_get_be64(p + 32);
    fs->byte_count = ofp_get_be64(p + 40);
    enum ofperr error = nxm_pull(&e, match_len, &fs->match, raw);
    if (!error) {
        error = ofpacts_decode_actions(e.data, e.size, OFP10_VERSION, ofpacts);
    }
    fs->ofpacts = (const struct ofpact *)(const void *)ofpacts->data;
    fs->ofpacts_len = ofpacts->size;
    return error;
}

void
ofp_nx_flow_stats_append(const struct ofp_flow_stats *fs,
                         const struct ofp_nxm_raw *raw,
                         struct ofp_mp_reply *reply)
{
    struct ofpbuf b;
    ofpbuf_init(&b, 256 + fs->ofpacts_len);
    ofpbuf_put_zeros(&b, 2); /* Length, set below. */
    uint8_t *p = ofpbuf_put_zeros(&b, 2);
    p[0] = fs->table_id;
    ofpbuf_put_be32(&b, fs->duration_sec);
    ofpbuf_put_be32(&b, fs->duration_nsec);
    ofpbuf_put_be16(&b, (uint16_t)fs->priority);
    ofpbuf_put_be16(&b, fs->idle_timeout);
    ofpbuf_put_be16(&b, fs->hard_timeout);
    ofpbuf_put_be16(&b, 0); /* match_len, set below. */
    ofpbuf_put_be16(&b, fs->idle_age == UINT16_MAX ? 0 : fs->idle_age + 1);
    ofpbuf_put_be16(&b, fs->hard_age == UINT16_MAX ? 0 : fs->hard_age + 1);
    ofpbuf_put_be64(&b, fs->cookie);
    ofpbuf_put_be64(&b, fs->packet_count);
    ofpbuf_put_be64(&b, fs->byte_count);
    size_t len = nxm_put(&fs->match, raw, &b);
    ofp_set_be16(b.data + 18, (uint16_t)len);
    ofpacts_encode_actions(fs->ofpacts, fs->ofpacts_len, OFP10_VERSION, &b);
    ofp_set_be16(b.data, (uint16_t)b.size);
    ofp_mp_reply_append(reply, b.data, b.size);
    ofpbuf_uninit(&b);
}

/* Raw NXM text. */

static void
put_hex_bytes(const uint8_t *p, size_t n, struct ds *s)
{
    for (size_t i = 0; i < n; i++) {
        ds_put_format(s, "%02x", p[i]);
    }
}

void
ofp_nxm_format_raw(const void *nxm, size_t len, struct ds *s)
{
    const uint8_t *p = nxm;
    bool first = true;

    if (!len) {
        ds_put_cstr(s, "<any>");
        return;
    }
    while (len >= 4) {
        uint32_t header = ofp_get_be32(p);
        size_t n = header & 0xff;
        bool masked = header & 0x100;
        if (4 + n > len || (masked && n % 2)) {
            break;
        }
        if (!first) {
            ds_put_cstr(s, ", ");
        }
        first = false;
        const char *name = ofp_nxm_header_name(header & ~0x1ffu);
        if (name) {
            ds_put_format(s, "%s%s(", name, masked ? "_W" : "");
        } else {
            ds_put_format(s, "%d:%d(", (int)(header >> 16),
                          (int)((header >> 9) & 0x7f));
        }
        if (masked) {
            put_hex_bytes(p + 4, n / 2, s);
            ds_put_char(s, '/');
            put_hex_bytes(p + 4 + n / 2, n / 2, s);
        } else {
            put_hex_bytes(p + 4, n, s);
        }
        ds_put_char(s, ')');
        p += 4 + n;
        len -= 4 + n;
    }
    if (len) {
        ds_put_format(s, "%s<%zu invalid bytes>", first ? "" : ", ", len);
    }
}

/* NXT_PACKET_IN. */

#define NX_PACKET_IN_FIXED 24

enum ofperr
ofp_nx_packet_in_decode(const struct ofp_msg *msg, struct ofp_packet_in *pin,
                        struct ofp_nxm_raw *raw)
{
    memset(pin, 0, sizeof *pin);
    memset(raw, 0, sizeof *raw);
    if (msg->type != OFPTYPE_NXT_PACKET_IN) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    struct ofp_reader r;
    ofp_reader_init(&r, msg->body, msg->body_len);
    const uint8_t *p = ofp_reader_pull(&r, NX_PACKET_IN_FIXED);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    pin->buffer_id = ofp_get_be32(p);
    pin->total_len = ofp_get_be16(p + 4);
    pin->reason = p[6];
    pin->table_id = p[7];
    pin->cookie = ofp_get_be64(p + 8);
    size_t match_len = ofp_get_be16(p + 16);
    enum ofperr error = nxm_pull(&r, match_len, &pin->match, raw);
    if (error) {
        return error;
    }
    if (!ofp_reader_pull(&r, 2)) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    pin->packet = r.data;
    pin->packet_len = r.size;
    return 0;
}

struct ofpbuf *
ofp_nx_packet_in_encode(const struct ofp_packet_in *pin,
                        const struct ofp_nxm_raw *raw,
                        enum ofp_version version, uint32_t xid)
{
    struct ofpbuf *b = ofp_msg_start(OFPTYPE_NXT_PACKET_IN, version, xid,
                                     128 + pin->packet_len);
    if (!b) {
        return NULL;
    }
    size_t start = b->size;
    ofpbuf_put_be32(b, pin->buffer_id);
    ofpbuf_put_be16(b, (uint16_t)pin->total_len);
    uint8_t *p = ofpbuf_put_zeros(b, 2);
    p[0] = pin->reason;
    p[1] = pin->table_id;
    ofpbuf_put_be64(b, pin->cookie);
    ofpbuf_put_zeros(b, 8); /* match_len, pad. */
    size_t len = nxm_put(&pin->match, raw, b);
    ofp_set_be16(b->data + start + 16, (uint16_t)len);
    ofpbuf_put_zeros(b, 2);
    ofpbuf_put(b, pin->packet, pin->packet_len);
    ofp_msg_finish(b);
    return b;
}

/* NXT_PACKET_IN2 and NXT_RESUME. */

enum {
    PIN2_PACKET = 0,
    PIN2_FULL_LEN = 1,
    PIN2_BUFFER_ID = 2,
    PIN2_TABLE_ID = 3,
    PIN2_COOKIE = 4,
    PIN2_REASON = 5,
    PIN2_METADATA = 6,
    PIN2_USERDATA = 7,
    PIN2_CONTINUATION = 8,
};

bool
ofp_nx_packet_in2_has(const struct ofp_nx_packet_in2 *p2, uint8_t type)
{
    return memchr(p2->order, type, p2->n_props) != NULL;
}

/* Reads the value of property 'type' ('len' bytes at 'v'). */
static enum ofperr
pin2_prop(struct ofp_nx_packet_in2 *p2, uint16_t type, const uint8_t *v,
          size_t len)
{
    struct ofp_packet_in *pin = &p2->pin;
    static const uint8_t fixed[] = {
        [PIN2_FULL_LEN] = 4, [PIN2_BUFFER_ID] = 4, [PIN2_TABLE_ID] = 1,
        [PIN2_COOKIE] = 12,  [PIN2_REASON] = 1,
    };

    if (type < ARRAY_SIZE(fixed) && fixed[type] && len != fixed[type]) {
        return OFPERR_OFPBPC_BAD_LEN;
    }
    switch (type) {
    case PIN2_PACKET:
        pin->packet = v;
        pin->packet_len = len;
        return 0;
    case PIN2_FULL_LEN:
        pin->total_len = ofp_get_be32(v);
        return 0;
    case PIN2_BUFFER_ID:
        pin->buffer_id = ofp_get_be32(v);
        return 0;
    case PIN2_TABLE_ID:
        pin->table_id = v[0];
        return 0;
    case PIN2_COOKIE:
        pin->cookie = ofp_get_be64(v + 4);
        return 0;
    case PIN2_REASON:
        pin->reason = v[0];
        return 0;
    case PIN2_METADATA:
        p2->raw.data = v;
        p2->raw.len = len;
        return ofp_nxm_decode(v, len, &pin->match);
    case PIN2_USERDATA:
        p2->userdata = v;
        p2->userdata_len = len;
        return 0;
    case PIN2_CONTINUATION:
        p2->continuation = v;
        p2->continuation_len = len;
        return 0;
    default:
        return OFPERR_OFPBPC_BAD_TYPE;
    }
}

enum ofperr
ofp_nx_packet_in2_decode(const struct ofp_msg *msg,
                         struct ofp_nx_packet_in2 *p2)
{
    memset(p2, 0, sizeof *p2);
    match_init_catchall(&p2->pin.match);
    p2->pin.buffer_id = UINT32_MAX;
    p2->pin.cookie = UINT64_MAX;
    if (msg->type != OFPTYPE_NXT_PACKET_IN2 &&
        msg->type != OFPTYPE_NXT_RESUME) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    struct ofp_reader r;
    ofp_reader_init(&r, msg->body, msg->body_len);
    while (r.size) {
        const uint8_t *h = ofp_reader_pull(&r, 4);
        if (!h) {
            return OFPERR_OFPBPC_BAD_LEN;
        }
        uint16_t type = ofp_get_be16(h);
        size_t plen = ofp_get_be16(h + 2);
        if (plen < 4 || ROUND_UP(plen, 8) - 4 > r.size) {
            return OFPERR_OFPBPC_BAD_LEN;
        }
        const uint8_t *v = ofp_reader_pull(&r, ROUND_UP(plen, 8) - 4);
        if (type < OFP_NX_PIN2_MAX_PROPS && ofp_nx_packet_in2_has(p2, type)) {
            return OFPERR_OFPBPC_DUP_TYPE;
        }
        enum ofperr error = pin2_prop(p2, type, v, plen - 4);
        if (error) {
            return error;
        }
        p2->order[p2->n_props++] = (uint8_t)type;
    }
    if (!ofp_nx_packet_in2_has(p2, PIN2_PACKET)) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    if (!ofp_nx_packet_in2_has(p2, PIN2_FULL_LEN)) {
        p2->pin.total_len = p2->pin.packet_len;
    }
    return 0;
}

/* Appends a property of 'type' with the 'len' bytes at 'v', padded. */
static void
pin2_put(struct ofpbuf *b, uint16_t type, const void *v, size_t len)
{
    ofpbuf_put_be16(b, type);
    ofpbuf_put_be16(b, (uint16_t)(4 + len));
    ofpbuf_put(b, v, len);
    ofpbuf_put_zeros(b, ROUND_UP(4 + len, 8) - (4 + len));
}

static void
pin2_put_u32(struct ofpbuf *b, uint16_t type, uint32_t x)
{
    uint8_t v[4] = {x >> 24, x >> 16, x >> 8, x};
    pin2_put(b, type, v, sizeof v);
}

static void
pin2_put_metadata(struct ofpbuf *b, const struct ofp_nx_packet_in2 *p2)
{
    size_t start = b->size;
    ofpbuf_put_be16(b, PIN2_METADATA);
    ofpbuf_put_be16(b, 0);
    size_t len = ofp_nxm_encode_raw(&p2->pin.match, &p2->raw, b);
    ofp_set_be16(b->data + start + 2, (uint16_t)(4 + len));
    ofpbuf_put_zeros(b, ROUND_UP(4 + len, 8) - (4 + len));
}

struct ofpbuf *
ofp_nx_packet_in2_encode(enum ofptype type, const struct ofp_nx_packet_in2 *p2,
                         enum ofp_version version, uint32_t xid)
{
    const struct ofp_packet_in *pin = &p2->pin;
    struct ofpbuf *b =
        ofp_msg_start(type, version, xid, 128 + pin->packet_len);
    if (!b) {
        return NULL;
    }
    for (size_t i = 0; i < p2->n_props; i++) {
        uint8_t v[12] = {0};
        switch (p2->order[i]) {
        case PIN2_PACKET:
            pin2_put(b, PIN2_PACKET, pin->packet, pin->packet_len);
            break;
        case PIN2_FULL_LEN:
            pin2_put_u32(b, PIN2_FULL_LEN, (uint32_t)pin->total_len);
            break;
        case PIN2_BUFFER_ID:
            pin2_put_u32(b, PIN2_BUFFER_ID, pin->buffer_id);
            break;
        case PIN2_TABLE_ID:
            pin2_put(b, PIN2_TABLE_ID, &pin->table_id, 1);
            break;
        case PIN2_COOKIE:
            for (int j = 0; j < 8; j++) {
                v[4 + j] = (uint8_t)(pin->cookie >> (56 - 8 * j));
            }
            pin2_put(b, PIN2_COOKIE, v, 12);
            break;
        case PIN2_REASON:
            pin2_put(b, PIN2_REASON, &pin->reason, 1);
            break;
        case PIN2_METADATA:
            pin2_put_metadata(b, p2);
            break;
        case PIN2_USERDATA:
            pin2_put(b, PIN2_USERDATA, p2->userdata, p2->userdata_len);
            break;
        default:
            pin2_put(b, PIN2_CONTINUATION, p2->continuation,
                     p2->continuation_len);
            break;
        }
    }
    ofp_msg_finish(b);
    return b;
}
