"""The commands Voilà's own documentation gives, run as a new user would: plain ``voila`` from the repository root.

No ``scripts/serve.sh`` and no ``JUPYTER_PATH``: the page template must be found where ``pip install -e .``
installed it (``<environment>/share/jupyter/voila/templates/adass``), with ``voila.json`` read from the root and
``voila.py`` from the environment (``<environment>/etc/jupyter``), as Voilà always does.
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
    ensure_static_pages()  # the links of a notebook served alone lead to the other sections' static copies
    target = os.path.relpath(notebook_dir() / plain_notebook(), REPO)
    server = start_plain_voila(tmp_path_factory.mktemp("plain"), target)
    wait_for_render(server)
    yield server
    stop_process_group(server.process)


@pytest.fixture(scope="module")
def plain_folder_server(tmp_path_factory) -> Iterator[Server]:
    require_chromium()
    server = start_plain_voila(tmp_path_factory.mktemp("plain-tree"), os.path.relpath(notebook_dir(), REPO))
    yield server
    stop_process_group(server.process)


def wait_for_render(server: Server) -> None:
    """Wait until the server has rendered the served notebook once (it does when it starts)."""
    deadline = time.monotonic() + 300
    while "every reader gets this render" not in server.log.read_text():
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


def test_plain_voila_gives_a_second_reader_the_same_render_and_its_links_answer(plain_notebook_server, browser):
    """``voila notebooks/07-restrictions.ipynb``: the second reader gets the page rendered once, not a kernel of
    their own, and the Previous / Index / Next links answer 200 (their static copies)."""
    server = plain_notebook_server
    pages = []
    for _ in range(2):
        page = open_page(browser)
        try:
            response = page.goto(server.url)
            wait_for_dashboard(page)
            links = page.locator(".adass-header a, .adass-footer a, nav a").evaluate_all(
                "els => els.map(a => a.href).filter(h => h.includes('/voila/render/'))"
            )
            pages.append((response.status, response.headers.get("x-adass-fallback"), page.content(), links))
        finally:
            page.context.close()
    (first_status, _, first, links), (second_status, fallback, second, _) = pages
    assert first_status == second_status == 200 and fallback is None
    assert first == second, "the second reader got another page"
    assert server.log.read_text().count("every reader gets this render") == 1, "the page was rendered twice"
    assert links, "the page has no navigation links"
    assert {link: status_of(link) for link in links} == {link: 200 for link in links}
