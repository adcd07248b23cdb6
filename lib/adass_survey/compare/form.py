"""The form as plain HTML: a fieldset of native radio buttons per question, and every answer's block drawn in advance.

Each question is a ``<fieldset>`` whose ``<legend>`` is the question and whose radio buttons are its answers,
"Not answered" checked by default. Under them, one block per answer (:func:`~adass_survey.compare.summary.
comparison_html`, published figures only), hidden; the site's stylesheet (:mod:`adass_survey.compare.style`) shows
the block of the answer checked, with CSS ``:has()``. Choosing an answer is a change in the browser and nothing
else: no script, no request, no kernel. The form is a ``<form method="dialog">`` outside any dialog, which the
browser never submits: its submit button, "Download summary", is shown by the page's script, which handles the
submission in the page (``preventDefault``) and makes the summary there; its reset button clears every answer with
no script.

Printing the page prints the summary: the other cells of the page, the controls and the questions not answered are
left out of print, and the name box prints as "Prepared for: <name>", or not at all when empty.
"""

from __future__ import annotations

from html import escape

from .answers import NAME_LIMIT
from .comparison import compare_answer
from .published import figure_rows, load_extras
from .spec import Item, form_items
from .style import MAX_OPTIONS
from .summary import SUMMARY_FILENAME, TITLE, caveat, comparison_html, summary_source

PRIVACY_LINE = "Your answers never leave this browser: nothing is sent, saved or logged."
EMPTY = "Answer any question above to see how the councils that responded answered it."
ROOT_ID = "adass-cmp"
DOWNLOAD_TEXT = "Download summary"
PRINT_HINT = (
    "To keep a copy, print this page: it prints as a summary of the questions you answered. Or download the "
    "summary, a page to open, print or save as PDF."
)


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
    if len(item.options) > MAX_OPTIONS:
        raise ValueError(f"{item.key}: {len(item.options)} answers, more than the form shows ({MAX_OPTIONS})")
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

    Every answer's block is computed here, once, from the published figures only; the summary document's text
    follows the form, as inert data (:func:`~adass_survey.compare.summary.summary_source`). The page's script (see
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
        f'<button type="submit" class="adass-cmp-download" data-filename="{SUMMARY_FILENAME}" hidden>'
        f"{escape(DOWNLOAD_TEXT)}</button>"
        '<button type="reset">Clear all answers</button>'
        f'<p class="adass-cmp-empty">{escape(EMPTY)}</p></div>'
        f'<p class="adass-cmp-hint">{escape(PRINT_HINT)}</p>'
    )
    return (
        f'<div class="adass-cmp" id="{ROOT_ID}">'
        f'<p class="adass-cmp-privacy">{escape(PRIVACY_LINE)}</p>'
        f'<h2 class="adass-cmp-print">{escape(TITLE)}</h2>'
        f'<form class="adass-cmp-form" method="dialog" autocomplete="off" aria-label="Compare my council">'
        f'{_name_box()}<p class="adass-cmp-caveat">{escape(caveat(survey))}</p>'
        f"{''.join(questions)}{actions}</form>{summary_source(survey)}</div>"
    )
