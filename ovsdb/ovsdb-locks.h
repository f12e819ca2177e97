/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ovsdb-locks: the named locks of RFC 7047 section 4.1.8-4.1.11 ("lock",
 * "steal", "unlock") as tern-dbserver keeps them.
 *
 * Each lock has a queue of owners (opaque pointers: the server's
 * sessions); the first is the holder, the others wait in arrival order.
 * "steal" puts the stealer at the head; the former holder stays queued
 * behind it (it must "unlock" before it may "lock" again) and gets the
 * lock back in its turn.  A lock with an empty queue disappears.
 *
 * The table only records who holds what: the caller sends the "locked" and
 * "stolen" notifications from what these functions return.  Threads: main
 * thread only.
 */
#ifndef TERN_OVSDB_LOCKS_H
#define TERN_OVSDB_LOCKS_H 1

#include <stdbool.h>

struct ovsdb_lock_table;

struct ovsdb_lock_table *ovsdb_lock_table_create(void);
void ovsdb_lock_table_destroy(struct ovsdb_lock_table *);

/* Queues 'owner' for lock 'name' (copied).  Returns true if 'owner' holds
 * the lock now.  The caller checks first that 'owner' is not queued. */
bool ovsdb_lock_acquire(struct ovsdb_lock_table *, const char *name,
                        void *owner);
/* Makes 'owner' the holder of 'name'.  Returns the former holder (NULL if
 * none, or if it was 'owner'). */
void *ovsdb_lock_steal(struct ovsdb_lock_table *, const char *name,
                       void *owner);
/* Removes 'owner' from the queue of 'name'.  Returns the new holder if
 * 'owner' held the lock and another owner now does, else NULL. */
void *ovsdb_lock_release(struct ovsdb_lock_table *, const char *name,
                         void *owner);
/* True if 'owner' holds 'name'. */
bool ovsdb_lock_is_holder(const struct ovsdb_lock_table *, const char *name,
                          const void *owner);
/* True if 'owner' holds or waits for 'name'. */
bool ovsdb_lock_is_queued(const struct ovsdb_lock_table *, const char *name,
                          const void *owner);

#endif /* TERN_OVSDB_LOCKS_H */
