/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofp-msgs: how each kind of OpenFlow message is framed in each version.
 *
 * One table, 'ofp_layouts', has a row per (kind, set of versions): how the
 * kind is recognised on the wire (a standard type number, a statistics or
 * multipart type inside OFPT_STATS_* / OFPT_MULTIPART_*, or an
 * experimenter id and subtype), the length of its fixed body and whether
 * more bytes may follow (any, none, or a whole number of fixed-size
 * entries), and its name as ovs-ofctl prints it.  Decoding, encoding and
 * naming all walk that table; nothing else here knows about kinds.
 *
 * Framings and the headers they add after the 8-byte ofp_header:
 *   STD          none.
 *   STATS_REQ/REP 1.0 OFPT_STATS_* (16/17): type, flags (4 bytes);
 *                1.3+ OFPT_MULTIPART_* (18/19): type, flags, pad (8 bytes).
 *   NXT, ONFT    OFPT_VENDOR / OFPT_EXPERIMENTER (4): id, subtype (8).
 *   NXST, ONFST  a statistics message of type 0xffff followed by id and
 *                subtype (and 4 bytes of padding in 1.0): 24 bytes in all.
 */
#include <config.h>

#include "lib/ofp-msgs.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"

enum ofp_framing {
    F_STD,
    F_STATS_REQ,
    F_STATS_REP,
    F_NXT,
    F_ONFT,
    F_NXST_REQ,
    F_NXST_REP,
    F_ONFST_REQ,
    F_ONFST_REP,
};

/* 'extra' values besides a positive entry size. */
#define EXACT 0u /* The body is exactly 'min' bytes. */
#define ANY   1u /* Any number of bytes may follow. */

struct ofp_layout {
    enum ofptype type;
    uint32_t versions; /* Bit N set: wire version N. */
    enum ofp_framing framing;
    uint32_t number; /* Type, multipart type or experimenter subtype. */
    uint16_t min;    /* Fixed body length after the framing headers. */
    uint16_t extra;  /* EXACT, ANY or the size of each trailing entry. */
    const char *name;
};

#define V10  (1u << OFP10_VERSION)
#define V13  (1u << OFP13_VERSION)
#define V14  (1u << OFP14_VERSION)
#define V15  (1u << OFP15_VERSION)
#define V14P (V14 | V15)
#define V13P (V13 | V14 | V15)
#define VALL (V10 | V13P)
#define VANY 0xffffffffu /* HELLO and ERROR: every version. */
#define T(X) OFPTYPE_##X

#define OFPT_VENDOR          4 /* OFPT_EXPERIMENTER in 1.3+. */
#define OFPT10_STATS_REQUEST 16
#define OFPT10_STATS_REPLY   17
#define OFPT13_MULTIPART_REQ 18
#define OFPT13_MULTIPART_REP 19
#define OFPST_VENDOR         0xffff

