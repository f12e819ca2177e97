/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pinsched: the packet-in token bucket and its bounded queue (see
 * pinsched.h).  Tokens are kept in thousandths of a packet so that slow
 * rates refill smoothly at millisecond granularity.
 */
#include <config.h>

#include "ofproto/pinsched.h"

#include <stdlib.h>

#include "lib/util.h"

#define PINSCHED_UNIT 1000LL /* Tokens per packet-in. */

struct pinsched {
    int rate;           /* Per second; 0: unlimited. */
    long long capacity; /* burst * PINSCHED_UNIT. */
    long long tokens;
    long long last_fill; /* time_msec(). */
    struct ofpbuf *queue[PINSCHED_MAX_QUEUE];
    size_t head, n;
    struct pinsched_stats stats;
};

struct pinsched *
pinsched_create(int rate, int burst)
{
    struct pinsched *ps = xzalloc(sizeof *ps);

    pinsched_set_limits(ps, rate, burst);
    ps->tokens = ps->capacity;
    return ps;
}

void
pinsched_destroy(struct pinsched *ps)
{
    if (ps) {
        while (ps->n) {
            ofpbuf_delete(ps->queue[ps->head]);
            ps->head = (ps->head + 1) % PINSCHED_MAX_QUEUE;
            ps->n--;
        }
        free(ps);
    }
}

void
pinsched_set_limits(struct pinsched *ps, int rate, int burst)
{
    ps->rate = rate > 0 ? rate : 0;
    if (burst <= 0) {
        burst = MAX(ps->rate / 4, 1);
    }
    ps->capacity = burst * PINSCHED_UNIT;
    ps->tokens = MIN(ps->tokens, ps->capacity);
    ps->last_fill = time_msec();
}

static void
pinsched_refill__(struct pinsched *ps)
{
    long long now = time_msec();
    long long elapsed = now - ps->last_fill;

    if (elapsed > 0) {
        /* rate/s = rate * PINSCHED_UNIT / 1000 tokens per ms. */
        ps->tokens = MIN(ps->capacity, ps->tokens + elapsed * ps->rate);
        ps->last_fill = now;
    }
}

/* Takes one token if there is one. */
static bool
pinsched_take__(struct pinsched *ps)
{
    if (!ps->rate) {
        return true;
    }
    pinsched_refill__(ps);
    if (ps->tokens >= PINSCHED_UNIT) {
        ps->tokens -= PINSCHED_UNIT;
        return true;
    }
    return false;
}

void
pinsched_run(struct pinsched *ps, pinsched_send_cb *cb, void *aux)
{
    while (ps->n && pinsched_take__(ps)) {
        struct ofpbuf *msg = ps->queue[ps->head];
        ps->head = (ps->head + 1) % PINSCHED_MAX_QUEUE;
        ps->n--;
        cb(msg, aux);
    }
}

void
pinsched_send(struct pinsched *ps, struct ofpbuf *msg, pinsched_send_cb *cb,
              void *aux)
{
    pinsched_run(ps, cb, aux);
    if (!ps->n && pinsched_take__(ps)) {
        ps->stats.n_sent++;
        cb(msg, aux);
    } else if (ps->n < PINSCHED_MAX_QUEUE) {
        ps->stats.n_queued++;
        ps->queue[(ps->head + ps->n) % PINSCHED_MAX_QUEUE] = msg;
        ps->n++;
    } else {
        ps->stats.n_dropped++;
        ofpbuf_delete(msg);
    }
}

void
pinsched_wait(const struct pinsched *ps, int *timeout_ms)
{
    if (!ps->n || !ps->rate) {
        return;
    }
    long long missing = PINSCHED_UNIT - ps->tokens;
    long long now = time_msec();
    long long ready = ps->last_fill + DIV_ROUND_UP(missing, ps->rate);
    long long wait = ready > now ? ready - now : 0;

    if (*timeout_ms < 0 || wait < *timeout_ms) {
        *timeout_ms = (int)wait;
    }
}

void
pinsched_get_stats(const struct pinsched *ps, struct pinsched_stats *stats)
{
    *stats = ps->stats;
    stats->backlog = ps->n;
}
