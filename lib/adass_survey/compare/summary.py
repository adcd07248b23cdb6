"""The comparisons as HTML: blocks for the page, and the one-page summary a reader downloads.

The summary is a whole HTML document with print styles, made in memory and handed to the browser as a ``data:``
URI download link: it is never written to the server.
"""

from __future__ import annotations

import base64
from html import escape

from ..core.codebook import load_codebook
from .comparison import Comparison

CAVEAT = (
    "These are the councils that chose to answer ({responded} of the {invited} invited), not a sample of all "
    "councils, and the bases are small: read a difference of a few councils as no real difference."
)
SOURCE = (
    "Source: ADASS Report on Personalisation Survey, September 2011 (published national figures only; "
    "no respondent-level data are used)."
)
SUMMARY_FILENAME = "compare-my-council-summary.html"
PRINT_STYLE = """
body { font-family: Arial, Helvetica, sans-serif; font-size: 11pt; line-height: 1.4; max-width: 48rem;
       margin: 1.5rem auto; padding: 0 1rem; color: #0b0c0c; }
h1 { font-size: 1.4rem; margin-bottom: 0.2rem; } h2 { font-size: 1.05rem; margin: 1rem 0 0.2rem; }
p { margin: 0.2rem 0; } .adass-cmp-where { font-style: italic; }
blockquote { margin: 0.3rem 0 0.3rem 1rem; padding-left: 0.6rem; border-left: 3px solid #505a5f; }
.adass-cmp-caveat { border: 2px solid #0b0c0c; padding: 0.4rem 0.6rem; }
@media print { @page { size: A4; margin: 12mm; } body { font-size: 9pt; margin: 0; max-width: none; }
               section { break-inside: avoid; page-break-inside: avoid; } }
"""


def comparison_html(comparison: Comparison, heading: str = "h3") -> str:
    """Return one comparison as an HTML section (every text escaped).

    Examples
    --------
    >>> from adass_survey.compare.spec import form_items
    >>> from adass_survey.compare.comparison import compare_answer
    >>> html = comparison_html(compare_answer(form_items()[2], "below_60"))
    >>> "29 of 58 responding councils (50%)" in html, html.startswith('<section class="adass-cmp-item">')
    (True, True)
    """
    item = comparison.item
    parts = [
        f'<section class="adass-cmp-item"><{heading}>{escape(item.topic)} '
        f"<small>(section {escape(item.section)})</small></{heading}>",
        f"<p><strong>{escape(comparison.answer)}.</strong> {escape(comparison.national)}</p>",
        f'<p class="adass-cmp-where">{escape(comparison.where)}</p>',
    ]
    parts += [f'<p class="adass-cmp-note">{escape(note)}</p>' for note in comparison.notes]
    for message_id, text in comparison.messages:
        parts.append(f"<p>Key message {escape(message_id)}: &ldquo;{escape(text)}&rdquo;</p>")
    if comparison.examples:
        parts.append("<p>Most councils answered otherwise. The report's own practice examples on this topic:</p>")
        for example in comparison.examples:
            kind = "Spotlight on service practice" if example["kind"] == "spotlight" else "A council quoted"
            parts.append(
                f"<blockquote>&lsquo;{escape(example['quote'])}&rsquo; <small>({kind}, section "
                f"{escape(example['section'])})</small></blockquote>"
            )
    return "".join(parts) + "</section>"


def caveat(survey: dict | None = None) -> str:
    """Return the sentence on the self-selected cohort and small bases, from the codebook's ``survey`` block.

    Examples
    --------
    >>> caveat({"invited": 152, "responded": 58})[:59]
    'These are the councils that chose to answer (58 of the 152 '
    """
    survey = survey if survey is not None else load_codebook().survey
    return CAVEAT.format(responded=survey.get("responded", "?"), invited=survey.get("invited", "?"))


def summary_document(comparisons: list[Comparison], name: str = "", survey: dict | None = None) -> str:
    """Return the one-page summary: a whole HTML document with print styles.

    Examples
    --------
    >>> from adass_survey.compare.spec import form_items
    >>> from adass_survey.compare.comparison import compare_answer
    >>> doc = summary_document([compare_answer(form_items()[1], "no")], name="A <b>test</b> council")
    >>> doc.startswith("<!DOCTYPE html>"), "A &lt;b&gt;test&lt;/b&gt; council" in doc, "@media print" in doc
    (True, True, True)
    """
    title = "Compare my council: answers beside the ADASS Personalisation Survey 2011"
    for_whom = f"<p><strong>Prepared for:</strong> {escape(name)}</p>" if name else ""
    body = "".join(comparison_html(c, "h2") for c in comparisons)
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{PRINT_STYLE}</style></head><body><h1>{escape(title)}</h1>{for_whom}"
        f'<p class="adass-cmp-caveat">{escape(caveat(survey))}</p>{body}<p><small>{escape(SOURCE)}</small></p>'
        "</body></html>"
    )


def download_link(
    document: str,
    filename: str = SUMMARY_FILENAME,
    text: str = "Download your one-page summary (HTML: open it, then print or save as PDF)",
) -> str:
    """Return an ``<a download>`` link carrying ``document`` as a ``data:`` URI (nothing is stored on a server).

    Examples
    --------
    >>> download_link("<p>hi</p>", "s.html", "Save")
    '<a class="adass-cmp-download" download="s.html" href="data:text/html;charset=utf-8;base64,PHA+aGk8L3A+">Save</a>'
    """
    payload = base64.b64encode(document.encode("utf-8")).decode("ascii")
    return (
        f'<a class="adass-cmp-download" download="{escape(filename, quote=True)}" '
        f'href="data:text/html;charset=utf-8;base64,{payload}">{escape(text)}</a>'
    )
