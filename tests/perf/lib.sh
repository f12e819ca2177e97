# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
#
# Helpers of the side-by-side benchmark (tests/perf/run), sourced by the
# driver and by every scenario file (tests/perf/scen-*.sh).  They start
# Tern or Open vSwitch 3.1's DPDK build ("the switch") fresh, each with its
# own database server, in a private run directory under $BENCH_WORK, with
# the same DPDK memory (hugepages reserved here and given back at exit),
# the same PMD core and the same bridge; drive it with Open vSwitch's own
# ovs-vsctl and ovs-ofctl (so both switches get byte-identical requests);
# read its PMD counters through dpif-netdev/pmd-perf-show, whose text is
# the same for both; and record results one JSON object per line.
#
# Nothing here touches the system's Open vSwitch service: every command is
# given an explicit database, control socket or bridge socket, and
# OVS_RUNDIR/OVS_DBDIR/OVS_LOGDIR point into $BENCH_WORK.
#
# Environment (defaults in brackets):
#   BENCH_BUILD      Tern build directory [$BENCH_TOP/_build/release]
#   BENCH_WORK       scratch directory [mktemp -d /tmp/tern-bench.XXXXXX]
#   BENCH_RESULTS    JSON-lines results file [$BENCH_WORK/results.jsonl]
#   PMD_CPU          CPU of the forwarding thread [1]
#   MAIN_CPU         CPU of everything else [0]
#   BENCH_SOCKET_MEM DPDK memory of each switch, MB [1024]
#   BENCH_HUGEPAGES  2-MB pages reserved for the run [1536]
#   BENCH_TIMEOUT    seconds to wait for a daemon or a request [60]
#   BENCH_OFCTL_TIMEOUT  seconds an ovs-ofctl request may take [600]
#   BENCH_MBUFS      packets in Tern's packet pool (dpdk-mbufs) [65536]

: "${BENCH_TOP:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${BENCH_BUILD:=$BENCH_TOP/_build/release}"
: "${PMD_CPU:=1}"
: "${MAIN_CPU:=0}"
: "${BENCH_SOCKET_MEM:=1024}"
: "${BENCH_HUGEPAGES:=1536}"
: "${BENCH_TIMEOUT:=60}"
: "${BENCH_MBUFS:=65536}"

BENCH_OVS_VSWITCHD=/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk
BENCH_OVS_SCHEMA=/usr/share/openvswitch/vswitch.ovsschema

# State of the running switch (one at a time).
BENCH_SW=          # tern or ovs
BENCH_DIR=         # its run directory
BENCH_CTL=         # its vswitchd control socket
BENCH_BR=          # ovs-ofctl target of its br0
BENCH_PIDS=()      # its daemons, vswitchd first
# Processes scenario files start (generators), stopped at exit.
BENCH_EXTRA_PIDS=()
# Commands run at exit, last registered first.
BENCH_EXIT_CMDS=()
BENCH_HUGE_OLD=
BENCH_INITIALISED=

bench_log() {
    echo "bench: $*" >&2
}

bench_die() {
    bench_log "error: $*"
    exit 1
}

# bench_on_exit CMD...: runs CMD (one string, eval'd) when the run ends,
# however it ends.
bench_on_exit() {
    BENCH_EXIT_CMDS+=("$*")
}

# bench_track_pid PID: a process (a traffic generator) that bench_kill_pid
# or the exit trap stops.
bench_track_pid() {
    BENCH_EXTRA_PIDS+=("$1")
}

# bench_kill_pid PID: stops PID (TERM, then KILL after 10 s) if it runs.
bench_kill_pid() {
    local pid=$1 i
    [ -n "$pid" ] || return 0
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null
    for ((i = 0; i < 50; i++)); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
}

