/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for ovsdb-journal: creating and opening database files,
 * replaying transactions, recovering from a torn tail, garbage and flipped
 * bytes, refusing damaged headers and damaged acknowledged records,
 * compaction (by hand, by policy and after an interrupted run), locking,
 * and keeping ephemeral columns out of the file.  Transactions run through
 * the real engine (ovsdb_execute()) on a small two-table schema.
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/util.h"
#include "lib/uuid.h"
#include "lib/vlog.h"
#include "ovsdb/ovsdb-journal.h"
#include "ovsdb/ovsdb.h"
#include "tests/unit/test-common.h"

static const char schema_text[] =
    "{'name': 'JT', 'version': '1.2.3', 'cksum': '12345 678',"
    " 'tables': {"
    "  'Root': {'isRoot': true, 'indexes': [['name']], 'columns': {"
    "    'name': {'type': 'string'},"
    "    'n': {'type': 'integer'},"
    "    'tags': {'type': {'key': 'string', 'value': 'string',"
    "                      'min': 0, 'max': 'unlimited'}},"
    "    'kids': {'type': {'key': {'type': 'uuid', 'refTable': 'Kid'},"
    "                      'min': 0, 'max': 'unlimited'}},"
    "    'scratch': {'type': 'string', 'ephemeral': true}}},"
    "  'Kid': {'columns': {'label': {'type': 'string'}}}}}";

struct fixture {
    char dir[64];
    char path[128];
    char log[128];
    struct ovsdb *db;
    struct ovsdb_journal *j;
};

static void
expect_ok(struct ovsdb_error *error)
{
    if (error) {
        char *s = ovsdb_error_to_string(error);
        fail_msg("unexpected error: %s", s);
    }
}

/* Returns the text of 'error' (caller frees) and frees the error; fails
 * if there is no error. */
static char *
expect_error(struct ovsdb_error *error)
{
    if (!error) {
        fail_msg("expected an error");
    }
    char *s = ovsdb_error_to_string(error);
    ovsdb_error_destroy(error);
    return s;
}

static void
expect_contains(const char *s, const char *needle)
{
    if (!strstr(s, needle)) {
        fail_msg("\"%s\" does not contain \"%s\"", s, needle);
    }
}

/* ---- Files. ---- */

static char *
read_bytes(const char *path, size_t *sizep)
{
    char *bytes = test_read_file(path, sizep);
    assert_non_null(bytes);
    return bytes;
}

static void
write_bytes(const char *path, const char *buf, size_t size)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(buf, 1, size, f), size);
    assert_int_equal(fclose(f), 0);
}

static size_t
file_size(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return (size_t)st.st_size;
}

/* ---- Database helpers. ---- */

static void
create_db(struct fixture *f)
{
    json_t *schema = test_json_q(schema_text);
    expect_ok(ovsdb_journal_create(f->path, schema));
    json_decref(schema);
}

static void
open_db(struct fixture *f)
{
    expect_ok(ovsdb_journal_open(f->path, &f->db, &f->j));
}

static void
close_db(struct fixture *f)
{
    ovsdb_journal_close(f->j);
    ovsdb_destroy(f->db);
    f->j = NULL;
    f->db = NULL;
}

/* Runs the operations 'ops' (a JSON array, ' for ") and commits them to
 * the journal. */
static void
txn(struct fixture *f, const char *ops)
{
    json_t *params = test_json_q(ops);
    json_array_insert_new(params, 0, json_string("JT"));
    struct ovsdb_execute_ctx ctx = {.has_lock = NULL};
    json_t *result = NULL;
    struct ovsdb_changes *changes = NULL;
    long long retry;
    assert_int_equal(ovsdb_execute(f->db, params, &ctx, time_msec(), &result,
                                   &changes, &retry),
                     OVSDB_EXEC_DONE);
    size_t i;
    json_t *r;
    json_array_foreach(result, i, r)
    {
        if (json_object_get(r, "error")) {
            char *s = json_dumps(result, JSON_COMPACT);
            fail_msg("transaction %s failed: %s", ops, s);
        }
    }
    expect_ok(ovsdb_journal_commit(f->j, f->db, changes));
    ovsdb_changes_destroy(changes);
    json_decref(result);
    json_decref(params);
}

