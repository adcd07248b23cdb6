"""File-level checks of a raw export, one function per check.

Each ``check_*`` function either returns quietly or raises
:class:`~adass_survey.core.errors.SurveyInputError` naming the file and, where one is at fault, the row
and column, with a sentence on what to do. A file that fails any of them is refused whole: nothing
is written. Faults of single rows are not checked here; :mod:`adass_survey.clean` quarantines
them."""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.codebook import Codebook, normalise_spelling
from ..core.errors import SurveyInputError

if TYPE_CHECKING:
    from .model import RawExport


EXPORT_AGAIN = (
    "export the survey again from the survey tool (CSV or .xlsx, with both header rows) and replace this file"
)


MIN_SHARE_OF_KNOWN_COLUMNS = 0.25

"""Below this share of the questionnaire's columns a file is not taken for a survey export at all."""


def check_not_empty(path: str | Path, data: bytes) -> None:
    """Refuse an empty or white-space-only file.

    Examples
    --------
    >>> check_not_empty("x.csv", b"Respondent ID\\n")
    >>> check_not_empty("x.csv", b" \\r\\n ")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    adass_survey.core.errors.SurveyInputError: x.csv: the file is empty (or holds only blank space). What to do: ...
    """
    if re.search(rb"[^ \t\r\n\xef\xbb\xbf]", data) is None:
        raise SurveyInputError(path, "the file is empty (or holds only blank space)", EXPORT_AGAIN)


def check_not_binary(path: str | Path, data: bytes) -> None:
    """Refuse a file holding NUL bytes: a binary file (image, PDF, zip, ...) and not a text export.

    Examples
    --------
    >>> check_not_binary("x.csv", b"a,b\\n")
    >>> check_not_binary("x.csv", b"a,b\\n\\x00\\x01")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    adass_survey.core.errors.SurveyInputError: x.csv, row 2: the file holds binary data (NUL bytes)...
    """
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise SurveyInputError(
            path,
            "the file is an old-style Excel workbook (.xls), which cannot be read",
            "open it in Excel and save it as .xlsx or CSV",
        )
    position = data.find(b"\x00")
    if position >= 0:
        raise SurveyInputError(
            path,
            "the file holds binary data (NUL bytes), so it is not a CSV text export",
            EXPORT_AGAIN,
            row=data[:position].count(b"\n") + 1,
        )


def check_not_web_page(path: str | Path, text: str) -> None:
    """Refuse an HTML page (a saved login or error page instead of the export).

    Examples
    --------
    >>> check_not_web_page("x.csv", "<!DOCTYPE html><html><body>Sign in</body></html>")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    adass_survey.core.errors.SurveyInputError: x.csv: the file is a web page (HTML), not a survey export...
    """
    start = text.lstrip("\ufeff \t\r\n")[:200].lower()
    if start.startswith(("<!doctype html", "<html", "<?xml", "<head", "<body")) or re.match(r"<[a-z!?]", start):
        raise SurveyInputError(
            path,
            "the file is a web page (HTML), not a survey export; the download probably saved a sign-in or error page",
            "sign in to the survey tool, export the responses again as CSV and replace this file",
        )


def check_has_header_rows(path: str | Path, n_records: int, known_columns: int = 1) -> None:
    """Refuse a file with fewer than the two header rows an export starts with.

    ``known_columns`` is how many headers of the first row the questionnaire knows; with none, the
    file is not taken for a short export but for some other file.

    Examples
    --------
    >>> check_has_header_rows("x.csv", 1)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    adass_survey.core.errors.SurveyInputError: x.csv, row 2: the file has only 1 row...
    """
    if n_records >= 2:
        return
    if known_columns == 0:
        raise SurveyInputError(
            path,
            "the file does not look like an export of the survey: none of its column headers are questions of "
            "the questionnaire",
            "check that this is the right file; the first row must hold the question texts",
            row=1,
        )
    raise SurveyInputError(
        path,
        f"the file has only {n_records} row; an export has two header rows and then one row per respondent",
        EXPORT_AGAIN,
        row=n_records + 1,
    )


def raise_duplicate_column(path: str | Path, key: str, first: int, second: int, header: str) -> None:
    """Refuse a file in which two columns carry the same question.

    Examples
    --------
    >>> raise_duplicate_column("x.csv", "region", 5, 9, "Which region is your council in?")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    adass_survey.core.errors.SurveyInputError: x.csv, row 1, column 'Which region is your council in?': ...
    """
    raise SurveyInputError(
        path,
        f"the question appears twice, in columns {first} and {second}, so it is unclear which holds the answers",
        "delete the duplicated column (or export the survey again)",
        row=1,
        column=header,
    )


def raise_unclosed_quote(path: str | Path, first: int, last: int) -> None:
    """Refuse a file in which a quote mark is never closed, so that several rows read as one.

    Examples
    --------
    >>> raise_unclosed_quote("x.csv", 6, 14)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    adass_survey.core.errors.SurveyInputError: x.csv, row 6: a quote mark (") opened in this row is never closed...
    """
    raise SurveyInputError(
        path,
        f'a quote mark (") opened in this row is never closed, so rows {first} to {last} read as one answer '
        "and the respondents in them cannot be told apart",
        "open the file in a text editor, close or remove the stray quote mark in that row, or export again",
        row=first,
    )


