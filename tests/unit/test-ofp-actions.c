/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-ofp-actions: OpenFlow actions and instructions.  Every action of
 * OpenFlow 1.0 and 1.3/1.5 decodes, prints as ovs-ofctl 3.1 prints it and
 * re-encodes to the same bytes; the flow mods and packet-outs of the
 * ofp-print vectors ($TERN_VECTORS_DIR) do the same; every length, type
 * and argument error the spec names comes back from a crafted message;
 * hostile input (random bytes, 100k actions) neither crashes nor passes
 * the limits; the text syntax round-trips; ofpacts_check() refuses
 * backward gotos, bad ports and set_field without its prerequisite.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "lib/ofp-actions.h"
#include "lib/ofp-match.h"
#include "tests/unit/test-common.h"

/* Helpers. */

#define ACTS(B) ((struct ofpact *)(void *)(B).data)

/* Parses hex digits in 's' (spaces ignored) into 'b' (cleared first). */
static void
hex(struct ofpbuf *b, const char *s)
{
    uint8_t buf[4096];
    int n = hex_to_bytes(s, buf, sizeof buf);
    assert_true(n >= 0);
    ofpbuf_clear(b);
    ofpbuf_put(b, buf, n);
}

static char *
format(const struct ofpbuf *ofpacts)
{
    struct ds s = DS_EMPTY;
    ofpacts_format(ACTS(*ofpacts), ofpacts->size, NULL, &s);
    return ds_steal_cstr(&s);
}

/* Decodes actions 'wire' (hex) for 'v', checks the text and that encoding
 * gives the same bytes back. */
static void
check_actions(enum ofp_version v, const char *wire, const char *text)
{
    struct ofpbuf in, acts, out;
    ofpbuf_init(&in, 0);
    ofpbuf_init(&acts, 0);
    ofpbuf_init(&out, 0);

    hex(&in, wire);
    assert_int_equal(ofpacts_decode_actions(in.data, in.size, v, &acts), 0);
    char *s = format(&acts);
    assert_string_equal(s, text);
    free(s);
    ofpacts_encode_actions(ACTS(acts), acts.size, v, &out);
    assert_int_equal(out.size, in.size);
    assert_memory_equal(out.data, in.data, in.size);

    ofpbuf_uninit(&in);
    ofpbuf_uninit(&acts);
    ofpbuf_uninit(&out);
}

static void
check_insts(enum ofp_version v, const char *wire, const char *text)
{
    struct ofpbuf in, acts, out;
    ofpbuf_init(&in, 0);
    ofpbuf_init(&acts, 0);
    ofpbuf_init(&out, 0);

    hex(&in, wire);
    assert_int_equal(ofpacts_decode_instructions(in.data, in.size, v, &acts),
                     0);
    char *s = format(&acts);
    assert_string_equal(s, text);
    free(s);
    ofpacts_encode_instructions(ACTS(acts), acts.size, v, &out);
    assert_int_equal(out.size, in.size);
    assert_memory_equal(out.data, in.data, in.size);

    ofpbuf_uninit(&in);
    ofpbuf_uninit(&acts);
    ofpbuf_uninit(&out);
}

static enum ofperr
decode_err(enum ofp_version v, bool insts, const char *wire)
{
    struct ofpbuf in, acts;
    ofpbuf_init(&in, 0);
    ofpbuf_init(&acts, 0);
    hex(&in, wire);
    ofpbuf_put_zeros(&acts, 8); /* Must be left as it was on error. */
    enum ofperr e =
        insts ? ofpacts_decode_instructions(in.data, in.size, v, &acts)
              : ofpacts_decode_actions(in.data, in.size, v, &acts);
    if (e) {
        assert_int_equal(acts.size, 8);
    }
    ofpbuf_uninit(&in);
    ofpbuf_uninit(&acts);
    return e;
}

/* Wire round trips, checked against ovs-ofctl ofp-print of packet-outs
 * and flow mods holding the same bytes. */

static void
test_of10_actions(void **state TERN_UNUSED)
{
    check_actions(OFP10_VERSION, "0000000800030000", "output:3");
    check_actions(OFP10_VERSION, "00000008fffdffff", "CONTROLLER:65535");
    check_actions(OFP10_VERSION, "00000008fffa0000", "NORMAL");
    check_actions(OFP10_VERSION,
                  "00000008fff80000 00000008fffb0000 00000008fffc0000 "
                  "00000008fffe0000",
                  "IN_PORT,FLOOD,ALL,LOCAL");
    check_actions(OFP10_VERSION, "0001000800050000", "mod_vlan_vid:5");
    check_actions(OFP10_VERSION, "0002000803000000", "mod_vlan_pcp:3");
    check_actions(OFP10_VERSION, "0003000800000000", "strip_vlan");
    check_actions(OFP10_VERSION, "00040010000102030405000000000000",
                  "mod_dl_src:00:01:02:03:04:05");
    check_actions(OFP10_VERSION, "00050010000102030406000000000000",
                  "mod_dl_dst:00:01:02:03:04:06");
    check_actions(OFP10_VERSION, "00060008c0a80001", "mod_nw_src:192.168.0.1");
    check_actions(OFP10_VERSION, "00070008c0a80002", "mod_nw_dst:192.168.0.2");
    check_actions(OFP10_VERSION, "0008000820000000", "mod_nw_tos:32");
    check_actions(OFP10_VERSION, "0009000800500000", "mod_tp_src:80");
    check_actions(OFP10_VERSION, "000a000800510000", "mod_tp_dst:81");
    check_actions(OFP10_VERSION, "000b0010000100000000000000000002",
                  "enqueue:1:2");
    check_actions(OFP10_VERSION, "", "drop");
}

/* OpenFlow 1.1 (as ovs-ofctl ofp-print shows a 1.1 packet-out). */
static void
test_of11_actions(void **state TERN_UNUSED)
{
    const enum ofp_version v = OFP11_VERSION;
    check_actions(v,
                  "0001000800050000 0002000803000000 "
                  "00030010000102030405000000000000 "
                  "00040010000102030406000000000000 "
                  "00050008c0a80001 00060008c0a80002 0007000820000000 "
                  "0009000800500000 000a000800510000 0012000800000000",
                  "set_vlan_vid:5,set_vlan_pcp:3,"
                  "mod_dl_src:00:01:02:03:04:05,mod_dl_dst:00:01:02:03:04:06,"
                  "mod_nw_src:192.168.0.1,mod_nw_dst:192.168.0.2,"
                  "mod_nw_tos:32,mod_tp_src:80,mod_tp_dst:81,pop_vlan");
    check_actions(v,
                  "0008000802000000 000d000800000005 000e000803000000 "
                  "0016000800000002",
                  "set_field:2->nw_ecn,set_field:5->mpls_label,"
                  "set_field:3->mpls_tc,group:2");
}

