"""The "Compare my council" page: the guarded form, the comparisons it shows and the summary link.

:func:`compare_page` is what the notebook calls. Nothing here writes a file, logs, or touches the URL: answers
live in the widgets, and the summary goes to the browser as a ``data:`` URI.
"""

from __future__ import annotations

from html import escape

import ipywidgets as widgets

from .comparison import compare_answer
from .form import (
    EMPTY,
    FAILED,
    NAME_LIMIT,
    PRIVACY_LINE,
    REFUSED,
    GuardedButton,
    GuardedHTML,
    GuardedRadio,
    GuardedText,
    GuardedVBox,
)
from .published import load_extras, load_figures
from .spec import NOT_ANSWERED, Item, form_items
from .summary import caveat, comparison_html, download_link, summary_document

# Question texts wrap instead of being cut off (ipywidgets labels are one line by default); scoped to this form.
STYLE = (
    "<style>.adass-compare .widget-radio > .widget-label, .adass-compare .widget-text > .widget-label"
    "{white-space: normal; overflow: visible; height: auto; line-height: 1.35; font-weight: 600;}"
    ".adass-compare .widget-radio-box label{line-height: 1.6;}</style>"
)
PLAIN_TEXT = "Compare my council: a form of {n} questions, each not answered until you choose (live page only)."


def _radio(item: Item) -> GuardedRadio:
    options = [("Not answered", NOT_ANSWERED), *((label, code) for code, label in item.options)]
    return GuardedRadio(
        options=options,
        value=NOT_ANSWERED,
        description=f"{item.section}. {item.text}",
        tooltip=item.text,
        style={"description_width": "initial"},
        layout=widgets.Layout(flex_flow="column", width="auto", margin="0.6em 0"),
    )


class CompareForm:
    """The form and its results. ``answers()`` gives the current answers; the widgets are in ``choices``.

    Examples
    --------
    >>> form = CompareForm()
    >>> form.choices["take_up"].value = "below_60"
    >>> "29 of 58 responding councils (50%)" in form.results.value
    True
    >>> form.choices["take_up"].set_state({"index": 99})
    >>> form.answers(), "the form has been cleared" in form.message.value
    ({}, True)
    """

    def __init__(self, items: list[Item] | None = None):
        self.items = items if items is not None else form_items()
        self.figures, self.extras = load_figures(), load_extras()
        self.name = GuardedText(
            description="Name for your summary (optional)",
            placeholder="e.g. your council",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="auto"),
        )
        self.choices = {item.key: _radio(item) for item in self.items}
        self.message = GuardedHTML(value="")
        self.results = GuardedHTML(value=f"<p>{escape(EMPTY)}</p>")
        self.summary = GuardedHTML(value="")
        self.clear_button = GuardedButton(description="Clear all answers", tooltip="Set every question to not answered")
        header = GuardedHTML(
            value=f'{STYLE}<p class="adass-cmp-privacy"><strong>{escape(PRIVACY_LINE)}</strong></p>'
            f"<p>{escape(caveat())}</p>"
        )
        for widget in (
            self.name,
            *self.choices.values(),
            self.message,
            self.results,
            self.summary,
            self.clear_button,
            header,
        ):
            widget.on_refused = self.refuse
        for radio in self.choices.values():
            radio.observe(self._changed, "value")
        self.name.observe(self._changed, "value")
        self.clear_button.on_click(lambda _button: self.clear())
        self.box = GuardedVBox(
            children=[
                header,
                self.name,
                *self.choices.values(),
                self.clear_button,
                self.message,
                self.results,
                self.summary,
            ],
            layout=widgets.Layout(max_width="48rem"),
        )
        self.box.on_refused = self.refuse
        self.box.add_class("adass-compare")

    def answers(self) -> dict[str, str]:
        """Return the answered questions: form key to option code."""
        return {key: radio.value for key, radio in self.choices.items() if radio.value != NOT_ANSWERED}

    def clear(self, message: str = "") -> None:
        """Set every question to not answered, empty the name and the results, and show ``message``."""
        for widget, blank in ((self.name, ""), *((radio, NOT_ANSWERED) for radio in self.choices.values())):
            with widget.hold_trait_notifications():
                widget.value = blank
            widget.send_state()
        self.message.value = f'<p class="adass-error" role="alert">{escape(message)}</p>' if message else ""
        self.results.value, self.summary.value = f"<p>{escape(EMPTY)}</p>", ""

    def refuse(self) -> None:
        """Clear the form after a client sent a value the form does not accept."""
        self.clear(REFUSED)

    def _changed(self, _change=None) -> None:
        try:
            self._show()
        except Exception:  # noqa: BLE001 - the reader gets a sentence; nothing is logged (it would hold answers)
            self.clear(FAILED)

    def _show(self) -> None:
        items = {item.key: item for item in self.items}
        comparisons = [
            compare_answer(items[key], code, self.figures, self.extras) for key, code in self.answers().items()
        ]
        self.message.value = ""
        if not comparisons:
            self.results.value, self.summary.value = f"<p>{escape(EMPTY)}</p>", ""
            return
        self.results.value = '<div class="adass-cmp-results">' + "".join(map(comparison_html, comparisons)) + "</div>"
        name = self.name.value.strip()[:NAME_LIMIT]
        self.summary.value = f"<p>{download_link(summary_document(comparisons, name))}</p>"

    def __repr__(self) -> str:
        return PLAIN_TEXT.format(n=len(self.items))

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.box._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = repr(self)
        return bundle


def compare_page() -> CompareForm:
    """Return the page's form, ready to display (a notebook cell shows it as widgets).

    Examples
    --------
    >>> compare_page()
    Compare my council: a form of 18 questions, each not answered until you choose (live page only).
    """
    return CompareForm()
