"""Accessible charts drawn with seaborn in the Analysis Function style (``afcharts``), from suppressed tables only.

Each chart is drawn by ``seaborn.barplot`` from a tidy long frame (:func:`chart_frame`: one row per bar,
made from the suppressed table's ``values``) under the afcharts matplotlib style.

Every chart: a statement title (the finding), the base ("n = 58") on the chart, direct value labels
("52 (90%)") so no legend or colour is needed to read it, a suppressed bar drawn with no length at all and
labelled "[c] hidden (see note)" at the axis (so it never reads as a value), colours from ``afcharts.af_colours.get_af_colours``. Each function
returns a :class:`Chart` with the figure, its alt text (written from the table when not given) and
the table it shows.

Each chart is drawn twice: the page's layout (8 inches wide) and a phone's (:data:`NARROW_WIDTH`, drawn when its
image is asked for: :meth:`Chart.narrow_png_bytes`), where each category's label stands above its bar across the
whole width and every text is 12 pt or more, so on a 390 px phone it reads at 15 px (the page's chart, scaled
to the phone's width, read at 6-7 px). Every PNG notes its smallest text in pixels (:data:`adass_survey.present.png.TEXT_SIZE_KEY`).

Likert scales (``likert_chart``): the survey's five-point scale (1 poor ... 5 excellent) is not
balanced around a neutral middle, so it is drawn as ordered horizontal bars (default) or one 100%
stacked bar in scale order; the middle point stays in its place in the order and is never split
across an axis or dropped (see ``docs/disclosure-policy.md``, "Charts").
"""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import afcharts
import matplotlib.style
import pandas as pd
import seaborn as sns
from afcharts.af_colours import get_af_colours
from matplotlib.figure import Figure

from ..core.codebook import MISSING
from ..disclosure.policy import DisclosurePolicy
from ..disclosure.table import SUPPRESSED, SuppressedTable
from ..tables.tabulate import round_half_up
from .png import figure_png

STYLE = Path(afcharts.__file__).parent / "afcharts.mplstyle"
MAIN_COLOUR = get_af_colours("categorical")[0]
EMPTY_HATCH = "///"
HIDDEN_LABEL = f"{SUPPRESSED} hidden (see note)"
DPI = 110
NARROW_WIDTH = 4.0
NARROW_DPI = 90
"""A chart's phone layout is 4 inches at 90 dpi: 360 px, shown at about its own size on a 390 px phone (a third
smaller a file than at :data:`DPI`), where its 12 pt text (15 px in the image) reads at 15 px."""
NARROW_RC = {"font.size": 12, "xtick.labelsize": 12, "ytick.labelsize": 12, "axes.labelsize": 12}


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
    narrow : draws the same chart in its phone layout (None when the caller gave the axes)
    """

    figure: Figure
    alt_text: str
    table: SuppressedTable
    title: str
    n: int | None
    narrow: Callable[[], Figure] | None = None

    def png_bytes(self, dpi: int = DPI) -> bytes:
        """The chart as a palette PNG (:func:`figure_png`)."""
        return figure_png(self.figure, dpi)

    def narrow_png_bytes(self, dpi: int = NARROW_DPI) -> bytes | None:
        """The chart's phone layout as a palette PNG, or None when it has none."""
        return None if self.narrow is None else figure_png(self.narrow(), dpi)

    def _repr_png_(self) -> bytes:
        """The chart as an image for notebook frontends (the figure is not pyplot's, so none is shown otherwise)."""
        return self.png_bytes()

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
    parts = [
        f"{lab}: {value_label(c, p)}"
        for lab, c, p in zip(table.values["label"], table.values["count"], table.values["percent"])
    ]
    text = f"Bar chart: {title.rstrip('.')}. Base: {n} councils. " + "; ".join(parts) + "."
    if SUPPRESSED in text:
        text += (
            " [c] means hidden: fewer than 5 councils gave one of the hidden answers, or every council of the group "
            "gave the same answer, and any hidden figure would let that be worked out; no bar is drawn for it."
        )
    return text


