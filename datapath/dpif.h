/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dpif: the narrow interface between the slow path (dpctl today, ofproto
 * later) and the fast path.  A dpif is a datapath: a set of numbered ports
 * (netdevs), a table of cached megaflows (key, mask, actions, stats), and
 * threads that forward packets by that table.  Packets that match no cached
 * flow, and packets sent to DPA_USERSPACE, are handed to the upcall callback.
 *
 * Nothing above this header knows about PMD threads or caches; nothing below
 * it knows about OpenFlow.
 *
 * Threads.  All functions are main-thread functions unless stated
 * otherwise.  The upcall callback runs on the PMD thread that saw the packet
 * and must be thread-safe and non-blocking.
 *
 * Flows.  A megaflow is identified by its masked key and mask: putting a
 * flow whose (key & mask, mask) equals an installed flow's modifies that
 * flow.  Masks are widened to cover prerequisites
 * (flow_wildcards_add_prereqs()) on install, and keys are stored masked.
 * Overlapping megaflows with different masks are allowed (as in Open
 * vSwitch's datapath, the slow path must not create conflicting ones);
 * lookup then returns one of them.
 */
#ifndef TERN_DPIF_H
#define TERN_DPIF_H 1

#include "lib/dp-actions.h"
#include "lib/dp-packet.h"
#include "lib/smap.h"

struct dpif;
struct netdev;

#define DPIF_PORT_ANY  UINT32_MAX
#define DPIF_MAX_PORTS 1024

/* Creates datapath 'name' (e.g. "tern0").  Returns 0 or a positive errno
 * (EEXIST when a datapath of that name exists). */
int dpif_create(const char *name, struct dpif **dpifp);
/* Returns the datapath called 'name' or NULL. */
struct dpif *dpif_lookup(const char *name);
/* Stops its threads, removes its ports and flows, frees it. */
void dpif_destroy(struct dpif *);
const char *dpif_name(const struct dpif *);
/* Calls 'cb' for every datapath, in creation order. */
void dpif_for_each(void (*cb)(struct dpif *, void *aux), void *aux);

/* Datapath-wide configuration.  Keys: "pmd-cpu-mask" (hex CPU mask; empty
 * = one PMD on the highest-numbered CPU the process may use other than the
 * main thread's, CPU 0 on a one-CPU machine), "flow-limit"
 * (max cached flows, default 200000), "max-idle" (ms before an unused flow
 * is removed, default 10000), "emc-insert-inv-prob" (1/N chance that a
 * megaflow hit is inserted into the exact-match cache, default 100).
 * Returns 0, or EINVAL with a message in *errp (caller frees). */
int dpif_set_config(struct dpif *, const struct smap *cfg, char **errp);

/* Ports. */
struct dpif_port {
    char *name;
    char *type;
    uint32_t port_no;
};
/* Adds 'netdev' (the datapath takes ownership) as port *port_nop, or as the
 * lowest free number if *port_nop is DPIF_PORT_ANY; stores the number.
 * Rx queues are assigned to PMD threads (to the main thread for devices
 * whose class sets main_thread_rx, see dpif_poll_fds()).  Returns 0,
 * EEXIST (name or number taken), EFBIG (no free number, or *port_nop >=
 * DPIF_MAX_PORTS); on error the caller keeps the netdev. */
int dpif_port_add(struct dpif *, struct netdev *, uint32_t *port_nop);
/* Removes the port and closes its netdev once no PMD uses it.  Returns 0
 * or ENOENT. */
int dpif_port_del(struct dpif *, uint32_t port_no);
/* Lookups fill 'port' (caller frees with dpif_port_destroy()); return 0 or
 * ENOENT. */
int dpif_port_query_by_number(const struct dpif *, uint32_t port_no,
                              struct dpif_port *port);
int dpif_port_query_by_name(const struct dpif *, const char *name,
                            struct dpif_port *port);
void dpif_port_destroy(struct dpif_port *);
/* Calls 'cb' for each port in number order. */
void dpif_port_for_each(const struct dpif *,
                        void (*cb)(const struct dpif_port *, void *aux),
                        void *aux);
/* Returns the netdev of port 'port_no' or NULL (no reference taken). */
struct netdev *dpif_port_netdev(const struct dpif *, uint32_t port_no);

/* Flows. */
struct dpif_flow_stats {
    uint64_t n_packets;
    uint64_t n_bytes;
    long long used;     /* time_msec() of last hit, 0 if never. */
    uint16_t tcp_flags; /* OR of TCP flags seen. */
};

struct dpif_flow {
    struct flow key; /* Masked. */
    struct flow_wildcards mask;
    const void *actions;
    size_t actions_len;
    struct dpif_flow_stats stats;
};

enum dpif_flow_put_flags {
    DPIF_FP_CREATE = 1 << 0,     /* Allow creating a new flow. */
    DPIF_FP_MODIFY = 1 << 1,     /* Allow modifying an existing flow. */
    DPIF_FP_ZERO_STATS = 1 << 2, /* Zero stats of a modified flow. */
};

/* Installs or modifies a megaflow.  'mask' may be NULL for an exact match.
 * Returns 0; EEXIST (exists, MODIFY not set); ENOENT (absent, CREATE not
 * set); EINVAL (invalid actions, in_port not exact); E2BIG (flow limit).
 * If 'stats' is non-NULL it receives the old stats of a modified flow. */
int dpif_flow_put(struct dpif *, enum dpif_flow_put_flags flags,
                  const struct flow *key, const struct flow_wildcards *mask,
                  const void *actions, size_t actions_len,
                  struct dpif_flow_stats *stats);
/* Deletes the flow with the same masked key and mask ('mask' NULL: the
 * flow whose masked key equals 'key' under its own mask).  Returns 0 or
 * ENOENT; final stats in 'stats' if non-NULL. */
int dpif_flow_del(struct dpif *, const struct flow *key,
                  const struct flow_wildcards *mask,
                  struct dpif_flow_stats *stats);
/* Deletes every flow. */
void dpif_flow_flush(struct dpif *);
/* Calls 'cb' for each installed flow; the dpif_flow is valid during the
 * call only.  Flows must not be added or removed from 'cb'. */
void dpif_flow_dump(struct dpif *,
                    void (*cb)(const struct dpif_flow *, void *aux),
                    void *aux);
/* Finds the flow that a packet with 'key' would hit; copies it into
 * 'flow' with actions in the caller-owned *actionsp (free()).  Returns 0
 * or ENOENT. */
int dpif_flow_get(struct dpif *, const struct flow *key,
                  struct dpif_flow *flow, void **actionsp);

/* Runs 'actions' on 'packet' (taken over) as if it had arrived with its
 * metadata (in_port etc.).  Returns 0 or EINVAL (bad actions). */
int dpif_execute(struct dpif *, struct dp_packet *packet, const void *actions,
                 size_t actions_len);

/* Upcalls. */
enum dpif_upcall_type {
    DPIF_UC_MISS,   /* No cached flow matched. */
    DPIF_UC_ACTION, /* DPA_USERSPACE. */
};

struct dpif_upcall {
    enum dpif_upcall_type type;
    const struct dp_packet *packet; /* Do not keep: valid during the call. */
    const struct flow *key;         /* Extracted key of 'packet'. */
    uint32_t pid;                   /* DPA_USERSPACE only. */
    const void *userdata;           /* DPA_USERSPACE only. */
    size_t userdata_len;
};

/* Called on a PMD thread.  For DPIF_UC_MISS the callback may append the
 * actions for this packet to 'actions' and widen 'wc' (which starts as the
 * mask of the in_port and recirc_id) to every field its decision looked at,
 * and return 0: the datapath installs the megaflow (key & wc, wc, actions)
 * and runs the actions on the packet.  Returning a positive errno drops the
 * packet without installing anything.  For DPIF_UC_ACTION the return value,
 * 'actions' and 'wc' are ignored. */
typedef int dpif_upcall_cb(const struct dpif_upcall *,
                           struct dp_actions_buf *actions,
                           struct flow_wildcards *wc, void *aux);
/* Registers the callback (NULL: misses are counted and dropped). */
void dpif_register_upcall_cb(struct dpif *, dpif_upcall_cb *, void *aux);

/* Meters: token-bucket rate limiters that DPA_METER actions run packets
 * through.  A meter has up to DPIF_METER_MAX_BANDS bands, each with a rate
 * (kbps, or packets per second with 'pktps') and a burst (kilobits or
 * packets; with 'burst' false, one second's worth of the rate).  A packet
 * that exceeds the rate of one or more bands is handled by the band with
 * the highest such rate: DPIF_METER_BAND_DROP drops it,
 * DPIF_METER_BAND_DSCP_REMARK raises the drop precedence of its IP DSCP by
 * 'prec_level'.  Meter ids are below DPIF_METER_MAX. */
#define DPIF_METER_MAX       65536
#define DPIF_METER_MAX_BANDS 8

enum dpif_meter_band_type {
    DPIF_METER_BAND_DROP = 1,
    DPIF_METER_BAND_DSCP_REMARK = 2,
};

struct dpif_meter_band {
    enum dpif_meter_band_type type;
    uint32_t rate;      /* kbps or packets/s; non-zero. */
    uint32_t burst;     /* kilobits or packets; used when 'burst'. */
    uint8_t prec_level; /* DSCP remark only. */
};

struct dpif_meter_config {
    bool pktps; /* Rates in packets per second (else kbps). */
    bool burst; /* Use the bands' 'burst' (else one second of rate). */
    size_t n_bands;
    struct dpif_meter_band bands[DPIF_METER_MAX_BANDS];
};

struct dpif_meter_stats {
    uint64_t packets_in;
    uint64_t bytes_in;
    long long created; /* time_msec() of dpif_meter_set() creating it. */
    size_t n_bands;
    struct {
        uint64_t packets; /* Packets this band handled (over its rate). */
        uint64_t bytes;
    } bands[DPIF_METER_MAX_BANDS];
};

/* Creates or replaces meter 'meter_id' (a replaced meter keeps its
 * counters when its number of bands is unchanged, and starts with full
 * buckets).  Returns 0, or EINVAL (id out of range, no band, too many
 * bands, zero rate, unknown band type). */
int dpif_meter_set(struct dpif *, uint32_t meter_id,
                   const struct dpif_meter_config *);
/* Deletes meter 'meter_id'; its final counters go to 'stats' if non-NULL.
 * Returns 0 or ENOENT.  Packets already past the meter are unaffected. */
int dpif_meter_del(struct dpif *, uint32_t meter_id,
                   struct dpif_meter_stats *stats);
/* Reads the counters of meter 'meter_id'.  Returns 0 or ENOENT. */
int dpif_meter_get_stats(const struct dpif *, uint32_t meter_id,
                         struct dpif_meter_stats *);

/* Statistics. */
struct dpif_dp_stats {
    uint64_t n_hit;    /* Packets that hit a cached flow. */
    uint64_t n_missed; /* Packets that went to the upcall path. */
    uint64_t n_lost;   /* Upcalls that failed (no callback, error). */
    uint64_t n_flows;
    uint64_t n_masks; /* Megaflow subtables. */
    uint64_t n_mask_hit;
};
int dpif_get_stats(const struct dpif *, struct dpif_dp_stats *);

/* Waits until every PMD thread has passed a quiescent point, so that no
 * packet is being forwarded by a flow removed before the call.  Main thread;
 * returns once done (PMD threads never wait for it). */
void dpif_synchronize(struct dpif *);

/* Periodic main-thread work: expiring idle flows, freeing memory retired by
 * PMD readers. */
void dpif_run(void);

/* Main loop: adds to 'pfds' (room for 'max') what the main thread waits
 * for on behalf of the datapaths (readable rx queues of the ports that
 * PMD threads do not poll, which dpif_run() then serves) and may lower
 * *timeout_ms.  Returns the entries added. */
struct pollfd;
int dpif_poll_fds(struct pollfd *pfds, int max, int *timeout_ms);

/* Registers the dpif-netdev/ unixctl commands (pmd-stats-show,
 * pmd-perf-show, pmd-rxq-show, pmd-stats-clear).  Idempotent. */
void dpif_netdev_register_commands(void);

#endif /* TERN_DPIF_H */
