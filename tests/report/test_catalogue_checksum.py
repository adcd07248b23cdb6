"""A damaged views catalogue is caught: every entry's checksum is in the manifest.

A truncated entry, one with a byte flipped, and a deleted one are each read as missing (the view is computed live,
never an error), and ``catalogue`` rebuilds the catalogue without ``--force``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from adass_survey.report import catalogue as catalogue_module
from adass_survey.report.catalogue import MANIFEST, call_key, stored
from adass_survey.report.catalogue_build import build_catalogue, damaged_entries, is_current, run_catalogue


def truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    at = data.index(b'"') + 1  # inside the first string: the file stays valid JSON, only its content changes
    data[at] = ord("A") if data[at] != ord("A") else ord("B")
    path.write_bytes(bytes(data))


def delete(path: Path) -> None:
    path.unlink()


@pytest.fixture
def small_catalogue(tmp_path) -> tuple[Path, Path]:
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    cells = [{"cell_type": "code", "source": ['report.caveats("7")\n', 'report.caveats("9")']}]
    (notebooks / "01-x.ipynb").write_text(json.dumps({"cells": cells}))
    out = tmp_path / "catalogue"
    build_catalogue(notebooks, out, workers=1)
    return notebooks, out


def test_every_entry_has_its_checksum_in_the_manifest(small_catalogue) -> None:
    notebooks, out = small_catalogue
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert [len(call["sha256"]) for call in manifest["calls"]] == [64, 64]
    assert is_current(notebooks, out)


@pytest.mark.parametrize("damage", [truncate, flip_a_byte, delete])
def test_a_damaged_entry_is_computed_live_and_rebuilt_without_force(small_catalogue, damage, capsys) -> None:
    notebooks, out = small_catalogue
    args = ["7", None]
    key = call_key("caveats", args, {})
    intact = stored("caveats", args, {}, folder=out)
    assert intact is not None
    damage(out / f"{key}.json")
    catalogue_module._MANIFESTS.clear()
    assert stored("caveats", args, {}, folder=out) is None, "a damaged entry was read"
    assert stored("caveats", ["9", None], {}, folder=out) is not None, "an intact entry was not read"
    assert damaged_entries(notebooks, out) == [key]
    assert not is_current(notebooks, out)
    status = run_catalogue(argparse.Namespace(out=out, notebooks=notebooks, force=False, quiet=True))
    assert status == 0
    assert "1 entries missing or damaged" in capsys.readouterr().out
    assert stored("caveats", args, {}, folder=out) == intact
    assert is_current(notebooks, out)
