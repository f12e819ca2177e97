/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for lib/vlog: level names, vlog/set specifications, the
 * per-destination checks, the line format written to the log file and the
 * console, rate limiting, reopening and the vlog/list table.
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <regex.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "lib/util.h"
#include "lib/vlog.h"
#include "tests/unit/test-common.h"

VLOG_DEFINE_THIS_MODULE(test_vlog);

static char tmpdir[64];
static char log_path[128];

static size_t
count_substr(const char *haystack, const char *needle)
{
    size_t n = 0;
    for (const char *p = haystack; (p = strstr(p, needle)); p++) {
        n++;
    }
    return n;
}

static int
group_setup(void **state)
{
    if (test_tmpdir_create(tmpdir, sizeof tmpdir, "test-vlog")) {
        return -1;
    }
    snprintf(log_path, sizeof log_path, "%s/test.log", tmpdir);
    return 0;
}

static int
group_teardown(void **state)
{
    vlog_set_log_file(NULL);
    char *old = xasprintf("%s.old", log_path);
    unlink(log_path);
    unlink(old);
    free(old);
    rmdir(tmpdir);
    return 0;
}

/* Each test starts with a fresh, empty log file, file level INFO and the
 * console off (so the test output stays readable). */
static int
test_setup(void **state)
{
    vlog_set_log_file(NULL);
    unlink(log_path);
    char *error = vlog_set_levels_from_string("ANY:file:info");
    free(error);
    error = vlog_set_levels_from_string("ANY:console:off");
    free(error);
    return vlog_set_log_file(log_path);
}

/* Runs first, before anything sets a level explicitly. */
static void
test_default_levels(void **state)
{
    vlog_set_log_file(NULL);
    assert_int_equal(this_module.levels[VLF_CONSOLE], VLL_INFO);
    assert_int_equal(this_module.levels[VLF_FILE], VLL_INFO);
    /* Without a log file, the file level does not enable anything. */
    assert_int_equal(this_module.min_level, VLL_INFO);

    /* A log file sends the console down to WARN. */
    assert_int_equal(vlog_set_log_file(log_path), 0);
    assert_int_equal(this_module.levels[VLF_CONSOLE], VLL_WARN);
    assert_int_equal(vlog_module_from_name("vlog")->levels[VLF_CONSOLE],
                     VLL_WARN);
    assert_int_equal(this_module.levels[VLF_FILE], VLL_INFO);
    assert_true(vlog_is_enabled(&this_module, VLL_INFO));
    VLOG_INFO("only in the file");
    char *text = test_slurp(log_path);
    assert_non_null(strstr(text, "|test_vlog|INFO|only in the file\n"));
    free(text);
}

static void
test_level_names(void **state)
{
    for (int l = 0; l < VLL_N_LEVELS; l++) {
        assert_int_equal(vlog_get_level_val(vlog_get_level_name(l)), l);
    }
    assert_string_equal(vlog_get_level_name(VLL_WARN), "WARN");
    assert_int_equal(vlog_get_level_val("dbg"), VLL_DBG);
    assert_int_equal(vlog_get_level_val("Err"), VLL_ERR);
    assert_int_equal(vlog_get_level_val("warning"), VLL_WARN);
    assert_int_equal(vlog_get_level_val("debug"), VLL_DBG);
    assert_int_equal(vlog_get_level_val("loud"), VLL_N_LEVELS);
}

static void
test_module_registry(void **state)
{
    struct vlog_module *m = vlog_module_from_name("test_vlog");
    assert_ptr_equal(m, &this_module);
    /* Modules of the library register themselves too. */
    assert_non_null(vlog_module_from_name("vlog"));
    assert_non_null(vlog_module_from_name("unixctl"));
    assert_null(vlog_module_from_name("no_such_module"));
    /* Registering twice is harmless. */
    vlog_register_module(m);
    assert_ptr_equal(vlog_module_from_name("test_vlog"), m);
}