def _figure(size: tuple[float, float]):
    """A figure and its axes of the object-oriented API: never registered with pyplot, so never shown twice."""
    fig = Figure(figsize=size)
    return fig, fig.subplots()


def chart_frame(table: SuppressedTable) -> pd.DataFrame:
    """The tidy long frame a chart draws: one row per bar, in the table's order.

    Columns: ``label``, ``count``, ``percent``, ``ci_low``, ``ci_high`` (from the suppressed table's values),
    ``suppressed`` (the cell is ``[c]``), ``value_label`` (the bar's direct label) and ``bar`` (the bar's
    length: the percentage, or 0 for a suppressed bar, which has no length that could be read as a value).

    Examples
    --------
    >>> from adass_survey.tables.tabulate import frequency_table
    >>> df = pd.DataFrame({"on_target": ["yes"] * 50 + ["no"] * 2 + [None] * 6})
    >>> frame = chart_frame(DisclosurePolicy().suppress(frequency_table(df, "on_target")))
    >>> frame[["label", "value_label", "bar"]].values.tolist()
    [['Yes', '50 (86%)', 86.20689655172414], ['No', '[c]', 0.0], ['No response', '[c]', 0.0]]
    """
    v = table.values.reset_index(drop=True)
    frame = pd.DataFrame(
        {
            "label": v["label"].astype(str),
            "count": v["count"],
            "percent": v["percent"].astype("Float64"),
            "ci_low": v["ci_low"].astype("Float64"),
            "ci_high": v["ci_high"].astype("Float64"),
        }
    )
    frame["suppressed"] = frame["count"].isna().astype(bool)
    frame["value_label"] = [value_label(c, p) for c, p in zip(frame["count"], frame["percent"])]
    frame["bar"] = frame["percent"].fillna(0.0).where(~frame["suppressed"], 0.0).astype(float)
    return frame


def _title_lines(title: str, width: float, fontsize: int) -> list[str]:
    """The title's lines: about 70 characters at 8 inches, 30 in a phone's 4 (where no margin is left to spare)."""
    return textwrap.wrap(title, max(20, int(width * 72 / (fontsize * (0.58 if width > NARROW_WIDTH else 0.68)))))


def _label_lines(label: str) -> list[str]:
    """A category's label wrapped to a phone chart's axes (12 pt, 34 characters)."""
    return textwrap.wrap(label, int(NARROW_WIDTH * 72 / (12 * 0.7))) or [""]


def _rows(frame: pd.DataFrame) -> tuple[float, float, float]:
    """A phone chart's row in inches and its label's and bar's shares of it (label above the bar, then a gap)."""
    lines = max(len(_label_lines(label)) for label in frame["label"])
    label, bar, gap = 0.2 * lines + 0.05, 0.26, 0.12
    row = label + bar + gap
    return row, label / row, bar / row


def _new_axes(frame: pd.DataFrame, title: str, narrow: bool, ax=None):
    if ax is not None:
        return ax.figure, ax
    if not narrow:
        return _figure((8, 0.6 * len(frame) + 2.6))
    row = _rows(frame)[0]
    return _figure((NARROW_WIDTH, row * len(frame) + 0.25 * len(_title_lines(title, NARROW_WIDTH, 14)) + 1.1))


def _narrow_rows(ax, bars: list, frame: pd.DataFrame) -> list[float]:
    """Put each bar below its category's label (phone layout); return each bar's centre."""
    _, label, bar = _rows(frame)
    for y, (patch, text) in enumerate(zip(bars, frame["label"])):
        patch.set(y=y - 0.5 + label, height=bar)
        ax.text(0, y - 0.5 + label - 0.03, "\n".join(_label_lines(text)), va="bottom", ha="left", fontsize=12)
    ax.set_ylim(len(frame) - 0.5, -0.5)
    ax.set_yticks([])
    return [y - 0.5 + label + bar / 2 for y in range(len(frame))]


