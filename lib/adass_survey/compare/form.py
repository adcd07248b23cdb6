"""The form as plain HTML: a fieldset of native radio buttons per question, and every answer's block drawn in advance.

Each question is a ``<fieldset>`` whose ``<legend>`` is the question and whose radio buttons are its answers,
"Not answered" checked by default. Under them, one block per answer (:func:`~adass_survey.compare.summary.
comparison_html`, published figures only), hidden; CSS ``:has()`` shows the block of the answer checked. Choosing
an answer is a change in the browser and nothing else: no script, no request, no kernel. The form is a
``<form method="dialog">`` outside any dialog, which the browser never submits (Enter in the name box sends
nothing), so its reset button clears every answer with no script either.

Printing the page prints the summary: the other cells of the page, the controls and the questions not answered are
left out of print, and the name box prints as "Prepared for: <name>", or not at all when empty.
"""

from __future__ import annotations

from html import escape

from .answers import NAME_LIMIT
from .comparison import compare_answer
from .published import figure_rows, load_extras
from .spec import Item, form_items
from .summary import SUMMARY_FILENAME, TITLE, caveat, comparison_html, summary_template

PRIVACY_LINE = "Your answers never leave this browser: nothing is sent, saved or logged."
EMPTY = "Answer any question above to see how the councils that responded answered it."
ROOT_ID = "adass-cmp"
DOWNLOAD_TEXT = "Download summary"
PRINT_HINT = (
    "To keep a copy, print this page: it prints as a summary of the questions you answered. Or download the "
    "summary, a page to open, print or save as PDF."
)

BASE_STYLE = """
.adass-cmp { max-width: 48rem; }
.adass-cmp-privacy { font-weight: 700; border-left: 4px solid #12436d; padding: 0.25rem 0 0.25rem 0.75rem; }
.adass-cmp-q { border: 1px solid #b1b4b6; margin: 1rem 0; padding: 0.5rem 1rem 0.75rem; min-width: 0; }
.adass-cmp-q > legend { font-weight: 600; padding: 0 0.25rem; line-height: 1.35; }
.adass-cmp-options label { display: flex; align-items: center; gap: 0.5rem; min-height: 2rem; cursor: pointer; }
.adass-cmp-options input { width: 20px; height: 20px; margin: 0; flex: none; }
.adass-cmp:has(.adass-cmp-q) .adass-cmp-block { display: none; }
.adass-cmp-block { border-left: 4px solid #12436d; padding: 0.1rem 0 0.1rem 0.75rem; margin-top: 0.5rem; }
.adass-cmp-block h3 { font-size: 1rem; margin: 0.25rem 0; }
.adass-cmp-block p { margin: 0.25rem 0; }
.adass-cmp-where { font-style: italic; }
.adass-cmp-block blockquote { margin: 0.3rem 0 0.3rem 1rem; padding-left: 0.6rem; border-left: 3px solid #505a5f; }
.adass-cmp-name label { display: block; font-weight: 600; }
.adass-cmp-name input { min-height: 2.5rem; width: 24rem; max-width: 100%; box-sizing: border-box;
  border: 2px solid #0b0c0c; padding: 0 0.5rem; font-size: 1rem; }
.adass-cmp-actions { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; margin: 1rem 0; }
.adass-cmp-actions button { min-height: 2.5rem; padding: 0 1rem; font-size: 1rem; border: 2px solid #0b0c0c;
  background: #ffffff; color: #0b0c0c; cursor: pointer; }
.adass-cmp-actions button.adass-cmp-download { background: #12436d; border-color: #12436d; color: #ffffff; }
.adass-cmp-form:not(:has(.adass-cmp-opt:checked)) .adass-cmp-download { display: none; }
.adass-cmp-form:has(.adass-cmp-opt:checked) .adass-cmp-empty { display: none; }
.adass-cmp-print { display: none; }
@media print {
  body:has(.adass-cmp) .jp-Cell:not(:has(.adass-cmp)), body:has(.adass-cmp) .adass-footer { display: none !important; }
  .adass-cmp-privacy, .adass-cmp-options, .adass-cmp-q > legend, .adass-cmp-actions, .adass-cmp-hint,
  .adass-cmp-screen, .adass-cmp-name:has(input:placeholder-shown) { display: none !important; }
  .adass-cmp { max-width: none; }
  .adass-cmp-print { display: block; }
  span.adass-cmp-print { display: inline; }
  h1.adass-cmp-print { font-size: 1.4rem; margin: 0 0 0.3rem; }
  .adass-cmp-q:has(.adass-cmp-none:checked) { display: none; }
  .adass-cmp-q { border: 0; margin: 0; padding: 0; }
  .adass-cmp-name { display: flex; gap: 0.4rem; align-items: baseline; }
  .adass-cmp-name label { display: inline; }
  .adass-cmp-name input { border: 0; padding: 0; min-height: 0; width: auto; flex: 1; font: inherit; }
  .adass-cmp-caveat { border: 2px solid #0b0c0c; padding: 0.4rem 0.6rem; }
  .adass-cmp-block { border: 0; padding: 0; break-inside: avoid; page-break-inside: avoid; }
  .adass-cmp-block h3 { font-size: 1.05rem; margin: 1rem 0 0.2rem; break-after: avoid; page-break-after: avoid; }
}
"""


