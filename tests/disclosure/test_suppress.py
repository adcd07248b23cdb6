"""Disclosure control: primary, secondary and complement suppression, withheld groups, the audit."""

import numpy as np
import pandas as pd
import pytest

from adass_survey.core.codebook import load_codebook
from adass_survey.core.errors import DisclosureError
from adass_survey.disclosure.audit import View, audit_views
from adass_survey.disclosure.plan import plan_views, suppress_views, views_of
from adass_survey.disclosure.policy import DisclosurePolicy
from adass_survey.disclosure.protect import protect
from adass_survey.disclosure.table import SUPPRESSED
from adass_survey.tables.groups import all_selections, dimensions, filter_respondents, selection_key, selection_label
from adass_survey.tables.tabulate import crosstab, frequency_table, multi_table

REGIONS = {
    "london": 10,
    "south_east": 8,
    "east_of_england": 6,
    "east_midlands": 3,
    "north_east": 4,
    "north_west": 7,
    "south_west": 7,
    "west_midlands": 8,
    "yorkshire_humber": 5,
}
TYPES = {"london_borough": 10, "county": 17, "metropolitan": 7, "unitary": 24}


def cohort_frame():
    """58 rows made to the published region and council-type counts (London councils are London boroughs)."""
    regions = [r for r, n in REGIONS.items() for _ in range(n) if r != "london"]
    non_london_types = [t for t, n in TYPES.items() for _ in range(n) if t != "london_borough"]
    rows = [("london", "london_borough")] * 10 + list(zip(regions, non_london_types))
    df = pd.DataFrame(rows, columns=["region", "council_type"])
    df.insert(0, "respondent_id", range(1, len(df) + 1))
    return df


def test_cohort_frame_matches_published_profile():
    df = cohort_frame()
    assert len(df) == 58
    assert df["region"].value_counts().to_dict() == REGIONS
    assert df["council_type"].value_counts().to_dict() == TYPES


def test_every_single_dimension_group_and_complement_has_at_least_five():
    df, policy = cohort_frame(), DisclosurePolicy()
    dims = dimensions(load_codebook())
    assert set(dims["council_type"].codes()) == set(load_codebook()["council_type"].option_codes())
    for dim in ("council_type", "region_group"):
        for code in dims[dim].codes():
            base = len(filter_respondents(df, {dim: code}))
            assert base >= policy.threshold, (dim, code, base)
            assert len(df) - base >= policy.threshold, (dim, code, base)
            assert policy.group_message(base, len(df)) is None
    assert selection_label({"council_type": "county"}) == "county councils"


def test_primary_suppression_hides_small_counts_and_percentages():
    t = frequency_table(pd.DataFrame({"dp_restrictions": ["yes"] * 50 + ["no"] * 4 + ["no"] * 4}), "dp_restrictions")
    st = DisclosurePolicy().suppress(t)
    assert st.display["Councils"].tolist() == ["50", "8", "0"]
    t = frequency_table(pd.DataFrame({"dp_restrictions": ["yes"] * 50 + ["no"] * 2 + [None] * 6}), "dp_restrictions")
    st = DisclosurePolicy().suppress(t).display.set_index("Answer")
    assert st.at["No", "Councils"] == SUPPRESSED and st.at["No", "Percent"] == SUPPRESSED
    assert "*" not in st.to_string()


def test_secondary_suppression_prefers_next_smallest_nonzero_cell():
    mask = protect(np.array([40, 3, 0, 15, 58]), 5, lattice_ndim=0, kind="additive")
    assert mask.tolist() == [False, True, False, True, False]
    # two small cells that add to under five need a third
    mask = protect(np.array([40, 2, 1, 15, 58]), 5, lattice_ndim=0, kind="additive")
    assert mask.tolist() == [False, True, True, True, False]


def test_suppressed_table_numeric_frame_has_na_and_footnote():
    t = frequency_table(pd.DataFrame({"on_target": ["yes"] * 55 + ["no"] * 2 + [None]}), "on_target")
    st = DisclosurePolicy().suppress(t)
    assert st.values["count"].isna().sum() >= 2
    assert st.values.loc[st.values["count"].isna(), "percent"].isna().all()
    assert any("[c]" in note for note in st.footnotes)
    assert st.base == 58 and not st.is_published


