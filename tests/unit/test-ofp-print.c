/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-ofp-print: walks ../shared/vectors/openflow/ofp-print-checks.json,
 * Open vSwitch's ofp-print cases (the message in hex and what
 * `ovs-ofctl ofp-print` printed for it), through Tern's codecs:
 *
 *  - every message decodes, or yields exactly the error ovs-ofctl names
 *    ("***decode error: OFPBRC_BAD_LEN***");
 *  - every well-formed one re-encodes byte for byte (ofp_msg_reencode());
 *  - ofp_to_string() is compared with ovs-ofctl's text, and the counts
 *    are reported.
 *
 * Kinds Tern does not implement fail the first two checks by design.  They
 * are named, with the reason, in 'exclusions' below, and the test asserts
 * that the exclusions are exactly the cases that fail, so that a new
 * failure and a new fix both show.
 *
 * The vectors are found through test_vector_path() ($TERN_VECTORS_DIR or
 * tests/vectors in the source tree).  A missing file fails.
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "lib/ofp-msgs.h"
#include "lib/ofp-print.h"
#include "lib/util.h"
#include "tests/unit/test-common.h"

/* How many cases ofp_to_string() prints exactly as ovs-ofctl. */
#define MIN_PRINTED_EQUAL 178

/* A case that is expected to fail, and why. */
struct exclusion {
    int index;         /* Position in the vector file. */
    const char *title; /* Its "title", as a check of the index. */
    const char *reason;
};

#define NOT_SPOKEN "OpenFlow 1.1/1.2 are not spoken (OFPBRC_BAD_VERSION)"

