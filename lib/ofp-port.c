/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofp-port: OpenFlow port messages on the wire.  Port descriptions come in
 * three layouts — 1.0's 48-byte ofp_phy_port (16-bit port numbers,
 * feature bits in their 1.0 positions, no speeds), 1.3's 64-byte ofp_port
 * and 1.4+'s ofp_port with an Ethernet property — that all decode into
 * 'struct ofp_phy_port' with 32-bit port numbers and 1.3 feature bits.
 * Around them: FEATURES_REPLY, PORT_STATUS, PORT_MOD, port and queue
 * statistics requests, port statistics, and the text `ovs-ofctl show`
 * prints for a port.  Framing is ofp-msgs' job; this file handles bodies.
 */
#include <config.h>

#include "lib/ofp-port.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "lib/util.h"

#define OFP10_PHY_PORT_LEN   48
#define OFP13_PORT_LEN       64
#define OFP14_PORT_LEN       40 /* Without properties. */
#define OFP14_PORT_ETH_PROP  32
#define OFP10_PORT_STATS_LEN 104
#define OFP13_PORT_STATS_LEN 112
#define OFP14_PORT_STATS_LEN 80 /* Without properties. */
#define OFP14_PORT_STATS_ETH 40

/* ---- Feature bits: 1.0 <-> 1.3 positions. ---- */

/* 1.0 puts COPPER, FIBER, AUTONEG, PAUSE, PAUSE_ASYM at bits 7-11; 1.3 at
 * bits 11-15 (and adds 40GB, 100GB, 1TB, OTHER at bits 7-10). */
static uint32_t
features_from_of10(uint32_t f)
{
    return (f & 0x7f) | ((f >> 7) & 0x1f) << 11;
}

static uint32_t
features_to_of10(uint32_t f)
{
    return (f & 0x7f) | ((f >> 11) & 0x1f) << 7;
}

/* Speed in kbps of the fastest rate in 1.3 feature bits 'f'. */
static uint32_t
features_speed(uint32_t f)
{
    static const uint32_t kbps[] = {
        10000,   10000,    100000,   100000,    1000000,
        1000000, 10000000, 40000000, 100000000, 1000000000,
    };
    uint32_t best = 0;

    for (size_t i = 0; i < ARRAY_SIZE(kbps); i++) {
        if (f & (1u << i)) {
            best = MAX(best, kbps[i]);
        }
    }
    return best;
}

/* ---- Little helpers. ---- */

static void
put_name(struct ofpbuf *b, const char *name, size_t size)
{
    char *p = ofpbuf_put_zeros(b, size);
    size_t n = strnlen(name, size - 1);

    memcpy(p, name, n);
}

static void
get_name(char *dst, const uint8_t *src, size_t size)
{
    memcpy(dst, src, size);
    dst[size - 1] = '\0';
}

static uint32_t
get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}

static uint16_t
get16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static uint64_t
get64(const uint8_t *p)
{
    return (uint64_t)get32(p) << 32 | get32(p + 4);
}

/* Pulls the next property from 'props': its type, its bytes and its
 * length (before padding to 8).  Returns 0 or OFPBPC_BAD_LEN. */
static enum ofperr
pull_prop(struct ofp_reader *props, uint16_t *type, const uint8_t **prop,
          uint16_t *plen)
{
    const uint8_t *p = props->data;
    size_t padded;

    if (props->size < 4) {
        return OFPERR_OFPBPC_BAD_LEN;
    }
    *type = get16(p);
    *plen = get16(p + 2);
    padded = ROUND_UP((size_t)*plen, 8);
    if (*plen < 4 || padded > props->size) {
        return OFPERR_OFPBPC_BAD_LEN;
    }
    *prop = p;
    ofp_reader_pull(props, padded);
    return 0;
}

/* ---- Port descriptions. ---- */

