"""Write a SYNTHETIC survey-tool export calibrated to reproduce every figure the report publishes.

The report gives only aggregates; no respondent-level data were ever published. This module makes a
respondent-level file in the exact shape a web survey tool exports (see ``docs/data-flow.md``: two
header rows, one column per option of a multi-choice question, cp1252, CRLF), messy like a real
export, and calibrated so that the default cohort (``n=58``, ``seed=2011``) reproduces the published
counts exactly. Targets are data (``data/synth/targets.yaml``), phrasing is data
(``data/synth/phrases.yaml`` and the coding frames' ``examples`` in ``data/codebook.yaml``).

Generation is vectorised: each joint table of closed answers is expanded to its counts and shuffled
(``numpy.random.default_rng``); free-text answers are drawn from a few precomputed templates per
distinct theme set. A million respondents take seconds."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..core.codebook import Question
from .draw import ID_BASE, MISSING, TEXT_VARIANTS, largest_remainder


def _pick(rng: np.random.Generator, variants: list[str], size: int) -> np.ndarray:
    return np.array(variants, dtype=object)[rng.integers(0, len(variants), size=size)]


def _render_by_code(rng: np.random.Generator, codes: np.ndarray, variants: dict[str, list[str]]) -> np.ndarray:
    out = np.empty(len(codes), dtype=object)
    for code in sorted(set(codes.tolist())):
        mask = codes == code
        out[mask] = _pick(rng, variants[code], int(mask.sum()))
    return out


def _spelling_surface(spelling: str) -> str:
    if len(spelling) <= 2:
        return spelling.upper()
    return spelling[0].upper() + spelling[1:]


def _option_variants(question: Question, phrases: dict) -> dict[str, list[str]]:
    """Written forms of each option: its label (``label_share`` of the time) or a spelling."""
    share = float(phrases["label_share"])
    variants = {}
    for option in question.options:
        others = [_spelling_surface(s) for s in option.spellings if s != option.label.lower() and s != option.code]
        weight = max(1, round(share / (1 - share) * max(len(others), 1)))
        variants[option.code] = [option.label] * weight + others
    variants[MISSING] = phrases["missing"]
    return variants


def render_closed(rng: np.random.Generator, question: Question, codes: np.ndarray, phrases: dict) -> np.ndarray:
    if question.type == "yes_no":
        variants = {"yes": phrases["yes_no"]["yes"], "no": phrases["yes_no"]["no"], MISSING: phrases["missing"]}
        if question.id == "on_target":
            variants["no"] = phrases["yes_no"]["on_target_no"]
        return _render_by_code(rng, codes, variants)
    if question.type == "likert5":
        variants = {
            o.code: [f.format(code=o.code, label=o.label, label_lower=o.label.lower()) for f in phrases["likert"]]
            for o in question.options
        }
        variants[MISSING] = phrases["missing"]
        return _render_by_code(rng, codes, variants)
    return _render_by_code(rng, codes, _option_variants(question, phrases))


def render_percent(rng: np.random.Generator, bands: np.ndarray, early: np.ndarray, phrases: dict) -> np.ndarray:
    spec = phrases["percent"]
    formats = spec["formats"]
    table = {v: [f.format(v=v) for f in formats] for v in range(0, 101)}
    out = np.empty(len(bands), dtype=object)
    for band in ("below_60", "60_or_above"):
        mask = bands == band
        low, high = spec[band]
        values = rng.integers(low, high + 1, size=int(mask.sum()))
        if band == "60_or_above":  # those expecting 100% by the end of 2011-12 are nearly there
            values = np.where(early[mask], rng.integers(max(low, 85), high + 1, size=int(mask.sum())), values)
        grid = np.array([table[v] for v in range(low, high + 1)], dtype=object)
        out[mask] = grid[values - low, rng.integers(0, len(formats), size=int(mask.sum()))]
    mask = bands == "insufficient"
    out[mask] = _pick(rng, spec["insufficient"], int(mask.sum()))
    return out


def render_number(rng: np.random.Generator, council_types: np.ndarray, phrases: dict) -> np.ndarray:
    spec = phrases["number"]
    formats = spec["formats"]
    low = min(r[0] for r in spec["ranges"].values())
    high = max(r[1] for r in spec["ranges"].values())
    values = np.zeros(len(council_types), dtype=np.int64)
    for council_type in sorted(spec["ranges"]):
        mask = council_types == council_type
        a, b = spec["ranges"][council_type]
        values[mask] = rng.integers(a, b + 1, size=int(mask.sum()))
    step = np.array(spec["round_to"])[rng.integers(0, len(spec["round_to"]), size=len(values))]
    values = np.clip(np.round(values / step) * step, low, high).astype(np.int64)
    grid = np.array(
        [[f.format(int=v, comma=f"{v:,}") for f in formats] for v in range(low, high + 1)], dtype=object
    )
    out = grid[values - low, rng.integers(0, len(formats), size=len(values))]
    blank = largest_remainder([spec["blank"], 58 - spec["blank"]], len(values))[0]
    out[rng.permutation(len(values))[:blank]] = ""
    return out


def _theme_examples(question: Question) -> dict[str, list[str]]:
    return {t.code: [e.rstrip(". ") for e in t.examples] for t in question.frame}


def render_text(
    rng: np.random.Generator, question: Question, matrix: np.ndarray, phrases: dict, implies: dict[str, list[str]]
) -> np.ndarray:
    """Write each row's answer from its theme set: a few templates per distinct set, drawn at random."""
    codes = [t.code for t in question.frame]
    examples = _theme_examples(question)
    text = phrases["text"]
    answered = matrix.any(axis=1)
    out = np.empty(len(matrix), dtype=object)
    out[~answered] = _pick(rng, phrases["missing"], int((~answered).sum()))
    keys = matrix[answered].astype(np.int64) @ (np.int64(1) << np.arange(len(codes), dtype=np.int64))
    unique_keys, inverse = np.unique(keys, return_inverse=True)
    templates = np.empty((len(unique_keys), TEXT_VARIANTS), dtype=object)
    for u, key in enumerate(unique_keys.tolist()):
        themes = [c for j, c in enumerate(codes) if key >> j & 1]
        implied = {p for t in themes for p in implies.get(t, [])}
        written = [t for t in themes if t not in implied]
        for v in range(TEXT_VARIANTS):
            order = rng.permutation(len(written))
            parts = [examples[written[i]][rng.integers(len(examples[written[i]]))] for i in order]
            joiner = text["joiners"][rng.integers(len(text["joiners"]))]
            prefix = text["prefixes"][rng.integers(len(text["prefixes"]))]
            suffix = text["suffixes"][rng.integers(len(text["suffixes"]))]
            templates[u, v] = prefix + joiner.join(parts) + suffix
    out[answered] = templates[inverse.ravel(), rng.integers(0, TEXT_VARIANTS, size=int(answered.sum()))]
    return out


