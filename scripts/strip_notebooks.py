"""Drop the volatile metadata from the notebooks and keep their outputs (nbval compares them), so diffs stay readable.

Run after executing notebooks (pre-commit does the same on each commit; tests/test_notebooks_clean.py checks it):

    .venv/bin/python scripts/strip_notebooks.py            # every notebooks/*.ipynb, in place
    .venv/bin/python scripts/strip_notebooks.py --check    # list the notebooks that need it; exit 1 if any

What is dropped and what is kept is defined once, in ``adass_survey.core.notebook_clean`` (JupyterLab's save hook
uses the same function): nbstripout's command line with the options of .pre-commit-config.yaml,

    .venv/bin/nbstripout --keep-output --keep-count --keep-id --extra-keys "metadata.language_info.version" notebooks/*.ipynb

and each widget view's id made stable.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

from adass_survey.core.notebook_clean import EXTRA_KEYS, strip

ROOT = Path(__file__).resolve().parents[1]
__all__ = ["EXTRA_KEYS", "main", "strip"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks (default: notebooks/*.ipynb)")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a notebook needs stripping")
    args = parser.parse_args(argv)
    paths = args.paths or sorted((ROOT / "notebooks").glob("*.ipynb"))
    changed = []
    for path in paths:
        nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
        stripped = strip(nb)
        if stripped != nb:
            changed.append(path)
            if not args.check:
                nbformat.write(stripped, path)
    verb = "need stripping" if args.check else "stripped"
    for path in changed:
        print(f"{verb}: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
