"""A process made to wait for readers' work is lowered in its session's autogroup too, never in the server's own."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from adass_survey.serve.priority import autogroup, lower_priority, restore_priority

pytestmark = pytest.mark.skipif(not hasattr(os, "setpriority"), reason="process priorities are POSIX")


@pytest.fixture
def other_session() -> Iterator[int]:
    """A process in a session of its own, as Jupyter starts a kernel."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], start_new_session=True)
    try:
        yield process.pid
    finally:
        process.kill()
        process.wait()


def _fake_proc(folder: Path, groups: dict[str, str]) -> Path:
    for pid, line in groups.items():
        (folder / pid).mkdir()
        (folder / pid / "autogroup").write_text(line)
    return folder


def expected_nice(steps: int) -> int:
    return min(19, os.getpriority(os.PRIO_PROCESS, 0) + steps)


def may_raise_niceness(nice: int) -> bool:
    """Whether this process may set another's niceness back down to ``nice``: root, or a ``RLIMIT_NICE`` allowing it."""
    return os.geteuid() == 0 or 20 - nice <= resource.getrlimit(resource.RLIMIT_NICE)[0]


def test_a_process_in_another_session_is_lowered_in_its_autogroup_too(other_session: int, tmp_path: Path) -> None:
    proc = _fake_proc(tmp_path, {str(other_session): "/autogroup-9 nice 0\n", "self": "/autogroup-1 nice 0\n"})
    assert lower_priority(other_session, 10, proc) == expected_nice(10)
    assert os.getpriority(os.PRIO_PROCESS, other_session) == expected_nice(10)
    # the kernel takes the number alone (and reads back as "/autogroup-9 nice 10")
    assert (proc / str(other_session) / "autogroup").read_text() == f"{expected_nice(10)}\n"
    assert autogroup("self", proc) == ("/autogroup-1", 0), "the server's own autogroup was changed"


def test_a_server_in_the_root_group_lowers_a_process_in_another_session(other_session: int, tmp_path: Path) -> None:
    """The root group's file is empty (a container's or CI's first session): every new session is another group."""
    proc = _fake_proc(tmp_path, {str(other_session): "/autogroup-9 nice 0\n", "self": ""})
    lower_priority(other_session, 10, proc)
    assert (proc / str(other_session) / "autogroup").read_text() == f"{expected_nice(10)}\n"


def test_a_process_in_this_session_leaves_the_shared_autogroup_alone(other_session: int, tmp_path: Path) -> None:
    proc = _fake_proc(tmp_path, {str(other_session): "/autogroup-1 nice 0\n", "self": "/autogroup-1 nice 0\n"})
    lower_priority(other_session, 10, proc)
    assert autogroup(other_session, proc) == ("/autogroup-1", 0), "lowering it would have lowered this process too"


def test_without_autogroups_only_the_niceness_changes(other_session: int, tmp_path: Path) -> None:
    assert lower_priority(other_session, 5, tmp_path) == expected_nice(5)
    assert os.getpriority(os.PRIO_PROCESS, other_session) == expected_nice(5)
    assert not any(tmp_path.iterdir())


def test_on_this_machine_a_kernel_like_process_really_is_lowered(other_session: int) -> None:
    """Where the kernel has autogroups (Linux), the real /proc/PID/autogroup of the other session is lowered."""
    before, ours = autogroup(other_session), autogroup("self")
    lower_priority(other_session, 10)
    assert os.getpriority(os.PRIO_PROCESS, other_session) == expected_nice(10)
    if Path("/proc/self/autogroup").exists():  # Linux with autogroups built in (whether switched on or not)
        assert before is not None, "a new session did not get an autogroup of its own"
        assert ours is None or before[0] != ours[0], "the process shares this one's autogroup"
        assert autogroup(other_session) == (before[0], expected_nice(10))
    else:  # the documented fallback: no autogroup to read or write, only the niceness changes
        assert before is None and autogroup(other_session) is None


def test_a_lowered_process_gets_this_ones_priority_back_in_its_autogroup(other_session: int, tmp_path: Path) -> None:
    proc = _fake_proc(tmp_path, {str(other_session): "/autogroup-9 nice 10\n", "self": "/autogroup-1 nice 0\n"})
    restore_priority(other_session, proc)
    assert (proc / str(other_session) / "autogroup").read_text() == f"{max(0, expected_nice(0))}\n"


def test_restoring_leaves_a_shared_autogroup_alone(other_session: int, tmp_path: Path) -> None:
    proc = _fake_proc(tmp_path, {str(other_session): "/autogroup-1 nice 10\n", "self": "/autogroup-1 nice 10\n"})
    restore_priority(other_session, proc)
    assert autogroup(other_session, proc) == ("/autogroup-1", 10), "restoring it would have changed this process too"


def test_on_this_machine_a_lowered_process_really_gets_its_priority_back(other_session: int) -> None:
    lower_priority(other_session, 10)
    after = restore_priority(other_session)
    assert after == os.getpriority(os.PRIO_PROCESS, other_session)
    # only a privileged process may raise another's own niceness; elsewhere it stays lowered, as documented
    assert after == (expected_nice(0) if may_raise_niceness(expected_nice(0)) else expected_nice(10))
    if Path("/proc/self/autogroup").exists():
        assert autogroup(other_session)[1] == max(0, expected_nice(0)), autogroup(other_session)
    else:
        assert autogroup(other_session) is None
