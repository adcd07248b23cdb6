"""Standalone Voilà with one change: a reader never waits for a kernel, and never gets an error for lack of one.

Voilà's page handler takes a preheated kernel when the section's pool holds one and otherwise starts a fresh kernel
and makes the reader wait while it runs the notebook (a dozen readers arriving together waited 99 s). Voilà offers
no hook for this choice: ``prelaunch_hook`` is refused together with ``preheat_kernel``, and the kernel manager cannot
answer a request. :class:`AdassVoila` is Voilà's own application with its page handler replaced by
:class:`FallbackVoilaHandler`, which decides before Voilà does:

* the section's pool has a kernel that has already run the notebook: Voilà's preheated path, unchanged (the kernel
  is recorded as handed out, so a page that never connects has it culled one idle timeout later);
* the pool is empty, or its next kernel is still being prepared: the section's static copy
  (``site/NN-name.html`` in the served folder, built by ``python -m adass_survey export``) at once, with a
  one-line note, while the pool refills behind;
* the server is at its kernel cap (:class:`~adass_survey.serve.kernels.GraceKernelManager`): the static copy too.
  The cap is also enforced in the kernel manager itself, which raises
  :class:`~adass_survey.serve.kernels.KernelCapReached` instead of starting a kernel; the handler turns that into
  the static copy as well, before anything of the page was sent.

A page with no widget on it (every section page: its filters are HTML) is sent without Voilà's front end, so nothing
will ever connect to its kernel, pooled or started for it: the kernel is stopped as soon as the page is sent.
The charts of the views not shown at first, and the downloads, leave the page as files
(:mod:`~adass_survey.serve.page_files`), served at ``/adass/files/`` by :class:`PageFileHandler`.

Without a static copy (pages not built), an empty pool falls back to Voilà's behaviour, and the cap to a short
"busy, try again in a minute" page (503): never a traceback.

``python -m adass_survey serve`` (and so ``scripts/serve.sh``) starts this application; plain ``voila`` still reads
the same ``voila.json`` / ``voila.py`` and gets the cap, but not the static fallback.
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
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler  # noqa: E402
from voila.tornado.handler import TornadoVoilaHandler  # noqa: E402

from .kernels import GraceKernelManager, KernelCapReached  # noqa: E402
from .page_files import FILE_NAME, externalize, page_files_dir  # noqa: E402

FRONT_END_MARK = 'type="application/vnd.voila.cell-output+json"'
"""What the ``adass`` template writes for a widget output, the only output Voilà's front end is loaded for."""
PAGE_KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{8,64})"')
SECTION = re.compile(r"^(\d{2}-[A-Za-z0-9_-]+)\.ipynb$")
NOTES = {
    "pool-empty": "This is the section's static copy, with the same figures, tables and filters: its live page is "
    "being prepared for the next reader.",
    "kernel-cap": "This is the section's static copy, with the same figures, tables and filters: the server is at its "
    "limit of live pages just now.",
}
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
    match = SECTION.match(notebook or "")
    return f"{match.group(1)}.html" if match else None


def fallback_page(static_html: str, note: str, base_href: str, live_href: str) -> str:
    """Return a static page with a one-line note at the top of its body and its links resolved from ``base_href``.

    The page is served at the live page's address, so ``<base href>`` (first thing in ``<head>``, before any
    content-security policy) keeps its relative links (other sections, the index) pointing at the static pages.

    Parameters
    ----------
    static_html : str
        The static page, as ``python -m adass_survey export`` wrote it.
    note : str
        The sentence to show (plain text).
    base_href : str
        URL of the folder of the static pages, e.g. ``/voila/files/site/``.
    live_href : str
        URL of the interactive page, linked from the note.

    Examples
    --------
    >>> page = fallback_page("<html><head><title>7</title></head><body class='x'><h1>7</h1></body></html>",
    ...                      "Static copy.", "/voila/files/site/", "/voila/render/07-restrictions.ipynb")
    >>> print(page)  # doctest: +NORMALIZE_WHITESPACE
    <html><head><base href="/voila/files/site/"><title>7</title></head><body class='x'><p class="adass-fallback-note"
    role="status">Static copy. <a href="/voila/render/07-restrictions.ipynb">Open the live page again</a></p><h1>7</h1></body></html>
    """
    base = f'<base href="{html.escape(base_href)}">'
    line = (
        f'<p class="adass-fallback-note" role="status">{html.escape(note)} '
        f'<a href="{html.escape(live_href)}">Open the live page again</a></p>'
    )
    head = re.search(r"<head[^>]*>", static_html, flags=re.IGNORECASE)
    page = static_html[: head.end()] + base + static_html[head.end() :] if head else base + static_html
    body = re.search(r"<body[^>]*>", page, flags=re.IGNORECASE)
    return page[: body.end()] + line + page[body.end() :] if body else line + page


