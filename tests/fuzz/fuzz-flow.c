/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-flow: libFuzzer target for flow_extract().  Each input is a frame;
 * the target checks that extraction never reads outside it (AddressSanitizer
 * does the checking), is deterministic, keeps its invariants (map = the
 * non-zero words, hash over those words, offsets inside the frame), and
 * ignores bytes beyond the end of a complete L3 packet.  Built only with
 * --enable-fuzz; tests/fuzz/run-fuzz.sh runs it from a seed corpus.
 */
#include <config.h>

#include <stdlib.h>

#include "lib/flow.h"

static void
fuzz_check_invariants__(const struct flow_key *k, const struct flow_offsets *o,
                        size_t len)
{
    uint64_t map = 0;

    for (size_t i = 0; i < FLOW_U64S; i++) {
        uint64_t w;
        memcpy(&w, (const char *)&k->flow + i * 8, 8);
        map |= (uint64_t)(w != 0) << i;
    }
    if (map != k->map || k->hash != flow_key_hash(&k->flow, k->map)) {
        abort();
    }
    if (o->l3 != FLOW_OFS_NONE &&
        (o->l3 > len || o->l3_end > len || o->l3_end < o->l3)) {
        abort();
    }
    if (o->l4 != FLOW_OFS_NONE &&
        (o->l3 == FLOW_OFS_NONE || o->l4 < o->l3 || o->l4 > o->l3_end ||
         o->l4 + o->l4_len != o->l3_end)) {
        abort();
    }
    if (o->l2_5 != FLOW_OFS_NONE && o->l2_5 > len) {
        abort();
    }
}

static bool
fuzz_same__(const struct flow_key *a, const struct flow_offsets *oa,
            const struct flow_key *b, const struct flow_offsets *ob)
{
    return a->hash == b->hash && a->map == b->map &&
           !memcmp(&a->flow, &b->flow, sizeof a->flow) &&
           !memcmp(oa, ob, sizeof *oa);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct flow_md md = {.in_port = 1};
    struct flow_key a, b;
    struct flow_offsets oa, ob;

    if (size > 65535) {
        return 0;
    }
    flow_extract(data, size, &md, &a, &oa);
    flow_extract(data, size, &md, &b, &ob);
    if (!fuzz_same__(&a, &oa, &b, &ob)) {
        abort();
    }
    fuzz_check_invariants__(&a, &oa, size);

    if (oa.l3_end != FLOW_OFS_NONE) {
        /* Bytes after a complete L3 packet are padding: cutting them off
         * or adding more must not change anything. */
        flow_extract(data, oa.l3_end, &md, &b, &ob);
        if (!fuzz_same__(&a, &oa, &b, &ob)) {
            abort();
        }
        uint8_t *padded = malloc(size + 64);
        if (padded) {
            memcpy(padded, data, size);
            memset(padded + size, 0xa5, 64);
            flow_extract(padded, size + 64, &md, &b, &ob);
            free(padded);
            if (!fuzz_same__(&a, &oa, &b, &ob)) {
                abort();
            }
        }
    }
    return 0;
}
