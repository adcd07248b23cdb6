"""Write a SYNTHETIC survey-tool export calibrated to reproduce every figure the report publishes.

The report gives only aggregates; no respondent-level data were ever published. This module makes a
respondent-level file in the exact shape a web survey tool exports (see ``docs/data-flow.md``: two
header rows, one column per option of a multi-choice question, cp1252, CRLF), messy like a real
export, and calibrated so that the default cohort (``n=58``, ``seed=2011``) reproduces the published
counts exactly. Targets are data (``data/synth/targets.yaml``), phrasing is data
(``data/synth/phrases.yaml`` and the coding frames' ``examples`` in ``data/codebook.yaml``).

Generation is vectorised: each joint table of closed answers is expanded to its counts and shuffled
(``numpy.random.default_rng``); free-text answers are drawn from a few precomputed templates per
distinct theme set. A million respondents take seconds.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from . import SYNTHETIC_NOTICE
from .codebook import Codebook, Question, load_codebook
from .paths import data_dir, project_root

MISSING = "__missing__"
TEXT_VARIANTS = 4
_ID_BASE = 1_650_000_000
_META_BLANK = {"id", "meta"}


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


def _load_yaml(name: str) -> dict:
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
        elif q.type in _META_BLANK:
            columns.append((q.id, None, q.header, ""))
        elif q.type in ("text", "number", "percent_text"):
            columns.append((q.id, None, q.header, "Open-Ended Response"))
        else:
            columns.append((q.id, None, q.header, "Response"))
    return columns


# --------------------------------------------------------------------------------------- drawing


def _draw_tables(rng: np.random.Generator, tables: list[dict], n: int, reference_n: int) -> dict[str, np.ndarray]:
    """Expand each joint table to ``n`` rows (largest remainder) and shuffle it."""
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


def _draw_multi(rng: np.random.Generator, spec: dict, n: int) -> dict[str, np.ndarray]:
    ticked = {}
    for code, count in spec["ticked"].items():
        k = int(largest_remainder([count, spec["base"] - count], n)[0])
        mask = np.zeros(n, dtype=bool)
        mask[rng.permutation(n)[:k]] = True
        ticked[code] = mask
    return ticked


def _parse_profile(profile: str) -> tuple[str, ...]:
    return tuple(t for t in str(profile).split("+") if t)


def _draw_text_themes(
    rng: np.random.Generator, question: Question, spec: dict, closed: dict[str, np.ndarray], n: int, reference_n: int
) -> np.ndarray:
    """Return the intended theme matrix (n x themes) of one text question; all-False rows are blank."""
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


# ------------------------------------------------------------------------------------- rendering


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


def _render_closed(rng: np.random.Generator, question: Question, codes: np.ndarray, phrases: dict) -> np.ndarray:
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


def _render_percent(rng: np.random.Generator, bands: np.ndarray, early: np.ndarray, phrases: dict) -> np.ndarray:
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


def _render_number(rng: np.random.Generator, council_types: np.ndarray, phrases: dict) -> np.ndarray:
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


def _render_text(
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


def _place_verbatim(
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


# ----------------------------------------------------------------------------------------- meta


def _render_meta(rng: np.random.Generator, n: int, phrases: dict) -> dict[str, np.ndarray]:
    ids = _ID_BASE + np.cumsum(rng.integers(1, 3000, size=n, dtype=np.int64))
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


# ------------------------------------------------------------------------------------ the cohort


def generate(n: int = 58, seed: int = 2011, codebook: Codebook | None = None, intended: bool = True) -> Synthetic:
    """Generate a synthetic cohort and the themes its free-text answers were written to carry.

    Parameters
    ----------
    n : number of respondents; 58 reproduces the report's counts exactly, another n keeps the
        proportions (largest-remainder rounding of every target)
    seed : seed of ``numpy.random.default_rng``; the same (n, seed) always gives the same cohort
    codebook : the questionnaire (default ``data/codebook.yaml``)
    intended : also return the intended themes (skip for a large n to save memory)

    Returns
    -------
    Synthetic

    Examples
    --------
    >>> cohort = generate(58, 2011)
    >>> cohort.export.shape[0]
    58
    >>> sorted(cohort.intended.columns)
    ['question_id', 'respondent_id', 'theme']
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    codebook = codebook or load_codebook()
    targets = _load_yaml("targets.yaml")
    phrases = _load_yaml("phrases.yaml")
    reference_n = int(targets["reference_n"])
    rng = np.random.default_rng(seed)

    closed = _draw_tables(rng, targets["tables"], n, reference_n)
    meta = _render_meta(rng, n, phrases)
    implies = {"brokerage_in_house": ["hourly_unit_cost"], "brokerage_external": ["hourly_unit_cost"]}
    verbatim: dict[str, list[dict]] = {}
    for quote in phrases.get("verbatim", []):
        verbatim.setdefault(quote["question"], []).append(quote)

    cells: dict[tuple[str, str | None], np.ndarray] = {}
    wanted_themes = []
    for q in codebook.questions:
        if q.type in _META_BLANK:
            cells[(q.id, None)] = meta[q.id]
        elif q.type in ("single", "yes_no", "likert5"):
            cells[(q.id, None)] = _render_closed(rng, q, closed[q.id], phrases)
        elif q.type == "percent_text":
            bands = closed[q.id].copy()
            text = _render_percent(rng, bands, closed["full_take_up_year"] == "2011_12", phrases)
            text[closed["strategy"] == MISSING] = ""
            cells[(q.id, None)] = text
        elif q.type == "number":
            cells[(q.id, None)] = _render_number(rng, closed["council_type"], phrases)
        elif q.type == "multi":
            ticked = _draw_multi(rng, targets["multi"][q.id], n)
            for option in q.options:
                cells[(q.id, option.code)] = np.where(ticked[option.code], option.label, "").astype(object)
        elif q.type == "text":
            spec = targets["text"][q.id]
            matrix = _draw_text_themes(rng, q, spec, closed, n, reference_n)
            texts = _render_text(rng, q, matrix, phrases, implies)
            _place_verbatim(q, matrix, texts, verbatim.get(q.id, []), exact="profiles" in spec)
            cells[(q.id, None)] = texts
            if not intended:
                continue
            rows, cols = np.nonzero(matrix)
            wanted_themes.append(
                pd.DataFrame(
                    {
                        "respondent_id": meta["respondent_id"][rows].astype(np.int64),
                        "question_id": q.id,
                        "theme": np.array([t.code for t in q.frame], dtype=object)[cols],
                    }
                )
            )
    columns = export_columns(codebook)
    export = pd.DataFrame(
        {i: cells[(qid, option)] for i, (qid, option, _, _) in enumerate(columns)}, index=pd.RangeIndex(n), dtype=object
    )  # object, not arrow strings: cells share a few template strings, so a million rows stay small
    export.columns = pd.MultiIndex.from_tuples([(c[2], c[3]) for c in columns], names=["header", "subheader"])
    if not wanted_themes:
        return Synthetic(export=export, intended=pd.DataFrame(columns=["respondent_id", "question_id", "theme"]))
    return Synthetic(export=export, intended=pd.concat(wanted_themes, ignore_index=True))