/* clang-format off */
static const struct ofp_layout ofp_layouts[] = {
    /* Messages every version frames the same. */
    {T(HELLO), VANY, F_STD, 0, 0, ANY, "OFPT_HELLO"},
    {T(ERROR), VANY, F_STD, 1, 4, ANY, "OFPT_ERROR"},
    {T(ECHO_REQUEST), VALL, F_STD, 2, 0, ANY, "OFPT_ECHO_REQUEST"},
    {T(ECHO_REPLY), VALL, F_STD, 3, 0, ANY, "OFPT_ECHO_REPLY"},
    {T(FEATURES_REQUEST), VALL, F_STD, 5, 0, EXACT, "OFPT_FEATURES_REQUEST"},
    {T(FEATURES_REPLY), V10, F_STD, 6, 24, 48, "OFPT_FEATURES_REPLY"},
    {T(FEATURES_REPLY), V13P, F_STD, 6, 24, EXACT, "OFPT_FEATURES_REPLY"},
    {T(GET_CONFIG_REQUEST), VALL, F_STD, 7, 0, EXACT,
     "OFPT_GET_CONFIG_REQUEST"},
    {T(GET_CONFIG_REPLY), VALL, F_STD, 8, 4, EXACT, "OFPT_GET_CONFIG_REPLY"},
    {T(SET_CONFIG), VALL, F_STD, 9, 4, EXACT, "OFPT_SET_CONFIG"},
    {T(PACKET_IN), V10, F_STD, 10, 10, ANY, "OFPT_PACKET_IN"},
    {T(PACKET_IN), V13P, F_STD, 10, 16, ANY, "OFPT_PACKET_IN"},
    {T(FLOW_REMOVED), V10, F_STD, 11, 80, EXACT, "OFPT_FLOW_REMOVED"},
    {T(FLOW_REMOVED), V13 | V14, F_STD, 11, 40, ANY, "OFPT_FLOW_REMOVED"},
    {T(FLOW_REMOVED), V15, F_STD, 11, 16, ANY, "OFPT_FLOW_REMOVED"},
    {T(PORT_STATUS), V10, F_STD, 12, 56, EXACT, "OFPT_PORT_STATUS"},
    {T(PORT_STATUS), V13, F_STD, 12, 72, EXACT, "OFPT_PORT_STATUS"},
    {T(PORT_STATUS), V14P, F_STD, 12, 48, ANY, "OFPT_PORT_STATUS"},
    {T(PACKET_OUT), V10, F_STD, 13, 8, ANY, "OFPT_PACKET_OUT"},
    {T(PACKET_OUT), V13 | V14, F_STD, 13, 16, ANY, "OFPT_PACKET_OUT"},
    {T(PACKET_OUT), V15, F_STD, 13, 8, ANY, "OFPT_PACKET_OUT"},
    {T(FLOW_MOD), V10, F_STD, 14, 64, ANY, "OFPT_FLOW_MOD"},
    {T(FLOW_MOD), V13P, F_STD, 14, 40, ANY, "OFPT_FLOW_MOD"},
    {T(GROUP_MOD), V13 | V14, F_STD, 15, 8, ANY, "OFPT_GROUP_MOD"},
    {T(GROUP_MOD), V15, F_STD, 15, 16, ANY, "OFPT_GROUP_MOD"},
    {T(PORT_MOD), V10, F_STD, 15, 24, EXACT, "OFPT_PORT_MOD"},
    {T(PORT_MOD), V13, F_STD, 16, 32, EXACT, "OFPT_PORT_MOD"},
    {T(PORT_MOD), V14P, F_STD, 16, 24, ANY, "OFPT_PORT_MOD"},
    {T(TABLE_MOD), V13, F_STD, 17, 8, EXACT, "OFPT_TABLE_MOD"},
    {T(TABLE_MOD), V14P, F_STD, 17, 8, ANY, "OFPT_TABLE_MOD"},
    {T(BARRIER_REQUEST), V10, F_STD, 18, 0, EXACT, "OFPT_BARRIER_REQUEST"},
    {T(BARRIER_REQUEST), V13P, F_STD, 20, 0, EXACT, "OFPT_BARRIER_REQUEST"},
    {T(BARRIER_REPLY), V10, F_STD, 19, 0, EXACT, "OFPT_BARRIER_REPLY"},
    {T(BARRIER_REPLY), V13P, F_STD, 21, 0, EXACT, "OFPT_BARRIER_REPLY"},
    {T(QUEUE_GET_CONFIG_REQUEST), V10, F_STD, 20, 4, EXACT,
     "OFPT_QUEUE_GET_CONFIG_REQUEST"},
    {T(QUEUE_GET_CONFIG_REQUEST), V13, F_STD, 22, 8, EXACT,
     "OFPT_QUEUE_GET_CONFIG_REQUEST"},
    {T(QUEUE_GET_CONFIG_REPLY), V10, F_STD, 21, 8, ANY,
     "OFPT_QUEUE_GET_CONFIG_REPLY"},
    {T(QUEUE_GET_CONFIG_REPLY), V13, F_STD, 23, 8, ANY,
     "OFPT_QUEUE_GET_CONFIG_REPLY"},
    {T(ROLE_REQUEST), V13P, F_STD, 24, 16, EXACT, "OFPT_ROLE_REQUEST"},
    {T(ROLE_REPLY), V13P, F_STD, 25, 16, EXACT, "OFPT_ROLE_REPLY"},
    {T(GET_ASYNC_REQUEST), V13P, F_STD, 26, 0, EXACT,
     "OFPT_GET_ASYNC_REQUEST"},
    {T(GET_ASYNC_REPLY), V13, F_STD, 27, 24, EXACT, "OFPT_GET_ASYNC_REPLY"},
    {T(GET_ASYNC_REPLY), V14P, F_STD, 27, 0, ANY, "OFPT_GET_ASYNC_REPLY"},
    {T(SET_ASYNC_CONFIG), V13, F_STD, 28, 24, EXACT, "OFPT_SET_ASYNC"},
    {T(SET_ASYNC_CONFIG), V14P, F_STD, 28, 0, ANY, "OFPT_SET_ASYNC"},
    {T(METER_MOD), V13P, F_STD, 29, 8, ANY, "OFPT_METER_MOD"},
    {T(ROLE_STATUS), V14P, F_STD, 30, 16, ANY, "OFPT_ROLE_STATUS"},
    {T(TABLE_STATUS), V14P, F_STD, 31, 16, ANY, "OFPT_TABLE_STATUS"},
    {T(REQUESTFORWARD), V14P, F_STD, 32, 8, ANY, "OFPT_REQUESTFORWARD"},
    {T(BUNDLE_CONTROL), V14P, F_STD, 33, 8, ANY, "OFPT_BUNDLE_CONTROL"},
    {T(BUNDLE_ADD_MESSAGE), V14P, F_STD, 34, 8, ANY,
     "OFPT_BUNDLE_ADD_MESSAGE"},

    /* ONF extensions that carry 1.4 features to 1.3. */
    {T(ROLE_STATUS), V13, F_ONFT, 1911, 16, ANY, "ONFT_ROLE_STATUS"},
    {T(NXT_FLOW_MONITOR_CANCEL), V13, F_ONFT, 1870, 4, EXACT,
     "ONFT_FLOW_MONITOR_CANCEL"},
    {T(NXT_FLOW_MONITOR_PAUSED), V13, F_ONFT, 1871, 0, EXACT,
     "ONFT_FLOW_MONITOR_PAUSED"},
    {T(NXT_FLOW_MONITOR_RESUMED), V13, F_ONFT, 1872, 0, EXACT,
     "ONFT_FLOW_MONITOR_RESUMED"},
    {T(BUNDLE_CONTROL), V13, F_ONFT, 2300, 8, ANY, "ONFT_BUNDLE_CONTROL"},
    {T(BUNDLE_ADD_MESSAGE), V13, F_ONFT, 2301, 8, ANY,
     "ONFT_BUNDLE_ADD_MESSAGE"},
    {T(REQUESTFORWARD), V13, F_ONFT, 2350, 8, ANY, "ONFT_REQUESTFORWARD"},

    /* Open vSwitch (Nicira) extension messages, in every version. */
    {T(NXT_ROLE_REQUEST), VALL, F_NXT, 10, 4, EXACT, "NXT_ROLE_REQUEST"},
    {T(NXT_ROLE_REPLY), VALL, F_NXT, 11, 4, EXACT, "NXT_ROLE_REPLY"},
    {T(NXT_SET_FLOW_FORMAT), VALL, F_NXT, 12, 4, EXACT,
     "NXT_SET_FLOW_FORMAT"},
    {T(NXT_FLOW_MOD), VALL, F_NXT, 13, 32, ANY, "NXT_FLOW_MOD"},
    {T(NXT_FLOW_REMOVED), VALL, F_NXT, 14, 40, ANY, "NXT_FLOW_REMOVED"},
    {T(NXT_FLOW_MOD_TABLE_ID), VALL, F_NXT, 15, 8, EXACT,
     "NXT_FLOW_MOD_TABLE_ID"},
    {T(NXT_SET_PACKET_IN_FORMAT), VALL, F_NXT, 16, 4, EXACT,
     "NXT_SET_PACKET_IN_FORMAT"},
    {T(NXT_PACKET_IN), VALL, F_NXT, 17, 24, ANY, "NXT_PACKET_IN"},
    {T(NXT_SET_ASYNC_CONFIG), VALL, F_NXT, 19, 24, EXACT,
     "NXT_SET_ASYNC_CONFIG"},
    {T(NXT_SET_CONTROLLER_ID), VALL, F_NXT, 20, 8, EXACT,
     "NXT_SET_CONTROLLER_ID"},
    {T(NXT_FLOW_MONITOR_CANCEL), VALL, F_NXT, 21, 4, EXACT,
     "NXT_FLOW_MONITOR_CANCEL"},
    {T(NXT_FLOW_MONITOR_PAUSED), VALL, F_NXT, 22, 0, EXACT,
     "NXT_FLOW_MONITOR_PAUSED"},
    {T(NXT_FLOW_MONITOR_RESUMED), VALL, F_NXT, 23, 0, EXACT,
     "NXT_FLOW_MONITOR_RESUMED"},
    {T(NXT_RESUME), VALL, F_NXT, 28, 0, ANY, "NXT_RESUME"},
    {T(NXT_CT_FLUSH_ZONE), VALL, F_NXT, 29, 8, EXACT, "NXT_CT_FLUSH_ZONE"},
    {T(NXT_PACKET_IN2), VALL, F_NXT, 30, 0, ANY, "NXT_PACKET_IN2"},
    {T(NXT_GROUP_MOD), VALL, F_NXT, 31, 16, ANY, "NXT_GROUP_MOD"},
    {T(NXT_CT_FLUSH), VALL, F_NXT, 32, 8, ANY, "NXT_CT_FLUSH"},
    {T(NXT_REQUESTFORWARD), VALL, F_NXT, 132, 8, ANY, "NXT_REQUESTFORWARD"},

    /* Statistics (1.0) and multipart (1.3+) messages. */
    {T(DESC_STATS_REQUEST), VALL, F_STATS_REQ, 0, 0, EXACT,
     "OFPST_DESC request"},
    {T(DESC_STATS_REPLY), VALL, F_STATS_REP, 0, 1056, EXACT,
     "OFPST_DESC reply"},
    {T(FLOW_STATS_REQUEST), V10, F_STATS_REQ, 1, 44, EXACT,
     "OFPST_FLOW request"},
    {T(FLOW_STATS_REQUEST), V13P, F_STATS_REQ, 1, 32, ANY,
     "OFPST_FLOW request"},
    {T(FLOW_STATS_REPLY), VALL, F_STATS_REP, 1, 0, ANY, "OFPST_FLOW reply"},
    {T(AGGREGATE_STATS_REQUEST), V10, F_STATS_REQ, 2, 44, EXACT,
     "OFPST_AGGREGATE request"},
    {T(AGGREGATE_STATS_REQUEST), V13P, F_STATS_REQ, 2, 32, ANY,
     "OFPST_AGGREGATE request"},
    {T(AGGREGATE_STATS_REPLY), V10 | V13 | V14, F_STATS_REP, 2, 24, EXACT,
     "OFPST_AGGREGATE reply"},
    {T(AGGREGATE_STATS_REPLY), V15, F_STATS_REP, 2, 0, ANY,
     "OFPST_AGGREGATE reply"},
    {T(TABLE_STATS_REQUEST), VALL, F_STATS_REQ, 3, 0, EXACT,
     "OFPST_TABLE request"},
    {T(TABLE_STATS_REPLY), V10, F_STATS_REP, 3, 0, 64, "OFPST_TABLE reply"},
    {T(TABLE_STATS_REPLY), V13P, F_STATS_REP, 3, 0, 24,
     "OFPST_TABLE reply"},
    {T(PORT_STATS_REQUEST), VALL, F_STATS_REQ, 4, 8, EXACT,
     "OFPST_PORT request"},
    {T(PORT_STATS_REPLY), V10, F_STATS_REP, 4, 0, 104, "OFPST_PORT reply"},
    {T(PORT_STATS_REPLY), V13, F_STATS_REP, 4, 0, 112, "OFPST_PORT reply"},
    {T(PORT_STATS_REPLY), V14P, F_STATS_REP, 4, 0, ANY, "OFPST_PORT reply"},
    {T(QUEUE_STATS_REQUEST), VALL, F_STATS_REQ, 5, 8, EXACT,
     "OFPST_QUEUE request"},
    {T(QUEUE_STATS_REPLY), V10, F_STATS_REP, 5, 0, 32, "OFPST_QUEUE reply"},
    {T(QUEUE_STATS_REPLY), V13, F_STATS_REP, 5, 0, 40, "OFPST_QUEUE reply"},
    {T(QUEUE_STATS_REPLY), V14P, F_STATS_REP, 5, 0, ANY,
     "OFPST_QUEUE reply"},
    {T(GROUP_STATS_REQUEST), V13P, F_STATS_REQ, 6, 8, EXACT,
     "OFPST_GROUP request"},
    {T(GROUP_STATS_REPLY), V13P, F_STATS_REP, 6, 0, ANY,
     "OFPST_GROUP reply"},
    {T(GROUP_DESC_STATS_REQUEST), V13 | V14, F_STATS_REQ, 7, 0, EXACT,
     "OFPST_GROUP_DESC request"},
    {T(GROUP_DESC_STATS_REQUEST), V15, F_STATS_REQ, 7, 8, EXACT,
     "OFPST_GROUP_DESC request"},
    {T(GROUP_DESC_STATS_REPLY), V13P, F_STATS_REP, 7, 0, ANY,
     "OFPST_GROUP_DESC reply"},
    {T(GROUP_FEATURES_STATS_REQUEST), V13P, F_STATS_REQ, 8, 0, EXACT,
     "OFPST_GROUP_FEATURES request"},
    {T(GROUP_FEATURES_STATS_REPLY), V13P, F_STATS_REP, 8, 40, EXACT,
     "OFPST_GROUP_FEATURES reply"},
    {T(METER_STATS_REQUEST), V13P, F_STATS_REQ, 9, 8, EXACT,
     "OFPST_METER request"},
    {T(METER_STATS_REPLY), V13P, F_STATS_REP, 9, 0, ANY,
     "OFPST_METER reply"},
    {T(METER_CONFIG_STATS_REQUEST), V13P, F_STATS_REQ, 10, 8, EXACT,
     "OFPST_METER_CONFIG request"},
    {T(METER_CONFIG_STATS_REPLY), V13P, F_STATS_REP, 10, 0, ANY,
     "OFPST_METER_CONFIG reply"},
    {T(METER_FEATURES_STATS_REQUEST), V13P, F_STATS_REQ, 11, 0, EXACT,
     "OFPST_METER_FEATURES request"},
    {T(METER_FEATURES_STATS_REPLY), V13P, F_STATS_REP, 11, 16, EXACT,
     "OFPST_METER_FEATURES reply"},
    {T(TABLE_FEATURES_STATS_REQUEST), V13P, F_STATS_REQ, 12, 0, ANY,
     "OFPST_TABLE_FEATURES request"},
    {T(TABLE_FEATURES_STATS_REPLY), V13P, F_STATS_REP, 12, 0, ANY,
     "OFPST_TABLE_FEATURES reply"},
    {T(PORT_DESC_STATS_REQUEST), V10 | V13 | V14, F_STATS_REQ, 13, 0, EXACT,
     "OFPST_PORT_DESC request"},
    {T(PORT_DESC_STATS_REQUEST), V15, F_STATS_REQ, 13, 8, EXACT,
     "OFPST_PORT_DESC request"},
    {T(PORT_DESC_STATS_REPLY), V10, F_STATS_REP, 13, 0, 48,
     "OFPST_PORT_DESC reply"},
    {T(PORT_DESC_STATS_REPLY), V13, F_STATS_REP, 13, 0, 64,
     "OFPST_PORT_DESC reply"},
    {T(PORT_DESC_STATS_REPLY), V14P, F_STATS_REP, 13, 0, ANY,
     "OFPST_PORT_DESC reply"},
    {T(QUEUE_DESC_STATS_REQUEST), V14P, F_STATS_REQ, 15, 8, EXACT,
     "OFPST_QUEUE_DESC request"},
    {T(QUEUE_DESC_STATS_REPLY), V14P, F_STATS_REP, 15, 0, ANY,
     "OFPST_QUEUE_DESC reply"},
    {T(FLOW_MONITOR_STATS_REQUEST), V14P, F_STATS_REQ, 16, 16, ANY,
     "OFPST_FLOW_MONITOR request"},
    {T(FLOW_MONITOR_STATS_REPLY), V14P, F_STATS_REP, 16, 0, ANY,
     "OFPST_FLOW_MONITOR reply"},
    {T(FLOW_MONITOR_STATS_REQUEST), V13, F_ONFST_REQ, 1870, 0, ANY,
     "ONFST_FLOW_MONITOR request"},
    {T(FLOW_MONITOR_STATS_REPLY), V13, F_ONFST_REP, 1870, 0, ANY,
     "ONFST_FLOW_MONITOR reply"},

    /* Open vSwitch extension statistics. */
    {T(NXST_FLOW_REQUEST), VALL, F_NXST_REQ, 0, 8, ANY, "NXST_FLOW request"},
    {T(NXST_FLOW_REPLY), VALL, F_NXST_REP, 0, 0, ANY, "NXST_FLOW reply"},
    {T(NXST_AGGREGATE_REQUEST), VALL, F_NXST_REQ, 1, 8, ANY,
     "NXST_AGGREGATE request"},
    {T(NXST_AGGREGATE_REPLY), VALL, F_NXST_REP, 1, 24, EXACT,
     "NXST_AGGREGATE reply"},
    {T(NXST_FLOW_MONITOR_REQUEST), VALL, F_NXST_REQ, 2, 0, ANY,
     "NXST_FLOW_MONITOR request"},
    {T(NXST_FLOW_MONITOR_REPLY), VALL, F_NXST_REP, 2, 0, ANY,
     "NXST_FLOW_MONITOR reply"},
    {T(NXST_IPFIX_BRIDGE_REQUEST), VALL, F_NXST_REQ, 3, 0, EXACT,
     "NXST_IPFIX_BRIDGE request"},
    {T(NXST_IPFIX_BRIDGE_REPLY), VALL, F_NXST_REP, 3, 0, 88,
     "NXST_IPFIX_BRIDGE reply"},
    {T(NXST_IPFIX_FLOW_REQUEST), VALL, F_NXST_REQ, 4, 0, EXACT,
     "NXST_IPFIX_FLOW request"},
    {T(NXST_IPFIX_FLOW_REPLY), VALL, F_NXST_REP, 4, 0, 88,
     "NXST_IPFIX_FLOW reply"},
    {T(GROUP_STATS_REQUEST), V10, F_NXST_REQ, 7, 8, EXACT,
     "NXST_GROUP request"},
    {T(GROUP_STATS_REPLY), V10, F_NXST_REP, 7, 0, ANY, "NXST_GROUP reply"},
    {T(GROUP_DESC_STATS_REQUEST), V10, F_NXST_REQ, 8, 8, EXACT,
     "NXST_GROUP_DESC request"},
    {T(GROUP_DESC_STATS_REPLY), V10, F_NXST_REP, 8, 0, ANY,
     "NXST_GROUP_DESC reply"},
    {T(GROUP_FEATURES_STATS_REQUEST), V10, F_NXST_REQ, 9, 0, EXACT,
     "NXST_GROUP_FEATURES request"},
    {T(GROUP_FEATURES_STATS_REPLY), V10, F_NXST_REP, 9, 40, EXACT,
     "NXST_GROUP_FEATURES reply"},
};
/* clang-format on */

