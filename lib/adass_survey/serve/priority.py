"""Lower a process's claim on the processor, so that it waits for the work being done for readers now.

Niceness alone is not enough on Linux. With the scheduler's autogroups (``/proc/sys/kernel/sched_autogroup_enabled``,
on by default in Debian's and Ubuntu's kernels), niceness only orders processes within one session, and sessions
share the processor equally. A Jupyter kernel starts in a session of its own (``jupyter_client`` launches it with
``start_new_session``), so a kernel ten steps nicer than the server still got as much of the processor as the whole
session of a browser or of the server. When the 15 sections' pools refilled together, 15 such kernels each weighed as
much as everything else on the machine. The autogroup's own niceness, in ``/proc/PID/autogroup``, is the one that
counts between sessions; any process may raise it for a process of its own user. It is set here only when the process
is in an autogroup other than this process's, so the server never lowers itself. A server that never left the first
session of the machine (a container's or CI's first process, for instance) is in the root group, which has no
``/proc/PID/autogroup`` line of its own: a kernel's new session is then certainly another group, and is lowered too.
"""

from __future__ import annotations

import os
from pathlib import Path

PROC = Path("/proc")


def autogroup(pid: int | str, proc: Path = PROC) -> tuple[str, int] | None:
    """Return the autogroup of a process and its niceness, or None where there is none to set: not Linux, a kernel
    built without autogroups, or a process in the root group (its file is empty). A kernel that has autogroups switched
    off still reports one.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> (folder / "7").mkdir()
    >>> _ = (folder / "7" / "autogroup").write_text("/autogroup-178 nice 0\\n")
    >>> (folder / "1").mkdir()
    >>> _ = (folder / "1" / "autogroup").write_text("")
    >>> autogroup(7, folder), autogroup(8, folder), autogroup(1, folder)
    (('/autogroup-178', 0), None, None)
    """
    try:
        name, _, nice = (proc / str(pid) / "autogroup").read_text().split()
        return name, int(nice)
    except (OSError, ValueError):
        return None


def autogroup_apart(pid: int, proc: Path = PROC) -> tuple[str, int] | None:
    """Return the autogroup of process ``pid`` and its niceness when it is not this process's own, else None.

    Changing it then changes no other session than the process's: this process in the root group (no autogroup line
    of its own) shares none.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> for pid, line in {"7": "/autogroup-9 nice 0", "8": "/autogroup-1 nice 0", "self": "/autogroup-1 nice 0"}.items():
    ...     (folder / pid).mkdir(); _ = (folder / pid / "autogroup").write_text(line)
    >>> autogroup_apart(7, folder), autogroup_apart(8, folder)
    (('/autogroup-9', 0), None)
    """
    theirs, ours = autogroup(pid, proc), autogroup("self", proc)
    return theirs if theirs is not None and (ours is None or theirs[0] != ours[0]) else None


def lower_priority(pid: int, steps: int, proc: Path = PROC) -> int:
    """Run process ``pid`` ``steps`` steps of niceness below this process (at most 19), and its autogroup likewise
    when it has one apart from this process's (this process in the root group has none); return the niceness set.

    Raises ``OSError`` when the process cannot be changed (gone, another user's).

    Examples
    --------
    >>> import subprocess, sys
    >>> kernel = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"], start_new_session=True)
    >>> lower_priority(kernel.pid, 5) == min(19, os.getpriority(os.PRIO_PROCESS, 0) + 5)
    True
    >>> kernel.kill(); _ = kernel.wait()
    """
    nice = min(19, os.getpriority(os.PRIO_PROCESS, 0) + steps)
    os.setpriority(os.PRIO_PROCESS, pid, nice)
    group = autogroup_apart(pid, proc)
    if group is not None and group[1] < nice:
        (proc / str(pid) / "autogroup").write_text(f"{nice}\n")
    return nice


def restore_priority(pid: int, proc: Path = PROC) -> int:
    """Give process ``pid`` this process's priority again, as far as the system allows; return its niceness after.

    Its autogroup, when it has one apart from this process's, goes back to this process's niceness: any process may do
    that for one of its own user's. Its own niceness goes back too where that is allowed (root, or a ``RLIMIT_NICE``
    that permits it); elsewhere it stays lower, which on Linux orders it only against the threads of its own session.

    Raises ``OSError`` when the process is gone or another user's.

    Examples
    --------
    >>> import subprocess, sys
    >>> kernel = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"], start_new_session=True)
    >>> lowered = lower_priority(kernel.pid, 5)
    >>> restore_priority(kernel.pid) in {os.getpriority(os.PRIO_PROCESS, 0), lowered}
    True
    >>> kernel.kill(); _ = kernel.wait()
    """
    nice = os.getpriority(os.PRIO_PROCESS, 0)
    try:
        os.setpriority(os.PRIO_PROCESS, pid, nice)
    except PermissionError:  # an unprivileged process may not raise another's priority
        pass
    group = autogroup_apart(pid, proc)
    if group is not None and group[1] > max(nice, 0):
        (proc / str(pid) / "autogroup").write_text(f"{max(nice, 0)}\n")
    return os.getpriority(os.PRIO_PROCESS, pid)
