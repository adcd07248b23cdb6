"""Every reader gets the page's one render: a crowd or a flood starts no kernel, a change is rendered once.

Each test serves a copy of the fixture notebook with its static page built by ``python -m adass_survey export``
(so the static copy is the real one), through ``scripts/serve.sh`` like the other browser tests. Kernels are counted
as the Voilà process's ``ipykernel`` child processes (psutil), not as the server reports them.
"""

from __future__ import annotations

import json
import re
import shutil
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import psutil
import pytest

from .conftest import (
    Server,
    html_fixture_site,
    open_page,
    render_url,
    require_chromium,
    start_voila,
    stop_process_group,
    wait_for_dashboard,
)

NOTEBOOK = "01-fixture.ipynb"
CONFIG_DATA = re.compile(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', re.DOTALL)


@pytest.fixture(scope="module")
def site_folder(tmp_path_factory) -> Path:
    """A folder with the fixture notebook and its static page, as the export writes it."""
    require_chromium()
    return html_fixture_site(tmp_path_factory.mktemp("rendered") / "notebooks")


def kernel_processes(server: Server) -> int:
    """Return how many kernel processes the server has running now."""
    try:
        children = psutil.Process(server.process.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return 0
    count = 0
    for child in children:
        try:
            if any("ipykernel" in part for part in child.cmdline()):
                count += 1
        except psutil.Error:
            pass
    return count


def fetch(url: str, timeout: float = 120) -> tuple[int, dict[str, str], str, float]:
    """GET a URL without a browser (no websocket): status, headers, body and seconds taken."""
    start = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            body = response.read().decode("utf-8", "replace")
            return response.status, dict(response.headers), body, time.monotonic() - start
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode("utf-8", "replace"), time.monotonic() - start


@contextmanager
def most_kernels(server: Server) -> Iterator[list[int]]:
    """Sample the server's kernel processes every 0.1 s while the block runs; yield ``[most seen at once]``."""
    most, done = [0], threading.Event()

    def watch() -> None:
        while not done.is_set():
            most[0] = max(most[0], kernel_processes(server))
            time.sleep(0.1)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield most
    finally:
        done.set()
        watcher.join(timeout=5)


def kernel_id_in(body: str) -> str | None:
    """Return the kernel id of a live Voilà page, or None for a page without a kernel."""
    match = CONFIG_DATA.search(body)
    return json.loads(match.group(1)).get("kernelId") if match else None


def wait_for_log(server: Server, text: str, count: int = 1, timeout: float = 120) -> None:
    """Wait until the server log holds ``text`` at least ``count`` times."""
    deadline = time.monotonic() + timeout
    while server.log.read_text().count(text) < count:
        assert time.monotonic() < deadline, f"never logged {count}× {text!r}:\n{server.log.read_text()[-3000:]}"
        time.sleep(0.3)


def assert_static_copy(page) -> None:
    """The page is the section's static copy, telling the reader nothing to act on: charts, no kernel, no traceback."""
    text = page.inner_text("body")
    assert page.locator(".adass-fallback-note").count() == 0, "the static copy carries a note"
    assert "live page" not in text and "static copy" not in text and "Open the" not in text, text[:500]
    assert page.locator("#jupyter-config-data").count() == 0, "the page has a kernel"
    assert page.locator("img[alt^='Bar chart']").count() >= 1, "the static copy has no chart"
    assert "Traceback" not in page.content()


QUERIES = [
    "template=lab",
    "theme=dark",
    "template=classic&theme=light",
    "voila-theme=dark",
    "x=1",
    "template=../../etc",
    "theme=" + "a" * 200,
    "kernel_name=python3",
    "token=abc",
    "",
]


def _served(site_folder: Path, tmp_path: Path) -> tuple[Path, Server]:
    """A copy of the site folder (each test may change its notebook), served, its page rendered once."""
    folder = tmp_path / "notebooks"
    shutil.copytree(site_folder, folder)
    server = start_voila(tmp_path, folder=folder)
    try:
        wait_for_log(server, "Rendered 01-fixture.ipynb: every reader gets this render")
    except BaseException:
        stop_process_group(server.process)
        raise
    return folder / NOTEBOOK, server


def _retitle(notebook: Path, title: str) -> None:
    """Change the first heading of the notebook, as a researcher's edit would."""
    import nbformat

    document = nbformat.read(notebook, as_version=4)
    cell = next(cell for cell in document.cells if cell.cell_type == "markdown")
    cell.source = f"# {title}\n" + cell.source.split("\n", 1)[-1]
    nbformat.write(document, notebook)


def test_a_crowd_of_readers_gets_one_render_and_no_kernel_is_left(site_folder, browser, tmp_path) -> None:
    _, server = _served(site_folder, tmp_path)
    try:
        url = render_url(server, NOTEBOOK)
        with most_kernels(server) as most, ThreadPoolExecutor(max_workers=12) as pool:
            results = list(pool.map(lambda _: fetch(url), range(12)))
        assert [status for status, *_ in results] == [200] * 12
        assert not any(headers.get("X-Adass-Fallback") for _, headers, _, _ in results), "a reader got the copy"
        assert len({body for _, _, body, _ in results}) == 1, "readers got different pages"
        assert "Bar chart" in results[0][2] and "Traceback" not in results[0][2]
        assert most[0] == 0, f"{most[0]} kernels started for readers of a page already rendered"
        assert kernel_processes(server) == 0, "the render's kernel was left running"
        page = open_page(browser)
        try:
            page.goto(url)
            wait_for_dashboard(page)
            assert page.locator("img[alt^='Bar chart']").count() >= 1
        finally:
            page.context.close()
    finally:
        stop_process_group(server.process)


def test_a_changed_notebook_is_rendered_once_and_meanwhile_readers_get_the_copy(site_folder, browser, tmp_path) -> None:
    notebook, server = _served(site_folder, tmp_path)
    try:
        url = render_url(server, NOTEBOOK)
        _retitle(notebook, "A heading changed after the first render")
        with most_kernels(server) as most, ThreadPoolExecutor(max_workers=1) as first:
            rendering = first.submit(fetch, url)  # this reader's request renders the new version
            wait_for_log(server, "Kernel started", count=2)  # the render of the new version is under way
            page = open_page(browser)
            try:
                response = page.goto(url, wait_until="domcontentloaded")
                headers = response.headers
                assert headers.get("x-adass-fallback") == "rendering"
                assert headers["content-type"].startswith("text/html") and "no-store" in headers["cache-control"]
                assert headers.get("x-content-type-options") == "nosniff"
                policy = headers["content-security-policy"]
                assert "connect-src 'none'" in policy and "'unsafe-inline'" not in policy, policy
                assert_static_copy(page)
                assert page.evaluate("document.baseURI").endswith("/voila/files/site/")  # its links: the copies
            finally:
                page.context.close()
            status, headers, body, _ = rendering.result(timeout=300)
        assert status == 200 and not headers.get("X-Adass-Fallback")
        assert "A heading changed after the first render" in body
        assert most[0] == 1, f"{most[0]} kernels at once for one notebook's render"
        assert server.log.read_text().count("Rendered 01-fixture.ipynb: every reader gets this render") == 2
        status, headers, again, _ = fetch(url)
        assert again == body and kernel_processes(server) == 0
    finally:
        stop_process_group(server.process)


def test_a_flood_with_query_strings_starts_one_kernel_and_the_next_reader_gets_the_page(
    site_folder, browser, tmp_path
) -> None:
    # Voilà passed its preheated kernel by for ?template= or ?theme= and started one per request: the arguments are
    # dropped, and a changed page is rendered once however many readers ask for it meanwhile.
    notebook, server = _served(site_folder, tmp_path)
    try:
        url = render_url(server, NOTEBOOK)
        _retitle(notebook, "Flooded")
        with most_kernels(server) as most, ThreadPoolExecutor(max_workers=10) as workers:
            results = list(workers.map(lambda i: fetch(f"{url}?{QUERIES[i % len(QUERIES)]}", timeout=300), range(100)))
        assert [status for status, *_ in results] == [200] * 100
        assert all("Bar chart" in body and "Traceback" not in body for _, _, body, _ in results)
        assert most[0] <= 1, f"{most[0]} kernels alive at once for one notebook"
        page = open_page(browser)
        try:
            response = page.goto(url)
            assert not response.headers.get("x-adass-fallback") and "Flooded" in page.content()
        finally:
            page.context.close()
        assert kernel_processes(server) == 0
    finally:
        stop_process_group(server.process)
