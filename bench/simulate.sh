#!/usr/bin/env bash
# Simulator throughput (issue 2): conversation events per second, JSON-lines output, one core.
#
#   bench/simulate.sh [CONVERSATIONS]      default 100000; also runs 4x that for steady state
#
# The JVM is pinned to one core with taskset, so JIT compilation and GC share that core: the
# figure is per core, all costs included. Reported: the whole conversation phase of a run
# (simulation + JSON writing, from the command's own summary) with the default JIT and with C1
# only, and the steady-state rate once warm (between the last two progress lines of a long run).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/bin/kefu" --version >/dev/null
jar="$root/cli/target/kefu-cli.jar"
n=${1:-100000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pin=()
if command -v taskset >/dev/null; then pin=(taskset -c 0); fi

run() { # label, conversations, jvm options...
  local label=$1 conversations=$2
  shift 2
  rm -rf "$tmp/out"
  "${pin[@]}" java "$@" -jar "$jar" simulate --conversations "$conversations" --seed 7 \
    --out "$tmp/out" >"$tmp/summary" 2>"$tmp/progress"
  local line
  line=$(grep "conversation events in" "$tmp/summary")
  printf '%-34s %s\n' "$label" "$line"
}

echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1); pinned: ${pin[*]:-no}"
run "$n conversations, default JIT" "$n"
run "$n conversations, C1 only" "$n" -XX:TieredStopAtLevel=1
big=$((n * 4))
run "$big conversations, default JIT" "$big"
# Steady state: progress lines read "simulated to … · E events · R events/s" (cumulative).
python3 - "$tmp/progress" <<'PY'
import re, sys
rows = []
for line in open(sys.argv[1], encoding="utf-8"):
    m = re.search(r"· ([\d,]+) events · ([\d,]+) events/s", line)
    if m:
        e, r = (int(x.replace(",", "")) for x in m.groups())
        rows.append((e, e / r))
if len(rows) >= 2:
    (e1, t1), (e2, t2) = rows[-2], rows[-1]
    print(f"{'steady state (warm), default JIT':34} {(e2 - e1) / (t2 - t1):,.0f} events/s")
else:
    print("steady state: run too short for two progress lines")
PY
