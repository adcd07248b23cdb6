"""Show a filter panel whose views were all drawn in advance: switching happens in the browser.

A page drawn for readers (a Voilà dashboard, the static export) gets the views as plain HTML, shown by the page's
one set of filter links (:mod:`adass_survey.present.choices`) and CSS ``:has()`` rules, no script, so the page needs neither a kernel nor Voilà's widget front
end (about 5 MB of script) to switch them. A notebook in JupyterLab gets ipywidgets: one dropdown per filter, linked
in the front end (``jslink``) to a stack of the same views. Either way choosing a filter needs no kernel round trip
and no Python callback exists for a client to reach.

Imports nothing heavier than ipywidgets, and that only when a notebook asks for the widgets.
"""

from __future__ import annotations

import os
import re
from html import escape

from .choices import choice_id

ALL = "all"
HTML_PANELS_ENV = "ADASS_HTML_PANELS"
"""Set to 1 in the kernels that draw pages for readers (the static export): a panel is then its HTML form with every
view and no widget. A kernel Voilà starts is told so by its ``SERVER_SOFTWARE`` (``voila/…``, which Voilà sets for
every kernel of a page, :func:`html_panels`). Elsewhere (JupyterLab, nbval) a panel is the widget, beside an HTML
form holding the default view only (what a saved notebook keeps)."""


def html_panels(environ=os.environ) -> bool:
    """True in a kernel that draws a page for readers: the static export's, or one Voilà started for a page.

    Examples
    --------
    >>> html_panels({HTML_PANELS_ENV: "1"}), html_panels({"SERVER_SOFTWARE": "voila/0.5.13"}), html_panels({})
    (True, True, False)
    """
    return environ.get(HTML_PANELS_ENV) == "1" or environ.get("SERVER_SOFTWARE", "").startswith("voila/")


_SAFE = re.compile(r"[^A-Za-z0-9_-]")


def _css_id(*parts: str) -> str:
    return "-".join(_SAFE.sub("_", p) for p in parts)


def view_keys(dimensions: list[dict]) -> list[list[str]]:
    """The view key of every (first, second, ...) option, in widget order: "all" first in each filter.

    Examples
    --------
    >>> dims = [{"id": "t", "options": [["All", "all"], ["County", "county"]]},
    ...         {"id": "r", "options": [["All", "all"], ["North", "north"]]}]
    >>> view_keys(dims)
    [['all|all', 'all|north'], ['county|all', 'county|north']]
    >>> view_keys(dims[:1])
    [['all', 'county']]
    """
    codes = [[code for _, code in d["options"]] for d in dimensions]
    if len(codes) == 1:
        return [codes[0]]
    return [[f"{a}|{b}" for b in codes[1]] for a in codes[0]]


def view_html(view: dict) -> str:
    """One view with its base line above it.

    Examples
    --------
    >>> view_html({"html": "<p>chart</p>", "base": "Showing all 58 councils (n = 58)", "text": ""})
    '<div class="adass-panel-view"><p class="adass-base" role="status">Showing all 58 councils (n = 58)</p><p>chart</p></div>'
    """
    return (
        f'<div class="adass-panel-view"><p class="adass-base" role="status">{escape(view["base"])}</p>'
        f"{view['html']}</div>"
    )


def view_choice(dimension_ids: list[str], key: str) -> str | None:
    """The page choice (:func:`adass_survey.present.choices.choice_id`) a view shows, or None for a combination.

    Examples
    --------
    >>> view_choice(["t", "r"], "all|all"), view_choice(["t", "r"], "county|all"), view_choice(["t", "r"], "a|b")
    ('f-all', 'f-t-county', None)
    """
    chosen = [(d, code) for d, code in zip(dimension_ids, key.split("|")) if code != ALL]
    if len(chosen) > 1:
        return None
    return choice_id(*chosen[0]) if chosen else choice_id("", ALL)


