"""Turn the strings of a raw export into typed, coded respondents; quarantine faulty rows with reasons.

Answers are compared after trimming, collapsing inner white space and folding case, against the
codebook's spellings. A row with any row-level fault (unknown option, a value belonging to another
column, an impossible value, a missing id or required answer, a structural fault found while
reading) is quarantined whole: one line of ``quarantine.csv`` per fault, none of it in the
respondents. Every raw row ends up in exactly one of the two.

Each column is cleaned by mapping its *distinct* values through a dictionary, so a million rows
cost little more than the number of distinct answers.
"""

from __future__ import annotations

import difflib
import re
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd

from .codebook import Codebook, Question, normalise_spelling
from .load import RawExport, column_specs

THREADED_MIN_ROWS = 50_000
"""Exports with at least this many rows spread their cleaned text over the rows on worker threads."""

QUARANTINE_COLUMNS = ["source_row", "respondent_id", "column", "value", "reason", "suggestion"]

REASON_UNKNOWN_OPTION = "unknown option"
REASON_OTHER_COLUMN = "value belongs to another column"
REASON_IMPOSSIBLE = "impossible value"
REASON_MISSING_ID = "missing respondent id"
REASON_BAD_ID = "respondent id is not a whole number"
REASON_MISSING_REQUIRED = "missing required answer"

TICK_MARKS = frozenset({"x", "✓", "✔", "ticked", "selected"})
_THOUSANDS = re.compile(r"(?<=\d)[,\u00a0 ](?=\d{3}(?!\d))")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_NUMBER_K = re.compile(r"(\d+(?:\.\d+)?)(\s*k\b)?")
_RANGE = re.compile(r"(\d+(?:\.\d+)?)\s*(k\b)?\s*(?:-|–|to|and)\s*(\d+(?:\.\d+)?)\s*(k\b)?")
_NEGATIVE = re.compile(r"(?:^|[^\d\s])\s*[-−]\s*\d")
_PERCENT = re.compile(r"(-?\d+(?:\.\d+)?)\s*(?:%|per\s*cent|percent)")
_LEADING_INTEGER = re.compile(r"^[-+]?\d+(?:\.\d+)?\b")


@dataclass
class CleanResult:
    """Clean respondents, the quarantine (one row per fault) and notes for the build log."""

    respondents: pd.DataFrame
    quarantine: pd.DataFrame
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Verdict:
    """What cleaning makes of one distinct raw answer."""

    value: object = None
    fault: str | None = None
    suggestion: str = ""
    note: str | None = None


# --- single answers --------------------------------------------------------------------------------


def parse_number(text: str, low: float | None = None, high: float | None = None) -> Verdict:
    """Read a hand-written count such as ``approx 12,000``, ``c.4500`` or ``15000+``.

    A range gives its midpoint; several numbers give the first. No number gives missing with a
    note; a negative number or one outside ``low``..``high`` is an impossible value (a fault).

    Examples
    --------
    >>> parse_number("approx 12,000").value, parse_number("c.4500").value, parse_number("15000+").value
    (12000.0, 4500.0, 15000.0)
    >>> parse_number("10,000 - 12,000").value
    11000.0
    >>> parse_number("not known").note
    'no usable number'
    >>> parse_number("-40").fault
    'impossible value: a negative count'
    >>> parse_number("250000", 0, 100000).fault
    'impossible value: 250000 is above the maximum 100000'
    """
    folded = _THOUSANDS.sub("", normalise_spelling(text))
    note = None
    match = _RANGE.search(folded)
    if not match and _NEGATIVE.search(folded):
        return Verdict(fault=f"{REASON_IMPOSSIBLE}: a negative count")
    if match:
        first = float(match.group(1)) * (1000 if match.group(2) else 1)
        second = float(match.group(3)) * (1000 if match.group(4) else 1)
        value = (first + second) / 2
        note = "a range; its midpoint used"
    else:
        numbers = _NUMBER_K.findall(folded)
        if not numbers:
            return Verdict(note="no usable number")
        value = float(numbers[0][0]) * (1000 if numbers[0][1] else 1)
        if len(numbers) > 1:
            note = "several numbers; the first used"
    if low is not None and value < low:
        return Verdict(fault=f"{REASON_IMPOSSIBLE}: {value:g} is below the minimum {low:g}")
    if high is not None and value > high:
        return Verdict(fault=f"{REASON_IMPOSSIBLE}: {value:g} is above the maximum {high:g}")
    return Verdict(value=value, note=note)


