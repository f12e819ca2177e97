/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for nl-link: reading and changing kernel interfaces over
 * rtnetlink, and the link monitor's watches.  The program moves itself
 * into a network namespace of its own at start (unshare(CLONE_NEWNET)), so
 * the veth interfaces it makes with ip(8) vanish with it.
 *
 * Needs root (namespaces); CI runs it as root.
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/nl-link.h"
#include "lib/util.h"

/* Runs the shell command made from 'format' and fails the test unless it
 * exits 0. */
static void run(const char *format, ...) TERN_PRINTF(1, 2);

static void
run(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    char *cmd = xvasprintf(format, args);
    va_end(args);
    int rc = system(cmd);
    if (rc) {
        print_error("'%s' exited with %d\n", cmd, rc);
    }
    free(cmd);
    assert_int_equal(rc, 0);
}

/* What one watch has seen. */
struct seen {
    int calls;
    int deletes;
    struct nl_link_info last;
    struct nl_link_watch *self; /* Destroyed from the callback if set. */
    bool destroy_in_cb;
};

static void
record_cb(const struct nl_link_info *info, bool deleted, void *aux)
{
    struct seen *s = aux;
    s->calls++;
    if (deleted) {
        s->deletes++;
    }
    s->last = *info;
    if (s->destroy_in_cb && s->self) {
        nl_link_watch_destroy(s->self);
        s->self = NULL;
    }
}

/* Runs the monitor until 'done(s)' holds or 3 s pass. */
static bool
wait_for(struct seen *s, bool (*done)(const struct seen *))
{
    for (int i = 0; i < 300; i++) {
        nl_link_monitor_run();
        if (done(s)) {
            return true;
        }
        int fd = nl_link_monitor_fd();
        if (fd >= 0) {
            struct pollfd pfd = {.fd = fd, .events = POLLIN};
            poll(&pfd, 1, 10);
        }
    }
    return done(s);
}

static bool
saw_any(const struct seen *s)
{
    return s->calls > 0;
}

static bool
saw_mtu_1300(const struct seen *s)
{
    return s->last.mtu == 1300;
}

static bool
saw_up_carrier(const struct seen *s)
{
    return s->last.admin_up && s->last.carrier;
}

static bool
saw_down(const struct seen *s)
{
    return !s->last.admin_up && !s->last.carrier;
}

static bool
saw_delete(const struct seen *s)
{
    return s->deletes > 0;
}

static void
test_get_missing(void **state TERN_UNUSED)
{
    struct nl_link_info info;
    assert_int_equal(nl_link_get("nosuchif0", &info), ENODEV);
    assert_int_equal(nl_link_set_mtu("nosuchif0", 1400), ENODEV);
    assert_int_equal(nl_link_set_admin_up("nosuchif0", true), ENODEV);
    assert_int_equal(nl_link_get("", &info), EINVAL);
    assert_int_equal(nl_link_get("a-name-far-too-long-for-linux", &info),
                     EINVAL);
}

static void
test_get_set(void **state TERN_UNUSED)
{
    /* A veth pair whose peer is up, so that the link has carrier when up
     * (this kernel may lack the dummy driver). */
    run("ip link add tdum0 type veth peer name tdum0p");
    run("ip link set tdum0p up");
    struct nl_link_info info;
    assert_int_equal(nl_link_get("tdum0", &info), 0);
    assert_string_equal(info.name, "tdum0");
    assert_true(info.ifindex > 0);
    assert_int_equal(info.mtu, 1500);
    assert_false(info.admin_up);
    assert_false(info.carrier);

    assert_int_equal(nl_link_set_mtu("tdum0", 1400), 0);
    assert_int_equal(nl_link_get("tdum0", &info), 0);
    assert_int_equal(info.mtu, 1400);

    struct eth_addr mac = {{0x02, 0x11, 0x22, 0x33, 0x44, 0x55}};
    assert_int_equal(nl_link_set_mac("tdum0", &mac), 0);
    assert_int_equal(nl_link_get("tdum0", &info), 0);
    assert_memory_equal(info.mac.ea, mac.ea, ETH_ADDR_LEN);

    assert_int_equal(nl_link_set_admin_up("tdum0", true), 0);
    assert_int_equal(nl_link_get("tdum0", &info), 0);
    assert_true(info.admin_up);
    assert_true(info.carrier);

    assert_int_equal(nl_link_set_admin_up("tdum0", false), 0);
    assert_int_equal(nl_link_get("tdum0", &info), 0);
    assert_false(info.admin_up);
    assert_false(info.carrier);

    /* The kernel refuses an MTU below the minimum. */
    assert_int_not_equal(nl_link_set_mtu("tdum0", 10), 0);
    assert_int_equal(nl_link_set_mtu("tdum0", 0), EINVAL);
    run("ip link del tdum0");
    assert_int_equal(nl_link_get("tdum0", &info), ENODEV);
}

