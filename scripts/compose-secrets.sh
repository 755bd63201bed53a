#!/usr/bin/env bash
# Makes every secret docker-compose.yml needs, in ./secrets (git-ignored; folder 0700, files 0600). What exists
# is kept, so this is safe to re-run; delete a file or line and re-run to replace that one secret.
# - secrets/kafka.env: the Kafka passwords (scripts/kafka-secrets.sh), the dashboard's password on the matcher
#   (FACESTREAM_DASHBOARD_MATCHER_PASSWORD) and the secret that signs its login cookies (FACESTREAM_JWT_SECRET)
# - secrets/accounts.env: one HTTP account per NAME:ROLES argument (default operator:operator), as
#   FACESTREAM_SECURITY_USERS_<NAME>_PASSWORD_HASH (PBKDF2-SHA256, 600,000 iterations, the form PasswordHash
#   reads) and _ROLES; its random password only in secrets/passwords/<name>; and always the dashboard's service
#   account `dashboard` (operator)
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
# pbkdf2 PASSWORD: the hash PasswordHash reads (PBKDF2-SHA256, 600,000 iterations); the password reaches python
# on stdin, never a command line
pbkdf2() {
  printf '%s' "$1" | python3 -c '
import base64, hashlib, os, sys
salt = os.urandom(16)
derived = hashlib.pbkdf2_hmac("sha256", sys.stdin.buffer.read(), salt, 600000, 32)
print("pbkdf2-sha256$600000$%s$%s" % (base64.b64encode(salt).decode(), base64.b64encode(derived).decode()))'
}
random_secret() { head -c "$1" /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'; }
# add_account NAME ROLES PASSWORD; single quotes keep compose from reading the hash's '$' as a variable
add_account() {
  local key="FACESTREAM_SECURITY_USERS_${1^^}"
  printf "%s_PASSWORD_HASH='%s'\n%s_ROLES='%s'\n" "$key" "$(pbkdf2 "$3")" "$key" "$2" >> "$accounts"
}
for spec in "$@"; do
  name=${spec%%:*} roles=${spec#*:}
  [[ "$spec" == *:* && "$name" =~ ^[a-z][a-z0-9]{0,31}$ && "$roles" =~ ^(viewer|operator|camera)(,(viewer|operator|camera))*$ ]] \
    || { echo "account '$spec': want NAME:ROLE[,ROLE] (NAME lower-case letters and digits, ROLE viewer, operator or camera)" >&2; exit 2; }
  [ "$name" != dashboard ] || { echo "account 'dashboard' is the dashboard's service account; pick another name" >&2; exit 2; }
  grep -q "^FACESTREAM_SECURITY_USERS_${name^^}_PASSWORD_HASH=" "$accounts" && continue
  password=$(random_secret 18)
  add_account "$name" "$roles" "$password"
  printf '%s\n' "$password" > "secrets/passwords/$name"
  echo "account $name ($roles): password in secrets/passwords/$name"
done

# The dashboard's service account on the matcher: operator account `dashboard` (no '-' or '_': an environment
# variable's '_' would read as both '.' and '-'), its password FACESTREAM_DASHBOARD_MATCHER_PASSWORD in
# secrets/kafka.env (compose gives it to the dashboard only); remade whenever either half is missing. And the
# secret that signs the dashboard's login cookies.
env=secrets/kafka.env
if ! grep -q '^FACESTREAM_DASHBOARD_MATCHER_PASSWORD=' "$env" \
    || ! grep -q '^FACESTREAM_SECURITY_USERS_DASHBOARD_PASSWORD_HASH=' "$accounts"; then
  sed -i '/^FACESTREAM_DASHBOARD_MATCHER_PASSWORD=/d' "$env"
  sed -i '/^FACESTREAM_SECURITY_USERS_DASHBOARD_\(PASSWORD_HASH\|ROLES\)=/d' "$accounts"
  password=$(random_secret 24)
  add_account dashboard operator "$password"
  printf 'FACESTREAM_DASHBOARD_MATCHER_PASSWORD=%s\n' "$password" >> "$env"
  echo "account dashboard (operator): the dashboard's service account on the matcher"
fi
grep -q '^FACESTREAM_JWT_SECRET=' "$env" || printf 'FACESTREAM_JWT_SECRET=%s\n' "$(random_secret 48)" >> "$env"
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