class FallbackVoilaHandler(TornadoVoilaHandler):
    """Voilà's page handler, serving the section's static copy when no preheated kernel is ready or at the cap."""

    _cache: dict[Path, tuple[int, str]] = {}

    def initialize(self, **kwargs) -> None:
        """Take the folders of the static pages and of the page files, then initialise as Voilà's handler."""
        self.site_dir: Path = kwargs.pop("site_dir")
        self.files_dir: Path = kwargs.pop("files_dir")
        super().initialize(**kwargs)

    @tornado.web.authenticated
    async def get(self, path=None):
        """Serve the live page, or the static copy when a live page would make the reader wait for a kernel."""
        notebook = self.notebook_path or path
        manager = self.kernel_manager
        if isinstance(manager, GraceKernelManager) and notebook:
            manager.arrivals.note_request()
            reason = self._reason_for_static(manager, notebook)
            if reason and self._write_static(notebook, reason):
                return
        front_end, kernel_id = False, None
        files_url = url_path_join(self.base_url, "adass/files/")
        try:
            async for snippet in self.get_generator(path=path):
                front_end = front_end or FRONT_END_MARK in snippet
                if kernel_id is None:  # the page's kernel, pooled or started for it: its id is in the page's config
                    found = PAGE_KERNEL_ID.search(snippet)
                    kernel_id = found.group(1) if found else None
                self.write(externalize(snippet, self.files_dir, files_url))
                self.flush()
            if kernel_id and not front_end and isinstance(manager, GraceKernelManager):
                self.finish()  # no widget on the page, so nothing will connect: finish the page, then stop its kernel
                await manager.release(kernel_id)
        except KernelCapReached:
            if self._headers_written:  # cannot happen: Voilà starts the kernel before it sends anything
                raise
            self.clear()
            if not self._write_static(notebook, "kernel-cap"):
                self._write_busy()

    def _reason_for_static(self, manager: GraceKernelManager, notebook: str) -> str | None:
        custom = self.get_argument("template", None) is not None or self.get_argument("theme", None) is not None
        if manager.pooled(notebook) and not custom:
            kernel_id = manager.ready_pool_kernel(notebook)
            if kernel_id is not None:
                manager.mark_handed_out(kernel_id)  # Voilà takes exactly this kernel, with no await in between
                return None
            return "kernel-cap" if manager.at_cap() else "pool-empty"
        return "kernel-cap" if manager.at_cap() else None

    def _write_static(self, notebook: str, reason: str) -> bool:
        name = static_copy_name(notebook)
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
        base = self.base_url.rstrip("/")
        page = fallback_page(cached[1], NOTES[reason], f"{base}/voila/files/site/", f"{base}/voila/render/{notebook}")
        self.log.info("Static copy of %s served (%s)", notebook, reason)
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.set_header("Cache-Control", "no-cache, no-store, must-revalidate")
        self.set_header("X-Adass-Fallback", reason)
        self.finish(page)
        return True

    def _write_busy(self) -> None:
        self.set_status(503)
        self.set_header("Retry-After", "60")
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.set_header("Cache-Control", "no-cache, no-store, must-revalidate")
        self.set_header("X-Adass-Fallback", "kernel-cap")
        self.finish(BUSY_PAGE)


class BeaconShutdownHandler(VoilaShutdownKernelHandler):
    """Voilà's kernel shutdown when a page with widgets (the compare form) is closed, made to work.

    Voilà's front end sends it with ``navigator.sendBeacon``, which cannot carry the XSRF header, so jupyter_server
    refused every one (403, voila-dashboards/voila#1458) and a closed tab's kernel waited for culling. The kernel's id,
    a random UUID known only to the page it was made for, is what a cross-site request could not know.
    """

    def check_xsrf_cookie(self) -> None:
        """Accept the beacon without an XSRF token (see the class docstring)."""


class PageFileHandler(tornado.web.StaticFileHandler):
    """A page file: a chart of a view not shown at first, or a download. Read-only, named by its content.

    The route admits only a content hash and one of three types, so a request cannot name any other file.
    """

    def set_extra_headers(self, path: str) -> None:
        """A file never changes under its name: browsers keep it, and never guess another type for it."""
        self.set_header("Cache-Control", "public, max-age=31536000, immutable")
        self.set_header("X-Content-Type-Options", "nosniff")


class AdassVoila(Voila):
    """Standalone Voilà whose section pages are served by :class:`FallbackVoilaHandler`."""

    def init_handlers(self) -> list:
        """Voilà's handlers, with the page handler and the kernel shutdown on page close replaced, and page files."""
        site_dir = Path(self.root_dir) / "site"
        files_dir = page_files_dir()
        files_dir.mkdir(parents=True, exist_ok=True)
        handlers = [
            (url_path_join(self.server_url, rf"/adass/files/({FILE_NAME})"), PageFileHandler, {"path": str(files_dir)})
        ]
        for rule in super().init_handlers():
            if len(rule) == 3 and rule[1] is TornadoVoilaHandler:
                rule = (rule[0], FallbackVoilaHandler, {**rule[2], "site_dir": site_dir, "files_dir": files_dir})
            elif len(rule) == 2 and rule[1] is VoilaShutdownKernelHandler:
                rule = (rule[0], BeaconShutdownHandler)
            handlers.append(rule)
        return handlers
