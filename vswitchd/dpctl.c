/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dpctl: the dpctl/ unixctl commands (see dpctl.h for the syntax).
 *
 * One table lists every command with its usage, the number of positional
 * arguments it takes and the flags it accepts; one dispatcher parses the
 * flags, checks the counts and calls the command's handler.  A handler
 * writes its output into a string and returns NULL, or returns an error
 * message, which the dispatcher sends back as a unixctl error (tern-appctl
 * then exits with status 2).
 *
 * Datapath and port commands live here; the flow commands live in
 * dpctl-flow.c and share the helpers of dpctl-private.h.
 */
#include <config.h>

#include "vswitchd/dpctl.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>

#include "lib/netdev.h"
#include "lib/unixctl.h"
#include "lib/vlog.h"
#include "vswitchd/dpctl-private.h"

VLOG_DEFINE_THIS_MODULE(dpctl);

/* The most arguments any dpctl command accepts on one request. */
#define DPCTL_MAX_ARGS 256

/* ---- Records of what each datapath and port was configured with. ---- */

struct dpctl_rec {
    char *name;       /* Datapath or netdev name. */
    struct smap smap; /* Datapath config or netdev options. */
};

struct dpctl_recs {
    struct dpctl_rec *recs;
    size_t n;
    size_t allocated;
};

static struct dpctl_recs dp_recs;   /* Config given by set-config. */
static struct dpctl_recs port_recs; /* Options given by add-if/set-if. */

static dpif_upcall_cb *upcall_cb;
static void *upcall_aux;

static struct dpctl_rec *
dpctl_rec_find(struct dpctl_recs *recs, const char *name)
{
    for (size_t i = 0; i < recs->n; i++) {
        if (!strcmp(recs->recs[i].name, name)) {
            return &recs->recs[i];
        }
    }
    return NULL;
}

/* Returns the record for 'name', creating an empty one if needed.  The
 * pointer is valid until the next record is added or removed. */
static struct dpctl_rec *
dpctl_rec_get(struct dpctl_recs *recs, const char *name)
{
    struct dpctl_rec *rec = dpctl_rec_find(recs, name);

    if (!rec) {
        if (recs->n == recs->allocated) {
            recs->allocated = recs->allocated ? recs->allocated * 2 : 8;
            recs->recs =
                xrealloc(recs->recs, recs->allocated * sizeof *recs->recs);
        }
        rec = &recs->recs[recs->n++];
        rec->name = xstrdup(name);
        smap_init(&rec->smap);
    }
    return rec;
}

static void
dpctl_rec_remove(struct dpctl_recs *recs, const char *name)
{
    struct dpctl_rec *rec = dpctl_rec_find(recs, name);

    if (rec) {
        free(rec->name);
        smap_destroy(&rec->smap);
        *rec = recs->recs[--recs->n];
    }
}

static void
dpctl_recs_clear(struct dpctl_recs *recs)
{
    for (size_t i = 0; i < recs->n; i++) {
        free(recs->recs[i].name);
        smap_destroy(&recs->recs[i].smap);
    }
    free(recs->recs);
    memset(recs, 0, sizeof *recs);
}

/* ---- Finding datapaths. ---- */

/* Stores in *namep the datapath name inside 'arg' ("NAME" or
 * "netdev@NAME").  Returns NULL or an error message (caller frees). */
static char *
dpctl_dp_name(const char *arg, const char **namep)
{
    const char *at = strchr(arg, '@');

    if (at) {
        if (at - arg != 6 || strncmp(arg, "netdev", 6)) {
            return xasprintf("%s: unsupported datapath type \"%.*s\" (Tern "
                             "has only \"netdev\" datapaths)",
                             arg, (int)(at - arg), arg);
        }
        arg = at + 1;
    }
    if (!*arg) {
        return xstrdup("empty datapath name");
    }
    *namep = arg;
    return NULL;
}

char *
dpctl_find_dp(const char *arg, struct dpif **dpifp)
{
    const char *name;
    char *error = dpctl_dp_name(arg, &name);

    if (error) {
        return error;
    }
    *dpifp = dpif_lookup(name);
    if (!*dpifp) {
        return xasprintf("%s: no such datapath", arg);
    }
    return NULL;
}

