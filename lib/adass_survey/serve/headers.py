"""Response headers of every route of the dashboards' server, beside the pages' own policies.

:class:`SecurityHeaders`, a tornado output transform, gives every response what its handler did not set:
``nosniff``, ``Referrer-Policy: no-referrer``, a content-security policy (a page's, made from its content by
:func:`~adass_survey.pages.policy.page_policy`, or ``default-src 'none'`` for anything else), and a Cache-Control by
kind (pages and the API never kept, content-named files kept for good).
"""

from __future__ import annotations

import mimetypes
import re

import tornado.web

from ..core.paths import STATIC_FOLDER
from ..pages.files import FILE_NAME, STATIC_FILES, XLSX
from ..pages.policy import page_policy

NO_STORE = "no-cache, no-store, must-revalidate"
IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=300"
_CONTENT_NAMED = re.compile(rf"/(?:adass/files|voila/files/{STATIC_FOLDER}/{STATIC_FILES})/{FILE_NAME}$")
_VOILA_ASSETS = ("/voila/static/", "/voila/templates/", "/voila/labextensions/")


def register_types() -> None:
    """Name the types of the downloads, which a system without ``/etc/mime.types`` sends as octet-stream.

    Examples
    --------
    >>> register_types()
    >>> mimetypes.guess_type("table.csv")[0], mimetypes.guess_type("table.xlsx")[0] == XLSX
    ('text/csv', True)
    """
    mimetypes.add_type("text/csv", ".csv")
    mimetypes.add_type(XLSX, ".xlsx")


def cache_control(path: str, content_type: str) -> str:
    """Return the Cache-Control of a response that has none: by what the path and the type say it is.

    Examples
    --------
    >>> cache_control("/adass/files/" + "a" * 32 + ".png", "image/png")
    'public, max-age=31536000, immutable'
    >>> cache_control("/voila/static/voila.js", "application/javascript"), cache_control("/", "text/html")
    ('public, max-age=300', 'no-cache, no-store, must-revalidate')
    """
    if _CONTENT_NAMED.search(path):
        return IMMUTABLE
    if path.startswith(_VOILA_ASSETS) and not content_type.startswith("text/html"):
        return SHORT
    return NO_STORE


class SecurityHeaders(tornado.web.OutputTransform):
    """Give every response the headers its handler did not set (see the module docstring)."""

    def __init__(self, request) -> None:
        self._path = request.path
        super().__init__(request)

    def transform_first_chunk(self, status_code, headers, chunk, finishing):
        """Add the missing headers before the first byte of the response goes."""
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "no-referrer")
        content_type = headers.get("Content-Type", "")
        if "report-uri" in headers.get("Content-Security-Policy", "report-uri"):  # none, or jupyter_server's own
            html = content_type.startswith("text/html") and finishing
            text = chunk.decode("utf-8", "replace") if html else ""
            headers["Content-Security-Policy"] = page_policy(text) if html else "default-src 'none'"
        if status_code >= 400:
            headers["Cache-Control"] = NO_STORE
        elif "Cache-Control" not in headers:
            headers["Cache-Control"] = cache_control(self._path, content_type)
        return status_code, headers, chunk
