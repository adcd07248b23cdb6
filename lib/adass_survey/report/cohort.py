"""Who answered: the 58 responding councils against the 152 councils of the 2011 frame.

The report prints the respondents by region (real counts, which sum to 58) and by council type (which
sum to 68, erratum E01). :func:`cohort_table` counts the respondents of the data by region or council
type beside the councils of ``data/reference/frame_2011.csv``; :func:`response_rates` adds the response
rate with its Wilson 95% interval and an England row; :func:`council_type_reconciliation` sets the
council types as published beside the reading used (E01). The counts by region equal the published
ones (checked by :mod:`adass_survey.published.reconcile`), so the regional rates are real; the rates by type
rest on the erratum reading.
"""

from __future__ import annotations

import pandas as pd

from ..core.codebook import load_codebook
from ..core.proportions import round_half_up
from ..present.display import table_view
from ..present.html_block import HtmlBlock
from ..published.figures import load_errata, load_figures, load_frame
from ..tables.tabulate import wilson_percentages
from .section import caveat_notes

BY = ("region", "council_type")
ENGLAND = "__england__"
BASIS = caveat_notes()["cohort_basis"]
"""The basis of the tables by region (as published) and by council type (as read, erratum E01): ``data/caveats.yaml``."""


def _check_by(by: str) -> None:
    if by not in BY:
        raise ValueError(f"by must be one of {BY}, not '{by}'")


def cohort_table(survey, by: str = "region") -> pd.DataFrame:
    """Respondents and councils of the 2011 frame, per region or council type.

    Parameters
    ----------
    survey : from :func:`adass_survey.processed.survey.load_survey` (any object with ``respondents``)
    by : ``"region"`` or ``"council_type"``

    Returns
    -------
    pandas.DataFrame
        One row per category in codebook order: ``by, category, label, respondents, councils``
        (councils in the frame) and ``share`` (percent of all respondents, unrounded).

    Raises
    ------
    ValueError
        If ``by`` is not a dimension, a respondent's category is not in the frame, or a category has
        more respondents than councils.

    Examples
    --------
    >>> from adass_survey.processed.survey import load_survey
    >>> t = cohort_table(load_survey(), "region").set_index("category")
    >>> t.loc["london", ["respondents", "councils"]].tolist()
    [10, 33]
    """
    _check_by(by)
    question = load_codebook()[by]
    frame = load_frame().groupby(by)["councils"].sum().astype(int)
    answers = survey.respondents[by].dropna()
    unknown = sorted(set(answers) - set(frame.index))
    if unknown:
        raise ValueError(f"respondents' {by} not in the 2011 frame: {unknown}")
    counts = answers.value_counts()
    rows = [
        {
            "by": by,
            "category": o.code,
            "label": o.label,
            "respondents": int(counts.get(o.code, 0)),
            "councils": int(frame.get(o.code, 0)),
        }
        for o in question.options
    ]
    table = pd.DataFrame(rows)
    over = table[table["respondents"] > table["councils"]]
    if not over.empty:
        first = over.iloc[0]
        raise ValueError(
            f"{first['label']}: {first['respondents']} respondents but only {first['councils']} "
            "councils in the 2011 frame"
        )
    table["share"] = 100 * table["respondents"] / max(len(answers), 1)
    return table


def response_rates(survey, by: str = "region", england: bool = True) -> pd.DataFrame:
    """Response rate (respondents / councils in the frame) with a Wilson 95% interval.

    Parameters
    ----------
    survey : from :func:`adass_survey.processed.survey.load_survey`
    by : ``"region"`` or ``"council_type"``
    england : add a last row for all of England (category ``"__england__"``)

    Returns
    -------
    pandas.DataFrame
        :func:`cohort_table` columns plus ``rate, ci_low, ci_high`` (percent, unrounded) and
        ``basis`` (as published, or as read under erratum E01).

    Examples
    --------
    >>> from adass_survey.processed.survey import load_survey
    >>> t = response_rates(load_survey(), "region").set_index("category")
    >>> round(t.loc["london", "rate"]), round(t.loc["__england__", "rate"])
    (30, 38)
    """
    table = cohort_table(survey, by)
    if england:
        total = {
            "by": by,
            "category": ENGLAND,
            "label": "England",
            "respondents": int(table["respondents"].sum()),
            "councils": int(table["councils"].sum()),
            "share": float(table["share"].sum()),
        }
        table = pd.concat([table, pd.DataFrame([total])], ignore_index=True)
    table["rate"] = 100 * table["respondents"] / table["councils"]
    table["ci_low"], table["ci_high"] = wilson_percentages(table["respondents"], table["councils"])
    table["basis"] = BASIS[by]
    return table