bench_cleanup() {
    local i pid
    trap - EXIT INT TERM
    bench_stop
    for pid in "${BENCH_EXTRA_PIDS[@]}"; do
        bench_kill_pid "$pid"
    done
    BENCH_EXTRA_PIDS=()
    for ((i = ${#BENCH_EXIT_CMDS[@]} - 1; i >= 0; i--)); do
        eval "${BENCH_EXIT_CMDS[i]}" || true
    done
    BENCH_EXIT_CMDS=()
    if [ -n "$BENCH_WORK" ] && [ -n "${BENCH_WORK_OWNED:-}" ]; then
        rm -rf "$BENCH_WORK"
    fi
}

# bench_init: makes $BENCH_WORK, reserves hugepages (BENCH_HUGEPAGES 2-MB
# pages, if fewer are reserved) and mounts hugetlbfs in
# $BENCH_WORK/huge (BENCH_HUGEDIR); installs the exit trap that stops
# every process the run started and gives everything back, also on
# Ctrl-C or failure.  Called by the driver once; idempotent.
bench_init() {
    [ -z "$BENCH_INITIALISED" ] || return 0
    [ "$(id -u)" = 0 ] || bench_die "the benchmark needs root (hugepages)"
    if [ -z "${BENCH_WORK:-}" ]; then
        BENCH_WORK=$(mktemp -d /tmp/tern-bench.XXXXXX)
        BENCH_WORK_OWNED=1
    fi
    mkdir -p "$BENCH_WORK"
    : "${BENCH_RESULTS:=$BENCH_WORK/results.jsonl}"
    export BENCH_WORK BENCH_RESULTS
    trap bench_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    BENCH_INITIALISED=1

    local pages=/proc/sys/vm/nr_hugepages have
    have=$(cat $pages)
    if [ "$have" -lt "$BENCH_HUGEPAGES" ]; then
        BENCH_HUGE_OLD=$have
        echo "$BENCH_HUGEPAGES" >$pages || bench_die "cannot reserve hugepages"
        bench_on_exit "echo $BENCH_HUGE_OLD >$pages"
        have=$(cat $pages)
        [ "$have" -ge "$BENCH_HUGEPAGES" ] \
            || bench_log "warning: only $have of $BENCH_HUGEPAGES hugepages"
    fi
    BENCH_HUGEDIR=$BENCH_WORK/huge
    mkdir -p "$BENCH_HUGEDIR"
    mount -t hugetlbfs -o pagesize=2M none "$BENCH_HUGEDIR" \
        || bench_die "cannot mount hugetlbfs on $BENCH_HUGEDIR"
    bench_on_exit "umount '$BENCH_HUGEDIR' 2>/dev/null || umount -l '$BENCH_HUGEDIR'"
    export BENCH_HUGEDIR
}

# bench_wait SECS CMD...: polls CMD every 0.1 s until it succeeds (0) or
# SECS elapse (1).
bench_wait() {
    local secs=$1 i
    shift
    for ((i = 0; i < secs * 10; i++)); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    return 1
}

bench_cpu_mask() {
    printf '0x%x' $((1 << $1))
}

# The DPDK and PMD settings both switches get, as ovs-vsctl arguments.
# dpdk-mbufs sizes Tern's packet pool (Open vSwitch sizes its own, 256k
# packets when memory allows, and ignores the key): a net_pcap port with
# infinite_rx=1 keeps its whole capture (16k frames for S3) in the pool.
bench_other_config() {
    echo other_config:dpdk-init=true \
        "other_config:dpdk-lcore-mask=$(bench_cpu_mask "$MAIN_CPU")" \
        "other_config:pmd-cpu-mask=$(bench_cpu_mask "$PMD_CPU")" \
        "other_config:dpdk-socket-mem=$BENCH_SOCKET_MEM" \
        "other_config:dpdk-hugepage-dir=$BENCH_HUGEDIR" \
        "other_config:dpdk-mbufs=$BENCH_MBUFS"
}

# bench_vsctl ARGS...: ovs-vsctl against the running switch's database.
bench_vsctl() {
    ovs-vsctl --timeout="$BENCH_TIMEOUT" --db="unix:$BENCH_DIR/db.sock" "$@"
}

# bench_ofctl CMD ARGS...: ovs-ofctl -O OpenFlow13 CMD <br0> ARGS...
# BENCH_OFCTL_OPTS (e.g. --bundle) adds options for one call.
bench_ofctl() {
    local cmd=$1
    shift
    # shellcheck disable=SC2086
    ovs-ofctl --timeout="${BENCH_OFCTL_TIMEOUT:-600}" -O OpenFlow13 \
        ${BENCH_OFCTL_OPTS:-} "$cmd" "$BENCH_BR" "$@"
}

# bench_appctl ARGS...: tern-appctl or ovs-appctl for the running vswitchd.
bench_appctl() {
    case $BENCH_SW in
    tern) "$BENCH_BUILD/utilities/tern-appctl" -T "$BENCH_TIMEOUT" \
        -t "$BENCH_CTL" "$@" ;;
    ovs) ovs-appctl -T "$BENCH_TIMEOUT" -t "$BENCH_CTL" "$@" ;;
    *) bench_log "no switch running"; return 1 ;;
    esac
}

