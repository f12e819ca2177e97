/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for lib/rcu: deferred callbacks run only after every online
 * reader has quiesced, offline and unregistered readers never hold a grace
 * period back, rcu_synchronize() waits for readers.  A helper thread acts as
 * the reader and executes one command at a time on the main thread's
 * request, so every interleaving below is deterministic.
 */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "lib/rcu.h"
#include "lib/util.h"
#include "tests/unit/test-common.h"

enum reader_cmd {
    CMD_NONE,
    CMD_REGISTER,
    CMD_QUIESCE,
    CMD_OFFLINE,
    CMD_ONLINE,
    CMD_UNREGISTER,
    CMD_POSTPONE,
    CMD_QUIESCE_LATE, /* Sleeps, sets 'quiesced', then quiesces. */
    CMD_EXIT,
};

struct reader {
    pthread_t thread;
    _Atomic int cmd;
    _Atomic int result;
    atomic_bool quiesced;
};

static int n_calls;
static int order[16];

static void
count_cb(void *arg)
{
    int *counter = arg;
    (*counter)++;
}

static void
order_cb(void *arg)
{
    order[n_calls++] = (int)(intptr_t)arg;
}

static void *
reader_main(void *r_)
{
    struct reader *r = r_;

    for (;;) {
        int cmd = atomic_load(&r->cmd);
        int result = 0;

        if (cmd == CMD_NONE) {
            test_sleep_msec(1);
            continue;
        }
        switch (cmd) {
        case CMD_REGISTER:
            result = rcu_register_reader();
            break;
        case CMD_QUIESCE:
            rcu_quiesce();
            break;
        case CMD_OFFLINE:
            rcu_offline();
            break;
        case CMD_ONLINE:
            rcu_online();
            break;
        case CMD_UNREGISTER:
            rcu_unregister_reader();
            break;
        case CMD_POSTPONE:
            rcu_postpone(count_cb, &n_calls);
            break;
        case CMD_QUIESCE_LATE:
            /* Acknowledge first, so the main thread is already inside
             * rcu_synchronize() when the reader quiesces. */
            atomic_store(&r->cmd, CMD_NONE);
            test_sleep_msec(50);
            atomic_store(&r->quiesced, true);
            rcu_quiesce();
            continue;
        case CMD_EXIT:
            rcu_unregister_reader();
            atomic_store(&r->cmd, CMD_NONE);
            return NULL;
        }
        atomic_store(&r->result, result);
        atomic_store(&r->cmd, CMD_NONE);
    }
}

/* Makes the reader thread run 'cmd' and waits until it has. */
static int
reader_do(struct reader *r, enum reader_cmd cmd)
{
    atomic_store(&r->cmd, cmd);
    while (atomic_load(&r->cmd) != CMD_NONE) {
        test_sleep_msec(1);
    }
    return atomic_load(&r->result);
}

static struct reader *
reader_start(void)
{
    struct reader *r = xzalloc(sizeof *r);

    atomic_init(&r->cmd, CMD_NONE);
    assert_int_equal(pthread_create(&r->thread, NULL, reader_main, r), 0);
    assert_int_equal(reader_do(r, CMD_REGISTER), 0);
    return r;
}

static void
reader_stop(struct reader *r)
{
    atomic_store(&r->cmd, CMD_EXIT);
    pthread_join(r->thread, NULL);
    free(r);
}

static int
setup(void **state)
{
    rcu_init();
    rcu_synchronize(); /* Drains callbacks left by a previous test. */
    n_calls = 0;
    return 0;
}

static void
test_no_readers_runs_on_next_run(void **state)
{
    int calls = 0;

    rcu_postpone(count_cb, &calls);
    assert_int_equal(calls, 0);
    rcu_run();
    assert_int_equal(calls, 1);
    rcu_run();
    assert_int_equal(calls, 1);
}

/* Reader scripts: each runs the steps of one table on its own readers, so
 * that every scenario of who quiesces, goes offline or leaves when is one
 * row of data and one cmocka test. */
enum step_op {
    STEP_END,
    STEP_DO,       /* Reader 'reader' runs command 'arg'. */
    STEP_POSTPONE, /* The main thread postpones one count_cb(). */
    STEP_RUN,      /* rcu_run(), then 'arg' callbacks must have run. */
};

struct step {
    enum step_op op;
    int arg;
    int reader;
};

#define DO(CMD)                                                               \
    {                                                                         \
        STEP_DO, CMD, 0                                                       \
    }
#define DO_ON(R, CMD)                                                         \
    {                                                                         \
        STEP_DO, CMD, R                                                       \
    }
#define POSTPONE                                                              \
    {                                                                         \
        STEP_POSTPONE, 0, 0                                                   \
    }
#define RUN_EXPECT(N)                                                         \
    {                                                                         \
        STEP_RUN, N, 0                                                        \
    }
#define SCRIPT_READERS 2

struct script {
    int n_readers;
    struct step steps[16];
};

static const struct script waits_for_quiesce = {
    1,
    {POSTPONE, RUN_EXPECT(0), RUN_EXPECT(0), RUN_EXPECT(0), RUN_EXPECT(0),
     RUN_EXPECT(0), DO(CMD_QUIESCE), RUN_EXPECT(1)},
};

