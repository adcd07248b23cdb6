"""Filter views of one question: the national view, every selection a panel offers (planned and suppressed
together), and each view's table, chart and downloads, drawn once into a panel entry of the views catalogue.

Every dashboard view is computed from tables that have already been through the disclosure policy
(:func:`adass_survey.disclosure.plan.suppress_views`), so a reader's kernel holds no unsuppressed cell of a
filtered group."""

from __future__ import annotations

from html import escape

import matplotlib.pyplot as plt
import pandas as pd

from ..core.codebook import load_codebook
from ..disclosure.plan import plan_views, suppress_views
from ..disclosure.policy import DisclosurePolicy
from ..published.figures import load_figures
from ..tables.groups import ALL, DEFAULT_DIMENSIONS, all_selections, check_panel, selection_key, selection_label
from ..tables.groups import dimensions as filter_dimensions
from ..tables.tabulate import (
    COLUMNS,
    frequency_table,
    multi_table,
    theme_table,
    wilson_percentages,
)
from .display import chart_html
from .downloads import csv_download_link, xlsx_download_link
from .html_block import HtmlBlock
from .plot import bar_chart, likert_chart, theme_chart

OTHER = "__other__"


OTHER_LABEL = "Any other answer or no response"


ILLUSTRATIVE = "Illustrative (synthetic data): the report never printed this breakdown."


DIMENSIONS = DEFAULT_DIMENSIONS


def _table_for(respondents: pd.DataFrame, themes: pd.DataFrame, question_id: str) -> pd.DataFrame:
    question = load_codebook()[question_id]
    if question.type == "text":
        return theme_table(themes, respondents, question_id)
    if question.type == "multi":
        return multi_table(respondents, question_id)
    return frequency_table(respondents, question_id)


def _chart_for(table, question_id: str, title: str, n: int | None):
    question = load_codebook()[question_id]
    if question.type == "text":
        return theme_chart(table, title, n=n)
    if question.type == "likert5":
        return likert_chart(table, title, n=n)
    return bar_chart(table, title, n=n)


def _published_categories(question_id: str) -> set[str]:
    figures = load_figures()
    exact = figures[(figures["question"] == question_id) & (figures["check"] == "exact")]
    return set(exact["category"])


def is_published_table(table: pd.DataFrame, question_id: str) -> bool:
    """True when every non-zero cell of a national table is a count the report printed, or follows from them.

    Such a table is shown as published (real national figures); any other table goes through the
    disclosure policy like every filtered view.

    Examples
    --------
    >>> from adass_survey.processed.survey import load_survey
    >>> r = load_survey().respondents
    >>> is_published_table(frequency_table(r, "dp_restrictions"), "dp_restrictions")
    True
    >>> is_published_table(frequency_table(r, "outcomes_monitored"), "outcomes_monitored")  # 2 "no", 1 blank
    False
    >>> is_published_table(frequency_table(r, "advisory_self_funders"), "advisory_self_funders")  # 8 "no" printed
    True
    """
    published = _published_categories(question_id) | {OTHER}
    shown = set(table.loc[table["count"] > 0, "category"])
    if not shown & (published - {OTHER}):
        return False
    unprinted = shown - published
    # In a table whose categories add up to the base, one unprinted category is the base minus the printed ones.
    return not unprinted or (table.attrs.get("kind") == "additive" and len(unprinted) == 1)


def merge_unpublished(table: pd.DataFrame, published: set[str]) -> pd.DataFrame:
    """Fold the categories the report did not print into one "any other answer or no response" row.

    The report printed, say, that 55 of 58 councils monitor outcomes; the remaining 3 follow from
    that and may be shown as one row, but splitting them (2 "no", 1 no response) would be new,
    small and synthetic. Only additive tables (closed questions whose categories sum to the base)
    are folded; others are returned unchanged.

    Examples
    --------
    >>> r = pd.DataFrame({"outcomes_monitored": ["yes"] * 55 + ["no"] * 2 + [None]})
    >>> merged = merge_unpublished(frequency_table(r, "outcomes_monitored"), {"yes"})
    >>> merged[["category", "count", "base"]].values.tolist()
    [['yes', 55, 58], ['__other__', 3, 58]]
    """
    if table.attrs.get("kind") != "additive" or not published & set(table["category"]):
        return table
    keep = table["category"].isin(published)
    if keep.all():
        return table
    other = {
        "question_id": table["question_id"].iloc[0],
        "category": OTHER,
        "label": OTHER_LABEL,
        "count": int(table.loc[~keep, "count"].sum()),
        "base": int(table["base"].iloc[0]),
    }
    merged = pd.concat(
        [table[keep][["question_id", "category", "label", "count", "base"]], pd.DataFrame([other])], ignore_index=True
    )
    merged["percent"] = 100 * merged["count"] / merged["base"].where(merged["base"] > 0)
    merged["ci_low"], merged["ci_high"] = wilson_percentages(merged["count"], merged["base"])
    merged.attrs.update(table.attrs)
    return merged[COLUMNS]


