"""Accessible charts in the Analysis Function style (``afcharts``), drawn from suppressed tables only.

Every chart: a statement title (the finding), the base ("n = 58") on the chart, direct value labels
("52 (90%)") so no legend or colour is needed to read it, suppressed bars drawn empty with a
``[c]`` label and a hatch, colours from ``afcharts.af_colours.get_af_colours``. Each function
returns a :class:`Chart` with the figure, its alt text (written from the table when not given) and
the table it shows.

Likert scales (``likert_chart``): the survey's five-point scale (1 poor ... 5 excellent) is not
balanced around a neutral middle, so it is drawn as ordered horizontal bars (default) or one 100%
stacked bar in scale order; the middle point stays in its place in the order and is never split
across an axis or dropped (see ``docs/disclosure-policy.md``, "Charts").
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass
from pathlib import Path

import afcharts
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from afcharts.af_colours import get_af_colours  # noqa: E402

from ..disclosure.policy import DisclosurePolicy
from ..disclosure.table import (
    SUPPRESSED,
    SuppressedTable,  # noqa: E402
)
from ..tables.tabulate import round_half_up  # noqa: E402

STYLE = Path(afcharts.__file__).parent / "afcharts.mplstyle"
MAIN_COLOUR = get_af_colours("categorical")[0]
EMPTY_HATCH = "///"


@dataclass
class Chart:
    """A drawn chart with what a screen reader and a table reader need.

    Attributes
    ----------
    figure : matplotlib Figure
    alt_text : text alternative describing every category
    table : the SuppressedTable the chart shows
    title : the statement title
    n : the base printed on the chart
    """

    figure: matplotlib.figure.Figure
    alt_text: str
    table: SuppressedTable
    title: str
    n: int | None

    def png_bytes(self, dpi: int = 110) -> bytes:
        """The chart as PNG (no timestamp or software metadata, so repeatable)."""
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight", metadata={"Software": None})
        return buffer.getvalue()

    def _repr_html_(self) -> str:
        from .display import chart_html

        return chart_html(self)


def _ensure_suppressed(table) -> SuppressedTable:
    if isinstance(table, SuppressedTable):
        return table
    if isinstance(table, pd.DataFrame):
        return DisclosurePolicy.from_env().suppress(table)
    raise TypeError("charts take a SuppressedTable (or a tabulate table, which is suppressed first)")


def value_label(count, percent) -> str:
    """Label for a bar: ``"52 (90%)"``, or ``[c]`` when suppressed.

    Examples
    --------
    >>> value_label(52, 89.66), value_label(pd.NA, pd.NA)
    ('52 (90%)', '[c]')
    """
    if pd.isna(count):
        return SUPPRESSED
    return f"{int(count)} ({round_half_up(float(percent))}%)" if not pd.isna(percent) else f"{int(count)}"


def describe(table: SuppressedTable, title: str, n: int | None) -> str:
    """Alt text from a table: the title, the base and every category with its figure.

    Examples
    --------
    >>> from adass_survey.tables.tabulate import frequency_table
    >>> t = DisclosurePolicy().suppress(frequency_table(pd.DataFrame({"strategy": ["yes"] * 58}), "strategy"))
    >>> describe(t, "All councils have a strategy", 58)
    'Bar chart: All councils have a strategy. Base: 58 councils. Yes: 58 (100%); No: 0 (0%); No response: 0 (0%).'
    """
    if not table.shown:
        return f"Chart not shown: {table.message}"
    parts = [f"{lab}: {value_label(c, p)}" for lab, c, p in zip(table.values["label"], table.values["count"], table.values["percent"])]
    text = f"Bar chart: {title.rstrip('.')}. Base: {n} councils. " + "; ".join(parts) + "."
    if SUPPRESSED in text:
        text += " [c] means fewer than 5 councils, not shown to protect anonymity."
    return text


def _new_axes(n_bars: int, ax=None):
    if ax is not None:
        return ax.figure, ax
    fig, ax = plt.subplots(figsize=(8, 0.6 * n_bars + 2.6))
    return fig, ax


def _draw_bars(ax, labels, counts, percents, cis, colours, error_bars: bool) -> None:
    """Horizontal bars of percentages, first category at the top, each labelled directly."""
    y = list(range(len(labels)))[::-1]
    for yi, lab, c, p, (lo, hi), colour in zip(y, labels, counts, percents, cis, colours):
        if pd.isna(c):
            ax.barh(yi, 100, color="white", edgecolor="#3D3D3D", hatch=EMPTY_HATCH, linewidth=0.8, alpha=0.35)
            ax.text(2, yi, SUPPRESSED, va="center", ha="left", fontsize=12, color="black", fontweight="bold")
            continue
        ax.barh(yi, float(p), color=colour, edgecolor=colour)
        if error_bars and not pd.isna(lo):
            ax.errorbar(float(p), yi, xerr=[[float(p) - float(lo)], [float(hi) - float(p)]], fmt="none", ecolor="#3D3D3D", capsize=3)
        ax.text(min(float(p), 100) + 1.5, yi, value_label(c, p), va="center", ha="left", fontsize=12)
    ax.set_yticks(y, labels)
    ax.set_xlim(0, 118)
    ax.set_xticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"])
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)


def _figure_title(fig, title: str, fontsize: int = 15) -> None:
    """The statement title at the figure's left edge, wrapped to the figure's width (not the axes')."""
    chars = max(20, int(fig.get_figwidth() * 72 / (fontsize * 0.58)))
    fig.suptitle(textwrap.fill(title, chars), x=0.01, ha="left", fontsize=fontsize, fontweight="bold")


def _finish(fig, ax, title: str, n: int | None, table: SuppressedTable, alt_text: str | None) -> Chart:
    _figure_title(fig, title)
    if n is not None:
        ax.text(0, 1.02, f"n = {n}", transform=ax.transAxes, fontsize=12, ha="left", va="bottom")
    ax.set_xlabel("Percentage of councils")
    fig.tight_layout()
    return Chart(fig, alt_text or describe(table, title, n), table, title, n)


def _withheld_chart(table: SuppressedTable, title: str, n, alt_text) -> Chart:
    with plt.style.context(STYLE):
        fig, ax = plt.subplots(figsize=(8, 1.6))
        ax.axis("off")
        ax.text(0, 0.5, textwrap.fill(table.message, 90), fontsize=12)
        _figure_title(fig, title)
    return Chart(fig, alt_text or describe(table, title, n), table, title, n)


def bar_chart(table, title: str, *, n: int | None, alt_text: str | None = None, error_bars: bool = False, ax=None) -> Chart:
    """Horizontal bar chart of one question, with direct labels, base and ``[c]`` for suppressed bars.

    Parameters
    ----------
    table : SuppressedTable (a raw tabulate table is suppressed first with the default policy)
    title : statement title: the finding, e.g. "Nine in ten councils restrict direct payments"
    n : the base to print on the chart
    alt_text : text alternative; written from the table when not given
    error_bars : draw Wilson 95% intervals

    Examples
    --------
    >>> from adass_survey.tables.tabulate import frequency_table
    >>> df = pd.DataFrame({"dp_restrictions": ["yes"] * 52 + ["no"] * 6})
    >>> chart = bar_chart(frequency_table(df, "dp_restrictions", include_missing=False), "Most restrict", n=58)
    >>> [t.get_text() for t in chart.figure.axes[0].texts if "(" in t.get_text()]
    ['52 (90%)', '6 (10%)']
    """
    table = _ensure_suppressed(table)
    if not table.shown:
        return _withheld_chart(table, title, n, alt_text)
    v = table.values
    with plt.style.context(STYLE):
        fig, ax = _new_axes(len(v), ax)
        cis = list(zip(v["ci_low"], v["ci_high"]))
        _draw_bars(ax, list(v["label"]), list(v["count"]), list(v["percent"]), cis, [MAIN_COLOUR] * len(v), error_bars)
        return _finish(fig, ax, title, n, table, alt_text)


def theme_chart(table, title: str, *, n: int | None, alt_text: str | None = None, ax=None) -> Chart:
    """Bar chart of the themes of a free-text question, most frequent first, ``uncoded`` last.

    Examples
    --------
    >>> from adass_survey.tables.tabulate import theme_table
    >>> th = pd.DataFrame({"respondent_id": range(1, 21), "question_id": "risk_management",
    ...                    "theme": ["risk_panels"] * 12 + ["safeguarding"] * 8})
    >>> c = theme_chart(theme_table(th, pd.DataFrame({"respondent_id": range(1, 21)}), "risk_management"), "Panels lead", n=20)
    >>> c.figure.axes[0].get_yticklabels()[0].get_text()
    'Risk enablement strategy and panels'
    """
    table = _ensure_suppressed(table)
    if not table.shown:
        return _withheld_chart(table, title, n, alt_text)
    v = table.values.copy()
    v["_order"] = v["count"].astype("Float64").fillna(-1)
    v["_uncoded"] = v["category"] == "uncoded"
    v = v.sort_values(["_uncoded", "_order"], ascending=[True, False], kind="stable")
    with plt.style.context(STYLE):
        fig, ax = _new_axes(len(v), ax)
        cis = list(zip(v["ci_low"], v["ci_high"]))
        _draw_bars(ax, list(v["label"]), list(v["count"]), list(v["percent"]), cis, [MAIN_COLOUR] * len(v), False)
        return _finish(fig, ax, title, n, table, alt_text)


def likert_chart(table, title: str, *, n: int | None, alt_text: str | None = None, kind: str = "bars", ax=None) -> Chart:
    """Chart of a five-point rating: ordered bars (default) or one 100% stacked bar, in scale order.

    Bars are shaded from the AF sequential palette by scale point and labelled directly, so the
    shade is never the only cue. The middle point keeps its place in the order (not split, not
    dropped); "No response" is left out of the stacked bar and reported in the alt text.

    Examples
    --------
    >>> from adass_survey.tables.tabulate import frequency_table
    >>> df = pd.DataFrame({"market_rating": ["2"] * 4 + ["3"] * 46 + ["4"] * 7 + ["5"]})
    >>> c = likert_chart(frequency_table(df, "market_rating", include_missing=False), "Most rate supply good", n=58)
    >>> c.figure.axes[0].get_yticklabels()[0].get_text()
    'Poor'
    """
    table = _ensure_suppressed(table)
    if not table.shown:
        return _withheld_chart(table, title, n, alt_text)
    v = table.values[table.values["category"] != "__missing__"]
    shades = get_af_colours("sequential", number_of_colours=5)[::-1]
    with plt.style.context(STYLE):
        if kind == "bars":
            fig, ax = _new_axes(len(v), ax)
            cis = list(zip(v["ci_low"], v["ci_high"]))
            _draw_bars(ax, list(v["label"]), list(v["count"]), list(v["percent"]), cis, shades[: len(v)], False)
            return _finish(fig, ax, title, n, table, alt_text)
        if kind != "stacked":
            raise ValueError("kind must be 'bars' or 'stacked'")
        fig, ax = plt.subplots(figsize=(9, 2.8)) if ax is None else (ax.figure, ax)
        left = 0.0
        for i, (lab, c, p) in enumerate(zip(v["label"], v["count"], v["percent"])):
            width = 0.0 if pd.isna(p) else float(p)
            hatch = EMPTY_HATCH if pd.isna(c) else None
            ax.barh(0, max(width, 0.0), left=left, color=shades[i], edgecolor="white", hatch=hatch)
            ax.text(left + width / 2, -0.55 - 0.28 * (i % 2), f"{lab}: {value_label(c, p)}", ha="center", va="top", fontsize=10)
            left += width
        ax.set_yticks([])
        ax.set_ylim(-1.3, 0.6)
        ax.set_xlim(0, 100)
        ax.set_xticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"])
        return _finish(fig, ax, title, n, table, alt_text)
