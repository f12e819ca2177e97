/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vsctl-format: the tables that tern-vsctl's list and find print, in the
 * formats of ovs-vsctl: "list" (one "column : value" line per cell, rows
 * separated by blank lines), "table" (aligned columns under a heading and a
 * dashed rule), "csv" (RFC 4180) and "json" ({"data": rows, "headings":
 * names}).  Cells are OVSDB data, printed as --data says: the ovs-vsctl
 * notation ("string"), without punctuation ("bare") or as RFC 7047 JSON.
 */
#include <config.h>

#include <stdlib.h>

#include "utilities/vsctl-private.h"

struct vsctl_cell {
    struct ovsdb_datum datum;
    struct ovsdb_type type;
};

struct vsctl_out_row {
    struct vsctl_cell *cells;
    size_t n;
};

struct vsctl_out_table {
    char **headings;
    size_t n_headings;
    struct vsctl_out_row *rows;
    size_t n_rows;
};

struct vsctl_out_table *
vsctl_out_table_create(void)
{
    return xzalloc(sizeof(struct vsctl_out_table));
}

void
vsctl_out_table_destroy(struct vsctl_out_table *t)
{
    for (size_t i = 0; i < t->n_headings; i++) {
        free(t->headings[i]);
    }
    for (size_t r = 0; r < t->n_rows; r++) {
        for (size_t c = 0; c < t->rows[r].n; c++) {
            struct vsctl_cell *cell = &t->rows[r].cells[c];
            ovsdb_datum_destroy(&cell->datum, &cell->type);
            ovsdb_type_destroy(&cell->type);
        }
        free(t->rows[r].cells);
    }
    free(t->headings);
    free(t->rows);
    free(t);
}

void
vsctl_out_table_add_heading(struct vsctl_out_table *t, const char *heading)
{
    t->headings =
        xrealloc(t->headings, (t->n_headings + 1) * sizeof *t->headings);
    t->headings[t->n_headings++] = xstrdup(heading);
}

void
vsctl_out_table_add_row(struct vsctl_out_table *t)
{
    t->rows = xrealloc(t->rows, (t->n_rows + 1) * sizeof *t->rows);
    t->rows[t->n_rows].cells =
        xcalloc(t->n_headings + 1, sizeof(struct vsctl_cell));
    t->rows[t->n_rows].n = 0;
    t->n_rows++;
}

void
vsctl_out_table_add_datum(struct vsctl_out_table *t,
                          const struct ovsdb_datum *datum,
                          const struct ovsdb_type *type)
{
    struct vsctl_out_row *row = &t->rows[t->n_rows - 1];
    struct vsctl_cell *cell = &row->cells[row->n++];

    ovsdb_type_clone(&cell->type, type);
    ovsdb_datum_clone(&cell->datum, datum, type);
}

static void
put_json__(json_t *json, struct ds *out)
{
    char *s = json_dumps(json, JSON_COMPACT | JSON_ENCODE_ANY);

    ds_put_cstr(out, s ? s : "null");
    free(s);
    json_decref(json);
}

void
vsctl_format_datum(const struct ovsdb_datum *datum,
                   const struct ovsdb_type *type, enum vsctl_data data,
                   struct ds *out)
{
    switch (data) {
    case VSCTL_DATA_BARE:
        ovsdb_datum_to_bare(datum, type, out);
        break;
    case VSCTL_DATA_JSON:
        put_json__(ovsdb_datum_to_json(datum, type), out);
        break;
    case VSCTL_DATA_STRING:
    default:
        ovsdb_datum_to_string(datum, type, out);
        break;
    }
}

/* Formats every cell of 't' as text: texts[row * n_headings + col]. */
static char **
cell_texts__(const struct vsctl_out_table *t, enum vsctl_data data)
{
    char **texts = xcalloc(t->n_rows * t->n_headings + 1, sizeof *texts);

    for (size_t r = 0; r < t->n_rows; r++) {
        for (size_t c = 0; c < t->n_headings; c++) {
            struct ds s = DS_EMPTY;

            if (c < t->rows[r].n) {
                const struct vsctl_cell *cell = &t->rows[r].cells[c];
                vsctl_format_datum(&cell->datum, &cell->type, data, &s);
            }
            texts[r * t->n_headings + c] = ds_steal_cstr(&s);
        }
    }
    return texts;
}

static void
format_list__(const struct vsctl_out_table *t, char **texts,
              const struct vsctl_options *opts, struct ds *out)
{
    for (size_t r = 0; r < t->n_rows; r++) {
        if (r) {
            ds_put_char(out, '\n');
        }
        for (size_t c = 0; c < t->n_headings; c++) {
            if (opts->headings) {
                ds_put_format(out, "%-20s: ", t->headings[c]);
            }
            ds_put_format(out, "%s\n", texts[r * t->n_headings + c]);
        }
    }
}

