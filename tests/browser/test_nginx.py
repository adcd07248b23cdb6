"""The deploy/ recipe: nginx in front of two Voilà processes serves working pages, and survives one process dying.

``bash deploy/run.sh 2`` is started on loopback ports with the fixture notebook drawn as HTML (as every section
page is: no widget, so no kernel for nginx to route to) and its static page.
Debian's nginx is installed with apt when the tests run as root and it is missing (as scripts/setup.sh does for
chromium); without it the test is skipped locally and fails in CI.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pytest

from .conftest import (
    REPO,
    Server,
    free_port,
    html_fixture_site,
    open_page,
    require_chromium,
    stop_process_group,
    wait_for_dashboard,
    wait_for_http,
)

NGINX = Path("/usr/sbin/nginx")
NOTEBOOK = "01-fixture.ipynb"


def require_nginx() -> None:
    """Install Debian's nginx when root and missing; otherwise skip (locally) or fail (CI=true) without it."""
    if not NGINX.exists() and os.geteuid() == 0:
        subprocess.run(["bash", "deploy/install-nginx.sh"], cwd=REPO, check=False, timeout=900)
    if NGINX.exists():
        return
    message = f"Debian's nginx is not installed at {NGINX} (install: sudo apt-get install -y nginx)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def free_ports(count: int) -> int:
    """Return the first of ``count`` consecutive ports free on 127.0.0.1 now."""
    for _ in range(50):
        first = free_port()
        if first + count >= 65536:
            continue
        try:
            for port in range(first, first + count):
                with socket.socket() as sock:
                    sock.bind(("127.0.0.1", port))
            return first
        except OSError:
            continue
    raise RuntimeError("no run of free ports")


def get(url: str) -> tuple[int, dict[str, str], str]:
    """GET a URL: status, headers and body."""
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), ""


def ready_count(run: Path, port: int) -> int:
    """Return how many times one Voilà process has rendered the notebook for every reader so far."""
    log = run / f"voila-{port}.log"
    return log.read_text().count(f"Rendered {NOTEBOOK}: every reader") if log.exists() else 0


