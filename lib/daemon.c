/* SPDX-License-Identifier: Apache-2.0 */
/*
 * daemon: detaching, pidfiles, the run directory and exit signals for Tern
 * daemons (see daemon.h for the start-up sequence and guarantees).
 *
 * Detaching uses a pipe from the child to the parent: the parent blocks
 * reading it and exits 0 when the child writes one byte from
 * daemonize_complete(), or with the child's status when the pipe closes
 * without that byte because the child died.
 *
 * The pidfile is locked in place rather than written to a temporary file
 * and renamed: the process that wins F_SETLK on the path's file owns it.
 * After locking, the owner checks that the path still names the file it
 * locked (a previous owner may have unlinked it on exit in between) and
 * retries otherwise.
 */
#include <config.h>

#include "lib/daemon.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/util.h"
#include "lib/vlog.h"

VLOG_DEFINE_THIS_MODULE(daemon);

#ifndef TERN_RUNDIR_DEFAULT
#define TERN_RUNDIR_DEFAULT "/var/run/tern"
#endif
#ifndef TERN_LOGDIR_DEFAULT
#define TERN_LOGDIR_DEFAULT "/var/log/tern"
#endif

static char *pidfile_path;  /* From daemon_set_pidfile(). */
static int pidfile_fd = -1; /* Locked pidfile, while we own it. */
static pid_t pidfile_owner; /* Process that created the pidfile. */
static bool detach;
static int ready_fd = -1; /* Child's end of the pipe to the parent. */

static atomic_bool exit_requested;
static int signal_pipe[2] = {-1, -1};

void
daemon_set_pidfile(const char *path)
{
    free(pidfile_path);
    pidfile_path = path ? xstrdup(path) : NULL;
}

void
daemon_set_detach(bool detach_)
{
    detach = detach_;
}

/* Signals. */

static void
daemon_signal_handler__(int sig)
{
    int save_errno = errno;
    atomic_store(&exit_requested, true);
    if (signal_pipe[1] >= 0) {
        char c = (char)sig;
        /* Non-blocking: a full pipe already wakes the reader. */
        ssize_t n TERN_UNUSED = write(signal_pipe[1], &c, 1);
    }
    errno = save_errno;
}

void
daemon_install_signal_handlers(void)
{
    if (signal_pipe[0] < 0 && pipe2(signal_pipe, O_CLOEXEC | O_NONBLOCK)) {
        tern_fatal("pipe failed: %s", tern_strerror(errno));
    }

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = daemon_signal_handler__;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

bool
daemon_should_exit(void)
{
    return atomic_load(&exit_requested);
}

void
daemon_request_exit(void)
{
    daemon_signal_handler__(0);
}

int
daemon_signal_fd(void)
{
    return signal_pipe[0];
}

/* Pidfile. */

void
daemon_remove_pidfile(void)
{
    if (pidfile_fd >= 0 && pidfile_owner == getpid()) {
        unlink(pidfile_path);
        close(pidfile_fd);
        pidfile_fd = -1;
    }
}

static void
daemon_atexit__(void)
{
    daemon_remove_pidfile();
}

/* Parses the decimal pid in the file open on 'fd'.  Returns it or 0. */
static pid_t
daemon_parse_pid__(int fd)
{
    char buf[32];
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    if (n <= 0) {
        return 0;
    }
    buf[n] = '\0';
    char *end;
    long pid = strtol(buf, &end, 10);
    return pid > 0 && (*end == '\n' || !*end) ? (pid_t)pid : 0;
}

int
daemon_read_pidfile(const char *path, pid_t *pidp)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return errno;
    }

    struct flock lk = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    int error = 0;
    if (fcntl(fd, F_GETLK, &lk)) {
        error = errno;
    } else {
        pid_t pid = daemon_parse_pid__(fd);
        if (lk.l_type != F_UNLCK) {
            /* Locked: the holder is alive.  The lock names it even
             * while it is still rewriting the file; the file's contents
             * serve only when the holder is in another pid namespace
             * (l_pid 0). */
            *pidp = lk.l_pid > 0 ? lk.l_pid : pid;
            if (!*pidp) {
                error = EAGAIN;
            }
        } else if (pid && pid == getpid() && pidfile_fd >= 0) {
            /* Our own lock does not conflict with ourselves. */
            *pidp = pid;
        } else {
            error = ESRCH;
        }
    }
    close(fd);
    return error;
}

