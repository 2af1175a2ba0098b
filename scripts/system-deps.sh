#!/usr/bin/env bash
# Installs the system parts the test suite needs when they are missing:
# Debian's chromium (browser tests), a PostgreSQL server (the second database run) and redis-server
# (the scale-out test: two app servers sharing rate limits).
# `system-deps.sh venv` installs python3-venv instead, for a Python without it.
set -euo pipefail

need=()
if [ "${1:-}" = "venv" ]; then
  need+=(python3-venv)  # Debian ships venv's ensurepip separately
else
  [ -x /usr/bin/chromium ] || need+=(chromium)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
fi
[ ${#need[@]} -eq 0 ] && exit 0

echo "Installing system packages: ${need[*]}"
if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  echo "error: ${need[*]} missing and this user cannot install packages (run as root or install them)." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
# Debian starts a system-wide cluster on install; the tests use their own throwaway one.
