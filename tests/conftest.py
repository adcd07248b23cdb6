"""Shared test set-up: hypothesis profiles and common fixtures."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# CI runs a fixed, derandomised set of examples so a red run is reproducible; locally the default profile explores.
settings.register_profile(
    "ci", derandomize=True, max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    """Close every matplotlib figure a test opened, so figures never pile up across tests."""
    yield
    plt.close("all")


@pytest.fixture(scope="session")
def catalogue():
    """The views catalogue in ``data/catalogue/``, built first when it is missing or not current.

    ``scripts/test.sh`` builds it before pytest starts, so the notebooks (nbval) and the dashboards of the
    browser tests read it; a plain ``pytest`` builds it here.
    """
    from adass_survey.report.catalogue import catalogue_dir, stored
    from adass_survey.report.catalogue_build import build_catalogue

    if stored("banner", [], {}) is None:
        build_catalogue()
    return catalogue_dir()
