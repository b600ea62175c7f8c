#!/usr/bin/env bash
# The full Fashion-MNIST run of issue 14 (docs/scale.md, "60 000 training images"): NNGP and NTK
# kernel regression on all 60 000 training images, accuracy on all 10 000 test images, with the
# default heap of ./aleph (the command picks the tiled engine itself: the kernels do not fit).
#
# The NNGP run keeps its tiles (--keep) and, from the same recursion, writes the NTK tiles next
# to them; the NTK run then finds all of them valid and only solves and predicts (it deletes the
# job folder when it succeeds). Disk: about 7.2 GB of float32 tiles per kernel in $WORK.
# Interrupted? Run the script again: valid tiles are reused (checksums), missing ones computed.
#
# Usage: tools/bench/fashion60k.sh [WORK_DIR] [OUT_DIR]      (takes the whole machine for a while)
set -euo pipefail
# One OpenBLAS thread per caller: the tile products then run on two Java workers (docs/scale.md,
# "Speed": two callers with OpenBLAS's own threads, or one caller on a busy machine, measured
# 2-18 times slower). Set OPENBLAS_NUM_THREADS yourself to override.
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
here="$(cd "$(dirname "$0")/../.." && pwd)"
work="${1:-${TMPDIR:-/tmp}/aleph-fashion60k}"
out="${2:-$here/tools/bench/fashion60k-out}"
data=/usr/share/datasets/fashion-mnist
net="Dense(1.5,0.05) Relu Dense(1.5,0.05) Relu Dense(1,0)"
mkdir -p "$work" "$out"
{ echo "# $(date -u +%FT%TZ) $(uptime)"; nproc; free -g; echo "OPENBLAS_NUM_THREADS=$OPENBLAS_NUM_THREADS"; } > "$out/machine.txt"
run() { # $1 = nngp | ntk, then extra options
    local kind="$1"; shift
    echo "== $kind: started $(date -u +%T), load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/machine.txt"
    /usr/bin/time -v "$here/aleph" classify --net "$net" \
        --train "$data/train-images-idx3-ubyte.gz" --test "$data/t10k-images-idx3-ubyte.gz" \
        --n-train 60000 --n-test 10000 --kernel "$kind" --work-dir "$work" --json "$@" \
        > "$out/$kind.json" 2> >(tee "$out/$kind.stderr" >&2)
    echo "== $kind: ended $(date -u +%T), load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/machine.txt"
}
run nngp --keep
run ntk
grep -h '"accuracy"\|"iterations"\|"residual"\|"seconds"' "$out"/*.json || true
grep -h "Elapsed (wall\|Maximum resident" "$out"/*.stderr || true