/* One line of the "table" format: cells padded to 'widths' except the
 * last. */
static void
put_table_line__(char *const *cells, const size_t *widths, size_t n,
                 struct ds *out)
{
    for (size_t c = 0; c < n; c++) {
        if (c + 1 < n) {
            ds_put_format(out, "%-*s ", (int)widths[c], cells[c]);
        } else {
            ds_put_format(out, "%s\n", cells[c]);
        }
    }
}

static void
format_table__(const struct vsctl_out_table *t, char **texts,
               const struct vsctl_options *opts, struct ds *out)
{
    size_t n = t->n_headings;
    size_t *widths = xcalloc(n + 1, sizeof *widths);
    char **rule = xcalloc(n + 1, sizeof *rule);

    for (size_t c = 0; c < n; c++) {
        widths[c] = opts->headings ? strlen(t->headings[c]) : 0;
        for (size_t r = 0; r < t->n_rows; r++) {
            widths[c] = MAX(widths[c], strlen(texts[r * n + c]));
        }
        rule[c] = xmalloc(widths[c] + 1);
        memset(rule[c], '-', widths[c]);
        rule[c][widths[c]] = '\0';
    }
    if (opts->headings) {
        put_table_line__(t->headings, widths, n, out);
        put_table_line__(rule, widths, n, out);
    }
    for (size_t r = 0; r < t->n_rows; r++) {
        put_table_line__(&texts[r * n], widths, n, out);
    }
    for (size_t c = 0; c < n; c++) {
        free(rule[c]);
    }
    free(rule);
    free(widths);
}

static void
put_csv_cell__(const char *s, struct ds *out)
{
    if (!strpbrk(s, "\",\n\r")) {
        ds_put_cstr(out, s);
        return;
    }
    ds_put_char(out, '"');
    for (; *s; s++) {
        if (*s == '"') {
            ds_put_char(out, '"');
        }
        ds_put_char(out, *s);
    }
    ds_put_char(out, '"');
}

static void
format_csv__(const struct vsctl_out_table *t, char **texts,
             const struct vsctl_options *opts, struct ds *out)
{
    size_t n = t->n_headings;

    if (opts->headings) {
        for (size_t c = 0; c < n; c++) {
            ds_put_cstr(out, c ? "," : "");
            put_csv_cell__(t->headings[c], out);
        }
        ds_put_char(out, '\n');
    }
    for (size_t r = 0; r < t->n_rows; r++) {
        for (size_t c = 0; c < n; c++) {
            ds_put_cstr(out, c ? "," : "");
            put_csv_cell__(texts[r * n + c], out);
        }
        ds_put_char(out, '\n');
    }
}

static void
format_json__(const struct vsctl_out_table *t,
              const struct vsctl_options *opts, struct ds *out)
{
    ds_put_cstr(out, "{\"data\":[");
    for (size_t r = 0; r < t->n_rows; r++) {
        ds_put_cstr(out, r ? ",[" : "[");
        for (size_t c = 0; c < t->rows[r].n; c++) {
            const struct vsctl_cell *cell = &t->rows[r].cells[c];
            ds_put_cstr(out, c ? "," : "");
            put_json__(ovsdb_datum_to_json(&cell->datum, &cell->type), out);
        }
        ds_put_char(out, ']');
    }
    ds_put_char(out, ']');
    if (opts->headings) {
        ds_put_cstr(out, ",\"headings\":[");
        for (size_t c = 0; c < t->n_headings; c++) {
            ds_put_cstr(out, c ? "," : "");
            put_json__(json_string(t->headings[c]), out);
        }
        ds_put_char(out, ']');
    }
    ds_put_cstr(out, "}\n");
}

void
vsctl_out_table_format(const struct vsctl_out_table *t,
                       const struct vsctl_options *opts, struct ds *out)
{
    char **texts;

    if (opts->format == VSCTL_FMT_JSON) {
        format_json__(t, opts, out);
        return;
    }
    texts = cell_texts__(t, opts->data);
    switch (opts->format) {
    case VSCTL_FMT_TABLE:
        format_table__(t, texts, opts, out);
        break;
    case VSCTL_FMT_CSV:
        format_csv__(t, texts, opts, out);
        break;
    case VSCTL_FMT_LIST:
    case VSCTL_FMT_JSON:
    default:
        format_list__(t, texts, opts, out);
        break;
    }
    for (size_t i = 0; i < t->n_rows * t->n_headings; i++) {
        free(texts[i]);
    }
    free(texts);
}