static void
test_set_from_string(void **state)
{
    struct vlog_module *m = &this_module;
    char *error;

    assert_null(error = vlog_set_levels_from_string("test_vlog:file:dbg"));
    assert_int_equal(m->levels[VLF_FILE], VLL_DBG);
    assert_int_equal(m->levels[VLF_CONSOLE], VLL_OFF);

    /* Omitted words mean ANY destination and level "dbg"; order does not
     * matter and spaces work as separators. */
    assert_null(error = vlog_set_levels_from_string("err test_vlog"));
    assert_int_equal(m->levels[VLF_FILE], VLL_ERR);
    assert_int_equal(m->levels[VLF_CONSOLE], VLL_ERR);
    assert_null(error = vlog_set_levels_from_string("test_vlog"));
    assert_int_equal(m->levels[VLF_FILE], VLL_DBG);

    /* ANY module touches every module, including library ones. */
    assert_null(error = vlog_set_levels_from_string("ANY:console:warn"));
    assert_int_equal(m->levels[VLF_CONSOLE], VLL_WARN);
    assert_int_equal(vlog_module_from_name("vlog")->levels[VLF_CONSOLE],
                     VLL_WARN);
    assert_int_equal(m->levels[VLF_FILE], VLL_DBG);

    /* "syslog" is accepted and ignored. */
    assert_null(error = vlog_set_levels_from_string("syslog:off"));
    assert_int_equal(m->levels[VLF_CONSOLE], VLL_WARN);
    assert_int_equal(m->levels[VLF_FILE], VLL_DBG);

    static const struct {
        const char *spec;
        const char *error;
    } bad[] = {
        {"no_such_module:dbg", "no destination, level, or module"},
        {"console:file", "multiple destinations"},
        {"dbg:info", "multiple levels"},
        {"vlog:unixctl", "multiple modules"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        error = vlog_set_levels_from_string(bad[i].spec);
        assert_non_null(error);
        assert_non_null(strstr(error, bad[i].error));
        free(error);
    }
    /* Errors change nothing. */
    assert_int_equal(m->levels[VLF_CONSOLE], VLL_WARN);
    assert_int_equal(m->levels[VLF_FILE], VLL_DBG);
}

static void
test_is_enabled(void **state)
{
    struct vlog_module *m = &this_module;
    vlog_set_levels(m, VLF_CONSOLE, VLL_ERR);
    vlog_set_levels(m, VLF_FILE, VLL_INFO);
    assert_true(vlog_is_enabled(m, VLL_ERR));
    assert_true(vlog_is_enabled(m, VLL_INFO));
    assert_false(vlog_is_enabled(m, VLL_DBG));
    assert_false(vlog_is_enabled(m, VLL_OFF));

    /* Without a log file only the console level counts. */
    vlog_set_log_file(NULL);
    assert_true(vlog_is_enabled(m, VLL_ERR));
    assert_false(vlog_is_enabled(m, VLL_WARN));
    assert_int_equal(vlog_set_log_file(log_path), 0);
    assert_true(vlog_is_enabled(m, VLL_INFO));

    vlog_set_levels(m, VLF_N_DESTINATIONS, VLL_OFF);
    assert_false(vlog_is_enabled(m, VLL_EMER));
}

static void
test_file_format_and_filtering(void **state)
{
    vlog_set_levels(&this_module, VLF_FILE, VLL_INFO);
    VLOG_INFO("hello %d", 42);
    VLOG_DBG("not logged at info");
    VLOG_WARN("trailing newline is not doubled\n");

    char *text = test_slurp(log_path);
    regex_t re;
    assert_int_equal(
        regcomp(&re,
                "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
                "\\.[0-9]{3}Z\\|[0-9]{5,}\\|test_vlog\\|INFO\\|hello 42\n"
                "[0-9T:.Z-]+\\|[0-9]{5,}\\|test_vlog\\|WARN\\|"
                "trailing newline is not doubled\n$",
                REG_EXTENDED),
        0);
    if (regexec(&re, text, 0, NULL, 0)) {
        fail_msg("unexpected log file contents:\n%s", text);
    }
    regfree(&re);
    assert_null(strstr(text, "not logged"));

    /* Sequence numbers increase. */
    unsigned int a, b;
    const char *p = strchr(text, '|');
    assert_int_equal(sscanf(p + 1, "%u", &a), 1);
    p = strchr(strchr(text, '\n') + 1, '|');
    assert_int_equal(sscanf(p + 1, "%u", &b), 1);
    assert_true(b > a);
    free(text);
}

static void
test_console_output(void **state)
{
    char *console_path = xasprintf("%s/console", tmpdir);
    int fd = open(console_path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    assert_true(fd >= 0);
    int saved = dup(STDERR_FILENO);
    dup2(fd, STDERR_FILENO);

    vlog_set_levels(&this_module, VLF_CONSOLE, VLL_WARN);
    vlog_set_levels(&this_module, VLF_FILE, VLL_DBG);
    VLOG_WARN("to both");
    VLOG_DBG("file only");

    dup2(saved, STDERR_FILENO);
    close(saved);
    close(fd);

    char *console = test_slurp(console_path);
    char *file = test_slurp(log_path);
    assert_non_null(strstr(console, "|test_vlog|WARN|to both\n"));
    assert_null(strstr(console, "file only"));
    assert_non_null(strstr(file, "|test_vlog|WARN|to both\n"));
    assert_non_null(strstr(file, "|test_vlog|DBG|file only\n"));
    free(console);
    free(file);
    unlink(console_path);
    free(console_path);
}

static void
test_log_file_keeps_explicit_console(void **state)
{
    /* test_setup() set the console explicitly: it stays OFF. */
    assert_int_equal(this_module.levels[VLF_CONSOLE], VLL_OFF);
    vlog_set_log_file(NULL);
    assert_int_equal(vlog_set_log_file(log_path), 0);
    assert_int_equal(this_module.levels[VLF_CONSOLE], VLL_OFF);

    /* An unopenable path is an error and keeps the current file. */
    char *bad = xasprintf("%s/no/such/dir/x.log", tmpdir);
    assert_int_equal(vlog_set_log_file(bad), ENOENT);
    free(bad);
    VLOG_INFO("still here");
    char *text = test_slurp(log_path);
    assert_non_null(strstr(text, "still here"));
    free(text);
}

static void
test_rate_limit(void **state)
{
    /* 600 per minute: one token per 100 ms, bursts of 3. */
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(600, 3);
    unsigned long warnings = vlog_n_warnings();

    for (int i = 0; i < 10; i++) {
        VLOG_WARN_RL(&rl, "burst %d", i);
    }
    assert_int_equal(rl.n_dropped, 7);
    assert_int_equal(vlog_n_warnings() - warnings, 3);

    char *text = test_slurp(log_path);
    assert_int_equal(count_substr(text, "|burst "), 3);
    assert_non_null(strstr(text, "burst 2\n"));
    assert_null(strstr(text, "burst 3\n"));
    free(text);

    /* After a token's worth of time, one more gets through, preceded by
     * the report of what was lost. */
    test_sleep_msec(150);
    VLOG_WARN_RL(&rl, "after pause");
    VLOG_WARN_RL(&rl, "dropped again");
    text = test_slurp(log_path);
    assert_non_null(strstr(text, "|test_vlog|WARN|Dropped 7 log messages in "
                                 "last 1 seconds due to excessive rate\n"));
    assert_non_null(strstr(text, "after pause"));
    assert_null(strstr(text, "dropped again"));
    assert_int_equal(rl.n_dropped, 1);
    free(text);

    /* A disabled level neither logs nor consumes tokens. */
    vlog_set_levels(&this_module, VLF_N_DESTINATIONS, VLL_ERR);
    static struct vlog_rate_limit rl2 = VLOG_RATE_LIMIT_INIT(1, 1);
    assert_true(vlog_should_drop(&this_module, VLL_INFO, &rl2));
    assert_false(vlog_should_drop(&this_module, VLL_ERR, &rl2));
    assert_true(vlog_should_drop(&this_module, VLL_ERR, &rl2));
}

struct thread_arg {
    int id;
    struct vlog_rate_limit *rl;
};

static void *
log_thread(void *arg_)
{
    struct thread_arg *arg = arg_;
    for (int i = 0; i < 500; i++) {
        VLOG_INFO("thread %d message %d padding-padding-padding", arg->id, i);
        VLOG_WARN_RL(arg->rl, "limited from %d", arg->id);
    }
    return NULL;
}

static void
test_threads(void **state)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 10);
    pthread_t threads[4];
    struct thread_arg args[4];
    for (int i = 0; i < 4; i++) {
        args[i].id = i;
        args[i].rl = &rl;
        pthread_create(&threads[i], NULL, log_thread, &args[i]);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(threads[i], NULL);
    }

    char *text = test_slurp(log_path);
    assert_int_equal(count_substr(text, "padding-padding-padding\n"), 2000);
    assert_int_equal(count_substr(text, "|limited from "), 10);
    assert_int_equal(rl.n_dropped, 1990);
    /* Lines never interleave: every line has the full format. */
    size_t lines = 0;
    for (char *line = text; *line; line = strchr(line, '\n') + 1) {
        assert_non_null(strstr(line, "|test_vlog|"));
        lines++;
    }
    assert_int_equal(lines, 2010);
    free(text);
}

