"""environment.yml (conda users) and constraints.txt (pip, what CI tests) describe one environment."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _constraints() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[_normalise(name)] = version
    return pins


def _environment() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pins = {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            for pip_dep in dep["pip"]:
                if "==" in pip_dep:
                    name, version = pip_dep.split("==")
                    pins[_normalise(name)] = version
        elif "=" in dep:
            name, version = dep.split("=", 1)
            pins[_normalise(name)] = version
    return pins


def test_every_environment_pin_equals_the_constraint():
    constraints = _constraints()
    environment = _environment()
    python = environment.pop("python")
    assert python == "3.11"
    different = {n: (v, constraints.get(n)) for n, v in environment.items() if constraints.get(n) != v}
    assert not different, f"environment.yml and constraints.txt disagree (env, constraints): {different}"


def test_every_direct_dependency_is_in_both():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    direct = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        direct += extra
    direct = {_normalise(re.split(r"[<>=\[ ]", d)[0]) for d in direct}
    constraints, environment = _constraints(), _environment()
    assert not direct - constraints.keys(), f"not pinned in constraints.txt: {sorted(direct - constraints.keys())}"
    assert not direct - environment.keys(), f"missing from environment.yml: {sorted(direct - environment.keys())}"
