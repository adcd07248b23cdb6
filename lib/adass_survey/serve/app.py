"""Standalone Voilà with one change: every page is rendered once per version, and every reader gets that render.

No section page needs its kernel once the page is made: its filters are HTML, and the compare page's form works in
the browser. Voilà's own page handler starts a kernel for each reader and runs the whole notebook (about 1.3 s of
processor each). :class:`RenderedPageHandler` asks Voilà for a page only when the page's notebook or the views
catalogue changed since its last render (:mod:`~adass_survey.serve.renders`), stops the render's kernel as soon as
the page is made, and sends that render to every reader:

* the render is current: it is sent at once;
* a render is under way and the section has a static copy (``site/NN-name.html``, built by
  ``python -m adass_survey export``): the copy, the same page for the reader, at once;
* otherwise the reader waits for the render under way, or starts it: one kernel per notebook at most.

When the server starts it renders every section once, one after another (:func:`warm_up`), so its first readers
wait for nothing. A page with a widget (none today) or an error cell is rendered for its reader and not kept.

A reader's query arguments are dropped (:func:`ignore_query`): none can change a page or start a kernel. The charts
of the views not shown at first, and the downloads, leave the page as files (:mod:`~adass_survey.pages.files`),
served at ``/adass/files/`` (:func:`page_files_route`). Every page gets its own security policy
(:mod:`~adass_survey.pages.policy`), every response the headers of :mod:`~adass_survey.serve.headers`; the routes
no page uses answer 404. Voilà has no setting for its handlers: :func:`use_adass_handlers` wraps its public
``Voila.init_handlers`` (``etc/jupyter/voila.py`` calls it, so plain ``voila`` serves as ``python -m adass_survey
serve`` does; ``tests/serve/test_handlers.py`` fails if Voilà's handlers change shape, and
``docs/upstream-voila-handlers.md`` is the request for a hook).
"""

from __future__ import annotations

import asyncio
import html
import os
import re
from pathlib import Path

import tornado.web
from jupyter_server.utils import url_path_join
from tornado.httpclient import AsyncHTTPClient
from tornado.ioloop import IOLoop
from voila.app import Voila
from voila.static_file_handler import AllowListFileHandler, TemplateStaticFileHandler
from voila.tornado.handler import TornadoVoilaHandler

from ..core.paths import STATIC_FOLDER
from ..pages.files import FILE_NAME, externalize, page_files_dir
from ..pages.nav import SECTION_PATTERN, static_page_name
from ..pages.policy import first_in_head, page_policy
from ..report.catalogue import MANIFEST, catalogue_dir
from .headers import SecurityHeaders, register_types
from .leftovers import claim_and_clean
from .renders import PageRenders, Render, page_version

FRONT_END_MARK = 'type="application/vnd.voila.cell-output+json"'
"""What the ``adass`` template writes for a widget output, the only output Voilà's front end is loaded for."""
ERROR_MARK = "There was an error when executing cell"
"""What Voilà writes in place of a failed cell's traceback: such a render is never kept."""
WARM_UP_HEADER = "X-Adass-Warm-Up"
"""Sent by :func:`warm_up`: no reader will see the page, so even a widget page's kernel is stopped once it is made."""
PAGE_KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{8,64})"')


