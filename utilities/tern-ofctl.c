/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tern-ofctl: the OpenFlow command-line client, with ovs-ofctl's command
 * language and output.  This file holds the options, the command table,
 * the blocking OpenFlow client over lib/stream (hello exchange, requests
 * matched to replies by xid, multipart dumps, barriers, bundles) and the
 * switch-level commands (show, dump-desc, dump-tables, ports, packet-out,
 * monitor, snoop, ofp-print); ofctl-flows.c has the flow, group and meter
 * commands.  Text goes through lib/ofp-print and the family modules, so
 * tern-ofctl prints what a controller log or a test would.
 */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <stdlib.h>
#include <unistd.h>

#include "lib/daemon.h"
#include "lib/ofp-actions.h"
#include "lib/ofp-bundle.h"
#include "lib/ofp-packet.h"
#include "lib/ofp-port.h"
#include "lib/ofp-print.h"
#include "lib/ofp-switch.h"
#include "lib/stream.h"
#include "lib/util.h"
#include "utilities/ofctl-private.h"

struct ofctl_options ofctl_opts = {
    .versions = 1u << OFP10_VERSION,
    .verbosity = 2,
};

/* The client. */

static void
wait_fd(int fd, short events)
{
    struct pollfd pfd = {.fd = fd, .events = events};
    while (poll(&pfd, 1, -1) < 0 && errno == EINTR) {
        continue;
    }
}

static void
send_all(struct ofctl_conn *c, const uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t k = stream_send(c->stream, p, n);
        if (k == -EAGAIN) {
            wait_fd(stream_fd(c->stream), stream_wants(c->stream, true));
        } else if (k < 0) {
            tern_fatal("%s: send failed (%s)", c->name,
                       tern_strerror((int)-k));
        } else {
            p += k;
            n -= k;
        }
    }
}

static void
recv_all(struct ofctl_conn *c, uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t k = stream_recv(c->stream, p, n);
        if (k == -EAGAIN) {
            wait_fd(stream_fd(c->stream), stream_wants(c->stream, false));
        } else if (k == 0) {
            tern_fatal("%s: connection closed by peer", c->name);
        } else if (k < 0) {
            tern_fatal("%s: receive failed (%s)", c->name,
                       tern_strerror((int)-k));
        } else {
            p += k;
            n -= k;
        }
    }
}

void
ofctl_send(struct ofctl_conn *c, struct ofpbuf *msg)
{
    send_all(c, msg->data, msg->size);
    ofpbuf_delete(msg);
}

/* Receives one message as it comes. */
static struct ofpbuf *
recv_raw(struct ofctl_conn *c)
{
    struct ofpbuf *b = ofpbuf_new(1024);
    uint8_t *h = ofpbuf_put_uninit(b, sizeof(struct ofp_header));

    recv_all(c, h, sizeof(struct ofp_header));
    size_t len = (size_t)h[2] << 8 | h[3];
    if (len < sizeof(struct ofp_header)) {
        tern_fatal("%s: received message with length %zu", c->name, len);
    }
    size_t body = len - sizeof(struct ofp_header);
    recv_all(c, ofpbuf_put_uninit(b, body), body);
    return b;
}

struct ofpbuf *
ofctl_recv(struct ofctl_conn *c)
{
    for (;;) {
        struct ofpbuf *b = recv_raw(c);
        struct ofp_msg msg;
        if (!ofp_msg_decode(b->data, b->size, &msg) &&
            msg.type == OFPTYPE_ECHO_REQUEST) {
            ofctl_send(c, ofp_echo_reply_encode(&msg));
            ofpbuf_delete(b);
            continue;
        }
        return b;
    }
}

static uint32_t
msg_xid(const struct ofpbuf *b)
{
    tern_be32 xid;
    memcpy(&xid, b->data + 4, 4);
    return ntohl(xid);
}

static uint8_t
msg_type_byte(const struct ofpbuf *b)
{
    return b->data[1];
}

