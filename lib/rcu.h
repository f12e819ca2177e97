/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rcu: quiescent-state-based reclamation for tables that PMD threads read
 * without locks, on top of DPDK's rte_rcu_qsbr.
 *
 * Readers (PMD threads) register once, then call rcu_quiesce() between
 * packet bursts: after it they hold no pointer into any RCU-protected
 * structure.  A reader that is about to sleep or block goes rcu_offline()
 * and comes back with rcu_online().
 *
 * Writers (the main thread, or a PMD installing a flow under the table's
 * writer lock) unlink an object and hand it to rcu_postpone(): the
 * callback runs on the main thread, in rcu_run(), once every reader that was
 * online at the time of the call has quiesced.  rcu_synchronize() blocks
 * the main thread until then (readers never wait for writers).
 *
 * Publication: writers initialise an object fully, then publish its pointer
 * with a release store (rcu_publish()); readers load it with an acquire load
 * (rcu_get()), pairing with that store.
 *
 * Limits: at most RCU_MAX_READERS registered readers.
 */
#ifndef TERN_RCU_H
#define TERN_RCU_H 1

#include <stdatomic.h>

#include "lib/util.h"

#define RCU_MAX_READERS 128

#define rcu_get(PTR)         atomic_load_explicit(&(PTR), memory_order_acquire)
#define rcu_get_relaxed(PTR) atomic_load_explicit(&(PTR), memory_order_relaxed)
#define rcu_publish(PTR, VAL)                                                 \
    atomic_store_explicit(&(PTR), (VAL), memory_order_release)

/* Sets up the global QSBR variable.  Main thread, before any other call;
 * idempotent. */
void rcu_init(void);

/* Reader side: called by the reading thread itself. */
int rcu_register_reader(void); /* Returns 0 or ENOSPC. Starts online. */
void rcu_unregister_reader(void);
void rcu_quiesce(void);
void rcu_offline(void);
void rcu_online(void);

/* Writer side.  rcu_postpone() is safe from any thread; 'cb' runs on the
 * main thread from rcu_run() or rcu_synchronize(). */
void rcu_postpone(void (*cb)(void *arg), void *arg);
/* Runs the callbacks whose grace period has ended; never blocks.  Main
 * thread. */
void rcu_run(void);
/* Waits for a full grace period, then runs all due callbacks.  Main
 * thread. */
void rcu_synchronize(void);

#endif /* TERN_RCU_H */