static void
test_reopen(void **state)
{
    VLOG_INFO("before rotation");
    char *old = xasprintf("%s.old", log_path);
    assert_int_equal(rename(log_path, old), 0);
    VLOG_INFO("still to the old file");
    assert_int_equal(vlog_reopen_log_file(), 0);
    VLOG_INFO("after rotation");

    char *old_text = test_slurp(old);
    char *new_text = test_slurp(log_path);
    assert_non_null(strstr(old_text, "before rotation"));
    assert_non_null(strstr(old_text, "still to the old file"));
    assert_null(strstr(old_text, "after rotation"));
    assert_non_null(strstr(new_text, "after rotation"));
    assert_null(strstr(new_text, "before rotation"));
    free(old_text);
    free(new_text);
    unlink(old);
    free(old);

    vlog_set_log_file(NULL);
    assert_int_equal(vlog_reopen_log_file(), ENOENT);
}

static void
test_list(void **state)
{
    vlog_set_levels(&this_module, VLF_CONSOLE, VLL_EMER);
    vlog_set_levels(&this_module, VLF_FILE, VLL_DBG);
    struct ds ds = DS_EMPTY;
    vlog_list(&ds);
    const char *s = ds_cstr(&ds);

    /* Header, then one row per module sorted by name. */
    assert_true(!strncmp(s + strspn(s, " "), "console", 7));
    regex_t re;
    assert_int_equal(regcomp(&re, "\ntest_vlog +EMER +DBG\n", REG_EXTENDED),
                     0);
    assert_int_equal(regexec(&re, s, 0, NULL, 0), 0);
    regfree(&re);
    const char *t = strstr(s, "\ntest_vlog ");
    const char *u = strstr(s, "\nunixctl ");
    const char *v = strstr(s, "\nvlog ");
    assert_non_null(t);
    assert_non_null(u);
    assert_non_null(v);
    assert_true(t < u && u < v);
    assert_int_equal(s[ds.length - 1], '\n');
    ds_destroy(&ds);
}