def ignore_query(request) -> None:
    """Drop a request's query arguments: none is a reader's to give (an allow-list of none).

    Voilà reads ``?template=`` and ``?theme=`` and passes the query string to the kernel: a page rendered with one
    reader's arguments would be the render every reader gets.

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


class RenderedPageHandler(TornadoVoilaHandler):
    """Voilà's page handler, sending each page's current render (:mod:`~adass_survey.serve.renders`)."""

    renders = PageRenders()
    """The renders of this server process (one per page)."""

    def initialize(self, **kwargs) -> None:
        """Take the folders of the notebooks, of the static pages and of the page files, then initialise as Voilà's."""
        self.root_dir: Path = kwargs.pop("root_dir")
        self.site_dir: Path = kwargs.pop("site_dir")
        self.site_url: str = kwargs.pop("site_url")
        self.files_dir: Path = kwargs.pop("files_dir")
        super().initialize(**kwargs)

    @tornado.web.authenticated
    async def get(self, path=None):
        """Send the page's current render, its static copy while it is being rendered, or a render made now."""
        if self.notebook_path and path:  # one notebook served: the links to other sections lead to their copies
            self.redirect(self._static_address(path))
            return
        ignore_query(self.request)  # no reader's argument changes a page, nor so starts a kernel
        notebook = self.notebook_path or path
        if Path(notebook).suffix.lower() != ".ipynb":  # as Voilà does: any other file is served as a file, or not
            self.redirect_to_file(path)
            return
        version = page_version(self.root_dir / notebook, catalogue_dir() / MANIFEST)
        page = self.renders.current(notebook, version)
        if page is None and self.renders.rendering(notebook, version) and self._write_static(notebook):
            return
        if page is None:
            page = await self.renders.page(notebook, version, lambda: self._render(path))
        self.set_header("Content-Security-Policy", page.policy)
        self.finish(page.html)  # whole, so that its policy names its scripts

    async def _render(self, path) -> Render:
        """Have Voilà render the page, stop its kernel if no widget needs it, and move its payload to files."""
        page = "".join([snippet async for snippet in self.get_generator(path=path)])
        kernel_id = PAGE_KERNEL_ID.search(page)
        front_end = FRONT_END_MARK in page
        if kernel_id and (not front_end or self.request.headers.get(WARM_UP_HEADER)):
            await self.kernel_manager.shutdown_kernel(kernel_id.group(1), now=True)  # nothing will connect to it
        page = externalize(page, self.files_dir, url_path_join(self.base_url, "adass/files/"))
        shareable = not front_end and ERROR_MARK not in page and self.get_status() < 300
        if shareable:
            self.log.info("Rendered %s: every reader gets this render", self.notebook_path or path)
        return Render(page, page_policy(page, front_end=front_end), shareable)

    def _static_address(self, path: str) -> str:
        """Where a link of a page served alone leads: its own page, or another section's static copy."""
        name = static_page_name(Path(path).name)
        if name is None or Path(path).name == Path(self.notebook_path).name:
            return url_path_join(self.base_url, "/")
        return url_path_join(self.base_url, self.site_url, name)

    def _write_static(self, notebook: str) -> bool:
        """Send the section's static copy at the page's own address, if it has one; True when sent.

        The copy is the same page for the reader (the same views and filters), so it says nothing about being one
        (the ``X-Adass-Fallback`` header does, for tests and operators). A ``<base href>`` keeps its relative links
        (other sections, the index, its files) pointing at the static pages.
        """
        name = static_page_name(Path(notebook).name)
        try:
            static_html = (self.site_dir / name).read_text(encoding="utf-8") if name else None
        except OSError:
            static_html = None
        if static_html is None:
            return False
        base = url_path_join(self.base_url, self.site_url)
        page = first_in_head(static_html, f'<base href="{html.escape(base)}">')
        self.set_header("X-Adass-Fallback", "rendering")
        self.set_header("Content-Security-Policy", page_policy(page))
        self.finish(page)
        return True


class SafeTemplateStaticFileHandler(TemplateStaticFileHandler):
    """Voilà's template files, with 404 for a path that names no template file (Voilà's own answered 500)."""

    def parse_url_path(self, path: str) -> str:
        """Refuse a path not of the form ``TEMPLATE/static/FILE`` before Voilà's handler trips on it."""
        if len(path.split("/", 2)) != 3 or path.split("/", 2)[1] != "static":
            raise tornado.web.HTTPError(404)
        return super().parse_url_path(path)


class PolicyFileHandler(AllowListFileHandler):
    """Voilà's allow-listed files, a static page with the content-security policy of its content.

    The file goes out in pieces, so :class:`~adass_survey.serve.headers.SecurityHeaders` never sees a whole page:
    the policy is made here, once per version of the file.
    """

    _policies: dict[str, tuple[int, str]] = {}

    def set_extra_headers(self, path: str) -> None:
        """Give a static page the policy of its content."""
        absolute = self.absolute_path or ""
        if absolute.endswith(".html"):
            stamp = os.stat(absolute).st_mtime_ns
            cached = self._policies.get(absolute)
            if cached is None or cached[0] != stamp:
                cached = (stamp, page_policy(Path(absolute).read_text(encoding="utf-8", errors="replace")))
                self._policies[absolute] = cached
            self.set_header("Content-Security-Policy", cached[1])


CLOSED = re.compile(r".*/(?:voila/api/(?:contents|themes)|login|logout)\b")
"""Routes of Voilà's that no reader's page uses: the contents API (notebook names, folders and times), the themes API
(the template brings its own styles) and the login pages (readers never log in). Without them they answer 404."""


