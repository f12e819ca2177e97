/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vsctl-cmds: tern-vsctl's switch-level commands — bridges (including
 * ovs-vsctl's "fake bridges", VLAN bridges that live as a tagged port of a
 * real bridge), ports, bonds, interfaces, controllers, fail mode, managers,
 * SSL, "show", "init" and "emer-reset".
 *
 * Each command first builds a view of the snapshot (vsctl-idl.c) in terms
 * of bridges, ports and interfaces: which bridge (real or fake) each port
 * belongs to and which port each interface belongs to.  Changes go through
 * the snapshot's row functions, so later commands of the same invocation
 * see them.
 */
#include <config.h>

#include <stdlib.h>

#include "utilities/vsctl-private.h"

struct vsctl_bridge {
    const char *name;
    struct vsctl_row *br_row;   /* The real bridge's row (parent's). */
    struct vsctl_row *port_row; /* Fake bridges: the port row. */
    struct vsctl_bridge *parent;
    int vlan;
};

struct vsctl_port {
    struct vsctl_row *row;
    struct vsctl_bridge *bridge;
};

struct vsctl_iface {
    struct vsctl_row *row;
    struct vsctl_port *port;
};

struct vsctl_view {
    struct vsctl_bridge *bridges;
    size_t n_bridges;
    struct vsctl_port *ports;
    size_t n_ports;
    struct vsctl_iface *ifaces;
    size_t n_ifaces;
};

static struct vsctl_row *
ref_row__(struct vsctl_ctx *ctx, const struct ovsdb_datum *d, size_t i)
{
    return vsctl_row_by_uuid(ctx->db, &d->keys[i].uuid);
}

static bool
is_fake_bridge_port__(const struct vsctl_row *port)
{
    const struct ovsdb_datum *tag = vsctl_row_get(port, "tag");
    const struct ovsdb_datum *fake = vsctl_row_get(port, "fake_bridge");

    return fake->n && fake->keys[0].boolean && tag->n == 1 &&
           tag->keys[0].integer >= 0 && tag->keys[0].integer <= 4095;
}

static struct vsctl_bridge *
find_bridge(struct vsctl_view *v, const char *name)
{
    for (size_t i = 0; i < v->n_bridges; i++) {
        if (!strcmp(v->bridges[i].name, name)) {
            return &v->bridges[i];
        }
    }
    return NULL;
}

static struct vsctl_bridge *
find_vlan_bridge(struct vsctl_view *v, const struct vsctl_bridge *parent,
                 int vlan)
{
    for (size_t i = 0; i < v->n_bridges; i++) {
        if (v->bridges[i].parent == parent && v->bridges[i].vlan == vlan) {
            return &v->bridges[i];
        }
    }
    return NULL;
}

/* Adds the real bridges and their fake bridges to 'v'. */
static void
view_add_bridges__(struct vsctl_ctx *ctx, struct vsctl_view *v,
                   const struct ovsdb_datum *bridges, size_t max)
{
    for (size_t i = 0; i < bridges->n; i++) {
        struct vsctl_row *br = ref_row__(ctx, bridges, i);
        if (br && !find_bridge(v, vsctl_row_get_string(br, "name"))) {
            v->bridges[v->n_bridges++] = (struct vsctl_bridge){
                vsctl_row_get_string(br, "name"), br, NULL, NULL, 0};
        }
    }
    for (size_t b = 0, n_real = v->n_bridges; b < n_real; b++) {
        const struct ovsdb_datum *ports =
            vsctl_row_get(v->bridges[b].br_row, "ports");
        for (size_t i = 0; i < ports->n && v->n_bridges < max; i++) {
            struct vsctl_row *port = ref_row__(ctx, ports, i);
            const char *name = port ? vsctl_row_get_string(port, "name") : "";

            if (port && is_fake_bridge_port__(port) && !find_bridge(v, name)) {
                v->bridges[v->n_bridges++] = (struct vsctl_bridge){
                    name, v->bridges[b].br_row, port, &v->bridges[b],
                    (int)vsctl_row_get(port, "tag")->keys[0].integer};
            }
        }
    }
}

/* Builds the bridge/port/interface view of the snapshot. */
static void
view_build(struct vsctl_ctx *ctx, struct vsctl_view *v)
{
    struct vsctl_table *ports = vsctl_db_find_table(ctx->db, "Port");
    struct vsctl_table *ifaces = vsctl_db_find_table(ctx->db, "Interface");
    const struct ovsdb_datum *bridges;
    size_t max = ports->n_rows + 1;

    bridges = vsctl_row_get(vsctl_root_row(ctx->db), "bridges");
    max += bridges->n;
    memset(v, 0, sizeof *v);
    v->bridges = xcalloc(max, sizeof *v->bridges);
    v->ports = xcalloc(ports->n_rows + 1, sizeof *v->ports);
    v->ifaces = xcalloc(ifaces->n_rows + 1, sizeof *v->ifaces);
    view_add_bridges__(ctx, v, bridges, max);
    for (size_t b = 0; b < v->n_bridges; b++) {
        struct vsctl_bridge *br = &v->bridges[b];
        const struct ovsdb_datum *pl = vsctl_row_get(br->br_row, "ports");

        for (size_t i = 0; !br->parent && i < pl->n; i++) {
            struct vsctl_row *port = ref_row__(ctx, pl, i);
            const struct ovsdb_datum *tag, *il;
            struct vsctl_port *vp;

            if (!port || v->n_ports >= ports->n_rows) {
                continue;
            }
            vp = &v->ports[v->n_ports++];
            vp->row = port;
            vp->bridge = br;
            tag = vsctl_row_get(port, "tag");
            if (tag->n == 1) {
                struct vsctl_bridge *vb =
                    find_vlan_bridge(v, br, (int)tag->keys[0].integer);
                vp->bridge = vb ? vb : br;
            }
            il = vsctl_row_get(port, "interfaces");
            for (size_t j = 0; j < il->n; j++) {
                struct vsctl_row *iface = ref_row__(ctx, il, j);
                if (iface && v->n_ifaces < ifaces->n_rows) {
                    v->ifaces[v->n_ifaces++] = (struct vsctl_iface){iface, vp};
                }
            }
        }
    }
}