static void
test_of13_actions(void **state TERN_UNUSED)
{
    const enum ofp_version v = OFP13_VERSION;
    check_actions(v, "0000001000000003ffff000000000000", "output:3");
    check_actions(v, "00000010fffffffd0064000000000000", "CONTROLLER:100");
    check_actions(v, "00000010fffffff9ffff000000000000", "TABLE");
    check_actions(v, "0011000881000000", "push_vlan:0x8100");
    check_actions(v, "0011000888a80000", "push_vlan:0x88a8");
    check_actions(v, "0012000800000000", "pop_vlan");
    check_actions(v, "0013000888470000", "push_mpls:0x8847");
    check_actions(v, "0014000808000000", "pop_mpls:0x0800");
    check_actions(v, "001a000888e70000", "push_pbb:0x88e7");
    check_actions(v, "001b000800000000", "pop_pbb");
    check_actions(v, "0015000800000007", "set_queue:7");
    check_actions(v, "0016000800000009", "group:9");
    check_actions(v, "0017000840000000", "mod_nw_ttl:64");
    check_actions(v, "0018000800000000", "dec_ttl");
    check_actions(v, "0010000800000000", "dec_mpls_ttl");
    check_actions(v, "000f000805000000", "set_mpls_ttl(5)");
    check_actions(v, "000b000800000000", "copy_ttl_out");
    check_actions(v, "000c000800000000", "copy_ttl_in");
    /* set_field, as in the vectors and Open vSwitch's dump-flows. */
    check_actions(v, "0019001080001604c0a8035c00000000",
                  "set_field:192.168.3.92->ip_src");
    check_actions(v, "0019001080000c021003000000000000",
                  "set_field:4099->vlan_vid");
    check_actions(v, "0019001080000e010200000000000000",
                  "set_field:2->vlan_pcp");
    check_actions(v, "00190010800008060001020304050000",
                  "set_field:00:01:02:03:04:05->eth_src");
    check_actions(v, "00190010800010010200000000000000",
                  "set_field:2->ip_dscp");
    check_actions(v,
                  "0019001880003e10"
                  "00000000000000000000000000000001",
                  "set_field:::1->nd_target");
    check_actions(v, "00190010800044040000000500000000",
                  "set_field:5->mpls_label");
    check_actions(v, "0019001080004a03000064 0000000000",
                  "set_field:100->pbb_isid");
    check_actions(v, "00190010800038040001234500000000",
                  "set_field:0x12345->ipv6_label");
    check_actions(v, "00190010800004080000000000000005",
                  "set_field:0x5->metadata");
    check_actions(v, "00190010000000020004000000000000",
                  "set_field:4->in_port");
    check_actions(v, "0019001000013a010900000000000000",
                  "set_field:9->nw_ttl");
}

static void
test_of15_meter_action(void **state TERN_UNUSED)
{
    check_actions(OFP15_VERSION,
                  "001d000800000005 0000001000000003ffff000000000000",
                  "meter:5,output:3");
    /* A masked set_field is valid in 1.5 only. */
    check_actions(OFP15_VERSION, "001900108000 1f04 0003 000f 00000000",
                  "set_field:3/0xf->udp_src");
    assert_int_equal(
        decode_err(OFP13_VERSION, false, "0019001080001f040003000f00000000"),
        OFPERR_OFPBAC_BAD_SET_ARGUMENT);
    /* In 1.3 type 29 does not exist. */
    assert_int_equal(decode_err(OFP13_VERSION, false, "001d000800000005"),
                     OFPERR_OFPBAC_BAD_TYPE);
}

static void
test_instructions(void **state TERN_UNUSED)
{
    const char *apply = "0004 0018 00000000 0000001000000002ffff000000000000";
    const char *write = "0003 0018 00000000 0000001000000003ffff000000000000";
    const char *md = "0002 0018 00000000 0000000000000001 00000000000000ff";
    char *all;

    check_insts(OFP13_VERSION, "0001000803000000", "goto_table:3");
    check_insts(OFP13_VERSION, "0006000800000001", "meter:1");
    check_insts(OFP13_VERSION, "0005000800000000", "clear_actions");
    check_insts(OFP13_VERSION, apply, "output:2");
    check_insts(OFP13_VERSION, md, "write_metadata:0x1/0xff");
    check_insts(OFP13_VERSION,
                "0002 0018 00000000 0000000000000007 ffffffffffffffff",
                "write_metadata:0x7");
    all = xasprintf("0006000800000001 %s 0005000800000000 %s %s "
                    "0001000801000000",
                    apply, write, md);
    check_insts(OFP13_VERSION, all,
                "meter:1,output:2,clear_actions,write_actions(output:3),"
                "write_metadata:0x1/0xff,goto_table:1");
    free(all);
    /* 1.5: the meter is the first action of apply_actions. */
    check_insts(OFP15_VERSION,
                "0004 0020 00000000 001d000800000001 "
                "0000001000000002ffff000000000000",
                "meter:1,output:2");
}

/* Any order on the wire gives the canonical order; encoding writes it. */
static void
test_instruction_order(void **state TERN_UNUSED)
{
    struct ofpbuf in, acts, out;
    ofpbuf_init(&in, 0);
    ofpbuf_init(&acts, 0);
    ofpbuf_init(&out, 0);
    hex(&in, "0001000801000000 0005000800000000 "
             "0004 0018 00000000 0000001000000002ffff000000000000 "
             "0006000800000004");
    assert_int_equal(
        ofpacts_decode_instructions(in.data, in.size, OFP13_VERSION, &acts),
        0);
    char *s = format(&acts);
    assert_string_equal(s, "meter:4,output:2,clear_actions,goto_table:1");
    free(s);
    ofpacts_encode_instructions(ACTS(acts), acts.size, OFP13_VERSION, &out);
    hex(&in, "0006000800000004 "
             "0004 0018 00000000 0000001000000002ffff000000000000 "
             "0005000800000000 0001000801000000");
    assert_int_equal(out.size, in.size);
    assert_memory_equal(out.data, in.data, in.size);
    ofpbuf_uninit(&in);
    ofpbuf_uninit(&acts);
    ofpbuf_uninit(&out);
}

/* Errors. */

