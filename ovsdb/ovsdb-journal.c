/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ovsdb-journal: the durable database file (format, recovery and
 * compaction are described in ovsdb-journal.h and Documentation/ovsdb.md).
 *
 * The file is read whole into memory on open (compaction keeps it a small
 * multiple of the database's size), verified record by record, and
 * replayed through ovsdb_apply_json().  Appends go through one descriptor
 * opened with O_APPEND and are synced with fdatasync() before returning.
 */
#include <config.h>

#include "ovsdb/ovsdb-journal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/packets.h"
#include "lib/util.h"
#include "lib/uuid.h"
#include "lib/vlog.h"
#include "ovsdb/ovsdb.h"

VLOG_DEFINE_THIS_MODULE(ovsdb_journal);

#define IO_ERROR     "I/O error"
#define FORMAT_ERROR "syntax error"
/* The longest record line: "SNAPSHOT " + 20 digits + " " + 8 + "\n". */
#define MAX_LINE 64

struct ovsdb_journal {
    char *path;
    char *lock_path;
    char *tmp_path;
    int fd;                /* The database file, O_RDWR | O_APPEND. */
    int lock_fd;           /* Holds the fcntl lock. */
    uint64_t size;         /* Bytes of good records in the file. */
    uint64_t snapshot_end; /* Size right after the last snapshot. */
    size_t n_txns;         /* TXN records since then. */
    json_t *schema;        /* As stored in the file. */
    struct ovsdb_journal_policy policy;
    bool broken; /* A failed write could not be undone. */
};

static const struct ovsdb_journal_policy default_policy = {
    .min_txns = 100,
    .factor = 4,
    .min_txns_always = 1000,
    .min_bytes = 10 * 1024 * 1024,
};

static const char *const kind_names[] = {
    [OVSDB_JOURNAL_SCHEMA] = "SCHEMA",
    [OVSDB_JOURNAL_TXN] = "TXN",
    [OVSDB_JOURNAL_SNAPSHOT] = "SNAPSHOT",
};

const char *
ovsdb_journal_kind_to_string(enum ovsdb_journal_kind kind)
{
    return (unsigned)kind < ARRAY_SIZE(kind_names) ? kind_names[kind] : "?";
}

void
ovsdb_journal_status_destroy(struct ovsdb_journal_status *status)
{
    if (status) {
        free(status->damage);
        status->damage = NULL;
    }
}

/* ---- Small helpers. ---- */

static struct ovsdb_error *
io_error(const char *path, const char *what, int error)
{
    return ovsdb_error(IO_ERROR, "%s: %s failed (%s)", path, what,
                       tern_strerror(error));
}

/* Returns "<dir>/.<base><suffix>" for 'path' (caller frees). */
static char *
side_path(const char *path, const char *suffix)
{
    const char *slash = strrchr(path, '/');
    if (!slash) {
        return xasprintf(".%s%s", path, suffix);
    }
    return xasprintf("%.*s/.%s%s", (int)(slash - path), path, slash + 1,
                     suffix);
}

/* Returns the directory part of 'path' (caller frees). */
static char *
dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) {
        return xstrdup(".");
    }
    if (slash == path) {
        return xstrdup("/");
    }
    return xasprintf("%.*s", (int)(slash - path), path);
}

static uint32_t
checksum(const char *data, size_t n)
{
    /* crc32c() returns the value whose memory image is the CRC's bytes,
     * least significant first; rebuild the number on any host. */
    tern_be32 image = crc32c((const uint8_t *)data, n);
    uint8_t b[4];
    memcpy(b, &image, 4);
    return b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
           (uint32_t)b[3] << 24;
}

static int
write_all(int fd, const char *buf, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, buf, n);
        if (w < 0) {
            if (errno == EINTR) {
                continue;
            }
            return errno;
        }
        buf += w;
        n -= (size_t)w;
    }
    return 0;
}

static int
fsync_dir(const char *path)
{
    char *dir = dir_of(path);
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int error = 0;
    free(dir);
    if (fd < 0) {
        return errno;
    }
    if (fsync(fd) < 0) {
        error = errno;
    }
    close(fd);
    return error;
}

