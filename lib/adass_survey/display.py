"""HTML building blocks for notebooks and Voilà dashboards.

``show_chart`` renders a chart as a ``<figure>``: the PNG inline (base64) with its alt text, a
``<figcaption>``, and the accessible HTML table of the same (suppressed) figures below it.
Its plain-text form is a short stable summary, so nbval can compare it; the PNG inside the HTML
varies with fonts and library versions, so mark chart cells ``# NBVAL_IGNORE_OUTPUT`` or compare
the ``headline`` cells instead.
"""

from __future__ import annotations

import base64
from html import escape

import matplotlib.pyplot as plt

from . import SYNTHETIC_NOTICE


class Rich:
    """An object Jupyter shows as HTML, with a plain-text form for nbval and text consoles."""

    def __init__(self, html: str, text: str):
        self.html = html
        self.text = text

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text


def chart_html(chart) -> str:
    """The ``<figure>`` HTML of a :class:`~adass_survey.plot.Chart` (image, caption, table).

    Examples
    --------
    >>> import pandas as pd
    >>> from adass_survey.plot import bar_chart
    >>> from adass_survey.tabulate import frequency_table
    >>> t = frequency_table(pd.DataFrame({"strategy": ["yes"] * 57 + [None]}), "strategy")
    >>> html = chart_html(bar_chart(t, "Nearly all have a strategy", n=58))
    >>> html.startswith('<figure class="adass-chart"><img src="data:image/png;base64,')
    True
    """
    png = base64.b64encode(chart.png_bytes()).decode("ascii")
    table = chart.table
    group = f", {escape(table.group_label)}" if table.selection else ""
    caption = escape(chart.title) + (f" (n = {chart.n}{group})" if chart.n is not None else "")
    return (
        '<figure class="adass-chart">'
        f'<img src="data:image/png;base64,{png}" alt="{escape(chart.alt_text, quote=True)}" style="max-width:100%">'
        f"<figcaption>{caption}</figcaption>"
        f"{table.to_html(caption=False)}"
        "</figure>"
    )


def show_chart(chart, close: bool = True) -> Rich:
    """Render a chart for a notebook: figure, caption and accessible table; closes the figure.

    Examples
    --------
    >>> import pandas as pd
    >>> from adass_survey.plot import bar_chart
    >>> from adass_survey.tabulate import frequency_table
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
    return Rich(html, text)


def banner(notice: str = SYNTHETIC_NOTICE) -> Rich:
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
    return Rich(html, notice)


def section_header(number: str, title: str, question: str = "") -> Rich:
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
    return Rich(html, text)


def headline(text: str) -> Rich:
    """A headline figure, as HTML and as plain text (nbval compares the text).

    Examples
    --------
    >>> headline("52 of 58 councils (90%) restrict direct payments")
    52 of 58 councils (90%) restrict direct payments
    """
    return Rich(f'<p class="adass-headline" style="font-size:1.4em;font-weight:bold">{escape(text)}</p>', text)
