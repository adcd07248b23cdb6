"""The dashboards' kernel manager: a hard cap on live kernels, and idle culling that is fair to a reader's page.

**The cap.** Nothing in Voilà limits how many kernels a server starts: 60 page requests that never open a websocket
(a crawler, a link checker, a loop of ``curl``) once started 49 kernels and took 4.4 GiB. :class:`GraceKernelManager`
refuses to start a kernel once ``kernel_cap`` kernels are alive or starting. A reader's request beyond the cap
raises :class:`KernelCapReached` before any kernel process exists (the page handler in
:mod:`adass_survey.serve.app` turns it into the section's static copy); a refill of a preheated pool waits until
culling frees a place. The cap is set by ``GraceKernelManager.kernel_cap`` (``voila.json``) or the environment
variable ``ADASS_KERNEL_CAP``, which wins so that ``deploy/run.sh`` can share one machine between several servers;
0 sizes it to the memory available when the server starts (:func:`memory_sized_cap`).

**Culling.** Voilà exempts pooled kernels from idle culling, but a pooled kernel can sit idle for hours; when a
reader takes it, plain idle culling stopped it within a second, before the page connected. Each kernel therefore
gets a full idle timeout counted from when it was handed to a reader (recorded by the page handler; otherwise from
when culling first sees it outside a pool) before the usual rule applies. A kernel whose page never connects is
stopped exactly one timeout after it was handed out, by a timer rather than the next culling pass, so a flood of
requests that never connect holds its places for one timeout at most.

**Pages.** Every kernel it starts draws filter panels as HTML (:data:`~adass_survey.present.panel.HTML_PANELS_ENV`),
so a section page needs no widget front end; the page handler then stops the kernel
(:meth:`~GraceKernelManager.release`) as soon as the page is sent, since nothing will connect to it. A kernel no page
will use (released, or culled because its page never connected) is killed, not asked to shut down: it holds nothing
to save, and a clean exit cost each kernel about 0.2 s of processor, 3 s for the 15 sections' first readers at once.
A kernel started to refill a pool runs ``refill_niceness`` steps below the server (POSIX; on Linux its session's
autogroup too, :mod:`adass_survey.serve.priority`), so preparing the next reader's page never slows the pages being
sent; once handed to a reader, it gets the server's priority back (on Linux, its autogroup's; its own niceness only
where the system allows), so the compare page's widgets answer at full speed. A refill also waits while a crowd of
readers arrives (:mod:`adass_survey.serve.arrivals`): its page render runs in the server's own event loop.

**Routing.** With ``ADASS_KERNEL_ROUTE`` set (five digits, ``deploy/run.sh`` uses the server's port), every kernel
id ends with those digits, so a proxy in front of several servers sends each kernel's websocket to the server that
owns it (:mod:`adass_survey.serve.deploy`, ``deploy/run.sh``).

``voila.py`` selects this class through ``VoilaConfiguration.multi_kernel_manager_class``; Voilà adds its pooling
on top of it (the pooling class is a subclass of this one, so ``start_kernel`` here sees pool refills too).
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from datetime import UTC, datetime

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Float, Int, Unicode, default

from ..present.panel import HTML_PANELS_ENV
from .arrivals import PageArrivals
from .priority import lower_priority, restore_priority

CAP_ENV = "ADASS_KERNEL_CAP"
ROUTE_ENV = "ADASS_KERNEL_ROUTE"
MIB = 1024 * 1024


class KernelCapReached(RuntimeError):
    """Raised instead of starting a kernel for a reader while the server is at its kernel cap."""


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


def memory_sized_cap(available_bytes: int, kernel_mib: float, fraction: float, floor: int, ceiling: int) -> int:
    """Return how many kernels fit in a share of the available memory, within ``[floor, ceiling]``.

    Parameters
    ----------
    available_bytes : int
        Memory available to new processes (``psutil.virtual_memory().available``).
    kernel_mib : float
        Expected resident memory of one kernel, in MiB.
    fraction : float
        Share of the available memory the kernels may take (the rest is for the server, the OS and others).
    floor, ceiling : int
        Bounds of the result; ``floor`` wins if they cross.

    Returns
    -------
    int
        The cap.

    Examples
    --------
    >>> memory_sized_cap(20 * 1024**3, kernel_mib=150, fraction=0.5, floor=16, ceiling=64)
    64
    >>> memory_sized_cap(4 * 1024**3, kernel_mib=150, fraction=0.5, floor=16, ceiling=64)
    16
    >>> memory_sized_cap(8 * 1024**3, kernel_mib=150, fraction=0.5, floor=4, ceiling=64)
    27
    """
    fits = int(available_bytes * fraction / (kernel_mib * MIB))
    return max(floor, min(ceiling, fits))


def available_memory() -> int:
    """Return the memory available to new processes, in bytes (psutil; ``/proc/meminfo`` without it).

    Examples
    --------
    >>> fields = dict(line.split(":", 1) for line in open("/proc/meminfo", encoding="ascii").read().splitlines())
    >>> abs(available_memory() - int(fields["MemAvailable"].split()[0]) * 1024) < 512 * 1024**2  # not MemFree
    True
    """
    try:
        import psutil  # imported here: on Linux it imports the POSIX-only `resource` module

        return int(psutil.virtual_memory().available)
    except ImportError:  # pragma: no cover - psutil comes with ipykernel
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
        return 4 * 1024**3


def routed_kernel_id(route: str) -> str:
    """Return a new random kernel id (UUID form) whose last five digits are ``route``, or a plain UUID.

    Parameters
    ----------
    route : str
        Five decimal digits (a port number, zero-padded), or ``""`` for a plain random id.

    Examples
    --------
    >>> kid = routed_kernel_id("08867")
    >>> len(kid), kid.count("-"), kid.endswith("08867")
    (36, 4, True)
    >>> routed_kernel_id("abc")
    Traceback (most recent call last):
    ValueError: ADASS_KERNEL_ROUTE must be five digits, not 'abc'
    """
    kid = str(uuid.uuid4())
    if not route:
        return kid
    if len(route) != 5 or not route.isdigit():
        raise ValueError(f"{ROUTE_ENV} must be five digits, not {route!r}")
    return kid[:-5] + route


def _utcnow() -> datetime:
    return datetime.now(UTC)


class GraceKernelManager(AsyncMappingKernelManager):
    """Kernel manager with a hard cap on live kernels and culling that gives a handed-out kernel one timeout.

    Voilà's pooling subclass calls :meth:`cull_kernel_if_idle` only for kernels that are not in a pool.
    """

    kernel_cap = Int(
        0,
        config=True,
        help=f"""Most kernels alive (or starting) at once; 0 sizes it to memory.
        The environment variable {CAP_ENV} overrides this setting.""",
    )
    kernel_memory_mib = Float(150.0, config=True, help="Expected resident memory of one kernel (MiB), to size the cap.")
    kernel_memory_fraction = Float(0.5, config=True, help="Share of the available memory the kernels may take.")
    kernel_cap_ceiling = Int(
        64, config=True, help="Upper bound of the memory-sized cap (CPU, not memory, binds there)."
    )
    cap_poll_interval = Float(0.5, config=True, help="Seconds between checks of a pool refill waiting under the cap.")
    refill_niceness = Int(
        10,
        config=True,
        help="How many steps of niceness below the server a pool refill's kernel runs (POSIX; 0: as the server), "
        "so that pages being sent come before pages being prepared.",
    )
    refill_quiet = Float(3.0, config=True, help="Seconds in which refill_crowd page requests make a crowd (0: none).")
    refill_crowd = Int(4, config=True, help="Page requests within refill_quiet seconds that make a pool refill wait.")
    refill_quiet_limit = Float(60.0, config=True, help="The longest a pool refill waits for a crowd to pass (seconds).")
    kernel_route = Unicode(config=True, help=f"Five digits every kernel id ends with (default: ${ROUTE_ENV}).")

    @default("kernel_route")
    def _default_kernel_route(self) -> str:
        return os.environ.get(ROUTE_ENV, "")

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._first_seen_unpooled: dict[str, float] = {}
        self._handed_out: dict[str, datetime] = {}
        self._connected_once: set[str] = set()
        self._reserved: set[str] = set()
        self._closing = False
        self.peak_kernels = 0
        self._cap: int | None = None
        self.arrivals = PageArrivals()  # the page handler notes each request; refills wait for a quiet moment

    # -- the cap ------------------------------------------------------------------------------------------------

    def _pooled_total(self) -> int:
        """Kernels the preheated pools keep, summed over every notebook Voilà pools (0 without preheating)."""
        pools = getattr(self, "_pools", None)
        if pools is None:
            return 0
        return sum(self.configured_pool_size(name) for name in pools)

    def configured_pool_size(self, notebook: str | None) -> int:
        """Return the pool size configured for a notebook (0 without preheating)."""
        config = getattr(self, "kernel_pools_config", None)
        if not config:
            return 0
        fallback = config.get("default", {})
        return int(config.get(notebook, fallback).get("pool_size", fallback.get("pool_size", 1)))

    @property
    def cap(self) -> int:
        """The most kernels alive at once (resolved on first use, once Voilà has set up its pools)."""
        if self._cap is None:
            self._cap = self._resolve_cap()
        return self._cap

    def _resolve_cap(self) -> int:
        from_env = os.environ.get(CAP_ENV, "").strip()
        if from_env:
            if not from_env.isdigit() or int(from_env) < 1:
                raise ValueError(f"{CAP_ENV} must be a whole number of kernels (1 or more), not {from_env!r}")
            cap, why = int(from_env), f"${CAP_ENV}"
        elif self.kernel_cap > 0:
            cap, why = self.kernel_cap, "GraceKernelManager.kernel_cap"
        else:
            available = available_memory()
            floor = max(4, self._pooled_total() + 2)  # every section's pool, and two readers
            cap = memory_sized_cap(
                available, self.kernel_memory_mib, self.kernel_memory_fraction, floor, self.kernel_cap_ceiling
            )
            why = (
                f"sized to memory: {self.kernel_memory_fraction:.0%} of {available / 1024**3:.1f} GiB available"
                f" / {self.kernel_memory_mib:.0f} MiB per kernel, within [{floor}, {self.kernel_cap_ceiling}]"
            )
        self.log.info("Kernel cap: at most %d live kernels (%s)", cap, why)
        if cap <= self._pooled_total():
            self.log.warning(
                "The preheated pools (%d kernels) fill the kernel cap of %d: readers will mostly get the static copies",
                self._pooled_total(),
                cap,
            )
        return cap

    def live_kernel_count(self) -> int:
        """Return the kernels alive or starting (each counted once)."""
        return len(set(self._kernels) | self._reserved)

    def at_cap(self) -> bool:
        """Tell whether starting one more kernel would pass the cap."""
        return self.live_kernel_count() >= self.cap

    def new_kernel_id(self, **kwargs) -> str:
        """Return a new kernel id, ending with ``kernel_route`` when one is set."""
        return routed_kernel_id(self.kernel_route)

    async def start_kernel(self, *args, **kwargs) -> str:
        """Start a kernel unless the cap is reached: a reader's request then raises, a pool refill waits."""
        kernel_id = kwargs.get("kernel_id")
        if kernel_id is not None and kernel_id in self:
            return await super().start_kernel(*args, **kwargs)
        refill = (kwargs.get("env") or {}).get("VOILA_PREHEAT") == "True"
        if refill:
            waited = await self.arrivals.wait_for_quiet(self.refill_quiet, self.refill_crowd, self.refill_quiet_limit)
            if waited >= 1:
                self.log.info("A pool refill waited %.0f s for a crowd of readers to pass", waited)
        logged = False
        while self.at_cap():
            if self._closing or not refill:
                self.log.warning("Kernel cap of %d reached: no kernel started for this request", self.cap)
                raise KernelCapReached(f"the server is at its cap of {self.cap} live kernels")
            if not logged:
                self.log.info("Kernel cap of %d reached: a pool refill waits for culling to free a place", self.cap)
                logged = True
            await asyncio.sleep(self.cap_poll_interval)
        kernel_id = kernel_id or self.new_kernel_id()
        kwargs["kernel_id"] = kernel_id
        kwargs["env"] = {**(kwargs.get("env") or os.environ), HTML_PANELS_ENV: "1"}  # a reader's page: HTML panels
        self._reserved.add(kernel_id)  # no await between the check above and this line: the check-and-take is atomic
        self.peak_kernels = max(self.peak_kernels, self.live_kernel_count())
        try:
            started = await super().start_kernel(*args, **kwargs)
        finally:
            self._reserved.discard(kernel_id)
        if refill:
            self._lower_priority(started)
            asyncio.ensure_future(self._announce_when_ready(started))
        return started

    def _lower_priority(self, kernel_id: str) -> None:
        # A pool refill prepares a page for a later reader: it yields the processor to the pages being sent now.
        if self.refill_niceness > 0:
            self._set_priority(kernel_id, lambda pid: lower_priority(pid, self.refill_niceness))

    def _restore_priority(self, kernel_id: str) -> None:
        # A kernel handed to a reader works for a page being used now (the compare page's widgets): no longer yields.
        if self.refill_niceness > 0:
            self._set_priority(kernel_id, restore_priority)

    def _set_priority(self, kernel_id: str, change) -> None:
        provisioner = getattr(self._kernels.get(kernel_id), "provisioner", None)
        pid = getattr(provisioner, "pid", None)
        if pid and hasattr(os, "setpriority"):
            try:
                change(pid)
            except OSError as error:
                self.log.debug("could not change the priority of kernel %s: %s", kernel_id, error)

    async def _announce_when_ready(self, kernel_id: str) -> None:
        # Voilà logs "pool is filled" once the kernel has started; a reader is given it only once it has run the
        # notebook (ready_pool_kernel). Log that moment too: operators and the browser tests wait for it.
        for _ in range(3000):
            for name, pool in list(getattr(self, "_pools", {}).items()):
                for entry in list(pool):
                    if not entry.done() or entry.cancelled() or entry.exception() is not None:
                        continue
                    content = entry.result()
                    if content.get("kernel_id") != kernel_id:
                        continue
                    try:
                        await content["task"]
                    except Exception:  # noqa: BLE001 - Voilà reports a failing notebook to the reader's page
                        pass
                    self.log.info("Preheated kernel %s has run %s: ready for a reader", kernel_id, name)
                    return
            if kernel_id not in self._kernels:
                return
            await asyncio.sleep(0.1)

    async def shutdown_all(self, *args, **kwargs):
        """Shut every kernel down; pool refills waiting under the cap give up instead of starting one."""
        self._closing = True
        return await super().shutdown_all(*args, **kwargs)

    # -- culling ------------------------------------------------------------------------------------------------

    def mark_handed_out(self, kernel_id: str) -> None:
        """Record that a reader's page was just given this kernel (which gets the server's priority back), and stop it
        one timeout later if it never connects."""
        self._handed_out[kernel_id] = _utcnow()
        self._first_seen_unpooled[kernel_id] = time.monotonic()
        self._restore_priority(kernel_id)
        if self.cull_idle_timeout > 0:
            loop = asyncio.get_running_loop()
            loop.call_later(
                self.cull_idle_timeout, lambda: asyncio.ensure_future(self._cull_if_never_connected(kernel_id))
            )

    async def release(self, kernel_id: str) -> None:
        """Kill a handed-out kernel at once: its page was sent without Voilà's front end, so nothing will connect."""
        if kernel_id in self._kernels and kernel_id not in self._connected_once and not self._in_pool(kernel_id):
            self.log.info("Kernel %s released: its page has no widgets, so nothing connects to it", kernel_id)
            await self.shutdown_kernel(kernel_id, now=True)

    def notify_connect(self, kernel_id: str) -> None:
        """Count a new websocket connection to a kernel, and remember that its page connected."""
        self._connected_once.add(kernel_id)
        super().notify_connect(kernel_id)

    async def _cull_if_never_connected(self, kernel_id: str) -> None:
        handed_out = self._handed_out.get(kernel_id)
        if handed_out is None or kernel_id not in self._kernels:
            return
        kernel = self._kernels[kernel_id]
        connected = kernel_id in self._connected_once or self._kernel_connections.get(kernel_id, 0) > 0
        active_since = getattr(kernel, "last_activity", handed_out) > handed_out
        if connected or active_since or getattr(kernel, "execution_state", None) == "busy":
            return  # the page connected: the usual rule applies from now on
        if self._in_pool(kernel_id):
            return  # still pooled after all (Voilà did not take it): pooled kernels are never culled
        self.log.warning("Culling kernel %s: its page never connected within %s s", kernel_id, self.cull_idle_timeout)
        try:
            await self.shutdown_kernel(kernel_id, now=True)
        except Exception:  # noqa: BLE001 - it may have gone meanwhile; the periodic culler logs anything else
            self.log.debug("kernel %s was already gone", kernel_id)

    async def shutdown_kernel(self, kernel_id: str, *args, **kwargs):
        """Shut the kernel down and forget when it was first seen or handed out."""
        self._first_seen_unpooled.pop(kernel_id, None)
        self._handed_out.pop(kernel_id, None)
        self._connected_once.discard(kernel_id)
        return await super().shutdown_kernel(kernel_id, *args, **kwargs)

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        """Cull the kernel by the usual rule, but never within its grace period."""
        first_seen = self._first_seen_unpooled.setdefault(kernel_id, time.monotonic())
        if not grace_has_passed(first_seen, time.monotonic(), self.cull_idle_timeout):
            return
        await super().cull_kernel_if_idle(kernel_id)

    # -- the preheated pools, as the page handler sees them -----------------------------------------------------

    def _in_pool(self, kernel_id: str) -> bool:
        for pool in getattr(self, "_pools", {}).values():
            for entry in pool:
                if (
                    entry.done()
                    and not entry.cancelled()
                    and entry.exception() is None
                    and entry.result().get("kernel_id") == kernel_id
                ):
                    return True
        return False

    def pooled(self, notebook: str) -> bool:
        """Tell whether Voilà keeps a preheated pool for this notebook."""
        return notebook in getattr(self, "_pools", {}) and self.configured_pool_size(notebook) > 0

    def ready_pool_kernel(self, notebook: str) -> str | None:
        """Return the id of the kernel a request would take from the notebook's pool now, if it has run the notebook.

        None when the pool is empty or its next kernel is still starting, still running the notebook, or waiting
        under the cap: a reader given that kernel would wait. A failed pool entry is dropped and replaced.
        """
        pool = getattr(self, "_pools", {}).get(notebook)
        if not pool:
            return None
        head = pool[0]
        if not head.done():
            return None
        if head.cancelled() or head.exception() is not None:
            pool.pop(0)
            self.log.warning("Dropped a failed preheated kernel of %s; refilling", notebook)
            self.fill_if_needed(delay=0, notebook_name=notebook)
            return None
        content = head.result()
        task = content.get("task")
        if task is not None and not task.done():
            return None
        return content.get("kernel_id")