static void
view_destroy(struct vsctl_view *v)
{
    free(v->bridges);
    free(v->ports);
    free(v->ifaces);
}

static struct vsctl_port *
find_port(struct vsctl_view *v, const char *name)
{
    for (size_t i = 0; i < v->n_ports; i++) {
        if (!strcmp(vsctl_row_get_string(v->ports[i].row, "name"), name)) {
            return &v->ports[i];
        }
    }
    return NULL;
}

static struct vsctl_iface *
find_iface(struct vsctl_view *v, const char *name)
{
    for (size_t i = 0; i < v->n_ifaces; i++) {
        if (!strcmp(vsctl_row_get_string(v->ifaces[i].row, "name"), name)) {
            return &v->ifaces[i];
        }
    }
    return NULL;
}

static struct vsctl_bridge *
get_bridge(struct vsctl_view *v, const char *name, bool must_exist)
{
    struct vsctl_bridge *br = find_bridge(v, name);
    if (!br && must_exist) {
        vsctl_fatal("no bridge named %s", name);
    }
    return br;
}

/* Dies if 'name' is already a bridge, port or interface. */
static void
check_conflicts(struct vsctl_view *v, const char *name, const char *msg)
{
    struct vsctl_port *port;
    struct vsctl_iface *iface;

    if (find_bridge(v, name)) {
        vsctl_fatal("%s because a bridge named %s already exists", msg, name);
    }
    port = find_port(v, name);
    if (port) {
        vsctl_fatal("%s because a port named %s already exists on bridge %s",
                    msg, name, port->bridge->name);
    }
    iface = find_iface(v, name);
    if (iface) {
        vsctl_fatal("%s because an interface named %s already exists on "
                    "bridge %s",
                    msg, name, iface->port->bridge->name);
    }
}

