"""The blocks of a report section drawn from the published figures: headlines, example answers, caveats.

:func:`headlines` sets each figure the report printed for a section beside the same figure recomputed
from the data, with its base and a Wilson interval; :func:`example_answers` picks screened synthetic
free-text answers per theme; :func:`caveats` states the section's caveats and errata, its sentences
read from ``data/caveats.yaml`` with their numbers taken from the frame, the figures and the
disclosure policy. Each returns a block with a plain-text form that nbval compares; notebooks reach
them through :mod:`adass_survey.report`."""

from __future__ import annotations

from html import escape

import pandas as pd

from ..core.codebook import load_codebook
from ..present.html_block import HtmlBlock
from ..published.figures import load_errata, load_figures
from ..tables.tabulate import (
    figure_with_base,
)

SYNTHETIC_CAVEAT = (
    "Respondent-level data are synthetic (see the notice at the top of the page): only the report's published "
    "figures are real."
)


def _in_section(sections: pd.Series, section: str) -> pd.Series:
    section = str(section)
    return (sections == section) | sections.str.startswith(section + ".")


_RECONCILED: dict[int, tuple[object, pd.DataFrame]] = {}


def _reconciled(survey) -> pd.DataFrame:
    from ..published.reconcile import reconcile

    cached = _RECONCILED.get(id(survey))
    if cached is None or cached[0] is not survey:
        cached = (survey, reconcile(survey))
        _RECONCILED[id(survey)] = cached
    return cached[1]


def section_figures(survey, section: str) -> pd.DataFrame:
    """The published figures of a report section, each recomputed from the data.

    Parameters
    ----------
    survey : from :func:`adass_survey.processed.survey.load_survey`
    section : report section, e.g. ``"7"`` (all of 7.x) or ``"7.1"``

    Returns
    -------
    pandas.DataFrame
        The rows of :func:`adass_survey.published.reconcile.reconcile` for the section, with the report's quote.

    Examples
    --------
    >>> from adass_survey.processed.survey import load_survey
    >>> figures = section_figures(load_survey(), "7.1")
    >>> figures[["id", "published_count", "reproduced_count", "status"]].values.tolist()
    [['F07-01', 52, 52, 'reproduced'], ['F07-02', 6, 6, 'reproduced']]
    """
    result = _reconciled(survey)
    quotes = load_figures().set_index("id")["quote"]
    rows = result[_in_section(result["section"].astype(str), section)].copy()
    rows["quote"] = rows["id"].map(quotes)
    return rows.reset_index(drop=True)


def _status_text(row) -> str:
    if row["status"] == "reproduced":
        return "reproduced"
    if row["status"] == "erratum":
        return f"reproduced with a listed erratum ({row['erratum_id']})"
    return "NOT reproduced"


def _published_text(row) -> str:
    """The printed figure as the headline sentence says it ("published 52 (90%)", "published a vague quantifier (most)")."""
    from ..published.reconcile import printed_text

    return ("a " if pd.isna(row["published_count"]) else "") + printed_text(row)


def headlines(survey, section: str) -> HtmlBlock:
    """The figures the report printed for a section, each with its reproduction, base and interval.

    The published numbers are real national aggregates and are shown as published, even below the
    disclosure threshold (the report printed them).

    Examples
    --------
    >>> from adass_survey.processed.survey import load_survey
    >>> print(repr(headlines(load_survey(), "7.1")).splitlines()[1])
    - F07-01 (7.1) "52 (90%) of respondents have some form of restriction" | published 52 (90%) | data: 52 of 58 councils (90%, 95% CI 79% to 95%) | reproduced
    """
    rows = section_figures(survey, section)
    lines, items = [f"Published figures of section {section}, recomputed from the data:"], []
    for _, row in rows.iterrows():
        data = figure_with_base(int(row["reproduced_count"]), int(row["reproduced_base"]))
        line = (
            f'- {row["id"]} ({row["section"]}) "{row["quote"]}" | published {_published_text(row)} | '
            f"data: {data} | {_status_text(row)}"
        )
        lines.append(line)
        items.append(
            f'<li id="fig-{escape(row["id"], quote=True)}"><q>{escape(row["quote"])}</q> '
            f'<span class="adass-published">published: '
            f"{escape(_published_text(row))}</span>; from the data: <strong>{escape(data)}</strong> "
            f'<span class="adass-status adass-{row["status"]}">{escape(_status_text(row))}</span> '
            f"<small>[{escape(row['id'])}, section {escape(str(row['section']))}]</small></li>"
        )
    if rows.empty:
        lines.append("- The report prints no count for this section.")
        items.append("<li>The report prints no count for this section.</li>")
    html = f'<section class="adass-headlines"><ul>{"".join(items)}</ul></section>'
    return HtmlBlock(html, "\n".join(lines))