static void
test_action_errors(void **state TERN_UNUSED)
{
    const enum ofp_version v13 = OFP13_VERSION, v10 = OFP10_VERSION;
    struct {
        enum ofp_version v;
        const char *wire;
        enum ofperr error;
    } cases[] = {
        /* Lengths. */
        {v13, "0000000000000003", OFPERR_OFPBAC_BAD_LEN},
        {v13, "00000004", OFPERR_OFPBRC_BAD_LEN},
        {v13, "0000000c00000003ffff0000 00000000", OFPERR_OFPBAC_BAD_LEN},
        {v13, "0000000c00000003ffff0000", OFPERR_OFPBRC_BAD_LEN},
        {v13, "0000002000000003ffff000000000000", OFPERR_OFPBAC_BAD_LEN},
        {v13, "0000000800000003", OFPERR_OFPBAC_BAD_LEN},
        {v13, "00120010000000000000000000000000", OFPERR_OFPBAC_BAD_LEN},
        {v10, "0000001000030000 0000000000000000", OFPERR_OFPBAC_BAD_LEN},
        {v10, "000b000800010000", OFPERR_OFPBAC_BAD_LEN},
        {v13, "0000001000000003ffff000000000000 0012", OFPERR_OFPBRC_BAD_LEN},
        {v13, "0000001000000003ffff000000000000 0012001000000000",
         OFPERR_OFPBAC_BAD_LEN},
        /* Types. */
        {v13, "0001000800050000", OFPERR_OFPBAC_BAD_TYPE},
        {OFP12_VERSION, "001a000888e70000", OFPERR_OFPBAC_BAD_TYPE},
        {OFP12_VERSION, "001b000800000000", OFPERR_OFPBAC_BAD_TYPE},
        {v13, "001a000888e70000", 0},
        {v13, "001b000800000000", 0},
        {v13, "001b001000000000 0000000000000000", OFPERR_OFPBAC_BAD_LEN},
        {v10, "000c000800000000", OFPERR_OFPBAC_BAD_TYPE},
        {v10, "0011000881000000", OFPERR_OFPBAC_BAD_TYPE},
        {v13, "ffff001000002320 0000000000000000", OFPERR_OFPBAC_BAD_EXP_TYPE},
        {v10, "ffff001000002320 0000000000000000", OFPERR_OFPBAC_BAD_EXP_TYPE},
        {v13, "ffff001012345678 0000000000000000",
         OFPERR_OFPBAC_BAD_EXPERIMENTER},
        {v10, "ffff001012345678 0000000000000000",
         OFPERR_OFPBAC_BAD_EXPERIMENTER},
        /* Arguments. */
        {v13, "00000010ffffff00ffff000000000000", OFPERR_OFPBAC_BAD_OUT_PORT},
        {v13, "00000010ffffffffffff000000000000", OFPERR_OFPBAC_BAD_OUT_PORT},
        {v10, "00000008ffff0000", OFPERR_OFPBAC_BAD_OUT_PORT},
        {v10, "000b001000000000 0000000000000000", 0},
        {v10, "000b0010fffb0000 0000000000000001", OFPERR_OFPBAC_BAD_OUT_PORT},
        {v10, "0001000810000000", OFPERR_OFPBAC_BAD_ARGUMENT},
        {v10, "0002000808000000", OFPERR_OFPBAC_BAD_ARGUMENT},
        {v10, "0008000821000000", OFPERR_OFPBAC_BAD_ARGUMENT},
        {v13, "0011000808000000", OFPERR_OFPBAC_BAD_ARGUMENT},
        {v13, "0013000881000000", OFPERR_OFPBAC_BAD_ARGUMENT},
        {v13, "001a000881000000", OFPERR_OFPBAC_BAD_ARGUMENT},
        {v13, "001a000888470000", OFPERR_OFPBAC_BAD_ARGUMENT},
        {v13, "00160008fffffffc", OFPERR_OFPBAC_BAD_OUT_GROUP},
        /* set_field. */
        {v13, "001900108000fe040000000000000000", OFPERR_OFPBAC_BAD_SET_TYPE},
        {v13, "0019001080000a020800000000000000", OFPERR_OFPBAC_BAD_SET_TYPE},
        {v13, "0019001080001603c0a8030000000000", OFPERR_OFPBAC_BAD_SET_LEN},
        {v13, "0019001880001604c0a8035c00000000 0000000000000000", 0},
        {v13, "0019001880001604c0a8035c00000000 0000000000000100",
         OFPERR_OFPBAC_BAD_SET_ARGUMENT},
        {v13, "0019000880001604", OFPERR_OFPBAC_BAD_SET_LEN},
        {v13, "0019001080000c020003000000000000",
         OFPERR_OFPBAC_BAD_SET_ARGUMENT},
        {v13, "0019001080000e010900000000000000",
         OFPERR_OFPBAC_BAD_SET_ARGUMENT},
        {v13, "0019001080001604c0a8035c00000001",
         OFPERR_OFPBAC_BAD_SET_ARGUMENT},
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        enum ofperr e = decode_err(cases[i].v, false, cases[i].wire);
        if (e != cases[i].error) {
            fail_msg("case %zu (%s): got %s, want %s", i, cases[i].wire,
                     ofperr_get_name(e), ofperr_get_name(cases[i].error));
        }
    }
}

static void
test_instruction_errors(void **state TERN_UNUSED)
{
    const enum ofp_version v13 = OFP13_VERSION;
    struct {
        enum ofp_version v;
        const char *wire;
        enum ofperr error;
    } cases[] = {
        {v13, "0001000801000000 0001000802000000", OFPERR_OFPBIC_DUP_INST},
        {v13, "0004000800000000 0004000800000000", OFPERR_OFPBIC_DUP_INST},
        {v13, "0007000800000000", OFPERR_OFPBIC_UNKNOWN_INST},
        {v13, "0000000800000000", OFPERR_OFPBIC_UNKNOWN_INST},
        {v13, "ffff001000002320 0000000000000000",
         OFPERR_OFPBIC_BAD_EXPERIMENTER},
        {v13, "0001001001000000 0000000000000000", OFPERR_OFPBIC_BAD_LEN},
        {v13, "0001000001000000", OFPERR_OFPBIC_BAD_LEN},
        {v13, "0001000c01000000 00000000", OFPERR_OFPBRC_BAD_LEN},
        {v13, "0001000c01000000 0000000000000000", OFPERR_OFPBIC_BAD_LEN},
        {v13, "0004001000000000", OFPERR_OFPBIC_BAD_LEN},
        {v13, "000200100000000000000000 00000000", OFPERR_OFPBIC_BAD_LEN},
        {v13, "0006001000000001 0000000000000000", OFPERR_OFPBIC_BAD_LEN},
        {v13, "000100", OFPERR_OFPBRC_BAD_LEN},
        {v13, "0004001000000000 0000000400000000", OFPERR_OFPBAC_BAD_LEN},
        /* Action errors inside instructions. */
        {v13, "0004001000000000 0000000800000000", OFPERR_OFPBAC_BAD_LEN},
        {v13, "0003001000000000 0001000800000000", OFPERR_OFPBAC_BAD_TYPE},
        /* 1.5 meters: first action only, never in the action set. */
        {OFP15_VERSION,
         "0004 0020 00000000 0000001000000002ffff000000000000 "
         "001d000800000001",
         OFPERR_OFPBAC_UNSUPPORTED_ORDER},
        {OFP15_VERSION, "0003 0010 00000000 001d000800000001",
         OFPERR_OFPBAC_UNSUPPORTED_ORDER},
        {OFP13_VERSION, "0006000800000001 0004 0010 00000000 001d000800000001",
         OFPERR_OFPBAC_BAD_TYPE},
        {OFP10_VERSION, "0001000801000000", OFPERR_OFPBIC_UNKNOWN_INST},
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        enum ofperr e = decode_err(cases[i].v, true, cases[i].wire);
        if (e != cases[i].error) {
            fail_msg("case %zu (%s): got %s, want %s", i, cases[i].wire,
                     ofperr_get_name(e), ofperr_get_name(cases[i].error));
        }
    }
}

/* 100,000 actions exceed OFPACTS_MAX_LEN and are refused whole. */
static void
test_too_many(void **state TERN_UNUSED)
{
    struct ofpbuf in, acts;
    ofpbuf_init(&in, 0);
    ofpbuf_init(&acts, 0);
    for (int i = 0; i < 100000; i++) {
        ofpbuf_put_be16(&in, 0);
        ofpbuf_put_be16(&in, 16);
        ofpbuf_put_be32(&in, 1 + i % 100);
        ofpbuf_put_be16(&in, 0xffff);
        ofpbuf_put_zeros(&in, 6);
    }
    assert_int_equal(
        ofpacts_decode_actions(in.data, in.size, OFP13_VERSION, &acts),
        OFPERR_OFPBAC_TOO_MANY);
    assert_int_equal(acts.size, 0);
    /* Just under the limit passes. */
    size_t n = OFPACTS_MAX_LEN / ROUND_UP(sizeof(struct ofpact_output), 8);
    assert_int_equal(
        ofpacts_decode_actions(in.data, n * 16, OFP13_VERSION, &acts), 0);
    assert_int_equal(acts.size, OFPACTS_MAX_LEN);

    /* Text: the same limit. */
    struct ds s = DS_EMPTY;
    for (int i = 0; i < 100000; i++) {
        ds_put_format(&s, "%soutput:%d", i ? "," : "", 1 + i % 100);
    }
    ofpbuf_clear(&acts);
    char *error = ofpacts_parse(ds_cstr(&s), NULL, &acts);
    assert_non_null(error);
    assert_int_equal(acts.size, 0);
    free(error);
    ds_destroy(&s);

    /* 100,000 nested write_actions: refused at the second level. */
    ds_init(&s);
    for (int i = 0; i < 100000; i++) {
        ds_put_cstr(&s, "write_actions(");
    }
    ds_put_cstr(&s, "output:1");
    for (int i = 0; i < 100000; i++) {
        ds_put_char(&s, ')');
    }
    error = ofpacts_parse(ds_cstr(&s), NULL, &acts);
    assert_non_null(error);
    assert_int_equal(acts.size, 0);
    free(error);
    ds_destroy(&s);
    ofpbuf_uninit(&in);
    ofpbuf_uninit(&acts);
}