/* ---- Versions. ---- */

static const char *const ofp_version_names[] = {
    [OFP10_VERSION] = "OpenFlow10", [OFP11_VERSION] = "OpenFlow11",
    [OFP12_VERSION] = "OpenFlow12", [OFP13_VERSION] = "OpenFlow13",
    [OFP14_VERSION] = "OpenFlow14", [OFP15_VERSION] = "OpenFlow15",
};

enum ofp_version
ofp_version_from_name(const char *name)
{
    for (size_t v = OFP10_VERSION; v < ARRAY_SIZE(ofp_version_names); v++) {
        if (!strcmp(name, ofp_version_names[v])) {
            return (enum ofp_version)v;
        }
    }
    return 0;
}

const char *
ofp_version_to_name(enum ofp_version version)
{
    return ((unsigned)version < ARRAY_SIZE(ofp_version_names)
                ? ofp_version_names[version]
                : NULL);
}

bool
ofp_versions_from_string(const char *s, uint32_t *bitmap)
{
    uint32_t result = 0;
    char *copy = xstrdup(s);
    char *save = NULL;
    bool ok = true;

    for (char *tok = strtok_r(copy, ", \t", &save); tok;
         tok = strtok_r(NULL, ", \t", &save)) {
        enum ofp_version v = ofp_version_from_name(tok);

        if (!v) {
            ok = false;
            break;
        }
        result |= 1u << v;
    }
    free(copy);
    if (ok) {
        *bitmap = result;
    }
    return ok;
}

