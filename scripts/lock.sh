#!/usr/bin/env bash
# Regenerate constraints.txt from a fresh install of pyproject.toml (run when changing dependencies),
# then update environment.yml's versions to match (tests/test_environment_sync.py checks them).
# Usage: bash scripts/lock.sh            keep every current pin; resolve only what is new, drop what is gone
#        bash scripts/lock.sh --upgrade  resolve everything afresh (newest versions pyproject.toml allows)
set -euo pipefail
cd "$(dirname "$0")/.."
keep=(-c constraints.txt)
[ "${1:-}" = "--upgrade" ] && keep=()
python_bin=$(command -v python3.11 || command -v python3)
tmp=$(mktemp -d)
"$python_bin" -m venv "$tmp/venv"
"$tmp/venv/bin/python" -m pip install --quiet --upgrade "${keep[@]}" pip
"$tmp/venv/bin/python" -m pip install --quiet "${keep[@]}" -e ".[notebooks,test]"
{
  echo "# Exact versions CI tested. Used as pip constraints by scripts/setup.sh; regenerate with scripts/lock.sh."
  "$tmp/venv/bin/python" -m pip freeze --exclude-editable | grep -v '^-e '
  echo "pip==$("$tmp/venv/bin/python" -m pip --version | cut -d' ' -f2)"
} > constraints.txt.new
mv constraints.txt.new constraints.txt
rm -rf "$tmp"
echo "constraints.txt rewritten; now update environment.yml (a new direct dependency needs a line there) and run"
echo "  .venv/bin/pytest tests/test_environment_sync.py tests/test_dependencies.py"