void
ofp_phy_port_append(const struct ofp_phy_port *pp, enum ofp_version version,
                    struct ofpbuf *b)
{
    if (version == OFP10_VERSION) {
        ofpbuf_put_be16(b, ofp_port_to_of10(pp->port_no));
        ofpbuf_put(b, pp->hw_addr.ea, ETH_ADDR_LEN);
        put_name(b, pp->name, sizeof pp->name);
        ofpbuf_put_be32(b, pp->config);
        /* 1.0 has LINK_DOWN and the STP state bits (8-9), no LIVE. */
        ofpbuf_put_be32(b, pp->state & (OFPPS_LINK_DOWN | 0x300u));
        ofpbuf_put_be32(b, features_to_of10(pp->curr));
        ofpbuf_put_be32(b, features_to_of10(pp->advertised));
        ofpbuf_put_be32(b, features_to_of10(pp->supported));
        ofpbuf_put_be32(b, features_to_of10(pp->peer));
        return;
    }
    ofpbuf_put_be32(b, pp->port_no);
    if (version >= OFP14_VERSION) {
        ofpbuf_put_be16(b, OFP14_PORT_LEN + OFP14_PORT_ETH_PROP);
        ofpbuf_put_zeros(b, 2);
    } else {
        ofpbuf_put_zeros(b, 4);
    }
    ofpbuf_put(b, pp->hw_addr.ea, ETH_ADDR_LEN);
    ofpbuf_put_zeros(b, 2);
    put_name(b, pp->name, sizeof pp->name);
    ofpbuf_put_be32(b, pp->config);
    ofpbuf_put_be32(b, pp->state);
    if (version >= OFP14_VERSION) {
        ofpbuf_put_be16(b, 0); /* OFPPDPT_ETHERNET. */
        ofpbuf_put_be16(b, OFP14_PORT_ETH_PROP);
        ofpbuf_put_zeros(b, 4);
    }
    ofpbuf_put_be32(b, pp->curr);
    ofpbuf_put_be32(b, pp->advertised);
    ofpbuf_put_be32(b, pp->supported);
    ofpbuf_put_be32(b, pp->peer);
    ofpbuf_put_be32(b, pp->curr_speed);
    ofpbuf_put_be32(b, pp->max_speed);
}

/* The six feature/speed words at 'p' into 'pp'. */
static void
get_features(struct ofp_phy_port *pp, const uint8_t *p)
{
    pp->curr = get32(p);
    pp->advertised = get32(p + 4);
    pp->supported = get32(p + 8);
    pp->peer = get32(p + 12);
    pp->curr_speed = get32(p + 16);
    pp->max_speed = get32(p + 20);
}

static int
decode_port14(struct ofp_reader *r, struct ofp_phy_port *pp)
{
    const uint8_t *p = r->data;
    uint16_t len;
    struct ofp_reader props;

    if (r->size < OFP14_PORT_LEN) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    len = get16(p + 4);
    if (len < OFP14_PORT_LEN || len > r->size || len % 8) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    ofp_reader_pull(r, len);
    pp->port_no = get32(p);
    memcpy(pp->hw_addr.ea, p + 8, ETH_ADDR_LEN);
    get_name(pp->name, p + 16, sizeof pp->name);
    pp->config = get32(p + 32);
    pp->state = get32(p + 36);

    ofp_reader_init(&props, p + OFP14_PORT_LEN, len - OFP14_PORT_LEN);
    while (props.size) {
        const uint8_t *prop;
        uint16_t type, plen;
        enum ofperr error = pull_prop(&props, &type, &prop, &plen);

        if (error) {
            return error;
        }
        if (type == 0) { /* OFPPDPT_ETHERNET. */
            if (plen != OFP14_PORT_ETH_PROP) {
                return OFPERR_OFPBPC_BAD_LEN;
            }
            get_features(pp, prop + 8);
        }
    }
    return 0;
}

int
ofp_phy_port_decode_next(struct ofp_reader *r, enum ofp_version version,
                         struct ofp_phy_port *pp)
{
    const uint8_t *p;

    if (!r->size) {
        return EOF;
    }
    memset(pp, 0, sizeof *pp);
    if (version >= OFP14_VERSION) {
        return decode_port14(r, pp);
    }
    if (version == OFP10_VERSION) {
        p = ofp_reader_pull(r, OFP10_PHY_PORT_LEN);
        if (!p) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        pp->port_no = ofp_port_from_of10(get16(p));
        memcpy(pp->hw_addr.ea, p + 2, ETH_ADDR_LEN);
        get_name(pp->name, p + 8, sizeof pp->name);
        pp->config = get32(p + 24);
        pp->state = get32(p + 28);
        pp->curr = features_from_of10(get32(p + 32));
        pp->advertised = features_from_of10(get32(p + 36));
        pp->supported = features_from_of10(get32(p + 40));
        pp->peer = features_from_of10(get32(p + 44));
        pp->curr_speed = features_speed(pp->curr);
        pp->max_speed = features_speed(pp->supported);
        return 0;
    }
    p = ofp_reader_pull(r, OFP13_PORT_LEN);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    pp->port_no = get32(p);
    memcpy(pp->hw_addr.ea, p + 8, ETH_ADDR_LEN);
    get_name(pp->name, p + 16, sizeof pp->name);
    pp->config = get32(p + 32);
    pp->state = get32(p + 36);
    get_features(pp, p + 40);
    return 0;
}

