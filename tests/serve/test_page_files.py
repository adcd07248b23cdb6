"""A page's charts of views not shown at first, and its downloads, become files; what it shows first stays inside."""

from __future__ import annotations

import asyncio
import base64
import re
import threading
import urllib.error
import urllib.request

import pytest
import tornado.httpserver
import tornado.netutil
import tornado.web

from adass_survey.pages.files import FILE_NAME, XLSX, externalize, prune
from adass_survey.present.panel import static_html
from adass_survey.serve.app import page_files_route
from adass_survey.serve.headers import SecurityHeaders


def _payload(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _view(name: str) -> dict:
    chart = f'<img alt="Chart {name}" src="data:image/png;base64,{_payload("png " + name)}" width="10" height="5">'
    links = (
        f'<a class="adass-download" download="{name}.csv" href="data:text/csv;base64,{_payload("csv " + name)}">C</a>'
        f'<a class="adass-download" download="{name}.xlsx" href="data:{XLSX};base64,{_payload("xlsx " + name)}">X</a>'
    )
    return {"html": chart + links, "base": f"n = {len(name)}", "text": name}


ENTRY = {
    "dimensions": [{"id": "t", "label": "Council type", "description": "", "options": [["All", "all"], ["C", "c"]]}],
    "views": {"all": _view("all"), "c": _view("county")},
}


def test_the_first_view_stays_in_the_page_and_the_rest_become_files(tmp_path) -> None:
    page = externalize(static_html(ENTRY, "p1"), tmp_path, "files/")
    images = re.findall(r"<img [^>]*>", page)
    assert len(images) == 2
    assert f'src="data:image/png;base64,{_payload("png all")}"' in images[0], "the chart shown at first is inline"
    assert re.search(rf'loading="lazy" [^>]*src="files/{FILE_NAME}"', images[1]), images[1]
    links = re.findall(r'download="([^"]+)" href="([^"]+)"', page)
    assert [name for name, _ in links] == ["all.csv", "all.xlsx", "county.csv", "county.xlsx"], "names kept"
    assert all(re.fullmatch(f"files/{FILE_NAME}", href) for _, href in links), links
    written = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert len(written) == 5 and b"png county" in written.values() and b"xlsx all" in written.values()
    for _, href in links:
        assert href.rsplit(".", 1)[1] in {"csv", "xlsx"}
    assert "data:" not in page.replace(images[0], ""), "nothing else is left inline"


def _picture_view(name: str) -> dict:
    """A view whose chart is a picture with a phone's image (``<source>``) before the page's."""
    view = _view(name)
    chart, links = view["html"].split("<a ", 1)
    phone = f'<source media="(max-width: 40em)" srcset="data:image/png;base64,{_payload("phone " + name)}" width="4">'
    return {**view, "html": f"<picture>{phone}{chart}</picture><a {links}"}


def test_the_phone_chart_of_a_view_not_shown_at_first_becomes_a_file_too(tmp_path) -> None:
    entry = {**ENTRY, "views": {key: _picture_view(view["text"]) for key, view in ENTRY["views"].items()}}
    page = externalize(static_html(entry, "p1"), tmp_path, "files/")
    sources = re.findall(r"<source [^>]*>", page)
    assert len(sources) == 2
    assert f'srcset="data:image/png;base64,{_payload("phone all")}"' in sources[0], "the first view's stays inline"
    assert re.search(rf'srcset="files/{FILE_NAME}"', sources[1]), sources[1]
    assert b"phone county" in {p.read_bytes() for p in tmp_path.iterdir()}


def test_the_same_payload_gives_the_same_file_once(tmp_path) -> None:
    first = externalize(static_html(ENTRY, "p1"), tmp_path, "/adass/files/")
    stamps = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    second = externalize(static_html(ENTRY, "p1"), tmp_path, "/adass/files/")
    assert first == second
    assert {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()} == stamps, "no file was written again"


def test_widget_outputs_and_other_data_urls_are_left_alone(tmp_path) -> None:
    widget_json = '{"text/html": "<img loading=\\"lazy\\" src=\\"data:image/png;base64,AAAA\\">"}'
    summary = f'<a download="s.html" href="data:text/html;charset=utf-8;base64,{_payload("<p>hi</p>")}">Save</a>'
    assert externalize(widget_json + summary, tmp_path, "files/") == widget_json + summary
    assert list(tmp_path.iterdir()) == []


def test_attributes_on_their_own_lines_are_found_and_lookalikes_are_not(tmp_path) -> None:
    png = _payload("png x")
    lazy = f'<img\n  alt="x"\n  loading="lazy"\n  src="data:image/png;base64,{png}">'
    lookalikes = (
        f'<img loading="lazy" data-src="data:image/png;base64,{png}">'  # not the image's own source
        '<img loading="lazy" src="data:image/png;base64,not base64!">'  # not a payload
        f'<img alt="a" src="data:image/png;base64,{png}"><p loading="lazy"></p>'  # lazy is another tag's
        f'<img loading="lazy" src="data:text/csv;base64,{png}">'  # an image's source is a PNG, or stays
        f'<a download="c.png" href="data:image/png;base64,{png}">PNG</a>'  # a download is a CSV or spreadsheet
    )
    page = externalize(lazy + lookalikes, tmp_path, "files/")
    assert re.fullmatch(rf'<img\n  alt="x"\n  loading="lazy"\n  src="files/{FILE_NAME}">', page[: page.index(">") + 1])
    assert page.endswith(lookalikes)
    assert len(list(tmp_path.iterdir())) == 1


@pytest.mark.parametrize(
    "name",
    ["0123456789abcdef0123456789abcdef.png", "0123456789abcdef0123456789abcdef.xlsx"],
)
def test_a_file_name_is_a_hash_and_a_type(name) -> None:
    assert re.fullmatch(FILE_NAME, name)


@pytest.mark.parametrize(
    "name",
    ["../secret.png", "0123456789abcdef0123456789abcdef.py", "0123456789ABCDEF0123456789ABCDEF.png", "a.png"],
)
def test_nothing_else_is_a_file_name(name) -> None:
    assert not re.fullmatch(FILE_NAME, name)


NAME = "0123456789abcdef0123456789abcdef.csv"


@pytest.fixture
def files_url(tmp_path):
    """The page-file route alone with the server's headers, on a free port of 127.0.0.1, in its own thread and loop."""
    (tmp_path / NAME).write_bytes(b"a,b\n")
    (tmp_path / "notes.txt").write_bytes(b"not a page file")
    started, state = threading.Event(), {}

    def run() -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        app = tornado.web.Application([page_files_route("/", tmp_path)], transforms=[SecurityHeaders])
        sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
        tornado.httpserver.HTTPServer(app).add_sockets(sockets)
        state.update(loop=loop, port=sockets[0].getsockname()[1])
        started.set()
        loop.run_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    started.wait(10)
    yield f"http://127.0.0.1:{state['port']}/adass/files/"
    state["loop"].call_soon_threadsafe(state["loop"].stop)
    thread.join(5)


def _get(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), b""


def test_a_page_file_is_served_for_good(files_url) -> None:
    status, headers, body = _get(files_url + NAME)
    assert status == 200 and body == b"a,b\n"
    assert headers["Content-Type"].startswith("text/csv")
    assert "immutable" in headers["Cache-Control"] and headers["X-Content-Type-Options"] == "nosniff"


def test_anything_else_is_not_found(files_url) -> None:
    assert _get(files_url + "notes.txt")[0] == 404
    assert _get(files_url + "ffffffffffffffffffffffffffffffff.png")[0] == 404
    assert _get(files_url + "..%2Fnotes.txt")[0] == 404


def test_prune_removes_only_page_files_older_than_the_catalogue_and_the_grace(tmp_path) -> None:
    import os

    day, now = 86400, 20 * 86400
    catalogue_built = now - 3600
    # before the catalogue and past the grace; after the catalogue; before the catalogue but within the grace
    ages = {"a": now - 2 * day, "b": now - 60, "c": now - 7200}
    for letter, written in ages.items():
        path = tmp_path / f"{letter * 32}.png"
        path.write_bytes(letter.encode())
        os.utime(path, (written, written))
    other = tmp_path / "notes.txt"  # not a page file: never touched
    other.write_text("keep")
    os.utime(other, (0, 0))
    assert prune(tmp_path, written_before=catalogue_built, grace_s=day, now=now) == 1
    assert sorted(p.name[0] for p in tmp_path.iterdir()) == ["b", "c", "n"]
    assert prune(tmp_path, written_before=now, grace_s=0, now=now) == 2, "a newer catalogue and no grace: b and c go"
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
    assert prune(tmp_path / "missing", written_before=now) == 0
