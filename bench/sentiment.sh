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
(cd cli && mvn -q -B -ntp -o dependency:build-classpath -Dmdep.outputFile=target/sentiment.classpath) >&2
java -Dkefu.home="$root" -cp "cli/target/classes:$(cat cli/target/sentiment.classpath)" \
  io.kefu.cli.Kefu sentiment eval