/* Reads the whole of 'fd' into *bufp (caller frees) and *sizep. */
static int
read_fd(int fd, char **bufp, size_t *sizep)
{
    struct stat st;
    if (fstat(fd, &st) < 0) {
        return errno;
    }
    size_t cap = (size_t)st.st_size + 1, n = 0;
    char *buf = xmalloc(cap);
    for (;;) {
        if (n == cap) {
            cap *= 2;
            buf = xrealloc(buf, cap);
        }
        ssize_t r = pread(fd, buf + n, cap - n, (off_t)n);
        if (r < 0) {
            if (errno == EINTR) {
                continue;
            }
            int error = errno;
            free(buf);
            return error;
        }
        if (r == 0) {
            break;
        }
        n += (size_t)r;
    }
    *bufp = buf;
    *sizep = n;
    return 0;
}

/* Appends the text of one record of 'kind' holding 'json' to 'out'. */
static void
format_record(enum ovsdb_journal_kind kind, const json_t *json, struct ds *out)
{
    char *text = json_dumps(json, JSON_COMPACT);
    if (!text) {
        tern_fatal("out of memory formatting a journal record");
    }
    size_t len = strlen(text);
    ds_put_format(out, "%s %zu %08" PRIx32 "\n", kind_names[kind], len,
                  checksum(text, len));
    ds_put_buffer(out, text, len);
    ds_put_char(out, '\n');
    free(text);
}

static void
format_header(struct ds *out)
{
    ds_put_format(out, "%s %d\n", OVSDB_JOURNAL_MAGIC, OVSDB_JOURNAL_VERSION);
}

/* ---- Parsing. ---- */

/* Checks the first line of 'buf'; on success stores its length. */
static struct ovsdb_error *
parse_header(const char *path, const char *buf, size_t size, size_t *endp)
{
    const char *nl = memchr(buf, '\n', MIN(size, (size_t)MAX_LINE));
    size_t magic_len = strlen(OVSDB_JOURNAL_MAGIC);

    if (!nl || (size_t)(nl - buf) <= magic_len + 1 ||
        memcmp(buf, OVSDB_JOURNAL_MAGIC " ", magic_len + 1)) {
        return ovsdb_error(FORMAT_ERROR,
                           "%s: offset 0: not a Tern database file (the "
                           "first line is not \"%s %d\")",
                           path, OVSDB_JOURNAL_MAGIC, OVSDB_JOURNAL_VERSION);
    }
    char version[MAX_LINE];
    size_t vlen = (size_t)(nl - buf) - magic_len - 1;
    memcpy(version, buf + magic_len + 1, vlen);
    version[vlen] = '\0';
    uint32_t v;
    if (!str_to_u32(version, &v) || v != OVSDB_JOURNAL_VERSION) {
        return ovsdb_error(FORMAT_ERROR,
                           "%s: offset %zu: unsupported database file "
                           "version \"%s\" (this build reads version %d)",
                           path, magic_len + 1, version,
                           OVSDB_JOURNAL_VERSION);
    }
    *endp = (size_t)(nl - buf) + 1;
    return NULL;
}

/* Parses "KIND LEN CRC" of 'len' bytes at 'line'. */
static const char *
parse_record_line(const char *line, size_t len, enum ovsdb_journal_kind *kind,
                  size_t *json_len, uint32_t *crc)
{
    char copy[MAX_LINE];
    memcpy(copy, line, len);
    copy[len] = '\0';

    char *sp1 = strchr(copy, ' ');
    char *sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
    if (!sp2) {
        return "malformed record line";
    }
    *sp1 = *sp2 = '\0';
    size_t k;
    for (k = 0; k < ARRAY_SIZE(kind_names); k++) {
        if (!strcmp(copy, kind_names[k])) {
            break;
        }
    }
    if (k == ARRAY_SIZE(kind_names)) {
        return "unknown record type";
    }
    *kind = (enum ovsdb_journal_kind)k;

    const char *num = sp1 + 1, *hex = sp2 + 1;
    uint64_t n;
    if (!num[0] || strspn(num, "0123456789") != strlen(num) ||
        (num[0] == '0' && num[1]) || !str_to_u64(num, &n) ||
        n > OVSDB_JOURNAL_MAX_RECORD) {
        return "bad record length";
    }
    *json_len = (size_t)n;

    if (strlen(hex) != 8 || strspn(hex, "0123456789abcdef") != 8) {
        return "bad record checksum field";
    }
    *crc = (uint32_t)strtoul(hex, NULL, 16);
    return NULL;
}

