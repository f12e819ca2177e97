/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-ofp-match: the match field table (ofp-fields), OpenFlow 1.0 and
 * OXM matches (ofp-match) and the ovs-ofctl match syntax
 * (ofp-match-text).  Expected text comes from ovs-ofctl 3.1
 * ("ovs-ofctl -O OpenFlow13 parse-flow", which prints a flow after its
 * OXM encoding); the flow messages of
 * $TERN_VECTORS_DIR/openflow/ofp-print-checks.json (default:
 * tests/vectors in the source tree) must decode, re-encode byte for byte
 * and print as ovs-ofctl printed them.
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "lib/ofp-match.h"
#include "tests/unit/test-common.h"

/* Helpers. */

static bool
match_equal(const struct match *a, const struct match *b)
{
    return (!memcmp(&a->flow, &b->flow, sizeof a->flow) &&
            !memcmp(&a->wc, &b->wc, sizeof a->wc));
}

/* Sets in 'm' the fields 'mf' needs before it may be matched. */
static void
satisfy_prereqs(const struct mf_field *mf, struct match *m)
{
    struct flow *f = &m->flow;
    struct flow *k = &m->wc.masks;
    uint16_t type = 0;
    uint8_t proto = 0;
    int icmp = -1;

    switch (mf->prereq) {
    case MFP_NONE:
        return;
    case MFP_IN_PORT:
        f->in_port = 7;
        k->in_port = UINT32_MAX;
        return;
    case MFP_VLAN:
        f->vlans[0].tci = htons(VLAN_CFI | 5);
        k->vlans[0].tci = htons(0x1fff);
        return;
    case MFP_ARP:
        type = ETH_TYPE_ARP;
        break;
    case MFP_IPV4:
    case MFP_IP_ANY:
        type = ETH_TYPE_IP;
        break;
    case MFP_IPV6:
        type = ETH_TYPE_IPV6;
        break;
    case MFP_MPLS:
        type = ETH_TYPE_MPLS;
        break;
    case MFP_PBB:
        type = ETH_TYPE_PBB;
        break;
    case MFP_TCP:
        type = ETH_TYPE_IP, proto = IPPROTO_TCP;
        break;
    case MFP_UDP:
        type = ETH_TYPE_IPV6, proto = IPPROTO_UDP;
        break;
    case MFP_SCTP:
        type = ETH_TYPE_IP, proto = IPPROTO_SCTP;
        break;
    case MFP_ICMPV4:
        type = ETH_TYPE_IP, proto = IPPROTO_ICMP;
        break;
    case MFP_ICMPV6:
        type = ETH_TYPE_IPV6, proto = IPPROTO_ICMPV6;
        break;
    case MFP_ND:
    case MFP_ND_SOLICIT:
        type = ETH_TYPE_IPV6, proto = IPPROTO_ICMPV6, icmp = 135;
        break;
    case MFP_ND_ADVERT:
        type = ETH_TYPE_IPV6, proto = IPPROTO_ICMPV6, icmp = 136;
        break;
    }
    f->dl_type = htons(type);
    k->dl_type = htons(0xffff);
    if (proto) {
        f->nw_proto = proto;
        k->nw_proto = 0xff;
    }
    if (icmp >= 0) {
        f->tp_src = htons(icmp);
        f->tp_dst = 0;
        k->tp_src = k->tp_dst = htons(0xffff);
    }
}

/* A value with every meaningful bit pattern-filled. */
static void
sample_value(const struct mf_field *mf, union mf_value *v, uint8_t seed)
{
    union mf_value exact;
    mf_get_exact_mask(mf, &exact);
    memset(v, 0, sizeof *v);
    for (int i = 0; i < mf->n_bytes; i++) {
        v->bytes[i] = (uint8_t)(seed + 37 * i + 1) & exact.bytes[i];
    }
    if (mf->id == MFF_VLAN_VID) {
        v->be16 |= htons(VLAN_CFI);
    }
}

/* A mask that is neither exact nor zero. */
static void
sample_mask(const struct mf_field *mf, union mf_value *m)
{
    mf_get_exact_mask(mf, m);
    m->bytes[mf->n_bytes - 1] &= 0xf1;
    if (mf->id == MFF_IP_FRAG) {
        m->u8 = FLOW_NW_FRAG_ANY;
    }
}

static size_t
roundtrip_oxm(const struct match *in, enum ofp_version v, struct match *out,
              struct ofpbuf *b1)
{
    struct ofpbuf b2;
    struct ofp_reader r;

    size_t n = ofp_match_encode_oxm(in, v, b1);
    assert_int_equal(n % 8, 0);
    assert_int_equal(n, b1->size);
    ofp_reader_init(&r, b1->data, b1->size);
    assert_int_equal(ofp_match_decode_oxm(&r, out), 0);
    assert_int_equal(r.size, 0);
    ofpbuf_init(&b2, 64);
    ofp_match_encode_oxm(out, v, &b2);
    assert_int_equal(b1->size, b2.size);
    assert_memory_equal(b1->data, b2.data, b2.size);
    ofpbuf_uninit(&b2);
    return n;
}

/* Field table. */

static void
test_field_table(void **state)
{
    (void)state;
    for (int i = 0; i < MFF_N_IDS; i++) {
        const struct mf_field *mf = mf_from_id(i);
        assert_non_null(mf);
        assert_int_equal(mf->id, i);
        assert_non_null(mf->name);
        assert_non_null(mf->oxm_name);
        assert_ptr_equal(mf_from_name(mf->name), mf);
        if (mf->extra_name) {
            assert_ptr_equal(mf_from_name(mf->extra_name), mf);
        }
        assert_ptr_equal(
            mf_from_oxm(mf->oxm_class, mf->oxm_field, mf->experimenter), mf);
        assert_true(mf->n_bits > 0 && mf->n_bits <= 8 * mf->n_bytes);
        assert_true(mf->n_bytes <= sizeof(union mf_value));
        if (mf->oxm_class == 0x8000) {
            assert_true(mf->oxm_field <= 42);
        }
    }
    assert_null(mf_from_id(MFF_N_IDS));
    assert_null(mf_from_name("no_such_field"));
    assert_null(mf_from_oxm(0x8000, 99, 0));
    assert_int_equal(mf_from_name("dl_src")->id, MFF_ETH_SRC);
    assert_int_equal(mf_from_name("nw_src")->id, MFF_IPV4_SRC);
    assert_int_equal(mf_from_name("tp_dst")->id, MFF_TCP_DST);
    assert_int_equal(mf_from_name("nw_frag")->id, MFF_IP_FRAG);
    assert_int_equal(mf_from_name("ip_ecn")->id, MFF_IP_ECN);
    assert_int_equal(mf_from_oxm(0x0001, 29, 0)->id, MFF_IP_TTL);
    assert_int_equal(mf_from_oxm(0x0001, 26, 0)->id, MFF_IP_FRAG);
    assert_int_equal(mf_from_oxm(0x0001, 33, 0)->id, MFF_PKT_MARK);
    assert_int_equal(mf_from_oxm(0xffff, 42, 0x4f4e4600)->id, MFF_TCP_FLAGS);
    assert_int_equal(mf_from_oxm(0x0001, 34, 0)->id, MFF_TCP_FLAGS);
    assert_null(mf_from_oxm(0xffff, 42, 0x2320));

    const struct mf_field *tf = mf_from_id(MFF_TCP_FLAGS);
    assert_int_equal(mf_oxm_for_version(tf, OFP13_VERSION)->oxm_class, 0xffff);
    assert_int_equal(mf_oxm_for_version(tf, OFP15_VERSION)->oxm_class, 0x8000);
    assert_int_equal(mf_oxm_for_version(tf, OFP12_VERSION)->oxm_class, 1);
}

