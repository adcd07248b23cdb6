"""The key messages of section 12 are linked to real figures, quoted verbatim and recomputed live."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from adass_survey.core.codebook import load_codebook
from adass_survey.processed.survey import load_survey
from adass_survey.published.figures import (
    MESSAGE_IDS,
    RELATIONS,
    load_errata,
    load_figures,
    load_key_messages,
    normalise_text,
    report_path,
    report_text,
)
from adass_survey.published.reconcile import base_mask, category_mask
from adass_survey.report.key_messages import evidence_summary, message_evidence, show_message, thin_evidence


@pytest.fixture(scope="module")
def links():
    return load_key_messages()


@pytest.fixture(scope="module")
def survey():
    return load_survey()


@pytest.fixture(scope="module")
def report():
    assert report_path().is_file(), "the report text belongs in data/source/"
    return normalise_text(report_text())


def test_every_figure_id_exists(links):
    known = set(load_figures()["id"])
    assert sorted(set(links["figure_id"]) - known) == []


def test_every_message_has_supporting_evidence(links):
    supported = set(links.loc[links["relation"] == "supports", "message_id"])
    assert set(MESSAGE_IDS) <= supported


def test_one_opening_quote_per_message(links):
    assert links.groupby("message_id")["message_quote"].nunique().eq(1).all()


def test_quotes_open_their_message_in_the_report(links, report):
    openings = links.drop_duplicates("message_id")
    missing = [
        m for m, q in zip(openings["message_id"], openings["message_quote"]) if f"{m} {normalise_text(q)}" not in report
    ]
    assert missing == []


def test_errata_of_key_messages_are_linked_to_their_message(links):
    errata = load_errata()
    key_errata = errata[errata["kind"] == "key_message"]
    assert set(key_errata["section"]) <= set(MESSAGE_IDS)
    for _, erratum in key_errata.iterrows():  # the contradicted message must show the figure that contradicts it
        affects = str(erratum["affects"]).split(";") if isinstance(erratum["affects"], str) else []
        linked = set(links.loc[links["message_id"] == erratum["section"], "figure_id"])
        assert set(affects) <= linked


def test_evidence_is_recomputed_from_the_data(survey, links):
    figures = load_figures().set_index("id")
    codebook = load_codebook()
    for message_id in MESSAGE_IDS:
        evidence = message_evidence(survey, message_id, links)
        assert len(evidence) == (links["message_id"] == message_id).sum()
        for _, row in evidence.iterrows():
            figure = figures.loc[row["figure_id"]]
            base = base_mask(survey, figure["base_rule"], codebook)
            hits = pd.Series(False, index=survey.respondents.index)
            for code in figure["category"].split("|"):
                hits |= category_mask(survey, figure["question"], code, codebook)
            assert (row["reproduced_count"], row["reproduced_base"]) == (int((hits & base).sum()), int(base.sum()))


def test_evidence_follows_a_change_in_the_data(survey, links):
    respondents = survey.respondents.copy()
    average = respondents.index[respondents["market_rating"] == "2"]
    respondents.loc[average[0], "market_rating"] = "3"
    changed = dataclasses.replace(survey, respondents=respondents)
    before = message_evidence(survey, "12.6", links).set_index("figure_id")
    after = message_evidence(changed, "12.6", links).set_index("figure_id")
    assert after.loc["F11-03", "reproduced_count"] == before.loc["F11-03", "reproduced_count"] - 1
    assert after.loc["F11-04", "reproduced_count"] == before.loc["F11-04", "reproduced_count"] + 1
    assert after.loc["F11-03", "status"] == "erratum"  # F11-03 carries erratum E09
    assert after.loc["F11-04", "status"] == "mismatch"
    summary = evidence_summary(changed, links).set_index("message_id")
    assert summary.loc["12.6", ["reproduced", "erratum", "mismatch"]].tolist() == [5, 1, 1]
    assert "NOT reproduced" in summary.loc["12.6", "summary"]


def test_summary_counts_match_the_evidence(survey, links):
    summary = evidence_summary(survey, links).set_index("message_id")
    assert list(summary.index) == list(MESSAGE_IDS)
    for message_id in MESSAGE_IDS:
        evidence = message_evidence(survey, message_id, links)
        row = summary.loc[message_id]
        assert row["linked"] == row[["reproduced", "erratum", "mismatch"]].sum() == len(evidence)
        assert row[list(RELATIONS)].sum() == len(evidence)
        for erratum in evidence["erratum_id"]:
            assert not erratum or erratum in row["errata"]
        assert row["summary"].startswith(f"{message_id}: {len(evidence)} linked figures")


def test_show_message_lists_each_linked_figure(survey, links):
    text = repr(show_message(survey, "12.6"))
    for figure_id in links.loc[links["message_id"] == "12.6", "figure_id"]:
        assert figure_id in text
    assert "contradicts: F11-03" in text


def test_unknown_message_is_refused(survey):
    with pytest.raises(ValueError, match="12.8"):
        message_evidence(survey, "12.8")


def test_thin_evidence_flags_small_bases_vague_quantifiers_and_errata(survey, links):
    thin = thin_evidence(survey, links).set_index("figure_id")
    everything = pd.concat([message_evidence(survey, m, links) for m in MESSAGE_IDS]).drop_duplicates("figure_id")
    for _, row in everything.iterrows():
        vague = row["published"].startswith("vague") and not row["published"].endswith("(all)")
        few = row["relation"] == "supports" and 0 < row["reproduced_count"] < 5
        expected = row["reproduced_base"] < 20 or few or vague or row["status"] != "reproduced"
        assert (row["figure_id"] in thin.index) == bool(expected), row["figure_id"]
    assert "E10" in thin.loc["F08-01", "reasons"]
    assert (
        thin_evidence(survey, links, small_base=1, small_count=0).pipe(
            lambda t: t["reasons"].str.contains("base of").sum()
        )
        == 0
    )
