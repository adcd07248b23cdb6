#!/usr/bin/env bash
# Make sure Debian's nginx is installed (for deploy/run.sh and tests/browser/test_nginx.py).
# As root it installs the package with apt and stops the system service the package starts (deploy/run.sh runs
# its own nginx, with its own configuration, on its own port); otherwise it says how, and fails in CI.
set -euo pipefail
if [ -x /usr/sbin/nginx ]; then
  exit 0
fi
if [ "$(id -u)" = 0 ]; then
  echo "setup: installing Debian's nginx (for the deploy/ recipe and its test)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq nginx >/dev/null
  # The package may start the system-wide service on port 80: deploy/run.sh does not use it.
  if [ -f /run/nginx.pid ]; then
    kill "$(cat /run/nginx.pid)" 2>/dev/null || true
  fi
else
  echo "setup: the deploy/ recipe needs Debian's nginx at /usr/sbin/nginx." >&2
  echo "       Install it once with: sudo apt-get update && sudo apt-get install -y nginx" >&2
  [ "${CI:-}" = "true" ] && exit 1
  exit 0
fi
