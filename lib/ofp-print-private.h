/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofp-print-private: what the two files of ofp-print share.  ofp-print.c
 * has the framework (header line, table of printers, hex dump) and the
 * printers of single messages; ofp-print-stats.c the printers and
 * re-encoders of multipart (statistics) requests and replies.  Each
 * printer appends to 's' after the header line and returns 0 or the
 * decoder's error; each re-encoder returns 0 with a new message in *out
 * (caller frees) or the decoder's error.
 */
#ifndef TERN_OFP_PRINT_PRIVATE_H
#define TERN_OFP_PRINT_PRIVATE_H 1

#include "lib/ofp-msgs.h"
#include "lib/ofp-port.h"
#include "lib/ofp-print.h"
#include "lib/util.h"

struct ds;
struct ofp_flow_removed;
struct ofp_packet_in;

/* What a printer needs besides the message. */
struct ofp_print_ctx {
    const struct ofp_port_names *names;
    int verbosity;
};

/* One row of the printer tables: how a kind's body prints and how it is
 * decoded and encoded again. */
typedef enum ofperr ofp_print_func(struct ds *, const struct ofp_msg *,
                                   const struct ofp_print_ctx *);
typedef enum ofperr ofp_reencode_func(const struct ofp_msg *,
                                      struct ofpbuf **);
struct ofp_printer {
    ofp_print_func *print;       /* NULL: the header line only. */
    ofp_reencode_func *reencode; /* NULL: no codec pair. */
};
/* The row of ofp-print-nx.c's table (Nicira extensions) for 'type'; a row
 * of NULLs if it has none.  Never NULL. */
const struct ofp_printer *ofp_print_nx_printer(enum ofptype);

/* Helpers in ofp-print.c. */
/* A frame as ovs-ofctl summarises it ("\ntcp,dl_vlan=...,tcp_csum:...").
 * 'data' is the caller's. */
void ofp_print_packet(struct ds *s, const void *data, size_t len);
/* "no_match", "action", ... for an OFPR_* reason. */
const char *ofp_print_packet_in_reason(uint8_t reason);
/* The parts of a packet-in that OpenFlow's PACKET_IN and Open vSwitch's
 * NXT_PACKET_IN, NXT_PACKET_IN2 and NXT_RESUME print alike ('pin' is the
 * caller's): the head (" table_id=N cookie=0xN" when 'ids', then
 * " total_len=N "), the reason and buffer after the match, and the frame
 * (verbosity 1 on; with 'hex', its hex dump from verbosity 3 on). */
void ofp_print_packet_in_head(struct ds *s, const struct ofp_packet_in *pin,
                              bool ids);
void ofp_print_packet_in_via(struct ds *s, const struct ofp_packet_in *pin);
void ofp_print_packet_in_data(struct ds *s, const struct ofp_packet_in *pin,
                              const struct ofp_print_ctx *ctx, bool hex);
/* What FLOW_REMOVED and NXT_FLOW_REMOVED print after the reason (and table):
 * cookie, duration, timeouts, counters.  'fr' is the caller's. */
void ofp_print_flow_removed_stats(struct ds *s,
                                  const struct ofp_flow_removed *fr);
int ofp_print_decode_ports(struct ofp_reader *r, enum ofp_version v,
                           struct ofp_phy_port **portsp, size_t *np);
struct ofp_msg ofp_print_fake_request(const struct ofp_msg *msg,
                                      enum ofptype request_type);
void ofp_print_duration(struct ds *s, uint32_t sec, uint32_t nsec);
/* The body of a flow mod as ovs-ofctl prints it (" ADD priority=...
 * actions=..."). */
struct ofp_flow_mod;
void ofp_print_put_flow_mod(struct ds *s, const struct ofp_flow_mod *fm,
                            enum ofp_version version,
                            const struct ofp_print_ctx *ctx);
void ofp_print_port(struct ds *s, uint32_t port,
                    const struct ofp_print_ctx *ctx);
void ofp_print_ports(struct ds *s, struct ofp_phy_port *ports, size_t n);

/* Re-encodes a multipart reply whose entries 'next' decodes (0, EOF at
 * the end, or an error) and 'append' appends, through one scratch entry
 * of 'size' bytes; the reply is started as an answer to a request of
 * 'request_type'. */
typedef int mp_next_func(struct ofp_reader *, const struct ofp_msg *,
                         void *entry, struct ofpbuf *scratch);
typedef void mp_append_func(const void *entry, struct ofp_mp_reply *);
enum ofperr ofp_print_reencode_mp_reply(const struct ofp_msg *msg,
                                        enum ofptype request_type,
                                        mp_next_func *next,
                                        mp_append_func *append, size_t size,
                                        struct ofpbuf **out);