/* ---- FEATURES_REPLY. ---- */

struct ofpbuf *
ofp_features_reply_encode(const struct ofp_switch_features *f,
                          const struct ofp_phy_port *ports, size_t n_ports,
                          const struct ofp_msg *request)
{
    struct ofpbuf *b = ofp_msg_start_reply(OFPTYPE_FEATURES_REPLY, request,
                                           24 + n_ports * 48);
    uint8_t bytes[4] = {f->n_tables, 0, 0, 0};

    if (!b) {
        return NULL;
    }
    ofpbuf_put_be64(b, f->datapath_id);
    ofpbuf_put_be32(b, f->n_buffers);
    if (request->version != OFP10_VERSION) {
        bytes[1] = f->auxiliary_id;
    }
    ofpbuf_put(b, bytes, 4);
    ofpbuf_put_be32(b, f->capabilities);
    ofpbuf_put_be32(b, request->version == OFP10_VERSION ? f->actions : 0);
    if (request->version == OFP10_VERSION) {
        for (size_t i = 0; i < n_ports; i++) {
            ofp_phy_port_append(&ports[i], OFP10_VERSION, b);
        }
    }
    ofp_msg_finish(b);
    return b;
}

enum ofperr
ofp_features_reply_decode(const struct ofp_msg *msg,
                          struct ofp_switch_features *f,
                          struct ofp_reader *ports)
{
    const uint8_t *p = msg->body;

    if (msg->type != OFPTYPE_FEATURES_REPLY || msg->body_len < 24) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    memset(f, 0, sizeof *f);
    f->datapath_id = get64(p);
    f->n_buffers = get32(p + 8);
    f->n_tables = p[12];
    f->auxiliary_id = msg->version == OFP10_VERSION ? 0 : p[13];
    f->capabilities = get32(p + 16);
    f->actions = msg->version == OFP10_VERSION ? get32(p + 20) : 0;
    if (msg->version == OFP10_VERSION) {
        ofp_reader_init(ports, p + 24, msg->body_len - 24);
    } else {
        ofp_reader_init(ports, p + 24, 0);
    }
    return 0;
}

/* ---- PORT_STATUS. ---- */

struct ofpbuf *
ofp_port_status_encode(uint8_t reason, const struct ofp_phy_port *pp,
                       enum ofp_version version, uint32_t xid)
{
    struct ofpbuf *b = ofp_msg_start(OFPTYPE_PORT_STATUS, version, xid, 80);

    if (!b) {
        return NULL;
    }
    ofpbuf_put(b, &reason, 1);
    ofpbuf_put_zeros(b, 7);
    ofp_phy_port_append(pp, version, b);
    ofp_msg_finish(b);
    return b;
}

enum ofperr
ofp_port_status_decode(const struct ofp_msg *msg, uint8_t *reason,
                       struct ofp_phy_port *pp)
{
    struct ofp_reader r;
    int error;

    if (msg->type != OFPTYPE_PORT_STATUS || msg->body_len < 8) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    *reason = msg->body[0];
    ofp_reader_init(&r, msg->body + 8, msg->body_len - 8);
    error = ofp_phy_port_decode_next(&r, msg->version, pp);
    if (error == EOF || (!error && r.size)) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    return error;
}

/* ---- PORT_MOD. ---- */