def test_binary_table_hides_option_whose_not_ticked_complement_is_small(tmp_path):
    cb = load_codebook()
    q = cb["advisory_user_groups"]
    df = pd.DataFrame({q.multi_column(o.code): [True] * 58 for o in q.options})
    df.loc[:2, q.multi_column("carers")] = False  # 55 ticked, 3 did not
    st = DisclosurePolicy().suppress(multi_table(df, "advisory_user_groups", cb)).display.set_index("Answer")
    assert st.at["Carers", "Councils"] == SUPPRESSED
    assert st.at["Older people", "Councils"] == "58"


def test_published_national_table_is_not_suppressed():
    df = pd.DataFrame({"market_rating": ["2"] * 4 + ["3"] * 46 + ["4"] * 7 + ["5"]})
    policy = DisclosurePolicy()
    st = policy.published(frequency_table(df, "market_rating", include_missing=False))
    assert st.is_published and SUPPRESSED not in st.display.to_string()
    assert "As published in the report" in st.footnotes[0]


def test_group_complement_rule_against_the_national_table():
    policy = DisclosurePolicy()
    national = pd.DataFrame({"dp_restrictions": ["yes"] * 52 + ["no"] * 6})
    group = national.iloc[:20].copy()
    group.loc[:, "dp_restrictions"] = ["yes"] * 18 + ["no"] * 2
    national.loc[national.index[:20], "dp_restrictions"] = group["dp_restrictions"]
    # group has no = 2 (small): national no = 6 + ... complement no small => both hidden
    n_t = frequency_table(national, "dp_restrictions")
    g_t = frequency_table(group, "dp_restrictions")
    st = policy.suppress(g_t, national=n_t, published_national=True)
    d = st.display.set_index("Answer")
    assert d.at["No", "Councils"] == SUPPRESSED and d.at["Yes", "Councils"] == SUPPRESSED


def test_zero_cell_hidden_when_national_minus_group_is_small():
    national = pd.DataFrame({"market_rating": ["3"] * 50 + ["4"] * 5 + ["5"] * 1 + ["2"] * 4})
    group = pd.DataFrame({"market_rating": ["3"] * 13 + ["4"] * 5 + ["2"] * 0})
    st = (
        DisclosurePolicy()
        .suppress(
            frequency_table(group, "market_rating", include_missing=False),
            national=frequency_table(national, "market_rating", include_missing=False),
            published_national=True,
        )
        .display.set_index("Answer")
    )
    assert st.at["Excellent", "Councils"] == SUPPRESSED  # 0 here, 1 nationally: showing 0 would reveal 1 elsewhere
    assert st.at["Poor", "Councils"] == "0"  # 0 here and nationally: safe


def test_threshold_from_environment(monkeypatch):
    monkeypatch.setenv("ADASS_DISCLOSURE_THRESHOLD", "10")
    assert DisclosurePolicy.from_env().threshold == 10
    monkeypatch.setenv("ADASS_DISCLOSURE_THRESHOLD", "ten")
    with pytest.raises(ValueError, match="ADASS_DISCLOSURE_THRESHOLD"):
        DisclosurePolicy.from_env()
    t = frequency_table(pd.DataFrame({"strategy": ["yes"] * 51 + ["no"] * 7}), "strategy")
    assert DisclosurePolicy(10).suppress(t).display.set_index("Answer").at["No", "Councils"] == SUPPRESSED
    assert DisclosurePolicy(5).suppress(t).display.set_index("Answer").at["No", "Councils"] == "7"


def _answers(df, seed):
    rng = np.random.default_rng(seed)
    out = df.copy()
    out["on_target"] = rng.choice(["yes", "no", None], size=len(df), p=[0.8, 0.15, 0.05])
    return out


def test_plan_withholds_small_and_linked_groups_but_shows_single_dimensions():
    df = cohort_frame()
    plan = plan_views(df)
    for sel in all_selections(("council_type", "region_group")):
        if len(sel) <= 1:
            assert plan.message(sel) is None, sel
    small = [s for s in all_selections(("council_type", "region_group")) if 0 < plan.base(s) < 5]
    assert small and all(plan.message(s) for s in small)


def test_dashboard_views_pass_the_audit():
    df = _answers(cohort_frame(), 3)
    plan = plan_views(df)
    views = suppress_views(plan, df, lambda r: frequency_table(r, "on_target"))
    audit_views(views_of(plan, views))
    df["strategy"] = np.where(df["respondent_id"] % 9 == 0, "no", "yes")
    ct = suppress_views(plan, df, lambda r: crosstab(r, "on_target", "strategy"))
    audit_views(views_of(plan, ct))


