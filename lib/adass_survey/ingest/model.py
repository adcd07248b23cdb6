"""The raw export as read: :class:`RawExport`, its columns as the codebook describes them, its row faults.

Nothing is interpreted at this stage: every cell stays the text the survey tool wrote. A column is
keyed by its question id, or ``<id>__<option>`` for one option of a multi-choice question
(:func:`column_specs`). Row-level structural faults (too many or too few fields, a truncated last
line, control characters) are recorded as :class:`RowFault` for :mod:`adass_survey.clean` to
quarantine."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..core.codebook import Codebook, Question

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
    >>> from adass_survey.core.codebook import load_codebook
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
