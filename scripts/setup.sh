#!/usr/bin/env bash
# Create or reuse .venv and install the pinned environment (constraints.txt) plus this project.
# Usage: bash scripts/setup.sh [--with-browser]
#   --with-browser  also make sure Debian's chromium (and nginx, for the deploy/ recipe's test) is installed (for the browser tests).
set -euo pipefail
cd "$(dirname "$0")/.."

with_browser=0
for arg in "$@"; do
  case "$arg" in
    --with-browser) with_browser=1 ;;
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

python_bin=""
for candidate in python3.11 python3; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
    python_bin=$(command -v "$candidate"); break
  fi
done
if [ -z "$python_bin" ]; then
  echo "setup.sh: Python 3.11 is required (python3.11 or python3 on PATH)." >&2
  exit 1
fi

# Reuse .venv when nothing that defines the environment has changed since the last install. The page templates
# under share/ count too: the install copies them into .venv/share, where Voilà and nbconvert find them; so does
# JupyterLab's configuration under etc/ (copied into .venv/etc/jupyter, where every Jupyter server reads it).
stamp=.venv/.adass-installed
want=$( (cat constraints.txt pyproject.toml; find share etc -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) \
  | sha256sum | cut -d' ' -f1)
if [ -x .venv/bin/python ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "setup: .venv is up to date"
else
  echo "setup: installing the pinned environment into .venv (first run takes a few minutes)"
  [ -x .venv/bin/python ] || "$python_bin" -m venv .venv
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -c constraints.txt --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[notebooks,test]"
  echo "$want" > "$stamp"
  echo "setup: done"
fi

# The shipped notebooks are trusted (Jupyter's signature database, in this user's Jupyter data folder), so
# JupyterLab shows their outputs and its "Render with Voilà" preview opens them without an "Untrusted notebook"
# dialog. Signed again whenever a notebook changed since the last signing.
trust_stamp=.venv/.adass-trusted
trust_want=$( (.venv/bin/jupyter --data-dir; sha256sum notebooks/*.ipynb) | sha256sum | cut -d' ' -f1)
if [ ! -f "$trust_stamp" ] || [ "$(cat "$trust_stamp")" != "$trust_want" ]; then
  .venv/bin/jupyter trust notebooks/*.ipynb >/dev/null
  echo "$trust_want" > "$trust_stamp"
  echo "setup: notebooks marked trusted for JupyterLab"
fi

# axe-core for the accessibility browser tests (package.json, pinned in package-lock.json), into node_modules/.
# Only when the lock file changed since the last install; a failure warns (and stops only in CI).
if [ -f package-lock.json ]; then
  npm_stamp=node_modules/.adass-installed
  npm_want=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [ -f "$npm_stamp" ] && [ "$(cat "$npm_stamp")" = "$npm_want" ] && [ -f node_modules/axe-core/axe.min.js ]; then
    :
  elif ! command -v npm >/dev/null 2>&1; then
    echo "setup: npm not found; the accessibility tests need axe-core (install Node.js and npm, then rerun)." >&2
    [ "${CI:-}" = "true" ] && exit 1
  elif npm_log=$(mktemp) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >"$npm_log" 2>&1; then
    rm -f "$npm_log"
    echo "$npm_want" > "$npm_stamp"
    echo "setup: axe-core installed in node_modules/"
  else
    echo "setup: npm ci failed; the accessibility tests need axe-core:" >&2
    tail -n 5 "$npm_log" >&2
    rm -f "$npm_log"
    [ "${CI:-}" = "true" ] && exit 1
  fi
fi

if [ "$with_browser" = 1 ] && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing Debian's chromium for the browser tests"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium >/dev/null
  else
    echo "setup: the browser tests need Debian's chromium at /usr/bin/chromium." >&2
    echo "       Install it once with: sudo apt-get update && sudo apt-get install -y chromium" >&2
    [ "${CI:-}" = "true" ] && exit 1
  fi
fi

if [ "$with_browser" = 1 ]; then
  bash deploy/install-nginx.sh  # Debian's nginx for tests/browser/test_nginx.py (apt as root, else how to)
fi
