"""The command-line sub-commands ``questionnaire``, ``dictionary`` and ``template`` (called from ``cli.py``)."""

from __future__ import annotations

import os
from pathlib import Path

from ..core.paths import data_dir
from .dictionary import dictionary_csv, dictionary_html
from .questionnaire import questionnaire_html
from .template import write_template


def write_text_atomic(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` (UTF-8) through a temporary file beside it, so a reader never sees half a file.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     write_text_atomic(Path(folder) / "a" / "x.txt", "hello").read_text()
    'hello'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)
    return path


def templates_dir() -> Path:
    """Return the folder the instrument is written to by default (``data/templates``).

    Examples
    --------
    >>> templates_dir().parts[-2:]
    ('data', 'templates')
    """
    return data_dir() / "templates"


def run_questionnaire(args) -> int:
    """Write the printable questionnaire to ``args.out``; return 0.

    Examples
    --------
    >>> import argparse, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     run_questionnaire(argparse.Namespace(out=Path(folder) / "q.html"))
    questionnaire: written q.html
    0
    """
    write_text_atomic(Path(args.out), questionnaire_html())
    print(f"questionnaire: written {Path(args.out).name}")
    return 0


def run_dictionary(args) -> int:
    """Write the data dictionary to ``args.out`` as CSV, HTML or both (``args.format``); return 0.

    Examples
    --------
    >>> import argparse, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     run_dictionary(argparse.Namespace(out=Path(folder) / "d.csv", format="both"))
    dictionary: written d.csv
    dictionary: written d.html
    0
    """
    out = Path(args.out)
    if args.format in ("csv", "both"):
        write_text_atomic(out.with_suffix(".csv"), dictionary_csv())
        print(f"dictionary: written {out.with_suffix('.csv').name}")
    if args.format in ("html", "both"):
        write_text_atomic(out.with_suffix(".html"), dictionary_html())
        print(f"dictionary: written {out.with_suffix('.html').name}")
    return 0


def run_template(args) -> int:
    """Write the blank export template (two header rows) to ``args.out``; return 0.

    Examples
    --------
    >>> import argparse, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     run_template(argparse.Namespace(out=Path(folder) / "t.csv"))
    template: written t.csv (fill in one council per row from row 3, then: python -m adass_survey build --raw FILE)
    0
    """
    write_template(args.out)
    print(
        f"template: written {Path(args.out).name} (fill in one council per row from row 3, then: "
        "python -m adass_survey build --raw FILE)"
    )
    return 0
