/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for the vhost-user ports (vhost/netdev-vhost.c) without a
 * frontend: socket placement (vhost-sock-dir), option checks, status and
 * link state before a guest connects, drops and MTU errors counted when
 * sending to an absent guest, stale sockets, client ports that wait for
 * their server, and the generic change sequence.  Traffic with a real
 * frontend is tests/integration/vhost.sh.
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "lib/dp-packet.h"
#include "lib/dpdk.h"
#include "lib/netdev.h"
#include "lib/smap.h"
#include "tests/unit/test-common.h"
#include "vhost/netdev-vhost.h"

static char tmpdir[128];

static int
group_setup(void **state)
{
    char *err = NULL;

    (void)state;
    if (dpdk_init("--no-huge -m 256", &err)) {
        fprintf(stderr, "dpdk_init: %s\n", err ? err : "?");
        free(err);
        return -1;
    }
    if (test_tmpdir_create(tmpdir, sizeof tmpdir, "test-netdev-vhost")) {
        return -1;
    }
    setenv("TERN_RUNDIR", tmpdir, 1);
    netdev_register_builtin_providers();
    return 0;
}

static int
group_teardown(void **state)
{
    char cmd[256];

    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    return system(cmd) ? -1 : 0;
}

static struct netdev *
open_ok(const char *name, const char *type, const struct smap *options)
{
    struct netdev *netdev = NULL;
    char *err = NULL;
    int error = netdev_open(name, type, options, &netdev, &err);

    if (error) {
        fail_msg("open %s: %s", name, err ? err : "?");
    }
    free(err);
    return netdev;
}

static int
open_error(const char *name, const char *type, const struct smap *options)
{
    struct netdev *netdev = NULL;
    char *err = NULL;
    int error = netdev_open(name, type, options, &netdev, &err);

    assert_null(netdev);
    assert_non_null(err);
    free(err);
    return error;
}

static bool
is_socket(const char *path)
{
    struct stat st;

    return !lstat(path, &st) && S_ISSOCK(st.st_mode);
}

static void
test_sock_dir(void **state)
{
    char *path, *want;

    (void)state;
    netdev_vhost_set_sock_dir(NULL);
    path = netdev_vhost_server_path("p0");
    want = xasprintf("%s/p0", tmpdir);
    assert_string_equal(path, want);
    free(path);
    free(want);

    netdev_vhost_set_sock_dir("sub");
    path = netdev_vhost_server_path("p0");
    want = xasprintf("%s/sub/p0", tmpdir);
    assert_string_equal(path, want);
    free(path);
    free(want);

    netdev_vhost_set_sock_dir("/var/tmp/x");
    path = netdev_vhost_server_path("p0");
    assert_string_equal(path, "/var/tmp/x/p0");
    free(path);
    netdev_vhost_set_sock_dir("");
    path = netdev_vhost_server_path("p0");
    want = xasprintf("%s/p0", tmpdir);
    assert_string_equal(path, want);
    free(path);
    free(want);
}

static void
test_server_idle(void **state)
{
    struct smap status = SMAP_INITIALIZER;
    struct netdev_stats stats;
    char *path = xasprintf("%s/vs0", tmpdir);
    int mtu;

    (void)state;
    struct netdev *netdev = open_ok("vs0", "dpdkvhostuser", NULL);
    assert_true(is_socket(path));
    assert_false(netdev_get_carrier(netdev));
    assert_int_equal(netdev_get_mtu(netdev, &mtu), 0);
    assert_int_equal(mtu, 1500);
    assert_int_equal(netdev_n_rxq(netdev), 1);

    assert_int_equal(netdev_get_status(netdev, &status), 0);
    assert_string_equal(smap_get(&status, "mode"), "server");
    assert_string_equal(smap_get(&status, "socket"), path);
    assert_string_equal(smap_get(&status, "connected"), "false");
    assert_string_equal(smap_get(&status, "guest_ready"), "false");
    assert_string_equal(smap_get(&status, "tx-retries-max"), "8");
    assert_null(smap_get(&status, "features"));
    smap_destroy(&status);

    struct dp_packet_batch batch;
    dp_packet_batch_init(&batch);
    assert_int_equal(netdev_rxq_recv(netdev, 0, &batch), EAGAIN);

    assert_int_equal(netdev_get_stats(netdev, &stats), 0);
    assert_int_equal(stats.rx_packets + stats.tx_packets, 0);

    assert_int_equal(netdev_set_tx_multiq(netdev, 3), 0);
    assert_int_equal(netdev_n_txq(netdev), 3);
    netdev_close(netdev);
    assert_false(is_socket(path));
    free(path);
}

static void
fill_batch(struct dp_packet_batch *batch, int n, size_t len)
{
    uint8_t frame[1600];

    memset(frame, 0xab, sizeof frame);
    dp_packet_batch_init(batch);
    for (int i = 0; i < n; i++) {
        struct dp_packet *p = dp_packet_clone_data(NULL, frame, len);
        assert_non_null(p);
        dp_packet_batch_add(batch, p);
    }
}