/* Prints an error reply to stderr and exits. */
static void TERN_NORETURN
die_error_reply(struct ofctl_conn *c, const struct ofpbuf *b)
{
    char *s = ofp_to_string(b->data, b->size, NULL, 2);
    fputs(s, stderr);
    free(s);
    (void)c;
    exit(1);
}

struct ofpbuf *
ofctl_transact(struct ofctl_conn *c, struct ofpbuf *request)
{
    uint32_t xid = msg_xid(request);

    ofctl_send(c, request);
    for (;;) {
        struct ofpbuf *b = ofctl_recv(c);
        if (msg_xid(b) == xid) {
            if (msg_type_byte(b) == 1 /* OFPT_ERROR */) {
                die_error_reply(c, b);
            }
            return b;
        }
        ofpbuf_delete(b);
    }
}

void
ofctl_dump(struct ofctl_conn *c, struct ofpbuf *request, ofctl_reply_cb *cb,
           void *aux)
{
    uint32_t xid = msg_xid(request);

    ofctl_send(c, request);
    for (;;) {
        struct ofpbuf *b = ofctl_recv(c);
        struct ofp_msg msg;
        if (msg_xid(b) != xid) {
            ofpbuf_delete(b);
            continue;
        }
        if (msg_type_byte(b) == 1) {
            die_error_reply(c, b);
        }
        enum ofperr error = ofp_msg_decode(b->data, b->size, &msg);
        if (error) {
            tern_fatal("%s: bad reply (%s)", c->name, ofperr_get_name(error));
        }
        cb(&msg, aux);
        bool more = ofptype_is_multipart(msg.type) &&
                    (msg.mp_flags & OFPSF_REPLY_MORE);
        ofpbuf_delete(b);
        if (!more) {
            return;
        }
    }
}

void
ofctl_transact_noreply(struct ofctl_conn *c, struct ofpbuf **msgs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        ofctl_send(c, msgs[i]);
    }
    struct ofpbuf *barrier = ofp_msg_start(OFPTYPE_BARRIER_REQUEST, c->version,
                                           ofp_msg_next_xid(), 0);
    ofp_msg_finish(barrier);
    uint32_t xid = msg_xid(barrier);
    ofctl_send(c, barrier);
    bool failed = false;
    for (;;) {
        struct ofpbuf *b = ofctl_recv(c);
        if (msg_type_byte(b) == 1) {
            char *s = ofp_to_string(b->data, b->size, NULL, 2);
            fputs(s, stderr);
            free(s);
            failed = true;
        }
        bool done = msg_xid(b) == xid;
        ofpbuf_delete(b);
        if (done) {
            break;
        }
    }
    if (failed) {
        exit(1);
    }
}

static struct ofpbuf *
bundle_ctrl(struct ofctl_conn *c, uint16_t type)
{
    struct ofp_bundle_ctrl bc = {
        .bundle_id = 0,
        .type = type,
        .flags = OFPBF_ATOMIC | OFPBF_ORDERED,
    };
    return ofp_bundle_ctrl_encode(&bc, c->version, ofp_msg_next_xid());
}

void
ofctl_send_mods(struct ofctl_conn *c, struct ofpbuf **msgs, size_t n)
{
    if (!ofctl_opts.bundle) {
        ofctl_transact_noreply(c, msgs, n);
        return;
    }
    if (c->version < OFP13_VERSION) {
        tern_fatal("--bundle needs OpenFlow 1.3 or later (use -O)");
    }
    ofpbuf_delete(ofctl_transact(c, bundle_ctrl(c, OFPBCT_OPEN_REQUEST)));
    for (size_t i = 0; i < n; i++) {
        struct ofp_bundle_add ba = {
            .bundle_id = 0,
            .flags = OFPBF_ATOMIC | OFPBF_ORDERED,
            .msg = (const struct ofp_header *)msgs[i]->data,
            .msg_len = msgs[i]->size,
        };
        ofctl_send(c,
                   ofp_bundle_add_encode(&ba, c->version, msg_xid(msgs[i])));
        ofpbuf_delete(msgs[i]);
    }
    ofpbuf_delete(ofctl_transact(c, bundle_ctrl(c, OFPBCT_COMMIT_REQUEST)));
}

