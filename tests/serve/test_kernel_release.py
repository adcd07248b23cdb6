"""A pool refill's kernel yields the processor to the pages being sent; a released kernel is stopped outright."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from adass_survey.serve.kernels import GraceKernelManager
from adass_survey.serve.priority import autogroup

from .event_loop import run_on_own_thread
from .test_priority import may_raise_niceness


def _start_and_release(refill_niceness: int, hand_out: bool = False) -> tuple[int, tuple[str, int] | None, bool, bool]:
    """Start a pool refill's kernel (and hand it to a reader), then release it: its niceness above this process, its
    autogroup (None without autogroups), whether it is gone, and whether it was asked to shut down cleanly (rather than
    killed). The niceness and autogroup are read just before the release."""

    async def scenario() -> tuple[int, tuple[str, int] | None, bool, bool]:
        manager = GraceKernelManager(refill_niceness=refill_niceness)
        manager._cap = 4
        env = {**os.environ, "VOILA_PREHEAT": "True", "PYTHONPATH": os.pathsep.join(sys.path)}
        kernel_id = await manager.start_kernel(kernel_name="python3", env=env)
        kernel = manager.get_kernel(kernel_id)
        provisioner = kernel.provisioner
        if hand_out:
            manager.mark_handed_out(kernel_id)
        niceness = os.getpriority(os.PRIO_PROCESS, provisioner.pid) - os.getpriority(os.PRIO_PROCESS, 0)
        group = autogroup(provisioner.pid)
        asked = []
        real_request = kernel._async_request_shutdown

        async def request_shutdown(*args, **kwargs):
            asked.append(True)
            return await real_request(*args, **kwargs)

        kernel._async_request_shutdown = request_shutdown
        await manager.release(kernel_id)
        return niceness, group, kernel_id not in manager and provisioner.process is None, bool(asked)

    return run_on_own_thread(scenario())


@pytest.mark.skipif(not hasattr(os, "getpriority"), reason="process priorities are POSIX")
def test_a_refill_kernel_runs_below_the_server_and_a_release_kills_it_at_once() -> None:
    niceness, group, gone, asked = _start_and_release(refill_niceness=10)
    assert niceness == min(10, 19 - os.getpriority(os.PRIO_PROCESS, 0)), niceness
    if Path("/proc/self/autogroup").exists():  # Linux: between sessions only the autogroup's niceness counts
        ours = autogroup("self")  # None in the root group (a container's or CI's first session)
        assert group is not None and (ours is None or group[0] != ours[0]), "the kernel shares the server's autogroup"
        assert group[1] == os.getpriority(os.PRIO_PROCESS, 0) + niceness, f"the kernel's autogroup: {group}"
    else:  # the documented fallback: without autogroups only the kernel's own niceness is lowered
        assert group is None, group
    assert gone, "the released kernel is still alive"
    assert not asked, "the released kernel was asked to shut down (a clean exit costs it CPU) rather than killed"


@pytest.mark.skipif(not hasattr(os, "getpriority"), reason="process priorities are POSIX")
def test_a_refill_niceness_of_zero_runs_the_kernel_as_the_server() -> None:
    niceness, group, gone, _ = _start_and_release(refill_niceness=0)
    assert niceness == 0 and gone
    assert group is None or group[1] == 0, f"the kernel's autogroup was lowered: {group}"


@pytest.mark.skipif(not hasattr(os, "getpriority"), reason="process priorities are POSIX")
def test_a_refill_kernel_handed_to_a_reader_gets_the_servers_priority_back() -> None:
    """Its autogroup (Linux) goes back to the server's niceness; its own niceness too where the system allows (root)."""
    niceness, group, gone, _ = _start_and_release(refill_niceness=10, hand_out=True)
    if may_raise_niceness(os.getpriority(os.PRIO_PROCESS, 0)):
        assert niceness == 0, f"the kernel handed out still runs {niceness} steps below the server"
    else:  # elsewhere its own niceness stays lowered, as restore_priority documents
        assert niceness == min(10, 19 - os.getpriority(os.PRIO_PROCESS, 0)), niceness
    if Path("/proc/self/autogroup").exists():
        assert group is not None and group[1] == max(0, os.getpriority(os.PRIO_PROCESS, 0)), group
    else:
        assert group is None, group
    assert niceness == 0 or group is not None, "nothing gave the handed-out kernel its priority back"
    assert gone
