"""The one module notebooks import: every block a report-section notebook shows, by literal arguments.

Each function takes only plain values (section numbers, question ids, titles), never a data frame,
so a page is fully described by its calls. Each returns a displayable block with a plain-text
form that nbval compares. The survey is loaded once, on first use (:func:`survey`).

This layer sits on top of every stage (core to present) and may import any of them; nothing in the
package imports it.
"""

from __future__ import annotations

_SURVEY = []


def survey():
    """The processed survey (synthetic respondents), loaded once per kernel.

    Examples
    --------
    >>> len(survey().respondents)
    58
    """
    if not _SURVEY:
        from ..processed.survey import load_survey

        _SURVEY.append(load_survey())
    return _SURVEY[0]


def banner():
    """The synthetic-data banner at the top of every notebook.

    Examples
    --------
    >>> banner().text.startswith("Respondent-level data here are synthetic")
    True
    """
    from ..present.display import banner as draw

    return draw()


def headlines(section: str):
    """The figures the report printed for a section, each recomputed with its base and interval.

    Examples
    --------
    >>> print(repr(headlines("7.1")).splitlines()[0])
    Published figures of section 7.1, recomputed from the data:
    """
    from .section import headlines as draw

    return draw(survey(), section)


def explore(question_id: str, title: str, dimensions: tuple[str, ...] = ("council_type", "region_group")):
    """A filter panel over one question (the national view first; filtered views are illustrative).

    Examples
    --------
    >>> explore("dp_restrictions", "Nine in ten restrict").views.table({}).base
    58
    """
    from ..present.views import explore as draw

    return draw(survey(), question_id, title, tuple(dimensions))


def examples(question_id: str, themes: list[str] | None = None, k: int = 3):
    """A few synthetic free-text answers per theme, screened for identifying words.

    Examples
    --------
    >>> repr(examples("risk_management", ["risk_panels"], k=1)).startswith("Example answers (synthetic")
    True
    """
    from .section import example_answers

    return example_answers(survey(), question_id, themes, k=k)


def caveats(section: str, extra: list[str] | None = None):
    """The caveats of a section: self-selection, synthetic data, small bases and its errata.

    Examples
    --------
    >>> repr(caveats("7")).startswith("Caveats:")
    True
    """
    from .section import caveats as draw

    return draw(section, extra)


def context(section: str, caption: str):
    """Figures the report quotes in a section that are not answers of this survey.

    Examples
    --------
    >>> repr(context("3", "Numbers quoted in section 3")).splitlines()[0]
    'Numbers quoted in section 3'
    """
    from .context import context_view

    return context_view(section, caption)


def printed_chart(section: str, question_id: str, title: str):
    """The counts the report printed for one question, as a chart beside the data.

    Examples
    --------
    >>> printed_chart("2.1", "on_target", "55 of 58 are on target")
    Chart: 55 of 58 are on target (n = 58)
    """
    from ..present.display import show_chart
    from .context import printed_figures_chart

    return show_chart(printed_figures_chart(survey(), section, question_id, title))


def crosstab(row_question: str, column_question: str, title: str):
    """A cross-tabulation the report never printed, through the disclosure policy, marked illustrative.

    Examples
    --------
    >>> "illustrative" in repr(crosstab("take_up", "on_target", "Take-up by on target")).lower()
    True
    """
    from .context import illustrative_crosstab

    return illustrative_crosstab(survey(), row_question, column_question, title)


def take_up_comparison():
    """Take-up of personal budgets in this survey beside the national March 2011 figures.

    Examples
    --------
    >>> "March 2011" in repr(take_up_comparison())
    True
    """
    from .context import comparison_view
    from .context import take_up_comparison as compare

    return comparison_view(compare(survey()))


def target_group_bands(title: str):
    """Target-group sizes banded at the report's 5,000 and 15,000, as a chart.

    Examples
    --------
    >>> target_group_bands("Most count 5,000 to 15,000")
    Chart: Most count 5,000 to 15,000 (n = 58)
    """
    from ..disclosure.policy import DisclosurePolicy
    from ..present.display import show_chart
    from ..present.plot import bar_chart
    from .context import target_group_bands as bands_of

    bands = DisclosurePolicy.from_env().suppress(bands_of(survey()), title="Target group size")
    return show_chart(bar_chart(bands, title, n=bands.base))


def target_group_by_type(caption: str, notes: list[str] | None = None):
    """Median target-group size per council type (illustrative), as an accessible table.

    Examples
    --------
    >>> repr(target_group_by_type("Median by type")).splitlines()[0]
    'Median by type'
    """
    from ..present.display import table_view
    from .context import target_group_by_type as medians

    return table_view(medians(survey()), caption, notes or [])


def response_rates(by: str, title: str):
    """Response rates against the 2011 frame, by region or council type, as a chart.

    Examples
    --------
    >>> response_rates("region", "Response by region")
    Chart: Response by region (n = 152)
    """
    from ..present.display import show_chart
    from .cohort import response_rate_chart

    return show_chart(response_rate_chart(survey(), by, title))


def cohort_reconciliation():
    """The council types printed against the 58 respondents: how the report's counts fit together.

    Examples
    --------
    >>> "58" in repr(cohort_reconciliation())
    True
    """
    from .cohort import reconciliation_view

    return reconciliation_view()


def coder_agreement():
    """How well the free-text coder agrees with a human coder on the report's own quotes.

    Examples
    --------
    >>> "agree" in repr(coder_agreement()).lower()
    True
    """
    from .agreement import agreement_view

    return agreement_view()


def published(figure_ids: list[str], title: str):
    """A chart and table drawn only from counts the report printed.

    Examples
    --------
    >>> published(["F09-01"], "Nineteen in twenty monitor outcomes")
    Chart: Nineteen in twenty monitor outcomes (n = 58)
    """
    from ..present.published_view import published_view

    return published_view(list(figure_ids), title)


def message(message_id: str):
    """One key message of the report's conclusions with the figures that bear on it.

    Examples
    --------
    >>> repr(message("12.1")).startswith("Key message 12.1")
    True
    """
    from .key_messages import show_message

    return show_message(survey(), message_id)


def evidence_summary(columns: list[str]):
    """One line per key message: how many linked figures reproduce and how they bear on it.

    Examples
    --------
    >>> list(evidence_summary(["linked"]).columns)
    ['linked']
    """
    from .key_messages import evidence_summary as summary

    return summary(survey()).set_index("message_id")[list(columns)]


def thin_evidence(columns: list[str]):
    """The linked figures a key message should not lean on too hard, and why.

    Examples
    --------
    >>> list(thin_evidence(["reasons"]).columns)
    ['reasons']
    """
    from .key_messages import thin_evidence as thin

    return thin(survey()).set_index(["message_id", "figure_id"])[list(columns)]
