/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofp-port: OpenFlow ports on the wire — port descriptions (1.0's 48-byte
 * ofp_phy_port, 1.3's 64-byte ofp_port, 1.4+ with properties), PORT_STATUS,
 * PORT_MOD, port statistics, queue statistics and queue configuration —
 * and ovs-ofctl's text for them.
 *
 * Thread safety: pure functions.
 */
#ifndef TERN_OFP_PORT_H
#define TERN_OFP_PORT_H 1

#include "lib/ofp-actions.h"
#include "lib/ofp-msgs.h"
#include "lib/packets.h"

struct ds;

/* Port config and state bits, in their 1.3 values (1.0 differs only in
 * bits Tern reports as 0; ofp-port.c converts). */
#define OFPPC_PORT_DOWN    (1u << 0)
#define OFPPC_NO_RECV      (1u << 2)
#define OFPPC_NO_FWD       (1u << 5)
#define OFPPC_NO_PACKET_IN (1u << 6)
#define OFPPS_LINK_DOWN    (1u << 0)
#define OFPPS_BLOCKED      (1u << 1)
#define OFPPS_LIVE         (1u << 2)
/* Features (speeds): OFPPF_10GB_FD = 1 << 6 in 1.3, 1 << ? in 1.0;
 * ofp-port.c converts. */
#define OFPPF_10GB_FD (1u << 6)
#define OFPPF_COPPER  (1u << 11)

struct ofp_phy_port {
    uint32_t port_no;
    struct eth_addr hw_addr;
    char name[16];
    uint32_t config, state;
    uint32_t curr, advertised, supported, peer; /* 1.3 bit values. */
    uint32_t curr_speed, max_speed;             /* kbps. */
};
void ofp_phy_port_append(const struct ofp_phy_port *, enum ofp_version,
                         struct ofpbuf *);
/* Decodes the next port description from 'r'; 0, EOF or an error. */
int ofp_phy_port_decode_next(struct ofp_reader *, enum ofp_version,
                             struct ofp_phy_port *);

/* Features reply carries the ports in 1.0 only. */
struct ofp_switch_features {
    uint64_t datapath_id;
    uint32_t n_buffers;
    uint8_t n_tables;
    uint8_t auxiliary_id;
    uint32_t capabilities; /* OFPC_* */
    uint32_t actions;      /* 1.0 supported actions bitmap. */
};
#define OFPC_FLOW_STATS  (1u << 0)
#define OFPC_TABLE_STATS (1u << 1)
#define OFPC_PORT_STATS  (1u << 2)
#define OFPC_GROUP_STATS (1u << 3)
#define OFPC_QUEUE_STATS (1u << 6)
struct ofpbuf *ofp_features_reply_encode(const struct ofp_switch_features *,
                                         const struct ofp_phy_port *ports,
                                         size_t n_ports,
                                         const struct ofp_msg *request);
enum ofperr ofp_features_reply_decode(const struct ofp_msg *,
                                      struct ofp_switch_features *,
                                      struct ofp_reader *ports);

enum ofp_port_reason {
    OFPPR_ADD = 0,
    OFPPR_DELETE = 1,
    OFPPR_MODIFY = 2,
};
struct ofpbuf *ofp_port_status_encode(uint8_t reason,
                                      const struct ofp_phy_port *,
                                      enum ofp_version, uint32_t xid);
enum ofperr ofp_port_status_decode(const struct ofp_msg *, uint8_t *reason,
                                   struct ofp_phy_port *);

struct ofp_port_mod {
    uint32_t port_no;
    struct eth_addr hw_addr;
    uint32_t config, mask;
    uint32_t advertise; /* 0: unchanged. */
};
enum ofperr ofp_port_mod_decode(const struct ofp_msg *, struct ofp_port_mod *);
struct ofpbuf *ofp_port_mod_encode(const struct ofp_port_mod *,
                                   enum ofp_version, uint32_t xid);

/* Port stats and port-desc requests carry a port (OFPP_ANY for all). */
enum ofperr ofp_port_request_decode(const struct ofp_msg *, uint32_t *port);
struct ofpbuf *ofp_port_request_encode(enum ofptype, uint32_t port,
                                       enum ofp_version, uint32_t xid);

struct ofp_port_stats {
    uint32_t port_no;
    uint64_t rx_packets, tx_packets, rx_bytes, tx_bytes;
    uint64_t rx_dropped, tx_dropped, rx_errors, tx_errors;
    uint64_t rx_frame_err, rx_over_err, rx_crc_err, collisions;
    uint32_t duration_sec, duration_nsec;
};
void ofp_port_stats_append(const struct ofp_port_stats *,
                           struct ofp_mp_reply *);
int ofp_port_stats_decode_next(struct ofp_reader *, enum ofp_version,
                               struct ofp_port_stats *);

/* Queue stats request (port, queue) and an empty-capable reply: Tern has
 * no queues; the request is answered with no entries or, for a specific
 * port/queue that does not exist, OFPQOFC_BAD_QUEUE. */
enum ofperr ofp_queue_stats_request_decode(const struct ofp_msg *,
                                           uint32_t *port, uint32_t *queue);

/* ovs-ofctl's text of a port description (the "show" lines). */
void ofp_phy_port_format(const struct ofp_phy_port *, struct ds *);

#endif /* TERN_OFP_PORT_H */