# bench_version SW: one line naming SW's version.
bench_version() {
    case $1 in
    tern)
        echo "tern $(cd "$BENCH_TOP" && git describe --always --dirty 2>/dev/null || echo unknown)"
        ;;
    ovs) "$BENCH_OVS_VSWITCHD" --version 2>/dev/null | head -1 ;;
    esac
}

bench_start_db__() {
    local dir=$1
    case $BENCH_SW in
    ovs)
        [ -f "$BENCH_OVS_SCHEMA" ] || { bench_log "no $BENCH_OVS_SCHEMA"; return 1; }
        ovsdb-tool create "$dir/conf.db" "$BENCH_OVS_SCHEMA" || return 1
        taskset -c "$MAIN_CPU" ovsdb-server "$dir/conf.db" \
            --remote="punix:$dir/db.sock" --pidfile="$dir/db.pid" \
            --unixctl="$dir/db.ctl" --log-file="$dir/db.log" --detach \
            2>>"$dir/stderr" || return 1
        ;;
    tern)
        taskset -c "$MAIN_CPU" "$BENCH_BUILD/ovsdb/tern-dbserver" \
            "$dir/conf.db" --schema="$BENCH_TOP/vswitchd/vswitch.ovsschema" \
            --remote="punix:$dir/db.sock" --pidfile="$dir/db.pid" \
            --unixctl="$dir/db.ctl" --log-file="$dir/db.log" --detach \
            2>>"$dir/stderr" || return 1
        ;;
    esac
    BENCH_PIDS+=("$(cat "$dir/db.pid")")
    bench_wait "$BENCH_TIMEOUT" test -S "$dir/db.sock" || return 1
    bench_vsctl --no-wait init || return 1
    # shellcheck disable=SC2046
    bench_vsctl --no-wait set Open_vSwitch . $(bench_other_config) \
        "other_config:dpdk-extra=--file-prefix=bench-$BENCH_SW-$$" || return 1
}

bench_start_vswitchd__() {
    local dir=$1
    case $BENCH_SW in
    ovs)
        [ -x "$BENCH_OVS_VSWITCHD" ] \
            || { bench_log "$BENCH_OVS_VSWITCHD missing (install-deps.sh)"; return 1; }
        OVS_RUNDIR=$dir OVS_LOGDIR=$dir OVS_DBDIR=$dir OVS_SYSCONFDIR=$dir \
            "$BENCH_OVS_VSWITCHD" "unix:$dir/db.sock" \
            --pidfile="$dir/vswitchd.pid" --unixctl="$dir/vswitchd.ctl" \
            --log-file="$dir/vswitchd.log" --disable-system --detach \
            2>>"$dir/stderr" || return 1
        BENCH_CTL=$dir/vswitchd.ctl
        ;;
    tern)
        TERN_RUNDIR=$dir TERN_LOGDIR=$dir \
            "$BENCH_BUILD/vswitchd/tern-vswitchd" "unix:$dir/db.sock" \
            --pidfile="$dir/vswitchd.pid" --unixctl="$dir/vswitchd.ctl" \
            --log-file="$dir/vswitchd.log" --detach \
            2>>"$dir/stderr" || return 1
        BENCH_CTL=$dir/vswitchd.ctl
        ;;
    esac
    BENCH_PIDS=("$(cat "$dir/vswitchd.pid")" "${BENCH_PIDS[@]}")
    bench_pin_threads
    bench_wait "$BENCH_TIMEOUT" test -S "$BENCH_CTL"
}