def council_type_reconciliation() -> pd.DataFrame:
    """The report's council types as published beside the reading used (erratum E01).

    The published counts come from ``figures.csv`` (F01-13 to F01-16). The reading subtracts the
    London boroughs from the printed "borough/unitary" count, as erratum E01 reads it.

    Returns
    -------
    pandas.DataFrame
        ``category, published_label, published, read_label, read, councils`` (councils in the
        frame; for the combined published row, the London boroughs and unitary councils together),
        with a last ``total`` row.

    Examples
    --------
    >>> t = council_type_reconciliation().set_index("category")
    >>> t.loc["total", ["published", "read"]].tolist()
    [68, 58]
    >>> int(t.loc["unitary", "read"])
    24
    """
    figures = load_figures()
    types = figures[(figures["question"] == "council_type") & (figures["base_rule"] == "cohort")]
    printed = dict(zip(types["category"], types["count"].astype(int)))
    frame = load_frame().groupby("council_type")["councils"].sum().astype(int)
    labels = load_codebook()["council_type"].option_labels()
    rows = []
    for code in labels:
        if code in printed:
            rows.append(
                {
                    "category": code,
                    "published_label": labels[code],
                    "published": printed[code],
                    "read_label": labels[code],
                    "read": printed[code],
                    "councils": int(frame[code]),
                }
            )
    combined = [c for c in printed if "|" in c]
    for category in combined:
        parts = category.split("|")
        single = [p for p in parts if p in printed]
        rest = [p for p in parts if p not in printed]
        if len(rest) != 1:
            raise ValueError(f"cannot read the combined council type '{category}': expected one new type in it")
        read = printed[category] - sum(printed[p] for p in single)
        rows.append(
            {
                "category": rest[0],
                "published_label": "Borough/unitary (as printed)",
                "published": printed[category],
                "read_label": labels[rest[0]],
                "read": read,
                "councils": int(frame[rest[0]]),
            }
        )
    table = pd.DataFrame(rows)
    total = {
        "category": "total",
        "published_label": "Total",
        "published": int(table["published"].sum()),
        "read_label": "Total",
        "read": int(table["read"].sum()),
        "councils": int(table["councils"].sum()),
    }
    erratum = load_errata().set_index("id")
    table = pd.concat([table, pd.DataFrame([total])], ignore_index=True)
    table.attrs["erratum"] = erratum.loc["E01", "problem"] if "E01" in erratum.index else ""
    return table


def _pct(value) -> str:
    return f"{round_half_up(float(value))}%"


def rates_display(rates: pd.DataFrame) -> pd.DataFrame:
    """Reader-facing columns of :func:`response_rates` (rounded half up, as the report does).

    Examples
    --------
    >>> from adass_survey.processed.survey import load_survey
    >>> [str(v) for v in rates_display(response_rates(load_survey(), "council_type")).iloc[1]]
    ['County council', '17', '27', '63%', '44% to 78%']
    """
    what = "Region" if rates["by"].iloc[0] == "region" else "Council type"
    return pd.DataFrame(
        {
            what: rates["label"],
            "Respondents": rates["respondents"],
            "Councils in 2011": rates["councils"],
            "Response rate": [_pct(r) for r in rates["rate"]],
            "95% CI": [f"{_pct(lo)} to {_pct(hi)}" for lo, hi in zip(rates["ci_low"], rates["ci_high"])],
        }
    )


