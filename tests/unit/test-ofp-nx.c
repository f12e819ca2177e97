/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-ofp-nx: the Nicira extensible match (NXM) codec of lib/ofp-nx.c —
 * a match encoded as NXM TLVs in Open vSwitch's field order and decoded
 * back, and the malformed TLV lists the decoder refuses.  The framing of
 * Nicira messages themselves is tested with the other families in
 * test-ofp-msgs.
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "lib/ofp-errors.h"
#include "lib/ofp-fields.h"
#include "lib/ofp-nx.h"
#include "lib/ofpbuf.h"
#include "lib/util.h"

/* NXM: TLVs in Open vSwitch's order (port, Ethernet, IP addresses, then
 * the protocol and ports), NXM_OF_IN_PORT in 16 bits, masks with the HM
 * bit; unknown fields and bad lengths are refused. */
static void
test_nxm_codec(void **state TERN_UNUSED)
{
    static const uint8_t want[] = {
        0x00, 0x00, 0x00, 0x02, 0x00, 0x03,             /* in_port */
        0x00, 0x00, 0x06, 0x02, 0x08, 0x00,             /* eth_type */
        0x00, 0x00, 0x0f, 0x08, 0x0a, 0x00, 0x00, 0x00, /* ip_src/m */
        0xff, 0xff, 0xff, 0x00,                         /* ... */
        0x00, 0x00, 0x0c, 0x01, 0x06,                   /* ip_proto */
        0x00, 0x00, 0x14, 0x02, 0x00, 0x50,             /* tcp_dst */
    };
    struct match m, back;
    union mf_value v, mask;
    struct ofpbuf b;

    match_init_catchall(&m);
    memset(&v, 0, sizeof v);
    v.be32 = htonl(3);
    assert_int_equal(mf_set_match(mf_from_id(MFF_IN_PORT), &v, NULL, &m), 0);
    memset(&v, 0, sizeof v);
    v.be16 = htons(0x0800);
    assert_int_equal(mf_set_match(mf_from_id(MFF_ETH_TYPE), &v, NULL, &m), 0);
    v.be32 = htonl(0x0a000000);
    memset(&mask, 0, sizeof mask);
    mask.be32 = htonl(0xffffff00);
    assert_int_equal(mf_set_match(mf_from_id(MFF_IPV4_SRC), &v, &mask, &m), 0);
    memset(&v, 0, sizeof v);
    v.u8 = 6;
    assert_int_equal(mf_set_match(mf_from_id(MFF_IP_PROTO), &v, NULL, &m), 0);
    memset(&v, 0, sizeof v);
    v.be16 = htons(80);
    assert_int_equal(mf_set_match(mf_from_id(MFF_TCP_DST), &v, NULL, &m), 0);

    ofpbuf_init(&b, 64);
    assert_int_equal(ofp_nxm_encode(&m, &b), sizeof want);
    assert_memory_equal(b.data, want, sizeof want);
    assert_int_equal(ofp_nxm_decode(b.data, b.size, &back), 0);
    assert_memory_equal(&back, &m, sizeof m);

    /* Empty: matches everything. */
    assert_int_equal(ofp_nxm_decode(want, 0, &back), 0);
    ofpbuf_clear(&b);
    assert_int_equal(ofp_nxm_encode(&back, &b), 0);
    /* Cut mid-TLV, a wrong length, an unknown field (NXM_NX 127). */
    assert_int_equal(ofp_nxm_decode(want, 5, &back), OFPERR_OFPBMC_BAD_LEN);
    static const uint8_t bad_len[] = {0x00, 0x00, 0x06, 0x01, 0x08};
    assert_int_equal(ofp_nxm_decode(bad_len, sizeof bad_len, &back),
                     OFPERR_OFPBMC_BAD_LEN);
    static const uint8_t unknown[] = {0x00, 0x01, 0xfe, 0x02, 0x00, 0x00};
    assert_int_equal(ofp_nxm_decode(unknown, sizeof unknown, &back),
                     OFPERR_OFPBMC_BAD_FIELD);
    /* A field given twice (NXM_OF_ETH_TYPE). */
    static const uint8_t dup[] = {0x00, 0x00, 0x06, 0x02, 0x08, 0x00,
                                  0x00, 0x00, 0x06, 0x02, 0x08, 0x00};
    assert_int_equal(ofp_nxm_decode(dup, sizeof dup, &back),
                     OFPERR_OFPBMC_DUP_FIELD);
    /* NXM_OF_VLAN_TCI (no tag), a register under a mask, the tunnel id:
     * decoded, and encoded again in Open vSwitch's order. */
    static const uint8_t nx[] = {
        0x00, 0x00, 0x08, 0x02, 0x00, 0x00, /* vlan_tci */
        0x00, 0x01, 0x20, 0x08, 0,    0,
        0,    0,    0,    0,    0,    9, /* tun_id */
        0x00, 0x01, 0x05, 0x08, 0,    0,
        0,    0x70, 0,    0,    0,    0xf0, /* reg2/m */
    };
    assert_int_equal(ofp_nxm_decode(nx, sizeof nx, &back), 0);
    assert_int_equal(back.flow.regs[2], 0x70);
    assert_int_equal(back.wc.masks.regs[2], 0xf0);
    assert_int_equal(back.wc.masks.vlans[0].tci, htons(0xffff));
    ofpbuf_clear(&b);
    assert_int_equal(ofp_nxm_encode(&back, &b), sizeof nx);
    assert_memory_equal(b.data, nx, sizeof nx);
    ofpbuf_uninit(&b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nxm_codec),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
