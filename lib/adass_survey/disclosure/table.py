"""A table after disclosure control (:class:`SuppressedTable`) and its accessible HTML.

A :class:`SuppressedTable` holds what a reader may see: strings with ``[c]`` where a count is
suppressed, numbers with the suppressed cells as NA, footnotes, the base, and a plain message
instead of the table when the whole table is withheld. Charts, pages and downloads take only this."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..core.proportions import round_half_up
from ..tables.groups import selection_label

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
        notes = "".join(f'<p class="adass-footnote">{escape(n)}</p>' for n in self.footnotes)
        return (
            f'<table class="adass-table"><caption>{label}</caption>'
            if caption
            else f'<table class="adass-table" aria-label="{label}">'
        ) + f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{notes}"

    def _repr_html_(self) -> str:
        return self.to_html()


def _pct_text(value) -> str:
    return "-" if pd.isna(value) else f"{round_half_up(float(value))}%"


def display_frame(values: pd.DataFrame, kind: str, hidden: np.ndarray) -> pd.DataFrame:
    """The strings a reader sees of a table's values: ``[c]`` in every hidden row, percentages rounded half up.

    Parameters
    ----------
    values : a table of :mod:`adass_survey.tables.tabulate` (a cross-tabulation with its row and column labels)
    kind : ``additive``, ``binary`` or ``crosstab``
    hidden : one flag per row of ``values``, True where the count is suppressed

    Examples
    --------
    >>> from adass_survey.tables.tabulate import frequency_table
    >>> t = frequency_table(pd.DataFrame({"on_target": ["yes"] * 55 + ["no"] * 3}), "on_target", include_missing=False)
    >>> display_frame(t, "additive", np.array([True, True])).values.tolist()
    [['Yes', '[c]', '[c]', '[c]'], ['No', '[c]', '[c]', '[c]']]
    >>> display_frame(t, "additive", np.array([False, False]))["95% CI"].tolist()
    ['86% to 98%', '2% to 14%']
    """
    count = [SUPPRESSED if h else str(int(c)) for c, h in zip(values["count"], hidden)]
    pct = [SUPPRESSED if h else _pct_text(p) for p, h in zip(values["percent"], hidden)]
    if kind == "crosstab":
        return pd.DataFrame(
            {"Row": values["row_label"], "Column": values["col_label"], "Councils": count, "Percent of row": pct}
        )
    ci = [
        SUPPRESSED if h else ("-" if pd.isna(lo) else f"{_pct_text(lo)} to {_pct_text(hi)}")
        for lo, hi, h in zip(values["ci_low"], values["ci_high"], hidden)
    ]
    return pd.DataFrame({"Answer": values["label"], "Councils": count, "Percent": pct, "95% CI": ci})
