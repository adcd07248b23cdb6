"""Browser-test fixtures: a real standalone Voilà started by scripts/serve.sh, driven by Debian's Chromium.

Every test here carries the ``browser`` marker. Chromium is never downloaded: Playwright drives
``/usr/bin/chromium``. Without it the tests are skipped locally with a message, and fail in CI (``CI=true``).
The notebooks served are ``notebooks/NN-*.ipynb``, or the small fixture notebook in ``fixtures/`` while
``notebooks/`` has none.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).parent / "fixtures" / "01-fixture.ipynb"
"""A small widget page (one dropdown, one chart): what the tests use when a page needs its kernel."""
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-gpu",
    "--disable-sync",
    "--disable-quic",
]
VIEWPORT = {"width": 1280, "height": 800}
SCREENSHOTS = REPO / "artifacts" / "screenshots"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
RENDER_TIMEOUT_MS = 180_000
# A filter of a panel: an HTML <select> on a reader's page (dashboard or static copy), a dropdown widget in JupyterLab.
FILTERS = '.adass-choices li li a:not([href="#f-all"]), .widget-dropdown select'
"""A page's filter choices: the header's links on a reader's page, a widget's dropdowns in JupyterLab."""
# The browser's own record of when the page's first chart was painted, in seconds from the start of navigation (the
# Element Timing API: every chart image carries elementtiming="adass-chart"); null when no chart was painted.
CHART_PAINTED_JS = """() => new Promise(resolve => {
  const done = entries => resolve(entries.length ? Math.min(...entries.map(e => e.renderTime || e.loadTime)) / 1000 : null);
  new PerformanceObserver((list, observer) => { observer.disconnect(); done(list.getEntries()); })
    .observe({type: 'element', buffered: true});
  setTimeout(() => done([]), 2000);
})"""
SECTION_NAME = re.compile(r"^\d{2}-[A-Za-z0-9_-]+\.ipynb$")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test in this folder ``browser``."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


def notebook_dir() -> Path:
    """Return the folder the dashboards are served from: notebooks/, or the fixture folder while it is empty."""
    real = REPO / "notebooks"
    if any(SECTION_NAME.match(p.name) for p in real.glob("*.ipynb")):
        return real
    return Path(__file__).parent / "fixtures"


def served_notebooks() -> list[str]:
    """Return the file names of the served notebooks, in order."""
    return sorted(p.name for p in notebook_dir().glob("*.ipynb") if SECTION_NAME.match(p.name))


def free_port() -> int:
    """Return a TCP port that is free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def require_chromium() -> None:
    """Skip (locally) or fail (CI=true) when Debian's chromium is missing."""
    if CHROMIUM.exists():
        return
    message = (
        f"Debian's chromium is not installed at {CHROMIUM}; the browser tests need it "
        "(install: sudo apt-get install -y chromium, or run bash scripts/setup.sh --with-browser as root)"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def wait_for_http(url: str, process: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    """Wait until ``url`` answers 200, failing early with the server log if the process dies."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout} s:\n{log.read_text()[-3000:]}")


def stop_process_group(process: subprocess.Popen) -> None:
    """Stop a server started in its own process group, and its kernels."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


@dataclass
class Server:
    """A running server: its base URL, the folder it serves and its log file."""

    url: str
    folder: Path
    log: Path
    process: subprocess.Popen


def start_voila(
    tmp: Path, extra_env: dict[str, str] | None = None, extra_args: list[str] | None = None, folder: Path | None = None
) -> Server:
    """Start standalone Voilà through ``bash scripts/serve.sh`` (set-up skipped) on a free port.

    ``extra_args`` are Voilà options that serve.sh passes on (the tests use them to shorten kernel culling).
    """
    port = free_port()
    log = tmp / f"voila-{port}.log"
    folder = folder or notebook_dir()
    env = {
        **os.environ,
        "ADASS_SKIP_SETUP": "1",
        "ADASS_HOST": "127.0.0.1",
        "ADASS_PORT": str(port),
        "ADASS_NOTEBOOKS": os.path.relpath(folder, REPO),
        **(extra_env or {}),
    }
    return launch(["bash", "scripts/serve.sh", *(extra_args or [])], env, port, log, folder)


def launch(command: list[str], env: dict[str, str], port: int, log: Path, folder: Path) -> Server:
    """Start a server command at the repository root, its output in ``log``; return once it answers on ``port``."""
    with log.open("w") as handle:
        process = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for_http(url, process, log)
    except Exception:
        stop_process_group(process)
        raise
    return Server(url=url, folder=folder, log=log, process=process)


@contextmanager
def folder_server(folder: Path) -> Iterator[str]:
    """Serve a folder with Python's plain file server on a free port of 127.0.0.1, quietly; yield its base URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def html_only_fixture(target: Path) -> Path:
    """Write the fixture notebook without its widget (its chart and base as HTML, as every section page draws its
    filters): a page the server renders once for every reader. The fixture itself is a widget page."""
    import nbformat

    notebook = nbformat.read(FIXTURE, as_version=4)
    cell = next(cell for cell in notebook.cells if "widgets.Dropdown" in cell.source)
    cell.source = cell.source.split("choice = widgets.Dropdown", 1)[0] + (
        'display(HTML(chart_html("All councils") + base_text("All councils")))\n'
    )
    nbformat.write(notebook, target)
    return target


def html_fixture_site(folder: Path) -> Path:
    """Make ``folder`` hold :func:`html_only_fixture` and its static page, as ``python -m adass_survey export`` writes
    it (so a reader given the static copy gets the real one); return the folder."""
    folder.mkdir(parents=True)
    html_only_fixture(folder / FIXTURE.name)
    run = subprocess.run(
        [sys.executable, "-m", "adass_survey", "export", "--notebooks", str(folder), "--out", str(folder / "site")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert (folder / "site" / FIXTURE.with_suffix(".html").name).exists()
    return folder


RENDERED = "Rendered {notebook}: every reader gets this render"
"""What the server logs once it has rendered a page for every reader (adass_survey.serve.app)."""


def ready_count(server: Server, notebook: str) -> int:
    """How many times the server has rendered ``notebook`` for every reader (in the server's log)."""
    return server.log.read_text(encoding="utf-8", errors="replace").count(RENDERED.format(notebook=notebook))


def goto_live(page, url: str, timeout: float = 120):
    """Open a dashboard's live page (Voilà's render) and return the response.

    While a section's first render is under way the server answers with its static copy (``X-Adass-Fallback``)
    when ``notebooks/site/`` exists; this opens the page again until the render comes.
    """
    deadline = time.monotonic() + timeout
    while True:
        response = page.goto(url)
        if response is None or not response.headers.get("x-adass-fallback") or time.monotonic() > deadline:
            return response
        page.wait_for_timeout(1000)


def wait_until_ready(server: Server, notebooks: list[str] | None = None, timeout: float = 600) -> None:
    """Wait until the server has rendered every served notebook once (it does so when it starts).

    Until then a reader of that section gets its static copy (when ``notebooks/site/`` has one), or waits.
    """
    names = notebooks if notebooks is not None else served_notebooks()
    deadline = time.monotonic() + timeout
    missing = names
    while time.monotonic() < deadline:
        missing = [n for n in names if ready_count(server, n) == 0]
        if not missing:
            return
        if server.process.poll() is not None:
            break
        time.sleep(0.5)
    raise RuntimeError(f"{missing} not rendered after {timeout:.0f} s; see {server.log}")


@pytest.fixture(scope="session")
def voila_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The repository's dashboards, served by standalone Voilà with the repository's configuration, every section
    rendered once (so a test reads the render, never the static copy a reader gets while the first render runs)."""
    require_chromium()
    server = start_voila(tmp_path_factory.mktemp("voila"))
    try:
        wait_until_ready(server)
    except Exception:
        stop_process_group(server.process)
        raise
    yield server
    stop_process_group(server.process)


@pytest.fixture(scope="session")
def static_pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every page's static copy, as ``python -m adass_survey export`` writes them, made once for the whole run.

    That is ``notebooks/site/`` when it is current: ``scripts/test.sh`` (like ``serve.sh``) builds it before pytest
    starts, and these are the copies a reader is given. Otherwise every page is exported into a temporary folder.
    Tests only read it.
    """
    from adass_survey.core.paths import STATIC_FOLDER
    from adass_survey.pages.export import export_site, static_pages_stale
    from adass_survey.report.catalogue import catalogue_dir

    folder = notebook_dir()
    if folder == REPO / "notebooks" and not static_pages_stale(folder, catalogue_dir()):
        return folder / STATIC_FOLDER
    out = tmp_path_factory.mktemp("static-pages") / STATIC_FOLDER
    export_site(folder, out)
    return out


@pytest.fixture(scope="module")
def static_pages_url(static_pages: Path) -> Iterator[str]:
    """The base URL of :func:`static_pages`, served by Python's plain file server on 127.0.0.1."""
    with folder_server(static_pages) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium, driven by Playwright."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Traffic:
    """Hosts every request of a page asked for; requests to other hosts than this machine are aborted."""

    hosts: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)


def open_page(browser, traffic: Traffic | None = None, bypass_csp: bool = False):
    """Return a new 1280×800 page whose requests are all routed: local ones pass, others are recorded and aborted.

    ``bypass_csp`` lets a test inject a script of its own (axe-core): every page's policy refuses any script it does
    not name, as it should; ``test_headers.py`` checks that policy with it enforced.
    """
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True, bypass_csp=bypass_csp)
    traffic = traffic if traffic is not None else Traffic()

    def route(route_, request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob"):
            route_.continue_()
            return
        host = parts.hostname or ""
        traffic.hosts.append(host)
        if host in LOCAL_HOSTS:
            route_.continue_()
        else:
            traffic.external.append(request.url)
            route_.abort()

    context.route("**/*", route)
    page = context.new_page()
    # Voilà streams a page while its cells run: the load event comes only after the last cell, which on a
    # 2-core machine, with other kernels busy, can take far longer than Playwright's default 30 s.
    page.set_default_navigation_timeout(RENDER_TIMEOUT_MS)
    return page


def wait_for_dashboard(page, timeout_ms: int = RENDER_TIMEOUT_MS) -> None:
    """Wait until Voilà has run every cell and the widget views have settled."""
    page.wait_for_selector("#rendered_cells", state="visible", timeout=timeout_ms)
    page.wait_for_selector("#loading", state="detached", timeout=timeout_ms)
    last, stable_since = None, time.monotonic()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        count = page.evaluate(
            "() => [document.querySelectorAll('.jupyter-widgets').length, document.images.length,"
            " document.querySelectorAll('script[type=\"application/vnd.jupyter.widget-view+json\"]').length]"
        )
        if count != last:
            last, stable_since = count, time.monotonic()
        elif time.monotonic() - stable_since > 1.0:
            return
        page.wait_for_timeout(150)


def kernel_id_of(page) -> str:
    """Return the id of the kernel Voilà started for the page."""
    config = json.loads(page.locator("#jupyter-config-data").text_content())
    return config["kernelId"]


def kernel_gone(kernel_id: str, timeout: float = 15) -> bool:
    """Wait until no process of this kernel runs (its command line names its connection file); tell whether it went."""
    deadline = time.monotonic() + timeout
    while subprocess.run(["pgrep", "-f", f"kernel-{kernel_id}"], capture_output=True, check=False).returncode == 0:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def render_url(server: Server, notebook: str) -> str:
    """Return the Voilà URL of one notebook."""
    return f"{server.url}voila/render/{notebook}"


def save_screenshot(page, name: str) -> Path:
    """Save a 1280×800 screenshot of the page (and a full-page one) to artifacts/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    page.screenshot(path=str(SCREENSHOTS / f"{name}.full.png"), full_page=True)
    return path


def choose(page, label: str) -> None:
    """Choose a filter option by its label: the header's link on a reader's page, else a widget's dropdown."""
    link = page.locator(".adass-choices").get_by_role("link", name=label, exact=True)
    if link.count():
        link.first.click()
        return
    page.locator(".widget-dropdown select", has=page.locator("option", has_text=label)).first.select_option(label=label)
