/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-dp-meter: the datapath's meters — configuration checks, token
 * buckets in kbps and packets per second with and without burst, the
 * choice among several bands, counters — and the DPA_METER action in the
 * executor (drops leave the batch, DSCP remarks keep checksums right),
 * its validation and its ovs-dpctl text.
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "datapath/dp-meter.h"
#include "lib/odp-util.h"
#include "lib/rcu.h"
#include "tests/unit/dp-execute-fixture.h"

static struct dp_meters *meters;
static long long now_us = 1000000;

static void
meter_cb(void *aux, uint32_t meter_id, struct dp_packet *const *pkts,
         uint32_t n, uint8_t *verdicts)
{
    (void)aux;
    dp_meters_run(meters, meter_id, pkts, n, now_us, verdicts);
}

static struct dpif_meter_config
one_band(bool pktps, bool burst, uint32_t rate, uint32_t burst_size)
{
    struct dpif_meter_config cfg = {
        .pktps = pktps, .burst = burst, .n_bands = 1};

    cfg.bands[0].type = DPIF_METER_BAND_DROP;
    cfg.bands[0].rate = rate;
    cfg.bands[0].burst = burst_size;
    return cfg;
}

static int
meter_setup(void **state)
{
    rcu_init();
    meters = dp_meters_create();
    now_us = 1000000;
    return dpx_setup(state);
}

static int
meter_teardown(void **state)
{
    dp_meters_destroy(meters);
    meters = NULL;
    rcu_synchronize();
    return dpx_teardown(state);
}

#define METER_TEST(NAME)                                                      \
    cmocka_unit_test_setup_teardown(NAME, meter_setup, meter_teardown)

/* Runs 'n' copies of a 'size'-byte frame through meter 'id' at 'now_us';
 * returns how many passed. */
static uint32_t
run_meter(uint32_t id, uint32_t n, size_t size)
{
    struct dp_packet *pkts[DP_PACKET_BATCH_SIZE];
    uint8_t verdicts[DP_PACKET_BATCH_SIZE];
    struct pb pb;
    uint32_t passed = 0;

    assert_true(n <= DP_PACKET_BATCH_SIZE);
    pb_init(&pb);
    dpx_ipv4_udp(&pb, "10.0.0.1", "10.0.0.2", 1, 2);
    if (pb.len < size) {
        pb_put_zeros(&pb, size - pb.len);
        pb_finish(&pb);
    }
    for (uint32_t i = 0; i < n; i++) {
        pkts[i] = dpx_mkpkt(&pb, false);
    }
    dp_meters_run(meters, id, pkts, n, now_us, verdicts);
    for (uint32_t i = 0; i < n; i++) {
        passed += verdicts[i] == DP_METER_PASS;
        dp_packet_free(pkts[i]);
    }
    return passed;
}

static void
test_meter_config(void **state)
{
    struct dpif_meter_config cfg = one_band(true, false, 10, 0);
    struct dpif_meter_stats st;

    (void)state;
    assert_int_equal(dp_meters_set(meters, DPIF_METER_MAX, &cfg), EINVAL);
    cfg.n_bands = 0;
    assert_int_equal(dp_meters_set(meters, 1, &cfg), EINVAL);
    cfg.n_bands = DPIF_METER_MAX_BANDS + 1;
    assert_int_equal(dp_meters_set(meters, 1, &cfg), EINVAL);
    cfg = one_band(true, false, 0, 0);
    assert_int_equal(dp_meters_set(meters, 1, &cfg), EINVAL);
    cfg = one_band(true, false, 10, 0);
    cfg.bands[0].type = 7;
    assert_int_equal(dp_meters_set(meters, 1, &cfg), EINVAL);

    assert_int_equal(dp_meters_get_stats(meters, 1, &st), ENOENT);
    assert_int_equal(dp_meters_del(meters, 1, NULL), ENOENT);
    cfg = one_band(true, false, 10, 0);
    assert_int_equal(dp_meters_set(meters, 1, &cfg), 0);
    assert_int_equal(dp_meters_get_stats(meters, 1, &st), 0);
    assert_int_equal(st.n_bands, 1);
    assert_int_equal(st.packets_in, 0);
    assert_int_equal(dp_meters_del(meters, 1, &st), 0);
    assert_int_equal(dp_meters_get_stats(meters, 1, &st), ENOENT);
    assert_int_equal(dp_meters_del(meters, UINT32_MAX, NULL), ENOENT);
    /* A meter that does not exist passes everything. */
    assert_int_equal(run_meter(1, 8, 64), 8);
    assert_int_equal(run_meter(UINT32_MAX, 8, 64), 8);
}

