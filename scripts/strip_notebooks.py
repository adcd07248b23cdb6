"""Drop the volatile metadata from the notebooks and keep their outputs (nbval compares them), so diffs stay readable.

Run after executing notebooks (pre-commit does the same on each commit; tests/test_notebooks_clean.py checks it):

    .venv/bin/python scripts/strip_notebooks.py            # every notebooks/*.ipynb, in place
    .venv/bin/python scripts/strip_notebooks.py --check    # list the notebooks that need it; exit 1 if any

The same as nbstripout's command line with the options of .pre-commit-config.yaml:

    .venv/bin/nbstripout --keep-output --keep-count --keep-id --extra-keys "metadata.language_info.version" notebooks/*.ipynb

Dropped: widget state (``metadata.widgets``), execution timings (``cell.metadata.execution``), the Python patch
version, and nbstripout's other defaults (signature, collapsed, scrolled, ...). Kept: every output, execution counts
(nbval refuses a cell with outputs and no count: "Unrun reference cell has outputs"), cell ids (stable, not volatile),
``kernelspec`` and ``title`` (Voilà and the page template use them).
"""

from __future__ import annotations

import argparse
import copy
import sys
from pathlib import Path

import nbformat
from nbstripout import strip_output

ROOT = Path(__file__).resolve().parents[1]

# nbstripout's built-in extra keys (its command line always adds them) and ours, after them.
NBSTRIPOUT_DEFAULT_KEYS = (
    "metadata.signature",
    "metadata.widgets",
    "cell.metadata.collapsed",
    "cell.metadata.ExecuteTime",
    "cell.metadata.execution",
    "cell.metadata.heading_collapsed",
    "cell.metadata.hidden",
    "cell.metadata.scrolled",
)
OUR_KEYS = ("metadata.language_info.version",)
EXTRA_KEYS = NBSTRIPOUT_DEFAULT_KEYS + OUR_KEYS


def strip(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A stripped copy of a notebook: outputs, execution counts and cell ids kept, volatile metadata dropped."""
    return strip_output(copy.deepcopy(nb), keep_output=True, keep_count=True, keep_id=True,
                        extra_keys=list(EXTRA_KEYS))


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
