"""Windows, where most council analysts work: the library imports and builds with no POSIX-only module.

A fresh interpreter gets a ``sys.meta_path`` finder that refuses ``fcntl``, ``termios``, ``pwd``, ``grp`` and
``resource`` (modules Windows does not have), then imports every ``adass_survey`` module and runs
``load_survey`` on a temporary copy of the raw export, so the build and its lock run too.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

from adass_survey.core.paths import raw_export_path

POSIX_ONLY = ("fcntl", "termios", "pwd", "grp", "resource")

SCRIPT = """
import importlib, importlib.abc, pkgutil, sys

BLOCKED = set(sys.argv[3].split(","))


class NoPosixOnly(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r} (simulated Windows)", name=name)
        return None


for name in BLOCKED:
    sys.modules.pop(name, None)
sys.meta_path.insert(0, NoPosixOnly())

import adass_survey

names = sorted(m.name for m in pkgutil.walk_packages(adass_survey.__path__, "adass_survey.")
               if not m.name.endswith(".__main__"))  # __main__ runs the command line; cli is imported instead
for name in names:
    importlib.import_module(name)

from adass_survey.processed.survey import load_survey

survey = load_survey(sys.argv[1], sys.argv[2])
leaked = sorted(BLOCKED & set(sys.modules))
print(len(names), len(survey.respondents), leaked)
"""


def test_every_module_imports_and_the_survey_builds_without_posix_only_modules(tmp_path):
    raw = tmp_path / "export.csv"
    shutil.copy(raw_export_path(), raw)
    processed = tmp_path / "processed"
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(raw), str(processed), ",".join(POSIX_ONLY)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    modules, respondents, leaked = run.stdout.split(maxsplit=2)
    assert int(modules) > 40, "walk_packages found too few modules: is the package importable?"
    assert int(respondents) == 58
    assert leaked.strip() == "[]"
    assert (processed / "build_manifest.json").is_file()
