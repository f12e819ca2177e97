/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-ofp-msgs: the OpenFlow framing layer — ofpbuf and its reader, the
 * error table, message framing for every kind in every version, multipart
 * replies, hello negotiation — and the switch-level families (ofp-switch,
 * ofp-port, ofp-bundle).  The framing is checked against every message of
 * Open vSwitch's ofp-print cases (tests/vectors/openflow, or
 * $TERN_VECTORS_DIR): each must frame-decode to the kind ovs-ofctl named.
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "lib/ofp-bundle.h"
#include "lib/ofp-errors.h"
#include "lib/ofp-msgs.h"
#include "lib/ofp-nx.h"
#include "lib/ofp-port.h"
#include "lib/ofp-queue.h"
#include "lib/ofp-switch.h"
#include "lib/ofpbuf.h"
#include "lib/util.h"
#include "tests/unit/test-common.h"

/* Counts observed over the vectors, asserted so that changes show. */
#define N_VECTORS_OK             193
#define N_VECTORS_BAD_VERSION    59
#define N_VECTORS_FRAMING_ERRORS 6
/* Kinds x versions that ofp_msg_start() can frame. */
#define N_ENCODINGS 340
/* Vectors of this part's kinds re-encoded byte for byte. */
#define N_ROUND_TRIPS 86
/* Vectors whose ports' "show" text is compared with ovs-ofctl's. */
#define N_PORT_FORMATS 5

/* ---- Vectors. ---- */

struct vector {
    char *title;
    char *first_line;  /* First line of ovs-ofctl's output. */
    char *stdout_text; /* All of it. */
    uint8_t *data;     /* Owned. */
    size_t len;
};

static struct vector *vectors;
static size_t n_vectors;

/* Extracts the message bytes from "... ofp-print HEX ...".  Returns false
 * when the command carries no message (a stderr check, input from a
 * file).  On success the caller owns v->data. */
static bool
parse_hex_cmd(const char *cmd, struct vector *v)
{
    const char *p = strstr(cmd, "ofp-print");
    const char *end;
    char quote = 0;
    struct ds hex = DS_EMPTY;
    bool ok = true;

    if (!p) {
        return false;
    }
    p += strlen("ofp-print");
    while (*p == ' ') {
        p++;
    }
    if (*p == '"' || *p == '\'') {
        quote = *p++;
        end = strchr(p, quote);
    } else {
        end = p + strcspn(p, " |<");
    }
    if (!end || (!quote && end == p + 1 && *p == '-')) {
        return false;
    }
    for (const char *q = p; q < end; q++) {
        if (hex_digit_value(*q) >= 0) {
            ds_put_char(&hex, *q);
        } else if (*q != ' ' && *q != '\n' && *q != '\\') {
            ok = false;
        }
    }
    if (ok && hex.length % 2 == 0) {
        v->len = hex.length / 2;
        v->data = xmalloc(v->len + 1);
        for (size_t i = 0; i < v->len; i++) {
            v->data[i] = hex_digit_value(hex.string[2 * i]) << 4 |
                         hex_digit_value(hex.string[2 * i + 1]);
        }
    } else {
        ok = false;
    }
    ds_destroy(&hex);
    return ok;
}

static int
load_vectors(void **state)
{
    char *path = test_vector_path("openflow/ofp-print-checks.json");
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    size_t i;
    json_t *e;

    (void)state;
    if (!json_is_array(root)) {
        fprintf(stderr, "cannot read %s (set TERN_VECTORS_DIR)\n", path);
        free(path);
        return -1;
    }
    free(path);
    vectors = xcalloc(json_array_size(root), sizeof *vectors);
    json_array_foreach(root, i, e)
    {
        const char *cmd = json_string_value(json_object_get(e, "cmd"));
        const char *out = json_string_value(json_object_get(e, "stdout"));
        struct vector v = {0};

        if (!cmd || !out || !parse_hex_cmd(cmd, &v)) {
            continue;
        }
        v.title = xstrdup(json_string_value(json_object_get(e, "title")));
        v.stdout_text = xstrdup(out);
        v.first_line = xasprintf("%.*s", (int)strcspn(out, "\n"), out);
        vectors[n_vectors++] = v;
    }
    json_decref(root);
    return n_vectors ? 0 : -1;
}

static int
free_vectors(void **state)
{
    (void)state;
    for (size_t i = 0; i < n_vectors; i++) {
        free(vectors[i].title);
        free(vectors[i].first_line);
        free(vectors[i].stdout_text);
        free(vectors[i].data);
    }
    free(vectors);
    return 0;
}

/* Decodes bytes from a fresh heap copy of exactly 'len' bytes, so that
 * ASan catches any read past the end. */
static enum ofperr
decode_exact(const uint8_t *data, size_t len, struct ofp_msg *msg,
             uint8_t **copyp)
{
    uint8_t *copy = xmalloc(len ? len : 1);
    enum ofperr error;

    memcpy(copy, data, len);
    error = ofp_msg_decode(copy, len, msg);
    *copyp = copy;
    return error;
}

/* ---- ofpbuf. ---- */

static void
test_ofpbuf_build(void **state)
{
    struct ofpbuf b;
    uint8_t *p;

    (void)state;
    ofpbuf_init(&b, 0);
    ofpbuf_put_be16(&b, 0x0102);
    ofpbuf_put_be32(&b, 0x03040506);
    ofpbuf_put_be64(&b, 0x0708090a0b0c0d0eull);
    assert_int_equal(b.size, 14);
    ofpbuf_pad_to(&b, 8);
    assert_int_equal(b.size, 16);
    p = ofpbuf_at(&b, 0, 16);
    assert_non_null(p);
    assert_int_equal(p[0], 1);
    assert_int_equal(p[13], 0x0e);
    assert_int_equal(p[15], 0);
    assert_null(ofpbuf_at(&b, 10, 7));
    assert_null(ofpbuf_at(&b, 17, 0));
    for (int i = 0; i < 1000; i++) {
        ofpbuf_put_zeros(&b, 100);
    }
    assert_int_equal(b.size, 16 + 100000);

    struct ofpbuf *c = ofpbuf_clone(&b);
    assert_int_equal(c->size, b.size);
    assert_memory_equal(c->data, b.data, b.size);
    void *stolen = ofpbuf_steal_data(c);
    assert_int_equal(c->size, 0);
    free(stolen);
    ofpbuf_delete(c);
    ofpbuf_delete(NULL);
    ofpbuf_clear(&b);
    assert_int_equal(b.size, 0);
    ofpbuf_uninit(&b);
}

