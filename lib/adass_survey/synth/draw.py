"""Draw what each synthetic respondent answers, from the calibration targets (no text written here).

Targets are data (``data/synth/targets.yaml``): each joint table of closed answers is expanded to
its counts by largest-remainder rounding and shuffled (``numpy.random.default_rng``); each
multi-choice option is ticked for its target count; each free-text question gets a matrix of the
themes its answers are to carry. Vectorised: a million respondents take seconds."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from ..core.codebook import Codebook, Question
from ..core.paths import data_dir

TEXT_VARIANTS = 4


ID_BASE = 1_650_000_000


META_BLANK = {"id", "meta"}


@dataclass(frozen=True)
class Synthetic:
    """A synthetic cohort: the export and the themes each free-text answer was written to carry.

    Attributes
    ----------
    export : the export as strings; columns are a two-level index (header row 1, header row 2)
    intended : tidy ``respondent_id, question_id, theme`` rows, the themes each answer was built from
    """

    export: pd.DataFrame
    intended: pd.DataFrame


def synth_dir() -> Path:
    """Return the folder of the generator's targets and phrase banks (``data/synth``).

    Examples
    --------
    >>> sorted(p.name for p in synth_dir().glob("*.yaml"))
    ['phrases.yaml', 'targets.yaml']
    """
    return data_dir() / "synth"


def load_yaml(name: str) -> dict:
    """Read one YAML file of ``data/synth`` (``targets.yaml`` or ``phrases.yaml``).

    Examples
    --------
    >>> load_yaml("targets.yaml")["reference_n"]
    58
    """
    with open(synth_dir() / name, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def largest_remainder(weights, total: int) -> np.ndarray:
    """Share ``total`` out in proportion to ``weights``, rounding by largest remainder.

    Parameters
    ----------
    weights : non-negative numbers
    total : the whole number to share out

    Returns
    -------
    numpy.ndarray of int summing to ``total`` (ties go to the earlier weight)

    Examples
    --------
    >>> largest_remainder([29, 23, 6], 58).tolist()
    [29, 23, 6]
    >>> largest_remainder([29, 23, 6], 100).tolist()
    [50, 40, 10]
    >>> int(largest_remainder([1, 1, 1], 10).sum())
    10
    """
    weights = np.asarray(weights, dtype=float)
    if total == 0 or weights.sum() == 0:
        return np.zeros(len(weights), dtype=int)
    quotas = weights * total / weights.sum()
    counts = np.floor(quotas).astype(int)
    remainder = total - counts.sum()
    order = np.argsort(-(quotas - counts), kind="stable")
    counts[order[:remainder]] += 1
    return counts


def export_columns(codebook: Codebook) -> list[tuple[str, str | None, str, str]]:
    """List the export's columns in codebook order.

    Returns
    -------
    list of ``(question_id, option_code or None, header row 1, header row 2)``

    Examples
    --------
    >>> from adass_survey.core.codebook import load_codebook
    >>> cols = export_columns(load_codebook())
    >>> cols[0]
    ('respondent_id', None, 'Respondent ID', '')
    >>> [c[3] for c in cols if c[0] == "market_rating"]
    ['Response']
    """
    columns = []
    for q in codebook.questions:
        if q.type == "multi":
            for i, option in enumerate(q.options):
                columns.append((q.id, option.code, q.header if i == 0 else "", option.label))
        elif q.type in META_BLANK:
            columns.append((q.id, None, q.header, ""))
        elif q.type in ("text", "number", "percent_text"):
            columns.append((q.id, None, q.header, "Open-Ended Response"))
        else:
            columns.append((q.id, None, q.header, "Response"))
    return columns


def draw_tables(rng: np.random.Generator, tables: list[dict], n: int, reference_n: int) -> dict[str, np.ndarray]:
    """Expand each joint table to ``n`` rows (largest remainder) and shuffle it.

    Parameters
    ----------
    rng : the generator's random numbers
    tables : the ``tables`` of ``targets.yaml``: ``columns`` and ``rows`` (codes, then the count)
    n : number of respondents
    reference_n : the cohort the counts are for (58); at that n the counts are taken as they are

    Returns
    -------
    dict of column -> numpy.ndarray of ``n`` option codes (``__missing__`` for no answer)

    Examples
    --------
    >>> from collections import Counter
    >>> tables = [{"columns": ["on_target"], "rows": [["yes", 55], ["no", 3]]}]
    >>> drawn = draw_tables(np.random.default_rng(0), tables, 116, 58)
    >>> sorted(Counter(drawn["on_target"].tolist()).items())
    [('no', 6), ('yes', 110)]
    """
    closed: dict[str, np.ndarray] = {}
    for table in tables:
        rows = table["rows"]
        counts = largest_remainder([r[-1] for r in rows], n) if n != reference_n else np.array([r[-1] for r in rows])
        if counts.sum() != n:
            raise ValueError(f"targets table {table['columns']} sums to {counts.sum()}, not {n}")
        which = rng.permutation(np.repeat(np.arange(len(rows)), counts))
        for j, column in enumerate(table["columns"]):
            values = np.array([str(r[j]) for r in rows], dtype=object)
            closed[column] = values[which]
    return closed


def draw_multi(rng: np.random.Generator, spec: dict, n: int) -> dict[str, np.ndarray]:
    """Tick each option of a multi-choice question for its share of ``n`` respondents, at random.

    ``spec`` is one entry of ``multi`` in ``targets.yaml``: ``base`` and the ``ticked`` count per option.

    Examples
    --------
    >>> spec = {"base": 58, "ticked": {"carers": 41, "older_people": 58}}
    >>> ticked = draw_multi(np.random.default_rng(0), spec, 58)
    >>> {code: int(mask.sum()) for code, mask in ticked.items()}
    {'carers': 41, 'older_people': 58}
    """
    ticked = {}
    for code, count in spec["ticked"].items():
        k = int(largest_remainder([count, spec["base"] - count], n)[0])
        mask = np.zeros(n, dtype=bool)
        mask[rng.permutation(n)[:k]] = True
        ticked[code] = mask
    return ticked


def _parse_profile(profile: str) -> tuple[str, ...]:
    return tuple(t for t in str(profile).split("+") if t)


def draw_text_themes(
    rng: np.random.Generator, question: Question, spec: dict, closed: dict[str, np.ndarray], n: int, reference_n: int
) -> np.ndarray:
    """Return the intended theme matrix (n x themes) of one text question; all-False rows are blank.

    ``spec`` is the question's entry of ``text`` in ``targets.yaml``: either joint ``profiles`` or
    per-theme counts among the ``answered`` (a row left with no theme gets the ``fallback``), for
    the respondents ``only_if`` picks out of ``closed`` (the drawn closed answers).

    Examples
    --------
    >>> from adass_survey.core.codebook import load_codebook
    >>> spec = {"answered": 58, "themes": {"sla_contract": 58, "internal_team": 20}, "fallback": "sla_contract"}
    >>> question = load_codebook()["advisory_how"]
    >>> matrix = draw_text_themes(np.random.default_rng(0), question, spec, {}, 58, 58)
    >>> matrix.shape, matrix.sum(axis=0).tolist()[:2]
    ((58, 5), [58, 20])
    """
    codes = [t.code for t in question.frame]
    matrix = np.zeros((n, len(codes)), dtype=bool)
    eligible = np.ones(n, dtype=bool)
    for column, value in spec.get("only_if", {}).items():
        eligible &= closed[column] == str(value)
    eligible_rows = np.flatnonzero(eligible)
    m = len(eligible_rows)
    if "profiles" in spec:
        profiles = [_parse_profile(p) for p, _ in spec["profiles"]]
        counts = largest_remainder([c for _, c in spec["profiles"]], m)
        which = rng.permutation(np.repeat(np.arange(len(profiles)), counts))
        for k, themes in enumerate(profiles):
            rows = eligible_rows[which == k]
            for theme in themes:
                matrix[rows, codes.index(theme)] = True
        return matrix
    # the base of `answered`: the whole reference cohort, or all the eligible when `only_if` is set
    base = int(spec.get("base", spec["answered"] if spec.get("only_if") else reference_n))
    answered_n = int(largest_remainder([spec["answered"], base - spec["answered"]], m)[0])
    answered = rng.permutation(eligible_rows)[:answered_n]
    for theme, count in spec["themes"].items():
        k = min(int(largest_remainder([count, spec["answered"] - count], answered_n)[0]), answered_n)
        matrix[rng.permutation(answered)[:k], codes.index(theme)] = True
    empty = answered[~matrix[answered].any(axis=1)]
    matrix[empty, codes.index(spec["fallback"])] = True
    return matrix
