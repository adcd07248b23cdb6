"""The one home of the report's rounding, whole percentages and Wilson intervals (``adass_survey.core.proportions``)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from adass_survey.compare import comparison
from adass_survey.core.proportions import Z95, percent, round_half_up, wilson_interval
from adass_survey.tables import tabulate


def test_halves_round_up_as_the_report_does():
    assert [round_half_up(v) for v in (0.5, 2.5, 12.5, 94.5, 94.49)] == [1, 3, 13, 95, 94]
    assert (percent(1, 8), percent(29, 58), percent(55, 58)) == (13, 50, 95)


def test_the_quantile_is_the_normal_one():
    assert math.isclose(0.5 * math.erfc(Z95 / math.sqrt(2)), 0.025, rel_tol=1e-12)


def test_a_known_interval():
    low, high = wilson_interval(52, 58)  # 90%: 95% interval 79.2% to 95.2%
    assert (round(1000 * low), round(1000 * high)) == (792, 952)
    assert wilson_interval(0, 58)[0] == 0.0 and wilson_interval(58, 58)[1] == 1.0


@given(st.integers(1, 500).flatmap(lambda base: st.tuples(st.integers(0, base), st.just(base))))
def test_the_bounds_solve_wilsons_equation(pair):
    """Each bound p is a root of (share - p)^2 = z^2 p (1 - p) / base, and they hold the share between them."""
    count, base = pair
    share = count / base
    low, high = wilson_interval(count, base)
    assert 0.0 <= low <= share + 1e-12 and share - 1e-12 <= high <= 1.0  # the float sum, not quite 0 at count 0
    for bound in (low, high):
        assert math.isclose((share - bound) ** 2, Z95**2 * bound * (1 - bound) / base, rel_tol=1e-9, abs_tol=1e-15)


def test_a_base_of_nought_is_refused():
    with pytest.raises(ValueError, match="positive"):
        wilson_interval(0, 0)


def test_the_tables_and_the_compare_page_use_this_one_formula():
    low, high = tabulate.wilson_percentages([0, 10, 52, 3], [0, 58, 58, 8])
    assert math.isnan(low[0]) and math.isnan(high[0])
    for i, (count, base) in enumerate([(10, 58), (52, 58), (3, 8)], start=1):
        expected = wilson_interval(count, base)
        assert (low[i], high[i]) == (100 * expected[0], 100 * expected[1])
    assert isinstance(low, np.ndarray)
    assert comparison.wilson_interval is wilson_interval and comparison.percent is percent
    assert tabulate.round_half_up is round_half_up
