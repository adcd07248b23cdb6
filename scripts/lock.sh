#!/usr/bin/env bash
# Regenerate constraints.txt from a fresh resolve of pyproject.toml (run when changing dependencies),
# then update environment.yml's versions to match (tests/test_environment_sync.py checks them).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
python3 -m venv "$tmp/venv"
"$tmp/venv/bin/python" -m pip install --quiet --upgrade pip
"$tmp/venv/bin/python" -m pip install --quiet -e ".[notebooks,test]"
{
  echo "# Exact versions CI tested. Used as pip constraints by scripts/setup.sh; regenerate with scripts/lock.sh."
  "$tmp/venv/bin/python" -m pip freeze --exclude-editable | grep -v '^-e '
  echo "pip==$("$tmp/venv/bin/python" -m pip --version | cut -d' ' -f2)"
} > constraints.txt
rm -rf "$tmp"
echo "constraints.txt rewritten; now update environment.yml and run the tests."
