/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofctl-flows: tern-ofctl's flow, group and meter commands — dump-flows
 * (with --no-stats, --sort and --rsort), dump-aggregate, add/mod/del-flows,
 * replace-flows and diff-flows, the group and meter commands.  Parsing
 * and text come from ofp-flow, ofp-group and ofp-meter; the connection
 * from tern-ofctl.c (ofctl-private.h).
 */
#include <config.h>

#include <inttypes.h>
#include <stdlib.h>
#include <unistd.h>

#include "lib/ofp-flow.h"
#include "lib/ofp-group.h"
#include "lib/ofp-meter.h"
#include "lib/ofp-print.h"
#include "lib/util.h"
#include "utilities/ofctl-private.h"

/* A flow read from a switch or a file. */
struct flow_entry {
    struct ofp_flow_stats fs;
    struct ofpact *ofpacts; /* Owned. */
    char *match_text;       /* Owned: for comparisons. */
};

struct flow_list {
    struct flow_entry *flows;
    size_t n, allocated;
    struct ofctl_conn *conn;
};

static void
flow_list_add(struct flow_list *l, const struct ofp_flow_stats *fs)
{
    if (l->n >= l->allocated) {
        l->allocated = l->allocated ? 2 * l->allocated : 64;
        l->flows = xrealloc(l->flows, l->allocated * sizeof *l->flows);
    }
    struct flow_entry *e = &l->flows[l->n++];
    struct ds s = DS_EMPTY;

    e->fs = *fs;
    e->ofpacts =
        fs->ofpacts_len ? xmemdup(fs->ofpacts, fs->ofpacts_len) : NULL;
    e->fs.ofpacts = e->ofpacts;
    ds_init(&s);
    match_format(&fs->match, NULL, fs->priority, &s);
    e->match_text = ds_steal_cstr(&s);
}

static void
flow_list_destroy(struct flow_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->flows[i].ofpacts);
        free(l->flows[i].match_text);
    }
    free(l->flows);
}

/* Parses 's' (may be NULL: all flows) for 'command'; exits on error. */
static void
parse_flow(const char *s, enum ofp_flow_mod_command command,
           struct ofctl_conn *c, struct ofp_flow_mod *fm,
           struct ofpbuf *ofpacts)
{
    const struct ofp_port_names *pn = c ? ofctl_port_names(c, false) : NULL;
    char *error = ofp_flow_mod_parse(s ? s : "", command, pn, fm, ofpacts);
    if (error) {
        tern_fatal("%s", error);
    }
    if (!s || !strstr(s, "table=")) {
        /* As ovs-ofctl: deletions and 1.0 modifications cover every
         * table, 1.1+ modifications table 0. */
        bool mod = command == OFPFC_MODIFY || command == OFPFC_MODIFY_STRICT;
        if (command >= OFPFC_DELETE ||
            (mod && c && c->version == OFP10_VERSION)) {
            fm->table_id = OFPTT_ALL;
        } else if (mod) {
            fm->table_id = 0;
        }
    }
}

static struct ofpbuf *
flow_stats_request(struct ofctl_conn *c, const char *s, bool aggregate)
{
    struct ofp_flow_mod fm;
    struct ofpbuf ofpacts;

    ofpbuf_init(&ofpacts, 64);
    parse_flow(s, OFPFC_DELETE, c, &fm, &ofpacts);
    struct ofp_flow_stats_request fsr = {
        .aggregate = aggregate,
        .match = fm.match,
        .table_id = fm.table_id,
        .out_port = fm.out_port,
        .out_group = fm.out_group,
        .cookie = fm.cookie,
        .cookie_mask = fm.cookie_mask,
    };
    ofpbuf_uninit(&ofpacts);
    return ofp_flow_stats_request_encode(&fsr, c->version, ofp_msg_next_xid());
}

