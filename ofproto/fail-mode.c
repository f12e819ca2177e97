/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fail-mode: what a switch does by itself depending on its controllers
 * (Bridge fail_mode, see connmgr.h).
 *
 *   standalone, no Controller row: a learning switch, through a visible
 *     table-0 rule "priority=0,actions=NORMAL" (as Open vSwitch's bridges
 *     show in dump-flows).  It is added when this state begins and
 *     deleted when it ends; like any rule it can be deleted meanwhile.
 *   standalone, active controllers, none connected for three probe
 *     intervals: "fail open" -- ofproto->fail_open makes translation send
 *     every packet through NORMAL, whatever the tables say, until a
 *     controller connects again.
 *   secure: never any of that.
 */
#include <config.h>

#include <limits.h>
#include <stdlib.h>

#include "lib/vlog.h"
#include "ofproto/connmgr.h"

VLOG_DEFINE_THIS_MODULE(fail_mode);

/* Adds (OFPFC_ADD) or deletes (OFPFC_DELETE_STRICT) the standalone
 * rule. */
static void
fail_mode_normal_rule(struct ofproto *ofproto,
                      enum ofp_flow_mod_command command)
{
    struct ofp_flow_mod fm;
    struct ofpbuf ofpacts;
    enum ofperr error;

    memset(&fm, 0, sizeof fm);
    ofpbuf_init(&ofpacts, 64);
    match_init_catchall(&fm.match);
    fm.priority = 0;
    fm.table_id = 0;
    fm.command = command;
    fm.new_cookie = command == OFPFC_ADD ? 0 : UINT64_MAX;
    fm.buffer_id = OFP_NO_BUFFER;
    fm.out_port = OFPP_ANY;
    fm.out_group = OFPG_ANY;
    if (command == OFPFC_ADD) {
        struct ofpact_output *out =
            ofpact_put(&ofpacts, OFPACT_OUTPUT, sizeof *out);
        out->port = OFPP_NORMAL;
        fm.ofpacts = (struct ofpact *)ofpacts.data;
        fm.ofpacts_len = ofpacts.size;
    }
    error = ofproto_flow_mod(ofproto, &fm);
    if (error) {
        VLOG_WARN("%s: cannot %s the standalone NORMAL rule: %s",
                  ofproto->name, command == OFPFC_ADD ? "add" : "delete",
                  ofperr_get_name(error));
    }
    ofpbuf_uninit(&ofpacts);
}

static void
fail_mode_set_open(struct ofproto *ofproto, bool open)
{
    if (atomic_load(&ofproto->fail_open) != open) {
        VLOG_INFO("%s: %s fail-open mode", ofproto->name,
                  open ? "entering" : "leaving");
        atomic_store(&ofproto->fail_open, open);
        ofproto_mark_dirty(ofproto);
    }
}

long long
fail_mode_run(struct fail_mode *fm, struct ofproto *ofproto,
              const struct fail_mode_input *in)
{
    bool standalone = ofproto->fail_mode == OFPROTO_FAIL_STANDALONE;
    bool want_rule = standalone && !in->n_controllers;
    long long wakeup = LLONG_MAX;

    if (!fm->started || want_rule != fm->normal_rule) {
        if (want_rule) {
            fail_mode_normal_rule(ofproto, OFPFC_ADD);
        } else if (fm->normal_rule) {
            fail_mode_normal_rule(ofproto, OFPFC_DELETE_STRICT);
        }
        fm->normal_rule = want_rule;
        fm->started = true;
    }

    bool open = false;
    if (standalone && in->n_primary && !in->primary_connected) {
        long long at = in->disconnected_at + 3LL * in->probe_ms;
        open = time_msec() >= at;
        if (!open) {
            wakeup = at;
        }
    }
    fail_mode_set_open(ofproto, open);
    return wakeup;
}
