#!/usr/bin/env bash
# The whole suite, twice: on SQLite, then on a throwaway PostgreSQL cluster. Browser tests run in both.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTEST=(.venv/bin/python -m pytest -n "${PYTEST_WORKERS:-2}" -q "$@")

echo "== Static security check: bandit (medium and high severity fail the run) =="
.venv/bin/bandit -q -r portal -x portal/migrations --severity-level medium

echo "== Test run 1 of 2: SQLite =="
env -u PORTAL_TEST_DATABASE_URL "${PYTEST[@]}"

echo "== Test run 2 of 2: PostgreSQL =="
pgdir=$(scripts/pg-cluster.sh start)
trap 'scripts/pg-cluster.sh stop "$pgdir"' EXIT
PORTAL_TEST_DATABASE_URL=$(cat "$pgdir/url") "${PYTEST[@]}"