/* Random and mutated input never crashes; whatever decodes re-encodes and
 * decodes to the same ofpacts. */
static void
test_hostile(void **state TERN_UNUSED)
{
    static const char *const seeds[] = {
        "0006000800000001 0004 0020 00000000 0000001000000002ffff000000000000 "
        "0019001080000c021003000000000000 0005000800000000 "
        "0003 0018 00000000 0000001000000003ffff000000000000 "
        "0002 0018 00000000 0000000000000001 00000000000000ff "
        "0001000801000000",
        "0004 0020 00000000 001d000800000001 0000001000000002ffff000000000000",
    };
    struct ofpbuf in, a1, a2, out;
    uint32_t seed = 12345;

    ofpbuf_init(&in, 0);
    ofpbuf_init(&a1, 0);
    ofpbuf_init(&a2, 0);
    ofpbuf_init(&out, 0);
    for (int iter = 0; iter < 20000; iter++) {
        enum ofp_version v = (enum ofp_version)(1 + iter % 6);
        bool insts = iter % 2;
        hex(&in, seeds[iter % 2]);
        /* Flip a few bytes, or use random lengths. */
        for (int k = 0; k < 1 + iter % 4; k++) {
            seed = seed * 1103515245 + 12345;
            size_t at = (seed >> 8) % in.size;
            seed = seed * 1103515245 + 12345;
            ((uint8_t *)in.data)[at] = seed >> 16;
        }
        seed = seed * 1103515245 + 12345;
        size_t len = iter % 5 ? in.size : (seed >> 8) % (in.size + 1);
        ofpbuf_clear(&a1);
        enum ofperr e = insts
                            ? ofpacts_decode_instructions(in.data, len, v, &a1)
                            : ofpacts_decode_actions(in.data, len, v, &a1);
        if (e) {
            assert_int_equal(a1.size, 0);
            continue;
        }
        ofpbuf_clear(&out);
        ofpbuf_clear(&a2);
        if (insts) {
            ofpacts_encode_instructions(ACTS(a1), a1.size, v, &out);
            e = ofpacts_decode_instructions(out.data, out.size, v, &a2);
        } else {
            ofpacts_encode_actions(ACTS(a1), a1.size, v, &out);
            e = ofpacts_decode_actions(out.data, out.size, v, &a2);
        }
        assert_int_equal(e, 0);
        char *s1 = format(&a1), *s2 = format(&a2);
        assert_string_equal(s1, s2);
        free(s1);
        free(s2);
    }
    ofpbuf_uninit(&in);
    ofpbuf_uninit(&a1);
    ofpbuf_uninit(&a2);
    ofpbuf_uninit(&out);
}

/* The ofp-print vectors: flow mods and packet-outs. */

/* The message bytes of an "ovs-ofctl ofp-print HEX" command, or false. */
static bool
vector_bytes(const char *cmd, struct ofpbuf *b)
{
    const char *p = strstr(cmd, "ofp-print ");
    if (!p) {
        return false;
    }
    p += strlen("ofp-print ");
    char quote = *p++;
    if (quote != '"' && quote != '\'') {
        return false;
    }
    struct ds digits = DS_EMPTY;
    for (; *p && *p != quote; p++) {
        if (hex_digit_value((unsigned char)*p) >= 0) {
            ds_put_char(&digits, *p);
        }
    }
    bool ok = digits.length && digits.length % 2 == 0;
    ofpbuf_clear(b);
    if (ok) {
        uint8_t *buf = xmalloc(digits.length / 2);
        ok = hex_to_bytes(ds_cstr(&digits), buf, digits.length / 2) ==
             (int)(digits.length / 2);
        ofpbuf_put(b, buf, digits.length / 2);
        free(buf);
    }
    ds_destroy(&digits);
    return ok;
}

static size_t
get16(const uint8_t *p)
{
    return (size_t)p[0] << 8 | p[1];
}

/* Finds the action or instruction list of a flow mod or packet-out. */
static bool
vector_actions(const uint8_t *m, size_t n, size_t *ofs, size_t *len,
               bool *insts)
{
    uint8_t v = m[0], type = m[1];
    if (n < 8 || get16(m + 2) != n) {
        return false;
    }
    if (type == 14 && v == OFP10_VERSION && n >= 72) {
        *ofs = 72;
        *insts = false;
    } else if (type == 14 && v > OFP10_VERSION && n >= 52) {
        *ofs = 48 + ROUND_UP(get16(m + 50), 8);
        *insts = true;
    } else if (type == 13 && v == OFP10_VERSION && n >= 16) {
        *ofs = 16;
        *len = get16(m + 14);
        *insts = false;
        return *ofs + *len <= n;
    } else if (type == 13 && v >= OFP11_VERSION && v <= OFP14_VERSION &&
               n >= 24) {
        *ofs = 24;
        *len = get16(m + 16);
        *insts = false;
        return *ofs + *len <= n;
    } else if (type == 13 && v == OFP15_VERSION && n >= 20) {
        *len = get16(m + 12);
        *ofs = 16 + ROUND_UP(get16(m + 18), 8);
        *insts = false;
        return *ofs + *len <= n;
    } else {
        return false;
    }
    if (*ofs > n) {
        return false;
    }
    *len = n - *ofs;
    return true;
}

/* The "actions=..." text of ovs-ofctl's decode (up to a space or end). */
static char *
vector_text(const char *out)
{
    const char *p = strstr(out, "actions=");
    if (!p) {
        return NULL;
    }
    p += strlen("actions=");
    size_t n = strcspn(p, " \n");
    char *s = xmalloc(n + 1);
    memcpy(s, p, n);
    s[n] = '\0';
    return s;
}

