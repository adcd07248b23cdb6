"""Parsing an export's records: CSV (comma or semicolon) or the first sheet of an ``.xlsx`` workbook.

Large clean CSV files are parsed with pyarrow (fast, multi-threaded); small files, and any file
whose structure pyarrow and the line count disagree about, are parsed with the ``csv`` module,
which keeps exact line numbers for every record. The records become a
:class:`~adass_survey.ingest.model.RawExport` through :mod:`adass_survey.ingest.columns`."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.codebook import Codebook, normalise_spelling
from ..core.errors import SurveyInputError
from . import checks
from .columns import find_control_characters, from_records, map_columns
from .decode import (
    BOM,
    HEAD_BYTES,
    SCAN_BLOCK,
    Utf8Stream,
    decode,
    detect_encoding,
    end_of_content,
    has_c1_utf8,
    high_bytes,
    scan_bytes,
    undecodable,
)
from .model import RawExport

FAST_PATH_MIN_BYTES = 2_000_000

"""CSV files at least this big are parsed with pyarrow when their structure allows."""


def _sniff_delimiter(text: str, codebook: Codebook) -> str:
    """Pick ``,`` or ``;``: whichever splits the first header row into more known question headers."""
    known = {normalise_spelling(q.header) for q in codebook.questions} | {q.id for q in codebook.questions}
    scores = {}
    for delimiter in (",", ";"):
        try:
            first = next(csv.reader(io.StringIO(text[:200_000], newline=""), delimiter=delimiter), [])
        except csv.Error:
            first = []
        scores[delimiter] = (sum(normalise_spelling(c) in known for c in first), len(first))
    return max((",", ";"), key=lambda d: scores[d])


def _notes(encoding: str, delimiter: str, trailing: int) -> list[str]:
    notes = []
    if delimiter == ";":
        notes.append("the file is semicolon-delimited (accepted)")
    if encoding != "cp1252":
        notes.append(f"the file is encoded as {'UTF-8 with BOM' if encoding == 'utf-8-sig' else 'UTF-8'} (accepted)")
    if trailing > 0:
        notes.append(f"{trailing} trailing blank line(s) ignored")
    return notes


def read_csv(path: Path, data: bytes, codebook: Codebook) -> RawExport:
    """Decode, then parse: pyarrow (multi-threaded, fed UTF-8) for big files, the csv module on text otherwise.

    Parameters
    ----------
    path : the file (for messages)
    data : its bytes
    codebook : the questionnaire, to pick the delimiter and map the columns

    Returns
    -------
    RawExport

    Examples
    --------
    >>> from adass_survey.core.codebook import load_codebook
    >>> data = "Respondent ID;Which region is your council in?\\r\\n;Response\\r\\n7;London\\r\\n".encode("cp1252")
    >>> raw = read_csv("x.csv", data, load_codebook())
    >>> raw.frame.values.tolist(), raw.delimiter, raw.notes
    ([['7', 'London', 3]], ';', ['the file is semicolon-delimited (accepted)', 'the file is encoded as UTF-8 (accepted)'])
    """
    if len(data) >= FAST_PATH_MIN_BYTES:
        encoding = detect_encoding(path, data, check_cp1252=False)
        high = None
        if encoding == "cp1252":
            try:  # the few bytes a Windows-1252 file does not share with UTF-8, found once
                high = high_bytes(data)
            except UnicodeDecodeError as error:
                raise undecodable(path, data, error.start) from None
        start = len(BOM) if encoding == "utf-8-sig" else 0
        head = _head_text(data, start, encoding)
        checks.check_not_web_page(path, head)
        delimiter = _sniff_delimiter(head, codebook)
        end = end_of_content(data)
        notes = _notes(encoding, delimiter, data.count(b"\n", end) - 1)
        fast = _fast_parse(path, data, start, end, head, encoding, delimiter, codebook, notes, high)
        if fast is not None:
            return fast
    text, encoding = decode(path, data)
    if len(data) < FAST_PATH_MIN_BYTES:
        head = text[:HEAD_BYTES]
        checks.check_not_web_page(path, head)
        delimiter = _sniff_delimiter(head, codebook)
    end = end_of_content(text)
    notes = _notes(encoding, delimiter, text.count("\n", end) - 1)
    records = _csv_records(path, text[:end], delimiter)
    truncated = end == len(text)
    return from_records(path, records, codebook, encoding, delimiter, notes, truncated=truncated)


def _head_text(data: bytes, start: int, encoding: str) -> str:
    """The text of the first ``HEAD_BYTES`` bytes of the file's UTF-8 form (BOM removed).

    A character cut at the end is dropped. Only this head is decoded whole; the body is decoded
    by pyarrow in blocks.
    """
    if encoding == "cp1252":
        utf8 = data[: start + HEAD_BYTES].decode("cp1252").encode("utf-8")[:HEAD_BYTES]
    else:
        utf8 = data[start : start + HEAD_BYTES]
    return utf8.decode("utf-8", errors="ignore")


def _csv_records(path: Path, body: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """Parse with the csv module, keeping each record's first line number."""
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter, strict=False)
    records = []
    last = 0
    try:
        for row in reader:
            records.append((last + 1, row))
            last = reader.line_num
    except csv.Error as error:
        raise SurveyInputError(
            path, f"the file cannot be read as CSV ({error})", "export the survey again as CSV", row=reader.line_num
        ) from None
    return records