/* Prints the entries of a flow statistics reply (OFPST_FLOW or
 * NXST_FLOW) as ovs-ofctl does, one a line: 'next' decodes each into
 * 'entry' (the caller's scratch), of which 'fs' is the flow statistics
 * part.  Returns 0 or the decoder's error. */
struct ofp_flow_stats;
enum ofperr ofp_print_flow_entries(struct ds *s, const struct ofp_msg *msg,
                                   const struct ofp_print_ctx *ctx,
                                   mp_next_func *next, void *entry,
                                   const struct ofp_flow_stats *fs);
/* Defines static PREFIX_next() and PREFIX_append() for
 * ofp_print_reencode_mp_reply() over entries that DECODE(reader, entry)
 * reads (0, EOF or an error) and APPEND(entry, mp) appends, for the
 * families whose entries depend on neither the version nor the scratch. */
#define OFP_PRINT_MP_ENTRY(PREFIX, DECODE, APPEND)                            \
    static int PREFIX##_next(struct ofp_reader *r,                            \
                             const struct ofp_msg *msg TERN_UNUSED, void *e,  \
                             struct ofpbuf *scratch TERN_UNUSED)              \
    {                                                                         \
        return DECODE(r, e);                                                  \
    }                                                                         \
    static void PREFIX##_append(const void *e, struct ofp_mp_reply *mp)       \
    {                                                                         \
        APPEND(e, mp);                                                        \
    }

/* Printers and re-encoders in ofp-print-more.c: queues, bundles, flow
 * monitors, request forwarding and the small Nicira extensions. */
enum ofperr ofp_print_queue_stats_reply(struct ds *s,
                                        const struct ofp_msg *msg,
                                        const struct ofp_print_ctx *ctx);
enum ofperr ofp_print_queue_config_reply(struct ds *s,
                                         const struct ofp_msg *msg,
                                         const struct ofp_print_ctx *ctx);
enum ofperr ofp_print_reencode_queue_request(const struct ofp_msg *msg,
                                             struct ofpbuf **out);
enum ofperr ofp_print_reencode_queue_stats_reply(const struct ofp_msg *msg,
                                                 struct ofpbuf **out);
enum ofperr ofp_print_reencode_queue_config_request(const struct ofp_msg *msg,
                                                    struct ofpbuf **out);
enum ofperr ofp_print_reencode_queue_config_reply(const struct ofp_msg *msg,
                                                  struct ofpbuf **out);

enum ofperr ofp_print_bundle_ctrl(struct ds *s, const struct ofp_msg *msg,
                                  const struct ofp_print_ctx *ctx);
enum ofperr ofp_reencode_bundle_ctrl(const struct ofp_msg *msg,
                                     struct ofpbuf **out);
enum ofperr ofp_print_bundle_add(struct ds *s, const struct ofp_msg *msg,
                                 const struct ofp_print_ctx *ctx);
enum ofperr ofp_reencode_bundle_add(const struct ofp_msg *msg,
                                    struct ofpbuf **out);
enum ofperr ofp_print_nx_value(struct ds *s, const struct ofp_msg *msg,
                               const struct ofp_print_ctx *ctx);
enum ofperr ofp_print_reencode_nx_value(const struct ofp_msg *msg,
                                        struct ofpbuf **out);

/* Multipart printers and re-encoders in ofp-print-stats.c. */
enum ofperr ofp_print_aggregate_reply(struct ds *s, const struct ofp_msg *msg,
                                      const struct ofp_print_ctx *ctx);
enum ofperr ofp_print_desc_reply(struct ds *s, const struct ofp_msg *msg,
                                 const struct ofp_print_ctx *ctx);
enum ofperr ofp_print_flow_stats_reply(struct ds *s, const struct ofp_msg *msg,
                                       const struct ofp_print_ctx *ctx);
enum ofperr ofp_print_flow_stats_request(struct ds *s,
                                         const struct ofp_msg *msg,
                                         const struct ofp_print_ctx *ctx);
enum ofperr ofp_print_group_desc_reply(struct ds *s, const struct ofp_msg *msg,
                                       const struct ofp_print_ctx *ctx);
enum ofperr ofp_print_group_request(struct ds *s, const struct ofp_msg *msg,
                                    const struct ofp_print_ctx *ctx);
enum ofperr ofp_print_group_stats_reply(struct ds *s,
                                        const struct ofp_msg *msg,
                                        const struct ofp_print_ctx *ctx);