enum ofperr
ofp_port_mod_decode(const struct ofp_msg *msg, struct ofp_port_mod *pm)
{
    const uint8_t *p = msg->body;

    if (msg->type != OFPTYPE_PORT_MOD) {
        return OFPERR_OFPBRC_BAD_TYPE;
    }
    memset(pm, 0, sizeof *pm);
    if (msg->version == OFP10_VERSION) {
        if (msg->body_len < 24) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        pm->port_no = ofp_port_from_of10(get16(p));
        memcpy(pm->hw_addr.ea, p + 2, ETH_ADDR_LEN);
        pm->config = get32(p + 8);
        pm->mask = get32(p + 12);
        pm->advertise = features_from_of10(get32(p + 16));
        return 0;
    }
    if (msg->body_len < 24) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    pm->port_no = get32(p);
    memcpy(pm->hw_addr.ea, p + 8, ETH_ADDR_LEN);
    pm->config = get32(p + 16);
    pm->mask = get32(p + 20);
    if (msg->version == OFP13_VERSION) {
        if (msg->body_len < 32) {
            return OFPERR_OFPBRC_BAD_LEN;
        }
        pm->advertise = get32(p + 24);
        return 0;
    }

    struct ofp_reader props;
    ofp_reader_init(&props, p + 24, msg->body_len - 24);
    while (props.size) {
        const uint8_t *prop;
        uint16_t type, plen;
        enum ofperr error = pull_prop(&props, &type, &prop, &plen);

        if (error) {
            return error;
        }
        if (type == 0) { /* OFPPMPT_ETHERNET. */
            if (plen != 8) {
                return OFPERR_OFPBPC_BAD_LEN;
            }
            pm->advertise = get32(prop + 4);
        }
    }
    return 0;
}

struct ofpbuf *
ofp_port_mod_encode(const struct ofp_port_mod *pm, enum ofp_version version,
                    uint32_t xid)
{
    struct ofpbuf *b = ofp_msg_start(OFPTYPE_PORT_MOD, version, xid, 32);

    if (!b) {
        return NULL;
    }
    if (version == OFP10_VERSION) {
        ofpbuf_put_be16(b, ofp_port_to_of10(pm->port_no));
        ofpbuf_put(b, pm->hw_addr.ea, ETH_ADDR_LEN);
        ofpbuf_put_be32(b, pm->config);
        ofpbuf_put_be32(b, pm->mask);
        ofpbuf_put_be32(b, features_to_of10(pm->advertise));
        ofpbuf_put_zeros(b, 4);
    } else {
        ofpbuf_put_be32(b, pm->port_no);
        ofpbuf_put_zeros(b, 4);
        ofpbuf_put(b, pm->hw_addr.ea, ETH_ADDR_LEN);
        ofpbuf_put_zeros(b, 2);
        ofpbuf_put_be32(b, pm->config);
        ofpbuf_put_be32(b, pm->mask);
        if (version == OFP13_VERSION) {
            ofpbuf_put_be32(b, pm->advertise);
            ofpbuf_put_zeros(b, 4);
        } else {
            ofpbuf_put_be16(b, 0); /* OFPPMPT_ETHERNET. */
            ofpbuf_put_be16(b, 8);
            ofpbuf_put_be32(b, pm->advertise);
        }
    }
    ofp_msg_finish(b);
    return b;
}

/* ---- Port and queue requests. ---- */

enum ofperr
ofp_port_request_decode(const struct ofp_msg *msg, uint32_t *port)
{
    if (msg->body_len == 0) {
        *port = OFPP_ANY; /* Port-desc request before 1.5. */
        return 0;
    }
    if (msg->body_len < 8) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    *port =
        (msg->version == OFP10_VERSION ? ofp_port_from_of10(get16(msg->body))
                                       : get32(msg->body));
    return 0;
}

struct ofpbuf *
ofp_port_request_encode(enum ofptype type, uint32_t port,
                        enum ofp_version version, uint32_t xid)
{
    struct ofpbuf *b = ofp_msg_start(type, version, xid, 8);

    if (!b) {
        return NULL;
    }
    if (type == OFPTYPE_PORT_STATS_REQUEST ||
        (type == OFPTYPE_PORT_DESC_STATS_REQUEST &&
         version >= OFP15_VERSION)) {
        if (version == OFP10_VERSION) {
            ofpbuf_put_be16(b, ofp_port_to_of10(port));
            ofpbuf_put_zeros(b, 6);
        } else {
            ofpbuf_put_be32(b, port);
            ofpbuf_put_zeros(b, 4);
        }
    }
    ofp_msg_finish(b);
    return b;
}

enum ofperr
ofp_queue_stats_request_decode(const struct ofp_msg *msg, uint32_t *port,
                               uint32_t *queue)
{
    if (msg->body_len < 8) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    if (msg->version == OFP10_VERSION) {
        *port = ofp_port_from_of10(get16(msg->body));
    } else {
        *port = get32(msg->body);
    }
    *queue = get32(msg->body + 4);
    return 0;
}

