"""Pool refills wait while a crowd of readers arrives: pages prepared for later readers do not slow the crowd."""

from __future__ import annotations

import asyncio
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adass_survey.serve.arrivals import PageArrivals, seconds_to_wait
from adass_survey.serve.kernels import GraceKernelManager, KernelCapReached

from .event_loop import run_on_own_thread

moments = st.floats(min_value=0, max_value=1e4, allow_nan=False)


@given(
    requests=st.lists(moments, max_size=30),
    since=moments,
    now=moments,
    quiet=st.floats(0.1, 100),
    crowd=st.integers(1, 10),
    limit=st.floats(0, 1000),
)
def test_a_refill_never_waits_past_its_limit_nor_without_a_crowd(requests, since, now, quiet, crowd, limit) -> None:
    wait = seconds_to_wait(requests, since, now, quiet, crowd, limit)
    assert 0 <= wait <= max(0.0, since + limit - now) + 1e-9
    if sum(now - quiet < t <= now for t in requests) < crowd:
        assert wait == 0
    elif since + limit > now:
        assert wait > 0, "a crowd is arriving and the limit is not reached, yet the refill starts"


async def _pages(arrivals: PageArrivals, every: float, count: int | None, stop: list[bool]) -> float:
    """Ask for a page every ``every`` seconds, ``count`` times (or until ``stop``); return when the last came."""
    asked = 0
    while (count is None or asked < count) and not stop:
        arrivals.note_request()
        asked += 1
        await asyncio.sleep(every)
    return time.monotonic() - every


def test_the_wait_lasts_while_the_crowd_arrives() -> None:
    async def scenario() -> tuple[float, float]:
        arrivals = PageArrivals()
        crowd = asyncio.ensure_future(_pages(arrivals, every=0.05, count=12, stop=[]))  # 12 pages in 0.6 s
        await asyncio.sleep(0.2)  # a refill falls due among them
        waited = await arrivals.wait_for_quiet(quiet=0.3, crowd=4, limit=10)
        return waited, time.monotonic() - await crowd

    waited, after_last = run_on_own_thread(scenario())
    assert waited >= 0.45, f"the refill started after {waited:.2f} s, while pages still arrived"
    assert after_last >= 0.1, "the refill started before the crowd had passed"


def _wait_among_steady_pages(every: float, head_start: float, limit: float) -> float:
    """Seconds a refill waits (quiet 0.3 s, crowd 4) while a page is asked for every ``every`` seconds throughout."""

    async def scenario() -> float:
        arrivals = PageArrivals()
        stop: list[bool] = []
        traffic = asyncio.ensure_future(_pages(arrivals, every=every, count=None, stop=stop))
        await asyncio.sleep(head_start)
        try:
            return await asyncio.wait_for(arrivals.wait_for_quiet(quiet=0.3, crowd=4, limit=limit), timeout=5)
        finally:
            stop.append(True)
            await traffic

    return run_on_own_thread(scenario())


def test_one_reader_opening_page_after_page_is_no_crowd() -> None:
    assert _wait_among_steady_pages(every=0.15, head_start=0.01, limit=10) < 0.05  # 2 pages per 0.3 s


def test_a_steady_crowd_postpones_a_refill_no_longer_than_its_limit() -> None:
    assert 0.5 <= _wait_among_steady_pages(every=0.02, head_start=0.1, limit=0.5) < 1.0


def test_a_refill_waits_for_the_crowd_and_a_reader_does_not() -> None:
    manager = GraceKernelManager(refill_quiet=0.4, refill_crowd=3)
    manager._cap = 1
    manager._kernels["busy"] = object()  # at the cap, closing: a start that gets past the wait raises at once
    manager._closing = True

    async def start(preheat: str) -> float:
        for _ in range(3):
            manager.arrivals.note_request()
        began = time.monotonic()
        with pytest.raises(KernelCapReached):
            await manager.start_kernel(kernel_name="python3", env={"VOILA_PREHEAT": preheat})
        return time.monotonic() - began

    assert run_on_own_thread(start("True")) >= 0.35, "the refill did not wait for the crowd to pass"
    assert run_on_own_thread(start("False")) < 0.2, "a reader's kernel waited"
