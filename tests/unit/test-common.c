/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-common: helpers shared by the unit tests (see test-common.h).
 */
#include <config.h>

#include "tests/unit/test-common.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <ftw.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

#include "lib/unixctl.h"
#include "lib/util.h"

void
test_sleep_msec(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

int
test_tmpdir_create(char *buf, size_t size, const char *name)
{
    int n = snprintf(buf, size, "/tmp/%s.XXXXXX", name);
    if (n < 0 || (size_t)n >= size) {
        return ENAMETOOLONG;
    }
    return mkdtemp(buf) ? 0 : errno;
}

static int
test_tmpdir_remove_one__(const char *path, const struct stat *st TERN_UNUSED,
                         int type TERN_UNUSED, struct FTW *ftw TERN_UNUSED)
{
    return remove(path) ? errno : 0;
}

int
test_tmpdir_remove(const char *dir)
{
    int error = nftw(dir, test_tmpdir_remove_one__, 16, FTW_DEPTH | FTW_PHYS);
    return error < 0 ? errno : error;
}

char *
test_read_file(const char *path, size_t *sizep)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        return NULL;
    }
    struct ds ds = DS_EMPTY;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        ds_put_buffer(&ds, buf, n);
    }
    fclose(f);
    if (sizep) {
        *sizep = ds.length;
    }
    return ds_steal_cstr(&ds);
}

char *
test_slurp(const char *path)
{
    char *s = test_read_file(path, NULL);
    return s ? s : xstrdup("");
}

json_t *
test_json(const char *text)
{
    json_error_t error;
    json_t *json = json_loads(text, JSON_DECODE_ANY, &error);
    if (!json) {
        fail_msg("bad test JSON: %s: %s", text, error.text);
    }
    return json;
}

json_t *
test_json_q(const char *text)
{
    char *copy = xstrdup(text);
    for (char *p = copy; *p; p++) {
        if (*p == '\'') {
            *p = '"';
        }
    }
    json_t *json = test_json(copy);
    free(copy);
    return json;
}

static void *
test_ctl_server_main__(void *cs_)
{
    struct test_ctl_server *cs = cs_;
    while (!atomic_load(&cs->stop)) {
        int fds[UNIXCTL_MAX_CONNS + 1];
        struct pollfd pfds[UNIXCTL_MAX_CONNS + 1];
        int n = unixctl_server_fds(cs->server, fds, ARRAY_SIZE(fds));
        for (int i = 0; i < n; i++) {
            pfds[i].fd = fds[i];
            pfds[i].events = POLLIN;
        }
        poll(pfds, n, 10);
        unixctl_server_run(cs->server);
    }
    return NULL;
}

void
test_ctl_server_start(struct test_ctl_server *cs,
                      struct unixctl_server *server)
{
    cs->server = server;
    atomic_init(&cs->stop, false);
    if (pthread_create(&cs->thread, NULL, test_ctl_server_main__, cs)) {
        tern_fatal("test-common: cannot start the unixctl server thread");
    }
}

void
test_ctl_server_stop(struct test_ctl_server *cs)
{
    atomic_store(&cs->stop, true);
    pthread_join(cs->thread, NULL);
}

char *
test_vector_path(const char *rel)
{
    const char *dir = getenv("TERN_VECTORS_DIR");
    if (dir && *dir) {
        return xasprintf("%s/%s", dir, rel);
    }
    /* __FILE__ is .../tests/unit/test-common.c in the source tree. */
    char *src = xstrdup(__FILE__);
    char *slash = strrchr(src, '/');
    char *path;
    if (slash) {
        slash[1] = '\0';
        path = xasprintf("%s../vectors/%s", src, rel);
    } else {
        path = xasprintf("../vectors/%s", rel);
    }
    free(src);
    return path;
}
