#!/usr/bin/env bash
# Batch (Spark) benchmarks (issue 5), Spark local[2] in one JVM.
#
#   bench/batch.sh [CONVERSATIONS] [ALS_CONVERSATIONS]
#
# CONVERSATIONS (default 600,000: about 10 M lake events, 360,000 customers, 1 M orders) feed the
# profiles; ALS_CONVERSATIONS (default 100,000: 60,000 customers, about 1.5 M interactions) the
# recommender. KEFU_BENCH_DIR keeps the generated data (default: a temporary directory, removed);
# data already there is reused. KEFU_BENCH_ONLY=profiles stops after step 2. Each result line ends
# with the machine's load average before and after the step (the other steps share the 2 cores).
# Steps, one result line each — add a step as a block of the same shape:
#   1. simulate CONVERSATIONS over 30 days as Parquet; link the daily event files into a lake
#      layout (events/date=D/tenant=acme/), as the streaming job's lake sink would lay them out
#   2. profiles: kefu batch profiles over the lake, orders and browsing, as of the last day
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
load_before=$(cut -d' ' -f1 /proc/loadavg)
/usr/bin/time -f "%e s wall, %U s user, %S s sys, %M KiB max RSS" -o "$tmp/profiles.time" \
  "$root/bin/kefu" batch profiles --master "$master" --lake "$tmp/lake" \
  --orders "$tmp/sim/orders.parquet" --browsing "$tmp/sim/browsing.parquet" \
  --as-of "$asof" --out "$tmp/profiles" >"$tmp/profiles.txt" 2>"$tmp/profiles.err" ||
  { tail -30 "$tmp/profiles.err" >&2; exit 1; }
load_after=$(cut -d' ' -f1 /proc/loadavg)
head -1 "$tmp/profiles.txt"
python3 - "$tmp/profiles.txt" "$tmp/profiles.time" "$load_before" "$load_after" <<'PY'
import re, sys
line = open(sys.argv[1]).readline()
m = re.search(r"from ([\d,]+) lake events, ([\d,]+) order lines and ([\d,]+) browsing events in ([\d.]+) s", line)
events, lines, views = (int(m.group(i).replace(",", "")) for i in (1, 2, 3))
secs = float(m.group(4))
print(f"profiles: {events:,} lake events in {secs:.1f} s (the whole job, Spark start included): "
      f"{events / secs:,.0f} lake events/s, {(events + lines + views) / secs:,.0f} input rows/s "
      f"on 2 cores; process: {open(sys.argv[2]).read().strip()}; "
      f"load average {sys.argv[3]} before, {sys.argv[4]} after")
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