/* Prints 'names' sorted, one per line. */
static int
compare_strings__(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void
print_sorted(struct vsctl_ctx *ctx, const char **names, size_t n)
{
    qsort(names, n, sizeof *names, compare_strings__);
    for (size_t i = 0; i < n; i++) {
        ds_put_format(ctx->out, "%s\n", names[i]);
    }
}

static void
cmd_init(struct vsctl_ctx *ctx TERN_UNUSED)
{
    /* The Open_vSwitch row is created before any command runs. */
}

/* Creates an Interface row and a Port row that holds it. */
static struct vsctl_row *
new_port_row(struct vsctl_ctx *ctx, const char *name, char **ifaces,
             int n_ifaces)
{
    struct ovsdb_datum empty;
    struct vsctl_row *port;

    port = vsctl_row_insert(vsctl_db_find_table(ctx->db, "Port"), NULL);
    vsctl_row_set_string(port, "name", name);
    /* "interfaces" needs at least one: start from none, not the default. */
    ovsdb_datum_init_empty(&empty);
    vsctl_row_set(port, vsctl_find_column(port->table, "interfaces"), &empty);
    for (int i = 0; i < n_ifaces; i++) {
        struct vsctl_row *iface =
            vsctl_row_insert(vsctl_db_find_table(ctx->db, "Interface"), NULL);
        vsctl_row_set_string(iface, "name", ifaces[i]);
        vsctl_row_add_uuid(port, "interfaces", &iface->uuid);
    }
    return port;
}

static void
add_fake_bridge__(struct vsctl_ctx *ctx, struct vsctl_view *v,
                  const char *name, const char *parent_name, int vlan)
{
    struct vsctl_bridge *parent = find_bridge(v, parent_name);
    char *iface = (char *)name;
    struct vsctl_row *port;
    int64_t tag = vlan;

    if (!parent) {
        vsctl_fatal("parent bridge %s does not exist", parent_name);
    } else if (parent->parent) {
        vsctl_fatal("cannot create bridge with fake bridge as parent");
    } else if (find_vlan_bridge(v, parent, vlan)) {
        vsctl_fatal("bridge %s already has a child VLAN bridge %s on VLAN %d",
                    parent_name, find_vlan_bridge(v, parent, vlan)->name,
                    vlan);
    }
    port = new_port_row(ctx, name, &iface, 1);
    vsctl_row_set_integer(port, "tag", &tag);
    vsctl_set_column(ctx->db, port, "fake_bridge=true");
    vsctl_row_set_string(ref_row__(ctx, vsctl_row_get(port, "interfaces"), 0),
                         "type", "internal");
    vsctl_row_add_uuid(parent->br_row, "ports", &port->uuid);
}

/* --may-exist add-br of an existing bridge: checks it is the same kind. */
static void
add_br_exists__(struct vsctl_ctx *ctx, struct vsctl_bridge *br, int vlan)
{
    char **argv = ctx->cmd->argv;

    if (ctx->cmd->argc == 2 && br->parent) {
        vsctl_fatal("\"--may-exist add-br %s\" but %s is a VLAN bridge for "
                    "VLAN %d",
                    argv[1], argv[1], br->vlan);
    } else if (ctx->cmd->argc > 2) {
        if (!br->parent) {
            vsctl_fatal("\"--may-exist add-br %s %s %d\" but %s is not a "
                        "VLAN bridge",
                        argv[1], argv[2], vlan, argv[1]);
        } else if (strcmp(br->parent->name, argv[2])) {
            vsctl_fatal("\"--may-exist add-br %s %s %d\" but %s has the "
                        "wrong parent %s",
                        argv[1], argv[2], vlan, argv[1], br->parent->name);
        } else if (br->vlan != vlan) {
            vsctl_fatal("\"--may-exist add-br %s %s %d\" but %s is a VLAN "
                        "bridge for the wrong VLAN %d",
                        argv[1], argv[2], vlan, argv[1], br->vlan);
        }
    }
}

static void
cmd_add_br(struct vsctl_ctx *ctx)
{
    const char *name = ctx->cmd->argv[1];
    struct vsctl_view v;
    struct vsctl_bridge *br;
    char *msg;
    int vlan = 0;

    if (ctx->cmd->argc == 3) {
        vsctl_fatal("'add-br' command takes exactly 1 or 3 arguments");
    } else if (ctx->cmd->argc == 4) {
        uint32_t u;
        if (!str_to_u32(ctx->cmd->argv[3], &u) || u > 4095) {
            vsctl_fatal("add-br: vlan must be between 0 and 4095");
        }
        vlan = (int)u;
    }
    view_build(ctx, &v);
    br = find_bridge(&v, name);
    if (br && vsctl_has_option(ctx, "--may-exist")) {
        add_br_exists__(ctx, br, vlan);
        view_destroy(&v);
        return;
    }
    msg = xasprintf("cannot create a bridge named %s", name);
    check_conflicts(&v, name, msg);
    free(msg);
    if (ctx->cmd->argc == 2) {
        char *iface = (char *)name;
        struct vsctl_row *port = new_port_row(ctx, name, &iface, 1);
        struct vsctl_row *row =
            vsctl_row_insert(vsctl_db_find_table(ctx->db, "Bridge"), NULL);

        vsctl_row_set_string(
            ref_row__(ctx, vsctl_row_get(port, "interfaces"), 0), "type",
            "internal");
        vsctl_row_set_string(row, "name", name);
        vsctl_row_add_uuid(row, "ports", &port->uuid);
        vsctl_row_add_uuid(vsctl_root_row(ctx->db), "bridges", &row->uuid);
    } else {
        add_fake_bridge__(ctx, &v, name, ctx->cmd->argv[2], vlan);
    }
    view_destroy(&v);
}

/* Deletes a port row and its interfaces, removing it from its bridge. */
static void
delete_port(struct vsctl_ctx *ctx, struct vsctl_port *port)
{
    const struct ovsdb_datum *ifaces = vsctl_row_get(port->row, "interfaces");

    for (size_t i = 0; i < ifaces->n; i++) {
        struct vsctl_row *iface = ref_row__(ctx, ifaces, i);
        if (iface) {
            vsctl_row_delete(iface);
        }
    }
    vsctl_row_remove_uuid(port->bridge->br_row, "ports", &port->row->uuid);
    vsctl_row_delete(port->row);
}

static void
cmd_del_br(struct vsctl_ctx *ctx)
{
    struct vsctl_view v;
    struct vsctl_bridge *br;

    view_build(ctx, &v);
    br = get_bridge(&v, ctx->cmd->argv[1],
                    !vsctl_has_option(ctx, "--if-exists"));
    if (br) {
        for (size_t i = 0; i < v.n_ports; i++) {
            struct vsctl_port *p = &v.ports[i];
            if (p->bridge == br || (!br->parent && p->bridge->parent == br)) {
                delete_port(ctx, p);
            }
        }
        if (!br->parent) {
            vsctl_row_remove_uuid(vsctl_root_row(ctx->db), "bridges",
                                  &br->br_row->uuid);
            vsctl_row_delete(br->br_row);
        }
    }
    view_destroy(&v);
}

static void
cmd_list_br(struct vsctl_ctx *ctx)
{
    bool real = vsctl_has_option(ctx, "--real");
    bool fake = vsctl_has_option(ctx, "--fake");
    struct vsctl_view v;
    const char **names;
    size_t n = 0;

    view_build(ctx, &v);
    names = xcalloc(v.n_bridges + 1, sizeof *names);
    for (size_t i = 0; i < v.n_bridges; i++) {
        bool is_fake = v.bridges[i].parent != NULL;
        if ((!real && !fake) || (real && !is_fake) || (fake && is_fake)) {
            names[n++] = v.bridges[i].name;
        }
    }
    print_sorted(ctx, names, n);
    free(names);
    view_destroy(&v);
}

static void
cmd_br_exists(struct vsctl_ctx *ctx)
{
    struct vsctl_view v;
    bool exists;

    view_build(ctx, &v);
    exists = find_bridge(&v, ctx->cmd->argv[1]) != NULL;
    view_destroy(&v);
    if (!exists) {
        exit(2);
    }
}

static void
cmd_br_to_vlan(struct vsctl_ctx *ctx)
{
    struct vsctl_view v;

    view_build(ctx, &v);
    ds_put_format(ctx->out, "%d\n",
                  get_bridge(&v, ctx->cmd->argv[1], true)->vlan);
    view_destroy(&v);
}

static void
cmd_br_to_parent(struct vsctl_ctx *ctx)
{
    struct vsctl_view v;
    struct vsctl_bridge *br;

    view_build(ctx, &v);
    br = get_bridge(&v, ctx->cmd->argv[1], true);
    ds_put_format(ctx->out, "%s\n", br->parent ? br->parent->name : br->name);
    view_destroy(&v);
}

static void
cmd_br_set_external_id(struct vsctl_ctx *ctx)
{
    struct vsctl_view v;
    struct vsctl_bridge *br;
    const char *value = ctx->cmd->argc > 3 ? ctx->cmd->argv[3] : NULL;

    view_build(ctx, &v);
    br = get_bridge(&v, ctx->cmd->argv[1], true);
    if (br->parent) {
        char *key = xasprintf("fake-bridge-%s", ctx->cmd->argv[2]);
        vsctl_row_set_map_key(br->port_row, "external_ids", key, value);
        free(key);
    } else {
        vsctl_row_set_map_key(br->br_row, "external_ids", ctx->cmd->argv[2],
                              value);
    }
    view_destroy(&v);
}

static void
cmd_br_get_external_id(struct vsctl_ctx *ctx)
{
    const char *prefix = "";
    const struct ovsdb_datum *ids;
    struct vsctl_bridge *br;
    struct vsctl_view v;
    const char **lines;
    size_t n = 0;

    view_build(ctx, &v);
    br = get_bridge(&v, ctx->cmd->argv[1], true);
    if (br->parent) {
        prefix = "fake-bridge-";
        ids = vsctl_row_get(br->port_row, "external_ids");
    } else {
        ids = vsctl_row_get(br->br_row, "external_ids");
    }
    lines = xcalloc(ids->n + 1, sizeof *lines);
    for (size_t i = 0; i < ids->n; i++) {
        const char *key = ids->keys[i].string;
        const char *val = ids->values[i].string;

        if (strncmp(key, prefix, strlen(prefix))) {
            continue;
        }
        key += strlen(prefix);
        if (ctx->cmd->argc > 2) {
            if (!strcmp(key, ctx->cmd->argv[2])) {
                ds_put_format(ctx->out, "%s\n", val);
            }
        } else {
            lines[n++] = xasprintf("%s=%s", key, val);
        }
    }
    print_sorted(ctx, lines, n);
    for (size_t i = 0; i < n; i++) {
        free((char *)lines[i]);
    }
    free(lines);
    view_destroy(&v);
}

/* list-ports (ifaces false) and list-ifaces (ifaces true). */
static void
list_ports_or_ifaces__(struct vsctl_ctx *ctx, bool ifaces)
{
    struct vsctl_view v;
    struct vsctl_bridge *br;
    const char **names;
    size_t n = 0;

    view_build(ctx, &v);
    br = get_bridge(&v, ctx->cmd->argv[1], true);
    names = xcalloc(v.n_ports + v.n_ifaces + 1, sizeof *names);
    for (size_t i = 0; !ifaces && i < v.n_ports; i++) {
        const char *name = vsctl_row_get_string(v.ports[i].row, "name");
        if (v.ports[i].bridge == br && strcmp(name, br->name)) {
            names[n++] = name;
        }
    }
    for (size_t i = 0; ifaces && i < v.n_ifaces; i++) {
        const char *name = vsctl_row_get_string(v.ifaces[i].row, "name");
        if (v.ifaces[i].port->bridge == br && strcmp(name, br->name)) {
            names[n++] = name;
        }
    }
    print_sorted(ctx, names, n);
    free(names);
    view_destroy(&v);
}

static void
cmd_list_ports(struct vsctl_ctx *ctx)
{
    list_ports_or_ifaces__(ctx, false);
}

static void
cmd_list_ifaces(struct vsctl_ctx *ctx)
{
    list_ports_or_ifaces__(ctx, true);
}

/* --may-exist add-port/add-bond of an existing port: checks that it is on
 * the same bridge with the same interfaces. */
static void
add_port_exists__(struct vsctl_ctx *ctx, struct vsctl_view *v,
                  struct vsctl_port *port, char **ifaces, int n_ifaces)
{
    const char *cmd = ctx->cmd->argv[0];
    const char *br = ctx->cmd->argv[1], *name = ctx->cmd->argv[2];
    const char **have = xcalloc(v->n_ifaces + 1, sizeof *have);
    const char **want = xcalloc(n_ifaces + 1, sizeof *want);
    size_t n_have = 0;
    bool same;

    if (strcmp(port->bridge->name, br)) {
        vsctl_fatal("\"--may-exist %s %s %s\" but %s is actually attached "
                    "to bridge %s",
                    cmd, br, name, name, port->bridge->name);
    }
    for (size_t i = 0; i < v->n_ifaces; i++) {
        if (v->ifaces[i].port == port) {
            have[n_have++] = vsctl_row_get_string(v->ifaces[i].row, "name");
        }
    }
    memcpy(want, ifaces, n_ifaces * sizeof *want);
    qsort(have, n_have, sizeof *have, compare_strings__);
    qsort(want, n_ifaces, sizeof *want, compare_strings__);
    same = n_have == (size_t)n_ifaces;
    for (size_t i = 0; same && i < n_have; i++) {
        same = !strcmp(have[i], want[i]);
    }
    if (!same) {
        struct ds list = DS_EMPTY;
        for (size_t i = 0; i < n_have; i++) {
            ds_put_format(&list, "%s%s", i ? ", " : "", have[i]);
        }
        vsctl_fatal("\"--may-exist %s %s %s\" but %s actually has "
                    "interface(s) %s",
                    cmd, br, name, name, ds_cstr(&list));
    }
    free(have);
    free(want);
}

/* add-port and add-bond: 'ifaces' names the interfaces, 'settings' the
 * COLUMN[:KEY]=VALUE arguments for the Port row. */
static void
add_port(struct vsctl_ctx *ctx, char **ifaces, int n_ifaces, char **settings,
         int n_settings, bool fake_iface)
{
    const char *br_name = ctx->cmd->argv[1], *name = ctx->cmd->argv[2];
    struct vsctl_view v;
    struct vsctl_bridge *br;
    struct vsctl_port *existing;
    struct vsctl_row *port;
    char *msg;

    view_build(ctx, &v);
    existing = find_port(&v, name);
    if (existing && vsctl_has_option(ctx, "--may-exist")) {
        add_port_exists__(ctx, &v, existing, ifaces, n_ifaces);
        view_destroy(&v);
        return;
    }
    br = get_bridge(&v, br_name, true);
    msg = xasprintf("cannot create a port named %s", name);
    check_conflicts(&v, name, msg);
    free(msg);
    for (int i = 0; i < n_ifaces; i++) {
        msg = xasprintf("cannot create an interface named %s", ifaces[i]);
        check_conflicts(&v, ifaces[i], msg);
        free(msg);
    }
    port = new_port_row(ctx, name, ifaces, n_ifaces);
    if (fake_iface) {
        vsctl_set_column(ctx->db, port, "bond_fake_iface=true");
    }
    if (br->parent) {
        int64_t tag = br->vlan;
        vsctl_row_set_integer(port, "tag", &tag);
    }
    for (int i = 0; i < n_settings; i++) {
        vsctl_set_column(ctx->db, port, settings[i]);
    }
    vsctl_row_add_uuid(br->br_row, "ports", &port->uuid);
    view_destroy(&v);
}

static void
cmd_add_port(struct vsctl_ctx *ctx)
{
    add_port(ctx, &ctx->cmd->argv[2], 1, &ctx->cmd->argv[3],
             ctx->cmd->argc - 3, false);
}

static void
cmd_add_bond(struct vsctl_ctx *ctx)
{
    int n_ifaces = 0;

    while (3 + n_ifaces < ctx->cmd->argc &&
           !strchr(ctx->cmd->argv[3 + n_ifaces], '=')) {
        n_ifaces++;
    }
    if (n_ifaces < 2) {
        vsctl_fatal("add-bond requires at least 2 interfaces, but only %d "
                    "were specified",
                    n_ifaces);
    }
    add_port(ctx, &ctx->cmd->argv[3], n_ifaces, &ctx->cmd->argv[3 + n_ifaces],
             ctx->cmd->argc - 3 - n_ifaces,
             vsctl_has_option(ctx, "--fake-iface"));
}

/* Finds the port del-port names, or NULL (fatal without --if-exists). */
static struct vsctl_port *
del_port_target__(struct vsctl_ctx *ctx, struct vsctl_view *v,
                  const char *target)
{
    bool with_iface = vsctl_has_option(ctx, "--with-iface");
    struct vsctl_port *port = find_port(v, target);

    if (!port && with_iface) {
        struct vsctl_iface *iface = find_iface(v, target);
        port = iface ? iface->port : NULL;
    }
    if (!port && !vsctl_has_option(ctx, "--if-exists")) {
        vsctl_fatal(with_iface ? "no port or interface named %s"
                               : "no port named %s",
                    target);
    }
    return port;
}

static void
cmd_del_port(struct vsctl_ctx *ctx)
{
    const char *target = ctx->cmd->argv[ctx->cmd->argc - 1];
    struct vsctl_port *port;
    struct vsctl_view v;

    view_build(ctx, &v);
    port = del_port_target__(ctx, &v, target);
    if (port && ctx->cmd->argc > 2) {
        struct vsctl_bridge *br = get_bridge(&v, ctx->cmd->argv[1], true);

        if (port->bridge != br) {
            if (port->bridge->parent == br) {
                vsctl_fatal("bridge %s does not have a port %s (although "
                            "its child bridge %s does)",
                            br->name, target, port->bridge->name);
            }
            vsctl_fatal("bridge %s does not have a port %s", br->name, target);
        }
    }
    if (port) {
        const char *name = vsctl_row_get_string(port->row, "name");
        if (!strcmp(name, port->bridge->name)) {
            vsctl_fatal("cannot delete port %s because it is the local port "
                        "for bridge %s (deleting this port requires deleting "
                        "the entire bridge)",
                        name, name);
        }
        delete_port(ctx, port);
    }
    view_destroy(&v);
}

static void
cmd_port_to_br(struct vsctl_ctx *ctx)
{
    struct vsctl_view v;
    struct vsctl_port *port;

    view_build(ctx, &v);
    port = find_port(&v, ctx->cmd->argv[1]);
    if (!port) {
        vsctl_fatal("no port named %s", ctx->cmd->argv[1]);
    }
    ds_put_format(ctx->out, "%s\n", port->bridge->name);
    view_destroy(&v);
}

static void
cmd_iface_to_br(struct vsctl_ctx *ctx)
{
    struct vsctl_view v;
    struct vsctl_iface *iface;

    view_build(ctx, &v);
    iface = find_iface(&v, ctx->cmd->argv[1]);
    if (!iface) {
        vsctl_fatal("no interface named %s", ctx->cmd->argv[1]);
    }
    ds_put_format(ctx->out, "%s\n", iface->port->bridge->name);
    view_destroy(&v);
}

/* Prints the sorted "target" columns of the rows 'refs' refers to. */
static void
print_targets(struct vsctl_ctx *ctx, const struct ovsdb_datum *refs)
{
    const char **names = xcalloc(refs->n + 1, sizeof *names);
    size_t n = 0;

    for (size_t i = 0; i < refs->n; i++) {
        struct vsctl_row *row = ref_row__(ctx, refs, i);
        if (row) {
            names[n++] = vsctl_row_get_string(row, "target");
        }
    }
    print_sorted(ctx, names, n);
    free(names);
}

/* Deletes the rows 'column' of 'row' refers to and empties it. */
static void
clear_refs(struct vsctl_ctx *ctx, struct vsctl_row *row, const char *column)
{
    const struct ovsdb_datum *refs = vsctl_row_get(row, column);
    struct ovsdb_datum empty;

    for (size_t i = 0; i < refs->n; i++) {
        struct vsctl_row *target = ref_row__(ctx, refs, i);
        if (target) {
            vsctl_row_delete(target);
        }
    }
    ovsdb_datum_init_empty(&empty);
    vsctl_row_set(row, vsctl_find_column(row->table, column), &empty);
}

/* Replaces the rows 'column' of 'row' refers to by new rows of 'table'
 * with "target" set to each of 'targets'. */
static void
set_targets(struct vsctl_ctx *ctx, struct vsctl_row *row, const char *column,
            const char *table, char **targets, int n)
{
    clear_refs(ctx, row, column);
    for (int i = 0; i < n; i++) {
        struct vsctl_row *t =
            vsctl_row_insert(vsctl_db_find_table(ctx->db, table), NULL);
        vsctl_row_set_string(t, "target", targets[i]);
        vsctl_row_add_uuid(row, column, &t->uuid);
    }
}

/* The real bridge row of the bridge named in argv[1]. */
static struct vsctl_row *
bridge_row(struct vsctl_ctx *ctx)
{
    struct vsctl_view v;
    struct vsctl_row *row;

    view_build(ctx, &v);
    row = get_bridge(&v, ctx->cmd->argv[1], true)->br_row;
    view_destroy(&v);
    return row;
}

static void
cmd_get_controller(struct vsctl_ctx *ctx)
{
    print_targets(ctx, vsctl_row_get(bridge_row(ctx), "controller"));
}

static void
cmd_del_controller(struct vsctl_ctx *ctx)
{
    clear_refs(ctx, bridge_row(ctx), "controller");
}

static void
cmd_set_controller(struct vsctl_ctx *ctx)
{
    set_targets(ctx, bridge_row(ctx), "controller", "Controller",
                &ctx->cmd->argv[2], ctx->cmd->argc - 2);
}

static void
cmd_get_fail_mode(struct vsctl_ctx *ctx)
{
    const struct ovsdb_datum *mode =
        vsctl_row_get(bridge_row(ctx), "fail_mode");
    if (mode->n) {
        ds_put_format(ctx->out, "%s\n", mode->keys[0].string);
    }
}

static void
cmd_del_fail_mode(struct vsctl_ctx *ctx)
{
    vsctl_row_set_string(bridge_row(ctx), "fail_mode", NULL);
}

static void
cmd_set_fail_mode(struct vsctl_ctx *ctx)
{
    const char *mode = ctx->cmd->argv[2];
    struct vsctl_row *br = bridge_row(ctx);

    if (strcmp(mode, "standalone") && strcmp(mode, "secure")) {
        vsctl_fatal("fail-mode must be \"standalone\" or \"secure\"");
    }
    vsctl_row_set_string(br, "fail_mode", mode);
}

static void
cmd_get_manager(struct vsctl_ctx *ctx)
{
    print_targets(ctx,
                  vsctl_row_get(vsctl_root_row(ctx->db), "manager_options"));
}

static void
cmd_del_manager(struct vsctl_ctx *ctx)
{
    clear_refs(ctx, vsctl_root_row(ctx->db), "manager_options");
}

static void
cmd_set_manager(struct vsctl_ctx *ctx)
{
    set_targets(ctx, vsctl_root_row(ctx->db), "manager_options", "Manager",
                &ctx->cmd->argv[1], ctx->cmd->argc - 1);
}

static void
cmd_get_ssl(struct vsctl_ctx *ctx)
{
    const struct ovsdb_datum *ssl =
        vsctl_row_get(vsctl_root_row(ctx->db), "ssl");
    struct vsctl_row *row = ssl->n ? ref_row__(ctx, ssl, 0) : NULL;

    if (row) {
        const struct ovsdb_datum *b = vsctl_row_get(row, "bootstrap_ca_cert");
        ds_put_format(ctx->out,
                      "Private key: %s\nCertificate: %s\nCA Certificate: "
                      "%s\nBootstrap: %s\n",
                      vsctl_row_get_string(row, "private_key"),
                      vsctl_row_get_string(row, "certificate"),
                      vsctl_row_get_string(row, "ca_cert"),
                      b->n && b->keys[0].boolean ? "true" : "false");
    }
}

static void
cmd_del_ssl(struct vsctl_ctx *ctx)
{
    clear_refs(ctx, vsctl_root_row(ctx->db), "ssl");
}

static void
cmd_set_ssl(struct vsctl_ctx *ctx)
{
    struct vsctl_row *root = vsctl_root_row(ctx->db);
    struct vsctl_row *ssl;

    clear_refs(ctx, root, "ssl");
    ssl = vsctl_row_insert(vsctl_db_find_table(ctx->db, "SSL"), NULL);
    vsctl_row_set_string(ssl, "private_key", ctx->cmd->argv[1]);
    vsctl_row_set_string(ssl, "certificate", ctx->cmd->argv[2]);
    vsctl_row_set_string(ssl, "ca_cert", ctx->cmd->argv[3]);
    if (vsctl_has_option(ctx, "--bootstrap")) {
        vsctl_set_column(ctx->db, ssl, "bootstrap_ca_cert=true");
    }
    vsctl_row_add_uuid(root, "ssl", &ssl->uuid);
}

/* emer-reset: the columns it empties and the tables it empties. */
static const char *const emer_reset_columns[][2] = {
    {"Open_vSwitch", "manager_options"},
    {"Open_vSwitch", "ssl"},
    {"Bridge", "controller"},
    {"Bridge", "fail_mode"},
    {"Bridge", "mirrors"},
    {"Bridge", "netflow"},
    {"Bridge", "sflow"},
    {"Bridge", "ipfix"},
    {"Bridge", "flood_vlans"},
    {"Port", "other_config"},
    {"Interface", "other_config"},
};
static const char *const emer_reset_tables[] = {
    "Mirror", "Controller", "Manager", "NetFlow",
    "SSL",    "sFlow",      "IPFIX",   "Flow_Sample_Collector_Set",
};

static void
cmd_emer_reset(struct vsctl_ctx *ctx)
{
    struct vsctl_table *bridges = vsctl_db_find_table(ctx->db, "Bridge");

    for (size_t i = 0; i < ARRAY_SIZE(emer_reset_columns); i++) {
        struct vsctl_table *t =
            vsctl_db_find_table(ctx->db, emer_reset_columns[i][0]);
        size_t col =
            t ? vsctl_find_column(t, emer_reset_columns[i][1]) : SIZE_MAX;

        for (size_t r = 0; col != SIZE_MAX && r < t->n_rows; r++) {
            struct ovsdb_datum empty;
            ovsdb_datum_init_empty(&empty);
            vsctl_row_set(t->rows[r], col, &empty);
        }
    }
    for (size_t r = 0; r < bridges->n_rows; r++) {
        struct vsctl_row *br = bridges->rows[r];
        const struct ovsdb_datum *oc = vsctl_row_get(br, "other_config");
        union ovsdb_atom key = {.string = (char *)"hwaddr"};
        size_t idx = ovsdb_datum_find_key(oc, &key, OVSDB_TYPE_STRING);
        char *hwaddr =
            idx != SIZE_MAX ? xstrdup(oc->values[idx].string) : NULL;
        struct ovsdb_datum empty;

        ovsdb_datum_init_empty(&empty);
        vsctl_row_set(br, vsctl_find_column(br->table, "other_config"),
                      &empty);
        if (hwaddr) {
            vsctl_row_set_map_key(br, "other_config", "hwaddr", hwaddr);
            free(hwaddr);
        }
    }
    for (size_t i = 0; i < ARRAY_SIZE(emer_reset_tables); i++) {
        struct vsctl_table *t =
            vsctl_db_find_table(ctx->db, emer_reset_tables[i]);
        for (size_t r = 0; t && r < t->n_rows; r++) {
            vsctl_row_delete(t->rows[r]);
        }
    }
}

/* "show": which tables it prints, the column naming each row, and the
 * columns shown under it (references to shown tables are printed as
 * nested rows, other columns as "column: value" unless default). */
struct vsctl_show_table {
    const char *table;
    const char *name_column; /* NULL: print the UUID. */
    const char *columns[4];
};

static const struct vsctl_show_table show_tables[] = {
    {"Open_vSwitch", NULL, {"manager_options", "bridges", "ovs_version"}},
    {"Bridge", "name", {"controller", "fail_mode", "datapath_type", "ports"}},
    {"Port", "name", {"tag", "trunks", "interfaces"}},
    {"Interface", "name", {"type", "options", "error"}},
    {"Controller", "target", {"is_connected"}},
    {"Manager", "target", {"is_connected"}},
};

static const struct vsctl_show_table *
show_table(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(show_tables); i++) {
        if (!strcmp(show_tables[i].table, name)) {
            return &show_tables[i];
        }
    }
    return NULL;
}

