"""Every third-party package the library imports is declared in pyproject.toml with a lower bound, and nothing else is.

The imports are read from the source with :mod:`ast` (every ``import`` in ``lib/adass_survey/**``, including the lazy
ones inside functions), mapped to their distributions with :func:`importlib.metadata.packages_distributions`, and
compared with ``[project] dependencies``.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "lib" / "adass_survey"

# Declared although no module imports them: each needed at run time some other way (say how).
RUNTIME_NEEDS: dict[str, str] = {"supervisor": "deploy/run.sh runs its supervisord, which restarts a stopped process"}


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def imported_modules(package: Path = PACKAGE) -> dict[str, set[str]]:
    """Top-level module name -> the files importing it, for every absolute import outside the standard library."""
    found: dict[str, set[str]] = {}
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.partition(".")[0]
                if top not in sys.stdlib_module_names and top != "adass_survey":
                    found.setdefault(top, set()).add(path.relative_to(ROOT).as_posix())
    return found


def declared() -> dict[str, str]:
    """Normalised distribution name -> requirement string, from ``[project] dependencies``."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {_normalise(re.split(r"[<>=!~\[; ]", req, maxsplit=1)[0]): req for req in project["dependencies"]}


def imported_distributions() -> dict[str, set[str]]:
    """Normalised distribution name -> the files importing it; fails on a module no installed distribution provides."""
    providers = packages_distributions()
    unknown = {m: files for m, files in imported_modules().items() if m not in providers}
    assert not unknown, f"imported but provided by no installed distribution: {unknown}"
    found: dict[str, set[str]] = {}
    for module, files in imported_modules().items():
        for dist in providers[module]:
            found.setdefault(_normalise(dist), set()).update(files)
    return found


def test_the_scan_sees_eager_and_lazy_imports():
    modules = imported_modules()
    assert "pandas" in modules  # module level, nearly everywhere
    assert "lib/adass_survey/pages/export.py" in modules.get("nbclient", set())  # inside a function
    assert not {"os", "json", "adass_survey", "__future__"} & modules.keys()


def test_every_imported_package_is_declared():
    missing = {dist: sorted(files) for dist, files in imported_distributions().items() if dist not in declared()}
    assert not missing, f"imported by the library but not in pyproject.toml's dependencies: {missing}"


def test_every_declared_dependency_is_imported_or_a_documented_runtime_need():
    unused = sorted(declared().keys() - imported_distributions().keys() - RUNTIME_NEEDS.keys())
    assert not unused, f"declared in pyproject.toml but imported nowhere in lib/adass_survey: {unused}"


def test_every_dependency_has_a_lower_bound_that_constraints_satisfy():
    from packaging.requirements import Requirement

    pins = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.strip().split("==")
            pins[_normalise(name)] = version
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = [Requirement(r) for r in project["dependencies"]]
    requirements += [Requirement(r) for extra in project["optional-dependencies"].values() for r in extra]
    unbounded = [str(r) for r in requirements if not any(s.operator in (">=", "==", "~=", ">") for s in r.specifier)]
    assert not unbounded, f"dependencies without a lower bound: {unbounded}"
    outside = {
        str(r): pins.get(_normalise(r.name))
        for r in requirements
        if not r.specifier.contains(pins.get(_normalise(r.name), "0"), prereleases=True)
    }
    assert not outside, f"the version constraints.txt pins does not satisfy pyproject.toml: {outside}"
