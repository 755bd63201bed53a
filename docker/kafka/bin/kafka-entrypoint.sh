#!/bin/bash
# Writes the broker's properties from the environment, formats the log dir once, then runs the broker.
# KAFKA_FOO_BAR=x becomes foo.bar=x; as in the apache/kafka image, __ stands for '_' and ___ for '-'
# (KAFKA_LISTENER_NAME_SASL__PLAINTEXT_SCRAM___SHA___512_SASL_JAAS_CONFIG ->
# listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config). KAFKA_CLUSTER_ID, KAFKA_HEAP_OPTS and
# KAFKA_OPTS are not properties.
set -euo pipefail
umask 077
config=/etc/kafka/server.properties
: > "$config"
while IFS='=' read -r -d '' name value; do
  case "$name" in
    KAFKA_CLUSTER_ID|KAFKA_HEAP_OPTS|KAFKA_OPTS) continue ;;
    KAFKA_*) ;;
    *) continue ;;
  esac
  key=${name#KAFKA_}
  key=${key,,}
  key=${key//___/-}
  key=${key//__/@}
  key=${key//_/.}
  key=${key//@/_}
  printf '%s=%s\n' "$key" "$value" >> "$config"
done < <(env -0)
log_dir=$(sed -n 's/^log\.dirs=//p' "$config")
: "${log_dir:?set KAFKA_LOG_DIRS}"
if [ ! -f "$log_dir/meta.properties" ]; then
  cluster_id=${KAFKA_CLUSTER_ID:-$(/opt/kafka/bin/kafka-storage.sh random-uuid)}
  /opt/kafka/bin/kafka-storage.sh format --config "$config" --cluster-id "$cluster_id" --ignore-formatted
fi
export KAFKA_OPTS="${KAFKA_OPTS:--Dorg.slf4j.simpleLogger.defaultLogLevel=info -Dorg.slf4j.simpleLogger.log.kafka=warn -Dorg.slf4j.simpleLogger.log.org.apache.kafka=warn}"
export KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xmx512m -Xms512m}"
exec /opt/kafka/bin/kafka-run-class.sh kafka.Kafka "$config"
