# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
#
# Topology T1 scenarios of the side-by-side benchmark (sourced by
# tests/perf/run after lib.sh).  The switch has two DPDK ports: OpenFlow
# port 1 "src" is net_pcap replaying a pcap of 64-byte UDP frames forever
# (infinite_rx=1), port 2 "sink" is net_null dropping what it is sent and
# receiving nothing (no-rx=1); one rx queue each, one PMD thread.  The
# rules come from gen-pcap.py together with the packets:
#   S1     1 flow, "in_port=1,actions=output:2"
#   S2     1k flows, one "ip,nw_src=10.x.y.z,actions=output:2" per flow
#   S3     16k flows, the same with 16k rules
#   S4_K   16k flows and rules spread over K = 1, 4, 16 nw_src prefix
#          lengths (masks); see gen-pcap.py for why the megaflows land in
#          exactly K masks in both switches (checked each repetition with
#          dpctl/dump-flows: recorded as "megaflows" and "masks").
#   ceiling  dpdk-testpmd --forward-mode=io between the same two ports
#          (S1's pcap), no switching: the I/O ceiling, recorded as switch
#          "testpmd".
# Each repetition warms up until a second passes without an upcall, then
# measures SECONDS_PER_REP seconds.

: "${SECONDS_PER_REP:=10}"

BENCH_T1_FLOWS_S1=1
BENCH_T1_FLOWS_S2=1000
BENCH_T1_FLOWS_S3=16384
BENCH_T1_FLOWS_S4=16384

# bench_t1_files SCEN: the pcap and rules of SCEN, made once per run.
bench_t1_files() {
    local scen=$1 flows masks=0
    local pcap=$BENCH_WORK/t1-$scen.pcap rules=$BENCH_WORK/t1-$scen.rules
    [ -f "$pcap" ] && [ -f "$rules" ] && return 0
    case $scen in
    S1) flows=$BENCH_T1_FLOWS_S1 ;;
    S2) flows=$BENCH_T1_FLOWS_S2 ;;
    S3) flows=$BENCH_T1_FLOWS_S3 ;;
    S4_*) flows=$BENCH_T1_FLOWS_S4 masks=${scen#S4_} ;;
    *) bench_log "unknown T1 scenario $scen"; return 1 ;;
    esac
    /usr/bin/python3 "$BENCH_TOP/tests/perf/gen-pcap.py" --flows "$flows" \
        --masks "$masks" --rules "$rules" --out "$pcap" || return 1
    if [ "$scen" = S1 ]; then
        echo "in_port=1,actions=output:2" >"$rules"
    fi
}

# bench_t1_expected_masks SCEN: how many megaflow masks SCEN must make.
bench_t1_expected_masks() {
    case $1 in
    S4_*) echo "${1#S4_}" ;;
    *) echo 1 ;;
    esac
}

# bench_t1_run SCEN SW REP: one repetition of T1 scenario SCEN on the
# running switch SW.
bench_t1_run() {
    local scen=$1 sw=$2 rep=$3 s mf want
    local pcap=$BENCH_WORK/t1-$scen.pcap rules=$BENCH_WORK/t1-$scen.rules
    bench_t1_files "$scen" || return 1
    # The sink first and the rules before the source, so that no packet
    # misses while the switch is being set up.
    bench_add_dpdk_port sink 2 "net_null0,no-rx=1" || return 1
    # One bundle: the rules arrive at once, without a barrier per rule.
    BENCH_OFCTL_OPTS=--bundle bench_ofctl add-flows "$rules" || return 1
    bench_add_dpdk_port src 1 "net_pcap0,rx_pcap=$pcap,infinite_rx=1" \
        || return 1
    bench_warmup || bench_log "$scen/$sw: measuring anyway"
    # shellcheck disable=SC2046
    set -- $(bench_megaflow_masks)
    mf=$1
    want=$(bench_t1_expected_masks "$scen")
    if [ "$2" != "$want" ]; then
        bench_log "$scen/$sw: megaflows use $2 masks, not $want"
        bench_appctl dpctl/dump-flows >"$BENCH_WORK/$scen-$sw-$rep.flows" 2>&1
        bench_log "(dump in $BENCH_WORK/$scen-$sw-$rep.flows)"
    fi
    local masks=$2
    s=$(bench_pmd_sample "$SECONDS_PER_REP" 1) || return 1
    # shellcheck disable=SC2086
    set -- $s
    bench_record "$scen" "$sw" "$rep" "mpps=$2" "cycles_per_pkt=$3" \
        "emc_pct=$4" "smc_pct=$5" "megaflow_pct=$6" "simple_pct=$8" \
        "upcalls=$7" "rx_pkts=$1" "megaflows=$mf" "masks=$masks"
}

