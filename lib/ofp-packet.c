/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofp-packet: the wire side of PACKET_IN and PACKET_OUT (1.0's 16-bit
 * in_port, 1.3/1.4's 32-bit in_port and pipeline match, 1.5's packet-out
 * match), the switch configuration (GET_CONFIG_REPLY / SET_CONFIG) and the
 * asynchronous message configuration (1.3's six bitmaps, 1.4+
 * properties).  Matches go through ofp-match and actions through
 * ofp-actions; the connection manager (ofproto/connmgr.c) and the message
 * handlers (ofproto/ofproto-handle.c) use these.
 */
#include <config.h>

#include "lib/ofp-packet.h"

#include <string.h>

/* Sets an exact match on the OpenFlow in_port in 'match'. */
static void
match_set_in_port__(struct match *match, uint32_t port)
{
    union mf_value v;
    memset(&v, 0, sizeof v);
    v.be32 = htonl(port);
    mf_set_match(mf_from_id(MFF_IN_PORT), &v, NULL, match);
}

static uint32_t
match_get_in_port__(const struct match *match)
{
    const struct mf_field *mf = mf_from_id(MFF_IN_PORT);
    if (!mf_is_matched(mf, match)) {
        return OFPP_ANY;
    }
    union mf_value v;
    mf_get_value(mf, &match->flow, &v);
    return ntohl(v.be32);
}

/* PACKET_IN. */

#define OFP10_PACKET_IN_FIXED 10
#define OFP13_PACKET_IN_FIXED 16

struct ofpbuf *
ofp_packet_in_encode(const struct ofp_packet_in *pi, enum ofp_version version,
                     uint32_t xid)
{
    struct ofpbuf *b =
        ofp_msg_start(OFPTYPE_PACKET_IN, version, xid, 64 + pi->packet_len);
    if (!b) {
        return NULL;
    }
    ofpbuf_put_be32(b, pi->buffer_id);
    ofpbuf_put_be16(b, (uint16_t)MIN(pi->total_len, UINT16_MAX));
    if (version == OFP10_VERSION) {
        uint32_t port = match_get_in_port__(&pi->match);
        ofpbuf_put_be16(b, ofp_port_to_of10(port));
        uint8_t *p = ofpbuf_put_zeros(b, 2);
        p[0] = pi->reason;
    } else {
        uint8_t *p = ofpbuf_put_uninit(b, 2);
        p[0] = pi->reason;
        p[1] = pi->table_id;
        ofpbuf_put_be64(b, pi->cookie);
        ofp_match_encode_oxm(&pi->match, version, b);
        ofpbuf_put_zeros(b, 2);
    }
    if (pi->packet_len) {
        ofpbuf_put(b, pi->packet, pi->packet_len);
    }
    ofp_msg_finish(b);
    return b;
}

enum ofperr
ofp_packet_in_decode(const struct ofp_msg *msg, struct ofp_packet_in *pi)
{
    memset(pi, 0, sizeof *pi);
    match_init_catchall(&pi->match);
    if (msg->type != OFPTYPE_PACKET_IN) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    struct ofp_reader r;
    ofp_reader_init(&r, msg->body, msg->body_len);
    if (msg->version == OFP10_VERSION) {
        const uint8_t *p = ofp_reader_pull(&r, OFP10_PACKET_IN_FIXED);
        if (!p) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        pi->buffer_id = ofp_get_be32(p);
        pi->total_len = ofp_get_be16(p + 4);
        match_set_in_port__(&pi->match,
                            ofp_port_from_of10(ofp_get_be16(p + 6)));
        pi->reason = p[8];
    } else {
        const uint8_t *p = ofp_reader_pull(&r, OFP13_PACKET_IN_FIXED);
        if (!p) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        pi->buffer_id = ofp_get_be32(p);
        pi->total_len = ofp_get_be16(p + 4);
        pi->reason = p[6];
        pi->table_id = p[7];
        pi->cookie = ofp_get_be64(p + 8);
        enum ofperr error = ofp_match_decode_oxm(&r, &pi->match);
        if (error) {
            return error;
        }
        if (!ofp_reader_pull(&r, 2)) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
    }
    pi->packet = r.data;
    pi->packet_len = r.size;
    return 0;
}

