/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-ofp: libFuzzer target for the OpenFlow message decoders of every
 * version Tern speaks (1.0, 1.3, 1.4, 1.5).  Each input is one message:
 * the target sets its version byte from a small set (chosen by the input's
 * first byte, so that every version is exercised whatever the input) and
 * its length field to the input's size (so that most inputs get past the
 * framing), then:
 *
 *   1. decodes it with its family decoder and encodes it again
 *      (ofp_msg_reencode());
 *   2. when that succeeds, re-encodes the result once more: this must
 *      succeed and give exactly the same bytes.  The first round may
 *      normalise (padding, canonical order, defaults); after it, decode
 *      and encode must be a fixed point;
 *   3. prints the message (ofp_to_string()), which must never fail.
 *
 * AddressSanitizer and UBSan check every access; the leak checker checks
 * that everything is freed.  A broken property aborts with the kind of the
 * message, so that the fuzzer keeps the input.  Built only with
 * --enable-fuzz; tests/fuzz/run-fuzz.sh runs it from a seed corpus.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>

#include "lib/ofp-msgs.h"
#include "lib/ofp-print.h"
#include "lib/ofpbuf.h"
#include "lib/util.h"

static const uint8_t fuzz_versions[] = {
    OFP10_VERSION,
    OFP13_VERSION,
    OFP14_VERSION,
    OFP15_VERSION,
};

/* A version Tern speaks: 'byte' itself when it is one, otherwise one
 * chosen by its value. */
static uint8_t
fuzz_version__(uint8_t byte)
{
    for (size_t i = 0; i < ARRAY_SIZE(fuzz_versions); i++) {
        if (byte == fuzz_versions[i]) {
            return byte;
        }
    }
    return fuzz_versions[byte % ARRAY_SIZE(fuzz_versions)];
}

/* Reports a broken property for the message 'data' of 'len' bytes and
 * aborts. */
static void
fuzz_fail__(const char *what, const uint8_t *data, size_t len,
            const struct ofpbuf *first, const struct ofpbuf *second)
{
    struct ofp_msg msg;
    const char *kind = "unknown kind";

    if (!ofp_msg_decode(data, len, &msg)) {
        kind = ofptype_get_name(msg.type, msg.version);
    }
    fprintf(stderr, "fuzz-ofp: %s: %s (version 0x%02x, %zu bytes)\n", kind,
            what, data[0], len);
    if (first) {
        fprintf(stderr, "first re-encoding (%zu bytes):", first->size);
        for (size_t i = 0; i < first->size; i++) {
            fprintf(stderr, "%s%02x", i % 32 ? "" : "\n  ", first->data[i]);
        }
        fputc('\n', stderr);
    }
    if (second) {
        fprintf(stderr, "second re-encoding (%zu bytes):", second->size);
        for (size_t i = 0; i < second->size; i++) {
            fprintf(stderr, "%s%02x", i % 32 ? "" : "\n  ", second->data[i]);
        }
        fputc('\n', stderr);
    }
    abort();
}

/* Checks that the re-encoding of the message at 'data' is a fixed point
 * after one round. */
static void
fuzz_check_reencode__(const uint8_t *data, size_t len)
{
    struct ofpbuf *first, *second;

    if (ofp_msg_reencode(data, len, &first)) {
        if (first) {
            fuzz_fail__("error with output", data, len, first, NULL);
        }
        return;
    }
    if (!first) {
        fuzz_fail__("success without output", data, len, NULL, NULL);
    }
    enum ofperr error = ofp_msg_reencode(first->data, first->size, &second);
    if (error) {
        fprintf(stderr, "fuzz-ofp: second round: %s\n",
                ofperr_get_name(error));
        fuzz_fail__("re-encoding does not decode", first->data, first->size,
                    first, NULL);
    }
    if (second->size != first->size ||
        memcmp(second->data, first->data, first->size)) {
        fuzz_fail__("re-encoding is not a fixed point", first->data,
                    first->size, first, second);
    }

    /* The printer must also take what the encoders produce. */
    free(ofp_to_string(first->data, first->size, NULL, 2));
    ofpbuf_delete(second);
    ofpbuf_delete(first);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < sizeof(struct ofp_header) || size > OFP_MAX_MSG_LEN) {
        /* Framing of short or oversized inputs: printing only. */
        free(ofp_to_string(data, size, NULL, 3));
        return 0;
    }

    uint8_t *msg = xmalloc(size);
    memcpy(msg, data, size);
    msg[0] = fuzz_version__(data[0]);
    msg[2] = size >> 8;
    msg[3] = size & 0xff;

    fuzz_check_reencode__(msg, size);
    free(ofp_to_string(msg, size, NULL, 3));
    /* The input as it came, framing errors included. */
    free(ofp_to_string(data, size, NULL, 2));
    free(msg);
    return 0;
}