static void
test_watch(void **state TERN_UNUSED)
{
    assert_int_equal(nl_link_monitor_fd(), -1);
    struct seen s = {0}, other = {0};
    struct nl_link_watch *w = nl_link_watch_create("tveth0", record_cb, &s);
    struct nl_link_watch *wo =
        nl_link_watch_create("tother0", record_cb, &other);
    assert_non_null(w);
    assert_non_null(wo);
    assert_true(nl_link_monitor_fd() >= 0);

    /* Creation. */
    run("ip link add tveth0 type veth peer name tveth1");
    assert_true(wait_for(&s, saw_any));
    assert_false(s.deletes);
    assert_string_equal(s.last.name, "tveth0");
    assert_true(s.last.ifindex > 0);

    /* MTU changed outside. */
    run("ip link set tveth0 mtu 1300");
    assert_true(wait_for(&s, saw_mtu_1300));

    /* Up on both ends: carrier. */
    run("ip link set tveth1 up");
    run("ip link set tveth0 up");
    assert_true(wait_for(&s, saw_up_carrier));

    /* Down again. */
    run("ip link set tveth0 down");
    assert_true(wait_for(&s, saw_down));

    /* A change made through nl-link is seen as well. */
    struct eth_addr mac = {{0x02, 0x00, 0x00, 0xaa, 0xbb, 0xcc}};
    assert_int_equal(nl_link_set_mac("tveth0", &mac), 0);
    for (int i = 0; i < 300; i++) {
        nl_link_monitor_run();
        if (!memcmp(s.last.mac.ea, mac.ea, ETH_ADDR_LEN)) {
            break;
        }
        struct pollfd pfd = {.fd = nl_link_monitor_fd(), .events = POLLIN};
        poll(&pfd, 1, 10);
    }
    assert_memory_equal(s.last.mac.ea, mac.ea, ETH_ADDR_LEN);

    /* Deletion. */
    int ifindex = s.last.ifindex;
    run("ip link del tveth0");
    assert_true(wait_for(&s, saw_delete));
    assert_string_equal(s.last.name, "tveth0");
    assert_int_equal(s.last.ifindex, ifindex);

    /* Nothing happened to the other name. */
    assert_int_equal(other.calls, 0);

    nl_link_watch_destroy(w);
    nl_link_watch_destroy(wo);
    nl_link_monitor_run();
    assert_int_equal(nl_link_monitor_fd(), -1);
    nl_link_watch_destroy(NULL);
}

static void
test_watch_destroy_in_callback(void **state TERN_UNUSED)
{
    struct seen a = {.destroy_in_cb = true};
    struct seen b = {0};
    a.self = nl_link_watch_create("tdum1", record_cb, &a);
    struct nl_link_watch *wb = nl_link_watch_create("tdum1", record_cb, &b);
    assert_non_null(a.self);
    assert_non_null(wb);

    run("ip link add tdum1 type veth peer name tdum1p");
    run("ip link set tdum1p up");
    assert_true(wait_for(&b, saw_any));
    assert_int_equal(a.calls, 1);
    assert_null(a.self);

    /* 'a' is gone: only 'b' hears of later changes. */
    run("ip link set tdum1 up");
    assert_true(wait_for(&b, saw_up_carrier));
    assert_int_equal(a.calls, 1);

    run("ip link del tdum1");
    assert_true(wait_for(&b, saw_delete));
    assert_int_equal(a.calls, 1);
    nl_link_watch_destroy(wb);
    nl_link_monitor_run();
    assert_int_equal(nl_link_monitor_fd(), -1);
}

static void
test_watch_bad_args(void **state TERN_UNUSED)
{
    struct seen s = {0};
    assert_null(nl_link_watch_create("", record_cb, &s));
    assert_null(nl_link_watch_create("x", NULL, &s));
    assert_null(
        nl_link_watch_create("a-name-far-too-long-for-linux", record_cb, &s));
    assert_int_equal(nl_link_monitor_fd(), -1);
}

int
main(void)
{
    if (unshare(CLONE_NEWNET)) {
        fprintf(stderr,
                "test-nl-link: unshare(CLONE_NEWNET): %s (needs "
                "root)\n",
                strerror(errno));
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_get_missing),
        cmocka_unit_test(test_get_set),
        cmocka_unit_test(test_watch),
        cmocka_unit_test(test_watch_destroy_in_callback),
        cmocka_unit_test(test_watch_bad_args),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
