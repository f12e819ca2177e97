/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vsctl-private: what the pieces of tern-vsctl share.
 *
 * tern-vsctl works like ovs-vsctl: it reads the whole database into a
 * snapshot (vsctl-idl.c), runs every command of the command line against
 * that snapshot (the bridge commands in vsctl-cmds.c, the database
 * commands in vsctl-db.c), turns the rows the commands changed into one
 * "transact" request with "wait" operations that check nothing it changed
 * was changed by someone else meanwhile, and prints what the commands
 * produced (tables through vsctl-format.c) once the transaction committed.
 *
 * The snapshot.  Every table of the schema with every row.  A row keeps the
 * values read from the server ('old') and the current values ('cur') the
 * commands see and change; column 0 is the row's "_uuid".  Rows inserted by
 * the commands have no 'old' and a provisional UUID that the transaction
 * names with "named-uuid"; after the commit the server's UUIDs replace the
 * provisional ones in the output.
 *
 * Errors in a command are fatal: vsctl_fatal() prints "tern-vsctl: MESSAGE"
 * and exits with status 1, as ovs-vsctl does.
 *
 * Single-threaded.
 */
#ifndef TERN_VSCTL_PRIVATE_H
#define TERN_VSCTL_PRIVATE_H 1

#include <jansson.h>

#include "lib/util.h"
#include "lib/uuid.h"
#include "ovsdb/ovsdb-data.h"

/* ---- Schema and snapshot (vsctl-idl.c) ---- */

struct vsctl_column {
    char *name;
    struct ovsdb_type type;
    bool mutable_;
};

struct vsctl_row;

struct vsctl_table {
    char *name;
    /* Column 0 is "_uuid"; the others follow sorted by name. */
    struct vsctl_column *columns;
    size_t n_columns;
    bool is_root;
    struct vsctl_row **rows; /* Sorted by UUID when read. */
    size_t n_rows, allocated_rows;
};

struct vsctl_row {
    struct vsctl_table *table;
    struct uuid uuid;
    struct ovsdb_datum *old; /* As read; NULL for an inserted row. */
    struct ovsdb_datum *cur; /* What the commands see. */
    bool *written;           /* Columns the commands set. */
    bool inserted;
    bool deleted;
    size_t op_index; /* Inserted rows: index of the "insert" op. */
};

/* An "@name" of --id options: the UUID it stands for. */
struct vsctl_symbol {
    char *name; /* With the '@'. */
    struct uuid uuid;
    bool created; /* Defined by "create" or "get" --id. */
};

struct vsctl_db {
    struct vsctl_table *tables; /* Sorted by name. */
    size_t n_tables;
    struct vsctl_symbol *symbols;
    size_t n_symbols;
};

/* Parses a <database-schema> into 'db' (no rows yet).  Returns NULL or an
 * error message (caller frees). */
char *vsctl_db_init(struct vsctl_db *, const json_t *schema);
/* Loads the rows of one "select" result into 'table'. */
char *vsctl_db_load_rows(struct vsctl_table *, const json_t *rows);
void vsctl_db_destroy(struct vsctl_db *);

struct vsctl_table *vsctl_db_find_table(const struct vsctl_db *,
                                        const char *name);
/* Looks 'name' up as ovs-vsctl does: case-insensitive, '-' and '_' alike,
 * unique abbreviations accepted.  Fatal error if none or several match. */
struct vsctl_table *vsctl_get_table(const struct vsctl_db *, const char *);
/* Same for a column of 'table' (returns its index). */
size_t vsctl_get_column(const struct vsctl_table *, const char *name);
/* Exact column index by name, or SIZE_MAX. */
size_t vsctl_find_column(const struct vsctl_table *, const char *name);

struct vsctl_row *vsctl_row_by_uuid(const struct vsctl_db *,
                                    const struct uuid *);
/* The current value of column 'name' (which must exist). */
const struct ovsdb_datum *vsctl_row_get(const struct vsctl_row *,
                                        const char *name);
/* The current string value of a scalar string column ("" if empty). */
const char *vsctl_row_get_string(const struct vsctl_row *, const char *name);
/* Replaces column 'col' of 'row' with 'datum', which the row takes over
 * (the caller's struct is left empty). */
void vsctl_row_set(struct vsctl_row *, size_t col, struct ovsdb_datum *);
void vsctl_row_set_string(struct vsctl_row *, const char *name,
                          const char *value);
void vsctl_row_set_integer(struct vsctl_row *, const char *name,
                           const int64_t *value); /* NULL: empty. */
/* Adds or removes 'uuid' in the UUID set column 'name'. */
void vsctl_row_add_uuid(struct vsctl_row *, const char *name,
                        const struct uuid *);
void vsctl_row_remove_uuid(struct vsctl_row *, const char *name,
                           const struct uuid *);
/* Sets or removes (value NULL) 'key' in the string map column 'name'. */
void vsctl_row_set_map_key(struct vsctl_row *, const char *name,
                           const char *key, const char *value);
/* Inserts a row with default values; 'uuid' (or a fresh one if NULL) is
 * its provisional UUID. */
struct vsctl_row *vsctl_row_insert(struct vsctl_table *,
                                   const struct uuid *uuid);
void vsctl_row_delete(struct vsctl_row *);

