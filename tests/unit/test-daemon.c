/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for lib/daemon: the run directory, pidfile reading and
 * locking, detaching with --detach semantics (the parent exits only once
 * the child is ready, with the child's status on failure), the exit
 * signals and the options every daemon takes.  Daemons under test are forked
 * from this process and never return into the test framework.
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/daemon.h"
#include "lib/vlog.h"
#include "lib/util.h"
#include "tests/unit/test-common.h"

static char tmpdir[64];
/* A detached daemon under test, killed by teardown if a test fails. */
static pid_t detached_pid;

static int
group_setup(void **state)
{
    if (test_tmpdir_create(tmpdir, sizeof tmpdir, "test-daemon")) {
        return -1;
    }
    setenv("TERN_RUNDIR", tmpdir, 1);
    return 0;
}

static int
kill_detached(void **state)
{
    if (detached_pid > 0) {
        kill(detached_pid, SIGTERM);
        detached_pid = 0;
    }
    return 0;
}

static int
group_teardown(void **state)
{
    return test_tmpdir_remove(tmpdir);
}

/* How a launched daemon behaves. */
enum daemon_mode {
    RUN_UNTIL_SIGNAL, /* Start, complete, serve until SIGTERM. */
    FAIL_EARLY,       /* Exit with status 7 before daemonize_complete(). */
};

/* Forks a process that runs a daemon with 'pidfile', detached or not.
 * Its stderr goes to 'err_path'.  Returns the pid of the forked process
 * (with 'detach', the waiting parent). */
static pid_t
launch(const char *pidfile, bool detach, enum daemon_mode mode,
       const char *err_path)
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid) {
        return pid;
    }

    int fd = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, STDERR_FILENO);
    close(fd);
    set_program_name("test-daemon");
    daemon_set_pidfile(pidfile);
    daemon_set_detach(detach);
    daemonize_start();
    if (mode == FAIL_EARLY) {
        _exit(7);
    }
    daemonize_complete();
    while (!daemon_should_exit()) {
        struct pollfd pfd = {.fd = daemon_signal_fd(), .events = POLLIN};
        poll(&pfd, 1, 1000);
    }
    exit(0); /* Runs the atexit handler that removes the pidfile. */
}

