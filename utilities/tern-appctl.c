/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tern-appctl: sends one command to a Tern daemon's control socket and
 * prints the answer, as ovs-appctl does for Open vSwitch daemons.
 *
 * The target is a socket path (anything containing '/') or a daemon name
 * resolved through its pidfile in the run directory
 * ($TERN_RUNDIR/NAME.pid -> PID -> $TERN_RUNDIR/NAME.PID.ctl); see
 * unixctl_target_path().  Exit status: 0 when the command succeeded (its
 * output on stdout), 2 when the daemon answered with an error (on stderr),
 * 1 when the daemon could not be reached or did not answer in time.
 */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>

#include "lib/daemon.h"
#include "lib/unixctl.h"
#include "lib/util.h"

static void
usage(void)
{
    printf("%s: Tern daemon control utility\n"
           "usage: %s [OPTIONS] COMMAND [ARG...]\n"
           "\n"
           "Sends COMMAND with its ARGs to a running Tern daemon and prints\n"
           "the reply.  \"%s list-commands\" shows the daemon's commands.\n"
           "\n"
           "Options:\n"
           "  -t, --target=TARGET  daemon name or control socket path\n"
           "                       (default: tern-vswitchd)\n"
           "  -T, --timeout=SECS   give up after SECS seconds\n"
           "                       (default: wait as long as it takes)\n"
           "  -h, --help           display this help message\n"
           "  -V, --version        display version information\n"
           "\n"
           "A TARGET containing '/' is a socket path; otherwise it names a\n"
           "daemon whose pidfile and socket are in $TERN_RUNDIR (default "
           "%s).\n"
           "Exit status: 0 on success, 2 if the daemon reported an error,\n"
           "1 if it could not be reached.\n",
           get_program_name(), get_program_name(), get_program_name(),
           TERN_RUNDIR_DEFAULT);
}

/* Parses the options; stores the target and timeout (in milliseconds, 0 for
 * none) and returns the index of the command in 'argv'. */
static int
parse_options(int argc, char *argv[], const char **target, int *timeout_ms)
{
    static const struct option long_options[] = {
        {"target", required_argument, NULL, 't'},
        {"timeout", required_argument, NULL, 'T'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    uint32_t secs;
    int c;

    /* '+': stop at the command, so that its arguments may look like
     * options. */
    while ((c = getopt_long(argc, argv, "+t:T:hV", long_options, NULL)) !=
           -1) {
        switch (c) {
        case 't':
            *target = optarg;
            break;
        case 'T':
            if (!str_to_u32(optarg, &secs) || secs > INT32_MAX / 1000) {
                tern_fatal("value %s on -T or --timeout is invalid", optarg);
            }
            *timeout_ms = (int)secs * 1000;
            break;
        case 'h':
            usage();
            exit(0);
        case 'V':
            printf("%s (Tern) %s\n", get_program_name(), PACKAGE_VERSION);
            exit(0);
        default:
            fprintf(stderr, "Try `%s --help' for more information.\n",
                    get_program_name());
            exit(1);
        }
    }
    if (optind >= argc) {
        tern_fatal("at least one non-option argument is required "
                   "(use --help for help)");
    }
    return optind;
}

int
main(int argc, char *argv[])
{
    const char *target = "tern-vswitchd";
    int timeout_ms = 0;
    char *path, *result, *error;

    set_program_name(argv[0]);
    int cmd = parse_options(argc, argv, &target, &timeout_ms);

    int retval = unixctl_target_path(target, &path);
    if (retval) {
        char *pidfile = daemon_default_pidfile(target);
        tern_fatal("cannot find the control socket of %s: %s: %s (is it "
                   "running?)",
                   target, pidfile,
                   retval == ESRCH ? "stale pidfile" : tern_strerror(retval));
    }

    retval = unixctl_client_transact(path, argv[cmd], argc - cmd - 1,
                                     (const char **)&argv[cmd + 1], timeout_ms,
                                     &result, &error);
    if (retval == ETIMEDOUT) {
        tern_fatal("%s: no reply within %d seconds", path, timeout_ms / 1000);
    } else if (retval) {
        tern_fatal("%s: transaction error (%s)", path, tern_strerror(retval));
    }
    free(path);

    if (error) {
        fputs(error, stderr);
        if (!*error || error[strlen(error) - 1] != '\n') {
            fputc('\n', stderr);
        }
        free(error);
        return 2;
    }
    fputs(result, stdout);
    free(result);
    return 0;
}
