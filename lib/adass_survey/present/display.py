"""HTML building blocks for notebooks and Voilà dashboards.

``show_chart`` renders a chart as a ``<figure>``: the PNG inline (base64) with its alt text and its size (the page
keeps its space while it loads; ``elementtiming`` lets a browser report when the chart was painted), a
``<figcaption>``, and the accessible HTML table of the same (suppressed) figures below it. The image is a
``<picture>``: a screen at most :data:`NARROW_MEDIA` wide (a phone) gets the chart's phone layout instead, chosen
by the browser with no script, and fetches only the one it shows once the page's files are beside it
(:mod:`adass_survey.pages.files`).
Its plain-text form is a short stable summary, so nbval can compare it; the PNG inside the HTML
varies with fonts and library versions, so mark chart cells ``# NBVAL_IGNORE_OUTPUT`` or compare
the ``headline`` cells instead.
"""

from __future__ import annotations

import base64
from html import escape

import matplotlib.pyplot as plt
import pandas as pd

from .. import SYNTHETIC_NOTICE
from .html_block import HtmlBlock

NARROW_MEDIA = "(max-width: 40em)"
"""Screens that get a chart's phone layout: up to 640 px, where the page's chart (880 px or more) would be shown at
under 0.7× and its 12 pt labels (18 px in the image) under 12 px."""


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels, read from a PNG's header (so the page reserves the image's space before it loads).

    Examples
    --------
    >>> png_size(bytes.fromhex("89504e470d0a1a0a0000000d49484452") + (640).to_bytes(4, "big") + (480).to_bytes(4, "big"))
    (640, 480)
    """
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def chart_html(chart) -> str:
    """The ``<figure>`` HTML of a :class:`~adass_survey.present.plot.Chart` (image, caption, table).

    Examples
    --------
    >>> import pandas as pd
    >>> from adass_survey.present.plot import bar_chart
    >>> from adass_survey.tables.tabulate import frequency_table
    >>> t = frequency_table(pd.DataFrame({"strategy": ["yes"] * 57 + [None]}), "strategy")
    >>> html = chart_html(bar_chart(t, "Nearly all have a strategy", n=58))
    >>> html.startswith('<figure class="adass-chart"><figcaption>Nearly all have a strategy (n = 58)</figcaption><picture>')
    True
    >>> html.count('<source media="(max-width: 40em)" srcset="data:image/png;base64,'), html.count("<img ")
    (1, 1)
    """
    raw = chart.png_bytes()
    png = base64.b64encode(raw).decode("ascii")
    width, height = png_size(raw)
    narrow = chart.narrow_png_bytes()
    source = ""
    if narrow is not None:
        n_width, n_height = png_size(narrow)
        source = (
            f'<source media="{NARROW_MEDIA}" srcset="data:image/png;base64,{base64.b64encode(narrow).decode("ascii")}" '
            f'width="{n_width}" height="{n_height}">'
        )
    table = chart.table
    group = f", {escape(table.group_label)}" if table.selection else ""
    caption = escape(chart.title) + (f" (n = {chart.n}{group})" if chart.n is not None else "")
    return (
        '<figure class="adass-chart">'
        f"<figcaption>{caption}</figcaption>"  # first (or last) child of its figure, never between image and table
        f'<picture>{source}<img src="data:image/png;base64,{png}" alt="{escape(chart.alt_text, quote=True)}" '
        f'width="{width}" height="{height}" style="max-width:100%;height:auto" elementtiming="adass-chart"></picture>'
        f"{table.to_html(caption=False)}"
        "</figure>"
    )


def show_chart(chart, close: bool = True) -> HtmlBlock:
    """Render a chart for a notebook: figure, caption and accessible table; closes the figure.

    Examples
    --------
    >>> import pandas as pd
    >>> from adass_survey.present.plot import bar_chart
    >>> from adass_survey.tables.tabulate import frequency_table
    >>> t = frequency_table(pd.DataFrame({"strategy": ["yes"] * 57 + [None]}), "strategy")
    >>> out = show_chart(bar_chart(t, "Nearly all have a strategy", n=58))
    >>> out
    Chart: Nearly all have a strategy (n = 58)
    >>> "<figcaption>" in out._repr_html_() and 'alt="Bar chart' in out._repr_html_()
    True
    """
    html = chart_html(chart)
    if close:
        plt.close(chart.figure)
    text = f"Chart: {chart.title}" + (f" (n = {chart.n})" if chart.n is not None else "")
    return HtmlBlock(html, text)


def banner(notice: str = SYNTHETIC_NOTICE) -> HtmlBlock:
    """The synthetic-data banner shown at the top of every notebook.

    Examples
    --------
    >>> banner().text.startswith("Respondent-level data here are synthetic")
    True
    """
    html = (
        '<div class="adass-banner" role="note" style="border-left:6px solid #F46A25;padding:0.6em 1em;'
        f'background:#FFF4EC;color:#0B0C0C"><strong>Synthetic data.</strong> {escape(notice)}</div>'
    )
    return HtmlBlock(html, notice)


def section_header(number: str, title: str, question: str = "") -> HtmlBlock:
    """Section heading (report section number and title) with the question asked.

    Examples
    --------
    >>> section_header("7.1", "Restrictions on direct payments", "Do you place any restrictions?")
    7.1 Restrictions on direct payments
    Question: Do you place any restrictions?
    """
    text = f"{number} {title}" + (f"\nQuestion: {question}" if question else "")
    html = f"<h2>{escape(number)} {escape(title)}</h2>"
    if question:
        html += f'<p class="adass-question"><strong>Question:</strong> {escape(question)}</p>'
    return HtmlBlock(html, text)


def headline(text: str) -> HtmlBlock:
    """A headline figure, as HTML and as plain text (nbval compares the text).

    Examples
    --------
    >>> headline("52 of 58 councils (90%) restrict direct payments")
    52 of 58 councils (90%) restrict direct payments
    """
    return HtmlBlock(f'<p class="adass-headline" style="font-size:1.4em;font-weight:bold">{escape(text)}</p>', text)


def table_view(frame: pd.DataFrame, caption: str, notes: tuple[str, ...] | list[str] = ()) -> HtmlBlock:
    """An accessible HTML table (caption, header scopes, notes) with a plain-text form for nbval.

    Examples
    --------
    >>> out = table_view(pd.DataFrame({"Region": ["London"], "Councils": [33]}), "Councils by region")
    >>> print(out)
    Councils by region
    Region | Councils
    London | 33
    >>> "<caption>Councils by region</caption>" in out._repr_html_()
    True
    """
    head = "".join(f'<th scope="col">{escape(str(c))}</th>' for c in frame.columns)
    body = "".join(
        "<tr>"
        + f'<th scope="row">{escape(str(row[0]))}</th>'
        + "".join(f"<td>{escape(str(v))}</td>" for v in row[1:])
        + "</tr>"
        for row in frame.itertuples(index=False)
    )
    foot = "".join(f'<p class="adass-footnote">{escape(n)}</p>' for n in notes)
    html = (
        f'<table class="adass-table"><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>{foot}"
    )
    lines = [caption, " | ".join(map(str, frame.columns))]
    lines += [" | ".join(map(str, row)) for row in frame.itertuples(index=False)]
    lines += list(notes)
    return HtmlBlock(html, "\n".join(lines))