static void
collect_flows_cb(const struct ofp_msg *msg, void *l_)
{
    struct flow_list *l = l_;
    struct ofp_reader r;
    struct ofpbuf ofpacts;
    struct ofp_flow_stats fs;
    int error;

    ofpbuf_init(&ofpacts, 64);
    ofp_reader_init(&r, msg->body, msg->body_len);
    while (!(
        error = ofp_flow_stats_decode_next(&r, msg->version, &fs, &ofpacts))) {
        flow_list_add(l, &fs);
    }
    ofpbuf_uninit(&ofpacts);
    if (error != EOF) {
        tern_fatal("bad flow stats reply (%s)",
                   ofperr_get_name((enum ofperr)error));
    }
}

static void
print_reply_cb(const struct ofp_msg *msg, void *c)
{
    ofctl_print_msg(c, msg->oh, msg->len);
}

static void
fetch_flows(struct ofctl_conn *c, const char *s, struct flow_list *l)
{
    memset(l, 0, sizeof *l);
    l->conn = c;
    ofctl_dump(c, flow_stats_request(c, s, false), collect_flows_cb, l);
}

/* Sorting. */

static const struct mf_field *sort_field;

static int
compare_field(const struct flow_entry *a, const struct flow_entry *b)
{
    if (!sort_field || !strcmp(ofctl_opts.sort, "priority")) {
        return a->fs.priority < b->fs.priority
                   ? -1
                   : a->fs.priority > b->fs.priority;
    }
    bool am = mf_is_matched(sort_field, &a->fs.match);
    bool bm = mf_is_matched(sort_field, &b->fs.match);
    if (am != bm) {
        /* Flows without the field come last in either order. */
        return ofctl_opts.rsort ? (am ? 1 : -1) : (am ? -1 : 1);
    }
    if (!am) {
        return 0;
    }
    union mf_value av, bv;
    mf_get_value(sort_field, &a->fs.match.flow, &av);
    mf_get_value(sort_field, &b->fs.match.flow, &bv);
    return memcmp(&av, &bv, sort_field->n_bytes);
}

static int
compare_flows(const void *a_, const void *b_)
{
    const struct flow_entry *a = a_, *b = b_;
    int cmp;

    if (ofctl_opts.sort[0]) {
        cmp = compare_field(a, b);
    } else {
        cmp = a->fs.table_id < b->fs.table_id
                  ? -1
                  : a->fs.table_id > b->fs.table_id;
        if (!cmp) {
            cmp = a->fs.priority < b->fs.priority
                      ? -1
                      : a->fs.priority > b->fs.priority;
        }
    }
    if (!cmp) {
        cmp = strcmp(a->match_text, b->match_text);
    }
    return ofctl_opts.rsort ? -cmp : cmp;
}

void
ofctl_dump_flows(int argc, char *argv[])
{
    struct ofctl_conn c;

    ofctl_open(argv[1], &c);
    const char *s = argc > 2 ? argv[2] : NULL;
    if (!ofctl_opts.sort && !ofctl_opts.no_stats) {
        ofctl_dump(&c, flow_stats_request(&c, s, false), print_reply_cb, &c);
        ofctl_close(&c);
        return;
    }

    struct flow_list l;
    fetch_flows(&c, s, &l);
    if (ofctl_opts.sort) {
        sort_field = ofctl_opts.sort[0] ? mf_from_name(ofctl_opts.sort) : NULL;
        if (ofctl_opts.sort[0] && !sort_field &&
            strcmp(ofctl_opts.sort, "priority")) {
            tern_fatal("%s: unknown sort field", ofctl_opts.sort);
        }
        qsort(l.flows, l.n, sizeof *l.flows, compare_flows);
    }
    struct ds out = DS_EMPTY;
    ds_init(&out);
    for (size_t i = 0; i < l.n; i++) {
        ofp_flow_stats_format(&l.flows[i].fs, ofctl_port_names(&c, true),
                              ofctl_opts.no_stats, &out);
        ds_chomp(&out, '\n');
        ds_put_char(&out, '\n');
    }
    fputs(ds_cstr(&out), stdout);
    ds_destroy(&out);
    flow_list_destroy(&l);
    ofctl_close(&c);
}

void
ofctl_dump_aggregate(int argc, char *argv[])
{
    struct ofctl_conn c;

    ofctl_open(argv[1], &c);
    ofctl_dump(&c, flow_stats_request(&c, argc > 2 ? argv[2] : NULL, true),
               print_reply_cb, &c);
    ofctl_close(&c);
}

