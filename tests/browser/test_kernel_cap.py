"""No reader waits for a kernel: an empty pool or the kernel cap gives the section's static copy, and the cap holds.

Each test serves a copy of the fixture notebook with its static page built by ``python -m adass_survey export``
(so the static copy is the real one), through ``scripts/serve.sh`` like the other browser tests. Kernels are counted
as the Voilà process's ``ipykernel`` child processes (psutil), not as the server reports them.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
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
    REPO,
    Server,
    open_page,
    render_url,
    require_chromium,
    start_voila,
    stop_process_group,
    wait_for_dashboard,
)

FIXTURE = Path(__file__).parent / "fixtures" / "01-fixture.ipynb"
NOTEBOOK = "01-fixture.ipynb"
CONFIG_DATA = re.compile(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', re.DOTALL)


@pytest.fixture(scope="module")
def site_folder(tmp_path_factory) -> Path:
    """A folder with the fixture notebook and its static page, as the export writes it."""
    require_chromium()
    folder = tmp_path_factory.mktemp("capped") / "notebooks"
    folder.mkdir()
    shutil.copy(FIXTURE, folder / NOTEBOOK)
    run = subprocess.run(
        [sys.executable, "-m", "adass_survey", "export", "--notebooks", str(folder), "--out", str(folder / "site")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert (folder / "site" / "01-fixture.html").exists()
    return folder


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


def test_empty_pool_sends_the_reader_to_the_static_copy_at_once(site_folder, browser, tmp_path) -> None:
    # The refill waits while readers keep coming (here two page requests within 15 s are a crowd): the pool stays
    # empty meanwhile, and stock Voilà would make each of them wait for the refill.
    server = start_voila(
        tmp_path,
        folder=site_folder,
        extra_args=[
            "--VoilaKernelManager.fill_delay=1",
            "--GraceKernelManager.refill_quiet=15",
            "--GraceKernelManager.refill_crowd=2",
        ],
    )
    try:
        wait_for_log(server, "ready for a reader")
        status, _, body, _ = fetch(render_url(server, NOTEBOOK))
        assert status == 200 and kernel_id_in(body), "the first reader did not get the preheated kernel"
        page = open_page(browser)
        try:
            start = time.monotonic()
            page.goto(render_url(server, NOTEBOOK), wait_until="domcontentloaded")
            took = time.monotonic() - start
            assert_static_copy(page)
            assert took < 2.0, f"the reader waited {took:.1f} s for the static copy"
            # Its relative links lead to the static pages.
            assert page.evaluate("document.baseURI").endswith("/voila/files/site/")
        finally:
            page.context.close()
        # The pool refills behind, once the requests have stopped: then the next reader gets the live page again.
        wait_for_log(server, "ready for a reader", count=2, timeout=180)
        assert re.search(r"A pool refill waited 1[2-9] s for a crowd of readers to pass", server.log.read_text())
        page = open_page(browser)
        try:
            page.goto(render_url(server, NOTEBOOK))
            wait_for_dashboard(page)
            assert page.locator(".adass-fallback-note").count() == 0
            assert page.locator("#jupyter-config-data").count() == 1
        finally:
            page.context.close()
    finally:
        stop_process_group(server.process)


def test_kernel_cap_sends_the_reader_to_the_static_copy(site_folder, browser, tmp_path) -> None:
    # Without preheating every reader starts a kernel: the cap of one lets the first in and no one else.
    server = start_voila(
        tmp_path,
        folder=site_folder,
        extra_env={"ADASS_KERNEL_CAP": "1"},
        extra_args=["--VoilaConfiguration.preheat_kernel=False"],
    )
    try:
        first = open_page(browser)
        first.goto(render_url(server, NOTEBOOK))
        wait_for_dashboard(first)
        assert first.locator("#jupyter-config-data").count() == 1, "the first reader did not get a live page"
        second = open_page(browser)
        try:
            start = time.monotonic()
            response = second.goto(render_url(server, NOTEBOOK), wait_until="domcontentloaded")
            took = time.monotonic() - start
            assert response.headers.get("x-adass-fallback") == "kernel-cap"
            assert_static_copy(second)
            assert took < 2.0, f"the reader waited {took:.1f} s"
        finally:
            second.context.close()
        assert kernel_processes(server) == 1, "a kernel was started beyond the cap"
        first.context.close()
        assert "Kernel cap: at most 1 live kernels ($ADASS_KERNEL_CAP)" in server.log.read_text()
    finally:
        stop_process_group(server.process)


def test_cap_holds_under_a_flood_and_the_next_reader_gets_a_page(site_folder, browser, tmp_path) -> None:
    cap = 3
    server = start_voila(tmp_path, folder=site_folder, extra_env={"ADASS_KERNEL_CAP": str(cap)})
    try:
        wait_for_log(server, "ready for a reader")
        with most_kernels(server) as most:
            url = render_url(server, NOTEBOOK)
            with ThreadPoolExecutor(max_workers=10) as pool:  # 100 page requests, 10 at a time, no websocket
                results = list(pool.map(lambda _: fetch(url, timeout=60), range(100)))
            statuses = [status for status, *_ in results]
            slowest = max(seconds for *_, seconds in results)
            live = sum(1 for _, _, body, _ in results if kernel_id_in(body))
            static = sum(1 for _, headers, _, _ in results if headers.get("X-Adass-Fallback"))
            assert statuses == [200] * 100, f"not every request got a page: {sorted(set(statuses))}"
            assert slowest < 30, f"a request took {slowest:.1f} s"
            assert live >= 1 and static >= 50, (live, static)
            assert live + static == 100
            # The next reader, in a browser, gets a page at once.
            page = open_page(browser)
            try:
                start = time.monotonic()
                page.goto(url, wait_until="domcontentloaded")
                took = time.monotonic() - start
                assert took < 2.0, f"the next reader waited {took:.1f} s"
                assert page.locator("img[alt^='Bar chart']").count() >= 1
            finally:
                page.context.close()
            time.sleep(2)  # refills waiting under the cap must still not pass it
    finally:
        stop_process_group(server.process)
    assert 1 <= most[0] <= cap, f"{most[0]} kernels alive at once with a cap of {cap}"


def test_kernel_handed_out_whose_page_never_connects_is_culled_within_one_timeout(site_folder, tmp_path) -> None:
    # The culling pass runs only every 60 s here: the kernel must go at its own timeout (6 s), not at a pass.
    require_chromium()
    server = start_voila(
        tmp_path,
        folder=site_folder,
        extra_args=["--MappingKernelManager.cull_idle_timeout=6", "--MappingKernelManager.cull_interval=60"],
    )
    try:
        wait_for_log(server, "ready for a reader")
        time.sleep(8)  # the pooled kernel has been idle for longer than the timeout
        status, _, body, _ = fetch(render_url(server, NOTEBOOK))
        handed_out = time.monotonic()
        kernel_id = kernel_id_in(body)
        assert status == 200 and kernel_id
        alive = f"{server.url}api/kernels/{kernel_id}"
        assert fetch(alive)[0] == 200, "the kernel went before its page could connect"
        time.sleep(3)
        assert fetch(alive)[0] == 200, "the kernel was culled before one timeout"
        while fetch(alive)[0] == 200 and time.monotonic() - handed_out < 20:
            time.sleep(0.25)
        gone_after = time.monotonic() - handed_out
        assert fetch(alive)[0] == 404, "the kernel of a page that never connected was not culled"
        assert gone_after < 6 + 2, f"culled {gone_after:.1f} s after it was handed out (timeout 6 s)"
    finally:
        stop_process_group(server.process)


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


def test_query_strings_start_no_kernel_beyond_the_pools(site_folder, tmp_path) -> None:
    # Voilà passes its preheated kernel by for ?template= or ?theme= and starts a fresh one: 47 such requests from one
    # client filled a cap of 64. With a cap far above the pool, only dropping the arguments keeps the count down.
    require_chromium()
    pool, reserve = 1, 2
    server = start_voila(
        tmp_path,
        folder=site_folder,
        extra_env={"ADASS_KERNEL_CAP": "30"},
        extra_args=["--VoilaKernelManager.fill_delay=120"],
    )
    try:
        wait_for_log(server, "ready for a reader")
        with most_kernels(server) as most:
            url = render_url(server, NOTEBOOK)
            with ThreadPoolExecutor(max_workers=8) as workers:
                results = list(
                    workers.map(lambda i: fetch(f"{url}?{QUERIES[i % len(QUERIES)]}", timeout=60), range(200))
                )
            assert [status for status, *_ in results] == [200] * 200
            assert all("Bar chart" in body and "Traceback" not in body for _, _, body, _ in results)
            status, _, body, _ = fetch(url)  # and the page is still there for the next reader
            assert status == 200 and "Bar chart" in body
    finally:
        stop_process_group(server.process)
    assert 1 <= most[0] <= pool + reserve, f"{most[0]} kernels alive at once for a pool of {pool}"
