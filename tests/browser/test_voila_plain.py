"""The commands Voilà's own documentation gives, run as a new user would: plain ``voila`` from the repository root.

No ``scripts/serve.sh`` and no ``JUPYTER_PATH``: the page template must be found where ``pip install -e .``
installed it (``<environment>/share/jupyter/voila/templates/adass``), with ``voila.json`` and ``voila.py`` read from
the root as Voilà always does.
"""

from __future__ import annotations

import os
import sys
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
    yield server
    stop_process_group(server.process)


@pytest.fixture(scope="module")
def plain_folder_server(tmp_path_factory) -> Iterator[Server]:
    require_chromium()
    server = start_plain_voila(tmp_path_factory.mktemp("plain-tree"), os.path.relpath(notebook_dir(), REPO))
    yield server
    stop_process_group(server.process)


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