/* Builds the "transact" operations for every change ('ops', an array,
 * gets them appended).  Returns the number of operations added. */
size_t vsctl_db_changes_to_ops(const struct vsctl_db *, json_t *ops);
/* After the commit: maps the provisional UUIDs of inserted rows to the
 * server's, found in 'results' (the reply array), rewriting 'text'. */
void vsctl_db_fix_uuids(const struct vsctl_db *, const json_t *results,
                        struct ds *text);

/* Finds the row of 'table' that 'record' names (a UUID, a unique UUID
 * prefix of 4+ hex digits, or a name as ovs-vsctl accepts: a bridge's
 * name for its Controller, NetFlow, ... rows, "." for the Open_vSwitch
 * row).  NULL if none (fatal if ambiguous, or if none and 'must_exist'). */
struct vsctl_row *vsctl_get_row(const struct vsctl_db *,
                                const struct vsctl_table *, const char *record,
                                bool must_exist);
/* The Open_vSwitch row, created if the table is empty. */
struct vsctl_row *vsctl_root_row(struct vsctl_db *);

/* ---- Commands ---- */

struct vsctl_ctx;

struct vsctl_command_syntax {
    const char *name;
    int min_args, max_args;
    const char *options; /* Accepted options: "--a,--b=" ('=': value). */
    void (*run)(struct vsctl_ctx *);
    bool read_only;
};

/* One command of the command line. */
struct vsctl_command {
    const struct vsctl_command_syntax *syntax;
    int argc; /* argv[0] is the command name. */
    char **argv;
    size_t n_options;
    char **option_names;  /* "--may-exist" */
    char **option_values; /* Or NULL. */
    struct ds output;
    struct vsctl_out_table *table; /* list/find output, or NULL. */
};

/* Global output options. */
enum vsctl_format {
    VSCTL_FMT_LIST,
    VSCTL_FMT_TABLE,
    VSCTL_FMT_CSV,
    VSCTL_FMT_JSON
};
enum vsctl_data { VSCTL_DATA_STRING, VSCTL_DATA_BARE, VSCTL_DATA_JSON };

struct vsctl_options {
    enum vsctl_format format;
    enum vsctl_data data;
    bool headings;
    bool oneline;
    bool dry_run;
};

struct vsctl_ctx {
    struct vsctl_db *db;
    struct vsctl_command *cmd;
    const struct vsctl_options *opts;
    struct ds *out;
    bool try_again; /* wait-until: condition not met yet. */
};

bool vsctl_has_option(const struct vsctl_ctx *, const char *name);
const char *vsctl_option_value(const struct vsctl_ctx *, const char *name);
void vsctl_fatal(const char *format, ...) TERN_PRINTF(1, 2) TERN_NORETURN;

/* All commands, ending with an entry whose name is NULL. */
extern const struct vsctl_command_syntax vsctl_db_commands[];
extern const struct vsctl_command_syntax vsctl_bridge_commands[];

/* Parses "COLUMN[:KEY]=VALUE" (or another operator of 'ops', NULL-ended)
 * for 'table'.  Stores the column index, the key (or NULL, caller frees)
 * and the value text (or NULL when no operator, caller frees); returns
 * the operator's index. */
int vsctl_parse_column_key_value(const struct vsctl_table *, const char *arg,
                                 const char *const *ops, size_t *colp,
                                 char **keyp, char **valuep);
/* "set" of one "COLUMN[:KEY]=VALUE" argument on 'row'. */
void vsctl_set_column(struct vsctl_db *, struct vsctl_row *, const char *arg);

/* Parses 'text' as a datum of 'type' (or an atom of 'base') or dies with
 * the parser's message.  "@name" references resolve through the symbols
 * of 'db', defining new ones on first use. */
void vsctl_parse_datum(struct vsctl_db *, struct ovsdb_datum *,
                       const struct ovsdb_type *, const char *text);
void vsctl_parse_atom(struct vsctl_db *, union ovsdb_atom *,
                      const struct ovsdb_base_type *, const char *text);
/* The symbol 'name' ("@..."), created (with a fresh UUID) if new. */
struct vsctl_symbol *vsctl_symbol(struct vsctl_db *, const char *name);

/* ---- Output (vsctl-format.c) ---- */

/* A table of output: headings and rows of cells.  A cell is a copy of a
 * datum with its type (formatted by --data) or plain text. */
struct vsctl_out_table;
struct vsctl_out_table *vsctl_out_table_create(void);
void vsctl_out_table_destroy(struct vsctl_out_table *);
void vsctl_out_table_add_heading(struct vsctl_out_table *, const char *);
void vsctl_out_table_add_row(struct vsctl_out_table *);
/* Adds a copy of 'datum' (of 'type') as the next cell of the last row. */
void vsctl_out_table_add_datum(struct vsctl_out_table *,
                               const struct ovsdb_datum *,
                               const struct ovsdb_type *);
/* Formats the table as 'opts' says, appending to 'out'. */
void vsctl_out_table_format(const struct vsctl_out_table *,
                            const struct vsctl_options *, struct ds *out);
/* One datum as --data says for list/table cells (string, bare, json). */
void vsctl_format_datum(const struct ovsdb_datum *, const struct ovsdb_type *,
                        enum vsctl_data, struct ds *);

#endif /* TERN_VSCTL_PRIVATE_H */