static char *
target_to_stream(const char *target)
{
    if (strchr(target, ':')) {
        return xstrdup(target);
    }
    if (strchr(target, '/')) {
        return xasprintf("unix:%s", target);
    }
    return xasprintf("unix:%s/%s.mgmt", daemon_rundir(), target);
}

static void
open_stream(const char *name, struct ofctl_conn *c)
{
    memset(c, 0, sizeof *c);
    c->name = xstrdup(name);
    int error = stream_open(name, &c->stream);
    while (!error) {
        error = stream_connect(c->stream);
        if (error == EAGAIN) {
            wait_fd(stream_fd(c->stream), POLLOUT);
            error = 0;
            continue;
        }
        break;
    }
    if (error) {
        tern_fatal("%s: failed to open socket (%s)", name,
                   tern_strerror(error));
    }
}

static int
highest_version(uint32_t bitmap)
{
    for (int v = 31; v >= 0; v--) {
        if (bitmap & (1u << v)) {
            return v;
        }
    }
    return -1;
}

void
ofctl_open(const char *target, struct ofctl_conn *c)
{
    char *name = target_to_stream(target);
    open_stream(name, c);
    free(name);

    ofctl_send(c, ofp_hello_encode(ofctl_opts.versions, ofp_msg_next_xid()));
    struct ofpbuf *b = recv_raw(c);
    struct ofp_msg msg;
    if (ofp_msg_decode(b->data, b->size, &msg) || msg.type != OFPTYPE_HELLO) {
        tern_fatal("%s: expected a hello", target);
    }
    uint32_t theirs = ofp_hello_decode_versions(&msg);
    int v = highest_version(theirs & ofctl_opts.versions);
    if (v < 0) {
        tern_fatal("%s: version negotiation failed (we support version "
                   "0x%02x, peer supports version 0x%02x)",
                   target, highest_version(ofctl_opts.versions),
                   highest_version(theirs));
    }
    c->version = v;
    ofpbuf_delete(b);
}

void
ofctl_close(struct ofctl_conn *c)
{
    stream_close(c->stream);
    for (size_t i = 0; i < c->n_ports; i++) {
        free(c->port_names[i]);
    }
    free(c->port_names);
    free(c->port_nos);
    free(c->name);
}

/* Port names. */

static void
collect_port(struct ofctl_conn *c, const struct ofp_phy_port *p)
{
    c->port_names =
        xrealloc(c->port_names, (c->n_ports + 1) * sizeof *c->port_names);
    c->port_nos =
        xrealloc(c->port_nos, (c->n_ports + 1) * sizeof *c->port_nos);
    c->port_names[c->n_ports] = xmemdup(p->name, sizeof p->name + 1);
    c->port_names[c->n_ports][sizeof p->name] = '\0';
    c->port_nos[c->n_ports] = p->port_no;
    c->n_ports++;
}

static void
collect_ports_cb(const struct ofp_msg *msg, void *c_)
{
    struct ofctl_conn *c = c_;
    struct ofp_reader r;
    struct ofp_phy_port p;

    ofp_reader_init(&r, msg->body, msg->body_len);
    memset(&p, 0, sizeof p);
    while (!ofp_phy_port_decode_next(&r, msg->version, &p)) {
        collect_port(c, &p);
        memset(&p, 0, sizeof p);
    }
}

static void
fetch_ports(struct ofctl_conn *c)
{
    if (c->ports_fetched) {
        return;
    }
    c->ports_fetched = true;
    ofctl_dump(c,
               ofp_port_request_encode(OFPTYPE_PORT_DESC_STATS_REQUEST,
                                       OFPP_ANY, c->version,
                                       ofp_msg_next_xid()),
               collect_ports_cb, c);
}