/* Every field: set in a match, read back, set in a flow, read back. */
static void
test_field_set_get(void **state)
{
    (void)state;
    for (int i = 0; i < MFF_N_IDS; i++) {
        const struct mf_field *mf = mf_from_id(i);
        union mf_value v, got, mask, exact;
        struct match m;
        struct flow flow;

        match_init_catchall(&m);
        satisfy_prereqs(mf, &m);
        assert_true(mf_prereqs_ok(mf, &m));
        sample_value(mf, &v, (uint8_t)i);
        if (mf->id == MFF_IN_PHY_PORT) {
            v.be32 = htonl(7);
        }
        assert_int_equal(mf_set_match(mf, &v, NULL, &m), 0);
        assert_true(mf_is_matched(mf, &m));
        mf_get_value(mf, &m.flow, &got);
        assert_memory_equal(&v, &got, mf->n_bytes);
        mf_get_mask(mf, &m.wc, &mask);
        mf_get_exact_mask(mf, &exact);
        assert_memory_equal(&mask, &exact, mf->n_bytes);
        assert_int_equal(match_check_prereqs(&m), 0);

        memset(&flow, 0, sizeof flow);
        mf_set_flow_value(mf, &v, &flow);
        mf_get_value(mf, &flow, &got);
        assert_memory_equal(&v, &got, mf->n_bytes);

        mf_set_wild(mf, &m);
        if (mf->id != MFF_IN_PHY_PORT) {
            assert_false(mf_is_matched(mf, &m));
        }
        if (mf->maskable) {
            sample_mask(mf, &mask);
            assert_int_equal(mf_set_match(mf, &v, &mask, &m), 0);
            mf_get_mask(mf, &m.wc, &got);
            assert_memory_equal(&mask, &got, mf->n_bytes);
        } else {
            sample_mask(mf, &mask);
            if (!mf_is_mask_exact(mf, &mask) && !mf_is_mask_zero(mf, &mask)) {
                assert_int_equal(mf_set_match(mf, &v, &mask, &m),
                                 OFPERR_OFPBMC_BAD_MASK);
            }
        }
    }
}

static void
test_field_semantics(void **state)
{
    struct flow flow;
    union mf_value v;
    struct match m;

    (void)state;
    /* DSCP and ECN share nw_tos. */
    memset(&flow, 0, sizeof flow);
    v.u8 = 46;
    mf_set_flow_value(mf_from_id(MFF_IP_DSCP), &v, &flow);
    v.u8 = 3;
    mf_set_flow_value(mf_from_id(MFF_IP_ECN), &v, &flow);
    assert_int_equal(flow.nw_tos, (46 << 2) | 3);

    /* MPLS label keeps TC, BOS and TTL. */
    flow.mpls_lse[0] = htonl(0x00000b40);
    v.be32 = htonl(0x12345);
    mf_set_flow_value(mf_from_id(MFF_MPLS_LABEL), &v, &flow);
    assert_int_equal(ntohl(flow.mpls_lse[0]), 0x12345b40);

    /* Writing a VID keeps PCP and sets the present bit. */
    flow.vlans[0].tci = htons(0xa000);
    v.be16 = htons(VLAN_CFI | 100);
    mf_set_flow_value(mf_from_id(MFF_VLAN_VID), &v, &flow);
    assert_int_equal(ntohs(flow.vlans[0].tci), 0xa000 | VLAN_CFI | 100);

    /* ICMP type in tp_src, ARP op in nw_proto, metadata in two halves. */
    v.u8 = 8;
    mf_set_flow_value(mf_from_id(MFF_ICMPV4_TYPE), &v, &flow);
    assert_int_equal(flow.tp_src, htons(8));
    v.be16 = htons(2);
    mf_set_flow_value(mf_from_id(MFF_ARP_OP), &v, &flow);
    assert_int_equal(flow.nw_proto, 2);
    v.be64 = tern_htonll(0x0102030405060708ull);
    mf_set_flow_value(mf_from_id(MFF_METADATA), &v, &flow);
    assert_int_equal(tern_ntohll(flow_get_metadata(&flow)),
                     0x0102030405060708ull);

    /* Values out of range. */
    match_init_catchall(&m);
    v.be16 = htons(0x2000);
    assert_int_equal(mf_set_match(mf_from_id(MFF_VLAN_VID), &v, NULL, &m),
                     OFPERR_OFPBMC_BAD_VALUE);
    v.u8 = 64;
    assert_int_equal(mf_set_match(mf_from_id(MFF_IP_DSCP), &v, NULL, &m),
                     OFPERR_OFPBMC_BAD_VALUE);
    v.be32 = htonl(0x100000);
    assert_int_equal(mf_set_match(mf_from_id(MFF_MPLS_LABEL), &v, NULL, &m),
                     OFPERR_OFPBMC_BAD_VALUE);
    v.be16 = htons(256);
    assert_int_equal(mf_set_match(mf_from_id(MFF_ARP_OP), &v, NULL, &m),
                     OFPERR_OFPBMC_BAD_VALUE);

    /* Prerequisites against a flow, and their megaflow mask. */
    memset(&flow, 0, sizeof flow);
    flow.dl_type = htons(ETH_TYPE_IPV6);
    flow.nw_proto = IPPROTO_ICMPV6;
    flow.tp_src = htons(135);
    assert_true(mf_flow_has_field(mf_from_id(MFF_ND_SLL), &flow));
    assert_false(mf_flow_has_field(mf_from_id(MFF_ND_TLL), &flow));
    assert_false(mf_flow_has_field(mf_from_id(MFF_TCP_SRC), &flow));
    struct flow_wildcards wc;
    flow_wildcards_init_catchall(&wc);
    mf_mask_prereqs(mf_from_id(MFF_ND_SLL), &flow, &wc);
    assert_int_equal(wc.masks.dl_type, 0xffff);
    assert_int_equal(wc.masks.nw_proto, 0xff);
    assert_int_equal(wc.masks.tp_src, 0xffff);
    mf_mask_field(mf_from_id(MFF_IPV4_SRC), &wc);
    assert_int_equal(wc.masks.nw_src, UINT32_MAX);

    /* match_check_prereqs() on fields that share storage. */
    match_init_catchall(&m);
    assert_null(match_parse("udp,tp_src=5", NULL, &m, NULL, NULL));
    assert_int_equal(match_check_prereqs(&m), 0);
    m.flow.nw_proto = IPPROTO_GRE;
    assert_int_equal(match_check_prereqs(&m), OFPERR_OFPBMC_BAD_PREREQ);
}

/* OXM round trips. */