static const struct exclusion exclusions[] = {
    {24, "OFPT_FEATURES_REPLY - OF1.1", NOT_SPOKEN},
    {25, "OFPT_FEATURES_REPLY cut off mid-port - OF1.1", NOT_SPOKEN},
    {27, "OFPT_FEATURES_REPLY - OF1.2", NOT_SPOKEN},
    {28, "OFPT_FEATURES_REPLY cut off mid-port - OF1.2", NOT_SPOKEN},
    {39, "OFPT_PACKET_IN - OF1.1", NOT_SPOKEN},
    {40, "OFPT_PACKET_IN - OF1.2", NOT_SPOKEN},
    {41, "OFPT_PACKET_IN - OF1.2, with hex output of packet data", NOT_SPOKEN},
    {47, "OFPT_FLOW_REMOVED - OF1.2", NOT_SPOKEN},
    {51, "OFPT_PORT_STATUS - OF1.1", NOT_SPOKEN},
    {56, "OFPT_PACKET_OUT - OF1.1", NOT_SPOKEN},
    {57, "OFPT_PACKET_OUT - OF1.1, with packet", NOT_SPOKEN},
    {64, "OFPT_FLOW_MOD - OF1.1 - low verbosity", NOT_SPOKEN},
    {65, "OFPT_FLOW_MOD - OF1.2 - low verbosity", NOT_SPOKEN},
    {67, "OFPT_FLOW_MOD - OF1.2 - low verbosity", NOT_SPOKEN},
    {69, "OFPT_FLOW_MOD - OF1.2 - set-field ip_src", NOT_SPOKEN},
    {70, "OFPT_FLOW_MOD - OF1.2 - set-field ip_dst", NOT_SPOKEN},
    {71, "OFPT_FLOW_MOD - OF1.2 - set-field sctp_src", NOT_SPOKEN},
    {72, "OFPT_FLOW_MOD - OF1.2 - set-field sctp_dst", NOT_SPOKEN},
    {73, "OFPT_FLOW_MOD - OF1.2 - experimenter OXM", NOT_SPOKEN},
    {74, "OFPT_FLOW_MOD - OF1.2 - set-field nd_target, nd_sll", NOT_SPOKEN},
    {76, "OFPT_FLOW reply - OF1.2 - set-field ip_src", NOT_SPOKEN},
    {77, "OFPT_FLOW reply - OF1.2 - set-field ip_dst", NOT_SPOKEN},
    {78, "OFPT_FLOW reply - OF1.2 - set-field sctp_src", NOT_SPOKEN},
    {79, "OFPT_FLOW reply - OF1.2 - set-field sctp_dst", NOT_SPOKEN},
    {81, "OFPT_PORT_MOD - OF1.1", NOT_SPOKEN},
    {82, "OFPT_PORT_MOD - OF1.2", NOT_SPOKEN},
    {85, "OFPT_TABLE_MOD - OF1.1", NOT_SPOKEN},
    {86, "OFPT_TABLE_MOD - OF1.2", NOT_SPOKEN},
    {92, "OFPST_FLOW request - OF1.2", NOT_SPOKEN},
    {96, "OFPST_FLOW reply - OF1.2", NOT_SPOKEN},
    {99, "OFPST_AGGREGATE request - OF1.2", NOT_SPOKEN},
    {103, "OFPST_AGGREGATE reply - OF1.2", NOT_SPOKEN},
    {107, "OFPST_TABLE request - OF1.1", NOT_SPOKEN},
    {108, "OFPST_TABLE request - OF1.2", NOT_SPOKEN},
    {114, "OFPST_PORT request - 1.1", NOT_SPOKEN},
    {115, "OFPST_PORT request - 1.2", NOT_SPOKEN},
    {118, "OFPST_PORT reply - OF1.2", NOT_SPOKEN},
    {122, "OFPST_QUEUE request - OF1.1", NOT_SPOKEN},
    {123, "OFPST_QUEUE request - OF1.2", NOT_SPOKEN},
    {126, "OFPST_QUEUE reply - OF1.1", NOT_SPOKEN},
    {127, "OFPST_QUEUE reply - OF1.2", NOT_SPOKEN},
    {131, "OFPST_GROUP request - OF1.1", NOT_SPOKEN},
    {133, "OFPST_GROUP reply - OF1.1", NOT_SPOKEN},
    {136, "OFPST_GROUP_DESC request - OF1.1", NOT_SPOKEN},
    {139, "OFPST_GROUP_DESC reply - OF1.1", NOT_SPOKEN},
    {142, "OFPST_GROUP_FEATURES request", NOT_SPOKEN},
    {144, "OFPST_GROUP_FEATURES reply", NOT_SPOKEN},
    {161, "OFPT_BARRIER_REQUEST - OF1.1", NOT_SPOKEN},
    {162, "OFPT_BARRIER_REQUEST - OF1.2", NOT_SPOKEN},
    {165, "OFPT_BARRIER_REPLY - OF1.1", NOT_SPOKEN},
    {166, "OFPT_BARRIER_REPLY - OF1.2", NOT_SPOKEN},
    {169, "OFPT_QUEUE_GET_CONFIG_REQUEST - OF1.2", NOT_SPOKEN},
    {172, "OFPT_QUEUE_GET_CONFIG_REPLY - OF1.1", NOT_SPOKEN},
    {173, "OFPT_QUEUE_GET_CONFIG_REPLY - OF1.2", NOT_SPOKEN},
    {177, "OFPT_ROLE_REQUEST - OF1.2", NOT_SPOKEN},
    {178, "OFPT_ROLE_REQUEST - nochange - OF1.2", NOT_SPOKEN},
    {180, "OFPT_ROLE_REPLY - OF1.2", NOT_SPOKEN},
    {193, "NXT_REQUESTFORWARD - inner OFPT_GROUP_MOD - OF1.1", NOT_SPOKEN},
    {219, "OFPT_GROUP_MOD - OF1.1", NOT_SPOKEN},
};

/* One case read from the file. */
struct vector {
    int index;
    const char *title;
    const char *stdout_text;
    const char *cmd;
    uint8_t *data;
    size_t len;
    int verbosity;
};

/* Extracts the message bytes and verbosity from an "ovs-ofctl ... ofp-print
 * HEX [VERBOSITY]" command line.  Returns false if 'cmd' holds no message
 * (a stderr check, or input from a file). */
static bool
parse_cmd(const char *cmd, struct vector *v)
{
    const char *p = strstr(cmd, "ofp-print");
    if (!p) {
        return false;
    }
    p += strlen("ofp-print");
    while (*p == ' ') {
        p++;
    }
    char quote = *p == '"' || *p == '\'' ? *p++ : 0;
    const char *end = quote ? strchr(p, quote) : p + strcspn(p, " ");
    if (!end) {
        return false;
    }
    if (!quote && end == p + 1 && *p == '-') {
        return false;
    }

    struct ds hex = DS_EMPTY;
    ds_init(&hex);
    for (const char *q = p; q < end; q++) {
        if (hex_digit_value(*q) >= 0) {
            ds_put_char(&hex, *q);
        } else if (*q != ' ' && *q != '\n' && *q != '\\') {
            ds_destroy(&hex);
            return false;
        }
    }
    v->data = xmalloc(hex.length / 2 + 1);
    int n = hex_to_bytes(ds_cstr(&hex), v->data, hex.length / 2 + 1);
    ds_destroy(&hex);
    if (n < 0) {
        free(v->data);
        v->data = NULL;
        return false;
    }
    v->len = n;

    v->verbosity = 2;
    const char *tail = end + (quote ? 1 : 0);
    while (*tail == ' ') {
        tail++;
    }
    if (*tail >= '1' && *tail <= '9') {
        v->verbosity = *tail - '0';
    }
    return true;
}

