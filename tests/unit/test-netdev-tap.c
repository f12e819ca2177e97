/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for the "internal" and "tap" netdev providers (netdev-tap.c):
 * the tap they create, its options (MAC, MTU), the kernel state they follow
 * through nl-link watches, and frames both ways, seen from the kernel side
 * through an AF_PACKET socket on the tap.  The program moves itself into a
 * network namespace of its own at start (unshare(CLONE_NEWNET)).
 *
 * Needs root (namespaces, /dev/net/tun); CI runs it as root.
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/dpdk.h"
#include "lib/netdev.h"
#include "lib/nl-link.h"
#include "lib/smap.h"

static int
group_setup(void **state TERN_UNUSED)
{
    char *err = NULL;
    int error = dpdk_init("--no-huge -m 256", &err);
    if (error) {
        fprintf(stderr, "dpdk_init: %s\n", err ? err : "");
    }
    free(err);
    netdev_register_builtin_providers();
    return error ? -1 : 0;
}

/* Runs netdev_run() until 'netdev' is administratively 'up' or 3 s. */
static bool
wait_admin(struct netdev *netdev, bool up)
{
    for (int i = 0; i < 300; i++) {
        netdev_run();
        if (netdev_get_admin_up(netdev) == up &&
            netdev_get_carrier(netdev) == up) {
            return true;
        }
        struct pollfd pfd = {.fd = nl_link_monitor_fd(), .events = POLLIN};
        poll(&pfd, pfd.fd >= 0 ? 1 : 0, 10);
    }
    return false;
}

static void
test_open_options(void **state TERN_UNUSED)
{
    struct smap options = SMAP_INITIALIZER;
    smap_replace(&options, "mac", "02:00:00:00:aa:01");
    smap_replace(&options, "mtu", "1400");
    struct netdev *netdev;
    char *err = NULL;
    assert_int_equal(netdev_open("ttap0", "internal", &options, &netdev, &err),
                     0);
    assert_null(err);
    smap_destroy(&options);

    struct nl_link_info info;
    assert_int_equal(nl_link_get("ttap0", &info), 0);
    assert_int_equal(info.mtu, 1400);
    struct eth_addr want = {{0x02, 0x00, 0x00, 0x00, 0xaa, 0x01}};
    assert_memory_equal(info.mac.ea, want.ea, ETH_ADDR_LEN);
    /* A new tap is left down for the host to bring up. */
    assert_false(info.admin_up);

    int mtu;
    struct eth_addr mac;
    assert_int_equal(netdev_get_mtu(netdev, &mtu), 0);
    assert_int_equal(mtu, 1400);
    assert_int_equal(netdev_get_etheraddr(netdev, &mac), 0);
    assert_memory_equal(mac.ea, want.ea, ETH_ADDR_LEN);
    assert_false(netdev_get_admin_up(netdev));
    assert_false(netdev_get_carrier(netdev));
    assert_int_equal(netdev_n_rxq(netdev), 1);

    struct smap status = SMAP_INITIALIZER;
    netdev_get_status(netdev, &status);
    assert_string_equal(smap_get(&status, "driver_name"), "tun");
    char ifindex[16];
    snprintf(ifindex, sizeof ifindex, "%d", info.ifindex);
    assert_string_equal(smap_get(&status, "ifindex"), ifindex);
    smap_destroy(&status);

    /* Reconfiguration changes the kernel's MTU and MAC. */
    smap_replace(&options, "mtu", "9000");
    smap_replace(&options, "mac", "02:00:00:00:aa:02");
    assert_int_equal(netdev_set_config(netdev, &options, &err), 0);
    smap_destroy(&options);
    assert_int_equal(nl_link_get("ttap0", &info), 0);
    assert_int_equal(info.mtu, 9000);
    assert_int_equal(info.mac.ea[5], 0x02);
    assert_int_equal(netdev_get_mtu(netdev, &mtu), 0);
    assert_int_equal(mtu, 9000);

    /* Changes made outside are followed. */
    assert_int_equal(nl_link_set_admin_up("ttap0", true), 0);
    assert_true(wait_admin(netdev, true));
    assert_int_equal(nl_link_set_admin_up("ttap0", false), 0);
    assert_true(wait_admin(netdev, false));

    /* Closing removes the tap. */
    netdev_close(netdev);
    assert_int_equal(nl_link_get("ttap0", &info), ENODEV);
}

