"""Figures around the survey that are not answers of its 58 respondents, set beside those answers.

``data/published/context.csv`` holds national statistics, the March 2011 ADASS survey (132 councils)
and numbers quoted by single councils. They are real, but they describe another sample or one
council: :func:`take_up_comparison` keeps a ``sample`` column on every row so the March and
September figures are never read as one series, and :func:`context_figures` labels quoted numbers as
context. :func:`target_group_bands` bands the respondents' own target-group sizes at the report's
5,000 and 15,000 (section 2.2).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..core.proportions import percent, round_half_up
from ..present.display import table_view
from ..present.html_block import HtmlBlock
from ..published.figures import load_context
from ..tables.tabulate import COLUMNS, MISSING, MISSING_LABEL, frequency_table, wilson_percentages

MARCH_SAMPLE = "March 2011 ADASS survey (132 councils)"
SEPTEMBER_SAMPLE = "September 2011 survey (58 councils, this report)"
MARCH_IDS = ("C12", "C13", "C14", "C15")
TARGET_BANDS = ((0, 5000, "Fewer than 5,000"), (5000, 15000, "5,000 to 14,999"), (15000, np.inf, "15,000 or more"))
CONTEXT_NOTE = (
    "Context, not survey answers: these numbers are quoted in the report (national statistics, another "
    "survey, or one council's own words); they are not counts of the 58 responding councils."
)


def march_2011_context(context: pd.DataFrame | None = None) -> pd.DataFrame:
    """The March 2011 ADASS survey as the report summarises it (section 1.2).

    Returns
    -------
    pandas.DataFrame
        ``id, figure, value, unit, quote, sample`` for the 132 responses, the 83 councils at a third or
        more, the 27 of them over half and the "60% or more" some councils reached.

    Examples
    --------
    >>> march_2011_context().set_index("id")["value"].astype(int).to_dict()
    {'C12': 132, 'C13': 83, 'C14': 27, 'C15': 60}
    """
    context = load_context() if context is None else context
    rows = context[context["id"].isin(MARCH_IDS)].copy()
    missing = sorted(set(MARCH_IDS) - set(rows["id"]))
    if missing:
        raise ValueError(f"context.csv lacks the March 2011 figures {missing}")
    rows["sample"] = MARCH_SAMPLE
    return rows[["id", "figure", "value", "unit", "quote", "sample"]].reset_index(drop=True)


def _row(sample, measure, count, base, source):
    low, high = wilson_percentages(count, base)
    return {
        "sample": sample,
        "measure": measure,
        "councils": int(count),
        "base": int(base),
        "percent": 100 * count / base,
        "ci_low": float(low),
        "ci_high": float(high),
        "source": source,
    }


def take_up_comparison(survey, context: pd.DataFrame | None = None) -> pd.DataFrame:
    """Take-up of personal budgets: March 2011 headline beside the September take-up bands.

    The two samples differ (132 councils in March, 58 self-selected in September) and so do the
    thresholds (a third and a half in March; 60% in September): the rows are not a time series.

    Parameters
    ----------
    survey : from :func:`adass_survey.processed.survey.load_survey`
    context : ``context.csv`` as loaded (default: the repository's)

    Returns
    -------
    pandas.DataFrame
        Tidy, one row per (sample, measure): ``sample, measure, councils, base, percent, ci_low,
        ci_high, source``.

    Examples
    --------
    >>> from adass_survey.processed.survey import load_survey
    >>> t = take_up_comparison(load_survey())
    >>> t[["sample", "councils", "base"]].values.tolist()[:3]
    [['March 2011 ADASS survey (132 councils)', 83, 132], ['March 2011 ADASS survey (132 councils)', 27, 132], ['September 2011 survey (58 councils, this report)', 29, 58]]
    """
    march = march_2011_context(context).set_index("id")["value"]
    responses = int(march["C12"])
    rows = [
        _row(
            MARCH_SAMPLE,
            "Delivering personal budgets to a third or more of eligible people",
            int(march["C13"]),
            responses,
            "context.csv C13 (report section 1.2)",
        ),
        _row(
            MARCH_SAMPLE,
            "Of those, delivering to over half of their eligible group",
            int(march["C14"]),
            responses,
            "context.csv C14 (report section 1.2)",
        ),
    ]
    bands = frequency_table(survey.respondents, "take_up")
    bands = bands[bands["category"] != MISSING]
    for band in bands.itertuples():
        rows.append(
            _row(
                SEPTEMBER_SAMPLE,
                f"Take-up: {band.label}",
                band.count,
                band.base,
                "respondent data, reproducing the report's figures F02-07 to F02-09",
            )
        )
    return pd.DataFrame(rows)


def comparison_view(table: pd.DataFrame) -> HtmlBlock:
    """Reader-facing table of :func:`take_up_comparison`, the sample first on every row.

    Examples
    --------
    >>> from adass_survey.processed.survey import load_survey
    >>> print(repr(comparison_view(take_up_comparison(load_survey()))).splitlines()[2])
    March 2011 ADASS survey (132 councils) | Delivering personal budgets to a third or more of eligible people | 83 of 132 | 63% | 54% to 71%
    """
    pct = lambda v: f"{round_half_up(float(v))}%"  # noqa: E731
    shown = pd.DataFrame(
        {
            "Sample": table["sample"],
            "Measure": table["measure"],
            "Councils": [f"{c} of {b}" for c, b in zip(table["councils"], table["base"])],
            "Percent": [pct(p) for p in table["percent"]],
            "95% CI": [f"{pct(lo)} to {pct(hi)}" for lo, hi in zip(table["ci_low"], table["ci_high"])],
        }
    )
    notes = (
        "Two different samples: March 2011 had 132 responding councils, September 2011 had 58 self-selected "
        "ones. The thresholds differ too (a third and a half in March, 60% in September), so the rows are not "
        "a trend.",
        "Both sets of counts are real (printed in the report). 95% CI: Wilson score interval.",
    )
    return table_view(shown, "Take-up of personal budgets in two ADASS surveys of 2011", notes)


def context_figures(section: str, context: pd.DataFrame | None = None) -> pd.DataFrame:
    """The context figures the report quotes in a section (e.g. ``"6.2"``), each marked as context.

    Examples
    --------
    >>> rows = context_figures("6.2")
    >>> rows.loc[rows["id"] == "C45", ["value", "kind"]].values.tolist()
    [[249.0, 'context (quoted, not a survey answer)']]
    """
    context = load_context() if context is None else context
    section = str(section)
    keep = (context["section"] == section) | context["section"].str.startswith(section + ".")
    rows = context[keep].copy()
    rows["kind"] = "context (quoted, not a survey answer)"
    return rows.reset_index(drop=True)


def context_view(section: str, caption: str) -> HtmlBlock:
    """Table of a section's context figures with the note that they are not survey answers.

    Examples
    --------
    >>> print(repr(context_view("4.5", "Quoted costs")).splitlines()[2])
    C33 | unit cost saving against three neighbouring authorities | £150 per person | "£150 per person cheaper than services in three neighbouring authorities"
    """
    rows = context_figures(section)

    def value(row) -> str:
        v = row["value"]
        unit = row["unit"]
        number = f"{int(v):,}" if float(v).is_integer() else f"{v:g}"
        if unit == "year":
            return str(int(v))
        if unit == "share":
            return f"{round_half_up(100 * v)}%"
        if unit == "percent":
            return f"{number}%"
        if unit == "ratio":
            return f"{number} times"
        if unit.startswith("GBP"):
            return f"£{number}{unit[3:]}"
        return f"{number} {unit}"

    shown = pd.DataFrame(
        {
            "Id": rows["id"],
            "What": rows["figure"],
            "Value": rows.apply(value, axis=1),
            "In the report's words": [f'"{q}"' for q in rows["quote"]],
        }
    )
    return table_view(shown, caption, (CONTEXT_NOTE,))


def target_group_bands(survey) -> pd.DataFrame:
    """Respondents' target-group sizes banded at the report's 5,000 and 15,000 (section 2.2).

    Returns
    -------
    pandas.DataFrame
        A tabulate frequency table (``attrs["kind"] == "additive"``): one row per band and one
        "No response" row, base every respondent. Suppress it before showing it.

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace
    >>> s = SimpleNamespace(respondents=pd.DataFrame({"target_group_size": [4000, 5000, 20000, None]}))
    >>> target_group_bands(s)["count"].tolist()
    [1, 1, 1, 1]
    """
    sizes = pd.to_numeric(survey.respondents["target_group_size"], errors="coerce")
    base = len(sizes)
    rows = [
        {"category": f"band_{i}", "label": label, "count": int(((sizes >= lo) & (sizes < hi)).sum()), "base": base}
        for i, (lo, hi, label) in enumerate(TARGET_BANDS)
    ]
    rows.append({"category": MISSING, "label": MISSING_LABEL, "count": int(sizes.isna().sum()), "base": base})
    table = pd.DataFrame(rows)
    if table["count"].sum() != base:
        raise ValueError("target group sizes outside the bands (negative numbers?)")
    table.insert(0, "question_id", "target_group_size")
    table["percent"] = 100 * table["count"] / base if base else np.nan
    table["ci_low"], table["ci_high"] = wilson_percentages(table["count"], table["base"])
    table.attrs["kind"] = "additive"
    table.attrs["question_id"] = "target_group_size"
    return table[COLUMNS]


def target_group_by_type(survey, policy=None) -> pd.DataFrame:
    """Median target-group size per council type, rounded to the nearest 1,000 (illustrative).

    A type with fewer answers than the disclosure threshold gets no median.

    Examples
    --------
    >>> from adass_survey.processed.survey import load_survey
    >>> t = target_group_by_type(load_survey()).set_index("Council type")
    >>> t.loc["County council", "Median (nearest 1,000)"]
    '20,000'
    """
    from ..core.codebook import load_codebook
    from ..disclosure.policy import DisclosurePolicy
    from ..disclosure.table import SUPPRESSED

    policy = policy or DisclosurePolicy.from_env()
    data = survey.respondents
    sizes = pd.to_numeric(data["target_group_size"], errors="coerce")
    rows = []
    for option in load_codebook()["council_type"].options:
        group = sizes[data["council_type"] == option.code].dropna()
        answered = len(group)
        small = policy.is_small(answered)
        median = SUPPRESSED if small or not answered else f"{1000 * round_half_up(group.median() / 1000):,}"
        rows.append(
            {
                "Council type": option.label,
                "Councils giving a number": SUPPRESSED if small else str(answered),
                "Median (nearest 1,000)": median,
            }
        )
    return pd.DataFrame(rows)


def illustrative_crosstab(survey, row_q: str, col_q: str, title: str, policy=None) -> HtmlBlock:
    """A cross-tabulation the report never printed, through the disclosure policy, marked illustrative.

    Missing answers are left out (the base is the councils that answered both questions).

    Examples
    --------
    >>> from adass_survey.processed.survey import load_survey
    >>> out = illustrative_crosstab(load_survey(), "take_up", "on_target", "Take-up by on target")
    >>> repr(out).splitlines()[:2]
    ['Take-up by on target (illustrative, synthetic data; n = 57)', 'Current take-up of personal budgets | On target for 2013 | Councils | Percent of row']
    """
    from ..core.codebook import load_codebook
    from ..disclosure.policy import DisclosurePolicy
    from ..tables.tabulate import crosstab

    policy = policy or DisclosurePolicy.from_env()
    table = policy.suppress(crosstab(survey.respondents, row_q, col_q), title=title)
    caption = f"{title} (illustrative, synthetic data; n = {table.base})"
    if not table.shown:
        return HtmlBlock(f'<p class="adass-withheld" role="status">{table.message}</p>', table.message)
    questions = load_codebook()
    headers = {"Row": questions[row_q].short or row_q, "Column": questions[col_q].short or col_q}
    return table_view(table.display.rename(columns=headers), caption, tuple(table.footnotes))


def _printed_table(rows: pd.DataFrame, question_id: str, title: str):
    """The printed counts of one question as a table shown as published: labels, percentages of the base, errata."""
    from ..core.codebook import load_codebook
    from ..disclosure.table import PUBLISHED_NOTE, SuppressedTable

    question = load_codebook()[question_id]
    labels = {
        **question.option_labels(),
        **question.theme_labels(),
        **{b.code: b.label for b in question.bands},
        MISSING: "Did not respond",
    }
    labels = {
        code: labels.get(code) or " or ".join(labels.get(p, p) for p in code.split("|")) for code in rows["category"]
    } | labels
    labels = {c: (f"Answered ({lab})" if "|" in c else lab) for c, lab in labels.items()}
    base = int(rows["published_base"].iloc[0]) if "published_base" in rows else 58
    count = rows["published_count"].astype(int).to_numpy()
    low, high = wilson_percentages(count, base)
    label = [
        labels.get(c, c) + (f" [{e}]" if isinstance(e, str) and e else "")
        for c, e in zip(rows["category"], rows["erratum_id"])
    ]
    values = pd.DataFrame(
        {
            "question_id": question_id,
            "category": rows["category"].to_numpy(),
            "label": label,
            "count": pd.array(count, dtype="Int64"),
            "base": base,
            "percent": 100 * count / base,
            "ci_low": low,
            "ci_high": high,
        }
    )
    printed_pct = ["-" if pd.isna(p) else f"{int(p)}%" for p in rows["percent_printed"]]
    display = pd.DataFrame(
        {
            "Answer": label,
            "Printed": [str(c) for c in count],
            "From the data": rows["reproduced_count"].astype(int).astype(str).to_numpy(),
            f"Percent of {base}": [f"{percent(c, base)}%" for c in count],
            "Printed percent": printed_pct,
        }
    )
    notes = [
        PUBLISHED_NOTE + f" Counts as printed, in the report's order; percentages of all {base} councils.",
        "One answer can carry several themes, so the bars do not add up to the total."
        if question.type == "text"
        else "A combined answer (one or the other) overlaps the answers it combines.",
    ]
    table = SuppressedTable(
        question_id=question_id,
        kind="binary",
        display=display,
        values=values,
        footnotes=notes,
        base=base,
        is_published=True,
        title=title,
    )
    return table


def printed_figures_chart(survey, section: str, question_id: str, title: str):
    """The counts the report printed for one question, in the report's order, beside the data.

    Each bar is a printed count (real national figure, shown as published even when small) as a
    percentage of the report's base; the table beside it gives the printed count, the count
    reproduced from the data, the printed percentage and any erratum.

    Returns
    -------
    adass_survey.present.plot.Chart

    Examples
    --------
    >>> from adass_survey.processed.survey import load_survey
    >>> chart = printed_figures_chart(load_survey(), "4.5", "cost_effectiveness", "Evidence is thin")
    >>> chart.table.display["Printed"].tolist()[:3], chart.n
    (['7', '5', '3'], 58)
    """
    from ..present.plot import bar_chart
    from .section import section_figures

    rows = section_figures(survey, section)
    rows = rows[(rows["question"] == question_id) & rows["published_count"].notna()].sort_values("id")
    if rows.empty:
        raise ValueError(f"the report prints no count for '{question_id}' in section {section}")
    table = _printed_table(rows, question_id, title)
    base, label = table.base, list(table.values["label"])
    count = table.values["count"].astype(int).to_numpy()
    values = table.values
    alt = (
        f"Bar chart: {title.rstrip('.')}. Counts printed in the report, in its order, of {base} councils: "
        + "; ".join(f"{lab}: {c} ({percent(c, base)}%)" for lab, c in zip(label, count))
        + "."
    )
    chart = bar_chart(table, title, n=base, alt_text=alt)
    top = min(100, 10 * int(np.ceil((values["percent"].max() + 15) / 10)))
    ax = chart.figure.axes[0]
    ax.set_xlim(0, top + 12)
    ax.set_xticks(range(0, top + 1, 10), [f"{t}%" for t in range(0, top + 1, 10)])
    chart.figure.set_size_inches(12, chart.figure.get_size_inches()[1])
    chart.figure.tight_layout()
    return chart
