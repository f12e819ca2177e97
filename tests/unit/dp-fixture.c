/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dp-fixture: the start-up shared by the unit tests that run a datapath
 * (see dp-fixture.h).
 */
#include <config.h>

#include "tests/unit/dp-fixture.h"

#include <stdio.h>
#include <stdlib.h>

#include "lib/dpdk.h"
#include "lib/netdev.h"
#include "lib/rcu.h"

int
dp_fixture_init(void)
{
    char *err = NULL;

    if (dpdk_init("--no-huge -m 256", &err)) {
        fprintf(stderr, "dpdk_init: %s\n", err ? err : "?");
        free(err);
        return -1;
    }
    netdev_register_builtin_providers();
    rcu_init();
    return 0;
}