def _derivable_table(table: pd.DataFrame, question_id: str) -> pd.DataFrame:
    """The national table with unpublished categories folded when the report printed the others."""
    published = _published_categories(question_id)
    shown = set(table.loc[table["count"] > 0, "category"])
    if len(shown - published) <= 1 or not shown & published:
        return table
    return merge_unpublished(table, published)


def _file_stem(question_id: str, selection: dict) -> str:
    parts = [question_id] + [f"{k}-{v}" for k, v in selection_key(selection)]
    return "adass-2011_" + "_".join(parts)


def view_html(table, chart, selection: dict) -> HtmlBlock:
    """One view: caption line, chart with its accessible table, and download links.

    Examples
    --------
    >>> from adass_survey.processed.survey import load_survey
    >>> views = QuestionViews(load_survey(), "dp_restrictions", "Nine in ten councils restrict direct payments")
    >>> table = views.table({})
    >>> view_html(table, bar_chart(table, views.title, n=table.base), {})
    Nine in ten councils restrict direct payments | all responding councils (n = 58) | As published in the report (real national figures).
    """
    if not table.shown:
        plt.close(chart.figure)  # a withheld view shows its message only: its chart must not stay open either
        return HtmlBlock(f'<p class="adass-withheld" role="status">{escape(table.message)}</p>', table.message)
    who = "all responding councils" if not selection else selection_label(selection)
    status = (
        "As published in the report (real national figures)."
        if table.is_published
        else ILLUSTRATIVE
        if selection
        else "From the synthetic respondent data."
    )
    figure_html = chart_html(chart)
    plt.close(chart.figure)  # a dashboard kernel draws a chart per filter change: never keep them open
    stem = _file_stem(table.question_id, selection)
    links = (
        f'<p class="adass-downloads">Download this table: {csv_download_link(table, stem + ".csv")} · '
        f"{xlsx_download_link(table, stem + '.xlsx', title=chart.title)}</p>"
    )
    html = (
        f'<div class="adass-view"><p class="adass-view-status"><strong>{escape(status)}</strong></p>'
        f"{figure_html}{links}</div>"
    )
    text = f"{chart.title} | {who} (n = {table.base}) | {status}"
    return HtmlBlock(html, text)


class QuestionViews:
    """Every filter view of one question, suppressed together before anything is shown.

    Parameters
    ----------
    survey : from :func:`adass_survey.processed.survey.load_survey`
    question_id : codebook question id
    title : statement title of the chart (the finding)
    dimensions : filter dimensions

    Examples
    --------
    >>> from adass_survey.processed.survey import load_survey
    >>> views = QuestionViews(load_survey(), "dp_restrictions", "Nine in ten councils restrict direct payments")
    >>> views.table({}).is_published
    True
    >>> views.table({"council_type": "county"}).display["Councils"].tolist()  # a small "no" hides its "yes" too
    ['[c]', '[c]', '0']
    """

    def __init__(
        self,
        survey,
        question_id: str,
        title: str,
        dimensions: tuple[str, ...] = DIMENSIONS,
        policy: DisclosurePolicy | None = None,
    ):
        check_panel(tuple(dimensions), question_id)
        self.question_id = question_id
        self.title = title
        self.policy = policy or DisclosurePolicy.from_env()
        respondents, themes = survey.respondents, survey.themes
        national = _table_for(respondents, themes, question_id)
        folded = _derivable_table(national, question_id)
        fold = folded is not national
        published = is_published_table(folded, question_id)
        self.plan = plan_views(respondents, dimensions, self.policy)

        def make_table(group: pd.DataFrame) -> pd.DataFrame:
            table = _table_for(group, themes[themes["respondent_id"].isin(group["respondent_id"])], question_id)
            return merge_unpublished(table, _published_categories(question_id)) if fold else table

        self._tables = suppress_views(
            self.plan,
            respondents,
            make_table,
            published_national=published,
            policy=self.policy,
            title=title,
            exact=True,
        )
        self._rendered: dict[tuple, HtmlBlock] = {}

    def table(self, selection: dict):
        """The suppressed table of one selection."""
        return self._tables[selection_key(selection)]

    def title_for(self, selection: dict) -> str:
        """The chart title: the national finding, or a neutral description for a filtered group.

        A filtered view is illustrative (synthetic data), so its title states what is shown, not a finding.

        Examples
        --------
        >>> from adass_survey.processed.survey import load_survey
        >>> views = QuestionViews(load_survey(), "dp_restrictions", "Nine in ten councils restrict direct payments")
        >>> views.title_for({"council_type": "county"})
        'Restrictions on the use of direct payments: county councils (illustrative)'
        """
        if not selection:
            return self.title
        question = load_codebook()[self.question_id]
        topic = question.short or question.header
        return f"{topic}: {selection_label(selection)} (illustrative)"

    def render(self, selection: dict) -> HtmlBlock:
        """The view of one selection: status, chart, accessible table, downloads.

        Drawn once per selection and kept: the views are fixed, so a reader returning to a filter
        (or the page drawing the national view for the panel and for its static form) costs nothing.

        Examples
        --------
        >>> from adass_survey.processed.survey import load_survey
        >>> views = QuestionViews(load_survey(), "dp_restrictions", "Nine in ten councils restrict direct payments")
        >>> views.render({"council_type": "county"}) is views.render({"council_type": "county"})
        True
        """
        key = selection_key(selection)
        if key not in self._rendered:
            table = self.table(selection)
            chart = _chart_for(table, self.question_id, self.title_for(selection), table.base)
            self._rendered[key] = view_html(table, chart, selection)
        return self._rendered[key]

    def all_tables(self) -> dict:
        """Every suppressed table by selection key (for audits and tests)."""
        return dict(self._tables)


