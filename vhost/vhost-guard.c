/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vhost-guard: Tern's own checks on vhost-user frontends, on top of
 * rte_vhost's (see vhost-guard.h for what and why).
 *
 * Message checks.  rte_vhost calls the post-message hook of a connection
 * after it handled a message successfully, with the message as received:
 * a 12-byte header (request, flags, size) and the payload, the layout of
 * the wire (the hook's argument starts with it).  The hook looks at the
 * result through rte_vhost's public getters (memory table, vrings) and
 * answers RTE_VHOST_MSG_RESULT_ERR when it is unsafe, which makes
 * rte_vhost close the connection and release what the message brought
 * (mappings, fds).  The pre-message hook only records which message is
 * being handled: a message for which the post hook never runs before the
 * connection closes is one rte_vhost rejected.
 *
 * Descriptor chains.  vhost_guard_skip_bad_chain() walks the chain at the
 * head of the guest's available ring with the guest's memory table; if it
 * cannot be walked safely, it writes a used entry of length 0 for it and
 * moves rte_vhost's ring indexes past it (rte_vhost_set_vring_base()).
 * Only the thread that dequeues from the vring calls it, between two
 * dequeues, so rte_vhost's own view of the ring is consistent then.
 */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_log.h>
#include <rte_vhost.h>

#include "lib/util.h"
#include "vhost/vhost-guard.h"

/* vhost-user requests the checks look at. */
enum {
    GUARD_SET_MEM_TABLE = 5,
    GUARD_SET_VRING_NUM = 8,
    GUARD_SET_VRING_ADDR = 9,
    GUARD_SET_VRING_BASE = 10,
    GUARD_GET_VRING_BASE = 11,
    GUARD_SET_VRING_KICK = 12,
    GUARD_SET_VRING_CALL = 13,
    GUARD_SET_VRING_ERR = 14,
    GUARD_SET_VRING_ENABLE = 18,
};

#define GUARD_MAX_VRINGS      64           /* 32 queue pairs. */
#define GUARD_MAX_REGIONS     8            /* rte_vhost's limit. */
#define GUARD_MAX_MAP         (1ull << 46) /* No region maps more than this. */
#define GUARD_INDEX_MASK      0xffu /* Kick/call payload: vring index. */
#define GUARD_FD_UNSET        (-2)  /* rte_vhost: fd never set. */
#define GUARD_DESC_F_NEXT     1
#define GUARD_DESC_F_INDIRECT 4

/* The start of what the message hooks receive (the wire format). */
struct guard_msg {
    uint32_t request;
    uint32_t flags;
    uint32_t size;
    uint8_t payload[];
};

struct guard_desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
};

/* Per connection, indexed by vid; guarded by 'guard_mutex'. */
struct guard_conn {
    bool active;
    char name[64];
    uint32_t pending; /* Request being handled, 0 if none. */
    char reason[160]; /* Why the guard closed it, "" if it did not. */
};

/* Ring walks against message handling, per vid (not under the mutex).
 * rte_vhost changes the guest's memory and rings only while it handles a
 * message, between the two hooks.  A walk does: walking = 1; if in_msg,
 * give up; walk; walking = 0.  The pre hook does: in_msg = 1; wait until
 * walking is 0; the post hook: in_msg = 0.  All sequentially consistent,
 * so either the walk sees in_msg or the hook waits for the walk.  A
 * message rte_vhost fails without closing (a negative reply-ack) leaves
 * in_msg set until the next message completes: walks just pause. */
static _Atomic bool guard_in_msg[RTE_MAX_VHOST_DEVICE];
static _Atomic bool guard_walking[RTE_MAX_VHOST_DEVICE];

static pthread_mutex_t guard_mutex = PTHREAD_MUTEX_INITIALIZER;
static struct guard_conn guard_conns[RTE_MAX_VHOST_DEVICE];

void
vhost_guard_init(void)
{
    static atomic_bool done;

    if (!atomic_exchange(&done, true)) {
        rte_log_set_level_pattern("lib.vhost.*", RTE_LOG_CRIT);
    }
}