def adass_handlers(app: Voila, rules: list) -> list:
    """Return Voilà's handlers as the dashboards serve them: the page handler and
    the file handlers replaced, the routes no page uses left out, and the page files added.

    Raises ``RuntimeError`` if Voilà's own page handler is not among ``rules`` (a Voilà this was not made for).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> from tornado.web import Application, RequestHandler
    >>> app = SimpleNamespace(app=Application(), server_url="/", root_dir="notebooks", notebook_path=None)
    >>> rules = [("/voila/api/contents(.*)", RequestHandler), ("/logout", RequestHandler),
    ...          ("/voila/render/(.*)", TornadoVoilaHandler, {})]
    >>> [(rule[0], rule[1].__name__) for rule in adass_handlers(app, rules)][1:]
    [('/voila/render/(.*)', 'RenderedPageHandler')]
    >>> SecurityHeaders in app.app.transforms
    True
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
    handlers = [page_files_route(app.server_url, files_dir)]
    replaced = {TemplateStaticFileHandler: SafeTemplateStaticFileHandler, AllowListFileHandler: PolicyFileHandler}
    pages = 0
    for rule in rules:
        if CLOSED.match(rule[0]):
            continue
        if len(rule) == 3 and rule[1] is TornadoVoilaHandler:
            rule, pages = (rule[0], RenderedPageHandler, {**rule[2], **_page_folders(app, files_dir)}), pages + 1
        elif rule[1] in replaced:
            rule = (rule[0], replaced[rule[1]], *rule[2:])
        handlers.append(rule)
    if not pages:
        raise RuntimeError("Voilà's page handler (TornadoVoilaHandler) is not among its handlers: unsupported Voilà")
    return handlers


def page_files_route(server_url: str, files_dir: Path) -> tuple:
    """Return the route of the page files in ``files_dir``, served read-only at ``/adass/files/``.

    The route admits only a content hash and one of three types, so a request cannot name any other file; the
    headers of :class:`~adass_survey.serve.headers.SecurityHeaders` have browsers keep a file for good (it never
    changes under its name).

    Examples
    --------
    >>> route, handler, _ = page_files_route("/", Path("data/page_files"))
    >>> bool(re.fullmatch(route, "/adass/files/" + "0" * 32 + ".png")), re.fullmatch(route, "/adass/files/a.py")
    (True, None)
    """
    route = url_path_join(server_url, rf"/adass/files/({FILE_NAME})")
    return route, tornado.web.StaticFileHandler, {"path": str(files_dir)}


def _page_folders(app: Voila, files_dir: Path) -> dict:
    folder = Path(os.path.relpath(app.notebook_path, app.root_dir)).parent if app.notebook_path else Path()
    site = folder / STATIC_FOLDER
    return {
        "root_dir": Path(app.root_dir),
        "site_dir": Path(app.root_dir) / site,
        "site_url": f"voila/files/{site.as_posix()}/",
        "files_dir": files_dir,
    }


def warm_up_paths(app: Voila) -> list[str]:
    """Return the addresses of the pages a server renders when it starts: each section, or the one notebook.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> app = SimpleNamespace(server_url="/", root_dir="notebooks", notebook_path=None)
    >>> warm_up_paths(app)[:2]
    ['/voila/render/00-index.ipynb', '/voila/render/01-introduction-method-cohort.ipynb']
    """
    if app.notebook_path:
        return [url_path_join(app.server_url, "/")]
    names = sorted(path.name for path in Path(app.root_dir).glob("*.ipynb") if SECTION_PATTERN.match(path.name))
    return [url_path_join(app.server_url, "voila/render", name) for name in names]


async def warm_up(app: Voila) -> None:
    """Render every page once, one after another, so that the first readers wait for nothing.

    Examples
    --------
    >>> import logging, tempfile
    >>> from types import SimpleNamespace
    >>> empty = SimpleNamespace(server_url="/", root_dir=tempfile.mkdtemp(), notebook_path=None, ip="", port=1,
    ...                         log=logging.getLogger("adass_survey.serve"))
    >>> from concurrent.futures import ThreadPoolExecutor  # a loop of its own, whatever runs in this thread
    >>> ThreadPoolExecutor(1).submit(asyncio.run, warm_up(empty)).result()  # no section: nothing is requested
    """
    host = "127.0.0.1" if app.ip in ("", "0.0.0.0", "::", "localhost") else app.ip
    client = AsyncHTTPClient()
    for path in warm_up_paths(app):
        url = f"http://{host}:{app.port}{path}"
        for _attempt in range(50):  # the server may not listen yet
            try:
                await client.fetch(url, headers={WARM_UP_HEADER: "1"}, request_timeout=600, raise_error=False)
                break
            except OSError:  # not listening yet
                await asyncio.sleep(0.2)
    app.log.info("Every page rendered once: readers get the renders")


def use_adass_handlers() -> None:
    """Make every standalone Voilà of this process serve :func:`adass_handlers` and render its pages when it starts
    (``etc/jupyter/voila.py`` calls it, so plain ``voila`` gets them as ``python -m adass_survey serve`` does). Safe to
    call more than once.

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
        handlers = adass_handlers(self, original(self))
        IOLoop.current().spawn_callback(warm_up, self)
        return handlers

    init_handlers.adass = True
    Voila.init_handlers = init_handlers