static void
test_ofpbuf_reader(void **state)
{
    static const uint8_t bytes[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    struct ofp_reader r;
    uint16_t v16;
    uint32_t v32;
    uint64_t v64;

    (void)state;
    ofp_reader_init(&r, bytes, sizeof bytes);
    assert_true(ofp_reader_be16(&r, &v16));
    assert_int_equal(v16, 0x0102);
    assert_int_equal(r.size, 9);
    assert_true(ofp_reader_be32(&r, &v32));
    assert_int_equal(v32, 0x03040506);
    assert_false(ofp_reader_be64(&r, &v64));
    assert_int_equal(r.size, 5);
    assert_null(ofp_reader_pull(&r, 6));
    assert_non_null(ofp_reader_pull(&r, 5));
    assert_int_equal(r.size, 0);
    assert_false(ofp_reader_be16(&r, &v16));

    ofp_reader_init(&r, bytes, 8);
    assert_true(ofp_reader_be64(&r, &v64));
    assert_true(v64 == 0x0102030405060708ull);
}

/* ---- Errors. ---- */

static const uint8_t all_versions[] = {OFP10_VERSION, OFP13_VERSION,
                                       OFP14_VERSION, OFP15_VERSION};

static void
check_type_code(enum ofperr e, uint8_t version, int type, int code)
{
    uint16_t t, c;

    if (type < 0) {
        assert_false(ofperr_get_type_code(e, version, &t, &c));
        return;
    }
    assert_true(ofperr_get_type_code(e, version, &t, &c));
    assert_int_equal(t, type);
    assert_int_equal(c, code);
}

static void
test_errors_names(void **state)
{
    (void)state;
    for (int e = 1; e < OFPERR_N_ERRORS; e++) {
        const char *name = ofperr_get_name(e);

        assert_string_not_equal(name, "<unknown>");
        assert_int_equal(ofperr_from_name(name), e);
        assert_non_null(strchr(ofperr_get_description(e), ':'));
    }
    assert_string_equal(ofperr_get_name(OFPERR_OFPBRC_BAD_LEN),
                        "OFPBRC_BAD_LEN");
    assert_string_equal(ofperr_get_description(OFPERR_OFPBRC_BAD_LEN),
                        "bad request: bad length");
    assert_int_equal(ofperr_from_name("OFPERR_OFPBRC_BAD_LEN"),
                     OFPERR_OFPBRC_BAD_LEN);
    assert_int_equal(ofperr_from_name("OFPBRC_BAD_STAT"),
                     OFPERR_OFPBRC_BAD_MULTIPART);
    assert_int_equal(ofperr_from_name("NOPE"), 0);
    assert_string_equal(ofperr_get_name(0), "<unknown>");
    assert_string_equal(ofperr_get_name(OFPERR_N_ERRORS), "<unknown>");
}

static void
test_errors_wire(void **state)
{
    (void)state;
    /* Round trip for every error every version can express. */
    for (size_t i = 0; i < ARRAY_SIZE(all_versions); i++) {
        int n = 0;

        for (int e = 1; e < OFPERR_N_ERRORS; e++) {
            uint16_t t, c;
            enum ofperr back;

            if (!ofperr_get_type_code(e, all_versions[i], &t, &c)) {
                continue;
            }
            n++;
            back = ofperr_from_type_code(all_versions[i], t, c);
            /* 1.3 shares table-features codes with bad-property ones. */
            if (back != (enum ofperr)e) {
                assert_int_equal(all_versions[i], OFP13_VERSION);
                assert_int_equal(t, 13);
            }
        }
        assert_true(n >= 30);
    }
    check_type_code(OFPERR_OFPFMFC_TABLE_FULL, OFP10_VERSION, 3, 0);
    check_type_code(OFPERR_OFPFMFC_TABLE_FULL, OFP13_VERSION, 5, 1);
    check_type_code(OFPERR_OFPFMFC_OVERLAP, OFP10_VERSION, 3, 1);
    check_type_code(OFPERR_OFPFMFC_BAD_COMMAND, OFP10_VERSION, 3, 4);
    check_type_code(OFPERR_OFPFMFC_UNSUPPORTED, OFP10_VERSION, 3, 5);
    check_type_code(OFPERR_OFPFMFC_UNSUPPORTED, OFP13_VERSION, -1, 0);
    check_type_code(OFPERR_OFPPMFC_BAD_PORT, OFP10_VERSION, 4, 0);
    check_type_code(OFPERR_OFPPMFC_BAD_PORT, OFP14_VERSION, 7, 0);
    check_type_code(OFPERR_OFPQOFC_BAD_QUEUE, OFP10_VERSION, 5, 1);
    check_type_code(OFPERR_OFPBRC_BAD_MULTIPART, OFP10_VERSION, 1, 2);
    check_type_code(OFPERR_OFPBRC_BAD_TABLE_ID, OFP10_VERSION, -1, 0);
    check_type_code(OFPERR_OFPBRC_PIPELINE_FIELDS_ONLY, OFP15_VERSION, 1, 17);
    check_type_code(OFPERR_OFPBRC_PIPELINE_FIELDS_ONLY, OFP13_VERSION, -1, 0);
    check_type_code(OFPERR_OFPBFC_BAD_ID, OFP14_VERSION, 17, 2);
    check_type_code(OFPERR_OFPBFC_BAD_ID, OFP13_VERSION, 0xffff, 2302);
    check_type_code(OFPERR_OFPBPC_BAD_TYPE, OFP14_VERSION, 14, 0);
    check_type_code(OFPERR_OFPTFFC_BAD_TYPE, OFP14_VERSION, -1, 0);
    check_type_code(OFPERR_OFPMMFC_BAD_BAND, OFP13_VERSION, 12, 8);
    check_type_code(OFPERR_OFPGMFC_UNKNOWN_BUCKET, OFP15_VERSION, 6, 15);
    assert_int_equal(ofperr_from_type_code(OFP13_VERSION, 0xffff, 2309),
                     OFPERR_OFPBFC_MSG_BAD_XID);
    assert_int_equal(ofperr_from_type_code(OFP10_VERSION, 3, 0),
                     OFPERR_OFPFMFC_TABLE_FULL);
    assert_int_equal(ofperr_from_type_code(OFP13_VERSION, 99, 0), 0);
}

static void
test_errors_encode(void **state)
{
    uint8_t req[100];
    struct ofpbuf *b;
    struct ofp_msg msg;

    (void)state;
    memset(req, 0xab, sizeof req);
    req[0] = OFP13_VERSION;
    req[1] = 14;
    req[2] = 0;
    req[3] = sizeof req;
    memcpy(req + 4, "\x12\x34\x56\x78", 4);

    b = ofperr_encode_reply(OFPERR_OFPBRC_BAD_LEN, (void *)req, sizeof req);
    assert_int_equal(b->size, 12 + 64);
    assert_int_equal(ofp_msg_decode(b->data, b->size, &msg), 0);
    assert_int_equal(msg.type, OFPTYPE_ERROR);
    assert_int_equal(msg.xid, 0x12345678);
    assert_int_equal(ofp_get_be16(b->data + 8), 1);
    assert_int_equal(ofp_get_be16(b->data + 10), 6);
    assert_memory_equal(b->data + 12, req, 64);
    ofpbuf_delete(b);

    /* A 1.0 request gets the 1.0 code; one 1.0 lacks gets a fallback. */
    req[0] = OFP10_VERSION;
    b = ofperr_encode_reply(OFPERR_OFPFMFC_TABLE_FULL, (void *)req, 20);
    assert_int_equal(b->size, 12 + 20);
    assert_int_equal(b->data[0], OFP10_VERSION);
    assert_int_equal(ofp_get_be16(b->data + 8), 3);
    assert_int_equal(ofp_get_be16(b->data + 10), 0);
    ofpbuf_delete(b);
    b = ofperr_encode_reply(OFPERR_OFPBMC_BAD_PREREQ, (void *)req, 8);
    assert_int_equal(ofp_get_be16(b->data + 8), 1);
    assert_int_equal(ofp_get_be16(b->data + 10), 5);
    ofpbuf_delete(b);

    /* 1.3 bundle errors are ONF experimenter errors. */
    req[0] = OFP13_VERSION;
    b = ofperr_encode_reply(OFPERR_OFPBFC_BAD_ID, (void *)req, 8);
    assert_int_equal(b->size, 16 + 8);
    assert_int_equal(ofp_get_be16(b->data + 8), 0xffff);
    assert_int_equal(ofp_get_be16(b->data + 10), 2302);
    assert_memory_equal(b->data + 12, "\x4f\x4e\x46\x00", 4);
    ofpbuf_delete(b);
    b = ofperr_encode_reply(OFPERR_OFPBRC_PIPELINE_FIELDS_ONLY, (void *)req,
                            8);
    assert_int_equal(ofp_get_be16(b->data + 10), 5); /* OFPBRC_EPERM. */
    ofpbuf_delete(b);

    b = ofperr_encode_hello(OFPERR_OFPHFC_INCOMPATIBLE, OFP13_VERSION, 7,
                            "no common version");
    assert_int_equal(b->size, 12 + strlen("no common version"));
    assert_int_equal(ofp_get_be16(b->data + 2), b->size);
    assert_int_equal(ofp_get_be16(b->data + 8), 0);
    assert_int_equal(ofp_get_be16(b->data + 10), 0);
    assert_memory_equal(b->data + 12, "no common", 9);
    ofpbuf_delete(b);
}

/* ---- Framing. ---- */

/* The kind ovs-ofctl named in 'line' ("OFPST_FLOW request (OF1.3) ..."),
 * copied into 'buf'. */
static void
vector_kind(const char *line, char *buf, size_t size)
{
    const char *end;

    if (*line == '[') {
        line++;
    }
    end = strstr(line, " (");
    if (!end) {
        end = line + strcspn(line, ":");
    }
    snprintf(buf, size, "%.*s", (int)(end - line), line);
}

static void
test_msgs_vectors(void **state)
{
    int n_ok = 0, n_bad_version = 0, n_framing_errors = 0;

    (void)state;
    for (size_t i = 0; i < n_vectors; i++) {
        const struct vector *v = &vectors[i];
        const char *line = v->first_line;
        struct ofp_msg msg;
        uint8_t *copy;
        enum ofperr error = decode_exact(v->data, v->len, &msg, &copy);
        const char *derr = strstr(line, "***decode error: ");

        if (v->len >= 2 &&
            (v->data[0] == OFP11_VERSION || v->data[0] == OFP12_VERSION) &&
            v->data[1] > 1) {
            bool len_ok = v->len >= 4 && ofp_get_be16(v->data + 2) == v->len;

            n_bad_version++;
            if (error !=
                (len_ok ? OFPERR_OFPBRC_BAD_VERSION : OFPERR_OFPBRC_BAD_LEN)) {
                fail_msg("%s: got %s", v->title, ofperr_get_name(error));
            }
        } else if (derr == line || !strncmp(line, "(***", 4) ||
                   !strncmp(line, "OpenFlow ", 9)) {
            /* A framing error: the one ovs-ofctl names, or a length
             * error. */
            char name[64];

            n_framing_errors++;
            if (!error) {
                fail_msg("%s: decodes", v->title);
            }
            if (derr == line) {
                snprintf(name, sizeof name, "%.*s",
                         (int)strcspn(line + 17, "*"), line + 17);
                if (error != ofperr_from_name(name)) {
                    assert_int_equal(error, OFPERR_OFPBRC_BAD_LEN);
                }
            } else {
                assert_int_equal(error, OFPERR_OFPBRC_BAD_LEN);
            }
        } else {
            char want[128];

            if (error) {
                fail_msg("%s: got %s", v->title, ofperr_get_name(error));
            }
            assert_ptr_equal(msg.oh, copy);
            assert_int_equal(msg.len, v->len);
            assert_true(msg.body >= copy &&
                        msg.body + msg.body_len == copy + v->len);
            if (line[0]) {
                vector_kind(line, want, sizeof want);
                if (strcmp(want, ofptype_get_name(msg.type, msg.version))) {
                    fail_msg("%s: want %s, got %s", v->title, want,
                             ofptype_get_name(msg.type, msg.version));
                }
            }
            n_ok++;
        }
        free(copy);
    }
    printf("ofp-print vectors: %d framed, %d OpenFlow 1.1/1.2, "
           "%d framing errors\n",
           n_ok, n_bad_version, n_framing_errors);
    assert_int_equal(n_ok, N_VECTORS_OK);
    assert_int_equal(n_bad_version, N_VECTORS_BAD_VERSION);
    assert_int_equal(n_framing_errors, N_VECTORS_FRAMING_ERRORS);
}

/* The three malformed-framing cases, by hand. */
static void
test_msgs_malformed(void **state)
{
    static const uint8_t wrong_version[] = {0x00, 0xbb, 0x00, 0x08,
                                            0xee, 0xff, 0x00, 0x11};
    static const uint8_t truncated[] = {0x01, 0x10, 0xcc, 0xdd,
                                        0xee, 0xff, 0x00, 0x11};
    static const uint8_t part[] = {0x01, 0x10, 0x00, 0x09, 0xee,
                                   0xff, 0x00, 0x11, 0x22, 0x33};
    static const uint8_t v12_flow_mod[] = {0x03, 0x0e, 0x00, 0x08, 0, 0, 0, 1};
    static const uint8_t v12_hello[] = {0x03, 0x00, 0x00, 0x08, 0, 0, 0, 1};
    static const uint8_t unknown_nx[] = {0x04, 0x04, 0x00, 0x10, 0,    0,
                                         0,    1,    0,    0,    0x23, 0x20,
                                         0,    0,    0x7f, 0x7f};
    static const uint8_t unknown_exp[] = {0x04, 0x04, 0x00, 0x10, 0, 0, 0, 1,
                                          0x12, 0x34, 0x56, 0x78, 0, 0, 0, 1};
    static const uint8_t unknown_mp[] = {0x04, 0x12, 0x00, 0x10, 0, 0, 0, 1,
                                         0x00, 0x77, 0,    0,    0, 0, 0, 0};
    static const uint8_t unknown_type[] = {0x04, 0x63, 0x00, 0x08, 0, 0, 0, 1};
    struct ofp_msg msg;

    (void)state;
    assert_int_equal(ofp_msg_decode(wrong_version, 8, &msg),
                     OFPERR_OFPBRC_BAD_TYPE);
    assert_int_equal(ofp_msg_decode(truncated, 8, &msg),
                     OFPERR_OFPBRC_BAD_LEN);
    assert_int_equal(ofp_msg_decode(part, sizeof part, &msg),
                     OFPERR_OFPBRC_BAD_LEN);
    assert_int_equal(ofp_msg_decode(part, 9, &msg), OFPERR_OFPBRC_BAD_LEN);
    assert_int_equal(ofp_msg_decode(part, 0, &msg), OFPERR_OFPBRC_BAD_LEN);
    assert_int_equal(ofp_msg_decode(NULL, 0, &msg), OFPERR_OFPBRC_BAD_LEN);
    assert_int_equal(ofp_msg_decode(v12_flow_mod, 8, &msg),
                     OFPERR_OFPBRC_BAD_VERSION);
    assert_int_equal(ofp_msg_decode(v12_hello, 8, &msg), 0);
    assert_int_equal(msg.type, OFPTYPE_HELLO);
    assert_int_equal(ofp_msg_decode(unknown_nx, 16, &msg),
                     OFPERR_OFPBRC_BAD_EXP_TYPE);
    assert_int_equal(ofp_msg_decode(unknown_exp, 16, &msg),
                     OFPERR_OFPBRC_BAD_EXPERIMENTER);
    assert_int_equal(ofp_msg_decode(unknown_exp, 12, &msg),
                     OFPERR_OFPBRC_BAD_LEN);
    assert_int_equal(ofp_msg_decode(unknown_mp, 16, &msg),
                     OFPERR_OFPBRC_BAD_MULTIPART);
    assert_int_equal(ofp_msg_decode(unknown_type, 8, &msg),
                     OFPERR_OFPBRC_BAD_TYPE);
}

/* Every prefix of every vector, with its length field patched to match,
 * decodes or fails cleanly without reading past the end (ASan). */
static void
test_msgs_truncations(void **state)
{
    (void)state;
    for (size_t i = 0; i < n_vectors; i++) {
        const struct vector *v = &vectors[i];

        for (size_t len = 0; len <= v->len; len++) {
            uint8_t *copy = xmalloc(len ? len : 1);
            struct ofp_msg msg;
            enum ofperr error;

            memcpy(copy, v->data, len);
            if (len >= 4) {
                copy[2] = len >> 8;
                copy[3] = len & 0xff;
            }
            error = ofp_msg_decode(copy, len, &msg);
            if (!error) {
                assert_true(msg.body_len <= len);
                if (msg.type == OFPTYPE_HELLO) {
                    (void)ofp_hello_decode_versions(&msg);
                }
            } else {
                assert_true(error > 0 && error < OFPERR_N_ERRORS);
            }
            free(copy);
        }
    }
}

/* Every kind, in every version that has it, encodes with ofp_msg_start()
 * and decodes back to itself with the same xid and body. */
static void
test_msgs_every_kind(void **state)
{
    int n_encodings = 0;

    (void)state;
    for (size_t vi = 0; vi < ARRAY_SIZE(all_versions); vi++) {
        enum ofp_version version = all_versions[vi];

        for (int t = OFPTYPE_HELLO; t < OFPTYPE_N_TYPES; t++) {
            struct ofpbuf *b = ofp_msg_start(t, version, 0x1234, 0);
            size_t ofs;
            bool found = false;

            if (!b) {
                continue;
            }
            n_encodings++;
            ofs = ofp_msg_body_offset(b);
            assert_int_equal(ofs, b->size);
            for (size_t body = 0; body <= 1100 && !found; body++) {
                struct ofp_msg msg;

                ofp_msg_finish(b);
                if (!ofp_msg_decode(b->data, b->size, &msg)) {
                    found = true;
                    assert_int_equal(msg.type, t);
                    assert_int_equal(msg.version, version);
                    assert_int_equal(msg.xid, 0x1234);
                    assert_int_equal(msg.body_len, body);
                    assert_ptr_equal(msg.body, b->data + ofs);
                } else {
                    ofpbuf_put_zeros(b, 1);
                }
            }
            if (!found) {
                fail_msg("%s in %s does not decode",
                         ofptype_get_name(t, version),
                         ofp_version_to_name(version));
            }
            assert_string_not_equal(ofptype_get_name(t, version),
                                    "<unknown message>");
            ofpbuf_delete(b);
        }
    }
    assert_int_equal(n_encodings, N_ENCODINGS);
    /* Kinds a version lacks. */
    assert_null(ofp_msg_start(OFPTYPE_GROUP_MOD, OFP10_VERSION, 1, 0));
    assert_null(ofp_msg_start(OFPTYPE_ROLE_REQUEST, OFP10_VERSION, 1, 0));
    assert_null(ofp_msg_start(OFPTYPE_FLOW_MOD, OFP12_VERSION, 1, 0));
    assert_null(
        ofp_msg_start(OFPTYPE_QUEUE_GET_CONFIG_REQUEST, OFP14_VERSION, 1, 0));

    assert_true(ofptype_is_multipart(OFPTYPE_FLOW_STATS_REPLY));
    assert_true(ofptype_is_multipart(OFPTYPE_NXST_FLOW_REQUEST));
    assert_false(ofptype_is_multipart(OFPTYPE_FLOW_MOD));
    assert_true(ofptype_is_reply(OFPTYPE_FLOW_STATS_REPLY));
    assert_true(ofptype_is_reply(OFPTYPE_ECHO_REPLY));
    assert_true(ofptype_is_reply(OFPTYPE_NXT_ROLE_REPLY));
    assert_false(ofptype_is_reply(OFPTYPE_FLOW_STATS_REQUEST));
    assert_false(ofptype_is_reply(OFPTYPE_PACKET_IN));
    assert_string_equal(
        ofptype_get_name(OFPTYPE_GROUP_STATS_REQUEST, OFP10_VERSION),
        "NXST_GROUP request");
    assert_string_equal(
        ofptype_get_name(OFPTYPE_BUNDLE_CONTROL, OFP14_VERSION),
        "OFPT_BUNDLE_CONTROL");
    assert_string_equal(
        ofptype_get_name(OFPTYPE_BUNDLE_CONTROL, OFP13_VERSION),
        "ONFT_BUNDLE_CONTROL");
}

static void
test_msgs_encode_bytes(void **state)
{
    static const uint8_t nxst_flow[] = {
        0x01, 0x10, 0x00, 0x18, 0x00, 0x00, 0x00, 0x04, 0xff, 0xff, 0x00, 0x00,
        0x00, 0x00, 0x23, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    };
    static const uint8_t mp13[] = {0x04, 0x12, 0x00, 0x10, 0x00, 0x00,
                                   0x00, 0x02, 0x00, 0x0d, 0x00, 0x00,
                                   0x00, 0x00, 0x00, 0x00};
    static const uint8_t onf_bundle[] = {0x04, 0x04, 0x00, 0x10, 0x00, 0x00,
                                         0x00, 0x05, 0x4f, 0x4e, 0x46, 0x00,
                                         0x00, 0x00, 0x08, 0xfc};
    struct ofpbuf *b;
    struct ofp_msg req;

    (void)state;
    b = ofp_msg_start(OFPTYPE_NXST_FLOW_REQUEST, OFP10_VERSION, 4, 0);
    ofp_msg_finish(b);
    assert_int_equal(b->size, sizeof nxst_flow);
    assert_memory_equal(b->data, nxst_flow, sizeof nxst_flow);
    ofpbuf_delete(b);

    b = ofp_msg_start(OFPTYPE_PORT_DESC_STATS_REQUEST, OFP13_VERSION, 2, 0);
    ofp_msg_finish(b);
    assert_memory_equal(b->data, mp13, sizeof mp13);
    assert_int_equal(ofp_msg_decode(b->data, b->size, &req), 0);
    ofpbuf_delete(b);

    b = ofp_msg_start_reply(OFPTYPE_PORT_DESC_STATS_REPLY, &req, 0);
    ofp_msg_finish(b);
    assert_int_equal(b->data[1], 19);
    assert_int_equal(b->data[7], 2);
    ofpbuf_delete(b);

    b = ofp_msg_start(OFPTYPE_BUNDLE_CONTROL, OFP13_VERSION, 5, 8);
    ofp_msg_finish(b);
    assert_memory_equal(b->data, onf_bundle, sizeof onf_bundle);
    ofpbuf_delete(b);

    uint32_t a = ofp_msg_next_xid(), c = ofp_msg_next_xid();
    assert_int_not_equal(a, c);
}

static void
test_msgs_mp_reply(void **state)
{
    uint8_t request[] = {0x01, 0x10, 0x00, 0x14, 0x00, 0x00, 0x00,
                         0x09, 0x00, 0x04, 0x00, 0x00, 0xff, 0xff,
                         0,    0,    0,    0,    0,    0};
    uint8_t entry[104];
    struct ofp_mp_reply mp;
    struct ofp_msg req;
    struct ofpbuf **msgs;
    size_t n, total = 0;

    (void)state;
    assert_int_equal(ofp_msg_decode(request, sizeof request, &req), 0);
    assert_int_equal(req.type, OFPTYPE_PORT_STATS_REQUEST);
    ofp_mp_reply_start(&mp, OFPTYPE_PORT_STATS_REPLY, &req);
    for (int i = 0; i < 1500; i++) {
        memset(entry, i & 0xff, sizeof entry);
        ofp_mp_reply_append(&mp, entry, sizeof entry);
    }
    ofp_mp_reply_finish(&mp, &msgs, &n);
    assert_int_equal(n, 3);
    for (size_t i = 0; i < n; i++) {
        struct ofp_msg m;

        assert_true(msgs[i]->size <= OFP_MAX_MSG_LEN);
        assert_int_equal(ofp_msg_decode(msgs[i]->data, msgs[i]->size, &m), 0);
        assert_int_equal(m.type, OFPTYPE_PORT_STATS_REPLY);
        assert_int_equal(m.xid, 9);
        assert_int_equal(m.mp_flags & OFPSF_REPLY_MORE, i + 1 < n);
        assert_int_equal(m.body_len % sizeof entry, 0);
        total += m.body_len / sizeof entry;
        ofpbuf_delete(msgs[i]);
    }
    free(msgs);
    assert_int_equal(total, 1500);

    /* An empty reply is one message without MORE. */
    ofp_mp_reply_start(&mp, OFPTYPE_PORT_STATS_REPLY, &req);
    ofp_mp_reply_finish(&mp, &msgs, &n);
    assert_int_equal(n, 1);
    assert_int_equal(msgs[0]->size, 12);
    ofpbuf_delete(msgs[0]);
    free(msgs);
}

static void
test_msgs_hello(void **state)
{
    static const struct {
        const char *hex;
        uint32_t versions;
    } cases[] = {
        {"0100000800000000", 0x2},
        {"0100001300000000657874726120646174610a", 0x2},
        {"010000100000000000010008000000f0", 0xf0},
        {"0100001b00000000ffff000601020000000100080000"
         "00f0616263",
         0xf0},
        {"0f00000800000000", 0xfffe},
        {"4000000800000000", 0xfffffffe},
        {"3f00001800000000"
         "0001000caaaaaaaaaaaaaaaa00000000",
         0xaaaaaaaa},
        {"0100001000000000"
         "0001000800000000",
         0x2},
        {"0100001000000000"
         "00010008000000f1",
         0xf0},
        {"0100001000000000"
         "0001000800000001",
         0x2},
        {"0100000c00000000"
         "00010004",
         0x2},
        {"0100000c00000000"
         "0001ffff",
         0x2},
    };
    struct ofpbuf *b;
    struct ofp_msg msg;

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        uint8_t buf[64];
        int n = hex_to_bytes(cases[i].hex, buf, sizeof buf);

        assert_true(n > 0);
        assert_int_equal(ofp_msg_decode(buf, n, &msg), 0);
        assert_int_equal(msg.type, OFPTYPE_HELLO);
        assert_int_equal(ofp_hello_decode_versions(&msg), cases[i].versions);

        /* A decoded hello is written again as it came, extra bytes and
         * all. */
        struct ofp_hello hello;
        ofp_hello_decode(&msg, &hello);
        assert_int_equal(hello.versions, cases[i].versions);
        assert_int_equal(hello.version, buf[0]);
        b = ofp_hello_encode_raw(&hello, msg.xid);
        assert_int_equal(b->size, n);
        assert_memory_equal(b->data, buf, n);
        ofpbuf_delete(b);
    }

    b = ofp_hello_encode(OFP_SUPPORTED_VERSIONS, 3);
    assert_int_equal(b->size, 16);
    assert_int_equal(b->data[0], OFP15_VERSION);
    assert_int_equal(ofp_msg_decode(b->data, b->size, &msg), 0);
    assert_int_equal(ofp_hello_decode_versions(&msg), OFP_SUPPORTED_VERSIONS);
    ofpbuf_delete(b);

    b = ofp_hello_encode(1u << OFP10_VERSION, 3);
    assert_int_equal(b->size, 8);
    assert_int_equal(b->data[0], OFP10_VERSION);
    ofpbuf_delete(b);
}