static void
test_meter_pktps(void **state)
{
    struct dpif_meter_config cfg = one_band(true, true, 1000, 10);
    struct dpif_meter_stats st;

    (void)state;
    assert_int_equal(dp_meters_set(meters, 5, &cfg), 0);
    /* Full bucket: the burst of 10 passes, the rest is dropped. */
    assert_int_equal(run_meter(5, 20, 64), 10);
    /* 5 ms at 1000 pps earn 5 packets. */
    now_us += 5000;
    assert_int_equal(run_meter(5, 10, 64), 5);
    /* The bucket never holds more than the burst. */
    now_us += 10000000;
    assert_int_equal(run_meter(5, 32, 64), 10);
    assert_int_equal(dp_meters_get_stats(meters, 5, &st), 0);
    assert_int_equal(st.packets_in, 62);
    assert_int_equal(st.bands[0].packets, 62 - 25);
    assert_int_equal(st.bytes_in, 62 * 64);

    /* Replacing keeps the counters and refills the bucket. */
    assert_int_equal(dp_meters_set(meters, 5, &cfg), 0);
    assert_int_equal(dp_meters_get_stats(meters, 5, &st), 0);
    assert_int_equal(st.packets_in, 62);
}

static void
test_meter_kbps(void **state)
{
    /* 8 kbps = 1000 bytes per second, burst 8 kbit = 1000 bytes. */
    struct dpif_meter_config cfg = one_band(false, true, 8, 8);
    (void)state;

    assert_int_equal(dp_meters_set(meters, 2, &cfg), 0);
    assert_int_equal(run_meter(2, 15, 100), 10);
    now_us += 100000; /* 100 ms: 100 bytes. */
    assert_int_equal(run_meter(2, 3, 100), 1);

    /* Without the burst flag the bucket holds one second of rate. */
    cfg = one_band(false, false, 80, 1);
    assert_int_equal(dp_meters_set(meters, 3, &cfg), 0);
    assert_int_equal(run_meter(3, 32, 1000), 10);
}

static void
test_meter_bands(void **state)
{
    /* Drop over 20 pps, remark over 10 pps. */
    struct dpif_meter_config cfg = {
        .pktps = true, .burst = true, .n_bands = 2};
    struct dp_packet *pkts[32];
    uint8_t verdicts[32];
    struct dpif_meter_stats st;
    struct pb pb;
    int pass = 0, remark = 0, drop = 0;

    (void)state;
    cfg.bands[0] = (struct dpif_meter_band){DPIF_METER_BAND_DROP, 20, 20, 0};
    cfg.bands[1] =
        (struct dpif_meter_band){DPIF_METER_BAND_DSCP_REMARK, 10, 10, 2};
    assert_int_equal(dp_meters_set(meters, 9, &cfg), 0);
    pb_init(&pb);
    dpx_ipv4_udp(&pb, "10.0.0.1", "10.0.0.2", 1, 2);
    for (int i = 0; i < 32; i++) {
        pkts[i] = dpx_mkpkt(&pb, false);
    }
    dp_meters_run(meters, 9, pkts, 32, now_us, verdicts);
    for (int i = 0; i < 32; i++) {
        pass += verdicts[i] == DP_METER_PASS;
        remark += verdicts[i] == 2;
        drop += verdicts[i] == DP_METER_DROP;
        dp_packet_free(pkts[i]);
    }
    /* 10 fit both buckets; the next 10 fit the drop band's only and are
     * remarked; the rest exceed both and the faster (drop) band wins. */
    assert_int_equal(pass, 10);
    assert_int_equal(remark, 10);
    assert_int_equal(drop, 12);
    assert_int_equal(dp_meters_get_stats(meters, 9, &st), 0);
    assert_int_equal(st.bands[0].packets, 12);
    assert_int_equal(st.bands[1].packets, 10);
}