/* Flow mods. */

static struct ofpbuf *
encode_flow(struct ofctl_conn *c, const char *s,
            enum ofp_flow_mod_command command)
{
    struct ofp_flow_mod fm;
    struct ofpbuf ofpacts;

    ofpbuf_init(&ofpacts, 64);
    parse_flow(s, command, c, &fm, &ofpacts);
    struct ofpbuf *msg =
        ofp_flow_mod_encode(&fm, c->version, ofp_msg_next_xid());
    ofpbuf_uninit(&ofpacts);
    return msg;
}

/* OpenFlow 1.0 has no table in a flow mod: Open vSwitch's extension puts
 * it in the command's high byte once NXT_FLOW_MOD_TABLE_ID enabled that,
 * which ovs-ofctl does when a flow names a table. */
static void
enable_table_id(struct ofctl_conn *c, struct ofpbuf **msgs, size_t n)
{
    if (c->version != OFP10_VERSION) {
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const uint8_t *cmd = msgs[i]->data + 8 + OFP10_MATCH_LEN + 8;
        if (msgs[i]->size > 8 + OFP10_MATCH_LEN + 10 &&
            msgs[i]->data[1] == 14 /* OFPT_FLOW_MOD */ && cmd[0] &&
            cmd[0] != OFPTT_ALL) {
            struct ofpbuf *b =
                ofp_msg_start(OFPTYPE_NXT_FLOW_MOD_TABLE_ID, c->version,
                              ofp_msg_next_xid(), 8);
            if (b) {
                uint8_t *body = ofpbuf_put_zeros(b, 8);
                body[0] = 1; /* Enable. */
                ofp_msg_finish(b);
                ofctl_send(c, b);
            }
            return;
        }
    }
}

static void
flow_mods(const char *target, char **lines, size_t n,
          enum ofp_flow_mod_command command)
{
    struct ofctl_conn c;
    struct ofpbuf **msgs = xcalloc(n ? n : 1, sizeof *msgs);

    ofctl_open(target, &c);
    for (size_t i = 0; i < n; i++) {
        msgs[i] = encode_flow(&c, lines[i], command);
    }
    enable_table_id(&c, msgs, n);
    ofctl_send_mods(&c, msgs, n);
    free(msgs);
    ofctl_close(&c);
}

void
ofctl_add_flow(int argc TERN_UNUSED, char *argv[])
{
    flow_mods(argv[1], &argv[2], 1, OFPFC_ADD);
}

void
ofctl_add_flows(int argc TERN_UNUSED, char *argv[])
{
    size_t n;
    char **lines = ofctl_read_lines(argv[2], &n);
    flow_mods(argv[1], lines, n, OFPFC_ADD);
    for (size_t i = 0; i < n; i++) {
        free(lines[i]);
    }
    free(lines);
}

void
ofctl_mod_flows(int argc TERN_UNUSED, char *argv[])
{
    flow_mods(argv[1], &argv[2], 1,
              ofctl_opts.strict ? OFPFC_MODIFY_STRICT : OFPFC_MODIFY);
}

void
ofctl_del_flows(int argc, char *argv[])
{
    char *all = (char *)"";
    flow_mods(argv[1], argc > 2 ? &argv[2] : &all, 1,
              ofctl_opts.strict ? OFPFC_DELETE_STRICT : OFPFC_DELETE);
}

/* replace-flows and diff-flows. */

/* Reads the flows of 'source', a file when one exists by that name and a
 * switch otherwise. */