static void
insert_root(struct fixture *f, const char *name, int n)
{
    char *ops = xasprintf("[{'op': 'insert', 'table': 'Root', 'row': "
                          "{'name': '%s', 'n': %d, 'tags': ['map', "
                          "[['k', 'v%d']]]}}]",
                          name, n, n);
    txn(f, ops);
    free(ops);
}

struct dump_ctx {
    json_t *rows;
    bool ephemeral;
};

static void
dump_row(const struct ovsdb_row *row, void *ctx_)
{
    struct dump_ctx *ctx = ctx_;
    const struct ovsdb_table_schema *t = row->table;
    json_t *cols = json_object();
    for (size_t c = OVSDB_N_IMPLICIT_COLUMNS; c < t->n_columns; c++) {
        const struct ovsdb_column_schema *col = t->columns[c];
        if (!col->ephemeral || ctx->ephemeral) {
            json_object_set_new(
                cols, col->name,
                ovsdb_datum_to_json(&row->fields[c], &col->type));
        }
    }
    char uuid[UUID_LEN + 1];
    uuid_to_string(&row->uuid, uuid);
    json_object_set_new(ctx->rows, uuid, cols);
}

/* The whole contents of 'db' as canonical text (caller frees). */
static char *
dump_db(const struct ovsdb *db, bool ephemeral)
{
    const struct ovsdb_schema *schema = ovsdb_get_schema(db);
    json_t *all = json_object();
    for (size_t i = 0; i < schema->n_tables; i++) {
        struct dump_ctx ctx = {json_object(), ephemeral};
        ovsdb_table_for_each(db, schema->tables[i], dump_row, &ctx);
        json_object_set_new(all, schema->tables[i]->name, ctx.rows);
    }
    char *s = json_dumps(all, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(all);
    return s;
}

static char *
dump_file(const char *path)
{
    struct ovsdb *db;
    expect_ok(ovsdb_journal_load(path, &db));
    char *s = dump_db(db, false);
    ovsdb_destroy(db);
    return s;
}

static const struct ovsdb_table_schema *
table(const struct ovsdb *db, const char *name)
{
    const struct ovsdb_table_schema *t =
        ovsdb_schema_find_table(ovsdb_get_schema(db), name);
    assert_non_null(t);
    return t;
}

/* Offsets of every record in 'path' (returns how many). */
struct offsets {
    uint64_t off[64];
    size_t n;
};

static struct ovsdb_error *
note_offset(const struct ovsdb_journal_record *rec, void *o_)
{
    struct offsets *o = o_;
    if (o->n < ARRAY_SIZE(o->off)) {
        o->off[o->n++] = rec->offset;
    }
    return NULL;
}

static void
record_offsets(const char *path, struct offsets *o)
{
    memset(o, 0, sizeof *o);
    struct ovsdb_journal_status st;
    expect_ok(ovsdb_journal_scan(path, note_offset, o, &st));
    assert_null(st.damage);
    ovsdb_journal_status_destroy(&st);
}

/* Opens the database and fails unless its contents are 'want'; leaves it
 * open. */
static void
open_expect(struct fixture *f, const char *want)
{
    open_db(f);
    char *got = dump_db(f->db, false);
    assert_string_equal(got, want);
    free(got);
}

/* Scans 'path' and fails unless it is undamaged and holds 'n' records. */
static void
expect_n_records(const char *path, size_t n)
{
    struct ovsdb_journal_status st;
    expect_ok(ovsdb_journal_scan(path, NULL, NULL, &st));
    assert_null(st.damage);
    assert_int_equal(st.n_records, n);
    ovsdb_journal_status_destroy(&st);
}

/* Fails unless opening the database fails, leaving nothing open, with a
 * message that names the file and contains every string from 'needle' up
 * to a NULL. */
static void
expect_open_error(struct fixture *f, const char *needle, ...)
{
    char *s = expect_error(ovsdb_journal_open(f->path, &f->db, &f->j));
    expect_contains(s, f->path);
    va_list args;
    va_start(args, needle);
    for (const char *n = needle; n; n = va_arg(args, const char *)) {
        expect_contains(s, n);
    }
    va_end(args);
    free(s);
    assert_null(f->db);
    assert_null(f->j);
}

/* ---- Fixture. ---- */

static int
setup(void **state)
{
    struct fixture *f = xzalloc(sizeof *f);
    assert_int_equal(test_tmpdir_create(f->dir, sizeof f->dir, "tern-jt"), 0);
    snprintf(f->path, sizeof f->path, "%s/conf.db", f->dir);
    snprintf(f->log, sizeof f->log, "%s/journal.log", f->dir);
    assert_int_equal(vlog_set_log_file(f->log), 0);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;
    close_db(f);
    vlog_set_log_file(NULL);
    int error = test_tmpdir_remove(f->dir);
    free(f);
    return error;
}

/* A closed database file with three committed transactions, as the
 * damage tests start from. */
struct three_txns {
    char *before_last; /* Contents after the second transaction. */
    char *full;        /* Contents after the third. */
    struct offsets o;  /* Where each record starts. */
    char *bytes;       /* The file's bytes... */
    size_t size;       /* ...and how many. */
};

/* Builds the database at f->path and fills 't' (freed with
 * three_txns_destroy()). */
static void
three_txns_init(struct fixture *f, struct three_txns *t)
{
    create_db(f);
    open_db(f);
    insert_root(f, "a", 1);
    insert_root(f, "b", 2);
    t->before_last = dump_db(f->db, false);
    txn(f, "[{'op': 'update', 'table': 'Root', 'where': [['name', '==', "
           "'a']], 'row': {'n': 10}}]");
    t->full = dump_db(f->db, false);
    close_db(f);
    record_offsets(f->path, &t->o);
    t->bytes = read_bytes(f->path, &t->size);
}

static void
three_txns_destroy(struct three_txns *t)
{
    free(t->before_last);
    free(t->full);
    free(t->bytes);
}

/* ---- Tests. ---- */

static void
test_create_and_open(void **state)
{
    struct fixture *f = *state;
    create_db(f);

    size_t size;
    char *text = read_bytes(f->path, &size);
    assert_true(!strncmp(text, "TERN-OVSDB-JOURNAL 1\nSCHEMA ", 28));
    free(text);

    open_db(f);
    assert_string_equal(ovsdb_get_schema(f->db)->name, "JT");
    assert_int_equal(ovsdb_table_n_rows(f->db, table(f->db, "Root")), 0);
    assert_string_equal(json_string_value(json_object_get(
                            ovsdb_journal_get_schema(f->j), "version")),
                        "1.2.3");
    assert_string_equal(ovsdb_journal_get_path(f->j), f->path);
}

static void
test_open_missing_file(void **state)
{
    struct fixture *f = *state;
    expect_open_error(f, "No such file", NULL);
    char *lock = xasprintf("%s/.conf.db.~lock~", f->dir);
    assert_int_equal(access(lock, F_OK), -1);
    free(lock);
    free(expect_error(ovsdb_journal_load(f->path, &f->db)));
}

static void
test_create_refuses_existing_and_bad_schema(void **state)
{
    struct fixture *f = *state;
    create_db(f);
    size_t size = file_size(f->path);

    json_t *schema = test_json_q(schema_text);
    char *s = expect_error(ovsdb_journal_create(f->path, schema));
    expect_contains(s, "already exists");
    free(s);
    json_decref(schema);
    assert_int_equal(file_size(f->path), size);

    char *other = xasprintf("%s/other.db", f->dir);
    json_t *bad = test_json_q("{'name': 'x', 'tables': 5}");
    free(expect_error(ovsdb_journal_create(other, bad)));
    json_decref(bad);
    assert_int_equal(access(other, F_OK), -1);
    free(other);
}

static void
test_append_and_reopen(void **state)
{
    struct fixture *f = *state;
    create_db(f);
    open_db(f);
    txn(f, "[{'op': 'insert', 'table': 'Kid', 'row': {'label': 'k1'}, "
           "'uuid-name': 'k1'},"
           " {'op': 'insert', 'table': 'Root', 'row': {'name': 'r', 'n': 5, "
           "'kids': ['set', [['named-uuid', 'k1']]]}},"
           " {'op': 'comment', 'comment': 'first'}]");
    insert_root(f, "s", 6);
    txn(f, "[{'op': 'mutate', 'table': 'Root', 'where': [['name', '==', "
           "'s']], 'mutations': [['n', '+=', 4], ['tags', 'insert', ['map', "
           "[['x', 'y']]]]]}]");
    txn(f, "[{'op': 'delete', 'table': 'Root', 'where': [['name', '==', "
           "'s']]}]");
    insert_root(f, "t", 7);
    char *before = dump_db(f->db, false);
    struct uuid last = *ovsdb_last_txn_id(f->db);
    close_db(f);

    open_expect(f, before);
    assert_true(uuid_equals(&last, ovsdb_last_txn_id(f->db)));
    assert_int_equal(ovsdb_table_n_rows(f->db, table(f->db, "Root")), 2);
    assert_int_equal(ovsdb_table_n_rows(f->db, table(f->db, "Kid")), 1);

    /* Appending after a reopen continues the same file. */
    insert_root(f, "u", 8);
    char *more = dump_db(f->db, false);
    close_db(f);
    char *again = dump_file(f->path);
    assert_string_equal(more, again);

    struct offsets o;
    record_offsets(f->path, &o);
    assert_int_equal(o.n, 7); /* Schema and six transactions. */
    free(before);
    free(more);
    free(again);
}

/* Cuts the file at every byte of the last record: each cut opens with
 * the contents before it, and the file is cut back to the good part. */
static void
test_torn_tail_every_byte(void **state)
{
    struct fixture *f = *state;
    struct three_txns t;
    three_txns_init(f, &t);
    size_t start = t.o.off[t.o.n - 1];

    for (size_t cut = start; cut <= t.size; cut++) {
        write_bytes(f->path, t.bytes, cut);
        unsigned long n_warnings = vlog_n_warnings();
        open_expect(f, cut == t.size ? t.full : t.before_last);
        assert_int_equal(vlog_n_warnings() - n_warnings,
                         cut > start && cut < t.size);
        close_db(f);
        assert_int_equal(file_size(f->path), cut == t.size ? t.size : start);
    }
    char *log = test_slurp(f->log);
    char *line = xasprintf("offset %zu: incomplete record at the end of the "
                           "file (torn write): removing the last 1 bytes",
                           start);
    expect_contains(log, line);
    free(line);
    free(log);
    three_txns_destroy(&t);
}

static void
test_garbage_tail(void **state)
{
    struct fixture *f = *state;
    struct three_txns t;
    three_txns_init(f, &t);
    static const char *const tails[] = {
        "hello world\n",
        "TXN 5 00000000\n{}\n\n",
        "TXN 99999 0badf00d\n{\"Root\":",
        "\n\n\n",
    };

    for (size_t i = 0; i < ARRAY_SIZE(tails); i++) {
        struct ds ds = DS_EMPTY;
        ds_put_buffer(&ds, t.bytes, t.size);
        ds_put_cstr(&ds, tails[i]);
        ds_put_buffer(&ds, "\0\0\0\0", 4);
        write_bytes(f->path, ds.string, ds.length);
        ds_destroy(&ds);

        open_expect(f, t.full);
        /* Appending after the cut gives a clean file again. */
        insert_root(f, "z", 99);
        close_db(f);
        expect_n_records(f->path, 5);
    }
    three_txns_destroy(&t);
}

/* A flipped bit anywhere in the last record (its line, JSON or final
 * newline) drops just that record. */
static void
test_flipped_byte_last_record(void **state)
{
    struct fixture *f = *state;
    struct three_txns t;
    three_txns_init(f, &t);

    for (size_t pos = t.o.off[t.o.n - 1]; pos < t.size; pos++) {
        for (int bit = 0; bit < 8; bit += 3) {
            t.bytes[pos] ^= (char)(1 << bit);
            write_bytes(f->path, t.bytes, t.size);
            t.bytes[pos] ^= (char)(1 << bit);

            open_expect(f, t.before_last);
            close_db(f);
        }
    }
    three_txns_destroy(&t);
}

/* A flipped byte in an acknowledged record followed by good ones is not
 * a torn write: the open fails naming the file and both offsets, and
 * leaves the file alone.  "repair" then cuts it there. */
static void
test_flipped_byte_earlier_record_refused_then_repaired(void **state)
{
    struct fixture *f = *state;
    struct three_txns t;
    three_txns_init(f, &t);
    uint64_t bad = t.o.off[2]; /* The second transaction. */
    t.bytes[bad + 30] ^= 0x20;
    write_bytes(f->path, t.bytes, t.size);

    char *where = xasprintf("offset %" PRIu64 ": record damaged", bad);
    char *next = xasprintf("offset %" PRIu64, t.o.off[3]);
    expect_open_error(f, where, next, "tern-dbtool repair", NULL);
    assert_int_equal(file_size(f->path), t.size);
    free(expect_error(ovsdb_journal_load(f->path, &f->db)));

    char *backup = xasprintf("%s/conf.db.bak", f->dir);
    size_t n_lost;
    expect_ok(ovsdb_journal_repair(f->path, backup, &n_lost));
    assert_int_equal(n_lost, 1);
    assert_int_equal(file_size(backup), t.size);
    assert_int_equal(file_size(f->path), bad);

    open_db(f);
    assert_int_equal(ovsdb_table_n_rows(f->db, table(f->db, "Root")), 1);
    free(backup);
    free(where);
    free(next);
    three_txns_destroy(&t);
}

static void
test_corrupt_header_refused(void **state)
{
    struct fixture *f = *state;
    create_db(f);
    size_t size;
    char *bytes = read_bytes(f->path, &size);

    static const struct {
        const char *header;
        const char *message;
    } cases[] = {
        {"", "not a Tern database file"},
        {"TERN-OVSDB-JOURNAX 1\n", "not a Tern database file"},
        {"TERN-OVSDB-JOURNAL 7\n", "unsupported database file version"},
        {"TERN-OVSDB-JOURNAL x\n", "unsupported database file version"},
        {"{\"some\": \"json\"}\n", "not a Tern database file"},
    };
    const char *rest = strchr(bytes, '\n') + 1;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct ds ds = DS_EMPTY;
        ds_put_cstr(&ds, cases[i].header);
        if (cases[i].header[0]) {
            ds_put_buffer(&ds, rest, size - (size_t)(rest - bytes));
        }
        write_bytes(f->path, ds.string, ds.length);

        expect_open_error(f, "offset ", cases[i].message, NULL);
        assert_int_equal(file_size(f->path), ds.length);
        ds_destroy(&ds);
    }
    free(bytes);
}

