"""Compare my council: the form comes from the codebook, the figures only from data/published, hostile values are
refused, nothing is written, and the page's kernel never imports pandas or matplotlib."""

from __future__ import annotations

import base64
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from adass_survey.compare.comparison import compare_answer
from adass_survey.compare.page import CompareForm
from adass_survey.compare.published import load_extras, load_figures, wilson_interval
from adass_survey.compare.spec import form_items
from adass_survey.core.codebook import load_codebook
from adass_survey.published.figures import normalise_text, report_path, report_text

ITEMS = {item.key: item for item in form_items()}
REFUSED_TEXT = "the form has been cleared"


def test_form_covers_every_closed_question_with_a_published_figure():
    expected = {
        "strategy",
        "on_target",
        "take_up",
        "confident_target_group",
        "advisory_self_funders",
        "dp_restrictions",
        "outcomes_monitored",
        "individual_accounting",
        "market_rating",
        "dp_mainstreamed",
        "risk_management.no_risk_approach",
        "risk_management.positive_risk_taking",
    }
    assert expected <= set(ITEMS)
    assert "region" not in ITEMS and "council_type" not in ITEMS
    assert all(item.options for item in ITEMS.values())


def test_a_new_wave_codebook_gives_a_new_form_without_code_change(tmp_path):
    raw = yaml.safe_load(Path(load_codebook.__globals__["codebook_path"]()).read_text(encoding="utf-8"))
    raw["questions"].append(
        {
            "id": "pb_review",
            "short": "Reviews of personal budgets",
            "section": "15.1",
            "type": "yes_no",
            "header": "Do you review every personal budget each year?",
        }
    )
    path = tmp_path / "codebook.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    figures = load_figures() + (
        {
            "id": "F15-01",
            "section": "15.1",
            "question": "pb_review",
            "category": "yes",
            "count": 40,
            "base": 60,
            "base_rule": "cohort",
            "percent_printed": 67,
            "check": "exact",
            "quote": "40 review",
            "note": "",
            "erratum_id": "",
        },
    )
    items = {i.key: i for i in form_items(load_codebook(path), figures)}
    assert items["pb_review"].options == (("yes", "Yes"), ("no", "No"))
    comparison = compare_answer(items["pb_review"], "yes", figures)
    assert comparison.national.startswith("40 of 60 responding councils (67%) said the same")


def test_the_issue_example_sentence_with_base_and_interval():
    c = compare_answer(ITEMS["take_up"], "below_60")
    assert c.answer == "You answered 'Less than 60%'"
    assert c.national == (
        "29 of 58 responding councils (50%) said the same in September 2011 (95% interval 38% to 62%)."
    )


def test_wilson_interval_matches_a_known_value():
    low, high = wilson_interval(10, 58)  # 17.2%: Wilson 95% interval 9.6% to 28.9%
    assert (round(low * 1000), round(high * 1000)) == (96, 289)


def test_minority_answer_brings_the_reports_practice_examples_and_key_message():
    c = compare_answer(ITEMS["dp_restrictions"], "no")
    assert c.minority and c.examples and c.examples[0]["section"] == "7.2"
    majority = compare_answer(ITEMS["dp_restrictions"], "yes")
    assert not majority.minority and not majority.examples
    accounting = compare_answer(ITEMS["individual_accounting"], "no")
    assert [m for m, _ in accounting.messages] == ["12.5"]
    assert accounting.messages[0][1].startswith("Financial accounting capability to individual levels is patchy")


def test_printed_percentage_that_is_an_erratum_is_flagged():
    c = compare_answer(ITEMS["on_target"], "yes")
    assert "55 of 58" in c.national and "The report printed 97% here." in c.notes
    assert any(note.startswith("Erratum E03") for note in c.notes)


