#!/usr/bin/env bash
# JMH micro-benchmarks of a module's test classes (benchmarks live under src/test/java/**/bench).
#
#   bench/jmh.sh MODULE [JMH OPTIONS...]     e.g. bench/jmh.sh core SentimentBench -f 1
#
# Compiles the module's tests (the JMH annotation processor generates the benchmark list), builds
# the test classpath and runs org.openjdk.jmh.Main pinned to one core, so figures are per core.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
module=${1:?usage: bench/jmh.sh MODULE [JMH OPTIONS...]}
shift
cd "$root"
mvn -q -B -ntp -o -Dspotless.check.skip=true -pl "$module" -am install -DskipTests >&2
(cd "$module" && mvn -q -B -ntp -o -Dspotless.check.skip=true test-compile \
  dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/jmh.classpath) >&2
cp="$root/$module/target/test-classes:$root/$module/target/classes:$(cat "$module/target/jmh.classpath")"
pin=()
if command -v taskset >/dev/null; then pin=(taskset -c 0); fi
exec "${pin[@]}" java -Dkefu.home="$root" -cp "$cp" org.openjdk.jmh.Main "$@"