static void
test_send_without_guest(void **state)
{
    struct smap options = SMAP_INITIALIZER;
    struct dp_packet_batch batch;
    struct netdev_stats stats;

    (void)state;
    smap_replace(&options, "mtu", "100");
    struct netdev *netdev = open_ok("vs1", "dpdkvhostuser", &options);

    /* Two fit the MTU (and are dropped: no guest), one is too long. */
    fill_batch(&batch, 2, 60);
    uint8_t frame[200];
    memset(frame, 0, sizeof frame);
    struct dp_packet *big = dp_packet_clone_data(NULL, frame, sizeof frame);
    assert_non_null(big);
    dp_packet_batch_add(&batch, big);
    assert_int_equal(netdev_send(netdev, 0, &batch, false), 0);
    assert_int_equal(batch.count, 0);
    assert_int_equal(netdev_get_stats(netdev, &stats), 0);
    assert_int_equal(stats.tx_dropped, 2);
    assert_int_equal(stats.tx_errors, 1);
    assert_int_equal(stats.tx_packets, 0);
    assert_int_equal(stats.tx_retries, 0);

    int mtu;
    assert_int_equal(netdev_get_mtu(netdev, &mtu), 0);
    assert_int_equal(mtu, 100);
    netdev_close(netdev);
    smap_destroy(&options);
}

static void
test_options(void **state)
{
    struct smap options = SMAP_INITIALIZER;

    (void)state;
    smap_replace(&options, "tx-retries-max", "33");
    assert_int_equal(open_error("vs2", "dpdkvhostuser", &options), EINVAL);
    smap_replace(&options, "tx-retries-max", "x");
    assert_int_equal(open_error("vs2", "dpdkvhostuser", &options), EINVAL);
    smap_replace(&options, "tx-retries-max", "0");
    smap_replace(&options, "mtu", "10");
    assert_int_equal(open_error("vs2", "dpdkvhostuser", &options), EINVAL);
    smap_replace(&options, "mtu", "9000");
    assert_int_equal(open_error("vs2", "dpdkvhostuser", &options), EINVAL);
    smap_clear(&options);
    assert_int_equal(open_error("vc0", "dpdkvhostuserclient", &options),
                     EINVAL);
    assert_int_equal(open_error("..", "dpdkvhostuser", &options), EINVAL);

    /* tx-retries-max changes in place. */
    struct netdev *netdev = open_ok("vs2", "dpdkvhostuser", NULL);
    struct smap status = SMAP_INITIALIZER;
    char *err = NULL;
    smap_replace(&options, "tx-retries-max", "3");
    assert_int_equal(netdev_set_config(netdev, &options, &err), 0);
    assert_int_equal(netdev_get_status(netdev, &status), 0);
    assert_string_equal(smap_get(&status, "tx-retries-max"), "3");
    smap_destroy(&status);
    smap_replace(&options, "mtu", "1");
    assert_int_equal(netdev_set_config(netdev, &options, &err), EINVAL);
    assert_non_null(err);
    free(err);
    netdev_close(netdev);
    smap_destroy(&options);
}

static void
test_stale_socket(void **state)
{
    char *path = xasprintf("%s/vs3", tmpdir);
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    (void)state;
    assert_true(fd >= 0);
    snprintf(sun.sun_path, sizeof sun.sun_path, "%s", path);
    assert_int_equal(bind(fd, (struct sockaddr *)&sun, sizeof sun), 0);
    close(fd);
    assert_true(is_socket(path));

    struct netdev *netdev = open_ok("vs3", "dpdkvhostuser", NULL);
    assert_true(is_socket(path));
    netdev_close(netdev);

    /* A regular file in the way is not removed. */
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fclose(f);
    assert_int_equal(open_error("vs3", "dpdkvhostuser", NULL), EEXIST);
    unlink(path);
    free(path);
}

static void
test_client_waits(void **state)
{
    struct smap options = SMAP_INITIALIZER;
    struct smap status = SMAP_INITIALIZER;
    char *path = xasprintf("%s/nobody.sock", tmpdir);
    char *err = NULL;

    (void)state;
    smap_replace(&options, "vhost-server-path", path);
    struct netdev *netdev = open_ok("vc1", "dpdkvhostuserclient", &options);
    assert_int_equal(netdev_get_status(netdev, &status), 0);
    assert_string_equal(smap_get(&status, "mode"), "client");
    assert_string_equal(smap_get(&status, "socket"), path);
    assert_string_equal(smap_get(&status, "connected"), "false");
    smap_destroy(&status);
    assert_false(netdev_get_carrier(netdev));

    /* Still nothing after a while, and the port stays usable. */
    test_sleep_msec(300);
    assert_false(netdev_get_carrier(netdev));

    /* A new server path means a new port. */
    smap_replace(&options, "vhost-server-path", "/tmp/other.sock");
    assert_int_equal(netdev_set_config(netdev, &options, &err), EINVAL);
    free(err);

    /* The generic change sequence: nothing asked, nothing changes. */
    uint64_t seq = netdev_get_change_seq(netdev);
    assert_int_equal(netdev_reconfigure(netdev), 0);
    assert_int_equal(netdev_n_rxq(netdev), 1);
    assert_true(netdev_get_change_seq(netdev) == seq);
    netdev_close(netdev);
    smap_destroy(&options);
    free(path);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sock_dir),
        cmocka_unit_test(test_server_idle),
        cmocka_unit_test(test_send_without_guest),
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_stale_socket),
        cmocka_unit_test(test_client_waits),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
