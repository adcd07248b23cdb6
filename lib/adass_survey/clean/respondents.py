"""Turn the strings of a raw export into typed, coded respondents; quarantine faulty rows with reasons.

A row with any row-level fault (unknown option, a value belonging to another column, an impossible
value, a missing id or required answer, a structural fault found while reading) is quarantined
whole: one line of ``quarantine.csv`` per fault, none of it in the respondents. Every raw row ends
up in exactly one of the two.

Each column is cleaned by mapping its *distinct* values through a dictionary, so a million rows
cost little more than the number of distinct answers."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..core.codebook import Codebook, normalise_spelling
from ..ingest.model import RawExport, column_specs
from .classify import closed_classifier, multi_classifier, number_classifier
from .values import REASON_BAD_ID, REASON_MISSING_ID, Verdict, band_of, parse_percent

THREADED_MIN_ROWS = 50_000

"""Exports with at least this many rows spread their cleaned text over the rows on worker threads."""


@dataclass
class CleanResult:
    """Clean respondents, the quarantine (one row per fault) and notes for the build log."""

    respondents: pd.DataFrame
    quarantine: pd.DataFrame
    notes: list[str] = field(default_factory=list)


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

    @staticmethod
    def _empty() -> pd.DataFrame:
        none = pd.Series(dtype="str")
        return pd.DataFrame(
            {"source_row": pd.Series(dtype="int64"), "column": none, "value": none, "reason": none, "suggestion": none}
        )

    def frame(self, ids: pd.Series, source_rows: pd.Series) -> pd.DataFrame:
        """One row per fault, ordered by row and column: ``source_row``, ``respondent_id`` (as written), then
        ``column, value, reason, suggestion`` (the order of ``quarantine.csv``, :mod:`adass_survey.processed.schema`)."""
        faults = pd.concat(self.parts, ignore_index=True) if self.parts else self._empty()
        id_of_row = pd.Series(ids.to_numpy(), index=source_rows.to_numpy())
        faults.insert(1, "respondent_id", faults["source_row"].map(id_of_row).fillna("").astype("str"))
        return faults.sort_values(["source_row", "column"], kind="stable").reset_index(drop=True)


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
            faults.add(
                frame.loc[mask, "source_row"],
                key,
                frame.loc[mask, key],
                [reason] * int(mask.sum()),
                [""] * int(mask.sum()),
            )
    return pd.to_numeric(ids.where(whole, "-1"), errors="coerce").astype("int64")


def clean(raw: RawExport, codebook: Codebook) -> CleanResult:
    """Clean a raw export: typed respondents plus a quarantine of faulty rows.

    Parameters
    ----------
    raw : the export as read by :func:`adass_survey.ingest.read.read_export`
    codebook : the questionnaire

    Returns
    -------
    CleanResult
        ``respondents`` with the processed columns of ``docs/data-flow.md``; ``quarantine`` with one
        row per fault (``source_row, respondent_id, column, value, reason, suggestion``); ``notes``.

    Examples
    --------
    >>> import pandas as pd
    >>> from adass_survey.core.codebook import load_codebook
    >>> from adass_survey.ingest.model import RawExport
    >>> frame = pd.DataFrame({"respondent_id": ["1", "2"], "region": ["north-east", "Londn"],
    ...                       "council_type": ["County", "London"], "source_row": [3, 4]})
    >>> result = clean(RawExport("x.csv", frame, "utf-8", ","), load_codebook())
    >>> result.respondents[["respondent_id", "region", "council_type"]].values.tolist()
    [[1, 'north_east', 'county']]
    >>> result.quarantine[["source_row", "column", "reason", "suggestion"]].values.tolist()
    [[4, 'council_type', 'value belongs to another column (region)', 'London borough'], [4, 'region', 'unknown option', 'London']]
    """
    notes: list[str] = []
    faults = _Faults()
    for fault in raw.row_faults:
        faults.add([fault.source_row], fault.column, [fault.value], [fault.reason], [""])
    specs = column_specs(codebook)
    frame = _with_absent_columns(raw.frame, specs, notes)
    id_key = codebook.id_question.id
    # spreading text over the rows (pyarrow's take, which releases the GIL) runs on two worker
    # threads while the next columns are classified; on a small export it is done at once
    pool = ThreadPoolExecutor(max_workers=2) if len(frame) >= THREADED_MIN_ROWS else None

    def spread(verdicts, codes, empty, index):
        return (
            pool.submit(_take_text, verdicts, codes, empty, index)
            if pool
            else _take_text(verdicts, codes, empty, index)
        )

    out: dict[str, object] = {"respondent_id": _clean_ids(frame, id_key, faults), "source_row": frame["source_row"]}
    for spec in specs:
        if spec.question.type not in ("id", "meta"):
            out.update(_clean_column(frame, spec, codebook, faults, notes, spread))
    if pool:
        pool.shutdown(wait=True)
    out = {key: value.result() if isinstance(value, Future) else value for key, value in out.items()}
    everything = pd.DataFrame(out, index=frame.index)
    quarantine = _without_shifted_cell_faults(faults.frame(frame[id_key].str.strip(), frame["source_row"]), raw)
    keep = ~frame["source_row"].isin(quarantine["source_row"])
    respondents = (everything if keep.all() else everything[keep]).reset_index(drop=True)
    return CleanResult(respondents, quarantine, notes)


def _with_absent_columns(frame: pd.DataFrame, specs, notes: list[str]) -> pd.DataFrame:
    """The raw frame with every codebook column the file lacks added as blank (noted for the build log)."""
    absent = [s.key for s in specs if s.key not in frame.columns]
    if absent:
        frame = frame.assign(**{key: "" for key in absent})
        notes.append(f"column(s) not in the file, treated as blank: {', '.join(absent)}")
    return frame


def _clean_column(
    frame: pd.DataFrame, spec, codebook: Codebook, faults: _Faults, notes: list[str], spread: Callable
) -> dict[str, object]:
    """Clean one export column: its processed column(s), each a Series or a Future of one (``spread``).

    Faults and notes of closed, multi-choice and number columns are recorded in ``faults`` and ``notes``;
    free text and percentages are never faults (an unusable percentage is missing, banded ``unbanded``).
    """
    question, key = spec.question, spec.key
    if question.type == "text":
        codes, verdicts = _apply(frame[key], lambda s: Verdict(value=_text_answer(s, codebook)))
        return {key: spread(verdicts, codes, "", frame.index)}
    if question.type == "percent_text":
        codes, verdicts = _apply(frame[key], lambda s: Verdict(value=_percent_or_nan(s, codebook)))
        numbers = _take(verdicts, codes, np.float64, np.nan)
        bands = [Verdict(value=band_of(v.value if v.value is not None else np.nan, question)) for v in verdicts]
        return {key: pd.Series(numbers, index=frame.index), f"{key}_band": spread(bands, codes, "", frame.index)}
    if question.type == "multi":
        classify = multi_classifier(question, spec.option_code, codebook)
    elif question.type == "number":
        classify = number_classifier(question, codebook)
    else:
        classify = closed_classifier(question, codebook)
    codes, verdicts = _apply(frame[key], classify)
    _record_faults(faults, frame, key, codes, verdicts)
    _record_notes(notes, frame, key, codes, verdicts)
    if question.type == "multi":
        return {key: pd.Series(_take(verdicts, codes, bool, False), index=frame.index)}
    if question.type == "number":
        return {key: pd.Series(_take(verdicts, codes, np.float64, np.nan), index=frame.index)}
    return {key: spread(verdicts, codes, np.nan, frame.index)}


def _without_shifted_cell_faults(quarantine: pd.DataFrame, raw: RawExport) -> pd.DataFrame:
    """Drop the cell faults of rows with too many or too few fields: their cells are shifted, so noise."""
    misaligned = {f.source_row for f in raw.row_faults if f.column == ""}
    if not misaligned:
        return quarantine
    noise = quarantine["source_row"].isin(misaligned) & (quarantine["column"] != "")
    return quarantine[~noise].reset_index(drop=True)


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