def _fast_parse(
    path: Path,
    data: bytes,
    start: int,
    end: int,
    head: str,
    encoding: str,
    delimiter: str,
    codebook: Codebook,
    notes: list[str],
    high: tuple[np.ndarray, np.ndarray] | None = None,
) -> RawExport | None:
    """Parse a big, structurally clean CSV with pyarrow; return None to fall back to the csv module.

    Works on the file's bytes ``data[start:end]`` (BOM and trailing line breaks left out), which
    pyarrow parses on its threads as they are (UTF-8) or as :class:`Utf8Stream` transcodes them
    block by block (Windows-1252; ``high`` are their bytes 0x80-0xff, found by ``high_bytes``), so
    no decoded or transcoded copy of the whole file is made; the columns are
    read as ``large_string`` so pandas takes them without a copy. Line numbers come from the count of
    line breaks inside each record; if records + embedded breaks do not add up to the file's lines
    (blank lines, ragged rows, a parser disagreement) the exact path is taken instead.
    """
    import pyarrow.compute as pc

    headers = _header_rows(head, delimiter)
    if headers is None:
        return None
    header1, header2, header_lines = headers
    width = len(header1)
    mapping = map_columns(path, header1, header2, codebook)
    names = [f"c{j}" for j in range(width)]
    table = _arrow_table(data, start, end, encoding, delimiter, header_lines, names, mapping.keys, high)
    if table is None:
        return None
    newlines, has_control = scan_bytes(data, start, end)
    source_row = _source_rows(table, newlines + 1, header_lines)
    if source_row is None:
        return None  # blank lines or a parser disagreement: take the exact path
    id_column = next((j for j, key in mapping.keys.items() if key == codebook.id_question.id), None)
    if id_column is not None and pc.any(pc.equal(pc.utf8_trim_whitespace(table.column(names[id_column])), "")).as_py():
        return None  # rows without an id may be blank rows: take the exact path
    frame = pd.DataFrame({key: table.column(names[j]).to_pandas() for j, key in mapping.keys.items()})
    del table
    frame["source_row"] = source_row
    raw = RawExport(path, frame, encoding, delimiter, notes, mapping.unknown, [], width, (header1, header2))
    if has_control or (encoding != "cp1252" and has_c1_utf8(data, start, end)):
        find_control_characters(raw, None)
    return raw


def _header_rows(head: str, delimiter: str) -> tuple[list[str], list[str], int] | None:
    """The two header rows of the file's head and the lines they span; None unless they are two equal, full lines."""
    head_reader = csv.reader(io.StringIO(head, newline=""), delimiter=delimiter)
    try:
        header1, header2 = next(head_reader), next(head_reader)
    except (StopIteration, csv.Error):
        return None
    header_lines = head_reader.line_num
    if header_lines != 2 or len(header2) != len(header1) or not header1:
        return None
    return header1, header2, header_lines