/* PACKET_OUT. */

#define OFP10_PACKET_OUT_FIXED 8
#define OFP13_PACKET_OUT_FIXED 16
#define OFP15_PACKET_OUT_FIXED 8

/* OXM headers (class, field, mask bit, length) of the pipeline fields a
 * 1.5 packet-out may carry. */
#define OXM_IN_PORT     0x80000004u
#define OXM_METADATA    0x80000408u
#define OXM_METADATA_W  0x80000510u
#define OXM_TUNNEL_ID   0x80004c08u
#define OXM_TUNNEL_ID_W 0x80004d10u
#define NXM_TUN_ID      0x00012008u
#define NXM_TUN_ID_W    0x00012110u

/* Validates the OXM list of a 1.5 packet-out match ('len' bytes at 'oxms')
 * and copies the TLVs Tern keeps (in_port, metadata) to 'kept'.  Errors:
 * OFPBMC_BAD_LEN, OFPBRC_PIPELINE_FIELDS_ONLY (a field that is not a
 * pipeline field), OFPBRC_BAD_PORT (no in_port). */
static enum ofperr
packet_out_scan_oxms(const uint8_t *oxms, size_t len, struct ofpbuf *kept,
                     uint8_t *zeros)
{
    bool have_in_port = false;
    struct ofp_reader r;
    ofp_reader_init(&r, oxms, len);
    while (r.size) {
        if (r.size < 8 && !memcmp(r.data, "\0\0\0\0\0\0\0", r.size)) {
            /* Padding counted in the match length (seen from Open
             * vSwitch's test cases; its encoder does not). */
            *zeros = (uint8_t)r.size;
            break;
        }
        const uint8_t *h = ofp_reader_pull(&r, 4);
        if (!h) {
            return OFPERR_OFPBMC_BAD_LEN;
        }
        uint32_t hdr = ofp_get_be32(h);
        const uint8_t *v = ofp_reader_pull(&r, hdr & 0xff);
        if (!v) {
            return OFPERR_OFPBMC_BAD_LEN;
        }
        switch (hdr) {
        case OXM_IN_PORT:
            have_in_port = true;
            /* fall through */
        case OXM_METADATA:
        case OXM_METADATA_W:
            ofpbuf_put(kept, h, 4 + (hdr & 0xff));
            break;
        case OXM_TUNNEL_ID:
        case OXM_TUNNEL_ID_W:
        case NXM_TUN_ID:
        case NXM_TUN_ID_W:
            break;
        default:
            return OFPERR_OFPBRC_PIPELINE_FIELDS_ONLY;
        }
    }
    return have_in_port ? 0 : OFPERR_OFPBRC_BAD_PORT;
}

static enum ofperr
packet_out_decode_match15(struct ofp_reader *r, struct ofp_packet_out *po)
{
    if (r->size < 4) {
        return OFPERR_OFPBMC_BAD_LEN;
    }
    uint16_t type = ofp_get_be16(r->data);
    size_t len = ofp_get_be16(r->data + 2);
    if (type != 1) {
        return OFPERR_OFPBMC_BAD_TYPE;
    }
    if (len < 4 || ROUND_UP(len, 8) > r->size) {
        return OFPERR_OFPBMC_BAD_LEN;
    }
    const uint8_t *m = ofp_reader_pull(r, ROUND_UP(len, 8));
    po->raw_match = m;
    po->raw_match_len = ROUND_UP(len, 8);
    struct ofpbuf kept;
    ofpbuf_init(&kept, 64);
    enum ofperr error =
        packet_out_scan_oxms(m + 4, len - 4, &kept, &po->match_zeros);
    if (!error) {
        error = ofp_oxms_decode(kept.data, kept.size, &po->match);
    }
    ofpbuf_uninit(&kept);
    if (!error) {
        po->in_port = match_get_in_port__(&po->match);
    }
    return error;
}

