# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
#
# Scenario SETUP: flow setup rate, i.e. how many new flows per second a
# switch's PMD takes through the upcall path (classify the packet against
# the OpenFlow tables, translate, install a datapath flow, forward).
# Sourced by tests/perf/run after lib.sh.
#
# Design: every packet must be a new flow needing an upcall of its own, in
# both switches, and nothing else may happen on the PMD.
#   * Rules: SETUP_FLOWS [8192] OpenFlow rules
#     "priority=100,ip,nw_src=10.x.y.z,actions=output:2", one exact source
#     address each (gen-flows.py rules).  A packet matching rule i gets a
#     megaflow exact on nw_src (the classifier had to look at all 32 bits
#     to pick rule i), so no two packets below can share a megaflow.
#   * Packets: a pcap holding one 64-byte UDP frame per rule, each source
#     address exactly once, shuffled (gen-flows.py pcap): SETUP_FLOWS
#     packets, SETUP_FLOWS upcalls, SETUP_FLOWS datapath flows, then
#     silence.
#   * Delivery: a dpdk-testpmd on MAIN_CPU reads the pcap once (net_pcap,
#     no infinite_rx, --no-flush-rx) and forwards it (io mode, with
#     unbounded transmit retries so that nothing is dropped when the ring
#     is full) into a net_virtio_user port served to the switch's
#     dpdkvhostuserclient port 1.  The burst starts on testpmd's "start"
#     command, long after the switch has set the port up.  (A net_pcap
#     port on the switch itself does not work for a one-shot burst: Open
#     vSwitch's PMD polls a new port before its bridge knows it, and
#     every upcall of the burst fails as "lost".)
#   * Port 2 is a net_null sink; the rules are in first, and the PMD
#     counters are cleared just before the burst, so the PMD's counters
#     afterwards cover exactly the burst.
#   * 8192 stays below Open vSwitch's initial datapath flow limit (10,000
#     flows until its revalidators raise it: ofproto-dpif-upcall's
#     flow_limit), above which it would forward packets without installing
#     flows and the comparison would be about that limit, not upcall speed.
# Metrics:
#   flows_per_sec (main): upcalls per second of PMD busy time, i.e.
#     upcalls / (busy cycles / TSC Hz), from pmd-perf-show (busy cycles =
#     cycles of PMD iterations that received packets; every one of them
#     was spent on the burst).  Both switches handle misses on the PMD
#     thread itself, so this is the whole per-flow cost: receive, miss,
#     upcall, install, forward.  The TSC rate comes from the same
#     pmd-perf-show ("Used TSC cycles" over the measurement duration).
#   wall_flows_per_sec: SETUP_FLOWS over the wall time from testpmd's
#     "start" to the first poll of dpctl/show (every SETUP_POLL [0.05]
#     seconds) that counts them all installed; a cross-check that no work
#     was moved off the PMD (coarse: it includes a poll interval and
#     testpmd's start).
#   upcalls, lost (failed upcalls), dp_flows (IPv4 megaflows after the
#     burst: must equal SETUP_FLOWS, else the repetition fails; the
#     LOCAL port's own traffic makes a few more flows of other kinds),
#     masks (their distinct masks: 1), us_per_upcall
#     (the switch's own figure; Open vSwitch fills it only with
#     other_config:pmd-perf-metrics=true, which is not set, so it reads 0).

SETUP_FLOWS=${SETUP_FLOWS:-8192}
SETUP_POLL=${SETUP_POLL:-0.05}
SETUP_TESTPMD_MEM=${SETUP_TESTPMD_MEM:-512}
SETUP_START_TIMEOUT=${SETUP_START_TIMEOUT:-120}