/* Takes the pidfile at 'pidfile_path' or exits with an error. */
static void
daemon_make_pidfile__(void)
{
    for (int attempt = 0; attempt < 10; attempt++) {
        int fd = open(pidfile_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0) {
            tern_fatal("%s: create failed: %s", pidfile_path,
                       tern_strerror(errno));
        }
        struct flock lk = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
        if (fcntl(fd, F_SETLK, &lk)) {
            int error = errno;
            pid_t pid = daemon_parse_pid__(fd);
            close(fd);
            if (error == EACCES || error == EAGAIN) {
                tern_fatal("%s: already running as pid %ld", pidfile_path,
                           (long)pid);
            }
            tern_fatal("%s: lock failed: %s", pidfile_path,
                       tern_strerror(error));
        }

        struct stat fst, pst;
        if (fstat(fd, &fst) || stat(pidfile_path, &pst) ||
            fst.st_ino != pst.st_ino || fst.st_dev != pst.st_dev) {
            /* Unlinked by its previous owner after we opened it. */
            close(fd);
            continue;
        }

        char buf[32];
        int len = snprintf(buf, sizeof buf, "%ld\n", (long)getpid());
        if (ftruncate(fd, 0) || pwrite(fd, buf, len, 0) != len) {
            tern_fatal("%s: write failed: %s", pidfile_path,
                       tern_strerror(errno));
        }
        pidfile_fd = fd;
        pidfile_owner = getpid();

        static bool registered;
        if (!registered) {
            registered = true;
            atexit(daemon_atexit__);
        }
        return;
    }
    tern_fatal("%s: keeps disappearing", pidfile_path);
}

/* Detaching. */

/* In the parent after fork(): waits for the child 'pid' to report on
 * 'fd' and exits accordingly. */
static void TERN_NORETURN
daemon_parent_wait__(pid_t pid, int fd)
{
    char c;
    ssize_t n;
    do {
        n = read(fd, &c, 1);
    } while (n < 0 && errno == EINTR);
    if (n == 1) {
        _exit(0);
    }

    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            _exit(1);
        }
    }
    if (WIFEXITED(status)) {
        _exit(WEXITSTATUS(status) ? WEXITSTATUS(status) : 1);
    }
    if (WIFSIGNALED(status)) {
        fprintf(stderr, "%s: child died before start-up finished (%s)\n",
                get_program_name(), strsignal(WTERMSIG(status)));
    }
    _exit(1);
}

void
daemonize_start(void)
{
    if (detach) {
        int fds[2];
        if (pipe2(fds, O_CLOEXEC)) {
            tern_fatal("pipe failed: %s", tern_strerror(errno));
        }
        fflush(NULL);
        pid_t pid = fork();
        if (pid < 0) {
            tern_fatal("fork failed: %s", tern_strerror(errno));
        } else if (pid > 0) {
            close(fds[1]);
            daemon_parent_wait__(pid, fds[0]);
        }
        close(fds[0]);
        ready_fd = fds[1];
        setsid();
    }
    if (pidfile_path) {
        daemon_make_pidfile__();
    }
    daemon_install_signal_handlers();
}

/* Points file descriptor 'target' at /dev/null. */
static void
daemon_null_fd__(int target)
{
    int fd = open("/dev/null", O_RDWR);
    if (fd >= 0) {
        if (fd != target) {
            dup2(fd, target);
            close(fd);
        }
    }
}

void
daemonize_complete(void)
{
    if (ready_fd < 0) {
        return;
    }

    /* Finish detaching first, so that whoever waits for the parent to exit
     * finds the daemon fully detached. */
    if (chdir("/")) {
        VLOG_WARN("chdir(\"/\") failed: %s", tern_strerror(errno));
    }
    fflush(NULL);
    daemon_null_fd__(STDIN_FILENO);
    daemon_null_fd__(STDOUT_FILENO);
    daemon_null_fd__(STDERR_FILENO);

    char c = 0;
    ssize_t n;
    do {
        n = write(ready_fd, &c, 1);
    } while (n < 0 && errno == EINTR);
    close(ready_fd);
    ready_fd = -1;
}

/* Run directory. */

/* Creates directory 'path' and its missing parents.  Returns 0 or a
 * positive errno. */
static int
daemon_mkdir_p__(const char *path)
{
    char *copy = xstrdup(path);
    int error = 0;
    for (char *p = copy + 1;; p++) {
        if (*p == '/' || !*p) {
            char save = *p;
            *p = '\0';
            if (mkdir(copy, 0755) && errno != EEXIST) {
                error = errno;
                break;
            }
            *p = save;
            if (!save) {
                break;
            }
        }
    }
    free(copy);
    return error;
}