def parse_percent(text: str) -> float | None:
    """Read the first percentage (or, failing that, the first number) in a text, if within 0–100.

    Examples
    --------
    >>> parse_percent("About 45% of eligible people"), parse_percent("62.5"), parse_percent("1,200 people")
    (45.0, 62.5, None)
    >>> parse_percent("not known") is None
    True
    """
    folded = _THOUSANDS.sub("", normalise_spelling(text))
    match = _PERCENT.search(folded)
    if match:
        number = float(match.group(1))
    else:
        numbers = _NUMBER.findall(folded)
        if not numbers or _NEGATIVE.search(folded):
            return None
        number = float(numbers[0])
    return number if 0 <= number <= 100 else None


def band_of(value: float, question: Question) -> str:
    """Band code of a percentage (the unbanded code when ``value`` is missing).

    Examples
    --------
    >>> from adass_survey.codebook import load_codebook
    >>> q = load_codebook()["take_up"]
    >>> band_of(59.9995, q), band_of(60, q), band_of(float("nan"), q)
    ('below_60', '60_or_above', 'insufficient')
    """
    unbanded = question.unbanded.code if question.unbanded else ""
    if value is None or value != value:
        return unbanded
    for band in question.bands:
        if band.min <= value <= band.max:
            return band.code
    below = [b for b in question.bands if b.min <= value]
    return max(below, key=lambda b: b.min).code if below else unbanded


# --- per-question classifiers ----------------------------------------------------------------------


def _spelling_map(question: Question) -> dict[str, str]:
    return {spelling: option.code for option in question.options for spelling in (*option.spellings, option.code)}


def _other_column_map(question: Question, codebook: Codebook) -> dict[str, str]:
    """Spellings that are answers to another single-choice question (e.g. a region in council_type)."""
    own = _spelling_map(question)
    other: dict[str, str] = {}
    for q in codebook.of_type("single"):
        if q.id == question.id:
            continue
        for spelling in _spelling_map(q):
            if spelling not in own and not spelling.isdigit():
                other.setdefault(spelling, q.id)
    return other


def _closed_classifier(question: Question, codebook: Codebook) -> Callable[[str], Verdict]:
    spellings = _spelling_map(question)
    labels = {o.code: o.label for o in question.options}
    other = _other_column_map(question, codebook)
    missing = codebook.missing_values
    choices = list(spellings)

    def classify(raw: str) -> Verdict:
        folded = normalise_spelling(raw)
        if folded in missing:
            if question.required:
                return Verdict(fault=REASON_MISSING_REQUIRED)
            return Verdict()
        if folded in spellings:
            return Verdict(value=spellings[folded])
        if folded in other:
            close = difflib.get_close_matches(folded, choices, n=1, cutoff=0.5)
            return Verdict(
                fault=f"{REASON_OTHER_COLUMN} ({other[folded]})",
                suggestion=labels[spellings[close[0]]] if close else "",
            )
        if question.type == "likert5" and _LEADING_INTEGER.match(folded):
            return Verdict(fault=f"{REASON_IMPOSSIBLE}: {raw.strip()} is outside the five-point scale 1-5")
        close = difflib.get_close_matches(folded, choices, n=1, cutoff=0.6)
        return Verdict(fault=REASON_UNKNOWN_OPTION, suggestion=labels[spellings[close[0]]] if close else "")

    return classify


def _multi_classifier(question: Question, option_code: str, codebook: Codebook) -> Callable[[str], Verdict]:
    option = next(o for o in question.options if o.code == option_code)
    ticked = {normalise_spelling(option.label), option.code, *TICK_MARKS, *codebook.yes_no_spellings.get("yes", ())}
    unticked = set(codebook.yes_no_spellings.get("no", ())) | set(codebook.missing_values)
    siblings = {normalise_spelling(o.label): question.multi_column(o.code) for o in question.options if o is not option}

    def classify(raw: str) -> Verdict:
        folded = normalise_spelling(raw)
        if folded in ticked:
            return Verdict(value=True)
        if folded in unticked:
            return Verdict(value=False)
        if folded in siblings:
            return Verdict(fault=f"{REASON_OTHER_COLUMN} ({siblings[folded]})", suggestion=option.label)
        close = difflib.get_close_matches(folded, [normalise_spelling(option.label)], n=1, cutoff=0.6)
        return Verdict(fault=REASON_UNKNOWN_OPTION, suggestion=option.label if close else "")

    return classify


def _number_classifier(question: Question, codebook: Codebook) -> Callable[[str], Verdict]:
    missing = codebook.missing_values

    def classify(raw: str) -> Verdict:
        if normalise_spelling(raw) in missing:
            return Verdict()
        return parse_number(raw, question.min, question.max)

    return classify


# --- the cleaning of a whole export ---------------------------------------------------------------