struct dpctl_count_aux {
    size_t n;
    struct dpif *last;
};

static void
dpctl_count_cb(struct dpif *dpif, void *aux_)
{
    struct dpctl_count_aux *aux = aux_;

    aux->n++;
    aux->last = dpif;
}

char *
dpctl_default_dp(struct dpif **dpifp)
{
    struct dpctl_count_aux aux = {0, NULL};

    dpif_for_each(dpctl_count_cb, &aux);
    if (aux.n == 0) {
        return xstrdup("no datapaths exist");
    } else if (aux.n > 1) {
        return xasprintf("%zu datapaths exist: name the one you mean", aux.n);
    }
    *dpifp = aux.last;
    return NULL;
}

char *
dpctl_optional_dp(struct dpctl_args *args, int n_fixed, struct dpif **dpifp)
{
    if (args->argc > n_fixed) {
        char *error = dpctl_find_dp(args->argv[0], dpifp);

        if (!error) {
            args->argv++;
            args->argc--;
        }
        return error;
    }
    return dpctl_default_dp(dpifp);
}

/* ---- Interface specifications. ---- */

struct dpctl_iface {
    char *name;
    char *type;          /* NULL if not given. */
    uint32_t port_no;    /* DPIF_PORT_ANY if not given. */
    struct smap options; /* Values may be "" (set-if: remove the key). */
};

/* Splits 's' at commas outside double quotes, dropping the quotes, into a
 * new array of new strings in *itemsp (caller frees each and the array).
 * Returns NULL or an error message. */
static char *
dpctl_split_items(const char *s, char ***itemsp, size_t *np)
{
    struct ds item = DS_EMPTY;
    char **items = NULL;
    size_t n = 0;
    bool quoted = false;

    for (const char *p = s;; p++) {
        if (*p == '"') {
            quoted = !quoted;
        } else if (*p == '\0' || (*p == ',' && !quoted)) {
            if (quoted) {
                for (size_t i = 0; i < n; i++) {
                    free(items[i]);
                }
                free(items);
                ds_destroy(&item);
                return xasprintf("%s: unterminated double quote", s);
            }
            items = xrealloc(items, (n + 1) * sizeof *items);
            items[n++] = xstrdup(ds_cstr(&item));
            ds_clear(&item);
            if (!*p) {
                break;
            }
        } else {
            ds_put_char(&item, *p);
        }
    }
    ds_destroy(&item);
    *itemsp = items;
    *np = n;
    return NULL;
}

static void
dpctl_iface_destroy(struct dpctl_iface *iface)
{
    free(iface->name);
    free(iface->type);
    smap_destroy(&iface->options);
}

/* Applies one "KEY=VALUE" item of interface 'spec' to 'iface'. */
static char *
dpctl_iface_item(const char *spec, const char *item, struct dpctl_iface *iface)
{
    const char *eq = strchr(item, '=');
    char *key;
    const char *value;
    char *error = NULL;

    if (!eq || eq == item) {
        return xasprintf("%s: \"%s\" is not KEY=VALUE", spec, item);
    }
    key = xmemdup(item, eq - item + 1);
    key[eq - item] = '\0';
    value = eq + 1;
    if (!strcmp(key, "type")) {
        if (!*value) {
            error = xasprintf("%s: empty type", spec);
        } else {
            free(iface->type);
            iface->type = xstrdup(value);
        }
    } else if (!strcmp(key, "port_no")) {
        uint32_t port_no;

        if (!str_to_u32(value, &port_no) || port_no >= DPIF_MAX_PORTS) {
            error = xasprintf("%s: port_no \"%s\" is not a number below %d",
                              spec, value, DPIF_MAX_PORTS);
        } else {
            iface->port_no = port_no;
        }
    } else {
        smap_replace(&iface->options, key, value);
    }
    free(key);
    return error;
}