def _draw_bars(ax, frame: pd.DataFrame, colours, error_bars: bool, narrow: bool = False) -> None:
    """Horizontal seaborn bars of percentages, first category at the top, each labelled directly."""
    keys = [str(i) for i in range(len(frame))]  # one bar per row, even when two rows share a label
    data = frame.assign(_bar=keys)
    sns.barplot(
        data=data,
        x="bar",
        y="_bar",
        hue="_bar",
        order=keys,
        hue_order=keys,
        palette=dict(zip(keys, colours)),
        orient="h",
        errorbar=None,
        saturation=1,
        width=0.8,
        legend=False,
        ax=ax,
    )
    bars = sorted(ax.patches[-len(frame) :], key=lambda p: p.get_y())
    centres = _narrow_rows(ax, bars, frame) if narrow else list(range(len(frame)))
    for y, row in zip(centres, frame.itertuples()):
        if row.suppressed:  # no bar at all: a length would read as a value
            bars[row.Index].set(width=0, linewidth=0)
            ax.text(1, y, HIDDEN_LABEL, va="center", ha="left", fontsize=12, color="black", fontstyle="italic")
            continue
        p = float(row.bar)
        if error_bars and not pd.isna(row.ci_low):
            ax.errorbar(
                p, y, xerr=[[p - float(row.ci_low)], [float(row.ci_high) - p]], fmt="none", ecolor="#3D3D3D", capsize=3
            )
        right = max(p, float(row.ci_high)) if error_bars and not pd.isna(row.ci_high) else p  # clear of the interval
        ax.text(min(right, 100) + 1.5, y, row.value_label, va="center", ha="left", fontsize=12)
    if not narrow:
        ax.set_yticks(range(len(frame)), list(frame["label"]))
    ax.set_ylabel("")
    ax.set_xlim(0, 138 if narrow else 118)
    ticks = [0, 50, 100] if narrow else [0, 25, 50, 75, 100]
    ax.set_xticks(ticks, [f"{t}%" for t in ticks])
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)


def _figure_title(fig, title: str, fontsize: int = 15) -> None:
    """The statement title at the figure's left edge, wrapped to the figure's width (not the axes')."""
    lines = _title_lines(title, fig.get_figwidth(), fontsize)
    fig.suptitle("\n".join(lines), x=0.01, ha="left", fontsize=fontsize, fontweight="bold")


def _finish(fig, ax, title: str, n: int | None, narrow: bool = False) -> Figure:
    _figure_title(fig, title, 14 if narrow else 15)
    if n is not None:
        ax.text(0, 1.02, f"n = {n}", transform=ax.transAxes, fontsize=12, ha="left", va="bottom")
    ax.set_xlabel("Percentage of councils")
    fig.tight_layout()
    return fig


def _withheld_figure(table: SuppressedTable, title: str, narrow: bool) -> Figure:
    width = NARROW_WIDTH if narrow else 8
    lines = textwrap.wrap(table.message, 40 if narrow else 90)
    with matplotlib.style.context(STYLE):
        fig, ax = _figure((width, 0.25 * len(_title_lines(title, width, 15)) + 0.22 * len(lines) + 0.5))
        ax.axis("off")
        ax.text(0, 0.5, "\n".join(lines), fontsize=12, va="center")
        _figure_title(fig, title, 14 if narrow else 15)
    return fig


def _withheld_chart(table: SuppressedTable, title: str, n, alt_text) -> Chart:
    fig = _withheld_figure(table, title, False)
    narrow = functools.partial(_withheld_figure, table, title, True)
    return Chart(fig, alt_text or describe(table, title, n), table, title, n, narrow)


