"""Mapping an export's columns onto the codebook, and its records into a :class:`~adass_survey.ingest.model.RawExport`.

Columns are matched to the codebook by header text (white space and case ignored), so their order
does not matter and extra columns are listed, not fatal. A row of the wrong width is padded or cut
to the header width and recorded as a row fault; a cell holding a control character too."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.codebook import Codebook, Question, normalise_spelling
from . import checks
from .model import (
    CONTROL_CHARACTERS,
    ROW_FAULT_CONTROL,
    ROW_FAULT_MISSING,
    ROW_FAULT_SURPLUS,
    ROW_FAULT_TRUNCATED,
    RawExport,
    RowFault,
)


@dataclass
class ColumnMapping:
    """Which file column (0-based) holds which codebook column key; and the columns not known."""

    keys: dict[int, str]
    unknown: list[str]


def map_columns(path: Path, header1: list[str], header2: list[str], codebook: Codebook) -> ColumnMapping:
    """Match the two header rows to codebook columns by text (white space and case ignored).

    A multi-choice question's text stands above its first option column; its further option columns
    have a blank first header and the option label in the second.

    Examples
    --------
    >>> from adass_survey.core.codebook import load_codebook
    >>> m = map_columns("x.csv", ["Respondent ID", "What TYPE of council  are you?", "Extra"],
    ...                 ["", "Response", ""], load_codebook())
    >>> m.keys, m.unknown
    ({0: 'respondent_id', 1: 'council_type'}, ['Extra'])
    """
    by_header = {}
    for question in codebook.questions:
        by_header[normalise_spelling(question.header)] = question
        by_header.setdefault(question.id, question)
    multi_labels = {}
    for question in codebook.of_type("multi"):
        for option in question.options:
            multi_labels.setdefault(normalise_spelling(option.label), []).append((question, option))
    width = max(len(header1), len(header2))
    header1 = list(header1) + [""] * (width - len(header1))
    header2 = list(header2) + [""] * (width - len(header2))
    keys: dict[int, str] = {}
    seen: dict[str, int] = {}
    unknown = []
    current_multi: Question | None = None
    for j, (top, sub) in enumerate(zip(header1, header2)):
        top_n, sub_n = normalise_spelling(top), normalise_spelling(sub)
        key = None
        if top_n:
            question = by_header.get(top_n)
            current_multi = question if question is not None and question.type == "multi" else None
            if question is not None and question.type != "multi":
                key = question.id
            elif current_multi is not None:
                key = _multi_key(current_multi, sub_n)
        elif sub_n:
            if current_multi is not None:
                key = _multi_key(current_multi, sub_n)
            if key is None and len(multi_labels.get(sub_n, [])) == 1:
                question, option = multi_labels[sub_n][0]
                key = question.multi_column(option.code)
        if key is None:
            label = " / ".join(t for t in (top.strip(), sub.strip()) if t) or f"(blank header, column {j + 1})"
            unknown.append(label)
            continue
        if key in seen:
            checks.raise_duplicate_column(path, key, seen[key] + 1, j + 1, top.strip() or sub.strip())
        seen[key] = j
        keys[j] = key
    return ColumnMapping(keys, unknown)


def _multi_key(question: Question, label_n: str) -> str | None:
    for option in question.options:
        if label_n in (normalise_spelling(option.label), option.code):
            return question.multi_column(option.code)
    return None


def from_records(
    path: Path,
    records: list[tuple[int, list[str]]],
    codebook: Codebook,
    encoding: str,
    delimiter: str,
    notes: list[str],
    truncated: bool,
) -> RawExport:
    """Build a :class:`RawExport` from (line number, cells) records, the first two being headers.

    Blank rows are dropped with a note; a row of the wrong width is fitted to the header width and
    recorded as a row fault (``truncated`` says the file ends mid-row, so a short last row is a
    truncation); a file with a quote mark never closed is refused.

    Examples
    --------
    >>> from adass_survey.core.codebook import load_codebook
    >>> records = [(1, ["Respondent ID", "Which region is your council in?"]), (2, ["", "Response"]),
    ...            (3, ["7", "London"]), (4, ["", ""]), (5, ["8", "North East", "extra"])]
    >>> raw = from_records("x.csv", records, load_codebook(), "utf-8", ",", [], truncated=False)
    >>> raw.frame.values.tolist(), raw.notes
    ([['7', 'London', 3], ['8', 'North East', 5]], ['1 blank row(s) ignored (rows 4)'])
    >>> [(f.source_row, f.reason) for f in raw.row_faults]
    [(5, 'surplus fields: 3 fields where the header has 2')]
    """
    if len(records) < 2:
        first = records[0][1] if records else []
        known = len(map_columns(path, first, [], codebook).keys) if first else 0
        checks.check_has_header_rows(path, len(records), known)
    (_, header1), (_, header2) = records[0], records[1]
    mapping = map_columns(path, header1, header2, codebook)
    width = max(len(header1), len(header2), max(mapping.keys, default=-1) + 1)
    faults: list[RowFault] = []
    rows: list[list[str]] = []
    lines: list[int] = []
    blank = []
    data_records = records[2:]
    last_index = len(data_records) - 1
    for index, (line, cells) in enumerate(data_records):
        if not any(c.strip() for c in cells):
            blank.append(line)
            continue
        if len(cells) != width:
            cells = _fit_width(path, line, cells, width, truncated and index == last_index, faults, delimiter)
        rows.append(cells)
        lines.append(line)
    if blank:
        notes.append(f"{len(blank)} blank row(s) ignored (rows {_row_list(blank)})")
    columns = {key: [r[j] for r in rows] for j, key in mapping.keys.items()}
    frame = pd.DataFrame(columns, dtype="str") if columns else pd.DataFrame(index=range(len(rows)))
    frame["source_row"] = np.asarray(lines, dtype=np.int64)
    raw = RawExport(path, frame, encoding, delimiter, notes, mapping.unknown, faults, width, (header1, header2))
    find_control_characters(raw, None)
    return raw


def _fit_width(
    path: Path,
    line: int,
    cells: list[str],
    width: int,
    is_truncated_last: bool,
    faults: list[RowFault],
    delimiter: str = ",",
) -> list[str]:
    """Pad or cut a row to the header width, recording a fault unless only empty cells were cut."""
    if len(cells) > width:
        surplus = cells[width:]
        if any(c.strip() for c in surplus):
            shown = ", ".join(repr(c) for c in surplus if c.strip())[:200]
            _check_not_run_on(path, line, cells, width, delimiter)
            reason = f"{ROW_FAULT_SURPLUS}: {len(cells)} fields where the header has {width}"
            faults.append(RowFault(line, "", shown, reason))
        return cells[:width]
    if is_truncated_last:
        reason = f"{ROW_FAULT_TRUNCATED}: the file ends mid-row ({len(cells)} of {width} fields)"
    else:
        reason = f"{ROW_FAULT_MISSING}: {len(cells)} fields where the header has {width}"
    _check_not_run_on(path, line, cells, width, delimiter)
    faults.append(RowFault(line, "", (cells[-1] if cells else "")[:200], reason))
    return cells + [""] * (width - len(cells))


def _check_not_run_on(path: Path, line: int, cells: list[str], width: int, delimiter: str) -> None:
    """Refuse a record of the wrong width that has swallowed whole rows: a quote mark never closed.

    The sign is a cell spanning lines that holds at least half a row's worth of delimiters; a
    multi-line free-text answer does not. Quarantining such a record would hide the rows inside it.
    """
    separator = delimiter or ","
    for cell in cells:
        if "\n" in cell and cell.count(separator) >= max(2, width // 2):
            checks.raise_unclosed_quote(path, line, line + sum(c.count("\n") for c in cells))


def find_control_characters(raw: RawExport, text: str | None) -> None:
    """Record a fault for each cell holding a control character (checked per column only if needed).

    With ``text`` given (the file's text), nothing is checked unless it holds a control character.

    Examples
    --------
    >>> import pandas as pd
    >>> from adass_survey.ingest.model import RawExport
    >>> raw = RawExport("x.csv", pd.DataFrame({"region": ["London", "Lon\\x07don"], "source_row": [3, 4]}), "utf-8", ",")
    >>> find_control_characters(raw, None)
    >>> raw.row_faults
    [RowFault(source_row=4, column='region', value='Lon?don', reason='control characters: 0x07 in the answer')]
    """
    if text is not None and not CONTROL_CHARACTERS.search(text):
        return
    pattern = CONTROL_CHARACTERS.pattern
    for key in raw.columns_found:
        column = raw.frame[key]
        hits = column.str.contains(pattern, regex=True, na=False)
        if not hits.any():
            continue
        for value, line in zip(column[hits], raw.frame.loc[hits, "source_row"]):
            found = sorted({f"0x{ord(c):02x}" for c in CONTROL_CHARACTERS.findall(value)})
            shown = CONTROL_CHARACTERS.sub("?", value)[:200]
            raw.row_faults.append(
                RowFault(int(line), key, shown, f"{ROW_FAULT_CONTROL}: {', '.join(found)} in the answer")
            )


def _row_list(lines: list[int], limit: int = 10) -> str:
    shown = ", ".join(str(n) for n in lines[:limit])
    return shown + (f" and {len(lines) - limit} more" if len(lines) > limit else "")