static void
test_vectors(void **state TERN_UNUSED)
{
    char *path = test_vector_path("openflow/ofp-print-checks.json");
    char *text = test_read_file(path, NULL);
    if (!text) {
        fail_msg("cannot read %s (set TERN_VECTORS_DIR)", path);
    }
    json_t *all = test_json(text);
    struct ofpbuf msg, acts, out;
    size_t i, checked = 0;
    json_t *v;

    ofpbuf_init(&msg, 0);
    ofpbuf_init(&acts, 0);
    ofpbuf_init(&out, 0);
    json_array_foreach(all, i, v)
    {
        const char *cmd = json_string_value(json_object_get(v, "cmd"));
        const char *stdout_text =
            json_string_value(json_object_get(v, "stdout"));
        size_t ofs, len;
        bool insts;

        if (!cmd || !stdout_text || !vector_bytes(cmd, &msg) ||
            strstr(stdout_text, "decode error") ||
            !vector_actions(msg.data, msg.size, &ofs, &len, &insts)) {
            continue;
        }
        const uint8_t *m = msg.data;
        enum ofp_version ver = m[0];
        ofpbuf_clear(&acts);
        enum ofperr e =
            insts ? ofpacts_decode_instructions(m + ofs, len, ver, &acts)
                  : ofpacts_decode_actions(m + ofs, len, ver, &acts);
        if (e) {
            fail_msg("vector %zu: %s", i, ofperr_get_name(e));
        }
        char *want = vector_text(stdout_text);
        char *got = format(&acts);
        if (want && strcmp(want, got)) {
            fail_msg("vector %zu: printed \"%s\", ovs-ofctl \"%s\"", i, got,
                     want);
        }
        free(want);
        free(got);
        ofpbuf_clear(&out);
        if (insts) {
            ofpacts_encode_instructions(ACTS(acts), acts.size, ver, &out);
        } else {
            ofpacts_encode_actions(ACTS(acts), acts.size, ver, &out);
        }
        if (out.size != len || memcmp(out.data, m + ofs, len)) {
            fail_msg("vector %zu: re-encoding differs", i);
        }
        checked++;
    }
    /* The file holds at least a dozen flow mods and packet-outs. */
    assert_true(checked >= 12);
    json_decref(all);
    free(text);
    free(path);
    ofpbuf_uninit(&msg);
    ofpbuf_uninit(&acts);
    ofpbuf_uninit(&out);
}

/* Text. */

static void
check_text(const char *text)
{
    struct ofpbuf acts;
    ofpbuf_init(&acts, 0);
    char *error = ofpacts_parse(text, NULL, &acts);
    if (error) {
        fail_msg("\"%s\": %s", text, error);
    }
    char *s = format(&acts);
    assert_string_equal(s, text);
    free(s);
    ofpbuf_uninit(&acts);
}

/* Nicira's reg_load and reg_move: wire, text and errors as ovs-ofctl 3.1
 * prints and sends them. */
static void
test_nx_reg_actions(void **state TERN_UNUSED)
{
    static const char wire[] =
        "ffff0018000023200007001f000100040000000000000005"
        "ffff00180000232000070103000102040000000000000003"
        "ffff001800002320000700c0000104040000000000000001"
        "ffff00180000232000060010000000100001000400010204"
        "ffff00180000232000060030000000000000040600000206"
        "ffff0018000023200007002f000002060000aabbccddeeff"
        "ffff0018000023200007003f000120080000000000000007";
    static const char text[] =
        "load:0x5->NXM_NX_REG0[],load:0x3->NXM_NX_REG1[4..7],"
        "load:0x1->NXM_NX_REG2[3],"
        "move:NXM_NX_REG0[0..15]->NXM_NX_REG1[16..31],"
        "move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],"
        "load:0xaabbccddeeff->NXM_OF_ETH_DST[],load:0x7->NXM_NX_TUN_ID[]";

    check_actions(OFP10_VERSION, wire, text);
    check_actions(OFP13_VERSION, wire, text);
    check_text(text);
    check_text("move:NXM_NX_IPV6_SRC[]->NXM_NX_IPV6_DST[]");
    /* An OXM header prints by its NXM name too. */
    check_actions(OFP10_VERSION,
                  "ffff00180000232000060080000000008000341080003610",
                  "move:NXM_NX_IPV6_SRC[]->NXM_NX_IPV6_DST[]");

    /* OpenFlow 1.5 has only set_field: masked when the load is partial. */
    struct ofpbuf acts, out, exp;
    ofpbuf_init(&acts, 0);
    ofpbuf_init(&out, 0);
    ofpbuf_init(&exp, 0);
    assert_null(ofpacts_parse(
        "load:0x5->NXM_NX_REG0[],load:0x3->NXM_NX_REG1[4..7]", NULL, &acts));
    ofpacts_encode_actions(ACTS(acts), acts.size, OFP15_VERSION, &out);
    hex(&exp, "0019001000010004 0000000500000000"
              "0019001000010308 00000030000000f0");
    assert_int_equal(out.size, exp.size);
    assert_memory_equal(out.data, exp.data, exp.size);

    /* Errors. */
    struct {
        const char *wire;
        enum ofperr error;
    } cases[] = {
        /* Bad length. */
        {"ffff0020000023200007001f00010004 0000000000000005 0000000000000000",
         OFPERR_OFPBAC_BAD_LEN},
        /* Unknown field. */
        {"ffff0018000023200007001f7fff0004 0000000000000005",
         OFPERR_OFPBMC_BAD_FIELD},
        /* Bits past the field: reg0[16..47]. */
        {"ffff0018000023200007041f00010004 0000000000000005",
         OFPERR_OFPBAC_BAD_SET_LEN},
        /* Value wider than the bits. */
        {"ffff00180000232000070003000100040000000000000010",
         OFPERR_OFPBAC_BAD_ARGUMENT},
        /* move of 0 bits, and past the source. */
        {"ffff00180000232000060000000000000001000400010204",
         OFPERR_OFPBAC_BAD_SET_LEN},
        {"ffff00180000232000060020000100000001000400010204",
         OFPERR_OFPBAC_BAD_SET_LEN},
        /* Into a read-only field (NXM_OF_ETH_TYPE). */
        {"ffff0018000023200007000f000006020000000000000001",
         OFPERR_OFPBAC_BAD_SET_ARGUMENT},
        {"ffff00180000232000060010000000000001000400000602",
         OFPERR_OFPBAC_BAD_SET_ARGUMENT},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct ofpbuf in;
        ofpbuf_init(&in, 0);
        hex(&in, cases[i].wire);
        ofpbuf_clear(&acts);
        assert_int_equal(
            ofpacts_decode_actions(in.data, in.size, OFP10_VERSION, &acts),
            cases[i].error);
        ofpbuf_uninit(&in);
    }

    /* Text errors. */
    static const char *const bad[] = {
        "load:5->NXM_NX_REG0",
        "load:5->NXM_NX_REG0[32]",
        "load:0x10->NXM_NX_REG0[0..3]",
        "load:5->NXM_NX_FOO[]",
        "move:NXM_NX_REG0[0..3]->NXM_NX_REG1[0..4]",
        "load:x->NXM_NX_REG0[]",
    };
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        ofpbuf_clear(&acts);
        char *error = ofpacts_parse(bad[i], NULL, &acts);
        if (!error) {
            fail_msg("\"%s\" parsed", bad[i]);
        }
        free(error);
    }
    ofpbuf_uninit(&acts);
    ofpbuf_uninit(&out);
    ofpbuf_uninit(&exp);
}

