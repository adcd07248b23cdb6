"""Running a coroutine from a test that may share its thread with Playwright's event loop."""

from __future__ import annotations

import asyncio
import concurrent.futures


def run_on_own_thread(coroutine):
    """Run a coroutine on a thread of its own: the browser tests' Playwright keeps an event loop on this one."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
