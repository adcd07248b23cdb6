"""The blank export template: the two header rows a survey-tool export has, in codebook order.

Row 1 holds the question text (multi-choice questions span one column per option, the text in the first);
row 2 holds ``Response``, ``Open-Ended Response``, the option label of a multi-choice column, or nothing for the
identifier and metadata columns. ``python -m adass_survey build --raw FILE`` reads a file with these rows.
"""

from __future__ import annotations

import csv
from pathlib import Path

from ..core.codebook import Codebook, load_codebook

BLANK_SECOND_ROW = ("id", "meta")
OPEN_ENDED = ("text", "number", "percent_text")


def template_columns(codebook: Codebook | None = None) -> list[tuple[str, str, str]]:
    """Return the export's columns: ``(processed column, header row 1, header row 2)``.

    Examples
    --------
    >>> columns = template_columns()
    >>> columns[0]
    ('respondent_id', 'Respondent ID', '')
    >>> [c for c in columns if c[0].startswith("advisory_user_groups")][1]
    ('advisory_user_groups__physical_disability', '', 'People with a physical disability')
    """
    codebook = codebook or load_codebook()
    columns = []
    for q in codebook.questions:
        if q.type == "multi":
            columns += [(q.multi_column(o.code), q.header if i == 0 else "", o.label) for i, o in enumerate(q.options)]
        elif q.type in BLANK_SECOND_ROW:
            columns.append((q.id, q.header, ""))
        else:
            columns.append((q.id, q.header, "Open-Ended Response" if q.type in OPEN_ENDED else "Response"))
    return columns


def template_rows(codebook: Codebook | None = None) -> list[list[str]]:
    """Return the two header rows of a blank export.

    Examples
    --------
    >>> first, second = template_rows()
    >>> first[:2], second[4]
    (['Respondent ID', 'Collector ID'], 'Response')
    """
    columns = template_columns(codebook)
    return [[c[1] for c in columns], [c[2] for c in columns]]


def write_template(out: str | Path, codebook: Codebook | None = None) -> Path:
    """Write the blank export template as UTF-8 CSV (the survey tool's two header rows, no respondents).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = write_template(Path(folder) / "template.csv")
    ...     path.read_text(encoding="utf-8").count("\\n")
    2
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows(template_rows(codebook))
    return out