static void
test_damaged_schema_refused(void **state)
{
    struct fixture *f = *state;
    create_db(f);
    size_t size;
    char *bytes = read_bytes(f->path, &size);
    bytes[size - 5] ^= 1;
    write_bytes(f->path, bytes, size);
    expect_open_error(f, "schema record is damaged", NULL);

    /* Only the header. */
    write_bytes(f->path, bytes, strchr(bytes, '\n') + 1 - bytes);
    expect_open_error(f, "schema record is missing", NULL);
    free(bytes);
}

/* A record with a good checksum that the engine rejects fails the open. */
static void
test_unappliable_record_refused(void **state)
{
    struct fixture *f = *state;
    create_db(f);
    open_db(f);
    json_t *rec = test_json_q("{'NoSuchTable': {}}");
    expect_ok(ovsdb_journal_append(f->j, rec));
    json_decref(rec);
    close_db(f);

    expect_open_error(f, "TXN record cannot be applied", NULL);
}

static void
test_compaction_preserves_content(void **state)
{
    struct fixture *f = *state;
    create_db(f);
    open_db(f);
    txn(f, "[{'op': 'insert', 'table': 'Kid', 'row': {'label': 'k1'}, "
           "'uuid-name': 'k1'},"
           " {'op': 'insert', 'table': 'Root', 'row': {'name': 'r', "
           "'kids': ['set', [['named-uuid', 'k1']]]}}]");
    for (int i = 0; i < 30; i++) {
        char *ops = xasprintf("[{'op': 'update', 'table': 'Root', 'where': "
                              "[['name', '==', 'r']], 'row': {'n': %d}}]",
                              i);
        txn(f, ops);
        free(ops);
    }
    insert_root(f, "other", 0);
    char *before = dump_db(f->db, false);
    struct uuid last = *ovsdb_last_txn_id(f->db);
    size_t big = file_size(f->path);

    expect_ok(ovsdb_journal_compact(f->j, f->db));
    assert_true(file_size(f->path) < big / 4);
    struct ovsdb_journal_status st;
    expect_ok(ovsdb_journal_scan(f->path, NULL, NULL, &st));
    assert_int_equal(st.n_records, 2);
    assert_int_equal(st.n_txns, 0);
    ovsdb_journal_status_destroy(&st);

    /* Appends go to the new file. */
    insert_root(f, "after", 1);
    char *more = dump_db(f->db, false);
    close_db(f);

    open_expect(f, more);
    assert_true(strcmp(before, more) != 0);
    close_db(f);

    /* The snapshot alone gives the contents before the last insert and
     * keeps the transaction id. */
    struct offsets o;
    record_offsets(f->path, &o);
    size_t size;
    char *bytes = read_bytes(f->path, &size);
    write_bytes(f->path, bytes, o.off[2]);
    open_expect(f, before);
    assert_true(uuid_equals(&last, ovsdb_last_txn_id(f->db)));
    assert_int_equal(ovsdb_table_n_rows(f->db, table(f->db, "Kid")), 1);
    free(bytes);
    free(before);
    free(more);
}

