"""The commands Voilà's own documentation gives, run as a new user would: plain ``voila`` from the repository root.

No ``scripts/serve.sh`` and no ``JUPYTER_PATH``: the page template must be found where ``pip install -e .``
installed it (``<environment>/share/jupyter/voila/templates/adass``), with ``voila.json`` and ``voila.py`` read from
the root as Voilà always does.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import (
    REPO,
    Server,
    free_port,
    launch,
    notebook_dir,
    open_page,
    require_chromium,
    save_screenshot,
    served_notebooks,
    stop_process_group,
    wait_for_dashboard,
)

VENV_BIN = Path(sys.executable).parent


def plain_notebook() -> str:
    """Return the notebook the issue names (07-restrictions), or the first section while it does not exist."""
    names = served_notebooks()
    return "07-restrictions.ipynb" if "07-restrictions.ipynb" in names else names[-1]


def start_plain_voila(tmp: Path, target: str) -> Server:
    """Start ``voila TARGET --port=N --no-browser`` at the repository root, with the environment's bin on PATH."""
    port = free_port()
    log = tmp / f"voila-plain-{port}.log"
    env = {k: v for k, v in os.environ.items() if k != "JUPYTER_PATH"}
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    return launch(["voila", target, f"--port={port}", "--no-browser"], env, port, log, notebook_dir())


@pytest.fixture(scope="module")
def plain_notebook_server(tmp_path_factory) -> Iterator[Server]:
    require_chromium()
    target = os.path.relpath(notebook_dir() / plain_notebook(), REPO)
    server = start_plain_voila(tmp_path_factory.mktemp("plain"), target)
    wait_for_pool(server)  # until then a reader gets the static copy (the test below)
    yield server
    stop_process_group(server.process)


@pytest.fixture(scope="module")
def plain_folder_server(tmp_path_factory) -> Iterator[Server]:
    require_chromium()
    server = start_plain_voila(tmp_path_factory.mktemp("plain-tree"), os.path.relpath(notebook_dir(), REPO))
    yield server
    stop_process_group(server.process)


def wait_for_pool(server: Server) -> None:
    """Wait until the served notebook's preheated kernel has run it."""
    deadline = time.monotonic() + 300
    while "ready for a reader" not in server.log.read_text():
        assert time.monotonic() < deadline, server.log.read_text()[-2000:]
        time.sleep(0.5)


def header_and_banner(page) -> tuple[str, str]:
    return page.inner_text(".adass-header .adass-site-title"), page.inner_text(".adass-banner")


def test_plain_voila_on_one_notebook_shows_the_project_page(plain_notebook_server, browser) -> None:
    """``voila notebooks/07-restrictions.ipynb`` from the root: header, banner and the section's content."""
    page = open_page(browser)
    try:
        response = page.goto(plain_notebook_server.url)
        wait_for_dashboard(page)
        title, banner = header_and_banner(page)
        text = page.inner_text("body")
        save_screenshot(page, "plain-voila-notebook")
    finally:
        page.context.close()
    log = plain_notebook_server.log.read_text()
    assert response.status == 200, log[-2000:]
    assert "TemplateNotFound" not in log
    assert title == "ADASS Personalisation Survey 2011"
    assert "Synthetic respondent data" in banner
    assert "Traceback" not in text


def test_plain_voila_on_the_folder_lists_the_sections_under_the_header(plain_folder_server, browser) -> None:
    """``voila notebooks/`` from the root: the project's entry page (a section page is the test above)."""
    page = open_page(browser)
    try:
        response = page.goto(plain_folder_server.url)
        title, banner = header_and_banner(page)
        links = page.locator(".adass-tree a").count()
    finally:
        page.context.close()
    assert response.status == 200, plain_folder_server.log.read_text()[-2000:]
    assert title == "ADASS Personalisation Survey 2011"
    assert "Synthetic respondent data" in banner
    assert links == len(served_notebooks())


def ensure_static_pages() -> None:
    """Build the static pages once if the served folder has none (the fallback and the links need them)."""
    site = notebook_dir() / "site"
    if (site / plain_notebook().replace(".ipynb", ".html")).exists() and (site / "index.html").exists():
        return
    run = subprocess.run(
        [sys.executable, "-m", "adass_survey", "export", "--notebooks", str(notebook_dir()), "--out", str(site)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_plain_voila_gives_a_second_reader_a_page_at_once_and_its_links_answer(tmp_path, browser) -> None:
    """``voila notebooks/07-restrictions.ipynb``: the second reader within 5 s gets the static copy in ≤ 2 s instead of
    a blank page while the pool refills, and the Previous / Index / Next links answer 200 (their static copies)."""
    require_chromium()
    ensure_static_pages()
    server = start_plain_voila(tmp_path, os.path.relpath(notebook_dir() / plain_notebook(), REPO))
    try:
        wait_for_pool(server)
        first = open_page(browser)
        try:
            first.goto(server.url)
            wait_for_dashboard(first)
            links = first.locator(".adass-header a, .adass-footer a, nav a").evaluate_all(
                "els => els.map(a => a.href).filter(h => h.includes('/voila/render/'))"
            )
        finally:
            first.context.close()
        second = open_page(browser)
        try:
            start = time.monotonic()
            response = second.goto(server.url, wait_until="domcontentloaded")
            took = time.monotonic() - start
            charts = second.locator("img[alt^='Bar chart'], img[alt*='chart']").count()
        finally:
            second.context.close()
        assert response.status == 200 and response.headers.get("x-adass-fallback") == "pool-empty"
        assert took <= 2.0, f"the second reader waited {took:.1f} s"
        assert charts >= 1, "the second reader's page has no chart"
        assert links, "the page has no navigation links"
        assert {link: status_of(link) for link in links} == {link: 200 for link in links}
    finally:
        stop_process_group(server.process)