def _bars_figure(frame, colours, error_bars: bool, title: str, n, narrow: bool, ax=None) -> Figure:
    """A chart's figure in the page's layout or (``narrow``) a phone's."""
    with matplotlib.style.context(STYLE), matplotlib.rc_context(NARROW_RC if narrow else {}):
        fig, ax = _new_axes(frame, title, narrow, ax)
        _draw_bars(ax, frame, colours, error_bars, narrow)
        return _finish(fig, ax, title, n, narrow)


def _bars_chart(table, frame, colours, title: str, n, alt_text, ax, error_bars: bool = False) -> Chart:
    """The chart of ``frame``'s bars, with its phone layout unless the caller gave the axes."""
    fig = _bars_figure(frame, colours, error_bars, title, n, False, ax)
    narrow = None if ax is not None else functools.partial(_bars_figure, frame, colours, error_bars, title, n, True)
    return Chart(fig, alt_text or describe(table, title, n), table, title, n, narrow)


def bar_chart(
    table, title: str, *, n: int | None, alt_text: str | None = None, error_bars: bool = False, ax=None
) -> Chart:
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
    frame = chart_frame(table)
    return _bars_chart(table, frame, [MAIN_COLOUR] * len(frame), title, n, alt_text, ax, error_bars)


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
    frame = chart_frame(table)
    frame["_order"] = frame["count"].astype("Float64").fillna(-1)
    frame["_uncoded"] = (table.values["category"] == "uncoded").to_numpy()
    frame = frame.sort_values(["_uncoded", "_order"], ascending=[True, False], kind="stable").reset_index(drop=True)
    return _bars_chart(table, frame, [MAIN_COLOUR] * len(frame), title, n, alt_text, ax)


def likert_chart(
    table, title: str, *, n: int | None, alt_text: str | None = None, kind: str = "bars", ax=None
) -> Chart:
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
    frame = chart_frame(table)[(table.values["category"] != MISSING).to_numpy()].reset_index(drop=True)
    shades = get_af_colours("sequential", number_of_colours=5)[::-1][: len(frame)]
    if kind == "bars":
        return _bars_chart(table, frame, shades, title, n, alt_text, ax)
    if kind != "stacked":
        raise ValueError("kind must be 'bars' or 'stacked'")
    fig = _stacked_figure(frame, shades, title, n, ax)
    narrow = None if ax is not None else functools.partial(_bars_figure, frame, shades, False, title, n, True)
    return Chart(fig, alt_text or describe(table, title, n), table, title, n, narrow)


def _stacked_figure(frame: pd.DataFrame, shades, title: str, n, ax=None) -> Figure:
    """One 100% stacked bar in scale order (a phone gets the ordered bars: a stacked bar's labels need the width)."""
    with matplotlib.style.context(STYLE):
        fig, ax = _figure((9, 2.8)) if ax is None else (ax.figure, ax)
        width = frame["percent"].fillna(0.0).astype(float).clip(lower=0.0)
        frame = frame.assign(_row="all", right=width.cumsum(), left=width.cumsum() - width)
        # One bar per scale point from 0 to its running total, the longest first: each shows from its left edge on.
        for i in reversed(range(len(frame))):
            sns.barplot(
                data=frame.iloc[[i]],
                x="right",
                y="_row",
                color=shades[i],
                saturation=1,
                orient="h",
                errorbar=None,
                ax=ax,
                edgecolor="white",
            )
            if frame["suppressed"].iloc[i]:
                ax.patches[-1].set_hatch(EMPTY_HATCH)
        for i, row in enumerate(frame.itertuples()):
            ax.text(
                (row.left + row.right) / 2,
                0.55 + 0.28 * (i % 2),
                f"{row.label}: {row.value_label}",
                ha="center",
                va="top",
                fontsize=10,
            )
        ax.set_yticks([])
        ax.set_ylabel("")
        ax.set_ylim(1.3, -0.6)
        ax.set_xlim(0, 100)
        ax.set_xticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"])
        return _finish(fig, ax, title, n)
