"""The transcribed published files, frame and hand-coded quotes agree with the report and the codebook."""

from __future__ import annotations

import pandas as pd
import pytest
from scipy.optimize import linprog

from adass_survey.core.codebook import load_codebook
from adass_survey.core.errors import SurveyInputError
from adass_survey.published.figures import (
    CHECKS,
    load_context,
    load_errata,
    load_figures,
    load_frame,
    load_handcoded_quotes,
    load_key_messages,
    normalise_text,
    report_path,
    report_text,
)
from adass_survey.tables.tabulate import round_half_up

SPECIAL_QUESTIONS = {"respondent_id", "frame_2011"}
SPECIAL_CATEGORIES = {"__all__", "__missing__"}


@pytest.fixture(scope="module")
def figures():
    return load_figures()


@pytest.fixture(scope="module")
def frame():
    return load_frame()


@pytest.fixture(scope="module")
def errata():
    return load_errata()


@pytest.fixture(scope="module")
def report():
    assert report_path().is_file(), "the report text belongs in data/source/"
    return normalise_text(report_text())


def _not_found(quotes: pd.Series, report: str) -> list[str]:
    return [q for q in quotes if normalise_text(q) not in report]


# --- quotes are verbatim --------------------------------------------------------------------------------------


def test_figure_quotes_are_verbatim(figures, report):
    assert _not_found(figures["quote"], report) == []


def test_context_quotes_are_verbatim(report):
    assert _not_found(load_context()["quote"], report) == []


def test_errata_quotes_are_verbatim(errata, report):
    assert _not_found(errata["quote_a"], report) == []
    assert _not_found(errata["quote_b"], report) == []


def test_handcoded_quotes_are_verbatim(report):
    assert _not_found(load_handcoded_quotes()["quote"], report) == []


def test_normalised_search_is_not_trivially_true(report):
    assert "a response rate of 38%" not in report
    assert normalise_text("a response   rate\nof 33%") in report


# --- the frame of councils -------------------------------------------------------------------------------------


def test_frame_totals(frame, figures):
    invited = figures.loc[figures["question"] == "frame_2011", "count"]
    assert int(frame["councils"].sum()) == 152 == int(invited.iloc[0])
    by_type = frame.groupby("council_type")["councils"].sum().to_dict()
    assert by_type == {"london_borough": 33, "county": 27, "metropolitan": 36, "unitary": 56}


def test_frame_regions(frame):
    by_region = frame.groupby("region")["councils"].sum().to_dict()
    assert by_region == {
        "north_east": 12,
        "north_west": 23,
        "yorkshire_humber": 15,
        "east_midlands": 9,
        "west_midlands": 14,
        "east_of_england": 11,
        "london": 33,
        "south_east": 19,
        "south_west": 16,
    }
    boroughs = frame[frame["council_type"] == "london_borough"].set_index("region")["councils"]
    assert int(boroughs["london"]) == 33 and int(boroughs.drop("london").sum()) == 0


def test_frame_covers_every_codebook_cell(frame):
    codebook = load_codebook()
    cells = set(zip(frame["region"], frame["council_type"]))
    expected = {(r, t) for r in codebook["region"].option_codes() for t in codebook["council_type"].option_codes()}
    assert cells == expected


def _printed(figures: pd.DataFrame, question: str) -> dict[str, int]:
    rows = figures[(figures["question"] == question) & figures["count"].notna()]
    return dict(zip(rows["category"], rows["count"].astype(int)))


def test_respondent_regions_never_exceed_frame(figures, frame):
    respondents = _printed(figures, "region")
    assert sum(respondents.values()) == int(figures.loc[figures["id"] == "F01-01", "count"].item())
    available = frame.groupby("region")["councils"].sum()
    over = {r: n for r, n in respondents.items() if n > available[r]}
    assert over == {}


def test_region_by_type_allocation_exists_within_frame(figures, frame):
    """Some region x type table fits the printed region counts, the reading of E01 for types, and the frame."""
    regions = _printed(figures, "region")
    types = _printed(figures, "council_type")
    types["unitary"] = types.pop("london_borough|unitary") - types["london_borough"]  # reading of erratum E01
    cells = list(zip(frame["region"], frame["council_type"]))
    rows = list(regions) + list(types)
    equality = [[1.0 if (cell[0] == key or cell[1] == key) else 0.0 for cell in cells] for key in rows]
    target = [regions.get(k, types.get(k)) for k in rows]
    bounds = [(0, int(n)) for n in frame["councils"]]
    solution = linprog(c=[0] * len(cells), A_eq=equality, b_eq=target, bounds=bounds, method="highs")
    assert solution.status == 0, solution.message
    assert sum(types.values()) == sum(regions.values())


# --- figures use the codebook ----------------------------------------------------------------------------------


def test_figure_questions_and_categories_exist_in_codebook(figures):
    codebook = load_codebook()
    unknown = []
    for row in figures.itertuples():
        if row.question in SPECIAL_QUESTIONS:
            ok = row.category == "__all__"
        elif row.question not in codebook:
            ok = False
        else:
            question = codebook[row.question]
            codes = set(question.option_codes()) | {t.code for t in question.frame} | {b.code for b in question.bands}
            if question.unbanded:
                codes.add(question.unbanded.code)
            ok = all(c in codes or c in SPECIAL_CATEGORIES for c in row.category.split("|"))
        if not ok:
            unknown.append((row.id, row.question, row.category))
    assert unknown == []


def test_base_rules_name_codebook_questions(figures):
    codebook = load_codebook()
    for rule in figures["base_rule"]:
        if ":" in rule:
            question, _, code = rule.split(":", 1)[1].partition("=")
            assert question in codebook
            if code:
                assert code in codebook[question].option_codes()