/* Parses "NAME[,type=TYPE][,port_no=N][,KEY=VALUE...]" into 'iface', which
 * the caller destroys with dpctl_iface_destroy() whatever the result. */
static char *
dpctl_parse_iface(const char *spec, struct dpctl_iface *iface)
{
    char **items = NULL;
    size_t n = 0;
    char *error;

    memset(iface, 0, sizeof *iface);
    iface->port_no = DPIF_PORT_ANY;
    smap_init(&iface->options);

    error = dpctl_split_items(spec, &items, &n);
    if (error) {
        return error;
    }
    if (!items[0][0] || strchr(items[0], '=')) {
        error = xasprintf("%s: interface name missing", spec);
    } else {
        iface->name = xstrdup(items[0]);
    }
    for (size_t i = 1; i < n && !error; i++) {
        error = dpctl_iface_item(spec, items[i], iface);
    }
    for (size_t i = 0; i < n; i++) {
        free(items[i]);
    }
    free(items);
    return error;
}

/* ---- Datapath and port commands. ---- */

static char *
dpctl_add_iface(struct dpif *dpif, const char *spec)
{
    struct dpctl_iface iface;
    struct dpctl_rec *rec;
    struct netdev *netdev;
    char *open_error = NULL;
    char *error;
    int err;

    error = dpctl_parse_iface(spec, &iface);
    if (error) {
        goto out;
    }
    /* "KEY=" means "no such option" when adding. */
    for (size_t i = 0; i < iface.options.n;) {
        if (!iface.options.nodes[i].value[0]) {
            smap_remove(&iface.options, iface.options.nodes[i].key);
        } else {
            i++;
        }
    }
    err = netdev_open(iface.name, iface.type ? iface.type : "system",
                      &iface.options, &netdev, &open_error);
    if (err) {
        error = xasprintf("%s: cannot open %s port: %s", iface.name,
                          iface.type ? iface.type : "system",
                          open_error ? open_error : tern_strerror(err));
        free(open_error);
        goto out;
    }
    err = dpif_port_add(dpif, netdev, &iface.port_no);
    if (err == EEXIST) {
        error = xasprintf("%s: port number %" PRIu32 " or name is already "
                          "in use in %s",
                          iface.name, iface.port_no, dpif_name(dpif));
    } else if (err == EFBIG) {
        error = xasprintf("%s: %s has no free port number", iface.name,
                          dpif_name(dpif));
    } else if (err) {
        error = xasprintf("%s: cannot add to %s: %s", iface.name,
                          dpif_name(dpif), tern_strerror(err));
    }
    if (err) {
        netdev_close(netdev);
        goto out;
    }
    rec = dpctl_rec_get(&port_recs, iface.name);
    smap_destroy(&rec->smap);
    smap_clone(&rec->smap, &iface.options);
out:
    dpctl_iface_destroy(&iface);
    return error;
}

static void
dpctl_register_upcall(struct dpif *dpif)
{
    if (upcall_cb) {
        dpif_register_upcall_cb(dpif, upcall_cb, upcall_aux);
    }
}

static char *
dpctl_cmd_add_dp(struct dpctl_args *args)
{
    struct dpif *dpif;
    const char *name;
    char *error;
    int err;

    error = dpctl_dp_name(args->argv[0], &name);
    if (error) {
        return error;
    }
    err = dpif_create(name, &dpif);
    if (err == EEXIST) {
        return xasprintf("%s: datapath already exists", args->argv[0]);
    } else if (err) {
        return xasprintf("%s: cannot create datapath: %s", args->argv[0],
                         tern_strerror(err));
    }
    dpctl_register_upcall(dpif);
    VLOG_INFO("created datapath %s", name);
    for (int i = 1; i < args->argc; i++) {
        error = dpctl_add_iface(dpif, args->argv[i]);
        if (error) {
            return error;
        }
    }
    return NULL;
}

static void
dpctl_forget_port_cb(const struct dpif_port *port, void *aux TERN_UNUSED)
{
    dpctl_rec_remove(&port_recs, port->name);
}

