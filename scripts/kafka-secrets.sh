#!/usr/bin/env bash
# Makes secrets/kafka.env for docker-compose.yml: one random Kafka password per principal (the broker's admin
# and each service), owner-only. An existing file is kept, so this is safe to re-run; delete a line and re-run
# to make a new password for that principal (README, "Security": rotation).
#   scripts/kafka-secrets.sh && docker compose --env-file secrets/kafka.env up -d
set -euo pipefail
cd "$(dirname "$0")/.."
umask 077
mkdir -p secrets
chmod 700 secrets
file=secrets/kafka.env
touch "$file"
chmod 600 "$file"
for principal in ADMIN INGEST DETECTOR EMBEDDER MATCHER RETRAINER DASHBOARD; do
  key="FACESTREAM_KAFKA_${principal}_PASSWORD"
  if ! grep -q "^${key}=" "$file"; then
    # 24 random bytes as URL-safe base64: nothing to quote in a JAAS line or a compose file
    password=$(head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
    printf '%s=%s\n' "$key" "$password" >> "$file"
  fi
done
echo "Kafka passwords in $file (owner-only); start with: docker compose --env-file $file up -d"