static uint32_t
name_to_port(const char *name, void *c_)
{
    struct ofctl_conn *c = c_;
    fetch_ports(c);
    for (size_t i = 0; i < c->n_ports; i++) {
        if (!strcmp(c->port_names[i], name)) {
            return c->port_nos[i];
        }
    }
    return UINT32_MAX;
}

static const char *
port_to_name(uint32_t port, void *c_)
{
    struct ofctl_conn *c = c_;
    fetch_ports(c);
    for (size_t i = 0; i < c->n_ports; i++) {
        if (c->port_nos[i] == port) {
            return c->port_names[i];
        }
    }
    return NULL;
}

const struct ofp_port_names *
ofctl_port_names(struct ofctl_conn *c, bool for_output)
{
    c->pn.name_to_port = name_to_port;
    c->pn.port_to_name = for_output && ofctl_opts.names ? port_to_name : NULL;
    c->pn.aux = c;
    return &c->pn;
}

void
ofctl_print_msg(struct ofctl_conn *c, const void *msg, size_t len)
{
    const struct ofp_port_names *pn = c ? ofctl_port_names(c, true) : NULL;
    char *s = ofp_to_string(msg, len, pn, ofctl_opts.verbosity);
    fputs(s, stdout);
    free(s);
}

static void
print_reply_cb(const struct ofp_msg *msg, void *c)
{
    ofctl_print_msg(c, msg->oh, msg->len);
}

char **
ofctl_read_lines(const char *file, size_t *np)
{
    FILE *f = strcmp(file, "-") ? fopen(file, "r") : stdin;
    char **lines = NULL;
    size_t n = 0;
    char *line = NULL;
    size_t cap = 0;

    if (!f) {
        tern_fatal("%s: open failed (%s)", file, tern_strerror(errno));
    }
    while (getline(&line, &cap, f) >= 0) {
        char *p = line + strspn(line, " \t");
        p[strcspn(p, "\r\n")] = '\0';
        if (!*p || *p == '#') {
            continue;
        }
        lines = xrealloc(lines, (n + 1) * sizeof *lines);
        lines[n++] = xstrdup(p);
    }
    free(line);
    if (f != stdin) {
        fclose(f);
    }
    *np = n;
    return lines;
}

/* Switch-level commands. */

static void
dump_simple(const char *target, enum ofptype type)
{
    struct ofctl_conn c;
    ofctl_open(target, &c);
    struct ofpbuf *req = ofp_msg_start(type, c.version, ofp_msg_next_xid(), 0);
    if (!req) {
        tern_fatal("%s: not supported in %s",
                   ofptype_get_name(type, c.version),
                   ofp_version_to_name(c.version));
    }
    ofp_msg_finish(req);
    ofctl_dump(&c, req, print_reply_cb, &c);
    ofctl_close(&c);
}

static void
cmd_show(int argc TERN_UNUSED, char *argv[])
{
    struct ofctl_conn c;
    ofctl_open(argv[1], &c);
    struct ofpbuf *req = ofp_msg_start(OFPTYPE_FEATURES_REQUEST, c.version,
                                       ofp_msg_next_xid(), 0);
    ofp_msg_finish(req);
    struct ofpbuf *reply = ofctl_transact(&c, req);
    ofctl_print_msg(&c, reply->data, reply->size);
    ofpbuf_delete(reply);
    if (c.version >= OFP13_VERSION) {
        ofctl_dump(&c,
                   ofp_port_request_encode(OFPTYPE_PORT_DESC_STATS_REQUEST,
                                           OFPP_ANY, c.version,
                                           ofp_msg_next_xid()),
                   print_reply_cb, &c);
    }
    req = ofp_msg_start(OFPTYPE_GET_CONFIG_REQUEST, c.version,
                        ofp_msg_next_xid(), 0);
    ofp_msg_finish(req);
    reply = ofctl_transact(&c, req);
    ofctl_print_msg(&c, reply->data, reply->size);
    ofpbuf_delete(reply);
    ofctl_close(&c);
}

