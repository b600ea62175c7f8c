#!/usr/bin/env bash
# Whole-process time of `aleph kernel` (fresh JVM: start-up, reading X from .npy, NNGP + NTK of
# the benchmark network, writing both to .npy) against the NumPy peer's in-process kernel time,
# runs alternating between the two, median of R runs each (docs/performance.md, "How to measure
# whole-process time").
#
#   tools/bench/whole-process.sh [--n 1000,2000,4000] [--repeat 3] [--d 784] [--system-blas]
#                                [--peer ../shared/peers/numpy_fc_kernel.py] [--aleph ./aleph]
#                                [--mode default|own|server] [--server]
#
# By default the system's BLAS (libblas.so.3 of Debian's libopenblas0, if installed) is hidden
# from Aleph, as on a machine set up with README's commands only; --system-blas keeps it.
# Prints one line per run and a table: n, Aleph whole-process wall (median), its parts from
# ALEPH_TIMING=1 (start-up, reading, kernels = Gram + recursion, writing; medians), the CPU
# seconds of the Aleph process (user + system, median), the peer's kernel_s (median),
# the ratio, the 1-minute load average before and after. Inputs are written once to
# ${TMPDIR:-/tmp}/aleph-bench (random normal, seed 0, like the peer's X).
#
# --mode says which JVM runs each command (docs/performance.md, "The server"):
#  default  as a user's shell runs ./aleph (ALEPH_SERVER and CI unset), with a fresh socket folder
#           for each n, so no server is up at first: run 1 runs in its own JVM and starts a server
#           after it, later runs are served; every run counts in the medians. After each Aleph run
#           the script waits until the server has finished its warm-up before it runs the peer
#           (the wait is printed), so the warm-up never competes with the peer for the CPU.
#  own      ALEPH_SERVER=0: every run in a JVM of its own (the figure of a one-off run).
#  server   ALEPH_SERVER=1 (--server is the same): for each n a run 0, printed but kept out of the
#           medians (the first one starts the server, whose JVM then serves every later run).
# Served runs' CPU column is the client's alone. Servers are stopped at the end.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ns="1000,2000,4000"; repeat=3; d=784; system_blas=0; mode=default
peer="$root/../shared/peers/numpy_fc_kernel.py"; aleph="$root/aleph"
while [ $# -gt 0 ]; do
    case "$1" in
        --n) ns="$2"; shift 2 ;;
        --repeat) repeat="$2"; shift 2 ;;
        --d) d="$2"; shift 2 ;;
        --system-blas) system_blas=1; shift ;;
        --peer) peer="$2"; shift 2 ;;
        --aleph) aleph="$2"; shift 2 ;;
        --server) mode=server; shift ;;
        --mode) mode="$2"; shift 2 ;;
        *) echo "unknown argument $1" >&2; exit 2 ;;
    esac
done
net="Dense(1.5,0.05) Relu Dense(1.5,0.05) Relu Dense(1.5,0.05) Relu Dense(1,0)"
data="${TMPDIR:-/tmp}/aleph-bench"; mkdir -p "$data"
opts="${ALEPH_JAVA_OPTS:-}"
if [ "$system_blas" = 0 ]; then
    opts="$opts -Ddev.ludovic.netlib.blas.nativeLib=libaleph-no-system-blas.so.3"   # as if libopenblas0 were absent
fi
load() { cut -d' ' -f1 /proc/loadavg; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
now() { date +%s.%N; }

ALEPH_NO_BUILD=1 ALEPH_JAVA_OPTS="$opts" "$aleph" --version >/dev/null   # build the start-up files first
base="$(mktemp -d)"
sockets="$base/0"; mkdir -p "$sockets"
export XDG_RUNTIME_DIR="$sockets"
stop_servers() { rm -f "$base"/*/aleph-server-*/*.sock; }   # a server exits within a second of its socket going
trap stop_servers EXIT
case "$mode" in
    default) unset ALEPH_SERVER CI ;;
    own) export ALEPH_SERVER=0 ;;
    server) export ALEPH_SERVER=1 ;;
    *) echo "--mode: default, own or server" >&2; exit 2 ;;
