"""The comparisons as HTML: the answer blocks, and the one-page summary (a whole HTML document with print styles).

The page holds the summary document with no answer in it as inert text, a JSON string in a ``<script
type="application/json">`` (:func:`summary_source`), which the browser neither runs nor shows; the page's script
parses it, fills it with the answers chosen and the optional name, and hands the document to the browser as a file,
made in the page. In Python, :func:`summary_document` writes the same document from comparisons given in code.
"""

from __future__ import annotations

import json
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


def document(head: str, body: str) -> str:
    """Return a whole HTML document (English) of its head's and its body's HTML, as the page's script writes it.

    Examples
    --------
    >>> document("<title>t</title>", "<p>x</p>")
    '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><p>x</p></body></html>'
    """
    return f'<!DOCTYPE html><html lang="en"><head>{head}</head><body>{body}</body></html>'


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
    return document(*_parts(for_whom, "".join(comparison_html(c, "h2") for c in comparisons), survey))


def summary_source(survey: dict | None = None) -> str:
    """Return the summary's head and body with no answer in them, as JSON in an inert ``<script>`` for the page.

    The page's script parses the body alone (in a document of its own, not shown), fills the name (as text) or drops
    its line, puts a copy of each chosen answer's block into ``.adass-cmp-answers`` (its heading an ``h2``, as
    :func:`summary_document` has it), and writes the document as :func:`document` does. The head, with its print
    styles, stays text: a ``<style>`` made in the page would be refused by the page's Content-Security-Policy. Every
    ``<``, ``>`` and ``&`` of the JSON is written as a ``\\u`` escape, so nothing in it can end the element.

    Examples
    --------
    >>> html = summary_source({"invited": 152, "responded": 58})
    >>> html.startswith('<script type="application/json" class="adass-cmp-summary">'), html.count("<")
    (True, 2)
    >>> parts = json.loads(html.split(">", 1)[1].rsplit("<", 1)[0])
    >>> parts["head"].startswith('<meta charset="utf-8"><title>'), parts["body"].startswith("<h1>")
    (True, True)
    """
    for_whom = '<p class="adass-cmp-for"><strong>Prepared for:</strong> <span></span></p>'
    head, body = _parts(for_whom, "", survey)
    text = json.dumps({"head": head, "body": body})
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json" class="adass-cmp-summary">{text}</script>'
