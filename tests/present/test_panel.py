"""A filter panel is plain HTML on a reader's page and a widget in JupyterLab, with the same views."""

from __future__ import annotations

from adass_survey.present.panel import HTML_PANELS_ENV, Panel

WIDGET = "application/vnd.jupyter.widget-view+json"
ENTRY = {
    "dimensions": [
        {"id": "t", "label": "Council type", "description": "", "options": [["All", "all"], ["County", "county"]]}
    ],
    "views": {
        "all": {"html": "<p>chart of all</p>", "base": "Showing all 58 councils (n = 58)", "text": "all"},
        "county": {"html": "<p>chart of counties</p>", "base": "Showing 17 county councils (n = 17)", "text": "c"},
    },
    "text": "Filter panel (council type). Default view: all",
}


def test_a_readers_page_gets_every_view_as_html_and_no_widget(monkeypatch) -> None:
    monkeypatch.setenv(HTML_PANELS_ENV, "1")
    bundle = Panel(ENTRY, "p1")._repr_mimebundle_()
    assert WIDGET not in bundle, "a reader's page must not need Voilà's widget front end"
    html = bundle["text/html"]
    assert "chart of all" in html and "chart of counties" in html and "(n = 17)" in html
    assert 'data-dims="t"' in html and 'data-choice="f-t-county"' in html and "<style" not in html
    assert bundle["text/plain"] == ENTRY["text"]


def test_jupyterlab_gets_the_widget_beside_the_default_view_only(monkeypatch) -> None:
    monkeypatch.delenv(HTML_PANELS_ENV, raising=False)
    bundle = Panel(ENTRY, "p1")._repr_mimebundle_()
    assert WIDGET in bundle
    assert "chart of all" in bundle["text/html"] and "chart of counties" not in bundle["text/html"]
