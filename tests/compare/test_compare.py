"""Compare my council: the form comes from the codebook, the figures only from data/published; the page is plain HTML
holding every answer's block and one script whose hash is published; answers given in code are checked."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import re
import subprocess
import sys
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from adass_survey.compare.answers import compare_answers, summary
from adass_survey.compare.comparison import compare_answer
from adass_survey.compare.form import PRIVACY_LINE, fieldset_html
from adass_survey.compare.lookup import national_figure
from adass_survey.compare.page import SCRIPT, compare_page, page_html, script_hash, script_hashes
from adass_survey.compare.published import figure_rows, load_extras
from adass_survey.compare.spec import Item, form_items
from adass_survey.compare.style import MAX_OPTIONS, compare_css, written_css
from adass_survey.compare.summary import document, summary_document
from adass_survey.core.codebook import load_codebook
from adass_survey.core.proportions import wilson_interval
from adass_survey.pages.policy import inline_sources
from adass_survey.present.choices import TEMPLATES
from adass_survey.present.panel import HTML_PANELS_ENV
from adass_survey.published.figures import normalise_text, report_path, report_text

ITEMS = {item.key: item for item in form_items()}
REPO = Path(__file__).resolve().parents[2]
STYLESHEET = TEMPLATES / "static" / "adass.css"


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
    figures = figure_rows() + (
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
    assert report_path().is_file(), "the report text belongs in data/source/"
    report = normalise_text(report_text())
    extras = load_extras()
    missing = [e["quote"] for e in extras["practice_examples"] if normalise_text(e["quote"]) not in report]
    missing += [t for t in extras["key_messages"].values() if normalise_text(t) not in report]
    assert missing == []


class Page(HTMLParser):
    """The parts of the page's HTML the tests look at: fieldsets and their radios, blocks, scripts, handlers.

    ``scripts`` are the scripts a browser runs; ``data`` the texts of the scripts it does not (a type of data).
    """

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.fieldsets: list[dict] = []
        self.blocks: dict[str, dict] = {}
        self.scripts: list[str] = []
        self.data: list[str] = []
        self.handlers: list[str] = []
        self._block: str | None = None
        self._depth = 0
        self._script: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.handlers += [name for name in attrs if name.startswith("on")]
        if tag == "fieldset":
            self.fieldsets.append({"id": attrs["id"], "radios": []})
        elif tag == "input" and attrs.get("type") == "radio":
            self.fieldsets[-1]["radios"].append(attrs)
        elif tag == "script":
            self._script, self._runs = [], attrs.get("type", "") in ("", "text/javascript")
        if self._block is not None and tag == "div":
            self._depth += 1
        elif tag == "div" and "adass-cmp-block" in attrs.get("class", "").split():
            self._block, self._depth = attrs["id"], 1
            self.blocks[attrs["id"]] = {**attrs, "fieldset": self.fieldsets[-1]["id"], "text": []}

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            (self.scripts if self._runs else self.data).append("".join(self._script))
            self._script = None
        if tag == "div" and self._block is not None:
            self._depth -= 1
            if self._depth == 0:
                self._block = None

    def handle_data(self, data):
        if self._script is not None:
            self._script.append(data)
        if self._block is not None:
            self.blocks[self._block]["text"].append(data)


PAGE_HTML = page_html()
PAGE = Page(PAGE_HTML)


def test_the_form_has_a_fieldset_per_question_not_answered_by_default():
    assert len(PAGE.fieldsets) == len(ITEMS) == 18
    for fieldset, item in zip(PAGE.fieldsets, ITEMS.values(), strict=True):
        radios = fieldset["radios"]
        assert len(radios) == len(item.options) + 1
        assert [r for r in radios if "checked" in r] == [radios[0]] and "adass-cmp-none" in radios[0]["class"]
        assert len({r["name"] for r in radios}) == 1


def test_every_option_has_its_block_with_the_published_figure():
    figures = figure_rows()
    for fieldset, item in zip(PAGE.fieldsets, ITEMS.values(), strict=True):
        for radio, (code, _label) in zip(fieldset["radios"][1:], item.options, strict=True):
            block = PAGE.blocks[radio["data-block"]]
            assert block["fieldset"] == fieldset["id"] and block["data-key"] == item.key and block["data-code"] == code
            text = unescape(" ".join("".join(block["text"]).split()))
            assert compare_answer(item, code).national in text
            found = national_figure(item, code, figures)
            if found.kind == "printed":  # the count and base as figures.csv holds them
                row = found.figure
                assert f"{row['count']} of {row['base']} responding councils" in text, (item.key, code)
    assert len(PAGE.blocks) == sum(len(item.options) for item in ITEMS.values())


def test_a_block_is_shown_by_css_for_its_answer_only():
    css = written_css(STYLESHEET.read_text(encoding="utf-8"))
    rules = re.findall(r"\.adass-cmp-q:has\(\.adass-cmp-o(\d+):checked\) \.adass-cmp-b(\d+) \{ display: block; \}", css)
    assert rules and all(a == b for a, b in rules)
    assert {int(a) for a, _ in rules} == set(range(1, MAX_OPTIONS + 1))
    assert max(len(i.options) for i in ITEMS.values()) <= MAX_OPTIONS
    for block_id, block in PAGE.blocks.items():
        number = re.search(r"-b(\d+)$", block_id).group(1)
        assert f"adass-cmp-b{number}" in block["class"]
        radio = next(r for f in PAGE.fieldsets for r in f["radios"] if r.get("data-block") == block_id)
        assert f"adass-cmp-o{number}" in radio["class"]


def test_the_form_styles_are_in_the_site_stylesheet_as_written_and_the_page_has_no_style_element():
    assert written_css(STYLESHEET.read_text(encoding="utf-8")) == compare_css(), (
        "run python -m adass_survey.compare.style"
    )
    assert "<style" not in PAGE_HTML and " style=" not in PAGE_HTML
    assert inline_sources(PAGE_HTML)[1:] == ([], [])  # no style for the page's policy to allow


def test_the_form_is_styled_in_jupyterlab_and_by_the_stylesheet_on_a_readers_page(monkeypatch):
    # JupyterLab's page has no site stylesheet: the output carries the rules. A reader's page has them in its head.
    monkeypatch.delenv(HTML_PANELS_ENV, raising=False)
    monkeypatch.delenv("SERVER_SOFTWARE", raising=False)
    assert compare_page().html.startswith(f"<style>{compare_css()}</style>")
    monkeypatch.setenv(HTML_PANELS_ENV, "1")
    assert "<style" not in compare_page().html
    monkeypatch.delenv(HTML_PANELS_ENV)
    monkeypatch.setenv("SERVER_SOFTWARE", "voila/0.5.13")
    assert compare_page().html == PAGE_HTML


def test_a_question_with_more_answers_than_the_stylesheet_shows_is_refused():
    options = tuple((f"c{n}", f"Answer {n}") for n in range(MAX_OPTIONS + 1))
    item = Item("many", "many", "Many answers?", "Many", "1.1", options)
    with pytest.raises(ValueError, match="more than the form shows"):
        fieldset_html(1, item, ["<p>x</p>"] * len(options))
    assert (
        fieldset_html(1, dataclasses.replace(item, options=options[:-1]), ["<p>x</p>"] * MAX_OPTIONS).count("<input")
        == 13
    )


def test_the_script_hash_matches_the_one_script_and_no_inline_handler():
    assert PAGE.scripts == [SCRIPT] and len(PAGE.data) == 1
    assert inline_sources(PAGE_HTML)[0] == [script_hash()]  # the summary's text is data, not a script to allow
    digest = base64.b64encode(hashlib.sha256(PAGE.scripts[0].encode("utf-8")).digest()).decode()
    assert script_hashes() == [f"'sha256-{digest}'"] == [script_hash()]
    assert PAGE.handlers == [] and "javascript:" not in PAGE_HTML
    assert not re.search(r"\b(fetch|XMLHttpRequest|WebSocket|sendBeacon|EventSource|import\()", SCRIPT)


def test_the_form_is_never_submitted_and_states_privacy_once():
    assert re.search(r'<form class="adass-cmp-form" method="dialog"', PAGE_HTML)
    assert PAGE_HTML.count("<form") == 1 and "action=" not in PAGE_HTML and "formaction" not in PAGE_HTML
    # its one submit button is the download, shown by the script, which cancels the submission and sends nothing
    assert re.findall(r'<button type="submit"[^>]*>', PAGE_HTML) == [
        '<button type="submit" class="adass-cmp-download" data-filename="compare-my-council-summary.html" hidden>'
    ]
    assert "form.addEventListener('submit', function (event) {\n    event.preventDefault();" in SCRIPT
    assert PAGE_HTML.count(PRIVACY_LINE) == 1
    assert PRIVACY_LINE == "Your answers never leave this browser: nothing is sent, saved or logged."


def test_the_notebook_shows_the_html_form_and_no_widget_and_drops_the_old_promise():
    notebook = json.loads((REPO / "notebooks" / "14-compare-my-council.ipynb").read_text(encoding="utf-8"))
    outputs = [o for c in notebook["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]
    assert all("application/vnd.jupyter.widget-view+json" not in o.get("data", {}) for o in outputs)
    forms = [o for o in outputs if 'id="adass-cmp"' in "".join(o.get("data", {}).get("text/html", ""))]
    assert len(forms) == 1 and "".join(forms[0]["data"]["text/html"]).count("<fieldset") == 18
    text = json.dumps(notebook)
    assert "in the memory of the server" not in text and text.count(PRIVACY_LINE) == 1
    assert not list((REPO / "lib" / "adass_survey" / "compare").glob("*.py")) or all(
        "in the memory of the server" not in p.read_text(encoding="utf-8")
        for p in (REPO / "lib" / "adass_survey" / "compare").glob("*.py")
    )


def test_the_summary_source_is_the_python_document_with_no_answer_as_inert_text():
    doc = summary_document([compare_answer(ITEMS["take_up"], "below_60")], "Testshire")
    (text,) = PAGE.data
    assert re.search(r'<script type="application/json" class="adass-cmp-summary">', PAGE_HTML)
    assert not set("<>&") & set(text)  # nothing in it can end the element or be read as markup
    parts = json.loads(text)
    empty = doc.replace("<span>Testshire</span>", "<span></span>")
    empty = re.sub(r'(<div class="adass-cmp-answers">).*?(</div><p><small>)', r"\1\2", empty, flags=re.S)
    assert document(parts["head"], parts["body"]) == empty  # the same head (title, print styles) and body
    assert parts["body"].count("<h1>") == 1 and "<title>" in parts["head"] and "@media print" in parts["head"]


@pytest.mark.parametrize(
    "answers",
    [
        {"take_up": "below_60; DROP TABLE"},
        {"take_up": 1},
        {"take_up": None},
        {"market_rating": "<script>alert(1)</script>"},
        {"take_up": "below_60", "__class__": "yes"},
        {"strategy": ["yes"]},
    ],
)
def test_hostile_values_given_in_code_are_refused_with_a_plain_error(answers):
    with pytest.raises(ValueError, match="is not (an answer to|a question of the form)"):
        compare_answers(answers)
    with pytest.raises(ValueError):
        summary(answers)


@pytest.mark.parametrize("name", ["x" * 81, "a\nb", "<b>\x00</b>", 42])
def test_a_name_that_is_not_short_printable_text_is_refused(name):
    with pytest.raises(ValueError, match="printable text of at most 80"):
        summary({"take_up": "below_60"}, name)


def test_the_python_summary_holds_the_chosen_answers_and_nothing_else():
    doc = summary({"take_up": "below_60", "market_rating": "2", "strategy": ""}, name="Testshire <County>")
    assert "Testshire &lt;County&gt;" in doc and "@media print" in doc
    assert "29 of 58 responding councils (50%)" in doc and "4 of 58 responding councils (7%)" in doc
    assert doc.count('<section class="adass-cmp-item">') == 2 and "You answered 'Yes'" not in doc


def test_the_page_builder_imports_neither_pandas_nor_matplotlib(tmp_path):
    code = (
        "import sys\nfrom adass_survey.compare.page import compare_page\n"
        "from adass_survey.compare.answers import summary\n"
        "from adass_survey.instrument.downloads import instrument_downloads\n"
        "page = compare_page(); doc = summary({'take_up': 'below_60'}); instrument_downloads()\n"
        "assert '29 of 58' in page._repr_html_() and '29 of 58' in doc\n"
        "print(sorted(m for m in ('pandas', 'matplotlib', 'numpy', 'scipy', 'pyarrow') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_building_the_page_and_a_summary_writes_no_file(monkeypatch):
    import builtins
    import os

    opened = []
    real_open = builtins.open

    def watching_open(file, mode="r", *args, **kwargs):
        if any(flag in mode for flag in "wax+"):
            opened.append(file)
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", watching_open)
    monkeypatch.setattr(os, "replace", lambda *a: opened.append(a))
    assert "Qwertyshire 4417" in summary({"take_up": "60_or_above"}, "Qwertyshire 4417") and page_html()
    assert opened == []
