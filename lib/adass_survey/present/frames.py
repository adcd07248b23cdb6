"""A pandas data frame shown as valid, accessible HTML: every header cell scoped, no style block, no valign.

pandas' notebook form of a frame (``DataFrame._repr_html_``) puts a ``<style>`` element inside a ``<div>`` and
leaves its header cells without ``scope``, so a screen reader cannot tell a row's header from a column's and the page
is not valid HTML. :func:`frame_html` keeps pandas' table (its truncation to ``display.max_rows`` too) and mends
those; :func:`show_frames_accessibly` makes every frame a notebook displays go through it.
"""

from __future__ import annotations

import re
import sys

STYLE_BLOCK = re.compile(r"<style[^>]*>.*?</style>\s*", re.DOTALL)
DROPPED_ATTRIBUTES = re.compile(r'\s(?:valign|halign|border)="[^"]*"')
HEADER_CELL = re.compile(r"<th(?=[\s>])([^>]*)>")
FRAME_MODULES = ("pandas", "pandas.core.frame")
"""Where ``DataFrame`` says it lives (``DataFrame.__module__``): ``pandas`` from pandas 3, ``pandas.core.frame`` before."""
SECTION = re.compile(r"(<thead>.*?</thead>)|(<tbody>.*?</tbody>)", re.DOTALL)


def _scoped(section: str, scope: str) -> str:
    """Give every header cell of one table section a ``scope`` (``rowgroup``, ``colgroup`` for one spanning several)."""

    def one(match: re.Match) -> str:
        attributes = match.group(1)
        if "scope=" in attributes:
            return match.group(0)
        named = f"{scope}group" if f"{scope}span=" in attributes else scope
        return f'<th scope="{named}"{attributes}>'

    return HEADER_CELL.sub(one, section)


def mend_table_html(html: str) -> str:
    """Return pandas' HTML of a table with its header cells scoped and its style block and old attributes gone.

    Examples
    --------
    >>> mend_table_html('<div><style scoped>th {}</style><table border="1" class="dataframe"><thead><tr>'
    ...                 '<th></th><th>n</th></tr></thead><tbody><tr><th rowspan="2" valign="top">a</th>'
    ...                 '<td>1</td></tr></tbody></table></div>')
    '<div><table class="dataframe"><thead><tr><th scope="col"></th><th scope="col">n</th></tr></thead><tbody><tr><th scope="rowgroup" rowspan="2">a</th><td>1</td></tr></tbody></table></div>'
    """
    html = DROPPED_ATTRIBUTES.sub("", STYLE_BLOCK.sub("", html))
    return SECTION.sub(lambda m: _scoped(m.group(0), "col" if m.group(1) else "row"), html)


def frame_html(frame) -> str:
    """The HTML a notebook shows for a data frame (pandas' own, truncated as pandas truncates it), mended.

    Examples
    --------
    >>> import pandas as pd
    >>> html = frame_html(pd.DataFrame({"n": [1]}, index=pd.Index(["a"], name="group")))
    >>> '<th scope="row">a</th>' in html and "<style" not in html
    True
    """
    return mend_table_html(frame._repr_html_())


def show_frames_accessibly() -> bool:
    """In a running IPython kernel, show every data frame through :func:`frame_html`; tell whether it could.

    pandas is not imported here: the formatter is registered by the frame's type name, so a page that shows no frame
    never loads it.

    Examples
    --------
    >>> show_frames_accessibly()  # a plain Python process: nothing to register
    False
    """
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None:
        return False
    formatter = shell.display_formatter.formatters["text/html"]
    for module in FRAME_MODULES:
        formatter.for_type_by_name(module, "DataFrame", frame_html)
    return True