/* Parses the record at 'off'.  On success stores it in *rec (the caller
 * owns rec->json) and its end in *endp and returns NULL; otherwise
 * returns why the bytes there are not a record. */
static const char *
parse_record(const char *buf, size_t size, size_t off,
             struct ovsdb_journal_record *rec, size_t *endp)
{
    const char *line = buf + off;
    size_t avail = size - off;
    const char *nl = memchr(line, '\n', MIN(avail, (size_t)MAX_LINE));
    if (!nl) {
        return avail < MAX_LINE ? "incomplete record"
                                : "malformed record "
                                  "line";
    }

    size_t json_len;
    uint32_t crc;
    const char *why = parse_record_line(line, (size_t)(nl - line), &rec->kind,
                                        &json_len, &crc);
    if (why) {
        return why;
    }
    size_t data = off + (size_t)(nl - line) + 1;
    if (size - data < json_len + 1) {
        return "incomplete record";
    }
    if (buf[data + json_len] != '\n') {
        return "record length does not match its contents";
    }
    if (checksum(buf + data, json_len) != crc) {
        return "checksum mismatch";
    }

    json_error_t jerr;
    json_t *json = json_loadb(buf + data, json_len, 0, &jerr);
    if (!json) {
        return "record is not valid JSON";
    }
    if (!json_is_object(json)) {
        json_decref(json);
        return "record is not a JSON object";
    }
    rec->offset = off;
    rec->length = json_len;
    rec->json = json;
    *endp = data + json_len + 1;
    return NULL;
}

/* Returns the offset of the first valid record that starts a line after
 * 'off', or SIZE_MAX. */
static size_t
find_next_good(const char *buf, size_t size, size_t off)
{
    for (size_t i = off; i + 1 < size; i++) {
        if (buf[i] != '\n') {
            continue;
        }
        struct ovsdb_journal_record rec;
        size_t end;
        if (!parse_record(buf, size, i + 1, &rec, &end)) {
            json_decref((json_t *)rec.json);
            return i + 1;
        }
    }
    return SIZE_MAX;
}

/* Verifies the 'size' bytes of 'path' at 'buf' and feeds good records to
 * 'cb'.  See ovsdb_journal_scan(). */
static struct ovsdb_error *
scan_buffer(const char *path, const char *buf, size_t size,
            ovsdb_journal_record_cb *cb, void *aux,
            struct ovsdb_journal_status *st)
{
    memset(st, 0, sizeof *st);
    st->file_size = size;

    size_t off = 0;
    struct ovsdb_error *error = parse_header(path, buf, size, &off);
    if (error) {
        return error;
    }
    st->good_size = off;

    while (off < size) {
        struct ovsdb_journal_record rec;
        size_t end;
        const char *why = parse_record(buf, size, off, &rec, &end);
        if (why) {
            st->damage = xstrdup(why);
            size_t next = find_next_good(buf, size, off);
            st->damage_mid_file = next != SIZE_MAX;
            st->next_good = next != SIZE_MAX ? next : 0;
            break;
        }
        bool first = st->n_records == 0;
        if (first != (rec.kind == OVSDB_JOURNAL_SCHEMA)) {
            json_decref((json_t *)rec.json);
            return ovsdb_error(
                FORMAT_ERROR, "%s: offset %zu: %s record where %s", path, off,
                kind_names[rec.kind],
                first ? "the schema must be" : "only transactions may be");
        }
        error = cb ? cb(&rec, aux) : NULL;
        json_decref((json_t *)rec.json);
        if (error) {
            return error;
        }
        st->n_records++;
        if (rec.kind == OVSDB_JOURNAL_TXN) {
            st->n_txns++;
        } else {
            st->n_txns = 0;
            st->snapshot_end = end;
        }
        st->good_size = off = end;
    }