static void
test_oxm_roundtrip_every_field(void **state)
{
    static const enum ofp_version versions[] = {OFP12_VERSION, OFP13_VERSION,
                                                OFP15_VERSION};
    (void)state;
    for (size_t vi = 0; vi < ARRAY_SIZE(versions); vi++) {
        for (int i = 0; i < MFF_N_IDS; i++) {
            const struct mf_field *mf = mf_from_id(i);
            for (int masked = 0; masked < 2; masked++) {
                union mf_value v, mask;
                struct match in, out;
                struct ofpbuf b;

                if (masked && !mf->maskable) {
                    continue;
                }
                match_init_catchall(&in);
                satisfy_prereqs(mf, &in);
                sample_value(mf, &v, (uint8_t)(i * 3));
                if (mf->id == MFF_IN_PHY_PORT) {
                    v.be32 = htonl(7);
                }
                sample_mask(mf, &mask);
                assert_int_equal(
                    mf_set_match(mf, &v, masked ? &mask : NULL, &in), 0);
                ofpbuf_init(&b, 64);
                roundtrip_oxm(&in, versions[vi], &out, &b);
                assert_true(match_equal(&in, &out));
                ofpbuf_uninit(&b);
            }
        }
    }
}

static void
test_oxm_encoding_details(void **state)
{
    struct match m, out;
    struct ofpbuf b;
    struct ofp_reader r;

    (void)state;
    /* tcp_flags: ONF experimenter 42 in 1.3, OXM 42 in 1.5. */
    assert_null(match_parse("tcp,tcp_flags=+syn", NULL, &m, NULL, NULL));
    ofpbuf_init(&b, 64);
    ofp_match_encode_oxm(&m, OFP13_VERSION, &b);
    static const uint8_t onf[] = {0xff, 0xff, 0x55, 0x08, 0x4f, 0x4e,
                                  0x46, 0x00, 0x00, 0x02, 0x00, 0x02};
    assert_int_equal(b.size, 4 + 6 + 5 + 12 + 5);
    assert_memory_equal(b.data + 15, onf, sizeof onf);
    ofpbuf_clear(&b);
    ofp_match_encode_oxm(&m, OFP15_VERSION, &b);
    static const uint8_t basic[] = {0x80, 0x00, 0x55, 0x04,
                                    0x00, 0x02, 0x00, 0x02};
    assert_memory_equal(b.data + 15, basic, sizeof basic);

    /* VLAN: 0x0000 no tag, 0x1000/0x1000 any tag, 0x1000|vid a VID. */
    static const struct {
        const char *text;
        uint8_t oxm[8];
        size_t len;
    } vlans[] = {
        {"vlan_tci=0x0000", {0x80, 0x00, 0x0c, 0x02, 0x00, 0x00}, 6},
        {"vlan_tci=0x1000/0x1000",
         {0x80, 0x00, 0x0d, 0x04, 0x10, 0x00, 0x10, 0x00},
         8},
        {"dl_vlan=10", {0x80, 0x00, 0x0c, 0x02, 0x10, 0x0a}, 6},
    };
    for (size_t i = 0; i < ARRAY_SIZE(vlans); i++) {
        assert_null(match_parse(vlans[i].text, NULL, &m, NULL, NULL));
        ofpbuf_clear(&b);
        ofp_match_encode_oxm(&m, OFP13_VERSION, &b);
        assert_int_equal(ntohs(*(uint16_t *)(b.data + 2)), 4 + vlans[i].len);
        assert_memory_equal(b.data + 4, vlans[i].oxm, vlans[i].len);
    }

    /* PBB_ISID: 3 bytes, maskable; PBB_UCA: 1 byte. */
    static const uint8_t pbb[] = {0x80, 0x00, 0x0a, 0x02, 0x88, 0xe7, 0x80,
                                  0x00, 0x4b, 0x06, 0x00, 0x12, 0x00, 0x00,
                                  0xff, 0x00, 0x80, 0x00, 0x52, 0x01, 0x01};
    assert_null(match_parse("dl_type=0x88e7,pbb_isid=0x1234/0xff00,pbb_uca=1",
                            NULL, &m, NULL, NULL));
    ofpbuf_clear(&b);
    ofp_match_encode_oxm(&m, OFP13_VERSION, &b);
    assert_int_equal(ntohs(*(uint16_t *)(b.data + 2)), 4 + sizeof pbb);
    assert_memory_equal(b.data + 4, pbb, sizeof pbb);
    assert_int_equal(ofp_oxms_decode(pbb, sizeof pbb, &out), 0);
    assert_int_equal(ntohl(out.flow.pbb_isid), 0x1200);
    assert_int_equal(ntohl(out.wc.masks.pbb_isid), 0xff00);
    assert_int_equal(out.flow.pbb_uca, 1);
    /* Without eth_type=0x88e7 first: a prerequisite is missing. */
    assert_int_equal(ofp_oxms_decode(pbb + 6, sizeof pbb - 6, &out),
                     OFPERR_OFPBMC_BAD_PREREQ);

    /* Zero-length OXM list: a catch-all match of 8 bytes. */
    static const uint8_t empty[] = {0, 1, 0, 4, 0, 0, 0, 0};
    ofp_reader_init(&r, empty, sizeof empty);
    assert_int_equal(ofp_match_decode_oxm(&r, &out), 0);
    assert_int_equal(r.size, 0);
    assert_true(flow_wildcards_is_catchall(&out.wc));
    match_init_catchall(&m);
    ofpbuf_clear(&b);
    assert_int_equal(ofp_match_encode_oxm(&m, OFP13_VERSION, &b), 8);
    assert_memory_equal(b.data, empty, 8);

    /* One-field helpers. */
    const struct mf_field *mf;
    union mf_value v, mask;
    bool has_mask;
    ofpbuf_clear(&b);
    v.be32 = htonl(0x0a000000);
    mask.be32 = htonl(0xff000000);
    ofp_oxm_encode_one(mf_from_id(MFF_IPV4_SRC), &v, &mask, OFP13_VERSION, &b);
    assert_int_equal(b.size, 12);
    ofp_reader_init(&r, b.data, b.size);
    assert_int_equal(ofp_oxm_decode_one(&r, &mf, &v, &mask, &has_mask), 0);
    assert_int_equal(mf->id, MFF_IPV4_SRC);
    assert_true(has_mask);
    assert_int_equal(mask.be32, htonl(0xff000000));
    assert_int_equal(r.size, 0);
    ofpbuf_uninit(&b);
}

/* Decodes the OXM list 'hex' and expects 'error'. */
static void
expect_oxms(const uint8_t *oxms, size_t len, enum ofperr error)
{
    struct match m;
    assert_int_equal(ofp_oxms_decode(oxms, len, &m), error);
}