static void
test_msgs_versions(void **state)
{
    uint32_t bitmap = 0;

    (void)state;
    assert_int_equal(ofp_version_from_name("OpenFlow13"), OFP13_VERSION);
    assert_int_equal(ofp_version_from_name("OpenFlow10"), OFP10_VERSION);
    assert_int_equal(ofp_version_from_name("OpenFlow16"), 0);
    assert_string_equal(ofp_version_to_name(OFP15_VERSION), "OpenFlow15");
    assert_null(ofp_version_to_name(9));
    assert_true(ofp_versions_from_string("OpenFlow10,OpenFlow13", &bitmap));
    assert_int_equal(bitmap, (1u << 1) | (1u << 4));
    assert_true(ofp_versions_from_string("OpenFlow14, OpenFlow15", &bitmap));
    assert_int_equal(bitmap, (1u << 5) | (1u << 6));
    assert_false(ofp_versions_from_string("OpenFlow13,bogus", &bitmap));
    assert_int_equal(bitmap, (1u << 5) | (1u << 6));
}

/* ---- Switch-level families: decode then encode gives the same bytes. ---- */

/* Re-encodes 'msg' (a vector) with the family codecs of this part.
 * Returns the new message (caller frees), or NULL if the kind is not one
 * of this part's.  '*expect_error' is set if the decoder refused. */
