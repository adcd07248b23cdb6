"""Folders a killed server left behind: Voilà's connection folders (``voila_*`` in the temporary folder), cleaned at start.

Voilà makes a folder for its kernels' connection files each time it starts and removes it when it stops; a server
killed with SIGKILL (or a machine losing power) leaves it, with the files and sockets of the kernels it ran. Each
server started here writes its process id into its own folder (:data:`OWNER`); at start, a folder whose owner is no
longer running is removed, and so is one without an owner file (left by a server started before this) that has not
changed for a day. A folder of a server still running, here or in another checkout, is left alone.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

OWNER = "adass-server.pid"
PREFIX = "voila_"
UNOWNED_AGE_S = 86400.0


def running(pid: int) -> bool:
    """Tell whether a process with this id is running.

    Examples
    --------
    >>> running(os.getpid()), running(2**22 + 12345)
    (True, False)
    """
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # it exists, as another user's process
    return True


def left_behind(folder: Path, now: float) -> bool:
    """Tell whether a connection folder was left by a server that no longer runs.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> left_behind(folder, now=time.time()), left_behind(folder, now=time.time() + 2 * UNOWNED_AGE_S)
    (False, True)
    """
    owner = folder / OWNER
    try:
        return not running(int(owner.read_text(encoding="ascii").strip()))
    except FileNotFoundError:
        return now - folder.stat().st_mtime > UNOWNED_AGE_S
    except (OSError, ValueError):
        return False


def claim_and_clean(current: Path, now: float | None = None) -> int:
    """Mark ``current`` (this server's connection folder) as this process's, and remove the folders beside it that
    killed servers left; return how many were removed.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> mine, dead, old, live = (root / f"{PREFIX}{name}" for name in ("mine", "dead", "old", "live"))
    >>> for folder in (mine, dead, old, live):
    ...     folder.mkdir()
    >>> _ = (dead / OWNER).write_text(str(2**22 + 12345)), (live / OWNER).write_text(str(os.getppid()))
    >>> os.utime(old, (0, 0))
    >>> claim_and_clean(mine), sorted(p.name for p in root.iterdir())
    (2, ['voila_live', 'voila_mine'])
    """
    now = time.time() if now is None else now
    (current / OWNER).write_text(str(os.getpid()), encoding="ascii")
    removed = 0
    for folder in current.parent.glob(f"{PREFIX}*"):
        if folder == current or not folder.is_dir() or folder.is_symlink():
            continue
        if left_behind(folder, now):
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed
