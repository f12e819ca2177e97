/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of the AF_XDP pieces that work without attaching XDP: the
 * UMEM frame pools, the frame address helpers, xdp-mode parsing, and the
 * option checks and errors of the "afxdp" and "system" netdev types
 * (integration test afxdp.sh moves real packets).
 */
#include <config.h>

#include <errno.h>
#include <linux/bpf.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "lib/dpdk.h"
#include "lib/netdev-afxdp-pool.h"
#include "lib/netdev-afxdp.h"
#include "lib/netdev.h"
#include "lib/smap.h"

static void
test_pool_hands_out_each_frame_once(void **state)
{
    (void)state;
    struct afxdp_pool pool;
    uint64_t addrs[8];

    assert_int_equal(afxdp_pool_init(&pool, 4096 * 16, 6, 4096), 0);
    assert_int_equal(pool.n, 6);
    /* Lowest addresses first, each frame once. */
    assert_int_equal(afxdp_pool_get(&pool, addrs, 4), 4);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(addrs[i], 4096 * (16 + i));
    }
    assert_int_equal(afxdp_pool_get(&pool, addrs + 4, 4), 2);
    assert_int_equal(addrs[4], 4096 * 20);
    assert_int_equal(addrs[5], 4096 * 21);
    assert_int_equal(pool.n, 0);
    assert_int_equal(afxdp_pool_get(&pool, addrs + 6, 1), 0);

    /* Frames come back and go out again, last in first out. */
    assert_true(afxdp_pool_put(&pool, addrs[1]));
    assert_true(afxdp_pool_put(&pool, addrs[3]));
    uint64_t a;
    assert_int_equal(afxdp_pool_get(&pool, &a, 1), 1);
    assert_int_equal(a, addrs[3]);
    afxdp_pool_destroy(&pool);
    assert_null(pool.addrs);
}

static void
test_pool_refuses_overflow(void **state)
{
    (void)state;
    struct afxdp_pool pool;

    assert_int_equal(afxdp_pool_init(&pool, 0, 2, 2048), 0);
    /* Full: a third frame can only be a double return. */
    assert_false(afxdp_pool_put(&pool, 0));
    uint64_t addrs[2];
    assert_int_equal(afxdp_pool_get(&pool, addrs, 2), 2);
    assert_true(afxdp_pool_put(&pool, addrs[0]));
    assert_true(afxdp_pool_put(&pool, addrs[1]));
    assert_false(afxdp_pool_put(&pool, addrs[1]));
    assert_int_equal(pool.n, 2);
    afxdp_pool_destroy(&pool);
}

static void
test_frame_addresses(void **state)
{
    (void)state;
    /* The kernel offsets received data by its headroom in the frame. */
    assert_int_equal(afxdp_frame_base(3 * 4096 + XDP_PACKET_HEADROOM, 4096),
                     3 * 4096);
    assert_int_equal(afxdp_frame_base(3 * 4096, 4096), 3 * 4096);
    assert_int_equal(afxdp_frame_base(4096 - 1, 4096), 0);
    assert_int_equal(afxdp_frame_base(5 * 2048 + 100, 2048), 5 * 2048);
    assert_int_equal(afxdp_max_rx_frame(4096, 256), 3840);
    assert_int_equal(afxdp_max_rx_frame(256, 256), 0);
    assert_int_equal(afxdp_max_frame_len(), 4096 - XDP_PACKET_HEADROOM);
}

static void
test_mode_names(void **state)
{
    (void)state;
    enum afxdp_mode mode = AFXDP_MODE_NATIVE;

    assert_true(afxdp_mode_from_string(NULL, &mode));
    assert_int_equal(mode, AFXDP_MODE_BEST_EFFORT);
    assert_true(afxdp_mode_from_string("native", &mode));
    assert_int_equal(mode, AFXDP_MODE_NATIVE);
    assert_true(afxdp_mode_from_string("generic", &mode));
    assert_int_equal(mode, AFXDP_MODE_GENERIC);
    assert_true(afxdp_mode_from_string("best-effort", &mode));
    assert_int_equal(mode, AFXDP_MODE_BEST_EFFORT);
    mode = AFXDP_MODE_GENERIC;
    assert_false(afxdp_mode_from_string("drv", &mode));
    assert_false(afxdp_mode_from_string("", &mode));
    assert_int_equal(mode, AFXDP_MODE_GENERIC);
    for (int m = AFXDP_MODE_BEST_EFFORT; m <= AFXDP_MODE_GENERIC; m++) {
        enum afxdp_mode back;
        assert_true(afxdp_mode_from_string(
            afxdp_mode_to_string((enum afxdp_mode)m), &back));
        assert_int_equal(back, m);
    }
}

static void
test_port_open_missing_interface(void **state)
{
    (void)state;
    struct afxdp_port *port = (void *)1;
    char *err = NULL;

    assert_int_equal(
        afxdp_port_open("tern-nonexist0", 1, AFXDP_MODE_GENERIC, &port, &err),
        ENODEV);
    assert_null(port);
    assert_non_null(err);
    assert_non_null(strstr(err, "tern-nonexist0"));
    free(err);

    err = NULL;
    assert_int_equal(afxdp_port_open("lo", 0, AFXDP_MODE_GENERIC, &port, &err),
                     EINVAL);
    assert_null(port);
    free(err);
}

/* Opens 'name' as 'type' with the option 'key'='value' and returns the
 * error, which must come with a message naming the interface. */
static int
open_with_option(const char *type, const char *name, const char *key,
                 const char *value)
{
    struct smap options;
    struct netdev *netdev = NULL;
    char *err = NULL;

    smap_init(&options);
    if (key) {
        smap_replace(&options, key, value);
    }
    int error = netdev_open(name, type, &options, &netdev, &err);
    smap_destroy(&options);
    if (!error) {
        netdev_close(netdev);
        return 0;
    }
    assert_null(netdev);
    assert_non_null(err);
    assert_non_null(strstr(err, name));
    free(err);
    return error;
}

static void
test_netdev_options_checked(void **state)
{
    (void)state;
    const char *types[] = {"system", "afxdp"};

    for (size_t i = 0; i < 2; i++) {
        const char *t = types[i];
        assert_int_equal(
            open_with_option(t, "tern-nonexist0", "xdp-mode", "hardware"),
            EINVAL);
        assert_int_equal(open_with_option(t, "tern-nonexist0", "n_rxq", "0"),
                         EINVAL);
        assert_int_equal(open_with_option(t, "tern-nonexist0", "n_rxq", "65"),
                         EINVAL);
        assert_int_equal(open_with_option(t, "tern-nonexist0", "io", "dpdk"),
                         EINVAL);
        /* Good options, missing interface. */
        assert_int_equal(open_with_option(t, "tern-nonexist0", "n_rxq", "2"),
                         ENODEV);
    }
    /* An afxdp port never falls back. */
    assert_int_equal(
        open_with_option("afxdp", "tern-nonexist0", "io", "af_packet"),
        EINVAL);
    assert_int_equal(
        open_with_option("system", "tern-nonexist0", "io", "af_packet"),
        ENODEV);
    assert_true(netdev_type_is_registered("afxdp"));
    assert_true(netdev_type_is_registered("system"));
}

static int
group_setup(void **state)
{
    (void)state;
    char *err = NULL;
    int error = dpdk_init("--no-huge -m 256", &err);
    if (error) {
        fprintf(stderr, "dpdk_init: %s\n", err);
    }
    free(err);
    netdev_register_builtin_providers();
    return error;
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pool_hands_out_each_frame_once),
        cmocka_unit_test(test_pool_refuses_overflow),
        cmocka_unit_test(test_frame_addresses),
        cmocka_unit_test(test_mode_names),
        cmocka_unit_test(test_port_open_missing_interface),
        cmocka_unit_test(test_netdev_options_checked),
    };
    return cmocka_run_group_tests(tests, group_setup, NULL);
}
