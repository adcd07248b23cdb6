"""The library's imports follow the layers of ``docs/architecture.md``.

The doc's table says which subpackages each subpackage may import, and its layer line orders them. This test
reads both from the doc and checks that (1) every subpackage of ``lib/adass_survey`` is in the table, (2) what the
table allows runs only down the layers, and (3) every import of every module, lazy imports inside functions
included, goes to the subpackage itself, the package root, or a subpackage the table allows.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "lib" / "adass_survey"
DOC = ROOT / "docs" / "architecture.md"


def allowed_imports(text: str) -> dict[str, set[str]]:
    """Subpackage -> the subpackages it may import, from the doc's table (``nothing`` is none)."""
    allowed = {}
    for row in re.finditer(r"^\| `([a-z_]+)` \|.*\| ([^|]+) \|$", text, re.M):
        cell = row.group(2).strip()
        allowed[row.group(1)] = set() if cell == "nothing" else {p.strip() for p in cell.split(",")}
    return allowed


def layer_ranks(text: str) -> dict[str, int]:
    """Subpackage -> its layer (0 is the lowest), from the doc's line ``core < synth / ingest < ...``."""
    line = next(line for line in text.splitlines() if line.startswith("core <"))
    return {name.strip(): rank for rank, layer in enumerate(line.split("<")) for name in layer.split("/")}


def subpackage_of(module: str) -> str:
    """``adass_survey.clean.values`` -> ``clean``; ``adass_survey.cli`` -> ``cli``; the root -> ``adass_survey``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def imports_of(path: Path) -> set[str]:
    """Every ``adass_survey`` module a file imports, at the top or inside a function."""
    module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target == "adass_survey":  # `from .. import x`: x may be a subpackage or a root name
                for alias in node.names:
                    is_sub = (PACKAGE / alias.name).is_dir() or (PACKAGE / f"{alias.name}.py").is_file()
                    found.add(f"adass_survey.{alias.name}" if is_sub else "adass_survey")
            elif target.startswith("adass_survey."):
                found.add(target)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("adass_survey")}
    return found


def module_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def subpackages() -> set[str]:
    subs = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").is_file()}
    return subs | {p.stem for p in PACKAGE.glob("*.py") if not p.stem.startswith("__")}


DOC_TEXT = DOC.read_text(encoding="utf-8")
ALLOWED = allowed_imports(DOC_TEXT)
RANKS = layer_ranks(DOC_TEXT)


def test_every_subpackage_is_in_the_doc():
    assert subpackages() - set(ALLOWED) == set()
    assert set(ALLOWED) - subpackages() == set()
    assert set(ALLOWED) == set(RANKS)


@pytest.mark.parametrize("sub", sorted(ALLOWED))
def test_what_the_doc_allows_runs_down_the_layers(sub):
    upward = sorted(other for other in ALLOWED[sub] if RANKS[other] >= RANKS[sub])
    assert upward == [], f"{sub} (layer {RANKS[sub]}) may import {upward}, which are not below it"


def violations(files: list[Path], allowed: dict[str, set[str]]) -> list[str]:
    found = []
    for path in files:
        module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        sub = subpackage_of(module)
        if sub == "__main__":
            sub = "cli"
        for target in sorted(imports_of(path)):
            other = subpackage_of(target)
            if other in (sub, "adass_survey") or other in allowed.get(sub, set()):
                continue
            found.append(f"{module} imports {target} ({sub} may import {sorted(allowed.get(sub, set()))})")
    return found


def test_every_import_goes_where_the_doc_allows():
    assert violations(module_files(), ALLOWED) == []


def test_a_forbidden_import_is_found():
    """The check can fail: with ``clean`` allowed only ``core``, its import of ``ingest`` is reported."""
    found = violations([PACKAGE / "clean" / "respondents.py"], {**ALLOWED, "clean": {"core"}})
    assert any("imports adass_survey.ingest" in v for v in found)
