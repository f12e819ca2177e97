/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofctl-private: what tern-ofctl's files share — the options, the blocking
 * OpenFlow client (connection, hello exchange, request/reply matching by
 * xid, multipart dumps, barriers) in tern-ofctl.c, and the flow, group and
 * meter commands in ofctl-flows.c.
 *
 * Every function here exits the process with a message on failure, as a
 * command-line tool does: callers never see an error.
 */
#ifndef TERN_UTILITIES_OFCTL_PRIVATE_H
#define TERN_UTILITIES_OFCTL_PRIVATE_H 1

#include "lib/ofp-msgs.h"
#include "lib/ofp-match.h"
#include "lib/ofpbuf.h"

/* Options. */
struct ofctl_options {
    uint32_t versions; /* -O: bitmap of allowed versions. */
    bool names;        /* --names / --no-names for output. */
    bool no_stats;     /* --no-stats. */
    const char *sort;  /* --sort[=FIELD]: "" for the default order. */
    bool rsort;        /* --rsort instead of --sort. */
    bool strict;       /* --strict. */
    bool bundle;       /* --bundle. */
    int verbosity;     /* For ofp-print style output (2). */
};
extern struct ofctl_options ofctl_opts;

/* A connection to a switch. */
struct ofctl_conn {
    struct stream *stream;
    char *name;               /* Stream name ("unix:..."). */
    enum ofp_version version; /* Negotiated. */
    struct ofp_port_names pn; /* Names of the switch's ports (lazy). */
    char **port_names;        /* Indexed by slot; see tern-ofctl.c. */
    uint32_t *port_nos;
    size_t n_ports;
    bool ports_fetched;
};

/* Opens 'target' ("BRIDGE", "unix:PATH", "tcp:IP:PORT") and exchanges
 * hellos. */
void ofctl_open(const char *target, struct ofctl_conn *);
void ofctl_close(struct ofctl_conn *);
/* Sends 'msg' (ownership passes to the callee). */
void ofctl_send(struct ofctl_conn *, struct ofpbuf *msg);
/* Receives one message, answering echo requests on the way (caller frees
 * the result). */
struct ofpbuf *ofctl_recv(struct ofctl_conn *);
/* Sends 'request' and returns the reply with its xid (caller frees); an
 * error reply is printed and exits. */
struct ofpbuf *ofctl_transact(struct ofctl_conn *, struct ofpbuf *request);
/* Sends 'request' (multipart) and calls 'cb' for every reply message until
 * the last one. */
typedef void ofctl_reply_cb(const struct ofp_msg *, void *aux);
void ofctl_dump(struct ofctl_conn *, struct ofpbuf *request,
                ofctl_reply_cb *cb, void *aux);
/* Sends 'msgs' (ownership passes) and a barrier, and waits for the
 * barrier reply; errors replied to any of them are printed and exit. */
void ofctl_transact_noreply(struct ofctl_conn *, struct ofpbuf **msgs,
                            size_t n);
/* Same, inside one atomic, ordered bundle when --bundle was given. */
void ofctl_send_mods(struct ofctl_conn *, struct ofpbuf **msgs, size_t n);
/* Port names for text input and output ('for_output' honours
 * --no-names). */
const struct ofp_port_names *ofctl_port_names(struct ofctl_conn *,
                                              bool for_output);
/* Prints 'msg' (whole message) as ofp-print does, to stdout. */
void ofctl_print_msg(struct ofctl_conn *, const void *msg, size_t len);

/* Reads the lines of FILE ("-" for stdin), skipping blank lines and
 * comments; returns the array (caller frees each and the array). */
char **ofctl_read_lines(const char *file, size_t *n);

/* Commands in ofctl-flows.c: argv[0] is the command, argv[1] the target. */
void ofctl_dump_flows(int argc, char *argv[]);
void ofctl_dump_aggregate(int argc, char *argv[]);
void ofctl_add_flow(int argc, char *argv[]);
void ofctl_add_flows(int argc, char *argv[]);
void ofctl_mod_flows(int argc, char *argv[]);
void ofctl_del_flows(int argc, char *argv[]);
void ofctl_replace_flows(int argc, char *argv[]);
void ofctl_diff_flows(int argc, char *argv[]);
void ofctl_add_group(int argc, char *argv[]);
void ofctl_add_groups(int argc, char *argv[]);
void ofctl_mod_group(int argc, char *argv[]);
void ofctl_del_groups(int argc, char *argv[]);
void ofctl_dump_groups(int argc, char *argv[]);
void ofctl_dump_group_stats(int argc, char *argv[]);
void ofctl_add_meter(int argc, char *argv[]);
void ofctl_add_meters(int argc, char *argv[]);
void ofctl_mod_meter(int argc, char *argv[]);
void ofctl_del_meters(int argc, char *argv[]);
void ofctl_dump_meters(int argc, char *argv[]);
void ofctl_meter_stats(int argc, char *argv[]);

#endif /* TERN_UTILITIES_OFCTL_PRIVATE_H */
