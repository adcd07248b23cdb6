"""Response headers of every route: a content-security policy made from each page's own content, and the rest.

A page's policy allows exactly what the page holds and nothing else (:func:`page_policy`): its inline scripts and
styles by their SHA-256 hashes (``'unsafe-hashes'`` for its ``style="…"`` attributes), images from the server and
``data:`` (the charts shown at first), and no connection at all. A page with Voilà's front end (widgets) also loads
scripts, styles and fonts from the server and opens its kernel's websocket, and JupyterLab's front end inserts styles
as it goes: its policy allows those. The live pages send it as a header (:mod:`~adass_survey.serve.app`), the static
pages carry it in a ``<meta http-equiv>`` (:func:`with_meta_policy`, for a page opened from disk) and nginx sends it
for them (:mod:`~adass_survey.serve.deploy`).

:class:`SecurityHeaders`, a tornado output transform, gives every response of the dashboards' server what its
handler did not set: ``nosniff``, ``Referrer-Policy: no-referrer``, a policy (a page's, or ``default-src 'none'``
for anything else), and a Cache-Control by kind (pages and the API never kept, content-named files kept for good).
"""

from __future__ import annotations

import base64
import hashlib
import mimetypes
import re

import tornado.web

from .page_files import FILE_NAME

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NO_STORE = "no-cache, no-store, must-revalidate"
IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=300"
_INLINE = re.compile(r"<(script|style)\b([^>]*)>(.*?)</\1\s*>", re.IGNORECASE | re.DOTALL)
_STYLE_ATTRIBUTE = re.compile(r"""<[a-zA-Z][^<>]*?\sstyle=(?:"([^"]*)"|'([^']*)')""")
_TYPE = re.compile(r"""\stype=["']?([^"'\s>]*)""", re.IGNORECASE)
_RUN_TYPES = {"", "text/javascript", "application/javascript", "text/ecmascript", "module"}
_CONTENT_NAMED = re.compile(rf"/(?:adass/files|voila/files/site/files)/{FILE_NAME}$")
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


def digest(text: str) -> str:
    """Return a CSP source for ``text``: ``'sha256-…'`` of its UTF-8 bytes.

    Examples
    --------
    >>> digest("alert(1)")
    "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
    """
    return f"'sha256-{base64.b64encode(hashlib.sha256(text.encode('utf-8')).digest()).decode('ascii')}'"


def inline_sources(html: str) -> tuple[list[str], list[str], list[str]]:
    """Return the hashes of a page's inline scripts, of its ``<style>`` elements and of its ``style`` attributes.

    A script with a ``src``, or of a type the browser does not run (JSON data), needs none.

    Examples
    --------
    >>> page = ('<style>p{}</style><script>go()</script><script src="a.js"></script>'
    ...         '<script type="text/javascript">run()</script>'
    ...         '<script type="application/json">{}</script><p style="color:red">x</p>')
    >>> scripts, styles, attributes = inline_sources(page)
    >>> scripts == sorted([digest("go()"), digest("run()")]), styles == [digest("p{}")], attributes == [digest("color:red")]
    (True, True, True)
    """
    scripts, styles = [], []
    for match in _INLINE.finditer(html):
        tag, attributes, body = match.group(1).lower(), match.group(2), match.group(3)
        if tag == "style":
            styles.append(digest(body))
        elif not re.search(r"\ssrc=", " " + attributes) and _script_type(attributes) in _RUN_TYPES:
            scripts.append(digest(body))
    found = {m.group(1) if m.group(1) is not None else m.group(2) for m in _STYLE_ATTRIBUTE.finditer(html)}
    return sorted(set(scripts)), sorted(set(styles)), sorted(digest(value) for value in found)


def _script_type(attributes: str) -> str:
    found = _TYPE.search(" " + attributes)
    return found.group(1).lower() if found else ""


def page_policy(html: str, front_end: bool = False, in_meta: bool = False) -> str:
    """Return the content-security policy of one page, made from what it holds.

    Parameters
    ----------
    html : str
        The whole page.
    front_end : bool
        The page loads Voilà's front end (widgets): scripts, styles and fonts from the server, and a websocket.
    in_meta : bool
        For a ``<meta http-equiv>``, which cannot carry ``frame-ancestors``.

    Examples
    --------
    >>> page_policy("<p>text</p>")
    "default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self' data:; connect-src 'none'; \
base-uri 'self'; form-action 'self'; object-src 'none'; frame-ancestors 'none'"
    >>> "connect-src 'self'" in page_policy("<p>text</p>", front_end=True)
    True
    """
    scripts, styles, attributes = inline_sources(html)
    if front_end:
        script_src = ["'self'", *scripts, "'unsafe-eval'"]  # JupyterLab compiles its settings' schemas (ajv)
        style_src = ["'self'", "'unsafe-inline'"]  # JupyterLab's front end adds style elements as it goes
    else:
        script_src = scripts or ["'none'"]
        style_src = ["'self'", *styles, *(["'unsafe-hashes'", *attributes] if attributes else [])]
    directives = [
        "default-src 'none'",
        f"script-src {' '.join(script_src)}",
        f"style-src {' '.join(style_src)}",
        "img-src 'self' data:" + (" blob:" if front_end else ""),
        *(["font-src 'self' data:"] if front_end else []),
        "connect-src 'self'" if front_end else "connect-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "object-src 'none'",
        *([] if in_meta else ["frame-ancestors 'none'"]),
    ]
    return "; ".join(directives)


def with_meta_policy(html: str) -> str:
    """Return a page with its policy in a ``<meta http-equiv>`` first in its ``<head>`` (for a file opened from disk).

    Examples
    --------
    >>> with_meta_policy("<html><head><title>t</title></head></html>").split('content="')[0]
    '<html><head><meta http-equiv="Content-Security-Policy" '
    """
    policy = page_policy(html, in_meta=True)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    head = re.search(r"<head[^>]*>", html, flags=re.IGNORECASE)
    return html[: head.end()] + meta + html[head.end() :] if head else meta + html


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
