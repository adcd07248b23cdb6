"""The static pages served read-only by the dashboards' own Voilà server, linked from its entry page.

The export writes into ``site/`` inside the served folder; ``voila.json`` lets Voilà's file handler
(``/voila/files/``) serve that folder's ``.html`` pages and nothing else from it.
"""

from __future__ import annotations

import shutil
import urllib.error
import urllib.request

import pytest

from adass_survey.core.paths import STATIC_FOLDER
from adass_survey.pages.export import export_site

from .conftest import (
    Traffic,
    notebook_dir,
    open_page,
    require_chromium,
    save_screenshot,
    served_notebooks,
    start_voila,
    stop_process_group,
)
from .test_static_export import EXPORTED

# Files planted beside (and below) the pages: none of them may be served, whatever its type.
DECOYS = {
    f"{STATIC_FOLDER}/chart.png": b"\x89PNG\r\n\x1a\n",
    f"{STATIC_FOLDER}/chart.svg": b"<svg xmlns='http://www.w3.org/2000/svg'/>",
    f"{STATIC_FOLDER}/answers.csv": b"council,answer\n",
    f"{STATIC_FOLDER}/notes.txt": b"notes",
    f"{STATIC_FOLDER}/page.htm": b"<p>htm</p>",
    f"{STATIC_FOLDER}/script.js": b"alert(1)",
    f"{STATIC_FOLDER}/nested/index.html": b"<p>nested</p>",
    f"{STATIC_FOLDER}/.hidden.html": b"<p>hidden</p>",
    f"{STATIC_FOLDER}/files/chart.png": b"\x89PNG\r\n\x1a\n",
    f"{STATIC_FOLDER}/files/0123456789abcdef0123456789abcdef.js": b"alert(1)",
    f"{STATIC_FOLDER}/files/0123456789abcdef0123456789abcdef.json": b"{}",
    "outside.html": b"<p>an html file outside the static folder</p>",
}


def _status(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        return error.code, ""


@pytest.fixture(scope="module")
def served_site(tmp_path_factory):
    """Voilà (through scripts/serve.sh, repository configuration) serving a copy of the notebooks with the
    static pages of the landing page and one section built into it, plus decoy files."""
    require_chromium()
    tmp = tmp_path_factory.mktemp("served")
    folder = tmp / "notebooks"
    folder.mkdir()
    for name in served_notebooks():
        shutil.copy(notebook_dir() / name, folder / name)
    export_site(folder, folder / STATIC_FOLDER, only=EXPORTED)
    for relative, content in DECOYS.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_bytes(content)
    # No pre-rendered kernels: these tests open at most one dashboard page.
    server = start_voila(tmp, folder=folder, extra_args=["--VoilaConfiguration.preheat_kernel=False"])
    yield server
    stop_process_group(server.process)


def test_entry_page_links_to_the_static_index_which_opens(served_site, browser) -> None:
    traffic = Traffic()
    page = open_page(browser, traffic)
    try:
        page.goto(served_site.url)
        link = page.locator("a.adass-static-index")
        href = link.get_attribute("href")
        link.click()
        page.wait_for_load_state("load")
        landed = page.url
        sections = page.locator(".adass-tree a").evaluate_all("els => els.map(a => a.getAttribute('href'))")
        banner = page.inner_text(".adass-banner")
        scripts = page.evaluate("() => document.scripts.length")
        save_screenshot(page, "static-served-index")
        # the index's links are relative: a section page opens from the same folder
        section = EXPORTED[-1].replace(".ipynb", ".html")
        page.locator(f".adass-tree a[href='{section}']").click()
        page.wait_for_load_state("load")
        section_url = page.url
        section_text = page.inner_text("body")
        section_scripts = page.evaluate("() => document.scripts.length")
    finally:
        page.context.close()
    assert href == f"/voila/files/{STATIC_FOLDER}/index.html"
    assert landed == served_site.url + href.lstrip("/")
    assert sections == [n.replace(".ipynb", ".html") for n in served_notebooks()]
    assert section_url == served_site.url + f"voila/files/{STATIC_FOLDER}/{section}"
    assert "Synthetic respondent data" in banner and "Synthetic respondent data" in section_text
    assert scripts == 0 and section_scripts == 0, "a static page served by Voilà must hold no script"
    assert traffic.external == []


def test_dashboard_header_links_to_the_static_copy_of_the_page(served_site, browser) -> None:
    notebook = EXPORTED[0]
    page = open_page(browser)
    try:
        page.goto(f"{served_site.url}voila/render/{notebook}")
        page.wait_for_selector(".adass-static-link a", state="attached", timeout=60_000)
        href = page.locator(".adass-static-link a").get_attribute("href")
    finally:
        page.context.close()
    assert href == f"/voila/files/{STATIC_FOLDER}/{notebook.replace('.ipynb', '.html')}"
    assert _status(served_site.url + href.lstrip("/"))[0] == 200


def test_only_the_static_pages_are_served_from_the_folder(served_site) -> None:
    files = f"{served_site.url}voila/files/"
    status, content_type = _status(f"{files}{STATIC_FOLDER}/index.html")
    assert status == 200 and content_type.startswith("text/html")
    refused = {relative: _status(files + relative)[0] for relative in DECOYS}
    assert all(code in (403, 404) for code in refused.values()), refused
    assert all((served_site.folder / relative).exists() for relative in DECOYS), "decoys must exist to test anything"
    # The pages' own files (charts of views not shown at first, downloads) are served: a hash and a type.
    page_file = served_site.folder / STATIC_FOLDER / "files" / "fedcba9876543210fedcba9876543210.csv"
    page_file.write_bytes(b"answer,count\n")
    status, content_type = _status(f"{files}{STATIC_FOLDER}/files/{page_file.name}")
    assert status == 200 and content_type.startswith("text/csv")
    # nor the notebooks or a path that climbs out of the folder
    assert _status(f"{files}{served_notebooks()[0]}")[0] in (403, 404)
    assert _status(f"{files}{STATIC_FOLDER}/..%2F{served_notebooks()[0]}")[0] in (403, 404)