static const struct script quiesce_before_postpone_does_not_count = {
    1,
    {DO(CMD_QUIESCE), POSTPONE, RUN_EXPECT(0), DO(CMD_QUIESCE), RUN_EXPECT(1)},
};

/* Back online, a reader holds grace periods again until it quiesces. */
static const struct script offline_reader_does_not_block = {
    1,
    {DO(CMD_OFFLINE), POSTPONE, RUN_EXPECT(1), DO(CMD_ONLINE), POSTPONE,
     RUN_EXPECT(1), DO(CMD_QUIESCE), RUN_EXPECT(2)},
};

/* Quiescing while offline must not bring the reader back online. */
static const struct script quiesce_while_offline_stays_offline = {
    1,
    {DO(CMD_OFFLINE), DO(CMD_QUIESCE), POSTPONE, RUN_EXPECT(1)},
};

static const struct script unregister_releases = {
    1,
    {POSTPONE, RUN_EXPECT(0), DO(CMD_UNREGISTER), RUN_EXPECT(1)},
};

static const struct script two_readers = {
    2,
    {POSTPONE, RUN_EXPECT(0), DO_ON(0, CMD_QUIESCE), RUN_EXPECT(0),
     DO_ON(1, CMD_QUIESCE), RUN_EXPECT(1)},
};

/* Runs the script in '*state' on freshly started readers. */
static void
run_script(void **state)
{
    const struct script *script = *state;
    struct reader *readers[SCRIPT_READERS];
    int calls = 0;

    assert_true(script->n_readers <= SCRIPT_READERS);
    for (int i = 0; i < script->n_readers; i++) {
        readers[i] = reader_start();
    }
    for (const struct step *s = script->steps; s->op != STEP_END; s++) {
        switch (s->op) {
        case STEP_DO:
            assert_true(s->reader < script->n_readers);
            reader_do(readers[s->reader], s->arg);
            break;
        case STEP_POSTPONE:
            rcu_postpone(count_cb, &calls);
            break;
        case STEP_RUN:
            rcu_run();
            assert_int_equal(calls, s->arg);
            break;
        case STEP_END:
            break;
        }
    }
    for (int i = 0; i < script->n_readers; i++) {
        reader_stop(readers[i]);
    }
}

#define SCRIPT_TEST(S)                                                        \
    {                                                                         \
        .name = "test_" #S, .test_func = run_script, .setup_func = setup,     \
        .initial_state = (void *)&S                                           \
    }

static void
test_synchronize_waits(void **state)
{
    struct reader *r = reader_start();
    int calls = 0;

    rcu_postpone(count_cb, &calls);
    atomic_store(&r->cmd, CMD_QUIESCE_LATE);
    while (atomic_load(&r->cmd) != CMD_NONE) {
        test_sleep_msec(1);
    }
    rcu_synchronize();
    assert_true(atomic_load(&r->quiesced));
    assert_int_equal(calls, 1);
    reader_stop(r);
}

static void
test_postpone_from_reader_thread(void **state)
{
    struct reader *r = reader_start();

    reader_do(r, CMD_POSTPONE);
    rcu_run();
    assert_int_equal(n_calls, 0);
    reader_do(r, CMD_QUIESCE);
    rcu_run();
    assert_int_equal(n_calls, 1);
    reader_stop(r);
}

static void
test_callbacks_in_order(void **state)
{
    for (int i = 0; i < 10; i++) {
        rcu_postpone(order_cb, (void *)(intptr_t)i);
        if (i == 4) {
            rcu_run();
        }
    }
    rcu_run();
    assert_int_equal(n_calls, 10);
    for (int i = 0; i < 10; i++) {
        assert_int_equal(order[i], i);
    }
}

static void
postpone_again_cb(void *arg)
{
    rcu_postpone(count_cb, arg);
}

static void
test_postpone_from_callback(void **state)
{
    int calls = 0;

    rcu_postpone(postpone_again_cb, &calls);
    rcu_run();
    assert_int_equal(calls, 0);
    rcu_run();
    assert_int_equal(calls, 1);
}

static void
test_register_idempotent_and_reuses_ids(void **state)
{
    /* Many readers come and go: ids are recycled, never exhausted. */
    for (int i = 0; i < RCU_MAX_READERS + 10; i++) {
        struct reader *r = reader_start();
        assert_int_equal(reader_do(r, CMD_REGISTER), 0);
        reader_stop(r);
    }
    int calls = 0;
    rcu_postpone(count_cb, &calls);
    rcu_run();
    assert_int_equal(calls, 1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_no_readers_runs_on_next_run, setup),
        SCRIPT_TEST(waits_for_quiesce),
        SCRIPT_TEST(quiesce_before_postpone_does_not_count),
        SCRIPT_TEST(offline_reader_does_not_block),
        SCRIPT_TEST(quiesce_while_offline_stays_offline),
        SCRIPT_TEST(unregister_releases),
        SCRIPT_TEST(two_readers),
        cmocka_unit_test_setup(test_synchronize_waits, setup),
        cmocka_unit_test_setup(test_postpone_from_reader_thread, setup),
        cmocka_unit_test_setup(test_callbacks_in_order, setup),
        cmocka_unit_test_setup(test_postpone_from_callback, setup),
        cmocka_unit_test_setup(test_register_idempotent_and_reuses_ids, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
