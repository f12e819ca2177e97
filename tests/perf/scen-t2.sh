# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
#
# Topology T2 (VM to VM through vhost-user) of the side-by-side benchmark,
# sourced by tests/perf/run after lib.sh.
#
# The switch has two dpdkvhostuserclient ports, "vu1" (OpenFlow port 1)
# and "vu2" (port 2), and the rules in_port=1,actions=output:2 and
# in_port=2,actions=output:1.  One dpdk-testpmd process stands in for the
# two VMs: two net_virtio_user ports, each serving (server=1) one of the
# sockets the switch connects to, one queue pair each, its forwarding
# lcore and main lcore both on MAIN_CPU (the switch's PMD has PMD_CPU to
# itself), hugepages from the run's hugetlbfs like the switches.
# testpmd runs --forward-mode=flowgen: on each port it sends bursts of
# T2_PKT_LEN-byte [64] UDP frames whose IPv4 destination walks over
# --flowgen-flows=N values (N distinct flows, each one recurring every N
# packets), and it frees what it receives.  So the switch forwards two
# streams, port 1 -> 2 and port 2 -> 1, each with N flows:
#   T2_1k   N = 1,000       (every flow fits the exact-match caches)
#   T2_1M   N = 1,048,576   (far more flows than any per-PMD cache; the
#                            megaflows are still one per direction, since
#                            the rules match in_port only)
# testpmd 22.11's flowgen takes up to INT32_MAX flows, so 1M needs no
# other generator.
#
# Each repetition waits until testpmd counts packets on both ports, warms
# up until a second passes without an upcall, then samples the switch's
# pmd-perf-show over SECONDS_PER_REP seconds.  Main metric: "mpps", the
# packets per second the switch's PMD received (its pmd-perf-show Rx
# packets over the measurement duration), with busy cycles per packet and
# the cache split.  Cross-check: testpmd (interactive, driven through a
# FIFO) has its port counters cleared just before the switch's sample and
# read just after it; summed over its two ports, TX-packets is what it
# enqueued into the switch and RX-packets what the switch delivered back,
# recorded as testpmd_tx_mpps and testpmd_rx_mpps (over the wall time
# between the two commands, a little longer than the switch's window);
# tx_agree_pct is the switch's rx rate as a percentage of testpmd's tx
# rate (about 100 when they agree).  pmd_busy_pct is the share of the
# PMD's cycles spent in iterations that received packets: well below 100,
# testpmd (one CPU for both VMs) rather than the switch set the rate.
#
# Environment: T2_PKT_LEN [64] (testpmd --txpkts; no FCS on vhost),
# T2_QUEUE_SIZE [256] (virtio ring size), T2_START_TIMEOUT [120] (seconds
# for testpmd and the switch to connect), T2_TESTPMD_MEM [512] (testpmd's
# hugepage memory, MB: its mbuf pools need far less, and it must fit next
# to the switch's BENCH_SOCKET_MEM in the run's reservation).

: "${SECONDS_PER_REP:=10}"
T2_PKT_LEN=${T2_PKT_LEN:-64}
T2_QUEUE_SIZE=${T2_QUEUE_SIZE:-256}
T2_START_TIMEOUT=${T2_START_TIMEOUT:-120}
T2_TESTPMD_MEM=${T2_TESTPMD_MEM:-512}

# t2_stats LOG FROM: sums testpmd's "show port stats all" answer printed
# after line FROM of LOG over its two ports: prints "RX TX" (packets since
# the last "clear port stats all"), or fails if both ports are not there
# yet.
t2_stats() {
    tail -n +"$(($2 + 1))" "$1" | awk '
        /NIC statistics for port/ { p = $0; gsub(/[^0-9]/, "", p) }
        /RX-packets:/ { rx[p] = $2 }
        /TX-packets:/ { tx[p] = $2 }
        END {
            if (!(("0" in tx) && ("1" in tx))) { exit 1 }
            print rx["0"] + rx["1"], tx["0"] + tx["1"]
        }'
}

# t2_answer LOG FROM: waits (up to 20 s) for testpmd's answer to "show
# port stats all" after line FROM of LOG; prints "RX TX".
t2_answer() {
    local i
    for ((i = 0; i < 200; i++)); do
        t2_stats "$1" "$2" && return 0
        sleep 0.1
    done
    return 1
}

# t2_wait_traffic FD LOG PID: waits up to T2_START_TIMEOUT seconds until
# testpmd (PID) has received packets on both ports; fails at once if it
# exits.
t2_wait_traffic() {
    local fd=$1 log=$2 pid=$3 deadline=$((SECONDS + T2_START_TIMEOUT))
    local from
    while [ "$SECONDS" -lt "$deadline" ]; do
        kill -0 "$pid" 2>/dev/null || return 1
        from=$(wc -l <"$log")
        echo "show port stats all" >&"$fd"
        sleep 1
        t2_stats "$log" "$from" >/dev/null && tail -n +"$((from + 1))" "$log" \
            | awk '/RX-packets:/ { n++; if ($2 > 0) { ok++ } }
                   END { exit !(n == 2 && ok == 2) }' && return 0
    done
    return 1
}

