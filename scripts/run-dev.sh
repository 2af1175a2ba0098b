#!/usr/bin/env bash
# `make run`: the task queue's consumer and the development server together; Ctrl+C stops both.
# Usage: scripts/run-dev.sh HOST PORT   (from the repository root, with .venv installed)
set -uo pipefail
HOST=${1:-127.0.0.1}
PORT=${2:-5000}
FLASK=(.venv/bin/flask --app portal)
export PORTAL_QUEUE_IMMEDIATE=false  # requests hand their work to the consumer, as in production
export PORTAL_BASE_URL="${PORTAL_BASE_URL:-http://$HOST:$PORT}"

"${FLASK[@]}" queue worker --workers 2 &
worker=$!
"${FLASK[@]}" run --host "$HOST" --port "$PORT" &
web=$!

stop() {
    trap - INT TERM
    kill -TERM "$web" 2>/dev/null     # the server ignores Ctrl+C's SIGINT as a background job
    kill -INT "$worker" 2>/dev/null   # the consumer's graceful stop: tasks under way finish
    wait "$web" "$worker" 2>/dev/null
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
wait -n "$web" "$worker"  # either one ending (a crash, a port in use) ends both
status=$?
stop
exit "$status"