/* A crash during compaction leaves the temporary file: the database is
 * the old file, and the next open removes the leftover. */
static void
test_compaction_crash_leftover_ignored(void **state)
{
    struct fixture *f = *state;
    struct three_txns t;
    three_txns_init(f, &t);
    char *tmp = xasprintf("%s/.conf.db.~tmp~", f->dir);
    write_bytes(tmp, "TERN-OVSDB-JOURNAL 1\nSCHEMA 10", 30);

    open_expect(f, t.full);
    assert_int_equal(access(tmp, F_OK), -1);
    /* And compaction still works afterwards. */
    expect_ok(ovsdb_journal_compact(f->j, f->db));
    close_db(f);
    char *got = dump_file(f->path);
    assert_string_equal(got, t.full);
    free(got);
    free(tmp);
    three_txns_destroy(&t);
}

static void
test_compaction_by_policy(void **state)
{
    struct fixture *f = *state;
    create_db(f);
    open_db(f);
    struct ovsdb_journal_policy p = {
        .min_txns = 10, .factor = 2, .min_txns_always = 10, .min_bytes = 0};
    ovsdb_journal_set_policy(f->j, &p);
    insert_root(f, "r", 0);
    for (int i = 1; i < 9; i++) {
        char *ops = xasprintf("[{'op': 'update', 'table': 'Root', 'where': "
                              "[['name', '==', 'r']], 'row': {'n': %d}}]",
                              i);
        txn(f, ops);
        free(ops);
    }
    assert_false(ovsdb_journal_should_compact(f->j));
    expect_n_records(f->path, 10);

    txn(f, "[{'op': 'update', 'table': 'Root', 'where': [['name', '==', "
           "'r']], 'row': {'n': 100}}]");
    expect_n_records(f->path, 2); /* Compacted. */
    char *got = dump_db(f->db, false);
    close_db(f);
    char *again = dump_file(f->path);
    assert_string_equal(got, again);
    expect_contains(again, "100");
    free(got);
    free(again);
}