static void
cmd_dump_desc(int argc TERN_UNUSED, char *argv[])
{
    dump_simple(argv[1], OFPTYPE_DESC_STATS_REQUEST);
}

static void
cmd_dump_tables(int argc TERN_UNUSED, char *argv[])
{
    dump_simple(argv[1], OFPTYPE_TABLE_STATS_REQUEST);
}

static void
cmd_dump_table_features(int argc TERN_UNUSED, char *argv[])
{
    dump_simple(argv[1], OFPTYPE_TABLE_FEATURES_STATS_REQUEST);
}

static uint32_t
parse_port_arg(struct ofctl_conn *c, const char *s)
{
    uint32_t port;
    if (!ofp_port_parse(s, ofctl_port_names(c, false), &port)) {
        tern_fatal("%s: unknown port", s);
    }
    return port;
}

static void
cmd_dump_ports(int argc, char *argv[])
{
    struct ofctl_conn c;
    ofctl_open(argv[1], &c);
    uint32_t port = argc > 2 ? parse_port_arg(&c, argv[2]) : OFPP_ANY;
    ofctl_dump(&c,
               ofp_port_request_encode(OFPTYPE_PORT_STATS_REQUEST, port,
                                       c.version, ofp_msg_next_xid()),
               print_reply_cb, &c);
    ofctl_close(&c);
}

static void
cmd_dump_ports_desc(int argc, char *argv[])
{
    struct ofctl_conn c;
    ofctl_open(argv[1], &c);
    /* Only 1.5 can ask for one port; earlier versions get them all, as
     * with ovs-ofctl. */
    uint32_t port = argc > 2 && c.version >= OFP15_VERSION
                        ? parse_port_arg(&c, argv[2])
                        : OFPP_ANY;
    ofctl_dump(&c,
               ofp_port_request_encode(OFPTYPE_PORT_DESC_STATS_REQUEST, port,
                                       c.version, ofp_msg_next_xid()),
               print_reply_cb, &c);
    ofctl_close(&c);
}

static void
cmd_mod_port(int argc TERN_UNUSED, char *argv[])
{
    static const struct {
        const char *name;
        uint32_t bit;
        bool set;
    } actions[] = {
        {"up", OFPPC_PORT_DOWN, false},
        {"down", OFPPC_PORT_DOWN, true},
        {"receive", OFPPC_NO_RECV, false},
        {"no-receive", OFPPC_NO_RECV, true},
        {"forward", OFPPC_NO_FWD, false},
        {"no-forward", OFPPC_NO_FWD, true},
        {"packet-in", OFPPC_NO_PACKET_IN, false},
        {"no-packet-in", OFPPC_NO_PACKET_IN, true},
    };
    struct ofctl_conn c;
    size_t i;

    for (i = 0; i < ARRAY_SIZE(actions); i++) {
        if (!strcasecmp(argv[3], actions[i].name)) {
            break;
        }
    }
    if (i == ARRAY_SIZE(actions)) {
        tern_fatal("unknown mod-port command '%s'", argv[3]);
    }
    ofctl_open(argv[1], &c);
    uint32_t port = parse_port_arg(&c, argv[2]);
    fetch_ports(&c);

    /* The port's current hardware address, as the spec asks. */
    struct ofp_port_mod pm = {.port_no = port};
    bool found = false;
    struct ofpbuf *req =
        ofp_port_request_encode(OFPTYPE_PORT_DESC_STATS_REQUEST, OFPP_ANY,
                                c.version, ofp_msg_next_xid());
    struct ofpbuf *reply = ofctl_transact(&c, req);
    struct ofp_msg msg;
    if (!ofp_msg_decode(reply->data, reply->size, &msg)) {
        struct ofp_reader r;
        struct ofp_phy_port p;
        ofp_reader_init(&r, msg.body, msg.body_len);
        memset(&p, 0, sizeof p);
        while (!ofp_phy_port_decode_next(&r, msg.version, &p)) {
            if (p.port_no == port) {
                pm.hw_addr = p.hw_addr;
                found = true;
            }
        }
    }
    ofpbuf_delete(reply);
    if (!found) {
        tern_fatal("%s: couldn't find port `%s'", argv[1], argv[2]);
    }
    pm.mask = actions[i].bit;
    pm.config = actions[i].set ? actions[i].bit : 0;
    struct ofpbuf *mod =
        ofp_port_mod_encode(&pm, c.version, ofp_msg_next_xid());
    ofctl_transact_noreply(&c, &mod, 1);
    ofctl_close(&c);
}