/* ---- The table. ---- */

static bool
layout_has_version(const struct ofp_layout *l, unsigned version)
{
    return l->versions == VANY ||
           (version < 32 && (l->versions >> version) & 1);
}

/* The row framing 'type' in 'version', or NULL. */
static const struct ofp_layout *
layout_for_type(enum ofptype type, unsigned version)
{
    for (size_t i = 0; i < ARRAY_SIZE(ofp_layouts); i++) {
        const struct ofp_layout *l = &ofp_layouts[i];

        if (l->type == type && layout_has_version(l, version)) {
            return l;
        }
    }
    return NULL;
}

/* The row for a message recognised as ('framing', 'number') in 'version'. */
static const struct ofp_layout *
layout_for_wire(unsigned version, enum ofp_framing framing, uint32_t number)
{
    for (size_t i = 0; i < ARRAY_SIZE(ofp_layouts); i++) {
        const struct ofp_layout *l = &ofp_layouts[i];

        if (l->framing == framing && l->number == number &&
            layout_has_version(l, version)) {
            return l;
        }
    }
    return NULL;
}

const char *
ofptype_get_name(enum ofptype type, enum ofp_version version)
{
    const struct ofp_layout *l = layout_for_type(type, version);

    for (size_t i = 0; !l && i < ARRAY_SIZE(ofp_layouts); i++) {
        if (ofp_layouts[i].type == type) {
            l = &ofp_layouts[i];
        }
    }
    return l ? l->name : "<unknown message>";
}

