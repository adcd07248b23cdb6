"""A reader's page keeps what it shows first; the rest of its payload becomes files beside it.

A filter panel holds every view of its question, and each view its chart and two downloads as data URLs (section
02: 71 charts and 142 downloads, 3.2 MB of HTML). Chromium reads a data URL however the image is marked, so every
view's chart was decoded with the page: with 20 readers on two cores that, not the server, set the time to the
first chart. Here the charts of the views not shown at first (``<img loading="lazy">``, and the phone's chart of its
``<picture>``, a ``<source srcset>``) and every download link
become files named by their content, so the browser fetches a chart only when a reader chooses its view, and a file
only when it is downloaded. The charts shown at first stay in the page, so it still draws without a request.

Used by the static export (files in :data:`STATIC_FILES` beside the pages) and by the dashboards' page handler
(files in :func:`page_files_dir`, served read-only at ``/adass/files/``). Widget outputs are JSON, whose quotes are
escaped, so they never match and stay as they are.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import tempfile
import time
from pathlib import Path

from ..core.paths import data_dir

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXTENSIONS = {"image/png": "png", "text/csv": "csv", XLSX: "xlsx"}
FILE_NAME = r"[0-9a-f]{32}\.(?:png|csv|xlsx)"
"""A page file's name: its content's hash and its type (what a URL may ask for, and nothing else)."""
STATIC_FILES = "files"
"""The folder beside the static pages that holds their page files."""
_IMAGE_URL = re.compile(r"data:(image/png);base64,")
_DOWNLOAD_URL = re.compile(r"data:(text/csv|" + re.escape(XLSX) + r")(?:;charset=[\w-]+)?;base64,")
_BASE64 = re.compile(r"[A-Za-z0-9+/=]+")


def page_files_dir() -> Path:
    """The folder of the dashboards' page files: ``data/page_files`` (derived, safe to delete, not committed).

    Examples
    --------
    >>> page_files_dir().name
    'page_files'
    """
    return data_dir() / "page_files"


def prune(folder: Path, written_before: float, grace_s: float = 86400.0, now: float | None = None) -> int:
    """Delete the page files of an earlier catalogue: written before ``written_before`` and over ``grace_s`` ago.

    A file the current pages still link is written again the next time a page is sent; the grace keeps a reader's
    tab opened before a restart working for a day. Anything not named as a page file is left alone.

    Parameters
    ----------
    folder : Path
        The page files' folder (:func:`page_files_dir`); missing is fine.
    written_before : float
        A modification time (seconds since the epoch): the current catalogue's.
    grace_s : float
        Files younger than this are kept whatever their age against ``written_before``.
    now : float, optional
        The current time (for tests); ``time.time()`` by default.

    Returns
    -------
    int
        How many files were deleted.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> old, new = folder / ("a" * 32 + ".png"), folder / ("b" * 32 + ".csv")
    >>> _ = old.write_bytes(b"1"), new.write_bytes(b"2"), os.utime(old, (1000, 1000))
    >>> prune(folder, written_before=2000, grace_s=60, now=10**9), sorted(p.name[0] for p in folder.iterdir())
    (1, ['b'])
    """
    now = time.time() if now is None else now
    removed = 0
    for path in folder.glob("*") if folder.is_dir() else []:
        if not re.fullmatch(FILE_NAME, path.name):
            continue
        written = path.stat().st_mtime
        if written < written_before and written < now - grace_s:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def write_file(folder: Path, mime: str, payload: str) -> str:
    """Write a base64 payload as ``<hash>.<ext>`` in ``folder`` unless it is there already; return the name.

    The name is the payload's hash, so a file is written once, never changes, and two processes writing the same
    file write the same bytes (each through its own temporary file, renamed into place).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> name = write_file(folder, "text/csv", base64.b64encode(b"a,b").decode())
    >>> name.endswith(".csv"), (folder / name).read_bytes()
    (True, b'a,b')
    """
    name = f"{hashlib.sha256(payload.encode('ascii')).hexdigest()[:32]}.{EXTENSIONS[mime]}"
    path = folder / name
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".page-file-", dir=folder)
        with os.fdopen(handle, "wb") as out:
            out.write(base64.b64decode(payload))
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    return name


def externalize(html: str, folder: Path, url_prefix: str) -> str:
    """Return ``html`` with its lazy charts and its downloads as files in ``folder``, linked as ``url_prefix + name``.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> png, phone = base64.b64encode(b"png").decode(), base64.b64encode(b"phone").decode()
    >>> page = (f'<img src="data:image/png;base64,{png}" alt="shown">'
    ...         f'<picture><source srcset="data:image/png;base64,{phone}"><img alt="hidden" loading="lazy" '
    ...         f'src="data:image/png;base64,{png}"></picture><a download="t.csv" href="data:text/csv;base64,{png}">CSV</a>')
    >>> out = externalize(page, folder, "files/")
    >>> out.count("data:"), out.count('src="files/'), out.count('srcset="files/'), out.count('href="files/')
    (1, 1, 1, 1)
    >>> len(list(folder.iterdir()))
    3
    """
    if "data:" not in html:
        return html
    # Plain string search, no regular expression over a payload: a page's payloads are megabytes, and this runs for
    # every page a reader is sent (a backtracking pattern over them took half the server's time with 20 readers).
    html = _replace_payloads(html, "<source ", _lazy_source_srcset, _IMAGE_URL, folder, url_prefix)  # before <img
    html = _replace_payloads(html, "<img", _lazy_image_src, _IMAGE_URL, folder, url_prefix)
    return _replace_payloads(html, 'href="data:', _download_href, _DOWNLOAD_URL, folder, url_prefix)


def _data_url_span(html: str, attribute: str, start: int, tag_end: int) -> tuple[int, int] | None:
    """The span of the ``data:`` URL in the tag's ``attribute="data:…"`` between ``start`` and ``tag_end``."""
    found = html.find(f'{attribute}="data:', start, tag_end)
    if found < 0 or not html[found - 1].isspace():
        return None
    value = found + len(attribute) + 2
    close = html.find('"', value, tag_end)
    return (value, close) if close > 0 else None