static void
test_oxm_errors(void **state)
{
    struct ofp_reader r;
    struct match m;

    (void)state;
    /* Truncated header, value past the end, wrong length for the field. */
    static const uint8_t trunc_hdr[] = {0x80, 0x00, 0x00};
    expect_oxms(trunc_hdr, sizeof trunc_hdr, OFPERR_OFPBMC_BAD_LEN);
    static const uint8_t past_end[] = {0x80, 0x00, 0x00, 0x04, 0, 0};
    expect_oxms(past_end, sizeof past_end, OFPERR_OFPBMC_BAD_LEN);
    static const uint8_t bad_len[] = {0x80, 0x00, 0x00, 0x02, 0, 1};
    expect_oxms(bad_len, sizeof bad_len, OFPERR_OFPBMC_BAD_LEN);
    static const uint8_t exp_short[] = {0xff, 0xff, 0x54, 0x02, 0, 1};
    expect_oxms(exp_short, sizeof exp_short, OFPERR_OFPBMC_BAD_LEN);
    /* Unknown field, class, experimenter. */
    static const uint8_t unknown[] = {0x80, 0x00, 0x7e, 0x01, 0};
    expect_oxms(unknown, sizeof unknown, OFPERR_OFPBMC_BAD_FIELD);
    static const uint8_t bad_class[] = {0x12, 0x34, 0x00, 0x01, 0};
    expect_oxms(bad_class, sizeof bad_class, OFPERR_OFPBMC_BAD_FIELD);
    static const uint8_t bad_exp[] = {0xff, 0xff, 0x54, 0x06, 0x00,
                                      0x00, 0x23, 0x20, 0x00, 0x02};
    expect_oxms(bad_exp, sizeof bad_exp, OFPERR_OFPBMC_BAD_FIELD);
    /* Mask on in_port (unmaskable). */
    static const uint8_t mask_port[] = {0x80, 0x00, 0x01, 0x08, 0,    0,
                                        0,    1,    0xff, 0xff, 0xff, 0xff};
    expect_oxms(mask_port, sizeof mask_port, OFPERR_OFPBMC_BAD_MASK);
    /* Duplicate eth_type. */
    static const uint8_t dup[] = {0x80, 0x00, 0x0a, 0x02, 0x08, 0x00,
                                  0x80, 0x00, 0x0a, 0x02, 0x08, 0x00};
    expect_oxms(dup, sizeof dup, OFPERR_OFPBMC_DUP_FIELD);
    /* TCP port without ip/tcp; IPv4 source on IPv6; PCP without VID. */
    static const uint8_t tcp_only[] = {0x80, 0x00, 0x1a, 0x02, 0x00, 0x50};
    expect_oxms(tcp_only, sizeof tcp_only, OFPERR_OFPBMC_BAD_PREREQ);
    static const uint8_t v4_on_v6[] = {0x80, 0x00, 0x0a, 0x02, 0x86,
                                       0xdd, 0x80, 0x00, 0x16, 0x04,
                                       1,    2,    3,    4};
    expect_oxms(v4_on_v6, sizeof v4_on_v6, OFPERR_OFPBMC_BAD_PREREQ);
    static const uint8_t pcp_only[] = {0x80, 0x00, 0x0e, 0x01, 0x03};
    expect_oxms(pcp_only, sizeof pcp_only, OFPERR_OFPBMC_BAD_PREREQ);
    static const uint8_t phy_only[] = {0x80, 0x00, 0x02, 0x04, 0, 0, 0, 1};
    expect_oxms(phy_only, sizeof phy_only, OFPERR_OFPBMC_BAD_PREREQ);
    /* Values out of range: VLAN_VID 0x2000, IP_DSCP 64, MPLS_BOS 2. */
    static const uint8_t vid[] = {0x80, 0x00, 0x0c, 0x02, 0x20, 0x00};
    expect_oxms(vid, sizeof vid, OFPERR_OFPBMC_BAD_VALUE);
    static const uint8_t dscp[] = {0x80, 0x00, 0x0a, 0x02, 0x08, 0x00,
                                   0x80, 0x00, 0x10, 0x01, 0x40};
    expect_oxms(dscp, sizeof dscp, OFPERR_OFPBMC_BAD_VALUE);
    static const uint8_t bos[] = {0x80, 0x00, 0x0a, 0x02, 0x88, 0x47,
                                  0x80, 0x00, 0x48, 0x01, 0x02};
    expect_oxms(bos, sizeof bos, OFPERR_OFPBMC_BAD_VALUE);

    /* ofp_match header: bad type, length < 4, length past the end. */
    static const uint8_t std_type[] = {0, 0, 0, 88, 0, 0, 0, 0};
    ofp_reader_init(&r, std_type, sizeof std_type);
    assert_int_equal(ofp_match_decode_oxm(&r, &m), OFPERR_OFPBMC_BAD_TYPE);
    assert_int_equal(r.size, sizeof std_type);
    static const uint8_t short_len[] = {0, 1, 0, 2, 0, 0, 0, 0};
    ofp_reader_init(&r, short_len, sizeof short_len);
    assert_int_equal(ofp_match_decode_oxm(&r, &m), OFPERR_OFPBMC_BAD_LEN);
    static const uint8_t long_len[] = {0, 1, 0, 12, 0x80, 0, 0, 4, 0, 0, 0, 1};
    ofp_reader_init(&r, long_len, sizeof long_len);
    assert_int_equal(ofp_match_decode_oxm(&r, &m), OFPERR_OFPBMC_BAD_LEN);
    ofp_reader_init(&r, long_len, 3);
    assert_int_equal(ofp_match_decode_oxm(&r, &m), OFPERR_OFPBMC_BAD_LEN);
    ofp_reader_init(&r, long_len, 0);
    assert_int_equal(ofp_match_decode_oxm(&r, &m), OFPERR_OFPBMC_BAD_LEN);
}

/* Hostile input: never a crash, never a read outside the buffer (ASan
 * checks the latter: every buffer is malloc'd to its exact size). */
static void
test_hostile(void **state)
{
    enum { BIG = 65536 };
    uint8_t *buf = xmalloc(BIG);
    uint32_t seed = 12345;
    struct match m;

    (void)state;
    for (int round = 0; round < 200; round++) {
        for (size_t i = 0; i < BIG; i++) {
            seed = seed * 1103515245 + 12345;
            buf[i] = (uint8_t)(seed >> 16);
        }
        if (round & 1) {
            /* Plausible headers: OXM basic class, random everything else. */
            for (size_t i = 0; i + 4 < BIG; i += 4 + (buf[i + 3] & 0x1f)) {
                buf[i] = 0x80;
                buf[i + 1] = 0x00;
            }
        }
        size_t len = round < 100 ? BIG : (seed >> 8) % 300;
        uint8_t *copy = xmemdup(buf, len ? len : 1);
        struct ofp_reader r;
        ofp_reader_init(&r, copy, len);
        (void)ofp_match_decode_oxm(&r, &m);
        (void)ofp_oxms_decode(copy, len, &m);
        if (len >= OFP10_MATCH_LEN) {
            struct ofpbuf b;
            assert_int_equal(ofp_match_decode_of10(copy, &m), 0);
            ofpbuf_init(&b, 64);
            ofp_match_encode_of10(&m, &b);
            ofp_match_encode_oxm(&m, OFP13_VERSION, &b);
            ofpbuf_uninit(&b);
        }
        free(copy);
    }
    /* Every truncation of a real match fails cleanly. */
    struct ofpbuf b;
    ofpbuf_init(&b, 64);
    assert_null(match_parse("tcp6,ipv6_src=::1,tp_dst=80,tcp_flags=+syn", NULL,
                            &m, NULL, NULL));
    ofp_match_encode_oxm(&m, OFP13_VERSION, &b);
    for (size_t n = 0; n < b.size; n++) {
        uint8_t *copy = xmemdup(b.data, n ? n : 1);
        struct ofp_reader r;
        ofp_reader_init(&r, copy, n);
        assert_int_not_equal(ofp_match_decode_oxm(&r, &m), 0);
        free(copy);
    }
    ofpbuf_uninit(&b);
    free(buf);
}