def static_html(entry: dict, panel_id: str) -> str:
    """The panel as HTML with no script: every view of one page choice, the chosen one shown by the stylesheet.

    The page's header holds one set of links (:mod:`adass_survey.present.choices`); each view carries the choice
    it shows (``data-choice``) and the panel the filters it is split by (``data-dims``), so ``adass.css`` shows the
    same choice in every panel of the page. Views combining two filters are left out (one choice per page).

    Printing prints the view on screen. Browsers without CSS ``:has()`` show every view in turn. The images of the
    views not shown at first load lazily, when a reader chooses them.

    Examples
    --------
    >>> entry = {"dimensions": [{"id": "t", "label": "Council type", "description": "",
    ...                          "options": [["All", "all"], ["County", "county"]]}],
    ...          "views": {"all": {"html": "A", "base": "n = 58", "text": ""},
    ...                    "county": {"html": '<img alt="C">', "base": "n = 17", "text": ""}}}
    >>> html = static_html(entry, "p1")
    >>> '<div class="adass-static-panel" id="p1" data-dims="t">' in html and "<select" not in html
    True
    >>> 'id="p1-view-county" class="adass-static-view" data-choice="f-t-county"><div class="adass-panel-view"><p' in html
    True
    >>> '<img loading="lazy" alt="C">' in html
    True
    """
    dim_ids = [d["id"] for d in entry["dimensions"]]
    blocks = []
    for key, view in entry["views"].items():
        choice = view_choice(dim_ids, key)
        if choice is None:
            continue
        vid = _css_id(panel_id, "view", *key.split("|"))
        html = view_html(view)
        if choice != choice_id("", ALL):  # hidden at first: the browser loads its images only once it is chosen
            html = html.replace("<img ", '<img loading="lazy" ')
        blocks.append(f'<div id="{vid}" class="adass-static-view" data-choice="{choice}">{html}</div>')
    dims = escape(" ".join(dim_ids), quote=True)
    return f'<div class="adass-static-panel" id="{panel_id}" data-dims="{dims}">{"".join(blocks)}</div>'


class Panel:
    """A precomputed filter panel: plain HTML on a reader's page, widgets in JupyterLab.

    Parameters
    ----------
    entry : a panel entry of the views catalogue (:func:`adass_survey.present.views.panel_entry`)
    panel_id : an id unique on the page (used by the static form)

    Examples
    --------
    >>> entry = {"dimensions": [{"id": "t", "label": "Council type", "description": "",
    ...                          "options": [["All", "all"], ["County", "county"]]}],
    ...          "views": {"all": {"html": "A", "base": "n = 58", "text": "all"},
    ...                    "county": {"html": "C", "base": "n = 17", "text": "county"}},
    ...          "text": "Filter panel (council type). Default view: all"}
    >>> Panel(entry, "p1")
    Filter panel (council type). Default view: all
    >>> [d.index for d in Panel(entry, "p1").widget().children[0].children]
    [0]
    """

    def __init__(self, entry: dict, panel_id: str):
        self.entry = entry
        self.panel_id = _css_id(panel_id)

    def __repr__(self) -> str:
        return self.entry["text"]

    def widget(self):
        """The live form: dropdowns jslinked to stacks of the views (no kernel needed to switch)."""
        import ipywidgets as w

        dims = self.entry["dimensions"]
        dropdowns = [
            w.Dropdown(
                options=[(label, i) for i, (label, _code) in enumerate(d["options"])],
                value=0,
                description=d["label"],
                description_allow_html=False,
                style={"description_width": "initial"},
                layout=w.Layout(width="auto"),
            )
            for d in dims
        ]
        keys = view_keys(dims)
        stacks = [w.Stack([w.HTML(view_html(self.entry["views"][k])) for k in row], selected_index=0) for row in keys]
        for dropdown, title in zip(dropdowns, (d["description"] for d in dims)):
            dropdown.tooltip = title or None
        if len(dims) == 1:
            views = stacks[0]
            w.jslink((dropdowns[0], "index"), (views, "selected_index"))
        else:
            views = w.Stack(stacks, selected_index=0)
            w.jslink((dropdowns[0], "index"), (views, "selected_index"))
            for inner in stacks:
                w.jslink((dropdowns[1], "index"), (inner, "selected_index"))
        controls = w.HBox(dropdowns, layout=w.Layout(flex_flow="row wrap"))
        return w.VBox([controls, views], _dom_classes=["adass-panel"])

    def _repr_mimebundle_(self, include=None, exclude=None):
        if html_panels():
            return {"text/html": static_html(self.entry, self.panel_id), "text/plain": repr(self)}
        bundle = self.widget()._repr_mimebundle_(include=include, exclude=exclude) or {}
        default = self.entry["views"][view_keys(self.entry["dimensions"])[0][0]]
        bundle["text/html"] = f'<div class="adass-panel-default">{view_html(default)}</div>'
        bundle["text/plain"] = repr(self)
        return bundle