def place_verbatim(
    question: Question, matrix: np.ndarray, texts: np.ndarray, quotes: list[dict], exact: bool
) -> None:
    """Put each verbatim quote (at most once) on a respondent whose intended themes fit it."""
    codes = [t.code for t in question.frame]
    used = np.zeros(len(matrix), dtype=bool)
    for quote in quotes:
        wanted = np.zeros(len(codes), dtype=bool)
        wanted[[codes.index(t) for t in quote["themes"]]] = True
        covers = matrix[:, wanted].all(axis=1) & ~used
        fits = covers & (matrix == wanted).all(axis=1) if exact else covers
        candidates = np.flatnonzero(fits)
        if not len(candidates):
            continue
        row = candidates[np.argmin(matrix[candidates].sum(axis=1))]
        matrix[row] = wanted
        texts[row] = quote["text"]
        used[row] = True


def render_meta(rng: np.random.Generator, n: int, phrases: dict) -> dict[str, np.ndarray]:
    ids = ID_BASE + np.cumsum(rng.integers(1, 3000, size=n, dtype=np.int64))
    collectors = phrases["collectors"]
    shares = np.array([c["share"] for c in collectors], dtype=float)
    collector = np.array([str(c["id"]) for c in collectors], dtype=object)[
        rng.choice(len(collectors), size=n, p=shares / shares.sum())
    ]
    first = pd.Timestamp(phrases["fieldwork"]["first_day"]) + pd.Timedelta(hours=8)
    last = pd.Timestamp(phrases["fieldwork"]["last_day"]) + pd.Timedelta(hours=18)
    span = int((last - first).total_seconds())
    start = np.sort(rng.integers(0, span, size=n))
    duration = rng.integers(6 * 60, 5 * 3600, size=n)
    fmt = "%d/%m/%Y %H:%M:%S"
    start_at = (first + pd.to_timedelta(start, unit="s")).strftime(fmt)
    end_at = (first + pd.to_timedelta(start + duration, unit="s")).strftime(fmt)
    return {
        "respondent_id": ids.astype(str).astype(object),
        "collector_id": collector,
        "start_date": np.asarray(start_at, dtype=object),
        "end_date": np.asarray(end_at, dtype=object),
    }