/* Strings as ovs-ofctl 3.1's dump-flows prints them. */
static void
test_text_round_trip(void **state TERN_UNUSED)
{
    static const char *const texts[] = {
        "drop",
        "output:2,output:3,IN_PORT",
        "CONTROLLER:65535,IN_PORT,NORMAL,FLOOD,ALL,LOCAL,set_queue:2,"
        "output:1",
        "output:2,push_vlan:0x8100,set_field:4099->vlan_vid,"
        "set_field:10.0.0.1->ip_dst,dec_ttl,write_actions(output:3,group:1),"
        "write_metadata:0x1/0xff,goto_table:1",
        "set_mpls_ttl(3),dec_mpls_ttl,pop_mpls:0x0800,CONTROLLER:100",
        "pop_vlan,push_vlan:0x88a8,set_field:00:01:02:03:04:05->eth_src,"
        "set_field:00:01:02:03:04:06->eth_dst",
        "mod_vlan_pcp:3,mod_vlan_vid:4,strip_vlan,mod_nw_tos:4,enqueue:3:4",
        "set_field:0x12345->ipv6_label,set_field:0x5->metadata,"
        "set_field:0x7->pkt_mark,set_field:3->nw_ecn,set_field:9->nw_ttl,"
        "set_field:4->in_port,set_field:2->ip_dscp,set_field:::2->ipv6_src",
        "set_field:5->mpls_label,set_field:3->mpls_tc",
        "set_field:2->arp_op,set_field:1.2.3.4->arp_spa,"
        "set_field:01:02:03:04:05:06->arp_sha",
        "set_field:3->icmpv6_type,set_field:::1->nd_target,"
        "set_field:01:02:03:04:05:06->nd_sll",
        "meter:1,set_field:3/0xf->udp_src,output:1",
        "set_field:1.2.0.0/16->ip_src,"
        "set_field:00:00:00:00:00:01/00:00:00:00:00:ff->eth_dst,"
        "set_field:1.0.0.1/255.0.0.255->ip_dst",
        "meter:1,mod_nw_ttl:5,CONTROLLER:65535,TABLE,"
        "controller(reason=no_match,max_len=100,id=3),controller(id=2)",
        "mod_dl_src:00:01:02:03:04:05,mod_dl_dst:00:01:02:03:04:06,"
        "mod_nw_src:1.2.3.4,mod_nw_dst:1.2.3.5,mod_tp_src:1,mod_tp_dst:2",
        "push_mpls:0x8847",
        "pop_pbb,push_pbb:0x88e7,set_field:11259375->pbb_isid,output:1",
        "clear_actions",
        "copy_ttl_out,copy_ttl_in",
        "group:1",
        "meter:1,clear_actions,write_actions(set_field:5->mpls_label),"
        "write_metadata:0x0,goto_table:254",
    };
    for (size_t i = 0; i < ARRAY_SIZE(texts); i++) {
        check_text(texts[i]);
    }
}

/* Other spellings ovs-ofctl accepts, and what it prints for them. */
static void
test_text_spellings(void **state TERN_UNUSED)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"2,3,in_port", "output:2,output:3,IN_PORT"},
        {"output:CONTROLLER,controller,CONTROLLER:7",
         "CONTROLLER:65535,CONTROLLER:65535,CONTROLLER:7"},
        {"controller(max_len=200)", "CONTROLLER:200"},
        {"output:TABLE,output:local,normal", "TABLE,LOCAL,NORMAL"},
        {"output:65534", "LOCAL"},
        {"set_mpls_ttl:3", "set_mpls_ttl(3)"},
        {"set_field:5->vlan_vid", "set_field:4101->vlan_vid"},
        {"set_field:1.2.3.4->nw_src", "set_field:1.2.3.4->ip_src"},
        {"write_metadata:0x5/0xffffffffffffffff", "write_metadata:0x5"},
        {"enqueue(1,2)", "enqueue:1:2"},
        {"set_vlan_vid:5,set_vlan_pcp:1", "set_vlan_vid:5,set_vlan_pcp:1"},
        {"write_actions(drop)", "drop"},
        {"clear_actions,write_actions()", "clear_actions"},
        {"mod_nw_ecn:2", "set_field:2->nw_ecn"},
        {"set_field:1.2.3.4/16->ip_src", "set_field:1.2.0.0/16->ip_src"},
        {"set_field:::1/64->ipv6_dst", "set_field:::/64->ipv6_dst"},
        {" output:1 , drop_not ", NULL},
        {"drop,output:1", NULL},
        {"goto_table:1,output:2", NULL},
        {"clear_actions,meter:1", NULL},
        {"meter:1,meter:2", NULL},
        {"goto_table:1,goto_table:2", NULL},
        {"write_actions(write_actions(output:1))", NULL},
        {"write_actions(goto_table:1)", NULL},
        {"output:0xfffffff0", NULL},
        {"output:ANY", NULL},
        {"bogus", NULL},
        {"mod_vlan_vid:4096", NULL},
        {"mod_vlan_pcp:8", NULL},
        {"mod_nw_tos:3", NULL},
        {"push_vlan:0x0800", NULL},
        {"set_field:1.2.3.4->eth_type", NULL},
        {"set_field:1->no_such_field", NULL},
        {"set_field:1", NULL},
        {"set_field:300->vlan_pcp", NULL},
        {"goto_table:255", NULL},
        {"write_actions(output:1", NULL},
        {"mod_dl_src:00:01:02", NULL},
        {"dec_ttl:5", NULL},
    };
    struct ofpbuf acts;
    ofpbuf_init(&acts, 0);
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        ofpbuf_clear(&acts);
        char *error = ofpacts_parse(cases[i].in, NULL, &acts);
        if (!cases[i].out) {
            if (!error) {
                fail_msg("\"%s\" parsed", cases[i].in);
            }
            assert_int_equal(acts.size, 0);
            free(error);
            continue;
        }
        if (error) {
            fail_msg("\"%s\": %s", cases[i].in, error);
        }
        char *s = format(&acts);
        assert_string_equal(s, cases[i].out);
        free(s);
    }
    ofpbuf_uninit(&acts);
}

/* 1.0-style actions encoded into 1.3 as Open vSwitch writes them (its
 * dump-flows output for the same flows). */
static void
check_into_13(const struct match *match, const char *in, const char *want)
{
    struct ofpbuf acts, wire, back;
    ofpbuf_init(&acts, 0);
    ofpbuf_init(&wire, 0);
    ofpbuf_init(&back, 0);
    char *error = ofpacts_parse(in, NULL, &acts);
    assert_null(error);
    ofpacts_note_match(ACTS(acts), acts.size, match);
    ofpacts_encode_instructions(ACTS(acts), acts.size, OFP13_VERSION, &wire);
    assert_int_equal(ofpacts_decode_instructions(wire.data, wire.size,
                                                 OFP13_VERSION, &back),
                     0);
    char *s = format(&back);
    assert_string_equal(s, want);
    free(s);
    ofpbuf_uninit(&acts);
    ofpbuf_uninit(&wire);
    ofpbuf_uninit(&back);
}

static void
match_field(struct match *m, enum mf_field_id id, uint64_t x)
{
    const struct mf_field *mf = mf_from_id(id);
    union mf_value v;
    memset(&v, 0, sizeof v);
    for (size_t i = mf->n_bytes; i-- > 0;) {
        v.bytes[i] = x & 0xff;
        x >>= 8;
    }
    assert_int_equal(mf_set_match(mf, &v, NULL, m), 0);
}

static void
test_old_actions_into_13(void **state TERN_UNUSED)
{
    struct match ip, udp, vlan;
    match_init_catchall(&ip);
    match_field(&ip, MFF_ETH_TYPE, 0x0800);
    udp = ip;
    match_field(&udp, MFF_IP_PROTO, 17);
    match_init_catchall(&vlan);
    match_field(&vlan, MFF_VLAN_VID, 0x1005);

    check_into_13(&ip, "mod_vlan_pcp:3",
                  "push_vlan:0x8100,set_field:3->vlan_pcp");
    check_into_13(&ip, "mod_vlan_pcp:3,mod_vlan_vid:4,strip_vlan,mod_nw_tos:4",
                  "push_vlan:0x8100,set_field:3->vlan_pcp,"
                  "set_field:4100->vlan_vid,pop_vlan,set_field:1->ip_dscp");
    check_into_13(&vlan, "mod_vlan_pcp:2,mod_vlan_vid:7,strip_vlan,output:1",
                  "set_field:2->vlan_pcp,set_field:4103->vlan_vid,pop_vlan,"
                  "output:1");
    check_into_13(&udp, "set_field:3->udp_src,mod_tp_src:7,mod_tp_dst:8",
                  "set_field:3->udp_src,set_field:7->udp_src,"
                  "set_field:8->udp_dst");
    check_into_13(&ip, "mod_dl_src:00:01:02:03:04:05,mod_nw_dst:1.2.3.5",
                  "set_field:00:01:02:03:04:05->eth_src,"
                  "set_field:1.2.3.5->ip_dst");
    check_into_13(&ip, "enqueue:3:4", "set_queue:4,output:3");
    check_into_13(&ip, "set_field:4->in_port", "set_field:4->in_port");
}

