"""The comparisons as HTML: the answer blocks, and the one-page summary (a whole HTML document with print styles).

The page holds the summary's parts in a ``<template>`` (:func:`summary_template`); its script fills them with the
answers chosen and the optional name and hands the document to the browser as a file, made in the page. In Python,
:func:`summary_document` writes the same document from comparisons given in code.
"""

from __future__ import annotations

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
TITLE = "Compare my council: answers beside the ADASS Personalisation Survey 2011"
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


def _parts(name_html: str, body: str, survey: dict | None) -> tuple[str, str]:
    head = f'<meta charset="utf-8"><title>{escape(TITLE)}</title><style>{PRINT_STYLE}</style>'
    content = (
        f'<h1>{escape(TITLE)}</h1>{name_html}<p class="adass-cmp-caveat">{escape(caveat(survey))}</p>'
        f'<div class="adass-cmp-answers">{body}</div><p><small>{escape(SOURCE)}</small></p>'
    )
    return head, content


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
    for_whom = (
        f'<p class="adass-cmp-for"><strong>Prepared for:</strong> <span>{escape(name)}</span></p>' if name else ""
    )
    head, content = _parts(for_whom, "".join(comparison_html(c, "h2") for c in comparisons), survey)
    return f'<!DOCTYPE html><html lang="en"><head>{head}</head><body>{content}</body></html>'


def summary_template(survey: dict | None = None) -> str:
    """Return the summary's parts as an inert ``<template>``, for the page's script to fill in the browser.

    The script moves the head's elements into the document's head, fills the name (as text) or drops its line, and
    puts a copy of each chosen answer's block into ``.adass-cmp-answers`` (its heading an ``h2``, as here).

    Examples
    --------
    >>> html = summary_template({"invited": 152, "responded": 58})
    >>> html.startswith('<template class="adass-cmp-summary">'), '<p class="adass-cmp-for">' in html
    (True, True)
    """
    for_whom = '<p class="adass-cmp-for"><strong>Prepared for:</strong> <span></span></p>'
    head, content = _parts(for_whom, "", survey)
    return f'<template class="adass-cmp-summary">{head}{content}</template>'