esac
# default mode: wait (up to 60 s) until a server started after a run has finished its warm-up
await_warm_up() {
    local waited=0
    [ "$mode" = default ] || return 0
    while [ "$waited" -lt 600 ]; do
        if [ -n "$(ls "$sockets"/aleph-server-*/*.sock 2>/dev/null)" ] \
           && grep -q 'warmed up' "$sockets"/aleph-server-*/*.log 2>/dev/null; then
            break
        fi
        sleep 0.1; waited=$((waited + 1))
    done
}
printf '%s\n' "n   run  aleph_wall  startup  read  kernels  gram   recursion  write  aleph_cpu  peer_kernel  load"
summary=()
for n in ${ns//,/ }; do
    x="$data/x${n}_d${d}.npy"
    if [ "$mode" = default ]; then   # no server for this n's first run
        stop_servers; sleep 1.5
        sockets="$base/$n"; mkdir -p "$sockets"; export XDG_RUNTIME_DIR="$sockets"
    fi
    [ -f "$x" ] || python3 -c "import numpy as np; np.save('$x', np.random.default_rng(0).standard_normal(($n, $d)))"
    walls=(); peers=(); su=(); rd=(); kn=(); gr=(); rc=(); wr=(); cpus=(); l0="$(load)"
    first=1; [ "$mode" = server ] && first=0
    for r in $(seq "$first" "$repeat"); do
        t0="$(now)"
        out="$(ALEPH_NO_BUILD=1 ALEPH_TIMING=1 ALEPH_JAVA_OPTS="$opts" /usr/bin/time -f 'aleph: cpu %U %S' "$aleph" kernel --net "$net" \
                --x1 "$x" --nngp "$data/K.npy" --ntk "$data/T.npy" 2>&1 >/dev/null)"
        t1="$(now)"
        wall="$(echo "$t1 - $t0" | bc -l)"
        w0="$(now)"; await_warm_up; waited="$(echo "$(now) - $w0" | bc -l)"
        line="$(echo "$out" | grep '^aleph: timing:')"
        cpu="$(echo "$out" | grep '^aleph: cpu' | awk '{print $3 + $4}')"
        read -r s_up s_rd s_kn s_gr s_rc s_wr < <(echo "$line" | sed -E 's/.*start-up ([0-9.]+) s.*reading ([0-9.]+) s, kernels ([0-9.]+) s \(gram ([0-9.]+) s, recursion ([0-9.]+) s\), writing ([0-9.]+) s.*/\1 \2 \3 \4 \5 \6/')
        p="$(python3 "$peer" --n "$n" --d "$d" | sed -E 's/.*kernel_s=([0-9.]+).*/\1/')"
        if [ "$r" = 0 ]; then   # the run that started the server: printed, not in the medians
            printf '%-5s %-4s %-11.3f %-8s %-5s %-8s %-6s %-10s %-6s %-10s %-12s %s\n' "$n" "$r" "$wall" "$s_up" "$s_rd" "$s_kn" "$s_gr" \
                "$s_rc" "$s_wr" "$cpu" "$p" "$(load)"
            continue
        fi
        walls+=("$wall"); peers+=("$p"); su+=("$s_up"); rd+=("$s_rd"); kn+=("$s_kn"); gr+=("$s_gr"); rc+=("$s_rc"); wr+=("$s_wr")
        cpus+=("$cpu")
        printf '%-5s %-4s %-11.3f %-8s %-5s %-8s %-6s %-10s %-6s %-10s %-12s %s\n' "$n" "$r" "$wall" "$s_up" "$s_rd" "$s_kn" "$s_gr" \
            "$s_rc" "$s_wr" "$cpu" "$p" "$(load)"
        if [ "$mode" = default ]; then printf '      (then waited %.2f s for the server to be warm)\n' "$waited"; fi
    done
    mw="$(printf '%s\n' "${walls[@]}" | median)"; mp="$(printf '%s\n' "${peers[@]}" | median)"
    med() { printf '%s\n' "$@" | median; }
    summary+=("$(printf '| %s | %.3f s | %s | %s | %s (%s + %s) | %s | %s s | %s s | %.2f | %s-%s |' "$n" "$mw" \
        "$(med "${su[@]}")" "$(med "${rd[@]}")" "$(med "${kn[@]}")" "$(med "${gr[@]}")" "$(med "${rc[@]}")" \
        "$(med "${wr[@]}")" "$(med "${cpus[@]}")" "$mp" "$(echo "$mw / $mp" | bc -l)" "$l0" "$(load)")")
done
echo
echo "| n | Aleph whole process | start-up | reading | kernels (Gram + recursion) | writing | Aleph CPU | NumPy peer kernel_s | ratio | load |"
echo "|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${summary[@]}"
case "$mode" in
    default) how="as by default: run 1 of each n in its own JVM with no server up, it then starts one that serves runs 2 and later, CPU of served runs the client's only" ;;
    own) how="ALEPH_SERVER=0: each run in its own JVM" ;;
    server) how="ALEPH_SERVER=1 after a first run that started the server, CPU of the client only" ;;
esac
echo "(medians of $repeat alternating runs; $( [ "$system_blas" = 1 ] && echo "system BLAS allowed" || echo "system BLAS hidden" ); $(grep -c ^processor /proc/cpuinfo) cores; $how)"
