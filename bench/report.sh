#!/usr/bin/env bash
# Daily report and A/B comparison (issue 5, parts 3-4) on Spark local[2], and the report's
# reconciliation with the real streaming job, each job in its own JVM (Flink and Spark never share
# a classpath).
#
#   bench/report.sh [CONVERSATIONS] [RECONCILE_CONVERSATIONS]
#
# Steps, one result line each:
#   1. simulate CONVERSATIONS (default 310,000: about 5.3 M events) on one day with the A/B arms,
#      as Parquet; lay the daily files out as a lake (events/date=D/tenant=acme/)
#   2. kefu batch report for that day (no --jdbc): wall time and lake events/s
#   3. kefu batch ab over that day, old (A) against new (B)
#   4. reconciliation: simulate RECONCILE_CONVERSATIONS (default 20,000) over 2 days as JSON
#      lines; start `kefu postgres`; run the streaming job `kefu kpis --out JDBC --lake LAKE`
#      (allowed lateness 3 h, as the oracle test, so that no event is too late for its window);
#      then `kefu batch report --jdbc JDBC --fail-on-difference` for each day: exit 0 means the
#      report equals the streaming job's final daily rows on every metric and dimension value
# KEFU_BENCH_DIR keeps the generated data (default: a temporary directory, removed).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-310000}
rn=${2:-20000}
tmp=${KEFU_BENCH_DIR:-$(mktemp -d)}
pg_pid=""
cleanup() {
  if [ -n "$pg_pid" ]; then kill "$pg_pid" 2>/dev/null || true; wait "$pg_pid" 2>/dev/null || true; fi
  [ -n "${KEFU_BENCH_DIR:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT
mkdir -p "$tmp"
export KEFU_JAVA_OPTS="${KEFU_JAVA_OPTS:--Xmx6g}"
master="local[2]"
day=2026-11-16
"$root/bin/kefu" --version >/dev/null
"$root/bin/kefu" batch --help >/dev/null
"$root/bin/kefu" kpis --help >/dev/null
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1); Spark $master, $KEFU_JAVA_OPTS"
timed() { # file, command...
  local out=$1
  shift
  /usr/bin/time -f "%e s wall, %U s user, %S s sys, %M KiB max RSS" -o "$out" "$@"
}

# --- 1. data ---------------------------------------------------------------------------------
if [ ! -d "$tmp/report-sim/events" ]; then
  "$root/bin/kefu" simulate --ab --conversations "$n" --days 1 --start "$day" --seed 17 \
    --format parquet --out "$tmp/report-sim" >"$tmp/report-sim.txt" 2>/dev/null
fi
rm -rf "$tmp/report-lake"
for f in "$tmp"/report-sim/events/*.parquet; do
  d=$(basename "$f" .parquet)
  mkdir -p "$tmp/report-lake/events/date=$d/tenant=acme"
  ln -s "$f" "$tmp/report-lake/events/date=$d/tenant=acme/part-0.parquet"
done
python3 - "$tmp/report-sim/truth/summary.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
print(f"data: {s['events']:,} conversation events (A/B arms), one simulated day")
PY

# --- 2. daily report ---------------------------------------------------------------------------
timed "$tmp/report.time" "$root/bin/kefu" batch report --master "$master" --lake "$tmp/report-lake" \
  --date "$day" --out "$tmp/report" >"$tmp/report.txt" 2>"$tmp/report.err" ||
  { tail -30 "$tmp/report.err" >&2; exit 1; }
python3 - "$tmp/report-sim/truth/summary.json" "$tmp/report.txt" "$tmp/report.time" <<'PY'
import json, re, sys
events = json.load(open(sys.argv[1]))["events"]
text = open(sys.argv[2]).read()
secs = float(re.search(r"in ([\d.]+) s\n", text).group(1))
first = [l for l in text.splitlines() if l.startswith("Daily report")][0]
print(f"report: {events:,} lake events in {secs:.1f} s (the command, Spark start included): "
      f"{events / secs:,.0f} events/s on 2 cores; {first}; process: {open(sys.argv[3]).read().strip()}")
PY

# --- 3. A/B comparison -------------------------------------------------------------------------
timed "$tmp/ab.time" "$root/bin/kefu" batch ab --master "$master" --lake "$tmp/report-lake" \
  --from "$day" --to "$day" --a old --b new --out "$tmp/ab" >"$tmp/ab.txt" 2>"$tmp/ab.err" ||
  { tail -30 "$tmp/ab.err" >&2; exit 1; }
cat "$tmp/ab.txt"
echo "ab: process: $(cat "$tmp/ab.time")"

# --- 4. reconciliation with the streaming job --------------------------------------------------
if [ ! -d "$tmp/rec-sim/events" ]; then
  "$root/bin/kefu" simulate --ab --conversations "$rn" --days 2 --start "$day" --seed 23 \
    --out "$tmp/rec-sim" >/dev/null 2>&1
fi
rm -rf "$tmp/pg" "$tmp/rec-lake"
"$root/bin/kefu" postgres --data "$tmp/pg" >"$tmp/pg.url" 2>"$tmp/pg.err" &
pg_pid=$!
for _ in $(seq 1 120); do
  grep -q '^jdbc:' "$tmp/pg.url" 2>/dev/null && break
  sleep 1
done
jdbc=$(grep -m1 '^jdbc:' "$tmp/pg.url")
timed "$tmp/kpis.time" "$root/bin/kefu" kpis --input "$tmp/rec-sim/events" --out "$jdbc" \
  --lake "$tmp/rec-lake" --allowed-lateness 3h --max-future 0 >"$tmp/kpis.txt" 2>"$tmp/kpis.err" ||
  { tail -30 "$tmp/kpis.err" >&2; exit 1; }
echo "streaming: kefu kpis into PostgreSQL and the lake: $(cat "$tmp/kpis.time")"
for d in "$day" "$(python3 -c "import datetime as t; print(t.date.fromisoformat('$day') + t.timedelta(days=1))")"; do
  set +e
  "$root/bin/kefu" batch report --master "$master" --lake "$tmp/rec-lake" --date "$d" \
    --jdbc "$jdbc" --out "$tmp/rec-report-$d" --fail-on-difference >"$tmp/rec-$d.txt" 2>"$tmp/rec-$d.err"
  code=$?
  set -e
  echo "reconcile $d: exit $code; $(grep -m1 'reconciliation:' "$tmp/rec-$d.txt" || tail -3 "$tmp/rec-$d.err")"
done
