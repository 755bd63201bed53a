#!/usr/bin/env bash
# Black-box test of the compose deployment: builds nothing, starts docker-compose.yml as the project
# facestream-smoke, and talks to it only over the ports it publishes on 127.0.0.1:
#  1. an operator logs in to the dashboard container (HTTP Basic; GET /api/v1/me answers 200);
#  2. enrolls a faces-dev person from one photo through the dashboard (POST /api/v1/identities, then
#     .../faces, which the dashboard passes to the matcher as its service account);
#  3. another photo of the same person sent to the ingest container (POST /api/v1/frames) comes back KNOWN, with
#     that name, on the dashboard's API (GET /api/v1/matches, from its own follower of `matches`);
#  4. clusters, models, retraining jobs and a search by that person answer 200 on the dashboard (passed to the
#     matcher and the retrainer);
#  5. a wrong password gets 401 from every service (the unpublished ones asked from inside their container);
#  6. `docker-compose down -v` leaves no container, network or volume of the project;
# and first, that the CPU embedder image carries no CUDA library.
# Needs: the images (docker/build-images.sh), the models (scripts/fetch-assets.sh models), faces-dev under
# $FACESTREAM_SHARED_DIR (default ../shared); makes the secrets if missing (scripts/compose-secrets.sh).
# Prints the seconds each step took.
set -euo pipefail
cd "$(dirname "$0")/.."

