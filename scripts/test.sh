#!/usr/bin/env bash
# Set up (.venv, pinned packages, Debian chromium) and run the whole test suite:
# ruff's lint, then library unit tests, the malformed-export corpus and fuzzing, nbval on every notebook, and the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --with-browser

export PYTHONHASHSEED=0
export MPLBACKEND=Agg
# Hypothesis runs a fixed, derandomised set of examples in CI (see tests/conftest.py).
[ "${CI:-}" = "true" ] && export HYPOTHESIS_PROFILE=ci

# Lint first (configured in pyproject.toml's [tool.ruff]): a finding fails the run before the slow tests start.
.venv/bin/ruff check lib tests benchmarks
.venv/bin/ruff format --check lib tests benchmarks

# The views catalogue (data/catalogue/): the notebooks under nbval and the dashboards under the browser tests read
# it, as they do when served. Skipped when it is current; a failure to build it fails the run.
.venv/bin/python -m adass_survey catalogue --quiet
# The static pages (notebooks/site/), as serve.sh builds them before it serves: the static copies a reader may be
# given, and the pages the header and accessibility tests read. Skipped when they are current.
.venv/bin/python -m adass_survey serve --prepare-only

set +e
# nbval's options (this environment's kernel, tests/nbval_sanitize.cfg) come from pyproject.toml's addopts.
# pytest-xdist runs the test files in parallel, one worker per core (at most 4), each file whole in one worker: a
# file's module fixtures start once, and a notebook's cells run in order in one kernel (nbval).
.venv/bin/python -m pytest tests notebooks --nbval -p no:cacheprovider --durations=25 \
  --numprocesses auto --maxprocesses 4 --dist loadfile "$@"
status=$?
set -e
if [ "$status" = 5 ]; then
  echo "test.sh: pytest collected no tests — that is a failure here." >&2
  exit 1
fi
exit "$status"
