"""Download links for a table, as CSV or as a GSS-style spreadsheet, with no server round-trip.

Links are ``<a download=... href="data:...;base64,...">`` so they work in a read-only Voilà page.
They take a :class:`~adass_survey.disclosure.table.SuppressedTable` only: a download holds exactly what the
page shows (``[c]`` where the page shows ``[c]``), never the true counts.

The CSV is tidy (one row per category): the answer, the councils, the percentage and its 95% interval as numbers
(``[c]`` as text where hidden), the base, the group, a ``Status`` column (``as published in the report`` or
``synthetic (illustrative)``) and a ``Note`` column explaining each ``[c]``; no codes, only words. The
spreadsheet holds the same columns; it is written with ``gptables``: a cover sheet (synthetic-data notice, base, what ``[c]``
means), a contents sheet, a notes sheet and the table. Its document title is the cover's, and its "created" date is
fixed (1 January 1980, the date every part of the file carries inside the zip), so the same table always gives the
same bytes: a rebuilt views catalogue keeps its files, and their content-hash names, unchanged.
"""

from __future__ import annotations

import base64
import io
import re
import warnings
from datetime import datetime
from html import escape

import gptables as gpt
import pandas as pd

from .. import SYNTHETIC_NOTICE
from ..disclosure.table import PUBLISHED_NOTE, SUPPRESSED, SuppressedTable
from ..tables.groups import selection_label
from ..tables.tabulate import round_half_up

CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_CREATED = datetime(1980, 1, 1)  # as the zip entries: the file depends on its table only


def _require_suppressed(table) -> SuppressedTable:
    if not isinstance(table, SuppressedTable):
        raise TypeError("downloads take a SuppressedTable (the same figures as the page), never a raw table")
    if not table.shown:
        raise ValueError(f"this table is withheld and cannot be downloaded: {table.message}")
    return table


def _status(table: SuppressedTable) -> str:
    return "as published in the report" if table.is_published else "synthetic (illustrative)"


HIDDEN_NOTE = (
    "[c] confidential: fewer than the disclosure threshold of councils gave one of the hidden answers (in this group "
    "or outside it), and any hidden figure would let it be worked out, so none is shown"
)
"""The note beside every ``[c]`` cell of a download (the same for each hidden cell: which one is small is not said)."""

FREQUENCY_COLUMNS = {
    "label": "Answer",
    "count": "Councils",
    "percent": "Percent",
    "ci_low": "95% interval, lower (percent)",
    "ci_high": "95% interval, upper (percent)",
}
CROSSTAB_COLUMNS = {
    "row_label": "Row answer",
    "col_label": "Column answer",
    "count": "Councils",
    "percent": "Percent of row",
}
COMMON_COLUMNS = ["Base (councils)", "Group", "Status", "Note"]


def _cell(value, hidden: bool, whole: bool):
    """A download cell: ``[c]`` (text) when hidden, a number otherwise (None when there is none)."""
    if hidden:
        return SUPPRESSED
    if pd.isna(value):
        return None
    return int(value) if whole else round_half_up(float(value))


def download_frame(table: SuppressedTable) -> pd.DataFrame:
    """The tidy frame a download holds: the page's figures as numbers, ``[c]`` (text, with its note) where hidden.

    Counts are whole numbers; percentages and the 95% (Wilson) interval are whole percentages rounded half up, as on
    the page. No machine columns (question or category codes); headers are words.

    Examples
    --------
    >>> from adass_survey.disclosure.policy import DisclosurePolicy
    >>> from adass_survey.tables.tabulate import frequency_table
    >>> t = frequency_table(pd.DataFrame({"strategy": ["yes"] * 55 + ["no"] * 3}), "strategy")
    >>> download_frame(DisclosurePolicy().suppress(t))["Councils"].tolist()
    ['[c]', '[c]', 0]
    >>> list(download_frame(DisclosurePolicy().published(t)).columns)[:5]
    ['Answer', 'Councils', 'Percent', '95% interval, lower (percent)', '95% interval, upper (percent)']
    """
    table = _require_suppressed(table)
    v = table.values.reset_index(drop=True)
    hidden = (table.display["Councils"] == SUPPRESSED).to_numpy()
    names = CROSSTAB_COLUMNS if table.kind == "crosstab" else FREQUENCY_COLUMNS
    out = pd.DataFrame(index=range(len(v)))
    for column, header in names.items():
        if column.endswith("label"):
            out[header] = v[column].astype(str)
        else:
            out[header] = pd.Series([_cell(x, h, column == "count") for x, h in zip(v[column], hidden)], dtype=object)
    out["Base (councils)"] = int(table.base)
    out["Group"] = selection_label(table.selection) if table.selection else "all responding councils"
    out["Status"] = _status(table)
    out["Note"] = [HIDDEN_NOTE if h else "" for h in hidden]
    return out


def csv_bytes(table: SuppressedTable) -> bytes:
    """The CSV download (UTF-8 with BOM, so spreadsheet programs read the text correctly).

    Examples
    --------
    >>> import pandas as pd
    >>> from adass_survey.disclosure.policy import DisclosurePolicy
    >>> from adass_survey.tables.tabulate import frequency_table
    >>> t = frequency_table(pd.DataFrame({"dp_restrictions": ["yes"] * 52 + ["no"] * 6}), "dp_restrictions")
    >>> csv_bytes(DisclosurePolicy().published(t)).decode("utf-8-sig").splitlines()[1]
    'Yes,52,90,79,95,58,all responding councils,as published in the report,'
    """
    return download_frame(table).to_csv(index=False).encode("utf-8-sig")


