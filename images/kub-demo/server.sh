#!/bin/sh
# Entrypoint of the kub-demo images (seed 003's users/auth/tasks APIs): a tiny HTTP server, one busybox `nc` per
# connection running handle.sh. APP (users, auth or tasks) is set by the image; PORT defaults to the seed's port
# (users 8080, auth 80, tasks 8000). Exits on SIGTERM.
: "${APP:?APP must be users, auth or tasks}"
case "$APP" in users) d=8080 ;; auth) d=80 ;; tasks) d=8000 ;; *) echo "unknown APP $APP" >&2; exit 1 ;; esac
export PORT=${PORT:-$d}
echo "$APP API listening on :$PORT"
trap 'kill $(jobs -p) 2>/dev/null; exit 0' TERM INT
nc -ll -p "$PORT" -e /app/handle.sh &
wait
