/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mac-learning: the MAC table behind the NORMAL action — which port a
 * (VLAN, Ethernet address) was last seen on.  One table per switch
 * (ofproto->ml).
 *
 * Entries age out 'idle_time' seconds after the address was last seen
 * (Bridge other_config:mac-aging-time, default 300) and the table holds at
 * most 'max_entries' of them (other_config:mac-table-size, default 8192):
 * learning a new address in a full table evicts the least recently seen
 * one.  An address seen on another port moves (counted as a move).
 *
 * Threads.  Every function may be called from any thread: the table has
 * its own mutex, held only for the duration of a call.  PMD threads learn
 * and look up during translation; the main thread ages, flushes and
 * prints.
 */
#ifndef TERN_MAC_LEARNING_H
#define TERN_MAC_LEARNING_H 1

#include "lib/packets.h"
#include "lib/smap.h"

struct ds;
struct mac_learning;

#define MAC_DEFAULT_IDLE_TIME   300 /* Seconds. */
#define MAC_DEFAULT_MAX_ENTRIES 8192
#define MAC_MIN_IDLE_TIME       15
#define MAC_MAX_IDLE_TIME       3600

/* Creates an empty table with the defaults; the caller owns it and frees
 * it with mac_learning_destroy(). */
struct mac_learning *mac_learning_create(void);
void mac_learning_destroy(struct mac_learning *);

/* Applies other_config:mac-aging-time and mac-table-size from 'cfg'
 * (missing or invalid keys: defaults).  Shrinking the size evicts the
 * oldest entries. */
void mac_learning_configure(struct mac_learning *, const struct smap *cfg);
void mac_learning_set_idle_time(struct mac_learning *, unsigned int seconds);
void mac_learning_set_max_entries(struct mac_learning *, size_t n);

/* Records that 'mac' was seen on 'port' in 'vlan' at 'now' (time_msec()).
 * Returns true if that changed where packets to 'mac' go (a new entry, or
 * a move to another port), false if it only refreshed the entry. */
bool mac_learning_learn(struct mac_learning *, struct eth_addr mac,
                        uint16_t vlan, uint32_t port, long long now);
/* Returns the port of 'mac' in 'vlan', or UINT32_MAX if unknown or aged
 * out at 'now'. */
uint32_t mac_learning_lookup(struct mac_learning *, struct eth_addr mac,
                             uint16_t vlan, long long now);
/* Removes entries idle since before 'now' - idle_time.  Returns how many
 * were removed. */
size_t mac_learning_expire(struct mac_learning *, long long now);
/* Removes every entry (fdb/flush); returns how many there were. */
size_t mac_learning_flush(struct mac_learning *);
/* Removes the entries that point to 'port' (port deleted or reconfigured).
 * Returns how many. */
size_t mac_learning_forget_port(struct mac_learning *, uint32_t port);
size_t mac_learning_count(struct mac_learning *);

struct mac_learning_stats {
    size_t n_entries, max_entries;
    uint64_t n_learned, n_expired, n_evicted, n_moved;
};
void mac_learning_get_stats(struct mac_learning *,
                            struct mac_learning_stats *);

/* Appends the fdb/show text (Open vSwitch's layout: " port  VLAN  MAC
 * Age" and one line per entry, oldest first).  'port_name' may return a
 * name for a port number (NULL: print the number; LOCAL is printed as
 * "LOCAL"). */
void mac_learning_format(struct mac_learning *,
                         const char *(*port_name)(uint32_t port, void *aux),
                         void *aux, long long now, struct ds *);
/* Appends the fdb/stats-show text for bridge 'name'. */
void mac_learning_format_stats(struct mac_learning *, const char *name,
                               struct ds *);

#endif /* TERN_MAC_LEARNING_H */