static bool
framing_is_stats(enum ofp_framing f)
{
    return f != F_STD && f != F_NXT && f != F_ONFT;
}

static bool
framing_is_stats_reply(enum ofp_framing f)
{
    return f == F_STATS_REP || f == F_NXST_REP || f == F_ONFST_REP;
}

bool
ofptype_is_multipart(enum ofptype type)
{
    for (size_t i = 0; i < ARRAY_SIZE(ofp_layouts); i++) {
        if (ofp_layouts[i].type == type) {
            return framing_is_stats(ofp_layouts[i].framing);
        }
    }
    return false;
}

bool
ofptype_is_reply(enum ofptype type)
{
    for (size_t i = 0; i < ARRAY_SIZE(ofp_layouts); i++) {
        const struct ofp_layout *l = &ofp_layouts[i];

        if (l->type == type) {
            return (framing_is_stats_reply(l->framing) ||
                    strstr(l->name, "_REPLY") != NULL);
        }
    }
    return false;
}

/* ---- Decoding. ---- */

static uint16_t
get_be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
get_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}

static void
put_be16(uint8_t *p, uint16_t v)
{
    p[0] = v >> 8;
    p[1] = v & 0xff;
}

static bool
version_is_10(unsigned version)
{
    return version == OFP10_VERSION;
}

