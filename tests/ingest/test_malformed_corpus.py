"""Run ``python -m adass_survey build`` on every damaged export of tests/ingest/malformed/ and check the outcome.

The expected outcome of each file is in tests/ingest/malformed/expected.csv (written with the files by
tests/ingest/malformed/make_corpus.py): refused (exit 2, a message naming the fault, no traceback, nothing
written), quarantined (exit 0, the rows and reasons in quarantine.csv) or accepted (exit 0, a note).
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "malformed"
EXPECTED = list(csv.DictReader((CORPUS / "expected.csv").open(encoding="utf-8")))


def _run(case: dict, out_root: Path) -> dict:
    out = out_root / case["file"]
    raw = CORPUS / "files" / case["file"]
    before = raw.read_bytes()
    done = subprocess.run(
        [sys.executable, "-m", "adass_survey", "build", "--raw", str(raw), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    return {"done": done, "out": out, "unchanged": raw.read_bytes() == before}


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict[str, dict]:
    out_root = tmp_path_factory.mktemp("corpus")
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        runs = list(pool.map(lambda case: _run(case, out_root), EXPECTED))
    return {case["file"]: run for case, run in zip(EXPECTED, runs)}


def test_corpus_is_large_and_varied():
    outcomes = [c["outcome"] for c in EXPECTED]
    assert len(EXPECTED) >= 25
    assert {"refused", "quarantined", "accepted"} <= set(outcomes)
    assert sorted(p.name for p in (CORPUS / "files").iterdir()) == sorted(c["file"] for c in EXPECTED)


def test_corpus_files_are_what_the_script_writes(tmp_path, monkeypatch):
    sys.path.insert(0, str(CORPUS))
    try:
        import make_corpus
    finally:
        sys.path.remove(str(CORPUS))
    for name, content, expected in make_corpus.cases():
        assert (CORPUS / "files" / name).read_bytes() == content, name
        row = next(c for c in EXPECTED if c["file"] == name)
        assert row["outcome"] == expected["outcome"], name


@pytest.mark.parametrize("case", EXPECTED, ids=[c["file"] for c in EXPECTED])
def test_damaged_export(case, results):
    run = results[case["file"]]
    done, out = run["done"], run["out"]
    assert run["unchanged"], "the raw file was modified"
    assert "Traceback" not in done.stderr
    assert "unexpectedly" not in done.stderr, done.stderr
    assert done.returncode == int(case["exit_code"]), done.stderr
    if case["outcome"] == "refused":
        assert case["message"] in done.stderr
        assert case["file"] in done.stderr, "the message names the file"
        assert not out.exists(), "a refused build wrote output"
        return
    manifest = json.loads((out / "build_manifest.json").read_text(encoding="utf-8"))
    quarantine = pd.read_csv(out / "quarantine.csv", keep_default_na=False)
    respondents = pd.read_csv(out / "respondents.csv")
    assert manifest["rows_in"] == manifest["rows_clean"] + manifest["rows_quarantined"]
    assert (
        f"rows in {manifest['rows_in']} = clean {manifest['rows_clean']} + quarantined {manifest['rows_quarantined']}"
        in done.stdout
    )
    assert len(respondents) == manifest["rows_clean"]
    assert quarantine["source_row"].nunique() == manifest["rows_quarantined"] == int(case["rows_quarantined"])
    assert set(respondents["source_row"]).isdisjoint(quarantine["source_row"])
    if case["outcome"] == "quarantined":
        assert quarantine["reason"].str.contains(case["reason"], regex=False).any(), quarantine["reason"].tolist()
        assert (quarantine["source_row"] >= 3).all()
    else:
        assert case["message"] in done.stdout


def test_unknown_option_suggests_the_nearest(results):
    quarantine = pd.read_csv(results["unknown_option.csv"]["out"] / "quarantine.csv", keep_default_na=False)
    row = quarantine[quarantine["column"] == "region"].iloc[0]
    assert (row["value"], row["suggestion"]) == ("Nort East", "North East")


def test_other_column_value_suggests_own_option(results):
    quarantine = pd.read_csv(results["value_from_other_column.csv"]["out"] / "quarantine.csv", keep_default_na=False)
    assert quarantine.loc[0, ["column", "value", "suggestion"]].tolist() == ["council_type", "London", "London borough"]