/* Checks. */

static enum ofperr
check(const char *text, const struct match *m, uint8_t table_id)
{
    struct ofpbuf acts;
    ofpbuf_init(&acts, 0);
    char *error = ofpacts_parse(text, NULL, &acts);
    assert_null(error);
    enum ofperr e = ofpacts_check(ACTS(acts), acts.size, m, 64, table_id, 10);
    ofpbuf_uninit(&acts);
    return e;
}

static void
test_check(void **state TERN_UNUSED)
{
    struct match any, ip, mpls, vlan, pbb;
    match_init_catchall(&any);
    pbb = any;
    match_field(&pbb, MFF_ETH_TYPE, ETH_TYPE_PBB);
    ip = any;
    match_field(&ip, MFF_ETH_TYPE, 0x0800);
    mpls = any;
    match_field(&mpls, MFF_ETH_TYPE, 0x8847);
    vlan = any;
    match_field(&vlan, MFF_VLAN_VID, 0x1005);

    assert_int_equal(check("output:1,goto_table:4", &any, 3), 0);
    assert_int_equal(check("goto_table:3", &any, 3),
                     OFPERR_OFPBIC_BAD_TABLE_ID);
    assert_int_equal(check("goto_table:2", &any, 3),
                     OFPERR_OFPBIC_BAD_TABLE_ID);
    assert_int_equal(check("goto_table:10", &any, 3),
                     OFPERR_OFPBIC_BAD_TABLE_ID);
    assert_int_equal(check("output:63", &any, 0), 0);
    /* Nicira load/move: the fields' prerequisites. */
    assert_int_equal(check("load:0x5->NXM_NX_REG0[]", &any, 0), 0);
    assert_int_equal(check("load:1->NXM_OF_IP_SRC[0]", &any, 0),
                     OFPERR_OFPBAC_MATCH_INCONSISTENT);
    assert_int_equal(check("load:1->NXM_OF_IP_SRC[0]", &ip, 0), 0);
    assert_int_equal(check("move:NXM_OF_IP_SRC[]->NXM_NX_REG0[]", &any, 0),
                     OFPERR_OFPBAC_MATCH_INCONSISTENT);
    assert_int_equal(check("move:NXM_OF_IP_SRC[]->NXM_NX_REG0[]", &ip, 0), 0);
    assert_int_equal(check("output:64", &any, 0), OFPERR_OFPBAC_BAD_OUT_PORT);
    assert_int_equal(check("write_actions(output:100)", &any, 0),
                     OFPERR_OFPBAC_BAD_OUT_PORT);
    assert_int_equal(check("enqueue:100:1", &any, 0),
                     OFPERR_OFPBAC_BAD_OUT_PORT);
    assert_int_equal(
        check("IN_PORT,NORMAL,FLOOD,ALL,LOCAL,CONTROLLER:5", &any, 0), 0);
    assert_int_equal(check("output:TABLE", &any, 0),
                     OFPERR_OFPBAC_BAD_OUT_PORT);
    assert_int_equal(check("output:TABLE", &any, 255), 0);
    assert_int_equal(check("goto_table:1", &any, 255),
                     OFPERR_OFPBIC_UNSUP_INST);
    /* set_field prerequisites, also after push/pop. */
    assert_int_equal(check("set_field:10.0.0.1->ip_dst", &any, 0),
                     OFPERR_OFPBAC_MATCH_INCONSISTENT);
    assert_int_equal(check("set_field:10.0.0.1->ip_dst", &ip, 0), 0);
    assert_int_equal(check("set_field:80->tcp_dst", &ip, 0),
                     OFPERR_OFPBAC_MATCH_INCONSISTENT);
    assert_int_equal(check("set_field:4099->vlan_vid", &any, 0),
                     OFPERR_OFPBAC_MATCH_INCONSISTENT);
    assert_int_equal(
        check("push_vlan:0x8100,set_field:4099->vlan_vid", &any, 0), 0);
    assert_int_equal(check("set_field:4099->vlan_vid", &vlan, 0), 0);
    assert_int_equal(check("pop_vlan,set_field:4099->vlan_vid", &vlan, 0),
                     OFPERR_OFPBAC_MATCH_INCONSISTENT);
    assert_int_equal(
        check("write_actions(set_field:1.2.3.4->ip_src)", &any, 0),
        OFPERR_OFPBAC_MATCH_INCONSISTENT);
    assert_int_equal(check("push_mpls:0x8847,set_field:5->mpls_label", &ip, 0),
                     0);
    assert_int_equal(check("pop_mpls:0x0800", &ip, 0),
                     OFPERR_OFPBAC_MATCH_INCONSISTENT);
    assert_int_equal(
        check("pop_mpls:0x0800,set_field:1.2.3.4->ip_src", &mpls, 0), 0);
    assert_int_equal(check("dec_ttl", &any, 0),
                     OFPERR_OFPBAC_MATCH_INCONSISTENT);
    assert_int_equal(check("dec_ttl,mod_nw_ttl:3", &ip, 0), 0);
    assert_int_equal(check("dec_mpls_ttl", &ip, 0),
                     OFPERR_OFPBAC_MATCH_INCONSISTENT);
    assert_int_equal(check("set_mpls_ttl:3", &mpls, 0), 0);
    /* PBB: pop needs an I-TAG and leaves nothing known of what follows;
     * push makes one. */
    assert_int_equal(check("pop_pbb", &ip, 0),
                     OFPERR_OFPBAC_MATCH_INCONSISTENT);
    assert_int_equal(check("pop_pbb,output:1", &pbb, 0), 0);
    assert_int_equal(check("pop_pbb,set_field:1.2.3.4->ip_src", &pbb, 0),
                     OFPERR_OFPBAC_MATCH_INCONSISTENT);
    assert_int_equal(check("set_field:5->pbb_isid", &ip, 0),
                     OFPERR_OFPBAC_MATCH_INCONSISTENT);
    assert_int_equal(check("set_field:5->pbb_isid", &pbb, 0), 0);
    assert_int_equal(check("push_pbb:0x88e7,set_field:5->pbb_isid", &ip, 0),
                     0);
    assert_int_equal(
        check("push_pbb:0x88e7,set_field:1.2.3.4->ip_src", &ip, 0),
        OFPERR_OFPBAC_MATCH_INCONSISTENT);

    /* Hand-built lists out of order or nested too deep. */
    struct ofpbuf b;
    ofpbuf_init(&b, 0);
    ofpact_put(&b, OFPACT_CLEAR_ACTIONS, sizeof(struct ofpact));
    ((struct ofpact_output *)ofpact_put(&b, OFPACT_OUTPUT,
                                        sizeof(struct ofpact_output)))
        ->port = 1;
    assert_int_equal(ofpacts_check(ACTS(b), b.size, &any, 64, 0, 10),
                     OFPERR_OFPBAC_UNSUPPORTED_ORDER);
    ofpbuf_clear(&b);
    size_t outer = ofpact_nest_start(&b, OFPACT_WRITE_ACTIONS);
    size_t inner = ofpact_nest_start(&b, OFPACT_WRITE_ACTIONS);
    ofpact_nest_end(&b, inner);
    ofpact_nest_end(&b, outer);
    assert_int_equal(ofpacts_check(ACTS(b), b.size, &any, 64, 0, 10),
                     OFPERR_OFPBIC_UNSUP_INST);
    ofpbuf_uninit(&b);
}