static const char *
guard_request_name__(uint32_t request)
{
    static const char *const names[] = {
        [1] = "GET_FEATURES",
        [2] = "SET_FEATURES",
        [3] = "SET_OWNER",
        [4] = "RESET_OWNER",
        [5] = "SET_MEM_TABLE",
        [6] = "SET_LOG_BASE",
        [7] = "SET_LOG_FD",
        [8] = "SET_VRING_NUM",
        [9] = "SET_VRING_ADDR",
        [10] = "SET_VRING_BASE",
        [11] = "GET_VRING_BASE",
        [12] = "SET_VRING_KICK",
        [13] = "SET_VRING_CALL",
        [14] = "SET_VRING_ERR",
        [15] = "GET_PROTOCOL_FEATURES",
        [16] = "SET_PROTOCOL_FEATURES",
        [17] = "GET_QUEUE_NUM",
        [18] = "SET_VRING_ENABLE",
        [19] = "SEND_RARP",
        [20] = "NET_SET_MTU",
    };
    return request < ARRAY_SIZE(names) && names[request] ? names[request]
                                                         : NULL;
}

static struct guard_conn *
guard_conn__(int vid)
{
    return vid >= 0 && vid < RTE_MAX_VHOST_DEVICE ? &guard_conns[vid] : NULL;
}

/* Records 'reason' (printf format) as why connection 'vid' closes and
 * returns the answer that makes rte_vhost close it. */