static void
read_flows(const char *source, struct ofctl_conn *c, struct flow_list *l)
{
    if (access(source, R_OK) && strcmp(source, "-")) {
        ofctl_open(source, c);
        fetch_flows(c, NULL, l);
        return;
    }
    size_t n;
    char **lines = ofctl_read_lines(source, &n);
    memset(l, 0, sizeof *l);
    for (size_t i = 0; i < n; i++) {
        struct ofp_flow_mod fm;
        struct ofpbuf ofpacts;

        ofpbuf_init(&ofpacts, 64);
        parse_flow(lines[i], OFPFC_ADD, NULL, &fm, &ofpacts);
        struct ofp_flow_stats fs = {
            .match = fm.match,
            .table_id = fm.table_id,
            .priority = fm.priority,
            .idle_timeout = fm.idle_timeout,
            .hard_timeout = fm.hard_timeout,
            .flags = fm.flags,
            .importance = fm.importance,
            .cookie = fm.new_cookie == UINT64_MAX ? 0 : fm.new_cookie,
            .ofpacts = fm.ofpacts,
            .ofpacts_len = fm.ofpacts_len,
        };
        flow_list_add(l, &fs);
        ofpbuf_uninit(&ofpacts);
        free(lines[i]);
    }
    free(lines);
}

static const struct flow_entry *
find_flow(const struct flow_list *l, const struct flow_entry *e)
{
    for (size_t i = 0; i < l->n; i++) {
        const struct flow_entry *f = &l->flows[i];
        if (f->fs.table_id == e->fs.table_id &&
            f->fs.priority == e->fs.priority &&
            !strcmp(f->match_text, e->match_text)) {
            return f;
        }
    }
    return NULL;
}

static bool
flow_same_version(const struct flow_entry *a, const struct flow_entry *b)
{
    return a->fs.cookie == b->fs.cookie &&
           a->fs.idle_timeout == b->fs.idle_timeout &&
           a->fs.hard_timeout == b->fs.hard_timeout &&
           ofpacts_equal(a->fs.ofpacts, a->fs.ofpacts_len, b->fs.ofpacts,
                         b->fs.ofpacts_len);
}

/* The diff-flows line of 'e', after its '-' or '+'. */
static void
put_diff_line(struct ds *s, const struct flow_entry *e)
{
    if (e->fs.table_id) {
        ds_put_format(s, "table=%" PRIu8 " ", e->fs.table_id);
    }
    ds_put_cstr(s, e->match_text);
    if (e->fs.cookie) {
        ds_put_format(s, " cookie=0x%" PRIx64, e->fs.cookie);
    }
    if (e->fs.idle_timeout) {
        ds_put_format(s, " idle_timeout=%" PRIu16, e->fs.idle_timeout);
    }
    if (e->fs.hard_timeout) {
        ds_put_format(s, " hard_timeout=%" PRIu16, e->fs.hard_timeout);
    }
    ds_put_cstr(s, " actions=");
    ofpacts_format(e->fs.ofpacts, e->fs.ofpacts_len, NULL, s);
    ds_put_char(s, '\n');
}

void
ofctl_diff_flows(int argc TERN_UNUSED, char *argv[])
{
    struct ofctl_conn c1, c2;
    struct flow_list a, b;
    struct ds s = DS_EMPTY;
    bool differ = false;

    memset(&c1, 0, sizeof c1);
    memset(&c2, 0, sizeof c2);
    read_flows(argv[1], &c1, &a);
    read_flows(argv[2], &c2, &b);
    ds_init(&s);
    for (size_t i = 0; i < a.n; i++) {
        const struct flow_entry *f = find_flow(&b, &a.flows[i]);
        if (!f || !flow_same_version(f, &a.flows[i])) {
            ds_put_char(&s, '-');
            put_diff_line(&s, &a.flows[i]);
            if (f) {
                ds_put_char(&s, '+');
                put_diff_line(&s, f);
            }
            differ = true;
        }
    }
    for (size_t i = 0; i < b.n; i++) {
        if (!find_flow(&a, &b.flows[i])) {
            ds_put_char(&s, '+');
            put_diff_line(&s, &b.flows[i]);
            differ = true;
        }
    }
    fputs(ds_cstr(&s), stdout);
    ds_destroy(&s);
    flow_list_destroy(&a);
    flow_list_destroy(&b);
    if (c1.stream) {
        ofctl_close(&c1);
    }
    if (c2.stream) {
        ofctl_close(&c2);
    }
    exit(differ ? 2 : 0);
}

