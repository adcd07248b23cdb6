"""The published figures and the page's extra data, read with the csv module and yaml (no pandas).

``figures.csv`` holds every figure the report prints; ``compare.yaml`` adds what the codebook lacks for this
page (which questions are compared, verbatim key messages and practice examples). Both live in
``data/published/``.
"""

from __future__ import annotations

import csv
import math
from functools import lru_cache
from pathlib import Path

import yaml

from ..core.paths import published_dir

Z95 = 1.959963984540054
"""The normal quantile of a two-sided 95% interval."""


def load_figures(path: str | Path | None = None) -> tuple[dict, ...]:
    """Read ``figures.csv`` as a tuple of rows (dicts of strings; ``count`` and ``base`` as int or None).

    Examples
    --------
    >>> rows = load_figures()
    >>> [(r["count"], r["base"]) for r in rows if r["id"] == "F02-07"]
    [(29, 58)]
    """
    path = Path(path) if path else published_dir() / "figures.csv"
    return _read_figures(str(path), path.stat().st_mtime)


@lru_cache(maxsize=4)
def _read_figures(path: str, mtime: float) -> tuple[dict, ...]:
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        for key in ("count", "base", "percent_printed"):
            row[key] = int(row[key]) if row.get(key, "").strip() else None
    return tuple(rows)


def load_errata(path: str | Path | None = None) -> dict[str, dict]:
    """Read ``errata.csv`` as a dict from erratum id to its row.

    Examples
    --------
    >>> load_errata()["E03"]["section"]
    '2.1'
    """
    path = Path(path) if path else published_dir() / "errata.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        return {row["id"]: row for row in csv.DictReader(handle)}


def load_key_message_links(path: str | Path | None = None) -> list[dict]:
    """Read ``key_messages.csv``: which key message each published figure bears on.

    Examples
    --------
    >>> links = load_key_message_links()
    >>> sorted({row["message_id"] for row in links if row["figure_id"] == "F10-02"})
    ['12.5']
    """
    path = Path(path) if path else published_dir() / "key_messages.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


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


def percent(count: int, base: int) -> int:
    """Return ``count`` as a whole percentage of ``base``, rounding halves up (as the report does).

    Examples
    --------
    >>> percent(29, 58), percent(55, 58), percent(1, 8)
    (50, 95, 13)
    """
    return math.floor(100 * count / base + 0.5)


def wilson_interval(count: int, base: int) -> tuple[float, float]:
    """Return the Wilson score 95% interval of a proportion, as fractions.

    Examples
    --------
    >>> low, high = wilson_interval(29, 58)
    >>> round(low, 3), round(high, 3)
    (0.375, 0.625)
    >>> wilson_interval(0, 58)[0]
    0.0
    """
    if base <= 0:
        raise ValueError("the base must be positive")
    p = count / base
    z2 = Z95 * Z95
    centre = (p + z2 / (2 * base)) / (1 + z2 / base)
    half = Z95 * math.sqrt(p * (1 - p) / base + z2 / (4 * base * base)) / (1 + z2 / base)
    return max(0.0, centre - half), min(1.0, centre + half)
