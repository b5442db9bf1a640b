#!/usr/bin/env bash
# Batch (Spark) benchmarks (issue 5), Spark local[2] in one JVM.
#
#   bench/batch.sh [CONVERSATIONS] [ALS_CONVERSATIONS]
#
# CONVERSATIONS (default 600,000: about 10 M lake events, 360,000 customers, 1 M orders) feed the
# profiles; ALS_CONVERSATIONS (default 100,000: 60,000 customers, about 1.5 M interactions) the
# recommender. KEFU_BENCH_DIR keeps the generated data (default: a temporary directory, removed);
# data already there is reused. KEFU_BENCH_ONLY=profiles stops after step 2. Each result line ends
# with the machine's load average before and after the step (the step's own threads included).
# Steps, one result line each — add a step as a block of the same shape:
#   1. simulate CONVERSATIONS over 30 days as Parquet; link the daily event files into a lake
#      layout (events/date=D/tenant=acme/), as the streaming job's lake sink would lay them out
#   2. profiles: kefu batch profiles over the lake, orders and browsing, as of the last day: one-shot,
#      steady state (the job run again in one Spark application) and fixed cost (a tiny input)
#   3. ALS: simulate ALS_CONVERSATIONS; kefu batch interactions; kefu batch recommend --evaluate
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-600000}
als_n=${2:-100000}
tmp=${KEFU_BENCH_DIR:-$(mktemp -d)}
[ -n "${KEFU_BENCH_DIR:-}" ] || trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp"
export KEFU_JAVA_OPTS="${KEFU_JAVA_OPTS:--Xmx8g}"
master="local[2]"
start=2026-01-05
days=30
asof=$(python3 -c "import datetime as d; print(d.date.fromisoformat('$start') + d.timedelta(days=$days - 1))")
"$root/bin/kefu" --version >/dev/null
"$root/bin/kefu" batch --help >/dev/null
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1); Spark $master, $KEFU_JAVA_OPTS"

# --- 1. data ---------------------------------------------------------------------------------
if [ ! -d "$tmp/sim/events" ]; then
  "$root/bin/kefu" simulate --conversations "$n" --days "$days" --start "$start" --seed 7 \
    --format parquet --out "$tmp/sim" >"$tmp/sim.txt" 2>/dev/null