static struct ofpbuf *
reencode_ports(const struct ofp_msg *msg, enum ofptype reply_type)
{
    struct ofp_mp_reply mp;
    struct ofp_msg req = *msg;
    struct ofp_reader r;
    struct ofp_phy_port pp;
    struct ofp_port_stats ps;
    struct ofpbuf **msgs, *out;
    size_t n;
    int error;

    ofp_mp_reply_start(&mp, reply_type, &req);
    ofp_reader_init(&r, msg->body, msg->body_len);
    if (reply_type == OFPTYPE_PORT_DESC_STATS_REPLY) {
        while (!(error = ofp_phy_port_decode_next(&r, msg->version, &pp))) {
            struct ofpbuf b;

            ofpbuf_init(&b, 64);
            ofp_phy_port_append(&pp, msg->version, &b);
            ofp_mp_reply_append(&mp, b.data, b.size);
            ofpbuf_uninit(&b);
        }
    } else {
        while (!(error = ofp_port_stats_decode_next(&r, msg->version, &ps))) {
            ofp_port_stats_append(&ps, &mp);
        }
    }
    assert_int_equal(error, EOF);
    ofp_mp_reply_finish(&mp, &msgs, &n);
    assert_int_equal(n, 1);
    out = msgs[0];
    free(msgs);
    return out;
}

