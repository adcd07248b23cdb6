"""Compare my council, served by Voilà: answers show the published figures with their bases, the summary
downloads, hostile widget values sent over the kernel websocket are refused, and answers are kept nowhere."""

from __future__ import annotations

import os
import re
import tempfile
import uuid
from pathlib import Path

import pytest

from .conftest import (
    REPO,
    kernel_id_of,
    open_page,
    render_url,
    save_screenshot,
    start_voila,
    stop_process_group,
    wait_for_dashboard,
)
from .test_dashboards import PATH_PATTERN, TRACEBACK_PATTERN

NOTEBOOK = "14-compare-my-council.ipynb"
# A distinctive answer, made afresh each run (so no file can hold it beforehand): searched for afterwards in every
# file the server or the kernel could have written.
NAME = f"Zqxjshire {uuid.uuid4().hex[:10]}"
TAKE_UP = "What proportion of eligible people"
RESTRICTIONS = "Do you place any restrictions"
RATING = "How would you rate the supply"

SEND_HOSTILE_STATE = """
async ([channelsUrl, state]) => {
  const ws = new WebSocket(`${channelsUrl}?session_id=hostile${Date.now()}`);
  await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = reject; });
  let comms = null, done = false;
  ws.onmessage = event => {
    try {
      const m = JSON.parse(event.data), type = m.msg_type || m.header.msg_type;
      if (type === 'comm_info_reply') comms = Object.keys(m.content.comms);
      if (type === 'kernel_info_reply') done = true;
    } catch (e) {}
  };
  const message = (type, content) => ({
    header: {msg_id: 'hostile-' + Math.random().toString(16).slice(2), username: 'hostile', session: 'hostile',
             msg_type: type, version: '5.3', date: new Date().toISOString()},
    parent_header: {}, metadata: {}, content, channel: 'shell', buffers: []});
  const wait = async test => { const end = Date.now() + 20000; while (!test() && Date.now() < end) await new Promise(r => setTimeout(r, 100)); };
  ws.send(JSON.stringify(message('comm_info_request', {target_name: 'jupyter.widget'})));
  await wait(() => comms !== null);
  for (const id of comms || []) {
    ws.send(JSON.stringify(message('comm_msg', {comm_id: id, data: {method: 'update', state, buffer_paths: []}})));
  }
  ws.send(JSON.stringify(message('kernel_info_request', {})));
  await wait(() => done);
  ws.close();
  return (comms || []).length;
}
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    started = start_voila(tmp_path_factory.mktemp("compare"), extra_args=["--VoilaConfiguration.preheat_kernel=False"])
    yield started
    stop_process_group(started.process)


def _answer(page, question: str, option: str) -> None:
    group = page.locator(".widget-radio", has_text=question)
    group.get_by_label(option, exact=True).check()


def _wait_for_text(page, text: str, timeout_s: float = 60) -> str:
    body = ""
    for _ in range(int(timeout_s * 5)):
        body = re.sub(r"\s+", " ", page.inner_text("body"))
        if text in body:
            return body
        page.wait_for_timeout(200)
    raise AssertionError(f"{text!r} never appeared; the page shows: {body[:1500]}")


def _files_holding(needle: bytes, roots: list[Path]) -> list[str]:
    found = []
    for root in roots:
        for folder, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if not d.startswith(("playwright", ".org.chromium"))]  # the reader's browser
            for name in files:
                path = Path(folder) / name
                try:
                    if path.is_file() and path.stat().st_size < 50_000_000 and needle in path.read_bytes():
                        found.append(str(path))
                except OSError:
                    continue
    return found


def test_answers_show_published_figures_and_summary_downloads_and_nothing_is_kept(server, browser):
    from jupyter_core.paths import jupyter_runtime_dir

    page = open_page(browser)
    try:
        page.goto(render_url(server, NOTEBOOK))
        wait_for_dashboard(page)
        page.locator(".widget-text input").first.fill(NAME)
        _answer(page, TAKE_UP, "Less than 60%")
        _answer(page, RESTRICTIONS, "No")
        _answer(page, RATING, "Very good")
        text = _wait_for_text(page, "7 of 58 responding councils (12%)")
        assert (
            "You answered 'Less than 60%'. 29 of 58 responding councils (50%) said the same in September 2011" in text
        )
        assert "6 of 58 responding councils (10%) said the same" in text and "section 7.2" in text
        assert "what happens to your answers" in text.lower()
        assert TRACEBACK_PATTERN.search(text) is None and PATH_PATTERN.search(text) is None
        assert NAME not in page.url and "below_60" not in page.url
        save_screenshot(page, "compare-my-council")
        with page.expect_download() as info:
            page.locator("a.adass-cmp-download").click()
        download = info.value
        summary = Path(download.path()).read_text(encoding="utf-8")
        assert download.suggested_filename.endswith(".html")
        assert NAME in summary and "29 of 58 responding councils (50%)" in summary and "@media print" in summary
        download.delete()
        page.set_viewport_size({"width": 390, "height": 844})
        page.wait_for_timeout(500)
        overflow = page.evaluate("() => document.documentElement.scrollWidth")
        save_screenshot(page, "compare-my-council-390")
        needle = NAME.encode()
        roots = [
            server.log.parent,
            REPO / "data",
            REPO / "notebooks",
            REPO / "logs",
            Path(tempfile.gettempdir()),
            Path(jupyter_runtime_dir()),
            Path.home() / ".ipython",
            Path.home() / ".local" / "share" / "jupyter",
        ]
        kept = _files_holding(needle, [r for r in roots if r.exists()])
    finally:
        page.context.close()
    assert overflow <= 400, f"the page is {overflow} px wide at 390 px"
    assert kept == [], f"an answer was written to {kept}"
    assert NAME not in server.log.read_text(encoding="utf-8", errors="replace")


@pytest.mark.parametrize("state", [{"index": 999}, {"value": "<script>alert(1)</script>"}])
def test_hostile_widget_values_are_refused_and_the_form_cleared(server, browser, state):
    page = open_page(browser)
    try:
        page.goto(render_url(server, NOTEBOOK))
        wait_for_dashboard(page)
        _answer(page, TAKE_UP, "60% or above")
        _wait_for_text(page, "23 of 58 responding councils (40%)")
        port = server.url.rsplit(":", 1)[1].strip("/")
        channels = f"ws://127.0.0.1:{port}/api/kernels/{kernel_id_of(page)}/channels"
        sent = page.evaluate(SEND_HOSTILE_STATE, [channels, state])
        text = _wait_for_text(page, "so the form has been cleared")
        checked = page.locator(".widget-radio input:checked").evaluate_all(
            "inputs => inputs.map(i => i.closest('label').innerText.trim())"
        )
    finally:
        page.context.close()
    assert sent > 10, "the probe reached no widget"
    assert "23 of 58 responding councils" not in text and "alert(1)" not in text
    assert TRACEBACK_PATTERN.search(text) is None
    assert checked and set(checked) == {"Not answered"}, checked