    if (st->damage && !st->n_records) {
        return ovsdb_error(FORMAT_ERROR,
                           "%s: offset %" PRIu64 ": the schema record is "
                           "damaged (%s)",
                           path, st->good_size, st->damage);
    }
    if (st->damage && st->damage_mid_file) {
        return ovsdb_error(
            FORMAT_ERROR,
            "%s: offset %" PRIu64 ": record damaged (%s) but a valid "
            "record follows at offset %" PRIu64 ": the file was damaged "
            "after it was written; run \"tern-dbtool repair %s\" to cut it "
            "at offset %" PRIu64 " (losing the records after it), or "
            "restore a backup",
            path, st->good_size, st->damage, st->next_good, path,
            st->good_size);
    }
    if (!st->n_records) {
        return ovsdb_error(FORMAT_ERROR,
                           "%s: offset %zu: the schema record is missing",
                           path, off);
    }
    return NULL;
}

struct ovsdb_error *
ovsdb_journal_scan(const char *path, ovsdb_journal_record_cb *cb, void *aux,
                   struct ovsdb_journal_status *status)
{
    struct ovsdb_journal_status local;
    struct ovsdb_journal_status *st = status ? status : &local;
    memset(st, 0, sizeof *st);

    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return io_error(path, "open", errno);
    }
    char *buf;
    size_t size;
    int err = read_fd(fd, &buf, &size);
    close(fd);
    if (err) {
        return io_error(path, "read", err);
    }
    struct ovsdb_error *error = scan_buffer(path, buf, size, cb, aux, st);
    free(buf);
    if (!status) {
        ovsdb_journal_status_destroy(&local);
    }
    return error;
}

/* ---- Replay. ---- */

struct replay {
    const char *path;
    struct ovsdb *db;
    json_t *schema;
};

static struct ovsdb_error *
replay_new_db(struct replay *r)
{
    struct ovsdb_schema *schema;
    struct ovsdb_error *error = ovsdb_schema_from_json(r->schema, &schema);
    if (error) {
        return error;
    }
    if (r->db) {
        ovsdb_destroy(r->db);
    }
    r->db = ovsdb_create(schema);
    return NULL;
}

static struct ovsdb_error *
replay_record(const struct ovsdb_journal_record *rec, void *r_)
{
    struct replay *r = r_;
    struct ovsdb_error *error;

    if (rec->kind == OVSDB_JOURNAL_SCHEMA) {
        r->schema = json_deep_copy(rec->json);
        error = replay_new_db(r);
    } else if (rec->kind == OVSDB_JOURNAL_SNAPSHOT) {
        error = replay_new_db(r);
        if (!error) {
            error = ovsdb_apply_json(r->db, rec->json);
        }
    } else {
        error = ovsdb_apply_json(r->db, rec->json);
    }
    if (error) {
        char *s = ovsdb_error_to_string(error);
        struct ovsdb_error *wrapped =
            ovsdb_error(error->tag,
                        "%s: offset %" PRIu64 ": %s record cannot be "
                        "applied: %s",
                        r->path, rec->offset, kind_names[rec->kind], s);
        free(s);
        ovsdb_error_destroy(error);
        return wrapped;
    }
    return NULL;
}

static void
replay_destroy(struct replay *r)
{
    if (r->db) {
        ovsdb_destroy(r->db);
    }
    json_decref(r->schema);
}

struct ovsdb_error *
ovsdb_journal_load(const char *path, struct ovsdb **dbp)
{
    struct replay r = {.path = path};
    struct ovsdb_journal_status st;
    struct ovsdb_error *error =
        ovsdb_journal_scan(path, replay_record, &r, &st);
    ovsdb_journal_status_destroy(&st);
    if (error) {
        replay_destroy(&r);
        return error;
    }
    json_decref(r.schema);
    *dbp = r.db;
    return NULL;
}

/* ---- Locking and creation. ---- */