def test_quotes_and_key_messages_are_verbatim():
    if not report_path().exists():
        pytest.skip("report text not available")  # the shared seeds are always present in CI
    report = normalise_text(report_text())
    extras = load_extras()
    missing = [e["quote"] for e in extras["practice_examples"] if normalise_text(e["quote"]) not in report]
    missing += [t for t in extras["key_messages"].values() if normalise_text(t) not in report]
    assert missing == []


def _update(widget, state):
    """Deliver a comm message from a client to a kernel-side widget, exactly as ipykernel does."""
    widget._handle_msg({"content": {"data": {"method": "update", "state": state, "buffer_paths": []}}, "buffers": []})


@pytest.mark.parametrize(
    "key, state",
    [
        ("take_up", {"index": 99}),
        ("take_up", {"index": -1}),
        ("take_up", {"index": "1"}),
        ("take_up", {"value": "below_60; DROP TABLE"}),
        ("market_rating", {"index": 1, "options": ["x"]}),
        ("market_rating", {"_options_labels": ["<script>alert(1)</script>"]}),
        ("strategy", {"index": None}),
    ],
)
def test_hostile_widget_values_clear_the_form_with_a_plain_message(key, state):
    form = CompareForm()
    _update(form.choices["strategy"], {"index": 1})
    assert form.answers() == {"strategy": "yes"} and "57 of 58" in form.results.value
    _update(form.choices[key], state)
    assert form.answers() == {}
    assert REFUSED_TEXT in form.message.value and "Traceback" not in form.message.value
    assert "57 of 58" not in form.results.value and form.summary.value == ""


@pytest.mark.parametrize(
    "target, state",
    [("results", {"value": "<img src=x onerror=alert(1)>"}), ("name", {"value": "x" * 500}), ("box", {"children": []})],
)
def test_client_cannot_write_into_the_page(target, state):
    form = CompareForm()
    _update(form.choices["take_up"], {"index": 1})
    _update(getattr(form, target), state)
    assert "onerror" not in form.results.value and len(form.name.value) <= 80 and len(form.box.children) > 5
    assert REFUSED_TEXT in form.message.value


def test_summary_is_a_data_uri_document_with_the_answers_and_print_styles():
    form = CompareForm()
    _update(form.name, {"value": "Testshire <County>"})
    _update(form.choices["take_up"], {"index": 1})
    _update(form.choices["market_rating"], {"index": 2})
    href = re.search(r'href="data:text/html;charset=utf-8;base64,([^"]+)"', form.summary.value).group(1)
    document = base64.b64decode(href).decode("utf-8")
    assert "Testshire &lt;County&gt;" in document and "@media print" in document
    assert "29 of 58 responding councils (50%)" in document and "4 of 58 responding councils (7%)" in document


def test_the_page_kernel_imports_neither_pandas_nor_matplotlib(tmp_path):
    code = (
        "import sys\nfrom adass_survey.compare.page import compare_page\n"
        "from adass_survey.instrument.downloads import instrument_downloads\n"
        "form = compare_page(); form.choices['take_up'].value = 'below_60'; instrument_downloads()\n"
        "assert '29 of 58' in form.results.value\n"
        "print(sorted(m for m in ('pandas', 'matplotlib', 'numpy', 'scipy', 'pyarrow') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_answering_writes_no_file(tmp_path, monkeypatch):
    import builtins
    import os

    opened = []
    real_open = builtins.open

    def watching_open(file, mode="r", *args, **kwargs):
        if any(flag in mode for flag in "wax+"):
            opened.append(file)
        return real_open(file, mode, *args, **kwargs)

    form = CompareForm()
    monkeypatch.setattr(builtins, "open", watching_open)
    monkeypatch.setattr(os, "replace", lambda *a: opened.append(a))
    _update(form.name, {"value": "Qwertyshire 4417"})
    for key in ("take_up", "dp_restrictions", "market_rating"):
        _update(form.choices[key], {"index": 2})
    assert "Qwertyshire 4417" in base64.b64decode(form.summary.value.split("base64,")[1].split('"')[0]).decode()
    assert opened == []
