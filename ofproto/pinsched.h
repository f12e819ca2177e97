/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pinsched: rate limiting of packet-ins to one controller connection
 * (Controller controller_rate_limit / controller_burst_limit).
 *
 * A token bucket holds up to 'burst' packet-ins and refills at 'rate' per
 * second.  A packet-in offered while a token is available goes out at
 * once; otherwise it waits in a queue of at most PINSCHED_MAX_QUEUE
 * messages, released as tokens come back; beyond that it is dropped and
 * counted.  With no rate limit every packet-in goes out at once.
 *
 * Main thread only.
 */
#ifndef TERN_PINSCHED_H
#define TERN_PINSCHED_H 1

#include "lib/ofpbuf.h"

#define PINSCHED_MAX_QUEUE 100

struct pinsched;

/* Where released messages go: 'cb' takes ownership of 'msg'. */
typedef void pinsched_send_cb(struct ofpbuf *msg, void *aux);

/* 'rate' packet-ins per second (<= 0: unlimited), 'burst' tokens (<= 0:
 * rate / 4, at least 1). */
struct pinsched *pinsched_create(int rate, int burst);
/* Frees queued messages. */
void pinsched_destroy(struct pinsched *);
void pinsched_set_limits(struct pinsched *, int rate, int burst);

/* Offers 'msg' (taken over): sent through 'cb' now, queued, or dropped. */
void pinsched_send(struct pinsched *, struct ofpbuf *msg, pinsched_send_cb *cb,
                   void *aux);
/* Releases queued messages that tokens allow. */
void pinsched_run(struct pinsched *, pinsched_send_cb *cb, void *aux);
/* Lowers *timeout_ms to when the next queued message may go. */
void pinsched_wait(const struct pinsched *, int *timeout_ms);

struct pinsched_stats {
    unsigned long long n_sent;    /* Sent without waiting. */
    unsigned long long n_queued;  /* Delayed by the limit. */
    unsigned long long n_dropped; /* Queue full. */
    size_t backlog;               /* Waiting now. */
};
void pinsched_get_stats(const struct pinsched *, struct pinsched_stats *);

#endif /* TERN_PINSCHED_H */