def rates_view(survey, by: str = "region") -> HtmlBlock:
    """The response-rate table of a dimension, with where its counts come from.

    Examples
    --------
    >>> from adass_survey.processed.survey import load_survey
    >>> print(repr(rates_view(load_survey(), "region")).splitlines()[-3])
    England | 58 | 152 | 38% | 31% to 46%
    """
    rates = response_rates(survey, by)
    what = "region" if by == "region" else "council type"
    notes = (BASIS[by], "95% CI is the Wilson score interval. Percentages are rounded half up.")
    return table_view(
        rates_display(rates), f"Response rate by {what}: respondents of the councils in the 2011 frame", notes
    )


def response_rate_chart(survey, by: str, title: str):
    """Bar chart of response rates (England left out of the bars), Wilson intervals, table beside it.

    Parameters
    ----------
    survey : from :func:`adass_survey.processed.survey.load_survey`
    by : ``"region"`` or ``"council_type"``
    title : statement title (the finding)

    Returns
    -------
    adass_survey.present.plot.Chart
        Bars sorted from highest to lowest rate, labelled "respondents (rate)"; ``n`` is the 152
        councils invited; the alt text names every bar with its interval.

    Examples
    --------
    >>> from adass_survey.processed.survey import load_survey
    >>> chart = response_rate_chart(load_survey(), "region", "Rates vary")
    >>> chart.n, chart.alt_text.split(". ")[2][:34]
    (152, 'West Midlands: 8 of 14 councils (5')
    """
    from ..disclosure.table import PUBLISHED_NOTE, SuppressedTable
    from ..present.plot import bar_chart

    rates = response_rates(survey, by)
    england = rates[rates["category"] == ENGLAND].iloc[0]
    bars = rates[rates["category"] != ENGLAND].sort_values("rate", ascending=False, kind="stable")
    values = pd.DataFrame(
        {
            "question_id": by,
            "category": bars["category"],
            "label": bars["label"],
            "count": bars["respondents"].astype("Int64"),
            "base": bars["councils"],
            "percent": bars["rate"],
            "ci_low": bars["ci_low"],
            "ci_high": bars["ci_high"],
        }
    )
    display = rates_display(pd.concat([bars, rates[rates["category"] == ENGLAND]]))
    notes = [BASIS[by], PUBLISHED_NOTE + " Bars show the response rate with its 95% Wilson interval."]
    table = SuppressedTable(
        question_id=by,
        kind="binary",
        display=display,
        values=values.reset_index(drop=True),
        footnotes=notes,
        base=int(england["councils"]),
        is_published=True,
        title=title,
    )
    parts = [
        f"{r.label}: {r.respondents} of {r.councils} councils ({_pct(r.rate)}, 95% CI {_pct(r.ci_low)} to "
        f"{_pct(r.ci_high)})"
        for r in bars.itertuples()
    ]
    alt = (
        f"Bar chart: {title.rstrip('.')}. Response rate by {'region' if by == 'region' else 'council type'}, "
        f"highest first. " + "; ".join(parts) + f". England: {england['respondents']} of {england['councils']} "
        f"({_pct(england['rate'])})."
    )
    chart = bar_chart(table, title, n=int(england["councils"]), alt_text=alt, error_bars=True)
    ax = chart.figure.axes[0]
    for label, high in zip(ax.texts[: len(bars)], bars["ci_high"]):  # value labels clear of the interval
        label.set_x(float(high) + 1.5)
    ax.set_xlabel("Response rate (percentage of councils invited), with 95% interval")
    return chart


def reconciliation_view() -> HtmlBlock:
    """The council types as published beside the reading used, with erratum E01 spelled out.

    Examples
    --------
    >>> print(repr(reconciliation_view()).splitlines()[-2])
    Total | 68 | Total | 58 | 152
    """
    table = council_type_reconciliation()
    shown = pd.DataFrame(
        {
            "As printed": table["published_label"],
            "Printed count": table["published"],
            "As read": table["read_label"],
            "Read count": table["read"],
            "Councils in 2011 (as read)": table["councils"],
        }
    )
    notes = (f"Erratum E01: {table.attrs['erratum']}",)
    return table_view(shown, "Responding councils by type: as printed in the report and as read", notes)
