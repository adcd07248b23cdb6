"""A chart and table drawn only from counts the report printed.

Some national tables cannot be shown from the respondent data: the report printed one count
("55 (95%) monitor outcomes") but not how the rest split, and the unpublished small counts force
the whole table to ``[c]``. The printed counts themselves are real, national and public, so they
can be charted as published, on the base the report used (for example the 13 councils without
individual-level accounting in section 10.2).
"""

from __future__ import annotations

import pandas as pd

from ..core.codebook import MISSING, load_codebook
from ..disclosure.policy import DisclosurePolicy
from ..published.figures import load_figures
from ..tables.tabulate import table_from_rows
from .display import show_chart
from .html_block import HtmlBlock
from .plot import bar_chart

MISSING_LABEL = "No response"


def _label(question_id: str, category: str) -> str:
    if category == MISSING:
        return MISSING_LABEL
    question = load_codebook()[question_id]
    labels = {**question.option_labels(), **question.theme_labels()}
    return " or ".join(labels.get(code, code) for code in category.split("|"))


def published_table(figure_ids: list[str]) -> pd.DataFrame:
    """The printed counts of some figures as a tabulate-style table (one base, counts as printed).

    Parameters
    ----------
    figure_ids : ``figures.csv`` ids, all with a printed count and the same question and base

    Returns
    -------
    pandas.DataFrame
        Columns of :data:`adass_survey.tables.tabulate.COLUMNS`; ``attrs["kind"]`` is ``binary`` (the
        categories of a free-text question may overlap).

    Examples
    --------
    >>> published_table(["F10-08", "F10-10", "F10-07"])[["label", "count", "base"]].values.tolist()
    [['Described a transition plan', 8, 13], ['No plans, ambivalent about corporate systems', 2, 13], ['No response', 1, 13]]
    """
    figures = load_figures().set_index("id").loc[list(figure_ids)]
    if figures["count"].isna().any():
        raise ValueError(f"no printed count for {', '.join(figures.index[figures['count'].isna()])}")
    for column in ("question", "base"):
        if figures[column].nunique() != 1:
            raise ValueError(f"the figures must share one {column}; got {sorted(map(str, figures[column].unique()))}")
    question_id = figures["question"].iloc[0]
    rows = [
        {
            "category": row["category"],
            "label": _label(question_id, row["category"]),
            "count": int(row["count"]),
            "base": int(row["base"]),
        }
        for _, row in figures.iterrows()
    ]
    return table_from_rows(rows, question_id, "binary")


def published_view(figure_ids: list[str], title: str) -> HtmlBlock:
    """Chart and accessible table of counts the report printed, shown as published (not suppressed).

    Parameters
    ----------
    figure_ids : ``figures.csv`` ids with printed counts, one question, one base
    title : statement title, true of the figures shown

    Examples
    --------
    >>> published_view(["F10-08", "F10-10", "F10-07"], "Eight of the 13 described a plan")
    Chart: Eight of the 13 described a plan (n = 13)
    """
    table = published_table(figure_ids)
    shown = DisclosurePolicy.from_env().published(table, title=title)
    return show_chart(bar_chart(shown, title, n=int(table["base"].iloc[0])))