static int
wait_status(pid_t pid)
{
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

/* Waits up to 3 s for daemon_read_pidfile('path') to return 'expect'. */
static void
wait_pidfile(const char *path, int expect)
{
    pid_t pid;
    for (int i = 0; i < 300; i++) {
        if (daemon_read_pidfile(path, &pid) == expect) {
            return;
        }
        test_sleep_msec(10);
    }
    fail_msg("%s never read as %d", path, expect);
}

static void
test_rundir(void **state)
{
    char *nested = xasprintf("%s/a/b", tmpdir);
    setenv("TERN_RUNDIR", nested, 1);
    assert_string_equal(daemon_rundir(), nested);
    struct stat st;
    assert_int_equal(stat(nested, &st), 0);
    assert_true(S_ISDIR(st.st_mode));

    char *pidfile = daemon_default_pidfile("tern-x");
    char *expect = xasprintf("%s/tern-x.pid", nested);
    assert_string_equal(pidfile, expect);
    free(pidfile);
    free(expect);

    setenv("TERN_RUNDIR", tmpdir, 1);
    assert_string_equal(daemon_rundir(), tmpdir);
    rmdir(nested);
    char *a = xasprintf("%s/a", tmpdir);
    rmdir(a);
    free(a);
    free(nested);
}

static void
test_read_pidfile_states(void **state)
{
    char path[128];
    snprintf(path, sizeof path, "%s/states.pid", tmpdir);
    pid_t pid = 12345;

    assert_int_equal(daemon_read_pidfile(path, &pid), ENOENT);

    /* Contents without a lock holder are stale, whatever they say. */
    FILE *f = fopen(path, "w");
    fprintf(f, "%ld\n", (long)getppid());
    fclose(f);
    assert_int_equal(daemon_read_pidfile(path, &pid), ESRCH);
    f = fopen(path, "w");
    fprintf(f, "garbage");
    fclose(f);
    assert_int_equal(daemon_read_pidfile(path, &pid), ESRCH);
    assert_int_equal(pid, 12345);

    /* A running (undetached) daemon takes over the stale file. */
    char err[128];
    snprintf(err, sizeof err, "%s/err", tmpdir);
    pid_t child = launch(path, false, RUN_UNTIL_SIGNAL, err);
    wait_pidfile(path, 0);
    assert_int_equal(daemon_read_pidfile(path, &pid), 0);
    assert_int_equal(pid, child);
    /* The lock names the holder at once; the contents follow. */
    char *expect = xasprintf("%ld\n", (long)child);
    for (int i = 0; i < 300; i++) {
        char *text = test_slurp(path);
        bool match = !strcmp(text, expect);
        free(text);
        if (match) {
            break;
        }
        assert_true(i < 299);
        test_sleep_msec(10);
    }
    free(expect);

    kill(child, SIGTERM);
    assert_int_equal(wait_status(child), 0);
    assert_int_equal(daemon_read_pidfile(path, &pid), ENOENT);

    unlink(err);
}

static void
test_detach(void **state)
{
    char path[128];
    snprintf(path, sizeof path, "%s/detach.pid", tmpdir);
    char err[128];
    snprintf(err, sizeof err, "%s/err", tmpdir);

    /* The launcher exits 0 once the daemon is ready; the daemon lives on
     * in its own session with "/" as its directory. */
    pid_t launcher = launch(path, true, RUN_UNTIL_SIGNAL, err);
    assert_int_equal(wait_status(launcher), 0);
    pid_t pid;
    assert_int_equal(daemon_read_pidfile(path, &pid), 0);
    detached_pid = pid;
    assert_true(pid != launcher);
    assert_int_equal(kill(pid, 0), 0);
    assert_int_equal(getsid(pid), pid);
    char link[64], cwd[256];
    snprintf(link, sizeof link, "/proc/%ld/cwd", (long)pid);
    ssize_t n = readlink(link, cwd, sizeof cwd - 1);
    assert_true(n > 0);
    cwd[n] = '\0';
    assert_string_equal(cwd, "/");

    /* A second instance refuses to start and says why; its launcher
     * reports the failure. */
    char err2[128];
    snprintf(err2, sizeof err2, "%s/err2", tmpdir);
    launcher = launch(path, true, RUN_UNTIL_SIGNAL, err2);
    assert_int_equal(wait_status(launcher), 1);
    char *text = test_slurp(err2);
    char *expect = xasprintf("already running as pid %ld", (long)pid);
    if (!strstr(text, expect)) {
        fail_msg("stderr \"%s\" lacks \"%s\"", text, expect);
    }
    free(text);
    free(expect);

    /* The first one still owns the pidfile; SIGTERM stops it and it
     * removes the file on the way out. */
    pid_t pid2;
    assert_int_equal(daemon_read_pidfile(path, &pid2), 0);
    assert_int_equal(pid2, pid);
    kill(pid, SIGTERM);
    detached_pid = 0;
    wait_pidfile(path, ENOENT);

    unlink(err);
    unlink(err2);
}

static void
test_detach_child_fails(void **state)
{
    char path[128];
    snprintf(path, sizeof path, "%s/fail.pid", tmpdir);
    char err[128];
    snprintf(err, sizeof err, "%s/err", tmpdir);

    /* The child's exit status reaches whoever ran the launcher. */
    pid_t launcher = launch(path, true, FAIL_EARLY, err);
    assert_int_equal(wait_status(launcher), 7);
    pid_t pid;
    assert_int_equal(daemon_read_pidfile(path, &pid), ESRCH);

    unlink(path);
    unlink(err);
}

static void
test_signals(void **state)
{
    daemon_install_signal_handlers();
    daemon_install_signal_handlers(); /* Harmless twice. */
    int fd = daemon_signal_fd();
    assert_true(fd >= 0);
    assert_false(daemon_should_exit());
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    assert_int_equal(poll(&pfd, 1, 0), 0);

    /* SIGPIPE is ignored: writing to a closed pipe fails with EPIPE. */
    int p[2];
    assert_int_equal(pipe(p), 0);
    close(p[0]);
    assert_int_equal(write(p[1], "x", 1), -1);
    assert_int_equal(errno, EPIPE);
    close(p[1]);

    raise(SIGINT);
    assert_true(daemon_should_exit());
    assert_int_equal(poll(&pfd, 1, 1000), 1);
}

static void
usage_unused(void)
{
    fail_msg("usage printed");
}

/* Parses 'argv' (NULL-terminated) into 'opts' as a daemon "tern-t" does,
 * with one option of its own; returns how often that option was seen. */
static int
parse(char **argv, struct daemon_options *opts)
{
    static const struct option long_options[] = {
        DAEMON_LONG_OPTIONS,
        {"own", no_argument, NULL, DAEMON_OPT_END},
        {NULL, 0, NULL, 0},
    };
    int argc = 0;
    int n_own = 0;
    int c;

    while (argv[argc]) {
        argc++;
    }
    optind = 0; /* Restarts getopt. */
    memset(opts, 0, sizeof *opts);
    while ((c = getopt_long(argc, argv, DAEMON_SHORT_OPTIONS, long_options,
                            NULL)) != -1) {
        if (!daemon_parse_option(c, optarg, "tern-t", usage_unused, opts)) {
            assert_int_equal(c, DAEMON_OPT_END);
            n_own++;
        }
    }
    return n_own;
}

static void
test_parse_options(void **state)
{
    struct daemon_options o;
    char *none[] = {"tern-t", NULL};

    assert_int_equal(parse(none, &o), 0);
    assert_null(o.pidfile);
    assert_false(o.detach);
    assert_null(o.log_file);
    assert_null(o.unixctl);
    daemon_options_destroy(&o);

    char *defaults[] = {"tern-t",   "--pidfile",  "--own",
                        "--detach", "--log-file", "-vdaemon:file:info",
                        "--own",    NULL};
    setenv("TERN_LOGDIR", "/logs", 1);
    assert_int_equal(parse(defaults, &o), 2);
    char *pidfile = xasprintf("%s/tern-t.pid", tmpdir);
    assert_string_equal(o.pidfile, pidfile);
    assert_true(o.detach);
    assert_string_equal(o.log_file, "/logs/tern-t.log");
    assert_null(o.unixctl);
    free(pidfile);
    daemon_options_destroy(&o);

    /* Names without '/' are in the run directory; later options win. */
    char *named[] = {"tern-t",
                     "--pidfile=p.pid",
                     "--unixctl=c.ctl",
                     "--unixctl=/x/y.ctl",
                     "--log-file=/a/b.log",
                     NULL};
    assert_int_equal(parse(named, &o), 0);
    pidfile = xasprintf("%s/p.pid", tmpdir);
    assert_string_equal(o.pidfile, pidfile);
    assert_string_equal(o.unixctl, "/x/y.ctl");
    assert_string_equal(o.log_file, "/a/b.log");
    free(pidfile);
    daemon_options_destroy(&o);
    char *in = daemon_in_rundir("c.ctl");
    char *want = xasprintf("%s/c.ctl", tmpdir);
    assert_string_equal(in, want);
    free(in);
    free(want);
    unsetenv("TERN_LOGDIR");

    /* The log file's missing directories are created. */
    char *log = xasprintf("%s/logs/sub/d.log", tmpdir);
    daemon_open_log_file(log);
    assert_int_equal(access(log, F_OK), 0);
    assert_int_equal(vlog_set_log_file(NULL), 0);
    daemon_open_log_file(NULL);
    free(log);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_options),
        cmocka_unit_test(test_rundir),
        cmocka_unit_test(test_read_pidfile_states),
        cmocka_unit_test_teardown(test_detach, kill_detached),
        cmocka_unit_test(test_detach_child_fails),
        cmocka_unit_test(test_signals),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
