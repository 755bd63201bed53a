#!/usr/bin/env bash
# A Docker daemon of this checkout's own: data root, exec root, socket and pid file under target/docker, so it
# caches nothing outside the clone and leaves any system daemon alone. overlay2; FACESTREAM_DOCKER_STORAGE=vfs
# where the file system cannot carry overlay2 (much slower and larger).
#   docker/dockerd.sh start    starts it (needs root) and prints the DOCKER_HOST to export
#   docker/dockerd.sh stop     stops it by its PID and waits for it to exit
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
dir=$PWD/target/docker
socket=$dir/docker.sock
pidfile=$dir/dockerd.pid
case "${1:-}" in
  start)
    mkdir -p "$dir/data" "$dir/exec"
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      echo "DOCKER_HOST=unix://$socket"; exit 0
    fi
    dockerd --data-root "$dir/data" --exec-root "$dir/exec" --pidfile "$pidfile" -H "unix://$socket" \
      --storage-driver "${FACESTREAM_DOCKER_STORAGE:-overlay2}" > "$dir/dockerd.log" 2>&1 &
    for _ in $(seq 1 60); do
      DOCKER_HOST=unix://$socket docker version >/dev/null 2>&1 && { echo "DOCKER_HOST=unix://$socket"; exit 0; }
      kill -0 $! 2>/dev/null || break
      sleep 0.5
    done
    echo "dockerd did not start; its log:" >&2; tail -n 20 "$dir/dockerd.log" >&2; exit 1 ;;
  stop)
    [ -f "$pidfile" ] || exit 0
    pid=$(cat "$pidfile")
    if kill "$pid" 2>/dev/null; then
      for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    fi
    rm -f "$pidfile" ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
