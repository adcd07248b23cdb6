"""`python -m adass_survey serve` (what scripts/serve.sh runs) and the kernel cap, without a browser."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import pytest

from adass_survey.cli import build_parser
from adass_survey.core.paths import project_root
from adass_survey.serve.kernels import GraceKernelManager, KernelCapReached

from .event_loop import run_on_own_thread

REPO = project_root()
POSIX_ONLY = "fcntl,termios,pwd,grp,resource"
IMPORT_WITHOUT_POSIX = """
import importlib, importlib.abc, sys
BLOCKED = set(sys.argv[1].split(","))
class NoPosixOnly(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r} (simulated Windows)", name=name)
for name in BLOCKED:
    sys.modules.pop(name, None)
sys.meta_path.insert(0, NoPosixOnly())
for name in ("cli", "serve.launch", "serve.app", "serve.kernels", "serve.deploy"):
    importlib.import_module("adass_survey." + name)
print(sorted(BLOCKED & set(sys.modules)))
"""


def run(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "adass_survey", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=timeout,
    )


def test_serve_help_names_its_options() -> None:
    result = run("serve", "--help")
    assert result.returncode == 0
    for option in ("--host", "--port", "--notebooks", "--no-static", "--prepare-only"):
        assert option in result.stdout


def test_serve_passes_voila_options_after_the_separator() -> None:
    args = build_parser().parse_args(["serve", "--port", "9000", "--", "--MappingKernelManager.cull_idle_timeout=60"])
    assert args.port == 9000 and args.voila_args == ["--MappingKernelManager.cull_idle_timeout=60"]


def test_serve_refuses_a_missing_folder_with_a_sentence_and_code_2() -> None:
    result = run("serve", "--notebooks", "no-such-folder")
    assert result.returncode == 2
    assert "no folder 'no-such-folder' to serve" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_sh_hands_over_to_the_python_command() -> None:
    env = {**os.environ, "ADASS_SKIP_SETUP": "1", "ADASS_NOTEBOOKS": "no-such-folder"}
    result = subprocess.run(
        ["bash", "scripts/serve.sh"], cwd=REPO, capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 2 and "no folder 'no-such-folder' to serve" in result.stderr


def test_serve_prepare_only_builds_what_is_missing_and_exits(tmp_path) -> None:
    result = run("serve", "--prepare-only", "--no-static", "--notebooks", "tests/browser/fixtures", timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "dashboards at" not in result.stdout


def test_the_serve_modules_import_without_posix_only_modules() -> None:
    # Windows has no fcntl, termios, pwd, grp or resource; psutil (which imports resource on Linux) is imported
    # only when the cap is sized, so this also checks nothing imports it at module level.
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_WITHOUT_POSIX, POSIX_ONLY], cwd=REPO, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "[]"


def _manager(cap: int, live: int) -> GraceKernelManager:
    manager = GraceKernelManager()
    manager._cap = cap
    manager._kernels.update({f"k{i}": object() for i in range(live)})
    return manager


def test_a_reader_beyond_the_cap_starts_no_kernel() -> None:
    manager = _manager(cap=2, live=2)
    with pytest.raises(KernelCapReached):
        run_on_own_thread(manager.start_kernel(kernel_name="python3", env={"VOILA_PREHEAT": "False"}))
    assert manager.live_kernel_count() == 2


def test_a_pool_refill_waits_under_the_cap_until_a_place_frees() -> None:
    manager = _manager(cap=1, live=1)
    manager.cap_poll_interval = 0.01

    async def scenario() -> bool:
        refill = asyncio.ensure_future(manager.start_kernel(kernel_name="python3", env={"VOILA_PREHEAT": "True"}))
        await asyncio.sleep(0.1)
        waiting = not refill.done()
        manager._closing = True  # shutting down: the waiting refill gives up instead of starting a kernel
        with pytest.raises(KernelCapReached):
            await refill
        return waiting

    assert run_on_own_thread(scenario()), "the refill did not wait under the cap"


def test_the_cap_comes_from_the_environment_first(monkeypatch) -> None:
    monkeypatch.setenv("ADASS_KERNEL_CAP", "7")
    manager = GraceKernelManager(kernel_cap=3)
    assert manager.cap == 7
    monkeypatch.delenv("ADASS_KERNEL_CAP")
    assert GraceKernelManager(kernel_cap=3).cap == 3
    assert 4 <= GraceKernelManager().cap <= 64  # sized to memory, within its bounds


def test_a_bad_cap_in_the_environment_is_refused(monkeypatch) -> None:
    monkeypatch.setenv("ADASS_KERNEL_CAP", "many")
    with pytest.raises(ValueError, match="ADASS_KERNEL_CAP"):
        GraceKernelManager().cap


def test_kernel_ids_end_with_the_route_of_their_process(monkeypatch) -> None:
    monkeypatch.setenv("ADASS_KERNEL_ROUTE", "08867")
    manager = GraceKernelManager()
    assert manager.new_kernel_id().endswith("08867")