/* ---- Port statistics. ---- */

static void
put_counters(struct ofpbuf *b, const uint64_t *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        ofpbuf_put_be64(b, c[i]);
    }
}

void
ofp_port_stats_append(const struct ofp_port_stats *ps, struct ofp_mp_reply *mp)
{
    const uint64_t base[8] = {
        ps->rx_packets, ps->tx_packets, ps->rx_bytes,  ps->tx_bytes,
        ps->rx_dropped, ps->tx_dropped, ps->rx_errors, ps->tx_errors,
    };
    const uint64_t eth[4] = {ps->rx_frame_err, ps->rx_over_err, ps->rx_crc_err,
                             ps->collisions};
    struct ofpbuf b;

    ofpbuf_init(&b, OFP13_PORT_STATS_LEN + 8);
    if (mp->version >= OFP14_VERSION) {
        ofpbuf_put_be16(&b, OFP14_PORT_STATS_LEN + OFP14_PORT_STATS_ETH);
        ofpbuf_put_zeros(&b, 2);
        ofpbuf_put_be32(&b, ps->port_no);
        ofpbuf_put_be32(&b, ps->duration_sec);
        ofpbuf_put_be32(&b, ps->duration_nsec);
        put_counters(&b, base, 8);
        ofpbuf_put_be16(&b, 0); /* OFPPSPT_ETHERNET. */
        ofpbuf_put_be16(&b, OFP14_PORT_STATS_ETH);
        ofpbuf_put_zeros(&b, 4);
        put_counters(&b, eth, 4);
    } else {
        if (mp->version == OFP10_VERSION) {
            ofpbuf_put_be16(&b, ofp_port_to_of10(ps->port_no));
            ofpbuf_put_zeros(&b, 6);
        } else {
            ofpbuf_put_be32(&b, ps->port_no);
            ofpbuf_put_zeros(&b, 4);
        }
        put_counters(&b, base, 8);
        put_counters(&b, eth, 4);
        if (mp->version != OFP10_VERSION) {
            ofpbuf_put_be32(&b, ps->duration_sec);
            ofpbuf_put_be32(&b, ps->duration_nsec);
        }
    }
    ofp_mp_reply_append(mp, b.data, b.size);
    ofpbuf_uninit(&b);
}

/* Reads the eight base counters at 'p' into 'ps'. */
static void
get_base_counters(struct ofp_port_stats *ps, const uint8_t *p)
{
    ps->rx_packets = get64(p);
    ps->tx_packets = get64(p + 8);
    ps->rx_bytes = get64(p + 16);
    ps->tx_bytes = get64(p + 24);
    ps->rx_dropped = get64(p + 32);
    ps->tx_dropped = get64(p + 40);
    ps->rx_errors = get64(p + 48);
    ps->tx_errors = get64(p + 56);
}

static void
get_eth_counters(struct ofp_port_stats *ps, const uint8_t *p)
{
    ps->rx_frame_err = get64(p);
    ps->rx_over_err = get64(p + 8);
    ps->rx_crc_err = get64(p + 16);
    ps->collisions = get64(p + 24);
}

static int
decode_port_stats14(struct ofp_reader *r, struct ofp_port_stats *ps)
{
    const uint8_t *p = r->data;
    struct ofp_reader props;
    uint16_t len;

    if (r->size < OFP14_PORT_STATS_LEN) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    len = get16(p);
    if (len < OFP14_PORT_STATS_LEN || len > r->size) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    ofp_reader_pull(r, len);
    ps->port_no = get32(p + 4);
    ps->duration_sec = get32(p + 8);
    ps->duration_nsec = get32(p + 12);
    get_base_counters(ps, p + 16);
    ofp_reader_init(&props, p + OFP14_PORT_STATS_LEN,
                    len - OFP14_PORT_STATS_LEN);
    while (props.size) {
        const uint8_t *prop;
        uint16_t type, plen;
        enum ofperr error = pull_prop(&props, &type, &prop, &plen);

        if (error) {
            return error;
        }
        if (type == 0) { /* OFPPSPT_ETHERNET. */
            if (plen != OFP14_PORT_STATS_ETH) {
                return OFPERR_OFPBPC_BAD_LEN;
            }
            get_eth_counters(ps, prop + 8);
        }
    }
    return 0;
}