setup_files() {
    local rules=$BENCH_WORK/setup-$SETUP_FLOWS.rules
    local pcap=$BENCH_WORK/setup-$SETUP_FLOWS.pcap
    local gen=$BENCH_TOP/tests/perf/gen-flows.py
    if [ ! -s "$rules" ] || [ ! -s "$pcap" ]; then
        /usr/bin/python3 "$gen" rules --flows "$SETUP_FLOWS" --out "$rules" \
            && /usr/bin/python3 "$gen" pcap --flows "$SETUP_FLOWS" \
                --out "$pcap" || return 1
    fi
}

bench_scen_SETUP_setup() {
    setup_files
}

# setup_dp_counts: prints "FLOWS MISSED LOST" from dpctl/show.
setup_dp_counts() {
    bench_appctl dpctl/show | awk '
        /lookups:/ {
            for (i = 1; i <= NF; i++) {
                split($i, kv, ":")
                if (kv[1] == "missed") { m += kv[2] }
                if (kv[1] == "lost") { l += kv[2] }
            }
        }
        /^ *flows:/ { f += $2 }
        END { printf "%d %d %d\n", f, m, l }'
}

# setup_poll OUT WANT: appends "TIME FLOWS MISSED LOST" to OUT every
# SETUP_POLL seconds until the datapath holds WANT flows, misses plus
# losses reach WANT, or 300 s pass.
setup_poll() {
    local out=$1 want=$2 deadline=$((SECONDS + 300)) c
    while [ "$SECONDS" -lt "$deadline" ]; do
        c=$(setup_dp_counts) || return 1
        echo "$(date +%s.%N) $c" >>"$out"
        # shellcheck disable=SC2086
        set -- $c
        if [ "$1" -ge "$want" ] || [ $(($2 + $3)) -ge "$want" ]; then
            return 0
        fi
        sleep "$SETUP_POLL"
    done
    return 1
}