static void
dpctl_destroy_dp(struct dpif *dpif)
{
    dpif_port_for_each(dpif, dpctl_forget_port_cb, NULL);
    dpctl_rec_remove(&dp_recs, dpif_name(dpif));
    dpif_destroy(dpif);
}

static char *
dpctl_cmd_del_dp(struct dpctl_args *args)
{
    struct dpif *dpif;
    char *error = dpctl_find_dp(args->argv[0], &dpif);

    if (!error) {
        VLOG_INFO("deleting datapath %s", dpif_name(dpif));
        dpctl_destroy_dp(dpif);
    }
    return error;
}

static char *
dpctl_cmd_add_if(struct dpctl_args *args)
{
    struct dpif *dpif;
    char *error = dpctl_find_dp(args->argv[0], &dpif);

    for (int i = 1; i < args->argc && !error; i++) {
        error = dpctl_add_iface(dpif, args->argv[i]);
    }
    return error;
}

/* Merges the options of 'iface' into the recorded ones and applies them to
 * the port of 'dpif' they name. */
static char *
dpctl_set_iface(struct dpif *dpif, const char *spec)
{
    struct dpctl_iface iface;
    struct dpif_port port;
    struct smap merged;
    char *set_error = NULL;
    char *error;
    int err;

    error = dpctl_parse_iface(spec, &iface);
    if (error) {
        dpctl_iface_destroy(&iface);
        return error;
    }
    if (dpif_port_query_by_name(dpif, iface.name, &port)) {
        error =
            xasprintf("%s: no such port in %s", iface.name, dpif_name(dpif));
        dpctl_iface_destroy(&iface);
        return error;
    }
    if (iface.type && strcmp(iface.type, port.type)) {
        error = xasprintf("%s: cannot change type from %s to %s", iface.name,
                          port.type, iface.type);
    } else if (iface.port_no != DPIF_PORT_ANY &&
               iface.port_no != port.port_no) {
        error = xasprintf("%s: cannot change port number from %" PRIu32
                          " to %" PRIu32,
                          iface.name, port.port_no, iface.port_no);
    }
    if (!error) {
        smap_clone(&merged, &dpctl_rec_get(&port_recs, iface.name)->smap);
        SMAP_FOR_EACH(node, &iface.options)
        {
            if (node->value[0]) {
                smap_replace(&merged, node->key, node->value);
            } else {
                smap_remove(&merged, node->key);
            }
        }
        err = netdev_set_config(dpif_port_netdev(dpif, port.port_no), &merged,
                                &set_error);
        if (err) {
            error = xasprintf("%s: cannot reconfigure: %s", iface.name,
                              set_error ? set_error : tern_strerror(err));
            free(set_error);
            smap_destroy(&merged);
        } else {
            struct dpctl_rec *rec = dpctl_rec_get(&port_recs, iface.name);

            smap_destroy(&rec->smap);
            rec->smap = merged;
        }
    }
    dpif_port_destroy(&port);
    dpctl_iface_destroy(&iface);
    return error;
}

static char *
dpctl_cmd_set_if(struct dpctl_args *args)
{
    struct dpif *dpif;
    char *error = dpctl_find_dp(args->argv[0], &dpif);

    for (int i = 1; i < args->argc && !error; i++) {
        error = dpctl_set_iface(dpif, args->argv[i]);
    }
    return error;
}

static char *
dpctl_cmd_del_if(struct dpctl_args *args)
{
    struct dpif *dpif;
    char *error = dpctl_find_dp(args->argv[0], &dpif);

    for (int i = 1; i < args->argc && !error; i++) {
        const char *name = args->argv[i];
        struct dpif_port port;

        if (dpif_port_query_by_name(dpif, name, &port)) {
            error = xasprintf("%s: no such port in %s", name, dpif_name(dpif));
            break;
        }
        if (dpif_port_del(dpif, port.port_no)) {
            error =
                xasprintf("%s: cannot delete from %s", name, dpif_name(dpif));
        } else {
            dpctl_rec_remove(&port_recs, name);
            VLOG_INFO("%s: deleted port %s", dpif_name(dpif), name);
        }
        dpif_port_destroy(&port);
    }
    return error;
}

