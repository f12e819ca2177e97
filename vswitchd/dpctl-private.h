/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dpctl-private: what the two halves of the dpctl/ commands share — the
 * command table entry, the parsed arguments a handler receives, and the
 * helpers that find the datapath a command names.  dpctl.c holds the
 * datapath and port commands and the dispatcher; dpctl-flow.c the flow
 * commands.  Main thread only.
 */
#ifndef TERN_DPCTL_PRIVATE_H
#define TERN_DPCTL_PRIVATE_H 1

#include "datapath/dpif.h"
#include "lib/util.h"

/* Flags a command may accept. */
enum dpctl_flag {
    DPCTL_F_STATS = 1 << 0,      /* -s, --statistics */
    DPCTL_F_MORE = 1 << 1,       /* -m, --more */
    DPCTL_F_CLEAR = 1 << 2,      /* --clear */
    DPCTL_F_MAY_CREATE = 1 << 3, /* --may-create */
};

/* A request as a handler sees it: the positional arguments (flags already
 * removed; the strings belong to the request) and an output buffer that the
 * dispatcher sends back when the handler succeeds. */
struct dpctl_args {
    int argc;
    const char **argv;
    unsigned int flags; /* enum dpctl_flag bits given. */
    struct ds out;
};

/* Runs a command.  Returns NULL on success or an error message that the
 * caller frees. */
typedef char *dpctl_handler(struct dpctl_args *);

struct dpctl_command {
    const char *name; /* Without the "dpctl/" prefix. */
    const char *usage;
    int min_args; /* Positional arguments, flags not counted. */
    int max_args;
    unsigned int flags; /* enum dpctl_flag bits accepted. */
    dpctl_handler *run;
};

/* Returns the flow commands' table (static storage) and its size. */
const struct dpctl_command *dpctl_flow_commands(size_t *n);

/* Finds the datapath 'arg' names ("NAME" or "netdev@NAME").  Returns NULL
 * and sets *dpifp, or returns an error message (caller frees). */
char *dpctl_find_dp(const char *arg, struct dpif **dpifp);
/* Sets *dpifp to the only datapath, or returns an error message. */
char *dpctl_default_dp(struct dpif **dpifp);
/* For commands "[DP] ARG..." with 'n_fixed' arguments after the optional
 * DP: if there are more than 'n_fixed' arguments, the first names the
 * datapath and is removed from 'args'; otherwise the only datapath is
 * used.  Returns NULL or an error message. */
char *dpctl_optional_dp(struct dpctl_args *args, int n_fixed,
                        struct dpif **dpifp);

#endif /* TERN_DPCTL_PRIVATE_H */
