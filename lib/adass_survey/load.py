"""Read a survey-tool export (CSV or .xlsx) into a frame of strings, one column per codebook column.

The export has two header rows (question text, then ``Response`` / ``Open-Ended Response`` / the
option label of a multi-choice column) and one respondent per row from row 3 on (see
``docs/data-flow.md``). Columns are matched to the codebook by header text, so their order does not
matter and extra columns are listed, not fatal. Nothing is interpreted here: every cell stays the
text the survey tool wrote. Row-level structural faults (too many or too few fields, a truncated
last line, control characters) are recorded for :mod:`adass_survey.clean` to quarantine; faults that
make the whole file unusable raise :class:`~adass_survey.errors.SurveyInputError`.

Large clean CSV files are parsed with pyarrow (fast, multi-threaded); small files, and any file
whose structure pyarrow and the line count disagree about, are parsed with the ``csv`` module,
which keeps exact line numbers for every record.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import validate
from .codebook import Codebook, Question, normalise_spelling
from .errors import SurveyInputError

FAST_PATH_MIN_BYTES = 2_000_000
"""CSV files at least this big are parsed with pyarrow when their structure allows."""

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Characters that never belong in a survey answer (tab, CR and LF are allowed)."""

ROW_FAULT_SURPLUS = "surplus fields"
ROW_FAULT_MISSING = "missing fields"
ROW_FAULT_TRUNCATED = "truncated last line"
ROW_FAULT_CONTROL = "control characters"


@dataclass(frozen=True)
class ColumnSpec:
    """One column of the export as the codebook describes it.

    ``key`` is the question id, or ``<id>__<option>`` for one option of a multi-choice question.
    """

    key: str
    question: Question
    option_code: str | None = None


@dataclass(frozen=True)
class RowFault:
    """A structural fault of one raw row, found while reading (the row is quarantined later)."""

    source_row: int
    column: str
    value: str
    reason: str


@dataclass
class RawExport:
    """The export as read: strings only, nothing interpreted.

    Attributes
    ----------
    path : the file read
    frame : one column of str per codebook column found (key as in :class:`ColumnSpec`), plus
        ``source_row`` (int, the file's 1-based line number; the first respondent is row 3)
    encoding : ``utf-8-sig``, ``utf-8``, ``cp1252`` or ``xlsx``
    delimiter : ``,`` or ``;`` (empty for .xlsx)
    notes : remarks for the build log (tolerated oddities)
    unknown_columns : header text of columns the codebook does not know (ignored)
    row_faults : structural faults of single rows
    header_width : number of columns in the header rows
    header_rows : the two header rows as read
    sha256 : hex SHA-256 of the bytes read (the file as this reading saw it)
    """

    path: Path
    frame: pd.DataFrame
    encoding: str
    delimiter: str
    notes: list[str] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    row_faults: list[RowFault] = field(default_factory=list)
    header_width: int = 0
    header_rows: tuple[list[str], list[str]] = ((), ())
    sha256: str = ""

    @property
    def columns_found(self) -> list[str]:
        """Codebook column keys present in the file, in file order."""
        return [c for c in self.frame.columns if c != "source_row"]


def column_specs(codebook: Codebook) -> list[ColumnSpec]:
    """List the export columns the codebook describes, in codebook order.

    Examples
    --------
    >>> from adass_survey.codebook import load_codebook
    >>> specs = column_specs(load_codebook())
    >>> specs[0].key
    'respondent_id'
    >>> [s.key for s in specs if s.question.id == "advisory_user_groups"][0]
    'advisory_user_groups__older_people'
    """
    specs = []
    for question in codebook.questions:
        if question.type == "multi":
            specs.extend(ColumnSpec(question.multi_column(o.code), question, o.code) for o in question.options)
        else:
            specs.append(ColumnSpec(question.id, question))
    return specs


