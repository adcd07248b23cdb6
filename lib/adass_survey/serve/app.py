"""Standalone Voilà with one change: a reader never waits for a kernel, and never gets an error for lack of one.

Voilà's page handler takes a preheated kernel when the section's pool holds one and otherwise starts a fresh kernel
and makes the reader wait while it runs the notebook (a dozen readers arriving together waited 99 s). Voilà offers
no hook for this choice: ``prelaunch_hook`` is refused together with ``preheat_kernel``, and the kernel manager cannot
answer a request. :func:`adass_handlers` gives Voilà's own application its page handler replaced by
:class:`FallbackVoilaHandler`, which decides before Voilà does:

* the section's pool has a kernel that has already run the notebook: Voilà's preheated path, unchanged (the kernel
  is recorded as handed out, so a page that never connects has it culled one idle timeout later);
* the pool is empty, or its next kernel is still being prepared: the section's static copy
  (``site/NN-name.html`` in the served folder, built by ``python -m adass_survey export``) at once, while the pool
  refills behind;
* the server is at its kernel cap (:class:`~adass_survey.serve.kernels.GraceKernelManager`): the static copy too.
  The cap is also enforced in the kernel manager itself, which raises
  :class:`~adass_survey.serve.kernels.KernelCapReached` instead of starting a kernel; the handler turns that into
  the static copy as well, before anything of the page was sent;
* a notebook without a pool (preheating switched off) gets a fresh kernel, under the cap.

A reader's query arguments are dropped (:func:`ignore_query`): none can pass the pool by or change a page.

A page with no widget on it (every section page: its filters are HTML) is sent without Voilà's front end, so nothing
will ever connect to its kernel, pooled or started for it: the kernel is stopped as soon as the page is sent.
The charts of the views not shown at first, and the downloads, leave the page as files
(:mod:`~adass_survey.serve.page_files`), served at ``/adass/files/`` by :class:`PageFileHandler`.

Without a static copy (pages not built), an empty pool falls back to Voilà's behaviour, and the cap to a short
"busy, try again in a minute" page (503): never a traceback.

Every response also gets the headers of :mod:`~adass_survey.serve.headers`; the routes no page uses answer 404.
``voila.py`` installs all this (:func:`use_adass_handlers`), so ``python -m adass_survey serve`` (and so
``scripts/serve.sh``) and plain ``voila`` from the repository root serve the same.
"""

from __future__ import annotations

import html
import os
import re
import sys
from pathlib import Path

import tornado.web


def _import_voila() -> None:
    # The repository root holds Voilà's configuration file voila.py, which shadows the voila package whenever Python
    # runs from there (`python -m adass_survey serve`, `python -m pytest`): import the package with it out of the way.
    saved = list(sys.path)
    sys.path[:] = [entry for entry in sys.path if not (Path(entry or os.curdir) / "voila.py").is_file()]
    try:
        import voila.app  # noqa: F401
        import voila.tornado.handler  # noqa: F401
    finally:
        sys.path[:] = saved


_import_voila()

from jupyter_server.utils import url_path_join  # noqa: E402
from voila.app import Voila  # noqa: E402
from voila.static_file_handler import AllowListFileHandler, TemplateStaticFileHandler  # noqa: E402
from voila.tornado.handler import TornadoVoilaHandler  # noqa: E402

from .headers import SecurityHeaders, cache_control, page_policy, register_types  # noqa: E402
from .kernels import GraceKernelManager, KernelCapReached  # noqa: E402
from .leftovers import claim_and_clean  # noqa: E402
from .nav import SECTION_PATTERN  # noqa: E402
from .page_files import FILE_NAME, externalize, page_files_dir  # noqa: E402

