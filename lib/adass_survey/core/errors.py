"""Errors a reader can act on without reading code.

A :class:`SurveyInputError` names the file and, where known, the row and column at fault. The
command line prints its message and exits with code 2; it never shows a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class SurveyInputError(Exception):
    """A file-level fault in an input file: the whole file is refused.

    Parameters
    ----------
    path : path of the file at fault
    problem : what is wrong, in plain language
    fix : what the reader should do about it
    row : 1-based line number in the file, if one row is at fault
    column : column header (question text or id), if one column is at fault

    Examples
    --------
    >>> str(SurveyInputError("export.csv", "the file is empty", "export the survey again", row=1))
    'export.csv, row 1: the file is empty. What to do: export the survey again.'
    """

    path: str | Path
    problem: str
    fix: str = ""
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = [str(self.path)]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        message = f"{', '.join(where)}: {self.problem}."
        if self.fix:
            message += f" What to do: {self.fix}."
        return message


class DisclosureError(Exception):
    """Raised when an output would reveal a cell below the disclosure threshold.

    Parameters
    ----------
    message : what would be revealed, and from which views
    views : selection keys of the views involved (most specific first), so a caller can withhold one

    Examples
    --------
    >>> DisclosureError("cell 'no' shows 3", views=[(("council_type", "county"),)]).views
    ((('council_type', 'county'),),)
    """

    def __init__(self, message: str, views=()):
        super().__init__(message)
        self.views = tuple(views)