/* Takes the write lock of database 'path' into *fdp. */
static struct ovsdb_error *
lock_db(const char *path, const char *lock_path, int *fdp)
{
    int fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        return io_error(lock_path, "open", errno);
    }
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    if (fcntl(fd, F_SETLK, &fl) < 0) {
        int error = errno;
        struct flock who = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
        if ((error == EACCES || error == EAGAIN) &&
            !fcntl(fd, F_GETLK, &who) && who.l_type != F_UNLCK) {
            close(fd);
            return ovsdb_error(IO_ERROR,
                               "%s: database is in use by process %ld", path,
                               (long)who.l_pid);
        }
        close(fd);
        return io_error(lock_path, "locking", error);
    }
    *fdp = fd;
    return NULL;
}

/* Writes 'text' to a new file 'tmp' and syncs it; returns the descriptor
 * (open for appending) in *fdp. */
static struct ovsdb_error *
write_new_file(const char *tmp, const struct ds *text, mode_t mode, int *fdp)
{
    int fd =
        open(tmp, O_RDWR | O_APPEND | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) {
        return io_error(tmp, "open", errno);
    }
    int err = write_all(fd, text->string, text->length);
    const char *what = "write";
    if (!err && fsync(fd) < 0) {
        err = errno;
        what = "fsync";
    }
    if (err) {
        close(fd);
        unlink(tmp);
        return io_error(tmp, what, err);
    }
    *fdp = fd;
    return NULL;
}

struct ovsdb_error *
ovsdb_journal_create(const char *path, const json_t *schema_json)
{
    struct ovsdb_schema *schema;
    struct ovsdb_error *error = ovsdb_schema_from_json(schema_json, &schema);
    if (error) {
        return error;
    }
    ovsdb_schema_destroy(schema);

    char *lock_path = side_path(path, ".~lock~");
    char *tmp = side_path(path, ".~tmp~");
    int lock_fd = -1, fd = -1;
    struct ds text = DS_EMPTY;

    error = lock_db(path, lock_path, &lock_fd);
    if (error) {
        goto out;
    }
    if (!access(path, F_OK)) {
        error =
            ovsdb_error(IO_ERROR, "%s: database file already exists", path);
        goto out;
    }
    format_header(&text);
    format_record(OVSDB_JOURNAL_SCHEMA, schema_json, &text);
    error = write_new_file(tmp, &text, 0644, &fd);
    if (error) {
        goto out;
    }
    /* link() fails if 'path' appeared meanwhile (without the lock). */
    if (link(tmp, path) < 0) {
        error = errno == EEXIST
                    ? ovsdb_error(IO_ERROR, "%s: database file already exists",
                                  path)
                    : io_error(path, "link", errno);
    } else {
        int err = fsync_dir(path);
        if (err) {
            error = io_error(path, "syncing the directory of", err);
        }
    }
    unlink(tmp);

out:
    if (fd >= 0) {
        close(fd);
    }
    if (lock_fd >= 0) {
        close(lock_fd);
    }
    ds_destroy(&text);
    free(tmp);
    free(lock_path);
    return error;
}

/* ---- Opening for a server. ---- */

static struct ovsdb_journal *
journal_alloc(const char *path)
{
    struct ovsdb_journal *j = xzalloc(sizeof *j);
    j->path = xstrdup(path);
    j->lock_path = side_path(path, ".~lock~");
    j->tmp_path = side_path(path, ".~tmp~");
    j->fd = j->lock_fd = -1;
    j->policy = default_policy;
    return j;
}

/* Cuts the torn tail described by 'st' off the open file. */
static struct ovsdb_error *
cut_tail(struct ovsdb_journal *j, const struct ovsdb_journal_status *st)
{
    VLOG_WARN("%s: offset %" PRIu64 ": %s at the end of the file (torn "
              "write): removing the last %" PRIu64 " bytes",
              j->path, st->good_size, st->damage,
              st->file_size - st->good_size);
    if (ftruncate(j->fd, (off_t)st->good_size) < 0) {
        return io_error(j->path, "truncate", errno);
    }
    if (fsync(j->fd) < 0) {
        return io_error(j->path, "fsync", errno);
    }
    return NULL;
}

