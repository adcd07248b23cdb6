"""The filter panel of the dashboards: labelled dropdowns, a Reset button, a live base and an output area.

Everything a browser sends is untrusted: a client can set any widget to any value over the comm
channel. Each callback validates the selection against the allowed options (an invalid value is
reset with a friendly message), is wrapped so an exception is logged with detail (``logging``,
logger ``adass_survey.present.widgets``) and the page shows only "Sorry, this view could not be drawn. The
error has been logged." -- never a traceback.

Whether a selection is drawn is decided by the same disclosure policy as every table
(:func:`adass_survey.disclosure.plan.plan_views`): a group whose size, or whose complement, is below the
threshold, or that would reveal one by differencing, gets a plain message instead.

Fault injection (for the browser test of the friendly message): with the environment variable
``ADASS_FAULT_INJECTION=1`` set when the panel is built, the first dropdown gains an extra option
"Test: raise an error" whose callback raises. Off by default; never set it on a public server.
"""

from __future__ import annotations

import logging
import os
from html import escape
from typing import Callable

import ipywidgets as w
import pandas as pd

from ..disclosure.plan import plan_views
from ..disclosure.policy import DisclosurePolicy
from ..tables.groups import ALL, check_panel, clean_selection, filter_respondents, filter_themes, selection_label
from ..tables.groups import dimensions as filter_dimensions

LOGGER = logging.getLogger("adass_survey.widgets")
ERROR_MESSAGE = "Sorry, this view could not be drawn. The error has been logged."
INVALID_MESSAGE = "That filter option is not available, so the filters have been reset to show all councils."
FAULT_ENV = "ADASS_FAULT_INJECTION"
FAULT_VALUE = "__fault_injection__"


class FaultInjected(RuntimeError):
    """Raised on purpose by the hidden test option (``ADASS_FAULT_INJECTION=1``)."""


def _message_html(text: str, kind: str) -> str:
    return f'<p class="adass-{kind}" role="status" style="font-size:1.1em">{escape(text)}</p>'