# bench_pin_threads: moves every thread of the running vswitchd except its
# PMD threads (named "pmd...") to MAIN_CPU; threads created later inherit
# the main thread's CPU.  The daemon is not started under taskset because
# a switch may (Tern does) limit its PMD CPUs to the process's affinity at
# start.
bench_pin_threads() {
    local pid=${BENCH_PIDS[0]:-} task comm
    [ -n "$pid" ] || return 0
    for task in /proc/"$pid"/task/*; do
        comm=$(cat "$task/comm" 2>/dev/null) || continue
        case $comm in
        pmd*) ;;
        *) taskset -p -c "$MAIN_CPU" "${task##*/}" >/dev/null 2>&1 ;;
        esac
    done
}

# bench_start SW: starts SW (tern or ovs) fresh with bridge br0
# (datapath_type=netdev, fail_mode=secure, no flows).  Returns non-zero
# with a message if it cannot (whatever it started is stopped).
bench_start() {
    local sw=$1 dir
    bench_init
    bench_stop
    case $sw in
    tern | ovs) ;;
    *) bench_log "bench_start: unknown switch $sw"; return 1 ;;
    esac
    BENCH_SW=$sw
    dir=$BENCH_WORK/$sw
    rm -rf "$dir"
    mkdir -p "$dir"
    BENCH_DIR=$dir
    BENCH_BR=unix:$dir/br0.mgmt
    if ! bench_start_db__ "$dir" || ! bench_start_vswitchd__ "$dir"; then
        bench_log "$sw did not start: $(tail -5 "$dir/stderr" "$dir"/*.log 2>/dev/null)"
        bench_stop
        return 1
    fi
    if ! bench_vsctl add-br br0 -- set Bridge br0 datapath_type=netdev \
        fail_mode=secure \
        || ! bench_wait "$BENCH_TIMEOUT" test -S "$dir/br0.mgmt"; then
        bench_log "$sw: bridge br0 did not come up: $(tail -5 "$dir/vswitchd.log")"
        bench_stop
        return 1
    fi
}

# bench_stop: stops the switch bench_start started and removes its run
# directory.  Safe to call when none runs.
bench_stop() {
    local pid
    if [ -n "$BENCH_SW" ] && [ -S "$BENCH_CTL" ]; then
        # A clean exit lets DPDK close its ports; the kill below is the
        # fallback.
        timeout 15 bench_appctl exit >/dev/null 2>&1 &
        wait $! 2>/dev/null
    fi
    for pid in "${BENCH_PIDS[@]}"; do
        bench_kill_pid "$pid"
    done
    BENCH_PIDS=()
    if [ -n "$BENCH_DIR" ] && [ -z "${BENCH_KEEP:-}" ]; then
        rm -rf "$BENCH_DIR"
    fi
    BENCH_SW='' BENCH_DIR='' BENCH_CTL='' BENCH_BR=''
}