fi
rm -rf "$tmp/lake"
for f in "$tmp"/sim/events/*.parquet; do
  day=$(basename "$f" .parquet)
  mkdir -p "$tmp/lake/events/date=$day/tenant=acme"
  ln -s "$f" "$tmp/lake/events/date=$day/tenant=acme/part-0.parquet"
done
python3 - "$tmp/sim/truth/summary.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
print(f"data: {s['events']:,} conversation events, {s['customers']:,} customers")
PY

# --- 2. profiles -------------------------------------------------------------------------------
# Four runs of kefu batch profiles as of the last day, each in its own process:
#   a. on a tiny simulation (50 conversations) first when bin/kefu's class-data archive of the
#      batch jar is missing or older than the jar: the first run writes it, every later run uses it
#   b. one-shot: the command as a user runs it (JVM and Spark start, the JIT warming up included)
#   c. steady state: the job run 3 times in one Spark application (--bench-runs, as a driver that
#      stays up, or kefu batch nightly, runs it), the third run's time
#   d. fixed cost: the one-shot command on the tiny simulation
if [ ! -d "$tmp/tiny-sim/events" ]; then
  "$root/bin/kefu" simulate --conversations 50 --days "$days" --start "$start" --seed 7 \
    --format parquet --out "$tmp/tiny-sim" >/dev/null 2>&1
fi
rm -rf "$tmp/tiny-lake"
for f in "$tmp"/tiny-sim/events/*.parquet; do
  day=$(basename "$f" .parquet)
  mkdir -p "$tmp/tiny-lake/events/date=$day/tenant=acme"
  ln -s "$f" "$tmp/tiny-lake/events/date=$day/tenant=acme/part-0.parquet"
done
profiles() { # data (sim or tiny), label (of the run), kefu batch profiles options...
  local data=$tmp/sim lake=$tmp/lake label=$2
  if [ "$1" = tiny ]; then data=$tmp/tiny-sim lake=$tmp/tiny-lake; fi
  shift 2
  local before
  before=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -f "%e s wall, %U s user, %S s sys, %M KiB max RSS" -o "$tmp/$label.time" \
    "$root/bin/kefu" batch profiles --master "$master" --lake "$lake" \
    --orders "$data/orders.parquet" --browsing "$data/browsing.parquet" \
    --as-of "$asof" --out "$tmp/$label" "$@" >"$tmp/$label.txt" 2>"$tmp/$label.err" ||
    { tail -30 "$tmp/$label.err" >&2; exit 1; }
  echo "$before $(cut -d' ' -f1 /proc/loadavg)" >"$tmp/$label.load"
}
jar=$root/batch/target/kefu-batch.jar
if [ ! "$root/batch/target/kefu-batch.jsa" -nt "$jar" ]; then
  profiles tiny cds-warm-up
fi
profiles sim profiles
profiles sim profiles-steady --bench-runs 3
profiles tiny profiles-tiny
head -1 "$tmp/profiles.txt"
python3 - "$tmp" <<'PY'
import re, sys
tmp = sys.argv[1]
def run(label):
    text = open(f"{tmp}/{label}.txt").read()
    m = re.search(r"from ([\d,]+) lake events, ([\d,]+) order lines and ([\d,]+) browsing events"
                  r" in ([\d.]+) s", text)
    counts = [int(m.group(i).replace(",", "")) for i in (1, 2, 3)]
    load = open(f"{tmp}/{label}.load").read().split()
    process = open(f"{tmp}/{label}.time").read().strip()
    return text, counts, float(m.group(4)), process, f"load average {load[0]} before, {load[1]} after"
text, (events, lines, views), secs, process, load = run("profiles")
rows = events + lines + views
print(f"profiles, one-shot: {events:,} lake events in {secs:.1f} s (the command's own figure, Spark "
      f"start included): {events / secs:,.0f} lake events/s, {rows / secs:,.0f} input rows/s on 2 "
      f"cores; process: {process}; {load}")
text, _, first, process, load = run("profiles-steady")
steady = float(re.findall(r"run \d+ of \d+ in the same Spark application in ([\d.]+) s", text)[-1])
print(f"profiles, steady state (the job's third run in one Spark application): {steady:.1f} s, "
      f"{events / steady:,.0f} lake events/s, {rows / steady:,.0f} input rows/s (its first run "
      f"{first:.1f} s); process, all three runs: {process}; {load}")
_, (tiny, _, _), secs, process, load = run("profiles-tiny")
print(f"profiles, fixed cost: the one-shot command on {tiny:,} lake events in {secs:.1f} s; "
      f"process: {process}; {load}")
PY
[ "${KEFU_BENCH_ONLY:-}" != profiles ] || exit 0

# --- 3. ALS ------------------------------------------------------------------------------------
if [ ! -f "$tmp/als-sim/orders.parquet" ]; then
  "$root/bin/kefu" simulate --conversations "$als_n" --days 1 --start "$asof" --seed 11 \
    --format parquet --out "$tmp/als-sim" >/dev/null 2>&1
fi
"$root/bin/kefu" batch interactions --master "$master" --simulator "$tmp/als-sim" \
  --out "$tmp/interactions.parquet" 2>"$tmp/interactions.err" | tail -1
/usr/bin/time -f "%e s wall, %U s user, %S s sys, %M KiB max RSS" -o "$tmp/als.time" \
  "$root/bin/kefu" batch recommend --master "$master" --interactions "$tmp/interactions.parquet" \
  --out "$tmp/recommend" --evaluate --metrics-out "$tmp/als-metrics.json" \
  >"$tmp/als.txt" 2>"$tmp/als.err" || { tail -30 "$tmp/als.err" >&2; exit 1; }
cat "$tmp/als.txt"
python3 - "$tmp/als-metrics.json" "$tmp/als.time" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
print(f"ALS: trained on {m['train_interactions']:,} interactions in {m['als_train_seconds']:.1f} s; "
      f"on all of them, with top-10 for every user, in {m['train_all_seconds']:.1f} s; "
      f"process: {open(sys.argv[2]).read().strip()}")
PY

# --- 4. daily report, A/B comparison and reconciliation with the streaming job -----------------
# bench/report.sh: kefu batch report over >= 5 M events, kefu batch ab, and the report reconciled
# with a real `kefu kpis` run in PostgreSQL (see its header).
KEFU_BENCH_DIR="$tmp/report-bench" "$root/bench/report.sh"
