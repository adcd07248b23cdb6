"""The published figures and the page's extra data, as rows of text and yaml (no pandas).

``figures.csv`` holds every figure the report prints; ``compare.yaml`` adds what the codebook lacks for this
page (which questions are compared, verbatim key messages and practice examples). Both live in
``data/published/``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from ..core.csv_rows import read_csv_rows
from ..core.paths import published_dir


def figure_rows(path: str | Path | None = None) -> tuple[dict, ...]:
    """Read ``figures.csv`` as a tuple of rows (dicts of text; ``count``, ``base``, ``percent_printed`` int or None).

    The rows the validated table :func:`adass_survey.published.figures.load_figures` is built from (the one reader,
    :func:`adass_survey.core.csv_rows.read_csv_rows`), without pandas; read again only when the file changes.

    Examples
    --------
    >>> rows = figure_rows()
    >>> [(r["count"], r["base"]) for r in rows if r["id"] == "F02-07"]
    [(29, 58)]
    """
    path = Path(path) if path else published_dir() / "figures.csv"
    return _read_figures(str(path), path.stat().st_mtime)


@lru_cache(maxsize=4)
def _read_figures(path: str, mtime: float) -> tuple[dict, ...]:
    rows = read_csv_rows(path)[1]
    for row in rows:
        for key in ("count", "base", "percent_printed"):
            row[key] = int(row[key]) if row.get(key, "").strip() else None
    return tuple(rows)


def errata_by_id(path: str | Path | None = None) -> dict[str, dict]:
    """Read ``errata.csv`` as a dict from erratum id to its row (dicts of text).

    Examples
    --------
    >>> errata_by_id()["E03"]["section"]
    '2.1'
    """
    rows = read_csv_rows(Path(path) if path else published_dir() / "errata.csv")[1]
    return {row["id"]: row for row in rows}


def key_message_links(path: str | Path | None = None) -> list[dict]:
    """Read ``key_messages.csv``: which key message each published figure bears on (dicts of text).

    Examples
    --------
    >>> links = key_message_links()
    >>> sorted({row["message_id"] for row in links if row["figure_id"] == "F10-02"})
    ['12.5']
    """
    return read_csv_rows(Path(path) if path else published_dir() / "key_messages.csv")[1]


def load_extras(path: str | Path | None = None) -> dict:
    """Read ``compare.yaml``: questions left out, theme questions, key message texts and practice examples.

    Examples
    --------
    >>> extras = load_extras()
    >>> sorted(extras["not_compared"])
    ['council_type', 'region']
    >>> extras["practice_examples"][0]["section"]
    '3.2'
    """
    path = Path(path) if path else published_dir() / "compare.yaml"
    with open(path, encoding="utf-8") as handle:
        raw = yaml.safe_load(handle) or {}
    return {
        "not_compared": dict(raw.get("not_compared") or {}),
        "theme_questions": [str(q) for q in raw.get("theme_questions") or []],
        "key_messages": {str(k): " ".join(str(v).split()) for k, v in (raw.get("key_messages") or {}).items()},
        "practice_examples": [
            {
                "section": str(e["section"]),
                "kind": str(e.get("kind", "quoted")),
                "questions": [str(q) for q in e["questions"]],
                "quote": " ".join(str(e["quote"]).split()),
            }
            for e in raw.get("practice_examples") or []
        ],
    }
