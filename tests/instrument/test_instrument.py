"""The instrument printed from the codebook: questionnaire, data dictionary, and a blank template build accepts."""

from __future__ import annotations

import csv
import json

import pytest

from adass_survey.cli import main
from adass_survey.core.codebook import load_codebook
from adass_survey.core.paths import data_dir
from adass_survey.instrument.dictionary import dictionary_csv, dictionary_html, dictionary_rows
from adass_survey.instrument.questionnaire import questionnaire_html, skip_notes
from adass_survey.instrument.template import template_columns, template_rows
from adass_survey.processed.build import build
from adass_survey.synth.draw import export_columns

CB = load_codebook()
ASKED = [q for q in CB.questions if q.type not in ("id", "meta")]


def test_template_has_the_two_header_rows_the_synthetic_export_has():
    assert [(c[2], c[3]) for c in export_columns(CB)] == [(c[1], c[2]) for c in template_columns(CB)]
    with open(data_dir() / "raw" / "synthetic_survey_export_n58_seed2011.csv", encoding="cp1252", newline="") as f:
        reader = csv.reader(f)
        assert [next(reader), next(reader)] == template_rows(CB)


ANSWERS = {
    "region": ["London", "North East", "South West"],
    "council_type": ["London borough", "County", "Unitary"],
    "strategy": ["Yes", "yes", "No"],
    "take_up": ["45%", "72", "about 60%"],
    "market_rating": ["3", "4", "2"],
    "dp_restrictions": ["Yes", "No", "Yes"],
    "risk_management": ["Positive risk taking policy.", "", ""],
}


def test_blank_template_filled_with_a_few_rows_builds(tmp_path):
    template = tmp_path / "export-template.csv"
    assert main(["template", "--out", str(template)]) == 0
    with open(template, encoding="utf-8", newline="") as f:
        header = list(csv.reader(f))
    assert len(header) == 2
    keys = [c[0] for c in template_columns(CB)]
    rows = []
    for i in range(3):
        row = [""] * len(keys)
        row[keys.index("respondent_id")] = str(101 + i)
        for question_id, values in ANSWERS.items():
            row[keys.index(question_id)] = values[i]
        row[keys.index("advisory_user_groups__carers")] = "Carers" if i == 0 else ""
        rows.append(row)
    with open(template, "a", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows(rows)
    manifest = build(template, tmp_path / "processed")
    stored = json.loads((tmp_path / "processed" / "build_manifest.json").read_text())
    assert stored["rows_in"] == 3 == stored["rows_clean"], stored
    assert manifest.rows_clean == 3


@pytest.mark.parametrize(
    "command, names", [("questionnaire", ["q.html"]), ("dictionary", ["d.csv", "d.html"]), ("template", ["t.csv"])]
)
def test_commands_write_their_files(tmp_path, command, names, capsys):
    out = tmp_path / names[0]
    assert main([command, "--out", str(out)]) == 0
    assert all((tmp_path / name).stat().st_size > 0 for name in names)
    assert str(tmp_path) not in capsys.readouterr().out


def test_questionnaire_prints_every_question_its_options_and_skip_notes():
    html = questionnaire_html()
    for question in ASKED:
        assert question.header.replace("'", "&#x27;") in html, question.id
        for option in question.options:
            assert option.label in html, (question.id, option.code)
    assert len(skip_notes()) == 6 and html.count('class="skip"') == 6
    assert "Answer only if you answered &#x27;No&#x27; to question 10.1" in html


def test_dictionary_has_one_row_per_export_column_with_codes_and_labels():
    rows = dictionary_rows()
    assert [r["column"] for r in rows] == [c[0] for c in template_columns(CB)]
    by_column = {r["column"]: r for r in rows}
    assert by_column["dp_restrictions"]["codes"] == "yes | no"
    assert by_column["take_up"]["codes"] == "below_60 | 60_or_above | insufficient"
    assert "positive_risk_taking" in by_column["risk_management"]["codes"]
    assert dictionary_csv().count("\n") == len(rows) + 1
    assert dictionary_html().count("<tr>") == len(rows) + 1


@pytest.mark.parametrize(
    "name, make",
    [
        ("questionnaire.html", questionnaire_html),
        ("data-dictionary.csv", dictionary_csv),
        ("data-dictionary.html", dictionary_html),
        ("export-template.csv", None),
    ],
)
def test_committed_instrument_is_in_step_with_the_codebook(name, make):
    path = data_dir() / "templates" / name
    expected = (
        make()
        if make
        else "".join(",".join(f'"{c}"' if "," in c else c for c in row) + "\r\n" for row in template_rows())
    )
    with open(path, encoding="utf-8", newline="") as handle:
        assert handle.read() == expected, f"regenerate data/templates/{name} with python -m adass_survey"
