"""No output names a council: notebook outputs, the static site, the raw export and the processed data.

The list of names is ``adass_survey.disclosure.redact.COUNCIL_NAMES`` (the 152 councils of 2011). A name is
matched as a whole word, case-sensitively (so "reading" in a sentence is not the town of Reading),
in every committed notebook's stored outputs (embedded images and downloads are base64 and are
decoded only for the text downloads), in every view of the views catalogue (what live and static pages show, every filter selection), and in
every file under ``data/raw`` and ``data/processed``.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest

from adass_survey.disclosure.redact import COUNCIL_NAMES, REDACTED, redact

ROOT = Path(__file__).resolve().parents[2]
NAMES = re.compile(
    r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in sorted(COUNCIL_NAMES, key=len, reverse=True)) + r")(?![\w-])"
)
# "Reading used: ..." is the caveats' label for how an erratum is read, not the town of Reading
NOT_A_NAME = re.compile(r"Reading used:")
CSV_LINK = re.compile(r"data:text/csv;base64,([A-Za-z0-9+/=]+)")


def council_names_in(text: str) -> list[str]:
    """Council names found in a text (whole words)."""
    return sorted({m.group(0) for m in NAMES.finditer(NOT_A_NAME.sub("", text))})


def _output_texts(path: Path) -> list[str]:
    texts = []
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        for output in cell.get("outputs", []):
            for mime, data in output.get("data", {}).items():
                if mime.startswith("image/"):
                    continue
                text = data if isinstance(data, str) else "".join(data) if isinstance(data, list) else json.dumps(data)
                texts.append(text)
                texts += [base64.b64decode(b).decode("utf-8-sig", "replace") for b in CSV_LINK.findall(text)]
            texts.append("".join(output.get("text", "")))
    return texts


def test_the_name_list_has_the_152_councils():
    assert len(set(COUNCIL_NAMES)) == 152


def test_the_check_finds_a_name():
    assert council_names_in("The panel in Kent meets monthly; North Yorkshire too.") == ["Kent", "North Yorkshire"]
    assert council_names_in(redact("The panel in Kent meets monthly.")) == []
    assert council_names_in("Readings of the data. Reading used: 58.") == []
    assert council_names_in("as in Reading and Slough") == ["Reading", "Slough"]


NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_outputs_name_no_council(path):
    found = {name for text in _output_texts(path) for name in council_names_in(text)}
    assert not found, f"{path.name} outputs name {sorted(found)}"


def test_example_answers_shown_are_redacted():
    shown = [t for p in NOTEBOOKS for t in _output_texts(p) if "adass-examples" in t]
    for text in shown:
        assert not council_names_in(text)
    assert any(REDACTED in t for t in shown) or not shown or all("<q>" in t for t in shown)


DATA_FILES = sorted(
    p
    for d in ("data/raw", "data/processed")
    for p in (ROOT / d).glob("*")
    if p.is_file() and p.suffix in {".csv", ".json", ".md", ".txt", ".tsv"}
)


@pytest.mark.parametrize("path", DATA_FILES, ids=[str(p.relative_to(ROOT)) for p in DATA_FILES])
def test_shipped_data_names_no_council(path):
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    if path.name == "README.md":  # a README may explain the redaction list; it must not list respondents
        text = re.sub(r"(?s)```.*?```", "", text)
    assert not council_names_in(text), f"{path.relative_to(ROOT)} names {council_names_in(text)}"


def test_processed_parquet_names_no_council():
    import pandas as pd

    from adass_survey.processed.survey import load_survey

    load_survey()  # builds the processed data when it is missing or stale
    path = ROOT / "data" / "processed" / "respondents.parquet"
    frame = pd.read_parquet(path)
    text = frame.to_csv(index=False)
    assert not council_names_in(text)


def test_every_view_a_page_can_show_names_no_council(catalogue):
    """Live and static pages show only views of the catalogue: every one of them, every filter selection."""
    found = {}
    for path in sorted(catalogue.glob("*.json")):
        entry = json.loads(path.read_text(encoding="utf-8"))
        views = entry["views"].values() if entry.get("kind") == "panel" else [entry]
        for view in views:
            texts = [view.get("html", ""), view.get("text", ""), view.get("base", "")]
            texts += [base64.b64decode(m).decode("utf-8-sig") for m in CSV_LINK.findall(view.get("html", ""))]
            names = sorted({n for t in texts for n in council_names_in(t)})
            if names:
                found[path.name] = names
    assert len(list(catalogue.glob("*.json"))) > 50
    assert not found, found
