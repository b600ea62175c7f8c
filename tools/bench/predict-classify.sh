#!/usr/bin/env bash
# Whole-process time of `aleph predict` and `aleph classify` as a user's shell runs them (ALEPH_SERVER
# and CI unset, no server up at first: run 1 in its own JVM, then a server that serves runs 2 and 3)
# against runs in their own JVM (ALEPH_SERVER=0), alternating, three of each (docs/performance.md,
# "Fifth round").
#
#   tools/bench/predict-classify.sh [--n 1000,4000] [--system-blas]
#
# predict: the 4-layer Relu network of whole-process.sh, n random training points of d = 784 with 10
# targets, 1000 random test points, --mean to .npy. classify: Fashion-MNIST from Debian's
# dataset-fashion-mnist (/usr/share/datasets/fashion-mnist), --n-train n --n-test 1000. The system
# BLAS is hidden from Aleph unless --system-blas. Prints the wall seconds of each run and the medians.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ns="1000,4000"; system_blas=0
while [ $# -gt 0 ]; do
    case "$1" in
        --n) ns="$2"; shift 2 ;;
        --system-blas) system_blas=1; shift ;;
        *) echo "unknown argument $1" >&2; exit 2 ;;
    esac
done
aleph="$root/aleph"
net="Dense(1.5,0.05) Relu Dense(1.5,0.05) Relu Dense(1.5,0.05) Relu Dense(1,0)"
opts="${ALEPH_JAVA_OPTS:-}"
[ "$system_blas" = 1 ] || opts="$opts -Ddev.ludovic.netlib.blas.nativeLib=libaleph-no-system-blas.so.3"
fashion=/usr/share/datasets/fashion-mnist
data="${TMPDIR:-/tmp}/aleph-bench"; mkdir -p "$data"; cd "$data"
base="$(mktemp -d)"
trap 'rm -f "$base"/*/aleph-server-*/*.sock' EXIT
now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
timed() { # MODE ARGS...: wall seconds of one whole ./aleph process
    local mode="$1" t0; shift
    t0="$(now)"
    if [ "$mode" = own ]; then
        ALEPH_SERVER=0 ALEPH_NO_BUILD=1 ALEPH_JAVA_OPTS="$opts" "$aleph" "$@" >/dev/null 2>&1
    else
        env -u ALEPH_SERVER -u CI ALEPH_NO_BUILD=1 ALEPH_JAVA_OPTS="$opts" "$aleph" "$@" >/dev/null 2>&1
    fi
    echo "$(now) - $t0" | bc -l
}
await_warm_up() { # until the server started after run 1 has warmed up (at most 60 s)
    local i
    for i in $(seq 600); do
        grep -q 'warmed up' "$XDG_RUNTIME_DIR"/aleph-server-*/*.log 2>/dev/null && return 0
        sleep 0.1
    done
}
ALEPH_NO_BUILD=1 ALEPH_SERVER=0 "$aleph" --version >/dev/null
[ -f test-x.npy ] || python3 -c "import numpy as np; np.save('test-x.npy', np.random.default_rng(1).standard_normal((1000, 784)))"
echo "| command, n | default: run 1, 2, 3 | median | own JVM: runs | median | default / own |"
echo "|---|---|---|---|---|---|"
for command in predict classify; do
    for n in ${ns//,/ }; do
        if [ "$command" = predict ]; then
            [ -f "train-x$n.npy" ] || python3 -c "import numpy as np; r = np.random.default_rng(0); np.save('train-x$n.npy', r.standard_normal(($n, 784))); np.save('train-y$n.npy', r.standard_normal(($n, 10)))"
            args=(predict --net "$net" --train-x "train-x$n.npy" --train-y "train-y$n.npy" --test-x test-x.npy --mean mean.npy)
        else
            [ -d "$fashion" ] || { echo "classify needs $fashion (apt-get install dataset-fashion-mnist)" >&2; continue; }
            args=(classify --net "$net" --train "$fashion/train-images-idx3-ubyte.gz" --test "$fashion/t10k-images-idx3-ubyte.gz"
                  --n-train "$n" --n-test 1000)
        fi
        export XDG_RUNTIME_DIR="$base/$command$n"; mkdir -p "$XDG_RUNTIME_DIR"
        by_default=(); own=()
        for r in 1 2 3; do
            by_default+=("$(timed default "${args[@]}")")
            [ "$r" = 1 ] && await_warm_up
            own+=("$(timed own "${args[@]}")")
        done
        rm -f "$XDG_RUNTIME_DIR"/aleph-server-*/*.sock; sleep 1.2   # this n's server stops
        md="$(printf '%s\n' "${by_default[@]}" | median)"; mo="$(printf '%s\n' "${own[@]}" | median)"
        printf '| %s, %s | %.2f, %.2f, %.2f s | %.2f s | %.2f, %.2f, %.2f s | %.2f s | %.2f |\n' "$command" "$n" "${by_default[@]}" "$md" \
            "${own[@]}" "$mo" "$(echo "$md / $mo" | bc -l)"
    done
done