def start_deploy(tmp_path: Path) -> tuple[subprocess.Popen, str, Path, list[int], Path, Path]:
    """Start ``bash deploy/run.sh 2`` on loopback ports with the fixture notebook and its static page.

    Returns the process, nginx's URL, the run folder, the backend ports, the notebooks folder and the log.
    """
    require_chromium()
    require_nginx()
    folder = html_fixture_site(tmp_path / "notebooks")

    port, first = free_port(), free_ports(2)
    backends = [first, first + 1]
    run = tmp_path / "run"
    log = tmp_path / "deploy.log"
    env = {
        **os.environ,
        "ADASS_SKIP_SETUP": "1",
        "ADASS_HOST": "127.0.0.1",
        "ADASS_PORT": str(port),
        "ADASS_BACKEND_PORT": str(first),
        "ADASS_NOTEBOOKS": str(folder),
        "ADASS_RUN_DIR": str(run),
    }
    with log.open("w") as handle:
        process = subprocess.Popen(
            ["bash", "deploy/run.sh", "2"],
            cwd=REPO,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return process, f"http://127.0.0.1:{port}/", run, backends, folder, log


def test_nginx_in_front_of_two_voila_processes_serves_a_working_page(browser, tmp_path) -> None:
    process, url, run, backends, folder, log = start_deploy(tmp_path)
    try:
        wait_for_http(url, process, log, timeout=240)
        server = Server(url=url, folder=folder, log=log, process=process)

        # nginx serves the static pages itself, and nothing else from their folder.
        status, headers, body = get(f"{url}voila/files/site/01-fixture.html")
        assert status == 200 and headers.get("X-Adass-Static") == "nginx" and "Bar chart" in body
        # with the page's own policy (the one in its meta), nosniff and no referrer
        assert "default-src 'none'" in headers.get("Content-Security-Policy", "")
        assert headers.get("X-Content-Type-Options") == "nosniff" and headers.get("Referrer-Policy") == "no-referrer"
        meta = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', body)
        assert meta and headers["Content-Security-Policy"].startswith(meta.group(1))
        assert get(f"{url}voila/files/site/nothing.css")[0] == 404
        # and the static pages' files (charts of views not shown at first, downloads), for good
        planted = folder / "site" / "files" / "fedcba9876543210fedcba9876543210.csv"
        planted.parent.mkdir(exist_ok=True)
        planted.write_bytes(b"answer,count\n")
        status, headers, body = get(f"{url}voila/files/site/files/{planted.name}")
        assert status == 200 and body == "answer,count\n" and "immutable" in headers.get("Cache-Control", "")
        assert headers.get("Content-Type", "").startswith("text/csv")
        assert get(f"{url}voila/files/site/files/chart.png")[0] == 404
        # A kernel id that names no kernel is refused: no page keeps one.
        assert get(f"{url}api/kernels/00000000-0000-0000-0000-000000000001")[0] == 404

        # Both processes render the page once; readers through nginx get it, in a browser, from either.
        deadline = time.monotonic() + 240
        while not all(ready_count(run, p) >= 1 for p in backends):
            assert time.monotonic() < deadline, "a Voilà process never rendered the page"
            time.sleep(0.3)
        bodies = {get(f"{url}voila/render/{NOTEBOOK}")[2] for _ in range(6)}
        assert all("Base: 58 councils (All councils)" in body for body in bodies), "a page came without its base"
        page = open_page(browser)
        try:
            response = page.goto(f"{url}voila/render/{NOTEBOOK}")
            assert response.status == 200 and not response.headers.get("x-adass-fallback")
            wait_for_dashboard(page)
            assert page.locator("img[alt*='Bar chart for All councils']").count() >= 1
            assert "Base: 58 councils (All councils)" in page.inner_text("body")
        finally:
            page.context.close()
        assert server.process.poll() is None, "deploy/run.sh stopped"
    finally:
        stop_process_group(process)


def backend_pid(port: int) -> int | None:
    """The pid of the Voilà process serving ``port`` (its command line names the port)."""
    for process in psutil.process_iter(["pid", "cmdline"]):
        line = process.info["cmdline"] or []
        if "serve" in line and "--port" in line and str(port) in line and any("python" in part for part in line[:1]):
            return process.info["pid"]
    return None


def test_a_killed_voila_process_is_restarted_and_readers_keep_getting_pages(tmp_path) -> None:
    process, url, run, backends, folder, log = start_deploy(tmp_path)
    page = f"{url}voila/render/{NOTEBOOK}"
    try:
        wait_for_http(url, process, log, timeout=240)
        deadline = time.monotonic() + 240
        while not all(ready_count(run, p) >= 1 for p in backends):
            assert time.monotonic() < deadline, "a Voilà process never rendered the page"
            time.sleep(0.5)
        victim = backends[0]
        pid = backend_pid(victim)
        assert pid, "no Voilà process found for the first backend"
        ready_before = ready_count(run, victim)
        os.kill(pid, signal.SIGKILL)
        # New readers meanwhile: each gets a page, live from the other process or a static copy, within 2 s.
        slowest = 0.0
        for _ in range(20):
            start = time.monotonic()
            status, _, body = get(page)
            slowest = max(slowest, time.monotonic() - start)
            assert status == 200 and "Bar chart" in body, status
            time.sleep(0.25)
        assert slowest <= 2.0, f"a reader waited {slowest:.1f} s while a process was down"
        # The process comes back (supervisord) and renders the page again.
        deadline = time.monotonic() + 240
        while not (backend_pid(victim) not in (None, pid) and ready_count(run, victim) > ready_before):
            assert time.monotonic() < deadline, "the killed Voilà process did not come back"
            assert process.poll() is None, "deploy/run.sh stopped when one process died"
            time.sleep(0.5)
        status, headers, body = get(page)
        assert status == 200 and "Bar chart" in body
        assert process.poll() is None, "deploy/run.sh stopped"
    finally:
        stop_process_group(process)