static void
dpctl_dump_dp_cb(struct dpif *dpif, void *aux)
{
    ds_put_format(aux, "netdev@%s\n", dpif_name(dpif));
}

static char *
dpctl_cmd_dump_dps(struct dpctl_args *args)
{
    dpif_for_each(dpctl_dump_dp_cb, &args->out);
    return NULL;
}

/* ---- dpctl/show. ---- */

/* Appends a counter, or "?" for one Tern does not keep (UINT64_MAX). */
static void
dpctl_put_stat(struct ds *out, const char *label, uint64_t value)
{
    if (value == UINT64_MAX) {
        ds_put_format(out, "%s?", label);
    } else {
        ds_put_format(out, "%s%" PRIu64, label, value);
    }
}

/* Appends " (1.5 KiB)" and so on for byte counts of 1 KiB and more. */
static void
dpctl_put_human_size(struct ds *out, uint64_t bytes)
{
    static const char *const units[] = {"KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = -1;

    while (value >= 1024 && unit < (int)ARRAY_SIZE(units) - 1) {
        value /= 1024;
        unit++;
    }
    if (unit >= 0) {
        ds_put_format(out, " (%.1f %s)", value, units[unit]);
    }
}

static void
dpctl_show_port_stats(const struct netdev *netdev, struct ds *out)
{
    struct netdev_stats s;

    if (!netdev || netdev_get_stats(netdev, &s)) {
        memset(&s, 0xff, sizeof s);
    }
    dpctl_put_stat(out, "    RX packets:", s.rx_packets);
    dpctl_put_stat(out, " errors:", s.rx_errors);
    dpctl_put_stat(out, " dropped:", s.rx_dropped);
    ds_put_cstr(out, " overruns:? frame:?\n");
    dpctl_put_stat(out, "    TX packets:", s.tx_packets);
    dpctl_put_stat(out, " errors:", s.tx_errors);
    dpctl_put_stat(out, " dropped:", s.tx_dropped);
    ds_put_cstr(out, " aborted:? carrier:?\n");
    ds_put_cstr(out, "    collisions:?\n");
    dpctl_put_stat(out, "    RX bytes:", s.rx_bytes);
    if (s.rx_bytes != UINT64_MAX) {
        dpctl_put_human_size(out, s.rx_bytes);
    }
    dpctl_put_stat(out, "  TX bytes:", s.tx_bytes);
    if (s.tx_bytes != UINT64_MAX) {
        dpctl_put_human_size(out, s.tx_bytes);
    }
    ds_put_char(out, '\n');
}

struct dpctl_show_aux {
    const struct dpif *dpif;
    struct ds *out;
    bool stats;
};

static void
dpctl_show_port_cb(const struct dpif_port *port, void *aux_)
{
    struct dpctl_show_aux *aux = aux_;
    struct dpctl_rec *rec = dpctl_rec_find(&port_recs, port->name);

    ds_put_format(aux->out, "  port %" PRIu32 ": %s (%s", port->port_no,
                  port->name, port->type);
    if (rec && smap_count(&rec->smap)) {
        ds_put_cstr(aux->out, ": ");
        smap_format(&rec->smap, aux->out);
    }
    ds_put_cstr(aux->out, ")\n");
    if (aux->stats) {
        dpctl_show_port_stats(dpif_port_netdev(aux->dpif, port->port_no),
                              aux->out);
    }
}

static void
dpctl_show_dp(struct dpif *dpif, bool stats, struct ds *out)
{
    struct dpctl_show_aux aux = {dpif, out, stats};
    struct dpif_dp_stats s;
    uint64_t n_pkts;

    memset(&s, 0, sizeof s);
    dpif_get_stats(dpif, &s);
    n_pkts = s.n_hit + s.n_missed;
    ds_put_format(out, "netdev@%s:\n", dpif_name(dpif));
    ds_put_format(out,
                  "  lookups: hit:%" PRIu64 " missed:%" PRIu64 " lost:%" PRIu64
                  "\n  flows: %" PRIu64 "\n",
                  s.n_hit, s.n_missed, s.n_lost, s.n_flows);
    ds_put_format(
        out, "  masks: hit:%" PRIu64 " total:%" PRIu64 " hit/pkt:%.2f\n",
        s.n_mask_hit, s.n_masks, n_pkts ? (double)s.n_mask_hit / n_pkts : 0.0);
    dpif_port_for_each(dpif, dpctl_show_port_cb, &aux);
}

struct dpctl_collect_aux {
    struct dpif **dpifs;
    size_t n;
};

static void
dpctl_collect_cb(struct dpif *dpif, void *aux_)
{
    struct dpctl_collect_aux *aux = aux_;

    aux->dpifs = xrealloc(aux->dpifs, (aux->n + 1) * sizeof *aux->dpifs);
    aux->dpifs[aux->n++] = dpif;
}

static char *
dpctl_cmd_show(struct dpctl_args *args)
{
    bool stats = args->flags & DPCTL_F_STATS;

    if (!args->argc) {
        struct dpctl_collect_aux aux = {NULL, 0};

        dpif_for_each(dpctl_collect_cb, &aux);
        for (size_t i = 0; i < aux.n; i++) {
            dpctl_show_dp(aux.dpifs[i], stats, &args->out);
        }
        free(aux.dpifs);
        return NULL;
    }
    for (int i = 0; i < args->argc; i++) {
        struct dpif *dpif;
        char *error = dpctl_find_dp(args->argv[i], &dpif);

        if (error) {
            return error;
        }
        dpctl_show_dp(dpif, stats, &args->out);
    }
    return NULL;
}

/* ---- dpctl/set-config (Tern extension). ---- */

static char *
dpctl_cmd_set_config(struct dpctl_args *args)
{
    struct dpif *dpif;
    struct smap merged;
    char *set_error = NULL;
    char *error;
    int err;

    error = dpctl_find_dp(args->argv[0], &dpif);
    if (error) {
        return error;
    }
    smap_clone(&merged, &dpctl_rec_get(&dp_recs, dpif_name(dpif))->smap);
    for (int i = 1; i < args->argc; i++) {
        const char *arg = args->argv[i];
        const char *eq = strchr(arg, '=');
        char *key;

        if (!eq || eq == arg) {
            smap_destroy(&merged);
            return xasprintf("\"%s\" is not KEY=VALUE", arg);
        }
        key = xmemdup(arg, eq - arg + 1);
        key[eq - arg] = '\0';
        if (eq[1]) {
            smap_replace(&merged, key, eq + 1);
        } else {
            smap_remove(&merged, key);
        }
        free(key);
    }
    err = dpif_set_config(dpif, &merged, &set_error);
    if (err) {
        error = xasprintf("%s: %s", dpif_name(dpif),
                          set_error ? set_error : tern_strerror(err));
        free(set_error);
        smap_destroy(&merged);
        return error;
    }
    struct dpctl_rec *rec = dpctl_rec_get(&dp_recs, dpif_name(dpif));
    smap_destroy(&rec->smap);
    rec->smap = merged;
    return NULL;
}

/* ---- The command table and its dispatcher. ---- */

static const struct dpctl_command dpctl_commands[] = {
    {"add-dp", "DP [IFACE...]", 1, INT_MAX, 0, dpctl_cmd_add_dp},
    {"del-dp", "DP", 1, 1, 0, dpctl_cmd_del_dp},
    {"dump-dps", "", 0, 0, 0, dpctl_cmd_dump_dps},
    {"add-if", "DP IFACE[,type=TYPE][,port_no=N][,KEY=VALUE]...", 2, INT_MAX,
     0, dpctl_cmd_add_if},
    {"set-if", "DP IFACE[,type=TYPE][,port_no=N][,KEY=VALUE]...", 2, INT_MAX,
     0, dpctl_cmd_set_if},
    {"del-if", "DP IFACE...", 2, INT_MAX, 0, dpctl_cmd_del_if},
    {"show", "[-s] [DP...]", 0, INT_MAX, DPCTL_F_STATS, dpctl_cmd_show},
    {"set-config", "DP KEY=VALUE...", 2, INT_MAX, 0, dpctl_cmd_set_config},
};

static const struct {
    const char *short_name;
    const char *long_name;
    unsigned int flag;
} dpctl_flags[] = {
    {"-s", "--statistics", DPCTL_F_STATS},
    {"-m", "--more", DPCTL_F_MORE},
    {NULL, "--clear", DPCTL_F_CLEAR},
    {NULL, "--may-create", DPCTL_F_MAY_CREATE},
};

/* Parses the leading flags of 'argv' (stopping at "--" or the first word
 * not starting with '-') into 'args'.  Returns NULL or an error. */
static char *
dpctl_parse_flags(const struct dpctl_command *cmd, int argc,
                  const char *argv[], struct dpctl_args *args)
{
    int i;

    for (i = 0; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        size_t j;

        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        }
        for (j = 0; j < ARRAY_SIZE(dpctl_flags); j++) {
            if ((dpctl_flags[j].short_name &&
                 !strcmp(argv[i], dpctl_flags[j].short_name)) ||
                !strcmp(argv[i], dpctl_flags[j].long_name)) {
                break;
            }
        }
        if (j == ARRAY_SIZE(dpctl_flags) ||
            !(cmd->flags & dpctl_flags[j].flag)) {
            return xasprintf("dpctl/%s: unknown option \"%s\" (usage: "
                             "dpctl/%s %s)",
                             cmd->name, argv[i], cmd->name, cmd->usage);
        }
        args->flags |= dpctl_flags[j].flag;
    }
    args->argc = argc - i;
    args->argv = argv + i;
    if (args->argc < cmd->min_args || args->argc > cmd->max_args) {
        return xasprintf("dpctl/%s: wrong number of arguments (usage: "
                         "dpctl/%s %s)",
                         cmd->name, cmd->name, cmd->usage);
    }
    return NULL;
}

