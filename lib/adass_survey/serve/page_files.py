"""A reader's page keeps what it shows first; the rest of its payload becomes files beside it.

A filter panel holds every view of its question, and each view its chart and two downloads as data URLs (section
02: 71 charts and 142 downloads, 3.2 MB of HTML). Chromium reads a data URL however the image is marked, so every
view's chart was decoded with the page: with 20 readers on two cores that, not the server, set the time to the
first chart. Here the charts of the views not shown at first (``<img loading="lazy">``) and every download link
become files named by their content, so the browser fetches a chart only when a reader chooses its view, and a file
only when it is downloaded. The charts shown at first stay in the page, so it still draws without a request.

Used by the static export (files in ``files/`` beside the pages) and by the dashboards' page handler (files in
:func:`page_files_dir`, served read-only at ``/adass/files/``). Widget outputs are JSON, whose quotes are escaped, so
they never match and stay as they are.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import tempfile
from pathlib import Path

from ..core.paths import data_dir

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXTENSIONS = {"image/png": "png", "text/csv": "csv", XLSX: "xlsx"}
FILE_NAME = r"[0-9a-f]{32}\.(?:png|csv|xlsx)"
"""A page file's name: its content's hash and its type (what a URL may ask for, and nothing else)."""
_LAZY_IMAGE = re.compile(r'<img\b[^>]*\bloading="lazy"[^>]*>')
_IMAGE_SRC = re.compile(r'\bsrc="data:(image/png);base64,([A-Za-z0-9+/=]+)"')
_DOWNLOAD = re.compile(
    r'\bhref="data:(text/csv|' + re.escape(XLSX) + r')(?:;charset=[\w-]+)?;base64,([A-Za-z0-9+/=]+)"'
)


def page_files_dir() -> Path:
    """The folder of the dashboards' page files: ``data/page_files`` (derived, safe to delete, not committed).

    Examples
    --------
    >>> page_files_dir().name
    'page_files'
    """
    return data_dir() / "page_files"


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
    >>> png = base64.b64encode(b"png").decode()
    >>> page = (f'<img src="data:image/png;base64,{png}" alt="shown">'
    ...         f'<img alt="hidden" loading="lazy" src="data:image/png;base64,{png}">'
    ...         f'<a download="t.csv" href="data:text/csv;base64,{png}">CSV</a>')
    >>> out = externalize(page, folder, "files/")
    >>> out.count("data:"), out.count('src="files/'), out.count('href="files/'), len(list(folder.iterdir()))
    (1, 1, 1, 2)
    """
    if "data:" not in html:
        return html

    def link(match: re.Match, attribute: str) -> str:
        return f'{attribute}="{url_prefix}{write_file(folder, match.group(1), match.group(2))}"'

    def lazy_image(tag: re.Match) -> str:
        return _IMAGE_SRC.sub(lambda m: link(m, "src"), tag.group(0))

    html = _LAZY_IMAGE.sub(lazy_image, html)
    return _DOWNLOAD.sub(lambda m: link(m, "href"), html)