def test_audit_catches_differencing_between_nested_groups():
    policy = DisclosurePolicy()
    national = pd.DataFrame({"respondent_id": range(58), "strategy": ["yes"] * 20 + ["no"] * 38})
    group = national.iloc[:16].copy()
    group = pd.concat([group, national.iloc[20:28]])  # 16 yes, 8 no: differs from national yes by 4
    naive = policy.suppress(frequency_table(group, "strategy"))  # each table safe alone
    views = [
        View({}, frozenset(national.respondent_id), policy.suppress(frequency_table(national, "strategy"))),
        View({"council_type": "county"}, frozenset(group.respondent_id), naive),
    ]
    with pytest.raises(DisclosureError, match="differs by 4"):
        audit_views(views, policy)
    protected = policy.suppress(frequency_table(group, "strategy"), national=frequency_table(national, "strategy"))
    audit_views([views[0], View({"council_type": "county"}, frozenset(group.respondent_id), protected)], policy)


def test_audit_catches_a_lone_suppressed_cell_and_a_partition_leak():
    t = frequency_table(pd.DataFrame({"strategy": ["yes"] * 50 + ["no"] * 3 + ["yes"] * 5}), "strategy")
    st = DisclosurePolicy(threshold=1).suppress(t)
    st.values.loc[st.values.category == "no", "count"] = pd.NA  # hide only the small cell
    with pytest.raises(DisclosureError, match="add up to 3"):
        audit_views([View({}, frozenset(range(58)), st)])
    df = _answers(cohort_frame(), 7)
    plan = plan_views(df)
    views = suppress_views(plan, df, lambda r: frequency_table(r, "on_target"), policy=DisclosurePolicy(threshold=1))
    groups = views_of(plan, views)
    # hide exactly one group's small cell: the other groups and the national total give it away
    target = next(
        v
        for v in groups
        if len(v.selection) == 1
        and "council_type" in v.selection
        and pd.notna(v.table.values.set_index("category").at["no", "count"])
        and 0 < (v.table.values.set_index("category").at["no", "count"]) < 5
    )
    target.table.values.loc[target.table.values.category == "no", "count"] = pd.NA
    with pytest.raises(DisclosureError):
        audit_views(groups)


def test_selection_key_ignores_all():
    assert selection_key({"council_type": "all"}) == ()


def _one_answer_group(df, council_type, answer):
    out = df.copy()
    out.loc[out["council_type"] == council_type, "on_target"] = answer
    return out


def test_group_where_every_council_gave_one_answer_is_withheld_and_says_why():
    df = _one_answer_group(_answers(cohort_frame(), 3), "metropolitan", "yes")
    plan = plan_views(df)
    views = suppress_views(plan, df, lambda r: frequency_table(r, "on_target"))
    metropolitan = views[(("council_type", "metropolitan"),)]
    assert not metropolitan.shown
    assert metropolitan.message == DisclosurePolicy().same_answer_message
    assert "every council in this group gave the same answer" in metropolitan.message
    audit_views(views_of(plan, views))
    for key, table in views.items():  # no filtered view shows a group all in one category
        if key and table.shown:
            counts = table.values["count"]
            assert not (counts.notna().all() and (counts > 0).sum() == 1), key


def test_group_disclosure_in_one_table_against_the_national_one():
    national = frequency_table(pd.DataFrame({"strategy": ["yes"] * 45 + ["no"] * 13}), "strategy")
    group = frequency_table(pd.DataFrame({"strategy": ["yes"] * 7}), "strategy")
    st = DisclosurePolicy().suppress(group, national=national)
    assert not st.shown and st.message == DisclosurePolicy().same_answer_message
    mixed = frequency_table(pd.DataFrame({"strategy": ["yes"] * 7 + ["no"] * 6}), "strategy")
    assert DisclosurePolicy().suppress(mixed, national=national).shown


def test_multi_choice_option_ticked_by_all_of_a_group_is_hidden():
    from adass_survey.disclosure.protect import group_disclosed

    grid = np.array([[[7, 0, 7], [3, 4, 7]], [[20, 31, 51], [14, 37, 51]], [[27, 31, 58], [17, 41, 58]]])
    marked = group_disclosed(grid, lattice_ndim=1, kind="binary")
    assert marked[0, 0, :2].all() and not marked[0, 1].any() and not marked[-1].any()
    mask = protect(grid, 5, lattice_ndim=1, kind="binary")
    assert mask[0, 0, 0] and mask[0, 0, 1]
