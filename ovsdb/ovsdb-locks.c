/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ovsdb-locks: named lock queues for tern-dbserver (see ovsdb-locks.h).
 * Locks and queues are short arrays: a server has few locks and few
 * contenders per lock.
 */
#include <config.h>

#include "ovsdb/ovsdb-locks.h"

#include <stdlib.h>

#include "lib/util.h"

struct lock {
    char *name;
    size_t n; /* Owners queued; owners[0] holds the lock. */
    void **owners;
};

struct ovsdb_lock_table {
    size_t n;
    struct lock **locks;
};

struct ovsdb_lock_table *
ovsdb_lock_table_create(void)
{
    return xzalloc(sizeof(struct ovsdb_lock_table));
}

static void
lock_destroy(struct lock *lock)
{
    free(lock->name);
    free(lock->owners);
    free(lock);
}

void
ovsdb_lock_table_destroy(struct ovsdb_lock_table *t)
{
    if (t) {
        for (size_t i = 0; i < t->n; i++) {
            lock_destroy(t->locks[i]);
        }
        free(t->locks);
        free(t);
    }
}

static struct lock *
lock_find(const struct ovsdb_lock_table *t, const char *name, size_t *idx)
{
    for (size_t i = 0; i < t->n; i++) {
        if (!strcmp(t->locks[i]->name, name)) {
            if (idx) {
                *idx = i;
            }
            return t->locks[i];
        }
    }
    return NULL;
}

static struct lock *
lock_find_or_create(struct ovsdb_lock_table *t, const char *name)
{
    struct lock *lock = lock_find(t, name, NULL);

    if (!lock) {
        lock = xzalloc(sizeof *lock);
        lock->name = xstrdup(name);
        t->locks = xrealloc(t->locks, (t->n + 1) * sizeof t->locks[0]);
        t->locks[t->n++] = lock;
    }
    return lock;
}

static size_t
lock_position(const struct lock *lock, const void *owner)
{
    for (size_t i = 0; i < lock->n; i++) {
        if (lock->owners[i] == owner) {
            return i;
        }
    }
    return SIZE_MAX;
}

bool
ovsdb_lock_acquire(struct ovsdb_lock_table *t, const char *name, void *owner)
{
    struct lock *lock = lock_find_or_create(t, name);

    lock->owners =
        xrealloc(lock->owners, (lock->n + 1) * sizeof lock->owners[0]);
    lock->owners[lock->n++] = owner;
    return lock->owners[0] == owner;
}

void *
ovsdb_lock_steal(struct ovsdb_lock_table *t, const char *name, void *owner)
{
    struct lock *lock = lock_find_or_create(t, name);
    size_t pos = lock_position(lock, owner);
    void *victim = lock->n ? lock->owners[0] : NULL;

    if (pos == SIZE_MAX) {
        lock->owners =
            xrealloc(lock->owners, (lock->n + 1) * sizeof lock->owners[0]);
        pos = lock->n++;
    }
    /* Move 'owner' from 'pos' to the head. */
    memmove(&lock->owners[1], &lock->owners[0], pos * sizeof owner);
    lock->owners[0] = owner;
    return victim == owner ? NULL : victim;
}

void *
ovsdb_lock_release(struct ovsdb_lock_table *t, const char *name, void *owner)
{
    size_t idx;
    struct lock *lock = lock_find(t, name, &idx);
    size_t pos;

    if (!lock || (pos = lock_position(lock, owner)) == SIZE_MAX) {
        return NULL;
    }
    memmove(&lock->owners[pos], &lock->owners[pos + 1],
            (lock->n - pos - 1) * sizeof owner);
    lock->n--;
    if (!lock->n) {
        lock_destroy(lock);
        t->locks[idx] = t->locks[--t->n];
        return NULL;
    }
    return pos == 0 ? lock->owners[0] : NULL;
}

bool
ovsdb_lock_is_holder(const struct ovsdb_lock_table *t, const char *name,
                     const void *owner)
{
    const struct lock *lock = lock_find(t, name, NULL);

    return lock && lock->n && lock->owners[0] == owner;
}

bool
ovsdb_lock_is_queued(const struct ovsdb_lock_table *t, const char *name,
                     const void *owner)
{
    const struct lock *lock = lock_find(t, name, NULL);

    return lock && lock_position(lock, owner) != SIZE_MAX;
}
