"""The notebooks in JupyterLab: a researcher opens the index and a section, runs all cells of each, and gets no
error, then a chart and a live widget; Run All and Save leave the repository's notebooks unchanged (git status is
clean), and the Voilà preview opens a shipped notebook with no "Untrusted notebook" dialog. JupyterLab starts as
root with no flag (the CI runs it as root): its settings are the repository's etc/jupyter/jupyter_server_config.py."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import urllib.request

import pytest

from .conftest import (
    RENDER_TIMEOUT_MS,
    REPO,
    free_port,
    notebook_dir,
    open_page,
    save_screenshot,
    served_notebooks,
    stop_process_group,
    wait_for_http,
)
from .test_kernel_security import SEND_OVER_KERNEL_WEBSOCKET

TOKEN = "adass-browser-test-token"
KERNEL_IDLE = """() => [...document.querySelectorAll('.jp-StatusBar-TextItem')]
    .some(item => /^(?!No Kernel).+ \\| Idle$/.test(item.textContent.trim()))"""


def _notebook_with_widgets() -> str:
    """Return the first served section (not the landing page) whose source builds a widget."""
    for name in served_notebooks():
        text = (notebook_dir() / name).read_text(encoding="utf-8")
        builds_widget = any(marker in text for marker in ("report.explore(", "ipywidgets"))
        if not name.startswith("00-") and builds_widget:
            return name
    raise AssertionError(f"no served section builds a widget: {served_notebooks()}")


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    """JupyterLab on a free port with a token, serving a copy of the notebooks (runs never touch the repo)."""
    tmp = tmp_path_factory.mktemp("lab")
    folder = tmp / "notebooks"
    # The static pages (notebooks/site/, built by serve.sh) are not notebooks: leave them out of the copy.
    shutil.copytree(notebook_dir(), folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "site"))
    _commit(tmp)  # a repository of the notebooks as shipped, so that `git status` can tell what a run changed
    port = free_port()
    log = tmp / "lab.log"
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(tmp / "config"),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp / "ws"),
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
    }
    command = [
        str(REPO / ".venv" / "bin" / "jupyter"),
        "lab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={TOKEN}",
        f"--ServerApp.root_dir={folder}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",
    ]
    # No --allow-root: as root (CI, containers) JupyterLab starts because the environment's configuration says so.
    with log.open("w") as handle:
        process = subprocess.Popen(
            command, cwd=tmp, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for_http(f"{url}api/status?token={TOKEN}", process, log)
        yield url, folder
    finally:
        stop_process_group(process)


def _git(folder, *args: str) -> str:
    command = ["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid", *args]
    return subprocess.run(command, cwd=folder, check=True, capture_output=True, text=True).stdout


def _commit(folder) -> None:
    shutil.copy(
        REPO / ".gitignore", folder / ".gitignore"
    )  # JupyterLab's checkpoints are ignored, as in the repository
    _git(folder, "init", "-q")
    _git(folder, "add", ".gitignore", "notebooks")
    _git(folder, "commit", "-q", "-m", "the notebooks as shipped")


def _open_notebook(page, url: str, notebook: str) -> None:
    # A workspace of its own, reset: otherwise JupyterLab restores the notebooks an earlier test opened, one of
    # them may be the active tab, and Run All then runs that notebook instead of this one.
    workspace = re.sub(r"[^A-Za-z0-9]+", "-", notebook)
    page.goto(f"{url}lab/workspaces/{workspace}/tree/{notebook}?reset&token={TOKEN}")
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook", timeout=60_000)
    open_tabs = page.locator(".jp-NotebookPanel").count()
    assert open_tabs == 1, f"expected only {notebook} open in JupyterLab, found {open_tabs} notebook panels"
    active = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel").first
    assert active.text_content().strip() == notebook, f"the active tab is {active.text_content()!r}, not {notebook}"


def _open_and_run_all(page, url: str, notebook: str) -> None:
    _open_notebook(page, url, notebook)
    # The execution indicator reads "idle" before any kernel is attached, and Run All without a kernel runs
    # nothing: wait until the status bar names the kernel and reports it idle.
    page.wait_for_function(KERNEL_IDLE, timeout=60_000)
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator("li.lm-Menu-item[data-command='runmenu:run-all']").click()


def _prompts(page) -> list[str]:
    return page.evaluate("() => [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(p => p.textContent)")


def _clear_outputs(path) -> None:
    """Strip the committed outputs from the copy, so what JupyterLab saves can only come from this run."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    path.write_text(json.dumps(notebook), encoding="utf-8")


