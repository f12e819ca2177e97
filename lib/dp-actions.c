/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dp-actions: building and validating datapath action lists (the TLV
 * encoding described in dp-actions.h).
 *
 * The builder appends actions to a growable buffer; nested lists
 * (DPA_DEC_TTL) are opened with dp_actions_start_nested() and their length
 * patched in by dp_actions_end_nested().  The validator is the only check
 * the datapath makes on a list, so it trusts nothing: every length is
 * bounds-checked before the bytes it covers are read, and a list that
 * passes can be walked with DP_ACTIONS_FOR_EACH and its payloads read with
 * the structs of dp-actions.h.
 *
 * Validation does not look at which fields a DPA_SET_MASKED mask covers:
 * the executor leaves alone any field it cannot set.
 */
#include <config.h>

#include "lib/dp-actions.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>

#include "lib/util.h"

void
dp_actions_buf_init(struct dp_actions_buf *buf)
{
    buf->data = NULL;
    buf->size = 0;
    buf->allocated = 0;
}

void
dp_actions_buf_uninit(struct dp_actions_buf *buf)
{
    if (buf) {
        free(buf->data);
        dp_actions_buf_init(buf);
    }
}

/* Makes room for 'n' more bytes at the end of 'buf' and returns a pointer
 * to them (zeroed); 'buf->size' grows by 'n'. */
static void *
dp_actions_grow__(struct dp_actions_buf *buf, size_t n)
{
    if (buf->size + n > buf->allocated) {
        size_t want = MAX(buf->allocated * 2, buf->size + n);
        want = MAX(want, 64);
        buf->data = xrealloc(buf->data, want);
        buf->allocated = want;
    }
    uint8_t *p = buf->data + buf->size;
    memset(p, 0, n);
    buf->size += n;
    return p;
}

void *
dp_actions_put(struct dp_actions_buf *buf, enum dp_action_type type,
               const void *payload, size_t n)
{
    size_t len = sizeof(struct dp_action) + ROUND_UP(n, 4);
    if (len > UINT16_MAX) {
        tern_fatal("dp_actions_put: %zu-byte payload does not fit an "
                   "action",
                   n);
    }

    struct dp_action *a = dp_actions_grow__(buf, len);
    a->type = type;
    a->len = (uint16_t)len;

    void *p = a + 1;
    if (payload && n) {
        memcpy(p, payload, n);
    }
    return p;
}

size_t
dp_actions_start_nested(struct dp_actions_buf *buf, enum dp_action_type type)
{
    size_t offset = buf->size;
    struct dp_action *a = dp_actions_grow__(buf, sizeof *a);
    a->type = type;
    a->len = sizeof *a;
    return offset;
}

void
dp_actions_end_nested(struct dp_actions_buf *buf, size_t offset)
{
    size_t len = buf->size - offset;
    if (len > UINT16_MAX) {
        tern_fatal("dp_actions_end_nested: %zu-byte nested list does not "
                   "fit an action",
                   len);
    }
    struct dp_action *a = (struct dp_action *)(void *)(buf->data + offset);
    a->len = (uint16_t)len;
}

static int dp_actions_validate__(const uint8_t *acts, size_t len, int depth);

/* Checks the payload of one action whose header and 'plen' payload bytes
 * at 'p' are known to lie inside the list. */
static int
dp_action_validate_one__(const struct dp_action *a, const uint8_t *p,
                         size_t plen, int depth)
{
    switch ((enum dp_action_type)a->type) {
    case DPA_OUTPUT:
        return plen == sizeof(struct dpa_output) ? 0 : EINVAL;

    case DPA_USERSPACE: {
        struct dpa_userspace us;
        if (plen < sizeof us) {
            return EINVAL;
        }
        memcpy(&us, p, sizeof us);
        if (us.userdata_len > plen - sizeof us ||
            ROUND_UP((size_t)us.userdata_len, 4) != plen - sizeof us) {
            return EINVAL;
        }
        return 0;
    }

    case DPA_SET_MASKED:
        return plen == sizeof(struct dpa_set) ? 0 : EINVAL;

    case DPA_PUSH_VLAN: {
        struct dpa_push_vlan pv;
        if (plen != sizeof pv) {
            return EINVAL;
        }
        memcpy(&pv, p, sizeof pv);
        uint16_t tpid = ntohs(pv.tpid);
        return (tpid == ETH_TYPE_VLAN_8021Q || tpid == ETH_TYPE_VLAN_8021AD
                    ? 0
                    : EINVAL);
    }

    case DPA_POP_VLAN:
        return plen == 0 ? 0 : EINVAL;

    case DPA_PUSH_MPLS: {
        struct dpa_push_mpls pm;
        if (plen != sizeof pm) {
            return EINVAL;
        }
        memcpy(&pm, p, sizeof pm);
        uint16_t et = ntohs(pm.ethertype);
        return (et == ETH_TYPE_MPLS || et == ETH_TYPE_MPLS_MCAST ? 0 : EINVAL);
    }

    case DPA_POP_MPLS:
        return plen == sizeof(struct dpa_pop_mpls) ? 0 : EINVAL;

    case DPA_PUSH_PBB:
        return plen == sizeof(struct dpa_push_pbb) ? 0 : EINVAL;

    case DPA_POP_PBB:
    case DPA_COPY_TTL_IN:
    case DPA_COPY_TTL_OUT:
        return plen == 0 ? 0 : EINVAL;

    case DPA_DEC_TTL:
        if (depth + 1 > DP_ACTIONS_MAX_DEPTH) {
            return EINVAL;
        }
        return dp_actions_validate__(p, plen, depth + 1);

    case DPA_RECIRC:
        return plen == sizeof(struct dpa_recirc) ? 0 : EINVAL;

    case DPA_METER:
        return plen == sizeof(struct dpa_meter) ? 0 : EINVAL;

    case DPA_N_TYPES:
    default:
        return EINVAL;
    }
}

/* Validates the list of 'len' bytes at 'acts', nested 'depth' levels deep
 * (0 for the top-level list). */
static int
dp_actions_validate__(const uint8_t *acts, size_t len, int depth)
{
    size_t ofs = 0;
    while (ofs < len) {
        struct dp_action a;
        if (len - ofs < sizeof a) {
            return EINVAL; /* Truncated header. */
        }
        memcpy(&a, acts + ofs, sizeof a);
        if (a.len < sizeof a || a.len % 4 || a.len > len - ofs) {
            return EINVAL;
        }
        int error = dp_action_validate_one__(&a, acts + ofs + sizeof a,
                                             a.len - sizeof a, depth);
        if (error) {
            return error;
        }
        ofs += a.len;
    }
    return 0;
}

int
dp_actions_validate(const void *acts, size_t len)
{
    if (len > DP_ACTIONS_MAX_LEN || (len && !acts)) {
        return EINVAL;
    }
    return dp_actions_validate__(acts, len, 0);
}
