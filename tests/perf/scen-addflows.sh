# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
#
# OpenFlow rule insertion scenarios (sourced by tests/perf/run after
# lib.sh): how long a switch takes to accept a file of distinct rules
# "priority=100,ip,nw_src=A,nw_dst=B,actions=output:2" (both addresses
# exact, one classifier mask; gen-flows.py rules --dst, the same file for
# both switches) sent by Open vSwitch's ovs-ofctl -O OpenFlow13.
#
#   ADDFLOWS_100k   100,000 rules with `ovs-ofctl --bundle add-flows`: the
#                   client streams every flow mod without waiting (inside
#                   one bundle), then commits and sends a single barrier,
#                   so the time is the switch's processing of the 100,000
#                   flow mods.
#   ADDFLOWS_SYNC_10k  10,000 rules with plain `ovs-ofctl add-flows`,
#                   which (lib/vconn.c transact_noreply) sends each flow
#                   mod followed by its own barrier and waits for that
#                   barrier's reply before the next: 10,000 round trips,
#                   i.e. the latency of one flow mod (optional scenario;
#                   not in the default list).
#
# Main metric: the wall time of the whole ovs-ofctl command ("seconds",
# lower is better; it includes ovs-ofctl parsing the file, the same work
# for both switches).  On a loaded machine that time is partly waiting for
# the scheduler, so the CPU time the switch's non-PMD threads used
# meanwhile is recorded too (cpu_seconds: the process's user+system time,
# exited threads included, minus its PMD threads').  Port 2 exists (a
# net_null sink) so that the output action names a real port.  Afterwards
# dump-aggregate must count exactly the file's rules; anything else fails
# the repetition.
#
# Environment: ADDFLOWS_N [100000] and ADDFLOWS_SYNC_N [10000] (rules; the
# scenario names stay), ADDFLOWS_TIMEOUT [600] (seconds ovs-ofctl waits).

ADDFLOWS_N=${ADDFLOWS_N:-100000}
ADDFLOWS_SYNC_N=${ADDFLOWS_SYNC_N:-10000}

# addflows_file N: the rule file of N rules (made on first use).
addflows_file() {
    local f=$BENCH_WORK/addflows-$1.txt
    if [ ! -s "$f" ]; then
        /usr/bin/python3 "$BENCH_TOP/tests/perf/gen-flows.py" rules --dst \
            --flows "$1" --out "$f" || return 1
    fi
    echo "$f"
}

bench_scen_ADDFLOWS_100k_setup() {
    addflows_file "$ADDFLOWS_N" >/dev/null
}

bench_scen_ADDFLOWS_SYNC_10k_setup() {
    addflows_file "$ADDFLOWS_SYNC_N" >/dev/null
}

# addflows_ticks PID: prints "ALL PMD": the CPU time (clock ticks, user +
# system) of process PID, threads that exited included, and of its live
# threads whose name starts with "pmd".
addflows_ticks() {
    local pid=$1 t all pmd=0 n
    all=$(sed 's/.*) //' "/proc/$pid/stat" | awk '{ print $12 + $13 }') \
        || return 1
    for t in /proc/"$pid"/task/*; do
        case $(cat "$t/comm" 2>/dev/null) in
        pmd*)
            n=$(sed 's/.*) //' "$t/stat" 2>/dev/null \
                | awk '{ print $12 + $13 }')
            pmd=$((pmd + ${n:-0}))
            ;;
        esac
    done
    echo "$all $pmd"
}

# addflows_run SCEN SW REP N MODE: one repetition; MODE is "bundle" or
# "sync" (see above).
addflows_run() {
    local scen=$1 sw=$2 rep=$3 want=$4 mode=$5
    local file opt='' t0 t1 secs agg n pid c0 c1 cpu
    file=$(addflows_file "$want") || return 1
    [ "$mode" = bundle ] && opt=--bundle
    bench_add_dpdk_port af-sink 2 "net_null7,no-rx=1" || {
        bench_log "$scen/$sw: cannot add the sink port"
        return 1
    }
    pid=${BENCH_PIDS[0]}
    c0=$(addflows_ticks "$pid") || return 1
    t0=$(date +%s.%N)
    # Not bench_ofctl: ovs-ofctl's options go before the command, and a
    # slow switch needs more than BENCH_TIMEOUT.
    # shellcheck disable=SC2086
    ovs-ofctl --timeout="${ADDFLOWS_TIMEOUT:-600}" -O OpenFlow13 $opt \
        add-flows "$BENCH_BR" "$file" || {
        bench_log "$scen/$sw: ovs-ofctl $opt add-flows failed"
        return 1
    }
    t1=$(date +%s.%N)
    c1=$(addflows_ticks "$pid") || return 1
    secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
    # shellcheck disable=SC2086
    cpu=$(echo $c0 $c1 | awk -v hz="$(getconf CLK_TCK)" \
        '{ printf "%.2f", (($3 - $1) - ($4 - $2)) / hz }')
    agg=$(bench_ofctl dump-aggregate) || {
        bench_log "$scen/$sw: dump-aggregate failed"
        return 1
    }
    n=$(echo "$agg" | sed -n 's/.*flow_count=\([0-9]*\).*/\1/p')
    bench_log "$scen/$sw rep $rep: $want rules in $secs s (switch CPU" \
        "$cpu s), dump-aggregate flow_count=$n"
    if [ "$n" != "$want" ]; then
        bench_log "$scen/$sw: error: flow_count=$n, expected $want"
        return 1
    fi
    bench_record "$scen" "$sw" "$rep" "seconds=$secs" lower_is_better=1 \
        "flow_count=$n" "cpu_seconds=$cpu" \
        "rules_per_sec=$(awk -v n="$n" -v s="$secs" \
            'BEGIN { printf "%.0f", (s > 0) ? n / s : 0 }')"
}

bench_scen_ADDFLOWS_100k() {
    addflows_run ADDFLOWS_100k "$1" "$2" "$ADDFLOWS_N" bundle
}

bench_scen_ADDFLOWS_SYNC_10k() {
    addflows_run ADDFLOWS_SYNC_10k "$1" "$2" "$ADDFLOWS_SYNC_N" sync
}