FRONT_END_MARK = 'type="application/vnd.voila.cell-output+json"'
"""What the ``adass`` template writes for a widget output, the only output Voilà's front end is loaded for."""
PAGE_KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{8,64})"')
BUSY_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Busy</title></head>
<body><p>This section is busy just now. Please try again in a minute.</p></body></html>
"""


def static_copy_name(notebook: str) -> str | None:
    """Return the file name of a section's static copy, or None for anything but a top-level section notebook.

    Examples
    --------
    >>> static_copy_name("07-restrictions.ipynb")
    '07-restrictions.html'
    >>> static_copy_name("../07-restrictions.ipynb") is None, static_copy_name("notes.ipynb") is None
    (True, True)
    """
    match = SECTION_PATTERN.match(notebook or "")
    return f"{match.group(1)}-{match.group(2)}.html" if match else None


def fallback_page(static_html: str, base_href: str) -> str:
    """Return a static page with its links resolved from ``base_href``: the page served at the live page's address.

    The copy is the same page for the reader (the same views and filters), so it says nothing about being one (the
    response's ``X-Adass-Fallback`` header does, for tests and operators). ``<base href>`` (first thing in
    ``<head>``) keeps its relative links (other sections, the index, its files) pointing at the static pages.

    Examples
    --------
    >>> fallback_page("<html><head><title>7</title></head><body><h1>7</h1></body></html>", "/voila/files/site/")
    '<html><head><base href="/voila/files/site/"><title>7</title></head><body><h1>7</h1></body></html>'
    """
    base = f'<base href="{html.escape(base_href)}">'
    head = re.search(r"<head[^>]*>", static_html, flags=re.IGNORECASE)
    return static_html[: head.end()] + base + static_html[head.end() :] if head else base + static_html


def ignore_query(request) -> None:
    """Drop a request's query arguments: none is a reader's to give (an allow-list of none).

    Voilà reads ``?template=`` and ``?theme=`` (and passes the query string to the kernel): with either, it passed
    the preheated kernel by and started a fresh one for the request, about 1.3 s of processor each, and 47 such
    requests from one client filled the kernel cap for everyone.

    Examples
    --------
    >>> from tornado.httputil import HTTPHeaders, HTTPServerRequest, RequestStartLine
    >>> line = RequestStartLine("GET", "/voila/render/07-restrictions.ipynb?template=lab&theme=dark", "HTTP/1.1")
    >>> request = HTTPServerRequest(start_line=line, headers=HTTPHeaders({"Host": "127.0.0.1"}))
    >>> ignore_query(request)
    >>> request.query, request.arguments, request.uri
    ('', {}, '/voila/render/07-restrictions.ipynb')
    """
    request.query, request.uri = "", request.path
    request.arguments, request.query_arguments = {}, {}


class FallbackVoilaHandler(TornadoVoilaHandler):
    """Voilà's page handler, serving the section's static copy when no preheated kernel is ready or at the cap."""

    _cache: dict[Path, tuple[int, str]] = {}

    def initialize(self, **kwargs) -> None:
        """Take the folders of the static pages and of the page files, then initialise as Voilà's handler."""
        self.site_dir: Path = kwargs.pop("site_dir")
        self.site_url: str = kwargs.pop("site_url")
        self.files_dir: Path = kwargs.pop("files_dir")
        super().initialize(**kwargs)

    @tornado.web.authenticated
    async def get(self, path=None):
        """Serve the live page, or the static copy when a live page would make the reader wait for a kernel."""
        notebook = self.notebook_path or path
        manager = self.kernel_manager
        if self.notebook_path and path:  # one notebook served: the links to other sections lead to their copies
            self.redirect(self._static_address(path))
            return
        ignore_query(self.request)  # no reader's argument changes a page, nor so passes the preheated kernels by
        if isinstance(manager, GraceKernelManager) and notebook:
            manager.arrivals.note_request()
            reason = self._reason_for_static(manager, notebook)
            if reason and self._write_static(notebook, reason):
                return
        try:
            snippets = [snippet async for snippet in self.get_generator(path=path)]
        except KernelCapReached:
            if not self._write_static(notebook, "kernel-cap"):
                self._write_busy()
            return
        page = "".join(snippets)
        kernel_id = PAGE_KERNEL_ID.search(page)  # the page's kernel, pooled or started for it
        front_end = FRONT_END_MARK in page
        page = externalize(page, self.files_dir, url_path_join(self.base_url, "adass/files/"))
        if self._status_code < 300:  # a redirect (single-notebook mode given another path) has nothing to add
            self.set_header("Content-Security-Policy", page_policy(page, front_end=front_end))
            self.finish(page)  # whole, so that its policy can name its scripts
        if kernel_id and not front_end and isinstance(manager, GraceKernelManager):
            await manager.release(kernel_id.group(1))  # no widget on the page, so nothing will connect: stop it

    def _static_address(self, path: str) -> str:
        """Where a link of a page served alone leads: its own page, or another section's static copy."""
        name = static_copy_name(Path(path).name)
        if name is None or Path(path).name == Path(self.notebook_path).name:
            return url_path_join(self.base_url, "/")
        return url_path_join(self.base_url, self.site_url, name)

    def _reason_for_static(self, manager: GraceKernelManager, notebook: str) -> str | None:
        if manager.pooled(notebook):
            kernel_id = manager.ready_pool_kernel(notebook)
            if kernel_id is not None:
                manager.mark_handed_out(kernel_id)  # Voilà takes exactly this kernel, with no await in between
                return None
            return "kernel-cap" if manager.at_cap() else "pool-empty"
        return "kernel-cap" if manager.at_cap() else None

    def _write_static(self, notebook: str, reason: str) -> bool:
        name = static_copy_name(Path(notebook).name)
        path = self.site_dir / name if name else None
        try:
            stat = path.stat() if path else None
        except OSError:
            stat = None
        if stat is None:
            return False
        cached = self._cache.get(path)
        if cached is None or cached[0] != stat.st_mtime_ns:
            cached = (stat.st_mtime_ns, path.read_text(encoding="utf-8"))
            self._cache[path] = cached
        page = fallback_page(cached[1], url_path_join(self.base_url, self.site_url))
        self.log.info("Static copy of %s served (%s)", notebook, reason)
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.set_header("Cache-Control", "no-cache, no-store, must-revalidate")
        self.set_header("X-Adass-Fallback", reason)
        self.set_header("Content-Security-Policy", page_policy(page))
        self.finish(page)
        return True

    def _write_busy(self) -> None:
        self.set_status(503)
        self.set_header("Retry-After", "60")
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.set_header("Cache-Control", "no-cache, no-store, must-revalidate")
        self.set_header("X-Adass-Fallback", "kernel-cap")
        self.finish(BUSY_PAGE)


