/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-common: small helpers shared by the cmocka unit tests: sleeping,
 * private temporary directories (made and removed), reading a whole file,
 * parsing JSON test data, and serving a
 * unixctl server on a thread while the test acts as its client.  They
 * hold no global state; each test program links its own copy.
 */
#ifndef TERN_TESTS_TEST_COMMON_H
#define TERN_TESTS_TEST_COMMON_H 1

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

struct unixctl_server;

/* Sleeps for 'ms' milliseconds. */
void test_sleep_msec(long ms);

/* Creates a fresh directory "/tmp/NAME.XXXXXX" and writes its name into
 * 'buf' (of 'size' bytes, owned by the caller).  Returns 0 or a positive
 * errno. */
int test_tmpdir_create(char *buf, size_t size, const char *name);

/* Returns the whole contents of 'path' as a string the caller frees, or ""
 * if it cannot be opened. */
char *test_slurp(const char *path);

/* Returns the whole contents of 'path' (which may hold NUL bytes) in a
 * buffer the caller frees, NUL-terminated after its last byte, and stores
 * its length in '*sizep' unless 'sizep' is NULL.  Returns NULL if 'path'
 * cannot be opened. */
char *test_read_file(const char *path, size_t *sizep);

/* The path of 'rel' (e.g. "openflow/ofp-print-checks.json") among the
 * test vectors: under $TERN_VECTORS_DIR if set, else tests/vectors/ in the
 * source tree.  Caller frees. */
char *test_vector_path(const char *rel);

/* Parses the JSON test data 'text' (any value, not only an object or an
 * array) and returns a new reference the caller releases.  In 'text' for
 * test_json_q(), every ' stands for ", so that tests need not escape
 * quotes.  Either fails the running cmocka test if 'text' is not JSON. */
json_t *test_json(const char *text);
json_t *test_json_q(const char *text);

/* Removes 'dir' and everything below it (what test_tmpdir_create() made).
 * Returns 0 or a positive errno. */
int test_tmpdir_remove(const char *dir);

/* A unixctl server run on its own thread: the thread calls
 * unixctl_server_run() and polls the server's descriptors until stopped. */
struct test_ctl_server {
    struct unixctl_server *server; /* Not owned: the caller destroys it. */
    atomic_bool stop;
    pthread_t thread;
};

/* Starts serving 'server' (which the caller keeps owning and must not use
 * until test_ctl_server_stop()) on a new thread. */
void test_ctl_server_start(struct test_ctl_server *, struct unixctl_server *);

/* Stops the thread and waits for it; the server is left as it was. */
void test_ctl_server_stop(struct test_ctl_server *);

#endif /* TERN_TESTS_TEST_COMMON_H */