class _Faults:
    """Collects quarantine rows column by column as small frames."""

    def __init__(self) -> None:
        self.parts: list[pd.DataFrame] = []

    def add(self, rows: pd.Series, column: str, values, reasons, suggestions) -> None:
        self.parts.append(
            pd.DataFrame(
                {
                    "source_row": np.asarray(rows, dtype=np.int64),
                    "column": column,
                    "value": list(values),
                    "reason": list(reasons),
                    "suggestion": list(suggestions),
                }
            )
        )

    def frame(self, ids: pd.Series, source_rows: pd.Series) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame({c: pd.Series(dtype="int64" if c == "source_row" else "str") for c in QUARANTINE_COLUMNS})
        faults = pd.concat(self.parts, ignore_index=True)
        id_of_row = pd.Series(ids.to_numpy(), index=source_rows.to_numpy())
        faults["respondent_id"] = faults["source_row"].map(id_of_row).fillna("").astype("str")
        faults = faults.sort_values(["source_row", "column"], kind="stable").reset_index(drop=True)
        return faults[QUARANTINE_COLUMNS]


def _apply(values: pd.Series, classify: Callable[[str], Verdict]) -> tuple[np.ndarray, list[Verdict]]:
    """Classify each distinct value once; return (index of each row's verdict, verdicts).

    The last verdict stands for a missing cell (never produced by the loader, kept for safety).
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    verdicts = [classify(str(u)) for u in uniques]
    verdicts.append(Verdict())
    return codes, verdicts


def _take(verdicts: list[Verdict], codes: np.ndarray, dtype, empty) -> np.ndarray:
    """Spread the verdicts' values over the rows, ``empty`` standing for a missing value."""
    table = np.array([empty if v.value is None else v.value for v in verdicts], dtype=dtype)
    return table[codes]


def _take_text(verdicts: list[Verdict], codes: np.ndarray, empty, index: pd.Index) -> pd.Series:
    """Spread the verdicts' text values over the rows as a ``str`` column.

    The few distinct values become a ``str`` array first and are then taken row by row, so no
    Python string object is made per row (a million rows cost what the distinct values cost).
    """
    table = pd.array([empty if v.value is None else v.value for v in verdicts], dtype="str")
    return pd.Series(table.take(codes), index=index)


def _record_faults(faults: _Faults, frame: pd.DataFrame, key: str, codes: np.ndarray, verdicts: list[Verdict]) -> None:
    bad = [i for i, v in enumerate(verdicts) if v.fault]
    if not bad:
        return
    mask = np.isin(codes, bad)
    hit = codes[mask]
    faults.add(
        frame["source_row"].to_numpy()[mask],
        key,
        frame[key].to_numpy()[mask],
        [verdicts[i].fault for i in hit],
        [verdicts[i].suggestion for i in hit],
    )


def _record_notes(notes: list[str], frame: pd.DataFrame, key: str, codes: np.ndarray, verdicts: list[Verdict]) -> None:
    kinds: dict[str, list[int]] = {}
    for i, verdict in enumerate(verdicts):
        if verdict.note and not verdict.fault:
            kinds.setdefault(verdict.note, []).append(i)
    for note, indexes in kinds.items():
        rows = frame["source_row"].to_numpy()[np.isin(codes, indexes)]
        shown = ", ".join(str(r) for r in rows[:10]) + (f" and {len(rows) - 10} more" if len(rows) > 10 else "")
        effect = "set to missing" if note == "no usable number" else "read as a number"
        notes.append(f"{key}: {len(rows)} answer(s) with {note} ({effect}; rows {shown})")


def _clean_ids(frame: pd.DataFrame, key: str, faults: _Faults) -> pd.Series:
    ids = frame[key].str.strip()
    empty = ids == ""
    whole = ids.str.fullmatch(r"\d{1,18}")
    bad = ~empty & ~whole
    for mask, reason in ((empty, REASON_MISSING_ID), (bad, REASON_BAD_ID)):
        if mask.any():
            faults.add(frame.loc[mask, "source_row"], key, frame.loc[mask, key], [reason] * int(mask.sum()), [""] * int(mask.sum()))
    return pd.to_numeric(ids.where(whole, "-1"), errors="coerce").astype("int64")