# bench_add_dpdk_port NAME OFPORT DEVARGS [ARGS...]: adds a DPDK port to
# br0 with OpenFlow port number OFPORT; ARGS are more ovs-vsctl column
# settings of the Interface.
bench_add_dpdk_port() {
    local name=$1 ofport=$2 devargs=$3
    shift 3
    bench_vsctl add-port br0 "$name" -- set Interface "$name" type=dpdk \
        "options:dpdk-devargs=$devargs" "ofport_request=$ofport" "$@" \
        || return 1
    local got
    got=$(bench_vsctl get Interface "$name" ofport)
    if [ "$got" != "$ofport" ]; then
        bench_log "$BENCH_SW: port $name got ofport $got, not $ofport: $(bench_vsctl get Interface "$name" error)"
        return 1
    fi
}

# bench_testpmd_start FDVAR PIDVAR FIFO LOG MEM PREFIX ARG...: starts an
# interactive dpdk-testpmd on MAIN_CPU (two lcores there, one forwarding)
# with MEM MB of hugepage memory from $BENCH_HUGEDIR, file prefix PREFIX
# and ARG... after its common EAL options (its --vdev options, then "--"
# and testpmd's own options, which must include -i).  It reads commands
# from the FIFO FIFO (made here; it must not exist), through a descriptor
# of this shell opened on it, and writes everything to LOG.  Stores the
# descriptor (write testpmd's commands to it) in the variable named FDVAR
# and testpmd's PID, tracked for the exit trap, in the variable named
# PIDVAR; stop it with bench_testpmd_stop.  Does not wait for testpmd's
# prompt.  Returns 1, starting nothing, if FIFO cannot be made.
bench_testpmd_start() {
    local fdvar=$1 pidvar=$2 fifo=$3 log=$4 mem=$5 prefix=$6 tfd tpid
    shift 6
    mkfifo "$fifo" || return 1
    exec {tfd}<>"$fifo"
    taskset -c "$MAIN_CPU" stdbuf -oL dpdk-testpmd \
        --lcores "0@$MAIN_CPU,1@$MAIN_CPU" --main-lcore 0 --in-memory \
        --no-pci --socket-mem "$mem" \
        --huge-dir "$BENCH_HUGEDIR" --file-prefix "$prefix" \
        --single-file-segments --no-telemetry \
        "$@" <&"$tfd" >"$log" 2>&1 &
    tpid=$!
    bench_track_pid "$tpid"
    printf -v "$pidvar" %s "$tpid"
    printf -v "$fdvar" %s "$tfd"
}

# bench_testpmd_stop FD PID: asks the testpmd bench_testpmd_start started
# (PID, reading from descriptor FD) to quit, stops it by PID if it has not
# within 15 s, and closes FD.
bench_testpmd_stop() {
    { echo quit >&"$1"; } 2>/dev/null
    bench_wait 15 bash -c "! kill -0 $2" || bench_kill_pid "$2"
    eval "exec $1>&-"
}

# bench_perf_parse: reads dpif-netdev/pmd-perf-show text on standard input
# (Tern's or Open vSwitch's; PMD threads summed) and prints
# "rx_pkts mpps busy_cycles_per_pkt emc_pct smc_pct megaflow_pct upcalls"
# (hit percentages are of datapath passes).  With argument 1 it appends
# "simple_match_pct" (Open vSwitch's cache for a single in_port rule).
bench_perf_parse() {
    awk -v full="${1:-0}" '
        function num(s) { gsub(/[^0-9.]/, "", s); return s + 0 }
        /^Measurement duration:/ { dur = num($3) }
        /^ *Rx packets:/ {
            n = num($3); rx += n
            if (match($0, /[0-9.]+ cycles\/pkt/)) {
                busy += n * num(substr($0, RSTART, RLENGTH))
            }
        }
        /^ *Datapath passes:/ { passes += num($3) }
        /- EMC hits:/ { emc += num($4) }
        /- SMC hits:/ { smc += num($4) }
        /- Megaflow hits:/ { mf += num($4) }
        /- Simple Match hits:/ { sm += num($5) }
        /- Upcalls:/ { up += num($3) }
        END {
            p = passes ? passes : rx
            mpps = (dur > 0) ? rx / dur / 1e6 : 0
            cpp = (rx > 0) ? busy / rx : 0
            printf "%d %.4f %.1f %.2f %.2f %.2f %d", rx, mpps, cpp,
                pct(emc, p), pct(smc, p), pct(mf, p), up
            if (full) {
                printf " %.2f", pct(sm, p)
            }
            printf "\n"
        }
        function pct(a, b) { return (b > 0) ? 100 * a / b : 0 }'
}

