"""The codebook parses as intended: known keys only, unique codes and spellings, labels intact."""

from __future__ import annotations

import re

import pytest
import yaml

from adass_survey.core.codebook import QUESTION_TYPES, load_codebook, normalise_spelling
from adass_survey.core.paths import codebook_path

RAW = yaml.safe_load(codebook_path().read_text(encoding="utf-8"))
OPTION_KEYS = {"code", "label", "spellings"}
THEME_KEYS = {"code", "label", "patterns", "examples"}
BAND_KEYS = {"code", "label", "min", "max"}


def _items(kind):
    for question in RAW["questions"]:
        for item in question.get(kind, []):
            yield question["id"], item


@pytest.mark.parametrize("kind, allowed", [("options", OPTION_KEYS), ("frame", THEME_KEYS), ("bands", BAND_KEYS)])
def test_only_known_keys(kind, allowed):
    # An unquoted label with a comma inside a YAML flow mapping silently becomes extra keys.
    stray = [(qid, sorted(set(item) - allowed)) for qid, item in _items(kind) if set(item) - allowed]
    assert not stray, f"unexpected keys (quote labels that contain commas): {stray}"


def test_question_ids_and_types():
    ids = [q["id"] for q in RAW["questions"]]
    assert len(ids) == len(set(ids))
    assert {q["type"] for q in RAW["questions"]} <= QUESTION_TYPES
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", i) for i in ids)


def test_codes_unique_within_each_question():
    for question in load_codebook().questions:
        codes = [o.code for o in question.options] + [t.code for t in question.frame]
        assert len(codes) == len(set(codes)), question.id


def test_no_spelling_belongs_to_two_options():
    for question in load_codebook().of_type("single", "yes_no", "likert5"):
        seen = {}
        for option in question.options:
            for spelling in option.spellings:
                assert seen.setdefault(spelling, option.code) == option.code, (question.id, spelling)


def test_missing_values_are_not_answers():
    codebook = load_codebook()
    for question in codebook.of_type("single", "yes_no", "likert5"):
        for option in question.options:
            assert not set(option.spellings) & codebook.missing_values, (question.id, option.code)


def test_every_text_question_has_a_frame_with_patterns():
    for question in load_codebook().of_type("text"):
        assert question.frame, question.id
        assert all(theme.patterns for theme in question.frame), question.id


def test_labels_are_whole_phrases():
    labels = [item["label"] for kind in ("options", "frame") for _, item in _items(kind)]
    assert "Alcohol, drugs, gambling or sex workers" in labels
    assert all(normalise_spelling(label) == normalise_spelling(label).strip() for label in labels)


def test_every_question_has_a_short_topic_for_titles():
    missing = [q.id for q in load_codebook().questions if q.type not in {"id", "meta"} and not q.short]
    assert not missing, f"questions without a short topic (used in filtered chart titles): {missing}"
