"""Each page rendered once per version, shared by every reader; a render that cannot be shared is never kept."""

from __future__ import annotations

import asyncio
import os

import pytest

from adass_survey.serve.renders import PageRenders, Render, page_version

from .event_loop import run_on_own_thread


def _renderer(calls: list[str], html: str = "<p>7</p>", shareable: bool = True, delay: float = 0.05):
    async def render() -> Render:
        calls.append(html)
        await asyncio.sleep(delay)
        return Render(html, "default-src 'none'", shareable)

    return render


def test_readers_arriving_together_share_one_render() -> None:
    calls: list[str] = []
    renders = PageRenders()

    async def crowd():
        return await asyncio.gather(*(renders.page("07", (1,), _renderer(calls)) for _ in range(12)))

    pages = run_on_own_thread(crowd())
    assert len(calls) == 1
    assert {page.html for page in pages} == {"<p>7</p>"}
    assert renders.current("07", (1,)) is pages[0]


def test_a_new_version_is_rendered_again_and_the_old_one_is_not_served() -> None:
    calls: list[str] = []
    renders = PageRenders()
    run_on_own_thread(renders.page("07", (1,), _renderer(calls, "<p>old</p>")))
    assert renders.current("07", (2,)) is None
    page = run_on_own_thread(renders.page("07", (2,), _renderer(calls, "<p>new</p>")))
    assert page.html == "<p>new</p>" and calls == ["<p>old</p>", "<p>new</p>"]
    assert renders.current("07", (1,)) is None


def test_each_page_has_its_own_render() -> None:
    calls: list[str] = []
    renders = PageRenders()

    async def two_pages():
        return await asyncio.gather(
            renders.page("07", (1,), _renderer(calls, "<p>7</p>")),
            renders.page("02", (1,), _renderer(calls, "<p>2</p>")),
        )

    assert [page.html for page in run_on_own_thread(two_pages())] == ["<p>7</p>", "<p>2</p>"]


def test_a_render_that_cannot_be_shared_is_not_kept_and_each_reader_gets_their_own() -> None:
    calls: list[str] = []
    renders = PageRenders()

    async def crowd():
        return await asyncio.gather(*(renders.page("90", (1,), _renderer(calls, shareable=False)) for _ in range(3)))

    run_on_own_thread(crowd())
    assert len(calls) == 3  # a widget page's kernel belongs to its reader
    assert renders.current("90", (1,)) is None


def test_a_failed_render_reaches_its_waiters_and_the_next_reader_tries_again() -> None:
    renders = PageRenders()
    attempts: list[int] = []

    async def failing() -> Render:
        attempts.append(1)
        await asyncio.sleep(0.05)
        raise RuntimeError("kernel died")

    async def crowd():
        return await asyncio.gather(*(renders.page("07", (1,), failing) for _ in range(3)), return_exceptions=True)

    results = run_on_own_thread(crowd())
    assert len(attempts) == 1 and all(isinstance(result, RuntimeError) for result in results)
    assert not renders.rendering("07", (1,))
    calls: list[str] = []
    assert run_on_own_thread(renders.page("07", (1,), _renderer(calls))).html == "<p>7</p>"


def test_rendering_is_true_only_while_a_render_is_under_way() -> None:
    renders = PageRenders()
    seen: list[bool] = []

    async def watch():
        task = asyncio.ensure_future(renders.page("07", (1,), _renderer([])))
        await asyncio.sleep(0.01)
        seen.append(renders.rendering("07", (1,)))
        seen.append(renders.rendering("07", (2,)))
        await task
        seen.append(renders.rendering("07", (1,)))

    run_on_own_thread(watch())
    assert seen == [True, False, False]


def test_page_version_changes_when_a_source_changes(tmp_path) -> None:
    notebook, manifest = tmp_path / "07.ipynb", tmp_path / "manifest.json"
    notebook.write_text("{}")
    manifest.write_text("{}")
    before = page_version(notebook, manifest)
    os.utime(manifest, ns=(before[1] + 10**9, before[1] + 10**9))
    after = page_version(notebook, manifest)
    assert after[0] == before[0] and after[1] != before[1]
    manifest.unlink()
    assert page_version(notebook, manifest)[1] == 0


@pytest.mark.parametrize("shareable", [True, False])
def test_render_says_whether_it_is_shared(shareable: bool) -> None:
    renders = PageRenders()
    run_on_own_thread(renders.page("07", (1,), _renderer([], shareable=shareable)))
    assert (renders.current("07", (1,)) is not None) is shareable
