"""Property-based tests: on random tables and random cohorts, nothing below the threshold leaks."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from adass_survey.core.codebook import load_codebook
from adass_survey.disclosure.audit import audit_views
from adass_survey.disclosure.plan import plan_views, suppress_views, views_of
from adass_survey.disclosure.policy import DisclosurePolicy
from adass_survey.disclosure.protect import protect
from adass_survey.tables.tabulate import frequency_table, multi_table

CB = load_codebook()
TYPES = CB["council_type"].option_codes()
REGIONS = CB["region"].option_codes()
MULTI = CB["advisory_user_groups"]


@given(
    counts=st.lists(st.integers(min_value=0, max_value=30), min_size=2, max_size=7),
    threshold=st.integers(min_value=2, max_value=8),
)
def test_single_table_lines_are_protected(counts, threshold):
    values = np.array(counts + [sum(counts)])
    mask = protect(values, threshold, lattice_ndim=0, kind="additive")
    shown = values[~mask]
    assert not np.any((shown > 0) & (shown < threshold)), "a small count is shown"
    if mask.any() and not mask[-1]:
        assert mask.sum() >= 2, "a lone suppressed cell can be recovered from the base"
        assert values[:-1][mask[:-1]].sum() >= threshold, "the hidden cells add up to a small count"


@st.composite
def cohorts(draw):
    n = draw(st.integers(min_value=20, max_value=70))
    seed = draw(st.integers(min_value=0, max_value=2**31 - 1))
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        {
            "respondent_id": np.arange(1, n + 1),
            "council_type": rng.choice(TYPES, size=n, p=[0.17, 0.3, 0.12, 0.41]),
            "region": rng.choice(REGIONS, size=n),
        }
    )
    p_yes = draw(st.floats(min_value=0.0, max_value=1.0))
    df["on_target"] = rng.choice(["yes", "no", None], size=n, p=[p_yes * 0.95, (1 - p_yes) * 0.95, 0.05])
    for option in MULTI.options:
        df[MULTI.multi_column(option.code)] = rng.random(n) < draw(st.floats(min_value=0.0, max_value=1.0))
    return df


@settings(max_examples=15, deadline=None)
@given(df=cohorts(), threshold=st.integers(min_value=3, max_value=6), published=st.booleans())
def test_dashboard_views_never_reveal_a_small_count(df, threshold, published):
    policy = DisclosurePolicy(threshold)
    plan = plan_views(df, ("council_type", "region_group"), policy)
    for make in (lambda r: frequency_table(r, "on_target", CB), lambda r: multi_table(r, "advisory_user_groups", CB)):
        views = suppress_views(plan, df, make, policy=policy, published_national=published)
        audit_views(views_of(plan, views), policy)
        for _key, table in views.items():
            if table.shown and not table.is_published:
                shown = table.values["count"].dropna().astype(int)
                assert not ((shown > 0) & (shown < threshold)).any()
