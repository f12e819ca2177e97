/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tern-dbtool: offline work on tern-dbserver's database file (the journal
 * of ovsdb-journal.h) and on schema files: create a database, show its
 * records, check, compact or repair it, and print schema names, versions
 * and checksums.  tern-ctl uses "create" to make the database when it is
 * missing.  Commands that write take the database's lock, so they refuse
 * to run while tern-dbserver has the file open.
 */
#include <config.h>

#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <time.h>

#include "lib/util.h"
#include "lib/vlog.h"
#include "ovsdb/ovsdb-journal.h"
#include "ovsdb/ovsdb.h"

static bool verbose;

static void
usage(void)
{
    printf("%s: Tern database file tool\n"
           "usage: %s [OPTIONS] COMMAND [ARG...]\n"
           "\n"
           "Commands:\n"
           "  create DB SCHEMA      create database file DB with SCHEMA\n"
           "  show-log DB           list DB's records (-v: with contents)\n"
           "  check DB              verify and replay DB\n"
           "  compact DB            rewrite DB as one snapshot\n"
           "  repair DB [BACKUP]    cut DB at its first damaged record,\n"
           "                        keeping a copy in BACKUP (DB.bak)\n"
           "  db-name DB            print the name of DB's schema\n"
           "  db-version DB         print the version of DB's schema\n"
           "  db-cksum DB           print the checksum of DB's schema\n"
           "  schema-name SCHEMA    print SCHEMA's name\n"
           "  schema-version SCHEMA print SCHEMA's version\n"
           "  schema-cksum SCHEMA   print SCHEMA's checksum\n"
           "\n"
           "Options:\n"
           "  -v, --verbose         more output (show-log: record JSON)\n"
           "  -h, --help            display this help message\n"
           "\n"
           "Exit status: 0 on success, 1 on any error.\n",
           get_program_name(), get_program_name());
}

/* Prints 'error' (which it frees) and exits if it is not NULL. */
static void
check_error(struct ovsdb_error *error)
{
    if (error) {
        char *s = ovsdb_error_to_string(error);
        ovsdb_error_destroy(error);
        tern_fatal("%s", s);
    }
}

static json_t *
read_schema_file(const char *path)
{
    struct ovsdb_schema *schema;
    check_error(ovsdb_schema_from_file(path, &schema));
    json_t *json = json_incref(schema->json);
    ovsdb_schema_destroy(schema);
    return json;
}

static void
cmd_create(char *argv[])
{
    json_t *schema = read_schema_file(argv[2]);
    check_error(ovsdb_journal_create(argv[1], schema));
    json_decref(schema);
}

static struct ovsdb_error *
keep_schema(const struct ovsdb_journal_record *rec, void *schemap)
{
    if (rec->kind == OVSDB_JOURNAL_SCHEMA) {
        *(json_t **)schemap = json_deep_copy(rec->json);
    }
    return NULL;
}

/* Returns the schema stored in database 'path' (caller releases).  Damage
 * after the schema record does not matter here. */
static json_t *
read_db_schema(const char *path)
{
    json_t *schema = NULL;
    struct ovsdb_journal_status st;
    struct ovsdb_error *error =
        ovsdb_journal_scan(path, keep_schema, &schema, &st);
    ovsdb_journal_status_destroy(&st);
    if (schema) {
        ovsdb_error_destroy(error);
        return schema;
    }
    check_error(error);
    tern_fatal("%s: no schema record", path);
}

/* Prints 'field' of 'schema' (which it releases).  "cksum" is optional
 * and prints as an empty line when missing. */
static void
print_schema_field(json_t *schema, const char *field)
{
    const char *value = json_string_value(json_object_get(schema, field));
    if (!value && strcmp(field, "cksum")) {
        tern_fatal("schema has no \"%s\"", field);
    }
    printf("%s\n", value ? value : "");
    json_decref(schema);
}

static void
cmd_db_name(char *argv[])
{
    print_schema_field(read_db_schema(argv[1]), "name");
}

static void
cmd_db_version(char *argv[])
{
    print_schema_field(read_db_schema(argv[1]), "version");
}

static void
cmd_db_cksum(char *argv[])
{
    print_schema_field(read_db_schema(argv[1]), "cksum");
}

static void
cmd_schema_name(char *argv[])
{
    print_schema_field(read_schema_file(argv[1]), "name");
}

static void
cmd_schema_version(char *argv[])
{
    print_schema_field(read_schema_file(argv[1]), "version");
}

static void
cmd_schema_cksum(char *argv[])
{
    print_schema_field(read_schema_file(argv[1]), "cksum");
}

/* Formats a "_date" in milliseconds as UTC text into 'ds'. */
static void
put_date(struct ds *ds, json_int_t msec)
{
    time_t t = (time_t)(msec / 1000);
    struct tm tm;
    char buf[32];
    gmtime_r(&t, &tm);
    strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    ds_put_format(ds, " %s.%03dZ", buf, (int)(msec % 1000));
}

/* Appends "Table: +I ~M -D" summaries of a TXN or SNAPSHOT record. */
static void
put_tables(struct ds *ds, const json_t *record)
{
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)record, key, value)
    {
        if (key[0] == '_' || !json_is_object(value)) {
            continue;
        }
        size_t written = 0, deleted = 0;
        const char *uuid;
        json_t *row;
        json_object_foreach(value, uuid, row)
        {
            if (json_is_null(row)) {
                deleted++;
            } else {
                written++;
            }
        }
        ds_put_format(ds, "\n    %s: %zu written, %zu deleted", key, written,
                      deleted);
    }
}