/* OpenFlow 1.0. */

static void
test_of10(void **state)
{
    static const char *const cases[] = {
        "",
        "tcp,in_port=1,dl_vlan=10,nw_src=10.0.0.0/24,tp_dst=80",
        ("arp,in_port=3,vlan_tci=0x0000,dl_src=50:54:00:00:00:05,"
         "arp_spa=192.168.0.1,arp_op=2"),
        "icmp,dl_vlan_pcp=5,nw_tos=184,icmp_type=8,icmp_code=0",
        "udp,dl_vlan=4095,dl_vlan_pcp=7,nw_dst=1.2.3.4,tp_src=53",
        "in_port=LOCAL,dl_dst=ff:ff:ff:ff:ff:ff,dl_type=0x1234",
    };
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct match m, out;
        struct ofpbuf b1, b2;
        struct ds s = DS_EMPTY;

        assert_null(match_parse(cases[i], NULL, &m, NULL, NULL));
        ofpbuf_init(&b1, 64);
        ofpbuf_init(&b2, 64);
        assert_true(ofp_match_encode_of10(&m, &b1));
        assert_int_equal(b1.size, OFP10_MATCH_LEN);
        assert_int_equal(ofp_match_decode_of10(b1.data, &out), 0);
        if (!match_equal(&m, &out)) {
            fail_msg("%s: 1.0 round trip differs", cases[i]);
        }
        ofp_match_encode_of10(&out, &b2);
        assert_memory_equal(b1.data, b2.data, OFP10_MATCH_LEN);
        match_format(&out, NULL, -1, &s);
        assert_string_equal(ds_cstr(&s), cases[i]);
        ds_destroy(&s);
        ofpbuf_uninit(&b1);
        ofpbuf_uninit(&b2);
    }

    /* dl_vlan 0xffff is "no tag"; CIDR wildcards; not expressible. */
    struct match m;
    struct ofpbuf b;
    uint8_t raw[OFP10_MATCH_LEN] = {0};
    /* Everything wild but dl_vlan (no tag, PCP 0) and nw_src/24. */
    uint32_t wc = htonl(0xfd | (8u << 8) | (32u << 14) | (1u << 21));
    memcpy(raw, &wc, 4);
    raw[18] = raw[19] = 0xff;
    raw[28] = 10;
    assert_int_equal(ofp_match_decode_of10(raw, &m), 0);
    assert_int_equal(m.wc.masks.vlans[0].tci, htons(0xffff));
    assert_int_equal(m.flow.vlans[0].tci, 0);
    assert_int_equal(m.wc.masks.nw_src, htonl(0xffffff00));
    assert_int_equal(m.flow.nw_src, htonl(0x0a000000));
    ofpbuf_init(&b, 64);
    assert_true(ofp_match_encode_of10(&m, &b));
    assert_memory_equal(b.data, raw, OFP10_MATCH_LEN);
    ofpbuf_clear(&b);
    assert_null(match_parse("ipv6,ipv6_src=::1", NULL, &m, NULL, NULL));
    assert_false(ofp_match_encode_of10(&m, &b));
    ofpbuf_clear(&b);
    assert_null(
        match_parse("ip,nw_src=1.0.0.1/255.0.0.255", NULL, &m, NULL, NULL));
    assert_false(ofp_match_encode_of10(&m, &b));
    ofpbuf_uninit(&b);
}

/* Text. */

struct text_case {
    const char *in;
    const char *out; /* What ovs-ofctl 3.1 printed after OXM (OF1.3). */
};

