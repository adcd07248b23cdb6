#!/usr/bin/env bash
# Serve the notebooks read-only as Voilà dashboards (standalone Voilà, never the server extension).
# Usage: bash scripts/serve.sh [extra Voilà options, e.g. --MappingKernelManager.cull_idle_timeout=300]
# Environment:
#   ADASS_HOST        address to bind (default 127.0.0.1: this machine only)
#   ADASS_PORT        port (default 8866)
#   ADASS_NOTEBOOKS   folder of notebooks to serve (default notebooks)
#   ADASS_SKIP_SETUP  set to 1 to skip scripts/setup.sh and the first build of the static pages (the browser tests do)
# All other settings live in voila.json at the repository root and etc/jupyter/voila.py; the page template is in
# share/jupyter/voila/templates/adass (found through JUPYTER_PATH).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${ADASS_SKIP_SETUP:-0}" != 1 ]; then
  bash scripts/setup.sh
fi

# Everything else is `python -m adass_survey serve` (the same on Windows, without bash): it builds the processed data,
# and the static pages the first time (notebooks/site/, about a minute, log in logs/export.log; not when
# ADASS_SKIP_SETUP=1, as before), then starts standalone Voilà at the repository root so that it reads voila.json and
# voila.py, with share/jupyter on JUPYTER_PATH. Each page is rendered once per version; a reader arriving while it is
# rendered gets its static copy.
static=()
if [ "${ADASS_SKIP_SETUP:-0}" = 1 ]; then
  static=(--no-static)
fi
exec .venv/bin/python -m adass_survey serve "${static[@]}" -- "$@"
