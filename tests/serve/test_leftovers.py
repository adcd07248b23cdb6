"""A server starting removes the connection folders (``voila_*``) that killed servers left, and none of a live one."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from adass_survey.serve.leftovers import OWNER

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "browser" / "fixtures"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_starting_server_removes_what_killed_servers_left(tmp_path) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    dead, live, unowned = (temporary / f"voila_{name}" for name in ("dead", "live", "unowned"))
    for folder in (dead, live, unowned):
        folder.mkdir()
        (folder / "kernel-1.json").write_text("{}")
    (dead / OWNER).write_text(str(2**22 + 4321))  # no such process
    (live / OWNER).write_text(str(os.getpid()))  # this one runs
    os.utime(unowned, (time.time() - 2 * 86400,) * 2)  # left before servers marked their folders
    port = free_port()
    env = {**os.environ, "TMPDIR": str(temporary)}
    command = [
        sys.executable,
        "-m",
        "adass_survey",
        "serve",
        "--no-prepare",
        "--port",
        str(port),
        "--notebooks",
        os.path.relpath(FIXTURES, REPO),
        "--",
        "--VoilaConfiguration.preheat_kernel=False",
    ]
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None and time.monotonic() < deadline, log.read_text()[-2000:]
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).close()
                break
            except OSError:
                time.sleep(0.3)
        remaining = sorted(p.name for p in temporary.glob("voila_*"))
        owners = [(p / OWNER).read_text() for p in temporary.glob("voila_*") if p != live]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    assert not dead.exists() and not unowned.exists(), remaining
    assert live.exists(), "a running server's folder was removed"
    assert owners == [str(server.pid)], remaining
    assert "Removed 2 connection folders" in log.read_text()