class FilterPanel(w.VBox):
    """Dropdown filters over the survey that redraw a view through ``render``.

    Parameters
    ----------
    survey : object with ``respondents`` and ``themes`` frames (from ``adass_survey.processed.survey.load_survey()``)
    dimensions : filter dimensions: ``council_type`` and/or ``region_group``, or one answer dimension
        (e.g. ``take_up_band``; see :func:`adass_survey.tables.groups.check_panel`)
    render : ``render(filtered_respondents, filtered_themes, selection)``; may display into the
        output area or return something displayable (or a list of them)
    policy : disclosure policy (default: from the environment)

    Examples
    --------
    >>> import pandas as pd, types
    >>> df = pd.DataFrame({"respondent_id": range(1, 21), "council_type": ["county"] * 10 + ["unitary"] * 10,
    ...                    "region": ["north_east"] * 20})
    >>> survey = types.SimpleNamespace(respondents=df, themes=pd.DataFrame(columns=["respondent_id", "question_id", "theme"]))
    >>> panel = FilterPanel(survey, ("council_type",), render=lambda r, t, s: f"{len(r)} rows")
    >>> panel.select(council_type="county")
    >>> panel.base_label.value
    'Showing 10 county councils (n = 10)'
    """

    def __init__(self, survey, dimensions: tuple[str, ...] = ("council_type", "region_group"),
                 render: Callable | None = None, policy: DisclosurePolicy | None = None):
        self.survey = survey
        self.policy = policy or DisclosurePolicy.from_env()
        self.dimension_ids = tuple(dimensions)
        all_dims = filter_dimensions()
        check_panel(self.dimension_ids, dims=all_dims)
        self.all_dims = all_dims
        self.dims = {d: all_dims[d] for d in self.dimension_ids}
        self.render = render
        self.plan = plan_views(survey.respondents, self.dimension_ids, self.policy)
        self.fault_injection = os.environ.get(FAULT_ENV, "").strip() == "1"
        self.message: str | None = None
        self.dropdowns = {d: self._dropdown(d, first=(i == 0)) for i, d in enumerate(self.dimension_ids)}
        self.reset_button = w.Button(description="Reset filters", tooltip="Show all councils again",
                                     icon="undo", layout=w.Layout(width="auto"))
        self.base_label = w.HTML(layout=w.Layout(margin="0.3em 0"))
        self.output = w.Output(layout=w.Layout(min_height="2em"))
        self._muted = False
        for dropdown in self.dropdowns.values():
            dropdown.observe(self._on_change, names="value")
        self.reset_button.on_click(lambda _button: self._guarded(self.reset))
        controls = w.HBox([*self.dropdowns.values(), self.reset_button], layout=w.Layout(flex_flow="row wrap"))
        super().__init__([controls, self.base_label, self.output])
        self._guarded(self.refresh)

    # ----- building -------------------------------------------------------------------------

    def _dropdown(self, dim_id: str, first: bool) -> w.Dropdown:
        dim = self.dims[dim_id]
        options = [(dim.all_label, ALL)]
        options += list((label, code) for code, label in dim.options)
        if first and self.fault_injection:
            options.append(("Test: raise an error", FAULT_VALUE))
        return w.Dropdown(options=options, value=ALL, description=dim.label, tooltip=dim.description,
                          style={"description_width": "initial"}, layout=w.Layout(width="auto"))

    # ----- state ----------------------------------------------------------------------------

    def allowed(self, dim_id: str) -> list[str]:
        """Values a dropdown may take."""
        return [ALL, *self.dims[dim_id].codes()]

    @property
    def selection(self) -> dict[str, str]:
        """The current selection (``"all"`` entries dropped)."""
        return {d: dd.value for d, dd in self.dropdowns.items() if dd.value != ALL}

    def select(self, **selection: str) -> None:
        """Set the filters from code (values validated like browser input) and redraw."""
        self._guarded(self._apply, selection)

    def reset(self) -> None:
        """Set every filter back to all councils and redraw."""
        self._set_values({d: ALL for d in self.dropdowns})
        self.refresh()

    # ----- callbacks (all guarded) ------------------------------------------------------------

    def _on_change(self, change) -> None:
        if not self._muted:
            self._guarded(self.refresh)

    def _guarded(self, action: Callable, *args) -> None:
        try:
            action(*args)
        except Exception:  # noqa: BLE001 - a reader must never see a traceback
            LOGGER.exception("filter panel callback failed; selection=%r", self._raw_values())
            self._show(_message_html(ERROR_MESSAGE, "error"), ERROR_MESSAGE)

    def _raw_values(self) -> dict:
        return {d: dd.value for d, dd in self.dropdowns.items()}

    def _set_values(self, values: dict) -> None:
        self._muted = True
        try:
            for d, value in values.items():
                self.dropdowns[d].value = value
        finally:
            self._muted = False

    def _apply(self, selection: dict) -> None:
        unknown = set(selection) - set(self.dropdowns)
        extra = [FAULT_VALUE] if self.fault_injection else []
        bad = [d for d, v in selection.items() if d in self.dropdowns and v not in self.allowed(d) + extra]
        if unknown or bad:
            LOGGER.warning("rejected filter input %r", selection)
            self._invalid()
            return
        self._set_values(selection)
        self.refresh()

    def _invalid(self) -> None:
        self._set_values({d: ALL for d in self.dropdowns})
        self.refresh()
        self._show(_message_html(INVALID_MESSAGE, "invalid"), INVALID_MESSAGE, append=True)

    def refresh(self) -> None:
        """Validate the current values, update the base label, and draw or show the plain message."""
        raw = self._raw_values()
        if self.fault_injection and FAULT_VALUE in raw.values():
            raise FaultInjected("fault injection option selected (ADASS_FAULT_INJECTION=1)")
        if any(v not in self.allowed(d) for d, v in raw.items()):
            LOGGER.warning("rejected filter values %r", raw)
            self._invalid()
            return
        selection = clean_selection(self.selection)
        base = self.plan.base(selection)
        self.base_label.value = self.base_text(selection, base)
        blocked = self.plan.message(selection)
        if blocked:
            self._show(_message_html(blocked, "withheld"), blocked)
            return
        respondents = filter_respondents(self.survey.respondents, selection)
        themes = filter_themes(self.survey.themes, respondents)
        self._draw(respondents, themes, selection)

    def base_text(self, selection: dict, base: int) -> str:
        """The live base label, e.g. "Showing 17 county councils (n = 17)".

        The size of a withheld group is not given: it could itself reveal a small group.
        """
        label = selection_label(selection, self.all_dims)
        if self.plan.withheld[self.plan.index(selection)]:
            return f"Selected: {label} (number of councils not shown)"
        if not selection:
            return f"Showing all {base} councils (n = {base})"
        return f"Showing {base} {label} (n = {base})"

    def _draw(self, respondents: pd.DataFrame, themes: pd.DataFrame, selection: dict) -> None:
        self.output.outputs = ()
        self.message = None
        if self.render is None:
            return
        failure = None
        with self.output:  # Output would print a traceback of an escaping exception: keep it inside
            try:
                result = self.render(respondents, themes, selection)
            except Exception as exc:  # noqa: BLE001 - re-raised below, outside the output area
                failure = exc
        if failure is not None:
            raise failure
        for item in result if isinstance(result, (list, tuple)) else [result]:
            if item is not None:
                self.output.append_display_data(item)

    def _show(self, html: str, text: str, append: bool = False) -> None:
        from IPython.display import HTML

        if not append:
            self.output.outputs = ()
        self.message = text
        self.output.append_display_data(HTML(html))