static void
test_warning_count(void **state)
{
    unsigned long before = vlog_n_warnings();
    vlog_set_levels(&this_module, VLF_FILE, VLL_DBG);
    VLOG_INFO("info is not a warning");
    VLOG_WARN("one");
    VLOG_ERR("two");
    VLOG_EMER("three");
    assert_int_equal(vlog_n_warnings() - before, 3);

    /* Messages at a disabled level are not counted. */
    vlog_set_levels(&this_module, VLF_N_DESTINATIONS, VLL_OFF);
    VLOG_ERR("suppressed");
    assert_int_equal(vlog_n_warnings() - before, 3);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_levels),
        cmocka_unit_test_setup(test_level_names, test_setup),
        cmocka_unit_test_setup(test_module_registry, test_setup),
        cmocka_unit_test_setup(test_set_from_string, test_setup),
        cmocka_unit_test_setup(test_is_enabled, test_setup),
        cmocka_unit_test_setup(test_file_format_and_filtering, test_setup),
        cmocka_unit_test_setup(test_console_output, test_setup),
        cmocka_unit_test_setup(test_log_file_keeps_explicit_console,
                               test_setup),
        cmocka_unit_test_setup(test_rate_limit, test_setup),
        cmocka_unit_test_setup(test_threads, test_setup),
        cmocka_unit_test_setup(test_reopen, test_setup),
        cmocka_unit_test_setup(test_list, test_setup),
        cmocka_unit_test_setup(test_warning_count, test_setup),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