static void
test_bad_options(void **state TERN_UNUSED)
{
    static const char *const bad[][2] = {
        {"mtu", "10"},
        {"mtu", "x"},
        {"mac", "01:00:00:00:00:01"}, /* Multicast. */
        {"mac", "not-a-mac"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        struct smap options = SMAP_INITIALIZER;
        smap_replace(&options, bad[i][0], bad[i][1]);
        struct netdev *netdev = NULL;
        char *err = NULL;
        assert_int_equal(netdev_open("ttap1", "tap", &options, &netdev, &err),
                         EINVAL);
        assert_null(netdev);
        assert_non_null(err);
        free(err);
        smap_destroy(&options);
        struct nl_link_info info;
        assert_int_equal(nl_link_get("ttap1", &info), ENODEV);
    }
    /* A name another kind of interface has. */
    assert_int_equal(system("ip link add ttap2 type veth peer name ttap2p"),
                     0);
    struct netdev *netdev = NULL;
    char *err = NULL;
    assert_int_not_equal(netdev_open("ttap2", "internal", NULL, &netdev, &err),
                         0);
    assert_non_null(err);
    free(err);
    assert_int_equal(system("ip link del ttap2"), 0);
}

/* An AF_PACKET socket on interface 'ifindex'. */
static int
packet_socket(int ifindex)
{
    int fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK, htons(ETH_P_ALL));
    assert_true(fd >= 0);
    struct sockaddr_ll sll = {
        .sll_family = AF_PACKET,
        .sll_protocol = htons(ETH_P_ALL),
        .sll_ifindex = ifindex,
    };
    assert_int_equal(bind(fd, (struct sockaddr *)&sll, sizeof sll), 0);
    return fd;
}

static size_t
make_frame(uint8_t *buf, uint8_t tag)
{
    static const uint8_t head[] = {
        0x02, 0x00, 0x00, 0x00, 0x00, 0x02, /* dst */
        0x02, 0x00, 0x00, 0x00, 0x00, 0x01, /* src */
        0x88, 0xb5,                         /* local experimental type */
    };
    memcpy(buf, head, sizeof head);
    for (size_t i = sizeof head; i < 60; i++) {
        buf[i] = (uint8_t)(tag + i);
    }
    return 60;
}

static void
test_rx_tx(void **state TERN_UNUSED)
{
    struct netdev *netdev;
    char *err = NULL;
    assert_int_equal(netdev_open("ttap3", "internal", NULL, &netdev, &err), 0);
    assert_int_equal(nl_link_set_admin_up("ttap3", true), 0);
    assert_true(wait_admin(netdev, true));
    struct nl_link_info info;
    assert_int_equal(nl_link_get("ttap3", &info), 0);
    int fd = packet_socket(info.ifindex);

    /* Host -> Tern: what the kernel sends on the tap is received. */
    uint8_t frame[60], buf[2048];
    size_t len = make_frame(frame, 7);
    assert_int_equal(send(fd, frame, len, 0), (ssize_t)len);
    struct dp_packet_batch batch;
    bool found = false;
    for (int i = 0; i < 200 && !found; i++) {
        dp_packet_batch_init(&batch);
        if (!netdev_rxq_recv(netdev, 0, &batch)) {
            for (uint32_t j = 0; j < batch.count; j++) {
                struct dp_packet *p = batch.packets[j];
                found = found || (dp_packet_size(p) == len &&
                                  !memcmp(dp_packet_data(p), frame, len));
            }
            dp_packet_batch_free(&batch);
        } else {
            usleep(5000);
        }
    }
    assert_true(found);

    /* Tern -> host: a sent frame arrives at the kernel's interface. */
    make_frame(frame, 9);
    dp_packet_batch_init(&batch);
    dp_packet_batch_add(&batch, dp_packet_clone_data(NULL, frame, len));
    assert_int_equal(netdev_send(netdev, 0, &batch, false), 1);
    found = false;
    for (int i = 0; i < 200 && !found; i++) {
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n == (ssize_t)len && !memcmp(buf, frame, len)) {
            found = true;
        } else if (n < 0) {
            usleep(5000);
        }
    }
    assert_true(found);

    struct netdev_stats stats;
    assert_int_equal(netdev_get_stats(netdev, &stats), 0);
    assert_true(stats.rx_packets >= 1);
    assert_int_equal(stats.tx_packets, 1);
    assert_int_equal(stats.tx_bytes, len);

    /* A down tap refuses frames: they are dropped and counted. */
    assert_int_equal(nl_link_set_admin_up("ttap3", false), 0);
    assert_true(wait_admin(netdev, false));
    dp_packet_batch_init(&batch);
    dp_packet_batch_add(&batch, dp_packet_clone_data(NULL, frame, len));
    assert_int_equal(netdev_send(netdev, 0, &batch, false), 0);
    assert_int_equal(netdev_get_stats(netdev, &stats), 0);
    assert_int_equal(stats.tx_dropped, 1);

    close(fd);
    netdev_close(netdev);
}

int
main(void)
{
    if (unshare(CLONE_NEWNET)) {
        fprintf(stderr,
                "test-netdev-tap: unshare(CLONE_NEWNET): %s (needs root)\n",
                strerror(errno));
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_options),
        cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_rx_tx),
    };
    return cmocka_run_group_tests(tests, group_setup, NULL);
}