static enum rte_vhost_msg_result
guard_reject__(int vid, const struct guard_msg *msg, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum rte_vhost_msg_result
guard_reject__(int vid, const struct guard_msg *msg, const char *fmt, ...)
{
    struct guard_conn *c = guard_conn__(vid);
    const char *rname = guard_request_name__(msg->request);
    char detail[120];
    va_list args;

    va_start(args, fmt);
    vsnprintf(detail, sizeof detail, fmt, args);
    va_end(args);
    pthread_mutex_lock(&guard_mutex);
    if (c && c->active && !c->reason[0]) {
        if (rname) {
            snprintf(c->reason, sizeof c->reason, "bad %s message: %s", rname,
                     detail);
        } else {
            snprintf(c->reason, sizeof c->reason, "bad message %u: %s",
                     msg->request, detail);
        }
    }
    pthread_mutex_unlock(&guard_mutex);
    return RTE_VHOST_MSG_RESULT_ERR;
}

/* Checks the payload of a SET_MEM_TABLE message before rte_vhost maps it
 * (rte_vhost 22.11 leaks the region fds when its mmap() fails).  Returns
 * NULL if it may go on, otherwise what is wrong. */
static const char *
guard_check_mem_msg__(const struct guard_msg *msg)
{
    uint32_t n;

    if (msg->size < 8) {
        return "payload too short";
    }
    memcpy(&n, msg->payload, sizeof n);
    if (n > GUARD_MAX_REGIONS) {
        return NULL; /* rte_vhost rejects it and closes the fds. */
    }
    if (msg->size != 8 + n * 32) {
        return "payload size does not match the region count";
    }
    for (uint32_t i = 0; i < n; i++) {
        uint64_t r[4]; /* gpa, size, uva, mmap offset. */

        memcpy(r, msg->payload + 8 + i * 32, sizeof r);
        if (!r[1] || r[1] > GUARD_MAX_MAP || r[3] > GUARD_MAX_MAP - r[1]) {
            return "region size or offset out of range";
        }
    }
    return NULL;
}

static enum rte_vhost_msg_result
guard_pre__(int vid, void *msg_)
{
    struct guard_msg *msg = msg_;
    struct guard_conn *c = guard_conn__(vid);
    const char *bad = NULL;

    if (c) {
        atomic_store(&guard_in_msg[vid], true);
        while (atomic_load(&guard_walking[vid])) {
            sched_yield();
        }
    }

    if ((msg->flags & 3) != 1) {
        bad = "wrong protocol version";
    } else if (msg->request == GUARD_SET_MEM_TABLE) {
        bad = guard_check_mem_msg__(msg);
        if (bad && msg->size >= 8) {
            /* A region count rte_vhost rejects, on the path that closes
             * the fds the message brought. */
            uint32_t too_many = GUARD_MAX_REGIONS + 1;
            memcpy(msg->payload, &too_many, sizeof too_many);
        }
    }
    if (c) {
        pthread_mutex_lock(&guard_mutex);
        c->pending = msg->request ? msg->request : UINT32_MAX;
        pthread_mutex_unlock(&guard_mutex);
    }
    if (bad) {
        /* Recorded now: rte_vhost may fail the message itself (then the
         * post hook does not run) or reply to it (replies rewrite the
         * header the post hook would see). */
        guard_reject__(vid, msg, "%s", bad);
    }
    return RTE_VHOST_MSG_RESULT_NOT_HANDLED;
}

/* True if 'fd' is an eventfd. */
static bool
guard_is_eventfd__(int fd)
{
    char path[64], target[64];
    ssize_t n;

    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    n = readlink(path, target, sizeof target - 1);
    if (n < 0) {
        return false;
    }
    target[n] = '\0';
    return !strcmp(target, "anon_inode:[eventfd]");
}

static bool
guard_overlap__(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return a < b + blen && b < a + alen;
}

/* Checks the memory table rte_vhost has just mapped.  Returns NULL if it
 * is safe, otherwise a description of what is wrong (static). */
static const char *
guard_check_mem__(int vid, char *buf, size_t size)
{
    struct rte_vhost_memory *mem = NULL;
    const char *bad = NULL;

    if (rte_vhost_get_mem_table(vid, &mem) || !mem) {
        return "no memory table";
    }
    if (!mem->nregions) {
        bad = "no memory region";
    }
    for (uint32_t i = 0; !bad && i < mem->nregions; i++) {
        const struct rte_vhost_mem_region *r = &mem->regions[i];
        uint64_t offset = r->host_user_addr - (uint64_t)r->mmap_addr;
        struct stat st;

        if (!r->size || r->guest_phys_addr + r->size < r->guest_phys_addr ||
            r->guest_user_addr + r->size < r->guest_user_addr) {
            snprintf(buf, size, "region %u wraps around", i);
            bad = buf;
        } else if (fstat(r->fd, &st) || !S_ISREG(st.st_mode) ||
                   (uint64_t)st.st_size < offset + r->size) {
            snprintf(buf, size, "region %u is larger than its file", i);
            bad = buf;
        }
        for (uint32_t j = 0; !bad && j < i; j++) {
            const struct rte_vhost_mem_region *o = &mem->regions[j];
            if (guard_overlap__(r->guest_phys_addr, r->size,
                                o->guest_phys_addr, o->size) ||
                guard_overlap__(r->guest_user_addr, r->size,
                                o->guest_user_addr, o->size)) {
                snprintf(buf, size, "regions %u and %u overlap", j, i);
                bad = buf;
            }
        }
    }
    free(mem);
    return bad;
}

/* Checks every vring that has its kick fd: its rings must have been mapped
 * (rte_vhost leaves them NULL when they are outside the memory table) and
 * its fds must be eventfds. */
static const char *
guard_check_vrings__(int vid, char *buf, size_t size)
{
    int n = rte_vhost_get_vring_num(vid);

    for (int i = 0; i < n && i < GUARD_MAX_VRINGS; i++) {
        struct rte_vhost_vring vr;

        if (rte_vhost_get_vhost_vring(vid, (uint16_t)i, &vr)) {
            continue;
        }
        if ((vr.kickfd >= 0 && !guard_is_eventfd__(vr.kickfd)) ||
            (vr.callfd >= 0 && !guard_is_eventfd__(vr.callfd))) {
            snprintf(buf, size,
                     "vring %d: kick or call fd is not an "
                     "eventfd",
                     i);
            return buf;
        }
        if (vr.kickfd != GUARD_FD_UNSET &&
            (!vr.desc || !vr.avail || !vr.used)) {
            snprintf(buf, size, "vring %d lies outside guest memory", i);
            return buf;
        }
    }
    return NULL;
}

static enum rte_vhost_msg_result
guard_post__(int vid, void *msg_)
{
    const struct guard_msg *msg = msg_;
    struct guard_conn *c = guard_conn__(vid);
    const char *bad = NULL;
    char buf[96];

    if (c) {
        bool rejected;

        pthread_mutex_lock(&guard_mutex);
        rejected = c->reason[0] != '\0';
        pthread_mutex_unlock(&guard_mutex);
        if (rejected) {
            return RTE_VHOST_MSG_RESULT_ERR;
        }
    }
    switch (msg->request) {
    case GUARD_SET_VRING_NUM:
    case GUARD_SET_VRING_ADDR:
    case GUARD_SET_VRING_BASE:
    case GUARD_GET_VRING_BASE:
    case GUARD_SET_VRING_KICK:
    case GUARD_SET_VRING_CALL:
    case GUARD_SET_VRING_ERR:
    case GUARD_SET_VRING_ENABLE: {
        uint32_t index;

        if (msg->size < sizeof index) {
            return guard_reject__(vid, msg, "payload of %u bytes", msg->size);
        }
        memcpy(&index, msg->payload, sizeof index);
        if (msg->request >= GUARD_SET_VRING_KICK &&
            msg->request <= GUARD_SET_VRING_ERR) {
            index &= GUARD_INDEX_MASK;
        }
        if (index >= GUARD_MAX_VRINGS) {
            return guard_reject__(vid, msg, "vring %u", index);
        }
        break;
    }
    default:
        break;
    }
    if (msg->request == GUARD_SET_MEM_TABLE) {
        bad = guard_check_mem__(vid, buf, sizeof buf);
    }
    if (!bad && (msg->request == GUARD_SET_MEM_TABLE ||
                 msg->request == GUARD_SET_VRING_ADDR ||
                 msg->request == GUARD_SET_VRING_KICK ||
                 msg->request == GUARD_SET_VRING_CALL ||
                 msg->request == GUARD_SET_VRING_ENABLE)) {
        bad = guard_check_vrings__(vid, buf, sizeof buf);
    }
    if (bad) {
        return guard_reject__(vid, msg, "%s", bad);
    }
    if (c) {
        pthread_mutex_lock(&guard_mutex);
        c->pending = 0;
        pthread_mutex_unlock(&guard_mutex);
        atomic_store(&guard_in_msg[vid], false);
    }
    return RTE_VHOST_MSG_RESULT_NOT_HANDLED;
}

static const struct rte_vhost_user_extern_ops guard_ops = {
    .pre_msg_handle = guard_pre__,
    .post_msg_handle = guard_post__,
};

int
vhost_guard_attach(int vid, const char *name)
{
    struct guard_conn *c = guard_conn__(vid);

    if (!c) {
        return EINVAL;
    }
    pthread_mutex_lock(&guard_mutex);
    memset(c, 0, sizeof *c);
    c->active = true;
    snprintf(c->name, sizeof c->name, "%s", name);
    atomic_store(&guard_in_msg[vid], false);
    pthread_mutex_unlock(&guard_mutex);
    return rte_vhost_extern_callback_register(vid, &guard_ops, NULL) ? EINVAL
                                                                     : 0;
}

bool
vhost_guard_detach(int vid, char *reason, size_t size)
{
    struct guard_conn *c = guard_conn__(vid);
    bool bad = false;

    if (!c) {
        return false;
    }
    pthread_mutex_lock(&guard_mutex);
    if (c->active && c->reason[0]) {
        snprintf(reason, size, "%s", c->reason);
        bad = true;
    } else if (c->active && c->pending) {
        const char *rname = guard_request_name__(c->pending);
        if (rname) {
            snprintf(reason, size, "rte_vhost rejected a %s message", rname);
        } else {
            snprintf(reason, size, "unknown request %u",
                     c->pending == UINT32_MAX ? 0 : c->pending);
        }
        bad = true;
    }
    memset(c, 0, sizeof *c);
    pthread_mutex_unlock(&guard_mutex);
    return bad;
}

/* True if guest-physical [gpa, gpa + len) lies in guest memory. */
static bool
guard_mapped__(const struct rte_vhost_memory *mem, uint64_t gpa, uint64_t len)
{
    while (len) {
        uint64_t chunk = len;
        if (!rte_vhost_va_from_guest_pa((struct rte_vhost_memory *)mem, gpa,
                                        &chunk) ||
            !chunk) {
            return false;
        }
        if (chunk >= len) {
            return true;
        }
        gpa += chunk;
        len -= chunk;
    }
    return true;
}

/* Walks a chain of 'n' descriptors at 'table' starting at 'head'; true if
 * every descriptor, and every indirect table, lies in guest memory and
 * the chain ends within 'n' steps. */
static bool
guard_chain_ok__(const struct rte_vhost_memory *mem,
                 const struct guard_desc *table, uint32_t n, uint32_t head,
                 bool nested)
{
    uint32_t idx = head;

    for (uint32_t steps = 0;; steps++) {
        struct guard_desc d;

        if (idx >= n || steps >= n) {
            return false;
        }
        memcpy(&d, &table[idx], sizeof d);
        if (d.flags & GUARD_DESC_F_INDIRECT) {
            uint64_t len = d.len;
            const struct guard_desc *sub;

            if (nested || !d.len || d.len % sizeof *sub ||
                d.len / sizeof *sub > 65536 ||
                !guard_mapped__(mem, d.addr, d.len)) {
                return false;
            }
            sub = (const struct guard_desc *)(uintptr_t)
                rte_vhost_va_from_guest_pa((struct rte_vhost_memory *)mem,
                                           d.addr, &len);
            if (!sub || len < d.len ||
                !guard_chain_ok__(mem, sub, d.len / sizeof *sub, 0, true)) {
                return false;
            }
        } else if (!guard_mapped__(mem, d.addr, d.len)) {
            return false;
        }
        if (!(d.flags & GUARD_DESC_F_NEXT)) {
            return true;
        }
        idx = d.next;
    }
}

static bool
guard_skip_bad_chain__(int vid, uint16_t vring)
{
    struct rte_vhost_memory *mem = NULL;
    struct rte_vhost_vring vr;
    uint16_t last_avail, last_used, avail_idx, head;
    bool skipped = false;

    if (rte_vhost_get_vhost_vring(vid, vring, &vr) || !vr.desc || !vr.avail ||
        !vr.used || !vr.size ||
        rte_vhost_get_vring_base(vid, vring, &last_avail, &last_used)) {
        return false;
    }
    /* Pairs with the guest's release of the available index. */
    avail_idx = __atomic_load_n(&vr.avail->idx, __ATOMIC_ACQUIRE);
    if (avail_idx == last_avail) {
        return false;
    }
    head = __atomic_load_n(&vr.avail->ring[last_avail % vr.size],
                           __ATOMIC_RELAXED);
    if (rte_vhost_get_mem_table(vid, &mem) || !mem) {
        return false;
    }
    if (!guard_chain_ok__(mem, (const struct guard_desc *)vr.desc, vr.size,
                          head, false)) {
        struct vring_used_elem *e = &vr.used->ring[last_used % vr.size];

        e->id = head;
        e->len = 0;
        /* Releases the used entry to the guest before its index. */
        __atomic_store_n(&vr.used->idx, (uint16_t)(last_used + 1),
                         __ATOMIC_RELEASE);
        rte_vhost_set_vring_base(vid, vring, (uint16_t)(last_avail + 1),
                                 (uint16_t)(last_used + 1));
        skipped = true;
    }
    free(mem);
    return skipped;
}

bool
vhost_guard_skip_bad_chain(int vid, uint16_t vring)
{
    bool skipped = false;

    if (vid < 0 || vid >= RTE_MAX_VHOST_DEVICE) {
        return false;
    }
    atomic_store(&guard_walking[vid], true);
    if (!atomic_load(&guard_in_msg[vid])) {
        skipped = guard_skip_bad_chain__(vid, vring);
    }
    atomic_store(&guard_walking[vid], false);
    return skipped;
}