struct ovsdb_error *
ovsdb_journal_open(const char *path, struct ovsdb **dbp,
                   struct ovsdb_journal **journalp)
{
    struct ovsdb_journal *j = journal_alloc(path);
    struct replay r = {.path = path};
    struct ovsdb_journal_status st;
    char *buf = NULL;
    size_t size;

    memset(&st, 0, sizeof st);
    struct ovsdb_error *error = NULL;
    if (access(path, F_OK)) {
        /* Before creating a lock file for a database that is not there. */
        error = io_error(path, "open", errno);
        goto fail;
    }
    error = lock_db(path, j->lock_path, &j->lock_fd);
    if (error) {
        goto fail;
    }
    if (unlink(j->tmp_path) == 0) {
        VLOG_INFO("%s: removed %s left by an interrupted compaction", path,
                  j->tmp_path);
    }
    j->fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC);
    if (j->fd < 0) {
        error = io_error(path, "open", errno);
        goto fail;
    }
    int err = read_fd(j->fd, &buf, &size);
    if (err) {
        error = io_error(path, "read", err);
        goto fail;
    }
    error = scan_buffer(path, buf, size, replay_record, &r, &st);
    if (!error && st.damage) {
        error = cut_tail(j, &st);
    }
    if (error) {
        goto fail;
    }
    j->size = st.good_size;
    j->snapshot_end = st.snapshot_end;
    j->n_txns = st.n_txns;
    j->schema = r.schema;
    VLOG_INFO("%s: opened, %zu records, %" PRIu64 " bytes", path, st.n_records,
              j->size);
    ovsdb_journal_status_destroy(&st);
    free(buf);
    *dbp = r.db;
    *journalp = j;
    return NULL;

fail:
    ovsdb_journal_status_destroy(&st);
    free(buf);
    replay_destroy(&r);
    ovsdb_journal_close(j);
    *dbp = NULL;
    *journalp = NULL;
    return error;
}

void
ovsdb_journal_close(struct ovsdb_journal *j)
{
    if (!j) {
        return;
    }
    if (j->fd >= 0) {
        close(j->fd);
    }
    if (j->lock_fd >= 0) {
        close(j->lock_fd);
    }
    json_decref(j->schema);
    free(j->path);
    free(j->lock_path);
    free(j->tmp_path);
    free(j);
}

const char *
ovsdb_journal_get_path(const struct ovsdb_journal *j)
{
    return j->path;
}

const json_t *
ovsdb_journal_get_schema(const struct ovsdb_journal *j)
{
    return j->schema;
}

/* ---- Appending. ---- */

struct ovsdb_error *
ovsdb_journal_append(struct ovsdb_journal *j, const json_t *record)
{
    if (j->broken) {
        return ovsdb_error(IO_ERROR,
                           "%s: an earlier write failed; the database "
                           "must be reopened",
                           j->path);
    }

    struct ds text = DS_EMPTY;
    format_record(OVSDB_JOURNAL_TXN, record, &text);
    int err = write_all(j->fd, text.string, text.length);
    size_t len = text.length;
    ds_destroy(&text);
    if (err) {
        /* Remove what part of the record reached the file. */
        if (ftruncate(j->fd, (off_t)j->size) < 0) {
            j->broken = true;
        }
        VLOG_ERR("%s: write failed (%s)", j->path, tern_strerror(err));
        return io_error(j->path, "write", err);
    }
    if (fdatasync(j->fd) < 0) {
        /* After a failed sync the kernel may have dropped the dirty
         * pages: nothing written since the last good sync is known to be
         * on disk, so stop writing. */
        err = errno;
        j->broken = true;
        VLOG_ERR("%s: fdatasync failed (%s)", j->path, tern_strerror(err));
        return io_error(j->path, "fdatasync", err);
    }
    j->size += len;
    j->n_txns++;
    return NULL;
}

/* True if 'record' writes or deletes any row (a transaction that only
 * changed ephemeral columns has none). */
static bool
record_has_rows(const json_t *record)
{
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)record, key, value)
    {
        if (key[0] != '_') {
            return true;
        }
    }
    return false;
}