# setup_tsc_hz FILE: the TSC rate pmd-perf-show FILE implies ("Used TSC
# cycles: C (P % of total cycles)" over "Measurement duration: D s").
setup_tsc_hz() {
    awk '
        /^Measurement duration:/ { d = $3 + 0 }
        /Used TSC cycles:/ {
            c = $5 + 0
            if (match($0, /\( *[0-9.]+ %/)) {
                p = substr($0, RSTART, RLENGTH); gsub(/[( %]/, "", p)
            }
        }
        END { printf "%.0f\n", (d > 0 && p > 0) ? c * 100 / p / d : 0 }' "$1"
}

# setup_testpmd_says LOG FROM PATTERN: waits (up to 20 s) until a line
# after line FROM of LOG matches PATTERN.
setup_testpmd_says() {
    local i
    for ((i = 0; i < 200; i++)); do
        tail -n +"$(($2 + 1))" "$1" | grep -Eq "$3" && return 0
        sleep 0.1
    done
    return 1
}

bench_scen_SETUP() {
    local sw=$1 rep=$2 n=$SETUP_FLOWS poll perf s hz fps wall
    local rules=$BENCH_WORK/setup-$SETUP_FLOWS.rules
    local pcap=$BENCH_WORK/setup-$SETUP_FLOWS.pcap
    local dir=$BENCH_WORK/setup log fifo fd pid from t0 deadline
    setup_files || return 1
    mkdir -p "$dir"
    poll=$dir/$sw-$rep.poll
    perf=$dir/$sw-$rep.perf
    log=$dir/testpmd-$sw-$rep.log
    fifo=$dir/testpmd.in
    rm -f "$dir/vu1.sock" "$fifo"
    : >"$poll"
    bench_add_dpdk_port sink 2 "net_null0,no-rx=1" || return 1
    bench_vsctl add-port br0 vu1 -- set Interface vu1 \
        type=dpdkvhostuserclient "options:vhost-server-path=$dir/vu1.sock" \
        ofport_request=1 || return 1
    bench_ofctl add-flows "$rules" || return 1

    bench_testpmd_start fd pid "$fifo" "$log" "$SETUP_TESTPMD_MEM" \
        "bench-setup-$$" \
        --vdev "net_pcap0,rx_pcap=$pcap" \
        --vdev "net_virtio_user0,path=$dir/vu1.sock,server=1,queues=1" \
        -- -i --forward-mode=io --no-flush-rx --rxq=1 --txq=1 \
        --nb-cores=1 --total-num-mbufs=16384 || return 1
    if ! bench_wait "$SETUP_START_TIMEOUT" grep -q "testpmd>" "$log"; then
        bench_log "SETUP/$sw: testpmd did not start (see $log)"
        bench_testpmd_stop "$fd" "$pid"
        return 1
    fi
    echo "set fwd io retry" >&"$fd"
    echo "set burst tx delay 1 retry 4000000000" >&"$fd"
    # The virtio port's link is up once the switch has taken the device.
    deadline=$((SECONDS + SETUP_START_TIMEOUT))
    while :; do
        from=$(wc -l <"$log")
        echo "show port info 1" >&"$fd"
        if setup_testpmd_says "$log" "$from" "Link status: *up"; then
            break
        fi
        if [ "$SECONDS" -ge "$deadline" ]; then
            bench_log "SETUP/$sw: the vhost-user link never came up"
            bench_testpmd_stop "$fd" "$pid"
            return 1
        fi
        sleep 1
    done
    sleep 1
    bench_appctl dpif-netdev/pmd-stats-clear >/dev/null || return 1
    sleep 1
    t0=$(date +%s.%N)
    echo start >&"$fd"
    setup_poll "$poll" "$n" || bench_log "SETUP/$sw: the burst did not finish"
    # Let the PMD go idle after its last packet, then read everything.
    sleep 1
    bench_appctl dpif-netdev/pmd-perf-show >"$perf" || return 1
    from=$(wc -l <"$log")
    echo stop >&"$fd"
    setup_testpmd_says "$log" "$from" "Done" || true
    bench_testpmd_stop "$fd" "$pid"
    s=$(bench_perf_parse <"$perf")
    hz=$(setup_tsc_hz "$perf")
    # shellcheck disable=SC2046,SC2086
    set -- $s $(setup_dp_counts) $(bench_megaflow_masks)
    # $1 rx $2 mpps $3 busy cycles/pkt $4 emc $5 smc $6 mf $7 upcalls
    # $8 dp flows $9 missed ${10} lost ${11} IPv4 megaflows ${12} masks
    local rx=$1 cpp=$3 upcalls=$7 lost=${10} flows=${11} masks=${12} usup
    fps=$(awk -v up="$upcalls" -v rx="$rx" -v cpp="$cpp" -v hz="$hz" \
        'BEGIN { c = rx * cpp; printf "%.0f", (c > 0) ? up * hz / c : 0 }')
    wall=$(awk -v want="$n" -v t0="$t0" '
        $2 >= want && !t1 { t1 = $1 }
        END { printf "%.0f", (t1 > t0) ? want / (t1 - t0) : 0 }
    ' "$poll")
    usup=$(sed -n 's/.*Upcalls:.*, *\([0-9.]*\) us\/upcall.*/\1/p' "$perf" \
        | head -1)
    bench_log "SETUP/$sw rep $rep: $rx packets, $upcalls upcalls ($lost" \
        "lost), $flows IPv4 datapath flows in $masks mask(s); $cpp busy" \
        "cycles/flow at $hz Hz: $fps flows/s on the PMD; wall $wall" \
        "flows/s ($(wc -l <"$poll") polls)"
    if [ "$flows" != "$n" ]; then
        bench_log "SETUP/$sw: error: $flows IPv4 datapath flows, expected $n"
        return 1
    fi
    bench_record SETUP "$sw" "$rep" "flows_per_sec=$fps" \
        "wall_flows_per_sec=$wall" "cycles_per_flow=$cpp" \
        "upcalls=$upcalls" "lost=$lost" "dp_flows=$flows" "masks=$masks" \
        "rx_pkts=$rx" "us_per_upcall=${usup:-0}" "tsc_hz=$hz"
}
