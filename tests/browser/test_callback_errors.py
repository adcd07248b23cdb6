"""When a widget callback raises, the reader sees a friendly sentence, never a traceback.

The widgets helper (adass_survey.widgets) adds a "Test: raise an error" option to the first dropdown of a
filter panel when the kernel runs with ADASS_FAULT_INJECTION=1; this server is started with it, the
repository's server never is.
"""

from __future__ import annotations

import pytest

from adass_survey.present.widgets import ERROR_MESSAGE

from .conftest import notebook_dir, open_page, render_url, served_notebooks, start_voila, stop_process_group, wait_for_dashboard
from .test_dashboards import PATH_PATTERN, TRACEBACK_PATTERN

FAULT_OPTION = "Test: raise an error"


def _notebook_with_filter_panel() -> str:
    for name in served_notebooks():
        if "explore(" in (notebook_dir() / name).read_text(encoding="utf-8"):
            return name
    pytest.skip("no notebook with a filter panel (adass_survey.present.views.explore) yet")


@pytest.fixture(scope="module")
def fault_server(tmp_path_factory):
    notebook = _notebook_with_filter_panel()
    server = start_voila(tmp_path_factory.mktemp("fault"), extra_env={"ADASS_FAULT_INJECTION": "1"},
                         extra_args=["--VoilaConfiguration.preheat_kernel=False"])
    yield server, notebook
    stop_process_group(server.process)


def test_callback_error_shows_friendly_message_not_traceback(fault_server, browser) -> None:
    server, notebook = fault_server
    page = open_page(browser)
    try:
        page.goto(render_url(server, notebook))
        wait_for_dashboard(page)
        dropdown = page.locator(".widget-dropdown select").first
        options = [o.replace("\xa0", " ") for o in dropdown.locator("option").all_inner_texts()]
        assert FAULT_OPTION in options
        dropdown.select_option(index=options.index(FAULT_OPTION))
        page.get_by_text(ERROR_MESSAGE).first.wait_for(timeout=30_000)
        page.wait_for_timeout(1000)  # anything else the failure sends would arrive now
        text = page.inner_text("body")
    finally:
        page.context.close()
    assert ERROR_MESSAGE in text
    assert TRACEBACK_PATTERN.search(text) is None, "a traceback reached the page"
    assert "FaultInjected" not in text and PATH_PATTERN.search(text) is None