static const struct text_case text_cases[] = {
    {"tcp,in_port=1,dl_vlan=10,nw_src=10.0.0.0/24,tp_dst=80",
     "tcp,in_port=1,dl_vlan=10,nw_src=10.0.0.0/24,tp_dst=80"},
    {"priority=5,tcp,pkt_mark=1,metadata=3,in_port=2,dl_vlan=4,"
     "dl_src=aa:bb:cc:dd:ee:ff,dl_dst=11:22:33:44:55:66,nw_src=1.1.1.1,"
     "nw_dst=2.2.2.2,nw_tos=4,nw_ecn=1,nw_ttl=3,nw_frag=first,tp_src=1,"
     "tp_dst=2,tcp_flags=+syn",
     "priority=5,pkt_mark=0x1,tcp,metadata=0x3,in_port=2,dl_vlan=4,"
     "dl_src=aa:bb:cc:dd:ee:ff,dl_dst=11:22:33:44:55:66,nw_src=1.1.1.1,"
     "nw_dst=2.2.2.2,nw_tos=4,nw_ecn=1,nw_ttl=3,nw_frag=first,tp_src=1,"
     "tp_dst=2,tcp_flags=+syn"},
    {"tcp,tcp_flags=syn", "tcp,tcp_flags=syn"},
    {"tcp,tcp_flags=+syn-ack", "tcp,tcp_flags=+syn-ack"},
    {"tcp,tcp_flags=0x012/0x0ff",
     "tcp,tcp_flags=-fin+syn-rst-psh+ack-urg-ece-cwr"},
    {"tcp,tcp_flags=0", "tcp,tcp_flags=0"},
    {"tcp,tcp_flags=+syn+ack-fin", "tcp,tcp_flags=-fin+syn+ack"},
    {"tcp,tcp_flags=syn|ack", "tcp,tcp_flags=syn|ack"},
    {"tcp,tcp_flags=0x200/0x200", "tcp,tcp_flags=+[200]"},
    {"tcp,tcp_flags=0xfff",
     "tcp,tcp_flags=fin|syn|rst|psh|ack|urg|ece|cwr|ns|[200]|[400]|[800]"},
    {"dl_vlan=0xffff", "vlan_tci=0x0000/0x1fff"},
    {"vlan_tci=0x1000/0x1000", "vlan_tci=0x1000/0x1000"},
    {"vlan_tci=0x0000", "vlan_tci=0x0000/0x1fff"},
    {"vlan_tci=0x1005/0x1fff", "dl_vlan=5"},
    {"dl_vlan_pcp=3", "dl_vlan_pcp=3"},
    {"dl_vlan=5,dl_vlan_pcp=3", "dl_vlan=5,dl_vlan_pcp=3"},
    {"vlan_tci=0x1234", "dl_vlan=564,dl_vlan_pcp=0"},
    {"dl_vlan=4096", "dl_vlan=0"},
    {"vlan_vid=0x1005", "dl_vlan=5"},
    {"vlan_pcp=2", "dl_vlan_pcp=2"},
    {"dl_vlan=5,dl_vlan_pcp=7,vlan_tci=0x0000/0xe000", ""},
    {"ip,nw_frag=first", "ip,nw_frag=first"},
    {"ip,nw_frag=yes", "ip,nw_frag=yes"},
    {"ip,nw_frag=not_later", "ip,nw_frag=not_later"},
    {"ip,ip_frag=later", "ip,nw_frag=later"},
    {"ip,nw_frag=no", "ip,nw_frag=no"},
    {"ipv6,ipv6_src=2001:db8::/64,ipv6_label=0x12",
     "ipv6,ipv6_src=2001:db8::/64,ipv6_label=0x00012"},
    {"ipv6,ipv6_src=2001:db8::/ffff:ffff::", "ipv6,ipv6_src=2001:db8::/32"},
    {"ipv6,ipv6_label=0x12/0xff", "ipv6,ipv6_label=0x00012/0x000ff"},
    {"metadata=0x5/0xff,pkt_mark=0x3", "pkt_mark=0x3,metadata=0x5/0xff"},
    {"pkt_mark=0/0x1", "pkt_mark=0/0x1"},
    {"metadata=5", "metadata=0x5"},
    {"metadata=0", "metadata=0"},
    {"pkt_mark=5", "pkt_mark=0x5"},
    {"dl_src=01:00:00:00:00:00/01:00:00:00:00:00",
     "dl_src=01:00:00:00:00:00/01:00:00:00:00:00"},
    {"dl_dst=aa:bb:cc:dd:ee:ff/ff:ff:ff:ff:ff:00",
     "dl_dst=aa:bb:cc:dd:ee:00/ff:ff:ff:ff:ff:00"},
    {"dl_src=aa:bb:cc:dd:ee:ff/ff:ff:ff:ff:ff:ff", "dl_src=aa:bb:cc:dd:ee:ff"},
    {"icmp6,icmp_type=135,nd_target=::1,nd_sll=aa:bb:cc:dd:ee:ff",
     "icmp6,icmp_type=135,nd_target=::1,nd_sll=aa:bb:cc:dd:ee:ff"},
    {"icmp6,icmp_type=136,nd_tll=aa:bb:cc:dd:ee:ff",
     "icmp6,icmp_type=136,nd_tll=aa:bb:cc:dd:ee:ff"},
    {"icmp6,icmp_type=135,nd_tll=aa:bb:cc:dd:ee:ff", "icmp6,icmp_type=135"},
    {"ipv6,ipv6_src=::1,ipv6_dst=::2,ipv6_label=5,nw_proto=58,"
     "icmp_type=135,icmp_code=0,nd_target=::3,nd_sll=aa:aa:aa:aa:aa:aa",
     "icmp6,ipv6_src=::1,ipv6_dst=::2,ipv6_label=0x00005,icmp_type=135,"
     "icmp_code=0,nd_target=::3,nd_sll=aa:aa:aa:aa:aa:aa"},
    {"icmp6,icmpv6_type=1", "icmp6,icmp_type=1"},
    {"ipv6,icmpv6_type=1", "ipv6"},
    {"mpls,mpls_label=5,mpls_tc=2,mpls_bos=1",
     "mpls,mpls_label=5,mpls_tc=2,mpls_bos=1"},
    {"dl_type=0x8847,mpls_bos=1,mpls_label=3", "mpls,mpls_label=3,mpls_bos=1"},
    {"dl_type=0x88e7,pbb_uca=1,pbb_isid=100",
     "dl_type=0x88e7,pbb_isid=100,pbb_uca=1"},
    {"dl_type=0x88e7,pbb_isid=0x1234/0xff00",
     "dl_type=0x88e7,pbb_isid=0x1200/0xff00"},
    {"dl_type=0x88e7,pbb_isid=0xffffff/0xffffff",
     "dl_type=0x88e7,pbb_isid=16777215"},
    {"ip,nw_tos=8,nw_ecn=2,nw_ttl=4", "ip,nw_tos=8,nw_ecn=2,nw_ttl=4"},
    {"ip,nw_tos=3", "ip,nw_tos=0"},
    {"ip,ip_dscp=2", "ip,nw_tos=8"},
    {"icmp,icmp_type=8,icmp_code=0", "icmp,icmp_type=8,icmp_code=0"},
    {"icmp,tp_src=8", "icmp,icmp_type=8"},
    {"icmp,icmp_type=3,nw_src=1.2.3.4", "icmp,nw_src=1.2.3.4,icmp_type=3"},
    {"ip,icmp_type=3", "ip"},
    {"arp,arp_op=1,arp_sha=aa:bb:cc:dd:ee:ff,arp_spa=10.0.0.1",
     "arp,arp_spa=10.0.0.1,arp_op=1,arp_sha=aa:bb:cc:dd:ee:ff"},
    {"arp,nw_src=1.2.3.4", "arp,arp_spa=1.2.3.4"},
    {"arp,nw_proto=2", "arp,arp_op=2"},
    {"rarp,arp_tha=aa:aa:aa:aa:aa:aa,arp_tpa=1.2.3.4",
     "rarp,arp_tpa=1.2.3.4,arp_tha=aa:aa:aa:aa:aa:aa"},
    {"in_port=1,dl_vlan=0xffff,dl_type=0x0806",
     "arp,in_port=1,vlan_tci=0x0000/0x1fff"},
    {"udp6,tp_src=0x10/0xfff0", "udp6,tp_src=0x10/0xfff0"},
    {"udp,tcp_src=5", "udp,tp_src=5"},
    {"sctp,sctp_src=5", "sctp,tp_src=5"},
    {"tcp,tcp_src=0x50", "tcp,tp_src=80"},
    {"tcp6,tp_dst=80", "tcp6,tp_dst=80"},
    {"tcp,nw_ttl=0", "tcp,nw_ttl=0"},
    {"ip,nw_src=10.0.0.0/255.255.0.0,nw_dst=10.1.2.3/255.0.255.0",
     "ip,nw_src=10.0.0.0/16,nw_dst=10.0.2.0/255.0.255.0"},
    {"ip,nw_src=10.0.0.1/0", "ip"},
    {"ip,nw_src=10.0.0.1/32", "ip,nw_src=10.0.0.1"},
    {"in_port=LOCAL", "in_port=LOCAL"},
    {"in_port=CONTROLLER", "in_port=CONTROLLER"},
    {"dl_type=0x1234", "dl_type=0x1234"},
    {"dl_type=0x800,nw_proto=6", "tcp"},
    {"ip,dl_type=0x0800", "ip"},
    {"ip,ip_proto=6", "tcp"},
    {"ip,nw_proto=47", "ip,nw_proto=47"},
    {"ipv6,nw_proto=47", "ipv6,nw_proto=47"},
    {"rarp", "rarp"},
    {"mplsm", "mplsm"},
    {"icmp6", "icmp6"},
    {"tp_dst=80", ""},
    {"nw_src=1.2.3.4", ""},
    {"priority=32768,ip", "ip"},
    {"priority=0,ip", "priority=0,ip"},
};

/* Added to Open vSwitch 3.1 with "ovs-ofctl -O OpenFlow10 -F openflow10
 * add-flows" and printed back by "dump-flows --no-stats". */
