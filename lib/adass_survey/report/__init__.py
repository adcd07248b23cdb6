"""The one module notebooks import: every block a report-section notebook shows, by literal arguments.

Each function takes only plain values (section numbers, question ids, titles), never a data frame,
so a page is fully described by its calls. A call is answered from the views catalogue
(:mod:`adass_survey.report.catalogue`, built by ``python -m adass_survey catalogue``) when it holds the
call and is current: then nothing heavier than ipywidgets is imported. Otherwise it is computed live
from the processed survey (a researcher's new call in JupyterLab), the same way the catalogue was.
Each returns a displayable block with a plain-text form that nbval compares.

This layer sits on top of every stage (core to present) and may import any of them; nothing in the
package imports it.
"""

from __future__ import annotations

import functools

from ..present.frames import frame_html, show_frames_accessibly
from .catalogue import call_key, stored
from .researcher import section_columns  # noqa: F401 - the researcher's route to a section's data

show_frames_accessibly()  # a frame a notebook shows is valid HTML, every header cell scoped

_SURVEY = []
LIVE: dict = {}
"""Every block by name: the function that computes it live (registered by :func:`block`)."""


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


def entry_of(shown) -> dict:
    """A computed block as plain data for the catalogue: its HTML and its plain text.

    Examples
    --------
    >>> from adass_survey.present.html_block import HtmlBlock
    >>> entry_of(HtmlBlock("<p>x</p>", "x"))
    {'kind': 'html', 'html': '<p>x</p>', 'text': 'x'}
    """
    if isinstance(shown, dict):
        return shown
    if type(shown).__module__.startswith("pandas"):  # a table shows as a notebook shows it, whatever the terminal
        import pandas as pd

        with pd.option_context("display.max_columns", 20, "display.width", 80):
            return {"kind": "html", "html": frame_html(shown), "text": repr(shown)}
    return {"kind": "html", "html": shown._repr_html_(), "text": repr(shown)}


def shown(entry: dict, key: str = "panel"):
    """The displayable form of a catalogue entry: a :class:`~adass_survey.present.html_block.HtmlBlock` block or a panel.

    Examples
    --------
    >>> shown({"kind": "html", "html": "<p>x</p>", "text": "x"})
    x
    """
    if entry["kind"] == "panel":
        from ..present.panel import Panel

        return Panel(entry, f"adass-panel-{key[:12]}")
    from ..present.html_block import HtmlBlock

    return HtmlBlock(entry["html"], entry["text"])


def compute(name: str, args: list, kwargs: dict) -> dict:
    """Compute one call live, as the catalogue stores it.

    Examples
    --------
    >>> compute("caveats", ["7"], {})["text"].startswith("Caveats:")
    True
    """
    return entry_of(LIVE[name](*arguments(name, args, kwargs)))


def arguments(name: str, args: list, kwargs: dict) -> list:
    """Every argument of a call in signature order, defaults filled in and tuples as lists: its catalogue key.

    Examples
    --------
    >>> arguments("examples", ["risk_management"], {"k": 1})
    ['risk_management', None, 1]
    """
    import inspect

    if name not in LIVE:
        raise ValueError(f"report.{name} is not a view the notebooks can show")
    bound = inspect.signature(LIVE[name]).bind(*args, **kwargs)
    bound.apply_defaults()
    return [list(v) if isinstance(v, tuple) else v for v in bound.arguments.values()]


def block(live):
    """Register ``live``, which computes a block from the survey, and return the facade function a notebook calls.

    The facade function has the same name, signature and docstring; it answers from the views catalogue when the
    catalogue holds the call and is current, and otherwise computes it live with ``live`` (a researcher's own call).
    Heavy imports stay inside ``live``, so a page answered from the catalogue imports neither pandas nor matplotlib.
    """
    name = live.__name__
    LIVE[name] = live

    @functools.wraps(live)
    def show(*args, **kwargs):
        full = arguments(name, list(args), kwargs)
        entry = stored(name, full, {}) or compute(name, full, {})
        return shown(entry, call_key(name, full, {}))

    return show


@block
def banner():
    """The synthetic-data banner at the top of every notebook.

    Examples
    --------
    >>> banner().text.startswith("Respondent-level data here are synthetic")
    True
    """
    from ..present.display import banner as draw

    return draw()


@block
def headlines(section: str):
    """The figures the report printed for a section, each recomputed with its base and interval.

    Examples
    --------
    >>> print(repr(headlines("7.1")).splitlines()[0])
    Published figures of section 7.1, recomputed from the data:
    """
    from .section import headlines as draw

    return draw(survey(), section)


@block
def explore(question_id: str, title: str, dimensions: tuple[str, ...] = ("council_type", "region_group")):
    """A filter panel over one question (the national view first; filtered views are illustrative).

    Examples
    --------
    >>> explore("dp_restrictions", "Nine in ten restrict").entry["views"]["county|all"]["base"]
    'Showing 17 county councils (n = 17)'
    """
    from ..present.views import explore as draw

    return draw(survey(), question_id, title, tuple(dimensions))


