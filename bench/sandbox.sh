#!/usr/bin/env bash
# Data sandbox figures (docs/BENCHMARKS.md, "Sandbox"):
#   1. JMH, pinned to one core: pseudonymise + redact + encrypt per event (SandboxBench), and the
#      detector alone;
#      the same by the thread's CPU time (SandboxCpuTime; stable when the machine is shared);
#   2. reveal latency end to end on a real PostgreSQL vault and a durable operation log
#      (SandboxRevealBench; argument: vault entries, default 100,000).
#
#   bench/sandbox.sh [VAULT_ENTRIES]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bench/jmh.sh audit-ledger SandboxBench
cp="$root/audit-ledger/target/test-classes:$root/audit-ledger/target/classes:$(cat audit-ledger/target/jmh.classpath)"
pin=()
if command -v taskset >/dev/null; then pin=(taskset -c 0); fi
# the same workload by the thread's CPU time: stable on a shared machine
"${pin[@]}" java -cp "$cp" io.kefu.audit.bench.SandboxCpuTime 12
exec java -cp "$cp" io.kefu.audit.bench.SandboxRevealBench "${1:-100000}"
