"""One disclosure policy for every table, chart, filter result and download.

The rules (reasoning in ``docs/disclosure-policy.md``):

* a count of 1 to ``threshold - 1`` councils is shown as ``[c]`` (the GSS symbol), with its
  percentage and interval, and a footnote explains it; zeros are shown;
* *secondary suppression*: in every additive line (the categories of a view and its base; a
  multi-choice option and its "not ticked" complement; a cell of one group and the same cell of the
  other groups of a filter dimension and of everyone) a suppressed cell never stands alone, and the
  suppressed cells of a line whose total is shown add up to at least ``threshold``;
* *complement rule*: a cell of a filtered group is suppressed when everyone's cell minus the group's
  cell is 1 to ``threshold - 1``; a whole group is withheld (plain message, no table) when its base or
  its complement's base is;
* the report's own printed national figures (``published=True``) are shown as published.

Build dashboard views with :func:`suppress_views`, which suppresses every group of every filter
combination *together*, so no view can be differenced against another; then check them with
:func:`audit_views`."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..tables.groups import selection_label
from ..tables.tabulate import round_half_up

SUPPRESSED = "[c]"
PUBLISHED_NOTE = "As published in the report."


@dataclass
class SuppressedTable:
    """A table after disclosure control: the only kind of table a page, chart or download takes.

    Attributes
    ----------
    question_id : the question (or ``"row by col"`` for a cross-tabulation)
    kind : ``additive``, ``binary`` or ``crosstab``
    display : strings as a reader sees them (``[c]`` where suppressed)
    values : numbers, with suppressed cells (count, percent, interval) as NA
    footnotes : notes to print under the table
    base : the base shown, or None when the table is withheld
    is_published : the national figures as printed in the report (not suppressed)
    selection : the filter this table is for (``{}`` is every respondent)
    message : plain message shown instead of the table when it is withheld, else None
    title : caption
    """

    question_id: str
    kind: str
    display: pd.DataFrame
    values: pd.DataFrame
    footnotes: list[str]
    base: int | None
    is_published: bool
    selection: dict = field(default_factory=dict)
    message: str | None = None
    title: str = ""

    @property
    def shown(self) -> bool:
        """False when the whole table is withheld (show :attr:`message` instead)."""
        return self.message is None

    @property
    def group_label(self) -> str:
        """Plain description of the councils covered, e.g. 'county councils in the North'."""
        return selection_label(self.selection)

    def to_html(self, caption: bool = True) -> str:
        """Accessible HTML table: caption with base, header cells with scope, footnotes below.

        With ``caption=False`` (a table inside a figure whose ``<figcaption>`` already says the
        same) the caption is left out and the table is labelled with ``aria-label`` instead.

        Examples
        --------
        >>> from adass_survey.tables.tabulate import frequency_table
        >>> t = frequency_table(pd.DataFrame({"dp_restrictions": ["yes"] * 52 + ["no"] * 6}), "dp_restrictions")
        >>> from adass_survey.disclosure.policy import DisclosurePolicy
        >>> "<caption>" in DisclosurePolicy().suppress(t, title="Restrictions").to_html()
        True
        """
        from html import escape

        if not self.shown:
            return f'<p class="adass-withheld" role="status">{escape(self.message)}</p>'
        label = escape(self.title or self.question_id)
        label += f" (n = {self.base}{', ' + escape(self.group_label) if self.selection else ''})"
        head = "".join(f'<th scope="col">{escape(str(c))}</th>' for c in self.display.columns)
        body = []
        for _, row in self.display.iterrows():
            cells = [f'<th scope="row">{escape(str(row.iloc[0]))}</th>']
            cells += [f"<td>{escape(str(v))}</td>" for v in row.iloc[1:]]
            body.append("<tr>" + "".join(cells) + "</tr>")
        notes = "".join(f"<p class=\"adass-footnote\">{escape(n)}</p>" for n in self.footnotes)
        return (
            (f'<table class="adass-table"><caption>{label}</caption>' if caption
             else f'<table class="adass-table" aria-label="{label}">')
            + f"<thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>{notes}"
        )

    def _repr_html_(self) -> str:
        return self.to_html()


def _pct_text(value) -> str:
    return "-" if pd.isna(value) else f"{round_half_up(float(value))}%"


def display_frame(values: pd.DataFrame, kind: str, hidden: np.ndarray) -> pd.DataFrame:
    count = [SUPPRESSED if h else str(int(c)) for c, h in zip(values["count"], hidden)]
    pct = [SUPPRESSED if h else _pct_text(p) for p, h in zip(values["percent"], hidden)]
    if kind == "crosstab":
        return pd.DataFrame({"Row": values["row_label"], "Column": values["col_label"], "Councils": count, "Percent of row": pct})
    ci = [
        SUPPRESSED if h else ("-" if pd.isna(lo) else f"{_pct_text(lo)} to {_pct_text(hi)}")
        for lo, hi, h in zip(values["ci_low"], values["ci_high"], hidden)
    ]
    return pd.DataFrame({"Answer": values["label"], "Councils": count, "Percent": pct, "95% CI": ci})