/* True if the raw 1.5 match of 'po' decodes to 'match'. */
static bool
packet_out_raw_match_ok(const struct ofp_packet_out *po,
                        const struct match *match)
{
    struct ofp_packet_out dec;
    struct ofp_reader r;

    if (!po->raw_match || !po->raw_match_len) {
        return false;
    }
    memset(&dec, 0, sizeof dec);
    match_init_catchall(&dec.match);
    ofp_reader_init(&r, po->raw_match, po->raw_match_len);
    return (!packet_out_decode_match15(&r, &dec) && !r.size &&
            !memcmp(&dec.match.flow, &match->flow, sizeof match->flow) &&
            !memcmp(&dec.match.wc, &match->wc, sizeof match->wc));
}

/* Checks the packet-out's in_port: a port number or LOCAL, CONTROLLER or
 * (as Open vSwitch allows) NONE/ANY. */
static bool
packet_out_in_port_ok(uint32_t port)
{
    return (port < OFPP_MAX || port == OFPP_LOCAL || port == OFPP_CONTROLLER ||
            port == OFPP_ANY);
}

enum ofperr
ofp_packet_out_decode(const struct ofp_msg *msg, struct ofp_packet_out *po,
                      struct ofpbuf *ofpacts)
{
    memset(po, 0, sizeof *po);
    match_init_catchall(&po->match);
    ofpbuf_reserve(ofpacts, OFPACT_ALIGN);
    po->ofpacts = (struct ofpact *)(ofpacts->data + ofpacts->size);
    if (msg->type != OFPTYPE_PACKET_OUT) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    struct ofp_reader r;
    ofp_reader_init(&r, msg->body, msg->body_len);
    size_t actions_len;
    enum ofperr error = 0;
    if (msg->version == OFP10_VERSION) {
        const uint8_t *p = ofp_reader_pull(&r, OFP10_PACKET_OUT_FIXED);
        if (!p) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        po->buffer_id = ofp_get_be32(p);
        po->in_port = ofp_port_from_of10(ofp_get_be16(p + 4));
        actions_len = ofp_get_be16(p + 6);
    } else if (msg->version == OFP15_VERSION) {
        const uint8_t *p = ofp_reader_pull(&r, OFP15_PACKET_OUT_FIXED);
        if (!p) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        po->buffer_id = ofp_get_be32(p);
        actions_len = ofp_get_be16(p + 4);
        error = packet_out_decode_match15(&r, po);
        if (error) {
            return error;
        }
    } else {
        const uint8_t *p = ofp_reader_pull(&r, OFP13_PACKET_OUT_FIXED);
        if (!p) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        po->buffer_id = ofp_get_be32(p);
        po->in_port = ofp_get_be32(p + 4);
        actions_len = ofp_get_be16(p + 8);
    }
    if (!packet_out_in_port_ok(po->in_port)) {
        return OFPERR_OFPBRC_BAD_PORT;
    }
    if (msg->version != OFP15_VERSION) {
        match_set_in_port__(&po->match, po->in_port);
    }
    const uint8_t *actions = ofp_reader_pull(&r, actions_len);
    if (!actions) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    size_t start = ofpacts->size;
    error =
        ofpacts_decode_actions(actions, actions_len, msg->version, ofpacts);
    ofpbuf_reserve(ofpacts, OFPACT_ALIGN);
    po->ofpacts = (struct ofpact *)(ofpacts->data + start);
    po->ofpacts_len = ofpacts->size - start;
    po->packet = r.data;
    po->packet_len = r.size;
    return error;
}

