#!/usr/bin/env bash
# Streaming KPI job benchmarks (issue 3).
#
#   bench/streaming.sh [CONVERSATIONS] [RATE] [SECONDS]
#
# 1. Throughput: a simulated day (default 100,000 conversations, about 1.7 M events) through the
#    whole job — JSON parse, validate, sessionise, aggregate every window and dimension,
#    PostgreSQL upserts and the Parquet lake — with parallelism 1, the Flink JVM pinned to one core
#    and PostgreSQL on the other. Figure: events per second per core.
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
echo "== throughput: $n conversations, parallelism 1, ${pin0[*]:-unpinned}"
"$root/bin/kefu" simulate --conversations "$n" --seed 7 --out "$tmp/sim" >"$tmp/sim.txt" 2>/dev/null
events=$(grep -o '^[0-9,]* conversation events' "$tmp/sim.txt" | tr -d ', a-z')
port=$((20000 + RANDOM % 20000))
"${pin1[@]}" "$root/bin/kefu" postgres --data "$tmp/pg" --port "$port" >"$tmp/pg.txt" 2>&1 &
pgpid=$!
for _ in $(seq 1 60); do grep -q jdbc "$tmp/pg.txt" 2>/dev/null && break; sleep 1; done
jdbc=$(grep -o 'jdbc:[^ ]*' "$tmp/pg.txt")
if ! KEFU_JAVA_OPTS="-Xmx3g" "${pin0[@]}" "$root/bin/kefu" kpis --input "$tmp/sim/events" \
  --out "$jdbc" --lake "$tmp/lake" --parallelism 1 >"$tmp/kpis.txt" 2>"$tmp/kpis.err"; then
  tail -20 "$tmp/kpis.err" >&2
  exit 1
fi
secs=$(grep -o 'done in [0-9.]*' "$tmp/kpis.txt" | grep -o '[0-9.]*$')
cat "$tmp/kpis.txt"
python3 -c "print(f'{int(\"$events\"):,} events in $secs s: {int(\"$events\")/float(\"$secs\"):,.0f} events/s per core (end to end)')"
kill "$pgpid"; pgpid=""

echo "== latency: $rate events/s for $seconds s on Kafka and PostgreSQL"
(cd "$root" && mvn -q -B -o -Dstyle.color=never -pl streaming dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$tmp/cp.txt" >/dev/null)
opens=(--add-exports=java.base/sun.net.util=ALL-UNNAMED)
for p in java.lang java.net java.io java.nio sun.nio.ch java.lang.reflect java.text java.time \
  java.util java.util.concurrent java.util.concurrent.atomic java.util.concurrent.locks; do
  opens+=("--add-opens=java.base/$p=ALL-UNNAMED")
done
java "${opens[@]}" -Xmx3g \
  -cp "$root/streaming/target/test-classes:$root/streaming/target/classes:$(cat "$tmp/cp.txt")" \
  io.kefu.streaming.StreamingLatencyBench "$rate" "$seconds" 2>"$tmp/latency.err" | tail -1