static bool
datum_is_default__(const struct ovsdb_datum *d, const struct ovsdb_type *type)
{
    struct ovsdb_datum def;
    bool is_default;

    ovsdb_datum_init_default(&def, type);
    is_default = ovsdb_datum_equals(d, &def, type);
    ovsdb_datum_destroy(&def, type);
    return is_default;
}

static void
show_row(struct vsctl_ctx *ctx, const struct vsctl_row *row, int level)
{
    const struct vsctl_show_table *st = show_table(row->table->name);

    ds_put_format(ctx->out, "%*s", level * 4, "");
    if (st->name_column) {
        size_t col = vsctl_find_column(row->table, st->name_column);
        ds_put_format(ctx->out, "%s ", row->table->name);
        ovsdb_datum_to_string(&row->cur[col], &row->table->columns[col].type,
                              ctx->out);
    } else {
        char s[UUID_LEN + 1];
        uuid_to_string(&row->uuid, s);
        ds_put_cstr(ctx->out, s);
    }
    ds_put_char(ctx->out, '\n');
    for (size_t i = 0; i < ARRAY_SIZE(st->columns) && st->columns[i]; i++) {
        size_t col = vsctl_find_column(row->table, st->columns[i]);
        const struct ovsdb_type *type;
        const struct ovsdb_datum *d;

        if (col == SIZE_MAX) {
            continue;
        }
        type = &row->table->columns[col].type;
        d = &row->cur[col];
        if (type->key.type == OVSDB_TYPE_UUID && type->key.ref_table_name &&
            show_table(type->key.ref_table_name)) {
            for (size_t j = 0; j < d->n; j++) {
                const struct vsctl_row *ref = ref_row__(ctx, d, j);
                if (ref && ref->table ==
                               vsctl_db_find_table(ctx->db,
                                                   type->key.ref_table_name)) {
                    show_row(ctx, ref, level + 1);
                }
            }
        } else if (!datum_is_default__(d, type)) {
            ds_put_format(ctx->out, "%*s%s: ", (level + 1) * 4, "",
                          st->columns[i]);
            ovsdb_datum_to_string(d, type, ctx->out);
            ds_put_char(ctx->out, '\n');
        }
    }
}