struct ofpbuf *
ofp_packet_out_encode(const struct ofp_packet_out *po,
                      enum ofp_version version, uint32_t xid)
{
    struct ofpbuf *b = ofp_msg_start(OFPTYPE_PACKET_OUT, version, xid,
                                     64 + po->ofpacts_len + po->packet_len);
    if (!b) {
        return NULL;
    }
    ofpbuf_put_be32(b, po->buffer_id);
    size_t len_ofs;
    if (version == OFP10_VERSION) {
        ofpbuf_put_be16(b, ofp_port_to_of10(po->in_port));
        len_ofs = b->size;
        ofpbuf_put_be16(b, 0);
    } else if (version == OFP15_VERSION) {
        len_ofs = b->size;
        ofpbuf_put_zeros(b, 4);
        struct match match = po->match;
        match_set_in_port__(&match, po->in_port);
        size_t mstart = b->size;
        if (packet_out_raw_match_ok(po, &match)) {
            ofpbuf_put(b, po->raw_match, po->raw_match_len);
        } else {
            ofp_match_encode_oxm(&match, version, b);
        }
        if (po->match_zeros && !packet_out_raw_match_ok(po, &match)) {
            /* Count them in the length again; padding to 8 follows. */
            size_t mlen = ofp_get_be16(b->data + mstart + 2);
            mlen += po->match_zeros;
            size_t padded = mstart + ROUND_UP(mlen, 8);
            if (b->size < padded) {
                ofpbuf_put_zeros(b, padded - b->size);
            }
            ofp_set_be16(b->data + mstart + 2, (uint16_t)mlen);
        }
    } else {
        ofpbuf_put_be32(b, po->in_port);
        len_ofs = b->size;
        ofpbuf_put_zeros(b, 8);
    }
    size_t start = b->size;
    ofpacts_encode_actions(po->ofpacts, po->ofpacts_len, version, b);
    uint16_t actions_len = (uint16_t)(b->size - start);
    b->data[len_ofs] = actions_len >> 8;
    b->data[len_ofs + 1] = actions_len & 0xff;
    if (po->packet_len) {
        ofpbuf_put(b, po->packet, po->packet_len);
    }
    ofp_msg_finish(b);
    return b;
}

/* Switch configuration. */

enum ofperr
ofp_switch_config_decode(const struct ofp_msg *msg,
                         struct ofp_switch_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    if (msg->type != OFPTYPE_GET_CONFIG_REPLY &&
        msg->type != OFPTYPE_SET_CONFIG) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    if (msg->body_len != 4) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    cfg->flags = ofp_get_be16(msg->body);
    cfg->miss_send_len = ofp_get_be16(msg->body + 2);
    return 0;
}

struct ofpbuf *
ofp_switch_config_encode(enum ofptype type,
                         const struct ofp_switch_config *cfg,
                         enum ofp_version version, uint32_t xid)
{
    struct ofpbuf *b = ofp_msg_start(type, version, xid, 4);
    if (!b) {
        return NULL;
    }
    ofpbuf_put_be16(b, cfg->flags);
    ofpbuf_put_be16(b, cfg->miss_send_len);
    ofp_msg_finish(b);
    return b;
}

/* Asynchronous configuration.  In 1.4+, property type 2k is the slave
 * mask and 2k+1 the master mask of the k-th message kind below. */

struct async_kind {
    const char *name;
    size_t offset;  /* Of the [2] array in struct ofp_async_config. */
    uint32_t valid; /* Reasons defined in 1.4+. */
};

static const struct async_kind async_kinds[] = {
    {"PACKET_IN", offsetof(struct ofp_async_config, packet_in), 0x3f},
    {"PORT_STATUS", offsetof(struct ofp_async_config, port_status), 0x7},
    {"FLOW_REMOVED", offsetof(struct ofp_async_config, flow_removed), 0x3f},
    {"ROLE_STATUS", offsetof(struct ofp_async_config, role_status), 0x7},
    {"TABLE_STATUS", offsetof(struct ofp_async_config, table_status), 0x18},
    {"REQUESTFORWARD", offsetof(struct ofp_async_config, requestforward), 0x3},
};

static uint32_t *
async_masks(struct ofp_async_config *cfg, const struct async_kind *k)
{
    return (uint32_t *)((uint8_t *)cfg + k->offset);
}

static const uint32_t *
async_masks_c(const struct ofp_async_config *cfg, const struct async_kind *k)
{
    return (const uint32_t *)((const uint8_t *)cfg + k->offset);
}

void
ofp_async_config_default(enum ofp_version version,
                         struct ofp_async_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->port_status[0] = cfg->port_status[1] = 0x7;
    if (version < OFP14_VERSION) {
        /* 1.3: no_match and action; idle, hard, delete (and group delete
         * which 1.3 also defines). */
        cfg->packet_in[0] = (1u << OFPR_NO_MATCH) | (1u << OFPR_ACTION);
        cfg->flow_removed[0] = 0xf;
    } else {
        /* 1.4: every reason but invalid_ttl; every flow-removed reason
         * but eviction; role status to slaves; table status and
         * requestforward to masters and equals. */
        cfg->packet_in[0] = 0x3f & ~(1u << OFPR_INVALID_TTL);
        cfg->flow_removed[0] = 0x1f;
        cfg->role_status[1] = 0x7;
        cfg->table_status[0] = cfg->table_status[1] = 0x18;
        cfg->requestforward[0] = 0x3;
    }
}