struct ovsdb_error *
ovsdb_journal_commit(struct ovsdb_journal *j, const struct ovsdb *db,
                     const struct ovsdb_changes *changes)
{
    if (!changes) {
        return NULL;
    }
    json_t *record = ovsdb_changes_to_json(changes, db);
    if (!record_has_rows(record)) {
        json_decref(record);
        return NULL;
    }
    struct ovsdb_error *error = ovsdb_journal_append(j, record);
    json_decref(record);
    if (!error && ovsdb_journal_should_compact(j)) {
        struct ovsdb_error *cerr = ovsdb_journal_compact(j, db);
        if (cerr) {
            /* Retried after every commit: keep the log readable. */
            static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
            char *s = ovsdb_error_to_string(cerr);
            VLOG_WARN_RL(&rl, "%s: compaction failed, will retry: %s", j->path,
                         s);
            free(s);
            ovsdb_error_destroy(cerr);
        }
    }
    return error;
}

/* ---- Compaction. ---- */

void
ovsdb_journal_set_policy(struct ovsdb_journal *j,
                         const struct ovsdb_journal_policy *policy)
{
    j->policy = policy ? *policy : default_policy;
}

bool
ovsdb_journal_should_compact(const struct ovsdb_journal *j)
{
    const struct ovsdb_journal_policy *p = &j->policy;
    return (!j->broken && j->n_txns >= p->min_txns &&
            j->size / MAX(p->factor, 1u) >= j->snapshot_end &&
            (j->n_txns >= p->min_txns_always || j->size > p->min_bytes));
}

struct snapshot_ctx {
    json_t *rows;
    const struct ovsdb_table_schema *table;
};

static void
snapshot_row(const struct ovsdb_row *row, void *ctx_)
{
    struct snapshot_ctx *ctx = ctx_;
    const struct ovsdb_table_schema *t = ctx->table;
    json_t *cols = json_object();

    for (size_t c = OVSDB_N_IMPLICIT_COLUMNS; c < t->n_columns; c++) {
        const struct ovsdb_column_schema *col = t->columns[c];
        if (col->ephemeral) {
            continue;
        }
        struct ovsdb_datum def;
        ovsdb_datum_init_default(&def, &col->type);
        bool is_default =
            ovsdb_datum_equals(&row->fields[c], &def, &col->type);
        ovsdb_datum_destroy(&def, &col->type);
        if (!is_default) {
            json_object_set_new(
                cols, col->name,
                ovsdb_datum_to_json(&row->fields[c], &col->type));
        }
    }
    const struct ovsdb_column_schema *vcol = t->columns[OVSDB_COL_VERSION];
    json_object_set_new(
        cols, vcol->name,
        ovsdb_datum_to_json(&row->fields[OVSDB_COL_VERSION], &vcol->type));

    char uuid[UUID_LEN + 1];
    uuid_to_string(&row->uuid, uuid);
    json_object_set_new(ctx->rows, uuid, cols);
}

json_t *
ovsdb_journal_snapshot_json(const struct ovsdb *db)
{
    const struct ovsdb_schema *schema = ovsdb_get_schema(db);
    json_t *snap = json_object();

    for (size_t i = 0; i < schema->n_tables; i++) {
        const struct ovsdb_table_schema *t = schema->tables[i];
        if (!ovsdb_table_n_rows(db, t)) {
            continue;
        }
        struct snapshot_ctx ctx = {.rows = json_object(), .table = t};
        ovsdb_table_for_each(db, t, snapshot_row, &ctx);
        json_object_set_new(snap, t->name, ctx.rows);
    }
    json_object_set_new(snap, "_date", json_integer(time_wall_msec()));
    json_object_set_new(snap, "_comment", json_string("compacted"));
    const struct uuid *txn_id = ovsdb_last_txn_id(db);
    if (!uuid_is_zero(txn_id)) {
        char id[UUID_LEN + 1];
        uuid_to_string(txn_id, id);
        json_object_set_new(snap, "_txn_id", json_string(id));
    }
    return snap;
}