static void
test_ephemeral_columns_not_persisted(void **state)
{
    struct fixture *f = *state;
    create_db(f);
    open_db(f);
    txn(f, "[{'op': 'insert', 'table': 'Root', 'row': {'name': 'r', "
           "'scratch': 'EPHEMERAL-ONE'}}]");
    size_t size = file_size(f->path);
    /* Changing only an ephemeral column writes nothing. */
    txn(f, "[{'op': 'update', 'table': 'Root', 'where': [['name', '==', "
           "'r']], 'row': {'scratch': 'EPHEMERAL-TWO'}}]");
    assert_int_equal(file_size(f->path), size);
    char *with = dump_db(f->db, true);
    expect_contains(with, "EPHEMERAL-TWO");
    free(with);

    char *text = test_slurp(f->path);
    assert_null(strstr(text, "EPHEMERAL"));
    free(text);

    expect_ok(ovsdb_journal_compact(f->j, f->db));
    text = test_slurp(f->path);
    assert_null(strstr(text, "EPHEMERAL"));
    expect_contains(text, "\"r\"");
    free(text);
    close_db(f);

    open_db(f);
    char *after = dump_db(f->db, true);
    assert_null(strstr(after, "EPHEMERAL"));
    expect_contains(after, "\"r\"");
    free(after);
}