/* packet-out SWITCH "in_port=P,packet=HEX,actions=..." (or the older
 * form: packet-out SWITCH IN_PORT ACTIONS PACKET...). */
static void
cmd_packet_out(int argc, char *argv[])
{
    struct ofctl_conn c;
    struct ofpbuf ofpacts;
    struct ofp_packet_out po = {
        .buffer_id = OFP_NO_BUFFER,
        .in_port = OFPP_CONTROLLER,
    };
    uint8_t *packet = NULL;
    char *actions = NULL, *in_port = NULL, *hex = NULL;

    ofctl_open(argv[1], &c);
    if (argc == 3) {
        char *copy = xstrdup(argv[2]);
        char *a = strstr(copy, "actions=");
        if (a) {
            actions = xstrdup(a + strlen("actions="));
            *a = '\0';
        }
        for (char *save = NULL, *kv = strtok_r(copy, ",", &save); kv;
             kv = strtok_r(NULL, ",", &save)) {
            if (!strncmp(kv, "in_port=", 8)) {
                in_port = xstrdup(kv + 8);
            } else if (!strncmp(kv, "packet=", 7)) {
                hex = xstrdup(kv + 7);
            } else {
                tern_fatal("%s: unknown packet-out field", kv);
            }
        }
        free(copy);
    } else if (argc >= 5) {
        in_port = xstrdup(argv[2]);
        actions = xstrdup(argv[3]);
        hex = xstrdup(argv[4]);
    } else {
        tern_fatal("packet-out: expected \"in_port=...,packet=...,"
                   "actions=...\"");
    }
    if (in_port) {
        po.in_port = parse_port_arg(&c, in_port);
    }
    ofpbuf_init(&ofpacts, 64);
    char *err = ofpacts_parse(actions ? actions : "",
                              ofctl_port_names(&c, false), &ofpacts);
    if (err) {
        tern_fatal("%s", err);
    }
    if (!hex) {
        tern_fatal("packet-out: missing packet=");
    }
    size_t max = strlen(hex) / 2 + 1;
    packet = xmalloc(max);
    int n = hex_to_bytes(hex, packet, max);
    if (n < 0) {
        tern_fatal("%s: bad packet hex", hex);
    }
    po.packet = packet;
    po.packet_len = n;
    po.ofpacts = (struct ofpact *)ofpacts.data;
    po.ofpacts_len = ofpacts.size;
    struct ofpbuf *msg =
        ofp_packet_out_encode(&po, c.version, ofp_msg_next_xid());
    ofctl_send_mods(&c, &msg, 1);
    ofpbuf_uninit(&ofpacts);
    free(packet);
    free(actions);
    free(in_port);
    free(hex);
    ofctl_close(&c);
}

/* Prints every message received on 'c', forever. */
static void TERN_NORETURN
print_forever(struct ofctl_conn *c)
{
    for (;;) {
        struct ofpbuf *b = ofctl_recv(c);
        ofctl_print_msg(c, b->data, b->size);
        fflush(stdout);
        ofpbuf_delete(b);
    }
}

static void
cmd_monitor(int argc, char *argv[])
{
    struct ofctl_conn c;
    ofctl_open(argv[1], &c);
    if (argc > 2) {
        uint16_t miss_len;
        if (!str_to_u16(argv[2], &miss_len)) {
            tern_fatal("%s: bad miss-len", argv[2]);
        }
        struct ofp_switch_config sc = {OFPC_FRAG_NORMAL, miss_len};
        struct ofpbuf *set = ofp_switch_config_encode(
            OFPTYPE_SET_CONFIG, &sc, c.version, ofp_msg_next_xid());
        ofctl_transact_noreply(&c, &set, 1);
    }
    print_forever(&c);
}

