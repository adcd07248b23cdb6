"""`python -m adass_survey serve` (what scripts/serve.sh runs) and the kernel cap, without a browser."""

from __future__ import annotations

import os
import subprocess
import sys

from adass_survey.cli import build_parser
from adass_survey.core.paths import project_root

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
for name in ("cli", "serve.launch", "serve.app", "serve.renders", "serve.deploy"):
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
    # Windows has no fcntl, termios, pwd, grp or resource.
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_WITHOUT_POSIX, POSIX_ONLY], cwd=REPO, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "[]"
