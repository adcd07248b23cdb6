"""A displayable block of HTML with a plain-text form: what every view of the notebooks returns.

Kept apart from the drawing modules so a dashboard page can show stored views without importing
pandas or matplotlib.
"""

from __future__ import annotations


class HtmlBlock:
    """An object Jupyter shows as HTML, with a plain-text form for nbval and text consoles.

    Examples
    --------
    >>> block = HtmlBlock("<p>52 of 58</p>", "52 of 58")
    >>> block
    52 of 58
    >>> block._repr_html_()
    '<p>52 of 58</p>'
    """

    def __init__(self, html: str, text: str):
        self.html = html
        self.text = text

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text
