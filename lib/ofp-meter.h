/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofp-meter: METER_MOD, meter statistics, meter configuration and meter
 * features (1.3-1.5), and their ovs-ofctl text ("meter=1,kbps,burst,
 * stats,bands=type=drop rate=1000 burst_size=100").
 *
 * Thread safety: pure functions.
 */
#ifndef TERN_OFP_METER_H
#define TERN_OFP_METER_H 1

#include "lib/ofp-msgs.h"

struct ds;

enum ofp_meter_mod_command {
    OFPMC_ADD = 0,
    OFPMC_MODIFY = 1,
    OFPMC_DELETE = 2,
};
enum ofp_meter_flags {
    OFPMF_KBPS = 1 << 0,
    OFPMF_PKTPS = 1 << 1,
    OFPMF_BURST = 1 << 2,
    OFPMF_STATS = 1 << 3,
};
enum ofp_meter_band_type {
    OFPMBT_DROP = 1,
    OFPMBT_DSCP_REMARK = 2,
};
#define OFP_METER_MAX_BANDS 8

struct ofp_meter_band {
    uint16_t type;
    uint8_t prec_level; /* DSCP_REMARK. */
    uint32_t rate;
    uint32_t burst_size;
};
struct ofp_meter_mod {
    enum ofp_meter_mod_command command;
    uint16_t flags;
    uint32_t meter_id;
    size_t n_bands;
    struct ofp_meter_band bands[OFP_METER_MAX_BANDS];
};
/* Errors: OFPMMFC_BAD_COMMAND, OFPMMFC_BAD_FLAGS (neither or both of
 * KBPS/PKTPS, unknown bits), OFPMMFC_BAD_BAND (unknown type, bad band
 * length), OFPMMFC_BAD_RATE (rate 0), OFPMMFC_BAD_BURST,
 * OFPMMFC_OUT_OF_BANDS, OFPMMFC_INVALID_METER (reserved id). */
enum ofperr ofp_meter_mod_decode(const struct ofp_msg *,
                                 struct ofp_meter_mod *);
struct ofpbuf *ofp_meter_mod_encode(const struct ofp_meter_mod *,
                                    enum ofp_version, uint32_t xid);

/* Meter stats / config requests carry a meter id (OFPM_ALL). */
enum ofperr ofp_meter_request_decode(const struct ofp_msg *,
                                     uint32_t *meter_id);
struct ofpbuf *ofp_meter_request_encode(enum ofptype, uint32_t meter_id,
                                        enum ofp_version, uint32_t xid);
void ofp_meter_config_append(const struct ofp_meter_mod *,
                             struct ofp_mp_reply *);
int ofp_meter_config_decode_next(struct ofp_reader *, struct ofp_meter_mod *);

struct ofp_meter_stats {
    uint32_t meter_id;
    uint32_t flow_count;
    uint64_t packet_in_count, byte_in_count;
    uint32_t duration_sec, duration_nsec;
    size_t n_bands;
    uint64_t band_packets[OFP_METER_MAX_BANDS];
    uint64_t band_bytes[OFP_METER_MAX_BANDS];
};
void ofp_meter_stats_append(const struct ofp_meter_stats *,
                            struct ofp_mp_reply *);
int ofp_meter_stats_decode_next(struct ofp_reader *, struct ofp_meter_stats *);

struct ofp_meter_features {
    uint32_t max_meters;
    uint32_t band_types;   /* Bit per OFPMBT_*. */
    uint32_t capabilities; /* OFPMF_* bits. */
    uint8_t max_bands;
    uint8_t max_color;
};
struct ofpbuf *
ofp_meter_features_reply_encode(const struct ofp_meter_features *,
                                const struct ofp_msg *request);
enum ofperr ofp_meter_features_reply_decode(const struct ofp_msg *,
                                            struct ofp_meter_features *);

/* Text. */
char *ofp_meter_mod_parse(const char *s, enum ofp_meter_mod_command,
                          struct ofp_meter_mod *);
void ofp_meter_mod_format(const struct ofp_meter_mod *, struct ds *);

#endif /* TERN_OFP_METER_H */
