#!/usr/bin/env bash
# Streaming KPI job benchmarks (issue 3).
#
#   bench/streaming.sh [CONVERSATIONS] [RATE] [SECONDS]
#
# 1. Throughput: a simulated day (default 100,000 conversations, about 1.7 M events) through the
#    whole job — JSON parse, validate, sessionise, aggregate every window and dimension,
#    PostgreSQL upserts and the Parquet lake — with parallelism 1, the Flink JVM pinned to one core
#    (-Xms = -Xmx, as a Flink TaskManager) and PostgreSQL on the other. Figures: events per second
#    per core and per CPU-second of the JVM, once as one run (JVM start and JIT included), and
#    sustained: the same on a day twice as busy, the difference of the two runs.
# 2. Latency: the unbounded job on a real Kafka broker and PostgreSQL, live traffic at RATE events/s
#    (default 2000) for SECONDS (default 90): anger alert latency (produced → emitted) and
#    freshness (a probe produced → its KPI row visible in PostgreSQL), p50 and p99.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-100000}
rate=${2:-2000}
seconds=${3:-90}
tmp=$(mktemp -d)
pgpid=""
cleanup() {
  [ -n "$pgpid" ] && kill "$pgpid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
pin0=()
pin1=()
if command -v taskset >/dev/null; then pin0=(taskset -c 0); pin1=(taskset -c 1); fi

"$root/bin/kefu" --version >/dev/null
"$root/bin/kefu" kpis --help >/dev/null
# The Flink JVM gets -Xms = -Xmx, as Flink's own TaskManager launcher does: a heap that starts
# small (the JVM default is 1/64 of RAM) keeps the young generation small, and the heap state's
# collections then cost a quarter of the CPU.
heap="-Xms3g -Xmx3g"
# run CONVERSATIONS NAME: simulate a day, run the whole job on it into a fresh PostgreSQL (on the
# other core) and lake; sets events, secs, cpu.
run() {
  "$root/bin/kefu" simulate --conversations "$1" --seed 7 --out "$tmp/sim-$2" >"$tmp/sim-$2.txt" 2>/dev/null
  events=$(grep -o '^[0-9,]* conversation events' "$tmp/sim-$2.txt" | tr -d ', a-z')
  local port=$((20000 + RANDOM % 20000))
  "${pin1[@]}" "$root/bin/kefu" postgres --data "$tmp/pg-$2" --port "$port" >"$tmp/pg-$2.txt" 2>&1 &
  pgpid=$!
  for _ in $(seq 1 60); do grep -q jdbc "$tmp/pg-$2.txt" 2>/dev/null && break; sleep 1; done
  local jdbc
  jdbc=$(grep -o 'jdbc:[^ ]*' "$tmp/pg-$2.txt")
  if ! /usr/bin/time -f '%U %S' -o "$tmp/time-$2.txt" env KEFU_JAVA_OPTS="$heap" "${pin0[@]}" \
    "$root/bin/kefu" kpis --input "$tmp/sim-$2/events" --out "$jdbc" \
    --lake "$tmp/lake-$2" --parallelism 1 >"$tmp/kpis-$2.txt" 2>"$tmp/kpis-$2.err"; then
    tail -20 "$tmp/kpis-$2.err" >&2
    exit 1
  fi
  secs=$(grep -o 'done in [0-9.]*' "$tmp/kpis-$2.txt" | grep -o '[0-9.]*$')
  cpu=$(awk '{print $1 + $2}' "$tmp/time-$2.txt")
  kill "$pgpid"; wait "$pgpid" 2>/dev/null || true; pgpid=""
  cat "$tmp/kpis-$2.txt"
  python3 -c "e=int('$events'); print(f'{e:,} events in $secs s, {float(\"$cpu\"):.1f} CPU-s: {e/float(\"$secs\"):,.0f} events/s per core, {e/float(\"$cpu\"):,.0f} per CPU-second (JVM start and JIT included)')"
}
echo "== throughput: $n conversations, parallelism 1, ${pin0[*]:-unpinned}, $heap"
run "$n" one
events1=$events secs1=$secs cpu1=$cpu
echo "== sustained: the same on a day twice as busy; the difference excludes the fixed cost"
run $((2 * n)) two
python3 -c "de=int('$events')-int('$events1'); print(f'sustained: {de:,} more events in {float(\"$secs\")-float(\"$secs1\"):.1f} s more, {float(\"$cpu\")-float(\"$cpu1\"):.1f} CPU-s more: {de/(float(\"$secs\")-float(\"$secs1\")):,.0f} events/s per core, {de/(float(\"$cpu\")-float(\"$cpu1\")):,.0f} per CPU-second')"

echo "== latency: $rate events/s for $seconds s on Kafka and PostgreSQL"
(cd "$root" && mvn -q -B -o -Dstyle.color=never -pl streaming dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$tmp/cp.txt" >/dev/null)
opens=(--add-exports=java.base/sun.net.util=ALL-UNNAMED)
for p in java.lang java.net java.io java.nio sun.nio.ch java.lang.reflect java.text java.time \
  java.util java.util.concurrent java.util.concurrent.atomic java.util.concurrent.locks; do
  opens+=("--add-opens=java.base/$p=ALL-UNNAMED")
done
java "${opens[@]}" $heap \
  -cp "$root/streaming/target/test-classes:$root/streaming/target/classes:$(cat "$tmp/cp.txt")" \
  io.kefu.streaming.StreamingLatencyBench "$rate" "$seconds" 2>"$tmp/latency.err" | tail -1