class PageFileHandler(tornado.web.StaticFileHandler):
    """A page file: a chart of a view not shown at first, or a download. Read-only, named by its content.

    The route admits only a content hash and one of three types, so a request cannot name any other file.
    """

    def set_extra_headers(self, path: str) -> None:
        """A file never changes under its name: browsers keep it, and never guess another type for it."""
        self.set_header("Cache-Control", "public, max-age=31536000, immutable")
        self.set_header("X-Content-Type-Options", "nosniff")


class SafeTemplateStaticFileHandler(TemplateStaticFileHandler):
    """Voilà's template files, with 404 for a path that names no template file (Voilà's own answered 500)."""

    def parse_url_path(self, path: str) -> str:
        """Refuse a path not of the form ``TEMPLATE/static/FILE`` before Voilà's handler trips on it."""
        if len(path.split("/", 2)) != 3 or path.split("/", 2)[1] != "static":
            raise tornado.web.HTTPError(404)
        return super().parse_url_path(path)


class PolicyFileHandler(AllowListFileHandler):
    """Voilà's allow-listed files, a static page with its own content-security policy, each file cached by kind."""

    _policies: dict[str, tuple[int, str]] = {}

    def set_extra_headers(self, path: str) -> None:
        """A static page gets the policy of its content; content-named files are kept for good, pages never."""
        absolute = self.absolute_path or ""
        if absolute.endswith(".html"):
            stamp = os.stat(absolute).st_mtime_ns
            cached = self._policies.get(absolute)
            if cached is None or cached[0] != stamp:
                cached = (stamp, page_policy(Path(absolute).read_text(encoding="utf-8", errors="replace")))
                self._policies[absolute] = cached
            self.set_header("Content-Security-Policy", cached[1])
        self.set_header(
            "Cache-Control", cache_control(self.request.path, "text/html" if absolute.endswith(".html") else "")
        )


CLOSED = re.compile(r".*/(?:voila/api/(?:contents|themes)|login|logout)\b")
"""Routes of Voilà's that no reader's page uses: the contents API (notebook names, folders and times), the themes API
(the template brings its own styles) and the login pages (readers never log in). Without them they answer 404."""


def adass_handlers(app: Voila, rules: list) -> list:
    """Return Voilà's handlers as the dashboards serve them: the page handler and
    the file handlers replaced, the routes no page uses left out, and the page files added.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> from tornado.web import Application, RequestHandler
    >>> app = SimpleNamespace(app=Application(), server_url="/", root_dir="notebooks", notebook_path=None)
    >>> rules = [("/voila/api/contents(.*)", RequestHandler), ("/logout", RequestHandler), ("/x", RequestHandler)]
    >>> [rule[0] for rule in adass_handlers(app, rules)][1:], SecurityHeaders in app.app.transforms
    (['/x'], True)
    """
    register_types()
    if getattr(app, "connection_dir", None):
        removed = claim_and_clean(Path(app.connection_dir))
        if removed:
            app.log.info("Removed %d connection folders that stopped servers left behind", removed)
    if SecurityHeaders not in app.app.transforms:
        app.app.transforms.insert(0, SecurityHeaders)  # first: it reads a page before any compression
    files_dir = page_files_dir()
    files_dir.mkdir(parents=True, exist_ok=True)
    handlers = [
        (url_path_join(app.server_url, rf"/adass/files/({FILE_NAME})"), PageFileHandler, {"path": str(files_dir)})
    ]
    replaced = {
        TemplateStaticFileHandler: SafeTemplateStaticFileHandler,
        AllowListFileHandler: PolicyFileHandler,
    }
    for rule in rules:
        if CLOSED.match(rule[0]):
            continue
        if len(rule) == 3 and rule[1] is TornadoVoilaHandler:
            site = (
                Path(os.path.relpath(app.notebook_path, app.root_dir)).parent if app.notebook_path else Path()
            ) / "site"
            extra = {
                "site_dir": Path(app.root_dir) / site,
                "site_url": f"voila/files/{site.as_posix()}/",
                "files_dir": files_dir,
            }
            rule = (rule[0], FallbackVoilaHandler, {**rule[2], **extra})
        elif rule[1] in replaced:
            rule = (rule[0], replaced[rule[1]], *rule[2:])
        handlers.append(rule)
    return handlers


def use_adass_handlers() -> None:
    """Make every standalone Voilà of this process serve :func:`adass_handlers` (``voila.py`` calls it, so plain
    ``voila`` gets them as ``python -m adass_survey serve`` does). Safe to call more than once.

    Examples
    --------
    >>> use_adass_handlers()
    >>> use_adass_handlers()  # once only: the handlers are not changed twice
    >>> Voila.init_handlers.adass
    True
    """
    original = Voila.init_handlers
    if getattr(original, "adass", False):
        return

    def init_handlers(self) -> list:
        return adass_handlers(self, original(self))

    init_handlers.adass = True
    Voila.init_handlers = init_handlers