static struct ofpbuf *
reencode_table_stats(const struct ofp_msg *msg)
{
    struct ofp_mp_reply mp;
    struct ofp_reader r;
    struct ofp_table_stats ts;
    struct ofpbuf **msgs, *out;
    size_t n;
    int error;

    ofp_mp_reply_start(&mp, msg->type, msg);
    ofp_reader_init(&r, msg->body, msg->body_len);
    while (!(error = ofp_table_stats_decode_next(&r, msg->version, &ts))) {
        ofp_table_stats_append(&ts, &mp);
    }
    assert_int_equal(error, EOF);
    ofp_mp_reply_finish(&mp, &msgs, &n);
    assert_int_equal(n, 1);
    out = msgs[0];
    free(msgs);
    return out;
}

static struct ofpbuf *
reencode_features(const struct ofp_msg *msg)
{
    struct ofp_switch_features f;
    struct ofp_reader r;
    struct ofp_phy_port ports[16];
    size_t n = 0;
    int error;

    assert_int_equal(ofp_features_reply_decode(msg, &f, &r), 0);
    while (n < ARRAY_SIZE(ports) &&
           !(error = ofp_phy_port_decode_next(&r, msg->version, &ports[n]))) {
        n++;
    }
    assert_int_equal(error, EOF);
    return ofp_features_reply_encode(&f, ports, n, msg);
}

static struct ofpbuf *
reencode_desc(const struct ofp_msg *msg)
{
    char str[5][257];
    static const size_t ofs[5] = {0, 256, 512, 768, 800};
    static const size_t len[5] = {256, 256, 256, 32, 256};

    for (int i = 0; i < 5; i++) {
        memcpy(str[i], msg->body + ofs[i], len[i]);
        str[i][len[i]] = '\0';
    }
    struct ofp_desc_stats d = {str[0], str[1], str[2], str[3], str[4]};
    return ofp_desc_stats_reply_encode(&d, msg);
}