# t2_run SCEN SW REP FLOWS: one repetition of T2 on the running switch.
t2_run() {
    local scen=$1 sw=$2 rep=$3 flows=$4
    local dir=$BENCH_WORK/t2 log fifo pid fd s st t0 t1 from busy rc=0
    mkdir -p "$dir"
    log=$dir/testpmd-$scen-$sw-$rep.log
    fifo=$dir/testpmd.in
    rm -f "$dir/vu1.sock" "$dir/vu2.sock" "$fifo"
    command -v dpdk-testpmd >/dev/null \
        || { bench_log "dpdk-testpmd missing (install-deps.sh)"; return 1; }

    # The switch's ports first: as vhost-user clients they retry until
    # testpmd listens (testpmd's server=1 waits for its client while it
    # probes each port).
    bench_vsctl add-port br0 vu1 -- set Interface vu1 \
        type=dpdkvhostuserclient "options:vhost-server-path=$dir/vu1.sock" \
        ofport_request=1 \
        -- add-port br0 vu2 -- set Interface vu2 \
        type=dpdkvhostuserclient "options:vhost-server-path=$dir/vu2.sock" \
        ofport_request=2 || { bench_log "$scen/$sw: add-port failed"; return 1; }
    bench_ofctl add-flow "in_port=1,actions=output:2" || return 1
    bench_ofctl add-flow "in_port=2,actions=output:1" || return 1

    # Interactive, commands through a FIFO, so that its counters can be
    # cleared and read at the same moments as the switch's.  Several
    # memory segments per file would exceed vhost-user's 8 memory regions
    # (--single-file-segments).
    bench_testpmd_start fd pid "$fifo" "$log" "$T2_TESTPMD_MEM" \
        "bench-t2-$$" \
        --vdev "net_virtio_user0,path=$dir/vu1.sock,server=1,queues=1,queue_size=$T2_QUEUE_SIZE" \
        --vdev "net_virtio_user1,path=$dir/vu2.sock,server=1,queues=1,queue_size=$T2_QUEUE_SIZE" \
        -- -i --forward-mode=flowgen --flowgen-flows="$flows" \
        --txpkts="$T2_PKT_LEN" --rxq=1 --txq=1 --nb-cores=1 \
        --total-num-mbufs=16384 || return 1
    if ! bench_wait "$T2_START_TIMEOUT" grep -q "testpmd>" "$log"; then
        bench_log "$scen/$sw: testpmd did not start: $(tail -5 "$log")"
        bench_testpmd_stop "$fd" "$pid"
        return 1
    fi
    echo start >&"$fd"
    if ! t2_wait_traffic "$fd" "$log" "$pid"; then
        bench_log "$scen/$sw: no traffic both ways after ${T2_START_TIMEOUT}s" \
            "(see $log):" "$(grep -E 'vhost|virtio|Error' "$log" | tail -3)"
        bench_vsctl list Interface vu1 vu2 | grep -E '^(name|status|error) ' >&2
        bench_testpmd_stop "$fd" "$pid"
        return 1
    fi
    bench_warmup || bench_log "$scen/$sw: measuring anyway"
    # bench_pmd_sample's steps, with testpmd's counters cleared and read
    # in the same window.
    bench_appctl dpif-netdev/pmd-stats-clear >/dev/null || rc=1
    echo "clear port stats all" >&"$fd"
    t0=$(date +%s.%N)
    sleep "$SECONDS_PER_REP"
    from=$(wc -l <"$log")
    echo "show port stats all" >&"$fd"
    t1=$(date +%s.%N)
    bench_appctl dpif-netdev/pmd-perf-show >"$BENCH_DIR/perf-show.txt" \
        || rc=1
    st=$(t2_answer "$log" "$from") || st="0 0"
    s=$(bench_perf_parse 1 <"$BENCH_DIR/perf-show.txt")
    # The PMD's busy share: near 100 the switch is the bottleneck, below
    # it the switch waited for testpmd.
    busy=$(awk '/- busy iterations:/ {
                    if (match($0, /[0-9.]+ *%/)) {
                        v = substr($0, RSTART, RLENGTH); gsub(/[ %]/, "", v)
                        sum += v; n++
                    }
                }
                END { printf "%.1f", n ? sum / n : 0 }' \
        "$BENCH_DIR/perf-show.txt")
    bench_testpmd_stop "$fd" "$pid"
    [ "$rc" = 0 ] || return 1
    # shellcheck disable=SC2086
    set -- $s $st
    # $1 rx_pkts $2 mpps $3 cycles $4 emc $5 smc $6 megaflow $7 upcalls
    # $8 simple match; $9 testpmd rx packets, ${10} testpmd tx packets.
    local tprx tptx agree
    tprx=$(awk -v n="$9" -v a="$t0" -v b="$t1" \
        'BEGIN { printf "%.4f", (b > a) ? n / (b - a) / 1e6 : 0 }')
    tptx=$(awk -v n="${10}" -v a="$t0" -v b="$t1" \
        'BEGIN { printf "%.4f", (b > a) ? n / (b - a) / 1e6 : 0 }')
    agree=$(awk -v a="$2" -v b="$tptx" \
        'BEGIN { printf "%.1f", (b > 0) ? 100 * a / b : 0 }')
    bench_log "$scen/$sw rep $rep: switch rx $2 Mpps, testpmd tx $tptx" \
        "rx $tprx Mpps; emc $4% smc $5% megaflow $6% simple $8%;" \
        "PMD busy $busy%"
    bench_record "$scen" "$sw" "$rep" "mpps=$2" "cycles_per_pkt=$3" \
        "emc_pct=$4" "smc_pct=$5" "megaflow_pct=$6" "simple_pct=$8" \
        "upcalls=$7" "rx_pkts=$1" "testpmd_rx_mpps=$tprx" \
        "testpmd_tx_mpps=$tptx" "tx_agree_pct=$agree" \
        "pmd_busy_pct=$busy" "flows=$flows"
}

bench_scen_T2_1k() { t2_run T2_1k "$1" "$2" 1000; }
bench_scen_T2_1M() { t2_run T2_1M "$1" "$2" 1048576; }