static struct ofpbuf *
flow_entry_mod(struct ofctl_conn *c, const struct flow_entry *e,
               enum ofp_flow_mod_command command)
{
    struct ofp_flow_mod fm = {
        .match = e->fs.match,
        .priority = e->fs.priority,
        .cookie = e->fs.cookie,
        .cookie_mask = 0,
        .new_cookie = e->fs.cookie,
        .table_id = e->fs.table_id,
        .command = command,
        .idle_timeout = e->fs.idle_timeout,
        .hard_timeout = e->fs.hard_timeout,
        .importance = e->fs.importance,
        .buffer_id = OFP_NO_BUFFER,
        .out_port = OFPP_ANY,
        .out_group = OFPG_ANY,
        .flags = command == OFPFC_ADD ? e->fs.flags : 0,
        .ofpacts = command == OFPFC_ADD ? e->ofpacts : NULL,
        .ofpacts_len = command == OFPFC_ADD ? e->fs.ofpacts_len : 0,
    };
    return ofp_flow_mod_encode(&fm, c->version, ofp_msg_next_xid());
}

void
ofctl_replace_flows(int argc TERN_UNUSED, char *argv[])
{
    struct ofctl_conn c, none;
    struct flow_list want, have;

    memset(&none, 0, sizeof none);
    read_flows(argv[2], &none, &want);
    ofctl_open(argv[1], &c);
    fetch_flows(&c, NULL, &have);

    struct ofpbuf **msgs = xcalloc(want.n + have.n + 1, sizeof *msgs);
    size_t n = 0;
    for (size_t i = 0; i < have.n; i++) {
        if (!find_flow(&want, &have.flows[i])) {
            msgs[n++] =
                flow_entry_mod(&c, &have.flows[i], OFPFC_DELETE_STRICT);
        }
    }
    for (size_t i = 0; i < want.n; i++) {
        const struct flow_entry *f = find_flow(&have, &want.flows[i]);
        if (!f || !flow_same_version(f, &want.flows[i])) {
            msgs[n++] = flow_entry_mod(&c, &want.flows[i], OFPFC_ADD);
        }
    }
    enable_table_id(&c, msgs, n);
    ofctl_send_mods(&c, msgs, n);
    free(msgs);
    flow_list_destroy(&want);
    flow_list_destroy(&have);
    ofctl_close(&c);
}

/* Groups. */

static void
need_groups(const struct ofctl_conn *c)
{
    if (c->version < OFP13_VERSION) {
        tern_fatal("%s: groups need OpenFlow 1.3 or later (use -O)", c->name);
    }
}

/* What one line of a group or meter command becomes: a new message the
 * caller owns.  'line' stays the caller's. */
typedef struct ofpbuf *encode_line_fn(struct ofctl_conn *, const char *line,
                                      int command);

/* Sends to 'target' (OpenFlow 1.3 or later) the 'n' group or meter mods
 * that 'lines' describe, each encoded by 'encode'.  'lines' stays the
 * caller's. */
static void
line_mods(const char *target, char **lines, size_t n, int command,
          encode_line_fn *encode)
{
    struct ofctl_conn c;
    struct ofpbuf **msgs = xcalloc(n ? n : 1, sizeof *msgs);

    ofctl_open(target, &c);
    need_groups(&c);
    for (size_t i = 0; i < n; i++) {
        msgs[i] = encode(&c, lines[i], command);
    }
    ofctl_send_mods(&c, msgs, n);
    free(msgs);
    ofctl_close(&c);
}

/* line_mods() with the lines of 'file' ("-" for stdin). */
static void
file_mods(const char *target, const char *file, int command,
          encode_line_fn *encode)
{
    size_t n;
    char **lines = ofctl_read_lines(file, &n);

    line_mods(target, lines, n, command, encode);
    for (size_t i = 0; i < n; i++) {
        free(lines[i]);
    }
    free(lines);
}

static struct ofpbuf *
encode_group(struct ofctl_conn *c, const char *line, int command)
{
    struct ofp_group_mod gm;
    struct ofpbuf *msg;

    memset(&gm, 0, sizeof gm);
    char *error =
        ofp_group_mod_parse(line, command, ofctl_port_names(c, false), &gm);
    if (error) {
        tern_fatal("%s", error);
    }
    msg = ofp_group_mod_encode(&gm, c->version, ofp_msg_next_xid());
    ofp_group_mod_uninit(&gm);
    return msg;
}

