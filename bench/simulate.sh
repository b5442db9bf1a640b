#!/usr/bin/env bash
# Simulator throughput (issue 2): conversation events per second, JSON-lines output, one core.
#
#   bench/simulate.sh [CONVERSATIONS]      default 100000; also runs 4x that for steady state
#
# The simulation is one thread. Each line is the command's own summary of the conversation phase
# (simulation + JSON writing): wall time and events/s, then the simulation thread's CPU time and
# events per CPU second of it ("per core": what one core sustains, JIT compilation and GC, which
# run on their own threads, not included). Runs: unpinned (the JIT compiles on the other core, as
# on any machine with a second core), pinned to one core with taskset (JIT, GC and the simulation
# share that core: all costs on one core), C1 only pinned, a 4x longer run pinned, and the
# steady-state wall rate once warm (between the last two progress lines of the long run).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/bin/kefu" --version >/dev/null
jar="$root/cli/target/kefu-cli.jar"
n=${1:-100000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pin=()
if command -v taskset >/dev/null; then pin=(taskset -c 0); fi

run() { # label, conversations, pin (yes|no), jvm options...
  local label=$1 conversations=$2 pinned=$3
  shift 3
  local cmd=(java)
  if [ "$pinned" = yes ]; then cmd=("${pin[@]}" java); fi
  rm -rf "$tmp/out"
  "${cmd[@]}" "$@" -jar "$jar" simulate --conversations "$conversations" --seed 7 \
    --out "$tmp/out" >"$tmp/summary" 2>"$tmp/progress"
  local line
  line=$(grep "conversation events in" "$tmp/summary" | sed 's/; [0-9.]* s in all.*//')
  printf '%-38s %s\n' "$label" "$line"
}

echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), load $(cut -d' ' -f1-3 /proc/loadavg); pinned: ${pin[*]:-no}"
run "$n conversations, unpinned" "$n" no
run "$n conversations, pinned" "$n" yes
run "$n conversations, pinned, C1 only" "$n" yes -XX:TieredStopAtLevel=1
big=$((n * 4))
run "$big conversations, pinned" "$big" yes
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
    print(f"{'steady state (warm), pinned':38} {(e2 - e1) / (t2 - t1):,.0f} events/s")
else:
    print("steady state: run too short for two progress lines")
PY