def check_is_survey_export(raw: RawExport, codebook: Codebook) -> None:
    """Refuse a file that is not an export of this questionnaire (too few known column headers).

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace
    >>> from adass_survey.core.codebook import load_codebook
    >>> raw = SimpleNamespace(path="x.csv", columns_found=["respondent_id"], frame=pd.DataFrame(),
    ...                       header_rows=(["id", "name"], ["", ""]), unknown_columns=["name"])
    >>> check_is_survey_export(raw, load_codebook())  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    adass_survey.core.errors.SurveyInputError: x.csv, row 1: the file does not look like an export of the ADASS ...
    """
    from .model import column_specs

    specs = [s for s in column_specs(codebook) if s.question.type != "meta"]
    found = set(raw.columns_found)
    known = sum(s.key in found for s in specs)
    if known < MIN_SHARE_OF_KNOWN_COLUMNS * len(specs):
        seen = ", ".join(repr(h) for h in list(raw.header_rows[0])[:4] if str(h).strip()) or "none"
        raise SurveyInputError(
            raw.path,
            f"the file does not look like an export of the {codebook.survey.get('name', 'survey')}: only {known} of "
            f"its {len(specs)} question columns were recognised (first headers: {seen})",
            "check that this is the right file; the first row must hold the question texts",
            row=1,
        )
    _check_second_header_row(raw, codebook)


def _check_second_header_row(raw: RawExport, codebook: Codebook) -> None:
    id_key = codebook.id_question.id
    header1, header2 = raw.header_rows
    position = next(
        (
            j
            for j, h in enumerate(header1)
            if normalise_spelling(h) in (normalise_spelling(codebook.id_question.header), id_key)
        ),
        None,
    )
    if position is not None and position < len(header2) and header2[position].strip().isdigit():
        raise SurveyInputError(
            raw.path,
            "the second header row is missing: row 2 holds a respondent's answers where 'Response' / option "
            "labels are expected",
            EXPORT_AGAIN,
            row=2,
        )


def check_required_columns(raw: RawExport, codebook: Codebook) -> None:
    """Refuse a file missing a question column (metadata columns may be missing).

    A renamed column shows as a missing one; the message names the unknown column it most resembles.

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace
    >>> from adass_survey.core.codebook import load_codebook
    >>> from adass_survey.ingest.model import column_specs
    >>> cb = load_codebook()
    >>> keys = [s.key for s in column_specs(cb) if s.key != "region"]
    >>> raw = SimpleNamespace(path="x.csv", columns_found=keys, unknown_columns=["Which regions?"])
    >>> check_required_columns(raw, cb)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    adass_survey.core.errors.SurveyInputError: x.csv, row 1, column 'Which region is your council in?': the column is missing ...
    """
    from .model import column_specs

    found = set(raw.columns_found)
    missing = [s for s in column_specs(codebook) if s.question.type != "meta" and s.key not in found]
    if not missing:
        return
    first = missing[0]
    header = first.question.header
    if first.option_code is not None:
        header = f"{header} / {first.question.option_labels()[first.option_code]}"
    close = difflib.get_close_matches(header, raw.unknown_columns, n=1, cutoff=0.6)
    problem = "the column is missing"
    if close:
        problem += f" (the file has a column '{close[0]}', which looks like a renamed version)"
    if len(missing) > 1:
        problem += (
            f"; {len(missing) - 1} other question column(s) are missing too: "
            + ", ".join(s.key for s in missing[1:6])
            + (" ..." if len(missing) > 6 else "")
        )
    raise SurveyInputError(
        raw.path,
        problem,
        "restore the column header exactly as the questionnaire words it (see data/codebook.yaml), or export again",
        row=1,
        column=header,
    )


def check_has_respondents(raw: RawExport) -> None:
    """Refuse a file with header rows but no respondent rows.

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace
    >>> check_has_respondents(SimpleNamespace(path="x.csv", frame=pd.DataFrame({"source_row": []})))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    adass_survey.core.errors.SurveyInputError: x.csv, row 3: the file has its header rows but no respondent rows. ...
    """
    if len(raw.frame) == 0:
        raise SurveyInputError(
            raw.path,
            "the file has its header rows but no respondent rows",
            "export the survey again once responses have been collected",
            row=3,
        )


def check_unique_ids(raw: RawExport, codebook: Codebook) -> None:
    """Refuse a file in which two rows carry the same respondent id (blank ids are left to cleaning).

    Ids are compared as whole numbers where they are whole numbers ("007" equals "7").

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace
    >>> frame = pd.DataFrame({"respondent_id": ["1", "2", " 1"], "source_row": [3, 4, 5]})
    >>> check_unique_ids(SimpleNamespace(path="x.csv", frame=frame), __import__("adass_survey.core.codebook", fromlist=["x"]).load_codebook())  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    adass_survey.core.errors.SurveyInputError: x.csv, row 5, column 'Respondent ID': respondent id 1 appears more than once (rows 3 and 5)...
    """
    question = codebook.id_question
    ids = raw.frame[question.id].str.strip()
    canonical = ids.str.replace(r"^0+(?=\d)", "", regex=True)
    present = canonical[canonical != ""]
    duplicated = present.duplicated(keep=False)
    if not duplicated.any():
        return
    rows = raw.frame.loc[present.index[duplicated], "source_row"].tolist()
    value = present[duplicated].iloc[0]
    same = raw.frame.loc[present.index[duplicated & (present == value)], "source_row"].tolist()
    others = len(set(present[duplicated])) - 1
    raise SurveyInputError(
        raw.path,
        f"respondent id {value} appears more than once (rows {' and '.join(map(str, same[:5]))})"
        + (f"; {others} other id(s) are duplicated too ({len(rows)} rows in all)" if others else ""),
        "remove the duplicated responses in the survey tool (keep the complete one) and export again",
        row=same[1],
        column=question.header,
    )