static struct ofpbuf *
reencode_role(const struct ofp_msg *msg)
{
    struct ofp_role_request rr;

    assert_int_equal(ofp_role_request_decode(msg, &rr), 0);
    switch (msg->type) {
    case OFPTYPE_ROLE_REQUEST:
    case OFPTYPE_NXT_ROLE_REQUEST:
        return ofp_role_request_encode(&rr, msg->version, msg->xid);
    case OFPTYPE_ROLE_STATUS: {
        struct ofpbuf *b =
            ofp_role_status_encode(&rr, msg->body[4], msg->version);
        memcpy(b->data + 4, &msg->oh->xid, 4); /* Status xids are 0. */
        return b;
    }
    default: {
        struct ofp_msg req = *msg;

        req.type = msg->type == OFPTYPE_NXT_ROLE_REPLY
                       ? OFPTYPE_NXT_ROLE_REQUEST
                       : OFPTYPE_ROLE_REQUEST;
        return ofp_role_reply_encode(&rr, &req);
    }
    }
}

static struct ofpbuf *
reencode_bundle(const struct ofp_msg *msg)
{
    if (msg->type == OFPTYPE_BUNDLE_CONTROL) {
        struct ofp_bundle_ctrl bc;

        assert_int_equal(ofp_bundle_ctrl_decode(msg, &bc), 0);
        return ofp_bundle_ctrl_encode(&bc, msg->version, msg->xid);
    } else {
        struct ofp_bundle_add ba;
        enum ofperr error = ofp_bundle_add_decode(msg, &ba);

        if (error) {
            return NULL;
        }
        return ofp_bundle_add_encode(&ba, msg->version, msg->xid);
    }
}

/* Queue statistics and descriptions through their multipart walkers. */
static struct ofpbuf *
reencode_queue_mp(const struct ofp_msg *msg, enum ofptype request_type)
{
    struct ofp_msg req = *msg;
    struct ofp_mp_reply mp;
    struct ofp_reader r;
    struct ofp_queue_stats qs;
    struct ofp_queue_desc qd;
    struct ofpbuf **msgs, *out;
    size_t n;
    int error;

    req.type = request_type;
    ofp_mp_reply_start(&mp, msg->type, &req);
    ofp_reader_init(&r, msg->body, msg->body_len);
    if (msg->type == OFPTYPE_QUEUE_STATS_REPLY) {
        while (!(error = ofp_queue_stats_decode_next(&r, msg->version, &qs))) {
            ofp_queue_stats_append(&qs, &mp);
        }
    } else {
        while (!(error = ofp_queue_desc_decode_next(&r, msg->version, OFPP_ANY,
                                                    &qd))) {
            ofp_queue_desc_append(&qd, &mp);
        }
    }
    assert_int_equal(error, EOF);
    ofp_mp_reply_finish(&mp, &msgs, &n);
    assert_int_equal(n, 1);
    out = msgs[0];
    free(msgs);
    return out;
}

static struct ofpbuf *
reencode_queue_config_reply(const struct ofp_msg *msg)
{
    struct ofp_queue_desc qs[8];
    struct ofp_reader r;
    uint32_t port;
    size_t n = 0;
    int error;

    assert_int_equal(ofp_queue_get_config_reply_decode(msg, &port, &r), 0);
    while (!(error =
                 ofp_queue_desc_decode_next(&r, msg->version, port, &qs[n]))) {
        n++;
        assert_true(n < ARRAY_SIZE(qs));
    }
    assert_int_equal(error, EOF);
    return ofp_queue_get_config_reply_encode(port, qs, n, msg->version,
                                             msg->xid);
}

/* Returns the re-encoding of 'msg', or NULL if not this part's kind. */
static struct ofpbuf *
reencode(const struct ofp_msg *msg)
{
    struct ofp_port_mod pm;
    struct ofp_phy_port pp;
    uint32_t port;
    uint8_t reason;

    switch (msg->type) {
    case OFPTYPE_FEATURES_REPLY:
        return reencode_features(msg);
    case OFPTYPE_PORT_STATUS:
        assert_int_equal(ofp_port_status_decode(msg, &reason, &pp), 0);
        return ofp_port_status_encode(reason, &pp, msg->version, msg->xid);
    case OFPTYPE_PORT_MOD:
        assert_int_equal(ofp_port_mod_decode(msg, &pm), 0);
        return ofp_port_mod_encode(&pm, msg->version, msg->xid);
    case OFPTYPE_PORT_STATS_REQUEST:
    case OFPTYPE_PORT_DESC_STATS_REQUEST:
        assert_int_equal(ofp_port_request_decode(msg, &port), 0);
        return ofp_port_request_encode(msg->type, port, msg->version,
                                       msg->xid);
    case OFPTYPE_PORT_STATS_REPLY:
    case OFPTYPE_PORT_DESC_STATS_REPLY:
        return reencode_ports(msg, msg->type);
    case OFPTYPE_TABLE_STATS_REPLY:
        return reencode_table_stats(msg);
    case OFPTYPE_DESC_STATS_REPLY:
        return reencode_desc(msg);
    case OFPTYPE_ROLE_REQUEST:
    case OFPTYPE_ROLE_REPLY:
    case OFPTYPE_NXT_ROLE_REQUEST:
    case OFPTYPE_NXT_ROLE_REPLY:
    case OFPTYPE_ROLE_STATUS:
        return reencode_role(msg);
    case OFPTYPE_BUNDLE_CONTROL:
    case OFPTYPE_BUNDLE_ADD_MESSAGE:
        return reencode_bundle(msg);
    case OFPTYPE_QUEUE_STATS_REQUEST:
    case OFPTYPE_QUEUE_DESC_STATS_REQUEST: {
        struct ofp_queue_request rq;
        assert_int_equal(ofp_queue_request_decode(msg, &rq), 0);
        return ofp_queue_request_encode(msg->type, &rq, msg->version,
                                        msg->xid);
    }
    case OFPTYPE_QUEUE_STATS_REPLY:
        return reencode_queue_mp(msg, OFPTYPE_QUEUE_STATS_REQUEST);
    case OFPTYPE_QUEUE_DESC_STATS_REPLY:
        return reencode_queue_mp(msg, OFPTYPE_QUEUE_DESC_STATS_REQUEST);
    case OFPTYPE_QUEUE_GET_CONFIG_REQUEST:
        assert_int_equal(ofp_queue_get_config_request_decode(msg, &port), 0);
        return ofp_queue_get_config_request_encode(port, msg->version,
                                                   msg->xid);
    case OFPTYPE_QUEUE_GET_CONFIG_REPLY:
        return reencode_queue_config_reply(msg);
    case OFPTYPE_NXT_SET_FLOW_FORMAT:
    case OFPTYPE_NXT_SET_PACKET_IN_FORMAT:
    case OFPTYPE_NXT_FLOW_MOD_TABLE_ID:
    case OFPTYPE_NXT_SET_CONTROLLER_ID:
    case OFPTYPE_NXT_CT_FLUSH_ZONE:
    case OFPTYPE_NXT_FLOW_MONITOR_CANCEL:
        assert_int_equal(ofp_nx_value_decode(msg, &port), 0);
        return ofp_nx_value_encode(msg->type, port, msg->version, msg->xid);
    case OFPTYPE_TABLE_MOD: {
        struct ofp_table_mod tm;
        assert_int_equal(ofp_table_mod_decode(msg, &tm), 0);
        return ofp_table_mod_encode(&tm, msg->version, msg->xid);
    }
    case OFPTYPE_HELLO: {
        struct ofp_hello hello;
        ofp_hello_decode(msg, &hello);
        return ofp_hello_encode_raw(&hello, msg->xid);
    }
    case OFPTYPE_ECHO_REQUEST: {
        struct ofpbuf *b = ofp_echo_reply_encode(msg);
        b->data[1] = 2; /* Compare as a request. */
        return b;
    }
    case OFPTYPE_ECHO_REPLY:
        return ofp_echo_reply_encode(msg);
    case OFPTYPE_BARRIER_REQUEST:
    case OFPTYPE_BARRIER_REPLY:
    case OFPTYPE_FEATURES_REQUEST:
    case OFPTYPE_DESC_STATS_REQUEST:
    case OFPTYPE_TABLE_STATS_REQUEST: {
        struct ofpbuf *b = ofp_msg_start(msg->type, msg->version, msg->xid, 0);
        ofp_msg_finish(b);
        return b;
    }
    default:
        return NULL;
    }
}