def read_export(path: str | Path, codebook: Codebook) -> RawExport:
    """Read a raw export (.csv or .xlsx) into a :class:`RawExport`.

    Parameters
    ----------
    path : the export file; it is only read, never modified
    codebook : the questionnaire, used to recognise columns by header text

    Returns
    -------
    RawExport

    Raises
    ------
    SurveyInputError
        When the file is empty, binary, undecodable, a web page, or has no usable header rows.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from adass_survey.codebook import load_codebook
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "x.csv").write_text("Respondent ID,Which region is your council in?\\n,Response\\n7,London\\n")
    >>> raw = read_export(folder / "x.csv", load_codebook())
    >>> raw.frame[["respondent_id", "region", "source_row"]].values.tolist()
    [['7', 'London', 3]]
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SurveyInputError(path, "the file does not exist", "check the path given with --raw") from None
    except IsADirectoryError:
        raise SurveyInputError(path, "this is a folder, not a file", "give the path of the exported file") from None
    except OSError as error:
        raise SurveyInputError(path, f"the file cannot be read ({error.strerror})", "check its permissions") from None
    validate.check_not_empty(path, data)
    if data[:4] == b"PK\x03\x04":
        records, encoding, delimiter, notes = _xlsx_records(path, data)
        raw = _from_records(path, records, codebook, encoding, delimiter, notes, truncated=False)
    else:
        validate.check_not_binary(path, data)
        digest = _hash_in_background(data)
        raw = _read_csv(path, data, codebook)
        raw.sha256 = digest()
        return raw
    raw.sha256 = hashlib.sha256(data).hexdigest()
    return raw


def _hash_in_background(data: bytes) -> Callable[[], str]:
    """Start hashing ``data`` on another thread; return a function that waits for the hex SHA-256.

    ``hashlib`` releases the GIL while it hashes a large buffer, so the hash runs on the second core
    while the file is decoded and parsed.
    """
    result: list[str] = []
    worker = threading.Thread(target=lambda: result.append(hashlib.sha256(data).hexdigest()), daemon=True)
    worker.start()

    def wait() -> str:
        worker.join()
        return result[0]

    return wait


# --- decoding -------------------------------------------------------------------------------------

_BOM = b"\xef\xbb\xbf"
_CONTROL_C1_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")
_UNDEFINED_CP1252 = tuple(bytes([b]) for b in (0x81, 0x8D, 0x8F, 0x90, 0x9D))
"""The five bytes Windows-1252 leaves undefined (Python's ``cp1252`` codec refuses them)."""
HEAD_BYTES = 1_000_000
DECODE_CHUNK = 1 << 25
SCAN_BLOCK = 1 << 18


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    """Decode strictly as UTF-8 (BOM optional), else cp1252; refuse bytes that are neither.

    Returns the text (BOM removed) and the encoding: ``utf-8-sig``, ``utf-8`` or ``cp1252``.
    """
    try:
        return data.decode("utf-8-sig"), "utf-8-sig" if data.startswith(_BOM) else "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as error:
        raise _undecodable(path, data, error.start) from None


_CP1252_AS_UTF8 = tuple(
    bytes([b]).decode("cp1252").encode("utf-8") if bytes([b]) not in _UNDEFINED_CP1252 else None for b in range(256)
)
TRANSCODE_BLOCK = 1 << 20
STREAM_BLOCK = 1 << 24


def cp1252_to_utf8(data: bytes) -> bytes:
    """Transcode Windows-1252 bytes to UTF-8, strictly (the five undefined bytes are refused).

    Windows-1252 is a one-byte encoding whose first 128 bytes are ASCII, which UTF-8 keeps as they
    are; only the other bytes (in an export, a few curly quotes and pound signs) change. They are
    found with vectorised comparisons over blocks of a zero-copy view, and the result is joined from
    slices of the input and their UTF-8 forms, so no text object is made for the whole file. An
    all-ASCII input is returned as it is. The result equals ``data.decode("cp1252").encode("utf-8")``.

    Parameters
    ----------
    data : the bytes to transcode

    Returns
    -------
    bytes
        The same text in UTF-8.

    Raises
    ------
    UnicodeDecodeError
        At the first byte Windows-1252 leaves undefined (0x81, 0x8d, 0x8f, 0x90, 0x9d), as
        ``data.decode("cp1252")`` would.

    Examples
    --------
    >>> cp1252_to_utf8(b"Caf\\xe9 \\x93\\xa318\\x94, plain")
    b'Caf\\xc3\\xa9 \\xe2\\x80\\x9c\\xc2\\xa318\\xe2\\x80\\x9d, plain'
    >>> cp1252_to_utf8(b"abc") == b"abc"
    True
    >>> cp1252_to_utf8(b"ok \\x81")
    Traceback (most recent call last):
    ...
    UnicodeDecodeError: 'charmap' codec can't decode byte 0x81 in position 3: character maps to <undefined>
    """
    positions, values = _high_bytes(data)
    if not len(positions):
        return data if isinstance(data, bytes) else bytes(data)
    return _transcode(memoryview(data), 0, len(data), positions, values)


def _high_bytes(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Positions and values of the bytes 0x80-0xff, refusing Windows-1252's five undefined bytes.

    Vectorised comparisons over blocks of a zero-copy view; raises ``UnicodeDecodeError`` at the
    first undefined byte, as ``data.decode("cp1252")`` would.
    """
    view = np.frombuffer(data, dtype=np.uint8)
    found = [np.zeros(0, dtype=np.int64)]
    for first in range(0, len(view), TRANSCODE_BLOCK):
        high = np.flatnonzero(view[first : first + TRANSCODE_BLOCK] >= 0x80)
        if len(high):
            found.append(high + first)
    positions = np.concatenate(found)
    values = view[positions]
    if any(_CP1252_AS_UTF8[value] is None for value in np.unique(values).tolist()):
        first_bad = int(positions[np.isin(values, [b[0] for b in _UNDEFINED_CP1252])][0])
        raise UnicodeDecodeError("charmap", bytes(data), first_bad, first_bad + 1, "character maps to <undefined>")
    return positions, values


def _transcode(whole: memoryview, first: int, last: int, positions: np.ndarray, values: np.ndarray) -> bytes:
    """UTF-8 of ``whole[first:last]`` given the positions and values of its bytes 0x80-0xff (sorted)."""
    table = _CP1252_AS_UTF8
    pieces = []
    append = pieces.append
    previous = first
    for position, value in zip(positions.tolist(), values.tolist()):
        append(whole[previous:position])
        append(table[value])
        previous = position + 1
    append(whole[previous:last])
    return b"".join(pieces)


class _Utf8Stream:
    """A read-only file of ``data[start:end]`` (Windows-1252) as UTF-8, transcoded block by block.

    pyarrow reads it through :class:`pyarrow.PythonFile` while its threads parse the blocks already
    read, so the file is never held twice in memory and transcoding overlaps parsing.
    """

    def __init__(self, data: bytes, start: int, end: int, positions: np.ndarray, values: np.ndarray) -> None:
        self.whole = memoryview(data)
        self.next, self.end = start, end
        self.positions, self.values = positions, values
        self.pending = b""
        self.closed = False

    def _block(self) -> bytes:
        first, last = self.next, min(self.next + STREAM_BLOCK, self.end)
        self.next = last
        low, high = np.searchsorted(self.positions, [first, last])
        return _transcode(self.whole, first, last, self.positions[low:high], self.values[low:high])

    def read(self, size: int = -1) -> bytes:
        size = self.end if size is None or size < 0 else size
        while len(self.pending) < size and self.next < self.end:
            self.pending = self.pending + self._block() if self.pending else self._block()
        out, self.pending = self.pending[:size], self.pending[size:]
        return out

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def writable(self) -> bool:
        return False

    def close(self) -> None:
        self.closed = True


def _undecodable(path: Path, data: bytes, position: int) -> SurveyInputError:
    """The refusal of a byte that is neither UTF-8 nor Windows-1252, naming its row."""
    return SurveyInputError(
        path,
        f"byte 0x{data[position]:02x} cannot be read as text in either UTF-8 or Windows-1252 "
        "(the file is damaged or not a text export)",
        "export the survey again as CSV (or .xlsx) and replace this file",
        row=data.count(b"\n", 0, position) + 1,
    )


def _scan_bytes(data: bytes, start: int, end: int) -> tuple[int, bool]:
    """Count line breaks in ``data[start:end]`` and tell whether it holds a C0 control byte.

    Tab, CR and LF are allowed; NUL is refused earlier. One pass of vectorised comparisons over
    small blocks of a zero-copy view (no copy of the file, no Python object per byte). A C0
    control byte is the same byte in UTF-8 and in Windows-1252.
    """
    view = np.frombuffer(data, dtype=np.uint8)
    count = np.count_nonzero
    newlines = controls = 0
    for first in range(start, end, SCAN_BLOCK):
        block = view[first : min(first + SCAN_BLOCK, end)]
        breaks = count(block == 10)
        newlines += breaks
        controls += count(block < 32) - breaks - count(block == 9) - count(block == 13) + count(block == 127)
    return newlines, controls > 0


def _has_c1_utf8(data: bytes, start: int, end: int) -> bool:
    """True when UTF-8 bytes hold a C1 control character (U+0080..U+009F); no copy of ``data``."""
    return _CONTROL_C1_UTF8.search(data, start, end) is not None


def _end_of_content(data: bytes | str) -> int:
    """Index just past the last character that is not a line break (no copy of ``data``)."""
    end = len(data)
    while end and data[end - 1 : end] in (b"\r", b"\n", "\r", "\n"):
        end -= 1
    return end


# --- CSV ------------------------------------------------------------------------------------------


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


def _detect_encoding(path: Path, data: bytes, check_cp1252: bool = True) -> str:
    """``utf-8-sig``, ``utf-8`` or ``cp1252``, checked strictly without keeping a decoded copy.

    UTF-8 is checked by decoding in chunks (each chunk's text is dropped at once). Windows-1252
    decodes every byte but five, so a file that is not UTF-8 is checked by looking for those five
    (fast byte searches). Refuses bytes that are neither, naming the row of the first one. With
    ``check_cp1252=False`` that search is left to the caller (``_high_bytes`` refuses them too).
    """
    try:
        decoder = codecs.getincrementaldecoder("utf-8")()
        for start in range(0, len(data), DECODE_CHUNK):
            decoder.decode(data[start : start + DECODE_CHUNK], final=start + DECODE_CHUNK >= len(data))
        return "utf-8-sig" if data.startswith(_BOM) else "utf-8"
    except UnicodeDecodeError:
        pass
    if not check_cp1252:
        return "cp1252"
    found = [p for p in (data.find(b) for b in _UNDEFINED_CP1252) if p >= 0]
    if found:
        raise _undecodable(path, data, min(found))
    return "cp1252"


def _notes(encoding: str, delimiter: str, trailing: int) -> list[str]:
    notes = []
    if delimiter == ";":
        notes.append("the file is semicolon-delimited (accepted)")
    if encoding != "cp1252":
        notes.append(f"the file is encoded as {'UTF-8 with BOM' if encoding == 'utf-8-sig' else 'UTF-8'} (accepted)")
    if trailing > 0:
        notes.append(f"{trailing} trailing blank line(s) ignored")
    return notes


def _read_csv(path: Path, data: bytes, codebook: Codebook) -> RawExport:
    """Decode, then parse: pyarrow (multi-threaded, fed UTF-8) for big files, the csv module on text otherwise."""
    if len(data) >= FAST_PATH_MIN_BYTES:
        encoding = _detect_encoding(path, data, check_cp1252=False)
        high = None
        if encoding == "cp1252":
            try:  # the few bytes a Windows-1252 file does not share with UTF-8, found once
                high = _high_bytes(data)
            except UnicodeDecodeError as error:
                raise _undecodable(path, data, error.start) from None
        start = len(_BOM) if encoding == "utf-8-sig" else 0
        head = _head_text(data, start, encoding)
        validate.check_not_web_page(path, head)
        delimiter = _sniff_delimiter(head, codebook)
        end = _end_of_content(data)
        notes = _notes(encoding, delimiter, data.count(b"\n", end) - 1)
        fast = _fast_parse(path, data, start, end, head, encoding, delimiter, codebook, notes, high)
        if fast is not None:
            return fast
    text, encoding = _decode(path, data)
    if len(data) < FAST_PATH_MIN_BYTES:
        head = text[:HEAD_BYTES]
        validate.check_not_web_page(path, head)
        delimiter = _sniff_delimiter(head, codebook)
    end = _end_of_content(text)
    notes = _notes(encoding, delimiter, text.count("\n", end) - 1)
    records = _csv_records(path, text[:end], delimiter)
    truncated = end == len(text)
    return _from_records(path, records, codebook, encoding, delimiter, notes, truncated=truncated)


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
    pyarrow parses on its threads as they are (UTF-8) or as :class:`_Utf8Stream` transcodes them
    block by block (Windows-1252; ``high`` are their bytes 0x80-0xff, found by ``_high_bytes``), so
    no decoded or transcoded copy of the whole file is made; the columns are
    read as ``large_string`` so pandas takes them without a copy. Line numbers come from the count of
    line breaks inside each record; if records + embedded breaks do not add up to the file's lines
    (blank lines, ragged rows, a parser disagreement) the exact path is taken instead.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    head_reader = csv.reader(io.StringIO(head, newline=""), delimiter=delimiter)
    try:
        header1, header2 = next(head_reader), next(head_reader)
    except (StopIteration, csv.Error):
        return None
    header_lines = head_reader.line_num
    width = len(header1)
    if header_lines != 2 or len(header2) != width or width == 0:
        return None
    mapping = map_columns(path, header1, header2, codebook)
    invalid = []

    def on_invalid(row) -> str:
        invalid.append(row)
        return "skip"

    names = [f"c{j}" for j in range(width)]
    if encoding == "cp1252":  # fed as UTF-8, transcoded block by block while pyarrow parses
        if high is None:
            high = _high_bytes(data)
        source = pa.PythonFile(_Utf8Stream(data, start, end, *high), mode="r")
    else:
        source = pa.BufferReader(pa.py_buffer(data).slice(start, end - start))
    try:
        table = pacsv.read_csv(
            source,
            read_options=pacsv.ReadOptions(
                skip_rows=header_lines,
                column_names=names,
                block_size=1 << 24,
                encoding="utf8",  # a Windows-1252 file is transcoded by _Utf8Stream
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, newlines_in_values=True, invalid_row_handler=on_invalid
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.large_string() for n in names},
                include_columns=[names[j] for j in mapping.keys],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowException):
        return None
    if invalid or table.num_rows == 0:
        return None
    embedded = np.zeros(table.num_rows, dtype=np.int64)
    for column in table.columns:
        if _holds_line_break(column):  # most columns hold none: a byte scan of their text is enough
            embedded += pc.count_substring(column, "\n").to_numpy(zero_copy_only=False).astype(np.int64)
    newlines, has_control = _scan_bytes(data, start, end)
    physical_lines = newlines + 1
    if header_lines + table.num_rows + int(embedded.sum()) != physical_lines:
        return None  # blank lines or a parser disagreement: take the exact path
    id_column = next((j for j, key in mapping.keys.items() if key == codebook.id_question.id), None)
    if id_column is not None and pc.any(pc.equal(pc.utf8_trim_whitespace(table.column(names[id_column])), "")).as_py():
        return None  # rows without an id may be blank rows: take the exact path
    source_row = header_lines + 1 + np.arange(table.num_rows, dtype=np.int64) + np.concatenate(
        ([0], np.cumsum(embedded)[:-1])
    )
    frame = pd.DataFrame({key: table.column(names[j]).to_pandas() for j, key in mapping.keys.items()})
    del table
    frame["source_row"] = source_row
    raw = RawExport(path, frame, encoding, delimiter, notes, mapping.unknown, [], width, (header1, header2))
    if has_control or (encoding != "cp1252" and _has_c1_utf8(data, start, end)):
        _find_control_characters(raw, None)
    return raw


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


# --- xlsx -----------------------------------------------------------------------------------------


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


def _xlsx_records(path: Path, data: bytes) -> tuple[list[tuple[int, list[str]]], str, str, list[str]]:
    """Read the first worksheet of a workbook into (row number, cells) records."""
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


# --- shared: header mapping and records -----------------------------------------------------------


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
    >>> from adass_survey.codebook import load_codebook
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
            validate.raise_duplicate_column(path, key, seen[key] + 1, j + 1, top.strip() or sub.strip())
        seen[key] = j
        keys[j] = key
    return ColumnMapping(keys, unknown)


def _multi_key(question: Question, label_n: str) -> str | None:
    for option in question.options:
        if label_n in (normalise_spelling(option.label), option.code):
            return question.multi_column(option.code)
    return None


def _from_records(
    path: Path,
    records: list[tuple[int, list[str]]],
    codebook: Codebook,
    encoding: str,
    delimiter: str,
    notes: list[str],
    truncated: bool,
) -> RawExport:
    """Build a :class:`RawExport` from (line number, cells) records, the first two being headers."""
    if len(records) < 2:
        first = records[0][1] if records else []
        known = len(map_columns(path, first, [], codebook).keys) if first else 0
        validate.check_has_header_rows(path, len(records), known)
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
    _find_control_characters(raw, None)
    return raw


def _fit_width(
    path: Path, line: int, cells: list[str], width: int, is_truncated_last: bool, faults: list[RowFault],
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
            validate.raise_unclosed_quote(path, line, line + sum(c.count("\n") for c in cells))


def _find_control_characters(raw: RawExport, text: str | None) -> None:
    """Record a fault for each cell holding a control character (checked per column only if needed)."""
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