@block
def examples(question_id: str, themes: list[str] | None = None, k: int = 3):
    """A few synthetic free-text answers per theme, screened for identifying words.

    Examples
    --------
    >>> repr(examples("risk_management", ["risk_panels"], k=1)).startswith("Example answers (synthetic")
    True
    """
    from .section import example_answers

    return example_answers(survey(), question_id, themes, k=k)


@block
def caveats(section: str, extra: list[str] | None = None):
    """The caveats of a section: self-selection, synthetic data, small bases and its errata.

    Examples
    --------
    >>> repr(caveats("7")).startswith("Caveats:")
    True
    """
    from .section import caveats as draw

    return draw(section, extra)


@block
def context(section: str, caption: str):
    """Figures the report quotes in a section that are not answers of this survey.

    Examples
    --------
    >>> repr(context("3", "Numbers quoted in section 3")).splitlines()[0]
    'Numbers quoted in section 3'
    """
    from .context_figures import context_view

    return context_view(section, caption)


@block
def printed_chart(section: str, question_id: str, title: str):
    """The counts the report printed for one question, as a chart beside the data.

    Examples
    --------
    >>> printed_chart("2.1", "on_target", "55 of 58 are on target")
    Chart: 55 of 58 are on target (n = 58)
    """
    from ..present.display import show_chart
    from .context_figures import printed_figures_chart

    return show_chart(printed_figures_chart(survey(), section, question_id, title))


@block
def crosstab(row_question: str, column_question: str, title: str):
    """A cross-tabulation the report never printed, through the disclosure policy, marked illustrative.

    Examples
    --------
    >>> "illustrative" in repr(crosstab("take_up", "on_target", "Take-up by on target")).lower()
    True
    """
    from .context_figures import illustrative_crosstab

    return illustrative_crosstab(survey(), row_question, column_question, title)


@block
def take_up_comparison():
    """Take-up of personal budgets in this survey beside the national March 2011 figures.

    Examples
    --------
    >>> "March 2011" in repr(take_up_comparison())
    True
    """
    from .context_figures import comparison_view
    from .context_figures import take_up_comparison as compare

    return comparison_view(compare(survey()))


@block
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
    from .context_figures import target_group_bands as bands_of

    bands = DisclosurePolicy.from_env().suppress(bands_of(survey()), title="Target group size")
    return show_chart(bar_chart(bands, title, n=bands.base))


@block
def target_group_by_type(caption: str, notes: list[str] | None = None):
    """Median target-group size per council type (illustrative), as an accessible table.

    Examples
    --------
    >>> repr(target_group_by_type("Median by type")).splitlines()[0]
    'Median by type'
    """
    from ..present.display import table_view
    from .context_figures import target_group_by_type as medians

    return table_view(medians(survey()), caption, notes or [])


@block
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


@block
def cohort_reconciliation():
    """The council types printed against the 58 respondents: how the report's counts fit together.

    Examples
    --------
    >>> "58" in repr(cohort_reconciliation())
    True
    """
    from .cohort import reconciliation_view

    return reconciliation_view()


@block
def coder_agreement():
    """How well the free-text coder agrees with a human coder on the report's own quotes.

    Examples
    --------
    >>> "agree" in repr(coder_agreement()).lower()
    True
    """
    from .agreement import agreement_view

    return agreement_view()


@block
def published(figure_ids: list[str], title: str):
    """A chart and table drawn only from counts the report printed.

    Examples
    --------
    >>> published(["F09-01"], "Nineteen in twenty monitor outcomes")
    Chart: Nineteen in twenty monitor outcomes (n = 58)
    """
    from ..present.published_view import published_view

    return published_view(list(figure_ids), title)


@block
def message(message_id: str):
    """One key message of the report's conclusions with the figures that bear on it.

    Examples
    --------
    >>> repr(message("12.1")).startswith("Key message 12.1")
    True
    """
    from .key_messages import show_message

    return show_message(survey(), message_id)


@block
def evidence_summary(columns: list[str]):
    """One line per key message: how many linked figures reproduce and how they bear on it.

    Examples
    --------
    >>> repr(evidence_summary(["linked"])).splitlines()[1]
    'message_id | linked'
    """
    from ..present.display import table_view
    from .key_messages import evidence_summary as summary

    frame = summary(survey())[["message_id", *columns]]
    return table_view(frame, "The key messages and the figures linked to each: how many reproduce, how they bear on it")


@block
def thin_evidence(columns: list[str]):
    """The linked figures a key message should not lean on too hard, and why.

    Examples
    --------
    >>> repr(thin_evidence(["reasons"])).splitlines()[1]
    'message_id | figure_id | reasons'
    """
    from ..present.display import table_view
    from .key_messages import thin_evidence as thin

    frame = thin(survey())[["message_id", "figure_id", *columns]]
    return table_view(frame, "Linked figures to lean on lightly, and why")