static void
test_families_round_trip(void **state)
{
    int n_round_trips = 0;

    (void)state;
    for (size_t i = 0; i < n_vectors; i++) {
        const struct vector *v = &vectors[i];
        struct ofp_msg msg;
        struct ofpbuf *b;
        uint8_t *copy;

        if (decode_exact(v->data, v->len, &msg, &copy)) {
            free(copy);
            continue;
        }
        b = reencode(&msg);
        if (b) {
            if (b->size != v->len || memcmp(b->data, copy, v->len)) {
                fail_msg("%s: re-encoding differs (%zu vs %zu bytes)",
                         v->title, b->size, v->len);
            }
            n_round_trips++;
            ofpbuf_delete(b);
        }
        free(copy);
    }
    printf("switch-level round trips: %d\n", n_round_trips);
    assert_int_equal(n_round_trips, N_ROUND_TRIPS);
}

/* ofp_phy_port_format() gives the lines ovs-ofctl printed for the ports
 * of the features reply, port status and port-desc reply vectors. */
static void
test_port_format(void **state)
{
    int n_checked = 0;

    (void)state;
    for (size_t i = 0; i < n_vectors; i++) {
        const struct vector *v = &vectors[i];
        struct ofp_msg msg;
        struct ofp_reader r;
        struct ofp_phy_port pp;
        struct ofp_switch_features f;
        struct ds s = DS_EMPTY;
        uint8_t *copy;
        uint8_t reason;

        if (decode_exact(v->data, v->len, &msg, &copy)) {
            free(copy);
            continue;
        }
        ds_init(&s);
        if (msg.type == OFPTYPE_FEATURES_REPLY &&
            msg.version == OFP10_VERSION) {
            ofp_features_reply_decode(&msg, &f, &r);
        } else if (msg.type == OFPTYPE_PORT_DESC_STATS_REPLY) {
            ofp_reader_init(&r, msg.body, msg.body_len);
        } else if (msg.type == OFPTYPE_PORT_STATUS) {
            assert_int_equal(ofp_port_status_decode(&msg, &reason, &pp), 0);
            ofp_phy_port_format(&pp, &s);
            ofp_reader_init(&r, NULL, 0);
        } else {
            free(copy);
            ds_destroy(&s);
            continue;
        }
        while (!ofp_phy_port_decode_next(&r, msg.version, &pp)) {
            struct ds one = DS_EMPTY;

            ds_init(&one);
            ofp_phy_port_format(&pp, &one);
            ds_put_cstr(&s, ds_cstr(&one));
            ds_destroy(&one);
        }
        /* Every port's text appears in ovs-ofctl's output (which may
         * order the ports differently). */
        const char *text = ds_cstr(&s);
        char *save = NULL;
        char *port_text = xstrdup(text);
        for (char *line = strtok_r(port_text, "\n", &save); line;
             line = strtok_r(NULL, "\n", &save)) {
            if (!strstr(v->stdout_text, line)) {
                fail_msg("%s: line '%s' not in ovs-ofctl output", v->title,
                         line);
            }
        }
        free(port_text);
        n_checked++;
        ds_destroy(&s);
        free(copy);
    }
    assert_int_equal(n_checked, N_PORT_FORMATS);
}

static void
test_bundle_add_checks(void **state)
{
    uint8_t m[32] = {0x05, 0x22, 0x00, 0x20, 0, 0, 0, 7,
                     0,    0,    0,    1,    0, 0, 0, 1,
                     0x05, 0x12, 0x00, 0x10, 0, 0, 0, 7};
    struct ofp_bundle_add ba;
    struct ofp_msg msg;

    (void)state;
    /* An embedded barrier request is not bundlable. */
    assert_int_equal(ofp_msg_decode(m, sizeof m, &msg), 0);
    m[16 + 1] = 20;
    m[16 + 3] = 8;
    assert_int_equal(ofp_msg_decode(m, sizeof m, &msg), 0);
    assert_int_equal(ofp_bundle_add_decode(&msg, &ba),
                     OFPERR_OFPBFC_MSG_UNSUP);
    /* Embedded length past the end. */
    m[16 + 3] = 17;
    assert_int_equal(ofp_bundle_add_decode(&msg, &ba),
                     OFPERR_OFPBFC_MSG_BAD_LEN);
    m[16 + 3] = 4;
    assert_int_equal(ofp_bundle_add_decode(&msg, &ba),
                     OFPERR_OFPBFC_MSG_BAD_LEN);
    /* Wrong xid. */
    m[16 + 3] = 8;
    m[16 + 7] = 8;
    assert_int_equal(ofp_bundle_add_decode(&msg, &ba),
                     OFPERR_OFPBFC_MSG_BAD_XID);

    /* Bundle control: bad type and flags. */
    uint8_t c[16] = {0x05, 0x21, 0x00, 0x10, 0, 0, 0, 1,
                     0,    0,    0,    1,    0, 9, 0, 1};
    struct ofp_bundle_ctrl bc;
    assert_int_equal(ofp_msg_decode(c, sizeof c, &msg), 0);
    assert_int_equal(ofp_bundle_ctrl_decode(&msg, &bc),
                     OFPERR_OFPBFC_BAD_TYPE);
    c[13] = 0;
    c[15] = 4;
    assert_int_equal(ofp_bundle_ctrl_decode(&msg, &bc),
                     OFPERR_OFPBFC_BAD_FLAGS);
}

/* Queue codecs on messages built here: what is encoded decodes the same,
 * and truncated entries are refused. */
