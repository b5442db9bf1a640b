#!/usr/bin/env bash
# Sentiment scorer figures: JMH throughput (messages/s on one core) and model load time, then the
# held-out evaluation of the bundled model on the shared corpus.
#
#   bench/sentiment.sh [JMH OPTIONS...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bench/jmh.sh core SentimentBench "$@"
echo
echo "== held-out evaluation (kefu sentiment eval)"
mvn -q -B -ntp -o -Dspotless.check.skip=true -pl cli -am install -DskipTests >&2
cp=$(cd cli && mvn -q -B -ntp -o dependency:build-classpath -Dmdep.outputFile=/dev/stdout)
java -Dkefu.home="$root" -cp "cli/target/classes:$cp" io.kefu.cli.Kefu sentiment eval
