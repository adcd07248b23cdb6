"""Each page rendered once per version of what it is made from; every reader gets that render.

A section page's output is fixed by its notebook and the views catalogue, and no page has a widget (its filters are
HTML), so nothing of a page depends on the reader. :class:`PageRenders` keeps, per notebook, the last render and the
version it was made from (:func:`page_version`). A reader of a page whose render is current gets it at once; the
first reader after a change (or after the server starts) waits for one render, and readers arriving meanwhile share
that render rather than start their own: at most one kernel per notebook is ever running for the renders.

A render that cannot be shared (a page with a widget, whose kernel belongs to one reader, or a page with an error
cell) is handed to the reader who asked for it and not kept.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Render:
    """One page as Voilà rendered it: its HTML, its content-security policy, and whether every reader may have it."""

    html: str
    policy: str
    shareable: bool = True


def page_version(*sources: Path) -> tuple[int, ...]:
    """Return the version of a page: the modification times of what it is made from (0 for a missing file).

    Examples
    --------
    >>> import tempfile
    >>> notebook = Path(tempfile.mkdtemp()) / "07-restrictions.ipynb"
    >>> page_version(notebook)
    (0,)
    >>> _ = notebook.write_text("{}")
    >>> page_version(notebook) > (0,)
    True
    """
    stamps = []
    for source in sources:
        try:
            stamps.append(source.stat().st_mtime_ns)
        except OSError:
            stamps.append(0)
    return tuple(stamps)


class PageRenders:
    """The current render of each page, and the renders under way (one per page at most).

    Examples
    --------
    >>> calls = []
    >>> async def render():
    ...     calls.append(1)
    ...     await asyncio.sleep(0.01)
    ...     return Render("<p>7</p>", "default-src 'none'")
    >>> async def three_readers(renders):
    ...     pages = await asyncio.gather(*(renders.page("07", (1,), render) for _ in range(3)))
    ...     return [page.html for page in pages], renders.current("07", (1,)) is pages[0]
    >>> from concurrent.futures import ThreadPoolExecutor  # a loop of its own, whatever runs in this thread
    >>> ThreadPoolExecutor(1).submit(asyncio.run, three_readers(PageRenders())).result(), len(calls)
    ((['<p>7</p>', '<p>7</p>', '<p>7</p>'], True), 1)
    """

    def __init__(self) -> None:
        self._done: dict[str, tuple[tuple, Render]] = {}
        self._under_way: dict[str, tuple[tuple, asyncio.Future]] = {}

    def current(self, page: str, version: tuple) -> Render | None:
        """Return the page's render if it was made from ``version``, else None."""
        done = self._done.get(page)
        return done[1] if done and done[0] == version else None

    def rendering(self, page: str, version: tuple) -> bool:
        """True while a render of ``version`` of the page is under way."""
        under_way = self._under_way.get(page)
        return bool(under_way and under_way[0] == version and not under_way[1].done())

    async def page(self, page: str, version: tuple, render: Callable[[], Awaitable[Render]]) -> Render:
        """Return the page's current render, waiting for the one under way or making it with ``render``."""
        done = self.current(page, version)
        if done is not None:
            return done
        if self.rendering(page, version):
            shared = await asyncio.shield(self._under_way[page][1])
            return shared if shared.shareable else await render()
        future = asyncio.get_running_loop().create_future()
        self._under_way[page] = (version, future)
        try:
            made = await render()
        except BaseException as error:
            future.set_exception(error)
            future.exception()  # retrieved: waiters get it, and nobody is warned of an unretrieved one
            raise
        finally:
            if self._under_way.get(page, (None, None))[1] is future:
                del self._under_way[page]
        if made.shareable:
            self._done[page] = (version, made)
        future.set_result(made)
        return made