/* An empty list may be a null pointer (a group bucket without actions):
 * encoding, printing and checking it must not do pointer arithmetic on
 * NULL (found by fuzz-ofp: UBSan, "applying zero offset to null
 * pointer"). */
static void
test_empty_null_list(void **state TERN_UNUSED)
{
    struct ofpbuf b;
    struct ds s = DS_EMPTY;

    ofpbuf_init(&b, 0);
    ofpacts_encode_actions(NULL, 0, OFP13_VERSION, &b);
    ofpacts_encode_actions(NULL, 0, OFP10_VERSION, &b);
    assert_int_equal(b.size, 0);
    ofpacts_format(NULL, 0, NULL, &s);
    assert_string_equal(s.string, "drop");
    assert_false(ofpacts_output_to_port(NULL, 0, 1));
    ds_destroy(&s);
    ofpbuf_uninit(&b);
}

static void
test_queries(void **state TERN_UNUSED)
{
    struct ofpbuf a, b;
    ofpbuf_init(&a, 0);
    ofpbuf_init(&b, 0);
    assert_null(ofpacts_parse("output:1,CONTROLLER:5,"
                              "write_actions(output:3,group:7)",
                              NULL, &a));
    const struct ofpact *p = ACTS(a);
    assert_true(ofpacts_output_to_port(p, a.size, 1));
    assert_true(ofpacts_output_to_port(p, a.size, 3));
    assert_true(ofpacts_output_to_port(p, a.size, OFPP_CONTROLLER));
    assert_true(ofpacts_output_to_port(p, a.size, OFPP_ANY));
    assert_false(ofpacts_output_to_port(p, a.size, 2));
    assert_true(ofpacts_output_to_group(p, a.size, 7));
    assert_true(ofpacts_output_to_group(p, a.size, OFPG_ANY));
    assert_false(ofpacts_output_to_group(p, a.size, 8));

    assert_null(ofpacts_parse("output:1,CONTROLLER:5,"
                              "write_actions(output:3,group:7)",
                              NULL, &b));
    assert_true(ofpacts_equal(ACTS(a), a.size, ACTS(b), b.size));
    ofpbuf_clear(&b);
    assert_null(ofpacts_parse("output:1,CONTROLLER:5,"
                              "write_actions(output:3,group:8)",
                              NULL, &b));
    assert_false(ofpacts_equal(ACTS(a), a.size, ACTS(b), b.size));
    /* strip_vlan and pop_vlan do the same. */
    ofpbuf_clear(&a);
    ofpbuf_clear(&b);
    assert_null(ofpacts_parse("strip_vlan,mod_vlan_vid:3", NULL, &a));
    assert_null(ofpacts_parse("pop_vlan,mod_vlan_vid:3", NULL, &b));
    assert_true(ofpacts_equal(ACTS(a), a.size, ACTS(b), b.size));
    assert_false(ofpacts_equal(ACTS(a), a.size, ACTS(b), 0));
    ofpbuf_uninit(&a);
    ofpbuf_uninit(&b);
}

static const struct {
    uint32_t port;
    const char *name;
} port_names[] = {
    {5, "eth0"}, {6, "a.b"}, {7, "123"}, {8, "q\"x"}, {10, "a,b"}};

static uint32_t
name_to_port(const char *name, void *aux TERN_UNUSED)
{
    for (size_t i = 0; i < ARRAY_SIZE(port_names); i++) {
        if (!strcmp(name, port_names[i].name)) {
            return port_names[i].port;
        }
    }
    return UINT32_MAX;
}

static const char *
port_to_name(uint32_t port, void *aux TERN_UNUSED)
{
    for (size_t i = 0; i < ARRAY_SIZE(port_names); i++) {
        if (port_names[i].port == port) {
            return port_names[i].name;
        }
    }
    return NULL;
}

static void
test_ports(void **state TERN_UNUSED)
{
    const struct ofp_port_names names = {name_to_port, port_to_name, NULL};
    uint32_t port;
    struct ds s = DS_EMPTY;

    assert_true(ofp_port_parse("7", NULL, &port));
    assert_int_equal(port, 7);
    assert_true(ofp_port_parse("0xfffe", NULL, &port));
    assert_int_equal(port, OFPP_LOCAL);
    assert_true(ofp_port_parse("in_port", NULL, &port));
    assert_int_equal(port, OFPP_IN_PORT);
    assert_true(ofp_port_parse("NONE", NULL, &port));
    assert_int_equal(port, OFPP_ANY);
    assert_true(ofp_port_parse("eth0", &names, &port));
    assert_int_equal(port, 5);
    assert_false(ofp_port_parse("eth0", NULL, &port));
    assert_false(ofp_port_parse("eth1", &names, &port));
    assert_false(ofp_port_parse("0xffffff00", NULL, &port));

    ofp_port_format(5, &names, &s);
    ds_put_char(&s, ' ');
    ofp_port_format(9, &names, &s);
    ds_put_char(&s, ' ');
    ofp_port_format(OFPP_CONTROLLER, &names, &s);
    assert_string_equal(ds_cstr(&s), "eth0 9 CONTROLLER");
    ds_destroy(&s);

    struct ofpbuf a;
    ofpbuf_init(&a, 0);
    assert_null(ofpacts_parse("output:eth0,enqueue:eth0:1,eth0", &names, &a));
    ofpacts_format(ACTS(a), a.size, &names, &s);
    assert_string_equal(ds_cstr(&s), "output:eth0,enqueue:eth0:1,output:eth0");
    ds_destroy(&s);

    /* Names other than identifiers are quoted, as ovs-ofctl --names
     * prints them. */
    ofpbuf_clear(&a);
    const char *quoted = "output:\"a.b\",output:\"123\",output:\"q\\\"x\","
                         "output:9,output:\"a,b\",LOCAL";
    assert_null(ofpacts_parse(quoted, &names, &a));
    ofpacts_format(ACTS(a), a.size, &names, &s);
    assert_string_equal(ds_cstr(&s), quoted);
    ds_destroy(&s);
    ofpbuf_uninit(&a);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_of10_actions),
        cmocka_unit_test(test_of11_actions),
        cmocka_unit_test(test_of13_actions),
        cmocka_unit_test(test_of15_meter_action),
        cmocka_unit_test(test_instructions),
        cmocka_unit_test(test_instruction_order),
        cmocka_unit_test(test_action_errors),
        cmocka_unit_test(test_instruction_errors),
        cmocka_unit_test(test_too_many),
        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_text_round_trip),
        cmocka_unit_test(test_nx_reg_actions),
        cmocka_unit_test(test_text_spellings),
        cmocka_unit_test(test_old_actions_into_13),
        cmocka_unit_test(test_check),
        cmocka_unit_test(test_empty_null_list),
        cmocka_unit_test(test_queries),
        cmocka_unit_test(test_ports),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