def _shut_down_kernels(url: str) -> None:
    with urllib.request.urlopen(f"{url}api/sessions?token={TOKEN}", timeout=10) as response:
        sessions = json.load(response)
    for session in sessions:
        request = urllib.request.Request(f"{url}api/sessions/{session['id']}?token={TOKEN}", method="DELETE")
        urllib.request.urlopen(request, timeout=10).close()


def test_run_all_of_the_index_gives_outputs_and_no_error(jupyterlab, browser) -> None:
    url, folder = jupyterlab
    notebook = "00-index.ipynb"
    assert (folder / notebook).exists(), f"the index is not among the notebooks JupyterLab serves: {folder}"
    _clear_outputs(folder / notebook)
    page = open_page(browser)
    try:
        _open_and_run_all(page, url, notebook)
        prompts = _prompts(page)
        for _ in range(300):  # every code cell shows its execution count once it has run
            if prompts and all(re.fullmatch(r"\[\d+\]:", p.strip()) for p in prompts):
                break
            page.wait_for_timeout(200)
            prompts = _prompts(page)
        errors_on_page = page.locator("[data-mime-type='application/vnd.jupyter.stderr']").count()
        save_screenshot(page, "jupyterlab-00-index")
        page.keyboard.press("Control+s")
        cells: list[dict] = []
        for _ in range(100):  # the saved file shows every cell run
            page.wait_for_timeout(200)
            cells = [
                c
                for c in json.loads((folder / notebook).read_text(encoding="utf-8"))["cells"]
                if c["cell_type"] == "code"
            ]
            if cells and all(c["execution_count"] for c in cells):
                break
    finally:
        page.context.close()
        _shut_down_kernels(url)
    assert all(re.fullmatch(r"\[\d+\]:", p.strip()) for p in prompts), f"not every cell ran: {prompts}"
    assert cells and all(c["execution_count"] for c in cells), "the saved index does not show every cell run"
    assert all(c["outputs"] for c in cells), "a code cell of the index showed nothing"
    bad = [
        o
        for c in cells
        for o in c["outputs"]
        if o["output_type"] == "error" or (o["output_type"] == "stream" and o["name"] == "stderr")
    ]
    assert not bad and errors_on_page == 0, f"the index shows error output: {bad}"


def test_run_all_shows_chart_and_live_widget(jupyterlab, browser, tmp_path) -> None:
    url, folder = jupyterlab
    notebook = _notebook_with_widgets()
    _clear_outputs(folder / notebook)  # so a chart or a widget on the page can only come from this run
    page = open_page(browser)
    try:
        _open_and_run_all(page, url, notebook)
        # JupyterLab renders off-screen cells lazily: wait for the outputs to exist, then bring them into view.
        page.wait_for_selector(".jp-OutputArea-output img", state="attached", timeout=120_000)
        dropdown = page.locator(".jp-OutputArea-output .widget-dropdown select").first
        dropdown.wait_for(state="attached", timeout=120_000)  # the kernel may still be drawing every filter view
        dropdown.scroll_into_view_if_needed()
        before = page.evaluate("() => [...document.querySelectorAll('.jp-OutputArea-output img')].map(i => i.src)")
        current = dropdown.evaluate("s => s.selectedIndex")
        dropdown.select_option(index=1 if current == 0 else 0)
        after = before
        for _ in range(100):
            page.wait_for_timeout(200)
            after = page.evaluate("() => [...document.querySelectorAll('.jp-OutputArea-output img')].map(i => i.src)")
            if after != before:
                break
        save_screenshot(page, f"jupyterlab-{notebook.removesuffix('.ipynb')}")

        # Positive control of the probe in test_kernel_security: in JupyterLab an execute_request does run.
        with urllib.request.urlopen(f"{url}api/sessions?token={TOKEN}", timeout=10) as response:
            kernel_id = json.load(response)[0]["kernel"]["id"]
        marker = tmp_path / "written_by_execute_request.txt"
        channels = f"ws://{url.split('//', 1)[1]}api/kernels/{kernel_id}/channels?token={TOKEN}"
        seen = page.evaluate(SEND_OVER_KERNEL_WEBSOCKET, [channels, f"open({str(marker)!r}, 'w').write('x')"])
    finally:
        page.context.close()
    assert before, "no chart image after Run All"
    assert after != before, "the widget is not live: changing the dropdown did not redraw the chart"
    assert "execute_reply" in seen and marker.exists(), f"the probe could not execute in JupyterLab: {seen}"


