#!/usr/bin/env bash
# Audit ledger benchmarks (issue 6).
#
#   bench/ledger.sh [RECORDS]
#
# On a log of RECORDS operation-log records (default 10,000,000, about 2.9 GB on disk):
# 1. with the JVM pinned to one core: append + hash throughput (canonical encoding, leaf and chain
#    hashes, Merkle batches of 10,000 signed with Ed25519) without and with fsync per group commit
#    (groups of 10,000 records, two in flight so that one is hashed while the other is forced to
#    disk; each is acknowledged only once durable), each with the CPU time per record of the process
#    (the one core's cost: encoding, hashing, the write and fsync syscalls, GC and JIT), of the
#    log's writer, syncer and sealer threads and the calling thread, and of the JIT compiler and VM
#    threads (from /proc); it says whether the segments were written with direct I/O (O_DIRECT,
#    where the file system takes it) or through the page cache; anchoring on the embedded ledger;
# 2. on every core: verify throughput (everything re-hashed and checked, twice), inclusion proof
#    build and check time and size.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-10000000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pin=()
if command -v taskset >/dev/null; then pin=(taskset -c 0); fi
(cd "$root" && mvn -q -B -o -Dstyle.color=never -pl audit-ledger/chaincode,audit-ledger \
  test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$tmp/cp.txt" >"$tmp/build.txt" 2>&1) || { cat "$tmp/build.txt"; exit 1; }
cp="$root/audit-ledger/target/test-classes:$root/audit-ledger/target/classes:$(cat "$tmp/cp.txt")"
"${pin[@]}" java -Xmx4g -cp "$cp" io.kefu.audit.bench.LedgerBench "$n" "$tmp" append
java -Xmx4g -cp "$cp" io.kefu.audit.bench.LedgerBench "$n" "$tmp" verify
