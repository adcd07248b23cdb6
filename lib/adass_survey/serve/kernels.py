"""The dashboards' kernel manager: idle culling that never stops a kernel a reader has just been handed.

Voilà keeps a pool of preheated kernels per notebook and exempts the pooled ones from idle culling. But a pooled
kernel can sit idle for hours; when a reader opens the page, Voilà takes it out of the pool, and until the reader's
browser opens its websocket the kernel has no connection and an idle time of hours. The next culling pass then
stops it, and the page waits for ever for a kernel that is gone (seen with voila 0.5.13: the kernel was culled
within a second of "Using pre-heated kernel").

:class:`GraceKernelManager` gives every kernel a full idle timeout counted from the first culling pass that finds
it outside a pool, before the usual rule (idle for longer than ``cull_idle_timeout`` with no connection) applies.
A reader's page therefore has the whole timeout to connect; a closed tab's kernel lives at most one timeout
longer than the rule alone would allow. ``voila.py`` selects this class through
``VoilaConfiguration.multi_kernel_manager_class``; Voilà adds its pooling on top of it.
"""

from __future__ import annotations

import time

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager


def grace_has_passed(first_seen: float, now: float, timeout: float) -> bool:
    """Tell whether a kernel first seen outside a pool at ``first_seen`` may be culled at ``now``.

    Parameters
    ----------
    first_seen, now : float
        Monotonic clock readings, in seconds.
    timeout : float
        The idle timeout in seconds (``cull_idle_timeout``).

    Returns
    -------
    bool
        True once a whole timeout has passed since the kernel was first seen.

    Examples
    --------
    >>> grace_has_passed(first_seen=100.0, now=150.0, timeout=180)
    False
    >>> grace_has_passed(first_seen=100.0, now=280.0, timeout=180)
    True
    """
    return now - first_seen >= timeout


class GraceKernelManager(AsyncMappingKernelManager):
    """Idle culling with a grace period of one timeout for each kernel, counted from when culling first sees it.

    Voilà's pooling subclass calls :meth:`cull_kernel_if_idle` only for kernels that are not in a pool, so
    "first seen here" is, for a preheated kernel, shortly after a reader took it.
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._first_seen_unpooled: dict[str, float] = {}

    async def shutdown_kernel(self, kernel_id: str, *args, **kwargs):
        """Shut the kernel down and forget when culling first saw it."""
        self._first_seen_unpooled.pop(kernel_id, None)
        return await super().shutdown_kernel(kernel_id, *args, **kwargs)

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        """Cull the kernel by the usual rule, but never within its grace period."""
        first_seen = self._first_seen_unpooled.setdefault(kernel_id, time.monotonic())
        if not grace_has_passed(first_seen, time.monotonic(), self.cull_idle_timeout):
            return
        await super().cull_kernel_if_idle(kernel_id)