/* The error name ovs-ofctl's output names (or that the command greps
 * its output for), or NULL. */
static char *
expected_error(const char *out, const char *cmd)
{
    const char *g = strstr(cmd, "| grep -q ");
    if (g && !strstr(out, "***decode error: ")) {
        g += strlen("| grep -q ");
        char *name = xstrdup(g);
        name[strcspn(name, " \n")] = '\0';
        return name;
    }
    const char *p = strstr(out, "***decode error: ");
    if (!p) {
        return NULL;
    }
    p += strlen("***decode error: ");
    const char *end = strstr(p, "***");
    if (!end) {
        return NULL;
    }
    char *name = xmemdup(p, end - p + 1);
    name[end - p] = '\0';
    return name;
}

static bool
framing_rejected(const char *out)
{
    return !strncmp(out, "OpenFlow message is empty", 25) ||
           !strncmp(out, "OpenFlow packet too short", 25) ||
           !strncmp(out, "(***truncated to", 16) ||
           !strncmp(out, "(***only uses", 13);
}

/* Checks one case; returns NULL if it passes or what went wrong (caller
 * frees).  '*printed_ok' says whether ofp_to_string() matched. */
static char *
check_vector(const struct vector *v, bool *printed_ok)
{
    char *text = ofp_to_string(v->data, v->len, NULL, v->verbosity);
    *printed_ok = !strcmp(text, v->stdout_text);
    if (!*printed_ok && getenv("TERN_OFP_PRINT_DIFF")) {
        /* For work on the printers: what differs. */
        print_message("PRINT #%d \"%s\"\n--- ovs-ofctl\n%s--- tern\n%s",
                      v->index, v->title, v->stdout_text, text);
    }
    free(text);

    if (framing_rejected(v->stdout_text)) {
        struct ofp_msg msg;
        return ofp_msg_decode(v->data, v->len, &msg)
                   ? NULL
                   : xstrdup("framing accepted a malformed message");
    }

    char *want = expected_error(v->stdout_text, v->cmd);
    struct ofpbuf *out = NULL;
    enum ofperr error = ofp_msg_reencode(v->data, v->len, &out);
    char *problem = NULL;
    if (want) {
        if (!error || strcmp(ofperr_get_name(error), want)) {
            problem = xasprintf("expected %s, got %s", want,
                                error ? ofperr_get_name(error) : "success");
        }
    } else if (error) {
        problem = xasprintf("decode failed: %s", ofperr_get_name(error));
    } else if (out->size != v->len || memcmp(out->data, v->data, v->len)) {
        struct ds s = DS_EMPTY;
        ds_init(&s);
        ds_put_format(&s, "re-encoding differs (%zu bytes, not %zu):\n",
                      out->size, v->len);
        ofp_print_hex_dump(&s, out->data, out->size);
        problem = ds_steal_cstr(&s);
    }
    free(want);
    ofpbuf_delete(out);
    return problem;
}

static const struct exclusion *
find_exclusion(int index)
{
    for (size_t i = 0; i < ARRAY_SIZE(exclusions); i++) {
        if (exclusions[i].index == index) {
            return &exclusions[i];
        }
    }
    return NULL;
}