static void
test_queue_codecs(void **state)
{
    static const enum ofp_version versions[] = {OFP10_VERSION, OFP13_VERSION};
    const struct ofp_queue_desc in[2] = {
        {.port = 7, .queue = 3, .min_rate = 200, .max_rate = OFPQ_RATE_NONE},
        {.port = 7, .queue = 9, .min_rate = OFPQ_RATE_NONE, .max_rate = 1000},
    };

    (void)state;
    for (size_t v = 0; v < ARRAY_SIZE(versions); v++) {
        struct ofpbuf *b =
            ofp_queue_get_config_reply_encode(7, in, 2, versions[v], 5);
        struct ofp_queue_desc out;
        struct ofp_reader r;
        struct ofp_msg msg;
        uint32_t port;

        assert_non_null(b);
        assert_int_equal(ofp_msg_decode(b->data, b->size, &msg), 0);
        assert_int_equal(ofp_queue_get_config_reply_decode(&msg, &port, &r),
                         0);
        assert_int_equal(port, 7);
        for (size_t i = 0; i < 2; i++) {
            assert_int_equal(
                ofp_queue_desc_decode_next(&r, msg.version, port, &out), 0);
            assert_memory_equal(&out, &in[i], sizeof out);
        }
        assert_int_equal(
            ofp_queue_desc_decode_next(&r, msg.version, port, &out), EOF);
        /* A queue cut short. */
        ofp_queue_get_config_reply_decode(&msg, &port, &r);
        r.size -= 8;
        assert_int_equal(
            ofp_queue_desc_decode_next(&r, msg.version, port, &out), 0);
        assert_int_equal(
            ofp_queue_desc_decode_next(&r, msg.version, port, &out),
            OFPERR_OFPBRC_BAD_LEN);
        ofpbuf_delete(b);
    }

    /* A 1.4 statistics entry shorter than its fixed part. */
    static const uint8_t short_entry[16] = {0x00, 0x10};
    struct ofp_queue_stats qs;
    struct ofp_reader r;
    ofp_reader_init(&r, short_entry, sizeof short_entry);
    assert_int_equal(ofp_queue_stats_decode_next(&r, OFP14_VERSION, &qs),
                     OFPERR_OFPBRC_BAD_LEN);

    /* Requests keep OFPP_ANY / OFPQ_ALL in every version. */
    const struct ofp_queue_request rq = {OFPP_ANY, OFPQ_ALL};
    static const enum ofp_version all[] = {OFP10_VERSION, OFP13_VERSION,
                                           OFP15_VERSION};
    for (size_t v = 0; v < ARRAY_SIZE(all); v++) {
        struct ofpbuf *b = ofp_queue_request_encode(
            OFPTYPE_QUEUE_STATS_REQUEST, &rq, all[v], 1);
        struct ofp_queue_request back;
        struct ofp_msg msg;

        assert_int_equal(ofp_msg_decode(b->data, b->size, &msg), 0);
        assert_int_equal(ofp_queue_request_decode(&msg, &back), 0);
        assert_int_equal(back.port, OFPP_ANY);
        assert_int_equal(back.queue, OFPQ_ALL);
        ofpbuf_delete(b);
    }
}

/* Request forwarding carries a whole group or meter mod of its own
 * version, nothing else. */
static void
test_requestforward(void **state)
{
    /* A 1.4 group mod (ADD group 1, type all) and a barrier request. */
    static const uint8_t group_mod[] = {0x05, 0x0f, 0x00, 0x10, 0, 0, 0, 2,
                                        0x00, 0x00, 0x00, 0x00, 0, 0, 0, 1};
    static const uint8_t barrier[] = {0x05, 0x14, 0x00, 0x08, 0, 0, 0, 2};
    uint8_t old_group_mod[sizeof group_mod];
    struct ofp_msg msg, inner;
    struct ofpbuf *b;

    (void)state;
    b = ofp_requestforward_encode(OFPTYPE_REQUESTFORWARD, group_mod,
                                  sizeof group_mod, OFP14_VERSION, 9);
    assert_int_equal(b->size, 8 + sizeof group_mod);
    assert_int_equal(ofp_msg_decode(b->data, b->size, &msg), 0);
    assert_int_equal(msg.type, OFPTYPE_REQUESTFORWARD);
    assert_int_equal(ofp_requestforward_decode(&msg, &inner), 0);
    assert_int_equal(inner.type, OFPTYPE_GROUP_MOD);
    assert_int_equal(inner.len, sizeof group_mod);
    ofpbuf_delete(b);

    b = ofp_requestforward_encode(OFPTYPE_REQUESTFORWARD, barrier,
                                  sizeof barrier, OFP14_VERSION, 9);
    assert_int_equal(ofp_msg_decode(b->data, b->size, &msg), 0);
    assert_int_equal(ofp_requestforward_decode(&msg, &inner),
                     OFPERR_OFPBRC_BAD_TYPE);
    ofpbuf_delete(b);

    memcpy(old_group_mod, group_mod, sizeof group_mod);
    old_group_mod[0] = OFP13_VERSION;
    b = ofp_requestforward_encode(OFPTYPE_REQUESTFORWARD, old_group_mod,
                                  sizeof old_group_mod, OFP14_VERSION, 9);
    assert_int_equal(ofp_msg_decode(b->data, b->size, &msg), 0);
    assert_int_equal(ofp_requestforward_decode(&msg, &inner),
                     OFPERR_OFPBRC_BAD_VERSION);
    ofpbuf_delete(b);

    /* One-value messages: what is written reads back; others refuse. */
    b = ofp_nx_value_encode(OFPTYPE_NXT_CT_FLUSH_ZONE, 513, OFP10_VERSION, 1);
    assert_int_equal(ofp_msg_decode(b->data, b->size, &msg), 0);
    uint32_t v;
    assert_int_equal(ofp_nx_value_decode(&msg, &v), 0);
    assert_int_equal(v, 513);
    ofpbuf_delete(b);
    assert_null(
        ofp_nx_value_encode(OFPTYPE_BARRIER_REQUEST, 1, OFP10_VERSION, 1));
}

static void
test_table_features(void **state)
{
    struct ofp_table_features tf = {.table_id = 3,
                                    .metadata_match = UINT64_MAX,
                                    .metadata_write = UINT64_MAX,
                                    .max_entries = 1000000};
    uint8_t req[] = {0x04, 0x12, 0x00, 0x10, 0, 0, 0, 5,
                     0x00, 0x0c, 0,    0,    0, 0, 0, 0};
    struct ofp_mp_reply mp;
    struct ofp_msg msg;
    struct ofpbuf **msgs;
    size_t n;

    (void)state;
    snprintf(tf.name, sizeof tf.name, "table3");
    assert_int_equal(ofp_msg_decode(req, sizeof req, &msg), 0);
    ofp_mp_reply_start(&mp, OFPTYPE_TABLE_FEATURES_STATS_REPLY, &msg);
    ofp_table_features_append(&tf, &mp);
    ofp_mp_reply_finish(&mp, &msgs, &n);
    assert_int_equal(n, 1);
    assert_int_equal(ofp_msg_decode(msgs[0]->data, msgs[0]->size, &msg), 0);
    assert_int_equal(msg.type, OFPTYPE_TABLE_FEATURES_STATS_REPLY);
    /* One entry whose length is the whole body, a multiple of 8, with
     * properties that tile it exactly. */
    assert_int_equal(ofp_get_be16(msg.body), msg.body_len);
    assert_int_equal(msg.body_len % 8, 0);
    assert_int_equal(msg.body[2], 3);
    size_t ofs = 64;
    int n_props = 0;
    while (ofs < msg.body_len) {
        uint16_t plen = ofp_get_be16(msg.body + ofs + 2);
        assert_true(plen >= 4);
        ofs += ROUND_UP(plen, 8);
        n_props++;
    }
    assert_int_equal(ofs, msg.body_len);
    assert_int_equal(n_props, 14);
    ofpbuf_delete(msgs[0]);
    free(msgs);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ofpbuf_build),
        cmocka_unit_test(test_ofpbuf_reader),
        cmocka_unit_test(test_errors_names),
        cmocka_unit_test(test_errors_wire),
        cmocka_unit_test(test_errors_encode),
        cmocka_unit_test(test_msgs_vectors),
        cmocka_unit_test(test_msgs_malformed),
        cmocka_unit_test(test_msgs_truncations),
        cmocka_unit_test(test_msgs_every_kind),
        cmocka_unit_test(test_msgs_encode_bytes),
        cmocka_unit_test(test_msgs_mp_reply),
        cmocka_unit_test(test_msgs_hello),
        cmocka_unit_test(test_msgs_versions),
        cmocka_unit_test(test_families_round_trip),
        cmocka_unit_test(test_port_format),
        cmocka_unit_test(test_queue_codecs),
        cmocka_unit_test(test_requestforward),
        cmocka_unit_test(test_bundle_add_checks),
        cmocka_unit_test(test_table_features),
    };

    return cmocka_run_group_tests(tests, load_vectors, free_vectors);
}