static enum ofperr
async_config_decode_props(struct ofp_reader *r, struct ofp_async_config *cfg)
{
    while (r->size) {
        const uint8_t *p = ofp_reader_pull(r, 4);
        if (!p) {
            return OFPERR_OFPBPC_BAD_LEN;
        }
        uint16_t type = ofp_get_be16(p);
        size_t len = ofp_get_be16(p + 2);
        if (len < 4 || ROUND_UP(len, 8) - 4 > r->size) {
            return OFPERR_OFPBPC_BAD_LEN;
        }
        const uint8_t *v = ofp_reader_pull(r, ROUND_UP(len, 8) - 4);
        if ((size_t)type >= 2 * ARRAY_SIZE(async_kinds)) {
            return OFPERR_OFPACFC_UNSUPPORTED;
        }
        if (len != 8) {
            return OFPERR_OFPBPC_BAD_LEN;
        }
        const struct async_kind *k = &async_kinds[type / 2];
        uint32_t mask = ofp_get_be32(v);
        if (mask & ~k->valid) {
            return OFPERR_OFPACFC_INVALID;
        }
        async_masks(cfg, k)[type % 2 ? 0 : 1] = mask;
    }
    return 0;
}

enum ofperr
ofp_async_config_decode(const struct ofp_msg *msg,
                        struct ofp_async_config *cfg)
{
    if (msg->type != OFPTYPE_SET_ASYNC_CONFIG &&
        msg->type != OFPTYPE_GET_ASYNC_REPLY &&
        msg->type != OFPTYPE_NXT_SET_ASYNC_CONFIG) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    struct ofp_reader r;
    ofp_reader_init(&r, msg->body, msg->body_len);
    if (msg->version >= OFP14_VERSION) {
        /* Decode into a copy so that an error leaves 'cfg' unchanged. */
        struct ofp_async_config tmp = *cfg;
        enum ofperr error = async_config_decode_props(&r, &tmp);
        if (!error) {
            *cfg = tmp;
        }
        return error;
    }
    const uint8_t *p = ofp_reader_pull(&r, 24);
    if (!p || r.size) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    for (size_t i = 0; i < 3; i++) {
        uint32_t *m = async_masks(cfg, &async_kinds[i]);
        m[0] = ofp_get_be32(p + 8 * i);
        m[1] = ofp_get_be32(p + 8 * i + 4);
    }
    return 0;
}

struct ofpbuf *
ofp_async_config_encode(enum ofptype type, const struct ofp_async_config *cfg,
                        enum ofp_version version, uint32_t xid)
{
    struct ofpbuf *b = ofp_msg_start(type, version, xid, 96);
    if (!b) {
        return NULL;
    }
    if (version < OFP14_VERSION) {
        for (size_t i = 0; i < 3; i++) {
            const uint32_t *m = async_masks_c(cfg, &async_kinds[i]);
            ofpbuf_put_be32(b, m[0]);
            ofpbuf_put_be32(b, m[1]);
        }
    } else {
        /* A reply lists every property; a set leaves out the kinds 1.3
         * lacked when they are off, as Open vSwitch does. */
        for (size_t i = 0; i < ARRAY_SIZE(async_kinds); i++) {
            const uint32_t *m = async_masks_c(cfg, &async_kinds[i]);
            if (type == OFPTYPE_SET_ASYNC_CONFIG && i >= 3 && !m[0] && !m[1]) {
                continue;
            }
            for (int slave = 1; slave >= 0; slave--) {
                ofpbuf_put_be16(b, (uint16_t)(2 * i + (slave ? 0 : 1)));
                ofpbuf_put_be16(b, 8);
                ofpbuf_put_be32(b, m[slave]);
            }
        }
    }
    ofp_msg_finish(b);
    return b;
}
