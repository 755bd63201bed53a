#!/usr/bin/env bash
# Makes every secret docker-compose.yml needs, in ./secrets (git-ignored; folder 0700, files 0600). What exists
# is kept, so this is safe to re-run; delete a file or line and re-run to replace that one secret.
# - secrets/kafka.env: the Kafka passwords (scripts/kafka-secrets.sh)
# - secrets/accounts.env: one HTTP account per NAME:ROLES argument (default operator:operator), as
#   FACESTREAM_SECURITY_USERS_<NAME>_PASSWORD_HASH (PBKDF2-SHA256, 600,000 iterations, the form PasswordHash
#   reads) and _ROLES; its random password only in secrets/passwords/<name>
# - the model-signing key pair (README, "Model signing")
#   scripts/compose-secrets.sh operator:operator camera1:camera viewer:viewer
set -euo pipefail
cd "$(dirname "$0")/.."
umask 077
scripts/kafka-secrets.sh >/dev/null
mkdir -p secrets/passwords
chmod 700 secrets secrets/passwords
accounts=secrets/accounts.env
touch "$accounts"
chmod 600 "$accounts"
[ $# -gt 0 ] || set -- operator:operator
for spec in "$@"; do
  name=${spec%%:*} roles=${spec#*:}
  [[ "$spec" == *:* && "$name" =~ ^[a-z][a-z0-9]{0,31}$ && "$roles" =~ ^(viewer|operator|camera)(,(viewer|operator|camera))*$ ]] \
    || { echo "account '$spec': want NAME:ROLE[,ROLE] (NAME lower-case letters and digits, ROLE viewer, operator or camera)" >&2; exit 2; }
  key="FACESTREAM_SECURITY_USERS_${name^^}"
  grep -q "^${key}_PASSWORD_HASH=" "$accounts" && continue
  password=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
  # the password reaches python on stdin, never a command line; single quotes keep compose from reading the
  # hash's '$' as a variable
  hash=$(printf '%s' "$password" | python3 -c '
import base64, hashlib, os, sys
salt = os.urandom(16)
derived = hashlib.pbkdf2_hmac("sha256", sys.stdin.buffer.read(), salt, 600000, 32)
print("pbkdf2-sha256$600000$%s$%s" % (base64.b64encode(salt).decode(), base64.b64encode(derived).decode()))')
  printf "%s_PASSWORD_HASH='%s'\n%s_ROLES='%s'\n" "$key" "$hash" "$key" "$roles" >> "$accounts"
  printf '%s\n' "$password" > "secrets/passwords/$name"
  echo "account $name ($roles): password in secrets/passwords/$name"
done
if [ ! -f secrets/model-signing-key.pem ]; then
  openssl genpkey -algorithm ed25519 -out secrets/model-signing-key.pem
  chmod 600 secrets/model-signing-key.pem
  rm -f secrets/model-signing-public-key.pem
fi
[ -f secrets/model-signing-public-key.pem ] \
  || openssl pkey -in secrets/model-signing-key.pem -pubout -out secrets/model-signing-public-key.pem
# the public key is no secret: every model loader reads it
chmod 644 secrets/model-signing-public-key.pem
echo "secrets ready; start with: docker-compose --env-file secrets/kafka.env up -d"