/* Whether the header type 'type' is a statistics/multipart message in
 * 'version', and if so whether it is a request ('*is_request'). */
static bool
header_is_stats(unsigned version, uint8_t type, bool *is_request)
{
    if (version_is_10(version)) {
        *is_request = type == OFPT10_STATS_REQUEST;
        return type == OFPT10_STATS_REQUEST || type == OFPT10_STATS_REPLY;
    }
    *is_request = type == OFPT13_MULTIPART_REQ;
    return type == OFPT13_MULTIPART_REQ || type == OFPT13_MULTIPART_REP;
}

/* Length of the statistics header after ofp_header in 'version'. */
static size_t
stats_header_len(unsigned version)
{
    return version_is_10(version) ? 4 : 8;
}

/* How the message is recognised: fills '*framing', '*number', '*hdr_len'
 * (bytes of all headers) and '*mp_flags'.  Returns 0 or an error when the
 * headers themselves are truncated or name an unknown experimenter. */
static enum ofperr
classify(const uint8_t *p, size_t len, enum ofp_framing *framing,
         uint32_t *number, size_t *hdr_len, uint16_t *mp_flags)
{
    unsigned version = p[0];
    uint8_t type = p[1];
    bool is_request;

    *mp_flags = 0;
    if (type == OFPT_VENDOR) {
        uint32_t id;

        if (len < 16) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        id = get_be32(p + 8);
        if (id != NX_VENDOR_ID && id != ONF_VENDOR_ID) {
            return OFPERR_OFPBRC_BAD_EXPERIMENTER;
        }
        *framing = id == NX_VENDOR_ID ? F_NXT : F_ONFT;
        *number = get_be32(p + 12);
        *hdr_len = 16;
    } else if (header_is_stats(version, type, &is_request)) {
        size_t sh = 8 + stats_header_len(version);
        uint16_t st;

        if (len < sh) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        st = get_be16(p + 8);
        *mp_flags = get_be16(p + 10);
        if (st == OFPST_VENDOR) {
            uint32_t id;

            if (len < 24) {
                return OFPERR_OFPBRC_BAD_LEN;
            }
            id = get_be32(p + sh);
            if (id == NX_VENDOR_ID) {
                *framing = is_request ? F_NXST_REQ : F_NXST_REP;
            } else if (id == ONF_VENDOR_ID) {
                *framing = is_request ? F_ONFST_REQ : F_ONFST_REP;
            } else {
                return OFPERR_OFPBRC_BAD_EXPERIMENTER;
            }
            *number = get_be32(p + sh + 4);
            *hdr_len = 24;
        } else {
            *framing = is_request ? F_STATS_REQ : F_STATS_REP;
            *number = st;
            *hdr_len = sh;
        }
    } else {
        *framing = F_STD;
        *number = type;
        *hdr_len = 8;
    }
    return 0;
}

/* The error for a message whose recognised ('framing', 'number') has no
 * row. */
static enum ofperr
unknown_kind_error(enum ofp_framing framing)
{
    switch (framing) {
    case F_STD:
        return OFPERR_OFPBRC_BAD_TYPE;
    case F_STATS_REQ:
    case F_STATS_REP:
        return OFPERR_OFPBRC_BAD_MULTIPART;
    case F_NXT:
    case F_ONFT:
    case F_NXST_REQ:
    case F_NXST_REP:
    case F_ONFST_REQ:
    case F_ONFST_REP:
    default:
        return OFPERR_OFPBRC_BAD_EXP_TYPE;
    }
}

