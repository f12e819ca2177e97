/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rcu: quiescent-state-based reclamation (see rcu.h) on top of DPDK's
 * rte_rcu_qsbr.  This file is the only place that talks to rte_rcu_qsbr;
 * the classifier, the datapath's flow tables and the PMD threads use the
 * rcu_*() calls.
 *
 * The QSBR variable lives in plain cache-aligned memory: rte_rcu_qsbr_init()
 * and the inline reader/writer functions need neither the EAL nor hugepages,
 * so unit tests use RCU without starting DPDK.
 *
 * Reader ids (0 .. RCU_MAX_READERS - 1) come from a bitmap under
 * 'rcu_mutex'; each reader thread keeps its id in a thread-local variable.
 *
 * Deferred callbacks.  rcu_postpone() appends (callback, argument) to the
 * 'pending' vector.  rcu_run() turns the pending vector into a batch stamped
 * with a fresh token from rte_rcu_qsbr_start(), so one token covers every
 * callback postponed since the previous rcu_run() (the token is taken after
 * the objects were unlinked, which is all a grace period needs).  Batches
 * wait in a FIFO; tokens grow monotonically, so a batch is ready only if all
 * older ones are, and rcu_run() stops at the first one whose token some
 * online reader has not yet acknowledged.
 */
#include <config.h>

#include "lib/rcu.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include <rte_rcu_qsbr.h>

#include "lib/vlog.h"

VLOG_DEFINE_THIS_MODULE(rcu);

#define RCU_NO_READER UINT32_MAX
#define RCU_ID_WORDS  DIV_ROUND_UP(RCU_MAX_READERS, 64)

struct rcu_cb {
    void (*cb)(void *arg);
    void *arg;
};

/* Callbacks that wait for the readers to acknowledge 'token'. */
struct rcu_batch {
    struct rcu_batch *next;
    uint64_t token;
    size_t n;
    struct rcu_cb *cbs; /* Owned by the batch. */
};

static pthread_once_t rcu_once = PTHREAD_ONCE_INIT;
static struct rte_rcu_qsbr *rcu_qsbr; /* Set once by rcu_init(). */

static pthread_mutex_t rcu_mutex = PTHREAD_MUTEX_INITIALIZER;
/* Guarded by 'rcu_mutex'. */
static uint64_t rcu_ids[RCU_ID_WORDS]; /* Reader ids in use. */
static struct rcu_cb *rcu_pending;     /* Not yet stamped with a token. */
static size_t rcu_n_pending;
static size_t rcu_pending_alloc;
static struct rcu_batch *rcu_head; /* Oldest waiting batch. */
static struct rcu_batch **rcu_tail = &rcu_head;

/* This thread's reader id, or RCU_NO_READER, and whether it is online
 * (rte_rcu_qsbr_quiescent() on an offline reader would bring it back
 * online, so rcu_quiesce() skips offline readers). */
static _Thread_local uint32_t rcu_self = RCU_NO_READER;
static _Thread_local bool rcu_self_online;

static void
rcu_init__(void)
{
    size_t size = rte_rcu_qsbr_get_memsize(RCU_MAX_READERS);
    void *mem;

    if (size <= 1) {
        tern_fatal("rte_rcu_qsbr_get_memsize failed");
    }
    size = ROUND_UP(size, RTE_CACHE_LINE_SIZE);
    mem = aligned_alloc(RTE_CACHE_LINE_SIZE, size);
    if (!mem) {
        tern_fatal("rcu: out of memory");
    }
    memset(mem, 0, size);
    if (rte_rcu_qsbr_init(mem, RCU_MAX_READERS)) {
        tern_fatal("rte_rcu_qsbr_init failed");
    }
    rcu_qsbr = mem;
}

void
rcu_init(void)
{
    pthread_once(&rcu_once, rcu_init__);
}

int
rcu_register_reader(void)
{
    uint32_t id = RCU_NO_READER;

    rcu_init();
    if (rcu_self != RCU_NO_READER) {
        return 0;
    }

    pthread_mutex_lock(&rcu_mutex);
    for (size_t i = 0; i < RCU_ID_WORDS; i++) {
        if (~rcu_ids[i]) {
            unsigned int bit = __builtin_ctzll(~rcu_ids[i]);
            if (i * 64 + bit < RCU_MAX_READERS) {
                rcu_ids[i] |= UINT64_C(1) << bit;
                id = i * 64 + bit;
            }
            break;
        }
    }
    pthread_mutex_unlock(&rcu_mutex);

    if (id == RCU_NO_READER) {
        VLOG_WARN("more than %d RCU readers", RCU_MAX_READERS);
        return ENOSPC;
    }
    rte_rcu_qsbr_thread_register(rcu_qsbr, id);
    rte_rcu_qsbr_thread_online(rcu_qsbr, id);
    rcu_self = id;
    rcu_self_online = true;
    return 0;
}

