"""Compare my council in the browser: every reader gets the form, live or static, on a server or from disk; choosing
an answer sends nothing; the summary downloads and prints with the chosen answers only; nothing is kept anywhere.

The server here serves a folder holding notebook 14 and its static copy (exported by the fixture), with the
repository's configuration (a pool of one kernel), started through ``scripts/serve.sh``.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import tempfile
import threading
import unicodedata
import uuid
from pathlib import Path

import pytest

from adass_survey.compare.answers import summary
from adass_survey.core.paths import STATIC_FOLDER
from adass_survey.pages.export import export_site

from .conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    REPO,
    goto_live,
    kernel_gone,
    notebook_dir,
    open_page,
    render_url,
    require_chromium,
    save_screenshot,
    start_voila,
    stop_process_group,
    wait_until_ready,
)
from .test_accessibility import axe_violations, describe, require_axe
from .test_dashboards import PATH_PATTERN, TRACEBACK_PATTERN

NOTEBOOK = "14-compare-my-council.ipynb"
STATIC_PAGE = NOTEBOOK.replace(".ipynb", ".html")
QUESTIONS = 18
READERS = 5
TIMEOUT_MS = 180_000
# The three answers chosen (question number in the form, option number, text the block then shows).
CHOICES = [
    (3, 1, "You answered 'Less than 60%'. 29 of 58 responding councils (50%) said the same in September 2011"),
    (9, 2, "You answered 'No'. 6 of 58 responding councils (10%) said the same"),
    (18, 4, "You answered 'Very good'. 7 of 58 responding councils (12%) said the same"),
]
ANSWERS = {"take_up": "below_60", "dp_restrictions": "no", "market_rating": "4"}  # the same, as code
BLOCK_TEXTS = "() => [...document.querySelectorAll('.adass-cmp-block')].map(b => [b.id, b.textContent.trim()])"
SHOWN_BLOCKS = (
    "() => [...document.querySelectorAll('.adass-cmp-block')].filter(b => b.checkVisibility()).map(b => b.id)"
)


def _radio(question: int, option: int) -> str:
    return f"#adass-cmp-q{question}-o{option}"


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """A folder with notebook 14 and its static copy in ``site/``, as ``serve`` and ``export`` make them."""
    require_chromium()
    folder = tmp_path_factory.mktemp("compare") / "notebooks"
    folder.mkdir()
    shutil.copy(notebook_dir() / NOTEBOOK, folder / NOTEBOOK)
    export_site(folder, folder / STATIC_FOLDER, only=[NOTEBOOK])
    return folder


@pytest.fixture(scope="module")
def server(site, tmp_path_factory):
    """The folder served as ``scripts/serve.sh`` serves it: repository configuration, a pool of one kernel."""
    started = start_voila(tmp_path_factory.mktemp("compare-server"), folder=site)
    yield started
    stop_process_group(started.process)


# --------------------------------------------------------------------------------- five readers at once


async def _one_reader(browser, url: str) -> dict:
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    seen = {"after_choice": [], "static": None, "fieldsets": 0, "figure": "", "kernel": None}
    chosen = False

    def record(kind: str, what: str) -> None:
        if chosen:
            seen["after_choice"].append(f"{kind} {what[:120]}")

    try:
        page = await context.new_page()
        page.on("request", lambda request: record("request", request.url))
        page.on(
            "websocket",
            lambda ws: (
                record("websocket", ws.url),
                ws.on("framesent", lambda frame: record("frame sent", str(frame))),
                ws.on("framereceived", lambda frame: record("frame received", str(frame))),
            ),
        )
        response = await page.goto(url, timeout=TIMEOUT_MS, wait_until="commit")
        seen["static"] = bool(response and response.headers.get("x-adass-fallback"))
        await page.wait_for_selector("fieldset.adass-cmp-q", state="visible", timeout=TIMEOUT_MS)
        await page.wait_for_load_state("load", timeout=TIMEOUT_MS)
        seen["fieldsets"] = await page.locator("fieldset.adass-cmp-q").count()
        if not seen["static"]:
            seen["kernel"] = await page.evaluate(
                "() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
            )
        chosen = True
        for question, option, _ in CHOICES:
            await page.check(_radio(question, option))
        block = page.locator(f"#adass-cmp-q{CHOICES[0][0]}-b{CHOICES[0][1]}")
        await block.wait_for(state="visible", timeout=TIMEOUT_MS)
        seen["figure"] = _flat(await block.inner_text())
        seen["blocks"] = await page.evaluate(BLOCK_TEXTS)
        seen["shown"] = await page.evaluate(SHOWN_BLOCKS)
        await page.wait_for_timeout(1500)  # anything the choices would send has been sent by now
    finally:
        await context.close()
    return seen


def five_readers_at_once(url: str) -> list[dict]:
    """Five readers (a browser context each) opening ``url`` at the same moment; what each saw."""
    from playwright.async_api import async_playwright

    async def run() -> list[dict]:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                return await asyncio.gather(*(_one_reader(browser, url) for _ in range(READERS)))
            finally:
                await browser.close()

    results: list = []
    # The session's sync Playwright keeps an event loop on this thread: the readers run on a thread of their own.
    thread = threading.Thread(target=lambda: results.append(asyncio.run(run())))
    thread.start()
    thread.join(timeout=600)
    assert results, "the five readers did not finish"
    return results[0]


def _check_round(readers: list[dict], label: str) -> None:
    assert [r["fieldsets"] for r in readers] == [QUESTIONS] * READERS, f"{label}: forms of {readers}"
    for reader in readers:
        assert CHOICES[0][2] in reader["figure"] and " of 58 " in reader["figure"], f"{label}: {reader['figure']}"
        assert reader["after_choice"] == [], f"{label}: sent after the first choice: {reader['after_choice']}"
    assert all(r["blocks"] == readers[0]["blocks"] and r["shown"] == readers[0]["shown"] for r in readers), label


def test_five_readers_at_once_all_get_the_form_right_after_start_and_once_warm(server):
    first = five_readers_at_once(render_url(server, NOTEBOOK))  # right after the server answered
    _check_round(first, "right after start")
    wait_until_ready(server, [NOTEBOOK])
    warm = five_readers_at_once(render_url(server, NOTEBOOK))
    _check_round(warm, "warm")
    live = [r for r in first + warm if not r["static"]]
    assert all(not r["static"] for r in warm), "a reader got the static copy once the page was rendered"
    assert len({r["kernel"] for r in warm}) == 1, "the warm readers did not all get the one render"
    assert first[0]["blocks"] == warm[0]["blocks"], "the live page and the static copy hold different answer blocks"
    shown = {f"adass-cmp-q{q}-b{o}" for q, o, _ in CHOICES}
    assert set(warm[0]["shown"]) == shown
    # no widget on the page, so nothing will connect: the server stops the live page's kernel once it is sent
    assert all(kernel_gone(r["kernel"], timeout=60) for r in live), "the compare page's render kept its kernel"


# --------------------------------------------------------------------------------- one reader, three ways


def _choose_and_read(page) -> tuple[list, list, str]:
    page.wait_for_selector("fieldset.adass-cmp-q", state="visible", timeout=TIMEOUT_MS)
    for question, option, _ in CHOICES:
        page.check(_radio(question, option))
    page.wait_for_selector(f"#adass-cmp-q{CHOICES[-1][0]}-b{CHOICES[-1][1]}", state="visible")
    return page.evaluate(BLOCK_TEXTS), page.evaluate(SHOWN_BLOCKS), _flat(page.inner_text("body"))


def test_the_static_copy_and_the_file_opened_offline_behave_as_the_live_page(server, site, browser, tmp_path):
    live = open_page(browser)
    try:
        response = goto_live(live, render_url(server, NOTEBOOK))
        static_served = bool(response.headers.get("x-adass-fallback"))
        expected = _choose_and_read(live)
    finally:
        live.context.close()
    offline_dir = Path(tempfile.mkdtemp(dir=tmp_path))
    shutil.copy(site / STATIC_FOLDER / STATIC_PAGE, offline_dir / STATIC_PAGE)  # the file alone, as saved
    blocked: list[str] = []
    results = {}
    for scripts in (True, False):
        context = browser.new_context(java_script_enabled=scripts, viewport={"width": 1280, "height": 800})
        context.route(
            "**/*",
            lambda r: (
                r.continue_() if r.request.url.startswith("file:") else (blocked.append(r.request.url), r.abort())
            ),
        )
        try:
            page = context.new_page()
            page.goto((offline_dir / STATIC_PAGE).as_uri())
            results[scripts] = (*_choose_and_read(page), page.locator(".adass-cmp-download").is_visible())
        finally:
            context.close()
    assert not static_served, "the live page was expected once the pool was ready"
    for scripts, (blocks, shown, text, download) in results.items():
        assert blocks == expected[0] and shown == expected[1], f"scripts {'on' if scripts else 'off'}"
        assert all(choice[2] in text for choice in CHOICES)
        assert download is scripts  # the download needs the script; without it the page prints its summary
    assert blocked == [], f"the file opened offline asked the network for {blocked}"


# --------------------------------------------------------------------------------- summary: download and print


def _pdf_text(pdf: bytes) -> str:
    import io

    from pypdf import PdfReader

    return _flat(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))


def _doc_text(page, html: str) -> str:
    page.set_content(html)
    return _flat(page.inner_text("body"))


def test_the_summary_downloads_and_prints_with_the_chosen_answers_only(server, browser):
    name = "Testshire County Council"
    page = open_page(browser)
    try:
        goto_live(page, render_url(server, NOTEBOOK))
        page.fill("#adass-cmp-name", name)
        _choose_and_read(page)
        with page.expect_download() as info:
            page.click(".adass-cmp-download")
        download = info.value
        document = Path(download.path()).read_text(encoding="utf-8")
        assert download.suggested_filename == "compare-my-council-summary.html"
        pdf = page.pdf(format="A4")
        page.emulate_media(media="print")
        keeps = page.evaluate(
            "() => [...document.querySelectorAll('.adass-cmp-block h3')].map(h => getComputedStyle(h).breakAfter)"
        )
        downloaded, expected = _doc_text(page, document), _doc_text(page, summary(ANSWERS, name))
    finally:
        page.context.close()
    printed = _pdf_text(pdf)
    assert downloaded == expected  # the document the page made is the one Python makes for the same answers
    assert "@media print" in document and name in downloaded
    for text in (downloaded, printed):
        assert f"Prepared for: {name}" in text
        assert all(choice[2] in text for choice in CHOICES), text[:2000]
        assert text.count("You answered") == len(CHOICES), text[:3000]
        assert "Not answered" not in text and "Download summary" not in text and "•" not in text
    assert "What proportion of eligible people" not in printed  # the questions and their options are not printed
    assert set(keeps) == {"avoid"}, keeps  # a heading stays with what follows


def test_with_no_name_the_summary_has_no_name_line(server, browser):
    page = open_page(browser)
    try:
        goto_live(page, render_url(server, NOTEBOOK))
        page.check(_radio(*CHOICES[0][:2]))
        with page.expect_download() as info:
            page.click(".adass-cmp-download")
        document = Path(info.value.path()).read_text(encoding="utf-8")
        printed = _pdf_text(page.pdf(format="A4"))
    finally:
        page.context.close()
    assert "Prepared for" not in document and "Prepared for" not in printed
    assert CHOICES[0][2] in _flat(re.sub(r"<[^>]+>", " ", document)) and CHOICES[0][2] in printed


# --------------------------------------------------------------------------------- accessibility and keyboard


def test_axe_finds_no_violation_at_1280_and_390_and_a_keyboard_answers_and_downloads(server, browser):
    require_axe()
    page = open_page(browser, bypass_csp=True)  # axe is a script the page's policy refuses (test_headers.py)
    try:
        goto_live(page, render_url(server, NOTEBOOK))
        page.wait_for_selector("fieldset.adass-cmp-q", state="visible")
        page.locator("body").focus()
        page.evaluate("() => document.activeElement && document.activeElement.blur()")
        for _ in range(80):  # Tab from the top of the page to the first question's radio buttons
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.id") == "adass-cmp-q1-o0":
                break
        for _ in range(3):  # an arrow key chooses the next answer; Tab goes on to the next question
            page.keyboard.press("ArrowDown")
            page.keyboard.press("Tab")
        answered = page.evaluate("() => [...document.querySelectorAll('.adass-cmp-opt:checked')].map(i => i.id)")
        for _ in range(80):
            if page.evaluate("() => document.activeElement.classList.contains('adass-cmp-download')"):
                break
            page.keyboard.press("Tab")
        with page.expect_download() as info:
            page.keyboard.press("Enter")
        document = Path(info.value.path()).read_text(encoding="utf-8")
        found = {}
        for width, height in ((1280, 800), (390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            page.wait_for_timeout(300)
            found[width] = axe_violations(page)
            found[f"{width} wide"] = page.evaluate("() => document.documentElement.scrollWidth")
            save_screenshot(page, f"compare-my-council-{width}")
    finally:
        page.context.close()
    assert answered == ["adass-cmp-q1-o1", "adass-cmp-q2-o1", "adass-cmp-q3-o1"], answered
    assert document.count('<section class="adass-cmp-item">') == 3
    assert found[1280] == [], describe(found[1280])
    assert found[390] == [], describe(found[390])
    assert found["390 wide"] <= 390, f"the page is {found['390 wide']} px wide at 390 px"


# --------------------------------------------------------------------------------- nothing kept


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


def test_a_fresh_distinctive_answer_is_kept_nowhere_on_the_server(server, site, browser):
    from jupyter_core.paths import jupyter_runtime_dir

    # made afresh each run, so no file can hold it beforehand; its token is searched for (a URL would encode the space)
    token = uuid.uuid4().hex[:12]
    name = f"Zqxjshire {token}"
    page = open_page(browser)
    sent: list[str] = []
    page.on("request", lambda request: sent.append(f"{request.url} {request.post_data or ''}"))
    try:
        goto_live(page, render_url(server, NOTEBOOK))
        page.fill("#adass-cmp-name", name)
        text = _choose_and_read(page)[2]
        with page.expect_download() as info:
            page.click(".adass-cmp-download")
        assert name in Path(info.value.path()).read_text(encoding="utf-8")
        info.value.delete()
        assert name not in page.url and "below_60" not in page.url
        assert TRACEBACK_PATTERN.search(text) is None and PATH_PATTERN.search(text) is None
        page.focus("#adass-cmp-name")
        page.keyboard.press("Enter")  # in the name box: the form is never submitted
        page.wait_for_timeout(1000)
        assert name not in page.url
        roots = [
            server.log.parent,
            site,
            REPO / "data",
            REPO / "notebooks",
            REPO / "logs",
            Path(tempfile.gettempdir()),
            Path(jupyter_runtime_dir()),
            Path.home() / ".ipython",
            Path.home() / ".local" / "share" / "jupyter",
        ]
        kept = _files_holding(token.encode(), [r for r in roots if r.exists()])
    finally:
        page.context.close()
    assert [r for r in sent if token in r] == [], "the name left the browser"
    assert kept == [], f"an answer was written to {kept}"
    assert token not in server.log.read_text(encoding="utf-8", errors="replace")
