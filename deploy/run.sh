#!/usr/bin/env bash
# The dashboards past one process: Debian's nginx in front of N standalone Voilà processes on loopback ports.
# Usage: bash deploy/run.sh [N] [extra Voilà options]     (N defaults to the number of cores; Ctrl-C stops everything)
# Each process runs under supervisord (PyPI's supervisor), which restarts it if it dies; for a server: deploy/systemd/.
# Environment:
#   ADASS_HOST          address nginx listens on (default 127.0.0.1; 0.0.0.0 to listen beyond this machine)
#   ADASS_PORT          port nginx listens on (default 8866)
#   ADASS_BACKEND_PORT  port of the first Voilà process; the others follow (default ADASS_PORT + 1)
#   ADASS_NOTEBOOKS     folder of notebooks to serve (default notebooks)
#   ADASS_RUN_DIR       folder for nginx's configuration, logs and temporary files, and the Voilà logs (default deploy/run)
#   ADASS_SKIP_SETUP    set to 1 to skip scripts/setup.sh and the first build of the static pages (the test does)
# How to size N: docs/deploy.md.
set -euo pipefail
cd "$(dirname "$0")/.."

n=${1:-$(nproc 2>/dev/null || echo 2)}
shift || true
case "$n" in ''|*[!0-9]*|0) echo "deploy: N must be a whole number of Voilà processes (1 or more), not '$n'" >&2; exit 2 ;; esac

if [ "${ADASS_SKIP_SETUP:-0}" != 1 ]; then
  bash scripts/setup.sh
fi
bash deploy/install-nginx.sh
if [ ! -x /usr/sbin/nginx ]; then
  exit 1
fi

host=${ADASS_HOST:-127.0.0.1}
port=${ADASS_PORT:-8866}
first=${ADASS_BACKEND_PORT:-$((port + 1))}
notebooks=${ADASS_NOTEBOOKS:-notebooks}
run=${ADASS_RUN_DIR:-deploy/run}
mkdir -p "$run"
run=$(cd "$run" && pwd)

# The processed data and, the first time, the static pages (nginx serves them from disk).
prepare=(--prepare-only --notebooks "$notebooks")
[ "${ADASS_SKIP_SETUP:-0}" = 1 ] && prepare+=(--no-static)
.venv/bin/python -m adass_survey serve "${prepare[@]}"
site=$(cd "$notebooks" && pwd)/site

backends=()
for ((i = 0; i < n; i++)); do backends+=("$((first + i))"); done
list=$(IFS=,; echo "${backends[*]}")

user=()
if [ "$(id -u)" = 0 ]; then
  # nginx's workers read the static pages as the user who owns them (never leave this as root on a real server:
  # run deploy/run.sh as a service user instead, or use the systemd units in deploy/systemd/).
  user=(--user "$(stat -c %U "$notebooks")")
fi
.venv/bin/python -m adass_survey.serve.deploy nginx-conf --listen "$host:$port" \
  --backends "$list" --site "$site" --run "$run" --out "$run/nginx.conf" "${user[@]}"
/usr/sbin/nginx -t -q -p "$run" -c "$run/nginx.conf" -e "$run/error.log"
# Every Voilà process and nginx run under supervisord, which restarts any of them that stops; nginx meanwhile sends pages to the others, and
# a section's static copy when none answers.
.venv/bin/python -m adass_survey.serve.deploy supervisor-conf --backends "$list" --notebooks "$notebooks" \
  --run "$run" --out "$run/supervisord.conf" -- "$@"

echo "deploy: dashboards at http://$host:$port/ (nginx), $n Voilà processes on ports ${backends[*]}"
echo "deploy: static pages at http://$host:$port/voila/files/site/index.html; logs in $run (Ctrl-C to stop)"
echo "deploy: each process restarts when it stops; state: .venv/bin/supervisorctl -c $run/supervisord.conf status"
exec .venv/bin/supervisord -c "$run/supervisord.conf"
