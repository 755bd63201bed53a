#!/usr/bin/env bash
# JMH micro-benchmarks of benchmarks/ (README, "Performance"): builds the module, then runs org.openjdk.jmh.Main
# with any JMH arguments given, e.g. scripts/jmh.sh NonMaxSuppression   or   scripts/jmh.sh -l
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -q -DskipTests -pl benchmarks -am install
export FACESTREAM_MODEL_DIR="${FACESTREAM_MODEL_DIR:-$root/models}"
cache="${FACESTREAM_CACHE_DIR:-$root/.cache}"
mkdir -p "$cache/tmp"
exec java -DDJL_CACHE_DIR="$cache/djl" -Dai.djl.offline=true -Djava.io.tmpdir="$cache/tmp" \
  -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" org.openjdk.jmh.Main "$@"