static const struct text_case of10_cases[] = {
    {"priority=100,tcp,in_port=1,dl_vlan=10,nw_src=10.0.0.0/24,tp_dst=80",
     "priority=100,tcp,in_port=1,dl_vlan=10,nw_src=10.0.0.0/24,tp_dst=80"},
    {"priority=101,udp,dl_vlan=0xffff,nw_dst=192.168.1.1,tp_src=53",
     "priority=101,udp,vlan_tci=0x0000,nw_dst=192.168.1.1,tp_src=53"},
    {"priority=102,arp,arp_spa=10.0.0.1,arp_op=1",
     "priority=102,arp,arp_spa=10.0.0.1,arp_op=1"},
    {"priority=103,icmp,icmp_type=8,icmp_code=0,nw_tos=184",
     "priority=103,icmp,nw_tos=184,icmp_type=8,icmp_code=0"},
    {"priority=111,dl_vlan_pcp=5,dl_type=0x88cc",
     "priority=111,dl_vlan_pcp=5,dl_type=0x88cc"},
    {"priority=112,in_port=LOCAL,dl_src=aa:bb:cc:dd:ee:ff",
     "priority=112,in_port=LOCAL,dl_src=aa:bb:cc:dd:ee:ff"},
    {"priority=0", "priority=0"},
    {"priority=115,dl_vlan=5,dl_vlan_pcp=3",
     "priority=115,dl_vlan=5,dl_vlan_pcp=3"},
    {"priority=116,ip,nw_proto=47,nw_dst=10.0.0.0/8",
     "priority=116,ip,nw_dst=10.0.0.0/8,nw_proto=47"},
    {"priority=117,dl_vlan=0xffff,dl_vlan_pcp=3",
     "priority=117,dl_vlan=0,dl_vlan_pcp=3"},
    {"priority=118,tp_dst=80", "priority=118"},
};

/* Same for OpenFlow 1.3 (cases the table above lacks). */
static const struct text_case of13_dump_cases[] = {
    {"priority=101,udp,dl_vlan=0xffff,nw_dst=192.168.1.1,tp_src=53",
     "priority=101,udp,vlan_tci=0x0000/0x1fff,nw_dst=192.168.1.1,"
     "tp_src=53"},
    {"priority=109,ip,nw_frag=later,nw_ttl=5,nw_ecn=1",
     "priority=109,ip,nw_ecn=1,nw_ttl=5,nw_frag=later"},
    {"priority=110,pkt_mark=0x5/0xff,metadata=0x10",
     "priority=110,pkt_mark=0x5/0xff,metadata=0x10"},
    {"priority=112,sctp,tp_src=5,in_port=LOCAL",
     "priority=112,sctp,in_port=LOCAL,tp_src=5"},
    {"priority=113,rarp,arp_tpa=1.2.3.0/24",
     "priority=113,rarp,arp_tpa=1.2.3.0/24"},
    {"priority=114,ip,nw_src=1.0.0.1/255.0.0.255,nw_proto=47",
     "priority=114,ip,nw_src=1.0.0.1/255.0.0.255,nw_proto=47"},
    {"priority=115,dl_vlan=5,dl_vlan_pcp=3,"
     "dl_dst=aa:bb:cc:dd:ee:ff/ff:ff:ff:ff:ff:00",
     "priority=115,dl_vlan=5,dl_vlan_pcp=3,"
     "dl_dst=aa:bb:cc:dd:ee:00/ff:ff:ff:ff:ff:00"},
    {"priority=105,icmp6,icmp_type=135,nd_target=fe80::1,"
     "nd_sll=aa:bb:cc:dd:ee:ff",
     "priority=105,icmp6,icmp_type=135,nd_target=fe80::1,"
     "nd_sll=aa:bb:cc:dd:ee:ff"},
};

static char *
take_priority(const char *key, const char *value, void *aux)
{
    uint16_t p;
    if (strcmp(key, "priority") || !str_to_u16(value, &p)) {
        return xasprintf("unexpected %s", key);
    }
    *(int *)aux = p;
    return NULL;
}

/* Parses each case, sends it through the 1.0 or OXM (1.3) encoding and
 * back, and compares the text with what ovs-ofctl printed. */
static void
check_text_cases(const struct text_case *cases, size_t n, bool of10)
{
    for (size_t i = 0; i < n; i++) {
        const struct text_case *c = &cases[i];
        struct match m, out, again;
        struct ds s = DS_EMPTY;
        struct ofpbuf b;
        int priority = OFP_DEFAULT_PRIORITY;
        char *error;

        error = match_parse(c->in, NULL, &m, take_priority, &priority);
        if (error) {
            fail_msg("%s: %s", c->in, error);
        }
        ofpbuf_init(&b, 64);
        if (of10) {
            ofp_match_encode_of10(&m, &b);
            assert_int_equal(ofp_match_decode_of10(b.data, &out), 0);
        } else {
            roundtrip_oxm(&m, OFP13_VERSION, &out, &b);
        }
        ofpbuf_uninit(&b);
        match_format(&out, NULL, priority, &s);
        if (strcmp(ds_cstr(&s), c->out)) {
            fail_msg("%s: got \"%s\", want \"%s\"", c->in, ds_cstr(&s),
                     c->out);
        }
        /* Stable: the printed text parses back to the same match. */
        priority = OFP_DEFAULT_PRIORITY;
        assert_null(
            match_parse(ds_cstr(&s), NULL, &again, take_priority, &priority));
        assert_true(match_equal(&out, &again));
        ds_destroy(&s);
    }
}

static void
test_text_ovs_ofctl(void **state)
{
    (void)state;
    check_text_cases(text_cases, ARRAY_SIZE(text_cases), false);
    check_text_cases(of13_dump_cases, ARRAY_SIZE(of13_dump_cases), false);
    check_text_cases(of10_cases, ARRAY_SIZE(of10_cases), true);
}

static uint32_t
name_to_port(const char *name, void *aux)
{
    (void)aux;
    return !strcmp(name, "eth0")      ? 1
           : !strcmp(name, "my port") ? 2
                                      : UINT32_MAX;
}

static const char *
port_to_name(uint32_t port, void *aux)
{
    (void)aux;
    return port == 1 ? "eth0" : port == 2 ? "my port" : NULL;
}

static char *
other_keys(const char *key, const char *value, void *aux)
{
    struct ds *s = aux;
    ds_put_format(s, "[%s=%s]", key, value);
    return NULL;
}