static void
cmd_show(struct vsctl_ctx *ctx)
{
    show_row(ctx, vsctl_root_row(ctx->db), 0);
}

const struct vsctl_command_syntax vsctl_bridge_commands[] = {
    {"init", 0, 0, NULL, cmd_init, false},
    {"show", 0, 0, NULL, cmd_show, true},
    {"emer-reset", 0, 0, NULL, cmd_emer_reset, false},
    {"add-br", 1, 3, "--may-exist", cmd_add_br, false},
    {"del-br", 1, 1, "--if-exists", cmd_del_br, false},
    {"list-br", 0, 0, "--real,--fake", cmd_list_br, true},
    {"br-exists", 1, 1, NULL, cmd_br_exists, true},
    {"br-to-vlan", 1, 1, NULL, cmd_br_to_vlan, true},
    {"br-to-parent", 1, 1, NULL, cmd_br_to_parent, true},
    {"br-set-external-id", 2, 3, NULL, cmd_br_set_external_id, false},
    {"br-get-external-id", 1, 2, NULL, cmd_br_get_external_id, true},
    {"list-ports", 1, 1, NULL, cmd_list_ports, true},
    {"add-port", 2, -1, "--may-exist", cmd_add_port, false},
    {"add-bond", 4, -1, "--may-exist,--fake-iface", cmd_add_bond, false},
    {"del-port", 1, 2, "--if-exists,--with-iface", cmd_del_port, false},
    {"port-to-br", 1, 1, NULL, cmd_port_to_br, true},
    {"list-ifaces", 1, 1, NULL, cmd_list_ifaces, true},
    {"iface-to-br", 1, 1, NULL, cmd_iface_to_br, true},
    {"get-controller", 1, 1, NULL, cmd_get_controller, true},
    {"del-controller", 1, 1, NULL, cmd_del_controller, false},
    {"set-controller", 1, -1, NULL, cmd_set_controller, false},
    {"get-fail-mode", 1, 1, NULL, cmd_get_fail_mode, true},
    {"del-fail-mode", 1, 1, NULL, cmd_del_fail_mode, false},
    {"set-fail-mode", 2, 2, NULL, cmd_set_fail_mode, false},
    {"get-manager", 0, 0, NULL, cmd_get_manager, true},
    {"del-manager", 0, 0, NULL, cmd_del_manager, false},
    {"set-manager", 1, -1, NULL, cmd_set_manager, false},
    {"get-ssl", 0, 0, NULL, cmd_get_ssl, true},
    {"del-ssl", 0, 0, NULL, cmd_del_ssl, false},
    {"set-ssl", 3, 3, "--bootstrap", cmd_set_ssl, false},
    {NULL, 0, 0, NULL, NULL, false},
};
