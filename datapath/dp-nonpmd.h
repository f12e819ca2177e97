/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dp-nonpmd: rx queues that the main thread polls instead of a PMD thread.
 *
 * Some devices cost a system call per receive attempt and are nearly
 * always idle (the bridge's internal port, tap devices: their classes set
 * 'main_thread_rx' in lib/netdev-provider.h).  Polling them in every PMD
 * iteration would spend a large share of the PMDs' time on reads that
 * return nothing.  Their rx queues go instead into the poll list of the
 * datapath's main-thread dp_pmd: the main loop sleeps in poll() on their
 * file descriptors (dpif_poll_fds()) and, from dpif_run(), receives what
 * they hold and forwards it through the same pipeline as a PMD would
 * (dp_pmd_process() with the main thread's counters, no exact-match
 * cache, tx queue 0).
 *
 * Everything here runs on the main thread.
 */
#ifndef TERN_DP_NONPMD_H
#define TERN_DP_NONPMD_H 1

#include <stdbool.h>

struct dpif;
struct dp_port;
struct pollfd;

/* Whether the main thread, rather than a PMD, polls 'port''s rx queues. */
bool dp_nonpmd_port(const struct dp_port *);

/* Adds to 'pfds' (room for 'max') a POLLIN entry for every main-thread
 * rx queue of 'dp' that has a file descriptor, and lowers *timeout_ms to
 * 10 if one has none.  Returns the entries added. */
int dp_nonpmd_poll_fds(const struct dpif *, struct pollfd *pfds, int max,
                       int *timeout_ms);

/* Receives from the main-thread rx queues of 'dp' and forwards what
 * arrived: a few bursts per queue at most, so that a busy device cannot
 * starve the rest of the main loop (its fd stays readable, so the next
 * poll() returns at once). */
void dp_nonpmd_run(struct dpif *);

#endif /* TERN_DP_NONPMD_H */