def synthesize(n: int = 58, seed: int = 2011) -> pd.DataFrame:
    """Return a SYNTHETIC export as strings (columns: the two header rows as a two-level index).

    Parameters
    ----------
    n : number of respondents (58 reproduces every published count)
    seed : random seed

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> frame = synthesize()
    >>> frame.shape[0], frame.columns[0]
    (58, ('Respondent ID', ''))
    >>> int((frame.xs("Which region is your council in?", axis=1, level=0).iloc[:, 0] != "").sum())
    58
    """
    return generate(n, seed, intended=False).export


def answers_by_question(frame: pd.DataFrame, codebook: Codebook | None = None) -> pd.DataFrame:
    """Name an export's columns by question id (``<id>__<option>`` for a multi-choice option).

    The export's columns must be in codebook order, as :func:`synthesize` writes them.

    Examples
    --------
    >>> answers_by_question(synthesize(5, 1)).columns[:3].tolist()
    ['respondent_id', 'collector_id', 'start_date']
    """
    codebook = codebook or load_codebook()
    names = [qid if option is None else f"{qid}__{option}" for qid, option, _, _ in export_columns(codebook)]
    named = frame.copy()
    named.columns = names
    return named


def write_export(frame: pd.DataFrame, path: str | Path, encoding: str = "cp1252") -> Path:
    """Write an export with its two header rows: CSV (CRLF, minimal quoting) or ``.xlsx`` by suffix.

    The file is written next to its destination and renamed into place, so a failed write leaves
    nothing half-written.

    Parameters
    ----------
    frame : an export as returned by :func:`synthesize`
    path : destination (``.csv`` or ``.xlsx``)
    encoding : text encoding of a CSV (default cp1252, as the survey tool writes)

    Returns
    -------
    pathlib.Path of the written file

    Examples
    --------
    >>> import tempfile
    >>> out = write_export(synthesize(3, 1), Path(tempfile.mkdtemp()) / "export.csv")
    >>> out.read_bytes().split(b"\\r\\n")[1].startswith(b",,,,")
    True
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    header1 = [str(c[0]) for c in frame.columns]
    header2 = [str(c[1]) for c in frame.columns]
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        if path.suffix.lower() == ".xlsx":
            rows = pd.DataFrame([header1, header2] + frame.to_numpy().tolist())
            rows.to_excel(tmp, header=False, index=False, engine="openpyxl")
        else:
            with open(tmp, "w", encoding=encoding, newline="") as handle:
                writer = csv.writer(handle, lineterminator="\r\n")
                writer.writerow(header1)
                writer.writerow(header2)
                frame.to_csv(handle, header=False, index=False, lineterminator="\r\n")
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(project_root()))
    except ValueError:
        return str(path)


def run_synth(args) -> int:
    """Command line: ``python -m adass_survey synth [--n N] [--seed S] [--out FILE] [--encoding E]``.

    Examples
    --------
    >>> import argparse, tempfile
    >>> out = Path(tempfile.mkdtemp()) / "x.csv"
    >>> run_synth(argparse.Namespace(n=4, seed=1, out=out, encoding="cp1252"))  # doctest: +ELLIPSIS
    wrote 4 SYNTHETIC respondents ...
    0
    """
    frame = synthesize(args.n, args.seed)
    out = write_export(frame, args.out, encoding=args.encoding)
    print(f"wrote {len(frame)} SYNTHETIC respondents (seed {args.seed}) to {_shown(out)}")
    print(f"SYNTHETIC: {SYNTHETIC_NOTICE}")
    return 0