def test_cohort_bases_are_the_cohort(figures):
    cohort = int(figures.loc[figures["id"] == "F01-01", "count"].item())
    assert (figures.loc[figures["base_rule"] == "cohort", "base"] == cohort).all()


def test_printed_percentages_follow_count_and_base_unless_erratum(figures):
    with_percent = figures[figures["percent_printed"].notna() & figures["count"].notna()]
    assert len(with_percent) > 20
    disagree = with_percent[
        [
            round_half_up(100 * c / b) != p
            for c, b, p in zip(with_percent["count"], with_percent["base"], with_percent["percent_printed"])
        ]
    ]
    assert disagree["erratum_id"].notna().all(), disagree[["id", "count", "base", "percent_printed"]]
    assert len(disagree) >= 3  # 33% response rate, 97% on target, 'a third' of 58


def test_vague_quantifiers_have_no_count_except_a_couple(figures):
    vague = figures[figures["check"] != "exact"]
    assert set(vague["check"]) <= set(CHECKS)
    counted = vague[vague["count"].notna()]
    assert set(counted["check"]) <= {"a_couple"}
    assert (counted["count"] == 2).all()


def test_closed_question_counts_fit_in_the_cohort(figures):
    codebook = load_codebook()
    cohort = int(figures.loc[figures["id"] == "F01-01", "count"].item())
    for question in codebook.of_type("single", "yes_no", "likert5", "percent_text"):
        printed = figures[
            (figures["question"] == question.id)
            & (figures["check"] == "exact")
            & ~figures["category"].str.contains("|", regex=False)
        ]
        distinct = printed.drop_duplicates("category")
        assert int(distinct["count"].sum()) <= cohort, question.id


def test_figure_errata_exist_and_list_the_figure(figures, errata):
    affects = {e: set(a.split(";")) if isinstance(a, str) else set() for e, a in zip(errata["id"], errata["affects"])}
    for row in figures[figures["erratum_id"].notna()].itertuples():
        assert row.erratum_id in affects, row.id
        assert row.id in affects[row.erratum_id], row.id
    listed = set().union(*affects.values())
    assert listed <= set(figures["id"])


def test_errata_cover_the_known_inconsistencies(figures, errata):
    by_figure = figures.set_index("id")["erratum_id"]
    for figure_id in ("F01-16", "F02-05", "F04-22", "F10-08", "F10-09", "F11-03"):
        assert pd.notna(by_figure[figure_id]), figure_id
    assert (errata["kind"] == "numbering").sum() >= 1
    assert errata["quote_a"].str.startswith("3.2").any() and errata["quote_b"].str.startswith("3.2").any()


# --- hand-coded quotes -------------------------------------------------------------------------------------------


def test_handcoded_themes_belong_to_the_question_frame():
    codebook = load_codebook()
    quotes = load_handcoded_quotes()
    assert len(quotes) >= 20
    for row in quotes.itertuples():
        question = codebook[row.question_id]
        assert question.type == "text", row.quote_id
        themes = row.themes.split(";") if isinstance(row.themes, str) else []
        assert set(themes) <= {t.code for t in question.frame}, row.quote_id
        assert len(themes) == len(set(themes)), row.quote_id
    assert quotes["quote"].is_unique


# --- malformed files are refused ---------------------------------------------------------------------------------


def _rewrite(source, target, old, new):
    text = source.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


def test_malformed_count_is_refused_with_row_and_column(tmp_path):
    from adass_survey.core.paths import published_dir

    bad = _rewrite(
        published_dir() / "figures.csv",
        tmp_path / "figures.csv",
        "dp_restrictions,yes,52,",
        "dp_restrictions,yes,fifty-two,",
    )
    with pytest.raises(SurveyInputError) as error:
        load_figures(bad)
    message = str(error.value)
    assert "figures.csv" in message and "column 'count'" in message and "fifty-two" in message
    line = next(i for i, text in enumerate(bad.read_text(encoding="utf-8").splitlines(), 1) if "fifty-two" in text)
    assert error.value.row == line


def test_unknown_check_and_missing_exact_count_are_refused(tmp_path):
    from adass_survey.core.paths import published_dir

    bad = _rewrite(published_dir() / "figures.csv", tmp_path / "figures.csv", ",nearly_all,", ",almost_all,")
    with pytest.raises(SurveyInputError, match="check"):
        load_figures(bad)
    bad = _rewrite(
        published_dir() / "figures.csv",
        tmp_path / "figures2.csv",
        "dp_restrictions,yes,52,58,cohort,90,exact",
        "dp_restrictions,yes,,58,cohort,90,exact",
    )
    with pytest.raises(SurveyInputError, match="exact"):
        load_figures(bad)


def test_wrong_header_and_unknown_region_are_refused(tmp_path):
    from adass_survey.core.paths import reference_dir

    bad = _rewrite(reference_dir() / "frame_2011.csv", tmp_path / "frame.csv", "region,", "area,")
    with pytest.raises(SurveyInputError, match="header"):
        load_frame(bad)
    bad = _rewrite(reference_dir() / "frame_2011.csv", tmp_path / "frame2.csv", "north_east,", "northumbria,")
    with pytest.raises(SurveyInputError, match="northumbria"):
        load_frame(bad)


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(SurveyInputError, match="does not exist"):
        load_errata(tmp_path / "errata.csv")


def test_malformed_key_messages_file_names_row_and_column(tmp_path):
    from adass_survey.core.paths import published_dir

    text = (published_dir() / "key_messages.csv").read_text(encoding="utf-8").splitlines()
    text[3] = text[3].replace(",supports,", ",endorses,")
    path = tmp_path / "key_messages.csv"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(SurveyInputError) as error:
        load_key_messages(path)
    message = str(error.value)
    assert "relation" in message and "4" in message