def base_text(plan, selection: dict, dims) -> str:
    """The base line of one filter view, e.g. "Showing 17 county councils (n = 17)".

    The size of a withheld group is not given: it could itself reveal a small group.

    Examples
    --------
    >>> from adass_survey.processed.survey import load_survey
    >>> from adass_survey.tables.groups import dimensions
    >>> views = QuestionViews(load_survey(), "dp_restrictions", "Nine in ten councils restrict direct payments")
    >>> base_text(views.plan, {"council_type": "county"}, dimensions())
    'Showing 17 county councils (n = 17)'
    """
    label = selection_label(selection, dims)
    base = plan.base(selection)
    if plan.withheld[plan.index(selection)]:
        return f"Selected: {label} (number of councils not shown)"
    if not selection:
        return f"Showing all {base} councils (n = {base})"
    return f"Showing {base} {label} (n = {base})"


def panel_entry(views: QuestionViews, dimension_ids: tuple[str, ...]) -> dict:
    """Every view of a filter panel, drawn once, as plain data a page can show without a kernel.

    Returns
    -------
    dict
        ``dimensions``: per filter, its id, label and options (label, code), "all" first;
        ``views``: per selection key (``"county|all"``, codes in dimension order), its ``html``,
        ``text`` and ``base`` line; a withheld selection holds the policy's plain message.

    Examples
    --------
    >>> from adass_survey.processed.survey import load_survey
    >>> views = QuestionViews(load_survey(), "dp_restrictions", "Nine in ten", ("council_type",))
    >>> entry = panel_entry(views, ("council_type",))
    >>> [label for label, _ in entry["dimensions"][0]["options"]][:2]
    ['All council types', 'London borough']
    >>> entry["views"]["county"]["base"]
    'Showing 17 county councils (n = 17)'
    """
    dims = filter_dimensions()
    panel = [
        {
            "id": d,
            "label": dims[d].label,
            "description": dims[d].description,
            "options": [[dims[d].all_label, ALL], *([label, code] for code, label in dims[d].options)],
        }
        for d in dimension_ids
    ]
    entry = {"kind": "panel", "dimensions": panel, "views": {}}
    for selection in all_selections(tuple(dimension_ids), dims):
        key = "|".join(selection.get(d, ALL) for d in dimension_ids)
        blocked = views.plan.message(selection)
        shown = (
            HtmlBlock(f'<p class="adass-withheld" role="status">{escape(blocked)}</p>', blocked)
            if blocked
            else views.render(selection)
        )
        entry["views"][key] = {"html": shown.html, "text": shown.text, "base": base_text(views.plan, selection, dims)}
    filters = ", ".join(d["label"].lower() for d in panel)
    entry["text"] = f"Filter panel ({filters}). Default view: {entry['views'][all_key(dimension_ids)]['text']}"
    return entry


def all_key(dimension_ids) -> str:
    """Key of the unfiltered view of a panel.

    Examples
    --------
    >>> all_key(("council_type", "region_group"))
    'all|all'
    """
    return "|".join(ALL for _ in dimension_ids)


def explore(survey, question_id: str, title: str, dimensions: tuple[str, ...] = DIMENSIONS) -> dict:
    """Every view of a filter panel over one question: council type and region group, with the base.

    The national view comes first; a filtered view is illustrative (synthetic data) and goes through
    the disclosure policy together with every other view, so no small group can be worked out.
    ``dimensions=("take_up_band",)`` filters by another question's answer instead (an answer
    dimension from the codebook's ``answer_filters``, in a panel of its own).

    Examples
    --------
    >>> from adass_survey.processed.survey import load_survey
    >>> entry = explore(load_survey(), "dp_restrictions", "Nine in ten councils restrict direct payments")
    >>> entry["views"]["county|all"]["base"]
    'Showing 17 county councils (n = 17)'
    >>> by_take_up = explore(load_survey(), "full_take_up_year", "When", dimensions=("take_up_band",))
    >>> by_take_up["views"]["below_60"]["base"]
    'Showing 29 councils answering "Less than 60%" (current take-up of personal budgets) (n = 29)'
    """
    views = QuestionViews(survey, question_id, title, tuple(dimensions))
    return panel_entry(views, tuple(dimensions))