void
rcu_unregister_reader(void)
{
    uint32_t id = rcu_self;

    if (id == RCU_NO_READER) {
        return;
    }
    rte_rcu_qsbr_thread_offline(rcu_qsbr, id);
    rte_rcu_qsbr_thread_unregister(rcu_qsbr, id);
    rcu_self = RCU_NO_READER;
    rcu_self_online = false;

    pthread_mutex_lock(&rcu_mutex);
    rcu_ids[id / 64] &= ~(UINT64_C(1) << (id % 64));
    pthread_mutex_unlock(&rcu_mutex);
}

void
rcu_quiesce(void)
{
    if (rcu_self_online) {
        rte_rcu_qsbr_quiescent(rcu_qsbr, rcu_self);
    }
}

void
rcu_offline(void)
{
    if (rcu_self != RCU_NO_READER) {
        rte_rcu_qsbr_thread_offline(rcu_qsbr, rcu_self);
        rcu_self_online = false;
    }
}

void
rcu_online(void)
{
    if (rcu_self != RCU_NO_READER) {
        rte_rcu_qsbr_thread_online(rcu_qsbr, rcu_self);
        rcu_self_online = true;
    }
}

void
rcu_postpone(void (*cb)(void *arg), void *arg)
{
    pthread_mutex_lock(&rcu_mutex);
    if (rcu_n_pending >= rcu_pending_alloc) {
        rcu_pending_alloc = rcu_pending_alloc ? 2 * rcu_pending_alloc : 64;
        rcu_pending =
            xrealloc(rcu_pending, rcu_pending_alloc * sizeof *rcu_pending);
    }
    rcu_pending[rcu_n_pending++] = (struct rcu_cb){cb, arg};
    pthread_mutex_unlock(&rcu_mutex);
}

/* Moves the pending callbacks into a new batch stamped with a new token and
 * returns that token.  Called with 'rcu_mutex' held. */
static uint64_t
rcu_start_batch__(void)
{
    /* The release in rte_rcu_qsbr_start() orders the unlinking stores made
     * before rcu_postpone() before the token update that readers acquire in
     * rte_rcu_qsbr_quiescent(). */
    uint64_t token = rte_rcu_qsbr_start(rcu_qsbr);

    if (rcu_n_pending) {
        struct rcu_batch *b = xmalloc(sizeof *b);

        b->next = NULL;
        b->token = token;
        b->n = rcu_n_pending;
        b->cbs = rcu_pending;
        *rcu_tail = b;
        rcu_tail = &b->next;

        rcu_pending = NULL;
        rcu_n_pending = rcu_pending_alloc = 0;
    }
    return token;
}

/* Unlinks and returns the waiting batches whose grace period is known to
 * have ended: those whose token is at most 'upto' (a token the caller saw
 * acknowledged) or, if 'upto' is 0, those rte_rcu_qsbr_check() reports as
 * acknowledged.  Called with 'rcu_mutex' held. */
static struct rcu_batch *
rcu_take_ready__(uint64_t upto)
{
    struct rcu_batch *ready = rcu_head;
    struct rcu_batch **last = &rcu_head;

    while (*last) {
        uint64_t t = (*last)->token;
        if (upto ? t > upto : !rte_rcu_qsbr_check(rcu_qsbr, t, false)) {
            break;
        }
        last = &(*last)->next;
    }
    if (last == &rcu_head) {
        return NULL;
    }
    rcu_head = *last;
    *last = NULL;
    if (!rcu_head) {
        rcu_tail = &rcu_head;
    }
    return ready;
}

/* Runs and frees the batches in the list 'b'.  Called without the mutex: the
 * callbacks may call rcu_postpone(). */
static void
rcu_run_batches__(struct rcu_batch *b)
{
    while (b) {
        struct rcu_batch *next = b->next;

        for (size_t i = 0; i < b->n; i++) {
            b->cbs[i].cb(b->cbs[i].arg);
        }
        free(b->cbs);
        free(b);
        b = next;
    }
}

void
rcu_run(void)
{
    struct rcu_batch *ready;

    rcu_init();
    pthread_mutex_lock(&rcu_mutex);
    if (rcu_n_pending) {
        rcu_start_batch__();
    }
    ready = rcu_head ? rcu_take_ready__(0) : NULL;
    pthread_mutex_unlock(&rcu_mutex);

    rcu_run_batches__(ready);
}

void
rcu_synchronize(void)
{
    struct rcu_batch *ready;
    uint64_t token;

    rcu_init();
    pthread_mutex_lock(&rcu_mutex);
    token = rcu_start_batch__();
    pthread_mutex_unlock(&rcu_mutex);

    /* A reader waiting for itself would wait forever. */
    rcu_quiesce();

    for (int i = 0; !rte_rcu_qsbr_check(rcu_qsbr, token, false); i++) {
        if (i < 100) {
            rte_pause();
        } else {
            struct timespec ts = {0, 20 * 1000};
            nanosleep(&ts, NULL);
        }
    }

    pthread_mutex_lock(&rcu_mutex);
    ready = rcu_take_ready__(token);
    pthread_mutex_unlock(&rcu_mutex);

    rcu_run_batches__(ready);
}