/* "idle", "hard", "delete", ... for an OFPRR_* reason. */
const char *ofp_print_flow_removed_reason(uint8_t reason);
enum ofperr ofp_print_flow_monitor_request(struct ds *s,
                                           const struct ofp_msg *msg,
                                           const struct ofp_print_ctx *ctx);
enum ofperr ofp_print_reencode_flow_monitor_request(const struct ofp_msg *msg,
                                                    struct ofpbuf **out);
enum ofperr ofp_print_flow_monitor_reply(struct ds *s,
                                         const struct ofp_msg *msg,
                                         const struct ofp_print_ctx *ctx);
enum ofperr ofp_print_reencode_flow_monitor_reply(const struct ofp_msg *msg,
                                                  struct ofpbuf **out);
enum ofperr ofp_print_reencode_group_stats_reply(const struct ofp_msg *msg,
                                                 struct ofpbuf **out);
enum ofperr ofp_print_reencode_table_features_reply(const struct ofp_msg *msg,
                                                    struct ofpbuf **out);
enum ofperr ofp_print_meter_config_reply(struct ds *s,
                                         const struct ofp_msg *msg,
                                         const struct ofp_print_ctx *ctx);
enum ofperr ofp_print_meter_features_reply(struct ds *s,
                                           const struct ofp_msg *msg,
                                           const struct ofp_print_ctx *ctx);
enum ofperr ofp_print_meter_request(struct ds *s, const struct ofp_msg *msg,
                                    const struct ofp_print_ctx *ctx);
enum ofperr ofp_print_meter_stats_reply(struct ds *s,
                                        const struct ofp_msg *msg,
                                        const struct ofp_print_ctx *ctx);
enum ofperr ofp_print_port_desc_reply(struct ds *s, const struct ofp_msg *msg,
                                      const struct ofp_print_ctx *ctx);
enum ofperr ofp_print_port_request(struct ds *s, const struct ofp_msg *msg,
                                   const struct ofp_print_ctx *ctx);
enum ofperr ofp_print_port_stats_reply(struct ds *s, const struct ofp_msg *msg,
                                       const struct ofp_print_ctx *ctx);
enum ofperr
ofp_print_queue_get_config_request(struct ds *s, const struct ofp_msg *msg,
                                   const struct ofp_print_ctx *ctx);
enum ofperr ofp_print_queue_stats_request(struct ds *s,
                                          const struct ofp_msg *msg,
                                          const struct ofp_print_ctx *ctx);
enum ofperr ofp_print_table_stats_reply(struct ds *s,
                                        const struct ofp_msg *msg,
                                        const struct ofp_print_ctx *ctx);
enum ofperr ofp_print_reencode_aggregate_reply(const struct ofp_msg *msg,
                                               struct ofpbuf **out);
enum ofperr ofp_print_reencode_desc_reply(const struct ofp_msg *msg,
                                          struct ofpbuf **out);
enum ofperr ofp_print_reencode_flow_stats_reply(const struct ofp_msg *msg,
                                                struct ofpbuf **out);
enum ofperr ofp_print_reencode_flow_stats_request(const struct ofp_msg *msg,
                                                  struct ofpbuf **out);
enum ofperr ofp_print_reencode_group_desc_reply(const struct ofp_msg *msg,
                                                struct ofpbuf **out);
enum ofperr ofp_print_reencode_group_request(const struct ofp_msg *msg,
                                             struct ofpbuf **out);
enum ofperr ofp_print_reencode_meter_config_reply(const struct ofp_msg *msg,
                                                  struct ofpbuf **out);
enum ofperr ofp_print_reencode_meter_features_reply(const struct ofp_msg *msg,
                                                    struct ofpbuf **out);
enum ofperr ofp_print_reencode_meter_request(const struct ofp_msg *msg,
                                             struct ofpbuf **out);
enum ofperr ofp_print_reencode_meter_stats_reply(const struct ofp_msg *msg,
                                                 struct ofpbuf **out);
enum ofperr ofp_print_reencode_port_desc_reply(const struct ofp_msg *msg,
                                               struct ofpbuf **out);
enum ofperr ofp_print_reencode_port_request(const struct ofp_msg *msg,
                                            struct ofpbuf **out);
enum ofperr ofp_print_reencode_port_stats_reply(const struct ofp_msg *msg,
                                                struct ofpbuf **out);
enum ofperr ofp_print_reencode_table_stats_reply(const struct ofp_msg *msg,
                                                 struct ofpbuf **out);

#endif /* TERN_OFP_PRINT_PRIVATE_H */