/* The DPA_METER action: over-rate packets leave the batch; remarked ones
 * carry the new DSCP with a correct IPv4 checksum. */
static void
test_meter_action(void **state)
{
    struct dp_execute_ops ops = dpx_fake_ops;
    struct dpif_meter_config cfg = {
        .pktps = true, .burst = true, .n_bands = 2};
    struct dpa_meter m = {.meter_id = 4};
    struct dp_packet *pkts[8];
    struct pb pb;

    (void)state;
    ops.meter = meter_cb;
    cfg.bands[0] = (struct dpif_meter_band){DPIF_METER_BAND_DROP, 6, 6, 0};
    cfg.bands[1] =
        (struct dpif_meter_band){DPIF_METER_BAND_DSCP_REMARK, 3, 3, 1};
    assert_int_equal(dp_meters_set(meters, 4, &cfg), 0);
    dp_actions_put(&dpx_acts, DPA_METER, &m, sizeof m);
    dpx_put_output(&dpx_acts, 7);
    assert_int_equal(dp_actions_validate(dpx_acts.data, dpx_acts.size), 0);

    pb_init(&pb);
    pb_eth(&pb, DPX_MAC_B, DPX_MAC_A, 0x0800);
    pb_ipv4_full(&pb, "10.0.0.1", "10.0.0.2", 17, 64, 40 << 2, 0, NULL, 0);
    pb_udp(&pb, 1, 2);
    pb_finish(&pb);
    for (int i = 0; i < 8; i++) {
        pkts[i] = dpx_mkpkt(&pb, i % 2);
    }
    dpx_run_ops(&ops, &dpx_acts, pkts, 8);
    assert_int_equal(dpx_rec.n_out, 6);
    for (size_t i = 0; i < dpx_rec.n_out; i++) {
        const uint8_t *ip =
            (const uint8_t *)dp_packet_data(dpx_rec.out[i].p) + 14;

        assert_int_equal(dpx_rec.out[i].port, 7);
        /* DSCP 40 for the first three; drop precedence 1 (42) once
         * remarked. */
        assert_int_equal(ip[1] >> 2, i < 3 ? 40 : 42);
        dpx_assert_pkt_csums(dpx_rec.out[i].p);
    }

    /* Without a meter callback, the action passes everything. */
    dpx_rec_release();
    for (int i = 0; i < 4; i++) {
        pkts[i] = dpx_mkpkt(&pb, true);
    }
    dpx_run_ops(&dpx_fake_ops, &dpx_acts, pkts, 4);
    assert_int_equal(dpx_rec.n_out, 4);
}

static void
test_meter_action_text(void **state)
{
    struct dp_actions_buf b;
    struct dpa_meter m = {.meter_id = 17};
    struct ds s = DS_EMPTY;
    uint8_t bad[8] = {0};
    struct dp_action *a = (struct dp_action *)(void *)bad;

    (void)state;
    dp_actions_buf_init(&b);
    dp_actions_put(&b, DPA_METER, &m, sizeof m);
    ds_init(&s);
    odp_actions_format(b.data, b.size, &s);
    assert_string_equal(ds_cstr(&s), "meter(17)");
    ds_destroy(&s);
    dp_actions_buf_uninit(&b);

    dp_actions_buf_init(&b);
    char *err = odp_actions_from_string("meter(3),2", &b);
    assert_null(err);
    ds_init(&s);
    odp_actions_format(b.data, b.size, &s);
    assert_string_equal(ds_cstr(&s), "meter(3),2");
    ds_destroy(&s);
    dp_actions_buf_uninit(&b);

    /* A meter action with a short payload is refused. */
    a->type = DPA_METER;
    a->len = 4;
    assert_int_equal(dp_actions_validate(bad, 4), EINVAL);
    a->len = 8;
    assert_int_equal(dp_actions_validate(bad, 8), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        METER_TEST(test_meter_config), METER_TEST(test_meter_pktps),
        METER_TEST(test_meter_kbps),   METER_TEST(test_meter_bands),
        METER_TEST(test_meter_action), METER_TEST(test_meter_action_text),
    };

    return cmocka_run_group_tests(tests, dpx_group_setup, NULL);
}
