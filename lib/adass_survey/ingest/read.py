"""Read a survey-tool export (CSV or .xlsx) into a frame of strings: :func:`read_export`, the stage's entry.

The export has two header rows (question text, then ``Response`` / ``Open-Ended Response`` / the
option label of a multi-choice column) and one respondent per row from row 3 on (see
``docs/data-flow.md``). Faults that make the whole file unusable raise
:class:`~adass_survey.core.errors.SurveyInputError`; the file's SHA-256 is taken while it is parsed."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from pathlib import Path

from ..core.codebook import Codebook
from ..core.errors import SurveyInputError
from . import checks
from .columns import from_records
from .model import RawExport
from .parse import read_csv, xlsx_records


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
    >>> from adass_survey.core.codebook import load_codebook
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
    checks.check_not_empty(path, data)
    if data[:4] == b"PK\x03\x04":
        records, encoding, delimiter, notes = xlsx_records(path, data)
        raw = from_records(path, records, codebook, encoding, delimiter, notes, truncated=False)
    else:
        checks.check_not_binary(path, data)
        digest = _hash_in_background(data)
        raw = read_csv(path, data, codebook)
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
