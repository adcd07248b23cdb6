"""Headers of every route, and every page's content-security policy as Chromium enforces it.

Against the repository's dashboards (``voila_server``: ``scripts/serve.sh``, every pool ready, the static pages
built). Each page is opened in Chromium with a listener for ``securitypolicyviolation`` events and the console:
a policy that blocked anything the page holds (a script, a style, a chart) would report it there.
"""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from adass_survey.pages.files import XLSX

from .conftest import goto_live, notebook_dir, open_page, render_url, served_notebooks

VIOLATIONS_JS = """() => { window.__violations = [];
  document.addEventListener('securitypolicyviolation',
    e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI)); }"""
SITE_FILE = re.compile(r"^[0-9a-f]{32}\.(csv|xlsx|png)$")


def head(url: str) -> tuple[int, dict[str, str], bytes]:
    """GET a URL: status, headers (lower-case names) and body."""
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def live(url: str, timeout: float = 120) -> tuple[int, dict[str, str], bytes]:
    """GET a live page, again while the server answers with the static copy (its pool refilling), up to ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        answer = head(url)
        if not answer[1].get("x-adass-fallback") or time.monotonic() > deadline:
            return answer
        time.sleep(1)


def site_file(kind: str) -> str:
    """The name of one of the static pages' files of a type."""
    files = notebook_dir() / "site" / "files"
    names = sorted(p.name for p in files.glob(f"*.{kind}") if SITE_FILE.match(p.name))
    assert names, f"the static pages have no {kind} file: build them with python -m adass_survey export (test.sh does)"
    return names[0]


def assert_common(headers: dict[str, str], route: str) -> None:
    assert headers.get("x-content-type-options") == "nosniff", route
    assert headers.get("referrer-policy") in ("no-referrer", "same-origin"), route
    assert "default-src 'none'" in headers.get("content-security-policy", ""), route
    assert "cache-control" in headers, route


def test_headers_of_every_route(voila_server) -> None:
    url = voila_server.url
    section = next((n for n in served_notebooks() if n.startswith("07-")), served_notebooks()[-1])
    routes = {
        "landing": url,
        "live page": render_url(voila_server, section),
        "static page": f"{url}voila/files/site/{section.replace('.ipynb', '.html')}",
        "static csv": f"{url}voila/files/site/files/{site_file('csv')}",
        "static xlsx": f"{url}voila/files/site/files/{site_file('xlsx')}",
    }
    # The live page once its render is current (the static copy served at its address while a page is rendered has
    # its headers checked in test_renders_served.py).
    answers = {name: live(route) if name == "live page" else head(route) for name, route in routes.items()}
    live_body = answers["live page"][2].decode("utf-8")
    page_file = re.search(r'href="/adass/files/([0-9a-f]{32}\.(?:csv|xlsx))"', live_body)
    assert page_file, "the live page links no download"
    answers["page file"] = head(f"{url}adass/files/{page_file.group(1)}")
    for name, (status, headers, _) in answers.items():
        assert status == 200, (name, status)
        assert_common(headers, name)
    assert "x-adass-fallback" not in answers["live page"][1]
    for name in ("landing", "live page", "static page"):
        headers = answers[name][1]
        assert headers["content-type"].startswith("text/html"), name
        assert "no-store" in headers["cache-control"] or "no-cache" in headers["cache-control"], name
        policy = headers["content-security-policy"]
        assert "connect-src 'none'" in policy and "'unsafe-inline'" not in policy, (name, policy)
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy, (name, policy)
    assert answers["static csv"][1]["content-type"].startswith("text/csv")
    assert answers["static xlsx"][1]["content-type"] == XLSX
    for name in ("static csv", "static xlsx", "page file"):
        assert "immutable" in answers[name][1]["cache-control"], name
    # Routes no page uses, and unknown ones: 404, never 500, with the same headers.
    for route in (
        "voila/api/contents",
        "voila/api/contents/site",
        "voila/api/themes/light",
        "voila/templates/x",
        "logout",
        "login",
        "no/such/route",
    ):
        status, headers, body = head(url + route)
        assert status == 404, (route, status)
        assert_common(headers, route)
        assert b"Traceback" not in body and b"ipynb" not in body, route


def test_no_page_breaks_its_own_policy(voila_server, browser) -> None:
    """Every live page, the landing page, and the static pages served and opened from disk: Chromium reports no
    violation of the policy (header or meta), and nothing in the console."""
    urls = [voila_server.url]
    urls += [render_url(voila_server, name) for name in served_notebooks()]
    site = notebook_dir() / "site"
    urls += [f"{voila_server.url}voila/files/site/{p.name}" for p in sorted(site.glob("*.html"))[:4]]
    urls += [
        Path(site / name).resolve().as_uri()
        for name in ("index.html", "07-restrictions.html")
        if (site / name).exists()
    ]
    reported = {}
    for url in urls:
        page = browser.new_context().new_page() if url.startswith("file:") else open_page(browser)
        messages: list[str] = []
        page.on("console", lambda message, into=messages: into.append(f"{message.type}: {message.text}"))
        page.add_init_script(f"({VIOLATIONS_JS})()")
        try:
            response = goto_live(page, url) if "/voila/render/" in url else page.goto(url)
            page.wait_for_load_state("load")
            page.wait_for_timeout(1500)
            violations = page.evaluate("window.__violations")
            policy = response.headers.get("content-security-policy", "") if response else ""
            meta = page.locator("meta[http-equiv='Content-Security-Policy']").count()
        finally:
            page.context.close()
        if url.startswith("file:"):
            assert meta == 1, f"{url} carries no policy of its own"
        else:
            assert "default-src 'none'" in policy, url
        problems = violations + [m for m in messages if "Content Security Policy" in m or m.startswith("error")]
        if problems:
            reported[url] = problems
    assert not reported, reported


@pytest.mark.parametrize("query", ["template=lab", "theme=dark", "voila-template=lab&x=1"])
def test_a_query_string_does_not_change_the_page(voila_server, query) -> None:
    """Voilà's own template and theme arguments are not a reader's to give: the page is the same, with its policy."""
    section = served_notebooks()[1]
    status, headers, body = head(f"{render_url(voila_server, section)}?{query}")
    assert status == 200
    assert b"adass-header" in body, "the page lost the project's template"
    assert "default-src 'none'" in headers["content-security-policy"]


def test_the_compare_page_policy_names_its_scripts_and_connects_nowhere(voila_server) -> None:
    """The compare page's inline script hashes (``adass_survey.compare.page.script_hashes``, where it exists) are in
    the policy its static page carries, which allows no connection."""
    from adass_survey.compare import page as compare_page
    from adass_survey.pages.policy import page_policy

    pages = sorted((notebook_dir() / "site").glob("14-*.html")) or sorted((notebook_dir() / "site").glob("0*.html"))
    assert pages, "the served folder has no static pages: build them with python -m adass_survey export (test.sh does)"
    policy = page_policy(pages[0].read_text(encoding="utf-8"))
    hashes = getattr(compare_page, "script_hashes", lambda: [])()
    assert all(digest in policy for digest in hashes), (hashes, policy)
    assert "connect-src 'none'" in policy and "'unsafe-inline'" not in policy
