#!/usr/bin/env bash
# Quality-inspection throughput: QaBench (default rules + regex-heavy extra rules, >= 500 phrases,
# >= 20 regexes) over conversations of the simulator's agent messages, zh/en, pinned to one core.
#
#   bench/qa.sh [JMH OPTIONS...]      e.g. bench/qa.sh -wi 3 -i 5
#
# Target: >= 200,000 messages/s per core (one op = one agent message).
set -euo pipefail
exec "$(dirname "$0")/jmh.sh" core QaBench "$@"