def _lazy_image_src(html: str, start: int) -> tuple[int, int] | None:
    """The span of the ``data:`` URL in the ``src`` of the ``<img`` at ``start``, if that image is lazy."""
    end = html.find(">", start)
    tag_end = len(html) if end < 0 else end
    if html.find('loading="lazy"', start, tag_end) < 0:
        return None
    return _data_url_span(html, "src", start, tag_end)


def _lazy_source_srcset(html: str, start: int) -> tuple[int, int] | None:
    """The span of the ``data:`` URL in the ``srcset`` of the ``<source`` at ``start``, if its picture's image is
    lazy (a phone's chart of a view not shown at first)."""
    tag_end = html.find(">", start)
    img = html.find("<img", start, html.find("</picture>", start))
    if tag_end < 0 or img < 0 or _lazy_image_src(html, img) is None:
        return None
    return _data_url_span(html, "srcset", start, tag_end)


def _download_href(html: str, start: int) -> tuple[int, int] | None:
    """The span of the ``data:`` URL of the ``href="data:`` at ``start``."""
    value = start + len('href="')
    close = html.find('"', value)
    return (value, close) if close > 0 else None


def _replace_payloads(html: str, marker: str, span_of, kinds: re.Pattern, folder: Path, url_prefix: str) -> str:
    """Replace each data URL that ``span_of`` finds after a ``marker``, of a type ``kinds`` admits, by a page file's
    URL; leave others alone."""
    parts, done, at = [], 0, html.find(marker)
    while at >= 0:
        span = span_of(html, at)
        if span is not None:
            url = html[span[0] : span[1]]
            header = kinds.match(url)
            payload = url[header.end() :] if header else ""
            if header and _BASE64.fullmatch(payload):
                parts += [html[done : span[0]], url_prefix, write_file(folder, header.group(1), payload)]
                done = span[1]
        at = html.find(marker, (span[1] if span else at) + 1)
    return "".join(parts) + html[done:] if parts else html
