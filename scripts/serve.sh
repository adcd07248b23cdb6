#!/usr/bin/env bash
# Serve the notebooks read-only as Voilà dashboards (standalone Voilà, never the server extension).
# Usage: bash scripts/serve.sh [extra Voilà options, e.g. --MappingKernelManager.cull_idle_timeout=300]
# Environment:
#   ADASS_HOST        address to bind (default 127.0.0.1: this machine only)
#   ADASS_PORT        port (default 8866)
#   ADASS_NOTEBOOKS   folder of notebooks to serve (default notebooks)
#   ADASS_SKIP_SETUP  set to 1 to skip scripts/setup.sh (the browser tests do; .venv must exist)
# All other settings live in voila.json and voila.py at the repository root; the page template is in
# share/jupyter/voila/templates/adass (found through JUPYTER_PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

if [ "${ADASS_SKIP_SETUP:-0}" != 1 ]; then
  bash scripts/setup.sh
fi

host=${ADASS_HOST:-127.0.0.1}
port=${ADASS_PORT:-8866}
notebooks=${ADASS_NOTEBOOKS:-notebooks}
if [ ! -d "$notebooks" ]; then
  echo "serve.sh: no folder '$notebooks' to serve." >&2
  exit 2
fi

export JUPYTER_PATH="$root/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
export MPLBACKEND=Agg

# Build the processed data once, before any kernel starts (every preheated notebook would otherwise wait for it).
.venv/bin/python -m adass_survey build --quiet
mkdir -p logs

# The static (no-kernel) pages: built once, before the server starts, because Voilà pre-renders each section
# with a preheated kernel and a page rendered before they exist would not link to its static copy.
# They go into $notebooks/site/, which Voilà serves read-only at /voila/files/site/ (only that folder's .html
# files: see file_allowlist and file_denylist in voila.json). A failed export does not stop the dashboards.
if [ "${ADASS_SKIP_SETUP:-0}" != 1 ] && [ ! -f "$notebooks/site/index.html" ] && compgen -G "$notebooks/*.ipynb" >/dev/null; then
  echo "serve: building the static pages in $notebooks/site/ (once, about a minute; log: logs/export.log)"
  if ! .venv/bin/python -m adass_survey export --notebooks "$notebooks" --out "$notebooks/site" 2>&1 \
      | tee logs/export.log | grep --line-buffered '^export:'; then
    echo "serve: the static pages could not be built (see logs/export.log); serving the dashboards without them" >&2
  fi
fi

echo "serve: dashboards at http://$host:$port/  (Ctrl-C to stop)"
if [ -f "$notebooks/site/index.html" ]; then
  echo "serve: static pages at http://$host:$port/voila/files/site/index.html"
fi
exec .venv/bin/voila "$notebooks" --Voila.ip="$host" --Voila.port="$port" --Voila.port_retries=0 --no-browser "$@"