struct ovsdb_error *
ovsdb_journal_compact(struct ovsdb_journal *j, const struct ovsdb *db)
{
    if (j->broken) {
        return ovsdb_error(IO_ERROR, "%s: an earlier write failed", j->path);
    }

    struct ds text = DS_EMPTY;
    format_header(&text);
    format_record(OVSDB_JOURNAL_SCHEMA, j->schema, &text);
    json_t *snap = ovsdb_journal_snapshot_json(db);
    format_record(OVSDB_JOURNAL_SNAPSHOT, snap, &text);
    json_decref(snap);

    struct stat st;
    mode_t mode = fstat(j->fd, &st) == 0 ? st.st_mode & 07777 : 0644;
    int fd;
    struct ovsdb_error *error = write_new_file(j->tmp_path, &text, mode, &fd);
    uint64_t new_size = text.length;
    ds_destroy(&text);
    if (error) {
        return error;
    }
    if (rename(j->tmp_path, j->path) < 0) {
        int err = errno;
        close(fd);
        unlink(j->tmp_path);
        return io_error(j->path, "rename over", err);
    }
    /* From here on the new file is the database, durable or not: either
     * version holds the same contents. */
    int err = fsync_dir(j->path);
    if (err) {
        VLOG_WARN("%s: syncing the directory failed (%s)", j->path,
                  tern_strerror(err));
    }
    VLOG_INFO("%s: compacted from %" PRIu64 " to %" PRIu64 " bytes", j->path,
              j->size, new_size);
    close(j->fd);
    j->fd = fd;
    j->size = j->snapshot_end = new_size;
    j->n_txns = 0;
    return NULL;
}

/* ---- Repair. ---- */

static struct ovsdb_error *
copy_file(const char *path, const char *buf, size_t size, const char *dst)
{
    int fd = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        return io_error(dst, "create", errno);
    }
    int err = write_all(fd, buf, size);
    if (!err && fsync(fd) < 0) {
        err = errno;
    }
    close(fd);
    if (err) {
        unlink(dst);
        return ovsdb_error(IO_ERROR, "%s: copying %s failed (%s)", dst, path,
                           tern_strerror(err));
    }
    return NULL;
}

/* Counts the good records from 'off' on, skipping damage. */
static size_t
count_good_records(const char *buf, size_t size, size_t off)
{
    size_t n = 0;
    while (off < size) {
        struct ovsdb_journal_record rec;
        size_t end;
        if (!parse_record(buf, size, off, &rec, &end)) {
            json_decref((json_t *)rec.json);
            n++;
            off = end;
        } else {
            off = find_next_good(buf, size, off);
            if (off == SIZE_MAX) {
                break;
            }
        }
    }
    return n;
}

struct ovsdb_error *
ovsdb_journal_repair(const char *path, const char *backup, size_t *n_lost)
{
    char *lock_path = side_path(path, ".~lock~");
    int lock_fd = -1, fd = -1;
    char *buf = NULL;
    size_t size;
    struct ovsdb_journal_status st;

    memset(&st, 0, sizeof st);
    *n_lost = 0;
    struct ovsdb_error *error = lock_db(path, lock_path, &lock_fd);
    if (error) {
        goto out;
    }
    fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        error = io_error(path, "open", errno);
        goto out;
    }
    int err = read_fd(fd, &buf, &size);
    if (err) {
        error = io_error(path, "read", err);
        goto out;
    }
    error = scan_buffer(path, buf, size, NULL, NULL, &st);
    if (error && !(st.damage && st.damage_mid_file && st.n_records)) {
        goto out; /* Nothing repair can fix. */
    }
    ovsdb_error_destroy(error);
    error = NULL;
    if (!st.damage) {
        goto out;
    }
    if (st.damage_mid_file) {
        *n_lost = count_good_records(buf, size, st.next_good);
    }
    error = copy_file(path, buf, size, backup);
    if (error) {
        goto out;
    }
    if (ftruncate(fd, (off_t)st.good_size) < 0 || fsync(fd) < 0) {
        error = io_error(path, "truncate", errno);
    }

out:
    ovsdb_journal_status_destroy(&st);
    free(buf);
    if (fd >= 0) {
        close(fd);
    }
    if (lock_fd >= 0) {
        close(lock_fd);
    }
    free(lock_path);
    return error;
}