def style(items: list[Item]) -> str:
    """Return the form's stylesheet: the rules above, and one rule per answer position showing its block.

    Examples
    --------
    >>> item = Item("on_target", "on_target", "On target?", "On target", "2.1", (("yes", "Yes"), ("no", "No")))
    >>> ".adass-cmp-q:has(.adass-cmp-o2:checked) .adass-cmp-b2 { display: block; }" in style([item])
    True
    """
    most = max((len(item.options) for item in items), default=0)
    shown = "".join(
        f".adass-cmp-q:has(.adass-cmp-o{n}:checked) .adass-cmp-b{n} {{ display: block; }}\n" for n in range(1, most + 1)
    )
    return f"<style>{BASE_STYLE}{shown}</style>"


def _radio(qid: str, n: int, label: str, block_id: str = "") -> str:
    kind = f"adass-cmp-opt adass-cmp-o{n}" if n else "adass-cmp-none"
    extra = f' data-block="{block_id}"' if block_id else " checked"
    return (
        f'<label><input type="radio" id="{qid}-o{n}" name="{qid}" value="{n}" '
        f'class="{kind}"{extra}> {escape(label)}</label>'
    )


def fieldset_html(number: int, item: Item, blocks: list[str]) -> str:
    """Return one question: its legend, "Not answered" and its answers as radio buttons, and each answer's block.

    Examples
    --------
    >>> item = Item("on_target", "on_target", "On target?", "On target", "2.1", (("yes", "Yes"), ("no", "No")))
    >>> html = fieldset_html(3, item, ["<p>Y</p>", "<p>N</p>"])
    >>> html.count('type="radio"'), '<legend>2.1. On target?</legend>' in html
    (3, True)
    >>> '<div class="adass-cmp-block adass-cmp-b2" id="adass-cmp-q3-b2" data-key="on_target" data-code="no">' in html
    True
    """
    qid = f"{ROOT_ID}-q{number}"
    radios = [_radio(qid, 0, "Not answered")]
    shown = []
    for n, ((code, label), block) in enumerate(zip(item.options, blocks, strict=True), 1):
        radios.append(_radio(qid, n, label, f"{qid}-b{n}"))
        shown.append(
            f'<div class="adass-cmp-block adass-cmp-b{n}" id="{qid}-b{n}" data-key="{escape(item.key, quote=True)}" '
            f'data-code="{escape(code, quote=True)}">{block}</div>'
        )
    return (
        f'<fieldset class="adass-cmp-q" id="{qid}"><legend>{escape(item.section)}. {escape(item.text)}</legend>'
        f'<div class="adass-cmp-options">{"".join(radios)}</div>'
        f'<div class="adass-cmp-blocks" aria-live="polite">{"".join(shown)}</div></fieldset>'
    )


def _name_box() -> str:
    return (
        f'<p class="adass-cmp-name"><label for="{ROOT_ID}-name"><span class="adass-cmp-screen">Name for your summary '
        f'(optional)</span><span class="adass-cmp-print">Prepared for:</span></label> <input type="text" '
        f'id="{ROOT_ID}-name" maxlength="{NAME_LIMIT}" placeholder="e.g. your council" autocomplete="off" '
        'spellcheck="false"></p>'
    )


def form_html(items: list[Item] | None = None, survey: dict | None = None) -> str:
    """Return the whole form: privacy line, caveat, name box, every question with its answer blocks, and actions.

    Every answer's block is computed here, once, from the published figures only. The page's script (see
    :mod:`adass_survey.compare.page`) goes after it; without the script, everything but the download works.

    Examples
    --------
    >>> html = form_html()
    >>> html.count("<fieldset"), html.count('class="adass-cmp-block '), html.count(PRIVACY_LINE)
    (18, 40, 1)
    """
    items = items if items is not None else form_items()
    figures, extras = figure_rows(), load_extras()
    questions = [
        fieldset_html(
            number, item, [comparison_html(compare_answer(item, code, figures, extras)) for code, _ in item.options]
        )
        for number, item in enumerate(items, 1)
    ]
    actions = (
        '<div class="adass-cmp-actions">'
        f'<button type="button" class="adass-cmp-download" data-filename="{SUMMARY_FILENAME}" hidden>'
        f"{escape(DOWNLOAD_TEXT)}</button>"
        '<button type="reset">Clear all answers</button>'
        f'<p class="adass-cmp-empty">{escape(EMPTY)}</p></div>'
        f'<p class="adass-cmp-hint">{escape(PRINT_HINT)}</p>'
    )
    return (
        f'<div class="adass-cmp" id="{ROOT_ID}">{style(items)}'
        f'<p class="adass-cmp-privacy">{escape(PRIVACY_LINE)}</p>'
        f'<h1 class="adass-cmp-print">{escape(TITLE)}</h1>'
        f'<form class="adass-cmp-form" method="dialog" autocomplete="off" aria-label="Compare my council">'
        f'{_name_box()}<p class="adass-cmp-caveat">{escape(caveat(survey))}</p>'
        f"{''.join(questions)}{actions}</form>{summary_template(survey)}</div>"
    )