# Where the operator logs in (a page of the API that needs an account), enrolls and reads matches: the dashboard
API=http://127.0.0.1:8083 LOGIN=/api/v1/me
INGEST=http://127.0.0.1:8080
# each published service with a path of its API that needs an account
PUBLISHED=("$INGEST/api/v1/frames?camera=smoke" http://127.0.0.1:8081/api/v1/identities
  http://127.0.0.1:8082/api/v1/models "$API/api/v1/me" "$API/api/v1/identities" "$API/api/v1/matches")
UNPUBLISHED=(detector-service embedder-service)
PERSON_DIR=face_recognition/biden ENROLL=biden.jpg FRAME=biden2.jpg

shared=${FACESTREAM_SHARED_DIR:-../shared}
faces=$shared/faces-dev/$PERSON_DIR
[ -f "$faces/$ENROLL" ] && [ -f "$faces/$FRAME" ] \
  || { echo "faces-dev not found at $faces (set FACESTREAM_SHARED_DIR)" >&2; exit 1; }
[ -f models/MobileFaceNet.tflite ] || { echo "no ./models: run scripts/fetch-assets.sh models" >&2; exit 1; }
scripts/compose-secrets.sh operator:operator >/dev/null
password=$(cat secrets/passwords/operator)
person=$(basename "$PERSON_DIR")

compose=(docker-compose -p facestream-smoke --env-file secrets/kafka.env)
t0=$(date +%s)
step() { printf '[%4ss] %s\n' "$(( $(date +%s) - t0 ))" "$*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
down() {
  local rc=$?
  if [ $rc -ne 0 ]; then
    "${compose[@]}" ps >&2 || true
    "${compose[@]}" logs --no-color --tail=40 >&2 || true
  fi
  "${compose[@]}" down -v --remove-orphans >/dev/null 2>&1 || true
  exit $rc
}
trap down EXIT
# a timeout's TERM (or ^C) still takes the system down
trap 'exit 143' TERM INT

# curl_status URL [curl args...]: the HTTP status; the body in $work/body
work=$(mktemp -d)
trap 'rm -rf "$work"; down' EXIT
curl_status() {
  local url=$1; shift
  curl -s -o "$work/body" -w '%{http_code}' --max-time 30 "$@" "$url" || echo 000
}
json() { python3 -c "import json,sys; d=json.load(open('$work/body')); print($1)"; }

# the CPU embedder image: the CPU libtorch jar and no CUDA library (the CUDA variant is another tag)
cuda=$(docker run --rm --entrypoint bash facestream/embedder-service:0.1.0-SNAPSHOT -c \
  'ls /opt/facestream/lib | grep -E "pytorch-native-cu"; find / -xdev \( -name "libcudart*" -o -name "libcublas*" -o -name "libcudnn*" -o -name "libtorch_cuda*" \) 2>/dev/null')
[ -z "$cuda" ] || fail "the CPU embedder image carries CUDA: $cuda"
step "the CPU embedder image carries no CUDA library"

step "docker-compose up -d"
"${compose[@]}" up -d --quiet-pull 2>&1 | grep -v -E '^(Creating|Starting)' || true
step "waiting for every service's health check"
for service in ingest-service matcher-service retrainer-service dashboard-service "${UNPUBLISHED[@]}"; do
  for i in $(seq 1 150); do
    [ "$(docker inspect -f '{{.State.Health.Status}}' "$("${compose[@]}" ps -q "$service")")" = healthy ] && break
    [ "$i" -lt 150 ] || fail "$service not healthy after 300 s"
    sleep 2
  done
done
step "all services healthy"

status=$(curl_status "$API$LOGIN" -u "operator:$password")
[ "$status" = 200 ] || fail "operator login ($API$LOGIN): $status $(cat "$work/body")"
step "operator logged in ($API$LOGIN: 200)"

status=$(curl_status "$API/api/v1/identities" -u "operator:$password" -H 'Content-Type: application/json' \
  -d "{\"name\":\"$person\"}")
[ "$status" = 201 ] || fail "create identity: $status $(cat "$work/body")"
id=$(json 'd["id"]')
for i in $(seq 1 30); do
  status=$(curl_status "$API/api/v1/identities/$id/faces" -u "operator:$password" -H 'Content-Type: image/jpeg' \
    --data-binary "@$faces/$ENROLL")
  [ "$status" = 503 ] || break
  sleep 2
done
[ "$status" = 201 ] || fail "enroll $ENROLL: $status $(cat "$work/body")"
step "enrolled $person ($id) from $ENROLL: $(cat "$work/body")"

status=$(curl_status "$INGEST/api/v1/frames?camera=smoke" -u "operator:$password" -H 'Content-Type: image/jpeg' \
  --data-binary "@$faces/$FRAME")
[ "$status" = 202 ] || fail "send $FRAME to ingest: $status $(cat "$work/body")"
frame=$(json 'd["frameId"]')
step "sent $FRAME to ingest: frame $frame"
for i in $(seq 1 60); do
  status=$(curl_status "$API/api/v1/matches?limit=50" -u "operator:$password")
  if [ "$status" = 200 ]; then
    # "DECISION NAME SCORE" of the frame's match (its best candidate), empty while there is none
    found=$(python3 - "$work/body" "$frame" <<'PY'
import json, sys
for m in json.load(open(sys.argv[1])):
    if m["frameId"] == sys.argv[2]:
        best = m["candidates"][0] if m["candidates"] else {"name": "-", "score": ""}
        print(m["decision"], best["name"], best["score"])
        break
PY
)
    [ -n "$found" ] && break
  fi
  sleep 2
done
[ -n "${found:-}" ] || fail "no match of frame $frame on $API/api/v1/matches after 120 s"
[[ "$found" == "KNOWN $person "* ]] || fail "frame $frame matched as '$found', expected KNOWN $person"
step "frame $frame came back $found"

# the page's routes that only the matcher or the retrainer can answer, through the dashboard
for path in /api/v1/clusters /api/v1/models /api/v1/models/jobs; do
  status=$(curl_status "$API$path" -u "operator:$password")
  [ "$status" = 200 ] || fail "$API$path: $status $(cat "$work/body")"
done
status=$(curl_status "$API/api/v1/search?limit=5" -u "operator:$password" -H 'Content-Type: application/json' \
  -d "{\"identityId\":\"$id\"}")
[ "$status" = 200 ] || fail "search for $person on the dashboard: $status $(cat "$work/body")"
step "clusters, models, jobs and search answered on the dashboard"

for url in "${PUBLISHED[@]}"; do
  status=$(curl_status "$url" -u "operator:wrong-$password")
  [ "$status" = 401 ] || fail "$url with a wrong password: $status, expected 401"
done
for service in "${UNPUBLISHED[@]}"; do
  # no curl in the images: one request over bash's /dev/tcp, as the health check does
  auth=$(printf 'operator:wrong-%s' "$password" | base64 -w0)
  line=$("${compose[@]}" exec -T "$service" bash -c "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /api/v1/identities HTTP/1.0\r\nAuthorization: Basic $auth\r\n\r\n' >&3 && head -n 1 <&3")
  [[ "$line" == *" 401 "* ]] || fail "$service with a wrong password: '$line', expected 401"
done
step "a wrong password gets 401 on all ${#PUBLISHED[@]} published paths (4 services) and ${#UNPUBLISHED[@]} unpublished services"

"${compose[@]}" down -v --remove-orphans >/dev/null 2>&1
left=$(docker ps -aq --filter label=com.docker.compose.project=facestream-smoke;
       docker network ls -q --filter label=com.docker.compose.project=facestream-smoke;
       docker volume ls -q --filter label=com.docker.compose.project=facestream-smoke)
[ -z "$left" ] || fail "left after docker-compose down: $left"
step "docker-compose down: no container, network or volume left"
echo "compose smoke test passed"