const char *
daemon_rundir(void)
{
    /* Keeps the result for as long as the environment says the same. */
    static char *rundir;
    const char *env = getenv("TERN_RUNDIR");
    const char *dir = env && *env ? env : TERN_RUNDIR_DEFAULT;

    if (!rundir || strcmp(rundir, dir)) {
        free(rundir);
        rundir = xstrdup(dir);
        struct stat st;
        if (stat(rundir, &st)) {
            int error = daemon_mkdir_p__(rundir);
            if (error) {
                VLOG_WARN("%s: cannot create run directory: %s", rundir,
                          tern_strerror(error));
            }
        }
    }
    return rundir;
}

char *
daemon_default_pidfile(const char *name)
{
    return xasprintf("%s/%s.pid", daemon_rundir(), name);
}

/* Command line. */

char *
daemon_in_rundir(const char *name)
{
    return strchr(name, '/') ? xstrdup(name)
                             : xasprintf("%s/%s", daemon_rundir(), name);
}

const char *
daemon_logdir(void)
{
    const char *dir = getenv("TERN_LOGDIR");
    return dir && *dir ? dir : TERN_LOGDIR_DEFAULT;
}

static void
daemon_set_string__(char **dst, char *value)
{
    free(*dst);
    *dst = value;
}

bool
daemon_parse_option(int c, const char *arg, const char *name,
                    void (*usage)(void), struct daemon_options *opts)
{
    char *error;

    switch (c) {
    case DAEMON_OPT_PIDFILE:
        daemon_set_string__(&opts->pidfile,
                            arg ? daemon_in_rundir(arg)
                                : daemon_default_pidfile(name));
        return true;
    case DAEMON_OPT_DETACH:
        opts->detach = true;
        return true;
    case DAEMON_OPT_LOG_FILE:
        daemon_set_string__(
            &opts->log_file,
            arg ? xstrdup(arg)
                : xasprintf("%s/%s.log", daemon_logdir(), name));
        return true;
    case DAEMON_OPT_UNIXCTL:
        daemon_set_string__(&opts->unixctl, daemon_in_rundir(arg));
        return true;
    case 'v':
        error = vlog_set_levels_from_string(arg ? arg : "ANY:ANY:dbg");
        if (error) {
            tern_fatal("--verbose: %s", error);
        }
        return true;
    case 'h':
        usage();
        exit(EXIT_SUCCESS);
    case 'V':
        printf("%s (Tern) %s\n", name, PACKAGE_VERSION);
        exit(EXIT_SUCCESS);
    case '?':
        fprintf(stderr, "Try '%s --help' for more information.\n",
                get_program_name());
        exit(EXIT_FAILURE);
    default:
        return false;
    }
}

void
daemon_options_destroy(struct daemon_options *opts)
{
    free(opts->pidfile);
    free(opts->log_file);
    free(opts->unixctl);
}

void
daemon_usage(const char *name, const char *unixctl_default)
{
    printf("Daemon options:\n"
           "  --pidfile[=FILE]       create pidfile (default: "
           "RUNDIR/%s.pid)\n"
           "  --detach               run in background as a daemon\n"
           "  --unixctl=SOCKET       control socket (default: %s)\n"
           "\n"
           "Logging options:\n"
           "  -vSPEC, --verbose=SPEC set logging levels (as vlog/set)\n"
           "  -v, --verbose          set maximum verbosity level\n"
           "  --log-file[=FILE]      log to FILE (default: "
           "LOGDIR/%s.log)\n"
           "\n"
           "Other options:\n"
           "  -h, --help             display this help message\n"
           "  -V, --version          display version information\n",
           name, unixctl_default, name);
}

void
daemon_open_log_file(const char *path)
{
    if (!path) {
        return;
    }
    const char *slash = strrchr(path, '/');
    if (slash && slash != path) {
        char *dir = xmemdup(path, slash - path + 1);
        dir[slash - path] = '\0';
        daemon_mkdir_p__(dir); /* Opening the file reports any failure. */
        free(dir);
    }
    int error = vlog_set_log_file(path);
    if (error) {
        tern_fatal("%s: cannot open log file: %s", path, tern_strerror(error));
    }
}

void
daemon_start(const struct daemon_options *opts)
{
    daemon_open_log_file(opts->log_file);
    daemon_set_pidfile(opts->pidfile);
    daemon_set_detach(opts->detach);
    daemonize_start();
}