int
ofp_port_stats_decode_next(struct ofp_reader *r, enum ofp_version version,
                           struct ofp_port_stats *ps)
{
    const uint8_t *p;

    if (!r->size) {
        return EOF;
    }
    memset(ps, 0, sizeof *ps);
    if (version >= OFP14_VERSION) {
        return decode_port_stats14(r, ps);
    }
    p = ofp_reader_pull(r, version == OFP10_VERSION ? OFP10_PORT_STATS_LEN
                                                    : OFP13_PORT_STATS_LEN);
    if (!p) {
        return OFPERR_OFPBRC_BAD_LEN;
    }
    ps->port_no =
        (version == OFP10_VERSION ? ofp_port_from_of10(get16(p)) : get32(p));
    get_base_counters(ps, p + 8);
    get_eth_counters(ps, p + 72);
    if (version != OFP10_VERSION) {
        ps->duration_sec = get32(p + 104);
        ps->duration_nsec = get32(p + 108);
    }
    return 0;
}

/* ---- Text. ---- */

static const char *const reserved_port_names[] = {
    "IN_PORT", "TABLE", "NORMAL", "FLOOD", "ALL", "CONTROLLER", "LOCAL", "ANY",
};

static void
put_port_no(struct ds *s, uint32_t port)
{
    if (port >= OFPP_IN_PORT) {
        ds_put_cstr(s, reserved_port_names[port - OFPP_IN_PORT]);
    } else {
        ds_put_format(s, "%" PRIu32, port);
    }
}

/* Appends the names of the bits of 'bits' in 'names' (NULL: unnamed) or
 * "0" when none is set; unnamed set bits as 0x hex. */
static void
put_bits(struct ds *s, uint32_t bits, const char *const *names, size_t n)
{
    if (!bits) {
        ds_put_cstr(s, "0");
        return;
    }
    for (size_t i = 0; i < 32; i++) {
        uint32_t bit = 1u << i;

        if (!(bits & bit)) {
            continue;
        }
        if (i < n && names[i]) {
            ds_put_format(s, "%s ", names[i]);
        } else {
            ds_put_format(s, "0x%" PRIx32 " ", bit);
        }
    }
    ds_chomp(s, ' ');
}

static const char *const config_names[] = {
    "PORT_DOWN", "NO_STP", "NO_RECV",      "NO_RECV_STP",
    "NO_FLOOD",  "NO_FWD", "NO_PACKET_IN",
};
static const char *const state_names[] = {"LINK_DOWN", "BLOCKED", "LIVE"};
static const char *const feature_names[] = {
    "10MB-HD", "10MB-FD",  "100MB-HD",   "100MB-FD",        "1GB-HD", "1GB-FD",
    "10GB-FD", "40GB-FD",  "100GB-FD",   "1TB-FD",          "OTHER",  "COPPER",
    "FIBER",   "AUTO_NEG", "AUTO_PAUSE", "AUTO_PAUSE_ASYM",
};

static void
put_features_line(struct ds *s, const char *label, uint32_t f)
{
    if (f) {
        ds_put_format(s, "     %-12s", label);
        put_bits(s, f, feature_names, ARRAY_SIZE(feature_names));
        ds_put_char(s, '\n');
    }
}

void
ofp_phy_port_format(const struct ofp_phy_port *pp, struct ds *s)
{
    const uint8_t *ea = pp->hw_addr.ea;

    ds_put_char(s, ' ');
    put_port_no(s, pp->port_no);
    ds_put_format(s, "(%.*s): addr:%02x:%02x:%02x:%02x:%02x:%02x\n",
                  (int)strnlen(pp->name, sizeof pp->name), pp->name, ea[0],
                  ea[1], ea[2], ea[3], ea[4], ea[5]);
    ds_put_cstr(s, "     config:     ");
    put_bits(s, pp->config, config_names, ARRAY_SIZE(config_names));
    ds_put_cstr(s, "\n     state:      ");
    put_bits(s, pp->state, state_names, ARRAY_SIZE(state_names));
    ds_put_char(s, '\n');
    put_features_line(s, "current:", pp->curr);
    put_features_line(s, "advertised:", pp->advertised);
    put_features_line(s, "supported:", pp->supported);
    put_features_line(s, "peer:", pp->peer);
    ds_put_format(s,
                  "     speed: %" PRIu32 " Mbps now, %" PRIu32 " Mbps max\n",
                  pp->curr_speed / 1000, pp->max_speed / 1000);
}