static void
cmd_snoop(int argc TERN_UNUSED, char *argv[])
{
    struct ofctl_conn c;
    char *name = strchr(argv[1], ':')
                     ? xstrdup(argv[1])
                     : xasprintf("unix:%s/%s.snoop", daemon_rundir(), argv[1]);
    open_stream(name, &c);
    free(name);
    c.version = OFP15_VERSION;
    print_forever(&c);
}

static void
cmd_ofp_print(int argc, char *argv[])
{
    const char *hex = argv[1];
    char *input = NULL;

    if (!strcmp(hex, "-")) {
        size_t n;
        char **lines = ofctl_read_lines("-", &n);
        struct ds s = DS_EMPTY;
        ds_init(&s);
        for (size_t i = 0; i < n; i++) {
            ds_put_cstr(&s, lines[i]);
            free(lines[i]);
        }
        free(lines);
        input = ds_steal_cstr(&s);
        hex = input;
    }
    size_t max = strlen(hex) / 2 + 1;
    uint8_t *data = xmalloc(max);
    int n = hex_to_bytes(hex, data, max);
    if (n < 0) {
        tern_fatal("trailing garbage in hex data");
    }
    int verbosity = 2;
    if (argc > 2) {
        verbosity = atoi(argv[2]);
    }
    char *s = ofp_to_string(data, n, NULL, verbosity);
    fputs(s, stdout);
    free(s);
    free(data);
    free(input);
}

/* The command table. */

struct ofctl_command {
    const char *name;
    int min_args, max_args; /* Not counting the command. */
    void (*handler)(int argc, char *argv[]);
};

static const struct ofctl_command commands[] = {
    {"show", 1, 1, cmd_show},
    {"dump-desc", 1, 1, cmd_dump_desc},
    {"dump-tables", 1, 1, cmd_dump_tables},
    {"dump-table-features", 1, 1, cmd_dump_table_features},
    {"dump-ports", 1, 2, cmd_dump_ports},
    {"dump-ports-desc", 1, 2, cmd_dump_ports_desc},
    {"mod-port", 3, 3, cmd_mod_port},
    {"dump-flows", 1, 2, ofctl_dump_flows},
    {"dump-aggregate", 1, 2, ofctl_dump_aggregate},
    {"add-flow", 2, 2, ofctl_add_flow},
    {"add-flows", 2, 2, ofctl_add_flows},
    {"mod-flows", 2, 2, ofctl_mod_flows},
    {"del-flows", 1, 2, ofctl_del_flows},
    {"replace-flows", 2, 2, ofctl_replace_flows},
    {"diff-flows", 2, 2, ofctl_diff_flows},
    {"add-group", 2, 2, ofctl_add_group},
    {"add-groups", 2, 2, ofctl_add_groups},
    {"mod-group", 2, 2, ofctl_mod_group},
    {"del-groups", 1, 2, ofctl_del_groups},
    {"dump-groups", 1, 2, ofctl_dump_groups},
    {"dump-group-stats", 1, 2, ofctl_dump_group_stats},
    {"add-meter", 2, 2, ofctl_add_meter},
    {"add-meters", 2, 2, ofctl_add_meters},
    {"mod-meter", 2, 2, ofctl_mod_meter},
    {"del-meters", 1, 2, ofctl_del_meters},
    {"dump-meters", 1, 2, ofctl_dump_meters},
    {"meter-stats", 1, 2, ofctl_meter_stats},
    {"packet-out", 2, 4, cmd_packet_out},
    {"monitor", 1, 2, cmd_monitor},
    {"snoop", 1, 1, cmd_snoop},
    {"ofp-print", 1, 2, cmd_ofp_print},
};