def _arrow_table(
    data: bytes,
    start: int,
    end: int,
    encoding: str,
    delimiter: str,
    header_lines: int,
    names: list[str],
    keys: dict[int, str],
    high: tuple[np.ndarray, np.ndarray] | None,
):
    """The body of ``data[start:end]`` parsed by pyarrow: the mapped columns as ``large_string``.

    None when pyarrow refuses the file, skips a row (a ragged row) or finds no rows.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    invalid = []

    def on_invalid(row) -> str:
        invalid.append(row)
        return "skip"

    if encoding == "cp1252":  # fed as UTF-8, transcoded block by block while pyarrow parses
        if high is None:
            high = high_bytes(data)
        source = pa.PythonFile(Utf8Stream(data, start, end, *high), mode="r")
    else:
        source = pa.BufferReader(pa.py_buffer(data).slice(start, end - start))
    try:
        table = pacsv.read_csv(
            source,
            read_options=pacsv.ReadOptions(
                skip_rows=header_lines,
                column_names=names,
                block_size=1 << 24,
                encoding="utf8",  # a Windows-1252 file is transcoded by Utf8Stream
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, newlines_in_values=True, invalid_row_handler=on_invalid
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.large_string() for n in names},
                include_columns=[names[j] for j in keys],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowException):
        return None
    if invalid or table.num_rows == 0:
        return None
    return table


def _source_rows(table, physical_lines: int, header_lines: int) -> np.ndarray | None:
    """Each record's first line number, from the line breaks inside the records before it.

    None when records + embedded breaks do not add up to the file's lines (blank lines, a parser disagreement).
    """
    import pyarrow.compute as pc

    embedded = np.zeros(table.num_rows, dtype=np.int64)
    for column in table.columns:
        if _holds_line_break(column):  # most columns hold none: a byte scan of their text is enough
            embedded += pc.count_substring(column, "\n").to_numpy(zero_copy_only=False).astype(np.int64)
    if header_lines + table.num_rows + int(embedded.sum()) != physical_lines:
        return None
    return (
        header_lines + 1 + np.arange(table.num_rows, dtype=np.int64) + np.concatenate(([0], np.cumsum(embedded)[:-1]))
    )


def _holds_line_break(column) -> bool:
    """True when some value of a pyarrow ``large_string`` column holds a line feed.

    Looks at the bytes of the column's values directly (a zero-copy view of each chunk's data
    buffer), which is much cheaper than counting line feeds value by value.
    """
    for chunk in column.chunks:
        if len(chunk) == 0:
            continue
        _, offsets, values = chunk.buffers()
        if values is None:
            continue
        bounds = np.frombuffer(offsets, dtype=np.int64)[chunk.offset : chunk.offset + len(chunk) + 1]
        text = np.frombuffer(values, dtype=np.uint8)[bounds[0] : bounds[-1]]
        for first in range(0, len(text), SCAN_BLOCK):
            if np.any(text[first : first + SCAN_BLOCK] == 10):
                return True
    return False


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat()
    return str(value)


def xlsx_records(path: Path, data: bytes) -> tuple[list[tuple[int, list[str]]], str, str, list[str]]:
    """Read the first worksheet of a workbook into (row number, cells) records.

    Returns the records (trailing empty cells and rows dropped), the encoding ``"xlsx"``, no
    delimiter, and notes for the build log.

    Examples
    --------
    >>> import io
    >>> from openpyxl import Workbook
    >>> book, out = Workbook(), io.BytesIO()
    >>> book.active.append(["Respondent ID", "Which region is your council in?"])
    >>> book.active.append([None, "Response"])
    >>> book.active.append([7, "London"])
    >>> book.save(out)
    >>> xlsx_records("x.xlsx", out.getvalue())
    ([(1, ['Respondent ID', 'Which region is your council in?']), (2, ['', 'Response']), (3, ['7', 'London'])], 'xlsx', '', ['the file is an Excel workbook (.xlsx); its first sheet was read'])
    """
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as error:
        raise SurveyInputError(
            path,
            f"the file looks like an Excel workbook but cannot be opened ({type(error).__name__})",
            "open it in Excel and save it again as .xlsx, or export the survey as CSV",
        ) from None
    try:
        sheet = workbook.worksheets[0]
        records = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell_text(v) for v in values]
            while cells and cells[-1] == "":
                cells.pop()
            records.append((number, cells))
    finally:
        workbook.close()
    while records and not records[-1][1]:
        records.pop()
    notes = ["the file is an Excel workbook (.xlsx); its first sheet was read"]
    if len(workbook.sheetnames) > 1:
        notes.append(f"the workbook has {len(workbook.sheetnames)} sheets; only the first was read")
    return records, "xlsx", "", notes
