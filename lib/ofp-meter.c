/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofp-meter: METER_MOD, meter configuration and statistics entries, meter
 * requests and meter features (OpenFlow 1.3-1.5, where they are the same
 * on the wire), and the ovs-ofctl text of a meter ("meter=1 kbps burst
 * stats bands=type=drop rate=1000 burst_size=100").  ofproto/ofproto-
 * meter.c acts on the decoded meters.
 */
#include <config.h>

#include "lib/ofp-meter.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/ofp-actions.h"

#define METER_BAND_LEN    16
#define METER_STATS_FIXED 40

static bool
meter_id_ok(uint32_t id, bool allow_all)
{
    return ((id && id <= OFPM_MAX) || id == OFPM_SLOWPATH ||
            id == OFPM_CONTROLLER || (allow_all && id == OFPM_ALL));
}

/* Decodes the bands in 'r' into 'mm'. */
static enum ofperr
meter_bands_decode(struct ofp_reader *r, bool check_rate,
                   struct ofp_meter_mod *mm)
{
    while (r->size) {
        if (r->size < 4) {
            return OFPERR_OFPMMFC_BAD_BAND;
        }
        uint16_t type = ofp_get_be16(r->data);
        size_t len = ofp_get_be16(r->data + 2);
        if (len != METER_BAND_LEN || len > r->size) {
            return OFPERR_OFPMMFC_BAD_BAND;
        }
        const uint8_t *p = ofp_reader_pull(r, len);
        if (type != OFPMBT_DROP && type != OFPMBT_DSCP_REMARK) {
            return OFPERR_OFPMMFC_BAD_BAND;
        }
        if (mm->n_bands >= OFP_METER_MAX_BANDS) {
            return OFPERR_OFPMMFC_OUT_OF_BANDS;
        }
        struct ofp_meter_band *band = &mm->bands[mm->n_bands++];
        band->type = type;
        band->rate = ofp_get_be32(p + 4);
        band->burst_size = ofp_get_be32(p + 8);
        band->prec_level = type == OFPMBT_DSCP_REMARK ? p[12] : 0;
        if (check_rate && !band->rate) {
            return OFPERR_OFPMMFC_BAD_RATE;
        }
    }
    return 0;
}

static void
meter_bands_encode(const struct ofp_meter_mod *mm, struct ofpbuf *b)
{
    for (size_t i = 0; i < mm->n_bands && i < OFP_METER_MAX_BANDS; i++) {
        const struct ofp_meter_band *band = &mm->bands[i];
        ofpbuf_put_be16(b, band->type);
        ofpbuf_put_be16(b, METER_BAND_LEN);
        ofpbuf_put_be32(b, band->rate);
        ofpbuf_put_be32(b, band->burst_size);
        uint8_t *p = ofpbuf_put_zeros(b, 4);
        if (band->type == OFPMBT_DSCP_REMARK) {
            p[0] = band->prec_level;
        }
    }
}

enum ofperr
ofp_meter_mod_decode(const struct ofp_msg *msg, struct ofp_meter_mod *mm)
{
    memset(mm, 0, sizeof *mm);
    if (msg->type != OFPTYPE_METER_MOD) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    struct ofp_reader r;
    ofp_reader_init(&r, msg->body, msg->body_len);
    const uint8_t *p = ofp_reader_pull(&r, 8);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    uint16_t command = ofp_get_be16(p);
    mm->flags = ofp_get_be16(p + 2);
    mm->meter_id = ofp_get_be32(p + 4);
    if (command > OFPMC_DELETE) {
        return OFPERR_OFPMMFC_BAD_COMMAND;
    }
    mm->command = command;
    if ((mm->flags & (OFPMF_KBPS | OFPMF_PKTPS)) ==
        (OFPMF_KBPS | OFPMF_PKTPS)) {
        return OFPERR_OFPMMFC_BAD_FLAGS;
    }
    if (!meter_id_ok(mm->meter_id, command == OFPMC_DELETE)) {
        return OFPERR_OFPMMFC_INVALID_METER;
    }
    return meter_bands_decode(&r, command != OFPMC_DELETE, mm);
}

struct ofpbuf *
ofp_meter_mod_encode(const struct ofp_meter_mod *mm, enum ofp_version version,
                     uint32_t xid)
{
    struct ofpbuf *b = ofp_msg_start(OFPTYPE_METER_MOD, version, xid,
                                     8 + METER_BAND_LEN * mm->n_bands);
    if (!b) {
        return NULL;
    }
    ofpbuf_put_be16(b, mm->command);
    ofpbuf_put_be16(b, mm->flags);
    ofpbuf_put_be32(b, mm->meter_id);
    meter_bands_encode(mm, b);
    ofp_msg_finish(b);
    return b;
}

/* Requests. */

enum ofperr
ofp_meter_request_decode(const struct ofp_msg *msg, uint32_t *meter_id)
{
    *meter_id = OFPM_ALL;
    if (msg->type != OFPTYPE_METER_STATS_REQUEST &&
        msg->type != OFPTYPE_METER_CONFIG_STATS_REQUEST) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    if (msg->body_len != 8) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    *meter_id = ofp_get_be32(msg->body);
    return 0;
}

struct ofpbuf *
ofp_meter_request_encode(enum ofptype type, uint32_t meter_id,
                         enum ofp_version version, uint32_t xid)
{
    struct ofpbuf *b = ofp_msg_start(type, version, xid, 8);
    if (!b) {
        return NULL;
    }
    if (type != OFPTYPE_METER_FEATURES_STATS_REQUEST) {
        ofpbuf_put_be32(b, meter_id);
        ofpbuf_put_zeros(b, 4);
    }
    ofp_msg_finish(b);
    return b;
}

/* Meter configuration entries. */

void
ofp_meter_config_append(const struct ofp_meter_mod *mm,
                        struct ofp_mp_reply *reply)
{
    struct ofpbuf b;
    ofpbuf_init(&b, 8 + METER_BAND_LEN * mm->n_bands);
    ofpbuf_put_be16(&b, 0);
    ofpbuf_put_be16(&b, mm->flags);
    ofpbuf_put_be32(&b, mm->meter_id);
    meter_bands_encode(mm, &b);
    ofp_set_be16(b.data, (uint16_t)b.size);
    ofp_mp_reply_append(reply, b.data, b.size);
    ofpbuf_uninit(&b);
}

int
ofp_meter_config_decode_next(struct ofp_reader *r, struct ofp_meter_mod *mm)
{
    memset(mm, 0, sizeof *mm);
    mm->command = OFPMC_ADD;
    if (!r->size) {
        return EOF;
    }
    if (r->size < 8) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    size_t len = ofp_get_be16(r->data);
    if (len < 8 || len > r->size) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    const uint8_t *p = ofp_reader_pull(r, len);
    mm->flags = ofp_get_be16(p + 2);
    mm->meter_id = ofp_get_be32(p + 4);
    struct ofp_reader bands;
    ofp_reader_init(&bands, p + 8, len - 8);
    return meter_bands_decode(&bands, false, mm);
}

/* Meter statistics entries. */

void
ofp_meter_stats_append(const struct ofp_meter_stats *ms,
                       struct ofp_mp_reply *reply)
{
    size_t n = MIN(ms->n_bands, (size_t)OFP_METER_MAX_BANDS);
    struct ofpbuf b;
    ofpbuf_init(&b, METER_STATS_FIXED + 16 * n);
    ofpbuf_put_be32(&b, ms->meter_id);
    ofpbuf_put_be16(&b, (uint16_t)(METER_STATS_FIXED + 16 * n));
    ofpbuf_put_zeros(&b, 6);
    ofpbuf_put_be32(&b, ms->flow_count);
    ofpbuf_put_be64(&b, ms->packet_in_count);
    ofpbuf_put_be64(&b, ms->byte_in_count);
    ofpbuf_put_be32(&b, ms->duration_sec);
    ofpbuf_put_be32(&b, ms->duration_nsec);
    for (size_t i = 0; i < n; i++) {
        ofpbuf_put_be64(&b, ms->band_packets[i]);
        ofpbuf_put_be64(&b, ms->band_bytes[i]);
    }
    ofp_mp_reply_append(reply, b.data, b.size);
    ofpbuf_uninit(&b);
}

int
ofp_meter_stats_decode_next(struct ofp_reader *r, struct ofp_meter_stats *ms)
{
    memset(ms, 0, sizeof *ms);
    if (!r->size) {
        return EOF;
    }
    if (r->size < METER_STATS_FIXED) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    size_t len = ofp_get_be16(r->data + 4);
    if (len < METER_STATS_FIXED || len > r->size ||
        (len - METER_STATS_FIXED) % 16 ||
        (len - METER_STATS_FIXED) / 16 > OFP_METER_MAX_BANDS) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    const uint8_t *p = ofp_reader_pull(r, len);
    ms->meter_id = ofp_get_be32(p);
    ms->flow_count = ofp_get_be32(p + 12);
    ms->packet_in_count = ofp_get_be64(p + 16);
    ms->byte_in_count = ofp_get_be64(p + 24);
    ms->duration_sec = ofp_get_be32(p + 32);
    ms->duration_nsec = ofp_get_be32(p + 36);
    ms->n_bands = (len - METER_STATS_FIXED) / 16;
    for (size_t i = 0; i < ms->n_bands; i++) {
        ms->band_packets[i] = ofp_get_be64(p + METER_STATS_FIXED + 16 * i);
        ms->band_bytes[i] = ofp_get_be64(p + METER_STATS_FIXED + 16 * i + 8);
    }
    return 0;
}

/* Meter features. */

struct ofpbuf *
ofp_meter_features_reply_encode(const struct ofp_meter_features *mf,
                                const struct ofp_msg *request)
{
    struct ofpbuf *b =
        ofp_msg_start_reply(OFPTYPE_METER_FEATURES_STATS_REPLY, request, 16);
    if (!b) {
        return NULL;
    }
    ofpbuf_put_be32(b, mf->max_meters);
    ofpbuf_put_be32(b, mf->band_types);
    ofpbuf_put_be32(b, mf->capabilities);
    uint8_t *p = ofpbuf_put_zeros(b, 4);
    p[0] = mf->max_bands;
    p[1] = mf->max_color;
    ofp_msg_finish(b);
    return b;
}

enum ofperr
ofp_meter_features_reply_decode(const struct ofp_msg *msg,
                                struct ofp_meter_features *mf)
{
    memset(mf, 0, sizeof *mf);
    if (msg->type != OFPTYPE_METER_FEATURES_STATS_REPLY) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    if (msg->body_len != 16) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    const uint8_t *p = msg->body;
    mf->max_meters = ofp_get_be32(p);
    mf->band_types = ofp_get_be32(p + 4);
    mf->capabilities = ofp_get_be32(p + 8);
    mf->max_bands = p[12];
    mf->max_color = p[13];
    return 0;
}

/* Text. */

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
parse_meter_id(const char *s, uint32_t *id)
{
    if (!strcmp(s, "all")) {
        *id = OFPM_ALL;
    } else if (!strcmp(s, "controller")) {
        *id = OFPM_CONTROLLER;
    } else if (!strcmp(s, "slowpath")) {
        *id = OFPM_SLOWPATH;
    } else {
        return parse_u32(s, id) && *id && *id <= OFPM_MAX;
    }
    return true;
}

/* One band keyword; 'band' is the band being built or NULL before the
 * first "type=". */
static char *
parse_band_field(const char *key, const char *value, struct ofp_meter_mod *mm)
{
    if (!strcmp(key, "type")) {
        if (mm->n_bands >= OFP_METER_MAX_BANDS) {
            return xstrdup("too many bands");
        }
        struct ofp_meter_band *band = &mm->bands[mm->n_bands++];
        if (!strcmp(value, "drop")) {
            band->type = OFPMBT_DROP;
        } else if (!strcmp(value, "dscp_remark")) {
            band->type = OFPMBT_DSCP_REMARK;
        } else {
            return xasprintf("unknown band type \"%s\"", value);
        }
        return NULL;
    }
    if (!mm->n_bands) {
        return xasprintf("band field %s before type", key);
    }
    struct ofp_meter_band *band = &mm->bands[mm->n_bands - 1];
    uint32_t v;
    if (!parse_u32(value, &v)) {
        return xasprintf("%s: bad value \"%s\"", key, value);
    }
    if (!strcmp(key, "rate")) {
        band->rate = v;
    } else if (!strcmp(key, "burst_size")) {
        band->burst_size = v;
    } else if (!strcmp(key, "prec_level") && v <= UINT8_MAX) {
        band->prec_level = v;
    } else {
        return xasprintf("unknown band keyword %s", key);
    }
    return NULL;
}

static char *
parse_meter_token(char *tok, bool *in_bands, bool *have_id,
                  struct ofp_meter_mod *mm)
{
    static const struct {
        const char *name;
        uint16_t flag;
    } flags[] = {{"kbps", OFPMF_KBPS},
                 {"pktps", OFPMF_PKTPS},
                 {"burst", OFPMF_BURST},
                 {"stats", OFPMF_STATS}};
    if (!strncmp(tok, "bands=", 6)) {
        *in_bands = true;
        tok += 6;
        if (!*tok) {
            return NULL;
        }
    }
    char *eq = strchr(tok, '=');
    if (*in_bands) {
        if (!eq) {
            return xasprintf("band field %s missing value", tok);
        }
        *eq = '\0';
        return parse_band_field(tok, eq + 1, mm);
    }
    for (size_t i = 0; i < ARRAY_SIZE(flags); i++) {
        if (!strcmp(tok, flags[i].name)) {
            mm->flags |= flags[i].flag;
            return NULL;
        }
    }
    if (eq && !strncmp(tok, "meter=", 6)) {
        *have_id = true;
        if (!parse_meter_id(eq + 1, &mm->meter_id)) {
            return xasprintf("invalid meter id \"%s\"", eq + 1);
        }
        return NULL;
    }
    return xasprintf("unknown keyword %s", tok);
}

char *
ofp_meter_mod_parse(const char *s, enum ofp_meter_mod_command command,
                    struct ofp_meter_mod *mm)
{
    memset(mm, 0, sizeof *mm);
    mm->command = command;
    mm->meter_id = OFPM_ALL;
    char *copy = xstrdup(s);
    char *save = NULL, *error = NULL;
    bool in_bands = false, have_id = false;
    for (char *tok = strtok_r(copy, ", \t", &save); tok && !error;
         tok = strtok_r(NULL, ", \t", &save)) {
        error = parse_meter_token(tok, &in_bands, &have_id, mm);
    }
    free(copy);
    if (error) {
        return error;
    }
    if (command == OFPMC_DELETE) {
        return NULL;
    }
    if (!have_id || mm->meter_id == OFPM_ALL) {
        return xstrdup("must specify a meter id");
    }
    if (!(mm->flags & (OFPMF_KBPS | OFPMF_PKTPS))) {
        return xstrdup("must specify a unit (kbps or pktps)");
    }
    if ((mm->flags & OFPMF_KBPS) && (mm->flags & OFPMF_PKTPS)) {
        return xstrdup("only one of kbps and pktps may be given");
    }
    if (!mm->n_bands) {
        return xstrdup("must specify bands");
    }
    for (size_t i = 0; i < mm->n_bands; i++) {
        if (!mm->bands[i].rate) {
            return xstrdup("band rate must be positive");
        }
    }
    return NULL;
}

static void
format_meter_id(uint32_t id, struct ds *s)
{
    if (id == OFPM_ALL) {
        ds_put_cstr(s, "all");
    } else if (id == OFPM_CONTROLLER) {
        ds_put_cstr(s, "controller");
    } else if (id == OFPM_SLOWPATH) {
        ds_put_cstr(s, "slowpath");
    } else {
        ds_put_format(s, "%" PRIu32, id);
    }
}

void
ofp_meter_mod_format(const struct ofp_meter_mod *mm, struct ds *s)
{
    ds_put_cstr(s, "meter=");
    format_meter_id(mm->meter_id, s);
    ds_put_char(s, ' ');
    static const char *const names[] = {"kbps", "pktps", "burst", "stats"};
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        if (mm->flags & (1u << i)) {
            ds_put_format(s, "%s ", names[i]);
        }
    }
    if (mm->flags & ~0xfu) {
        ds_put_format(s, "flags:0x%" PRIx16 " ",
                      (uint16_t)(mm->flags & ~0xfu));
    }
    ds_put_cstr(s, "bands=");
    for (size_t i = 0; i < mm->n_bands && i < OFP_METER_MAX_BANDS; i++) {
        const struct ofp_meter_band *band = &mm->bands[i];
        ds_put_cstr(s, "\ntype=");
        if (band->type == OFPMBT_DROP) {
            ds_put_cstr(s, "drop");
        } else if (band->type == OFPMBT_DSCP_REMARK) {
            ds_put_cstr(s, "dscp_remark");
        } else {
            ds_put_format(s, "%" PRIu16, band->type);
        }
        ds_put_format(s, " rate=%" PRIu32, band->rate);
        if (mm->flags & OFPMF_BURST) {
            ds_put_format(s, " burst_size=%" PRIu32, band->burst_size);
        }
        if (band->type == OFPMBT_DSCP_REMARK) {
            ds_put_format(s, " prec_level=%" PRIu8, band->prec_level);
        }
    }
}
