"""Many kernels start at once (preheated dashboards, parallel nbval): the processed data is built once, safely."""

from __future__ import annotations

import shutil
import subprocess
import sys

from adass_survey.core.paths import raw_export_path

SCRIPT = """
import sys
from adass_survey.processed.survey import load_survey
survey = load_survey(sys.argv[1], sys.argv[2])
print(len(survey.respondents))
"""


def test_concurrent_first_loads_all_succeed(tmp_path):
    raw = tmp_path / "export.csv"
    shutil.copy(raw_export_path(), raw)
    processed = tmp_path / "processed"
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", SCRIPT, str(raw), str(processed)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(6)
    ]
    results = [run.communicate(timeout=300) + (run.returncode,) for run in runs]
    failures = [(code, err[-500:]) for out, err, code in results if code != 0]
    assert not failures, failures
    assert [out.strip() for out, _, _ in results] == ["58"] * 6
    assert sorted(p.name for p in processed.iterdir()) == [
        "build_manifest.json",
        "quarantine.csv",
        "respondents.csv",
        "respondents.parquet",
        "themes.csv",
    ]