static void
usage(void)
{
    printf("%s: OpenFlow switch management utility\n"
           "usage: %s [OPTIONS] COMMAND [ARG...]\n\n"
           "SWITCH is BRIDGE (unix:$TERN_RUNDIR/BRIDGE.mgmt), unix:PATH "
           "or tcp:IP:PORT.\nCommands:\n",
           get_program_name(), get_program_name());
    for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
        printf("  %s\n", commands[i].name);
    }
    printf("\nOptions:\n"
           "  -O, --protocols=VERSIONS  OpenFlow versions to allow\n"
           "  --names, --no-names       show port names or numbers\n"
           "  --no-stats                dump-flows without statistics\n"
           "  --sort[=FIELD], --rsort[=FIELD]  sort dump-flows output\n"
           "  --strict                  match flows strictly\n"
           "  --bundle                  apply changes in one bundle\n"
           "  -h, --help                display this help message\n");
    exit(0);
}

static void
parse_options(int argc, char *argv[])
{
    enum {
        OPT_NAMES = 256,
        OPT_NO_NAMES,
        OPT_NO_STATS,
        OPT_SORT,
        OPT_RSORT,
        OPT_STRICT,
        OPT_BUNDLE
    };
    static const struct option long_options[] = {
        {"protocols", required_argument, NULL, 'O'},
        {"names", no_argument, NULL, OPT_NAMES},
        {"no-names", no_argument, NULL, OPT_NO_NAMES},
        {"no-stats", no_argument, NULL, OPT_NO_STATS},
        {"sort", optional_argument, NULL, OPT_SORT},
        {"rsort", optional_argument, NULL, OPT_RSORT},
        {"strict", no_argument, NULL, OPT_STRICT},
        {"bundle", no_argument, NULL, OPT_BUNDLE},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };

    ofctl_opts.names = isatty(STDOUT_FILENO);
    for (;;) {
        int c = getopt_long(argc, argv, "+O:hF:", long_options, NULL);
        if (c == -1) {
            break;
        }
        switch (c) {
        case 'O':
            if (!ofp_versions_from_string(optarg, &ofctl_opts.versions) ||
                !ofctl_opts.versions) {
                tern_fatal("%s: bad OpenFlow version", optarg);
            }
            break;
        case 'F':
            /* ovs-ofctl's flow format: Tern speaks the standard one of
             * each version ("openflow10", "OXM-OpenFlow13", ...). */
            break;
        case OPT_NAMES:
            ofctl_opts.names = true;
            break;
        case OPT_NO_NAMES:
            ofctl_opts.names = false;
            break;
        case OPT_NO_STATS:
            ofctl_opts.no_stats = true;
            break;
        case OPT_SORT:
        case OPT_RSORT:
            ofctl_opts.sort = optarg ? optarg : "";
            ofctl_opts.rsort = c == OPT_RSORT;
            break;
        case OPT_STRICT:
            ofctl_opts.strict = true;
            break;
        case OPT_BUNDLE:
            ofctl_opts.bundle = true;
            break;
        case 'h':
            usage();
            break;
        default:
            exit(1);
        }
    }
}

int
main(int argc, char *argv[])
{
    set_program_name(argv[0]);
    parse_options(argc, argv);
    argc -= optind;
    argv += optind;
    if (argc < 1) {
        tern_fatal("missing command name; use --help for help");
    }
    for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
        const struct ofctl_command *cmd = &commands[i];
        if (strcmp(cmd->name, argv[0])) {
            continue;
        }
        if (argc - 1 < cmd->min_args) {
            tern_fatal("'%s' command requires at least %d arguments",
                       cmd->name, cmd->min_args);
        }
        if (argc - 1 > cmd->max_args) {
            tern_fatal("'%s' command takes at most %d arguments", cmd->name,
                       cmd->max_args);
        }
        cmd->handler(argc, argv);
        return 0;
    }
    tern_fatal("unknown command '%s'; use --help for help", argv[0]);
}