static void
test_text_misc(void **state)
{
    struct ofp_port_names names = {name_to_port, port_to_name, NULL};
    struct ds s = DS_EMPTY, others = DS_EMPTY;
    struct match m;
    char *error;

    (void)state;
    /* Port names, quoted names, other keys, "actions" to the end. */
    assert_null(match_parse("in_port=eth0 tcp", &names, &m, NULL, NULL));
    match_format(&m, &names, -1, &s);
    assert_string_equal(ds_cstr(&s), "tcp,in_port=eth0");
    ds_clear(&s);
    assert_null(match_parse("in_port=\"my port\",priority=7,"
                            "actions=output:1,drop",
                            &names, &m, other_keys, &others));
    assert_int_equal(m.flow.in_port, 2);
    assert_string_equal(ds_cstr(&others),
                        "[priority=7][actions=output:1,drop]");
    match_format(&m, &names, 7, &s);
    assert_string_equal(ds_cstr(&s), "priority=7,in_port=\"my port\"");
    ds_clear(&s);
    match_format(&m, NULL, -1, &s);
    assert_string_equal(ds_cstr(&s), "in_port=2");
    ds_clear(&s);

    /* Errors name the problem. */
    static const char *const bad[] = {
        "foo=1",          "tcp,tp_src=99999", "in_port=nosuch",
        "nw_src=1.2.3",   "dl_src=aa:bb",     "tcp,tcp_flags=+bogus",
        "ip,nw_frag=odd", "dl_vlan_pcp=8",    "in_port=1/0xff",
        "ip,nw_ecn=5",    "vlan_tci=x",       "ipv6,ipv6_src=::1/129",
        "priority=5",
    };
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        error = match_parse(bad[i], &names, &m, NULL, NULL);
        if (!error) {
            fail_msg("%s: parsed", bad[i]);
        }
        free(error);
    }

    /* Field values as set_field prints them. */
    static const struct {
        enum mf_field_id id;
        const char *in, *out;
    } values[] = {
        {MFF_IPV4_SRC, "192.168.3.92", "192.168.3.92"},
        {MFF_IPV4_SRC, "10.0.0.0/8", "10.0.0.0/8"},
        {MFF_SCTP_SRC, "3334", "3334"},
        {MFF_TCP_DST, "0x10/0xfff0", "0x10/0xfff0"},
        {MFF_ND_TARGET, "::1", "::1"},
        {MFF_ND_SLL, "aa:aa:aa:aa:aa:aa", "aa:aa:aa:aa:aa:aa"},
        {MFF_VLAN_VID, "4196", "4196"},
        {MFF_METADATA, "0x1/0xff", "0x1/0xff"},
        {MFF_IN_PORT, "LOCAL", "LOCAL"},
        {MFF_IP_FRAG, "later", "later"},
        {MFF_TCP_FLAGS, "+syn-ack", "+syn-ack"},
        {MFF_PKT_MARK, "17", "0x11"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(values); i++) {
        const struct mf_field *mf = mf_from_id(values[i].id);
        union mf_value v, mask;
        ds_clear(&s);
        error = mf_parse_value(mf, values[i].in, NULL, &v, &mask);
        if (error) {
            fail_msg("%s: %s", values[i].in, error);
        }
        mf_format_value(mf, &v, &mask, NULL, &s);
        assert_string_equal(ds_cstr(&s), values[i].out);
    }
    union mf_value v;
    error =
        mf_parse_value(mf_from_id(MFF_IPV4_SRC), "10.0.0.0/8", NULL, &v, NULL);
    assert_non_null(error);
    free(error);
    ds_destroy(&s);
    ds_destroy(&others);
}

/* The flow messages of the ovs-ofctl vectors. */

/* The bytes after "ofp-print" in 'cmd' (caller frees), or NULL. */
static uint8_t *
vector_bytes(const char *cmd, size_t *len)
{
    const char *p = strstr(cmd, "ofp-print \"");
    if (!p) {
        return NULL;
    }
    p += strlen("ofp-print \"");
    const char *end = strchr(p, '"');
    uint8_t *out = xmalloc(strlen(p) / 2 + 1);
    size_t n = 0;
    int hi = -1;
    for (; p < end; p++) {
        int d = hex_digit_value(*p);
        if (d < 0) {
            continue;
        }
        if (hi < 0) {
            hi = d;
        } else {
            out[n++] = (uint8_t)(hi << 4 | d);
            hi = -1;
        }
    }
    *len = n;
    return out;
}

/* Offset of the match in flow message 'msg', or 0 if not handled. */
static size_t
match_offset(const uint8_t *msg, size_t len, size_t *entry_len)
{
    uint8_t v = msg[0], type = msg[1];
    bool flow_stats = msg[8] == 0 && msg[9] == 1;
    *entry_len = 0;
    if (type == 14) {
        return v == OFP10_VERSION ? 8 : v >= OFP12_VERSION ? 48 : 0;
    } else if (type == 11) {
        return (v == OFP10_VERSION   ? 8
                : v == OFP15_VERSION ? 24
                : v >= OFP12_VERSION ? 48
                                     : 0);
    } else if (!flow_stats) {
        return 0;
    } else if (v == OFP10_VERSION && type == 17 && len > 16) {
        *entry_len = (size_t)msg[12] << 8 | msg[13];
        return 16;
    } else if (v >= OFP12_VERSION && v <= OFP14_VERSION && type == 19 &&
               len > 64) {
        *entry_len = (size_t)msg[16] << 8 | msg[17];
        return 64;
    } else if (v >= OFP12_VERSION && type == 18) {
        return 48;
    }
    return 0;
}

static void
check_vector_match(const char *title, const uint8_t *msg, size_t len,
                   size_t ofs, const char *out, int *n_checked)
{
    struct match m;
    struct ofpbuf b;
    struct ds s = DS_EMPTY;
    bool of10 = msg[0] == OFP10_VERSION;
    size_t mlen;

    ofpbuf_init(&b, 64);
    if (of10) {
        assert_true(ofs + OFP10_MATCH_LEN <= len);
        assert_int_equal(ofp_match_decode_of10(msg + ofs, &m), 0);
        ofp_match_encode_of10(&m, &b);
        mlen = OFP10_MATCH_LEN;
    } else {
        struct ofp_reader r;
        ofp_reader_init(&r, msg + ofs, len - ofs);
        enum ofperr error = ofp_match_decode_oxm(&r, &m);
        if (error) {
            /* Only experimenter fields Tern does not have. */
            assert_non_null(strstr(title, "experimenter OXM"));
            assert_int_equal(error, OFPERR_OFPBMC_BAD_FIELD);
            ofpbuf_uninit(&b);
            return;
        }
        mlen = len - ofs - r.size;
        ofp_match_encode_oxm(&m, msg[0], &b);
    }
    if (b.size != mlen || memcmp(b.data, msg + ofs, mlen)) {
        fail_msg("%s: match does not re-encode byte for byte", title);
    }
    if (of10 && msg[1] == 14) {
        match_clear_unmet_prereqs(&m); /* As ovs-ofctl prints flow mods. */
    }
    match_format(&m, NULL, -1, &s);
    if (!strstr(title, "high verbosity") && !strstr(out, ds_cstr(&s))) {
        fail_msg("%s: \"%s\" not in \"%s\"", title, ds_cstr(&s), out);
    }
    (*n_checked)++;
    ds_destroy(&s);
    ofpbuf_uninit(&b);
}

static void
test_vectors(void **state)
{
    char *path = test_vector_path("openflow/ofp-print-checks.json");
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    int n_checked = 0;
    size_t i;
    json_t *e;

    (void)state;
    if (!json_is_array(root)) {
        fail_msg("cannot read %s (set TERN_VECTORS_DIR)", path);
    }
    free(path);
    json_array_foreach(root, i, e)
    {
        const char *cmd = json_string_value(json_object_get(e, "cmd"));
        const char *out = json_string_value(json_object_get(e, "stdout"));
        const char *title = json_string_value(json_object_get(e, "title"));
        size_t len, ofs, entry_len;
        uint8_t *msg = cmd ? vector_bytes(cmd, &len) : NULL;

        if (!msg || len < 16 || !out) {
            free(msg);
            continue;
        }
        ofs = match_offset(msg, len, &entry_len);
        if (ofs) {
            check_vector_match(title, msg, len, ofs, out, &n_checked);
        }
        free(msg);
    }
    json_decref(root);
    print_message("%d flow-message matches checked\n", n_checked);
    assert_true(n_checked >= 20);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_field_table),
        cmocka_unit_test(test_field_set_get),
        cmocka_unit_test(test_field_semantics),
        cmocka_unit_test(test_oxm_roundtrip_every_field),
        cmocka_unit_test(test_oxm_encoding_details),
        cmocka_unit_test(test_oxm_errors),
        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_of10),
        cmocka_unit_test(test_text_ovs_ofctl),
        cmocka_unit_test(test_text_misc),
        cmocka_unit_test(test_vectors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
