/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for lib/util (allocation, ds, parsing helpers, clocks) and
 * lib/smap (sorted string map, parsing and formatting).
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "lib/smap.h"
#include "lib/util.h"

static void
test_ds_basic(void **state)
{
    struct ds ds = DS_EMPTY;
    assert_string_equal(ds_cstr(&ds), "");
    assert_int_equal(ds.length, 0);

    ds_put_cstr(&ds, "abc");
    ds_put_char(&ds, '-');
    ds_put_buffer(&ds, "xyz123", 3);
    assert_string_equal(ds_cstr(&ds), "abc-xyz");
    assert_int_equal(ds.length, 7);

    ds_clear(&ds);
    assert_string_equal(ds_cstr(&ds), "");
    assert_int_equal(ds.length, 0);
    ds_destroy(&ds);
    assert_null(ds.string);
}

static void
test_ds_format_grows(void **state)
{
    struct ds ds;
    ds_init(&ds);
    /* Longer than the initial reservation to exercise the second
     * vsnprintf() pass. */
    char big[1000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    ds_put_format(&ds, "[%s]%d", big, 42);
    assert_int_equal(ds.length, 1 + 999 + 1 + 2);
    assert_int_equal(ds.string[0], '[');
    assert_string_equal(ds.string + 1000, "]42");
    assert_true(ds.allocated >= ds.length);

    for (int i = 0; i < 1000; i++) {
        ds_put_format(&ds, "%d,", i % 10);
    }
    assert_int_equal(ds.length, 1003 + 2000);
    assert_int_equal(strlen(ds.string), ds.length);
    ds_destroy(&ds);
}

static void
test_ds_hex_chomp_steal(void **state)
{
    struct ds ds = DS_EMPTY;
    const uint8_t bytes[] = {0x00, 0xab, 0x7f, 0xff};
    ds_put_hex(&ds, bytes, sizeof bytes);
    assert_string_equal(ds_cstr(&ds), "00ab7fff");

    ds_put_cstr(&ds, "\n");
    ds_chomp(&ds, '\n');
    assert_string_equal(ds_cstr(&ds), "00ab7fff");
    ds_chomp(&ds, '\n'); /* Nothing to remove. */
    assert_string_equal(ds_cstr(&ds), "00ab7fff");

    char *s = ds_steal_cstr(&ds);
    assert_string_equal(s, "00ab7fff");
    assert_null(ds.string);
    assert_int_equal(ds.length, 0);
    free(s);

    /* Stealing from an empty ds gives an empty, owned string. */
    s = ds_steal_cstr(&ds);
    assert_string_equal(s, "");
    free(s);
}

static void
test_xasprintf_and_dup(void **state)
{
    char *s = xasprintf("%s=%d/%#x", "port", 7, 255);
    assert_string_equal(s, "port=7/0xff");
    free(s);

    s = xasprintf("%s", "");
    assert_string_equal(s, "");
    free(s);

    char *d = xstrdup("hello");
    assert_string_equal(d, "hello");
    free(d);

    const uint8_t raw[3] = {1, 2, 3};
    uint8_t *m = xmemdup(raw, sizeof raw);
    assert_memory_equal(m, raw, sizeof raw);
    free(m);

    uint32_t *z = xzalloc(16 * sizeof *z);
    for (int i = 0; i < 16; i++) {
        assert_int_equal(z[i], 0);
    }
    z = xrealloc(z, 32 * sizeof *z);
    assert_int_equal(z[15], 0);
    free(z);
}

static void
test_str_to_u64(void **state)
{
    uint64_t v = 99;
    assert_true(str_to_u64("0", &v));
    assert_int_equal(v, 0);
    assert_true(str_to_u64("18446744073709551615", &v));
    assert_true(v == UINT64_MAX);
    assert_true(str_to_u64("0x10", &v));
    assert_int_equal(v, 16);
    assert_true(str_to_u64("0XfF", &v));
    assert_int_equal(v, 255);
    /* Leading zeros are decimal, not octal. */
    assert_true(str_to_u64("010", &v));
    assert_int_equal(v, 10);
    assert_true(str_to_u64("09", &v));
    assert_int_equal(v, 9);

    v = 5;
    assert_false(str_to_u64("18446744073709551616", &v));
    assert_false(str_to_u64("", &v));
    assert_false(str_to_u64(NULL, &v));
    assert_false(str_to_u64("-1", &v));
    assert_false(str_to_u64("+1", &v));
    assert_false(str_to_u64(" 1", &v));
    assert_false(str_to_u64("1 ", &v));
    assert_false(str_to_u64("12abc", &v));
    assert_false(str_to_u64("0xg", &v));
    assert_false(str_to_u64("0x", &v));
    assert_false(str_to_u64("0x-1", &v));
    assert_int_equal(v, 5); /* Untouched on failure. */
}

static void
test_str_to_narrow(void **state)
{
    uint32_t u32 = 1;
    uint16_t u16 = 1;
    uint8_t u8 = 1;

    assert_true(str_to_u32("4294967295", &u32));
    assert_true(u32 == UINT32_MAX);
    assert_false(str_to_u32("4294967296", &u32));
    assert_true(u32 == UINT32_MAX);

    assert_true(str_to_u16("0xffff", &u16));
    assert_int_equal(u16, 0xffff);
    assert_false(str_to_u16("65536", &u16));
    assert_int_equal(u16, 0xffff);

    assert_true(str_to_u8("255", &u8));
    assert_int_equal(u8, 255);
    assert_false(str_to_u8("256", &u8));
    assert_false(str_to_u8("x", &u8));
    assert_int_equal(u8, 255);
}

static void
test_hex_to_bytes(void **state)
{
    uint8_t out[8];
    assert_int_equal(hex_to_bytes("0011aAfF", out, sizeof out), 4);
    assert_int_equal(out[0], 0x00);
    assert_int_equal(out[1], 0x11);
    assert_int_equal(out[2], 0xaa);
    assert_int_equal(out[3], 0xff);

    assert_int_equal(hex_to_bytes(" de ad\tbe\nef ", out, sizeof out), 4);
    assert_int_equal(out[0], 0xde);
    assert_int_equal(out[3], 0xef);

    assert_int_equal(hex_to_bytes("", out, sizeof out), 0);
    assert_int_equal(hex_to_bytes("abc", out, sizeof out), -1);
    assert_int_equal(hex_to_bytes("a b", out, sizeof out), -1);
    assert_int_equal(hex_to_bytes("zz", out, sizeof out), -1);
    assert_int_equal(hex_to_bytes("0102", out, 1), -1);
    assert_int_equal(hex_to_bytes("01", out, 1), 1);
}

static void
test_strerror_and_program_name(void **state)
{
    assert_string_equal(tern_strerror(0), "Success");
    assert_string_equal(tern_strerror(ENOENT), "No such file or directory");
    set_program_name("/usr/sbin/tern-vswitchd");
    assert_string_equal(get_program_name(), "tern-vswitchd");
    set_program_name("test-util");
    assert_string_equal(get_program_name(), "test-util");
}

static void
test_time(void **state)
{
    long long m1 = time_msec();
    long long u1 = time_usec();
    struct timespec ts = {0, 20 * 1000 * 1000};
    nanosleep(&ts, NULL);
    long long m2 = time_msec();
    long long u2 = time_usec();
    assert_true(m2 - m1 >= 19);
    assert_true(u2 - u1 >= 19000);
    /* The wall clock is after 2020-01-01. */
    assert_true(time_wall_msec() > 1577836800000LL);
}

static void
test_macros(void **state)
{
    int a[7];
    assert_int_equal(ARRAY_SIZE(a), 7);
    assert_int_equal(ROUND_UP(13, 8), 16);
    assert_int_equal(ROUND_UP(16, 8), 16);
    assert_int_equal(DIV_ROUND_UP(13, 8), 2);
    assert_int_equal(MIN(3, -2), -2);
    assert_int_equal(MAX(3, -2), 3);

    struct outer {
        int x;
        double member;
    } o;
    assert_ptr_equal(CONTAINER_OF(&o.member, struct outer, member), &o);
}

static void
test_smap_replace_get_remove(void **state)
{
    struct smap smap = SMAP_INITIALIZER;
    smap_replace(&smap, "b", "2");
    smap_replace(&smap, "a", "1");
    smap_replace(&smap, "c", "3");
    smap_replace(&smap, "b", "two");
    assert_int_equal(smap_count(&smap), 3);
    assert_string_equal(smap_get(&smap, "b"), "two");
    assert_null(smap_get(&smap, "d"));
    assert_string_equal(smap_get_def(&smap, "d", "dflt"), "dflt");
    assert_string_equal(smap_get_def(&smap, "a", "dflt"), "1");

    /* Iteration is sorted by key. */
    const char *keys[3];
    size_t n = 0;
    SMAP_FOR_EACH(node, &smap)
    {
        keys[n++] = node->key;
    }
    assert_int_equal(n, 3);
    assert_string_equal(keys[0], "a");
    assert_string_equal(keys[1], "b");
    assert_string_equal(keys[2], "c");

    assert_true(smap_remove(&smap, "b"));
    assert_false(smap_remove(&smap, "b"));
    assert_int_equal(smap_count(&smap), 2);
    assert_null(smap_get(&smap, "b"));

    smap_clear(&smap);
    assert_int_equal(smap_count(&smap), 0);
    smap_replace(&smap, "x", "y");
    assert_string_equal(smap_get(&smap, "x"), "y");
    smap_destroy(&smap);
}

static void
test_smap_many_keys(void **state)
{
    struct smap smap;
    smap_init(&smap);
    for (int i = 199; i >= 0; i--) {
        char key[16];
        snprintf(key, sizeof key, "k%03d", (i * 7) % 200);
        smap_add_format(&smap, key, "%d", (i * 7) % 200);
    }
    assert_int_equal(smap_count(&smap), 200);
    for (int i = 0; i < 200; i++) {
        char key[16];
        snprintf(key, sizeof key, "k%03d", i);
        assert_int_equal(smap_get_int(&smap, key, -1), i);
    }
    for (size_t i = 1; i < smap.n; i++) {
        assert_true(strcmp(smap.nodes[i - 1].key, smap.nodes[i].key) < 0);
    }
    smap_destroy(&smap);
}

static void
test_smap_typed_getters(void **state)
{
    struct smap smap = SMAP_INITIALIZER;
    smap_replace(&smap, "n", "42");
    smap_replace(&smap, "neg", "-7");
    smap_replace(&smap, "hex", "0x10");
    smap_replace(&smap, "bad", "12x");
    smap_replace(&smap, "empty", "");
    smap_replace(&smap, "t", "true");
    smap_replace(&smap, "f", "false");
    smap_replace(&smap, "junk", "maybe");

    assert_int_equal(smap_get_int(&smap, "n", 0), 42);
    assert_int_equal(smap_get_int(&smap, "neg", 0), -7);
    assert_int_equal(smap_get_int(&smap, "hex", 0), 16);
    assert_int_equal(smap_get_int(&smap, "bad", 5), 5);
    assert_int_equal(smap_get_int(&smap, "empty", 6), 6);
    assert_int_equal(smap_get_int(&smap, "missing", 7), 7);

    assert_true(smap_get_bool(&smap, "t", false));
    assert_false(smap_get_bool(&smap, "f", true));
    assert_true(smap_get_bool(&smap, "junk", true));
    assert_false(smap_get_bool(&smap, "junk", false));
    assert_true(smap_get_bool(&smap, "missing", true));
    smap_destroy(&smap);
}

static void
test_smap_clone_equal_format(void **state)
{
    struct smap a = SMAP_INITIALIZER, b;
    smap_replace(&a, "zeta", "1");
    smap_replace(&a, "alpha", "x y");
    smap_clone(&b, &a);
    assert_true(smap_equal(&a, &b));

    struct ds ds = DS_EMPTY;
    smap_format(&b, &ds);
    assert_string_equal(ds_cstr(&ds), "alpha=x y, zeta=1");

    smap_replace(&b, "zeta", "2");
    assert_false(smap_equal(&a, &b));
    smap_replace(&b, "zeta", "1");
    assert_true(smap_equal(&a, &b));
    smap_replace(&b, "extra", "");
    assert_false(smap_equal(&a, &b));

    struct smap empty = SMAP_INITIALIZER, empty2;
    smap_clone(&empty2, &empty);
    assert_true(smap_equal(&empty, &empty2));
    ds_clear(&ds);
    smap_format(&empty, &ds);
    assert_string_equal(ds_cstr(&ds), "");

    ds_destroy(&ds);
    smap_destroy(&a);
    smap_destroy(&b);
    smap_destroy(&empty2);
}

static void
test_smap_parse(void **state)
{
    struct smap smap = SMAP_INITIALIZER;
    assert_null(smap_parse(&smap, " n_rxq = 4 , mtu=9000,empty=,"
                                  "peer=p0 "));
    assert_int_equal(smap_count(&smap), 4);
    assert_string_equal(smap_get(&smap, "n_rxq"), "4");
    assert_string_equal(smap_get(&smap, "mtu"), "9000");
    assert_string_equal(smap_get(&smap, "empty"), "");
    assert_string_equal(smap_get(&smap, "peer"), "p0");

    /* Values may contain '='. */
    smap_clear(&smap);
    assert_null(smap_parse(&smap, "match=a=b"));
    assert_string_equal(smap_get(&smap, "match"), "a=b");

    /* The empty string is an empty map. */
    smap_clear(&smap);
    assert_null(smap_parse(&smap, "  "));
    assert_int_equal(smap_count(&smap), 0);
    smap_destroy(&smap);
}

static void
test_smap_parse_errors(void **state)
{
    static const struct {
        const char *input;
        const char *error_part;
    } cases[] = {
        {"novalue", "missing '='"}, {"a=1,novalue", "missing '='"},
        {"=1", "empty key"},        {"  =1", "empty key"},
        {"a=1,,b=2", "empty item"}, {"a=1,", "empty item"},
        {",a=1", "empty item"},     {"a=1,a=2", "duplicate key"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct smap smap = SMAP_INITIALIZER;
        char *error = smap_parse(&smap, cases[i].input);
        assert_non_null(error);
        if (!strstr(error, cases[i].error_part)) {
            fail_msg("\"%s\": error \"%s\" lacks \"%s\"", cases[i].input,
                     error, cases[i].error_part);
        }
        free(error);
        smap_destroy(&smap);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ds_basic),
        cmocka_unit_test(test_ds_format_grows),
        cmocka_unit_test(test_ds_hex_chomp_steal),
        cmocka_unit_test(test_xasprintf_and_dup),
        cmocka_unit_test(test_str_to_u64),
        cmocka_unit_test(test_str_to_narrow),
        cmocka_unit_test(test_hex_to_bytes),
        cmocka_unit_test(test_strerror_and_program_name),
        cmocka_unit_test(test_time),
        cmocka_unit_test(test_macros),
        cmocka_unit_test(test_smap_replace_get_remove),
        cmocka_unit_test(test_smap_many_keys),
        cmocka_unit_test(test_smap_typed_getters),
        cmocka_unit_test(test_smap_clone_equal_format),
        cmocka_unit_test(test_smap_parse),
        cmocka_unit_test(test_smap_parse_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