static struct ovsdb_error *
show_record(const struct ovsdb_journal_record *rec, void *indexp)
{
    size_t *index = indexp;
    struct ds ds = DS_EMPTY;
    const json_t *j = rec->json;

    ds_put_format(&ds, "record %zu: %s, offset %" PRIu64 ", %zu bytes",
                  (*index)++, ovsdb_journal_kind_to_string(rec->kind),
                  rec->offset, rec->length);
    if (rec->kind == OVSDB_JOURNAL_SCHEMA) {
        ds_put_format(
            &ds, ", \"%s\" version %s",
            json_string_value(json_object_get(j, "name")) ?: "(no name)",
            json_string_value(json_object_get(j, "version")) ?: "(none)");
    } else {
        json_t *date = json_object_get(j, "_date");
        if (json_is_integer(date)) {
            put_date(&ds, json_integer_value(date));
        }
        const char *comment =
            json_string_value(json_object_get(j, "_comment"));
        if (comment) {
            ds_put_format(&ds, " \"%s\"", comment);
        }
        put_tables(&ds, j);
    }
    if (verbose) {
        char *text = json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS);
        ds_put_format(&ds, "\n%s", text ? text : "");
        free(text);
    }
    printf("%s\n", ds_cstr(&ds));
    ds_destroy(&ds);
    return NULL;
}

static void
cmd_show_log(char *argv[])
{
    size_t index = 0;
    struct ovsdb_journal_status st;
    struct ovsdb_error *error =
        ovsdb_journal_scan(argv[1], show_record, &index, &st);
    if (st.damage) {
        printf("damage at offset %" PRIu64 " (%s), %" PRIu64 " bytes%s\n",
               st.good_size, st.damage, st.file_size - st.good_size,
               st.damage_mid_file ? ", valid records follow"
                                  : ": a torn tail, removed on open");
    }
    ovsdb_journal_status_destroy(&st);
    check_error(error);
}

static void
cmd_check(char *argv[])
{
    struct ovsdb *db;
    struct ovsdb_journal_status st;
    check_error(ovsdb_journal_scan(argv[1], NULL, NULL, &st));
    check_error(ovsdb_journal_load(argv[1], &db));
    printf("%s: %zu records, %" PRIu64 " bytes", argv[1], st.n_records,
           st.good_size);
    if (st.damage) {
        printf("; torn tail of %" PRIu64 " bytes (%s) is removed on open",
               st.file_size - st.good_size, st.damage);
    }
    printf("\n");
    ovsdb_journal_status_destroy(&st);
    ovsdb_destroy(db);
}

static void
cmd_compact(char *argv[])
{
    struct ovsdb *db;
    struct ovsdb_journal *j;
    check_error(ovsdb_journal_open(argv[1], &db, &j));
    check_error(ovsdb_journal_compact(j, db));
    ovsdb_journal_close(j);
    ovsdb_destroy(db);
}

static void
cmd_repair(char *argv[])
{
    char *backup = argv[2] ? xstrdup(argv[2]) : xasprintf("%s.bak", argv[1]);
    struct ovsdb_journal_status st;
    struct ovsdb_error *error = ovsdb_journal_scan(argv[1], NULL, NULL, &st);
    ovsdb_error_destroy(error);
    if (!st.damage) {
        printf("%s: no damage found\n", argv[1]);
    } else {
        size_t n_lost;
        check_error(ovsdb_journal_repair(argv[1], backup, &n_lost));
        printf("%s: cut at offset %" PRIu64 " (%s); %zu later records "
               "dropped; the original is in %s\n",
               argv[1], st.good_size, st.damage, n_lost, backup);
    }
    ovsdb_journal_status_destroy(&st);
    free(backup);
}

struct command {
    const char *name;
    int min_args, max_args;
    void (*run)(char *argv[]);
};

static const struct command commands[] = {
    {"create", 2, 2, cmd_create},
    {"show-log", 1, 1, cmd_show_log},
    {"check", 1, 1, cmd_check},
    {"compact", 1, 1, cmd_compact},
    {"repair", 1, 2, cmd_repair},
    {"db-name", 1, 1, cmd_db_name},
    {"db-version", 1, 1, cmd_db_version},
    {"db-cksum", 1, 1, cmd_db_cksum},
    {"schema-name", 1, 1, cmd_schema_name},
    {"schema-version", 1, 1, cmd_schema_version},
    {"schema-cksum", 1, 1, cmd_schema_cksum},
};

int
main(int argc, char *argv[])
{
    static const struct option long_options[] = {
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;

    set_program_name(argv[0]);
    while ((c = getopt_long(argc, argv, "+vh", long_options, NULL)) != -1) {
        switch (c) {
        case 'v':
            verbose = true;
            break;
        case 'h':
            usage();
            return 0;
        default:
            return 1;
        }
    }
    if (!verbose) {
        free(vlog_set_levels_from_string("ANY:console:warn"));
    }
    if (optind >= argc) {
        tern_fatal("missing command (use --help for help)");
    }

    const char *name = argv[optind];
    int n_args = argc - optind - 1;
    for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
        const struct command *cmd = &commands[i];
        if (!strcmp(cmd->name, name)) {
            if (n_args < cmd->min_args || n_args > cmd->max_args) {
                if (cmd->min_args == cmd->max_args) {
                    tern_fatal("\"%s\" takes %d argument%s", name,
                               cmd->min_args, cmd->min_args == 1 ? "" : "s");
                }
                tern_fatal("\"%s\" takes %d to %d arguments", name,
                           cmd->min_args, cmd->max_args);
            }
            cmd->run(&argv[optind]);
            return 0;
        }
    }
    tern_fatal("unknown command \"%s\" (use --help for help)", name);
}