def example_answers(survey, question_id: str, themes_wanted: list[str] | None = None, k: int = 3) -> HtmlBlock:
    """A few free-text answers per theme, screened for identifying words, marked synthetic.

    Examples
    --------
    >>> from adass_survey.processed.survey import load_survey
    >>> out = example_answers(load_survey(), "risk_management", ["risk_panels"], k=1)
    >>> repr(out).startswith("Example answers (synthetic")
    True
    """
    from ..disclosure.redact import example_answers as pick

    question = load_codebook()[question_id]
    labels = question.theme_labels()
    wanted = themes_wanted or [t.code for t in question.frame]
    blocks, lines = [], [f"Example answers (synthetic, screened for identifying words) to: {question.header}"]
    for theme in wanted:
        answers = pick(survey.themes, survey.respondents, question_id, theme, k=k)
        if not answers:
            continue
        lines.append(f"{labels.get(theme, theme)}: {len(answers)} example(s)")
        answers = [a.strip().lstrip("-•* ").strip() for a in answers]  # exports keep typed bullet marks
        quoted = "".join(f"<li><q>{escape(a)}</q></li>" for a in answers)
        blocks.append(f"<h3>{escape(labels.get(theme, theme))}</h3><ul>{quoted}</ul>")
    html = (
        f'<section class="adass-examples"><p><em>Example answers are synthetic (written to resemble real '
        f"answers, some quoting the report) and screened for identifying words.</em></p>{''.join(blocks)}</section>"
    )
    return HtmlBlock(html, "\n".join(lines))


def caveat_notes() -> dict:
    """The sentences of ``data/caveats.yaml``: the ``caveats`` templates, ``printed_note`` and ``cohort_basis``.

    Examples
    --------
    >>> sorted(caveat_notes())
    ['caveats', 'cohort_basis', 'printed_note']
    """
    import yaml

    from ..core.paths import data_dir

    with open(data_dir() / "caveats.yaml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def caveat_sentences(policy=None) -> list[str]:
    """The general caveats of every section, their numbers taken from the frame, the response-rate figure and the policy.

    Examples
    --------
    >>> from adass_survey.disclosure.policy import DisclosurePolicy
    >>> caveat_sentences()[0][:60]
    'Self-selected sample: 58 of 152 councils chose to answer (38'
    >>> caveat_sentences(DisclosurePolicy(10))[-1][-50:]
    'Counts below 10 in any breakdown are shown as [c].'
    """
    from math import ceil

    from ..core.proportions import percent
    from ..disclosure.policy import DisclosurePolicy
    from ..published.figures import load_frame
    from ..published.reconcile import COHORT_QUESTION

    notes = caveat_notes()
    policy = policy or DisclosurePolicy.from_env()
    figures = load_figures()
    rate = figures[(figures["question"] == COHORT_QUESTION) & (figures["base_rule"] == "frame")].iloc[0]
    responded, invited = int(rate["count"]), int(load_frame()["councils"].sum())
    recomputed = percent(responded, invited)
    printed = rate["percent_printed"]
    printed_note = (
        ""
        if pd.isna(printed) or int(printed) == recomputed
        else notes["printed_note"].format(printed_rate=int(printed), erratum=rate["erratum_id"])
    )
    values = {
        "responded": responded,
        "invited": invited,
        "rate": recomputed,
        "printed_note": printed_note,
        "one_council": ceil(100 / responded),
        "threshold": policy.threshold,
        "synthetic": SYNTHETIC_CAVEAT,  # the full notice is stated once, at the top of the page
    }
    return [template.format(**values) for template in notes["caveats"]]


def caveats(section: str, extra: list[str] | None = None) -> HtmlBlock:
    """The caveats of a section: self-selection, synthetic data, small bases, and its errata.

    Examples
    --------
    >>> print(repr(caveats("1.6")).splitlines()[-1][:26])
    - Erratum E02 (1.6): 58 of
    """
    items = caveat_sentences() + list(extra or [])
    errata = load_errata()
    touching = errata[_in_section(errata["section"].astype(str), section)]
    for _, row in touching.iterrows():
        items.append(
            f"Erratum {row['id']} ({row['section']}): {row['problem']}"
            + (f" Reading used: {row['reading']}" if isinstance(row["reading"], str) and row["reading"] else "")
        )
    html = (
        '<section class="adass-caveats"><h3>Caveats</h3><ul>'
        + "".join(f"<li>{escape(i)}</li>" for i in items)
        + "</ul></section>"
    )
    return HtmlBlock(html, "Caveats:\n" + "\n".join(f"- {i}" for i in items))
