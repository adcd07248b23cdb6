"""Decoding an export's bytes: strict UTF-8 (BOM optional) or Windows-1252, nothing else.

A byte that is neither is refused with the row it is on (:func:`undecodable`). For the pyarrow fast
path a Windows-1252 file is transcoded to UTF-8 block by block (:func:`cp1252_to_utf8`,
:class:`Utf8Stream`) without a decoded copy of the whole file, and vectorised byte scans count line
breaks and find control characters (:func:`scan_bytes`, :func:`has_c1_utf8`)."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import numpy as np

from ..core.errors import SurveyInputError

BOM = b"\xef\xbb\xbf"


_CONTROL_C1_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")


_UNDEFINED_CP1252 = tuple(bytes([b]) for b in (0x81, 0x8D, 0x8F, 0x90, 0x9D))

"""The five bytes Windows-1252 leaves undefined (Python's ``cp1252`` codec refuses them)."""


HEAD_BYTES = 1_000_000


DECODE_CHUNK = 1 << 25


SCAN_BLOCK = 1 << 18


def decode(path: Path, data: bytes) -> tuple[str, str]:
    """Decode strictly as UTF-8 (BOM optional), else cp1252; refuse bytes that are neither.

    Returns the text (BOM removed) and the encoding: ``utf-8-sig``, ``utf-8`` or ``cp1252``.

    Examples
    --------
    >>> decode("x.csv", b"\\xef\\xbb\\xbfa,b"), decode("x.csv", b"\\xa312")
    (('a,b', 'utf-8-sig'), ('£12', 'cp1252'))
    >>> decode("x.csv", b"a\\nb\\x81")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    adass_survey.core.errors.SurveyInputError: x.csv, row 2: byte 0x81 cannot be read as text in either UTF-8 or Windows-1252...
    """
    try:
        return data.decode("utf-8-sig"), "utf-8-sig" if data.startswith(BOM) else "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as error:
        raise undecodable(path, data, error.start) from None


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
    positions, values = high_bytes(data)
    if not len(positions):
        return data if isinstance(data, bytes) else bytes(data)
    return _transcode(memoryview(data), 0, len(data), positions, values)


def high_bytes(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Positions and values of the bytes 0x80-0xff, refusing Windows-1252's five undefined bytes.

    Vectorised comparisons over blocks of a zero-copy view; raises ``UnicodeDecodeError`` at the
    first undefined byte, as ``data.decode("cp1252")`` would.

    Examples
    --------
    >>> positions, values = high_bytes(b"\\x93yes\\x94 \\xa35")
    >>> positions.tolist(), values.tolist()
    ([0, 4, 6], [147, 148, 163])
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


class Utf8Stream:
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


def undecodable(path: Path, data: bytes, position: int) -> SurveyInputError:
    """The refusal of a byte that is neither UTF-8 nor Windows-1252, naming its row.

    Examples
    --------
    >>> print(undecodable("x.csv", b"a\\nb\\n\\x8d", 4))  # doctest: +ELLIPSIS
    x.csv, row 3: byte 0x8d cannot be read as text in either UTF-8 or Windows-1252 ...
    """
    return SurveyInputError(
        path,
        f"byte 0x{data[position]:02x} cannot be read as text in either UTF-8 or Windows-1252 "
        "(the file is damaged or not a text export)",
        "export the survey again as CSV (or .xlsx) and replace this file",
        row=data.count(b"\n", 0, position) + 1,
    )


def scan_bytes(data: bytes, start: int, end: int) -> tuple[int, bool]:
    """Count line breaks in ``data[start:end]`` and tell whether it holds a C0 control byte.

    Tab, CR and LF are allowed; NUL is refused earlier. One pass of vectorised comparisons over
    small blocks of a zero-copy view (no copy of the file, no Python object per byte). A C0
    control byte is the same byte in UTF-8 and in Windows-1252.

    Examples
    --------
    >>> newlines, control = scan_bytes(b"a,b\\r\\n1,\\t2\\r\\n", 0, 11)
    >>> int(newlines), bool(control), bool(scan_bytes(b"a\\x07b\\n", 0, 4)[1])
    (2, False, True)
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


def has_c1_utf8(data: bytes, start: int, end: int) -> bool:
    """True when UTF-8 bytes hold a C1 control character (U+0080..U+009F); no copy of ``data``.

    Examples
    --------
    >>> has_c1_utf8("a\\x85b".encode("utf-8"), 0, 4), has_c1_utf8("café".encode("utf-8"), 0, 5)
    (True, False)
    """
    return _CONTROL_C1_UTF8.search(data, start, end) is not None


def end_of_content(data: bytes | str) -> int:
    """Index just past the last character that is not a line break (no copy of ``data``).

    Examples
    --------
    >>> end_of_content(b"a,b\\r\\n1,2\\r\\n\\r\\n"), end_of_content("x\\n"), end_of_content(b"")
    (8, 1, 0)
    """
    end = len(data)
    while end and data[end - 1 : end] in (b"\r", b"\n", "\r", "\n"):
        end -= 1
    return end


def detect_encoding(path: Path, data: bytes, check_cp1252: bool = True) -> str:
    """``utf-8-sig``, ``utf-8`` or ``cp1252``, checked strictly without keeping a decoded copy.

    UTF-8 is checked by decoding in chunks (each chunk's text is dropped at once). Windows-1252
    decodes every byte but five, so a file that is not UTF-8 is checked by looking for those five
    (fast byte searches). Refuses bytes that are neither, naming the row of the first one. With
    ``check_cp1252=False`` that search is left to the caller (``high_bytes`` refuses them too).

    Examples
    --------
    >>> detect_encoding("x.csv", "café".encode("utf-8")), detect_encoding("x.csv", b"caf\\xe9")
    ('utf-8', 'cp1252')
    >>> detect_encoding("x.csv", b"\\x81", check_cp1252=False)
    'cp1252'
    """
    try:
        decoder = codecs.getincrementaldecoder("utf-8")()
        for start in range(0, len(data), DECODE_CHUNK):
            decoder.decode(data[start : start + DECODE_CHUNK], final=start + DECODE_CHUNK >= len(data))
        return "utf-8-sig" if data.startswith(BOM) else "utf-8"
    except UnicodeDecodeError:
        pass
    if not check_cp1252:
        return "cp1252"
    found = [p for p in (data.find(b) for b in _UNDEFINED_CP1252) if p >= 0]
    if found:
        raise undecodable(path, data, min(found))
    return "cp1252"
