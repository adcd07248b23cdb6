"""The form a reader fills in: ipywidgets built from the form spec, guarded against any value a client sends.

A client can send any state for any widget. Each widget here accepts only what its view sends in normal use (a
radio button's option index in range; the optional name as short text); anything else is refused: the form is
cleared and a plain sentence says why, with no traceback and nothing logged. Answers live in these widgets only,
in the kernel's memory, while the page is open.
"""

from __future__ import annotations

import ipywidgets as widgets

PRIVACY_LINE = (
    "What happens to your answers: they stay in this open page only (in the memory of the server running "
    "it); they are never saved, logged or put in the web address, and they are gone when you close it."
)
REFUSED = (
    "That answer is not one of the questionnaire's options, so the form has been cleared. "
    "Please choose your answers again."
)
FAILED = "Something went wrong while comparing your answers, so the form has been cleared. Please try again."
EMPTY = "Answer any question above to see how the councils that responded answered it."
NAME_LIMIT = 80


class _Guard:
    """Mixin: refuse any client state the view would not send; the form is told and clears itself."""

    on_refused = None

    def accepts(self, state: dict) -> bool:
        return False

    def set_state(self, sync_data):
        try:
            ok = self.accepts(sync_data)
        except Exception:  # noqa: BLE001 - any malformed state is a refusal, never a traceback
            ok = False
        if not ok:
            if self.on_refused:
                self.on_refused()
            return
        super().set_state(sync_data)


class GuardedRadio(_Guard, widgets.RadioButtons):
    """Radio buttons that accept only an option index in range from the client.

    Examples
    --------
    >>> radio = GuardedRadio(options=[("Not answered", ""), ("Yes", "yes")])
    >>> radio.accepts({"index": 1}), radio.accepts({"index": 2}), radio.accepts({"value": "yes"})
    (True, False, False)
    """

    def accepts(self, state: dict) -> bool:
        index = state.get("index")
        return set(state) == {"index"} and type(index) is int and 0 <= index < len(self.options)


class GuardedText(_Guard, widgets.Text):
    """A text box that accepts only short printable text from the client.

    Examples
    --------
    >>> box = GuardedText()
    >>> box.accepts({"value": "Testshire"}), box.accepts({"value": "x" * 81}), box.accepts({"value": "a" + chr(10)})
    (True, False, False)
    """

    def accepts(self, state: dict) -> bool:
        value = state.get("value")
        return set(state) == {"value"} and isinstance(value, str) and len(value) <= NAME_LIMIT and value.isprintable()


class GuardedHTML(_Guard, widgets.HTML):
    """HTML the kernel writes; a client may change nothing."""


class GuardedVBox(_Guard, widgets.VBox):
    """A box whose children a client may not change."""


class GuardedButton(_Guard, widgets.Button):
    """A button: clicks arrive as events; a client may change none of its state."""