static void
test_lock_excludes_second_writer(void **state)
{
    struct fixture *f = *state;
    create_db(f);
    open_db(f);

    /* fcntl locks belong to the process, so ask a child. */
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (!pid) {
        struct ovsdb *db;
        struct ovsdb_journal *j;
        struct ovsdb_error *error = ovsdb_journal_open(f->path, &db, &j);
        bool ok = error && strstr(error->details, "in use by process");
        _exit(ok ? 0 : 1);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);

    /* Reading is still allowed. */
    char *a = dump_file(f->path);
    char *b = dump_db(f->db, false);
    assert_string_equal(a, b);
    free(a);
    free(b);
}

/* ovsdb_journal_load() and _scan() never change the file. */
static void
test_load_leaves_torn_file_alone(void **state)
{
    struct fixture *f = *state;
    struct three_txns t;
    three_txns_init(f, &t);
    write_bytes(f->path, t.bytes, t.size - 3);

    struct ovsdb_journal_status st;
    expect_ok(ovsdb_journal_scan(f->path, NULL, NULL, &st));
    assert_string_equal(st.damage, "incomplete record");
    assert_false(st.damage_mid_file);
    assert_int_equal(st.file_size, t.size - 3);
    assert_int_equal(st.n_records, 3);
    ovsdb_journal_status_destroy(&st);

    char *got = dump_file(f->path);
    assert_string_equal(got, t.before_last);
    assert_int_equal(file_size(f->path), t.size - 3);
    free(got);
    three_txns_destroy(&t);
}