/* Whether a body of 'n' bytes fits row 'l'. */
static bool
body_len_ok(const struct ofp_layout *l, size_t n)
{
    if (n < l->min) {
        return false;
    }
    switch (l->extra) {
    case EXACT:
        return n == l->min;
    case ANY:
        return true;
    default:
        return (n - l->min) % l->extra == 0;
    }
}

enum ofperr
ofp_msg_decode(const void *data, size_t len, struct ofp_msg *msg)
{
    const uint8_t *p = data;
    const struct ofp_layout *l;
    enum ofp_framing framing;
    uint32_t number;
    size_t hdr_len;
    uint16_t mp_flags;
    enum ofperr error;
    unsigned version;

    memset(msg, 0, sizeof *msg);
    if (!data || len < sizeof(struct ofp_header) || get_be16(p + 2) != len) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    version = p[0];
    if (p[1] == 0 || p[1] == 1) {
        /* HELLO and ERROR: the same in every version, even unknown ones. */
        framing = F_STD;
        number = p[1];
        hdr_len = 8;
        mp_flags = 0;
    } else if (version == OFP11_VERSION || version == OFP12_VERSION) {
        return OFPERR_OFPBRC_BAD_VERSION;
    } else if (version < OFP10_VERSION || version > OFP15_VERSION) {
        /* No OpenFlow version defines this message, as Open vSwitch
         * reports it. */
        return OFPERR_OFPBRC_BAD_TYPE;
    } else {
        error = classify(p, len, &framing, &number, &hdr_len, &mp_flags);
        if (error) {
            return error;
        }
    }

    l = layout_for_wire(version, framing, number);
    if (!l) {
        return unknown_kind_error(framing);
    }
    if (!body_len_ok(l, len - hdr_len)) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    msg->type = l->type;
    msg->version = version;
    msg->xid = get_be32(p + 4);
    msg->oh = data;
    msg->len = len;
    msg->body = p + hdr_len;
    msg->body_len = len - hdr_len;
    msg->mp_flags = mp_flags;
    return 0;
}

/* ---- Encoding. ---- */

struct ofpbuf *
ofp_msg_start(enum ofptype type, enum ofp_version version, uint32_t xid,
              size_t body_hint)
{
    const struct ofp_layout *l = layout_for_type(type, version);
    struct ofpbuf *b;
    uint8_t h[2];

    if (!l || version < OFP10_VERSION || version > OFP15_VERSION) {
        return NULL;
    }
    b = ofpbuf_new(24 + body_hint);
    h[0] = version;
    switch (l->framing) {
    case F_STD:
        h[1] = l->number;
        break;
    case F_NXT:
    case F_ONFT:
        h[1] = OFPT_VENDOR;
        break;
    case F_STATS_REQ:
    case F_NXST_REQ:
    case F_ONFST_REQ:
        h[1] = version_is_10(version) ? OFPT10_STATS_REQUEST
                                      : OFPT13_MULTIPART_REQ;
        break;
    case F_STATS_REP:
    case F_NXST_REP:
    case F_ONFST_REP:
    default:
        h[1] =
            version_is_10(version) ? OFPT10_STATS_REPLY : OFPT13_MULTIPART_REP;
        break;
    }
    ofpbuf_put(b, h, 2);
    ofpbuf_put_be16(b, 0);
    ofpbuf_put_be32(b, xid);

    switch (l->framing) {
    case F_STD:
        break;
    case F_NXT:
        ofpbuf_put_be32(b, NX_VENDOR_ID);
        ofpbuf_put_be32(b, l->number);
        break;
    case F_ONFT:
        ofpbuf_put_be32(b, ONF_VENDOR_ID);
        ofpbuf_put_be32(b, l->number);
        break;
    case F_STATS_REQ:
    case F_STATS_REP:
        ofpbuf_put_be16(b, l->number);
        ofpbuf_put_zeros(b, stats_header_len(version) - 2);
        break;
    case F_NXST_REQ:
    case F_NXST_REP:
    case F_ONFST_REQ:
    case F_ONFST_REP:
    default:
        ofpbuf_put_be16(b, OFPST_VENDOR);
        ofpbuf_put_zeros(b, stats_header_len(version) - 2);
        ofpbuf_put_be32(b,
                        (l->framing == F_NXST_REQ || l->framing == F_NXST_REP)
                            ? NX_VENDOR_ID
                            : ONF_VENDOR_ID);
        ofpbuf_put_be32(b, l->number);
        ofpbuf_put_zeros(b, 24 - b->size);
        break;
    }
    return b;
}

struct ofpbuf *
ofp_msg_start_reply(enum ofptype type, const struct ofp_msg *request,
                    size_t body_hint)
{
    return ofp_msg_start(type, request->version, request->xid, body_hint);
}

void
ofp_msg_finish(struct ofpbuf *b)
{
    if (b->size >= 4) {
        put_be16(b->data + 2, b->size > OFP_MAX_MSG_LEN ? 0 : b->size);
    }
}

