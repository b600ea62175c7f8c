#!/usr/bin/env bash
# Where a whole `./aleph` process spends its time, by thread (docs/performance.md, "Profiling a
# whole process"): runs the given command once under async-profiler (a development tool fetched
# from Maven Central as tools.profiler:async-profiler, never a dependency of Aleph) and prints,
# per thread, the milliseconds under each frame at the chosen depth below a marker frame.
#
#   tools/bench/profile.sh [--event wall|cpu] [--interval 2ms] [--thread main] [--below FRAME]
#                          [--depth 2] [--out FILE] -- ./aleph kernel --net "..." --x1 x.npy --nngp K.npy
#
# --event wall (default) samples every thread whether running or waiting (where the wall time of
# the main thread goes); cpu samples only running threads (itimer: no perf_events needed).
# --below names a frame (e.g. KernelComputer.compute); the table then groups the samples under it
# by the next --depth frames. --thread keeps the threads whose name starts with it (default main;
# "" for all: in wall mode every idle JVM thread is then listed too). The raw collapsed stacks stay in --out (default
# ${TMPDIR:-/tmp}/aleph-profile.collapsed) for a flame graph or grep.
set -euo pipefail
event=wall; interval=2ms; thread=main; below=""; depth=2; out="${TMPDIR:-/tmp}/aleph-profile.collapsed"; version=3.0
while [ $# -gt 0 ]; do
    case "$1" in
        --event) event="$2"; shift 2 ;;
        --interval) interval="$2"; shift 2 ;;
        --thread) thread="$2"; shift 2 ;;
        --below) below="$2"; shift 2 ;;
        --depth) depth="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        --) shift; break ;;
        *) echo "unknown argument $1 (the command comes after --)" >&2; exit 2 ;;
    esac
done
[ $# -gt 0 ] || { echo "give the command to profile after --" >&2; exit 2; }
case "$event" in wall) ev=wall ;; cpu) ev=itimer ;; *) echo "--event is wall or cpu" >&2; exit 2 ;; esac

home="${TMPDIR:-/tmp}/aleph-async-profiler-$version"
agent="$home/linux-x64/libasyncProfiler.so"
if [ ! -f "$agent" ]; then
    jar="$HOME/.m2/repository/tools/profiler/async-profiler/$version/async-profiler-$version.jar"
    [ -f "$jar" ] || mvn -q dependency:get -Dartifact="tools.profiler:async-profiler:$version" -Dtransitive=false >&2
    mkdir -p "$home" && (cd "$home" && unzip -o -q "$jar" 'linux-x64/*')
fi

ALEPH_JAVA_OPTS="${ALEPH_JAVA_OPTS:-} -agentpath:$agent=start,event=$ev,interval=$interval,threads,file=$out,collapsed" "$@"

ms="${interval%ms}"
echo
echo "ms       thread / frames (event $event, one sample per $interval)"
awk -v want="$thread" -v below="$below" -v depth="$depth" -v ms="$ms" '
{
    n = $NF; $NF = ""; line = $0
    split(line, f, ";"); thread = f[1]; sub(/ tid=[0-9]+\]/, "]", thread)
    if (index(thread, "[" want) != 1) next
    key = ""
    if (below != "") {
        at = 0
        for (i = 2; i in f; i++) if (index(f[i], below) > 0) { at = i; break }
        if (at == 0) { key = "(outside " below ")" }
        else for (i = at + 1; i <= at + depth && (i in f); i++) key = key (key == "" ? "" : " > ") f[i]
    } else {
        for (i = 2; i <= 1 + depth && (i in f); i++) key = key (key == "" ? "" : " > ") f[i]
    }
    sum[thread "  " key] += n
}
END { for (k in sum) printf "%-8d %s\n", sum[k] * ms, k }' "$out" | sort -rn | head -40 | cut -c1-220
