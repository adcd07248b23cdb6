"""Read a CSV file of ``data/`` as its header and its rows of text: the package's one CSV reader of data files.

Plain :mod:`csv` (no pandas), so that the pages which never import pandas read the published figures as the
validated tables do (:func:`adass_survey.published.figures.read_validated` builds its DataFrame from these rows).
A missing, undecodable or ragged file is refused with a :class:`~adass_survey.core.errors.SurveyInputError` naming
the file and the line.
"""

from __future__ import annotations

import csv
from pathlib import Path

from .errors import SurveyInputError


def read_csv_rows(path: str | Path) -> tuple[list[str], list[dict[str, str]]]:
    """Return a CSV file's header and its rows, each a dict from column to text as written (``""`` when empty).

    Blank lines are skipped. A row with more or fewer cells than the header is refused.

    Raises
    ------
    SurveyInputError
        If the file is missing, is not UTF-8 text, or has a row of the wrong length (names the line).

    Examples
    --------
    >>> from adass_survey.core.paths import published_dir
    >>> header, rows = read_csv_rows(published_dir() / "errata.csv")
    >>> header[:3], rows[0]["id"], rows[0]["section"]
    (['id', 'section', 'kind'], 'E01', '1.6')
    """
    path = Path(path)
    if not path.exists():
        raise SurveyInputError(path, "the file does not exist", "restore it from the repository")
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            lines = [(reader.line_num, cells) for cells in reader if cells]
    except (UnicodeDecodeError, csv.Error) as error:
        raise SurveyInputError(path, f"the file is not a readable UTF-8 CSV ({error})", "fix or restore it") from error
    if not lines:
        raise SurveyInputError(path, "the file is empty", "restore it from the repository", row=1)
    header = lines[0][1]
    rows = []
    for line, cells in lines[1:]:
        if len(cells) != len(header):
            raise SurveyInputError(
                path, f"the line has {len(cells)} cells, the header {len(header)}", "fix the line", row=line
            )
        rows.append(dict(zip(header, cells)))
    return header, rows
