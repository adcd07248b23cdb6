"""A page's content-security policy, made from the page's own content.

A page's policy allows exactly what the page holds and nothing else (:func:`page_policy`): its inline scripts and
styles by their SHA-256 hashes (``'unsafe-hashes'`` for its ``style="…"`` attributes), images from the server and
``data:`` (the charts shown at first), and no connection at all. A page with Voilà's front end (widgets) also loads
scripts, styles and fonts from the server and opens its kernel's websocket, and JupyterLab's front end inserts styles
as it goes: its policy allows those. The live pages send it as a header (:mod:`~adass_survey.serve.app`), the static
pages carry it in a ``<meta http-equiv>`` (:func:`with_meta_policy`, for a page opened from disk) and nginx sends it
for them (:mod:`~adass_survey.serve.deploy`).
"""

from __future__ import annotations

import base64
import hashlib
import re

_INLINE = re.compile(r"<(script|style)\b([^>]*)>(.*?)</\1\s*>", re.IGNORECASE | re.DOTALL)
_STYLE_ATTRIBUTE = re.compile(r"""<[a-zA-Z][^<>]*?\sstyle=(?:"([^"]*)"|'([^']*)')""")
_TYPE = re.compile(r"""\stype=["']?([^"'\s>]*)""", re.IGNORECASE)
_RUN_TYPES = {"", "text/javascript", "application/javascript", "text/ecmascript", "module"}
_HEAD = re.compile(r"<head[^>]*>", re.IGNORECASE)


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
    return first_in_head(html, f'<meta http-equiv="Content-Security-Policy" content="{policy}">')


def first_in_head(html: str, markup: str) -> str:
    """Return a page with ``markup`` first in its ``<head>`` (before everything, if it has none).

    Examples
    --------
    >>> first_in_head("<html><head><title>7</title></head></html>", '<base href="/site/">')
    '<html><head><base href="/site/"><title>7</title></head></html>'
    >>> first_in_head("<p>7</p>", "<meta>")
    '<meta><p>7</p>'
    """
    head = _HEAD.search(html)
    return html[: head.end()] + markup + html[head.end() :] if head else markup + html
