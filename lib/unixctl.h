/* SPDX-License-Identifier: Apache-2.0 */
/*
 * unixctl: the daemon's control socket — JSON-RPC 1.0 over a unix socket,
 * the protocol of Open vSwitch's ovs-appctl (so both tern-appctl and
 * ovs-appctl can talk to Tern).  A request is
 *     {"method": "dpctl/show", "params": ["arg", ...], "id": N}
 * and the reply {"result": "text", "error": null, "id": N} or
 * {"result": null, "error": "message", "id": N}.
 *
 * Commands register a handler with an argument count range; the server
 * checks the count, calls the handler, and the handler answers through
 * unixctl_command_reply() or unixctl_command_reply_error() (exactly once,
 * before returning).  Non-empty replies are sent ending in a new-line (one
 * is appended if missing), as Open vSwitch's daemons do.  "help" and
 * "list-commands" are built in.
 *
 * Limits: requests over UNIXCTL_MAX_REQUEST bytes, non-JSON or non-object
 * input, wrong types of method/params/id close that connection with an
 * error reply; other clients are unaffected.  At most UNIXCTL_MAX_CONNS
 * connections at once.
 *
 * Threads: everything here runs on the main thread.
 */
#ifndef TERN_UNIXCTL_H
#define TERN_UNIXCTL_H 1

#include "lib/util.h"

#define UNIXCTL_MAX_REQUEST (1024 * 1024)
#define UNIXCTL_MAX_CONNS   64

struct unixctl_server;
struct unixctl_conn;

typedef void unixctl_cb_func(struct unixctl_conn *, int argc,
                             const char *argv[], void *aux);

/* Registers 'name' with a usage string; argv[0] is the command name and
 * argv[1..argc-1] the arguments, between min_args and max_args of them. */
void unixctl_command_register(const char *name, const char *usage,
                              int min_args, int max_args, unixctl_cb_func *cb,
                              void *aux);
void unixctl_command_reply(struct unixctl_conn *, const char *result);
void unixctl_command_reply_error(struct unixctl_conn *, const char *error);

/* Creates a server listening at 'path' (an existing stale socket file is
 * replaced).  Returns 0 or a positive errno. */
int unixctl_server_create(const char *path, struct unixctl_server **);
/* Accepts connections and serves complete requests, without blocking. */
void unixctl_server_run(struct unixctl_server *);
/* Appends the server's file descriptors to 'fds' (for poll()); returns the
 * number added, at most 'max'. */
int unixctl_server_fds(const struct unixctl_server *, int *fds, int max);
void unixctl_server_destroy(struct unixctl_server *);

/* Returns the control socket path for daemon 'name' run by this process:
 * "RUNDIR/NAME.PID.ctl" (RUNDIR from daemon_rundir()).  The caller frees
 * the result. */
char *unixctl_default_path(const char *name);
/* Resolves a tern-appctl target: a string containing '/' is a socket path
 * used as is; otherwise it names a daemon: "RUNDIR/NAME.ctl" if that socket
 * exists (daemons started by tern-ctl), else the "RUNDIR/NAME.PID.ctl" of
 * the PID in its pidfile RUNDIR/NAME.pid.  Returns 0 with '*path' set
 * (caller frees) or a positive errno from daemon_read_pidfile(). */
int unixctl_target_path(const char *target, char **path);

/* Client side (tern-appctl): connects to 'path', sends one request,
 * waits up to 'timeout_ms' for the reply.  Returns 0 with *result or *error
 * set (caller frees) or a positive errno for transport failures
 * (ETIMEDOUT when the reply is late).  'timeout_ms' <= 0 waits forever. */
int unixctl_client_transact(const char *path, const char *method, int argc,
                            const char *argv[], int timeout_ms, char **result,
                            char **error);

#endif /* TERN_UNIXCTL_H */