def _link(data: bytes, mime: str, filename: str, text: str) -> str:
    safe_name = re.sub(r"[^A-Za-z0-9._-]", "_", filename)
    payload = base64.b64encode(data).decode("ascii")
    return (
        f'<a download="{escape(safe_name, quote=True)}" href="data:{mime};base64,{payload}" '
        f'class="adass-download">{escape(text)}</a>'
    )


def csv_download_link(table: SuppressedTable, filename: str, text: str | None = None) -> str:
    """An HTML link that downloads the table as CSV.

    Examples
    --------
    >>> from adass_survey.disclosure.policy import DisclosurePolicy
    >>> from adass_survey.tables.tabulate import frequency_table
    >>> t = DisclosurePolicy().suppress(frequency_table(pd.DataFrame({"strategy": ["yes"] * 58}), "strategy"))
    >>> csv_download_link(t, "strategy.csv").startswith('<a download="strategy.csv" href="data:text/csv;base64,')
    True
    """
    return _link(csv_bytes(table), CSV_MIME, filename, text or f"Download this table as CSV ({filename})")


def _notes(table: SuppressedTable) -> pd.DataFrame:
    notes = [
        ("status", PUBLISHED_NOTE if table.is_published else SYNTHETIC_NOTICE),
        (
            "c",
            next(
                (n for n in table.footnotes if n.startswith(SUPPRESSED)),
                "[c] marks a figure that is not shown to keep responding councils anonymous (none in this table).",
            ),
        ),
        (
            "base",
            f"Base: {table.base} councils ({selection_label(table.selection) if table.selection else 'all responding councils'}).",
        ),
    ]
    return pd.DataFrame({"Note reference": [r for r, _ in notes], "Note text": [t for _, t in notes]})


def xlsx_bytes(table: SuppressedTable, title: str | None = None) -> bytes:
    """The spreadsheet download (GSS good practice via gptables): cover, contents, notes, table.

    Examples
    --------
    >>> import io, openpyxl, pandas as pd
    >>> from adass_survey.disclosure.policy import DisclosurePolicy
    >>> from adass_survey.tables.tabulate import frequency_table
    >>> t = frequency_table(pd.DataFrame({"dp_restrictions": ["yes"] * 52 + ["no"] * 6}), "dp_restrictions")
    >>> book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(DisclosurePolicy().published(t))))
    >>> book.sheetnames[0], book.properties.title
    ('Cover', 'ADASS Personalisation Survey 2011: dp_restrictions')
    >>> xlsx_bytes(DisclosurePolicy().published(t)) == xlsx_bytes(DisclosurePolicy().published(t))
    True
    """
    table = _require_suppressed(table)
    title = title or table.title or table.question_id
    frame = download_frame(table)
    sheet = gpt.GPTable(
        table=frame,
        table_name="figures",
        title=f"{title} $$status$$",
        subtitles=[f"Base: {table.base} councils $$base$$", f"{SUPPRESSED} = confidential $$c$$"],
        source="ADASS Personalisation Survey, September 2011",
        index_columns={2: 0},
    )
    document_title = f"ADASS Personalisation Survey 2011: {title}"
    cover = gpt.Cover(
        title=document_title,
        intro=[PUBLISHED_NOTE if table.is_published else SYNTHETIC_NOTICE],
        about=[
            f"Base: {table.base} councils.",
            f"{SUPPRESSED} means a figure is confidential: fewer than the disclosure threshold of councils, or a "
            "figure from which such a count could be worked out. It is not shown, to keep responding councils anonymous.",
            "Councils are whole numbers and percentages are whole percentages rounded half up, stored as numbers; the 95% interval is the Wilson score interval. A [c] cell is text, with its reason in the Note column.",
        ],
    )
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # gptables: unreferenced-note and pandas deprecation notices
        workbook = gpt.produce_workbook(
            filename=buffer,
            sheets={"Table_1": sheet},
            cover=cover,
            notes_table=_notes(table),
            workbook_options={"in_memory": True},
        )
        workbook.set_properties({"title": document_title, "created": XLSX_CREATED})
        workbook.close()
    return buffer.getvalue()


def xlsx_download_link(table: SuppressedTable, filename: str, title: str | None = None, text: str | None = None) -> str:
    """An HTML link that downloads the table as a GSS-style spreadsheet.

    Examples
    --------
    >>> from adass_survey.disclosure.policy import DisclosurePolicy
    >>> from adass_survey.tables.tabulate import frequency_table
    >>> t = DisclosurePolicy().suppress(frequency_table(pd.DataFrame({"strategy": ["yes"] * 58}), "strategy"))
    >>> "spreadsheetml.sheet;base64," in xlsx_download_link(t, "strategy.xlsx")
    True
    """
    return _link(
        xlsx_bytes(table, title), XLSX_MIME, filename, text or f"Download this table as a spreadsheet ({filename})"
    )