void
ofctl_add_group(int argc TERN_UNUSED, char *argv[])
{
    line_mods(argv[1], &argv[2], 1, OFPGC_ADD, encode_group);
}

void
ofctl_add_groups(int argc TERN_UNUSED, char *argv[])
{
    file_mods(argv[1], argv[2], OFPGC_ADD, encode_group);
}

void
ofctl_mod_group(int argc TERN_UNUSED, char *argv[])
{
    line_mods(argv[1], &argv[2], 1, OFPGC_MODIFY, encode_group);
}

void
ofctl_del_groups(int argc, char *argv[])
{
    char *all = (char *)"group_id=all";
    line_mods(argv[1], argc > 2 ? &argv[2] : &all, 1, OFPGC_DELETE,
              encode_group);
}

static uint32_t
parse_id_arg(int argc, char *argv[], const char *key, uint32_t all)
{
    if (argc < 3) {
        return all;
    }
    const char *s = argv[2];
    size_t klen = strlen(key);
    if (!strncmp(s, key, klen) && s[klen] == '=') {
        s += klen + 1;
    }
    uint32_t id;
    if (!strcasecmp(s, "all")) {
        return all;
    }
    if (!str_to_u32(s, &id)) {
        tern_fatal("%s: bad %s", argv[2], key);
    }
    return id;
}

static void
dump_by_id(int argc, char *argv[], enum ofptype type, const char *key,
           uint32_t all, bool group)
{
    struct ofctl_conn c;
    uint32_t id = parse_id_arg(argc, argv, key, all);

    ofctl_open(argv[1], &c);
    need_groups(&c);
    struct ofpbuf *req = group ? ofp_group_request_encode(type, id, c.version,
                                                          ofp_msg_next_xid())
                               : ofp_meter_request_encode(type, id, c.version,
                                                          ofp_msg_next_xid());
    ofctl_dump(&c, req, print_reply_cb, &c);
    ofctl_close(&c);
}

void
ofctl_dump_groups(int argc, char *argv[])
{
    dump_by_id(argc, argv, OFPTYPE_GROUP_DESC_STATS_REQUEST, "group_id",
               OFPG_ALL, true);
}

void
ofctl_dump_group_stats(int argc, char *argv[])
{
    dump_by_id(argc, argv, OFPTYPE_GROUP_STATS_REQUEST, "group_id", OFPG_ALL,
               true);
}

/* Meters. */

static struct ofpbuf *
encode_meter(struct ofctl_conn *c, const char *line, int command)
{
    struct ofp_meter_mod mm;

    memset(&mm, 0, sizeof mm);
    char *error = ofp_meter_mod_parse(line, command, &mm);
    if (error) {
        tern_fatal("%s", error);
    }
    return ofp_meter_mod_encode(&mm, c->version, ofp_msg_next_xid());
}

void
ofctl_add_meter(int argc TERN_UNUSED, char *argv[])
{
    line_mods(argv[1], &argv[2], 1, OFPMC_ADD, encode_meter);
}

void
ofctl_add_meters(int argc TERN_UNUSED, char *argv[])
{
    file_mods(argv[1], argv[2], OFPMC_ADD, encode_meter);
}

void
ofctl_mod_meter(int argc TERN_UNUSED, char *argv[])
{
    line_mods(argv[1], &argv[2], 1, OFPMC_MODIFY, encode_meter);
}

void
ofctl_del_meters(int argc, char *argv[])
{
    char *all = (char *)"meter=all";
    line_mods(argv[1], argc > 2 ? &argv[2] : &all, 1, OFPMC_DELETE,
              encode_meter);
}

void
ofctl_dump_meters(int argc, char *argv[])
{
    dump_by_id(argc, argv, OFPTYPE_METER_CONFIG_STATS_REQUEST, "meter",
               OFPM_ALL, false);
}

void
ofctl_meter_stats(int argc, char *argv[])
{
    dump_by_id(argc, argv, OFPTYPE_METER_STATS_REQUEST, "meter", OFPM_ALL,
               false);
}