# bench_pmd_sample SECS: clears the PMD counters, waits SECS seconds and
# prints "rx_pkts mpps busy_cycles_per_pkt emc_pct smc_pct megaflow_pct
# upcalls" from dpif-netdev/pmd-perf-show (with a second argument 1, also
# simple_match_pct; see bench_perf_parse).  The text it parsed is kept in
# $BENCH_DIR/perf-show.txt.
bench_pmd_sample() {
    bench_pin_threads
    bench_appctl dpif-netdev/pmd-stats-clear >/dev/null || return 1
    sleep "$1"
    bench_appctl dpif-netdev/pmd-perf-show >"$BENCH_DIR/perf-show.txt" \
        || return 1
    bench_perf_parse "${2:-0}" <"$BENCH_DIR/perf-show.txt"
}

# bench_warmup [MAX_SECS]: samples one second at a time until a second
# passes with traffic and without an upcall (so every megaflow is
# installed), at most MAX_SECS [WARMUP or 60] seconds.  Prints nothing;
# returns 1 if upcalls never stopped.
bench_warmup() {
    local max=${1:-${WARMUP:-60}} i s
    for ((i = 0; i < max; i++)); do
        s=$(bench_pmd_sample 1) || return 1
        # shellcheck disable=SC2086
        set -- $s
        if [ "$1" -gt 0 ] && [ "$7" = 0 ]; then
            return 0
        fi
    done
    bench_log "$BENCH_SW: upcalls still happening after ${max}s of warm-up"
    return 1
}

# bench_dump_flows: the datapath's megaflows (dpctl/dump-flows).
bench_dump_flows() {
    bench_appctl dpctl/dump-flows
}

# bench_megaflow_masks: prints "FLOWS MASKS": how many forwarding (not
# drop) megaflows the datapath holds and how many distinct masks they use
# (statistics,
# actions and the masked values are left out of the comparison; a field
# printed without "/mask" is exact).
bench_megaflow_masks() {
    bench_dump_flows | awk '
        /actions:/ && !/actions:drop/ {
            line = $0
            sub(/, packets:.*/, "", line)
            sub(/ *actions:.*/, "", line)
            sub(/^ufid:[^ ]* /, "", line)
            # Drop the values, keep field names and masks.
            n = split(line, parts, /[(),]/)
            key = ""
            for (i = 1; i <= n; i++) {
                f = parts[i]
                if (f ~ /=/) {
                    split(f, kv, "=")
                    m = (kv[2] ~ /\//) ? kv[2] : ""
                    sub(/^[^\/]*/, "", m)
                    key = key kv[1] m ","
                } else {
                    key = key f ","
                }
            }
            flows++
            masks[key] = 1
        }
        END {
            for (k in masks) { nm++ }
            printf "%d %d\n", flows, nm
        }'
}

# bench_record SCEN SW REP KEY=VALUE...: appends one JSON object to
# $BENCH_RESULTS.  VALUEs are numbers; the first KEY is the scenario's main
# metric.
bench_record() {
    local scen=$1 sw=$2 rep=$3 kv line
    shift 3
    line="{\"scenario\":\"$scen\",\"switch\":\"$sw\",\"rep\":$rep"
    line+=",\"main\":\"${1%%=*}\""
    for kv in "$@"; do
        line+=",\"${kv%%=*}\":${kv#*=}"
    done
    echo "$line}" >>"$BENCH_RESULTS"
}