def _wait_until_every_cell_ran(page) -> list[str]:
    prompts = _prompts(page)
    for _ in range(900):  # every code cell shows its execution count once it has run
        if prompts and all(re.fullmatch(r"\[\d+\]:", p.strip()) for p in prompts):
            break
        page.wait_for_timeout(200)
        prompts = _prompts(page)
    return prompts


def _saved_code_cells(path) -> list[dict]:
    return [c for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]


# A section with filter panels (widgets, whose random ids a run redraws) and the researcher's cell at its end.
RUN_AND_SAVE = "07-restrictions.ipynb"


def test_run_all_and_save_leaves_the_notebook_as_shipped(jupyterlab, browser) -> None:
    url, folder = jupyterlab
    notebook = RUN_AND_SAVE
    before = (folder / notebook).stat().st_mtime_ns
    page = open_page(browser)
    try:
        _open_and_run_all(page, url, notebook)
        prompts = _wait_until_every_cell_ran(page)
        page.wait_for_function(KERNEL_IDLE, timeout=120_000)
        page.locator(".jp-NotebookPanel .jp-Notebook").first.click()  # the notebook has the focus, not the menu
        page.keyboard.press("Control+s")
        for _ in range(150):  # saved: the file was written again
            page.wait_for_timeout(200)
            if (folder / notebook).stat().st_mtime_ns != before:
                break
        save_screenshot(page, "jupyterlab-run-all-and-save")
    finally:
        page.context.close()
        _shut_down_kernels(url)
    assert all(re.fullmatch(r"\[\d+\]:", p.strip()) for p in prompts), f"not every cell ran: {prompts}"
    assert (folder / notebook).stat().st_mtime_ns != before, "JupyterLab did not save the notebook"
    assert all(c["outputs"] for c in _saved_code_cells(folder / notebook)), "a code cell saved no output"
    changed = _git(folder.parent, "status", "--porcelain", "--", f"notebooks/{notebook}")
    diff = (
        _git(folder.parent, "diff", "--stat", "--", f"notebooks/{notebook}")
        + _git(folder.parent, "diff", "-U0", "--", f"notebooks/{notebook}")[:3000]
    )
    assert changed == "", f"Run All and Save changed the repository's notebooks:\n{changed}\n{diff}"


def test_the_voila_preview_of_a_shipped_notebook_opens_with_no_trust_dialog(jupyterlab, browser) -> None:
    url, folder = jupyterlab
    notebook = RUN_AND_SAVE
    page = open_page(browser)
    try:
        _open_notebook(page, url, notebook)
        before = (folder / notebook).stat().st_mtime_ns
        page.locator(".jp-NotebookPanel-toolbar .voilaRender").first.click()
        # The preview sets its frame's address only once the notebook is trusted: after the dialog, if one is asked.
        page.wait_for_selector("iframe[src*='voila/render/'], .jp-Dialog", state="attached", timeout=60_000)
        dialogs = [d.inner_text() for d in page.locator(".jp-Dialog").all()]
        if not dialogs:
            frame = page.frame_locator("iframe[src*='voila/render/']")
            frame.locator("text=Restrictions on direct payments").first.wait_for(timeout=RENDER_TIMEOUT_MS)
        save_screenshot(page, "jupyterlab-voila-preview")
    finally:
        page.context.close()
        _shut_down_kernels(url)
    assert not dialogs, f"the Voilà preview asked about a shipped notebook (is scripts/setup.sh run?): {dialogs}"
    # The preview saves a trusted notebook before it renders it: the save hook keeps the file as shipped.
    assert (folder / notebook).stat().st_mtime_ns != before, "the preview did not save the notebook (as it does)"
    changed = _git(folder.parent, "status", "--porcelain", "--", f"notebooks/{notebook}")
    assert changed == "", f"previewing changed the notebook: {changed}"