bench_scen_S1() { bench_t1_run S1 "$@"; }
bench_scen_S2() { bench_t1_run S2 "$@"; }
bench_scen_S3() { bench_t1_run S3 "$@"; }
bench_scen_S4_1() { bench_t1_run S4_1 "$@"; }
bench_scen_S4_4() { bench_t1_run S4_4 "$@"; }
bench_scen_S4_16() { bench_t1_run S4_16 "$@"; }
bench_scen_S1_setup() { bench_t1_files S1; }
bench_scen_S2_setup() { bench_t1_files S2; }
bench_scen_S3_setup() { bench_t1_files S3; }
bench_scen_S4_1_setup() { bench_t1_files S4_1; }
bench_scen_S4_4_setup() { bench_t1_files S4_4; }
bench_scen_S4_16_setup() { bench_t1_files S4_16; }

# The I/O ceiling runs without a switch.
bench_scen_ceiling_switches() { echo testpmd; }
bench_scen_ceiling_setup() { bench_t1_files S1; }

# bench_scen_ceiling SW REP: dpdk-testpmd forwarding (io mode, no
# switching) from the pcap port to the null port on PMD_CPU.  testpmd runs
# interactively, its commands written to a FIFO: "start" for
# WARMUP_CEILING seconds [3], "stop", then "start" again for
# SECONDS_PER_REP seconds and "stop", whose forward statistics (reset by
# each start) give the packets forwarded and, with --record-core-cycles,
# testpmd's own busy cycles per packet.
bench_scen_ceiling() {
    local rep=$2 out=$BENCH_WORK/testpmd-$2.out pid fifo=$BENCH_WORK/testpmd.in
    local warm=${WARMUP_CEILING:-3} t0 t1 fd
    bench_t1_files S1 || return 1
    command -v dpdk-testpmd >/dev/null \
        || { bench_log "dpdk-testpmd missing (install-deps.sh)"; return 1; }
    rm -f "$fifo"
    mkfifo "$fifo" || return 1
    exec {fd}<>"$fifo"
    taskset -c "$MAIN_CPU,$PMD_CPU" dpdk-testpmd -l "$MAIN_CPU,$PMD_CPU" \
        --main-lcore "$MAIN_CPU" --in-memory --no-pci \
        --socket-mem "$BENCH_SOCKET_MEM" --huge-dir "$BENCH_HUGEDIR" \
        --file-prefix "bench-testpmd-$$" --no-telemetry \
        --vdev "net_pcap0,rx_pcap=$BENCH_WORK/t1-S1.pcap,infinite_rx=1" \
        --vdev "net_null0,no-rx=1" -- -i \
        --forward-mode=io --rxq=1 --txq=1 --nb-cores=1 \
        --record-core-cycles <&"$fd" >"$out" 2>&1 &
    pid=$!
    bench_track_pid "$pid"
    if ! bench_wait "$BENCH_TIMEOUT" grep -q "testpmd>" "$out"; then
        bench_log "ceiling: testpmd did not start: $(tail -5 "$out")"
        exec {fd}>&-
        bench_kill_pid "$pid"
        return 1
    fi
    echo start >&"$fd"
    sleep "$warm"
    echo stop >&"$fd"
    sleep 1
    : >"$out.measure"
    t0=$(date +%s.%N)
    echo start >&"$fd"
    sleep "$SECONDS_PER_REP"
    echo stop >&"$fd"
    t1=$(date +%s.%N)
    sleep 1
    cp "$out" "$out.measure"
    echo quit >&"$fd"
    bench_wait 20 bash -c "! kill -0 $pid"
    bench_kill_pid "$pid"
    wait "$pid" 2>/dev/null
    exec {fd}>&-
    rm -f "$fifo"
    # The last "Accumulated forward statistics" block is the measurement.
    local rx cpp mpps
    rx=$(awk '/Accumulated forward statistics/ { acc = 1; next }
              acc && /RX-packets:/ { rx = $2; acc = 0 }
              END { print rx + 0 }' "$out.measure")
    cpp=$(sed -n 's/.*CPU cycles\/packet=\([0-9.]*\).*/\1/p' "$out.measure" \
        | tail -1)
    mpps=$(awk -v rx="$rx" -v t0="$t0" -v t1="$t1" \
        'BEGIN { printf "%.4f", (t1 > t0) ? rx / (t1 - t0) / 1e6 : 0 }')
    if [ "$rx" = 0 ]; then
        bench_log "ceiling: testpmd forwarded nothing (see $out)"
        return 1
    fi
    bench_record ceiling testpmd "$rep" "mpps=$mpps" \
        "cycles_per_pkt=${cpp:-0}" "rx_pkts=$rx"
}
