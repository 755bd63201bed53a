#!/bin/bash
# Runs one Kafka main class on the image's jars. Tools start a small, quick JVM (C1 only, serial GC) and log
# warnings only; the broker sets its own heap and levels.
exec java ${KAFKA_HEAP_OPTS:--Xmx128m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC} ${KAFKA_OPTS:--Dorg.slf4j.simpleLogger.defaultLogLevel=warn} \
  -cp '/opt/kafka/libs/*' "$@"