static void
dpctl_unixctl_cb(struct unixctl_conn *conn, int argc, const char *argv[],
                 void *aux)
{
    const struct dpctl_command *cmd = aux;
    struct dpctl_args args;
    char *error;

    memset(&args, 0, sizeof args);
    ds_init(&args.out);
    error = dpctl_parse_flags(cmd, argc - 1, argv + 1, &args);
    if (!error) {
        error = cmd->run(&args);
    }
    if (error) {
        unixctl_command_reply_error(conn, error);
        free(error);
    } else {
        unixctl_command_reply(conn, ds_cstr(&args.out));
    }
    ds_destroy(&args.out);
}

static void
dpctl_register_table(const struct dpctl_command *cmds, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char *name = xasprintf("dpctl/%s", cmds[i].name);
        char *usage = xasprintf("%s", cmds[i].usage);

        unixctl_command_register(name, usage, 0, DPCTL_MAX_ARGS,
                                 dpctl_unixctl_cb, (void *)&cmds[i]);
        free(name);
        free(usage);
    }
}

void
dpctl_register_commands(void)
{
    static bool registered;
    const struct dpctl_command *flow_cmds;
    size_t n_flow_cmds;

    if (registered) {
        return;
    }
    registered = true;
    dpctl_register_table(dpctl_commands, ARRAY_SIZE(dpctl_commands));
    flow_cmds = dpctl_flow_commands(&n_flow_cmds);
    dpctl_register_table(flow_cmds, n_flow_cmds);
}

void
dpctl_set_upcall_cb(dpif_upcall_cb *cb, void *aux)
{
    upcall_cb = cb;
    upcall_aux = aux;
}

void
dpctl_destroy_all(void)
{
    struct dpctl_collect_aux aux = {NULL, 0};

    dpif_for_each(dpctl_collect_cb, &aux);
    for (size_t i = 0; i < aux.n; i++) {
        VLOG_INFO("destroying datapath %s", dpif_name(aux.dpifs[i]));
        dpctl_destroy_dp(aux.dpifs[i]);
    }
    free(aux.dpifs);
    dpctl_recs_clear(&dp_recs);
    dpctl_recs_clear(&port_recs);
}