def clean(raw: RawExport, codebook: Codebook) -> CleanResult:
    """Clean a raw export: typed respondents plus a quarantine of faulty rows.

    Parameters
    ----------
    raw : the export as read by :func:`adass_survey.load.read_export`
    codebook : the questionnaire

    Returns
    -------
    CleanResult
        ``respondents`` with the processed columns of ``docs/data-flow.md``; ``quarantine`` with one
        row per fault (``source_row, respondent_id, column, value, reason, suggestion``); ``notes``.

    Examples
    --------
    >>> import pandas as pd
    >>> from adass_survey.codebook import load_codebook
    >>> from adass_survey.load import RawExport
    >>> frame = pd.DataFrame({"respondent_id": ["1", "2"], "region": ["north-east", "Londn"],
    ...                       "council_type": ["County", "London"], "source_row": [3, 4]})
    >>> result = clean(RawExport("x.csv", frame, "utf-8", ","), load_codebook())
    >>> result.respondents[["respondent_id", "region", "council_type"]].values.tolist()
    [[1, 'north_east', 'county']]
    >>> result.quarantine[["source_row", "column", "reason", "suggestion"]].values.tolist()
    [[4, 'council_type', 'value belongs to another column (region)', 'London borough'], [4, 'region', 'unknown option', 'London']]
    """
    frame = raw.frame
    notes: list[str] = []
    faults = _Faults()
    for fault in raw.row_faults:
        faults.add([fault.source_row], fault.column, [fault.value], [fault.reason], [""])
    specs = column_specs(codebook)
    absent = [s.key for s in specs if s.key not in frame.columns]
    if absent:
        frame = frame.assign(**{key: "" for key in absent})
        notes.append(f"column(s) not in the file, treated as blank: {', '.join(absent)}")
    id_key = codebook.id_question.id
    # spreading text over the rows (pyarrow's take, which releases the GIL) runs on two worker
    # threads while the next columns are classified; on a small export it is done at once
    pool = ThreadPoolExecutor(max_workers=2) if len(frame) >= THREADED_MIN_ROWS else None

    def spread(verdicts, codes, empty, index):
        return pool.submit(_take_text, verdicts, codes, empty, index) if pool else _take_text(verdicts, codes, empty, index)

    out: dict[str, object] = {"respondent_id": _clean_ids(frame, id_key, faults), "source_row": frame["source_row"]}
    for spec in specs:
        question, key = spec.question, spec.key
        if question.type in ("id", "meta"):
            continue
        if question.type == "text":
            codes, verdicts = _apply(frame[key], lambda s: Verdict(value=_text_answer(s, codebook)))
            out[key] = spread(verdicts, codes, "", frame.index)
            continue
        if question.type == "percent_text":
            codes, verdicts = _apply(frame[key], lambda s: Verdict(value=_percent_or_nan(s, codebook)))
            numbers = _take(verdicts, codes, np.float64, np.nan)
            bands = [Verdict(value=band_of(v.value if v.value is not None else np.nan, question)) for v in verdicts]
            out[key] = pd.Series(numbers, index=frame.index)
            out[f"{key}_band"] = spread(bands, codes, "", frame.index)
            continue
        if question.type == "multi":
            classify = _multi_classifier(question, spec.option_code, codebook)
        elif question.type == "number":
            classify = _number_classifier(question, codebook)
        else:
            classify = _closed_classifier(question, codebook)
        codes, verdicts = _apply(frame[key], classify)
        _record_faults(faults, frame, key, codes, verdicts)
        _record_notes(notes, frame, key, codes, verdicts)
        if question.type == "multi":
            out[key] = pd.Series(_take(verdicts, codes, bool, False), index=frame.index)
        elif question.type == "number":
            out[key] = pd.Series(_take(verdicts, codes, np.float64, np.nan), index=frame.index)
        else:
            out[key] = spread(verdicts, codes, np.nan, frame.index)
    if pool:
        pool.shutdown(wait=True)
    out = {key: value.result() if isinstance(value, Future) else value for key, value in out.items()}
    everything = pd.DataFrame(out, index=frame.index)
    quarantine = faults.frame(frame[id_key].str.strip(), frame["source_row"])
    misaligned = {f.source_row for f in raw.row_faults if f.column == ""}
    if misaligned:
        # in a row with too many or too few fields the cells are shifted: their own faults are noise
        noise = quarantine["source_row"].isin(misaligned) & (quarantine["column"] != "")
        quarantine = quarantine[~noise].reset_index(drop=True)
    keep = ~frame["source_row"].isin(quarantine["source_row"])
    respondents = (everything if keep.all() else everything[keep]).reset_index(drop=True)
    return CleanResult(respondents, quarantine, notes)


def _text_answer(text: str, codebook: Codebook) -> str:
    """A free-text answer stripped, with Windows line breaks made plain; empty when it means missing."""
    if normalise_spelling(text) in codebook.missing_values:
        return ""
    return text.strip().replace("\r\n", "\n")


def _percent_or_nan(text: str, codebook: Codebook) -> float:
    if normalise_spelling(text) in codebook.missing_values:
        return np.nan
    value = parse_percent(text)
    return np.nan if value is None else value