size_t
ofp_msg_body_offset(const struct ofpbuf *b)
{
    enum ofp_framing framing;
    uint32_t number;
    size_t hdr_len;
    uint16_t flags;

    if (b->size < 8 || b->data[1] == 0 || b->data[1] == 1 ||
        classify(b->data, b->size, &framing, &number, &hdr_len, &flags)) {
        return MIN(b->size, 8);
    }
    return hdr_len;
}

uint32_t
ofp_msg_next_xid(void)
{
    static atomic_uint_least32_t next_xid = 1;

    return atomic_fetch_add_explicit(&next_xid, 1, memory_order_relaxed);
}

/* ---- Multipart replies. ---- */

void
ofp_mp_reply_start(struct ofp_mp_reply *mp, enum ofptype reply_type,
                   const struct ofp_msg *request)
{
    struct ofpbuf *b;

    mp->msgs = NULL;
    mp->n = 0;
    mp->type = reply_type;
    mp->version = request->version;
    mp->xid = request->xid;
    b = ofp_msg_start(reply_type, request->version, request->xid, 0);
    if (b) {
        mp->msgs = xmalloc(sizeof *mp->msgs);
        mp->msgs[mp->n++] = b;
    }
}

void
ofp_mp_reply_append(struct ofp_mp_reply *mp, const void *entry, size_t len)
{
    struct ofpbuf *last;

    if (!mp->n) {
        return;
    }
    last = mp->msgs[mp->n - 1];
    if (last->size + len > OFP_MAX_MSG_LEN &&
        last->size > ofp_msg_body_offset(last)) {
        struct ofpbuf *b = ofp_msg_start(mp->type, mp->version, mp->xid, 0);

        mp->msgs = xrealloc(mp->msgs, (mp->n + 1) * sizeof *mp->msgs);
        mp->msgs[mp->n++] = b;
        last = b;
    }
    ofpbuf_put(last, entry, len);
}

void
ofp_mp_reply_finish(struct ofp_mp_reply *mp, struct ofpbuf ***msgsp,
                    size_t *np)
{
    for (size_t i = 0; i < mp->n; i++) {
        struct ofpbuf *b = mp->msgs[i];

        ofp_msg_finish(b);
        if (i + 1 < mp->n && b->size >= 12) {
            b->data[11] |= OFPSF_REPLY_MORE;
        }
    }
    *msgsp = mp->msgs;
    *np = mp->n;
    mp->msgs = NULL;
    mp->n = 0;
}

/* ---- Hello. ---- */

#define OFPHET_VERSIONBITMAP 1

/* All versions from 1 up to 'version' (at most 31). */
static uint32_t
versions_up_to(unsigned version)
{
    return version >= 31 ? 0xfffffffeu : ((1u << (version + 1)) - 2);
}

uint32_t
ofp_hello_decode_versions(const struct ofp_msg *msg)
{
    struct ofp_reader r;
    uint32_t allowed = versions_up_to(msg->version);

    ofp_reader_init(&r, msg->body, msg->body_len);
    while (r.size >= 4) {
        const uint8_t *e = r.data;
        uint16_t type = get_be16(e);
        uint16_t elen = get_be16(e + 2);
        size_t padded = ROUND_UP((size_t)elen, 8);

        if (elen < 4 || elen > r.size) {
            break;
        }
        if (type == OFPHET_VERSIONBITMAP && elen >= 8) {
            /* Only the first word matters: Tern knows no version >= 32. */
            uint32_t bitmap = get_be32(e + 4) & ~1u;

            return bitmap ? bitmap : allowed;
        }
        if (!ofp_reader_pull(&r, MIN(padded, r.size))) {
            break;
        }
    }
    return allowed;
}

struct ofpbuf *
ofp_hello_encode(uint32_t bitmap, uint32_t xid)
{
    struct ofpbuf *b = ofpbuf_new(16);
    unsigned highest = OFP10_VERSION;
    uint8_t h[2];

    bitmap &= ~1u;
    for (unsigned v = 1; v < 32; v++) {
        if (bitmap & (1u << v)) {
            highest = v;
        }
    }
    h[0] = highest;
    h[1] = 0;
    ofpbuf_put(b, h, 2);
    ofpbuf_put_be16(b, 0);
    ofpbuf_put_be32(b, xid);
    if (highest >= OFP13_VERSION) {
        ofpbuf_put_be16(b, OFPHET_VERSIONBITMAP);
        ofpbuf_put_be16(b, 8);
        ofpbuf_put_be32(b, bitmap);
    }
    ofp_msg_finish(b);
    return b;
}

void
ofp_hello_decode(const struct ofp_msg *msg, struct ofp_hello *hello)
{
    hello->version = msg->version;
    hello->versions = ofp_hello_decode_versions(msg);
    hello->elements = msg->body;
    hello->elements_len = msg->body_len;
}

struct ofpbuf *
ofp_hello_encode_raw(const struct ofp_hello *hello, uint32_t xid)
{
    struct ofpbuf *b = ofpbuf_new(8 + hello->elements_len);
    uint8_t h[2] = {hello->version, 0};

    ofpbuf_put(b, h, 2);
    ofpbuf_put_be16(b, 0);
    ofpbuf_put_be32(b, xid);
    if (hello->elements_len) {
        ofpbuf_put(b, hello->elements, hello->elements_len);
    }
    ofp_msg_finish(b);
    return b;
}
