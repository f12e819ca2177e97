/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dpdk: starting DPDK's EAL inside Tern.
 *
 * dpdk_init() builds the EAL argument list: "--no-huge -m 1024" when no
 * hugetlbfs is mounted with free pages (hugepages otherwise), "--in-memory"
 * with hugepages or "--no-shconf" without them (no files or IPC socket
 * shared with other DPDK processes, so test programs run side by side;
 * DPDK 22.11 rejects "--in-memory" together with "--no-huge", which it
 * treats as legacy memory), "--no-pci" unless the extra arguments name PCI
 * devices with "-a"/"-b", "-l N" for the main lcore on the lowest CPU of
 * the process's affinity, "--no-telemetry", and then 'extra' words (split
 * on blanks), which override or add to the defaults: a default is dropped
 * when 'extra' gives the same option in any spelling ("-m 512", "-m512",
 * "--socket-mem=..." replace "-m 1024"; "-c"/"--lcores" replace "-l";
 * "--in-memory"/"--proc-type" replace "--no-shconf"; "--telemetry" drops
 * "--no-telemetry").  DPDK's own log goes through vlog module "dpdk".
 *
 * rte_eal_init() pins its caller to the main lcore; dpdk_init() restores
 * the caller's previous CPU affinity afterwards, so threads started later
 * do not inherit the pin (PMD threads choose their own CPU).
 *
 * Sanitizers: the EAL runs under ASan+UBSan with these defaults, with
 * hugepages or without (anonymous memory with --no-huge); no ASAN_OPTIONS
 * are needed.
 *
 * Threads: dpdk_init() is main-thread, once.  dpdk_register_thread() is
 * called by each PMD thread when it starts so it gets an lcore id (mempool
 * caches).
 */
#ifndef TERN_DPDK_H
#define TERN_DPDK_H 1

#include "lib/util.h"

/* Initialises the EAL.  Returns 0, or a positive errno with a message in
 * *errp (caller frees).  Idempotent: later calls return 0 at once. */
int dpdk_init(const char *extra, char **errp);
bool dpdk_available(void);
/* Returns the EAL arguments used, space-separated (for status/logs). */
const char *dpdk_get_args(void);
/* Registers the calling non-EAL thread with DPDK; returns 0 or errno. */
int dpdk_register_thread(void);
void dpdk_unregister_thread(void);

#endif /* TERN_DPDK_H */