static void
test_record_format(void **state)
{
    struct fixture *f = *state;
    create_db(f);
    open_db(f);
    json_t *rec = test_json_q("{'Root': {}, '_comment': 'line\\nbreak'}");
    uint64_t before = file_size(f->path);
    expect_ok(ovsdb_journal_append(f->j, rec));
    json_decref(rec);

    size_t size;
    char *bytes = read_bytes(f->path, &size);
    const char *r = bytes + before;
    /* {"Root":{},"_comment":"line\nbreak"} is 36 bytes, no raw newline. */
    assert_true(!strncmp(r, "TXN 36 ", 7));
    const char *json = strchr(r, '\n') + 1;
    assert_ptr_equal(strchr(json, '\n'), json + 36);
    assert_int_equal(size, (size_t)(json + 37 - bytes));
    assert_string_equal(ovsdb_journal_kind_to_string(OVSDB_JOURNAL_SNAPSHOT),
                        "SNAPSHOT");
    free(bytes);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
#define T(NAME) cmocka_unit_test_setup_teardown(NAME, setup, teardown)
        T(test_create_and_open),
        T(test_open_missing_file),
        T(test_create_refuses_existing_and_bad_schema),
        T(test_append_and_reopen),
        T(test_torn_tail_every_byte),
        T(test_garbage_tail),
        T(test_flipped_byte_last_record),
        T(test_flipped_byte_earlier_record_refused_then_repaired),
        T(test_corrupt_header_refused),
        T(test_damaged_schema_refused),
        T(test_unappliable_record_refused),
        T(test_compaction_preserves_content),
        T(test_compaction_crash_leftover_ignored),
        T(test_compaction_by_policy),
        T(test_ephemeral_columns_not_persisted),
        T(test_lock_excludes_second_writer),
        T(test_load_leaves_torn_file_alone),
        T(test_record_format),
#undef T
    };
    /* Log lines go to each test's log file only. */
    free(vlog_set_levels_from_string("ANY:console:off"));
    return cmocka_run_group_tests(tests, NULL, NULL);
}
