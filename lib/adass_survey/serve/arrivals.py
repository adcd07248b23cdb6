"""When readers asked for pages lately, so that preparing pages for later readers waits until a crowd has passed.

A pool refill starts a kernel, runs the section's notebook and renders the page: about 0.1 s of the server's own
processor (in its one event loop, where every page is sent) and 0.6 s of the new kernel's. When many readers arrive
together, as after a launch email, refills that start among them slow the pages being sent, while those readers get
the section's static copy anyway (the same views and filters). A refill therefore waits while a crowd is arriving:
``crowd`` or more page requests within the last ``quiet`` seconds. One reader opening page after page is no crowd,
and a refill never waits longer than ``limit`` seconds, so steady traffic cannot postpone it for ever.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable, Iterable


def seconds_to_wait(
    requests: Iterable[float], waiting_since: float, now: float, quiet: float, crowd: int, limit: float
) -> float:
    """Return how long a refill should still wait; 0 when it may start.

    Parameters
    ----------
    requests : when pages were asked for lately (monotonic seconds)
    waiting_since : when the refill began to wait
    now : the time now
    quiet : the window, in seconds, in which ``crowd`` requests make a crowd (0: never wait)
    crowd : how many requests within ``quiet`` seconds make a crowd
    limit : the longest a refill waits, however busy the server is

    Examples
    --------
    Four requests in the last 3 s are a crowd; the refill waits until the oldest of them is 3 s old:

    >>> seconds_to_wait([98.5, 99.0, 99.5, 100.0], waiting_since=99.0, now=100.0, quiet=3.0, crowd=4, limit=60.0)
    1.5
    >>> seconds_to_wait([99.0, 99.5, 100.0], waiting_since=99.0, now=100.0, quiet=3.0, crowd=4, limit=60.0)
    0.0
    >>> seconds_to_wait([158.0, 158.5, 159.0, 159.5], waiting_since=99.0, now=159.5, quiet=3.0, crowd=4, limit=60.0)
    0.0
    """
    recent = sorted(t for t in requests if now - quiet < t <= now)
    if quiet <= 0 or len(recent) < max(crowd, 1):
        return 0.0
    until_quiet = recent[len(recent) - max(crowd, 1)] + quiet - now
    until_limit = waiting_since + limit - now
    return max(0.0, min(until_quiet, until_limit))


class PageArrivals:
    """The times of recent page requests, and a wait until a crowd of them has passed.

    Examples
    --------
    >>> arrivals = PageArrivals(clock=iter([10.0, 10.5]).__next__)
    >>> arrivals.note_request()
    >>> arrivals.note_request()
    >>> list(arrivals.requests)
    [10.0, 10.5]
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic, remembered: int = 1000) -> None:
        self._clock = clock
        self.requests: deque[float] = deque(maxlen=remembered)

    def note_request(self) -> None:
        """Record that a reader has just asked for a page."""
        self.requests.append(self._clock())

    async def wait_for_quiet(self, quiet: float, crowd: int, limit: float) -> float:
        """Wait while ``crowd`` or more pages were asked for within ``quiet`` seconds, ``limit`` seconds at most;
        return the seconds waited."""
        since = self._clock()
        while (wait := seconds_to_wait(self.requests, since, self._clock(), quiet, crowd, limit)) > 0:
            await asyncio.sleep(wait)
        return self._clock() - since