static void
test_vectors(void **state TERN_UNUSED)
{
    char *path = test_vector_path("openflow/ofp-print-checks.json");
    size_t size;
    char *text = test_read_file(path, &size);
    if (!text) {
        fail_msg("cannot read %s (set TERN_VECTORS_DIR)", path);
    }
    json_error_t jerr;
    json_t *cases = json_loads(text, 0, &jerr);
    assert_non_null(cases);
    assert_true(json_is_array(cases));
    assert_true(json_array_size(cases) > 200);

    int n_msgs = 0, n_pass = 0, n_fail = 0, n_printed = 0;
    int unexpected = 0;
    for (size_t i = 0; i < json_array_size(cases); i++) {
        json_t *c = json_array_get(cases, i);
        struct vector v = {
            .index = (int)i,
            .title = json_string_value(json_object_get(c, "title")),
            .stdout_text = json_string_value(json_object_get(c, "stdout")),
        };
        const char *cmd = json_string_value(json_object_get(c, "cmd"));
        v.cmd = cmd;
        assert_non_null(v.title);
        assert_non_null(v.stdout_text);
        assert_non_null(cmd);
        if (!parse_cmd(cmd, &v)) {
            continue;
        }
        n_msgs++;

        bool printed_ok;
        char *problem = check_vector(&v, &printed_ok);
        n_printed += printed_ok;
        const struct exclusion *ex = find_exclusion(v.index);
        if (problem) {
            n_fail++;
            if (ex && getenv("TERN_OFP_PRINT_EXCLUDED")) {
                /* For work on the codecs: why an excluded case fails. */
                print_message("EXCLUDED #%d \"%s\": %s\n", v.index, v.title,
                              problem);
            }
            if (!ex) {
                unexpected++;
                print_message("NEW FAILURE #%d \"%s\": %s\n", v.index, v.title,
                              problem);
            }
        } else {
            n_pass++;
            if (ex) {
                unexpected++;
                print_message("NOW PASSES #%d \"%s\" (excluded: %s): "
                              "remove it from the exclusions\n",
                              v.index, v.title, ex->reason);
            }
        }
        if (ex && strcmp(ex->title, v.title)) {
            unexpected++;
            print_message("exclusion #%d is titled \"%s\", not \"%s\"\n",
                          v.index, v.title, ex->title);
        }
        free(problem);
        free(v.data);
    }
    for (size_t i = 0; i < ARRAY_SIZE(exclusions); i++) {
        int idx = exclusions[i].index;
        if (idx < 0 || (size_t)idx >= json_array_size(cases)) {
            unexpected++;
            print_message("exclusion #%d is not a case\n", idx);
        }
    }
    print_message("ofp-print vectors: %d messages, %d decode and re-encode "
                  "as expected, %d fail (%zu excluded); ofp_to_string() "
                  "matches ovs-ofctl on %d\n",
                  n_msgs, n_pass, n_fail, ARRAY_SIZE(exclusions), n_printed);
    json_decref(cases);
    free(text);
    free(path);
    assert_true(n_msgs > 200);
    assert_int_equal(unexpected, 0);
    /* The printers match ovs-ofctl on at least this many cases: a lower
     * count is a regression (TERN_OFP_PRINT_DIFF=1 shows the texts). */
    assert_true(n_printed >= MIN_PRINTED_EQUAL);
}

/* The printer on messages Tern builds itself. */
static void
test_print_own_messages(void **state TERN_UNUSED)
{
    struct ofpbuf *b =
        ofp_msg_start(OFPTYPE_BARRIER_REQUEST, OFP13_VERSION, 0x1234, 0);
    assert_non_null(b);
    ofp_msg_finish(b);
    char *s = ofp_to_string(b->data, b->size, NULL, 2);
    assert_string_equal(s, "OFPT_BARRIER_REQUEST (OF1.3) (xid=0x1234):\n");
    free(s);

    struct ofpbuf *re;
    assert_int_equal(ofp_msg_reencode(b->data, b->size, &re), 0);
    assert_int_equal(re->size, b->size);
    assert_memory_equal(re->data, b->data, b->size);
    ofpbuf_delete(re);
    ofpbuf_delete(b);

    b = ofp_hello_encode(1u << OFP13_VERSION | 1u << OFP10_VERSION, 7);
    s = ofp_to_string(b->data, b->size, NULL, 2);
    assert_string_equal(s, "OFPT_HELLO (OF1.3) (xid=0x7):\n"
                           " version bitmap: 0x01, 0x04\n");
    free(s);
    ofpbuf_delete(b);
}

static void
test_print_malformed(void **state TERN_UNUSED)
{
    static const uint8_t short_msg[] = {0xaa, 0xbb};
    char *s = ofp_to_string(short_msg, 0, NULL, 2);
    assert_string_equal(s, "OpenFlow message is empty\n");
    free(s);
    s = ofp_to_string(short_msg, sizeof short_msg, NULL, 2);
    assert_string_equal(s, "OpenFlow packet too short (only 2 bytes):\n"
                           "00000000  aa bb                              "
                           "             |..              |\n");
    free(s);

    struct ofpbuf *out = (struct ofpbuf *)1;
    assert_int_not_equal(ofp_msg_reencode(short_msg, sizeof short_msg, &out),
                         0);
    assert_null(out);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_print_own_messages),
        cmocka_unit_test(test_print_malformed),
        cmocka_unit_test(test_vectors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
